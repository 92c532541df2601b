//! What reaches the app's one loop: keys, pastes, resizes, replies from
//! workers and signals. The app handles them one at a time.

use std::time::Instant;

use crossterm::event::KeyEvent;

use super::request::Reply;

pub enum Msg {
    /// A key press and when the input thread received it.
    Key(KeyEvent, Instant),
    Paste(String),
    Resize(u16, u16),
    /// A worker's answer to request `id`.
    Reply {
        id: u64,
        reply: Box<Reply>,
    },
    /// SIGTERM or SIGHUP (the SSH connection dropped).
    Terminate,
}
