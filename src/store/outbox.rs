//! The outbox: notices to account holders, written in the same transaction
//! as the change they tell of, and the queue of those still to be sent.
//!
//! Two tables, made the first time a notice is queued (a file that never
//! queued one has neither, and reads as an empty outbox):
//! `outbox` (notice id → notice, JSON) keeps every notice with its state;
//! `outbox_due` ((when due, unix seconds), notice id) → () holds only the
//! pending ones, so a sender finds what is due with one range read however
//! many notices were sent before.
//!
//! A sender's bookkeeping — taking a notice, recording a failed attempt and
//! its retry time — is not a change of the practice's state and runs in an
//! [`OutboxTx`], which can touch nothing but the outbox and commits without
//! an audit event. A notice sent or given up is audited (a [`WriteTx`]).

use redb::{ReadableTable, ReadableTableMetadata, TableDefinition, TableError};
use time::OffsetDateTime;

use super::read::{ReadTx, decode, encode, meta_in};
use super::tables::META;
use super::{Store, WriteTx};
use crate::domain::{Notice, OutboxStats};
use crate::error::{Error, Result};

/// notice id → notice (JSON).
pub(super) const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox");
/// (when due, unix seconds; notice id) → nothing: the pending notices.
pub(super) const OUTBOX_DUE: TableDefinition<(i64, u64), ()> = TableDefinition::new("outbox_due");

const META_NEXT_NOTICE: &str = "next_notice_id";
const META_OUTBOX_STATS: &str = "outbox_stats";

fn due_key(n: &Notice) -> (i64, u64) {
    (n.next_attempt_at.unix_timestamp(), n.id)
}

/// What the outbox holds, for `notify status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxSummary {
    /// Notices still to be sent (queued or being sent).
    pub pending: u64,
    pub stats: OutboxStats,
    /// The first pending notices, soonest due first.
    pub next: Vec<Notice>,
}

// ---- reading -------------------------------------------------------------

impl ReadTx {
    fn outbox_table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: TableDefinition<K, V>,
    ) -> Result<Option<redb::ReadOnlyTable<K, V>>> {
        match self.raw().open_table(def) {
            Ok(t) => Ok(Some(t)),
            Err(TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(Error::storage(e)),
        }
    }

    /// One notice by its id.
    pub fn notice(&self, id: u64) -> Result<Option<Notice>> {
        let Some(t) = self.outbox_table(OUTBOX)? else {
            return Ok(None);
        };
        t.get(id)?.map(|v| decode("notice", v.value())).transpose()
    }

    /// The pending notices, soonest due first, at most `limit`, and how
    /// many there are; with the outbox's totals.
    pub fn outbox_summary(&self, limit: usize) -> Result<OutboxSummary> {
        let stats = meta_in(&self.raw().open_table(META)?, META_OUTBOX_STATS)?.unwrap_or_default();
        let (Some(due), Some(all)) = (self.outbox_table(OUTBOX_DUE)?, self.outbox_table(OUTBOX)?)
        else {
            return Ok(OutboxSummary {
                stats,
                ..OutboxSummary::default()
            });
        };
        let mut next = Vec::new();
        for item in due.iter()?.take(limit) {
            let (k, _) = item?;
            let (_, id) = k.value();
            next.extend(notice_in(&all, id)?);
        }
        Ok(OutboxSummary {
            pending: due.len()?,
            stats,
            next,
        })
    }

    /// The notices of account `account_id` still to be sent.
    pub fn pending_notices_of(&self, account_id: u64) -> Result<Vec<Notice>> {
        let (Some(due), Some(all)) = (self.outbox_table(OUTBOX_DUE)?, self.outbox_table(OUTBOX)?)
        else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for item in due.iter()? {
            let (k, _) = item?;
            let (_, id) = k.value();
            if let Some(n) = notice_in(&all, id)?.filter(|n| n.account_id == account_id) {
                out.push(n);
            }
        }
        Ok(out)
    }
}

fn notice_in(t: &impl ReadableTable<u64, &'static [u8]>, id: u64) -> Result<Option<Notice>> {
    t.get(id)?.map(|v| decode("notice", v.value())).transpose()
}

// ---- writing with a change -------------------------------------------------

impl WriteTx {
    /// Puts a new notice in the outbox, due at once, in this transaction
    /// (the change it tells of commits with it, or neither does). Returns
    /// its id.
    pub fn queue_notice(&mut self, mut notice: Notice) -> Result<u64> {
        let tx = self.raw();
        let mut meta = tx.open_table(META)?;
        let id: u64 = meta_in(&meta, META_NEXT_NOTICE)?.unwrap_or(1);
        meta.insert(META_NEXT_NOTICE, encode(&(id + 1))?.as_slice())?;
        notice.id = id;
        put(tx, None, &notice)?;
        Ok(id)
    }

    /// One notice by its id, as this transaction sees it.
    pub fn notice(&self, id: u64) -> Result<Option<Notice>> {
        notice_in(&self.raw().open_table(OUTBOX)?, id)
    }

    /// Saves a notice sent or given up, with the outbox's totals, in the
    /// transaction of its audit event.
    pub fn finish_notice(&mut self, before: &Notice, notice: &Notice) -> Result<()> {
        put(self.raw(), Some(before), notice)?;
        update_stats(self.raw(), notice, self.now())
    }
}

