//! A yes/no question before a change. It starts on No, the safe choice,
//! and carries the command that Yes carries out.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::widgets::{buttons, modal_box};

pub struct Confirm {
    title: String,
    lines: Vec<String>,
    yes: &'static str,
    focus_yes: bool,
    /// Taken when Yes is chosen.
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
            Action::Yes => self.answer(true),
            Action::No => self.answer(false),
            Action::Activate => self.answer(self.focus_yes),
            Action::NextField | Action::PrevField => {
                self.focus_yes = !self.focus_yes;
                Response::Consumed
            }
            // Ctrl-C on "Quit portal-admin?" means it.
            Action::ForceQuit if matches!(self.on_yes, Some(Command::Quit)) => self.answer(true),
            _ => Response::Ignored,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::from(printable(l)))
            .collect();
        lines.push(Line::default());
        lines.push(buttons(
            theme,
            &[("No", !self.focus_yes), (self.yes, self.focus_yes)],
        ));
        lines.push(Line::from(Span::styled(
            "y yes · n/Esc no · Enter the focused button",
            theme.hint,
        )));
        modal_box(f, theme, area, &self.title, lines, 72);
    }
}

impl Modal for Confirm {
    fn kind(&self) -> ModalKind {
        ModalKind::Confirm
    }
}
