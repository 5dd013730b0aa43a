//! `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers.
//!
//! One run; the driver lists every rule that fired, with its documentation (`why` as the full
//! description, the suggestion as help). Artifact URIs are relative to the project root (the
//! directory of `creeplint.toml`, else the working directory) under the `%SRCROOT%` base id, with
//! forward slashes, percent-encoded (`draft:v2.txt` is `draft%3Av2.txt`). Regions are 1-based with exclusive end columns counted in Unicode code points,
//! which the run states in `columnKind`. `partialFingerprints` carries the baseline fingerprint.

use super::{field_sentence, Emitter, Run};
use crate::baseline::FINGERPRINT_KEY;
use crate::finding::Finding;
use crate::outcome::{NoteLevel, PlacedNote};
use crate::pack::RuleInfo;
use crate::paths::root_relative;
use crate::severity::Severity;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// The SARIF emitter.
pub struct Sarif;

/// The schema URI GitHub's documentation uses for SARIF 2.1.0 logs.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where users can read about creeplint.
pub const INFORMATION_URI: &str = match option_env!("CARGO_PKG_REPOSITORY") {
    Some(uri) if !uri.is_empty() => uri,
    _ => "https://crates.io/crates/creeplint",
};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `spend.quoted-total` -> `SpendQuotedTotal`: SARIF rule names are identifiers, not ids.
fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rule_descriptor(rule: &RuleInfo) -> Value {
    let markdown = format!(
        "{}\n\n**Why it is creepy:** {}\n\n**How to rewrite:** {}\n\nRun `creeplint explain {}` for examples.",
        rule.message, rule.why, rule.suggest, rule.id
    );
    json!({
        "id": rule.id,
        "name": rule_name(&rule.id),
        "shortDescription": { "text": rule.message },
        "fullDescription": { "text": rule.why },
        "help": {
            "text": format!("{}\n\nWhy: {}\n\nHow to rewrite: {}", rule.message, rule.why, rule.suggest),
            "markdown": markdown,
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": tags(rule) },
    })
}

/// Tags GitHub shows and filters by: the pack, and `creeplint` (SARIF wants them unique).
fn tags(rule: &RuleInfo) -> Vec<String> {
    let mut tags = vec![rule.pack.clone()];
    if rule.pack != "creeplint" {
        tags.push("creeplint".into());
    }
    tags
}

/// A `file://` URI for a directory, ending in `/` as SARIF requires for base URIs.
fn directory_uri(dir: &Path) -> String {
    let mut s = dir.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{}", percent_encode_path(&s))
}

/// What a URI path keeps as it is: RFC 3986's unreserved characters and `/`. Everything else is
/// percent-encoded as UTF-8, including `:` (in a relative reference's first segment it would read
/// as a scheme: `draft:v2.txt`), spaces, `%`, `#`, `?` and non-ASCII letters.
const PATH_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for a URI (RFC 3986), keeping `/`.
fn percent_encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_ESCAPES).to_string()
}

