//! "Never pass silently" (issue 11), as a CI user meets it: a typo in a selector or directive, a
//! run that checked nothing, skipped symlinks, failures that machine outputs must report, a
//! severity override that must win, and a baseline used from a subfolder. Each test is one of the
//! issue's numbered defects and fails on the build before the fix (run them against another build
//! with `CREEPLINT_TEST_BIN=/path/to/creeplint`).

mod common;

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Output;

const CREEPY: &str = "You spent $342 with us last month.\n";

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::creeplint(dir).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

/// Asserts the exit code, showing both streams when it is wrong.
fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

// 1. A typo in a selector turns the linter off.

#[test]
fn defect_1_a_selector_typo_on_the_command_line_is_an_error_with_a_did_you_mean() {
    let dir = repo(&[("promo.txt", CREEPY)]);
    let out = run(
        dir.path(),
        &["check", "--no-config", "--select", "spnd", "promo.txt"],
    );
    assert_code(&out, 2);
    assert!(
        stderr(&out)
            .contains("--select: `spnd` names no loaded rule or pack (did you mean `spend`?)"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stdout(&out).contains("No creepy copy found"),
        "{}",
        stdout(&out)
    );
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--ignore",
            "spend.quoted-totl",
            "promo.txt",
        ],
    );
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("did you mean `spend.quoted-total`?"),
        "{}",
        stderr(&out)
    );
    // A glob that fits no rule is a typo too; one that fits is fine.
    let out = run(
        dir.path(),
        &["check", "--no-config", "--select", "spendd.*", "promo.txt"],
    );
    assert_code(&out, 2);
    let out = run(
        dir.path(),
        &["check", "--no-config", "--select", "spend.*", "promo.txt"],
    );
    assert_code(&out, 1);
}

#[test]
fn defect_1_selector_typos_in_the_config_name_file_and_line() {
    // (config, line:column of the selector, what the message names)
    for (config, place, what) in [
        ("select = [\"spnd\"]\n", "1:11", "select: `spnd`"),
        ("ignore = [\"spend\", \"bdy\"]\n", "1:20", "ignore: `bdy`"),
        (
            "[severity]\n\"spend.price-paid\" = \"info\"\n\"spend.pric-paid\" = \"info\"\n",
            "3:1",
            "severity: `spend.pric-paid`",
        ),
        (
            "[[overrides]]\npaths = [\"receipts/**\"]\nignore = [\"spend.quoted-totl\"]\n",
            "3:11",
            "overrides[0].ignore: `spend.quoted-totl`",
        ),
        (
            "[[overrides]]\npaths = [\"receipts/**\"]\nselect = [\"bodyy\"]\n",
            "3:11",
            "overrides[0].select: `bodyy`",
        ),
        // The same text in a comment or in another setting comes first: the error still points
        // at the selector itself.
        (
            "# was: select = [\"spnd\"]\ninclude = [\"spnd\"]\nselect = [\"spnd\"]\n",
            "3:11",
            "select: `spnd`",
        ),
    ] {
        let dir = repo(&[("promo.txt", CREEPY), ("creeplint.toml", config)]);
        let out = run(dir.path(), &["check", "promo.txt"]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "creeplint.toml:{place}: invalid configuration: {what}"
            )),
            "{config}: {err}"
        );
        assert!(err.contains("did you mean"), "{config}: {err}");
    }
}

