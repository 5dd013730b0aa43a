//! Inline suppression directives, written inside a file's own comments:
//!
//! - `creeplint-disable-next-line [RULE...]`: the line after the comment;
//! - `creeplint-disable-line [RULE...]`: the line(s) the comment is on;
//! - `creeplint-disable [RULE...]` ... `creeplint-enable [RULE...]`: a range (to the end of the file
//!   when not closed).
//!
//! No rule named means every rule. Rules are named like `--select`: ids, pack names or globs,
//! separated by spaces or commas. Text after ` -- ` is a reason for people and is ignored.
//!
//! A directive whose rule list does not parse (`spend.{quoted`) suppresses nothing and is reported
//! as a `creeplint.bad-directive` finding; one that names no loaded rule or pack is an error
//! note on its file (the run exits 2), with a did-you-mean.

use crate::select::Selector;
use crate::source::Comment;
use crate::Finding;
use std::ops::RangeInclusive;

/// What a directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `creeplint-disable-next-line`.
    NextLine,
    /// `creeplint-disable-line`.
    Line,
    /// `creeplint-disable`.
    Disable,
    /// `creeplint-enable`.
    Enable,
}

/// One directive found in a comment.
#[derive(Debug, Clone)]
pub struct Directive {
    /// What it does.
    pub kind: Kind,
    /// The rules it names; empty means all rules.
    pub rules: Vec<Selector>,
    /// Byte offset of the directive keyword in the file.
    pub offset: usize,
    /// Byte offset just past the comment holding it.
    pub comment_end: usize,
    /// The lines the comment spans (1-based).
    pub lines: RangeInclusive<usize>,
}

impl Directive {
    fn names(&self, rule: &crate::pack::RuleInfo) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|s| s.matches(rule))
    }

    /// The directive as written, for messages: `creeplint-disable-line spend.*`.
    pub fn describe(&self) -> String {
        let keyword = match self.kind {
            Kind::NextLine => "creeplint-disable-next-line",
            Kind::Line => "creeplint-disable-line",
            Kind::Disable => "creeplint-disable",
            Kind::Enable => "creeplint-enable",
        };
        let rules: Vec<&str> = self.rules.iter().map(Selector::as_str).collect();
        if rules.is_empty() {
            keyword.to_string()
        } else {
            format!("{keyword} {}", rules.join(" "))
        }
    }
}

/// A malformed directive: its offset in the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDirective {
    /// Byte offset of the directive.
    pub offset: usize,
    /// Byte offset of the end of its line (or comment).
    pub end: usize,
    /// What is wrong.
    pub message: String,
}

const KEYWORDS: &[(&str, Kind)] = &[
    ("creeplint-disable-next-line", Kind::NextLine),
    ("creeplint-disable-line", Kind::Line),
    ("creeplint-disable", Kind::Disable),
    ("creeplint-enable", Kind::Enable),
];

