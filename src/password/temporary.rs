//! Temporary passwords for the temporary login: random from the operating
//! system's CSPRNG, from an alphabet whose symbols are not confused when
//! read aloud or handwritten (`docs/security.md`), never derived from
//! anything about the patient.

use zeroize::Zeroizing;

use crate::config::TemporaryPasswordConfig;
use crate::error::Result;
use crate::secret::Secret;

use super::hashing::getrandom_fill;

/// A fresh temporary password in canonical form (no dashes).
pub fn generate(cfg: &TemporaryPasswordConfig) -> Result<Secret> {
    let alphabet: Vec<char> = cfg.alphabet.chars().collect();
    let n = alphabet.len();
    debug_assert!((2..=256).contains(&n));
    // Rejection sampling: only bytes below the largest multiple of n are
    // used, so every character is equally likely.
    let limit = 256 - (256 % n);
    let mut out = String::with_capacity(cfg.length);
    let mut buf = Zeroizing::new([0u8; 64]);
    while out.chars().count() < cfg.length {
        getrandom_fill(buf.as_mut())?;
        for &b in buf.iter() {
            if (b as usize) < limit && out.chars().count() < cfg.length {
                out.push(alphabet[b as usize % n]);
            }
        }
    }
    Ok(Secret::new(out))
}

/// `ABCDEFGHJKMN` → `ABCD-EFGH-JKMN`, for reading aloud.
pub fn grouped(secret: &Secret, group: usize) -> Secret {
    if group == 0 {
        return secret.clone();
    }
    let mut out = String::with_capacity(secret.expose().len() * 2);
    for (i, c) in secret.expose().chars().enumerate() {
        if i > 0 && i % group == 0 {
            out.push('-');
        }
        out.push(c);
    }
    Secret::new(out)
}

/// What the account holder typed, made canonical: Unicode NFKC (so a
/// full-width `７ＫＲＮ` is `7KRN`), separators dropped (dashes of any
/// width, spaces, dots, middle dots, underscores), and upper-cased when the
/// alphabet has no lower case — so `7krn fy3u` and `7KRN-FY3U` are the same
/// temporary password. Nothing else is changed: a password issued with an
/// earlier alphabet ([`crate::config::PREVIOUS_TEMPORARY_ALPHABET`]) is
/// never rewritten into another one, so it keeps working until it expires.
pub fn canonical(typed: &Secret, cfg: &TemporaryPasswordConfig) -> Secret {
    use unicode_normalization::UnicodeNormalization;
    let upper = !cfg.alphabet.chars().any(|c| c.is_lowercase());
    let s: String = typed
        .expose()
        .nfkc()
        .filter(|c| !is_separator(*c))
        .map(|c| if upper { c.to_ascii_uppercase() } else { c })
        .collect();
    Secret::new(s)
}

/// True when the new password `new` carries the temporary password
/// `temporary` in any form: compared on their skeletons
/// ([`crate::domain::text::skeleton`]: NFKC, look-alike letters of other
/// scripts made Latin, case, width, and every separator, space, bracket,
/// quote or invisible character gone), `new` holds every group of the
/// temporary password (`cfg.group` symbols; the whole of it with no groups),
/// in any order. So `7KRN/FY3U/46K7/RNFY`, `(7KRN)(FY3U)...`, `RNFY 46K7
/// FY3U 7KRN`, `7КRN-FУ3U...` with Cyrillic letters and `my 7krn...rnfy!`
/// are all the temporary password.
pub fn carries(new: &Secret, temporary: &Secret, cfg: &TemporaryPasswordConfig) -> bool {
    let mut t = Zeroizing::new(String::new());
    crate::domain::text::skeleton_into(temporary.expose(), &mut t);
    if t.is_empty() {
        return false;
    }
    let mut n = Zeroizing::new(String::new());
    crate::domain::text::skeleton_into(new.expose(), &mut n);
    let symbols: Zeroizing<Vec<char>> = Zeroizing::new(t.chars().collect());
    let size = if cfg.group == 0 {
        symbols.len()
    } else {
        cfg.group
    };
    symbols.chunks(size).all(|group| {
        let group: Zeroizing<String> = Zeroizing::new(group.iter().collect());
        n.contains(group.as_str())
    })
}

