//! Choosing rules: `--select`, `--ignore` and severity overrides name rules by id, pack name or glob
//! (`body.*`, `spend.quoted-*`).

use crate::pack::RuleInfo;
use globset::{Glob, GlobMatcher};

/// One selector: a rule id, a pack name or a glob over rule ids.
#[derive(Debug, Clone)]
pub struct Selector {
    text: String,
    glob: GlobMatcher,
}

impl Selector {
    /// Parses a selector.
    pub fn new(text: &str) -> Result<Self, String> {
        let glob = Glob::new(text)
            .map_err(|e| format!("invalid rule selector `{text}`: {e}"))?
            .compile_matcher();
        Ok(Self {
            text: text.to_string(),
            glob,
        })
    }

    /// True when the selector names this rule: its id, its pack, or a glob that fits the id.
    pub fn matches(&self, rule: &RuleInfo) -> bool {
        self.text == rule.pack || self.text == "ALL" || self.glob.is_match(&rule.id)
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Which rules run: those that a `select` entry names (all when `select` is empty), minus those an
/// `ignore` entry names.
#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    /// Rules to run; empty means all.
    pub select: Vec<Selector>,
    /// Rules not to run.
    pub ignore: Vec<Selector>,
}

impl RuleFilter {
    /// True when `rule` should run.
    pub fn allows(&self, rule: &RuleInfo) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.matches(rule)))
            && !self.ignore.iter().any(|s| s.matches(rule))
    }
}

/// Parses a list of selectors, naming the first bad one.
pub fn parse_selectors(items: &[String]) -> Result<Vec<Selector>, String> {
    items.iter().map(|s| Selector::new(s)).collect()
}

/// The names selectors may use: every loaded rule id and pack name (and creeplint's own rules).
/// A selector that names none of them is a typo until proven otherwise.
#[derive(Debug, Clone, Default)]
pub struct KnownRules {
    rules: Vec<RuleInfo>,
    packs: Vec<String>,
}

impl KnownRules {
    /// The names of `rules` and their packs.
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a RuleInfo>) -> Self {
        let rules: Vec<RuleInfo> = rules.into_iter().cloned().collect();
        let mut packs: Vec<String> = rules.iter().map(|r| r.pack.clone()).collect();
        packs.sort();
        packs.dedup();
        Self { rules, packs }
    }

    /// True when `selector` names at least one loaded rule or pack.
    pub fn knows(&self, selector: &Selector) -> bool {
        selector.as_str() == "ALL"
            || self.packs.iter().any(|p| p == selector.as_str())
            || self.rules.iter().any(|r| selector.matches(r))
    }

    /// The loaded rule id or pack name closest to `text`, if one is close enough to be a typo of it.
    pub fn closest(&self, text: &str) -> Option<&str> {
        let names = self
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(self.packs.iter().map(String::as_str));
        // A glob is compared without its wildcard part: `spnd.*` against the pack `spend`.
        let stem = text.trim_end_matches(['*', '?', '.']);
        names
            .map(|n| (strsim::damerau_levenshtein(stem, n), n))
            .filter(|(d, n)| *d <= (n.chars().count() / 3).max(1))
            .min()
            .map(|(_, n)| n)
    }

    /// "`spnd` names no loaded rule or pack (did you mean `spend`?)".
    pub fn unknown_message(&self, text: &str) -> String {
        let mut message = format!("`{text}` names no loaded rule or pack");
        match self.closest(text) {
            Some(near) => message.push_str(&format!(" (did you mean `{near}`?)")),
            None => message.push_str(" (`creeplint rules` lists them)"),
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> RuleInfo {
        RuleInfo {
            id: id.to_string(),
            pack: id.split('.').next().unwrap_or(id).to_string(),
            ..crate::suppress::unused_directive_rule()
        }
    }

    #[test]
    fn known_rules_tell_typos_from_names_and_suggest_the_closest() {
        let rules = [
            rule("spend.quoted-total"),
            rule("spend.price-paid"),
            rule("body.size"),
        ];
        let known = KnownRules::new(&rules);
        for name in ["spend", "spend.*", "spend.quoted-*", "body.size", "ALL"] {
            assert!(known.knows(&Selector::new(name).unwrap()), "{name}");
        }
        for typo in ["spnd", "spend.quoted-totl", "bdy.*", "nothing"] {
            assert!(!known.knows(&Selector::new(typo).unwrap()), "{typo}");
        }
        assert_eq!(known.closest("spnd"), Some("spend"));
        assert_eq!(
            known.closest("spend.quoted-totl"),
            Some("spend.quoted-total")
        );
        assert_eq!(known.closest("bdy.*"), Some("body"));
        assert_eq!(known.closest("nothing"), None);
        assert!(known
            .unknown_message("nothing")
            .contains("`creeplint rules` lists them"));
    }
}
