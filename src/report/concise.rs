//! `--format concise`: `path:line:col: severity[rule-id] message`, one line per finding.

use super::{Emitter, Run};
use std::io::{self, Write};

/// The concise emitter.
pub struct Concise;

impl Emitter for Concise {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        for f in run.findings() {
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                f.path, f.start.line, f.start.column, f.severity, f.rule.id, f.rule.message
            )?;
        }
        Ok(())
    }
}
