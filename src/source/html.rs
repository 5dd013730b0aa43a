//! HTML email and MJML.
//!
//! Text content is copy; markup, `<style>`, `<script>`, the `<head>` (but its `<title>`) and comments
//! are not. `alt`, `title` and `aria-label` values are copy, each its own segment. Hidden preheaders
//! (`display:none`) are sent, so they are copy too. Block elements end a phrase, inline ones do not,
//! so "you spent <b>$342</b>" is one phrase. MJML: `<mj-title>` and `<mj-preview>` are copy, the
//! rest of `<mj-head>` is not.
//!
//! Why a hand-written scanner rather than a crate: the HTML tokenizer crates (html5ever, lol_html,
//! tl) read markup only, while a template is markup with merge tags in it. `{% if a > b %}` would end
//! a tag for them, a merge tag in an attribute would lose its position, and template text outside
//! any element confuses tree builders. Here template tags are found first over the whole file (one
//! [`TaggedText`] scan) and the scanner steps over them. Email needs a small subset of HTML, the
//! scanner is linear (every search that can fail remembers where it failed, so no byte is searched
//! twice by a failing search), and broken markup falls back to text instead of being swallowed.

use super::entities;
use super::segment::{Segment, SegmentBuilder};
use super::tagged::TaggedText;
use super::template::TagKind;
use super::{Comment, ExtractCtx};
use std::ops::Range;

/// Elements that do not end a phrase (an `<img>` in a sentence, such as an emoji image, renders
/// inline too). Every other element, known or not, ends one: splitting a phrase too often loses
/// less than joining two cells into a sentence nobody wrote.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "img", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
];

/// Elements whose content is not markup and not copy: skipped up to their end tag.
/// Each with the start of its end tag, searched for case-insensitively.
const RAW: &[(&str, &str)] = &[
    ("style", "</style"),
    ("script", "</script"),
    ("mj-style", "</mj-style"),
    ("xml", "</xml"),
    ("noscript", "</noscript"),
    ("template", "</template"),
];

/// Elements whose text is copy even inside `<head>` / `<mj-head>`.
const HEAD_COPY: &[&str] = &["title", "mj-title", "mj-preview"];

/// Elements that belong in `<head>`; any other start tag there means the head was never closed.
const HEAD_ELEMENTS: &[&str] = &[
    "title", "meta", "link", "style", "script", "base", "noscript", "template", "xml",
];

/// Attributes whose values are copy.
const COPY_ATTRIBUTES: &[&str] = &["alt", "title", "aria-label"];

/// Block elements that mark a short text (a corpus row, a string) as HTML, beside [`INLINE`].
const BLOCK_MARKERS: &[&str] = &[
    "p",
    "br",
    "div",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "center",
    "blockquote",
    "pre",
    "html",
    "body",
    "head",
    "title",
    "section",
    "header",
    "footer",
    "main",
    "article",
    "button",
];

/// True when a short text holds HTML: a start or end tag of a known element (`<b>`, `</p>`,
/// `<br/>`, `<a href=...>`, an MJML `<mj-text>`) or a character reference (`&#36;`, `&amp;`).
/// `5 <3 you`, `a < b` and `AT&T` are not markup.
pub fn holds_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    let tag = memchr::memchr_iter(b'<', bytes).any(|i| {
        let rest = &text[i + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        let name = rest[..len].to_ascii_lowercase();
        let ends = rest[len..]
            .chars()
            .next()
            .is_some_and(|c| c == '>' || c == '/' || c.is_ascii_whitespace());
        ends && (INLINE.contains(&name.as_str())
            || BLOCK_MARKERS.contains(&name.as_str())
            || name.starts_with("mj-"))
    });
    tag || memchr::memchr_iter(b'&', bytes).any(|i| entities::decode(&text[i..]).is_some())
}

