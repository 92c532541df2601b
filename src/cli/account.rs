//! `account show|reset|set-password|unlock|disable|enable`: a portal
//! account as staff see it, Create/Validate, and the Control Panel actions.

use std::path::PathBuf;

use clap::Subcommand;

use super::output::{self, line};
use super::{Ctx, OperatorArgs, sign_in_operator};
use crate::domain::text::printable;
use crate::error::{Error, Result};
use crate::present::{self, LocalTime, TimeStyle};
use crate::services::{AccountView, CreateValidate, CreateValidateOutcome};

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
    /// The account's recent history from the audit trail, newest first.
    History {
        #[arg(long, conflicts_with = "email", required_unless_present = "email")]
        patient: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// How many events (1 to 200).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=200))]
        limit: u64,
        #[arg(long)]
        json: bool,
    },
    /// Create/Validate: create the patient's portal account, reset its password, or add the patient to the existing account of their email; prints the temporary login.
    Reset {
        #[arg(long)]
        patient: String,
        /// Whose login to reset, for a patient with several guardians; for a patient with none, the account holder's email when none is on file.
        #[arg(long)]
        email: Option<String>,
        /// How the account holder's identity and authority were checked: one of the practice's choices (policy.identity_checks).
        #[arg(long, value_name = "TEXT")]
        identity_check: Option<String>,
        /// For a patient joining an existing account (a sibling's): also reset its password. Without it the password does not change.
        #[arg(long)]
        reset_password: bool,
        /// Write the account holder's handout to FILE (a new file, mode 0600).
        #[arg(long, value_name = "FILE", conflicts_with = "print")]
        handout: Option<PathBuf>,
        /// Print the account holder's handout (print.command, default lp).
        #[arg(long)]
        print: bool,
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
    /// Control Panel: change an account's login email (the password does not change); admin only.
    ChangeEmail {
        /// The current login.
        #[arg(long)]
        email: String,
        #[arg(long)]
        new_email: String,
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
    let local = LocalTime::new(&ctx.config.ui)?;
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
                Some(acc) => print_account(acc, &local)?,
                None => line(format_args!("portal account: {}", present::NO_ACCOUNT))?,
            }
            for g in &view.guardians {
                line(format_args!(
                    "guardian: {}",
                    super::guardian::guardian_line(g).replace('\t', " · ")
                ))?;
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
                print_account(&acc, &local)?;
            }
        }
        AccountCmd::Show { .. } => {}
        AccountCmd::History {
            patient,
            email,
            limit,
            json,
        } => {
            let account = match (patient, email) {
                (Some(no), _) => portal.account_for_patient(&no)?,
                (None, Some(email)) => portal.account_by_email(&email)?,
                (None, None) => return Ok(2),
            };
            for ev in portal.account_history(account.id, limit as usize)? {
                if json {
                    // JSON stays in UTC.
                    output::json(&ev, false)?;
                } else {
                    let h = present::history_line(&ev, &local);
                    line(format_args!(
                        "{}\t{}\t{}",
                        local.rfc3339(ev.at),
                        h.who,
                        h.what
                    ))?;
                }
            }
        }
        AccountCmd::Reset {
            patient,
            email,
            identity_check,
            reset_password,
            handout,
            print,
            op,
        } => {
            let req = CreateValidate::patient(patient)
                .email(email)
                .identity_check(identity_check)
                .reset_password(reset_password);
            return reset(ctx, &portal, &local, req, handout, print, &op);
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
            for n in portal.pending_notices(acc.id)? {
                super::notify::send_own(&portal, &session, Some(n.id), &local);
            }
        }
        AccountCmd::ChangeEmail {
            email,
            new_email,
            op,
        } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let changed = portal.change_login_email(&session, &email, &new_email, None)?;
            line(format_args!(
                "login changed: {} is now {} (password unchanged)",
                changed.old, changed.account.email
            ))?;
            for id in &changed.notices {
                super::notify::send_own(&portal, &session, Some(*id), &local);
            }
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

