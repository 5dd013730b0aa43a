//! Bad input, as a user (or a stranger's pull request) hands it to the binary. For each case: a clear
//! message naming the file and what is wrong, the documented exit code (2 for an error, only after
//! every other file was still checked: a good file next to the bad one keeps its finding), and nothing
//! written anywhere (the working tree is compared before and after every run).
//!
//! The guarantees these tests prove are listed in docs/robustness.md.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;
use tempfile::TempDir;

/// The finding the good file next to every bad one must keep.
const GOOD: &str = "You spent $342 with us.\n";
const GOOD_FINDING: &str =
    "good.txt:1:1: error[spend.quoted-total] Quotes the reader's own spending back to them";

/// A temp dir holding `good.txt`, plus a separate home directory.
struct Tree {
    dir: TempDir,
    home: TempDir,
}

impl Tree {
    fn new() -> Tree {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("good.txt"), GOOD).unwrap();
        Tree {
            dir,
            home: tempfile::tempdir().expect("temp home"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    /// Runs `creeplint ARGS` in the tree with no config from outside and asserts that neither the
    /// tree nor the home directory changed.
    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        let before = (snapshot(self.path()), snapshot(self.home.path()));
        let out = self.command().args(args).output().expect("runs");
        let after = (snapshot(self.path()), snapshot(self.home.path()));
        assert!(
            before == after,
            "the run changed files: {}",
            describe_change(&before.0, &after.0)
        );
        out
    }

    fn command(&self) -> Command {
        let mut cmd = common::creeplint(self.path());
        cmd.env("HOME", self.home.path());
        cmd
    }
}

/// Every entry under `root` (symlinks not followed): kind, size, modification time and, for files
/// up to 1 MiB, content.
type Snapshot = BTreeMap<PathBuf, (String, u64, Option<SystemTime>, Option<Vec<u8>>)>;

fn snapshot(root: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = fs::symlink_metadata(&p) else {
                continue;
            };
            let ft = meta.file_type();
            let content = (ft.is_file() && meta.len() <= 1 << 20)
                .then(|| fs::read(&p).ok())
                .flatten();
            out.insert(
                p.clone(),
                (format!("{ft:?}"), meta.len(), meta.modified().ok(), content),
            );
            if ft.is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

fn describe_change(a: &Snapshot, b: &Snapshot) -> String {
    let mut d = Vec::new();
    for (k, v) in b {
        match a.get(k) {
            None => d.push(format!("created {}", k.display())),
            Some(old) if old != v => d.push(format!("modified {}", k.display())),
            _ => {}
        }
    }
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        d.push(format!("removed {}", k.display()));
    }
    d.join(", ")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the exit code, that the good file kept its finding, and that stderr says `needle`.
fn assert_run(out: &Output, code: i32, needles: &[&str]) {
    let (so, se) = (stdout(out), stderr(out));
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code\nstdout:\n{so}\nstderr:\n{se}"
    );
    assert!(
        so.contains(GOOD_FINDING),
        "the good file lost its finding\nstdout:\n{so}\nstderr:\n{se}"
    );
    for n in needles {
        assert!(se.contains(n), "stderr lacks {n:?}\nstderr:\n{se}");
    }
    assert!(!se.contains("panicked"), "panic: {se}");
}

fn check_args<'a>(files: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["check", "--no-config", "--format", "concise"];
    args.extend_from_slice(files);
    args.push("good.txt");
    args
}

#[test]
fn empty_and_whitespace_only_files_are_checked_quietly() {
    let t = Tree::new();
    let names = [
        "empty.txt",
        "empty.md",
        "empty.html",
        "empty.json",
        "empty.yaml",
        "empty.csv",
        "blank.txt",
        "blank.md",
        "blank.html",
        "blank.yaml",
        "blank.csv",
    ];
    for n in names {
        let text = if n.starts_with("blank") {
            "  \n\t\r\n \n\n"
        } else {
            ""
        };
        t.write(n, text);
    }
    let out = t.run(&check_args(&names));
    assert_run(&out, 1, &[]);
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    assert_eq!(stderr(&out), "", "no notes or warnings for empty files");
    // Alone, they are clean.
    let mut args = vec!["check", "--no-config", "--format", "json"];
    args.extend_from_slice(&names);
    let out = t.run(&args);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files_checked"], names.len());
}

