//! Patient lookup: the search box and the paged list of patients.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

use super::{PaneComponent, PaneFrame, draw_rows, draw_search, list_frame};
use crate::domain::text::printable;
use crate::error::Result;
use crate::store::{Page, PatientRow};
use crate::tui::component::{Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::list_rows;
use crate::tui::list::ListPane;

pub struct Lookup {
    list: ListPane<PatientRow>,
}

/// One page of patients for a query, from the services.
fn fetch(shared: &Shared) -> impl Fn(&str, Option<&str>) -> Result<Page<PatientRow>> + '_ {
    let page = shared.ui.page_size;
    move |q, after| shared.portal.search_patients(q, after, page)
}

impl Lookup {
    /// The lookup as an operator first sees it: typing in the search box,
    /// the first page of every patient below.
    pub fn new(shared: &Shared) -> Lookup {
        let mut list = ListPane::default();
        list.typing = true;
        list.search(&fetch(shared));
        Lookup { list }
    }

    pub fn selected(&self) -> Option<&PatientRow> {
        self.list.selected_row()
    }

    /// The account number of the selected patient.
    pub fn selected_number(&self) -> Option<&str> {
        self.selected().map(|r| r.patient.account_number.as_str())
    }

    pub fn leave_search(&mut self) {
        self.list.typing = false;
    }

    pub fn reload(&mut self, shared: &Shared) {
        self.list.reload(&fetch(shared));
    }
}

impl PaneComponent for Lookup {
    fn context(&self) -> Context {
        if self.list.typing {
            Context::SearchBox
        } else {
            Context::Lookup
        }
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        let rows = usize::from(list_rows(shared.size));
        match self.list.act(action, &fetch(shared), rows) {
            Some(()) => Response::Consumed,
            None => Response::Ignored,
        }
    }

    fn on_text(&mut self, event: &Event, shared: &Shared) -> Response {
        self.list.type_key(event, &fetch(shared));
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, shared: &Shared) -> Response {
        if !self.list.typing {
            return Response::Ignored;
        }
        self.list.paste(text, &fetch(shared));
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame) {
        let theme = &shared.theme;
        let focused = frame.focused;
        let Some([search, list, footer]) = list_frame(f, area, shared, frame) else {
            return;
        };
        let l = &self.list;
        draw_search(
            f,
            search,
            shared,
            l,
            "Search:",
            "/ name, \"last, first\", account, birth date, email",
            focused,
        );
        if shared.practice.patients == 0 {
            f.render_widget(
                Paragraph::new("No patients yet: run `portal-admin import FILE.csv` (or `portal-admin demo` to try the app).")
                    .style(theme.warn)
                    .wrap(Wrap { trim: true }),
                list,
            );
            return;
        }
        let wide = list.width >= 52;
        let rows = l.rows.iter().map(|r| {
            let p = &r.patient;
            let portal = if r.account_id.is_some() {
                "portal"
            } else {
                "-"
            };
            let mut cells = vec![p.account_number.clone(), printable(&p.display_name())];
            if wide {
                cells.push(p.date_of_birth.to_string());
            }
            cells.push(portal.to_owned());
            Row::new(cells)
        });
        let widths: Vec<Constraint> = if wide {
            vec![
                Constraint::Length(8),
                Constraint::Min(10),
                Constraint::Length(10),
                Constraint::Length(6),
            ]
        } else {
            vec![
                Constraint::Length(8),
                Constraint::Min(6),
                Constraint::Length(6),
            ]
        };
        draw_rows(f, list, shared, l, rows, widths, focused);
        let text = if let Some(e) = &l.error {
            Span::styled(printable(e), theme.error)
        } else if l.rows.is_empty() {
            Span::styled(
                format!("no patient matches \"{}\"", printable(l.query())),
                theme.warn,
            )
        } else {
            let more = if l.next.is_some() {
                " · more: PgDn"
            } else {
                ""
            };
            let earlier = if l.has_prev_page() {
                " · earlier: PgUp"
            } else {
                ""
            };
            Span::styled(
                format!(
                    "page {} · {} of {}{more}{earlier}",
                    l.page + 1,
                    l.selected + 1,
                    l.rows.len()
                ),
                theme.hint,
            )
        };
        f.render_widget(Paragraph::new(Line::from(text)), footer);
    }
}
