//! The redb tables, how index keys are built and the compact patient row
//! (see `docs/data-model.md`).

use redb::TableDefinition;
use time::Date;

use crate::domain::keys::{KEY_SEP, email_part_key, email_part_starts, index_tokens, name_parts};
use crate::domain::query::Candidate;
use crate::domain::text::push_search_key;
use crate::domain::{Email, Patient};

/// `schema_version`, `portal_setup`, `audit_head`, `next_account_id`, `demo`.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// account number → patient row (see [`encode_row`]); the row carries the
/// patient's portal account id. Account-number searches walk this table.
pub const PATIENTS: TableDefinition<&str, &[u8]> = TableDefinition::new("patients");
/// `last first ACCOUNT` → row.
pub const IDX_PATIENT_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("idx_patient_name");
/// `token last first ACCOUNT` → row, for every token of [`index_tokens`].
pub const IDX_PATIENT_TOKEN: TableDefinition<&str, &[u8]> =
    TableDefinition::new("idx_patient_token");
/// `token last first ACCOUNT` → row, the entries of [`IDX_PATIENT_TOKEN`]
/// of the patients with at least two tokens (a name of several parts):
/// words that no one token can begin together (`a e i`) need one of them,
/// and few patients have one (schema 4).
pub const IDX_PATIENT_MULTI: TableDefinition<&str, &[u8]> =
    TableDefinition::new("idx_patient_multi");
/// `YYYY-MM-DD last first ACCOUNT` → row.
pub const IDX_PATIENT_DOB: TableDefinition<&str, &[u8]> = TableDefinition::new("idx_patient_dob");
/// `email last first ACCOUNT` → row without the email (the key holds it).
pub const IDX_PATIENT_EMAIL: TableDefinition<&str, &[u8]> =
    TableDefinition::new("idx_patient_email");
/// email part key (see [`email_part_key`]) → the account numbers of the
/// patients with that email, space-separated, sorted; parts after the first.
pub const IDX_PATIENT_EMAIL_PART: TableDefinition<&str, &str> =
    TableDefinition::new("idx_patient_email_part");
/// email part key of a guardian's login — every part, the whole login
/// (`login␠`) too → the account numbers of the patients the holder is a
/// current guardian of, space-separated, sorted; only the patients whose own
/// email is another (the email indexes find the others already). Links an
/// administrator removed are not here; links the age rules ended are, as in
/// [`GUARDIANS`] (schema 5).
pub const IDX_GUARDIAN_LOGIN: TableDefinition<&str, &str> =
    TableDefinition::new("idx_guardian_login");
/// token → how many entries of `idx_patient_token` it has.
pub const SEARCH_TERMS: TableDefinition<&str, u64> = TableDefinition::new("search_terms");
/// portal account id → portal account (JSON).
pub const ACCOUNTS: TableDefinition<u64, &[u8]> = TableDefinition::new("accounts");
/// login email → portal account id.
pub const IDX_ACCOUNT_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("idx_account_email");
/// email part key of a login (parts after the first) → portal account id.
pub const IDX_ACCOUNT_EMAIL_PART: TableDefinition<&str, u64> =
    TableDefinition::new("idx_account_email_part");
/// operator name → operator (JSON).
pub const OPERATORS: TableDefinition<&str, &[u8]> = TableDefinition::new("operators");
/// sequence number → audit event (JSON).
pub const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");
/// (portal account id, sequence number) → nothing: which audit events are
/// about an account, so its history is a range read, newest first, never a
/// walk of the trail. Derived from `audit`; rebuilt on open when missing.
pub const AUDIT_BY_ACCOUNT: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("audit_by_account");

/// (patient account number, portal account id) → guardian link (JSON):
/// a patient's guardians are one range read (schema 3).
pub const GUARDIANS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("guardians");

