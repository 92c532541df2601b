//! The portal-account pane: the selected patient, their e-correspondent
//! (grayed out when an account exists), their guardians (each with their
//! own login, relationship and where their access stands), the account's
//! state, Create/Validate and adding a guardian.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{PaneComponent, PaneFrame};
use crate::domain::AccountStatus;
use crate::domain::text::printable;
use crate::error::{Error, Refusal};
use crate::present::{
    HistoryLine, NO_ACCOUNT, account_status, guardian_status, guardian_summary, history_line,
};
use crate::services::{CreateValidate, PatientView, PlannedChange};
use crate::tui::component::{Command, Level, Response, Shared, sentence};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::{AddGuardianForm, create_validate};
use crate::tui::request::PatientRef;
use crate::tui::widgets::{block, key_value, wrapped_height};

/// How many events of an account's history the pane shows.
const HISTORY: usize = 8;

/// What Create/Validate would do for the patient shown, as the services say.
enum Plan {
    Change(PlannedChange),
    /// Several guardians: staff choose whose login.
    ChooseGuardian(usize),
    /// Why it cannot be done.
    Refused(String),
}

#[derive(Default)]
pub struct Account {
    view: Option<PatientView>,
    plan: Option<Plan>,
    error: Option<String>,
    /// The account's recent history: when, who, what.
    history: Vec<HistoryLine>,
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
        let session = shared.session.as_ref();
        self.plan = self.view.as_ref().zip(session).map(|(v, s)| {
            let req = CreateValidate::patient(&v.patient.account_number);
            match shared.portal.plan_create_validate(s, &req) {
                Ok(plan) => Plan::Change(plan.change),
                Err(Error::Refused(Refusal::ChooseGuardian { count, .. })) => {
                    Plan::ChooseGuardian(count)
                }
                Err(e) => Plan::Refused(sentence(&e)),
            }
        });
        // The recent history of every guardian's account, newest first.
        let mut events: Vec<_> = match &self.view {
            Some(v) if v.guardians.len() > 1 => v
                .guardians
                .iter()
                .filter_map(|g| shared.portal.account_history(g.account.id, HISTORY).ok())
                .flatten()
                .collect(),
            Some(v) => v
                .account
                .as_ref()
                .and_then(|a| shared.portal.account_history(a.id, HISTORY).ok())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        events.sort_by_key(|e| std::cmp::Reverse(e.seq));
        events.dedup_by_key(|e| e.seq);
        events.truncate(HISTORY);
        self.history = events
            .iter()
            .map(|e| history_line(e, &shared.local))
            .collect();
    }

    /// "F2 Create/Validate: …" — what it would do, or why it cannot.
    fn action_line(&self, shared: &Shared) -> Line<'static> {
        let theme = &shared.theme;
        match &self.plan {
            None => Line::default(),
            Some(Plan::Refused(why)) => Line::from(Span::styled(
                format!("Create/Validate is not possible: {why}"),
                theme.warn,
            )),
            Some(plan) => {
                let what = match plan {
                    Plan::Change(PlannedChange::Create { .. }) => {
                        "create the portal account".into()
                    }
                    Plan::Change(PlannedChange::Link { .. }) => {
                        "add to the existing account of this email (password unchanged)".into()
                    }
                    Plan::Change(PlannedChange::Reset { .. }) => "reset the password".into(),
                    Plan::ChooseGuardian(n) => {
                        format!("choose whose login to reset ({n} guardians)")
                    }
                    Plan::Refused(_) => String::new(),
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
        match self.view.as_ref() {
            Some(view) => create_validate::ask(shared, Self::patient_ref(view), None, false),
            None => Response::notice(Level::Info, "Select a patient first."),
        }
    }

    /// Adding a guardian to the patient shown: the form.
    fn add_guardian(&self) -> Response {
        match self.view.as_ref() {
            Some(view) => Response::Command(Command::Open(Box::new(AddGuardianForm::new(
                Self::patient_ref(view),
            )))),
            None => Response::notice(Level::Info, "Select a patient first."),
        }
    }

    /// Several guardians: one line each, in the words of the age rules
    /// (ended links grayed out), each account's state under it.
    fn guardian_lines(view: &PatientView, shared: &Shared) -> Vec<Line<'static>> {
        let theme = &shared.theme;
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "Guardians ({}), each with their own login",
                view.guardians.len()
            ),
            theme.title,
        ))];
        for g in &view.guardians {
            let style = if g.is_ended() {
                theme.dim
            } else {
                theme.normal
            };
            lines.push(Line::from(Span::styled(
                guardian_summary(g, &shared.local),
                style,
            )));
            lines.push(Line::from(Span::styled(
                format!("  {}", account_status(&g.account)),
                style,
            )));
        }
        lines
    }
}

