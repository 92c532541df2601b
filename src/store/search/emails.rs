//! Email searches: the patients' own emails and their guardians' logins
//! (see the parent module).

use super::*;
use crate::store::read::decode;

impl ReadTx {
    /// Patients by a part of an email of theirs (`phase` `3` after names,
    /// `e` for an email search): their own e-correspondent email and the
    /// login of each of their current guardians. Three indexes are merged
    /// in order of the part: the patients' email index for emails beginning
    /// with the word, their email-part index for the parts inside, and the
    /// index of their guardians' logins that are not their own email (every
    /// part; see [`IDX_GUARDIAN_LOGIN`]). Each patient comes once, at its
    /// rank: the smallest part over all its emails (see
    /// [`ReadTx::best_rank`]).
    pub(super) fn by_email_part(
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
        // A whole login's key is its part key (`login␠`): read from the
        // word's first part on, it is among them.
        let mut guardians = PartStream::open(
            self.table(IDX_GUARDIAN_LOGIN)?,
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
            let Some(part) = [own.part(), own_parts.part(), guardians.part()]
                .into_iter()
                .flatten()
                .min()
                .map(str::to_owned)
            else {
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
            // Those a guardian of signs in with this email (not their own).
            if let Some((_, v)) = guardians.take_at(&part)?
                && matches
            {
                for account in v.value().split(' ') {
                    self.found_patient(patients.get()?, account, &mut found)?;
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
                    // email, unless an earlier part ranked it.
                    let with_part = RowRef {
                        email: part_email.as_deref(),
                        ..row
                    };
                    let cand = with_part
                        .candidate(&f.name)
                        .ok_or_else(|| damaged_entry(&f.account))?;
                    new_at = ranked_before.binary_search(&f.account).err();
                    new_at.is_some()
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
    pub(super) fn found_patient(
        &self,
        patients: &Rows,
        account: &str,
        found: &mut Vec<Found>,
    ) -> Result<()> {
        count_entry();
        if let Some(g) = patients.get(account)? {
            let row = RowRef::parse(g.value()).ok_or_else(|| damaged_entry(account))?;
            found.push(Found {
                name: row.name_key(account),
                account: account.to_owned(),
                row: g,
                own_email: false,
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
    pub(super) fn best_rank(
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
}

/// A patient an email search found at one part: its name key, account
/// number and row (from the email index, without the email, when
/// `own_email`; else from the patients table).
pub(super) struct Found {
    name: String,
    account: String,
    row: AccessGuard<'static, &'static [u8]>,
    own_email: bool,
}

/// One index an email search merges, read ahead by one entry. Its keys are
/// email part keys, or (`whole`) begin with a whole email, whose part key
/// is the email and the separator.
pub(super) struct PartStream<V: redb::Value + 'static> {
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
    pub(super) fn open(
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

    pub(super) fn advance(&mut self) -> Result<()> {
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
    pub(super) fn part(&self) -> Option<&str> {
        self.head.as_ref().map(|h| h.0.as_str())
    }

    /// The next entry (key and value) when its part key is `part`.
    pub(super) fn take_at(
        &mut self,
        part: &str,
    ) -> Result<Option<(String, AccessGuard<'static, V>)>> {
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

/// The logins of a patient's current guardian links (`guardians`: links an
/// administrator removed are gone from it; links the age rules ended are
/// still there, as the desk must see them), for ranking a patient by every
/// email it is found by when a search does not read every part. Each link
/// and account read counts as an entry; an account is read once per search
/// (siblings share their guardians).
pub(super) struct Holders<'t> {
    rx: &'t ReadTx,
    guardians: Option<ReadOnlyTable<(&'static str, u64), &'static [u8]>>,
    accounts: Option<ReadOnlyTable<u64, &'static [u8]>>,
    /// Account id → its login (`None`: no such account).
    logins: std::collections::HashMap<u64, Option<String>>,
}

/// What a search reads of a stored portal account: its login.
#[derive(serde::Deserialize)]
struct Login {
    email: String,
}

impl<'t> Holders<'t> {
    pub(super) fn new(rx: &'t ReadTx) -> Self {
        Holders {
            rx,
            guardians: None,
            accounts: None,
            logins: std::collections::HashMap::new(),
        }
    }

    /// The login of portal account `id`, if there is one.
    fn login(&mut self, id: u64) -> Result<Option<&String>> {
        if !self.logins.contains_key(&id) {
            count_entry();
            if self.accounts.is_none() {
                self.accounts = Some(self.rx.table(ACCOUNTS)?);
            }
            let login = match &self.accounts {
                Some(t) => match t.get(id)? {
                    Some(v) => Some(decode::<Login>("portal account", v.value())?.email),
                    None => None,
                },
                None => None,
            };
            self.logins.insert(id, login);
        }
        Ok(self.logins.get(&id).and_then(Option::as_ref))
    }

    /// The logins of the guardians linked to patient `patient` now.
    pub(super) fn logins_of(&mut self, patient: &str) -> Result<Vec<String>> {
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
            if let Some(login) = self.login(id)? {
                out.push(login.clone());
            }
        }
        Ok(out)
    }
}

/// Whether `rank` is the one of `phase` at email part `part` for `name`.
pub(super) fn rank_is(rank: &str, phase: char, part: &str, name: &str) -> bool {
    rank.strip_prefix(phase)
        .and_then(|r| r.strip_prefix(part))
        .and_then(|r| r.strip_prefix(RANK_SEP))
        == Some(name)
}
