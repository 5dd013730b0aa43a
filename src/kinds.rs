//! Message kinds: whether a document is a marketing message, a transactional one, or not a message
//! of its own (a layout, a partial, a theme section) or documentation, and why.
//!
//! Whether copy is creepy depends on what the message is: a receipt may state the order total and
//! the shipping address, a promotion may not; a transactional mail needs no unsubscribe link. The
//! kind comes from, in order: `[[kinds]]` in creeplint.toml (path globs), front matter (`kind:`),
//! then the file itself: its structure first (a layout that yields its body, a partial, a Shopify
//! section), then signals in its copy (order numbers, amounts due, password resets...). Rules
//! declare the kinds they judge (`kinds = ["marketing"]` in a pack).

use crate::source::Document;
use globset::GlobSet;
use regex::{Regex, RegexSet};
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// What a document is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A marketing message: promotions, newsletters, win-backs (the default).
    Marketing,
    /// A message the reader's own action or account calls for: receipts, invoices, shipping
    /// updates, password resets, security alerts.
    Transactional,
    /// Not a message of its own, but copy that ends up in front of readers: a layout, a partial,
    /// a storefront theme section or page, translation strings.
    NotAMessage,
    /// Documentation (a README, a changelog, a docs page): not a message and not copy. No rule
    /// judges it unless it says `kinds = ["docs"]`.
    Docs,
}

impl Kind {
    /// Every kind, in order.
    pub const ALL: [Kind; 4] = [
        Kind::Marketing,
        Kind::Transactional,
        Kind::NotAMessage,
        Kind::Docs,
    ];

    /// The kinds a rule judges when it does not say: every kind of copy, not documentation.
    pub const DEFAULT_JUDGED: [Kind; 3] = [Kind::Marketing, Kind::Transactional, Kind::NotAMessage];

    /// The names of every kind, for error messages.
    pub const NAMES: &'static str = "`marketing`, `transactional`, `not-a-message` or `docs`";

    /// The kind's name as written in packs, config and output.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Marketing => "marketing",
            Kind::Transactional => "transactional",
            Kind::NotAMessage => "not-a-message",
            Kind::Docs => "docs",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A document's kind and the reason it was given, shown in JSON and by `creeplint kinds` so a
/// wrong guess is seen and fixed with one line of config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindOf {
    /// The kind.
    pub kind: Kind,
    /// Why: `config: [[kinds]] receipts/**`, `front matter: kind: transactional`,
    /// `structure: layout ({{ content_for_layout }})`, `copy: order number, tracking`...
    pub reason: String,
}

/// One compiled `[[kinds]]` table of creeplint.toml.
#[derive(Debug, Clone)]
pub struct KindRule {
    /// The globs as written, for the reason.
    pub globs: Vec<String>,
    /// The globs compiled (relative to the config root).
    pub paths: GlobSet,
    /// The kind they give.
    pub kind: Kind,
}

/// The kind of a document: `rules` (from config) first, then front matter, then the file itself.
/// `rel` is the path relative to the settings root, `path` the path as given.
pub fn kind_of(rules: &[KindRule], rel: &str, path: &Path, doc: &Document) -> KindOf {
    if let Some(rule) = rules.iter().rev().find(|r| r.paths.is_match(rel)) {
        return KindOf {
            kind: rule.kind,
            reason: format!("config: [[kinds]] paths = {:?}", rule.globs),
        };
    }
    if let Some(found) = front_matter_kind(&doc.text) {
        return found;
    }
    if let Some(found) = structure(path, doc) {
        return found;
    }
    copy_signals(doc)
}

/// `kind: transactional` (or `marketing`, `not-a-message`, `docs`) in YAML front matter.
fn front_matter_kind(text: &str) -> Option<KindOf> {
    let body = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        if line == "---" || line == "..." {
            break;
        }
        if let Some(value) = line.strip_prefix("kind:") {
            let value = value.trim().trim_matches(['"', '\'']);
            let kind = Kind::from_name(value)?;
            return Some(KindOf {
                kind,
                reason: format!("front matter: kind: {value}"),
            });
        }
    }
    None
}

