//! The redb tables and how index keys are built (see `docs/data-model.md`).

use redb::TableDefinition;

use crate::domain::Patient;
use crate::domain::query::KEY_SEP;

/// `schema_version`, `portal_setup`, `audit_head`, `next_account_id`, `demo`.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// account number → patient (JSON).
pub const PATIENTS: TableDefinition<&str, &[u8]> = TableDefinition::new("patients");
/// `last first account` → row summary (see [`encode_row`]).
pub const IDX_PATIENT_NAME: TableDefinition<&str, &[u8]> = TableDefinition::new("idx_patient_name");
/// `YYYY-MM-DD last first account` → row summary.
pub const IDX_PATIENT_DOB: TableDefinition<&str, &[u8]> = TableDefinition::new("idx_patient_dob");
/// `email last first account` → row summary.
pub const IDX_PATIENT_EMAIL: TableDefinition<&str, &[u8]> =
    TableDefinition::new("idx_patient_email");
/// account number → row summary (account-number prefix search).
pub const IDX_PATIENT_NUMBER: TableDefinition<&str, &[u8]> =
    TableDefinition::new("idx_patient_number");
/// account number → portal account id.
pub const PATIENT_ACCOUNT: TableDefinition<&str, u64> = TableDefinition::new("patient_account");
/// portal account id → portal account (JSON).
pub const ACCOUNTS: TableDefinition<u64, &[u8]> = TableDefinition::new("accounts");
/// login email → portal account id.
pub const IDX_ACCOUNT_EMAIL: TableDefinition<&str, u64> = TableDefinition::new("idx_account_email");
/// operator name → operator (JSON).
pub const OPERATORS: TableDefinition<&str, &[u8]> = TableDefinition::new("operators");
/// sequence number → audit event (JSON).
pub const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");
/// (portal account id, sequence number) → nothing: which audit events are
/// about an account, so its history is a range read, newest first, never a
/// walk of the trail. Derived from `audit`; rebuilt on open when missing.
pub const AUDIT_BY_ACCOUNT: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("audit_by_account");

pub const META_SCHEMA: &str = "schema_version";
pub const META_SETUP: &str = "portal_setup";
pub const META_AUDIT_HEAD: &str = "audit_head";
pub const META_NEXT_ACCOUNT: &str = "next_account_id";
pub const META_DEMO: &str = "demo";

pub fn name_key(p: &Patient) -> String {
    format!(
        "{}{KEY_SEP}{}{KEY_SEP}{}",
        p.last_key(),
        p.first_key(),
        p.account_number
    )
}

pub fn dob_key(p: &Patient) -> String {
    format!("{}{KEY_SEP}{}", p.date_of_birth, name_key(p))
}

pub fn email_key(p: &Patient) -> Option<String> {
    p.email
        .as_ref()
        .map(|e| format!("{}{KEY_SEP}{}", e.as_str(), name_key(p)))
}

/// What a search result row shows, kept in the index entry itself so that a
/// page of results is one range scan with no lookup per row (a covering
/// index). Layout: date of birth (10 bytes, ISO), portal account id (8
/// bytes little-endian, 0 for none), then last name, first name and email
/// separated by U+001F (which no stored field may contain).
pub fn encode_row(p: &Patient, account_id: Option<u64>) -> Vec<u8> {
    let email = p.email.as_ref().map_or("", |e| e.as_str());
    let mut out = Vec::with_capacity(20 + p.last_name.len() + p.first_name.len() + email.len());
    out.extend_from_slice(p.date_of_birth.to_string().as_bytes());
    out.extend_from_slice(&account_id.unwrap_or(0).to_le_bytes());
    out.extend_from_slice(p.last_name.as_bytes());
    out.push(0x1f);
    out.extend_from_slice(p.first_name.as_bytes());
    out.push(0x1f);
    out.extend_from_slice(email.as_bytes());
    out
}

/// The row of an index entry; `None` when the entry is damaged.
pub fn decode_row(key: &str, value: &[u8]) -> Option<(Patient, Option<u64>)> {
    let dob = iso_date(value.get(..10)?)?;
    let id = u64::from_le_bytes(value.get(10..18)?.try_into().ok()?);
    let rest = std::str::from_utf8(value.get(18..)?).ok()?;
    let mut parts = rest.split('\u{1f}');
    let last_name = parts.next()?.to_owned();
    let first_name = parts.next()?.to_owned();
    let email = match parts.next()? {
        "" => None,
        e => Some(crate::domain::Email::from_index(e)?),
    };
    let patient = Patient {
        account_number: account_of_key(key).to_owned(),
        last_name,
        first_name,
        date_of_birth: dob,
        email,
    };
    Some((patient, (id != 0).then_some(id)))
}

/// `YYYY-MM-DD` without allocating (the index always writes this form).
fn iso_date(b: &[u8]) -> Option<time::Date> {
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    time::Date::from_calendar_date(
        i32::try_from(num(0..4)?).ok()?,
        month,
        u8::try_from(num(8..10)?).ok()?,
    )
    .ok()
}

/// The account number is the last part of every patient index key.
pub fn account_of_key(key: &str) -> &str {
    key.rsplit_once(KEY_SEP).map_or(key, |(_, acct)| acct)
}
