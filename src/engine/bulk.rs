//! The large-run mode: anchored sets looked up at word starts.
//!
//! Nearly every pattern begins at the start of a word with one of a few literals ("you", "your",
//! "at"). In a large run the engine groups the patterns by the first byte of those literals and
//! builds one anchored multi-pattern automaton per byte (a [`PatternSetAt`]). A cheap pass over
//! the segment finds the word starts whose first two bytes can begin one of the literals; at each,
//! one walk of that byte's automaton names every pattern that matches there, usually failing within
//! a byte or two. Only the rare patterns that match then run their own regex, for the end.

use crate::pack::literals::is_word_byte;
use crate::pack::{build_lazy_dfa_for_segments, REGEX_SIZE_LIMIT};
use regex_automata::hybrid;
use regex_automata::hybrid::dfa::OverlappingState;
use regex_automata::{Anchored, Input, MatchKind};

/// The lazy DFA cache of one set, per thread.
const SET_CACHE: usize = 4 * 1024 * 1024;

/// The first bytes (ASCII lowercase) of the start literals, for a quick test at each word start.
#[derive(Debug, Clone)]
pub(super) struct WordStarts {
    /// A literal of one byte begins with this byte.
    single: Box<[bool; 256]>,
    /// Bit `a * 256 + b`: a literal begins with bytes `a` and `b`.
    pairs: Box<[u64; 1024]>,
}

impl Default for WordStarts {
    fn default() -> Self {
        WordStarts {
            single: Box::new([false; 256]),
            pairs: Box::new([0; 1024]),
        }
    }
}

impl WordStarts {
    /// Adds a start literal (ASCII lowercase, not empty).
    pub fn add(&mut self, literal: &[u8]) {
        match literal {
            [] => {}
            [a] => self.single[usize::from(*a)] = true,
            [a, b, ..] => {
                let bit = usize::from(*a) << 8 | usize::from(*b);
                self.pairs[bit / 64] |= 1 << (bit % 64);
            }
        }
    }

    /// Pushes onto `out` each place in `bytes` that is not right after a word byte and where a
    /// literal may begin.
    pub fn find(&self, bytes: &[u8], out: &mut Vec<usize>) {
        let mut after_word = false;
        for (at, &b) in bytes.iter().enumerate() {
            if !after_word {
                let a = b.to_ascii_lowercase();
                let next = bytes.get(at + 1).map_or(0, u8::to_ascii_lowercase);
                let bit = usize::from(a) << 8 | usize::from(next);
                if self.single[usize::from(a)] || self.pairs[bit / 64] & (1 << (bit % 64)) != 0 {
                    out.push(at);
                }
            }
            after_word = is_word_byte(b);
        }
    }
}

/// An anchored automaton over the patterns whose start literals begin with one byte: from a
/// place, the patterns that match there.
///
/// It is a bare lazy DFA rather than a `meta::Regex`: a meta regex's cache holds caches for all of
/// its engines, which for sets of a hundred patterns came to tens of megabytes per thread, and its
/// per-search set-up is a large part of a search that usually ends within two bytes.
#[derive(Debug)]
pub(super) struct PatternSetAt {
    dfa: hybrid::dfa::DFA,
    /// Pattern `i` of the set is pattern `members[i]` of the engine.
    members: Vec<usize>,
}

impl PatternSetAt {
    /// The anchored set over `members`' sources; `None` when it does not build within the
    /// size limits.
    pub fn build(sources: &[String], members: Vec<usize>) -> Option<PatternSetAt> {
        let patterns: Vec<&str> = members.iter().map(|&i| sources[i].as_str()).collect();
        // A large set's automaton needs a larger minimum cache than SET_CACHE: the cache grows
        // (up to 8x) rather than the set being given up, which would turn the large-run mode off.
        let dfa = [1, 2, 4, 8].into_iter().find_map(|times| {
            let config = hybrid::dfa::Config::new()
                .match_kind(MatchKind::All)
                .cache_capacity(SET_CACHE * times);
            build_lazy_dfa_for_segments(&patterns, config, REGEX_SIZE_LIMIT * 16)
        })?;
        Some(PatternSetAt { dfa, members })
    }

    /// A search cache for this set.
    pub fn create_cache(&self) -> hybrid::dfa::Cache {
        self.dfa.create_cache()
    }

    /// Fills `found` with the patterns (of the engine) matching `text` at `at`; `None` when the
    /// automaton cannot search this text (then the caller must try each pattern itself).
    pub fn matches_at(
        &self,
        cache: &mut hybrid::dfa::Cache,
        text: &str,
        at: usize,
        found: &mut Vec<usize>,
    ) -> Option<()> {
        found.clear();
        let input = Input::new(text).range(at..).anchored(Anchored::Yes);
        let mut state = OverlappingState::start();
        loop {
            self.dfa
                .try_search_overlapping_fwd(cache, &input, &mut state)
                .ok()?;
            match state.get_match() {
                Some(m) => found.push(self.members[m.pattern().as_usize()]),
                None => break,
            }
        }
        // A pattern is reported at each place one of its matches ends.
        if found.len() > 1 {
            found.sort_unstable();
            found.dedup();
        }
        Some(())
    }

    /// The engine's patterns in this set.
    pub fn members(&self) -> &[usize] {
        &self.members
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(literals: &[&str], text: &str) -> Vec<usize> {
        let mut starts = WordStarts::default();
        literals.iter().for_each(|l| starts.add(l.as_bytes()));
        let mut out = Vec::new();
        starts.find(text.as_bytes(), &mut out);
        out
    }

    #[test]
    fn places_are_word_starts_that_can_begin_a_literal() {
        // "you" needs "yo"; "u" alone is enough; "bayou" and "youth"'s inner letters are not word
        // starts; "Yo" matches case-insensitively.
        let found = places(&["you", "u"], "bayou: You up? youth yak");
        assert_eq!(found, vec![7, 11, 15]);
    }

    #[test]
    fn a_place_may_begin_with_a_non_word_byte() {
        let found = places(&["$4", "£"], "it cost $42, not £9 or x$4");
        assert_eq!(found, vec![8, 17]);
    }
}