/// Finds the directives in `comments`. `line_of` maps a byte offset to its 1-based line.
pub fn parse(
    comments: &[Comment],
    line_of: impl Fn(usize) -> usize,
) -> (Vec<Directive>, Vec<BadDirective>) {
    let mut directives = Vec::new();
    let mut bad = Vec::new();
    for c in comments {
        let mut search = 0;
        while let Some(found) = c.text[search..].find("creeplint-") {
            let at = search + found;
            let rest = &c.text[at..];
            let Some((keyword, kind)) = KEYWORDS.iter().find(|(k, _)| {
                rest.starts_with(k)
                    && !rest[k.len()..]
                        .chars()
                        .next()
                        .is_some_and(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_')
            }) else {
                search = at + "creeplint-".len();
                continue;
            };
            let args_start = at + keyword.len();
            // Arguments run to the end of the line, or to ` -- ` (a reason).
            let line_end = c.text[args_start..]
                .find('\n')
                .map_or(c.text.len(), |i| args_start + i);
            let args = &c.text[args_start..line_end];
            let args = args.split(" --").next().unwrap_or("");
            let mut rules = Vec::new();
            let mut malformed = None;
            for token in args
                .split(|ch: char| ch.is_whitespace() || ch == ',')
                .filter(|t| !t.is_empty())
            {
                match Selector::new(token) {
                    Ok(s) => rules.push(s),
                    Err(m) => {
                        malformed.get_or_insert(m);
                    }
                }
            }
            // A directive with a selector that does not parse suppresses nothing: dropping only
            // the bad selector could leave none, and no selector means every rule.
            if let Some(message) = malformed {
                bad.push(BadDirective {
                    offset: c.range.start + at,
                    end: c.range.start + line_end,
                    message,
                });
                search = line_end;
                continue;
            }
            directives.push(Directive {
                kind: *kind,
                rules,
                offset: c.range.start + at,
                comment_end: c.range.end,
                lines: line_of(c.range.start)
                    ..=line_of(c.range.end.saturating_sub(1).max(c.range.start)),
            });
            search = line_end;
        }
    }
    directives.sort_by_key(|d| d.offset);
    (directives, bad)
}

/// Which directive, if any, suppresses `finding`.
fn suppressor(directives: &[Directive], finding: &Finding) -> Option<usize> {
    let line = finding.start.line;
    let rule = &finding.rule;
    for (i, d) in directives.iter().enumerate() {
        let hit = match d.kind {
            Kind::NextLine => line == d.lines.end() + 1,
            Kind::Line => d.lines.contains(&line),
            _ => false,
        };
        if hit && d.names(rule) {
            return Some(i);
        }
    }
    // Ranges: the last `disable` before the finding that names its rule suppresses it, unless an
    // `enable` naming the rule (or naming no rule) comes between them.
    let before = directives
        .iter()
        .take_while(|d| d.comment_end <= finding.range.start)
        .count();
    let last = (0..before)
        .rev()
        .find(|&i| directives[i].kind == Kind::Disable && directives[i].names(rule))?;
    let reenabled = directives[last + 1..before]
        .iter()
        .any(|d| d.kind == Kind::Enable && d.names(rule));
    (!reenabled).then_some(last)
}

/// The id of the finding that `--report-unused-directives` reports.
pub const UNUSED_DIRECTIVE: &str = "creeplint.unused-directive";

/// The built-in rule behind unused-directive findings, so that they flow through every output
/// format, `--select`, baselines and severity overrides like any other finding.
pub fn unused_directive_rule() -> crate::pack::RuleInfo {
    crate::pack::RuleInfo {
        id: UNUSED_DIRECTIVE.to_string(),
        pack: "creeplint".to_string(),
        severity: crate::severity::Severity::Info,
        message: "This creeplint directive suppresses nothing".to_string(),
        why: "A stale directive would silently hide a creepy phrase added to this spot later."
            .to_string(),
        suggest: "Remove the directive, or name the rule it should suppress.".to_string(),
        scope: crate::pack::schema::Scope::Phrase,
        bad_examples: Vec::new(),
        good_examples: Vec::new(),
        patterns: Vec::new(),
        origin: crate::error::Location::file("<built-in>"),
        kinds: crate::kinds::Kind::ALL.to_vec(),
        kind_severity: Vec::new(),
    }
}

/// The id of the finding reported for a directive that cannot be parsed.
pub const BAD_DIRECTIVE: &str = "creeplint.bad-directive";

/// The built-in rule behind bad-directive findings: a directive whose rule list does not parse
/// suppresses nothing, and says so as a finding at its own place.
pub fn bad_directive_rule() -> crate::pack::RuleInfo {
    crate::pack::RuleInfo {
        id: BAD_DIRECTIVE.to_string(),
        severity: crate::severity::Severity::Warning,
        message: "This creeplint directive cannot be parsed, so it suppresses nothing".to_string(),
        why: "A directive with a typo must not silently switch rules off (or on).".to_string(),
        suggest: "Name rules by id, pack or glob (`spend.quoted-total`, `spend`, `spend.*`), separated by spaces or commas; put a reason after ` -- `.".to_string(),
        ..unused_directive_rule()
    }
}

/// Removes suppressed findings. Returns, for each directive, how many findings it suppressed.
pub fn apply(directives: &[Directive], findings: &mut Vec<Finding>) -> Vec<usize> {
    let mut used = vec![0; directives.len()];
    if directives.is_empty() {
        return used;
    }
    findings.retain(|f| match suppressor(directives, f) {
        Some(i) => {
            used[i] += 1;
            false
        }
        None => true,
    });
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str, at: usize) -> Comment {
        Comment {
            range: at..at + text.len(),
            text: text.to_string(),
        }
    }

    #[test]
    fn parses_keywords_rules_and_reasons() {
        let cs = [
            comment(" creeplint-disable-next-line spend.*, body -- receipts ", 0),
            comment("creeplint-disable-line", 100),
            comment("creeplint-enable", 200),
            comment("creeplint-disabled is not a directive", 300),
        ];
        let (ds, bad) = parse(&cs, |o| o / 100 + 1);
        assert!(bad.is_empty());
        assert_eq!(ds.len(), 3);
        assert_eq!(ds[0].kind, Kind::NextLine);
        let names: Vec<&str> = ds[0].rules.iter().map(Selector::as_str).collect();
        assert_eq!(names, ["spend.*", "body"]);
        assert_eq!(ds[1].kind, Kind::Line);
        assert!(ds[1].rules.is_empty());
        assert_eq!(ds[2].kind, Kind::Enable);
    }
}
