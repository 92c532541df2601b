//! Text rules shared by every field: search keys (case-, accent- and
//! punctuation-insensitive), the characters a stored field may hold, and a
//! safe printable form of untrusted text for terminals.

use unicode_normalization::UnicodeNormalization;

/// The search key of a name: accents transliterated, lower case, letters and
/// digits only. `José` → `jose`, `O'Brien` → `obrien`, `García-López` →
/// `garcialopez`.
pub fn search_key(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Text with accents transliterated and in lower case, punctuation kept:
/// `Müller` → `muller`, `Peña, Begoña` → `pena, begona`, `Łukasz` →
/// `lukasz`. Used where two spellings of one name must compare equal (the
/// password policy's account words).
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// Characters that are never allowed in a stored field: C0/C1 controls
/// (ESC starts terminal escape sequences), line and paragraph separators,
/// interlinear annotations, and every Unicode Default_Ignorable_Code_Point —
/// characters a terminal draws as nothing, so that two different names look
/// the same: zero-width spaces and joiners, bidirectional overrides and
/// isolates (they also reorder what staff read), tag characters
/// (U+E0000–U+E007F), Hangul fillers (U+115F, U+1160, U+3164, U+FFA0),
/// variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) and the soft hyphen.
pub fn is_forbidden_char(c: char) -> bool {
    if c < '\u{AD}' {
        return c.is_control();
    }
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}')
        || is_default_ignorable(c)
}

/// The Unicode property Default_Ignorable_Code_Point, from the tables of
/// `regex-syntax` (the Unicode data the `regex` crate ships and keeps
/// current), read once into sorted ranges.
pub fn is_default_ignorable(c: char) -> bool {
    static RANGES: std::sync::OnceLock<Vec<(char, char)>> = std::sync::OnceLock::new();
    let ranges = RANGES.get_or_init(|| {
        // The fallback is not reachable with the crate's default (Unicode)
        // features (a unit test checks); it lists Unicode 16's ranges.
        default_ignorable_ranges().unwrap_or_else(|| {
            vec![
                ('\u{AD}', '\u{AD}'),
                ('\u{34F}', '\u{34F}'),
                ('\u{61C}', '\u{61C}'),
                ('\u{115F}', '\u{1160}'),
                ('\u{17B4}', '\u{17B5}'),
                ('\u{180B}', '\u{180F}'),
                ('\u{200B}', '\u{200F}'),
                ('\u{202A}', '\u{202E}'),
                ('\u{2060}', '\u{206F}'),
                ('\u{3164}', '\u{3164}'),
                ('\u{FE00}', '\u{FE0F}'),
                ('\u{FEFF}', '\u{FEFF}'),
                ('\u{FFA0}', '\u{FFA0}'),
                ('\u{FFF0}', '\u{FFF8}'),
                ('\u{1BCA0}', '\u{1BCA3}'),
                ('\u{1D173}', '\u{1D17A}'),
                ('\u{E0000}', '\u{E0FFF}'),
            ]
        })
    });
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn default_ignorable_ranges() -> Option<Vec<(char, char)>> {
    use regex_syntax::hir::{Class, HirKind};
    let hir = regex_syntax::Parser::new()
        .parse(r"\p{Default_Ignorable_Code_Point}")
        .ok()?;
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(class)) => Some(
            class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
        ),
        _ => None,
    }
}

