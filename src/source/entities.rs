//! HTML character references: `&#36;`, `&#x24;`, `&pound;`, `&nbsp;`, `&rsquo;` and the rest of the
//! named entities that email tools emit. The full HTML list has over two thousand names; email uses a
//! few hundred at most (Latin-1, typographic punctuation, currency, arrows and symbols), all here.

use super::tagged::Unescaped;

/// Decodes the character reference at the start of `s` (which starts with `&`): the decoded text and
/// the reference's length in bytes, or `None` when `s` does not start with a reference.
///
/// Numeric references need no `;` (as in browsers); named ones do, except the few legacy names
/// browsers also accept bare (`&amp`, `&nbsp`...) when no letter or digit follows.
pub fn decode(s: &str) -> Option<(Unescaped, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'&') {
        return None;
    }
    if bytes.get(1) == Some(&b'#') {
        return numeric(s);
    }
    let len = bytes[1..]
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len == 0 {
        return None;
    }
    let name = &s[1..1 + len];
    if bytes.get(1 + len) == Some(&b';') {
        return named(name).map(|v| (Unescaped::Str(v), len + 2));
    }
    // Legacy references without `;`: the longest known prefix, as browsers do for these few.
    for legacy in ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"] {
        if name == legacy {
            return named(legacy).map(|v| (Unescaped::Str(v), legacy.len() + 1));
        }
    }
    None
}