/// Directory names that hold pieces of messages, not messages.
const PARTIAL_DIRS: &[&str] = &[
    "partials",
    "_partials",
    "snippets",
    "includes",
    "_includes",
    "components",
    "fragments",
];
const LAYOUT_DIRS: &[&str] = &["layouts", "_layouts", "layout"];
/// Directory names of storefront theme sections and blocks.
const THEME_DIRS: &[&str] = &["sections", "blocks"];
/// Directory names of translation files: interface strings of a site or app, not messages.
const LOCALE_DIRS: &[&str] = &["locales", "locale", "i18n", "translations", "lang", "langs"];
const DOCS_DIRS: &[&str] = &["docs", "doc", "documentation"];
const DOCS_NAMES: &[&str] = &[
    "readme",
    "changelog",
    "contributing",
    "code_of_conduct",
    "security",
    "license",
    "history",
    "changes",
    "release-notes",
    "release_notes",
    "upgrading",
    "authors",
];

/// Markers of a layout: where a layout yields or includes the body of the message it wraps.
const LAYOUT_MARKERS: &[&str] = &[
    "content_for_layout",
    "{{{ @content }}}",
    "{{{@content}}}",
    "{{ @content }}",
    "{{@content}}",
    "{{{ body }}}",
    "{{{body}}}",
    "{% yield",
    "{{ yield",
    "@partial-block",
    "<%= yield",
];

/// Names of template languages: a page that names one and shows its tags escaped documents them.
const TEMPLATE_LANGUAGES: &[&str] = &[
    "handlebars",
    "mustache",
    "mustachio",
    "liquid",
    "jinja",
    "nunjucks",
    "template syntax",
];

/// Markers of a page of a web site, not a mail: mail clients strip scripts, forms and navigation.
const WEB_PAGE_MARKERS: &[&str] = &["<script src", "<nav", "<form", "<header"];

