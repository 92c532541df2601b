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
use crate::error::Error;
use crate::format_time;
use crate::services::{AccountView, PatientView};
use crate::tui::component::{Command, Level, Response, Shared};
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

    /// Create/Validate for the patient shown: the confirmation, or why not.
    fn create_validate(&self, shared: &Shared) -> Response {
        let Some(view) = self.view.as_ref() else {
            return Response::notice(Level::Info, "Select a patient first.");
        };
        if shared.practice.setup.is_none() {
            return Response::notice(Level::Error, Error::PortalNotSetUp.to_string());
        }
        let p = &view.patient;
        let who = format!("{} ({})", p.display_name(), p.account_number);
        let (title, lines, version) = match &view.account {
            Some(acc) if acc.disabled => {
                return Response::notice(
                    Level::Error,
                    format!(
                        "The portal account {} is disabled; an administrator must enable it first.",
                        acc.email
                    ),
                );
            }
            Some(acc) => (
                "Reset portal password?",
                vec![
                    format!("Patient: {who}"),
                    format!("Account: {}", acc.email),
                    "A new temporary password replaces the current one.".into(),
                    "The account holder must choose a new password at first sign-in.".into(),
                ],
                Some(acc.version),
            ),
            None => match &p.email {
                Some(email) => (
                    "Create portal account?",
                    vec![
                        format!("Patient: {who}"),
                        format!("Account: {email} (the e-correspondent)"),
                        "Creates the account (or adds the patient to the existing account of"
                            .into(),
                        "this email) and shows a temporary login to read to the account holder."
                            .into(),
                    ],
                    None,
                ),
                None => {
                    return Response::notice(
                        Level::Error,
                        format!(
                            "Patient {} has no e-correspondent email: add it to the practice's records, or run `portal-admin account reset --patient {} --email EMAIL`.",
                            p.account_number, p.account_number
                        ),
                    );
                }
            },
        };
        let request = Request::CreateValidate {
            patient: Self::patient_ref(view),
            version,
        };
        Response::Command(Command::Open(Box::new(Confirm::new(
            title,
            lines,
            "Yes",
            Command::Start(request),
        ))))
    }
}

fn status_label(acc: &AccountView) -> String {
    let mut s = acc.status.label().to_owned();
    if acc.reset_required {
        s.push_str(" · RESET REQUIRED");
    }
    if acc.temp_expired {
        s.push_str(" · TEMPORARY PASSWORD EXPIRED");
    }
    s
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
                        lines.push(kv("Status", status_label(acc), style));
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
                        lines.push(kv("Status", "NO PORTAL ACCOUNT".into(), theme.warn));
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
