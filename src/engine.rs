//! The engine: runs compiled rules over a document's segments.
//!
//! One pass of a [`RegexSet`] over a segment names the patterns that can match it; only those run to
//! find positions. Rules are never fused into one alternation, so one rule cannot hide another.
//! `unless` exceptions are judged within the sentence of a match and `near` context within a window
//! of words.

use crate::pack::schema::Scope;
use crate::pack::{Rule, REGEX_SIZE_LIMIT};
use crate::source::Document;
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::ops::Range;

/// A match before it is placed in the file: which rule, which segment, where in the segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMatch {
    /// Index of the rule in [`Engine::rules`].
    pub rule: usize,
    /// Index of the segment in the document.
    pub segment: usize,
    /// Byte range in the segment's normalised text.
    pub norm: Range<usize>,
}

/// Compiled rules plus the prefilter over all their phrase patterns.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: Vec<Rule>,
    /// Prefilter over every phrase pattern of every rule; `None` when it would be too large, in which
    /// case every pattern runs.
    set: Option<RegexSet>,
    /// For each pattern in the set: (rule index, pattern index).
    owners: Vec<(usize, usize)>,
    document_rules: Vec<usize>,
}

impl Engine {
    /// Builds an engine over `rules`.
    pub fn new(rules: Vec<Rule>) -> Engine {
        let mut owners = Vec::new();
        let mut sources = Vec::new();
        let mut document_rules = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            if rule.info.scope == Scope::Document {
                document_rules.push(ri);
                continue;
            }
            for (pi, re) in rule.patterns.iter().enumerate() {
                owners.push((ri, pi));
                sources.push(re.as_str());
            }
        }
        let set = RegexSetBuilder::new(&sources)
            .size_limit(REGEX_SIZE_LIMIT * 16)
            .dfa_size_limit(REGEX_SIZE_LIMIT * 16)
            .build()
            .ok();
        Engine {
            rules,
            set,
            owners,
            document_rules,
        }
    }

    /// The engine's rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every match of every rule in `doc`, sorted by segment and position.
    pub fn find(&self, doc: &Document) -> Vec<RawMatch> {
        let mut out = Vec::new();
        for (si, seg) in doc.segments.iter().enumerate() {
            let text = seg.text.as_str();
            let candidates: Vec<usize> = match &self.set {
                Some(set) => set.matches(text).into_iter().collect(),
                None => (0..self.owners.len()).collect(),
            };
            let start = out.len();
            for idx in candidates {
                let (ri, pi) = self.owners[idx];
                let rule = &self.rules[ri];
                for m in rule.patterns[pi].find_iter(text) {
                    if m.start() == m.end() || !self.accepts(rule, text, m.range()) {
                        continue;
                    }
                    out.push(RawMatch {
                        rule: ri,
                        segment: si,
                        norm: m.range(),
                    });
                }
            }
            dedupe_overlaps(&mut out, start);
        }
        for &ri in &self.document_rules {
            if let Some(m) = self.find_document_rule(ri, doc) {
                out.push(m);
            }
        }
        out
    }

    fn accepts(&self, rule: &Rule, text: &str, m: Range<usize>) -> bool {
        // Exceptions and context are searched in the sentence or window only (both bounded), not
        // in the whole segment: a long segment with many matches would otherwise cost
        // matches × length.
        if !rule.unless.is_empty() {
            let sentence = &text[sentence_around(text, m.clone())];
            if rule.unless.iter().any(|re| re.is_match(sentence)) {
                return false;
            }
        }
        if let Some(near) = &rule.near {
            let window = &text[word_window(text, m, near.within)];
            if !near.patterns.iter().any(|re| re.is_match(window)) {
                return false;
            }
        }
        true
    }

    /// A document rule fires once, at its first trigger, unless an exception appears anywhere in the
    /// document's copy or markup (an unsubscribe link is often only in an `href`).
    fn find_document_rule(&self, ri: usize, doc: &Document) -> Option<RawMatch> {
        let rule = &self.rules[ri];
        let cleared = |re: &Regex| {
            re.is_match(&doc.text) || doc.segments.iter().any(|s| re.is_match(&s.text))
        };
        if rule.unless.iter().any(cleared) {
            return None;
        }
        for (si, seg) in doc.segments.iter().enumerate() {
            let first = rule
                .patterns
                .iter()
                .filter_map(|re| re.find(&seg.text))
                .min_by_key(|m| m.start());
            if let Some(m) = first {
                return Some(RawMatch {
                    rule: ri,
                    segment: si,
                    norm: m.range(),
                });
            }
        }
        None
    }
}

