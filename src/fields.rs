//! Merge-field kinds: which template variables carry which kind of personal data.
//!
//! A variable name is read as a list of tokens: split on separators (`.`, `_`, `-`, spaces),
//! camelCase and letter/digit boundaries, lowercased, and a run written without boundaries
//! (`TOTALSPENT90D`) segmented against the loaded vocabulary (`total`, `spent`, `90`, `d`).
//! Packs declare `[[fields]]` with a `kind` and token sets: `any` (one of these token phrases
//! appears), `all` (every one of these appears) and `none` (none of these appears). Rules match
//! the kinds with `{field:KIND}`.
//!
//! Whose data a field holds matters as much as what it holds: the sender's own fields (`shop.*`,
//! `store.*`, `company`, `settings.*`...) and template machinery (`| t`, `| asset_url`) are never
//! reader data. Every other field is, and carries the built-in kind [`READER`], so a rule can ask
//! for personalisation with `{field:reader}`.

use std::collections::{HashMap, HashSet};

/// The built-in kind of every field that holds the reader's data (not the sender's own, not
/// template machinery).
pub const READER: &str = "reader";

/// First tokens of names that hold the sender's own data, never the reader's.
const SENDER_HEADS: &[&str] = &[
    "shop",
    "store",
    "company",
    "sender",
    "site",
    "settings",
    "section",
    "block",
    "page",
    "brand",
    "organization",
    "organisation",
    "theme",
    "request",
    "localization",
    "canonical",
    "powered",
];

/// Filters and functions whose output is template machinery (translations, asset and page URLs,
/// markup helpers), whatever they are applied to.
const MACHINERY_FILTERS: &[&str] = &[
    "t",
    "translate",
    "trans",
    "asset_url",
    "asset_img_url",
    "img_url",
    "image_url",
    "file_url",
    "file_img_url",
    "shopify_asset_url",
    "global_asset_url",
    "stylesheet_tag",
    "script_tag",
    "image_tag",
    "img_tag",
    "preload_tag",
    "placeholder_svg_tag",
    "payment_type_svg_tag",
    "payment_type_img_url",
    "inline_asset_content",
    "static",
    "url_for",
    "asset",
    // Rails view helpers and EJS includes (`<%= render "footer" %>`, `<%- include('header') %>`).
    "render",
    "yield",
    "include",
    "link_to",
    "button_to",
    "mail_to",
    "stylesheet_link_tag",
    "javascript_include_tag",
    "javascript_pack_tag",
    "stylesheet_pack_tag",
    "favicon_link_tag",
    "image_path",
    "asset_path",
    "content_for",
    "csrf_meta_tags",
    "csp_meta_tag",
];

/// Last tokens of names that hold a link target.
const LINK_TAILS: &[&str] = &["url", "uri", "href", "link", "src", "path"];

/// Common neutral words: they do not make a field any kind, but they let a name written without
/// boundaries (`TOTALSPENT`, `FIRSTNAME`) be segmented completely.
const BASE_VOCABULARY: &[&str] = &[
    "first",
    "last",
    "full",
    "name",
    "email",
    "mail",
    "phone",
    "total",
    "amount",
    "count",
    "date",
    "day",
    "days",
    "month",
    "months",
    "year",
    "years",
    "week",
    "weeks",
    "time",
    "order",
    "orders",
    "item",
    "items",
    "product",
    "products",
    "customer",
    "user",
    "member",
    "contact",
    "account",
    "number",
    "num",
    "id",
    "code",
    "url",
    "link",
    "value",
    "current",
    "goal",
    "target",
    "level",
    "type",
    "status",
    "price",
    "cost",
    "per",
    "since",
    "lifetime",
    "avg",
    "average",
    "recent",
    "ago",
    "life",
    "time",
    "home",
    "city",
    "state",
    "zip",
    "post",
    "postal",
    "my",
    "your",
    "is",
    "has",
    "of",
    "on",
    "in",
    "at",
    "the",
    "to",
    "for",
    "and",
    "with",
    "new",
    "old",
    "expected",
    "estimated",
    "size",
    "uk",
    "us",
    "eu",
    "kg",
    "lbs",
    "cm",
    "in",
    "ft",
    "loss",
];

/// How a field's name is matched: a phrase of one or more tokens, each exact or a prefix
/// (`diabet*`), that must appear as consecutive tokens of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Phrase(Vec<Word>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Word {
    Exact(String),
    Prefix(String),
}