/// True when `hay` contains `needle` (ASCII) ignoring ASCII case: candidates by the first
/// byte in both cases (memchr), then compared.
fn contains_ci(hay: &str, needle: &str) -> bool {
    let (hay, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(|i| {
        hay.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// The markers [`structure`] looks for that begin with `{`: all found in one pass over the file
/// (at each `{`), instead of one search of the whole file per marker.
const BRACE_MARKERS: &[&str] = &[
    "{% schema %}",
    "{%- schema -%}",
    "{{{ @content }}}",
    "{{{@content}}}",
    "{{ @content }}",
    "{{@content}}",
    "{{{ body }}}",
    "{{{body}}}",
    "{% yield",
    "{{ yield",
    "{% raw %}",
];

/// Which exact markers a file holds: `has(m)` is `text.contains(m)`.
struct Markers<'a> {
    text: &'a str,
    /// Bit `i` set when `BRACE_MARKERS[i]` occurs; found on the first question about one.
    braces: std::cell::OnceCell<u32>,
}

impl<'a> Markers<'a> {
    fn new(text: &'a str) -> Markers<'a> {
        Markers {
            text,
            braces: std::cell::OnceCell::new(),
        }
    }

    /// True when the file contains `marker`.
    fn has(&self, marker: &str) -> bool {
        match BRACE_MARKERS.iter().position(|m| *m == marker) {
            Some(i) => self.braces.get_or_init(|| brace_markers(self.text)) & (1 << i) != 0,
            None => memchr::memmem::find(self.text.as_bytes(), marker.as_bytes()).is_some(),
        }
    }
}

/// The bit set of the [`BRACE_MARKERS`] that occur in `text`.
fn brace_markers(text: &str) -> u32 {
    let all = (1u32 << BRACE_MARKERS.len()) - 1;
    let bytes = text.as_bytes();
    let mut found = 0u32;
    for at in memchr::memchr_iter(b'{', bytes) {
        let rest = &bytes[at..];
        for (i, marker) in BRACE_MARKERS.iter().enumerate() {
            if found & (1 << i) == 0 && rest.starts_with(marker.as_bytes()) {
                found |= 1 << i;
            }
        }
        if found == all {
            break;
        }
    }
    found
}

/// The first of `markers` (ASCII, all beginning with one byte) that `hay` contains ignoring ASCII
/// case: one pass over the places that byte occurs, instead of one per marker.
fn first_contained_ci<'m>(hay: &str, markers: &[&'m str]) -> Option<&'m str> {
    let first = *markers.first()?.as_bytes().first()?;
    debug_assert!(markers.iter().all(|m| m.as_bytes().first() == Some(&first)));
    let bytes = hay.as_bytes();
    let mut found = vec![false; markers.len()];
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    for at in memchr::memchr2_iter(lower, upper, bytes) {
        for (i, marker) in markers.iter().enumerate() {
            let m = marker.as_bytes();
            if !found[i]
                && bytes
                    .get(at..at + m.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(m))
            {
                found[i] = true;
            }
        }
        if found[0] {
            break;
        }
    }
    markers.iter().zip(found).find(|(_, f)| *f).map(|(m, _)| *m)
}

/// Not a message, by the file's place and shape: a Shopify section, a layout, a partial, docs.
fn structure(path: &Path, doc: &Document) -> Option<KindOf> {
    let text = &doc.text;
    let markers = Markers::new(text);
    let not = |reason: String| {
        Some(KindOf {
            kind: Kind::NotAMessage,
            reason: format!("structure: {reason}"),
        })
    };
    let docs = |reason: String| {
        Some(KindOf {
            kind: Kind::Docs,
            reason: format!("structure: {reason}"),
        })
    };
    if markers.has("{% schema %}") || markers.has("{%- schema -%}") {
        return not("theme section ({% schema %})".into());
    }
    if doc.format == crate::source::Format::Html {
        if let Some(marker) = first_contained_ci(text, WEB_PAGE_MARKERS) {
            return not(format!("web page (`{marker}`)"));
        }
    }
    if let Some(marker) = LAYOUT_MARKERS.iter().find(|m| markers.has(m)) {
        return not(format!("layout (yields its body with `{marker}`)"));
    }
    let dirs: Vec<String> = path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| c.as_os_str().to_str())
        .map(str::to_ascii_lowercase)
        .collect();
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.split('.').next().unwrap_or(n).to_ascii_lowercase())
        .unwrap_or_default();
    let is_format_markdown = doc.format == crate::source::Format::Markdown;
    let is_prose = is_format_markdown || doc.format == crate::source::Format::Text;
    if is_prose && DOCS_NAMES.contains(&stem.as_str()) {
        return docs(format!("docs page ({stem})"));
    }
    if let Some(d) = dirs.iter().find(|d| LAYOUT_DIRS.contains(&d.as_str())) {
        return not(format!("layout (in `{d}/`)"));
    }
    if let Some(d) = dirs.iter().find(|d| PARTIAL_DIRS.contains(&d.as_str())) {
        return not(format!("partial (in `{d}/`)"));
    }
    if let Some(d) = dirs.iter().find(|d| THEME_DIRS.contains(&d.as_str())) {
        return not(format!("theme section (in `{d}/`)"));
    }
    if let Some(d) = dirs.iter().find(|d| LOCALE_DIRS.contains(&d.as_str())) {
        return not(format!("translations (in `{d}/`)"));
    }
    // A storefront theme's JSON template: the sections of a page and their order.
    if doc.format == crate::source::Format::Json
        && markers.has("\"sections\"")
        && markers.has("\"order\"")
    {
        return not("theme template (JSON `sections` and `order`)".into());
    }
    if stem.starts_with('_') && stem.len() > 1 {
        return not("partial (its name starts with `_`)".into());
    }
    if is_format_markdown && dirs.iter().any(|d| DOCS_DIRS.contains(&d.as_str())) {
        return docs("docs page (a Markdown file under docs/)".into());
    }
    // A page that shows template syntax (escaped tags) and talks about a template language is
    // documentation, whatever its format.
    let escapes = markers.has("\\{{") || markers.has("{% raw %}");
    if escapes {
        if let Some(lang) = TEMPLATE_LANGUAGES.iter().find(|l| contains_ci(text, l)) {
            return docs(format!(
                "docs page (shows escaped template tags and names {lang})"
            ));
        }
    }
    // A Go template file that only defines named blocks.
    let trimmed = text.trim_start();
    if trimmed.starts_with("{{ define") || trimmed.starts_with("{{define") {
        return not("partial (only `{{ define }}` blocks)".into());
    }
    None
}

