//! Control Panel → Operators (administrators): the people who use this
//! app. Type part of a name to find one; Enter shows their details and
//! the lifecycle actions (reset password, unlock, disable/enable, remove).

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

use super::{PaneComponent, PaneFrame, draw_rows, draw_search, list_frame};
use crate::domain::Operator;
use crate::domain::text::printable;
use crate::error::Result;
use crate::present::{TimeStyle, operator_state};
use crate::store::Page;
use crate::tui::component::{Command, Level, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::list_rows;
use crate::tui::list::ListPane;
use crate::tui::modals::OperatorDetails;
use crate::tui::widgets::ellipsize;

pub struct Operators {
    list: ListPane<Operator>,
}

/// Operators whose name contains the query (a practice has a handful: one
/// page holds them all).
fn fetch(shared: &Shared) -> impl Fn(&str, Option<&str>) -> Result<Page<Operator>> + '_ {
    move |q, _after| {
        let q = q.trim().to_lowercase();
        let items = shared
            .portal
            .operators()?
            .into_iter()
            .filter(|o| o.username.to_lowercase().contains(&q))
            .collect();
        Ok(Page::new(items, None))
    }
}

impl Operators {
    pub fn new(shared: &Shared) -> Operators {
        let mut list = ListPane::default();
        list.search(&fetch(shared));
        Operators { list }
    }

    pub fn reload(&mut self, shared: &Shared) {
        self.list.reload(&fetch(shared), |o| o.username.clone());
    }
}

impl PaneComponent for Operators {
    fn context(&self) -> Context {
        Context::Operators
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        let rows = usize::from(list_rows(shared.size));
        if self.list.act(action, &fetch(shared), rows).is_some() {
            return Response::Consumed;
        }
        match (action, self.list.selected_row()) {
            (Action::Open, Some(op)) => Response::Command(Command::Open(Box::new(
                OperatorDetails::new(op.clone(), shared),
            ))),
            (Action::Open, None) => {
                Response::notice(Level::Info, "No operator selected: type part of a name.")
            }
            _ => Response::Ignored,
        }
    }

    fn on_text(&mut self, event: &Event, shared: &Shared) -> Response {
        self.list.type_key(event, &fetch(shared));
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, shared: &Shared) -> Response {
        self.list.paste(text, &fetch(shared));
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame) {
        let theme = &shared.theme;
        let focused = frame.focused;
        let Some([search, list, footer]) = list_frame(f, area, shared, frame) else {
            return;
        };
        let ops = &self.list;
        draw_search(
            f,
            search,
            shared,
            ops,
            "Name:",
            "type part of a name",
            focused,
        );
        if ops.rows.is_empty() {
            let text = match &ops.error {
                Some(e) => Span::styled(printable(e), theme.error),
                None => Span::styled(
                    format!("no operator matches \"{}\"", printable(ops.query())),
                    theme.warn,
                ),
            };
            f.render_widget(
                Paragraph::new(Line::from(text)).wrap(Wrap { trim: false }),
                list,
            );
            return;
        }
        let now = shared.portal.now();
        let name_w = 16usize.min(usize::from(list.width).saturating_sub(2 + 1 + 5 + 1 + 6));
        let state_w = usize::from(list.width)
            .saturating_sub(2 + name_w + 1 + 5 + 1)
            .max(6);
        let rows = ops.rows.iter().map(|o| {
            Row::new(vec![
                ellipsize(&o.username, name_w),
                o.role.as_str().to_owned(),
                ellipsize(
                    &operator_state(o, now, &shared.local, TimeStyle::Spoken),
                    state_w,
                ),
            ])
        });
        let widths = vec![
            Constraint::Length(name_w as u16),
            Constraint::Length(5),
            Constraint::Length(state_w as u16),
        ];
        draw_rows(f, list, shared, ops, rows, widths, focused);
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(
                    "{} of {} · Enter: details",
                    ops.selected + 1,
                    ops.rows.len()
                ),
                theme.hint,
            ))),
            footer,
        );
    }
}
