//! YAML files of messages (subject-line tests, SMS variants): every scalar value is its own segment
//! at its own position; keys are not copy; `#` comments are kept for inline directives.
//!
//! Hand-written for the subset campaign files use — block mappings and sequences, plain, single- and
//! double-quoted scalars (also over several lines), block scalars (`|`, `>-`...) and one-level flow
//! collections (`[a, b]`, `{k: v}`) — because no YAML crate reports where each line of a folded
//! scalar came from: `>-` joins lines, and a finding on the second line must point at that line.
//! Here every piece of a value is pushed from its original bytes, so positions are exact by design.

use super::segment::{Segment, SegmentBuilder};
use super::tagged::{TaggedText, Unescaped};
use super::value::looks_like_data;
use super::{line_ranges, Comment, ExtractCtx};
use std::ops::Range;

/// Extracts the scalar values of a YAML file.
pub fn extract(text: &str, ctx: &mut ExtractCtx) -> Vec<Segment> {
    let lines: Vec<Range<usize>> = line_ranges(text).collect();
    let mut y = Yaml {
        text,
        lines,
        out: Vec::new(),
        warned_tabs: false,
    };
    let mut i = 0;
    while i < y.lines.len() {
        i = y.line(i, ctx);
    }
    y.out
}

struct Yaml<'a> {
    text: &'a str,
    lines: Vec<Range<usize>>,
    out: Vec<Segment>,
    warned_tabs: bool,
}

fn skip_spaces(text: &str, mut p: usize, end: usize) -> usize {
    while p < end && matches!(text.as_bytes()[p], b' ' | b'\t') {
        p += 1;
    }
    p
}

/// The number of leading spaces of a line.
fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

