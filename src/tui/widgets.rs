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

/// How many rows `lines` take when word-wrapped to `width` columns, as a
/// `Paragraph` draws them (ratatui's own count, so scrolling to a line
/// lands on it).
pub fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let rows = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.max(1));
    u16::try_from(rows).unwrap_or(u16::MAX)
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
    modal_box_with_footer(f, theme, area, title, lines, Vec::new(), width, TOP).0
}

/// How a popup's body is scrolled when it does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    /// This many rows down (stopping at the end).
    Offset(u16),
    /// Far enough that this (wrapped) row is on screen: the focused line.
    Reveal(u16),
}

/// Not scrolled.
pub const TOP: Scroll = Scroll::Offset(0);

/// A popup whose `footer` (its buttons and how to close it) is always on
/// screen, however small the terminal: the `body` above it gives way
/// first, scrolled as `scroll` says. Returns the body's area and how many
/// rows it was scrolled (to put the cursor on a field of it).
#[allow(clippy::too_many_arguments)]
pub fn modal_box_with_footer(
    f: &mut Frame,
    theme: &Theme,
    area: Rect,
    title: &str,
    body: Vec<Line>,
    footer: Vec<Line>,
    width: u16,
    scroll: Scroll,
) -> (Rect, u16) {
    let inner_w = width.min(area.width).saturating_sub(2).max(1);
    let body_h = wrapped_height(&body, inner_w);
    let footer_h = if footer.is_empty() {
        0
    } else {
        wrapped_height(&footer, inner_w)
    };
    let rect = centered(area, width, body_h + footer_h + 2);
    f.render_widget(Clear, rect);
    // A title longer than the top border ends in `…`, never cut by the
    // corner (`User …@very-lo┐`).
    let title = ellipsize(title, usize::from(rect.width.saturating_sub(4)));
    let b = block(
        theme,
        Line::from(Span::styled(format!(" {title} "), theme.title)),
        true,
    );
    let inner = b.inner(rect);
    f.render_widget(b, rect);
    let footer_h = footer_h.min(inner.height);
    let body_area = Rect {
        height: inner.height - footer_h,
        ..inner
    };
    let footer_area = Rect {
        y: inner.y + body_area.height,
        height: footer_h,
        ..inner
    };
    let scroll = match scroll {
        Scroll::Offset(n) => n,
        Scroll::Reveal(row) => row.saturating_sub(body_area.height.saturating_sub(1)),
    }
    .min(body_h.saturating_sub(body_area.height));
    f.render_widget(
        Paragraph::new(body)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        body_area,
    );
    if footer_h > 0 {
        f.render_widget(
            Paragraph::new(footer).wrap(Wrap { trim: false }),
            footer_area,
        );
    }
    (body_area, scroll)
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
    if value.is_empty() {
        return Line::from(vec![
            Span::styled(
                format!("{label} "),
                if typing { theme.key } else { theme.normal },
            ),
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

/// `text` cut to `width` columns, ending in `…` when it was cut: a name is
/// shortened visibly, never silently.
pub fn ellipsize(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The next of `n` items after `i`, `delta` steps on, wrapping around.
pub fn cycle(i: usize, n: usize, delta: isize) -> usize {
    if n == 0 {
        return 0;
    }
    (i as isize + delta).rem_euclid(n as isize) as usize
}

#[cfg(test)]
mod tests {
    use super::ellipsize;

    #[test]
    fn names_are_shortened_with_an_ellipsis_never_cut_silently() {
        assert_eq!(ellipsize("Anderson, Santiago", 18), "Anderson, Santiago");
        assert_eq!(ellipsize("Anderson, Santiago", 16), "Anderson, Santi…");
        assert_eq!(ellipsize("García-López, José", 10), "García-Ló…");
        assert_eq!(ellipsize("李小龍", 4), "李…", "wide characters count twice");
        assert_eq!(ellipsize("abc", 0), "");
    }
}
