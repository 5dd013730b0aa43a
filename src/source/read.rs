//! Bytes to text: encodings, byte-order marks, binary detection.

/// How a file's bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a byte-order mark, if any, was dropped).
    Utf8,
    /// UTF-8 with invalid sequences replaced by U+FFFD.
    Utf8Lossy,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

/// The outcome of decoding a file.
#[derive(Debug)]
pub enum Decoded {
    /// Text, and the encoding it was read in.
    Text(String, Encoding),
    /// Binary data (NUL bytes that are not UTF-16): not copy.
    Binary,
}

/// Decodes file bytes. UTF-8 (with or without BOM) and UTF-16 (with a BOM, or without one when the
/// NUL pattern makes it unmistakable) become text; invalid UTF-8 is decoded lossily; other data with
/// NUL bytes is binary.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Decoded::Text(utf16(rest, u16::from_le_bytes), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Decoded::Text(utf16(rest, u16::from_be_bytes), Encoding::Utf16Be);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return match utf16_without_bom(head) {
            Some(Encoding::Utf16Le) => {
                Decoded::Text(utf16(bytes, u16::from_le_bytes), Encoding::Utf16Le)
            }
            Some(Encoding::Utf16Be) => {
                Decoded::Text(utf16(bytes, u16::from_be_bytes), Encoding::Utf16Be)
            }
            _ => Decoded::Binary,
        };
    }
    utf8(bytes)
}

/// [`decode`] for bytes the caller owns: plain UTF-8 (no BOM, no NUL in the head), by far the
/// most common case, becomes the text without copying.
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    let marked = [&[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE], &[0xFE, 0xFF]]
        .iter()
        .any(|bom| bytes.starts_with(bom));
    if marked || bytes[..bytes.len().min(8192)].contains(&0) {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Decoded::Text(s, Encoding::Utf8),
        Err(e) => utf8(e.as_bytes()),
    }
}

fn utf8(bytes: &[u8]) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded::Text(s.to_string(), Encoding::Utf8),
        Err(_) => Decoded::Text(
            String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Utf8Lossy,
        ),
    }
}

fn utf16(bytes: &[u8], from: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| from([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Text in UTF-16 without a BOM has NUL in nearly every high byte of its (mostly ASCII) units.
fn utf16_without_bom(head: &[u8]) -> Option<Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let even_nul = head
        .chunks_exact(2)
        .filter(|c| c[0] == 0 && c[1] != 0)
        .count();
    let odd_nul = head
        .chunks_exact(2)
        .filter(|c| c[1] == 0 && c[0] != 0)
        .count();
    if odd_nul * 10 >= pairs * 9 {
        Some(Encoding::Utf16Le)
    } else if even_nul * 10 >= pairs * 9 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_encoding() {
        assert!(matches!(decode(b"\xEF\xBB\xBFhi"), Decoded::Text(s, Encoding::Utf8) if s == "hi"));
        assert!(
            matches!(decode(b"\xFF\xFEh\0i\0"), Decoded::Text(s, Encoding::Utf16Le) if s == "hi")
        );
        assert!(
            matches!(decode(b"\xFE\xFF\0h\0i"), Decoded::Text(s, Encoding::Utf16Be) if s == "hi")
        );
        assert!(
            matches!(decode(b"h\0e\0l\0l\0o\0"), Decoded::Text(s, Encoding::Utf16Le) if s == "hello")
        );
        assert!(
            matches!(decode(b"caf\xE9"), Decoded::Text(s, Encoding::Utf8Lossy) if s == "caf\u{FFFD}")
        );
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Decoded::Binary
        ));
    }

    #[test]
    fn owned_bytes_decode_like_borrowed_ones() {
        let cases: [&[u8]; 7] = [
            b"plain copy",
            b"\xEF\xBB\xBFhi",
            b"\xFF\xFEh\0i\0",
            b"h\0e\0l\0l\0o\0",
            b"caf\xE9",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            b"",
        ];
        for bytes in cases {
            let (a, b) = (decode(bytes), decode_owned(bytes.to_vec()));
            let same = match (&a, &b) {
                (Decoded::Text(x, e), Decoded::Text(y, f)) => x == y && e == f,
                (Decoded::Binary, Decoded::Binary) => true,
                _ => false,
            };
            assert!(same, "{bytes:?}: {a:?} against {b:?}");
        }
    }
}
