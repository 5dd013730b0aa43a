//! Rule packs: loading TOML packs, validating them with errors a rule author can act on, and
//! compiling their rules.

pub mod pattern;
pub mod schema;

use crate::error::{Error, Location};
use crate::fields::{FieldClassifier, FieldKind};
use crate::position::LineIndex;
use crate::severity::Severity;
use regex::{Regex, RegexBuilder};
use schema::{PackFile, RuleDef, Scope};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

/// Context required near a match.
#[derive(Debug, Clone)]
pub struct Near {
    /// Context regexes.
    pub patterns: Vec<Regex>,
    /// Distance in words.
    pub within: usize,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Documentation and settings.
    pub info: Arc<RuleInfo>,
    /// The regexes that flag a phrase.
    pub patterns: Vec<Regex>,
    /// Exceptions.
    pub unless: Vec<Regex>,
    /// Required context.
    pub near: Option<Near>,
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
    lines: LineIndex,
}

/// Loads and compiles packs. All errors are collected, so an author fixes them in one go.
pub fn load(sources: Vec<PackSource>) -> Result<PackSet, Vec<Error>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for source in sources {
        match toml::from_str::<PackFile>(&source.text) {
            Ok(file) => parsed.push(Parsed {
                lines: LineIndex::new(&source.text),
                source,
                file,
            }),
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
    for p in &parsed {
        for field in &p.file.fields {
            let def = field.get_ref();
            let kind = def.kind.get_ref();
            if !valid_name(kind) {
                errors.push(Error::pack(
                    loc(&p.source, &p.lines, def.kind.span().start),
                    None,
                    format!("field kind `{kind}` must be lowercase letters, digits, `-` or `_`"),
                ));
            }
            kinds_defs.push(FieldKind {
                kind: kind.clone(),
                names: def.names.iter().map(|n| n.get_ref().clone()).collect(),
                filters: def.filters.clone(),
            });
        }
    }
    let classifier = match FieldClassifier::new(&kinds_defs) {
        Ok(c) => c,
        Err((_, message)) => {
            errors.push(Error::pack(Location::file("<fields>"), None, message));
            FieldClassifier::default()
        }
    };
    let kinds: Vec<String> = classifier.kinds().to_vec();

    let mut packs = Vec::new();
    let mut pack_names = HashSet::new();
    let mut rule_ids: HashSet<String> = HashSet::new();
    for p in parsed {
        let meta = p.file.pack.get_ref();
        let name = meta.name.get_ref().clone();
        if !valid_name(&name) {
            errors.push(Error::pack(
                loc(&p.source, &p.lines, meta.name.span().start),
                None,
                format!("pack name `{name}` must be lowercase letters, digits, `-` or `_`"),
            ));
        }
        if !pack_names.insert(name.clone()) {
            errors.push(Error::pack(
                loc(&p.source, &p.lines, meta.name.span().start),
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
        let mut rules = Vec::new();
        for rule in &p.file.rules {
            match compile_rule(&p.source, &p.lines, &name, rule, &macros, &kinds) {
                Ok(r) => {
                    if !rule_ids.insert(r.info.id.clone()) {
                        errors.push(Error::pack(
                            loc(&p.source, &p.lines, rule.get_ref().id.span().start),
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
    if errors.is_empty() {
        Ok(PackSet { packs, classifier })
    } else {
        Err(errors)
    }
}

/// The location of `offset` in a pack, through the pack's line index (built once per pack: a pack
/// of thousands of rules asks for a location per rule).
fn loc(source: &PackSource, lines: &LineIndex, offset: usize) -> Location {
    let pos = lines.position(&source.text, offset);
    Location {
        path: source.path.clone(),
        line: Some(pos.line),
        column: Some(pos.column),
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn compile_rule(
    source: &PackSource,
    lines: &LineIndex,
    pack: &str,
    spanned: &toml::Spanned<RuleDef>,
    macros: &BTreeMap<String, String>,
    kinds: &[String],
) -> Result<Rule, Vec<Error>> {
    let def = spanned.get_ref();
    let id = def.id.get_ref().clone();
    let mut errors = Vec::new();
    let at = |offset: usize| loc(source, lines, offset);
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
    if def.patterns.is_empty() {
        errors.push(Error::pack(
            rule_at.clone(),
            Some(&id),
            "has no `patterns`: a rule needs at least one",
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
                       whole_word: bool,
                       errors: &mut Vec<Error>| {
        let mut out = Vec::new();
        for p in list {
            match compile_pattern(p.get_ref(), macros, kinds, whole_word, def.case_sensitive) {
                Ok(re) => out.push(re),
                Err(message) => errors.push(Error::pack(at(p.span().start), Some(&id), message)),
            }
        }
        out
    };
    let patterns = compile_all(&def.patterns, def.whole_word, &mut errors);
    let unless = compile_all(&def.unless, def.whole_word, &mut errors);
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
                patterns: compile_all(&n.patterns, def.whole_word, &mut errors),
                within: n.within,
            })
        }
    };
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
        }),
        patterns,
        unless,
        near,
    })
}

/// Expands and compiles one pattern; the error is a message fit for a rule author.
pub fn compile_pattern(
    pattern: &str,
    macros: &BTreeMap<String, String>,
    kinds: &[String],
    whole_word: bool,
    case_sensitive: bool,
) -> Result<Regex, String> {
    let expanded = pattern::expand(pattern, macros, kinds).map_err(|e| e.to_string())?;
    let source = pattern::finalize(&expanded, whole_word, case_sensitive);
    build_regex(&source).map_err(|err| match err {
        regex::Error::CompiledTooBig(limit) => format!(
            "pattern `{pattern}` compiles to an automaton larger than {} KiB; simplify it (bounded repetitions such as `{{1,500}}` multiply its size) or split it into several patterns",
            limit / 1024
        ),
        other => {
            // Report the error against what the author wrote (after macros), not our rewrite of it.
            let shown = Regex::new(&expanded).err().unwrap_or(other);
            format!("invalid regex in pattern `{pattern}`:\n{shown}")
        }
    })
}

/// Builds a regex under creeplint's size limits.
pub fn build_regex(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT * 2)
        .build()
}
