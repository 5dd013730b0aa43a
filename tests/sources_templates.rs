//! Merge tags of every template language: output tags become typed placeholders that rules match by
//! kind, logic and comment tags are not copy, and findings point at the original line and column.

mod common;
use common::{at, probe, root, spots};

fn fields(path: &str) -> Vec<Vec<String>> {
    probe(path).hits.into_iter().map(|h| h.fields).collect()
}

#[test]
fn liquid_comments_logic_filters_and_fields() {
    let o = probe("tests/fixtures/sources/vip.liquid");
    assert_eq!(
        spots(&o),
        vec![
            // Inside `{% if customer.total_spent > 500 %}`: the `>` ends nothing.
            at("spent", 5, 36),
            // `| money` makes any field money.
            at("spent", 7, 1),
            at("owe", 7, 42),
        ]
    );
    assert_eq!(o.hits[0].end_column, 83);
    assert_eq!(
        fields("tests/fixtures/sources/vip.liquid"),
        vec![
            vec!["customer.total_spent".to_string()],
            vec!["order.amount".to_string()],
            vec!["account.balance_spent".to_string()],
        ]
    );
}

#[test]
fn jinja_comment_trim_markers_and_attribute_field() {
    let o = probe("tests/fixtures/sources/digest.jinja");
    assert_eq!(spots(&o), vec![at("spent", 6, 4), at("size", 8, 25)]);
    assert_eq!(o.hits[1].fields, vec!["user.dress_size"]);
}

#[test]
fn handlebars_comments_blocks_and_triple_stash() {
    let o = probe("tests/fixtures/sources/browse.hbs");
    assert_eq!(spots(&o), vec![at("spent", 5, 6), at("spent", 7, 6)]);
    assert_eq!(o.hits[1].matched, "You spent {{{lifetime_spend}}}");
}

#[test]
fn mustache_sections() {
    let o = probe("tests/fixtures/sources/card.mustache");
    assert_eq!(spots(&o), vec![at("spent", 2, 9)]);
}

#[test]
fn mailchimp_merge_tags() {
    let o = probe("tests/fixtures/sources/mailchimp.txt");
    assert_eq!(spots(&o), vec![at("spent", 2, 15)]);
    assert_eq!(o.hits[0].fields, vec!["TOTAL_SPENT"]);
}

#[test]
fn ampscript_blocks_functions_and_personalisation_strings() {
    let o = probe("tests/fixtures/sources/sfmc.html");
    // The `%%[ ... ]%%` block before the doctype (with `>` and a `/* */` comment) is not copy.
    assert_eq!(spots(&o), vec![at("spent", 7, 22), at("owe", 8, 4)]);
    // `SET @TotalSpent = Lookup("DE", "Spent", ...)`: the variable prints the column it read.
    assert_eq!(o.hits[0].fields, vec!["Spent"]);
    // `FormatCurrency(...)` makes the field money whatever its name.
    assert_eq!(o.hits[1].fields, vec!["LoanBalance"]);
    assert_eq!(o.hits[1].end_column, 61);
}

#[test]
fn hubl_and_braze() {
    assert_eq!(
        spots(&probe("tests/fixtures/sources/hubl.html")),
        vec![at("spent", 2, 34)]
    );
    let o = probe("tests/fixtures/sources/braze.liquid");
    assert_eq!(spots(&o), vec![at("spent", 1, 42)]);
    assert_eq!(
        o.hits[0].matched,
        "you spent {{custom_attribute.${total_spent}}}"
    );
}

#[test]
fn human_output_shows_the_template_line_and_names_the_field() {
    let out = common::creeplint(root())
        .args([
            "check",
            "--no-config",
            "--color",
            "never",
            "--format",
            "human",
            "tests/corpus/templates/vip_thank_you.liquid",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(" --> tests/corpus/templates/vip_thank_you.liquid:6:22"),
        "{text}"
    );
    assert!(
        text.contains(
            "6 | Subject: {{ name }}, you've spent {{ customer.total_spent | money }} with us this year"
        ),
        "{text}"
    );
    assert!(
        text.contains("the merge field `customer.total_spent` looks like money"),
        "{text}"
    );
}

#[test]
fn corpus_spend_spots_are_found_on_their_lines_and_nothing_else() {
    let o = common::check(&["--select", "spend", "tests/corpus/templates"]);
    let found: Vec<(String, usize)> = o
        .hits
        .iter()
        .map(|h| {
            let file = h.path.rsplit('/').next().unwrap().to_string();
            (file, h.line)
        })
        .collect();
    // The spots of EXPECTED.tsv that the spend pack covers (money, debt, credit score).
    for (file, line) in [
        ("winback_email.html", 19),  // You spent &#36;342 (hidden preheader)
        ("vip_thank_you.liquid", 6), // you've spent {{ customer.total_spent | money }}
        ("sms_week14.txt", 12),      // You’ve spent $412
        ("refi_subject_variants.yaml", 11), // you owe $210,000
        ("refi_subject_variants.yaml", 14), // a 612 credit score
        ("sfmc_refinance.html", 21), // Only %%=FormatCurrency(@LoanBalance)=%% to go
        ("sfmc_refinance.html", 35), // credit score of %%=v(@CreditScore)=%%
    ] {
        assert!(
            found.contains(&(file.to_string(), line)),
            "{file}:{line} not found in {found:?}"
        );
    }
    // And every finding is on a line EXPECTED.tsv lists.
    let expected =
        std::fs::read_to_string(root().join("tests/corpus/templates/EXPECTED.tsv")).unwrap();
    let listed: Vec<(String, usize)> = expected
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_string(), cols.next()?.parse().ok()?))
        })
        .collect();
    for spot in &found {
        assert!(listed.contains(spot), "false positive at {spot:?}");
    }
}

#[test]
fn copy_passed_to_layouts_and_assigned_to_copy_names_is_checked() {
    let o = probe("tests/fixtures/sources/layout.hbs");
    // A partial's `title="..."` and `{% assign subject = "..." %}` are copy; a condition is not.
    assert_eq!(spots(&o), vec![at("spent", 1, 27), at("spent", 2, 22)]);
}
