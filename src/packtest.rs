//! `rules test`: every rule's bad examples must be flagged by that rule, and every good example by no
//! rule of its pack. The same check runs in the test suite over every built-in pack.

use crate::lint::Linter;
use crate::pack::{Pack, PackSet, Rule};

/// Every frame of `rule` with a sample term of every lexicon that fills it: the frame's sample
/// must be flagged by the rule, its near misses must not be, and a weak term must not fire
/// through a frame that is not strong.
fn test_cross_product(set: &PackSet, linter: &Linter, rule: &Rule, report: &mut PackTestReport) {
    let id = &rule.info.id;
    let mut pairs: Vec<(&str, &str)> = rule
        .generated
        .iter()
        .map(|g| (g.frame.as_str(), g.lexicon.as_str()))
        .collect();
    pairs.dedup();
    let flagged_by_rule = |text: &str| {
        linter
            .check_example(text)
            .into_iter()
            .filter(|f| f.rule.id == *id)
            .collect::<Vec<_>>()
    };
    for (i, (frame, lexicon)) in pairs.into_iter().enumerate() {
        let (Some(frame), Some(lexicon)) = (
            set.vocabulary.frames.get(frame),
            set.vocabulary.lexicons.get(lexicon),
        ) else {
            continue;
        };
        let Some(term) = lexicon
            .sample(frame.class, false)
            .or_else(|| lexicon.sample(frame.class, frame.strong))
        else {
            continue;
        };
        let what = format!(
            "frame `{}` with `{term}` (lexicon `{}`)",
            frame.name, lexicon.name
        );
        let sample = frame.sample.replace("{slot}", term);
        if flagged_by_rule(&sample).is_empty() {
            report.failures.push(ExampleFailure {
                rule: id.clone(),
                kind: "frame",
                index: i + 1,
                text: sample,
                problem: format!("{what}: the frame's sample is not flagged by this rule"),
            });
        } else {
            report.passed += 1;
        }
        for miss in &frame.near_misses {
            let text = miss.replace("{slot}", term);
            let found = flagged_by_rule(&text);
            if let Some(f) = found.first() {
                report.failures.push(ExampleFailure {
                    rule: id.clone(),
                    kind: "near-miss",
                    index: i + 1,
                    problem: format!("{what}: near miss flagged at `{}`", f.matched),
                    text,
                });
            } else {
                report.passed += 1;
            }
        }
        if frame.strong {
            continue;
        }
        let weak = lexicon.terms_of(Some(frame.class), true).find(|t| t.weak);
        if let Some(weak) = weak {
            let text = frame.sample.replace("{slot}", &weak.text);
            let through_frame = flagged_by_rule(&text).into_iter().find(|f| {
                f.frame
                    .as_ref()
                    .is_some_and(|h| h.frame == frame.name && h.term == weak.text)
            });
            if let Some(f) = through_frame {
                report.failures.push(ExampleFailure {
                    rule: id.clone(),
                    kind: "weak",
                    index: i + 1,
                    problem: format!(
                        "weak term `{}` of lexicon `{}` fired through frame `{}`, which is not strong, at `{}`",
                        weak.text, lexicon.name, frame.name, f.matched
                    ),
                    text,
                });
            } else {
                report.passed += 1;
            }
        }
    }
}

/// One example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule whose example it is.
    pub rule: String,
    /// `bad`, `good`, `pattern`, `frame` (a frame's sample with a lexicon's term), `near-miss`
    /// (a frame's near miss) or `weak` (a weak term fired in a frame that is not strong).
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
            let all = rule.patterns.iter().chain(rule.context_patterns());
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
            test_cross_product(set, linter, rule, &mut report);
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
