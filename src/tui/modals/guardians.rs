//! The families' forms: add a guardian (staff and administrators), remove
//! a guardian from a patient and change an account's login email
//! (administrators, from the Control Panel's user details). Each is a
//! [`Form`] whose button goes on to a confirmation; only the confirmation's
//! own button, reached with Tab, starts the change.

use ratatui::text::{Line, Span};

use super::checked_confirm::CheckedConfirm;
use super::form::{Field, FieldError, Form, Purpose};
use crate::domain::guardian::Change;
use crate::domain::text::printable;
use crate::domain::{Access, Email, LinkStatus, Relationship};
use crate::error::{Error, Input};
use crate::present::{LocalTime, which_holds};
use crate::services::{AddGuardian, GuardianPlan};
use crate::tui::component::{Command, ModalKind, Shared};
use crate::tui::modals::Confirm;
use crate::tui::request::{AccountRef, PatientRef, Reply, Request};
use crate::tui::widgets::key_value;

/// The access choices, in the order the form offers them.
const ACCESS: [Access; 2] = [Access::Full, Access::Limited];

/// "Patient  Name, born D, no. N" lines, for a form's header.
fn patient_lines(shared: &Shared, patient: &PatientRef) -> Vec<Line<'static>> {
    let theme = &shared.theme;
    vec![
        key_value(theme, 9, "Patient", printable(&patient.name), theme.title),
        key_value(
            theme,
            9,
            "Born",
            shared.local.date(patient.date_of_birth),
            theme.title,
        ),
        key_value(theme, 9, "No.", patient.number.clone(), theme.title),
    ]
}

/// Where a new link will stand, in the words of the account pane:
/// "full access, limited from Sun 14 Mar 2027".
fn link_words(status: &LinkStatus, local: &LocalTime) -> String {
    match status {
        LinkStatus::Active { access, next } => match next {
            Some(Change::LimitedFrom { on }) => {
                format!("{access} access, limited from {}", local.day_of(*on))
            }
            Some(Change::Ends { on }) => format!("{access} access, ends {}", local.day_of(*on)),
            None => format!("{access} access"),
        },
        LinkStatus::Ended { on } => format!("ended {}", local.day_of(*on)),
    }
}

// ---- Add a guardian ------------------------------------------------------

pub struct AddGuardianPurpose {
    patient: PatientRef,
}

/// Staff add a guardian to a patient: their email, how they are related,
/// their access; then the confirmation with the identity check.
pub type AddGuardianForm = Form<AddGuardianPurpose>;

impl AddGuardianForm {
    pub fn new(patient: PatientRef) -> AddGuardianForm {
        Form::with_fields(
            AddGuardianPurpose { patient },
            vec![
                Field::text("Email"),
                Field::choice(
                    "Relationship",
                    Relationship::ALL
                        .iter()
                        .map(|r| r.as_str().to_owned())
                        .collect(),
                    None,
                ),
                Field::choice(
                    "Access",
                    ACCESS.iter().map(|a| a.as_str().to_owned()).collect(),
                    Some(0),
                ),
            ],
        )
    }
}

impl AddGuardianPurpose {
    /// The confirmation of what adding this guardian will do.
    fn confirmation(&self, shared: &Shared, plan: GuardianPlan, access: Access) -> CheckedConfirm {
        let email = plan.email.clone();
        let facts = vec![
            ("Patient", self.patient.name.clone()),
            ("Born", shared.local.date(self.patient.date_of_birth)),
            ("No.", self.patient.number.clone()),
            ("Guardian", email.to_string()),
            ("Relationship", plan.relationship.to_string()),
            ("Access", link_words(&plan.status, &shared.local)),
        ];
        let (summary, verb) = match (&plan.existing, &plan.replaces) {
            (Some(_), Some(ended)) => (
                match ended.status {
                    LinkStatus::Ended { on } => format!(
                        "makes {email}'s account the patient's own (its guardian link ended on {}): its password does not change.",
                        shared.local.day_of(on)
                    ),
                    LinkStatus::Active { .. } => format!(
                        "makes {email}'s account the patient's own: its password does not change."
                    ),
                },
                "Make own account",
            ),
            (None, _) => (
                format!(
                    "creates an account for {email}. A temporary login is shown to read to them."
                ),
                "Create account",
            ),
            (Some(_), None) => (
                format!(
                    "adds {email}'s existing account{}: its password does not change. They sign in as before.",
                    which_holds("which holds", &plan.holds, "", &shared.local)
                ),
                "Add guardian",
            ),
        };
        // The link being replaced is no one else's: it is not listed.
        let others: Vec<_> = plan
            .guardians
            .iter()
            .filter(|g| {
                plan.replaces
                    .as_ref()
                    .is_none_or(|r| r.email() != g.email())
            })
            .collect();
        let mut notes = if others.is_empty() {
            Vec::new()
        } else {
            let now: Vec<String> = others
                .iter()
                .map(|g| format!("{} ({})", g.email(), g.relationship))
                .collect();
            vec![format!(
                "Guardians now: {}. Their logins do not change.",
                now.join(", ")
            )]
        };
        // An administrator adding back a link that was removed is told when and why.
        if let Some(r) = &plan.removed {
            notes.push(crate::present::removed_note(r, &shared.local));
        }
        let patient = self.patient.clone();
        let relationship = plan.relationship;
        let expected = plan.expectation();
        CheckedConfirm::new(
            shared,
            "Add a guardian?",
            facts,
            (summary, false),
            verb,
            Box::new(move |identity_check| Request::AddGuardian {
                patient: patient.clone(),
                email: email.to_string(),
                relationship,
                access,
                identity_check,
                expected,
            }),
        )
        .with_notes(notes)
    }
}

