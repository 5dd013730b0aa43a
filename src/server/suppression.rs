//! The quick fix that suppresses a finding: a `creeplint-disable-next-line RULE` directive on a
//! line of its own above the finding, inside a comment of the file's language (the syntaxes
//! [`crate::suppress`] reads; docs/ci.md lists them).
//!
//! A template file gets its template language's comment, which is stripped when the template is
//! rendered, before the markup's (an HTML comment would be sent to every recipient). Each
//! candidate edit is checked by linting the edited text: only one that really removes the finding
//! is offered, so a spot where a comment does not work (CSV, an HTML attribute, Markdown front
//! matter) gets the next style that does, or no action at all.

use crate::finding::Finding;
use crate::source::Format;
use std::path::Path;

/// One comment syntax: what goes before and after the directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// The comment's opener, such as `<!--`.
    pub open: &'static str,
    /// Its closer, empty for a comment that runs to the end of the line.
    pub close: &'static str,
}

const LIQUID: Style = Style {
    open: "{% comment %}",
    close: "{% endcomment %}",
};
const JINJA: Style = Style {
    open: "{#",
    close: "#}",
};
const HANDLEBARS: Style = Style {
    open: "{{!",
    close: "}}",
};
const AMPSCRIPT: Style = Style {
    open: "%%[ /*",
    close: "*/ ]%%",
};
const ERB: Style = Style {
    open: "<%#",
    close: "%>",
};
const HTML: Style = Style {
    open: "<!--",
    close: "-->",
};
const HASH: Style = Style {
    open: "#",
    close: "",
};
const SLASHES: Style = Style {
    open: "//",
    close: "",
};

/// The comment styles to try for a file, best first: its template language's, then its format's.
pub fn styles(path: &Path, format: Format) -> Vec<Style> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut styles = match ext.as_str() {
        "liquid" => vec![LIQUID],
        "jinja" | "jinja2" | "j2" | "njk" | "nunjucks" | "twig" | "hubl" => vec![JINJA],
        "hbs" | "handlebars" | "mustache" => vec![HANDLEBARS],
        "amp" | "ampscript" => vec![AMPSCRIPT],
        "erb" | "ejs" => vec![ERB],
        _ => Vec::new(),
    };
    styles.extend(match format {
        Format::Html | Format::Markdown => &[HTML][..],
        Format::Yaml | Format::Text => &[HASH][..],
        Format::Json => &[SLASHES][..],
        Format::Csv => &[][..],
    });
    styles
}

/// An insertion into the text: `text` at byte `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// Byte offset.
    pub at: usize,
    /// What to insert (a whole line, with its line ending).
    pub text: String,
    /// The rules its directive names.
    pub rules: Vec<String>,
}

impl Insertion {
    /// `text` with the insertion made.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.text.len());
        out.push_str(&text[..self.at]);
        out.push_str(&self.text);
        out.push_str(&text[self.at..]);
        out
    }
}

