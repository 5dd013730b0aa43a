//! The engine: runs compiled rules over a document's segments.
//!
//! One pass over a segment names the patterns that can match it; only those run their own regex,
//! and a regex is compiled the first time it has to run. Rules are never fused into one
//! alternation, so one rule cannot hide another.
//!
//! Most patterns begin at the start of a word with one of a few literals ("you", "at"): the engine
//! runs them anchored where those occur instead of scanning whole segments. Small runs find the
//! candidates and their starts with one Aho-Corasick pass (`prefilter`); large runs switch to
//! anchored multi-pattern sets looked up at word starts (`bulk`). Both find exactly what
//! running every pattern over every segment finds. (An unanchored `RegexSet` over all 372
//! built-in patterns was measured too: its lazy DFA spent its time building states, saved no CPU
//! and took about 70 MB.)
//!
//! `unless` exceptions and `with` signals are judged within the sentence of a match, and `near`
//! context within a window of words.

mod bulk;
mod caches;
mod context;
mod prefilter;
mod short;

pub use context::{answer_after, sentence_around, sentences, word_window, MAX_CONTEXT};

use crate::pack::schema::Scope;
use crate::pack::{Haystack, LazyRegex, Rule};
use crate::source::Document;
use prefilter::{Prefilter, Scratch};
use regex_automata::meta;
use regex_automata::util::iter::Searcher;
use regex_automata::Input;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Whether `lazy` matches in `range` of `hay`.
fn matches_in(lazy: &LazyRegex, hay: &Haystack, range: Range<usize>) -> bool {
    lazy.get()
        .is_some_and(|re| re.is_match(&lazy.text_in(hay)[range]))
}

/// Whether every `with` signal of `rule` has a pattern matching in `range` of `hay`.
fn signals_in(rule: &Rule, hay: &Haystack, range: Range<usize>) -> bool {
    rule.with.iter().all(|signal| {
        signal
            .iter()
            .any(|lazy| matches_in(lazy, hay, range.clone()))
    })
}

/// A segment this long or shorter is judged whole as well as sentence by sentence: the model
/// learnt from messages of a few sentences, and a short message's sentences often need each
/// other ("Big weekend? £212 across four bars on Friday night.").
pub const MODEL_MESSAGE_BYTES: usize = 400;

/// Units with fewer word tokens than this are not judged: a fragment ("drop down box.") gives the
/// model too little to go on.
pub const MODEL_MIN_TOKENS: usize = 6;

/// The units of `text` the model judges: each sentence, and the whole text too when it is a short
/// message of several sentences. Training shows the model every unit of a benign row as well as
/// the row, since these units are what it scores.
pub fn model_units(text: &str) -> Vec<Range<usize>> {
    let mut units = sentences(text);
    if units.len() > 1 && text.len() <= MODEL_MESSAGE_BYTES {
        units.push(units[0].start..units[units.len() - 1].end);
    }
    units
}

/// The unit of `text` (a sentence, or the whole of a short segment) that scores highest, if it
/// reaches the threshold. The text is tokenised and hashed once; each unit is a range of its tokens.
fn best_unit(text: &str, judge: &crate::pack::ModelJudge) -> Option<Range<usize>> {
    use crate::model::features::{TokenBuckets, Tokens};
    let toks = Tokens::of(text);
    if toks.len() < MODEL_MIN_TOKENS {
        return None;
    }
    let units = model_units(text);
    let buckets = TokenBuckets::of(&toks);
    let mut features = Vec::new();
    let mut best: Option<(f32, Range<usize>)> = None;
    for unit in units {
        let range = toks.within(unit.clone());
        if range.len() < MODEL_MIN_TOKENS {
            continue;
        }
        buckets.unit_unordered(range, &mut features);
        let score = judge.model().score_features(&features);
        if score >= judge.threshold && best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, unit));
        }
    }
    best.map(|(_, unit)| unit)
}

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
#[derive(Debug)]
pub struct Engine {
    /// Tells this engine's scratch space apart from another engine's on the same thread.
    id: u64,
    rules: Vec<Rule>,
    /// Every phrase pattern: (rule index, pattern index).
    owners: Vec<(usize, usize)>,
    prefilter: Prefilter,
    document_rules: Vec<usize>,
    /// For each document rule, built on first use with literal prefilters (they are searched in
    /// every segment, and the exceptions in the whole file, markup included): its patterns, and
    /// its exceptions as one regex.
    document_regexes: Arc<[DocumentRegexes]>,
    /// Bytes of copy in documents the large-run sets searched (`check --timings` shows it, so
    /// that a test can tell the large-run mode ran).
    large_run_bytes: AtomicUsize,
}

