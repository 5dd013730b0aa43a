//! Case-insensitive patterns as case-sensitive ones over the lowercased text.
//!
//! A case-insensitive pattern parses into a tree of classes such as `[Aa]`: a lexicon of hundreds
//! of terms becomes tens of thousands of them, the parse folds every letter through the Unicode
//! case tables, and each class is a state of its automata. Phrase patterns search normalised
//! text; on its ASCII-lowercased copy (same length, same offsets) the pattern can be its own
//! text with the letters lowercased, parsed without folding: each term is one literal again,
//! and the tree and the automata build in well under half the time.
//!
//! Where ASCII lowercasing is not all the case folding a part needs (a cased letter beyond
//! ASCII, a Unicode property class, a class set operation, a class range reaching past ASCII or
//! covering uppercase letters without the lowercase ones) that part alone keeps its folding, as
//! `(?i:...)`: a folded class is closed under case, and ASCII lowercasing keeps every character
//! of normalised text within its case class, so the part matches the lowercased text where it
//! matched the text. (Normalised text never holds the long s and the Kelvin sign, the only
//! characters outside ASCII that fold to ASCII letters; see `ABSENT_FROM_TEXT`.) Only a part
//! that turns folding off, `(?-i:...)`, needs the text's own case: its pattern gets no lowered
//! tree and searches the text itself.

use regex_syntax::ast::{
    self, Ast, ClassAsciiKind, ClassBracketed, ClassPerl, ClassPerlKind, ClassSet, ClassSetItem,
    ClassSetRange, Flag, Flags, FlagsItem, FlagsItemKind, Group, GroupKind, LiteralKind, Span,
};
use regex_syntax::hir::Hir;

/// The tree of `body`, a case-insensitive pattern's text after its leading `(?i)`, that matches
/// the ASCII-lowercased copy of normalised text wherever the pattern matches the text itself.
/// `None` when the pattern does not parse, or lowercasing the text is not all its case folding.
pub fn parse(body: &str) -> Option<Hir> {
    let mut ast = ast::parse::Parser::new().parse(body).ok()?;
    if !lower(&mut ast, true) {
        return None;
    }
    regex_syntax::hir::translate::Translator::new()
        .translate(body, &ast)
        .ok()
}

/// Lowercases the ASCII letters of `ast` in place, keeping folding only on the parts that need
/// more than ASCII lowercasing; false when a part turns folding off.
/// `unicode` is the state of the `u` flag (off inside `(?-u:...)`, where only ASCII folds).
fn lower(ast: &mut Ast, unicode: bool) -> bool {
    match ast {
        // The pattern folds case already: only a flag that turns folding off, or changes
        // another flag for the rest of the group, cannot be kept as it is.
        Ast::Flags(set) => {
            let redundant = only_folding_on(&set.flags);
            if redundant {
                set.flags.items.clear();
            }
            redundant
        }
        Ast::Repetition(rep) => lower(&mut rep.ast, unicode),
        Ast::Group(group) => {
            let unicode = match &mut group.kind {
                GroupKind::NonCapturing(flags) => {
                    match flags.flag_state(Flag::CaseInsensitive) {
                        Some(false) => return false,
                        // Folding on inside a pattern that folds: the same as no flag.
                        Some(true) => flags
                            .items
                            .retain(|i| i.kind != FlagsItemKind::Flag(Flag::CaseInsensitive)),
                        None => {}
                    }
                    flags.flag_state(Flag::Unicode).unwrap_or(unicode)
                }
                _ => unicode,
            };
            lower(&mut group.ast, unicode)
        }
        Ast::Alternation(alt) => alt.asts.iter_mut().all(|a| lower(a, unicode)),
        Ast::Concat(cat) => cat.asts.iter_mut().all(|a| lower(a, unicode)),
        leaf => {
            if !lower_leaf(leaf, unicode) {
                keep_folding(leaf);
            }
            true
        }
    }
}

/// Lowercases a leaf of the tree (a literal, a class, an assertion) in place; false when ASCII
/// lowercasing is not all the folding it needs.
fn lower_leaf(ast: &mut Ast, unicode: bool) -> bool {
    match ast {
        Ast::ClassPerl(perl) => {
            if let Some(space) = fitted_space(perl, unicode) {
                *ast = match space {
                    Space::Space(lit) => Ast::literal(lit),
                    Space::NotSpace(class) => Ast::class_bracketed(class),
                };
            }
            true
        }
        Ast::Empty(_) | Ast::Dot(_) | Ast::Assertion(_) => true,
        Ast::ClassUnicode(_) => false,
        Ast::Literal(lit) => lower_literal(lit, unicode),
        Ast::ClassBracketed(class) => lower_class(class, unicode),
        Ast::Flags(_)
        | Ast::Repetition(_)
        | Ast::Group(_)
        | Ast::Alternation(_)
        | Ast::Concat(_) => unreachable!("`lower` handles the inner nodes"),
    }
}

