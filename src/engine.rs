//! The engine: runs compiled rules over a document's segments.
//!
//! One pass over a segment names the patterns that can match it; only those run their own regex,
//! and a regex is compiled the first time it has to run. Rules are never fused into one
//! alternation, so one rule cannot hide another.
//!
//! The pass is an Aho-Corasick search for the required literals of every pattern (see
//! [`crate::pack::literals`]): it builds in about a millisecond and lets through the patterns whose
//! literals all occur. An exact `RegexSet` over all patterns was measured as the alternative (with
//! the built-in packs' 372 patterns it saved no CPU even on 200 MB, was slower up to 20 MB and
//! took about 70 MB of caches), so only the few patterns without literals share one.
//!
//! `unless` exceptions are judged within the sentence of a match and `near` context within a
//! window of words.

use crate::pack::schema::Scope;
use crate::pack::{LazyRegex, Rule, REGEX_SIZE_LIMIT};
use crate::source::Document;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{RegexSet, RegexSetBuilder};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

// Each pattern's literal sets are bits of a `u8`.
const _: () = assert!(crate::pack::MAX_LITERAL_SETS <= 8);

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

/// Compiled rules plus the literal prefilter over all their phrase patterns.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: Vec<Rule>,
    /// Every phrase pattern: (rule index, pattern index).
    owners: Vec<(usize, usize)>,
    /// The required literals of the patterns that have some, and the strings that fold to ASCII
    /// letters (see [`crate::pack::literals::FOLDS_TO_ASCII`]) last.
    prefilter: Option<AhoCorasick>,
    /// For each literal of the prefilter: the patterns (indexes into `owners`) it stands for, and
    /// the bit of the pattern's literal set it belongs to.
    literal_owners: Vec<Vec<(usize, u8)>>,
    /// For each pattern: the bits of all its literal sets (0 for patterns that always run).
    need: Vec<u8>,
    /// Patterns without useful literals: they run on every segment.
    always: Vec<usize>,
    /// One pass over a segment for all of `always` (built on first use): a few patterns without
    /// literals otherwise cost a full scan of every segment each.
    always_set: Arc<OnceLock<Option<RegexSet>>>,
    document_rules: Vec<usize>,
}

/// Per-document scratch space, so that no segment allocates.
struct Scratch {
    /// The literal sets hit so far in this segment, per pattern (indexes into `owners`).
    hit: Vec<u8>,
    /// Patterns whose `hit` is not zero.
    touched: Vec<usize>,
    /// Candidate patterns of the current segment.
    candidates: Vec<usize>,
    /// The `always` set's answer for the current segment.
    set_matches: Vec<bool>,
}

