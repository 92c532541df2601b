//! A small form in a popup: text fields and one-line choices, a button
//! that goes on and Cancel. A form never changes data itself: going on
//! leads to a confirmation (Cancel focused), whose request the form then
//! waits for — a refusal about one of its fields is shown beside that
//! field, and the form stays. What a form is for (its fields, what going
//! on leads to, which reply is its own) is a [`Purpose`].
//!
//! Typing: printable keys go into the focused text field and nowhere
//! else; on a choice or a button they do nothing. Choices move with
//! Left/Right, never with a letter.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use tui_input::Input;
use unicode_width::UnicodeWidthChar;

use crate::domain::text::printable;
use crate::error::{Error, Input as InputKind};
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared, sentence};
use crate::tui::fields::{handle_text, paste_text};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::Confirm;
use crate::tui::request::Reply;
use crate::tui::widgets::{Scroll, buttons, modal_box_with_footer, place_cursor, wrapped_height};

/// The popup's width on a large terminal.
const WIDTH: u16 = 72;
/// Columns of a field's label ("> " and the label).
const LABEL: usize = 15;

pub enum Field {
    Text {
        label: &'static str,
        input: Input,
    },
    /// One of a few options, chosen with Left/Right (`None`: not yet).
    Choice {
        label: &'static str,
        options: Vec<String>,
        chosen: Option<usize>,
    },
}

impl Field {
    pub fn text(label: &'static str) -> Field {
        Field::Text {
            label,
            input: Input::default(),
        }
    }

    pub fn choice(label: &'static str, options: Vec<String>, chosen: Option<usize>) -> Field {
        Field::Choice {
            label,
            options,
            chosen,
        }
    }

    /// What was typed (empty for a choice).
    pub fn value(&self) -> &str {
        match self {
            Field::Text { input, .. } => input.value(),
            Field::Choice { .. } => "",
        }
    }

    /// The option chosen (`None` for a text field).
    pub fn chosen(&self) -> Option<usize> {
        match self {
            Field::Choice { chosen, .. } => *chosen,
            Field::Text { .. } => None,
        }
    }
}

/// What is wrong with a form's values: at a field, or (`None`) the form as
/// a whole.
pub struct FieldError {
    pub field: Option<usize>,
    pub text: String,
}

impl FieldError {
    pub fn at(field: usize, text: impl Into<String>) -> FieldError {
        FieldError {
            field: Some(field),
            text: text.into(),
        }
    }

    /// The services' refusal `e`, beside the field it is about.
    pub fn from_error(e: &Error, field_of: impl Fn(InputKind) -> Option<usize>) -> FieldError {
        FieldError {
            field: e.input().and_then(field_of),
            text: sentence(e),
        }
    }
}

/// What a form is for.
pub trait Purpose {
    fn kind(&self) -> ModalKind;
    fn title(&self) -> String;
    /// Who or what the form is about, above its fields.
    fn header(&self, shared: &Shared) -> Vec<Line<'static>>;
    /// The label of the button that goes on ("Next…", "Remove…").
    fn go_on(&self) -> &'static str;
    /// Where the values lead (a confirmation), or what is wrong with them.
    fn submit(&self, fields: &[Field], shared: &Shared) -> Result<Command, FieldError>;
    /// The result of the request this form led to, when `reply` is it.
    fn outcome<'r>(&self, reply: &'r Reply) -> Option<Result<(), &'r Error>>;
    /// The field a refusal about `input` points at.
    fn field_of(&self, input: InputKind) -> Option<usize>;
}

pub struct Form<P: Purpose> {
    purpose: P,
    fields: Vec<Field>,
    /// 0..n: a field; n: the button that goes on; n + 1: Cancel.
    focus: usize,
    error: Option<FieldError>,
}

impl<P: Purpose> Form<P> {
    pub fn with_fields(purpose: P, fields: Vec<Field>) -> Form<P> {
        Form {
            purpose,
            fields,
            focus: 0,
            error: None,
        }
    }

    fn go_on_button(&self) -> usize {
        self.fields.len()
    }

    fn step(&mut self, delta: isize) {
        let n = self.fields.len() as isize + 2;
        self.focus = (self.focus as isize + delta).rem_euclid(n) as usize;
    }

