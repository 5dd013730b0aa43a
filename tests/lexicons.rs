//! Lexicons and frames as a pack author meets them: user packs that cross frames with lexicons,
//! the cross-product tests of `rules test`, the frame and term named in findings, and the load
//! errors (with file and line) for vocabulary that would otherwise compile to nothing.

mod common;

use common::Tree;
use std::fs;

/// The pack that declares the vocabulary: one lexicon, two frames (one strong).
const VOCAB: &str = r#"[pack]
name = "vocab"
description = "shared terms and shapes"

[lexicons.ailment]
description = "ailments"
terms = [
  "gout",
  { noun = "insomnia", adj = ["sleepless", "insomniac"] },
  { adj = "run down", weak = true },
]

[frames.your-thing]
description = "your X"
class = "noun"
patterns = ['{you}r\s+{slot}\b']
sample = "Is your {slot} acting up again?"
near_misses = ["Our {slot} guide is out."]

[frames.are-you]
description = "are you X?"
class = "adj"
strong = true
patterns = ['\bare\s+{you}\s+{slot}\s*\?']
sample = "Are you {slot}? Try our tea."

[frames.plain-you-are]
description = "you are X"
class = "adj"
patterns = ['''{you}(?:'re|\s+are)\s+{slot}\b''']
sample = "You're {slot}, so here's a tea."
"#;

/// A second pack whose rule uses the first pack's lexicon and frames.
const USER: &str = r#"[pack]
name = "mine"
description = "uses another pack's vocabulary"

[[rules]]
id = "mine.ailment"
severity = "error"
message = "names the reader's ailment"
why = "w"
suggest = "s"
frames = ["your-thing", "are-you", "plain-you-are"]
lexicons = ["ailment"]
patterns = ['we\s+know\s+about\s+{lex:ailment:noun}']
examples.bad = ["Is your gout back?"]
examples.good = ["Gout explained."]
"#;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const PACK_ARGS: [&str; 6] = [
    "--no-config",
    "--no-builtin",
    "--pack",
    "vocab.toml",
    "--pack",
    "mine.toml",
];

