//! Create/Validate's confirmation: who the patient is (name, date of
//! birth, number), whose login, what will happen in words, and how the
//! caller's identity and authority were checked. A patient with several
//! guardians first gets the choice of whose login ([`ChooseGuardian`]):
//! the services never guess, and neither does the app.

use crate::domain::Email;
use crate::error::{Error, Refusal};
use crate::present::{no_common_last_name_note, plan_summary};
use crate::services::{CreateValidate, CreateValidatePlan, PlannedChange};
use crate::tui::component::{Command, Level, Response, Shared, sentence};
use crate::tui::modals::{CheckedConfirm, ChooseGuardian};
use crate::tui::request::{PatientRef, Request};

/// Create/Validate for `patient`: its confirmation, the choice of whose
/// login when the patient has several guardians and `guardian` does not
/// say, or why it cannot be done. `reset_password`: for a patient whose
/// email already has an account, also reset that account's password
/// (asked separately).
pub fn ask(
    shared: &Shared,
    patient: PatientRef,
    guardian: Option<&Email>,
    reset_password: bool,
) -> Response {
    let Some(session) = &shared.session else {
        return Response::notice(Level::Error, "Sign in first.");
    };
    let req = CreateValidate::patient(&patient.number)
        .email(guardian.map(Email::to_string))
        .reset_password(reset_password);
    match shared.portal.plan_create_validate(session, &req) {
        Ok(plan) => Response::Command(Command::Open(Box::new(confirmation(
            shared,
            patient,
            plan,
            reset_password,
        )))),
        Err(Error::Refused(Refusal::ChooseGuardian { .. })) => {
            match shared.portal.guardians(&patient.number) {
                Ok(guardians) => Response::Command(Command::Open(Box::new(ChooseGuardian::new(
                    patient,
                    guardians,
                    reset_password,
                )))),
                Err(e) => Response::notice(Level::Error, sentence(&e)),
            }
        }
        Err(e) => Response::notice(Level::Error, sentence(&e)),
    }
}

fn title(plan: &CreateValidatePlan) -> &'static str {
    match &plan.change {
        PlannedChange::Create { .. } => "Create portal account?",
        PlannedChange::Reset { .. } => "Reset portal password?",
        PlannedChange::Link {
            reset_password: false,
            ..
        } => "Add to existing portal account?",
        PlannedChange::Link { .. } => "Add to account and reset its password?",
    }
}

fn verb(plan: &CreateValidatePlan) -> &'static str {
    match &plan.change {
        PlannedChange::Create { .. } => "Create account",
        PlannedChange::Reset { .. } => "Reset password",
        PlannedChange::Link {
            reset_password: false,
            ..
        } => "Add to account",
        PlannedChange::Link { .. } => "Add and reset",
    }
}

fn confirmation(
    shared: &Shared,
    patient: PatientRef,
    plan: CreateValidatePlan,
    reset_password: bool,
) -> CheckedConfirm {
    let login = plan.email().clone();
    let facts = vec![
        ("Patient", patient.name.clone()),
        ("Born", shared.local.date(patient.date_of_birth)),
        ("No.", patient.number.clone()),
        ("Login", login.to_string()),
    ];
    let read = if plan.issues_login() {
        " A temporary login is shown to read to the account holder."
    } else {
        ""
    };
    let summary = format!("{}.{read}", plan_summary(&plan, &shared.local));
    // With several guardians: whose password does not change, by name.
    let others: Vec<String> = plan
        .guardians
        .iter()
        .filter(|g| *g.email() != login)
        .map(|g| format!("{} ({})", g.email(), g.relationship))
        .collect();
    let mut notes = if others.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "Only this login changes: {} keep{} their own password.",
            others.join(", "),
            if others.len() == 1 { "s" } else { "" }
        )]
    };
    // Joining a login none of whose patients has this last name: a
    // question for the parent before confirming (an import may have given
    // the patient another family's login).
    if plan.no_common_last_name {
        notes.push(no_common_last_name_note(&plan.patient));
    }
    // An administrator adding back a link that was removed is told when and why.
    if let Some(r) = &plan.removed {
        notes.push(crate::present::removed_note(r, &shared.local));
    }
    // A guardian's reset names the login to reset, so the services reset
    // exactly the one shown here.
    let guardian = (!plan.guardians.is_empty()).then(|| login.clone());
    let version = plan.version();
    CheckedConfirm::new(
        shared,
        title(&plan),
        facts,
        (summary, plan.replaces_password()),
        verb(&plan),
        Box::new(move |identity_check| Request::CreateValidate {
            patient: patient.clone(),
            login: login.clone(),
            guardian: guardian.clone(),
            reset_password,
            identity_check,
            version,
        }),
    )
    .with_notes(notes)
}
