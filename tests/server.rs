//! `creeplint server` driven end to end by a real language client: pytest-lsp (PyPI), running
//! tests/lsp/test_server.py against the built binary. `.ci/run` installs pytest-lsp into
//! target/ci-tools/venv and sets `CREEPLINT_PYTHON`. Without it the test fails under CI
//! (`CI=true`) and is skipped loudly elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

fn missing(msg: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! SKIPPED: {msg} !!!!!!!!\n");
}

/// A Python that has pytest-lsp.
fn python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("CREEPLINT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/ci-tools/venv/bin/python"));
    let usable = python.is_file()
        && Command::new(&python)
            .args(["-c", "import pytest_lsp"])
            .status()
            .is_ok_and(|s| s.success());
    if !usable {
        missing("Python with pytest-lsp not found: run .ci/run, or set CREEPLINT_PYTHON to a Python that has `pytest-lsp`");
        return None;
    }
    Some(python)
}

#[test]
fn a_real_client_drives_the_language_server() {
    let Some(python) = python() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tests = root.join("tests/lsp");
    let out = Command::new(python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-c"])
        .arg(tests.join("pytest.ini"))
        .arg("--rootdir")
        .arg(&tests)
        .arg(&tests)
        .env("CREEPLINT_BIN", env!("CARGO_BIN_EXE_creeplint"))
        // The tests write nothing into the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run pytest");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "pytest-lsp tests failed:\n{stdout}\n{stderr}"
    );
    // pytest exits 0 when it collected nothing; make sure the tests ran.
    assert!(
        stdout.contains(" passed"),
        "no tests ran:\n{stdout}\n{stderr}"
    );
    assert!(!stdout.contains("skipped"), "tests were skipped:\n{stdout}");
}
