//! The CI and pre-commit features, run as a user runs them: GitHub annotations, baselines, inline
//! suppressions, per-path overrides, `init`, `completions`, `--statistics` and `--quiet`.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

const CREEPY: &str = "You spent $342 with us last month.";

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn creeplint(dir: &Path) -> Command {
    common::creeplint(dir)
}

fn stdout_of(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn github_annotations_are_escaped_as_actions_expects() {
    let dir = repo(&[("50%,off:now.txt", &format!("Hi!\n{CREEPY}\n"))]);
    let (code, out) = stdout_of(creeplint(dir.path()).args(["check", "--format", "github", "."]));
    assert_eq!(code, Some(1));
    let line = out.lines().next().expect("one annotation");
    assert!(
        line.starts_with(
            "::error file=50%25%2Coff%3Anow.txt,line=2,col=1,endLine=2,endColumn=15,title=creeplint spend.quoted-total::"
        ),
        "{line}"
    );
    // The message is data: its colons and commas stay as they are.
    assert!(line.contains("::Quotes the reader's own spending back to them — "));
}

#[test]
fn info_findings_become_notices() {
    let dir = repo(&[
        ("a.txt", CREEPY),
        ("creeplint.toml", "[severity]\n\"spend.*\" = \"info\"\n"),
    ]);
    let (code, out) = stdout_of(creeplint(dir.path()).args(["check", "--format", "github", "."]));
    assert_eq!(code, Some(0), "infos do not fail the default --fail-on");
    assert!(out.starts_with("::notice file=a.txt,"), "{out}");
}

#[test]
fn baseline_hides_old_findings_across_edits_and_still_fails_on_new_ones() {
    let original = format!("Hello!\n\n{CREEPY}\n\nSee you soon.\n");
    let dir = repo(&[("emails/winback.txt", &original)]);
    creeplint(dir.path())
        .args(["check", "--write-baseline", "creeplint-baseline.json", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote 1 finding(s)"));
    let written = std::fs::read(dir.path().join("creeplint-baseline.json")).unwrap();

    // Same findings: the file is byte-for-byte stable.
    creeplint(dir.path())
        .args(["check", "--write-baseline", "creeplint-baseline.json", "."])
        .assert()
        .success();
    assert_eq!(
        written,
        std::fs::read(dir.path().join("creeplint-baseline.json")).unwrap()
    );
    // No temporary file left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    // Without the baseline the finding fails the run; with it the run is clean.
    creeplint(dir.path()).args(["check", "."]).assert().code(1);
    creeplint(dir.path())
        .args(["check", "--baseline", "creeplint-baseline.json", "."])
        .assert()
        .success();

    // An unrelated line inserted above the finding: still hidden.
    let edited = format!("Preheader: spring is here\nA new intro line.\n{original}");
    std::fs::write(dir.path().join("emails/winback.txt"), edited.as_bytes()).unwrap();
    creeplint(dir.path())
        .args(["check", "--baseline", "creeplint-baseline.json", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 finding(s) hidden by the baseline",
        ));

    // A new creepy line (even the same phrase again) fails, and only it is reported.
    std::fs::write(
        dir.path().join("emails/winback.txt"),
        format!("{edited}\n{CREEPY}\n"),
    )
    .unwrap();
    let (code, out) = stdout_of(creeplint(dir.path()).args([
        "check",
        "--baseline",
        "creeplint-baseline.json",
        "--format",
        "concise",
        ".",
    ]));
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("emails/winback.txt:9:1:"), "{out}");

    // The baseline can come from creeplint.toml too.
    std::fs::write(
        dir.path().join("creeplint.toml"),
        "baseline = \"creeplint-baseline.json\"\n",
    )
    .unwrap();
    let (code, out) = stdout_of(creeplint(dir.path()).args(["check", "--format", "concise", "."]));
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn a_baseline_file_is_sorted_and_never_scanned_itself() {
    let dir = repo(&[
        ("b.txt", CREEPY),
        ("a.txt", &format!("{CREEPY}\n\n{CREEPY}\n")),
    ]);
    // Written inside the scanned tree with a .json name, which creeplint would otherwise read.
    creeplint(dir.path())
        .args(["check", "--write-baseline", "base.json", "."])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.txt", "a.txt", "b.txt"]);
    creeplint(dir.path())
        .args(["check", "--baseline", "base.json", "."])
        .assert()
        .success();
}

#[test]
fn a_broken_baseline_is_a_clear_error() {
    let dir = repo(&[
        ("a.txt", CREEPY),
        ("base.json", "{\"version\": 1,\n \"findings\": [}"),
    ]);
    creeplint(dir.path())
        .args(["check", "--baseline", "base.json", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("base.json:2:"))
        .stderr(predicate::str::contains("invalid baseline file"));
}

#[test]
fn directives_work_in_each_comment_syntax() {
    let dir = repo(&[
        (
            "markdown.md",
            &format!("<!-- creeplint-disable-next-line -->\n{CREEPY}\n\n{CREEPY} <!-- creeplint-disable-line spend.quoted-total -->\n"),
        ),
        (
            "liquid.liquid",
            &format!("{{% comment %}}creeplint-disable spend -- quoted on purpose{{% endcomment %}}\n{CREEPY}\n{{% comment %}}creeplint-enable{{% endcomment %}}\n\nLATE: {CREEPY}\n"),
        ),
        ("jinja.jinja", &format!("{{# creeplint-disable-next-line spend.* #}}\n{CREEPY}\n")),
        ("handlebars.hbs", &format!("{{{{! creeplint-disable-next-line }}}}\n{CREEPY}\n")),
        ("ampscript.amp", &format!("%%[ /* creeplint-disable-next-line */ ]%%\n{CREEPY}\n")),
        ("sms.txt", &format!("# creeplint-disable-next-line\n{CREEPY}\n")),
        (
            "email.html",
            &format!("<!-- creeplint-disable-next-line spend -->\n<p>{CREEPY}</p>\n<p>{CREEPY} <!-- creeplint-disable-line --></p>\n"),
        ),
        (
            "copy.yaml",
            &format!("# creeplint-disable-next-line\nsubject: {CREEPY}\nbody: {CREEPY} # creeplint-disable-line\n"),
        ),
        (
            "push.json",
            &format!("{{\n  // creeplint-disable-next-line\n  \"body\": \"{CREEPY}\"\n}}\n"),
        ),
        // Naming another rule suppresses nothing.
        ("other.txt", &format!("# creeplint-disable-next-line body.*\n{CREEPY}\n")),
    ]);
    let (code, out) = stdout_of(creeplint(dir.path()).args(["check", "--format", "concise", "."]));
    assert_eq!(code, Some(1));
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "liquid.liquid:5:7: error[spend.quoted-total] Quotes the reader's own spending back to them",
            "other.txt:2:1: error[spend.quoted-total] Quotes the reader's own spending back to them",
        ],
        "{out}"
    );
}

#[test]
fn unused_directives_are_reported_on_request() {
    let dir = repo(&[(
        "a.txt",
        &format!("# creeplint-disable-next-line\n{CREEPY}\n\n# creeplint-disable-next-line spend\nNothing creepy here.\n"),
    )]);
    creeplint(dir.path())
        .args(["check", "--format", "concise", "."])
        .assert()
        .success()
        .stdout("");
    let (code, out) = stdout_of(creeplint(dir.path()).args([
        "check",
        "--format",
        "concise",
        "--report-unused-directives",
        ".",
    ]));
    assert_eq!(code, Some(0), "an info does not fail the run");
    assert_eq!(
        out,
        "a.txt:4:3: info[creeplint.unused-directive] This creeplint directive suppresses nothing\n"
    );
    // `--fail-on info` makes it fail, for teams that want directives kept tidy.
    creeplint(dir.path())
        .args([
            "check",
            "--report-unused-directives",
            "--fail-on",
            "info",
            ".",
        ])
        .assert()
        .code(1);
}

#[test]
fn per_path_overrides_change_rules_and_severities() {
    let config = r#"
[[overrides]]
paths = ["transactional/**"]
ignore = ["spend.*"]

[[overrides]]
paths = ["drafts/"]
severity = { "spend.*" = "info" }
"#;
    let dir = repo(&[
        ("creeplint.toml", config),
        ("transactional/receipt.txt", CREEPY),
        ("drafts/idea.txt", CREEPY),
        ("emails/winback.txt", CREEPY),
    ]);
    let (code, out) = stdout_of(creeplint(dir.path()).args(["check", "--format", "concise", "."]));
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "drafts/idea.txt:1:1: info[spend.quoted-total] Quotes the reader's own spending back to them\n\
         emails/winback.txt:1:1: error[spend.quoted-total] Quotes the reader's own spending back to them\n"
    );
    // Run from inside a subdirectory: paths are still matched relative to the config file.
    creeplint(&dir.path().join("transactional"))
        .args(["check", "."])
        .assert()
        .success();
}

#[test]
fn a_bad_override_names_the_config_file() {
    let dir = repo(&[
        ("creeplint.toml", "[[overrides]]\nignore = [\"spend.*\"]\n"),
        ("a.txt", CREEPY),
    ]);
    creeplint(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("creeplint.toml"))
        .stderr(predicate::str::contains("paths"));
}

#[test]
fn init_writes_a_starter_that_loads_and_refuses_to_overwrite() {
    let dir = repo(&[("emails/a.txt", CREEPY)]);
    creeplint(dir.path()).arg("init").assert().success();
    let written = std::fs::read_to_string(dir.path().join("creeplint.toml")).unwrap();
    assert!(written.contains("[[overrides]]"), "documents overrides");
    // The starter loads: the check runs and finds the creepy line.
    creeplint(dir.path()).args(["check", "."]).assert().code(1);
    // A second init refuses and leaves the file alone.
    std::fs::write(dir.path().join("creeplint.toml"), "fail-on = \"error\"\n").unwrap();
    creeplint(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("creeplint.toml")).unwrap(),
        "fail-on = \"error\"\n"
    );
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, out) = stdout_of(common::binary().args(["completions", shell]));
        assert_eq!(code, Some(0), "{shell}");
        assert!(
            out.contains("write-baseline"),
            "{shell} completes check's flags"
        );
    }
    common::binary()
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = repo(&[
        (
            "a.txt",
            &format!("{CREEPY}\n\n{CREEPY}\n\nYou still owe $1,200 on your card.\n"),
        ),
        ("b.txt", CREEPY),
    ]);
    let (code, out) = stdout_of(creeplint(dir.path()).args(["check", "--statistics", "."]));
    assert_eq!(code, Some(1), "the exit code still reflects the findings");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("3  spend.quoted-total  error"),
        "{out}"
    );
    assert!(lines[1].starts_with("1  spend.debt-owed"), "{out}");
    let (_, json) =
        stdout_of(creeplint(dir.path()).args(["check", "--statistics", "--format", "json", "."]));
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["count"], 3);
}

