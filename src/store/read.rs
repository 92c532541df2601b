//! Reading: point lookups and prefix walks over the indexes, never a scan of
//! a whole table for a search.

use std::any::Any;
use std::sync::{Arc, Mutex};

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition, TableHandle};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::tables::*;
use crate::domain::{AuditEvent, Email, Operator, Patient, PortalAccount, PortalSetup};
use crate::error::{Error, Result};
use time::Date;

/// One page of results and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque cursor for the next page; `None` on the last page.
    pub next: Option<String>,
    /// The search read as many index entries as one search may
    /// (`database.search_budget`) before the page was full: `items` are the
    /// matches found so far (perhaps none), `next` continues the search.
    /// Say "keep typing": more words, letters or a date narrow it.
    pub stopped_early: bool,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Page::new(Vec::new(), None)
    }

    /// A page that the search finished (see [`Page::stopped_early`]).
    pub fn new(items: Vec<T>, next: Option<String>) -> Self {
        Page {
            items,
            next,
            stopped_early: false,
        }
    }
}

/// A search result: the patient as the lookup list and `patients search`
/// show them, and whether (and where) they have a portal account. A page
/// of these is built at every keystroke, so the five texts share one
/// allocation instead of one each.
#[derive(Clone, PartialEq, Eq)]
pub struct PatientRow {
    /// The account number, the last name, the first name, the email (empty
    /// when none) and the guardian's login the row was found by (empty when
    /// none), one after another.
    text: Box<str>,
    /// Where the account number, the last name, the first name and the
    /// email end in `text`.
    ends: [usize; 4],
    pub date_of_birth: Date,
    pub account_id: Option<u64>,
}

impl PatientRow {
    /// The result row of an index entry's row, found by the guardian's
    /// login `login` (its pieces one after another; empty when the row was
    /// not found by a login that is not its own email). `None` when its
    /// stored email is not one this program would have written.
    pub(super) fn from_row(
        account_number: &str,
        row: &RowRef<'_>,
        login: [&str; 2],
    ) -> Option<PatientRow> {
        let email = row.email.unwrap_or("");
        if row.email.is_some() && !Email::has_stored_shape(email) {
            return None;
        }
        let parts = [
            account_number,
            row.last_name,
            row.first_name,
            email,
            login[0],
            login[1],
        ];
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0; 4];
        for (i, part) in parts.iter().enumerate() {
            text.push_str(part);
            if let Some(end) = ends.get_mut(i) {
                *end = text.len();
            }
        }
        Some(PatientRow {
            text: text.into_boxed_str(),
            ends,
            date_of_birth: row.date_of_birth,
            account_id: row.account_id,
        })
    }

    pub fn account_number(&self) -> &str {
        &self.text[..self.ends[0]]
    }

    pub fn last_name(&self) -> &str {
        &self.text[self.ends[0]..self.ends[1]]
    }

    pub fn first_name(&self) -> &str {
        &self.text[self.ends[1]..self.ends[2]]
    }

    /// The account holder's e-correspondent email, checked as stored.
    pub fn email(&self) -> Option<&str> {
        Some(&self.text[self.ends[2]..self.ends[3]]).filter(|e| !e.is_empty())
    }

    /// The login of one of the patient's guardians that the search matched
    /// (an email word, or a single word found in no name), when that login
    /// is not the patient's own e-correspondent email: the row was found
    /// through it, and shows it (fresh eyes, session 6, finding 12).
    pub fn matched_login(&self) -> Option<&str> {
        Some(&self.text[self.ends[3]..]).filter(|e| !e.is_empty())
    }

    /// "García-López, José"
    pub fn display_name(&self) -> String {
        format!("{}, {}", self.last_name(), self.first_name())
    }

    /// The patient, as an owned record.
    pub fn patient(&self) -> Patient {
        Patient {
            account_number: self.account_number().to_owned(),
            last_name: self.last_name().to_owned(),
            first_name: self.first_name().to_owned(),
            date_of_birth: self.date_of_birth,
            email: self.email().and_then(Email::from_index),
        }
    }
}

impl std::fmt::Debug for PatientRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatientRow")
            .field("account_number", &self.account_number())
            .field("last_name", &self.last_name())
            .field("first_name", &self.first_name())
            .field("date_of_birth", &self.date_of_birth)
            .field("email", &self.email())
            .field("matched_login", &self.matched_login())
            .field("account_id", &self.account_id)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub patients: u64,
    pub accounts: u64,
    pub operators: u64,
    pub audit_events: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct AuditHead {
    pub seq: u64,
    pub hash: String,
}

pub(super) fn decode<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::Storage(format!("a stored {what} is damaged ({e})")))
}

pub(super) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Internal(format!("cannot encode a record: {e}")))
}

// The lookups below are shared by read and write transactions: redb's
// read-only and writable tables both implement `ReadableTable`.