impl Clone for Engine {
    fn clone(&self) -> Engine {
        // A clone may compile its regexes apart from this engine's, so it must not share its
        // search caches: it gets an id of its own.
        Engine {
            id: next_id(),
            rules: self.rules.clone(),
            owners: self.owners.clone(),
            prefilter: self.prefilter.clone(),
            document_rules: self.document_rules.clone(),
            document_regexes: self.document_regexes.clone(),
            large_run_bytes: AtomicUsize::new(0),
        }
    }
}

/// A document rule's patterns and exceptions, each built once.
type DocumentRegexes = (OnceLock<Vec<meta::Regex>>, OnceLock<Option<meta::Regex>>);

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

thread_local! {
    /// The scratch space of the last engine that ran on this thread: its search caches and
    /// buffers outlive one document.
    static SCRATCH: RefCell<Option<(u64, Scratch)>> = const { RefCell::new(None) };
}

impl Engine {
    /// Builds an engine over `rules`. Only the patterns are parsed, nothing is compiled yet.
    pub fn new(rules: Vec<Rule>) -> Engine {
        let mut owners = Vec::new();
        let mut document_rules = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            if rule.info.scope == Scope::Document {
                document_rules.push(ri);
                continue;
            }
            owners.extend((0..rule.patterns.len()).map(|pi| (ri, pi)));
        }
        let prefilter = Prefilter::new(&rules, &owners);
        Engine {
            id: next_id(),
            rules,
            owners,
            prefilter,
            document_regexes: document_rules.iter().map(|_| Default::default()).collect(),
            document_rules,
            large_run_bytes: AtomicUsize::new(0),
        }
    }

    /// The engine's rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every match of every rule in `doc`, sorted by segment and position.
    pub fn find(&self, doc: &Document) -> Vec<RawMatch> {
        let bytes = doc.segments.iter().map(|s| s.text.len()).sum();
        self.prefilter.note_bytes(bytes);
        let mut by_sets = false;
        let found = self.find_with(doc, |e, text, s| {
            e.prefilter.candidates(text, s);
            by_sets |= s.by_sets;
        });
        if by_sets {
            self.large_run_bytes.fetch_add(bytes, Ordering::Relaxed);
        }
        found
    }

    /// The matches of the model rules that `judged` accepts (the caller knows the message's kind):
    /// in each segment, the unit that scores highest, when it reaches the rule's threshold and the
    /// rule's `unless` and `with` accept it. The units are the segment's sentences and, when the
    /// segment is as short as one message ([`MODEL_MESSAGE_BYTES`]), the whole segment.
    ///
    /// The model is a second opinion for copy no pattern flagged: a unit that overlaps one of
    /// `taken` (the phrase matches in the document, before any suppression) is left to that
    /// finding, so one creepy sentence never reports twice, and ignoring a rule for some paths
    /// does not bring the model in its place.
    pub fn find_by_model(
        &self,
        doc: &Document,
        judged: impl Fn(&Rule) -> bool,
        taken: &[RawMatch],
    ) -> Vec<RawMatch> {
        let mut out = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            let Some(judge) = &rule.model else { continue };
            if !judged(rule) {
                continue;
            }
            for (si, seg) in doc.segments.iter().enumerate() {
                let hay = Haystack::new(&seg.text);
                // A segment without every signal has no sentence with them: skip scoring it.
                if !rule.with.is_empty() && !signals_in(rule, &hay, 0..seg.text.len()) {
                    continue;
                }
                let Some(m) = best_unit(&seg.text, judge) else {
                    continue;
                };
                let overlaps = taken
                    .iter()
                    .any(|t| t.segment == si && t.norm.start < m.end && m.start < t.norm.end);
                if !overlaps {
                    self.keep(ri, si, &hay, m, &mut out);
                }
            }
        }
        out
    }

    /// Bytes of copy in the documents so far that the large-run sets searched; 0 when the run
    /// stayed in the small-run mode.
    pub fn large_run_bytes(&self) -> usize {
        self.large_run_bytes.load(Ordering::Relaxed)
    }

    /// Runs `f` with this thread's scratch space for this engine.
    fn with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        let kept = SCRATCH.with(|cell| cell.try_borrow_mut().ok().and_then(|mut s| s.take()));
        let mut scratch = match kept {
            Some((id, scratch)) if id == self.id => scratch,
            _ => self.prefilter.scratch(),
        };
        let result = f(&mut scratch);
        SCRATCH.with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                *slot = Some((self.id, scratch));
            }
        });
        result
    }

    /// [`Engine::find`] with the candidate patterns of each segment chosen by `pick`.
    fn find_with(
        &self,
        doc: &Document,
        mut pick: impl FnMut(&Self, &str, &mut Scratch),
    ) -> Vec<RawMatch> {
        let mut out = self.with_scratch(|scratch| {
            let mut out = Vec::new();
            for (si, seg) in doc.segments.iter().enumerate() {
                let text = seg.text.as_str();
                let hay = Haystack::new(text);
                pick(self, text, scratch);
                let start = out.len();
                for ci in 0..scratch.candidates.len() {
                    let idx = scratch.candidates[ci];
                    let (ri, pi) = self.owners[idx];
                    let rule = &self.rules[ri];
                    let lazy = &rule.patterns[pi];
                    let mut found = |m: Range<usize>| self.keep(ri, si, &hay, m, &mut out);
                    match self.prefilter.search_state(scratch, idx) {
                        (Some(starts), caches) => {
                            // Every match begins at one of `starts`: search anchored there, in
                            // order, past the end of the last match, as an unanchored scan would.
                            let mut next = 0;
                            // A sentence-start pattern has a place in every run before a stop:
                            // one unanchored pass first tells whether any match is left, and
                            // up to where its start can be.
                            let probe = lazy.starts().is_some_and(|s| !s.rewind.is_empty());
                            let mut match_by: Option<usize> = None;
                            for &at in starts {
                                if at < next {
                                    continue;
                                }
                                if probe && match_by.is_none_or(|end| at > end) {
                                    match caches.any_end_from(lazy, &hay, at) {
                                        Some(end) => match_by = Some(end),
                                        None => break,
                                    }
                                }
                                if let Some(end) = caches.end_at(lazy, &hay, at) {
                                    match_by = None;
                                    next = end;
                                    found(at..next);
                                }
                            }
                        }
                        (None, caches) => {
                            let Some(re) = lazy.get() else {
                                continue;
                            };
                            let cache = caches.full(re);
                            let mut it = Searcher::new(Input::new(lazy.text_in(&hay)));
                            while let Some(m) = it.advance(|input| Ok(re.search_with(cache, input)))
                            {
                                found(m.range());
                            }
                        }
                    }
                }
                if scratch.by_sets {
                    self.find_by_sets(&hay, si, scratch, &mut out);
                }
                dedupe_overlaps(&mut out, start);
            }
            out
        });
        for (di, &ri) in self.document_rules.iter().enumerate() {
            if let Some(m) = self.find_document_rule(di, ri, doc) {
                out.push(m);
            }
        }
        out
    }

    /// The matches in `text` (segment `si`) of the patterns in the large-run sets.
    fn find_by_sets(
        &self,
        hay: &Haystack,
        si: usize,
        scratch: &mut Scratch,
        out: &mut Vec<RawMatch>,
    ) {
        let regex_of = |idx: usize| {
            let (ri, pi) = self.owners[idx];
            &self.rules[ri].patterns[pi]
        };
        self.prefilter.run_sets(scratch, hay, regex_of, |idx, m| {
            self.keep(self.owners[idx].0, si, hay, m, out);
        });
    }

    /// Keeps match `m` of rule `ri` in `hay` (segment `si`) when it is not empty and the rule's
    /// exceptions and context accept it.
    fn keep(&self, ri: usize, si: usize, hay: &Haystack, m: Range<usize>, out: &mut Vec<RawMatch>) {
        if m.start < m.end && self.accepts(&self.rules[ri], hay, m.clone()) {
            out.push(RawMatch {
                rule: ri,
                segment: si,
                norm: m,
            });
        }
    }

    fn accepts(&self, rule: &Rule, hay: &Haystack, m: Range<usize>) -> bool {
        let text = hay.text();
        // Exceptions and context are searched in the sentence or window only (both bounded), not
        // in the whole segment: a long segment with many matches would otherwise cost
        // matches × length. `unless` and `with` share the one sentence.
        let sentence = (!rule.unless.is_empty() || !rule.with.is_empty())
            .then(|| sentence_around(text, m.clone()));
        if let Some(sentence) = &sentence {
            let cleared = rule
                .unless
                .iter()
                .any(|re| matches_in(re, hay, sentence.clone()));
            if cleared {
                return false;
            }
        }
        if !rule.unless_answer.is_empty() {
            let question = sentence
                .clone()
                .unwrap_or_else(|| sentence_around(text, m.clone()));
            if let Some(answer) = answer_after(text, question) {
                let cleared = rule
                    .unless_answer
                    .iter()
                    .any(|re| matches_in(re, hay, answer.clone()));
                if cleared {
                    return false;
                }
            }
        }
        if let Some(near) = &rule.near {
            let window = word_window(text, m.clone(), near.within);
            let found = near
                .patterns
                .iter()
                .any(|re| matches_in(re, hay, window.clone()));
            if !found {
                return false;
            }
        }
        sentence.is_none_or(|sentence| signals_in(rule, hay, sentence))
    }

    /// A document rule fires once, at its first trigger, when its patterns match at least
    /// `min_matches` different things (phrases, or merge fields by variable) in the document, unless an exception appears anywhere in the document's
    /// copy or markup (an unsubscribe link is often only in an `href`).
    fn find_document_rule(&self, di: usize, ri: usize, doc: &Document) -> Option<RawMatch> {
        let rule = &self.rules[ri];
        let (triggers, unless) = &self.document_regexes[di];
        // Searched in every segment of every file: with a literal prefilter, unlike phrase patterns.
        let triggers = triggers.get_or_init(|| {
            let scanning = |re: &LazyRegex| crate::pack::build_any_of(&[re.as_str()]);
            rule.patterns.iter().filter_map(scanning).collect()
        });
        // The trigger first: most documents have none, and then the exceptions need not run.
        let mut first = None;
        // What the patterns found, each once (see below).
        let mut distinct: Vec<String> = Vec::new();
        for (si, seg) in doc.segments.iter().enumerate() {
            let mut starts: Vec<Range<usize>> = triggers
                .iter()
                .flat_map(|re| re.find_iter(&seg.text).map(|m| m.range()))
                .collect();
            if starts.is_empty() {
                continue;
            }
            starts.sort_by_key(|r| r.start);
            // Two patterns finding the same phrase count once.
            starts.dedup_by(|b, a| b.start < a.end);
            // So does one merge field printed twice: `{{ first_name }}` in the greeting and the
            // sign-off is one piece of the reader's data, not two.
            for m in &starts {
                let fields: Vec<&str> = seg
                    .fields_in(m.clone())
                    .map(|f| f.variable.as_str())
                    .collect();
                let key = if fields.is_empty() {
                    seg.text[m.clone()].to_lowercase()
                } else {
                    fields.join("\u{0}")
                };
                if !distinct.contains(&key) {
                    distinct.push(key);
                }
            }
            if first.is_none() {
                first = Some((si, starts[0].clone()));
            }
            if distinct.len() >= rule.min_matches {
                break;
            }
        }
        let (segment, norm) = first.filter(|_| distinct.len() >= rule.min_matches)?;
        // `lowered`: the regex was built for lowercased text (see `LazyRegex::text_in`).
        let cleared = |re: &meta::Regex, lowered: bool| {
            let seen = |t: &str| match lowered {
                true => re.is_match(&t.to_ascii_lowercase()),
                false => re.is_match(t),
            };
            seen(&doc.text)
                || doc.segments.iter().any(|s| seen(&s.text))
                || doc.linked.iter().any(|t| seen(t))
        };
        let unless = unless.get_or_init(|| {
            let sources: Vec<&str> = rule.unless.iter().map(LazyRegex::as_str).collect();
            crate::pack::build_any_of(&sources)
        });
        let is_cleared = match unless {
            Some(any) => cleared(any, false),
            None => rule.unless.iter().any(|lazy| {
                lazy.get()
                    .is_some_and(|re| cleared(re, lazy.searches_lowered()))
            }),
        };
        if is_cleared {
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
[[rules]]
id = "extra.inside-words"
severity = "warning"
message = "m"
why = "w"
suggest = "s"
whole_word = false
patterns = ['spent\s+\$\d+', '(?:ur|u)\s+order']
examples.bad = ["overspent $5"]
examples.good = ["spent it"]
[[rules]]
id = "extra.sentence-start"
severity = "warning"
message = "m"
why = "w"
suggest = "s"
patterns = ['(?:^|\S*[.!?:]\s+)(?:still\s+)?(?:pregnant|a\s+size\s+\d+)\b(?:\s+\S+){0,3}?\s*\?', '(?:^|\S*[.!?:]\s+|\bdear\s+)(?:\w+\s+)?pregnant\b']
examples.bad = ["Hi. Still pregnant?"]
examples.good = ["Pregnancy guide"]
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
    fn prefilter_finds_what_scanning_with_every_pattern_finds() {
        let (engine, classifier) = engines();
        let every_pattern = |e: &Engine, _: &str, s: &mut Scratch| e.prefilter.scan_everything(s);
        let corpus = include_str!("../../tests/corpus/messages.tsv");
        let extra = [
            "You looked at the weighted blanket 6 times this week.",
            "A KISS from us",
            "\u{17F}o: you \u{17F}pent $342 with us",
            "Your due date is close!",
            "Your CAFÉ LOYALTY card",
            // Several starts in one segment, matches back to back, and starts inside a match.
            "You spent $342, you spent $12 and you, you spent $5 with us.",
            "your your your order of $300 you you you spent $20",
            "Thank you, YOU SPENT $342! u spent $5? ur spend is £12",
            // Patterns that may begin inside a word: the large-run mode keeps them on literals.
            "She overspent $40 on your order; tour order too",
            // Sentence starts: the run of non-spaces before the punctuation, the text start,
            // runs holding several stops, back-to-back matches, non-ASCII letters in the run.
            "Pregnant? Congrats. Still pregnant? (today. Still a size 12 these days?",
            "word.Another. Still pregnant?!? Still pregnant? x.y.z: pregnant?",
            "caf\u{e9}. Still a size 10 right? \u{201C}Hi!\u{201D}  Still pregnant?",
            "Dear Sam pregnant, dear you pregnant. so pregnant",
            "still a size 8? .still a size 9? ...:: Pregnant?",
        ];
        let rows = corpus.lines().skip(1).filter_map(|l| l.split('\t').nth(3));
        let sentence = engine
            .rules()
            .iter()
            .position(|r| r.info.id == "extra.sentence-start");
        let sentence = sentence.expect("the sentence-start rule");
        let rewinds = |p: &LazyRegex| p.starts().is_some_and(|s| !s.rewind.is_empty());
        assert!(engine.rules()[sentence].patterns.iter().all(rewinds));
        let mut sentence_found = 0;
        let (bulk, _) = engines();
        bulk.prefilter.build_sets();
        assert!(bulk.prefilter.has_sets(), "the large-run sets build");
        let mut found = 0;
        for text in rows.chain(extra) {
            let doc = Document::parse(text.to_string(), Format::Text, &classifier);
            let a = engine.find(&doc);
            assert_eq!(a, engine.find_with(&doc, every_pattern), "{text}");
            assert_eq!(a, bulk.find(&doc), "large-run sets: {text}");
            found += a.len();
            sentence_found += a.iter().filter(|m| m.rule == sentence).count();
        }
        assert!(
            sentence_found >= 10,
            "{sentence_found} sentence-start matches"
        );
        assert!(!engine.prefilter.has_sets(), "a small run has no sets");
        assert!(
            found > 20,
            "only {found} matches: the comparison proves little"
        );
    }

    /// The candidates of `text`.
    fn candidates(engine: &Engine, text: &str) -> Vec<usize> {
        let mut s = engine.prefilter.scratch();
        engine.prefilter.candidates(text, &mut s);
        s.candidates.clone()
    }

    #[test]
    fn prefilter_skips_patterns_whose_literals_or_starts_are_absent() {
        let (engine, _) = engines();
        let found = candidates(&engine, "Thanks for shopping with us this spring.");
        assert!(found.len() < engine.owners.len() / 4, "{}", found.len());
        // One set hit is not enough when a pattern requires two ("viewed" and "times").
        let viewed = engine
            .owners
            .iter()
            .position(|&(ri, _)| engine.rules[ri].info.id == "extra.viewed")
            .unwrap();
        assert!(!candidates(&engine, "You viewed it.").contains(&viewed));
        assert!(candidates(&engine, "You viewed it 3 TIMES.").contains(&viewed));
        // Its matches begin with "you" at the start of a word: without one it does not run.
        assert!(!candidates(&engine, "Bayou viewed it 3 times.").contains(&viewed));
    }

    #[test]
    fn an_engine_and_its_clone_find_the_same_on_one_thread() {
        let (engine, classifier) = engines();
        let doc = Document::parse(
            "You spent $342 with us. You viewed the boots 6 times.".into(),
            Format::Text,
            &classifier,
        );
        let first = engine.find(&doc);
        let clone = engine.clone();
        assert_eq!(clone.find(&doc), first);
        assert_eq!(engine.find(&doc), first);
        assert!(first.len() >= 2, "{first:?}");
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
