//! portal-admin: look up patients, see the state of their patient-portal
//! accounts, and reset portal passwords safely.
//!
//! The library holds the domain ([`domain`]), the database ([`store`]) and
//! the services ([`services::Portal`]) that both clients — the command line
//! ([`cli`]) and the full-screen app — call. Nothing here but the clients
//! knows about terminals.

pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod handout;
pub mod logging;
pub mod notify;
pub mod password;
pub mod present;
pub mod secret;
pub mod services;
pub mod store;
pub mod tui;

pub use error::{Error, Result};
pub use secret::Secret;
pub use services::{Portal, Session};

/// Times as shown and printed: RFC 3339 in UTC, whole seconds.
pub fn format_time(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}
