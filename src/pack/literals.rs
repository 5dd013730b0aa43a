//! Required literals of a regex: a set of strings such that every match contains at least one.
//!
//! The engine searches all of them at once with Aho-Corasick and runs a pattern's own regex only in
//! segments holding a literal of each of its sets. Literals are lowercased ASCII-wise and searched
//! ASCII-case-insensitively, so they may only ever widen the candidates, never narrow them: when in
//! doubt a pattern gets no literals and always runs.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use std::collections::HashSet;

/// The most strings an exact set may hold before it is given up (products grow fast).
const MAX_EXACT: usize = 64;
/// The most strings a required set may hold: enough for the largest lexicon's terms, whose set
/// keeps a frame crossed with it from running wherever the frame's own words occur.
const MAX_REQUIRED: usize = 4096;
/// The most characters a class may hold to count as a few alternative literals.
const MAX_CLASS: usize = 8;

/// Sets of literals such that every match of the regex contains a literal of each set (a
/// conjunction of alternatives), best first, at most `max_sets` of them, each literal at least
/// `min_len` bytes long (one less in a set of more than [`MAX_EXACT`] strings: a lexicon's
/// hundreds of terms with an abbreviation such as "bv" among them still occur in few segments).
/// Empty when no useful set exists: the pattern must always run.
pub fn required(hir: &Hir, min_len: usize, max_sets: usize) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = info(hir)
        .conjunction()
        .into_iter()
        .filter(|s| shortest(s) >= min_len || (s.len() > MAX_EXACT && shortest(s) + 1 >= min_len))
        .collect();
    sets.sort_by_key(|s| (std::cmp::Reverse(shortest(s)), s.len()));
    sets.dedup();
    sets.truncate(max_sets);
    sets
}

/// The most byte sets a pattern keeps (see [`required_bytes`]).
const MAX_BYTE_SETS: usize = 3;

/// Bytes that occur in nearly every sentence of copy: a byte set holding one rules out nothing.
const COMMON_BYTES: &[u8] = b".,'-";

/// Sets of bytes such that every match of `hir` holds a byte of each set: the punctuation, digits
/// and symbols a match needs (the "?" of a question, a digit of an amount, "$" or "£"), at most
/// [`MAX_BYTE_SETS`], fewest bytes first. Letters and spaces are never used: they occur
/// everywhere, and a letter has two cases. A segment that lacks every byte of one set holds no
/// match; telling that is one pass over its bytes, where the pattern's own automaton would scan
/// the whole segment.
pub fn required_bytes(hir: &Hir) -> Vec<Vec<u8>> {
    let mut sets: Vec<ByteSet> = byte_sets(hir);
    sets.sort_by_key(|s| (s.len(), s.0));
    sets.dedup();
    sets.truncate(MAX_BYTE_SETS);
    sets.into_iter().map(ByteSet::bytes).collect()
}

