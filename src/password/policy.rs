//! The rules a chosen password must pass (NIST SP 800-63B, OWASP ASVS):
//! a length range, no composition rules, and a strength estimate by zxcvbn
//! that knows the common-password and dictionary lists and is told the
//! account's own words (email, patient names, practice name).

use zeroize::Zeroizing;

use crate::config::PolicyConfig;
use crate::domain::text::fold;
use crate::secret::Secret;

use super::hashing::normalize;

/// Why a password was refused, in words an account holder understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyViolation {
    #[error("the new password is empty")]
    Empty,
    #[error("the two new passwords are not the same")]
    Mismatch,
    #[error(
        "it is too short: use at least {min} characters (a few unrelated words make a good password)"
    )]
    TooShort { min: usize },
    #[error("it is too long: use at most {max} characters")]
    TooLong { max: usize },
    #[error(
        "it contains a control character (such as a tab or an escape); use letters, digits, spaces and punctuation"
    )]
    ControlCharacter,
    #[error("it is too easy to guess: {hint}")]
    TooWeak { hint: String },
    #[error("it is the same as the current or temporary password; choose a new one")]
    SameAsCurrent,
    #[error(
        "it contains the temporary password (in some form or order); choose one that whoever read you the temporary password cannot know"
    )]
    ContainsTemporary,
    #[error("it was used before on this account; choose one not used here before")]
    Reused,
    #[error(
        "this practice does not allow permanent passwords set by an administrator; keep \"Password Reset Required\" ticked"
    )]
    ResetRequiredMandatory,
}

#[derive(Debug, Clone)]
pub struct PasswordPolicy {
    cfg: PolicyConfig,
}

impl PasswordPolicy {
    pub fn new(cfg: &PolicyConfig) -> Self {
        PasswordPolicy { cfg: cfg.clone() }
    }

    pub fn config(&self) -> &PolicyConfig {
        &self.cfg
    }

    /// Checks a new password given twice. `user_inputs` are the words of
    /// this account (email, names, practice name) that must not carry it.
    pub fn check_new(
        &self,
        new: &Secret,
        confirm: &Secret,
        user_inputs: &[&str],
    ) -> Result<(), PolicyViolation> {
        if new.is_empty() {
            return Err(PolicyViolation::Empty);
        }
        if normalize(new) != normalize(confirm) {
            return Err(PolicyViolation::Mismatch);
        }
        self.check(new, user_inputs)
    }

    pub fn check(&self, password: &Secret, user_inputs: &[&str]) -> Result<(), PolicyViolation> {
        let normalized = normalize(password);
        if normalized.is_empty() {
            return Err(PolicyViolation::Empty);
        }
        if normalized.chars().any(char::is_control) {
            return Err(PolicyViolation::ControlCharacter);
        }
        let n = normalized.chars().count();
        if n < self.cfg.min_length {
            return Err(PolicyViolation::TooShort {
                min: self.cfg.min_length,
            });
        }
        if n > self.cfg.max_length {
            return Err(PolicyViolation::TooLong {
                max: self.cfg.max_length,
            });
        }
        if self.cfg.min_score == 0 {
            return Ok(());
        }
        // zxcvbn matches user inputs whole; give it each word too, so that
        // "smith" counts even when the input was "maria.smith@example.com".
        // Words and password are compared with accents folded on both sides
        // (`Müller` → `muller`, `Peña` → `pena`, `Łukasz` → `lukasz`), so
        // `Muller2017!!!` is as weak for the Müllers as `Müller2017!!!`.
        let mut words: Vec<Zeroizing<String>> = Vec::new();
        for input in user_inputs {
            for form in [input.to_lowercase(), fold(input)] {
                for w in form.split(|c: char| !c.is_alphanumeric()) {
                    if w.chars().count() >= 3 && !words.iter().any(|k| k.as_str() == w) {
                        words.push(Zeroizing::new(w.to_owned()));
                    }
                }
                if !words.iter().any(|k| k.as_str() == form) {
                    words.push(Zeroizing::new(form));
                }
            }
        }
        let refs: Vec<&str> = words.iter().map(|w| w.as_str()).collect();
        let estimate = zxcvbn::zxcvbn(&normalized, &refs);
        // zxcvbn still rates "Smith2024!!!" fair for the Smith family: judge
        // also what is left once the account's own words are taken out.
        let folded = Zeroizing::new(fold(&normalized));
        let personal_rest = strip_words(&folded, &words);
        let personal_weak = personal_rest
            .as_ref()
            .is_some_and(|rest| u8::from(zxcvbn::zxcvbn(rest, &refs).score()) < self.cfg.min_score);
        if u8::from(estimate.score()) >= self.cfg.min_score && !personal_weak {
            return Ok(());
        }
        let hint = if personal_weak || personal_rest.is_some() {
            "it is built from your own name, email or the practice's name".to_owned()
        } else if let Some(w) = estimate.feedback().and_then(|f| f.warning()) {
            let w = w.to_string();
            w.trim_end_matches('.').to_lowercase()
        } else {
            "it follows a pattern that is quick to guess".to_owned()
        };
        Err(PolicyViolation::TooWeak {
            hint: format!("{hint}; add another word or two that are not about you"),
        })
    }
}