impl Yaml<'_> {
    /// Reads the node starting on line `i`; returns the next line to read.
    fn line(&mut self, i: usize, ctx: &mut ExtractCtx) -> usize {
        let text = self.text;
        let line = self.lines[i].clone();
        let l = &text[line.clone()];
        let indent = indent_of(l);
        // A blank line may hold tabs; only a tab before content is indentation.
        if l[indent..].starts_with('\t') && !l.trim().is_empty() && !self.warned_tabs {
            self.warned_tabs = true;
            ctx.warn(line.start + indent, "tab in indentation (YAML indents with spaces only); the line was read as if it were spaces");
        }
        let mut p = skip_spaces(text, line.start, line.end);
        let rest = &text[p..line.end];
        if rest.is_empty() {
            return i + 1;
        }
        if rest.starts_with('#') {
            self.comment(p, line.end, ctx);
            return i + 1;
        }
        if rest == "---" || rest.starts_with("--- ") || rest == "..." || rest.starts_with('%') {
            let after = if rest.starts_with("--- ") {
                p + 4
            } else {
                line.end
            };
            if after < line.end {
                return self.value(i, after, indent, ctx);
            }
            return i + 1;
        }
        // Sequence markers, possibly several on one line (`- - a`).
        let mut parent = indent;
        loop {
            let r = &text[p..line.end];
            if r == "-" {
                return i + 1;
            }
            if r.starts_with("- ") || r.starts_with("-\t") {
                parent = p - line.start;
                p = skip_spaces(text, p + 1, line.end);
            } else {
                break;
            }
        }
        match self.key_end(p, line.end) {
            Some(value_start) => {
                let key_col = p - line.start;
                self.value(i, value_start, key_col, ctx)
            }
            None => self.value(i, p, parent, ctx),
        }
    }

    /// If a `key:` starts at `p`, where its value starts (after the colon and spaces).
    fn key_end(&self, p: usize, end: usize) -> Option<usize> {
        let text = self.text;
        let b = text.as_bytes();
        let mut q = p;
        match b.get(p) {
            Some(&quote @ (b'"' | b'\'')) => {
                q = p + 1;
                while q < end && b[q] != quote {
                    q += if b[q] == b'\\' && quote == b'"' { 2 } else { 1 };
                }
                q = skip_spaces(text, (q + 1).min(end), end);
                if q < end && b[q] == b':' && (q + 1 == end || matches!(b[q + 1], b' ' | b'\t')) {
                    return Some(skip_spaces(text, q + 1, end));
                }
                return None;
            }
            Some(b'[') => return None,
            Some(b'{') if !matches!(b.get(p + 1), Some(b'{' | b'%')) => return None,
            Some(b'|' | b'>' | b'&' | b'*' | b'!') => return None,
            _ => {}
        }
        while q < end {
            match b[q] {
                b'{' if matches!(b.get(q + 1), Some(b'{' | b'%')) => {
                    // Step over a template tag: `: ` inside `{{ x | default: "y" }}` is no key.
                    let close = if b[q + 1] == b'{' { "}}" } else { "%}" };
                    q = text[q + 2..end].find(close).map_or(end, |i| q + 2 + i + 2);
                    continue;
                }
                b'#' if q > p && matches!(b[q - 1], b' ' | b'\t') => return None,
                b':' if q + 1 == end || matches!(b[q + 1], b' ' | b'\t') => {
                    return Some(skip_spaces(text, q + 1, end));
                }
                _ => {}
            }
            q += 1;
        }
        None
    }

    fn comment(&mut self, hash: usize, end: usize, ctx: &mut ExtractCtx) {
        let body = hash + 1..end;
        ctx.comments.push(Comment {
            text: self.text[body.clone()].to_string(),
            range: body,
        });
    }

    /// Reads the value that starts at byte `p` of line `i`, whose parent (key or `-`) sits at
    /// column `parent`; returns the next line to read.
    fn value(&mut self, i: usize, mut p: usize, parent: usize, ctx: &mut ExtractCtx) -> usize {
        let text = self.text;
        let end = self.lines[i].end;
        // Anchors and tags before the value: `&a`, `!!str`, `!custom`.
        while p < end && matches!(text.as_bytes()[p], b'&' | b'!') {
            let sp = text[p..end].find([' ', '\t']).map_or(end, |k| p + k);
            p = skip_spaces(text, sp, end);
        }
        let rest = &text[p..end];
        if rest.is_empty() {
            return i + 1;
        }
        match rest.as_bytes()[0] {
            b'#' => {
                self.comment(p, end, ctx);
                i + 1
            }
            b'*' => i + 1, // an alias
            b'|' | b'>' => self.block_scalar(i, p, parent, ctx),
            b'"' | b'\'' => {
                let (next_line, _) = self.quoted(i, p, ctx, None);
                next_line
            }
            b'[' => self.flow(p, ctx),
            b'{' if !matches!(rest.as_bytes().get(1), Some(b'{' | b'%')) => self.flow(p, ctx),
            _ => self.plain(i, p, parent, ctx),
        }
    }

    /// A plain scalar: the rest of the line up to a ` #` comment, continued on following lines that
    /// are indented more than its parent.
    fn plain(&mut self, i: usize, p: usize, parent: usize, ctx: &mut ExtractCtx) -> usize {
        let text = self.text;
        let mut pieces = vec![self.plain_piece(p, self.lines[i].end, ctx)];
        let mut j = i + 1;
        while j < self.lines.len() {
            let l = &text[self.lines[j].clone()];
            let ind = indent_of(l);
            let t = l[ind..].trim_end();
            if t.is_empty() || t.starts_with('#') || ind <= parent {
                break;
            }
            let start = self.lines[j].start + ind;
            if self.key_end(start, self.lines[j].end).is_some() || t.starts_with("- ") {
                break;
            }
            pieces.push(self.plain_piece(start, self.lines[j].end, ctx));
            j += 1;
        }
        let span = pieces[0].start..pieces[pieces.len() - 1].end;
        if !looks_like_data(&text[span.clone()]) {
            let tagged = TaggedText::new(&text[span.clone()], span.start, ctx);
            let mut b = SegmentBuilder::new();
            for piece in pieces {
                tagged.push_range(
                    &mut b,
                    piece.start - span.start..piece.end - span.start,
                    ctx,
                );
                b.push_space(piece.end..piece.end);
            }
            b.finish_into(&mut self.out);
        }
        j
    }

    /// The text of one line of a plain scalar from `p`, with a trailing ` #` comment recorded and cut.
    fn plain_piece(&mut self, p: usize, end: usize, ctx: &mut ExtractCtx) -> Range<usize> {
        let b = self.text.as_bytes();
        let mut q = p;
        while q < end {
            if b[q] == b'#' && q > p && matches!(b[q - 1], b' ' | b'\t') {
                self.comment(q, end, ctx);
                break;
            }
            q += 1;
        }
        let value = &self.text[p..q];
        p..p + value.trim_end().len()
    }

    /// A quoted scalar opening at `p` on line `i`, possibly over several lines. Returns the next
    /// line to read and the byte after the closing quote. `stop` bounds the search (flow context).
    fn quoted(
        &mut self,
        i: usize,
        p: usize,
        ctx: &mut ExtractCtx,
        stop: Option<usize>,
    ) -> (usize, usize) {
        let text = self.text;
        let b = text.as_bytes();
        let quote = b[p];
        let limit = stop.unwrap_or(text.len());
        let start_indent = indent_of(&text[self.lines[i].clone()]);
        let mut q = p + 1;
        let mut close = None;
        while q < limit {
            if b[q] == b'\n' && stop.is_none() {
                // A continuation line must be indented more than the line the value starts on;
                // a line that is not belongs to the next node, and this quote was never closed.
                let next = &text[q + 1..];
                let ind = indent_of(next);
                let blank = next[ind..].starts_with(['\n', '\r']) || next[ind..].is_empty();
                if !blank && ind <= start_indent {
                    break;
                }
            }
            if b[q] == b'\\' && quote == b'"' {
                q += 2;
                continue;
            }
            if b[q] == quote {
                if quote == b'\'' && b.get(q + 1) == Some(&b'\'') {
                    q += 2;
                    continue;
                }
                close = Some(q);
                break;
            }
            q += 1;
        }
        let content = match close {
            Some(c) => p + 1..c,
            None => {
                ctx.warn(
                    p,
                    format!(
                        "unterminated {}-quoted string: read to the end of its line",
                        if quote == b'"' { "double" } else { "single" }
                    ),
                );
                p + 1..self.lines[i].end.min(limit).max(p + 1)
            }
        };
        let content = content.start..content.end.min(text.len());
        if !looks_like_data(&text[content.clone()]) {
            let tagged = TaggedText::new(&text[content.clone()], content.start, ctx);
            let mut b = SegmentBuilder::new();
            let len = content.end - content.start;
            if quote == b'"' {
                tagged.push_decoded(&mut b, 0..len, ctx, b'\\', unescape);
            } else {
                tagged.push_decoded(&mut b, 0..len, ctx, b'\'', |s| {
                    s.starts_with("''").then_some((Unescaped::Str("'"), 2))
                });
            }
            b.finish_into(&mut self.out);
        }
        let after = close.map_or(content.end, |c| c + 1);
        // The line holding the end, and a comment after the value on it.
        let mut j = i;
        while j + 1 < self.lines.len() && self.lines[j].end < after {
            j += 1;
        }
        if stop.is_none() {
            let line_end = self.lines[j].end;
            let rest = skip_spaces(text, after.min(line_end), line_end);
            if text[rest..line_end].starts_with('#') {
                self.comment(rest, line_end, ctx);
            }
        }
        (j + 1, after)
    }

    /// A block scalar (`|`, `>`, with chomping and indentation indicators) whose header is at `p`:
    /// each paragraph of its lines is one segment, each line pushed from where it is.
    fn block_scalar(&mut self, i: usize, p: usize, parent: usize, ctx: &mut ExtractCtx) -> usize {
        let text = self.text;
        let end = self.lines[i].end;
        let header = &text[p..end];
        let explicit = header
            .bytes()
            .skip(1)
            .take(2)
            .find(|b| b.is_ascii_digit())
            .map(|d| usize::from(d - b'0'));
        if let Some(h) = header.find(" #") {
            self.comment(p + h + 1, end, ctx);
        }
        let mut j = i + 1;
        let mut block_indent = explicit.map(|e| parent + e);
        let mut content: Vec<Range<usize>> = Vec::new();
        while j < self.lines.len() {
            let line = self.lines[j].clone();
            let l = &text[line.clone()];
            let ind = indent_of(l);
            if l.trim().is_empty() {
                content.push(line.end..line.end); // a blank line: a paragraph break
                j += 1;
                continue;
            }
            let bi = *block_indent.get_or_insert(ind);
            if ind < bi || ind <= parent {
                break;
            }
            content.push(line.start + bi..line.end);
            j += 1;
        }
        // Trailing blank lines belong to what follows.
        while content.last().is_some_and(|r| r.is_empty()) && j > i + 1 {
            content.pop();
        }
        let Some(first) = content.iter().find(|r| !r.is_empty()) else {
            return j;
        };
        let span = first.start..content.iter().map(|r| r.end).max().unwrap_or(first.end);
        let tagged = TaggedText::new(&text[span.clone()], span.start, ctx);
        let mut b = SegmentBuilder::new();
        for r in content.iter().filter(|r| r.start >= span.start) {
            if r.is_empty() {
                b.finish_into(&mut self.out);
                continue;
            }
            tagged.push_range(&mut b, r.start - span.start..r.end - span.start, ctx);
            b.push_space(r.end..r.end);
        }
        b.finish_into(&mut self.out);
        j
    }

    /// A flow collection (`[a, "b"]`, `{k: v}`) starting at `p`: each value is a segment, keys are
    /// not. Nested collections are read the same way.
    fn flow(&mut self, p: usize, ctx: &mut ExtractCtx) -> usize {
        let text = self.text;
        let b = text.as_bytes();
        let mut depth = 0usize;
        let mut q = p;
        while q < text.len() {
            match b[q] {
                b'[' | b'{' => {
                    depth += 1;
                    q += 1;
                }
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    q += 1;
                    if depth == 0 {
                        break;
                    }
                }
                b',' | b' ' | b'\t' | b'\r' | b'\n' => q += 1,
                b'#' if q > 0 && b[q - 1].is_ascii_whitespace() => {
                    let eol = text[q..].find('\n').map_or(text.len(), |k| q + k);
                    self.comment(q, eol, ctx);
                    q = eol;
                }
                b'"' | b'\'' => {
                    let line = self.line_of(q);
                    let (_, after) = self.quoted_flow(line, q, ctx);
                    q = after;
                }
                _ => {
                    // A plain scalar up to `,` `]` `}` or a `: ` that makes it a key.
                    let start = q;
                    while q < text.len()
                        && !matches!(b[q], b',' | b']' | b'}' | b'\n' | b'[' | b'{')
                    {
                        if b[q] == b':'
                            && matches!(b.get(q + 1), Some(b' ' | b'\t' | b'\n' | b'\r'))
                        {
                            break;
                        }
                        q += 1;
                    }
                    if q == start {
                        q += 1;
                        continue;
                    }
                    if b.get(q) == Some(&b':') {
                        q += 1; // a key
                        continue;
                    }
                    let value = &text[start..q];
                    let trimmed = start..start + value.trim_end().len();
                    if !looks_like_data(&text[trimmed.clone()]) {
                        let tagged = TaggedText::new(&text[trimmed.clone()], trimmed.start, ctx);
                        let mut sb = SegmentBuilder::new();
                        tagged.push_range(&mut sb, 0..trimmed.end - trimmed.start, ctx);
                        sb.finish_into(&mut self.out);
                    }
                }
            }
        }
        if depth > 0 {
            ctx.warnings
                .push((p, "this flow collection is never closed".into()));
        }
        self.line_of(q.min(text.len().saturating_sub(1))) + 1
    }

    /// A quoted scalar inside a flow collection; a key when a `:` follows.
    fn quoted_flow(&mut self, line: usize, q: usize, ctx: &mut ExtractCtx) -> (usize, usize) {
        let before = self.out.len();
        let (next, after) = self.quoted(line, q, ctx, None);
        let k = skip_spaces(self.text, after, self.text.len());
        if self.text.as_bytes().get(k) == Some(&b':') {
            self.out.truncate(before); // it was a key
        }
        (next, after)
    }

    fn line_of(&self, pos: usize) -> usize {
        self.lines
            .partition_point(|l| l.end < pos)
            .min(self.lines.len().saturating_sub(1))
    }
}

