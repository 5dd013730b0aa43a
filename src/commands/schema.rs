//! `creeplint schema config|pack`: prints a JSON Schema generated from the serde types.

use super::{print_error, Exit};
use crate::cli::SchemaArg;
use creeplint::schemas::{schema, SchemaKind};
use std::io::Write;

pub fn run(kind: SchemaArg) -> Exit {
    let kind = match kind {
        SchemaArg::Config => SchemaKind::Config,
        SchemaArg::Pack => SchemaKind::Pack,
    };
    let mut text = serde_json::to_string_pretty(&schema(kind)).expect("a schema is JSON");
    text.push('\n');
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Exit::Clean,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Clean,
        Err(e) => {
            print_error(&format!("writing output: {e}"));
            Exit::Error
        }
    }
}
