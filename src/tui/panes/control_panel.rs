//! Control Panel → Users (administrators): type any part of an email to
//! find users; Enter shows the selected user's details and actions.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

use super::{PaneComponent, PaneFrame, draw_rows, draw_search, list_frame};
use crate::domain::text::printable;
use crate::error::Result;
use crate::services::AccountView;
use crate::store::Page;
use crate::tui::component::{Command, Level, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::list_rows;
use crate::tui::list::ListPane;
use crate::tui::modals::UserDetails;
use crate::tui::widgets::ellipsize;
use unicode_width::UnicodeWidthStr;

pub struct ControlPanel {
    list: ListPane<AccountView>,
}

/// One page of portal users for an email query, from the services.
fn fetch(shared: &Shared) -> impl Fn(&str, Option<&str>) -> Result<Page<AccountView>> + '_ {
    let page = shared.ui.page_size;
    move |q, after| shared.portal.list_accounts(q, after, page)
}

impl ControlPanel {
    pub fn new(shared: &Shared) -> ControlPanel {
        let mut list = ListPane::default();
        list.search(&fetch(shared));
        ControlPanel { list }
    }

    pub fn reload(&mut self, shared: &Shared) {
        self.list.reload(&fetch(shared), |a| a.id);
    }
}

impl PaneComponent for ControlPanel {
    fn context(&self) -> Context {
        Context::ControlPanel
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        let rows = usize::from(list_rows(shared.size));
        if self.list.act(action, &fetch(shared), rows).is_some() {
            return Response::Consumed;
        }
        match (action, self.list.selected_row()) {
            (Action::Open, Some(acc)) => Response::Command(Command::Open(Box::new(
                UserDetails::new(acc.clone(), shared),
            ))),
            (Action::Open, None) => Response::notice(
                Level::Info,
                "No user selected: type part of an email first.",
            ),
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
        let cp = &self.list;
        draw_search(
            f,
            search,
            shared,
            cp,
            "Email:",
            "type any part of an email",
            focused,
        );
        if cp.rows.is_empty() {
            let text = match &cp.error {
                Some(e) => Span::styled(printable(e), theme.error),
                None if cp.stopped_early => Span::styled(
                    format!(
                        "none found yet for \"{}\": keep typing to narrow it (↓ searches on)",
                        printable(cp.query())
                    ),
                    theme.warn,
                ),
                None if cp.query().is_empty() => Span::styled("no portal users yet", theme.warn),
                None => Span::styled(
                    format!(
                        "no portal user matches \"{}\" (Ctrl-U empties the search)",
                        printable(cp.query())
                    ),
                    theme.warn,
                ),
            };
            f.render_widget(
                Paragraph::new(Line::from(text)).wrap(Wrap { trim: false }),
                list,
            );
            return;
        }
        let status_w = 8;
        let email_w = usize::from(list.width)
            .saturating_sub(2 + 1 + status_w + 1 + 5)
            .max(8);
        // A login too long for its column keeps its beginning (the name
        // and digits that tell families apart); the selected one is shown
        // whole on a line of its own under the rows.
        let selected = cp.selected_row().map(|a| a.email.as_str());
        let list = match selected {
            Some(email) if email.width() > email_w && list.height > 2 => {
                let [rows, whole] =
                    Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(list);
                f.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled("Selected: ", theme.hint),
                        Span::styled(
                            ellipsize(
                                &printable(email),
                                usize::from(whole.width).saturating_sub(10),
                            ),
                            theme.title,
                        ),
                    ])),
                    whole,
                );
                rows
            }
            _ => list,
        };
        let rows = cp.rows.iter().map(|a| {
            Row::new(vec![
                ellipsize(a.email.as_str(), email_w),
                a.status.label().to_owned(),
                if a.reset_required { "RESET" } else { "-" }.to_owned(),
            ])
        });
        let widths = vec![
            Constraint::Length(email_w as u16),
            Constraint::Length(status_w as u16),
            Constraint::Length(5),
        ];
        draw_rows(f, list, shared, cp, rows, widths, focused);
        let text = match &cp.error {
            Some(e) => Span::styled(printable(e), theme.error),
            None => Span::styled(
                ellipsize(
                    &format!("{} · Enter: details", cp.position()),
                    usize::from(footer.width),
                ),
                theme.hint,
            ),
        };
        f.render_widget(Paragraph::new(Line::from(text)), footer);
    }
}
