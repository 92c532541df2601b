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

/// Characters that are never allowed in a stored field: C0/C1 controls
/// (ESC starts terminal escape sequences), bidirectional overrides and
/// isolates (they reorder what staff read), zero-width and other invisible
/// format characters.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}')
}

/// Checks a free-text field (name, URL, practice id) and returns it trimmed
/// and in Unicode NFC. `what` names the field in the error sentence.
pub fn clean_field(what: &str, value: &str, max_chars: usize) -> Result<String, String> {
    if let Some(c) = value.chars().find(|&c| is_forbidden_char(c)) {
        return Err(format!(
            "{what} contains a control or invisible character (U+{:04X})",
            c as u32
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
    }
}