/// A set of bytes as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    /// The set of `bytes`.
    pub fn of(bytes: &[u8]) -> ByteSet {
        let mut set = ByteSet::default();
        bytes.iter().for_each(|&b| set.add(b));
        set
    }

    /// Whether the two sets share a byte.
    pub fn meets(&self, other: &ByteSet) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    fn add(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn has(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn len(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    fn union(&mut self, other: &ByteSet) {
        self.0.iter_mut().zip(other.0).for_each(|(a, b)| *a |= b);
    }

    fn is_common(&self) -> bool {
        COMMON_BYTES.iter().any(|&b| self.has(b))
    }

    fn bytes(self) -> Vec<u8> {
        (0..=255u8).filter(|&b| self.has(b)).collect()
    }
}

/// The most characters a class may hold to give a byte set.
const MAX_BYTE_CLASS: u32 = 64;

/// The byte sets of `hir` (see [`required_bytes`]), none holding a common byte.
fn byte_sets(hir: &Hir) -> Vec<ByteSet> {
    let one = |set: ByteSet| match set.len() > 0 && !set.is_common() {
        true => vec![set],
        false => Vec::new(),
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        // Every byte of a literal is in the match: each rare one is a set of its own.
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(text) => text
                .chars()
                .filter_map(rare_byte)
                .flat_map(|b| one(ByteSet::of(&[b])))
                .collect(),
            Err(_) => Vec::new(),
        },
        HirKind::Class(Class::Unicode(class)) => {
            let count: u32 = class.ranges().iter().map(|r| r.len() as u32).sum();
            if count > MAX_BYTE_CLASS {
                return Vec::new();
            }
            let mut set = ByteSet::default();
            for c in class.iter().flat_map(|r| r.start()..=r.end()) {
                match rare_byte(c) {
                    Some(b) => set.add(b),
                    None => return Vec::new(),
                }
            }
            one(set)
        }
        HirKind::Class(Class::Bytes(_)) => Vec::new(),
        HirKind::Capture(cap) => byte_sets(&cap.sub),
        HirKind::Repetition(rep) if rep.min == 0 => Vec::new(),
        HirKind::Repetition(rep) => byte_sets(&rep.sub),
        HirKind::Concat(parts) => parts.iter().flat_map(byte_sets).collect(),
        // Every branch must give a set: a match holds a byte of the union of their best.
        HirKind::Alternation(alts) => {
            let mut union = ByteSet::default();
            for alt in alts {
                match byte_sets(alt).into_iter().min_by_key(ByteSet::len) {
                    Some(best) => union.union(&best),
                    None => return Vec::new(),
                }
            }
            one(union)
        }
    }
}

/// The byte that stands for `c` in a byte set, when `c` is neither a letter nor white space and
/// has no other case: the byte itself for ASCII, the last byte of its UTF-8 form otherwise.
fn rare_byte(c: char) -> Option<u8> {
    if c.is_ascii_punctuation() || c.is_ascii_digit() {
        return u8::try_from(c).ok();
    }
    let uncased = c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]);
    if c.is_ascii() || c.is_alphabetic() || c.is_whitespace() || !uncased {
        return None;
    }
    let mut buf = [0; 4];
    c.encode_utf8(&mut buf).as_bytes().last().copied()
}

/// The most start literals a pattern may have; past this its matches are found by scanning.
const MAX_STARTS: usize = 64;

/// Where a regex's matches can start: at an occurrence of one of `literals` (ASCII lowercase,
/// to be searched ASCII-case-insensitively), and, when `word_start` holds, only where the byte
/// before is not an ASCII word byte.
///
/// A whole-word pattern that opens a sentence, `\b{start-half}(?:^|\S*[.!?:]\s+)...`, has no
/// start literal: `\S*` may begin anywhere. Its matches still begin at the start of the text
/// (`at_text_start`), or within the run of non-spaces that holds one of `rewind` (the run before
/// the punctuation), where the byte before is not a word byte: the engine searches from those
/// places.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Starts {
    /// The shortest prefixes every match begins with; none is a prefix of another.
    pub literals: Vec<String>,
    /// Every match begins at the start of a word.
    pub word_start: bool,
    /// Literals that follow a run of non-spaces (`\S*`) at the start of a match: a match may
    /// begin at any place of that run after a byte that is not a word byte.
    pub rewind: Vec<String>,
    /// A match may begin at the start of the text (`^` at the start of the pattern).
    pub at_text_start: bool,
}

/// Stands for a leading `\S*` in the tree the start literals are taken from.
const RUN_MARK: char = '\u{F8FE}';
/// Stands for a leading `^` (start of the text) in that tree.
const TEXT_START_MARK: char = '\u{F8FF}';

