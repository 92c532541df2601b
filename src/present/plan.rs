//! What Create/Validate will do, and did, in the words staff confirm and
//! read: never "Create/Validate" alone, always whose password changes.

use crate::domain::patient::patients_phrase;
use crate::domain::text::printable;
use crate::services::{CreateValidatePlan, Linked, PlannedChange};

/// The change in words, for the confirmation:
/// - `creates an account for E`
/// - `resets the password of E: the current one stops working`
/// - `adds this patient to the existing account of E, which holds patients
///   N and M: its password does not change`
/// - `adds this patient to the existing account of E, which holds patient
///   N, and resets its password: the current one stops working`
///
/// (the patients the account holds already are named, so that staff notice
/// a login of another family's before they confirm)
///
/// followed by `; records E as the patient's e-correspondent email` when
/// the email was given at the desk.
pub fn plan_summary(plan: &CreateValidatePlan) -> String {
    let email = plan.email().as_str();
    let mut s = match &plan.change {
        PlannedChange::Create { .. } => format!("creates an account for {email}"),
        PlannedChange::Reset { .. } => {
            format!("resets the password of {email}: the current one stops working")
        }
        PlannedChange::Link {
            reset_password: false,
            account,
        } => format!(
            "adds this patient to the existing account of {email}{}: its password does not change",
            which_holds("which holds", &account.patients, "")
        ),
        PlannedChange::Link {
            reset_password: true,
            account,
        } => format!(
            "adds this patient to the existing account of {email}{} and resets its password: the current one stops working",
            which_holds("which holds", &account.patients, ",")
        ),
    };
    if plan.records_email {
        s.push_str(&format!(
            "; records {email} as the patient's e-correspondent email"
        ));
    }
    printable(&s)
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

/// The CLI's line after a link without a reset:
/// `linked: patient NO added to E, which also holds patient M (password
/// unchanged)`.
pub fn linked_line(linked: &Linked) -> String {
    let no = &linked.patient.account_number;
    let others: Vec<String> = linked
        .account
        .patients
        .iter()
        .filter(|p| *p != no)
        .cloned()
        .collect();
    format!(
        "linked: patient {} added to {}{} (password unchanged)",
        printable(no),
        linked.account.email,
        which_holds("which also holds", &others, "")
    )
}

/// `, which holds patients N and M` (then `end`), or nothing for an
/// account that holds no patient.
fn which_holds(which: &str, patients: &[String], end: &str) -> String {
    if patients.is_empty() {
        return String::new();
    }
    format!(", {which} {}{end}", patients_phrase(patients))
}
