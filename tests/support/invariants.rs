//! Invariants every parsed document must hold, whatever its bytes. Shared by the fuzz targets
//! (`fuzz/src/lib.rs` includes this file) and by the regression tests that replay their crash inputs,
//! so a kept input is checked exactly as the fuzzer checked it.
//!
//! - every segment is normalised (no edge or doubled spaces, no line breaks or invisible characters);
//! - every character of every segment maps to an original range inside the file, on character
//!   boundaries, in order; every merge-field placeholder maps to a whole template tag;
//! - every match maps back to original text which, normalised again, is the matched normalised text
//!   (checked where the original slice holds no markup, escapes or tags that extraction removes);
//! - every finding's range, line and column lie inside the file and its `matched` text is that range.

#![allow(dead_code)]

use creeplint::config::{Config, Overrides, Settings};
use creeplint::lint::Linter;
use creeplint::pack::{self, PackSource};
use creeplint::source::read::{decode, Decoded};
use creeplint::source::segment::{FIELD_CLOSE, FIELD_OPEN};
use creeplint::source::{Document, Format, SegmentBuilder};
use std::path::{Path, PathBuf};

/// A pack whose rules match nearly everything, so that every input produces matches to map back:
/// single words, runs of non-space, three-word phrases, phrases around merge fields, and a rule with
/// `unless` and `near` so that sentence and word windows run too.
pub const EVERYTHING_PACK: &str = r#"
[pack]
name = "fuzz-everything"
description = "Matches nearly every stretch of copy, for fuzzing the offset map"

[[fields]]
kind = "fuzzkind"
any = ["a*", "e*", "i*", "o*", "u*", "s*", "t*", "n*"]

[[rules]]
id = "fuzz-everything.word"
severity = "info"
message = "a word"
why = "fuzzing"
suggest = "nothing"
patterns = ['\w+']
examples.bad = ["word"]
examples.good = ["!!!"]

[[rules]]
id = "fuzz-everything.token"
severity = "info"
message = "a token"
why = "fuzzing"
suggest = "nothing"
whole_word = false
patterns = ['\S+']
examples.bad = ["x"]
examples.good = [" "]

[[rules]]
id = "fuzz-everything.phrase"
severity = "warning"
message = "three words"
why = "fuzzing"
suggest = "nothing"
patterns = ['\w+\W+\w+\W+\w+']
examples.bad = ["a b c"]
examples.good = ["a"]

[[rules]]
id = "fuzz-everything.field"
severity = "error"
message = "a field with a word around it"
why = "fuzzing"
suggest = "nothing"
whole_word = false
patterns = ['\w+\s*{field}', '{field:fuzzkind}\s*\w*', '{field}']
examples.bad = ["hi {{ name }}"]
examples.good = ["hi"]

[[rules]]
id = "fuzz-everything.near"
severity = "info"
message = "a word near another"
why = "fuzzing"
suggest = "nothing"
patterns = ['\w*[xyz]\w*']
unless = ['\bzz\w*']
near = { patterns = ['\d+'], within = 2 }
examples.bad = ["xy 1"]
examples.good = ["a"]

[[rules]]
id = "fuzz-everything.doc"
severity = "info"
message = "a document with a word"
why = "fuzzing"
suggest = "nothing"
scope = "document"
patterns = ['\w+']
unless = ['qqqq']
examples.bad = ["word"]
examples.good = ["!"]
"#;

/// The built-in packs plus [`EVERYTHING_PACK`], compiled once per process.
pub struct Checker {
    linter: Linter,
}

impl Default for Checker {
    fn default() -> Self {
        Self::new()
    }
}

impl Checker {
    /// Loads the built-in packs and the match-everything pack.
    pub fn new() -> Checker {
        let mut sources = PackSource::builtin();
        sources.push(PackSource {
            path: PathBuf::from("fuzz-everything.toml"),
            text: EVERYTHING_PACK.to_string(),
            builtin: false,
        });
        let packs = match pack::load(sources) {
            Ok(p) => p,
            Err(errors) => panic!("the fuzzing packs load: {errors:?}"),
        };
        let settings = Settings::resolve(&Config::empty(Path::new("/")), &Overrides::default())
            .expect("default settings");
        Checker {
            linter: Linter::new(&packs, settings),
        }
    }

    /// Decodes `data` as a file would be, then checks it as `format`.
    pub fn check_bytes(&self, data: &[u8], format: Format) {
        if let Decoded::Text(text, _) = decode(data) {
            self.check_text(text, format);
        }
    }

    /// Parses `text` as `format` and asserts every invariant; panics with a description otherwise.
    pub fn check_text(&self, text: String, format: Format) {
        let doc = Document::parse(text, format, self.linter.classifier());
        for (at, message) in &doc.warnings {
            assert!(
                *at <= doc.text.len() && !message.is_empty(),
                "warning {message:?} at {at} of {}",
                doc.text.len()
            );
            // The binary turns the offset into a line number.
            doc.lines.position(&doc.text, *at);
        }
        check_segments(&doc);
        check_matches(&self.linter, &doc);
        check_findings(&self.linter, &doc);
    }
}

