//! `demo`: a demo database with synthetic patients, then the app on it.

use std::io::IsTerminal;
use std::sync::Arc;

use clap::Args;

use super::output::line;
use super::progress::Bar;
use super::{Ctx, open_app};
use crate::clock::SystemClock;
use crate::error::{Error, Refusal, Result};
use crate::services::{DEMO_ADMIN, DEMO_STAFF, Portal};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of synthetic patients.
    #[arg(long, default_value_t = 3000)]
    patients: usize,
    /// Delete an existing demo database and seed a new one.
    #[arg(long)]
    fresh: bool,
    /// Print the summary and exit instead of opening the app.
    #[arg(long)]
    no_tui: bool,
}

pub(super) fn run(ctx: &Ctx, args: DemoArgs) -> Result<i32> {
    let DemoArgs {
        patients,
        fresh,
        no_tui,
    } = args;
    if patients == 0 || patients > 5_000_000 {
        return Err(Error::Usage(
            "--patients must be between 1 and 5000000".into(),
        ));
    }
    let path = ctx
        .db
        .clone()
        .unwrap_or_else(crate::config::default_demo_database_path);
    let clock = Arc::new(SystemClock);
    if path.exists() {
        let existing = Portal::open(&path, ctx.config.clone(), clock.clone())?;
        if !existing.practice()?.demo {
            return Err(Refusal::NotADemo { path }.into());
        }
        drop(existing);
        if fresh {
            std::fs::remove_file(&path).map_err(|e| {
                Error::Io(format!(
                    "cannot remove {}: {}",
                    path.display(),
                    crate::config::io_reason(&e)
                ))
            })?;
        }
    }
    let portal = if path.exists() {
        Portal::open(&path, ctx.config.clone(), clock)?
    } else {
        let portal = Portal::create(&path, ctx.config.clone(), clock)?;
        let bar = Bar::new(patients >= 50_000 && std::io::stderr().is_terminal());
        let seeded = portal.seed_demo(&Portal::file_owner(), patients, &mut |d, t| {
            bar.set("seeding", d, t)
        });
        bar.finish();
        if let Err(e) = seeded {
            drop(portal);
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        portal
    };
    let practice = portal.practice()?;
    if !no_tui && crate::tui::refuse_reason().is_none() {
        return open_app(ctx, portal);
    }
    line(format_args!("demo database: {}", path.display()))?;
    line(format_args!(
        "patients: {}, portal accounts: {}",
        practice.patients, practice.accounts
    ))?;
    line(format_args!(
        "sign in as staff:  {} / {}",
        DEMO_STAFF.0, DEMO_STAFF.1
    ))?;
    line(format_args!(
        "sign in as admin:  {} / {}",
        DEMO_ADMIN.0, DEMO_ADMIN.1
    ))?;
    line("portal e-correspondent: set up (https://portal.example.org/signin)")?;
    line(format_args!(
        "try: portal-admin --db {} patients search smith",
        path.display()
    ))?;
    Ok(0)
}
