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
        let mut ats = 0;
        let ok = s.len() <= 254
            && s.bytes().all(|b| {
                ats += usize::from(b == b'@');
                b.is_ascii_graphic() && !b.is_ascii_uppercase()
            })
            && ats == 1;
        ok.then(|| Email(s.to_owned()))
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
}
