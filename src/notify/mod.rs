//! Notices to account holders: what a notice says ([`compose`]) and how it
//! reaches them ([`Relay`], SMTP through `lettre`).
//!
//! A notice tells the holder of a portal account that their login was
//! reset or changed, or that a patient was added to or removed from it —
//! the one message that catches a reset done at the desk for the wrong
//! person (OWASP ASVS 2.5.5). It names the practice, what happened, when
//! (in the practice's time) and whom to call; it never holds a password or
//! a patient's name (email travels in clear between relays). The services
//! queue it in the outbox in the change's own transaction; a sender takes
//! it from there ([`crate::services`] `send_notices`).

mod message;
mod relay;

pub use message::{Composed, Happened, compose};
pub use relay::{Relay, SendFailure, check_from};
