//! `--format gitlab`, `--format junit` and `creeplint schema`, each checked by a real validator
//! against the schema its consumer publishes:
//! - the GitLab Code Quality report against GitLab's parser schema and its documented format
//!   (`tests/schemas/gitlab/`), with `check-jsonschema` from PyPI;
//! - JUnit XML against the Jenkins xunit plugin's `junit-10.xsd` (`tests/schemas/junit/`), with
//!   `xmlschema` from PyPI;
//! - every pack in `rules/`, `examples/creeplint.toml` and the `init` starter against the schemas
//!   `creeplint schema` prints, with `check-jsonschema` (which reads TOML itself), and with Taplo
//!   (`@taplo/cli` from npm, the engine of the TOML editors), which follows the `#:schema` line.
//!
//! `.ci/run` installs both Python packages in the venv under `target/ci-tools` and sets
//! `CREEPLINT_PYTHON`, and installs Taplo under `target/ci-tools/node_modules`. Without them the
//! tests fail under CI (`CI=true`) and are skipped loudly elsewhere.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Fails under CI, warns loudly elsewhere.
fn missing(msg: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
}

/// A Python that has `check_jsonschema` and `xmlschema`.
fn python() -> Option<PathBuf> {
    let python = std::env::var_os("CREEPLINT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ci-tools/venv/bin/python"));
    let usable = python.is_file()
        && std::process::Command::new(&python)
            .args(["-c", "import check_jsonschema, xmlschema"])
            .status()
            .is_ok_and(|s| s.success());
    if !usable {
        missing(
            "Python with check-jsonschema and xmlschema not found: run .ci/run, or set CREEPLINT_PYTHON",
        );
        return None;
    }
    Some(python)
}

/// Runs check-jsonschema; returns (passed, its output).
fn check_jsonschema(python: &Path, schema: &Path, instances: &[PathBuf]) -> (bool, String) {
    let out = std::process::Command::new(python)
        .args(["-m", "check_jsonschema", "--schemafile"])
        .arg(schema)
        .args(instances)
        .output()
        .expect("run check-jsonschema");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A small campaign with findings of every severity, notes and awkward copy: markup, quotes,
/// ampersands, control characters, a binary file and invalid UTF-8.
fn campaign() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    write("creeplint.toml", b"fail-on = \"info\"\n");
    write(
        "emails/winback.html",
        "<p>Hi {{ first_name }} &amp; co, \u{201C}You\u{2019}ve spent {{ customer.total_spent }}\u{201D} <b>with us</b>.</p>\n<!-- creeplint-disable-next-line spend -->\n<p>Nothing here.</p>\n"
            .as_bytes(),
    );
    write(
        "sms/week14.txt",
        b"Thanks!\nYou spent\x0c$342 with us, <100% of it> on \"shoes\" & socks.\nYou spent $342 with us, again.\n",
    );
    write("sms/lossy.txt", b"You spent $20 here \xff\xfe.\n");
    write("assets/logo.png.txt", b"PNG\0\0\0binary");
    write("clean.txt", b"Spend $75 and get free shipping.\n");
    dir
}

fn creeplint(dir: &Path, args: &[&str]) -> std::process::Output {
    common::binary()
        .current_dir(dir)
        .args(["check", "--color", "never", "--report-unused-directives"])
        .args(args)
        .output()
        .unwrap()
}

fn json_findings(dir: &Path) -> Vec<Value> {
    let out = creeplint(dir, &["--format", "json", "."]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    doc["findings"].as_array().unwrap().clone()
}

#[test]
fn gitlab_report_passes_gitlabs_schema() {
    let Some(python) = python() else { return };
    let dir = campaign();
    let out = creeplint(dir.path(), &["--format", "gitlab", "."]);
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    assert!(
        !out.stdout.starts_with(b"\xEF\xBB\xBF"),
        "GitLab rejects a BOM"
    );
    let report_path = dir.path().join("gl-code-quality-report.json");
    std::fs::write(&report_path, &out.stdout).unwrap();
    let schema = root().join("tests/schemas/gitlab/code-quality-report.json");
    let (ok, text) = check_jsonschema(&python, &schema, std::slice::from_ref(&report_path));
    assert!(ok, "the report fails GitLab's schema:\n{text}");

    let issues: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json_findings(dir.path());
    // Every finding is an issue, with the same rule, line and fingerprint as in JSON.
    for f in &findings {
        assert!(
            issues.iter().any(|i| i["check_name"] == f["rule"]
                && i["fingerprint"] == f["fingerprint"]
                && i["location"]["path"] == f["path"]
                && i["location"]["lines"]["begin"] == f["line"]),
            "no issue for {f}"
        );
    }
    let severities: Vec<&str> = issues
        .iter()
        .map(|i| i["severity"].as_str().unwrap())
        .collect();
    assert!(severities.contains(&"major") && severities.contains(&"info"));
    // The notes are issues too: the skipped binary file and the lossy one.
    for (check, path) in [
        ("creeplint.skipped-binary", "assets/logo.png.txt"),
        ("creeplint.lossy-utf8", "sms/lossy.txt"),
    ] {
        assert!(
            issues
                .iter()
                .any(|i| i["check_name"] == check && i["location"]["path"] == path),
            "no {check} issue: {issues:?}"
        );
    }
    // GitLab tells issues apart by fingerprint: two equal findings on different lines differ.
    let mut prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let n = prints.len();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), n, "fingerprints are not unique");
    assert_eq!(issues.len(), findings.len() + 2);
}

