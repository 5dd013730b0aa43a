//! The prefilter literals of the built-in packs' patterns, computed ahead of time.
//!
//! Extracting a pattern's required and start literals ([`super::literals`]) means building its
//! parse tree, a lexicon's hundreds of terms included. For the built-in packs' twelve hundred
//! patterns that was a third of a pre-commit run over ten files. The literals depend on nothing
//! but the pattern's final regex text, so they are computed once and shipped in
//! `builtin_literals.json`, keyed by a hash ([`crate::hash::fnv1a64`]) and the length of that text.
//!
//! A pattern the table lacks (a built-in pack edited since the table was written) is analysed at
//! load as before: the table changes how fast a run starts, never what it finds. The test
//! `the_literal_table_is_fresh` fails while the table is stale;
//! `CREEPLINT_WRITE_LITERAL_TABLE=1 cargo test --lib literal_table` rewrites it.

use super::literals::Starts;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The table as built into the binary.
const TABLE: &str = include_str!("builtin_literals.json");

/// A pattern's literals as the table gives them.
#[derive(Debug, Clone)]
pub struct Found {
    /// Its required literal sets.
    pub literals: Arc<[Vec<String>]>,
    /// Its required byte sets.
    pub bytes: Arc<[Vec<u8>]>,
    /// Where its matches start, when known.
    pub starts: Option<Arc<Starts>>,
}

