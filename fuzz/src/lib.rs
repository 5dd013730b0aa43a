//! Shared by the fuzz targets: one [`Checker`] per process (packs compile once) and the invariants,
//! which live in the main crate's tests so that regression tests replay crash inputs through the
//! very same checks.

#[path = "../../tests/support/invariants.rs"]
mod invariants;

pub use invariants::{
    check_config, check_decode, check_pack, check_tags, normalise, Checker, EVERYTHING_PACK,
};

use creeplint::source::Format;
use std::sync::OnceLock;

/// The process-wide checker.
pub fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new)
}

/// Decodes `data` like a file and checks it as `format`.
pub fn check_bytes(data: &[u8], format: Format) {
    checker().check_bytes(data, format);
}