#[test]
fn the_gitlab_schema_rejects_what_gitlab_rejects() {
    // The schema check above can fail: a report with a severity GitLab does not know fails it.
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "error",
             "location": {"path": "a.txt", "lines": {"begin": 1}}}]"#,
    )
    .unwrap();
    let schema = root().join("tests/schemas/gitlab/code-quality-report.json");
    let (ok, text) = check_jsonschema(&python, &schema, &[bad]);
    assert!(!ok && text.contains("severity"), "{text}");
}

/// Validates an XML file against the Jenkins JUnit XSD; returns the violations.
fn junit_violations(python: &Path, xml: &Path) -> Vec<String> {
    const SCRIPT: &str = r#"
import sys, xmlschema
schema = xmlschema.XMLSchema(sys.argv[1])
for e in schema.iter_errors(sys.argv[2]):
    print(f"{e.path}: {e.reason}")
"#;
    let out = std::process::Command::new(python)
        .args(["-c", SCRIPT])
        .arg(root().join("tests/schemas/junit/junit-10.xsd"))
        .arg(xml)
        .output()
        .expect("run xmlschema");
    assert!(
        out.status.success(),
        "xmlschema could not read the report: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn junit_report_passes_the_jenkins_xsd() {
    let Some(python) = python() else { return };
    let dir = campaign();
    let out = creeplint(dir.path(), &["--format", "junit", "."]);
    assert_eq!(out.status.code(), Some(1));
    let xml = dir.path().join("creeplint-junit.xml");
    std::fs::write(&xml, &out.stdout).unwrap();
    let violations = junit_violations(&python, &xml);
    assert!(violations.is_empty(), "{violations:#?}");

    let text = String::from_utf8(out.stdout).unwrap();
    let findings = json_findings(dir.path());
    assert_eq!(text.matches("<failure ").count(), findings.len());
    assert!(text.contains(&format!("failures=\"{}\"", findings.len())));
    // The copy's markup is escaped and its control characters replaced; the binary file is a
    // skipped test case; the lossy file's note is in its suite's system-err.
    assert!(text.contains("matched: You spent\u{fffd}$342"), "{text}");
    assert!(
        text.contains("Quotes the reader&apos;s own spending"),
        "{text}"
    );
    assert!(text.contains("<skipped type=\"skipped-binary\""));
    assert!(text.contains("<system-err>warning: not valid UTF-8"));
}

#[test]
fn a_clean_junit_report_is_one_passing_test_and_valid() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clean.txt"),
        "Spend $75 and get free shipping.\n",
    )
    .unwrap();
    let out = creeplint(dir.path(), &["--no-config", "--format", "junit", "."]);
    assert_eq!(out.status.code(), Some(0));
    let xml = dir.path().join("report.xml");
    std::fs::write(&xml, &out.stdout).unwrap();
    assert!(junit_violations(&python, &xml).is_empty());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
        "{text}"
    );
    assert!(text.contains("checked 1 file(s): 0 finding(s)"), "{text}");
}

#[test]
fn the_junit_xsd_check_can_fail() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("bad.xml");
    // A test case without the required name.
    std::fs::write(
        &xml,
        r#"<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>"#,
    )
    .unwrap();
    assert!(!junit_violations(&python, &xml).is_empty());
}

fn schema_file(kind: &str, dir: &Path) -> PathBuf {
    let out = common::binary().args(["schema", kind]).output().unwrap();
    assert!(out.status.success());
    let path = dir.join(format!("{kind}.json"));
    std::fs::write(&path, &out.stdout).unwrap();
    path
}

#[test]
fn every_pack_and_config_in_the_repo_passes_the_schemas() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let packs: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    assert!(packs.len() >= 5, "the built-in packs: {packs:?}");
    let (ok, text) = check_jsonschema(&python, &schema_file("pack", dir.path()), &packs);
    assert!(ok, "a pack fails the pack schema:\n{text}");
    let configs = [
        root().join("examples/creeplint.toml"),
        root().join("src/starter.toml"),
    ];
    let (ok, text) = check_jsonschema(&python, &schema_file("config", dir.path()), &configs);
    assert!(ok, "a config fails the config schema:\n{text}");
}

