//! Which patterns can match a segment, and where their matches can start: one Aho-Corasick pass.
//!
//! The automaton holds two kinds of literals (see [`crate::pack::literals`]):
//! - the *required* literals of each pattern: a pattern is a candidate only where a literal of
//!   each of its sets occurs;
//! - the *start* literals: every match of a pattern begins with one of them, so the engine runs it
//!   anchored at those places instead of scanning the whole segment. Patterns with the same starts
//!   form a group, so a hit costs one entry per group, not one per pattern.
//!
//! Small runs use both. Once a run has scanned [`BULK_AFTER`] bytes, the patterns that begin at
//! the start of a word move to the large-run mode (see [`super::bulk`]), which needs neither their
//! required literals nor the automaton; the others keep a smaller automaton of their own. Building
//! the large-run sets costs tens of milliseconds, so a pre-commit run never pays for it.
//!
//! The literals are searched ASCII-case-insensitively. The two characters that also fold to an
//! ASCII letter under Unicode case folding (`ſ`, the Kelvin sign) never reach the automata:
//! normalisation turns them into their letters (see [`crate::source::segment::ABSENT_FROM_TEXT`]).

use super::bulk::{PatternSetAt, WordStarts};
use super::caches::PatternCaches;
use super::short::ShortStarts;
use crate::pack::literals::{is_word_byte, ByteSet, Starts};
use crate::pack::{Haystack, LazyRegex, Rule, MAX_LITERAL_SETS, REGEX_SIZE_LIMIT};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{RegexSet, RegexSetBuilder};
use regex_automata::hybrid;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

// Each pattern's literal sets are bits of a `u8`.
const _: () = assert!(crate::pack::MAX_LITERAL_SETS <= 8);

/// The size of a home set from which a one-byte start runs it rather than copy its patterns.
const SHARED_SET: usize = 64;

/// Bytes of copy after which a run builds the large-run sets. Building them takes a few hundred
/// milliseconds of one thread and about 30 MB; below some 10 MB of files the small-run mode is as
/// fast.
pub const BULK_AFTER: usize = 16 * 1024 * 1024;

/// The candidate patterns of a segment, found with one pass.
#[derive(Debug, Clone)]
pub(super) struct Prefilter {
    patterns: usize,
    /// Each pattern's regex source.
    sources: Arc<[String]>,
    /// How many distinct literal sets the patterns require.
    sets: usize,
    /// For each pattern: its start group.
    group_of: Vec<Option<usize>>,
    /// For each pattern: its required byte sets (see [`LazyRegex::required_bytes`]).
    byte_sets: Vec<Box<[ByteSet]>>,
    /// For each start group: whether a start needs a non-word byte before it.
    word_start: Vec<bool>,
    /// The start groups whose matches may begin at the start of the text.
    at_text_start: Vec<usize>,
    /// Patterns with neither required literals nor starts: they scan every segment.
    always: Vec<usize>,
    /// One pass over a segment for all of `always` (built on first use): a few patterns without
    /// literals otherwise cost a full scan of every segment each.
    always_set: Arc<OnceLock<Option<RegexSet>>>,
    /// The pass of small runs: every pattern by its own literals.
    each: Arc<Pass>,
    /// Start literals of one or two bytes at the start of a word, found without the automaton.
    short: Arc<ShortStarts>,
    /// The large-run sets and their pass.
    bulk: Arc<Bulk>,
}

/// One Aho-Corasick pass and what its hits mean.
#[derive(Debug, Default)]
struct Pass {
    automaton: Option<AhoCorasick>,
    /// Per literal of the automaton.
    uses: Vec<LiteralUse>,
    /// Patterns without required literals that run where a start of theirs occurs.
    by_starts: Vec<usize>,
    /// For each literal set: the patterns of this pass whose first set it is. A pattern is a
    /// candidate when its first set is met and its others are too; indexing each pattern once,
    /// under its most telling set, spares walking the hundreds of patterns that need "you"
    /// wherever "you" occurs.
    indexed: Vec<Vec<Indexed>>,
}

/// A pattern under the literal set it is indexed by, with the numbers of its other sets (the
/// indexing set's own number where it has fewer), kept inline: the candidate check reads them
/// for every pattern of every set met.
#[derive(Debug, Clone, Copy)]
struct Indexed {
    pattern: usize,
    others: [u32; MAX_LITERAL_SETS - 1],
}

/// What a hit of one literal of the automaton means.
#[derive(Debug, Clone, Default)]
struct LiteralUse {
    /// The literal sets (by number) it belongs to, of the patterns of this pass.
    required: Vec<u32>,
    /// The start groups it opens.
    starts: Vec<usize>,
    /// The start groups whose matches may begin in the run of non-spaces before it (see
    /// [`Starts::rewind`]).
    rewind: Vec<usize>,
}

