//! File discovery: walks directories like ripgrep does (hidden entries, `.git`, `node_modules` and
//! `target` skipped; symlinks not followed), keeps the files creeplint reads, and applies include and
//! exclude globs. Files named explicitly are always checked.

use crate::config::{absolute, Settings};
use crate::error::Error;
use crate::source::Format;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directory names never descended into.
const SKIPPED_DIRS: &[&str] = &["node_modules", "target", "vendor", "__pycache__"];

/// The files to check, in a stable order, and the errors met on the way (unreadable directories).
#[derive(Debug, Default)]
pub struct Walked {
    /// Files to check, as the user would name them.
    pub files: Vec<PathBuf>,
    /// Problems met while walking.
    pub errors: Vec<Error>,
}

/// Collects the files under `paths`. With `force_exclude`, exclude globs apply to files named
/// explicitly too (for pre-commit, which names files itself).
pub fn walk(paths: &[PathBuf], settings: &Settings, force_exclude: bool) -> Walked {
    let mut out = Walked::default();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(Error::io(path, e));
                continue;
            }
        };
        if !meta.is_dir() {
            if !(force_exclude && excluded(path, settings)) {
                out.files.push(path.clone());
            }
            continue;
        }
        let walker = WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !skipped_name(e.file_name().to_str().unwrap_or(""))
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| path.clone());
                    let io = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("file system loop"));
                    out.errors.push(Error::io(p, io));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let p = entry.path();
            if excluded(p, settings) {
                continue;
            }
            if Format::is_copy_path(p) || included(p, settings) {
                out.files.push(p.to_path_buf());
            }
        }
    }
    out
}

fn skipped_name(name: &str) -> bool {
    name.starts_with('.') || SKIPPED_DIRS.contains(&name)
}

fn relative_to_root(path: &Path, settings: &Settings) -> PathBuf {
    let abs = absolute(path);
    abs.strip_prefix(&settings.root)
        .map(Path::to_path_buf)
        .unwrap_or(abs)
}

fn excluded(path: &Path, settings: &Settings) -> bool {
    settings.exclude.is_match(relative_to_root(path, settings))
}

fn included(path: &Path, settings: &Settings) -> bool {
    !settings.include.is_empty() && settings.include.is_match(relative_to_root(path, settings))
}

/// A path as shown in output: forward slashes, no leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}