/// The literals every match of `hir` begins with, when there are a few and none is empty.
///
/// With them the engine runs a pattern anchored at each place one occurs instead of scanning the
/// whole segment: most patterns begin with "you", and an anchored search fails within a word or
/// two. Like [`required`], the literals may only widen the places searched, never narrow them.
pub fn starts(hir: &Hir) -> Option<Starts> {
    if let Some(literals) = prefixes(hir) {
        let word_start = begins_at_word_start(hir, &literals);
        return Some(Starts {
            literals,
            word_start,
            rewind: Vec::new(),
            at_text_start: false,
        });
    }
    sentence_starts(hir)
}

/// The shortest prefix literals of `hir`, when there are a few and none is empty.
fn prefixes(hir: &Hir) -> Option<Vec<String>> {
    let shortest = keep_shortest(extract_prefixes(hir)?);
    (shortest.len() <= MAX_STARTS).then_some(shortest)
}

/// Every prefix literal of `hir`, folded and lowercased; `None` when they are not known or one
/// is empty (a match may begin anywhere).
fn extract_prefixes(hir: &Hir) -> Option<Vec<String>> {
    // Case-insensitive groups (`(?i:several)`) multiply the literals by every case variant; they
    // collapse again once lowercased, so allow many before giving up.
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_total(4096)
        .extract(hir);
    let literals: Vec<String> = seq
        .literals()?
        .iter()
        .map(|lit| {
            std::str::from_utf8(lit.as_bytes())
                .ok()
                .map(|s| fold(s).to_ascii_lowercase())
        })
        .collect::<Option<_>>()?;
    if literals.is_empty() || literals.iter().any(String::is_empty) {
        return None;
    }
    Some(literals)
}

/// `literals` sorted, without duplicates and without those that begin with another one.
fn keep_shortest(mut literals: Vec<String>) -> Vec<String> {
    literals.sort();
    literals.dedup();
    // Sorted, the literals that begin with another follow it directly: keep the shortest.
    let mut shortest: Vec<String> = Vec::new();
    for lit in literals {
        if !shortest
            .last()
            .is_some_and(|kept| lit.starts_with(kept.as_str()))
        {
            shortest.push(lit);
        }
    }
    shortest
}

/// The starts of a whole-word pattern (one opening with `\b{start-half}`) whose matches may begin
/// with a run of non-spaces or at the start of the text: the prefixes of its tree with `\S*` and
/// `^` replaced by marks (see [`Starts`]).
fn sentence_starts(hir: &Hir) -> Option<Starts> {
    let opens_whole_word = match hir.kind() {
        HirKind::Concat(parts) => parts
            .first()
            .is_some_and(|p| matches!(p.kind(), HirKind::Look(Look::WordStartHalfAscii))),
        _ => false,
    };
    // Most patterns hold no run: they are not copied to find out.
    if !opens_whole_word || !holds_run(hir) {
        return None;
    }
    let mut marked = false;
    let tree = mark_runs(hir, &mut marked)?;
    if !marked {
        return None;
    }
    let mut starts = Starts {
        literals: Vec::new(),
        word_start: false,
        rewind: Vec::new(),
        at_text_start: false,
    };
    for lit in extract_prefixes(&tree)? {
        if lit.starts_with(TEXT_START_MARK) {
            starts.at_text_start = true;
        } else if let Some(rest) = lit.strip_prefix(RUN_MARK) {
            // What follows the run, up to any later mark (the literal is a prefix either way).
            let rest = rest.split([RUN_MARK, TEXT_START_MARK]).next().unwrap_or("");
            if rest.is_empty() {
                return None;
            }
            starts.rewind.push(rest.to_string());
        } else {
            let plain = lit.split([RUN_MARK, TEXT_START_MARK]).next().unwrap_or("");
            if plain.is_empty() {
                return None;
            }
            starts.literals.push(plain.to_string());
        }
    }
    starts.literals = keep_shortest(starts.literals);
    starts.rewind = keep_shortest(starts.rewind);
    (starts.literals.len() + starts.rewind.len() <= MAX_STARTS).then_some(starts)
}

