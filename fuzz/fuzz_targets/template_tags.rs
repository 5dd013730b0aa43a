//! The merge-tag scanner on any text (see `check_tags`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| creeplint_fuzz::check_tags(text));
