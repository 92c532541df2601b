//! `notify status|send`: the notices to account holders — what is queued,
//! sent or failed, and sending what is due (for a systemd timer or cron).
//! Also the line every command that changed a login prints about its own
//! notice.

use clap::Subcommand;

use super::Ctx;
use super::output::{self, line};
use crate::domain::text::printable;
use crate::error::Result;
use crate::present::LocalTime;
use crate::services::{Delivery, NoticeAttempt, Portal, Session};

#[derive(Debug, Subcommand)]
pub enum NotifyCmd {
    /// Whether notices are on; how many are queued, sent and failed; the last error; what is still queued.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Send the notices that are due now; exit 0 when nothing is left queued, 1 otherwise.
    Send,
}

pub(super) fn run(ctx: &Ctx, cmd: NotifyCmd) -> Result<i32> {
    let portal = ctx.open()?;
    let local = LocalTime::new(&ctx.config.ui)?;
    match cmd {
        NotifyCmd::Status { json } => {
            let st = portal.notify_status()?;
            if json {
                // JSON stays in UTC.
                output::json(&st, true)?;
                return Ok(0);
            }
            match &st.relay {
                Some(relay) if st.enabled => line(format_args!("notices: on (relay {relay})"))?,
                _ => line("notices: off (set notify.smtp_url and notify.from to send them)")?,
            }
            line(format_args!("queued: {}", st.queued))?;
            line(format_args!("sent: {}", st.sent))?;
            line(format_args!("failed: {}", st.failed))?;
            if let Some(t) = st.last_sent_at {
                line(format_args!("last sent: {}", local.rfc3339(t)))?;
            }
            match (&st.last_error, st.last_error_at) {
                (Some(e), Some(t)) => line(format_args!(
                    "last error: {} {}",
                    local.rfc3339(t),
                    printable(e)
                ))?,
                (Some(e), None) => line(format_args!("last error: {}", printable(e)))?,
                _ => line("last error: none")?,
            }
            for n in &st.next {
                line(format_args!(
                    "notice {}\t{}\t{}\t{}\tattempts {}\tnext attempt {}\t{}",
                    n.id,
                    n.state.as_str(),
                    n.to,
                    n.what,
                    n.attempts,
                    local.rfc3339(n.next_attempt_at),
                    n.last_error.as_deref().map(printable).unwrap_or_default()
                ))?;
            }
            Ok(0)
        }
        NotifyCmd::Send => {
            let report = portal.send_notices(&Portal::file_owner())?;
            if !portal.notices_enabled() {
                eprintln!(
                    "portal-admin: notices are off (notify.smtp_url and notify.from are not set); nothing was sent"
                );
            }
            for a in &report.attempts {
                line(attempt_line(a, &local))?;
            }
            if report.pending > 0 {
                eprintln!(
                    "portal-admin: {} notice{} still queued (see notify status)",
                    report.pending,
                    if report.pending == 1 { " is" } else { "s are" }
                );
                return Ok(1);
            }
            Ok(0)
        }
    }
}

/// `sent: notice 5 (password reset) to maria@example.com`, or why not.
pub(super) fn attempt_line(a: &NoticeAttempt, local: &LocalTime) -> String {
    let head = format!("notice {} ({}) to {}", a.id, a.what, a.to);
    match &a.delivery {
        Delivery::Sent => format!("sent: {head}"),
        Delivery::Retry { retry_at, reason } => format!(
            "not sent yet: {head}: {}; next attempt {}",
            printable(reason),
            local.rfc3339(*retry_at)
        ),
        Delivery::Failed { reason } => format!("failed: {head}: {}", printable(reason)),
    }
}

/// After a change that queued `notice`: tries to send it now and says on
/// standard error what became of it. The change is made whatever happens
/// here; a notice not sent stays queued for `notify send`.
pub(super) fn send_own(portal: &Portal, session: &Session, notice: Option<u64>, local: &LocalTime) {
    let Some(id) = notice else {
        return;
    };
    match portal.send_notice(session, id) {
        Ok(report) => match report.attempts.iter().find(|a| a.id == id) {
            Some(a) => eprintln!("{}", attempt_line(a, local)),
            None => eprintln!("notice {id} queued"),
        },
        Err(e) => eprintln!(
            "portal-admin: notice {id} queued but not sent: {}",
            super::errors::message(&e)
        ),
    }
}