/// (patient account number, portal account id) → removed link (JSON): the
/// guardian links an administrator removed, with when, who and why, so
/// staff never put one back (schema 3).
pub const REMOVED_GUARDIANS: TableDefinition<(&str, u64), &[u8]> =
    TableDefinition::new("removed_guardians");

pub const META_SCHEMA: &str = "schema_version";
pub const META_SETUP: &str = "portal_setup";
pub const META_AUDIT_HEAD: &str = "audit_head";
pub const META_NEXT_ACCOUNT: &str = "next_account_id";
pub const META_DEMO: &str = "demo";
/// The sequence number of the last audit event up to which every write was
/// made by a portal-admin of schema 5 or later (which keeps the derived
/// tables of schemas 4 and 5 in step). An older build that still has the
/// file open appends events without moving it; the next open then sees
/// events past it and rebuilds what those schemas derive (`migrate.rs`).
/// Each schema that derives a table has its own mark: a build of schema 4
/// moves [`META_AUDIT_MARK_4`], which a build of schema 5 does not read.
pub const META_AUDIT_MARK: &str = "audit_mark_5";
/// The mark of the builds of schema 4; removed by the 4 → 5 step.
pub const META_AUDIT_MARK_4: &str = "audit_mark";

/// The search keys of one patient, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientKeys {
    /// `last first ACCOUNT`.
    pub name: String,
    /// Tokens of the token index.
    pub tokens: Vec<String>,
}

/// Whether a patient with these tokens has entries in
/// [`IDX_PATIENT_MULTI`] too.
pub fn has_several_tokens(tokens: usize) -> bool {
    tokens >= 2
}

impl PatientKeys {
    pub fn of(p: &Patient) -> PatientKeys {
        Self::from_names(&p.last_name, &p.first_name, &p.account_number)
    }

    pub fn from_names(last: &str, first: &str, account: &str) -> PatientKeys {
        let (last_parts, first_parts) = (name_parts(last), name_parts(first));
        let (last_key, first_key) = (last_parts.concat(), first_parts.concat());
        let tokens = index_tokens(&first_key, &last_parts, &first_parts);
        PatientKeys {
            name: format!("{last_key}{KEY_SEP}{first_key}{KEY_SEP}{account}"),
            tokens,
        }
    }
}

/// `YYYY-MM-DD last first ACCOUNT`: a patient's key in the date index.
pub fn dob_key(dob: Date, name_key: &str) -> String {
    format!("{dob}{KEY_SEP}{name_key}")
}

/// `token last first ACCOUNT`: a patient's key in the token index.
pub fn token_key(token: &str, name_key: &str) -> String {
    format!("{token}{KEY_SEP}{name_key}")
}

/// `email last first ACCOUNT`: a patient's key in the email index.
pub fn email_key(email: &str, name_key: &str) -> String {
    format!("{email}{KEY_SEP}{name_key}")
}

/// The email-part keys of every part of an email, the whole email's
/// (`email␠`) first.
pub fn all_email_parts(email: &str) -> impl Iterator<Item = String> + '_ {
    email_part_starts(email)
        .into_iter()
        .map(move |s| email_part_key(email, s))
}

/// The email-part keys of an email other than the whole email.
pub fn inner_email_parts(email: &str) -> impl Iterator<Item = String> + '_ {
    email_part_starts(email)
        .into_iter()
        .skip(1)
        .map(move |s| email_part_key(email, s))
}

/// Row format version (the first byte of every row).
const ROW_V1: u8 = 1;

/// What a search result row shows, kept in the patients table and in every
/// index entry (a covering index: a page is one range scan with no lookup
/// per row). Layout: a format byte, the date of birth (4 bytes, Julian day,
/// little-endian), the portal account id (LEB128, 0 for none), then last
/// name, first name and email, each as LEB128 length + UTF-8 (an empty email
/// for none).
pub fn encode_row(p: &Patient, account_id: Option<u64>, out: &mut Vec<u8>) {
    out.clear();
    row_head(p.date_of_birth, account_id, out);
    row_tail(
        &p.last_name,
        &p.first_name,
        p.email.as_ref().map_or("", |e| e.as_str()),
        out,
    );
}

