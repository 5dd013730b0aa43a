//! The built-in packs as a user runs them: their own examples, the floors on the labelled corpus, and
//! `rules eval` itself on corpora with known figures.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

const PACKS: &[&str] = &[
    "body",
    "consent",
    "life-events",
    "location",
    "sensitive",
    "spend",
    "surveillance",
    "third-party",
    "timing",
];

/// The recall tests/corpus/templates2 is held to after tuning on it (it reached 0.98, 64/65).
const TEMPLATES2_FLOOR: f64 = 0.95;
/// The recall tests/corpus/templates3 is held to: scored once untouched (34/41), then tuned on by
/// class (37/41).
const TEMPLATES3_FLOOR: f64 = 0.85;

fn creeplint() -> Command {
    common::creeplint(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn eval_json(args: &[&str]) -> Value {
    eval_json_with(&[], args)
}

/// `rules SOURCES eval --format json ARGS`.
fn eval_json_with(sources: &[&str], args: &[&str]) -> Value {
    let out = creeplint()
        .args(["rules", "--no-config"])
        .args(sources)
        .args(["eval", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "eval failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("eval prints JSON")
}

fn rate(v: &Value) -> f64 {
    v["rate"].as_f64().expect("a rate")
}

#[test]
fn every_builtin_pack_is_loaded() {
    let out = creeplint()
        .args(["rules", "--no-config", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    for pack in PACKS {
        assert!(
            listed.lines().any(|l| l.starts_with(&format!("{pack}."))),
            "no rule of pack `{pack}` in `rules list`"
        );
    }
}

#[test]
fn builtin_packs_pass_their_own_examples() {
    // One run over every loaded pack; a failure names the rule and the example.
    creeplint()
        .args(["rules", "--no-config", "test"])
        .assert()
        .success()
        .stdout(predicate::str::contains(" 0 failed"))
        .stdout(predicate::str::contains("FAIL").not());
}

fn assert_floors(corpus: &str) {
    assert_floors_at(corpus, 0.90, 0.05);
}

/// Recall of at least `recall` in every creepy category and overall, and at most `fp` of the ok
/// rows flagged.
fn assert_floors_at(corpus: &str, recall_floor: f64, fp_ceiling: f64) {
    let report = eval_json(&[corpus]);
    let recall = report["recall"].as_array().unwrap();
    assert!(
        recall.len() >= 9,
        "{corpus}: expected every creepy category"
    );
    for r in recall {
        assert!(
            rate(r) >= recall_floor,
            "{corpus}: recall for {} is {} ({}/{})",
            r["category"],
            rate(r),
            r["flagged"],
            r["total"]
        );
    }
    assert!(
        rate(&report["overall_recall"]) >= recall_floor,
        "{corpus}: overall recall"
    );
    let fp = &report["overall_false_positive"];
    assert!(
        rate(fp) <= fp_ceiling,
        "{corpus}: {} of {} ok rows flagged: {:#}",
        fp["flagged"],
        fp["total"],
        report["flagged_ok"]
    );
}

/// Overall recall of at least `recall_floor` and at most `fp_ceiling` of the ok rows flagged (for
/// batches too small to hold every category).
fn assert_overall_at(corpus: &str, recall_floor: f64, fp_ceiling: f64) {
    let report = eval_json(&[corpus]);
    assert!(
        rate(&report["overall_recall"]) >= recall_floor,
        "{corpus}: {:#}",
        report["missed"]
    );
    assert!(
        rate(&report["overall_false_positive"]) <= fp_ceiling,
        "{corpus}: {:#}",
        report["flagged_ok"]
    );
}

#[test]
fn dev_corpus_meets_the_floors() {
    // Issue 15's target for the whole dev corpus: 0.95 in every category, at most 2% flagged.
    assert_floors_at("tests/corpus/messages.tsv", 0.95, 0.02);
}

#[test]
fn fresh_batches_tuned_on_meet_the_overall_floors() {
    // heldout9-16 were scored once before tuning (tests/corpus/HELDOUT.md) and then tuned on by
    // class of copy; six or seven rows per category, so only the overall figures are held, at
    // issue 15's bar for fresh copy (recall 0.85, at most 3% of ok rows flagged).
    for corpus in [
        "tests/corpus/heldout9.tsv",
        "tests/corpus/heldout10.tsv",
        "tests/corpus/heldout11.tsv",
        "tests/corpus/heldout12.tsv",
        "tests/corpus/heldout13.tsv",
        "tests/corpus/heldout14.tsv",
        "tests/corpus/heldout15.tsv",
        "tests/corpus/heldout16.tsv",
    ] {
        assert_overall_at(corpus, 0.85, 0.03);
    }
}

#[test]
fn the_newest_blind_batch_holds_its_untouched_score() {
    // heldout21, templates7 and heldout24 were written blind (their writers read no pack and
    // never ran creeplint) and scored once, untouched: heldout21 0.56 (56/100) with 0/85 ok rows
    // flagged, templates7 32/50 with no false line, heldout24 0.43 (43/100) with 4/85 ok rows
    // flagged (tests/corpus/HELDOUT.md). These floors guard the honest figures; they are not
    // issue 15's target, and heldout24's four false positives are left as measured.
    assert_overall_at("tests/corpus/heldout21.tsv", 0.55, 0.03);
    assert_overall_at("tests/corpus/heldout24.tsv", 0.42, 0.05);
    assert_template_floor("tests/corpus/templates7", 50, 0.62);
}

#[test]
fn the_blind_batches_held_out_of_training_hold_their_untouched_scores() {
    // heldout29 and heldout30 (with templates15 and templates16) were written blind, kept out of
    // the model's training by held-out.txt and scored once, untouched: 0.73 with 4/85 ok rows
    // flagged, 0.84 with 1/85; 39/53 and 42/52, no false line (tests/corpus/HELDOUT.md). The
    // floors guard those honest figures; they are not issue 15's target.
    assert_overall_at("tests/corpus/heldout29.tsv", 0.72, 0.05);
    assert_overall_at("tests/corpus/heldout30.tsv", 0.83, 0.012);
    assert_template_at("tests/corpus/templates15", 53, 0.73, 0);
    assert_template_at("tests/corpus/templates16", 52, 0.80, 0);
}

#[test]
fn the_batches_of_the_first_model_rounds_hold_their_tuned_scores() {
    // heldout27 and heldout28 (with templates13 and templates14) were written blind and scored
    // once (0.81 with 2/85 ok rows flagged, 0.88 with 2/85; 39/54 with 2 false lines, 42/52 with
    // none: tests/corpus/HELDOUT.md); they are training data now, held near their tuned figures
    // (0.87, 0/85; 0.93, 2/85; 38/54 with 2 false lines; 43/52 with none).
    assert_overall_at("tests/corpus/heldout27.tsv", 0.85, 0.02);
    assert_overall_at("tests/corpus/heldout28.tsv", 0.90, 0.03);
    assert_template_at("tests/corpus/templates13", 54, 0.70, 2);
    assert_template_at("tests/corpus/templates14", 52, 0.80, 0);
    // heldout26 and templates12 were written blind, kept out of the model's training and scored
    // once (heldout26 0.76 with 0/85 ok rows flagged, templates12 41/52 with 4 false lines:
    // tests/corpus/HELDOUT.md); they are training data now, held near their tuned figures (0.94,
    // 0/85; 42/52 with 1 false line).
    assert_overall_at("tests/corpus/heldout26.tsv", 0.90, 0.01);
    assert_template_at("tests/corpus/templates12", 52, 0.78, 2);
    // heldout25 and templates11, scored untouched at 0.50 and 29/49 by the rules alone, are
    // training data too (0.88, 1/85; 40/49, whose 2 false lines are the pack's "Welcome home"
    // title and the model's ride-hailing tagline).
    assert_overall_at("tests/corpus/heldout25.tsv", 0.85, 0.02);
    assert_template_at("tests/corpus/templates11", 49, 0.80, 2);
    // The training copy of the letter n-gram round: the model must still tell its own rows apart.
    assert_overall_at("tests/corpus/train27.tsv", 0.85, 0.02);
    let benign = eval_json(&["tests/corpus/email-lines.tsv"]);
    assert!(
        rate(&benign["overall_false_positive"]) <= 0.02,
        "email-lines.tsv: {:#}",
        benign["flagged_ok"]
    );
}

#[test]
fn the_last_blind_batches_hold_their_tuned_scores() {
    // heldout17-20 and templates4-6 were written blind, scored once untouched (0.75, 0.73, 0.65,
    // 0.51; templates 0.75, 0.78, 0.56: tests/corpus/HELDOUT.md), then tuned on by class of copy.
    // They are held near their tuned figures, with no false line in the templates. probe17, the
    // lead's fresh probe of heldout17's round, is held at its figure too (0.84, 1/50).
    for (corpus, floor) in [
        ("tests/corpus/heldout17.tsv", 0.85),
        ("tests/corpus/heldout18.tsv", 0.85),
        ("tests/corpus/heldout19.tsv", 0.95),
        ("tests/corpus/heldout20.tsv", 0.95),
        ("tests/corpus/probe17.tsv", 0.80),
        // heldout22 and heldout23, scored untouched at 0.59 and 0.56, then tuned on.
        ("tests/corpus/heldout22.tsv", 0.90),
        ("tests/corpus/heldout23.tsv", 0.95),
    ] {
        assert_overall_at(corpus, floor, 0.03);
    }
    assert_template_floor("tests/corpus/templates4", 48, 0.90);
    assert_template_floor("tests/corpus/templates5", 50, 0.95);
    assert_template_floor("tests/corpus/templates6", 50, 0.95);
}

#[test]
fn heldout_corpora_meet_the_floors() {
    // Written by hand after the dev set, each measured once before any tuning against it (see
    // tests/corpus/HELDOUT.md); they stay here as regression sets.
    for corpus in [
        "tests/corpus/heldout.tsv",
        "tests/corpus/heldout2.tsv",
        "tests/corpus/heldout3.tsv",
        "tests/corpus/heldout4.tsv",
        "tests/corpus/heldout5.tsv",
        "tests/corpus/heldout6.tsv",
    ] {
        assert_floors(corpus);
    }
}

#[test]
fn small_heldout_corpora_meet_the_overall_floors() {
    // Five rows per category: one miss would be 0.80, so only the overall figures are held.
    for corpus in ["tests/corpus/heldout7.tsv", "tests/corpus/heldout8.tsv"] {
        assert_overall_at(corpus, 0.90, 0.05);
    }
}

#[test]
fn clean_newsletter_gets_no_finding() {
    creeplint()
        .args([
            "check",
            "--no-config",
            "tests/corpus/templates/clean_newsletter.html",
        ])
        .assert()
        .success();
}

const TINY_PACK: &str = r#"
[pack]
name = "tiny"
description = "Flags one phrase, so that eval figures are known"

[[rules]]
id = "tiny.spent"
severity = "error"
message = "m"
why = "w"
suggest = "s"
patterns = ['you\s+spent\s+{amount}']
examples.bad = ["You spent $5."]
examples.good = ["Spend $5."]
"#;

const TINY_CORPUS: &str = "id\tlabel\tcategory\ttext
a1\tcreepy\tspend\tYou spent $342 last month.
a2\tcreepy\tspend\tYour bill came to $611.
b1\tcreepy\tother\tWe know you spent $20 on snacks.
o1\tok\tok_offer\tSave $20 on orders over $100.
o2\tok\tok_offer\tLast year you spent $10 on average, says our survey.
o3\tok\tok_generic\tFind a store near you.
";

fn tiny_files() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("tiny.toml");
    let corpus = dir.path().join("tiny.tsv");
    std::fs::write(&pack, TINY_PACK).unwrap();
    std::fs::write(&corpus, TINY_CORPUS).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let (p, c) = (s(&pack), s(&corpus));
    (dir, p, c)
}

#[test]
fn eval_reports_known_figures() {
    let (_dir, pack, corpus) = tiny_files();
    let report = eval_json_with(&["--no-builtin", "--pack", &pack], &[&corpus]);
    let recall = report["recall"].as_array().unwrap();
    assert_eq!(recall.len(), 2);
    assert_eq!(recall[0]["category"], "other");
    assert_eq!(
        (recall[0]["flagged"].as_u64(), recall[0]["total"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(recall[1]["category"], "spend");
    assert_eq!(
        (recall[1]["flagged"].as_u64(), recall[1]["total"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(rate(&recall[1]), 0.5);
    assert_eq!(report["overall_recall"]["flagged"], 2);
    assert_eq!(report["overall_recall"]["total"], 3);
    let fp = report["false_positive"].as_array().unwrap();
    assert_eq!(fp[0]["category"], "ok_generic");
    assert_eq!(fp[0]["flagged"], 0);
    assert_eq!(fp[1]["category"], "ok_offer");
    assert_eq!(
        (fp[1]["flagged"].as_u64(), fp[1]["total"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(report["overall_false_positive"]["flagged"], 1);
    assert_eq!(report["overall_false_positive"]["total"], 3);
    let missed = report["missed"].as_array().unwrap();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["id"], "a2");
    assert_eq!(missed[0]["line"], 3);
    let flagged = report["flagged_ok"].as_array().unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0]["id"], "o2");
    assert_eq!(flagged[0]["hits"][0]["rule"], "tiny.spent");
    assert_eq!(flagged[0]["hits"][0]["matched"], "you spent $10");
}

#[test]
fn eval_human_output_shows_tables_and_wrong_rows() {
    let (_dir, pack, corpus) = tiny_files();
    creeplint()
        .args([
            "rules",
            "--no-config",
            "--no-builtin",
            "--pack",
            &pack,
            "eval",
            &corpus,
        ])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^  spend\s+0\.50\s+1/2$").unwrap())
        .stdout(predicate::str::is_match(r"(?m)^  overall\s+0\.67\s+2/3$").unwrap())
        .stdout(predicate::str::contains(
            "a2 [spend] Your bill came to $611.",
        ))
        .stdout(predicate::str::contains("tiny.spent at `you spent $10`"));
}

#[test]
fn eval_rejects_a_malformed_row_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("bad.tsv");
    std::fs::write(
        &corpus,
        "id\tlabel\tcategory\ttext\nx1\tok\tok_offer\tFine.\nx2\tcreepy spend no tabs here\n",
    )
    .unwrap();
    creeplint()
        .args(["rules", "--no-config", "eval"])
        .arg(&corpus)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.tsv:3: expected 4 tab-separated fields, found 2",
        ));

    std::fs::write(
        &corpus,
        "id\tlabel\tcategory\ttext\nx1\tmaybe\tok_offer\tFine.\n",
    )
    .unwrap();
    creeplint()
        .args(["rules", "--no-config", "eval"])
        .arg(&corpus)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.tsv:2: label must be `creepy` or `ok`",
        ));

    creeplint()
        .args(["rules", "--no-config", "eval", "no/such/corpus.tsv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/corpus.tsv"));
}

#[test]
fn min_matches_is_refused_outside_document_rules() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("p.toml");
    std::fs::write(
        &pack,
        TINY_PACK.replace(
            "severity = \"error\"",
            "severity = \"error\"\nmin_matches = 2",
        ),
    )
    .unwrap();
    creeplint()
        .args(["rules", "--no-config", "--no-builtin", "--pack"])
        .arg(&pack)
        .arg("test")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`min_matches` only applies"));
}

#[test]
fn document_rule_needs_min_matches_fields() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.txt");
    let two = dir.path().join("two.txt");
    std::fs::write(
        &one,
        "Hi {{ first_name }}, our spring collection is here.\n",
    )
    .unwrap();
    std::fs::write(
        &two,
        "Hi {{ first_name }},\n\nYour {{ product.name }} is waiting.\n",
    )
    .unwrap();
    let run = |p: &Path| {
        creeplint()
            .args([
                "check",
                "--no-config",
                "--format",
                "concise",
                "--select",
                "consent",
            ])
            .arg(p)
            .assert()
    };
    run(&one).success().stdout(predicate::str::is_empty());
    run(&two).code(1).stdout(predicate::str::contains(
        "two.txt:1:4: warning[consent.no-opt-out]",
    ));
}

/// (file name, 1-based line) pairs of template spots or findings.
type Spots = std::collections::BTreeSet<(String, u64)>;

/// The spots `DIR/EXPECTED.tsv` lists (file name, line) and the lines the built-in packs flag in
/// the files of `DIR`, checked as a user checks the folder.
fn template_spots(dir: &str) -> (Spots, Spots) {
    // EXPECTED.tsv: file, line, category, excerpt. A finding on any other line is a false positive.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let expected_text = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap();
    let expected = expected_text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_string(), cols[1].parse().unwrap())
        })
        .collect();
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "EXPECTED.tsv"))
        .collect();
    let out = creeplint()
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found = std::collections::BTreeSet::new();
    for f in report["findings"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        let name = Path::new(path).file_name().unwrap().to_str().unwrap();
        found.insert((name.to_string(), f["line"].as_u64().unwrap()));
    }
    (expected, found)
}

