//! `rules eval`: measures the loaded rules against a labelled corpus.
//!
//! A corpus is a tab-separated file with a header naming the columns `id`, `label`, `category` and
//! `text` (in any order), and one message per row. `label` is `creepy` (the rules should flag it) or
//! `ok` (they should not). There is no quoting: a field never holds a tab. Each text is checked on its
//! own as one message, and a row counts as flagged when any rule reports anything on it. A text
//! that holds HTML (a tag of a known element such as `<b>` or `</p>`, or a character reference
//! such as `&#36;`) is read by the HTML source, as an `.html` file would be, so
//! `paid <b>$1,920</b>` is the phrase `paid $1,920`; any other text is read as plain text. Merge
//! tags work in both.

use crate::lint::Linter;
use crate::source::Format;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The columns a corpus must have.
pub const COLUMNS: [&str; 4] = ["id", "label", "category", "text"];

/// What a row is labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// The rules should flag it.
    Creepy,
    /// The rules should not flag it.
    Ok,
}

/// One labelled message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The row's id.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// The creepy category (a pack's concern) or the kind of benign copy.
    pub category: String,
    /// The message.
    pub text: String,
    /// 1-based line in the corpus file.
    pub line: usize,
}

/// Why a corpus could not be read.
#[derive(Debug)]
pub enum CorpusError {
    /// The file could not be read.
    Io {
        /// The corpus file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not a well-formed row (or header).
    Malformed {
        /// The corpus file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Io { path, source } => {
                write!(f, "{}: cannot read corpus: {source}", path.display())
            }
            CorpusError::Malformed {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
        }
    }
}

impl std::error::Error for CorpusError {}

/// Reads and parses a corpus file.
pub fn read_corpus(path: &Path) -> Result<Vec<Row>, CorpusError> {
    let bytes = std::fs::read(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        CorpusError::Malformed {
            path: path.to_path_buf(),
            line,
            message: "not valid UTF-8".into(),
        }
    })?;
    parse_corpus(&text, path)
}

/// Parses corpus text; `path` is only used in error messages.
pub fn parse_corpus(text: &str, path: &Path) -> Result<Vec<Row>, CorpusError> {
    let malformed = |line: usize, message: String| CorpusError::Malformed {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l));

    let (header_line, header) = lines
        .by_ref()
        .find(|(_, l)| !l.trim().is_empty())
        .ok_or_else(|| {
            malformed(
                1,
                "empty corpus: expected a header `id\tlabel\tcategory\ttext`".into(),
            )
        })?;
    let names: Vec<&str> = header.split('\t').map(str::trim).collect();
    let mut index = [0usize; 4];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = names.iter().position(|n| *n == column).ok_or_else(|| {
            malformed(
                header_line,
                format!(
                    "the header has no `{column}` column (expected the tab-separated columns {}, found {:?})",
                    COLUMNS.join(", "),
                    header
                ),
            )
        })?;
    }

    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (line, content) in lines {
        if content.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = content.split('\t').collect();
        if fields.len() != names.len() {
            return Err(malformed(
                line,
                format!(
                    "expected {} tab-separated fields, found {}",
                    names.len(),
                    fields.len()
                ),
            ));
        }
        let [id, label, category, text] = index.map(|i| fields[i].trim());
        if id.is_empty() {
            return Err(malformed(line, "the `id` field is empty".into()));
        }
        if !seen.insert(id.to_string()) {
            return Err(malformed(line, format!("duplicate id `{id}`")));
        }
        let label = match label {
            "creepy" => Label::Creepy,
            "ok" => Label::Ok,
            other => {
                return Err(malformed(
                    line,
                    format!("label must be `creepy` or `ok`, found `{other}`"),
                ))
            }
        };
        if category.is_empty() {
            return Err(malformed(line, "the `category` field is empty".into()));
        }
        if text.is_empty() {
            return Err(malformed(line, "the `text` field is empty".into()));
        }
        rows.push(Row {
            id: id.to_string(),
            label,
            category: category.to_string(),
            text: text.to_string(),
            line,
        });
    }
    Ok(rows)
}

/// A share of rows that were flagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    /// The category (or `overall`).
    pub category: String,
    /// Rows flagged.
    pub flagged: usize,
    /// Rows in the category.
    pub total: usize,
    /// `flagged / total`; `None` when there are no rows.
    pub rate: Option<f64>,
}