/// `hir` with every `\S*` replaced by [`RUN_MARK`] and every `^` (start of the text) by
/// [`TEXT_START_MARK`]; `None` when the tree holds a mark character already.
fn mark_runs(hir: &Hir, marked: &mut bool) -> Option<Hir> {
    use regex_syntax::hir::{Capture, Repetition};
    let mark = |c: char, marked: &mut bool| {
        *marked = true;
        Some(Hir::literal(c.to_string().into_bytes()))
    };
    match hir.kind() {
        HirKind::Look(Look::Start) => mark(TEXT_START_MARK, marked),
        HirKind::Repetition(rep) if rep.min == 0 && rep.max.is_none() && is_non_space(&rep.sub) => {
            mark(RUN_MARK, marked)
        }
        HirKind::Literal(lit) => {
            let text = String::from_utf8_lossy(&lit.0);
            (!text.contains([RUN_MARK, TEXT_START_MARK])).then(|| hir.clone())
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => Some(hir.clone()),
        HirKind::Capture(cap) => Some(Hir::capture(Capture {
            sub: Box::new(mark_runs(&cap.sub, marked)?),
            ..cap.clone()
        })),
        HirKind::Repetition(rep) => Some(Hir::repetition(Repetition {
            sub: Box::new(mark_runs(&rep.sub, marked)?),
            ..rep.clone()
        })),
        HirKind::Concat(parts) => Some(Hir::concat(
            parts
                .iter()
                .map(|p| mark_runs(p, marked))
                .collect::<Option<_>>()?,
        )),
        HirKind::Alternation(parts) => Some(Hir::alternation(
            parts
                .iter()
                .map(|p| mark_runs(p, marked))
                .collect::<Option<_>>()?,
        )),
    }
}

/// True when `hir` holds a `\S*` or a `^`.
fn holds_run(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::Start) => true,
        HirKind::Repetition(rep) if rep.min == 0 && rep.max.is_none() && is_non_space(&rep.sub) => {
            true
        }
        HirKind::Repetition(rep) => holds_run(&rep.sub),
        HirKind::Capture(cap) => holds_run(&cap.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(holds_run),
        _ => false,
    }
}

/// True when `hir` is `\S` (Unicode: every character but the white space ones).
fn is_non_space(hir: &Hir) -> bool {
    static NON_SPACE: std::sync::OnceLock<Hir> = std::sync::OnceLock::new();
    let non_space = NON_SPACE.get_or_init(|| {
        regex_syntax::Parser::new()
            .parse(r"\S")
            .expect("`\\S` parses")
    });
    hir == non_space
}

/// `s` with the characters that fold to ASCII letters replaced by those letters.
fn fold(s: &str) -> String {
    s.chars().map(ascii_fold).collect()
}

/// True when every match of `hir` begins where the byte before is not an ASCII word byte: it
/// opens with a word-start assertion, or with `\b` before literals that begin with a word byte.
fn begins_at_word_start(hir: &Hir, literals: &[String]) -> bool {
    match hir.kind() {
        HirKind::Look(look) => match look {
            Look::WordStartAscii
            | Look::WordStartHalfAscii
            | Look::WordStartUnicode
            | Look::WordStartHalfUnicode => true,
            Look::WordAscii | Look::WordUnicode => literals
                .iter()
                .all(|l| l.as_bytes().first().is_some_and(|b| is_word_byte(*b))),
            _ => false,
        },
        HirKind::Capture(cap) => begins_at_word_start(&cap.sub, literals),
        HirKind::Concat(parts) => parts
            .first()
            .is_some_and(|first| begins_at_word_start(first, literals)),
        HirKind::Alternation(alts) => alts.iter().all(|a| begins_at_word_start(a, literals)),
        _ => false,
    }
}

