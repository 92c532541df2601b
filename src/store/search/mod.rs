//! Searching patients and portal accounts through the indexes, in the order
//! [`PatientQuery::rank`] defines, a page at a time — never by reading every
//! patient.
//!
//! A name query runs in up to four phases, one per rank (six with a word
//! typed with punctuation inside, see below):
//!
//! - `0`/`1` — a word (or neighbouring words) equal to / beginning the last
//!   name: a walk of the name index from that word. When another word must
//!   match too, it is *probed* instead: the token index holds each first
//!   name and inner name part with the last name after it, so `jo garcia`
//!   reads `jose garcia…`, `jonah garcia…` — one short range per first name
//!   beginning with `jo` (at most [`PROBE_TERMS`]) — instead of walking every
//!   García or every Johnson. `search_terms` lists which tokens exist.
//!   A last-name word typed with punctuation inside (`o'br`) first walks
//!   the runs that hold it whole, in two phases of their own before `0`
//!   ([`WHOLE_EXACT`], [`WHOLE_BEGINS`]: O'Brien, Obrien), then `0`/`1`
//!   walk the other runs (`br` with `o`: Brown, Oliver). A query of plain
//!   words has no such run and no such phase.
//! - `2` — matches on other name parts: a walk of the token index from the
//!   driving word (see [`PatientQuery::driver`]), skipped at once when a
//!   word begins no token at all.
//! - `3` — a single word, also in emails: the email index and the email-part
//!   index from the word, and the index of the guardians' logins that are
//!   not their patients' own email (`idx_guardian_login`, schema 5; see
//!   `ReadTx::by_email_part`). An email search (`e`) walks the same three.
//!
//! Words that no one name part can begin together (`a e i`: no part begins
//! with both `a` and `e`) can only match a patient with several tokens: the
//! probes and phase `2` then read `idx_patient_multi`, those patients'
//! token entries only (about 2 % of the demo's patients), instead of the
//! token index (`Tokens::for_words`).
//!
//! A full date of birth with a name reads that day's patients (a few hundred
//! in a million) and ranks them.

use std::ops::Bound;

use redb::{AccessGuard, Range, ReadOnlyTable, ReadableTable};

use super::read::{Page, PatientRow, ReadTx, Table, account_in};
use super::tables::*;
use crate::domain::PortalAccount;
use crate::domain::keys::{KEY_SEP, email_of_part_key, email_part_matches, smallest_matching_part};
use crate::domain::query::{
    ACCOUNT_AFTER_BIRTHS, Candidate, MonthDay, PatientQuery, RANK_SEP, Run, Shape, WHOLE_BEGINS,
    WHOLE_EXACT, iso_ranges,
};
use crate::error::{Error, Result};

mod accounts;
mod dates;
mod emails;
mod names;

use emails::*;

/// A word is probed only when at most this many tokens begin with it.
pub const PROBE_TERMS: usize = 64;

/// A range this short (a year or month of births, an account-number
/// beginning, the patients of a rare name part) is read whole and its
/// patients ranked, instead of walking the names and checking each.
pub const READ_WHOLE: u64 = 8192;

/// A filter's range this short is read before anything else.
const TINY: u64 = 64;

/// Entries a name walk with a year, month or account number may read
/// before a filter's range is tried instead (see `ReadTx::by_name`).
const WALK_FIRST: u64 = 2000;

thread_local!(static ENTRIES_READ: std::cell::Cell<u64> = const { std::cell::Cell::new(0) });

fn count_entry() {
    ENTRIES_READ.with(|c| c.set(c.get() + 1));
}

/// Index entries this thread's searches have read so far (for benchmarks:
/// what a query costs, independent of the machine).
pub fn entries_read() -> u64 {
    ENTRIES_READ.with(std::cell::Cell::get)
}

type Rows = ReadOnlyTable<&'static str, &'static [u8]>;
/// [`Rows`] as a snapshot shares them (`ReadTx::shared`).
type SharedRows = Table<&'static str, &'static [u8]>;
/// Patients with their ranks: (rank, account number, row, the guardian's
/// login that ranked it or empty).
type Ranked = Vec<(String, String, AccessGuard<'static, &'static [u8]>, String)>;
type Entry = (
    AccessGuard<'static, &'static str>,
    AccessGuard<'static, &'static [u8]>,
);

