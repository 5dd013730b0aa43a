//! From a pattern as a rule author writes it to the regex the engine runs: macro expansion and the
//! rewrites that keep every regex on the fast engines.
//!
//! The regex crate's lazy DFA cannot run Unicode word boundaries past the first non-ASCII byte, and
//! real copy is full of them (curly quotes, dashes, emoji). Text is normalised before matching, so
//! ASCII semantics for `\b`, `\w` and `\d` lose nothing and keep matching at hundreds of MB/s.

use super::schema::WordClass;
use super::vocab::Lexicon;
use crate::source::segment::{FIELD_CLOSE, FIELD_OPEN};
use std::collections::BTreeMap;

/// Words that address the reader.
pub const YOU: &str = r"(?:you|your|yours|yourself|you're|youre|you've|youve|you'll|you'd|u|ur)";

/// A money amount: a currency symbol and a number, or a number and a currency word.
pub const AMOUNT: &str = r"(?:[$£€¥₹]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn)\b)?|\d[\d,]*(?:\.\d+)?\s?(?:dollars|bucks|pounds|quid|euros|usd|gbp|eur)\b)";

/// Private particulars besides a money amount that a log would hold: a measurement, a tally of
/// days or times, a percentage, a clock time, a bra size. `{detail}` is these or an `{amount}`;
/// it is meant for `with` signals, where the rest of the sentence says whose the particular is.
pub const PARTICULARS: &str = concat!(
    r"(?:\b\d+(?:[.,]\d+)?\s*(?:kg|kgs|kilos?|lbs?|stone|st|cm|mm|m|metres?|meters?|inch(?:es)?|ft|feet",
    r"|miles?|km|steps|calories|kcal|hours|hrs|minutes|mins|times|nights|days|weeks|months|stops|visits",
    r"|orders|payments|drinks|units|bpm)\b|\b\d+(?:\.\d+)?%",
    r"|\b\d{1,2}[:.]\d\d\b|\b\d{1,2}\s*(?:am|pm)\b",
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)\s+(?:times|nights|days|weeks|mornings|evenings)\b",
    r"|\b\d+\s*(?:x|×)\b|\b(?:28|30|32|34|36|38|40|42|44)(?:a|aa|b|c|d|dd|e|f|g)\b|\b(?:size|waist|chest|cup)\s+\d+)",
);

/// The names of the built-in macros, for error messages.
pub const BUILTIN_MACROS: &[&str] = &[
    "you",
    "amount",
    "detail",
    "field",
    "field:KIND",
    "lex:NAME",
    "lex:NAME:CLASS",
];

/// Why a pattern could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandError {
    /// `{name}` names no macro.
    UnknownMacro(String),
    /// `{field:KIND}` names a kind no loaded pack declares.
    UnknownFieldKind(String),
    /// Macros refer to each other in a loop.
    Cycle(String),
    /// `{lex:NAME}` names no loaded lexicon.
    UnknownLexicon(String),
    /// `{lex:NAME:CLASS}` names no word class, or the lexicon has no strong term of it.
    EmptyLexicon(String),
}

impl std::fmt::Display for ExpandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpandError::UnknownMacro(name) => write!(
                f,
                "unknown macro `{{{name}}}` (built-in macros: {}; add it under [macros] or escape the brace as `\\{{`)",
                BUILTIN_MACROS.iter().map(|m| format!("{{{m}}}")).collect::<Vec<_>>().join(", ")
            ),
            ExpandError::UnknownFieldKind(kind) => write!(
                f,
                "unknown field kind `{{field:{kind}}}`: no loaded pack declares a [[fields]] entry with kind = \"{kind}\""
            ),
            ExpandError::Cycle(name) => write!(f, "macro `{{{name}}}` refers to itself"),
            ExpandError::UnknownLexicon(name) => write!(
                f,
                "unknown lexicon `{{lex:{name}}}`: no loaded pack declares [lexicons.{name}]"
            ),
            ExpandError::EmptyLexicon(what) => write!(
                f,
                "`{{lex:{what}}}` matches nothing: the class must be noun, adj, person or group, and the lexicon must hold a term of it that is not weak"
            ),
        }
    }
}

