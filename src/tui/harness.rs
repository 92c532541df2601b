//! The app on ratatui's `TestBackend`, driven as its loop drives it: a key,
//! then a frame. One harness for the screen tests, the hostile-input
//! tests, the benchmarks and the fuzz target. Not used by the app itself.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::app::App;
use super::component::ModalKind;
use super::msg::Msg;
use super::theme::Theme;
use crate::config::UiConfig;
use crate::services::Portal;

/// How long [`Harness::settle`] waits for a worker before giving up.
const WORKER_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Harness {
    pub app: App,
    rx: Receiver<Msg>,
    term: Terminal<TestBackend>,
}

impl Harness {
    /// The app at the sign-in screen, drawn once, with default settings.
    pub fn new(portal: impl Into<Arc<Portal>>, w: u16, h: u16) -> Harness {
        Harness::with(portal, UiConfig::default(), Theme::new(false, false), w, h)
    }

    pub fn with(
        portal: impl Into<Arc<Portal>>,
        ui: UiConfig,
        theme: Theme,
        w: u16,
        h: u16,
    ) -> Harness {
        let (tx, rx) = channel();
        let app = App::new(portal.into(), ui, theme, tx, (w, h));
        let term = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
        let mut hs = Harness { app, rx, term };
        hs.draw();
        hs
    }

    /// Signs in through the form, as an operator does, and waits for it.
    pub fn sign_in(&mut self, name: &str, password: &str) -> &mut Harness {
        self.type_text(name);
        self.key(KeyCode::Tab);
        self.type_text(password);
        self.key(KeyCode::Enter);
        self.settle();
        self
    }

    /// The app signed in as `name`, on its main screen.
    pub fn signed_in(
        portal: impl Into<Arc<Portal>>,
        name: &str,
        password: &str,
        w: u16,
        h: u16,
    ) -> Harness {
        let mut hs = Harness::new(portal, w, h);
        hs.sign_in(name, password);
        assert!(
            hs.app.session().is_some(),
            "sign-in as {name} failed:\n{}",
            hs.screen()
        );
        hs
    }

    /// One frame, as the loop draws it; popups on it are armed.
    pub fn draw(&mut self) {
        let start = Instant::now();
        let app = &self.app;
        self.term.draw(|f| app.draw(f)).expect("draw");
        self.app.after_draw(start);
    }

    /// A message without a frame after it (keys typed faster than frames).
    pub fn send(&mut self, msg: Msg) {
        self.app.update(msg);
    }

    pub fn press(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.send(Msg::Key(KeyEvent::new(code, mods), Instant::now()));
        self.draw();
    }

    pub fn key(&mut self, code: KeyCode) {
        self.press(code, KeyModifiers::NONE);
    }

    pub fn ch(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    pub fn ctrl(&mut self, c: char) {
        self.press(KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.ch(c);
        }
    }

    pub fn paste(&mut self, s: &str) {
        self.send(Msg::Paste(s.to_owned()));
        self.draw();
    }

    /// Waits for the worker's answer to the running request, if any, and
    /// for the notices being sent in the background.
    pub fn settle(&mut self) {
        while self.app.busy() || self.app.sending_notices() {
            let msg = self
                .rx
                .recv_timeout(WORKER_TIMEOUT)
                .expect("the worker answers");
            self.app.update(msg);
            self.draw();
        }
    }

    /// Hands the app every worker answer that has already arrived.
    pub fn drain(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            self.app.update(msg);
        }
    }

    /// The next message from a worker, without handing it to the app.
    pub fn next_reply(&mut self) -> Msg {
        self.rx
            .recv_timeout(WORKER_TIMEOUT)
            .expect("the worker answers")
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.term.backend_mut().resize(w, h);
        self.send(Msg::Resize(w, h));
        self.draw();
    }

    pub fn top_modal(&self) -> Option<ModalKind> {
        self.app.top_modal()
    }

    /// The temporary password on screen, to sign in with it in a test.
    pub fn temporary_password(&self) -> Option<String> {
        self.app
            .temporary_login()
            .map(|l| l.password.expose().to_owned())
    }

    /// The screen as text, one line a row, trailing spaces trimmed. The one
    /// random value on screen, a temporary password, is masked.
    pub fn screen(&self) -> String {
        let buf = self.term.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if let Some(login) = self.app.temporary_login() {
            let pw = login.password.expose();
            let masked: String = pw
                .chars()
                .map(|c| if c == '-' { '-' } else { 'X' })
                .collect();
            out = out.replace(pw, &masked);
            // Its spelling gives it away as well: each group, with the
            // blanks after it, becomes a fixed mark of the same width.
            for group in crate::present::spelled_groups(&login.password) {
                out = mask_with_padding(&out, group.as_str(), "(spelled)");
            }
        }
        out
    }

    pub fn terminal(&mut self) -> &mut Terminal<TestBackend> {
        &mut self.term
    }
}

/// `text` with each `secret` and the spaces that follow it replaced by
/// `mark`, padded to the same number of characters (so a line's layout
/// does not depend on the secret's length).
fn mask_with_padding(text: &str, secret: &str, mark: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(secret) {
        out.push_str(&rest[..at]);
        let after = &rest[at + secret.len()..];
        let blanks = after.chars().take_while(|c| *c == ' ').count();
        let width = secret.chars().count() + blanks;
        out.push_str(&format!("{mark:<width$}"));
        rest = &after[blanks..];
    }
    out.push_str(rest);
    out
}