pub fn row_head(dob: Date, account_id: Option<u64>, out: &mut Vec<u8>) {
    row_head_jd(dob.to_julian_day(), account_id, out);
}

/// [`row_head`] with the date of birth as its Julian day.
pub fn row_head_jd(julian_day: i32, account_id: Option<u64>, out: &mut Vec<u8>) {
    out.push(ROW_V1);
    out.extend_from_slice(&julian_day.to_le_bytes());
    put_varint(out, account_id.unwrap_or(0));
}

pub fn row_tail(last: &str, first: &str, email: &str, out: &mut Vec<u8>) {
    for s in [last, first, email] {
        put_varint(out, s.len() as u64);
        out.extend_from_slice(s.as_bytes());
    }
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn get_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// A row read in place, without copying.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    pub date_of_birth: Date,
    pub account_id: Option<u64>,
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub email: Option<&'a str>,
}

impl<'a> RowRef<'a> {
    /// `None` when the bytes are not a row this program wrote.
    pub fn parse(b: &'a [u8]) -> Option<RowRef<'a>> {
        if *b.first()? != ROW_V1 {
            return None;
        }
        let jd = i32::from_le_bytes(b.get(1..5)?.try_into().ok()?);
        let date_of_birth = Date::from_julian_day(jd).ok()?;
        let mut pos = 5;
        let id = get_varint(b, &mut pos)?;
        // The three texts are checked as UTF-8 in one pass over the rest of
        // the row (their length bytes are ASCII below 128 bytes); a text
        // that does not fall on character boundaries of that pass, or a row
        // that fails it, is checked on its own.
        let base = pos;
        let rest = std::str::from_utf8(b.get(base..)?).ok();
        let mut text = || -> Option<&'a str> {
            let n = usize::try_from(get_varint(b, &mut pos)?).ok()?;
            let end = pos.checked_add(n)?;
            let s = match rest.and_then(|r| r.get(pos - base..end - base)) {
                Some(s) => s,
                None => std::str::from_utf8(b.get(pos..end)?).ok()?,
            };
            pos = end;
            Some(s)
        };
        let last_name = text()?;
        let first_name = text()?;
        let email = text()?;
        Some(RowRef {
            date_of_birth,
            account_id: (id != 0).then_some(id),
            last_name,
            first_name,
            email: (!email.is_empty()).then_some(email),
        })
    }

    /// The patient, with the account number from the index key. `None`
    /// when a stored email is not one this program would have written.
    pub fn patient(&self, account_number: &str) -> Option<Patient> {
        Some(Patient {
            account_number: account_number.to_owned(),
            last_name: self.last_name.to_owned(),
            first_name: self.first_name.to_owned(),
            date_of_birth: self.date_of_birth,
            email: match self.email {
                None => None,
                Some(e) => Some(Email::from_index(e)?),
            },
        })
    }

    /// The candidate a query ranks, from the `last first ACCOUNT` name key
    /// of an index entry.
    pub fn candidate<'k>(&self, name_key: &'k str) -> Option<Candidate<'k>>
    where
        'a: 'k,
    {
        // The separator is one byte: a byte search cuts on character
        // boundaries (and costs less than a `char` pattern on keys this
        // short, read for every candidate).
        let sep = |s: &str| s.bytes().position(|b| b == KEY_SEP as u8);
        let i = sep(name_key)?;
        let (last_key, rest) = (name_key.get(..i)?, name_key.get(i + 1..)?);
        let j = sep(rest)?;
        let (first_key, account_number) = (rest.get(..j)?, rest.get(j + 1..)?);
        Some(Candidate {
            last_key,
            first_key,
            last_name: self.last_name,
            first_name: self.first_name,
            account_number,
            date_of_birth: self.date_of_birth,
            email: self.email,
        })
    }

    /// This row's name key (`last first ACCOUNT`), computed from its names.
    pub fn name_key(&self, account_number: &str) -> String {
        let mut k = String::with_capacity(
            self.last_name.len() + self.first_name.len() + account_number.len() + 2,
        );
        push_search_key(&mut k, self.last_name);
        k.push(KEY_SEP);
        push_search_key(&mut k, self.first_name);
        k.push(KEY_SEP);
        k.push_str(account_number);
        k
    }
}

