//! What frames every screen: the title bar (practice, operator, demo
//! flag), the status line (work running, the last message) and the hint
//! line made from the key map.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::component::{Level, Shared};
use super::keys::{self, Action, Context};
use crate::domain::text::printable;

/// The title bar: who is signed in, the demo and weak-hashing flags, the
/// practice and the program's name — the last ones give way first when
/// the terminal is narrow, never the operator.
pub fn draw_title(f: &mut Frame, area: Rect, shared: &Shared) {
    // (text, how much it matters: higher stays longer)
    let mut parts: Vec<(String, u8)> = vec![("portal-admin".to_owned(), 0)];
    if let Some(setup) = &shared.practice.setup {
        let name = setup
            .practice_name
            .clone()
            .unwrap_or_else(|| setup.practice_id.clone());
        parts.push((printable(&name), 1));
    }
    if let Some(s) = &shared.session {
        parts.push((format!("{} ({})", s.name(), s.role().as_str()), 4));
    }
    if shared.practice.demo {
        parts.push(("DEMO DATA".into(), 3));
    }
    // hashing.allow_weak: for tests only, and said where everyone sees it.
    if shared.portal.weak_hashing_notice().is_some() {
        parts.push(("WEAK HASHING (hashing.allow_weak)".into(), 2));
    }
    let width = |parts: &[(String, u8)]| {
        parts
            .iter()
            .map(|(t, _)| t.chars().count() + 3)
            .sum::<usize>()
            + 1
    };
    while width(&parts) > usize::from(area.width) && parts.len() > 1 {
        let least = (0..parts.len()).min_by_key(|i| parts[*i].1).unwrap_or(0);
        parts.remove(least);
    }
    let parts: Vec<String> = parts.into_iter().map(|(t, _)| t).collect();
    let text = format!(" {} ", parts.join(" · "));
    f.render_widget(Paragraph::new(text).style(shared.theme.title), area);
}

/// Rows the status line needs for `notice` at this width (1 to 3).
pub fn status_line_height(width: u16, notice: Option<&(Level, String)>) -> u16 {
    // Counted as the line is drawn (word-wrapped), so no word is cut off.
    notice.map_or(1, |(_, text)| {
        let line = Line::from(format!(" {}", printable(text)));
        super::widgets::wrapped_height(&[line], width).clamp(1, 4)
    })
}

pub fn draw_status_line(
    f: &mut Frame,
    area: Rect,
    shared: &Shared,
    notice: Option<&(Level, String)>,
) {
    let theme = &shared.theme;
    // A message about what was just typed wins over the spinner.
    let line = if let (Some(p), None) = (&shared.pending, notice) {
        let frames = ['|', '/', '-', '\\'];
        let i = (p.started.elapsed().as_millis() / 120) as usize % frames.len();
        Line::from(Span::styled(
            format!(" {} {}… (working)", frames[i], p.label),
            theme.warn,
        ))
    } else if let Some((level, text)) = notice {
        let style = match level {
            Level::Info => theme.normal,
            Level::Ok => theme.ok,
            Level::Error => theme.error,
        };
        Line::from(Span::styled(format!(" {}", printable(text)), style))
    } else {
        Line::default()
    };
    f.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), area);
}

/// Which hints come first when the line is short: help, then what the
/// person at the desk does most, then leaving.
fn hint_rank(action: Action) -> u8 {
    match action {
        Action::Help | Action::CloseHelp => 0,
        Action::CreateValidate | Action::Submit | Action::Activate | Action::Toggle => 1,
        Action::NextChoice => 1,
        Action::AddGuardian => 5,
        Action::Open | Action::Back | Action::Cancel => 2,
        Action::NextPane | Action::NextField => 3,
        Action::ClearSearch => 4,
        Action::Quit => 6,
        Action::SignOut => 7,
        _ => 8,
    }
}

/// The bottom line: the keys that matter here, as many whole hints as fit,
/// help first so that it is on screen at any width.
pub fn draw_hints(f: &mut Frame, area: Rect, shared: &Shared, context: Context) {
    let theme = &shared.theme;
    let mut spans = Vec::new();
    let mut used = 0;
    let mut hints: Vec<&keys::Binding> = keys::visible_bindings(context, shared.is_admin())
        .into_iter()
        .filter(|b| b.hint)
        .collect();
    hints.sort_by_key(|b| hint_rank(b.action));
    for b in hints {
        let key = b.keys[0].label();
        let text = format!(" {}", keys::short(b.description));
        let width = 1 + key.chars().count() + text.chars().count();
        if used + width > usize::from(area.width) {
            continue;
        }
        used += width;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(text, theme.hint));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
