//! CSV files of messages (SMS sends, subject-line tests), as RFC 4180 writes them: quoted fields with
//! `""` escapes, CRLF or LF records, quoted fields spanning lines. Every field is its own segment at
//! its own position, except the header row, which names columns and is not copy (a first row that
//! reads like messages rather than labels is no header). IDs, dates and URLs are skipped as data.
//! Files that use `;` or tabs instead of commas (as spreadsheet exports in many locales do) are
//! recognised from the header row.
//!
//! Hand-written rather than with the `csv` crate because that crate reports a record's position, not
//! each field's, and segments must map every byte back to its line and column.

use super::segment::{Segment, SegmentBuilder};
use super::tagged::{TaggedText, Unescaped};
use super::value::looks_like_data;
use super::ExtractCtx;
use std::ops::Range;

/// Extracts the fields of a CSV file.
pub fn extract(text: &str, ctx: &mut ExtractCtx) -> Vec<Segment> {
    let sep = separator(text);
    let b = text.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut p = 0;
    let mut record = 0usize;
    let mut first_row: Vec<(Range<usize>, bool)> = Vec::new();
    // No `"` at or after this position: an unterminated field needs no new search.
    let mut no_quote_from = usize::MAX;
    while p < n {
        // One field.
        let (content, quoted, next) = if b[p] == b'"' {
            quoted_field(text, p, sep, ctx, &mut no_quote_from)
        } else {
            let end = field_end(b, p, sep);
            let content_end = if end > p && b[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            (p..content_end, false, end)
        };
        if record == 0 {
            first_row.push((content, quoted));
        } else {
            push_field(text, content, quoted, ctx, &mut out);
        }
        p = next;
        if p < n {
            if b[p] == b'\n' {
                record += 1;
            }
            p += 1; // the separator or the newline
        }
    }
    if !is_header(text, &first_row) {
        let mut first = Vec::new();
        for (content, quoted) in first_row {
            push_field(text, content, quoted, ctx, &mut first);
        }
        first.append(&mut out);
        out = first;
    }
    out
}

/// True when the first row names columns (`id,segment,send_at,message`) rather than holding a
/// message: every field is a short label of at most four words, without sentence punctuation,
/// currency or template tags. Files of bare messages have no header to skip.
fn is_header(text: &str, row: &[(Range<usize>, bool)]) -> bool {
    row.iter().all(|(r, _)| {
        let f = text[r.clone()].trim();
        f.len() <= 40
            && f.split_whitespace().count() <= 4
            && !f.contains([
                '.', '!', '?', '$', '\u{a3}', '\u{20ac}', '%', '{', '*', '\'',
            ])
    })
}

/// The first separator or newline at or after `from`, else the end of the text.
fn field_end(bytes: &[u8], from: usize, sep: u8) -> usize {
    memchr::memchr2(sep, b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

/// The field separator: `,` unless the header row has none but has `;` or tabs.
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// A quoted field opening at `p`: its content range (`""` escapes still in it), `true`, and where
/// the field ends (at the separator or newline after it).
fn quoted_field(
    text: &str,
    p: usize,
    sep: u8,
    ctx: &mut ExtractCtx,
    no_quote_from: &mut usize,
) -> (Range<usize>, bool, usize) {
    let b = text.as_bytes();
    let n = b.len();
    let mut q = p + 1;
    loop {
        let found = if q >= *no_quote_from {
            None
        } else {
            text[q..].find('"')
        };
        if found.is_none() {
            *no_quote_from = (*no_quote_from).min(q);
        }
        match found {
            Some(i) if b.get(q + i + 1) == Some(&b'"') => q += i + 2,
            Some(i) => {
                let close = q + i;
                // After the closing quote comes a separator or the record's end; anything else is
                // kept out of the field with a warning.
                let end = field_end(b, close + 1, sep);
                let stray = text[close + 1..end].trim_end_matches('\r');
                if !stray.trim().is_empty() {
                    ctx.warn(close + 1, "text after a quoted field's closing quote was ignored (a quote inside a quoted field is written `\"\"`)");
                }
                return (p + 1..close, true, end);
            }
            None => {
                // Unterminated: the field runs to the end of its line, so one stray quote does
                // not swallow the rest of the file.
                let eol = text[p..].find('\n').map_or(n, |i| p + i);
                ctx.warn(
                    p,
                    "this quoted field is never closed: it was read to the end of its line",
                );
                let content_end = if eol > p + 1 && b[eol - 1] == b'\r' {
                    eol - 1
                } else {
                    eol
                };
                return (p + 1..content_end.max(p + 1), true, eol);
            }
        }
    }
}

fn push_field(
    text: &str,
    content: Range<usize>,
    quoted: bool,
    ctx: &mut ExtractCtx,
    out: &mut Vec<Segment>,
) {
    let raw = &text[content.clone()];
    if looks_like_data(raw) {
        return;
    }
    let tagged = TaggedText::new(raw, content.start, ctx);
    let mut b = SegmentBuilder::new();
    if quoted {
        tagged.push_decoded(&mut b, 0..raw.len(), ctx, b'"', |s| {
            s.starts_with("\"\"").then_some((Unescaped::Str("\""), 2))
        });
    } else {
        tagged.push_range(&mut b, 0..raw.len(), ctx);
    }
    b.finish_into(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldClassifier;

    fn run(text: &str) -> (Vec<Segment>, Vec<(usize, String)>) {
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let segs = extract(text, &mut ctx);
        (segs, ctx.warnings)
    }

    fn texts(text: &str) -> Vec<String> {
        run(text).0.into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn header_skipped_fields_are_segments() {
        let t = "id,segment,send_at,message\r\nsms-1,all,2025-05-02 09:00,\"Hi *|FNAME|*, \"\"quoted\"\"\r\nover lines\"\r\nsms-2,vip,2025-05-03 10:00,Plain message here\r\n";
        let (segs, warnings) = run(t);
        assert!(warnings.is_empty());
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "all",
                "Hi \u{E000},reader,\u{E001}, \"quoted\" over lines",
                "vip",
                "Plain message here"
            ]
        );
        let s = &segs[1];
        let at = s.text.find("\"quoted\"").unwrap();
        assert_eq!(&t[s.original_range(at..at + 8)], "\"\"quoted\"\"");
    }

    #[test]
    fn a_first_row_of_messages_is_not_a_header() {
        assert_eq!(
            texts("You spent $5 today!,Hi there.\nNext one here,And more\n"),
            vec![
                "You spent $5 today!",
                "Hi there.",
                "Next one here",
                "And more"
            ]
        );
        assert_eq!(
            texts("Message text,Variant name\nHello you,A\n"),
            vec!["Hello you", "A"]
        );
    }

    #[test]
    fn semicolons_and_tabs() {
        assert_eq!(texts("a;b\nx y;z w\n"), vec!["x y", "z w"]);
        assert_eq!(texts("a\tb\nx, y\tz\n"), vec!["x, y", "z"]);
    }

    #[test]
    fn malformed_rows_warn_and_keep_text() {
        let t = "h,m\n1,\"ok\" trailing\n2,\"never closed, still text\n3,fine text\n";
        let (segs, warnings) = run(t);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["ok", "never closed, still text", "fine text"]);
        let lines: Vec<usize> = warnings
            .iter()
            .map(|(at, _)| t[..*at].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![2, 3]);
    }
}
