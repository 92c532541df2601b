//! The command line: a thin client of the services, for scripts and for
//! administrators. Every command maps its errors to the exit codes in
//! `docs/cli.md`.

mod secrets;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::clock::SystemClock;
use crate::config::Config;
use crate::domain::text::printable;
use crate::domain::{AuditEvent, Role};
use crate::error::{Error, Result};
use crate::format_time;
use crate::services::{
    AccountView, DEMO_ADMIN, DEMO_STAFF, ImportProgress, Portal, Session, SignIn,
};
use secrets::SecretSource;

const AFTER_HELP: &str = "\
Exit codes: 0 success, 1 other error, 2 usage, 3 wrong credentials, 4 operator locked out,
5 temporary password expired, 6 password policy rejected, 7 not found,
8 portal e-correspondent not set up, 9 changed by someone else (retry), 10 permission denied.

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
    Demo {
        /// Number of synthetic patients.
        #[arg(long, default_value_t = 3000)]
        patients: usize,
        /// Delete an existing demo database and seed a new one.
        #[arg(long)]
        fresh: bool,
        /// Print the summary and exit instead of opening the app.
        #[arg(long)]
        no_tui: bool,
    },
    /// Operators: the people who use this app.
    #[command(subcommand)]
    Operator(OperatorCmd),
    /// Practice set-up.
    #[command(subcommand)]
    Setup(SetupCmd),
    /// Import patients from CSV (header: account_number,last_name,first_name,date_of_birth,email).
    Import {
        file: PathBuf,
        /// Check every row and report what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Patient lookup.
    #[command(subcommand)]
    Patients(PatientsCmd),
    /// Portal accounts: show, Create/Validate, Control Panel actions.
    #[command(subcommand)]
    Account(AccountCmd),
    /// Sign in as the account holder (the portal side), changing the password when required.
    Signin {
        #[arg(long)]
        email: String,
        /// Read the password (then, when a change is required, the new one twice) from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Write a consistent copy of the database to FILE while others keep working.
    Backup { file: PathBuf },
}

#[derive(Debug, Subcommand)]
enum OperatorCmd {
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

#[derive(Debug, Subcommand)]
enum SetupCmd {
    /// Set up the OP Patient Portal e-correspondent (needed before the first Create/Validate).
    Portal {
        /// Where account holders sign in.
        #[arg(long)]
        url: String,
        #[arg(long)]
        practice_id: String,
        /// The practice's name (passwords built from it are refused).
        #[arg(long)]
        practice_name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum PatientsCmd {
    /// Search by name prefix, "last, first", account number, date of birth or email prefix.
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
struct OperatorArgs {
    /// The operator acting (their password is asked).
    #[arg(long, env = "PORTAL_ADMIN_OPERATOR")]
    operator: String,
    /// Read secrets from standard input, one per line: the operator's password first.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Subcommand)]
enum AccountCmd {
    /// Show a portal account (never its hash).
    Show {
        #[arg(long, conflicts_with = "email", required_unless_present = "email")]
        patient: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Create/Validate: create the patient's portal account or reset its password, printing the temporary login.
    Reset {
        #[arg(long)]
        patient: String,
        /// The account holder's email, for a patient who has none on file.
        #[arg(long)]
        email: Option<String>,
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

#[derive(Debug, Subcommand)]
enum AuditCmd {
    /// List audit events, oldest first.
    List {
        #[arg(long)]
        json: bool,
        /// Only events after this sequence number.
        #[arg(long, default_value_t = 0)]
        after: u64,
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
    /// Check the hash chain: detects edited, inserted or removed events.
    Verify,
}

fn parse_role(s: &str) -> std::result::Result<Role, String> {
    s.parse()
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
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("portal-admin: {}", printable(&e.to_string()));
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
        Portal::open(&self.db_path(), self.config.clone(), Arc::new(SystemClock))
    }
}

fn run(cli: Cli) -> Result<i32> {
    let (config, _source) = Config::load(cli.config.as_deref())?;
    let (_guard, warning) = crate::logging::init(&config.log);
    if let Some(w) = warning {
        eprintln!("portal-admin: {}", printable(&w));
    }
    let ctx = Ctx {
        config,
        db: cli.db,
        mono: cli.mono,
    };
    let Some(command) = cli.command else {
        return open_app(&ctx, ctx.open()?);
    };
    match command {
        Command::Init => {
            let path = ctx.db_path();
            Portal::create(&path, ctx.config.clone(), Arc::new(SystemClock))?;
            println!("created {}", path.display());
            println!(
                "next: `portal-admin setup portal --url URL --practice-id ID`, `portal-admin operator add NAME --role admin`, `portal-admin import FILE.csv`"
            );
            Ok(0)
        }
        Command::Demo {
            patients,
            fresh,
            no_tui,
        } => demo(&ctx, patients, fresh, no_tui),
        Command::Operator(OperatorCmd::Add {
            name,
            role,
            password_stdin,
        }) => {
            let portal = ctx.open()?;
            let mut src = SecretSource::new(password_stdin);
            let pw = src.read(&format!("New password for operator {}: ", printable(&name)))?;
            let confirm = src.read("Same password again: ")?;
            portal.add_operator(&Portal::local_admin(), &name, role, &pw, &confirm)?;
            println!(
                "operator {} added (role {})",
                printable(&name.trim().to_ascii_lowercase()),
                role.as_str()
            );
            Ok(0)
        }
        Command::Operator(OperatorCmd::List) => {
            let portal = ctx.open()?;
            let now = portal.now();
            for op in portal.operators()? {
                let state = match op.locked_until {
                    Some(t) if t > now => format!("locked until {}", format_time(t)),
                    _ => "active".into(),
                };
                let last = op
                    .last_sign_in
                    .map(format_time)
                    .unwrap_or_else(|| "never".into());
                println!(
                    "{}\t{}\t{}\tlast sign-in: {}",
                    op.username,
                    op.role.as_str(),
                    state,
                    last
                );
            }
            Ok(0)
        }
        Command::Setup(SetupCmd::Portal {
            url,
            practice_id,
            practice_name,
        }) => {
            let portal = ctx.open()?;
            let setup = portal.setup_portal(
                &Portal::local_admin(),
                &url,
                &practice_id,
                practice_name.as_deref(),
            )?;
            println!(
                "portal e-correspondent set up: sign-in URL {}, practice id {}",
                setup.sign_in_url, setup.practice_id
            );
            Ok(0)
        }
        Command::Import { file, dry_run } => import(&ctx, &file, dry_run),
        Command::Patients(PatientsCmd::Search { query, limit, json }) => {
            let portal = ctx.open()?;
            let page = portal.search_patients(&query, None, limit)?;
            let mut out = std::io::stdout().lock();
            if json {
                let rows: Vec<_> = page
                    .items
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "account_number": r.patient.account_number,
                            "last_name": r.patient.last_name,
                            "first_name": r.patient.first_name,
                            "date_of_birth": r.patient.date_of_birth.to_string(),
                            "email": r.patient.email,
                            "portal_account": r.account_id,
                        })
                    })
                    .collect();
                let _ = writeln!(out, "{}", serde_json::Value::Array(rows));
            } else {
                for r in &page.items {
                    let p = &r.patient;
                    let _ = writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}",
                        p.account_number,
                        printable(&p.display_name()),
                        p.date_of_birth,
                        p.email.as_ref().map(|e| e.as_str()).unwrap_or("-"),
                        if r.account_id.is_some() {
                            "portal"
                        } else {
                            "no portal"
                        }
                    );
                }
            }
            if page.items.is_empty() && !json {
                eprintln!("no patient matches \"{}\"", printable(&query));
            }
            Ok(0)
        }
        Command::Account(cmd) => account(&ctx, cmd),
        Command::Signin {
            email,
            password_stdin,
        } => signin(&ctx, &email, password_stdin),
        Command::Audit(AuditCmd::List { json, after, limit }) => {
            let portal = ctx.open()?;
            let mut out = std::io::stdout().lock();
            for ev in portal.audit_list(after, limit)? {
                if json {
                    let _ = writeln!(out, "{}", serde_json::to_string(&ev).unwrap_or_default());
                } else {
                    let _ = writeln!(out, "{}", audit_line(&ev));
                }
            }
            Ok(0)
        }
        Command::Backup { file } => {
            let portal = ctx.open()?;
            let report = portal.backup(&Portal::local_admin(), &file)?;
            println!(
                "backup written to {}: {} rows, {} bytes",
                file.display(),
                report.rows,
                report.bytes
            );
            println!(
                "check it with: portal-admin --db {} audit verify",
                file.display()
            );
            Ok(0)
        }
        Command::Audit(AuditCmd::Verify) => {
            let portal = ctx.open()?;
            let report = portal.audit_verify()?;
            match report.problem {
                None => {
                    println!(
                        "audit trail intact: {} events, last hash {}",
                        report.events, report.head
                    );
                    Ok(0)
                }
                Some(problem) => {
                    eprintln!(
                        "portal-admin: audit trail broken: {problem} ({} events verified before it)",
                        report.events
                    );
                    Ok(1)
                }
            }
        }
    }
}

/// The full-screen app, after checking there is someone to sign in.
fn open_app(ctx: &Ctx, portal: Portal) -> Result<i32> {
    if let Some(why) = crate::tui::refuse_reason() {
        return Err(Error::Invalid(why));
    }
    if portal.store().read()?.counts()?.operators == 0 {
        return Err(Error::NotFound(format!(
            "{} has no operators yet: run `portal-admin operator add NAME --role admin` first",
            portal.path().display()
        )));
    }
    crate::tui::run(portal, &ctx.config, ctx.mono)
}

fn audit_line(ev: &AuditEvent) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        ev.seq,
        format_time(ev.at),
        printable(&ev.actor),
        ev.action.as_str(),
        printable(&ev.target),
        printable(&ev.outcome)
    )
}

fn sign_in_operator(portal: &Portal, op: &OperatorArgs) -> Result<(Session, SecretSource)> {
    let mut src = SecretSource::new(op.password_stdin);
    let pw = src.read(&format!(
        "Password for operator {}: ",
        printable(&op.operator)
    ))?;
    let session = portal.operator_sign_in(&op.operator, &pw)?;
    Ok((session, src))
}

fn account(ctx: &Ctx, cmd: AccountCmd) -> Result<i32> {
    let portal = ctx.open()?;
    match cmd {
        AccountCmd::Show {
            patient,
            email,
            json,
        } => {
            if let Some(no) = patient {
                let view = portal.patient_view(&no)?;
                if json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&view)
                            .map_err(|e| Error::Internal(e.to_string()))?
                    );
                    return Ok(0);
                }
                let p = &view.patient;
                println!(
                    "patient: {} {}",
                    p.account_number,
                    printable(&p.display_name())
                );
                println!("date of birth: {}", p.date_of_birth);
                println!(
                    "e-correspondent: {}",
                    p.email.as_ref().map(|e| e.as_str()).unwrap_or("(none)")
                );
                match &view.account {
                    Some(acc) => print_account(acc),
                    None => println!("portal account: NO PORTAL ACCOUNT"),
                }
                for s in &view.siblings {
                    println!(
                        "sibling: {} {}",
                        s.account_number,
                        printable(&s.display_name())
                    );
                }
            } else if let Some(email) = email {
                let acc = portal.account_by_email(&email)?;
                if json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&acc)
                            .map_err(|e| Error::Internal(e.to_string()))?
                    );
                } else {
                    print_account(&acc);
                }
            }
            Ok(0)
        }
        AccountCmd::Reset { patient, email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let login = portal.create_validate(&session, &patient, email.as_deref(), None)?;
            println!("username: {}", login.username);
            println!("temporary password: {}", login.password.expose());
            println!("expires: {}", format_time(login.expires_at));
            println!("sign-in URL: {}", printable(&login.sign_in_url));
            eprintln!(
                "No email was sent: read this login to the account holder. They must choose a new password at first sign-in."
            );
            Ok(0)
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
            println!(
                "password set for {}; password reset required: {}",
                acc.email,
                if acc.reset_required { "yes" } else { "no" }
            );
            Ok(0)
        }
        AccountCmd::Unlock { email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let acc = portal.unlock(&session, &email, None)?;
            println!("unlocked {}", acc.email);
            Ok(0)
        }
        AccountCmd::Disable { email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let acc = portal.set_disabled(&session, &email, true, None)?;
            println!("disabled {}", acc.email);
            Ok(0)
        }
        AccountCmd::Enable { email, op } => {
            let (session, _) = sign_in_operator(&portal, &op)?;
            let acc = portal.set_disabled(&session, &email, false, None)?;
            println!("enabled {}", acc.email);
            Ok(0)
        }
    }
}

