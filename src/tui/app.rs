//! The router. It holds only what is shared (the services, settings, the
//! signed-in operator, the running request, the status line) and the
//! component stack: a screen (sign-in or main) under a stack of popups.
//! A key goes to the popup on top, else to the screen; what a component
//! does not take, the router handles once, here, for all of them.

use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};
use zeroize::Zeroizing;

use super::chrome;
use super::component::{Command, Component, Level, ModalKind, Pending, Response, Shared, sentence};
use super::fields::{PASTE_MAX_CHARS, clean_paste};
use super::keys::{self, Action, Context, Key};
use super::layout::{MIN_SIZE, too_small};
use super::modals::{Confirm, Help, LinkedPopup, ModalStack, TemporaryLoginPopup};
use super::msg::Msg;
use super::notice::{capitalised, words};
use super::request::{AccountChange, Reply, Request, operator_sentence};
use super::screens::{MainScreen, Pane, SignIn};
use super::theme::Theme;
use crate::config::UiConfig;
use crate::domain::text::printable;
use crate::present::LocalTime;
use crate::services::{CreateValidateOutcome, Portal, Session, TemporaryLogin};

/// Notices being sent in the background, by request id, each with the
/// message it completes when no popup shows it ("Removed …").
type Sending = Vec<(u64, Option<String>)>;

enum Screen {
    SignIn(Box<SignIn>),
    Main(Box<MainScreen>),
}

/// Two ways to leave the main screen.
#[derive(Clone, Copy)]
enum Leave {
    Quit,
    SignOut,
}

pub struct App {
    shared: Shared,
    screen: Screen,
    modals: ModalStack,
    tx: Sender<Msg>,
    notice: Option<(Level, String)>,
    next_id: u64,
    quit: bool,
    /// Ctrl-L: the next draw repaints every cell.
    full_redraw: bool,
    last_activity: Instant,
    /// An OSC 52 sequence to write after the next draw.
    clipboard: Option<Zeroizing<String>>,
    /// Notices sent in the background: never one at a time with changes,
    /// so a slow relay never holds up the desk.
    sending: Sending,
    /// Background sends of the notices a change queued for the patient's
    /// other guardians: the outbox and `notify status` keep their fate.
    sending_quietly: Vec<u64>,
}

impl App {
    pub fn new(
        portal: Arc<Portal>,
        ui: UiConfig,
        theme: Theme,
        tx: Sender<Msg>,
        size: (u16, u16),
    ) -> App {
        // The config was validated at start: an unknown zone never gets here.
        let local = LocalTime::new(&portal.config().ui).unwrap_or_else(|_| LocalTime::utc());
        let mut app = App {
            shared: Shared {
                portal,
                ui,
                theme,
                session: None,
                practice: crate::services::Practice::default(),
                local,
                size,
                pending: None,
            },
            screen: Screen::SignIn(Box::default()),
            modals: ModalStack::default(),
            tx,
            notice: None,
            next_id: 1,
            quit: false,
            full_redraw: false,
            last_activity: Instant::now(),
            clipboard: None,
            sending: Vec::new(),
            sending_quietly: Vec::new(),
        };
        app.refresh_practice();
        // What was found wrong with the file's mode or owner, said at once.
        if let Some(w) = app.shared.portal.file_warnings().first() {
            app.notice = Some((Level::Error, format!("Warning: {w}")));
        }
        // An upgrade (or a rebuild) on open: on the first screen until the
        // first key, for the desk to tell the administrator.
        if let Some(n) = app.shared.portal.open_notices().first() {
            let n = crate::domain::text::printable(n);
            app.notice = Some((
                Level::Error,
                format!("{} Tell your administrator.", capitalised(&n)),
            ));
        }
        app
    }

    pub fn portal(&self) -> &Portal {
        &self.shared.portal
    }

    pub fn session(&self) -> Option<&Session> {
        self.shared.session.as_ref()
    }

