//! creeplint never writes into what it scans: `check` over a read-only copy of `examples/` (a
//! campaign repo with its own creeplint.toml) leaves every file's content, mode and modification
//! time as they were, in every output format and when writing a baseline elsewhere.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

type Snapshot = BTreeMap<PathBuf, (u32, Option<SystemTime>, Option<Vec<u8>>)>;

/// Mode, modification time and content of every entry under `root`, hidden ones included.
fn snapshot(root: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            let meta = fs::symlink_metadata(&p).unwrap();
            let content = meta.is_file().then(|| fs::read(&p).unwrap());
            out.insert(
                p.clone(),
                (meta.permissions().mode(), meta.modified().ok(), content),
            );
            if meta.is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn set_modes(root: &Path, file: u32, dir: u32) {
    for e in fs::read_dir(root).unwrap().flatten() {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            set_modes(&p, file, dir);
            fs::set_permissions(&p, fs::Permissions::from_mode(dir)).unwrap();
        } else {
            fs::set_permissions(&p, fs::Permissions::from_mode(file)).unwrap();
        }
    }
    fs::set_permissions(root, fs::Permissions::from_mode(dir)).unwrap();
}

/// Restores write permission on drop, so that the temp dir can be removed even if a test fails.
struct ReadOnly(PathBuf);

impl Drop for ReadOnly {
    fn drop(&mut self) {
        set_modes(&self.0, 0o644, 0o755);
    }
}

fn creeplint(dir: &Path) -> Command {
    common::creeplint(dir)
}

#[test]
fn check_never_writes_into_a_read_only_campaign_repo() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    assert!(
        examples.join("creeplint.toml").is_file(),
        "examples/ is the campaign repo under test"
    );
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_tree(&examples, &repo);
    let elsewhere = tempfile::tempdir().unwrap();
    set_modes(&repo, 0o444, 0o555);
    let _restore = ReadOnly(repo.clone());
    let before = snapshot(&repo);
    assert!(before.len() >= 8, "the copy holds the example repo");

    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = creeplint(&repo)
            .args(["check", "--format", format, "."])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: the examples hold creepy copy\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{format}: findings printed");
        assert_eq!(snapshot(&repo), before, "{format}: the repo changed");
    }

    // A baseline written elsewhere: the repo is untouched, the baseline is there and hides
    // every finding on the next run.
    let baseline = elsewhere.path().join("baseline.json");
    let out = creeplint(&repo)
        .args(["check", "."])
        .arg("--write-baseline")
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        snapshot(&repo),
        before,
        "--write-baseline: the repo changed"
    );
    let written: serde_json::Value =
        serde_json::from_slice(&fs::read(&baseline).unwrap()).expect("a JSON baseline");
    assert!(written.is_object(), "{written}");
    let out = creeplint(&repo)
        .args(["check", "."])
        .arg("--baseline")
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(snapshot(&repo), before, "--baseline: the repo changed");
    let listed: Vec<_> = fs::read_dir(elsewhere.path()).unwrap().flatten().collect();
    assert_eq!(listed.len(), 1, "only the baseline was written elsewhere");
}
