//! `rules test`: every rule's bad examples must be flagged by that rule, and every good example by no
//! rule of its pack. The same check runs in the test suite over every built-in pack.

use crate::lint::Linter;
use crate::pack::{Pack, PackSet};

/// One example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule whose example it is.
    pub rule: String,
    /// `bad` or `good`.
    pub kind: &'static str,
    /// 1-based index of the example in its list.
    pub index: usize,
    /// The example text.
    pub text: String,
    /// What went wrong.
    pub problem: String,
}

/// The outcome of testing some packs.
#[derive(Debug, Clone, Default)]
pub struct PackTestReport {
    /// Examples that behaved.
    pub passed: usize,
    /// Examples that did not.
    pub failures: Vec<ExampleFailure>,
}

/// Tests the examples of `packs` (all loaded packs when empty), with every loaded rule active.
pub fn test_packs(set: &PackSet, linter: &Linter, packs: &[&Pack]) -> PackTestReport {
    let mut report = PackTestReport::default();
    let chosen: Vec<&Pack> = if packs.is_empty() {
        set.packs.iter().collect()
    } else {
        packs.to_vec()
    };
    for pack in chosen {
        for rule in &pack.rules {
            let info = &rule.info;
            // `check` compiles a pattern only when a file needs it; here every one must compile.
            let near = rule.near.iter().flat_map(|n| n.patterns.iter());
            let all = rule.patterns.iter().chain(&rule.unless).chain(near);
            for (i, re) in all.enumerate() {
                if let Err(problem) = re.compiled() {
                    report.failures.push(ExampleFailure {
                        rule: info.id.clone(),
                        kind: "pattern",
                        index: i + 1,
                        text: re.as_str().to_string(),
                        problem: problem.to_string(),
                    });
                }
            }
            for (i, text) in info.bad_examples.iter().enumerate() {
                let findings = linter.check_example(text);
                if findings.iter().any(|f| f.rule.id == info.id) {
                    report.passed += 1;
                } else {
                    let others: Vec<&str> = findings.iter().map(|f| f.rule.id.as_str()).collect();
                    let problem = if others.is_empty() {
                        "not flagged by any rule".to_string()
                    } else {
                        format!("not flagged by this rule (only by {})", others.join(", "))
                    };
                    report.failures.push(ExampleFailure {
                        rule: info.id.clone(),
                        kind: "bad",
                        index: i + 1,
                        text: text.clone(),
                        problem,
                    });
                }
            }
            for (i, text) in info.good_examples.iter().enumerate() {
                let findings = linter.check_example(text);
                let flagged: Vec<String> = findings
                    .iter()
                    .filter(|f| f.rule.pack == pack.name)
                    .map(|f| format!("{} at `{}`", f.rule.id, f.matched))
                    .collect();
                if flagged.is_empty() {
                    report.passed += 1;
                } else {
                    report.failures.push(ExampleFailure {
                        rule: info.id.clone(),
                        kind: "good",
                        index: i + 1,
                        text: text.clone(),
                        problem: format!("flagged by {}", flagged.join(", ")),
                    });
                }
            }
        }
    }
    report
}
