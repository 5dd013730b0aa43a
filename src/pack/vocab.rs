//! Lexicons and frames: term families and the attribution shapes they fill, shared by every loaded
//! pack. A rule that crosses frames with lexicons gets one generated pattern per frame pattern and
//! lexicon; see `rules/README.md`.

use super::schema::{EntryDef, FrameDef, LexiconDef, TermDef, WordClass};
use crate::error::Location;
use regex_syntax::hir::{Hir, HirKind};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// Stands for the slot while a frame's macros are expanded: a private-use character no pack text
/// holds (merge-field placeholders use U+E000 and U+E001).
pub const SLOT_MARK: char = '\u{E0F0}';

/// One term of a lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written (literal text).
    pub text: String,
    /// Which frames it fills.
    pub class: WordClass,
    /// Only strong frames use it.
    pub weak: bool,
}

/// A loaded lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Its name.
    pub name: String,
    /// What it holds.
    pub description: String,
    /// The pack that declares it.
    pub pack: String,
    /// Its terms in the order written.
    pub terms: Vec<Term>,
    /// Where it is declared.
    pub origin: Location,
    /// [`Lexicon::alternation`] for every class (and all classes) with and without weak terms,
    /// built once: every frame and `{lex:}` reference uses them.
    alternations: Vec<ByClass>,
}

/// What a lexicon gives for one class (or all classes), with or without its weak terms.
#[derive(Debug, Clone)]
struct ByClass {
    class: Option<WordClass>,
    weak_ok: bool,
    /// [`Lexicon::alternation`], built with the lexicon.
    alternation: Option<String>,
    /// [`Lexicon::slot_forms`], made on first use.
    slot_forms: OnceLock<SlotForms>,
}

/// The terms that fill a frame's slot with their [`squash`]ed forms, shared by every pattern
/// the lexicon fills.
pub type SlotForms = Arc<[(String, String)]>;

impl Lexicon {
    /// Builds a lexicon from its definition, with the problems found (each naming the bad term
    /// or entry); the lexicon keeps the good terms, so that rules using it report nothing more.
    pub fn new(
        name: &str,
        pack: &str,
        def: &LexiconDef,
        origin: Location,
    ) -> (Lexicon, Vec<String>) {
        let mut problems = Vec::new();
        let default = def.class.unwrap_or(WordClass::Noun);
        let mut terms = Vec::new();
        for spanned in &def.terms {
            match spanned.get_ref() {
                TermDef::Word(w) => terms.push(Term {
                    text: w.clone(),
                    class: default,
                    weak: false,
                }),
                TermDef::Entry(entry) => match entry_terms(entry, default) {
                    Ok(more) => terms.extend(more),
                    Err(why) => problems.push(format!("lexicon `{name}`: {why}")),
                },
            }
        }
        terms.retain(|t| match check_term(&t.text) {
            Ok(()) => true,
            Err(why) => {
                problems.push(format!("lexicon `{name}`: term `{}` {why}", t.text));
                false
            }
        });
        if terms.is_empty() && problems.is_empty() {
            problems.push(format!("lexicon `{name}` has no terms"));
        }
        let mut lexicon = Lexicon {
            name: name.to_string(),
            description: def.description.clone(),
            pack: pack.to_string(),
            terms,
            origin,
            alternations: Vec::new(),
        };
        let classes = std::iter::once(None).chain(WordClass::ALL.into_iter().map(Some));
        lexicon.alternations = classes
            .flat_map(|c| [(c, false), (c, true)])
            .map(|(class, weak_ok)| ByClass {
                class,
                weak_ok,
                alternation: lexicon.build_alternation(class, weak_ok),
                slot_forms: OnceLock::new(),
            })
            .collect();
        (lexicon, problems)
    }

    /// The terms of `class` (weak ones when `weak_ok`), each with its squashed form, to name the
    /// term behind a finding ([`Generated::term_in`]).
    pub fn slot_forms(&self, class: Option<WordClass>, weak_ok: bool) -> SlotForms {
        let build = || {
            self.terms_of(class, weak_ok)
                .map(|t| (t.text.clone(), squash(&t.text)))
                .collect::<Vec<_>>()
                .into()
        };
        match self.by_class(class, weak_ok) {
            Some(entry) => entry.slot_forms.get_or_init(build).clone(),
            None => build(),
        }
    }

    fn by_class(&self, class: Option<WordClass>, weak_ok: bool) -> Option<&ByClass> {
        self.alternations
            .iter()
            .find(|e| e.class == class && e.weak_ok == weak_ok)
    }