/// Collects a page: rows come in rank order; those at or before the cursor
/// are skipped; one more than the page is looked for, to know whether a
/// next page exists.
struct Collector {
    /// The cursor: ranks at or before it were on earlier pages (or, when a
    /// walk goes on after stopping, read already).
    after: Option<String>,
    limit: usize,
    rows: Vec<PatientRow>,
    /// The rank of the page's last row, once the page is full.
    cursor: Option<String>,
    /// Ranks are written here, one candidate after another.
    rank: String,
    /// The guardian's login a candidate was ranked by, when not its own
    /// email (empty when none), likewise.
    login: String,
    /// [`entries_read`] when the search began, and how many more it may
    /// read ([`ReadTx::search_patients`]).
    start: u64,
    budget: u64,
    /// Where the search stopped when it ran out of entries: the position of
    /// the last entry it read, in the order of ranks (the next page goes on
    /// after it).
    stopped_at: Option<String>,
}

impl Collector {
    fn new(limit: usize, budget: u64) -> Collector {
        Collector {
            after: None,
            limit,
            rows: Vec::with_capacity(limit.min(256) + 1),
            cursor: None,
            rank: String::with_capacity(96),
            login: String::new(),
            start: entries_read(),
            budget,
            stopped_at: None,
        }
    }

    fn full(&self) -> bool {
        self.rows.len() > self.limit
    }

    /// Asked by a walk after each entry: when the search has read all the
    /// entries it may, it ends at `position` (the entry's place in the
    /// order of ranks, see `stopped_at`) and the walk must stop. A position
    /// at or before the cursor (an entry read again on the way to it) does
    /// not end it: each page gets past the one before.
    fn stop_if_spent(&mut self, position: impl FnOnce() -> String) -> bool {
        if entries_read().saturating_sub(self.start) < self.budget {
            return false;
        }
        let position = position();
        if self
            .after
            .as_deref()
            .is_some_and(|a| position.as_str() <= a)
        {
            return false;
        }
        self.stopped_at = Some(position);
        true
    }

    /// Offers a matching row with its rank, and the guardian's login that
    /// ranked it (empty: none, or an email rank's own, read from the rank);
    /// false once the page is full.
    fn offer(&mut self, rank: &str, account: &str, row: &RowRef<'_>, login: &str) -> Result<bool> {
        let login = match login {
            "" => login_of_rank(rank, row.email).unwrap_or(["", ""]),
            l => [l, ""],
        };
        self.offer_found_by(rank, account, row, login)
    }

    /// [`Collector::offer`], with the guardian's login the patient was
    /// found by known (its two pieces; empty when none).
    fn offer_found_by(
        &mut self,
        rank: &str,
        account: &str,
        row: &RowRef<'_>,
        login: [&str; 2],
    ) -> Result<bool> {
        if self.after.as_deref().is_some_and(|a| rank <= a) {
            return Ok(true);
        }
        self.rows
            .push(PatientRow::from_row(account, row, login).ok_or_else(|| damaged_entry(account))?);
        if self.rows.len() == self.limit {
            self.cursor = Some(rank.to_owned());
        }
        Ok(!self.full())
    }

    /// Ranks a candidate into the shared buffer and offers it when its rank
    /// passes `keep`. False once the page is full.
    fn consider(
        &mut self,
        q: &PatientQuery,
        cand: &Candidate<'_>,
        account: &str,
        row: &RowRef<'_>,
        keep: impl FnOnce(&str) -> bool,
    ) -> Result<bool> {
        let mut rank = std::mem::take(&mut self.rank);
        let go = if q.rank_into(cand, &mut rank) && keep(&rank) {
            self.offer(&rank, account, row, "")
        } else {
            Ok(true)
        };
        self.rank = rank;
        go
    }

    fn page(mut self) -> Page<PatientRow> {
        if self.full() {
            self.rows.truncate(self.limit);
            return Page::new(self.rows, self.cursor.take());
        }
        let stopped_early = self.stopped_at.is_some();
        Page {
            items: self.rows,
            next: self.stopped_at,
            stopped_early,
        }
    }

    /// The cursor's key within a phase, when the cursor is in that phase.
    fn within(&self, phase: char) -> Option<&str> {
        self.after.as_deref().and_then(|a| a.strip_prefix(phase))
    }

    /// Whether the cursor is past every rank of `phase`.
    fn past(&self, phase: char) -> bool {
        self.after
            .as_deref()
            .and_then(|a| a.chars().next())
            .is_some_and(|c| c > phase)
    }
}

