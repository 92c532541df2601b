//! Notices to account holders: the email that tells a portal account's
//! holder that something changed on their login (a reset, a patient added,
//! a guardian change, a new login email). A notice is written to the outbox
//! in the same transaction as the change, then sent; it never holds a
//! password.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Email;

/// Where a notice is on its way to the account holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// Waiting for its next attempt (`next_attempt_at`).
    Queued,
    /// A sender took it and is talking to the relay; if that sender dies,
    /// the notice is due again at `next_attempt_at` (the lease's end).
    Sending,
    /// The relay accepted it.
    Sent,
    /// Given up: the relay refused it for good, or every attempt failed.
    Failed,
}

impl NoticeState {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeState::Queued => "queued",
            NoticeState::Sending => "sending",
            NoticeState::Sent => "sent",
            NoticeState::Failed => "failed",
        }
    }
}

/// One notice in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: u64,
    /// The portal account the change was made to.
    pub account_id: u64,
    /// The address it goes to: the account's login, or (after a login email
    /// change) the old login as well.
    pub to: Email,
    /// What happened, in a few words (`password reset`): for `notify
    /// status` and the audit trail.
    pub what: String,
    pub subject: String,
    /// Plain text; never a password.
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub queued_at: OffsetDateTime,
    pub state: NoticeState,
    /// Attempts made so far (including one in progress).
    pub attempts: u32,
    /// When it is due: its next attempt while queued, the end of the
    /// sender's lease while sending.
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    /// Why the last attempt failed.
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub sent_at: Option<OffsetDateTime>,
}

impl Notice {
    /// A notice waiting for its first attempt, due at once.
    pub fn new(
        account_id: u64,
        to: Email,
        what: impl Into<String>,
        subject: String,
        body: String,
        now: OffsetDateTime,
    ) -> Notice {
        Notice {
            id: 0,
            account_id,
            to,
            what: what.into(),
            subject,
            body,
            queued_at: now,
            state: NoticeState::Queued,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            sent_at: None,
        }
    }

    /// Still to be sent (queued, or taken by a sender).
    pub fn is_pending(&self) -> bool {
        matches!(self.state, NoticeState::Queued | NoticeState::Sending)
    }
}

/// Totals of the outbox since the file was made, kept as notices move.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxStats {
    pub sent: u64,
    pub failed: u64,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_error_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_sent_at: Option<OffsetDateTime>,
}
