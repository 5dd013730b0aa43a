//! `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns into
//! annotations on the pull request:
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE`.
//! Errors become `error`, warnings `warning`, infos `notice`. Then one annotation per note
//! (a skipped, unreadable or missing file, a run that checked nothing), at the note's level, titled
//! `creeplint NOTE-KIND`.
//!
//! Escaping follows the Actions toolkit (`escapeData` / `escapeProperty` in its `command.ts`):
//! `%`, CR and LF in the message; additionally `:` and `,` in property values.

use super::{field_sentence, Emitter, Run};
use crate::outcome::NoteLevel;
use crate::severity::Severity;
use std::io::{self, Write};

/// The GitHub Actions emitter.
pub struct Github;

/// Escapes a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Emitter for Github {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        for f in run.findings() {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = format!("{} — {}", f.rule.message, f.rule.suggest);
            if let Some(note) = field_sentence(f) {
                message = format!("{} ({note}) — {}", f.rule.message, f.rule.suggest);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&f.path),
                f.start.line,
                f.start.column,
                f.end.line,
                f.end.column,
                escape_property(&format!("creeplint {}", f.rule.id)),
                escape_data(&message)
            )?;
        }
        for n in run.all_notes() {
            let command = match n.note.level() {
                NoteLevel::Error => "error",
                NoteLevel::Warning => "warning",
                NoteLevel::Info => "notice",
            };
            let file = n
                .path
                .map_or_else(String::new, |p| format!("file={},", escape_property(p)));
            writeln!(
                out,
                "::{command} {file}title={}::{}",
                escape_property(&format!("creeplint {}", n.note.code())),
                escape_data(&n.note.to_string())
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(escape_data("50%\r\nnext: a, b"), "50%25%0D%0Anext: a, b");
        assert_eq!(escape_property("a: b, 5%"), "a%3A b%2C 5%25");
    }
}
