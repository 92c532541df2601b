//! What a search box's text means, and the order results come in.
//!
//! The text is read as words (see `docs/cli.md` for the table staff read):
//!
//! - a name word is the beginning of any part of the name — last name,
//!   first and middle names, every part of a compound or hyphenated name —
//!   with case and accents ignored; words may come in any order; a word
//!   with punctuation inside is read as its parts (`o'brien`: `o brien`),
//!   and neighbouring words may together begin the last name as written
//!   without spaces (`o brien`, `garcia lopez` for García-López or Obrien);
//! - `last, first`: the words before the comma are last-name words, those
//!   after it first-name words; with no last-name word before the comma
//!   (`, jo`, `2016, jo`) the first name alone;
//! - a date of birth in any form of [`super::written_date`] (`2019-03-07`,
//!   `3/7/2019`, `7 Mar 2019`, `March 7, 2019`, `25.12.2020`, `Nov 2017`,
//!   …, or a beginning of one while typing: `2017-11-2` is the 2nd, then
//!   the 20th to 29th), a birthday in any year (`3/7`, `7 Mar`); with a
//!   name or a date, a four-digit year (or eight digits that are a date)
//!   too (`smith 2016`, `3/7 2011`), and dates narrow each other; a date
//!   that can be none is a [`PatientQuery::problem`], said to the user;
//! - a four-digit year (or eight digits that are a date) alone: the
//!   patients born then, then account numbers beginning with it;
//! - digits (and dashes): the beginning of an account number; a word of
//!   letters and digits alone (`jsmith82`, `doe-2`) is a name, then an email
//!   part, then an account-number beginning (with other words, an account
//!   number);
//! - a word with `@`, or with a dot inside it: the beginning of a part of
//!   the e-correspondent email (`moore`, `@example.org`, `maria.g`); a word
//!   with a dot typed alone (`St.John`) is first a name, as its parts;
//! - a word with `-` `_` `+` or `'` between letters or digits (`o'brien`,
//!   `o-hara`, `smith+tag`) is a name, as its parts; typed alone, it is
//!   then also the beginning of an email part (`quinn.o-hara+kids@…`);
//! - a single name word alone also finds, after every name match, the
//!   patients whose email has a part beginning with it.
//!
//! Every word must match. Results are ranked: the last name equal to a word
//! (or neighbouring words) first, then last names beginning with one, then
//! matches on other name parts (by that part), then email matches; within
//! each, by last name, first name and account number. A last-name word typed
//! with punctuation inside (`o'br`, `garcia-lo`: several parts) is one
//! surname: before all of these come the last names equal to a run of words
//! that holds it whole ([`WHOLE_EXACT`]: `o'brien` for O'Brien, Obrien),
//! then those beginning with one ([`WHOLE_BEGINS`]: `o'br`); its parts
//! apart (`o'br`: Brown, Oliver) rank as before.
//!
//! [`PatientQuery::rank`] is the whole definition: a plain scan over every
//! patient that keeps those it ranks, in the order of their rank, gives
//! exactly what the indexes give (`tests/properties.rs` checks it). A
//! patient is ranked with each email it has — its e-correspondent email
//! ([`Candidate::email`]) and the login of each current guardian — and comes
//! once, at the smallest rank: email words meet any of them, alone or with
//! names (`jim @step-family.test`).

use time::Date;

use super::keys::{
    any_part_matches, iso_date, name_parts, push_email_part_key, smallest_matching_start,
};
use super::patient::Patient;
use super::written_date::{self, DateWord};

pub use super::keys::KEY_SEP;
pub use super::written_date::{iso_holds, iso_ranges};

/// The rank's first character of an account number found by a year (or
/// date) typed alone: after every birth (`d`).
pub const ACCOUNT_AFTER_BIRTHS: char = 'x';

/// Longest run of neighbouring words read together as the last name.
pub const MAX_RUN: usize = 4;
/// A search reads at most this many name words (nobody types more); more is
/// a problem said to the user ([`PatientQuery::problem`]).
pub const MAX_WORDS: usize = 12;

/// Separates the email part from the name in an email-ordered rank. Below
/// every character an email or a name key holds.
pub const RANK_SEP: char = '\u{1f}';

/// The rank's first character of a last name equal to a word typed with
/// punctuation inside, its letters together (`o'brien`: O'Brien, Obrien):
/// before every other name match (`0`).
pub const WHOLE_EXACT: char = '.';
/// The rank's first character of a last name beginning with such a word's
/// letters together (`o'br`: O'Brien, Obrien): after [`WHOLE_EXACT`], before
/// the last names equal to (`0`) or beginning with (`1`) its parts apart
/// (`o'br`: Brown, Oliver).
pub const WHOLE_BEGINS: char = '/';

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatientQuery {
    /// Name words (search keys) in the order typed; with a comma, the words
    /// before it (last-name words).
    pub names: Vec<String>,
    /// With a comma: the first-name words after it.
    pub first_names: Vec<String>,
    /// Typed as `last, first`.
    pub comma: bool,
    /// Beginnings of the ISO date of birth (`2019-03-07`, `2019-03`, `2016-`).
    pub dob: Vec<String>,
    /// Beginnings of the account number (upper case).
    pub accounts: Vec<String>,
    /// Email words (lower case), each the beginning of a part of the email.
    pub emails: Vec<String>,
    /// A month and day of birth in any year (`3/7`, `7 Mar`).
    pub month_day: Option<MonthDay>,
    /// A four-digit year (or an eight-digit date) typed alone (`2016`):
    /// the year of birth, or else the beginning of an account number.
    pub year_or_account: Option<String>,
    /// A word typed alone that is a name and also begins an email part, in
    /// lower case: letters and digits (`moore1033`, `doe-2`: or else an
    /// account number, see [`PatientQuery::account_word`]), a dot inside
    /// (`st.john`) or `-` `_` `+` `'` inside (`o-hara`, `o'brien`). Its name
    /// parts are in `names`.
    pub mixed: Option<String>,
    /// With `year_or_account`: the births it stands for, as a beginning of
    /// the ISO date (`2016-`, or `2017-11-02` for `20171102`).
    pub births: Option<String>,
    /// Something typed can match no patient (an unfinished date).
    pub never: bool,
    /// Something typed is not a date whatever comes next (`13/1/2019`):
    /// why, as one sentence. Nothing matches.
    pub problem: Option<String>,
    /// Where in `names` each last-name word typed with punctuation inside
    /// (`o'br`, `garcia-lo`, `st.jo`: several parts) begins and ends. Empty
    /// for plain words.
    punctuated: Vec<(usize, usize)>,
    /// [`PatientQuery::runs`], worked out once.
    runs: Vec<Run>,
}

/// A month and day of birth in any year whose digits begin with `years`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthDay {
    pub month: u8,
    pub day: u8,
    pub years: String,
}

