//! Output formats. Each format is one [`Emitter`]; the binary picks one and hands it the run.
//! Every emitter writes the findings and the run's notes (skipped, unreadable and missing files, a
//! run that checked nothing): machine formats in their own way (JSON `notes`, SARIF
//! `toolExecutionNotifications`, GitHub `::warning`), text formats on standard error, from the
//! binary.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

pub use crate::outcome::{Run, Summary};
use crate::Finding;
use std::io::{self, Write};

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
    /// A GitLab Code Quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
    /// One self-contained HTML page.
    Html,
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
            OutputFormat::Gitlab => Box::new(gitlab::Gitlab),
            OutputFormat::Junit => Box::new(junit::Junit),
            OutputFormat::Html => Box::new(html::Html),
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