/// An ASCII letter, digit or underscore: what `(?-u:\w)` matches.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `c`, or the ASCII letter it folds to when it is one of the two characters that match an ASCII
/// letter under Unicode case folding although they are not ASCII (`ſ` and `s`, the Kelvin sign and
/// `k`): a pattern's literal holding one is searched as its letter. (Copy never holds them:
/// normalisation turns them into their letters.)
fn ascii_fold(c: char) -> char {
    match c {
        '\u{17F}' => 's',
        '\u{212A}' => 'k',
        c => c,
    }
}

/// True when a literal or a small class of `hir` holds a non-ASCII letter that has another case
/// (`é`): its literals depend on Unicode case folding, so it must be parsed case-insensitively.
pub fn has_cased_non_ascii(hir: &Hir) -> bool {
    let cased = |c: char| !c.is_ascii() && c.to_lowercase().ne(c.to_uppercase());
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => String::from_utf8_lossy(&lit.0).chars().any(cased),
        HirKind::Class(Class::Unicode(u)) => {
            let count: usize = u
                .ranges()
                .iter()
                .map(|r| r.end() as usize - r.start() as usize + 1)
                .sum();
            count <= MAX_CLASS && u.ranges().iter().any(|r| (r.start()..=r.end()).any(cased))
        }
        HirKind::Class(Class::Bytes(_)) => false,
        HirKind::Capture(cap) => has_cased_non_ascii(&cap.sub),
        HirKind::Repetition(rep) => has_cased_non_ascii(&rep.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().any(has_cased_non_ascii)
        }
    }
}

#[derive(Debug, Default)]
struct Info {
    /// The complete language of the node, when it is a small finite set of strings.
    exact: Option<Vec<String>>,
    /// Sets of strings; every match contains one string of each set.
    all: Vec<Vec<String>>,
}

impl Info {
    fn exact(set: Vec<String>) -> Info {
        Info {
            exact: Some(set),
            all: Vec::new(),
        }
    }

    fn none() -> Info {
        Info::default()
    }

    /// Every set a match must hit, the exact language included.
    fn conjunction(self) -> Vec<Vec<String>> {
        let mut all = self.all;
        if let Some(exact) = self.exact {
            all.push(exact);
        }
        all.retain(|s| !s.is_empty() && shortest(s) > 0);
        all
    }

    /// The most selective single set known for the node.
    fn best(self) -> Option<Vec<String>> {
        let mut best = None;
        for set in self.conjunction() {
            consider(&mut best, set);
        }
        best
    }
}

fn shortest(set: &[String]) -> usize {
    set.iter().map(String::len).min().unwrap_or(0)
}

/// Keeps the better of two sets: longer shortest literal first (short literals occur
/// everywhere), then fewer strings.
fn consider(best: &mut Option<Vec<String>>, candidate: Vec<String>) {
    let better = match best {
        None => true,
        Some(b) => {
            let (cs, bs) = (shortest(&candidate), shortest(b));
            cs > bs || (cs == bs && candidate.len() < b.len())
        }
    };
    if better {
        *best = Some(candidate);
    }
}

fn info(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info::exact(vec![String::new()]),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => Info::exact(vec![s.to_ascii_lowercase()]),
            Err(_) => Info::none(),
        },
        HirKind::Class(class) => class_strings(class).map_or_else(Info::none, Info::exact),
        HirKind::Capture(cap) => info(&cap.sub),
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                return Info::none();
            }
            let sub = info(&rep.sub);
            if rep.min == 1 && rep.max == Some(1) {
                return sub;
            }
            Info {
                exact: None,
                all: sub.conjunction(),
            }
        }
        HirKind::Alternation(alts) => alternation(alts),
        HirKind::Concat(parts) => concat(parts),
    }
}

