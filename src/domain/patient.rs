//! Patients: who the practice sees, and whose account holder gets a portal login.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::email::Email;
use super::text::{clean_field_because, mixed_script_confusable, search_key};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_ACCOUNT_NUMBER_CHARS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patient {
    pub account_number: String,
    pub last_name: String,
    pub first_name: String,
    pub date_of_birth: Date,
    /// The account holder's e-correspondent email (usually a parent's).
    pub email: Option<Email>,
}

impl Patient {
    /// Builds a patient from raw text fields, checking each one. The error
    /// names the field: "date_of_birth \"13/45/2019\" is not a date ...".
    pub fn from_fields(
        account_number: &str,
        last_name: &str,
        first_name: &str,
        date_of_birth: &str,
        email: &str,
        today: Date,
    ) -> Result<Patient, String> {
        let account_number = parse_account_number(account_number)?;
        let last_name = clean_name("last_name", last_name)?;
        let first_name = clean_name("first_name", first_name)?;
        let date_of_birth = parse_date(date_of_birth).map_err(|e| format!("date_of_birth {e}"))?;
        if date_of_birth > today {
            return Err(format!("date_of_birth {date_of_birth} is in the future"));
        }
        if date_of_birth.year() < 1900 {
            return Err(format!("date_of_birth {date_of_birth} is before 1900"));
        }
        let email = if email.trim().is_empty() {
            None
        } else {
            Some(Email::parse(email).map_err(|e| format!("email: {e}"))?)
        };
        Ok(Patient {
            account_number,
            last_name,
            first_name,
            date_of_birth,
            email,
        })
    }

    pub fn last_key(&self) -> String {
        search_key(&self.last_name)
    }

    pub fn first_key(&self) -> String {
        search_key(&self.first_name)
    }

    /// "García-López, José"
    pub fn display_name(&self) -> String {
        format!("{}, {}", self.last_name, self.first_name)
    }

    /// Whether this patient and `other` have a last name in common, as the
    /// search reads names (case, accents and punctuation aside): the same
    /// whole name (`De la Cruz`, `DeLaCruz`) or a part of it (`García-López`
    /// and `Garcia`; `Van der Berg` and `Berg`). Single letters and
    /// particles (`O'`, `de`, `van`, `al`…) are no part in common:
    /// `O'Hara` and `O'Brien` have none.
    ///
    /// Used to tell staff when a patient joins a login none of whose
    /// patients shares their last name: worth a question to the parent,
    /// never a refusal (step-families and a mother's and a father's names
    /// are common).
    pub fn shares_last_name_with(&self, other: &Patient) -> bool {
        let (mine, theirs) = (self.last_key(), other.last_key());
        if !mine.is_empty() && mine == theirs {
            return true;
        }
        let parts = |name: &str| -> Vec<String> {
            super::keys::name_parts(name)
                .into_iter()
                .filter(|p| p.len() > 1 && !NAME_PARTICLES.contains(&p.as_str()))
                .collect()
        };
        let theirs = parts(&other.last_name);
        parts(&self.last_name).iter().any(|p| theirs.contains(p))
    }
}

/// Parts of a last name that many unrelated families share, so that
/// sharing one says nothing about being family (search keys).
const NAME_PARTICLES: &[&str] = &[
    "al", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "el",
    "la", "las", "le", "les", "lo", "los", "st", "te", "ten", "ter", "van", "von",
];

/// A name: a clean field ([`clean_field`]) with a letter or digit, that
/// does not mix scripts whose letters look alike ([`mixed_script_confusable`]):
/// `Smіth` with a Cyrillic `і` looks exactly like the Latin `Smith`, so two
/// different patients would look the same. A name wholly in one script
/// (Cyrillic, Greek...) stays fine.
fn clean_name(what: &str, value: &str) -> Result<String, String> {
    let v = clean_field_because(
        what,
        value,
        MAX_NAME_CHARS,
        "two names that look the same must be the same",
    )?;
    if search_key(&v).is_empty() {
        return Err(format!("{what} \"{v}\" has no letter or digit"));
    }
    if let Some((c, at, scripts)) = mixed_script_confusable(&v) {
        return Err(format!(
            "{what} \"{}\" mixes {} letters (U+{:04X}, character {at} of the field): letters of these scripts look alike, so it could pass for another name; write it in one script",
            super::text::printable(&v),
            scripts.join(" and "),
            c as u32
        ));
    }
    Ok(v)
}

/// Account numbers: 1 to 20 letters, digits or dashes, kept in upper case.
pub fn parse_account_number(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("account_number is empty".into());
    }
    if s.chars().count() > MAX_ACCOUNT_NUMBER_CHARS {
        return Err(format!(
            "account_number is too long (at most {MAX_ACCOUNT_NUMBER_CHARS} characters)"
        ));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!(
            "account_number \"{}\" may only hold letters, digits and dashes",
            super::text::printable(s)
        ));
    }
    Ok(s.to_ascii_uppercase())
}