/// What an administrator's new password could be if it carried the
/// account's temporary password, which the administrator never sees and the
/// service knows only by its hash: the forms to verify against that hash,
/// at most `max` of them. The skeleton of `new` ([`carries`]) is reduced to
/// the symbols of the alphabet; then every run of `cfg.length` of them, in
/// order, and then each of those runs with its groups in every other order
/// (up to 5 groups). A password with fewer than `cfg.length` symbols of the
/// alphabet — every passphrase of ordinary words — has none, so costs no
/// hashing at all.
pub fn hidden_forms(new: &Secret, cfg: &TemporaryPasswordConfig, max: usize) -> Vec<Secret> {
    let mut n = Zeroizing::new(String::new());
    crate::domain::text::skeleton_into(new.expose(), &mut n);
    let symbols: Zeroizing<Vec<char>> =
        Zeroizing::new(n.chars().filter(|c| cfg.alphabet.contains(*c)).collect());
    let len = cfg.length;
    let mut out: Vec<Secret> = Vec::new();
    if symbols.len() < len || len == 0 {
        return out;
    }
    let push = |candidate: String, out: &mut Vec<Secret>| {
        let candidate = Secret::new(candidate);
        if out.len() < max && !out.contains(&candidate) {
            out.push(candidate);
        }
    };
    let runs: Vec<&[char]> = symbols.windows(len).collect();
    for run in &runs {
        push(run.iter().collect(), &mut out);
    }
    let group = cfg.group;
    if group == 0 || !len.is_multiple_of(group) || len / group > 5 {
        return out;
    }
    for run in &runs {
        let groups: Vec<&[char]> = run.chunks(group).collect();
        for order in permutations(groups.len()) {
            if out.len() >= max {
                return out;
            }
            push(
                order.iter().flat_map(|&i| groups[i].iter()).collect(),
                &mut out,
            );
        }
    }
    out
}

/// Every order of `0..n` (n is at most 5 here: 120 orders).
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut all = Vec::new();
    for rest in permutations(n - 1) {
        for at in 0..=rest.len() {
            let mut p = rest.clone();
            p.insert(at, n - 1);
            all.push(p);
        }
    }
    all
}

