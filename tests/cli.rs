//! The binary as a user runs it: exit codes, positions, formats, config discovery, standard input,
//! `explain`, `rules` and `rules test`.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// `creeplint` run in `dir`, under the shared process timeout. Standard output is not a terminal,
/// so colour is off unless `--color always` asks for it.
fn creeplint(dir: &Path) -> Command {
    common::creeplint(dir)
}

fn workspace(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, text).unwrap();
    }
    dir
}

fn json_findings(dir: &Path, args: &[&str]) -> Vec<Value> {
    let out = creeplint(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");
    doc["findings"].as_array().cloned().unwrap_or_default()
}

/// The rule ids of the findings, in output order.
fn rule_ids(dir: &Path, args: &[&str]) -> Vec<String> {
    json_findings(dir, args)
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn creepy_spend_exits_1_and_points_at_line_and_column() {
    let dir = workspace(&[(
        "winback.txt",
        "Hi there,\n\nThanks for a great year. You spent $342 with us last month.\n",
    )]);
    creeplint(dir.path())
        .args(["check", "winback.txt", "--format", "concise"])
        .assert()
        .code(1)
        .stdout("winback.txt:3:26: error[spend.quoted-total] Quotes the reader's own spending back to them\n");
}

#[test]
fn an_offer_is_clean_and_exits_0() {
    let dir = workspace(&[("offer.txt", "Spend $75, get free shipping\n")]);
    creeplint(dir.path())
        .args(["check", "offer.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No creepy copy found in 1 file."));
}

#[test]
fn markdown_position_is_exact_after_front_matter_and_markup() {
    // Line 7, column 12: after front matter, inside a list item, behind bold markup.
    let md = "---\nsubject: \"Spring picks\"\nfrom: Shop\n---\n\n# Hello\n- **Wow**, you spent $342 with us.\n";
    let dir = workspace(&[("news.md", md)]);
    let f = json_findings(dir.path(), &["news.md"]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["line"], 7);
    assert_eq!(f[0]["column"], 12);
    assert_eq!(f[0]["end_line"], 7);
    assert_eq!(f[0]["end_column"], 26);
    assert_eq!(f[0]["matched"], "you spent $342");
    assert_eq!(f[0]["rule"], "spend.quoted-total");
}

#[test]
fn a_phrase_broken_across_lines_and_curly_quotes_still_match_with_exact_span() {
    let text = "Hello!\nYou\u{2019}ve spent\n  $1,186 with us.\n";
    let dir = workspace(&[("a.txt", text)]);
    let f = json_findings(dir.path(), &["a.txt"]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (f[0]["end_line"].as_u64(), f[0]["end_column"].as_u64()),
        (Some(3), Some(9))
    );
    assert_eq!(f[0]["matched"], "You\u{2019}ve spent\n  $1,186");
}

#[test]
fn paragraphs_do_not_join_and_code_fences_are_not_copy() {
    let md = "You spent\n\n$342 on shoes.\n\n```\nYou spent $342\n```\n";
    let dir = workspace(&[("a.md", md)]);
    assert!(json_findings(dir.path(), &["a.md"]).is_empty());
}

#[test]
fn merge_field_finding_names_the_field() {
    let dir = workspace(&[(
        "vip.txt",
        "Hi!\nYou've spent {{ customer.total_spent | money }} this year.\n",
    )]);
    creeplint(dir.path())
        .args(["check", "vip.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "2 | You've spent {{ customer.total_spent | money }} this year.",
        ))
        .stdout(predicate::str::contains(
            "the merge field `customer.total_spent` looks like money",
        ))
        .stdout(predicate::str::contains("help: "))
        .stdout(predicate::str::contains(
            "Found 1 problem (1 error) in 1 file.",
        ));
}

#[test]
fn json_output_has_the_documented_fields() {
    let dir = workspace(&[("a.txt", "You still owe $4,870 on your Visa.\n")]);
    let out = creeplint(dir.path())
        .args(["check", "a.txt", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &doc["findings"][0];
    for key in [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "rule",
        "severity",
        "message",
        "matched",
        "suggestion",
        "why",
    ] {
        assert!(!f[key].is_null(), "finding lacks `{key}`: {f}");
    }
    assert_eq!(f["path"], "a.txt");
    assert_eq!(doc["summary"]["findings"], 1);
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["files_checked"], 1);
}

/// Runs `creeplint ARGS` in `dir` on a pseudo-terminal (util-linux `script`), so that
/// `--color auto` sees a terminal; `None` (loudly, or a failure under CI) when `script` is missing.
fn on_a_terminal(dir: &Path, args: &str, no_color: bool) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(script) = script else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "util-linux `script` is needed to test colour on a terminal"
        );
        eprintln!("\n!!!!!!!! SKIPPED: no `script` to test colour on a terminal !!!!!!!!\n");
        return None;
    };
    let bin = std::env::var_os("CREEPLINT_TEST_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| assert_cmd::cargo::cargo_bin("creeplint"));
    let mut cmd = Command::new(script);
    cmd.current_dir(dir)
        .timeout(common::PROCESS_TIMEOUT)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"]);
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn colour_follows_the_color_flag_and_no_color() {
    const ESC: &str = "\u{1b}[";
    let dir = workspace(&[("a.txt", "You spent $342 with us.\n")]);
    let stdout = |args: &[&str]| -> String {
        let out = creeplint(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = stdout(&["check", "a.txt", "--color", "always"]);
    assert!(coloured.contains(ESC), "--color always: {coloured:?}");
    // `always` wins over NO_COLOR, as the flag is the more specific choice.
    let forced = creeplint(dir.path())
        .args(["check", "a.txt", "--color", "always"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains(ESC));
    let plain = stdout(&["check", "a.txt", "--color", "never"]);
    assert!(!plain.contains(ESC), "--color never: {plain:?}");
    assert!(plain.contains("spend.quoted-total"), "{plain}");
    // Not a terminal: auto means no colour.
    let piped = stdout(&["check", "a.txt"]);
    assert!(!piped.contains(ESC), "auto into a pipe: {piped:?}");
    // On a terminal: auto colours, unless NO_COLOR is set; never stays plain.
    if let Some(tty) = on_a_terminal(dir.path(), "check a.txt", false) {
        assert!(tty.contains("spend.quoted-total"), "{tty}");
        assert!(tty.contains(ESC), "auto on a terminal: {tty:?}");
        let no_color = on_a_terminal(dir.path(), "check a.txt", true).unwrap();
        assert!(no_color.contains("spend.quoted-total"), "{no_color}");
        assert!(
            !no_color.contains(ESC),
            "NO_COLOR on a terminal: {no_color:?}"
        );
        let never = on_a_terminal(dir.path(), "check a.txt --color never", false).unwrap();
        assert!(
            !never.contains(ESC),
            "--color never on a terminal: {never:?}"
        );
    }
}

#[test]
fn fail_on_sets_the_threshold() {
    // spend.price-paid is a warning.
    let dir = workspace(&[("a.txt", "You paid full price last time.\n")]);
    let check = |extra: &[&str]| {
        let mut cmd = creeplint(dir.path());
        cmd.args(["check", "a.txt", "--select", "spend.price-paid"])
            .args(extra);
        cmd.assert()
    };
    check(&[]).code(1);
    check(&["--fail-on", "error"]).code(0);
    check(&["--fail-on", "never"]).code(0);
    creeplint(dir.path())
        .args(["check", "a.txt", "--fail-on", "bogus"])
        .assert()
        .code(2);
}

#[test]
fn select_and_ignore_take_ids_packs_and_globs() {
    let dir = workspace(&[(
        "a.txt",
        "You spent $342 with us. You still owe $4,870 on your card.\n",
    )]);
    let rules = |args: &[&str]| -> Vec<String> { rule_ids(dir.path(), args) };
    assert_eq!(
        rules(&["a.txt", "--select", "spend"]),
        vec!["spend.quoted-total", "spend.debt-owed"]
    );
    assert_eq!(
        rules(&["a.txt", "--select", "spend.debt-*"]),
        vec!["spend.debt-owed"]
    );
    assert_eq!(
        rules(&[
            "a.txt",
            "--select",
            "spend",
            "--ignore",
            "spend.quoted-total"
        ]),
        vec!["spend.debt-owed"]
    );
    assert!(rules(&["a.txt", "--ignore", "spend"])
        .iter()
        .all(|r| !r.starts_with("spend.")));
}

#[test]
fn directories_are_walked_skipping_hidden_and_vendor_dirs() {
    let creepy = "You spent $342 with us.\n";
    let dir = workspace(&[
        ("copy/a.md", creepy),
        ("copy/b.txt", creepy),
        ("copy/notes.rs", creepy),
        (".git/x.txt", creepy),
        ("node_modules/y.txt", creepy),
        ("target/z.txt", creepy),
        (".hidden/w.txt", creepy),
    ]);
    let paths: Vec<String> = json_findings(dir.path(), &[])
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, vec!["copy/a.md", "copy/b.txt"]);
    // A file named explicitly is checked whatever its extension.
    assert_eq!(json_findings(dir.path(), &["copy/notes.rs"]).len(), 1);
}

#[test]
fn standard_input_is_named_by_stdin_filename() {
    let dir = workspace(&[]);
    creeplint(dir.path())
        .args(["check", "-", "--stdin-filename", "draft.md", "--format", "concise"])
        .write_stdin("# Draft\n\nYou spent $342 with us.\n")
        .assert()
        .code(1)
        .stdout("draft.md:3:1: error[spend.quoted-total] Quotes the reader's own spending back to them\n");
    creeplint(dir.path())
        .args(["check", "-"])
        .write_stdin("Spend $75, get free shipping\n")
        .assert()
        .code(0);
}

#[test]
fn a_missing_path_is_an_io_error_but_other_files_are_still_checked() {
    let dir = workspace(&[("a.txt", "You spent $342 with us.\n")]);
    creeplint(dir.path())
        .args(["check", "nope.txt", "a.txt", "--format", "concise"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.txt"))
        .stdout(predicate::str::contains(
            "a.txt:1:1: error[spend.quoted-total]",
        ));
}

#[test]
fn config_is_discovered_upward_and_flags_win() {
    let dir = workspace(&[
        (
            "creeplint.toml",
            "select = [\"spend\"]\nignore = [\"spend.quoted-total\"]\nfail-on = \"error\"\n",
        ),
        (
            "sub/deeper/a.txt",
            "You spent $342 with us. You paid full price.\n",
        ),
    ]);
    let sub = dir.path().join("sub/deeper");
    let rules: Vec<String> = rule_ids(&sub, &["a.txt"]);
    assert_eq!(rules, vec!["spend.price-paid"]);
    // fail-on = error from the file: a warning alone passes...
    creeplint(&sub).args(["check", "a.txt"]).assert().code(0);
    // ...the flag wins over the file...
    creeplint(&sub)
        .args(["check", "a.txt", "--fail-on", "warning"])
        .assert()
        .code(1);
    // ...and --no-config ignores it.
    let spend = |f: &Vec<Value>| f.iter().filter(|x| x["pack"] == "spend").count();
    assert_eq!(spend(&json_findings(&sub, &["a.txt", "--no-config"])), 2);
}

#[test]
fn dot_creeplint_toml_and_explicit_config_are_read() {
    let dir = workspace(&[
        (".creeplint.toml", "select = [\"spend.price-paid\"]\n"),
        ("other.toml", "select = [\"spend.quoted-total\"]\n"),
        ("a.txt", "You spent $342 with us. You paid full price.\n"),
    ]);
    let rule = |args: &[&str]| {
        json_findings(dir.path(), args)[0]["rule"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(rule(&["a.txt"]), "spend.price-paid");
    assert_eq!(
        rule(&["a.txt", "--config", "other.toml"]),
        "spend.quoted-total"
    );
}

#[test]
fn severity_overrides_in_config() {
    let dir = workspace(&[
        (
            "creeplint.toml",
            "select = [\"spend\"]\n[severity]\n\"spend.*\" = \"info\"\n",
        ),
        ("a.txt", "You spent $342 with us.\n"),
    ]);
    let f = json_findings(dir.path(), &["a.txt"]);
    assert_eq!(f[0]["severity"], "info");
    creeplint(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(0);
}

#[test]
fn config_errors_name_file_and_line() {
    let dir = workspace(&[
        (
            "creeplint.toml",
            "select = [\"spend\"]\nfial-on = \"error\"\n",
        ),
        ("a.txt", "ok\n"),
    ]);
    creeplint(dir.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("creeplint.toml:2:1"))
        .stderr(predicate::str::contains("unknown field `fial-on`"));
}

/// A valid user pack, for variations that break one thing each.
const GOOD_PACK: &str = r#"[pack]
name = "mine"
description = "A test pack"

[[rules]]
id = "mine.nickname"
severity = "warning"
message = "Uses the reader's nickname from a data broker"
why = "They never told you."
suggest = "Use the name they signed up with."
patterns = ['\bbuddy\s+boy\b']
examples.bad = ["Hey buddy boy!"]
examples.good = ["Hey there!"]
"#;

fn pack_error(pack: &str) -> (i32, String) {
    let dir = workspace(&[("mine.toml", pack), ("a.txt", "Hello\n")]);
    let out = creeplint(dir.path())
        .args(["check", "a.txt", "--pack", "mine.toml"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_user_pack_loads_and_fires() {
    let dir = workspace(&[
        ("mine.toml", GOOD_PACK),
        ("a.txt", "Well hello, buddy boy.\n"),
    ]);
    creeplint(dir.path())
        .args([
            "check",
            "a.txt",
            "--pack",
            "mine.toml",
            "--format",
            "concise",
        ])
        .assert()
        .code(1)
        .stdout(
            "a.txt:1:13: warning[mine.nickname] Uses the reader's nickname from a data broker\n",
        );
    creeplint(dir.path())
        .args(["rules", "test", "mine.toml"])
        .assert()
        .code(0)
        .stdout("2 passed, 0 failed\n");
}

#[test]
fn pack_with_a_typo_in_a_key_names_file_and_line() {
    let (code, err) = pack_error(&GOOD_PACK.replace("suggest =", "sugest ="));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("mine.toml:10:1"), "{err}");
    assert!(err.contains("unknown field `sugest`"), "{err}");
}

#[test]
fn pack_with_a_wrong_type_names_file_and_line() {
    let (code, err) = pack_error(&GOOD_PACK.replace("severity = \"warning\"", "severity = 3"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("mine.toml:7:12"), "{err}");
    let (code, err) =
        pack_error(&GOOD_PACK.replace("severity = \"warning\"", "severity = \"fatal\""));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("mine.toml:7") && err.contains("fatal"),
        "{err}"
    );
}

#[test]
fn pack_with_an_invalid_regex_names_file_line_and_rule() {
    let (code, err) = pack_error(&GOOD_PACK.replace(r"\bbuddy\s+boy\b", r"buddy(boy"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("mine.toml:11:13"), "{err}");
    assert!(err.contains("rule `mine.nickname`"), "{err}");
    assert!(err.contains("invalid regex"), "{err}");
}

#[test]
fn pack_with_an_unknown_macro_or_field_kind_is_refused() {
    let (code, err) = pack_error(&GOOD_PACK.replace(r"\bbuddy\s+boy\b", "{pal} boy"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("mine.toml:11") && err.contains("unknown macro `{pal}`"),
        "{err}"
    );
    let (code, err) = pack_error(&GOOD_PACK.replace(r"\bbuddy\s+boy\b", "{field:shoe_colour}"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown field kind"), "{err}");
}

#[test]
fn pack_with_a_duplicate_rule_id_is_refused() {
    let rule = &GOOD_PACK[GOOD_PACK.find("[[rules]]").unwrap()..];
    let (code, err) = pack_error(&format!("{GOOD_PACK}\n{rule}"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("mine.toml:16") && err.contains("duplicate rule id"),
        "{err}"
    );
}

#[test]
fn pack_without_examples_is_refused() {
    let no_good = GOOD_PACK.replace("examples.good = [\"Hey there!\"]\n", "");
    let (code, err) = pack_error(&no_good);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("mine.nickname") && err.contains("examples.good"),
        "{err}"
    );
    let none = no_good.replace("examples.bad = [\"Hey buddy boy!\"]\n", "");
    let (code, err) = pack_error(&none);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("mine.toml:5") && err.contains("has no examples"),
        "{err}"
    );
}

#[test]
fn pack_that_is_not_toml_or_is_a_directory_or_missing() {
    let (code, err) = pack_error("[pack\nname = 1");
    assert_eq!(code, 2);
    assert!(err.contains("mine.toml:1"), "{err}");
    let dir = workspace(&[("a.txt", "x\n")]);
    fs::create_dir(dir.path().join("packdir")).unwrap();
    creeplint(dir.path())
        .args(["check", "a.txt", "--pack", "packdir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("packdir").and(predicate::str::contains("directory")));
    creeplint(dir.path())
        .args(["check", "a.txt", "--pack", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn rules_test_reports_failing_examples_like_a_test_runner() {
    let broken = GOOD_PACK.replace(
        "examples.good = [\"Hey there!\"]",
        "examples.good = [\"Hey there, buddy boy\"]",
    );
    let dir = workspace(&[("mine.toml", &broken)]);
    creeplint(dir.path())
        .args(["rules", "test", "mine.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FAIL mine.nickname examples.good[1]: flagged by mine.nickname",
        ))
        .stdout(predicate::str::contains("1 passed, 1 failed"));
}

#[test]
fn every_built_in_pack_passes_its_own_examples() {
    let dir = workspace(&[]);
    creeplint(dir.path())
        .args(["rules", "test"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" 0 failed"));
}

#[test]
fn rules_lists_every_rule_and_explain_teaches_one() {
    let dir = workspace(&[]);
    creeplint(dir.path()).arg("rules").assert().code(0).stdout(
        predicate::str::contains("spend.quoted-total").and(predicate::str::contains("error")),
    );
    creeplint(dir.path())
        .args(["explain", "spend.quoted-total"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Why it is creepy"))
        .stdout(predicate::str::contains("How to rewrite it"))
        .stdout(predicate::str::contains(
            "You spent $342 with us last month.",
        ));
    creeplint(dir.path())
        .args(["explain", "spend.quoted"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("did you mean")
                .and(predicate::str::contains("spend.quoted-total")),
        );
}

#[test]
fn the_linter_never_writes_into_what_it_scans() {
    let text = "You spent $342 with us.\n";
    let dir = workspace(&[("a.txt", text)]);
    let before = fs::metadata(dir.path().join("a.txt"))
        .unwrap()
        .modified()
        .unwrap();
    creeplint(dir.path()).args(["check", "."]).assert().code(1);
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), text);
    assert_eq!(
        fs::metadata(dir.path().join("a.txt"))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no file was created"
    );
}

#[test]
fn config_is_found_from_the_checked_path_before_the_working_directory() {
    let dir = workspace(&[
        (
            "repo/campaigns/creeplint.toml",
            "select = [\"spend\"]\nignore = [\"spend.quoted-total\"]\n",
        ),
        (
            "repo/campaigns/a.txt",
            "You spent $342 with us. You still owe $4,870 on your card.\n",
        ),
    ]);
    let repo = dir.path().join("repo");
    let rules: Vec<String> = rule_ids(&repo, &["campaigns"]);
    assert_eq!(rules, vec!["spend.debt-owed"]);
    let rules: Vec<String> = rule_ids(&repo, &["campaigns/a.txt"]);
    assert_eq!(rules, vec!["spend.debt-owed"]);
}

#[test]
fn overlapping_findings_of_one_pack_collapse_to_the_most_specific() {
    // spend.price-paid ("You paid $89 for") and spend.quoted-total ("You paid $89") both match
    // this phrase, which is spend.price-paid's own example: the longer, more specific match is
    // kept, whatever the severities.
    let dir = workspace(&[("a.txt", "You paid $89 for this jacket in March.\n")]);
    let rules = |args: &[&str]| -> Vec<String> { rule_ids(dir.path(), args) };
    assert_eq!(
        rules(&["a.txt", "--select", "spend"]),
        vec!["spend.price-paid"]
    );
    // With that rule off, the other still reports the phrase.
    assert_eq!(
        rules(&["a.txt", "--select", "spend", "--ignore", "spend.price-paid"]),
        vec!["spend.quoted-total"]
    );
}

#[test]
fn every_subcommand_has_help_and_source_flags_work_after_subcommands() {
    let dir = workspace(&[]);
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["explain", "--help"],
        vec!["rules", "--help"],
        vec!["rules", "list", "--help"],
        vec!["rules", "test", "--help"],
        vec!["rules", "eval", "--help"],
        vec!["init", "--help"],
        vec!["completions", "--help"],
    ] {
        creeplint(dir.path())
            .args(&args)
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Usage"));
    }
    // `--no-builtin` given after the subcommand applies: nothing is listed.
    creeplint(dir.path())
        .args(["rules", "list", "--no-builtin"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn a_reader_that_goes_away_ends_every_command_quietly() {
    // `creeplint rules | head -1`: standard output closes before creeplint writes. Every command
    // stops without a panic; `check` keeps its exit code, the listings exit 0.
    use std::process::{Command as Process, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("creeplint");
    let bin = std::env::var_os("CREEPLINT_TEST_BIN").map_or(bin, std::path::PathBuf::from);
    let corpus = common::root().join("tests/corpus/messages.tsv");
    let corpus = corpus.to_str().unwrap();
    for args in [
        vec!["rules", "--no-config"],
        vec!["rules", "--no-config", "test"],
        vec!["rules", "--no-config", "eval", corpus],
        vec!["explain", "--no-config", "spend"],
        vec!["check", "--no-config", corpus],
    ] {
        let mut child = Process::new(&bin)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
}
