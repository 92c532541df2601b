//! Upgrading a file written by an older portal-admin, one schema version at
//! a time (1 → 2, 2 → 3, 3 → 4, 4 → 5), each step in one write
//! transaction with its audit event. Before the first step a copy of the
//! file as it was is written beside it (`<file>.schema-N.bak`), readable by
//! the portal-admin that wrote it.

use std::path::{Path, PathBuf};

use redb::{ReadableTable, TableDefinition};
use time::OffsetDateTime;

use super::batch::PatientBatch;
use super::read::{AuditHead, decode, meta_in};
use super::tables::*;
use super::{Store, WriteTx};
use crate::domain::{Action, NewEvent, Patient, PortalAccount};
use crate::error::{Error, Result};

/// The tables of schema 1 that schema 2 changed or dropped.
pub(super) mod v1 {
    use redb::TableDefinition;

    /// account number → patient (JSON).
    pub const PATIENTS: TableDefinition<&str, &[u8]> = TableDefinition::new("patients");
    pub const IDX_PATIENT_NAME: TableDefinition<&str, &[u8]> =
        TableDefinition::new("idx_patient_name");
    pub const IDX_PATIENT_DOB: TableDefinition<&str, &[u8]> =
        TableDefinition::new("idx_patient_dob");
    pub const IDX_PATIENT_EMAIL: TableDefinition<&str, &[u8]> =
        TableDefinition::new("idx_patient_email");
    pub const IDX_PATIENT_NUMBER: TableDefinition<&str, &[u8]> =
        TableDefinition::new("idx_patient_number");
    /// account number → portal account id.
    pub const PATIENT_ACCOUNT: TableDefinition<&str, u64> = TableDefinition::new("patient_account");
}

/// An upgrade this process made when it opened the file, for the clients
/// to tell the people concerned (the CLI on standard error, the app on its
/// first screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    /// The file upgraded.
    pub path: PathBuf,
    /// Its schema before, and after.
    pub from: u32,
    pub to: u32,
    /// The copy of the file as it was.
    pub copy: PathBuf,
}

impl std::fmt::Display for Upgrade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "upgraded {} from schema {} to {}; the file as it was is kept at {}; older portal-admin versions cannot open it any more",
            self.path.display(),
            self.from,
            self.to,
            self.copy.display()
        )
    }
}

/// What this process rebuilt when it opened a file that an older
/// portal-admin (one still running when the file was upgraded) had written
/// to since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuild {
    pub path: PathBuf,
    /// The last audit event up to which the file was written by this
    /// version or a later one; the events after it may be an older one's.
    /// `None` when the file does not say (it was last written by a build
    /// before the mark existed).
    pub after: Option<u64>,
    /// Patients with a name of several parts, indexed again.
    pub several: u64,
    /// Guardian links listed again under a login that is not the
    /// patient's own email.
    pub logins: u64,
}

impl Rebuild {
    fn cause(&self) -> String {
        cause(self.after)
    }
}

/// Why derived tables are rebuilt, from the mark they were whole at.
fn cause(after: Option<u64>) -> String {
    match after {
        Some(m) => format!("an older portal-admin wrote to the file after audit event {m}"),
        None => "the file does not say which portal-admin wrote it last".into(),
    }
}

impl std::fmt::Display for Rebuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rebuilt the index of names of several parts ({} patient{}) and the index of guardians' logins ({} link{}) of {} because {}; every workstation must run this version",
            self.several,
            plural(self.several),
            self.logins,
            plural(self.logins),
            self.path.display(),
            self.cause()
        )
    }
}

