//! The temporary login that staff read to the account holder. Esc never
//! closes it; once closed, the password is zeroized and never shown again.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::format_time;
use crate::present::login_text;
use crate::services::TemporaryLogin;
use crate::tui::component::{Command, Component, Level, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::request::PatientRef;
use crate::tui::widgets::{buttons, cycle, modal_box_with_footer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Button {
    Copy,
    Done,
}

const BUTTONS: [Button; 2] = [Button::Copy, Button::Done];

pub struct TemporaryLoginPopup {
    login: TemporaryLogin,
    /// The patient of the request, not whoever is selected now.
    patient: PatientRef,
    copied: bool,
    /// Starts on Copy: a stray Enter never closes the login.
    focus: usize,
}

impl TemporaryLoginPopup {
    pub fn new(login: TemporaryLogin, patient: PatientRef) -> TemporaryLoginPopup {
        TemporaryLoginPopup {
            login,
            patient,
            copied: false,
            focus: 0,
        }
    }
}

impl Component for TemporaryLoginPopup {
    fn context(&self, _: &Shared) -> Context {
        Context::TempLogin
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::NextField => self.focus = cycle(self.focus, BUTTONS.len(), 1),
            Action::PrevField => self.focus = cycle(self.focus, BUTTONS.len(), -1),
            Action::Activate => match BUTTONS[self.focus] {
                Button::Copy if !shared.ui.osc52_copy => {
                    return Response::notice(
                        Level::Info,
                        "Copying is turned off (ui.osc52_copy = false).",
                    );
                }
                Button::Copy => {
                    self.copied = true;
                    return Response::Command(Command::Copy(login_text(&self.login)));
                }
                // Closing drops the login, which zeroizes the password.
                Button::Done => return Response::Close(Some(Command::Reload)),
            },
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let l = &self.login;
        let kv = |k: &str, v: String, style: Style| {
            Line::from(vec![Span::raw(format!("{k:<20}")), Span::styled(v, style)])
        };
        let lines = vec![
            kv("Patient", printable(&self.patient.name), theme.normal),
            kv("Username", l.username.to_string(), theme.secret),
            kv(
                "Temporary password",
                l.password.expose().to_owned(),
                theme.secret,
            ),
            kv("Expires", format_time(l.expires_at), theme.normal),
            kv("Sign in at", printable(&l.sign_in_url), theme.normal),
            Line::default(),
            Line::from("No email was sent: read this login to the account holder."),
            Line::from("They must choose a new password at their first sign-in."),
            Line::from("Once closed, this temporary password is never shown again."),
        ];
        let copy = if self.copied { "Copy again" } else { "Copy" };
        let footer = vec![
            Line::default(),
            buttons(theme, &[(copy, self.focus == 0), ("Done", self.focus == 1)]),
            Line::from(Span::styled(
                "Tab/arrows choose · Enter presses · Done closes",
                theme.hint,
            )),
        ];
        modal_box_with_footer(f, theme, area, "Temporary login", lines, footer, 66, 0);
    }
}

impl Modal for TemporaryLoginPopup {
    fn kind(&self) -> ModalKind {
        ModalKind::TemporaryLogin
    }

    fn temporary_login(&self) -> Option<&TemporaryLogin> {
        Some(&self.login)
    }
}
