//! Rule packs: loading TOML packs, validating them with errors a rule author can act on, and
//! compiling their rules.

mod fit;
mod haystack;
mod literal_table;
pub mod literals;
mod lowercase;
pub mod pattern;
pub mod schema;
pub mod trees;
pub mod vocab;

pub use haystack::Haystack;

use crate::error::{Error, Location};
use crate::fields::{FieldClassifier, FieldKind};
use crate::position::LineIndex;
use crate::severity::Severity;
use rayon::prelude::*;
use regex::{Regex, RegexBuilder};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::{hybrid, meta};
use regex_syntax::hir::{Class, Hir, HirKind};
use schema::{PackFile, RuleDef, Scope};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use vocab::{FrameHit, Generated, Lexicon, Vocabulary};

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// The most automaton one pattern may compile to. A pattern past it is refused with a clear error
/// rather than taking seconds to build and megabytes to hold.
pub const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;

/// A rule's documentation and settings: what `explain` shows and findings carry.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    /// `pack.rule-name`.
    pub id: String,
    /// The pack's name.
    pub pack: String,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the copy does wrong.
    pub message: String,
    /// Why it is creepy.
    pub why: String,
    /// How to rewrite it.
    pub suggest: String,
    /// Phrase or document.
    pub scope: Scope,
    /// Messages the rule must flag.
    pub bad_examples: Vec<String>,
    /// Near misses no rule of the pack may flag.
    pub good_examples: Vec<String>,
    /// The patterns as written in the pack.
    pub patterns: Vec<String>,
    /// Where the rule is defined.
    pub origin: Location,
    /// The message kinds it judges.
    pub kinds: Vec<crate::kinds::Kind>,
    /// Its severity in some kinds of message, over `severity`.
    pub kind_severity: Vec<(crate::kinds::Kind, Severity)>,
}

impl RuleInfo {
    /// True when the rule judges documents of `kind`.
    pub fn judges(&self, kind: crate::kinds::Kind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The rule's own severity in a document of `kind`.
    pub fn severity_in(&self, kind: crate::kinds::Kind) -> Severity {
        self.kind_severity
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(self.severity, |(_, s)| *s)
    }
}

/// A pattern's final regex: parsed (so checked) when its pack loads, compiled the first time a
/// file needs it. A pre-commit run over a few files compiles only the patterns whose literals
/// occur in them, instead of all of them.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    source: String,
    /// Required literal sets (see [`literals::required`]); the parse tree itself is dropped, it
    /// weighs tens of kilobytes per case-insensitive pattern.
    literals: Arc<[Vec<String>]>,
    /// Required byte sets (see [`literals::required_bytes`]).
    bytes: Arc<[Vec<u8>]>,
    /// Where matches can start (see [`literals::starts`]), when that is known.
    starts: Option<Arc<literals::Starts>>,
    /// The pattern as a skeleton and parts, when it was put together from them: its tree is then
    /// built from cached trees of the parts, at load and again (case-folded) at compile time.
    recipe: Option<Arc<trees::Recipe>>,
    compiled: OnceLock<Result<meta::Regex, String>>,
    /// The forward-only automaton for anchored searches, built on first use.
    forward: OnceLock<Option<hybrid::dfa::DFA>>,
    /// Whether the automata search the lowercased copy of the text ([`Haystack`]): set when the
    /// first of them is built, from the pattern alone, so both always agree.
    lowered: OnceLock<bool>,
}

/// Literals shorter than this occur in nearly every sentence: a pattern whose literals are all
/// shorter has no literal sets, and always runs.
const MIN_LITERAL_LEN: usize = 3;
/// How many literal sets a pattern may require at once ("spent" or "paid", and "shoes" or
/// "boots"): each one more makes a pattern a candidate in fewer segments.
pub const MAX_LITERAL_SETS: usize = 3;
/// The [`weight`] above which a pattern is compiled when it loads. Ordinary patterns weigh at most
/// a few thousand and compile lazily.
const HEAVY_WEIGHT: usize = 20_000;

/// What loading a pattern does beyond keeping its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Analysis {
    /// Extract the literals the engine's prefilter needs (phrase patterns, when an engine will
    /// run them).
    literals: bool,
    /// Parse the pattern, and compile a heavy one, to report its errors at load. Off for the
    /// built-in packs: the test suite loads, compiles and runs every one of their patterns
    /// (`packtest`), so a broken one fails `cargo test`, never a user's run.
    check: bool,
    /// Take the literals from [`literal_table`] when it has the pattern: a built-in phrase
    /// pattern (never checked at load) whose literals are wanted.
    precomputed: bool,
}

impl Analysis {
    /// Everything: what a user's pattern gets.
    const FULL: Analysis = Analysis {
        literals: true,
        check: true,
        precomputed: false,
    };

    /// Nothing to parse for: no literals wanted, no check.
    fn skips_parse(self) -> bool {
        !self.literals && !self.check
    }
}

impl LazyRegex {
    /// Parses `source` (the final regex, after macro expansion); the error is the parser's.
    pub fn parse(source: String) -> Result<LazyRegex, Box<regex_syntax::Error>> {
        Self::parse_for(source, Analysis::FULL)
    }

    /// [`LazyRegex::parse`], doing what `analysis` asks.
    fn parse_for(
        source: String,
        analysis: Analysis,
    ) -> Result<LazyRegex, Box<regex_syntax::Error>> {
        if analysis.skips_parse() {
            return Ok(Self::unparsed(source, None));
        }
        let parse = |s: &str| {
            regex_syntax::ParserBuilder::new()
                .build()
                .parse(s)
                .map_err(Box::new)
        };
        // Unicode case folding is half the parse time of a case-insensitive pattern, and literals
        // are searched ASCII-case-insensitively anyway: parse without the leading `(?i)` unless a
        // literal holds a non-ASCII letter with case. Both forms are valid or invalid alike.
        let hir = match source.strip_prefix("(?i)").map(parse) {
            Some(Ok(hir)) if !literals::has_cased_non_ascii(&hir) => hir,
            _ => parse(&source)?,
        };
        Ok(Self::from_hir(source, &hir, analysis, None))
    }

    /// A pattern kept as its source (and recipe), neither parsed nor analysed.
    fn unparsed(source: String, recipe: Option<Arc<trees::Recipe>>) -> LazyRegex {
        LazyRegex {
            source,
            literals: Vec::new().into(),
            bytes: Vec::new().into(),
            starts: None,
            recipe,
            compiled: OnceLock::new(),
            forward: OnceLock::new(),
            lowered: OnceLock::new(),
        }
    }

    /// [`LazyRegex::parse_for`] of a pattern put together from parts: its tree comes from
    /// `recipe` (each part parsed once per process), or from a parse of `source` where the
    /// recipe does not serve.
    fn parse_recipe(
        source: String,
        recipe: Option<trees::Recipe>,
        analysis: Analysis,
    ) -> Result<LazyRegex, Box<regex_syntax::Error>> {
        // A built-in pattern's literals were extracted when the table was written; it is not
        // checked at load either (see [`Analysis::check`]), so nothing is left to parse for.
        if analysis.precomputed {
            if let Some(found) = literal_table::lookup(&source) {
                return Ok(LazyRegex {
                    literals: found.literals,
                    bytes: found.bytes,
                    starts: found.starts,
                    ..Self::unparsed(source, recipe.map(Arc::new))
                });
            }
        }
        let Some(recipe) = recipe else {
            return Self::parse_for(source, analysis);
        };
        if analysis.skips_parse() {
            return Ok(Self::unparsed(source, Some(Arc::new(recipe))));
        }
        match recipe.tree(trees::Tree::Literals) {
            Some(hir) if !literals::has_cased_non_ascii(&hir) => Ok(Self::from_hir(
                source,
                &hir,
                analysis,
                Some(Arc::new(recipe)),
            )),
            _ => Self::parse_for(source, analysis),
        }
    }

