//! The redb tables and how index keys are built (see `docs/data-model.md`).

use redb::TableDefinition;

use crate::domain::Patient;
use crate::domain::query::KEY_SEP;

/// `schema_version`, `portal_setup`, `audit_head`, `next_account_id`, `demo`.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// account number → patient (JSON).
pub const PATIENTS: TableDefinition<&str, &[u8]> = TableDefinition::new("patients");
/// `last first account` → ().
pub const IDX_PATIENT_NAME: TableDefinition<&str, ()> = TableDefinition::new("idx_patient_name");
/// `YYYY-MM-DD last first account` → ().
pub const IDX_PATIENT_DOB: TableDefinition<&str, ()> = TableDefinition::new("idx_patient_dob");
/// `email last first account` → ().
pub const IDX_PATIENT_EMAIL: TableDefinition<&str, ()> = TableDefinition::new("idx_patient_email");
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

/// The account number is the last part of every patient index key.
pub fn account_of_key(key: &str) -> &str {
    key.rsplit_once(KEY_SEP).map_or(key, |(_, acct)| acct)
}
