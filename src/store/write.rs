//! Writing: one [`WriteTx`] per change of state, which must append its audit
//! event before it may commit — the change and its event land together or
//! not at all.

use redb::{ReadableTable, TableDefinition, WriteTransaction};
use time::OffsetDateTime;

use super::read::{
    AuditHead, account_in, decode, encode, id_in, meta_in, operator_in, operators_in, patient_in,
};
use super::tables::*;
use crate::domain::audit::GENESIS;
use crate::domain::{AuditEvent, Email, NewEvent, Operator, Patient, PortalAccount, PortalSetup};
use crate::error::{Error, Result};

type Index<'t> = redb::Table<'t, &'static str, &'static [u8]>;

/// How a patient's key in one index is made (`None`: not in that index).
type IndexKey = fn(&Patient) -> Option<String>;

/// The four search indexes of patients, open for writing.
struct Indexes<'t> {
    name: Index<'t>,
    dob: Index<'t>,
    email: Index<'t>,
    number: Index<'t>,
}

impl<'t> Indexes<'t> {
    fn open(tx: &'t WriteTransaction) -> Result<Self> {
        Ok(Indexes {
            name: tx.open_table(IDX_PATIENT_NAME)?,
            dob: tx.open_table(IDX_PATIENT_DOB)?,
            email: tx.open_table(IDX_PATIENT_EMAIL)?,
            number: tx.open_table(IDX_PATIENT_NUMBER)?,
        })
    }

    fn remove(&mut self, p: &Patient) -> Result<()> {
        self.name.remove(name_key(p).as_str())?;
        self.dob.remove(dob_key(p).as_str())?;
        if let Some(k) = email_key(p) {
            self.email.remove(k.as_str())?;
        }
        Ok(())
    }

    fn insert(&mut self, p: &Patient, row: &[u8]) -> Result<()> {
        self.name.insert(name_key(p).as_str(), row)?;
        self.dob.insert(dob_key(p).as_str(), row)?;
        if let Some(k) = email_key(p) {
            self.email.insert(k.as_str(), row)?;
        }
        self.number.insert(p.account_number.as_str(), row)?;
        Ok(())
    }
}

pub struct WriteTx {
    tx: WriteTransaction,
    now: OffsetDateTime,
    audited: bool,
}

impl WriteTx {
    pub(super) fn new(tx: WriteTransaction, now: OffsetDateTime) -> Self {
        WriteTx {
            tx,
            now,
            audited: false,
        }
    }

    /// The time this change is recorded at.
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    pub(super) fn commit(self) -> Result<()> {
        if !self.audited {
            // A bug, not a user error: refuse to persist an unaudited change.
            return Err(Error::Internal(
                "a change was about to be saved without its audit event".into(),
            ));
        }
        self.tx.commit()?;
        Ok(())
    }