    /// The pane with the keyboard, once someone is signed in.
    pub fn focus(&self) -> Option<Pane> {
        match &self.screen {
            Screen::Main(m) => Some(m.focus()),
            Screen::SignIn(_) => None,
        }
    }

    pub fn top_modal(&self) -> Option<ModalKind> {
        self.modals.top().map(|m| m.kind())
    }

    /// The temporary login on screen, if one is.
    pub fn temporary_login(&self) -> Option<&TemporaryLogin> {
        self.modals.iter().find_map(|m| m.temporary_login())
    }

    pub fn notice(&self) -> Option<&(Level, String)> {
        self.notice.as_ref()
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// True once after Ctrl-L: the loop clears the terminal before drawing.
    pub fn take_full_redraw(&mut self) -> bool {
        std::mem::take(&mut self.full_redraw)
    }

    /// An OSC 52 sequence to write to the terminal after this frame.
    pub fn take_clipboard(&mut self) -> Option<Zeroizing<String>> {
        self.clipboard.take()
    }

    fn refresh_practice(&mut self) {
        if let Ok(practice) = self.shared.portal.practice() {
            self.shared.practice = practice;
        }
    }

    /// Where the keyboard is now.
    pub fn context(&self) -> Context {
        if too_small(self.shared.size) {
            return Context::TooSmall;
        }
        if let Some(top) = self.modals.top() {
            return top.context(&self.shared);
        }
        match &self.screen {
            Screen::SignIn(s) => s.context(&self.shared),
            Screen::Main(m) => m.context(&self.shared),
        }
    }

    /// Called when a frame begins to be drawn: arms the popups in it.
    pub fn after_draw(&mut self, frame_start: Instant) {
        self.modals.shown(frame_start);
    }

    /// True while a request runs and the screen should animate.
    pub fn busy(&self) -> bool {
        self.shared.busy()
    }

    /// True while notices are being sent in the background.
    pub fn sending_notices(&self) -> bool {
        !self.sending.is_empty() || !self.sending_quietly.is_empty()
    }

    /// How long until the idle sign-out, if an operator is signed in.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.shared.session.as_ref().map(|_| {
            self.last_activity + Duration::from_secs(u64::from(self.shared.ui.idle_minutes) * 60)
        })
    }

    /// Signs out when the operator has been idle too long; true if it did.
    pub fn check_idle(&mut self, now: Instant) -> bool {
        match self.idle_deadline() {
            Some(deadline) if now >= deadline && !self.busy() => {
                let name = self
                    .session()
                    .map(|s| s.name().to_owned())
                    .unwrap_or_default();
                tracing::info!(operator = name.as_str(), "signed out after idle time");
                let minutes = self.shared.ui.idle_minutes;
                self.sign_out(Some(format!(
                    "Signed out after {minutes} {} without a key press.",
                    if minutes == 1 { "minute" } else { "minutes" }
                )));
                true
            }
            _ => false,
        }
    }

    /// Signs out (saying why) when the services say this session ended.
    fn session_ended(&mut self) -> bool {
        let Some(session) = &self.shared.session else {
            return false;
        };
        match self.shared.portal.session_check(session) {
            Ok(()) => false,
            Err(e) => {
                tracing::info!("session ended by an administrator's change");
                self.sign_out(Some(format!("Signed out: {}", sentence(&e))));
                true
            }
        }
    }

    fn sign_out(&mut self, why: Option<String>) {
        // Dropping the popups zeroizes any temporary login and form still open.
        self.modals.clear();
        self.screen = Screen::SignIn(Box::new(SignIn::new(why)));
        self.shared.session = None;
        self.shared.pending = None;
        self.sending.clear();
        self.sending_quietly.clear();
        self.notice = None;
        // Repaint every cell: nothing of the last operator stays on screen.
        self.full_redraw = true;
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Key(ev, at) => self.on_key(ev, at),
            Msg::Paste(text) => self.on_paste(&Zeroizing::new(text)),
            Msg::Resize(w, h) => self.shared.size = (w, h),
            Msg::Reply { id, reply } => self.on_reply(id, *reply),
            Msg::Terminate => self.quit = true,
        }
        // A search found an older portal-admin's writes and rebuilt the
        // indexes first: the desk tells the administrator.
        if let Some(n) = self.shared.portal.take_repair_notice() {
            let n = crate::domain::text::printable(&n);
            self.notice = Some((
                Level::Error,
                format!("{} Tell your administrator.", capitalised(&n)),
            ));
        }
    }

    fn on_key(&mut self, ev: KeyEvent, at: Instant) {
        if ev.kind != KeyEventKind::Press {
            return;
        }
        // Esc and the next key read together arrive as one Alt chord
        // (Esc, then `l` of "lucy", becomes Alt-l). Nothing is bound to
        // Alt: it is the two keys the person pressed.
        if ev.modifiers.contains(KeyModifiers::ALT) && matches!(ev.code, KeyCode::Char(_)) {
            self.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), at);
            let mut rest = ev;
            rest.modifiers.remove(KeyModifiers::ALT);
            return self.on_key(rest, at);
        }
        self.last_activity = Instant::now();
        // An operator disabled, removed or given a new password since they
        // signed in reads nothing more: one read of their record a key.
        if self.session_ended() {
            return;
        }
        if !too_small(self.shared.size) && !self.modals.takes_key_from(at) {
            return; // typed before the popup on top was on screen
        }
        self.notice = None;
        let context = self.context();
        let action = keys::lookup(context, Key::from_event(&ev));
        let response = match (action, context) {
            (_, Context::TooSmall) => Response::Ignored,
            (Some(a), _) => self.with_top(|c, shared| c.on_action(a, shared)),
            (None, c) if c.typing() => {
                self.with_top(|c, shared| c.on_text(&Event::Key(ev), shared))
            }
            (None, _) => Response::Ignored,
        };
        match (response, action) {
            (Response::Ignored, Some(a)) => self.global(a, context),
            (r, _) => self.apply(r),
        }
    }

    /// Calls `f` on the component that has the keyboard: the popup on
    /// top, else the screen.
    fn with_top<R>(&mut self, f: impl FnOnce(&mut dyn Component, &Shared) -> R) -> R {
        let shared = &self.shared;
        if let Some(m) = self.modals.top_mut() {
            return f(m.as_mut(), shared);
        }
        match &mut self.screen {
            Screen::SignIn(s) => f(s.as_mut(), shared),
            Screen::Main(m) => f(m.as_mut(), shared),
        }
    }

    /// Actions no component took: the same everywhere.
    fn global(&mut self, action: Action, context: Context) {
        match action {
            Action::Quit => self.leave(Leave::Quit),
            Action::SignOut => self.leave(Leave::SignOut),
            Action::Redraw => self.full_redraw = true,
            Action::Help => self.modals.push(Box::new(Help::new(context))),
            Action::Reload => self.reload(true),
            _ => {}
        }
    }

    fn on_paste(&mut self, text: &str) {
        self.last_activity = Instant::now();
        // A pasted newline never submits: it separates words as a tab does,
        // other control characters are dropped, and the text is cut to
        // what a field holds (saying so).
        let (clean, left_out) = clean_paste(text);
        let clean = Zeroizing::new(clean);
        if self.context().typing() {
            let response = self.with_top(|c, shared| c.on_paste(&clean, shared));
            self.apply(response);
            if left_out > 0 {
                self.notice = Some((
                    Level::Error,
                    format!(
                        "Only the first {PASTE_MAX_CHARS} characters of the pasted text were kept ({left_out} left out)."
                    ),
                ));
            }
        }
    }

    fn apply(&mut self, response: Response) {
        match response {
            Response::Ignored | Response::Consumed => {}
            Response::Close(then) => {
                self.modals.pop();
                if let Some(command) = then {
                    self.run(command);
                }
            }
            Response::Command(command) => self.run(command),
        }
    }

    fn run(&mut self, command: Command) {
        match command {
            Command::Start(request) => self.start(request),
            Command::Open(modal) => self.modals.push(modal),
            Command::CloseTop => self.modals.pop(),
            Command::Notice(level, text) => self.notice = Some((level, text)),
            Command::Help(context) => self.modals.push(Box::new(Help::new(context))),
            Command::Reload => self.reload(false),
            Command::Copy(text) => {
                self.clipboard = Some(osc52(&text));
                self.notice = Some((
                    Level::Ok,
                    "Sent to your clipboard (OSC 52): it is copied if your terminal allows it."
                        .into(),
                ));
            }
            Command::Redraw => self.full_redraw = true,
            Command::Quit => self.quit = true,
            Command::SignOut => {
                tracing::info!("signed out");
                self.sign_out(Some("Signed out. The next operator signs in here.".into()));
            }
        }
    }

    /// Quits or signs out, asking first when a temporary login is on
    /// screen (it would be lost) or work runs (its result would be lost).
    fn leave(&mut self, how: Leave) {
        let (title, yes, command) = match how {
            Leave::Quit => ("Quit portal-admin?", "Quit", Command::Quit),
            Leave::SignOut => ("Sign out?", "Sign out", Command::SignOut),
        };
        let showing_login = self.modals.any(ModalKind::TemporaryLogin);
        if !self.busy() && !showing_login || self.shared.session.is_none() {
            return self.run(command);
        }
        let why = if showing_login {
            "A temporary login is still on screen and will not be shown again."
        } else {
            "Work is still running; its result would be lost."
        };
        self.modals.push(Box::new(Confirm::new(
            title,
            vec![why.into()],
            yes,
            command,
        )));
    }

    /// Ctrl-R / F5, and after every change: read again from the database.
    pub fn reload(&mut self, say: bool) {
        if say {
            // Ctrl-R: see other operators' commits now, not in a moment.
            self.shared.portal.refresh();
        }
        self.refresh_practice();
        let kept = match &mut self.screen {
            Screen::Main(m) => m.reload(&self.shared),
            Screen::SignIn(_) => true,
        };
        if !kept {
            // Never a silent switch to another patient on the same row.
            self.notice = Some((
                Level::Error,
                "The patient you had selected is no longer in this list: check who is selected now."
                    .into(),
            ));
        } else if say {
            self.notice = Some((Level::Info, "Reloaded from the database.".into()));
        }
    }

    /// Starts a request on a worker. Only one runs at a time: while one
    /// runs, another is refused here, whatever asked for it.
    fn start(&mut self, request: Request) {
        if let Some(p) = &self.shared.pending {
            self.notice = Some((
                Level::Error,
                format!("Not started: wait for “{}” to finish.", p.label),
            ));
            return; // dropping the request zeroizes any password in it
        }
        let id = self.next_id;
        self.next_id += 1;
        self.shared.pending = Some(Pending {
            id,
            label: request.label(),
            started: Instant::now(),
        });
        super::worker::spawn(
            self.shared.portal.clone(),
            self.shared.session.clone(),
            id,
            request,
            self.tx.clone(),
        );
    }

    /// Sends the notices `ids` a change queued, in the background (when
    /// notices are on). `then`: the message the outcome completes when no
    /// popup shows it.
    fn send_notices(&mut self, ids: Vec<u64>, then: Option<String>) {
        let Some(id) = self.spawn_sender(ids) else {
            return;
        };
        if let Some(text) = &then {
            self.notice = Some((Level::Ok, format!("{text} Notice queued: sending it now…")));
        }
        self.sending.push((id, then));
    }

    /// Sends the notices a change queued for the patient's other guardians,
    /// in the background, saying nothing on screen: the popup speaks of
    /// the account holder's own notice.
    fn send_quietly(&mut self, ids: Vec<u64>) {
        if let Some(id) = self.spawn_sender(ids) {
            self.sending_quietly.push(id);
        }
    }

    /// Starts sending `ids` on a worker outside the one-at-a-time rule;
    /// the request's id, or `None` when there is nothing to send.
    fn spawn_sender(&mut self, ids: Vec<u64>) -> Option<u64> {
        if ids.is_empty() || !self.shared.portal.notices_enabled() {
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;
        super::worker::spawn(
            self.shared.portal.clone(),
            self.shared.session.clone(),
            id,
            Request::SendNotices { ids },
            self.tx.clone(),
        );
        Some(id)
    }

    /// What became of notices sent in the background: the popup that
    /// shows them takes it, else the status line says it.
    fn on_notices(&mut self, then: Option<String>, reply: Reply) {
        for modal in self.modals.iter_mut_from_top() {
            if matches!(modal.on_reply(&reply, &self.shared), Response::Consumed) {
                return;
            }
        }
        if let Reply::NoticesSent { ids, result } = &reply {
            let (level, said) = words(ids, result, &self.shared.local);
            let text = match then {
                Some(first) => format!("{first} {}", capitalised(&said)),
                None => capitalised(&said),
            };
            self.notice = Some((level, text));
        }
    }

    fn on_reply(&mut self, id: u64, reply: Reply) {
        if let Some(at) = self.sending_quietly.iter().position(|s| *s == id) {
            self.sending_quietly.remove(at);
            return;
        }
        if let Some(at) = self.sending.iter().position(|(s, _)| *s == id) {
            let (_, then) = self.sending.remove(at);
            return self.on_notices(then, reply);
        }
        // A late answer to a request that was cancelled is dropped.
        if self.shared.pending.as_ref().map(|p| p.id) != Some(id) {
            return;
        }
        self.shared.pending = None;
        // The component that asked takes its answer first.
        let mut taken = Response::Ignored;
        for modal in self.modals.iter_mut_from_top() {
            taken = modal.on_reply(&reply, &self.shared);
            if !matches!(taken, Response::Ignored) {
                break;
            }
        }
        if matches!(taken, Response::Ignored) {
            taken = match &mut self.screen {
                Screen::SignIn(s) => s.on_reply(&reply, &self.shared),
                Screen::Main(m) => m.on_reply(&reply, &self.shared),
            };
        }
        let consumed = matches!(taken, Response::Consumed);
        self.apply(taken);
        if consumed {
            return;
        }
        match reply {
            Reply::SignedIn(Ok(session)) => self.enter_main(session),
            Reply::SignedIn(Err(_)) => {}
            Reply::CreateValidated { patient, result } => {
                self.reload(false);
                match result {
                    Ok(CreateValidateOutcome::Linked(linked)) => {
                        let popup = LinkedPopup::new(linked, patient, &self.shared);
                        let ids = popup.notices();
                        self.modals.push(Box::new(popup));
                        self.send_notices(ids, None);
                    }
                    Ok(outcome) => {
                        if let Some(login) = outcome.into_login() {
                            self.show_login(login, patient);
                        }
                    }
                    Err(e) => self.notice = Some((Level::Error, sentence(&e))),
                }
            }
            Reply::GuardianAdded { patient, result } => {
                self.reload(false);
                match result {
                    Ok(mut added) => {
                        self.send_quietly(std::mem::take(&mut added.others));
                        match added.login.take() {
                            Some(login) => self.show_login(login, patient),
                            None => {
                                let popup = LinkedPopup::guardian(&added, patient, &self.shared);
                                let ids = popup.notices();
                                self.modals.push(Box::new(popup));
                                self.send_notices(ids, None);
                            }
                        }
                    }
                    Err(e) => self.notice = Some((Level::Error, sentence(&e))),
                }
            }
            Reply::GuardianRemoved {
                patient,
                email,
                result,
            } => {
                self.reload(false);
                match result {
                    Ok(removed) => {
                        let said = format!(
                            "Removed {email} as a guardian of {} (no. {}); password unchanged.",
                            printable(&patient.name),
                            patient.number
                        );
                        self.notice = Some((Level::Ok, said.clone()));
                        self.send_quietly(removed.others);
                        self.send_notices(removed.notice.into_iter().collect(), Some(said));
                    }
                    Err(e) => self.notice = Some((Level::Error, sentence(&e))),
                }
            }
            Reply::LoginChanged { account, result } => {
                self.reload(false);
                match result {
                    Ok(changed) => {
                        let said = format!(
                            "Login changed from {} to {}; password unchanged.",
                            account.email, changed.account.email
                        );
                        self.notice = Some((Level::Ok, said.clone()));
                        self.send_notices(changed.notices, Some(said));
                    }
                    Err(e) => self.notice = Some((Level::Error, sentence(&e))),
                }
            }
            // Only ever sent in the background (`on_notices`).
            Reply::NoticesSent { .. } => {}
            Reply::Printed(result) => {
                self.notice = Some(match result {
                    Ok(said) => (
                        Level::Ok,
                        format!(
                            "The handout was sent to the printer ({}).",
                            printable(&said)
                        ),
                    ),
                    Err(e) => (Level::Error, sentence(&e)),
                });
            }
            Reply::AccountChanged {
                account,
                change,
                result,
            } => {
                self.reload(false);
                match result {
                    Ok(view) => {
                        let said = change.sentence(&account.email);
                        self.notice = Some((Level::Ok, said.clone()));
                        // A password set in the Control Panel queues a notice.
                        if matches!(change, AccountChange::PasswordSet { .. }) {
                            let ids = self
                                .shared
                                .portal
                                .pending_notices(view.id)
                                .map(|n| n.iter().map(|n| n.id).collect())
                                .unwrap_or_default();
                            self.send_notices(ids, Some(said));
                        }
                    }
                    Err(e) => self.notice = Some((Level::Error, sentence(&e))),
                }
            }
            Reply::OperatorChanged {
                name,
                change,
                result,
            } => {
                self.reload(false);
                self.notice = Some(match result {
                    Ok(()) => (Level::Ok, operator_sentence(&name, change)),
                    Err(e) => (Level::Error, sentence(&e)),
                });
            }
        }
    }

    /// Shows a temporary login, then sends the notice it queued.
    fn show_login(&mut self, login: TemporaryLogin, patient: super::request::PatientRef) {
        let popup = TemporaryLoginPopup::new(login, patient, &self.shared);
        let ids = popup.notices();
        self.modals.push(Box::new(popup));
        self.send_notices(ids, None);
    }

    pub fn enter_main(&mut self, session: Session) {
        self.shared.session = Some(session);
        self.refresh_practice();
        self.modals.clear();
        self.screen = Screen::Main(Box::new(MainScreen::new(&self.shared)));
        self.last_activity = Instant::now();
    }

    /// Draws the whole frame. Reads the state; never changes it.
    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        if too_small((area.width, area.height)) {
            let msg = format!(
                "terminal too small (need {}x{}, have {}x{}); F10 or Ctrl-X quits",
                MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
            );
            f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
            return;
        }
        // A long message wraps onto a second or third line, never cut.
        let notice_h = chrome::status_line_height(area.width, self.notice.as_ref());
        let [title, body, notice, hint] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(notice_h),
            Constraint::Length(1),
        ])
        .areas(area);
        chrome::draw_title(f, title, &self.shared);
        match &self.screen {
            Screen::SignIn(s) => s.draw(f, body, &self.shared),
            Screen::Main(m) => m.draw(f, body, &self.shared),
        }
        chrome::draw_status_line(f, notice, &self.shared, self.notice.as_ref());
        chrome::draw_hints(f, hint, &self.shared, self.context());
        // Popups leave the status and hint lines visible: a message about
        // what a popup's button did is never hidden behind it.
        let above = Rect {
            height: notice.y.saturating_sub(area.y),
            ..area
        };
        for modal in self.modals.iter() {
            modal.draw(f, above, &self.shared);
        }
    }
}

/// The OSC 52 "set clipboard" sequence (write-only; the clipboard is never queried).
pub fn osc52(text: &str) -> Zeroizing<String> {
    use base64::Engine;
    let encoded = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(text.as_bytes()));
    Zeroizing::new(format!("\x1b]52;c;{}\x07", encoded.as_str()))
}
