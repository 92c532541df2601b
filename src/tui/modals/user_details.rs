//! Control Panel → a user's details (administrators): who is on the
//! account (each patient with the holder's relationship and access) and
//! in what state it is, with the actions of the portal's own Control Panel
//! as buttons: Password, Unlock, Disable/Enable — and the families'
//! Login email… and Remove guardian….

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::error::Error;
use crate::present::{HistoryLine, account_status, guardian_status, history_line, patient_named};
use crate::services::{AccountChange, AccountView};
use crate::tui::component::{
    Command, Component, Level, Modal, ModalKind, Response, Shared, sentence,
};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::{ChangeLoginForm, Confirm, RemoveGuardianForm, SetPassword};
use crate::tui::request::{AccountRef, PatientRef, Request};
use crate::tui::widgets::{Scroll, buttons, cycle, key_value, modal_box_with_footer};

/// How many events of the account's history the details show.
const HISTORY: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Button {
    Password,
    Unlock,
    Disable,
    Login,
    Remove,
    Close,
}

const BUTTONS: [Button; 6] = [
    Button::Password,
    Button::Unlock,
    Button::Disable,
    Button::Login,
    Button::Remove,
    Button::Close,
];

pub struct UserDetails {
    account: AccountView,
    /// The patients on the account: "Name, born D, no. N — mother: full
    /// access, limited from …".
    patients: Vec<String>,
    /// The same patients, to remove the holder as a guardian of one.
    patient_refs: Vec<PatientRef>,
    /// The account's recent history: when, who, what.
    history: Vec<HistoryLine>,
    focus: usize,
    scroll: u16,
}

impl UserDetails {
    pub fn new(account: AccountView, shared: &Shared) -> UserDetails {
        let (account, patients, history) = match shared
            .portal
            .account_details(account.email.as_str(), HISTORY)
        {
            Ok(d) => (d.account, d.patients, d.history),
            Err(_) => (account, Vec::new(), Vec::new()),
        };
        let link = |number: &str| {
            let guardians = shared.portal.guardians(number).ok()?;
            let g = guardians.iter().find(|g| g.account.id == account.id)?;
            Some(format!(
                " — {}: {}",
                g.relationship,
                guardian_status(g, &shared.local)
            ))
        };
        let patient_refs: Vec<PatientRef> = patients
            .iter()
            .map(|p| PatientRef {
                number: p.account_number.clone(),
                name: p.display_name(),
                date_of_birth: p.date_of_birth,
            })
            .collect();
        let patients = patients
            .iter()
            .map(|p| patient_named(p, &shared.local) + &link(&p.account_number).unwrap_or_default())
            .collect();
        let history = history
            .iter()
            .map(|e| history_line(e, &shared.local))
            .collect();
        UserDetails {
            account,
            patients,
            patient_refs,
            history,
            focus: 0,
            scroll: 0,
        }
    }

    fn account_ref(&self) -> AccountRef {
        AccountRef {
            email: self.account.email.clone(),
            version: self.account.version,
        }
    }

    /// Whether the services allow `change` for this operator; if not, the
    /// message that says why.
    fn refusal(&self, shared: &Shared, change: AccountChange) -> Option<Response> {
        let outcome = match &shared.session {
            Some(s) => shared.portal.check_account_change(s, &self.account, change),
            None => Err(Error::NotSignedIn {
                what: "the Control Panel",
            }),
        };
        outcome
            .err()
            .map(|e| Response::notice(Level::Info, sentence(&e)))
    }

    fn confirm(&self, title: String, yes: &'static str, request: Request) -> Response {
        let lines = vec![format!("Status now: {}", account_status(&self.account))];
        Response::Close(Some(Command::Open(Box::new(Confirm::new(
            title,
            lines,
            yes,
            Command::Start(request),
        )))))
    }

