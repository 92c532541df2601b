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
use crate::services::{CreateValidatePlan, PatientView, PlannedChange};
use crate::tui::component::{Command, Level, Response, Shared, sentence};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::Confirm;
use crate::tui::request::{PatientRef, Request};
use crate::tui::widgets::{block, key_value, wrapped_height};

#[derive(Default)]
pub struct Account {
    view: Option<PatientView>,
    /// What Create/Validate would do for this patient, as the services say.
    plan: Option<Result<CreateValidatePlan, String>>,
    error: Option<String>,
    scroll: u16,
    /// How far it can scroll at the size it was last drawn (drawing notes
    /// it, so that scrolling stops at the end).
    max_scroll: std::cell::Cell<u16>,
}

impl Account {
    /// Shows the patient with this account number (nothing for `None`).
    pub fn show(&mut self, number: Option<&str>, shared: &Shared) {
        self.scroll = 0;
        (self.view, self.error) = match number {
            None => (None, None),
            Some(no) => match shared.portal.patient_view(no) {
                Ok(v) => (Some(v), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        self.plan = self.view.as_ref().map(|v| {
            shared
                .portal
                .create_validate_plan(&v.patient.account_number, None)
                .map_err(|e| sentence(&e))
        });
    }

    /// "F2 Create/Validate: …" — what it would do, or why it cannot.
    fn action_line(&self, shared: &Shared) -> Line<'static> {
        let theme = &shared.theme;
        match &self.plan {
            None => Line::default(),
            Some(Err(why)) => Line::from(Span::styled(
                format!("Create/Validate is not possible: {why}"),
                theme.warn,
            )),
            Some(Ok(plan)) => {
                let what = match plan.change {
                    PlannedChange::Create { .. } => "create the portal account",
                    PlannedChange::Link { .. } => "add to the existing account of this email",
                    PlannedChange::Reset { .. } => "reset the password",
                };
                Line::from(vec![
                    Span::styled("F2", theme.key),
                    Span::raw(format!(" Create/Validate: {what}")),
                ])
            }
        }
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
            Action::Down => {
                self.scroll = (self.scroll + 1).min(self.max_scroll.get());
                Response::Consumed
            }
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Response::Consumed
            }
            _ => Response::Ignored,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame) {
        let theme = &shared.theme;
        let b = block(theme, frame.title, frame.focused);
        let inner = b.inner(area);
        f.render_widget(b, area);
        // Narrow panes get short labels, so values are not wrapped away.
        let narrow = inner.width < 50;
        let width = if narrow { 11 } else { 16 };
        let kv = |k: &str, v: String, style| {
            let k = if narrow { short_label(k) } else { k };
            key_value(theme, width, k, v, style)
        };
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
                lines.push(self.action_line(shared));
            }
        }
        let total = wrapped_height(&lines, inner.width);
        self.max_scroll.set(total.saturating_sub(inner.height));
        let scroll = self.scroll.min(self.max_scroll.get());
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            inner,
        );
    }
}

/// The label a narrow pane shows instead of `label`.
fn short_label(label: &str) -> &str {
    match label {
        "E-correspondent" => "Email",
        "Portal account" => "Login",
        "Reset required" => "Reset req.",
        "Temp. expires" => "Temp. exp.",
        "Locked until" => "Locked to",
        "Last sign-in" => "Last in",
        "Failed sign-ins" => "Failures",
        "Also on account" => "Also on it",
        other => other,
    }
}
