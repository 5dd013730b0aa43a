//! `--statistics`: how many findings each rule produced, instead of the findings themselves (like
//! ruff's). Text: `COUNT  RULE  SEVERITY  MESSAGE`, most frequent first; with `--format json`, an
//! array of `{rule, severity, count, message}`.

use super::{Emitter, Run};
use crate::severity::Severity;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The statistics emitter.
pub struct Statistics {
    /// Write JSON instead of a table.
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Row<'a> {
    rule: &'a str,
    severity: Severity,
    count: usize,
    message: &'a str,
}

impl Emitter for Statistics {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let mut counts: BTreeMap<(&str, Severity), (usize, &str)> = BTreeMap::new();
        for f in run.findings() {
            counts
                .entry((f.rule.id.as_str(), f.severity))
                .or_insert((0, f.rule.message.as_str()))
                .0 += 1;
        }
        let mut rows: Vec<Row> = counts
            .into_iter()
            .map(|((rule, severity), (count, message))| Row {
                rule,
                severity,
                count,
                message,
            })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
        if self.json {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            return writeln!(out);
        }
        let count_w = rows
            .iter()
            .map(|r| r.count.to_string().len())
            .max()
            .unwrap_or(1);
        let rule_w = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
        for r in &rows {
            writeln!(
                out,
                "{:>count_w$}  {:<rule_w$}  {:<7}  {}",
                r.count, r.rule, r.severity, r.message
            )?;
        }
        Ok(())
    }
}