/// Extracts the copy of an HTML or MJML file (a template or not).
pub fn extract(text: &str, ctx: &mut ExtractCtx) -> Vec<Segment> {
    let tagged = TaggedText::new(text, 0, ctx);
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        tagged,
        ctx,
        out: Vec::new(),
        b: SegmentBuilder::new(),
        in_head: false,
        in_head_copy: false,
        hidden: Vec::new(),
        no_gt_from: usize::MAX,
        unclosed_quote_from: [usize::MAX; 2],
        strict_quotes: false,
        comment_end: Finder::default(),
        raw_ends: Default::default(),
        attrs: Vec::new(),
    };
    scanner.run();
    scanner.tagged.push_literal_copy(&mut scanner.out);
    scanner.out
}

/// A start or end tag, a comment or something to skip, found at a `<`. Element names are byte
/// ranges of the text, compared ignoring ASCII case (names are ASCII).
enum Markup {
    /// `<!-- ... -->`; `body` is the comment's text.
    Comment { end: usize, body: Range<usize> },
    /// `<!DOCTYPE>`, `<?xml ?>`, `<![CDATA[`: not copy, no effect.
    Skip { end: usize },
    /// `<name attr="value">`; its attributes are in [`Scanner::attrs`].
    Start {
        name: Range<usize>,
        end: usize,
        self_closing: bool,
    },
    /// `</name>`.
    End { name: Range<usize>, end: usize },
}

/// An attribute: the byte ranges of its name and of its value (quotes excluded).
struct Attr {
    name: Range<usize>,
    value: Option<Range<usize>>,
}

/// Remembers the last search for one needle, so that searches from increasing positions cost
/// linear time in total.
#[derive(Default)]
struct Finder {
    /// Where the last search started and what it found.
    last: Option<(usize, usize)>,
    /// No match at or after this position.
    none_from: Option<usize>,
}

impl Finder {
    /// The first `needle` at or after `from` in `hay`, ignoring ASCII case.
    fn find(&mut self, hay: &str, needle: &str, from: usize) -> Option<usize> {
        if self.none_from.is_some_and(|n| from >= n) {
            return None;
        }
        if let Some((start, found)) = self.last {
            if start <= from && from <= found {
                return Some(found); // the first match after `start` is the first after `from`
            }
        }
        match hay
            .get(from..)
            .and_then(|h| find_ignore_case(h.as_bytes(), needle.as_bytes()))
        {
            Some(i) => {
                self.last = Some((from, from + i));
                Some(from + i)
            }
            None => {
                self.none_from = Some(self.none_from.map_or(from, |n| n.min(from)));
                None
            }
        }
    }
}

struct Scanner<'a, 'c, 'x> {
    text: &'a str,
    bytes: &'a [u8],
    tagged: TaggedText<'a>,
    ctx: &'x mut ExtractCtx<'c>,
    out: Vec<Segment>,
    /// The phrase being built.
    b: SegmentBuilder,
    in_head: bool,
    in_head_copy: bool,
    /// Names of the inline elements hidden with `display:none` (preheaders) that are open: each
    /// is its own phrase.
    hidden: Vec<Range<usize>>,
    /// No `>` outside template tags at or after this position.
    no_gt_from: usize,
    /// For `"` and `'`: a quoted attribute value starting at or after this position never closes.
    unclosed_quote_from: [usize; 2],
    /// Set once a start tag ran to the end of the file: from then on a quoted value may not hold a
    /// `>`, so that no later tag can scan far past its own end.
    strict_quotes: bool,
    /// Searches for `-->`.
    comment_end: Finder,
    /// Searches for the end tags of the [`RAW`] elements, in that order.
    raw_ends: [Finder; RAW.len()],
    /// The attributes of the last start tag read (one buffer for the whole file).
    attrs: Vec<Attr>,
}

