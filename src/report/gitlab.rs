//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), the subset of
//! the Code Climate issue format GitLab reads: a JSON array of issues, each with `description`,
//! `check_name` (the rule id), `fingerprint` (the baseline fingerprint, so an issue keeps its
//! identity between the branches a merge request compares), `severity` and `location` (`path`
//! relative to the project root, `lines.begin` and `lines.end`).
//!
//! Severities: error -> `major`, warning -> `minor`, info -> `info`. Notes of level warning or
//! error (a skipped, unreadable or missing file, a run that checked nothing) are issues too, under
//! `creeplint.NOTE-KIND`, so that the merge request shows what was not checked; a note about the
//! whole run points at `.`.

use super::{field_sentence, Emitter, Run};
use crate::baseline::root_relative;
use crate::finding::Finding;
use crate::hash::fnv1a64;
use crate::outcome::{Note, NoteLevel, PlacedNote};
use crate::severity::Severity;
use serde::Serialize;
use std::io::{self, Write};

/// The GitLab Code Quality emitter.
pub struct Gitlab;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    content: Content,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

fn note_severity(level: NoteLevel) -> &'static str {
    match level {
        NoteLevel::Error => "major",
        NoteLevel::Warning => "minor",
        NoteLevel::Info => "info",
    }
}

fn finding_issue(f: &Finding, run: &Run) -> Issue {
    let mut description = f.rule.message.clone();
    if let Some(note) = field_sentence(f) {
        description = format!("{description} ({note})");
    }
    Issue {
        kind: "issue",
        check_name: f.rule.id.clone(),
        description,
        content: Content {
            body: format!(
                "**Why it is creepy:** {}\n\n**How to rewrite:** {}\n\nRun `creeplint explain {}` for examples.",
                f.rule.why, f.rule.suggest, f.rule.id
            ),
        },
        fingerprint: f.fingerprint.clone(),
        severity: severity(f.severity),
        location: Location {
            path: root_relative(&f.path, &run.root),
            lines: Lines {
                begin: f.start.line,
                end: f.end.line.max(f.start.line),
            },
        },
    }
}

fn note_issue(n: &PlacedNote<'_>, run: &Run) -> Issue {
    let path = n
        .path
        .map_or_else(|| ".".to_string(), |p| root_relative(p, &run.root));
    let message = n.note.to_string();
    let line = match n.note {
        Note::Malformed { line, .. } | Note::UnknownRule { line, .. } => (*line).max(1),
        _ => 1,
    };
    let check_name = format!("creeplint.{}", n.note.code());
    Issue {
        kind: "issue",
        fingerprint: format!("{:016x}", fnv1a64(&[&check_name, &path, &message])),
        check_name,
        content: Content {
            body: message.clone(),
        },
        description: message,
        severity: note_severity(n.note.level()),
        location: Location {
            path,
            lines: Lines {
                begin: line,
                end: line,
            },
        },
    }
}

impl Emitter for Gitlab {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let issues = Issues(run);
        serde_json::to_writer_pretty(&mut *out, &issues)?;
        writeln!(out)
    }
}

/// The issues, built one by one as they are written.
struct Issues<'a>(&'a Run);

impl Serialize for Issues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let run = self.0;
        let findings = run.findings().map(|f| finding_issue(f, run));
        // Informational notes (a baseline hid findings, a report was skipped) are not issues:
        // the merge request would list them as problems.
        let notes = run
            .all_notes()
            .filter(|n| n.note.level() >= NoteLevel::Warning)
            .map(|n| note_issue(&n, run));
        serializer.collect_seq(findings.chain(notes))
    }
}
