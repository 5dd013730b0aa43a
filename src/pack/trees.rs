//! Parse trees of patterns put together from parts, without parsing a part twice.
//!
//! Most of a pattern's regex text comes from its macros and lexicons: `{you}`, a pack's macros, a
//! lexicon's alternation of hundreds of terms in a frame's slot. The same part appears in dozens of
//! patterns. A [`Recipe`] keeps a pattern as a skeleton, the final regex text with a numbered hole
//! where each part goes, and the parts' regex texts. Its tree is the skeleton's tree with each
//! hole replaced by the part's tree; every distinct part (and skeleton) is parsed once per process
//! and per case mode, then cloned.
//!
//! The tree built this way matches the same text as a parse of the whole pattern (the smart
//! constructors of `regex_syntax::hir` simplify it as the parser would); the test of the built-in
//! packs checks it gives the same literals. Where a hole cannot be told apart (a part inside a
//! character class, or flags in the skeleton that reach into a hole), there is no recipe and the
//! whole pattern is parsed as before.

use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The first hole character: holes are `(` U+F0000 + n `)`, in the supplementary private use area,
/// which no pack text holds (a pattern holding one gets no recipe).
const HOLE_BASE: u32 = 0xF0000;
/// At most this many holes in a skeleton.
const MAX_HOLES: u32 = 0xFFFD;

/// The text of hole `n` in a skeleton.
pub fn hole(n: usize) -> String {
    let c = char::from_u32(HOLE_BASE + n as u32).unwrap_or('\u{F0000}');
    format!("({c})")
}

/// True when `text` holds a character reserved for holes.
pub fn holds_hole_char(text: &str) -> bool {
    text.chars()
        .any(|c| (HOLE_BASE..HOLE_BASE + MAX_HOLES).contains(&(c as u32)))
}

/// A pattern as a skeleton with holes and the parts that fill them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipe {
    /// The final regex text (flags prefix included) with [`hole`]`(n)` where part `n` goes.
    pub skeleton: Arc<str>,
    /// Each hole's regex text, ASCII-fied (see `pattern::to_ascii_classes`), without flags.
    pub parts: Vec<Arc<str>>,
    /// The skeleton recurs in other patterns (a frame's, filled with each lexicon): its tree is
    /// cached like a part's.
    pub shared: bool,
}

impl Recipe {
    /// A recipe, when the skeleton's holes can be filled faithfully: no hole character in the
    /// parts, and no flag group in the skeleton other than a leading `(?i)` and the ASCII
    /// rewrites' `(?-u:...)` groups, which hold no hole. Named groups are refused too: two parts
    /// could name the same group, which only a parse of the whole pattern reports.
    pub fn new(skeleton: String, parts: Vec<Arc<str>>, shared: bool) -> Option<Recipe> {
        if parts.is_empty() || parts.len() as u32 >= MAX_HOLES {
            return None;
        }
        if parts.iter().any(|p| holds_hole_char(p) || names_a_group(p))
            || names_a_group(&skeleton)
            || !flags_stay_outside_holes(&skeleton)
        {
            return None;
        }
        Some(Recipe {
            skeleton: skeleton.into(),
            parts,
            shared,
        })
    }

    /// The tree of the pattern, of the kind `tree` names. `None` when a part or the skeleton
    /// does not parse alone, or a hole was not found where it was expected: the caller parses
    /// the whole pattern instead.
    pub fn tree(&self, tree: Tree) -> Option<Hir> {
        let (folded, body) = match self.skeleton.strip_prefix("(?i)") {
            Some(rest) => (true, rest),
            None => (false, &*self.skeleton),
        };
        if tree == Tree::Lowered && !folded {
            return None;
        }
        let mode = Mode {
            fold_case: folded && !matches!(tree, Tree::Literals | Tree::Lowered),
            fit: matches!(tree, Tree::Run | Tree::Lowered),
            lower: tree == Tree::Lowered,
        };
        let skeleton = match self.shared {
            true => cached(body, mode)?,
            false => Arc::new(parse(body, mode)?),
        };
        let parts: Vec<Arc<Hir>> = self
            .parts
            .iter()
            .map(|p| cached(p, mode))
            .collect::<Option<_>>()?;
        let mut filled = 0;
        let tree = fill((*skeleton).clone(), &parts, &mut filled)?;
        (filled == parts.len()).then_some(tree)
    }
}

fn names_a_group(text: &str) -> bool {
    text.contains("(?P<") || text.contains("(?<")
}

/// Flags set in the skeleton would reach into the holes after them and change how a part parses:
/// allowed are only non-capturing groups, the leading `(?i)` and `(?-u:` groups that close before
/// any group opens inside them (the ASCII rewrites of `\b`, `\w`).
fn flags_stay_outside_holes(skeleton: &str) -> bool {
    let body = skeleton.strip_prefix("(?i)").unwrap_or(skeleton);
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'(' if bytes.get(i + 1) == Some(&b'?') => {
                let rest = &body[i + 2..];
                if rest.starts_with(':') {
                    i += 3;
                } else if let Some(inner) = rest.strip_prefix("-u:") {
                    let close = inner.find(')');
                    let open = inner.find('(');
                    match (close, open) {
                        (Some(c), Some(o)) if o < c => return false,
                        (Some(_), _) => i += 5,
                        (None, _) => return false,
                    }
                } else {
                    return false;
                }
            }
            _ => i += 1,
        }
    }
    true
}

/// Which tree of a pattern [`Recipe::tree`] builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tree {
    /// Without the leading `(?i)`: the tree [`crate::pack::LazyRegex`] extracts literals from.
    Literals,
    /// The tree a parse of the whole pattern gives.
    Parsed,
    /// The parsed tree fitted to normalised text ([`super::fit`]): the one the regex compiles
    /// from.
    Run,
    /// The [`Tree::Run`] tree of a case-insensitive pattern for the lowercased copy of that text
    /// (see `lowercase`), when there is one: the one the regex compiles from then.
    Lowered,
}