    /// The terms of `class` (every class when `None`), weak ones only when `weak_ok`.
    pub fn terms_of(
        &self,
        class: Option<WordClass>,
        weak_ok: bool,
    ) -> impl Iterator<Item = &Term> + '_ {
        self.terms
            .iter()
            .filter(move |t| class.is_none_or(|c| t.class == c) && (weak_ok || !t.weak))
    }

    /// The regex matching any of [`Lexicon::terms_of`], longest first; `None` when there is none.
    pub fn alternation(&self, class: Option<WordClass>, weak_ok: bool) -> Option<String> {
        self.by_class(class, weak_ok)
            .and_then(|e| e.alternation.clone())
    }

    fn build_alternation(&self, class: Option<WordClass>, weak_ok: bool) -> Option<String> {
        let mut forms: Vec<String> = self
            .terms_of(class, weak_ok)
            .map(|t| term_regex(&t.text))
            .collect();
        if forms.is_empty() {
            return None;
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Some(format!("(?:{})", forms.join("|")))
    }

    /// The term a test puts in a frame of `class`: the first one written that the frame takes.
    pub fn sample(&self, class: WordClass, weak_ok: bool) -> Option<&str> {
        self.terms_of(Some(class), weak_ok)
            .next()
            .map(|t| t.text.as_str())
    }
}

fn entry_terms(entry: &EntryDef, default: WordClass) -> Result<Vec<Term>, String> {
    let mut out = Vec::new();
    let by_class = [
        (default, &entry.forms),
        (WordClass::Noun, &entry.noun),
        (WordClass::Adj, &entry.adj),
        (WordClass::Person, &entry.person),
        (WordClass::Group, &entry.group),
    ];
    for (class, forms) in by_class {
        for text in forms.iter().flat_map(|f| f.items()) {
            out.push(Term {
                text,
                class,
                weak: entry.weak,
            });
        }
    }
    if out.is_empty() {
        return Err(
            "an entry needs forms: `forms`, `noun`, `adj`, `person` or `group`".to_string(),
        );
    }
    Ok(out)
}

/// Terms are literal text, so a regex character is a mistake that would silently match nothing.
fn check_term(text: &str) -> Result<(), &'static str> {
    if text.trim().is_empty() {
        return Err("is empty");
    }
    if text.trim() != text {
        return Err("has leading or trailing spaces");
    }
    if text.contains([
        '\\', '(', ')', '[', ']', '|', '?', '*', '+', '{', '}', '^', '$',
    ]) {
        return Err("holds a regex character: terms are literal text (write each form out)");
    }
    if text.contains(['\u{E000}', '\u{E001}', SLOT_MARK]) {
        return Err("holds a reserved character");
    }
    Ok(())
}

/// The regex for a literal term: a space matches any run of spaces, an apostrophe may be left
/// out, a hyphen may be a space or left out ("flare-up", "flare up", "flareup").
pub fn term_regex(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push_str(r"\s+");
        }
        for c in word.chars() {
            match c {
                '\'' => out.push_str("'?"),
                '-' => out.push_str(r"[-\s]?"),
                c => {
                    if regex_syntax::is_meta_character(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
    }
    out
}

/// A loaded frame: its patterns with the frame pack's macros expanded and the slot marked.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Its name.
    pub name: String,
    /// What it does to the reader.
    pub description: String,
    /// The pack that declares it.
    pub pack: String,
    /// The class of term it takes.
    pub class: WordClass,
    /// Weak terms fill it too.
    pub strong: bool,
    /// Expanded patterns, [`SLOT_MARK`] where the slot goes, with where each was written.
    pub patterns: Vec<(String, Location)>,
    /// The patterns as written.
    pub written: Vec<String>,
    /// The test message with `{slot}`.
    pub sample: String,
    /// Near misses, `{slot}` (when they hold one) filled with each lexicon's sample term.
    pub near_misses: Vec<String>,
    /// Where it is declared.
    pub origin: Location,
}

impl Frame {
    /// Builds a frame. `expand` expands one pattern's macros (the slot already marked). With
    /// `check`, each expanded pattern is parsed to refuse a slot in a bounded repetition (see
    /// [`check_slot_placement`]); the built-in packs skip it, a test checks their frames.
    pub fn new(
        name: &str,
        pack: &str,
        def: &FrameDef,
        origin: Location,
        at: impl Fn(usize) -> Location,
        expand: impl Fn(&str) -> Result<String, String>,
        check: bool,
    ) -> Result<Frame, Vec<(Location, String)>> {
        let mut errors = Vec::new();
        let mut patterns = Vec::new();
        if def.patterns.is_empty() {
            errors.push((origin.clone(), format!("frame `{name}` has no `patterns`")));
        }
        for p in &def.patterns {
            let written = p.get_ref();
            let here = at(p.span().start);
            if !written.contains("{slot}") {
                errors.push((
                    here,
                    format!("frame `{name}`: pattern `{written}` has no `{{slot}}` for the term"),
                ));
                continue;
            }
            let marked = written.replace("{slot}", &SLOT_MARK.to_string());
            let checked = |e: String| match check {
                true => check_slot_placement(&e).map(|()| e),
                false => Ok(e),
            };
            match expand(&marked).and_then(checked) {
                Ok(e) => patterns.push((e, here)),
                Err(message) => errors.push((
                    here,
                    format!("frame `{name}`: pattern `{written}`: {message}"),
                )),
            }
        }
        if !def.sample.contains("{slot}") {
            errors.push((
                origin.clone(),
                format!(
                    "frame `{name}`: `sample` message `{}` has no `{{slot}}` for the term",
                    def.sample
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Frame {
            name: name.to_string(),
            description: def.description.clone(),
            pack: pack.to_string(),
            class: def.class,
            strong: def.strong,
            patterns,
            written: def.patterns.iter().map(|p| p.get_ref().clone()).collect(),
            sample: def.sample.clone(),
            near_misses: def.near_misses.clone(),
            origin,
        })
    }
}

/// A slot inside a bounded repetition (`(?:{slot}\s+){1,3}`) copies the whole lexicon once per
/// count: refused, the automaton would grow past any limit.
pub fn check_slot_placement(expanded: &str) -> Result<(), String> {
    let probe = expanded.replace(SLOT_MARK, "(?:\u{E0F0})");
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&probe)
        .map_err(|e| format!("invalid regex:\n{e}"))?;
    if slot_in_counted_repetition(&hir, false) {
        return Err("`{slot}` sits inside a bounded repetition such as `{1,3}`, which copies the whole lexicon once per count; repeat the words around it instead".to_string());
    }
    Ok(())
}

fn slot_in_counted_repetition(hir: &Hir, counted: bool) -> bool {
    match hir.kind() {
        HirKind::Literal(lit) => {
            counted && std::str::from_utf8(&lit.0).is_ok_and(|s| s.contains(SLOT_MARK))
        }
        HirKind::Repetition(rep) => {
            let many = rep.max.is_some_and(|m| m > 1);
            slot_in_counted_repetition(&rep.sub, counted || many)
        }
        HirKind::Capture(cap) => slot_in_counted_repetition(&cap.sub, counted),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().any(|p| slot_in_counted_repetition(p, counted))
        }
        _ => false,
    }
}

/// Every lexicon and frame of every loaded pack.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Lexicons by name.
    pub lexicons: BTreeMap<String, Lexicon>,
    /// Frames by name.
    pub frames: BTreeMap<String, Frame>,
    /// Some pack did not parse, so its lexicons and frames are missing: names that resolve to
    /// nothing are then not reported again.
    pub incomplete: bool,
}

/// Where a generated pattern came from: the frame and lexicon a rule crossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The frame's name.
    pub frame: String,
    /// The lexicon's name.
    pub lexicon: String,
    /// The forms that fill this pattern's slot (lowercase, apostrophes dropped), to name the term
    /// behind a finding.
    pub forms: SlotForms,
}

