//! Temporary passwords for the temporary login: random from the operating
//! system's CSPRNG, from an alphabet without look-alike characters, never
//! derived from anything about the patient.

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

/// What the account holder typed, made canonical: dashes and spaces dropped,
/// and upper-cased when the alphabet has no lower case, so `abcd efgh jkmn`
/// and `ABCD-EFGH-JKMN` are the same temporary password.
pub fn canonical(typed: &Secret, cfg: &TemporaryPasswordConfig) -> Secret {
    let upper = !cfg.alphabet.chars().any(|c| c.is_lowercase());
    let s: String = typed
        .expose()
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| if upper { c.to_ascii_uppercase() } else { c })
        .collect();
    Secret::new(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generated_passwords_use_the_alphabet_and_length() {
        let cfg = TemporaryPasswordConfig::default();
        let mut seen = HashSet::new();
        for _ in 0..200 {
            let s = generate(&cfg).unwrap();
            assert_eq!(s.char_len(), 12);
            assert!(s.expose().chars().all(|c| cfg.alphabet.contains(c)));
            seen.insert(s.expose().to_owned());
        }
        assert_eq!(seen.len(), 200, "200 draws of 59 bits never collide");
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

    #[test]
    fn grouping_and_canonical_form() {
        let cfg = TemporaryPasswordConfig::default();
        let s = Secret::from("ABCDEFGHJKMN");
        assert_eq!(grouped(&s, 4).expose(), "ABCD-EFGH-JKMN");
        assert_eq!(grouped(&s, 0).expose(), "ABCDEFGHJKMN");
        assert_eq!(
            canonical(&"abcd-efgh jkmn".into(), &cfg).expose(),
            "ABCDEFGHJKMN"
        );
    }
}
