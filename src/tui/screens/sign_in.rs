//! The operator sign-in form. Password fields are zeroizing buffers; a
//! refused sign-in clears them and says why in one sentence. An operator
//! whose password an administrator reset chooses their own here, before
//! anything else.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;

use crate::Secret;
use crate::domain::text::printable;
use crate::error::{Error, Input as Field};
use crate::services::{DEMO_ADMIN, DEMO_STAFF};
use crate::tui::component::{Command, Component, Response, Shared, sentence};
use crate::tui::fields::{SecretField, handle_text, paste_text};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::centered;
use crate::tui::request::{Reply, Request};
use crate::tui::widgets::{block, field_line, place_cursor, wrapped_height};

/// The form's fields, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Focus {
    #[default]
    Name,
    Password,
    New,
    Again,
}

#[derive(Default)]
pub struct SignIn {
    name: Input,
    password: SecretField,
    /// The password of the sign-in under way, until its answer.
    sent: Option<Secret>,
    /// After an administrator reset this operator's password: the one they
    /// signed in with, kept (zeroizing) until they chose their own.
    current: Option<Secret>,
    new: SecretField,
    again: SecretField,
    focus: Focus,
    error: Option<String>,
}

impl SignIn {
    /// A fresh form, with the reason the last operator was signed out.
    pub fn new(why: Option<String>) -> SignIn {
        SignIn {
            error: why,
            ..SignIn::default()
        }
    }

    /// True while the operator is choosing their own password.
    fn choosing(&self) -> bool {
        self.current.is_some()
    }

    fn fields(&self) -> &'static [Focus] {
        if self.choosing() {
            &[Focus::New, Focus::Again]
        } else {
            &[Focus::Name, Focus::Password]
        }
    }

    fn step(&mut self) {
        let fields = self.fields();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = fields[(i + 1) % fields.len()];
    }

    fn refuse(&mut self, focus: Focus, why: &str) -> Response {
        self.error = Some(why.into());
        self.focus = focus;
        Response::Consumed
    }

    fn submit(&mut self) -> Response {
        let name = self.name.value().to_owned();
        if let Some(current) = &self.current {
            if self.new.is_empty() {
                return self.refuse(Focus::New, "Type the password you choose.");
            }
            if self.again.is_empty() {
                return self.refuse(Focus::Again, "Type it again.");
            }
            let request = Request::ChangeOwnPassword {
                name,
                current: current.clone(),
                new: self.new.secret(),
                confirm: self.again.secret(),
            };
            self.error = None;
            return Response::Command(Command::Start(request));
        }
        if name.trim().is_empty() {
            return self.refuse(Focus::Name, "Type your operator name.");
        }
        if self.password.is_empty() {
            return self.refuse(Focus::Password, "Type your password.");
        }
        // Kept until the answer: if an administrator reset it, the
        // operator chooses their own next, proving who they are with it.
        let password = self.password.secret();
        let request = Request::SignIn {
            name,
            password: password.clone(),
        };
        self.sent = Some(password);
        self.password.clear();
        self.error = None;
        Response::Command(Command::Start(request))
    }
}

impl Component for SignIn {
    fn context(&self, _: &Shared) -> Context {
        Context::SignIn
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        if shared.busy() && action != Action::Quit {
            return Response::Consumed;
        }
        match action {
            Action::NextField | Action::PrevField => self.step(),
            Action::Cancel => *self = SignIn::default(),
            Action::Submit => return self.submit(),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn on_text(&mut self, event: &Event, _: &Shared) -> Response {
        match self.focus {
            Focus::Name => {
                handle_text(&mut self.name, event);
            }
            Focus::Password => {
                self.password.handle(event);
            }
            Focus::New => {
                self.new.handle(event);
            }
            Focus::Again => {
                self.again.handle(event);
            }
        }
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, _: &Shared) -> Response {
        match self.focus {
            Focus::Name => paste_text(&mut self.name, text),
            Focus::Password => self.password.insert_str(text),
            Focus::New => self.new.insert_str(text),
            Focus::Again => self.again.insert_str(text),
        }
        Response::Consumed
    }

    fn on_reply(&mut self, reply: &Reply, _: &Shared) -> Response {
        let Reply::SignedIn(result) = reply else {
            return Response::Ignored;
        };
        let sent = self.sent.take();
        match result {
            Ok(_) => Response::Ignored,
            Err(Error::MustChangePassword { .. }) => {
                self.current = sent;
                self.focus = Focus::New;
                self.error =
                    Some("An administrator set your password: choose your own now (twice).".into());
                Response::Consumed
            }
            Err(e) if self.choosing() && e.input().is_some_and(|i| i == Field::ConfirmPassword) => {
                self.again.clear();
                self.refuse(Focus::Again, &sentence(e))
            }
            Err(e) if self.choosing() && e.input().is_some_and(|i| i == Field::NewPassword) => {
                self.new.clear();
                self.again.clear();
                self.refuse(Focus::New, &sentence(e))
            }
            Err(e) => {
                // Anything else starts the sign-in again.
                let name = std::mem::take(&mut self.name);
                *self = SignIn::default();
                self.name = name;
                self.focus = Focus::Password;
                self.error = Some(sentence(e));
                Response::Consumed
            }
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let mut lines = vec![
            Line::from(Span::styled(
                if self.choosing() {
                    "Choose your own password"
                } else {
                    "Operator sign-in"
                },
                theme.title,
            )),
            Line::default(),
            field_line(
                theme,
                "Operator",
                &printable(self.name.value()),
                self.focus == Focus::Name,
            ),
        ];
        if self.choosing() {
            lines.push(field_line(
                theme,
                "New",
                &self.new.masked(),
                self.focus == Focus::New,
            ));
            lines.push(field_line(
                theme,
                "Again",
                &self.again.masked(),
                self.focus == Focus::Again,
            ));
        } else {
            lines.push(field_line(
                theme,
                "Password",
                &self.password.masked(),
                self.focus == Focus::Password,
            ));
        }
        lines.push(Line::default());
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(printable(e), theme.error)));
        }
        if shared.practice.demo && !self.choosing() {
            lines.push(Line::default());
            lines.push(Line::from("Demo database. Sign in as:"));
            lines.push(Line::from(format!(
                "  staff: {} / {}",
                DEMO_STAFF.0, DEMO_STAFF.1
            )));
            lines.push(Line::from(format!(
                "  admin: {} / {}",
                DEMO_ADMIN.0, DEMO_ADMIN.1
            )));
        }
        let w = 56.min(area.width);
        let h = (wrapped_height(&lines, w.saturating_sub(2)) + 2).min(area.height);
        let rect = centered(area, w, h);
        let inner = block(theme, " portal-admin ", true).inner(rect);
        f.render_widget(block(theme, " portal-admin ", true), rect);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        let (text_len, row) = match self.focus {
            Focus::Name => (self.name.visual_cursor(), 2),
            Focus::Password => (self.password.cursor(), 3),
            Focus::New => (self.new.cursor(), 3),
            Focus::Again => (self.again.cursor(), 4),
        };
        place_cursor(f, inner, 11 + text_len as u16, row);
    }
}
