//! The app's state and how messages change it. Keys become intents; intents
//! become service calls (fast reads here, slow hashing work on a worker
//! thread); replies become state. Drawing (in `ui`) only reads this.

use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyEvent, KeyEventKind};
use tui_input::Input;
use zeroize::Zeroizing;

use super::fields::{SecretField, handle_text, paste_text};
use super::keys::{self, Action, Context, Key};
use super::list::ListPane;
use super::theme::Theme;
use crate::config::UiConfig;
use crate::domain::{AccountStatus, Email, PortalSetup};
use crate::error::Error;
use crate::password::PolicyViolation;
use crate::secret::Secret;
use crate::services::{AccountView, PatientView, Portal, Session, TemporaryLogin};
use crate::store::PatientRow;

/// Smallest terminal the app draws in.
pub const MIN_SIZE: (u16, u16) = (40, 12);

pub enum Msg {
    /// A key press and when the input thread received it.
    Key(KeyEvent, Instant),
    Paste(String),
    Resize(u16, u16),
    Reply(Reply),
    /// SIGTERM or SIGHUP (the SSH connection dropped).
    Terminate,
}

pub struct Reply {
    pub id: u64,
    pub outcome: Outcome,
}

pub enum Outcome {
    SignedIn(Result<Session, Error>),
    TempLogin(Result<TemporaryLogin, Error>),
    AccountChanged(Result<AccountView, Error>, &'static str),
}

/// Work that hashes, done off the UI thread.
pub enum Job {
    SignIn {
        name: String,
        password: Secret,
    },
    CreateValidate {
        patient: String,
        version: Option<u64>,
    },
    SetPassword {
        email: Email,
        new: Secret,
        confirm: Secret,
        reset_required: bool,
        version: u64,
    },
    Unlock {
        email: Email,
        version: u64,
    },
    SetDisabled {
        email: Email,
        disabled: bool,
        version: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Lookup,
    Status,
    ControlPanel,
}

impl Pane {
    pub fn number(self) -> u8 {
        match self {
            Pane::Lookup => 1,
            Pane::Status => 2,
            Pane::ControlPanel => 3,
        }
    }

    /// For the pane indicator where space is short.
    pub fn short_title(self) -> &'static str {
        match self {
            Pane::Lookup => "Lookup",
            Pane::Status => "Account",
            Pane::ControlPanel => "Users",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Lookup => "Patient lookup",
            Pane::Status => "Portal account",
            Pane::ControlPanel => "Control Panel — Users",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Ok,
    Error,
}

pub struct Pending {
    pub id: u64,
    pub what: &'static str,
    pub started: Instant,
}

pub struct SignInForm {
    pub name: Input,
    pub password: SecretField,
    /// 0: name, 1: password.
    pub field: u8,
    pub error: Option<String>,
}

impl SignInForm {
    fn new(error: Option<String>) -> Self {
        SignInForm {
            name: Input::default(),
            password: SecretField::default(),
            field: 0,
            error,
        }
    }
}

/// What a confirmed modal asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    CreateValidate {
        patient: String,
        version: Option<u64>,
    },
    Unlock {
        email: Email,
        version: u64,
    },
    SetDisabled {
        email: Email,
        disabled: bool,
        version: u64,
    },
    Quit,
    DiscardForm,
}

pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub yes: &'static str,
    /// Starts on No, the safe choice.
    pub focus_yes: bool,
    pub intent: Intent,
}

pub struct TempLoginModal {
    pub login: TemporaryLogin,
    pub patient: String,
    pub copied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormFocus {
    New,
    Confirm,
    Checkbox,
    Save,
    Cancel,
}

impl FormFocus {
    const ORDER: [FormFocus; 5] = [
        FormFocus::New,
        FormFocus::Confirm,
        FormFocus::Checkbox,
        FormFocus::Save,
        FormFocus::Cancel,
    ];

    fn step(self, delta: isize) -> FormFocus {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        Self::ORDER[(i + delta).rem_euclid(Self::ORDER.len() as isize) as usize]
    }