fn numeric(s: &str) -> Option<(Unescaped, usize)> {
    let bytes = s.as_bytes();
    let (radix, start) = match bytes.get(2) {
        Some(b'x' | b'X') => (16, 3),
        _ => (10, 2),
    };
    let digits = bytes[start..]
        .iter()
        .take_while(|b| {
            if radix == 16 {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return None;
    }
    let mut len = start + digits;
    if bytes.get(len) == Some(&b';') {
        len += 1;
    }
    let code = if digits > 8 {
        u32::MAX
    } else {
        u32::from_str_radix(&s[start..start + digits], radix).unwrap_or(u32::MAX)
    };
    let c = match code {
        0 => '\u{FFFD}',
        0x80..=0x9F => windows_1252(code),
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    };
    Some((Unescaped::Char(c), len))
}

/// `&#128;`..`&#159;` are C1 controls in Unicode, but every browser reads them as Windows-1252
/// (`&#146;` is a right single quote), and old email tools still write them.
fn windows_1252(code: u32) -> char {
    const TABLE: [char; 32] = [
        '\u{20AC}', '\u{FFFD}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{FFFD}',
        '\u{017D}', '\u{FFFD}', '\u{FFFD}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
        '\u{0153}', '\u{FFFD}', '\u{017E}', '\u{0178}',
    ];
    TABLE[(code - 0x80) as usize]
}

/// The named references email uses. Names are case-sensitive, as in HTML.
fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        // Markup-significant.
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        // Spaces and invisible characters.
        "nbsp" | "NonBreakingSpace" => "\u{A0}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "emsp13" => "\u{2004}",
        "emsp14" => "\u{2005}",
        "numsp" => "\u{2007}",
        "puncsp" => "\u{2008}",
        "thinsp" | "ThinSpace" => "\u{2009}",
        "hairsp" | "VeryThinSpace" => "\u{200A}",
        "MediumSpace" => "\u{205F}",
        "zwnj" => "\u{200C}",
        "zwj" => "\u{200D}",
        "ZeroWidthSpace" | "NegativeThinSpace" => "\u{200B}",
        "NoBreak" => "\u{2060}",
        "lrm" => "\u{200E}",
        "rlm" => "\u{200F}",
        "shy" => "\u{AD}",
        "Tab" => "\t",
        "NewLine" => "\n",
        // Typographic punctuation.
        "lsquo" | "OpenCurlyQuote" => "\u{2018}",
        "rsquo" | "rsquor" | "CloseCurlyQuote" => "\u{2019}",
        "sbquo" | "lsquor" => "\u{201A}",
        "ldquo" | "OpenCurlyDoubleQuote" => "\u{201C}",
        "rdquo" | "rdquor" | "CloseCurlyDoubleQuote" => "\u{201D}",
        "bdquo" | "ldquor" => "\u{201E}",
        "laquo" => "\u{AB}",
        "raquo" => "\u{BB}",
        "lsaquo" => "\u{2039}",
        "rsaquo" => "\u{203A}",
        "prime" => "\u{2032}",
        "Prime" => "\u{2033}",
        "ndash" => "\u{2013}",
        "mdash" => "\u{2014}",
        "horbar" => "\u{2015}",
        "hyphen" | "dash" => "\u{2010}",
        "minus" => "\u{2212}",
        "hellip" | "mldr" => "\u{2026}",
        "nldr" => "\u{2025}",
        "bull" | "bullet" => "\u{2022}",
        "middot" | "centerdot" | "CenterDot" => "\u{B7}",
        "dagger" => "\u{2020}",
        "Dagger" | "ddagger" => "\u{2021}",
        "permil" => "\u{2030}",
        "sect" => "\u{A7}",
        "para" => "\u{B6}",
        "iexcl" => "\u{A1}",
        "iquest" => "\u{BF}",
        "brvbar" => "\u{A6}",
        "oline" => "\u{203E}",
        "frasl" => "\u{2044}",
        // ASCII punctuation by name (HTML5).
        "excl" => "!",
        "num" => "#",
        "dollar" => "$",
        "percnt" => "%",
        "lpar" => "(",
        "rpar" => ")",
        "ast" | "midast" => "*",
        "plus" => "+",
        "comma" => ",",
        "period" => ".",
        "sol" => "/",
        "colon" => ":",
        "semi" => ";",
        "equals" => "=",
        "quest" => "?",
        "commat" => "@",
        "lsqb" | "lbrack" => "[",
        "bsol" => "\\",
        "rsqb" | "rbrack" => "]",
        "Hat" => "^",
        "lowbar" | "UnderBar" => "_",
        "grave" | "DiacriticalGrave" => "`",
        "lcub" | "lbrace" => "{",
        "verbar" | "vert" | "VerticalLine" => "|",
        "rcub" | "rbrace" => "}",
        "tilde" | "DiacriticalTilde" => "\u{2DC}",
        "circ" => "\u{2C6}",
        // Currency.
        "cent" => "\u{A2}",
        "pound" => "\u{A3}",
        "curren" => "\u{A4}",
        "yen" => "\u{A5}",
        "euro" => "\u{20AC}",
        "fnof" => "\u{192}",
        "inr" => "\u{20B9}",
        // Symbols and marks.
        "copy" | "COPY" => "\u{A9}",
        "reg" | "REG" | "circledR" => "\u{AE}",
        "trade" | "TRADE" => "\u{2122}",
        "deg" => "\u{B0}",
        "plusmn" | "pm" | "PlusMinus" => "\u{B1}",
        "times" => "\u{D7}",
        "divide" | "div" => "\u{F7}",
        "micro" => "\u{B5}",
        "not" => "\u{AC}",
        "macr" | "strns" => "\u{AF}",
        "acute" | "DiacriticalAcute" => "\u{B4}",
        "cedil" | "Cedilla" => "\u{B8}",
        "uml" | "Dot" | "die" => "\u{A8}",
        "ordf" => "\u{AA}",
        "ordm" => "\u{BA}",
        "sup1" => "\u{B9}",
        "sup2" => "\u{B2}",
        "sup3" => "\u{B3}",
        "frac12" | "half" => "\u{BD}",
        "frac14" => "\u{BC}",
        "frac34" => "\u{BE}",
        "frac13" => "\u{2153}",
        "frac23" => "\u{2154}",
        "infin" => "\u{221E}",
        "asymp" | "approx" => "\u{2248}",
        "ne" => "\u{2260}",
        "le" | "leq" => "\u{2264}",
        "ge" | "geq" => "\u{2265}",
        "larr" | "leftarrow" | "LeftArrow" => "\u{2190}",
        "uarr" | "uparrow" | "UpArrow" => "\u{2191}",
        "rarr" | "rightarrow" | "RightArrow" => "\u{2192}",
        "darr" | "downarrow" | "DownArrow" => "\u{2193}",
        "harr" | "leftrightarrow" => "\u{2194}",
        "lArr" | "Leftarrow" => "\u{21D0}",
        "rArr" | "Rightarrow" | "Implies" => "\u{21D2}",
        "hArr" | "iff" => "\u{21D4}",
        "check" | "checkmark" => "\u{2713}",
        "cross" => "\u{2717}",
        "star" => "\u{2606}",
        "starf" | "bigstar" => "\u{2605}",
        "hearts" | "heartsuit" => "\u{2665}",
        "spades" | "spadesuit" => "\u{2660}",
        "clubs" | "clubsuit" => "\u{2663}",
        "diams" | "diamondsuit" => "\u{2666}",
        "loz" | "lozenge" => "\u{25CA}",
        "phone" => "\u{260E}",
        "female" => "\u{2640}",
        "male" => "\u{2642}",
        "sung" => "\u{266A}",
        "flat" => "\u{266D}",
        "natural" => "\u{266E}",
        "sharp" => "\u{266F}",
        "squ" | "square" => "\u{25A1}",
        "blacksquare" | "squf" => "\u{25AA}",
        "cir" => "\u{25CB}",
        "sdot" => "\u{22C5}",
        "lowast" => "\u{2217}",
        "radic" => "\u{221A}",
        "sum" => "\u{2211}",
        "prod" => "\u{220F}",
        "part" => "\u{2202}",
        "nabla" => "\u{2207}",
        "isin" => "\u{2208}",
        "empty" => "\u{2205}",
        "and" => "\u{2227}",
        "or" => "\u{2228}",
        "cap" => "\u{2229}",
        "cup" => "\u{222A}",
        "int" => "\u{222B}",
        "there4" => "\u{2234}",
        "sim" => "\u{223C}",
        "cong" => "\u{2245}",
        "equiv" => "\u{2261}",
        "sub" => "\u{2282}",
        "sup" => "\u{2283}",
        "forall" => "\u{2200}",
        "exist" => "\u{2203}",
        "lceil" => "\u{2308}",
        "rceil" => "\u{2309}",
        "lfloor" => "\u{230A}",
        "rfloor" => "\u{230B}",
        "lang" | "langle" => "\u{27E8}",
        "rang" | "rangle" => "\u{27E9}",
        "weierp" => "\u{2118}",
        "image" => "\u{2111}",
        "real" => "\u{211C}",
        "alefsym" => "\u{2135}",
        "crarr" => "\u{21B5}",
        // Greek.
        "Alpha" => "\u{391}",
        "Beta" => "\u{392}",
        "Gamma" => "\u{393}",
        "Delta" => "\u{394}",
        "Omega" => "\u{3A9}",
        "Pi" => "\u{3A0}",
        "Sigma" => "\u{3A3}",
        "alpha" => "\u{3B1}",
        "beta" => "\u{3B2}",
        "gamma" => "\u{3B3}",
        "delta" => "\u{3B4}",
        "epsilon" => "\u{3B5}",
        "theta" => "\u{3B8}",
        "lambda" => "\u{3BB}",
        "mu" => "\u{3BC}",
        "pi" => "\u{3C0}",
        "sigma" => "\u{3C3}",
        "tau" => "\u{3C4}",
        "phi" => "\u{3C6}",
        "omega" => "\u{3C9}",
        _ => return latin(name),
    })
}