impl MonthDay {
    /// Whether an ISO date (`YYYY-MM-DD`) is this month and day.
    pub fn holds(&self, iso: &[u8]) -> bool {
        let two = |n: u8| [b'0' + n / 10, b'0' + n % 10];
        iso.len() == 10
            && iso[5..7] == two(self.month)
            && iso[8..10] == two(self.day)
            && iso.starts_with(self.years.as_bytes())
    }

    /// The ISO day in `year` (`2019-03-07`).
    pub fn in_year(&self, year: i32) -> String {
        format!("{year:04}-{:02}-{:02}", self.month, self.day)
    }
}

/// Which kind of search a query is, from the most specific part typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Empty: every patient, by name.
    All,
    /// Nothing can match.
    Never,
    /// Name words (perhaps with dates, account numbers, emails).
    Names,
    /// Email words, no name word.
    Email,
    /// A date of birth, no name or email word.
    DateOfBirth,
    /// Only an account number.
    AccountNumber,
    /// A four-digit year (or eight digits that are a date) alone: the
    /// patients born then, then account numbers beginning with it.
    YearOrAccount,
}

/// A patient as the ranking sees it: the keys of the index entry and the
/// text of the row, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The last name's key.
    pub last_key: &'a str,
    /// The first name's key.
    pub first_key: &'a str,
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub account_number: &'a str,
    pub date_of_birth: Date,
    pub email: Option<&'a str>,
}

/// A run of neighbouring name words read together as (the beginning of) the
/// last name: `words[start..end]` joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub key: String,
    /// The run holds a word typed with punctuation inside whole, and cuts
    /// no such word: the last names it equals or begins rank
    /// [`WHOLE_EXACT`] / [`WHOLE_BEGINS`], before those of the word's parts
    /// apart.
    pub whole: bool,
}

enum Word {
    /// The parts of a name word (`o'brien`: `o`, `brien`).
    Name(Vec<String>),
    Email(String),
    /// A word with a dot inside (`st.john`, `maria.g`), in lower case:
    /// alone a name then an email part, else an email word.
    Dotted(String),
    /// A name word with `-` `_` `+` or `'` inside (`o'brien`, `o-hara`,
    /// `smith+tag`): its parts, and the word in lower case: alone, also an
    /// email part after the name matches; with other words, a name only.
    Joined(Vec<String>, String),
    Dob(DateWord),
    Number(String),
    /// Punctuation only: nothing to match.
    Skip,
}

