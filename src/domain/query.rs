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
//!   after it first-name words;
//! - a date of birth as `YYYY-MM-DD` (or any beginning of it while typing,
//!   `YYYY-MM`), `M/D/YYYY`, `M/D/YY` (a year within the last 100 years),
//!   `M-D-YYYY` or `M-D-YY`; with a name, a four-digit year too (`smith 2016`);
//! - letters, digits and dashes with a digit: the beginning of an account
//!   number;
//! - a word with `@`, or with a dot inside it: the beginning of a part of
//!   the e-correspondent email (`moore`, `@example.org`, `maria.g`);
//! - a single name word alone also finds, after every name match, the
//!   patients whose email has a part beginning with it.
//!
//! Every word must match. Results are ranked: the last name equal to a word
//! (or neighbouring words) first, then last names beginning with one, then
//! matches on other name parts (by that part), then email matches; within
//! each, by last name, first name and account number.
//!
//! [`PatientQuery::rank`] is the whole definition: a plain scan over every
//! patient that keeps those it ranks, in the order of their rank, gives
//! exactly what the indexes give (`tests/properties.rs` checks it).

use time::Date;

use super::keys::{
    any_part_matches, iso_date, name_parts, push_email_part_key, smallest_matching_start,
};
use super::patient::Patient;

pub use super::keys::KEY_SEP;

/// Longest run of neighbouring words read together as the last name.
pub const MAX_RUN: usize = 4;
/// Name words beyond this many are ignored (nobody types more).
pub const MAX_WORDS: usize = 12;

/// Separates the email part from the name in an email-ordered rank. Below
/// every character an email or a name key holds.
pub const RANK_SEP: char = '\u{1f}';

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
    /// Something typed can match no patient (an impossible or unfinished date).
    pub never: bool,
    /// [`PatientQuery::runs`], worked out once.
    runs: Vec<Run>,
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
}

enum Word {
    /// The parts of a name word (`o'brien`: `o`, `brien`).
    Name(Vec<String>),
    Email(String),
    Dob(String),
    Number(String),
    Never,
    /// Punctuation only: nothing to match.
    Skip,
}

