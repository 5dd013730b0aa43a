//! A finding: one creepy phrase at an exact place in a file.

use crate::pack::RuleInfo;
use crate::position::Position;
use crate::severity::Severity;
use std::ops::Range;
use std::sync::Arc;

/// A merge field inside a finding's match, and the kinds that make it sensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldNote {
    /// The variable as written in the template.
    pub variable: String,
    /// Its kinds (`money`, `body`...).
    pub kinds: Vec<String>,
}

/// What the model saw in a finding of a model rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelHit {
    /// The flagged copy's score, from 0 to 1.
    pub score: f32,
    /// The words and pairs of words that weighed most towards creepy, heaviest first.
    pub signals: Vec<String>,
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule that fired.
    pub rule: Arc<RuleInfo>,
    /// Severity after configuration overrides.
    pub severity: Severity,
    /// The file, as the user named it (forward slashes).
    pub path: Arc<str>,
    /// Byte range of the match in the file's decoded text.
    pub range: Range<usize>,
    /// Where the match starts.
    pub start: Position,
    /// Where it ends (exclusive: the column after the last character).
    pub end: Position,
    /// The original text matched (entities and merge tags as written).
    pub matched: String,
    /// The whole first line of the match, for snippets; shared by every finding on that line, so
    /// that many findings on one very long line do not each copy it. Empty from a linter built
    /// [`without_source_lines`](crate::lint::Linter::without_source_lines).
    pub line_text: Arc<str>,
    /// Merge fields inside the match.
    pub fields: Vec<FieldNote>,
    /// The frame and lexicon term behind the match, when a frame-generated pattern made it.
    pub frame: Option<crate::pack::vocab::FrameHit>,
    /// The model's judgement, for a finding of a model rule.
    pub model: Option<ModelHit>,
    /// Identity that survives edits elsewhere in the file (see [`crate::baseline`]); used by
    /// baselines and SARIF `partialFingerprints`.
    pub fingerprint: String,
}

impl Finding {
    /// The rule id.
    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    /// Sort key: file order, then position, then rule id.
    pub fn sort_key(&self) -> (usize, usize, &str) {
        (self.start.line, self.start.column, self.rule.id.as_str())
    }
}
