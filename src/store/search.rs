//! Searching patients and portal accounts through the indexes, in the order
//! [`PatientQuery::rank`] defines, a page at a time — never by reading every
//! patient.
//!
//! A name query runs in up to four phases, one per rank:
//!
//! - `0`/`1` — a word (or neighbouring words) equal to / beginning the last
//!   name: a walk of the name index from that word. When another word must
//!   match too, it is *probed* instead: the token index holds each first
//!   name and inner name part with the last name after it, so `jo garcia`
//!   reads `jose garcia…`, `jonah garcia…` — one short range per first name
//!   beginning with `jo` (at most [`PROBE_TERMS`]) — instead of walking every
//!   García or every Johnson. `search_terms` lists which tokens exist.
//! - `2` — matches on other name parts: a walk of the token index from the
//!   driving word (see [`PatientQuery::driver`]), skipped at once when a
//!   word begins no token at all.
//! - `3` — a single word, also in emails: the email index and the email-part
//!   index from the word, and the same two of the portal logins, whose
//!   accounts' patients are found by their guardians' own emails (a read-
//!   time join: see `ReadTx::by_email_part`). An email search (`e`) walks
//!   the same four.
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

use super::read::{Page, PatientRow, ReadTx, account_in};
use super::tables::*;
use crate::domain::PortalAccount;
use crate::domain::keys::{KEY_SEP, email_of_part_key, email_part_matches, smallest_matching_part};
use crate::domain::query::{
    ACCOUNT_AFTER_BIRTHS, Candidate, MonthDay, PatientQuery, RANK_SEP, Run, Shape, iso_ranges,
};
use crate::error::{Error, Result};

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
/// Patients with their ranks: (rank, account number, row).
type Ranked = Vec<(String, String, AccessGuard<'static, &'static [u8]>)>;
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

    /// Offers a matching row with its rank; false once the page is full.
    fn offer(&mut self, rank: &str, account: &str, row: &RowRef<'_>) -> Result<bool> {
        if self.after.as_deref().is_some_and(|a| rank <= a) {
            return Ok(true);
        }
        let patient = row.patient(account).ok_or_else(|| damaged_entry(account))?;
        self.rows.push(PatientRow {
            patient,
            account_id: row.account_id,
        });
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
            self.offer(&rank, account, row)
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
                if let Some(w) = q.email_driver() {
                    self.by_email_part(q, w, 'e', &mut c)?;
                }
            }
            Shape::Names => self.by_name(q, &mut c)?,
        }
        Ok(c.page())
    }

    fn all_by_name(&self, c: &mut Collector) -> Result<()> {
        let t = self.table(IDX_PATIENT_NAME)?;
        let mut sub = Sub::open(&t, "", String::new(), c.within('n'))?;
        let mut key = String::new();
        while let Some(v) = sub.take(&mut key)? {
            let key = key.as_str();
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account_of_key(key)))?;
            c.rank.clear();
            c.rank.push('n');
            c.rank.push_str(key);
            let rank = std::mem::take(&mut c.rank);
            let more = c.offer(&rank, account_of_key(key), &row)?;
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
        let t = self.table(PATIENTS)?;
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
                let go = if self.best_rank(q, &row, &name, account, &mut holders, &mut rank)?
                    && rank.starts_with(head)
                {
                    c.offer(&rank, account, &row)?
                } else {
                    true
                };
                c.rank = rank;
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

    /// Rank `d`: the patients born on a date `prefix` holds (`2017-11-2`:
    /// the 2nd, then the 20th to 29th; see [`iso_ranges`]).
    fn by_date_of_birth(&self, q: &PatientQuery, prefix: &str, c: &mut Collector) -> Result<()> {
        if c.past('d') {
            return Ok(());
        }
        let t = self.table(IDX_PATIENT_DOB)?;
        for range in iso_ranges(prefix) {
            let sub = Sub::open(&t, "", range, c.within('d'))?;
            if !self.walk_dates(q, sub, c)? {
                break;
            }
        }
        Ok(())
    }

    /// Offers the rank-`d` patients of a range of the date index in order;
    /// false once the page is full or the budget spent.
    fn walk_dates(&self, q: &PatientQuery, mut sub: Sub, c: &mut Collector) -> Result<bool> {
        let mut key = String::new();
        while sub.head().is_some() {
            let Some(v) = sub.take(&mut key)? else { break };
            if !self.offer_entry(q, &key, v.value(), Some('d'), c)? {
                return Ok(false);
            }
            if c.stop_if_spent(|| format!("d{key}")) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The years the date index holds births in (none when it is empty).
    fn birth_years(&self, md: &MonthDay) -> Result<Vec<i32>> {
        let t = self.table(IDX_PATIENT_DOB)?;
        let year = |g: Option<(AccessGuard<'_, &str>, AccessGuard<'_, &[u8]>)>| {
            count_entry();
            g.and_then(|(k, _)| k.value().get(..4).and_then(|y| y.parse::<i32>().ok()))
        };
        let (Some(first), Some(last)) = (year(t.first()?), year(t.last()?)) else {
            return Ok(Vec::new());
        };
        Ok((first..=last)
            .filter(|y| format!("{y:04}").starts_with(md.years.as_str()))
            .collect())
    }

    /// A month and day in any year (`3/7`, `7 Mar`): that day of each
    /// year the index holds births in, year after year — one short range
    /// a year (a hundred years of births: a hundred ranges).
    fn by_month_day(&self, q: &PatientQuery, md: &MonthDay, c: &mut Collector) -> Result<()> {
        if c.past('d') {
            return Ok(());
        }
        let t = self.table(IDX_PATIENT_DOB)?;
        let cursor = c.within('d').map(str::to_owned);
        for y in self.birth_years(md)? {
            let day = md.in_year(y);
            if cursor
                .as_deref()
                .is_some_and(|k| k > day.as_str() && !k.starts_with(&day))
            {
                continue;
            }
            let sub = Sub::open(&t, "", format!("{day}{KEY_SEP}"), cursor.as_deref())?;
            if !self.walk_dates(q, sub, c)? {
                return Ok(());
            }
            // Past every patient of that day (names sort below DEL).
            if c.stop_if_spent(|| format!("d{day}{KEY_SEP}\u{7f}")) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Ranks an index entry (whose key ends with the name key) and offers
    /// it when its rank is `expected` (or begins with the phase character
    /// `phase`, when given instead). False once the page is full.
    fn offer_entry(
        &self,
        q: &PatientQuery,
        key: &str,
        value: &[u8],
        phase: Option<char>,
        c: &mut Collector,
    ) -> Result<bool> {
        let name = name_key_of(key);
        let account = account_of_key(key);
        let row = RowRef::parse(value).ok_or_else(|| damaged_entry(account))?;
        let cand = row.candidate(name).ok_or_else(|| damaged_entry(account))?;
        c.consider(q, &cand, account, &row, |rank| {
            phase.is_none_or(|p| rank.starts_with(p))
        })
    }

    /// Names, perhaps with a year, month or account-number beginning:
    ///
    /// 1. a filter's range that is tiny (`a 2000`: nobody born in 2000) is
    ///    read whole and ranked;
    /// 2. the names are walked, at first for [`WALK_FIRST`] entries only;
    ///    a page filled or a walk finished by then is the answer
    ///    (`smith 2016`, `m 2010`: matches are many);
    /// 3. else a filter's range of at most [`READ_WHOLE`] entries is read
    ///    whole (`jo 2019-03`: a month's births; `smith 201`: the account
    ///    numbers beginning 201) and ranked instead;
    /// 4. else the walk goes on from where it stopped, within the budget.
    fn by_name(&self, q: &PatientQuery, c: &mut Collector) -> Result<()> {
        if let Some(day) = q.day() {
            return self.by_name_on_day(q, day, c);
        }
        let filtered =
            q.dob_prefix().is_some() || q.account_prefix().is_some() || q.month_day.is_some();
        if !filtered {
            return self.walk_names(q, c);
        }
        if self.filter_read_whole(q, TINY.min(c.budget), c)? {
            return Ok(());
        }
        let (budget, after) = (c.budget, c.after.clone());
        c.budget = WALK_FIRST.min(budget);
        self.walk_names(q, c)?;
        c.budget = budget;
        let Some(stopped_at) = c.stopped_at.take() else {
            return Ok(());
        };
        let used = entries_read().saturating_sub(c.start);
        let mut ranked = Collector {
            after: after.clone(),
            ..Collector::new(c.limit, c.budget)
        };
        if self.filter_read_whole(q, READ_WHOLE.min(budget.saturating_sub(used)), &mut ranked)? {
            ranked.start = c.start;
            *c = ranked;
            return Ok(());
        }
        // On from where the first walk stopped, with the rest of the budget.
        c.after = Some(stopped_at);
        self.walk_names(q, c)?;
        c.after = after;
        Ok(())
    }

    /// Reads a filter's range whole when it has at most `most` entries and
    /// offers its patients ranked; false (nothing offered) when every range
    /// is longer.
    fn filter_read_whole(&self, q: &PatientQuery, most: u64, c: &mut Collector) -> Result<bool> {
        if let Some(dob) = q.dob_prefix() {
            // Its ranges (`2017-11-2`: two) hold at most `most` together.
            let t = self.table(IDX_PATIENT_DOB)?;
            let mut found = Vec::new();
            let mut left = Some(most);
            for range in iso_ranges(dob) {
                let Some(most) = left else { break };
                let before = entries_read();
                let sub = Sub::open(&t, "", range, None)?;
                match self.read_whole(q, sub, most, |key, _| Ok(name_key_of(key).to_owned()))? {
                    Some(more) => found.extend(more),
                    None => left = None,
                }
                left = left.map(|l| l.saturating_sub(entries_read().saturating_sub(before)));
            }
            if left.is_some() {
                self.offer_ranked(found, c)?;
                return Ok(true);
            }
        }
        if let (None, Some(md)) = (q.dob_prefix(), &q.month_day) {
            // That day of every year, while they hold at most `most`.
            let t = self.table(IDX_PATIENT_DOB)?;
            let mut found = Vec::new();
            let mut left = most;
            let mut whole = true;
            for y in self.birth_years(md)? {
                // `most` bounds the entries of every year together.
                let before = entries_read();
                let sub = Sub::open(&t, "", format!("{}{KEY_SEP}", md.in_year(y)), None)?;
                let more =
                    self.read_whole(q, sub, left, |key, _| Ok(name_key_of(key).to_owned()))?;
                left = left.saturating_sub(entries_read().saturating_sub(before));
                let (Some(more), true) = (more, left > 0) else {
                    whole = false;
                    break;
                };
                found.extend(more);
            }
            if whole {
                self.offer_ranked(found, c)?;
                return Ok(true);
            }
        }
        if let Some(number) = q.account_prefix() {
            let t = self.table(PATIENTS)?;
            let sub = Sub::open(&t, "", number.to_owned(), None)?;
            if let Some(found) =
                self.read_whole(q, sub, most, |account, row| Ok(row.name_key(account)))?
            {
                self.offer_ranked(found, c)?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The four phases of a name search (see the module's doc), from the
    /// cursor.
    fn walk_names(&self, q: &PatientQuery, c: &mut Collector) -> Result<()> {
        let names = self.table(IDX_PATIENT_NAME)?;
        // Opened when a query needs them (opening a table costs about as
        // much as reading a dozen entries; `smith` needs neither).
        let open = |def| move || self.table(def);
        let tokens = Lazy::new(open(IDX_PATIENT_TOKEN));
        let multi = Lazy::new(open(IDX_PATIENT_MULTI));
        let tables = Tokens {
            all: &tokens,
            multi: &multi,
        };
        let mut vocab = Vocabulary::new(self);
        let runs = q.runs();
        for (phase, exact) in [('0', true), ('1', false)] {
            if c.past(phase) {
                continue;
            }
            let cursor = c.within(phase).map(str::to_owned);
            let mut subs = Vec::new();
            for run in runs {
                self.last_name_subs(
                    q,
                    run,
                    exact,
                    &names,
                    &tables,
                    &mut vocab,
                    cursor.as_deref(),
                    &mut subs,
                )?;
            }
            if !self.merge(q, phase, &mut subs, c)? {
                return Ok(());
            }
        }
        if !c.past('2') && !self.other_parts(q, &tables, &mut vocab, c)? {
            return Ok(());
        }
        if let Some(w) = q.email_alone() {
            self.by_email_part(q, w, '3', c)?;
        }
        // `jsmith82`, `a-100`: then the account numbers beginning with it.
        if let Some(m) = &q.mixed
            && !c.full()
            && c.stopped_at.is_none()
        {
            self.by_account_number(q, &m.to_ascii_uppercase(), 'a', c)?;
        }
        Ok(())
    }

    /// The ranges that hold every patient whose last name equals (`exact`)
    /// or begins with `run` and who may match the other words.
    #[allow(clippy::too_many_arguments)]
    fn last_name_subs(
        &self,
        q: &PatientQuery,
        run: &Run,
        exact: bool,
        names: &Rows,
        tokens: &Tokens<'_, impl Fn() -> Result<Rows>>,
        vocab: &mut Vocabulary<'_>,
        cursor: Option<&str>,
        subs: &mut Vec<Sub>,
    ) -> Result<()> {
        let tail = if exact { " " } else { "" };
        // The other word with the fewest entries among those beginning few
        // tokens; words the run already implies cannot narrow it.
        let mut probe: Option<(&str, bool, u64)> = None;
        for (w, first) in q.others(run) {
            if !first && run.key.starts_with(w) {
                continue;
            }
            if let Some((_, n)) = vocab.terms(w)?
                && probe.is_none_or(|(_, _, best)| *n < best)
            {
                probe = Some((w, first, *n));
            }
        }
        // Rank 1 (the last name begins with the run) starts past the
        // entries whose last name is the run itself: rank 0 read those, and
        // a patient among them who ranks 1 does so through a shorter run,
        // whose range holds it too. (A key's fields are letters and digits
        // after `KEY_SEP`, so `smith!` sorts after every `smith …`.)
        let past_exact =
            |prefix: &str| (!exact).then(|| format!("{prefix}{}", char::from(KEY_SEP as u8 + 1)));
        let Some((w, first, _)) = probe else {
            let prefix = format!("{}{tail}", run.key);
            let start = past_exact(&prefix);
            subs.push(Sub::open_from(names, "", prefix, start, cursor)?);
            return Ok(());
        };
        // The words the last name cannot begin are each matched by a token:
        // when no one token can begin them all, only patients with several
        // tokens can match (`a e i`: the `isabella`s whose last name begins
        // with `a` and who have another part beginning with `e`).
        let table = tokens.for_words(
            q.others(run)
                .filter_map(|(w, first)| (first || !comparable(w, &run.key)).then_some(w)),
        )?;
        if let Some((list, _)) = vocab.terms(w)? {
            for t in list.clone() {
                let base = format!("{t}{KEY_SEP}");
                let prefix = format!("{base}{}{tail}", run.key);
                let start = past_exact(&prefix);
                subs.push(Sub::open_from(table, &base, prefix, start, cursor)?);
            }
        }
        // A last-name word may instead begin the last name itself.
        if !first && !exact && w.starts_with(run.key.as_str()) {
            subs.push(Sub::open(names, "", w.to_owned(), cursor)?);
        }
        Ok(())
    }

    /// Merges ranges of name keys in order, ranks each patient once and
    /// offers those of `phase`. False once the page is full.
    fn merge(
        &self,
        q: &PatientQuery,
        phase: char,
        subs: &mut [Sub],
        c: &mut Collector,
    ) -> Result<bool> {
        let (mut key, mut skipped) = (String::new(), String::new());
        loop {
            let mut best: Option<usize> = None;
            for (i, s) in subs.iter().enumerate() {
                if let Some(h) = s.head()
                    && best.is_none_or(|b| subs[b].head().is_none_or(|bh| h < bh))
                {
                    best = Some(i);
                }
            }
            let Some(i) = best else {
                return Ok(true);
            };
            let Some(v) = subs[i].take(&mut key)? else {
                continue;
            };
            // The same patient may be in several ranges: take it once.
            let name = name_key_of(&key);
            for (j, s) in subs.iter_mut().enumerate() {
                while j != i && s.head() == Some(name) {
                    s.take(&mut skipped)?;
                }
            }
            if !self.offer_entry(q, &key, v.value(), Some(phase), c)? {
                return Ok(false);
            }
            if c.stop_if_spent(|| format!("{phase}{name}")) {
                return Ok(false);
            }
        }
    }

    /// Rank 2: every word matched a name part other than the start of the
    /// last name. Walks the token index from the driving word; a patient is
    /// offered at its smallest token beginning with it.
    fn other_parts(
        &self,
        q: &PatientQuery,
        tokens: &Tokens<'_, impl Fn() -> Result<Rows>>,
        vocab: &mut Vocabulary<'_>,
        c: &mut Collector,
    ) -> Result<bool> {
        let Some(d) = q.driver() else { return Ok(true) };
        // Each word must begin some token; the one with the fewest entries
        // (among words that begin few tokens) bounds who can match.
        let mut rarest: Option<(Vec<String>, u64)> = None;
        for w in q.names.iter().chain(&q.first_names) {
            if !vocab.any(w)? {
                return Ok(true);
            }
            if let Some((list, n)) = vocab.terms(w)?
                && rarest.as_ref().is_none_or(|(_, best)| n < best)
            {
                rarest = Some((list.clone(), *n));
            }
        }
        // Every word is matched by a token here (none begins the last
        // name): words no one token can begin together (`a e i`) need a
        // patient with several, whose entries are the few of the multi index.
        let words = || q.names.iter().chain(&q.first_names).map(String::as_str);
        let several = need_several_tokens(words());
        let table = tokens.for_words(words())?;
        // `a e i`: the driver `a` begins a large share of all first names;
        // when another word's patients are few, read them and rank them
        // (with several tokens needed, its entries there are tried: the
        // counts are of the whole token index).
        let driver_entries = vocab.terms(d)?.as_ref().map(|(_, n)| *n);
        let most = READ_WHOLE.min(c.budget);
        if let Some((list, n)) = rarest
            && (several || n <= most)
            && driver_entries.is_none_or(|dn| n < dn)
            && let Some(found) = self.read_tokens_whole(q, table, &list, most)?
        {
            self.offer_ranked(found, c)?;
            return Ok(!c.full());
        }
        let mut sub = Sub::open(table, "", d.to_owned(), c.within('2'))?;
        let mut key = String::new();
        while sub.head().is_some() {
            let Some(v) = sub.take(&mut key)? else { break };
            let key = key.as_str();
            let name = name_key_of(key);
            let account = account_of_key(key);
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account))?;
            let cand = row.candidate(name).ok_or_else(|| damaged_entry(account))?;
            if !c.consider(q, &cand, account, &row, |rank| {
                rank.strip_prefix('2') == Some(key)
            })? {
                return Ok(false);
            }
            if c.stop_if_spent(|| format!("2{key}")) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The patients of the tokens `list` in `table` that rank `2`, when the
    /// tokens have at most `most` entries in all; `None` (having read
    /// `most` + 1) when they have more.
    fn read_tokens_whole(
        &self,
        q: &PatientQuery,
        table: &Rows,
        list: &[String],
        most: u64,
    ) -> Result<Option<Ranked>> {
        let mut found = Vec::new();
        let mut left = most;
        for t in list {
            let base = format!("{t}{KEY_SEP}");
            let sub = Sub::open(table, &base, base.clone(), None)?;
            let before = entries_read();
            let Some(more) =
                self.read_whole(q, sub, left, |key, _| Ok(name_key_of(key).to_owned()))?
            else {
                return Ok(None);
            };
            // The entries it read.
            left = left.saturating_sub(entries_read() - before);
            found.extend(
                more.into_iter()
                    .filter(|(rank, _, _)| rank.starts_with('2')),
            );
        }
        Ok(Some(found))
    }

    /// Names with a full date of birth: that day's patients, ranked.
    fn by_name_on_day(&self, q: &PatientQuery, day: &str, c: &mut Collector) -> Result<()> {
        let t = self.table(IDX_PATIENT_DOB)?;
        let prefix = format!("{day}{KEY_SEP}");
        let mut found: Vec<(String, String, AccessGuard<'static, &'static [u8]>)> = Vec::new();
        let mut sub = Sub::open(&t, "", prefix, None)?;
        let mut key = String::new();
        while sub.head().is_some() {
            let Some(v) = sub.take(&mut key)? else { break };
            let account = account_of_key(&key);
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account))?;
            let cand = row
                .candidate(name_key_of(&key))
                .ok_or_else(|| damaged_entry(account))?;
            if let Some(rank) = q.rank(&cand) {
                found.push((rank, key.clone(), v));
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        for (rank, key, v) in found {
            let account = account_of_key(&key);
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account))?;
            if !c.offer(&rank, account, &row)? {
                break;
            }
        }
        Ok(())
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
        while sub.head().is_some() {
            read += 1;
            if read > most {
                return Ok(None);
            }
            let Some(v) = sub.take(&mut key)? else { break };
            let account = account_of_key(&key);
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(account))?;
            let name = name_key(&key, &row)?;
            let cand = row.candidate(&name).ok_or_else(|| damaged_entry(account))?;
            if let Some(rank) = q.rank(&cand) {
                found.push((rank, account.to_owned(), v));
            }
        }
        Ok(Some(found))
    }

    /// Offers ranked patients in rank order, each once.
    fn offer_ranked(&self, mut found: Ranked, c: &mut Collector) -> Result<()> {
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found.dedup_by(|a, b| a.0 == b.0);
        for (rank, account, v) in found {
            let row = RowRef::parse(v.value()).ok_or_else(|| damaged_entry(&account))?;
            if !c.offer(&rank, &account, &row)? {
                break;
            }
        }
        Ok(())
    }

    /// Patients by a part of an email of theirs (`phase` `3` after names,
    /// `e` for an email search): their own e-correspondent email and the
    /// login of each of their current guardians (see [`Holders`]). Four
    /// indexes are merged in order of the part: the patients' email index
    /// for emails beginning with the word, their email-part index for the
    /// parts inside, and the same two of the portal logins, whose accounts
    /// list their patients. Each patient comes once, at its rank: the
    /// smallest part over all its emails (see [`ReadTx::best_rank`]).
    fn by_email_part(
        &self,
        q: &PatientQuery,
        word: &str,
        phase: char,
        c: &mut Collector,
    ) -> Result<()> {
        if c.past(phase) {
            return Ok(());
        }
        let cursor_part = c
            .within(phase)
            .map(|k| k.split(RANK_SEP).next().unwrap_or("").to_owned());
        let at_sign = word.starts_with('@');
        let inner = word.strip_prefix('@').unwrap_or(word);
        let start = |prefix: &str| match &cursor_part {
            Some(p) if p.as_str() > prefix => p.clone(),
            _ => prefix.to_owned(),
        };
        // A word with `@` matches a domain only: never a whole email. A
        // login's key is its email without the separator of its part key:
        // from a cursor at `email␠`, that login is read again.
        let whole_from = (!at_sign).then(|| {
            let from = start(word);
            match from.strip_suffix(KEY_SEP) {
                Some(email) => email.to_owned(),
                _ => from,
            }
        });
        let mut own = PartStream::open(
            self.table(IDX_PATIENT_EMAIL)?,
            word,
            whole_from.as_deref(),
            true,
        )?;
        let mut own_parts = PartStream::open(
            self.table(IDX_PATIENT_EMAIL_PART)?,
            inner,
            Some(&start(inner)),
            false,
        )?;
        let mut logins = PartStream::open(
            self.table(IDX_ACCOUNT_EMAIL)?,
            word,
            whole_from.as_deref(),
            true,
        )?;
        let mut login_parts = PartStream::open(
            self.table(IDX_ACCOUNT_EMAIL_PART)?,
            inner,
            Some(&start(inner)),
            false,
        )?;
        let patients = Lazy::new(|| self.table(PATIENTS));
        let mut holders = Holders::new(self);
        let mut found: Vec<Found> = Vec::new();
        let mut rank = String::new();
        // Whether this walk reads every part from the word's first: then a
        // patient is ranked at the first part an email of it ranks, and
        // its other emails need not be read (`best_rank` on from a cursor).
        let fresh = cursor_part.is_none();
        // Sorted (a page's worth of patients: a binary search costs less
        // than hashing each account number).
        let mut ranked_before: Vec<String> = Vec::new();
        loop {
            let Some(part) = [
                own.part(),
                own_parts.part(),
                logins.part(),
                login_parts.part(),
            ]
            .into_iter()
            .flatten()
            .min()
            .map(str::to_owned) else {
                return Ok(());
            };
            // A word with `@` matches the domain only; a part that is not
            // the smallest its email has for the word is not where any
            // patient of that email ranks.
            let part_email = email_of_part_key(&part);
            let matches = part_email.as_ref().is_some_and(|(email, at)| {
                email_part_matches(email, *at, word)
                    && (at_sign || smallest_matching_part(email, word).as_deref() == Some(&*part))
            });
            found.clear();
            // The patients whose own email is this one (whole emails).
            while let Some((key, v)) = own.take_at(&part)? {
                if matches {
                    let name = name_key_of(&key).to_owned();
                    let account = account_of_key(&key).to_owned();
                    found.push(Found {
                        name,
                        account,
                        row: v,
                        own_email: true,
                        login: None,
                    });
                }
            }
            // Those whose own email has this part inside.
            if let Some((_, v)) = own_parts.take_at(&part)?
                && matches
            {
                for account in v.value().split(' ') {
                    self.found_patient(patients.get()?, account, &mut found)?;
                }
            }
            // Those a portal login of this part is a guardian of.
            for stream in [&mut logins, &mut login_parts] {
                if let Some((_, v)) = stream.take_at(&part)?
                    && matches
                {
                    let id = v.value();
                    holders.patients_of(id, |account| {
                        // Most logins are their patients' own email: those
                        // patients were found at this part already.
                        if !found.iter().any(|f| f.account == account) {
                            let at = found.len();
                            self.found_patient(patients.get()?, account, &mut found)?;
                            if let Some(f) = found.get_mut(at) {
                                f.login = Some(id);
                            }
                        }
                        Ok(())
                    })?;
                }
            }
            found.sort_by(|a, b| (&a.name, &a.account).cmp(&(&b.name, &b.account)));
            found.dedup_by(|a, b| a.account == b.account);
            let email = part.strip_suffix(KEY_SEP).filter(|e| !e.contains(KEY_SEP));
            let part_email = part_email.map(|(e, _)| e);
            for f in &mut found {
                let mut row =
                    RowRef::parse(f.row.value()).ok_or_else(|| damaged_entry(&f.account))?;
                if f.own_email {
                    // The email index's rows leave the email to the key.
                    row.email = email;
                }
                // Where a patient ranked first here goes in `ranked_before`.
                let mut new_at = None;
                let ranked = if fresh {
                    // From the word's first part on, a patient's first part
                    // with a rank is its smallest: ranked with this part's
                    // email, unless an earlier part ranked it. A login finds
                    // its account's patients while the link is there.
                    let linked = match f.login {
                        Some(id) => holders.is_guardian(&f.account, id)?,
                        None => true,
                    };
                    let with_part = RowRef {
                        email: part_email.as_deref(),
                        ..row
                    };
                    let cand = with_part
                        .candidate(&f.name)
                        .ok_or_else(|| damaged_entry(&f.account))?;
                    new_at = ranked_before.binary_search(&f.account).err();
                    linked
                        && new_at.is_some()
                        && q.rank_into(&cand, &mut rank)
                        && rank_is(&rank, phase, &part, &f.name)
                } else {
                    // On from a cursor, the parts before it are not read:
                    // every email of the patient is.
                    self.best_rank(q, &row, &f.name, &f.account, &mut holders, &mut rank)?
                        && rank_is(&rank, phase, &part, &f.name)
                };
                if ranked {
                    if !c.offer(&rank, &f.account, &row)? {
                        return Ok(());
                    }
                    // `found` is cleared at the next part: no copy needed.
                    if let Some(at) = new_at {
                        ranked_before.insert(at, std::mem::take(&mut f.account));
                    }
                }
            }
            // Past every patient of this part (names sort below DEL).
            if c.stop_if_spent(|| format!("{phase}{part}{RANK_SEP}\u{7f}")) {
                return Ok(());
            }
        }
    }

    /// Adds patient `account` (read from the patients table) to `found`.
    fn found_patient(&self, patients: &Rows, account: &str, found: &mut Vec<Found>) -> Result<()> {
        count_entry();
        if let Some(g) = patients.get(account)? {
            let row = RowRef::parse(g.value()).ok_or_else(|| damaged_entry(account))?;
            found.push(Found {
                name: row.name_key(account),
                account: account.to_owned(),
                row: g,
                own_email: false,
                login: None,
            });
        }
        Ok(())
    }

    /// The rank of a patient (its row with its own email, and its name key)
    /// over every email it can be found by — its own and its current
    /// guardians' logins — written into `out`: the smallest of the ranks
    /// `q` gives with each. False when none matches. The logins are read
    /// only when they could rank it before its own email does (a match on
    /// a name ranks before every email match).
    fn best_rank(
        &self,
        q: &PatientQuery,
        row: &RowRef<'_>,
        name: &str,
        account: &str,
        holders: &mut Holders<'_>,
        out: &mut String,
    ) -> Result<bool> {
        let cand = row.candidate(name).ok_or_else(|| damaged_entry(account))?;
        let mut found = q.rank_into(&cand, out);
        // A patient with no guardian shows no account (see
        // `WriteTx::remove_guardian`): its own email is its only one.
        if row.account_id.is_none() || (found && !out.starts_with(['3', 'a', 'e'])) {
            return Ok(found);
        }
        let mut other = String::new();
        for login in holders.logins_of(account)? {
            if row.email == Some(login.as_str()) {
                continue;
            }
            let with_login = RowRef {
                email: Some(login.as_str()),
                ..*row
            };
            let cand = with_login
                .candidate(name)
                .ok_or_else(|| damaged_entry(account))?;
            if q.rank_into(&cand, &mut other) && (!found || other < *out) {
                std::mem::swap(out, &mut other);
                found = true;
            }
        }
        Ok(found)
    }

    /// Portal accounts whose login has a part beginning with each word of
    /// `text` (Control Panel → Users), ordered by the matching part of the
    /// longest word; every account by login when `text` is empty. The
    /// cursor is the last account's part key.
    ///
    /// Reads at most about `budget` index entries, as
    /// [`ReadTx::search_patients`] does (`example net` reads every login
    /// at an `example` domain to find the `.net` ones).
    pub fn search_accounts(
        &self,
        text: &str,
        after: Option<&str>,
        limit: usize,
        budget: u64,
    ) -> Result<Page<PortalAccount>> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        let driver = words
            .iter()
            .max_by(|a, b| a.len().cmp(&b.len()).then(b.cmp(a)))
            .cloned();
        let word = driver.clone().unwrap_or_default();
        let logins = self.table(IDX_ACCOUNT_EMAIL)?;
        let parts = self.table(IDX_ACCOUNT_EMAIL_PART)?;
        let accounts = self.table(ACCOUNTS)?;
        let inner = word.strip_prefix('@').unwrap_or(&word).to_owned();
        let start = |prefix: &str| match after {
            Some(a) if a > prefix => a.to_owned(),
            _ => prefix.to_owned(),
        };
        let mut whole = if word.starts_with('@') {
            None
        } else {
            Some(logins.range::<&str>(start(&word).as_str()..)?.peekable())
        };
        let mut inside = if driver.is_some() {
            Some(parts.range::<&str>(start(&inner).as_str()..)?.peekable())
        } else {
            None
        };
        // A word that begins no part of any login (`net`: the last label of
        // a domain is no part) matches nothing: no need to walk the others.
        let begins_some = |w: &str| -> Result<bool> {
            let inner = w.strip_prefix('@').unwrap_or(w);
            let first = |t: &ReadOnlyTable<&'static str, u64>, from: &str| -> Result<bool> {
                Ok(match t.range::<&str>(from..)?.next().transpose()? {
                    Some((k, _)) => k.value().starts_with(from),
                    None => false,
                })
            };
            Ok(first(&parts, inner)? || (!w.starts_with('@') && first(&logins, w)?))
        };
        for w in &words {
            if !begins_some(w)? {
                return Ok(Page::empty());
            }
        }
        let mut out: Vec<(String, PortalAccount)> = Vec::new();
        let all_match = |email: &str| {
            words
                .iter()
                .all(|w| smallest_matching_part(email, w).is_some())
        };
        // Parts read, the last of them, and whether the budget ran out.
        let mut read = 0u64;
        let mut last: Option<String> = None;
        let mut stopped = false;
        while out.len() <= limit {
            if read >= budget {
                stopped = true;
                break;
            }
            let a = match whole.as_mut().map(|w| w.peek()) {
                Some(Some(Ok((k, _)))) if k.value().starts_with(word.as_str()) => {
                    Some(format!("{}{KEY_SEP}", k.value()))
                }
                Some(Some(Err(_))) => {
                    whole.as_mut().and_then(|w| w.next()).transpose()?;
                    None
                }
                _ => None,
            };
            let b = match inside.as_mut().map(|w| w.peek()) {
                Some(Some(Ok((k, _)))) if k.value().starts_with(inner.as_str()) => {
                    Some(k.value().to_owned())
                }
                Some(Some(Err(_))) => {
                    inside.as_mut().and_then(|w| w.next()).transpose()?;
                    None
                }
                _ => None,
            };
            let (part, id) = match (a, b) {
                (None, None) => break,
                (Some(a), b) if b.as_ref().is_none_or(|b| a < *b) => {
                    let Some((_, v)) = whole.as_mut().and_then(|w| w.next()).transpose()? else {
                        break;
                    };
                    (a, v.value())
                }
                (_, _) => {
                    let Some((k, v)) = inside.as_mut().and_then(|w| w.next()).transpose()? else {
                        break;
                    };
                    (k.value().to_owned(), v.value())
                }
            };
            if after.is_some_and(|a| part.as_str() <= a) {
                continue;
            }
            read += 1;
            last = Some(part.clone());
            let Some((email, at)) = email_of_part_key(&part) else {
                continue;
            };
            if driver.is_some()
                && (!email_part_matches(&email, at, &word)
                    || smallest_matching_part(&email, &word).as_deref() != Some(part.as_str())
                    || !all_match(&email))
            {
                continue;
            }
            let acc = account_in(&accounts, id)?.ok_or_else(|| {
                Error::Storage(format!("the login {email} names a missing account {id}"))
            })?;
            out.push((part, acc));
        }
        let (next, stopped_early) = if out.len() > limit {
            out.truncate(limit);
            (out.last().map(|(p, _)| p.clone()), false)
        } else if stopped {
            // On from the last part read (at or after the cursor).
            (last.or_else(|| after.map(str::to_owned)), true)
        } else {
            (None, false)
        };
        Ok(Page {
            items: out.into_iter().map(|(_, a)| a).collect(),
            next,
            stopped_early,
        })
    }
}

/// A patient an email search found at one part: its name key, account
/// number and row (from the email index, without the email, when
/// `own_email`; else from the patients table).
struct Found {
    name: String,
    account: String,
    row: AccessGuard<'static, &'static [u8]>,
    own_email: bool,
    /// The portal account whose login found it, when only that did.
    login: Option<u64>,
}

/// One index an email search merges, read ahead by one entry. Its keys are
/// email part keys, or (`whole`) begin with a whole email, whose part key
/// is the email and the separator.
struct PartStream<V: redb::Value + 'static> {
    /// `None` once past the prefix.
    range: Option<Range<'static, &'static str, V>>,
    prefix: String,
    whole: bool,
    /// The next entry: its part key, its key when not the part key (a
    /// `whole` stream's), and value.
    head: Option<(String, Option<String>, AccessGuard<'static, V>)>,
}

impl<V: redb::Value + 'static> PartStream<V> {
    /// The entries of `t` whose keys begin with `prefix`, from `from` (none
    /// at all when `from` is `None`).
    fn open(
        t: ReadOnlyTable<&'static str, V>,
        prefix: &str,
        from: Option<&str>,
        whole: bool,
    ) -> Result<Self> {
        let range = match from {
            Some(f) => Some(t.range::<&str>(f..)?),
            None => None,
        };
        let mut s = PartStream {
            range,
            prefix: prefix.to_owned(),
            whole,
            head: None,
        };
        s.advance()?;
        Ok(s)
    }

    fn advance(&mut self) -> Result<()> {
        self.head = None;
        let Some(range) = self.range.as_mut() else {
            return Ok(());
        };
        count_entry();
        match range.next().transpose()? {
            Some((k, v)) if k.value().starts_with(self.prefix.as_str()) => {
                let key = k.value();
                self.head = Some(if self.whole {
                    let mut part = key.split(KEY_SEP).next().unwrap_or("").to_owned();
                    part.push(KEY_SEP);
                    (part, Some(key.to_owned()), v)
                } else {
                    (key.to_owned(), None, v)
                });
            }
            _ => self.range = None,
        }
        Ok(())
    }

    /// The part key of the next entry.
    fn part(&self) -> Option<&str> {
        self.head.as_ref().map(|h| h.0.as_str())
    }

    /// The next entry (key and value) when its part key is `part`.
    fn take_at(&mut self, part: &str) -> Result<Option<(String, AccessGuard<'static, V>)>> {
        if self.part() != Some(part) {
            return Ok(None);
        }
        let Some((part, key, v)) = self.head.take() else {
            return Ok(None);
        };
        self.advance()?;
        Ok(Some((key.unwrap_or(part), v)))
    }
}

/// What an email search reads of a portal account: borrowed from the
/// stored record (JSON strings without escapes, as emails and account
/// numbers are, are not copied).
struct LoginAndPatients<'a> {
    email: std::borrow::Cow<'a, str>,
    patients: Vec<std::borrow::Cow<'a, str>>,
}

