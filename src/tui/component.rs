//! What every part of the screen is: a component that owns its state,
//! answers the actions the key map gives it, and draws itself. Components
//! never call one another; they answer with a [`Response`] and the router
//! (`app.rs`) does the rest. They read what is shared through [`Shared`].

use std::sync::Arc;
use std::time::Instant;

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::Rect;
use zeroize::Zeroizing;

use super::keys::{Action, Context};
use super::request::{Reply, Request};
use super::theme::Theme;
use crate::config::UiConfig;
use crate::present::LocalTime;
use crate::services::{Portal, Practice, Session, TemporaryLogin};

/// What every component may read: the services, the settings, who is
/// signed in, the practice, the terminal's size and the running request.
pub struct Shared {
    pub portal: Arc<Portal>,
    pub ui: UiConfig,
    pub theme: Theme,
    pub session: Option<Session>,
    pub practice: Practice,
    /// The practice's clock face: times as staff read them aloud.
    pub local: LocalTime,
    pub size: (u16, u16),
    pub pending: Option<Pending>,
}

impl Shared {
    pub fn is_admin(&self) -> bool {
        self.session.as_ref().is_some_and(Session::is_admin)
    }

    /// True while a request runs.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }
}

/// The request that runs now.
pub struct Pending {
    pub id: u64,
    pub label: &'static str,
    pub started: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Ok,
    Error,
}

/// A component's answer to a key, a paste or a reply.
pub enum Response {
    /// Not for this component: the router tries the next one.
    Ignored,
    Consumed,
    /// Close this modal, then carry out the command, if any.
    Close(Option<Command>),
    Command(Command),
}

impl Response {
    pub fn notice(level: Level, text: impl Into<String>) -> Response {
        Response::Command(Command::Notice(level, text.into()))
    }
}

/// What a component asks the router to do.
pub enum Command {
    /// Start work on the worker; refused while another request runs.
    Start(Request),
    Open(Box<dyn Modal>),
    /// Close the modal on top (after a `Close`, the one that was below it).
    CloseTop,
    Notice(Level, String),
    Help(Context),
    Reload,
    /// Write this text to the operator's clipboard (OSC 52).
    Copy(Zeroizing<String>),
    Redraw,
    Quit,
    /// Back to the sign-in screen for the next operator.
    SignOut,
}

pub trait Component {
    /// Where the keyboard is while this component has it.
    fn context(&self, shared: &Shared) -> Context;

    /// An action of the key map, in this component's context.
    fn on_action(&mut self, action: Action, shared: &Shared) -> Response;

    /// A key that no binding takes, in a typing context.
    fn on_text(&mut self, _event: &Event, _shared: &Shared) -> Response {
        Response::Ignored
    }

    fn on_paste(&mut self, _text: &str, _shared: &Shared) -> Response {
        Response::Ignored
    }

    /// A worker's answer; the component that asked takes it.
    fn on_reply(&mut self, _reply: &Reply, _shared: &Shared) -> Response {
        Response::Ignored
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared);
}

/// Which popup is on top (for tests and for the router's few questions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModalKind {
    Confirm,
    TemporaryLogin,
    SetPassword,
    UserDetails,
    OperatorDetails,
    /// A patient was added to an existing account (no temporary login).
    Linked,
    SaveHandout,
    Help,
    /// Create/Validate for a patient with several guardians: whose login.
    ChooseGuardian,
    AddGuardian,
    /// Administrators: remove a guardian from a patient.
    RemoveGuardian,
    /// Administrators: change an account's login email.
    ChangeLogin,
}

/// A popup over the main screen. Keys go to the one on top.
pub trait Modal: Component {
    fn kind(&self) -> ModalKind;

    /// Keys typed before this popup was on screen are dropped, so a
    /// buffered Enter never confirms or dismisses it. Help opts out.
    fn drops_early_keys(&self) -> bool {
        true
    }

    /// The temporary login this popup shows, if it shows one.
    fn temporary_login(&self) -> Option<&TemporaryLogin> {
        None
    }
}

/// An error as one sentence for the screen: the library's words plus the
/// app's own hint (what to do here), capitalised, with a full stop,
/// control characters shown escaped.
pub fn sentence(e: &crate::error::Error) -> String {
    use crate::error::{Error, Refusal};
    let hint = match e {
        Error::PortalNotSetUp => ": an administrator sets it up with `portal-admin setup portal`",
        Error::Refused(Refusal::NoEmail { .. }) => ": add it to the practice's records first",
        _ => "",
    };
    let mut s = crate::domain::text::printable(&format!("{e}{hint}"));
    // A sentence may start with a file name: that keeps its case.
    let first_word = s.split_whitespace().next().unwrap_or_default();
    let is_path = first_word.contains(['/', '.']);
    if let (Some(first), false) = (s.get(..1), is_path) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}
