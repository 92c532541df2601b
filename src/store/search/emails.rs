//! Email searches: the patients' own emails and their guardians' logins
//! (see the parent module).

use super::*;
use crate::domain::keys::smallest_matching_start;
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
            self.shared(IDX_PATIENT_EMAIL)?,
            word,
            whole_from.as_deref(),
            true,
        )?;
        let mut own_parts = PartStream::open(
            self.shared(IDX_PATIENT_EMAIL_PART)?,
            inner,
            Some(&start(inner)),
            false,
        )?;
        // A whole login's key is its part key (`login␠`): read from the
        // word's first part on, it is among them.
        let mut guardians = PartStream::open(
            self.shared(IDX_GUARDIAN_LOGIN)?,
            inner,
            Some(&start(inner)),
            false,
        )?;
        let patients = Lazy::new(|| self.shared(PATIENTS));
        let mut walk = EmailWalk {
            q,
            phase,
            // From the word's first part on, a patient's first part with a
            // rank is its smallest; on from a cursor, the parts before it
            // are not read, and every email of the patient is
            // (`best_rank`).
            fresh: cursor_part.is_none(),
            // A patient is found at parts of several emails only when a
            // guardian's login that is not its own email begins with the
            // word; else its own email's smallest part ranks it once.
            joined: guardians.part().is_some(),
            ranked_before: Vec::new(),
            rank: String::new(),
            login: String::new(),
            holders: Holders::new(self),
        };
        let mut part = String::new();
        let mut email = String::new();
        let mut entry_key = String::new();
        // The patients of a part's account lists, sorted by name.
        let mut listed: Vec<Found> = Vec::new();
        loop {
            let Some(next) = [own.part(), own_parts.part(), guardians.part()]
                .into_iter()
                .flatten()
                .min()
            else {
                return Ok(());
            };
            part.clear();
            part.push_str(next);
            // A word with `@` matches the domain only; a part that is not
            // the smallest its email has for the word is not where any
            // patient of that email ranks. A whole email (`email␠`) begins
            // with the word (its streams' prefix): its smallest part.
            let Some((suffix, before)) = part.rsplit_once(KEY_SEP) else {
                return Err(damaged_entry(&part));
            };
            email.clear();
            email.push_str(before);
            email.push_str(suffix);
            let at = before.len();
            let matches = if at == 0 {
                !at_sign
            } else {
                email_part_matches(&email, at, word)
                    && (at_sign || smallest_matching_start(&email, word) == Some(at))
            };
            // The patients whose own email has this part inside, and those
            // a guardian of signs in with this email (not their own): two
            // lists of account numbers, read from the patients table.
            listed.clear();
            for stream in [&mut own_parts, &mut guardians] {
                if let Some((_, v)) = stream.take_at(&part)?
                    && matches
                {
                    for account in v.value().split(' ') {
                        self.found_patient(patients.get()?, account, &mut listed)?;
                    }
                }
            }
            listed.sort_by(|a, b| (&a.name, &a.account).cmp(&(&b.name, &b.account)));
            listed.dedup_by(|a, b| a.account == b.account);
            // Merged in name order with the patients whose own email is
            // this one (whole emails), which the email index holds in
            // name order.
            let mut listed = listed.drain(..).peekable();
            loop {
                // The next in name order: from the parts' lists or the
                // email index.
                let own_key = (own.part() == Some(&part)).then(|| own.key());
                let from_list = match (listed.peek(), own_key) {
                    (Some(f), Some(key)) => {
                        (f.name.as_str(), f.account.as_str())
                            < (name_key_of(key), account_of_key(key))
                    }
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => break,
                };
                if from_list {
                    let Some(f) = listed.next() else { break };
                    let (name, account) = (&f.name, &f.account);
                    if !walk.offer(self, c, &part, &email, name, account, f.row.value(), false)? {
                        return Ok(());
                    }
                    continue;
                }
                entry_key.clear();
                entry_key.push_str(own.key());
                let Some((_, v)) = own.take_at(&part)? else {
                    break;
                };
                if matches {
                    let (name, account) = (name_key_of(&entry_key), account_of_key(&entry_key));
                    if !walk.offer(self, c, &part, &email, name, account, v.value(), true)? {
                        return Ok(());
                    }
                }
            }
            drop(listed);
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
            });
        }
        Ok(())
    }

    /// The rank of a patient (its row with its own email, and its name key)
    /// over every email it can be found by — its own and its current
    /// guardians' logins — written into `out`: the smallest of the ranks
    /// `q` gives with each. False when none matches. The logins are read
    /// only when they could rank it before its own email does (a match on
    /// a name ranks before every email match). `by_login` gets the login
    /// that gave the rank, or is left empty when the patient's own email
    /// did.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn best_rank(
        &self,
        q: &PatientQuery,
        row: &RowRef<'_>,
        name: &str,
        account: &str,
        holders: &mut Holders<'_>,
        out: &mut String,
        by_login: &mut String,
    ) -> Result<bool> {
        by_login.clear();
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
                by_login.clear();
                by_login.push_str(&login);
            }
        }
        Ok(found)
    }
}

/// A patient an email search found in an account list at one part: its
/// name key, account number and row (from the patients table).
pub(super) struct Found {
    name: String,
    account: String,
    row: AccessGuard<'static, &'static [u8]>,
}