    pub fn is_text(self) -> bool {
        matches!(self, FormFocus::New | FormFocus::Confirm)
    }
}

pub struct SetPasswordForm {
    pub email: Email,
    pub version: u64,
    pub new: SecretField,
    pub confirm: SecretField,
    pub reset_required: bool,
    pub focus: FormFocus,
    /// An error shown next to a field.
    pub error: Option<(FormFocus, String)>,
}

pub enum Modal {
    Confirm(Confirm),
    TempLogin(TempLoginModal),
    SetPassword(SetPasswordForm),
}

pub struct ModalEntry {
    pub modal: Modal,
    /// When it was first on screen: keys received before are dropped, so a
    /// buffered Enter never confirms a reset or closes a temporary login.
    pub shown_at: Option<Instant>,
}

pub struct Main {
    pub session: Session,
    pub focus: Pane,
    pub lookup: ListPane<PatientRow>,
    pub status: Option<PatientView>,
    pub status_error: Option<String>,
    pub control: Option<ListPane<AccountView>>,
    pub modals: Vec<ModalEntry>,
}

pub enum Screen {
    SignIn(SignInForm),
    Main(Box<Main>),
}

pub struct Help {
    pub context: Context,
    pub scroll: u16,
}

pub struct App {
    portal: Arc<Portal>,
    pub ui: UiConfig,
    pub theme: Theme,
    tx: Sender<Msg>,
    pub screen: Screen,
    pub help: Option<Help>,
    pub notice: Option<(Level, String)>,
    pub pending: Option<Pending>,
    next_id: u64,
    pub quit: bool,
    /// Ctrl-L: the next draw repaints every cell.
    pub full_redraw: bool,
    pub last_activity: Instant,
    pub demo: bool,
    pub setup: Option<PortalSetup>,
    pub patients: u64,
    pub size: (u16, u16),
    /// An OSC 52 sequence to write after the next draw.
    pub clipboard: Option<Zeroizing<String>>,
}

impl App {
    pub fn new(
        portal: Arc<Portal>,
        ui: UiConfig,
        theme: Theme,
        tx: Sender<Msg>,
        size: (u16, u16),
    ) -> App {
        let mut app = App {
            portal,
            ui,
            theme,
            tx,
            screen: Screen::SignIn(SignInForm::new(None)),
            help: None,
            notice: None,
            pending: None,
            next_id: 1,
            quit: false,
            full_redraw: false,
            last_activity: Instant::now(),
            demo: false,
            setup: None,
            patients: 0,
            size,
            clipboard: None,
        };
        app.refresh_practice();
        app
    }

    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    fn refresh_practice(&mut self) {
        if let Ok(practice) = self.portal.practice() {
            self.demo = practice.demo;
            self.setup = practice.setup;
            self.patients = practice.patients;
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }

    pub fn main(&self) -> Option<&Main> {
        match &self.screen {
            Screen::Main(m) => Some(m),
            Screen::SignIn(_) => None,
        }
    }

    /// The panes this operator can see (staff never see the Control Panel).
    pub fn panes(&self) -> Vec<Pane> {
        match self.main() {
            Some(m) if m.control.is_some() => vec![Pane::Lookup, Pane::Status, Pane::ControlPanel],
            _ => vec![Pane::Lookup, Pane::Status],
        }
    }

    /// Where the keyboard is now.
    pub fn context(&self) -> Context {
        if self.too_small() {
            return Context::TooSmall;
        }
        if self.help.is_some() {
            return Context::Help;
        }
        let m = match &self.screen {
            Screen::SignIn(_) => return Context::SignIn,
            Screen::Main(m) => m,
        };
        if let Some(top) = m.modals.last() {
            return match &top.modal {
                Modal::Confirm(_) => Context::Confirm,
                Modal::TempLogin(_) => Context::TempLogin,
                Modal::SetPassword(f) if f.focus.is_text() => Context::FormField,
                Modal::SetPassword(_) => Context::FormButtons,
            };
        }
        match m.focus {
            Pane::Lookup if m.lookup.typing => Context::SearchBox,
            Pane::Lookup => Context::Lookup,
            Pane::Status => Context::Status,
            Pane::ControlPanel if m.control.as_ref().is_some_and(|c| c.typing) => {
                Context::SearchBox
            }
            Pane::ControlPanel => Context::ControlPanel,
        }
    }

    /// Called after each frame is on screen: arms modals shown for the first time.
    pub fn after_draw(&mut self, now: Instant) {
        if let Screen::Main(m) = &mut self.screen {
            for e in &mut m.modals {
                e.shown_at.get_or_insert(now);
            }
        }
    }

    /// True while work (hashing) runs and the screen should animate.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// How long until the idle sign-out, if an operator is signed in.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.main()
            .map(|_| self.last_activity + Duration::from_secs(u64::from(self.ui.idle_minutes) * 60))
    }

