//! Patient lookup: the search box and the paged list of patients. Every
//! printable key is typed into the search; arrows choose a row; each row
//! shows name, date of birth and account number, so two patients of the
//! same name are told apart.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

use super::{PaneComponent, PaneFrame, draw_rows, draw_search, list_frame};
use crate::domain::text::printable;
use crate::error::Result;
use crate::store::{Page, PatientRow};
use crate::tui::component::{Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::{LayoutKind, layout_kind, list_rows};
use crate::tui::list::ListPane;
use crate::tui::widgets::{ellipsize, wrapped_height};

pub struct Lookup {
    list: ListPane<PatientRow>,
}

/// One page of patients for a query, from the services.
fn fetch(shared: &Shared) -> impl Fn(&str, Option<&str>) -> Result<Page<PatientRow>> + '_ {
    let page = shared.ui.page_size;
    move |q, after| shared.portal.search_patients(q, after, page)
}

/// Narrower than this, a row has no room for the date of birth: it is
/// shown for the selected patient below the list instead, and the header
/// says so.
const MIN_WIDTH_WITH_BIRTH_DATE: u16 = 30;

/// The most rows the lines under the list take.
const FOOTER_ROWS: u16 = 3;

/// After the name of a patient found through a guardian's login that is not
/// the patient's own email: a sign, not a colour (the line under the list
/// says whose login, for the selected row).
const LOGIN_MARK: &str = "@";
const FOUND_BY: &str = "found by the guardian login";

/// `BEFORE"QUERY"AFTER`, the query as the search box shows it (escapes
/// made visible), shortened with `…` until the sentence fits in
/// [`FOOTER_ROWS`] rows of `width` as it is word-wrapped: the end of the
/// sentence (what to do next) is never the part lost. Finding 10 (fresh
/// eyes, session 6): a query with no spaces, shown with escapes as
/// `red[31mX]0;pwn…`, wrapped to one row more than was kept, and
/// "empties the search)" was cut off.
fn quoting(before: &str, query: &str, after: &str, width: u16) -> String {
    use unicode_width::UnicodeWidthStr;
    let shown = printable(query);
    let sentence = |q: &str| format!("{before}\"{q}\"{after}");
    let fits = |s: &String| wrapped_height(&[Line::raw(s.as_str())], width) <= FOOTER_ROWS;
    let full = sentence(&shown);
    if fits(&full) {
        return full;
    }
    // The quoted query on one row, its closing quote too.
    let mut cut = usize::from(width)
        .saturating_sub(2)
        .min(shown.width().saturating_sub(1));
    while cut > 1 {
        let shorter = sentence(&ellipsize(&shown, cut));
        if fits(&shorter) {
            return shorter;
        }
        cut -= 1;
    }
    sentence("…")
}

impl Lookup {
    /// The lookup as an operator first sees it: an empty search box, the
    /// first page of every patient below.
    pub fn new(shared: &Shared) -> Lookup {
        let mut list = ListPane::default();
        list.search(&fetch(shared));
        Lookup { list }
    }

    pub fn selected(&self) -> Option<&PatientRow> {
        self.list.selected_row()
    }

    /// The account number of the selected patient.
    pub fn selected_number(&self) -> Option<&str> {
        self.selected().map(|r| r.account_number())
    }

    /// Reads the page again, the same patient selected (by account
    /// number). False when that patient is no longer on it.
    pub fn reload(&mut self, shared: &Shared) -> bool {
        self.list
            .reload(&fetch(shared), |r| r.account_number().to_owned())
    }

