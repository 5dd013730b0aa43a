//! HTML email and MJML as a user checks them: exact positions of every finding, and nothing found in
//! markup, `<style>`, `<script>`, `<head>` or comments.

mod common;
use common::{at, probe, spots};

#[test]
fn html_copy_positions_and_non_copy_regions() {
    let o = probe("tests/fixtures/sources/page.html");
    assert_eq!(
        spots(&o),
        vec![
            // `<title>` is copy even in `<head>`; meta, style, script and the comment are not.
            at("canary", 5, 17),
            // The hidden preheader, with `&#36;` decoded.
            at("spent", 11, 40),
            // Inline `<b>` does not end the phrase; `&#x24;` decoded.
            at("spent", 12, 12),
            // `<p>`, `<td>` and `<br>` end phrases (lines 13-14 join nothing); `<span>` and `<a>` do not.
            at("join", 15, 4),
            at("join", 15, 33),
            // `alt` and `title` are copy, each its own segment.
            at("owe", 16, 23),
            at("canary", 16, 58),
            // `aria-label`, then text with `&eacute; &ndash; &rsquo; &#39; &euro;`.
            at("spent", 17, 16),
            at("spent", 17, 61),
        ]
    );
    assert_eq!(o.code, 1);
}

#[test]
fn entity_matches_cover_the_original_bytes() {
    let o = probe("tests/fixtures/sources/page.html");
    let hidden = &o.hits[1];
    assert_eq!(hidden.matched, "You spent &#36;342");
    assert_eq!((hidden.end_line, hidden.end_column), (11, 58));
    let bold = &o.hits[2];
    assert_eq!(bold.matched, "You spent <b>&#x24;18");
    let owe = &o.hits[5];
    assert_eq!(owe.matched, "You still owe &pound;4,870");
    let last = &o.hits[8];
    assert_eq!(last.matched, "you&#39;ve spent &euro;9");
}

#[test]
fn broken_html_still_yields_its_text() {
    let o = probe("tests/fixtures/sources/broken.html");
    assert_eq!(
        spots(&o),
        vec![
            // `<` followed by a space is text.
            at("spent", 1, 23),
            // An unterminated attribute quote ends at the tag's `>`.
            at("spent", 2, 15),
            // An unterminated comment hides only the rest of its own line.
            at("spent", 4, 1),
        ]
    );
    assert!(
        o.stderr
            .contains("broken.html: line 3: unterminated HTML comment"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("panicked"));
}

#[test]
fn mjml_head_preview_and_body() {
    let o = probe("tests/fixtures/sources/spring.mjml");
    assert_eq!(
        spots(&o),
        vec![
            at("spent", 3, 15),  // <mj-title>
            at("spent", 4, 17),  // <mj-preview>, the preheader
            at("spent", 12, 34), // mj-image alt
            at("spent", 13, 16), // mj-text with inline <b>
            at("spent", 14, 27), // mj-button
        ]
    );
}

#[test]
fn builtin_pack_flags_the_corpus_preheader_on_its_line() {
    let o = common::check(&["tests/corpus/templates/winback_email.html"]);
    let spend: Vec<_> = o
        .hits
        .iter()
        .filter(|h| h.rule.starts_with("spend."))
        .map(|h| (h.line, h.column, h.matched.as_str()))
        .collect();
    assert_eq!(spend, vec![(19, 114, "You spent &#36;342")]);
}

#[test]
fn clean_newsletter_has_no_finding() {
    let o = common::check(&["tests/corpus/templates/clean_newsletter.html"]);
    assert_eq!(o.hits, vec![]);
    assert_eq!(o.code, 0);
}

#[test]
fn merge_fields_in_title_hidden_preheaders_and_copy_attributes_are_found_where_they_are() {
    let o = probe("tests/fixtures/sources/hidden.html");
    assert_eq!(
        spots(&o),
        vec![
            at("spent", 5, 35),  // <title> with a filtered money field
            at("spent", 9, 83),  // display:none preheader div, then &zwnj;&nbsp; padding
            at("size", 10, 97),  // a span preheader hidden with `display: none !important`
            at("size", 12, 74),  // alt="..." (the src's merge field is not copy)
            at("spent", 13, 26), // alt='...' in single quotes
            at("spent", 14, 45), // an alt value inside {% if %}, after an unquoted src
            at("size", 14, 109), // title="..." on the same tag
            at("size", 15, 95),  // aria-label; the href's `?size={{ }}` is not copy
        ]
    );
}

#[test]
fn mjml_merge_fields_in_head_text_attributes_and_raw_html_are_found_where_they_are() {
    let o = probe("tests/fixtures/sources/hidden.mjml");
    assert_eq!(
        spots(&o),
        vec![
            at("spent", 4, 15),  // <mj-title>
            at("size", 5, 25),   // <mj-preview>, the preheader
            at("spent", 10, 76), // <mj-text> with attributes and an inline <strong> field
            at("size", 11, 90),  // <mj-image alt>, not its src
            at("size", 12, 76),  // <mj-button> text, not its href
            at("spent", 13, 41), // a hidden div inside <mj-raw>
            at("spent", 16, 9),  // <mj-text> copy over lines inside {% if %}
        ]
    );
}
