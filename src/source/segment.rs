//! A [`Segment`] is one stretch of copy (a paragraph, a subject line, an `alt` attribute, a JSON string)
//! that phrases may not cross. Its text is normalised for matching and carries an offset map back to the
//! exact bytes of the original file.

use std::ops::Range;

/// Marks the start of a merge-field placeholder in a segment's text (a private-use character, so no
/// real copy can contain it after normalisation).
pub const FIELD_OPEN: char = '\u{E000}';
/// Marks the end of a merge-field placeholder.
pub const FIELD_CLOSE: char = '\u{E001}';

/// The characters a segment's text never holds, as inclusive ranges: every whitespace character
/// but the ASCII space (runs of whitespace become one space), and the characters that
/// normalisation drops or replaces with an ASCII look-alike. Patterns compile knowing this
/// (`pack::fit`): a class may then leave them out or take them in, whichever is simpler.
pub const ABSENT_FROM_TEXT: &[(char, char)] = &[
    ('\u{09}', '\u{0D}'),
    ('\u{85}', '\u{85}'),
    ('\u{A0}', '\u{A0}'),
    ('\u{AB}', '\u{AB}'),
    ('\u{AD}', '\u{AD}'),
    ('\u{BB}', '\u{BB}'),
    ('\u{017F}', '\u{017F}'),
    ('\u{02BC}', '\u{02BC}'),
    ('\u{034F}', '\u{034F}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{2000}', '\u{200D}'),
    ('\u{2010}', '\u{2015}'),
    ('\u{2018}', '\u{201F}'),
    ('\u{2026}', '\u{2026}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202F}', '\u{202F}'),
    ('\u{2032}', '\u{2033}'),
    ('\u{205F}', '\u{2060}'),
    ('\u{212A}', '\u{212A}'),
    ('\u{2212}', '\u{2212}'),
    ('\u{3000}', '\u{3000}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FF07}', '\u{FF07}'),
];

/// One contiguous piece of the offset map. Bytes `norm_start..` of the normalised text (up to the next
/// run) come from `orig_start..orig_end` of the original. In a `linear` run the two map byte for byte
/// (copied text, and single ASCII whitespace bytes that became a space); otherwise the whole piece stands for the whole original range (an entity, a
/// curly quote, a merge tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    norm_start: usize,
    orig_start: usize,
    orig_end: usize,
    linear: bool,
}

/// A merge field inside a segment: where its placeholder sits in the normalised text, the variable it
/// prints and the kinds the loaded packs give that variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// Byte range of the placeholder in [`Segment::text`].
    pub norm: Range<usize>,
    /// The variable as written in the template, e.g. `customer.total_spent`.
    pub variable: String,
    /// Kinds such as `money` or `body`; empty for an ordinary field like a first name.
    pub kinds: Vec<String>,
}

/// A stretch of normalised copy with a map back to the original file.
#[derive(Debug, Clone, Default)]
pub struct Segment {
    /// Normalised text that rules match against.
    pub text: String,
    /// Merge fields in the text, in order.
    pub fields: Vec<FieldRef>,
    runs: Runs,
}

/// The runs of a segment's offset map, in order. Most segments (a JSON value, a sentence without
/// curly quotes or entities) are one run, kept inline so that it costs no allocation of its own.
#[derive(Debug, Clone, Default)]
struct Runs {
    first: Option<Run>,
    /// The runs after the first.
    rest: Vec<Run>,
}

impl Runs {
    fn get(&self, i: usize) -> Option<&Run> {
        match i {
            0 => self.first.as_ref(),
            _ => self.rest.get(i - 1),
        }
    }

    fn last(&self) -> Option<&Run> {
        self.rest.last().or(self.first.as_ref())
    }

    fn last_mut(&mut self) -> Option<&mut Run> {
        match self.rest.last_mut() {
            Some(run) => Some(run),
            None => self.first.as_mut(),
        }
    }

    fn push(&mut self, run: Run) {
        if self.first.is_none() {
            self.first = Some(run);
        } else {
            self.rest.push(run);
        }
    }

    /// The number of leading runs for which `pred` holds (it holds for a prefix of the runs).
    fn partition_point(&self, pred: impl Fn(&Run) -> bool) -> usize {
        match &self.first {
            Some(first) if pred(first) => 1 + self.rest.partition_point(pred),
            _ => 0,
        }
    }
}