impl Engine {
    /// Builds an engine over `rules`. Only the patterns are parsed, nothing is compiled yet.
    pub fn new(rules: Vec<Rule>) -> Engine {
        let mut owners = Vec::new();
        let mut document_rules = Vec::new();
        let mut literal_index: std::collections::HashMap<String, usize> = Default::default();
        let mut literal_owners: Vec<Vec<(usize, u8)>> = Vec::new();
        let mut lits: Vec<String> = Vec::new();
        let mut always = Vec::new();
        let mut need = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            if rule.info.scope == Scope::Document {
                document_rules.push(ri);
                continue;
            }
            for (pi, re) in rule.patterns.iter().enumerate() {
                let idx = owners.len();
                owners.push((ri, pi));
                let sets = re.literals();
                if sets.is_empty() {
                    always.push(idx);
                }
                need.push(((1u16 << sets.len()) - 1) as u8);
                for (bit, set) in sets.iter().enumerate() {
                    for lit in set {
                        let li = *literal_index.entry(lit.clone()).or_insert_with(|| {
                            lits.push(lit.clone());
                            literal_owners.push(Vec::new());
                            literal_owners.len() - 1
                        });
                        literal_owners[li].push((idx, 1 << bit));
                    }
                }
            }
        }
        let folds = crate::pack::literals::FOLDS_TO_ASCII
            .iter()
            .map(|s| s.to_string());
        let prefilter = if lits.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(lits.iter().cloned().chain(folds))
                .ok()
        };
        if prefilter.is_none() {
            // No literals (or an automaton that failed to build): every pattern runs.
            always = (0..owners.len()).collect();
            literal_owners.clear();
        }
        Engine {
            rules,
            owners,
            prefilter,
            literal_owners,
            need,
            always,
            always_set: Arc::new(OnceLock::new()),
            document_rules,
        }
    }

    /// A regex set over the patterns `idx` (indexes into `owners`), in that order.
    fn set_of(&self, idx: &[usize]) -> Option<RegexSet> {
        let sources = idx.iter().map(|&i| {
            let (ri, pi) = self.owners[i];
            self.rules[ri].patterns[pi].as_str()
        });
        RegexSetBuilder::new(sources)
            .size_limit(REGEX_SIZE_LIMIT * 16)
            .dfa_size_limit(REGEX_SIZE_LIMIT * 16)
            .build()
            .ok()
    }

    /// The engine's rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every match of every rule in `doc`, sorted by segment and position.
    pub fn find(&self, doc: &Document) -> Vec<RawMatch> {
        self.find_with(doc, Self::candidates)
    }

    /// [`Engine::find`] with the candidate patterns of each segment chosen by `pick`.
    fn find_with(&self, doc: &Document, pick: impl Fn(&Self, &str, &mut Scratch)) -> Vec<RawMatch> {
        let mut out = Vec::new();
        let mut scratch = Scratch {
            hit: vec![0; self.owners.len()],
            touched: Vec::new(),
            candidates: Vec::new(),
            set_matches: Vec::new(),
        };
        for (si, seg) in doc.segments.iter().enumerate() {
            let text = seg.text.as_str();
            pick(self, text, &mut scratch);
            let start = out.len();
            for &idx in &scratch.candidates {
                let (ri, pi) = self.owners[idx];
                let rule = &self.rules[ri];
                let Some(re) = rule.patterns[pi].get() else {
                    continue;
                };
                for m in re.find_iter(text) {
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

    /// Fills `scratch.candidates` with the patterns that may match `text`, in pattern order: those
    /// without literals, and those with a literal of each of their sets in the text.
    fn candidates(&self, text: &str, scratch: &mut Scratch) {
        for &idx in &scratch.touched {
            scratch.hit[idx] = 0;
        }
        scratch.touched.clear();
        scratch.candidates.clear();
        let always_set = match self.always.len() {
            0 | 1 => None,
            _ => self
                .always_set
                .get_or_init(|| self.set_of(&self.always))
                .as_ref(),
        };
        match always_set {
            Some(set) => {
                scratch.set_matches.clear();
                scratch.set_matches.resize(set.len(), false);
                if set.matches_read_at(&mut scratch.set_matches, text, 0) {
                    let hits = scratch.set_matches.iter().zip(&self.always);
                    scratch
                        .candidates
                        .extend(hits.filter(|(m, _)| **m).map(|(_, &idx)| idx));
                }
            }
            None => scratch.candidates.extend_from_slice(&self.always),
        }
        if let Some(ac) = &self.prefilter {
            for m in ac.find_overlapping_iter(text) {
                let Some(owners) = self.literal_owners.get(m.pattern().as_usize()) else {
                    // A character that folds to an ASCII letter: literals may hide behind it.
                    scratch.candidates.clear();
                    scratch.candidates.extend(0..self.owners.len());
                    return;
                };
                for &(idx, bit) in owners {
                    let hit = &mut scratch.hit[idx];
                    if *hit & bit != 0 {
                        continue;
                    }
                    if *hit == 0 {
                        scratch.touched.push(idx);
                    }
                    *hit |= bit;
                    if *hit == self.need[idx] {
                        scratch.candidates.push(idx);
                    }
                }
            }
        }
        // Pattern order keeps the output independent of where literals sit in the text.
        scratch.candidates.sort_unstable();
    }

    fn accepts(&self, rule: &Rule, text: &str, m: Range<usize>) -> bool {
        // Exceptions and context are searched in the sentence or window only (both bounded), not
        // in the whole segment: a long segment with many matches would otherwise cost
        // matches × length.
        if !rule.unless.is_empty() {
            let sentence = &text[sentence_around(text, m.clone())];
            let cleared = rule
                .unless
                .iter()
                .filter_map(LazyRegex::get)
                .any(|re| re.is_match(sentence));
            if cleared {
                return false;
            }
        }
        if let Some(near) = &rule.near {
            let window = &text[word_window(text, m, near.within)];
            let found = near
                .patterns
                .iter()
                .filter_map(LazyRegex::get)
                .any(|re| re.is_match(window));
            if !found {
                return false;
            }
        }
        true
    }

    /// A document rule fires once, at its first trigger, when its patterns match at least
    /// `min_matches` times in the document, unless an exception appears anywhere in the document's
    /// copy or markup (an unsubscribe link is often only in an `href`).
    fn find_document_rule(&self, ri: usize, doc: &Document) -> Option<RawMatch> {
        let rule = &self.rules[ri];
        // The trigger first: most documents have none, and then the exceptions need not run.
        let mut first = None;
        let mut count = 0;
        for (si, seg) in doc.segments.iter().enumerate() {
            let mut starts: Vec<Range<usize>> = rule
                .patterns
                .iter()
                .filter_map(LazyRegex::get)
                .flat_map(|re| re.find_iter(&seg.text).map(|m| m.range()))
                .collect();
            if starts.is_empty() {
                continue;
            }
            starts.sort_by_key(|r| r.start);
            // Two patterns finding the same phrase count once.
            starts.dedup_by(|b, a| b.start < a.end);
            count += starts.len();
            if first.is_none() {
                first = Some((si, starts[0].clone()));
            }
            if count >= rule.min_matches {
                break;
            }
        }
        let (segment, norm) = first.filter(|_| count >= rule.min_matches)?;
        let cleared = |re: &regex_automata::meta::Regex| {
            re.is_match(&doc.text) || doc.segments.iter().any(|s| re.is_match(&s.text))
        };
        if rule.unless.iter().filter_map(LazyRegex::get).any(cleared) {
            return None;
        }
        Some(RawMatch {
            rule: ri,
            segment,
            norm,
        })
    }
}

/// Sorts the matches from `start` on and drops those that overlap an earlier, longer match of the
/// same rule (two patterns of one rule finding the same phrase).
fn dedupe_overlaps(out: &mut Vec<RawMatch>, start: usize) {
    if out.len() - start < 2 {
        return;
    }
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

    use crate::pack::{load, PackSource};
    use crate::source::Format;

    /// The built-in packs plus a pack whose patterns have literal sets of every shape.
    fn engines() -> (Engine, crate::fields::FieldClassifier) {
        let extra = PackSource {
            path: "extra.toml".into(),
            text: r#"
[pack]
name = "extra"
description = "test"
[[rules]]
id = "extra.viewed"
severity = "warning"
message = "m"
why = "w"
suggest = "s"
patterns = ['{you}\s+(?:viewed|looked at)\s+(?:the\s+)?\w+\s+(?:\d+|several)\s+times', '\bkiss\b', '(?:pregnan(?:t|cy)|due date)', 'café\s+loyalty']
examples.bad = ["You viewed the boots 6 times"]
examples.good = ["View the boots"]
"#
            .into(),
            builtin: false,
        };
        let mut sources = PackSource::builtin();
        sources.push(extra);
        let packs = load(sources).expect("packs load");
        let rules: Vec<Rule> = packs.rules().cloned().collect();
        (Engine::new(rules), packs.classifier)
    }

    #[test]
    fn literal_prefilter_finds_what_running_every_pattern_finds() {
        let (literal, classifier) = engines();
        let every_pattern = |e: &Engine, _: &str, s: &mut Scratch| {
            s.candidates.clear();
            s.candidates.extend(0..e.owners.len());
        };
        let corpus = include_str!("../tests/corpus/messages.tsv");
        let extra = [
            "You looked at the weighted blanket 6 times this week.",
            "A KISS from us",
            "\u{17F}o: you \u{17F}pent $342 with us",
            "Your due date is close!",
            "Your CAFÉ LOYALTY card",
        ];
        let rows = corpus.lines().skip(1).filter_map(|l| l.split('\t').nth(3));
        let mut found = 0;
        for text in rows.chain(extra) {
            let doc = Document::parse(text.to_string(), Format::Text, &classifier);
            let a = literal.find(&doc);
            assert_eq!(a, literal.find_with(&doc, every_pattern), "{text}");
            found += a.len();
        }
        assert!(
            found > 20,
            "only {found} matches: the comparison proves little"
        );
    }

    #[test]
    fn literal_prefilter_skips_patterns_whose_literals_are_absent() {
        let (literal, _) = engines();
        let mut scratch = Scratch {
            hit: vec![0; literal.owners.len()],
            touched: Vec::new(),
            candidates: Vec::new(),
            set_matches: Vec::new(),
        };
        literal.candidates("Thanks for shopping with us this spring.", &mut scratch);
        assert!(scratch.candidates.len() < literal.owners.len() / 4);
        // One set hit is not enough when a pattern requires two ("viewed" and "times").
        let viewed = literal
            .owners
            .iter()
            .position(|&(ri, _)| literal.rules[ri].info.id == "extra.viewed")
            .unwrap();
        literal.candidates("You viewed it.", &mut scratch);
        assert!(!scratch.candidates.contains(&viewed));
        literal.candidates("You viewed it 3 TIMES.", &mut scratch);
        assert!(scratch.candidates.contains(&viewed));
        // A character that folds to an ASCII letter makes every pattern a candidate.
        literal.candidates("\u{17F}", &mut scratch);
        assert_eq!(scratch.candidates.len(), literal.owners.len());
    }

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
