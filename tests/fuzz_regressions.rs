//! Inputs that once crashed a fuzz target or failed a property test, replayed through the same
//! checks (`support/invariants.rs`) so that the bug stays fixed. Each names the fix it guards.

#[path = "support/invariants.rs"]
mod invariants;

use creeplint::source::Format;
use invariants::{check_tags, Checker};

/// `%%[ /*/ ]%%`: the AMPscript comment check read `/*` and `*/` overlapping in `/*/` and computed
/// `len - 4` on a 3-byte body (overflow panic in debug builds). Found by `fuzz/template_tags`.
#[test]
fn ampscript_block_with_overlapping_comment_markers() {
    let input = include_bytes!("regressions/template_tags-ampscript-overlapping-comment.bin");
    let text = String::from_utf8_lossy(input);
    check_tags(&text);
    check_tags("%%[/*/]%%");
    Checker::new().check_text(text.into_owned(), Format::Text);
}

/// A front-matter copy key whose value is only spaces (`subject:  `) made a reversed range and a
/// slicing panic. Found by the `markdown_documents_map_back` property test.
#[test]
fn front_matter_key_with_a_blank_value() {
    let checker = Checker::new();
    checker.check_text("---\nsubject:  \n---\n ".to_string(), Format::Markdown);
    checker.check_text(
        "---\npreheader:\t\r\n---\nYou spent $5\n".to_string(),
        Format::Markdown,
    );
}

/// A position at the very end of a text whose length is a multiple of the column index's block
/// size read past the index and underflowed. Found by `fuzz/html`, `fuzz/yaml`, `fuzz/csv` (a
/// finding at the end of a 4096-byte file) and `fuzz/pack` (an error at the end of a 4096-byte pack).
#[test]
fn position_at_the_end_of_a_text_of_whole_index_blocks() {
    let html = include_bytes!("regressions/html-finding-at-end-of-4096-byte-file.html");
    let checker = Checker::new();
    for format in [Format::Html, Format::Yaml, Format::Csv, Format::Text] {
        checker.check_bytes(html, format);
    }
    invariants::check_pack(include_str!(
        "regressions/pack-error-at-end-of-4096-byte-pack.toml"
    ));
}

/// A multi-byte character (a soft hyphen, U+FFFD) right before `name = "literal"` in a logic tag:
/// the copy-binding check sliced one byte after its start. Found by `fuzz/text` and
/// `fuzz/markdown` minutes after the logic-tag literal extraction landed.
#[test]
fn non_ascii_before_a_binding_in_a_logic_tag() {
    let checker = Checker::new();
    checker.check_bytes(
        include_bytes!("regressions/text-non-ascii-before-a-binding-in-a-logic-tag.txt"),
        Format::Text,
    );
    checker.check_bytes(
        include_bytes!("regressions/markdown-non-ascii-before-a-binding-in-a-logic-tag.md"),
        Format::Markdown,
    );
    for format in [Format::Text, Format::Html, Format::Markdown] {
        checker.check_text(
            "{% assign x\u{AD}heading = \"You spent $342\" %}".to_string(),
            format,
        );
        checker.check_text("{% set \u{E9}= 'hi' %}".to_string(), format);
    }
}