pub(super) fn meta_in<T: DeserializeOwned>(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<T>> {
    t.get(key)?.map(|v| decode(key, v.value())).transpose()
}

pub(super) fn patient_in(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    account_number: &str,
) -> Result<Option<Patient>> {
    t.get(account_number)?
        .map(|v| {
            RowRef::parse(v.value())
                .and_then(|r| r.patient(account_number))
                .ok_or_else(|| damaged_patient(account_number))
        })
        .transpose()
}

/// The portal account a patient is on, from the patient's row.
pub(super) fn link_in(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    account_number: &str,
) -> Result<Option<u64>> {
    match t.get(account_number)? {
        None => Ok(None),
        Some(v) => Ok(RowRef::parse(v.value())
            .ok_or_else(|| damaged_patient(account_number))?
            .account_id),
    }
}

pub(super) fn damaged_patient(account_number: &str) -> Error {
    Error::Storage(format!(
        "the stored record of patient {account_number} is damaged"
    ))
}

pub(super) fn account_in(
    t: &impl ReadableTable<u64, &'static [u8]>,
    id: u64,
) -> Result<Option<PortalAccount>> {
    t.get(id)?
        .map(|v| decode("portal account", v.value()))
        .transpose()
}

pub(super) fn operator_in(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    name: &str,
) -> Result<Option<Operator>> {
    t.get(name)?
        .map(|v| decode("operator", v.value()))
        .transpose()
}

pub(super) fn operators_in(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<Vec<Operator>> {
    let mut out = Vec::new();
    for item in t.iter()? {
        let (_, v) = item?;
        out.push(decode("operator", v.value())?);
    }
    Ok(out)
}

/// The account numbers of the patients whose own e-correspondent email is
/// `email`, in name order (one range of the email index).
pub(super) fn patients_with_email_in(
    t: &impl ReadableTable<&'static str, &'static [u8]>,
    email: &str,
) -> Result<Vec<String>> {
    let prefix = format!("{email}{}", crate::domain::keys::KEY_SEP);
    let mut out = Vec::new();
    for item in t.range::<&str>(prefix.as_str()..)? {
        let (k, _) = item?;
        let key = k.value();
        if !key.starts_with(prefix.as_str()) {
            break;
        }
        out.push(account_of_key(key).to_owned());
    }
    Ok(out)
}

pub(super) fn id_in(t: &impl ReadableTable<&'static str, u64>, key: &str) -> Result<Option<u64>> {
    Ok(t.get(key)?.map(|v| v.value()))
}

/// The point lookups both kinds of transaction offer, written once: each
/// expands inside an `impl` whose `table()` opens a readable table.
macro_rules! lookups {
    () => {
        pub fn portal_setup(&self) -> Result<Option<PortalSetup>> {
            meta_in(&self.table(META)?, META_SETUP)
        }

        pub fn patient(&self, account_number: &str) -> Result<Option<Patient>> {
            patient_in(&self.table(PATIENTS)?, account_number)
        }

        pub fn account(&self, id: u64) -> Result<Option<PortalAccount>> {
            account_in(&self.table(ACCOUNTS)?, id)
        }

        pub fn account_by_email(&self, email: &Email) -> Result<Option<PortalAccount>> {
            match id_in(&self.table(IDX_ACCOUNT_EMAIL)?, email.as_str())? {
                Some(id) => self.account(id),
                None => Ok(None),
            }
        }

        /// The account numbers of the patients whose own e-correspondent
        /// email is `email`, in name order.
        pub fn patients_with_email(&self, email: &str) -> Result<Vec<String>> {
            patients_with_email_in(&self.table(IDX_PATIENT_EMAIL)?, email)
        }

        pub fn account_id_for_patient(&self, account_number: &str) -> Result<Option<u64>> {
            link_in(&self.table(PATIENTS)?, account_number)
        }

        pub fn operator(&self, name: &str) -> Result<Option<Operator>> {
            operator_in(&self.table(OPERATORS)?, name)
        }

        pub fn operators(&self) -> Result<Vec<Operator>> {
            operators_in(&self.table(OPERATORS)?)
        }
    };
}
pub(super) use lookups;

fn missing_table(e: redb::TableError) -> Error {
    match e {
        redb::TableError::TableDoesNotExist(name) => {
            Error::Storage(format!("the table {name} is missing"))
        }
        other => Error::storage(other),
    }
}

pub struct ReadTx {
    snapshot: Arc<Snapshot>,
}

/// A table opened in a snapshot, shared by every reader of it.
pub(super) type Table<K, V> = Arc<redb::ReadOnlyTable<K, V>>;

/// One read transaction, shared by the reads of this process for a moment
/// (`SNAPSHOT_TTL`), with the tables opened in it so far: opening a table
/// costs about as much as reading a dozen entries, and a search at every
/// keystroke opens up to six.
pub(super) struct Snapshot {
    tx: ReadTransaction,
    /// Each table by name, with its key and value types (a `ReadOnlyTable`).
    tables: Mutex<Vec<(String, Arc<dyn Any + Send + Sync>)>>,
}

impl Snapshot {
    pub(super) fn new(tx: ReadTransaction) -> Self {
        Snapshot {
            tx,
            tables: Mutex::new(Vec::new()),
        }
    }

    /// The redb transaction.
    pub(super) fn raw(&self) -> &ReadTransaction {
        &self.tx
    }
}

impl ReadTx {
    pub(super) fn new(snapshot: Arc<Snapshot>) -> Self {
        ReadTx { snapshot }
    }

    /// The redb transaction, for the store's own modules.
    pub(super) fn raw(&self) -> &ReadTransaction {
        &self.snapshot.tx
    }

    pub(super) fn table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<redb::ReadOnlyTable<K, V>> {
        self.snapshot.tx.open_table(def).map_err(missing_table)
    }

    /// Table `def` of this snapshot, opened the first time a reader of the
    /// snapshot asks for it (for searches, which run at every keystroke).
    pub(super) fn shared<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<Table<K, V>>
    where
        redb::ReadOnlyTable<K, V>: Send + Sync,
    {
        let name = def.name();
        let mut tables = self
            .snapshot
            .tables
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(t) = tables
            .iter()
            .filter(|(n, _)| n == name)
            .find_map(|(_, t)| t.clone().downcast::<redb::ReadOnlyTable<K, V>>().ok())
        {
            return Ok(t);
        }
        let t = Arc::new(self.table(def)?);
        tables.push((name.to_owned(), t.clone()));
        Ok(t)
    }

    lookups!();

    pub fn schema_version(&self) -> Result<Option<u32>> {
        meta_in(&self.table(META)?, META_SCHEMA)
    }

    /// True for a database made by `portal-admin demo`.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(meta_in::<bool>(&self.table(META)?, META_DEMO)?.unwrap_or(false))
    }

    pub(super) fn audit_head(&self) -> Result<Option<AuditHead>> {
        meta_in(&self.table(META)?, META_AUDIT_HEAD)
    }

    /// Number of events and hash of the last one, as recorded at each append.
    pub fn audit_head_recorded(&self) -> Result<Option<(u64, String)>> {
        Ok(self.audit_head()?.map(|h| (h.seq, h.hash)))
    }

    pub fn counts(&self) -> Result<Counts> {
        Ok(Counts {
            patients: self.table(PATIENTS)?.len()?,
            accounts: self.table(ACCOUNTS)?.len()?,
            operators: self.table(OPERATORS)?.len()?,
            audit_events: self.table(AUDIT)?.len()?,
        })
    }

    /// What writing `batch` would do (an import's dry run).
    pub fn compare_batch(&self, batch: &super::PatientBatch) -> Result<super::PutReport> {
        let order = super::write::by_account_number(batch)?;
        let (logins, guardians) = (self.table(IDX_ACCOUNT_EMAIL)?, self.table(GUARDIANS)?);
        Ok(
            super::write::classify(&self.table(PATIENTS)?, (&logins, &guardians), batch, order)?
                .report,
        )
    }

    /// Audit events with `seq > after`, oldest first, at most `limit`.
    pub fn audit_events(&self, after: u64, limit: usize) -> Result<Vec<AuditEvent>> {
        let t = self.table(AUDIT)?;
        let mut out = Vec::new();
        for item in t.range(after.saturating_add(1)..)? {
            if out.len() == limit {
                break;
            }
            let (_, v) = item?;
            out.push(decode("audit event", v.value())?);
        }
        Ok(out)
    }

    /// The newest `limit` audit events about portal account `id`, newest
    /// first: a reverse range over `audit_by_account`, then one point read
    /// per event, so it costs the same at ten events or a million.
    pub fn account_events(&self, id: u64, limit: usize) -> Result<Vec<AuditEvent>> {
        let index = self.table(AUDIT_BY_ACCOUNT)?;
        let events = self.table(AUDIT)?;
        let mut out = Vec::with_capacity(limit.min(64));
        for item in index.range((id, 0)..=(id, u64::MAX))?.rev() {
            if out.len() == limit {
                break;
            }
            let (k, _) = item?;
            let (_, seq) = k.value();
            let v = events.get(seq)?.ok_or_else(|| {
                Error::Storage(format!(
                    "the history of account {id} names a missing audit event {seq}"
                ))
            })?;
            out.push(decode("audit event", v.value())?);
        }
        Ok(out)
    }

    /// Every audit event in order, each decoded on its own so that one
    /// damaged event is reported rather than stopping the walk.
    pub fn audit_walk(
        &self,
        mut visit: impl FnMut(Result<AuditEvent, String>) -> bool,
    ) -> Result<()> {
        let t = self.table(AUDIT)?;
        for item in t.iter()? {
            let (k, v) = item?;
            let ev = decode::<AuditEvent>("audit event", v.value()).map_err(|_| {
                format!(
                    "event {} cannot be read: it was altered after it was written",
                    k.value()
                )
            });
            if !visit(ev) {
                break;
            }
        }
        Ok(())
    }
}
