//! The pack loader on any TOML text (see `check_pack`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| creeplint_fuzz::check_pack(text));
