//! Notices to account holders: queued in the outbox by every change that
//! must be told (in the change's own transaction), sent through the
//! configured SMTP relay right after the change and by `notify send`,
//! retried with backoff, and visible in `notify status`.
//!
//! Sending never runs inside a write transaction: a sender takes the due
//! notices under a lease (so two processes never send the same notice at
//! once), talks to the relay, then records what happened — a notice sent
//! or given up with its audit event, a failed attempt with its retry time.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::{Portal, Session};
use crate::domain::{Action, Email, NewEvent, Notice, NoticeState, PortalAccount};
use crate::error::Result;
use crate::notify::{Happened, Relay, SendFailure};
use crate::store::WriteTx;

/// The longest wait between two attempts of one notice.
pub const RETRY_MAX: Duration = Duration::hours(4);

/// How many notices a sender takes at a time.
const BATCH: usize = 20;

/// What became of one attempt to send a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Delivery {
    /// The relay took it.
    Sent,
    /// Not sent; it is tried again at `retry_at`.
    Retry {
        #[serde(with = "time::serde::rfc3339")]
        retry_at: OffsetDateTime,
        reason: String,
    },
    /// Given up: the relay refused it for good, or it ran out of attempts.
    Failed { reason: String },
}

/// One notice a sender tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeAttempt {
    pub id: u64,
    pub account_id: u64,
    pub to: Email,
    /// `password reset`, `guardian added`…
    pub what: String,
    /// Which attempt this was (1 for the first).
    pub attempt: u32,
    pub delivery: Delivery,
}

/// What one round of sending did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SendReport {
    /// Every notice tried, in the order tried.
    pub attempts: Vec<NoticeAttempt>,
    /// Notices still to be sent after this round (due later, or being sent
    /// by another process).
    pub pending: u64,
}

impl SendReport {
    pub fn sent(&self) -> usize {
        self.count(|d| matches!(d, Delivery::Sent))
    }

    pub fn retrying(&self) -> usize {
        self.count(|d| matches!(d, Delivery::Retry { .. }))
    }

    pub fn failed(&self) -> usize {
        self.count(|d| matches!(d, Delivery::Failed { .. }))
    }

    fn count(&self, f: impl Fn(&Delivery) -> bool) -> usize {
        self.attempts.iter().filter(|a| f(&a.delivery)).count()
    }
}

/// A notice as `notify status` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeLine {
    pub id: u64,
    pub account_id: u64,
    pub to: Email,
    pub what: String,
    pub state: NoticeState,
    pub attempts: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub queued_at: OffsetDateTime,
    /// Its next attempt (queued), or the end of a sender's lease (sending).
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
}

impl From<&Notice> for NoticeLine {
    fn from(n: &Notice) -> Self {
        NoticeLine {
            id: n.id,
            account_id: n.account_id,
            to: n.to.clone(),
            what: n.what.clone(),
            state: n.state,
            attempts: n.attempts,
            queued_at: n.queued_at,
            next_attempt_at: n.next_attempt_at,
            last_error: n.last_error.clone(),
        }
    }
}

/// `notify status`: whether notices are on, and the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotifyStatus {
    /// `notify.smtp_url` and `notify.from` are set.
    pub enabled: bool,
    /// The relay's `host:port`, when on.
    pub relay: Option<String>,
    /// Still to be sent.
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_error_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sent_at: Option<OffsetDateTime>,
    /// The first notices still to be sent, soonest due first (at most 50).
    pub next: Vec<NoticeLine>,
}

impl Portal {
    /// Whether changes queue notices (`notify.smtp_url` and `notify.from`
    /// are set). Clients say "notice queued" after a change only then.
    pub fn notices_enabled(&self) -> bool {
        self.config.notify.enabled()
    }

