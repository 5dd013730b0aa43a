//! Output formats. Each format is one [`Emitter`]; the binary picks one and hands it the run.
//! Emitters write findings only; notes and errors about files go to standard error, so machine
//! formats on standard output stay parseable.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;

use crate::lint::{FileReport, Note};
use crate::severity::Severity;
use crate::Finding;
use std::io::{self, Write};
use std::path::PathBuf;

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files read and scanned.
    pub files_checked: usize,
    /// Files skipped with a note (binary, too large).
    pub files_skipped: usize,
    /// Files that could not be read.
    pub files_failed: usize,
    /// All findings.
    pub findings: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
}

/// Everything a run produced, in output order.
#[derive(Debug)]
pub struct Run {
    /// One report per file, in the order files were named or walked.
    pub files: Vec<FileReport>,
    /// The project root (the config file's directory, else the working directory): machine formats
    /// give paths relative to it.
    pub root: PathBuf,
}

impl Run {
    /// Every finding, file by file.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| f.findings.iter())
    }

    /// The counts.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.files {
            if f.error.is_some() {
                s.files_failed += 1;
            } else if f.notes.iter().any(|n| matches!(n, Note::Skipped(_))) {
                s.files_skipped += 1;
            } else {
                s.files_checked += 1;
            }
            for finding in &f.findings {
                s.findings += 1;
                match finding.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
            }
        }
        s
    }
}

/// Writes a run in one output format.
pub trait Emitter {
    /// Writes the findings of `run` to `out`.
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()>;
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// rustc-style snippets with colour, for people.
    Human,
    /// One line per finding.
    Concise,
    /// One JSON document.
    Json,
    /// A SARIF 2.1.0 log.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
}

impl OutputFormat {
    /// The emitter for this format.
    pub fn emitter(self) -> Box<dyn Emitter> {
        match self {
            OutputFormat::Human => Box::new(human::Human { summary: true }),
            OutputFormat::Concise => Box::new(concise::Concise),
            OutputFormat::Json => Box::new(json::Json),
            OutputFormat::Sarif => Box::new(sarif::Sarif),
            OutputFormat::Github => Box::new(github::Github),
        }
    }
}

/// A sentence naming the sensitive merge fields in a finding, if any:
/// "the merge field `customer.total_spent` looks like money".
pub fn field_sentence(finding: &Finding) -> Option<String> {
    let parts: Vec<String> = finding
        .fields
        .iter()
        .map(|f| {
            format!(
                "the merge field `{}` looks like {}",
                f.variable,
                f.kinds.join(" and ")
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}