#[test]
fn a_rule_crosses_another_packs_frames_with_its_lexicon_and_findings_name_frame_and_term() {
    let copy = "Is your insomnia back?\nAre you run down?\nYou're run down, so rest.\nWe know about gout.\n";
    let t = Tree::new(&[("vocab.toml", VOCAB), ("mine.toml", USER), ("a.txt", copy)]);
    let mut args = vec!["check", "--format", "json"];
    args.extend(PACK_ARGS);
    args.push("a.txt");
    let out = t.run(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings = doc["findings"].as_array().unwrap();
    let by_line = |line: u64| findings.iter().find(|f| f["line"] == line);
    let frame = by_line(1).expect("line 1 flagged")["frame"].clone();
    assert_eq!(frame["name"], "your-thing");
    assert_eq!(frame["lexicon"], "ailment");
    assert_eq!(frame["term"], "insomnia");
    // A weak term fills the strong frame ...
    let weak = by_line(2).expect("line 2 flagged by the strong frame");
    assert_eq!(weak["frame"]["name"], "are-you");
    assert_eq!(weak["frame"]["term"], "run down");
    // ... and not the plain one.
    assert!(
        by_line(3).is_none(),
        "a weak term fired in a frame that is not strong"
    );
    // `{lex:NAME:CLASS}` in a plain pattern; no frame behind it.
    let plain = by_line(4).expect("line 4 flagged by the plain pattern");
    assert!(plain["frame"].is_null());
    assert_eq!(
        findings
            .iter()
            .filter(|f| f["rule"] == "mine.ailment")
            .count(),
        3
    );

    let mut human = vec!["check"];
    human.extend(PACK_ARGS);
    human.push("a.txt");
    let out = t.run(&human);
    assert!(
        text(&out.stdout).contains("note: frame `your-thing` with `insomnia` (lexicon `ailment`)")
    );
}

#[test]
fn rules_test_runs_every_frame_with_a_term_of_every_lexicon() {
    let t = Tree::new(&[("vocab.toml", VOCAB), ("mine.toml", USER)]);
    let mut args = vec!["rules"];
    args.extend(PACK_ARGS);
    args.push("test");
    let out = t.run(&args);
    assert!(out.status.success(), "{}", text(&out.stdout));
    // 3 frames: a sample each, one near miss, one weak-term check on the frame that is not
    // strong; then the rule's own two examples.
    assert!(
        text(&out.stdout).contains("7 passed, 0 failed"),
        "{}",
        text(&out.stdout)
    );

    // A frame whose pattern misses its own sample, and a near miss it flags.
    let broken = VOCAB
        .replace(
            r"patterns = ['\bare\s+{you}\s+{slot}\s*\?']",
            r"patterns = ['\bare\s+{you}\s+really\s+{slot}\s*\?']",
        )
        .replace(
            r#"near_misses = ["Our {slot} guide is out."]"#,
            r#"near_misses = ["Sorry, your {slot} guide is late."]"#,
        );
    t.write_file("vocab.toml", &broken);
    let out = t.run(&args);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL mine.ailment frame["), "{stdout}");
    assert!(stdout.contains("frame `are-you` with `sleepless` (lexicon `ailment`): the frame's sample is not flagged"), "{stdout}");
    assert!(stdout.contains("FAIL mine.ailment near-miss["), "{stdout}");
    assert!(
        stdout.contains("near miss flagged at `your gout`"),
        "{stdout}"
    );
}

impl Tree {
    fn write_file(&self, name: &str, body: &str) {
        fs::write(self.path().join(name), body).unwrap();
    }
}

fn load_errors(files: &[(&str, &str)]) -> String {
    let t = Tree::new(files);
    let mut args = vec!["rules", "--no-config", "--no-builtin"];
    for (name, _) in files {
        args.extend(["--pack", name]);
    }
    args.push("test");
    let out = t.run(&args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    text(&out.stderr)
}

#[test]
fn vocabulary_that_would_compile_to_nothing_is_a_load_error_with_file_and_line() {
    let vocab = format!(
        "{VOCAB}\n[lexicons.unused]\nterms = [\"gout\"]\n\n[frames.unused-frame]\nclass = \"noun\"\npatterns = ['{{slot}} again']\nsample = \"{{slot}} again\"\n"
    );
    let err = load_errors(&[("vocab.toml", &vocab), ("mine.toml", USER)]);
    assert!(
        err.contains("vocab.toml:33:1: invalid rule pack: lexicon `unused` is used by no rule"),
        "{err}"
    );
    assert!(
        err.contains("vocab.toml:36:1: invalid rule pack: frame `unused-frame` is used by no rule"),
        "{err}"
    );

    // A frame of a class the rule's lexicons lack.
    let persons = USER.replace(
        r#"frames = ["your-thing", "are-you", "plain-you-are"]"#,
        r#"frames = ["your-thing", "are-you", "plain-you-are", "as-a"]"#,
    );
    let as_a = format!("{VOCAB}\n[frames.as-a]\nclass = \"person\"\npatterns = ['as\\s+a\\s+{{slot}}']\nsample = \"As a {{slot}}, you\"\n");
    let err = load_errors(&[("vocab.toml", &as_a), ("mine.toml", &persons)]);
    assert!(err.contains("mine.toml:11:"), "{err}");
    assert!(err.contains("frame `as-a` takes person terms, and none of the rule's lexicons (ailment) has one that fills it"), "{err}");

    // A slot inside a bounded repetition; a term written as a regex; an unknown lexicon.
    let bad = VOCAB
        .replace(
            r"patterns = ['{you}r\s+{slot}\b']",
            r"patterns = ['{you}r\s+(?:{slot}\s+){1,3}']",
        )
        .replace(r#""gout","#, r#""gout", "crohn.s?","#);
    let err = load_errors(&[("vocab.toml", &bad), ("mine.toml", USER)]);
    assert!(err.contains("vocab.toml:5:1: invalid rule pack: lexicon `ailment`: term `crohn.s?` holds a regex character"), "{err}");
    assert!(
        err.contains("vocab.toml:16:13: invalid rule pack: frame `your-thing`"),
        "{err}"
    );
    assert!(err.contains("sits inside a bounded repetition"), "{err}");
    let unknown = USER.replace("{lex:ailment:noun}", "{lex:ailments}");
    let err = load_errors(&[("vocab.toml", VOCAB), ("mine.toml", &unknown)]);
    assert!(err.contains("mine.toml:13:13:"), "{err}");
    assert!(err.contains("unknown lexicon `{lex:ailments}`"), "{err}");
}

#[test]
fn a_user_pattern_past_the_size_limit_is_a_load_error_not_a_silent_miss() {
    // Light enough to escape the load-time weight check, too big to compile: before, it loaded and
    // then never matched in `check`.
    let big = USER.replace(
        r"patterns = ['we\s+know\s+about\s+{lex:ailment:noun}']",
        r"patterns = ['.{1,2400}spent']",
    );
    let t = Tree::new(&[
        ("vocab.toml", VOCAB),
        ("mine.toml", &big),
        ("a.txt", "abc spent"),
    ]);
    let mut args = vec!["check"];
    args.extend(PACK_ARGS);
    args.push("a.txt");
    let out = t.run(&args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("mine.toml:5:1: invalid rule pack: rule `mine.ailment`: pattern `.{1,2400}spent` compiles to an automaton larger than 2048 KiB"), "{err}");
}

#[test]
fn template_conditions_on_sensitive_fields_are_findings_in_every_template_language() {
    // (file, text, line of the condition, the branch rule: money is spend.branch's)
    let files: &[(&str, &str, usize, &str)] = &[
        ("a.liquid", "Hi!\n{% if customer.credit_band == \"poor\" %}\nA loan for you.\n{% endif %}\n", 2, "spend.branch"),
        ("b.hbs", "{{#if user.isHivPositive}}\nOur pharmacy delivers.\n{{/if}}\n", 1, "sensitive.branch"),
        ("c.html", "<p>Hi</p>\n%%[ IF @ImmigrationStatus == \"pending\" THEN ]%%\n<p>Need a lawyer?</p>\n%%[ ENDIF ]%%\n", 2, "sensitive.branch"),
        ("d.mustache", "{{#pregnancy_week}}\nPack your bag!\n{{/pregnancy_week}}\n", 1, "sensitive.branch"),
        ("e.jinja", "{% if user.first_name %}Hi {{ user.first_name }}{% elif member.religion == 'sikh' %}Hello{% endif %}\n", 1, "sensitive.branch"),
    ];
    let list: Vec<(&str, &str)> = files.iter().map(|(n, t, _, _)| (*n, *t)).collect();
    let t = Tree::new(&list);
    for (name, _, line, rule) in files {
        let out = t.run(&["check", "--no-config", "--format", "json", name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stdout));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let branch = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == *rule)
            .unwrap_or_else(|| panic!("{name}: no {rule} finding: {}", text(&out.stdout)));
        assert_eq!(branch["line"], *line as u64, "{name}");
        assert!(
            !branch["fields"].as_array().unwrap().is_empty(),
            "{name}: names the field"
        );
    }
    // Conditions on the sender's own or harmless data are not.
    let clean = Tree::new(&[(
        "ok.liquid",
        "{% if customer.first_name %}Hi {{ customer.first_name }}{% endif %}\n{% for item in cart.items %}{{ item.title }}{% endfor %}\n{% if order.shipped %}On its way.{% endif %}\n",
    )]);
    let out = clean.run(&["check", "--no-config", "--format", "json", "ok.liquid"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(!rules.contains(&"sensitive.branch"), "{rules:?}");
}

#[test]
fn the_worked_example_in_the_pack_guide_passes_rules_test() {
    let guide =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/README.md")).unwrap();
    let section = guide
        .split("### A worked example")
        .nth(1)
        .expect("rules/README.md has the worked example");
    let pack = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a toml block");
    let t = Tree::new(&[("pets.toml", pack)]);
    let out = t.run(&["rules", "--no-config", "test", "pets.toml"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains(" 0 failed"));
}
