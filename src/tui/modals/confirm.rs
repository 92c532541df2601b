//! A question before a change: Cancel and a button that says what it
//! does. Focus starts on Cancel; no letter answers it — the confirming
//! button is reached with Tab or an arrow, then Enter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::widgets::{TOP, buttons, modal_box_with_footer};

pub struct Confirm {
    title: String,
    lines: Vec<String>,
    yes: &'static str,
    focus_yes: bool,
    /// Taken when the confirming button is pressed.
    on_yes: Option<Command>,
}

impl Confirm {
    pub fn new(
        title: impl Into<String>,
        lines: Vec<String>,
        yes: &'static str,
        on_yes: Command,
    ) -> Confirm {
        Confirm {
            title: title.into(),
            lines,
            yes,
            focus_yes: false,
            on_yes: Some(on_yes),
        }
    }

    /// "Discard …?" over a filled form: Discard closes the form too.
    pub fn discard(title: &str) -> Response {
        Response::Command(Command::Open(Box::new(Confirm::new(
            title,
            vec!["What you typed will be cleared.".into()],
            "Discard",
            Command::CloseTop,
        ))))
    }

    fn answer(&mut self, yes: bool) -> Response {
        Response::Close(if yes { self.on_yes.take() } else { None })
    }
}

impl Component for Confirm {
    fn context(&self, _: &Shared) -> Context {
        Context::Confirm
    }

    fn on_action(&mut self, action: Action, _: &Shared) -> Response {
        match action {
            Action::Activate => self.answer(self.focus_yes),
            Action::Cancel => self.answer(false),
            Action::NextField | Action::PrevField => {
                self.focus_yes = !self.focus_yes;
                Response::Consumed
            }
            // A second quit key on "Quit portal-admin?" is a reflex, not an
            // answer: the login on screen would be lost.
            Action::Quit | Action::SignOut
                if matches!(self.on_yes, Some(Command::Quit | Command::SignOut)) =>
            {
                Response::Consumed
            }
            _ => Response::Ignored,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::from(printable(l)))
            .collect();
        let footer = vec![
            Line::default(),
            buttons(
                theme,
                &[("Cancel", !self.focus_yes), (self.yes, self.focus_yes)],
            ),
            Line::from(Span::styled(
                "Tab/arrows choose · Enter presses · Esc cancels",
                theme.hint,
            )),
        ];
        modal_box_with_footer(f, theme, area, &self.title, lines, footer, 72, TOP);
    }
}

impl Modal for Confirm {
    fn kind(&self) -> ModalKind {
        ModalKind::Confirm
    }
}
