//! Dates of birth as people write them in a search box: `2019-03-07`,
//! `2019/03/07`, `2019.03.07`, `3/7/2019`, `3/7/19`, `3-7-2019`, `3/7`
//! (any year), `3/2019` (a month), `7.3.2019` (dots: day first),
//! `20190307`, `7 Mar 2019`, `Thu 7 Mar 2019`, `Mar 7 2019`,
//! `March 7th, 2019`, `Mar 2019` — and their beginnings while typing. A form that cannot become a date whatever
//! is typed next (`13/1/2019`, `2/30`, `2019-13`) is said to be wrong, in
//! one sentence; a form on its way to one (`2/3`, `2019-0`) never is.

use time::{Date, Month};

/// What a date-shaped word (or phrase) stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateWord {
    /// A beginning of the ISO date (`2019-03-07`, `2019-03`, `2019-`).
    Iso(String),
    /// A month and day in any year whose digits begin with `years` (empty:
    /// any year).
    MonthDay { month: u8, day: u8, years: String },
    /// On its way to a date: matches nothing yet, and nothing is wrong.
    Unfinished,
    /// Not a date, whatever comes next: why, as one sentence.
    Invalid(String),
}

/// A word of digits with `-` or `/` between them; `None` when it is not
/// date-shaped (digits and dashes otherwise are an account number).
pub fn numeric(w: &str, today: Date) -> Option<DateWord> {
    if !w.contains(['-', '/']) {
        return None;
    }
    let groups: Vec<&str> = w.split(['-', '/']).collect();
    if !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let slash = w.contains('/');
    if slash && w.contains('-') {
        return Some(DateWord::Unfinished);
    }
    if groups[0].len() == 4 && groups.len() <= 3 {
        return Some(year_first(w, &groups));
    }
    let us = (1..=2).contains(&groups[0].len())
        && (1..=2).contains(&groups[1].len())
        && groups.len() == 3
        && matches!(groups[2].len(), 2 | 4);
    if !slash && !us {
        // Digits and dashes otherwise (10-12, 1-2-3): an account number.
        return None;
    }
    Some(month_first(w, &groups, today))
}

/// A word of digits with dots between them: `2016.09.08` (year first) or
/// `25.12.2020`, `2.11.17`, `25.12` (day first, as in Europe: with dots the
/// day always comes first), and their beginnings while typing; `None`
/// when it is not date-shaped.
pub fn dotted(w: &str, today: Date) -> Option<DateWord> {
    let groups: Vec<&str> = w.split('.').collect();
    let digits = |g: &&str| g.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&groups.len())
        || groups[0].is_empty()
        || groups[1].is_empty()
        || !groups.iter().all(digits)
    {
        return None;
    }
    if groups[0].len() == 4 {
        return Some(year_first(w, &groups));
    }
    let (d, m) = (groups[0], groups[1]);
    if d.len() > 2 || m.len() > 2 {
        return Some(DateWord::Invalid(format!(
            "{} is not a date: with dots the day comes first (day.month.year), as 25.12.2020",
            shown(w)
        )));
    }
    let (day, month): (u8, u8) = (d.parse().unwrap_or(0), m.parse().unwrap_or(0));
    if month == 0 && m.len() == 1 && groups.len() == 2 {
        // `25.0` on the way to `25.09`.
        return Some(DateWord::Unfinished);
    }
    if !(1..=12).contains(&month) {
        return Some(DateWord::Invalid(no_month(w, "day.month.year")));
    }
    if day == 0 {
        return Some(DateWord::Invalid(format!(
            "{} is not a date: there is no day 0",
            shown(w)
        )));
    }
    if day > days_in(month, None) {
        return Some(DateWord::Invalid(too_many_days(w, month, day, None)));
    }
    let y = groups.get(2).copied().unwrap_or("");
    Some(month_day_year(w, month, day, y, today))
}

/// Eight digits that are a date of birth written without separators
/// (`20171102`): the ISO date, when it is one in 1900 to this year.
pub fn compact(w: &str, today: Date) -> Option<String> {
    if w.len() != 8 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = w[..4].parse().ok()?;
    let month = Month::try_from(w[4..6].parse::<u8>().ok()?).ok()?;
    let day: u8 = w[6..].parse().ok()?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    (year >= 1900 && date <= today).then(|| format!("{date}"))
}

