//! The database: one redb file holding patients, portal accounts, operators,
//! the portal setup and the audit trail. redb stays inside this module; the
//! services see [`Store`], [`ReadTx`] and [`WriteTx`] with domain types only,
//! so another backend can take its place without touching them.
//!
//! Several operators share one file, each in their own process: the file is
//! opened in redb's multi-writer mode, every process keeps its handle for its
//! lifetime, readers never block, and write transactions take turns (a
//! process waits up to `database.busy_timeout_ms` for another's commit).
//! See `docs/architecture.md`.

mod batch;
mod guardians;
mod migrate;
mod outbox;
mod read;
mod search;
mod tables;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use redb::{ConcurrencyMode, Database, ReadableDatabase};
use time::OffsetDateTime;

use crate::domain::{Action, NewEvent};
use crate::error::{Error, Result};

pub use read::{Counts, Page, PatientRow, ReadTx};

pub use batch::PatientBatch;
pub use outbox::{OutboxSummary, OutboxTx};

/// The bytes of a patient's row as the patients table and every index store
/// them (for tools and tests that edit a file behind portal-admin's back).
pub fn encode_row(p: &crate::domain::Patient, account_id: Option<u64>) -> Vec<u8> {
    let mut out = Vec::new();
    tables::encode_row(p, account_id, &mut out);
    out
}

/// A patient's row read back (see [`encode_row`]), with its portal account
/// id; `None` when the bytes are not a row.
pub fn decode_row(
    bytes: &[u8],
    account_number: &str,
) -> Option<(crate::domain::Patient, Option<u64>)> {
    let row = tables::RowRef::parse(bytes)?;
    Some((row.patient(account_number)?, row.account_id))
}
pub use migrate::{Rebuild, Upgrade};
pub use search::{PROBE_TERMS, entries_read};
pub use write::{ForeignLogin, PutReport, WriteTx};

/// Version of the layout of tables and values this program reads and
/// writes. Older files are upgraded on open (see `migrate.rs`).
pub const SCHEMA_VERSION: u32 = 5;

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub cache_bytes: usize,
    pub busy_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            cache_bytes: 16 << 20,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

impl StoreOptions {
    pub fn from_config(cfg: &crate::config::DatabaseConfig) -> Self {
        StoreOptions {
            cache_bytes: cfg.cache_mib << 20,
            busy_timeout: Duration::from_millis(cfg.busy_timeout_ms),
        }
    }
}

/// How long one read snapshot serves this process's reads. Beginning a read
/// transaction in multi-process mode costs a few microseconds (it checks the
/// file for other processes' commits) — more than a whole search page — so
/// searches typed in quick succession share one snapshot. This process's own
/// commits end the snapshot at once; other processes' commits are seen
/// within this time. Writes never trust a snapshot: they re-read inside the
/// write transaction and check versions.
pub const SNAPSHOT_TTL: Duration = Duration::from_millis(100);

pub struct Store {
    db: Handle,
    path: PathBuf,
    busy_timeout: Duration,
    snapshot: std::sync::Mutex<Option<(std::sync::Arc<read::Snapshot>, Instant)>>,
    /// What [`crate::files::check`] found wrong with the file's mode or
    /// owner when it was opened (a world-writable file is refused instead).
    warnings: Vec<String>,
    /// The upgrade this process made on open, if any.
    upgraded: Option<Upgrade>,
    /// The rebuild this process made on open, if any.
    rebuilt: Option<Rebuild>,
    /// A fresh snapshot saw audit events past the mark: an older
    /// portal-admin wrote since this process opened the file, and the
    /// derived search indexes may be stale (see [`Store::repair_if_stale`]).
    stale: std::sync::atomic::AtomicBool,
    /// The last rebuild [`Store::repair_if_stale`] made, until a client
    /// takes it to tell its user.
    repaired: std::sync::Mutex<Option<Rebuild>>,
}

