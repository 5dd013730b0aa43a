//! Turning copy into the features the model weighs: word tokens, with sums of money, clock times,
//! numbers and merge fields as classes of their own, then single tokens, the letter n-grams of each
//! word and pairs of neighbours, hashed into a fixed number of buckets.
//!
//! Training and scoring both go through [`features`], so a model always sees copy the way it was
//! trained on it.

use crate::source::segment::{FIELD_CLOSE, FIELD_OPEN};

/// log2 of the number of hash buckets.
pub const DIM_BITS: u32 = 18;

/// The number of hash buckets a feature can fall in.
pub const DIM: usize = 1 << DIM_BITS;

/// A token that stands for a class of words rather than a word.
pub const MONEY: &str = "#money";
/// A clock time: `14:05`, `6am`, `5.15 pm`.
pub const TIME: &str = "#time";
/// Any other number.
pub const NUMBER: &str = "#num";
/// A question mark: short questions pin states on readers ("Overdrawn again?").
pub const QUESTION: &str = "#q";
/// A merge field; its kinds follow as `#f:KIND` tokens.
pub const FIELD: &str = "#field";

const CURRENCY: [char; 5] = ['$', '£', '€', '¥', '₹'];

/// The tokens of a text in order, each with the byte offset in the text where it starts. The
/// token strings share one buffer, so tokenising a long segment allocates twice, not per word.
#[derive(Debug, Default)]
pub struct Tokens {
    arena: String,
    /// (offset in the text, start and end in `arena`).
    spans: Vec<(usize, u32, u32)>,
}

impl Tokens {
    /// Tokenises `text`.
    pub fn of(text: &str) -> Tokens {
        let mut t = Tokens {
            arena: String::with_capacity(text.len()),
            spans: Vec::with_capacity(text.len() / 5),
        };
        t.scan(text);
        t
    }

    /// How many tokens there are.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Token `i`.
    pub fn get(&self, i: usize) -> &str {
        let (_, a, b) = self.spans[i];
        &self.arena[a as usize..b as usize]
    }

    /// Where token `i` starts in the text.
    pub fn offset(&self, i: usize) -> usize {
        self.spans[i].0
    }

    /// The tokens that start inside `bytes` of the text, as a range of token indices.
    pub fn within(&self, bytes: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let from = self.spans.partition_point(|s| s.0 < bytes.start);
        let to = self.spans.partition_point(|s| s.0 < bytes.end);
        from..to
    }

    fn push(&mut self, at: usize, token: &str) {
        let a = self.arena.len() as u32;
        self.arena.push_str(token);
        self.spans.push((at, a, self.arena.len() as u32));
    }

    fn scan(&mut self, text: &str) {
        let b = text.as_bytes();
        let n = b.len();
        let digit_at = |j: usize| j < n && b[j].is_ascii_digit();
        let char_at = |j: usize| text.get(j..).and_then(|r| r.chars().next());
        let mut i = 0;
        while i < n {
            let Some(c) = char_at(i) else {
                i += 1;
                continue;
            };
            let width = c.len_utf8();
            if c == FIELD_OPEN {
                self.push(i, FIELD);
                let close = text[i..].find(FIELD_CLOSE).map_or(n, |k| i + k);
                for kind in text[i + width..close].split(',').filter(|k| !k.is_empty()) {
                    let a = self.arena.len() as u32;
                    self.arena.push_str("#f:");
                    self.arena.push_str(kind);
                    self.spans.push((i, a, self.arena.len() as u32));
                }
                i = close + FIELD_CLOSE.len_utf8().min(n - close);
                continue;
            }
            if CURRENCY.contains(&c) {
                let mut j = i + width;
                if j < n && b[j] == b' ' && digit_at(j + 1) {
                    j += 1;
                }
                if digit_at(j) {
                    self.push(i, MONEY);
                    i = number_end(b, j);
                    continue;
                }
            }
            if c.is_ascii_digit() {
                let mut j = i;
                while digit_at(j) {
                    j += 1;
                }
                if j < n
                    && (b[j] == b':' || b[j] == b'.')
                    && digit_at(j + 1)
                    && digit_at(j + 2)
                    && !digit_at(j + 3)
                {
                    j += 3;
                    let k = skip_spaces(b, j);
                    self.push(i, TIME);
                    i = if am_pm_at(b, k) { k + 2 } else { j };
                    continue;
                }
                let k = skip_spaces(b, j);
                if am_pm_at(b, k) {
                    self.push(i, TIME);
                    i = k + 2;
                    continue;
                }
                self.push(i, NUMBER);
                i = number_end(b, j);
                continue;
            }
            if c.is_alphabetic() {
                let a = self.arena.len() as u32;
                let mut j = i;
                while let Some(d) = char_at(j) {
                    if d.is_alphabetic() {
                        if d.is_ascii() {
                            self.arena.push(d.to_ascii_lowercase());
                        } else {
                            self.arena.extend(d.to_lowercase());
                        }
                    } else if is_apostrophe(d)
                        && char_at(j + d.len_utf8()).is_some_and(char::is_alphabetic)
                    {
                        self.arena.push('\'');
                    } else {
                        break;
                    }
                    j += d.len_utf8();
                }
                self.spans.push((i, a, self.arena.len() as u32));
                i = j;
                continue;
            }
            if c == '?' {
                self.push(i, QUESTION);
            }
            i += width;
        }
    }
}

