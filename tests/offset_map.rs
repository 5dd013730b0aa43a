//! Property tests of the offset map: whatever the input (curly quotes, non-breaking and zero-width
//! spaces, soft hyphens, CRLF, entities, merge tags), normalising it and mapping a normalised range
//! back gives original text on character boundaries that normalises to that very range.

#[path = "support/invariants.rs"]
mod invariants;

use creeplint::position::LineIndex;
use creeplint::source::segment::{FIELD_CLOSE, FIELD_OPEN};
use creeplint::source::{Format, Segment, SegmentBuilder};
use invariants::Checker;
use proptest::prelude::*;
use std::sync::OnceLock;

/// Characters that normalisation treats specially, mixed with plain letters and punctuation.
const ALPHABET: &[&str] = &[
    "a",
    "b",
    "Z",
    "7",
    "$",
    ".",
    ",",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u{A0}",
    "\u{AD}",
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{2019}",
    "\u{201C}",
    "\u{201D}",
    "\u{2014}",
    "\u{2026}",
    "\u{E9}",
    "e\u{301}",
    "\u{1F600}",
    "\u{E000}",
    "\u{E001}",
    "\u{3000}",
    "\u{2028}",
    "you",
    "spent",
    "\u{FFFD}",
];

/// Decoded entity values: each stands for a whole `&#N;` in the original.
const DECODED: &[char] = &[
    '$', '\u{2019}', '\u{A0}', '\u{AD}', '\u{E9}', ' ', '<', '&', '\u{201C}',
];

fn original_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..24).prop_map(|v| v.concat())
}

/// One piece of a segment as a source would push it.
#[derive(Debug, Clone)]
enum Piece {
    /// Original text, pushed as it is.
    Original(String),
    /// An entity `&#N;` decoding to the char.
    Entity(char),
    /// A soft break written as a newline.
    Break,
    /// A merge tag `{{ name }}`.
    Field(String),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => original_text().prop_map(Piece::Original),
        1 => prop::sample::select(DECODED).prop_map(Piece::Entity),
        1 => Just(Piece::Break),
        1 => "[a-z_]{1,8}".prop_map(Piece::Field),
    ]
}

/// Builds the original file and its segment from pieces, the way an extractor does.
fn build(pieces: &[Piece]) -> (String, Option<Segment>) {
    let mut file = String::new();
    let mut b = SegmentBuilder::new();
    for p in pieces {
        let start = file.len();
        match p {
            Piece::Original(t) => {
                file.push_str(t);
                b.push_original(t, start);
            }
            Piece::Entity(c) => {
                file.push_str(&format!("&#{};", *c as u32));
                b.push_replacement(&c.to_string(), start..file.len());
            }
            Piece::Break => {
                file.push('\n');
                b.push_space(start..file.len());
            }
            Piece::Field(name) => {
                file.push_str(&format!("{{{{ {name} }}}}"));
                b.push_field(name, Vec::new(), false, start..file.len());
            }
        }
    }
    (file, b.finish())
}