/// The regex for a placeholder of any merge field.
pub fn any_field() -> String {
    format!(
        "\\x{{{:X}}}[^\\x{{{:X}}}]*\\x{{{:X}}}",
        FIELD_OPEN as u32, FIELD_CLOSE as u32, FIELD_CLOSE as u32
    )
}

/// The regex for a placeholder of a merge field of `kind`.
pub fn field_of_kind(kind: &str) -> String {
    if kind == crate::fields::READER {
        // Written first in the placeholder (see `SegmentBuilder::push_field`).
        return format!(
            "\\x{{{:X}}},{},[^\\x{{{:X}}}]*\\x{{{:X}}}",
            FIELD_OPEN as u32, kind, FIELD_CLOSE as u32, FIELD_CLOSE as u32
        );
    }
    format!(
        "\\x{{{:X}}}[^\\x{{{:X}}}]*,{},[^\\x{{{:X}}}]*\\x{{{:X}}}",
        FIELD_OPEN as u32,
        FIELD_CLOSE as u32,
        regex::escape(kind),
        FIELD_CLOSE as u32,
        FIELD_CLOSE as u32
    )
}

/// Expands `{macro}` references. `macros` are the pack's own; `kinds` every declared field kind.
pub fn expand(
    pattern: &str,
    macros: &BTreeMap<String, String>,
    kinds: &[String],
) -> Result<String, ExpandError> {
    expand_with(pattern, macros, kinds, &BTreeMap::new())
}

/// [`expand`], with `{lex:NAME}` and `{lex:NAME:CLASS}` resolved against `lexicons`: the
/// lexicon's terms (of that class) that are not weak, as one alternation.
pub fn expand_with(
    pattern: &str,
    macros: &BTreeMap<String, String>,
    kinds: &[String],
    lexicons: &BTreeMap<String, Lexicon>,
) -> Result<String, ExpandError> {
    let vocab = Vocab {
        macros,
        kinds,
        lexicons,
    };
    expand_depth(pattern, &vocab, &mut Vec::new(), None)
}

/// [`expand_with`], and the same pattern as a skeleton: each macro reference of `pattern` itself
/// replaced by a hole ([`super::trees::hole`]), with the expanded text of each hole in order. The
/// skeleton's parse tree filled with the parts' trees is the expanded pattern's tree, and each
/// distinct part is parsed only once (see [`super::trees`]).
pub fn expand_parts(
    pattern: &str,
    macros: &BTreeMap<String, String>,
    kinds: &[String],
    lexicons: &BTreeMap<String, Lexicon>,
) -> Result<(String, String, Vec<String>), ExpandError> {
    let vocab = Vocab {
        macros,
        kinds,
        lexicons,
    };
    let mut skeleton = (String::with_capacity(pattern.len()), Vec::new());
    let expanded = expand_depth(pattern, &vocab, &mut Vec::new(), Some(&mut skeleton))?;
    Ok((expanded, skeleton.0, skeleton.1))
}

/// What a pattern's braces may name.
struct Vocab<'a> {
    macros: &'a BTreeMap<String, String>,
    kinds: &'a [String],
    lexicons: &'a BTreeMap<String, Lexicon>,
}

/// Expands `pattern`; when `skeleton` is given, also writes the pattern with a hole for each of
/// its macro references into it, with the hole's expanded text.
fn expand_depth(
    pattern: &str,
    vocab: &Vocab<'_>,
    stack: &mut Vec<String>,
    mut skeleton: Option<&mut (String, Vec<String>)>,
) -> Result<String, ExpandError> {
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut chars = pattern.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let copied_from = out.len();
        if c == '\\' {
            out.push(c);
            if let Some((_, next)) = chars.next() {
                out.push(next);
                // `\p{L}`, `\P{Greek}`, `\x{A0}`, `\u{2019}`: the braces belong to the escape,
                // not to a macro, and are copied through their close.
                if matches!(next, 'p' | 'P' | 'x' | 'u' | 'U')
                    && chars.peek().is_some_and(|&(_, c)| c == '{')
                {
                    for (_, c) in chars.by_ref() {
                        out.push(c);
                        if c == '}' {
                            break;
                        }
                    }
                }
            }
            if let Some((text, _)) = skeleton.as_deref_mut() {
                text.push_str(&out[copied_from..]);
            }
            continue;
        }
        if c == '{' {
            if let Some(name) = macro_name_at(&pattern[i + 1..]) {
                for _ in 0..name.len() + 1 {
                    chars.next();
                }
                let body = resolve(name, vocab, stack)?;
                out.push_str("(?:");
                out.push_str(&body);
                out.push(')');
                if let Some((text, parts)) = skeleton.as_deref_mut() {
                    text.push_str(&super::trees::hole(parts.len()));
                    parts.push(body);
                }
                continue;
            }
        }
        out.push(c);
        if let Some((text, _)) = skeleton.as_deref_mut() {
            text.push(c);
        }
    }
    Ok(out)
}

