//! Search keys: what a name and an email can be found by.
//!
//! A name's *key* is its text transliterated to ASCII, in lower case, letters
//! and digits only (`García-López` → `garcialopez`, see
//! [`super::text::search_key`]). Its *parts* are the same text split wherever
//! something other than a letter or digit stands (`garcia`, `lopez`), so
//! every part of a compound, hyphenated or multi-word name can be searched.
//!
//! An email's *parts* start at its beginning, after each `.`, `_`, `-` or
//! `+` of the part before `@`, at the domain, and after each dot of the
//! domain but the last (`maria.garcia12@mail.example.com`: `maria…`,
//! `garcia12@…`, `mail.example.com`, `example.com`).

/// Separates the fields of an index key. Below every letter and digit, so
/// "smith" sorts (with all its first names) before "smithers".
pub const KEY_SEP: char = ' ';

/// The parts of a name as search keys, in order. Empty when the name has no
/// letter or digit.
pub fn name_parts(name: &str) -> Vec<String> {
    if name.is_ascii() {
        return split_parts(name);
    }
    split_parts(&deunicode::deunicode(name))
}

fn split_parts(ascii: &str) -> Vec<String> {
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The tokens of a patient's name that the token index holds: the whole
/// first name, then every part of the first name and of the last name that
/// does not begin it (the first part of each is a prefix of the whole key,
/// which the name index and the first-name token already cover). Sorted,
/// without repeats.
pub fn index_tokens(first_key: &str, last_parts: &[String], first_parts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(1 + last_parts.len() + first_parts.len());
    if !first_key.is_empty() {
        out.push(first_key.to_owned());
    }
    for p in first_parts.iter().skip(1).chain(last_parts.iter().skip(1)) {
        out.push(p.clone());
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A date as keys hold it, `YYYY-MM-DD`, without allocating.
pub fn iso_date(d: time::Date) -> [u8; 10] {
    let (y, m, day) = (
        d.year().clamp(0, 9999) as u32,
        u32::from(u8::from(d.month())),
        u32::from(d.day()),
    );
    let digit = |v: u32| b'0' + (v % 10) as u8;
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ]
}

/// Where the parts of an email start (byte offsets, the first is 0).
pub fn email_part_starts(email: &str) -> Vec<usize> {
    part_starts(email).collect()
}

/// [`email_part_starts`] without collecting them.
fn part_starts(email: &str) -> impl Iterator<Item = usize> + '_ {
    let b = email.as_bytes();
    let at = b.iter().rposition(|&c| c == b'@').unwrap_or(b.len());
    let last_dot = b.iter().rposition(|&c| c == b'.').filter(|&d| d > at);
    let local = (0..at)
        .filter(move |&i| i == 0 || (matches!(b[i - 1], b'.' | b'_' | b'-' | b'+') && i < at));
    let domain = (at + 1..b.len())
        .filter(move |&i| i == at + 1 || (b[i - 1] == b'.' && Some(i - 1) != last_dot));
    local.chain(domain)
}

/// The key of an email part in the email-part indexes: the email from the
/// part on, a separator, then what comes before the part (so the email can
/// be put back together). The part at 0 is `email␠`.
pub fn email_part_key(email: &str, start: usize) -> String {
    let mut k = String::with_capacity(email.len() + 1);
    push_email_part_key(&mut k, email, start);
    k
}

/// The email an email-part key was made from, and where the part starts.
pub fn email_of_part_key(key: &str) -> Option<(String, usize)> {
    let (suffix, before) = key.rsplit_once(KEY_SEP)?;
    let mut email = String::with_capacity(key.len());
    email.push_str(before);
    email.push_str(suffix);
    Some((email, before.len()))
}

/// Whether the part of `email` at `start` is matched by the email word
/// `word` (lower case): the part begins with it; a word that begins with `@`
/// matches the domain only.
pub fn email_part_matches(email: &str, start: usize, word: &str) -> bool {
    match word.strip_prefix('@') {
        Some(domain) => {
            start > 0 && email.as_bytes()[start - 1] == b'@' && email[start..].starts_with(domain)
        }
        None => email[start..].starts_with(word),
    }
}

/// The smallest key of a part of `email` that `word` matches, if any.
pub fn smallest_matching_part(email: &str, word: &str) -> Option<String> {
    smallest_matching_start(email, word).map(|s| email_part_key(email, s))
}

/// Where the part of [`smallest_matching_part`] starts.
///
/// Looks for the word where it occurs (a lookup runs this for every
/// patient it ranks by email, so it does not list every part first): a
/// word with `@` can only be the domain's beginning; any other, each place
/// that begins with the word's first byte and is a part's start.
pub fn smallest_matching_start(email: &str, word: &str) -> Option<usize> {
    matching_start(email, word, Pick::Smallest)
}

/// Which of the parts a word matches [`matching_start`] returns.
#[derive(Clone, Copy, PartialEq)]
enum Pick {
    /// The one with the smallest part key.
    Smallest,
    /// The first in the email (enough to know that one matches).
    First,
}

fn matching_start(email: &str, word: &str, pick: Pick) -> Option<usize> {
    let b = email.as_bytes();
    let at = b.iter().rposition(|&c| c == b'@').unwrap_or(b.len());
    if word.starts_with('@') {
        let s = at + 1;
        return (s < b.len() && email_part_matches(email, s, word)).then_some(s);
    }
    let last_dot = b.iter().rposition(|&c| c == b'.').filter(|&d| d > at);
    let is_start = |i: usize| {
        if i < at {
            i == 0 || matches!(b[i - 1], b'.' | b'_' | b'-' | b'+')
        } else {
            i > at && i < b.len() && (i == at + 1 || (b[i - 1] == b'.' && Some(i - 1) != last_dot))
        }
    };
    let w = word.as_bytes();
    let mut best: Option<usize> = None;
    for s in 0..b.len() {
        // The first byte first: most places are not the word's.
        if w.first().is_some_and(|&f| b[s] != f) || !is_start(s) || !b[s..].starts_with(w) {
            continue;
        }
        if pick == Pick::First {
            return Some(s);
        }
        // Compare part keys (`suffix prefix`) without building them.
        if best.is_none_or(|p| (&email[s..], &email[..s]) < (&email[p..], &email[..p])) {
            best = Some(s);
        }
    }
    best
}

/// [`email_part_key`] appended to `out`.
pub fn push_email_part_key(out: &mut String, email: &str, start: usize) {
    out.push_str(&email[start..]);
    out.push(KEY_SEP);
    out.push_str(&email[..start]);
}

/// Whether some part of `email` begins with `word` (as
/// [`email_part_matches`] reads it).
pub fn any_part_matches(email: &str, word: &str) -> bool {
    matching_start(email, word, Pick::First).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`smallest_matching_start`] as it reads: every part, in turn.
    fn smallest_start_by_parts(email: &str, word: &str) -> Option<usize> {
        let mut best: Option<usize> = None;
        for s in part_starts(email).filter(|&s| email_part_matches(email, s, word)) {
            if best.is_none_or(|b| (&email[s..], &email[..s]) < (&email[b..], &email[..b])) {
                best = Some(s);
            }
        }
        best
    }

    proptest::proptest! {
        #[test]
        fn the_smallest_matching_part_is_the_same_found_either_way(
            email in "[ao.@_+-]{0,12}",
            word in "[ao.@_+-]{0,4}",
        ) {
            proptest::prop_assert_eq!(
                smallest_matching_start(&email, &word),
                smallest_start_by_parts(&email, &word)
            );
        }

        #[test]
        fn some_part_matches_either_way(
            email in "[ao.@_+-]{0,12}",
            word in "[ao.@_+-]{0,4}",
        ) {
            proptest::prop_assert_eq!(
                any_part_matches(&email, &word),
                part_starts(&email).any(|s| email_part_matches(&email, s, &word)),
                "{:?} in {:?}", word, email
            );
        }
    }

    #[test]
    fn the_smallest_matching_part_is_found_where_the_word_occurs() {
        let emails = [
            "maria.garcia12@example.com",
            "a.a.a@x.org",
            "mariaz.mariaa@x.com",
            "maria.maria@x.com",
            "o-hara_x+tag@mail.example.co.uk",
            "noat.example.org",
            "x@y",
            "@lone",
            "trailing.@x.org",
            "jose.garcia1@example.org",
        ];
        let words = [
            "",
            "m",
            "maria",
            "maria.",
            "a",
            "a.a",
            "a.a@",
            "example",
            "example.org",
            "example.co",
            "co",
            "org",
            "x",
            "@",
            "@example",
            "@x",
            "@y",
            "hara",
            "tag",
            "garcia1",
            "jose.garcia1",
            ".",
            "@mail.example",
            "lone",
            "z",
        ];
        for e in emails {
            for w in words {
                assert_eq!(
                    smallest_matching_start(e, w),
                    smallest_start_by_parts(e, w),
                    "{e} {w}"
                );
            }
        }
    }

    #[test]
    fn names_split_into_parts_with_accents_and_punctuation_folded() {
        assert_eq!(name_parts("García-López"), ["garcia", "lopez"]);
        assert_eq!(name_parts("O'Brien"), ["o", "brien"]);
        assert_eq!(name_parts("van der Berg"), ["van", "der", "berg"]);
        assert_eq!(name_parts("St. John"), ["st", "john"]);
        assert_eq!(name_parts("Nguyễn"), ["nguyen"]);
        assert_eq!(name_parts("Mary Ann"), ["mary", "ann"]);
        assert!(name_parts("--").is_empty());
        // The parts always join into the whole key.
        for n in ["García-López", "O'Brien", "Zoë", "St. John", "北京"] {
            assert_eq!(
                name_parts(n).concat(),
                super::super::text::search_key(n),
                "{n}"
            );
        }
    }

    #[test]
    fn index_tokens_are_the_first_name_and_the_inner_parts() {
        let last = name_parts("García-López");
        let first = name_parts("José Luis");
        assert_eq!(
            index_tokens("joseluis", &last, &first),
            ["joseluis", "lopez", "luis"]
        );
        assert_eq!(
            index_tokens("sean", &name_parts("O'Brien"), &name_parts("Seán")),
            ["brien", "sean"]
        );
    }

    #[test]
    fn email_parts_start_at_words_and_the_domain() {
        let e = "maria.garcia12@mail.example.com";
        let parts: Vec<&str> = email_part_starts(e).iter().map(|&s| &e[s..]).collect();
        assert_eq!(
            parts,
            [
                "maria.garcia12@mail.example.com",
                "garcia12@mail.example.com",
                "mail.example.com",
                "example.com"
            ]
        );
        assert_eq!(email_part_key(e, 6), "garcia12@mail.example.com maria.");
        assert_eq!(
            email_of_part_key("garcia12@mail.example.com maria."),
            Some((e.to_owned(), 6))
        );
        assert!(email_part_matches(e, 15, "@mail.ex"));
        assert!(!email_part_matches(e, 20, "@example"));
        assert!(email_part_matches(e, 20, "example"));
        assert_eq!(
            smallest_matching_part("a.moore@example.org", "moore").as_deref(),
            Some("moore@example.org a.")
        );
        assert_eq!(smallest_matching_part("a.moore@example.org", "org"), None);
        let d = time::macros::date!(2019 - 03 - 07);
        assert_eq!(iso_date(d), *d.to_string().as_bytes());
    }
}