/// `text` normalised the way the source layer normalises original copy.
pub fn normalise(text: &str) -> String {
    let mut b = SegmentBuilder::new();
    b.push_original(text, 0);
    b.finish().map(|s| s.text).unwrap_or_default()
}

fn in_file(text: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fn check_segments(doc: &Document) {
    let text = &doc.text;
    for (si, seg) in doc.segments.iter().enumerate() {
        let t = &seg.text;
        assert!(!t.is_empty(), "segment {si} is empty");
        assert!(
            !t.starts_with(' ') && !t.ends_with(' ') && !t.contains("  "),
            "segment {si} is not whitespace-normalised: {t:?}"
        );
        assert!(
            !t.contains(|c: char| c != ' ' && c.is_whitespace()
                || matches!(
                    c,
                    '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
                )),
            "segment {si} holds unnormalised characters: {t:?}"
        );
        let span = seg.original_span();
        assert!(
            in_file(text, &span),
            "segment {si} span {span:?} is outside the file or off a char boundary ({} bytes)",
            text.len()
        );
        let mut last_start = 0;
        for (i, c) in t.char_indices() {
            let r = seg.original_range(i..i + c.len_utf8());
            assert!(in_file(text, &r), "segment {si} char {i} ({c:?}) maps to {r:?}, outside the file or off a char boundary");
            assert!(r.start >= last_start, "segment {si} char {i} maps to {r:?}, before the previous char's start {last_start}");
            assert!(
                r.start >= span.start && r.end <= span.end,
                "segment {si} char {i} maps to {r:?} outside the segment's span {span:?}"
            );
            last_start = r.start;
        }
        assert_eq!(
            t.matches(FIELD_OPEN).count(),
            seg.fields.len(),
            "segment {si}: a placeholder marker that is not a merge field: {t:?}"
        );
        for f in &seg.fields {
            assert!(
                t.is_char_boundary(f.norm.start)
                    && t.is_char_boundary(f.norm.end)
                    && f.norm.end <= t.len(),
                "field {:?} of segment {si} is off the text",
                f.norm
            );
            let placeholder = &t[f.norm.clone()];
            assert!(
                placeholder.starts_with(FIELD_OPEN) && placeholder.ends_with(FIELD_CLOSE),
                "field {:?} of segment {si} is not a placeholder: {placeholder:?}",
                f.norm
            );
            let r = seg.original_range(f.norm.clone());
            let tag = &text[r.clone()];
            assert!(
                ["{{", "{%", "*|", "%%"].iter().any(|o| tag.starts_with(o))
                    && ["}}", "|*", "%%", "%}"].iter().any(|c| tag.ends_with(c)),
                "field {:?} of segment {si} maps to {r:?} = {tag:?}, not a whole merge tag",
                f.variable
            );
        }
    }
}

/// Characters that extraction may remove or rewrite (markup, escapes, entities, tag delimiters); an
/// original slice without any of them must normalise to exactly the matched text.
const MARKUP: &[char] = &[
    '{', '}', '%', '*', '|', '<', '>', '&', '[', ']', '(', ')', '!', '#', '_', '`', '~', '\\', '"',
    '\'', '\u{E000}', '\u{E001}', '\u{FFFD}',
];

fn check_matches(linter: &Linter, doc: &Document) {
    let text = &doc.text;
    for m in linter.engine().find(doc) {
        let seg = &doc.segments[m.segment];
        assert!(
            m.norm.start < m.norm.end && m.norm.end <= seg.text.len(),
            "match {m:?} is off its segment"
        );
        let norm = &seg.text[m.norm.clone()];
        let r = seg.original_range(m.norm.clone());
        assert!(
            in_file(text, &r),
            "match {m:?} maps to {r:?}, outside the file or off a char boundary"
        );
        let original = &text[r.clone()];
        if original.contains(MARKUP) {
            continue;
        }
        let again = normalise(original);
        let want = norm.trim_matches(' ');
        // A match that starts or ends inside a multi-character replacement (`…` is `...`) maps to the
        // whole replaced character, by design: then the original holds a little more.
        let partial_replacement = again != want
            && again.contains(want)
            && (original.starts_with('\u{2026}') || original.ends_with('\u{2026}'));
        assert!(
            again == want || partial_replacement,
            "match {norm:?} maps to {r:?} = {original:?}, which normalises to {again:?}"
        );
    }
}

fn check_findings(linter: &Linter, doc: &Document) {
    let text = &doc.text;
    let lines = doc.lines.of(&doc.text).line_count();
    for f in linter.findings_in("fuzz", doc) {
        assert!(
            in_file(text, &f.range),
            "finding {} range {:?} is outside the file",
            f.rule_id(),
            f.range
        );
        assert_eq!(
            f.matched,
            text[f.range.clone()],
            "finding {} `matched` is not its range",
            f.rule_id()
        );
        for p in [f.start, f.end] {
            assert!(
                p.line >= 1 && p.line <= lines,
                "finding {} at line {} of {lines}",
                f.rule_id(),
                p.line
            );
            let line = &text[doc.lines.line_range(text, p.line)];
            let max = line.chars().count() + 1;
            // The end of a match may sit after the line's `\r` only if the match took it in.
            assert!(
                p.column >= 1 && p.column <= max + 1,
                "finding {} at {}:{} past the line's {max} columns",
                f.rule_id(),
                p.line,
                p.column
            );
        }
        assert!(
            f.start <= f.end,
            "finding {} ends before it starts",
            f.rule_id()
        );
        assert_eq!(
            f.start,
            doc.lines.position(text, f.range.start),
            "finding {} start position",
            f.rule_id()
        );
        assert_eq!(
            &*f.line_text,
            &text[doc.lines.line_range(text, f.start.line)],
            "finding {} line text",
            f.rule_id()
        );
    }
}

/// The merge-tag scanner on any text: tags sorted, inside the text, on char boundaries, not
/// overlapping, each starting with an opening delimiter, comment bodies inside their tags.
pub fn check_tags(text: &str) {
    use creeplint::source::template::{scan_tags, Aliases, TagKind};
    let mut aliases = Aliases::default();
    let mut last_end = 0;
    for tag in scan_tags(text, &mut aliases) {
        let r = &tag.range;
        assert!(
            r.start >= last_end && r.start < r.end && r.end <= text.len(),
            "tag {r:?} after {last_end}"
        );
        assert!(in_file(text, r), "tag {r:?} off a char boundary");
        let t = &text[r.clone()];
        assert!(
            ["{{", "{%", "{#", "*|", "%%"]
                .iter()
                .any(|o| t.starts_with(o)),
            "tag {t:?}"
        );
        if let TagKind::Comment { body } = &tag.kind {
            assert!(
                body.start >= r.start && body.end <= r.end,
                "comment body {body:?} outside {r:?}"
            );
            assert!(
                in_file(text, body),
                "comment body {body:?} off a char boundary"
            );
        }
        last_end = r.end;
    }
}

/// The byte decoder on any bytes: valid UTF-8 without a BOM or NUL decodes to itself.
pub fn check_decode(data: &[u8]) {
    use creeplint::source::read::Encoding;
    let decoded = decode(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let plain = !s.starts_with('\u{FEFF}')
            && !data.contains(&0)
            && !data.starts_with(&[0xFF, 0xFE])
            && !data.starts_with(&[0xFE, 0xFF]);
        if plain {
            match decoded {
                Decoded::Text(t, Encoding::Utf8) => assert_eq!(t, s),
                other => panic!("valid UTF-8 decoded as {other:?}"),
            }
        }
    }
}

/// The pack loader on any TOML text: loads, or fails with errors that each name the pack file and a
/// line inside it.
pub fn check_pack(text: &str) {
    use creeplint::Error;
    let source = PackSource {
        path: PathBuf::from("fuzzed.toml"),
        text: text.to_string(),
        builtin: false,
    };
    let lines = text.split('\n').count();
    if let Err(errors) = pack::load(vec![source]) {
        assert!(!errors.is_empty(), "a failed load reports an error");
        for e in errors {
            if let Error::Pack { location, .. } = &e {
                if location.path.to_str() != Some("<fields>") {
                    assert_eq!(location.path.to_str(), Some("fuzzed.toml"), "{e}");
                    if let Some(line) = location.line {
                        assert!(line >= 1 && line <= lines, "{e}: line {line} of {lines}");
                    }
                }
            }
            assert!(!e.to_string().is_empty());
        }
    }
}

/// The config loader on any TOML text: `ConfigFile` parses or fails with an error inside the text,
/// and a parsed config resolves into settings or an error naming the config file.
pub fn check_config(text: &str) {
    use creeplint::config::ConfigFile;
    match toml::from_str::<ConfigFile>(text) {
        Ok(file) => {
            let config = Config {
                path: Some(PathBuf::from("/fuzz/creeplint.toml")),
                root: PathBuf::from("/fuzz"),
                file,
                text: text.to_string(),
            };
            if let Err(e) = Settings::resolve(&config, &Overrides::default()) {
                assert!(e.to_string().contains("creeplint.toml"), "{e}");
            }
        }
        Err(e) => {
            if let Some(span) = e.span() {
                assert!(
                    span.start <= text.len(),
                    "error span {span:?} past the text"
                );
            }
        }
    }
}