/// What an email walk keeps from part to part, and how it ranks and offers
/// one patient.
struct EmailWalk<'q, 't> {
    q: &'q PatientQuery,
    phase: char,
    fresh: bool,
    joined: bool,
    /// The patients offered so far, sorted (kept only when `joined`: a
    /// page's worth; a binary search costs less than hashing).
    ranked_before: Vec<String>,
    rank: String,
    /// The guardian's login `best_rank` ranked the patient by.
    login: String,
    holders: Holders<'t>,
}

impl EmailWalk<'_, '_> {
    /// Ranks patient `account` (name key `name`, stored row `row`, whose
    /// email is left to the key when `own_email`) found at `part` of
    /// `email`, and offers it when this part is where it ranks. False once
    /// the page is full.
    #[allow(clippy::too_many_arguments)]
    fn offer(
        &mut self,
        rx: &ReadTx,
        c: &mut Collector,
        part: &str,
        email: &str,
        name: &str,
        account: &str,
        row: &[u8],
        own_email: bool,
    ) -> Result<bool> {
        let mut row = RowRef::parse(row).ok_or_else(|| damaged_entry(account))?;
        if own_email {
            // The email index's rows leave the email to the key.
            row.email = Some(email);
        }
        let ranked = if self.fresh {
            // Ranked with this part's email, unless an earlier part ranked
            // the patient (by another of its emails).
            if self.joined
                && self
                    .ranked_before
                    .binary_search_by(|a| a.as_str().cmp(account))
                    .is_ok()
            {
                return Ok(true);
            }
            let with_part = RowRef {
                email: Some(email),
                ..row
            };
            let cand = with_part
                .candidate(name)
                .ok_or_else(|| damaged_entry(account))?;
            self.q.rank_into(&cand, &mut self.rank)
        } else {
            rx.best_rank(
                self.q,
                &row,
                name,
                account,
                &mut self.holders,
                &mut self.rank,
                &mut self.login,
            )?
        };
        if !(ranked && rank_is(&self.rank, self.phase, part, name)) {
            return Ok(true);
        }
        // Ranked with this part's email when fresh: a guardian's login
        // unless it is the patient's own email.
        let login = match self.fresh {
            true if row.email == Some(email) => "",
            true => email,
            false => self.login.as_str(),
        };
        if !c.offer_found_by(&self.rank, account, &row, [login, ""])? {
            return Ok(false);
        }
        if self.fresh && self.joined {
            let at = self
                .ranked_before
                .binary_search_by(|a| a.as_str().cmp(account))
                .unwrap_or_else(|at| at);
            self.ranked_before.insert(at, account.to_owned());
        }
        Ok(true)
    }
}

/// One index an email search merges, read ahead by one entry. Its keys are
/// email part keys, or (`whole`) begin with a whole email, whose part key
/// is the email and the separator.
pub(super) struct PartStream<V: redb::Value + 'static> {
    /// `None` once past the prefix.
    range: Option<Range<'static, &'static str, V>>,
    prefix: String,
    whole: bool,
    /// The next entry's key, decoded once, and how much of it is its part
    /// key.
    key: String,
    part_len: usize,
    head: Option<(AccessGuard<'static, &'static str>, AccessGuard<'static, V>)>,
}

impl<V: redb::Value + 'static> PartStream<V> {
    /// The entries of `t` whose keys begin with `prefix`, from `from` (none
    /// at all when `from` is `None`).
    pub(super) fn open(
        t: Table<&'static str, V>,
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
            key: String::new(),
            part_len: 0,
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
        let Some((k, v)) = range.next().transpose()? else {
            self.range = None;
            return Ok(());
        };
        // The key decoded (its UTF-8 checked) once.
        let key = k.value();
        if !key.starts_with(self.prefix.as_str()) {
            self.range = None;
            return Ok(());
        }
        self.key.clear();
        self.key.push_str(key);
        // A whole email's part key is the email and the separator (one
        // byte); other keys are their part keys.
        self.part_len = match self.whole {
            true => match self.key.bytes().position(|b| b == KEY_SEP as u8) {
                Some(i) => i + 1,
                None => self.key.len(),
            },
            false => self.key.len(),
        };
        self.head = Some((k, v));
        Ok(())
    }

    /// The part key of the next entry.
    pub(super) fn part(&self) -> Option<&str> {
        self.head.as_ref().map(|_| &self.key[..self.part_len])
    }

    /// The key of the next entry (empty when there is none).
    pub(super) fn key(&self) -> &str {
        if self.head.is_some() { &self.key } else { "" }
    }

    /// The next entry (key and value) when its part key is `part`.
    pub(super) fn take_at(
        &mut self,
        part: &str,
    ) -> Result<Option<(AccessGuard<'static, &'static str>, AccessGuard<'static, V>)>> {
        if self.part() != Some(part) {
            return Ok(None);
        }
        let head = self.head.take();
        self.advance()?;
        Ok(head)
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
    guardians: Option<Table<(&'static str, u64), &'static [u8]>>,
    accounts: Option<Table<u64, &'static [u8]>>,
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
                self.accounts = Some(self.rx.shared(ACCOUNTS)?);
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
            self.guardians = Some(self.rx.shared(GUARDIANS)?);
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