/// The large-run mode: planned at build, made on demand.
#[derive(Debug, Default)]
struct Bulk {
    /// The literals of the patterns that keep the automaton in a large run: those that do not
    /// begin at the start of a word.
    table: LiteralTable,
    /// [`Pass::indexed`] of its pass.
    indexed: Vec<Vec<Indexed>>,
    by_starts: Vec<usize>,
    /// For each first byte of a start literal (ASCII lowercase): the patterns that may begin
    /// with it at the start of a word, which its set holds.
    by_byte: Vec<Vec<usize>>,
    /// For each first byte: the other sets to run where it begins a word.
    also_run: Vec<Vec<usize>>,
    word_starts: WordStarts,
    /// Bytes scanned so far.
    seen: AtomicUsize,
    building: AtomicBool,
    /// The pass and the sets; `None` when a set failed to build (the run stays in small mode).
    ready: OnceLock<Option<Ready>>,
}

#[derive(Debug)]
struct Ready {
    pass: Pass,
    /// For each byte: its set.
    sets: Vec<Option<PatternSetAt>>,
}

/// Scratch space reused from segment to segment and document to document, so that no segment
/// allocates.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// For each literal set: the number of the last segment in which one of its literals was met
    /// ([`Scratch::segment`]).
    set_met: Vec<u32>,
    /// The literal sets met in the current segment.
    met_sets: Vec<u32>,
    /// Counts the segments prefiltered with this scratch space (never 0 once one has been).
    segment: u32,
    /// Candidate patterns of the current segment, in pattern order.
    pub candidates: Vec<usize>,
    /// The `always` set's answer for the current segment.
    set_matches: Vec<bool>,
    /// For each start group: where matches may start in the current segment, ascending.
    starts: Vec<Vec<usize>>,
    /// Groups whose `starts` are not empty.
    touched_groups: Vec<usize>,
    /// Every pattern is a candidate and scans the whole segment ([`Prefilter::scan_everything`]).
    pub scan_all: bool,
    /// The large-run sets run for this segment, at `positions`.
    pub by_sets: bool,
    /// This thread has switched to the large-run mode.
    in_large_run: bool,
    /// The search caches of each pattern, created on first use (the regexes' own pools cost a
    /// lock on every search from a second thread).
    caches: Vec<PatternCaches>,
    /// Large runs: the places where the sets run in the current segment.
    positions: Vec<usize>,
    /// One search cache per set.
    set_caches: Vec<Option<hybrid::dfa::Cache>>,
    /// The patterns of a set that match at one place.
    found: Vec<usize>,
    /// The end of the last match of each pattern found by a set in the current segment.
    ends: Vec<(usize, usize)>,
}

/// The start of the run of non-spaces (`\S*`: Unicode white space ends it) that ends at a place,
/// for places met mostly in ascending order: each byte is looked at about once per segment.
#[derive(Debug, Default)]
struct RunStarts {
    /// The text up to here has been looked at.
    upto: usize,
    /// The start of the run that holds `upto`.
    start: usize,
}

impl RunStarts {
    fn run_start(&mut self, text: &str, at: usize) -> usize {
        if at < self.upto {
            // Out of order (a longer literal ending later began earlier): look back from `at`.
            return text[..at]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
        }
        for (i, c) in text[self.upto..at].char_indices() {
            if c.is_whitespace() {
                self.start = self.upto + i + c.len_utf8();
            }
        }
        self.upto = at;
        self.start
    }
}

/// Pushes onto `places` (ascending, of one start group) every place from `run` to `at` that
/// follows a byte that is not a word byte: where a whole-word match whose `\S*` runs up to `at`
/// may begin. Places pushed for an earlier hit in the same run are not pushed again.
fn push_run_places(bytes: &[u8], run: usize, at: usize, places: &mut Vec<usize>) {
    let from = match places.last() {
        Some(&last) if last >= run && last <= at => last + 1,
        _ => run,
    };
    for p in from..=at {
        // A UTF-8 continuation byte is no place to begin (and no word byte either).
        let boundary = bytes.get(p).is_none_or(|&b| (b as i8) >= -0x40);
        if boundary && (p == 0 || !is_word_byte(bytes[p - 1])) {
            places.push(p);
        }
    }
}