    fn table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<redb::Table<'_, K, V>> {
        Ok(self.tx.open_table(def)?)
    }

    pub(super) fn init_schema(&mut self, version: u32) -> Result<()> {
        // Opening a table in a write transaction creates it.
        self.table(PATIENTS)?;
        self.table(IDX_PATIENT_NAME)?;
        self.table(IDX_PATIENT_DOB)?;
        self.table(IDX_PATIENT_EMAIL)?;
        self.table(IDX_PATIENT_NUMBER)?;
        self.table(PATIENT_ACCOUNT)?;
        self.table(ACCOUNTS)?;
        self.table(IDX_ACCOUNT_EMAIL)?;
        self.table(OPERATORS)?;
        self.table(AUDIT)?;
        self.table(AUDIT_BY_ACCOUNT)?;
        self.put_meta(META_SCHEMA, &version)?;
        self.put_meta(META_NEXT_ACCOUNT, &1u64)
    }

    fn put_meta<T: serde::Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        let bytes = encode(value)?;
        self.table(META)?.insert(key, bytes.as_slice())?;
        Ok(())
    }

    fn meta<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        meta_in(&self.table(META)?, key)
    }

    super::read::lookups!();

    pub fn set_portal_setup(&mut self, setup: &PortalSetup) -> Result<()> {
        self.put_meta(META_SETUP, setup)
    }

    pub fn set_demo(&mut self) -> Result<()> {
        self.put_meta(META_DEMO, &true)
    }

    /// Inserts or updates patients by account number, keeping every index in
    /// step. Returns (created, updated).
    pub fn put_patients<'p>(
        &mut self,
        patients: impl IntoIterator<Item = &'p Patient>,
    ) -> Result<(u64, u64)> {
        let mut table = self.tx.open_table(PATIENTS)?;
        let mut indexes = Indexes::open(&self.tx)?;
        let links = self.tx.open_table(PATIENT_ACCOUNT)?;
        // B-trees take keys in order far faster than scattered: sort every
        // batch by the key of each table before writing it.
        let mut batch: Vec<&Patient> = patients.into_iter().collect();
        batch.sort_unstable_by(|a, b| a.account_number.cmp(&b.account_number));
        let (mut created, mut updated) = (0, 0);
        let mut rows: Vec<(&Patient, Vec<u8>)> = Vec::with_capacity(batch.len());
        for p in batch {
            match patient_in(&table, &p.account_number)? {
                Some(old) if old == *p => continue,
                Some(old) => {
                    indexes.remove(&old)?;
                    updated += 1;
                }
                None => created += 1,
            }
            let bytes = encode(p)?;
            table.insert(p.account_number.as_str(), bytes.as_slice())?;
            let row = encode_row(p, id_in(&links, &p.account_number)?);
            indexes
                .number
                .insert(p.account_number.as_str(), row.as_slice())?;
            rows.push((p, row));
        }
        let keys: [(&mut Index<'_>, IndexKey); 3] = [
            (&mut indexes.name, |p| Some(name_key(p))),
            (&mut indexes.dob, |p| Some(dob_key(p))),
            (&mut indexes.email, email_key),
        ];
        for (index, key) in keys {
            let mut keyed: Vec<(String, &[u8])> = rows
                .iter()
                .filter_map(|(p, row)| key(p).map(|k| (k, row.as_slice())))
                .collect();
            keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (k, row) in keyed {
                index.insert(k.as_str(), row)?;
            }
        }
        Ok((created, updated))
    }

    /// Stores a new portal account, giving it the next id.
    pub fn insert_account(&mut self, mut account: PortalAccount) -> Result<PortalAccount> {
        if id_in(&self.table(IDX_ACCOUNT_EMAIL)?, account.email.as_str())?.is_some() {
            return Err(Error::Conflict(format!(
                "the portal account {}",
                account.email
            )));
        }
        let id: u64 = self.meta(META_NEXT_ACCOUNT)?.unwrap_or(1);
        self.put_meta(META_NEXT_ACCOUNT, &(id + 1))?;
        account.id = id;
        self.table(IDX_ACCOUNT_EMAIL)?
            .insert(account.email.as_str(), id)?;
        self.put_account(&account)?;
        Ok(account)
    }

    /// Saves an existing account (its email never changes).
    pub fn put_account(&mut self, account: &PortalAccount) -> Result<()> {
        let bytes = encode(account)?;
        self.table(ACCOUNTS)?.insert(account.id, bytes.as_slice())?;
        Ok(())
    }

    /// Puts a patient on a portal account (and shows it in the search rows).
    pub fn link_patient(&mut self, account_number: &str, account_id: u64) -> Result<()> {
        self.table(PATIENT_ACCOUNT)?
            .insert(account_number, account_id)?;
        if let Some(p) = self.patient(account_number)? {
            let row = encode_row(&p, Some(account_id));
            Indexes::open(&self.tx)?.insert(&p, &row)?;
        }
        Ok(())
    }

    pub fn put_operator(&mut self, op: &Operator) -> Result<()> {
        let bytes = encode(op)?;
        self.table(OPERATORS)?
            .insert(op.username.as_str(), bytes.as_slice())?;
        Ok(())
    }

    /// Appends an event to the audit chain, in this transaction.
    pub fn audit(&mut self, event: NewEvent) -> Result<()> {
        let head: Option<AuditHead> = self.meta(META_AUDIT_HEAD)?;
        let (seq, prev) = match head {
            Some(h) => (h.seq + 1, h.hash),
            None => (1, GENESIS.to_owned()),
        };
        let account = crate::domain::audit::account_of_target(&event.target);
        let ev = AuditEvent::new(seq, self.now, event, &prev);
        let bytes = encode(&ev)?;
        {
            let mut t = self.table(AUDIT)?;
            if t.get(seq)?.is_some() {
                return Err(Error::Storage(format!(
                    "audit event {seq} already exists: the audit head is damaged"
                )));
            }
            t.insert(seq, bytes.as_slice())?;
        }
        if let Some(id) = account {
            self.table(AUDIT_BY_ACCOUNT)?.insert((id, seq), ())?;
        }
        self.put_meta(META_AUDIT_HEAD, &AuditHead { seq, hash: ev.hash })?;
        self.audited = true;
        Ok(())
    }

    /// Reads back an audit event (for tests of the chain).
    pub fn audit_event(&self, seq: u64) -> Result<Option<AuditEvent>> {
        self.table(AUDIT)?
            .get(seq)?
            .map(|v| decode("audit event", v.value()))
            .transpose()
    }
}
