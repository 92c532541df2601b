//! `backup FILE`: a consistent copy of the database while others work.

use std::path::PathBuf;

use clap::Args;

use super::Ctx;
use super::output::line;
use crate::error::Result;
use crate::services::Portal;

#[derive(Debug, Args)]
pub struct BackupArgs {
    file: PathBuf,
}

pub(super) fn run(ctx: &Ctx, args: BackupArgs) -> Result<i32> {
    let portal = ctx.open()?;
    let file = args.file;
    let report = portal.backup(&Portal::local_admin(), &file)?;
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
