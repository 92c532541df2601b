//! The popups over the main screen, as a stack: keys go to the one on top,
//! each draws over what is below it.

mod checked_confirm;
mod choose_guardian;
mod confirm;
pub mod create_validate;
mod form;
mod guardians;
mod help;
mod linked;
mod operator_details;
mod save_handout;
mod set_password;
mod temporary_login;
mod user_details;

use std::time::Instant;

pub use checked_confirm::CheckedConfirm;
pub use choose_guardian::ChooseGuardian;
pub use confirm::Confirm;
pub use form::{Field, FieldError, Form, Purpose};
pub use guardians::{AddGuardianForm, ChangeLoginForm, RemoveGuardianForm};
pub use help::Help;
pub use linked::LinkedPopup;
pub use operator_details::OperatorDetails;
pub use save_handout::SaveHandout;
pub use set_password::SetPassword;
pub use temporary_login::TemporaryLoginPopup;
pub use user_details::UserDetails;

use super::component::{Modal, ModalKind};

struct Entry {
    modal: Box<dyn Modal>,
    /// When it was first on screen: keys received before are dropped, so a
    /// buffered Enter never confirms a reset or closes a temporary login.
    shown_at: Option<Instant>,
}

#[derive(Default)]
pub struct ModalStack {
    entries: Vec<Entry>,
}

impl ModalStack {
    pub fn push(&mut self, modal: Box<dyn Modal>) {
        self.entries.push(Entry {
            modal,
            shown_at: None,
        });
    }

    /// Closes the popup on top; dropping it zeroizes what it held.
    pub fn pop(&mut self) {
        self.entries.pop();
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn top(&self) -> Option<&dyn Modal> {
        self.entries.last().map(|e| e.modal.as_ref())
    }

    pub fn top_mut(&mut self) -> Option<&mut Box<dyn Modal>> {
        self.entries.last_mut().map(|e| &mut e.modal)
    }

    /// Bottom to top, the order they are drawn in.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &dyn Modal> {
        self.entries.iter().map(|e| e.modal.as_ref())
    }

    /// Top to bottom, the order replies are offered in.
    pub fn iter_mut_from_top(&mut self) -> impl Iterator<Item = &mut Box<dyn Modal>> {
        self.entries.iter_mut().rev().map(|e| &mut e.modal)
    }

    pub fn any(&self, kind: ModalKind) -> bool {
        self.iter().any(|m| m.kind() == kind)
    }

    /// False when the popup on top was not yet on screen when a key
    /// received at `at` was typed.
    pub fn takes_key_from(&self, at: Instant) -> bool {
        match self.entries.last() {
            Some(e) if e.modal.drops_early_keys() => e.shown_at.is_some_and(|shown| at >= shown),
            _ => true,
        }
    }

    /// Called when a frame begins to be drawn: arms the popups in it.
    pub fn shown(&mut self, frame_start: Instant) {
        for e in &mut self.entries {
            e.shown_at.get_or_insert(frame_start);
        }
    }
}
