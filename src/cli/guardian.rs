//! `guardian add|remove|list`: a patient's guardians, each with their own
//! portal account.

use clap::Subcommand;

use super::output::{self, line};
use super::{Ctx, OperatorArgs, sign_in_operator};
use crate::domain::guardian::Change;
use crate::domain::text::printable;
use crate::domain::{Access, LinkStatus, Relationship};
use crate::error::{Error, Result};
use crate::present::{self, LocalTime, TimeStyle};
use crate::services::{AddGuardian, GuardianView};

#[derive(Debug, Subcommand)]
pub enum GuardianCmd {
    /// Add a guardian to a patient: creates their own account with a temporary login, or links the account they have (its password unchanged).
    Add {
        #[arg(long)]
        patient: String,
        /// The guardian's email: the login of their own account.
        #[arg(long)]
        email: String,
        /// mother, father, guardian, self (the patient's own account) or other.
        #[arg(long, value_parser = |s: &str| s.parse::<Relationship>())]
        relationship: Relationship,
        /// full or limited (the age rules may limit it sooner).
        #[arg(long, default_value = "full", value_parser = |s: &str| s.parse::<Access>())]
        access: Access,
        /// How the guardian's identity and authority were checked: one of the practice's choices (policy.identity_checks).
        #[arg(long, value_name = "TEXT")]
        identity_check: Option<String>,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Remove a guardian from a patient (a custody change); administrators only.
    Remove {
        #[arg(long)]
        patient: String,
        #[arg(long)]
        email: String,
        /// Why (recorded in the audit trail).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// The patient's guardians: email, relationship, access, status.
    List {
        #[arg(long)]
        patient: String,
        #[arg(long)]
        json: bool,
    },
}

pub(super) fn run(ctx: &Ctx, cmd: GuardianCmd) -> Result<i32> {
    let portal = ctx.open()?;
    let local = LocalTime::new(&ctx.config.ui)?;
    match cmd {
        GuardianCmd::List { patient, json } => {
            let guardians = portal.guardians(&patient)?;
            if json {
                // JSON stays in UTC; dates are calendar dates.
                output::json(&guardians, true)?;
                return Ok(0);
            }
            for g in &guardians {
                line(guardian_line(g))?;
            }
            Ok(0)
        }
        GuardianCmd::Add {
            patient,
            email,
            relationship,
            access,
            identity_check,
            op,
        } => {
            // A new account's temporary login must reach someone: refused
            // before anything is written (as `account reset` does). A link
            // to an existing account prints no secret and goes through.
            let nowhere = output::goes_nowhere();
            if nowhere && portal.account_by_email(&email).is_err() {
                return Err(Error::OutputDiscarded);
            }
            let (session, _) = sign_in_operator(&portal, &op)?;
            let req = AddGuardian::new(patient, email, relationship)
                .access(access)
                .identity_check(identity_check);
            let done = portal.add_guardian_then(&session, &req, |added| match &added.login {
                // Shown before the change is committed: when nobody reads
                // it, no account is made (the account went away since the
                // check above: nothing is committed).
                Some(_) if nowhere => Err(Error::OutputDiscarded),
                Some(login) => output::line(
                    present::login_text_in(login, &local, TimeStyle::Rfc3339).trim_end(),
                ),
                None => {
                    output::line(format_args!(
                        "linked: {} added as {} of patient {} (password unchanged)",
                        added.guardian.account.email,
                        added.guardian.relationship,
                        printable(&added.patient.account_number)
                    ))?;
                    match &added.removed {
                        Some(r) => output::line(present::removed_note(r, &local)),
                        None => Ok(()),
                    }
                }
            });
            let added = match done {
                Ok(a) => a,
                Err(Error::OutputClosed) => {
                    eprintln!(
                        "portal-admin: standard output is closed, so the result could not be shown; nothing was changed"
                    );
                    return Ok(1);
                }
                Err(e) => return Err(e),
            };
            super::notify::send_own(&portal, &session, added.notice, &local);
            for id in &added.others {
                super::notify::send_own(&portal, &session, Some(*id), &local);
            }
            if added.login.is_some() {
                eprintln!(
                    "{}",
                    present::login_read_aloud(added.notice.is_some()).join(" ")
                );
            }
            Ok(0)
        }
        GuardianCmd::Remove {
            patient,
            email,
            reason,
            op,
        } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let removed = portal.remove_guardian(&session, &patient, &email, &reason)?;
            line(format_args!(
                "removed: {} is no longer a guardian of patient {} (the account and its password stay)",
                removed.account.email,
                printable(&removed.patient.account_number)
            ))?;
            super::notify::send_own(&portal, &session, removed.notice, &local);
            for id in &removed.others {
                super::notify::send_own(&portal, &session, Some(*id), &local);
            }
            Ok(0)
        }
    }
}

/// `email, relationship, access, status, account status`, tab-separated:
/// `maria@example.com, mother, full, active, limited from 2027-03-14,
/// ACTIVE`; an ended link's access is `-` and its status `ended 2033-03-14`.
pub(super) fn guardian_line(g: &GuardianView) -> String {
    let (access, status) = match g.status {
        LinkStatus::Active { access, next } => (
            access.as_str(),
            match next {
                Some(Change::LimitedFrom { on }) => format!("active, limited from {on}"),
                Some(Change::Ends { on }) => format!("active, ends {on}"),
                None => "active".to_owned(),
            },
        ),
        LinkStatus::Ended { on } => ("-", format!("ended {on}")),
    };
    format!(
        "{}\t{}\t{}\t{}\t{}",
        g.account.email,
        g.relationship,
        access,
        status,
        present::account_status(&g.account)
    )
}