/// The strings a small class matches, lowercased and deduplicated.
fn class_strings(class: &Class) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |c: char| {
        let c = ascii_fold(c).to_ascii_lowercase();
        let s = c.to_string();
        if !out.contains(&s) {
            out.push(s);
        }
    };
    match class {
        Class::Unicode(u) => {
            let count: usize = u
                .ranges()
                .iter()
                .map(|r| r.end() as usize - r.start() as usize + 1)
                .sum();
            if count > MAX_CLASS {
                return None;
            }
            for r in u.ranges() {
                for c in r.start()..=r.end() {
                    add(c);
                }
            }
        }
        Class::Bytes(b) => {
            let count: usize = b
                .ranges()
                .iter()
                .map(|r| r.end() as usize - r.start() as usize + 1)
                .sum();
            if count > MAX_CLASS || b.ranges().iter().any(|r| r.end() >= 0x80) {
                return None;
            }
            for r in b.ranges() {
                for byte in r.start()..=r.end() {
                    add(char::from(byte));
                }
            }
        }
    }
    Some(out)
}

fn alternation(alts: &[Hir]) -> Info {
    let infos: Vec<Info> = alts.iter().map(info).collect();
    if infos.iter().all(|i| i.exact.is_some()) {
        let mut set: Vec<String> = Vec::new();
        // Past MAX_EXACT strings the set is given up: stop there (a lexicon's alternation holds
        // hundreds of terms, and each is compared with every one kept).
        'union: for i in &infos {
            for s in i.exact.iter().flatten() {
                if !set.contains(s) {
                    set.push(s.clone());
                    if set.len() > MAX_EXACT {
                        break 'union;
                    }
                }
            }
        }
        if set.len() <= MAX_EXACT {
            return Info::exact(set);
        }
    }
    // Every branch must contribute a set, or a match may contain none of them.
    let mut required: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for i in infos {
        let Some(set) = i.best() else {
            return Info::none();
        };
        for s in set {
            if seen.insert(s.clone()) {
                required.push(s);
            }
        }
        if required.len() > MAX_REQUIRED {
            return Info::none();
        }
    }
    Info {
        exact: None,
        all: vec![required],
    }
}