    /// A pattern whose parse tree is already known: `hir` must be what [`LazyRegex::parse_for`]
    /// would parse from `source`, and `recipe` build the same pattern.
    fn from_hir(
        source: String,
        hir: &Hir,
        analysis: Analysis,
        recipe: Option<Arc<trees::Recipe>>,
    ) -> LazyRegex {
        let (required, bytes, starts) = match analysis.literals {
            true => (
                literals::required(hir, MIN_LITERAL_LEN, MAX_LITERAL_SETS),
                literals::required_bytes(hir),
                literals::starts(hir).map(Arc::new),
            ),
            false => (Vec::new(), Vec::new(), None),
        };
        let re = LazyRegex {
            literals: required.into(),
            bytes: bytes.into(),
            starts,
            ..Self::unparsed(source, recipe)
        };
        // A heavy pattern (counted repetitions) may pass the size limit: compile it now, so the
        // pack fails to load with the reason instead of the pattern silently matching nothing.
        if analysis.check && weight(hir) > HEAVY_WEIGHT {
            let _ = re.compiled();
        }
        re
    }

    /// The regex source as the engine runs it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Sets of literals such that every match contains one literal of each set (ASCII
    /// lowercase, to be searched ASCII-case-insensitively); empty when the pattern must always run.
    pub fn literals(&self) -> &[Vec<String>] {
        &self.literals
    }

    /// Sets of bytes such that every match holds a byte of each set (punctuation, digits,
    /// symbols: see [`literals::required_bytes`]); empty when none is known.
    pub fn required_bytes(&self) -> &[Vec<u8>] {
        &self.bytes
    }

    /// The literals every match begins with, when known: the engine searches from those places
    /// only.
    pub fn starts(&self) -> Option<&literals::Starts> {
        self.starts.as_deref()
    }

    /// The compiled regex, compiled now if this is the first use. The error (an automaton past
    /// the size limit) is a message fit for a rule author.
    pub fn compiled(&self) -> Result<&meta::Regex, &str> {
        self.compiled
            .get_or_init(|| {
                match self.tree_to_run() {
                    Some(hir) => build_pattern_from_hir(&hir),
                    None => build_pattern(&self.source),
                }
                .map_err(too_big)
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The pattern as a forward-only lazy DFA, for searches anchored where a match starts: it
    /// compiles in about 60% of the time of the full regex, which also builds a reverse automaton
    /// to find where a match starts. `None` when it does not build (the full regex then serves).
    pub fn forward(&self) -> Option<&hybrid::dfa::DFA> {
        self.forward
            .get_or_init(|| {
                // An anchored search from a word start visits few states; with the default
                // 2 MiB, hundreds of patterns' caches per thread grew to tens of MB on large runs.
                // A cache cleared when full costs speed, never results.
                let cache = match self.source.len() > LONG_PATTERN {
                    true => LONG_FORWARD_CACHE,
                    false => FORWARD_CACHE,
                };
                let config = hybrid::dfa::Config::new()
                    .cache_capacity(cache)
                    .skip_cache_capacity_check(true);
                match self.tree_to_run() {
                    Some(hir) => build_lazy_dfa_from_hirs(&[hir], config, REGEX_SIZE_LIMIT),
                    None => build_lazy_dfa(&[&self.source], config, REGEX_SIZE_LIMIT),
                }
            })
            .as_ref()
    }

    /// The tree the regex compiles from: built from the recipe's cached parts, or parsed from the
    /// source, then fitted to the normalised text every search runs on (see [`fit`]). `None` when
    /// neither builds: the regex is then compiled from its source as it is.
    fn tree_to_run(&self) -> Option<Hir> {
        let lowered = match &self.recipe {
            Some(recipe) => recipe.tree(trees::Tree::Lowered),
            None => self
                .source
                .strip_prefix("(?i)")
                .and_then(lowercase::parse)
                .map(|t| fit::to_normalised_text(&t)),
        };
        let _ = self.lowered.set(lowered.is_some());
        if lowered.is_some() {
            return lowered;
        }
        self.recipe
            .as_ref()
            .and_then(|r| r.tree(trees::Tree::Run))
            .or_else(|| fit::parse_for_normalised_text(&self.source))
    }

    /// True when the automata search the lowercased copy of the text (see [`Haystack`]); known
    /// once [`LazyRegex::forward`] or [`LazyRegex::compiled`] has run, false before.
    pub fn searches_lowered(&self) -> bool {
        self.lowered.get() == Some(&true)
    }

    /// The text of `hay` this pattern's automata search, once they are built.
    pub fn text_in<'h>(&self, hay: &'h Haystack) -> &'h str {
        match self.searches_lowered() {
            true => hay.lowered(),
            false => hay.text(),
        }
    }

    /// True when the pattern matches somewhere in `text`, a short piece of copy (a finding's
    /// match). Its literals rule most patterns out without compiling them, and the forward
    /// automaton answers before the full regex is built: naming the frame behind a finding tries
    /// every generated pattern of the rule, most of which no file otherwise needs.
    pub fn is_match_in(&self, text: &str) -> bool {
        if !self.may_match(text) {
            return false;
        }
        let hay = Haystack::new(text);
        if let Some(dfa) = self.forward() {
            let mut cache = dfa.create_cache();
            let input = regex_automata::Input::new(self.text_in(&hay));
            if let Ok(end) = dfa.try_search_fwd(&mut cache, &input) {
                return end.is_some();
            }
        }
        self.get().is_some_and(|re| re.is_match(self.text_in(&hay)))
    }

    /// False only when `text` (normalised copy) cannot hold a match: it lacks a literal of one of
    /// the required sets, or every start literal.
    fn may_match(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        let any_in = |set: &[String]| set.iter().any(|lit| lower.contains(lit.as_str()));
        self.literals.iter().all(|set| any_in(set))
            && self
                .starts
                .as_ref()
                .is_none_or(|s| s.at_text_start || any_in(&s.literals) || any_in(&s.rewind))
    }

    /// The compiled regex; a pattern that cannot be compiled matches nothing (`rules test` and
    /// pack loading in tests report it, see [`LazyRegex::compiled`]).
    pub fn get(&self) -> Option<&meta::Regex> {
        self.compiled().ok()
    }
}

/// Context required near a match.
#[derive(Debug, Clone)]
pub struct Near {
    /// Context regexes.
    pub patterns: Vec<LazyRegex>,
    /// Distance in words.
    pub within: usize,
}

/// A rule's model and the score at which it fires.
#[derive(Debug, Clone)]
pub struct ModelJudge {
    /// Which model.
    pub source: ModelSource,
    /// Fires at this score or above.
    pub threshold: f32,
}

/// Where a rule's model comes from.
#[derive(Debug, Clone)]
pub enum ModelSource {
    /// The built-in model, read from the binary the first time a message is judged, so loading
    /// the packs (`creeplint rules`, a check of receipts only) never pays for it.
    Builtin,
    /// A model file, read when its pack loads so that a bad file is a load error.
    File(Arc<crate::model::Model>),
}

impl ModelJudge {
    /// The model.
    pub fn model(&self) -> &crate::model::Model {
        match &self.source {
            ModelSource::Builtin => crate::model::Model::builtin(),
            ModelSource::File(model) => model,
        }
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Documentation and settings.
    pub info: Arc<RuleInfo>,
    /// The regexes that flag a phrase.
    pub patterns: Vec<LazyRegex>,
    /// Exceptions.
    pub unless: Vec<LazyRegex>,
    /// Exceptions looked for in the sentence after a match whose sentence is a question.
    pub unless_answer: Vec<LazyRegex>,
    /// Required context.
    pub near: Option<Near>,
    /// Signals the sentence of a match must all hold: one regex list per signal, any of which
    /// marks it present.
    pub with: Vec<Vec<LazyRegex>>,
    /// For document rules: matches needed before the rule fires (at least 1).
    pub min_matches: usize,
    /// For model rules: the model and the score at which the rule fires.
    pub model: Option<ModelJudge>,
    /// The frames the rule crosses with its lexicons.
    pub frames: Vec<String>,
    /// The lexicons that fill its frames.
    pub lexicons: Vec<String>,
    /// The patterns generated from frames and lexicons: `patterns[generated_from..]`, one entry
    /// each, in order.
    pub generated: Vec<Arc<Generated>>,
    /// Where the generated patterns start in `patterns`.
    pub generated_from: usize,
    /// Field kinds whose template conditions the rule flags.
    pub branches: Vec<String>,
    /// Field kinds: when not empty, a phrase match counts only inside the copy chosen by a
    /// template condition on a field of one of them.
    pub inside: Vec<String>,
}

impl Rule {
    /// Every regex that judges a match's surroundings rather than flags a phrase: `unless`,
    /// `unless_answer`, `near` and `with`.
    pub fn context_patterns(&self) -> impl Iterator<Item = &LazyRegex> {
        let near = self.near.iter().flat_map(|n| n.patterns.iter());
        self.unless
            .iter()
            .chain(&self.unless_answer)
            .chain(near)
            .chain(self.with.iter().flatten())
    }