/// The (folded) password with every occurrence of the account's own
/// (folded) words removed, or `None` when it holds none of them.
fn strip_words(folded: &str, words: &[Zeroizing<String>]) -> Option<Zeroizing<String>> {
    let mut rest = Zeroizing::new(folded.to_owned());
    let mut sorted: Vec<&str> = words
        .iter()
        .map(|w| w.as_str())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut found = false;
    for w in sorted {
        if rest.contains(w) {
            found = true;
            *rest = rest.replace(w, "");
        }
    }
    found.then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> PasswordPolicy {
        PasswordPolicy::new(&PolicyConfig::default())
    }

    #[test]
    fn length_limits() {
        let p = policy();
        assert_eq!(
            p.check(&"short".into(), &[]),
            Err(PolicyViolation::TooShort { min: 12 })
        );
        let long = "correct horse battery staple ".repeat(5);
        assert_eq!(
            p.check(&long.as_str().into(), &[]),
            Err(PolicyViolation::TooLong { max: 128 })
        );
        let ok = "violet tractor pencil harbour";
        assert_eq!(p.check(&ok.into(), &[]), Ok(()));
        // 64 characters are accepted (NIST: at least 64 must be).
        let sixty_four = "mango kettle orbit 4721 lantern quiver tundra saffron glimmer wo";
        assert_eq!(sixty_four.chars().count(), 64);
        assert_eq!(p.check(&sixty_four.into(), &[]), Ok(()));
    }

    #[test]
    fn family_names_make_a_weak_password() {
        let p = policy();
        let inputs = [
            "smith.family@example.com",
            "Smith",
            "Olivia",
            "Sunshine Pediatrics",
        ];
        for weak in [
            "Smith2024!!!",
            "Smith2024!Smith",
            "OliviaSmith2024!",
            "SunshinePeds2024",
        ] {
            let err = p.check(&weak.into(), &inputs).unwrap_err();
            assert!(
                matches!(err, PolicyViolation::TooWeak { .. }),
                "{weak}: {err:?}"
            );
            assert!(err.to_string().contains("your own name"), "{err}");
        }
        // The 10-character example from the practice's own guide.
        assert!(p.check(&"Smith2024!".into(), &inputs).is_err());
        // Unrelated words with the family name around them still pass.
        assert_eq!(
            p.check(&"smith harbor violet lantern 42".into(), &inputs),
            Ok(())
        );
        assert!(p.check(&"password1234".into(), &[]).is_err());
    }

    #[test]
    fn accents_left_out_still_make_a_family_password() {
        let p = policy();
        let inputs = [
            "j.muller@example.com",
            "Müller",
            "Jürgen",
            "Peña",
            "Begoña",
            "Łukasz",
        ];
        for weak in [
            "Müller2017!!!",
            "Muller2017!!!",
            "JurgenMuller!!",
            "PenaBegona2015",
            "Begona.Pena.15",
            "Lukasz2019!!!",
        ] {
            let err = p.check(&weak.into(), &inputs).unwrap_err();
            assert!(err.to_string().contains("your own name"), "{weak}: {err}");
        }
        assert_eq!(
            p.check(&"muller harbor violet lantern 42".into(), &inputs),
            Ok(())
        );
    }

    #[test]
    fn confirmation_must_match_after_normalisation() {
        let p = policy();
        let a = Secret::from("caf\u{e9} violet tractor 99");
        let b = Secret::from("cafe\u{301} violet tractor 99");
        assert_eq!(p.check_new(&a, &b, &[]), Ok(()));
        assert_eq!(
            p.check_new(&a, &"other".into(), &[]),
            Err(PolicyViolation::Mismatch)
        );
        assert_eq!(
            p.check_new(&"".into(), &"".into(), &[]),
            Err(PolicyViolation::Empty)
        );
        assert_eq!(
            p.check(&"tab\there violet tractor".into(), &[]),
            Err(PolicyViolation::ControlCharacter)
        );
    }
}