impl Store {
    /// Brings the file up to [`super::SCHEMA_VERSION`], if it is older.
    /// Runs under the write lock, so that two processes opening an old file
    /// at once upgrade it once. Returns what this process did (nothing when
    /// another one did it meanwhile).
    pub(super) fn upgrade(&self, now: OffsetDateTime, actor: &str) -> Result<Option<Upgrade>> {
        let mut backed_up = false;
        let mut done_here: Option<Upgrade> = None;
        loop {
            let tx = self.begin_write()?;
            let mut wtx = WriteTx::new(tx, now);
            let version: u32 = {
                let meta = wtx.raw().open_table(META)?;
                meta_in(&meta, META_SCHEMA)?.unwrap_or(0)
            };
            if version >= super::SCHEMA_VERSION {
                // Nothing (more) to do; another process may just have done
                // it. A step rewrites much of the file and leaves it larger
                // (about twice, at a million patients): give the space back
                // when nobody else has it open.
                if backed_up {
                    drop(wtx);
                    let compacted = self.compact()?;
                    tracing::info!(compacted, "database file compacted after its upgrade");
                }
                if let Some(u) = &done_here {
                    tracing::info!("portal-admin: {u}");
                }
                return Ok(done_here);
            }
            let backup = if backed_up {
                None
            } else {
                backed_up = true;
                Some(self.backup_before_upgrade(version)?)
            };
            let (next, done) = match version {
                1 => {
                    migrate_1_to_2(&mut wtx)?;
                    (2, None)
                }
                2 => (3, Some(migrate_2_to_3(&mut wtx)?)),
                3 => (4, Some(migrate_3_to_4(&mut wtx)?)),
                4 => (5, Some(migrate_4_to_5(&mut wtx)?)),
                v => {
                    return Err(Error::NotOurDatabase {
                        path: self.path.clone(),
                        detail: format!("unknown schema version {v}"),
                    });
                }
            };
            wtx.put_meta(META_SCHEMA, &next)?;
            wtx.audit(NewEvent::success(
                actor,
                Action::DatabaseUpgraded,
                format!(
                    "database from schema {version} to {next}{}{}",
                    done.map(|d| format!(": {d}")).unwrap_or_default(),
                    backup
                        .as_ref()
                        .map(|b| format!(" (copy of the old file: {})", b.display()))
                        .unwrap_or_default()
                ),
            ))?;
            if next == super::SCHEMA_VERSION {
                // Every derived table is whole as of this event.
                wtx.mark_written(META_AUDIT_MARK)?;
            } else if next == 4 {
                // As a schema-4 build marks its own upgrade: the 4 → 5 step
                // then knows the index of schema 4 is whole.
                wtx.mark_written(META_AUDIT_MARK_4)?;
            }
            tracing::info!("upgraded {} to schema {next}", self.path.display());
            match (&mut done_here, backup) {
                (Some(u), _) => u.to = next,
                (None, Some(copy)) => {
                    done_here = Some(Upgrade {
                        path: self.path.clone(),
                        from: version,
                        to: next,
                        copy,
                    })
                }
                (None, None) => {}
            }
            wtx.commit()?;
            self.refresh();
        }
    }

    /// Writes `<file>.schema-N.bak` (or `.schema-N.2.bak`… when taken): a
    /// copy of every table as the last commit left them.
    fn backup_before_upgrade(&self, version: u32) -> Result<PathBuf> {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "portal.redb".into());
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut n = 1;
        let dest = loop {
            let suffix = if n == 1 {
                format!("schema-{version}.bak")
            } else {
                format!("schema-{version}.{n}.bak")
            };
            let p = dir.join(format!("{name}.{suffix}"));
            if std::fs::symlink_metadata(&p).is_err() {
                break p;
            }
            n += 1;
        };
        eprint_progress(&format!(
            "portal-admin: upgrading {} from schema {version}; copying it first to {}",
            self.path.display(),
            dest.display()
        ));
        // Nothing is upgraded without its copy: say so, and what to do.
        let refused = |why: String, cause: CopyCause| {
            Error::Io(format!(
                "{} needs an upgrade from schema {version}, which first keeps a copy at {}, but {why}; nothing was changed: {} and open it again",
                self.path.display(),
                dest.display(),
                cause.advice(),
            ))
        };
        super::create_private_file(&dest).map_err(|e| {
            refused(
                format!(
                    "that copy cannot be created ({})",
                    crate::config::io_reason(&e)
                ),
                CopyCause::of(&e),
            )
        })?;
        self.copy_tables_into(&dest, version).map_err(|e| {
            let _ = std::fs::remove_file(&dest);
            // redb reports a full disk as text; the free space says it.
            let size = std::fs::metadata(&self.path).map_or(0, |m| m.len());
            let cause = if free_space(dir).is_some_and(|free| free < size) {
                CopyCause::NoSpace
            } else {
                CopyCause::Other
            };
            refused(format!("that copy could not be written ({e})"), cause)
        })?;
        Ok(dest)
    }
}

