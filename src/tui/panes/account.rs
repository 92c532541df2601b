//! The portal-account pane: the selected patient, their e-correspondent
//! (grayed out when an account exists), the account's state, and
//! Create/Validate.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{PaneComponent, PaneFrame};
use crate::domain::AccountStatus;
use crate::domain::text::printable;
use crate::format_time;
use crate::present::{NO_ACCOUNT, account_status};
use crate::services::{PatientView, PlannedChange};
use crate::tui::component::{Command, Level, Response, Shared, sentence};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::Confirm;
use crate::tui::request::{PatientRef, Request};
use crate::tui::widgets::{block, key_value};

#[derive(Default)]
pub struct Account {
    view: Option<PatientView>,
    error: Option<String>,
}

impl Account {
    /// Shows the patient with this account number (nothing for `None`).
    pub fn show(&mut self, number: Option<&str>, shared: &Shared) {
        (self.view, self.error) = match number {
            None => (None, None),
            Some(no) => match shared.portal.patient_view(no) {
                Ok(v) => (Some(v), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
    }

    /// The patient as the person at the desk identifies them.
    fn patient_ref(view: &PatientView) -> PatientRef {
        let p = &view.patient;
        PatientRef {
            number: p.account_number.clone(),
            name: p.display_name(),
            date_of_birth: p.date_of_birth,
        }
    }

    /// Create/Validate for the patient shown: the confirmation of what the
    /// services say it will do, or why it cannot be done.
    fn create_validate(&self, shared: &Shared) -> Response {
        let Some(view) = self.view.as_ref() else {
            return Response::notice(Level::Info, "Select a patient first.");
        };
        let p = &view.patient;
        let plan = match shared.portal.create_validate_plan(&p.account_number, None) {
            Ok(plan) => plan,
            Err(e) => return Response::notice(Level::Error, sentence(&e)),
        };
        let who = format!("{} ({})", p.display_name(), p.account_number);
        let (title, lines) = match &plan.change {
            PlannedChange::Reset { account } => (
                "Reset portal password?",
                vec![
                    format!("Patient: {who}"),
                    format!("Account: {}", account.email),
                    "A new temporary password replaces the current one.".into(),
                    "The account holder must choose a new password at first sign-in.".into(),
                ],
            ),
            PlannedChange::Create { .. } | PlannedChange::Link { .. } => (
                "Create portal account?",
                vec![
                    format!("Patient: {who}"),
                    format!("Account: {} (the e-correspondent)", plan.email()),
                    "Creates the account (or adds the patient to the existing account of".into(),
                    "this email) and shows a temporary login to read to the account holder.".into(),
                ],
            ),
        };
        let request = Request::CreateValidate {
            patient: Self::patient_ref(view),
            version: plan.version(),
        };
        Response::Command(Command::Open(Box::new(Confirm::new(
            title,
            lines,
            "Yes",
            Command::Start(request),
        ))))
    }
}

impl PaneComponent for Account {
    fn context(&self) -> Context {
        Context::Status
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::CreateValidate => self.create_validate(shared),
            _ => Response::Ignored,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame) {
        let theme = &shared.theme;
        let b = block(theme, frame.title, frame.focused);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let kv = |k: &str, v: String, style| key_value(theme, 16, k, v, style);
        let mut lines: Vec<Line> = Vec::new();
        match (&self.view, &self.error) {
            (_, Some(e)) => lines.push(Line::from(Span::styled(printable(e), theme.error))),
            (None, None) => lines.push(Line::from(Span::styled(
                "Select a patient in the lookup.",
                theme.dim,
            ))),
            (Some(v), None) => {
                let p = &v.patient;
                lines.push(kv(
                    "Patient",
                    format!("{} ({})", printable(&p.display_name()), p.account_number),
                    theme.title,
                ));
                lines.push(kv("Born", p.date_of_birth.to_string(), theme.normal));
                let email = p
                    .email
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| "(none on file)".into());
                match &v.account {
                    Some(acc) => {
                        // Grayed out when an account exists, as in the original product.
                        lines.push(kv(
                            "E-correspondent",
                            format!("{email} (has account)"),
                            theme.dim,
                        ));
                        let style = match acc.status {
                            AccountStatus::Active if !acc.reset_required => theme.ok,
                            AccountStatus::Active => theme.warn,
                            _ => theme.error,
                        };
                        lines.push(kv("Portal account", acc.email.to_string(), theme.normal));
                        lines.push(kv("Status", account_status(acc), style));
                        lines.push(kv(
                            "Reset required",
                            if acc.reset_required { "yes" } else { "no" }.into(),
                            theme.normal,
                        ));
                        if let Some(t) = acc.temp_expires_at {
                            let note = if acc.temp_expired { " (EXPIRED)" } else { "" };
                            lines.push(kv(
                                "Temp. expires",
                                format!("{}{note}", format_time(t)),
                                if acc.temp_expired {
                                    theme.error
                                } else {
                                    theme.normal
                                },
                            ));
                        }
                        if let Some(t) = acc.locked_until {
                            lines.push(kv("Locked until", format_time(t), theme.error));
                        }
                        lines.push(kv(
                            "Last sign-in",
                            acc.last_sign_in
                                .map(format_time)
                                .unwrap_or_else(|| "never".into()),
                            theme.normal,
                        ));
                        lines.push(kv(
                            "Failed sign-ins",
                            acc.failed_count.to_string(),
                            theme.normal,
                        ));
                        if !v.siblings.is_empty() {
                            let names: Vec<String> = v
                                .siblings
                                .iter()
                                .map(|s| {
                                    format!(
                                        "{} {} ({})",
                                        printable(&s.first_name),
                                        printable(&s.last_name),
                                        s.account_number
                                    )
                                })
                                .collect();
                            lines.push(kv("Also on account", names.join(", "), theme.normal));
                        }
                    }
                    None => {
                        lines.push(kv("E-correspondent", email, theme.normal));
                        lines.push(kv("Status", NO_ACCOUNT.into(), theme.warn));
                    }
                }
                lines.push(Line::default());
                let action = if !v.portal_set_up {
                    Line::from(Span::styled(
                        "Create/Validate needs the portal e-correspondent: an administrator runs `portal-admin setup portal`.",
                        theme.error,
                    ))
                } else if v.account.as_ref().is_some_and(|a| a.disabled) {
                    Line::from(Span::styled(
                        "Disabled: an administrator must enable it first.",
                        theme.warn,
                    ))
                } else {
                    let what = if v.account.is_some() {
                        "reset the password"
                    } else {
                        "create the portal account"
                    };
                    Line::from(vec![
                        Span::styled("c", theme.key),
                        Span::raw(format!(" Create/Validate: {what}")),
                    ])
                };
                lines.push(action);
            }
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