impl PaneComponent for Account {
    fn context(&self) -> Context {
        Context::Status
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::CreateValidate => self.create_validate(shared),
            Action::AddGuardian => self.add_guardian(),
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
                if narrow {
                    // The number on a line of its own: a name does not
                    // wrap, and moving between patients redraws little.
                    lines.push(kv("Patient", printable(&p.display_name()), theme.title));
                    lines.push(kv("No.", p.account_number.clone(), theme.normal));
                } else {
                    lines.push(kv(
                        "Patient",
                        format!("{} ({})", printable(&p.display_name()), p.account_number),
                        theme.title,
                    ));
                }
                lines.push(kv("Born", shared.local.date(p.date_of_birth), theme.normal));
                let email = p
                    .email
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| "(none on file)".into());
                match &v.account {
                    Some(_) if v.guardians.len() > 1 => {
                        lines.push(kv("E-correspondent", email, theme.normal));
                        lines.push(Line::default());
                        lines.extend(Self::guardian_lines(v, shared));
                    }
                    Some(acc) => {
                        // Grayed out when an account exists, as in the original product.
                        // When the patient's one account is a guardian's own login,
                        // the email is no login: not "has account" (fresh eyes,
                        // session 7, second pass, finding 6).
                        let shown = match &p.email {
                            None => email,
                            Some(e) if *e == acc.email => format!("{email} (has account)"),
                            Some(_) => format!("{email} (no login; the account is below)"),
                        };
                        lines.push(kv("E-correspondent", shown, theme.dim));
                        let style = match acc.status {
                            AccountStatus::Active if !acc.reset_required => theme.ok,
                            AccountStatus::Active => theme.warn,
                            _ => theme.error,
                        };
                        lines.push(kv("Portal account", acc.email.to_string(), theme.normal));
                        if let Some(g) = v.guardians.first() {
                            lines.push(kv(
                                "Guardian link",
                                format!(
                                    "{}, {}",
                                    g.relationship,
                                    guardian_status(g, &shared.local)
                                ),
                                if g.is_ended() {
                                    theme.dim
                                } else {
                                    theme.normal
                                },
                            ));
                        }
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
                                format!("{}{note}", shared.local.spoken(t)),
                                if acc.temp_expired {
                                    theme.error
                                } else {
                                    theme.normal
                                },
                            ));
                        }
                        if let Some(t) = acc.locked_until {
                            lines.push(kv("Locked until", shared.local.spoken(t), theme.error));
                        }
                        lines.push(kv(
                            "Last sign-in",
                            acc.last_sign_in
                                .map(|t| shared.local.spoken(t))
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
                lines.push(Line::from(vec![
                    Span::styled("F3", theme.key),
                    Span::raw(" add a guardian (their own login)"),
                ]));
                if !self.history.is_empty() {
                    lines.push(Line::default());
                    lines.push(Line::from(Span::styled("Recent history", theme.title)));
                    for h in &self.history {
                        lines.push(Line::from(vec![
                            Span::styled(
                                format!("{} · {} · ", h.when, printable(&h.who)),
                                theme.hint,
                            ),
                            Span::raw(printable(&h.what)),
                        ]));
                    }
                }
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
        "Guardian link" => "Link",
        other => other,
    }
}