/// Checks a free-text field (name, URL, practice id) and returns it trimmed
/// and in Unicode NFC. `what` names the field in the error sentence.
pub fn clean_field(what: &str, value: &str, max_chars: usize) -> Result<String, String> {
    if let Some((at, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| is_forbidden_char(c))
    {
        let kind = if c.is_control() {
            "a control character"
        } else {
            "an invisible character"
        };
        return Err(format!(
            "{what} contains {kind} (U+{:04X}, character {} of the field): two names that look the same must be the same",
            c as u32,
            at + 1
        ));
    }
    let value: String = value.trim().nfc().collect();
    if value.is_empty() {
        return Err(format!("{what} is empty"));
    }
    let n = value.chars().count();
    if n > max_chars {
        return Err(format!(
            "{what} is too long ({n} characters, at most {max_chars})"
        ));
    }
    // A letter followed by a pile of combining marks ("Zalgo" text) draws
    // over neighbouring cells in many terminals.
    let mut run = 0;
    for c in value.chars() {
        if is_combining(c) {
            run += 1;
            if run > 3 {
                return Err(format!("{what} has too many combining marks on one letter"));
            }
        } else {
            run = 0;
        }
    }
    Ok(value)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Untrusted text made safe to print on a terminal: controls shown as `^X`
/// (caret notation), other forbidden characters as `<U+XXXX>`. A second line
/// of defence: stored fields are already checked by [`clean_field`].
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{0}'..='\u{1F}' => {
                out.push('^');
                out.push((b'@' + c as u8) as char);
            }
            '\u{7F}' => out.push_str("^?"),
            c if is_forbidden_char(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_fold_case_accents_and_punctuation() {
        assert_eq!(search_key("José"), "jose");
        assert_eq!(search_key("O'Brien"), "obrien");
        assert_eq!(search_key("García-López"), "garcialopez");
        assert_eq!(search_key("Nguyễn"), "nguyen");
        assert_eq!(search_key("van der Berg"), "vanderberg");
        assert_eq!(search_key("ZOË"), "zoe");
    }

    #[test]
    fn escapes_and_invisible_characters_are_refused() {
        for bad in [
            "A\u{1b}[2J",
            "Bob\u{202E}",
            "Al\u{200B}ice",
            "x\u{0}",
            "a\u{9b}b",
        ] {
            assert!(clean_field("last name", bad, 100).is_err(), "{bad:?}");
        }
        assert_eq!(clean_field("name", "  Ana  ", 100).unwrap(), "Ana");
        assert!(
            clean_field("name", "   ", 100)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            clean_field("name", &"a".repeat(101), 100)
                .unwrap_err()
                .contains("too long")
        );
        assert!(clean_field("name", "Z\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}", 100).is_err());
        // Decomposed accents are composed (NFC) and accepted.
        assert_eq!(clean_field("name", "Jose\u{301}", 100).unwrap(), "José");
    }

    #[test]
    fn printable_shows_controls_visibly() {
        assert_eq!(printable("a\u{1b}[31mb"), "a^[[31mb");
        assert_eq!(printable("x\u{7f}"), "x^?");
        assert_eq!(printable("r\u{202E}l"), "r<U+202E>l");
        assert_eq!(printable("Zoë"), "Zoë");
        assert_eq!(printable("A\u{3164}"), "A<U+3164>");
    }

    #[test]
    fn default_ignorable_code_points_are_forbidden() {
        let table = default_ignorable_ranges().expect("regex-syntax has the Unicode tables");
        assert!(table.contains(&('\u{3164}', '\u{3164}')), "{table:?}");
        for c in [
            '\u{AD}',
            '\u{34F}',
            '\u{115F}',
            '\u{1160}',
            '\u{17B4}',
            '\u{180B}',
            '\u{200B}',
            '\u{200D}',
            '\u{2064}',
            '\u{3164}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{FEFF}',
            '\u{FFA0}',
            '\u{1BCA0}',
            '\u{1D173}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{E0100}',
            '\u{E01EF}',
        ] {
            assert!(is_default_ignorable(c), "U+{:04X}", c as u32);
            assert!(is_forbidden_char(c), "U+{:04X}", c as u32);
        }
        // Letters of every script, marks and ordinary symbols stay allowed.
        for c in [
            'a', 'é', 'ñ', 'ß', 'Ł', '한', 'ㄱ', 'ж', 'ع', '中', '\u{301}', '\'', '-', ' ',
        ] {
            assert!(!is_forbidden_char(c), "U+{:04X}", c as u32);
        }
        let err = clean_field("last_name", "Kim\u{3164}", 100).unwrap_err();
        assert!(
            err.contains("U+3164") && err.contains("character 4"),
            "{err}"
        );
    }
}
