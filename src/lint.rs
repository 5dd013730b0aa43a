//! Checking files: read, decode, extract, match, and turn matches into findings with positions.
//! Per-file problems become notes or errors on that file's report; the run goes on.

use crate::baseline::fingerprints;
use crate::config::Settings;
use crate::engine::Engine;
use crate::error::Error;
use crate::fields::FieldClassifier;
use crate::finding::{FieldNote, Finding, ModelHit};
use crate::kinds::{kind_of, KindOf};
use crate::links::LinkIndex;
pub use crate::outcome::{FileReport, FileTimings, Note};
use crate::pack::{PackSet, PackSource};
use crate::paths::{display_path, root_relative};
use crate::select::KnownRules;
use crate::source::read::{decode_owned, Decoded, Encoding};
use crate::source::{Document, Format};
use crate::suppress;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// How many of the model's heaviest words a model finding names.
const MODEL_SIGNALS: usize = 4;

/// Loads the built-in packs (unless turned off) and the pack files the settings name.
pub fn load_packs(settings: &Settings) -> Result<PackSet, Vec<Error>> {
    crate::pack::load(pack_sources(settings)?)
}

/// [`load_packs`] for listing rules: the same checks and errors, without what only matching
/// needs (see [`crate::pack::load_listing`]).
pub fn load_packs_listing(settings: &Settings) -> Result<PackSet, Vec<Error>> {
    crate::pack::load_listing(pack_sources(settings)?)
}

