//! JSON files of messages (push notifications, in-app copy): every string value is its own segment
//! at its own position; keys are not copy; escapes (`\u00a3`, surrogate pairs, `\"`, `\n`) are
//! decoded and still map to their original bytes.
//!
//! serde_json gives no positions for values, so this is a small linear scanner over tokens. A string
//! followed by `:` is a key; any other string is a value. That reading needs no tree, so a broken
//! file still yields every value it holds, with a warning naming the first problems. `//` and
//! `/* */` comments (JSONC) are accepted and kept for inline directives.

use super::segment::{Segment, SegmentBuilder};
use super::tagged::{TaggedText, Unescaped};
use super::value::looks_like_data;
use super::{Comment, ExtractCtx};

/// Extracts the string values of a JSON file.
pub fn extract(text: &str, ctx: &mut ExtractCtx) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut out = Vec::new();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let warn = |ctx: &mut ExtractCtx, at: usize, msg: String| ctx.warn(at, msg);
    let mut p = 0;
    while p < n {
        match bytes[p] {
            b' ' | b'\t' | b'\r' | b'\n' => p += 1,
            b'"' => {
                let (close, closed) = string_end(bytes, p + 1);
                if !closed {
                    warn(
                        ctx,
                        p,
                        "unterminated string (a JSON string ends on its own line with `\"`)".into(),
                    );
                }
                let mut q = if closed { close + 1 } else { close };
                while q < n && matches!(bytes[q], b' ' | b'\t' | b'\r' | b'\n') {
                    q += 1;
                }
                let is_key =
                    bytes.get(q) == Some(&b':') && stack.last().is_some_and(|s| s.0 == b'{');
                if !is_key {
                    push_string(text, p + 1..close, ctx, &mut out);
                }
                p = if closed { close + 1 } else { close };
            }
            open @ (b'{' | b'[') => {
                stack.push((open, p));
                p += 1;
            }
            close @ (b'}' | b']') => {
                let want = if close == b'}' { b'{' } else { b'[' };
                match stack.last() {
                    Some(&(o, _)) if o == want => {
                        stack.pop();
                    }
                    Some(&(o, _)) => {
                        // Recover: close the innermost container either way.
                        stack.pop();
                        warn(
                            ctx,
                            p,
                            format!("`{}` closes a `{}`", close as char, o as char),
                        );
                    }
                    None => warn(ctx, p, format!("unexpected `{}`", close as char)),
                }
                p += 1;
            }
            b':' | b',' => p += 1,
            b'/' if matches!(bytes.get(p + 1), Some(b'/' | b'*')) => {
                p = comment(text, p, ctx);
            }
            _ => {
                // A number or literal: up to the next delimiter.
                let start = p;
                while p < n
                    && !matches!(
                        bytes[p],
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b','
                            | b':'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b'"'
                    )
                {
                    p += 1;
                }
                if p == start {
                    p += 1;
                }
                let token = &text[start..super::floor_char_boundary(text, p)];
                if !is_literal(token) {
                    let shown: String = token.chars().take(20).collect();
                    warn(
                        ctx,
                        start,
                        format!("unexpected `{shown}` (not a JSON value)"),
                    );
                }
            }
        }
    }
    if let Some(&(open, at)) = stack.last() {
        warn(ctx, at, format!("this `{}` is never closed", open as char));
    }
    out
}

/// The end of a string whose content starts at `from`: the closing quote and `true`, or the end of
/// the line and `false` when the string is not closed on its line.
fn string_end(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut p = from;
    while p < bytes.len() {
        let Some(i) = memchr::memchr3(b'"', b'\\', b'\n', &bytes[p..]) else {
            break;
        };
        p += i;
        match bytes[p] {
            b'"' => return (p, true),
            b'\\' => p += 2,
            b'\n' => {
                let end = if p > from && bytes[p - 1] == b'\r' {
                    p - 1
                } else {
                    p
                };
                return (end, false);
            }
            _ => p += 1,
        }
    }
    (bytes.len(), false)
}

fn push_string(
    text: &str,
    range: std::ops::Range<usize>,
    ctx: &mut ExtractCtx,
    out: &mut Vec<Segment>,
) {
    let range = range.start..super::floor_char_boundary(text, range.end.min(text.len()));
    let raw = &text[range.clone()];
    if looks_like_data(raw) {
        return;
    }
    let tagged = TaggedText::new(raw, range.start, ctx);
    let mut b = SegmentBuilder::new();
    tagged.push_decoded(&mut b, 0..raw.len(), ctx, b'\\', unescape);
    b.finish_into(out);
}

/// Decodes the JSON escape at the start of `s` (which starts with `\`).
pub fn unescape(s: &str) -> Option<(Unescaped, usize)> {
    let b = s.as_bytes();
    let simple = match b.get(1)? {
        b'"' => "\"",
        b'\\' => "\\",
        b'/' => "/",
        b'b' => "\u{8}",
        b'f' => "\u{c}",
        b'n' => "\n",
        b'r' => "\r",
        b't' => "\t",
        b'u' => return unicode(s),
        _ => return None,
    };
    Some((Unescaped::Str(simple), 2))
}

