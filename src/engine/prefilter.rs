//! Which patterns can match a segment, and where their matches can start: one Aho-Corasick pass.
//!
//! The automaton holds two kinds of literals (see [`crate::pack::literals`]):
//! - the *required* literals of each pattern: a pattern is a candidate only where a literal of
//!   each of its sets occurs;
//! - the *start* literals: every match of a pattern begins with one of them, so the engine runs it
//!   anchored at those places instead of scanning the whole segment. Patterns with the same starts
//!   form a group, so a hit costs one entry per group, not one per pattern.
//!
//! Small runs use both. Once a run has scanned [`BULK_AFTER`] bytes, each group of several
//! patterns gets one anchored multi-pattern automaton (a [`GroupSet`]) that names, in one walk
//! from a start, the patterns matching there; its patterns then need no required literals, and a
//! second automaton without them does the pass. Building the sets costs tens of milliseconds, so
//! a pre-commit run over a few files never pays for it.
//!
//! Characters that fold to ASCII letters under Unicode case folding (`ſ`, the Kelvin sign) are in
//! both automata: a segment holding one makes every pattern a candidate, scanned in full.

use crate::pack::literals::{is_word_byte, Starts, FOLDS_TO_ASCII};
use crate::pack::{Rule, REGEX_SIZE_LIMIT};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{RegexSet, RegexSetBuilder};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{meta, Anchored, Input, PatternSet};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

// Each pattern's literal sets are bits of a `u8`.
const _: () = assert!(crate::pack::MAX_LITERAL_SETS <= 8);

/// Bytes of copy after which a run builds the group sets.
pub const BULK_AFTER: usize = 512 * 1024;

/// The candidate patterns of a segment, found with one pass.
#[derive(Debug, Clone)]
pub(super) struct Prefilter {
    patterns: usize,
    /// Each pattern's regex source.
    sources: Arc<[String]>,
    /// For each pattern: the bits of all its literal sets (0 for patterns without literals).
    need: Vec<u8>,
    /// For each pattern: its start group.
    group_of: Vec<Option<usize>>,
    /// For each start group: whether a start needs a non-word byte before it.
    word_start: Vec<bool>,
    /// Patterns with neither required literals nor starts: they scan every segment.
    always: Vec<usize>,
    /// One pass over a segment for all of `always` (built on first use): a few patterns without
    /// literals otherwise cost a full scan of every segment each.
    always_set: Arc<OnceLock<Option<RegexSet>>>,
    /// The pass of small runs: every pattern by its own literals.
    each: Arc<Pass>,
    /// Start literals of one or two bytes at the start of a word, found without the automaton.
    short: Arc<ShortStarts>,
    /// The group sets and their pass, for large runs.
    bulk: Arc<Bulk>,
}

/// One Aho-Corasick pass and what its hits mean.
#[derive(Debug, Default)]
struct Pass {
    automaton: Option<AhoCorasick>,
    /// Per literal of the automaton; the characters that fold to ASCII come after the last.
    uses: Vec<LiteralUse>,
    /// Patterns without required literals that run where a start of theirs occurs.
    by_starts: Vec<usize>,
}

/// Start literals of at most two bytes that must begin a word ("u", "at", "£"), looked up at the
/// start of each word. In the automaton, every "a" or "u" of the text would be a hit to report and
/// then mostly discard, which made reporting hits the most costly part of the pass.
#[derive(Debug, Default)]
struct ShortStarts {
    /// For each byte (both cases of an ASCII letter), 1 + its index in `by_first`, or 0.
    first: Vec<u16>,
    /// The literals beginning with one byte: their second byte (or none), and their groups.
    by_first: Vec<Vec<(Option<u8>, Vec<usize>)>>,
}

impl ShortStarts {
    fn add(&mut self, literal: &[u8], group: usize) {
        if self.first.is_empty() {
            self.first = vec![0; 256];
        }
        let b = literal[0];
        if self.first[usize::from(b)] == 0 {
            self.by_first.push(Vec::new());
            let slot = u16::try_from(self.by_first.len()).expect("at most 256 first bytes");
            self.first[usize::from(b.to_ascii_lowercase())] = slot;
            self.first[usize::from(b.to_ascii_uppercase())] = slot;
        }
        let list = &mut self.by_first[usize::from(self.first[usize::from(b)]) - 1];
        let second = literal.get(1).copied();
        match list.iter_mut().find(|(s, _)| *s == second) {
            Some((_, groups)) => groups.push(group),
            None => list.push((second, vec![group])),
        }
    }

