//! E-correspondent and login emails: validated, compared case-insensitively
//! (stored in lower case).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an email typed by a person or read from a file. Plain ASCII
    /// addresses only; the sentence on error says what is wrong.
    pub fn parse(input: &str) -> Result<Email, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("the email is empty".into());
        }
        if s.len() > 254 {
            return Err("the email is longer than 254 characters".into());
        }
        if let Some(c) = s.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(if c.is_whitespace() {
                "the email contains a space".into()
            } else if c.is_ascii() {
                format!(
                    "the email contains a control character (U+{:04X})",
                    c as u32
                )
            } else {
                "the email contains a character outside plain ASCII".into()
            });
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(format!("\"{s}\" is not an email (no @)"));
        };
        if domain.contains('@') {
            return Err(format!("\"{s}\" is not an email (more than one @)"));
        }
        if local.is_empty() || local.len() > 64 {
            return Err(format!(
                "\"{s}\" is not an email (the part before @ must be 1 to 64 characters)"
            ));
        }
        let local_ok = local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(format!(
                "\"{s}\" is not an email (bad character or dot before @)"
            ));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !domain_ok {
            return Err(format!(
                "\"{s}\" is not an email (the domain after @ is not valid)"
            ));
        }
        Ok(Email(s.to_ascii_lowercase()))
    }

    /// An email read back from the search index this program wrote from a
    /// parsed one: only its shape is checked again (plain ASCII, one `@`),
    /// which keeps a page of search results cheap to decode. A damaged or
    /// planted value that fails the check is `None`.
    pub fn from_index(s: &str) -> Option<Email> {
        Email::has_stored_shape(s).then(|| Email(s.to_owned()))
    }

    /// The check of [`Email::from_index`] without building an email: plain
    /// printable ASCII without capitals, one `@`, at most 254 bytes. One
    /// Two passes without early exits or branches (the compiler turns them
    /// into vector instructions), so that it is cheap on every row of a page.
    pub fn has_stored_shape(s: &str) -> bool {
        let b = s.as_bytes();
        // Outside `!`..=`~`, or `A`..=`Z`.
        let bad = b.iter().fold(0u8, |acc, &c| {
            acc | u8::from(c.wrapping_sub(0x21) > 0x5d) | u8::from(c.wrapping_sub(b'A') < 26)
        });
        let ats = b
            .iter()
            .fold(0u8, |n, &c| n.wrapping_add(u8::from(c == b'@')));
        b.len() <= 254 && bad == 0 && ats == 1
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_in_lower_case() {
        assert_eq!(
            Email::parse(" Maria.Garcia+kids@Example.COM ")
                .unwrap()
                .as_str(),
            "maria.garcia+kids@example.com"
        );
        assert_eq!(
            Email::parse("o'brien@mail.example.org").unwrap().as_str(),
            "o'brien@mail.example.org"
        );
    }

    #[test]
    fn refuses_what_is_not_an_email() {
        for bad in [
            "",
            "plain",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            ".a@b.com",
            "a..b@c.com",
            "a@-b.com",
            "a@b.c0m",
            "é@b.com",
            "a\u{1b}@b.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    /// The stored-shape check as it reads, byte by byte with early exits.
    fn stored_shape_plainly(s: &str) -> bool {
        s.len() <= 254
            && s.bytes().filter(|&b| b == b'@').count() == 1
            && s.bytes()
                .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase())
    }

    #[test]
    fn an_indexed_email_of_a_damaged_shape_is_refused() {
        let long = format!("{}@example.org", "a".repeat(242));
        assert_eq!(long.len(), 254);
        for (s, ok) in [
            ("maria.garcia+kids@example.com", true),
            ("o'brien@mail.example.org", true),
            (long.as_str(), true),
            (&format!("a{long}"), false),
            ("Maria@example.com", false),
            ("maria@Example.com", false),
            ("maria", false),
            ("a@@example.com", false),
            ("a b@example.com", false),
            ("a\u{7f}@example.com", false),
            ("a\u{1b}[2J@example.com", false),
            ("é@example.com", false),
            ("", false),
        ] {
            assert_eq!(Email::has_stored_shape(s), ok, "{s:?}");
            assert_eq!(Email::from_index(s).is_some(), ok, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_stored_shape_is_checked_as_it_reads(
            s in proptest::string::string_regex("[ab~!@A \\u{7f}\\u{80}é]{0,12}").unwrap(),
        ) {
            proptest::prop_assert_eq!(Email::has_stored_shape(&s), stored_shape_plainly(&s), "{:?}", s);
        }
    }
}