impl Purpose for AddGuardianPurpose {
    fn kind(&self) -> ModalKind {
        ModalKind::AddGuardian
    }

    fn title(&self) -> String {
        "Add a guardian".into()
    }

    fn header(&self, shared: &Shared) -> Vec<Line<'static>> {
        let mut lines = patient_lines(shared, &self.patient);
        lines.push(Line::from(Span::styled(
            "Each guardian has their own login: never share one.",
            shared.theme.hint,
        )));
        lines
    }

    fn go_on(&self) -> &'static str {
        "Next…"
    }

    fn submit(&self, fields: &[Field], shared: &Shared) -> Result<Command, FieldError> {
        let email = fields[0].value().trim();
        if email.is_empty() {
            return Err(FieldError::at(0, "Type the guardian's email."));
        }
        let Some(relationship) = fields[1].chosen().map(|i| Relationship::ALL[i]) else {
            return Err(FieldError::at(
                1,
                "Choose how they are related to the patient (Left/Right).",
            ));
        };
        let access = ACCESS[fields[2].chosen().unwrap_or(0)];
        let req = AddGuardian::new(&self.patient.number, email, relationship).access(access);
        let planned = match &shared.session {
            Some(session) => shared.portal.plan_add_guardian_for(session, &req),
            None => shared.portal.plan_add_guardian(&req),
        };
        match planned {
            Ok(plan) => Ok(Command::Open(Box::new(
                self.confirmation(shared, plan, access),
            ))),
            Err(e) => Err(FieldError::from_error(&e, |i| self.field_of(i))),
        }
    }

    fn outcome<'r>(&self, reply: &'r Reply) -> Option<Result<(), &'r Error>> {
        match reply {
            Reply::GuardianAdded { patient, result } if *patient == self.patient => {
                Some(result.as_ref().map(|_| ()))
            }
            _ => None,
        }
    }

    fn field_of(&self, input: Input) -> Option<usize> {
        match input {
            Input::Email => Some(0),
            Input::Relationship => Some(1),
            Input::Access => Some(2),
            _ => None,
        }
    }
}

// ---- Remove a guardian (administrators) ---------------------------------

pub struct RemoveGuardianPurpose {
    email: Email,
    patients: Vec<PatientRef>,
}

/// An administrator removes a guardian from one of the patients of their
/// account (a custody change): the patient, and the reason, recorded.
pub type RemoveGuardianForm = Form<RemoveGuardianPurpose>;

impl RemoveGuardianForm {
    pub fn new(email: Email, patients: Vec<PatientRef>, shared: &Shared) -> RemoveGuardianForm {
        let options = patients
            .iter()
            .map(|p| {
                format!(
                    "{}, born {}, no. {}",
                    p.name,
                    shared.local.date(p.date_of_birth),
                    p.number
                )
            })
            .collect();
        // One patient: chosen already. Several: staff choose, by name and
        // birth date.
        let chosen = (patients.len() == 1).then_some(0);
        Form::with_fields(
            RemoveGuardianPurpose { email, patients },
            vec![
                Field::choice("Patient", options, chosen),
                Field::text("Reason"),
            ],
        )
    }
}

impl Purpose for RemoveGuardianPurpose {
    fn kind(&self) -> ModalKind {
        ModalKind::RemoveGuardian
    }

    fn title(&self) -> String {
        "Remove a guardian".into()
    }

