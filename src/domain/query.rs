//! What a search box's text means: which index to walk and from which prefix.
//!
//! - empty → every patient, by name
//! - contains `@` → e-correspondent email prefix
//! - `YYYY-MM-DD`, `YYYY-MM`, `YYYY-` or `MM/DD/YYYY` → date of birth
//! - letters, digits and dashes with a digit → account number prefix
//! - `last, first` → last name, then first-name prefix
//! - anything else → last-name prefix
//!
//! Names are matched on their search key (see [`super::text::search_key`]),
//! so case, accents, spaces and punctuation do not matter.

use super::patient::parse_date;
use super::text::search_key;

/// Separates the parts of an index key. Below every letter and digit, so
/// "smith" sorts (with all its first names) before "smithers".
pub const KEY_SEP: char = ' ';

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientQuery {
    All,
    /// Prefix of `last` or `last first` search keys.
    Name(String),
    /// Prefix of an ISO date.
    DateOfBirth(String),
    Email(String),
    AccountNumber(String),
}

impl PatientQuery {
    pub fn parse(text: &str) -> PatientQuery {
        let t = text.trim();
        if t.is_empty() {
            return PatientQuery::All;
        }
        if t.contains('@') {
            return PatientQuery::Email(t.to_ascii_lowercase());
        }
        if let Some(prefix) = date_prefix(t) {
            return PatientQuery::DateOfBirth(prefix);
        }
        if t.chars().any(|c| c.is_ascii_digit())
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c.is_whitespace())
        {
            let acct: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            return PatientQuery::AccountNumber(acct.to_ascii_uppercase());
        }
        if let Some((last, first)) = t.split_once(',') {
            let last = search_key(last);
            if last.is_empty() {
                return PatientQuery::All;
            }
            return PatientQuery::Name(format!("{last}{KEY_SEP}{}", search_key(first)));
        }
        match search_key(t) {
            k if k.is_empty() => PatientQuery::All,
            k => PatientQuery::Name(k),
        }
    }

    /// One word for what is being searched, for status lines.
    pub fn kind(&self) -> &'static str {
        match self {
            PatientQuery::All => "all patients",
            PatientQuery::Name(_) => "name",
            PatientQuery::DateOfBirth(_) => "date of birth",
            PatientQuery::Email(_) => "email",
            PatientQuery::AccountNumber(_) => "account number",
        }
    }
}

fn date_prefix(t: &str) -> Option<String> {
    if t.contains('/') {
        return parse_date(t).ok().map(|d| d.to_string());
    }
    let b = t.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let iso_prefix = match b.len() {
        5 => digits(0..4) && b[4] == b'-',
        6 | 7 => digits(0..4) && b[4] == b'-' && digits(5..b.len()),
        8 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-',
        9 | 10 => {
            digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..b.len())
        }
        _ => false,
    };
    iso_prefix.then(|| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PatientQuery::*;

    #[test]
    fn classifies_what_staff_type() {
        assert_eq!(PatientQuery::parse("  "), All);
        assert_eq!(PatientQuery::parse("O'Bri"), Name("obri".into()));
        assert_eq!(PatientQuery::parse("garcia, jo"), Name("garcia jo".into()));
        assert_eq!(
            PatientQuery::parse("García-López,"),
            Name("garcialopez ".into())
        );
        assert_eq!(
            PatientQuery::parse("2019-03-07"),
            DateOfBirth("2019-03-07".into())
        );
        assert_eq!(
            PatientQuery::parse("2019-03"),
            DateOfBirth("2019-03".into())
        );
        assert_eq!(
            PatientQuery::parse("3/7/2019"),
            DateOfBirth("2019-03-07".into())
        );
        assert_eq!(PatientQuery::parse("2019"), AccountNumber("2019".into()));
        assert_eq!(PatientQuery::parse("a-100"), AccountNumber("A-100".into()));
        assert_eq!(PatientQuery::parse("Maria.G@"), Email("maria.g@".into()));
        // A digit in something that cannot be an account number: a name
        // first, then (in the service) an email.
        assert_eq!(
            PatientQuery::parse("jose.garcia1"),
            Name("josegarcia1".into())
        );
    }
}
