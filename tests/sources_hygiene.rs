//! Text hygiene: byte-order marks, CRLF, UTF-16, invalid UTF-8, binary files and the size limit, as
//! a user meets them on the command line.

mod common;
use common::{at, check, spots};
use std::path::{Path, PathBuf};

/// Writes `bytes` to a file called `name` in a fresh directory and returns both.
fn fixture(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn probe_with(path: &Path, extra: &[&str]) -> common::Outcome {
    let pack = common::root().join("tests/fixtures/sources/test-pack.toml");
    let mut args = vec!["--no-builtin", "--pack", pack.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    check(&args)
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let b = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

#[test]
fn utf8_with_bom_counts_columns_after_the_mark() {
    let (_d, p) = fixture("bom.txt", b"\xEF\xBB\xBFYou spent $342 today\n");
    let o = probe_with(&p, &[]);
    assert_eq!(spots(&o), vec![at("spent", 1, 1)]);
    assert_eq!(o.hits[0].end_column, 15);
}

#[test]
fn crlf_line_endings() {
    let (_d, p) = fixture(
        "crlf.txt",
        b"Hi there\r\n\r\nWell, you spent\r\n$342 with us\r\n",
    );
    let o = probe_with(&p, &[]);
    assert_eq!(spots(&o), vec![at("spent", 3, 7)]);
    assert_eq!((o.hits[0].end_line, o.hits[0].end_column), (4, 5));
    assert_eq!(o.hits[0].matched, "you spent\r\n$342");
}

#[test]
fn crlf_html() {
    let (_d, p) = fixture(
        "crlf.html",
        b"<p>\r\nHi,\r\nyou spent <b>$342</b>\r\n</p>\r\n",
    );
    let o = probe_with(&p, &[]);
    assert_eq!(spots(&o), vec![at("spent", 3, 1)]);
}

#[test]
fn utf16_with_bom_is_decoded() {
    for big_endian in [false, true] {
        let (_d, p) = fixture(
            "u16.txt",
            &utf16("Caf\u{e9} news\n\nYou spent \u{a3}342\n", big_endian),
        );
        let o = probe_with(&p, &[]);
        assert_eq!(
            spots(&o),
            vec![at("spent", 3, 1)],
            "big endian: {big_endian}"
        );
        assert_eq!(o.hits[0].matched, "You spent \u{a3}342");
    }
}

#[test]
fn invalid_utf8_is_checked_lossily_with_a_warning() {
    let (_d, p) = fixture("latin1.txt", b"Caf\xE9 news\n\nYou spent $342\n");
    let o = probe_with(&p, &[]);
    assert_eq!(spots(&o), vec![at("spent", 3, 1)]);
    assert!(
        o.stderr.contains("latin1.txt: not valid UTF-8"),
        "{}",
        o.stderr
    );
}

#[test]
fn binary_files_are_skipped_with_a_note() {
    let (_d, p) = fixture("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rYou spent $342\0\0");
    let o = probe_with(&p, &[]);
    assert_eq!(o.hits, vec![]);
    // The only file was skipped: nothing was checked, which exits 2 (see --allow-empty).
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("image.txt: skipped: binary file")
            && o.stderr.contains("no file was checked"),
        "{}",
        o.stderr
    );
}

#[test]
fn files_over_the_size_limit_are_skipped_with_a_note() {
    let mut text = String::from("You spent $342\n");
    text.push_str(&"filler line of copy\n".repeat(100));
    let (_d, p) = fixture("big.txt", text.as_bytes());
    let o = probe_with(&p, &["--max-file-size", "1000"]);
    assert_eq!(o.hits, vec![]);
    assert!(
        o.stderr.contains("big.txt: skipped:")
            && o.stderr.contains("larger than the 1000 bytes limit"),
        "{}",
        o.stderr
    );
    // Under the default limit (10 MiB) the same file is checked.
    let o = probe_with(&p, &[]);
    assert_eq!(spots(&o), vec![at("spent", 1, 1)]);
}

#[test]
fn the_size_limit_can_be_set_in_the_config_file() {
    let mut text = String::from("You spent $342\n");
    text.push_str(&"filler line of copy\n".repeat(100));
    let (dir, p) = fixture("big.txt", text.as_bytes());
    let pack = common::root().join("tests/fixtures/sources/test-pack.toml");
    std::fs::write(
        dir.path().join("creeplint.toml"),
        format!(
            "builtin = false\npacks = [{:?}]\nmax-file-size = 1000\n",
            pack.to_str().unwrap()
        ),
    )
    .unwrap();
    let out = common::creeplint(dir.path())
        .args(["check", "--format", "json", "big.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("big.txt: skipped:"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    assert!(p.exists());
}
