//! The default format for people: rustc-style snippets with the line, an underline, the rule id, the
//! message, why it is creepy and how to rewrite it, then a summary line. Colour comes from `colored`,
//! whose global switch the binary sets from `--color` and `NO_COLOR`.

use super::{field_sentence, Emitter, Run};
use crate::severity::Severity;
use crate::Finding;
use colored::{ColoredString, Colorize};
use std::io::{self, Write};

/// The human emitter.
pub struct Human {
    /// Print the summary line at the end (off with `--quiet`).
    pub summary: bool,
}

/// Lines longer than this (minified HTML) are shown as a window around the match.
const MAX_SHOWN_CHARS: usize = 110;
const CONTEXT_CHARS: usize = 40;

fn paint(severity: Severity, text: &str) -> ColoredString {
    match severity {
        Severity::Error => text.red().bold(),
        Severity::Warning => text.yellow().bold(),
        Severity::Info => text.cyan().bold(),
    }
}

impl Emitter for Human {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        for f in run.findings() {
            write_finding(f, out)?;
        }
        if self.summary {
            write_summary(run, out)?;
        }
        Ok(())
    }
}

fn write_finding(f: &Finding, out: &mut dyn Write) -> io::Result<()> {
    let head = format!("{}[{}]", f.severity, f.rule.id);
    writeln!(
        out,
        "{}{} {}",
        paint(f.severity, &head),
        ":".bold(),
        f.rule.message.bold()
    )?;
    let line_no = f.start.line.to_string();
    let pad = " ".repeat(line_no.len());
    let bar = "|".blue().bold();
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        "-->".blue().bold(),
        f.path,
        f.start.line,
        f.start.column
    )?;
    writeln!(out, "{pad} {bar}")?;

    let chars: Vec<char> = f
        .line_text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let start = f.start.column.saturating_sub(1).min(chars.len());
    let end = if f.end.line == f.start.line {
        f.end
            .column
            .saturating_sub(1)
            .clamp(start + 1, chars.len().max(start + 1))
    } else {
        chars.len().max(start + 1)
    };
    let (from, to) = if chars.len() > MAX_SHOWN_CHARS {
        (
            start.saturating_sub(CONTEXT_CHARS),
            (end + CONTEXT_CHARS).min(chars.len()),
        )
    } else {
        (0, chars.len())
    };
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < chars.len() { "…" } else { "" };
    let shown: String = chars[from..to].iter().collect();
    writeln!(
        out,
        "{} {bar} {lead}{}{tail}",
        line_no.blue().bold(),
        shown.trim_end()
    )?;
    let offset = start - from + lead.chars().count();
    let carets = "^".repeat(end - start);
    let label = field_sentence(f).map_or_else(String::new, |l| format!(" {l}"));
    writeln!(
        out,
        "{pad} {bar} {}{}{}",
        " ".repeat(offset),
        paint(f.severity, &carets),
        paint(f.severity, &label)
    )?;
    writeln!(out, "{pad} {bar}")?;
    writeln!(
        out,
        "{pad} {} {} {}",
        "=".blue().bold(),
        "why:".bold(),
        f.rule.why
    )?;
    writeln!(
        out,
        "{pad} {} {} {}",
        "=".blue().bold(),
        "help:".bold(),
        f.rule.suggest
    )?;
    if let Some(hit) = &f.frame {
        writeln!(
            out,
            "{pad} {} {} frame `{}` with `{}` (lexicon `{}`)",
            "=".blue().bold(),
            "note:".bold(),
            hit.frame,
            hit.term,
            hit.lexicon
        )?;
    }
    if let Some(m) = &f.model {
        let signals: Vec<String> = m.signals.iter().map(|s| format!("`{s}`")).collect();
        writeln!(
            out,
            "{pad} {} {} the model scores it {:.2}, most on {}",
            "=".blue().bold(),
            "note:".bold(),
            m.score,
            signals.join(", ")
        )?;
    }
    writeln!(out)
}

fn write_summary(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let s = run.summary();
    let files = match s.files_checked {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    // Files not checked are counted in the same line: "in 3 files (2 skipped, 1 failed)".
    let mut not_checked = Vec::new();
    if s.files_skipped > 0 {
        not_checked.push(format!("{} skipped", s.files_skipped));
    }
    if s.files_failed > 0 {
        not_checked.push(format!("{} failed", s.files_failed));
    }
    let files = if not_checked.is_empty() {
        files
    } else {
        format!("{files} ({}, see the notes above)", not_checked.join(", "))
    };
    if s.files_checked == 0 {
        return writeln!(
            out,
            "{} No file was checked{}.",
            "✗".red().bold(),
            if not_checked.is_empty() {
                String::new()
            } else {
                format!(" ({})", not_checked.join(", "))
            }
        );
    }
    if s.findings == 0 {
        return writeln!(
            out,
            "{} No creepy copy found in {files}.",
            "✓".green().bold()
        );
    }
    let mut parts = Vec::new();
    for (n, one, many, sev) in [
        (s.errors, "error", "errors", Severity::Error),
        (s.warnings, "warning", "warnings", Severity::Warning),
        (s.infos, "info", "infos", Severity::Info),
    ] {
        if n > 0 {
            let word = if n == 1 { one } else { many };
            parts.push(paint(sev, &format!("{n} {word}")).to_string());
        }
    }
    let problems = if s.findings == 1 {
        "problem"
    } else {
        "problems"
    };
    writeln!(
        out,
        "Found {} {problems} ({}) in {files}.",
        s.findings.to_string().bold(),
        parts.join(", ")
    )
}
