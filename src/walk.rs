//! File discovery: walks directories like ripgrep does (hidden entries, `.git`, `node_modules` and
//! `target` skipped), keeps the files creeplint reads, and applies include and exclude globs. Files
//! named explicitly are always checked. Symbolic links inside a directory are followed only with
//! `--follow` (with loop detection); without it each one that would have been checked is reported
//! with a [`Note::Symlink`].

use crate::config::{absolute, Settings};
use crate::error::Error;
use crate::outcome::{FileReport, Note};
use crate::source::Format;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directory names never descended into.
const SKIPPED_DIRS: &[&str] = &["node_modules", "target", "vendor", "__pycache__"];

/// One entry of a walk, in a stable order: a file to check, or the report on a path that will not
/// be checked (missing, unreadable, a symbolic link not followed).
#[derive(Debug)]
pub enum Entry {
    /// A file to check, as the user would name it.
    File(PathBuf),
    /// A path that is not checked, with the note or error saying why.
    NotChecked(FileReport),
}

/// How to walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Apply exclude globs to files named explicitly too (for pre-commit, which names files
    /// itself).
    pub force_exclude: bool,
    /// Follow symbolic links in directories (like ripgrep's `-L`); a link that leads back into a
    /// directory being walked is reported as a loop, not followed again.
    pub follow: bool,
}

/// Collects the files under `paths`. Nothing met on the way is dropped silently: a missing path,
/// an unreadable directory, a link loop and (without `follow`) a symbolic link each become an
/// [`Entry::NotChecked`] report.
pub fn walk(paths: &[PathBuf], settings: &Settings, options: WalkOptions) -> Vec<Entry> {
    let mut out = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.push(Entry::NotChecked(FileReport::failed(
                    display_path(path),
                    Error::io(path, e),
                )));
                continue;
            }
        };
        if !meta.is_dir() {
            if !(options.force_exclude && excluded(path, settings)) {
                out.push(Entry::File(path.clone()));
            }
            continue;
        }
        let walker = WalkDir::new(path)
            .follow_links(options.follow)
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
                    let io = match e.loop_ancestor() {
                        Some(ancestor) => std::io::Error::other(format!(
                            "symbolic link loop: it leads back to {}",
                            display_path(ancestor)
                        )),
                        None => e
                            .into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("unreadable entry")),
                    };
                    out.push(Entry::NotChecked(FileReport::failed(
                        display_path(&p),
                        Error::io(p, io),
                    )));
                    continue;
                }
            };
            let p = entry.path();
            if entry.depth() > 0 && entry.path_is_symlink() && !options.follow {
                // Only links that would have been checked are worth a note: a link to a
                // directory, or to a file of a kind creeplint reads.
                let wanted = std::fs::metadata(p).map_or(true, |m| m.is_dir())
                    || Format::is_copy_path(p)
                    || included(p, settings);
                if wanted && !excluded(p, settings) {
                    out.push(Entry::NotChecked(FileReport::skipped(
                        display_path(p),
                        Note::Symlink,
                    )));
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            if excluded(p, settings) {
                continue;
            }
            if Format::is_copy_path(p) || included(p, settings) {
                out.push(Entry::File(p.to_path_buf()));
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

pub use crate::paths::display_path;
