//! Byte offsets to 1-based line and column numbers, the way editors and SARIF count them.

use std::sync::OnceLock;

/// A 1-based line and column; the column counts characters (Unicode scalar values), not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Bytes per block of the character-count index: a column costs at most twice this many byte checks,
/// and the index one `usize` per block (3% of the text).
const BLOCK: usize = 256;

/// Columns this many bytes or fewer from their line start are counted directly; further ones use
/// the block index.
const SHORT_COLUMN: usize = 4 * BLOCK;

/// Line starts of one text, for turning byte offsets into [`Position`]s.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before each [`BLOCK`]-byte boundary of the text, so that a column on a very long
    /// line (a minified template, a 10 MB line) costs a bounded count instead of a scan from the
    /// line start for every finding. Built on the first such column: most texts have short lines.
    block_chars: OnceLock<Vec<usize>>,
}

impl LineIndex {
    /// Indexes the line starts of `text`. `\n` ends a line; a `\r` before it belongs to that line end.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            starts,
            block_chars: OnceLock::new(),
        }
    }

    fn block_chars(&self, text: &str) -> &[usize] {
        self.block_chars.get_or_init(|| {
            let mut block_chars = Vec::with_capacity(text.len() / BLOCK + 2);
            let mut chars = 0;
            for block in text.as_bytes().chunks(BLOCK) {
                block_chars.push(chars);
                chars += count_chars(block);
            }
            // One more entry for the end, so that `offset == len` finds its count when `len` is a
            // multiple of the block size.
            block_chars.push(chars);
            block_chars
        })
    }

    /// Characters in `text[..offset]`; `offset` is a char boundary.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        let before = self.block_chars(text).get(block).copied().unwrap_or(0);
        before + count_chars(&text.as_bytes()[block * BLOCK..offset])
    }

    /// Characters in `text[line_start..offset]`.
    fn chars_between(&self, text: &str, line_start: usize, offset: usize) -> usize {
        if offset - line_start <= SHORT_COLUMN {
            count_chars(&text.as_bytes()[line_start..offset])
        } else {
            self.chars_before(text, offset) - self.chars_before(text, line_start)
        }
    }

    /// The position of byte `offset` (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = self.chars_between(text, self.starts[line], offset) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte range of 1-based line `line` without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text.len());
        let mut end = self.starts.get(line).map(|&s| s - 1).unwrap_or(text.len());
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Characters starting in `bytes` (every byte that is not a UTF-8 continuation byte).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "ab\ncaf\u{e9} spent\r\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        let s = text.find("spent").unwrap();
        assert_eq!(idx.position(text, s), Position { line: 2, column: 6 });
        assert_eq!(&text[idx.line_range(text, 2)], "caf\u{e9} spent");
        assert_eq!(
            idx.position(text, text.len()),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn columns_on_a_long_line_count_characters_across_blocks() {
        let text = format!(
            "x\n{}\u{e9}{}end",
            "\u{2019}".repeat(3000),
            "a".repeat(9000)
        );
        let idx = LineIndex::new(&text);
        let at = text.find("end").unwrap();
        assert_eq!(
            idx.position(&text, at),
            Position {
                line: 2,
                column: 3000 + 1 + 9000 + 1
            }
        );
        for len in [
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            2 * BLOCK,
            SHORT_COLUMN,
            SHORT_COLUMN + 1,
            8 * BLOCK,
        ] {
            let text = "\u{e9}".repeat(len / 2) + &"a".repeat(len % 2);
            let idx = LineIndex::new(&text);
            let want = text.chars().count() + 1;
            assert_eq!(idx.position(&text, text.len()).column, want, "length {len}");
        }
        for offset in (0..text.len())
            .filter(|&o| text.is_char_boundary(o))
            .step_by(97)
        {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let want = text[line_start..offset].chars().count() + 1;
            assert_eq!(idx.position(&text, offset).column, want, "offset {offset}");
        }
    }
}