/// Why the copy before an upgrade could not be made, as far as what to do
/// about it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CopyCause {
    NameTooLong,
    NotWritable,
    NoSpace,
    Other,
}

impl CopyCause {
    pub(super) fn of(e: &std::io::Error) -> CopyCause {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::InvalidFilename => CopyCause::NameTooLong,
            K::PermissionDenied | K::ReadOnlyFilesystem => CopyCause::NotWritable,
            K::StorageFull | K::QuotaExceeded => CopyCause::NoSpace,
            _ => CopyCause::Other,
        }
    }

    pub(super) fn advice(self) -> &'static str {
        match self {
            CopyCause::NameTooLong => "give the file a shorter name",
            CopyCause::NotWritable => {
                "make its folder writable for this user (or move the file to one that is)"
            }
            CopyCause::NoSpace => "free space on its disk (the copy is about the size of the file)",
            CopyCause::Other => {
                "make sure a file can be written beside it (or move the file to a folder where one can)"
            }
        }
    }
}

/// Bytes free for this user on the file system holding `dir`.
fn free_space(dir: &Path) -> Option<u64> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

fn eprint_progress(line: &str) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprintln!("{line}");
    }
    tracing::info!("{line}");
}

/// Schema 2: patients as compact rows carrying their portal account link
/// (no `patient_account`), a token index and search terms for words in any
/// order, email-part indexes for patients and logins, no number index (the
/// patients table serves account-number searches).
fn migrate_1_to_2(wtx: &mut WriteTx) -> Result<()> {
    let tx = wtx.raw();
    let mut batch = PatientBatch::new();
    {
        let patients = tx.open_table(v1::PATIENTS)?;
        let links = tx.open_table(v1::PATIENT_ACCOUNT)?;
        for item in patients.iter()? {
            let (k, v) = item?;
            let p: Patient = decode("patient", v.value())?;
            if p.account_number != k.value() {
                return Err(Error::Storage(format!(
                    "the stored patient {} is filed under {}",
                    p.account_number,
                    k.value()
                )));
            }
            let link = links.get(k.value())?.map(|v| v.value());
            batch.push(&p, link)?;
        }
    }
    for def in [
        v1::PATIENTS,
        v1::IDX_PATIENT_NAME,
        v1::IDX_PATIENT_DOB,
        v1::IDX_PATIENT_EMAIL,
        v1::IDX_PATIENT_NUMBER,
    ] {
        tx.delete_table(def)?;
    }
    tx.delete_table(v1::PATIENT_ACCOUNT)?;
    wtx.create_patient_tables()?;
    wtx.put_batch(&batch, &mut |_, _| {})?;
    let tx = wtx.raw();
    let logins = tx.open_table(IDX_ACCOUNT_EMAIL)?;
    let mut parts = tx.open_table(IDX_ACCOUNT_EMAIL_PART)?;
    for item in logins.iter()? {
        let (k, v) = item?;
        for part in inner_email_parts(k.value()) {
            parts.insert(part.as_str(), v.value())?;
        }
    }
    Ok(())
}

/// Schema 3: guardian links. Every patient whose row shows a portal account
/// (at most one before schema 3) gets a link to it in `guardians`: a
/// `guardian` with full access since the account was made
/// ([`super::guardians::legacy_link`]) — who the holder is to the patient
/// was never recorded, and full is what the link gave. The age rules then
/// apply as to any guardian. Rows, accounts and the trail are untouched.
/// Returns what it did, for the step's audit event.
fn migrate_2_to_3(wtx: &mut WriteTx) -> Result<String> {
    let mut links: Vec<(String, PortalAccount)> = Vec::new();
    {
        let tx = wtx.raw();
        let patients = tx.open_table(PATIENTS)?;
        let accounts = tx.open_table(ACCOUNTS)?;
        for item in patients.iter()? {
            let (k, v) = item?;
            let no = k.value();
            let row = RowRef::parse(v.value())
                .ok_or_else(|| Error::Storage(format!("the stored patient {no} is damaged")))?;
            let Some(id) = row.account_id else { continue };
            let acc: PortalAccount = match accounts.get(id)? {
                Some(a) => decode("portal account", a.value())?,
                None => {
                    return Err(Error::Storage(format!(
                        "patient {no} is linked to a missing account {id}"
                    )));
                }
            };
            links.push((no.to_owned(), acc));
        }
    }
    wtx.raw().open_table(GUARDIANS)?;
    wtx.raw().open_table(REMOVED_GUARDIANS)?;
    for (no, acc) in &links {
        wtx.put_guardian_link(no, acc.id, &super::guardians::legacy_link(acc))?;
    }
    Ok(format!(
        "{} patient{} on a portal account linked to it as guardian, full access",
        links.len(),
        if links.len() == 1 { "" } else { "s" }
    ))
}

