//! Name searches: the name walk, probes of the token index, other name
//! parts (see the parent module).

use super::*;

impl ReadTx {
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
    pub(super) fn by_name(&self, q: &PatientQuery, c: &mut Collector) -> Result<()> {
        if let Some(day) = q.day() {
            return self.by_name_on_day(q, day, c);
        }
        self.walk_or_filter(q, c, |rx, c| rx.walk_names(q, c))
    }

    /// A walk (`walk`: of the names, or of the email parts) narrowed by a
    /// date of birth, a birthday or an account-number beginning: the
    /// filter's range first when it is tiny; else the walk, for a while;
    /// when that stops early, the filter's range read whole if short
    /// enough; else the walk on, with the rest of the budget. Without a
    /// filter, the walk.
    pub(super) fn walk_or_filter(
        &self,
        q: &PatientQuery,
        c: &mut Collector,
        walk: impl Fn(&Self, &mut Collector) -> Result<()>,
    ) -> Result<()> {
        let filtered =
            q.dob_prefix().is_some() || q.account_prefix().is_some() || q.month_day.is_some();
        if !filtered {
            return walk(self, c);
        }
        if self.filter_read_whole(q, TINY.min(c.budget), c)? {
            return Ok(());
        }
        let (budget, after) = (c.budget, c.after.clone());
        c.budget = WALK_FIRST.min(budget);
        walk(self, c)?;
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
        walk(self, c)?;
        c.after = after;
        Ok(())
    }