/// True when `flags` only turn case folding on (`(?i)`), which a folding pattern already does.
fn only_folding_on(flags: &Flags) -> bool {
    !flags.items.is_empty()
        && flags
            .items
            .iter()
            .all(|i| i.kind == FlagsItemKind::Flag(Flag::CaseInsensitive))
}

/// Wraps `ast` in `(?i:...)`, so that it alone folds case as the whole pattern did.
fn keep_folding(ast: &mut Ast) {
    let span = *ast.span();
    let inner = std::mem::replace(ast, Ast::empty(span));
    let fold = FlagsItem {
        span,
        kind: FlagsItemKind::Flag(Flag::CaseInsensitive),
    };
    *ast = Ast::group(Group {
        span,
        kind: GroupKind::NonCapturing(Flags {
            span,
            items: vec![fold],
        }),
        ast: Box::new(inner),
    });
}

/// A literal folds like its lowercase form when it is ASCII, or a byte, or has no case.
fn lower_literal(lit: &mut ast::Literal, unicode: bool) -> bool {
    lit.c = lit.c.to_ascii_lowercase();
    lit.c.is_ascii() || !unicode || !is_cased(lit.c)
}

fn lower_class(class: &mut ClassBracketed, unicode: bool) -> bool {
    match &mut class.kind {
        ClassSet::BinaryOp(_) => false,
        ClassSet::Item(item) => lower_item(item, unicode),
    }
}

/// A class is folded before it is negated: with its letters lowercased, it holds a lowercase
/// letter exactly when its folded form holds the letter in both cases, negated or not.
fn lower_item(item: &mut ClassSetItem, unicode: bool) -> bool {
    match item {
        ClassSetItem::Perl(perl) => {
            if let Some(space) = fitted_space(perl, unicode) {
                *item = match space {
                    Space::Space(lit) => ClassSetItem::Literal(lit),
                    Space::NotSpace(class) => ClassSetItem::Bracketed(Box::new(class)),
                };
            }
            true
        }
        ClassSetItem::Empty(_) => true,
        ClassSetItem::Literal(lit) => lower_literal(lit, unicode),
        ClassSetItem::Range(range) => lower_range(range, unicode),
        // `[:lower:]` folds to both cases, which lowercased text holds as `[a-z]`.
        ClassSetItem::Ascii(class) => class.kind != ClassAsciiKind::Upper,
        ClassSetItem::Unicode(_) => false,
        ClassSetItem::Bracketed(class) => lower_class(class, unicode),
        ClassSetItem::Union(union) => union.items.iter_mut().all(|i| lower_item(i, unicode)),
    }
}

/// `A-F` becomes `a-f`; a range of other ends must hold no uppercase letter, or the whole
/// alphabet in both cases, and stay within ASCII (a range past it may hold letters that fold
/// to ASCII ones).
fn lower_range(range: &mut ClassSetRange, unicode: bool) -> bool {
    let (lo, hi) = (range.start.c, range.end.c);
    if lo.is_ascii_uppercase() && hi.is_ascii_uppercase() {
        range.start.c = lo.to_ascii_lowercase();
        range.end.c = hi.to_ascii_lowercase();
        return true;
    }
    let holds_upper = lo <= 'Z' && hi >= 'A';
    let holds_both_alphabets = lo <= 'A' && hi >= 'z';
    (!holds_upper || holds_both_alphabets) && (hi.is_ascii() || !unicode)
}

/// What `\s` and `\S` are on normalised text, where the space is the only whitespace.
enum Space {
    Space(ast::Literal),
    NotSpace(ClassBracketed),
}

/// `\s` as a space and `\S` as `[^ ]`, which match the same characters of normalised text with
/// far smaller automata (and spare the fitting that would rewrite them: see `fit`). `None` for
/// other classes, and for `\S` where `u` is off (its byte class is then never valid UTF-8).
fn fitted_space(perl: &ClassPerl, unicode: bool) -> Option<Space> {
    if perl.kind != ClassPerlKind::Space {
        return None;
    }
    let span = Span::splat(perl.span.start);
    let space = ast::Literal {
        span,
        kind: LiteralKind::Verbatim,
        c: ' ',
    };
    match perl.negated {
        false => Some(Space::Space(space)),
        true if unicode => Some(Space::NotSpace(ClassBracketed {
            span,
            negated: true,
            kind: ClassSet::Item(ClassSetItem::Literal(space)),
        })),
        true => None,
    }
}

