//! Markdown: YAML front matter (`subject`, `preheader`, `title` and the like are copy, each its own
//! segment), then block structure — paragraphs, headings, list items, quotes and table cells are
//! segments; code fences and HTML comments are not copy. Inline markup (emphasis, links, images,
//! inline HTML) is dropped and the text kept.

use super::segment::{Segment, SegmentBuilder};
use super::tagged::TaggedText;
use super::{line_ranges, Comment, ExtractCtx};
use std::ops::Range;

/// Front-matter keys whose values are sent to the reader.
const COPY_KEYS: &[&str] = &[
    "subject",
    "preheader",
    "preview",
    "preview_text",
    "title",
    "description",
];

/// Extracts the copy of a Markdown file.
pub fn extract(text: &str, ctx: &mut ExtractCtx) -> Vec<Segment> {
    let tagged = TaggedText::new(text, 0, ctx);
    let mut out = Vec::new();
    let lines: Vec<Range<usize>> = line_ranges(text).collect();
    let mut i = 0;
    if lines.first().is_some_and(|l| &text[l.clone()] == "---") {
        if let Some(close) = lines[1..]
            .iter()
            .position(|l| matches!(&text[l.clone()], "---" | "..."))
        {
            front_matter(&tagged, &lines[1..=close], ctx, &mut out);
            i = close + 2;
        }
    }
    body(&tagged, &lines[i..], ctx, &mut out);
    tagged.push_literal_copy(&mut out);
    out
}

fn front_matter(
    tagged: &TaggedText,
    lines: &[Range<usize>],
    ctx: &ExtractCtx,
    out: &mut Vec<Segment>,
) {
    let text = tagged.text;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].clone();
        i += 1;
        let l = &text[line.clone()];
        if l.starts_with([' ', '\t', '#']) {
            continue;
        }
        let Some(colon) = l.find(':') else { continue };
        let key = l[..colon].trim().to_ascii_lowercase();
        if !COPY_KEYS.contains(&key.as_str()) {
            continue;
        }
        let after = line.start + colon + 1;
        let raw = &text[after..line.end];
        // Trim the value; an all-blank value (`subject:  `) trims to an empty range, not a reversed one.
        let trimmed = raw.trim();
        let lead = raw.len() - raw.trim_start().len();
        let value = after + lead..after + lead + trimmed.len();
        let v = &text[value.clone()];
        let mut b = SegmentBuilder::new();
        if v.starts_with('>') || v.starts_with('|') {
            // A block scalar: the indented lines that follow.
            while i < lines.len()
                && (text[lines[i].clone()].starts_with([' ', '\t']) || lines[i].is_empty())
            {
                tagged.push_range(&mut b, lines[i].clone(), ctx);
                b.push_space(lines[i].end..lines[i].end);
                i += 1;
            }
        } else if (v.starts_with('"') && v.ends_with('"')
            || v.starts_with('\'') && v.ends_with('\''))
            && v.len() >= 2
        {
            tagged.push_range(&mut b, value.start + 1..value.end - 1, ctx);
        } else {
            tagged.push_range(&mut b, value, ctx);
        }
        b.finish_into(out);
    }
}

/// What a body line starts.
enum Block {
    Blank,
    Fence(String),
    Heading(usize),
    Rule,
    ListItem(usize),
    Quote(usize),
    TableRow,
    Paragraph,
}

fn classify(line: &str) -> Block {
    let indent = line.len() - line.trim_start().len();
    let t = line.trim_start();
    if t.trim().is_empty() {
        return Block::Blank;
    }
    if t.starts_with("```") || t.starts_with("~~~") {
        return Block::Fence(t[..3].to_string());
    }
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t']) {
        return Block::Heading(indent + hashes + 1);
    }
    if is_rule(t) {
        return Block::Rule;
    }
    if t.starts_with(['-', '*', '+']) && t[1..].starts_with([' ', '\t']) {
        return Block::ListItem(indent + 2);
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits)
        && t[digits..].starts_with(['.', ')'])
        && t[digits + 1..].starts_with([' ', '\t'])
    {
        return Block::ListItem(indent + digits + 2);
    }
    if let Some(rest) = t.strip_prefix('>') {
        let skip = if rest.starts_with(' ') { 2 } else { 1 };
        return Block::Quote(indent + skip);
    }
    if t.starts_with('|') {
        return Block::TableRow;
    }
    Block::Paragraph
}

