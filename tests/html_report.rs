//! `--format html`, as a reader's browser sees it: headless Chromium (Debian's `chromium`) driven by
//! playwright-core from npm (`tests/html/check-page.mjs`) opens the page and checks that it loads
//! with no console error and no request, that no script exists or ran, and that each finding of
//! the run is one highlight wrapping exactly its matched text, in its severity's colour. It writes
//! a screenshot under `target/html-report/` for people to look at.
//!
//! `.ci/run` installs Chromium with apt-get and playwright-core under `target/ci-tools`. Without
//! them the browser tests fail under CI (`CI=true`) and are skipped loudly elsewhere; the tests of
//! the page's text run everywhere.

mod common;

use serde_json::{json, Value};
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

/// Node, playwright-core and Chromium, or `None` (after [`missing`]).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("CREEPLINT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let playwright = std::env::var_os("CREEPLINT_PLAYWRIGHT")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ci-tools/node_modules/playwright-core"));
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !chromium.is_file() || !playwright.join("package.json").is_file() || !node {
        missing(&format!(
            "the HTML report needs node, playwright-core ({}) and Chromium ({}): run .ci/run, or set \
             CREEPLINT_PLAYWRIGHT and CREEPLINT_CHROMIUM",
            playwright.display(),
            chromium.display()
        ));
        return None;
    }
    Some((chromium, playwright))
}

/// Where reports and screenshots go, for people to look at after a run.
fn out_dir() -> PathBuf {
    let dir = root().join("target/html-report");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `creeplint check` in `dir` with `args`; returns stdout.
fn check(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = common::binary()
        .current_dir(dir)
        .args(["check", "--color", "never"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "creeplint failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The run's findings as the page must show them, from `--format json`.
fn expected_findings(dir: &Path, paths: &[&str]) -> Vec<Value> {
    let mut args = vec!["--format", "json"];
    args.extend(paths);
    let doc: Value = serde_json::from_slice(&check(dir, &args)).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| json!({ "matched": f["matched"], "severity": f["severity"] }))
        .collect()
}

/// Opens `page` in Chromium; returns (passed, the driver's output).
fn open_in_browser(name: &str, page: &[u8], expected: &Value) -> Option<(bool, String)> {
    let (chromium, playwright) = browser()?;
    let dir = out_dir();
    let html = dir.join(format!("{name}.html"));
    let expected_path = dir.join(format!("{name}.expected.json"));
    let screenshot = dir.join(format!("{name}.png"));
    std::fs::write(&html, page).unwrap();
    std::fs::write(&expected_path, expected.to_string()).unwrap();
    let _ = std::fs::remove_file(&screenshot);
    let out = std::process::Command::new("node")
        .arg(root().join("tests/html/check-page.mjs"))
        .arg(&html)
        .arg(&expected_path)
        .arg(&screenshot)
        .env("CREEPLINT_CHROMIUM", chromium)
        .env("CREEPLINT_PLAYWRIGHT", playwright)
        .output()
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        let shot = std::fs::metadata(&screenshot).map(|m| m.len()).unwrap_or(0);
        assert!(shot > 10_000, "no screenshot at {}", screenshot.display());
    }
    Some((out.status.success(), text))
}

#[test]
fn the_report_of_examples_renders_with_its_highlights_in_place() {
    let page = check(root(), &["--format", "html", "examples"]);
    let findings = expected_findings(root(), &["examples"]);
    assert!(findings.len() >= 2, "examples/ has findings: {findings:?}");
    let expected = json!({ "findings": findings, "texts": ["<!doctype html>"] });
    let Some((ok, text)) = open_in_browser("examples", &page, &expected) else {
        return;
    };
    assert!(ok, "{text}");
}

/// Copy full of markup and scripts: a template, and a text file whose copy is markup.
fn hostile_campaign() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("promo.html"),
        "<html><body>\n<script>window.__creeplint_pwned = 'from the template';</script>\n<p onclick=\"window.__creeplint_pwned = 1\">You spent $342 with us last month.</p>\n<img src=\"https://tracker.example/x.gif\" onerror=\"window.__creeplint_pwned = 2\">\n</body></html>\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes.txt"),
        "<script>window.__creeplint_pwned = 3</script><b>You spent $99 with us</b> </pre><img src=x onerror=\"window.__creeplint_pwned=4\"> &amp; more\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("logo.txt"), b"GIF89a\0\0\0").unwrap();
    // A finding across a CRLF line break.
    std::fs::write(
        dir.path().join("windows.txt"),
        "Hello.\r\nThanks! You spent\r\n$342 with us last month.\r\n",
    )
    .unwrap();
    dir
}

