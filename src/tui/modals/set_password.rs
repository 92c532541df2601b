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
use crate::tui::widgets::{
    Scroll, TOP, buttons, modal_box_with_footer, place_cursor, wrapped_height,
};

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

    /// The next field, skipping the checkbox where there is none.
    fn step(self, delta: isize, checkbox: bool) -> Focus {
        let order: Vec<Focus> = Self::ORDER
            .into_iter()
            .filter(|f| checkbox || *f != Focus::Checkbox)
            .collect();
        let i = order.iter().position(|f| *f == self).unwrap_or(0) as isize;
        order[(i + delta).rem_euclid(order.len() as isize) as usize]
    }
}

/// Whose password the form sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A portal account (Control Panel → Users → Password), with the
    /// Password Reset Required box.
    Account(AccountRef),
    /// An operator of this app: they always choose their own at their
    /// next sign-in, so there is no box.
    Operator(String),
}

impl Target {
    fn label(&self) -> String {
        match self {
            Target::Account(a) => format!("User: {}", a.email),
            Target::Operator(name) => format!("Operator: {name}"),
        }
    }
}

pub struct SetPassword {
    target: Target,
    new: SecretField,
    confirm: SecretField,
    reset_required: bool,
    focus: Focus,
    /// An error shown next to a field.
    error: Option<(Focus, String)>,
}

impl SetPassword {
    pub fn new(account: AccountRef) -> SetPassword {
        SetPassword::for_target(Target::Account(account))
    }

    pub fn for_operator(name: &str) -> SetPassword {
        SetPassword::for_target(Target::Operator(name.to_owned()))
    }

    fn for_target(target: Target) -> SetPassword {
        SetPassword {
            target,
            new: SecretField::default(),
            confirm: SecretField::default(),
            reset_required: true,
            focus: Focus::New,
            error: None,
        }
    }

    fn has_checkbox(&self) -> bool {
        matches!(self.target, Target::Account(_))
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
        // Said before asking to save, not after.
        if !self.new.same_as(&self.confirm) {
            self.confirm.clear();
            return self.field_error(
                Focus::Confirm,
                "The two passwords are not the same: type it again.",
            );
        }
        self.error = None;
        let mut lines = vec![self.target.label()];
        let request = match &self.target {
            Target::Account(account) => {
                lines.extend(reset_meaning(self.reset_required).map(str::to_owned));
                Request::SetPassword {
                    account: account.clone(),
                    new: self.new.secret(),
                    confirm: self.confirm.secret(),
                    reset_required: self.reset_required,
                }
            }
            Target::Operator(name) => {
                lines.push("They choose their own password at their next sign-in.".into());
                Request::ResetOperatorPassword {
                    name: name.clone(),
                    new: self.new.secret(),
                    confirm: self.confirm.secret(),
                }
            }
        };
        Response::Command(Command::Open(Box::new(Confirm::new(
            "Set this password?",
            lines,
            "Set password",
            Command::Start(request),
        ))))
    }

    fn cancel(&mut self) -> Response {
        if self.new.is_empty() && self.confirm.is_empty() {
            return Response::Close(None);
        }
        Confirm::discard("Discard the new password?")
    }
}

impl Component for SetPassword {
    fn context(&self, _: &Shared) -> Context {
        match self.focus {
            Focus::New | Focus::Confirm => Context::FormField,
            Focus::Checkbox => Context::FormCheckbox,
            Focus::Save | Focus::Cancel => Context::FormButtons,
        }
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        if shared.busy() && !matches!(action, Action::Quit | Action::Redraw) {
            return Response::Consumed;
        }
        match action {
            Action::NextField => self.focus = self.focus.step(1, self.has_checkbox()),
            Action::PrevField => self.focus = self.focus.step(-1, self.has_checkbox()),
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
        let result = match (reply, &self.target) {
            (
                Reply::AccountChanged {
                    account, result, ..
                },
                Target::Account(mine),
            ) if account.email == mine.email => result.as_ref().map(|_| ()),
            (
                Reply::OperatorChanged {
                    name,
                    change: None,
                    result,
                },
                Target::Operator(mine),
            ) if name == mine => result.as_ref().copied(),
            _ => return Response::Ignored,
        };
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
        let meaning: Vec<Line> = reset_meaning(self.reset_required)
            .iter()
            .map(|l| {
                Line::from(Span::styled(
                    format!("      {l}"),
                    if self.reset_required {
                        theme.hint
                    } else {
                        theme.warn
                    },
                ))
            })
            .collect();
        let mut lines = vec![
            Line::from(self.target.label()),
            Line::default(),
            field("New password", self.new.masked(), Focus::New),
            field("Confirm", self.confirm.masked(), Focus::Confirm),
            Line::default(),
        ];
        if self.has_checkbox() {
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{check} Password Reset Required",
                    if box_focused { "> " } else { "  " }
                ),
                if box_focused {
                    theme.button_focus
                } else {
                    theme.normal
                },
            )));
            lines.extend(meaning);
        } else {
            lines.push(Line::from(Span::styled(
                "They choose their own password at their next sign-in.",
                theme.hint,
            )));
        }
        let footer = vec![
            Line::default(),
            buttons(
                theme,
                &[
                    ("Save", self.focus == Focus::Save),
                    ("Cancel", self.focus == Focus::Cancel),
                ],
            ),
            Line::from(Span::styled(
                "Tab moves · Enter saves (asks first) · Esc cancels",
                theme.hint,
            )),
        ];
        // On a small terminal, the box and what it means stay in view
        // while the box has the focus.
        let inner_w = area.width.min(72).saturating_sub(2);
        let scroll = if box_focused {
            Scroll::Reveal(wrapped_height(&lines, inner_w).saturating_sub(1))
        } else {
            TOP
        };
        let (inner, _) =
            modal_box_with_footer(f, theme, area, "Set password", lines, footer, 72, scroll);
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

/// What the Password Reset Required box means, beside it and in the Save
/// confirmation.
fn reset_meaning(reset_required: bool) -> [&'static str; 2] {
    if reset_required {
        [
            "Ticked: the account holder must choose their own",
            "password at their next sign-in.",
        ]
    } else {
        [
            "Unticked: the account holder keeps this password,",
            "which you know. Tick it unless they asked for it.",
        ]
    }
}
