//! `creeplint rules` (list), `creeplint rules test` and `creeplint rules eval`.

use super::outln;
use super::{print_error, settings_and_packs, Exit};
use crate::cli::{EvalFormatArg, RulesAction, RulesArgs};
use creeplint::config::Overrides;
use creeplint::eval::{evaluate, read_corpus, EvalReport, Rate};
use creeplint::lint::Linter;
use creeplint::packtest::test_packs;
use std::path::{Path, PathBuf};

pub fn run(args: RulesArgs) -> Exit {
    match args.action.unwrap_or(RulesAction::List) {
        RulesAction::List => list(&args.sources),
        RulesAction::Test { packs } => test(&args.sources, &packs),
        RulesAction::Eval { corpus, format } => eval(&args.sources, &corpus, format),
        RulesAction::Train { corpora, out } => train(&args.sources, &corpora, &out),
        RulesAction::ExportPatterns { starts } => export_patterns(&args.sources, starts),
    }
}

fn list(sources: &crate::cli::SourceArgs) -> Exit {
    // Listing needs no literals for the prefilter: loading skips them (docs/speed.md).
    let listing = super::settings(sources, Overrides::default())
        .and_then(|s| super::packs_with(&s, creeplint::lint::load_packs_listing));
    let packs = match listing {
        Ok(packs) => packs,
        Err(code) => return code,
    };
    // Left to the process's exit to free, as `check` does (docs/speed.md, fourth round).
    let packs = std::mem::ManuallyDrop::new(packs);
    let width = packs.rules().map(|r| r.info.id.len()).max().unwrap_or(10);
    for r in packs.rules() {
        outln!(
            "{:<width$}  {:<7}  {}",
            r.info.id,
            r.info.severity.as_str(),
            r.info.message
        );
    }
    Exit::Clean
}

/// One line per phrase or document pattern of the rules the config selects: the final regex
/// (macros expanded, ASCII classes, flags), which `rg -f` can run over the same files.
/// With `starts`, what the prefilter knows of each pattern instead: a pattern without start
/// literals scans every segment that holds its required literals.
fn export_patterns(sources: &crate::cli::SourceArgs, starts: bool) -> Exit {
    let (settings, packs) = match settings_and_packs(sources, Overrides::default()) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let linter = Linter::new(&packs, settings);
    for rule in linter.engine().rules() {
        for (i, re) in rule.patterns.iter().enumerate() {
            if !starts {
                outln!("{}", re.as_str());
                continue;
            }
            let from = match i.checked_sub(rule.generated_from) {
                Some(g) => format!("{}+{}", rule.generated[g].frame, rule.generated[g].lexicon),
                None => format!("pattern {}", i + 1),
            };
            let start = re.starts().map_or("-".to_string(), |s| {
                // `r`: some starts follow a run of non-spaces (a sentence-start pattern).
                format!(
                    "{}{}{}",
                    s.literals.len() + s.rewind.len(),
                    if s.word_start { "w" } else { "" },
                    if s.rewind.is_empty() { "" } else { "r" }
                )
            });
            let sets: Vec<String> = re.literals().iter().map(|s| s.len().to_string()).collect();
            outln!(
                "{}\t{from}\tstarts {start}\tsets [{}]\t{} bytes",
                rule.info.id,
                sets.join(","),
                re.as_str().len()
            );
        }
    }
    Exit::Clean
}

fn test(sources: &crate::cli::SourceArgs, names: &[String]) -> Exit {
    // Arguments that are pack files are loaded as extra packs and tested by name.
    let mut overrides = Overrides::default();
    let mut wanted_files = Vec::new();
    let mut wanted_names = Vec::new();
    for n in names {
        let p = Path::new(n);
        if n.ends_with(".toml") || p.is_file() {
            overrides.packs.push(p.to_path_buf());
            wanted_files.push(creeplint::config::absolute(p));
        } else {
            wanted_names.push(n.clone());
        }
    }
    let (settings, set) = match settings_and_packs(sources, overrides) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let mut chosen = Vec::new();
    for name in &wanted_names {
        match set.packs.iter().find(|p| &p.name == name) {
            Some(p) => chosen.push(p),
            None => {
                let known: Vec<&str> = set.packs.iter().map(|p| p.name.as_str()).collect();
                print_error(&format!(
                    "no pack named `{name}` (loaded: {})",
                    known.join(", ")
                ));
                return Exit::Error;
            }
        }
    }
    for file in &wanted_files {
        chosen.extend(
            set.packs
                .iter()
                .filter(|p| !p.builtin && creeplint::config::absolute(&p.path) == *file),
        );
    }
    // Examples run with every rule on, whatever the config selects.
    let mut all = settings.clone();
    all.filter = Default::default();
    all.severity.clear();
    let linter = Linter::new(&set, all);
    let report = test_packs(&set, &linter, &chosen);
    for f in &report.failures {
        let list = match f.kind {
            "bad" | "good" => format!("examples.{}", f.kind),
            other => other.to_string(),
        };
        outln!("FAIL {} {list}[{}]: {}", f.rule, f.index, f.problem);
        outln!("     {:?}", f.text);
    }
    outln!("{} passed, {} failed", report.passed, report.failures.len());
    if report.failures.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    }
}

