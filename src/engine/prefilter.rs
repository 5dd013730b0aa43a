//! Which patterns can match a segment, and where their matches can start: one Aho-Corasick pass.
//!
//! The automaton holds two kinds of literals (see [`crate::pack::literals`]):
//! - the *required* literals of each pattern: a pattern is a candidate only where a literal of
//!   each of its sets occurs;
//! - the *start* literals: every match of a pattern begins with one of them, so the engine runs it
//!   anchored at those places instead of scanning the whole segment. Patterns with the same starts
//!   share a group, so a hit costs one entry per group, not one per pattern.
//!
//! Characters that fold to ASCII letters under Unicode case folding (`ſ`, the Kelvin sign) are in
//! the automaton too: a segment holding one makes every pattern a candidate, scanned in full.

use crate::pack::literals::{is_word_byte, Starts, FOLDS_TO_ASCII};
use crate::pack::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::RegexSet;
use regex_automata::meta;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

// Each pattern's literal sets are bits of a `u8`.
const _: () = assert!(crate::pack::MAX_LITERAL_SETS <= 8);

/// What a hit of one literal of the automaton means.
#[derive(Debug, Clone, Default)]
struct LiteralUse {
    /// The patterns (indexes into the engine's pattern list) requiring it, with the bit of the
    /// pattern's literal set it belongs to.
    required: Vec<(usize, u8)>,
    /// The start groups it opens.
    starts: Vec<usize>,
}

/// The candidate patterns of a segment, found with one pass.
#[derive(Debug, Clone)]
pub(super) struct Prefilter {
    patterns: usize,
    automaton: Option<AhoCorasick>,
    /// Per literal of the automaton; the characters that fold to ASCII come after the last.
    uses: Vec<LiteralUse>,
    /// For each pattern: the bits of all its literal sets (0 for patterns without literals).
    need: Vec<u8>,
    /// Patterns without required literals that have starts: candidates wherever a start occurs.
    anchored_always: Vec<usize>,
    /// Patterns with neither required literals nor starts: they scan every segment.
    always: Vec<usize>,
    /// One pass over a segment for all of `always` (built on first use): a few patterns without
    /// literals otherwise cost a full scan of every segment each.
    always_set: Arc<OnceLock<Option<RegexSet>>>,
    /// For each pattern: its start group.
    group_of: Vec<Option<usize>>,
    /// For each start group: whether a start needs a non-word byte before it.
    word_start: Vec<bool>,
}

/// Scratch space reused from segment to segment and document to document, so that no segment
/// allocates.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// The literal sets hit so far in this segment, per pattern.
    hit: Vec<u8>,
    /// Patterns whose `hit` is not zero.
    touched: Vec<usize>,
    /// Candidate patterns of the current segment, in pattern order.
    pub candidates: Vec<usize>,
    /// The `always` set's answer for the current segment.
    set_matches: Vec<bool>,
    /// For each start group: where matches may start in the current segment, ascending.
    starts: Vec<Vec<usize>>,
    /// Groups whose `starts` are not empty.
    touched_groups: Vec<usize>,
    /// The segment holds a character that folds to ASCII: starts are unknown, every candidate
    /// scans the whole segment.
    pub scan_all: bool,
    /// One search cache per pattern, created on first use (the regexes' own pools cost a lock
    /// on every search from a second thread).
    pub caches: Vec<Option<meta::Cache>>,
}

/// The literals of the automaton, each once, with what a hit of each means.
#[derive(Default)]
struct LiteralTable {
    index: HashMap<String, usize>,
    strings: Vec<String>,
    uses: Vec<LiteralUse>,
}

impl LiteralTable {
    fn use_of(&mut self, literal: &str) -> &mut LiteralUse {
        let i = match self.index.get(literal) {
            Some(&i) => i,
            None => {
                self.index.insert(literal.to_string(), self.strings.len());
                self.strings.push(literal.to_string());
                self.uses.push(LiteralUse::default());
                self.strings.len() - 1
            }
        };
        &mut self.uses[i]
    }
}

