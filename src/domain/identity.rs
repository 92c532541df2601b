//! The identity check: how staff checked the account holder's identity and
//! authority before Create/Validate (HIPAA 45 CFR 164.514(h) asks practices
//! to verify both). The practice lists its ways of checking in the config;
//! staff pick one, and the pick is recorded in the audit event.

/// The form two spellings of a choice are compared in: trimmed, runs of
/// white space made one space, lower case. So `In person,  photo ID` is the
/// choice `in person, photo ID`.
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The configured choice `given` names, in the practice's own spelling.
pub fn find<'c>(choices: &'c [String], given: &str) -> Option<&'c str> {
    let want = fold(given);
    choices.iter().find(|c| fold(c) == want).map(String::as_str)
}

/// The choices as one list for a sentence: `"a", "b" or "c"`.
pub fn list(choices: &[String]) -> String {
    let quoted: Vec<String> = choices
        .iter()
        .map(|c| format!("\"{}\"", super::text::printable(c)))
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Vec<String> {
        crate::config::DEFAULT_IDENTITY_CHECKS
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn a_choice_matches_whatever_its_case_and_spacing() {
        let c = choices();
        assert_eq!(
            find(&c, "  In person,   PHOTO id "),
            Some("in person, photo ID")
        );
        assert_eq!(find(&c, "in person"), None, "a prefix is not a choice");
        assert_eq!(find(&c, ""), None);
    }

    #[test]
    fn the_list_reads_as_a_sentence() {
        assert_eq!(
            list(&choices()),
            "\"in person, photo ID\", \"in person, known to staff\" or \"by phone, date of birth and address\""
        );
        assert_eq!(list(&choices()[..1]), "\"in person, photo ID\"");
    }
}