/// Latin-1 and Latin Extended-A letters with accents: `&eacute;`, `&Uuml;`, `&oelig;`...
fn latin(name: &str) -> Option<&'static str> {
    Some(match name {
        "Agrave" => "\u{C0}",
        "Aacute" => "\u{C1}",
        "Acirc" => "\u{C2}",
        "Atilde" => "\u{C3}",
        "Auml" => "\u{C4}",
        "Aring" | "angst" => "\u{C5}",
        "AElig" => "\u{C6}",
        "Ccedil" => "\u{C7}",
        "Egrave" => "\u{C8}",
        "Eacute" => "\u{C9}",
        "Ecirc" => "\u{CA}",
        "Euml" => "\u{CB}",
        "Igrave" => "\u{CC}",
        "Iacute" => "\u{CD}",
        "Icirc" => "\u{CE}",
        "Iuml" => "\u{CF}",
        "ETH" => "\u{D0}",
        "Ntilde" => "\u{D1}",
        "Ograve" => "\u{D2}",
        "Oacute" => "\u{D3}",
        "Ocirc" => "\u{D4}",
        "Otilde" => "\u{D5}",
        "Ouml" => "\u{D6}",
        "Oslash" => "\u{D8}",
        "Ugrave" => "\u{D9}",
        "Uacute" => "\u{DA}",
        "Ucirc" => "\u{DB}",
        "Uuml" => "\u{DC}",
        "Yacute" => "\u{DD}",
        "THORN" => "\u{DE}",
        "szlig" => "\u{DF}",
        "agrave" => "\u{E0}",
        "aacute" => "\u{E1}",
        "acirc" => "\u{E2}",
        "atilde" => "\u{E3}",
        "auml" => "\u{E4}",
        "aring" => "\u{E5}",
        "aelig" => "\u{E6}",
        "ccedil" => "\u{E7}",
        "egrave" => "\u{E8}",
        "eacute" => "\u{E9}",
        "ecirc" => "\u{EA}",
        "euml" => "\u{EB}",
        "igrave" => "\u{EC}",
        "iacute" => "\u{ED}",
        "icirc" => "\u{EE}",
        "iuml" => "\u{EF}",
        "eth" => "\u{F0}",
        "ntilde" => "\u{F1}",
        "ograve" => "\u{F2}",
        "oacute" => "\u{F3}",
        "ocirc" => "\u{F4}",
        "otilde" => "\u{F5}",
        "ouml" => "\u{F6}",
        "oslash" => "\u{F8}",
        "ugrave" => "\u{F9}",
        "uacute" => "\u{FA}",
        "ucirc" => "\u{FB}",
        "uuml" => "\u{FC}",
        "yacute" => "\u{FD}",
        "thorn" => "\u{FE}",
        "yuml" => "\u{FF}",
        "Yuml" => "\u{178}",
        "OElig" => "\u{152}",
        "oelig" => "\u{153}",
        "Scaron" => "\u{160}",
        "scaron" => "\u{161}",
        "Zcaron" => "\u{17D}",
        "zcaron" => "\u{17E}",
        "Ccaron" => "\u{10C}",
        "ccaron" => "\u{10D}",
        "Ecaron" => "\u{11A}",
        "ecaron" => "\u{11B}",
        "Rcaron" => "\u{158}",
        "rcaron" => "\u{159}",
        "Lstrok" => "\u{141}",
        "lstrok" => "\u{142}",
        "Nacute" => "\u{143}",
        "nacute" => "\u{144}",
        "Sacute" => "\u{15A}",
        "sacute" => "\u{15B}",
        "Zacute" => "\u{179}",
        "zacute" => "\u{17A}",
        "Zdot" => "\u{17B}",
        "zdot" => "\u{17C}",
        "Aogon" => "\u{104}",
        "aogon" => "\u{105}",
        "Eogon" => "\u{118}",
        "eogon" => "\u{119}",
        "Gbreve" => "\u{11E}",
        "gbreve" => "\u{11F}",
        "Idot" => "\u{130}",
        "imath" | "inodot" => "\u{131}",
        "Scedil" => "\u{15E}",
        "scedil" => "\u{15F}",
        "Odblac" => "\u{150}",
        "odblac" => "\u{151}",
        "Udblac" => "\u{170}",
        "udblac" => "\u{171}",
        "Uring" => "\u{16E}",
        "uring" => "\u{16F}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::decode;

    fn d(s: &str) -> Option<(String, usize)> {
        decode(s).map(|(u, len)| (u.to_string(), len))
    }

    #[test]
    fn numeric_references() {
        assert_eq!(d("&#36;342"), Some(("$".into(), 5)));
        assert_eq!(d("&#x24;342"), Some(("$".into(), 6)));
        assert_eq!(d("&#X24;"), Some(("$".into(), 6)));
        assert_eq!(d("&#39;ve"), Some(("'".into(), 5)));
        assert_eq!(d("&#8204;&nbsp;"), Some(("\u{200C}".into(), 7)));
        assert_eq!(
            d("&#36 "),
            Some(("$".into(), 4)),
            "no semicolon, as browsers"
        );
        assert_eq!(d("&#146;"), Some(("\u{2019}".into(), 6)), "Windows-1252");
        assert_eq!(d("&#0;"), Some(("\u{FFFD}".into(), 4)));
        assert_eq!(d("&#99999999999;"), Some(("\u{FFFD}".into(), 14)));
        assert_eq!(d("&#;"), None);
        assert_eq!(d("&#x;"), None);
    }

    #[test]
    fn named_references() {
        for (src, want) in [
            ("&pound;", "\u{A3}"),
            ("&nbsp;", "\u{A0}"),
            ("&rsquo;", "\u{2019}"),
            ("&ndash;", "\u{2013}"),
            ("&mdash;", "\u{2014}"),
            ("&amp;", "&"),
            ("&euro;", "\u{20AC}"),
            ("&eacute;", "\u{E9}"),
            ("&Uuml;", "\u{DC}"),
            ("&hellip;", "\u{2026}"),
            ("&middot;", "\u{B7}"),
            ("&dollar;", "$"),
            ("&zwnj;", "\u{200C}"),
        ] {
            assert_eq!(d(src), Some((want.to_string(), src.len())), "{src}");
        }
    }

    #[test]
    fn unknown_or_bare_names_stay_text() {
        assert_eq!(d("&madeup;"), None);
        assert_eq!(d("& Co"), None);
        assert_eq!(d("&pound 5"), None, "only legacy names decode without `;`");
        assert_eq!(d("&amp Co"), Some(("&".into(), 4)));
        assert_eq!(d("&ampersand"), None);
        assert_eq!(d("&"), None);
    }
}