fn concat(parts: &[Hir]) -> Info {
    // `run` is the product of the adjacent exact parts seen since the last inexact one.
    let mut run: Vec<String> = vec![String::new()];
    let mut all_exact = true;
    let mut all = Vec::new();
    for part in parts {
        let i = info(part);
        match i.exact {
            Some(set) if run.len() * set.len() <= MAX_EXACT => {
                // Every `a` then `b`, in that order (sized once: this runs for every literal of
                // every pattern at start-up).
                let mut product = Vec::with_capacity(run.len() * set.len());
                for a in &run {
                    for b in &set {
                        let mut ab = String::with_capacity(a.len() + b.len());
                        ab.push_str(a);
                        ab.push_str(b);
                        product.push(ab);
                    }
                }
                run = product;
                all.extend(i.all);
            }
            Some(set) => {
                all_exact = false;
                all.push(std::mem::replace(&mut run, set));
                all.extend(i.all);
            }
            None => {
                all_exact = false;
                all.push(std::mem::replace(&mut run, vec![String::new()]));
                all.extend(i.all);
            }
        }
    }
    if all_exact {
        return Info {
            exact: Some(run),
            all,
        };
    }
    all.push(run);
    Info { exact: None, all }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_of(pattern: &str) -> Vec<Vec<u8>> {
        required_bytes(&regex_syntax::Parser::new().parse(pattern).unwrap())
    }

    #[test]
    fn required_bytes_are_the_punctuation_digits_and_symbols_every_match_holds() {
        // A question's "?"; the amount's currency signs (the last byte of "£" and "€").
        assert_eq!(
            bytes_of(r"(?i)still\s+\w+\s+again\s*\?"),
            vec![b"?".to_vec()]
        );
        assert_eq!(
            bytes_of(r"(?i)(?:[$£€])[0-9]+ on \w+"),
            vec![vec![b'$', 0xA3, 0xAC], b"0123456789".to_vec()]
        );
        // Fewest bytes first: the "?" before the digits.
        let both = bytes_of(r"(?i)(?:at|by)\s+[0-9]{1,2}\s*(?:am|pm)\?");
        assert_eq!(both, vec![b"?".to_vec(), b"0123456789".to_vec()]);
        // A branch with a word of letters only, a common byte, or a cased letter gives no set.
        assert_eq!(bytes_of(r"(?i)(?:\$|dollars)\s*5"), vec![b"5".to_vec()]);
        assert!(bytes_of(r"(?i)you\.\s+again").is_empty());
        assert!(bytes_of(r"(?i)ⓐ\s+again").is_empty());
        assert!(bytes_of(r"(?i)you\s+again").is_empty());
    }

    fn lits(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
        let sets = required(&hir, 3, 1);
        sets.into_iter().next().map(|mut v| {
            v.sort();
            v
        })
    }

    #[test]
    fn picks_the_most_selective_run_of_literals() {
        assert_eq!(
            lits(r"(?i)\b(?:you|u)\s+(?:spent|paid)\s+[0-9]+"),
            Some(vec!["paid".to_string(), "spent".to_string()])
        );
        assert_eq!(lits(r"(?i)credit\s+score"), Some(vec!["credit".into()]));
    }

    #[test]
    fn optional_parts_and_short_literals_give_nothing() {
        assert_eq!(lits(r"(?:spent)?\s+\d+"), None);
        assert_eq!(lits(r"(?:you|u)\s+\w+"), None);
        // A suffix after an open class still counts.
        assert_eq!(lits(r"\w+ing"), Some(vec!["ing".into()]));
    }

    #[test]
    fn a_lexicon_sized_set_may_hold_an_abbreviation_one_byte_short() {
        // Hundreds of terms and "bv": the set stands (a short word in a long list occurs in few
        // segments); ten terms and "bv" give none, as any small set with a short literal.
        // Terms without a common prefix, so that the parser cannot factor one out.
        let terms = |n: usize| {
            (0..n)
                .map(|i| {
                    let (a, b, c) = (i % 26, i / 26 % 26, i / 676 % 26);
                    [a, b, c, 7, 4]
                        .iter()
                        .map(|&k| (b'a' + k as u8) as char)
                        .collect()
                })
                .collect::<Vec<String>>()
        };
        let lexicon_set = |n: usize| {
            let pattern = format!(r"(?:{}|bv)\s+\d", terms(n).join("|"));
            let hir = regex_syntax::Parser::new().parse(&pattern).unwrap();
            required(&hir, 3, 3).into_iter().find(|s| s.len() > 1)
        };
        let set = lexicon_set(300).expect("a set of the lexicon's terms");
        assert_eq!(set.len(), 301);
        assert!(set.contains(&"bv".to_string()));
        assert_eq!(lexicon_set(10), None);
        // A lexicon past the limit gives no set at all rather than a partial one.
        assert_eq!(lexicon_set(MAX_REQUIRED + 1), None);
    }

    #[test]
    fn every_branch_of_an_alternation_must_contribute() {
        assert_eq!(
            lits(r"spent\s+\d|\d+\s+bought"),
            Some(vec!["bought".into(), "spent".into()])
        );
        assert_eq!(lits(r"spent\s+\d|\d+"), None);
    }

    #[test]
    fn case_insensitive_classes_fold_to_one_lowercase_literal() {
        // `(?i)k` is [Kk\u{212A}] and `(?i)s` is [Ss\u{17F}]: both fold to one ASCII literal.
        assert_eq!(lits(r"(?i)kiss"), Some(vec!["kiss".into()]));
        // Non-ASCII letters keep both cases: the search folds ASCII only.
        assert_eq!(lits("(?i)café"), Some(vec!["cafÉ".into(), "café".into()]));
    }

    #[test]
    fn a_concatenation_requires_each_of_its_parts() {
        let hir = regex_syntax::Parser::new()
            .parse(r"(?i)(?:you|u)\s+(?:spent|paid)\s+[0-9]+\s+on\s+(?:shoes|boots)")
            .unwrap();
        let sets = required(&hir, 3, 3);
        let sorted: Vec<Vec<&str>> = sets
            .iter()
            .map(|s| {
                let mut v: Vec<&str> = s.iter().map(String::as_str).collect();
                v.sort();
                v
            })
            .collect();
        assert_eq!(sorted, vec![vec!["boots", "shoes"], vec!["paid", "spent"]]);
    }

    fn starts_of(pattern: &str) -> Option<Starts> {
        starts(&regex_syntax::Parser::new().parse(pattern).unwrap())
    }

    #[test]
    fn starts_are_the_shortest_prefixes_of_every_match() {
        let s = starts_of(r"(?-u:\b{start-half})(?:you|your|you're|u|ur)\s+spent").unwrap();
        assert_eq!(s.literals, vec!["u".to_string(), "you".to_string()]);
        assert!(s.word_start);
        let s = starts_of(r"(?:Spent|paid)\s+\d+").unwrap();
        assert_eq!(s.literals, vec!["paid".to_string(), "spent".to_string()]);
        assert!(!s.word_start);
    }

    #[test]
    fn a_pattern_that_may_begin_anywhere_has_no_starts() {
        assert_eq!(starts_of(r"\w+\s+spent"), None);
        assert_eq!(starts_of(r"(?:you\s+)?spent"), starts_of(r"(?:you|spent)"));
        assert_eq!(starts_of(r"(?:you)?\s*spent|\d"), None);
    }

    #[test]
    fn a_plain_word_boundary_counts_only_before_a_word_byte() {
        assert!(starts_of(r"\b(?:you|your)").unwrap().word_start);
        assert!(!starts_of(r"\b(?:you|\$)").unwrap().word_start);
        assert!(!starts_of(r"\b{end-half}you").unwrap().word_start);
    }

    #[test]
    fn case_insensitive_groups_give_their_lowercase_starts() {
        let s = starts_of(r"(?i:[0-9]+|several|hundreds)\s+of").unwrap();
        assert_eq!(s.literals.len(), 12, "{s:?}");
        assert!(s.literals.contains(&"hundreds".to_string()));
    }

    #[test]
    fn sentence_starts_begin_in_the_run_before_the_stop_or_at_the_text_start() {
        let p = r"(?-u:\b{start-half})(?:(?:^|\S*[.!?:]\s+)(?:still\s+)?pregnant)";
        let s = starts_of(p).unwrap();
        assert_eq!(s.rewind, ["!", ".", ":", "?"]);
        assert!(
            s.literals.is_empty() && s.at_text_start && !s.word_start,
            "{s:?}"
        );
        // Another branch keeps its own literals; what follows `^` needs no literal of its own.
        let p = r"(?-u:\b{start-half})(?:^|\S*[.!?]\s+|dear\s+)(?:\w+\s+)?pregnant";
        let s = starts_of(p).unwrap();
        assert_eq!(
            (s.literals.as_slice(), s.rewind.len()),
            (&["dear".to_string()][..], 3)
        );
        assert!(s.at_text_start);
        // Without the whole-word edge a match may begin anywhere in the run: no starts.
        assert_eq!(starts_of(r"(?:^|\S*[.!?]\s+)pregnant"), None);
        // A run that can end anywhere (`\S*\s+`) gives no literal after it.
        assert_eq!(starts_of(r"(?-u:\b{start-half})(?:^|\S*\s+)pregnant"), None);
    }

    #[test]
    fn characters_that_fold_to_ascii_start_as_their_letter() {
        let s = starts_of("(?i)(?-u:\\b{start-half})kiss").unwrap();
        assert!(s.literals.iter().all(|l| l.starts_with('k')), "{s:?}");
    }

    #[test]
    fn field_placeholders_yield_their_kind() {
        let p = "(?i)\\x{E000}[^\\x{E001}]*,money,[^\\x{E001}]*\\x{E001}";
        assert_eq!(lits(p), Some(vec![",money,".into()]));
    }
}