impl Word {
    fn matches(&self, token: &str) -> bool {
        match self {
            Word::Exact(w) => w == token,
            Word::Prefix(p) => token.starts_with(p.as_str()),
        }
    }
}

impl Phrase {
    /// Parses `loan balance`, `diabet*`, `a1c` (tokenised like a name: `a`, `1`, `c`).
    fn parse(source: &str) -> Result<Phrase, String> {
        let mut words = Vec::new();
        for raw in source.split_whitespace() {
            let (body, prefix) = match raw.strip_suffix('*') {
                Some(b) => (b, true),
                None => (raw, false),
            };
            if body.is_empty()
                || !body
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            {
                return Err(format!(
                    "field token `{raw}` in `{source}`: tokens are lowercase letters and digits, separated by spaces, optionally ending in `*` (a prefix); write `total spent`, not `total_spent` or `*spent*`"
                ));
            }
            let parts = split_alnum(body);
            let last = parts.len() - 1;
            for (i, p) in parts.into_iter().enumerate() {
                words.push(if prefix && i == last {
                    Word::Prefix(p)
                } else {
                    Word::Exact(p)
                });
            }
        }
        if words.is_empty() {
            return Err("an empty field token phrase".to_string());
        }
        Ok(Phrase(words))
    }

    fn found_in(&self, tokens: &[String]) -> bool {
        let n = self.0.len();
        tokens.len() >= n
            && tokens
                .windows(n)
                .any(|w| w.iter().zip(&self.0).all(|(t, word)| word.matches(t)))
    }

    fn exact_words(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|w| match w {
            Word::Exact(s) => Some(s.as_str()),
            Word::Prefix(_) => None,
        })
    }
}

/// One kind of field, as declared by a pack's `[[fields]]` entry.
#[derive(Debug, Clone, Default)]
pub struct FieldKind {
    /// The kind's name, e.g. `money`.
    pub kind: String,
    /// Token phrases of which one must appear (`total spent`, `ltv`, `diabet*`).
    pub any: Vec<String>,
    /// Token phrases that must all appear.
    pub all: Vec<String>,
    /// Token phrases none of which may appear (`product` keeps `product.weight` out of `body`).
    pub none: Vec<String>,
    /// Template filters that make any field this kind (`money`, `currency`).
    pub filters: Vec<String>,
}

/// A compiled `[[fields]]` entry.
#[derive(Debug, Clone)]
struct Matcher {
    kind: usize,
    any: Vec<Phrase>,
    all: Vec<Phrase>,
    none: Vec<Phrase>,
}

impl Matcher {
    fn matches(&self, tokens: &[String]) -> bool {
        (self.any.is_empty() || self.any.iter().any(|p| p.found_in(tokens)))
            && self.all.iter().all(|p| p.found_in(tokens))
            && !self.none.iter().any(|p| p.found_in(tokens))
    }
}

/// Whose data a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The reader's: personalisation.
    Reader,
    /// The sender's own (`shop.name`, `company`, `settings.logo`).
    Sender,
    /// Template machinery: translations, asset URLs, markup helpers.
    Machinery,
    /// A link target (`action_url`): it may be the reader's own link, but prints no data about
    /// them into the copy.
    Link,
}

/// What the classifier makes of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldClass {
    /// Whose data it is.
    pub origin: Origin,
    /// The declared kinds it belongs to, sorted (empty for the sender's fields and machinery).
    pub kinds: Vec<String>,
}

/// Classifies merge-field variables into kinds.
#[derive(Debug, Clone, Default)]
pub struct FieldClassifier {
    /// Declared kind names, [`READER`] first.
    kinds: Vec<String>,
    matchers: Vec<Matcher>,
    /// Matchers by an exact word one of their phrases must start with: a name is tested only
    /// against the matchers its tokens can trigger (there are hundreds of phrases).
    by_word: HashMap<String, Vec<usize>>,
    /// Matchers by a prefix word (`diabet*`) one of their phrases must start with.
    by_prefix: Vec<(String, usize)>,
    filters: Vec<(String, usize)>,
    /// Every exact token the packs name, plus [`BASE_VOCABULARY`]: what boundary-less names are
    /// segmented against.
    vocabulary: HashSet<String>,
    /// The longest vocabulary word, in bytes.
    longest: usize,
}

