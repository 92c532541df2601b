//! What Create/Validate will do, and did, in the words staff confirm and
//! read: never "Create/Validate" alone, always whose password changes.

use crate::domain::text::printable;
use crate::services::{CreateValidatePlan, Linked, PlannedChange};

/// The change in words, for the confirmation:
/// - `creates an account for E`
/// - `resets the password of E: the current one stops working`
/// - `adds this patient to the existing account of E: its password does not change`
/// - `adds this patient to the existing account of E and resets its password: the current one stops working`
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
            ..
        } => format!(
            "adds this patient to the existing account of {email}: its password does not change"
        ),
        PlannedChange::Link {
            reset_password: true,
            ..
        } => format!(
            "adds this patient to the existing account of {email} and resets its password: the current one stops working"
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
/// `linked: patient NO added to E (password unchanged)`.
pub fn linked_line(linked: &Linked) -> String {
    format!(
        "linked: patient {} added to {} (password unchanged)",
        printable(&linked.patient.account_number),
        linked.account.email
    )
}