/// True for a thematic break or setext underline: three or more of one of `-`, `*`, `_`, `=`,
/// with any whitespace between them.
fn is_rule(t: &str) -> bool {
    let mut marks = t.chars().filter(|c| !c.is_whitespace());
    let Some(first) = marks.next().filter(|c| matches!(c, '-' | '*' | '_' | '=')) else {
        return false;
    };
    let mut count = 1;
    for c in marks {
        if c != first {
            return false;
        }
        count += 1;
    }
    count >= 3
}

fn body(tagged: &TaggedText, lines: &[Range<usize>], ctx: &mut ExtractCtx, out: &mut Vec<Segment>) {
    let text = tagged.text;
    let mut b = SegmentBuilder::new();
    let mut fence: Option<String> = None;
    let mut in_comment = false;
    for line in lines {
        let l = &text[line.clone()];
        if let Some(f) = &fence {
            if l.trim_start().starts_with(f.as_str()) {
                fence = None;
            }
            continue;
        }
        if in_comment {
            if let Some(end) = l.find("-->") {
                in_comment = false;
                let _ = end;
            }
            continue;
        }
        if tagged.is_blank(line.clone()) {
            b.finish_into(out);
            continue;
        }
        let mut content = line.clone();
        // Quotes may nest: strip every `>` marker, then classify what is inside.
        let mut block = classify(l);
        while let Block::Quote(skip) = block {
            content.start += skip.min(content.end - content.start);
            block = classify(&text[content.clone()]);
        }
        match block {
            Block::Blank => b.finish_into(out),
            Block::Fence(f) => {
                b.finish_into(out);
                fence = Some(f);
            }
            Block::Rule => b.finish_into(out),
            Block::Heading(skip) => {
                b.finish_into(out);
                let start = content.start + skip.min(content.len());
                inline(tagged, start..content.end, ctx, &mut b, out);
                b.finish_into(out);
            }
            Block::ListItem(skip) => {
                b.finish_into(out);
                inline(
                    tagged,
                    content.start + skip.min(content.len())..content.end,
                    ctx,
                    &mut b,
                    out,
                );
                b.push_space(content.end..content.end);
            }
            Block::TableRow => {
                b.finish_into(out);
                let row = &text[content.clone()];
                if row
                    .chars()
                    .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
                {
                    continue;
                }
                let mut cell_start = content.start;
                for (k, c) in row.char_indices() {
                    if c == '|' {
                        let at = content.start + k;
                        inline(tagged, cell_start..at, ctx, &mut b, out);
                        b.finish_into(out);
                        cell_start = at + 1;
                    }
                }
                inline(tagged, cell_start..content.end, ctx, &mut b, out);
                b.finish_into(out);
            }
            Block::Paragraph | Block::Quote(_) => {
                let l = &text[content.clone()];
                if l.trim_start().starts_with("<!--") && !l.contains("-->") {
                    b.finish_into(out);
                    let start = content.start + l.find("<!--").unwrap_or(0) + 4;
                    ctx.comments.push(Comment {
                        range: start..content.end,
                        text: text[start..content.end].to_string(),
                    });
                    in_comment = true;
                    continue;
                }
                inline(tagged, content.clone(), ctx, &mut b, out);
                b.push_space(content.end..content.end);
            }
        }
    }
    b.finish_into(out);
}

/// Bytes where inline markup may start: everything else is copied as it is.
fn is_inline_markup(b: u8) -> bool {
    matches!(
        b,
        b'\\' | b'*' | b'~' | b'`' | b'_' | b'!' | b'[' | b']' | b'<'
    )
}

