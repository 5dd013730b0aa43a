//! Message kinds as a user meets them: receipts, invoices and password resets are transactional,
//! layouts, partials, theme sections and docs pages are not messages, and rules judge only the
//! kinds they declare. The fixtures are in tests/fixtures/kinds/.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kinds")
}

fn creeplint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("creeplint").expect("binary built");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// `check --format json` in `dir` on `args`: the parsed document.
fn check_json(dir: &Path, args: &[&str]) -> Value {
    let out = creeplint(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// (path, rule) of every finding.
fn findings(doc: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().replace('\\', "/"),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn kinds(doc: &Value) -> BTreeMap<String, (String, String)> {
    doc["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["path"].as_str().unwrap().replace('\\', "/"),
                (
                    k["kind"].as_str().unwrap().to_string(),
                    k["reason"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

/// A copy of the fixture tree, plus `extra` files.
fn copy_of_fixtures(extra: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = vec![fixtures()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            let rel = p.strip_prefix(fixtures()).unwrap();
            if p.is_dir() {
                fs::create_dir_all(dir.path().join(rel)).unwrap();
                stack.push(p);
            } else {
                fs::copy(&p, dir.path().join(rel)).unwrap();
            }
        }
    }
    for (name, text) in extra {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn only_the_bare_promotion_and_the_receipt_reciting_spend_are_flagged() {
    let doc = check_json(&fixtures(), &["--no-config", "."]);
    assert_eq!(
        findings(&doc),
        [
            (
                "emails/receipt-history.html".to_string(),
                "spend.quoted-total".to_string()
            ),
            (
                "emails/spring-sale-bare.liquid".to_string(),
                "consent.no-opt-out".to_string()
            ),
        ]
    );
}

#[test]
fn every_file_has_a_kind_and_a_reason_in_json() {
    let doc = check_json(&fixtures(), &["--no-config", "."]);
    let kinds = kinds(&doc);
    let kind = |p: &str| kinds.get(p).map(|(k, _)| k.as_str()).unwrap_or("missing");
    for p in [
        "emails/receipt.html",
        "emails/receipt-history.html",
        "emails/invoice.txt",
        "emails/password-reset.txt",
    ] {
        assert_eq!(kind(p), "transactional", "{p}: {:?}", kinds.get(p));
    }
    for p in [
        "emails/spring-sale.liquid",
        "emails/spring-sale-bare.liquid",
        "emails/weekly-picks.liquid",
    ] {
        assert_eq!(kind(p), "marketing", "{p}: {:?}", kinds.get(p));
    }
    for p in [
        "emails/layouts/promo.liquid",
        "emails/partials/_signoff.liquid",
        "emails/partials/_greeting.liquid",
        "sections/featured.liquid",
    ] {
        assert_eq!(kind(p), "not-a-message", "{p}: {:?}", kinds.get(p));
    }
    assert_eq!(kind("docs/merge-fields.md"), "docs");
    assert!(kinds["sections/featured.liquid"].1.contains("{% schema %}"));
    assert!(kinds["emails/layouts/promo.liquid"]
        .1
        .contains("content_for_layout"));
    assert!(kinds["emails/password-reset.txt"]
        .1
        .contains("password reset"));
}

#[test]
fn the_kinds_command_lists_kind_and_reason() {
    let out = creeplint(&fixtures())
        .args(["kinds", "--no-config", "emails/invoice.txt", "sections"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap().replace('\\', "/");
    assert!(
        text.contains("emails/invoice.txt: transactional (copy: invoice, amount due"),
        "{text}"
    );
    assert!(
        text.contains("sections/featured.liquid: not-a-message (structure: theme section"),
        "{text}"
    );
}

#[test]
fn the_layout_carries_the_opt_out() {
    // Checked with its layout: the layout's unsubscribe link counts.
    let doc = check_json(
        &fixtures(),
        &[
            "--no-config",
            "emails/spring-sale.liquid",
            "emails/layouts/promo.liquid",
        ],
    );
    assert!(findings(&doc).is_empty(), "{:?}", findings(&doc));
    // Checked alone (as a pre-commit hook passes it), its layout is found nearby.
    let doc = check_json(&fixtures(), &["--no-config", "emails/spring-sale.liquid"]);
    assert!(findings(&doc).is_empty(), "{:?}", findings(&doc));
    // The same promotion on standard input, named as the file.
    let out = creeplint(&fixtures())
        .args(["check", "--no-config", "--format", "concise", "-"])
        .args(["--stdin-filename", "emails/spring-sale.liquid"])
        .write_stdin(fs::read(fixtures().join("emails/spring-sale.liquid")).unwrap())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Without a layout to find, the opt-out is missing.
    let dir = copy_of_fixtures(&[]);
    fs::remove_file(dir.path().join("emails/layouts/promo.liquid")).unwrap();
    let doc = check_json(dir.path(), &["--no-config", "emails"]);
    assert!(findings(&doc).contains(&(
        "emails/spring-sale.liquid".to_string(),
        "consent.no-opt-out".to_string()
    )));
}

#[test]
fn a_partial_is_judged_through_the_promotion_that_includes_it() {
    // Without its sign-off partial (which holds the opt-out), the promotion that renders it is flagged; the greeting
    // partial on its own never is.
    let dir = copy_of_fixtures(&[]);
    fs::remove_file(dir.path().join("emails/partials/_signoff.liquid")).unwrap();
    let doc = check_json(dir.path(), &["--no-config", "emails"]);
    let found = findings(&doc);
    assert!(found.contains(&(
        "emails/weekly-picks.liquid".to_string(),
        "consent.no-opt-out".to_string()
    )));
    assert!(
        !found.iter().any(|(p, _)| p.contains("partials/")),
        "{found:?}"
    );
}

#[test]
fn config_kinds_and_front_matter_decide_before_the_guess() {
    let dir = copy_of_fixtures(&[
        (
            "creeplint.toml",
            "[[kinds]]\npaths = [\"emails/receipt.html\"]\nkind = \"marketing\"\n",
        ),
        (
            "emails/welcome.md",
            "---\nkind: transactional\nsubject: Welcome\n---\nHi {{ first_name }}, your {{ plan_name }} plan is active.\n",
        ),
    ]);
    let doc = check_json(dir.path(), &["emails"]);
    let kinds = kinds(&doc);
    assert_eq!(kinds["emails/receipt.html"].0, "marketing");
    assert!(kinds["emails/receipt.html"]
        .1
        .starts_with("config: [[kinds]]"));
    assert_eq!(kinds["emails/welcome.md"].0, "transactional");
    assert_eq!(
        kinds["emails/welcome.md"].1,
        "front matter: kind: transactional"
    );
    let found = findings(&doc);
    // Called marketing, the receipt is judged as marketing: its shipping street and missing
    // opt-out are findings now.
    assert!(found.contains(&(
        "emails/receipt.html".to_string(),
        "consent.no-opt-out".to_string()
    )));
    assert!(!found.iter().any(|(p, _)| p == "emails/welcome.md"));
}

#[test]
fn a_bad_kinds_value_is_an_error_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Hello").unwrap();
    fs::write(
        dir.path().join("creeplint.toml"),
        "[[kinds]]\npaths = [\"a.txt\"]\nkind = \"promo\"\n",
    )
    .unwrap();
    let out = creeplint(dir.path())
        .args(["check", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("creeplint.toml:3"), "{err}");
    assert!(err.contains("promo"), "{err}");
}

const PACK_HEAD: &str = "[pack]\nname = \"mine\"\ndescription = \"test\"\n";

fn rule(extra: &str) -> String {
    format!(
        "[[rules]]\nid = \"mine.shoe\"\nseverity = \"warning\"\nmessage = \"m\"\nwhy = \"w\"\nsuggest = \"s\"\npatterns = ['{{field:shoe}}']\n{extra}examples.bad = [\"In *|SHOESIZEUK|* now\"]\nexamples.good = [\"In every size\"]\n"
    )
}

#[test]
fn pack_kinds_and_field_tokens_are_checked_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let fields = "[[fields]]\nkind = \"shoe\"\nany = [\"shoe size\"]\n";
    // A boundary-less merge tag is segmented against the pack's tokens.
    fs::write(
        dir.path().join("ok.toml"),
        format!(
            "{PACK_HEAD}{fields}{}",
            rule("kinds = [\"transactional\"]\n")
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("t.txt"),
        "Your order #12 has shipped. Your *|SHOESIZEUK|* pair is on its way.\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("m.txt"),
        "New in *|SHOESIZEUK|* this week.\n",
    )
    .unwrap();
    let doc = check_json(
        dir.path(),
        &[
            "--no-config",
            "--no-builtin",
            "--pack",
            "ok.toml",
            "t.txt",
            "m.txt",
        ],
    );
    assert_eq!(
        findings(&doc),
        [("t.txt".to_string(), "mine.shoe".to_string())],
        "the rule judges transactional mail only"
    );

    // Severity by kind: info in transactional mail, the rule's own elsewhere.
    fs::write(
        dir.path().join("sev.toml"),
        format!(
            "{PACK_HEAD}{fields}{}",
            rule("kind_severity = { transactional = \"info\" }\n")
        ),
    )
    .unwrap();
    let doc = check_json(
        dir.path(),
        &[
            "--no-config",
            "--no-builtin",
            "--pack",
            "sev.toml",
            "t.txt",
            "m.txt",
        ],
    );
    let mut severities: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    severities.sort();
    assert_eq!(
        severities,
        [
            ("m.txt".to_string(), "warning".to_string()),
            ("t.txt".to_string(), "info".to_string())
        ]
    );

    for (name, pack, needle) in [
        (
            "kind.toml",
            format!("{PACK_HEAD}{fields}{}", rule("kinds = [\"promo\"]\n")),
            "unknown message kind `promo`",
        ),
        (
            "glob.toml",
            format!(
                "{PACK_HEAD}[[fields]]\nkind = \"shoe\"\nany = [\"*shoe_size*\"]\n{}",
                rule("")
            ),
            "field token `*shoe_size*`",
        ),
        (
            "names.toml",
            format!(
                "{PACK_HEAD}[[fields]]\nkind = \"shoe\"\nnames = [\"*shoe*\"]\n{}",
                rule("")
            ),
            "unknown field `names`",
        ),
    ] {
        fs::write(dir.path().join(name), pack).unwrap();
        let out = creeplint(dir.path())
            .args([
                "rules",
                "test",
                "--no-config",
                "--no-builtin",
                "--pack",
                name,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{name}: {err}");
        assert!(
            err.contains(&format!("{name}:")),
            "{name} names no line: {err}"
        );
    }
}

#[test]
fn template_branches_on_money_judge_marketing_only_and_on_health_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        // An invoice may branch on the amount still due.
        (
            "invoice.liquid",
            "<p>Invoice {{ order.name }}</p>\n{% if total_price > total_outstanding %}<p>Amount due: {{ total_outstanding | money }}</p>{% endif %}\n",
        ),
        // A promotion may not pick its copy by the reader's credit.
        (
            "promo.liquid",
            "<p>Hi {{ customer.first_name }}</p>\n{% if customer.credit_band == \"poor\" %}<p>Rebuild your score with our card.</p>{% endif %}\n<a href=\"{{ unsubscribe_url }}\">Unsubscribe</a>\n",
        ),
        // A branch on health stays creepy in a receipt.
        (
            "receipt.liquid",
            "<p>Order {{ order.name }} confirmed. Receipt total: {{ order.total_price | money }}</p>\n{% if customer.has_diabetes %}<p>Try our sugar-free range.</p>{% endif %}\n",
        ),
    ];
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    // Only the branch rules are under test: the copy inside the credit branch also reads as
    // profiled to the model, which is not what this test is about.
    let doc = check_json(dir.path(), &["--no-config", "--ignore", "profile", "."]);
    let kinds = kinds(&doc);
    assert_eq!(kinds["invoice.liquid"].0, "transactional", "{kinds:?}");
    assert_eq!(kinds["receipt.liquid"].0, "transactional", "{kinds:?}");
    assert_eq!(
        findings(&doc),
        [
            ("promo.liquid".to_string(), "spend.branch".to_string()),
            ("receipt.liquid".to_string(), "sensitive.branch".to_string()),
        ]
    );
}
