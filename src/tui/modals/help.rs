//! The `?` overlay: every key of the context it was opened in, made from
//! the key map, for the keys this operator may use.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::tui::component::{Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{self, Action, Context};
use crate::tui::layout::centered;
use crate::tui::widgets::{block, wrapped_height};

pub struct Help {
    /// Where the keyboard was when help was asked for.
    about: Context,
    scroll: u16,
    /// The inside of the box as last drawn (width, height): scrolling is
    /// bounded by what is really on screen, not by a guess at the layout.
    drawn: Cell<(u16, u16)>,
}

impl Help {
    pub fn new(about: Context) -> Help {
        Help {
            about,
            scroll: 0,
            drawn: Cell::new((0, 0)),
        }
    }
}

impl Component for Help {
    fn context(&self, _: &Shared) -> Context {
        Context::Help
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        let page = self.viewport(shared).1.max(1);
        let delta: i32 = match action {
            Action::CloseHelp => return Response::Close(None),
            Action::Down => 1,
            Action::Up => -1,
            Action::PageDown => i32::from(page),
            Action::PageUp => -i32::from(page),
            Action::Top => i32::MIN / 2,
            Action::Bottom => i32::MAX / 2,
            _ => return Response::Ignored,
        };
        // Never past the last line: the end of help stays on screen.
        let max = self.max_scroll(shared);
        self.scroll = (i32::from(self.scroll) + delta).clamp(0, i32::from(max)) as u16;
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let rect = centered(area, 76, area.height.saturating_sub(2));
        f.render_widget(Clear, rect);
        let inside = (rect.width.saturating_sub(2), rect.height.saturating_sub(2));
        self.drawn.set(inside);
        // Where more follows, the title says so and how to get there.
        let more = self.scroll < self.max_scroll(shared);
        let title = if more {
            " Help — Esc closes · more below: ↓ PgDn "
        } else {
            " Help — Esc closes "
        };
        let b = block(theme, Line::from(Span::styled(title, theme.title)), true);
        let inner = b.inner(rect);
        f.render_widget(b, rect);
        f.render_widget(
            Paragraph::new(self.lines(shared))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            inner,
        );
    }
}

impl Help {
    /// The inside of the help box, width and height: as last drawn, or
    /// (before the first frame) as the terminal's size allows at most.
    fn viewport(&self, shared: &Shared) -> (u16, u16) {
        match self.drawn.get() {
            (0, _) | (_, 0) => {
                let (w, h) = shared.size;
                (w.min(76).saturating_sub(2), h.saturating_sub(4))
            }
            drawn => drawn,
        }
    }

    fn max_scroll(&self, shared: &Shared) -> u16 {
        let (w, h) = self.viewport(shared);
        wrapped_height(&self.lines(shared), w).saturating_sub(h)
    }

    fn lines(&self, shared: &Shared) -> Vec<Line<'static>> {
        let theme = &shared.theme;
        let mut lines = vec![Line::from(Span::styled(
            if self.about.typing() {
                "Letters, digits and punctuation are typed into the search or the field: they never act. Actions are on Enter, Tab, Esc, arrows, F-keys and Ctrl-keys."
            } else {
                "No letter acts here: use Tab or the arrows, then Enter."
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
        if matches!(self.about, Context::Main | Context::Lookup) {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                "What the search finds",
                theme.title,
            )));
            for text in [
                "  any part of a name, in any order: garcia, jo garcia, lopez jose, o brien",
                "  last, first: garcia, jo (and , jo: a first name alone)",
                "  a date of birth: 2019-03-07, 3/7/2019, 3/7/19, 7 Mar 2019, March 7, 2019",
                "  with dots, day first: 25.12.2020",
                "  a birthday in any year: 3/7 or 7 Mar; a year: 2019",
                "  a month: Nov 2017, 2017 Nov, 11/2017",
                "  an account number: 100234",
                "  a part of an email: moore, moore1033, @example.org",
                "  st.john alone or with a date: the name, then emails",
                "    (with another name, type it with a space: st john mia)",
                "    (the patient's, or any current guardian's login)",
            ] {
                lines.push(Line::from(Span::raw(text)));
            }
        }
        lines
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
