//! `consent.no-opt-out` as a user runs it: a whole email without an opt-out is a finding, a
//! one-line message (an SMS, a push, a subject line, one row of a spreadsheet) is not, because its
//! opt-out lives in the channel rather than in the line.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn creeplint() -> Command {
    common::creeplint(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Runs `check` on one file with only the consent pack selected.
fn check(path: &Path) -> assert_cmd::assert::Assert {
    creeplint()
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "--select",
            "consent",
        ])
        .arg(path)
        .assert()
}

#[test]
fn one_line_message_with_two_fields_is_not_judged_as_an_email() {
    let dir = tempfile::tempdir().unwrap();
    let sms = dir.path().join("sms.txt");
    std::fs::write(
        &sms,
        "Hi {{ customer.first_name }}, your {{ rewards.points }} points expire on Friday.\n",
    )
    .unwrap();
    check(&sms).success().stdout(predicate::str::is_empty());
}

#[test]
fn the_same_copy_as_a_body_of_several_lines_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let email = dir.path().join("email.txt");
    std::fs::write(
        &email,
        "Hi {{ customer.first_name }},\n\nYour {{ rewards.points }} points expire on Friday.\n",
    )
    .unwrap();
    check(&email).code(1).stdout(predicate::str::contains(
        "email.txt:1:4: warning[consent.no-opt-out]",
    ));
}

#[test]
fn a_one_line_html_document_is_still_an_email() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("promo.html");
    std::fs::write(
        &html,
        "<p>Hi {{ customer.first_name }}, new picks from {{ customer.favourite_brand }}.</p><p>Shop now.</p>\n",
    )
    .unwrap();
    check(&html)
        .code(1)
        .stdout(predicate::str::contains("warning[consent.no-opt-out]"));
}