/// The guardian's login an email rank (`3`, `e`) was reached by, as the two
/// pieces of its part key in the email's order (before the part, from it
/// on); `None` for other ranks and when the email is the patient's own
/// (`own`). Allocates nothing: this runs for every row offered.
fn login_of_rank<'r>(rank: &'r str, own: Option<&str>) -> Option<[&'r str; 2]> {
    // Both separators are one byte: byte searches cut on character
    // boundaries, and cost less than `char` patterns (every row).
    let rest = rank.strip_prefix(['3', 'e'])?;
    let part_key = rest.get(..rest.bytes().position(|b| b == RANK_SEP as u8)?)?;
    let cut = part_key.bytes().rposition(|b| b == KEY_SEP as u8)?;
    let (from, before) = (part_key.get(..cut)?, part_key.get(cut + 1..)?);
    let is_own = own.is_some_and(|e| {
        e.len() == before.len() + from.len() && e.starts_with(before) && e.ends_with(from)
    });
    (!is_own).then_some([before, from])
}

fn damaged_entry(account: &str) -> Error {
    Error::Storage(format!(
        "the search index entry for patient {} is damaged",
        crate::domain::text::printable(account)
    ))
}

/// A range of one index whose keys are `base` + a name key, from `prefix`.
struct Sub {
    range: Range<'static, &'static str, &'static [u8]>,
    /// The next entry within the prefix, read ahead.
    head: Option<Entry>,
    /// The key of `head`, decoded once (redb checks a `&str` key's UTF-8
    /// each time it is read; a merge reads it several times).
    key: String,
    prefix: String,
    base_len: usize,
}

impl Sub {
    fn open(t: &Rows, base: &str, prefix: String, cursor: Option<&str>) -> Result<Sub> {
        Sub::open_from(t, base, prefix, None, cursor)
    }

    /// [`Sub::open`], starting at `start` (at or after `prefix`) instead
    /// of at the prefix.
    fn open_from(
        t: &Rows,
        base: &str,
        prefix: String,
        start: Option<String>,
        cursor: Option<&str>,
    ) -> Result<Sub> {
        let start = start.unwrap_or_else(|| prefix.clone());
        let range = match cursor.map(|c| format!("{base}{c}")) {
            Some(from) if from >= start => {
                t.range::<&str>((Bound::Excluded(from.as_str()), Bound::Unbounded))?
            }
            _ => t.range::<&str>(start.as_str()..)?,
        };
        let mut sub = Sub {
            range,
            head: None,
            key: String::new(),
            prefix,
            base_len: base.len(),
        };
        sub.advance()?;
        Ok(sub)
    }

    fn advance(&mut self) -> Result<()> {
        count_entry();
        self.key.clear();
        self.head = match self.range.next().transpose()? {
            Some((k, v)) => {
                let key = k.value();
                if key.starts_with(self.prefix.as_str()) {
                    self.key.push_str(key);
                    Some((k, v))
                } else {
                    None
                }
            }
            None => None,
        };
        Ok(())
    }

    /// The name key of the next entry (`None` past the prefix).
    fn head(&self) -> Option<&str> {
        self.head
            .as_ref()
            .map(|_| self.key.get(self.base_len..).unwrap_or(""))
    }

    /// The next entry's value, its key put in `key`, and reads ahead.
    fn take(&mut self, key: &mut String) -> Result<Option<AccessGuard<'static, &'static [u8]>>> {
        let Some((_, value)) = self.head.take() else {
            return Ok(None);
        };
        std::mem::swap(key, &mut self.key);
        self.advance()?;
        Ok(Some(value))
    }
}

