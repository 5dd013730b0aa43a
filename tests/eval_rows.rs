//! `rules eval` on rows that hold inline HTML: a row with markup is read by the HTML source, as an
//! `.html` file is, so tags inside a phrase do not hide it; merge tags keep working in both kinds of
//! row.

mod common;

use std::fs;

const PACK: &str = r#"[pack]
name = "tiny"
description = "d"

[[fields]]
kind = "money"
any = ["total spent"]

[[rules]]
id = "tiny.late-fees"
severity = "error"
message = "m"
why = "w"
suggest = "s"
patterns = ['{you}\s+paid\s+{amount}\s+in\s+late\s+fees', '{you}\s+spent\s+(?:{amount}|{field:money})']
examples.bad = ["You paid $1,920 in late fees.", "You spent $5.", "<p>You paid <b>$1,920</b> in late fees.</p>"]
examples.good = ["Save $20 today."]
"#;

const CORPUS: &str = "id\tlabel\tcategory\ttext
c1\tcreepy\tspend\tYou paid <b>$1,920</b> in late fees this year.
c2\tcreepy\tspend\t<p>You spent <strong>{{ customer.total_spent }}</strong> last month.</p>
c3\tcreepy\tspend\tYou spent {{ customer.total_spent }} last month.
c4\tcreepy\tspend\tYou paid &#36;1,920 in late fees.
c5\tcreepy\tspend\tYou paid <em>$1,920</em> in late fees <3
o1\tok\tok_offer\t<p>Save <b>$20</b> on orders over $100.</p>
o2\tok\tok_offer\tWe <3 you: <i>free</i> shipping.
";

#[test]
fn rows_with_inline_html_are_read_as_html_and_merge_tags_still_work() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("tiny.toml"), PACK).unwrap();
    fs::write(dir.path().join("rows.tsv"), CORPUS).unwrap();
    let out = common::creeplint(dir.path())
        .args([
            "rules",
            "--no-config",
            "--no-builtin",
            "--pack",
            "tiny.toml",
            "eval",
            "rows.tsv",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let missed: Vec<&str> = doc["missed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(missed.is_empty(), "missed {missed:?}");
    assert_eq!(doc["overall_recall"]["flagged"], 5);
    assert_eq!(doc["overall_false_positive"]["flagged"], 0, "{doc}");
}

#[test]
fn eval_help_says_how_a_row_is_read() {
    let out = common::binary()
        .args(["rules", "eval", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("is read as an HTML file is"), "{help}");
}

#[test]
fn rule_examples_with_inline_html_are_read_as_html_too() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("tiny.toml"), PACK).unwrap();
    let out = common::creeplint(dir.path())
        .args(["rules", "--no-config", "test", "tiny.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("4 passed, 0 failed"), "{stdout}");
}