    /// The four phases of a name search (see the module's doc), from the
    /// cursor.
    pub(super) fn walk_names(&self, q: &PatientQuery, c: &mut Collector) -> Result<()> {
        let names = self.shared(IDX_PATIENT_NAME)?;
        // Opened when a query needs them (opening a table costs about as
        // much as reading a dozen entries; `smith` needs neither).
        let open = |def| move || self.shared(def);
        let tokens = Lazy::new(open(IDX_PATIENT_TOKEN));
        let multi = Lazy::new(open(IDX_PATIENT_MULTI));
        let tables = Tokens {
            all: &tokens,
            multi: &multi,
        };
        let mut vocab = Vocabulary::new(self);
        let runs = q.runs();
        // Email words with names (`jim @step-family.test`) are met by the
        // patient's own email or a current guardian's login: the logins
        // are read for those queries only.
        let mut holders = (!q.emails.is_empty()).then(|| Holders::new(self));
        // `jose.garcia1`: a word typed alone is then an email part; when
        // one of its words is in no name, no name can match (a few seeks
        // instead of probing the runs' ranges and the token index).
        let by_name = q.mixed.is_none()
            || q.names.len() < 2
            || !self.a_word_in_no_name(q, &names, &mut vocab)?;
        // A word typed with punctuation inside (`o'br`): first the last
        // names its letters together equal or begin, walking only the runs
        // that hold it whole; then the others' (which no such run can rank:
        // it would rank the patient in a phase before). Plain words have no
        // such run and walk as they always did.
        let whole = q.has_whole_runs();
        let phases: &[(char, bool, bool)] = if whole {
            &[
                (WHOLE_EXACT, true, true),
                (WHOLE_BEGINS, false, true),
                ('0', true, false),
                ('1', false, false),
            ]
        } else {
            &[('0', true, false), ('1', false, false)]
        };
        for &(phase, exact, whole_runs) in phases {
            if !by_name {
                break;
            }
            if c.past(phase) {
                continue;
            }
            let cursor = c.within(phase).map(str::to_owned);
            let mut subs = Vec::new();
            for run in runs.iter().filter(|r| r.whole == whole_runs) {
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
            if !self.merge(q, phase, &mut subs, holders.as_mut(), c)? {
                return Ok(());
            }
        }
        if by_name
            && !c.past('2')
            && !self.other_parts(q, &tables, &mut vocab, holders.as_mut(), c)?
        {
            return Ok(());
        }
        if let Some(w) = q.email_alone() {
            self.by_email_part(q, w, '3', c)?;
        }
        // `jsmith82`, `a-100`: then the account numbers beginning with it.
        if let Some(m) = q.account_word()
            && !c.full()
            && c.stopped_at.is_none()
        {
            self.by_account_number(q, &m.to_ascii_uppercase(), 'a', c)?;
        }
        Ok(())
    }

    /// Whether a word can match no name (see [`PatientQuery::rank`]): it
    /// begins no token of the token index, and no last name begins with it
    /// nor with any run of neighbouring words that holds it (`mc donald`:
    /// `donald` may begin no part, but `mcdonald` a last name).
    pub(super) fn a_word_in_no_name(
        &self,
        q: &PatientQuery,
        names: &Rows,
        vocab: &mut Vocabulary<'_>,
    ) -> Result<bool> {
        for (i, w) in q.names.iter().enumerate() {
            if vocab.any(w)? {
                continue;
            }
            let mut begins = false;
            for run in q.runs().iter().filter(|r| r.start <= i && i < r.end) {
                count_entry();
                // A name key is the last name's key first, then a
                // separator no run holds.
                if let Some(item) = names.range::<&str>(run.key.as_str()..)?.next() {
                    begins = item?.0.value().starts_with(run.key.as_str());
                }
                if begins {
                    break;
                }
            }
            if !begins {
                return Ok(true);
            }
        }
        for w in &q.first_names {
            if !vocab.any(w)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The ranges that hold every patient whose last name equals (`exact`)
    /// or begins with `run` and who may match the other words.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn last_name_subs(
        &self,
        q: &PatientQuery,
        run: &Run,
        exact: bool,
        names: &Rows,
        tokens: &Tokens<'_, impl Fn() -> Result<SharedRows>>,
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
        // whose range holds it too (a run holding a word typed with
        // punctuation inside whole is walked with such runs only, in
        // WHOLE_EXACT then WHOLE_BEGINS; the rest with the rest: a patient
        // a whole run ranks never ranks `0`/`1`). (A key's fields are letters and digits
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
    pub(super) fn merge(
        &self,
        q: &PatientQuery,
        phase: char,
        subs: &mut [Sub],
        mut holders: Option<&mut Holders<'_>>,
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
            if !self.offer_entry(q, &key, v.value(), Some(phase), holders.as_deref_mut(), c)? {
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
    pub(super) fn other_parts(
        &self,
        q: &PatientQuery,
        tokens: &Tokens<'_, impl Fn() -> Result<SharedRows>>,
        vocab: &mut Vocabulary<'_>,
        mut holders: Option<&mut Holders<'_>>,
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
            if !self.consider_row(q, &row, name, account, holders.as_deref_mut(), c, |rank| {
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
    pub(super) fn read_tokens_whole(
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
                    .filter(|(rank, _, _, _)| rank.starts_with('2')),
            );
        }
        Ok(Some(found))
    }
}

/// The tokens beginning with a word and their entries in all; `None` when
/// too many tokens begin with it.
pub(super) type Terms = Option<(Vec<String>, u64)>;

/// The tokens of the token index beginning with a word, looked up once per
/// search.
pub(super) struct Vocabulary<'t> {
    rx: &'t ReadTx,
    terms: Option<Table<&'static str, u64>>,
    cache: Vec<(String, Terms)>,
}

impl<'t> Vocabulary<'t> {
    pub(super) fn new(rx: &'t ReadTx) -> Self {
        Vocabulary {
            rx,
            terms: None,
            cache: Vec::new(),
        }
    }

    /// The tokens beginning with `w` and their entries in all, or `None`
    /// when more than [`PROBE_TERMS`] tokens begin with it.
    pub(super) fn terms(&mut self, w: &str) -> Result<&Terms> {
        if let Some(i) = self.cache.iter().position(|(k, _)| k == w) {
            return Ok(&self.cache[i].1);
        }
        let mut list = Vec::new();
        let mut total = 0u64;
        let mut found = Some(());
        let terms = match &mut self.terms {
            Some(t) => t,
            none => none.insert(self.rx.shared(SEARCH_TERMS)?),
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
    pub(super) fn any(&mut self, w: &str) -> Result<bool> {
        Ok(match self.terms(w)? {
            Some((list, _)) => !list.is_empty(),
            None => true,
        })
    }
}

/// The token index and its entries of patients with several tokens
/// (`idx_patient_multi`), each opened the first time a search needs it.
pub(super) struct Tokens<'l, F> {
    all: &'l Lazy<SharedRows, F>,
    multi: &'l Lazy<SharedRows, F>,
}

impl<F: Fn() -> Result<SharedRows>> Tokens<'_, F> {
    /// The table to read for patients with a token beginning with each of
    /// `words`: the multi index when no one token can begin them all.
    pub(super) fn for_words<'w>(&self, words: impl Iterator<Item = &'w str>) -> Result<&Rows> {
        if need_several_tokens(words) {
            self.multi.get().map(|t| &**t)
        } else {
            self.all.get().map(|t| &**t)
        }
    }
}

/// Whether two of `words` are not the beginning of one another: no one
/// token begins both, so a patient matching each with a token has several.
pub(super) fn need_several_tokens<'w>(words: impl Iterator<Item = &'w str>) -> bool {
    let words: Vec<&str> = words.collect();
    words
        .iter()
        .enumerate()
        .any(|(i, a)| words[i + 1..].iter().any(|b| !comparable(a, b)))
}

/// Whether one of two words begins the other.
pub(super) fn comparable(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}
