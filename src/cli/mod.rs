//! The command line: a thin client of the services, for scripts and for
//! administrators. This file parses the command and hands it to the module
//! of its family; every error maps to the exit codes in `docs/cli.md`.

mod account;
mod audit;
mod backup;
mod demo;
mod errors;
mod guardian;
mod import;
mod notify;
mod operator;
mod output;
mod patients;
mod progress;
mod secrets;
mod setup;
mod signin;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::clock::SystemClock;
use crate::config::Config;
use crate::domain::text::printable;
use crate::error::{Error, Missing, Result};
use crate::services::{Portal, Session};
use secrets::SecretSource;

const AFTER_HELP: &str = "\
Exit codes: 0 success, 1 other error, 2 usage, 3 wrong credentials, 4 operator locked out,
5 temporary password expired, 6 password policy rejected, 7 not found,
8 portal e-correspondent not set up, 9 changed by someone else (retry), 10 permission denied,
11 patients search stopped reading before the end (more may match; --read-all reads on).

Files: the database defaults to $XDG_DATA_HOME/portal-admin/portal.redb (the demo's to demo.redb),
the config to $XDG_CONFIG_HOME/portal-admin/config.toml (or $PORTAL_ADMIN_CONFIG), and the log to
$XDG_STATE_HOME/portal-admin/portal-admin.log.";

#[derive(Debug, Parser)]
#[command(
    name = "portal-admin",
    version,
    about = "Look up patients, see their patient-portal accounts and reset portal passwords safely.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Database file.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Configuration file (TOML).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Monochrome full-screen app (also NO_COLOR or ui.mono).
    #[arg(long, global = true)]
    mono: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create an empty database.
    Init,
    /// Create (if absent) a demo database with synthetic patients and open it.
    Demo(demo::DemoArgs),
    /// Operators: the people who use this app.
    #[command(subcommand)]
    Operator(operator::OperatorCmd),
    /// Practice set-up.
    #[command(subcommand)]
    Setup(setup::SetupCmd),
    /// Import patients from CSV (header: account_number,last_name,first_name,date_of_birth,email).
    Import(import::ImportArgs),
    /// Patient lookup.
    #[command(subcommand)]
    Patients(patients::PatientsCmd),
    /// Portal accounts: show, Create/Validate, Control Panel actions.
    #[command(subcommand)]
    Account(account::AccountCmd),
    /// A patient's guardians, each with their own portal account: add, remove, list.
    #[command(subcommand)]
    Guardian(guardian::GuardianCmd),
    /// Sign in as the account holder (the portal side), changing the password when required.
    Signin(signin::SigninArgs),
    /// The audit trail.
    #[command(subcommand)]
    Audit(audit::AuditCmd),
    /// Notices to account holders: status, and sending what is queued.
    #[command(subcommand)]
    Notify(notify::NotifyCmd),
    /// Write a consistent copy of the database to FILE while others keep working.
    Backup(backup::BackupArgs),
}

/// The operator acting, for commands that need a sign-in. Never taken from
/// the environment: who acts is who signs in.
#[derive(Debug, Args)]
struct OperatorArgs {
    /// The operator acting (their password is asked).
    #[arg(long)]
    operator: String,
    /// Read secrets from standard input, one per line: the operator's password first.
    #[arg(long)]
    password_stdin: bool,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return code;
        }
    };
    // A panic (a bug, or a library tripping over a damaged file) still ends
    // in one line and exit 1, never a backtrace: the hook keeps the message.
    static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(panic = what.as_str(), "stopped on an unexpected condition");
        if let Ok(mut slot) = PANIC.lock() {
            *slot = Some(what);
        }
    }));
    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli)));
    let Ok(answer) = answer else {
        let what = PANIC
            .lock()
            .ok()
            .and_then(|mut s| s.take())
            .unwrap_or_default();
        eprintln!(
            "portal-admin: internal error: stopped on an unexpected condition ({}); if the database file is damaged, restore it from a backup",
            printable(&what)
        );
        return 1;
    };
    match answer {
        Ok(code) => code,
        // The reader of our output went away: nothing more to say to it.
        Err(Error::OutputClosed) => 0,
        Err(e) => {
            eprintln!("portal-admin: {}", errors::message(&e));
            e.exit_code()
        }
    }
}

