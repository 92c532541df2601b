//! What Create/Validate will do, and did, in the words staff confirm and
//! read: never "Create/Validate" alone, always whose password changes.

use crate::domain::Patient;
use crate::domain::patient::NAMED_PATIENTS;
use crate::domain::text::printable;
use crate::present::LocalTime;
use crate::services::{CreateValidatePlan, Linked, PlannedChange};

/// One patient as the Account pane and the Users dialog name them:
/// `Brown, Amelia, born 3 Jan 2017, no. 100439` (the date of birth in the
/// practice's format; the name made printable).
pub fn patient_named(p: &Patient, local: &LocalTime) -> String {
    printable(&format!(
        "{}, born {}, no. {}",
        p.display_name(),
        local.date(p.date_of_birth),
        p.account_number
    ))
}

/// Patients named one after the other ([`patient_named`]), `; ` between
/// them: up to five, then `; and N more`.
pub fn patients_named(patients: &[Patient], local: &LocalTime) -> String {
    let mut named: Vec<String> = patients
        .iter()
        .take(NAMED_PATIENTS)
        .map(|p| patient_named(p, local))
        .collect();
    let more = patients.len() - named.len();
    if more > 0 {
        named.push(format!("and {more} more"));
    }
    named.join("; ")
}

/// The change in words, for the confirmation:
/// - `creates an account for E`
/// - `resets the password of E: the current one stops working`
/// - `adds this patient to the existing account of E, which holds Brown,
///   Amelia, born 3 Jan 2017, no. 100439; Brown, Jackson, born 5 May 2019,
///   no. 100440: its password does not change`
/// - `adds this patient to the existing account of E, which holds Brown,
///   Amelia, born 3 Jan 2017, no. 100439, and resets its password: the
///   current one stops working`
///
/// (the patients the account holds already are named by name, date of
/// birth and number, up to five, so that staff notice a login of another
/// family's before they confirm)
///
/// followed by `; records E as the patient's e-correspondent email` when
/// the email was given at the desk.
pub fn plan_summary(plan: &CreateValidatePlan, local: &LocalTime) -> String {
    let email = plan.email().as_str();
    let mut s = match &plan.change {
        PlannedChange::Create { .. } => format!("creates an account for {email}"),
        PlannedChange::Reset { .. } => {
            format!("resets the password of {email}: the current one stops working")
        }
        PlannedChange::Link {
            reset_password: false,
            ..
        } => format!(
            "adds this patient to the existing account of {email}{}: its password does not change",
            which_holds("which holds", &plan.holds, "", local)
        ),
        PlannedChange::Link {
            reset_password: true,
            ..
        } => format!(
            "adds this patient to the existing account of {email}{} and resets its password: the current one stops working",
            which_holds("which holds", &plan.holds, ",", local)
        ),
    };
    if plan.records_email {
        s.push_str(&format!(
            "; records {email} as the patient's e-correspondent email"
        ));
    }
    printable(&s)
}

/// Said before (the app's confirmation) and after (the CLI) a link into an
/// account none of whose patients shares this patient's last name
/// ([`CreateValidatePlan::no_common_last_name`]): `None of the patients
/// already on this account has this patient's last name (Ohara): check
/// with the parent that this login is their family's.` A question for the
/// parent, never a refusal: step-families are common.
pub fn no_common_last_name_note(patient: &Patient) -> String {
    printable(&format!(
        "None of the patients already on this account has this patient's last name ({}): check with the parent that this login is their family's.",
        patient.last_name
    ))
}

/// After a link without a reset, for the app's popup: `added to the
/// existing account of E; the account holder signs in with their current
/// password`.
pub fn linked_summary(linked: &Linked) -> String {
    format!(
        "added to the existing account of {}; the account holder signs in with their current password",
        linked.account.email
    )
}

/// The CLI's line after a link without a reset, one line:
/// `linked: patient NO added to E, which also holds Brown, Amelia, born 3
/// Jan 2017, no. 100439 (password unchanged)`.
pub fn linked_line(linked: &Linked, local: &LocalTime) -> String {
    format!(
        "linked: patient {} added to {}{} (password unchanged)",
        printable(&linked.patient.account_number),
        linked.account.email,
        which_holds("which also holds", &linked.others, "", local)
    )
}

/// `, which holds Brown, Amelia, born 3 Jan 2017, no. 100439; …` (then
/// `end`), or nothing for an account that holds no patient.
pub fn which_holds(which: &str, patients: &[Patient], end: &str, local: &LocalTime) -> String {
    if patients.is_empty() {
        return String::new();
    }
    format!(", {which} {}{end}", patients_named(patients, local))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn kid(no: u32, first: &str) -> Patient {
        Patient {
            account_number: no.to_string(),
            last_name: "Brown".into(),
            first_name: first.into(),
            date_of_birth: date!(2017 - 01 - 03),
            email: None,
        }
    }

    #[test]
    fn patients_are_named_up_to_five_then_how_many_more() {
        let ny = LocalTime::named("America/New_York").unwrap();
        let one = [kid(100439, "Amelia")];
        assert_eq!(
            patients_named(&one, &ny),
            "Brown, Amelia, born 3 Jan 2017, no. 100439"
        );
        let seven: Vec<Patient> = (0..7).map(|i| kid(100440 + i, "Kid")).collect();
        let said = patients_named(&seven, &ny);
        assert!(
            said.starts_with("Brown, Kid, born 3 Jan 2017, no. 100440; "),
            "{said}"
        );
        assert!(said.ends_with("no. 100444; and 2 more"), "{said}");
        assert_eq!(said.matches("born").count(), 5, "{said}");
        assert_eq!(patients_named(&[], &ny), "");
    }

    /// A name that reached the file with a control character is shown as
    /// an escape, never sent to the terminal.
    #[test]
    fn a_name_with_a_control_character_is_made_printable() {
        let ny = LocalTime::named("America/New_York").unwrap();
        let said = patient_named(&kid(100439, "Ame\u{1b}[2Jlia"), &ny);
        assert!(!said.contains('\u{1b}'), "{said:?}");
        assert!(said.ends_with("born 3 Jan 2017, no. 100439"), "{said}");
    }
}