/// Decodes a YAML double-quoted escape at the start of `s` (which starts with `\`).
pub fn unescape(s: &str) -> Option<(Unescaped, usize)> {
    let b = s.as_bytes();
    let simple = match b.get(1)? {
        b'0' => "\0",
        b'a' => "\u{7}",
        b'b' => "\u{8}",
        b't' | b'\t' => "\t",
        b'n' => "\n",
        b'v' => "\u{b}",
        b'f' => "\u{c}",
        b'r' => "\r",
        b'e' => "\u{1b}",
        b' ' => " ",
        b'"' => "\"",
        b'/' => "/",
        b'\\' => "\\",
        b'N' => "\u{85}",
        b'_' => "\u{a0}",
        b'L' => "\u{2028}",
        b'P' => "\u{2029}",
        b'x' => return hex(s, 2),
        b'u' => return hex(s, 4),
        b'U' => return hex(s, 8),
        b'\r' | b'\n' => {
            // A line continuation: the break and the next line's indentation vanish.
            let mut n = 1;
            while n < b.len() && matches!(b[n], b'\r' | b'\n') {
                n += 1;
                if b[n - 1] == b'\n' {
                    break;
                }
            }
            while n < b.len() && matches!(b[n], b' ' | b'\t') {
                n += 1;
            }
            return Some((Unescaped::Str(""), n));
        }
        _ => return None,
    };
    Some((Unescaped::Str(simple), 2))
}