fn pack_sources(settings: &Settings) -> Result<Vec<PackSource>, Vec<Error>> {
    let mut sources = if settings.builtin {
        PackSource::builtin()
    } else {
        Vec::new()
    };
    let mut errors = Vec::new();
    for path in &settings.packs {
        match PackSource::read(path) {
            Ok(s) => sources.push(s),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(sources)
}

/// Everything needed to check files: the compiled rules that are selected, the field classifier and
/// the settings.
#[derive(Debug, Clone)]
pub struct Linter {
    engine: Engine,
    classifier: FieldClassifier,
    settings: Settings,
    unused_directive: Arc<crate::pack::RuleInfo>,
    bad_directive: Arc<crate::pack::RuleInfo>,
    /// Every loaded rule and pack name (selected or not), to tell a typo from a rule turned off.
    known: Arc<KnownRules>,
    /// Findings carry their source line (`Finding::line_text`); when not, they share this empty
    /// one.
    source_lines: bool,
    no_line: Arc<str>,
    /// The checked files by reference key: where a message's layout and partials are found.
    links: Option<Arc<LinkIndex>>,
}

/// Every rule a selector may name with `packs` loaded: theirs and creeplint's own
/// (`creeplint.unused-directive`, `creeplint.bad-directive`).
pub fn known_rules(packs: &PackSet) -> KnownRules {
    let unused_directive = suppress::unused_directive_rule();
    let bad_directive = suppress::bad_directive_rule();
    KnownRules::new(
        packs
            .rules()
            .map(|r| &*r.info)
            .chain([&unused_directive, &bad_directive]),
    )
}

impl Linter {
    /// A linter running the rules of `packs` that the settings select.
    pub fn new(packs: &PackSet, settings: Settings) -> Linter {
        let rules = packs
            .rules()
            .filter(|r| settings.rule_may_run(&r.info))
            .cloned()
            .collect();
        let known = known_rules(packs);
        Linter {
            engine: Engine::new(rules),
            classifier: packs.classifier.clone(),
            settings,
            unused_directive: Arc::new(suppress::unused_directive_rule()),
            bad_directive: Arc::new(suppress::bad_directive_rule()),
            known: Arc::new(known),
            source_lines: true,
            no_line: Arc::from(""),
            links: None,
        }
    }

    /// Follows each message's layout chain (`{% layout %}`, `{% extends %}`, `{{> partial }}`,
    /// `{% include %}`, `{{ template }}`) into the files of `links` from now on. Set in place rather
    /// than on a clone: a clone's engine keeps its own statistics (the `--timings` engine mode)
    /// and search caches.
    pub fn set_links(&mut self, links: Arc<LinkIndex>) {
        self.links = Some(links);
    }

    /// The kind of a parsed document shown as `shown`: `[[kinds]]` config, front matter, then
    /// the file itself.
    pub fn kind_of(&self, shown: &str, doc: &Document) -> KindOf {
        let rel = root_relative(shown, &self.settings.root);
        kind_of(&self.settings.kinds, &rel, Path::new(shown), doc)
    }

    /// A linter whose findings leave `line_text` empty: for output that never shows the source
    /// line (all but the human format). A large run holds every finding until it prints them,
    /// and their lines were a tenth of its memory.
    pub fn without_source_lines(mut self) -> Linter {
        self.source_lines = false;
        self
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The field classifier.
    pub fn classifier(&self) -> &FieldClassifier {
        &self.classifier
    }

    /// Reads one file and tells its message kind, without running any rule.
    pub fn kind_of_file(&self, path: &Path) -> Result<KindOf, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = match decode_owned(bytes) {
            Decoded::Binary => String::new(),
            Decoded::Text(t, _) => t,
        };
        let format = Format::detect(path, &text);
        let doc = Document::parse(text, format, &self.classifier);
        Ok(self.kind_of(&display_path(path), &doc))
    }

    /// Reads and checks one file.
    pub fn check_file(&self, path: &Path) -> FileReport {
        let shown = display_path(path);
        let started = Instant::now();
        // Open first and size the open file: one path lookup instead of two per file.
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) => return self.unopened(shown, path, e),
        };
        let size = match file.metadata() {
            Ok(meta) => meta.len(),
            Err(e) => return FileReport::failed(shown, Error::io(path, e)),
        };
        if size > self.settings.max_file_size {
            return self.too_large(shown, size);
        }
        // Read at most the limit (and one byte to see it passed): a device or pipe named on the
        // command line (`/dev/zero`) reports no size but may never end. A buffer of the reported
        // size (and the byte that finds the end) takes the file in one read, without regrowing.
        let capacity = usize::try_from(size).map_or(0, |s| s.saturating_add(1));
        let mut bytes = Vec::with_capacity(capacity);
        let limit = self.settings.max_file_size.saturating_add(1);
        match file.take(limit).read_to_end(&mut bytes) {
            Ok(_) => {
                let read = started.elapsed();
                let mut report = self.check_owned(shown, bytes, path);
                report.timings.read = read;
                report
            }
            Err(e) => FileReport::failed(shown, Error::io(path, e)),
        }
    }

    /// The report on a file that could not be opened: skipped when it is over the size limit
    /// anyway, else the error.
    fn unopened(&self, shown: String, path: &Path, open_error: std::io::Error) -> FileReport {
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() > self.settings.max_file_size => {
                self.too_large(shown, meta.len())
            }
            Ok(_) => FileReport::failed(shown, Error::io(path, open_error)),
            Err(e) => FileReport::failed(shown, Error::io(path, e)),
        }
    }

    /// The report on a file of `size` bytes, over the size limit: skipped.
    fn too_large(&self, shown: String, size: u64) -> FileReport {
        FileReport::skipped(
            shown,
            Note::TooLarge {
                size,
                limit: self.settings.max_file_size,
            },
        )
    }

    /// Checks file contents; `name` decides the format (by extension, else by content).
    pub fn check_bytes(&self, shown: String, bytes: &[u8], name: &Path) -> FileReport {
        self.check_owned(shown, bytes.to_vec(), name)
    }

    /// [`Linter::check_bytes`] on bytes it may keep: valid UTF-8 becomes the text without a copy.
    pub fn check_owned(&self, shown: String, bytes: Vec<u8>, name: &Path) -> FileReport {
        let started = Instant::now();
        let mut report = FileReport::new(shown);
        if bytes.len() as u64 > self.settings.max_file_size {
            return self.too_large(report.path, bytes.len() as u64);
        }
        let (text, encoding) = match decode_owned(bytes) {
            Decoded::Binary => {
                report.notes.push(Note::Binary);
                return report;
            }
            Decoded::Text(t, e) => (t, e),
        };
        if encoding == Encoding::Utf8Lossy {
            report.notes.push(Note::Lossy);
        }
        let format = Format::detect(name, &text);
        if matches!(format, Format::Html | Format::Json) {
            if let Some(report_format) = crate::outcome::own_report_format(&text) {
                report.notes.push(Note::OwnReport(report_format));
                return report;
            }
        }
        let doc = self.document(text, format, name);
        for (at, message) in &doc.warnings {
            let line = doc.lines.position(&doc.text, *at).line;
            report.notes.push(Note::Malformed {
                line,
                message: message.clone(),
                format: format.name(),
            });
        }
        let extracted = Instant::now();
        report.timings.extract = extracted - started;
        let kind = self.kind_of(&report.path, &doc);
        report.findings = self.findings_with(&report.path, &doc, &kind, true, &mut report.notes);
        report.kind = Some(kind);
        report.timings.matching = extracted.elapsed();
        report
    }

    /// Parses the text of the file `name` as `format`, with the texts of its layout and partials
    /// when the linter has a [`LinkIndex`] (see [`Linter::set_links`]).
    pub fn document(&self, text: String, format: Format, name: &Path) -> Document {
        let mut doc = Document::parse(text, format, &self.classifier);
        if let Some(links) = &self.links {
            doc.linked = links.linked_texts(&doc.text, name);
        }
        doc
    }

    /// Checks decoded text read as `format`.
    pub fn check_text(&self, shown: &str, text: String, format: Format) -> Vec<Finding> {
        let doc = Document::parse(text, format, &self.classifier);
        self.findings_in(shown, &doc)
    }

    /// Every rule's findings in a rule example, with overlapping findings of one pack all kept:
    /// `rules test` judges each rule on its own. An example that holds markup is read as HTML,
    /// like a `rules eval` row.
    pub fn check_example(&self, text: &str) -> Vec<Finding> {
        let doc = Document::parse(text.to_string(), Format::of_snippet(text), &self.classifier);
        let kind = self.kind_of("<example>", &doc);
        self.findings_with("<example>", &doc, &kind, false, &mut Vec::new())
    }

    /// The findings of a parsed document, after message kinds, per-path settings and inline
    /// directives (notes about the directives are dropped: [`Linter::check_owned`] keeps them).
    pub fn findings_in(&self, shown: &str, doc: &Document) -> Vec<Finding> {
        let kind = self.kind_of(shown, doc);
        self.findings_with(shown, doc, &kind, true, &mut Vec::new())
    }

    fn findings_with(
        &self,
        shown: &str,
        doc: &Document,
        kind: &KindOf,
        collapse: bool,
        notes: &mut Vec<Note>,
    ) -> Vec<Finding> {
        let rel = root_relative(shown, &self.settings.root);
        // One copy of the path for all of the file's findings.
        let shared: Arc<str> = shown.into();
        let mut line_cache = None;
        let phrases = self.engine.find(doc);
        let second_opinions =
            self.engine
                .find_by_model(doc, |rule| rule.info.judges(kind.kind), &phrases);
        let mut findings: Vec<Finding> = phrases
            .into_iter()
            .chain(second_opinions)
            // A rule judges only the kinds of message it declares, and a rule with `inside` only
            // copy inside a template branch on a field of those kinds.
            .filter(|m| {
                let rule = &self.engine.rules()[m.rule];
                rule.info.judges(kind.kind)
                    && (rule.inside.is_empty()
                        || doc.inside_branch(
                            &doc.segments[m.segment].original_range(m.norm.clone()),
                            &rule.inside,
                        ))
            })
            .map(|m| {
                let rule = &self.engine.rules()[m.rule];
                let seg = &doc.segments[m.segment];
                let range = seg.original_range(m.norm.clone());
                let mut f = self.finding(&shared, doc, rule.info.clone(), range, &mut line_cache);
                // The rule's severity for this kind of message, unless the config overrides it.
                if f.severity == rule.info.severity {
                    f.severity = rule.info.severity_in(kind.kind);
                }
                f.frame = rule.frame_hit(&seg.text[m.norm.clone()]);
                if let Some(judge) = &rule.model {
                    let copy = &seg.text[m.norm.clone()];
                    f.model = Some(ModelHit {
                        score: judge.model().score(copy),
                        signals: judge.model().signals(copy, MODEL_SIGNALS),
                    });
                }
                f.fields = seg
                    .fields_in(m.norm.clone())
                    .filter(|f| !f.kinds.is_empty())
                    .map(|f| FieldNote {
                        variable: f.variable.clone(),
                        kinds: f.kinds.clone(),
                    })
                    .collect();
                f
            })
            .collect();
        findings.extend(self.branch_findings(&shared, doc, kind, &mut line_cache));
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // Fingerprints are taken before anything is filtered out, so that suppressing or ignoring
        // one finding never shifts the occurrence index (and so the identity) of another.
        let prints = fingerprints(
            &rel,
            findings
                .iter()
                .map(|f| (f.rule.id.as_str(), f.matched.as_str())),
        );
        for (f, p) in findings.iter_mut().zip(prints) {
            f.fingerprint = p;
        }
        // The engine also holds rules that only an override selects: without an override for this
        // file, keep what the top-level filter allows.
        match self.settings.for_path(&rel) {
            Some(here) => {
                findings.retain(|f| here.filter.allows(&f.rule));
                for f in &mut findings {
                    // Keep the kind's severity unless an override names the rule.
                    let severity = here.severity_of(&f.rule);
                    if severity != f.rule.severity {
                        f.severity = severity;
                    }
                }
            }
            None if !self.settings.overrides.is_empty() => {
                findings.retain(|f| self.settings.filter.allows(&f.rule));
            }
            None => {}
        }
        let (directives, bad) =
            suppress::parse(&doc.comments, |o| doc.lines.position(&doc.text, o).line);
        // A directive naming no loaded rule or pack is a typo that would suppress nothing while
        // looking as if it did: an error on the file, with a did-you-mean.
        for d in &directives {
            for s in d.rules.iter().filter(|s| !self.known.knows(s)) {
                notes.push(Note::UnknownRule {
                    line: *d.lines.start(),
                    message: self.known.unknown_message(s.as_str()),
                });
            }
        }
        let used = suppress::apply(&directives, &mut findings);
        if collapse {
            collapse_same_pack_overlaps(&mut findings);
        }
        if !bad.is_empty() {
            let mut malformed: Vec<Finding> = bad
                .iter()
                .map(|b| {
                    let mut f = self.finding(
                        &shared,
                        doc,
                        self.bad_directive.clone(),
                        b.offset..b.end.max(b.offset),
                        &mut line_cache,
                    );
                    f.matched = format!("{} ({})", f.matched.trim_end(), b.message);
                    f
                })
                .collect();
            if let Some(here) = self.settings.for_path(&rel) {
                malformed.retain(|f| here.filter.allows(&f.rule));
            } else {
                malformed.retain(|f| self.settings.filter.allows(&f.rule));
            }
            let prints = fingerprints(
                &rel,
                malformed
                    .iter()
                    .map(|f| (f.rule.id.as_str(), f.matched.as_str())),
            );
            for (f, p) in malformed.iter_mut().zip(prints) {
                f.fingerprint = p;
            }
            findings.extend(malformed);
            findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        if self.settings.report_unused_directives {
            let mut unused: Vec<Finding> = directives
                .iter()
                .zip(used)
                .filter(|(d, n)| *n == 0 && d.kind != suppress::Kind::Enable)
                .map(|(d, _)| {
                    let end = doc.text[d.offset..]
                        .find(|c: char| c.is_whitespace())
                        .map_or(doc.text.len(), |i| d.offset + i)
                        .min(d.comment_end.max(d.offset));
                    let mut f = self.finding(
                        &shared,
                        doc,
                        self.unused_directive.clone(),
                        d.offset..end,
                        &mut line_cache,
                    );
                    f.matched = d.describe();
                    f
                })
                .collect();
            let prints = fingerprints(
                &rel,
                unused
                    .iter()
                    .map(|f| (f.rule.id.as_str(), f.matched.as_str())),
            );
            for (f, p) in unused.iter_mut().zip(prints) {
                f.fingerprint = p;
            }
            findings.extend(unused);
            findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        }
        findings
    }

    /// Findings of rules with `branches`: one at each template condition that tests a field of
    /// one of the rule's kinds, naming those fields. Like phrase findings, they respect the kinds
    /// of message a rule judges and its severity per kind.
    fn branch_findings(
        &self,
        shown: &Arc<str>,
        doc: &Document,
        kind: &KindOf,
        line_cache: &mut Option<(usize, Arc<str>)>,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        for rule in self
            .engine
            .rules()
            .iter()
            .filter(|r| !r.branches.is_empty() && r.info.judges(kind.kind))
        {
            for condition in &doc.conditions {
                let fields: Vec<FieldNote> = condition
                    .fields
                    .iter()
                    .filter(|(_, kinds)| kinds.iter().any(|k| rule.branches.contains(k)))
                    .map(|(variable, kinds)| FieldNote {
                        variable: variable.clone(),
                        kinds: kinds.clone(),
                    })
                    .collect();
                if fields.is_empty() {
                    continue;
                }
                let range = condition.range.clone();
                let mut f = self.finding(shown, doc, rule.info.clone(), range, line_cache);
                if f.severity == rule.info.severity {
                    f.severity = rule.info.severity_in(kind.kind);
                }
                f.fields = fields;
                out.push(f);
            }
        }
        out
    }

    /// A finding of `rule` over `range` of the document, without fields or fingerprint yet.
    fn finding(
        &self,
        shown: &Arc<str>,
        doc: &Document,
        rule: Arc<crate::pack::RuleInfo>,
        range: std::ops::Range<usize>,
        line_cache: &mut Option<(usize, Arc<str>)>,
    ) -> Finding {
        let start = doc.lines.position(&doc.text, range.start);
        let end = doc.lines.position(&doc.text, range.end);
        // Findings on the same line share its text: many findings on one long line must not
        // each copy it.
        let line_text = match line_cache {
            _ if !self.source_lines => self.no_line.clone(),
            Some((line, text)) if *line == start.line => text.clone(),
            _ => {
                let text: Arc<str> = doc.text[doc.lines.line_range(&doc.text, start.line)].into();
                *line_cache = Some((start.line, text.clone()));
                text
            }
        };
        Finding {
            severity: self.settings.severity_of(&rule),
            rule,
            path: shown.clone(),
            matched: doc.text[range.clone()].to_string(),
            range,
            start,
            end,
            line_text,
            fields: Vec::new(),
            frame: None,
            model: None,
            fingerprint: String::new(),
        }
    }
}

