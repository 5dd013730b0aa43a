//! Byte offsets to LSP positions and back. LSP counts a line's characters in UTF-16 code units
//! (an emoji is two, `é` one), and ends lines at `\n`, `\r\n` or a lone `\r`; the library counts
//! bytes (ranges) and characters (columns). Every conversion goes through byte offsets, which are
//! exact, never through the library's character columns.

use lsp_types::Position;

/// Line starts of one text, as LSP counts lines.
#[derive(Debug, Clone)]
pub struct LineMap {
    /// Byte offset of each line's first character.
    starts: Vec<usize>,
}

impl LineMap {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> LineMap {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineMap { starts }
    }

    /// The LSP position of byte `offset` of `text` (clamped to the text, and moved back to a
    /// character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character = utf16_len(&text[self.starts[line]..offset]);
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of an LSP position. A line past the end means the end of the text; a
    /// character past the end of its line means the line's end (as the protocol asks); a character
    /// inside a surrogate pair means the start of that character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.content_end(text, line);
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return start + i;
            }
        }
        end
    }

    /// Byte offset where line `line`'s content ends, before its line ending.
    fn content_end(&self, text: &str, line: usize) -> usize {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }
}

/// The UTF-16 column (0-based) of 1-based character column `column` in `line` (a line of text
/// without its ending), as library errors count columns. A column past the line's end is its end.
pub fn utf16_column(line: &str, column: usize) -> u32 {
    let before: usize = line
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf16)
        .sum();
    to_u32(before)
}

/// UTF-16 code units in `s`.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// A count as the protocol's `u32`, saturating (a 4 GiB line is not worth an error path).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn an_emoji_before_a_finding_counts_two_units() {
        // 😀 is 4 bytes in UTF-8, one character, two UTF-16 units; é is 2 bytes, one unit: the
        // finding starts at byte 15, character 8, UTF-16 unit 9.
        let text = "Hi\n😀 café: You spent $342\n";
        let map = LineMap::new(text);
        let at = text.find("You").unwrap();
        assert_eq!(at, 3 + 4 + 8);
        assert_eq!(map.position(text, at), pos(1, 2 + 1 + 5 + 1));
        assert_eq!(map.offset(text, pos(1, 9)), at);
        let end = at + "You spent $342".len();
        assert_eq!(map.position(text, end), pos(1, 9 + 14));
        assert_eq!(map.offset(text, pos(1, 23)), end);
    }

    #[test]
    fn astral_characters_round_trip_at_every_boundary() {
        let text = "a😀b\r\n𝒳é\rz\n";
        let map = LineMap::new(text);
        for (offset, _) in text.char_indices() {
            let p = map.position(text, offset);
            let back = map.offset(text, p);
            // Line endings are positions too; everything else comes back exactly.
            if !matches!(text.as_bytes()[offset], b'\r' | b'\n') {
                assert_eq!(back, offset, "offset {offset} -> {p:?}");
            }
        }
        assert_eq!(map.position(text, text.find('b').unwrap()), pos(0, 3));
        assert_eq!(map.position(text, text.find('é').unwrap()), pos(1, 2));
        // A lone `\r` ends a line for LSP.
        assert_eq!(map.position(text, text.find('z').unwrap()), pos(2, 0));
    }

    #[test]
    fn crlf_belongs_to_the_line_end() {
        let text = "ab\r\ncd";
        let map = LineMap::new(text);
        assert_eq!(map.position(text, 4), pos(1, 0));
        // Past the end of line 0 is the end of its content, not inside `\r\n`.
        assert_eq!(map.offset(text, pos(0, 99)), 2);
        assert_eq!(map.offset(text, pos(1, 99)), 6);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "😀x";
        let map = LineMap::new(text);
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(map.offset(text, pos(0, 1)), 0);
        assert_eq!(map.offset(text, pos(0, 2)), 4);
        assert_eq!(map.offset(text, pos(7, 0)), text.len());
        // Inside a UTF-8 sequence: back to the character's start.
        assert_eq!(map.position(text, 2), pos(0, 0));
        assert_eq!(map.position(text, 99), pos(0, 3));
    }

    #[test]
    fn library_character_columns_convert_to_units() {
        let line = "😀 é x";
        assert_eq!(utf16_column(line, 1), 0);
        assert_eq!(utf16_column(line, 2), 2);
        assert_eq!(utf16_column(line, 5), 5);
        assert_eq!(utf16_column(line, 6), 6);
        assert_eq!(utf16_column(line, 99), 6);
        assert_eq!(utf16_column(line, 0), 0);
    }
}