impl Emitter for Sarif {
    fn emit(&self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        // Rules in id order, each listed once; results point at them by index.
        let mut rules: BTreeMap<&str, &RuleInfo> = BTreeMap::new();
        for f in run.findings() {
            rules.insert(&f.rule.id, &f.rule);
        }
        let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
        let notifications: Vec<Value> = run.all_notes().map(|n| notification(run, n)).collect();
        let log = json!({
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "creeplint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "informationUri": INFORMATION_URI,
                        "rules": rules.values().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
                    }
                },
                "invocations": [{
                    "executionSuccessful": !run.has_error_notes(),
                    "toolExecutionNotifications": notifications,
                }],
                "originalUriBaseIds": {
                    "%SRCROOT%": { "uri": directory_uri(&run.root) }
                },
                "columnKind": "unicodeCodePoints",
                "results": [],
            }]
        });
        // The results are written one by one as they are built: as one `Value` tree, a run with
        // 44,000 findings took 600 MB. Keys stay in the order a `Value` writes them (sorted).
        let Value::Object(mut top) = log else {
            unreachable!("the log is an object")
        };
        let run_value = match top.remove("runs") {
            Some(Value::Array(mut runs)) => runs.remove(0),
            _ => unreachable!("the log has one run"),
        };
        let Value::Object(mut run_fields) = run_value else {
            unreachable!("a run is an object")
        };
        run_fields.remove("results");
        let results = Results { run, index: &index };
        let log = Log {
            schema: &top["$schema"],
            runs: [RunOut {
                column_kind: &run_fields["columnKind"],
                invocations: &run_fields["invocations"],
                original_uri_base_ids: &run_fields["originalUriBaseIds"],
                results,
                tool: &run_fields["tool"],
            }],
            version: &top["version"],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// The SARIF log, its keys in the order a `serde_json::Value` writes them.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a Value,
    runs: [RunOut<'a>; 1],
    version: &'a Value,
}

/// The one run of the log, with its results streamed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunOut<'a> {
    column_kind: &'a Value,
    invocations: &'a Value,
    original_uri_base_ids: &'a Value,
    results: Results<'a>,
    tool: &'a Value,
}

/// Every finding of the run as a SARIF result, built as it is written.
struct Results<'a> {
    run: &'a Run,
    /// Each rule id's index in the driver's rules.
    index: &'a BTreeMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let results = self.run.files.iter().flat_map(|file| {
            let rel = root_relative(&file.path, &self.run.root);
            let artifact = artifact_location(&rel);
            file.findings
                .iter()
                .map(move |f| result(f, &artifact, self.index))
        });
        serializer.collect_seq(results)
    }
}

/// The artifact location of a file in the run: relative to `%SRCROOT%` when under the project
/// root, else an absolute `file://` URI.
fn artifact_location(rel: &str) -> Value {
    if Path::new(rel).is_absolute() {
        json!({ "uri": format!("file://{}", percent_encode_path(rel)) })
    } else {
        json!({ "uri": percent_encode_path(rel), "uriBaseId": "%SRCROOT%" })
    }
}

/// A note as a tool execution notification, with the file it is about as its location.
fn notification(run: &Run, n: PlacedNote<'_>) -> Value {
    let level = match n.note.level() {
        NoteLevel::Error => "error",
        NoteLevel::Warning => "warning",
        NoteLevel::Info => "note",
    };
    let mut value = json!({
        "level": level,
        "message": { "text": n.note.to_string() },
        "descriptor": { "id": n.note.code() },
    });
    if let Some(path) = n.path {
        let rel = root_relative(path, &run.root);
        value["locations"] = json!([{
            "physicalLocation": { "artifactLocation": artifact_location(&rel) }
        }]);
    }
    value
}

/// One finding as a SARIF result.
fn result(f: &Finding, artifact: &Value, index: &BTreeMap<&str, usize>) -> Value {
    let mut text = f.rule.message.clone();
    if let Some(note) = field_sentence(f) {
        text = format!("{text} ({note})");
    }
    let mut fingerprints = Map::new();
    fingerprints.insert(FINGERPRINT_KEY.into(), Value::from(f.fingerprint.clone()));
    json!({
        "ruleId": f.rule.id,
        "ruleIndex": index[f.rule.id.as_str()],
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": {
                    "startLine": f.start.line,
                    "startColumn": f.start.column,
                    "endLine": f.end.line,
                    "endColumn": f.end.column,
                    "snippet": { "text": f.matched },
                }
            }
        }],
        "partialFingerprints": fingerprints,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(rule_name("spend.quoted-total"), "SpendQuotedTotal");
        assert_eq!(
            directory_uri(Path::new("/a b/c")),
            "file:///a%20b/c/".to_string()
        );
        assert_eq!(
            percent_encode_path("emails/été.html"),
            "emails/%C3%A9t%C3%A9.html"
        );
        assert_eq!(
            percent_encode_path("drafts/draft:v2 #1?.txt"),
            "drafts/draft%3Av2%20%231%3F.txt"
        );
    }
}