/// The open redb file. Closing it writes to the file, and a damaged file
/// can make redb panic there too: it is closed through [`without_panics`].
/// Compacting needs it alone, hence the lock (transactions only hold it
/// while they begin).
struct Handle(std::sync::RwLock<Option<Database>>);

impl Handle {
    fn new(db: Database) -> Self {
        Handle(std::sync::RwLock::new(Some(db)))
    }

    fn with<T>(&self, f: impl FnOnce(&Database) -> T) -> Result<T> {
        let guard = self.0.read().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(db) => Ok(f(db)),
            None => Err(Error::Internal("the database is already closed".into())),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let db = self.0.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(db) = db {
            let _ = without_panics(|| {
                drop(db);
                Ok(())
            });
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Creates a new, empty database (`portal-admin init`). Refuses to touch
    /// an existing file.
    pub fn create(
        path: &Path,
        opts: &StoreOptions,
        now: OffsetDateTime,
        actor: &str,
    ) -> Result<Store> {
        if path.exists() {
            return Err(Error::DatabaseExists(path.to_owned()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_private_dir_all(dir).map_err(|e| {
                Error::Io(format!(
                    "cannot create the folder {}: {}",
                    dir.display(),
                    crate::config::io_reason(&e)
                ))
            })?;
        }
        // Create the file ourselves first so that two `init`s cannot both win,
        // and so it is private to its owner (it holds patient data).
        {
            use std::fs::OpenOptions;
            #[cfg(unix)]
            use std::os::unix::fs::OpenOptionsExt;
            let mut o = OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            o.mode(0o600);
            o.open(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::DatabaseExists(path.to_owned()),
                _ => Error::Io(format!(
                    "cannot create {}: {}",
                    path.display(),
                    crate::config::io_reason(&e)
                )),
            })?;
        }
        let db = builder(opts).create(path).map_err(|e| {
            let _ = std::fs::remove_file(path);
            Error::storage(e)
        })?;
        let store = Store {
            db: Handle::new(db),
            path: path.to_owned(),
            busy_timeout: opts.busy_timeout,
            snapshot: Default::default(),
            warnings: Vec::new(),
            upgraded: None,
            rebuilt: None,
            stale: Default::default(),
            repaired: Default::default(),
        };
        store.write(now, |tx| {
            tx.init_schema(SCHEMA_VERSION)?;
            tx.audit(NewEvent::success(
                actor,
                Action::DatabaseCreated,
                path.display().to_string(),
            ))
        })?;
        Ok(store)
    }

    /// Opens an existing database, checking that it is ours and not newer,
    /// and that not anyone on the computer can change it (its mode and
    /// owner: see [`crate::files::check`] and [`Store::warnings`]); an
    /// older one is upgraded (its audit event names `portal-admin`).
    pub fn open(path: &Path, opts: &StoreOptions) -> Result<Store> {
        Self::open_upgrading(path, opts, OffsetDateTime::now_utc(), "portal-admin")
    }

    /// Opens an existing database, checking that it is ours and not newer;
    /// a file of an older schema is first copied beside itself
    /// (`<file>.schema-N.bak`) and then upgraded, recorded at `now` by `actor`.
    pub fn open_upgrading(
        path: &Path,
        opts: &StoreOptions,
        now: OffsetDateTime,
        actor: &str,
    ) -> Result<Store> {
        if !path.exists() {
            return Err(Error::DatabaseMissing(path.to_owned()));
        }
        let warnings = crate::files::check(path, crate::files::Kind::Database)?;
        let deadline = Instant::now() + opts.busy_timeout;
        let db = loop {
            match builder(opts).open(path) {
                Ok(db) => break db,
                Err(
                    redb::DatabaseError::DatabaseAlreadyOpen
                    | redb::DatabaseError::LockProtocolMismatch,
                ) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                Err(
                    redb::DatabaseError::DatabaseAlreadyOpen
                    | redb::DatabaseError::LockProtocolMismatch,
                ) => return Err(Error::InUse(path.to_owned())),
                Err(redb::DatabaseError::Storage(redb::StorageError::Io(e)))
                    if !matches!(
                        e.kind(),
                        std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
                    ) =>
                {
                    return Err(Error::Io(format!(
                        "cannot open {}: {}",
                        path.display(),
                        crate::config::io_reason(&e)
                    )));
                }
                Err(e) => {
                    return Err(Error::NotOurDatabase {
                        path: path.to_owned(),
                        detail: e.to_string(),
                    });
                }
            }
        };
        let mut store = Store {
            db: Handle::new(db),
            path: path.to_owned(),
            busy_timeout: opts.busy_timeout,
            snapshot: Default::default(),
            warnings,
            upgraded: None,
            rebuilt: None,
            stale: Default::default(),
            repaired: Default::default(),
        };
        for w in &store.warnings {
            tracing::warn!("{w}");
        }
        let version =
            without_panics(|| store.read().and_then(|r| r.schema_version())).map_err(|e| {
                Error::NotOurDatabase {
                    path: path.to_owned(),
                    detail: e.to_string(),
                }
            })?;
        match version {
            None => Err(Error::NotOurDatabase {
                path: path.to_owned(),
                detail: "it has no portal-admin schema version".into(),
            }),
            Some(v) if v > SCHEMA_VERSION => Err(Error::NewerSchema {
                path: path.to_owned(),
                found: v,
                known: SCHEMA_VERSION,
            }),
            Some(v) if v < 1 => Err(Error::NotOurDatabase {
                path: path.to_owned(),
                detail: format!("unknown schema version {v}"),
            }),
            Some(v) => {
                if v < SCHEMA_VERSION {
                    // The upgrade's own audit event names no account, so
                    // the history index is still either whole or missing.
                    store.upgraded = store.upgrade(now, actor)?;
                }
                store.ensure_account_history_index()?;
                store.rebuilt = store.rebuild_after_older_writes(now, actor)?;
                Ok(store)
            }
        }
    }

    /// Builds `audit_by_account` from the trail when the file has none (made
    /// by an older portal-admin, or a copy that left it out). Once per file:
    /// about 4 seconds at a million events (`docs/benchmarks.md`, section 7),
    /// so a long trail says so on the terminal. A derived index, not a
    /// change of state: no audit event.
    fn ensure_account_history_index(&self) -> Result<()> {
        use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableHandle};
        use std::io::IsTerminal;
        let missing = |tx: &redb::ReadTransaction| {
            matches!(
                tx.open_table(tables::AUDIT_BY_ACCOUNT),
                Err(redb::TableError::TableDoesNotExist(_))
            )
        };
        if !missing(&self.db.with(|db| db.begin_read())??) {
            return Ok(());
        }
        let tx = self.begin_write()?;
        let built_meanwhile = tx
            .list_tables()?
            .any(|t| t.name() == tables::AUDIT_BY_ACCOUNT.name());
        if !built_meanwhile {
            let audit = tx.open_table(tables::AUDIT)?;
            if audit.len()? > 100_000 && std::io::stderr().is_terminal() {
                eprintln!(
                    "portal-admin: indexing the audit trail by account (once, a few seconds)…"
                );
            }
            let mut index = tx.open_table(tables::AUDIT_BY_ACCOUNT)?;
            for item in audit.iter()? {
                let (k, v) = item?;
                let ev: crate::domain::AuditEvent = read::decode("audit event", v.value())?;
                if let Some(id) = crate::domain::audit::account_of_target(&ev.target) {
                    index.insert((id, k.value()), ())?;
                }
            }
        }
        tx.commit()?;
        self.refresh();
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sentences about risks in the file's mode or owner found at open
    /// (group-writable, readable by others, another owner); empty when the
    /// file is private to the user running portal-admin.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The upgrade this process made when it opened the file (`None` when
    /// the file was already of this schema, or another process upgraded it).
    pub fn upgraded(&self) -> Option<&Upgrade> {
        self.upgraded.as_ref()
    }

    /// The rebuild this process made when it opened a file an older
    /// portal-admin had written to after its upgrade.
    pub fn rebuilt(&self) -> Option<&Rebuild> {
        self.rebuilt.as_ref()
    }

    /// A consistent snapshot to read from. Cheap (microseconds); sees every
    /// commit made before it began, by any process.
    pub fn read(&self) -> Result<ReadTx> {
        let mut cached = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((tx, at)) = cached.as_ref()
            && at.elapsed() < SNAPSHOT_TTL
        {
            return Ok(ReadTx::new(tx.clone()));
        }
        let tx = std::sync::Arc::new(read::Snapshot::new(
            self.db
                .with(|db| db.begin_read())?
                .map_err(Error::storage)?,
        ));
        // One read a snapshot: has an older build written since?
        if let Ok(meta) = tx.raw().open_table(tables::META)
            && migrate::behind(&meta, tables::META_AUDIT_MARK)?.is_some()
        {
            self.stale.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        *cached = Some((tx.clone(), Instant::now()));
        Ok(ReadTx::new(tx))
    }

    /// When a snapshot of this process saw an older portal-admin's writes
    /// (a workstation still running one after the upgrade), rebuilds what
    /// this schema derives, as an open does (`rebuild_after_older_writes`),
    /// so that a search of an app left open reads whole indexes. Returns
    /// what it rebuilt. `actor` is asked only when there is something to
    /// rebuild (naming the file's owner reads the passwd file, which a
    /// search must not pay for at every keystroke).
    pub fn repair_if_stale(
        &self,
        now: OffsetDateTime,
        actor: impl FnOnce() -> String,
    ) -> Result<Option<Rebuild>> {
        if !self.stale.swap(false, std::sync::atomic::Ordering::Relaxed) {
            return Ok(None);
        }
        let rebuilt = self.rebuild_after_older_writes(now, &actor())?;
        if let Some(r) = &rebuilt {
            *self.repaired.lock().unwrap_or_else(|e| e.into_inner()) = Some(r.clone());
        }
        Ok(rebuilt)
    }

    /// The rebuild [`Store::repair_if_stale`] made since this was last
    /// asked, if any (for the app to say it).
    pub fn take_repaired(&self) -> Option<Rebuild> {
        self.repaired
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Gives the space that a large write left unused back to the file
    /// system (redb grows a file by doubling it; after an import or the
    /// demo much of the last doubling is empty). Skipped, returning false,
    /// when this or another process is reading the file. Other processes
    /// wait until it is done (seconds, for a million patients).
    pub fn compact(&self) -> Result<bool> {
        let mut snapshot = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        *snapshot = None;
        let mut guard = self.db.0.write().unwrap_or_else(|e| e.into_inner());
        let Some(db) = guard.as_mut() else {
            return Ok(false);
        };
        match db.compact() {
            Ok(done) => Ok(done),
            Err(
                redb::CompactionError::TransactionInProgress
                | redb::CompactionError::EphemeralSavepointExists
                | redb::CompactionError::PersistentSavepointExists,
            ) => Ok(false),
            Err(e) => Err(Error::storage(e)),
        }
    }

    /// Forgets the shared snapshot: the next read sees every commit so far.
    pub fn refresh(&self) {
        *self.snapshot.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Runs `f` in one write transaction and commits it if `f` succeeds and
    /// appended at least one audit event; otherwise nothing is written.
    /// Waits for other processes' writes up to the busy timeout.
    pub fn write<T>(
        &self,
        now: OffsetDateTime,
        f: impl FnOnce(&mut WriteTx) -> Result<T>,
    ) -> Result<T> {
        let tx = self.begin_write()?;
        let mut wtx = WriteTx::new(tx, now);
        let value = f(&mut wtx)?;
        wtx.commit()?;
        self.refresh();
        Ok(value)
    }

    fn begin_write(&self) -> Result<redb::WriteTransaction> {
        let deadline = Instant::now() + self.busy_timeout;
        let mut pause = Duration::from_millis(1);
        loop {
            match self.db.with(|db| db.try_begin_write())? {
                Ok(mut tx) => {
                    // A crash after this commit reopens in milliseconds
                    // instead of a full repair.
                    tx.set_quick_repair(true);
                    return Ok(tx);
                }
                Err(redb::TransactionError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    // Short waits: a process that sleeps long misses the brief
                    // gaps between other processes' commits and can starve.
                    pause = (pause * 2).min(Duration::from_millis(4));
                }
                Err(redb::TransactionError::WouldBlock) => return Err(Error::Busy),
                Err(e) => return Err(Error::storage(e)),
            }
        }
    }
}

/// Runs `f`, turning a panic into an error. redb checks what it reads from
/// the file, but a few damaged pages still make it index out of bounds; a
/// damaged file must give a sentence, not a crash. Only this thread's panic
/// message is silenced, and only while `f` runs.
pub(crate) fn without_panics<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    use std::cell::Cell;
    use std::sync::Once;
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.unwrap_or_else(|_| {
        Err(Error::Storage(
            "a page of the file is damaged (it cannot be read)".into(),
        ))
    })
}

fn builder(opts: &StoreOptions) -> redb::Builder {
    let mut b = Database::builder();
    b.set_concurrency_mode(ConcurrencyMode::MultiWriter);
    b.set_cache_size(opts.cache_bytes);
    b.set_repair_callback(report_repair);
    b
}

/// A file that was not closed cleanly (a crash, a power cut) is repaired on
/// open. With quick-repair that takes milliseconds; when it takes longer, the
/// operator sees it progress on the terminal instead of a frozen screen.
static REPAIRING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn report_repair(session: &mut redb::RepairSession) {
    use std::io::{IsTerminal, Write};
    use std::sync::atomic::{AtomicU8, Ordering};
    static LAST: AtomicU8 = AtomicU8::new(u8::MAX);
    let pct = (session.progress() * 100.0).clamp(0.0, 99.0) as u8;
    REPAIRING.store(true, Ordering::Relaxed);
    if LAST.swap(pct / 10, Ordering::Relaxed) == pct / 10 {
        return;
    }
    tracing::warn!(
        progress = pct,
        "repairing the database after an unclean shutdown"
    );
    if std::io::stderr().is_terminal() {
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\rportal-admin: the database was not closed cleanly; repairing it… {pct}%  "
        );
        let _ = err.flush();
    }
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error::Storage(e.to_string())
            }
        }
    )*};
}
from_redb!(
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
    redb::DatabaseError
);