/// A date as ISO `YYYY-MM-DD` or US `MM/DD/YYYY` (one-digit month and day allowed).
pub fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let shown = super::text::printable(s);
    let bad = || format!("\"{shown}\" is not a date (use YYYY-MM-DD or MM/DD/YYYY)");
    let nums = |parts: Vec<&str>, widths: [(usize, usize); 3]| -> Option<[u32; 3]> {
        if parts.len() != 3 {
            return None;
        }
        let mut out = [0u32; 3];
        for (i, p) in parts.iter().enumerate() {
            let (lo, hi) = widths[i];
            if p.len() < lo || p.len() > hi || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            out[i] = p.parse().ok()?;
        }
        Some(out)
    };
    let (y, m, d) = if s.contains('-') {
        let [y, m, d] = nums(s.split('-').collect(), [(4, 4), (2, 2), (2, 2)]).ok_or_else(bad)?;
        (y, m, d)
    } else if s.contains('/') {
        let [m, d, y] = nums(s.split('/').collect(), [(1, 2), (1, 2), (4, 4)]).ok_or_else(bad)?;
        (y, m, d)
    } else {
        return Err(bad());
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let day = u8::try_from(d).map_err(|_| bad())?;
    Date::from_calendar_date(y as i32, month, day).map_err(|_| bad())
}

/// Patients named in a sentence: at most this many numbers, then "and N
/// more" (an administrator looking for a family needs the numbers).
pub const NAMED_PATIENTS: usize = 5;

/// `patient 100003`, `patients 100996 and 100997`, `patients 1, 2, 3, 4, 5
/// and 2 more`: every number up to [`NAMED_PATIENTS`], then how many more.
pub fn patients_phrase<S: AsRef<str>>(numbers: &[S]) -> String {
    patients_phrase_up_to(numbers, NAMED_PATIENTS)
}

/// Patients an audit event names at most: an import's event named five
/// warned patients and "1 more" (finding 11, fresh eyes, session 6), and
/// named all 30,000 of a large import, about 250 KB of text that the app's
/// history and `audit list` then showed. A thousand six-digit numbers are
/// about 8 KB.
pub const AUDIT_NAMED_PATIENTS: usize = 1_000;

/// `patients 1, 2, 3, 4, 5 and 6`: for the audit trail, which is the
/// record of who was concerned, every number up to
/// [`AUDIT_NAMED_PATIENTS`], then how many more.
pub fn audit_patients_phrase<S: AsRef<str>>(numbers: &[S]) -> String {
    patients_phrase_up_to(numbers, AUDIT_NAMED_PATIENTS)
}

