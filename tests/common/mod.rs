//! Shared helpers for the tests that run the binary: [`creeplint`] starts it under a process
//! timeout (a hang fails the test instead of hanging the suite; nothing is asserted about speed),
//! and the source-layer tests run it with the probe pack and read its JSON output.
//!
//! `CREEPLINT_TEST_BIN=/path/to/creeplint` runs the tests against another build (an older release
//! binary, to see a regression test fail there).
#![allow(dead_code)] // each test file uses a different part

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

/// How long one run of the binary may take before it is killed and the test fails: far more than
/// any run here needs, even on a loaded 2-core machine; it exists to turn a hang into a failure.
pub const PROCESS_TIMEOUT: Duration = Duration::from_secs(300);

/// The binary under test, with the process timeout, a clean colour environment (the tests'
/// standard output is not a terminal, so `--color auto` means no colour) and no inherited
/// `CI`-only settings.
pub fn binary() -> Command {
    let mut cmd = match std::env::var_os("CREEPLINT_TEST_BIN") {
        Some(bin) => Command::new(bin),
        None => Command::cargo_bin("creeplint").expect("binary built"),
    };
    cmd.timeout(PROCESS_TIMEOUT)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

/// The binary under test, run in `dir`.
pub fn creeplint(dir: &Path) -> Command {
    let mut cmd = binary();
    cmd.current_dir(dir);
    cmd
}

/// The crate root: fixture paths are relative to it.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One finding as the JSON output reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub path: String,
    pub rule: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub matched: String,
    pub fields: Vec<String>,
}

/// What a run printed and returned.
pub struct Outcome {
    pub hits: Vec<Hit>,
    pub stderr: String,
    pub code: i32,
}

/// Runs `creeplint check --format json` with extra arguments, from the crate root, without any
/// config file.
pub fn check(args: &[&str]) -> Outcome {
    let out = creeplint(root())
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "--color",
            "never",
        ])
        .args(args)
        .output()
        .expect("run creeplint");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let doc: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON output ({e}): {stdout}"));
    let hits = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| Hit {
            path: f["path"].as_str().unwrap().to_string(),
            rule: f["rule"].as_str().unwrap().to_string(),
            line: f["line"].as_u64().unwrap() as usize,
            column: f["column"].as_u64().unwrap() as usize,
            end_line: f["end_line"].as_u64().unwrap() as usize,
            end_column: f["end_column"].as_u64().unwrap() as usize,
            matched: f["matched"].as_str().unwrap().to_string(),
            fields: f["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["variable"].as_str().unwrap().to_string())
                .collect(),
        })
        .collect();
    Outcome {
        hits,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Checks one file (or directory) with only the probe pack loaded.
pub fn probe(path: &str) -> Outcome {
    check(&[
        "--no-builtin",
        "--pack",
        "tests/fixtures/sources/test-pack.toml",
        path,
    ])
}

/// `(rule, line, column)` of every finding, in output order.
pub fn spots(o: &Outcome) -> Vec<(String, usize, usize)> {
    o.hits
        .iter()
        .map(|h| (h.rule.clone(), h.line, h.column))
        .collect()
}

/// Shorthand for an expected spot.
pub fn at(rule: &str, line: usize, column: usize) -> (String, usize, usize) {
    (format!("probe.{rule}"), line, column)
}

/// A temporary folder holding `files` (name, text), and the binary run inside it.
pub struct Tree(tempfile::TempDir);

impl Tree {
    /// Writes `files` into a fresh temporary folder.
    pub fn new(files: &[(&str, &str)]) -> Tree {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Tree(dir)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Runs the binary in the folder with `args`, without colour.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        binary()
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("runs")
    }
}
