//! Text fields. Plain ones are `tui_input::Input`; password fields are a
//! [`SecretField`] that takes the same editing keys but keeps its text in a
//! zeroizing buffer that never grows (so no stale copy is left behind), has
//! no yank buffer (Ctrl-Y brings nothing back) and shows only bullets.

use crossterm::event::Event;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};
use zeroize::Zeroizing;

use crate::secret::Secret;

/// Bytes a secret field holds at most (the policy allows 128 characters).
const CAPACITY: usize = 2048;

pub struct SecretField {
    buf: Zeroizing<String>,
    /// Cursor, in characters.
    cursor: usize,
}

impl Default for SecretField {
    fn default() -> Self {
        SecretField {
            buf: Zeroizing::new(String::with_capacity(CAPACITY)),
            cursor: 0,
        }
    }
}

impl std::fmt::Debug for SecretField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretField(<redacted>)")
    }
}

impl SecretField {
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub fn chars(&self) -> usize {
        self.buf.chars().count()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The value, copied into a [`Secret`] for a service call.
    /// Whether both fields hold the same text (compared in place, no copy).
    pub fn same_as(&self, other: &SecretField) -> bool {
        self.buf.as_str() == other.buf.as_str()
    }

    pub fn secret(&self) -> Secret {
        Secret::new(self.buf.as_str().to_owned())
    }

    pub fn clear(&mut self) {
        // Overwrite in place, then empty: the capacity is kept.
        let len = self.buf.len();
        self.buf.clear();
        self.buf.extend(std::iter::repeat_n('\0', len));
        self.buf.clear();
        self.cursor = 0;
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.buf
            .char_indices()
            .nth(char_idx)
            .map_or(self.buf.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() || self.buf.len() + c.len_utf8() > CAPACITY {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.buf.insert(at, c);
        self.cursor += 1;
    }

    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(c);
        }
    }

    /// Applies an editing key; returns true when it was one.
    pub fn handle(&mut self, event: &Event) -> bool {
        let Some(req) = to_input_request(event) else {
            return false;
        };
        match req {
            InputRequest::InsertChar(c) => self.insert(c),
            InputRequest::DeletePrevChar if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.buf.remove(at);
            }
            InputRequest::DeleteNextChar if self.cursor < self.chars() => {
                let at = self.byte_at(self.cursor);
                self.buf.remove(at);
            }
            InputRequest::GoToPrevChar => self.cursor = self.cursor.saturating_sub(1),
            InputRequest::GoToNextChar => self.cursor = (self.cursor + 1).min(self.chars()),
            InputRequest::GoToStart | InputRequest::GoToPrevWord => self.cursor = 0,
            InputRequest::GoToEnd | InputRequest::GoToNextWord => self.cursor = self.chars(),
            // Word edits would reveal where the words are: clear instead.
            InputRequest::DeleteLine
            | InputRequest::DeletePrevWord
            | InputRequest::DeleteFromStart => self.clear(),
            InputRequest::DeleteTillEnd | InputRequest::DeleteNextWord => {
                let at = self.byte_at(self.cursor);
                self.buf.truncate(at);
            }
            // No yank: nothing deleted is kept to bring back.
            InputRequest::Yank | InputRequest::SetCursor(_) => {}
            _ => {}
        }
        true
    }

    /// What is drawn: one bullet per character.
    pub fn masked(&self) -> String {
        "•".repeat(self.chars())
    }
}

impl Drop for SecretField {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A plain text field: keys through tui-input, with its yank disabled too
/// and pasted control characters dropped.
pub fn handle_text(input: &mut Input, event: &Event) -> bool {
    match to_input_request(event) {
        Some(InputRequest::Yank) | None => false,
        Some(req) => {
            input.handle(req);
            true
        }
    }
}

pub fn paste_text(input: &mut Input, text: &str) {
    let room = PASTE_MAX_CHARS.saturating_sub(input.value().chars().count());
    for c in text.chars().filter(|c| !c.is_control()).take(room) {
        input.handle(InputRequest::InsertChar(c));
    }
}

/// The most characters one paste brings into a field, and the most a field
/// grows to by pasting: more is no name, email, reason or search, and
/// inserting it would keep the app busy (each insertion is linear).
pub const PASTE_MAX_CHARS: usize = 1000;

/// What a paste brings into a one-line field: a tab or a line break
/// separates words as a space does (`Smith<Tab>Olivia` is two words), a
/// line break at the end (a copied line) adds nothing, other control
/// characters (escape sequences) are dropped. Cut to [`PASTE_MAX_CHARS`];
/// the second value says how many characters were left out.
pub fn clean_paste(text: &str) -> (String, usize) {
    let text = text.trim_end_matches(['\r', '\n']);
    // Sized once: a pasted password is never left behind in a smaller
    // buffer that grew.
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    let mut left_out = 0;
    let mut last_was_break = false;
    for c in text.chars() {
        let c = match c {
            '\t' | '\r' | '\n' if last_was_break => continue,
            '\t' | '\r' | '\n' => {
                last_was_break = true;
                ' '
            }
            c if c.is_control() => continue,
            c => {
                last_was_break = false;
                c
            }
        };
        if kept < PASTE_MAX_CHARS {
            out.push(c);
            kept += 1;
        } else {
            left_out += 1;
        }
    }
    (out, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(code: KeyCode, mods: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, mods))
    }

    #[test]
    fn edits_mask_and_never_yank_back() {
        let mut f = SecretField::default();
        for c in "hunter22".chars() {
            f.handle(&key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert_eq!(f.masked(), "••••••••");
        f.handle(&key(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(f.secret().expose(), "hunter2");
        f.handle(&key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert!(f.is_empty());
        f.handle(&key(KeyCode::Char('y'), KeyModifiers::CONTROL));
        assert!(f.is_empty(), "Ctrl-Y brings nothing back");
        f.insert_str("a\nb\tc");
        assert_eq!(
            f.secret().expose(),
            "abc",
            "pasted control characters are dropped"
        );
        assert_eq!(format!("{f:?}"), "SecretField(<redacted>)");
    }

    #[test]
    fn the_buffer_never_reallocates() {
        let mut f = SecretField::default();
        let before = f.buf.as_ptr();
        f.insert_str(&"x".repeat(5000));
        assert_eq!(f.buf.as_ptr(), before);
        assert_eq!(f.buf.len(), CAPACITY);
    }

    #[test]
    fn plain_fields_ignore_yank() {
        let mut i = Input::default();
        paste_text(&mut i, "smith\u{1b}[2J");
        assert_eq!(i.value(), "smith[2J");
        handle_text(&mut i, &key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        handle_text(&mut i, &key(KeyCode::Char('y'), KeyModifiers::CONTROL));
        assert_eq!(i.value(), "");
    }

    #[test]
    fn a_paste_separates_words_at_tabs_and_line_breaks_and_is_cut_to_a_field() {
        assert_eq!(clean_paste("Smith\tOlivia"), ("Smith Olivia".into(), 0));
        assert_eq!(clean_paste("smith\r\n2018\r\n"), ("smith 2018".into(), 0));
        assert_eq!(clean_paste("a\u{1b}[2J\u{7}b"), ("a[2Jb".into(), 0));
        let (kept, left_out) = clean_paste(&"x".repeat(PASTE_MAX_CHARS + 5));
        assert_eq!((kept.chars().count(), left_out), (PASTE_MAX_CHARS, 5));
        // A field full from earlier pastes takes no more.
        let mut i = Input::default();
        paste_text(&mut i, &kept);
        paste_text(&mut i, "more");
        assert_eq!(i.value().chars().count(), PASTE_MAX_CHARS);
    }
}
