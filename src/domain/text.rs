//! Text rules shared by every field: search keys (case-, accent- and
//! punctuation-insensitive), the characters a stored field may hold, and a
//! safe printable form of untrusted text for terminals.

use unicode_normalization::UnicodeNormalization;

/// The search key of a name: accents transliterated, lower case, letters and
/// digits only. `José` → `jose`, `O'Brien` → `obrien`, `García-López` →
/// `garcialopez`.
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_search_key(&mut out, s);
    out
}

/// [`search_key`] appended to `out`. An ASCII name (most) is read as it is:
/// transliteration leaves ASCII unchanged, so it allocates nothing.
pub fn push_search_key(out: &mut String, s: &str) {
    let keep = |c: char| c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase());
    if s.is_ascii() {
        out.extend(s.chars().filter_map(keep));
    } else {
        out.extend(deunicode::deunicode(s).chars().filter_map(keep));
    }
}

/// Text with accents transliterated and in lower case, punctuation kept:
/// `Müller` → `muller`, `Peña, Begoña` → `pena, begona`, `Łukasz` →
/// `lukasz`. Used where two spellings of one name must compare equal (the
/// password policy's account words).
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// The form in which two texts that look alike are the same: Unicode NFKC,
/// upper case, the UTS #39 confusables skeleton (`unicode-security`: the
/// Cyrillic `К` and `У` are the Latin `K` and `Y`, default-ignorable
/// characters such as U+200B and the soft hyphen vanish), upper case again,
/// and only letters and digits kept. `7KRN-FY3U`, `７ＫＲＮ／ＦＹ３Ｕ`,
/// `(7krn)(fy3u)` and `7КRN fу3u` all give `7KRNFY3U`.
///
/// Written into `out` (cleared first), so that a caller holding a secret
/// can keep the result in a zeroizing buffer; the intermediate forms are
/// zeroized here.
pub fn skeleton_into(s: &str, out: &mut String) {
    use zeroize::Zeroizing;
    out.clear();
    let mut upper = Zeroizing::new(String::with_capacity(s.len() * 2));
    upper.extend(s.nfkc().flat_map(char::to_uppercase));
    for c in unicode_security::skeleton(&upper).flat_map(char::to_uppercase) {
        if c.is_alphanumeric() {
            out.push(c);
        }
    }
}

/// [`skeleton_into`] for text that is not a secret.
pub fn skeleton(s: &str) -> String {
    let mut out = String::new();
    skeleton_into(s, &mut out);
    out
}

/// Private-use characters (U+E000–U+F8FF and planes 15 and 16): they have
/// no agreed shape, so a font may draw one as nothing or as any letter.
pub fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Where a name mixes scripts whose letters look alike: Latin with Cyrillic
/// or Greek (`Smіth` with a Cyrillic `і` looks exactly like `Smith`), or
/// Cyrillic with Greek, or three scripts. The rule is UTS #39's Moderately
/// Restrictive level, over the letters of the whole field (spaces,
/// punctuation, digits and marks go with any script), with the script sets
/// of `unicode-security`: one script is fine (a name wholly in Cyrillic, in
/// Greek, in Han...), Latin with Han and kana or hangul is fine (Japanese,
/// Korean), and Latin with one other script is fine unless that script is
/// Cyrillic or Greek.
///
/// Returns the odd character out — the first whose script is not the one
/// most of the field's letters are in (the Cyrillic `і` of `Smіth`, the
/// Greek `Ο` of `Οlivia`) — its place in the text (from 1), and the scripts
/// the field holds, in order (`["Latin", "Cyrillic"]`).
pub fn mixed_script_confusable(s: &str) -> Option<(char, usize, Vec<String>)> {
    use unicode_script::Script;
    use unicode_security::mixed_script::AugmentedScriptSet;
    let letters = || {
        s.chars()
            .enumerate()
            .map(|(at, c)| (at, c, AugmentedScriptSet::for_char(c)))
            .filter(|(_, _, set)| !set.is_all())
    };
    let mut all = AugmentedScriptSet::default();
    let mut but_latin = AugmentedScriptSet::default();
    let mut seen: Vec<String> = Vec::new();
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for (_, _, set) in letters() {
        let name = set.to_string();
        if !seen.contains(&name) {
            seen.push(name);
        }
        for script in set.base.iter() {
            match counts.iter_mut().find(|(s, _)| *s == script) {
                Some((_, n)) => *n += 1,
                None => counts.push((script, 1)),
            }
        }
        all.intersect_with(set);
        if !set.base.contains_script(Script::Latin) {
            but_latin.intersect_with(set);
        }
    }
    let fine = !all.is_empty()
        || but_latin.hanb
        || but_latin.jpan
        || but_latin.kore
        || (but_latin.base.len() == 1
            && but_latin.base.iter().next().is_some_and(|other| {
                other.is_recommended() && other != Script::Cyrillic && other != Script::Greek
            }));
    if fine {
        return None;
    }
    // The script most letters are in (the first seen, on a tie).
    let mut main = counts.first()?.0;
    let mut most = 0;
    for (script, n) in &counts {
        if *n > most {
            (main, most) = (*script, *n);
        }
    }
    let (at, c, _) = letters().find(|(_, _, set)| !set.base.contains_script(main))?;
    Some((c, at + 1, seen))
}

