//! `init` and `setup portal`: a new database and the practice's set-up.

use std::sync::Arc;

use clap::Subcommand;

use super::output::line;
use super::{Ctx, OperatorArgs, sign_in_operator};
use crate::clock::SystemClock;
use crate::error::Result;
use crate::services::Portal;

#[derive(Debug, Subcommand)]
pub enum SetupCmd {
    /// Set up the OP Patient Portal e-correspondent (needed before the first Create/Validate; admin only).
    Portal {
        /// Where account holders sign in.
        #[arg(long)]
        url: String,
        #[arg(long)]
        practice_id: String,
        /// The practice's name (passwords built from it are refused).
        #[arg(long)]
        practice_name: Option<String>,
        #[command(flatten)]
        op: OperatorArgs,
    },
}

pub(super) fn init(ctx: &Ctx) -> Result<i32> {
    let path = ctx.db_path();
    Portal::create(&path, ctx.config.clone(), Arc::new(SystemClock))?;
    line(format_args!("created {}", path.display()))?;
    line(
        "next: `portal-admin operator add NAME --role admin`, `portal-admin setup portal --url URL --practice-id ID`, `portal-admin import FILE.csv`",
    )?;
    Ok(0)
}

pub(super) fn run(ctx: &Ctx, cmd: SetupCmd) -> Result<i32> {
    match cmd {
        SetupCmd::Portal {
            url,
            practice_id,
            practice_name,
            op,
        } => {
            let portal = ctx.open()?;
            let (session, _) = sign_in_operator(&portal, &op)?;
            let setup =
                portal.setup_portal(&session, &url, &practice_id, practice_name.as_deref())?;
            line(format_args!(
                "portal e-correspondent set up: sign-in URL {}, practice id {}",
                setup.sign_in_url, setup.practice_id
            ))?;
        }
    }
    Ok(0)
}