/// What people put between groups when they copy a password down.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_' | '.' | '\u{00B7}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FB}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DEFAULT_TEMPORARY_ALPHABET, PREVIOUS_TEMPORARY_ALPHABET};
    use std::collections::HashSet;

    #[test]
    fn generated_passwords_use_the_alphabet_and_length() {
        let cfg = TemporaryPasswordConfig::default();
        let mut seen = HashSet::new();
        for _ in 0..200 {
            let s = generate(&cfg).unwrap();
            assert_eq!(s.char_len(), 16);
            assert!(s.expose().chars().all(|c| cfg.alphabet.contains(c)));
            seen.insert(s.expose().to_owned());
        }
        assert_eq!(seen.len(), 200, "200 draws of 53 bits never collide");
    }

    #[test]
    fn the_default_has_at_least_fifty_bits() {
        let cfg = TemporaryPasswordConfig::default();
        assert_eq!(cfg.alphabet.chars().count(), 10);
        assert!((cfg.bits() - 53.15).abs() < 0.01, "{}", cfg.bits());
    }

    #[test]
    fn every_character_of_the_alphabet_appears() {
        let cfg = TemporaryPasswordConfig::default();
        let mut seen = HashSet::new();
        for _ in 0..100 {
            seen.extend(generate(&cfg).unwrap().expose().chars());
        }
        assert_eq!(seen.len(), cfg.alphabet.chars().count());
    }

    /// Pairs of symbols people confuse, by ear over a phone line (letter
    /// names that rhyme, digit names that sound alike) or by eye in
    /// handwriting. The readable alphabet holds at most one of each pair.
    const CONFUSED: &[(char, char)] = &[
        // rhymes with "ee"
        ('B', 'D'),
        ('B', 'E'),
        ('B', 'P'),
        ('B', 'V'),
        ('B', 'Z'),
        ('B', 'G'),
        ('B', 'T'),
        ('B', 'C'),
        ('D', 'E'),
        ('D', 'P'),
        ('D', 'T'),
        ('D', 'V'),
        ('E', 'P'),
        ('P', 'T'),
        ('P', 'V'),
        ('T', 'V'),
        ('V', 'Z'),
        ('C', 'Z'),
        ('G', 'Z'),
        ('C', 'T'),
        ('G', 'T'),
        ('3', 'B'),
        ('3', 'D'),
        ('3', 'E'),
        ('3', 'P'),
        ('3', 'T'),
        ('3', 'V'),
        // rhymes with "ay", "eh", "eye", "you"
        ('A', 'J'),
        ('A', 'K'),
        ('J', 'K'),
        ('A', 'H'),
        ('H', '8'),
        ('M', 'N'),
        ('F', 'S'),
        ('F', 'X'),
        ('S', 'X'),
        ('6', 'X'),
        ('I', 'Y'),
        ('Q', 'U'),
        ('U', 'W'),
        ('Q', 'W'),
        ('5', '9'),
        // handwriting
        ('0', 'O'),
        ('0', 'Q'),
        ('O', 'Q'),
        ('0', 'D'),
        ('1', 'I'),
        ('1', 'L'),
        ('I', 'L'),
        ('1', '7'),
        ('5', 'S'),
        ('2', 'Z'),
        ('8', 'B'),
        ('6', 'G'),
        ('6', 'b'),
        ('4', '9'),
        ('7', '9'),
        ('4', 'A'),
        ('U', 'V'),
        ('V', 'Y'),
        ('7', 'T'),
        ('9', 'g'),
        ('9', 'q'),
        ('C', 'G'),
        ('E', 'F'),
        ('K', 'X'),
        ('M', 'W'),
        ('N', 'Z'),
        ('R', 'B'),
    ];

    #[test]
    fn no_two_symbols_of_the_readable_alphabet_are_confused() {
        let alphabet = DEFAULT_TEMPORARY_ALPHABET;
        let exceptions: Vec<&(char, char)> = CONFUSED
            .iter()
            .filter(|(a, b)| alphabet.contains(*a) && alphabet.contains(*b))
            .collect();
        assert!(exceptions.is_empty(), "confusable pairs: {exceptions:?}");
        // The old alphabet fails the same test: the check can fail.
        assert!(
            CONFUSED
                .iter()
                .any(|(a, b)| PREVIOUS_TEMPORARY_ALPHABET.contains(*a)
                    && PREVIOUS_TEMPORARY_ALPHABET.contains(*b))
        );
    }

    #[test]
    fn grouping_and_canonical_form() {
        let cfg = TemporaryPasswordConfig::default();
        let s = Secret::from("7KRNFY3U46K7RNFY");
        assert_eq!(grouped(&s, 4).expose(), "7KRN-FY3U-46K7-RNFY");
        assert_eq!(grouped(&s, 0).expose(), "7KRNFY3U46K7RNFY");
        for typed in [
            "7krn-fy3u-46k7-rnfy",
            "7KRN FY3U 46K7 RNFY",
            "7krnfy3u46k7rnfy",
            " 7KRN.FY3U.46K7.RNFY ",
            "7KRN \u{2013} FY3U \u{2013} 46K7 \u{2013} RNFY",
            "7KRN_FY3U_46K7_RNFY",
            "\u{FF17}\u{FF2B}\u{FF32}\u{FF2E}-FY3U-46K7-RNFY",
        ] {
            assert_eq!(
                canonical(&typed.into(), &cfg).expose(),
                "7KRNFY3U46K7RNFY",
                "{typed}"
            );
        }
    }

    #[test]
    fn passwords_of_the_previous_alphabet_keep_their_letters() {
        // Issued before the readable alphabet: B, D, E, P... must survive
        // canonicalisation untouched, only upper-cased and without dashes.
        let cfg = TemporaryPasswordConfig::default();
        assert_eq!(
            canonical(&"bdep-vzgt-cm2s".into(), &cfg).expose(),
            "BDEPVZGTCM2S"
        );
        let old = TemporaryPasswordConfig {
            alphabet: PREVIOUS_TEMPORARY_ALPHABET.to_owned(),
            length: 12,
            ..TemporaryPasswordConfig::default()
        };
        for _ in 0..50 {
            let s = generate(&old).unwrap();
            let typed = Secret::from(grouped(&s, 4).expose().to_lowercase());
            assert_eq!(canonical(&typed, &cfg), s);
        }
        // Full-width letters and dashes (an East Asian input method) and a
        // typographic dash are the same temporary password.
        assert_eq!(
            canonical(&"ＡＢＣＤ－ＥＦＧＨ\u{2010}ｊｋｍｎ".into(), &cfg).expose(),
            "ABCDEFGHJKMN"
        );
    }

    /// Forms of the temporary password `7KRN-FY3U-46K7-U3NF`: every
    /// separator the tester tried (the integration test `findings.rs` names
    /// each), brackets, the groups reversed, Cyrillic `К` and `У`.
    fn tester_forms(shown: &str) -> Vec<String> {
        let groups: Vec<&str> = shown.split('-').collect();
        let mut forms: Vec<String> = "/+,:|~#'\u{200B}\u{AD}"
            .chars()
            .map(|sep| groups.join(&sep.to_string()))
            .collect();
        forms.push(groups.iter().map(|g| format!("({g})")).collect());
        forms.push(groups.iter().rev().copied().collect::<Vec<_>>().join(" "));
        forms.push(shown.replace('K', "\u{41A}").replace('Y', "\u{423}"));
        forms
    }

    #[test]
    fn a_temporary_password_is_carried_in_any_form() {
        let cfg = TemporaryPasswordConfig::default();
        let temp = Secret::from("7KRNFY3U46K7U3NF");
        let shown = grouped(&temp, 4);
        for form in tester_forms(shown.expose()) {
            assert!(carries(&form.as_str().into(), &temp, &cfg), "{form}");
            let longer = format!("my {} password!", form.to_lowercase());
            assert!(carries(&longer.into(), &temp, &cfg), "{form} inside");
        }
        for other in [
            "violet tractor pencil harbour",
            "FY3U 46K7 U3NF", // three of the four groups
            "7KRNFY3U46K7U3NK",
        ] {
            assert!(!carries(&other.into(), &temp, &cfg), "{other}");
        }
    }

    #[test]
    fn an_unknown_temporary_password_is_found_among_the_hidden_forms() {
        let cfg = TemporaryPasswordConfig::default();
        let temp = Secret::from("7KRNFY3U46K7U3NF");
        let shown = grouped(&temp, 4);
        for form in tester_forms(shown.expose()) {
            let forms = hidden_forms(&form.as_str().into(), &cfg, 64);
            assert!(forms.contains(&temp), "{form}: {} forms", forms.len());
        }
        let inside = format!("note: {}!!", shown.expose().replace('-', "/"));
        assert!(hidden_forms(&inside.into(), &cfg, 64).contains(&temp));
        // Ordinary passwords give nothing to hash; the count is bounded.
        assert!(hidden_forms(&"violet tractor pencil harbour".into(), &cfg, 64).is_empty());
        let many = "7KRNFY3U46K7RNFY4U3N6K7F".repeat(5);
        assert_eq!(hidden_forms(&many.into(), &cfg, 64).len(), 64);
        assert_eq!(permutations(4).len(), 24);
    }

    #[test]
    fn the_readable_alphabets_are_their_own_skeletons() {
        // A skeleton never turns one symbol of a temporary password into
        // another, so a form found in a skeleton is the password itself.
        for c in DEFAULT_TEMPORARY_ALPHABET
            .chars()
            .chain(PREVIOUS_TEMPORARY_ALPHABET.chars())
        {
            assert_eq!(
                crate::domain::text::skeleton(&c.to_string()),
                c.to_string(),
                "{c}"
            );
        }
    }
}
