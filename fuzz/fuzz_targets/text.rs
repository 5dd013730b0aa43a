//! Any bytes, decoded as creeplint decodes files, parsed as text: no panic, and every segment and
//! finding maps back into the file (see `creeplint_fuzz::check_document`).
#![no_main]

use creeplint::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| creeplint_fuzz::check_bytes(data, Format::Text));