#[test]
fn quiet_prints_findings_and_the_notes_that_matter() {
    let dir = repo(&[("a.txt", CREEPY), ("clean.txt", "Hello!")]);
    std::fs::write(dir.path().join("bin.txt"), b"\0\0binary").unwrap();
    let out = creeplint(dir.path())
        .args(["check", "--quiet", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("spend.quoted-total"));
    assert!(!stdout.contains("Found"), "no summary: {stdout}");
    // A skipped file is still reported: --quiet is the pre-commit hook's flag, and a file the hook
    // did not check must not look checked.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "warning: bin.txt: skipped: binary file (it contains NUL bytes)",
        "only the notes that matter"
    );
    // Without --quiet the summary and the note on the binary file are there.
    let out = creeplint(dir.path()).args(["check", "."]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Found 1 problem"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary"));
}

#[test]
fn the_example_repo_flags_its_creepy_files_only() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (code, out) = stdout_of(creeplint(&examples).args(["check", "--format", "concise", "."]));
    assert_eq!(code, Some(1));
    let mut files: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    files.dedup();
    assert_eq!(
        files,
        ["emails/winback.html", "push/notifications.json"],
        "{out}"
    );
    // The receipt is exempt only through the override: without the config it is flagged.
    creeplint(&examples)
        .args(["check", "--no-config", "transactional/receipt.html"])
        .assert()
        .code(1);
}