/// Whether an ISO date (`YYYY-MM-DD`) holds a date-of-birth beginning.
/// A beginning whose last month or day has one digit other than 0 holds
/// that month or day itself as well as the longer ones it begins:
/// `2017-11-2` is the 2nd and the 20th to 29th, `2017-1` January and
/// October to December.
pub fn iso_holds(iso: &[u8], prefix: &str) -> bool {
    iso.starts_with(prefix.as_bytes())
        || padded(prefix).is_some_and(|p| iso.starts_with(p.as_bytes()))
}

/// The ranges of the date index that hold the dates `prefix` holds, in
/// order: `2017-11-02` then `2017-11-2` for `2017-11-2`.
pub fn iso_ranges(prefix: &str) -> Vec<String> {
    match padded(prefix) {
        Some(p) => vec![p, prefix.to_owned()],
        None => vec![prefix.to_owned()],
    }
}

/// `2017-11-2` → `2017-11-02`, `2017-1` → `2017-01`; `None` for every
/// other beginning.
fn padded(prefix: &str) -> Option<String> {
    let b = prefix.as_bytes();
    let n = b.len();
    let one_digit = (n == 6 || n == 9) && b[n - 2] == b'-' && (b'1'..=b'9').contains(&b[n - 1]);
    one_digit.then(|| format!("{}0{}", &prefix[..n - 1], &prefix[n - 1..]))
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`, or a beginning of it.
fn year_first(w: &str, g: &[&str]) -> DateWord {
    let year: i32 = g[0].parse().unwrap_or(0);
    let mut iso = format!("{}-", g[0]);
    let m = g[1];
    let with_day = g.len() == 3;
    let month = match (m.len(), with_day) {
        (0, false) => return DateWord::Iso(iso),
        (0, true) => return DateWord::Unfinished,
        // `2019-0`, `2019-1`: on the way to a two-digit month.
        (1, false) if m <= "1" => {
            iso.push_str(m);
            return DateWord::Iso(iso);
        }
        (1 | 2, _) => m.parse::<u8>().unwrap_or(0),
        _ => return DateWord::Invalid(no_month(w, "year-month-day")),
    };
    if !(1..=12).contains(&month) {
        return DateWord::Invalid(no_month(w, "year-month-day"));
    }
    iso.push_str(&format!("{month:02}"));
    if !with_day {
        return DateWord::Iso(iso);
    }
    iso.push('-');
    let d = g[2];
    match d.len() {
        0 => DateWord::Iso(iso),
        1 if d <= "3" => {
            // `2019-03-0`: on the way to two digits; `2019-03-2`: the 2nd,
            // or on the way to the 20th to 29th (see [`iso_holds`]).
            iso.push_str(d);
            DateWord::Iso(iso)
        }
        1 | 2 => {
            let day: u8 = d.parse().unwrap_or(0);
            full(w, year, month, day)
        }
        _ => DateWord::Invalid(format!(
            "{} is not a date: a day has one or two digits (year-month-day)",
            shown(w)
        )),
    }
}

/// `M/D/YYYY`, `M/D/YY`, `M-D-YYYY`, `M-D-YY`; with slashes also `M/D`
/// (any year) and the beginnings of all of these.
fn month_first(w: &str, g: &[&str], today: Date) -> DateWord {
    if g.len() > 3 || g[0].is_empty() || g[0].len() > 2 {
        return DateWord::Invalid(format!(
            "{} is not a date: write month/day/year, as 3/7/2019",
            shown(w)
        ));
    }
    let month: u8 = g[0].parse().unwrap_or(0);
    let day_typed = g[1];
    // `0` on the way to `03`, but `00` or `13` can become no month.
    if month > 12 || (month == 0 && (g[0].len() == 2 || !day_typed.is_empty())) {
        return DateWord::Invalid(month_comes_first(w, g));
    }
    if day_typed.is_empty() {
        return DateWord::Unfinished;
    }
    if g.len() == 2 && day_typed.len() == 4 && month > 0 {
        // `11/2017`: a month and year, as on an insurance card.
        return DateWord::Iso(format!("{day_typed}-{month:02}"));
    }
    if g.len() == 2 && day_typed.len() == 3 && month > 0 {
        // `11/201`: on the way to `11/2017`.
        return DateWord::Unfinished;
    }
    if day_typed.len() > 2 {
        return DateWord::Invalid(format!(
            "{} is not a date: a day has one or two digits (month/day/year)",
            shown(w)
        ));
    }
    let day: u8 = day_typed.parse().unwrap_or(0);
    if day == 0 {
        return if day_typed.len() == 1 && g.len() == 2 {
            DateWord::Unfinished
        } else {
            DateWord::Invalid(format!("{} is not a date: there is no day 0", shown(w)))
        };
    }
    if day > days_in(month, None) {
        return DateWord::Invalid(too_many_days(w, month, day, None));
    }
    let y = g.get(2).copied().unwrap_or("");
    month_day_year(w, month, day, y, today)
}

/// A month and a day that exist in some year, with the year as typed
/// (perhaps not yet, or not wholly).
fn month_day_year(w: &str, month: u8, day: u8, y: &str, today: Date) -> DateWord {
    match y.len() {
        // `3/7`, `3/7/`, `3/7/2` on the way to `3/7/2019` or `3/7/19`.
        0 | 1 => DateWord::MonthDay {
            month,
            day,
            years: String::new(),
        },
        3 => DateWord::MonthDay {
            month,
            day,
            years: y.to_owned(),
        },
        2 => {
            // Within the last 100 years: 19 → 2019, 30 → 1930 (in 2026).
            let yy: i32 = y.parse().unwrap_or(0);
            let mut year = today.year() - today.year().rem_euclid(100) + yy;
            let this = (year, month, day);
            if this > (today.year(), u8::from(today.month()), today.day()) {
                year -= 100;
            }
            full(w, year, month, day)
        }
        4 => full(w, y.parse().unwrap_or(0), month, day),
        _ => DateWord::Invalid(format!(
            "{} is not a date: a year has four digits (or two)",
            shown(w)
        )),
    }
}

/// A whole date: the ISO date, or why it is none.
fn full(w: &str, year: i32, month: u8, day: u8) -> DateWord {
    if day == 0 {
        return DateWord::Invalid(format!("{} is not a date: there is no day 0", shown(w)));
    }
    if day > days_in(month, Some(year)) {
        return DateWord::Invalid(too_many_days(w, month, day, Some(year)));
    }
    DateWord::Iso(format!("{year:04}-{month:02}-{day:02}"))
}

/// Days in `month` of `year` (29 for February of no year in particular).
fn days_in(month: u8, year: Option<i32>) -> u8 {
    let Ok(m) = Month::try_from(month) else {
        return 0;
    };
    time::util::days_in_month(m, year.unwrap_or(2000))
}

fn month_name(month: u8) -> String {
    Month::try_from(month).map_or_else(|_| month.to_string(), |m| m.to_string())
}

fn too_many_days(w: &str, month: u8, day: u8, year: Option<i32>) -> String {
    let w = shown(w);
    let (name, most) = (month_name(month), days_in(month, year));
    match year {
        Some(y) if month == 2 && day == 29 => {
            format!("{w} is not a date: {y} was not a leap year, so February had 28 days")
        }
        _ if day > 31 => format!("{w} is not a date: no month has {day} days"),
        Some(y) => format!("{w} is not a date: {name} {y} had {most} days"),
        None if month == 2 => format!("{w} is not a date: February has at most 29 days"),
        None => format!("{w} is not a date: {name} has {most} days"),
    }
}

fn no_month(w: &str, order: &str) -> String {
    format!("{} is not a date: a month is 1 to 12 ({order})", shown(w))
}

/// `13/1/2019`: the month is too big; if swapping makes a date, say so.
fn month_comes_first(w: &str, g: &[&str]) -> String {
    let (m, d) = (g[0], g[1]);
    let swapped = d.parse::<u8>().is_ok_and(|d| (1..=12).contains(&d));
    if swapped && g.len() == 3 && m.parse::<u8>().is_ok_and(|m| (1..=31).contains(&m)) {
        format!(
            "{} is not a date: months come first (month/day/year), so perhaps {d}/{m}/{}",
            shown(w),
            g[2]
        )
    } else {
        no_month(w, "month/day/year")
    }
}

fn shown(w: &str) -> String {
    super::text::printable(w)
}

/// `jan`, `January`, `Sept.`, any case (a trailing `.` or `,` allowed).
pub fn month_of(word: &str) -> Option<u8> {
    let w = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|n| {
            *n == w
                || (w.len() == 3 && n.starts_with(w.as_str()))
                || (w == "sept" && *n == "september")
        })
        .map(|i| i as u8 + 1)
}

/// `7`, `07`, `7th`, `7,` — a day of a month.
fn day_of(word: &str) -> Option<u8> {
    let w = word.trim_end_matches(',').to_ascii_lowercase();
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| w.strip_suffix(s))
        .unwrap_or(&w);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn weekday(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    w.len() >= 3
        && DAYS
            .iter()
            .any(|d| *d == w || (w.len() == 3 && d.starts_with(w.as_str())))
}

/// One to four digits (a trailing `,` allowed): a year, or its beginning.
fn year_of(word: &str) -> Option<&str> {
    let w = word.trim_end_matches(',');
    (!w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit())).then_some(w)
}

/// A date written with the month's name, found among the words of a
/// search: `words[start..end]` and what they stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub start: usize,
    pub end: usize,
    pub date: DateWord,
}

/// The dates written with a month's name among `words`: `7 Mar 2019`,
/// `Thu 7 Mar 2019`, `Mar 7 2019`, `March 7th, 2019`, `2 Nov 17`, `7 March`
/// (any year), `Nov 2017` and `2017 Nov` (that month). A month's name
/// without a day or a four-digit year next to it, on either side, is a name
/// (April, May, June).
pub fn phrases(words: &[&str], today: Date) -> Vec<Phrase> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut free = 0; // words before this are taken
    while i < words.len() {
        let Some(month) = month_of(words[i]) else {
            i += 1;
            continue;
        };
        // A day in front comes first (`2 Nov 17`: the 2nd, in 2017).
        let (mut start, day, mut end) =
            if let Some(d) = (i > free).then(|| day_of(words[i - 1])).flatten() {
                (i - 1, d, i + 1)
            } else if let Some(d) = words.get(i + 1).and_then(|w| day_of(w)) {
                (i, d, i + 2)
            } else if let Some(y) = words
                .get(i + 1)
                .and_then(|w| year_of(w))
                .filter(|y| y.len() == 4)
            {
                // `Nov 2017`, `june 2019`: that month.
                out.push(Phrase {
                    start: i,
                    end: i + 2,
                    date: DateWord::Iso(format!("{y}-{month:02}")),
                });
                free = i + 2;
                i += 2;
                continue;
            } else if let Some(y) = (i > free)
                .then(|| year_of(words[i - 1]))
                .flatten()
                .filter(|y| y.len() == 4)
            {
                // `2017 november`, `2016 sep`: that month, the year
                // written first (finding 8, fresh eyes, session 6: the
                // month was read as a name and found nobody).
                out.push(Phrase {
                    start: i - 1,
                    end: i + 1,
                    date: DateWord::Iso(format!("{y}-{month:02}")),
                });
                free = i + 1;
                i += 1;
                continue;
            } else {
                i += 1;
                continue;
            };
        let year = words.get(end).and_then(|w| year_of(w));
        if year.is_some() {
            end += 1;
        }
        if start > free && weekday(words[start - 1]) {
            start -= 1;
        }
        let text = words[start..end].join(" ");
        let text = text.trim_end_matches(',');
        let date = if day > days_in(month, None) {
            DateWord::Invalid(too_many_days(text, month, day, None))
        } else {
            month_day_year(text, month, day, year.unwrap_or(""), today)
        };
        out.push(Phrase { start, end, date });
        free = end;
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 01 - 05);

    fn n(w: &str) -> Option<DateWord> {
        numeric(w, TODAY)
    }

    fn iso(s: &str) -> Option<DateWord> {
        Some(DateWord::Iso(s.to_owned()))
    }

    fn md(month: u8, day: u8, years: &str) -> Option<DateWord> {
        Some(DateWord::MonthDay {
            month,
            day,
            years: years.to_owned(),
        })
    }

    fn invalid(w: &str) -> String {
        match numeric(w, TODAY) {
            Some(DateWord::Invalid(why)) => why,
            other => panic!("{w}: {other:?}"),
        }
    }

    #[test]
    fn dates_in_every_numeric_form() {
        assert_eq!(n("2019-03-07"), iso("2019-03-07"));
        assert_eq!(n("2019/03/07"), iso("2019-03-07"));
        assert_eq!(n("2019/3/7"), iso("2019-03-07"));
        assert_eq!(n("2019-3"), iso("2019-03"));
        assert_eq!(n("2019-1"), iso("2019-1"));
        assert_eq!(n("2019-"), iso("2019-"));
        assert_eq!(n("3/7/2019"), iso("2019-03-07"));
        assert_eq!(n("3/7/19"), iso("2019-03-07"));
        assert_eq!(n("12/31/26"), iso("1926-12-31"));
        assert_eq!(n("3-7-2019"), iso("2019-03-07"));
        assert_eq!(n("3/7"), md(3, 7, ""));
        assert_eq!(n("11/2/"), md(11, 2, ""));
        assert_eq!(n("11/2/2"), md(11, 2, ""));
        assert_eq!(n("11/2/201"), md(11, 2, "201"));
        assert_eq!(n("11/2017"), iso("2017-11"), "month/year");
        assert_eq!(n("11/201"), Some(DateWord::Unfinished));
        assert_eq!(n("10-12"), None, "an account number");
        assert_eq!(n("1-2-3"), None);
        assert_eq!(n("2019"), None);
    }

    #[test]
    fn partial_forms_on_the_way_to_a_date_are_never_wrong() {
        for w in [
            "2/",
            "0/",
            "2/3",
            "2/3/",
            "2/3/2",
            "2/3/201",
            "2019-0",
            "2019-02-",
            "2019-02-2",
            "1/",
            "3/0",
        ] {
            assert!(
                !matches!(n(w), Some(DateWord::Invalid(_))),
                "{w}: {:?}",
                n(w)
            );
        }
    }

    #[test]
    fn impossible_dates_say_why_in_one_sentence() {
        assert_eq!(
            invalid("13/1/2019"),
            "13/1/2019 is not a date: months come first (month/day/year), so perhaps 1/13/2019"
        );
        assert_eq!(
            invalid("2/30/2019"),
            "2/30/2019 is not a date: February has at most 29 days"
        );
        assert_eq!(
            invalid("2/30"),
            "2/30 is not a date: February has at most 29 days"
        );
        assert_eq!(
            invalid("2/29/2019"),
            "2/29/2019 is not a date: 2019 was not a leap year, so February had 28 days"
        );
        assert_eq!(
            invalid("2019-13"),
            "2019-13 is not a date: a month is 1 to 12 (year-month-day)"
        );
        assert_eq!(
            invalid("2019-02-30"),
            "2019-02-30 is not a date: February 2019 had 28 days"
        );
        assert_eq!(
            invalid("4/31/2019"),
            "4/31/2019 is not a date: April has 30 days"
        );
        assert!(invalid("13/").contains("a month is 1 to 12"));
        assert_eq!(
            invalid("0/5/2019"),
            "0/5/2019 is not a date: a month is 1 to 12 (month/day/year)"
        );
        assert!(invalid("1/32").contains("no month has 32 days"));
        assert_eq!(n("2/29/2020"), iso("2020-02-29"));
    }

    #[test]
    fn dotted_dates_are_day_first_unless_the_year_is() {
        let d = |w: &str| dotted(w, TODAY);
        assert_eq!(d("25.12.2020"), iso("2020-12-25"));
        assert_eq!(d("2.11.2017"), iso("2017-11-02"));
        assert_eq!(d("2.11.17"), iso("2017-11-02"));
        assert_eq!(d("2016.09.08"), iso("2016-09-08"));
        assert_eq!(d("2016.9"), iso("2016-09"));
        assert_eq!(d("25.12"), md(12, 25, ""));
        assert_eq!(d("25.12.20"), iso("2020-12-25"));
        assert_eq!(d("25.0"), Some(DateWord::Unfinished));
        assert_eq!(d("maria.g"), None);
        assert_eq!(d("25."), None);
        assert!(
            matches!(d("12.25.2020"), Some(DateWord::Invalid(w)) if w == "12.25.2020 is not a date: a month is 1 to 12 (day.month.year)")
        );
        assert!(matches!(d("31.4.2020"), Some(DateWord::Invalid(_))));
    }

    #[test]
    fn eight_digits_are_a_date_when_they_are_one() {
        assert_eq!(compact("20171102", TODAY).as_deref(), Some("2017-11-02"));
        assert_eq!(compact("20171302", TODAY), None);
        assert_eq!(compact("20270101", TODAY), None, "not born yet");
        assert_eq!(compact("18991231", TODAY), None);
        assert_eq!(compact("2017110", TODAY), None);
    }

    #[test]
    fn a_one_digit_day_or_month_holds_itself_and_the_longer_ones() {
        let holds = |iso: &str, p: &str| iso_holds(iso.as_bytes(), p);
        assert!(holds("2017-11-02", "2017-11-2"));
        assert!(holds("2017-11-25", "2017-11-2"));
        assert!(!holds("2017-11-12", "2017-11-2"));
        assert!(holds("2017-01-15", "2017-1"));
        assert!(holds("2017-12-15", "2017-1"));
        assert!(!holds("2017-02-15", "2017-1"));
        assert!(holds("2017-11-01", "2017-11-0"));
        assert!(!holds("2017-11-10", "2017-11-0"));
        assert!(holds("2017-11-01", "2017-11-01"));
        assert_eq!(iso_ranges("2017-11-2"), ["2017-11-02", "2017-11-2"]);
        assert_eq!(iso_ranges("2017-11-0"), ["2017-11-0"]);
        assert_eq!(iso_ranges("2017-"), ["2017-"]);
        assert_eq!(n("2019-02-3"), iso("2019-02-3"), "3 February");
    }

    fn p(text: &str) -> Vec<(usize, usize, DateWord)> {
        let words: Vec<&str> = text.split_whitespace().collect();
        phrases(&words, TODAY)
            .into_iter()
            .map(|p| (p.start, p.end, p.date))
            .collect()
    }

    #[test]
    fn dates_written_with_the_month_name() {
        let d = DateWord::Iso("2019-03-07".into());
        for text in [
            "Mar. 7 2019",
            "7 MAR 2019",
            "march 7th, 2019",
            "Thursday, March 7, 2019",
        ] {
            let words = text.split_whitespace().count();
            assert_eq!(p(text), [(0, words, d.clone())], "{text}");
        }
        assert_eq!(
            p("smith 7 mar"),
            [(
                1,
                3,
                DateWord::MonthDay {
                    month: 3,
                    day: 7,
                    years: String::new()
                }
            )]
        );
        assert_eq!(p("may smith"), [], "a month without a day is a name");
        assert_eq!(p("june"), []);
        assert_eq!(p("june smith 2019"), []);
        let month = |y: &str| DateWord::Iso(y.to_owned());
        assert_eq!(p("Nov 2017"), [(0, 2, month("2017-11"))]);
        assert_eq!(p("smith november 2017,"), [(1, 3, month("2017-11"))]);
        assert_eq!(p("2 Nov 17"), [(0, 3, month("2017-11-02"))]);
        assert_eq!(p("Nov 2 17"), [(0, 3, month("2017-11-02"))]);
    }

    /// Finding 8 (fresh eyes, session 6): a month's name after its year
    /// (`2017 november`, `2016 sep`) was read as a name and found nobody.
    /// It is that month, like `Nov 2017`; a month's name with no year or
    /// day beside it is still a name, and a day still comes first.
    #[test]
    fn a_month_name_after_its_year_is_that_month() {
        let month = |y: &str| DateWord::Iso(y.to_owned());
        assert_eq!(p("2017 november"), [(0, 2, month("2017-11"))]);
        assert_eq!(p("2016 September"), [(0, 2, month("2016-09"))]);
        assert_eq!(p("2016 sep"), [(0, 2, month("2016-09"))]);
        assert_eq!(p("2016, Sept."), [(0, 2, month("2016-09"))]);
        assert_eq!(p("adams 2016 sep"), [(1, 3, month("2016-09"))]);
        assert_eq!(p("2016 nov adams"), [(0, 2, month("2016-11"))]);
        // The year after the month is still read first.
        assert_eq!(p("may 2016"), [(0, 2, month("2016-05"))]);
        assert_eq!(p("june 2019 smith"), [(0, 2, month("2019-06"))]);
        assert_eq!(p("2016 may 2017"), [(1, 3, month("2017-05"))]);
        // A day beside the month is still a day.
        assert_eq!(
            p("2016 nov 2"),
            [(
                1,
                3,
                DateWord::MonthDay {
                    month: 11,
                    day: 2,
                    years: String::new()
                }
            )]
        );
        // One year is one month's: `nov 2016 dec` is November 2016 and the
        // name dec…
        assert_eq!(p("nov 2016 dec"), [(0, 2, month("2016-11"))]);
        // …and a month's name with no year beside it is a name.
        assert_eq!(p("march"), []);
        assert_eq!(p("march smith"), []);
        assert_eq!(p("2016 smith march"), []);
        assert_eq!(
            p("16 march"),
            [(
                0,
                2,
                DateWord::MonthDay {
                    month: 3,
                    day: 16,
                    years: String::new()
                }
            )]
        );
        assert_eq!(p("201 march"), [], "not a four-digit year");
        assert!(
            matches!(&p("30 Feb 2019")[0].2, DateWord::Invalid(w) if w == "30 Feb 2019 is not a date: February has at most 29 days")
        );
        assert!(matches!(&p("Feb 29 2019")[0].2, DateWord::Invalid(_)));
    }
}