/// The `last first ACCOUNT` name key at the end of an index key (every
/// patient index key ends with it).
pub fn name_key_of(key: &str) -> &str {
    let b = key.as_bytes();
    let mut cut = b.len();
    for _ in 0..3 {
        match b[..cut].iter().rposition(|&c| c == b' ') {
            Some(i) => cut = i,
            None => return key,
        }
    }
    // A space is one byte: the cut is on a character boundary.
    key.get(cut + 1..).unwrap_or(key)
}

/// The account number is the last part of every patient index key.
pub fn account_of_key(key: &str) -> &str {
    let b = key.as_bytes();
    match b.iter().rposition(|&c| c == b' ') {
        Some(i) => key.get(i + 1..).unwrap_or(key),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn rows_round_trip_and_damage_is_refused() {
        let p = Patient {
            account_number: "100001".into(),
            last_name: "García-López".into(),
            first_name: "José".into(),
            date_of_birth: date!(2019 - 03 - 07),
            email: Some(Email::parse("maria.garcia@example.com").unwrap()),
        };
        let mut row = Vec::new();
        encode_row(&p, Some(300), &mut row);
        let r = RowRef::parse(&row).unwrap();
        assert_eq!(r.account_id, Some(300));
        assert_eq!(r.patient("100001").unwrap(), p);
        for cut in 0..row.len() {
            assert!(RowRef::parse(&row[..cut]).is_none(), "{cut}");
        }
        let keys = PatientKeys::of(&p);
        assert_eq!(keys.name, "garcialopez jose 100001");
        assert_eq!(keys.tokens, ["jose", "lopez"]);
        assert_eq!(name_key_of("lopez garcialopez jose 100001"), keys.name);
        assert_eq!(name_key_of("2019-03-07 garcialopez jose 100001"), keys.name);
        assert_eq!(account_of_key(&keys.name), "100001");
        assert_eq!(r.name_key("100001"), keys.name);
        let c = r.candidate(&keys.name).unwrap();
        assert_eq!(
            (c.last_key, c.first_key, c.account_number),
            ("garcialopez", "jose", "100001")
        );
    }

    #[test]
    fn long_names_and_broken_text_in_a_row() {
        // Texts of 128 bytes or more take two length bytes, which are not
        // UTF-8 themselves: each text is then checked on its own.
        let p = Patient {
            account_number: "100001".into(),
            last_name: "Éé".repeat(50),
            first_name: "Zoë".into(),
            date_of_birth: date!(2019 - 03 - 07),
            email: None,
        };
        let mut row = Vec::new();
        encode_row(&p, None, &mut row);
        assert_eq!(RowRef::parse(&row).unwrap().patient("100001").unwrap(), p);
        // A row whose text is not UTF-8 is refused, whichever way it is read.
        // The row ends with "Zoë" (`ë` is 0xc3 0xab) and an empty email.
        for (from_end, bad) in [(3, 0xff_u8), (2, b'A')] {
            let mut broken = row.clone();
            let at = broken.len() - from_end;
            broken[at] = bad;
            assert!(RowRef::parse(&broken).is_none(), "{bad:#x}");
        }
        let short = Patient {
            last_name: "Smith".into(),
            ..p
        };
        encode_row(&short, None, &mut row);
        assert!(RowRef::parse(&row).is_some());
        let at = row.len() - 3;
        row[at] = 0xff;
        assert!(RowRef::parse(&row).is_none());
    }
}
