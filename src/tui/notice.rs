//! The notice a change queued for the account holder, as the app tells
//! staff about it: "notice queued" while it is sent in the background,
//! then what became of it ("notice sent to E", "notice queued: not sent
//! yet (…); it is retried at …", "notice not sent: …"). Nothing is said
//! when notices are off.

use ratatui::text::{Line, Span};

use super::component::{Level, Shared, sentence};
use super::request::Reply;
use super::theme::Theme;
use crate::domain::text::printable;
use crate::error::Error;
use crate::present::LocalTime;
use crate::services::{Delivery, SendReport};

/// Where the notices of one change stand, for the popup or message that
/// reports the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeState {
    /// Notices are off, or the change queued none.
    None,
    /// Queued; the app is sending them now.
    Queued(Vec<u64>),
    /// What became of them.
    Said(Level, String),
}

impl NoticeState {
    /// The notices `ids` a change queued, as they stand right after it.
    pub fn queued(ids: Vec<u64>, shared: &Shared) -> NoticeState {
        if ids.is_empty() || !shared.portal.notices_enabled() {
            NoticeState::None
        } else {
            NoticeState::Queued(ids)
        }
    }

    /// The notices to send now (none once they were tried).
    pub fn to_send(&self) -> Vec<u64> {
        match self {
            NoticeState::Queued(ids) => ids.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether the account holder is told of the change by email.
    pub fn noticed(&self) -> bool {
        !matches!(self, NoticeState::None)
    }

    /// Takes the answer about these notices; true when it was theirs.
    pub fn take(&mut self, reply: &Reply, local: &LocalTime) -> bool {
        match (&*self, reply) {
            (NoticeState::Queued(mine), Reply::NoticesSent { ids, result }) if mine == ids => {
                let (level, text) = words(ids, result, local);
                *self = NoticeState::Said(level, text);
                true
            }
            _ => false,
        }
    }

    /// The line a popup shows, if any.
    pub fn line(&self, theme: &Theme) -> Option<Line<'static>> {
        let (style, text) = match self {
            NoticeState::None => return None,
            NoticeState::Queued(_) => (theme.normal, "Notice queued: sending it now…".to_owned()),
            NoticeState::Said(level, text) => (
                match level {
                    Level::Ok => theme.ok,
                    Level::Info => theme.warn,
                    Level::Error => theme.error,
                },
                capitalised(text),
            ),
        };
        Some(Line::from(Span::styled(text, style)))
    }
}

/// "notice sent to E" and the like, for every notice of `ids`, and how
/// well it went (the worst of them).
pub fn words(
    ids: &[u64],
    result: &Result<SendReport, Error>,
    local: &LocalTime,
) -> (Level, String) {
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            let why = sentence(e);
            let why = why.trim_end_matches('.');
            return (
                Level::Error,
                format!("notice queued: not sent yet ({why}); `notify send` sends it"),
            );
        }
    };
    let mut level = Level::Ok;
    let mut said = Vec::new();
    for id in ids {
        let Some(a) = report.attempts.iter().find(|a| a.id == *id) else {
            // Another program holds it, or it is not due yet.
            level = worse(level, Level::Info);
            said.push("notice queued: `notify send` sends it".to_owned());
            continue;
        };
        said.push(match &a.delivery {
            Delivery::Sent => format!("notice sent to {}", a.to),
            Delivery::Retry { retry_at, reason } => {
                level = worse(level, Level::Info);
                format!(
                    "notice queued: not sent yet ({}); it is retried at {}",
                    printable(reason),
                    local.spoken(*retry_at)
                )
            }
            Delivery::Failed { reason } => {
                level = Level::Error;
                format!("notice not sent: {}", printable(reason))
            }
        });
    }
    (level, said.join("; "))
}

fn worse(a: Level, b: Level) -> Level {
    let rank = |l: Level| match l {
        Level::Ok => 0,
        Level::Info => 1,
        Level::Error => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// `text` with its first letter capitalised and a full stop.
pub fn capitalised(text: &str) -> String {
    let mut s = text.to_owned();
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}