#[test]
fn defect_1_every_command_refuses_a_config_selector_typo() {
    // `rules`, `explain` and `kinds` read the same config as `check`: a typo there is the same
    // error, not a listing that looks fine.
    let dir = repo(&[
        ("promo.txt", CREEPY),
        ("creeplint.toml", "ignore = [\"bdy\"]\n"),
    ]);
    for args in [
        &["rules"][..],
        &["rules", "test"],
        &["explain", "spend.price-paid"],
        &["kinds", "promo.txt"],
    ] {
        let out = run(dir.path(), args);
        assert_code(&out, 2);
        assert!(
            stderr(&out).contains(
                "creeplint.toml:1:11: invalid configuration: ignore: `bdy` names no loaded rule or pack (did you mean `body`?)"
            ),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn defect_1_explain_suggests_the_rule_a_typo_is_closest_to() {
    let dir = repo(&[]);
    let out = run(dir.path(), &["explain", "--no-config", "spnd"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("no rule or pack named `spnd`; did you mean `spend`?"),
        "{}",
        stderr(&out)
    );
}

// 2. A typo in a suppression directive suppresses every rule.

#[test]
fn defect_2_a_directive_that_does_not_parse_suppresses_nothing_and_is_reported() {
    let dir = repo(&[(
        "a.html",
        "<!-- creeplint-disable-next-line spend.{quoted -->\n<p>You spent $342 with us last month.</p>\n",
    )]);
    let out = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "a.html"],
    );
    assert_code(&out, 1);
    let doc = json(&out);
    let rules: Vec<(&str, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [("creeplint.bad-directive", 1), ("spend.quoted-total", 2)],
        "{doc:#}"
    );
}

#[test]
fn defect_2_a_directive_naming_no_loaded_rule_is_an_error_with_its_line() {
    let dir = repo(&[(
        "a.txt",
        "Hello.\n# creeplint-disable-next-line spend.quoted-totl\nYou spent $342 with us last month.\n",
    )]);
    let out = run(
        dir.path(),
        &["check", "--no-config", "--format", "concise", "a.txt"],
    );
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains(
            "a.txt: line 2: creeplint directive: `spend.quoted-totl` names no loaded rule or pack (did you mean `spend.quoted-total`?)"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("a.txt:3:1: error[spend.quoted-total]"));
}

// 3. Nothing checked still reads as a pass.

#[test]
fn defect_3_a_run_that_checked_nothing_says_so_and_fails_unless_allowed() {
    let dir = repo(&[("big.txt", &CREEPY.repeat(100))]);
    fs::create_dir(dir.path().join("empty-dir")).unwrap();
    for args in [
        &["check", "--no-config", "--max-file-size", "1000", "big.txt"][..],
        &["check", "--no-config", "empty-dir"][..],
    ] {
        let out = run(dir.path(), args);
        assert_code(&out, 2);
        assert!(
            !stdout(&out).contains("No creepy copy found"),
            "{}",
            stdout(&out)
        );
        assert!(
            stdout(&out).contains("No file was checked"),
            "{}",
            stdout(&out)
        );
        assert!(
            stderr(&out).contains("no file was checked"),
            "{}",
            stderr(&out)
        );
        // --quiet (the pre-commit hook's flag) still says it.
        let mut quiet = args.to_vec();
        quiet.push("--quiet");
        let out = run(dir.path(), &quiet);
        assert_code(&out, 2);
        assert!(
            stderr(&out).contains("no file was checked"),
            "{}",
            stderr(&out)
        );
        // --allow-empty accepts it, and still says so.
        let mut allowed = args.to_vec();
        allowed.push("--allow-empty");
        let out = run(dir.path(), &allowed);
        assert_code(&out, 0);
        assert!(
            stderr(&out).contains("no file was checked"),
            "{}",
            stderr(&out)
        );
    }
    // The config key does the same.
    fs::write(dir.path().join("creeplint.toml"), "allow-empty = true\n").unwrap();
    assert_code(&run(dir.path(), &["check", "empty-dir"]), 0);
}

#[test]
fn defect_3_the_summary_counts_skipped_and_failed_files_and_quiet_keeps_the_notes() {
    let dir = repo(&[("a.txt", CREEPY), ("big.txt", &"Hello. ".repeat(500))]);
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--max-file-size",
            "1000",
            "a.txt",
            "big.txt",
            "gone.txt",
        ],
    );
    assert_code(&out, 2);
    assert!(
        stdout(&out).contains("in 1 file (1 skipped, 1 failed, see the notes above)"),
        "{}",
        stdout(&out)
    );
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--quiet",
            "--max-file-size",
            "1000",
            "a.txt",
            "big.txt",
        ],
    );
    assert_code(&out, 1);
    assert!(
        stderr(&out)
            .contains("warning: big.txt: skipped: 3.4 KiB is larger than the 1000 bytes limit"),
        "{}",
        stderr(&out)
    );
}

// 4. Symlinked files and folders are skipped silently in a walk.

#[test]
fn defect_4_symlinks_in_a_walk_are_noted_or_followed_with_follow() {
    let dir = repo(&[("shared/winback.txt", CREEPY)]);
    fs::create_dir(dir.path().join("repo")).unwrap();
    std::os::unix::fs::symlink("../shared/winback.txt", dir.path().join("repo/linked.txt"))
        .unwrap();
    std::os::unix::fs::symlink("../shared", dir.path().join("repo/templates")).unwrap();
    let out = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "repo"],
    );
    assert_code(&out, 2);
    let doc = json(&out);
    let notes: Vec<(&str, &str)> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap_or("-"),
                n["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("repo/linked.txt", "skipped-symlink"),
            ("repo/templates", "skipped-symlink"),
            ("-", "no-files-checked"),
        ],
        "{doc:#}"
    );
    assert_eq!(doc["summary"]["files_skipped"], 2);
    // --follow (-L) checks through the links.
    let out = run(
        dir.path(),
        &["check", "--no-config", "-L", "--format", "concise", "repo"],
    );
    assert_code(&out, 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(lines, ["repo/linked.txt", "repo/templates/winback.txt"]);
}

