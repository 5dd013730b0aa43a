//! Text with its template tags found once, so that every source can push byte ranges of copy into
//! segments without re-scanning or splitting a tag in half.

use super::condition::{block_tags, BlockTag, Blocks, Condition};
use super::segment::{Segment, SegmentBuilder};
use super::template::{scan_tags, Aliases, Tag, TagKind};
use super::{Comment, ExtractCtx};
use std::ops::Range;

/// Parts of variable and argument names whose string values are sent to the reader: a subject set
/// in `{% assign subject = "..." %}` or a title passed as `{{#> layout title="..." }}` is copy.
const COPY_NAMES: &[&str] = &[
    "subject",
    "title",
    "heading",
    "headline",
    "preheader",
    "preview",
    "message",
    "body",
    "text",
    "greeting",
    "intro",
    "cta",
    "label",
    "alt",
    "copy",
    "description",
    "caption",
    "tagline",
    "summary",
];

/// What an escape decodes to, without allocating: a fixed text (`&amp;`, `\\n`) or one character
/// (`&#36;`, `\\u00a3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unescaped {
    /// A fixed text (possibly empty: a YAML line continuation).
    Str(&'static str),
    /// One character.
    Char(char),
}

impl Unescaped {
    /// The decoded text; a character is encoded into `buf`.
    pub fn as_str<'b>(&self, buf: &'b mut [u8; 4]) -> &'b str {
        match *self {
            Unescaped::Str(s) => s,
            Unescaped::Char(c) => c.encode_utf8(buf),
        }
    }
}

impl std::fmt::Display for Unescaped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str(&mut [0; 4]))
    }
}

/// A text (a whole file, or a value inside one) whose template tags are known.
#[derive(Debug)]
pub struct TaggedText<'a> {
    /// The text.
    pub text: &'a str,
    /// Byte offset of `text` in the original file.
    pub base: usize,
    /// The template tags in `text`, sorted and not overlapping; ranges are relative to `text`.
    pub tags: Vec<Tag>,
}

/// Records a logic tag that tests fields of some kind (a branch on what the sender knows);
/// returns its index in `ctx.conditions`.
fn record_condition(
    tag: &str,
    events: &[BlockTag],
    at: usize,
    ctx: &mut ExtractCtx,
) -> Option<usize> {
    let fields: Vec<(String, Vec<String>)> = events
        .iter()
        .flat_map(|e| match e {
            BlockTag::Open { tests, .. }
            | BlockTag::Case { tests, .. }
            | BlockTag::Clause { tests, .. } => tests.as_slice(),
            BlockTag::Close { .. } => &[],
        })
        .filter_map(|var| {
            // `{% assign faith = customer.religion %}...{% if faith %}` tests the field.
            let var = ctx.aliases.resolve(var);
            let kinds = ctx.classifier.classify(&var, &[]);
            (!kinds.is_empty()).then_some((var, kinds))
        })
        .collect();
    // A compared value (`member.religion.sikh`) is named only when it tells more than its field.
    let fields: Vec<(String, Vec<String>)> = fields
        .iter()
        .filter(|(var, kinds)| {
            !fields.iter().any(|(other, other_kinds)| {
                other != var
                    && var.starts_with(other.as_str())
                    && var.as_bytes().get(other.len()) == Some(&b'.')
                    && kinds.iter().all(|k| other_kinds.contains(k))
            })
        })
        .cloned()
        .collect();
    if fields.is_empty() {
        return None;
    }
    ctx.conditions.push(Condition {
        range: at..at + tag.len(),
        fields,
        body: Vec::new(),
    });
    Some(ctx.conditions.len() - 1)
}

impl<'a> TaggedText<'a> {
    /// Scans `text` (which starts at byte `base` of the file) for template tags, recording comment
    /// tags in `ctx` for inline directives.
    pub fn new(text: &'a str, base: usize, ctx: &mut ExtractCtx) -> Self {
        let tags = scan_tags(text, &mut ctx.aliases);
        let mut blocks = Blocks::default();
        for tag in &tags {
            match &tag.kind {
                TagKind::Comment { body } => ctx.comments.push(Comment {
                    range: base + body.start..base + body.end,
                    text: text[body.clone()].to_string(),
                }),
                TagKind::Logic => {
                    let source = &text[tag.range.clone()];
                    let events = block_tags(source);
                    let at = base + tag.range.start..base + tag.range.end;
                    let cond = record_condition(source, &events, at.start, ctx);
                    for event in &events {
                        blocks.apply(event, cond, at.clone(), &mut ctx.conditions);
                    }
                }
                TagKind::Output { .. } => {}
            }
        }
        // A block left open ends with the text it was opened in (a JSON value, the file).
        blocks.finish(base + text.len(), &mut ctx.conditions);
        Self { text, base, tags }
    }