    /// Signs out when the operator has been idle too long; true if it did.
    pub fn check_idle(&mut self, now: Instant) -> bool {
        match self.idle_deadline() {
            Some(deadline) if now >= deadline && self.pending.is_none() => {
                let name = self
                    .main()
                    .map(|m| m.session.name().to_owned())
                    .unwrap_or_default();
                tracing::info!(operator = name.as_str(), "signed out after idle time");
                self.sign_out(Some(format!(
                    "Signed out after {} minutes without a key press.",
                    self.ui.idle_minutes
                )));
                true
            }
            _ => false,
        }
    }

    fn sign_out(&mut self, why: Option<String>) {
        // Dropping Main zeroizes any temporary login and form still open.
        self.screen = Screen::SignIn(SignInForm::new(why));
        self.help = None;
        self.notice = None;
        self.pending = None;
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Key(ev, at) => self.on_key(ev, at),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Resize(w, h) => self.size = (w, h),
            Msg::Reply(r) => self.on_reply(r),
            Msg::Terminate => self.quit = true,
        }
    }

    fn on_key(&mut self, ev: KeyEvent, at: Instant) {
        if ev.kind != KeyEventKind::Press {
            return;
        }
        self.last_activity = Instant::now();
        let key = Key::from_event(&ev);
        let context = self.context();
        if let Some(Screen::Main(m)) = Some(&self.screen)
            && let Some(top) = m.modals.last()
            && top.shown_at.is_none_or(|shown| at < shown)
            && context != Context::Help
        {
            return; // typed before the modal was on screen
        }
        self.notice = None;
        match keys::lookup(context, key) {
            Some(action) => self.act(context, action),
            None if context.typing() => self.type_into(&Event::Key(ev)),
            None => {}
        }
    }

    fn on_paste(&mut self, text: &str) {
        self.last_activity = Instant::now();
        // A pasted newline never submits: control characters are dropped.
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        match &mut self.screen {
            Screen::SignIn(f) if f.field == 0 => paste_text(&mut f.name, &clean),
            Screen::SignIn(f) => f.password.insert_str(&clean),
            Screen::Main(m) => {
                if let Some(top) = m.modals.last_mut() {
                    if let Modal::SetPassword(f) = &mut top.modal {
                        match f.focus {
                            FormFocus::New => f.new.insert_str(&clean),
                            FormFocus::Confirm => f.confirm.insert_str(&clean),
                            _ => {}
                        }
                    }
                    return;
                }
                let typing = self.context() == Context::SearchBox;
                if typing {
                    self.edit_search(|input| paste_text(input, &clean));
                }
            }
        }
    }

    fn type_into(&mut self, event: &Event) {
        match &mut self.screen {
            Screen::SignIn(f) => {
                if f.field == 0 {
                    handle_text(&mut f.name, event);
                } else {
                    f.password.handle(event);
                }
            }
            Screen::Main(m) => {
                if let Some(ModalEntry {
                    modal: Modal::SetPassword(f),
                    ..
                }) = m.modals.last_mut()
                {
                    let changed = match f.focus {
                        FormFocus::New => f.new.handle(event),
                        FormFocus::Confirm => f.confirm.handle(event),
                        _ => false,
                    };
                    if changed {
                        f.error = None;
                    }
                    return;
                }
                self.edit_search(|input| {
                    handle_text(input, event);
                });
            }
        }
    }

    /// Edits the focused search box and runs the search as you type.
    fn edit_search(&mut self, edit: impl FnOnce(&mut Input)) {
        let portal = self.portal.clone();
        let page = self.ui.page_size;
        let Screen::Main(m) = &mut self.screen else {
            return;
        };
        match m.focus {
            Pane::Lookup => {
                let before = m.lookup.query().to_owned();
                edit(&mut m.lookup.input);
                if m.lookup.query() != before {
                    m.lookup
                        .search(&|q, after| portal.search_patients(q, after, page));
                    Self::load_status(&portal, m);
                }
            }
            Pane::ControlPanel => {
                if let Some(cp) = &mut m.control {
                    let before = cp.query().to_owned();
                    edit(&mut cp.input);
                    if cp.query() != before {
                        cp.search(&|q, after| portal.list_accounts(q, after, page));
                    }
                }
            }
            Pane::Status => {}
        }
    }

