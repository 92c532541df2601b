//! Email searches: the patients' own emails and their guardians' logins
//! (see the parent module).

use super::*;

impl ReadTx {
    /// Patients by a part of an email of theirs (`phase` `3` after names,
    /// `e` for an email search): their own e-correspondent email and the
    /// login of each of their current guardians (see [`Holders`]). Four
    /// indexes are merged in order of the part: the patients' email index
    /// for emails beginning with the word, their email-part index for the
    /// parts inside, and the same two of the portal logins, whose accounts
    /// list their patients. Each patient comes once, at its rank: the
    /// smallest part over all its emails (see [`ReadTx::best_rank`]).
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
    /// The portal account whose login found it, when only that did.
    login: Option<u64>,
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

/// What an email search reads of a portal account: borrowed from the
/// stored record (JSON strings without escapes, as emails and account
/// numbers are, are not copied).
pub(super) struct LoginAndPatients<'a> {
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
    pub(super) fn as_written(bytes: &'a [u8]) -> Option<Self> {
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
pub(super) struct Text<'a>(std::borrow::Cow<'a, str>);

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
    pub(super) fn read(bytes: &'a [u8]) -> Result<Self> {
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
pub(super) struct Holders<'t> {
    rx: &'t ReadTx,
    guardians: Option<ReadOnlyTable<(&'static str, u64), &'static [u8]>>,
    accounts: Option<ReadOnlyTable<u64, &'static [u8]>>,
    /// Account id → its login and patients (`None`: no such account).
    read: std::collections::HashMap<u64, Option<(String, Vec<String>)>>,
}

impl<'t> Holders<'t> {
    pub(super) fn new(rx: &'t ReadTx) -> Self {
        Holders {
            rx,
            guardians: None,
            accounts: None,
            read: std::collections::HashMap::new(),
        }
    }

    pub(super) fn account(&mut self, id: u64) -> Result<Option<&(String, Vec<String>)>> {
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
    pub(super) fn patients_of(
        &mut self,
        id: u64,
        mut each: impl FnMut(&str) -> Result<()>,
    ) -> Result<()> {
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
    pub(super) fn is_guardian(&mut self, patient: &str, id: u64) -> Result<bool> {
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
            if let Some((login, _)) = self.account(id)? {
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
        crate::store::read::encode(&account).expect("an account encodes")
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
