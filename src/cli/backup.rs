//! `backup FILE`: a consistent copy of the database while others work.

use std::path::PathBuf;

use clap::Args;

use super::output::line;
use super::{Ctx, OperatorArgs, sign_in_operator};
use crate::error::Result;

#[derive(Debug, Args)]
pub struct BackupArgs {
    file: PathBuf,
    #[command(flatten)]
    op: OperatorArgs,
}

pub(super) fn run(ctx: &Ctx, args: BackupArgs) -> Result<i32> {
    let portal = ctx.open()?;
    let file = args.file;
    let (session, _) = sign_in_operator(&portal, &args.op)?;
    let report = portal.backup(&session, &file)?;
    line(format_args!(
        "backup written to {}: {} rows, {} bytes",
        file.display(),
        report.rows,
        report.bytes
    ))?;
    line(format_args!(
        "check it with: portal-admin --db {} audit verify",
        file.display()
    ))?;
    Ok(0)
}