impl PatientQuery {
    /// Reads a search box. `today` places two-digit years.
    pub fn parse(text: &str, today: Date) -> PatientQuery {
        let t = text.trim();
        let (left, right, comma) = match t.split_once(',') {
            Some((l, r)) => (l, r, true),
            None => (t, "", false),
        };
        let mut q = PatientQuery {
            comma,
            ..PatientQuery::default()
        };
        let mut numbers = Vec::new();
        for (side, words) in [(0, left), (1, right)] {
            for w in words.split_whitespace() {
                match classify(w, today) {
                    Word::Name(k) if side == 0 => q.names.extend(k),
                    Word::Name(k) => q.first_names.extend(k),
                    Word::Email(e) => q.emails.push(e),
                    Word::Dob(d) => q.dob.push(d),
                    Word::Number(n) => numbers.push(n),
                    Word::Never => q.never = true,
                    Word::Skip => {}
                }
            }
        }
        if q.comma && q.names.is_empty() {
            // ", jo": no last name given; the words are plain name words.
            q.names = std::mem::take(&mut q.first_names);
            q.comma = false;
        }
        q.names.truncate(MAX_WORDS);
        q.first_names.truncate(MAX_WORDS);
        q.runs = q.make_runs();
        // With a name, a plausible four-digit year is a year of birth.
        let with_name = !q.names.is_empty() || !q.emails.is_empty();
        for n in numbers {
            let year = (n.len() == 4)
                .then(|| n.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1900..=today.year()).contains(y));
            match year {
                Some(y) if with_name => q.dob.push(format!("{y:04}-")),
                _ => q.accounts.push(n),
            }
        }
        q
    }

    pub fn shape(&self) -> Shape {
        if self.never {
            Shape::Never
        } else if !self.names.is_empty() {
            Shape::Names
        } else if !self.emails.is_empty() {
            Shape::Email
        } else if !self.dob.is_empty() {
            Shape::DateOfBirth
        } else if !self.accounts.is_empty() {
            Shape::AccountNumber
        } else {
            Shape::All
        }
    }

    /// One word for what is being searched, for status lines.
    pub fn kind(&self) -> &'static str {
        match self.shape() {
            Shape::All => "all patients",
            Shape::Never => "nothing",
            Shape::Names => "name",
            Shape::Email => "email",
            Shape::DateOfBirth => "date of birth",
            Shape::AccountNumber => "account number",
        }
    }

    /// A single name word and nothing else: email parts are searched too.
    pub fn single_word(&self) -> bool {
        self.names.len() == 1
            && !self.comma
            && self.dob.is_empty()
            && self.accounts.is_empty()
            && self.emails.is_empty()
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
                out.push(Run {
                    start,
                    end,
                    key: key.clone(),
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
    pub fn driver(&self) -> Option<&str> {
        longest(&self.names)
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
            Shape::DateOfBirth => {
                let iso = iso_date(c.date_of_birth);
                let iso = std::str::from_utf8(&iso).unwrap_or("");
                ranked(out, 'd', &[iso, SEP_STR])
            }
            Shape::Email => self
                .email_driver()
                .is_some_and(|w| by_email_part(out, 'e', w)),
            Shape::Names => match self.name_tier(c) {
                Some(NameTier::Last { exact }) => ranked(out, if exact { '0' } else { '1' }, &[]),
                Some(NameTier::Other { token }) => ranked(out, '2', &[&token, SEP_STR]),
                None if self.single_word() => by_email_part(out, '3', &self.names[0]),
                None => false,
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
        if !self.dob.is_empty() {
            let iso = iso_date(c.date_of_birth);
            if !self.dob.iter().all(|d| iso.starts_with(d.as_bytes())) {
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
        let mut best: Option<bool> = None;
        for run in &self.runs {
            if best == Some(true) {
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
                best = Some(best.unwrap_or(false) || exact);
            }
        }
        if let Some(exact) = best {
            return Some(NameTier::Last { exact });
        }
        if !(0..self.names.len()).all(alone) {
            return None;
        }
        // No word begins the last name: each matched another part. Order
        // by the smallest such part the driving word begins.
        let d = self.driver()?;
        let token = if self.comma {
            parts.last_inner_tokens().filter(|t| t.starts_with(d)).min()
        } else {
            parts.index_tokens().filter(|t| t.starts_with(d)).min()
        }?;
        Some(NameTier::Other {
            token: token.to_owned(),
        })
    }
}

enum NameTier {
    Last { exact: bool },
    Other { token: String },
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
            || (self.first_key.contains(w) && self.first().iter().skip(1).any(|p| p.starts_with(w)))
    }

    /// The word begins a part of the last name other than its first.
    fn last_inner(&self, w: &str) -> bool {
        self.last_key.contains(w) && self.last().iter().skip(1).any(|p| p.starts_with(w))
    }

    fn last_inner_tokens(&self) -> impl Iterator<Item = &str> {
        self.last().iter().skip(1).map(String::as_str)
    }

    /// The tokens the token index holds for this patient.
    fn index_tokens(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.first_key)
            .filter(|k| !k.is_empty())
            .chain(self.first().iter().skip(1).map(String::as_str))
            .chain(self.last_inner_tokens())
    }
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

fn classify(w: &str, today: Date) -> Word {
    if w.contains('@') {
        return Word::Email(w.to_ascii_lowercase());
    }
    if let Some(d) = date_word(w, today) {
        return d;
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
        return Word::Email(w.to_ascii_lowercase());
    }
    match name_parts(w) {
        k if k.is_empty() => Word::Skip,
        k => Word::Name(k),
    }
}

/// A date-shaped word: `Some(Dob)` with the ISO beginning it stands for,
/// `Some(Never)` for an impossible or unfinished one, `None` if it is not
/// date-shaped.
fn date_word(w: &str, today: Date) -> Option<Word> {
    let groups: Vec<&str> = w.split(['-', '/']).collect();
    let numeric = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if !w.contains(['-', '/']) || !groups.iter().all(|g| numeric(g)) {
        return None;
    }
    let slash = w.contains('/');
    if slash && w.contains('-') {
        return Some(Word::Never);
    }
    // ISO, or its beginning: YYYY-, YYYY-M, YYYY-MM-, YYYY-MM-D...
    if !slash && groups[0].len() == 4 && groups.len() <= 3 {
        let mut iso = groups[0].to_owned();
        if groups.len() >= 2 {
            iso.push('-');
            let m = groups[1];
            if m.len() > 2 || (groups.len() == 3 && m.is_empty()) {
                return Some(Word::Never);
            }
            // A one-digit month followed by a day is padded: 2019-3-07.
            if m.len() == 1 && groups.len() == 3 {
                iso.push('0');
            }
            iso.push_str(m);
        }
        if groups.len() == 3 {
            iso.push('-');
            let d = groups[2];
            if d.len() > 2 {
                return Some(Word::Never);
            }
            iso.push_str(d);
            if d.len() == 2 {
                return Some(full_date(&iso).map_or(Word::Never, Word::Dob));
            }
        }
        return Some(Word::Dob(iso));
    }
    // M/D/YYYY, M/D/YY, M-D-YYYY, M-D-YY.
    if groups.len() == 3
        && (1..=2).contains(&groups[0].len())
        && (1..=2).contains(&groups[1].len())
        && (groups[2].len() == 4 || groups[2].len() == 2)
    {
        let m: u8 = groups[0].parse().ok()?;
        let d: u8 = groups[1].parse().ok()?;
        let mut y: i32 = groups[2].parse().ok()?;
        let two_digit = groups[2].len() == 2;
        if two_digit {
            y += today.year() - today.year().rem_euclid(100);
        }
        let Some(mut date) = full_date(&format!("{y:04}-{m:02}-{d:02}")) else {
            return Some(Word::Never);
        };
        if two_digit && date > today.to_string() {
            // Within the last 100 years: 19 → 2019, 30 → 1930 (in 2026).
            match full_date(&format!("{:04}-{m:02}-{d:02}", y - 100)) {
                Some(earlier) => date = earlier,
                None => return Some(Word::Never),
            }
        }
        return Some(Word::Dob(date));
    }
    if slash {
        // An unfinished US date (3/7/2) or another shape with slashes.
        return Some(Word::Never);
    }
    // Digits and dashes otherwise (10-12, 1-2-3): an account number.
    None
}

fn full_date(iso: &str) -> Option<String> {
    super::patient::parse_date(iso).ok().map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 01 - 05);

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
        for never in ["2019-02-30", "13/1/2019", "3/7/2", "3/7", "2019-123"] {
            assert_eq!(q(never).shape(), Shape::Never, "{never}");
        }
        assert_eq!(q("2019").accounts, ["2019"]);
        assert_eq!(q("a-100").accounts, ["A-100"]);
        let s = q("smith 2016");
        assert_eq!(
            (s.names.as_slice(), s.dob.as_slice()),
            (&["smith".to_owned()][..], &["2016-".to_owned()][..])
        );
        assert_eq!(q("smith 100012").accounts, ["100012"]);
        assert_eq!(q("Maria.G@").emails, ["maria.g@"]);
        assert_eq!(q("@example.org").shape(), Shape::Email);
        assert_eq!(q("example.org").emails, ["example.org"]);
        assert_eq!(q("jose.garcia1").shape(), Shape::Email);
        // A dot at the end or between words is punctuation in a name.
        assert_eq!(q("st. john").names, ["st", "john"]);
        assert_eq!(q("maria.").names, ["maria"]);
        assert!(q("moore").single_word());
        assert_eq!(q(", jo").names, ["jo"]);
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
