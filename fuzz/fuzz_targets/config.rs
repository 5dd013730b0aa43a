//! The config loader on any TOML text (see `check_config`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| creeplint_fuzz::check_config(text));
