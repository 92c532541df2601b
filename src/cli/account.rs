//! `account show|reset|set-password|unlock|disable|enable`: a portal
//! account as staff see it, Create/Validate, and the Control Panel actions.

use clap::Subcommand;

use super::output::{self, line};
use super::{Ctx, OperatorArgs, sign_in_operator};
use crate::domain::text::printable;
use crate::error::{Error, Result};
use crate::format_time;
use crate::present;
use crate::services::AccountView;

#[derive(Debug, Subcommand)]
pub enum AccountCmd {
    /// Show a portal account (never its hash).
    Show {
        #[arg(long, conflicts_with = "email", required_unless_present = "email")]
        patient: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Create/Validate: create the patient's portal account or reset its password, printing the temporary login.
    Reset {
        #[arg(long)]
        patient: String,
        /// The account holder's email, for a patient who has none on file.
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Control Panel: set a new password (asked twice); admin only.
    SetPassword {
        #[arg(long)]
        email: String,
        /// Untick "Password Reset Required": the password stays until the holder changes it.
        #[arg(long)]
        no_reset_required: bool,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Control Panel: unlock an account locked by failed sign-ins; admin only.
    Unlock {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Control Panel: disable an account; admin only.
    Disable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Control Panel: enable a disabled account; admin only.
    Enable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
}

pub(super) fn run(ctx: &Ctx, cmd: AccountCmd) -> Result<i32> {
    let portal = ctx.open()?;
    match cmd {
        AccountCmd::Show {
            patient: Some(no),
            json,
            ..
        } => {
            let view = portal.patient_view(&no)?;
            if json {
                output::json(&view, true)?;
                return Ok(0);
            }
            let p = &view.patient;
            line(format_args!(
                "patient: {} {}",
                p.account_number,
                printable(&p.display_name())
            ))?;
            line(format_args!("date of birth: {}", p.date_of_birth))?;
            line(format_args!(
                "e-correspondent: {}",
                p.email.as_ref().map(|e| e.as_str()).unwrap_or("(none)")
            ))?;
            match &view.account {
                Some(acc) => print_account(acc)?,
                None => line(format_args!("portal account: {}", present::NO_ACCOUNT))?,
            }
            for s in &view.siblings {
                line(format_args!(
                    "sibling: {} {}",
                    s.account_number,
                    printable(&s.display_name())
                ))?;
            }
        }
        AccountCmd::Show {
            email: Some(email),
            json,
            ..
        } => {
            let acc = portal.account_by_email(&email)?;
            if json {
                output::json(&acc, true)?;
            } else {
                print_account(&acc)?;
            }
        }
        AccountCmd::Show { .. } => {}
        AccountCmd::Reset { patient, email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let done =
                portal.create_validate_then(&session, &patient, email.as_deref(), None, |login| {
                    // Shown before the change is committed: when nobody
                    // reads it, the account stays as it was.
                    output::line(present::login_text(login).trim_end())
                });
            if let Err(Error::OutputClosed) = done {
                eprintln!(
                    "portal-admin: standard output is closed, so the temporary login could not be shown; nothing was changed"
                );
                return Ok(1);
            }
            done?;
            eprintln!("{}", present::LOGIN_READ_ALOUD.join(" "));
        }
        AccountCmd::SetPassword {
            email,
            no_reset_required,
            op,
        } => {
            let (session, mut src) = sign_in_operator(&portal, &op)?;
            let new = src.read(&format!("New password for {}: ", printable(&email)))?;
            let confirm = src.read("Same password again: ")?;
            let acc = portal.admin_set_password(
                &session,
                &email,
                &new,
                &confirm,
                !no_reset_required,
                None,
            )?;
            line(format_args!(
                "password set for {}; password reset required: {}",
                acc.email,
                yes_no(acc.reset_required)
            ))?;
        }
        AccountCmd::Unlock { email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let acc = portal.unlock(&session, &email, None)?;
            line(format_args!("unlocked {}", acc.email))?;
        }
        AccountCmd::Disable { email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let acc = portal.set_disabled(&session, &email, true, None)?;
            line(format_args!("disabled {}", acc.email))?;
        }
        AccountCmd::Enable { email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let acc = portal.set_disabled(&session, &email, false, None)?;
            line(format_args!("enabled {}", acc.email))?;
        }
    }
    Ok(0)
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn print_account(acc: &AccountView) -> Result<()> {
    line(format_args!(
        "portal account: {} (id {})",
        acc.email, acc.id
    ))?;
    line(format_args!("status: {}", present::account_status(acc)))?;
    line(format_args!(
        "password reset required: {}",
        yes_no(acc.reset_required)
    ))?;
    if let Some(t) = acc.temp_expires_at {
        line(format_args!(
            "temporary password expires: {}{}",
            format_time(t),
            if acc.temp_expired { " (expired)" } else { "" }
        ))?;
    }
    if let Some(t) = acc.locked_until {
        line(format_args!("locked until: {}", format_time(t)))?;
    }
    line(format_args!("failed sign-ins: {}", acc.failed_count))?;
    line(format_args!(
        "last sign-in: {}",
        acc.last_sign_in
            .map(format_time)
            .unwrap_or_else(|| "never".into())
    ))?;
    line(format_args!("patients: {}", acc.patients.join(", ")))?;
    line(format_args!(
        "password hash: {}{}",
        acc.hash_params,
        if acc.hash_current {
            ""
        } else {
            " (old parameters; re-hashed at next sign-in)"
        }
    ))?;
    line(format_args!("version: {}", acc.version))
}
