//! `--format sarif` checked by two real validators:
//! - the SARIF Multitool's `validate` verb (npm package `@microsoft/sarif-multitool-linux`, offline),
//!   with the SARIF rules plus GitHub's ingestion rules (`--rule-kind "Sarif;Gh"`);
//! - the SARIF 2.1.0 JSON schema that package ships (`sarif-2.1.0.json`), checked with Python's
//!   `jsonschema` from PyPI. Both are needed: the Multitool silently accepts a log whose enum values
//!   are invalid (`columnKind: "bytes"`), which the schema catches.
//!
//! `.ci/run` installs both under `target/ci-tools` and sets `CREEPLINT_SARIF_MULTITOOL` and
//! `CREEPLINT_PYTHON`. Without them the tests fail under CI (`CI=true`) and are skipped loudly
//! elsewhere.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools")
}

/// Fails under CI, warns loudly elsewhere.
fn missing(msg: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
}

/// A Python with `jsonschema`, and the schema file.
fn schema_validator() -> Option<(PathBuf, PathBuf)> {
    let python = std::env::var_os("CREEPLINT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| tools_dir().join("venv/bin/python"));
    let schema = multitool()?.with_file_name("sarif-2.1.0.json");
    let usable = python.is_file()
        && schema.is_file()
        && std::process::Command::new(&python)
            .args(["-c", "import jsonschema"])
            .status()
            .is_ok_and(|s| s.success());
    if !usable {
        missing("Python with jsonschema or the SARIF schema not found: run .ci/run, or set CREEPLINT_PYTHON");
        return None;
    }
    Some((python, schema))
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

fn multitool() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CREEPLINT_SARIF_MULTITOOL").map(PathBuf::from),
        Some(tools_dir().join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.is_file());
    if found.is_none() {
        missing(
            "SARIF Multitool not found: set CREEPLINT_SARIF_MULTITOOL or run .ci/run, which installs \
             @microsoft/sarif-multitool-linux from npm",
        );
    }
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
    let out = Command::cargo_bin("creeplint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--no-config", "--format", "sarif"])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "findings exit 1");
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_output_passes_the_sarif_multitool_validator() {
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

    let path = dir.path().join("out.sarif");
    std::fs::write(&path, serde_json::to_vec_pretty(&log).unwrap()).unwrap();
    let Some((python, schema)) = schema_validator() else {
        return;
    };
    let violations = schema_violations(&python, &schema, &path);
    assert!(
        violations.is_empty(),
        "schema violations:\n{}",
        violations.join("\n")
    );
    let Some(tool) = multitool() else { return };
    let problems = validate(&tool, &path);
    assert!(
        problems.is_empty(),
        "validator complaints:\n{}",
        problems.join("\n")
    );
}

#[test]
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

    let Some((python, schema)) = schema_validator() else {
        return;
    };
    let violations = schema_violations(&python, &schema, &both);
    assert!(
        violations.iter().any(|p| p.contains("startLine")),
        "expected a startLine violation, got {violations:#?}"
    );
    assert!(
        violations.iter().any(|p| p.contains("columnKind")),
        "expected a columnKind violation, got {violations:#?}"
    );
    let Some(tool) = multitool() else { return };
    let problems = validate(&tool, &zero_line);
    assert!(
        problems.iter().any(|p| p.contains("startLine")),
        "expected a startLine complaint, got {problems:#?}"
    );
}

#[test]
fn sarif_fingerprints_are_the_baseline_fingerprints() {
    let dir = campaign();
    let log = sarif_of(dir.path(), &[]);
    Command::cargo_bin("creeplint")
        .unwrap()
        .current_dir(dir.path())
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

#[test]
fn files_outside_the_project_root_get_absolute_file_uris() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = campaign();
    let file = elsewhere.path().join("sms/week14.txt");
    let out = Command::cargo_bin("creeplint")
        .unwrap()
        .current_dir(root.path())
        .args(["check", "--no-config", "--format", "sarif"])
        .arg(&file)
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let artifact =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(
        artifact["uri"].as_str().unwrap().starts_with("file:///"),
        "{artifact}"
    );
    assert!(artifact.get("uriBaseId").is_none());
    let path = root.path().join("abs.sarif");
    std::fs::write(&path, &out.stdout).unwrap();
    let Some((python, schema)) = schema_validator() else {
        return;
    };
    assert_eq!(
        schema_violations(&python, &schema, &path),
        Vec::<String>::new()
    );
    let Some(tool) = multitool() else { return };
    assert_eq!(validate(&tool, &path), Vec::<String>::new());
}
