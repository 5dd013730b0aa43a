//! `--format sarif` checked by two real validators:
//! - the SARIF Multitool's `validate` verb (npm package `@microsoft/sarif-multitool-linux`, offline),
//!   with the SARIF rules plus GitHub's ingestion rules (`--rule-kind "Sarif;Gh"`);
//! - the SARIF 2.1.0 JSON schema that package ships (`sarif-2.1.0.json`), checked with Python's
//!   `jsonschema` from PyPI. Both are needed: the Multitool silently accepts a log whose enum values
//!   are invalid (`columnKind: "bytes"`), which the schema catches.
//!
//! `.ci/run` installs both under `target/ci-tools`, sets `CREEPLINT_SARIF_MULTITOOL` and
//! `CREEPLINT_PYTHON`, and runs the validator tests, which are `#[ignore]`d in a plain `cargo test`
//! (they need the tools): `cargo test --test sarif -- --include-ignored`. Run that way, a missing
//! validator fails the test; it never passes as `ok` without validating. The checks of the log's
//! own structure run in every `cargo test`.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools")
}

/// A validator test cannot run without its validator: it fails.
fn missing(msg: &str) -> ! {
    panic!("{msg} ({NEEDS_VALIDATORS})");
}

/// Why the validator tests are ignored in a plain `cargo test`.
const NEEDS_VALIDATORS: &str = "needs the SARIF Multitool and Python jsonschema: run .ci/run, or \
    install them and run `cargo test --test sarif -- --include-ignored`";

/// A Python with `jsonschema`, and the schema file.
fn schema_validator() -> (PathBuf, PathBuf) {
    let python = std::env::var_os("CREEPLINT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| tools_dir().join("venv/bin/python"));
    let schema = multitool().with_file_name("sarif-2.1.0.json");
    let usable = python.is_file()
        && schema.is_file()
        && std::process::Command::new(&python)
            .args(["-c", "import jsonschema"])
            .status()
            .is_ok_and(|s| s.success());
    if !usable {
        missing("Python with jsonschema or the SARIF schema not found: run .ci/run, or set CREEPLINT_PYTHON");
    }
    (python, schema)
}

/// Validates `log` against the JSON schema; returns the violations.
fn schema_violations(python: &Path, schema: &Path, log: &Path) -> Vec<String> {
    const SCRIPT: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
log = json.load(open(sys.argv[2], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
for e in cls(schema).iter_errors(log):
    print("/".join(map(str, e.absolute_path)) + ": " + e.message[:300])
"#;
    let out = std::process::Command::new(python)
        .args(["-c", SCRIPT])
        .arg(schema)
        .arg(log)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "schema validation crashed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn multitool() -> PathBuf {
    let candidates = [
        std::env::var_os("CREEPLINT_SARIF_MULTITOOL").map(PathBuf::from),
        Some(tools_dir().join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            missing(
                "SARIF Multitool not found: set CREEPLINT_SARIF_MULTITOOL or run .ci/run, which \
                 installs @microsoft/sarif-multitool-linux from npm",
            )
        })
}

/// Both validators' complaints about the log at `path`, schema first.
fn complaints(path: &Path) -> Vec<String> {
    let (python, schema) = schema_validator();
    let mut found = schema_violations(&python, &schema, path);
    found.extend(validate(&multitool(), path));
    found
}

/// Validates `log` and returns the validator's complaints (errors and warnings).
fn validate(tool: &Path, log: &Path) -> Vec<String> {
    let out = log.with_extension("validation.sarif");
    let status = std::process::Command::new(tool)
        .arg("validate")
        .arg(log)
        .arg("-o")
        .arg(&out)
        .args(["--log", "ForceOverwrite", "--rule-kind", "Sarif;Gh"])
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        .output()
        .expect("run the SARIF Multitool");
    let report: Value = serde_json::from_slice(&std::fs::read(&out).unwrap_or_else(|e| {
        panic!(
            "the validator wrote no report ({e}); stdout: {}\nstderr: {}",
            String::from_utf8_lossy(&status.stdout),
            String::from_utf8_lossy(&status.stderr)
        )
    }))
    .expect("validator output is JSON");
    let results = report["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    results
        .iter()
        // A result without a level is a warning (SARIF 3.27.10).
        .filter(|r| {
            matches!(
                r["level"].as_str().unwrap_or("warning"),
                "error" | "warning"
            )
        })
        .map(|r| {
            format!(
                "{} {} {}",
                r["level"].as_str().unwrap_or("warning"),
                r["ruleId"],
                r["message"]
            )
        })
        .collect()
}

fn campaign() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "emails/winback café.md",
        "---\nsubject: We miss you\n---\n\nHi! “You’ve spent {{ customer.total_spent }}” — come back.\n\n<!-- creeplint-disable-next-line -->\nYou spent $20 here.\n",
    );
    write(
        "sms/week14.txt",
        "Thanks!\nYou spent $342 with us, 100% of it on shoes.\n\n# creeplint-disable-line spend\n",
    );
    write("clean.txt", "Spend $75 and get free shipping.\n");
    dir
}

fn sarif_of(dir: &Path, extra: &[&str]) -> Value {
    let out = common::creeplint(dir)
        .args(["check", "--no-config", "--format", "sarif"])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_structure_points_results_at_rules_and_relative_uris() {
    let dir = campaign();
    let log = sarif_of(dir.path(), &["--report-unused-directives"]);
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    assert!(
        results.len() >= 3,
        "findings and the unused directive: {results:#?}"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "ruleIndex points at the rule");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(r["partialFingerprints"]["creeplint/v1"].is_string());
    }
    // The path with a space and a non-ASCII letter is a relative, percent-encoded URI.
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "emails/winback%20caf%C3%A9.md"
    ));
    // The field note reaches the message.
    assert!(results.iter().any(|r| r["message"]["text"]
        .as_str()
        .unwrap()
        .contains("customer.total_spent")));
}