fn hex(s: &str, digits: usize) -> Option<(Unescaped, usize)> {
    let h = s.get(2..2 + digits)?;
    if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let c = u32::from_str_radix(h, 16).ok().and_then(char::from_u32)?;
    Some((Unescaped::Char(c), 2 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldClassifier;

    fn run(text: &str) -> (Vec<Segment>, Vec<(usize, String)>, Vec<String>) {
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let segs = extract(text, &mut ctx);
        let comments = ctx.comments.into_iter().map(|c| c.text).collect();
        (segs, ctx.warnings, comments)
    }

    fn texts(text: &str) -> Vec<String> {
        run(text).0.into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn mappings_sequences_and_scalars() {
        let t = "# top\ncampaign: autumn-refi-2025\nvariants:\n  - key: a\n    subject: \"Lower your payment\" # c\n    preheader: 'It''s here'\n  - plain value here\n  - url: https://x.example/a\n";
        let (segs, warnings, comments) = run(t);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["a", "Lower your payment", "It's here", "plain value here"]
        );
        assert!(warnings.is_empty());
        assert_eq!(comments, vec![" top", " c"]);
    }

    #[test]
    fn folded_block_scalar_maps_each_line() {
        let t = "a:\n  subject: >-\n    Settling into the new place? Protect it with\n    home cover from $9 a month\n  next: x y\n";
        let (segs, _, _) = run(t);
        assert_eq!(
            segs[0].text,
            "Settling into the new place? Protect it with home cover from $9 a month"
        );
        let at = segs[0].text.find("home cover").unwrap();
        let r = segs[0].original_range(at..at + 10);
        assert_eq!(&t[r.clone()], "home cover");
        assert_eq!(t[..r.start].matches('\n').count() + 1, 4);
        assert_eq!(segs[1].text, "x y");
    }

    #[test]
    fn literal_block_paragraphs_split() {
        let t = "body: |\n  Line one\n  line two\n\n  Second paragraph\nafter: done now\n";
        assert_eq!(
            texts(t),
            vec!["Line one line two", "Second paragraph", "done now"]
        );
    }

    #[test]
    fn double_quoted_escapes_and_multiline() {
        let t = "a: \"Spend \\u00a360\\n\\\"now\\\" \\\n   ok\"\nb: \"multi\n  line\"\nc: \"Hi: {{ name | default: \\\"x\\\" }}\"\n";
        let (segs, warnings, _) = run(t);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(segs[0].text, "Spend \u{a3}60 \"now\" ok");
        assert_eq!(segs[1].text, "multi line");
        assert_eq!(segs[2].fields.len(), 1);
    }

    #[test]
    fn flow_collections_and_keys_with_templates() {
        let t = "tags: [spring sale, \"You spent $5\", 42]\nmap: {title: Big news, id: x-1}\n- {{ first_name }}, hello: there\n";
        let s = texts(t);
        assert_eq!(s[..3], ["spring sale", "You spent $5", "Big news"]);
        assert_eq!(s[3], "there");
    }

    #[test]
    fn malformed_yaml_warns_with_position() {
        let t = "a: \"never closed\nb: fine value\n\tc: tabbed value\n";
        let (segs, warnings, _) = run(t);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["never closed", "fine value", "tabbed value"]);
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].0, 3);
        assert_eq!(&t[warnings[1].0..warnings[1].0 + 1], "\t");
    }
}
