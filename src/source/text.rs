//! Plain text: a paragraph (lines up to a blank line) is one segment, and a line that holds only
//! template logic (`{% if x %}`) separates paragraphs too, so that two branches never join.

use super::segment::{Segment, SegmentBuilder};
use super::tagged::TaggedText;
use super::{line_ranges, ExtractCtx};

/// Extracts the paragraphs of a plain-text file.
pub fn extract(text: &str, ctx: &mut ExtractCtx) -> Vec<Segment> {
    let tagged = TaggedText::new(text, 0, ctx);
    let mut segments = Vec::new();
    push_paragraphs(&tagged, 0..text.len(), ctx, &mut segments);
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
        if tagged.is_blank(line.clone()) {
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
                "Subject: You spent \u{E000},\u{E001}",
                "preheader: A thank-you",
                "Hi there, welcome back."
            ]
        );
    }
}