    /// A text with no template tags at all (for sources where tags were handled already).
    pub fn plain(text: &'a str, base: usize) -> Self {
        Self {
            text,
            base,
            tags: Vec::new(),
        }
    }

    /// Index of the first tag that ends after `pos`.
    fn first_tag_after(&self, pos: usize) -> usize {
        self.tags.partition_point(|t| t.range.end <= pos)
    }

    /// The tag containing byte `pos`, if any.
    pub fn tag_at(&self, pos: usize) -> Option<&Tag> {
        let i = self.first_tag_after(pos);
        self.tags.get(i).filter(|t| t.range.start <= pos)
    }

    /// Pushes the copy in `range` into `b`: text is normalised, output tags become typed
    /// placeholders, logic and comment tags are dropped. A tag cut by the range edge is dropped.
    pub fn push_range(&self, b: &mut SegmentBuilder, range: Range<usize>, ctx: &ExtractCtx) {
        let mut pos = range.start;
        let mut i = self.first_tag_after(pos);
        while pos < range.end {
            let Some(tag) = self.tags.get(i).filter(|t| t.range.start < range.end) else {
                b.push_original(&self.text[pos..range.end], self.base + pos);
                return;
            };
            if tag.range.start > pos {
                b.push_original(&self.text[pos..tag.range.start], self.base + pos);
            }
            let whole = tag.range.start >= range.start && tag.range.end <= range.end;
            if let (true, TagKind::Output { variable, filters }) = (whole, &tag.kind) {
                let class = ctx.classifier.classify_field(variable, filters);
                b.push_field(
                    variable,
                    class.kinds,
                    class.origin == crate::fields::Origin::Reader,
                    self.base + tag.range.start..self.base + tag.range.end,
                );
            }
            pos = tag.range.end.max(pos);
            i += 1;
        }
    }

    /// Like [`TaggedText::push_range`], but decodes escapes outside template tags: at every
    /// `trigger` byte, `decode` gets the rest of the range and may return the decoded text and the
    /// escape's length in bytes. The decoded text stands for the escape's original bytes, so
    /// positions stay exact (`&#36;` in HTML, `\u00a3` in JSON, `''` in YAML).
    pub fn push_decoded(
        &self,
        b: &mut SegmentBuilder,
        range: Range<usize>,
        ctx: &ExtractCtx,
        trigger: u8,
        decode: impl Fn(&str) -> Option<(Unescaped, usize)>,
    ) {
        let bytes = self.text.as_bytes();
        let mut from = range.start;
        let mut p = range.start;
        while p < range.end {
            let Some(i) = memchr::memchr(trigger, &bytes[p..range.end]) else {
                break;
            };
            p += i;
            if let Some(tag) = self.tag_at(p) {
                p = tag.range.end.max(p + 1);
                continue;
            }
            match decode(&self.text[p..range.end]) {
                Some((decoded, len)) if len > 0 => {
                    if from < p {
                        self.push_range(b, from..p, ctx);
                    }
                    let mut buf = [0; 4];
                    let decoded = decoded.as_str(&mut buf);
                    b.push_replacement(decoded, self.base + p..self.base + p + len);
                    p += len;
                    from = p;
                }
                _ => p += 1,
            }
        }
        if from < range.end {
            self.push_range(b, from..range.end, ctx);
        }
    }

    /// The tag that starts exactly at byte `pos`, if any.
    pub fn tag_starting_at(&self, pos: usize) -> Option<&Tag> {
        let i = self.tags.partition_point(|t| t.range.start < pos);
        self.tags.get(i).filter(|t| t.range.start == pos)
    }

