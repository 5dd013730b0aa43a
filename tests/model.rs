//! Model rules as a user runs them: `rules train` writes a model, a pack rule names it, `check`
//! reports its findings with the words that weighed most, and every broken setup is an error.

mod common;

use common::{creeplint, root};
use std::fs;
use std::path::Path;

fn pack(model: &str, threshold: &str) -> String {
    format!(
        r#"[pack]
name = "ours"
description = "a model rule"

[[rules]]
id = "ours.profiled"
severity = "warning"
message = "reads as profiled"
why = "test"
suggest = "test"
model = "{model}"
{threshold}
examples.bad = ["We noticed you spent $342 with us last month, so here's a treat."]
examples.good = ["Spend $50 and get free delivery on every order."]
"#
    )
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = creeplint(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn train(dir: &Path, out: &str) -> (i32, String) {
    let corpus = root().join("tests/corpus/messages.tsv");
    let corpus = corpus.to_str().unwrap();
    let (code, _, stderr) = run(dir, &["rules", "--no-config", "train", corpus, "-o", out]);
    (code, stderr)
}

#[test]
fn a_trained_model_flags_through_its_pack_and_names_its_signals() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = train(dir.path(), "ours.model");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "trained on 261 rows (141 creepy, 120 ok) and 31 sentences of the ok rows on their own"
        ),
        "{stderr}"
    );
    let first = fs::read(dir.path().join("ours.model")).unwrap();
    // Deterministic: the same corpus gives the same bytes.
    train(dir.path(), "again.model");
    assert_eq!(fs::read(dir.path().join("again.model")).unwrap(), first);

    fs::write(
        dir.path().join("ours.toml"),
        pack("ours.model", "threshold = 0.8"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "rules",
            "--no-config",
            "--no-builtin",
            "--pack",
            "ours.toml",
            "test",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    fs::write(
        dir.path().join("mail.txt"),
        "Hello!\n\nWe noticed you spent $342 with us last month, so here's a treat.\n\nSpend $50 and get free delivery on every order.\n",
    )
    .unwrap();
    let args = [
        "check",
        "--no-config",
        "--no-builtin",
        "--pack",
        "ours.toml",
        "--format",
        "json",
        "mail.txt",
    ];
    let (code, stdout, stderr) = run(dir.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{stdout}");
    assert_eq!(findings[0]["line"], 3);
    assert_eq!(findings[0]["rule"], "ours.profiled");
    let score = findings[0]["model"]["score"].as_f64().unwrap();
    assert!((0.8..=1.0).contains(&score), "{score}");
    assert!(!findings[0]["model"]["signals"]
        .as_array()
        .unwrap()
        .is_empty());
    // The human output says what weighed.
    let (_, human, _) = run(
        dir.path(),
        &args[..args.len() - 3]
            .iter()
            .chain(&["mail.txt"])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert!(human.contains("note: the model scores it"), "{human}");
}

#[test]
fn the_built_in_model_flags_fresh_copy_that_no_pattern_spells_out() {
    let dir = tempfile::tempdir().unwrap();
    let profile_findings = |name: &str, text: &str| {
        fs::write(dir.path().join(name), text).unwrap();
        let args = [
            "check",
            "--no-config",
            "--format",
            "concise",
            "--select",
            "profile",
            name,
        ];
        let (code, stdout, _) = run(dir.path(), &args);
        (code, stdout)
    };
    let (code, stdout) = profile_findings(
        "sms.txt",
        "Kestrel Bank: your checking dipped to $14.06 this morning and rent leaves Thursday. Tap for a $300 Bridge Loan.\n",
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("sms.txt:1:"), "{stdout}");
    assert!(stdout.contains("[profile.reads-as-profiled]"), "{stdout}");
    // A receipt is not marketing: the model rule does not judge it.
    let (code, stdout) = profile_findings(
        "receipt.txt",
        "Order #4471 receipt: you paid $14.06 this morning with your card ending 4242.\n",
    );
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn a_broken_model_rule_is_a_load_error_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.model"), b"not a model").unwrap();
    let cases = [
        (pack("nosuch", "threshold = 0.8"), "unknown model `nosuch`"),
        (
            pack("missing.model", "threshold = 0.8"),
            "cannot read model",
        ),
        (
            pack("bad.model", "threshold = 0.8"),
            "not a creeplint model file",
        ),
        (pack("profile", ""), "a `model` rule needs a `threshold`"),
        (pack("profile", "threshold = 1.5"), "`threshold` is 1.5"),
        (
            pack("profile", "threshold = 0.8").replace("model = \"profile\"\n", ""),
            "`threshold` only applies to rules with a `model`",
        ),
        (
            pack("profile", "threshold = 0.8\npatterns = ['x']"),
            "takes no `patterns` or `frames`",
        ),
    ];
    for (text, needle) in cases {
        fs::write(dir.path().join("ours.toml"), &text).unwrap();
        let (code, stdout, stderr) = run(
            dir.path(),
            &["check", "--no-config", "--pack", "ours.toml", "ours.toml"],
        );
        assert_eq!(code, 2, "{needle}: {stdout}{stderr}");
        assert!(stderr.contains("ours.toml:"), "{needle}: {stderr}");
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
}

#[test]
fn training_never_overwrites_a_corpus_and_needs_both_labels() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("mine.tsv");
    fs::write(
        &corpus,
        "id\tlabel\tcategory\ttext\na\tok\tx\tHello there friend\n",
    )
    .unwrap();
    fs::copy(&corpus, dir.path().join("x.model")).unwrap();
    for (input, out, needle) in [
        ("mine.tsv", "mine.model", "need both creepy and ok rows"),
        ("mine.tsv", "mine.tsv", "must end in `.model`"),
        ("x.model", "x.model", "is a corpus"),
    ] {
        let args = ["rules", "--no-config", "train", input, "-o", out];
        let (code, _, stderr) = run(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    assert_eq!(
        fs::read(dir.path().join("x.model")).unwrap(),
        fs::read(&corpus).unwrap(),
        "the corpus is untouched"
    );
}
