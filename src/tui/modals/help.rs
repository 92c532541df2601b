//! The `?` overlay: every key of the context it was opened in, made from
//! the key map, for the keys this operator may use.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::tui::component::{Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{self, Action, Context};
use crate::tui::layout::centered;
use crate::tui::widgets::block;

pub struct Help {
    /// Where the keyboard was when help was asked for.
    about: Context,
    scroll: u16,
}

impl Help {
    pub fn new(about: Context) -> Help {
        Help { about, scroll: 0 }
    }
}

impl Component for Help {
    fn context(&self, _: &Shared) -> Context {
        Context::Help
    }

    fn on_action(&mut self, action: Action, _: &Shared) -> Response {
        match action {
            Action::CloseHelp => Response::Close(None),
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1);
                Response::Consumed
            }
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Response::Consumed
            }
            _ => Response::Ignored,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let mut lines = vec![Line::from(Span::styled(
            if self.about.typing() {
                "Typing mode: printable keys are typed into the field."
            } else {
                "Navigation mode: single letters are commands."
            },
            theme.hint,
        ))];
        let mut last = None;
        for b in keys::visible_bindings(self.about, shared.is_admin()) {
            if last != Some(b.context) {
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(b.context.title(), theme.title)));
                last = Some(b.context);
            }
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keys.join(" ")), theme.key),
                Span::raw(b.description),
            ]));
        }
        let rect = centered(area, 76, area.height.saturating_sub(2));
        f.render_widget(Clear, rect);
        let b = block(
            theme,
            Line::from(Span::styled(" Help — Esc closes ", theme.title)),
            true,
        );
        let inner = b.inner(rect);
        f.render_widget(b, rect);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            inner,
        );
    }
}

impl Modal for Help {
    fn kind(&self) -> ModalKind {
        ModalKind::Help
    }

    fn drops_early_keys(&self) -> bool {
        false
    }
}