impl PatientQuery {
    /// Reads a search box. `today` places two-digit years.
    pub fn parse(text: &str, today: Date) -> PatientQuery {
        let mut q = PatientQuery::default();
        let words = date_words(text);
        // Dates written with a month's name first (`March 7, 2019`: its
        // comma is no "last, first").
        let all: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut rest = String::new();
        let mut at = 0;
        for p in written_date::phrases(&all, today) {
            for w in &all[at..p.start] {
                rest.push_str(w);
                rest.push(' ');
            }
            at = p.end;
            q.add_date(p.date);
        }
        for w in &all[at..] {
            rest.push_str(w);
            rest.push(' ');
        }
        let t = rest.trim();
        let (left, right, comma) = match t.split_once(',') {
            Some((l, r)) => (l, r, true),
            None => (t, "", false),
        };
        let mut numbers = Vec::new();
        let mut dotted = Vec::new();
        let mut joined = None;
        // Words, and words other than dates, years and numbers: a dotted
        // or joined word is "alone" beside dates (`st.john 7/2016`, as
        // beside `jul 2016`, whose words were read as a date above).
        let (mut words, mut name_words) = (0, 0);
        for (side, words_of_side) in [(0, left), (1, right)] {
            for w in words_of_side.split_whitespace() {
                words += 1;
                let word = classify(w, today);
                if !matches!(word, Word::Dob(_) | Word::Number(_) | Word::Skip) {
                    name_words += 1;
                }
                match word {
                    Word::Name(k) if side == 0 => q.push_name_word(k),
                    Word::Name(k) => q.first_names.extend(k),
                    Word::Joined(k, w) if side == 0 => {
                        q.push_name_word(k);
                        joined = Some(w);
                    }
                    Word::Joined(k, _) => q.first_names.extend(k),
                    Word::Email(e) => q.emails.push(e),
                    Word::Dotted(e) => dotted.push((side, e)),
                    Word::Dob(d) => q.add_date(d),
                    Word::Number(n) => numbers.push(n),
                    Word::Skip => {}
                }
            }
        }
        match dotted.as_slice() {
            // A dotted word of more parts than a name has words
            // (`a.b.c.d.e.f.g.h.i.j.k.l.m`): an email part only.
            [(_, w)] if name_words == 1 && name_parts(w).len() > MAX_WORDS => {
                q.emails.push(w.clone());
            }
            // `St.John`, `maria.g` alone: a name (as its parts), then an
            // email part.
            [(0, w)] if name_words == 1 => {
                q.names.clear();
                q.push_name_word(name_parts(w));
                q.mixed = Some(w.clone());
            }
            // `, st.john`: a first name.
            [(_, w)] if name_words == 1 => q.first_names = name_parts(w),
            _ => q.emails.extend(dotted.into_iter().map(|(_, w)| w)),
        }
        // `o-hara`, `o'brien`, `smith+tag` alone: a name (as its parts, read
        // above), then an email part (`quinn.o-hara+kids@…`).
        if name_words == 1
            && let Some(w) = joined
        {
            q.mixed = Some(w);
        }
        // ", jo": the first name begins with jo, whatever the last name.
        q.comma = comma && !(q.names.is_empty() && q.first_names.is_empty());
        q.too_many_words();
        let alone = words == 1 && all.len() == 1 && numbers.len() == 1;
        // With a name or a date, a plausible four-digit year is a year of
        // birth, and eight digits that are a date (`20171102`) that date.
        let with_name = !q.names.is_empty()
            || !q.first_names.is_empty()
            || !q.emails.is_empty()
            || !q.dob.is_empty()
            || q.month_day.is_some();
        for n in numbers {
            let year = (n.len() == 4)
                .then(|| n.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1900..=today.year()).contains(y))
                .map(|y| format!("{y:04}-"))
                .or_else(|| written_date::compact(&n, today));
            let letters = n.bytes().any(|b| b.is_ascii_alphabetic());
            match year {
                Some(y) if with_name => q.dob.push(y),
                Some(y) if alone => {
                    q.year_or_account = Some(n);
                    q.births = Some(y);
                }
                None if alone && letters => {
                    // `moore1033`, `jsmith82`, `doe-2`: a name, an email
                    // part or an account number.
                    q.names.clear();
                    q.punctuated.clear();
                    q.push_name_word(super::keys::name_parts(&n));
                    q.too_many_words();
                    q.mixed = Some(n.to_ascii_lowercase());
                }
                _ => q.accounts.push(n),
            }
        }
        q.narrow_dates();
        // A word cut by the limit on words keeps the parts left of it.
        let n = q.names.len();
        q.punctuated.retain_mut(|(s, e)| {
            *e = (*e).min(n);
            *e > *s + 1
        });
        q.runs = q.make_runs();
        if q.problem.is_some() {
            q.never = true;
        }
        q
    }

    /// More name words than a search reads ([`MAX_WORDS`]) is a
    /// [`PatientQuery::problem`], said to the user: words left unread
    /// would list patients who do not match them. The words are cut to
    /// the limit (the query matches nothing, and runs stay few).
    fn too_many_words(&mut self) {
        let most = self.names.len().max(self.first_names.len());
        if most > MAX_WORDS {
            self.problem.get_or_insert(format!(
                "a search reads at most {MAX_WORDS} name words (st.john is two); this one has \
                 {most}: leave some out"
            ));
        }
        self.names.truncate(MAX_WORDS);
        self.first_names.truncate(MAX_WORDS);
    }

    /// Adds a last-name word's parts, noting where a word typed with
    /// punctuation inside (several parts) lies.
    fn push_name_word(&mut self, parts: Vec<String>) {
        if parts.len() > 1 {
            let start = self.names.len();
            self.punctuated.push((start, start + parts.len()));
        }
        self.names.extend(parts);
    }

    /// Whether a word typed with punctuation inside is among the last-name
    /// words (`o'br`, `garcia-lo jo`): the last names its letters together
    /// equal or begin rank first ([`WHOLE_EXACT`], [`WHOLE_BEGINS`]).
    pub fn has_whole_runs(&self) -> bool {
        self.runs.iter().any(|r| r.whole)
    }

    /// Dates and years narrow each other (`3/7 2011`: 7 March 2011): a
    /// month and day with a year is that day; beginnings of two different
    /// years can match nobody.
    fn narrow_dates(&mut self) {
        let Some(year) = self.dob.first().and_then(|d| d.get(..4)) else {
            return;
        };
        let Ok(year) = year.parse::<i32>() else {
            return;
        };
        if let Some(md) = self.month_day.take() {
            let day = md.in_year(year);
            if md.month == 2 && md.day == 29 && !time::util::is_leap_year(year) {
                self.problem.get_or_insert(format!(
                    "29 February {year} is not a date: {year} was not a leap year"
                ));
            } else if md.holds(day.as_bytes())
                && self.dob.iter().all(|d| iso_holds(day.as_bytes(), d))
            {
                self.dob = vec![day];
            } else {
                self.never = true;
            }
        } else if self
            .dob
            .iter()
            .any(|d| d.get(..4) != Some(&format!("{year:04}")[..]))
        {
            self.never = true;
        }
    }

    fn add_date(&mut self, d: DateWord) {
        match d {
            DateWord::Iso(iso) => self.dob.push(iso),
            DateWord::MonthDay { month, day, years } => {
                let md = MonthDay { month, day, years };
                match &self.month_day {
                    Some(other) if *other != md => self.never = true,
                    _ => self.month_day = Some(md),
                }
            }
            DateWord::Unfinished => self.never = true,
            DateWord::Invalid(why) => {
                self.problem.get_or_insert(why);
            }
        }
    }

    pub fn shape(&self) -> Shape {
        if self.never {
            Shape::Never
        } else if !self.names.is_empty() || !self.first_names.is_empty() {
            Shape::Names
        } else if !self.emails.is_empty() {
            Shape::Email
        } else if !self.dob.is_empty() || self.month_day.is_some() {
            Shape::DateOfBirth
        } else if !self.accounts.is_empty() {
            Shape::AccountNumber
        } else if self.year_or_account.is_some() {
            Shape::YearOrAccount
        } else {
            Shape::All
        }
    }

    /// One word for what is being searched, for status lines.
    pub fn kind(&self) -> &'static str {
        match self.shape() {
            Shape::All => "all patients",
            Shape::Never => "nothing",
            Shape::Names if self.account_word().is_some() => "name, email or account number",
            Shape::Names if self.mixed.is_some() => "name or email",
            Shape::Names => "name",
            Shape::Email => "email",
            Shape::DateOfBirth => "date of birth",
            Shape::AccountNumber => "account number",
            Shape::YearOrAccount => "date of birth or account number",
        }
    }

    /// A single name word and nothing else: email parts are searched too.
    pub fn single_word(&self) -> bool {
        self.names.len() == 1
            && !self.comma
            && self.dob.is_empty()
            && self.accounts.is_empty()
            && self.emails.is_empty()
            && self.month_day.is_none()
            && self.mixed.is_none()
    }

    /// Whether an email part can match a word of this query (an email
    /// word, or a word typed alone that is also looked for in email
    /// parts): a patient's rank is then the best over each of its emails,
    /// its own and its guardians' logins.
    pub fn reads_emails(&self) -> bool {
        !self.emails.is_empty() || self.email_alone().is_some()
    }

    /// The word also looked for in email parts, after every name match: a
    /// single name word, or a [`PatientQuery::mixed`] word, whole (`doe-2`,
    /// `o-hara`).
    pub fn email_alone(&self) -> Option<&str> {
        match &self.mixed {
            Some(m) => Some(m),
            None => self.single_word().then(|| self.names[0].as_str()),
        }
    }

    /// A word typed alone that, after the names and emails, is also the
    /// beginning of an account number: letters, digits and dashes with a
    /// digit among them (`jsmith82`, `a-100`), in lower case. (`o-hara`,
    /// `st.john` are names and email parts only.)
    pub fn account_word(&self) -> Option<&str> {
        self.mixed.as_deref().filter(|m| {
            m.bytes().any(|b| b.is_ascii_digit())
                && m.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    }

    /// The full date of birth asked for, if one was (`YYYY-MM-DD`).
    pub fn day(&self) -> Option<&str> {
        self.dob.iter().find(|d| d.len() == 10).map(String::as_str)
    }

    /// The longest date-of-birth beginning (the narrowest).
    pub fn dob_prefix(&self) -> Option<&str> {
        self.dob.iter().max_by_key(|d| d.len()).map(String::as_str)
    }

    /// The longest account-number beginning.
    pub fn account_prefix(&self) -> Option<&str> {
        self.accounts
            .iter()
            .max_by_key(|a| a.len())
            .map(String::as_str)
    }

    /// Every run of neighbouring last-name words (single words included)
    /// that may begin the last name.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    fn make_runs(&self) -> Vec<Run> {
        let w = &self.names;
        let mut out = Vec::new();
        for start in 0..w.len() {
            let mut key = String::new();
            for end in start + 1..=w.len().min(start + MAX_RUN) {
                key.push_str(&w[end - 1]);
                let holds = |&(s, e): &(usize, usize)| start <= s && e <= end;
                let cuts = |&(s, e): &(usize, usize)| s < end && start < e && !holds(&(s, e));
                out.push(Run {
                    start,
                    end,
                    key: key.clone(),
                    whole: self.punctuated.iter().any(holds) && !self.punctuated.iter().any(cuts),
                });
            }
        }
        out
    }

    /// The words a run leaves to be matched one by one, with whether each
    /// is a first-name word (after the comma).
    pub fn others<'q>(&'q self, run: &Run) -> impl Iterator<Item = (&'q str, bool)> + 'q {
        let (s, e) = (run.start, run.end);
        self.names
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i < s || *i >= e)
            .map(|(_, w)| (w.as_str(), false))
            .chain(self.first_names.iter().map(|w| (w.as_str(), true)))
    }

    /// The word that orders matches on other name parts: the longest
    /// last-name word (any name word without a comma), the first on a tie.
    /// With a comma and no last-name word (`, jo`): the longest first-name
    /// word.
    pub fn driver(&self) -> Option<&str> {
        longest(&self.names).or_else(|| longest(&self.first_names))
    }

    /// The email word that orders an email search: the longest.
    pub fn email_driver(&self) -> Option<&str> {
        longest(&self.emails)
    }

    /// [`PatientQuery::rank`] of a whole patient (keys computed here).
    pub fn rank_patient(&self, p: &Patient) -> Option<String> {
        let (last_key, first_key) = (p.last_key(), p.first_key());
        self.rank(&Candidate {
            last_key: &last_key,
            first_key: &first_key,
            last_name: &p.last_name,
            first_name: &p.first_name,
            account_number: &p.account_number,
            date_of_birth: p.date_of_birth,
            email: p.email.as_ref().map(|e| e.as_str()),
        })
    }

    /// The rank of a patient for this query — `None` if it does not match.
    /// Ranks sort as strings: results come in the order of their ranks, and
    /// a page's cursor is the rank of its last row.
    pub fn rank(&self, c: &Candidate<'_>) -> Option<String> {
        let mut out = String::new();
        self.rank_into(c, &mut out).then_some(out)
    }

    /// [`PatientQuery::rank`] written into `out` (cleared first), so that a
    /// search reuses one buffer for every candidate; false when the patient
    /// does not match.
    pub fn rank_into(&self, c: &Candidate<'_>, out: &mut String) -> bool {
        out.clear();
        if self.never || !self.filters_pass(c) {
            return false;
        }
        // A rank is one string: a character for its kind, what orders
        // within it, then the name key.
        let ranked = |out: &mut String, head: char, parts: &[&str]| {
            out.push(head);
            for p in parts {
                out.push_str(p);
            }
            push_name_key(out, c);
            true
        };
        // `head`, the smallest part of the email `word` matches, then the
        // name key (false when no part matches).
        let by_email_part = |out: &mut String, head: char, word: &str| {
            let Some((email, start)) = c
                .email
                .and_then(|e| smallest_matching_start(e, word).map(|s| (e, s)))
            else {
                return false;
            };
            out.push(head);
            push_email_part_key(out, email, start);
            out.push_str(RANK_SEP_STR);
            push_name_key(out, c);
            true
        };
        match self.shape() {
            Shape::Never => false,
            Shape::All => ranked(out, 'n', &[]),
            Shape::AccountNumber => {
                out.push('a');
                out.push_str(c.account_number);
                true
            }
            Shape::YearOrAccount => {
                // Births first, then the account numbers beginning with it.
                let iso = iso_date(c.date_of_birth);
                if self.births.as_deref().is_some_and(|b| iso_holds(&iso, b)) {
                    let iso = std::str::from_utf8(&iso).unwrap_or("");
                    return ranked(out, 'd', &[iso, SEP_STR]);
                }
                let y = self.year_or_account.as_deref().unwrap_or("");
                if !c.account_number.starts_with(y) {
                    return false;
                }
                out.push(ACCOUNT_AFTER_BIRTHS);
                out.push_str(c.account_number);
                true
            }
            Shape::DateOfBirth => {
                let iso = iso_date(c.date_of_birth);
                let iso = std::str::from_utf8(&iso).unwrap_or("");
                ranked(out, 'd', &[iso, SEP_STR])
            }
            Shape::Email => self
                .email_driver()
                .is_some_and(|w| by_email_part(out, 'e', w)),
            Shape::Names => match self.name_tier(c) {
                Some(NameTier::Last { tier }) => ranked(out, LAST_NAME_TIERS[tier], &[]),
                Some(NameTier::Other { token }) => ranked(out, '2', &[&token, SEP_STR]),
                None => {
                    if let Some(w) = self.email_alone()
                        && by_email_part(out, '3', w)
                    {
                        return true;
                    }
                    // `a-100`, `jsmith82`: else the beginning of an
                    // account number.
                    match self.account_word() {
                        Some(m) if starts_with_ignoring_case(c.account_number, m) => {
                            out.clear();
                            out.push('a');
                            out.push_str(c.account_number);
                            true
                        }
                        _ => false,
                    }
                }
            },
        }
    }

    /// Dates, account numbers and email words: each must hold.
    pub fn filters_pass(&self, c: &Candidate<'_>) -> bool {
        if !self
            .accounts
            .iter()
            .all(|a| c.account_number.starts_with(a.as_str()))
        {
            return false;
        }
        if !self.dob.is_empty() || self.month_day.is_some() {
            let iso = iso_date(c.date_of_birth);
            if !self.dob.iter().all(|d| iso_holds(&iso, d)) {
                return false;
            }
            if self.month_day.as_ref().is_some_and(|md| !md.holds(&iso)) {
                return false;
            }
        }
        if !self.emails.is_empty() {
            let Some(email) = c.email else { return false };
            return self.emails.iter().all(|w| any_part_matches(email, w));
        }
        true
    }

    fn name_tier(&self, c: &Candidate<'_>) -> Option<NameTier> {
        let parts = Parts::new(c);
        if self.comma && !self.first_names.iter().all(|w| parts.first_token(w)) {
            return None;
        }
        // Whether each word matches a part by itself, worked out on demand
        // (on the stack: this runs for every candidate of a page).
        let alone_cache: [std::cell::Cell<Option<bool>>; MAX_WORDS] =
            std::array::from_fn(|_| std::cell::Cell::new(None));
        let alone = |i: usize| -> bool {
            let cached = alone_cache.get(i);
            if let Some(a) = cached.and_then(std::cell::Cell::get) {
                return a;
            }
            let w = self.names[i].as_str();
            let a = c.last_key.starts_with(w)
                || (!self.comma && parts.first_token(w))
                || parts.last_inner(w);
            if let Some(cell) = cached {
                cell.set(Some(a));
            }
            a
        };
        // The best of LAST_NAME_TIERS reached by a run; a query with no
        // word typed with punctuation inside can reach `0` at best.
        let floor = if self.punctuated.is_empty() { 2 } else { 0 };
        let mut best: Option<usize> = None;
        for run in &self.runs {
            if best == Some(floor) {
                break;
            }
            if !c.last_key.starts_with(run.key.as_str()) {
                continue;
            }
            let rest_ok = (0..self.names.len())
                .filter(|i| *i < run.start || *i >= run.end)
                .all(alone);
            if rest_ok {
                let exact = run.key == c.last_key;
                let tier = usize::from(!run.whole) * 2 + usize::from(!exact);
                best = Some(best.map_or(tier, |b| b.min(tier)));
            }
        }
        if let Some(tier) = best {
            return Some(NameTier::Last { tier });
        }
        if !(0..self.names.len()).all(alone) {
            return None;
        }
        // No word begins the last name: each matched another part. Order
        // by the smallest such part the driving word begins.
        let d = self.driver()?;
        let token = if self.names.is_empty() {
            parts.first_tokens().filter(|t| t.starts_with(d)).min()
        } else if self.comma {
            parts.last_inner_tokens().filter(|t| t.starts_with(d)).min()
        } else {
            parts.index_tokens().filter(|t| t.starts_with(d)).min()
        }?;
        Some(NameTier::Other {
            token: token.to_owned(),
        })
    }
}