/// Writes a file of `size` bytes: `head`, then spaces with a newline every MiB, then `tail`. Written
/// in 1 MiB chunks, so the test never holds it in memory.
fn write_big(path: &Path, size: u64, head: &str, tail: &str) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(fs::File::create(path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    let mut chunk = vec![b' '; 1 << 20];
    *chunk.last_mut().unwrap() = b'\n';
    let body = size - head.len() as u64 - tail.len() as u64;
    for _ in 0..body / chunk.len() as u64 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(&chunk[..(body % chunk.len() as u64) as usize])
        .unwrap();
    f.write_all(tail.as_bytes()).unwrap();
    f.flush().unwrap();
}

#[test]
fn a_200_mb_file_is_skipped_with_a_note_under_the_default_limit() {
    let t = Tree::new();
    // Sparse: no disk or time spent on it, and it is never read.
    let f = fs::File::create(t.path().join("huge.txt")).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    let out = t.run(&check_args(&["huge.txt"]));
    assert_run(
        &out,
        1,
        &[
            "warning: huge.txt: skipped: 200 MiB is larger than the 10 MiB limit",
            "--max-file-size",
        ],
    );
}

#[test]
fn a_200_mb_file_is_checked_with_the_limit_raised_in_bounded_memory() {
    let t = Tree::new();
    let size: u64 = 200 << 20;
    write_big(
        &t.path().join("huge.txt"),
        size,
        "Hello!\n",
        "\nYou spent $342 with us.\n",
    );
    // The address space is capped at 6x the file: the file, its decoded text and the scanning
    // state must fit, or allocation fails and the run aborts.
    let cap_kib = 6 * size / 1024;
    let bin = assert_cmd::cargo::cargo_bin("creeplint");
    let script = format!("ulimit -v {cap_kib} && exec \"$0\" \"$@\"");
    let before = snapshot(t.path());
    let mut sh = std::process::Command::new("sh");
    sh.current_dir(t.path())
        .env("NO_COLOR", "1")
        .args(["-c", &script])
        .arg(&bin)
        .args(["check", "--no-config", "--format", "concise"])
        .args(["--max-file-size", &(size + 1024).to_string()])
        .args(["huge.txt", "good.txt"]);
    let out = Command::from_std(sh)
        .timeout(common::PROCESS_TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(snapshot(t.path()), before, "nothing written");
    assert_run(&out, 1, &[]);
    let lines = (size / (1 << 20)) + 2;
    assert!(
        stdout(&out).contains(&format!("huge.txt:{lines}:1: error[spend.quoted-total]")),
        "the finding at the end of the big file, line {lines}:\n{}",
        stdout(&out)
    );
}

#[test]
fn a_10_mb_line_without_a_newline_is_checked() {
    let t = Tree::new();
    // Copy-like words, one creepy phrase in the middle, no newline at all.
    let half = "Our spring collection is here. ".repeat(160_000); // ~5 MB
    let text = format!("{half}You spent $342 with us. {half}");
    assert!(text.len() >= 9_900_000 && !text.contains('\n'));
    t.write("line.txt", &text);
    let column = half.chars().count() + 1;
    let out = t.run(&check_args(&["line.txt"]));
    assert_run(&out, 1, &[]);
    assert!(
        stdout(&out).contains(&format!("line.txt:1:{column}: error[spend.quoted-total]")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_10_mb_line_of_repeated_findings_is_checked_in_linear_time() {
    // Every match used to search its exceptions through the whole line and copy the whole line:
    // matches x length. 64k findings on one 1 MB line must stay fast.
    let t = Tree::new();
    let text = "You spent $342. ".repeat(64_000);
    t.write("repeat.txt", &text);
    let out = t.run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "repeat.txt",
        "good.txt",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["findings"], 64_001);
}

#[test]
fn html_nested_100k_levels_deep_is_checked_without_overflowing_the_stack() {
    let t = Tree::new();
    let html = format!(
        "{}You spent $342 with us.{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    t.write("nested.html", &html);
    // Unclosed too: 100k open elements that never close.
    t.write(
        "open.html",
        format!("{}You spent $342 with us.", "<div><span><b>".repeat(34_000)),
    );
    let out = t.run(&check_args(&["nested.html", "open.html"]));
    assert_run(&out, 1, &[]);
    let so = stdout(&out);
    assert!(
        so.contains("nested.html:1:500001: error[spend.quoted-total]"),
        "{so}"
    );
    assert!(so.contains("open.html:1:"), "{so}");
}

#[test]
fn unclosed_html_and_merge_tags_still_report_what_follows() {
    let t = Tree::new();
    t.write(
        "unclosed.html",
        "<p>Hi <b>there\n<p>You spent $342 with us. <a href=\"x\n",
    );
    t.write(
        "unclosed.txt",
        "Hi {{ first_name,\n\nYou spent $342 with us. {% if x\n",
    );
    t.write(
        "unclosed.md",
        "Hi {{ first_name\n\nYou spent $342 with us. *|FNAME\n",
    );
    t.write(
        "comment.html",
        "<p>Hello</p>\n<p>You spent $342 with us.</p>\n<!-- never closed\n",
    );
    let out = t.run(&check_args(&[
        "unclosed.html",
        "unclosed.txt",
        "unclosed.md",
        "comment.html",
    ]));
    assert_run(&out, 1, &[]);
    let so = stdout(&out);
    for want in [
        "unclosed.html:2:4: error[spend.quoted-total]",
        "unclosed.txt:3:1: error[spend.quoted-total]",
        "unclosed.md:3:1: error[spend.quoted-total]",
        "comment.html:2:4: error[spend.quoted-total]",
    ] {
        assert!(so.contains(want), "missing {want}:\n{so}");
    }
}

#[test]
fn an_opening_merge_tag_without_its_close_is_text() {
    let t = Tree::new();
    t.write("open.liquid", "Hi {{ first_name\nYou spent $342 with us.\n");
    t.write(
        "open.hbs",
        "{{#if vip}}\nYou spent {{ customer.total_spent with us.\n",
    );
    let out = t.run(&check_args(&["open.liquid", "open.hbs"]));
    assert_run(&out, 1, &[]);
    assert!(
        stdout(&out).contains("open.liquid:2:1: error[spend.quoted-total]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn invalid_utf8_inside_a_phrase_warns_and_the_finding_keeps_its_place() {
    let t = Tree::new();
    t.write(
        "latin1.txt",
        b"Thanks\xff! You spent $342 wi\xffth us.\n".as_slice(),
    );
    let out = t.run(&check_args(&["latin1.txt"]));
    assert_run(
        &out,
        1,
        &["warning: latin1.txt: not valid UTF-8: invalid bytes were read as U+FFFD"],
    );
    // Column 10: the invalid byte counts as one character.
    assert!(
        stdout(&out).contains("latin1.txt:1:10: error[spend.quoted-total]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn utf16_without_a_bom_is_decoded() {
    let t = Tree::new();
    let text = "Hi!\nYou spent $342 with us.\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    t.write("le.txt", le);
    t.write("be.txt", be);
    let out = t.run(&check_args(&["le.txt", "be.txt"]));
    assert_run(&out, 1, &[]);
    let so = stdout(&out);
    assert!(so.contains("le.txt:2:1: error[spend.quoted-total]"), "{so}");
    assert!(so.contains("be.txt:2:1: error[spend.quoted-total]"), "{so}");
}

#[test]
fn nul_bytes_mean_binary_skipped_with_a_note() {
    let t = Tree::new();
    t.write("blob.txt", b"You spent $342\0\0\x01\x02\xff\0".as_slice());
    let out = t.run(&check_args(&["blob.txt"]));
    assert_run(
        &out,
        1,
        &["warning: blob.txt: skipped: binary file (it contains NUL bytes)"],
    );
    assert!(!stdout(&out).contains("blob.txt"), "{}", stdout(&out));
}

#[test]
fn a_symlink_loop_is_an_error_named_explicitly_and_never_followed_in_a_walk() {
    let t = Tree::new();
    std::os::unix::fs::symlink("loop2.txt", t.path().join("loop1.txt")).unwrap();
    std::os::unix::fs::symlink("loop1.txt", t.path().join("loop2.txt")).unwrap();
    // Named on the command line: an error naming it, exit 2, the good file still checked.
    let out = t.run(&check_args(&["loop1.txt"]));
    assert_run(
        &out,
        2,
        &["error: loop1.txt: Too many levels of symbolic links"],
    );
    // In a walk: symlinks are not followed (without --follow), so a loop (or a link back up the
    // tree) cannot hang it; each is noted as skipped.
    std::os::unix::fs::symlink(".", t.path().join("up")).unwrap();
    let out = t.run(&["check", "--no-config", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), GOOD_FINDING);
    for link in ["loop1.txt", "loop2.txt", "up"] {
        assert!(
            stderr(&out).contains(&format!("warning: {link}: skipped: symbolic link")),
            "{}",
            stderr(&out)
        );
    }
}

/// Runs creeplint as an unprivileged user when the tests run as root (CI), where `chmod 000` does
/// not stop reads. `None` when that is not possible.
fn unprivileged(t: &Tree) -> Option<Command> {
    let probe = t.write("probe", "x");
    let mut perms = fs::metadata(&probe).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o000);
    fs::set_permissions(&probe, perms).unwrap();
    let privileged = fs::read(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    let mut cmd = if privileged {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        let mut c = std::process::Command::new(setpriv);
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
        ]);
        c.arg(assert_cmd::cargo::cargo_bin("creeplint"));
        c
    } else {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("creeplint"))
    };
    cmd.current_dir(t.path())
        .env("NO_COLOR", "1")
        .env("HOME", t.home.path());
    let mut cmd = Command::from_std(cmd);
    cmd.timeout(common::PROCESS_TIMEOUT);
    Some(cmd)
}

#[test]
fn an_unreadable_file_is_an_error_after_the_others_are_checked() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    let secret = t.write("secret.txt", GOOD);
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    // An unprivileged user must be able to reach the tree (a temp dir is 0700).
    fs::set_permissions(t.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(t.path().join("good.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    let Some(mut cmd) = unprivileged(&t) else {
        // Root without a way to drop privileges: the read succeeds, and that is reported honestly.
        let out = t.run(&check_args(&["secret.txt"]));
        assert_run(&out, 1, &[]);
        assert!(stdout(&out).contains("secret.txt:1:1:"));
        eprintln!("note: running as root without setpriv: permission denied cannot be tested");
        return;
    };
    let before = snapshot(t.path());
    let out = cmd
        .args(check_args(&["secret.txt"]))
        .output()
        .expect("runs");
    assert_eq!(snapshot(t.path()), before, "nothing written");
    assert_run(&out, 2, &["error: secret.txt: Permission denied"]);
    assert!(!stdout(&out).contains("secret.txt"), "{}", stdout(&out));
    // The same file met in a directory walk: also an error, not a silent skip.
    let out = unprivileged(&t)
        .unwrap()
        .args(["check", "--no-config", "--format", "concise", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("secret.txt: Permission denied"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains(GOOD_FINDING), "{}", stdout(&out));
}

#[test]
fn a_path_that_is_not_utf8_is_checked_and_shown_lossily() {
    let t = Tree::new();
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    t.write(name, GOOD);
    let out = t.run(&[
        OsStr::new("check"),
        OsStr::new("--no-config"),
        OsStr::new("--format"),
        OsStr::new("concise"),
        name,
        OsStr::new("good.txt"),
    ]);
    assert_run(&out, 1, &[]);
    assert!(
        stdout(&out).contains("caf\u{FFFD}.txt:1:1: error[spend.quoted-total]"),
        "{}",
        stdout(&out)
    );
    // Found by a walk as well, and valid JSON output.
    let out = t.run(&["check", "--no-config", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["summary"]["findings"], 2);
}

/// A pack whose one rule matches `pattern`.
fn pack(name: &str, pattern: &str) -> String {
    format!(
        r#"[pack]
name = "{name}"
description = "test pack"

[[rules]]
id = "{name}.rule"
severity = "warning"
message = "matches"
why = "a test"
suggest = "none"
patterns = ['{pattern}']
examples.bad = ["hello there"]
examples.good = ["hi"]
"#
    )
}

/// Pack and config errors stop the run before any file is read: exit 2, the error on stderr,
/// nothing on stdout.
fn assert_setup_error(out: &Output, needles: &[&str]) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert_eq!(stdout(out), "", "no file is checked with a broken setup");
    for n in needles {
        assert!(
            stderr(out).contains(n),
            "stderr lacks {n:?}:\n{}",
            stderr(out)
        );
    }
}

#[test]
fn a_directory_given_as_pack_is_refused() {
    let t = Tree::new();
    fs::create_dir(t.path().join("rules")).unwrap();
    let out = t.run(&["check", "--no-config", "--pack", "rules", "good.txt"]);
    assert_setup_error(
        &out,
        &["error: rules: invalid rule pack: is a directory; --pack takes a pack file"],
    );
}

#[test]
fn a_pack_loaded_twice_is_reported_as_a_duplicate() {
    // Packs cannot include other packs, so a pack cannot include itself; the nearest thing is the
    // same pack named twice, on the command line or in the config as well.
    let t = Tree::new();
    t.write("mine.toml", pack("mine", "hello there"));
    let dup = "error: mine.toml:2:8: invalid rule pack: a pack named `mine` is already loaded";
    let out = t.run(&[
        "check",
        "--no-config",
        "--pack",
        "mine.toml",
        "--pack",
        "mine.toml",
        "good.txt",
    ]);
    assert_setup_error(&out, &[dup]);
    t.write("creeplint.toml", "packs = [\"mine.toml\"]\n");
    let out = t.run(&["check", "--pack", "mine.toml", "good.txt"]);
    assert_setup_error(
        &out,
        &["mine.toml:2:8", "a pack named `mine` is already loaded"],
    );
    // There is no include mechanism to loop through: an `include` key is refused as unknown.
    t.write(
        "self.toml",
        pack("selfish", "hello there").replace("[pack]\n", "[pack]\ninclude = \"self.toml\"\n"),
    );
    let out = t.run(&["check", "--no-config", "--pack", "self.toml", "good.txt"]);
    assert_setup_error(
        &out,
        &["self.toml:2:1: invalid rule pack: unknown field `include`"],
    );
    // Also a pack that shares a built-in pack's name.
    t.write("spend.toml", pack("spend", "hello there"));
    let out = t.run(&["check", "--no-config", "--pack", "spend.toml", "good.txt"]);
    assert_setup_error(
        &out,
        &["spend.toml:2:8", "a pack named `spend` is already loaded"],
    );
}

#[test]
fn a_regex_with_a_huge_automaton_is_refused_quickly() {
    let t = Tree::new();
    t.write("huge.toml", pack("huge", r"\w{1000}{1000}"));
    t.write("huge2.toml", pack("hugetwo", r"(?:a|b|c){200}{200}{200}"));
    for file in ["huge.toml", "huge2.toml"] {
        let out = t.run(&["check", "--no-config", "--pack", file, "good.txt"]);
        assert_setup_error(
            &out,
            &[
                &format!("error: {file}:11:13: invalid rule pack: rule `"),
                "compiles to an automaton larger than 2048 KiB; simplify it",
            ],
        );
    }
}

#[test]
fn a_pack_with_10k_rules_loads_in_bounded_time() {
    let t = Tree::new();
    let mut text = String::from("[pack]\nname = \"many\"\ndescription = \"ten thousand rules\"\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "\n[[rules]]\nid = \"many.r{i}\"\nseverity = \"warning\"\nmessage = \"phrase {i}\"\nwhy = \"a test\"\nsuggest = \"none\"\npatterns = ['creepyword{i}\\s+here']\nexamples.bad = [\"creepyword{i} here\"]\nexamples.good = [\"hi\"]\n"
        ));
    }
    t.write("many.toml", text);
    t.write("many.txt", "Hello creepyword9999 here.\n");
    let out = t.run(&check_args(&["--pack", "many.toml", "many.txt"]));
    assert_run(&out, 1, &[]);
    assert!(
        stdout(&out).contains("many.txt:1:7: warning[many.r9999] phrase 9999"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn standard_input_over_the_limit_is_skipped_without_reading_it_all() {
    let t = Tree::new();
    let out = t
        .command()
        .args(["check", "--no-config", "--format", "concise"])
        .args(["--max-file-size", "1000", "-"])
        .write_stdin(GOOD.repeat(100))
        .output()
        .unwrap();
    // Nothing was checked, which fails the run (exit 2) unless --allow-empty accepts it.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: -: skipped: ")
            && stderr(&out).contains("larger than the 1000 bytes limit")
            && stderr(&out).contains("error: no file was checked"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn an_endless_device_named_explicitly_is_read_only_up_to_the_limit() {
    let t = Tree::new();
    let out = t.run(&check_args(&["--max-file-size", "100000", "/dev/zero"]));
    assert_run(
        &out,
        1,
        &[
            "warning: /dev/zero: skipped: ",
            "larger than the 97.7 KiB limit",
        ],
    );
}
