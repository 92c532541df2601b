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
use crate::tui::widgets::modal_box;

pub struct TemporaryLoginPopup {
    login: TemporaryLogin,
    /// The patient of the request, not whoever is selected now.
    patient: PatientRef,
    copied: bool,
}

impl TemporaryLoginPopup {
    pub fn new(login: TemporaryLogin, patient: PatientRef) -> TemporaryLoginPopup {
        TemporaryLoginPopup {
            login,
            patient,
            copied: false,
        }
    }
}

impl Component for TemporaryLoginPopup {
    fn context(&self, _: &Shared) -> Context {
        Context::TempLogin
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::CopyLogin if !shared.ui.osc52_copy => Response::notice(
                Level::Info,
                "Copying is turned off (ui.osc52_copy = false).",
            ),
            Action::CopyLogin => {
                self.copied = true;
                Response::Command(Command::Copy(login_text(&self.login)))
            }
            // Closing drops the login, which zeroizes the password.
            Action::CloseLogin => Response::Close(Some(Command::Reload)),
            _ => Response::Ignored,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let l = &self.login;
        let kv = |k: &str, v: String, style: Style| {
            Line::from(vec![Span::raw(format!("{k:<20}")), Span::styled(v, style)])
        };
        let mut lines = vec![
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
            Line::default(),
        ];
        let copy = if self.copied { "copied" } else { "copy" };
        lines.push(Line::from(vec![
            Span::styled("c", theme.key),
            Span::raw(format!(" {copy} · ")),
            Span::styled("d", theme.key),
            Span::raw("/"),
            Span::styled("Enter", theme.key),
            Span::raw(" done"),
        ]));
        modal_box(f, theme, area, "Temporary login", lines, 66);
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
