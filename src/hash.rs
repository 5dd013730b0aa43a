//! One stable hash for everything creeplint writes down and reads back in a later run: baseline
//! and SARIF fingerprints, GitLab fingerprints, the keys of the built-in literal table.

/// FNV-1a, 64 bits, over `parts` with a zero byte after each (so `["ab", "c"]` and `["a", "bc"]`
/// differ): a tiny, well-known hash whose output is the same on every version and platform, which
/// std's hasher does not promise. Cryptographic strength is not needed.
pub fn fnv1a64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv1a_with_a_zero_after_each_part() {
        // No parts: the FNV offset basis; one empty part: the published FNV-1a 64 of one zero byte.
        assert_eq!(fnv1a64(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[""]), 0xaf63_bd4c_8601_b7df);
        assert_eq!(fnv1a64(&["a"]), 0x089b_e207_b544_f1e4);
        // The separator keeps parts apart.
        assert_eq!(fnv1a64(&["foo", "bar"]), 0x5863_d945_8c10_38de);
        assert_eq!(fnv1a64(&["foobar"]), 0x3453_1ca7_168b_8f38);
    }
}
