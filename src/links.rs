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
            r#"|\{\{~?>\s*["']?([A-Za-z0-9_./@-]+)"#,
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

/// The checked files by the keys they can be referenced by: built once per run from the walked
/// files, so a message's layout and partials are found where the user pointed creeplint.
#[derive(Debug, Default)]
pub struct LinkIndex {
    by_key: HashMap<String, Vec<PathBuf>>,
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
        LinkIndex { by_key }
    }

    /// The texts of every template `text` pulls in, following the chain up to a few levels; a
    /// reference that names no checked file is left out (creeplint cannot see inside it).
    pub fn linked_texts(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut pending: Vec<(String, usize)> = vec![(text.to_string(), 0)];
        while let Some((t, depth)) = pending.pop() {
            if depth >= MAX_DEPTH {
                continue;
            }
            for r in references(&t) {
                let Some(paths) = self.by_key.get(&reference_key(&r)) else {
                    continue;
                };
                for p in paths {
                    if seen.contains(p) {
                        continue;
                    }
                    seen.push(p.clone());
                    if let Ok(linked) = std::fs::read_to_string(p) {
                        pending.push((linked.clone(), depth + 1));
                        out.push(linked);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
