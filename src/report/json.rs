//! `--format json`: one document, `{"version": 1, "findings": [...], "notes": [...], "kinds": [...],
//! "summary": {...}}`. `notes` lists every skipped, unreadable, missing or lossily read file and
//! notes about the run (no file checked, a baseline that matched nothing). `kinds` holds each checked
//! file's message kind (`marketing`, `transactional`, `not-a-message`, `docs`) and the reason it was
//! given.
//! Lines and columns are 1-based; columns count characters; `end_column` is exclusive. `fingerprint`
//! is the baseline fingerprint (see `baseline`).

use super::{Emitter, Run, Summary};
use crate::finding::Finding;
use serde::Serialize;
use std::io::{self, Write};

/// The JSON emitter.
pub struct Json;

#[derive(Serialize)]
struct Field<'a> {
    variable: &'a str,
    kinds: &'a [String],
}

/// The frame and lexicon term behind a finding of a frame-generated pattern.
#[derive(Serialize)]
struct Frame<'a> {
    name: &'a str,
    lexicon: &'a str,
    term: &'a str,
}

/// What the model saw, for a finding of a model rule.
#[derive(Serialize)]
struct Model<'a> {
    score: f32,
    signals: &'a [String],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'a str,
    pack: &'a str,
    severity: &'a str,
    message: &'a str,
    why: &'a str,
    suggestion: &'a str,
    matched: &'a str,
    fields: Vec<Field<'a>>,
    frame: Option<Frame<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<Model<'a>>,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Findings<'a>,
    notes: Vec<JsonNote<'a>>,
    /// Every checked file's message kind and the reason for it.
    kinds: Vec<FileKind<'a>>,
    summary: Summary,
}

/// A note about a file (`path` set) or the run (`path` null): `kind` is the note's stable code
/// (`skipped-too-large`, `missing-path`, `no-files-checked`...), `level` is `info`, `warning` or
/// `error`.
#[derive(Serialize)]
struct JsonNote<'a> {
    path: Option<&'a str>,
    kind: &'static str,
    level: &'static str,
    message: String,
}

/// A checked file's message kind and why it was given.
#[derive(Serialize)]
struct FileKind<'a> {
    path: &'a str,
    kind: &'a str,
    reason: &'a str,
}

/// The run's findings, serialised one by one as they are written: a large run's findings are
/// not copied into a second list first.
struct Findings<'a>(&'a Run);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.findings().map(json_finding))
    }
}

fn json_finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        path: &f.path,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        rule: &f.rule.id,
        pack: &f.rule.pack,
        severity: f.severity.as_str(),
        message: &f.rule.message,
        why: &f.rule.why,
        suggestion: &f.rule.suggest,
        matched: &f.matched,
        fields: f
            .fields
            .iter()
            .map(|x| Field {
                variable: &x.variable,
                kinds: &x.kinds,
            })
            .collect(),
        frame: f.frame.as_ref().map(|h| Frame {
            name: &h.frame,
            lexicon: &h.lexicon,
            term: &h.term,
        }),
        model: f.model.as_ref().map(|m| Model {
            score: (m.score * 1000.0).round() / 1000.0,
            signals: &m.signals,
        }),
        fingerprint: &f.fingerprint,
    }
}

impl Emitter for Json {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let doc = Document {
            version: 1,
            findings: Findings(run),
            notes: run
                .all_notes()
                .map(|n| JsonNote {
                    path: n.path,
                    kind: n.note.code(),
                    level: n.note.level().as_str(),
                    message: n.note.to_string(),
                })
                .collect(),
            kinds: run
                .files
                .iter()
                .filter_map(|f| {
                    f.kind.as_ref().map(|k| FileKind {
                        path: &f.path,
                        kind: k.kind.name(),
                        reason: &k.reason,
                    })
                })
                .collect(),
            summary: run.summary(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