/// Create/Validate at the command line: the login (or the link) on
/// standard output before the change is committed, the handout written
/// before it too (so an existing file refuses the whole change) or printed
/// after it.
fn reset(
    ctx: &Ctx,
    portal: &crate::Portal,
    local: &LocalTime,
    req: CreateValidate,
    handout: Option<PathBuf>,
    print: bool,
    op: &OperatorArgs,
) -> Result<i32> {
    // Refuse what would fail later before anything changes — first of all
    // a login that nobody would read (output to /dev/null, or closed).
    if output::goes_nowhere() {
        return Err(Error::OutputDiscarded);
    }
    if let Some(path) = &handout {
        crate::handout::check_new_file(path)?;
    }
    if print {
        crate::handout::check_printer(&ctx.config.print)?;
    }
    let (session, _) = sign_in_operator(portal, op)?;
    let mut written: Option<&PathBuf> = None;
    let done = portal.create_validate_with_then(&session, &req, |outcome| {
        // A login is shown before the change is committed: when nobody
        // reads it, the account stays as it was. A link has no secret and
        // is said once it is done.
        let Some(login) = outcome.login() else {
            return Ok(());
        };
        output::line(present::login_text_in(login, local, TimeStyle::Rfc3339).trim_end())?;
        if let Some(path) = &handout {
            crate::handout::write_new_file(path, &present::handout(login, local))?;
            written = Some(path);
        }
        Ok(())
    });
    let outcome = match done {
        Ok(outcome) => outcome,
        Err(e) => {
            if let Some(path) = written {
                // The change did not happen: its handout must not survive.
                let _ = std::fs::remove_file(path);
            }
            if let Error::OutputClosed = e {
                eprintln!(
                    "portal-admin: standard output is closed, so the temporary login could not be shown; nothing was changed"
                );
                return Ok(1);
            }
            return Err(e);
        }
    };
    match &outcome {
        CreateValidateOutcome::Linked(linked) => {
            line(present::linked_line(linked, local))?;
            if let Some(r) = &linked.removed {
                line(present::removed_note(r, local))?;
            }
            if linked.no_common_last_name {
                line(present::no_common_last_name_note(&linked.patient))?;
            }
        }
        // Standard output holds the login alone; the note goes with what
        // is said to the operator.
        CreateValidateOutcome::LinkedAndReset(login) if login.no_common_last_name => {
            eprintln!("{}", present::no_common_last_name_note(&login.patient));
        }
        _ => {}
    }
    super::notify::send_own(portal, &session, outcome.notice(), local);
    let Some(login) = outcome.login() else {
        if handout.is_some() || print {
            eprintln!(
                "portal-admin: no handout: no temporary login was issued (the account's password did not change)"
            );
        }
        return Ok(0);
    };
    eprintln!(
        "{}",
        present::login_read_aloud(outcome.notice().is_some()).join(" ")
    );
    if let Some(path) = &handout {
        eprintln!(
            "handout written to {} (readable by you only)",
            printable(&path.display().to_string())
        );
    }
    if print {
        let text = present::handout(login, local);
        let canonical = zeroize::Zeroizing::new(login.password.expose().replace('-', ""));
        let secrets = [login.password.expose(), canonical.as_str()];
        match crate::handout::print(&ctx.config.print, &text, &secrets) {
            Ok(said) if said.is_empty() => eprintln!("handout sent to the printer"),
            Ok(said) => eprintln!("handout sent to the printer: {said}"),
            Err(e) => {
                eprintln!(
                    "portal-admin: {}; the temporary login above is in effect",
                    super::errors::message(&e)
                );
                return Ok(e.exit_code());
            }
        }
    }
    Ok(0)
}

fn print_account(acc: &AccountView, local: &LocalTime) -> Result<()> {
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
            local.rfc3339(t),
            if acc.temp_expired { " (expired)" } else { "" }
        ))?;
    }
    if let Some(t) = acc.locked_until {
        line(format_args!("locked until: {}", local.rfc3339(t)))?;
    }
    line(format_args!("failed sign-ins: {}", acc.failed_count))?;
    line(format_args!(
        "last sign-in: {}",
        acc.last_sign_in
            .map(|t| local.rfc3339(t))
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