impl FieldClassifier {
    /// Builds a classifier from kinds declared by packs. On a bad entry, the error names the
    /// index of the entry in `defs` and what is wrong.
    pub fn new(defs: &[FieldKind]) -> Result<Self, (usize, String)> {
        let mut kinds: Vec<String> = vec![READER.to_string()];
        let mut matchers = Vec::new();
        let mut filters = Vec::new();
        let mut vocabulary: HashSet<String> =
            BASE_VOCABULARY.iter().map(|w| w.to_string()).collect();
        for (def_index, def) in defs.iter().enumerate() {
            if def.kind == READER {
                return Err((
                    def_index,
                    format!("field kind `{READER}` is built in (every field of the reader's data); pick another name"),
                ));
            }
            let kind = match kinds.iter().position(|k| k == &def.kind) {
                Some(i) => i,
                None => {
                    kinds.push(def.kind.clone());
                    kinds.len() - 1
                }
            };
            let parse = |list: &[String]| -> Result<Vec<Phrase>, (usize, String)> {
                list.iter()
                    .map(|s| Phrase::parse(s).map_err(|e| (def_index, e)))
                    .collect()
            };
            let matcher = Matcher {
                kind,
                any: parse(&def.any)?,
                all: parse(&def.all)?,
                none: parse(&def.none)?,
            };
            if matcher.any.is_empty() && matcher.all.is_empty() {
                if !matcher.none.is_empty() {
                    return Err((
                        def_index,
                        "`none` alone matches almost every name: give `any` or `all` too"
                            .to_string(),
                    ));
                }
            } else {
                for p in matcher.any.iter().chain(&matcher.all).chain(&matcher.none) {
                    vocabulary.extend(p.exact_words().map(str::to_string));
                }
                matchers.push(matcher);
            }
            for filter in &def.filters {
                filters.push((filter.to_ascii_lowercase(), kind));
            }
        }
        let longest = vocabulary.iter().map(String::len).max().unwrap_or(0);
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_prefix = Vec::new();
        for (i, m) in matchers.iter().enumerate() {
            // A match needs one `any` phrase (when there are any), else the first `all` phrase.
            let triggers: &[Phrase] = if m.any.is_empty() {
                &m.all[..1]
            } else {
                &m.any
            };
            for p in triggers {
                match &p.0[0] {
                    Word::Exact(w) => {
                        let list = by_word.entry(w.clone()).or_default();
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                    Word::Prefix(w) => by_prefix.push((w.clone(), i)),
                }
            }
        }
        Ok(Self {
            kinds,
            matchers,
            by_word,
            by_prefix,
            filters,
            vocabulary,
            longest,
        })
    }

    /// Every kind name declared, [`READER`] included.
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    /// The tokens of a variable name: split on separators, camelCase and digits, lowercased, and
    /// boundary-less runs segmented against the vocabulary (`TOTALSPENT90D` → `total spent 90 d`).
    pub fn tokens(&self, variable: &str) -> Vec<String> {
        let mut out = Vec::new();
        for token in raw_tokens(variable) {
            match self.segment(&token) {
                Some(parts) => out.extend(parts),
                None => out.push(token),
            }
        }
        out
    }

    /// The declared kinds (not [`READER`]) whose token sets a name satisfies, sorted: what a
    /// name says it holds, whoever's it is.
    pub fn kinds_of(&self, variable: &str) -> Vec<String> {
        self.kinds_of_tokens(&self.tokens(variable))
    }

    fn kinds_of_tokens(&self, tokens: &[String]) -> Vec<String> {
        let mut candidates: Vec<usize> = Vec::new();
        for t in tokens {
            if let Some(list) = self.by_word.get(t.as_str()) {
                candidates.extend(list);
            }
            candidates.extend(
                self.by_prefix
                    .iter()
                    .filter(|(p, _)| t.starts_with(p.as_str()))
                    .map(|(_, i)| *i),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut hits: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| self.matchers[i].matches(tokens))
            .map(|i| self.matchers[i].kind)
            .collect();
        hits.sort_unstable();
        hits.dedup();
        let mut out: Vec<String> = hits.into_iter().map(|i| self.kinds[i].clone()).collect();
        out.sort();
        out
    }

    /// Whose data a variable printed through `filters` is, and its kinds.
    pub fn classify_field(&self, variable: &str, filters: &[String]) -> FieldClass {
        let machinery = filters
            .iter()
            .any(|f| MACHINERY_FILTERS.contains(&f.to_ascii_lowercase().as_str()));
        if machinery {
            return FieldClass {
                origin: Origin::Machinery,
                kinds: Vec::new(),
            };
        }
        let tokens = self.tokens(variable);
        let head = tokens.first().map(String::as_str);
        // `location.address1` is a store location (Shopify's `location` object); a bare
        // `location` may be the reader's.
        let sender_location = head == Some("location") && variable.contains('.');
        if head.is_some_and(|t| SENDER_HEADS.contains(&t)) || sender_location {
            return FieldClass {
                origin: Origin::Sender,
                kinds: Vec::new(),
            };
        }
        let mut kinds = self.kinds_of_tokens(&tokens);
        // A link target (`action_url`, `unsubscribe_link`) is where a button goes, not something
        // the copy says about the reader: it keeps its kinds (`consent`) but is not personalisation.
        let link = tokens
            .last()
            .is_some_and(|t| LINK_TAILS.contains(&t.as_str()));
        for f in filters {
            let f = f.to_ascii_lowercase();
            kinds.extend(
                self.filters
                    .iter()
                    .filter(|(name, _)| *name == f)
                    .map(|(_, k)| self.kinds[*k].clone()),
            );
        }
        kinds.sort();
        kinds.dedup();
        FieldClass {
            origin: if link { Origin::Link } else { Origin::Reader },
            kinds,
        }
    }

    /// The kinds of a variable printed through `filters`, sorted and without duplicates, with
    /// [`READER`] when it is the reader's data.
    pub fn classify(&self, variable: &str, filters: &[String]) -> Vec<String> {
        let class = self.classify_field(variable, filters);
        let mut kinds = class.kinds;
        if class.origin == Origin::Reader {
            kinds.push(READER.to_string());
            kinds.sort();
        }
        kinds
    }

    /// Splits a boundary-less run of letters into vocabulary words, fewest words first; `None`
    /// when the token is a word already, short, or cannot be covered completely.
    fn segment(&self, token: &str) -> Option<Vec<String>> {
        if token.len() < 6 || self.vocabulary.contains(token) || !token.is_ascii() {
            return None;
        }
        let n = token.len();
        // best[i]: fewest words covering token[..i], and where the last word starts.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for end in 1..=n {
            let from = end.saturating_sub(self.longest);
            for start in from..end.saturating_sub(1) {
                let Some((words, _)) = best[start] else {
                    continue;
                };
                if self.vocabulary.contains(&token[start..end])
                    && best[end].is_none_or(|(w, _)| words + 1 < w)
                {
                    best[end] = Some((words + 1, start));
                }
            }
        }
        best[n]?;
        let mut parts = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start) = best[end]?;
            parts.push(token[start..end].to_string());
            end = start;
        }
        parts.reverse();
        (parts.len() > 1).then_some(parts)
    }
}