/// Schema 4: the token index entries of the patients whose names have
/// several parts, again in `idx_patient_multi` (see
/// [`super::tables::IDX_PATIENT_MULTI`]), so that words no one name part
/// can begin together read those patients only. Built from the patients
/// table; nothing else changes. Returns what it did, for the step's audit
/// event.
fn migrate_3_to_4(wtx: &mut WriteTx) -> Result<String> {
    let several = index_several_parts(wtx)?;
    Ok(format!(
        "{several} patient{} with a name of several parts indexed by each part",
        if several == 1 { "" } else { "s" }
    ))
}

/// Fills `idx_patient_multi` (empty, or just made) from the patients table;
/// returns the patients with a name of several parts.
fn index_several_parts(wtx: &mut WriteTx) -> Result<u64> {
    let tx = wtx.raw();
    let patients = tx.open_table(PATIENTS)?;
    let mut multi = tx.open_table(IDX_PATIENT_MULTI)?;
    let mut several = 0u64;
    for item in patients.iter()? {
        let (k, v) = item?;
        let no = k.value();
        let row = RowRef::parse(v.value())
            .ok_or_else(|| Error::Storage(format!("the stored patient {no} is damaged")))?;
        let keys = PatientKeys::from_names(row.last_name, row.first_name, no);
        if !has_several_tokens(keys.tokens.len()) {
            continue;
        }
        several += 1;
        for tok in &keys.tokens {
            multi.insert(token_key(tok, &keys.name).as_str(), v.value())?;
        }
    }
    Ok(several)
}

/// Schema 5: a patient is found by the logins of its current guardians
/// through an index of their parts (`idx_guardian_login`), instead of
/// reading every portal account a login part names at search time. The
/// mark of schema 4 builds gives way to schema 5's (see
/// [`META_AUDIT_MARK`]).
fn migrate_4_to_5(wtx: &mut WriteTx) -> Result<String> {
    // The 2 → 3 step of this build may have listed some already.
    wtx.raw().delete_table(IDX_GUARDIAN_LOGIN)?;
    let listed = index_guardian_logins(wtx)?;
    // A schema-3 build that wrote to the file after its 3 → 4 step left
    // the mark of schema 4 behind (see `rebuild_after_older_writes`): the
    // index of schema 4 is made whole here, as a schema-4 build's next open
    // would have.
    let stale = {
        let meta = wtx.raw().open_table(META)?;
        behind(&meta, META_AUDIT_MARK_4)?
    };
    let several = match stale {
        Some(after) => {
            wtx.raw().delete_table(IDX_PATIENT_MULTI)?;
            Some((index_several_parts(wtx)?, after))
        }
        None => None,
    };
    wtx.raw().open_table(META)?.remove(META_AUDIT_MARK_4)?;
    Ok(format!(
        "{listed} guardian link{} indexed by a login that is not the patient's own email{}",
        plural(listed),
        several
            .map(|(n, after)| format!(
                "; index of names of several parts rebuilt ({n} patient{}) because {}",
                plural(n),
                cause(after)
            ))
            .unwrap_or_default()
    ))
}