impl Rate {
    fn new(category: &str, flagged: usize, total: usize) -> Rate {
        Rate {
            category: category.to_string(),
            flagged,
            total,
            rate: (total > 0).then(|| flagged as f64 / total as f64),
        }
    }
}

/// One finding on a row, as far as the evaluation cares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The rule that fired.
    pub rule: String,
    /// The text it matched.
    pub matched: String,
}

/// A row the rules got wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    /// The row.
    #[serde(flatten)]
    pub row: Row,
    /// The findings on it (empty for a missed creepy row).
    pub hits: Vec<Hit>,
}

/// The figures of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Recall per creepy category, sorted by category.
    pub recall: Vec<Rate>,
    /// Recall over every creepy row.
    pub overall_recall: Rate,
    /// False-positive rate per benign category, sorted by category.
    pub false_positive: Vec<Rate>,
    /// False-positive rate over every ok row.
    pub overall_false_positive: Rate,
    /// Creepy rows no rule flagged.
    pub missed: Vec<Miss>,
    /// Ok rows some rule flagged, with what fired.
    pub flagged_ok: Vec<Miss>,
}

/// Checks every row with `linter` and tallies the outcome.
pub fn evaluate(linter: &Linter, rows: &[Row]) -> EvalReport {
    // category -> (flagged, total), per label.
    let mut creepy: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut ok: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut flagged_ok = Vec::new();
    for row in rows {
        let hits: Vec<Hit> = linter
            .check_text(&row.id, row.text.clone(), Format::of_snippet(&row.text))
            .into_iter()
            .map(|f| Hit {
                rule: f.rule.id.clone(),
                matched: f.matched,
            })
            .collect();
        let flagged = !hits.is_empty();
        let tally = match row.label {
            Label::Creepy => creepy.entry(&row.category).or_default(),
            Label::Ok => ok.entry(&row.category).or_default(),
        };
        tally.1 += 1;
        if flagged {
            tally.0 += 1;
        }
        match (row.label, flagged) {
            (Label::Creepy, false) => missed.push(Miss {
                row: row.clone(),
                hits,
            }),
            (Label::Ok, true) => flagged_ok.push(Miss {
                row: row.clone(),
                hits,
            }),
            _ => {}
        }
    }
    let rates = |m: &BTreeMap<&str, (usize, usize)>| -> (Vec<Rate>, Rate) {
        let list: Vec<Rate> = m.iter().map(|(c, (f, t))| Rate::new(c, *f, *t)).collect();
        let flagged = list.iter().map(|r| r.flagged).sum();
        let total = list.iter().map(|r| r.total).sum();
        (list, Rate::new("overall", flagged, total))
    };
    let (recall, overall_recall) = rates(&creepy);
    let (false_positive, overall_false_positive) = rates(&ok);
    EvalReport {
        recall,
        overall_recall,
        false_positive,
        overall_false_positive,
        missed,
        flagged_ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_in_any_column_order_and_skips_blank_lines() {
        let text =
            "label\tid\ttext\tcategory\r\ncreepy\ta1\tYou spent $3.\tspend\n\nok\ta2\tHi.\tok_x\n";
        let rows = parse_corpus(text, Path::new("c.tsv")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id, "a1");
        assert_eq!(rows[0].label, Label::Creepy);
        assert_eq!(rows[0].category, "spend");
        assert_eq!(rows[0].text, "You spent $3.");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let cases = [
            ("id\tlabel\tcategory\n", 1, "no `text` column"),
            (
                "id\tlabel\tcategory\ttext\na\tcreepy\tspend\n",
                2,
                "expected 4",
            ),
            (
                "id\tlabel\tcategory\ttext\na\tmaybe\tspend\tx\n",
                2,
                "`creepy` or `ok`",
            ),
            (
                "id\tlabel\tcategory\ttext\na\tok\tx\ty\na\tok\tx\ty\n",
                3,
                "duplicate id",
            ),
            (
                "id\tlabel\tcategory\ttext\na\tok\tx\t \n",
                2,
                "`text` field is empty",
            ),
            ("", 1, "empty corpus"),
        ];
        for (text, line, needle) in cases {
            match parse_corpus(text, Path::new("c.tsv")) {
                Err(e @ CorpusError::Malformed { .. }) => {
                    let shown = e.to_string();
                    assert!(shown.starts_with(&format!("c.tsv:{line}: ")), "{shown}");
                    assert!(shown.contains(needle), "{shown}");
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }
}