impl Scanner<'_, '_, '_> {
    fn run(&mut self) {
        let n = self.bytes.len();
        let mut pos = 0;
        let mut copy_from = 0;
        // Index of the first template tag that starts at or after `pos`.
        let mut next_tag = 0;
        while pos < n {
            let tags = &self.tagged.tags;
            while tags.get(next_tag).is_some_and(|t| t.range.start < pos) {
                next_tag += 1;
            }
            let tag_start = tags.get(next_tag).map_or(n, |t| t.range.start);
            // Up to the next template tag, only a `<` can start anything.
            if let Some(i) = memchr::memchr(b'<', &self.bytes[pos..tag_start]) {
                let lt = pos + i;
                match self.markup(lt) {
                    Some(markup) => {
                        self.flush(copy_from..lt);
                        pos = self.apply(markup);
                        copy_from = pos;
                    }
                    None => pos = lt + 1,
                }
                continue;
            }
            let Some(tag) = self.tagged.tags.get(next_tag) else {
                break;
            };
            let range = tag.range.clone();
            if !matches!(tag.kind, TagKind::Output { .. }) {
                let ends_phrase = tag_ends_phrase(&self.text[range.clone()]);
                self.flush(copy_from..tag_start);
                // Other logic tags vanish, as they do when the template renders:
                // `item{% if n > 1 %}s{% endif %}` reads `items`.
                if ends_phrase {
                    self.end_phrase();
                }
                copy_from = range.end;
            }
            pos = range.end.max(tag_start + 1);
        }
        self.flush(copy_from..n);
        self.end_phrase();
    }

    /// True when text here is sent to the reader.
    fn copy_on(&self) -> bool {
        !self.in_head || self.in_head_copy
    }

    fn flush(&mut self, range: Range<usize>) {
        if range.start < range.end && self.copy_on() {
            self.tagged
                .push_decoded(&mut self.b, range, self.ctx, b'&', entities::decode);
        }
    }

    fn end_phrase(&mut self) {
        self.b.finish_into(&mut self.out);
    }

    /// Recognises markup at `pos` (a `<`); `None` means the `<` is text.
    fn markup(&mut self, pos: usize) -> Option<Markup> {
        let next = *self.bytes.get(pos + 1)?;
        match next {
            b'!' if self.text[pos..].starts_with("<!--") => Some(self.comment(pos)),
            b'!' | b'?' => {
                let end = self.find_gt(pos + 2)?;
                Some(Markup::Skip { end: end + 1 })
            }
            b'/' if self.bytes.get(pos + 2).is_some_and(u8::is_ascii_alphabetic) => {
                let name_end = self.name_end(pos + 2);
                let end = self.find_gt(name_end)?;
                Some(Markup::End {
                    name: pos + 2..name_end,
                    end: end + 1,
                })
            }
            c if c.is_ascii_alphabetic() => self.start_tag(pos),
            _ => None,
        }
    }

    fn name_end(&self, from: usize) -> usize {
        from + self.bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_' | b'.'))
            .count()
    }

    fn comment(&mut self, pos: usize) -> Markup {
        let body_start = pos + 4;
        match self.comment_end.find(self.text, "-->", body_start) {
            Some(c) => Markup::Comment {
                end: c + 3,
                body: body_start..c,
            },
            None => {
                // Unterminated: browsers would hide the rest of the file; we hide the rest of the
                // line only, so the copy after it is still checked, and say so.
                let eol = memchr::memchr(b'\n', &self.bytes[body_start..])
                    .map_or(self.text.len(), |i| body_start + i);
                self.ctx.warn(
                    pos,
                    "unterminated HTML comment (`<!--` without `-->`): only the rest of its line was treated as a comment",
                );
                Markup::Comment {
                    end: eol,
                    body: body_start..eol,
                }
            }
        }
    }

    /// The first `>` at or after `from` that is not inside a template tag.
    fn find_gt(&mut self, from: usize) -> Option<usize> {
        if from >= self.no_gt_from {
            return None;
        }
        let n = self.bytes.len();
        let tags = &self.tagged.tags;
        let mut t = tags.partition_point(|t| t.range.start < from);
        let mut p = from;
        while p < n {
            let tag_start = tags.get(t).map_or(n, |t| t.range.start);
            if let Some(i) = memchr::memchr(b'>', &self.bytes[p..tag_start]) {
                return Some(p + i);
            }
            let Some(tag) = tags.get(t) else {
                break;
            };
            // Tags do not overlap: the next one starts after this one ends.
            p = tag.range.end.max(tag_start + 1);
            t += 1;
        }
        self.no_gt_from = from;
        None
    }

    fn start_tag(&mut self, pos: usize) -> Option<Markup> {
        // A `<` with no `>` after it is text (`<b` at the end of a broken file).
        self.find_gt(pos + 1)?;
        if let Some(m) = self.parse_start_tag(pos) {
            return Some(m);
        }
        // A quoted value swallowed the rest of the file: read quotes strictly from now on.
        self.strict_quotes = true;
        self.parse_start_tag(pos)
    }

    /// Reads the start tag at `pos`, its attributes into [`Scanner::attrs`].
    fn parse_start_tag(&mut self, pos: usize) -> Option<Markup> {
        let n = self.bytes.len();
        let name_end = self.name_end(pos + 1);
        let name = pos + 1..name_end;
        self.attrs.clear();
        let mut p = name_end;
        loop {
            while p < n && self.bytes[p].is_ascii_whitespace() {
                p += 1;
            }
            if p >= n {
                return None;
            }
            match self.bytes[p] {
                b'>' => {
                    return Some(Markup::Start {
                        name,
                        end: p + 1,
                        self_closing: false,
                    })
                }
                b'/' if self.bytes.get(p + 1) == Some(&b'>') => {
                    return Some(Markup::Start {
                        name,
                        end: p + 2,
                        self_closing: true,
                    })
                }
                b'{' | b'%' | b'*' => {
                    if let Some(tag) = self.tagged.tag_starting_at(p) {
                        p = tag.range.end;
                        continue;
                    }
                }
                _ => {}
            }
            let name_start = p;
            while p < n && !self.ends_attr_name(p) {
                p += 1;
            }
            if p == name_start {
                p += 1; // a stray `/` or `=`
                continue;
            }
            let attr_name = name_start..p;
            let mut q = p;
            while q < n && self.bytes[q].is_ascii_whitespace() {
                q += 1;
            }
            let mut value = None;
            if self.bytes.get(q) == Some(&b'=') {
                q += 1;
                while q < n && self.bytes[q].is_ascii_whitespace() {
                    q += 1;
                }
                let (v, after) = self.attr_value(q)?;
                value = Some(v);
                p = after;
            }
            self.attrs.push(Attr {
                name: attr_name,
                value,
            });
        }
    }

    fn ends_attr_name(&self, p: usize) -> bool {
        let c = self.bytes[p];
        c.is_ascii_whitespace()
            || c == b'='
            || c == b'>'
            || (c == b'/' && self.bytes.get(p + 1) == Some(&b'>'))
    }

    /// Reads an attribute value at `p`: its range and where scanning goes on.
    fn attr_value(&mut self, p: usize) -> Option<(Range<usize>, usize)> {
        let n = self.bytes.len();
        let q = *self.bytes.get(p)?;
        if q == b'"' || q == b'\'' {
            let qi = usize::from(q == b'\'');
            if let Some(close) = self.closing_quote(p + 1, q, qi) {
                return Some((p + 1..close, close + 1));
            }
            // Unterminated: the value ends at the tag's `>` and the text after it stays text.
            let gt = self.find_gt(p + 1)?;
            return Some((p + 1..gt, gt));
        }
        let mut e = p;
        while e < n && !self.bytes[e].is_ascii_whitespace() && self.bytes[e] != b'>' {
            if let Some(tag) = self.tagged.tag_starting_at(e) {
                e = tag.range.end.max(e + 1);
            } else {
                e += 1;
            }
        }
        Some((p..e.min(n), e.min(n)))
    }

    /// The closing quote of a value starting at `from`, stepping over template tags. A value that
    /// runs into what looks like a new tag (`<p`, `</`) is taken as unterminated.
    fn closing_quote(&mut self, from: usize, quote: u8, qi: usize) -> Option<usize> {
        if from >= self.unclosed_quote_from[qi] {
            return None;
        }
        let n = self.bytes.len();
        let tags = &self.tagged.tags;
        let mut t = tags.partition_point(|t| t.range.start < from);
        let mut p = from;
        while p < n {
            let tag_start = tags.get(t).map_or(n, |t| t.range.start);
            let Some(i) = memchr::memchr3(quote, b'<', b'>', &self.bytes[p..tag_start]) else {
                let Some(tag) = tags.get(t) else {
                    break;
                };
                p = tag.range.end.max(tag_start + 1);
                t += 1;
                continue;
            };
            p += i;
            let c = self.bytes[p];
            if c == quote {
                return Some(p);
            }
            if c == b'>' && self.strict_quotes {
                return None;
            }
            if c == b'<'
                && self
                    .bytes
                    .get(p + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!')
            {
                return None;
            }
            p += 1;
        }
        self.unclosed_quote_from[qi] = from;
        None
    }

    /// Acts on markup; returns where text resumes.
    fn apply(&mut self, markup: Markup) -> usize {
        let text = self.text;
        match markup {
            Markup::Comment { end, body } => {
                self.ctx.comments.push(Comment {
                    text: text[body.clone()].to_string(),
                    range: body,
                });
                end
            }
            Markup::Skip { end } => end,
            Markup::End { name, end } => {
                let name = &text[name];
                if one_of(name, &["head", "mj-head"]) {
                    self.in_head = false;
                } else if one_of(name, HEAD_COPY) {
                    self.in_head_copy = false;
                }
                if self
                    .hidden
                    .last()
                    .is_some_and(|h| text[h.clone()].eq_ignore_ascii_case(name))
                {
                    self.hidden.pop();
                    self.end_phrase();
                }
                if !one_of(name, INLINE) {
                    self.end_phrase();
                }
                end
            }
            Markup::Start {
                name,
                end,
                self_closing,
            } => self.start(name, end, self_closing),
        }
    }

    /// Acts on a start tag whose attributes are in [`Scanner::attrs`]; returns where text resumes.
    fn start(&mut self, name_range: Range<usize>, end: usize, self_closing: bool) -> usize {
        let text = self.text;
        let name = &text[name_range.clone()];
        let inline = one_of(name, INLINE);
        if !inline {
            self.end_phrase();
        }
        if one_of(name, &["head", "mj-head"]) {
            self.in_head = true;
        } else if one_of(name, &["body", "mj-body"]) {
            self.in_head = false;
        } else if one_of(name, HEAD_COPY) {
            self.in_head_copy = true;
        } else if self.in_head
            && !name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("mj-"))
            && !one_of(name, HEAD_ELEMENTS)
        {
            // A body element inside an unclosed `<head>` starts the body, as in browsers; in
            // `<mj-head>`, `<mj-attributes>` names body elements (`<mj-text>`) as defaults.
            self.in_head = false;
        }
        if inline && !self_closing && self.is_hidden() {
            self.end_phrase();
            self.hidden.push(name_range);
        }
        if self.copy_on() {
            for attr in &self.attrs {
                if let (true, Some(v)) = (
                    one_of(&text[attr.name.clone()], COPY_ATTRIBUTES),
                    &attr.value,
                ) {
                    let mut b = SegmentBuilder::new();
                    self.tagged
                        .push_decoded(&mut b, v.clone(), self.ctx, b'&', entities::decode);
                    b.finish_into(&mut self.out);
                }
            }
        }
        if let Some(raw) = RAW
            .iter()
            .position(|(raw, _)| raw.eq_ignore_ascii_case(name))
        {
            if !self_closing {
                return self.skip_raw(raw, end);
            }
        }
        end
    }

    /// True when the start tag just read has a `style` with `display:none`.
    fn is_hidden(&self) -> bool {
        self.attrs.iter().any(|a| {
            self.text[a.name.clone()].eq_ignore_ascii_case("style")
                && a.value
                    .as_ref()
                    .is_some_and(|v| hides(&self.text[v.clone()]))
        })
    }

    /// Skips the content of raw element `RAW[raw]` such as `<style>` to after its end tag. Without
    /// an end tag, nothing is skipped: the text after it is read as usual.
    fn skip_raw(&mut self, raw: usize, content_start: usize) -> usize {
        let (name, needle) = RAW[raw];
        let Some(close) = self.raw_ends[raw].find(self.text, needle, content_start) else {
            self.ctx.warn(
                content_start,
                format!("`<{name}>` is never closed: its content was read as copy"),
            );
            return content_start;
        };
        match self.find_gt(close + needle.len()) {
            Some(gt) => gt + 1,
            None => self.bytes.len(),
        }
    }
}

