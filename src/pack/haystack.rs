//! The text a phrase pattern searches: a segment's normalised text, or its ASCII-lowercased copy
//! for the case-insensitive patterns that were built for it (see `lowercase`).

/// The text a pattern searches: a segment's normalised text, and its ASCII-lowercased copy (made
/// when the first pattern needs it) for the patterns that search that
/// ([`super::LazyRegex::text_in`]).
/// Both have the same length and byte offsets.
#[derive(Debug)]
pub struct Haystack<'t> {
    text: &'t str,
    lower: std::cell::OnceCell<String>,
}

impl<'t> Haystack<'t> {
    /// The haystack of `text`.
    pub fn new(text: &'t str) -> Haystack<'t> {
        Haystack {
            text,
            lower: std::cell::OnceCell::new(),
        }
    }

    /// The text as it is.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The text with its ASCII letters lowercased, made on first use.
    pub fn lowered(&self) -> &str {
        self.lower.get_or_init(|| self.text.to_ascii_lowercase())
    }
}
