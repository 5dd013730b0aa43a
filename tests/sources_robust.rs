//! Every extractor on hostile input: pseudo-random mixes of markup, template tags, quotes, escapes,
//! multi-byte characters and line endings never panic, and every segment maps back to a range of the
//! file that starts and ends on character boundaries.

use creeplint::source::{Document, Format};

const PIECES: &[&str] = &[
    "<",
    ">",
    "</",
    "<p>",
    "</p>",
    "<b>",
    "<!--",
    "-->",
    "<style>",
    "</style>",
    "<head>",
    "<title>",
    "<img alt=\"",
    "\"",
    "'",
    "''",
    "\"\"",
    "=",
    "&",
    "&#36;",
    "&#x",
    ";",
    "&pound",
    "&nbsp;",
    "{{",
    "}}",
    "{{{",
    "}}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{{!--",
    "--}}",
    "*|",
    "|*",
    "%%[",
    "]%%",
    "%%=",
    "=%%",
    "%%",
    "\\",
    "\\u",
    "\\ud83d",
    "\\udc40",
    "00a3",
    "\n",
    "\r\n",
    "  ",
    "\t",
    "- ",
    ": ",
    "key",
    "#",
    "|",
    ">-",
    ",",
    "[",
    "]",
    "{",
    "}",
    "you spent $342",
    // Block tags of every template language, so branches open, nest and close at random.
    "<%",
    "%>",
    "<%=",
    "<%#",
    "<%-",
    "-%>",
    "<% if user.pregnant? %>",
    "<% end %>",
    " do |m| ",
    "{% if customer.pregnant %}",
    "{% else %}",
    "{% endif %}",
    "{% case x %}",
    "{% when ",
    "{{#if member.hasAnxiety}}",
    "{{^}}",
    "{{/if}}",
    "*|IF:DIAGNOSIS|*",
    "*|END:IF|*",
    " IF @x THEN ",
    " ENDIF ",
    "/*",
    "*/",
    "caf\u{e9}",
    "\u{2019}",
    "\u{1F440}",
    "\u{a0}",
    "\u{feff}",
    "x",
    "0",
    "mj-preview",
    "display:none",
];

fn document(seed: u64, len: usize) -> String {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = String::new();
    for _ in 0..len {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
    }
    out
}

#[test]
fn random_inputs_never_panic_and_map_inside_the_file() {
    // The built-in packs' field kinds, so that conditions on sensitive fields are recorded and
    // their branches tracked.
    let packs = creeplint::pack::load(creeplint::pack::PackSource::builtin()).expect("packs load");
    let classifier = packs.classifier;
    let mut conditions = 0;
    let formats = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Json,
        Format::Yaml,
        Format::Csv,
    ];
    for seed in 0..2000u64 {
        let text = document(seed, 5 + (seed as usize % 300));
        for format in formats {
            let doc = Document::parse(text.clone(), format, &classifier);
            for seg in &doc.segments {
                let r = seg.original_span();
                assert!(
                    r.start <= r.end && r.end <= text.len(),
                    "{format:?} seed {seed}: {r:?}"
                );
                assert!(
                    text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                    "{format:?} seed {seed}: {r:?} splits a character"
                );
            }
            for (at, _) in &doc.warnings {
                assert!(*at <= text.len());
            }
            for c in &doc.conditions {
                conditions += 1;
                for r in std::iter::once(&c.range).chain(&c.body) {
                    assert!(
                        r.start <= r.end && r.end <= text.len(),
                        "{format:?} seed {seed}: condition {r:?}"
                    );
                }
            }
        }
    }
    assert!(
        conditions > 0,
        "the inputs hold conditions on sensitive fields"
    );
}
