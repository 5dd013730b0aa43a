//! Baselines: a file of accepted findings, so that an existing campaign repo can adopt creeplint and
//! fail only on new findings.
//!
//! A finding is identified by its fingerprint: rule id + path relative to the project root +
//! normalised matched text + occurrence index (the n-th finding of that rule with that text in that
//! file). Line numbers are not part of it, so a finding keeps its fingerprint when lines are added or
//! removed elsewhere in the file. The same fingerprint is SARIF's `partialFingerprints`.

use crate::error::Error;
use crate::hash::fnv1a64;
use crate::outcome::FileReport;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

/// The baseline file format version.
pub const BASELINE_VERSION: u32 = 1;

/// The key of creeplint's fingerprint in SARIF `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "creeplint/v1";

pub use crate::paths::root_relative;

/// Matched text made insensitive to case, spacing and typographic quotes, so that re-wrapping a
/// paragraph does not change a fingerprint.
pub fn normalise_match(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2018}' | '\u{2019}' => out.push('\''),
                '\u{201C}' | '\u{201D}' => out.push('"'),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Fingerprints for a file's findings, in order: `findings` must be sorted by position (as the
/// linter returns them) so that occurrence indexes are stable.
pub fn fingerprints<'a>(
    rel_path: &str,
    findings: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    findings
        .into_iter()
        .map(|(rule, matched)| {
            let text = normalise_match(matched);
            let n = seen.entry((rule.to_string(), text.clone())).or_insert(0);
            let occurrence = n.to_string();
            *n += 1;
            format!(
                "{:016x}",
                fnv1a64(&[rule, rel_path, &text, occurrence.as_str()])
            )
        })
        .collect()
}

/// One accepted finding in a baseline file. Everything but the fingerprint is there for people
/// reading the file and reviewing its diffs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The file, relative to the project root.
    pub path: String,
    /// The rule id.
    pub rule: String,
    /// The fingerprint.
    pub fingerprint: String,
    /// The matched text, normalised.
    pub matched: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline: the fingerprints it accepts.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads a baseline file, with an error naming the file and line when it is malformed.
    pub fn load(path: &Path) -> Result<Baseline, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            Error::config(
                crate::error::Location {
                    path: path.to_path_buf(),
                    line: Some(e.line()),
                    column: Some(e.column()),
                },
                format!("invalid baseline file: {e}"),
            )
        })?;
        if file.version != BASELINE_VERSION {
            return Err(Error::config(
                crate::error::Location::file(path),
                format!(
                    "baseline version {} is not supported (expected {BASELINE_VERSION}); write it again with --write-baseline",
                    file.version
                ),
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// How many findings it accepts.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// True when it accepts no finding.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// Removes the findings the baseline accepts from `files`; returns how many were hidden.
    pub fn apply(&self, files: &mut [FileReport]) -> usize {
        let mut hidden = 0;
        for f in files {
            let before = f.findings.len();
            f.findings
                .retain(|x| !self.fingerprints.contains(&x.fingerprint));
            hidden += before - f.findings.len();
        }
        hidden
    }
}

/// The baseline entries for the findings of `files`, sorted.
pub fn entries(files: &[FileReport], root: &Path) -> Vec<Entry> {
    let set: BTreeSet<Entry> = files
        .iter()
        .flat_map(|f| {
            let rel = root_relative(&f.path, root);
            f.findings.iter().map(move |x| Entry {
                path: rel.clone(),
                rule: x.rule.id.clone(),
                fingerprint: x.fingerprint.clone(),
                matched: normalise_match(&x.matched),
            })
        })
        .collect();
    set.into_iter().collect()
}

/// Writes a baseline of `entries` to `path` atomically: into a temporary file in the same
/// directory, then renamed over the target, so a reader never sees half a file.
pub fn write(path: &Path, entries: Vec<Entry>) -> Result<(), Error> {
    let doc = BaselineFile {
        version: BASELINE_VERSION,
        findings: entries,
    };
    let mut json = serde_json::to_vec_pretty(&doc).map_err(|e| Error::io(path, e.into()))?;
    json.push(b'\n');
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "baseline".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&json).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrence_and_text_decide_the_fingerprint_not_position() {
        let a = fingerprints(
            "a.txt",
            [
                ("spend.x", "You spent $5"),
                ("spend.x", "you  spent $5"),
                ("spend.x", "You spent $6"),
            ],
        );
        assert_ne!(a[0], a[1], "second occurrence differs");
        assert_ne!(a[0], a[2]);
        let b = fingerprints("a.txt", [("spend.x", "YOU SPENT $5")]);
        assert_eq!(a[0], b[0]);
        let c = fingerprints("b.txt", [("spend.x", "You spent $5")]);
        assert_ne!(a[0], c[0], "the path is part of it");
    }

    #[test]
    fn normalises_quotes_case_and_spacing() {
        assert_eq!(
            normalise_match("You\u{2019}ve\n  SPENT"),
            "you've spent".to_string()
        );
    }
}
