//! Values in structured copy files (JSON, YAML, CSV) that are obviously data, not copy: URLs, ids,
//! numbers, dates and timestamps. Skipping them keeps segments to what a reader sees.

/// True when a string value is data rather than copy: a URL or e-mail link, a number, a date or
/// timestamp, or a single token that holds a digit and only id characters (`push-001`, `sms_104`,
/// `a1b2c3d4-...`). Anything with a template tag, a space between words or a currency sign is copy.
pub fn looks_like_data(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let bytes = v.as_bytes();
    if has_tag_opener(bytes) {
        return false;
    }
    let is_url = starts_with_ignore_case(bytes, b"mailto:")
        || starts_with_ignore_case(bytes, b"tel:")
        || find_scheme_end(bytes).is_some_and(|i| {
            i > 0
                && bytes[..i]
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'+')
        });
    if is_url && !v.contains(char::is_whitespace) {
        return true;
    }
    // Numbers, dates, times, timestamps: digits and separators only (`2025-05-02 09:00`,
    // `2025-05-02T09:00:00Z`, `1,240`, `-3.5`).
    if v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes().all(|b| {
            b.is_ascii_digit()
                || matches!(
                    b,
                    b'-' | b':' | b'.' | b',' | b'/' | b'+' | b' ' | b'T' | b'Z'
                )
        })
    {
        return true;
    }
    // Identifiers: one token of id characters with a digit in it.
    !v.contains(char::is_whitespace)
        && v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/'))
}

/// True when `bytes` holds `{{`, `{%`, `*|` or `%%`: the opening of a template tag.
fn has_tag_opener(bytes: &[u8]) -> bool {
    memchr::memchr3_iter(b'{', b'*', b'%', bytes).any(|i| {
        matches!(
            (bytes[i], bytes.get(i + 1)),
            (b'{', Some(b'{' | b'%')) | (b'*', Some(b'|')) | (b'%', Some(b'%'))
        )
    })
}

/// Where the first `://` starts (a `:` search: building a substring finder for each short value
/// would cost more than the search).
fn find_scheme_end(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b':', bytes).find(|&i| bytes[i + 1..].starts_with(b"//"))
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::looks_like_data;

    #[test]
    fn data_is_recognised() {
        for v in [
            "",
            "  ",
            "https://example.com/a?b=c",
            "mailto:hi@example.com",
            "MAILTO:hi@example.com",
            "HTTPS://EXAMPLE.COM/A",
            "42",
            "-3.5",
            "1,240",
            "2025-05-02 09:00",
            "2025-05-02T09:00:00Z",
            "push-001",
            "sms_104",
            "3f2a9c1e-77b0-4c1e-9a51-0d5e0c6c8e11",
        ] {
            assert!(looks_like_data(v), "{v:?} is data");
        }
    }

    #[test]
    fn copy_is_kept() {
        for v in [
            "Still up?",
            "Matching?",
            "New drop",
            "$342",
            "£40",
            "5.9%",
            "{{ first_name }}",
            "*|FNAME|*",
            "%%FirstName%%",
            "{%raw%}1{%endraw%}",
            "Spend $75 at https://x.example",
            "lapsed",
        ] {
            assert!(!looks_like_data(v), "{v:?} is copy");
        }
    }
}