/// A measuring tool: exits 0 whatever the figures, 2 when the corpus or packs cannot be read.
fn eval(sources: &crate::cli::SourceArgs, corpus: &Path, format: EvalFormatArg) -> Exit {
    let (settings, set) = match settings_and_packs(sources, Overrides::default()) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let rows = match read_corpus(corpus) {
        Ok(rows) => rows,
        Err(e) => {
            print_error(&e);
            return Exit::Error;
        }
    };
    let linter = Linter::new(&set, settings);
    let report = evaluate(&linter, &rows);
    match format {
        EvalFormatArg::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => outln!("{json}"),
            Err(e) => {
                print_error(&e);
                return Exit::Error;
            }
        },
        EvalFormatArg::Human => print_eval(&report),
    }
    Exit::Clean
}

/// `rules train`: fits a model to the corpora and writes it, refusing to overwrite a corpus.
fn train(sources: &crate::cli::SourceArgs, corpora: &[PathBuf], out: &Path) -> Exit {
    use creeplint::model::train::{examples, train, BUILTIN_PARAMS};
    if out.extension().is_none_or(|x| x != "model") {
        print_error(&format!(
            "{}: a model file must end in `.model`",
            out.display()
        ));
        return Exit::Error;
    }
    let same = |c: &PathBuf| match (c.canonicalize(), out.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(c) = corpora.iter().find(|c| same(c)) {
        print_error(&format!(
            "{}: is a corpus; the model goes to another file",
            c.display()
        ));
        return Exit::Error;
    }
    let (_, set) = match settings_and_packs(sources, Overrides::default()) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let examples = match examples(corpora, &set.classifier) {
        Ok(examples) => examples,
        Err(e) => {
            print_error(&e);
            return Exit::Error;
        }
    };
    let creepy = examples.iter().filter(|e| e.creepy).count();
    if creepy == 0 || creepy == examples.len() {
        print_error(&"the corpora need both creepy and ok rows to learn from");
        return Exit::Error;
    }
    let model = train(&examples, BUILTIN_PARAMS);
    if let Err(e) = std::fs::write(out, model.to_bytes()) {
        print_error(&format!("{}: {e}", out.display()));
        return Exit::Error;
    }
    let sentences = examples.iter().filter(|e| e.sentence).count();
    let rows = examples.len() - sentences;
    eprintln!(
        "trained on {rows} rows ({creepy} creepy, {} ok) and {sentences} sentences of the ok rows \
         on their own; wrote {}",
        rows - creepy,
        out.display()
    );
    Exit::Clean
}

fn print_eval(report: &EvalReport) {
    let width = report
        .recall
        .iter()
        .chain(&report.false_positive)
        .map(|r| r.category.len())
        .max()
        .unwrap_or(0)
        .max("overall".len());
    let row = |r: &Rate| {
        let rate = r.rate.map_or("n/a".to_string(), |v| format!("{v:.2}"));
        let count = format!("{}/{}", r.flagged, r.total);
        outln!("  {:<width$}  {rate:>5}  {count:>9}", r.category);
    };
    outln!("recall (creepy rows flagged)");
    report.recall.iter().for_each(row);
    row(&report.overall_recall);
    outln!();
    outln!("false-positive rate (ok rows flagged)");
    report.false_positive.iter().for_each(row);
    row(&report.overall_false_positive);
    if !report.missed.is_empty() {
        outln!();
        outln!("missed creepy rows ({}):", report.missed.len());
        for m in &report.missed {
            outln!("  {} [{}] {}", m.row.id, m.row.category, m.row.text);
        }
    }
    if !report.flagged_ok.is_empty() {
        outln!();
        outln!("flagged ok rows ({}):", report.flagged_ok.len());
        for m in &report.flagged_ok {
            outln!("  {} [{}] {}", m.row.id, m.row.category, m.row.text);
            for h in &m.hits {
                outln!("      {} at `{}`", h.rule, h.matched);
            }
        }
    }
}