/// Fills `idx_guardian_login` (empty, or just made) from the guardian
/// links: every link whose holder's login is not the patient's own email.
/// Returns how many links it listed.
fn index_guardian_logins(wtx: &mut WriteTx) -> Result<u64> {
    let tx = wtx.raw();
    let links = tx.open_table(GUARDIANS)?;
    let patients = tx.open_table(PATIENTS)?;
    let accounts = tx.open_table(ACCOUNTS)?;
    let mut logins: std::collections::HashMap<u64, String> = Default::default();
    let mut lists: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut listed = 0u64;
    for item in links.iter()? {
        let (k, _) = item?;
        let (no, id) = k.value();
        let login = match logins.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let acc: PortalAccount = match accounts.get(id)? {
                    Some(a) => decode("portal account", a.value())?,
                    None => {
                        return Err(Error::Storage(format!(
                            "patient {no} has a guardian link to a missing account {id}"
                        )));
                    }
                };
                e.insert(acc.email.as_str().to_owned())
            }
        };
        let own = match patients.get(no)? {
            Some(v) => RowRef::parse(v.value())
                .ok_or_else(|| Error::Storage(format!("the stored patient {no} is damaged")))?
                .email
                .map(str::to_owned),
            None => None,
        };
        if own.as_deref() == Some(login.as_str()) {
            continue;
        }
        listed += 1;
        for part in all_email_parts(login) {
            lists.entry(part).or_default().push(no.to_owned());
        }
    }
    let mut t = tx.open_table(IDX_GUARDIAN_LOGIN)?;
    for (part, mut accounts) in lists {
        accounts.sort_unstable();
        accounts.dedup();
        t.insert(part.as_str(), accounts.join(" ").as_str())?;
    }
    Ok(listed)
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Store {
    /// Whether an older portal-admin wrote to the file since this version
    /// last did (see [`META_AUDIT_MARK`]): one read. If so, rebuilds what
    /// schema 4 derives from the patients table, in one write transaction
    /// with its audit event, and says what it did.
    pub(super) fn rebuild_after_older_writes(
        &self,
        now: OffsetDateTime,
        actor: &str,
    ) -> Result<Option<Rebuild>> {
        use redb::ReadableDatabase;
        {
            let tx = self.db.with(|db| db.begin_read())??;
            let meta = tx.open_table(META)?;
            if behind(&meta, META_AUDIT_MARK)?.is_none() {
                return Ok(None);
            }
        }
        let tx = self.begin_write()?;
        let mut wtx = WriteTx::new(tx, now);
        let after = {
            let meta = wtx.raw().open_table(META)?;
            behind(&meta, META_AUDIT_MARK)?
        };
        // Another process rebuilt it meanwhile: nothing is written.
        let Some(after) = after else {
            return Ok(None);
        };
        wtx.raw().delete_table(IDX_PATIENT_MULTI)?;
        let several = index_several_parts(&mut wtx)?;
        wtx.raw().delete_table(IDX_GUARDIAN_LOGIN)?;
        let logins = index_guardian_logins(&mut wtx)?;
        let rebuild = Rebuild {
            path: self.path.clone(),
            after,
            several,
            logins,
        };
        wtx.audit(NewEvent::success(
            actor,
            Action::IndexRebuilt,
            format!(
                "index of names of several parts: {several} patient{}; index of guardians' logins: {logins} link{}; {}",
                plural(several),
                plural(logins),
                rebuild.cause()
            ),
        ))?;
        wtx.mark_written(META_AUDIT_MARK)?;
        wtx.commit()?;
        self.refresh();
        tracing::warn!("portal-admin: {rebuild}");
        Ok(Some(rebuild))
    }
}