fn print_account(acc: &AccountView) {
    let label = if acc.reset_required && acc.temp_expired {
        format!(
            "{} (RESET REQUIRED, temporary password EXPIRED)",
            acc.status.label()
        )
    } else if acc.reset_required {
        format!("{} (RESET REQUIRED)", acc.status.label())
    } else {
        acc.status.label().to_owned()
    };
    println!("portal account: {} (id {})", acc.email, acc.id);
    println!("status: {label}");
    println!(
        "password reset required: {}",
        if acc.reset_required { "yes" } else { "no" }
    );
    if let Some(t) = acc.temp_expires_at {
        println!(
            "temporary password expires: {}{}",
            format_time(t),
            if acc.temp_expired { " (expired)" } else { "" }
        );
    }
    if let Some(t) = acc.locked_until {
        println!("locked until: {}", format_time(t));
    }
    println!("failed sign-ins: {}", acc.failed_count);
    println!(
        "last sign-in: {}",
        acc.last_sign_in
            .map(format_time)
            .unwrap_or_else(|| "never".into())
    );
    println!("patients: {}", acc.patients.join(", "));
    println!(
        "password hash: {}{}",
        acc.hash_params,
        if acc.hash_current {
            ""
        } else {
            " (old parameters; re-hashed at next sign-in)"
        }
    );
    println!("version: {}", acc.version);
}