    fn press(&self, shared: &Shared) -> Response {
        let email = &self.account.email;
        match BUTTONS[self.focus] {
            Button::Close => Response::Close(None),
            Button::Password => Response::Close(Some(Command::Open(Box::new(SetPassword::new(
                self.account_ref(),
            ))))),
            Button::Login => Response::Close(Some(Command::Open(Box::new(ChangeLoginForm::new(
                self.account_ref(),
            ))))),
            Button::Remove if self.patient_refs.is_empty() => Response::notice(
                Level::Info,
                format!("{email} is not a guardian of any patient."),
            ),
            Button::Remove => Response::Close(Some(Command::Open(Box::new(
                RemoveGuardianForm::new(email.clone(), self.patient_refs.clone(), shared),
            )))),
            Button::Unlock => match self.refusal(shared, AccountChange::Unlock) {
                Some(r) => r,
                None => self.confirm(
                    format!("Unlock {email}?"),
                    "Unlock",
                    Request::Unlock {
                        account: self.account_ref(),
                    },
                ),
            },
            Button::Disable => {
                let disabled = !self.account.disabled;
                let (change, verb) = if disabled {
                    (AccountChange::Disable, "Disable")
                } else {
                    (AccountChange::Enable, "Enable")
                };
                match self.refusal(shared, change) {
                    Some(r) => r,
                    None => self.confirm(
                        format!("{verb} {email}?"),
                        verb,
                        Request::SetDisabled {
                            account: self.account_ref(),
                            disabled,
                        },
                    ),
                }
            }
        }
    }

    fn lines(&self, shared: &Shared) -> Vec<Line<'static>> {
        let theme = &shared.theme;
        let a = &self.account;
        let kv = |k: &str, v: String| key_value(theme, 16, k, v, theme.normal);
        let mut lines = vec![
            kv("Login", a.email.to_string()),
            kv("Status", account_status(a)),
            kv(
                "Reset required",
                if a.reset_required { "yes" } else { "no" }.into(),
            ),
        ];
        if let Some(t) = a.temp_expires_at {
            let note = if a.temp_expired { " (EXPIRED)" } else { "" };
            lines.push(kv(
                "Temp. expires",
                format!("{}{note}", shared.local.spoken(t)),
            ));
        }
        if let Some(t) = a.locked_until {
            lines.push(kv("Locked until", shared.local.spoken(t)));
        }
        lines.push(kv("Failed sign-ins", a.failed_count.to_string()));
        lines.push(kv(
            "Last sign-in",
            a.last_sign_in
                .map(|t| shared.local.spoken(t))
                .unwrap_or_else(|| "never".into()),
        ));
        lines.push(Line::from(Span::styled(
            "Patients on the account:",
            theme.title,
        )));
        for p in &self.patients {
            lines.push(Line::from(format!("  {p}")));
        }
        if !self.history.is_empty() {
            lines.push(Line::from(Span::styled("Recent history:", theme.title)));
            for h in &self.history {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {} · {} · ", h.when, printable(&h.who)),
                        theme.hint,
                    ),
                    Span::raw(printable(&h.what)),
                ]));
            }
        }
        lines
    }
}

impl Component for UserDetails {
    fn context(&self, _: &Shared) -> Context {
        Context::UserDetails
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::NextField => self.focus = cycle(self.focus, BUTTONS.len(), 1),
            Action::PrevField => self.focus = cycle(self.focus, BUTTONS.len(), -1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Activate => return self.press(shared),
            Action::Cancel => return Response::Close(None),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let toggle = if self.account.disabled {
            "Enable"
        } else {
            "Disable"
        };
        let labels: Vec<(&str, bool)> = BUTTONS
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let label = match b {
                    Button::Password => "Password",
                    Button::Unlock => "Unlock",
                    Button::Disable => toggle,
                    Button::Login => "Login email…",
                    Button::Remove => "Remove guardian…",
                    Button::Close => "Close",
                };
                (label, i == self.focus)
            })
            .collect();
        let footer = vec![
            buttons(theme, &labels),
            Line::from(Span::styled(
                "Tab/arrows choose · Enter presses · Esc closes",
                theme.hint,
            )),
        ];
        let title = format!("User {}", self.account.email);
        modal_box_with_footer(
            f,
            theme,
            area,
            &title,
            self.lines(shared),
            footer,
            74,
            Scroll::Offset(self.scroll),
        );
    }
}

impl Modal for UserDetails {
    fn kind(&self) -> ModalKind {
        ModalKind::UserDetails
    }
}