    /// Calls `found(group, at)` for each short literal at the start of a word in `bytes`, in
    /// order of position.
    fn find(&self, bytes: &[u8], mut found: impl FnMut(usize, usize)) {
        if self.by_first.is_empty() {
            return;
        }
        let mut after_word = false;
        for (at, &b) in bytes.iter().enumerate() {
            let slot = self.first[usize::from(b)];
            if slot != 0 && !after_word {
                for (second, groups) in &self.by_first[usize::from(slot) - 1] {
                    let fits = second.is_none_or(|c| {
                        bytes
                            .get(at + 1)
                            .is_some_and(|n| n.to_ascii_lowercase() == c)
                    });
                    if fits {
                        groups.iter().for_each(|&g| found(g, at));
                    }
                }
            }
            after_word = is_word_byte(b);
        }
    }
}

/// What a hit of one literal of the automaton means.
#[derive(Debug, Clone, Default)]
struct LiteralUse {
    /// The patterns requiring it, with the bit of the pattern's literal set it belongs to.
    required: Vec<(usize, u8)>,
    /// The start groups it opens.
    starts: Vec<usize>,
}

/// An anchored automaton over the patterns of one start group: from a start, the patterns that
/// match there.
#[derive(Debug)]
pub(super) struct GroupSet {
    regex: meta::Regex,
    /// Pattern `i` of the set is pattern `members[i]` of the engine.
    pub members: Vec<usize>,
}

/// The large-run mode: planned at build, made on demand.
#[derive(Debug, Default)]
struct Bulk {
    /// The literals of the large-run pass: starts, and the required literals of patterns that
    /// are in no set.
    table: LiteralTable,
    by_starts: Vec<usize>,
    /// For each group of several patterns: its patterns.
    members: Vec<(usize, Vec<usize>)>,
    groups: usize,
    /// Bytes scanned so far.
    seen: AtomicUsize,
    building: AtomicBool,
    /// The pass and the sets; `None` when a set failed to build (the run stays in small mode).
    ready: OnceLock<Option<Ready>>,
}

#[derive(Debug)]
struct Ready {
    pass: Pass,
    /// Per start group.
    sets: Vec<Option<GroupSet>>,
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
    pub touched_groups: Vec<usize>,
    /// The segment holds a character that folds to ASCII: starts are unknown, every candidate
    /// scans the whole segment.
    pub scan_all: bool,
    /// The group sets run for this segment.
    pub by_sets: bool,
    /// One search cache per pattern, created on first use (the regexes' own pools cost a lock
    /// on every search from a second thread).
    caches: Vec<Option<meta::Cache>>,
    /// One search cache per group set.
    set_caches: Vec<Option<meta::Cache>>,
    /// The patterns of a set that match at one start.
    matched: Option<PatternSet>,
    /// The end of the last match of each pattern found by a set in the current segment.
    ends: Vec<(usize, usize)>,
}

/// The literals of an automaton, each once, with what a hit of each means.
#[derive(Debug, Default)]
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

    /// The pass over these literals; `None` in the automaton when there are none or it fails to
    /// build (then nothing is a candidate by literals, and the caller must scan everything).
    /// `dfa` builds a full DFA: several times faster to search than the default NFA, slower to
    /// build, which only a large run repays.
    fn pass(&self, by_starts: Vec<usize>, dfa: bool) -> Pass {
        let automaton = if self.strings.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .kind(dfa.then_some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(
                    self.strings
                        .iter()
                        .map(String::as_str)
                        .chain(FOLDS_TO_ASCII.iter().copied()),
                )
                .ok()
        };
        Pass {
            automaton,
            uses: self.uses.clone(),
            by_starts,
        }
    }
}