#[test]
fn an_override_select_runs_a_rule_the_top_level_does_not_select() {
    let config = r#"
select = ["spend.quoted-total"]

[[overrides]]
paths = ["push/**"]
select = ["spend.price-paid"]
"#;
    let line = "You paid $89 for this jacket in March.";
    let dir = repo(&[
        ("creeplint.toml", config),
        ("push/p.txt", line),
        ("emails/e.txt", line),
    ]);
    let (code, out) = stdout_of(creeplint(dir.path()).args(["check", "--format", "concise", "."]));
    assert_eq!(code, Some(1));
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "emails/e.txt:1:1: error[spend.quoted-total] Quotes the reader's own spending back to them",
            "push/p.txt:1:1: warning[spend.price-paid] Reminds the reader what they paid for something",
        ],
        "{out}"
    );
}

#[test]
fn range_directives_can_reenable_single_rules() {
    let text = "# creeplint-disable\n\
                You paid $89 for this jacket in March.\n\
                # creeplint-enable spend.quoted-total\n\
                You paid $89 for this jacket in March.\n\
                # creeplint-enable\n\
                You paid $89 for this jacket in March.\n";
    let dir = repo(&[("ranges.txt", text)]);
    let (_, out) = stdout_of(creeplint(dir.path()).args(["check", "--format", "concise", "."]));
    let got: Vec<&str> = out.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(
        got,
        [
            // Line 2: everything disabled. Line 4: only quoted-total re-enabled. Line 6: all, and
            // the two spend rules that match the phrase collapse to the more severe one.
            "ranges.txt:4:1:",
            "ranges.txt:6:1:",
        ],
        "{out}"
    );
    assert!(
        out.lines().next().unwrap().contains("spend.quoted-total"),
        "{out}"
    );
}
