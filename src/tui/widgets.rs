//! Small drawing pieces every component uses: bordered blocks, popups,
//! buttons, labelled fields, the cursor. They only draw.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::layout::centered;
use super::theme::Theme;
use crate::domain::text::printable;

pub fn block<'a>(theme: &Theme, title: impl Into<Line<'a>>, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border)
        .border_style(if focused {
            theme.focus_border
        } else {
            theme.border_style
        })
        .title(title)
}

/// A popup of `width` columns, as tall as its wrapped lines, centred and
/// clamped inside `area`. Returns the inside of its border.
pub fn modal_box(
    f: &mut Frame,
    theme: &Theme,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    width: u16,
) -> Rect {
    let inner_w = width.min(area.width).saturating_sub(2).max(1);
    let wrapped: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner_w).max(1))
        .sum();
    let rect = centered(area, width, wrapped + 2);
    f.render_widget(Clear, rect);
    let b = block(
        theme,
        Line::from(Span::styled(format!(" {title} "), theme.title)),
        true,
    );
    let inner = b.inner(rect);
    f.render_widget(b, rect);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    inner
}

/// A row of buttons; the focused one is bracketed so focus shows without colour.
pub fn buttons<'a>(theme: &Theme, labels: &[(&str, bool)]) -> Line<'a> {
    let mut spans = Vec::new();
    for (label, focused) in labels {
        let text = if *focused {
            format!(">[ {label} ]<")
        } else {
            format!(" [ {label} ] ")
        };
        spans.push(Span::styled(
            text,
            if *focused {
                theme.button_focus
            } else {
                theme.button
            },
        ));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// "> Label    value": a form field, marked when focused.
pub fn field_line<'a>(theme: &Theme, label: &str, value: &str, focused: bool) -> Line<'a> {
    let marker = if focused { "> " } else { "  " };
    Line::from(vec![
        Span::styled(
            format!("{marker}{label:<8} "),
            if focused { theme.key } else { theme.normal },
        ),
        Span::styled(format!("{value} "), theme.input),
    ])
}

/// "Label           value" in a details pane.
pub fn key_value<'a>(
    theme: &Theme,
    width: usize,
    key: &str,
    value: String,
    style: Style,
) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{key:<width$}"), theme.normal),
        Span::styled(value, style),
    ])
}

/// A search box's line: its label, and either what was typed or a hint.
pub fn search_line<'a>(
    theme: &Theme,
    label: &str,
    value: &str,
    typing: bool,
    empty_hint: &str,
) -> Line<'a> {
    if value.is_empty() && !typing {
        return Line::from(vec![
            Span::styled(format!("{label} "), theme.normal),
            Span::styled(empty_hint.to_owned(), theme.dim),
        ]);
    }
    Line::from(vec![
        Span::styled(
            format!("{label} "),
            if typing { theme.key } else { theme.normal },
        ),
        Span::styled(printable(value), theme.input),
    ])
}

/// Puts the terminal cursor at column `x`, row `y` inside `inner`, if it fits.
pub fn place_cursor(f: &mut Frame, inner: Rect, x: u16, y: u16) {
    if y < inner.height {
        let x = inner.x + x.min(inner.width.saturating_sub(1));
        f.set_cursor_position(Position::new(x, inner.y + y));
    }
}
