//! Parse trees fitted to the text patterns run on.
//!
//! Phrase patterns only ever search a segment's normalised text, which never holds the characters
//! of [`ABSENT_FROM_TEXT`] (whitespace other than the space, invisible and look-alike characters).
//! A class may therefore take those characters in or leave them out without changing a single
//! match. Unicode `\s` is eleven ranges, seven of them outside ASCII, and every copy of it in a
//! pattern compiles to a small UTF-8 automaton of its own; fitted, it is `[\t-\r ]`, one byte
//! range. `\S` likewise becomes "anything but ASCII whitespace". A pattern spelling out a lexicon
//! holds hundreds of `\s` between the words of its terms, so this shrinks its automaton and the
//! time to build it.

use crate::source::segment::ABSENT_FROM_TEXT;
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
};
use std::sync::OnceLock;

/// `hir` with every Unicode class replaced by the simplest class that matches the same
/// characters of normalised text.
pub fn to_normalised_text(hir: &Hir) -> Hir {
    fitted(hir).unwrap_or_else(|| hir.clone())
}

/// The tree of regex `source`, fitted to normalised text; `None` when it does not parse.
pub fn parse_for_normalised_text(source: &str) -> Option<Hir> {
    let tree = regex_syntax::Parser::new().parse(source).ok()?;
    Some(to_normalised_text(&tree))
}

/// [`to_normalised_text`], `None` when nothing changes: most of a lexicon's terms hold no class
/// to fit, and rebuilding them would cost as much as the parse.
fn fitted(hir: &Hir) -> Option<Hir> {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            simplest(class).map(|c| Hir::class(Class::Unicode(c)))
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) | HirKind::Class(_) => None,
        HirKind::Repetition(rep) => Some(Hir::repetition(Repetition {
            sub: Box::new(fitted(&rep.sub)?),
            ..rep.clone()
        })),
        HirKind::Capture(cap) => Some(Hir::capture(Capture {
            sub: Box::new(fitted(&cap.sub)?),
            ..cap.clone()
        })),
        HirKind::Concat(parts) => fitted_all(parts).map(Hir::concat),
        HirKind::Alternation(alts) => fitted_all(alts).map(Hir::alternation),
    }
}

/// Every one of `hirs` fitted, when one of them changes.
fn fitted_all(hirs: &[Hir]) -> Option<Vec<Hir>> {
    let changed: Vec<Option<Hir>> = hirs.iter().map(fitted).collect();
    if changed.iter().all(Option::is_none) {
        return None;
    }
    Some(
        changed
            .into_iter()
            .zip(hirs)
            .map(|(new, old)| new.unwrap_or_else(|| old.clone()))
            .collect(),
    )
}

/// Of `class` with the absent characters and `class` without them, the one with the fewest
/// ranges, when it has fewer than `class` itself: all three agree on normalised text.
fn simplest(class: &ClassUnicode) -> Option<ClassUnicode> {
    // Most classes are a letter in both cases, far from any absent character: neither taking
    // the absent characters in nor leaving them out can merge a range there.
    let touches = |r: &ClassUnicodeRange| {
        ABSENT_FROM_TEXT
            .iter()
            .any(|&(lo, hi)| lo as u32 <= r.end() as u32 + 1 && r.start() as u32 <= hi as u32 + 1)
    };
    if !class.ranges().iter().any(touches) {
        return None;
    }
    let absent = absent();
    let mut with = class.clone();
    with.union(absent);
    let mut without = class.clone();
    without.difference(absent);
    let best = match with.ranges().len() < without.ranges().len() {
        true => with,
        false => without,
    };
    (best.ranges().len() < class.ranges().len()).then_some(best)
}

fn absent() -> &'static ClassUnicode {
    static ABSENT: OnceLock<ClassUnicode> = OnceLock::new();
    ABSENT.get_or_init(|| {
        ClassUnicode::new(
            ABSENT_FROM_TEXT
                .iter()
                .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

    fn fitted(pattern: &str) -> Hir {
        parse_for_normalised_text(pattern).unwrap()
    }

    #[test]
    fn whitespace_classes_become_ascii() {
        assert_eq!(fitted(r"\s"), fitted(r"[\t-\r ]"));
        assert_eq!(fitted(r"\S"), fitted(r"[^\t-\r ]"));
        // A class with nothing absent in it stays as it is.
        assert_eq!(
            fitted(r"[a-z]"),
            regex_syntax::Parser::new().parse("[a-z]").unwrap()
        );
    }

    #[test]
    fn a_fitted_pattern_matches_normalised_text_as_the_pattern_does() {
        let patterns = [
            r"(?i)you\s+(?:\S+\s+)?spent\s+\$\d+",
            r"(?i)(?-u:\b{start-half})(?:^|\S*[.!?:]\s+)still\s+\w+\?",
            r"[^\s\w]+|\W\s\D",
        ];
        let texts = [
            "You spent $342 with us",
            "you  spent $3",
            "Hi! Still sleeping? ok",
            "Caf\u{e9} \u{e9}t\u{e9}! STILL HERE? \u{1F600} done",
            "\u{E000},reader,body,\u{E001} restocked",
        ];
        for p in patterns {
            let plain = Regex::new(p).unwrap();
            let fit = Regex::builder().build_from_hir(&fitted(p)).unwrap();
            for t in texts {
                let normalised = {
                    let mut b = crate::source::segment::SegmentBuilder::new();
                    b.push_original(t, 0);
                    b.finish().unwrap().text
                };
                let all = |re: &Regex| {
                    re.find_iter(&normalised)
                        .map(|m| m.range())
                        .collect::<Vec<_>>()
                };
                assert_eq!(all(&plain), all(&fit), "{p} on {normalised:?}");
            }
        }
    }
}