/// True when a `style` value holds `display:none`, ignoring ASCII case and whitespace anywhere
/// (`DISPLAY: none !important`).
fn hides(style: &str) -> bool {
    const NEEDLE: &[u8] = b"display:none";
    let mut matched = 0;
    for c in style.chars().filter(|c| !c.is_whitespace()) {
        let c = c.to_ascii_lowercase();
        if c == char::from(NEEDLE[matched]) {
            matched += 1;
            if matched == NEEDLE.len() {
                return true;
            }
        } else {
            // `d` occurs only at the start of the needle, so no partial match can overlap
            // another: after a mismatch, a match restarts at this character or the next.
            matched = usize::from(c == 'd');
        }
    }
    false
}

/// True when `name` is one of `names` (lowercase), ignoring ASCII case.
fn one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The first occurrence of `needle` in `hay`, ignoring ASCII case.
fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = 0;
    while let Some(i) = memchr::memchr2(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &hay[at..],
    ) {
        let start = at + i;
        let after = &hay[start + 1..];
        if after.len() >= rest.len() && after[..rest.len()].eq_ignore_ascii_case(rest) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// True for a template tag that starts another branch of a conditional (`{% else %}`, `{{else}}`,
/// `{% elif %}`, `*|ELSE:|*`, AMPscript `ELSEIF`) or bounds a template block (`{% block subject %}`):
/// text on either side is never one phrase.
fn tag_ends_phrase(tag: &str) -> bool {
    let inner = tag.trim_start_matches(|c: char| {
        matches!(c, '{' | '%' | '*' | '|' | '[' | '-' | '~' | '#') || c.is_whitespace()
    });
    if inner.starts_with('^') {
        return true; // Mustache/Handlebars `{{^}}`
    }
    let len = inner.bytes().take_while(u8::is_ascii_alphabetic).count();
    one_of(
        &inner[..len],
        &[
            "else",
            "elsif",
            "elif",
            "elseif",
            "when",
            "block",
            "endblock",
            "macro",
            "endmacro",
            "section",
            "endsection",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldClassifier;

    #[test]
    fn short_texts_with_tags_or_references_hold_markup() {
        for yes in [
            "You paid <b>$1,920</b> in late fees",
            "Hi<br/>there",
            "Hi<br>there",
            "<a href=\"x\">Shop</a>",
            "<mj-text>Hi</mj-text>",
            "You spent &#36;342",
            "Fish &amp; chips",
            "<P CLASS=x>Hi</P>",
        ] {
            assert!(holds_markup(yes), "{yes}");
        }
        for no in [
            "We <3 you",
            "if a < b and c > d",
            "AT&T and Q&A",
            "Use code <SAVE20> today",
            "You spent {{ customer.total_spent }}",
            "<%= user.name %>",
        ] {
            assert!(!holds_markup(no), "{no}");
        }
    }

    fn parse(text: &str) -> (Vec<String>, ExtractCtxOut) {
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let segs = extract(text, &mut ctx);
        for s in &segs {
            // Every segment maps back inside the file.
            let r = s.original_span();
            assert!(r.end <= text.len() && r.start <= r.end);
        }
        (
            segs.into_iter().map(|s| s.text).collect(),
            ExtractCtxOut {
                comments: ctx.comments.into_iter().map(|c| c.text).collect(),
                warnings: ctx.warnings.len(),
            },
        )
    }

    struct ExtractCtxOut {
        comments: Vec<String>,
        warnings: usize,
    }

    fn segs(text: &str) -> Vec<String> {
        parse(text).0
    }

    #[test]
    fn inline_tags_join_block_tags_split() {
        assert_eq!(
            segs("<p>You spent <b>$342</b> with us.</p><p>Next</p>"),
            vec!["You spent $342 with us.", "Next"]
        );
        assert_eq!(segs("a<br>b<br/>c"), vec!["a", "b", "c"]);
        assert_eq!(
            segs("<table><tr><td>one</td><td>two</td></tr></table>"),
            vec!["one", "two"]
        );
        assert_eq!(segs("<b>$</b>342"), vec!["$342"], "no space invented");
    }

    #[test]
    fn head_style_script_and_comments_are_not_copy() {
        let (s, ctx) = parse(
            "<html><head><meta charset=utf-8><title>Hi &amp; welcome</title><style>p{color:red}</style></head>\
             <body><!-- creeplint-disable-next-line spend --><script>var x = '<p>';</script><p>Body</p></body></html>",
        );
        assert_eq!(s, vec!["Hi & welcome", "Body"]);
        assert_eq!(ctx.comments, vec![" creeplint-disable-next-line spend "]);
    }

    #[test]
    fn an_unclosed_head_ends_at_the_first_body_element() {
        assert_eq!(
            segs("<html><head><title>T</title><meta x=y>hidden<p>You spent $5</p>"),
            vec!["T", "You spent $5"]
        );
    }

    #[test]
    fn copy_attributes_are_their_own_segments() {
        let s = segs(
            r#"<p>Look <img src="x.png" alt="You spent &#36;342" title='A title' aria-label=Label> here</p>"#,
        );
        assert_eq!(s, vec!["You spent $342", "A title", "Label", "Look here"]);
    }

    #[test]
    fn entities_decode_with_exact_positions() {
        let text = "<p>You spent &#36;342 &ndash; it&rsquo;s&nbsp;true</p>";
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let seg = &extract(text, &mut ctx)[0];
        assert_eq!(seg.text, "You spent $342 - it's true");
        let at = seg.text.find("$342").unwrap();
        assert_eq!(&text[seg.original_range(at..at + 4)], "&#36;342");
    }

    #[test]
    fn hidden_preheader_is_copy_and_its_own_phrase() {
        let s = segs(
            r#"<body>Hello <span style="display: none !important">You spent $5</span> there</body>"#,
        );
        assert_eq!(s, vec!["Hello", "You spent $5", "there"]);
    }

    #[test]
    fn mjml_head_and_preview() {
        let s = segs(
            "<mjml><mj-head><mj-title>T</mj-title><mj-preview>Preview text</mj-preview>\
             <mj-attributes><mj-all font-family=\"x\" /></mj-attributes><mj-style>.a{}</mj-style>\
             <mj-font name=\"x\" href=\"y\" /></mj-head><mj-body><mj-section><mj-column>\
             <mj-image alt=\"Alt copy\" /><mj-text>Body <b>bold</b></mj-text><mj-button>Buy</mj-button>\
             </mj-column></mj-section></mj-body></mjml>",
        );
        assert_eq!(s, vec!["T", "Preview text", "Alt copy", "Body bold", "Buy"]);
    }

    #[test]
    fn template_tags_are_masked_before_markup() {
        let s = segs(
            r#"<p {% if a > b %}class="x"{% endif %}>Hi {{ name | default: "<b>" }}</p><img alt="In a size {{ customer.dress_size }}">"#,
        );
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].starts_with("Hi \u{E000}"), "{s:?}");
        assert!(s[1].starts_with("In a size \u{E000}"), "{s:?}");
    }

    #[test]
    fn ampscript_blocks_and_branches() {
        let s = segs(
            "%%[ SET @x = 1 IF @a > 2 THEN ]%%\n<!DOCTYPE html><p>A {% if x %}B{% else %}C{% endif %} D</p>",
        );
        assert_eq!(s, vec!["A B", "C D"]);
    }

    #[test]
    fn logic_tags_vanish_inside_words() {
        assert_eq!(
            segs("<p>3 item{% if n > 1 %}s{% endif %} left</p>"),
            vec!["3 items left"]
        );
    }

    #[test]
    fn broken_markup_keeps_its_text() {
        assert_eq!(segs("<p>Save 5 < 10 today"), vec!["Save 5 < 10 today"]);
        assert_eq!(segs("<p>You spent $342 <b"), vec!["You spent $342 <b"]);
        let (s, ctx) = parse("<p>Before</p><!-- never closed\n<p>After</p>");
        assert_eq!(s, vec!["Before", "After"]);
        assert_eq!(ctx.warnings, 1);
        assert_eq!(
            segs("<a href=\"https://x>Click <p>You spent $342</p>"),
            vec!["Click", "You spent $342"]
        );
        assert_eq!(segs("<style>p{}\n<p>Text"), vec!["p{}", "Text"]);
        assert_eq!(segs("<p>Unclosed <div>tags"), vec!["Unclosed", "tags"]);
    }

    #[test]
    fn display_none_is_found_across_whitespace_and_case() {
        let reference = |s: &str| {
            let compact: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            compact.contains("display:none")
        };
        for style in [
            "display:none",
            "DISPLAY : NONE !important",
            "max-height:0;display:none;",
            "ddisplay:none",
            "displa y:no\u{2003}ne",
            "display:displaydisplay:none",
            "display:nodisplay:none",
            "display:non",
            "display:block",
            "dis-play:none",
            "",
        ] {
            assert_eq!(hides(style), reference(style), "{style:?}");
        }
    }

    #[test]
    fn names_are_read_ignoring_case() {
        assert_eq!(
            segs(
                "<HTML><HEAD><Title>T</TITLE><STYLE>p{}</Style></HEAD><BODY><P>You spent <B>$5</b></P>\
                 <SPAN STYLE=\"DISPLAY: NONE\">Pre</SPAN><IMG ALT=\"Alt\"><ScRiPt>x</sCrIpT>After</BODY>"
            ),
            vec!["T", "You spent $5", "Pre", "Alt", "After"]
        );
        let (s, ctx) = parse("<p>a</p><STYLE>p{}");
        assert_eq!(s, vec!["a", "p{}"]);
        assert_eq!(ctx.warnings, 1);
    }

    #[test]
    fn pathological_inputs_stay_linear() {
        let many = "<a b=\"".repeat(20_000)
            + &"<!--".repeat(20_000)
            + &"<p x='".repeat(20_000)
            + &"<a x='>' ".repeat(20_000)
            + &"{{ ".repeat(20_000)
            + ">";
        let start = std::time::Instant::now();
        let _ = segs(&many);
        assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    }

    #[test]
    fn separators() {
        assert!(tag_ends_phrase("{% else %}"));
        assert!(tag_ends_phrase("{%- elsif x -%}"));
        assert!(tag_ends_phrase("{{else}}"));
        assert!(tag_ends_phrase("{{^}}"));
        assert!(tag_ends_phrase("*|ELSE:|*"));
        assert!(tag_ends_phrase("%%[ ELSEIF @a THEN ]%%"));
        assert!(tag_ends_phrase("{% endblock %}"));
        assert!(!tag_ends_phrase("{% endif %}"));
        assert!(!tag_ends_phrase("{{#if x}}"));
    }
}