/// What a backup copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub rows: u64,
    pub bytes: u64,
}

impl Store {
    /// Writes a consistent copy of the database to `dest` while others keep
    /// working: the copy is read from one read transaction (a snapshot of
    /// the last commit), written to `dest.partial`, synced, then given its
    /// name by a step that cannot replace a file: a hard link (or, where the
    /// filesystem has none, an exclusive rename). A file that appears at
    /// `dest` while the copy is written is left as it is and the backup is
    /// refused.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupReport> {
        self.backup_to_with(dest, || {})
    }

    /// [`Store::backup_to`], running `before_publish` between the copy and
    /// the step that names it (where a race would strike).
    fn backup_to_with(&self, dest: &Path, before_publish: impl FnOnce()) -> Result<BackupReport> {
        if std::fs::symlink_metadata(dest).is_ok() {
            return Err(Error::DatabaseExists(dest.to_owned()));
        }
        let mut partial = dest.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        create_private_file(&partial).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Io(format!(
                "{} already exists (left by an interrupted backup?); remove it or choose another name",
                partial.display()
            )),
            _ => Error::Io(format!(
                "cannot create {}: {}",
                partial.display(),
                crate::config::io_reason(&e)
            )),
        })?;
        // From here the partial file is ours: removed whatever happens.
        let result = self.copy_into(&partial).and_then(|rows| {
            before_publish();
            publish_no_replace(&partial, dest).map(|()| rows)
        });
        let _ = std::fs::remove_file(&partial);
        let rows = result?;
        let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport { rows, bytes })
    }

    /// Copies every table into the (empty, private) file at `path`.
    fn copy_into(&self, path: &Path) -> Result<u64> {
        self.copy_tables_into(path, SCHEMA_VERSION)
    }

    /// Writes every table of this file (at schema `version`) from one read
    /// snapshot into the new, empty, private file at `path`, and syncs it.
    fn copy_tables_into(&self, path: &Path, version: u32) -> Result<u64> {
        let src = self.db.with(|db| db.begin_read())??;
        let dst_db = Database::builder().create(path)?;
        let dst = dst_db.begin_write()?;
        let mut rows = migrate::copy_schema(&src, &dst, version)?;
        rows += outbox::copy_outbox(&src, &dst)?;
        dst.commit()?;
        drop(dst_db);
        std::fs::File::open(path)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::Io(e.to_string()))?;
        Ok(rows)
    }
}

