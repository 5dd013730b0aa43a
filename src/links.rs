//! The layout chain: which other templates a template pulls in (its layout, the parent it
//! extends, the partials it includes), and where those are in the checked tree. An opt-out in a
//! layout or footer partial is the message's opt-out.

use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// How deep a chain of layouts and partials is followed.
const MAX_DEPTH: usize = 4;

/// A reference from one template to another: its layout, a parent it extends, a partial it
/// includes. The name as written (`footer`, `layouts/base.html`, `@partial`).
pub fn references(text: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r#"\{%-?\s*(?:layout|extends|include|render|section|import|from|sections)\s+["']([^"']+)["']"#,
            r#"|\{\{[~#]?>\s*["']?([A-Za-z0-9_./@-]+)"#,
            r#"|\{\{-?\s*template\s+"([^"]+)""#,
            r#"|\{%-?\s*include\s+([A-Za-z0-9_./-]+)"#,
        ))
        .expect("reference pattern compiles")
    });
    let mut out: Vec<String> = re
        .captures_iter(text)
        .filter_map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .next()
                .map(|m| m.as_str().to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The keys a file can be referred to by: its stem (`footer` for `_footer.html.liquid`), with and
/// without a leading `_`, and its path stems relative to each ancestor (`partials/footer`).
pub fn reference_keys(rel: &str) -> Vec<String> {
    let rel = rel.replace('\\', "/");
    let stemmed = match rel.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/{}", name.split('.').next().unwrap_or(name)),
        None => rel.split('.').next().unwrap_or(&rel).to_string(),
    };
    let parts: Vec<&str> = stemmed.split('/').filter(|p| !p.is_empty()).collect();
    let mut keys = Vec::new();
    for i in 0..parts.len() {
        let key = parts[i..].join("/");
        if let Some(bare) = parts[parts.len() - 1].strip_prefix('_') {
            let mut p: Vec<&str> = parts[i..parts.len() - 1].to_vec();
            p.push(bare);
            keys.push(p.join("/"));
        }
        keys.push(key);
    }
    keys
}

/// Normalises a reference as written to the form of [`reference_keys`]: no extension, no leading
/// `./`, `@` or `_` on the last part.
pub fn reference_key(reference: &str) -> String {
    let r = reference.trim_start_matches("./").trim_start_matches('@');
    let (dir, name) = match r.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, r),
    };
    let name = name.split('.').next().unwrap_or(name);
    let name = name.strip_prefix('_').unwrap_or(name);
    match dir {
        Some(d) => format!("{d}/{name}"),
        None => name.to_string(),
    }
}

/// Folders next to a message (or above it) where its layouts and partials conventionally live.
const NEARBY_DIRS: &[&str] = &[
    "",
    "layouts",
    "layout",
    "_layouts",
    "partials",
    "_partials",
    "snippets",
    "includes",
    "_includes",
    "components",
    "templates",
];

/// How many folders up from a message its layouts are looked for, when they were not checked.
const NEARBY_LEVELS: usize = 3;

/// The checked files by the keys they can be referenced by: built once per run from the walked
/// files, so a message's layout and partials are found where the user pointed creeplint. A
/// reference to a file that was not checked (a pre-commit run passes a handful of files) is looked
/// for next to the message and a few folders up, within the settings root.
#[derive(Debug, Default)]
pub struct LinkIndex {
    by_key: HashMap<String, Vec<PathBuf>>,
    root: PathBuf,
}

impl LinkIndex {
    /// Indexes `files` (paths as walked) by their keys relative to `root`.
    pub fn new(files: &[PathBuf], root: &Path) -> LinkIndex {
        let mut by_key: HashMap<String, Vec<PathBuf>> = HashMap::new();
        for f in files {
            let rel = f.strip_prefix(root).unwrap_or(f);
            let rel = rel.to_string_lossy();
            for key in reference_keys(&rel) {
                by_key.entry(key).or_default().push(f.clone());
            }
        }
        LinkIndex {
            by_key,
            root: crate::config::absolute(root),
        }
    }