impl Prefilter {
    /// Builds the prefilter over `patterns` (rule index, pattern index into `rules`).
    pub fn new(rules: &[Rule], patterns: &[(usize, usize)]) -> Prefilter {
        let mut groups: HashMap<&Starts, usize> = HashMap::new();
        let mut starts_of: Vec<&Starts> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut need = Vec::with_capacity(patterns.len());
        let mut group_of = Vec::with_capacity(patterns.len());
        let mut sources = Vec::with_capacity(patterns.len());
        for (idx, &(ri, pi)) in patterns.iter().enumerate() {
            let re = &rules[ri].patterns[pi];
            sources.push(re.as_str().to_string());
            need.push(((1u16 << re.literals().len()) - 1) as u8);
            let group = re.starts().map(|starts| {
                let g = *groups.entry(starts).or_insert(starts_of.len());
                if g == starts_of.len() {
                    starts_of.push(starts);
                    members.push(Vec::new());
                }
                members[g].push(idx);
                g
            });
            group_of.push(group);
        }
        let in_set = |idx: usize| group_of[idx].is_some_and(|g: usize| members[g].len() > 1);
        let (mut each, mut bulk) = (LiteralTable::default(), LiteralTable::default());
        let (mut each_by_starts, mut bulk_by_starts, mut always) = (vec![], vec![], vec![]);
        for (idx, &(ri, pi)) in patterns.iter().enumerate() {
            let sets = rules[ri].patterns[pi].literals();
            for (bit, set) in sets.iter().enumerate() {
                for lit in set {
                    each.use_of(lit).required.push((idx, 1 << bit));
                    if !in_set(idx) {
                        bulk.use_of(lit).required.push((idx, 1 << bit));
                    }
                }
            }
            match (sets.is_empty(), group_of[idx]) {
                (true, Some(_)) => each_by_starts.push(idx),
                (true, None) => always.push(idx),
                (false, _) => {}
            }
            if sets.is_empty() && group_of[idx].is_some() && !in_set(idx) {
                bulk_by_starts.push(idx);
            }
        }
        let mut short = ShortStarts::default();
        for (g, starts) in starts_of.iter().enumerate() {
            for lit in &starts.literals {
                if starts.word_start && lit.len() <= 2 {
                    short.add(lit.as_bytes(), g);
                } else {
                    each.use_of(lit).starts.push(g);
                    bulk.use_of(lit).starts.push(g);
                }
            }
        }
        let mut prefilter = Prefilter {
            patterns: patterns.len(),
            sources: sources.into(),
            need,
            word_start: starts_of.iter().map(|s| s.word_start).collect(),
            always,
            always_set: Arc::new(OnceLock::new()),
            each: Arc::new(each.pass(each_by_starts, false)),
            short: Arc::new(short),
            bulk: Arc::new(Bulk {
                table: bulk,
                by_starts: bulk_by_starts,
                members: members
                    .into_iter()
                    .enumerate()
                    .filter(|(_, m)| m.len() > 1)
                    .collect(),
                groups: starts_of.len(),
                ..Bulk::default()
            }),
            group_of,
        };
        if prefilter.each.automaton.is_none() {
            // No literals (or an automaton that failed to build): every pattern scans every
            // segment, and there is no large-run mode.
            prefilter.always = (0..patterns.len()).collect();
            prefilter.each = Arc::new(Pass::default());
            prefilter.group_of.iter_mut().for_each(|g| *g = None);
            prefilter.bulk = Arc::new(Bulk::default());
            let _ = prefilter.bulk.ready.set(None);
        }
        prefilter
    }