fn signin(ctx: &Ctx, email: &str, password_stdin: bool) -> Result<i32> {
    let portal = ctx.open()?;
    let mut src = SecretSource::new(password_stdin);
    let pw = src.read("Password: ")?;
    match portal.holder_sign_in(email, &pw)? {
        SignIn::SignedIn => {
            println!("signed in");
            Ok(0)
        }
        SignIn::MustChangePassword => {
            eprintln!("You must choose a new password before you continue.");
            let new = src.read("New password: ")?;
            let confirm = src.read("New password again: ")?;
            portal.holder_change_password(email, &pw, &new, &confirm)?;
            println!("password changed; signed in");
            Ok(0)
        }
    }
}

fn import(ctx: &Ctx, file: &Path, dry_run: bool) -> Result<i32> {
    let portal = ctx.open()?;
    let f = std::fs::File::open(file).map_err(|e| {
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
        &Portal::local_admin(),
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
    let verb = if dry_run { "would import" } else { "imported" };
    println!(
        "{verb} {} rows: {} new, {} updated, {} unchanged",
        report.rows, report.created, report.updated, report.unchanged
    );
    Ok(0)
}

/// A progress bar on the terminal for long imports and demo seeding.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new(show: bool) -> Bar {
        Bar(show.then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(
                indicatif::ProgressStyle::with_template("{msg:10} [{bar:40}] {percent:>3}% {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b
        }))
    }

    fn set(&self, msg: &'static str, done: u64, total: u64) {
        if let Some(b) = &self.0 {
            b.set_message(msg);
            b.set_length(total);
            b.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl ImportProgress for Bar {
    fn reading(&mut self, done: u64, total: u64) {
        self.set("checking", done, total);
    }
    fn writing(&mut self, done: u64, total: u64) {
        self.set("writing", done, total);
    }
}

fn demo(ctx: &Ctx, patients: usize, fresh: bool, no_tui: bool) -> Result<i32> {
    if patients == 0 || patients > 5_000_000 {
        return Err(Error::Invalid(
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
        if !existing.store().read()?.is_demo()? {
            return Err(Error::Invalid(format!(
                "{} is not a demo database; the demo never touches real data (choose another --db)",
                path.display()
            )));
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
        let seeded = portal.seed_demo(&Portal::local_admin(), patients, &mut |d, t| {
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
    let counts = portal.store().read()?.counts()?;
    if !no_tui && crate::tui::refuse_reason().is_none() {
        return open_app(ctx, portal);
    }
    println!("demo database: {}", path.display());
    println!(
        "patients: {}, portal accounts: {}",
        counts.patients, counts.accounts
    );
    println!("sign in as staff:  {} / {}", DEMO_STAFF.0, DEMO_STAFF.1);
    println!("sign in as admin:  {} / {}", DEMO_ADMIN.0, DEMO_ADMIN.1);
    println!("portal e-correspondent: set up (https://portal.example.org/signin)");
    println!(
        "try: portal-admin --db {} patients search smith",
        path.display()
    );
    Ok(0)
}