impl ReadTx {
    /// One page of patients matching `q`, in rank order, after the cursor
    /// `after` (the `next` of the previous page). Reads at most about
    /// `budget` index entries: when they run out before the page is full,
    /// the page holds what was found and `next` goes on from there
    /// ([`Page::stopped_early`]).
    pub fn search_patients(
        &self,
        q: &PatientQuery,
        after: Option<&str>,
        limit: usize,
        budget: u64,
    ) -> Result<Page<PatientRow>> {
        let mut c = Collector {
            after: after.map(str::to_owned),
            ..Collector::new(limit, budget)
        };
        match q.shape() {
            Shape::Never => {}
            Shape::All => self.all_by_name(&mut c)?,
            Shape::AccountNumber => {
                self.by_account_number(q, q.account_prefix().unwrap_or(""), 'a', &mut c)?
            }
            Shape::DateOfBirth => match (q.dob_prefix(), &q.month_day) {
                (None, Some(md)) => self.by_month_day(q, md, &mut c)?,
                (dob, _) => self.by_date_of_birth(q, dob.unwrap_or(""), &mut c)?,
            },
            Shape::YearOrAccount => {
                // `2016`: the patients born that year, then the account
                // numbers beginning with it.
                self.by_date_of_birth(q, q.births.as_deref().unwrap_or(""), &mut c)?;
                if !c.full() && c.stopped_at.is_none() {
                    let number = q.year_or_account.as_deref().unwrap_or("");
                    self.by_account_number(q, number, ACCOUNT_AFTER_BIRTHS, &mut c)?;
                }
            }
            Shape::Email => {
                // With a date of birth (`@e 3/7/19`), a birthday or an
                // account-number beginning, that short range is read
                // whole rather than every email part the word begins.
                if let Some(w) = q.email_driver() {
                    self.walk_or_filter(q, &mut c, |rx, c| rx.by_email_part(q, w, 'e', c))?;
                }
            }
            Shape::Names => self.by_name(q, &mut c)?,
        }
        Ok(c.page())
    }

