//! Control Panel → Operators → one operator (administrators): their state
//! and the lifecycle actions as buttons. Each asks first or opens a form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::Operator;
use crate::present::{TimeStyle, operator_state};
use crate::services::OperatorChange;
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::{Confirm, SetPassword};
use crate::tui::request::Request;
use crate::tui::widgets::{TOP, buttons, cycle, key_value, modal_box_with_footer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Button {
    Password,
    Unlock,
    Disable,
    Remove,
    Close,
}

const BUTTONS: [Button; 5] = [
    Button::Password,
    Button::Unlock,
    Button::Disable,
    Button::Remove,
    Button::Close,
];

pub struct OperatorDetails {
    operator: Operator,
    state: String,
    focus: usize,
}

impl OperatorDetails {
    pub fn new(operator: Operator, shared: &Shared) -> OperatorDetails {
        OperatorDetails {
            state: operator_state(
                &operator,
                shared.portal.now(),
                &shared.local,
                TimeStyle::Spoken,
            ),
            operator,
            focus: 0,
        }
    }

    fn confirm(&self, change: OperatorChange) -> Response {
        let name = &self.operator.username;
        let (title, yes, lines) = match change {
            OperatorChange::Disable => (
                format!("Disable operator {name}?"),
                "Disable",
                vec![format!("{name} can no longer sign in until enabled.")],
            ),
            OperatorChange::Enable => (
                format!("Enable operator {name}?"),
                "Enable",
                vec![format!("{name} can sign in again.")],
            ),
            OperatorChange::Unlock => (
                format!("Unlock operator {name}?"),
                "Unlock",
                vec!["Their failed sign-ins are forgotten.".into()],
            ),
            OperatorChange::Remove => (
                format!("Remove operator {name}?"),
                "Remove",
                vec![
                    format!(
                        "{name} can never sign in again; the name is not given to anyone else."
                    ),
                    "Their history stays in the audit trail.".into(),
                ],
            ),
        };
        let request = Request::ChangeOperator {
            name: name.clone(),
            change,
        };
        Response::Close(Some(Command::Open(Box::new(Confirm::new(
            title,
            lines,
            yes,
            Command::Start(request),
        )))))
    }

    fn press(&self) -> Response {
        match BUTTONS[self.focus] {
            Button::Close => Response::Close(None),
            Button::Password => Response::Close(Some(Command::Open(Box::new(
                SetPassword::for_operator(&self.operator.username),
            )))),
            Button::Unlock => self.confirm(OperatorChange::Unlock),
            Button::Disable if self.operator.disabled => self.confirm(OperatorChange::Enable),
            Button::Disable => self.confirm(OperatorChange::Disable),
            Button::Remove => self.confirm(OperatorChange::Remove),
        }
    }
}

impl Component for OperatorDetails {
    fn context(&self, _: &Shared) -> Context {
        Context::UserDetails
    }

    fn on_action(&mut self, action: Action, _: &Shared) -> Response {
        match action {
            Action::NextField => self.focus = cycle(self.focus, BUTTONS.len(), 1),
            Action::PrevField => self.focus = cycle(self.focus, BUTTONS.len(), -1),
            Action::Activate => return self.press(),
            Action::Cancel => return Response::Close(None),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let op = &self.operator;
        let kv = |k: &str, v: String| key_value(theme, 16, k, v, theme.normal);
        let lines = vec![
            kv("Operator", op.username.clone()),
            kv("Role", op.role.as_str().to_owned()),
            kv("State", self.state.clone()),
            kv("Failed sign-ins", op.failed_count.to_string()),
            kv(
                "Last sign-in",
                op.last_sign_in
                    .map(|t| shared.local.spoken(t))
                    .unwrap_or_else(|| "never".into()),
            ),
            kv("Added", shared.local.spoken(op.created_at)),
        ];
        let toggle = if op.disabled { "Enable" } else { "Disable" };
        let labels: Vec<(&str, bool)> = BUTTONS
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let label = match b {
                    Button::Password => "Reset password",
                    Button::Unlock => "Unlock",
                    Button::Disable => toggle,
                    Button::Remove => "Remove",
                    Button::Close => "Close",
                };
                (label, i == self.focus)
            })
            .collect();
        let footer = vec![
            buttons(theme, &labels),
            Line::from(Span::styled(
                "Tab/arrows choose · Enter presses · Esc closes",
                theme.hint,
            )),
        ];
        let title = format!("Operator {}", op.username);
        modal_box_with_footer(f, theme, area, &title, lines, footer, 76, TOP);
    }
}

impl Modal for OperatorDetails {
    fn kind(&self) -> ModalKind {
        ModalKind::OperatorDetails
    }
}
