//! A confirmation that asks how the caller's identity and authority were
//! checked (the practice's list, `policy.identity_checks`) before a change
//! that hands someone a login: Create/Validate and adding a guardian. It
//! shows who and what (name, date of birth, number, the login), what will
//! happen in words, and the list. Focus starts on the list, then Cancel;
//! the confirming button is reached only with Tab or an arrow.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::notice::capitalised;
use crate::tui::request::Request;
use crate::tui::widgets::{
    Scroll, TOP, buttons, cycle, ellipsize, key_value, modal_box_with_footer, wrapped_height,
};

/// The popup's width on a large terminal.
const WIDTH: u16 = 74;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Checks,
    Cancel,
    Confirm,
}

/// Builds the change's request with the identity check chosen.
pub type MakeRequest = Box<dyn Fn(Option<String>) -> Request>;

pub struct CheckedConfirm {
    title: String,
    /// Who and what, as label and value: "Patient", "Born", "No.", "Login"…
    facts: Vec<(&'static str, String)>,
    /// What will happen, in words; `warn` when a password stops working.
    summary: String,
    warn: bool,
    /// Said after the summary (whose passwords do not change, …).
    notes: Vec<String>,
    verb: &'static str,
    checks: Vec<String>,
    required: bool,
    /// The highlighted check, and the one chosen.
    cursor: usize,
    chosen: Option<usize>,
    focus: Focus,
    error: Option<String>,
    request: MakeRequest,
}

impl CheckedConfirm {
    pub fn new(
        shared: &Shared,
        title: impl Into<String>,
        facts: Vec<(&'static str, String)>,
        (summary, warn): (String, bool),
        verb: &'static str,
        request: MakeRequest,
    ) -> CheckedConfirm {
        let checks = shared.portal.identity_checks();
        let focus = if checks.choices.is_empty() {
            Focus::Cancel
        } else {
            Focus::Checks
        };
        CheckedConfirm {
            title: title.into(),
            facts,
            summary: capitalised(&summary),
            warn,
            notes: Vec::new(),
            verb,
            checks: checks.choices.to_vec(),
            required: checks.required,
            cursor: 0,
            chosen: None,
            focus,
            error: None,
            request,
        }
    }

    /// Adds lines said after what will happen.
    pub fn with_notes(mut self, notes: Vec<String>) -> CheckedConfirm {
        self.notes = notes;
        self
    }

    fn focus_order(&self) -> Vec<Focus> {
        let mut order = Vec::new();
        if !self.checks.is_empty() {
            order.push(Focus::Checks);
        }
        order.extend([Focus::Cancel, Focus::Confirm]);
        order
    }

    fn step(&mut self, delta: isize) {
        let order = self.focus_order();
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = order[cycle(i, order.len(), delta)];
    }

    fn confirm(&mut self) -> Response {
        if self.required && self.chosen.is_none() {
            self.error = Some("Choose how the caller's identity was checked first.".into());
            self.focus = Focus::Checks;
            return Response::Consumed;
        }
        let check = self.chosen.map(|i| self.checks[i].clone());
        Response::Close(Some(Command::Start((self.request)(check))))
    }
}

impl Component for CheckedConfirm {
    fn context(&self, _: &Shared) -> Context {
        match self.focus {
            Focus::Checks => Context::ChoiceList,
            _ => Context::Confirm,
        }
    }

    fn on_action(&mut self, action: Action, _: &Shared) -> Response {
        match (action, self.focus) {
            (Action::Cancel, _) => return Response::Close(None),
            (Action::NextField, _) => self.step(1),
            (Action::PrevField, _) => self.step(-1),
            (Action::Up, Focus::Checks) => {
                self.cursor = self.cursor.saturating_sub(1);
            }
            (Action::Down, Focus::Checks) => {
                self.cursor = (self.cursor + 1).min(self.checks.len().saturating_sub(1));
            }
            // Choosing a check moves on to Cancel, never to the change.
            (Action::Activate, Focus::Checks) => {
                self.chosen = Some(self.cursor);
                self.error = None;
                self.focus = Focus::Cancel;
            }
            (Action::Activate, Focus::Cancel) => return Response::Close(None),
            (Action::Activate, Focus::Confirm) => return self.confirm(),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let width = self
            .facts
            .iter()
            .map(|(k, _)| k.chars().count() + 1)
            .max()
            .unwrap_or(0)
            .max(9);
        let mut lines: Vec<Line> = self
            .facts
            .iter()
            .map(|(k, v)| key_value(theme, width, k, printable(v), theme.title))
            .collect();
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            printable(&self.summary),
            if self.warn { theme.warn } else { theme.normal },
        )));
        lines.extend(self.notes.iter().map(|n| Line::from(printable(n))));
        let mut reveal = None;
        if !self.checks.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(format!(
                "How were the caller's identity and authority checked?{}",
                if self.required { "" } else { " (optional)" }
            )));
            for (i, c) in self.checks.iter().enumerate() {
                let mark = if self.chosen == Some(i) {
                    "(•)"
                } else {
                    "( )"
                };
                // With focus on the list, the highlighted check is kept on
                // screen; on the buttons, the body shows its top (the
                // patient) and the line above the buttons the chosen check.
                let here = self.focus == Focus::Checks && self.cursor == i;
                if here {
                    reveal = Some(lines.len());
                }
                lines.push(Line::from(Span::styled(
                    format!("{}{mark} {}", if here { "> " } else { "  " }, printable(c)),
                    if here { theme.selected } else { theme.normal },
                )));
            }
        }
        if let Some(e) = &self.error {
            reveal = Some(lines.len());
            lines.push(Line::from(Span::styled(e.clone(), theme.error)));
        }
        // On a small terminal the body scrolls to keep the focused check or
        // the error on screen (as little as that needs, so the patient's
        // facts above stay in view as far as they fit); the buttons never
        // scroll away.
        let inner_w = area.width.min(WIDTH).saturating_sub(2);
        let scroll = reveal.map_or(TOP, |i| {
            Scroll::Reveal(wrapped_height(&lines[..i], inner_w))
        });
        // With focus on the buttons, the check that will be recorded is said
        // just above them, whatever the body shows: at 60x20 the patient's
        // name, birth date and number and the chosen check are on screen
        // together (fresh eyes, session 6 finding 9, session 7 finding 7).
        let chosen_line = match (self.focus, self.chosen) {
            (Focus::Checks, _) => Line::default(),
            _ if self.checks.is_empty() => Line::default(),
            (_, Some(i)) => Line::from(Span::styled(
                ellipsize(
                    &format!("Checked: (•) {}", printable(&self.checks[i])),
                    usize::from(inner_w),
                ),
                theme.normal,
            )),
            (_, None) => Line::from(Span::styled(
                "Checked: none chosen yet (Tab back to the list)",
                if self.required {
                    theme.warn
                } else {
                    theme.hint
                },
            )),
        };
        let footer = vec![
            chosen_line,
            buttons(
                theme,
                &[
                    ("Cancel", self.focus == Focus::Cancel),
                    (self.verb, self.focus == Focus::Confirm),
                ],
            ),
            Line::from(Span::styled(
                if self.focus == Focus::Checks {
                    "Up/Down choose · Enter picks · Tab buttons · Esc cancels"
                } else {
                    "Tab/arrows choose · Enter presses · Esc cancels"
                },
                theme.hint,
            )),
        ];
        modal_box_with_footer(f, theme, area, &self.title, lines, footer, WIDTH, scroll);
    }
}

impl Modal for CheckedConfirm {
    fn kind(&self) -> ModalKind {
        ModalKind::Confirm
    }
}