pub use crate::outcome::human_size;

/// Keeps one finding where rules of one pack flag overlapping text ("You paid $89 for this jacket"
/// is both a quoted spend and a price paid): the most specific one (the longest match), then the
/// most severe. Severity overrides, select and ignore have been applied already, so the finding
/// kept carries the severity the user configured for its rule (`"spend.price-paid" = "info"`
/// makes that sentence an info). Two findings about one phrase teach a copywriter that the tool
/// is noisy; rules of different packs name different concerns and are all kept.
fn collapse_same_pack_overlaps(findings: &mut Vec<Finding>) {
    let mut keep = vec![true; findings.len()];
    for i in 0..findings.len() {
        for j in i + 1..findings.len() {
            let (a, b) = (&findings[i], &findings[j]);
            if b.range.start >= a.range.end {
                break; // sorted by start: nothing later overlaps `a`
            }
            if !keep[i] || !keep[j] || a.rule.pack != b.rule.pack || a.rule.id == b.rule.id {
                continue;
            }
            let rank = |f: &Finding| (f.range.len(), f.severity);
            if rank(b) > rank(a) {
                keep[i] = false;
            } else {
                keep[j] = false;
            }
        }
    }
    let mut k = keep.into_iter();
    findings.retain(|_| k.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{load, PackSource};

    #[test]
    fn without_source_lines_only_the_line_text_is_left_out() {
        let packs = load(PackSource::builtin()).expect("packs load");
        let config = crate::config::Config::default();
        let settings = Settings::resolve(&config, &crate::config::Overrides::default())
            .expect("default settings");
        let linter = Linter::new(&packs, settings);
        let text = "Hello.\nYou spent $342 with us last month.\n";
        let with = linter.check_text("a.txt", text.to_string(), Format::Text);
        let without = linter.clone().without_source_lines().check_text(
            "a.txt",
            text.to_string(),
            Format::Text,
        );
        assert!(!with.is_empty());
        assert_eq!(&*with[0].line_text, "You spent $342 with us last month.");
        assert_eq!(with.len(), without.len());
        for (a, b) in with.iter().zip(&without) {
            assert_eq!(&*b.line_text, "");
            assert_eq!(
                (&a.rule.id, &a.range, &a.start, &a.matched, &a.fingerprint),
                (&b.rule.id, &b.range, &b.start, &b.matched, &b.fingerprint)
            );
        }
    }
}
