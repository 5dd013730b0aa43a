//! `creeplint explain RULE`: a rule's documentation, from the pack itself.

use super::outln;
use super::{print_error, set_color, settings_and_packs, Exit};
use crate::cli::{ColorArg, ExplainArgs};
use colored::Colorize;
use creeplint::config::Overrides;
use creeplint::pack::vocab::Vocabulary;
use creeplint::pack::{Rule, RuleInfo};

pub fn run(args: ExplainArgs) -> Exit {
    set_color(ColorArg::Auto);
    let (_, packs) = match settings_and_packs(&args.sources, Overrides::default()) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Some(rule) = packs.rule(&args.rule) {
        print_rule(&rule.info);
        if !rule.inside.is_empty() {
            outln!(
                "\n{}\n  only copy inside a template branch on a field of kind {}",
                "Where".bold(),
                rule.inside.join(", ")
            );
        }
        print_frames(rule, &packs.vocabulary);
        return Exit::Clean;
    }
    if let Some(pack) = packs.packs.iter().find(|p| p.name == args.rule) {
        outln!("{} — {}\n", pack.name.bold(), pack.description);
        for r in &pack.rules {
            outln!(
                "  {:<40} {:<8} {}",
                r.info.id,
                r.info.severity,
                r.info.message
            );
        }
        outln!("\nRun `creeplint explain RULE` for one rule.");
        return Exit::Clean;
    }
    let close: Vec<&str> = packs
        .rules()
        .map(|r| r.info.id.as_str())
        .filter(|id| {
            let wanted = args.rule.to_ascii_lowercase();
            id.contains(&wanted) || wanted.split('.').next().is_some_and(|p| id.starts_with(p))
        })
        .take(8)
        .collect();
    let typo_of = creeplint::lint::known_rules(&packs)
        .closest(&args.rule)
        .map(str::to_string);
    let hint = if let (true, Some(near)) = (close.is_empty(), typo_of) {
        format!("did you mean `{near}`?")
    } else if close.is_empty() {
        "run `creeplint rules` to list every rule".to_string()
    } else {
        format!("did you mean one of: {}?", close.join(", "))
    };
    print_error(&format!("no rule or pack named `{}`; {hint}", args.rule));
    Exit::Error
}

/// Which message kinds the rule judges, with any severity of its own per kind.
fn judged_kinds(r: &RuleInfo) -> String {
    let kinds: Vec<String> = r
        .kinds
        .iter()
        .map(|k| match r.kind_severity.iter().find(|(kk, _)| kk == k) {
            Some((_, s)) => format!("{k} ({s})"),
            None => k.to_string(),
        })
        .collect();
    let default = r.kinds == creeplint::kinds::Kind::DEFAULT_JUDGED;
    let note = if default {
        " (not docs)"
    } else {
        " only (`creeplint kinds PATH` shows each file's kind)"
    };
    format!("{}{note}", kinds.join(", "))
}

fn print_rule(r: &RuleInfo) {
    outln!("{} ({}, pack `{}`)", r.id.bold(), r.severity, r.pack);
    outln!("{}\n", r.message);
    outln!("{}\n  {}\n", "Why it is creepy".bold(), r.why);
    outln!("{}\n  {}\n", "How to rewrite it".bold(), r.suggest);
    outln!("{}\n  {}\n", "Judges".bold(), judged_kinds(r));
    outln!("{}", "Flagged".bold());
    for ex in &r.bad_examples {
        outln!("  {} {ex}", "✗".red());
    }
    outln!("\n{}", "Fine".bold());
    for ex in &r.good_examples {
        outln!("  {} {ex}", "✓".green());
    }
    outln!("\nDefined in {}", r.origin);
}

/// The frames a rule crosses with its lexicons: each frame's shape and sample, each lexicon's
/// size and first terms.
fn print_frames(rule: &Rule, vocabulary: &Vocabulary) {
    if rule.frames.is_empty() {
        return;
    }
    outln!(
        "\n{}",
        "Frames (each filled with every lexicon below)".bold()
    );
    for name in &rule.frames {
        let Some(frame) = vocabulary.frames.get(name) else {
            continue;
        };
        let strong = if frame.strong { ", strong" } else { "" };
        outln!(
            "  {} ({} terms{strong}): {}",
            frame.name.bold(),
            frame.class.as_str(),
            frame.description
        );
        outln!("    e.g. {}", frame.sample.replace("{slot}", "[term]"));
    }
    outln!("\n{}", "Lexicons".bold());
    for name in &rule.lexicons {
        let Some(lex) = vocabulary.lexicons.get(name) else {
            continue;
        };
        let first: Vec<&str> = lex.terms.iter().take(6).map(|t| t.text.as_str()).collect();
        outln!(
            "  {} ({} terms, pack `{}`): {}; e.g. {}",
            lex.name.bold(),
            lex.terms.len(),
            lex.pack,
            lex.description,
            first.join(", ")
        );
    }
}
