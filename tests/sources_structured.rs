//! JSON, YAML and CSV files of messages: every string value is its own segment at its own position,
//! keys and header rows are not copy, and broken files still yield their values with a warning
//! naming the line.

mod common;
use common::{at, probe, spots};

#[test]
fn json_values_escapes_and_keys() {
    let o = probe("tests/fixtures/sources/messages.json");
    // The key "creepy canary" is not copy; "alpha" and "omega" are separate values.
    assert_eq!(spots(&o), vec![at("spent", 5, 30), at("spent", 7, 25)]);
    // `\u0024` decodes to `$` and the match still covers the escape's bytes.
    assert_eq!(o.hits[0].matched, "You spent \\u0024342");
    assert_eq!(o.hits[0].end_column, 49);
    assert_eq!(o.hits[1].matched, "you spent $5");
    assert!(o.stderr.is_empty(), "{}", o.stderr);
}

#[test]
fn broken_json_warns_with_lines_and_keeps_values() {
    let o = probe("tests/fixtures/sources/broken.json");
    assert_eq!(
        spots(&o),
        vec![at("spent", 1, 8), at("spent", 2, 8), at("spent", 4, 8)]
    );
    for needle in [
        "broken.json: line 2: unterminated string",
        "broken.json: line 3: unexpected `tru`",
        "broken.json: line 1: this `{` is never closed",
    ] {
        assert!(o.stderr.contains(needle), "{needle} in {}", o.stderr);
    }
}

#[test]
fn yaml_scalars_of_every_style() {
    let o = probe("tests/fixtures/sources/messages.yaml");
    assert_eq!(
        spots(&o),
        vec![
            at("spent", 3, 8),  // plain; the `# creepy canary` comment is not copy
            at("spent", 4, 10), // single-quoted with ''
            at("spent", 5, 10), // double-quoted with \u0024
            at("spent", 8, 3),  // second line of a `>-` folded scalar
            at("spent", 11, 3), // second line of a `|` literal scalar
            at("spent", 13, 5), // sequence item
            at("spent", 16, 8), // flow sequence item; "alpha" and omega stay apart
            at("spent", 17, 9), // double-quoted over two lines
        ]
    );
    let multi = &o.hits[7];
    assert_eq!((multi.end_line, multi.end_column), (18, 5));
}

#[test]
fn yaml_folded_scalar_in_the_corpus_reports_its_own_line() {
    // refi_subject_variants.yaml: the `>-` subject of variant e starts on line 21.
    let o = common::check(&[
        "--no-builtin",
        "--pack",
        "tests/fixtures/sources/place-pack.toml",
        "tests/corpus/templates/refi_subject_variants.yaml",
    ]);
    assert_eq!(
        o.hits
            .iter()
            .map(|h| (h.line, h.column, h.matched.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (21, 7, "Settling into the new place"),
            (22, 7, "home cover")
        ]
    );
}

#[test]
fn broken_yaml_warns_and_keeps_values() {
    let o = probe("tests/fixtures/sources/broken.yaml");
    assert_eq!(spots(&o), vec![at("spent", 1, 5), at("spent", 2, 4)]);
    assert!(
        o.stderr
            .contains("broken.yaml: line 1: unterminated double-quoted string"),
        "{}",
        o.stderr
    );
}

#[test]
fn csv_fields_quotes_crlf_and_header() {
    let o = probe("tests/fixtures/sources/messages.csv");
    // The header's "creepy canary" column name is not copy; alpha,omega are two fields.
    assert_eq!(spots(&o), vec![at("spent", 2, 10), at("spent", 4, 6)]);
    assert!(o.stderr.is_empty(), "{}", o.stderr);
}

#[test]
fn broken_csv_warns_and_keeps_fields() {
    let o = probe("tests/fixtures/sources/broken.csv");
    assert_eq!(
        spots(&o),
        vec![at("spent", 2, 4), at("spent", 3, 4), at("spent", 4, 3)]
    );
    assert!(o
        .stderr
        .contains("broken.csv: line 2: text after a quoted field"));
    assert!(o
        .stderr
        .contains("broken.csv: line 3: this quoted field is never closed"));
}

#[test]
fn manifests_and_lock_files_are_not_copy_in_a_directory_walk() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"description": "You spent $342 with us"}"#;
    std::fs::write(dir.path().join("package.json"), body).unwrap();
    std::fs::write(dir.path().join("push.json"), body).unwrap();
    let pack = common::root().join("tests/fixtures/sources/test-pack.toml");
    let o = common::check(&[
        "--no-builtin",
        "--pack",
        pack.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let files: Vec<&str> = o
        .hits
        .iter()
        .map(|h| h.path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(files, vec!["push.json"]);
    assert_eq!((o.hits[0].line, o.hits[0].column), (1, 18));
}