    /// Fresh scratch space sized for this prefilter.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            hit: vec![0; self.patterns],
            starts: vec![Vec::new(); self.word_start.len()],
            caches: (0..self.patterns).map(|_| None).collect(),
            set_caches: (0..self.word_start.len()).map(|_| None).collect(),
            ..Scratch::default()
        }
    }

    /// Counts `bytes` more of copy to scan; past [`BULK_AFTER`] in all, the first thread to get
    /// here builds the group sets while the others go on without them.
    pub fn note_bytes(&self, bytes: usize) {
        let bulk = &self.bulk;
        let seen = bulk.seen.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if seen >= BULK_AFTER && !bulk.building.swap(true, Ordering::Relaxed) {
            self.build_sets();
        }
    }

    /// Builds the group sets now (the large-run mode); the first call does the work.
    pub fn build_sets(&self) {
        self.bulk.ready.get_or_init(|| {
            let mut sets: Vec<Option<GroupSet>> = (0..self.bulk.groups).map(|_| None).collect();
            for (g, members) in &self.bulk.members {
                sets[*g] = Some(GroupSet::build(&self.sources, members.clone())?);
            }
            Some(Ready {
                pass: self.bulk.table.pass(self.bulk.by_starts.clone(), true),
                sets,
            })
        });
    }

    /// The group sets, once built.
    pub fn sets(&self) -> Option<&[Option<GroupSet>]> {
        Some(&self.bulk.ready.get()?.as_ref()?.sets)
    }

    /// A regex set over the patterns `idx`, in that order.
    fn set_of(&self, idx: &[usize]) -> Option<RegexSet> {
        RegexSetBuilder::new(idx.iter().map(|&i| self.sources[i].as_str()))
            .size_limit(REGEX_SIZE_LIMIT * 16)
            .dfa_size_limit(REGEX_SIZE_LIMIT * 16)
            .build()
            .ok()
    }

    /// Fills `s.candidates` with the patterns that may match `text`, in pattern order, and `s`'s
    /// starts with where they may match. With `s.by_sets` set on return, the patterns of the
    /// group sets are not among the candidates: the sets of `s.touched_groups` find them.
    pub fn candidates(&self, text: &str, s: &mut Scratch) {
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
        let ready = self.bulk.ready.get().and_then(Option::as_ref);
        s.by_sets = ready.is_some();
        let pass = ready.map_or(&*self.each, |r| &r.pass);
        let set = match self.always.len() {
            0 | 1 => None,
            _ => self
                .always_set
                .get_or_init(|| self.set_of(&self.always))
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
        let Some(automaton) = &pass.automaton else {
            return;
        };
        let bytes = text.as_bytes();
        for m in automaton.find_overlapping_iter(text) {
            let Some(hit) = pass.uses.get(m.pattern().as_usize()) else {
                // A character that folds to an ASCII letter: literals may hide behind it.
                s.scan_all = true;
                s.by_sets = false;
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
        let Scratch {
            starts,
            touched_groups,
            ..
        } = s;
        self.short.find(bytes, |g, at| {
            if starts[g].is_empty() {
                touched_groups.push(g);
            }
            starts[g].push(at);
        });
        for &g in &s.touched_groups {
            // Hits come in order of their end: literals of different lengths interleave.
            s.starts[g].sort_unstable();
            s.starts[g].dedup();
        }
        s.candidates.extend(
            pass.by_starts
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

    /// Runs group `g`'s set at each of the group's starts in `text`, in order, and calls
    /// `found(pattern, match)` for each pattern matching there, with the end its own regex
    /// (from `regex_of`) gives; as in a scan, a pattern's next match begins after its last.
    pub fn run_set<'r>(
        &self,
        s: &mut Scratch,
        g: usize,
        set: &GroupSet,
        text: &str,
        regex_of: impl Fn(usize) -> Option<&'r meta::Regex>,
        mut found: impl FnMut(usize, Range<usize>),
    ) {
        let Scratch {
            starts,
            set_caches,
            caches,
            matched,
            ends,
            ..
        } = s;
        let cache = set_caches[g].get_or_insert_with(|| set.regex.create_cache());
        let matched = matched.get_or_insert_with(|| PatternSet::new(self.patterns));
        ends.clear();
        for &at in &starts[g] {
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            set.regex
                .which_overlapping_matches_with(cache, &input, matched);
            // Most starts match nothing: clearing and walking the set costs its capacity.
            if matched.is_empty() {
                continue;
            }
            let pids: Vec<usize> = matched.iter().map(|p| p.as_usize()).collect();
            matched.clear();
            for pid in pids {
                let idx = set.members[pid];
                let last = ends.iter_mut().find(|(i, _)| *i == idx);
                if last.as_ref().is_some_and(|(_, end)| at < *end) {
                    continue;
                }
                let Some(re) = regex_of(idx) else {
                    continue;
                };
                let own = caches[idx].get_or_insert_with(|| re.create_cache());
                let Some(end) = re.search_half_with(own, &input).map(|m| m.offset()) else {
                    continue;
                };
                match last {
                    Some(last) => last.1 = end,
                    None => ends.push((idx, end)),
                }
                found(idx, at..end);
            }
        }
    }

    /// Makes every pattern a candidate of the current segment, scanning it in full (for tests
    /// comparing the prefilter with no prefilter).
    #[cfg(test)]
    pub fn everything(&self, s: &mut Scratch) {
        s.candidates.clear();
        s.candidates.extend(0..self.patterns);
        s.scan_all = true;
        s.by_sets = false;
    }
}

impl GroupSet {
    /// The anchored set over `members`' sources; `None` when it does not build within the
    /// size limits.
    fn build(sources: &[String], members: Vec<usize>) -> Option<GroupSet> {
        let patterns: Vec<&str> = members.iter().map(|&i| sources[i].as_str()).collect();
        let config = meta::Config::new()
            .match_kind(regex_automata::MatchKind::All)
            .auto_prefilter(false)
            .which_captures(WhichCaptures::None)
            .nfa_size_limit(Some(REGEX_SIZE_LIMIT * 16))
            .hybrid_cache_capacity(REGEX_SIZE_LIMIT * 4);
        let regex = meta::Builder::new()
            .configure(config)
            .build_many(&patterns)
            .ok()?;
        Some(GroupSet { regex, members })
    }
}