impl<'a> LoginAndPatients<'a> {
    /// The login and patients of a record exactly as this program writes
    /// one (`serde_json`, compact: `{"id":7,"email":"…","patients":["…"],…`),
    /// with no escape in those strings; `None` for anything else, which
    /// [`LoginAndPatients::read`] then gives to `serde_json`. Reading this
    /// one shape by hand costs about a quarter of the instructions of
    /// `serde_json`'s map and sequence machinery, on every login an email
    /// search meets (issue 12).
    fn as_written(bytes: &'a [u8]) -> Option<Self> {
        /// A string up to its closing quote, when it has no escape.
        fn text<'a>(b: &'a [u8], pos: &mut usize) -> Option<&'a str> {
            let len = b.get(*pos..)?.iter().position(|&c| c == b'"')?;
            let raw = &b[*pos..*pos + len];
            if raw.iter().any(|&c| c == b'\\' || c < 0x20) {
                return None;
            }
            *pos += len + 1;
            std::str::from_utf8(raw).ok()
        }
        let eat = |pos: &mut usize, lit: &[u8]| -> Option<()> {
            bytes
                .get(*pos..)?
                .starts_with(lit)
                .then(|| *pos += lit.len())
        };
        let mut pos = 0;
        eat(&mut pos, br#"{"id":"#)?;
        let digits = bytes
            .get(pos..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        pos += digits;
        eat(&mut pos, br#","email":""#)?;
        let email = text(bytes, &mut pos)?;
        eat(&mut pos, br#","patients":["#)?;
        let mut patients = Vec::with_capacity(2);
        if eat(&mut pos, b"]").is_none() {
            loop {
                eat(&mut pos, b"\"")?;
                patients.push(std::borrow::Cow::Borrowed(text(bytes, &mut pos)?));
                if eat(&mut pos, b"]").is_some() {
                    break;
                }
                eat(&mut pos, b",")?;
            }
        }
        // The record goes on with its other fields.
        eat(&mut pos, b",")?;
        Some(LoginAndPatients {
            email: std::borrow::Cow::Borrowed(email),
            patients,
        })
    }
}

/// A JSON string, borrowed from the record unless it has escapes (serde's
/// own `Cow<str>` always copies).
struct Text<'a>(std::borrow::Cow<'a, str>);

impl<'a> serde::Deserialize<'a> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'a>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'a> serde::de::Visitor<'a> for V {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'a str) -> std::result::Result<Text<'a>, E> {
                Ok(Text(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Text<'a>, E> {
                Ok(Text(std::borrow::Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'a> LoginAndPatients<'a> {
    /// The login and patients of a stored account, read up to them only.
    /// An account is written with its fields in declaration order (`id`,
    /// `email`, `patients`, then the password hash, history and times), so
    /// the rest of the record — most of its bytes — is not parsed: the map
    /// visitor stops once it has both, and that stop is not an error. A
    /// record whose fields come in another order is read whole.
    fn read(bytes: &'a [u8]) -> Result<Self> {
        if let Some(a) = Self::as_written(bytes) {
            return Ok(a);
        }
        use serde::de::{Deserializer as _, Error as _, IgnoredAny, MapAccess, Visitor};
        const ENOUGH: &str = "login and patients read";
        struct Prefix<'s, 'a>(&'s mut Option<LoginAndPatients<'a>>);
        impl<'a> Visitor<'a> for Prefix<'_, 'a> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a portal account")
            }
            fn visit_map<M: MapAccess<'a>>(self, mut map: M) -> Result<(), M::Error> {
                let (mut email, mut patients) = (None, None);
                while let Some(Text(key)) = map.next_key()? {
                    match &*key {
                        "email" => email = Some(map.next_value::<Text>()?.0),
                        "patients" => {
                            let list: Vec<Text> = map.next_value()?;
                            patients = Some(list.into_iter().map(|t| t.0).collect());
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                    if let (Some(_), Some(_)) = (&email, &patients) {
                        break;
                    }
                }
                let (Some(email), Some(patients)) = (email, patients) else {
                    return Err(M::Error::custom(
                        "a portal account without login or patients",
                    ));
                };
                *self.0 = Some(LoginAndPatients { email, patients });
                Err(M::Error::custom(ENOUGH))
            }
        }
        let mut out = None;
        let read = serde_json::Deserializer::from_slice(bytes).deserialize_map(Prefix(&mut out));
        match (out, read) {
            (Some(a), _) => Ok(a),
            (None, Err(e)) => Err(Error::Storage(format!(
                "a stored portal account is damaged ({e})"
            ))),
            (None, Ok(())) => Err(Error::Storage(
                "a stored portal account is damaged (no login or patients)".into(),
            )),
        }
    }
}

/// The guardians' side of an email search: the logins of a patient's
/// current guardian links (`guardians`: links an administrator removed
/// are gone from it; links the age rules ended are still there, as the
/// desk must see them) and the patients of a portal account. Each link and
/// account read counts as an entry; an account is read once per search
/// (siblings share their guardians).
struct Holders<'t> {
    rx: &'t ReadTx,
    guardians: Option<ReadOnlyTable<(&'static str, u64), &'static [u8]>>,
    accounts: Option<ReadOnlyTable<u64, &'static [u8]>>,
    /// Account id → its login and patients (`None`: no such account).
    read: std::collections::HashMap<u64, Option<(String, Vec<String>)>>,
}

impl<'t> Holders<'t> {
    fn new(rx: &'t ReadTx) -> Self {
        Holders {
            rx,
            guardians: None,
            accounts: None,
            read: std::collections::HashMap::new(),
        }
    }

    fn account(&mut self, id: u64) -> Result<Option<&(String, Vec<String>)>> {
        if !self.read.contains_key(&id) {
            count_entry();
            if self.accounts.is_none() {
                self.accounts = Some(self.rx.table(ACCOUNTS)?);
            }
            let Some(t) = &self.accounts else {
                return Ok(None);
            };
            // The login and the patients only: a search reads many
            // accounts and shows none of their other fields.
            let acc = match t.get(id)? {
                Some(v) => {
                    let a = LoginAndPatients::read(v.value())?;
                    Some((
                        a.email.into_owned(),
                        a.patients.into_iter().map(|p| p.into_owned()).collect(),
                    ))
                }
                None => None,
            };
            self.read.insert(id, acc);
        }
        Ok(self.read.get(&id).and_then(Option::as_ref))
    }

    /// Calls `each` with every patient portal account `id` lists. An
    /// account the search has not read yet is decoded in place and not
    /// kept: the email walk meets each login once (at its smallest
    /// matching part), and copying every account it reads cost more than
    /// reading it (issue 12).
    fn patients_of(&mut self, id: u64, mut each: impl FnMut(&str) -> Result<()>) -> Result<()> {
        if let Some(acc) = self.read.get(&id) {
            for p in acc.iter().flat_map(|a| &a.1) {
                each(p)?;
            }
            return Ok(());
        }
        count_entry();
        if self.accounts.is_none() {
            self.accounts = Some(self.rx.table(ACCOUNTS)?);
        }
        let Some(t) = &self.accounts else {
            return Ok(());
        };
        if let Some(v) = t.get(id)? {
            let a = LoginAndPatients::read(v.value())?;
            for p in &a.patients {
                each(p)?;
            }
        }
        Ok(())
    }

    /// Whether portal account `id` is a guardian of patient `patient` now.
    fn is_guardian(&mut self, patient: &str, id: u64) -> Result<bool> {
        if self.guardians.is_none() {
            self.guardians = Some(self.rx.table(GUARDIANS)?);
        }
        count_entry();
        Ok(match &self.guardians {
            Some(t) => t.get((patient, id))?.is_some(),
            None => false,
        })
    }

    /// The logins of the guardians linked to patient `patient` now.
    fn logins_of(&mut self, patient: &str) -> Result<Vec<String>> {
        if self.guardians.is_none() {
            self.guardians = Some(self.rx.table(GUARDIANS)?);
        }
        let mut ids = Vec::new();
        if let Some(t) = &self.guardians {
            count_entry();
            for item in t.range((patient, 0)..=(patient, u64::MAX))? {
                count_entry();
                ids.push(item?.0.value().1);
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some((login, _)) = self.account(id)? {
                out.push(login.clone());
            }
        }
        Ok(out)
    }
}

/// Whether `rank` is the one of `phase` at email part `part` for `name`.
fn rank_is(rank: &str, phase: char, part: &str, name: &str) -> bool {
    rank.strip_prefix(phase)
        .and_then(|r| r.strip_prefix(part))
        .and_then(|r| r.strip_prefix(RANK_SEP))
        == Some(name)
}

/// The tokens beginning with a word and their entries in all; `None` when
/// too many tokens begin with it.
type Terms = Option<(Vec<String>, u64)>;

/// The tokens of the token index beginning with a word, looked up once per
/// search.
struct Vocabulary<'t> {
    rx: &'t ReadTx,
    terms: Option<ReadOnlyTable<&'static str, u64>>,
    cache: Vec<(String, Terms)>,
}

impl<'t> Vocabulary<'t> {
    fn new(rx: &'t ReadTx) -> Self {
        Vocabulary {
            rx,
            terms: None,
            cache: Vec::new(),
        }
    }

    /// The tokens beginning with `w` and their entries in all, or `None`
    /// when more than [`PROBE_TERMS`] tokens begin with it.
    fn terms(&mut self, w: &str) -> Result<&Terms> {
        if let Some(i) = self.cache.iter().position(|(k, _)| k == w) {
            return Ok(&self.cache[i].1);
        }
        let mut list = Vec::new();
        let mut total = 0u64;
        let mut found = Some(());
        let terms = match &mut self.terms {
            Some(t) => t,
            none => none.insert(self.rx.table(SEARCH_TERMS)?),
        };
        for item in terms.range::<&str>(w..)? {
            count_entry();
            let (k, v) = item?;
            if !k.value().starts_with(w) {
                break;
            }
            if list.len() == PROBE_TERMS {
                found = None;
                break;
            }
            list.push(k.value().to_owned());
            total += v.value();
        }
        self.cache
            .push((w.to_owned(), found.map(|_| (list, total))));
        Ok(&self.cache[self.cache.len() - 1].1)
    }

    /// Whether any token begins with `w`.
    fn any(&mut self, w: &str) -> Result<bool> {
        Ok(match self.terms(w)? {
            Some((list, _)) => !list.is_empty(),
            None => true,
        })
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

/// The token index and its entries of patients with several tokens
/// (`idx_patient_multi`), each opened the first time a search needs it.
struct Tokens<'l, F> {
    all: &'l Lazy<Rows, F>,
    multi: &'l Lazy<Rows, F>,
}

impl<F: Fn() -> Result<Rows>> Tokens<'_, F> {
    /// The table to read for patients with a token beginning with each of
    /// `words`: the multi index when no one token can begin them all.
    fn for_words<'w>(&self, words: impl Iterator<Item = &'w str>) -> Result<&Rows> {
        if need_several_tokens(words) {
            self.multi.get()
        } else {
            self.all.get()
        }
    }
}

/// Whether two of `words` are not the beginning of one another: no one
/// token begins both, so a patient matching each with a token has several.
fn need_several_tokens<'w>(words: impl Iterator<Item = &'w str>) -> bool {
    let words: Vec<&str> = words.collect();
    words
        .iter()
        .enumerate()
        .any(|(i, a)| words[i + 1..].iter().any(|b| !comparable(a, b)))
}

/// Whether one of two words begins the other.
fn comparable(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Email, PasswordHash, PasswordKind};

    fn stored_account(email: &str, patients: &[&str]) -> Vec<u8> {
        let now = time::macros::datetime!(2026-11-29 09:00 UTC);
        let account = PortalAccount {
            id: 7,
            email: Email::parse(email).expect("a valid email"),
            patients: patients.iter().map(|p| (*p).to_owned()).collect(),
            password_hash: PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
            password_kind: PasswordKind::Temporary,
            reset_required: true,
            temp_expires_at: Some(now),
            disabled: false,
            failed_count: 0,
            locked_until: None,
            last_sign_in: None,
            password_history: vec![PasswordHash("$argon2id$old".into())],
            created_at: now,
            updated_at: now,
            version: 3,
        };
        super::super::read::encode(&account).expect("an account encodes")
    }

    #[test]
    fn an_accounts_login_and_patients_are_read_from_its_stored_record() {
        let bytes = stored_account("pat.moore@example.org", &["A1B2C3D4", "E5F6G7H8"]);
        let a = LoginAndPatients::read(&bytes).expect("a stored account reads");
        assert_eq!(a.email, "pat.moore@example.org");
        assert_eq!(a.patients, ["A1B2C3D4", "E5F6G7H8"]);
        // Borrowed from the record, not copied.
        assert!(matches!(a.email, std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn an_account_record_in_another_field_order_or_with_escapes_reads_the_same() {
        let bytes = br#"{"patients":["A1\u0042","C3"],"disabled":false,"email":"a@b.org","id":1}"#;
        let a = LoginAndPatients::read(bytes).expect("a reordered account reads");
        assert_eq!(a.email, "a@b.org");
        assert_eq!(a.patients, ["A1B", "C3"]);
    }

    #[test]
    fn an_account_as_written_reads_as_serde_json_reads_it() {
        for (email, patients) in [
            ("pat.moore@example.org", &["A1B2C3D4", "E5F6G7H8"][..]),
            ("o@b.org", &["Z9"][..]),
            ("no.patients@example.org", &[][..]),
        ] {
            let bytes = stored_account(email, patients);
            let fast = LoginAndPatients::as_written(&bytes).expect("the written shape");
            assert_eq!(fast.email, email);
            assert_eq!(fast.patients, patients);
        }
        // Anything else is left to serde_json: escapes, another order, a
        // record that ends after the patients.
        for other in [
            &br#"{"id":1,"email":"a\u0040b.org","patients":["C3"],"disabled":false}"#[..],
            br#"{"id":1,"email":"a@b.org","patients":["C\u0033"],"disabled":false}"#,
            br#"{"email":"a@b.org","id":1,"patients":["C3"],"disabled":false}"#,
            br#"{"id":1,"email":"a@b.org","patients":["C3"]}"#,
            br#"{"id":-1,"email":"a@b.org","patients":["C3"],"disabled":false}"#,
        ] {
            assert!(LoginAndPatients::as_written(other).is_none(), "{other:?}");
            let a = LoginAndPatients::read(other).expect("serde_json reads it");
            assert_eq!((a.email.as_ref(), a.patients.len()), ("a@b.org", 1));
        }
    }

    #[test]
    fn a_damaged_account_record_is_an_error_not_a_panic() {
        for bad in [
            &b"{\"id\":1,\"email\":\"a@b.org\"}"[..],
            b"{\"id\":1,\"email\":\"a@b.org\",\"patients\":[1]}",
            b"{\"id\":1,\"em",
            b"\xff\xfe",
            b"",
        ] {
            let err = LoginAndPatients::read(bad).err().map(|e| e.to_string());
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains("a stored portal account is damaged")),
                "{bad:?}: {err:?}"
            );
        }
    }
}