/// An independent normaliser: entities decoded, merge tags turned into empty placeholders, then
/// quotes, dashes and the ellipsis made ASCII, invisible characters dropped, whitespace collapsed
/// and trimmed.
fn reference(original: &str) -> String {
    let mut chars: Vec<char> = Vec::new();
    let mut rest = original;
    while let Some(c) = rest.chars().next() {
        if let Some(tail) = rest.strip_prefix("&#") {
            let end = tail.find(';').expect("entity end");
            chars.push(char::from_u32(tail[..end].parse().expect("number")).expect("char"));
            rest = &tail[end + 1..];
        } else if let Some(tail) = rest.strip_prefix("{{") {
            let end = tail.find("}}").expect("tag end");
            chars.extend(['\u{F8FF}', ',', '\u{F8FE}']);
            rest = &tail[end + 2..];
        } else {
            chars.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let mut out = String::new();
    let mut space = false;
    for c in chars {
        let mapped: &str = match c {
            '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            c if c == FIELD_OPEN || c == FIELD_CLOSE => continue,
            '\u{2019}' => "'",
            '\u{201C}' | '\u{201D}' => "\"",
            '\u{2014}' => "-",
            '\u{2026}' => "...",
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            _ => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                continue;
            }
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push_str(mapped);
    }
    // The stand-ins become the real placeholder markers only now, after copy markers were dropped.
    out.replace('\u{F8FF}', &FIELD_OPEN.to_string())
        .replace('\u{F8FE}', &FIELD_CLOSE.to_string())
}

fn boundaries(s: &str) -> Vec<usize> {
    (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The segment's text is what an independent normaliser makes of the original.
    #[test]
    fn normalisation_matches_a_reference(pieces in prop::collection::vec(piece(), 0..8)) {
        let (file, seg) = build(&pieces);
        let want = reference(&file);
        prop_assert_eq!(seg.map(|s| s.text).unwrap_or_default(), want);
    }

    /// Every normalised range maps to an original range on char boundaries, inside the file, whose
    /// text normalises back to the normalised range (up to edge spaces, and the whole `…` when a
    /// range cuts its `...`).
    #[test]
    fn every_range_maps_back_to_its_original(pieces in prop::collection::vec(piece(), 0..8)) {
        let (file, seg) = build(&pieces);
        let Some(seg) = seg else { return Ok(()) };
        let bounds = boundaries(&seg.text);
        let fields: Vec<_> = seg.fields.iter().map(|f| f.norm.clone()).collect();
        let inside_field = |i: usize| fields.iter().any(|f| f.start < i && i < f.end);
        let mut last_start = 0;
        for (n, &i) in bounds.iter().enumerate() {
            for &j in &bounds[n..] {
                let r = seg.original_range(i..j);
                prop_assert!(r.start <= r.end && r.end <= file.len(), "{i}..{j} -> {r:?}");
                prop_assert!(file.is_char_boundary(r.start) && file.is_char_boundary(r.end), "{i}..{j} -> {r:?}");
                if i == j || inside_field(i) || inside_field(j) {
                    continue;
                }
                let want = seg.text[i..j].trim_matches(' ');
                let again = reference(&file[r.clone()]);
                let cut_ellipsis = again != want
                    && again.contains(want)
                    && (file[r.clone()].starts_with('\u{2026}') || file[r.clone()].ends_with('\u{2026}'));
                prop_assert!(again == want || cut_ellipsis,
                    "norm {i}..{j} {want:?} -> orig {r:?} {:?} -> {again:?}", &file[r.clone()]);
            }
            let start = seg.original_range(i..i).start;
            prop_assert!(start >= last_start, "starts go backwards at {i}");
            last_start = start;
        }
    }

    /// Pushing one text in several pieces maps exactly as pushing it whole.
    #[test]
    fn split_pushes_map_like_one_push(text in original_text(), cuts in prop::collection::vec(0usize..64, 0..4)) {
        let mut whole = SegmentBuilder::new();
        whole.push_original(&text, 0);
        let mut cut_points: Vec<usize> = cuts.into_iter().map(|c| c.min(text.len())).filter(|&c| text.is_char_boundary(c)).collect();
        cut_points.sort_unstable();
        cut_points.dedup();
        let mut split = SegmentBuilder::new();
        let mut from = 0;
        for c in cut_points.into_iter().chain([text.len()]) {
            split.push_original(&text[from..c], from);
            from = c;
        }
        let (whole, split) = (whole.finish(), split.finish());
        prop_assert_eq!(whole.as_ref().map(|s| &s.text), split.as_ref().map(|s| &s.text));
        if let (Some(w), Some(s)) = (whole, split) {
            for i in boundaries(&w.text) {
                for j in boundaries(&w.text).into_iter().filter(|&j| j >= i) {
                    prop_assert_eq!(w.original_range(i..j), s.original_range(i..j));
                }
            }
        }
    }

    /// Line and column of any offset are what counting from the start of the text gives.
    #[test]
    fn positions_count_lines_and_characters(text in original_text(), at in 0usize..200) {
        let idx = LineIndex::new(&text);
        let mut offset = at.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let p = idx.position(&text, offset);
        prop_assert_eq!((p.line, p.column), (line, column));
    }
}

/// Documents in copy-like text: words, creepy phrases, template tags, Markdown markers, entities
/// and every kind of line break and invisible character.
fn document_text() -> impl Strategy<Value = String> {
    const MORE: &[&str] = &[
        "You spent $342 with us",
        "you\u{2019}ve spent\n $1,186",
        "{{ customer.total_spent }}",
        "{{ first_name }}",
        "{% if x %}",
        "{% endif %}",
        "{# note #}",
        "*|FNAME|*",
        "%%=v(@debt)=%%",
        "{{",
        "}}",
        "\n\n",
        "# ",
        "- ",
        "> ",
        "**",
        "[link](http://x/{{ u }})",
        "`code`",
        "---\n",
        "subject: ",
        "&#36;",
        "<b>",
        "</b>",
        "<!-- c -->",
        "| a | b |\n",
        "```\n",
        "1. ",
        "\\*",
    ];
    prop::collection::vec(
        prop_oneof![3 => prop::sample::select(ALPHABET), 2 => prop::sample::select(MORE)],
        0..40,
    )
    .prop_map(|v| v.concat())
}

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(Checker::new)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    /// Plain text documents: every segment and finding maps back (see `support/invariants.rs`).
    #[test]
    fn text_documents_map_back(text in document_text()) {
        checker().check_text(text, Format::Text);
    }

    /// Markdown documents, front matter included.
    #[test]
    fn markdown_documents_map_back(text in document_text()) {
        checker().check_text(text.clone(), Format::Markdown);
        checker().check_text(format!("---\nsubject: {text}\n---\n{text}"), Format::Markdown);
    }
}

/// HTML, JSON, YAML and CSV shapes around copy-like text.
fn structured_text() -> impl Strategy<Value = String> {
    const SHAPES: &[&str] = &[
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<br>",
        "<div>",
        "<img alt=\"",
        "\">",
        "<!--",
        "-->",
        "&amp;",
        "&#36;",
        "&nbsp;",
        "&#x2019;",
        "<script>",
        "</script>",
        "{\"subject\": \"",
        "\", \"body\": \"",
        "\"}",
        "[\"",
        "\", \"",
        "\"]",
        "\\n",
        "\\u00e9",
        "\\\"",
        "key: ",
        "- ",
        "  ",
        "|\n",
        ">\n",
        "'",
        "# c\n",
        ",",
        "\"\"",
        "\r\n",
        "\n",
    ];
    prop::collection::vec(
        prop_oneof![2 => prop::sample::select(ALPHABET), 2 => prop::sample::select(SHAPES)],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// HTML, JSON, YAML and CSV documents: the same invariants as text.
    #[test]
    fn structured_documents_map_back(text in structured_text()) {
        for format in [Format::Html, Format::Json, Format::Yaml, Format::Csv] {
            checker().check_text(text.clone(), format);
        }
    }
}
