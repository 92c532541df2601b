//! `import FILE.csv`: patients from the practice's records, all rows or none.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::output::line;
use super::progress::Bar;
use super::{Ctx, OperatorArgs, sign_in_operator};
use crate::domain::text::printable;
use crate::error::{Error, Result};
use crate::services::{ImportOptions, RowError};

#[derive(Debug, Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Check every row and report what would change, writing nothing.
    #[arg(long)]
    dry_run: bool,
    /// List every warned row on standard error, not the first 200 (the
    /// audit event names the first 1,000 warned patients).
    #[arg(long)]
    all_warnings: bool,
    #[command(flatten)]
    op: OperatorArgs,
}

pub(super) fn run(ctx: &Ctx, args: ImportArgs) -> Result<i32> {
    let ImportArgs {
        file,
        dry_run,
        all_warnings,
        op,
    } = args;
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
    let options = ImportOptions {
        dry_run,
        all_warnings,
    };
    let report = portal.import_patients_with(
        &session,
        &source,
        std::io::BufReader::new(f),
        total,
        options,
        &mut bar,
    )?;
    bar.finish();
    if !report.errors.is_empty() {
        print_rows(&source, "", &report.errors, report.more_errors, "bad rows");
        eprintln!(
            "portal-admin: nothing was imported: {} bad rows in {}; fix them and import again",
            report.errors.len() as u64 + report.more_errors,
            printable(&source)
        );
        return Ok(1);
    }
    // Imported all the same: the practice's records decide (docs/cli.md).
    print_rows(
        &source,
        "warning: ",
        &report.warnings,
        report.more_warnings,
        "warnings (--all-warnings lists every one)",
    );
    let verb = if dry_run { "would import" } else { "imported" };
    line(format_args!(
        "{verb} {} rows: {} new, {} updated, {} unchanged",
        report.rows, report.created, report.updated, report.unchanged
    ))?;
    Ok(0)
}

/// `FILE:LINE: KIND…` on standard error for each row, then how many more
/// there are (`... and N more WHAT`).
fn print_rows(source: &str, kind: &str, rows: &[RowError], more: u64, what: &str) {
    for r in rows {
        eprintln!(
            "{}:{}: {kind}{}",
            printable(source),
            r.line,
            printable(&r.message)
        );
    }
    if more > 0 {
        eprintln!("... and {more} more {what}");
    }
}
