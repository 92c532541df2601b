//! `import FILE.csv`: patients from the practice's records, all rows or none.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::output::line;
use super::progress::Bar;
use super::{Ctx, OperatorArgs, sign_in_operator};
use crate::domain::text::printable;
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Check every row and report what would change, writing nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    op: OperatorArgs,
}

pub(super) fn run(ctx: &Ctx, args: ImportArgs) -> Result<i32> {
    let ImportArgs { file, dry_run, op } = args;
    let portal = ctx.open()?;
    let (session, _) = sign_in_operator(&portal, &op)?;
    let f = std::fs::File::open(&file).map_err(|e| {
        Error::Io(format!(
            "cannot read {}: {}",
            file.display(),
            crate::config::io_reason(&e)
        ))
    })?;
    let total = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bar = Bar::new(total > 1 << 20 && std::io::stderr().is_terminal());
    let source = file.display().to_string();
    let report = portal.import_patients(
        &session,
        &source,
        std::io::BufReader::new(f),
        total,
        dry_run,
        &mut bar,
    )?;
    bar.finish();
    if !report.errors.is_empty() {
        for e in &report.errors {
            eprintln!(
                "{}:{}: {}",
                printable(&source),
                e.line,
                printable(&e.message)
            );
        }
        if report.more_errors > 0 {
            eprintln!("... and {} more bad rows", report.more_errors);
        }
        eprintln!(
            "portal-admin: nothing was imported: {} bad rows in {}; fix them and import again",
            report.errors.len() as u64 + report.more_errors,
            printable(&source)
        );
        return Ok(1);
    }
    // Imported all the same: the practice's records decide (docs/cli.md).
    for w in &report.warnings {
        eprintln!(
            "{}:{}: warning: {}",
            printable(&source),
            w.line,
            printable(&w.message)
        );
    }
    if report.more_warnings > 0 {
        eprintln!("... and {} more warnings", report.more_warnings);
    }
    let verb = if dry_run { "would import" } else { "imported" };
    line(format_args!(
        "{verb} {} rows: {} new, {} updated, {} unchanged",
        report.rows, report.created, report.updated, report.unchanged
    ))?;
    Ok(0)
}