    /// The frame, lexicon and term behind a match of this rule (`matched` is the normalised
    /// copy it matched), when a generated pattern matches it.
    pub fn frame_hit(&self, matched: &str) -> Option<FrameHit> {
        let generated = self.patterns.get(self.generated_from..)?;
        generated
            .iter()
            .zip(&self.generated)
            .find(|(re, _)| re.is_match_in(matched))
            .map(|(_, g)| FrameHit {
                frame: g.frame.clone(),
                lexicon: g.lexicon.clone(),
                term: g.term_in(matched).unwrap_or_default().to_string(),
            })
    }
}

/// A loaded pack.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Its name.
    pub name: String,
    /// What it catches.
    pub description: String,
    /// Where it came from (`rules/spend.toml` for a built-in pack).
    pub path: PathBuf,
    /// True for the packs compiled into the binary.
    pub builtin: bool,
    /// Its rules.
    pub rules: Vec<Rule>,
}

/// Every loaded pack and the field classifier built from all their `[[fields]]`.
#[derive(Debug, Clone)]
pub struct PackSet {
    /// Packs in load order: built-in first, then user packs.
    pub packs: Vec<Pack>,
    /// Field kinds from every pack.
    pub classifier: FieldClassifier,
    /// Lexicons and frames from every pack.
    pub vocabulary: Arc<Vocabulary>,
}

impl PackSet {
    /// Every rule of every pack.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.packs.iter().flat_map(|p| p.rules.iter())
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules().find(|r| r.info.id == id)
    }
}

/// A pack's source text, before parsing.
#[derive(Debug, Clone)]
pub struct PackSource {
    /// Path shown in errors.
    pub path: PathBuf,
    /// TOML text.
    pub text: String,
    /// Compiled into the binary.
    pub builtin: bool,
}

impl PackSource {
    /// The built-in packs.
    pub fn builtin() -> Vec<PackSource> {
        BUILTIN_PACKS
            .iter()
            .map(|(path, text)| PackSource {
                path: PathBuf::from(path),
                text: (*text).to_string(),
                builtin: true,
            })
            .collect()
    }

