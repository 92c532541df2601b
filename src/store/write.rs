//! Writing: one [`WriteTx`] per change of state, which must append its audit
//! event before it may commit — the change and its event land together or
//! not at all.

use std::collections::HashMap;

use rayon::prelude::*;
use redb::{ReadableTable, TableDefinition, TableHandle, WriteTransaction};
use time::OffsetDateTime;

use super::batch::{PatientBatch, Rec};
use super::read::{
    AuditHead, account_in, decode, encode, id_in, link_in, meta_in, operator_in, operators_in,
    patient_in, patients_with_email_in,
};
use super::tables::*;
use crate::domain::audit::GENESIS;
use crate::domain::{AuditEvent, Email, NewEvent, Operator, Patient, PortalAccount, PortalSetup};
use crate::error::{Error, Result};

/// What [`WriteTx::put_batch`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutReport {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Records whose email is new to their patient (a new patient's, or
    /// changed) and is the login of a portal account that does not hold
    /// that patient, in account-number order.
    pub foreign_logins: Vec<ForeignLogin>,
}

/// A record whose e-correspondent email is another account's login: a
/// Create/Validate for the patient would link them to that account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignLogin {
    /// The record's position in the batch.
    pub record: usize,
    /// The account whose login the email is.
    pub account_id: u64,
    /// The patient has a portal account already (a guardian's): a
    /// Create/Validate resets that one while the link lasts.
    pub has_account: bool,
}

pub struct WriteTx {
    tx: WriteTransaction,
    now: OffsetDateTime,
    audited: bool,
}

/// Keys of one table for a batch, built in chunks of bytes that never move
/// (a growing buffer would briefly need twice its size) and sorted: B-trees
/// take keys in order far faster than scattered.
struct SortedKeys {
    chunks: Vec<Vec<u8>>,
    /// (offset: chunk × KEY_CHUNK + start, length, record).
    items: Vec<(u32, u32, u32)>,
}

const KEY_CHUNK: usize = 1 << 20;

impl SortedKeys {
    /// `keys` gives each record's keys, as parts to join, to a sink.
    fn build(
        records: &[u32],
        batch: &PatientBatch,
        keys: impl Fn(&Rec<'_>, &mut dyn FnMut(&[&[u8]])),
    ) -> Result<SortedKeys> {
        // About one key per record in every table (a few more tokens).
        let mut out = SortedKeys {
            chunks: vec![Vec::with_capacity(KEY_CHUNK)],
            items: Vec::with_capacity(records.len() + records.len() / 8),
        };
        let mut too_long = false;
        for &i in records {
            let rec = batch.rec(i as usize);
            keys(&rec, &mut |parts: &[&[u8]]| {
                let len: usize = parts.iter().map(|p| p.len()).sum();
                if len > KEY_CHUNK {
                    too_long = true;
                    return;
                }
                if out.chunks.last().is_some_and(|c| c.len() + len > KEY_CHUNK) {
                    out.chunks.push(Vec::with_capacity(KEY_CHUNK));
                }
                let c = out.chunks.len() - 1;
                let chunk = &mut out.chunks[c];
                let offset = c * KEY_CHUNK + chunk.len();
                for p in parts {
                    chunk.extend_from_slice(p);
                }
                out.items.push((offset as u32, len as u32, i));
            });
        }
        if too_long || out.chunks.len() * KEY_CHUNK > u32::MAX as usize {
            return Err(Error::Internal(
                "too much to write in one transaction".into(),
            ));
        }
        let chunks = &out.chunks;
        out.items
            .par_sort_unstable_by(|a, b| key_at(chunks, a).cmp(key_at(chunks, b)));
        Ok(out)
    }

    fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.items.iter().map(|it| {
            // Built from UTF-8 parts above.
            let k = std::str::from_utf8(key_at(&self.chunks, it)).unwrap_or("");
            (k, it.2)
        })
    }
}