/// The rank's first character of a match on the beginning of the last
/// name: equal to a run holding a word typed with punctuation inside whole,
/// beginning with one, equal to another run, beginning with one.
const LAST_NAME_TIERS: [char; 4] = [WHOLE_EXACT, WHOLE_BEGINS, '0', '1'];

enum NameTier {
    /// Index into [`LAST_NAME_TIERS`].
    Last {
        tier: usize,
    },
    Other {
        token: String,
    },
}

/// The name parts of a candidate, split only if and when a word needs them
/// (most searches decide on the keys alone).
struct Parts<'c> {
    last_key: &'c str,
    first_key: &'c str,
    last_name: &'c str,
    first_name: &'c str,
    last: std::cell::OnceCell<Vec<String>>,
    first: std::cell::OnceCell<Vec<String>>,
}

impl<'c> Parts<'c> {
    fn new(c: &Candidate<'c>) -> Self {
        Parts {
            last_key: c.last_key,
            first_key: c.first_key,
            last_name: c.last_name,
            first_name: c.first_name,
            last: std::cell::OnceCell::new(),
            first: std::cell::OnceCell::new(),
        }
    }

    fn last(&self) -> &[String] {
        self.last.get_or_init(|| inner_parts(self.last_name))
    }

    fn first(&self) -> &[String] {
        self.first.get_or_init(|| inner_parts(self.first_name))
    }

