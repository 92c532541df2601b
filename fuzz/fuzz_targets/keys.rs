#![no_main]
//! Any sequence of keys, pastes and resizes in the app: no panic, and the
//! frame always draws.

#[path = "common.rs"]
mod common;

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use libfuzzer_sys::fuzz_target;
use portal_admin::config::UiConfig;
use portal_admin::tui::app::{App, Msg};
use portal_admin::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const CODES: [KeyCode; 16] = [
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Backspace,
    KeyCode::Delete,
    KeyCode::F(1),
    KeyCode::F(5),
];

fuzz_target!(|data: &[u8]| {
    let f = common::fixture();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut app = App::new(
        f.portal.clone(),
        UiConfig::default(),
        Theme::new(data.len() % 2 == 0, data.len() % 3 == 0),
        tx,
        (80, 24),
    );
    let session = f
        .portal
        .operator_sign_in("sam", &"lilac-orbit-walnut-harbor".into())
        .unwrap();
    app.enter_main(session);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    for chunk in data.chunks(2) {
        let b = chunk[0];
        let arg = chunk.get(1).copied().unwrap_or(0);
        let msg = match b % 8 {
            0..4 => Msg::Key(
                KeyEvent::new(KeyCode::Char((b' ' + arg % 95) as char), KeyModifiers::NONE),
                Instant::now(),
            ),
            4 => Msg::Key(
                KeyEvent::new(CODES[(arg % 16) as usize], KeyModifiers::NONE),
                Instant::now(),
            ),
            5 => Msg::Key(
                KeyEvent::new(
                    KeyCode::Char((b'a' + arg % 26) as char),
                    KeyModifiers::CONTROL,
                ),
                Instant::now(),
            ),
            6 => Msg::Paste(String::from_utf8_lossy(chunk).into_owned()),
            _ => {
                let (w, h) = (u16::from(arg) % 140, u16::from(arg / 2) % 50);
                term.backend_mut().resize(w, h);
                Msg::Resize(w, h)
            }
        };
        app.update(msg);
        while let Ok(m) = rx.try_recv() {
            app.update(m);
        }
        term.draw(|fr| portal_admin::tui::ui::draw(fr, &app))
            .unwrap();
        app.after_draw(Instant::now());
        if app.quit {
            break;
        }
    }
});