/// How a part is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Mode {
    fold_case: bool,
    fit: bool,
    lower: bool,
}

fn parse(text: &str, mode: Mode) -> Option<Hir> {
    let hir = match mode.lower {
        true => super::lowercase::parse(text)?,
        false => regex_syntax::ParserBuilder::new()
            .case_insensitive(mode.fold_case)
            .build()
            .parse(text)
            .ok()?,
    };
    Some(match mode.fit {
        true => super::fit::to_normalised_text(&hir),
        false => hir,
    })
}

type Cache = Mutex<HashMap<(Mode, Arc<str>), Arc<OnceLock<Option<Arc<Hir>>>>>>;

/// Every part's tree, parsed (and fitted) once per process: a part's text alone decides its tree.
fn cached(text: &str, mode: Mode) -> Option<Arc<Hir>> {
    static TREES: OnceLock<Cache> = OnceLock::new();
    let cell = {
        let mut map = TREES
            .get_or_init(Cache::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.entry((mode, Arc::from(text))).or_default().clone()
    };
    // Parsed outside the lock; a second thread wanting the same part waits for this one.
    cell.get_or_init(|| parse(text, mode).map(Arc::new)).clone()
}

/// The hole number of `hir` when it is a hole (a group holding one hole character).
fn hole_of(hir: &Hir) -> Option<usize> {
    let HirKind::Capture(cap) = hir.kind() else {
        return None;
    };
    let HirKind::Literal(lit) = cap.sub.kind() else {
        return None;
    };
    let s = std::str::from_utf8(&lit.0).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    let n = (c as u32).checked_sub(HOLE_BASE)?;
    (chars.next().is_none() && n < MAX_HOLES).then_some(n as usize)
}

/// `hir` with every hole replaced by its part, rebuilt with the smart constructors so that it
/// is simplified as the parser would. `None` when a hole number has no part; `filled` counts the
/// holes found (a hole written inside a class is not one, and the caller then has no tree).
fn fill(hir: Hir, parts: &[Arc<Hir>], filled: &mut usize) -> Option<Hir> {
    if let Some(n) = hole_of(&hir) {
        *filled += 1;
        return Some((**parts.get(n)?).clone());
    }
    Some(match hir.into_kind() {
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(fill(*cap.sub, parts, filled)?),
            ..cap
        }),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(fill(*rep.sub, parts, filled)?),
            ..rep
        }),
        HirKind::Concat(subs) => Hir::concat(
            subs.into_iter()
                .map(|s| fill(s, parts, filled))
                .collect::<Option<_>>()?,
        ),
        HirKind::Alternation(subs) => Hir::alternation(
            subs.into_iter()
                .map(|s| fill(s, parts, filled))
                .collect::<Option<_>>()?,
        ),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipe(skeleton: &str, parts: &[&str]) -> Option<Recipe> {
        let mut text = skeleton.to_string();
        for i in 0..parts.len() {
            text = text.replacen("@", &hole(i), 1);
        }
        Recipe::new(text, parts.iter().map(|p| Arc::from(*p)).collect(), false)
    }

    fn whole(skeleton: &str, parts: &[&str], fold: bool) -> Hir {
        let mut text = skeleton.to_string();
        for p in parts {
            text = text.replacen("@", &format!("(?:{p})"), 1);
        }
        let text = if fold {
            text
        } else {
            text.strip_prefix("(?i)").unwrap_or(&text).to_string()
        };
        regex_syntax::Parser::new().parse(&text).unwrap()
    }

    #[test]
    fn a_filled_skeleton_is_the_tree_of_the_whole_pattern() {
        let cases: &[(&str, &[&str])] = &[
            (
                r"(?i)(?-u:\b{start-half})(?:@r\s+@)(?-u:\b{end-half})",
                &["you|u", "size|waist"],
            ),
            (r"(?i)abc@def", &["xyz"]),
            (r"(?i)a|@|b", &["c"]),
            (r"(?i)(?:@\s+)?spent", &["you|your"]),
            (r"(?i)x@{1,2}", &["[ab]|cd"]),
            (r"plain @ and @", &["one", "t(w)o"]),
        ];
        for (skeleton, parts) in cases {
            let r = recipe(skeleton, parts).expect(skeleton);
            for (tree, fold) in [(Tree::Literals, false), (Tree::Parsed, true)] {
                assert_eq!(
                    r.tree(tree).unwrap(),
                    whole(skeleton, parts, fold),
                    "{skeleton} fold={fold}"
                );
            }
            // The tree to run is the parsed one, fitted as a whole.
            let fitted = super::super::fit::to_normalised_text(&whole(skeleton, parts, true));
            assert_eq!(r.tree(Tree::Run).unwrap(), fitted, "{skeleton}");
        }
    }

    #[test]
    fn holes_that_cannot_be_told_apart_give_no_tree() {
        // Flags that would reach into a hole, or a hole inside a class: no recipe or no tree.
        assert!(recipe(r"(?i)(?s)x@", &["a.b"]).is_none());
        assert!(recipe(r"(?i)(?-i:x@)", &["a"]).is_none());
        assert!(recipe(r"(?i)[@]", &["a"])
            .and_then(|r| r.tree(Tree::Literals))
            .is_none());
        // A part that does not parse alone (unbalanced) gives no tree.
        assert!(recipe(r"x@y", &["a)|(b"])
            .and_then(|r| r.tree(Tree::Literals))
            .is_none());
    }
}
