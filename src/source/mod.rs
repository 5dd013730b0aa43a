//! The source layer: turns a file into a [`Document`], a list of [`Segment`]s of normalised copy with
//! an exact map back to the original line and column.
//!
//! Each format has its own module with one job: [`text`] (plain text, SMS drafts), [`markdown`] (with
//! front matter), [`html`] (HTML email, MJML), [`json`], [`yaml`] and [`csv`] (files of messages).
//! Every format understands template merge tags through [`tagged`] and [`template`].

pub mod condition;
pub mod csv;
pub mod entities;
pub mod html;
pub mod json;
pub mod markdown;
pub mod read;
pub mod segment;
pub mod tagged;
pub mod template;
pub mod text;
pub mod value;
pub mod yaml;

use crate::fields::FieldClassifier;
use crate::position::LineIndex;
pub use segment::{FieldRef, Segment, SegmentBuilder};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;
use template::Aliases;

/// The formats creeplint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: paragraphs separated by blank lines.
    Text,
    /// Markdown, with optional YAML front matter.
    Markdown,
    /// HTML email or MJML.
    Html,
    /// A JSON file of messages.
    Json,
    /// A YAML file of messages.
    Yaml,
    /// A CSV file of messages.
    Csv,
}

/// Extensions of template languages whose files may hold HTML, Markdown or plain text: the format is
/// decided by content.
const TEMPLATE_EXTENSIONS: &[&str] = &[
    "liquid",
    "jinja",
    "jinja2",
    "j2",
    "njk",
    "nunjucks",
    "hbs",
    "handlebars",
    "mustache",
    "hubl",
    "amp",
    "ampscript",
    "tpl",
    "twig",
    "erb",
    "ejs",
];

impl Format {
    /// The format's name as used in output and config.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Csv => "csv",
        }
    }

    /// True when files with this path's extension are campaign copy that a directory walk checks.
    pub fn is_copy_path(path: &Path) -> bool {
        let Some(ext) = extension(path) else {
            return false;
        };
        Self::from_extension(&ext).is_some() || TEMPLATE_EXTENSIONS.contains(&ext.as_str())
    }

    /// The format for a known extension (template extensions excluded: see [`Format::detect`]).
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext {
            "txt" | "text" | "sms" => Format::Text,
            "md" | "markdown" | "mdx" => Format::Markdown,
            "html" | "htm" | "xhtml" | "mjml" | "eml" => Format::Html,
            "json" => Format::Json,
            "yaml" | "yml" => Format::Yaml,
            "csv" => Format::Csv,
            _ => return None,
        })
    }

    /// The format of a short message given on its own (a corpus row, a rule's example): HTML
    /// when it holds markup (see [`html::holds_markup`]), else plain text.
    pub fn of_snippet(text: &str) -> Format {
        if html::holds_markup(text) {
            Format::Html
        } else {
            Format::Text
        }
    }

    /// The format of a file: by extension where it decides, else by content (template files hold
    /// HTML, Markdown or plain text).
    pub fn detect(path: &Path, text: &str) -> Format {
        if let Some(f) = extension(path).and_then(|e| Self::from_extension(&e)) {
            return f;
        }
        sniff(text)
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Guesses the format of template or extension-less text from its content.
pub fn sniff(text: &str) -> Format {
    let head = &text[..floor_char_boundary(text, 4096)];
    if head.starts_with("---\n") || head.starts_with("---\r\n") {
        return Format::Markdown;
    }
    const HTML_MARKERS: &[&str] = &[
        "<html",
        "<body",
        "<p>",
        "<p ",
        "<div",
        "<table",
        "<td",
        "<span",
        "<h1",
        "<h2",
        "<br",
        "<a ",
        "<img",
        "<mjml",
        "<ul",
        "<li",
        "<!doctype",
    ];
    // Every marker starts with `<`: one pass over the `<`s, comparing ignoring ASCII case.
    let bytes = head.as_bytes();
    let is_html = memchr::memchr_iter(b'<', bytes).any(|i| {
        HTML_MARKERS.iter().any(|m| {
            bytes
                .get(i..i + m.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(m.as_bytes()))
        })
    });
    if is_html {
        Format::Html
    } else {
        Format::Text
    }
}

/// The largest char boundary at or below `at`.
pub(crate) fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A comment in the source (HTML, Markdown, template or `#` comment) that may carry an inline
/// `creeplint-` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Byte range of the comment's text in the original file.
    pub range: Range<usize>,
    /// The comment's text without delimiters.
    pub text: String,
}

/// Per-document state shared by the extractors.
#[derive(Debug)]
pub struct ExtractCtx<'c> {
    /// Classifies merge fields into kinds.
    pub classifier: &'c FieldClassifier,
    /// Template aliases (`for` loops, `assign`) seen so far.
    pub aliases: Aliases,
    /// Comments seen so far.
    pub comments: Vec<Comment>,
    /// Template conditions on fields of some kind, seen so far.
    pub conditions: Vec<condition::Condition>,
    /// Problems with the file's syntax (byte offset, message): what could be read was extracted.
    pub warnings: Vec<(usize, String)>,
}

