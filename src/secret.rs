//! Plaintext secrets (passwords, temporary passwords) held only in memory.
//!
//! A [`Secret`] zeroizes its buffer when dropped and never shows its value
//! through `Debug` or `Display`, so it cannot leak into a log line, an error
//! message or a test snapshot by accident. Reading it takes an explicit
//! [`Secret::expose`].

use std::fmt;
use zeroize::Zeroizing;

/// A plaintext secret: zeroized on drop, redacted in `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(Zeroizing::new(value))
    }

    /// The plaintext. Call sites are few and reviewed: hashing, policy checks,
    /// and the one place the temporary login is shown to staff.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of characters (not bytes).
    pub fn char_len(&self) -> usize {
        self.0.chars().count()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value.to_owned())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::from("Correct-Horse-Battery-Staple");
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("Correct"), "{shown}");
        assert!(shown.contains("redacted"));
        assert_eq!(s.expose(), "Correct-Horse-Battery-Staple");
        assert_eq!(s.char_len(), 28);
    }
}