struct Ctx {
    config: Config,
    db: Option<PathBuf>,
    mono: bool,
}

impl Ctx {
    fn db_path(&self) -> PathBuf {
        self.db
            .clone()
            .or_else(|| self.config.database.path.clone())
            .unwrap_or_else(crate::config::default_database_path)
    }

    fn open(&self) -> Result<Portal> {
        Portal::open(&self.db_path(), self.config.clone(), Arc::new(SystemClock)).inspect(|p| {
            warn(p.file_warnings());
            // Always, on a terminal or not: a script or cron job that
            // upgraded the file says so where its output is kept.
            for n in p.open_notices() {
                eprintln!("portal-admin: {}", printable(&n));
            }
        })
    }
}

fn run(cli: Cli) -> Result<i32> {
    let (config, source) = Config::load(cli.config.as_deref())?;
    let (_guard, warning) = crate::logging::init(&config.log);
    if let Some(w) = warning {
        eprintln!("portal-admin: {}", printable(&w));
    }
    warn(&crate::files::startup_notices(&config, source.as_deref()));
    let ctx = Ctx {
        config,
        db: cli.db,
        mono: cli.mono,
    };
    let Some(command) = cli.command else {
        return open_app(&ctx, ctx.open()?);
    };
    match command {
        Command::Init => setup::init(&ctx),
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Operator(cmd) => operator::run(&ctx, cmd),
        Command::Setup(cmd) => setup::run(&ctx, cmd),
        Command::Import(args) => import::run(&ctx, args),
        Command::Patients(cmd) => patients::run(&ctx, cmd),
        Command::Account(cmd) => account::run(&ctx, cmd),
        Command::Guardian(cmd) => guardian::run(&ctx, cmd),
        Command::Signin(args) => signin::run(&ctx, args),
        Command::Audit(cmd) => audit::run(&ctx, cmd),
        Command::Notify(cmd) => notify::run(&ctx, cmd),
        Command::Backup(args) => backup::run(&ctx, args),
    }
}

/// Warnings on standard error, one line each, before the command's output.
fn warn(notices: &[String]) {
    for n in notices {
        eprintln!("portal-admin: warning: {}", printable(n));
    }
}

/// The full-screen app, after checking there is someone to sign in.
fn open_app(ctx: &Ctx, portal: Portal) -> Result<i32> {
    // Like a config error: a TZ that names no zone is refused, never shown
    // as if UTC were the practice's time.
    crate::present::LocalTime::new(&ctx.config.ui)?;
    if let Some(why) = crate::tui::refuse_reason() {
        return Err(Error::Usage(why));
    }
    if portal.practice()?.operators == 0 {
        return Err(Missing::Operators {
            path: portal.path().to_owned(),
        }
        .into());
    }
    crate::tui::run(portal, &ctx.config, ctx.mono)
}

/// Signs the acting operator in with the first secret of `--password-stdin`
/// (or a prompt); the same source then gives the command's other secrets.
/// An operator whose password an administrator reset chooses their own
/// first (the next two secrets).
fn sign_in_operator(portal: &Portal, op: &OperatorArgs) -> Result<(Session, SecretSource)> {
    sign_in(portal, &op.operator, op.password_stdin)
}

fn sign_in(portal: &Portal, name: &str, password_stdin: bool) -> Result<(Session, SecretSource)> {
    let mut src = SecretSource::new(password_stdin);
    let pw = src.read(&format!("Password for operator {}: ", printable(name)))?;
    match portal.operator_sign_in(name, &pw) {
        Err(Error::MustChangePassword { name }) => {
            eprintln!(
                "Operator {name}: an administrator set this password; choose your own before you continue."
            );
            let new = src.read("Your new password: ")?;
            let confirm = src.read("Same password again: ")?;
            let session = portal.operator_change_password(&name, &pw, &new, &confirm)?;
            eprintln!("Password changed for operator {name}.");
            Ok((session, src))
        }
        answer => Ok((answer?, src)),
    }
}