/// Syntax warnings kept per file: the first few say enough, and a broken file must not flood the
/// output with one per line.
pub const MAX_WARNINGS: usize = 5;

impl<'c> ExtractCtx<'c> {
    /// Records a syntax problem at byte `at` (the file was still read); only the first
    /// [`MAX_WARNINGS`] are kept.
    pub fn warn(&mut self, at: usize, message: impl Into<String>) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push((at, message.into()));
        }
    }

    /// Fresh state for one document.
    pub fn new(classifier: &'c FieldClassifier) -> Self {
        Self {
            classifier,
            aliases: Aliases::default(),
            comments: Vec::new(),
            conditions: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// A file turned into scannable copy.
#[derive(Debug)]
pub struct Document {
    /// The file's decoded text (original line and column numbers refer to it).
    pub text: String,
    /// Its format.
    pub format: Format,
    /// Stretches of copy; phrases never match across two of them.
    pub segments: Vec<Segment>,
    /// Comments that may hold inline directives.
    pub comments: Vec<Comment>,
    /// Template conditions (`{% if %}`, `{{#if}}`, AMPscript `IF`) that test fields of some kind.
    pub conditions: Vec<condition::Condition>,
    /// Syntax problems found while extracting (byte offset, message); the rest was still read.
    pub warnings: Vec<(usize, String)>,
    /// Line starts of `text`, indexed on first use.
    pub lines: LazyLines,
    /// The raw texts of the layouts and partials it pulls in from the checked tree (see
    /// [`crate::links`]): where its opt-out may live. Empty until the linter fills it.
    pub linked: Vec<String>,
}

impl Document {
    /// Extracts the copy of `text` read as `format`.
    pub fn parse(text: String, format: Format, classifier: &FieldClassifier) -> Document {
        let mut ctx = ExtractCtx::new(classifier);
        let segments = match format {
            Format::Markdown => markdown::extract(&text, &mut ctx),
            Format::Text => text::extract(&text, &mut ctx),
            Format::Html => html::extract(&text, &mut ctx),
            Format::Json => json::extract(&text, &mut ctx),
            Format::Yaml => yaml::extract(&text, &mut ctx),
            Format::Csv => csv::extract(&text, &mut ctx),
        };
        Document {
            format,
            segments,
            comments: ctx.comments,
            conditions: ctx.conditions,
            warnings: ctx.warnings,
            lines: LazyLines::default(),
            linked: Vec::new(),
            text,
        }
    }
}

impl Document {
    /// True when some of the original byte `range` lies in the copy chosen by a template
    /// condition on a field of one of `kinds` (a rule's `inside`).
    pub fn inside_branch(&self, range: &Range<usize>, kinds: &[String]) -> bool {
        self.conditions
            .iter()
            .any(|c| c.tests_kind(kinds) && c.chooses(range))
    }
}

/// A [`LineIndex`] built the first time a position is asked for: most files have no findings,
/// warnings or directives, and indexing every line of every file is then wasted work.
#[derive(Debug, Default)]
pub struct LazyLines(OnceLock<LineIndex>);

impl LazyLines {
    /// The index of `text` (which must be the same text on every call).
    pub fn of(&self, text: &str) -> &LineIndex {
        self.0.get_or_init(|| LineIndex::new(text))
    }

    /// [`LineIndex::position`].
    pub fn position(&self, text: &str, offset: usize) -> crate::position::Position {
        self.of(text).position(text, offset)
    }

    /// [`LineIndex::line_range`].
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        self.of(text).line_range(text, line)
    }
}

/// Byte ranges of the lines of `text`, without their line endings.
pub fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    let len = text.len();
    std::iter::from_fn(move || {
        if start > len || (start == len && len > 0 && text.ends_with('\n')) {
            return None;
        }
        let end = text[start..].find('\n').map_or(len, |i| start + i);
        let line_end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        let range = start..line_end;
        start = end + 1;
        Some(range)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ranges_handle_crlf_and_trailing_newline() {
        let t = "a\r\nbb\n\nc\n";
        let lines: Vec<&str> = line_ranges(t).map(|r| &t[r]).collect();
        assert_eq!(lines, vec!["a", "bb", "", "c"]);
        assert_eq!(line_ranges("").count(), 1);
    }

    #[test]
    fn detects_by_extension_then_content() {
        assert_eq!(Format::detect(Path::new("a.md"), ""), Format::Markdown);
        assert_eq!(
            Format::detect(Path::new("a.liquid"), "Hi {{ x }}"),
            Format::Text
        );
        assert_eq!(
            Format::detect(Path::new("a.jinja"), "<p>Hi</p>"),
            Format::Html
        );
        assert_eq!(
            Format::detect(Path::new("a.hbs"), "{{x}}\n<TABLE><TR><TD>Hi"),
            Format::Html
        );
        assert_eq!(
            Format::detect(Path::new("a.hbs"), "5 <3 you, {{x}} <"),
            Format::Text
        );
        assert!(Format::is_copy_path(Path::new("x/y.hbs")));
        assert!(!Format::is_copy_path(Path::new("x/y.rs")));
    }
}