    /// The lines under the list, for a list `width` columns wide.
    fn footer(&self, shared: &Shared, width: u16) -> Vec<Line<'static>> {
        let theme = &shared.theme;
        let l = &self.list;
        if let Some(e) = &l.error {
            return vec![Line::from(Span::styled(printable(e), theme.error))];
        }
        if l.rows.is_empty() {
            let text = if l.stopped_early {
                quoting(
                    "none found yet for ",
                    l.query(),
                    ": keep typing to narrow it (↓ searches on)",
                    width,
                )
            } else if l.query().is_empty() {
                "no patients".to_owned()
            } else {
                quoting(
                    "no patient matches ",
                    l.query(),
                    " (Ctrl-U empties the search)",
                    width,
                )
            };
            return vec![Line::from(Span::styled(text, theme.warn))];
        }
        let mut lines = Vec::new();
        if l.stopped_early {
            lines.push(Line::from(Span::styled(
                "the search stopped early: keep typing to narrow it (↓ past the last row searches on)",
                theme.warn,
            )));
        }
        // The selected patient in full, never only a shortened row: when
        // the account pane is not beside the list, here. A patient found
        // through a guardian's login (its row marked `@`) says which, in
        // words (fresh eyes, session 6, finding 12).
        let beside = layout_kind(shared.size) != LayoutKind::Compact;
        let found_by = l.selected_row().and_then(PatientRow::matched_login);
        let width = usize::from(width);
        if let (Some(r), false) = (l.selected_row(), beside) {
            let selected = format!(
                "{}, born {}, no. {}",
                printable(&r.display_name()),
                shared.local.date(r.date_of_birth),
                r.account_number()
            );
            // With the login's line below, one row each, so that the
            // page line keeps its row (fresh eyes, session 7, second pass).
            let selected = match found_by {
                Some(_) => ellipsize(&selected, width.saturating_sub("Selected: ".len())),
                None => selected,
            };
            lines.push(Line::from(vec![
                Span::styled("Selected: ", theme.hint),
                Span::styled(selected, theme.title),
            ]));
        }
        if let Some(login) = found_by {
            // A login too long for its row is cut with `…` where it is
            // cut: never a shorter login that looks whole. Beside the
            // account pane the words and the login take a row each; under
            // "Selected:" one row.
            let head = format!("{LOGIN_MARK} {FOUND_BY}");
            let login = printable(login);
            if beside {
                lines.push(Line::from(Span::styled(head, theme.hint)));
                lines.push(Line::from(Span::styled(
                    ellipsize(&login, width),
                    theme.title,
                )));
            } else {
                let head = format!("{LOGIN_MARK} guardian login ");
                let room = width.saturating_sub(head.chars().count());
                lines.push(Line::from(vec![
                    Span::styled(head, theme.hint),
                    Span::styled(ellipsize(&login, room), theme.title),
                ]));
            }
        }
        lines.push(Line::from(Span::styled(l.position(), theme.hint)));
        lines
    }
}

impl PaneComponent for Lookup {
    fn context(&self) -> Context {
        Context::Lookup
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
        self.list.paste(text, &fetch(shared));
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame) {
        let theme = &shared.theme;
        let focused = frame.focused;
        let Some([search, body, last]) = list_frame(f, area, shared, frame) else {
            return;
        };
        let body = body.union(last);
        let l = &self.list;
        draw_search(
            f,
            search,
            shared,
            l,
            "Search:",
            "name, birthday, account, email",
            focused,
        );
        if shared.practice.patients == 0 {
            f.render_widget(
                Paragraph::new("No patients yet: run `portal-admin import FILE.csv` (or `portal-admin demo` to try the app).")
                    .style(theme.warn)
                    .wrap(Wrap { trim: true }),
                body,
            );
            return;
        }
        let footer = self.footer(shared, body.width);
        // Counted as drawn, word-wrapped (finding 10).
        let footer_h = wrapped_height(&footer, body.width);
        let [header, list, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(footer_h.min(FOOTER_ROWS)),
        ])
        .areas(body);
        // Highlight symbol, number, name, birth date, account flag.
        let with_birth = list.width >= MIN_WIDTH_WITH_BIRTH_DATE;
        let number_w = l
            .rows
            .iter()
            .map(|r| r.account_number().chars().count())
            .max()
            .unwrap_or(6)
            .clamp(4, 12);
        let fixed = 2 + number_w + 1 + if with_birth { 12 } else { 0 };
        let with_flag = usize::from(list.width) >= fixed + 20 + 7;
        let name_w = usize::from(list.width)
            .saturating_sub(fixed + if with_flag { 7 } else { 0 })
            .max(4);
        let mut head = format!("  {:<number_w$} {:<name_w$}", "No.", "Name");
        if with_birth {
            head.push_str(" Born       ");
        } else {
            head = format!("  {:<number_w$} Name (born: below)", "No.");
        }
        if with_flag {
            head.push_str(" Portal");
        }
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(head, theme.hint))),
            header,
        );
        let rows = l.rows.iter().map(|r| {
            let name = match r.matched_login() {
                Some(_) => format!(
                    "{} {LOGIN_MARK}",
                    ellipsize(&printable(&r.display_name()), name_w.saturating_sub(2))
                ),
                None => ellipsize(&printable(&r.display_name()), name_w),
            };
            let mut cells = vec![r.account_number().to_owned(), name];
            if with_birth {
                cells.push(format!("{:>11}", shared.local.date(r.date_of_birth)));
            }
            if with_flag {
                cells.push(if r.account_id.is_some() { "yes" } else { "-" }.to_owned());
            }
            Row::new(cells)
        });
        let mut widths = vec![
            Constraint::Length(number_w as u16),
            Constraint::Length(name_w as u16),
        ];
        if with_birth {
            widths.push(Constraint::Length(11));
        }
        if with_flag {
            widths.push(Constraint::Length(6));
        }
        draw_rows(f, list, shared, l, rows, widths, focused);
        f.render_widget(Paragraph::new(footer).wrap(Wrap { trim: false }), foot);
    }
}
