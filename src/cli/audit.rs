//! `audit list|verify`: the audit trail.

use clap::Subcommand;

use super::Ctx;
use super::output::{self, line};
use crate::domain::AuditEvent;
use crate::domain::text::printable;
use crate::error::Result;
use crate::present::LocalTime;

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// List audit events, oldest first.
    List {
        #[arg(long)]
        json: bool,
        /// Only events after this sequence number.
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// How many events (at least 1).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
        limit: u64,
    },
    /// Check the hash chain: detects edited, inserted or removed events.
    Verify,
}

pub(super) fn run(ctx: &Ctx, cmd: AuditCmd) -> Result<i32> {
    let portal = ctx.open()?;
    match cmd {
        AuditCmd::List { json, after, limit } => {
            let local = LocalTime::new(&ctx.config.ui)?;
            for ev in portal.audit_list(after, usize::try_from(limit).unwrap_or(usize::MAX))? {
                if json {
                    // JSON stays in UTC.
                    output::json(&ev, false)?;
                } else {
                    line(audit_line(&ev, &local))?;
                }
            }
            Ok(0)
        }
        AuditCmd::Verify => {
            let report = portal.audit_verify()?;
            match report.problem {
                None => {
                    line(format_args!(
                        "audit trail intact: {} events, last hash {}",
                        report.events, report.head
                    ))?;
                    Ok(0)
                }
                Some(problem) => {
                    eprintln!(
                        "portal-admin: audit trail broken: {problem} ({} events verified before it)",
                        report.events
                    );
                    Ok(1)
                }
            }
        }
    }
}

fn audit_line(ev: &AuditEvent, local: &LocalTime) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        ev.seq,
        local.rfc3339(ev.at),
        printable(&ev.actor),
        ev.action.as_str(),
        printable(&ev.target),
        printable(&ev.outcome)
    )
}
