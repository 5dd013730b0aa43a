//! The byte decoder on any bytes (see `check_decode`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| creeplint_fuzz::check_decode(data));