fn hex4(s: &str, at: usize) -> Option<u32> {
    let h = s.get(at..at + 4)?;
    if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

/// `\uXXXX`, joining a surrogate pair `\ud83d\udc40` into one character; a lone surrogate is U+FFFD.
fn unicode(s: &str) -> Option<(Unescaped, usize)> {
    let hi = hex4(s, 2)?;
    if (0xD800..0xDC00).contains(&hi) {
        if s.get(6..8) == Some("\\u") {
            if let Some(lo) = hex4(s, 8).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Some((Unescaped::Char(char::from_u32(c).unwrap_or('\u{FFFD}')), 12));
            }
        }
        return Some((Unescaped::Char('\u{FFFD}'), 6));
    }
    Some((Unescaped::Char(char::from_u32(hi).unwrap_or('\u{FFFD}')), 6))
}

fn is_literal(token: &str) -> bool {
    matches!(token, "true" | "false" | "null")
        || (!token.is_empty()
            && token
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
            && token.bytes().any(|b| b.is_ascii_digit()))
}

/// Skips a `//` or `/* */` comment at `p`, recording it; returns where scanning goes on.
fn comment(text: &str, p: usize, ctx: &mut ExtractCtx) -> usize {
    let (body, end) = if text[p..].starts_with("//") {
        let eol = text[p..].find('\n').map_or(text.len(), |i| p + i);
        (p + 2..eol, eol)
    } else {
        match text[p + 2..].find("*/") {
            Some(i) => (p + 2..p + 2 + i, p + 4 + i),
            None => {
                ctx.warn(p, "unterminated `/*` comment");
                (p + 2..text.len(), text.len())
            }
        }
    };
    ctx.comments.push(Comment {
        text: text[body.clone()].to_string(),
        range: body,
    });
    end
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
    fn values_are_segments_and_keys_are_not() {
        let t = r#"[{"id": "push-001", "title": "Still up?", "body": "You spent $342", "n": 3, "ok": true,
            "tags": ["a b", "c d"], "url": "https://x.example/a"}]"#;
        assert_eq!(texts(t), vec!["Still up?", "You spent $342", "a b", "c d"]);
        assert!(run(t).1.is_empty());
    }

    #[test]
    fn escapes_decode_and_map_back() {
        let t = r#"{"a": "Spend \u00a360 \"now\"\nor \ud83d\udc40 \u2013 \/ \\ \ud800!"}"#;
        let (segs, warnings) = run(t);
        assert!(warnings.is_empty());
        assert_eq!(
            segs[0].text,
            "Spend \u{a3}60 \"now\" or \u{1F440} - / \\ \u{FFFD}!"
        );
        let s = &segs[0];
        let at = s.text.find('\u{a3}').unwrap();
        assert_eq!(&t[s.original_range(at..at + 4)], "\\u00a360");
        let at = s.text.find('\u{1F440}').unwrap();
        assert_eq!(&t[s.original_range(at..at + 4)], "\\ud83d\\udc40");
    }

    #[test]
    fn template_tags_inside_strings() {
        let t =
            r#"{"body": "Hi {{ first_name | default: \"there\" }}, you spent {{ total_spent }}"}"#;
        let (segs, _) = run(t);
        assert_eq!(segs[0].fields.len(), 2);
        assert_eq!(segs[0].fields[1].variable, "total_spent");
    }

    #[test]
    fn broken_json_still_yields_values() {
        let t = "{\"a\": \"one\",\n \"b\": \"two, \n \"c\": tru, \"d\": \"three\"]";
        let (segs, warnings) = run(t);
        let texts: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["one", "two,", "three"]);
        let lines: Vec<usize> = warnings
            .iter()
            .map(|(at, _)| t[..*at].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, vec![2, 3, 3], "{warnings:?}");
    }

    #[test]
    fn warnings_are_capped() {
        let t = "[".to_string() + &"oops, ".repeat(50) + "\"a b\"]";
        let (segs, warnings) = run(&t);
        assert_eq!(segs.len(), 1);
        assert_eq!(warnings.len(), crate::source::MAX_WARNINGS);
    }

    #[test]
    fn comments_are_recorded() {
        let t = "{\n // creeplint-disable-next-line\n \"a\": \"x y\" /* b */ }";
        let classifier = FieldClassifier::default();
        let mut ctx = ExtractCtx::new(&classifier);
        let segs = extract(t, &mut ctx);
        assert_eq!(segs.len(), 1);
        assert_eq!(ctx.comments.len(), 2);
        assert_eq!(ctx.comments[0].text, " creeplint-disable-next-line");
    }
}