/// Sorts the matches from `start` on and drops those that overlap an earlier, longer match of the
/// same rule (two patterns of one rule finding the same phrase).
fn dedupe_overlaps(out: &mut Vec<RawMatch>, start: usize) {
    let tail = &mut out[start..];
    tail.sort_by(|a, b| {
        (a.norm.start, std::cmp::Reverse(a.norm.end), a.rule).cmp(&(
            b.norm.start,
            std::cmp::Reverse(b.norm.end),
            b.rule,
        ))
    });
    // Sorted by start, a match overlaps an earlier kept match of its rule exactly when it starts
    // before the furthest end kept for that rule: one pass, not a pass per match.
    let mut kept: Vec<RawMatch> = Vec::with_capacity(tail.len());
    let mut kept_end: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for m in tail.iter() {
        let end = kept_end.entry(m.rule).or_insert(0);
        if m.norm.start >= *end {
            *end = (*end).max(m.norm.end);
            kept.push(m.clone());
        }
    }
    out.truncate(start);
    out.extend(kept);
}

/// How far a sentence or a word window reaches on each side of a match, in bytes. Real sentences
/// are far shorter; the cap keeps a segment without punctuation or spaces (a minified blob, a 10 MB
/// line) from making every match scan the whole segment.
pub const MAX_CONTEXT: usize = 2048;

/// The sentence holding `m`: from after the previous `.`, `!`, `?` or `;` that is followed by a
/// space, to the next one (or the segment's ends), reaching at most [`MAX_CONTEXT`] bytes either
/// side of the match.
pub fn sentence_around(text: &str, m: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let is_end = |i: usize| {
        matches!(bytes[i], b'.' | b'!' | b'?' | b';') && bytes.get(i + 1).is_none_or(|b| *b == b' ')
    };
    let m_start = m.start.min(bytes.len());
    let m_end = m.end.max(m.start).min(bytes.len());
    let floor = ceil_char_boundary(text, m_start.saturating_sub(MAX_CONTEXT));
    let ceiling = crate::source::floor_char_boundary(text, m_end.saturating_add(MAX_CONTEXT));
    let start = (floor..m_start)
        .rev()
        .find(|&i| is_end(i))
        .map_or(floor, |i| i + 1);
    let end = (m_end..ceiling)
        .find(|&i| is_end(i))
        .map_or(ceiling, |i| i + 1);
    start..end
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
    fn sentences_split_on_terminal_punctuation_followed_by_space() {
        let t = "Save $2.50 today. You spent $342! Nice.";
        let m = t.find("spent").unwrap();
        assert_eq!(&t[sentence_around(t, m..m + 5)], " You spent $342!");
        let m = t.find("2.50").unwrap();
        assert_eq!(&t[sentence_around(t, m..m + 4)], "Save $2.50 today.");
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

    #[test]
    fn overlapping_matches_of_one_rule_keep_the_longest_first() {
        let m = |rule, norm: Range<usize>| RawMatch {
            rule,
            segment: 0,
            norm,
        };
        let mut out = vec![m(0, 5..9), m(0, 0..4), m(0, 2..8), m(1, 2..3), m(0, 0..6)];
        dedupe_overlaps(&mut out, 0);
        assert_eq!(out, vec![m(0, 0..6), m(1, 2..3)]);
    }
}
