//! The TOML schema of a rule pack, as serde reads it. Every table denies unknown keys so that a typo
//! is an error with a line number, never a silently ignored setting. See `rules/README.md`.

use crate::severity::Severity;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A whole pack file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// `[pack]`: the pack's metadata.
    #[schemars(with = "PackMeta")]
    pub pack: Spanned<PackMeta>,
    /// `[macros]`: named regex fragments, used in patterns as `{name}`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub macros: BTreeMap<String, Spanned<String>>,
    /// `[[fields]]`: merge-field kinds by the tokens of variable names.
    #[serde(default)]
    #[schemars(with = "Vec<FieldDef>")]
    pub fields: Vec<Spanned<FieldDef>>,
    /// `[lexicons.NAME]`: term families, usable by any loaded pack.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, LexiconDef>")]
    pub lexicons: BTreeMap<String, Spanned<LexiconDef>>,
    /// `[frames.NAME]`: attribution shapes with a slot, usable by any loaded pack.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, FrameDef>")]
    pub frames: BTreeMap<String, Spanned<FrameDef>>,
    /// `[[rules]]`.
    #[serde(default)]
    #[schemars(with = "Vec<RuleDef>")]
    pub rules: Vec<Spanned<RuleDef>>,
}

/// How a term fits into a sentence, and so which frames it can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WordClass {
    /// A thing the reader has: "your X" (anxiety, overdraft, bump).
    Noun,
    /// A state the reader is in: "you're X" (pregnant, overdrawn, diabetic).
    Adj,
    /// What the reader is: "as a X" (diabetic, widow, single mum; plurals for "X like you").
    Person,
    /// A modifier that puts the reader in a group: "X singles" (Sikh, gay, Christian).
    Group,
}

impl WordClass {
    /// Every class, in the order they are documented.
    pub const ALL: [WordClass; 4] = [
        WordClass::Noun,
        WordClass::Adj,
        WordClass::Person,
        WordClass::Group,
    ];

    /// The class as written in a pack.
    pub fn as_str(self) -> &'static str {
        match self {
            WordClass::Noun => "noun",
            WordClass::Adj => "adj",
            WordClass::Person => "person",
            WordClass::Group => "group",
        }
    }

    /// The class named `name`, as written in a pack.
    pub fn parse(name: &str) -> Option<WordClass> {
        WordClass::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// `[lexicons.NAME]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LexiconDef {
    /// What the family holds, in a few words.
    #[serde(default)]
    pub description: String,
    /// The class of the terms written as bare strings (default `noun`).
    #[serde(default)]
    pub class: Option<WordClass>,
    /// The terms: a bare string, or a table of forms by class.
    #[schemars(with = "Vec<TermDef>")]
    pub terms: Vec<Spanned<TermDef>>,
}

/// One or several strings.
#[derive(Debug, Deserialize, Clone, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One string.
    One(String),
    /// A list.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The strings.
    pub fn items(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A lexicon entry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TermDef {
    /// A term of the lexicon's class.
    Word(String),
    /// A family of forms.
    Entry(EntryDef),
}

/// A family of forms: `{ noun = "pregnancy", adj = ["pregnant", "expecting"], weak = true }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryDef {
    /// Forms of the lexicon's own class.
    #[serde(default)]
    pub forms: Option<OneOrMany>,
    /// "your X" forms.
    #[serde(default)]
    pub noun: Option<OneOrMany>,
    /// "you're X" forms.
    #[serde(default)]
    pub adj: Option<OneOrMany>,
    /// "as a X" forms.
    #[serde(default)]
    pub person: Option<OneOrMany>,
    /// "X singles" forms.
    #[serde(default)]
    pub group: Option<OneOrMany>,
    /// An ambiguous sense ("due", "broke", "single"): only frames marked `strong` use it.
    #[serde(default)]
    pub weak: bool,
}

/// `[frames.NAME]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameDef {
    /// What the shape does to the reader, in a few words.
    #[serde(default)]
    pub description: String,
    /// The class of term that fills `{slot}`.
    pub class: WordClass,
    /// Regexes (with macros), each holding `{slot}` once or more.
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Spanned<String>>,
    /// The shape pins the term on the reader so firmly that weak (ambiguous) terms fire too.
    #[serde(default)]
    pub strong: bool,
    /// A message holding `{slot}` that every rule using the frame must flag once a sample term
    /// of each of its lexicons fills the slot (`rules test`).
    pub sample: String,
    /// Messages that no rule using the frame may flag; a `{slot}` in them is filled with each
    /// lexicon's sample term.
    #[serde(default)]
    pub near_misses: Vec<String>,
}

/// `[pack]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    /// The pack's name: lowercase letters, digits and dashes. Rule ids start with it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What the pack catches, in a sentence.
    pub description: String,
}

