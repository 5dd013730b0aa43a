//! The context of a match that `unless` and `near` look at: its sentence, or a window of words.

use std::ops::Range;

/// How far a sentence or a word window reaches on each side of a match, in bytes. Real sentences
/// are far shorter; the cap keeps a segment without punctuation or spaces (a minified blob, a 10 MB
/// line) from making every match scan the whole segment.
pub const MAX_CONTEXT: usize = 2048;

/// The sentence holding `m`: from after the previous `.`, `!`, `?` or `;` that is followed by a
/// space, to the next one (or the segment's ends), reaching at most [`MAX_CONTEXT`] bytes either
/// side of the match.
pub fn sentence_around(text: &str, m: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let is_end = |i: usize| ends_sentence(bytes, i);
    let m_start = m.start.min(bytes.len());
    let m_end = m.end.max(m.start).min(bytes.len());
    let floor = ceil_char_boundary(text, m_start.saturating_sub(MAX_CONTEXT));
    let ceiling = crate::source::floor_char_boundary(text, m_end.saturating_add(MAX_CONTEXT));
    let start = (floor..m_start)
        .rev()
        .find(|&i| is_end(i))
        .map_or(floor, |i| i + 1);
    // A match that ends with its sentence's own `?` or `.` ends the sentence there: the next
    // sentence is not its context.
    let end = (m_end.saturating_sub(1).max(m_start)..ceiling)
        .find(|&i| is_end(i))
        .map_or(ceiling, |i| i + 1);
    start..end
}

/// The sentence after `sentence` when `sentence` is a question (ends with `?`): what answers it,
/// for `unless_answer`. `None` for a statement or a question that ends the segment.
pub fn answer_after(text: &str, sentence: Range<usize>) -> Option<Range<usize>> {
    let asked = text.get(sentence.clone())?.trim_end();
    if !asked.ends_with('?') {
        return None;
    }
    let rest = text.get(sentence.end..)?;
    let next = sentence.end + (rest.len() - rest.trim_start().len());
    (next < text.len()).then(|| sentence_around(text, next..next + 1))
}

/// The sentences of `text`, split where [`sentence_around`] ends one, without the spaces between
/// them; empty ones are left out.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..bytes.len() {
        if ends_sentence(bytes, i) {
            push_trimmed(text, start..i + 1, &mut out);
            start = i + 1;
        }
    }
    push_trimmed(text, start..bytes.len(), &mut out);
    out
}

/// A `.`, `!`, `?` or `;` at `i` that is followed by a space or the end ends a sentence.
fn ends_sentence(bytes: &[u8], i: usize) -> bool {
    matches!(bytes[i], b'.' | b'!' | b'?' | b';') && bytes.get(i + 1).is_none_or(|b| *b == b' ')
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let part = &text[r.clone()];
    let lead = part.len() - part.trim_start().len();
    let trail = part.len() - part.trim_end().len();
    if lead + trail < part.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// The bytes within `n` words before and after `m` (words are separated by single spaces in
/// normalised text), reaching at most [`MAX_CONTEXT`] bytes either side.
pub fn word_window(text: &str, m: Range<usize>, n: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let floor = m.start.saturating_sub(MAX_CONTEXT);
    let ceiling = m.end.saturating_add(MAX_CONTEXT).min(bytes.len());
    let mut start = m.start;
    let mut spaces = 0;
    while start > floor {
        if bytes[start - 1] == b' ' {
            spaces += 1;
            if spaces > n {
                break;
            }
        }
        start -= 1;
    }
    let mut end = m.end;
    spaces = 0;
    while end < ceiling {
        if bytes[end] == b' ' {
            spaces += 1;
            if spaces > n {
                break;
            }
        }
        end += 1;
    }
    ceil_char_boundary(text, start)..crate::source::floor_char_boundary(text, end)
}

/// The smallest char boundary at or above `at`.
fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_answered_by_the_sentence_after_it() {
        let t = "Feeling low? Samaritans are there day or night. Call 116 123.";
        let asked = sentence_around(t, 0..7);
        assert_eq!(&t[asked.clone()], "Feeling low?");
        let answer = answer_after(t, asked).expect("the question has an answer");
        assert_eq!(t[answer].trim(), "Samaritans are there day or night.");
        let said = sentence_around(t, 13..23);
        assert_eq!(answer_after(t, said), None, "a statement is not a question");
        let last = "Our helpline is open. Feeling low?";
        assert_eq!(answer_after(last, sentence_around(last, 22..29)), None);
    }

    #[test]
    fn sentences_split_on_terminal_punctuation_followed_by_space() {
        let t = "Save $2.50 today. You spent $342! Nice.";
        let m = t.find("spent").unwrap();
        assert_eq!(&t[sentence_around(t, m..m + 5)], " You spent $342!");
        let m = t.find("2.50").unwrap();
        assert_eq!(&t[sentence_around(t, m..m + 4)], "Save $2.50 today.");
        // A match that takes in its own question mark keeps the next sentence out.
        let t = "In the clinic waiting room? We're here if you need to talk.";
        let m = t.find('?').unwrap() + 1;
        assert_eq!(&t[sentence_around(t, 0..m)], "In the clinic waiting room?");
    }

    #[test]
    fn word_window_counts_words_each_side() {
        let t = "a b c MATCH d e f";
        let m = t.find("MATCH").unwrap();
        assert_eq!(&t[word_window(t, m..m + 5, 2)], "b c MATCH d e");
    }

    #[test]
    fn context_is_bounded_on_a_segment_without_punctuation_or_spaces() {
        let t = format!("{}MATCH{}", "\u{e9}".repeat(5000), "x".repeat(5000));
        let m = t.find("MATCH").unwrap();
        for r in [sentence_around(&t, m..m + 5), word_window(&t, m..m + 5, 3)] {
            assert!(r.start < m && r.end > m + 5, "{r:?}");
            assert!(r.end - r.start <= 2 * MAX_CONTEXT + 5, "{r:?}");
            assert!(
                t.is_char_boundary(r.start) && t.is_char_boundary(r.end),
                "{r:?}"
            );
        }
    }
}
