//! The temporary login that staff read to the account holder: who it is
//! for, the username, the password grouped and (on request) spelled with
//! the NATO alphabet, when it expires in the practice's time, and the
//! handout to print or save. No letter and no Esc closes it: Done does,
//! and then the password is zeroized and never shown again.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use zeroize::Zeroizing;

use crate::domain::text::printable;
use crate::present::{TimeStyle, handout, login_read_aloud, login_text_in, spelled_groups};
use crate::services::TemporaryLogin;
use crate::tui::component::{Command, Component, Level, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::SaveHandout;
use crate::tui::notice::NoticeState;
use crate::tui::request::{PatientRef, Reply, Request};
use crate::tui::widgets::{Scroll, buttons, cycle, modal_box_with_footer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Button {
    Spell,
    Copy,
    Print,
    Save,
    Done,
}

const BUTTONS: [Button; 5] = [
    Button::Spell,
    Button::Copy,
    Button::Print,
    Button::Save,
    Button::Done,
];

pub struct TemporaryLoginPopup {
    login: TemporaryLogin,
    /// The patient of the request, not whoever is selected now.
    patient: PatientRef,
    spelled: bool,
    copied: bool,
    /// Starts on Spell: a stray Enter never closes the login.
    focus: usize,
    /// Rows scrolled down, on a terminal too small for the whole login.
    scroll: u16,
    /// The notice the change queued for the account holder.
    notice: NoticeState,
}

impl TemporaryLoginPopup {
    pub fn new(login: TemporaryLogin, patient: PatientRef, shared: &Shared) -> TemporaryLoginPopup {
        TemporaryLoginPopup {
            notice: NoticeState::queued(login.notice.into_iter().collect(), shared),
            login,
            patient,
            spelled: false,
            copied: false,
            focus: 0,
            scroll: 0,
        }
    }

    /// The notices to send now, once the popup is on screen.
    pub fn notices(&self) -> Vec<u64> {
        self.notice.to_send()
    }

    /// The password's forms a printer's message must never repeat.
    fn secrets(&self) -> Vec<Zeroizing<String>> {
        let pw = self.login.password.expose();
        vec![
            Zeroizing::new(pw.to_owned()),
            Zeroizing::new(pw.replace('-', "")),
        ]
    }

    fn press(&mut self, shared: &Shared) -> Response {
        match BUTTONS[self.focus] {
            Button::Spell => {
                self.spelled = !self.spelled;
                Response::Consumed
            }
            Button::Copy if !shared.ui.osc52_copy => Response::notice(
                Level::Info,
                "Copying is turned off (ui.osc52_copy = false).",
            ),
            Button::Copy => {
                self.copied = true;
                Response::Command(Command::Copy(login_text_in(
                    &self.login,
                    &shared.local,
                    TimeStyle::Spoken,
                )))
            }
            Button::Print => Response::Command(Command::Start(Request::PrintHandout {
                text: handout(&self.login, &shared.local),
                secrets: self.secrets(),
            })),
            Button::Save => Response::Command(Command::Open(Box::new(SaveHandout::new(
                handout(&self.login, &shared.local),
                &self.patient,
                shared,
            )))),
            // Closing drops the login, which zeroizes the password.
            Button::Done => Response::Close(Some(Command::Reload)),
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
            // The login is at most about twenty rows: no further.
            Action::Down => self.scroll = (self.scroll + 1).min(20),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Activate => return self.press(shared),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn on_reply(&mut self, reply: &Reply, shared: &Shared) -> Response {
        if self.notice.take(reply, &shared.local) {
            Response::Consumed
        } else {
            Response::Ignored
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let l = &self.login;
        // On a small terminal, short labels and no blank lines: the login
        // itself must stay on screen.
        let narrow = area.width < 60;
        let small = area.height < 20;
        let w = if narrow { 10 } else { 20 };
        let kv = |k: &str, short: &str, v: String, style: Style| {
            let k = if narrow { short } else { k };
            Line::from(vec![Span::raw(format!("{k:<w$}")), Span::styled(v, style)])
        };
        let mut lines = vec![
            kv(
                "Patient",
                "Patient",
                printable(&self.patient.name),
                theme.normal,
            ),
            kv(
                "Born · no.",
                "Born·no.",
                format!(
                    "{} · {}",
                    shared.local.date(self.patient.date_of_birth),
                    self.patient.number
                ),
                theme.normal,
            ),
            kv("Username", "Username", l.username.to_string(), theme.secret),
            kv(
                "Temporary password",
                "Password",
                l.password.expose().to_owned(),
                theme.secret,
            ),
        ];
        if self.spelled {
            for group in spelled_groups(&l.password) {
                lines.push(Line::from(format!("{:w$}{}", "", group.as_str())));
            }
        }
        lines.extend([
            kv(
                "Expires",
                "Expires",
                shared.local.spoken(l.expires_at),
                theme.normal,
            ),
            kv(
                "Sign in at",
                "Sign in",
                printable(&l.sign_in_url),
                theme.normal,
            ),
        ]);
        if !small {
            lines.push(Line::default());
        }
        lines.extend(
            login_read_aloud(self.notice.noticed())
                .iter()
                .map(|s| Line::from(*s)),
        );
        lines.push(Line::from(
            "Once closed, this temporary password is never shown again.",
        ));
        lines.extend(self.notice.line(theme));
        let labels: Vec<(&str, bool)> = BUTTONS
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let label = match b {
                    Button::Spell if self.spelled => "Hide spelling",
                    Button::Spell => "Spell",
                    Button::Copy if self.copied => "Copy again",
                    Button::Copy => "Copy",
                    Button::Print => "Print",
                    Button::Save => "Save…",
                    Button::Done => "Done",
                };
                (label, i == self.focus)
            })
            .collect();
        let mut footer = vec![
            buttons(theme, &labels),
            Line::from(Span::styled(
                if narrow {
                    "Tab choose · Enter press · Done closes"
                } else {
                    "Tab/arrows choose · Enter presses · Done closes"
                },
                theme.hint,
            )),
        ];
        if !small {
            footer.insert(0, Line::default());
        }
        modal_box_with_footer(
            f,
            theme,
            area,
            "Temporary login",
            lines,
            footer,
            72,
            Scroll::Offset(self.scroll),
        );
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
