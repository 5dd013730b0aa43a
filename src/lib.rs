//! creeplint: a fast linter that catches creepy, over-personal marketing copy before it is sent.
//!
//! Data flows one way: paths → [`walk`] → [`source`] (a [`source::Document`] of normalised segments
//! with an offset map) → [`engine`] (matches) → [`lint`] (findings with exact positions) → report.
//! The library never prints; the binary owns the terminal.

#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod config;
pub mod engine;
pub mod error;
pub mod eval;
pub mod fields;
pub mod finding;
pub mod hash;
pub mod kinds;
pub mod links;
pub mod lint;
pub mod model;
pub mod outcome;
pub mod pack;
pub mod packtest;
pub mod paths;
pub mod position;
pub mod report;
pub mod schemas;
pub mod select;
pub mod server;
pub mod severity;
pub mod source;
pub mod suppress;
pub mod walk;

pub use error::{Error, Result};
pub use finding::Finding;
pub use severity::{FailOn, Severity};