#[test]
fn templates_flag_every_expected_spot_and_nothing_else() {
    let (expected, found) = template_spots("tests/corpus/templates");
    assert_eq!(expected.len(), 40);
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missed.is_empty(),
        "expected spots without a finding: {missed:?}"
    );
    assert!(
        extra.is_empty(),
        "findings on lines EXPECTED.tsv does not list: {extra:?}"
    );
}

/// Holds a batch of templates at `floor` recall of its `spots` spots, with no finding on a line
/// its EXPECTED.tsv does not list.
fn assert_template_floor(dir: &str, spots: usize, floor: f64) {
    assert_template_at(dir, spots, floor, 0);
}

/// Holds a batch of templates at `floor` recall of its `spots` spots, with at most `max_false`
/// findings on lines its EXPECTED.tsv does not list.
fn assert_template_at(dir: &str, spots: usize, floor: f64, max_false: usize) {
    let (expected, found) = template_spots(dir);
    assert_eq!(expected.len(), spots, "{dir}");
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    let recall = (expected.len() - missed.len()) as f64 / expected.len() as f64;
    assert!(
        recall >= floor,
        "{dir}: recall {recall:.2}; missed: {missed:?}"
    );
    assert!(
        extra.len() <= max_false,
        "{dir}: {} findings on lines EXPECTED.tsv does not list (at most {max_false}): {extra:?}",
        extra.len()
    );
}