#[test]
fn defect_4_a_symlink_loop_with_follow_is_an_error_not_a_hang() {
    let dir = repo(&[("repo/a.txt", CREEPY), ("repo/sub/b.txt", "Hello.\n")]);
    std::os::unix::fs::symlink("..", dir.path().join("repo/sub/back")).unwrap();
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--follow",
            "--format",
            "concise",
            "repo",
        ],
    );
    assert_code(&out, 2);
    assert!(stdout(&out).contains("repo/a.txt:1:1"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("error: repo/sub/back: symbolic link loop: it leads back to repo"),
        "{}",
        stderr(&out)
    );
}

// 5. Machine outputs under-report failures.

#[test]
fn defect_5_json_counts_a_missing_path_and_lists_every_note() {
    let dir = repo(&[("a.txt", CREEPY), ("bin.txt", "\0\0binary")]);
    fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 news.\n").unwrap();
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "a.txt",
            "bin.txt",
            "latin1.txt",
            "gone.txt",
        ],
    );
    assert_code(&out, 2);
    let doc = json(&out);
    assert_eq!(doc["summary"]["files_failed"], 1, "{doc:#}");
    assert_eq!(doc["summary"]["files_skipped"], 1);
    assert_eq!(doc["summary"]["files_checked"], 2);
    let notes: Vec<(&str, &str, &str)> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap(),
                n["kind"].as_str().unwrap(),
                n["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("bin.txt", "skipped-binary", "warning"),
            ("latin1.txt", "lossy-utf8", "warning"),
            ("gone.txt", "missing-path", "error"),
        ]
    );
}

#[test]
fn defect_5_sarif_reports_notes_and_an_unsuccessful_execution() {
    let dir = repo(&[("a.txt", CREEPY), ("bin.txt", "\0\0binary")]);
    let sarif = |args: &[&str]| -> Value {
        let mut all = vec!["check", "--no-config", "--format", "sarif"];
        all.extend_from_slice(args);
        json(&run(dir.path(), &all))
    };
    let log = sarif(&["a.txt", "bin.txt", "gone.txt"]);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation:#}");
    let notes: Vec<(&str, &str, &str)> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["descriptor"]["id"].as_str().unwrap(),
                n["level"].as_str().unwrap(),
                n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("skipped-binary", "warning", "bin.txt"),
            ("missing-path", "error", "gone.txt")
        ]
    );
    // A skipped file alone is a warning: the run itself succeeded.
    let log = sarif(&["a.txt", "bin.txt"]);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn defect_5_github_annotations_carry_the_notes() {
    let dir = repo(&[("a.txt", CREEPY), ("bin.txt", "\0\0binary")]);
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "github",
            "a.txt",
            "bin.txt",
            "gone.txt",
        ],
    );
    assert_code(&out, 2);
    let text = stdout(&out);
    assert!(
        text.contains(
            "::warning file=bin.txt,title=creeplint skipped-binary::skipped: binary file"
        ),
        "{text}"
    );
    assert!(
        text.contains("::error file=gone.txt,title=creeplint missing-path::"),
        "{text}"
    );
}

// 6. A severity override loses to the overlap collapse.

#[test]
fn defect_6_a_severity_override_decides_the_collapsed_finding() {
    let dir = repo(&[
        ("jacket.txt", "You paid $89 for this jacket in March.\n"),
        (
            "creeplint.toml",
            "[severity]\n\"spend.price-paid\" = \"info\"\n",
        ),
    ]);
    let out = run(dir.path(), &["check", "--format", "json", "jacket.txt"]);
    assert_code(&out, 0);
    let doc = json(&out);
    let findings: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(findings, [("spend.price-paid", "info")]);
}

// 7. The baseline depends on the working directory.