/// The table file: every distinct literal set once, and each pattern naming its sets by index.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
struct File {
    sets: Vec<Vec<String>>,
    patterns: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Entry {
    /// [`key`] of the pattern's source: its hash and length.
    key: (u64, usize),
    /// Indexes of its required sets in [`File::sets`].
    required: Vec<usize>,
    /// Its required byte sets (left out when it has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    bytes: Vec<Vec<u8>>,
    starts: Option<StartsEntry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct StartsEntry {
    literals: usize,
    word_start: bool,
    rewind: usize,
    at_text_start: bool,
}

/// The table's key for a pattern source: its stable hash and its length (the table outlives any
/// one build).
pub fn key(source: &str) -> (u64, usize) {
    (crate::hash::fnv1a64(&[source]), source.len())
}

/// The literals of the pattern whose final regex is `source`, when the table has them.
pub fn lookup(source: &str) -> Option<Found> {
    static LOADED: OnceLock<HashMap<(u64, usize), Found>> = OnceLock::new();
    LOADED
        .get_or_init(|| index(TABLE))
        .get(&key(source))
        .cloned()
}

/// The table text read into found literals by key. A table that does not read (only a hand edit
/// could make one) is an empty table: every pattern is then analysed at load.
fn index(text: &str) -> HashMap<(u64, usize), Found> {
    let file: File = serde_json::from_str(text).unwrap_or_default();
    let set = |i: usize| file.sets.get(i).cloned();
    let mut out = HashMap::with_capacity(file.patterns.len());
    for entry in &file.patterns {
        let Some(literals) = entry
            .required
            .iter()
            .map(|&i| set(i))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let starts = match &entry.starts {
            None => None,
            Some(s) => match (set(s.literals), set(s.rewind)) {
                (Some(literals), Some(rewind)) => Some(Arc::new(Starts {
                    literals,
                    word_start: s.word_start,
                    rewind,
                    at_text_start: s.at_text_start,
                })),
                _ => continue,
            },
        };
        out.insert(
            entry.key,
            Found {
                literals: literals.into(),
                bytes: entry.bytes.clone().into(),
                starts,
            },
        );
    }
    out
}

/// The table text for `patterns` (each a final regex source with its literals), one set and one
/// pattern a line so that a pack change shows as a small diff.
#[cfg(test)]
fn write<'a>(patterns: impl IntoIterator<Item = (&'a str, Found)>) -> String {
    let mut sets: Vec<Vec<String>> = Vec::new();
    let mut set_index: HashMap<Vec<String>, usize> = HashMap::new();
    let mut intern = |set: &[String]| -> usize {
        if let Some(&i) = set_index.get(set) {
            return i;
        }
        sets.push(set.to_vec());
        set_index.insert(set.to_vec(), sets.len() - 1);
        sets.len() - 1
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (source, found) in patterns {
        let key = key(source);
        if !seen.insert(key) {
            continue;
        }
        let required = found.literals.iter().map(|s| intern(s)).collect();
        let starts = found.starts.as_deref().map(|s| StartsEntry {
            literals: intern(&s.literals),
            word_start: s.word_start,
            rewind: intern(&s.rewind),
            at_text_start: s.at_text_start,
        });
        entries.push(Entry {
            key,
            required,
            bytes: found.bytes.to_vec(),
            starts,
        });
    }
    entries.sort_by_key(|e| e.key);
    let sets_text: Vec<String> = sets.iter().map(line).collect();
    let entries_text: Vec<String> = entries.iter().map(line).collect();
    format!(
        "{{\"sets\": [\n{}\n],\n\"patterns\": [\n{}\n]}}\n",
        sets_text.join(",\n"),
        entries_text.join(",\n")
    )
}

/// One table item as an indented line of JSON.
#[cfg(test)]
fn line<T: Serialize>(item: T) -> String {
    format!("  {}", serde_json::to_string(&item).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_table_reads_back_to_the_same_literals() {
        let starts = Starts {
            literals: vec!["you".into(), "your".into()],
            word_start: true,
            rewind: vec![],
            at_text_start: false,
        };
        let one = Found {
            literals: vec![vec!["spent".into(), "paid".into()], vec!["you".into()]].into(),
            bytes: vec![b"$".to_vec()].into(),
            starts: Some(Arc::new(starts.clone())),
        };
        let two = Found {
            literals: vec![vec!["you".into()]].into(),
            bytes: Vec::new().into(),
            starts: None,
        };
        let text = write([("(?i)you spent", one), ("(?i)\tyou", two)]);
        let read = index(&text);
        assert_eq!(read.len(), 2);
        let got = &read[&key("(?i)you spent")];
        assert_eq!(
            &*got.literals,
            &[vec!["spent".to_string(), "paid".into()], vec!["you".into()]]
        );
        assert_eq!(got.starts.as_deref(), Some(&starts));
        assert_eq!(&*got.bytes, &[b"$".to_vec()]);
        let got = &read[&key("(?i)\tyou")];
        assert_eq!(&*got.literals, &[vec!["you".to_string()]]);
        assert!(got.starts.is_none());
        // A set two patterns share is written once: the two required sets, the start literals
        // and the empty rewind list.
        let file: File = serde_json::from_str(&text).unwrap();
        assert_eq!(file.sets.len(), 4);
    }

    #[test]
    fn a_table_that_does_not_read_is_empty() {
        assert!(index("{\"sets\": [").is_empty());
        // A pattern naming a set that is not there is left out, not given wrong literals.
        let text = r#"{"sets": [["abc"]], "patterns": [{"key": [1, 2], "required": [5], "starts": null}]}"#;
        assert!(index(text).is_empty());
    }

    /// Every phrase pattern of the built-in packs with its literals, extracted now.
    fn extracted(literals: super::super::Literals) -> Vec<(String, Found)> {
        let set = super::super::load_with(super::super::PackSource::builtin(), literals)
            .expect("the built-in packs load");
        set.rules()
            .filter(|r| r.info.scope != super::super::schema::Scope::Document)
            .flat_map(|r| &r.patterns)
            .map(|p| {
                let found = Found {
                    literals: p.literals().to_vec().into(),
                    bytes: p.required_bytes().to_vec().into(),
                    starts: p.starts().cloned().map(Arc::new),
                };
                (p.as_str().to_string(), found)
            })
            .collect()
    }

    #[test]
    fn the_literal_table_is_fresh() {
        let fresh = extracted(super::super::Literals::Fresh);
        let text = write(fresh.iter().map(|(s, f)| (s.as_str(), f.clone())));
        if std::env::var_os("CREEPLINT_WRITE_LITERAL_TABLE").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/pack/builtin_literals.json"
            );
            std::fs::write(path, &text).expect("the table is writable");
            return;
        }
        assert!(
            text == TABLE,
            "src/pack/builtin_literals.json does not hold the literals of the built-in packs as \
             they are now (a pack changed): rewrite it with \
             `CREEPLINT_WRITE_LITERAL_TABLE=1 cargo test --lib literal_table`"
        );
        // And a load takes every built-in pattern's literals from the table, unchanged.
        let served = extracted(super::super::Literals::Extract);
        assert_eq!(served.len(), fresh.len());
        for ((source, want), (_, got)) in fresh.iter().zip(&served) {
            assert!(lookup(source).is_some(), "not in the table: {source}");
            assert_eq!(want.literals, got.literals, "{source}");
            assert_eq!(want.bytes, got.bytes, "{source}");
            assert_eq!(want.starts, got.starts, "{source}");
        }
    }
}