    /// Reads a pack file.
    pub fn read(path: &Path) -> Result<PackSource, Error> {
        if path.is_dir() {
            return Err(Error::pack(
                Location::file(path),
                None,
                "is a directory; --pack takes a pack file (a .toml file)",
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::pack(
                Location::file(path),
                None,
                format!(
                    "is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        Ok(PackSource {
            path: path.to_path_buf(),
            text,
            builtin: false,
        })
    }
}

struct Parsed {
    source: PackSource,
    file: PackFile,
}

/// Loads and compiles packs. All errors are collected, so an author fixes them in one go.
pub fn load(sources: Vec<PackSource>) -> Result<PackSet, Vec<Error>> {
    load_with(sources, Literals::Extract)
}

/// [`load`] for a command that only lists or explains rules (`rules`): every pattern is parsed
/// and checked as by [`load`], with the same errors, but its literals, which only the engine's
/// prefilter needs, are not extracted (a pattern without them would still match correctly, only
/// slower, were such a set ever given to an engine).
pub fn load_listing(sources: Vec<PackSource>) -> Result<PackSet, Vec<Error>> {
    load_with(sources, Literals::Skip)
}

/// What loading does about the literals the engine's prefilter needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Literals {
    /// None are wanted ([`load_listing`]).
    Skip,
    /// Extracted from each phrase pattern, or for a built-in one taken from [`literal_table`].
    Extract,
    /// Extracted from every phrase pattern, never taken from the table: to write or check it.
    #[cfg_attr(not(test), allow(dead_code))]
    Fresh,
}

fn load_with(sources: Vec<PackSource>, literals: Literals) -> Result<PackSet, Vec<Error>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    // Parsing the packs and compiling their rules is most of a pre-commit run's start-up: both run
    // on every core, and the results are taken in order, so errors come out in a stable order.
    let files: Vec<_> = sources
        .into_par_iter()
        .map(|source| {
            let file = toml::from_str::<PackFile>(&source.text);
            (source, file)
        })
        .collect();
    for (source, file) in files {
        match file {
            Ok(file) => parsed.push(Parsed { source, file }),
            Err(e) => {
                let location = match e.span() {
                    Some(span) => Location::at_offset(&source.path, &source.text, span.start),
                    None => Location::file(&source.path),
                };
                errors.push(Error::pack(location, None, e.message().trim().to_string()));
            }
        }
    }

    // Field kinds first: any pack's rules may use any pack's kinds.
    let mut kinds_defs = Vec::new();
    let mut field_at = Vec::new();
    for p in &parsed {
        for field in &p.file.fields {
            let def = field.get_ref();
            let kind = def.kind.get_ref();
            if !valid_name(kind) {
                errors.push(Error::pack(
                    loc(&p.source, def.kind.span().start),
                    None,
                    format!("field kind `{kind}` must be lowercase letters, digits, `-` or `_`"),
                ));
            }
            kinds_defs.push(FieldKind {
                kind: kind.clone(),
                any: def.any.clone(),
                all: def.all.clone(),
                none: def.none.clone(),
                filters: def.filters.clone(),
            });
            field_at.push(loc(&p.source, field.span().start));
        }
    }
    let classifier = match FieldClassifier::new(&kinds_defs) {
        Ok(c) => c,
        Err((index, message)) => {
            let at = field_at
                .get(index)
                .cloned()
                .unwrap_or_else(|| Location::file("<fields>"));
            errors.push(Error::pack(at, None, message));
            FieldClassifier::default()
        }
    };
    let kinds: Vec<String> = classifier.kinds().to_vec();
    let mut vocabulary = load_vocabulary(&parsed, &kinds, &mut errors);
    vocabulary.incomplete = !errors.is_empty();
    let parsed_uses = vocabulary_uses(&parsed);

    let mut packs = Vec::new();
    let mut pack_names = HashSet::new();
    let mut rule_ids: HashSet<String> = HashSet::new();
    for p in parsed {
        let meta = p.file.pack.get_ref();
        let name = meta.name.get_ref().clone();
        if !valid_name(&name) {
            errors.push(Error::pack(
                loc(&p.source, meta.name.span().start),
                None,
                format!("pack name `{name}` must be lowercase letters, digits, `-` or `_`"),
            ));
        }
        if !pack_names.insert(name.clone()) {
            errors.push(Error::pack(
                loc(&p.source, meta.name.span().start),
                None,
                format!("a pack named `{name}` is already loaded; give this pack another name"),
            ));
            continue;
        }
        let macros: BTreeMap<String, String> = p
            .file
            .macros
            .iter()
            .map(|(k, v)| (k.clone(), v.get_ref().clone()))
            .collect();
        // One line index per pack: every rule records where it is defined.
        let lines = LineIndex::new(&p.source.text);
        let mut rules = Vec::new();
        let compiled: Vec<_> = p
            .file
            .rules
            .par_iter()
            .map(|rule| {
                let context = RuleContext {
                    source: &p.source,
                    lines: &lines,
                    pack: &name,
                    macros: &macros,
                    kinds: &kinds,
                    vocabulary: &vocabulary,
                    literals,
                };
                compile_rule(&context, rule)
            })
            .collect();
        for (rule, compiled) in p.file.rules.iter().zip(compiled) {
            match compiled {
                Ok(r) => {
                    if !rule_ids.insert(r.info.id.clone()) {
                        errors.push(Error::pack(
                            loc(&p.source, rule.get_ref().id.span().start),
                            Some(&r.info.id),
                            "duplicate rule id: another rule already uses it",
                        ));
                    } else {
                        rules.push(r);
                    }
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        packs.push(Pack {
            name,
            description: meta.description.clone(),
            path: p.source.path.clone(),
            builtin: p.source.builtin,
            rules,
        });
    }
    check_vocabulary_use(&parsed_uses, &vocabulary, &mut errors);
    // A user's pattern that does not compile would match nothing in `check`: compile every one
    // now, so the pack fails to load with the reason. (The built-in packs are compiled by the
    // test suite, and stay lazy for a fast start-up.)
    let user_patterns: Vec<(&Pack, &Rule, &LazyRegex)> = packs
        .iter()
        .filter(|p| !p.builtin)
        .flat_map(|p| p.rules.iter().map(move |r| (p, r)))
        .flat_map(|(p, r)| {
            r.patterns
                .iter()
                .chain(r.context_patterns())
                .map(move |re| (p, r, re))
        })
        .collect();
    let failed: Vec<Error> = user_patterns
        .par_iter()
        .filter_map(|(_, rule, re)| {
            let problem = re.compiled().err()?;
            Some(Error::pack(
                rule.info.origin.clone(),
                Some(&rule.info.id),
                format!("pattern `{}` {problem}", shown_pattern(rule, re)),
            ))
        })
        .collect();
    errors.extend(failed);
    if errors.is_empty() {
        Ok(PackSet {
            packs,
            classifier,
            vocabulary: Arc::new(vocabulary),
        })
    } else {
        Err(errors)
    }
}

/// Checks the name of a lexicon or frame (`what`) declared at `at`: a badly formed name is an
/// error, and so is one that pack `taken` already declares. False when the declaration must be
/// skipped (the name is taken).
fn vocabulary_name_ok(
    what: &str,
    name: &str,
    taken: Option<&str>,
    at: &Location,
    errors: &mut Vec<Error>,
) -> bool {
    if !valid_name(name) {
        errors.push(Error::pack(
            at.clone(),
            None,
            format!("{what} name `{name}` must be lowercase letters, digits, `-` or `_`"),
        ));
    }
    match taken {
        Some(pack) => {
            errors.push(Error::pack(
                at.clone(),
                None,
                format!(
                    "pack `{pack}` already declares a {what} `{name}`; give this one another name"
                ),
            ));
            false
        }
        None => true,
    }
}

/// Every pack's lexicons, then every pack's frames (a frame's patterns may use any lexicon and its
/// own pack's macros).
fn load_vocabulary(parsed: &[Parsed], kinds: &[String], errors: &mut Vec<Error>) -> Vocabulary {
    let mut vocabulary = Vocabulary::default();
    for p in parsed {
        let pack = p.file.pack.get_ref().name.get_ref();
        for (name, def) in &p.file.lexicons {
            let at = loc(&p.source, def.span().start);
            let taken = vocabulary.lexicons.get(name).map(|l| l.pack.as_str());
            if !vocabulary_name_ok("lexicon", name, taken, &at, errors) {
                continue;
            }
            let (lex, problems) = Lexicon::new(name, pack, def.get_ref(), at.clone());
            for message in problems {
                errors.push(Error::pack(at.clone(), None, message));
            }
            vocabulary.lexicons.insert(name.clone(), lex);
        }
    }
    for p in parsed {
        let pack = p.file.pack.get_ref().name.get_ref();
        let macros: BTreeMap<String, String> = p
            .file
            .macros
            .iter()
            .map(|(k, v)| (k.clone(), v.get_ref().clone()))
            .collect();
        for (name, def) in &p.file.frames {
            let at = loc(&p.source, def.span().start);
            let taken = vocabulary.frames.get(name).map(|f| f.pack.as_str());
            if !vocabulary_name_ok("frame", name, taken, &at, errors) {
                continue;
            }
            let expand = |text: &str| {
                pattern::expand_with(text, &macros, kinds, &vocabulary.lexicons)
                    .map_err(|e| e.to_string())
            };
            let frame = vocab::Frame::new(
                name,
                pack,
                def.get_ref(),
                at,
                |offset| loc(&p.source, offset),
                expand,
                !p.source.builtin,
            );
            match frame {
                Ok(frame) => {
                    vocabulary.frames.insert(name.clone(), frame);
                }
                Err(list) => {
                    for (at, message) in list {
                        errors.push(Error::pack(at, None, message));
                    }
                }
            }
        }
    }
    vocabulary
}

/// The lexicons and frames that some rule (or macro) of some pack uses.
#[derive(Default)]
struct Uses {
    lexicons: HashSet<String>,
    frames: HashSet<String>,
}

fn vocabulary_uses(parsed: &[Parsed]) -> Uses {
    let mut uses = Uses::default();
    let mut texts: Vec<&str> = Vec::new();
    for p in parsed {
        texts.extend(p.file.macros.values().map(|m| m.get_ref().as_str()));
        texts.extend(
            p.file
                .frames
                .values()
                .flat_map(|f| f.get_ref().patterns.iter().map(|x| x.get_ref().as_str())),
        );
        for rule in &p.file.rules {
            let r = rule.get_ref();
            uses.lexicons
                .extend(r.lexicons.iter().map(|l| l.get_ref().clone()));
            uses.frames
                .extend(r.frames.iter().map(|f| f.get_ref().clone()));
            let near = r.near.iter().flat_map(|n| n.patterns.iter());
            texts.extend(
                r.patterns
                    .iter()
                    .chain(&r.unless)
                    .chain(&r.unless_answer)
                    .chain(near)
                    .chain(r.with.iter().flatten())
                    .map(|x| x.get_ref().as_str()),
            );
        }
    }
    for text in texts {
        for (i, _) in text.match_indices("{lex:") {
            let rest = &text[i + 5..];
            let end = rest.find([':', '}']).unwrap_or(rest.len());
            uses.lexicons.insert(rest[..end].to_string());
        }
    }
    uses
}

/// A lexicon or frame that nothing uses is a mistake (a typo in a rule's list, a family written
/// and never wired in): an error at its declaration.
fn check_vocabulary_use(uses: &Uses, vocabulary: &Vocabulary, errors: &mut Vec<Error>) {
    for (name, lex) in &vocabulary.lexicons {
        if !uses.lexicons.contains(name) {
            errors.push(Error::pack(
                lex.origin.clone(),
                None,
                format!("lexicon `{name}` is used by no rule: list it in a rule's `lexicons` or use it as `{{lex:{name}}}`"),
            ));
        }
    }
    for (name, frame) in &vocabulary.frames {
        if !uses.frames.contains(name) {
            errors.push(Error::pack(
                frame.origin.clone(),
                None,
                format!("frame `{name}` is used by no rule: list it in a rule's `frames`"),
            ));
        }
    }
}

/// A pattern of `rule` as its author knows it, for an error message.
fn shown_pattern(rule: &Rule, re: &LazyRegex) -> String {
    match rule.patterns.iter().position(|p| std::ptr::eq(p, re)) {
        Some(i) if i < rule.generated_from => rule.info.patterns[i].clone(),
        Some(i) => {
            let g = &rule.generated[i - rule.generated_from];
            format!("of frame `{}` with lexicon `{}`", g.frame, g.lexicon)
        }
        None => re.as_str().to_string(),
    }
}

fn loc(source: &PackSource, offset: usize) -> Location {
    Location::at_offset(&source.path, &source.text, offset)
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// What a rule compiles against: its pack and everything every pack declares.
struct RuleContext<'a> {
    source: &'a PackSource,
    lines: &'a LineIndex,
    pack: &'a str,
    macros: &'a BTreeMap<String, String>,
    kinds: &'a [String],
    vocabulary: &'a Vocabulary,
    /// What to do about the literals of phrase patterns.
    literals: Literals,
}

fn compile_rule(
    cx: &RuleContext<'_>,
    spanned: &toml::Spanned<RuleDef>,
) -> Result<Rule, Vec<Error>> {
    let (source, lines, pack, macros, kinds) = (cx.source, cx.lines, cx.pack, cx.macros, cx.kinds);
    let lexicons = &cx.vocabulary.lexicons;
    let def = spanned.get_ref();
    let id = def.id.get_ref().clone();
    let mut errors = Vec::new();
    let at = |offset: usize| {
        let pos = lines.position(&source.text, offset);
        Location {
            path: source.path.clone(),
            line: Some(pos.line),
            column: Some(pos.column),
        }
    };
    let rule_at = at(spanned.span().start);

    let expected_prefix = format!("{pack}.");
    let local = id.strip_prefix(&expected_prefix);
    if !local.is_some_and(valid_name) {
        errors.push(Error::pack(
            at(def.id.span().start),
            Some(&id),
            format!(
                "rule id must be `{pack}.<name>` (lowercase letters, digits, `-`), after its pack"
            ),
        ));
    }
    for (key, value) in [
        ("message", &def.message),
        ("why", &def.why),
        ("suggest", &def.suggest),
    ] {
        if value.trim().is_empty() {
            errors.push(Error::pack(
                rule_at.clone(),
                Some(&id),
                format!("`{key}` is empty"),
            ));
        }
    }
    let model = check_model(def, &source.path, &id, &rule_at, &at, &mut errors);
    if def.patterns.is_empty()
        && def.frames.is_empty()
        && def.branches.is_empty()
        && model.is_none()
    {
        errors.push(Error::pack(
            rule_at.clone(),
            Some(&id),
            "has no `patterns`, `frames`, `branches` or `model`: a rule needs at least one",
        ));
    }
    for kind in &def.branches {
        if !kinds.iter().any(|k| k == kind.get_ref()) {
            errors.push(Error::pack(
                at(kind.span().start),
                Some(&id),
                format!(
                    "`branches` names field kind `{}`, which no loaded pack declares in [[fields]]",
                    kind.get_ref()
                ),
            ));
        }
    }
    let inside = check_inside(def, kinds, &id, &at, &mut errors);
    if def.frames.is_empty() != def.lexicons.is_empty() {
        errors.push(Error::pack(
            rule_at.clone(),
            Some(&id),
            "`frames` and `lexicons` go together: the rule crosses each frame with each lexicon",
        ));
    }
    let (bad, good) = match &def.examples {
        None => {
            errors.push(Error::pack(
                rule_at.clone(),
                Some(&id),
                "has no examples: add `examples.bad` and `examples.good` (at least one of each)",
            ));
            (Vec::new(), Vec::new())
        }
        Some(ex) => {
            // Dotted keys (`examples.bad = [...]`) carry no span of their own: point at the rule.
            let ex_at = rule_at.clone();
            if ex.bad.is_empty() {
                errors.push(Error::pack(
                    ex_at.clone(),
                    Some(&id),
                    "`examples.bad` is empty: give at least one message the rule must flag",
                ));
            }
            if ex.good.is_empty() {
                errors.push(Error::pack(
                    ex_at,
                    Some(&id),
                    "`examples.good` is empty: give at least one near miss the rule must not flag",
                ));
            }
            (ex.bad.clone(), ex.good.clone())
        }
    };

    let compile_all = |list: &[toml::Spanned<String>],
                       phrase: Analysis,
                       errors: &mut Vec<Error>| {
        let mut out = Vec::new();
        for p in list {
            let (ww, cs) = (def.whole_word, def.case_sensitive);
            let compiled = compile_for(p.get_ref(), macros, kinds, lexicons, ww, cs, phrase);
            match compiled {
                Ok(re) => out.push(re),
                Err(message) => errors.push(Error::pack(at(p.span().start), Some(&id), message)),
            }
        }
        out
    };
    // A document rule's patterns are searched with the regex crate's own prefilter.
    let check = !cx.source.builtin;
    let literals = def.scope != Scope::Document && cx.literals != Literals::Skip;
    let phrase = Analysis {
        literals,
        check,
        precomputed: literals && cx.source.builtin && cx.literals == Literals::Extract,
    };
    let context = Analysis {
        literals: false,
        check,
        precomputed: false,
    };
    let mut patterns = compile_all(&def.patterns, phrase, &mut errors);
    let generated_from = patterns.len();
    let mut generated = Vec::new();
    for (re, origin) in generate(cx, def, phrase, &mut errors) {
        patterns.push(re);
        generated.push(Arc::new(origin));
    }
    let unless = compile_all(&def.unless, context, &mut errors);
    let unless_answer = compile_all(&def.unless_answer, context, &mut errors);
    let near = match &def.near {
        None => None,
        Some(n) => {
            if n.within == 0 {
                errors.push(Error::pack(
                    rule_at.clone(),
                    Some(&id),
                    "`near.within` must be at least 1 word",
                ));
            }
            if n.patterns.is_empty() {
                errors.push(Error::pack(
                    rule_at.clone(),
                    Some(&id),
                    "`near.patterns` is empty",
                ));
            }
            Some(Near {
                patterns: compile_all(&n.patterns, context, &mut errors),
                within: n.within,
            })
        }
    };
    if !def.with.is_empty() && def.scope == Scope::Document {
        errors.push(Error::pack(
            rule_at.clone(),
            Some(&id),
            "`with` only applies to phrase rules: a document rule has no sentence to hold its signals",
        ));
    }
    if let Some(first) = def.unless_answer.first() {
        if def.scope == Scope::Document {
            errors.push(Error::pack(
                at(first.span().start),
                Some(&id),
                "`unless_answer` only applies to phrase rules: a document rule has no question to answer",
            ));
        }
    }
    if def.with.iter().any(Vec::is_empty) {
        errors.push(Error::pack(
            rule_at.clone(),
            Some(&id),
            "`with` holds an empty signal list: give each signal at least one pattern",
        ));
    }
    let with = def
        .with
        .iter()
        .map(|signal| compile_all(signal, context, &mut errors))
        .collect();
    let min_matches = match &def.min_matches {
        None => 1,
        Some(n) => {
            let at_key = at(n.span().start);
            if def.scope != Scope::Document {
                errors.push(Error::pack(
                    at_key,
                    Some(&id),
                    "`min_matches` only applies to rules with scope = \"document\"",
                ));
            } else if *n.get_ref() == 0 {
                errors.push(Error::pack(
                    at_key,
                    Some(&id),
                    "`min_matches` must be at least 1",
                ));
            }
            *n.get_ref()
        }
    };
    let kinds = match &def.kinds {
        None => crate::kinds::Kind::DEFAULT_JUDGED.to_vec(),
        Some(list) => {
            let mut kinds = Vec::new();
            for name in list.get_ref() {
                match crate::kinds::Kind::from_name(name) {
                    Some(k) => kinds.push(k),
                    None => errors.push(Error::pack(
                        at(list.span().start),
                        Some(&id),
                        format!(
                            "unknown message kind `{name}` in `kinds`: use {}",
                            crate::kinds::Kind::NAMES
                        ),
                    )),
                }
            }
            if list.get_ref().is_empty() {
                errors.push(Error::pack(
                    at(list.span().start),
                    Some(&id),
                    "`kinds` is empty: the rule would judge nothing (leave it out to judge every kind but `docs`)",
                ));
            }
            kinds
        }
    };
    let mut kind_severity = Vec::new();
    if let Some(table) = &def.kind_severity {
        for (name, severity) in table.get_ref() {
            match crate::kinds::Kind::from_name(name) {
                Some(k) if kinds.contains(&k) => kind_severity.push((k, *severity)),
                Some(_) => errors.push(Error::pack(
                    at(table.span().start),
                    Some(&id),
                    format!("`kind_severity` names `{name}`, a kind the rule does not judge (see `kinds`)"),
                )),
                None => errors.push(Error::pack(
                    at(table.span().start),
                    Some(&id),
                    format!("unknown message kind `{name}` in `kind_severity`: use {}", crate::kinds::Kind::NAMES),
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        info: Arc::new(RuleInfo {
            id,
            pack: pack.to_string(),
            severity: def.severity,
            message: def.message.trim().to_string(),
            why: def.why.trim().to_string(),
            suggest: def.suggest.trim().to_string(),
            scope: def.scope,
            bad_examples: bad,
            good_examples: good,
            patterns: def.patterns.iter().map(|p| p.get_ref().clone()).collect(),
            origin: rule_at,
            kinds,
            kind_severity,
        }),
        patterns,
        unless,
        unless_answer,
        near,
        with,
        min_matches,
        model,
        frames: def.frames.iter().map(|f| f.get_ref().clone()).collect(),
        lexicons: def.lexicons.iter().map(|l| l.get_ref().clone()).collect(),
        generated,
        generated_from,
        branches: def.branches.iter().map(|k| k.get_ref().clone()).collect(),
        inside,
    })
}

/// A rule's `model` and `threshold`, checked: a model this creeplint has, a threshold above 0 and
/// at most 1, and neither without the other. A model rule judges whole messages, so it takes no
/// patterns of its own (its `unless` and `with` still apply to the sentence it flags).
fn check_model(
    def: &RuleDef,
    pack_path: &Path,
    id: &str,
    rule_at: &Location,
    at: &dyn Fn(usize) -> Location,
    errors: &mut Vec<Error>,
) -> Option<ModelJudge> {
    match (&def.model, &def.threshold) {
        (None, None) => None,
        (None, Some(t)) => {
            errors.push(Error::pack(
                at(t.span().start),
                Some(id),
                "`threshold` only applies to rules with a `model`",
            ));
            None
        }
        (Some(name), threshold) => {
            let mut ok = true;
            let source = match load_model(name.get_ref(), pack_path) {
                Ok(source) => Some(source),
                Err(problem) => {
                    errors.push(Error::pack(at(name.span().start), Some(id), problem));
                    ok = false;
                    None
                }
            };
            let threshold = match threshold {
                None => {
                    errors.push(Error::pack(
                        rule_at.clone(),
                        Some(id),
                        "a `model` rule needs a `threshold` (a score above 0 and at most 1)",
                    ));
                    ok = false;
                    0.0
                }
                Some(t) => {
                    let v = *t.get_ref();
                    if !(v > 0.0 && v <= 1.0) {
                        errors.push(Error::pack(
                            at(t.span().start),
                            Some(id),
                            format!("`threshold` is {v}: it must be above 0 and at most 1"),
                        ));
                        ok = false;
                    }
                    v
                }
            };
            if !def.patterns.is_empty() || !def.frames.is_empty() || def.scope == Scope::Document {
                errors.push(Error::pack(
                    rule_at.clone(),
                    Some(id),
                    "a `model` rule judges whole messages: it takes no `patterns` or `frames` and is a phrase rule",
                ));
                ok = false;
            }
            source
                .filter(|_| ok)
                .map(|source| ModelJudge { source, threshold })
        }
    }
}

/// The model a rule names: `profile` (built in), or a file written by `creeplint rules train`,
/// relative to the pack's own folder.
fn load_model(name: &str, pack_path: &Path) -> Result<ModelSource, String> {
    if name == crate::model::BUILTIN {
        return Ok(ModelSource::Builtin);
    }
    if !name.ends_with(".model") {
        return Err(format!(
            "unknown model `{name}`: use `{}` (built in) or a `.model` file written by `creeplint rules train`",
            crate::model::BUILTIN
        ));
    }
    let path = pack_path.parent().unwrap_or(Path::new("")).join(name);
    let bytes =
        std::fs::read(&path).map_err(|e| format!("cannot read model `{}`: {e}", path.display()))?;
    crate::model::Model::from_bytes(&bytes)
        .map(|model| ModelSource::File(Arc::new(model)))
        .map_err(|e| format!("model `{}`: {e}", path.display()))
}

/// The field kinds of a rule's `inside`, checked: each declared by a loaded pack, the list not
/// empty, and the rule a phrase rule with `patterns` of its own (a frame's sample is a plain
/// message, never inside a branch, so `rules test` could not check it).
fn check_inside(
    def: &RuleDef,
    kinds: &[String],
    id: &str,
    at: &dyn Fn(usize) -> Location,
    errors: &mut Vec<Error>,
) -> Vec<String> {
    let Some(list) = &def.inside else {
        return Vec::new();
    };
    let list_at = at(list.span().start);
    if list.get_ref().is_empty() {
        errors.push(Error::pack(
            list_at.clone(),
            Some(id),
            "`inside` is empty: name the field kinds whose template branches the rule judges (leave it out to judge all copy)",
        ));
    }
    for kind in list.get_ref() {
        if !kinds.iter().any(|k| k == kind.get_ref()) {
            errors.push(Error::pack(
                at(kind.span().start),
                Some(id),
                format!(
                    "`inside` names field kind `{}`, which no loaded pack declares in [[fields]] (declared: {})",
                    kind.get_ref(),
                    kinds.join(", ")
                ),
            ));
        }
    }
    if def.scope == Scope::Document {
        errors.push(Error::pack(
            list_at.clone(),
            Some(id),
            "`inside` applies to phrase rules only: a document rule judges the whole file",
        ));
    }
    if def.patterns.is_empty() {
        errors.push(Error::pack(
            list_at.clone(),
            Some(id),
            "`inside` limits the rule's `patterns` to copy inside template branches, and the rule has none",
        ));
    }
    if !def.frames.is_empty() {
        errors.push(Error::pack(
            list_at,
            Some(id),
            "`inside` cannot go with `frames`: a frame's sample is checked outside any template branch; write the patterns out (`{lex:NAME}` works in them)",
        ));
    }
    list.get_ref().iter().map(|k| k.get_ref().clone()).collect()
}

/// The patterns a rule's frames and lexicons generate: one per frame pattern and lexicon that
/// has terms of the frame's class. A frame that none of the rule's lexicons can fill is an error.
fn generate(
    cx: &RuleContext<'_>,
    def: &RuleDef,
    phrase: Analysis,
    errors: &mut Vec<Error>,
) -> Vec<(LazyRegex, Generated)> {
    let id = def.id.get_ref();
    let at = |offset: usize| loc(cx.source, offset);
    let mut lexicons = Vec::new();
    for name in &def.lexicons {
        match cx.vocabulary.lexicons.get(name.get_ref()) {
            Some(lex) => lexicons.push(lex),
            None if cx.vocabulary.incomplete => {}
            None => errors.push(Error::pack(
                at(name.span().start),
                Some(id),
                format!(
                    "unknown lexicon `{}`: no loaded pack declares [lexicons.{}]",
                    name.get_ref(),
                    name.get_ref()
                ),
            )),
        }
    }
    let mut out = Vec::new();
    for name in &def.frames {
        let Some(frame) = cx.vocabulary.frames.get(name.get_ref()) else {
            if cx.vocabulary.incomplete {
                continue;
            }
            errors.push(Error::pack(
                at(name.span().start),
                Some(id),
                format!(
                    "unknown frame `{}`: no loaded pack declares [frames.{}]",
                    name.get_ref(),
                    name.get_ref()
                ),
            ));
            continue;
        };
        let mut filled = false;
        for lex in &lexicons {
            let Some(alternation) = lex.alternation(Some(frame.class), frame.strong) else {
                continue;
            };
            filled = true;
            let forms = lex.slot_forms(Some(frame.class), frame.strong);
            // The frame's tree and the lexicon's are each parsed once (see `trees`), however
            // many rules cross them.
            let slot: Arc<str> = Arc::from(pattern::to_ascii_classes(&alternation));
            for (expanded, _) in &frame.patterns {
                let body = expanded.replace(vocab::SLOT_MARK, &alternation);
                let source = pattern::finalize(&body, def.whole_word, def.case_sensitive);
                let skeleton = expanded.replace(vocab::SLOT_MARK, &trees::hole(0));
                let skeleton = pattern::finalize(&skeleton, def.whole_word, def.case_sensitive);
                let recipe = trees::Recipe::new(skeleton, vec![slot.clone()], true);
                let built = LazyRegex::parse_recipe(source, recipe, phrase);
                let built =
                    built
                        .map_err(|e| format!("invalid regex: {e}"))
                        .and_then(|re| match re.compiled.get() {
                            Some(Err(message)) => Err(message.clone()),
                            _ => Ok(re),
                        });
                match built {
                    Ok(re) => out.push((
                        re,
                        Generated {
                            frame: frame.name.clone(),
                            lexicon: lex.name.clone(),
                            forms: forms.clone(),
                        },
                    )),
                    Err(message) => errors.push(Error::pack(
                        at(name.span().start),
                        Some(id),
                        format!(
                            "frame `{}` with lexicon `{}`: the pattern {message}",
                            frame.name, lex.name
                        ),
                    )),
                }
            }
        }
        if !filled && !lexicons.is_empty() {
            let names: Vec<&str> = lexicons.iter().map(|l| l.name.as_str()).collect();
            errors.push(Error::pack(
                at(name.span().start),
                Some(id),
                format!(
                    "frame `{}` takes {} terms, and none of the rule's lexicons ({}) has one that fills it{}",
                    frame.name,
                    frame.class.as_str(),
                    names.join(", "),
                    if frame.strong { "" } else { " (weak terms fill only strong frames)" }
                ),
            ));
        }
    }
    out
}

/// Expands and parses one pattern; the error is a message fit for a rule author. Compiling waits
/// until a file needs the pattern (see [`LazyRegex`]).
pub fn compile_pattern(
    pattern: &str,
    macros: &BTreeMap<String, String>,
    kinds: &[String],
    whole_word: bool,
    case_sensitive: bool,
) -> Result<LazyRegex, String> {
    let none = BTreeMap::new();
    compile_for(
        pattern,
        macros,
        kinds,
        &none,
        whole_word,
        case_sensitive,
        Analysis::FULL,
    )
}

/// [`compile_pattern`], with literals for the prefilter only when `prefilter` holds: `unless`,
/// `near` and document-rule patterns never use them.
fn compile_for(
    pattern: &str,
    macros: &BTreeMap<String, String>,
    kinds: &[String],
    lexicons: &BTreeMap<String, Lexicon>,
    whole_word: bool,
    case_sensitive: bool,
    analysis: Analysis,
) -> Result<LazyRegex, String> {
    let (expanded, skeleton, parts) =
        pattern::expand_parts(pattern, macros, kinds, lexicons).map_err(|e| e.to_string())?;
    let source = pattern::finalize(&expanded, whole_word, case_sensitive);
    let parts = parts
        .iter()
        .map(|p| Arc::from(pattern::to_ascii_classes(p)))
        .collect();
    let skeleton = pattern::finalize(&skeleton, whole_word, case_sensitive);
    let recipe = trees::Recipe::new(skeleton, parts, false);
    let re = LazyRegex::parse_recipe(source, recipe, analysis).map_err(|err| {
        // Report the error against what the author wrote (after macros), not our rewrite of it.
        let shown = regex_syntax::Parser::new()
            .parse(&expanded)
            .err()
            .map_or_else(|| err.to_string(), |e| e.to_string());
        format!("invalid regex in pattern `{pattern}`:\n{shown}")
    })?;
    match re.compiled.get() {
        Some(Err(message)) => Err(format!("pattern `{pattern}` {message}")),
        _ => Ok(re),
    }
}

/// A rough size of the automaton a regex compiles to: leaves counted once per copy that counted
/// repetitions make. Ordinary patterns weigh a few hundred; only heavy ones are worth compiling
/// at load to check the size limit.
fn weight(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(lit) => lit.0.len(),
        HirKind::Class(Class::Unicode(u)) => u.ranges().len() * 4,
        HirKind::Class(Class::Bytes(b)) => b.ranges().len(),
        HirKind::Capture(cap) => weight(&cap.sub),
        HirKind::Repetition(rep) => {
            let copies = rep.max.unwrap_or(rep.min.saturating_add(1)).max(1) as usize;
            weight(&rep.sub).saturating_mul(copies)
        }
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts
            .iter()
            .map(weight)
            .fold(1usize, |a, b| a.saturating_add(b)),
    }
}

/// The message for a regex that failed to compile although it parsed.
fn too_big(err: Box<meta::BuildError>) -> String {
    match err.size_limit() {
        Some(limit) => format!(
            "compiles to an automaton larger than {} KiB; simplify it (bounded repetitions such as `{{1,500}}` multiply its size) or split it into several patterns",
            limit / 1024
        ),
        None => format!("does not compile: {err}"),
    }
}

/// The lazy DFA cache of one pattern's forward automaton, per thread (at least what the pattern
/// needs to run at all).
const FORWARD_CACHE: usize = 256 * 1024;
/// A pattern whose source is longer than this many bytes spells out a lexicon of hundreds of
/// terms: each state of its automaton holds hundreds of NFA states, so that few fit in
/// [`FORWARD_CACHE`] and the cache was cleared and refilled over and over (22.8 MB shared
/// corpus: 14.9 s CPU with the small cache, 11.6 s with this one, peak memory unchanged; there
/// are about 40 such patterns).
const LONG_PATTERN: usize = 5_000;
/// The lazy DFA cache of a [`LONG_PATTERN`]'s forward automaton, per thread.
const LONG_FORWARD_CACHE: usize = 2 * 1024 * 1024;

/// Builds a pattern's regex under creeplint's size limits, as `regex` would but without the
/// literal prefilter (the engine runs a pattern only where its literals occur, and building the
/// prefilter of a case-insensitive pattern costs most of its compile time) and without capture
/// groups (only whole matches are used).
pub fn build_pattern(source: &str) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Builder::new()
        .configure(pattern_config())
        .build(source)
        .map_err(Box::new)
}

fn pattern_config() -> meta::Config {
    meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT * 2)
        .auto_prefilter(false)
        .which_captures(WhichCaptures::Implicit)
}

/// A lazy DFA over `patterns` (several make a multi-pattern automaton) with `config`, without
/// capture groups and within `nfa_limit` bytes of automaton. It never gives up on a search: a
/// full cache is cleared as often as needed. `None` when it does not build.
pub fn build_lazy_dfa(
    patterns: &[&str],
    config: hybrid::dfa::Config,
    nfa_limit: usize,
) -> Option<hybrid::dfa::DFA> {
    hybrid::dfa::Builder::new()
        .configure(config.minimum_cache_clear_count(None))
        .thompson(lazy_dfa_nfa_config(nfa_limit))
        .build_many(patterns)
        .ok()
}

/// [`build_lazy_dfa`] of patterns that search a segment's normalised text: each is parsed and
/// fitted to that text first (see [`fit`]), which makes a set of hundreds of patterns far smaller.
/// A pattern that does not parse leaves the set to be built from the sources as they are.
pub fn build_lazy_dfa_for_segments(
    patterns: &[&str],
    config: hybrid::dfa::Config,
    nfa_limit: usize,
) -> Option<hybrid::dfa::DFA> {
    let trees: Option<Vec<Hir>> = patterns
        .iter()
        .map(|p| fit::parse_for_normalised_text(p))
        .collect();
    match trees {
        Some(trees) => build_lazy_dfa_from_hirs(&trees, config, nfa_limit),
        None => build_lazy_dfa(patterns, config, nfa_limit),
    }
}

/// [`build_pattern`] from a parse tree (the one a parse of the source would give).
fn build_pattern_from_hir(hir: &Hir) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Builder::new()
        .configure(pattern_config())
        .build_from_hir(hir)
        .map_err(Box::new)
}

/// [`build_lazy_dfa`] from the patterns' parse trees (the ones parses of their sources would
/// give, or those fitted to normalised text).
fn build_lazy_dfa_from_hirs(
    hirs: &[Hir],
    config: hybrid::dfa::Config,
    nfa_limit: usize,
) -> Option<hybrid::dfa::DFA> {
    let nfa = thompson::Compiler::new()
        .configure(lazy_dfa_nfa_config(nfa_limit))
        .build_many_from_hir(hirs)
        .ok()?;
    hybrid::dfa::Builder::new()
        .configure(config.minimum_cache_clear_count(None))
        .build_from_nfa(nfa)
        .ok()
}

fn lazy_dfa_nfa_config(nfa_limit: usize) -> thompson::Config {
    thompson::Config::new()
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(nfa_limit))
}

/// One regex matching wherever any of `sources` matches, with the literal prefilter on: for
/// exceptions searched in whole files, where one pass that skips to literals beats a scan per
/// pattern. `None` when there are no sources or the union passes the size limits.
pub fn build_any_of(sources: &[&str]) -> Option<meta::Regex> {
    if sources.is_empty() {
        return None;
    }
    let union: Vec<String> = sources.iter().map(|s| format!("(?:{s})")).collect();
    let config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT * 4))
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT * 2)
        .which_captures(WhichCaptures::Implicit);
    meta::Builder::new()
        .configure(config)
        .build(&union.join("|"))
        .ok()
}