/// The tokens of `text`, lowercased.
pub fn tokens(text: &str) -> Vec<String> {
    let t = Tokens::of(text);
    (0..t.len()).map(|i| t.get(i).to_string()).collect()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

/// Where the number at `j` ends: digits, with single `,` or `.` between them (`1,186.40`).
fn number_end(b: &[u8], mut j: usize) -> usize {
    let digit_at = |k: usize| k < b.len() && b[k].is_ascii_digit();
    while j < b.len()
        && (b[j].is_ascii_digit() || ((b[j] == b',' || b[j] == b'.') && digit_at(j + 1)))
    {
        j += 1;
    }
    j
}

fn skip_spaces(b: &[u8], mut j: usize) -> usize {
    while j < b.len() && b[j] == b' ' {
        j += 1;
    }
    j
}

/// `am` or `pm` at `k`, not followed by a letter.
fn am_pm_at(b: &[u8], k: usize) -> bool {
    k + 1 < b.len()
        && matches!(b[k].to_ascii_lowercase(), b'a' | b'p')
        && b[k + 1].eq_ignore_ascii_case(&b'm')
        && !b.get(k + 2).is_some_and(|c| c.is_ascii_alphabetic())
}

/// The lengths of the letter n-grams taken from each word, so "overdrawn" and "overdraft", or
/// "pregnant" and "pregnancy", share features the model can weigh together.
const CHAR_GRAMS: &[usize] = &[3, 4];

/// Calls `each` with every letter n-gram of `word` marked at both ends (`<wor`, `ord>`).
fn char_grams(word: &[u8], mut each: impl FnMut(&[u8])) {
    let mut padded = [0u8; 64];
    if word.len() + 2 > padded.len() {
        return;
    }
    padded[0] = b'<';
    padded[1..=word.len()].copy_from_slice(word);
    padded[word.len() + 1] = b'>';
    let padded = &padded[..word.len() + 2];
    for &n in CHAR_GRAMS {
        for g in padded.windows(n) {
            each(g);
        }
    }
}

/// True for a word, which gets letter n-grams; false for a class token (`#money`, `#f:body`).
fn is_word(token: &str) -> bool {
    !token.starts_with('#')
}

/// The feature name of a pair of neighbouring tokens.
pub fn pair_name(first: &str, second: &str) -> String {
    format!("b:{first} {second}")
}

/// The feature names one token contributes: the token itself (`w:`) and, for a word, its letter
/// n-grams (`c:`).
pub fn word_names(token: &str) -> Vec<String> {
    let mut out = vec![format!("w:{token}")];
    if is_word(token) {
        char_grams(token.as_bytes(), |g| {
            out.push(format!("c:{}", String::from_utf8_lossy(g)))
        });
    }
    out
}

/// The feature names of a token list: each token's [`word_names`] and every pair of neighbours
/// (`b:`). [`features`] hashes the same names without building them.
pub fn names(tokens: &[String]) -> impl Iterator<Item = String> + '_ {
    let singles = tokens.iter().flat_map(|t| word_names(t));
    let pairs = tokens.windows(2).map(|p| pair_name(&p[0], &p[1]));
    singles.chain(pairs)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn mask(h: u64) -> u32 {
    (h & (DIM as u64 - 1)) as u32
}

/// The bucket a feature name falls in (FNV-1a, 64 bits, masked).
pub fn bucket(name: &str) -> u32 {
    mask(fnv(FNV_OFFSET, name.as_bytes()))
}

/// The distinct buckets of `text`, sorted: the model's input (each present feature counts once).
pub fn features(text: &str) -> Vec<u32> {
    let toks = Tokens::of(text);
    let mut out = Vec::new();
    TokenBuckets::of(&toks).unit(0..toks.len(), &mut out);
    out
}

/// The buckets of every token of a text, hashed once: the engine scores overlapping units (each
/// sentence, and a short message whole), and each unit gathers its tokens' buckets from here.
#[derive(Debug, Default)]
pub struct TokenBuckets {
    /// The buckets of token `i`'s own features (the token and its letter n-grams) are
    /// `own[starts[i]..starts[i + 1]]`.
    own: Vec<u32>,
    starts: Vec<usize>,
    /// The bucket of the pair of token `i` and token `i + 1`.
    pairs: Vec<u32>,
}

impl TokenBuckets {
    /// Hashes every token of `toks`, and every pair of neighbours.
    pub fn of(toks: &Tokens) -> TokenBuckets {
        let single = fnv(FNV_OFFSET, b"w:");
        let pair = fnv(FNV_OFFSET, b"b:");
        let chars = fnv(FNV_OFFSET, b"c:");
        let mut out = TokenBuckets {
            own: Vec::with_capacity(toks.len() * 12),
            starts: Vec::with_capacity(toks.len() + 1),
            pairs: Vec::with_capacity(toks.len()),
        };
        for i in 0..toks.len() {
            let t = toks.get(i);
            out.starts.push(out.own.len());
            out.own.push(mask(fnv(single, t.as_bytes())));
            if is_word(t) {
                char_grams(t.as_bytes(), |g| out.own.push(mask(fnv(chars, g))));
            }
            if i + 1 < toks.len() {
                let h = fnv(
                    fnv(fnv(pair, t.as_bytes()), b" "),
                    toks.get(i + 1).as_bytes(),
                );
                out.pairs.push(mask(h));
            }
        }
        out.starts.push(out.own.len());
        out
    }

    /// The distinct buckets of tokens `range`, sorted, into `out` (cleared first): each token's
    /// own, and each pair of neighbours inside the range.
    pub fn unit(&self, range: std::ops::Range<usize>, out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(&self.own[self.starts[range.start]..self.starts[range.end]]);
        if range.len() > 1 {
            out.extend_from_slice(&self.pairs[range.start..range.end - 1]);
        }
        out.sort_unstable();
        out.dedup();
    }

    /// The distinct buckets of tokens `range` like [`TokenBuckets::unit`], in the order first
    /// met rather than sorted: the engine scores every sentence, and a bit per bucket finds the
    /// repeats in one pass where sorting took half the model's time.
    pub fn unit_unordered(&self, range: std::ops::Range<usize>, out: &mut Vec<u32>) {
        thread_local! {
            static SEEN: std::cell::RefCell<Vec<u64>> = std::cell::RefCell::new(vec![0; DIM / 64]);
        }
        out.clear();
        let own = &self.own[self.starts[range.start]..self.starts[range.end]];
        let pairs = if range.len() > 1 {
            &self.pairs[range.start..range.end - 1]
        } else {
            &[][..]
        };
        SEEN.with_borrow_mut(|seen| {
            for &b in own.iter().chain(pairs) {
                let (word, bit) = (b as usize / 64, 1u64 << (b % 64));
                if seen[word] & bit == 0 {
                    seen[word] |= bit;
                    out.push(b);
                }
            }
            for &b in out.iter() {
                seen[b as usize / 64] = 0;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        tokens(s)
    }

    #[test]
    fn money_times_and_numbers_become_classes() {
        assert_eq!(
            toks("You spent £1,186.40 at 6am, 14:05 and 5.15 pm on 3 orders?"),
            [
                "you", "spent", "#money", "at", "#time", "#time", "and", "#time", "on", "#num",
                "orders", "#q"
            ]
        );
        assert_eq!(
            toks("$ 42 or 42 dollars"),
            ["#money", "or", "#num", "dollars"]
        );
        assert_eq!(toks("34DD, 6kg"), ["#num", "dd", "#num", "kg"]);
    }

    #[test]
    fn words_are_lowercased_with_their_apostrophes() {
        assert_eq!(
            toks("You\u{2019}re NOT 'alone'"),
            ["you're", "not", "alone"]
        );
    }

    #[test]
    fn a_merge_field_is_a_class_with_its_kinds() {
        let text = format!("Hi {FIELD_OPEN},reader,money,{FIELD_CLOSE} there");
        assert_eq!(
            toks(&text),
            ["hi", "#field", "#f:reader", "#f:money", "there"]
        );
    }

    #[test]
    fn features_hash_the_names_they_stand_for() {
        let text = "Your checking dipped to $14.06 at 6am?";
        let mut by_name: Vec<u32> = names(&tokens(text)).map(|n| bucket(&n)).collect();
        by_name.sort_unstable();
        by_name.dedup();
        assert_eq!(features(text), by_name);
    }

    #[test]
    fn features_are_distinct_sorted_buckets_of_tokens_letters_and_pairs() {
        let f = features("your your balance");
        // w:your, w:balance, b:your your, b:your balance, and the letter 3- and 4-grams of each
        // word: <yo you our ur> <you your our>, <ba bal ala lan anc nce ce> <bal bala alan lanc
        // ance nce>.
        assert_eq!(f.len(), 24);
        assert!(f.windows(2).all(|w| w[0] < w[1]));
        assert!(f.iter().all(|&b| (b as usize) < DIM));
        assert_eq!(bucket("w:your"), bucket("w:your"));
        assert_ne!(bucket("w:your"), bucket("w:yours"));
    }

    #[test]
    fn unordered_units_hold_the_same_buckets_as_sorted_ones() {
        let toks =
            Tokens::of("Your balance, your balance and your {{ balance }} again: $40 at 6pm?");
        let buckets = TokenBuckets::of(&toks);
        let (mut sorted, mut unordered) = (Vec::new(), Vec::new());
        for range in [0..toks.len(), 0..1, 2..7, 3..3] {
            buckets.unit(range.clone(), &mut sorted);
            buckets.unit_unordered(range.clone(), &mut unordered);
            assert_eq!(sorted.len(), unordered.len(), "{range:?}");
            unordered.sort_unstable();
            assert_eq!(sorted, unordered, "{range:?}");
        }
    }
}