    /// Queues, in the change's transaction `tx`, the notice about
    /// `happened` to `to` (the holder of `account`). `None` when notices
    /// are off.
    pub(super) fn queue_notice(
        &self,
        tx: &mut WriteTx,
        account: &PortalAccount,
        to: &Email,
        happened: Happened,
    ) -> Result<Option<u64>> {
        if !self.notices_enabled() {
            return Ok(None);
        }
        let practice = tx
            .portal_setup()?
            .map(|s| s.practice_name.unwrap_or(s.practice_id))
            .unwrap_or_else(|| "your practice".to_owned());
        let contact = self
            .config
            .notify
            .contact
            .clone()
            .unwrap_or_else(|| practice.clone());
        let now = tx.now();
        let composed = crate::notify::compose(
            &happened,
            &practice,
            &account.email,
            &self.local.spoken(now),
            &contact,
        );
        let notice = Notice::new(
            account.id,
            to.clone(),
            composed.what,
            composed.subject,
            composed.body,
            now,
        );
        tx.queue_notice(notice).map(Some)
    }

    /// Sends every notice that is due (`notify send`, and the app's
    /// background round): each is tried once; a failure is retried later
    /// with backoff (`notify.retry_after_seconds`, doubling, at most four
    /// hours) until `notify.max_attempts`, then given up and audited.
    pub fn send_notices(&self, s: &Session) -> Result<SendReport> {
        self.send(s, None)
    }

    /// Sends the notice `id` if it is due (right after the change that
    /// queued it). A notice another process is sending is left to it.
    pub fn send_notice(&self, s: &Session, id: u64) -> Result<SendReport> {
        self.send(s, Some(id))
    }

    fn send(&self, s: &Session, only: Option<u64>) -> Result<SendReport> {
        let mut report = SendReport::default();
        if !self.notices_enabled() {
            report.pending = self.store.read()?.outbox_summary(0)?.pending;
            return Ok(report);
        }
        // A relay that cannot be set up (an unreadable password file) is a
        // failed attempt like a relay that does not answer: it shows in
        // `notify status`, and the notices are retried.
        let relay = Relay::from_config(&self.config.notify);
        let cfg = &self.config.notify;
        let lease = Duration::seconds(i64::from(cfg.timeout_seconds) * 4 + 60);
        loop {
            let now = self.now();
            let taken = self
                .store
                .write_outbox(now, |tx| tx.take_due(BATCH, now + lease, only))?;
            if taken.is_empty() {
                break;
            }
            for notice in &taken {
                let result = match &relay {
                    Ok(Some(relay)) => relay.send(notice, &message_id(notice, cfg)),
                    Ok(None) => Err(SendFailure {
                        permanent: false,
                        reason: "notices are off".into(),
                    }),
                    Err(e) => Err(SendFailure {
                        permanent: false,
                        reason: e.to_string(),
                    }),
                };
                let delivery = self.record(s, notice, result)?;
                tracing::info!(
                    notice = notice.id,
                    account_id = notice.account_id,
                    attempt = notice.attempts,
                    result = match &delivery {
                        Delivery::Sent => "sent",
                        Delivery::Retry { .. } => "retry",
                        Delivery::Failed { .. } => "failed",
                    },
                    "notice"
                );
                report.attempts.push(NoticeAttempt {
                    id: notice.id,
                    account_id: notice.account_id,
                    to: notice.to.clone(),
                    what: notice.what.clone(),
                    attempt: notice.attempts,
                    delivery,
                });
            }
            if only.is_some() || taken.len() < BATCH {
                break;
            }
        }
        report.pending = self.store.read()?.outbox_summary(0)?.pending;
        Ok(report)
    }