/// The literals of an automaton, each once, with what a hit of each means.
#[derive(Debug, Clone, Default)]
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
    fn into_pass(self, by_starts: Vec<usize>, indexed: Vec<Vec<Indexed>>, dfa: bool) -> Pass {
        let automaton = if self.strings.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .kind(dfa.then_some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&self.strings)
                .ok()
        };
        Pass {
            automaton,
            uses: self.uses,
            by_starts,
            indexed,
        }
    }
}

impl Prefilter {
    /// Builds the prefilter over `patterns` (rule index, pattern index into `rules`).
    pub fn new(rules: &[Rule], patterns: &[(usize, usize)]) -> Prefilter {
        let mut groups: HashMap<&Starts, usize> = HashMap::new();
        let mut starts_of: Vec<&Starts> = Vec::new();
        let mut required: Vec<Vec<u32>> = Vec::with_capacity(patterns.len());
        let mut set_number: HashMap<&[String], u32> = HashMap::new();
        let mut group_of = Vec::with_capacity(patterns.len());
        let mut sources = Vec::with_capacity(patterns.len());
        let mut byte_sets = Vec::with_capacity(patterns.len());
        for &(ri, pi) in patterns {
            let re = &rules[ri].patterns[pi];
            sources.push(re.as_str().to_string());
            byte_sets.push(re.required_bytes().iter().map(|b| ByteSet::of(b)).collect());
            let numbers = re.literals().iter().map(|set| {
                let next = set_number.len() as u32;
                *set_number.entry(set.as_slice()).or_insert(next)
            });
            required.push(numbers.collect());
            let group = re.starts().map(|starts| {
                let g = *groups.entry(starts).or_insert(starts_of.len());
                if g == starts_of.len() {
                    starts_of.push(starts);
                }
                g
            });
            group_of.push(group);
        }
        // In a large run, the patterns beginning at word starts go to the sets.
        let in_set = |idx: usize| group_of[idx].is_some_and(|g: usize| starts_of[g].word_start);
        let (mut each, mut bulk) = (LiteralTable::default(), LiteralTable::default());
        let (mut each_by_starts, mut bulk_by_starts, mut always) = (vec![], vec![], vec![]);
        let mut by_byte: Vec<Vec<usize>> = vec![Vec::new(); 256];
        let mut also_run: Vec<Vec<usize>> = vec![Vec::new(); 256];
        let mut word_starts = WordStarts::default();
        let (mut each_indexed, mut bulk_indexed) = (
            vec![Vec::new(); set_number.len()],
            vec![Vec::new(); set_number.len()],
        );
        // Whether each pass lists a set's literals already.
        let (mut each_lists, mut bulk_lists) =
            (vec![false; set_number.len()], vec![false; set_number.len()]);
        for (idx, &(ri, pi)) in patterns.iter().enumerate() {
            let sets = rules[ri].patterns[pi].literals();
            for (set, &number) in sets.iter().zip(required[idx].iter()) {
                let n = number as usize;
                let passes = [
                    (&mut each, &mut each_lists[n], true),
                    (&mut bulk, &mut bulk_lists[n], !in_set(idx)),
                ];
                for (table, listed, wanted) in passes {
                    if wanted && !*listed {
                        *listed = true;
                        for lit in set {
                            table.use_of(lit).required.push(number);
                        }
                    }
                }
            }
            if let Some(&first) = required[idx].first() {
                let mut others = [first; MAX_LITERAL_SETS - 1];
                for (slot, &n) in others.iter_mut().zip(&required[idx][1..]) {
                    *slot = n;
                }
                let entry = Indexed {
                    pattern: idx,
                    others,
                };
                each_indexed[first as usize].push(entry);
                if !in_set(idx) {
                    bulk_indexed[first as usize].push(entry);
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
        // A pattern joins the set of each first byte of its starts ("you" and "yours"): one walk
        // per place was measured faster than running several sets there. The exception is a
        // one-byte start ("u") of a pattern whose home set (the first byte of its longest start)
        // is large: its places run the home set too, instead of a second copy of a hundred
        // patterns and of its cache.
        let home_of = |g: usize| {
            let longest = starts_of[g].literals.iter().max_by_key(|l| l.len());
            usize::from(longest.expect("starts are never empty").as_bytes()[0])
        };
        let mut home_size = vec![0usize; 256];
        for g in (0..patterns.len())
            .filter(|&i| in_set(i))
            .filter_map(|i| group_of[i])
        {
            home_size[home_of(g)] += 1;
        }
        for idx in (0..patterns.len()).filter(|&i| in_set(i)) {
            let g = group_of[idx].expect("in a set");
            let home = home_of(g);
            for lit in &starts_of[g].literals {
                let first = usize::from(lit.as_bytes()[0]);
                word_starts.add(lit.as_bytes());
                if lit.len() == 1 && first != home && home_size[home] >= SHARED_SET {
                    if !also_run[first].contains(&home) {
                        also_run[first].push(home);
                    }
                    continue;
                }
                if by_byte[first].last() != Some(&idx) {
                    by_byte[first].push(idx);
                }
            }
        }
        let mut short = ShortStarts::default();
        for (g, starts) in starts_of.iter().enumerate() {
            for lit in &starts.literals {
                if starts.word_start && lit.len() <= 2 {
                    short.add(lit.as_bytes(), g);
                } else {
                    each.use_of(lit).starts.push(g);
                }
                if !starts.word_start {
                    bulk.use_of(lit).starts.push(g);
                }
            }
            // Never at word starts (`word_start` is false): both passes find them.
            for lit in &starts.rewind {
                each.use_of(lit).rewind.push(g);
                bulk.use_of(lit).rewind.push(g);
            }
        }
        let mut prefilter = Prefilter {
            patterns: patterns.len(),
            sources: sources.into(),
            sets: set_number.len(),
            word_start: starts_of.iter().map(|s| s.word_start).collect(),
            at_text_start: (0..starts_of.len())
                .filter(|&g| starts_of[g].at_text_start)
                .collect(),
            always,
            always_set: Arc::new(OnceLock::new()),
            each: Arc::new(each.into_pass(each_by_starts, each_indexed, false)),
            short: Arc::new(short),
            bulk: Arc::new(Bulk {
                table: bulk,
                indexed: bulk_indexed,
                by_starts: bulk_by_starts,
                by_byte,
                also_run,
                word_starts,
                ..Bulk::default()
            }),
            group_of,
            byte_sets,
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
            set_met: vec![0; self.sets],
            starts: vec![Vec::new(); self.word_start.len()],
            caches: (0..self.patterns)
                .map(|_| PatternCaches::default())
                .collect(),
            set_caches: (0..256).map(|_| None).collect(),
            ..Scratch::default()
        }
    }

    /// Counts `bytes` more of copy to scan; past [`BULK_AFTER`] in all, the first thread to get
    /// here builds the large-run sets while the others go on without them.
    pub fn note_bytes(&self, bytes: usize) {
        let bulk = &self.bulk;
        let seen = bulk.seen.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if seen >= BULK_AFTER && !bulk.building.swap(true, Ordering::Relaxed) {
            self.build_sets();
        }
    }

    /// Builds the large-run sets now; the first call does the work.
    pub fn build_sets(&self) {
        self.bulk.ready.get_or_init(|| {
            let mut sets = Vec::with_capacity(256);
            for members in &self.bulk.by_byte {
                sets.push(match members.is_empty() {
                    true => None,
                    false => Some(PatternSetAt::build(&self.sources, members.clone())?),
                });
            }
            Some(Ready {
                pass: self.bulk.table.clone().into_pass(
                    self.bulk.by_starts.clone(),
                    self.bulk.indexed.clone(),
                    true,
                ),
                sets,
            })
        });
    }

    /// True once the large-run sets are built.
    #[cfg(test)]
    pub fn has_sets(&self) -> bool {
        self.bulk.ready.get().is_some_and(Option::is_some)
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
    /// large-run sets are not among the candidates: [`Prefilter::run_sets`] finds them at the
    /// segment's word starts.
    pub fn candidates(&self, text: &str, s: &mut Scratch) {
        s.segment = s.segment.wrapping_add(1);
        if s.segment == 0 {
            // The count wrapped: no number left from before may match.
            s.set_met.iter_mut().for_each(|n| *n = 0);
            s.segment = 1;
        }
        s.met_sets.clear();
        for &g in &s.touched_groups {
            s.starts[g].clear();
        }
        s.touched_groups.clear();
        s.candidates.clear();
        s.scan_all = false;
        let ready = self.bulk.ready.get().and_then(Option::as_ref);
        s.by_sets = ready.is_some();
        if s.by_sets && !s.in_large_run {
            // The sets replace most patterns' own searches: free the caches the small-run mode
            // filled (hundreds of patterns per thread); confirming a match makes one again.
            s.in_large_run = true;
            s.caches
                .iter_mut()
                .for_each(|c| *c = PatternCaches::default());
        }
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
        let bytes = text.as_bytes();
        // Without literals a small run has made every pattern a candidate already; a large run
        // may need no automaton at all, its patterns all being in the sets.
        let automaton = match &pass.automaton {
            Some(automaton) => Some(automaton),
            None if s.by_sets => None,
            None => return,
        };
        for &g in &self.at_text_start {
            if s.starts[g].is_empty() {
                s.touched_groups.push(g);
            }
            s.starts[g].push(0);
        }
        let mut runs = RunStarts::default();
        if let Some(automaton) = automaton {
            for m in automaton.find_overlapping_iter(text) {
                let hit = &pass.uses[m.pattern().as_usize()];
                for &number in &hit.required {
                    let met = &mut s.set_met[number as usize];
                    if *met != s.segment {
                        *met = s.segment;
                        s.met_sets.push(number);
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
                if !hit.rewind.is_empty() {
                    let run = runs.run_start(text, at);
                    for &g in &hit.rewind {
                        if s.starts[g].is_empty() {
                            s.touched_groups.push(g);
                        }
                        push_run_places(bytes, run, at, &mut s.starts[g]);
                    }
                }
            }
        }
        // A pattern is a candidate when every literal set it requires was met: looked up from the
        // sets met, under the one each pattern is indexed by.
        for &number in &s.met_sets {
            for entry in &pass.indexed[number as usize] {
                if entry
                    .others
                    .iter()
                    .all(|&n| s.set_met[n as usize] == s.segment)
                {
                    s.candidates.push(entry.pattern);
                }
            }
        }
        let Scratch {
            starts,
            touched_groups,
            positions,
            ..
        } = s;
        positions.clear();
        if s.by_sets {
            self.bulk.word_starts.find(bytes, positions);
        } else {
            self.short.find(bytes, |g, at| {
                if starts[g].is_empty() {
                    touched_groups.push(g);
                }
                starts[g].push(at);
            });
        }
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
        // Nor one that needs a byte the segment lacks (the "?" of a question): one pass over the
        // bytes, when a candidate needs it, spares such patterns a scan of the whole segment.
        let byte_sets = &self.byte_sets;
        if s.candidates.iter().any(|&idx| !byte_sets[idx].is_empty()) {
            let present = ByteSet::of(bytes);
            s.candidates
                .retain(|&idx| byte_sets[idx].iter().all(|set| set.meets(&present)));
        }
        // Pattern order keeps the output independent of where literals sit in the text.
        s.candidates.sort_unstable();
    }

    /// Where the matches of pattern `idx` may start in the current segment (ascending), or `None`
    /// when it must scan the whole segment; and the pattern's search caches.
    pub fn search_state<'s>(
        &self,
        s: &'s mut Scratch,
        idx: usize,
    ) -> (Option<&'s [usize]>, &'s mut PatternCaches) {
        let starts = match self.group_of[idx] {
            Some(g) if !s.scan_all => Some(s.starts[g].as_slice()),
            _ => None,
        };
        (starts, &mut s.caches[idx])
    }

    /// Runs the large-run sets at each of the segment's `positions`, in order, and calls
    /// `found(pattern, match)` for each pattern matching there, with the end its own regex
    /// (from `regex_of`) gives; as in a scan, a pattern's next match begins after its last.
    pub fn run_sets<'r>(
        &self,
        s: &mut Scratch,
        hay: &Haystack,
        regex_of: impl Fn(usize) -> &'r LazyRegex,
        mut found: impl FnMut(usize, Range<usize>),
    ) {
        let text = hay.text();
        let Some(ready) = self.bulk.ready.get().and_then(Option::as_ref) else {
            return;
        };
        let Scratch {
            positions,
            set_caches,
            caches,
            found: matching,
            ends,
            ..
        } = s;
        ends.clear();
        for &at in positions.iter() {
            let byte = usize::from(text.as_bytes()[at].to_ascii_lowercase());
            let extra = self.bulk.also_run[byte].iter().copied();
            for si in std::iter::once(byte).chain(extra) {
                let Some(set) = &ready.sets[si] else {
                    continue;
                };
                let cache = set_caches[si].get_or_insert_with(|| set.create_cache());
                if set.matches_at(cache, text, at, matching).is_none() {
                    // The automaton could not search here: every pattern of the set tries.
                    matching.clear();
                    matching.extend_from_slice(set.members());
                }
                for &idx in matching.iter() {
                    let last = ends.iter_mut().find(|(i, _)| *i == idx);
                    if last.as_ref().is_some_and(|(_, end)| at < *end) {
                        continue;
                    }
                    let Some(end) = caches[idx].end_at(regex_of(idx), hay, at) else {
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
    }

    /// Makes every pattern a candidate of the current segment, scanning it in full: for tests
    /// comparing the prefilter with no prefilter.
    #[cfg(test)]
    pub fn scan_everything(&self, s: &mut Scratch) {
        s.candidates.clear();
        s.candidates.extend(0..self.patterns);
        s.scan_all = true;
        s.by_sets = false;
    }
}
