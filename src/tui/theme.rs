//! Semantic styles. The colour theme uses the 16 named colours only; the
//! monochrome theme maps every role to the terminal's default colours with
//! bold, reverse and underline, because crossterm drops bold/reverse from a
//! cell whose colour NO_COLOR suppresses.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone)]
pub struct Theme {
    pub mono: bool,
    pub border: border::Set<'static>,
    pub normal: Style,
    /// Grayed out (the e-correspondent email when an account exists).
    pub dim: Style,
    pub title: Style,
    pub focus_border: Style,
    pub border_style: Style,
    pub selected: Style,
    pub key: Style,
    pub hint: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub secret: Style,
    pub button: Style,
    pub button_focus: Style,
    pub input: Style,
}

/// Borders for terminals without line-drawing glyphs.
pub const ASCII: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub fn new(mono: bool, ascii: bool) -> Theme {
        let border = if ascii { ASCII } else { border::PLAIN };
        let plain = Style::default();
        if mono {
            return Theme {
                mono,
                border,
                normal: plain,
                dim: plain,
                title: plain.add_modifier(Modifier::BOLD),
                focus_border: plain.add_modifier(Modifier::BOLD),
                border_style: plain,
                selected: plain.add_modifier(Modifier::REVERSED),
                key: plain.add_modifier(Modifier::BOLD),
                hint: plain,
                ok: plain.add_modifier(Modifier::BOLD),
                warn: plain.add_modifier(Modifier::BOLD),
                error: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                secret: plain.add_modifier(Modifier::BOLD),
                button: plain,
                button_focus: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                input: plain.add_modifier(Modifier::UNDERLINED),
            };
        }
        Theme {
            mono,
            border,
            normal: plain,
            dim: plain.fg(Color::DarkGray),
            title: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            focus_border: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            border_style: plain.fg(Color::Gray),
            selected: plain.add_modifier(Modifier::REVERSED),
            key: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            hint: plain.fg(Color::Gray),
            ok: plain.fg(Color::Green).add_modifier(Modifier::BOLD),
            warn: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            error: plain.fg(Color::Red).add_modifier(Modifier::BOLD),
            secret: plain.fg(Color::LightCyan).add_modifier(Modifier::BOLD),
            button: plain,
            button_focus: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            input: plain.add_modifier(Modifier::UNDERLINED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monochrome_uses_no_colour_at_all() {
        let t = Theme::new(true, false);
        for s in [
            t.normal,
            t.dim,
            t.title,
            t.focus_border,
            t.border_style,
            t.selected,
            t.key,
            t.hint,
            t.ok,
            t.warn,
            t.error,
            t.secret,
            t.button,
            t.button_focus,
            t.input,
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
        // Focus and selection still show without colour.
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(t.focus_border.add_modifier.contains(Modifier::BOLD));
    }
}