/// Characters that are never allowed in a stored field: C0/C1 controls
/// (ESC starts terminal escape sequences), line and paragraph separators,
/// interlinear annotations, and every Unicode Default_Ignorable_Code_Point —
/// characters a terminal draws as nothing, so that two different names look
/// the same: zero-width spaces and joiners, bidirectional overrides and
/// isolates (they also reorder what staff read), tag characters
/// (U+E0000–U+E007F), Hangul fillers (U+115F, U+1160, U+3164, U+FFA0),
/// variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) and the soft hyphen
/// — and private-use characters, which have no agreed shape.
pub fn is_forbidden_char(c: char) -> bool {
    if c < '\u{AD}' {
        return c.is_control();
    }
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}')
        || is_default_ignorable(c)
        || is_private_use(c)
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

/// Checks a free-text field (URL, practice id) and returns it trimmed
/// and in Unicode NFC. `what` names the field in the error sentence.
pub fn clean_field(what: &str, value: &str, max_chars: usize) -> Result<String, String> {
    clean_field_because(what, value, max_chars, "only plain text is kept")
}

/// [`clean_field`] whose refusal of a hidden character ends with `why`,
/// the field's own reason (a name's: two names that look the same must be
/// the same; a removal's reason: it is kept as plain text).
pub fn clean_field_because(
    what: &str,
    value: &str,
    max_chars: usize,
    why: &str,
) -> Result<String, String> {
    if let Some((at, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| is_forbidden_char(c))
    {
        let kind = if c.is_control() {
            "a control character"
        } else if is_private_use(c) {
            "a private-use character"
        } else {
            "an invisible character"
        };
        return Err(format!(
            "{what} contains {kind} (U+{:04X}, character {} of the field): {why}",
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
    fn an_ascii_name_gets_the_key_transliteration_would_give() {
        for name in ["O'Brien", "van der Berg", "SMITH-jones 2", "", "  "] {
            let through: String = deunicode::deunicode(name)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            assert_eq!(search_key(name), through, "{name:?}");
        }
        let mut key = String::from("garcia ");
        push_search_key(&mut key, "Łukasz");
        assert_eq!(key, "garcia lukasz");
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

    #[test]
    fn skeletons_make_look_alikes_equal() {
        for same in [
            "7KRN-FY3U",
            "7krn fy3u",
            "\u{FF17}\u{FF2B}\u{FF32}\u{FF2E}\u{FF0F}FY3U",
            "(7KRN)(FY3U)",
            "7KRN\u{200B}FY3U",
            "7KRN\u{AD}FY3U",
            "7\u{41A}RN/F\u{423}3U",
            "7\u{43A}rn'f\u{443}3u",
        ] {
            assert_eq!(skeleton(same), "7KRNFY3U", "{same:?}");
        }
        // Different letters stay different.
        assert_ne!(skeleton("7KRN"), skeleton("7KRM"));
        assert_eq!(skeleton("Smith"), skeleton("Sm\u{456}th"));
    }

    #[test]
    fn latin_mixed_with_cyrillic_or_greek_is_found() {
        let (c, at, scripts) = mixed_script_confusable("Sm\u{456}th").unwrap();
        assert_eq!((c, at), ('\u{456}', 3));
        assert_eq!(scripts, ["Latin", "Cyrillic"]);
        // A Greek capital Omicron for the O of O'Brien, a Cyrillic J for an
        // initial, a Latin word beside a Cyrillic one, Cyrillic with Greek.
        for bad in [
            "\u{39F}'Brien",
            "\u{408}. Smith",
            "Smith \u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}",
            "\u{418}\u{432}\u{430}\u{43D} \u{3A0}\u{3B1}\u{3C0}\u{3B1}",
        ] {
            assert!(mixed_script_confusable(bad).is_some(), "{bad}");
        }
        let (c, at, scripts) = mixed_script_confusable("\u{39F}'Brien").unwrap();
        assert_eq!((c, at), ('\u{39F}', 1), "the odd letter out, even first");
        assert_eq!(scripts, ["Greek", "Latin"]);
        // One script, or Latin with a script whose letters do not pass
        // for Latin ones, is fine.
        for fine in [
            "Garc\u{ED}a-L\u{F3}pez",
            "O'Brien",
            "\u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}\u{430}-\u{41F}\u{435}\u{442}\u{440}\u{43E}\u{432}\u{430}", // Иванова-Петрова
            "\u{3A0}\u{3B1}\u{3C0}\u{3B1}\u{3B4}\u{3CC}\u{3C0}\u{3BF}\u{3C5}\u{3BB}\u{3BF}\u{3C2}", // Παπαδόπουλος
            "\u{5C71}\u{7530} \u{3055}\u{304F}\u{3089}", // 山田 さくら
            "\u{D55C}\u{6F22} Kim",                      // hangul, hanja and Latin
            "Cohen \u{5DB}\u{5D4}\u{5DF}",               // Latin and Hebrew
            "Jose\u{301} 2nd",
            "Nguy\u{1EC5}n",
        ] {
            assert_eq!(mixed_script_confusable(fine), None, "{fine}");
        }
    }

    #[test]
    fn private_use_characters_are_forbidden_and_shown_escaped() {
        for c in ['\u{E000}', '\u{F8FF}', '\u{F0000}', '\u{10FFFD}'] {
            assert!(
                is_private_use(c) && is_forbidden_char(c),
                "U+{:04X}",
                c as u32
            );
        }
        assert!(!is_private_use('\u{D7FF}') && !is_private_use('\u{F900}') && !is_private_use('a'));
        let err = clean_field("last_name", "Smith\u{E000}", 100).unwrap_err();
        assert!(
            err.contains("U+E000") && err.contains("private-use"),
            "{err}"
        );
        assert_eq!(printable("Smith\u{E000}"), "Smith<U+E000>");
    }
}