fn key_at<'b>(chunks: &'b [Vec<u8>], it: &(u32, u32, u32)) -> &'b [u8] {
    let (c, start) = (it.0 as usize / KEY_CHUNK, it.0 as usize % KEY_CHUNK);
    &chunks[c][start..start + it.1 as usize]
}

const SEP: &[u8] = b" ";

/// Runs `beside` on another thread while `here` runs on this one (which
/// holds the write transaction), and returns what `beside` made.
fn alongside<T: Send>(
    beside: impl FnOnce() -> Result<T> + Send,
    here: impl FnOnce() -> Result<()>,
) -> Result<T> {
    std::thread::scope(|s| {
        let other = s.spawn(beside);
        let mine = here();
        let theirs = other
            .join()
            .map_err(|_| Error::Internal("a thread sorting index keys failed".into()))?;
        mine?;
        theirs
    })
}

/// The parts of a batch's emails (after the first), each email once, in
/// the order of their part keys — found from the email index's keys, in
/// which siblings sharing an email are next to each other.
struct EmailParts<'k> {
    /// Each email once.
    names: Vec<&'k str>,
    /// Where each email's entries begin and end in the email keys.
    distinct: Vec<(u32, u32)>,
    /// (email, where the part starts), sorted by part key.
    parts: Vec<(u32, u16)>,
}

impl<'k> EmailParts<'k> {
    fn of(emails: &'k SortedKeys) -> Self {
        let mut distinct: Vec<(u32, u32)> = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for (n, (key, _)) in emails.iter().enumerate() {
            let email = key.split(' ').next().unwrap_or("");
            match distinct.last_mut() {
                Some((_, end)) if names.last() == Some(&email) => *end = n as u32 + 1,
                _ => {
                    distinct.push((n as u32, n as u32 + 1));
                    names.push(email);
                }
            }
        }
        let mut out = EmailParts {
            names,
            distinct,
            parts: Vec::new(),
        };
        let count: usize = (0..out.distinct.len())
            .map(|k| crate::domain::keys::email_part_starts(out.email(k)).len() - 1)
            .sum();
        let mut parts: Vec<(u32, u16)> = Vec::with_capacity(count);
        for k in 0..out.distinct.len() {
            for start in crate::domain::keys::email_part_starts(out.email(k))
                .into_iter()
                .skip(1)
            {
                parts.push((k as u32, start as u16));
            }
        }
        // Sorted by part key (`suffix prefix`) without building the keys:
        // compare the suffixes, then what comes before.
        let this = &out;
        parts.par_sort_unstable_by(|a, b| {
            let (ea, eb) = (this.email(a.0 as usize), this.email(b.0 as usize));
            let (sa, sb) = (a.1 as usize, b.1 as usize);
            ea[sa..]
                .cmp(&eb[sb..])
                .then_with(|| ea[..sa].cmp(&eb[..sb]))
        });
        out.parts = parts;
        out
    }

    /// The `k`th distinct email.
    fn email(&self, k: usize) -> &'k str {
        self.names[k]
    }
}

/// `YYYY-MM-DD` of a Julian day, without allocating.
fn iso(julian_day: i32) -> [u8; 10] {
    crate::domain::keys::iso_date(
        time::Date::from_julian_day(julian_day).unwrap_or(time::Date::MIN),
    )
}

/// Counts index entries written and reports every 65,536.
struct Progress {
    done: std::cell::Cell<u64>,
    total: u64,
}

impl Progress {
    fn step(&self, report: &mut dyn FnMut(u64, u64)) {
        let done = self.done.get() + 1;
        self.done.set(done);
        if done.is_multiple_of(65536) {
            report(done.min(self.total), self.total);
        }
    }
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

    /// The redb transaction, for the store's own modules.
    pub(super) fn raw(&self) -> &WriteTransaction {
        &self.tx
    }

