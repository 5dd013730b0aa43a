//! What the editor shows: findings and syntax warnings as diagnostics, a finding's hover, and
//! broken configs and packs as diagnostics on the broken file.

use super::utf16::{utf16_column, utf16_len, LineMap};
use crate::error::Error;
use crate::finding::Finding;
use crate::severity::Severity;
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "creeplint";

/// Code of a diagnostic about the file's syntax (what could be read was checked).
pub const SYNTAX: &str = "creeplint.syntax";

/// Code of a diagnostic saying that the file was not checked, and why.
pub const NOT_CHECKED: &str = "creeplint.not-checked";

/// Code of a diagnostic on a broken config or pack file.
pub const LOAD_ERROR: &str = "creeplint.load-error";

/// The diagnostic of a finding in `text`.
pub fn of_finding(finding: &Finding, text: &str, lines: &LineMap) -> Diagnostic {
    Diagnostic {
        range: range_of(text, lines, finding.range.clone()),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.id.clone())),
        source: Some(SOURCE.to_string()),
        message: finding.rule.message.clone(),
        ..Diagnostic::default()
    }
}

/// The LSP range of a byte range of `text`.
pub fn range_of(text: &str, lines: &LineMap, range: std::ops::Range<usize>) -> Range {
    Range::new(
        lines.position(text, range.start),
        lines.position(text, range.end),
    )
}

/// A syntax warning at byte `at` (the rest of the file was still checked).
pub fn of_warning(
    at: usize,
    message: &str,
    format: &str,
    text: &str,
    lines: &LineMap,
) -> Diagnostic {
    let start = lines.position(text, at);
    Diagnostic {
        range: Range::new(start, start),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String(SYNTAX.to_string())),
        source: Some(SOURCE.to_string()),
        message: format!("{message} (read as {format}; the rest of the file was checked)"),
        ..Diagnostic::default()
    }
}

/// A diagnostic on the first line saying the file was not checked.
pub fn not_checked(message: String, severity: DiagnosticSeverity, text: &str) -> Diagnostic {
    let first_line = text.lines().next().unwrap_or("");
    Diagnostic {
        range: Range::new(
            Position::new(0, 0),
            Position::new(0, u32::try_from(utf16_len(first_line)).unwrap_or(0)),
        ),
        severity: Some(severity),
        code: Some(NumberOrString::String(NOT_CHECKED.to_string())),
        source: Some(SOURCE.to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The message on a document whose config or packs failed to load.
pub fn not_loaded_message(errors: &[Error]) -> String {
    let mut message = String::from(
        "creeplint did not check this file: its configuration or rule packs failed to load:",
    );
    for e in errors.iter().take(3) {
        message.push_str("\n- ");
        message.push_str(&e.to_string());
    }
    if errors.len() > 3 {
        message.push_str(&format!("\n- and {} more", errors.len() - 3));
    }
    message
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The hover of a finding: its rule, why the phrase is creepy and how to rewrite it, in Markdown.
pub fn hover_text(finding: &Finding) -> String {
    let rule = &finding.rule;
    let mut text = format!(
        "**{}** `{}` ({})\n\n{}\n\n**Why:** {}\n\n**Rewrite:** {}",
        SOURCE,
        rule.id,
        finding.severity.as_str(),
        rule.message.trim(),
        rule.why.trim(),
        rule.suggest.trim()
    );
    if !finding.fields.is_empty() {
        let fields: Vec<String> = finding
            .fields
            .iter()
            .map(|f| format!("`{}` ({})", f.variable, f.kinds.join(", ")))
            .collect();
        text.push_str(&format!("\n\n**Merge fields:** {}", fields.join(", ")));
    }
    text.push_str(&format!(
        "\n\n`creeplint explain {}` shows examples.",
        rule.id
    ));
    text
}

/// Diagnostics on the files that `errors` point at (configs and packs), by file. `read` gives a
/// file's text, to place a line and character column exactly.
pub fn of_load_errors<'e>(
    errors: impl IntoIterator<Item = &'e Error>,
    read: impl Fn(&Path) -> Option<String>,
) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for e in errors {
        let (path, line, column, message) = match e {
            Error::Pack {
                location,
                rule,
                message,
            } => (
                location.path.clone(),
                location.line,
                location.column,
                match rule {
                    Some(rule) => format!("invalid rule pack: rule `{rule}`: {message}"),
                    None => format!("invalid rule pack: {message}"),
                },
            ),
            Error::Config { location, message } => (
                location.path.clone(),
                location.line,
                location.column,
                format!("invalid configuration: {message}"),
            ),
            Error::Io { path, source } => (path.clone(), None, None, source.to_string()),
            Error::Usage(_) => continue,
        };
        let path = crate::config::absolute(&path);
        let text = read(&path).unwrap_or_default();
        let range = match line {
            Some(line) => {
                let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
                let n = u32::try_from(line - 1).unwrap_or(0);
                let start = column.map_or(0, |c| utf16_column(line_text, c));
                let end = u32::try_from(utf16_len(line_text)).unwrap_or(0);
                Range::new(Position::new(n, start), Position::new(n, end.max(start)))
            }
            None => Range::new(
                Position::new(0, 0),
                Position::new(
                    0,
                    u32::try_from(utf16_len(text.lines().next().unwrap_or(""))).unwrap_or(0),
                ),
            ),
        };
        let diagnostic = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(LOAD_ERROR.to_string())),
            source: Some(SOURCE.to_string()),
            message,
            ..Diagnostic::default()
        };
        // A pack that two configs load fails in both: one diagnostic is enough.
        let on_file = by_file.entry(path).or_default();
        if !on_file.contains(&diagnostic) {
            on_file.push(diagnostic);
        }
    }
    by_file
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    #[test]
    fn a_load_error_lands_on_its_line_in_utf16_units() {
        let pack = "[pack]\nname = \"x\"\nseverity = \"loud\"\n";
        let emoji = "x = \"🎉\" y\n";
        let errors = [
            Error::pack(
                Location::at_offset("/w/house.toml", pack, pack.find("loud").unwrap()),
                None,
                "bad",
            ),
            Error::config(Location::file("/w/creeplint.toml"), "no line"),
            Error::pack(
                Location::at_offset("/w/e.toml", emoji, emoji.find('y').unwrap()),
                Some("r"),
                "after an emoji",
            ),
        ];
        let files = |p: &Path| -> Option<String> {
            Some(match p.to_str()? {
                "/w/house.toml" => pack.to_string(),
                "/w/creeplint.toml" => "select = []\n".to_string(),
                _ => emoji.to_string(),
            })
        };
        let by_file = of_load_errors(&errors, files);
        let house = &by_file[Path::new("/w/house.toml")][0];
        assert_eq!(
            house.range,
            Range::new(Position::new(2, 12), Position::new(2, 17))
        );
        assert_eq!(house.message, "invalid rule pack: bad");
        let config = &by_file[Path::new("/w/creeplint.toml")][0];
        assert_eq!(
            config.range,
            Range::new(Position::new(0, 0), Position::new(0, 11))
        );
        assert_eq!(config.message, "invalid configuration: no line");
        // `y` is character column 9 (8 characters before it) but UTF-16 unit 9: 🎉 counts two.
        assert_eq!(
            errors[2].to_string(),
            "/w/e.toml:1:9: invalid rule pack: rule `r`: after an emoji"
        );
        let after = &by_file[Path::new("/w/e.toml")][0];
        assert_eq!(after.range.start, Position::new(0, 9));
        assert_eq!(after.message, "invalid rule pack: rule `r`: after an emoji");
    }
}
