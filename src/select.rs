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