/// Writes `notice`, moving its place in the due queue from where `before`
/// had it (if anywhere) to where it is now due (if still pending).
fn put(tx: &redb::WriteTransaction, before: Option<&Notice>, notice: &Notice) -> Result<()> {
    let mut due = tx.open_table(OUTBOX_DUE)?;
    if let Some(b) = before.filter(|b| b.is_pending()) {
        due.remove(due_key(b))?;
    }
    if notice.is_pending() {
        due.insert(due_key(notice), ())?;
    }
    tx.open_table(OUTBOX)?
        .insert(notice.id, encode(notice)?.as_slice())?;
    Ok(())
}

fn update_stats(tx: &redb::WriteTransaction, notice: &Notice, now: OffsetDateTime) -> Result<()> {
    use crate::domain::NoticeState;
    let mut meta = tx.open_table(META)?;
    let mut stats: OutboxStats = meta_in(&meta, META_OUTBOX_STATS)?.unwrap_or_default();
    match notice.state {
        NoticeState::Sent => {
            stats.sent += 1;
            stats.last_sent_at = Some(now);
        }
        NoticeState::Failed => {
            stats.failed += 1;
            stats.last_error.clone_from(&notice.last_error);
            stats.last_error_at = Some(now);
        }
        NoticeState::Queued | NoticeState::Sending => {}
    }
    meta.insert(META_OUTBOX_STATS, encode(&stats)?.as_slice())?;
    Ok(())
}

// ---- a sender's bookkeeping ----------------------------------------------

/// A write transaction that can touch only the outbox: a sender taking
/// notices and recording failed attempts. It commits without an audit
/// event; what the practice must be able to account for (a notice sent,
/// a notice given up) goes through [`WriteTx`] with its event.
pub struct OutboxTx {
    tx: redb::WriteTransaction,
    now: OffsetDateTime,
}

impl OutboxTx {
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// Takes up to `limit` notices due by now for a sender: each is marked
    /// `sending`, its attempt counted, and kept from other senders until
    /// `lease_until` (after which, if the sender died, it is due again).
    pub fn take_due(
        &mut self,
        limit: usize,
        lease_until: OffsetDateTime,
        only: Option<u64>,
    ) -> Result<Vec<Notice>> {
        use crate::domain::NoticeState;
        let now = self.now.unix_timestamp();
        let due: Vec<(i64, u64)> = {
            let t = self.tx.open_table(OUTBOX_DUE)?;
            let mut keys = Vec::new();
            for item in t.range((i64::MIN, 0)..=(now, u64::MAX))? {
                let (k, _) = item?;
                let key = k.value();
                if only.is_none_or(|id| id == key.1) {
                    keys.push(key);
                }
                if keys.len() == limit {
                    break;
                }
            }
            keys
        };
        let mut taken = Vec::with_capacity(due.len());
        for (_, id) in due {
            let Some(before) = notice_in(&self.tx.open_table(OUTBOX)?, id)? else {
                return Err(Error::Storage(format!(
                    "the outbox queue names a missing notice {id}"
                )));
            };
            let mut n = before.clone();
            n.state = NoticeState::Sending;
            n.attempts += 1;
            n.next_attempt_at = lease_until;
            put(&self.tx, Some(&before), &n)?;
            taken.push(n);
        }
        Ok(taken)
    }

    /// Records a failed attempt of a notice this sender took: queued again,
    /// due at `retry_at`, with the reason.
    pub fn retry(&mut self, taken: &Notice, retry_at: OffsetDateTime, error: &str) -> Result<()> {
        use crate::domain::NoticeState;
        let Some(before) = notice_in(&self.tx.open_table(OUTBOX)?, taken.id)? else {
            return Ok(());
        };
        if before.state != NoticeState::Sending {
            // Another sender finished it meanwhile.
            return Ok(());
        }
        let mut n = before.clone();
        n.state = NoticeState::Queued;
        n.next_attempt_at = retry_at;
        n.last_error = Some(error.to_owned());
        put(&self.tx, Some(&before), &n)?;
        let mut meta = self.tx.open_table(META)?;
        let mut stats: OutboxStats = meta_in(&meta, META_OUTBOX_STATS)?.unwrap_or_default();
        stats.last_error = Some(error.to_owned());
        stats.last_error_at = Some(self.now);
        meta.insert(META_OUTBOX_STATS, encode(&stats)?.as_slice())?;
        Ok(())
    }
}

impl Store {
    /// Runs `f` in one write transaction limited to the outbox, committed
    /// without an audit event (see [`OutboxTx`]).
    pub fn write_outbox<T>(
        &self,
        now: OffsetDateTime,
        f: impl FnOnce(&mut OutboxTx) -> Result<T>,
    ) -> Result<T> {
        let tx = self.begin_write()?;
        let mut otx = OutboxTx { tx, now };
        let value = f(&mut otx)?;
        otx.tx.commit()?;
        self.refresh();
        Ok(value)
    }
}

/// Copies the outbox tables (when the file has them) into a backup.
pub(super) fn copy_outbox(
    src: &redb::ReadTransaction,
    dst: &redb::WriteTransaction,
) -> Result<u64> {
    let mut rows = 0;
    match src.open_table(OUTBOX) {
        Ok(from) => {
            let mut to = dst.open_table(OUTBOX)?;
            for item in from.iter()? {
                let (k, v) = item?;
                to.insert(k.value(), v.value())?;
                rows += 1;
            }
        }
        Err(TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(Error::storage(e)),
    }
    if let Ok(from) = src.open_table(OUTBOX_DUE) {
        let mut to = dst.open_table(OUTBOX_DUE)?;
        for item in from.iter()? {
            let (k, _) = item?;
            to.insert(k.value(), ())?;
            rows += 1;
        }
    }
    Ok(rows)
}