impl Prefilter {
    /// Builds the prefilter over `patterns` (rule index, pattern index into `rules`).
    pub fn new(rules: &[Rule], patterns: &[(usize, usize)]) -> Prefilter {
        let mut table = LiteralTable::default();
        let mut groups: HashMap<&Starts, usize> = HashMap::new();
        let mut word_start = Vec::new();
        let mut need = Vec::with_capacity(patterns.len());
        let mut group_of = Vec::with_capacity(patterns.len());
        let (mut always, mut anchored_always) = (Vec::new(), Vec::new());
        for (idx, &(ri, pi)) in patterns.iter().enumerate() {
            let re = &rules[ri].patterns[pi];
            let sets = re.literals();
            need.push(((1u16 << sets.len()) - 1) as u8);
            for (bit, set) in sets.iter().enumerate() {
                for lit in set {
                    table.use_of(lit).required.push((idx, 1 << bit));
                }
            }
            let group = re.starts().map(|starts| {
                let next = groups.len();
                let g = *groups.entry(starts).or_insert(next);
                if g == next {
                    word_start.push(starts.word_start);
                    for lit in &starts.literals {
                        table.use_of(lit).starts.push(g);
                    }
                }
                g
            });
            group_of.push(group);
            match (sets.is_empty(), group) {
                (true, Some(_)) => anchored_always.push(idx),
                (true, None) => always.push(idx),
                (false, _) => {}
            }
        }
        let automaton = if table.strings.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(
                    table
                        .strings
                        .iter()
                        .map(String::as_str)
                        .chain(FOLDS_TO_ASCII.iter().copied()),
                )
                .ok()
        };
        let mut prefilter = Prefilter {
            patterns: patterns.len(),
            automaton,
            uses: table.uses,
            need,
            anchored_always,
            always,
            always_set: Arc::new(OnceLock::new()),
            group_of,
            word_start,
        };
        if prefilter.automaton.is_none() {
            // No literals (or an automaton that failed to build): every pattern scans every segment.
            prefilter.always = (0..patterns.len()).collect();
            prefilter.anchored_always.clear();
            prefilter.group_of.iter_mut().for_each(|g| *g = None);
            prefilter.uses.clear();
        }
        prefilter
    }

    /// Fresh scratch space sized for this prefilter.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            hit: vec![0; self.patterns],
            starts: vec![Vec::new(); self.word_start.len()],
            caches: (0..self.patterns).map(|_| None).collect(),
            ..Scratch::default()
        }
    }

    /// Fills `s.candidates` with the patterns that may match `text`, in pattern order, and
    /// `s`'s starts with where they may match. `always` is the regex set over the patterns without
    /// literals or starts, built from their sources on first use.
    pub fn candidates(
        &self,
        text: &str,
        s: &mut Scratch,
        always_set: impl FnOnce(&[usize]) -> Option<RegexSet>,
    ) {
        for &idx in &s.touched {
            s.hit[idx] = 0;
        }
        s.touched.clear();
        for &g in &s.touched_groups {
            s.starts[g].clear();
        }
        s.touched_groups.clear();
        s.candidates.clear();
        s.scan_all = false;
        let set = match self.always.len() {
            0 | 1 => None,
            _ => self
                .always_set
                .get_or_init(|| always_set(&self.always))
                .as_ref(),
        };
        match set {
            Some(set) => {
                s.set_matches.clear();
                s.set_matches.resize(set.len(), false);
                if set.matches_read_at(&mut s.set_matches, text, 0) {
                    let hits = s.set_matches.iter().zip(&self.always);
                    s.candidates
                        .extend(hits.filter(|(m, _)| **m).map(|(_, &idx)| idx));
                }
            }
            None => s.candidates.extend_from_slice(&self.always),
        }
        let Some(automaton) = &self.automaton else {
            return;
        };
        let bytes = text.as_bytes();
        for m in automaton.find_overlapping_iter(text) {
            let Some(hit) = self.uses.get(m.pattern().as_usize()) else {
                // A character that folds to an ASCII letter: literals may hide behind it.
                s.scan_all = true;
                s.candidates.clear();
                s.candidates.extend(0..self.patterns);
                return;
            };
            for &(idx, bit) in &hit.required {
                let sets = &mut s.hit[idx];
                if *sets & bit != 0 {
                    continue;
                }
                if *sets == 0 {
                    s.touched.push(idx);
                }
                *sets |= bit;
                if *sets == self.need[idx] {
                    s.candidates.push(idx);
                }
            }
            let at = m.start();
            for &g in &hit.starts {
                if self.word_start[g] && at > 0 && is_word_byte(bytes[at - 1]) {
                    continue;
                }
                if s.starts[g].is_empty() {
                    s.touched_groups.push(g);
                }
                s.starts[g].push(at);
            }
        }
        for &g in &s.touched_groups {
            // Hits come in order of their end: literals of different lengths interleave.
            s.starts[g].sort_unstable();
            s.starts[g].dedup();
        }
        s.candidates.extend(
            self.anchored_always
                .iter()
                .filter(|&&idx| self.group_of[idx].is_some_and(|g| !s.starts[g].is_empty())),
        );
        // A pattern whose matches can start nowhere in the segment does not run.
        let (group_of, starts) = (&self.group_of, &s.starts);
        s.candidates
            .retain(|&idx| group_of[idx].is_none_or(|g| !starts[g].is_empty()));
        // Pattern order keeps the output independent of where literals sit in the text.
        s.candidates.sort_unstable();
    }

    /// Where the matches of pattern `idx` may start in the current segment (ascending), or `None`
    /// when it must scan the whole segment; and the pattern's search cache, created from `re` on
    /// first use.
    pub fn search_state<'s>(
        &self,
        s: &'s mut Scratch,
        idx: usize,
        re: &meta::Regex,
    ) -> (Option<&'s [usize]>, &'s mut meta::Cache) {
        let starts = match self.group_of[idx] {
            Some(g) if !s.scan_all => Some(s.starts[g].as_slice()),
            _ => None,
        };
        let cache = s.caches[idx].get_or_insert_with(|| re.create_cache());
        (starts, cache)
    }

    /// Makes every pattern a candidate of the current segment, scanning it in full (for tests
    /// comparing the prefilter with no prefilter).
    #[cfg(test)]
    pub fn everything(&self, s: &mut Scratch) {
        s.candidates.clear();
        s.candidates.extend(0..self.patterns);
        s.scan_all = true;
    }
}
