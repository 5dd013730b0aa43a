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