    fn all_by_name(&self, c: &mut Collector) -> Result<()> {
        let t = self.shared(IDX_PATIENT_NAME)?;
        let mut sub = Sub::open(&t, "", String::new(), c.within('n'))?;
        let mut key = String::new();
        while let Some(v) = sub.take(&mut key)? {
            let key = key.as_str();
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account_of_key(key)))?;
            c.rank.clear();
            c.rank.push('n');
            c.rank.push_str(key);
            let rank = std::mem::take(&mut c.rank);
            let more = c.offer(&rank, account_of_key(key), &row, "")?;
            c.rank = rank;
            if !more {
                break;
            }
        }
        Ok(())
    }

    /// Rank `head` (`a`, or [`ACCOUNT_AFTER_BIRTHS`]): the patients whose
    /// account number begins with `prefix`.
    fn by_account_number(
        &self,
        q: &PatientQuery,
        prefix: &str,
        head: char,
        c: &mut Collector,
    ) -> Result<()> {
        if c.past(head) {
            return Ok(());
        }
        let t = self.shared(PATIENTS)?;
        let mut sub = Sub::open(&t, "", prefix.to_owned(), c.within(head))?;
        let mut key = String::new();
        let mut name = String::new();
        let mut holders = Holders::new(self);
        while sub.head().is_some() {
            let Some(v) = sub.take(&mut key)? else { break };
            let account = key.as_str();
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account))?;
            // An account-number rank needs no name keys, unless a name
            // match would rank the patient first (`jsmith82`).
            name.clear();
            if q.mixed.is_some() {
                name.push_str(&row.name_key(account));
            }
            let (last_key, first_key) = match row.candidate(&name) {
                Some(c) => (c.last_key, c.first_key),
                None => ("", ""),
            };
            let cand = Candidate {
                last_key,
                first_key,
                last_name: row.last_name,
                first_name: row.first_name,
                account_number: account,
                date_of_birth: row.date_of_birth,
                email: row.email,
            };
            // `jsmith82`: a patient a guardian's login matches was offered
            // with the email matches, before the account numbers.
            if q.mixed.is_some() {
                let mut rank = std::mem::take(&mut c.rank);
                let mut login = std::mem::take(&mut c.login);
                let go = if self.best_rank(
                    q,
                    &row,
                    &name,
                    account,
                    &mut holders,
                    &mut rank,
                    &mut login,
                )? && rank.starts_with(head)
                {
                    c.offer(&rank, account, &row, &login)?
                } else {
                    true
                };
                c.rank = rank;
                c.login = login;
                if !go {
                    break;
                }
            } else if !c.consider(q, &cand, account, &row, |rank| rank.starts_with(head))? {
                break;
            }
            if c.stop_if_spent(|| format!("{head}{account}")) {
                break;
            }
        }
        Ok(())
    }

    /// Ranks an index entry (whose key ends with the name key) and offers
    /// it when its rank begins with the phase character `phase` (any rank
    /// when `None`); with `holders` (a query with email words), by its
    /// guardians' logins too. False once the page is full.
    fn offer_entry(
        &self,
        q: &PatientQuery,
        key: &str,
        value: &[u8],
        phase: Option<char>,
        holders: Option<&mut Holders<'_>>,
        c: &mut Collector,
    ) -> Result<bool> {
        let name = name_key_of(key);
        let account = account_of_key(key);
        let row = RowRef::parse(value).ok_or_else(|| damaged_entry(account))?;
        self.consider_row(q, &row, name, account, holders, c, |rank| {
            phase.is_none_or(|p| rank.starts_with(p))
        })
    }

    /// Ranks a patient (name key `name`) and offers it when its rank passes
    /// `keep`. With `holders` — a query with email words, which the logins
    /// of the patient's current guardians also satisfy (`jim
    /// @step-family.test`, fresh eyes, session 6, finding 12) — at the best
    /// rank over its own email and those logins ([`ReadTx::best_rank`]);
    /// without, by its own email only (no login is read: plain names keep
    /// their cost). False once the page is full.
    #[allow(clippy::too_many_arguments)]
    fn consider_row(
        &self,
        q: &PatientQuery,
        row: &RowRef<'_>,
        name: &str,
        account: &str,
        holders: Option<&mut Holders<'_>>,
        c: &mut Collector,
        keep: impl FnOnce(&str) -> bool,
    ) -> Result<bool> {
        let Some(holders) = holders else {
            let cand = row.candidate(name).ok_or_else(|| damaged_entry(account))?;
            return c.consider(q, &cand, account, row, keep);
        };
        let mut rank = std::mem::take(&mut c.rank);
        let mut login = std::mem::take(&mut c.login);
        let go = match self.best_rank(q, row, name, account, holders, &mut rank, &mut login) {
            Ok(true) if keep(&rank) => c.offer(&rank, account, row, &login),
            Ok(_) => Ok(true),
            Err(e) => Err(e),
        };
        c.rank = rank;
        c.login = login;
        go
    }

    /// Every patient of `sub`'s range that `q` ranks, with their ranks,
    /// when the range has at most `most` entries; `None` (having read
    /// `most` + 1) when it has more. `name_key` gives an entry's
    /// `last first ACCOUNT` from its key and row.
    fn read_whole(
        &self,
        q: &PatientQuery,
        mut sub: Sub,
        most: u64,
        name_key: impl Fn(&str, &RowRef<'_>) -> Result<String>,
    ) -> Result<Option<Ranked>> {
        let mut found = Vec::new();
        let mut key = String::new();
        let mut read = 0u64;
        // Email words (and a word typed alone, beside a date: `st.john
        // 2016`) also match the logins of a patient's guardians.
        let mut holders = q.reads_emails().then(|| Holders::new(self));
        let mut rank = String::new();
        let mut login = String::new();
        while sub.head().is_some() {
            read += 1;
            if read > most {
                return Ok(None);
            }
            let Some(v) = sub.take(&mut key)? else { break };
            let account = account_of_key(&key);
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account))?;
            let name = name_key(&key, &row)?;
            let ranked = match &mut holders {
                Some(h) => self.best_rank(q, &row, &name, account, h, &mut rank, &mut login)?,
                None => {
                    let cand = row.candidate(&name).ok_or_else(|| damaged_entry(account))?;
                    q.rank_into(&cand, &mut rank)
                }
            };
            if ranked {
                found.push((
                    std::mem::take(&mut rank),
                    account.to_owned(),
                    v,
                    std::mem::take(&mut login),
                ));
            }
        }
        Ok(Some(found))
    }

    /// Offers ranked patients in rank order, each once.
    fn offer_ranked(&self, mut found: Ranked, c: &mut Collector) -> Result<()> {
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found.dedup_by(|a, b| a.0 == b.0);
        for (rank, account, v, login) in found {
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(&account))?;
            if !c.offer(&rank, &account, &row, &login)? {
                break;
            }
        }
        Ok(())
    }
}

/// A table opened the first time a search needs it.
struct Lazy<T, F> {
    cell: std::cell::OnceCell<T>,
    open: F,
}

impl<T, F: Fn() -> Result<T>> Lazy<T, F> {
    fn new(open: F) -> Self {
        Lazy {
            cell: std::cell::OnceCell::new(),
            open,
        }
    }

    fn get(&self) -> Result<&T> {
        if let Some(t) = self.cell.get() {
            return Ok(t);
        }
        let t = (self.open)()?;
        Ok(self.cell.get_or_init(|| t))
    }
}