/// Whether the file has audit events past the mark kept under `key`:
/// `None` when not, `Some(mark)` when it has (`Some(None)`: no mark at all,
/// the file was last written by a build before it).
pub(super) fn behind(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<Option<u64>>> {
    let head = meta_in::<AuditHead>(meta, META_AUDIT_HEAD)?.map(|h| h.seq);
    let mark: Option<u64> = meta_in(meta, key)?;
    Ok(match (head, mark) {
        (None, _) => None,
        (Some(h), Some(m)) if m >= h => None,
        (Some(_), m) => Some(m),
    })
}

/// Copies every table of a file at schema `version`; returns the rows copied.
pub(super) fn copy_schema(
    src: &redb::ReadTransaction,
    dst: &redb::WriteTransaction,
    version: u32,
) -> Result<u64> {
    let mut rows = 0;
    rows += copy_table(src, dst, META)?;
    rows += copy_table(src, dst, ACCOUNTS)?;
    rows += copy_table(src, dst, IDX_ACCOUNT_EMAIL)?;
    rows += copy_table(src, dst, OPERATORS)?;
    rows += copy_table(src, dst, AUDIT)?;
    rows += copy_table(src, dst, AUDIT_BY_ACCOUNT)?;
    match version {
        1 => {
            rows += copy_table(src, dst, v1::PATIENTS)?;
            rows += copy_table(src, dst, v1::IDX_PATIENT_NAME)?;
            rows += copy_table(src, dst, v1::IDX_PATIENT_DOB)?;
            rows += copy_table(src, dst, v1::IDX_PATIENT_EMAIL)?;
            rows += copy_table(src, dst, v1::IDX_PATIENT_NUMBER)?;
            rows += copy_table(src, dst, v1::PATIENT_ACCOUNT)?;
        }
        _ => {
            rows += copy_table(src, dst, PATIENTS)?;
            rows += copy_table(src, dst, IDX_PATIENT_NAME)?;
            rows += copy_table(src, dst, IDX_PATIENT_TOKEN)?;
            rows += copy_table(src, dst, IDX_PATIENT_DOB)?;
            rows += copy_table(src, dst, IDX_PATIENT_EMAIL)?;
            rows += copy_table(src, dst, IDX_PATIENT_EMAIL_PART)?;
            rows += copy_table(src, dst, SEARCH_TERMS)?;
            rows += copy_table(src, dst, IDX_ACCOUNT_EMAIL_PART)?;
            // Schema 3 (a schema-2 file has none: nothing is copied).
            rows += copy_table(src, dst, GUARDIANS)?;
            rows += copy_table(src, dst, REMOVED_GUARDIANS)?;
            // Schema 4.
            rows += copy_table(src, dst, IDX_PATIENT_MULTI)?;
            // Schema 5.
            rows += copy_table(src, dst, IDX_GUARDIAN_LOGIN)?;
        }
    }
    Ok(rows)
}

fn copy_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    src: &redb::ReadTransaction,
    dst: &redb::WriteTransaction,
    def: TableDefinition<K, V>,
) -> Result<u64>
where
    for<'a> K::SelfType<'a>: std::borrow::Borrow<K::SelfType<'a>>,
    for<'a> V::SelfType<'a>: std::borrow::Borrow<V::SelfType<'a>>,
{
    // A table a file does not have (a derived one, made on a later open)
    // is not copied.
    let from = match src.open_table(def) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut to = dst.open_table(def)?;
    let mut n = 0;
    for item in from.iter()? {
        let (k, v) = item?;
        to.insert(k.value(), v.value())?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::CopyCause;
    use std::io::Error;

    /// Fresh tester 2, N4: the refusal when the copy before an upgrade
    /// cannot be made says what to do by cause.
    #[test]
    fn the_advice_when_the_copy_cannot_be_made_follows_the_cause() {
        for (errno, cause, advice) in [
            (36, CopyCause::NameTooLong, "give the file a shorter name"),
            (
                13,
                CopyCause::NotWritable,
                "make its folder writable for this user (or move the file to one that is)",
            ),
            (
                30,
                CopyCause::NotWritable,
                "make its folder writable for this user (or move the file to one that is)",
            ),
            (
                28,
                CopyCause::NoSpace,
                "free space on its disk (the copy is about the size of the file)",
            ),
            (
                122,
                CopyCause::NoSpace,
                "free space on its disk (the copy is about the size of the file)",
            ),
            (
                5,
                CopyCause::Other,
                "make sure a file can be written beside it (or move the file to a folder where one can)",
            ),
        ] {
            let e = Error::from_raw_os_error(errno);
            assert_eq!(CopyCause::of(&e), cause, "errno {errno}: {e}");
            assert_eq!(cause.advice(), advice);
        }
        // The OS reason goes into the sentence lower-cased.
        assert_eq!(
            crate::config::io_reason(&Error::from_raw_os_error(36)),
            "file name too long"
        );
        assert_eq!(
            crate::config::io_reason(&Error::from_raw_os_error(28)),
            "no space left on device"
        );
    }
}
