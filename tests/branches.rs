//! Template branches as a user meets them: a condition on a sensitive field is a finding in every
//! template language creeplint reads (in a plain-text template and inside HTML), ERB is read for
//! merge fields and conditions, and a phrase rule with `inside` fires only on copy inside such a
//! branch.

mod common;

use common::Tree;
use std::fs;

impl Tree {
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
        "shopify-tags",
        "{% if customer.tags contains \"pregnant\" %}",
        "{% endif %}",
        "sensitive.branch",
        "customer.tags.pregnant",
    ),
    (
        "jinja-in-tags",
        "{% if 'diabetic' in user.tags %}",
        "{% endif %}",
        "sensitive.branch",
        "user.tags.diabetic",
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
    // The value a field is compared with is classified too, when it tells more than the field.
    (
        "liquid-geofence-value",
        "{% if device.geofence == 'womens_health_clinic' %}",
        "{% endif %}",
        "sensitive.branch",
        "device.geofence.womens_health_clinic",
    ),
    (
        "jinja-diet-value",
        "{% if customer.diet_type == \"halal\" %}",
        "{% endif %}",
        "sensitive.branch",
        "customer.diet_type.halal",
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
        ("a.txt", "{% if customer.first_name %}Hi {{ customer.first_name }}{% endif %}\n{% if customer.tags contains \"vip\" %}VIP{% endif %}\n{% if product.tags contains \"maternity\" %}Bump-friendly fit{% endif %}\n{% if customer.tier == \"gold\" %}Gold{% endif %}\n{% if product.type == \"halal\" %}Certified halal{% endif %}\n{% if customer.preferences.halal_recipes %}Recipes{% endif %}\n"),
        ("b.txt", "{{#if firstName}}Hi {{firstName}}{{/if}}\n{{#each items}}{{title}}{{/each}}\n"),
        ("c.txt", "*|IF:FNAME|*Hi *|FNAME|*,*|ELSE:|*Hi,*|END:IF|*\n*|INTERESTED:Newsletters:Weekly deals|*Deals*|END:INTERESTED|*\n"),
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
fn aliases_helpers_and_subscripts_lead_back_to_the_field_they_read() {
    let t = Tree::new(&[
        (
            "a.html",
            "%%[ SET @score = [CreditScore] SET @d = Lookup(\"Members\", \"Diagnosis\", \"Id\", @id) ]%%\n<p>Your number: %%=v(@score)=%%</p>\n%%[ IF @d == \"x\" THEN ]%%<p>Hi</p>%%[ ENDIF ]%%\n",
        ),
        (
            "b.liquid",
            "{% assign faith = customer.metafields.profile.religion %}\n{% if faith %}Hi{% endif %}\n",
        ),
        (
            "c.hbs",
            "<p>Hi</p>\n{{#ifCond user.condition \"==\" \"diabetes\"}}Sugar-free{{/ifCond}}\n",
        ),
        (
            "d.j2",
            "<p>Hi</p>\n<p>{{ user[\"income_band\"] }} and {{ user.get('shoe_size') }}</p>\n",
        ),
    ]);
    let at = |name: &str| -> Vec<(String, u64, Vec<String>)> {
        t.findings(&[], name)
            .into_iter()
            .filter(|(r, ..)| r != "consent.no-opt-out")
            .map(|(r, line, _, fields)| (r, line, fields))
            .collect()
    };
    let a = at("a.html");
    assert!(
        a.iter()
            .any(|(r, l, f)| r.starts_with("spend.") && *l == 2 && f == &["CreditScore"]),
        "{a:?}"
    );
    assert!(
        a.iter()
            .any(|(r, l, f)| r == "sensitive.branch" && *l == 3 && f == &["Diagnosis"]),
        "{a:?}"
    );
    let b = at("b.liquid");
    assert!(
        b.iter().any(|(r, l, f)| r == "sensitive.branch"
            && *l == 2
            && f == &["customer.metafields.profile.religion"]),
        "{b:?}"
    );
    let c = at("c.hbs");
    assert!(
        c.iter().any(|(r, l, _)| r == "sensitive.branch" && *l == 2),
        "{c:?}"
    );
    let d = at("d.j2");
    for field in ["user.income_band", "user.shoe_size"] {
        assert!(
            d.iter().any(|(_, l, f)| *l == 2 && f == &[field]),
            "{field}: {d:?}"
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

/// A pack whose rule judges only copy chosen by a pregnancy (life-event) field.
const INSIDE_PACK: &str = r#"[pack]
name = "preg"
description = "Copy that is creepy only when a pregnancy field chose it"

[[rules]]
id = "preg.congrats"
severity = "warning"
message = "Congratulates the reader on something only their data told the sender"
why = "Inside a branch on a pregnancy field, a warm congratulation says the sender knows."
suggest = "Send baby-range news to everyone who asked for it."
inside = ["life-event"]
patterns = ['\bcongratulations\b']
examples.bad = ["{% if customer.pregnant %}Congratulations! Here is 10% off.{% endif %}"]
examples.good = ["Congratulations! You won the raffle.", "{% if customer.pregnant %}Hi{% else %}Congratulations on joining!{% endif %}"]

[[rules]]
id = "preg.inline"
severity = "warning"
message = "m"
why = "w"
suggest = "s"
inside = ["life-event"]
patterns = ['\bcongrats\s+on\s+your\s+\w+']
examples.bad = ["Congrats on {% if customer.pregnant %}your bump{% else %}your order{% endif %}!"]
examples.good = ["Congrats on your order!"]
"#;

const INSIDE_ARGS: [&str; 4] = ["--select", "preg", "--pack", "preg.toml"];

#[test]
fn an_inside_rule_fires_only_on_copy_a_branch_on_its_field_kinds_chooses() {
    // (file, text, the lines where the rule must fire)
    let files: &[(&str, &str, &[u64])] = &[
        (
            "liquid.txt",
            "Congratulations to our raffle winners.\n{% if customer.pregnant %}\nCongratulations, from all of us!\n{% elsif customer.expected_due_date %}\nCongratulations again.\n{% else %}\nCongratulations on joining!\n{% endif %}\nCongratulations, Sam.\n",
            &[3, 5],
        ),
        (
            "nested.html",
            "<p>Hi</p>\n{% if customer.pregnant %}\n{% if customer.first_name %}<p>Congratulations, {{ customer.first_name }}!</p>{% endif %}\n{% for item in cart.items %}<p>{{ item.title }}</p>{% else %}<p>Empty</p>{% endfor %}\n<p>Congratulations again.</p>\n{% endif %}\n<p>Congratulations to the winners.</p>\n",
            &[3, 5],
        ),
        (
            "other-kind.txt",
            "{% if customer.first_name %}Congratulations, {{ customer.first_name }}!{% endif %}\n{% if member.hasAnxiety %}Congratulations on a year with us.{% endif %}\n",
            &[],
        ),
        (
            "handlebars.hbs",
            "{{#if member.isPregnant}}\nCongratulations!\n{{else}}\nCongratulations on your order.\n{{/if}}\n{{#pregnancy_week}}Congratulations, week {{pregnancy_week}}!{{/pregnancy_week}}\n",
            &[2, 6],
        ),
        (
            "amp.html",
            "%%[ IF @PregnancyStage == \"third\" THEN ]%%\n<p>Congratulations!</p>\n%%[ ELSE ]%%\n<p>Congratulations on joining.</p>\n%%[ ENDIF ]%%\n",
            &[2],
        ),
        (
            "mailchimp.txt",
            "*|IF:PREGNANCY_STAGE|*\nCongratulations!\n*|END:IF|*\nCongratulations on joining.\n",
            &[2],
        ),
        (
            "erb.html.erb",
            "<% if @user.pregnant? %>\n<p>Congratulations!</p>\n<% else %>\n<p>Congratulations on joining.</p>\n<% end %>\n",
            &[2],
        ),
        (
            "case.txt",
            "{% case customer.pregnancy_stage %}\n{% when \"third\" %}\nCongratulations, nearly there!\n{% else %}\nCongratulations on joining.\n{% endcase %}\n",
            &[3],
        ),
        (
            // A phrase that runs into a branch reads that way only when the condition holds.
            "inline.txt",
            "Congrats on {% if customer.pregnant %}your bump{% else %}your order{% endif %}!\nCongrats on your order! {% if customer.pregnant %}Hi{% endif %}\n",
            &[1],
        ),
        (
            // An `{% if %}` never closed chooses the rest of the file.
            "unclosed.txt",
            "Congratulations to the winners.\n{% if customer.pregnant %}\nCongratulations!\n",
            &[3],
        ),
    ];
    let mut list: Vec<(&str, &str)> = files.iter().map(|(n, t, _)| (*n, *t)).collect();
    list.push(("preg.toml", INSIDE_PACK));
    let t = Tree::new(&list);
    let mut wrong = Vec::new();
    for (name, _, lines) in files {
        let found = t.findings(&INSIDE_ARGS, name);
        let got: Vec<u64> = found
            .iter()
            .filter(|(r, ..)| r.starts_with("preg."))
            .map(|(_, line, ..)| *line)
            .collect();
        if got != *lines {
            wrong.push(format!("{name}: want lines {lines:?}, got {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The finding points at the phrase itself, not at the branch.
    let found = t.findings(&INSIDE_ARGS, "nested.html");
    let first = found.iter().find(|(r, ..)| r == "preg.congrats").unwrap();
    assert_eq!((first.1, first.2), (3, 32), "{found:?}");
}

#[test]
fn an_inside_rule_passes_rules_test_and_explain_says_where_it_looks() {
    let t = Tree::new(&[("preg.toml", INSIDE_PACK)]);
    let out = t.run(&["rules", "test", "preg.toml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("5 passed, 0 failed"),
        "{}",
        text(&out.stdout)
    );
    // A bad example outside any branch is not flagged, and `rules test` says so.
    let outside = INSIDE_PACK.replace(
        r#"examples.bad = ["{% if customer.pregnant %}Congratulations! Here is 10% off.{% endif %}"]"#,
        r#"examples.bad = ["Congratulations! Here is 10% off."]"#,
    );
    let t = Tree::new(&[("preg.toml", &outside)]);
    let out = t.run(&["rules", "test", "preg.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("FAIL"), "{}", text(&out.stdout));
    let out = t.run(&["explain", "--pack", "preg.toml", "preg.congrats"]);
    assert!(
        text(&out.stdout)
            .contains("only copy inside a template branch on a field of kind life-event"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_bad_inside_key_is_a_load_error_with_file_and_line() {
    let base = INSIDE_PACK;
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"inside = ["life-event"]"#,
            r#"inside = ["life-events"]"#,
            "preg.toml:11:11: invalid rule pack: rule `preg.congrats`: `inside` names field kind `life-events`, which no loaded pack declares in [[fields]]",
        ),
        (
            r#"inside = ["life-event"]"#,
            "inside = []",
            "preg.toml:11:10: invalid rule pack: rule `preg.congrats`: `inside` is empty",
        ),
        (
            r#"inside = ["life-event"]"#,
            r#"inside = "life-event""#,
            "preg.toml:11:10: invalid rule pack: invalid type: string \"life-event\", expected a sequence",
        ),
        (
            r#"inside = ["life-event"]"#,
            "inside = [\"life-event\"]\nscope = \"document\"",
            "preg.toml:11:10: invalid rule pack: rule `preg.congrats`: `inside` applies to phrase rules only",
        ),
        (
            r#"patterns = ['\bcongratulations\b']"#,
            r#"branches = ["life-event"]"#,
            "preg.toml:11:10: invalid rule pack: rule `preg.congrats`: `inside` limits the rule's `patterns` to copy inside template branches, and the rule has none",
        ),
        (
            r#"patterns = ['\bcongratulations\b']"#,
            "patterns = ['\\bcongratulations\\b']\nframes = [\"your-noun\"]\nlexicons = [\"pregnancy\"]",
            "preg.toml:11:10: invalid rule pack: rule `preg.congrats`: `inside` cannot go with `frames`",
        ),
    ];
    for (from, to, want) in cases {
        let pack = base.replace(from, to);
        assert_ne!(pack, base, "{to}");
        let t = Tree::new(&[("preg.toml", &pack), ("a.txt", "Hi.\n")]);
        let out = t.run(&["check", "--no-config", "--pack", "preg.toml", "a.txt"]);
        assert_eq!(out.status.code(), Some(2), "{to}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains(want),
            "{to}:\n{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn the_inside_example_in_the_pack_guide_passes_rules_test() {
    let guide =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md")).unwrap();
    let section = guide
        .split("### Phrases that are creepy only inside a branch")
        .nth(1)
        .expect("rules/README.md documents `inside`");
    let rule = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a toml block");
    let pack = format!("[pack]\nname = \"mine\"\ndescription = \"d\"\n\n{rule}");
    let t = Tree::new(&[("mine.toml", &pack)]);
    let out = t.run(&["rules", "--no-config", "test", "mine.toml"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains(" 0 failed"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn an_erb_comment_carries_inline_directives() {
    let line = "<p>Picked for <%= user.religion_pref %>.</p>\n";
    let t = Tree::new(&[
        ("plain.html.erb", line),
        (
            "muted.html.erb",
            &format!("<%# creeplint-disable-next-line sensitive %>\n{line}"),
        ),
    ]);
    let sensitive = |name| {
        t.findings(&[], name)
            .into_iter()
            .filter(|(r, ..)| r.starts_with("sensitive."))
            .count()
    };
    assert_eq!(sensitive("plain.html.erb"), 1);
    assert_eq!(sensitive("muted.html.erb"), 0);
}
