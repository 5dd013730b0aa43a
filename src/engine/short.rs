//! Start literals of one or two bytes ("u", "at", "£"), looked up at the start of each word.

use crate::pack::literals::is_word_byte;

/// Start literals of at most two bytes that must begin a word ("u", "at", "£"), looked up at the
/// start of each word. In the automaton, every "a" or "u" of the text would be a hit to report and
/// then mostly discard, which made reporting hits the most costly part of the pass.
#[derive(Debug, Default)]
pub(super) struct ShortStarts {
    /// For each byte (both cases of an ASCII letter), 1 + its index in `by_first`, or 0.
    first: Vec<u16>,
    /// The literals beginning with one byte: their second byte (or none), and their groups.
    by_first: Vec<Vec<(Option<u8>, Vec<usize>)>>,
}

impl ShortStarts {
    /// Adds `literal` (ASCII lowercase, one or two bytes) as a start of `group`.
    pub fn add(&mut self, literal: &[u8], group: usize) {
        if self.first.is_empty() {
            self.first = vec![0; 256];
        }
        let b = literal[0];
        if self.first[usize::from(b)] == 0 {
            self.by_first.push(Vec::new());
            let slot = u16::try_from(self.by_first.len()).expect("at most 256 first bytes");
            self.first[usize::from(b.to_ascii_lowercase())] = slot;
            self.first[usize::from(b.to_ascii_uppercase())] = slot;
        }
        let list = &mut self.by_first[usize::from(self.first[usize::from(b)]) - 1];
        let second = literal.get(1).copied();
        match list.iter_mut().find(|(s, _)| *s == second) {
            Some((_, groups)) => groups.push(group),
            None => list.push((second, vec![group])),
        }
    }

    /// Calls `found(group, at)` for each short literal at the start of a word in `bytes`, in
    /// order of position.
    pub fn find(&self, bytes: &[u8], mut found: impl FnMut(usize, usize)) {
        if self.by_first.is_empty() {
            return;
        }
        let mut after_word = false;
        for (at, &b) in bytes.iter().enumerate() {
            let slot = self.first[usize::from(b)];
            if slot != 0 && !after_word {
                for (second, groups) in &self.by_first[usize::from(slot) - 1] {
                    let fits = second.is_none_or(|c| {
                        bytes
                            .get(at + 1)
                            .is_some_and(|n| n.to_ascii_lowercase() == c)
                    });
                    if fits {
                        groups.iter().for_each(|&g| found(g, at));
                    }
                }
            }
            after_word = is_word_byte(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_starts_are_found_at_word_starts_in_either_case() {
        let mut short = ShortStarts::default();
        short.add(b"u", 0);
        short.add(b"at", 1);
        short.add(b"\xc2\xa3", 2); // "£"
        let mut found = Vec::new();
        short.find("U at£5, but usual AT! cat £2".as_bytes(), |g, at| {
            found.push((g, at))
        });
        // "at£5": "at" starts a word; "£" follows a word byte there so it does not.
        // "but" and "cat" hold "u" and "at" inside words.
        assert_eq!(found, vec![(0, 0), (1, 2), (0, 13), (1, 19), (2, 27)]);
    }
}