/// Signals in the copy that the message is transactional, each with its label.
const TRANSACTIONAL: &[(&str, &str)] = &[
    (
        "order number",
        r"\border\s*(?:#|no\b|number|id\b|confirmation|(?u:\x{E000}[^\x{E001}]*\x{E001}))",
    ),
    ("invoice", r"\binvoices?\b"),
    ("receipt", r"\breceipts?\b"),
    (
        "amount due",
        r"\b(?:amount|payment|balance|total)\s+(?:is\s+)?(?:due|outstanding)\b|\bis\s+due\s+(?:on|by)\b|\bminimum\s+payment\b|\bstatement\s+(?:balance|date|is\s+ready)\b|\bdue\s+(?:on|by)\s+\d",
    ),
    (
        "tracking",
        r"\btracking\s+(?:number|link|info|information|#)|\btrack\s+(?:your\s+)?(?:order|package|parcel|shipment)",
    ),
    (
        "shipping update",
        r"\b(?:has|have)\s+(?:been\s+)?shipped\b|\bon\s+(?:its|their)\s+way\b|\bout\s+for\s+delivery\b|\b(?:was|were|has\s+been|have\s+been)\s+delivered\b|\bready\s+for\s+pick\s?up\b|\bpick(?:ed)?\s?up\s+(?:location|receipt)",
    ),
    (
        "refund",
        r"\brefund(?:ed)?\b|\breturn\s+(?:label|request|approved|declined)",
    ),
    (
        "password reset",
        r"\b(?:reset|change|set)\s+(?:your\s+)?password\b|\bpassword\s+reset\b",
    ),
    (
        "verification code",
        r"\b(?:verification|security|confirmation|one[- ]time)\s+(?:code|link)\b|\bverify\s+(?:your\s+)?(?:email|account|address|identity)\b",
    ),
    (
        "account confirmation",
        r"\b(?:confirm|activate)\s+(?:your\s+)?(?:email|account|address|registration)\b|\baccount\s+(?:activation|created|has\s+been\s+created)\b",
    ),
    (
        "security alert",
        r"\bsecurity\s+alert\b|\bnew\s+(?:sign|log)[- ]?in\b|\b(?:sign|log)[- ]?in\s+attempt\b|\bunusual\s+(?:activity|sign)",
    ),
    (
        "you are receiving this because",
        r"\b(?:you\s+are|you're|you’re)\s+receiving\s+this\s+(?:email\s+|message\s+|notification\s+)?because\s+(?:you\s+(?:have|made|placed|requested|asked|created|opened|booked|bought|purchased|ordered)|of\s+(?:your|an?)\s+(?:account|order|purchase|request|booking))",
    ),
    (
        "invitation",
        r"\binvited\s+you\b|\binvitation\s+to\s+(?:join|collaborate)|\baccept\s+(?:the\s+)?invitation\b",
    ),
    (
        "payment notice",
        r"\bpayment\s+(?:failed|declined|received|confirmation|method|was\s+(?:successful|declined|unsuccessful))|\b(?:card|charge)\s+(?:was\s+)?declined\b|\bbilling\s+(?:period|cycle|information|details)\b",
    ),
    (
        "account notice",
        r"\btrial\s+(?:period\s+)?(?:ends|ended|has\s+ended|expires|expired|has\s+expired|is\s+(?:about\s+)?(?:ending|expired|over))|\bclose\s+your\s+account|\b(?:commented|replied)\s+on\b|\bmentioned\s+you\b|\blogin\s+(?:details|link|url)|\busername\b",
    ),
    (
        "gift card",
        r"\bgift\s+card\s+(?:balance|code|number)|\bhere\s+is\s+your\s+gift\s+card",
    ),
];

/// Signals that a message sells: with one of them, a single transactional signal is not enough.
const MARKETING: &[&str] = &[
    r"\d+\s*%\s*off\b",
    r"\b(?:shop|buy|order)\s+(?:now|today)\b",
    r"\blimited[- ]time\b",
    r"\b(?:promo|discount|coupon)\s+code\b",
    r"\bsale\b",
    r"\bnew\s+arrivals?\b",
    r"\bexclusive\s+(?:offer|deal|access)\b",
    r"\bdon'?t\s+miss\b",
    r"\bnewsletter\b",
    r"\b(?:use|enter|apply)\s+(?:the\s+)?code\b",
    r"\boffer\s+ends\b",
    r"\b(?:subscribed|signed\s+up|opted\s+in)\s+(?:to|for)\b",
    r"\b(?:receiving|getting)\s+this\s+(?:email\s+|message\s+)?(?:as\s+an?\s+(?:\w+\s+)?(?:member|subscriber)|because\s+you\s+(?:subscribed|signed\s+up|opted\s+in|joined))",
    r"\bshop\s+(?:the|our|all|new)\b",
    r"\bfree\s+(?:uk\s+|us\s+)?(?:delivery|shipping)\s+(?:over|on\s+(?:all\s+)?orders)\b",
    r"\b(?:we\s+think\s+you(?:'|’)?ll|you\s+(?:might|may)\s+(?:also\s+)?)\s*(?:like|love)\b",
];

