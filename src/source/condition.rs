//! Template conditions: which merge fields a branch tests. `{% if customer.credit_band == "poor" %}`,
//! `{{#if member.hasAnxiety}}`, a Mustache section `{{#pregnant}}` and AMPscript
//! `%%[ IF @ImmigrationStatus == "..." THEN ]%%` each choose copy by what the sender knows about
//! the reader; rules with `branches` judge them by the kinds of the fields tested.

use std::ops::Range;

/// A template condition and the fields it tests, with their kinds (only fields of some kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Byte range of the tag in the file.
    pub range: Range<usize>,
    /// The fields tested and their kinds.
    pub fields: Vec<(String, Vec<String>)>,
}

/// Words inside conditions that are operators or literals, never fields.
const NOT_FIELDS: &[&str] = &[
    "and",
    "or",
    "not",
    "contains",
    "in",
    "is",
    "empty",
    "nil",
    "null",
    "none",
    "true",
    "false",
    "blank",
    "present",
    "then",
    "defined",
    "undefined",
    "else",
    "this",
    "eq",
    "ne",
    "gt",
    "lt",
];

/// Mustache/Handlebars block helpers that are not conditions on a field.
const HELPERS: &[&str] = &[
    "each",
    "with",
    "let",
    "each_with_index",
    "lookup",
    "log",
    "raw",
];

/// The variables a condition tag tests; empty when `tag` (a whole logic tag, delimiters
/// included) is not a condition.
pub fn condition_variables(tag: &str) -> Vec<String> {
    let tag = tag.trim();
    if let Some(inner) = strip(tag, "{%", "%}") {
        let inner = inner.trim_matches('-').trim();
        let (word, rest) = split_word(inner);
        return match word {
            "if" | "elsif" | "elif" | "unless" => identifiers(rest),
            "else" if rest.trim_start().starts_with("if ") => identifiers(&rest.trim_start()[3..]),
            _ => Vec::new(),
        };
    }
    if let Some(inner) = strip(tag, "{{", "}}") {
        let inner = inner.trim_matches('~').trim();
        if let Some(block) = inner.strip_prefix('#').or_else(|| inner.strip_prefix('^')) {
            let (word, rest) = split_word(block.trim());
            return match word {
                "if" | "unless" => identifiers(rest),
                w if HELPERS.contains(&w) || w.starts_with('>') || w.is_empty() => Vec::new(),
                // A Mustache section renders when its field is set: a condition on it.
                w => identifiers(w),
            };
        }
        let (word, rest) = split_word(inner);
        if word == "else" && rest.trim_start().starts_with("if ") {
            return identifiers(&rest.trim_start()[3..]);
        }
        return Vec::new();
    }
    if let Some(inner) = strip(tag, "%%[", "]%%") {
        return ampscript_conditions(inner);
    }
    Vec::new()
}

fn strip<'a>(tag: &'a str, open: &str, close: &str) -> Option<&'a str> {
    tag.strip_prefix(open)?.strip_suffix(close)
}

fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let end = text
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// The conditions of every `IF` and `ELSEIF` in an AMPscript block (up to its `THEN`).
fn ampscript_conditions(block: &str) -> Vec<String> {
    let lower = block.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    for (i, _) in lower.match_indices("if") {
        let before_ok =
            i == 0 || !bytes[i - 1].is_ascii_alphanumeric() || lower[..i].ends_with("else");
        let after = bytes.get(i + 2).copied();
        if !before_ok || after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let rest = &block[i + 2..];
        let end = rest.to_ascii_lowercase().find("then").unwrap_or(rest.len());
        out.extend(identifiers(&rest[..end]));
    }
    out
}

/// The field names in a condition expression: identifiers outside string literals that are not
/// operators, numbers or function names; a string passed to AMPscript's `AttributeValue` names a
/// field too.
fn identifiers(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut last_function = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == c)
                .map_or(chars.len(), |p| i + 1 + p);
            if last_function.eq_ignore_ascii_case("attributevalue") {
                out.push(chars[i + 1..end].iter().collect());
            }
            last_function.clear();
            i = end + 1;
            continue;
        }
        if c.is_alphanumeric() || matches!(c, '_' | '@' | '$') {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || matches!(chars[i], '_' | '.' | '@' | '$' | '-' | '[' | ']'))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = word.trim_end_matches(['.', '-']).to_string();
            let next = chars[i..].iter().find(|c| !c.is_whitespace());
            if next == Some(&'(') {
                last_function = word;
                continue;
            }
            let is_number = word.chars().all(|c| c.is_ascii_digit() || c == '.');
            if !is_number && !NOT_FIELDS.contains(&word.to_ascii_lowercase().as_str()) {
                out.push(word);
            }
            continue;
        }
        if c == ')' {
            last_function.clear();
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_of_each_template_language_name_their_fields() {
        let cases: &[(&str, &[&str])] = &[
            (
                r#"{% if customer.credit_band == "poor" %}"#,
                &["customer.credit_band"],
            ),
            (
                r#"{%- elsif contact.annual_income < 30000 -%}"#,
                &["contact.annual_income"],
            ),
            ("{% unless member.religion %}", &["member.religion"]),
            ("{{#if member.hasAnxiety}}", &["member.hasAnxiety"]),
            ("{{#unless user.isDiabetic}}", &["user.isDiabetic"]),
            ("{{#pregnant}}", &["pregnant"]),
            ("{{^divorced}}", &["divorced"]),
            (
                "{{else if profile.recentBereavement}}",
                &["profile.recentBereavement"],
            ),
            (
                r#"%%[ IF @ImmigrationStatus == "pending" THEN ]%%"#,
                &["@ImmigrationStatus"],
            ),
            (
                r#"%%[ IF AttributeValue("DebtStage") == "final" AND NOT Empty(@x) THEN ]%%"#,
                &["DebtStage", "@x"],
            ),
        ];
        for (tag, want) in cases {
            assert_eq!(condition_variables(tag), *want, "{tag}");
        }
        for tag in [
            "{% for x in items %}",
            "{{#each items}}",
            "{% endif %}",
            "{{/if}}",
            "%%[ SET @a = 1 ]%%",
        ] {
            assert!(condition_variables(tag).is_empty(), "{tag}");
        }
    }
}