/// If `rest` (after a `{`) starts a macro reference `name}` or `field:kind}`, the name.
fn macro_name_at(rest: &str) -> Option<&str> {
    let end = rest.find('}')?;
    let name = &rest[..end];
    let mut chars = name.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None; // `{2,3}` is a repetition
    }
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
        .then_some(name)
}

fn resolve(name: &str, vocab: &Vocab<'_>, stack: &mut Vec<String>) -> Result<String, ExpandError> {
    let (macros, kinds) = (vocab.macros, vocab.kinds);
    if let Some(rest) = name.strip_prefix("lex:") {
        let (lex, class) = match rest.split_once(':') {
            Some((lex, class)) => (lex, Some(class)),
            None => (rest, None),
        };
        let lexicon = vocab
            .lexicons
            .get(lex)
            .ok_or_else(|| ExpandError::UnknownLexicon(lex.to_string()))?;
        let class = match class {
            None => None,
            Some(c) => Some(
                WordClass::parse(c).ok_or_else(|| ExpandError::EmptyLexicon(rest.to_string()))?,
            ),
        };
        return lexicon
            .alternation(class, false)
            .ok_or_else(|| ExpandError::EmptyLexicon(rest.to_string()));
    }
    if let Some(kind) = name.strip_prefix("field:") {
        return if kinds.iter().any(|k| k == kind) {
            Ok(field_of_kind(kind))
        } else {
            Err(ExpandError::UnknownFieldKind(kind.to_string()))
        };
    }
    if let Some(body) = macros.get(name) {
        if stack.iter().any(|s| s == name) {
            return Err(ExpandError::Cycle(name.to_string()));
        }
        stack.push(name.to_string());
        let expanded = expand_depth(body, vocab, stack, None);
        stack.pop();
        return expanded;
    }
    match name {
        "you" => Ok(YOU.to_string()),
        "amount" => Ok(AMOUNT.to_string()),
        "detail" => Ok(format!("(?:{AMOUNT}|{PARTICULARS})")),
        "field" => Ok(any_field()),
        _ => Err(ExpandError::UnknownMacro(name.to_string())),
    }
}