fn patients_phrase_up_to<S: AsRef<str>>(numbers: &[S], named: usize) -> String {
    let shown: Vec<&str> = numbers.iter().take(named).map(AsRef::as_ref).collect();
    let more = numbers.len() - shown.len();
    let word = if numbers.len() == 1 {
        "patient"
    } else {
        "patients"
    };
    match (shown.as_slice(), more) {
        ([], _) => "no patient".to_owned(),
        ([one], 0) => format!("{word} {one}"),
        (all, 0) => {
            let (last, rest) = all.split_last().unwrap_or((&"", &[]));
            format!("{word} {} and {last}", rest.join(", "))
        }
        (all, more) => format!("{word} {} and {more} more", all.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn named(last: &str) -> Patient {
        Patient {
            account_number: "1".into(),
            last_name: last.into(),
            first_name: "Kid".into(),
            date_of_birth: date!(2017 - 01 - 03),
            email: None,
        }
    }

    /// Fresh eyes, session 6, finding 4: a patient joining a login none of
    /// whose patients shares their last name is said; a sibling never is.
    #[test]
    fn last_names_in_common_are_read_as_the_search_reads_them() {
        let shared = [
            ("Brown", "Brown"),
            ("BROWN", "brown"),
            ("García-López", "Garcia"),
            ("Garcia", "García-López"),
            ("Smith Jones", "Jones"),
            ("O'Hara", "Ohara"),
            ("De la Cruz", "DeLaCruz"),
            ("Van der Berg", "Berg"),
            ("Nguyễn", "Nguyen"),
            ("Li", "Li"),
            ("Li-Wu", "Wu"),
        ];
        for (a, b) in shared {
            assert!(named(a).shares_last_name_with(&named(b)), "{a} / {b}");
            assert!(named(b).shares_last_name_with(&named(a)), "{b} / {a}");
        }
        let apart = [
            ("Ohara", "Brown"),
            ("O'Hara", "O'Brien"),
            ("De la Cruz", "De Leon"),
            ("Van Dyke", "Van Buren"),
            ("Al-Hassan", "Al-Rashid"),
            ("Smith", "Smithers"),
        ];
        for (a, b) in apart {
            assert!(!named(a).shares_last_name_with(&named(b)), "{a} / {b}");
        }
    }

    #[test]
    fn dates_in_both_formats() {
        assert_eq!(parse_date("2019-03-07").unwrap(), date!(2019 - 03 - 07));
        assert_eq!(parse_date("03/07/2019").unwrap(), date!(2019 - 03 - 07));
        assert_eq!(parse_date("3/7/2019").unwrap(), date!(2019 - 03 - 07));
        for bad in [
            "2019-02-30",
            "13/01/2019",
            "2019/03/07",
            "07-03-19",
            "",
            "2019-3-7",
            "yesterday",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn patient_fields_are_checked_and_named() {
        let today = date!(2026 - 01 - 05);
        let p = Patient::from_fields("a-100", "O'Brien", "Seán", "2019-03-07", "", today).unwrap();
        assert_eq!(p.account_number, "A-100");
        assert_eq!(p.last_key(), "obrien");
        assert!(p.email.is_none());
        let e = Patient::from_fields("1", "X", "Y", "2030-01-01", "", today).unwrap_err();
        assert!(e.contains("future"), "{e}");
        let e = Patient::from_fields("1", "X", "Y", "2020-01-01", "not-mail", today).unwrap_err();
        assert!(e.starts_with("email"), "{e}");
        let e = Patient::from_fields("1 2", "X", "Y", "2020-01-01", "", today).unwrap_err();
        assert!(e.contains("account_number"), "{e}");
        let e = Patient::from_fields("1", "--", "Y", "2020-01-01", "", today).unwrap_err();
        assert!(e.contains("no letter"), "{e}");
        let e =
            Patient::from_fields("1", "Sm\u{456}th", "Luna", "2020-01-01", "", today).unwrap_err();
        assert!(
            e.starts_with("last_name") && e.contains("Latin and Cyrillic") && e.contains("U+0456"),
            "{e}"
        );
        let e = Patient::from_fields("1", "Smith", "Lun\u{E000}a", "2020-01-01", "", today)
            .unwrap_err();
        assert!(e.starts_with("first_name") && e.contains("U+E000"), "{e}");
        let p = Patient::from_fields(
            "1",
            "\u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}\u{430}",
            "\u{410}\u{43D}\u{43D}\u{430}",
            "2020-01-01",
            "",
            today,
        );
        assert!(p.is_ok(), "a name wholly in Cyrillic: {p:?}");
    }

    #[test]
    fn patients_are_named_up_to_five_then_counted() {
        let n = |k: usize| (0..k).map(|i| format!("10099{i}")).collect::<Vec<_>>();
        assert_eq!(patients_phrase(&n(1)), "patient 100990");
        assert_eq!(patients_phrase(&n(2)), "patients 100990 and 100991");
        assert_eq!(
            patients_phrase(&n(5)),
            "patients 100990, 100991, 100992, 100993 and 100994"
        );
        assert_eq!(
            patients_phrase(&n(7)),
            "patients 100990, 100991, 100992, 100993, 100994 and 2 more"
        );
    }

    /// Finding 11 (fresh eyes, session 6): the audit trail names every
    /// patient, past the five a sentence on screen names.
    #[test]
    fn the_audit_trail_names_every_patient_past_five() {
        let n = |k: usize| (0..k).map(|i| format!("1009{i:02}")).collect::<Vec<_>>();
        assert_eq!(audit_patients_phrase(&n(1)), "patient 100900");
        assert_eq!(
            audit_patients_phrase(&n(6)),
            "patients 100900, 100901, 100902, 100903, 100904 and 100905"
        );
        let many = audit_patients_phrase(&n(40));
        assert!(many.starts_with("patients 100900, 100901, "), "{many}");
        assert!(many.ends_with(", 100938 and 100939"), "{many}");
        assert!(!many.contains("more"), "{many}");
    }

    /// Finding 11's remainder: past a thousand, the trail names the first
    /// thousand and says how many more.
    #[test]
    fn the_audit_trail_names_a_thousand_patients_then_how_many_more() {
        let n = |k: usize| (0..k).map(|i| format!("9{i:05}")).collect::<Vec<_>>();
        let all = audit_patients_phrase(&n(AUDIT_NAMED_PATIENTS));
        assert!(all.ends_with(", 900998 and 900999"), "{all}");
        let capped = audit_patients_phrase(&n(30_000));
        assert!(
            capped.ends_with(", 900998, 900999 and 29000 more"),
            "{capped}"
        );
        assert_eq!(capped.matches(", ").count(), AUDIT_NAMED_PATIENTS - 1);
        assert!(capped.len() < 10_000, "{}", capped.len());
    }
}