    fn load_status(portal: &Portal, m: &mut Main) {
        match m.lookup.selected_row() {
            Some(row) => match portal.patient_view(&row.patient.account_number) {
                Ok(v) => {
                    m.status = Some(v);
                    m.status_error = None;
                }
                Err(e) => {
                    m.status = None;
                    m.status_error = Some(e.to_string());
                }
            },
            None => {
                m.status = None;
                m.status_error = None;
            }
        }
    }

    fn act(&mut self, context: Context, action: Action) {
        match context {
            Context::Help => return self.act_help(action),
            Context::SignIn => return self.act_sign_in(action),
            Context::Confirm => return self.act_confirm(action),
            Context::TempLogin => return self.act_temp_login(action),
            Context::FormField | Context::FormButtons => return self.act_form(action),
            _ => {}
        }
        match action {
            Action::ForceQuit => self.force_quit(),
            Action::Redraw => self.full_redraw = true,
            Action::Help => self.help = Some(Help { context, scroll: 0 }),
            Action::Quit => self.quit_or_back(),
            Action::NextPane => self.cycle_pane(1),
            Action::PrevPane => self.cycle_pane(-1),
            Action::GoLookup => self.focus(Pane::Lookup),
            Action::GoStatus => self.focus(Pane::Status),
            Action::GoControlPanel => self.focus(Pane::ControlPanel),
            Action::Reload => self.reload(true),
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-(self.page_rows() as isize)),
            Action::PageDown => self.move_selection(self.page_rows() as isize),
            Action::Top => self.jump_to_end(false),
            Action::Bottom => self.jump_to_end(true),
            Action::Search => self.set_typing(true),
            Action::LeaveSearch => self.set_typing(false),
            Action::ClearSearch => {
                self.edit_search(|i| i.reset());
                self.set_typing(false);
            }
            Action::Select => self.select(),
            Action::CreateValidate => self.ask_create_validate(),
            Action::Password => self.open_set_password(),
            Action::Unlock => self.ask_account_change(false),
            Action::ToggleDisabled => self.ask_account_change(true),
            _ => {}
        }
    }

    /// Rows a page-up/down moves: the visible height of the list.
    fn page_rows(&self) -> usize {
        usize::from(super::ui::list_rows(self.size)).max(1)
    }

    fn force_quit(&mut self) {
        let showing_login = self.main().is_some_and(|m| {
            m.modals
                .iter()
                .any(|e| matches!(e.modal, Modal::TempLogin(_)))
        });
        if self.pending.is_some() || showing_login {
            let why = if showing_login {
                "A temporary login is still on screen and will not be shown again."
            } else {
                "Work is still running; its result would be lost."
            };
            self.push_modal(Modal::Confirm(Confirm {
                title: "Quit portal-admin?".into(),
                lines: vec![why.into()],
                yes: "Quit",
                focus_yes: false,
                intent: Intent::Quit,
            }));
            if let Screen::SignIn(_) = self.screen {
                self.quit = true;
            }
        } else {
            self.quit = true;
        }
    }

    fn push_modal(&mut self, modal: Modal) {
        if let Screen::Main(m) = &mut self.screen {
            m.modals.push(ModalEntry {
                modal,
                shown_at: None,
            });
        }
    }

    fn quit_or_back(&mut self) {
        let Screen::Main(m) = &mut self.screen else {
            self.quit = true;
            return;
        };
        if m.focus != Pane::Lookup {
            m.focus = Pane::Lookup;
        } else {
            self.quit = true;
        }
    }

    fn cycle_pane(&mut self, delta: isize) {
        let panes = self.panes();
        let Screen::Main(m) = &mut self.screen else {
            return;
        };
        m.lookup.typing = false;
        if let Some(cp) = &mut m.control {
            cp.typing = false;
        }
        let i = panes.iter().position(|p| *p == m.focus).unwrap_or(0) as isize;
        m.focus = panes[(i + delta).rem_euclid(panes.len() as isize) as usize];
    }

    fn focus(&mut self, pane: Pane) {
        if !self.panes().contains(&pane) {
            return; // staff: there is no Control Panel
        }
        if let Screen::Main(m) = &mut self.screen {
            m.focus = pane;
        }
    }

    fn set_typing(&mut self, typing: bool) {
        if let Screen::Main(m) = &mut self.screen {
            match m.focus {
                Pane::Lookup => m.lookup.typing = typing,
                Pane::ControlPanel => {
                    if let Some(cp) = &mut m.control {
                        cp.typing = typing;
                    }
                }
                Pane::Status => {}
            }
        }
    }

    /// Ctrl-R / F5, and after every change: read again from the database.
    pub fn reload(&mut self, say: bool) {
        if say {
            // Ctrl-R: see other operators' commits now, not in a moment.
            self.portal.refresh();
        }
        self.refresh_practice();
        let portal = self.portal.clone();
        let page = self.ui.page_size;
        let Screen::Main(m) = &mut self.screen else {
            return;
        };
        m.lookup
            .reload(&|q, after| portal.search_patients(q, after, page));
        Self::load_status(&portal, m);
        if let Some(cp) = &mut m.control {
            cp.reload(&|q, after| portal.list_accounts(q, after, page));
        }
        if say {
            self.notice = Some((Level::Info, "Reloaded from the database.".into()));
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let portal = self.portal.clone();
        let page = self.ui.page_size;
        let Screen::Main(m) = &mut self.screen else {
            return;
        };
        match m.focus {
            Pane::Lookup => {
                if m.lookup
                    .step(delta, &|q, after| portal.search_patients(q, after, page))
                {
                    Self::load_status(&portal, m);
                }
            }
            Pane::ControlPanel => {
                if let Some(cp) = &mut m.control {
                    cp.step(delta, &|q, after| portal.list_accounts(q, after, page));
                }
            }
            Pane::Status => {}
        }
    }

    fn jump_to_end(&mut self, bottom: bool) {
        let portal = self.portal.clone();
        let page = self.ui.page_size;
        let Screen::Main(m) = &mut self.screen else {
            return;
        };
        let changed = match m.focus {
            Pane::Lookup if bottom => m.lookup.bottom(),
            Pane::Lookup => m
                .lookup
                .top(&|q, after| portal.search_patients(q, after, page)),
            Pane::ControlPanel => match &mut m.control {
                Some(cp) if bottom => cp.bottom(),
                Some(cp) => cp.top(&|q, after| portal.list_accounts(q, after, page)),
                None => false,
            },
            Pane::Status => false,
        };
        if changed && m.focus == Pane::Lookup {
            Self::load_status(&portal, m);
        }
    }

    fn select(&mut self) {
        let Screen::Main(m) = &mut self.screen else {
            return;
        };
        if m.focus == Pane::Lookup && m.lookup.selected_row().is_some() {
            m.focus = Pane::Status;
        }
    }

    fn ask_create_validate(&mut self) {
        let setup = self.setup.clone();
        let Some(m) = self.main() else { return };
        let Some(view) = m.status.as_ref() else {
            self.notice = Some((Level::Info, "Select a patient first.".into()));
            return;
        };
        if setup.is_none() {
            self.notice = Some((Level::Error, Error::PortalNotSetUp.to_string()));
            return;
        }
        let p = &view.patient;
        let who = format!("{} ({})", p.display_name(), p.account_number);
        let (title, lines, version) = match &view.account {
            Some(acc) if acc.disabled => {
                self.notice = Some((
                    Level::Error,
                    format!(
                        "The portal account {} is disabled; an administrator must enable it first.",
                        acc.email
                    ),
                ));
                return;
            }
            Some(acc) => (
                "Reset portal password?".to_owned(),
                vec![
                    format!("Patient: {who}"),
                    format!("Account: {}", acc.email),
                    "A new temporary password replaces the current one.".into(),
                    "The account holder must choose a new password at first sign-in.".into(),
                ],
                Some(acc.version),
            ),
            None => match &p.email {
                Some(email) => (
                    "Create portal account?".to_owned(),
                    vec![
                        format!("Patient: {who}"),
                        format!("Account: {email} (the e-correspondent)"),
                        "Creates the account (or adds the patient to the existing account of"
                            .into(),
                        "this email) and shows a temporary login to read to the account holder."
                            .into(),
                    ],
                    None,
                ),
                None => {
                    self.notice = Some((
                        Level::Error,
                        format!(
                            "Patient {} has no e-correspondent email: add it to the practice's records, or run `portal-admin account reset --patient {} --email EMAIL`.",
                            p.account_number, p.account_number
                        ),
                    ));
                    return;
                }
            },
        };
        let intent = Intent::CreateValidate {
            patient: p.account_number.clone(),
            version,
        };
        self.push_modal(Modal::Confirm(Confirm {
            title,
            lines,
            yes: "Yes",
            focus_yes: false,
            intent,
        }));
    }

    fn selected_account(&self) -> Option<AccountView> {
        self.main()?.control.as_ref()?.selected_row().cloned()
    }

    fn open_set_password(&mut self) {
        let Some(acc) = self.selected_account() else {
            self.notice = Some((
                Level::Info,
                "Select a user first (search by email with /).".into(),
            ));
            return;
        };
        self.push_modal(Modal::SetPassword(SetPasswordForm {
            email: acc.email.clone(),
            version: acc.version,
            new: SecretField::default(),
            confirm: SecretField::default(),
            reset_required: true,
            focus: FormFocus::New,
            error: None,
        }));
    }

    fn ask_account_change(&mut self, toggle_disabled: bool) {
        let Some(acc) = self.selected_account() else {
            self.notice = Some((
                Level::Info,
                "Select a user first (search by email with /).".into(),
            ));
            return;
        };
        let (title, yes, intent) = if toggle_disabled {
            let disabled = !acc.disabled;
            (
                format!(
                    "{} {}?",
                    if disabled { "Disable" } else { "Enable" },
                    acc.email
                ),
                if disabled { "Disable" } else { "Enable" },
                Intent::SetDisabled {
                    email: acc.email.clone(),
                    disabled,
                    version: acc.version,
                },
            )
        } else {
            if acc.status != AccountStatus::Locked && acc.failed_count == 0 {
                self.notice = Some((Level::Info, format!("{} is not locked.", acc.email)));
                return;
            }
            (
                format!("Unlock {}?", acc.email),
                "Unlock",
                Intent::Unlock {
                    email: acc.email.clone(),
                    version: acc.version,
                },
            )
        };
        let lines = vec![format!("Status now: {}", acc.status.label())];
        self.push_modal(Modal::Confirm(Confirm {
            title,
            lines,
            yes,
            focus_yes: false,
            intent,
        }));
    }

    fn act_help(&mut self, action: Action) {
        match action {
            Action::CloseHelp => self.help = None,
            Action::Down => {
                if let Some(h) = &mut self.help {
                    h.scroll = h.scroll.saturating_add(1);
                }
            }
            Action::Up => {
                if let Some(h) = &mut self.help {
                    h.scroll = h.scroll.saturating_sub(1);
                }
            }
            Action::ForceQuit => self.force_quit(),
            Action::Redraw => self.full_redraw = true,
            _ => {}
        }
    }

    fn act_sign_in(&mut self, action: Action) {
        if self.pending.is_some() && action != Action::ForceQuit {
            return;
        }
        let Screen::SignIn(f) = &mut self.screen else {
            return;
        };
        match action {
            Action::NextField | Action::PrevField => f.field = 1 - f.field.min(1),
            Action::Cancel => {
                *f = SignInForm::new(None);
            }
            Action::Submit => {
                if f.name.value().trim().is_empty() {
                    f.error = Some("Type your operator name.".into());
                    f.field = 0;
                    return;
                }
                if f.password.is_empty() {
                    f.error = Some("Type your password.".into());
                    f.field = 1;
                    return;
                }
                let job = Job::SignIn {
                    name: f.name.value().to_owned(),
                    password: f.password.secret(),
                };
                f.password.clear();
                f.error = None;
                self.start(job, "Signing in");
            }
            Action::ForceQuit => self.quit = true,
            Action::Redraw => self.full_redraw = true,
            _ => {}
        }
    }

    fn top_modal(&mut self) -> Option<&mut ModalEntry> {
        match &mut self.screen {
            Screen::Main(m) => m.modals.last_mut(),
            Screen::SignIn(_) => None,
        }
    }

    fn pop_modal(&mut self) -> Option<Modal> {
        match &mut self.screen {
            Screen::Main(m) => m.modals.pop().map(|e| e.modal),
            Screen::SignIn(_) => None,
        }
    }

    fn act_confirm(&mut self, action: Action) {
        let Some(ModalEntry {
            modal: Modal::Confirm(c),
            ..
        }) = self.top_modal()
        else {
            return;
        };
        let yes = match action {
            Action::Yes => true,
            Action::No => false,
            Action::Activate => c.focus_yes,
            Action::NextField | Action::PrevField => {
                c.focus_yes = !c.focus_yes;
                return;
            }
            Action::ForceQuit => {
                self.quit = true;
                return;
            }
            Action::Redraw => {
                self.full_redraw = true;
                return;
            }
            _ => return,
        };
        let Some(Modal::Confirm(c)) = self.pop_modal() else {
            return;
        };
        if !yes {
            return;
        }
        match c.intent {
            Intent::Quit => self.quit = true,
            Intent::DiscardForm => {
                self.pop_modal();
            }
            Intent::CreateValidate { patient, version } => self.start(
                Job::CreateValidate { patient, version },
                "Creating the temporary login",
            ),
            Intent::Unlock { email, version } => {
                self.start(Job::Unlock { email, version }, "Unlocking")
            }
            Intent::SetDisabled {
                email,
                disabled,
                version,
            } => self.start(
                Job::SetDisabled {
                    email,
                    disabled,
                    version,
                },
                if disabled { "Disabling" } else { "Enabling" },
            ),
        }
    }

    fn act_temp_login(&mut self, action: Action) {
        match action {
            Action::CopyLogin => {
                if !self.ui.osc52_copy {
                    self.notice = Some((
                        Level::Info,
                        "Copying is turned off (ui.osc52_copy = false).".into(),
                    ));
                    return;
                }
                let Some(ModalEntry {
                    modal: Modal::TempLogin(t),
                    ..
                }) = self.top_modal()
                else {
                    return;
                };
                let text = Zeroizing::new(format!(
                    "username: {}\ntemporary password: {}\n",
                    t.login.username,
                    t.login.password.expose()
                ));
                t.copied = true;
                self.clipboard = Some(osc52(&text));
                self.notice = Some((Level::Ok, "Copied to your clipboard.".into()));
            }
            Action::CloseLogin => {
                // Dropping it zeroizes the password; it is never shown again.
                self.pop_modal();
                self.reload(false);
            }
            Action::ForceQuit => self.force_quit(),
            Action::Redraw => self.full_redraw = true,
            _ => {}
        }
    }

    fn act_form(&mut self, action: Action) {
        if self.pending.is_some() && !matches!(action, Action::ForceQuit | Action::Redraw) {
            return;
        }
        let Some(ModalEntry {
            modal: Modal::SetPassword(f),
            ..
        }) = self.top_modal()
        else {
            return;
        };
        match action {
            Action::NextField => f.focus = f.focus.step(1),
            Action::PrevField => f.focus = f.focus.step(-1),
            Action::Toggle if f.focus == FormFocus::Checkbox => {
                f.reset_required = !f.reset_required
            }
            Action::Activate => match f.focus {
                FormFocus::Checkbox => f.reset_required = !f.reset_required,
                FormFocus::Save => self.submit_form(),
                FormFocus::Cancel => self.cancel_form(),
                _ => {}
            },
            Action::Submit => self.submit_form(),
            Action::Cancel => self.cancel_form(),
            Action::ForceQuit => self.force_quit(),
            Action::Redraw => self.full_redraw = true,
            _ => {}
        }
    }

    fn cancel_form(&mut self) {
        let filled = matches!(
            self.top_modal(),
            Some(ModalEntry { modal: Modal::SetPassword(f), .. }) if !f.new.is_empty() || !f.confirm.is_empty()
        );
        if filled {
            self.push_modal(Modal::Confirm(Confirm {
                title: "Discard the new password?".into(),
                lines: vec!["What you typed will be cleared.".into()],
                yes: "Discard",
                focus_yes: false,
                intent: Intent::DiscardForm,
            }));
        } else {
            self.pop_modal();
        }
    }

    fn submit_form(&mut self) {
        let Some(ModalEntry {
            modal: Modal::SetPassword(f),
            ..
        }) = self.top_modal()
        else {
            return;
        };
        if f.new.is_empty() {
            f.error = Some((FormFocus::New, "Type the new password.".into()));
            f.focus = FormFocus::New;
            return;
        }
        if f.confirm.is_empty() {
            f.error = Some((FormFocus::Confirm, "Type the new password again.".into()));
            f.focus = FormFocus::Confirm;
            return;
        }
        let job = Job::SetPassword {
            email: f.email.clone(),
            new: f.new.secret(),
            confirm: f.confirm.secret(),
            reset_required: f.reset_required,
            version: f.version,
        };
        f.error = None;
        self.start(job, "Setting the password");
    }

    fn start(&mut self, job: Job, what: &'static str) {
        let id = self.next_id;
        self.next_id += 1;
        self.pending = Some(Pending {
            id,
            what,
            started: Instant::now(),
        });
        let session = self.main().map(|m| m.session.clone());
        super::worker::spawn(self.portal.clone(), session, id, job, self.tx.clone());
    }

    fn on_reply(&mut self, reply: Reply) {
        // A late answer to a request that was cancelled is dropped.
        if self.pending.as_ref().map(|p| p.id) != Some(reply.id) {
            return;
        }
        self.pending = None;
        match reply.outcome {
            Outcome::SignedIn(Ok(session)) => self.enter_main(session),
            Outcome::SignedIn(Err(e)) => {
                if let Screen::SignIn(f) = &mut self.screen {
                    f.password.clear();
                    f.field = 1;
                    f.error = Some(sentence(&e));
                }
            }
            Outcome::TempLogin(Ok(login)) => {
                let patient = self
                    .main()
                    .and_then(|m| m.status.as_ref())
                    .map(|v| v.patient.display_name())
                    .unwrap_or_default();
                self.reload(false);
                self.push_modal(Modal::TempLogin(TempLoginModal {
                    login,
                    patient,
                    copied: false,
                }));
            }
            Outcome::TempLogin(Err(e)) => {
                self.reload(false);
                self.notice = Some((Level::Error, sentence(&e)));
            }
            Outcome::AccountChanged(Ok(view), what) => {
                if matches!(
                    self.top_modal(),
                    Some(ModalEntry {
                        modal: Modal::SetPassword(_),
                        ..
                    })
                ) {
                    self.pop_modal();
                }
                self.reload(false);
                let extra = if what == "Password set" {
                    format!(
                        " (Password Reset Required: {})",
                        if view.reset_required { "yes" } else { "no" }
                    )
                } else {
                    String::new()
                };
                self.notice = Some((Level::Ok, format!("{what} for {}{extra}.", view.email)));
            }
            Outcome::AccountChanged(Err(e), _) => {
                let on_form = matches!(
                    self.top_modal(),
                    Some(ModalEntry {
                        modal: Modal::SetPassword(_),
                        ..
                    })
                );
                match (&e, on_form) {
                    (Error::Policy(v), true) => {
                        if let Some(ModalEntry {
                            modal: Modal::SetPassword(f),
                            ..
                        }) = self.top_modal()
                        {
                            let field = if *v == PolicyViolation::Mismatch {
                                FormFocus::Confirm
                            } else {
                                FormFocus::New
                            };
                            f.error = Some((field, sentence(&e)));
                            f.focus = field;
                        }
                    }
                    _ => {
                        if on_form {
                            self.pop_modal();
                        }
                        self.reload(false);
                        self.notice = Some((Level::Error, sentence(&e)));
                    }
                }
            }
        }
    }

    pub fn enter_main(&mut self, session: Session) {
        let portal = self.portal.clone();
        let page = self.ui.page_size;
        let control = session.is_admin().then(|| {
            let mut cp = ListPane::default();
            cp.search(&|q, after| portal.list_accounts(q, after, page));
            cp
        });
        let mut m = Main {
            session,
            focus: Pane::Lookup,
            lookup: ListPane::default(),
            status: None,
            status_error: None,
            control,
            modals: Vec::new(),
        };
        m.lookup.typing = true;
        m.lookup
            .search(&|q, after| portal.search_patients(q, after, page));
        Self::load_status(&portal, &mut m);
        self.screen = Screen::Main(Box::new(m));
        self.refresh_practice();
        self.last_activity = Instant::now();
    }
}

/// An error as one sentence for the screen.
fn sentence(e: &Error) -> String {
    let mut s = crate::domain::text::printable(&e.to_string());
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

/// The OSC 52 "set clipboard" sequence (write-only; the clipboard is never queried).
pub fn osc52(text: &str) -> Zeroizing<String> {
    use base64::Engine;
    let encoded = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(text.as_bytes()));
    Zeroizing::new(format!("\x1b]52;c;{}\x07", encoded.as_str()))
}
