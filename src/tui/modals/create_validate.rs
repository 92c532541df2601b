//! Create/Validate's confirmation: who the patient is (name, date of
//! birth, number), whose login, what will happen in words, and how the
//! caller's identity and authority were checked (the practice's list,
//! `policy.identity_checks`). Focus starts on the list, then Cancel; the
//! confirming button is reached only with Tab or an arrow.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::present::plan_summary;
use crate::services::{CreateValidate, CreateValidatePlan, PlannedChange};
use crate::tui::component::{
    Command, Component, Level, Modal, ModalKind, Response, Shared, sentence,
};
use crate::tui::keys::{Action, Context};
use crate::tui::request::{PatientRef, Request};
use crate::tui::widgets::{
    Scroll, TOP, buttons, cycle, key_value, modal_box_with_footer, wrapped_height,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Checks,
    Cancel,
    Confirm,
}

pub struct CreateValidateConfirm {
    patient: PatientRef,
    /// "7 Mar 2019", in the practice's words.
    born: String,
    plan: CreateValidatePlan,
    reset_password: bool,
    checks: Vec<String>,
    required: bool,
    /// The highlighted check, and the one chosen.
    cursor: usize,
    chosen: Option<usize>,
    focus: Focus,
    error: Option<String>,
}

/// Create/Validate for patient `no`: its confirmation, or why it cannot be
/// done. `reset_password`: for a patient whose email already has an
/// account, also reset that account's password (asked separately).
pub fn ask(shared: &Shared, patient: PatientRef, reset_password: bool) -> Response {
    let Some(session) = &shared.session else {
        return Response::notice(Level::Error, "Sign in first.");
    };
    let req = CreateValidate::patient(&patient.number).reset_password(reset_password);
    match shared.portal.plan_create_validate(session, &req) {
        Ok(plan) => Response::Command(Command::Open(Box::new(CreateValidateConfirm::new(
            shared,
            patient,
            plan,
            reset_password,
        )))),
        Err(e) => Response::notice(Level::Error, sentence(&e)),
    }
}

impl CreateValidateConfirm {
    fn new(
        shared: &Shared,
        patient: PatientRef,
        plan: CreateValidatePlan,
        reset_password: bool,
    ) -> CreateValidateConfirm {
        let checks = shared.portal.identity_checks();
        let focus = if checks.choices.is_empty() {
            Focus::Cancel
        } else {
            Focus::Checks
        };
        CreateValidateConfirm {
            born: shared.local.date(patient.date_of_birth),
            patient,
            plan,
            reset_password,
            checks: checks.choices.to_vec(),
            required: checks.required,
            cursor: 0,
            chosen: None,
            focus,
            error: None,
        }
    }

    fn title(&self) -> &'static str {
        match &self.plan.change {
            PlannedChange::Create { .. } => "Create portal account?",
            PlannedChange::Reset { .. } => "Reset portal password?",
            PlannedChange::Link {
                reset_password: false,
                ..
            } => "Add to existing portal account?",
            PlannedChange::Link { .. } => "Add to account and reset its password?",
        }
    }

    fn verb(&self) -> &'static str {
        match &self.plan.change {
            PlannedChange::Create { .. } => "Create account",
            PlannedChange::Reset { .. } => "Reset password",
            PlannedChange::Link {
                reset_password: false,
                ..
            } => "Add to account",
            PlannedChange::Link { .. } => "Add and reset",
        }
    }

    fn focus_order(&self) -> Vec<Focus> {
        let mut order = Vec::new();
        if !self.checks.is_empty() {
            order.push(Focus::Checks);
        }
        order.extend([Focus::Cancel, Focus::Confirm]);
        order
    }

    fn step(&mut self, delta: isize) {
        let order = self.focus_order();
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = order[cycle(i, order.len(), delta)];
    }

    fn confirm(&mut self) -> Response {
        if self.required && self.chosen.is_none() {
            self.error = Some("Choose how the caller's identity was checked first.".into());
            self.focus = Focus::Checks;
            return Response::Consumed;
        }
        Response::Close(Some(Command::Start(Request::CreateValidate {
            patient: self.patient.clone(),
            login: self.plan.email().clone(),
            reset_password: self.reset_password,
            identity_check: self.chosen.map(|i| self.checks[i].clone()),
            version: self.plan.version(),
        })))
    }
}

