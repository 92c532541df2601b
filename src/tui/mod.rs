//! The full-screen app: a second client of the services. One loop, one
//! direction: the input thread, the signal thread and workers send messages
//! into one channel; the loop updates the app and draws once.

pub mod app;
pub mod chrome;
pub mod component;
pub mod fields;
pub mod harness;
pub mod keys;
pub mod layout;
pub mod list;
pub mod modals;
pub mod msg;
pub mod notice;
pub mod panes;
pub mod request;
pub mod screens;
pub mod theme;
pub mod widgets;
pub mod worker;

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::execute;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::services::Portal;
use app::App;
use msg::Msg;
use theme::Theme;

/// Why the app will not start here, if it will not.
pub fn refuse_reason() -> Option<String> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Some(
            "the full-screen app needs a terminal; use the subcommands (see `portal-admin --help`)"
                .into(),
        );
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return Some("the full-screen app cannot draw on TERM=dumb; use the subcommands (see `portal-admin --help`)".into());
    }
    None
}

/// Monochrome when asked (`--mono`, `ui.mono`) or when `NO_COLOR` is set.
pub fn wants_mono(flag: bool, config: &Config) -> bool {
    flag || config.ui.mono || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Gives the terminal back however the app ends: return, error, or panic.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

pub fn run(portal: Portal, config: &Config, mono: bool) -> Result<i32> {
    if let Some(why) = refuse_reason() {
        return Err(Error::Usage(why));
    }
    keys::check(keys::KEYMAP).map_err(|e| Error::Internal(format!("key map: {e}")))?;
    let theme = Theme::new(wants_mono(mono, config), config.ui.ascii_borders);
    let io = |e: std::io::Error| Error::Io(format!("terminal: {e}"));

    let mut terminal = ratatui::try_init().map_err(io)?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        previous(info);
    }));
    let _guard = TerminalGuard;
    execute!(std::io::stdout(), EnableBracketedPaste).map_err(io)?;

    let (tx, rx) = mpsc::channel();
    spawn_input(tx.clone());
    spawn_signals(tx.clone());
    let size = terminal.size().map_err(io)?;
    let mut app = App::new(
        Arc::new(portal),
        config.ui.clone(),
        theme,
        tx,
        (size.width, size.height),
    );
    tracing::info!("full-screen app started");

    loop {
        if app.take_full_redraw() {
            full_repaint(&mut terminal).map_err(io)?;
        }
        // Keys that arrived before this frame began were typed before any
        // modal in it could be seen.
        let frame_start = Instant::now();
        terminal.draw(|f| app.draw(f)).map_err(io)?;
        app.after_draw(frame_start);
        if let Some(seq) = app.take_clipboard() {
            let mut out = std::io::stdout();
            let _ = out.write_all(seq.as_bytes());
            let _ = out.flush();
        }
        if app.should_quit() {
            break;
        }
        // No timer redraws when nothing changes: wake only for a message,
        // the spinner while work runs, or the idle sign-out.
        let now = Instant::now();
        let wait = if app.busy() {
            Some(Duration::from_millis(120))
        } else {
            // Waiting for a key, the app holds no read snapshot: an old one
            // keeps every page that other processes' commits free since,
            // and the file would grow with each command run beside it.
            app.portal().refresh();
            app.idle_deadline()
                .map(|d| d.saturating_duration_since(now))
        };
        let msg = match wait {
            Some(w) => match rx.recv_timeout(w) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            },
            None => match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => break,
            },
        };
        match msg {
            Some(m) => {
                app.update(m);
                while let Ok(m) = rx.try_recv() {
                    app.update(m);
                }
            }
            None => {
                app.check_idle(Instant::now());
            }
        }
    }
    tracing::info!("full-screen app closed");
    Ok(0)
}

/// Ctrl-L and sign-out: clears the screen and the scrollback, and makes
/// the next frame paint every cell. (`Terminal::clear` asks the terminal
/// where its cursor is, which cannot be answered while the input thread
/// reads the keyboard: it would stall two seconds and end the app.)
fn full_repaint(terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    use crossterm::terminal::{Clear, ClearType};
    execute!(
        terminal.backend_mut(),
        Clear(ClearType::All),
        Clear(ClearType::Purge)
    )?;
    terminal.current_buffer_mut().reset();
    terminal.swap_buffers();
    Ok(())
}

fn spawn_input(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(k)) => Msg::Key(k, Instant::now()),
                Ok(Event::Paste(s)) => Msg::Paste(s),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(_) => Msg::Terminate,
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
}

fn spawn_signals(tx: Sender<Msg>) {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Msg::Terminate);
        }
    });
}