    /// The word begins the first name or one of its parts. (A name's key is
    /// its parts written together: a word in no part is not in the key,
    /// and the name need not be split.)
    fn first_token(&self, w: &str) -> bool {
        self.first_key.starts_with(w)
            || (holds(self.first_key, w) && self.first().iter().skip(1).any(|p| p.starts_with(w)))
    }

    /// The word begins a part of the last name other than its first.
    fn last_inner(&self, w: &str) -> bool {
        holds(self.last_key, w) && self.last().iter().skip(1).any(|p| p.starts_with(w))
    }

    fn last_inner_tokens(&self) -> impl Iterator<Item = &str> {
        self.last().iter().skip(1).map(String::as_str)
    }

    /// The first name and its parts, as the token index holds them.
    fn first_tokens(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.first_key)
            .filter(|k| !k.is_empty())
            .chain(self.first().iter().skip(1).map(String::as_str))
    }

    /// The tokens the token index holds for this patient.
    fn index_tokens(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.first_key)
            .filter(|k| !k.is_empty())
            .chain(self.first().iter().skip(1).map(String::as_str))
            .chain(self.last_inner_tokens())
    }
}

/// Whether key `h` holds word `w` (`str::contains`, without the set-up of
/// its two-way search, which costs more than a plain look on keys this
/// short: this runs for every candidate).
fn holds(h: &str, w: &str) -> bool {
    let (h, w) = (h.as_bytes(), w.as_bytes());
    let Some((&first, _)) = w.split_first() else {
        return true;
    };
    h.len() >= w.len() && (0..=h.len() - w.len()).any(|i| h[i] == first && h[i..].starts_with(w))
}

/// A name's parts, without splitting a name that is one word of letters.
fn inner_parts(name: &str) -> Vec<String> {
    if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Vec::new();
    }
    name_parts(name)
}

/// `last first ACCOUNT`: the key of the name index, and the order within
/// every rank.
pub fn name_key(c: &Candidate<'_>) -> String {
    let mut k =
        String::with_capacity(c.last_key.len() + c.first_key.len() + c.account_number.len() + 2);
    push_name_key(&mut k, c);
    k
}

fn push_name_key(k: &mut String, c: &Candidate<'_>) {
    k.push_str(c.last_key);
    k.push(KEY_SEP);
    k.push_str(c.first_key);
    k.push(KEY_SEP);
    k.push_str(c.account_number);
}

const SEP_STR: &str = " ";

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}
const RANK_SEP_STR: &str = "\u{1f}";

fn longest(words: &[String]) -> Option<&str> {
    let mut best: Option<&String> = None;
    for w in words {
        if best.is_none_or(|b| w.len() > b.len()) {
            best = Some(w);
        }
    }
    best.map(String::as_str)
}

/// The words of a search box, with dates written apart put together:
/// `3 / 7 / 2011` is `3/7/2011`, and `8-Sep-2016`, `Sep-08-2016` are
/// `8 Sep 2016`, `Sep 08 2016`.
fn date_words(text: &str) -> Vec<String> {
    let slashed = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit() || b == b'/');
    let mut out: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        if let Some(last) = out.last_mut()
            && (last.ends_with('/') || w.starts_with('/'))
            && slashed(last)
            && slashed(w)
        {
            last.push_str(w);
            continue;
        }
        if let Some(parts) = dashed_date(w) {
            out.extend(parts.iter().map(|p| (*p).to_owned()));
        } else {
            out.push(w.to_owned());
        }
    }
    out
}

/// `8-Sep-2016`, `8-sep-16`, `Sep-08-2016` (as records print dates): a
/// day, a month's name and a two- or four-digit year joined by `-` or `/`,
/// as three words. (Only all three: `MAY-100` may be an account number.)
fn dashed_date(w: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = w.split(['-', '/']).collect();
    let [a, b, year] = parts.as_slice() else {
        return None;
    };
    let digits =
        |p: &str, lens: &[usize]| lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let month =
        |p: &str| written_date::month_of(p).is_some() && p.bytes().all(|b| b.is_ascii_alphabetic());
    let day_month = (digits(a, &[1, 2]) && month(b)) || (month(a) && digits(b, &[1, 2]));
    (day_month && digits(year, &[2, 4])).then_some(parts)
}