/// `[[fields]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The kind's name, used as `{field:KIND}`.
    #[schemars(with = "String")]
    pub kind: Spanned<String>,
    /// Token phrases of which one must appear in the name (`total spent`, `ltv`, `diabet*`).
    #[serde(default)]
    pub any: Vec<String>,
    /// Token phrases that must all appear.
    #[serde(default)]
    pub all: Vec<String>,
    /// Token phrases none of which may appear.
    #[serde(default)]
    pub none: Vec<String>,
    /// Template filters or functions that make a field this kind (`money`, `formatcurrency`).
    #[serde(default)]
    pub filters: Vec<String>,
}

/// Where a rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Patterns match inside one segment (the default).
    #[default]
    Phrase,
    /// The rule judges a whole document: a pattern anywhere triggers it, an `unless` pattern anywhere
    /// (copy or markup) clears it.
    Document,
}

/// `near = { patterns = [...], within = N }`: context required within N words of a match.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NearDef {
    /// Context patterns; one must match near the finding.
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Spanned<String>>,
    /// How many words before or after the match the context may be.
    pub within: usize,
}

/// `examples.bad` and `examples.good`.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamplesDef {
    /// Messages the rule must flag.
    #[serde(default)]
    pub bad: Vec<String>,
    /// Messages no rule of the pack may flag (the near misses).
    #[serde(default)]
    pub good: Vec<String>,
}

/// `[[rules]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// `pack.rule-name`, stable once released.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// One line: what the copy does wrong.
    pub message: String,
    /// Why a reader finds it creepy.
    pub why: String,
    /// How to rewrite it and keep the personalisation.
    pub suggest: String,
    /// Regexes (with macros) that flag a phrase.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Spanned<String>>,
    /// Frames this rule crosses with its lexicons (each pair generates patterns).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub frames: Vec<Spanned<String>>,
    /// Lexicons whose terms fill the slots of this rule's frames.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub lexicons: Vec<Spanned<String>>,
    /// Field kinds: the rule fires at every template condition (`{% if %}`, `{{#if}}`, a Mustache
    /// section, AMPscript `IF`) that tests a field of one of them.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub branches: Vec<Spanned<String>>,
    /// Field kinds: the rule's phrase matches count only inside the copy a template condition on
    /// a field of one of them chooses (`{% if customer.pregnant %}...{% endif %}`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub inside: Option<Spanned<Vec<Spanned<String>>>>,
    /// Regexes that clear a match in the same sentence (or document, for document rules).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub unless: Vec<Spanned<String>>,
    /// Regexes that clear a match in a question when they match in the sentence that answers it:
    /// signposting ("Feeling low? Samaritans are there day or night") is told apart from
    /// profiling ("Feeling low again?") by what follows the question.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub unless_answer: Vec<Spanned<String>>,
    /// Context that must appear near a match.
    #[serde(default)]
    pub near: Option<NearDef>,
    /// Signals that must all appear in the sentence of a match: each inner list is one signal,
    /// present when any of its patterns matches there (`with = [['{lex:observer}'], ['{amount}']]`).
    #[serde(default)]
    #[schemars(with = "Vec<Vec<String>>")]
    pub with: Vec<Vec<Spanned<String>>>,
    /// A built-in model that judges each message as a whole (`"profile"`, learnt from the labelled
    /// corpus): the rule fires on the sentence that weighs most in a message scoring at least
    /// `threshold`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub model: Option<Spanned<String>>,
    /// For `model` rules: the score, above 0 and at most 1, at which the rule fires.
    #[serde(default)]
    #[schemars(with = "Option<f32>")]
    pub threshold: Option<Spanned<f32>>,
    /// `phrase` (default) or `document`.
    #[serde(default)]
    pub scope: Scope,
    /// Document rules only: how many pattern matches the document must hold before the rule fires
    /// (default 1), so a rule about whole emails can ignore one-line messages.
    #[serde(default)]
    #[schemars(with = "Option<usize>")]
    pub min_matches: Option<Spanned<usize>>,
    /// Match whole words only (default true).
    #[serde(default = "default_true")]
    pub whole_word: bool,
    /// Match case-sensitively (default false).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Bad and good example messages.
    #[serde(default)]
    pub examples: Option<ExamplesDef>,
    /// The message kinds the rule judges (`marketing`, `transactional`, `not-a-message`, `docs`);
    /// every kind but `docs` when left out.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub kinds: Option<Spanned<Vec<String>>>,
    /// Severity by message kind (`{ transactional = "info" }`), over the rule's `severity`.
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, Severity>>")]
    pub kind_severity: Option<Spanned<BTreeMap<String, Severity>>>,
}

fn default_true() -> bool {
    true
}
