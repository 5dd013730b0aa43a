//! A pattern's search caches in one thread.

use crate::pack::{Haystack, LazyRegex};
use regex_automata::{hybrid, meta, Anchored, Input};

/// One pattern's search caches in one thread.
#[derive(Debug, Default)]
pub(super) struct PatternCaches {
    forward: Option<hybrid::dfa::Cache>,
    full: Option<meta::Cache>,
}

impl PatternCaches {
    /// The end of `re`'s match that starts at `at` in `hay`, if there is one.
    pub fn end_at(&mut self, re: &LazyRegex, hay: &Haystack, at: usize) -> Option<usize> {
        let anchored = |text| Input::new(text).range(at..).anchored(Anchored::Yes);
        if let Some(dfa) = re.forward() {
            let input = anchored(re.text_in(hay));
            let cache = self.forward.get_or_insert_with(|| dfa.create_cache());
            // An error (a byte the automaton cannot judge) falls through to the full regex.
            if let Ok(end) = dfa.try_search_fwd(cache, &input) {
                return end.map(|m| m.offset());
            }
        }
        let full = re.get()?;
        let cache = self.full.get_or_insert_with(|| full.create_cache());
        full.search_half_with(cache, &anchored(re.text_in(hay)))
            .map(|m| m.offset())
    }

    /// Whether `re` matches somewhere in `hay` at or after `at`: `None` when it does not, else
    /// the end of one such match (its start lies between `at` and that end). One unanchored pass
    /// of the forward automaton; without one the answer is "maybe, up to the end".
    pub fn any_end_from(&mut self, re: &LazyRegex, hay: &Haystack, at: usize) -> Option<usize> {
        let text = hay.text();
        let Some(dfa) = re.forward() else {
            return Some(text.len());
        };
        let input = Input::new(re.text_in(hay)).range(at..);
        let cache = self.forward.get_or_insert_with(|| dfa.create_cache());
        match dfa.try_search_fwd(cache, &input) {
            Ok(found) => found.map(|m| m.offset()),
            Err(_) => Some(text.len()),
        }
    }

    /// The full regex's cache, for scanning a whole segment.
    pub fn full(&mut self, re: &meta::Regex) -> &mut meta::Cache {
        self.full.get_or_insert_with(|| re.create_cache())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchored_end_comes_from_the_forward_automaton_or_else_the_full_regex() {
        let ascii = LazyRegex::parse(r"(?i)(?-u:\b{start-half})you\s+spent".into()).unwrap();
        assert!(ascii.forward().is_some());
        // A Unicode word boundary is beyond the lazy DFA: the full regex answers instead.
        let unicode = LazyRegex::parse(r"(?i)\bcafé\s+card\b".into()).unwrap();
        assert!(unicode.forward().is_none());
        let text = "Thanks! You spent $3 at the Café card desk";
        for (re, at, end) in [(&ascii, 8, 17), (&unicode, 28, 38)] {
            let mut caches = PatternCaches::default();
            let hay = Haystack::new(text);
            assert_eq!(caches.end_at(re, &hay, at), Some(end), "{}", re.as_str());
            assert_eq!(caches.end_at(re, &hay, at + 1), None);
        }
    }
}
