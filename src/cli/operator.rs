//! `operator add|list`: the people who use this app.

use clap::Subcommand;

use super::Ctx;
use super::output::line;
use super::secrets::SecretSource;
use crate::domain::Role;
use crate::domain::text::printable;
use crate::error::Result;
use crate::format_time;
use crate::present;
use crate::services::Portal;

#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
    /// Add an operator; the password is asked twice.
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password twice (two lines) from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List operators.
    List,
}

fn parse_role(s: &str) -> std::result::Result<Role, String> {
    s.parse()
}

pub(super) fn run(ctx: &Ctx, cmd: OperatorCmd) -> Result<i32> {
    let portal = ctx.open()?;
    match cmd {
        OperatorCmd::Add {
            name,
            role,
            password_stdin,
        } => {
            let mut src = SecretSource::new(password_stdin);
            let pw = src.read(&format!("New password for operator {}: ", printable(&name)))?;
            let confirm = src.read("Same password again: ")?;
            portal.add_operator(&Portal::local_admin(), &name, role, &pw, &confirm)?;
            line(format_args!(
                "operator {} added (role {})",
                printable(&name.trim().to_ascii_lowercase()),
                role.as_str()
            ))?;
        }
        OperatorCmd::List => {
            let now = portal.now();
            for op in portal.operators()? {
                let last = op
                    .last_sign_in
                    .map(format_time)
                    .unwrap_or_else(|| "never".into());
                line(format_args!(
                    "{}\t{}\t{}\tlast sign-in: {}",
                    op.username,
                    op.role.as_str(),
                    present::operator_state(&op, now),
                    last
                ))?;
            }
        }
    }
    Ok(0)
}
