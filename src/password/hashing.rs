//! argon2id hashing as standard PHC strings. Parameters come from config;
//! a hash made with other parameters verifies still and is flagged for a
//! re-hash at the next successful sign-in.
//!
//! Passwords are Unicode-normalised (NFKC) before hashing, so the same
//! password typed on two keyboards that produce different code points for
//! "é" still matches (NIST SP 800-63B 5.1.1.2).

use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::config::HashingConfig;
use crate::domain::PasswordHash;
use crate::error::{Error, Result};
use crate::secret::Secret;

pub struct Hasher {
    params: Params,
}

impl Hasher {
    /// A hasher with these settings; below the OWASP minimum only when
    /// `cfg.allow_weak` says so (hashes written now would be cheap to crack).
    pub fn new(cfg: &HashingConfig) -> Result<Hasher> {
        if let Some(why) = cfg.refusal() {
            return Err(Error::Config(format!("hashing.memory_kib: {why}")));
        }
        let params =
            Params::new(cfg.memory_kib, cfg.iterations, cfg.parallelism, None).map_err(|e| {
                Error::Config(format!("hashing: argon2 refuses these parameters ({e})"))
            })?;
        Ok(Hasher { params })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes with a fresh random salt. Slow on purpose: never call it inside
    /// a database write transaction.
    pub fn hash(&self, password: &Secret) -> Result<PasswordHash> {
        let normalized = normalize(password);
        let phc = self
            .argon2()
            .hash_password(normalized.as_bytes())
            .map_err(|e| Error::Internal(format!("hashing failed: {e}")))?;
        Ok(PasswordHash(phc.to_string()))
    }

    /// True when `password` matches `hash` (whatever argon2 parameters it was made with).
    pub fn verify(&self, password: &Secret, hash: &PasswordHash) -> bool {
        let Ok(phc) = Phc::new(&hash.0) else {
            return false;
        };
        let normalized = normalize(password);
        // The verifier takes the algorithm, version and cost from the PHC string.
        Argon2::default()
            .verify_password(normalized.as_bytes(), &phc)
            .is_ok()
    }

    /// Spends the time of one verification and answers nothing: used when
    /// there is no account to check against, so that an unknown email costs
    /// what a known one does. Hashing with the configured parameters costs
    /// the same as verifying a hash made with them.
    pub fn verify_dummy(&self, password: &Secret) {
        let _ = self.hash(password);
    }

    /// True when `hash` was made with other parameters (or another algorithm)
    /// than the configured ones.
    pub fn needs_rehash(&self, hash: &PasswordHash) -> bool {
        let Ok(phc) = Phc::new(&hash.0) else {
            return true;
        };
        if phc.algorithm.as_str() != "argon2id" || phc.version != Some(0x13) {
            return true;
        }
        match Params::try_from(&phc) {
            Ok(p) => {
                p.m_cost() != self.params.m_cost()
                    || p.t_cost() != self.params.t_cost()
                    || p.p_cost() != self.params.p_cost()
            }
            Err(_) => true,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "argon2id m={},t={},p={}",
            self.params.m_cost(),
            self.params.t_cost(),
            self.params.p_cost()
        )
    }
}

/// NFKC-normalised copy of the password, zeroized when dropped.
pub fn normalize(password: &Secret) -> Zeroizing<String> {
    Zeroizing::new(password.expose().nfkc().collect())
}

/// Fills `buf` from the operating system's CSPRNG.
pub(crate) fn getrandom_fill(buf: &mut [u8]) -> Result<()> {
    use rand::TryRng;
    rand::rngs::SysRng.try_fill_bytes(buf).map_err(|e| {
        Error::Internal(format!(
            "the operating system's random generator failed: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> HashingConfig {
        HashingConfig {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
            allow_weak: true,
        }
    }

    #[test]
    fn hash_verifies_and_is_phc() {
        let h = Hasher::new(&small()).unwrap();
        let pw = Secret::from("purple monkey dishwasher");
        let hash = h.hash(&pw).unwrap();
        assert!(
            hash.0.starts_with("$argon2id$v=19$m=64,t=1,p=1$"),
            "{}",
            hash.0
        );
        assert!(h.verify(&pw, &hash));
        assert!(!h.verify(&Secret::from("purple monkey dishwashers"), &hash));
        assert!(!h.verify(&pw, &PasswordHash("garbage".into())));
        // Two hashes of one password differ (random salt).
        assert_ne!(h.hash(&pw).unwrap(), hash);
    }

    #[test]
    fn nfkc_makes_equivalent_spellings_match() {
        let h = Hasher::new(&small()).unwrap();
        let composed = Secret::from("caf\u{e9} au lait tous les jours");
        let decomposed = Secret::from("cafe\u{301} au lait tous les jours");
        let hash = h.hash(&composed).unwrap();
        assert!(h.verify(&decomposed, &hash));
    }

    #[test]
    fn other_parameters_need_a_rehash() {
        let old = Hasher::new(&small()).unwrap();
        let new = Hasher::new(&HashingConfig {
            memory_kib: 128,
            ..small()
        })
        .unwrap();
        let pw = Secret::from("x");
        let hash = old.hash(&pw).unwrap();
        assert!(!old.needs_rehash(&hash));
        assert!(new.needs_rehash(&hash));
        assert!(new.verify(&pw, &hash), "old parameters still verify");
    }

    #[test]
    fn unsafe_argon2_settings_make_no_hasher_unless_allowed() {
        let weak = HashingConfig {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
            allow_weak: false,
        };
        let err = Hasher::new(&weak).err().expect("refused");
        assert!(err.to_string().contains("OWASP minimum"), "{err}");
        Hasher::new(&HashingConfig::default()).expect("the default is the OWASP minimum");
    }
}