    fn show(&mut self, e: FieldError) -> Response {
        if let Some(at) = e.field {
            self.focus = at;
        }
        self.error = Some(e);
        Response::Consumed
    }

    fn submit(&mut self, shared: &Shared) -> Response {
        match self.purpose.submit(&self.fields, shared) {
            Ok(command) => {
                self.error = None;
                // The form stays under the confirmation, for a refusal.
                Response::Command(command)
            }
            Err(e) => self.show(e),
        }
    }

    fn cancel(&mut self) -> Response {
        if self.fields.iter().all(|f| f.value().is_empty()) {
            return Response::Close(None);
        }
        Confirm::discard("Discard this form?")
    }

    fn choose(&mut self, delta: isize) {
        if let Some(Field::Choice {
            options, chosen, ..
        }) = self.fields.get_mut(self.focus)
        {
            let n = options.len() as isize;
            if n == 0 {
                return;
            }
            *chosen = Some(match *chosen {
                Some(i) => (i as isize + delta).rem_euclid(n) as usize,
                None if delta > 0 => 0,
                None => (n - 1) as usize,
            });
            if self.error.as_ref().and_then(|e| e.field) == Some(self.focus) {
                self.error = None;
            }
        }
    }

    /// The lines of one field; for a text field also the column its value
    /// starts at and how far it is scrolled sideways.
    fn field_lines(
        &self,
        i: usize,
        shared: &Shared,
        inner_w: u16,
    ) -> (Vec<Line<'static>>, Option<(u16, usize)>) {
        let theme = &shared.theme;
        let focused = self.focus == i;
        let label = |l: &str| {
            Span::styled(
                format!(
                    "{}{l:<w$}",
                    if focused { "> " } else { "  " },
                    w = LABEL - 2
                ),
                if focused { theme.key } else { theme.normal },
            )
        };
        let room = usize::from(inner_w).saturating_sub(LABEL + 1).max(1);
        let mut lines = Vec::new();
        let mut cursor = None;
        match &self.fields[i] {
            Field::Text { label: l, input } => {
                let scroll = input.visual_scroll(room);
                lines.push(Line::from(vec![
                    label(l),
                    Span::styled(
                        format!("{} ", columns_from(&printable(input.value()), scroll, room)),
                        theme.input,
                    ),
                ]));
                cursor = Some((LABEL as u16, scroll));
            }
            Field::Choice {
                label: l,
                options,
                chosen,
            } => {
                let marked: Vec<String> = options
                    .iter()
                    .enumerate()
                    .map(|(n, o)| {
                        let mark = if *chosen == Some(n) { "(•)" } else { "( )" };
                        format!("{mark} {}", printable(o))
                    })
                    .collect();
                let inline = marked.join(" ");
                let shown = if inline.chars().count() <= room {
                    inline
                } else {
                    // No room for all of them (a small terminal, a
                    // patient's name and birth date): the one chosen, and
                    // how many there are.
                    let n = options.len();
                    match chosen {
                        Some(i) => format!("◂ {} ▸ {}/{n}", printable(&options[*i]), i + 1),
                        None => "◂ Left/Right ▸".to_owned(),
                    }
                };
                lines.push(Line::from(vec![label(l), Span::styled(shown, theme.input)]));
            }
        }
        if let Some(e) = self.error.as_ref().filter(|e| e.field == Some(i)) {
            // Under the value where there is room, every wrapped line too
            // (textwrap: the popup's own wrapping would start them at
            // column 1); at the margin otherwise.
            let indent = " ".repeat(if room >= 40 { LABEL } else { 2 });
            let text = printable(&e.text);
            let wrap = textwrap::Options::new(usize::from(inner_w).max(indent.len() + 1))
                .initial_indent(&indent)
                .subsequent_indent(&indent);
            for l in textwrap::wrap(&text, wrap) {
                lines.push(Line::from(Span::styled(l.into_owned(), theme.error)));
            }
        }
        (lines, cursor)
    }
}

/// `text` from display column `from`, at most `width` columns of it.
fn columns_from(text: &str, from: usize, width: usize) -> String {
    let mut out = String::new();
    let (mut col, mut used) = (0, 0);
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if col >= from {
            if used + w > width {
                break;
            }
            used += w;
            out.push(c);
        }
        col += w;
    }
    out
}

