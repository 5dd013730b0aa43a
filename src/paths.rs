//! Path helpers shared by the walk, the linter, baselines and the reports: how a path is shown, and
//! how it reads relative to the project root.

use crate::config::absolute;
use std::path::Path;

/// A path as shown in output: forward slashes, no leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// `path` (as shown to the user, relative to the working directory or absolute) relative to `root`,
/// with forward slashes; unchanged when it is not under `root`.
pub fn root_relative(shown: &str, root: &Path) -> String {
    if shown == "-" {
        return shown.to_string();
    }
    let abs = absolute(Path::new(shown));
    match abs.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().replace('\\', "/"),
        _ => shown.replace('\\', "/"),
    }
}

/// The root of the git work tree holding `start` (the nearest ancestor with a `.git` directory, or
/// a `.git` file as in a linked worktree or submodule), if any.
pub fn git_root(start: &Path) -> Option<std::path::PathBuf> {
    absolute(start)
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}