#[test]
fn defect_7_a_baseline_matches_wherever_the_run_starts_in_a_git_repo() {
    let dir = repo(&[("emails/winback.txt", CREEPY)]);
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .expect("git is installed");
    assert!(git.success());
    let out = run(
        dir.path(),
        &["check", "--write-baseline", ".creeplint-baseline.json", "."],
    );
    assert_code(&out, 0);
    let emails = dir.path().join("emails");
    let out = run(
        &emails,
        &["check", "--baseline", "../.creeplint-baseline.json", "."],
    );
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("No creepy copy found in 1 file"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn defect_7_a_baseline_that_matches_nothing_says_so() {
    let dir = repo(&[
        ("emails/winback.txt", CREEPY),
        (
            "old-baseline.json",
            r#"{"version": 1, "findings": [{"path": "x.txt", "rule": "spend.quoted-total", "fingerprint": "0000000000000000", "matched": "you spent $342"}]}"#,
        ),
    ]);
    let out = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--baseline",
            "old-baseline.json",
            "--format",
            "json",
            "emails",
        ],
    );
    assert_code(&out, 1);
    let doc = json(&out);
    assert_eq!(
        doc["notes"][0]["kind"], "baseline-matched-nothing",
        "{doc:#}"
    );
    assert!(
        stderr(&out).contains(
            "the baseline old-baseline.json (1 entries) matched none of this run's findings"
        ),
        "{}",
        stderr(&out)
    );
}

// 8. SARIF URIs are not percent-encoded (the validators' side is in tests/sarif.rs).

#[test]
fn defect_8_sarif_uris_are_percent_encoded() {
    let dir = repo(&[("draft:v2.txt", CREEPY)]);
    let log = json(&run(
        dir.path(),
        &["check", "--no-config", "--format", "sarif", "."],
    ));
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "draft%3Av2.txt");
}

// 9. The documented install paths fail: tests/install.rs (rust-version, published files), and
//    .ci/run (cargo package, cargo install, pre-commit try-repo). Here: what the docs tell users.

#[test]
fn defect_9_no_doc_pins_the_hook_to_a_tag_that_does_not_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in [
        "README.md",
        "docs/ci.md",
        "examples/.pre-commit-config.yaml",
    ] {
        let text = fs::read_to_string(root.join(doc)).unwrap();
        assert!(
            !text.contains("rev: v0.1.0"),
            "{doc} pins rev to v0.1.0, which is not a tag"
        );
        assert!(
            text.contains("commit SHA"),
            "{doc} tells users to pin rev to a commit SHA"
        );
    }
}

// 10. Tests that cannot catch what their names promise. The colour tests are in tests/cli.rs (on a
//     pseudo-terminal), the large-run check in tests/speed.rs, the validators in tests/sarif.rs.
//     Here: no test asserts on wall-clock time (a hang is caught by the process timeout of
//     tests/common instead, and speed is measured in benches/).

#[test]
fn defect_10_no_test_asserts_on_wall_clock_time() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut offenders = Vec::new();
    let mut stack = vec![tests];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                // Spelled in two halves so that this file does not name itself.
                for needle in [concat!("Instant", "::now"), concat!(".elapsed", "()")] {
                    if text.contains(needle) {
                        offenders.push(format!("{}: {needle}", path.display()));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "wall-clock timing in tests: {offenders:#?}"
    );
}

// 11. A JSON, SARIF or GitLab report written into the checked folder was linted on the next run,
//     so every finding came back once more from the report that quotes it.

#[test]
fn defect_11_reports_written_into_the_checked_folder_are_skipped_with_a_note() {
    let dir = repo(&[("promo.txt", CREEPY)]);
    for (format, name) in [
        ("json", "creeplint.json"),
        ("sarif", "creeplint.sarif.json"),
        ("gitlab", "gl-code-quality-report.json"),
    ] {
        let out = run(
            dir.path(),
            &["check", "--no-config", "--format", format, "promo.txt"],
        );
        assert_code(&out, 1);
        fs::write(dir.path().join(name), &out.stdout).unwrap();
    }
    // A copy file in JSON that merely has a `findings` key is still copy.
    fs::write(
        dir.path().join("copy.json"),
        "{\"findings\": [\"You spent $342 with us last month.\"]}\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["check", "--no-config", "--format", "json", "."],
    );
    assert_code(&out, 1);
    let doc = json(&out);
    let mut paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths, ["copy.json", "promo.txt"], "{doc}");
    let skipped: Vec<&str> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "skipped-own-report")
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped.len(),
        3,
        "one note per report: {skipped:?} in {doc}"
    );
}
