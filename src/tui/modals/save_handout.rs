//! Saves a temporary login's handout to a new file, readable only by the
//! operator's user (mode 0600), never over an existing file.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use tui_input::Input;
use zeroize::Zeroizing;

use crate::domain::text::printable;
use crate::tui::component::{
    Command, Component, Level, Modal, ModalKind, Response, Shared, sentence,
};
use crate::tui::fields::{handle_text, paste_text};
use crate::tui::keys::{Action, Context};
use crate::tui::request::PatientRef;
use crate::tui::widgets::{TOP, modal_box_with_footer, place_cursor};

pub struct SaveHandout {
    text: Zeroizing<String>,
    path: Input,
    error: Option<String>,
}

impl SaveHandout {
    /// The form, its file named in full so staff see where it goes:
    /// `/current/folder/handout-NO-YYYYMMDD-HHMM.txt`, in local time.
    pub fn new(text: Zeroizing<String>, patient: &PatientRef, shared: &Shared) -> SaveHandout {
        // "2026-12-01T15:07:00-05:00" → "20261201-1507"
        let local: String = shared
            .local
            .rfc3339(shared.portal.now())
            .chars()
            .take(16)
            .filter(|c| c.is_ascii_digit() || *c == 'T')
            .collect();
        let stamp = local.replace('T', "-");
        let folder = std::env::current_dir().unwrap_or_default();
        let name: String = patient
            .number
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let path = folder.join(format!("handout-{name}-{stamp}.txt"));
        SaveHandout {
            text,
            path: Input::new(path.display().to_string()),
            error: None,
        }
    }

    fn save(&mut self) -> Response {
        let path = std::path::PathBuf::from(self.path.value().trim());
        match crate::handout::write_new_file(&path, &self.text) {
            Ok(()) => Response::Close(Some(Command::Notice(
                Level::Ok,
                format!(
                    "Handout saved to {} (readable only by you). Hand it over, then delete it.",
                    printable(&path.display().to_string())
                ),
            ))),
            Err(e) => {
                self.error = Some(sentence(&e));
                Response::Consumed
            }
        }
    }
}

impl Component for SaveHandout {
    fn context(&self, _: &Shared) -> Context {
        Context::FormField
    }

    fn on_action(&mut self, action: Action, _: &Shared) -> Response {
        match action {
            Action::Submit => self.save(),
            Action::Cancel => Response::Close(None),
            _ => Response::Ignored,
        }
    }

    fn on_text(&mut self, event: &Event, _: &Shared) -> Response {
        if handle_text(&mut self.path, event) {
            self.error = None;
        }
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, _: &Shared) -> Response {
        paste_text(&mut self.path, text);
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let mut lines = vec![
            Line::from("Save the handout (with the temporary password) to a new file:"),
            Line::from(vec![
                Span::styled("File: ", theme.key),
                Span::styled(printable(self.path.value()), theme.input),
            ]),
        ];
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(e.clone(), theme.error)));
        }
        let footer = vec![
            Line::default(),
            Line::from(Span::styled(
                "Enter saves · Esc cancels (nothing is written)",
                theme.hint,
            )),
        ];
        let (inner, _) =
            modal_box_with_footer(f, theme, area, "Save handout", lines, footer, 72, TOP);
        // A long path wraps (it has no spaces): the cursor follows it.
        let at = 6 + self.path.visual_cursor() as u16;
        let w = inner.width.max(1);
        place_cursor(f, inner, at % w, 1 + at / w);
    }
}

impl Modal for SaveHandout {
    fn kind(&self) -> ModalKind {
        ModalKind::SaveHandout
    }
}