#[test]
#[ignore = "needs the SARIF Multitool and Python jsonschema (see NEEDS_VALIDATORS)"]
fn sarif_output_passes_the_sarif_multitool_validator() {
    let dir = campaign();
    let log = sarif_of(dir.path(), &["--report-unused-directives"]);
    let path = dir.path().join("out.sarif");
    std::fs::write(&path, serde_json::to_vec_pretty(&log).unwrap()).unwrap();
    let problems = complaints(&path);
    assert!(
        problems.is_empty(),
        "validator complaints:\n{}",
        problems.join("\n")
    );
}

#[test]
#[ignore = "needs the SARIF Multitool and Python jsonschema (see NEEDS_VALIDATORS)"]
fn artifact_uris_with_colons_spaces_and_non_ascii_pass_the_validators() {
    // `draft:v2.txt` as a relative URI reads as the scheme `draft` (SARIF1002, SARIF1004) unless
    // its colon is percent-encoded. Skipped and notes-bearing files go in the log too.
    let dir = tempfile::tempdir().unwrap();
    let creepy = "You spent $342 with us last month.\n";
    for name in [
        "draft:v2.txt",
        "spring sale/a b.txt",
        "émails/straße.txt",
        "100%.txt",
    ] {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, creepy).unwrap();
    }
    std::fs::write(dir.path().join("big:one.txt"), "x".repeat(2000)).unwrap();
    let log = sarif_of(dir.path(), &["--max-file-size", "1000"]);
    let uris: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for uri in [
        "draft%3Av2.txt",
        "spring%20sale/a%20b.txt",
        "%C3%A9mails/stra%C3%9Fe.txt",
        "100%25.txt",
    ] {
        assert!(uris.contains(&uri.to_string()), "{uri} in {uris:?}");
    }
    let path = dir.path().join("names.sarif");
    std::fs::write(&path, serde_json::to_vec_pretty(&log).unwrap()).unwrap();
    let problems = complaints(&path);
    assert!(
        problems.is_empty(),
        "validator complaints:\n{}",
        problems.join("\n")
    );
}

#[test]
#[ignore = "needs the SARIF Multitool and Python jsonschema (see NEEDS_VALIDATORS)"]
fn the_validators_really_reject_invalid_sarif() {
    let dir = campaign();
    let mut log = sarif_of(dir.path(), &[]);
    // A 0-based line: a schema violation both validators must report.
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    let zero_line = dir.path().join("zero-line.sarif");
    std::fs::write(&zero_line, serde_json::to_vec_pretty(&log).unwrap()).unwrap();
    // A column kind SARIF does not know: only the schema check catches it.
    log["runs"][0]["columnKind"] = Value::from("bytes");
    let both = dir.path().join("both.sarif");
    std::fs::write(&both, serde_json::to_vec_pretty(&log).unwrap()).unwrap();

    let (python, schema) = schema_validator();
    let violations = schema_violations(&python, &schema, &both);
    assert!(
        violations.iter().any(|p| p.contains("startLine")),
        "expected a startLine violation, got {violations:#?}"
    );
    assert!(
        violations.iter().any(|p| p.contains("columnKind")),
        "expected a columnKind violation, got {violations:#?}"
    );
    let problems = validate(&multitool(), &zero_line);
    assert!(
        problems.iter().any(|p| p.contains("startLine")),
        "expected a startLine complaint, got {problems:#?}"
    );
}

#[test]
fn sarif_fingerprints_are_the_baseline_fingerprints() {
    let dir = campaign();
    let log = sarif_of(dir.path(), &[]);
    common::creeplint(dir.path())
        .args(["check", "--no-config", "--write-baseline", "base.json", "."])
        .assert()
        .success();
    let base: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("base.json")).unwrap()).unwrap();
    let mut from_baseline: Vec<String> = base["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap().to_string())
        .collect();
    let mut from_sarif: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["creeplint/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    from_baseline.sort();
    from_sarif.sort();
    assert!(!from_sarif.is_empty());
    assert_eq!(from_baseline, from_sarif);
}

/// A SARIF log of one file outside the project root (the working directory).
fn sarif_outside_the_root() -> (tempfile::TempDir, tempfile::TempDir, Vec<u8>) {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = campaign();
    let file = elsewhere.path().join("sms/week14.txt");
    let out = common::creeplint(root.path())
        .args(["check", "--no-config", "--format", "sarif"])
        .arg(&file)
        .output()
        .unwrap();
    (root, elsewhere, out.stdout)
}

#[test]
fn files_outside_the_project_root_get_absolute_file_uris() {
    let (_root, _elsewhere, stdout) = sarif_outside_the_root();
    let log: Value = serde_json::from_slice(&stdout).unwrap();
    let artifact =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(
        artifact["uri"].as_str().unwrap().starts_with("file:///"),
        "{artifact}"
    );
    assert!(artifact.get("uriBaseId").is_none());
}

#[test]
#[ignore = "needs the SARIF Multitool and Python jsonschema (see NEEDS_VALIDATORS)"]
fn absolute_file_uris_pass_the_validators() {
    let (root, _elsewhere, stdout) = sarif_outside_the_root();
    let path = root.path().join("abs.sarif");
    std::fs::write(&path, &stdout).unwrap();
    assert_eq!(complaints(&path), Vec::<String>::new());
}