    fn table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<redb::Table<'_, K, V>> {
        Ok(self.tx.open_table(def)?)
    }

    pub(super) fn init_schema(&mut self, version: u32) -> Result<()> {
        // Opening a table in a write transaction creates it.
        self.create_patient_tables()?;
        self.table(ACCOUNTS)?;
        self.table(IDX_ACCOUNT_EMAIL)?;
        self.table(IDX_ACCOUNT_EMAIL_PART)?;
        self.table(OPERATORS)?;
        self.table(AUDIT)?;
        self.table(AUDIT_BY_ACCOUNT)?;
        self.table(GUARDIANS)?;
        self.table(REMOVED_GUARDIANS)?;
        self.table(IDX_GUARDIAN_LOGIN)?;
        self.put_meta(META_SCHEMA, &version)?;
        self.put_meta(META_NEXT_ACCOUNT, &1u64)
    }

    pub(super) fn create_patient_tables(&self) -> Result<()> {
        self.table(PATIENTS)?;
        self.table(IDX_PATIENT_NAME)?;
        self.table(IDX_PATIENT_TOKEN)?;
        self.table(IDX_PATIENT_MULTI)?;
        self.table(IDX_PATIENT_DOB)?;
        self.table(IDX_PATIENT_EMAIL)?;
        self.table(IDX_PATIENT_EMAIL_PART)?;
        self.table(SEARCH_TERMS)?;
        Ok(())
    }

    pub(super) fn put_meta<T: serde::Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
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
    /// step and each patient's portal account link. Returns (created, updated).
    pub fn put_patients<'p>(
        &mut self,
        patients: impl IntoIterator<Item = &'p Patient>,
    ) -> Result<(u64, u64)> {
        let mut batch = PatientBatch::new();
        for p in patients {
            batch.push(p, None)?;
        }
        let r = self.put_batch(&batch, &mut |_, _| {})?;
        Ok((r.created, r.updated))
    }

    /// Inserts or updates a batch of patients (account numbers unique within
    /// it) by account number. Each table is written in key order; a patient
    /// that is already stored unchanged is left alone. `progress(done,
    /// total)` counts index entries.
    pub fn put_batch(
        &mut self,
        batch: &PatientBatch,
        on_progress: &mut dyn FnMut(u64, u64),
    ) -> Result<PutReport> {
        let started = std::time::Instant::now();
        let phase = |what: &str| {
            tracing::debug!(
                ms = started.elapsed().as_millis() as u64,
                "batch write: {what} done"
            );
        };
        let order = by_account_number(batch)?;

        let Classified {
            report,
            ids,
            replaced,
            relist,
        } = {
            let patients = self.tx.open_table(PATIENTS)?;
            let logins = self.tx.open_table(IDX_ACCOUNT_EMAIL)?;
            let guardians = self.tx.open_table(GUARDIANS)?;
            classify(&patients, (&logins, &guardians), batch, order)?
        };
        let mut terms: HashMap<String, i64> = HashMap::new();
        phase("compared with what is stored");
        for (account, old) in &replaced {
            self.remove_patient_entries(account, old, &mut terms)?;
        }
        let written: Vec<u32> = order
            .iter()
            .copied()
            .filter(|&i| ids[i as usize] != SKIP)
            .collect();
        let id_of = |i: u32| Some(ids[i as usize]).filter(|id| *id != 0);
        let progress = Progress {
            done: std::cell::Cell::new(0),
            // Patients, name, dob, email, tokens (about one per patient).
            total: written.len() as u64 * 5,
        };
        let progress = &progress;
        let name_keys = |r: &Rec<'_>, k: &mut dyn FnMut(&[&[u8]])| k(&[r.name_key_bytes()]);
        let token_keys = |r: &Rec<'_>, k: &mut dyn FnMut(&[&[u8]])| {
            for t in r.tokens() {
                k(&[t, SEP, r.name_key_bytes()]);
            }
        };
        let multi_keys = |r: &Rec<'_>, k: &mut dyn FnMut(&[&[u8]])| {
            if has_several_tokens(r.tokens().count()) {
                token_keys(r, k);
            }
        };
        let dob_keys = |r: &Rec<'_>, k: &mut dyn FnMut(&[&[u8]])| {
            k(&[&iso(r.date_of_birth), SEP, r.name_key_bytes()]);
        };
        let email_keys = |r: &Rec<'_>, k: &mut dyn FnMut(&[&[u8]])| {
            if let Some(e) = r.email_bytes() {
                k(&[e, SEP, r.name_key_bytes()]);
            }
        };
        let written = &written;
        let id_of = &id_of;
        // One table's keys at a time (memory); the name keys are sorted
        // while the patients table is written and the email parts while the
        // email index is.
        let name = alongside(
            || SortedKeys::build(written, batch, name_keys),
            || {
                let mut t = self.tx.open_table(PATIENTS)?;
                let mut row = Vec::with_capacity(128);
                for &i in written {
                    let rec = batch.rec(i as usize);
                    rec.row(id_of(i), &mut row);
                    t.insert(rec.account(), row.as_slice())?;
                    progress.step(on_progress);
                }
                Ok(())
            },
        )?;
        phase("patients");
        self.insert_rows(IDX_PATIENT_NAME, &name, batch, id_of, progress, on_progress)?;
        drop(name);
        phase("name index");
        let tokens = SortedKeys::build(written, batch, token_keys)?;
        self.insert_rows(
            IDX_PATIENT_TOKEN,
            &tokens,
            batch,
            id_of,
            progress,
            on_progress,
        )?;
        drop(tokens);
        let multi = SortedKeys::build(written, batch, multi_keys)?;
        self.insert_rows(
            IDX_PATIENT_MULTI,
            &multi,
            batch,
            id_of,
            progress,
            on_progress,
        )?;
        drop(multi);
        phase("token index");
        let dob = SortedKeys::build(written, batch, dob_keys)?;
        self.insert_rows(IDX_PATIENT_DOB, &dob, batch, id_of, progress, on_progress)?;
        drop(dob);
        phase("dob index");
        let email = SortedKeys::build(written, batch, email_keys)?;
        let parts = alongside(
            || Ok(EmailParts::of(&email)),
            || {
                self.insert_rows(
                    IDX_PATIENT_EMAIL,
                    &email,
                    batch,
                    id_of,
                    progress,
                    on_progress,
                )
            },
        )?;
        phase("email index");
        self.add_email_parts(&parts, &email, batch)?;
        drop(parts);
        drop(email);
        phase("email parts");
        for &i in written {
            for t in batch.rec(i as usize).tokens() {
                let t = std::str::from_utf8(t).unwrap_or("");
                match terms.get_mut(t) {
                    Some(c) => *c += 1,
                    None => {
                        terms.insert(t.to_owned(), 1);
                    }
                }
            }
        }
        self.apply_terms(terms)?;
        // A patient on a portal account whose own email changed: its
        // guardians' logins are listed again (one may be its old email).
        for account in &relist {
            self.reindex_guardian_logins(account)?;
        }
        on_progress(progress.total, progress.total);
        Ok(report)
    }

    fn insert_rows(
        &self,
        def: TableDefinition<&str, &[u8]>,
        keys: &SortedKeys,
        batch: &PatientBatch,
        id_of: &dyn Fn(u32) -> Option<u64>,
        progress: &Progress,
        on_progress: &mut dyn FnMut(u64, u64),
    ) -> Result<()> {
        let mut t = self.tx.open_table(def)?;
        let mut row = Vec::with_capacity(128);
        let email_index = def.name() == IDX_PATIENT_EMAIL.name();
        for (key, i) in keys.iter() {
            let rec = batch.rec(i as usize);
            if email_index {
                rec.row_without_email(id_of(i), &mut row);
            } else {
                rec.row(id_of(i), &mut row);
            }
            t.insert(key, row.as_slice())?;
            progress.step(on_progress);
        }
        Ok(())
    }

    /// Adds each record's account number to the lists of its email's parts
    /// (after the first).
    fn add_email_parts(
        &self,
        parts: &EmailParts<'_>,
        emails: &SortedKeys,
        batch: &PatientBatch,
    ) -> Result<()> {
        let EmailParts {
            distinct,
            parts: sorted,
            ..
        } = parts;
        let mut t = self.tx.open_table(IDX_PATIENT_EMAIL_PART)?;
        let fresh = redb::ReadableTableMetadata::is_empty(&t)?;
        let mut key = String::with_capacity(128);
        let mut value = String::with_capacity(64);
        for &(k, start) in sorted {
            let email = parts.email(k as usize);
            let (first, end) = distinct[k as usize];
            let range = first as usize..end as usize;
            let start = start as usize;
            key.clear();
            key.push_str(&email[start..]);
            key.push(' ');
            key.push_str(&email[..start]);
            let stored: Option<String> = if fresh {
                None
            } else {
                t.get(key.as_str())?.map(|old| old.value().to_owned())
            };
            let mut accounts: Vec<&str> = emails.items[range]
                .iter()
                .map(|item| batch.account_number(item.2 as usize))
                .collect();
            accounts.extend(stored.iter().flat_map(|s| s.split(' ')));
            accounts.sort_unstable();
            accounts.dedup();
            value.clear();
            for (i, a) in accounts.iter().enumerate() {
                if i > 0 {
                    value.push(' ');
                }
                value.push_str(a);
            }
            t.insert(key.as_str(), value.as_str())?;
        }
        Ok(())
    }

    fn apply_terms(&self, terms: HashMap<String, i64>) -> Result<()> {
        let mut terms: Vec<(String, i64)> = terms.into_iter().filter(|(_, d)| *d != 0).collect();
        terms.sort_unstable();
        let mut t = self.tx.open_table(SEARCH_TERMS)?;
        for (term, delta) in terms {
            let now = t.get(term.as_str())?.map_or(0, |v| v.value());
            let next = now.saturating_add_signed(delta);
            if next == 0 {
                t.remove(term.as_str())?;
            } else {
                t.insert(term.as_str(), next)?;
            }
        }
        Ok(())
    }

    /// Removes a stored patient's entries from every search index (not from
    /// the patients table, which the caller overwrites).
    fn remove_patient_entries(
        &self,
        account: &str,
        old_row: &[u8],
        terms: &mut HashMap<String, i64>,
    ) -> Result<()> {
        let old = RowRef::parse(old_row).ok_or_else(|| damaged(account))?;
        let keys = PatientKeys::from_names(old.last_name, old.first_name, account);
        self.tx
            .open_table(IDX_PATIENT_NAME)?
            .remove(keys.name.as_str())?;
        {
            let mut t = self.tx.open_table(IDX_PATIENT_TOKEN)?;
            for tok in &keys.tokens {
                t.remove(token_key(tok, &keys.name).as_str())?;
                *terms.entry(tok.clone()).or_default() -= 1;
            }
        }
        if has_several_tokens(keys.tokens.len()) {
            let mut t = self.tx.open_table(IDX_PATIENT_MULTI)?;
            for tok in &keys.tokens {
                t.remove(token_key(tok, &keys.name).as_str())?;
            }
        }
        self.tx
            .open_table(IDX_PATIENT_DOB)?
            .remove(dob_key(old.date_of_birth, &keys.name).as_str())?;
        if let Some(e) = old.email {
            self.tx
                .open_table(IDX_PATIENT_EMAIL)?
                .remove(email_key(e, &keys.name).as_str())?;
            let mut t = self.tx.open_table(IDX_PATIENT_EMAIL_PART)?;
            for part in inner_email_parts(e) {
                edit_list(&mut t, &part, account, false)?;
            }
        }
        Ok(())
    }

    /// Keeps [`IDX_GUARDIAN_LOGIN`] for one guardian link of `patient`
    /// whose holder signs in as `login`: the patient is listed under every
    /// part of the login when the link is current (`linked`) and the login
    /// is not the patient's own email; else it is not.
    pub(super) fn index_guardian_login(
        &self,
        patient: &str,
        login: &str,
        linked: bool,
    ) -> Result<()> {
        let own = self.own_email(patient)?;
        let listed = linked && own.as_deref() != Some(login);
        let mut t = self.tx.open_table(IDX_GUARDIAN_LOGIN)?;
        for part in all_email_parts(login) {
            edit_list(&mut t, &part, patient, listed)?;
        }
        Ok(())
    }

    /// Patient `patient`'s own e-correspondent email, as stored.
    fn own_email(&self, patient: &str) -> Result<Option<String>> {
        match self.tx.open_table(PATIENTS)?.get(patient)? {
            Some(v) => Ok(RowRef::parse(v.value())
                .ok_or_else(|| damaged(patient))?
                .email
                .map(str::to_owned)),
            None => Ok(None),
        }
    }

    /// The login of portal account `id`.
    pub(super) fn login_of(&self, id: u64) -> Result<String> {
        match self.account(id)? {
            Some(a) => Ok(a.email.as_str().to_owned()),
            None => Err(Error::Storage(format!(
                "a guardian link names a missing portal account {id}"
            ))),
        }
    }

    /// After a patient's own email changed (`put_batch`): its guardians'
    /// logins are listed again, the one equal to its old email now listed,
    /// the one equal to its new email no longer.
    fn reindex_guardian_logins(&self, patient: &str) -> Result<()> {
        for (id, _) in self.guardians_of(patient)? {
            self.index_guardian_login(patient, &self.login_of(id)?, true)?;
        }
        Ok(())
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
        {
            let mut parts = self.table(IDX_ACCOUNT_EMAIL_PART)?;
            for part in inner_email_parts(account.email.as_str()) {
                parts.insert(part.as_str(), id)?;
            }
        }
        self.put_account(&account)?;
        Ok(account)
    }

    /// Saves an existing account (its email never changes).
    pub fn put_account(&mut self, account: &PortalAccount) -> Result<()> {
        let bytes = encode(account)?;
        self.table(ACCOUNTS)?.insert(account.id, bytes.as_slice())?;
        Ok(())
    }

    /// Makes `account_id` the account a patient's search rows show (the
    /// first of its guardians'; see [`WriteTx::put_guardian`]).
    pub(super) fn link_patient(&mut self, account_number: &str, account_id: u64) -> Result<()> {
        self.set_row_account(account_number, Some(account_id))
    }

    /// The patient has no guardian left: its search rows show no account.
    pub(super) fn unlink_patient(&mut self, account_number: &str) -> Result<()> {
        self.set_row_account(account_number, None)
    }

    /// Rewrites the patient's row, in the patients table and every index,
    /// with `account_id` as its portal account.
    fn set_row_account(&mut self, account_number: &str, account_id: Option<u64>) -> Result<()> {
        let Some(old) = self
            .table(PATIENTS)?
            .get(account_number)?
            .map(|v| v.value().to_vec())
        else {
            return Ok(());
        };
        let stored = RowRef::parse(&old).ok_or_else(|| damaged(account_number))?;
        if stored.account_id == account_id {
            return Ok(());
        }
        let p = stored
            .patient(account_number)
            .ok_or_else(|| damaged(account_number))?;
        let keys = PatientKeys::of(&p);
        let mut row = Vec::new();
        encode_row(&p, account_id, &mut row);
        let row = row.as_slice();
        self.table(PATIENTS)?.insert(account_number, row)?;
        self.table(IDX_PATIENT_NAME)?
            .insert(keys.name.as_str(), row)?;
        {
            let mut t = self.table(IDX_PATIENT_TOKEN)?;
            for tok in &keys.tokens {
                t.insert(token_key(tok, &keys.name).as_str(), row)?;
            }
        }
        if has_several_tokens(keys.tokens.len()) {
            let mut t = self.table(IDX_PATIENT_MULTI)?;
            for tok in &keys.tokens {
                t.insert(token_key(tok, &keys.name).as_str(), row)?;
            }
        }
        self.table(IDX_PATIENT_DOB)?
            .insert(dob_key(p.date_of_birth, &keys.name).as_str(), row)?;
        if let Some(e) = &p.email {
            let mut without = Vec::new();
            encode_row(
                &Patient {
                    email: None,
                    ..p.clone()
                },
                account_id,
                &mut without,
            );
            self.table(IDX_PATIENT_EMAIL)?.insert(
                email_key(e.as_str(), &keys.name).as_str(),
                without.as_slice(),
            )?;
        }
        Ok(())
    }

    /// Gives portal account `account` the login `new`, keeping the login
    /// index unique. The caller saves the account with its new email.
    pub fn change_login(&mut self, account: &PortalAccount, new: &Email) -> Result<()> {
        let mut idx = self.table(IDX_ACCOUNT_EMAIL)?;
        if idx.get(new.as_str())?.is_some() {
            return Err(Error::Conflict(format!("the portal account {new}")));
        }
        idx.remove(account.email.as_str())?;
        idx.insert(new.as_str(), account.id)?;
        let mut parts = self.table(IDX_ACCOUNT_EMAIL_PART)?;
        for part in inner_email_parts(account.email.as_str()) {
            parts.remove(part.as_str())?;
        }
        for part in inner_email_parts(new.as_str()) {
            parts.insert(part.as_str(), account.id)?;
        }
        drop((idx, parts));
        // The patients it is a guardian of are found by the new login.
        for patient in &account.patients {
            let linked = self.guardian_link(patient, account.id)?.is_some();
            self.index_guardian_login(patient, account.email.as_str(), false)?;
            self.index_guardian_login(patient, new.as_str(), linked)?;
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
        // The mark moves only while every event before this one is ours:
        // one written by an older build leaves it behind for the next open
        // to see (see [`META_AUDIT_MARK`]).
        let mark: Option<u64> = self.meta(META_AUDIT_MARK)?;
        if mark.unwrap_or(0) == seq - 1 {
            self.put_meta(META_AUDIT_MARK, &seq)?;
        }
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

    /// Records under `mark` (see [`META_AUDIT_MARK`]) that every event up
    /// to the last one is accounted for: the derived tables were just made
    /// whole (an upgrade, a rebuild).
    pub(super) fn mark_written(&mut self, mark: &str) -> Result<()> {
        let head: Option<AuditHead> = self.meta(META_AUDIT_HEAD)?;
        self.put_meta(mark, &head.map_or(0, |h| h.seq))
    }

    /// Reads back an audit event (for tests of the chain).
    pub fn audit_event(&self, seq: u64) -> Result<Option<AuditEvent>> {
        self.table(AUDIT)?
            .get(seq)?
            .map(|v| decode("audit event", v.value()))
            .transpose()
    }
}

/// The records of a batch in account-number order (each number once).
pub(super) fn by_account_number(batch: &PatientBatch) -> Result<&[u32]> {
    let order = batch.by_account_number();
    if let Some(w) = order
        .windows(2)
        .find(|w| batch.account_number(w[0] as usize) == batch.account_number(w[1] as usize))
    {
        return Err(Error::Internal(format!(
            "patient {} is twice in one batch",
            batch.account_number(w[0] as usize)
        )));
    }
    Ok(order)
}

/// Records stored with this account id are left alone (unchanged).
pub(super) const SKIP: u64 = u64::MAX;

/// A batch compared with what is stored.
pub(super) struct Classified {
    pub report: PutReport,
    /// The portal account id each record is to be stored with (0: none;
    /// [`SKIP`]: stored unchanged already).
    pub ids: Vec<u64>,
    /// Account numbers and stored rows of the patients a record changes.
    pub replaced: Vec<(String, Vec<u8>)>,
    /// Of those, the patients on a portal account whose own email the
    /// record changes: their guardians' logins are listed again.
    pub relist: Vec<String>,
}

/// Compares a batch (`order`: its records by account number) with the
/// patients table: new, changed (the link stored is kept unless the record
/// gives one) or unchanged. A record whose email is new to its patient is
/// looked up in the logins (one point read; none while there is no portal
/// account): another account's login is a [`ForeignLogin`].
pub(super) fn classify(
    patients: &impl ReadableTable<&'static str, &'static [u8]>,
    (logins, guardians): (
        &impl ReadableTable<&'static str, u64>,
        &impl ReadableTable<(&'static str, u64), &'static [u8]>,
    ),
    batch: &PatientBatch,
    order: &[u32],
) -> Result<Classified> {
    let mut out = Classified {
        report: PutReport::default(),
        ids: vec![0u64; batch.len()],
        replaced: Vec::new(),
        relist: Vec::new(),
    };
    let fresh = patients.is_empty()?;
    let no_logins = logins.is_empty()?;
    // The account whose login `email` is, when it does not hold `patient`.
    let foreign = |patient: &str, email: Option<&str>| -> Result<Option<u64>> {
        let Some(email) = email.filter(|_| !no_logins) else {
            return Ok(None);
        };
        let Some(id) = logins.get(email)?.map(|v| v.value()) else {
            return Ok(None);
        };
        Ok(guardians.get((patient, id))?.is_none().then_some(id))
    };
    let mut row = Vec::with_capacity(128);
    for &i in order {
        let rec = batch.rec(i as usize);
        let old = if fresh {
            None
        } else {
            patients.get(rec.account())?.map(|v| v.value().to_vec())
        };
        match old {
            None => {
                out.ids[i as usize] = rec.account_id;
                out.report.created += 1;
                if let Some(account_id) = foreign(rec.account(), rec.email())? {
                    out.report.foreign_logins.push(ForeignLogin {
                        record: i as usize,
                        account_id,
                        has_account: false,
                    });
                }
            }
            Some(old) => {
                let stored = RowRef::parse(&old).ok_or_else(|| damaged(rec.account()))?;
                let id = match rec.account_id {
                    0 => stored.account_id,
                    id => Some(id),
                };
                rec.row(id, &mut row);
                if row == old {
                    out.ids[i as usize] = SKIP;
                    out.report.unchanged += 1;
                } else {
                    out.ids[i as usize] = id.unwrap_or(0);
                    out.report.updated += 1;
                    if stored.email.map(str::as_bytes) != rec.email_bytes() {
                        if stored.account_id.is_some() {
                            out.relist.push(rec.account().to_owned());
                        }
                        if let Some(account_id) = foreign(rec.account(), rec.email())? {
                            out.report.foreign_logins.push(ForeignLogin {
                                record: i as usize,
                                account_id,
                                has_account: stored.account_id.is_some(),
                            });
                        }
                    }
                    out.replaced.push((rec.account().to_owned(), old));
                }
            }
        }
    }
    Ok(out)
}

fn damaged(account: &str) -> Error {
    Error::Storage(format!("the stored record of patient {account} is damaged"))
}

/// Adds `account` to (or removes it from) the sorted, space-separated list
/// of account numbers at `key`; an empty list is no entry.
fn edit_list(
    t: &mut redb::Table<&str, &str>,
    key: &str,
    account: &str,
    listed: bool,
) -> Result<()> {
    let mut accounts: Vec<String> = t
        .get(key)?
        .map(|v| v.value().split(' ').map(str::to_owned).collect())
        .unwrap_or_default();
    match (
        accounts.binary_search_by(|a| a.as_str().cmp(account)),
        listed,
    ) {
        (Ok(_), true) | (Err(_), false) => return Ok(()),
        (Err(at), true) => accounts.insert(at, account.to_owned()),
        (Ok(at), false) => {
            accounts.remove(at);
        }
    }
    if accounts.is_empty() {
        t.remove(key)?;
    } else {
        t.insert(key, accounts.join(" ").as_str())?;
    }
    Ok(())
}