impl Segment {
    /// Maps a byte range of [`Segment::text`] to the byte range of the original file it came from.
    ///
    /// The start maps to the first original byte of the first normalised character and the end to the
    /// end of the original bytes of the last one, so a match that starts or ends inside a decoded
    /// entity or a merge tag covers the whole entity or tag.
    pub fn original_range(&self, norm: Range<usize>) -> Range<usize> {
        let start = self.map_start(norm.start);
        let end = self.map_end(norm.end.max(norm.start));
        start..end.max(start)
    }

    fn run_index_at(&self, pos: usize) -> usize {
        // The last run whose start is at or before `pos`.
        self.runs
            .partition_point(|r| r.norm_start <= pos)
            .saturating_sub(1)
    }

    fn map_start(&self, pos: usize) -> usize {
        let Some(run) = self.runs.get(self.run_index_at(pos)) else {
            return 0;
        };
        if run.linear {
            (run.orig_start + (pos - run.norm_start)).min(run.orig_end)
        } else {
            run.orig_start
        }
    }

    fn map_end(&self, pos: usize) -> usize {
        // The run holding the last byte before `pos`.
        let idx = self
            .runs
            .partition_point(|r| r.norm_start < pos)
            .saturating_sub(1);
        let Some(run) = self.runs.get(idx) else {
            return 0;
        };
        if run.linear {
            (run.orig_start + (pos - run.norm_start)).min(run.orig_end)
        } else {
            run.orig_end
        }
    }

    /// The fields whose placeholders overlap a byte range of the normalised text.
    pub fn fields_in(&self, norm: Range<usize>) -> impl Iterator<Item = &FieldRef> {
        self.fields
            .iter()
            .filter(move |f| f.norm.start < norm.end && norm.start < f.norm.end)
    }

    /// The original byte range the whole segment covers.
    pub fn original_span(&self) -> Range<usize> {
        self.original_range(0..self.text.len())
    }
}

/// What a character becomes in the normalised text.
enum Normalised {
    /// Kept as it is.
    Same,
    /// Dropped: zero-width and soft-hyphen characters that split words invisibly.
    Drop,
    /// Whitespace of any kind: runs collapse to one ASCII space.
    Space,
    /// Replaced by an ASCII look-alike (curly quotes, dashes, ellipsis).
    Replace(&'static str),
}

/// ASCII bytes that are whitespace to [`char::is_whitespace`].
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// ASCII bytes kept as they are: neither whitespace nor the start of a multi-byte character.
fn is_ascii_kept(b: u8) -> bool {
    b.is_ascii() && !is_ascii_space(b)
}

/// The end of the stretch from `i` that normalises to itself: kept ASCII bytes and single spaces
/// between them. Such a stretch is copied and mapped byte for byte in one piece, where word by word
/// each space would be a pending space, flushed and appended on its own.
fn ascii_stretch_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        i = skip_plain_words(bytes, i);
        let Some(&b) = bytes.get(i) else {
            return i;
        };
        if is_ascii_kept(b) {
            i += 1; // a control character
        } else if b == b' ' && bytes.get(i + 1).is_some_and(|&n| is_ascii_kept(n)) {
            i += 2;
        } else {
            return i;
        }
    }
}