fn classify(w: &str, today: Date) -> Word {
    if w.contains('@') {
        return Word::Email(w.to_ascii_lowercase());
    }
    if let Some(d) = written_date::numeric(w, today).or_else(|| written_date::dotted(w, today)) {
        return Word::Dob(d);
    }
    if w.bytes().any(|b| b.is_ascii_digit())
        && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Word::Number(w.to_ascii_uppercase());
    }
    let b = w.as_bytes();
    let inner_dot = (1..b.len().saturating_sub(1)).any(|i| {
        b[i] == b'.' && b[i - 1].is_ascii_alphanumeric() && b[i + 1].is_ascii_alphanumeric()
    });
    if inner_dot && w.is_ascii() {
        return Word::Dotted(w.to_ascii_lowercase());
    }
    match name_parts(w) {
        k if k.is_empty() => Word::Skip,
        k if joined_word(w) => Word::Joined(k, w.to_ascii_lowercase()),
        k => Word::Name(k),
    }
}

/// Whether a word is letters and digits with `-` `_` `+` or `'` between
/// two of them (`o'brien`, `o-hara`, `o_neil-smith+tag`): how an email's
/// local part may be written, so that it can begin a part of one.
fn joined_word(w: &str) -> bool {
    let b = w.as_bytes();
    let joiner = |c: u8| matches!(c, b'-' | b'_' | b'+' | b'\'');
    b.iter().all(|&c| c.is_ascii_alphanumeric() || joiner(c))
        && (1..b.len().saturating_sub(1)).any(|i| {
            joiner(b[i]) && b[i - 1].is_ascii_alphanumeric() && b[i + 1].is_ascii_alphanumeric()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 01 - 05);

    proptest::proptest! {
        /// The plain look for a word in a key finds what `str::contains`
        /// finds (keys of few letters, so that words often occur).
        #[test]
        fn holds_is_contains(
            h in proptest::string::string_regex("[abc1]{0,9}").unwrap(),
            w in proptest::string::string_regex("[abc1]{0,4}").unwrap(),
        ) {
            proptest::prop_assert_eq!(holds(&h, &w), h.contains(w.as_str()), "{:?} {:?}", h, w);
        }
    }

    fn q(text: &str) -> PatientQuery {
        PatientQuery::parse(text, TODAY)
    }

    fn cand<'a>(last: &'a str, first: &'a str, lk: &'a str, fk: &'a str) -> Candidate<'a> {
        Candidate {
            last_key: lk,
            first_key: fk,
            last_name: last,
            first_name: first,
            account_number: "100001",
            date_of_birth: date!(2019 - 03 - 07),
            email: Some("maria.garcia@example.com"),
        }
    }

    /// Finding 8 (fresh eyes, session 6): `2017 november`, `2016 sep`,
    /// `adams 2016 sep`, `2016 nov adams` found nobody (the month's name
    /// was a name). The year then the month's name is that month, like
    /// `Nov 2017`; `may 2016` still is; `March` alone or beside a name is
    /// still a surname.
    #[test]
    fn a_year_then_a_month_name_is_that_month() {
        for (text, names, month) in [
            ("2017 november", &[][..], "2017-11"),
            ("2016 september", &[], "2016-09"),
            ("2016 sep", &[], "2016-09"),
            ("adams 2016 sep", &["adams"], "2016-09"),
            ("2016 nov adams", &["adams"], "2016-11"),
            ("Nov 2017", &[], "2017-11"),
            ("may 2016", &[], "2016-05"),
            ("november 2017 adams", &["adams"], "2017-11"),
        ] {
            let got = q(text);
            assert_eq!(got.dob, [month], "{text}");
            assert_eq!(got.names, names, "{text}");
            assert!(got.problem.is_none(), "{text}");
        }
        for (text, names) in [
            ("march", &["march"][..]),
            ("March smith", &["march", "smith"]),
            ("may", &["may"]),
        ] {
            let got = q(text);
            assert_eq!(got.names, names, "{text}");
            assert!(got.dob.is_empty(), "{text}");
        }
        // A year with a name beside it is a year of birth, as before.
        let year = q("2016 march");
        assert_eq!(year.dob, ["2016-03"]);
        let smith = q("2016 smith");
        assert_eq!(
            (smith.dob.as_slice(), smith.names.as_slice()),
            (&["2016-".to_owned()][..], &["smith".to_owned()][..])
        );
    }

    #[test]
    fn words_are_names_dates_numbers_or_emails() {
        assert_eq!(q("  ").shape(), Shape::All);
        assert_eq!(q("O'Bri").names, ["o", "bri"]);
        assert_eq!(q("garcia-lopez, é í'a").first_names, ["e", "i", "a"]);
        let g = q("garcia, jo");
        assert!(g.comma);
        assert_eq!(
            (g.names.as_slice(), g.first_names.as_slice()),
            (&["garcia".to_owned()][..], &["jo".to_owned()][..])
        );
        assert_eq!(q("jo garcia").names, ["jo", "garcia"]);
        for (text, iso) in [
            ("2019-03-07", "2019-03-07"),
            ("2019-03", "2019-03"),
            ("2019-", "2019-"),
            ("2019-3-07", "2019-03-07"),
            ("3/7/2019", "2019-03-07"),
            ("03/07/2019", "2019-03-07"),
            ("3/7/19", "2019-03-07"),
            ("3-7-2019", "2019-03-07"),
            ("11/2/17", "2017-11-02"),
            ("1/2/30", "1930-01-02"),
            ("1/2/26", "2026-01-02"),
            ("12/31/25", "2025-12-31"),
            ("12/31/26", "1926-12-31"),
        ] {
            assert_eq!(q(text).dob, [iso], "{text}");
            assert_eq!(q(text).shape(), Shape::DateOfBirth, "{text}");
        }
        for wrong in ["2019-02-30", "13/1/2019", "2019-123", "smith 2/30"] {
            assert_eq!(q(wrong).shape(), Shape::Never, "{wrong}");
            assert!(q(wrong).problem.is_some(), "{wrong}");
        }
        for unfinished in ["3/", "2019-02-30x", "3/7-2"] {
            assert!(q(unfinished).problem.is_none(), "{unfinished}");
        }
        assert_eq!(q("3/").shape(), Shape::Never);
        let md = q("3/7");
        assert_eq!(md.shape(), Shape::DateOfBirth);
        assert_eq!(
            md.month_day,
            Some(MonthDay {
                month: 3,
                day: 7,
                years: String::new()
            })
        );
        assert_eq!(q("2019").shape(), Shape::YearOrAccount);
        assert_eq!(q("2019").births.as_deref(), Some("2019-"));
        assert_eq!(q("20171102").births.as_deref(), Some("2017-11-02"));
        assert_eq!(q("20171302").shape(), Shape::AccountNumber);
        assert_eq!(q("smith 20171102").dob, ["2017-11-02"]);
        assert_eq!(q("1899").accounts, ["1899"]);
        assert_eq!(q("2019 100").accounts, ["2019", "100"]);
        let mixed = q("Doe-2");
        assert_eq!(mixed.names, ["doe", "2"]);
        assert_eq!(mixed.mixed.as_deref(), Some("doe-2"));
        assert_eq!(mixed.email_alone(), Some("doe-2"));
        assert_eq!(q("smith jsmith82").accounts, ["JSMITH82"]);
        let written = q("smith March 7, 2019");
        assert!(!written.comma);
        assert_eq!(
            (written.names.as_slice(), written.dob.as_slice()),
            (&["smith".to_owned()][..], &["2019-03-07".to_owned()][..])
        );
        let year_first = q("2016, smith");
        assert!(year_first.comma);
        assert_eq!(year_first.first_names, ["smith"]);
        assert_eq!(year_first.dob, ["2016-"]);
        assert_eq!(q("a-100").mixed.as_deref(), Some("a-100"));
        assert_eq!(q("smith a-100").accounts, ["A-100"]);
        let s = q("smith 2016");
        assert_eq!(
            (s.names.as_slice(), s.dob.as_slice()),
            (&["smith".to_owned()][..], &["2016-".to_owned()][..])
        );
        assert_eq!(q("smith 100012").accounts, ["100012"]);
        assert_eq!(q("Maria.G@").emails, ["maria.g@"]);
        assert_eq!(q("@example.org").shape(), Shape::Email);
        // A dotted word alone: a name (its parts), then an email part.
        let dotted = q("St.John");
        assert_eq!(dotted.names, ["st", "john"]);
        assert_eq!(dotted.email_alone(), Some("st.john"));
        assert_eq!(dotted.kind(), "name or email");
        let first = q(", Mary.Ann");
        assert!(first.comma && first.names.is_empty() && first.mixed.is_none());
        assert_eq!(first.first_names, ["mary", "ann"]);
        assert_eq!(q("example.org").email_alone(), Some("example.org"));
        assert_eq!(q("jose.garcia1").mixed.as_deref(), Some("jose.garcia1"));
        // With other words, an email word.
        assert_eq!(q("smith example.org").emails, ["example.org"]);
        assert_eq!(q("jose.garcia1 smith").shape(), Shape::Names);
        // A dot at the end or between words is punctuation in a name.
        assert_eq!(q("st. john").names, ["st", "john"]);
        assert_eq!(q("maria.").names, ["maria"]);
        assert!(q("moore").single_word());
        let first = q(", jo");
        assert!(first.comma && first.names.is_empty());
        assert_eq!(first.first_names, ["jo"]);
        assert_eq!(first.shape(), Shape::Names);
    }

    #[test]
    fn a_word_with_a_hyphen_underscore_plus_or_apostrophe_alone_is_a_name_then_an_email_part() {
        // Fresh tester F4: `o-hara` found O'Hara but not a guardian's login
        // `Quinn.O-Hara+kids@Step-Family.test`.
        for (text, parts) in [
            ("o-hara", &["o", "hara"][..]),
            ("O-Hara+Kids", &["o", "hara", "kids"]),
            ("hara+kids", &["hara", "kids"]),
            ("step-family", &["step", "family"]),
            ("o_neil", &["o", "neil"]),
            ("o_neil-smith+tag", &["o", "neil", "smith", "tag"]),
            ("evil'o", &["evil", "o"]),
            ("O'Brien", &["o", "brien"]),
            ("garcia-lopez", &["garcia", "lopez"]),
        ] {
            let w = q(text);
            assert_eq!(w.names, parts, "{text}");
            assert_eq!(w.shape(), Shape::Names, "{text}");
            let lower = text.to_ascii_lowercase();
            assert_eq!(w.email_alone(), Some(lower.as_str()), "{text}");
            assert_eq!(w.account_word(), None, "{text}: no account number");
            assert_eq!(w.kind(), "name or email", "{text}");
        }
        // Beside a date, a year or a number only, still alone (fresh s7
        // F2): a name then an email part, narrowed by the date.
        for (text, word) in [
            ("garcia-lopez 2019", "garcia-lopez"),
            ("o-hara 11/2/17", "o-hara"),
            ("st.john 7/2016", "st.john"),
            ("2016-07 mac.donald", "mac.donald"),
        ] {
            let w = q(text);
            assert_eq!(w.email_alone(), Some(word), "{text}");
            assert!(!w.dob.is_empty(), "{text}");
        }
        // With other name words, or after a comma, a name only (as before).
        for text in ["o-hara quinn", "quinn o'brien"] {
            let w = q(text);
            assert_eq!(
                (w.mixed.as_deref(), w.email_alone()),
                (None, None),
                "{text}"
            );
        }
        assert_eq!(q("quinn o-hara").names, ["quinn", "o", "hara"]);
        let first = q(", mary-ann");
        assert_eq!(first.first_names, ["mary", "ann"]);
        assert_eq!(first.mixed, None);
        // Punctuation at an end is no joiner: a plain name word (which a
        // single word searches in emails anyway).
        for text in ["o-", "-hara", "hara'"] {
            assert_eq!(q(text).mixed, None, "{text}");
            assert!(q(text).single_word(), "{text}");
        }
        // A letter that is no ASCII cannot be in an email: a name only.
        assert_eq!(q("garcía-lópez").mixed, None);
        assert_eq!(q("garcía-lópez").names, ["garcia", "lopez"]);
        // Digits and dashes stay what they were: also an account number.
        assert_eq!(q("doe-2").account_word(), Some("doe-2"));
        assert_eq!(q("doe-2").kind(), "name, email or account number");
        assert_eq!(q("smith_2").account_word(), None);
        assert_eq!(q("smith_2").email_alone(), Some("smith_2"));
        assert_eq!(q("jose.garcia1").account_word(), None);
    }

    #[test]
    fn a_joined_word_ranks_its_name_matches_before_its_email_matches() {
        let mut ohara = cand("O'Hara", "Quinn", "ohara", "quinn");
        ohara.email = None;
        let mut kid = cand("Flores", "Ana", "flores", "ana");
        kid.email = Some("quinn.o-hara+kids@step-family.test");
        let mut jones = cand("Smith-Jones", "Ava", "smithjones", "ava");
        jones.email = Some("smith-jones.fan@example.org");
        for text in ["o-hara", "o'hara", "O'Hara"] {
            assert!(
                q(text).rank(&ohara).unwrap().starts_with(WHOLE_EXACT),
                "{text}"
            );
        }
        let r = q("o-hara").rank(&kid).unwrap();
        assert!(r.starts_with("3o-hara+kids@"), "{r}");
        assert!(q("o-hara").rank(&ohara) < q("o-hara").rank(&kid));
        for text in ["hara+kids", "step-family", "o-hara+kids", "quinn.o-hara"] {
            assert!(
                q(text).rank(&kid).is_some_and(|r| r.starts_with('3')),
                "{text}"
            );
        }
        // `o'hara` is no part of `o-hara`: an email is matched as written.
        assert_eq!(q("o'hara").rank(&kid), None);
        // The name first, then the email part, for the same patient.
        assert!(
            q("smith-jones")
                .rank(&jones)
                .unwrap()
                .starts_with(WHOLE_EXACT)
        );
        let mut other = cand("Brown", "Leo", "brown", "leo");
        other.email = Some("smith-jones.fan@example.org");
        assert!(q("smith-jones").rank(&other).unwrap().starts_with('3'));
        assert_eq!(q("smith-jones leo").rank(&other), None, "a name only");
    }

    /// Finding 6 (fresh eyes, session 6): `o'br` listed 232 Browns (first
    /// names O…) before O'Brien. A word typed with punctuation inside is one
    /// surname: its letters together first, then its parts apart.
    #[test]
    fn a_word_typed_with_punctuation_ranks_its_letters_together_first() {
        let o_brien = cand("O'Brien", "Liam", "obrien", "liam");
        let obrien = cand("Obrien", "Ada", "obrien", "ada");
        let obr = cand("Obr", "Ada", "obr", "ada");
        let brown = cand("Brown", "Oliver", "brown", "oliver");
        let brien = cand("Brien", "Oliver", "brien", "oliver");
        let head = |text: &str, c: &Candidate<'_>| q(text).rank(c).and_then(|r| r.chars().next());
        for text in ["o'br", "O-Br", "o_br", "o’br", "o.br"] {
            assert_eq!(head(text, &o_brien), Some(WHOLE_BEGINS), "{text}");
            assert_eq!(head(text, &obrien), Some(WHOLE_BEGINS), "{text}");
            assert_eq!(head(text, &obr), Some(WHOLE_EXACT), "{text}");
            assert_eq!(head(text, &brown), Some('1'), "{text}");
            assert!(q(text).rank(&o_brien) < q(text).rank(&brown), "{text}");
        }
        assert_eq!(head("o'brien", &o_brien), Some(WHOLE_EXACT));
        assert_eq!(head("o'brien", &brien), Some('0'), "its parts apart");
        assert!(q("o'brien").rank(&o_brien) < q("o'brien").rank(&brien));
        // With other words too: the run holding the word whole.
        assert_eq!(head("o'br li", &o_brien), Some(WHOLE_BEGINS));
        assert_eq!(head("li o'br", &o_brien), Some(WHOLE_BEGINS));
        let mut brown_li = brown;
        brown_li.first_key = "olivia";
        assert_eq!(head("o'br ol", &brown_li), Some('1'));
        // Typed with a space it is two words, as before: name order.
        for text in ["o br", "o brien"] {
            assert!(!q(text).has_whole_runs(), "{text}");
            assert!(matches!(head(text, &o_brien), Some('0' | '1')), "{text}");
        }
        assert_eq!(head("o br", &brown), Some('1'));
        assert!(q("o br").rank(&brown) < q("o br").rank(&o_brien));
        // After a comma it is a first name: nothing changes.
        assert!(!q("smith, o'br").has_whole_runs());
        let jose = cand("García-López", "José", "garcialopez", "jose");
        assert_eq!(head("garcia-lo", &jose), Some(WHOLE_BEGINS));
        assert_eq!(head("garcía-lópez", &jose), Some(WHOLE_EXACT));
        let runs = q("o'br smith-jo").runs().to_vec();
        let whole: Vec<&str> = runs
            .iter()
            .filter(|r| r.whole)
            .map(|r| r.key.as_str())
            .collect();
        assert_eq!(
            whole,
            ["obr", "obrsmithjo", "smithjo"],
            "no run cuts a word"
        );
    }

    #[test]
    fn dates_and_years_narrow_each_other() {
        for text in [
            "3/7 2011",
            "2011 3/7",
            "2011-03-07 2011",
            "7 mar 2011",
            "2011 2011-03 3/7",
        ] {
            let d = q(text);
            assert_eq!(d.day(), Some("2011-03-07"), "{text}");
            assert_eq!(
                (d.shape(), d.month_day),
                (Shape::DateOfBirth, None),
                "{text}"
            );
        }
        assert_eq!(q("2016 2016-03").dob_prefix(), Some("2016-03"));
        assert_eq!(q("2016 2017-03").shape(), Shape::Never);
        assert_eq!(q("3/7/201 2011").dob, ["2011-03-07"]);
        assert_eq!(q("3/7/200 2011").shape(), Shape::Never);
        assert_eq!(
            q("2/29 2019").shape(),
            Shape::Never,
            "no 29 February in 2019"
        );
        assert_eq!(q("3/7 100234").accounts, ["100234"]);
    }

    #[test]
    fn written_dates_apart_are_put_together() {
        assert_eq!(q("3 / 7 / 2011").dob, ["2011-03-07"]);
        assert_eq!(q("3/ 7/ 2011").dob, ["2011-03-07"]);
        for text in [
            "8-Sep-2016",
            "8-sep-16",
            "Sep-08-2016",
            "Sep/8/2016",
            "2016.09.08",
            "8.9.2016",
        ] {
            assert_eq!(q(text).dob, ["2016-09-08"], "{text}");
        }
        assert_eq!(q("garcia-lopez").names, ["garcia", "lopez"]);
        assert_eq!(
            q("MAY-100").mixed.as_deref(),
            Some("may-100"),
            "an account number"
        );
        assert_eq!(q("smith DEC-2019-7").accounts, ["DEC-2019-7"]);
        assert_eq!(q("may-smith").names, ["may", "smith"]);
        assert_eq!(q("3/ smith").names, ["smith"]);
    }

    #[test]
    fn ranks_exact_last_name_then_beginning_then_other_parts_then_email() {
        let jose = cand("García-López", "José", "garcialopez", "jose");
        let rank = |text: &str| q(text).rank(&jose);
        assert!(rank("garcia lopez, jose").unwrap().starts_with('0'));
        assert!(rank("garcia, jo").unwrap().starts_with('1'));
        assert!(rank("jo garcia").unwrap().starts_with('1'));
        assert!(rank("lopez jose").unwrap().starts_with("2lopez "));
        assert!(rank("jose").unwrap().starts_with("2jose "));
        assert!(rank("lopez, jose").unwrap().starts_with("2lopez "));
        assert_eq!(rank("jose, garcia"), None, "first name is not a last name");
        assert_eq!(rank("garcia, lopez"), None);
        assert!(rank("garcia 2019").is_some());
        assert!(rank("garcia 3/7/19").is_some());
        assert_eq!(rank("garcia 2018"), None);
        assert!(
            rank("maria")
                .unwrap()
                .starts_with("3maria.garcia@example.com ")
        );
        assert_eq!(rank("maria garcia"), None, "email words are single words");
        assert!(rank("garcia @example.com").is_some());
        assert_eq!(rank("garcia @example.org"), None);
        let obrien = cand("Obrien", "Seán", "obrien", "sean");
        assert!(q("o brien").rank(&obrien).unwrap().starts_with('0'));
        assert!(q("sean o").rank(&obrien).unwrap().starts_with('1'));
        assert_eq!(q("brien").rank(&obrien), None);
        let o_brien = cand("O'Brien", "Seán", "obrien", "sean");
        assert!(q("brien").rank(&o_brien).unwrap().starts_with("2brien "));
    }
}