/// Builds a regex under creeplint's size limits.
pub fn build_regex(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT * 2)
        .build()
}

#[cfg(test)]
mod generated_tests {
    use super::*;

    #[test]
    fn patterns_built_from_parts_get_the_literals_and_tree_of_a_full_parse() {
        let set = load(PackSource::builtin()).expect("built-in packs load");
        let (mut checked, mut recipes, mut lowered) = (0, 0, 0);
        for rule in set.rules() {
            let unless = rule.unless.iter().chain(&rule.unless_answer);
            let unless = unless.map(|re| (re, false));
            for (re, prefilter) in rule.patterns.iter().map(|re| (re, true)).chain(unless) {
                let fresh = LazyRegex::parse(re.as_str().to_string()).expect("parses");
                if prefilter && rule.info.scope == Scope::Phrase {
                    assert_eq!(fresh.literals(), re.literals(), "{}", re.as_str());
                    assert_eq!(fresh.starts(), re.starts(), "{}", re.as_str());
                }
                checked += 1;
                // Every pattern searches the lowercased text, by the tree a whole parse gives
                // (see [`lowercase`]), but those that need the text's own case: a proper name's
                // capital, in a case-sensitive pattern or a `(?-i:...)` part.
                let needs_case = !re.as_str().starts_with("(?i)") || re.as_str().contains("(?-i");
                let whole = re
                    .as_str()
                    .strip_prefix("(?i)")
                    .and_then(lowercase::parse)
                    .map(|t| fit::to_normalised_text(&t));
                let run = re.tree_to_run();
                assert!(re.searches_lowered() == whole.is_some(), "{}", re.as_str());
                assert!(whole.is_some() != needs_case, "{}", re.as_str());
                if let Some(whole) = whole {
                    assert!(run.as_ref() == Some(&whole), "{}", re.as_str());
                    lowered += 1;
                }
                let Some(recipe) = &re.recipe else { continue };
                recipes += 1;
                // The tree the regex compiles from is the one a parse of its source gives.
                let parsed = regex_syntax::Parser::new().parse(re.as_str()).unwrap();
                let built = recipe
                    .tree(trees::Tree::Parsed)
                    .expect("a recipe kept at load builds");
                assert!(built == parsed, "{}", re.as_str());
            }
        }
        assert!(checked > 900, "only {checked} patterns");
        // Loading skips the slot check for the built-in frames (see `vocab::Frame::new`).
        assert!(set.vocabulary.frames.len() > 20);
        for frame in set.vocabulary.frames.values() {
            for (pattern, at) in &frame.patterns {
                let checked = vocab::check_slot_placement(pattern);
                assert!(
                    checked.is_ok(),
                    "frame {} at {at:?}: {checked:?}",
                    frame.name
                );
            }
        }
        assert!(recipes > 800, "only {recipes} patterns built from parts");
        assert!(
            lowered * 100 > checked * 90,
            "only {lowered} of {checked} patterns search the lowercased text"
        );
    }
}