/// Splits a name into lowercase tokens on separators, camelCase (`dressSize`, `HTMLBody`) and
/// letter/digit boundaries; quotes, sigils and brackets are separators too.
fn raw_tokens(variable: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in variable.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if let Some(&prev) = i.checked_sub(1).and_then(|p| chars.get(p)) {
                let next = chars.get(i + 1).copied();
                let boundary = (c.is_uppercase() && (prev.is_lowercase() || prev.is_numeric()))
                    || (c.is_uppercase()
                        && prev.is_uppercase()
                        && next.is_some_and(char::is_lowercase))
                    || (c.is_numeric() != prev.is_numeric());
                if boundary && !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Splits a lowercase token at letter/digit boundaries (`a1c` → `a`, `1`, `c`).
fn split_alnum(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev_digit: Option<bool> = None;
    for c in body.chars() {
        let digit = c.is_ascii_digit();
        if prev_digit != Some(digit) {
            out.push(String::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
        prev_digit = Some(digit);
    }
    out
}

/// Normalises a template variable for display and comparison: `customer.dressSize`,
/// `CUSTOMER.DRESS_SIZE`, `${dress_size}` and `@DressSize` all become `customer.dress_size` /
/// `dress_size`; spaces and dashes become underscores (`'Bra Size'` → `bra_size`).
pub fn normalise_variable(variable: &str) -> String {
    let mut out = String::with_capacity(variable.len() + 4);
    let mut prev: Option<char> = None;
    for c in variable.chars() {
        match c {
            '$' | '{' | '}' | '@' | '\'' | '"' | '[' | ']' => {
                prev = None;
                continue;
            }
            ' ' | '-' => {
                if !out.ends_with('_') && !out.is_empty() {
                    out.push('_');
                }
            }
            c if c.is_uppercase() => {
                // camelCase boundary: a capital after a lowercase letter or digit.
                if matches!(prev, Some(p) if p.is_lowercase() || p.is_ascii_digit()) {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
            }
            c => out.push(c),
        }
        prev = Some(c);
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, any: &[&str], none: &[&str]) -> FieldKind {
        FieldKind {
            kind: name.into(),
            any: any.iter().map(|s| s.to_string()).collect(),
            none: none.iter().map(|s| s.to_string()).collect(),
            ..FieldKind::default()
        }
    }

    fn classifier() -> FieldClassifier {
        FieldClassifier::new(&[
            FieldKind {
                filters: vec!["money".into()],
                ..kind("money", &["total spent", "spent", "balance"], &[])
            },
            kind("body", &["dress size", "hips", "weight"], &["product"]),
            kind("special", &["caste"], &[]),
            kind("debt", &["debt", "in collections"], &[]),
            kind("health", &["diabet*"], &[]),
        ])
        .unwrap()
    }

    #[test]
    fn normalises_common_spellings() {
        assert_eq!(
            normalise_variable("customer.dressSize"),
            "customer.dress_size"
        );
        assert_eq!(normalise_variable("CREDIT_SCORE"), "credit_score");
        assert_eq!(normalise_variable("${first_name}"), "first_name");
        assert_eq!(normalise_variable("'Bra Size'"), "bra_size");
    }

    #[test]
    fn tokens_split_on_separators_case_and_digits_and_segment_runs() {
        let c = classifier();
        assert_eq!(
            c.tokens("customer.dressSize"),
            ["customer", "dress", "size"]
        );
        assert_eq!(c.tokens("HTMLBody"), ["html", "body"]);
        assert_eq!(c.tokens("${first_name}"), ["first", "name"]);
        assert_eq!(c.tokens("TOTALSPENT90D"), ["total", "spent", "90", "d"]);
        assert_eq!(c.tokens("'Bra Size'"), ["bra", "size"]);
        // Not coverable by the vocabulary: left whole.
        assert_eq!(c.tokens("broadcaster"), ["broadcaster"]);
    }

    #[test]
    fn classifies_by_tokens_not_substrings() {
        let c = classifier();
        assert_eq!(c.kinds_of("customer.total_spent"), ["money"]);
        assert_eq!(c.kinds_of("*|TOTALSPENT90D|*"), ["money"]);
        assert_eq!(c.kinds_of("customer.dressSize"), ["body"]);
        assert_eq!(c.kinds_of("user.isDiabetic"), ["health"]);
        assert!(c.kinds_of("customer.memberships").is_empty());
        assert!(c.kinds_of("broadcaster").is_empty());
        assert!(c.kinds_of("collections").is_empty());
        assert_eq!(c.kinds_of("account_in_collections"), ["debt"]);
        // `none` vetoes.
        assert!(c.kinds_of("product.weight").is_empty());
        assert_eq!(c.kinds_of("member.weight"), ["body"]);
    }

    #[test]
    fn sender_fields_and_machinery_are_not_reader_data() {
        let c = classifier();
        assert_eq!(c.classify("shop.name", &[]), Vec::<String>::new());
        assert_eq!(c.classify("store.street", &[]), Vec::<String>::new());
        assert_eq!(c.classify("settings.balance", &[]), Vec::<String>::new());
        assert_eq!(
            c.classify("general.title", &["t".into()]),
            Vec::<String>::new()
        );
        assert_eq!(c.classify("first_name", &[]), [READER]);
        assert_eq!(
            c.classify("product.price", &["money".into()]),
            ["money", READER]
        );
    }

    #[test]
    fn bad_token_phrases_are_errors() {
        for bad in ["*spent*", "total_spent", "Spent", ""] {
            let r = FieldClassifier::new(&[kind("money", &[bad], &[])]);
            assert!(r.is_err(), "{bad:?} should be rejected");
        }
        let none_only = FieldClassifier::new(&[kind("money", &[], &["x"])]);
        assert!(none_only.is_err());
    }
}