    /// The texts of every template that `text` (the file at `from`) pulls in, following the chain
    /// up to a few levels; a reference that names no file creeplint can find is left out.
    pub fn linked_texts(&self, text: &str, from: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut pending: Vec<(String, PathBuf, usize)> =
            vec![(text.to_string(), from.to_path_buf(), 0)];
        while let Some((t, at, depth)) = pending.pop() {
            if depth >= MAX_DEPTH {
                continue;
            }
            for r in references(&t) {
                let key = reference_key(&r);
                let Some(p) = self.resolve(&key, &at) else {
                    continue;
                };
                if seen.contains(&p) {
                    continue;
                }
                seen.push(p.clone());
                if let Ok(linked) = std::fs::read_to_string(&p) {
                    pending.push((linked.clone(), p, depth + 1));
                    out.push(linked);
                }
            }
        }
        out
    }

    /// The file a reference key names, seen from the file at `from`: among the checked files the
    /// one nearest to it, else one in a conventional folder nearby.
    fn resolve(&self, key: &str, from: &Path) -> Option<PathBuf> {
        let from = crate::config::absolute(from);
        if let Some(paths) = self.by_key.get(key) {
            let shared = |p: &PathBuf| {
                let p = crate::config::absolute(p);
                p.components()
                    .zip(from.components())
                    .take_while(|(a, b)| a == b)
                    .count()
            };
            return paths.iter().max_by_key(|p| shared(p)).cloned();
        }
        self.nearby(key, &from)
    }

    fn nearby(&self, key: &str, from: &Path) -> Option<PathBuf> {
        let (dir_part, name) = match key.rsplit_once('/') {
            Some((d, n)) => (Some(d), n),
            None => (None, key),
        };
        let inside_root = from.starts_with(&self.root);
        let ancestors = from.ancestors().skip(1).take(NEARBY_LEVELS + 1);
        for base in ancestors {
            if inside_root && !base.starts_with(&self.root) {
                break;
            }
            for sub in NEARBY_DIRS {
                let mut dir = base.join(sub);
                if let Some(d) = dir_part {
                    dir = dir.join(d);
                }
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
                        continue;
                    };
                    let stem = file.split('.').next().unwrap_or(file);
                    let stem = stem.strip_prefix('_').unwrap_or(stem);
                    if stem == name && path != from && path.is_file() {
                        return Some(path);
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_checked_file_wins_and_a_missing_one_is_found_nearby() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (name, text) in [
            ("a/layouts/base.html", "A's layout: unsubscribe"),
            ("b/layouts/base.html", "B's layout"),
            ("b/partials/_footer.html", "B's footer"),
            (
                "b/promo.liquid",
                "{% extends 'layouts/base.html' %}{{> footer }}",
            ),
        ] {
            let p = root.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let promo = root.join("b/promo.liquid");
        let checked = [
            root.join("a/layouts/base.html"),
            root.join("b/layouts/base.html"),
            promo.clone(),
        ];
        let index = LinkIndex::new(&checked, root);
        let text = std::fs::read_to_string(&promo).unwrap();
        let mut linked = index.linked_texts(&text, &promo);
        linked.sort();
        // B's own layout (not A's, which shares the name), and its footer found next to it
        // although it was not checked.
        assert_eq!(linked, ["B's footer", "B's layout"]);
    }

    #[test]
    fn references_and_their_keys_meet() {
        let refs = references(
            "{% layout 'promo' %}{% extends \"layouts/base.html\" %}{{> footer }}{% include 'partials/_social.liquid' %}{{ template \"unsub\" . }}",
        );
        assert_eq!(
            refs,
            [
                "footer",
                "layouts/base.html",
                "partials/_social.liquid",
                "promo",
                "unsub"
            ]
        );
        assert_eq!(reference_key("partials/_social.liquid"), "partials/social");
        assert!(
            reference_keys("emails/partials/_social.html").contains(&"partials/social".to_string())
        );
        assert!(reference_keys("emails/layouts/base.html").contains(&"layouts/base".to_string()));
        assert!(reference_keys("emails/footer.hbs").contains(&"footer".to_string()));
    }
}
