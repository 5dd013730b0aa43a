//! Template branches as a user meets them: a condition on a sensitive field is a finding in every
//! template language creeplint reads (in a plain-text template and inside HTML), ERB is read for
//! merge fields and conditions, and a phrase rule with `inside` fires only on copy inside such a
//! branch.

mod common;

use common::binary;
use std::fs;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

struct Tree(TempDir);

impl Tree {
    fn new(files: &[(&str, &str)]) -> Tree {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            fs::write(dir.path().join(name), text).unwrap();
        }
        Tree(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        binary()
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("runs")
    }

    /// `(rule, line, column, fields)` of every finding of `check --format json` on `name`.
    fn findings(&self, extra: &[&str], name: &str) -> Vec<(String, u64, u64, Vec<String>)> {
        let mut args = vec!["check", "--no-config", "--format", "json"];
        args.extend(extra);
        args.push(name);
        let out = self.run(&args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                    f["fields"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x["variable"].as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// (syntax, condition tag, closing tag, branch rule, field named in the finding)
const CONDITIONS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "liquid",
        "{% if customer.pregnant %}",
        "{% endif %}",
        "sensitive.branch",
        "customer.pregnant",
    ),
    (
        "liquid-case",
        "{% case customer.religion %}{% when \"sikh\" %}",
        "{% endcase %}",
        "sensitive.branch",
        "customer.religion",
    ),
    (
        "jinja",
        "{%- if member.religion == 'sikh' -%}",
        "{%- endif -%}",
        "sensitive.branch",
        "member.religion",
    ),
    (
        "hubl",
        "{% if contact.diagnosis is defined %}",
        "{% endif %}",
        "sensitive.branch",
        "contact.diagnosis",
    ),
    (
        "handlebars-if",
        "{{#if member.hasAnxiety}}",
        "{{/if}}",
        "sensitive.branch",
        "member.hasAnxiety",
    ),
    (
        "handlebars-unless",
        "{{#unless member.hasAnxiety}}",
        "{{/unless}}",
        "sensitive.branch",
        "member.hasAnxiety",
    ),
    (
        "mustache-section",
        "{{#member.hasAnxiety}}",
        "{{/member.hasAnxiety}}",
        "sensitive.branch",
        "member.hasAnxiety",
    ),
    (
        "mustache-inverted",
        "{{^member.hasAnxiety}}",
        "{{/member.hasAnxiety}}",
        "sensitive.branch",
        "member.hasAnxiety",
    ),
    (
        "braze-attribute",
        "{% if {{custom_attribute.${credit_band}}} == \"poor\" %}",
        "{% endif %}",
        "spend.branch",
        "credit_band",
    ),
    (
        "braze-variable",
        "{% if ${credit_band} == \"poor\" %}",
        "{% endif %}",
        "spend.branch",
        "credit_band",
    ),
    (
        "ampscript-variable",
        "%%[ IF @ImmigrationStatus == \"asylum\" THEN ]%%",
        "%%[ ENDIF ]%%",
        "sensitive.branch",
        "@ImmigrationStatus",
    ),
    (
        "ampscript-attribute",
        "%%[ IF AttributeValue(\"CreditBand\") == \"poor\" THEN ]%%",
        "%%[ ENDIF ]%%",
        "spend.branch",
        "CreditBand",
    ),
    (
        "mailchimp",
        "*|IF:DIAGNOSIS|*",
        "*|END:IF|*",
        "sensitive.branch",
        "DIAGNOSIS",
    ),
    (
        "mailchimp-ifnot",
        "*|IFNOT:DIAGNOSIS|*",
        "*|END:IF|*",
        "sensitive.branch",
        "DIAGNOSIS",
    ),
    (
        "erb-if",
        "<% if user.pregnant? %>",
        "<% end %>",
        "sensitive.branch",
        "user.pregnant",
    ),
    (
        "erb-unless",
        "<%- unless @user.religion.blank? -%>",
        "<% end %>",
        "sensitive.branch",
        "@user.religion",
    ),
    (
        "go",
        "{{ if .Customer.Pregnant }}",
        "{{ end }}",
        "sensitive.branch",
        "Customer.Pregnant",
    ),
];

#[test]
fn a_condition_on_a_sensitive_field_is_a_finding_in_every_template_syntax() {
    // Every syntax is tried before the test fails, so a failure lists all that are missed.
    let mut wrong = Vec::new();
    for (syntax, open, close, rule, field) in CONDITIONS {
        // As a plain-text template and inside HTML, the condition on its own line 2.
        let plain = format!("Hi there,\n{open}\nA note for you.\n{close}\nThanks\n");
        let html =
            format!("<p>Hi there,</p>\n{open}\n<p>A note for you.</p>\n{close}\n<p>Thanks</p>\n");
        let t = Tree::new(&[("m.txt", &plain), ("m.html", &html)]);
        for name in ["m.txt", "m.html"] {
            let found = t.findings(&[], name);
            let hits: Vec<_> = found.iter().filter(|(r, ..)| r == rule).collect();
            // One finding per condition, at the condition, naming the field: the closing tag
            // is not another.
            let right =
                matches!(hits.as_slice(), [(_, 2, 1, fields)] if fields == &[field.to_string()]);
            if !right {
                wrong.push(format!("{syntax} in {name}: {found:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "missed or wrong:\n{}", wrong.join("\n"));
}

#[test]
fn conditions_on_ordinary_fields_and_loops_are_not_findings_in_any_syntax() {
    let files: &[(&str, &str)] = &[
        ("a.txt", "{% if customer.first_name %}Hi {{ customer.first_name }}{% endif %}\n"),
        ("b.txt", "{{#if firstName}}Hi {{firstName}}{{/if}}\n{{#each items}}{{title}}{{/each}}\n"),
        ("c.txt", "*|IF:FNAME|*Hi *|FNAME|*,*|ELSE:|*Hi,*|END:IF|*\n"),
        ("d.txt", "<% if user.first_name.present? %>Hi <%= user.first_name %><% end %>\n<% @items.each do |item| %><%= item.title %><% end %>\n"),
        ("e.txt", "%%[ IF NOT EMPTY(@FirstName) THEN ]%%Hi %%=v(@FirstName)=%%%%[ ENDIF ]%%\n"),
    ];
    let t = Tree::new(files);
    for (name, _) in files {
        let found = t.findings(&[], name);
        assert!(
            found.iter().all(|(r, ..)| !r.ends_with(".branch")),
            "{name}: {found:?}"
        );
    }
}

#[test]
fn erb_output_tags_are_merge_fields_classified_by_name() {
    let t = Tree::new(&[
        (
            "a.html.erb",
            "<p>Hi <%= user.first_name %>,</p>\n<p>Picked for <%= user.religion_pref %>.</p>\n<%# a note: user.diagnosis %>\n",
        ),
        ("b.txt", "Your size: <%= @customer.dress_size %>\n"),
    ]);
    let found = t.findings(&[], "a.html.erb");
    let hit = found
        .iter()
        .find(|(_, line, ..)| *line == 2)
        .unwrap_or_else(|| panic!("no finding on the religion field: {found:?}"));
    assert_eq!(hit.3, vec!["user.religion_pref".to_string()], "{found:?}");
    // The comment tag is not copy, and the first name is no finding (two fields of the reader's
    // data and no unsubscribe link: the document rule judges the whole file).
    assert!(
        found
            .iter()
            .all(|(r, line, ..)| *line == 2 || r == "consent.no-opt-out"),
        "{found:?}"
    );
    let found = t.findings(&[], "b.txt");
    assert!(
        found.iter().any(|(r, _, col, f)| r.starts_with("body.")
            && *col == 12
            && f == &["@customer.dress_size".to_string()]),
        "{found:?}"
    );
    // A directory walk checks `.erb` files.
    let out = t.run(&["check", "--no-config", "--format", "concise", "."]);
    assert!(
        text(&out.stdout).contains("a.html.erb:2:"),
        "{}",
        text(&out.stdout)
    );
}
