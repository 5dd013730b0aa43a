//! The speed features as a user meets them: `check --timings`, the pattern export for the
//! benchmark, lazy compilation that still refuses bad packs at load, and the two modes of the
//! engine (literals for small runs, group sets for large ones) finding the same things.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use tempfile::TempDir;

fn creeplint(dir: &TempDir) -> Command {
    common::creeplint(dir.path())
}

const CREEPY: &str = "You spent $342 with us last month.";

#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("a.txt"), format!("Hello.\n\n{CREEPY}\n")).unwrap();
    let plain = creeplint(&dir)
        .args(["check", "--no-config", "--format", "concise", "a.txt"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let timed = creeplint(&dir)
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "--timings",
            "a.txt",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("timings (wall clock):"))
        .stderr(predicate::str::contains("config + pack load"))
        .stderr(predicate::str::contains("match + findings"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(plain, timed);
    assert!(String::from_utf8(plain)
        .unwrap()
        .contains("spend.quoted-total"));
}

#[test]
fn exported_patterns_are_the_regexes_the_engine_runs() {
    let dir = TempDir::new().unwrap();
    let out = creeplint(&dir)
        .args(["rules", "--no-config", "export-patterns"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 10, "{out}");
    let spend = lines
        .iter()
        .map(|l| regex::Regex::new(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .filter(|re| re.is_match(CREEPY))
        .count();
    assert!(spend >= 1, "no exported pattern matches {CREEPY:?}");
}

fn write_pack(dir: &TempDir, pattern: &str) {
    let pack = format!(
        r#"[pack]
name = "local"
description = "test"

[[rules]]
id = "local.thing"
severity = "error"
message = "m"
why = "w"
suggest = "s"
patterns = ['{pattern}']
examples.bad = ["x"]
examples.good = ["y"]
"#
    );
    fs::write(dir.path().join("local.toml"), pack).unwrap();
    fs::write(dir.path().join("a.txt"), "hello\n").unwrap();
}

#[test]
fn a_pattern_too_large_to_compile_still_fails_at_load() {
    let dir = TempDir::new().unwrap();
    write_pack(&dir, "[a-z]{1000}{100}");
    creeplint(&dir)
        .args(["check", "--no-config", "--pack", "local.toml", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("local.toml:"))
        .stderr(predicate::str::contains("larger than"));
}

#[test]
fn an_invalid_pattern_still_fails_at_load_with_its_line() {
    let dir = TempDir::new().unwrap();
    write_pack(&dir, "you (spent");
    creeplint(&dir)
        .args(["check", "--no-config", "--pack", "local.toml", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("local.toml:11:"))
        .stderr(predicate::str::contains("invalid regex"));
}

#[test]
fn small_and_large_runs_find_the_same_phrases() {
    // A small file runs each pattern where its literals occur; past 16 MiB of copy the engine
    // builds its large-run sets and runs them at the starts of words instead. Both must find every
    // creepy sentence, including one whose `s` is a long s.
    let dir = TempDir::new().unwrap();
    let filler = "Our new rain shells landed just in time, in sizes XS to 3XL.\n\n";
    let creepy = [
        CREEPY,
        "You \u{17F}pent $120 on shoes.",
        "Your overdraft hit £640 last week.",
    ];
    let mut small = String::new();
    for c in creepy {
        small.push_str(filler);
        small.push_str(c);
        small.push_str("\n\n");
    }
    fs::write(dir.path().join("small.txt"), &small).unwrap();
    let mut large = String::new();
    while large.len() < 17 << 20 {
        large.push_str(&small);
        for _ in 0..200 {
            large.push_str(filler);
        }
    }
    let copies = large.matches(CREEPY).count();
    fs::write(dir.path().join("large.txt"), &large).unwrap();
    for (file, expected, mode) in [
        ("small.txt", 3, "engine mode: small-run literals only"),
        (
            "large.txt",
            3 * copies,
            "engine mode: large-run sets searched",
        ),
    ] {
        let run = creeplint(&dir)
            .args(["check", "--no-config", "--format", "concise", "--timings"])
            .args(["--max-file-size", "100000000", file])
            .assert()
            .code(1);
        // The mode each run took, as `--timings` reports it: a large run that silently stayed in
        // the small-run mode would find the same phrases and pass otherwise.
        let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        assert!(
            stderr.contains(mode),
            "{file}: expected {mode:?} in\n{stderr}"
        );
        let out = String::from_utf8(run.get_output().stdout.clone()).unwrap();
        let findings = out.lines().filter(|l| l.contains("error[spend.")).count();
        assert_eq!(
            findings,
            expected,
            "{file}:\n{}",
            &out[..out.len().min(2000)]
        );
    }
}
