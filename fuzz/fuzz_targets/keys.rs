#![no_main]
//! Any sequence of keys, pastes and resizes in the app: no panic, and the
//! frame always draws.

#[path = "common.rs"]
mod common;

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use libfuzzer_sys::fuzz_target;
use portal_admin::config::UiConfig;
use portal_admin::tui::harness::Harness;
use portal_admin::tui::msg::Msg;
use portal_admin::tui::theme::Theme;

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
    let theme = Theme::new(data.len() % 2 == 0, data.len() % 3 == 0);
    let mut hs = Harness::with(f.portal.clone(), UiConfig::default(), theme, 80, 24);
    hs.sign_in("sam", "lilac-orbit-walnut-harbor");
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
                hs.resize(w, h);
                continue;
            }
        };
        hs.send(msg);
        hs.drain();
        hs.draw();
        if hs.app.should_quit() {
            break;
        }
    }
});