    /// Records the result of an attempt of `taken` (a notice this process
    /// holds under lease).
    fn record(
        &self,
        s: &Session,
        taken: &Notice,
        result: std::result::Result<(), SendFailure>,
    ) -> Result<Delivery> {
        let cfg = &self.config.notify;
        let now = self.now();
        let failure = result.err();
        let give_up = failure
            .as_ref()
            .is_some_and(|f| f.permanent || taken.attempts >= cfg.max_attempts);
        if let Some(f) = failure.as_ref().filter(|_| !give_up) {
            let retry_at = now + backoff(cfg.retry_after_seconds, taken.attempts);
            self.store
                .write_outbox(now, |tx| tx.retry(taken, retry_at, &f.reason))?;
            return Ok(Delivery::Retry {
                retry_at,
                reason: f.reason.clone(),
            });
        }
        self.store.write(now, |tx| {
            let Some(before) = tx.notice(taken.id)? else {
                return Err(crate::Error::Storage(format!(
                    "notice {} left the outbox while it was sent",
                    taken.id
                )));
            };
            let mut n = before.clone();
            let login = tx
                .account(n.account_id)?
                .map_or_else(|| n.to.clone(), |a| a.email);
            let target = format!("account {} <{login}>, notice {}", n.account_id, n.id);
            let event = match &failure {
                None => {
                    n.state = NoticeState::Sent;
                    n.sent_at = Some(now);
                    NewEvent {
                        actor: s.actor(),
                        action: Action::NoticeSent,
                        target,
                        outcome: format!("success ({}, to {})", n.what, n.to),
                    }
                }
                Some(f) => {
                    n.state = NoticeState::Failed;
                    n.last_error = Some(f.reason.clone());
                    let why = if f.permanent {
                        f.reason.clone()
                    } else {
                        format!("gave up after {} attempts: {}", n.attempts, f.reason)
                    };
                    NewEvent::failure(&s.actor(), Action::NoticeFailed, target, &why)
                }
            };
            tx.finish_notice(&before, &n)?;
            tx.audit(event)
        })?;
        Ok(match failure {
            None => Delivery::Sent,
            Some(f) => Delivery::Failed { reason: f.reason },
        })
    }

    /// `notify status`: on or off, the relay, the totals, the last error
    /// and the notices still to be sent.
    pub fn notify_status(&self) -> Result<NotifyStatus> {
        let summary = self.store.read()?.outbox_summary(50)?;
        let relay = self
            .config
            .notify
            .smtp_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .map(|u| {
                format!(
                    "{}://{}{}",
                    u.scheme(),
                    u.host_str().unwrap_or(""),
                    u.port().map(|p| format!(":{p}")).unwrap_or_default()
                )
            });
        Ok(NotifyStatus {
            enabled: self.notices_enabled(),
            relay,
            queued: summary.pending,
            sent: summary.stats.sent,
            failed: summary.stats.failed,
            last_error: summary.stats.last_error,
            last_error_at: summary.stats.last_error_at,
            last_sent_at: summary.stats.last_sent_at,
            next: summary.next.iter().map(NoticeLine::from).collect(),
        })
    }

    /// The notices of portal account `account_id` still to be sent (the
    /// app shows "notice queued" until they are gone).
    pub fn pending_notices(&self, account_id: u64) -> Result<Vec<NoticeLine>> {
        Ok(self
            .store
            .read()?
            .pending_notices_of(account_id)?
            .iter()
            .map(NoticeLine::from)
            .collect())
    }
}

/// The wait after the `attempt`-th failed attempt: `base` seconds,
/// doubling with each attempt, at most [`RETRY_MAX`].
pub fn backoff(base_seconds: u32, attempt: u32) -> Duration {
    let factor = 1i64 << attempt.saturating_sub(1).min(20);
    Duration::seconds(i64::from(base_seconds).saturating_mul(factor)).min(RETRY_MAX)
}

/// The same Message-ID on every attempt of a notice, in the sender's
/// domain, so a mailbox that got it twice can tell.
fn message_id(n: &Notice, cfg: &crate::config::NotifyConfig) -> String {
    let domain = cfg
        .from
        .as_deref()
        .and_then(|f| f.trim().trim_end_matches('>').rsplit_once('@'))
        .map(|(_, d)| d.to_owned())
        .unwrap_or_else(|| "portal-admin.invalid".to_owned());
    format!(
        "<portal-admin.notice.{}.{}@{domain}>",
        n.id,
        n.queued_at.unix_timestamp()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_four_hours() {
        assert_eq!(backoff(60, 1), Duration::minutes(1));
        assert_eq!(backoff(60, 2), Duration::minutes(2));
        assert_eq!(backoff(60, 5), Duration::minutes(16));
        assert_eq!(backoff(60, 9), RETRY_MAX);
        assert_eq!(backoff(3600, 50), RETRY_MAX);
    }
}
