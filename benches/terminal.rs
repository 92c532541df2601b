//! Bytes written to the terminal per key, against a full repaint, at 80x24
//! and 200x60, through the same crossterm backend the app uses; and the
//! render time of a frame at 200x60.
//!
//! `cargo bench --bench terminal` · `-- --smoke` (10k patients, CI)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use portal_admin::tui::harness::Harness;
use portal_admin::tui::msg::Msg;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;

#[derive(Clone, Default)]
struct Counter(Arc<Mutex<usize>>);

impl Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        *self.0.lock().unwrap() += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Counter {
    fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn key(hs: &mut Harness, code: KeyCode) {
    hs.send(Msg::Key(
        KeyEvent::new(code, KeyModifiers::NONE),
        Instant::now(),
    ));
}

fn main() {
    let n = if smoke() { 10_000 } else { 100_000 };
    let portal = Arc::new(open(n));
    println!("Terminal bytes per key ({n} patients, signed in as staff, list focused)\n");
    println!(
        "| size | full repaint | one-row move | page down | one character typed | open + close a modal | unchanged frame |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut hs = signed_in_app(&portal, (w, h), false);
        let counter = Counter::default();
        let mut term = Terminal::with_options(
            CrosstermBackend::new(counter.clone()),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(Rect::new(0, 0, w, h)),
            },
        )
        .unwrap();
        let mut frame = |hs: &Harness| {
            term.draw(|f| hs.app.draw(f)).unwrap();
            counter.take()
        };
        let full = frame(&hs);
        key(&mut hs, KeyCode::Down);
        let one_row = frame(&hs);
        key(&mut hs, KeyCode::PageDown);
        let page = frame(&hs);
        key(&mut hs, KeyCode::Char('s'));
        let typed = frame(&hs);
        key(&mut hs, KeyCode::F(1));
        let open = frame(&hs);
        key(&mut hs, KeyCode::Esc);
        let close = frame(&hs);
        let same = frame(&hs);
        let pct = |b: usize| format!("{b} B ({:.1} %)", b as f64 * 100.0 / full as f64);
        println!(
            "| {w}x{h} | {full} B | {} | {} | {} | {} + {} B | {same} B |",
            pct(one_row),
            pct(page),
            pct(typed),
            open,
            close
        );
    }

    // The same move in a list that drives no other pane: the Control Panel.
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut hs = signed_in_app(&portal, (w, h), true);
        key(&mut hs, KeyCode::Tab);
        key(&mut hs, KeyCode::Tab);
        let counter = Counter::default();
        let mut term = Terminal::with_options(
            CrosstermBackend::new(counter.clone()),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(Rect::new(0, 0, w, h)),
            },
        )
        .unwrap();
        term.draw(|f| hs.app.draw(f)).unwrap();
        let full = counter.take();
        key(&mut hs, KeyCode::Down);
        term.draw(|f| hs.app.draw(f)).unwrap();
        let moved = counter.take();
        println!(
            "one-row move in the Control Panel users list at {w}x{h} (no pane follows it): {moved} B of a {full} B repaint ({:.1} %)",
            moved as f64 * 100.0 / full as f64
        );
    }

    // Render time of one frame at 200x60 (moving the selection each time).
    let mut hs = signed_in_app(&portal, (200, 60), false);
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut samples: Vec<Duration> = Vec::new();
    for i in 0..if smoke() { 50 } else { 1000 } {
        key(
            &mut hs,
            if i % 40 < 20 {
                KeyCode::Down
            } else {
                KeyCode::Up
            },
        );
        let t = Instant::now();
        term.draw(|f| hs.app.draw(f)).unwrap();
        samples.push(t.elapsed());
    }
    let (m, p99) = stats(&mut samples);
    println!(
        "\nrender time of a frame at 200x60 (TestBackend, selection moving): median {} / p99 {}",
        fmt(m),
        fmt(p99)
    );
}
