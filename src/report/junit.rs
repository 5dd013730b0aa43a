//! `--format junit`: JUnit XML, which Jenkins (`junit` step), GitLab (`artifacts:reports:junit`),
//! Azure Pipelines and most CI servers show as a test report.
//!
//! One `<testsuite>` per file with findings or notes, named by the file's path; each finding is a
//! `<testcase>` named `RULE at LINE:COLUMN` whose `<failure>` (`type` = the severity) carries the
//! message, the line, why it is creepy and the suggested rewrite. A file that was not checked is a
//! `<testcase>` that is `<skipped>`, or in `<error>` when it could not be read at all; other notes
//! about a file are in its suite's `<system-err>`. A last suite, `creeplint`, has one test case
//! for the run: it passes with the number of files checked, or is in `<error>` when a note about
//! the run is an error (no file checked). The document follows the Jenkins xunit plugin's
//! `junit-10.xsd`.

use super::{field_sentence, Emitter, Run};
use crate::finding::Finding;
use crate::outcome::{Note, NoteLevel};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The JUnit emitter.
pub struct Junit;

/// Escapes text for XML character data and attribute values. Characters XML 1.0 cannot hold at all
/// (most C0 controls, lone surrogates cannot occur in a `str`, U+FFFE and U+FFFF) become U+FFFD:
/// copy may contain them, and a report a CI server cannot parse would hide every finding.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as references so that attribute values keep their line breaks and tabs.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A finding's test case.
fn finding_case(f: &Finding, classname: &str, xml: &mut String) {
    let mut message = f.rule.message.clone();
    if let Some(note) = field_sentence(f) {
        message = format!("{message} ({note})");
    }
    let body = format!(
        "{}:{}:{}: {}[{}] {}\nmatched: {}\nwhy: {}\nhelp: {}",
        f.path,
        f.start.line,
        f.start.column,
        f.severity,
        f.rule.id,
        message,
        f.matched,
        f.rule.why,
        f.rule.suggest
    );
    let _ = write!(
        xml,
        "    <testcase name=\"{} at {}:{}\" classname=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
        escape(&f.rule.id),
        f.start.line,
        f.start.column,
        escape(classname),
        f.severity,
        escape(&message),
        escape(&body)
    );
}

/// The test case of a note that says a file or the run was not checked, or `None` for a note
/// that is only worth a line of `<system-err>`.
fn note_case(note: &Note, classname: &str) -> Option<String> {
    let element = if note.level() == NoteLevel::Error {
        "error"
    } else if note.skips_file() {
        "skipped"
    } else {
        return None;
    };
    let text = escape(&note.to_string());
    Some(format!(
        "    <testcase name=\"creeplint.{}\" classname=\"{}\">\n      <{element} type=\"{}\" message=\"{text}\">{text}</{element}>\n    </testcase>\n",
        note.code(),
        escape(classname),
        note.code(),
    ))
}

/// Counts of one suite.
#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

/// Writes one suite: its test cases, then its notes' lines in `<system-err>`.
fn suite(name: &str, cases: &str, counts: &Counts, err: &[String], xml: &mut String) {
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        escape(name),
        counts.tests,
        counts.failures,
        counts.errors,
        counts.skipped
    );
    xml.push_str(cases);
    if !err.is_empty() {
        let _ = writeln!(
            xml,
            "    <system-err>{}</system-err>",
            escape(&err.join("\n"))
        );
    }
    xml.push_str("  </testsuite>\n");
}

/// Adds a note's test case (if it has one) to `cases`, or its line to `err`.
fn place_note(
    note: &Note,
    classname: &str,
    cases: &mut String,
    counts: &mut Counts,
    err: &mut Vec<String>,
) {
    match note_case(note, classname) {
        Some(case) => {
            cases.push_str(&case);
            counts.tests += 1;
            if note.level() == NoteLevel::Error {
                counts.errors += 1;
            } else {
                counts.skipped += 1;
            }
        }
        None => err.push(format!("{}: {note}", note.level().as_str())),
    }
}

impl Emitter for Junit {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let mut body = String::new();
        let mut total = Counts::default();
        for file in &run.files {
            if file.findings.is_empty() && file.notes.is_empty() {
                continue;
            }
            let mut cases = String::new();
            let mut counts = Counts::default();
            let mut err = Vec::new();
            for f in &file.findings {
                finding_case(f, &file.path, &mut cases);
                counts.tests += 1;
                counts.failures += 1;
            }
            for note in &file.notes {
                place_note(note, &file.path, &mut cases, &mut counts, &mut err);
            }
            suite(&file.path, &cases, &counts, &err, &mut body);
            total.add(&counts);
        }
        // The run's own suite: always one test case, so that a clean run is a passing test rather
        // than an empty report (which Jenkins treats as a failure to find results).
        let mut cases = String::new();
        let mut counts = Counts::default();
        let mut err = Vec::new();
        for note in &run.notes {
            place_note(note, "creeplint", &mut cases, &mut counts, &mut err);
        }
        let summary = run.summary();
        if counts.errors == 0 {
            let _ = writeln!(
                cases,
                "    <testcase name=\"checked {} file(s): {} finding(s)\" classname=\"creeplint\"/>",
                summary.files_checked, summary.findings
            );
            counts.tests += 1;
        }
        suite("creeplint", &cases, &counts, &err, &mut body);
        total.add(&counts);

        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"creeplint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            total.tests, total.failures, total.errors
        )?;
        out.write_all(body.as_bytes())?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape("<b>\"Tom & Jerry's\"</b>\n\u{0}\u{1b}\u{ffff}"),
            "&lt;b&gt;&quot;Tom &amp; Jerry&apos;s&quot;&lt;/b&gt;&#10;\u{fffd}\u{fffd}\u{fffd}"
        );
    }
}