/// A family of signals, each automaton built the first time it is needed (most documents hold no
/// transactional signal, and then the marketing ones never run).
struct Signals {
    patterns: fn() -> Vec<&'static str>,
    /// Every signal in one alternation: one leftmost scan finds them, and each (short) match is
    /// then told apart by `each`.
    any: OnceLock<Regex>,
    each: OnceLock<RegexSet>,
}

impl Signals {
    const fn new(patterns: fn() -> Vec<&'static str>) -> Signals {
        Signals {
            patterns,
            any: OnceLock::new(),
            each: OnceLock::new(),
        }
    }

    fn any(&self) -> &Regex {
        self.any.get_or_init(|| {
            let joined = (self.patterns)()
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            Regex::new(&ascii_ci(&joined)).expect("kind signals compile")
        })
    }

    fn each(&self) -> &RegexSet {
        self.each.get_or_init(|| {
            RegexSet::new((self.patterns)().iter().map(|p| ascii_ci(p)))
                .expect("kind signals compile")
        })
    }
}

/// ASCII classes, case folding and word boundaries: the copy is normalised (curly quotes
/// folded), the automata are a fraction of the size, and the lazy DFA never gives up on a
/// Unicode `\b` at the first non-ASCII byte.
fn ascii_ci(pattern: &str) -> String {
    format!("(?i-u){pattern}")
}

static TRANSACTIONAL_SIGNALS: Signals =
    Signals::new(|| TRANSACTIONAL.iter().map(|(_, p)| *p).collect());
static MARKETING_SIGNALS: Signals = Signals::new(|| MARKETING.to_vec());

/// The signals (indexes) found in `text`: one scan with the alternation, then each match (a few
/// words) is tested against the set, which is cheaper than an overlapping scan of the whole text.
fn found(signals: &Signals, text: &str, into: &mut Vec<usize>) {
    for m in signals.any().find_iter(text) {
        for i in signals.each().matches(m.as_str()).into_iter() {
            if !into.contains(&i) {
                into.push(i);
            }
        }
    }
}

/// [`found`] over every segment of a document. The segments are searched as one text, joined by
/// NUL characters, instead of one search each: most segments are a few words, where a search's
/// set-up costs more than its scan. No signal can match a NUL, and the ASCII `\b` of the signals
/// sees a NUL as it sees the end of a text, so the matches are those of the segments one by one;
/// should a match hold a NUL all the same (one inside a segment), the segments are searched one
/// by one.
fn found_in_segments(
    signals: &Signals,
    segments: &[crate::source::Segment],
    into: &mut Vec<usize>,
) {
    if segments.len() > 1 {
        let size = segments.iter().map(|s| s.text.len() + 1).sum();
        let mut joined = String::with_capacity(size);
        for seg in segments {
            joined.push_str(&seg.text);
            joined.push('\0');
        }
        let mut local = Vec::new();
        let mut crossed = false;
        for m in signals.any().find_iter(&joined) {
            if m.as_str().contains('\0') {
                crossed = true;
                break;
            }
            for i in signals.each().matches(m.as_str()).into_iter() {
                if !local.contains(&i) {
                    local.push(i);
                }
            }
        }
        if !crossed {
            for i in local {
                if !into.contains(&i) {
                    into.push(i);
                }
            }
            return;
        }
    }
    for seg in segments {
        found(signals, &seg.text, into);
    }
}

/// Parts of merge-field names that only transactional mail prints: the order, invoice or
/// shipment it is about, the password reset it was asked for.
const TRANSACTIONAL_FIELDS: &[&str] = &[
    "order_name",
    "order.name",
    "order_number",
    "order.order_number",
    "order_id",
    "invoice",
    "tracking",
    "fulfillment",
    "subtotal",
    "total_outstanding",
    "line_items",
    "refund",
    "reset_password",
    "password_reset",
    "activation_url",
    "account_activation",
    "verification",
    "receipt",
    "shipping_address",
    "delivery_",
    "pickup",
    "return_label",
    "gift_card.code",
];

