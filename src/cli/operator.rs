//! `operator add|list|disable|enable|unlock|reset-password|remove`: the
//! people who use this app. Everything but `list` is for administrators,
//! signed in with `--operator`; the one exception is the first
//! administrator of a new database, added by the file's owner.

use clap::{Args, Subcommand};

use super::output::line;
use super::secrets::SecretSource;
use super::{Ctx, OperatorArgs, sign_in, sign_in_operator};
use crate::domain::Role;
use crate::domain::text::printable;
use crate::error::Result;
use crate::present::{self, TimeStyle};
use crate::services::{OperatorChange, Portal};

#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
    /// Add an operator (admin only; the first administrator of a new database needs no sign-in). The new password is asked twice.
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[command(flatten)]
        op: AddingOperator,
    },
    /// List operators: name, role, state, last sign-in.
    List,
    /// Disable an operator: no sign-in until enabled (admin only).
    Disable {
        name: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Enable a disabled operator (admin only).
    Enable {
        name: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Unlock an operator locked out by failed sign-ins (admin only).
    Unlock {
        name: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Set an operator's password (asked twice); they must choose their own at the next sign-in (admin only).
    ResetPassword {
        name: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
    /// Remove an operator; the audit trail keeps their history and the name is never reused (admin only).
    Remove {
        name: String,
        #[command(flatten)]
        op: OperatorArgs,
    },
}

/// `operator add`: an administrator signs in, except for the first one.
#[derive(Debug, Args)]
pub struct AddingOperator {
    /// The administrator adding the operator (their password is asked first).
    #[arg(long)]
    operator: Option<String>,
    /// Read secrets from standard input, one per line: the administrator's password, then the new password twice.
    #[arg(long)]
    password_stdin: bool,
}

fn parse_role(s: &str) -> std::result::Result<Role, String> {
    s.parse()
}

pub(super) fn run(ctx: &Ctx, cmd: OperatorCmd) -> Result<i32> {
    let portal = ctx.open()?;
    let (name, change, op) = match cmd {
        OperatorCmd::Add { name, role, op } => return add(&portal, &name, role, op),
        OperatorCmd::List => return list(&portal),
        OperatorCmd::ResetPassword { name, op } => {
            let (session, mut src) = sign_in_operator(&portal, &op)?;
            let new = src.read(&format!("New password for operator {}: ", printable(&name)))?;
            let confirm = src.read("Same password again: ")?;
            portal.reset_operator_password(&session, &name, &new, &confirm)?;
            line(format_args!(
                "password set for operator {}; they must choose their own at the next sign-in",
                printable(&name.trim().to_ascii_lowercase())
            ))?;
            return Ok(0);
        }
        OperatorCmd::Disable { name, op } => (name, OperatorChange::Disable, op),
        OperatorCmd::Enable { name, op } => (name, OperatorChange::Enable, op),
        OperatorCmd::Unlock { name, op } => (name, OperatorChange::Unlock, op),
        OperatorCmd::Remove { name, op } => (name, OperatorChange::Remove, op),
    };
    let (session, _) = sign_in_operator(&portal, &op)?;
    portal.change_operator(&session, &name, change)?;
    let done = match change {
        OperatorChange::Disable => "disabled",
        OperatorChange::Enable => "enabled",
        OperatorChange::Unlock => "unlocked",
        OperatorChange::Remove => "removed (the name stays in the audit trail and is not reused)",
    };
    line(format_args!(
        "operator {} {done}",
        printable(&name.trim().to_ascii_lowercase())
    ))?;
    Ok(0)
}

fn add(portal: &Portal, name: &str, role: Role, op: AddingOperator) -> Result<i32> {
    let (session, mut src) = match &op.operator {
        Some(admin) => sign_in(portal, admin, op.password_stdin)?,
        // The file's owner, for the first administrator only (the
        // services refuse anything else and audit the refusal).
        None => (Portal::file_owner(), SecretSource::new(op.password_stdin)),
    };
    let pw = src.read(&format!("New password for operator {}: ", printable(name)))?;
    let confirm = src.read("Same password again: ")?;
    portal.add_operator(&session, name, role, &pw, &confirm)?;
    line(format_args!(
        "operator {} added (role {})",
        printable(&name.trim().to_ascii_lowercase()),
        role.as_str()
    ))?;
    Ok(0)
}

/// Times in the practice's time zone, RFC 3339 with the offset (as
/// `audit list`).
fn list(portal: &Portal) -> Result<i32> {
    let now = portal.now();
    let local = portal.local_time();
    for op in portal.operators()? {
        let last = op
            .last_sign_in
            .map(|t| local.rfc3339(t))
            .unwrap_or_else(|| "never".into());
        line(format_args!(
            "{}\t{}\t{}\tlast sign-in: {}",
            op.username,
            op.role.as_str(),
            present::operator_state(&op, now, local, TimeStyle::Rfc3339),
            last
        ))?;
    }
    Ok(0)
}
