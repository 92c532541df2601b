//! Property tests: every patient is found by each of its keys; the password
//! policy holds its rules for any input.

mod common;

use std::collections::HashSet;

use portal_admin::config::PolicyConfig;
use portal_admin::password::{PasswordPolicy, PolicyViolation};
use portal_admin::{Portal, Secret};
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    "[A-Z\u{C9}\u{D3}\u{C7}][a-z\u{E9}\u{ED}\u{F3}\u{F1}\u{FC}\u{E7}' -]{0,9}[a-z]"
}

fn patient() -> impl Strategy<Value = (String, String, (i32, u8, u8), String)> {
    (
        name(),
        name(),
        (1990i32..2025, 1u8..=12, 1u8..=28),
        "[a-z][a-z0-9]{0,8}(\\.[a-z0-9]{1,4})?@(example\\.com|mail\\.example\\.org)",
    )
}

/// All rows of a search, following the pages.
fn search_all(portal: &Portal, q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = portal.search_patients(q, after.as_deref(), 7).unwrap();
        out.extend(page.items.iter().map(|r| r.patient.account_number.clone()));
        match page.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn every_patient_is_found_by_each_of_its_keys(
        rows in prop::collection::vec(patient(), 1..30),
        cut in 1usize..6,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(portal_admin::clock::ManualClock::monday_morning());
        let portal = Portal::create(&dir.path().join("p.redb"), common::config_in(dir.path()), clock).unwrap();
        let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
        for (i, (last, first, (y, m, d), email)) in rows.iter().enumerate() {
            csv.push_str(&format!("{},\"{last}\",\"{first}\",{y:04}-{m:02}-{d:02},{email}\n", 500_000 + i));
        }
        let admin = common::bootstrap_admin(&portal);
        let report = portal
            .import_patients(&admin, "p.csv", csv.as_bytes(), 0, false, &mut ())
            .unwrap();
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        for (i, (last, first, (y, m, d), email)) in rows.iter().enumerate() {
            let no = format!("{}", 500_000 + i);
            let prefix: String = last.chars().take(cut).collect();
            let at = email.find('@').unwrap();
            let queries = [
                prefix.clone(),
                last.to_lowercase(),
                format!("{last}, {first}"),
                format!("{}, {}", last.to_uppercase(), first.chars().take(cut).collect::<String>()),
                no.clone(),
                format!("{y:04}-{m:02}-{d:02}"),
                format!("{m:02}/{d:02}/{y:04}"),
                format!("{m}/{d}/{y:04}"),
                email[..=at].to_uppercase(),
                email.clone(),
            ];
            for q in queries {
                let found = search_all(&portal, &q);
                prop_assert!(found.contains(&no), "{no} ({last}, {first}) not found by {q:?}: {found:?}");
                let unique: HashSet<_> = found.iter().collect();
                prop_assert_eq!(unique.len(), found.len(), "paging repeats a row for {:?}", q);
            }
        }
        // Results come sorted by last name, then first name.
        let all = portal.search_patients("", None, 1000).unwrap();
        let keys: Vec<(String, String)> = all.items.iter().map(|r| (r.patient.last_key(), r.patient.first_key())).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(keys, sorted);
    }

    #[test]
    fn policy_rules_hold_for_any_input(pw in "\\PC{0,140}", other in "\\PC{0,20}") {
        let cfg = PolicyConfig::default();
        let policy = PasswordPolicy::new(&cfg);
        let s = Secret::from(pw.as_str());
        let n = pw.chars().count();
        let result = policy.check(&s, &[]);
        use unicode_normalization::UnicodeNormalization;
        let normalized_len = pw.nfkc().count();
        if normalized_len < cfg.min_length {
            prop_assert!(result.is_err());
        }
        if normalized_len > cfg.max_length {
            prop_assert!(result.is_err());
        }
        if let Err(PolicyViolation::TooLong { max }) = &result {
            prop_assert!(normalized_len > *max, "{n}");
        }
        if pw.nfkc().collect::<String>() != other.nfkc().collect::<String>() && !pw.is_empty() {
            prop_assert_eq!(policy.check_new(&s, &Secret::from(other.as_str()), &[]), Err(PolicyViolation::Mismatch));
        }
    }

    #[test]
    fn long_random_passwords_are_accepted_and_never_truncated(pw in "[a-z0-9]{20,128}") {
        let policy = PasswordPolicy::new(&PolicyConfig::default());
        // Random text of this length has far more than 10^10 guesses.
        prop_assert_eq!(policy.check(&Secret::from(pw.as_str()), &[]), Ok(()));
        let longer = format!("{pw}{}", "x".repeat(129 - pw.chars().count()));
        prop_assert_eq!(policy.check(&Secret::from(longer.as_str()), &[]), Err(PolicyViolation::TooLong { max: 128 }));
    }
}