/// [`TRANSACTIONAL_FIELDS`] in one automaton: `is_match(v)` holds when `v` contains one of them.
fn transactional_fields() -> &'static aho_corasick::AhoCorasick {
    static FIELDS: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    FIELDS.get_or_init(|| {
        aho_corasick::AhoCorasick::new(TRANSACTIONAL_FIELDS).expect("transactional fields build")
    })
}

/// Transactional when the copy holds two transactional signals and more of them than marketing
/// signals, or one and no marketing signal; marketing otherwise.
fn copy_signals(doc: &Document) -> KindOf {
    let mut tx: Vec<usize> = Vec::new();
    let mut marketing: Vec<usize> = Vec::new();
    found_in_segments(&TRANSACTIONAL_SIGNALS, &doc.segments, &mut tx);
    tx.sort_unstable();
    let mut labels: Vec<String> = tx.iter().map(|&i| TRANSACTIONAL[i].0.to_string()).collect();
    let field = doc.segments.iter().flat_map(|s| &s.fields).find_map(|f| {
        let v = f.variable.to_ascii_lowercase();
        transactional_fields()
            .is_match(&v)
            .then(|| f.variable.clone())
    });
    if let Some(v) = field {
        labels.push(format!("transaction field `{v}`"));
        tx.push(usize::MAX);
    }
    // Marketing signals only weigh against transactional ones (a transaction field included: an
    // abandoned-cart offer loops over the cart's line items too).
    if !tx.is_empty() {
        found_in_segments(&MARKETING_SIGNALS, &doc.segments, &mut marketing);
    }
    let mk = marketing.len();
    let transactional = (tx.len() >= 2 && tx.len() > mk) || (tx.len() == 1 && mk == 0);
    if transactional {
        KindOf {
            kind: Kind::Transactional,
            reason: format!("copy: {}", labels.join(", ")),
        }
    } else if labels.is_empty() {
        KindOf {
            kind: Kind::Marketing,
            reason: "default: no transactional signal in the copy".into(),
        }
    } else {
        KindOf {
            kind: Kind::Marketing,
            reason: format!(
                "copy: {mk} marketing signal(s) outweigh {}",
                labels.join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldClassifier;
    use crate::source::Format;

    fn kind(path: &str, text: &str) -> KindOf {
        let c = FieldClassifier::default();
        let format = Format::detect(Path::new(path), text);
        let doc = Document::parse(text.to_string(), format, &c);
        kind_of(&[], path, Path::new(path), &doc)
    }

    #[test]
    fn kinds_from_front_matter_structure_and_copy() {
        let k = kind("a.md", "---\nkind: transactional\nsubject: Hi\n---\nHello");
        assert_eq!(k.kind, Kind::Transactional);
        assert_eq!(k.reason, "front matter: kind: transactional");
        assert_eq!(
            kind(
                "s.liquid",
                "<div>{{ section.settings.title }}</div>{% schema %}{}{% endschema %}"
            )
            .kind,
            Kind::NotAMessage
        );
        assert_eq!(
            kind("base.html", "<html>{{ content_for_layout }}</html>").kind,
            Kind::NotAMessage
        );
        assert_eq!(
            kind("partials/footer.html", "<p>Bye</p>").kind,
            Kind::NotAMessage
        );
        assert_eq!(kind("README.md", "# Use {{ first_name }}").kind, Kind::Docs);
        let receipt = kind(
            "r.txt",
            "Thanks for your order #1042. Your receipt is below. Track your order any time.",
        );
        assert_eq!(receipt.kind, Kind::Transactional);
        assert_eq!(receipt.reason, "copy: order number, receipt, tracking");
        assert_eq!(
            kind(
                "p.txt",
                "Hi {{ name }}, 20% off everything this weekend. Shop now!"
            )
            .kind,
            Kind::Marketing
        );
        // One transactional word does not outweigh a sale.
        assert_eq!(
            kind("p.txt", "Sale! 30% off. Keep your receipt for returns.").kind,
            Kind::Marketing
        );
        // A cart's line items alone do not make a win-back offer transactional.
        let cart = "{% for line in checkout.line_items %}{{ line.title }}{% endfor %}\n";
        let offer = format!("{cart}Use code COMEBACK10 for 10% off. Offer ends Sunday.");
        assert_eq!(kind("c.liquid", &offer).kind, Kind::Marketing);
        let receipt = format!("{cart}Thanks for shopping with us.");
        assert_eq!(kind("c.liquid", &receipt).kind, Kind::Transactional);
        // A newsletter footer says why the reader gets it; a reset mail says what they asked for.
        let news = "Kit news: head torches from £24. Your receipt is in your account. You're receiving this because you subscribed at trail.example.";
        assert_eq!(kind("n.txt", news).kind, Kind::Marketing);
        let statement = "Your card balance is £212.40. Minimum payment £25 due by 3 May.";
        assert_eq!(kind("s.txt", statement).kind, Kind::Transactional);
        let reset = "You're receiving this because you requested a password reset.";
        assert_eq!(kind("r.txt", reset).kind, Kind::Transactional);
        let flow = "Because you bought the mugs, we think you'll like the bowls. Shop the range. {% for i in order.line_items %}{{ i.title }}{% endfor %}";
        assert_eq!(kind("f.liquid", flow).kind, Kind::Marketing);
    }

    #[test]
    fn markers_are_found_as_a_search_per_marker_finds_them() {
        let texts = [
            "",
            "{",
            "{{{ @content }}}",
            "a \\{{ yield }} b {%- schema -%} {{{body}}",
            "{{@content}} {{ @content }} {% raw %}{% yield x %}",
            "{{{{{ body }}}}} {% schema %} \"sections\": {}, \"order\": []",
            "content_for_layout @partial-block <%= yield %> <%= yiel",
        ];
        let every = BRACE_MARKERS.iter().chain(LAYOUT_MARKERS).chain(&[
            "\"sections\"",
            "\"order\"",
            "\\{{",
        ]);
        for text in texts {
            let markers = Markers::new(text);
            for m in every.clone() {
                assert_eq!(markers.has(m), text.contains(m), "{m:?} in {text:?}");
            }
        }
    }

    #[test]
    fn signals_of_joined_segments_are_those_of_each_segment() {
        let c = FieldClassifier::default();
        let texts = [
            "Your order\nnumber is 12. Track your\n\norder here.",
            "Your receipt.\n\nPayment\n\ndeclined\n\ninvoice",
            // A NUL inside a segment, beside the joining ones: the signals match the same.
            "Your receipt\n\nYour order \u{0} number",
            "Sale\n\n20% off\n\nshop now. Your invoice",
        ];
        for text in texts {
            let doc = Document::parse(text.to_string(), Format::Markdown, &c);
            assert!(doc.segments.len() > 1, "{text:?}: {}", doc.segments.len());
            if text.contains('\0') {
                assert!(
                    doc.segments.iter().any(|s| s.text.contains('\0')),
                    "{text:?}"
                );
            }
            for signals in [&TRANSACTIONAL_SIGNALS, &MARKETING_SIGNALS] {
                let (mut joined, mut each) = (Vec::new(), Vec::new());
                found_in_segments(signals, &doc.segments, &mut joined);
                for seg in &doc.segments {
                    found(signals, &seg.text, &mut each);
                }
                assert_eq!(joined, each, "{text:?}");
            }
        }
    }

    #[test]
    fn web_page_markers_and_transaction_fields_are_found_as_searches_one_by_one_find_them() {
        let texts = [
            "",
            "<p>Hi</p>",
            "<FORM action=x><NaV>",
            "<header><script src=a.js>",
            "<head><scrip <nav",
            "<<<<form",
        ];
        for text in texts {
            let one_by_one = WEB_PAGE_MARKERS
                .iter()
                .find(|m| contains_ci(text, m))
                .copied();
            assert_eq!(
                first_contained_ci(text, WEB_PAGE_MARKERS),
                one_by_one,
                "{text:?}"
            );
        }
        for v in [
            "order_id",
            "customer.first_name",
            "x.delivery_date",
            "gift_card",
            "gift_card.code",
            "",
        ] {
            let one_by_one = TRANSACTIONAL_FIELDS.iter().any(|t| v.contains(t));
            assert_eq!(transactional_fields().is_match(v), one_by_one, "{v:?}");
        }
    }
}
