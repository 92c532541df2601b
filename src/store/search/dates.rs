//! Dates of birth: a day, a month, a year, a birthday in any year, and
//! the filters a name search reads whole (see the parent module).

use super::*;

impl ReadTx {
    /// Rank `d`: the patients born on a date `prefix` holds (`2017-11-2`:
    /// the 2nd, then the 20th to 29th; see [`iso_ranges`]).
    pub(super) fn by_date_of_birth(
        &self,
        q: &PatientQuery,
        prefix: &str,
        c: &mut Collector,
    ) -> Result<()> {
        if c.past('d') {
            return Ok(());
        }
        let t = self.shared(IDX_PATIENT_DOB)?;
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
    pub(super) fn walk_dates(
        &self,
        q: &PatientQuery,
        mut sub: Sub,
        c: &mut Collector,
    ) -> Result<bool> {
        let mut key = String::new();
        while sub.head().is_some() {
            let Some(v) = sub.take(&mut key)? else { break };
            if !self.offer_entry(q, &key, v.value(), Some('d'), None, c)? {
                return Ok(false);
            }
            if c.stop_if_spent(|| format!("d{key}")) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The years the date index holds births in (none when it is empty).
    pub(super) fn birth_years(&self, md: &MonthDay) -> Result<Vec<i32>> {
        let t = self.shared(IDX_PATIENT_DOB)?;
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
    pub(super) fn by_month_day(
        &self,
        q: &PatientQuery,
        md: &MonthDay,
        c: &mut Collector,
    ) -> Result<()> {
        if c.past('d') {
            return Ok(());
        }
        let t = self.shared(IDX_PATIENT_DOB)?;
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

    /// Reads a filter's range whole when it has at most `most` entries and
    /// offers its patients ranked; false (nothing offered) when every range
    /// is longer.
    pub(super) fn filter_read_whole(
        &self,
        q: &PatientQuery,
        most: u64,
        c: &mut Collector,
    ) -> Result<bool> {
        if let Some(dob) = q.dob_prefix() {
            // Its ranges (`2017-11-2`: two) hold at most `most` together.
            let t = self.shared(IDX_PATIENT_DOB)?;
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
            let t = self.shared(IDX_PATIENT_DOB)?;
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
            let t = self.shared(PATIENTS)?;
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

    /// Names with a full date of birth: that day's patients, ranked.
    pub(super) fn by_name_on_day(
        &self,
        q: &PatientQuery,
        day: &str,
        c: &mut Collector,
    ) -> Result<()> {
        let t = self.shared(IDX_PATIENT_DOB)?;
        let prefix = format!("{day}{KEY_SEP}");
        // Read whole and ranked (email words are also met by the
        // guardians' logins there).
        let sub = Sub::open(&t, "", prefix, None)?;
        if let Some(found) =
            self.read_whole(q, sub, u64::MAX, |key, _| Ok(name_key_of(key).to_owned()))?
        {
            self.offer_ranked(found, c)?;
        }
        Ok(())
    }
}
