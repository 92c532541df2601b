//! The Control Panel's Password form: new password twice and the
//! Password Reset Required checkbox, as in the portal's own Control Panel.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::error::Input;
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared, sentence};
use crate::tui::fields::SecretField;
use crate::tui::keys::{Action, Context};
use crate::tui::modals::Confirm;
use crate::tui::request::{AccountRef, Reply, Request};
use crate::tui::widgets::{buttons, modal_box, place_cursor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    New,
    Confirm,
    Checkbox,
    Save,
    Cancel,
}

impl Focus {
    const ORDER: [Focus; 5] = [
        Focus::New,
        Focus::Confirm,
        Focus::Checkbox,
        Focus::Save,
        Focus::Cancel,
    ];

    fn step(self, delta: isize) -> Focus {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        Self::ORDER[(i + delta).rem_euclid(Self::ORDER.len() as isize) as usize]
    }

    fn is_text(self) -> bool {
        matches!(self, Focus::New | Focus::Confirm)
    }
}

pub struct SetPassword {
    account: AccountRef,
    new: SecretField,
    confirm: SecretField,
    reset_required: bool,
    focus: Focus,
    /// An error shown next to a field.
    error: Option<(Focus, String)>,
}

impl SetPassword {
    pub fn new(account: AccountRef) -> SetPassword {
        SetPassword {
            account,
            new: SecretField::default(),
            confirm: SecretField::default(),
            reset_required: true,
            focus: Focus::New,
            error: None,
        }
    }

    fn field_error(&mut self, at: Focus, text: impl Into<String>) -> Response {
        self.error = Some((at, text.into()));
        self.focus = at;
        Response::Consumed
    }

    fn submit(&mut self, shared: &Shared) -> Response {
        if shared.busy() {
            return Response::Consumed;
        }
        if self.new.is_empty() {
            return self.field_error(Focus::New, "Type the new password.");
        }
        if self.confirm.is_empty() {
            return self.field_error(Focus::Confirm, "Type the new password again.");
        }
        self.error = None;
        Response::Command(Command::Start(Request::SetPassword {
            account: self.account.clone(),
            new: self.new.secret(),
            confirm: self.confirm.secret(),
            reset_required: self.reset_required,
        }))
    }

    fn cancel(&mut self) -> Response {
        if self.new.is_empty() && self.confirm.is_empty() {
            return Response::Close(None);
        }
        Response::Command(Command::Open(Box::new(Confirm::new(
            "Discard the new password?",
            vec!["What you typed will be cleared.".into()],
            "Discard",
            Command::CloseTop,
        ))))
    }
}

impl Component for SetPassword {
    fn context(&self, _: &Shared) -> Context {
        if self.focus.is_text() {
            Context::FormField
        } else {
            Context::FormButtons
        }
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        if shared.busy() && !matches!(action, Action::ForceQuit | Action::Redraw) {
            return Response::Consumed;
        }
        match action {
            Action::NextField => self.focus = self.focus.step(1),
            Action::PrevField => self.focus = self.focus.step(-1),
            Action::Toggle if self.focus == Focus::Checkbox => {
                self.reset_required = !self.reset_required
            }
            Action::Activate => match self.focus {
                Focus::Checkbox => self.reset_required = !self.reset_required,
                Focus::Save => return self.submit(shared),
                Focus::Cancel => return self.cancel(),
                _ => {}
            },
            Action::Submit => return self.submit(shared),
            Action::Cancel => return self.cancel(),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn on_text(&mut self, event: &Event, _: &Shared) -> Response {
        let changed = match self.focus {
            Focus::New => self.new.handle(event),
            Focus::Confirm => self.confirm.handle(event),
            _ => false,
        };
        if changed {
            self.error = None;
        }
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, _: &Shared) -> Response {
        match self.focus {
            Focus::New => self.new.insert_str(text),
            Focus::Confirm => self.confirm.insert_str(text),
            _ => {}
        }
        Response::Consumed
    }

    fn on_reply(&mut self, reply: &Reply, _: &Shared) -> Response {
        let Reply::AccountChanged {
            account, result, ..
        } = reply
        else {
            return Response::Ignored;
        };
        if account.email != self.account.email {
            return Response::Ignored;
        }
        match result {
            // A refused password stays on the form, next to its field.
            Err(e) => match e.input() {
                Some(Input::NewPassword) => self.field_error(Focus::New, sentence(e)),
                Some(Input::ConfirmPassword) => self.field_error(Focus::Confirm, sentence(e)),
                Some(Input::ResetRequired) => self.field_error(Focus::Checkbox, sentence(e)),
                _ => Response::Close(None),
            },
            _ => Response::Close(None),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let field = |label: &str, value: String, focus: Focus| {
            let focused = self.focus == focus;
            let mut line = vec![
                Span::styled(
                    format!("{}{label:<14}", if focused { "> " } else { "  " }),
                    if focused { theme.key } else { theme.normal },
                ),
                Span::styled(format!("{value} "), theme.input),
            ];
            if let Some((at, msg)) = &self.error
                && *at == focus
            {
                line.push(Span::raw(" "));
                line.push(Span::styled(printable(msg), theme.error));
            }
            Line::from(line)
        };
        let check = if self.reset_required { "[x]" } else { "[ ]" };
        let box_focused = self.focus == Focus::Checkbox;
        let lines = vec![
            Line::from(format!("User: {}", self.account.email)),
            Line::default(),
            field("New password", self.new.masked(), Focus::New),
            field("Confirm", self.confirm.masked(), Focus::Confirm),
            Line::default(),
            Line::from(Span::styled(
                format!(
                    "{}{check} Password Reset Required",
                    if box_focused { "> " } else { "  " }
                ),
                if box_focused {
                    theme.button_focus
                } else {
                    theme.normal
                },
            )),
            Line::default(),
            buttons(
                theme,
                &[
                    ("Save", self.focus == Focus::Save),
                    ("Cancel", self.focus == Focus::Cancel),
                ],
            ),
        ];
        let inner = modal_box(f, theme, area, "Set password", lines, 72);
        let (chars, row) = match self.focus {
            Focus::New => (self.new.cursor(), 2),
            Focus::Confirm => (self.confirm.cursor(), 3),
            _ => return,
        };
        place_cursor(f, inner, 16 + chars as u16, row);
    }
}

impl Modal for SetPassword {
    fn kind(&self) -> ModalKind {
        ModalKind::SetPassword
    }
}