#[test]
fn the_schemas_reject_what_creeplint_rejects() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("typo.toml");
    std::fs::write(
        &pack,
        "[pack]\nname = \"typo\"\ndescription = \"d\"\n\n[[rules]]\nid = \"typo.a\"\nseverity = \"fatal\"\nmessage = \"m\"\nwhy = \"w\"\nsuggest = \"s\"\npaterns = [\"x\"]\n",
    )
    .unwrap();
    let (ok, text) = check_jsonschema(
        &python,
        &schema_file("pack", dir.path()),
        std::slice::from_ref(&pack),
    );
    assert!(!ok, "the schema accepts a bad pack:\n{text}");
    assert!(text.contains("fatal") && text.contains("paterns"), "{text}");
    // creeplint rejects the same file.
    let out = common::binary()
        .current_dir(dir.path())
        .args(["rules", "--no-config", "--no-builtin", "--pack"])
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let config = dir.path().join("creeplint.toml");
    std::fs::write(&config, "fail-on = \"sometimes\"\nmax_file_size = 10\n").unwrap();
    let (ok, text) = check_jsonschema(&python, &schema_file("config", dir.path()), &[config]);
    assert!(
        !ok && text.contains("sometimes") && text.contains("max_file_size"),
        "{text}"
    );
}

#[test]
fn the_committed_schemas_are_what_creeplint_prints() {
    for kind in ["config", "pack"] {
        let out = common::binary().args(["schema", kind]).output().unwrap();
        let committed = root().join(format!("docs/schema/{kind}.json"));
        let text = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            text == String::from_utf8_lossy(&out.stdout),
            "{} is out of date: run `creeplint schema {kind} > docs/schema/{kind}.json`",
            committed.display()
        );
    }
}

#[test]
fn the_example_config_names_its_schema_for_taplo() {
    let text = std::fs::read_to_string(root().join("examples/creeplint.toml")).unwrap();
    let first = text.lines().next().unwrap_or_default();
    assert!(first.starts_with("#:schema "), "{first}");
    let target = first.trim_start_matches("#:schema ").trim();
    assert!(
        root().join("examples").join(target).is_file(),
        "#:schema points at {target}, which is not a file"
    );
}

/// Taplo's command line (`@taplo/cli`), or `None` (after [`missing`]).
fn taplo() -> Option<PathBuf> {
    let taplo = std::env::var_os("CREEPLINT_TAPLO")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ci-tools/node_modules/.bin/taplo"));
    if !taplo.is_file() {
        missing("Taplo not found: run .ci/run (npm @taplo/cli), or set CREEPLINT_TAPLO");
        return None;
    }
    Some(taplo)
}

/// Runs `taplo check` in `dir`; returns (passed, its output).
fn taplo_check(taplo: &Path, dir: &Path, args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = std::process::Command::new(taplo)
        .current_dir(dir)
        .arg("check")
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run taplo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Taplo only warns when it cannot load a schema, and then validates nothing.
    let loaded =
        !text.contains("failed to fetch schema") && !text.contains("failed to load schema");
    (out.status.success() && loaded, text)
}

#[test]
fn taplo_follows_the_schema_line_and_checks_packs() {
    let Some(taplo) = taplo() else { return };
    // The example config names docs/schema/config.json on its first line.
    let example = root().join("examples/creeplint.toml");
    let (ok, text) = taplo_check(&taplo, root(), &[example.as_os_str()]);
    assert!(ok, "{text}");
    // A config with mistakes, naming the same schema, fails where the mistakes are.
    let dir = tempfile::tempdir().unwrap();
    let schema = root().join("docs/schema/config.json");
    let bad = dir.path().join("creeplint.toml");
    std::fs::write(
        &bad,
        format!(
            "#:schema {}\nfail-on = \"sometimes\"\nmax_file_size = 3\n",
            schema.display()
        ),
    )
    .unwrap();
    let (ok, text) = taplo_check(&taplo, dir.path(), &[bad.as_os_str()]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("sometimes") && text.contains("max_file_size"),
        "{text}"
    );
    // Every built-in pack against the pack schema.
    let url = format!("file://{}", root().join("docs/schema/pack.json").display());
    let mut args: Vec<std::ffi::OsString> = vec!["--schema".into(), url.into()];
    for e in std::fs::read_dir(root().join("rules")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            args.push(p.into_os_string());
        }
    }
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let (ok, text) = taplo_check(&taplo, root(), &args);
    assert!(ok, "{text}");
}
