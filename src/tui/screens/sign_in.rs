//! The operator sign-in form. The password field is a zeroizing buffer;
//! a refused sign-in clears it and says why in one sentence.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;

use crate::domain::text::printable;
use crate::services::{DEMO_ADMIN, DEMO_STAFF};
use crate::tui::component::{Command, Component, Response, Shared, sentence};
use crate::tui::fields::{SecretField, handle_text, paste_text};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::centered;
use crate::tui::request::{Reply, Request};
use crate::tui::widgets::{block, field_line, place_cursor};

#[derive(Default)]
pub struct SignIn {
    name: Input,
    password: SecretField,
    /// False: the name field; true: the password field.
    on_password: bool,
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

    fn submit(&mut self) -> Response {
        if self.name.value().trim().is_empty() {
            self.error = Some("Type your operator name.".into());
            self.on_password = false;
            return Response::Consumed;
        }
        if self.password.is_empty() {
            self.error = Some("Type your password.".into());
            self.on_password = true;
            return Response::Consumed;
        }
        let request = Request::SignIn {
            name: self.name.value().to_owned(),
            password: self.password.secret(),
        };
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
            Action::NextField | Action::PrevField => self.on_password = !self.on_password,
            Action::Cancel => *self = SignIn::default(),
            Action::Submit => return self.submit(),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn on_text(&mut self, event: &Event, _: &Shared) -> Response {
        if self.on_password {
            self.password.handle(event);
        } else {
            handle_text(&mut self.name, event);
        }
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, _: &Shared) -> Response {
        if self.on_password {
            self.password.insert_str(text);
        } else {
            paste_text(&mut self.name, text);
        }
        Response::Consumed
    }

    fn on_reply(&mut self, reply: &Reply, _: &Shared) -> Response {
        match reply {
            Reply::SignedIn(Err(e)) => {
                self.password.clear();
                self.on_password = true;
                self.error = Some(sentence(e));
                Response::Consumed
            }
            _ => Response::Ignored,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let mut lines = vec![
            Line::from(Span::styled("Operator sign-in", theme.title)),
            Line::default(),
            field_line(
                theme,
                "Operator",
                &printable(self.name.value()),
                !self.on_password,
            ),
            field_line(theme, "Password", &self.password.masked(), self.on_password),
            Line::default(),
        ];
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(printable(e), theme.error)));
        }
        if shared.practice.demo {
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
        let h = (lines.len() as u16 + 2).min(area.height);
        let w = 56.min(area.width);
        let rect = centered(area, w, h);
        let inner = block(theme, " portal-admin ", true).inner(rect);
        f.render_widget(block(theme, " portal-admin ", true), rect);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        let (text_len, row) = if self.on_password {
            (self.password.cursor(), 3)
        } else {
            (self.name.visual_cursor(), 2)
        };
        place_cursor(f, inner, 11 + text_len as u16, row);
    }
}