#[test]
fn templates3_holds_its_score() {
    // The last blind batch of campaign files, scored once untouched (34/41, no false line).
    assert_template_floor("tests/corpus/templates3", 41, TEMPLATES3_FLOOR);
}

#[test]
fn templates2_meets_its_floor() {
    // A fresh batch, scored once untuned (0.51, tests/corpus/HELDOUT.md) and then tuned on by
    // class: held at TEMPLATES2_FLOOR recall, and no finding on a line EXPECTED.tsv does not list.
    assert_template_floor("tests/corpus/templates2", 65, TEMPLATES2_FLOOR);
}

/// `rules` (listing) loads packs without the prefilter's literals, and must still refuse a bad
/// pack with the very errors `rules test` and `check` give: file, line and the parser's message,
/// for patterns built from macros and for frames filled with a lexicon.
#[test]
fn listing_rules_reports_the_same_load_errors_as_checking() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("bad.toml");
    std::fs::write(
        &pack,
        r#"[pack]
name = "bad"
description = "broken patterns"

[lexicons.things]
terms = ["gout", "lupus"]

[frames.your-thing]
class = "noun"
patterns = ['{you}r\s+(?:{slot}']
sample = "your {slot}"

[[rules]]
id = "bad.one"
severity = "warning"
message = "m"
why = "w"
suggest = "s"
patterns = ['(unclosed {you}', '{you}\s+[z-a]']
frames = ["your-thing"]
lexicons = ["things"]
examples.bad = ["your gout"]
examples.good = ["a guide"]
"#,
    )
    .unwrap();
    let (code, listed) = {
        let out = creeplint()
            .args(["rules", "--no-config", "--no-builtin", "--pack"])
            .arg(&pack)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    assert_eq!(code, Some(2), "{listed}");
    for expected in [
        "bad.toml:10:",
        "bad.toml:19:",
        "unclosed group",
        "invalid character class range",
    ] {
        assert!(
            listed.contains(expected),
            "{expected} missing from:\n{listed}"
        );
    }
    let tested = creeplint()
        .args(["rules", "--no-config", "--no-builtin", "--pack"])
        .arg(&pack)
        .arg("test")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(tested.stderr).unwrap(), listed);
    let checked = creeplint()
        .args(["check", "--no-config", "--no-builtin", "--pack"])
        .arg(&pack)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(2));
    assert_eq!(String::from_utf8(checked.stderr).unwrap(), listed);
}

#[test]
fn the_whole_training_corpus_meets_the_floors_in_every_category() {
    // Every labelled row the packs were tuned on and the model learnt from (every `*.tsv` in
    // tests/corpus but the held-out batches), checked as one corpus: issue 15's bar for the
    // whole dev corpus, 0.95 in every category with at most 2% of ok rows flagged.
    let dir = Path::new("tests/corpus");
    let held_out = std::fs::read_to_string(dir.join("held-out.txt")).unwrap();
    let held_out: Vec<&str> = held_out
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .filter(|p| !held_out.contains(&p.file_name().unwrap().to_str().unwrap()))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "{files:?}");
    let mut all = String::from("id\tlabel\tcategory\ttext\n");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            all.push_str(line);
            all.push('\n');
        }
    }
    let out = tempfile::tempdir().unwrap();
    let corpus = out.path().join("all.tsv");
    std::fs::write(&corpus, all).unwrap();
    assert_floors_at(corpus.to_str().unwrap(), 0.95, 0.02);
}
