//! The quick fix that suppresses a finding: a `creeplint-disable-next-line RULE` directive on a
//! line of its own above the finding, inside a comment of the file's language (the syntaxes
//! [`crate::suppress`] reads; docs/ci.md lists them).
//!
//! A template file gets its template language's comment, which is stripped when the template is
//! rendered, before the markup's (an HTML comment would be sent to every recipient). Each
//! candidate edit is checked by linting the edited text: only one that really removes the finding
//! is offered, so a spot where a comment does not work (CSV, an HTML attribute, Markdown front
//! matter) gets the next style that does, or no action at all.

use crate::finding::Finding;
use crate::source::Format;
use std::path::Path;

/// One comment syntax: what goes before and after the directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// The comment's opener, such as `<!--`.
    pub open: &'static str,
    /// Its closer, empty for a comment that runs to the end of the line.
    pub close: &'static str,
}

const LIQUID: Style = Style {
    open: "{% comment %}",
    close: "{% endcomment %}",
};
const JINJA: Style = Style {
    open: "{#",
    close: "#}",
};
const HANDLEBARS: Style = Style {
    open: "{{!",
    close: "}}",
};
const AMPSCRIPT: Style = Style {
    open: "%%[ /*",
    close: "*/ ]%%",
};
const HTML: Style = Style {
    open: "<!--",
    close: "-->",
};
const HASH: Style = Style {
    open: "#",
    close: "",
};
const SLASHES: Style = Style {
    open: "//",
    close: "",
};

/// The comment styles to try for a file, best first: its template language's, then its format's.
pub fn styles(path: &Path, format: Format) -> Vec<Style> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut styles = match ext.as_str() {
        "liquid" => vec![LIQUID],
        "jinja" | "jinja2" | "j2" | "njk" | "nunjucks" | "twig" | "hubl" => vec![JINJA],
        "hbs" | "handlebars" | "mustache" => vec![HANDLEBARS],
        "amp" | "ampscript" => vec![AMPSCRIPT],
        _ => Vec::new(),
    };
    styles.extend(match format {
        Format::Html | Format::Markdown => &[HTML][..],
        Format::Yaml | Format::Text => &[HASH][..],
        Format::Json => &[SLASHES][..],
        Format::Csv => &[][..],
    });
    styles
}

/// An insertion into the text: `text` at byte `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// Byte offset.
    pub at: usize,
    /// What to insert (a whole line, with its line ending).
    pub text: String,
}

impl Insertion {
    /// `text` with the insertion made.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.text.len());
        out.push_str(&text[..self.at]);
        out.push_str(&self.text);
        out.push_str(&text[self.at..]);
        out
    }
}

/// The directive line for `finding` in `style`, inserted at the start of the finding's line with
/// its indentation and line ending.
pub fn insertion(text: &str, finding: &Finding, style: Style) -> Insertion {
    let start = finding.range.start.min(text.len());
    // The library's lines end at `\n` only; its "next line" is the line after that `\n`.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent_len = text[line_start..]
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(0);
    let indent = &text[line_start..line_start + indent_len.min(start - line_start)];
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let eol = if text[..line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let directive = format!("creeplint-disable-next-line {}", finding.rule.id);
    let comment = if style.close.is_empty() {
        format!("{} {directive}", style.open)
    } else {
        format!("{} {directive} {}", style.open, style.close)
    };
    Insertion {
        at: line_start,
        text: format!("{indent}{comment}{eol}"),
    }
}

/// The first insertion, trying `styles` in order, after which `check` (the linter on the edited
/// text) no longer reports `finding` and reports nothing new; `None` when no comment style works.
pub fn verified_insertion(
    text: &str,
    finding: &Finding,
    styles: &[Style],
    check: impl Fn(String) -> Vec<Finding>,
) -> Option<Insertion> {
    let before = check(text.to_string()).len();
    styles.iter().find_map(|&style| {
        let insertion = insertion(text, finding, style);
        let moved = finding.range.start + insertion.text.len();
        let after = check(insertion.apply(text));
        let still_there = after
            .iter()
            .any(|f| f.rule.id == finding.rule.id && f.range.start == moved);
        (!still_there && after.len() < before).then_some(insertion)
    })
}