/// The directive line naming `rules` in `style`, inserted at the start of `finding`'s line with
/// its indentation and line ending.
pub fn insertion(text: &str, finding: &Finding, rules: &[String], style: Style) -> Insertion {
    let start = finding.range.start.min(text.len());
    // The library's lines end at `\n` only; its "next line" is the line after that `\n`.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent_len = text[line_start..]
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(0);
    let indent = &text[line_start..line_start + indent_len.min(start - line_start)];
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let eol = if text[..line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let directive = format!("creeplint-disable-next-line {}", rules.join(" "));
    let comment = if style.close.is_empty() {
        format!("{} {directive}", style.open)
    } else {
        format!("{} {directive} {}", style.open, style.close)
    };
    Insertion {
        at: line_start,
        text: format!("{indent}{comment}{eol}"),
        rules: rules.to_vec(),
    }
}

/// The first insertion, trying `styles` in order, after which `check` (the linter on the edited
/// text) no longer reports `finding`; `None` when no comment style works there.
///
/// Of two rules of one pack that flag the same phrase, only one is reported (see
/// `collapse_same_pack_overlaps` in the linter); suppressing it reveals the other. The directive
/// then names that rule too, so that the phrase the user accepted is left unflagged. An insertion
/// whose own comment line is flagged is refused.
pub fn verified_insertion(
    text: &str,
    finding: &Finding,
    styles: &[Style],
    check: impl Fn(String) -> Vec<Finding>,
) -> Option<Insertion> {
    styles.iter().find_map(|&style| {
        let mut rules = vec![finding.rule.id.clone()];
        // Each round names at least one more rule of the pack; a few rounds cover any pack.
        for _ in 0..4 {
            let insertion = insertion(text, finding, &rules, style);
            let shift = insertion.text.len();
            let inserted = insertion.at..insertion.at + shift;
            let moved = finding.range.start + shift..finding.range.end + shift;
            let overlaps = |f: &Finding, r: &std::ops::Range<usize>| {
                f.range.start < r.end.max(r.start + 1)
                    && r.start < f.range.end.max(f.range.start + 1)
            };
            let after = check(insertion.apply(text));
            if after.iter().any(|f| overlaps(f, &inserted)) {
                return None;
            }
            let here: Vec<&Finding> = after.iter().filter(|f| overlaps(f, &moved)).collect();
            if here.iter().any(|f| rules.contains(&f.rule.id)) {
                return None; // the comment is no directive here
            }
            let revealed: Vec<String> = here
                .iter()
                .filter(|f| f.rule.pack == finding.rule.pack)
                .map(|f| f.rule.id.clone())
                .collect();
            if revealed.is_empty() {
                return Some(insertion);
            }
            for id in revealed {
                if !rules.contains(&id) {
                    rules.push(id);
                }
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides, Settings};
    use crate::lint::Linter;
    use crate::source::Document;

    fn linter() -> Linter {
        let packs = crate::pack::load(crate::pack::PackSource::builtin()).expect("packs load");
        let settings =
            Settings::resolve(&Config::default(), &Overrides::default()).expect("defaults");
        Linter::new(&packs, settings)
    }

    fn check(linter: &Linter, text: String, format: Format) -> Vec<Finding> {
        let doc = Document::parse(text, format, linter.classifier());
        linter.findings_in("a", &doc)
    }

    fn spend(findings: &[Finding]) -> &Finding {
        findings
            .iter()
            .find(|f| f.rule.id == "spend.quoted-total")
            .expect("a spend finding")
    }

    #[test]
    fn the_directive_takes_the_line_s_indentation_and_line_ending() {
        let linter = linter();
        let text = "<p>Hello</p>\r\n\t  <p>🎉 You spent $342 with us.</p>\r\n";
        let found = check(&linter, text.to_string(), Format::Html);
        let rules = ["spend.quoted-total".to_string()];
        let insertion = insertion(text, spend(&found), &rules, HTML);
        assert_eq!(insertion.at, "<p>Hello</p>\r\n".len());
        assert_eq!(
            insertion.text,
            "\t  <!-- creeplint-disable-next-line spend.quoted-total -->\r\n"
        );
        let edited = insertion.apply(text);
        assert!(check(&linter, edited, Format::Html)
            .iter()
            .all(|f| f.rule.id != "spend.quoted-total"));
    }

    #[test]
    fn only_a_style_that_suppresses_the_finding_is_offered() {
        let linter = linter();
        let text = "id,subject\n1,You spent $342 with us.\n";
        let found = check(&linter, text.to_string(), Format::Csv);
        let f = spend(&found);
        // CSV has no comment syntax: none is tried (a template comment would work, as a row of
        // its own that the data would then carry), and none of the line comments works.
        assert_eq!(styles(Path::new("a.csv"), Format::Csv), []);
        let any = [HTML, HASH, SLASHES];
        let offered = verified_insertion(text, f, &any, |t| check(&linter, t, Format::Csv));
        assert_eq!(offered, None);
        // In a Liquid file read as HTML, an HTML-only try is skipped for the Liquid comment.
        let text = "<p>You spent {{ customer.total_spent }} with us.</p>\n";
        let found = check(&linter, text.to_string(), Format::Html);
        let styles = styles(Path::new("a.liquid"), Format::Html);
        assert_eq!(styles, [LIQUID, HTML]);
        let offered = verified_insertion(text, spend(&found), &[HASH, LIQUID], |t| {
            check(&linter, t, Format::Html)
        })
        .expect("the Liquid comment works");
        assert!(offered
            .text
            .starts_with("{% comment %} creeplint-disable-next-line"));
        // An ERB view gets an ERB comment, which is not sent.
        let text = "<p>You spent <%= @user.total_spent %> with us.</p>\n";
        let found = check(&linter, text.to_string(), Format::Html);
        let erb = super::styles(Path::new("a.html.erb"), Format::Html);
        assert_eq!(erb, [ERB, HTML]);
        let offered = verified_insertion(text, spend(&found), &erb, |t| {
            check(&linter, t, Format::Html)
        })
        .expect("the ERB comment works");
        assert!(offered.text.starts_with("<%# creeplint-disable-next-line"));
    }
}