/// Creates an empty file readable by its owner only; fails if anything
/// (a file, a link) is already there.
pub(super) fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Gives the finished copy at `from` the name `to`, refusing to replace a
/// file that is (or has just appeared) there: link(2) fails with EEXIST,
/// and so does renameat2 with RENAME_NOREPLACE where links are not
/// supported. The folder is synced so the new name survives a power cut.
fn publish_no_replace(from: &Path, to: &Path) -> Result<()> {
    let exists = || Error::DatabaseExists(to.to_owned());
    let failed = |e: &std::io::Error| {
        Error::Io(format!(
            "cannot give the backup its name {}: {}",
            to.display(),
            crate::config::io_reason(e)
        ))
    };
    match std::fs::hard_link(from, to) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists()),
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Err(_) => {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
                Ok(()) => {}
                Err(rustix::io::Errno::EXIST) => return Err(exists()),
                Err(e) => return Err(failed(&e.into())),
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        Err(e) => return Err(failed(&e)),
    }
    if let Some(dir) = to.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod backup_tests {
    use super::*;

    fn store(dir: &Path) -> Store {
        let now = time::macros::datetime!(2026-01-05 09:00 UTC);
        Store::create(
            &dir.join("s.redb"),
            &StoreOptions::default(),
            now,
            "local:t",
        )
        .unwrap()
    }

    #[test]
    fn a_file_created_during_the_backup_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let dest = dir.path().join("b.redb");
        let err = s
            .backup_to_with(&dest, || std::fs::write(&dest, "planted").unwrap())
            .unwrap_err();
        assert!(matches!(err, Error::DatabaseExists(_)), "{err}");
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "planted");
        assert!(
            !dir.path().join("b.redb.partial").exists(),
            "partial removed"
        );
        // A symbolic link planted there is not followed or replaced either.
        let dest2 = dir.path().join("c.redb");
        let target = dir.path().join("elsewhere");
        let err = s
            .backup_to_with(&dest2, || {
                #[cfg(unix)]
                std::os::unix::fs::symlink(&target, &dest2).unwrap();
            })
            .unwrap_err();
        assert!(matches!(err, Error::DatabaseExists(_)), "{err}");
        assert!(!target.exists());
        // Without a race the backup lands, private to its owner.
        let report = s.backup_to(&dir.path().join("d.redb")).unwrap();
        assert!(report.rows > 0);
    }

    #[test]
    fn a_partial_file_of_someone_else_is_neither_removed_nor_used() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let partial = dir.path().join("b.redb.partial");
        std::fs::write(&partial, "notes").unwrap();
        let err = s.backup_to(&dir.path().join("b.redb")).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(&partial).unwrap(), "notes");
    }
}
