//! The panes of the main screen: patient lookup, the selected patient's
//! portal account, and (administrators) the Control Panel's users and the
//! app's operators. Each
//! owns its state, answers its keys and draws its inside; the main screen
//! gives it its frame and the keyboard when it has the focus.

mod account;
mod control_panel;
mod lookup;
mod operators;

pub use account::Account;
pub use control_panel::ControlPanel;
pub use lookup::Lookup;
pub use operators::Operators;

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::component::{Response, Shared};
use super::keys::{Action, Context};
use super::list::ListPane;
use super::widgets::{block, place_cursor, search_line};

/// How the main screen frames a pane: its title line and whether it has
/// the keyboard.
pub struct PaneFrame {
    pub title: Line<'static>,
    pub focused: bool,
}

pub trait PaneComponent {
    fn context(&self) -> Context;

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response;

    fn on_text(&mut self, _event: &Event, _shared: &Shared) -> Response {
        Response::Ignored
    }

    fn on_paste(&mut self, _text: &str, _shared: &Shared) -> Response {
        Response::Ignored
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame);
}

/// Draws a list pane's frame and splits its inside into the search line,
/// the list and the footer; `None` when there is no room for them.
fn list_frame(f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame) -> Option<[Rect; 3]> {
    let b = block(&shared.theme, frame.title, frame.focused);
    let inner = b.inner(area);
    f.render_widget(b, area);
    (inner.height >= 3).then(|| {
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner)
    })
}

/// A list pane's search line, with the cursor in it while typing.
fn draw_search<T>(
    f: &mut Frame,
    area: Rect,
    shared: &Shared,
    list: &ListPane<T>,
    label: &str,
    empty_hint: &str,
    focused: bool,
) {
    if list.query().is_empty() {
        let line = search_line(&shared.theme, label, "", focused, empty_hint);
        f.render_widget(Paragraph::new(line), area);
        if focused {
            place_cursor(f, area, label.chars().count() as u16 + 1, 0);
        }
        return;
    }
    // The text scrolls sideways so that the cursor, at the end of what was
    // typed, is always in the box.
    let label_w = label.chars().count() as u16 + 1;
    let [label_area, text_area] =
        Layout::horizontal([Constraint::Length(label_w), Constraint::Min(1)]).areas(area);
    let line = search_line(&shared.theme, label, list.query(), focused, empty_hint);
    let (label_span, text_span) = (line.spans[0].clone(), line.spans[1].clone());
    f.render_widget(Paragraph::new(Line::from(label_span)), label_area);
    let width = usize::from(text_area.width.saturating_sub(1)).max(1);
    let scroll = list.input.visual_scroll(width);
    f.render_widget(
        Paragraph::new(Line::from(text_span)).scroll((0, scroll as u16)),
        text_area,
    );
    if focused {
        let x = list.input.visual_cursor().saturating_sub(scroll);
        place_cursor(f, text_area, x as u16, 0);
    }
}

/// A list pane's rows as a table, the selected one marked (and reversed
/// while the pane has the keyboard).
fn draw_rows<'a, T>(
    f: &mut Frame,
    area: Rect,
    shared: &Shared,
    list: &ListPane<T>,
    rows: impl IntoIterator<Item = Row<'a>>,
    widths: Vec<Constraint>,
    focused: bool,
) {
    let theme = &shared.theme;
    let table = Table::new(rows, widths)
        .column_spacing(1)
        .row_highlight_style(if focused {
            theme.selected
        } else {
            theme.normal
        })
        .highlight_symbol("> ");
    let selected = (!list.rows.is_empty()).then_some(list.selected);
    let mut state = TableState::default().with_selected(selected);
    f.render_stateful_widget(table, area, &mut state);
}