impl Generated {
    /// The term of this pattern's lexicon inside `matched` (normalised copy): the longest one.
    pub fn term_in(&self, matched: &str) -> Option<&str> {
        let hay = squash(matched);
        self.forms
            .iter()
            .filter(|(_, key)| contains_word(&hay, key))
            .max_by_key(|(_, key)| key.len())
            .map(|(text, _)| text.as_str())
    }
}

/// The frame, lexicon and term behind a finding of a generated pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameHit {
    /// The frame's name.
    pub frame: String,
    /// The lexicon's name.
    pub lexicon: String,
    /// The lexicon term found in the match, as the lexicon writes it.
    pub term: String,
}

/// Lowercase, apostrophes dropped, hyphens and runs of spaces made one space.
pub fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' => {}
            '-' | ' ' | '\t' | '\n' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn contains_word(hay: &str, needle: &str) -> bool {
    let bytes = hay.as_bytes();
    hay.match_indices(needle).any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i + needle.len()).copied();
        !before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !after.is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_regexes_allow_spacing_apostrophe_and_hyphen_variants() {
        let re = regex::Regex::new(&format!("^{}$", term_regex("crohn's flare-up"))).unwrap();
        for ok in ["crohn's flare-up", "crohns flare up", "crohn's  flareup"] {
            assert!(re.is_match(ok), "{ok}");
        }
        assert!(!re.is_match("crohn flare-up"));
    }

    #[test]
    fn slot_in_a_counted_repetition_is_refused() {
        let m = SLOT_MARK;
        assert!(check_slot_placement(&format!(r"your\s+{m}")).is_ok());
        assert!(check_slot_placement(&format!(r"(?:\w+\s+){{0,2}}{m}")).is_ok());
        assert!(check_slot_placement(&format!(r"(?:{m}\s+){{1,3}}")).is_err());
    }

    #[test]
    fn the_longest_term_in_a_match_is_named() {
        let g = Generated {
            frame: "your-noun".into(),
            lexicon: "health".into(),
            forms: ["ms", "ms symptoms", "anxiety"]
                .iter()
                .map(|t| (t.to_string(), squash(t)))
                .collect::<Vec<_>>()
                .into(),
        };
        assert_eq!(g.term_in("your MS symptoms"), Some("ms symptoms"));
        assert_eq!(g.term_in("your msg"), None);
    }
}