/// Rewrites Unicode-aware classes and assertions to their ASCII forms (see the module docs):
/// `\b` → `(?-u:\b)`, `\B` → `(?-u:\B)`, `\w` → `(?-u:\w)`, `\d` → `[0-9]`; inside a character
/// class `\w` and `\d` become ranges.
pub fn to_ascii_classes(pattern: &str) -> String {
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut class_depth = 0usize;
    let mut i = 0;
    // Only `\`, `[` and `]` change anything: the text between them is copied whole (a lexicon's
    // alternation is tens of kilobytes, and every pattern of a frame is rewritten).
    while let Some(found) = memchr::memchr3(b'\\', b'[', b']', &bytes[i..]) {
        let at = i + found;
        out.push_str(&pattern[i..at]);
        i = at + 1;
        match bytes[at] {
            b'\\' => {
                let Some(next) = pattern[i..].chars().next() else {
                    out.push('\\');
                    return out;
                };
                i += next.len_utf8();
                match (next, class_depth > 0) {
                    ('b' | 'B', false) => {
                        out.push_str("(?-u:\\");
                        out.push(next);
                        if bytes.get(i) == Some(&b'{') {
                            // `\b{start-half}` and friends keep their braces inside the group.
                            let close = pattern[i..].find('}').map_or(bytes.len(), |j| i + j + 1);
                            out.push_str(&pattern[i..close]);
                            i = close;
                        }
                        out.push(')');
                    }
                    ('w', false) => out.push_str("(?-u:\\w)"),
                    ('d', false) => out.push_str("[0-9]"),
                    ('w', true) => out.push_str("a-zA-Z0-9_"),
                    ('d', true) => out.push_str("0-9"),
                    _ => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            b'[' => {
                class_depth += 1;
                out.push('[');
                // A `]` right after `[` or `[^` is a literal.
                if bytes.get(i) == Some(&b'^') {
                    out.push('^');
                    i += 1;
                }
                if bytes.get(i) == Some(&b']') {
                    out.push(']');
                    i += 1;
                }
            }
            _ => {
                class_depth = class_depth.saturating_sub(1);
                out.push(']');
            }
        }
    }
    out.push_str(&pattern[i..]);
    out
}

/// The final regex source for a pattern: expanded, ASCII-fied, wrapped in word-edge assertions when
/// `whole_word`, and case-insensitive unless `case_sensitive`.
///
/// The word edges are half boundaries: a match may not start right after a word character nor end
/// right before one, yet it may start or end on punctuation or a merge-field placeholder.
pub fn finalize(expanded: &str, whole_word: bool, case_sensitive: bool) -> String {
    let body = to_ascii_classes(expanded);
    let flags = if case_sensitive { "" } else { "(?i)" };
    if whole_word {
        format!("{flags}(?-u:\\b{{start-half}})(?:{body})(?-u:\\b{{end-half}})")
    } else {
        format!("{flags}(?:{body})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(p: &str) -> regex::Regex {
        let kinds = vec!["money".to_string()];
        let e = expand(p, &BTreeMap::new(), &kinds).unwrap();
        regex::Regex::new(&finalize(&e, true, false)).unwrap()
    }

    #[test]
    fn macros_expand_and_repetitions_are_left_alone() {
        let mut m = BTreeMap::new();
        m.insert("spent".to_string(), r"sp[e]nt\d{2,3}".to_string());
        m.insert("loop".to_string(), "{loop}".to_string());
        let kinds = vec![];
        assert_eq!(
            expand("{spent}", &m, &kinds).unwrap(),
            r"(?:sp[e]nt\d{2,3})"
        );
        assert_eq!(expand(r"\{you}", &m, &kinds).unwrap(), r"\{you}");
        // The braces of Unicode classes and code-point escapes are not macros.
        for escape in [
            r"caf\p{L}",
            r"\P{Greek}x",
            r"\x{A0}",
            r"\u{2019}s",
            r"\p{spent}",
        ] {
            assert_eq!(expand(escape, &m, &kinds).unwrap(), escape);
        }
        assert_eq!(
            expand(r"\p{L}{spent}", &m, &kinds).unwrap(),
            r"\p{L}(?:sp[e]nt\d{2,3})"
        );
        assert_eq!(
            expand("{nope}", &m, &kinds),
            Err(ExpandError::UnknownMacro("nope".into()))
        );
        assert_eq!(
            expand("{loop}", &m, &kinds),
            Err(ExpandError::Cycle("loop".into()))
        );
        assert_eq!(
            expand("{field:body}", &m, &kinds),
            Err(ExpandError::UnknownFieldKind("body".into()))
        );
    }

    #[test]
    fn whole_word_matching_uses_half_boundaries() {
        let re = compile(r"{you}\s+spent\s+(?:{amount}|{field:money})");
        assert!(re.is_match("You spent $342 with us"));
        assert!(re.is_match("you spent \u{E000},money,\u{E001} last month"));
        assert!(!re.is_match("you spent \u{E000},\u{E001}"));
        assert!(!re.is_match("Bayou spent $3"));
        assert!(re.is_match("\u{201C}you spent $3\u{201D}"));
    }

    #[test]
    fn ascii_rewrites_respect_classes_and_escapes() {
        assert_eq!(
            to_ascii_classes(r"\bx\w[\d\w]\\b"),
            r"(?-u:\b)x(?-u:\w)[0-9a-zA-Z0-9_]\\b"
        );
        assert_eq!(to_ascii_classes(r"\b{start}a"), r"(?-u:\b{start})a");
        assert_eq!(to_ascii_classes(r"[]\d]"), r"[]0-9]");
    }
}