impl<P: Purpose + 'static> Component for Form<P> {
    fn context(&self, _: &Shared) -> Context {
        match self.fields.get(self.focus) {
            Some(Field::Text { .. }) => Context::FormField,
            Some(Field::Choice { .. }) => Context::FormChoice,
            None => Context::FormButtons,
        }
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        if shared.busy() && !matches!(action, Action::Quit | Action::Redraw) {
            return Response::Consumed;
        }
        match action {
            Action::NextField => self.step(1),
            Action::PrevField => self.step(-1),
            Action::NextChoice => self.choose(1),
            Action::PrevChoice => self.choose(-1),
            Action::Submit => return self.submit(shared),
            Action::Activate if self.focus == self.go_on_button() => return self.submit(shared),
            Action::Activate if self.focus > self.go_on_button() => return self.cancel(),
            Action::Cancel => return self.cancel(),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn on_text(&mut self, event: &Event, _: &Shared) -> Response {
        if let Some(Field::Text { input, .. }) = self.fields.get_mut(self.focus)
            && handle_text(input, event)
            && self.error.as_ref().and_then(|e| e.field) == Some(self.focus)
        {
            self.error = None;
        }
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, _: &Shared) -> Response {
        if let Some(Field::Text { input, .. }) = self.fields.get_mut(self.focus) {
            paste_text(input, text);
        }
        Response::Consumed
    }

    fn on_reply(&mut self, reply: &Reply, _: &Shared) -> Response {
        match self.purpose.outcome(reply) {
            None => Response::Ignored,
            // A refusal about one of the fields stays on the form, beside it.
            Some(Err(e)) if e.input().and_then(|i| self.purpose.field_of(i)).is_some() => {
                let e = FieldError::from_error(e, |i| self.purpose.field_of(i));
                self.show(e)
            }
            Some(_) => Response::Close(None),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let inner_w = area.width.min(WIDTH).saturating_sub(2);
        let mut lines = self.purpose.header(shared);
        lines.push(Line::default());
        let (mut focus_row, mut cursor) = (None, None);
        for i in 0..self.fields.len() {
            let (field, at) = self.field_lines(i, shared, inner_w);
            let row = wrapped_height(&lines, inner_w);
            lines.extend(field);
            if self.focus == i {
                // The whole field in view, its error too.
                focus_row = Some(wrapped_height(&lines, inner_w).saturating_sub(1));
                cursor = at.map(|(x, scroll)| (x, row, scroll));
            }
        }
        if let Some(e) = self.error.as_ref().filter(|e| e.field.is_none()) {
            focus_row = Some(wrapped_height(&lines, inner_w));
            lines.push(Line::from(Span::styled(printable(&e.text), theme.error)));
        }
        let hint = match self.fields.get(self.focus) {
            Some(Field::Text { .. }) => "Tab moves · Enter goes on (asks first) · Esc cancels",
            Some(Field::Choice { .. }) => "Left/Right choose · Tab moves · Esc cancels",
            None => "Tab moves · Enter presses · Esc cancels",
        };
        let n = self.go_on_button();
        let footer = vec![
            Line::default(),
            buttons(
                theme,
                &[
                    (self.purpose.go_on(), self.focus == n),
                    ("Cancel", self.focus == n + 1),
                ],
            ),
            Line::from(Span::styled(hint, theme.hint)),
        ];
        let scroll = focus_row.map_or(Scroll::Offset(0), Scroll::Reveal);
        let title = self.purpose.title();
        let (body, scrolled) =
            modal_box_with_footer(f, theme, area, &title, lines, footer, WIDTH, scroll);
        if let (Some((x, row, side)), Some(Field::Text { input, .. })) =
            (cursor, self.fields.get(self.focus))
            && row >= scrolled
        {
            let col = input.visual_cursor().saturating_sub(side);
            place_cursor(f, body, x + col as u16, row - scrolled);
        }
    }
}

impl<P: Purpose + 'static> Modal for Form<P> {
    fn kind(&self) -> ModalKind {
        self.purpose.kind()
    }
}