#[test]
fn markup_and_scripts_in_copy_are_shown_escaped_never_run() {
    let dir = hostile_campaign();
    let page =
        String::from_utf8(check(dir.path(), &["--no-config", "--format", "html", "."])).unwrap();
    // In the page's source: no element from the copy, only its escaped text.
    let lower = page.to_lowercase();
    for element in ["<script", "<img", "<b>", "<p onclick", "</pre><img"] {
        assert!(!lower.contains(element), "{element} in the page:\n{page}");
    }
    assert!(page.contains("&lt;script&gt;window.__creeplint_pwned = 3&lt;/script&gt;"));
    assert!(
        page.contains("&amp;amp; more"),
        "an entity in copy is shown as written"
    );
    assert!(
        page.contains("default-src 'none'"),
        "the page forbids loading and running"
    );
    // The skipped binary file is a note.
    assert!(page.contains("data-kind=\"skipped-binary\""), "{page}");

    let findings = expected_findings(dir.path(), &["--no-config", "."]);
    assert_eq!(findings.len(), 3, "{findings:?}");
    assert!(findings.iter().any(|f| f["matched"] == "You spent\r\n$342"));
    let expected = json!({
        "findings": findings,
        "texts": [
            "<script>window.__creeplint_pwned = 'from the template';</script>",
            "<script>window.__creeplint_pwned = 3</script><b>",
            "</pre><img src=x onerror=\"window.__creeplint_pwned=4\"> &amp; more",
        ],
    });
    let Some((ok, text)) = open_in_browser("escaping", page.as_bytes(), &expected) else {
        return;
    };
    assert!(ok, "{text}");
}

#[test]
fn the_browser_check_fails_on_a_wrong_highlight_or_a_script() {
    // The browser check can fail: a page whose highlight wraps other text, and one with a script.
    let page = String::from_utf8(check(root(), &["--format", "html", "examples"])).unwrap();
    let mut findings = expected_findings(root(), &["examples"]);
    findings[0]["matched"] = json!("something else");
    let tampered = page.replace(
        "</body>",
        "<script>window.__creeplint_pwned = 1</script></body>",
    );
    let Some((ok, text)) = open_in_browser(
        "tampered",
        tampered.as_bytes(),
        &json!({ "findings": findings }),
    ) else {
        return;
    };
    assert!(!ok, "{text}");
    assert!(text.contains("highlight wraps"), "{text}");
    assert!(text.contains("script element"), "{text}");
}

#[test]
fn standard_input_is_shown_line_by_line() {
    let out = common::binary()
        .args([
            "check",
            "--no-config",
            "--format",
            "html",
            "--stdin-filename",
            "sms.txt",
            "-",
        ])
        .write_stdin("Hello.\nThanks! You spent $342 with us <3\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("could not be read again"), "{page}");
    let mark = page.find("<mark ").expect("a highlight");
    let line = &page[page[..mark].rfind("<pre").unwrap()..];
    let line = &line[..line.find("</pre>").unwrap()];
    assert!(
        line.starts_with("<pre class=\"copy\">Thanks! <mark "),
        "{line}"
    );
    assert!(
        line.contains(">You spent $342</mark> with us &lt;3"),
        "{line}"
    );
}

/// A pack of one rule with one pattern.
fn pack(dir: &Path, name: &str, severity: &str, pattern: &str, bad: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "[pack]\nname = \"{name}\"\ndescription = \"d\"\n\n[[rules]]\nid = \"{name}.r\"\nseverity = \"{severity}\"\nmessage = \"{name} message\"\nwhy = \"{name} why\"\nsuggest = \"{name} help\"\npatterns = ['{pattern}']\nexamples.bad = ['{bad}']\nexamples.good = ['Nothing to see.']\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn nested_findings_nest_and_crossing_ones_are_highlighted_beside() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Hi. You spent $342 with us.\n").unwrap();
    let packs = [
        pack(
            dir.path(),
            "outer",
            "error",
            r"you spent \$\d+",
            "You spent $5.",
        ),
        pack(dir.path(), "inner", "info", r"spent", "It was spent."),
        pack(
            dir.path(),
            "crossing",
            "warning",
            r"\$\d+ with",
            "$5 with us.",
        ),
    ];
    let mut args = vec!["--no-config", "--no-builtin"];
    for p in &packs {
        args.extend(["--pack", p.to_str().unwrap()]);
    }
    args.push("a.txt");
    let findings = expected_findings(dir.path(), &args);
    assert_eq!(findings.len(), 3, "{findings:?}");
    args.extend(["--format", "html"]);
    let page = String::from_utf8(check(dir.path(), &args)).unwrap();
    // The outer finding holds the inner one; the crossing one is marked in its list entry.
    let copy = &page[page.find("<pre class=\"copy\">").unwrap()..];
    let copy = &copy[..copy.find("</pre>").unwrap()];
    assert!(copy.contains("data-rule=\"outer.r\""), "{copy}");
    assert!(copy.contains(">You <mark "), "{copy}");
    assert!(
        copy.contains(">spent</mark> $342</mark> with us."),
        "{copy}"
    );
    assert!(!copy.contains("crossing.r"), "{copy}");
    assert!(page.contains("It overlaps another finding in the copy"));
    let expected = json!({ "findings": findings, "texts": ["Hi. You spent $342 with us."] });
    let Some((ok, text)) = open_in_browser("nested", page.as_bytes(), &expected) else {
        return;
    };
    assert!(ok, "{text}");
}

#[test]
fn a_report_written_into_the_checked_folder_is_not_checked_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "You spent $342 with us last month.\n",
    )
    .unwrap();
    let page = check(dir.path(), &["--no-config", "--format", "html", "."]);
    std::fs::write(dir.path().join("creeplint-report.html"), page).unwrap();
    let out = common::binary()
        .current_dir(dir.path())
        .args(["check", "--no-config", "--format", "json", "."])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.txt"], "the report quotes the copy: {doc}");
    assert!(
        doc["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "skipped-own-report" && n["path"] == "creeplint-report.html"),
        "{doc}"
    );
}