/// True for a character with case beyond ASCII (its folded class would hold another).
fn is_cased(c: char) -> bool {
    c.to_lowercase().ne(c.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

    /// The matches of `pattern` in `text`, and of its lowered tree in the lowercased text.
    fn both(
        pattern: &str,
        text: &str,
    ) -> (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>) {
        let plain = Regex::new(pattern).unwrap();
        let body = pattern.strip_prefix("(?i)").unwrap();
        let lowered = Regex::builder()
            .build_from_hir(&parse(body).expect(pattern))
            .unwrap();
        let all = |re: &Regex, t: &str| re.find_iter(t).map(|m| m.range()).collect::<Vec<_>>();
        (all(&plain, text), all(&lowered, &text.to_ascii_lowercase()))
    }

    #[test]
    fn a_lowered_pattern_finds_on_lowercased_text_what_the_pattern_finds_on_the_text() {
        let patterns = [
            r"(?i)you\s+spent\s+\$\d+",
            r"(?i)\bYOUR\s+Size\b",
            r"(?i)[^a-z ]+",
            r"(?i)[^A-Z ]+",
            r"(?i)[A-F]+\d",
            r"(?i)[[:lower:]]+",
            r"(?i)[[:^alpha:]x]+",
            r"(?i)(?-u:\b{start-half})(?:^|\S*[.!?:]\s+)still\s+\w+\?",
            r"(?i)[!-~]{3}",
            r"(?i)\x{E000}[^\x{E001}]*\x{E001}",
            r"(?i)(?:shoe|SHIRT|w[a-e]ist)\s+size",
        ];
        let texts = [
            "You spent $342 with us. YOUR SIZE is 12; your size.",
            "Hi! Still sleeping? ok. STILL HERE? done. Caf\u{e9} \u{c9}T\u{c9}",
            "ABCdef1 fa9 [BRACKET] {curly} ~tilde~ _under_",
            "\u{E000},reader,body,\u{E001} shirt size, Waist SIZE, wBist size",
        ];
        for p in patterns {
            for t in texts {
                let (want, got) = both(p, t);
                assert_eq!(want, got, "{p} on {t:?}");
            }
        }
    }

    #[test]
    fn the_space_is_the_only_whitespace_of_normalised_text() {
        // What lets `\s` be a space and `\S` be `[^ ]` (see `fitted_space`).
        let absent = |c: char| {
            crate::source::segment::ABSENT_FROM_TEXT
                .iter()
                .any(|&(lo, hi)| lo <= c && c <= hi)
        };
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            if c.is_whitespace() && c != ' ' {
                assert!(absent(c), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn parts_that_need_more_than_ascii_lowercasing_keep_their_folding() {
        let patterns = [
            "(?i)caf\u{e9}",
            "(?i)fianc[e\u{e9}]e?",
            r"(?i)\p{Lu}+",
            r"(?i)[[:upper:]]+",
            r"(?i)[a-z&&[^x]]+",
            r"(?i)[0-_]+",
            r"(?i)[^\x{80}-\x{10FFFF}]+",
            r"(?i)a(?i)b(?i:C)",
            "(?i)[^\u{e9}a]+",
        ];
        let texts = [
            "Caf\u{e9} CAF\u{c9} caf\u{c9} FIANC\u{c9}E fiancee Fianc\u{e9}",
            "ABC xyz X [0-9]_^ \u{c9}t\u{e9} ab AB aBc ABC",
        ];
        for p in patterns {
            let lowered = parse(p.strip_prefix("(?i)").unwrap());
            assert!(lowered.is_some(), "{p}");
            for t in texts {
                let (want, got) = both(p, t);
                assert_eq!(want, got, "{p} on {t:?}");
            }
        }
    }

    #[test]
    fn patterns_that_turn_folding_off_get_no_lowered_tree() {
        for body in [r"(?-i:You)", r"a(?-i)b", r"(?u-i:x)", r"[A-z"] {
            assert!(parse(body).is_none(), "{body}");
        }
        // A range over the whole alphabet in both cases is closed under folding.
        assert!(parse(r"[!-~]").is_some());
    }
}