    /// Pushes the string literals inside logic tags that are copy, each as its own segment: values
    /// assigned to or passed as a variable named like copy (`{% assign subject = "..." %}`,
    /// `{% set headline = '...' %}`, `{{#> layout title="..." }}`, `{% render 'card', heading: "..." %}`,
    /// AMPscript `SET @Subject = "..."`). Conditions (`{% if a == "b c" %}`) are not copy.
    pub fn push_literal_copy(&self, out: &mut Vec<Segment>) {
        for tag in self.tags.iter().filter(|t| t.kind == TagKind::Logic) {
            for lit in copy_literals(&self.text[tag.range.clone()]) {
                let start = tag.range.start + lit.start;
                let mut b = SegmentBuilder::new();
                b.push_original(&self.text[start..start + lit.len()], self.base + start);
                b.finish_into(out);
            }
        }
    }

    /// True when `range` holds no copy: only whitespace outside logic and comment tags.
    pub fn is_blank(&self, range: Range<usize>) -> bool {
        let mut pos = range.start;
        let mut i = self.first_tag_after(pos);
        loop {
            let next = self.tags.get(i).filter(|t| t.range.start < range.end);
            let text_end = next.map_or(range.end, |t| t.range.start.max(pos));
            if !self.text[pos..text_end].trim().is_empty() {
                return false;
            }
            match next {
                None => return true,
                Some(tag) if matches!(tag.kind, TagKind::Output { .. }) => return false,
                Some(tag) => pos = tag.range.end.min(range.end).max(pos),
            }
            i += 1;
        }
    }

    /// True when `range` is covered by tags and whitespace only and holds at least one non-output
    /// tag: a line such as `{% if x %}` that separates template branches.
    pub fn is_logic_only(&self, range: Range<usize>) -> bool {
        let i = self.first_tag_after(range.start);
        let has_tag = self.tags.get(i).is_some_and(|t| {
            t.range.start < range.end && !matches!(t.kind, TagKind::Output { .. })
        });
        has_tag && self.is_blank(range)
    }
}

/// The ranges (inside `tag`) of string literals bound to a copy-like name with `=` or `:`.
fn copy_literals(tag: &str) -> Vec<Range<usize>> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let q = b[i];
        if q != b'"' && q != b'\'' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && b[j] != q {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        if j >= b.len() {
            break;
        }
        if is_copy_binding(&tag[..i]) {
            out.push(i + 1..j);
        }
        i = j + 1;
    }
    out
}

/// True when `before` (the tag text up to a string literal) ends in `name =` or `name:` with a
/// copy-like name; `==`, `!=`, `<=` and `>=` are comparisons.
fn is_copy_binding(before: &str) -> bool {
    let t = before.trim_end();
    let Some(op) = t.chars().last().filter(|c| matches!(c, '=' | ':')) else {
        return false;
    };
    let t = &t[..t.len() - 1];
    if op == '=' && t.ends_with(['=', '!', '<', '>']) {
        return false;
    }
    let t = t.trim_end();
    // After the last character that cannot be in a name (which may be more than one byte long).
    let name_start = t
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '-' | '$')))
        .map_or(0, |(k, c)| k + c.len_utf8());
    let name = t[name_start..].to_ascii_lowercase();
    let last = name.rsplit('.').next().unwrap_or("");
    !last.is_empty() && COPY_NAMES.iter().any(|c| last.contains(c))
}

/// Aliases are per document; a fresh set for a new document.
pub fn fresh_aliases() -> Aliases {
    Aliases::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldClassifier;

    fn literals(text: &str) -> Vec<String> {
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let tagged = TaggedText::new(text, 0, &mut ctx);
        let mut out = Vec::new();
        tagged.push_literal_copy(&mut out);
        out.into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn copy_literals_in_logic_tags() {
        assert_eq!(
            literals(
                r#"{{#> layouts/email title="Still thinking it over?" }}{% assign subject = 'You spent $5' %}
{% set hero_headline = "Welcome back" %}{% render 'card', heading: "Picks for you", id: "x y" %}
%%[ SET @Subject = "Hi there" SET @FirstName = "there" ]%%"#
            ),
            vec![
                "Still thinking it over?",
                "You spent $5",
                "Welcome back",
                "Picks for you",
                "Hi there"
            ]
        );
    }

    #[test]
    fn conditions_and_other_literals_are_not_copy() {
        assert!(literals(
            r#"{% if title == "recently bereaved" %}{% if subject != 'a b' %}{% include "base.html" %}{{ name | default: "there" }}{% assign greeting_id = 5 %}"#
        )
        .is_empty());
    }
}
