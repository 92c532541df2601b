//! A temporary password spelled for reading aloud: each symbol with its
//! ICAO/NATO spelling word (`N November · 4 four · …`), so the account
//! holder hears `Kilo` and never guesses between "K" and "A" on a bad line.

use zeroize::Zeroizing;

use crate::secret::Secret;

/// The spelling word of one symbol: the ICAO/NATO phonetic alphabet for
/// letters, the plain English number for digits. `None` for anything else
/// (a dash between groups).
pub fn spelling_word(c: char) -> Option<&'static str> {
    const LETTERS: [&str; 26] = [
        "Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India",
        "Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo",
        "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu",
    ];
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    match c {
        'A'..='Z' => Some(LETTERS[c as usize - 'A' as usize]),
        'a'..='z' => Some(LETTERS[c as usize - 'a' as usize]),
        '0'..='9' => Some(DIGITS[c as usize - '0' as usize]),
        _ => None,
    }
}

/// One group spelled: `N November · 4 four · R Romeo · K Kilo`. A lower-case
/// letter says so (`k lower-case Kilo`), for alphabets that have them.
fn spell_group(group: &str, out: &mut String) {
    for (i, c) in group.chars().enumerate() {
        if i > 0 {
            out.push_str(" · ");
        }
        out.push(c);
        out.push(' ');
        if c.is_ascii_lowercase() {
            out.push_str("lower-case ");
        }
        out.push_str(spelling_word(c).unwrap_or("(symbol)"));
    }
}

/// The password spelled group by group (one string per group, in order).
/// Zeroized when dropped, like the password itself.
pub fn spelled_groups(password: &Secret) -> Vec<Zeroizing<String>> {
    password
        .expose()
        .split('-')
        .filter(|g| !g.is_empty())
        .map(|g| {
            let mut s = Zeroizing::new(String::with_capacity(g.len() * 12));
            spell_group(g, &mut s);
            s
        })
        .collect()
}

/// The whole password spelled on one line, groups separated by ` / `.
pub fn spelled(password: &Secret) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::new());
    for (i, g) in spelled_groups(password).iter().enumerate() {
        if i > 0 {
            out.push_str(" / ");
        }
        out.push_str(g);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grouped_password_is_spelled_group_by_group() {
        let pw = Secret::from("N4RK-7FY3");
        let groups = spelled_groups(&pw);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].as_str(), "N November · 4 four · R Romeo · K Kilo");
        assert_eq!(
            spelled(&pw).as_str(),
            "N November · 4 four · R Romeo · K Kilo / 7 seven · F Foxtrot · Y Yankee · 3 three"
        );
    }

    #[test]
    fn every_symbol_of_the_default_alphabet_has_a_word() {
        for c in crate::config::DEFAULT_TEMPORARY_ALPHABET.chars() {
            assert!(spelling_word(c).is_some(), "{c}");
        }
        for c in 'A'..='Z' {
            assert!(spelling_word(c).is_some(), "{c}");
        }
        assert_eq!(spelling_word('-'), None);
    }

    #[test]
    fn lower_case_says_so() {
        assert_eq!(
            spelled(&Secret::from("kK")).as_str(),
            "k lower-case Kilo · K Kilo"
        );
    }
}