impl Component for CreateValidateConfirm {
    fn context(&self, _: &Shared) -> Context {
        match self.focus {
            Focus::Checks => Context::IdentityCheck,
            _ => Context::Confirm,
        }
    }

    fn on_action(&mut self, action: Action, _: &Shared) -> Response {
        match (action, self.focus) {
            (Action::Cancel, _) => return Response::Close(None),
            (Action::NextField, _) => self.step(1),
            (Action::PrevField, _) => self.step(-1),
            (Action::Up, Focus::Checks) => {
                self.cursor = self.cursor.saturating_sub(1);
            }
            (Action::Down, Focus::Checks) => {
                self.cursor = (self.cursor + 1).min(self.checks.len().saturating_sub(1));
            }
            // Choosing a check moves on to Cancel, never to the change.
            (Action::Activate, Focus::Checks) => {
                self.chosen = Some(self.cursor);
                self.error = None;
                self.focus = Focus::Cancel;
            }
            (Action::Activate, Focus::Cancel) => return Response::Close(None),
            (Action::Activate, Focus::Confirm) => return self.confirm(),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let kv = |k: &str, v: String| key_value(theme, 9, k, v, theme.title);
        let mut reveal = None;
        let mut lines = vec![
            kv("Patient", printable(&self.patient.name)),
            kv("Born", self.born.clone()),
            kv("No.", self.patient.number.clone()),
            kv("Login", self.plan.email().to_string()),
            Line::default(),
        ];
        let mut what = plan_summary(&self.plan);
        if let Some(first) = what.get(..1) {
            let upper = first.to_uppercase();
            what.replace_range(..1, &upper);
        }
        let login = if self.plan.issues_login() {
            " A temporary login is shown to read to the account holder."
        } else {
            ""
        };
        lines.push(Line::from(Span::styled(
            format!("{what}.{login}"),
            if self.plan.replaces_password() {
                theme.warn
            } else {
                theme.normal
            },
        )));
        if !self.checks.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(format!(
                "How were the caller's identity and authority checked?{}",
                if self.required { "" } else { " (optional)" }
            )));
            for (i, c) in self.checks.iter().enumerate() {
                let mark = if self.chosen == Some(i) {
                    "(•)"
                } else {
                    "( )"
                };
                let here = self.focus == Focus::Checks && self.cursor == i;
                if here {
                    reveal = Some(lines.len());
                }
                lines.push(Line::from(Span::styled(
                    format!("{}{mark} {}", if here { "> " } else { "  " }, printable(c)),
                    if here { theme.selected } else { theme.normal },
                )));
            }
        }
        if let Some(e) = &self.error {
            reveal = Some(lines.len());
            lines.push(Line::from(Span::styled(e.clone(), theme.error)));
        }
        // On a small terminal the body scrolls to keep the focused check
        // (or the error) on screen; the buttons never scroll away.
        let inner_w = area.width.min(74).saturating_sub(2);
        let scroll = reveal.map_or(TOP, |i| {
            Scroll::Reveal(wrapped_height(&lines[..i], inner_w))
        });
        let footer = vec![
            Line::default(),
            buttons(
                theme,
                &[
                    ("Cancel", self.focus == Focus::Cancel),
                    (self.verb(), self.focus == Focus::Confirm),
                ],
            ),
            Line::from(Span::styled(
                if self.focus == Focus::Checks {
                    "Up/Down choose · Enter picks · Tab buttons · Esc cancels"
                } else {
                    "Tab/arrows choose · Enter presses · Esc cancels"
                },
                theme.hint,
            )),
        ];
        modal_box_with_footer(f, theme, area, self.title(), lines, footer, 74, scroll);
    }
}

impl Modal for CreateValidateConfirm {
    fn kind(&self) -> ModalKind {
        ModalKind::Confirm
    }
}
