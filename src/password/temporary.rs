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
}
