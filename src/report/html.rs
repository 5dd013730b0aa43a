//! `--format html`: one self-contained page for reviewing a campaign in a browser. It loads
//! nothing: the style sheet is inline, there are no scripts, fonts or images, and a
//! Content-Security-Policy of `default-src 'none'` says so to the browser as well.
//!
//! The page has the run's totals, its notes (skipped, unreadable and missing files, a run that
//! checked nothing), a summary by rule and by file, then one section per file with findings or
//! notes: the file's copy with every finding highlighted in its severity's colour (a `<mark>` with
//! `data-finding` = the finding's index in the run, the same order as `--format json`), and beside
//! it the list of findings with the message, why it is creepy and how to rewrite it.
//!
//! Copy is always escaped: markup and `<script>` in a template are shown as text, never run.
//! Findings that overlap without nesting cannot all be wrapped in the copy; such a finding is
//! highlighted in its entry in the list instead (the entry says so).
//!
//! The page's head holds [`HTML_REPORT_MARK`], by which the linter skips its own reports when one is
//! written into the checked folder (it quotes every phrase it flags).
//!
//! The copy is read again from the file (the scan does not keep whole files in memory); when that
//! fails or the file changed since the scan (or for standard input), each finding's line is shown.

use super::{field_sentence, Emitter, Run};
use crate::finding::Finding;
use crate::outcome::{FileReport, NoteLevel, HTML_REPORT_MARK};
use crate::severity::Severity;
use crate::source::read::{decode_owned, Decoded};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The HTML emitter.
pub struct Html;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A literal CR would become LF in the parsed page (and a highlight across a CRLF line
            // break would no longer hold the text it flags); a reference keeps it.
            '\r' => out.push_str("&#13;"),
            // NUL is a parse error in HTML and is dropped or replaced by browsers anyway.
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --error: #b3261e; --error-bg: #fde7e6; --warning: #8a5a00; --warning-bg: #fff1c7;
  --info: #1a5fb4; --info-bg: #e3eefc; --line: #d8d8de; --muted: #5c5c66; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 2rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d1d22; background: #fafafb; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; }
h3 { font-size: 1.05rem; margin: 0 0 .6rem; word-break: break-all; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
a { color: #1a5fb4; }
.totals { color: var(--muted); margin: 0; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: .3rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f0f3; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: 12px; font-weight: 600; }
.badge.sev-error { color: #fff; background: var(--error); }
.badge.sev-warning { color: #fff; background: var(--warning); }
.badge.sev-info { color: #fff; background: var(--info); }
ul.notes { list-style: none; padding: 0; margin: 0; }
ul.notes li { padding: .35rem .7rem; margin-bottom: .3rem; background: #fff; border-left: 4px solid var(--line); }
ul.notes li.level-error { border-color: var(--error); }
ul.notes li.level-warning { border-color: var(--warning); }
ul.notes li.level-info { border-color: var(--info); }
.level { font-weight: 600; margin-right: .4rem; }
section.file { margin-top: 2rem; padding: 1rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
.file-body { display: grid; grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr); gap: 1.2rem; align-items: start; }
@media (max-width: 900px) { .file-body { grid-template-columns: minmax(0, 1fr); } }
pre.copy { margin: 0; padding: .8rem; background: #f6f6f8; border: 1px solid var(--line); border-radius: 4px;
  white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.55; }
mark { color: inherit; border-radius: 2px; padding: 1px 0; }
mark.sev-error { background: var(--error-bg); box-shadow: inset 0 -2px 0 var(--error); }
mark.sev-warning { background: var(--warning-bg); box-shadow: inset 0 -2px 0 var(--warning); }
mark.sev-info { background: var(--info-bg); box-shadow: inset 0 -2px 0 var(--info); }
mark:target { outline: 2px solid #1d1d22; }
ol.findings { margin: 0; padding: 0; list-style: none; }
ol.findings li { margin: 0 0 .8rem; padding: .5rem .7rem; border-left: 4px solid var(--line); background: #fcfcfd; }
ol.findings li.sev-error { border-color: var(--error); }
ol.findings li.sev-warning { border-color: var(--warning); }
ol.findings li.sev-info { border-color: var(--info); }
ol.findings p { margin: .2rem 0; }
.where { color: var(--muted); font-size: 13px; }
.message { font-weight: 600; }
.matched { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; background: #f6f6f8; padding: 0 .2rem; }
.label { font-weight: 600; }
.fallback { color: var(--muted); font-style: italic; }
footer { margin-top: 3rem; color: var(--muted); font-size: 13px; }
"#;

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

fn level_class(l: NoteLevel) -> &'static str {
    match l {
        NoteLevel::Error => "level-error",
        NoteLevel::Warning => "level-warning",
        NoteLevel::Info => "level-info",
    }
}

/// A finding with its index in the run (its `data-finding`).
struct Indexed<'a> {
    index: usize,
    finding: &'a Finding,
}

/// Reads a file's text again as the scan decoded it, or `None`.
fn read_source(path: &str) -> Option<String> {
    if path == "-" {
        return None;
    }
    match decode_owned(std::fs::read(path).ok()?) {
        Decoded::Text(text, _) => Some(text),
        Decoded::Binary => None,
    }
}

/// True when every finding's range is still in `text` and holds what the scan matched. Findings
/// of creeplint's own rules (`creeplint.unused-directive`...) describe a directive instead of
/// quoting it, so only their range is checked.
fn source_matches(text: &str, findings: &[Indexed<'_>]) -> bool {
    findings.iter().all(|i| {
        let f = i.finding;
        match text.get(f.range.clone()) {
            Some(s) => s == f.matched || f.rule.id.starts_with("creeplint."),
            None => false,
        }
    })
}

fn mark_open(i: &Indexed<'_>, html: &mut String) {
    let f = i.finding;
    let _ = write!(
        html,
        "<mark id=\"f{n}\" class=\"{}\" data-finding=\"{n}\" data-rule=\"{}\" title=\"{} {}: {}\">",
        severity_class(f.severity),
        escape(&f.rule.id),
        f.severity,
        escape(&f.rule.id),
        escape(&f.rule.message),
        n = i.index
    );
}

/// The copy of a file with its findings wrapped in `<mark>`s, nested where findings nest. Returns
/// the indexes of the findings that cross another one and could not be wrapped.
fn highlighted(text: &str, findings: &[Indexed<'_>], html: &mut String) -> Vec<usize> {
    let mut order: Vec<&Indexed<'_>> = findings.iter().collect();
    // Outer before inner: by start, then the longest first.
    order.sort_by_key(|i| {
        (
            i.finding.range.start,
            std::cmp::Reverse(i.finding.range.end),
        )
    });
    let mut open: Vec<usize> = Vec::new(); // end offsets of the open marks
    let mut crossing = Vec::new();
    let mut at = 0;
    html.push_str("<pre class=\"copy\">");
    for i in order {
        let range = &i.finding.range;
        while let Some(&end) = open.last() {
            if end > range.start {
                break;
            }
            html.push_str(&escape(&text[at..end]));
            html.push_str("</mark>");
            at = end;
            open.pop();
        }
        if open.last().is_some_and(|&end| range.end > end) {
            crossing.push(i.index);
            continue;
        }
        html.push_str(&escape(&text[at..range.start]));
        at = range.start;
        mark_open(i, html);
        open.push(range.end);
    }
    while let Some(end) = open.pop() {
        html.push_str(&escape(&text[at..end]));
        html.push_str("</mark>");
        at = end;
    }
    html.push_str(&escape(&text[at..]));
    html.push_str("</pre>\n");
    crossing
}

/// Without the file's text: each finding's line (when the scan kept it) with the match marked.
fn line_by_line(findings: &[Indexed<'_>], html: &mut String) {
    html.push_str(
        "<p class=\"fallback\">The file could not be read again for display (standard input, or it changed since the scan): each finding's line is shown.</p>\n",
    );
    for i in findings {
        let f = i.finding;
        let line: &str = &f.line_text;
        let start = line
            .char_indices()
            .nth(f.start.column.saturating_sub(1))
            .map(|(b, _)| b);
        let parts = start.and_then(|s| {
            let rest = line.get(s..)?;
            rest.starts_with(f.matched.as_str())
                .then(|| (&line[..s], &line[s + f.matched.len()..]))
        });
        let (before, after) = parts.unwrap_or(("", ""));
        html.push_str("<pre class=\"copy\">");
        html.push_str(&escape(before));
        mark_open(i, html);
        html.push_str(&escape(&f.matched));
        html.push_str("</mark>");
        html.push_str(&escape(after));
        html.push_str("</pre>\n");
    }
}

fn finding_entry(i: &Indexed<'_>, crossing: bool, html: &mut String) {
    let f = i.finding;
    let _ = write!(
        html,
        "<li class=\"{}\" id=\"finding-{n}\"><p class=\"where\"><a href=\"#f{n}\">line {}, column {}</a> <span class=\"badge {}\">{}</span> <code>{}</code></p>\n<p class=\"message\">{}</p>\n",
        severity_class(f.severity),
        f.start.line,
        f.start.column,
        severity_class(f.severity),
        f.severity,
        escape(&f.rule.id),
        escape(&f.rule.message),
        n = i.index
    );
    if crossing {
        html.push_str("<p>It overlaps another finding in the copy; its text: ");
        mark_open(i, html);
        html.push_str(&escape(&f.matched));
        html.push_str("</mark></p>\n");
    } else {
        let _ = writeln!(
            html,
            "<p>Matched: <span class=\"matched\">{}</span></p>",
            escape(&f.matched)
        );
    }
    if let Some(fields) = field_sentence(f) {
        let _ = writeln!(html, "<p>Note: {}</p>", escape(&fields));
    }
    let _ = write!(
        html,
        "<p><span class=\"label\">Why it is creepy:</span> {}</p>\n<p><span class=\"label\">How to rewrite:</span> {}</p></li>\n",
        escape(&f.rule.why),
        escape(&f.rule.suggest)
    );
}

/// One file's section.
fn file_section(number: usize, file: &FileReport, findings: &[Indexed<'_>], html: &mut String) {
    let _ = writeln!(
        html,
        "<section class=\"file\" id=\"file-{number}\"><h3>{}</h3>",
        escape(&file.path)
    );
    if !file.notes.is_empty() {
        html.push_str("<ul class=\"notes\">\n");
        for note in &file.notes {
            let _ = writeln!(
                html,
                "<li class=\"{}\"><span class=\"level\">{}</span>{}</li>",
                level_class(note.level()),
                note.level().as_str(),
                escape(&note.to_string())
            );
        }
        html.push_str("</ul>\n");
    }
    if !findings.is_empty() {
        html.push_str("<div class=\"file-body\"><div>");
        let crossing = match read_source(&file.path) {
            Some(text) if source_matches(&text, findings) => highlighted(&text, findings, html),
            _ => {
                line_by_line(findings, html);
                Vec::new()
            }
        };
        html.push_str("</div>\n<ol class=\"findings\">\n");
        for i in findings {
            finding_entry(i, crossing.contains(&i.index), html);
        }
        html.push_str("</ol></div>\n");
    }
    html.push_str("</section>\n");
}

fn summary_tables(run: &Run, shown: &[(usize, &FileReport)], html: &mut String) {
    // By rule: most findings first.
    let mut by_rule: BTreeMap<(&str, Severity), (usize, &str)> = BTreeMap::new();
    for f in run.findings() {
        by_rule
            .entry((f.rule.id.as_str(), f.severity))
            .or_insert((0, f.rule.message.as_str()))
            .0 += 1;
    }
    let mut rows: Vec<_> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    html.push_str("<section id=\"by-rule\"><h2>By rule</h2>\n");
    if rows.is_empty() {
        html.push_str("<p>No findings.</p>\n");
    } else {
        html.push_str("<table><thead><tr><th>Rule</th><th>Severity</th><th>Findings</th><th>Message</th></tr></thead><tbody>\n");
        for ((rule, severity), (count, message)) in rows {
            let _ = writeln!(
                html,
                "<tr><td><code>{}</code></td><td><span class=\"badge {}\">{severity}</span></td><td class=\"n\">{count}</td><td>{}</td></tr>",
                escape(rule),
                severity_class(severity),
                escape(message)
            );
        }
        html.push_str("</tbody></table>\n");
    }
    html.push_str("</section>\n<section id=\"by-file\"><h2>By file</h2>\n");
    if shown.is_empty() {
        html.push_str("<p>No file has findings or notes.</p>\n");
    } else {
        html.push_str("<table><thead><tr><th>File</th><th>Errors</th><th>Warnings</th><th>Infos</th><th>Notes</th></tr></thead><tbody>\n");
        for (number, file) in shown {
            let count = |s: Severity| file.findings.iter().filter(|f| f.severity == s).count();
            let _ = writeln!(
                html,
                "<tr><td><a href=\"#file-{number}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&file.path),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
                file.notes.len()
            );
        }
        html.push_str("</tbody></table>\n");
    }
    html.push_str("</section>\n");
}

impl Emitter for Html {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let mut html = String::new();
        html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // How the linter knows its own report, should one be written into the checked folder.
        html.push_str(HTML_REPORT_MARK);
        html.push('\n');
        // Nothing may load or run: the page is one file, and copy is data.
        html.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
        html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<link rel=\"icon\" href=\"data:,\">\n<title>creeplint report</title>\n<style>");
        html.push_str(STYLE);
        html.push_str("</style>\n</head>\n<body>\n");

        let s = run.summary();
        let _ = writeln!(
            html,
            "<header><h1>creeplint report</h1><p class=\"totals\" id=\"totals\">{} finding(s): {} error(s), {} warning(s), {} info(s). {} file(s) checked, {} skipped, {} not read.</p></header>",
            s.findings, s.errors, s.warnings, s.infos, s.files_checked, s.files_skipped, s.files_failed
        );

        let notes: Vec<_> = run.all_notes().collect();
        if !notes.is_empty() {
            html.push_str("<section id=\"notes\"><h2>Notes</h2><ul class=\"notes\">\n");
            for n in &notes {
                let level = n.note.level();
                let place = n
                    .path
                    .map_or_else(String::new, |p| format!("<code>{}</code>: ", escape(p)));
                let _ = writeln!(
                    html,
                    "<li class=\"{}\" data-kind=\"{}\"><span class=\"level\">{}</span>{place}{}</li>",
                    level_class(level),
                    n.note.code(),
                    level.as_str(),
                    escape(&n.note.to_string())
                );
            }
            html.push_str("</ul></section>\n");
        }

        let shown: Vec<(usize, &FileReport)> = run
            .files
            .iter()
            .filter(|f| !f.findings.is_empty() || !f.notes.is_empty())
            .enumerate()
            .collect();
        summary_tables(run, &shown, &mut html);
        out.write_all(html.as_bytes())?;

        html.clear();
        let mut index = 0;
        let mut shown = shown.into_iter().peekable();
        html.push_str("<section id=\"files\"><h2>Files</h2>\n");
        for file in &run.files {
            let findings: Vec<Indexed<'_>> = file
                .findings
                .iter()
                .map(|finding| {
                    index += 1;
                    Indexed {
                        index: index - 1,
                        finding,
                    }
                })
                .collect();
            if let Some((number, _)) = shown.next_if(|(_, f)| std::ptr::eq(*f, file)) {
                file_section(number, file, &findings, &mut html);
                // Each file is written as it is done: a large run's page is not held whole.
                out.write_all(html.as_bytes())?;
                html.clear();
            }
        }
        let _ = write!(
            html,
            "</section>\n<footer>Made by creeplint {}. This page loads nothing and runs no scripts.</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        out.write_all(html.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
