//! `unless_answer`: a match in a question is cleared by what the next sentence answers, so
//! signposting ("Feeling low? Samaritans are there day or night") is told apart from profiling
//! ("Feeling low? Our mood gummies are 20% off"). Run through the binary with a user pack.

mod common;

use common::creeplint;
use std::fs;
use std::path::Path;

const PACK: &str = r#"[pack]
name = "mine"
description = "unless_answer tests"

[[rules]]
id = "mine.low-mood"
severity = "error"
message = "pins a low mood on the reader"
why = "test"
suggest = "test"
patterns = ['\bfeeling\s+(?:low|down)\b']
unless_answer = ['\bhelpline\b', '\bsamaritans\b']
examples.bad = ["Feeling low? Our mood gummies are 20% off.", "You've been feeling low. Samaritans are there for you."]
examples.good = ["Feeling low? Samaritans are there day or night."]
"#;

/// Runs `creeplint COMMAND` in `dir` with only `mine.toml` loaded: exit code, stdout, stderr.
fn run(dir: &Path, command: &str, rest: &[&str]) -> (i32, String, String) {
    let out = creeplint(dir)
        .args([
            command,
            "--no-config",
            "--no-builtin",
            "--pack",
            "mine.toml",
        ])
        .args(rest)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `check`s `text` as a file: the concise output.
fn check(dir: &Path, text: &str) -> String {
    fs::write(dir.join("copy.txt"), text).unwrap();
    run(dir, "check", &["--format", "concise", "copy.txt"]).1
}

#[test]
fn a_question_answered_by_help_for_anyone_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mine.toml"), PACK).unwrap();
    for clean in [
        "Feeling low? Samaritans are there day or night.",
        "<p>Feeling down?   Our free helpline is open 24/7.</p>",
    ] {
        assert_eq!(check(dir.path(), clean), "", "{clean}");
    }
    // The answer must follow the question: a statement, an answer that says something else, or
    // help named two sentences later keep the finding.
    for flagged in [
        "Feeling low? Our mood gummies are 20% off.",
        "You've been feeling low. Samaritans are there for you.",
        "Feeling low? Gummies are 20% off. Our helpline is open too.",
        "Our helpline is open. Feeling low?",
    ] {
        let out = check(dir.path(), flagged);
        assert!(out.contains("error[mine.low-mood]"), "{flagged}: {out}");
    }
    let (code, stdout, _) = run(dir.path(), "rules", &["test"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn a_broken_answer_exception_is_a_load_error_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let unclosed = PACK.replace("'\\bsamaritans\\b'", "'(unclosed'");
    let document = PACK.replace(
        "severity = \"error\"",
        "severity = \"error\"\nscope = \"document\"",
    );
    for (pack, needle) in [
        (unclosed, "pattern `(unclosed`"),
        (document, "`unless_answer` only applies to phrase rules"),
    ] {
        assert_ne!(pack, PACK, "{needle}: the case must change the pack");
        fs::write(dir.path().join("mine.toml"), pack).unwrap();
        let (code, _, stderr) = run(dir.path(), "check", &["mine.toml"]);
        assert_eq!(code, 2, "{needle}: {stderr}");
        assert!(stderr.contains("mine.toml:"), "{needle}: {stderr}");
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
}
