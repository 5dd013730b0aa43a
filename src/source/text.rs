//! Plain text: a paragraph (lines up to a blank line) is one segment, and a line that holds only
//! template logic (`{% if x %}`) separates paragraphs too, so that two branches never join.
//! A line such as `# creeplint-disable-next-line` is a directive comment, not copy.

use super::segment::{Segment, SegmentBuilder};
use super::tagged::TaggedText;
use super::{line_ranges, Comment, ExtractCtx};

/// Extracts the paragraphs of a plain-text file.
pub fn extract(text: &str, ctx: &mut ExtractCtx) -> Vec<Segment> {
    let tagged = TaggedText::new(text, 0, ctx);
    for line in line_ranges(text) {
        if is_directive_line(&text[line.clone()]) {
            let start = line.start + text[line.clone()].find('#').unwrap_or(0) + 1;
            ctx.comments.push(Comment {
                range: start..line.end,
                text: text[start..line.end].to_string(),
            });
        }
    }
    let mut segments = Vec::new();
    push_paragraphs(&tagged, 0..text.len(), ctx, &mut segments);
    tagged.push_literal_copy(&mut segments);
    segments
}

/// A line such as `Subject: ...` or `Preheader: ...` at the top of a text template is a message of
/// its own, not part of the paragraph around it.
fn is_header_line(line: &str) -> bool {
    const HEADERS: &[&str] = &[
        "subject:",
        "subject line:",
        "preheader:",
        "preview:",
        "preview text:",
        "title:",
    ];
    let head = line.trim_start().as_bytes();
    HEADERS
        .iter()
        .any(|h| head.len() >= h.len() && head[..h.len()].eq_ignore_ascii_case(h.as_bytes()))
}

/// Pushes the paragraphs of `range` of a tagged text as segments.
pub fn push_paragraphs(
    tagged: &TaggedText,
    range: std::ops::Range<usize>,
    ctx: &ExtractCtx,
    out: &mut Vec<Segment>,
) {
    let mut b = SegmentBuilder::new();
    let slice = &tagged.text[range.clone()];
    for line in line_ranges(slice) {
        let line = range.start + line.start..range.start + line.end;
        if tagged.is_blank(line.clone()) || is_directive_line(&tagged.text[line.clone()]) {
            b.finish_into(out);
            continue;
        }
        let header = is_header_line(&tagged.text[line.clone()]);
        if header {
            b.finish_into(out);
        }
        tagged.push_range(&mut b, line.clone(), ctx);
        let eol = tagged.base + line.end;
        b.push_space(eol..eol + 1);
        if header {
            b.finish_into(out);
        }
    }
    b.finish_into(out);
}

/// True for a `#` comment line that carries a `creeplint-` directive. Other `#` lines stay copy:
/// in an SMS draft `#1 pick for you` is text.
pub fn is_directive_line(line: &str) -> bool {
    line.trim_start().starts_with('#') && line.contains("creeplint-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldClassifier;

    #[test]
    fn header_lines_are_their_own_segments() {
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let t =
            "Subject: You spent {{ total }}\npreheader: A thank-you\nHi there,\nwelcome back.\n";
        let texts: Vec<String> = extract(t, &mut ctx).into_iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            vec![
                "Subject: You spent \u{E000},reader,\u{E001}",
                "preheader: A thank-you",
                "Hi there, welcome back."
            ]
        );
    }

    #[test]
    fn hash_directive_lines_are_comments_not_copy() {
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let t = "# creeplint-disable-next-line spend\nYou spent $5.\n#1 pick for you\n";
        let texts: Vec<String> = extract(t, &mut ctx).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, vec!["You spent $5. #1 pick for you"]);
        assert_eq!(ctx.comments.len(), 1);
        assert_eq!(ctx.comments[0].text, " creeplint-disable-next-line spend");
    }
}