/// Pushes one line's copy with inline Markdown markup removed.
fn inline(
    tagged: &TaggedText,
    range: Range<usize>,
    ctx: &mut ExtractCtx,
    b: &mut SegmentBuilder,
    _out: &mut Vec<Segment>,
) {
    let text = tagged.text;
    let bytes = text.as_bytes();
    let mut copy_from = range.start;
    let mut p = range.start;
    let mut comments = Vec::new();
    let flush = |b: &mut SegmentBuilder, r: Range<usize>| {
        if r.start < r.end {
            tagged.push_range(b, r, ctx);
        }
    };
    // Index of the first template tag that ends after `p` (`p` only moves forward).
    let tags = &tagged.tags;
    let mut t = tags.partition_point(|tag| tag.range.end <= p);
    while p < range.end {
        while tags.get(t).is_some_and(|tag| tag.range.end <= p) {
            t += 1;
        }
        let next_tag = match tags.get(t) {
            Some(tag) if tag.range.start <= p => {
                p = tag.range.end.max(p + 1);
                continue;
            }
            Some(tag) => tag.range.start.min(range.end),
            None => range.end,
        };
        let c = bytes[p];
        match c {
            b'\\' if p + 1 < range.end && bytes[p + 1].is_ascii_punctuation() => {
                flush(b, copy_from..p);
                copy_from = p + 1;
                p += 2;
            }
            b'*' | b'~' | b'`' => {
                flush(b, copy_from..p);
                p += 1;
                copy_from = p;
            }
            b'_' => {
                let before = p > range.start && (bytes[p - 1] as char).is_alphanumeric();
                let after = p + 1 < range.end && (bytes[p + 1] as char).is_alphanumeric();
                if before && after {
                    p += 1; // snake_case inside a word
                } else {
                    flush(b, copy_from..p);
                    p += 1;
                    copy_from = p;
                }
            }
            b'!' if bytes.get(p + 1) == Some(&b'[') => {
                flush(b, copy_from..p);
                p += 2;
                copy_from = p;
            }
            b'[' => {
                flush(b, copy_from..p);
                p += 1;
                copy_from = p;
            }
            b']' => {
                flush(b, copy_from..p);
                p += 1;
                let closer = match bytes.get(p) {
                    Some(b'(') => Some(b')'),
                    Some(b'[') => Some(b']'),
                    _ => None,
                };
                if let Some(closer) = closer {
                    // Skip the link target, template tags inside it included.
                    let mut q = p + 1;
                    while q < range.end && bytes[q] != closer {
                        q = tagged.tag_at(q).map_or(q + 1, |t| t.range.end.max(q + 1));
                    }
                    p = (q + 1).min(range.end);
                }
                copy_from = p;
            }
            b'<' if bytes
                .get(p + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!') =>
            {
                let Some(close) = text[p..range.end].find('>') else {
                    p += 1;
                    continue;
                };
                flush(b, copy_from..p);
                let inner = &text[p + 1..p + close];
                if let Some(body) = inner.strip_prefix("!--").and_then(|s| s.strip_suffix("--")) {
                    let start = p + 4;
                    comments.push(Comment {
                        range: start..start + body.len(),
                        text: body.to_string(),
                    });
                }
                b.push_space(p..p + close + 1);
                p += close + 1;
                copy_from = p;
            }
            _ => {
                p += 1;
                while p < next_tag && !is_inline_markup(bytes[p]) {
                    p += 1;
                }
            }
        }
    }
    flush(b, copy_from..range.end);
    ctx.comments.extend(comments);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldClassifier;

    fn segments(text: &str) -> Vec<String> {
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        extract(text, &mut ctx)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn front_matter_copy_keys_are_segments() {
        let t = "---\nsubject: \"Hi {{ first_name }}! New in\"\nfrom: Shop\npreheader: 'It''s here'\n---\n\nBody text\ncontinues.\n";
        let s = segments(t);
        assert_eq!(s[0], "Hi \u{E000},reader,\u{E001}! New in");
        assert_eq!(s[1], "It''s here");
        assert_eq!(s[2], "Body text continues.");
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn markup_is_stripped_and_code_skipped() {
        let t = "# Title\n\n- **Bold** item with [a link](http://x/{{ u }})\n- two\n\n```\nYou spent $5\n```\n\n> quoted _text_ here\n";
        let s = segments(t);
        assert_eq!(
            s,
            vec!["Title", "Bold item with a link", "two", "quoted text here"]
        );
    }
}
