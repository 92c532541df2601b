//! What frames every screen: the title bar (practice, operator, demo
//! flag), the status line (work running, the last message) and the hint
//! line made from the key map.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::component::{Level, Shared};
use super::keys::{self, Action, Context};
use crate::domain::text::printable;

pub fn draw_title(f: &mut Frame, area: Rect, shared: &Shared) {
    let mut parts = vec!["portal-admin".to_owned()];
    if let Some(setup) = &shared.practice.setup {
        let name = setup
            .practice_name
            .clone()
            .unwrap_or_else(|| setup.practice_id.clone());
        parts.push(printable(&name));
    }
    if let Some(s) = &shared.session {
        parts.push(format!("{} ({})", s.name(), s.role().as_str()));
    }
    if shared.practice.demo {
        parts.push("DEMO DATA".into());
    }
    let text = format!(" {} ", parts.join(" · "));
    f.render_widget(Paragraph::new(text).style(shared.theme.title), area);
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
    f.render_widget(Paragraph::new(line), area);
}

pub fn draw_hints(f: &mut Frame, area: Rect, shared: &Shared, context: Context) {
    let theme = &shared.theme;
    let mut spans = vec![Span::styled(
        if context.typing() {
            " TYPING "
        } else {
            " NAV "
        },
        theme.selected,
    )];
    let mut used = spans[0].width();
    if context.typing() {
        spans.push(Span::styled(" keys are text ·", theme.hint));
        used += spans[1].width();
    }
    // Help first, so that it is on screen at any width; then the rest in
    // the key map's order, as many whole hints as fit.
    let mut hints: Vec<&keys::Binding> = keys::visible_bindings(context, shared.is_admin())
        .into_iter()
        .filter(|b| b.hint)
        .collect();
    hints.sort_by_key(|b| !matches!(b.action, Action::Help | Action::CloseHelp));
    for b in hints {
        let key = b.keys[0].label();
        let text = format!(" {}", keys::short(b.description));
        let width = 1 + key.chars().count() + text.chars().count();
        if used + width > usize::from(area.width) {
            break;
        }
        used += width;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(text, theme.hint));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