/// Skips bytes from `i` eight at a time while none is a space, a control character or non-ASCII;
/// returns where such a byte may be.
fn skip_plain_words(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // High bit set in bytes below 0x21 (the first such byte is exact: a false flag needs a
        // borrow from a true one below it) and in bytes of 0x80 and above.
        let flagged = (w.wrapping_sub(ONES * 0x21) & !w & HIGH) | (w & HIGH);
        if flagged != 0 {
            return i + (flagged.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

fn classify(c: char) -> Normalised {
    match c {
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        | '\u{034F}' | '\u{180E}' => Normalised::Drop,
        // The placeholder markers: copy that holds them must not pass for a merge field.
        FIELD_OPEN | FIELD_CLOSE => Normalised::Drop,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{FF07}' => Normalised::Replace("'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Normalised::Replace("\""),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => Normalised::Replace("-"),
        '\u{2026}' => Normalised::Replace("..."),
        // The two characters that fold to an ASCII letter although they are not ASCII: as the
        // letters, case-insensitive patterns need no multi-byte alternative for every `s` and `k`.
        '\u{017F}' => Normalised::Replace("s"),
        '\u{212A}' => Normalised::Replace("K"),
        c if c.is_whitespace() => Normalised::Space,
        _ => Normalised::Same,
    }
}

/// Builds a [`Segment`] piece by piece while keeping the offset map exact.
///
/// Sources push original text (normalised here, character by character), decoded replacements such
/// as HTML entities, merge-field placeholders and soft breaks. Whitespace collapses to single spaces
/// and is trimmed at both ends.
#[derive(Debug, Default)]
pub struct SegmentBuilder {
    seg: Segment,
    /// Original range of whitespace seen since the last emitted character, emitted lazily so that
    /// runs collapse and trailing space disappears.
    pending_space: Option<Range<usize>>,
    /// The pending space is one ASCII whitespace byte: its space maps byte for byte, so it can
    /// join the linear runs around it instead of starting runs of its own.
    pending_linear: bool,
}

impl SegmentBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when nothing but whitespace has been pushed.
    pub fn is_empty(&self) -> bool {
        self.seg.text.is_empty()
    }

    /// Pushes original text that starts at byte `orig_start` of the file, normalising as it goes.
    pub fn push_original(&mut self, text: &str, orig_start: usize) {
        let bytes = text.as_bytes();
        // Normalising never lengthens original text (`…` becomes `...`, three bytes for three):
        // one reservation instead of a doubling per few words.
        self.seg.text.reserve(text.len());
        let mut same_from: Option<usize> = None; // start (in `text`) of a pending run of kept chars
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Most copy is ASCII, where the only change is collapsing whitespace: skip whole
            // stretches of other ASCII bytes without decoding or classifying characters.
            if b.is_ascii() {
                if is_ascii_space(b) {
                    if let Some(from) = same_from.take() {
                        self.emit(&text[from..i], orig_start + from..orig_start + i, true);
                    }
                    self.ascii_space(orig_start + i);
                    i += 1;
                } else {
                    if same_from.is_none() {
                        self.flush_space();
                        same_from = Some(i);
                    }
                    i = ascii_stretch_end(bytes, i + 1);
                }
                continue;
            }
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            let len = c.len_utf8();
            let norm = classify(c);
            if matches!(norm, Normalised::Same) {
                if same_from.is_none() {
                    self.flush_space();
                    same_from = Some(i);
                }
                i += len;
                continue;
            }
            if let Some(from) = same_from.take() {
                self.emit(&text[from..i], orig_start + from..orig_start + i, true);
            }
            let orig = orig_start + i..orig_start + i + len;
            match norm {
                Normalised::Same => unreachable!("handled above"),
                Normalised::Drop => {}
                Normalised::Space => self.space(orig),
                Normalised::Replace(with) => {
                    self.flush_space();
                    self.emit(with, orig, false);
                }
            }
            i += len;
        }
        if let Some(from) = same_from {
            self.emit(
                &text[from..],
                orig_start + from..orig_start + text.len(),
                true,
            );
        }
    }

    /// Pushes a decoded replacement (for example the `$` of `&#36;`) that stands for `orig`.
    /// The replacement is normalised like original text.
    pub fn push_replacement(&mut self, decoded: &str, orig: Range<usize>) {
        for c in decoded.chars() {
            match classify(c) {
                Normalised::Drop => {}
                Normalised::Space => self.space(orig.clone()),
                Normalised::Replace(with) => {
                    self.flush_space();
                    self.emit(with, orig.clone(), false);
                }
                Normalised::Same => {
                    self.flush_space();
                    let mut buf = [0u8; 4];
                    self.emit(c.encode_utf8(&mut buf), orig.clone(), false);
                }
            }
        }
    }

    /// Pushes a soft break (a newline inside a paragraph, an inline tag boundary): a space unless
    /// one is already pending.
    pub fn push_space(&mut self, orig: Range<usize>) {
        self.space(orig);
    }

    /// Pushes a merge-field placeholder for the tag at `orig`. A field of the reader's data
    /// (`reader`) also carries the built-in kind [`crate::fields::READER`] in its placeholder, so
    /// `{field:reader}` finds personalisation; `kinds` (shown in findings) leaves it out.
    pub fn push_field(
        &mut self,
        variable: &str,
        kinds: Vec<String>,
        reader: bool,
        orig: Range<usize>,
    ) {
        self.flush_space();
        let start = self.seg.text.len();
        // One run for the whole placeholder, written in place.
        self.emit("", orig, false);
        let text = &mut self.seg.text;
        text.push(FIELD_OPEN);
        text.push(',');
        // The reader's mark first: `{field:reader}` then starts with a literal the engine's
        // prefilter finds in one pass.
        if reader {
            text.push_str(crate::fields::READER);
            text.push(',');
        }
        for k in &kinds {
            text.push_str(k);
            text.push(',');
        }
        text.push(FIELD_CLOSE);
        let end = self.seg.text.len();
        self.seg.fields.push(FieldRef {
            norm: start..end,
            variable: variable.to_string(),
            kinds,
        });
    }

    /// Finishes the segment; `None` when it holds no text.
    pub fn finish(self) -> Option<Segment> {
        if self.seg.text.is_empty() {
            None
        } else {
            Some(self.seg)
        }
    }

    /// Finishes the current segment into `out` (if it has text) and starts a fresh one.
    pub fn finish_into(&mut self, out: &mut Vec<Segment>) {
        let done = std::mem::take(self);
        if let Some(seg) = done.finish() {
            out.push(seg);
        }
    }

    fn space(&mut self, orig: Range<usize>) {
        if self.seg.text.is_empty() {
            return; // trim leading whitespace
        }
        if self.pending_space.is_none() {
            self.pending_space = Some(orig);
            self.pending_linear = false;
        }
    }

    /// Whitespace that is the single ASCII byte at `orig`.
    fn ascii_space(&mut self, orig: usize) {
        if self.seg.text.is_empty() {
            return; // trim leading whitespace
        }
        if self.pending_space.is_none() {
            self.pending_space = Some(orig..orig + 1);
            self.pending_linear = true;
        }
    }

    fn flush_space(&mut self) {
        if let Some(orig) = self.pending_space.take() {
            if !self.seg.text.ends_with(' ') {
                self.emit(" ", orig, self.pending_linear);
            }
        }
    }

    fn emit(&mut self, norm: &str, orig: Range<usize>, linear: bool) {
        let norm_start = self.seg.text.len();
        let extend = match self.seg.runs.last() {
            Some(last) => {
                linear
                    && last.linear
                    && last.orig_end == orig.start
                    && norm_start - last.norm_start == last.orig_end - last.orig_start
            }
            None => false,
        };
        if extend {
            if let Some(last) = self.seg.runs.last_mut() {
                last.orig_end = orig.end;
            }
        } else {
            self.seg.runs.push(Run {
                norm_start,
                orig_start: orig.start,
                orig_end: orig.end,
                linear,
            });
        }
        self.seg.text.push_str(norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(text: &str) -> Segment {
        let mut b = SegmentBuilder::new();
        b.push_original(text, 0);
        b.finish().expect("non-empty")
    }

    #[test]
    fn the_absent_characters_are_exactly_those_normalisation_never_keeps() {
        let listed = |c: char| ABSENT_FROM_TEXT.iter().any(|&(lo, hi)| lo <= c && c <= hi);
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let kept = c == ' ' || matches!(classify(c), Normalised::Same);
            let marker = c == FIELD_OPEN || c == FIELD_CLOSE;
            // Every listed character is normalised away; every character normalised away is
            // listed, but for the field markers, which placeholders put back.
            assert_eq!(listed(c), !kept && !marker, "U+{:04X}", c as u32);
        }
        // And none of them survives a build, whichever way it comes in.
        let all: String = ABSENT_FROM_TEXT
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .flat_map(|c| ['a', c])
            .collect();
        let mut b = SegmentBuilder::new();
        b.push_original(&all, 0);
        b.push_replacement(&all, 0..all.len());
        let text = b.finish().expect("non-empty").text;
        assert!(!text.chars().any(listed), "{text:?}");
    }

    #[test]
    fn plain_ascii_maps_identically() {
        let s = build("You spent $342");
        assert_eq!(s.text, "You spent $342");
        assert_eq!(s.original_range(4..9), 4..9);
    }

    #[test]
    fn whitespace_collapses_and_maps_back() {
        let src = "  You\n   spent\u{00A0}$342  ";
        let s = build(src);
        assert_eq!(s.text, "You spent $342");
        let r = s.original_range(4..14);
        assert_eq!(&src[r], "spent\u{00A0}$342");
    }

    #[test]
    fn ascii_fast_path_maps_every_word_back_to_its_bytes() {
        let src =
            "\tDear caf\u{e9}  owner,\r\nyou\u{2019}ve\x0Bspent\u{00A0}$342 \u{2014} \u{200B}ok ";
        let s = build(src);
        assert_eq!(s.text, "Dear caf\u{e9} owner, you've spent $342 - ok");
        for (norm, orig) in [
            ("Dear", "Dear"),
            ("caf\u{e9} owner", "caf\u{e9}  owner"),
            ("owner, you", "owner,\r\nyou"),
            ("you've spent", "you\u{2019}ve\x0Bspent"),
            ("spent $342", "spent\u{00A0}$342"),
            ("- ok", "\u{2014} \u{200B}ok"),
        ] {
            let at = s.text.find(norm).unwrap();
            let r = s.original_range(at..at + norm.len());
            assert_eq!(&src[r], orig, "{norm:?}");
        }
        // Each byte of an ASCII-only segment maps to itself, spaces included.
        let s = build("a b  c");
        assert_eq!(s.text, "a b c");
        assert_eq!(s.original_range(1..2), 1..2);
        assert_eq!(s.original_range(0..5), 0..6);
        assert_eq!(s.original_range(3..4), 3..4);
    }

    #[test]
    fn word_skipping_stops_at_the_first_space_control_or_non_ascii_byte() {
        let plain = |b: u8| (0x21..0x80).contains(&b);
        for at in 0..8 {
            for v in 0..=255u8 {
                for next in 0..=255u8 {
                    let mut bytes = [b'a'; 16];
                    bytes[at] = v;
                    bytes[at + 1] = next;
                    let want = (0..16).find(|&k| !plain(bytes[k])).unwrap_or(16);
                    assert_eq!(
                        skip_plain_words(&bytes, 0),
                        want,
                        "{v:#x} {next:#x} at {at}"
                    );
                }
            }
        }
        assert_eq!(skip_plain_words(b"abc", 0), 0, "under eight bytes left");
    }

    #[test]
    fn curly_quotes_and_invisible_characters_are_normalised() {
        let src = "You\u{2019}ve sp\u{00AD}ent";
        let s = build(src);
        assert_eq!(s.text, "You've spent");
        let r = s.original_range(0..12);
        assert_eq!(&src[r], src);
        let r = s.original_range(7..12);
        assert_eq!(&src[r], "sp\u{00AD}ent");
    }

    #[test]
    fn placeholder_markers_in_copy_are_dropped() {
        let s = build("a\u{E000},money,\u{E001} b");
        assert_eq!(s.text, "a,money, b");
        assert!(s.fields.is_empty());
    }

    #[test]
    fn replacement_covers_whole_entity() {
        let src = "spent &#36;342";
        let mut b = SegmentBuilder::new();
        b.push_original(&src[..6], 0);
        b.push_replacement("$", 6..11);
        b.push_original(&src[11..], 11);
        let s = b.finish().unwrap();
        assert_eq!(s.text, "spent $342");
        assert_eq!(&src[s.original_range(6..10)], "&#36;342");
    }

    #[test]
    fn field_placeholder_maps_to_the_whole_tag() {
        let src = "You spent {{ customer.total_spent }} today";
        let mut b = SegmentBuilder::new();
        b.push_original(&src[..10], 0);
        b.push_field("customer.total_spent", vec!["money".into()], true, 10..36);
        b.push_original(&src[36..], 36);
        let s = b.finish().unwrap();
        let f = &s.fields[0];
        assert_eq!(
            &src[s.original_range(f.norm.clone())],
            "{{ customer.total_spent }}"
        );
        assert!(s.text.contains(",money,"));
    }
}
