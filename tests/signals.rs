//! `with` signals: a rule's match counts only when every signal it names also appears in the
//! match's sentence. Run through the binary with a user pack, as a pack author would.

mod common;

use common::creeplint;
use std::fs;
use std::path::Path;

const PACK: &str = r#"[pack]
name = "mine"
description = "with-signal tests"

[[rules]]
id = "mine.sensor-told"
severity = "warning"
message = "a sensor told us something private"
why = "test"
suggest = "test"
patterns = ['{you}r\s+(?:\w+\s+)?sensors?\s+(?:logged|showed)']
with = [['{detail}', '\blate-night\b'], ['\bsale\b', '\boffer\b']]
examples.bad = ["Your seat sensor logged 6 kg more: our sale ends today."]
examples.good = ["Your seat sensor logged the trip: our sale ends today.", "Your seat sensor logged 6 kg more."]
"#;

/// Runs `creeplint COMMAND` in `dir` with only `mine.toml` loaded, then `rest`: exit code,
/// stdout, stderr.
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

/// `check`s `text` as a file: exit code and concise output.
fn check(dir: &Path, text: &str) -> (i32, String) {
    fs::write(dir.join("copy.txt"), text).unwrap();
    let (code, stdout, _) = run(dir, "check", &["--format", "concise", "copy.txt"]);
    (code, stdout)
}

#[test]
fn a_match_counts_only_with_every_signal_in_its_sentence() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mine.toml"), PACK).unwrap();
    // Both signals in the sentence: a finding at the pattern's match.
    let (code, out) = check(
        dir.path(),
        "Your cabin sensors logged 14 stops, so our offer is tints.\n",
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("copy.txt:1:1: warning[mine.sensor-told] a sensor told us something private"),
        "{out}"
    );
    // Any pattern of a signal will do: the second alternative of the first signal.
    let (code, out) = check(
        dir.path(),
        "Your sensors logged late-night stops: a sale on tints.\n",
    );
    assert_eq!(code, 1, "{out}");
    // One signal missing: no finding.
    let (code, out) = check(
        dir.path(),
        "Your cabin sensors logged 14 stops near home.\n",
    );
    assert_eq!((code, out.as_str()), (0, ""));
    // The signal is in the next sentence, not the match's: no finding.
    let (code, out) = check(
        dir.path(),
        "Your cabin sensors logged 14 stops. Our offer ends soon.\n",
    );
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn rules_test_runs_the_examples_of_a_rule_with_signals() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mine.toml"), PACK).unwrap();
    let (code, stdout, _) = run(dir.path(), "rules", &["test"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("3 passed, 0 failed"), "{stdout}");
    // A good example that holds every signal fails the test: the signals really are checked.
    let flagged = PACK.replace(
        "examples.good = [\"Your seat sensor logged the trip",
        "examples.good = [\"Your seat sensor logged 6 kg: a sale\", \"Your seat sensor logged the trip",
    );
    fs::write(dir.path().join("mine.toml"), flagged).unwrap();
    let (code, stdout, _) = run(dir.path(), "rules", &["test"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("FAIL mine.sensor-told examples.good[1]"),
        "{stdout}"
    );
}

#[test]
fn a_broken_signal_is_a_load_error_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "with = [[], ['\\bsale\\b']]",
            "`with` holds an empty signal list",
        ),
        (
            "with = [['(unclosed'], ['\\bsale\\b']]",
            "pattern `(unclosed`",
        ),
        (
            "with = [['{nosuchmacro}']]",
            "unknown macro `{nosuchmacro}`",
        ),
    ];
    // A document rule has no sentence to hold its signals.
    let document = PACK.replace(
        "severity = \"warning\"",
        "severity = \"warning\"\nscope = \"document\"",
    );
    let packs = cases
        .iter()
        .map(|(with, needle)| {
            let pack = PACK.replace(
                "with = [['{detail}', '\\blate-night\\b'], ['\\bsale\\b', '\\boffer\\b']]",
                with,
            );
            assert_ne!(pack, PACK, "the case must replace the signals");
            (pack, *needle)
        })
        .chain([(document, "`with` only applies to phrase rules")]);
    for (pack, needle) in packs {
        fs::write(dir.path().join("mine.toml"), pack).unwrap();
        let (code, _, stderr) = run(dir.path(), "check", &["mine.toml"]);
        assert_eq!(code, 2, "{needle}: {stderr}");
        assert!(stderr.contains("mine.toml:"), "{needle}: {stderr}");
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
}