    fn header(&self, shared: &Shared) -> Vec<Line<'static>> {
        let theme = &shared.theme;
        vec![
            key_value(theme, 9, "Guardian", self.email.to_string(), theme.title),
            Line::from(Span::styled(
                "They stop being a guardian of the patient you choose. Their account stays, with its password and its other patients.",
                theme.hint,
            )),
        ]
    }

    fn go_on(&self) -> &'static str {
        "Remove…"
    }

    fn submit(&self, fields: &[Field], shared: &Shared) -> Result<Command, FieldError> {
        let Some(patient) = fields[0].chosen().map(|i| self.patients[i].clone()) else {
            return Err(FieldError::at(0, "Choose the patient (Left/Right)."));
        };
        let reason = fields[1].value().trim().to_owned();
        if reason.is_empty() {
            return Err(FieldError::at(
                1,
                "Type the reason: it is recorded in the audit trail.",
            ));
        }
        let mut lines = vec![
            format!(
                "{} stops being a guardian of {}, born {}, no. {}.",
                self.email,
                patient.name,
                shared.local.date(patient.date_of_birth),
                patient.number
            ),
            format!("Reason: {reason}"),
            "Their account and its password stay as they are.".to_owned(),
        ];
        if shared.portal.notices_enabled() {
            lines.push("The account holder is told by email.".into());
        }
        Ok(Command::Open(Box::new(Confirm::new(
            "Remove this guardian?",
            lines,
            "Remove guardian",
            Command::Start(Request::RemoveGuardian {
                patient,
                email: self.email.clone(),
                reason,
            }),
        ))))
    }

    fn outcome<'r>(&self, reply: &'r Reply) -> Option<Result<(), &'r Error>> {
        match reply {
            Reply::GuardianRemoved { email, result, .. } if *email == self.email => {
                Some(result.as_ref().map(|_| ()))
            }
            _ => None,
        }
    }

    fn field_of(&self, input: Input) -> Option<usize> {
        match input {
            Input::Patient => Some(0),
            Input::Reason => Some(1),
            _ => None,
        }
    }
}

// ---- Change a login email (administrators) ------------------------------

pub struct ChangeLoginPurpose {
    account: AccountRef,
}

/// An administrator changes an account's login email; the password stays.
pub type ChangeLoginForm = Form<ChangeLoginPurpose>;

impl ChangeLoginForm {
    pub fn new(account: AccountRef) -> ChangeLoginForm {
        Form::with_fields(
            ChangeLoginPurpose { account },
            vec![Field::text("New login")],
        )
    }
}

impl Purpose for ChangeLoginPurpose {
    fn kind(&self) -> ModalKind {
        ModalKind::ChangeLogin
    }

    fn title(&self) -> String {
        "Change the login email".into()
    }

    fn header(&self, shared: &Shared) -> Vec<Line<'static>> {
        let theme = &shared.theme;
        vec![
            key_value(
                theme,
                15,
                "Login now",
                self.account.email.to_string(),
                theme.title,
            ),
            Line::from(Span::styled(
                "The password does not change: the account holder signs in with the new email and the same password.",
                theme.hint,
            )),
        ]
    }

    fn go_on(&self) -> &'static str {
        "Change…"
    }

    fn submit(&self, fields: &[Field], shared: &Shared) -> Result<Command, FieldError> {
        let typed = fields[0].value().trim();
        if typed.is_empty() {
            return Err(FieldError::at(0, "Type the new login email."));
        }
        let Some(session) = &shared.session else {
            return Err(FieldError {
                field: None,
                text: "Sign in first.".into(),
            });
        };
        // The services' own check, before the confirmation: a change that
        // cannot happen is refused here, beside the field, and never asked.
        let plan = shared
            .portal
            .check_login_change(
                session,
                self.account.email.as_str(),
                typed,
                Some(self.account.version),
            )
            .map_err(|e| FieldError::from_error(&e, |i| self.field_of(i)))?;
        let (old, new) = (&plan.old, plan.new);
        let mut lines = vec![
            format!("From: {old}"),
            format!("To:   {new}"),
            "The password does not change.".to_owned(),
        ];
        if shared.portal.notices_enabled() {
            lines.push("Both addresses are told by email.".into());
        }
        Ok(Command::Open(Box::new(Confirm::new(
            "Change the login email?",
            lines,
            "Change email",
            Command::Start(Request::ChangeLoginEmail {
                account: self.account.clone(),
                new: new.to_string(),
            }),
        ))))
    }

    fn outcome<'r>(&self, reply: &'r Reply) -> Option<Result<(), &'r Error>> {
        match reply {
            Reply::LoginChanged { account, result } if account.email == self.account.email => {
                Some(result.as_ref().map(|_| ()))
            }
            _ => None,
        }
    }

    fn field_of(&self, input: Input) -> Option<usize> {
        match input {
            Input::NewEmail | Input::Email => Some(0),
            _ => None,
        }
    }
}
