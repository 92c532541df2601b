//! Shared test helpers: a real database in a temporary folder, a clock that
//! moves only when told, and the real binary run with its own XDG folders.
#![allow(dead_code)]

pub mod smtp;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use portal_admin::clock::ManualClock;
use portal_admin::config::Config;
use portal_admin::domain::Role;
use portal_admin::services::{CreateValidate, TemporaryLogin};
use portal_admin::{Portal, Secret, Session};

pub const ADMIN_PW: &str = "quiet-meadow-copper-kettle";
/// The identity check tests record (one of the default choices).
pub const IDENTITY_CHECK: &str = "in person, photo ID";
pub const STAFF_PW: &str = "lilac-orbit-walnut-harbor";

/// A small practice: Garcías with two children on one email, an O'Brien,
/// a patient without email, and a Smith.
pub const PATIENTS_CSV: &str = "\
account_number,last_name,first_name,date_of_birth,email
100001,García-López,José,2019-03-07,Maria.Garcia@Example.com
100002,García-López,Sofía,03/15/2021,maria.garcia@example.com
100003,O'Brien,Seán,2016-11-30,kathleen.obrien@example.org
100004,Nguyen,Minh,2020-01-02,
100005,Smith,Olivia,2018-07-04,smith.family@example.net
";

pub struct Practice {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub portal: Portal,
    pub admin: Session,
    pub staff: Session,
}

pub fn config_in(dir: &Path) -> Config {
    let mut c = Config::default();
    c.log.file = Some(dir.join("portal-admin.log"));
    // Screens show the practice's time; the same on every machine.
    c.ui.time_zone = Some("America/New_York".into());
    c
}

impl Practice {
    /// A database with the portal set up, one admin, one staff, and the
    /// patients of [`PATIENTS_CSV`].
    pub fn new() -> Practice {
        Self::with_config(|_| {})
    }

    pub fn with_config(tweak: impl FnOnce(&mut Config)) -> Practice {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(ManualClock::monday_morning());
        let mut config = config_in(dir.path());
        tweak(&mut config);
        let portal =
            Portal::create(&dir.path().join("portal.redb"), config, clock.clone()).expect("create");
        // As a practice starts: the file's owner adds the first
        // administrator, who signs in and does the rest.
        let admin = bootstrap_admin(&portal);
        portal
            .setup_portal(
                &admin,
                "https://portal.example.org/signin",
                "PEDS-042",
                Some("Sunshine Pediatrics"),
            )
            .expect("setup");
        portal
            .add_operator(
                &admin,
                "sam",
                Role::Staff,
                &STAFF_PW.into(),
                &STAFF_PW.into(),
            )
            .expect("staff");
        portal
            .import_patients(
                &admin,
                "patients.csv",
                PATIENTS_CSV.as_bytes(),
                0,
                false,
                &mut (),
            )
            .expect("import");
        let admin = portal
            .operator_sign_in("ana", &ADMIN_PW.into())
            .expect("admin sign-in");
        let staff = portal
            .operator_sign_in("sam", &STAFF_PW.into())
            .expect("staff sign-in");
        Practice {
            dir,
            clock,
            portal,
            admin,
            staff,
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("portal.redb")
    }

    /// Create/Validate as staff who checked the photo ID, resetting the
    /// password of an account the patient joins: always a temporary login.
    pub fn create_validate(&self, patient: &str) -> TemporaryLogin {
        create_validate(&self.portal, &self.staff, patient, None, None).expect("Create/Validate")
    }

    pub fn audit_count(&self) -> u64 {
        self.portal.practice().unwrap().audit_events
    }
}

/// The first administrator, `ana`, added by the file's owner (bootstrap)
/// and signed in.
pub fn bootstrap_admin(portal: &Portal) -> Session {
    portal
        .add_operator(
            &Portal::file_owner(),
            "ana",
            Role::Admin,
            &ADMIN_PW.into(),
            &ADMIN_PW.into(),
        )
        .expect("first administrator");
    portal
        .operator_sign_in("ana", &ADMIN_PW.into())
        .expect("admin sign-in")
}

/// The account numbers of the first page (up to 50 rows) of a search.
pub fn found_in(portal: &Portal, q: &str) -> Vec<String> {
    portal
        .search_patients(q, None, 50)
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.account_number().to_owned())
        .collect()
}

pub fn secret(s: &str) -> Secret {
    Secret::from(s)
}

/// Create/Validate as `s`, who checked the photo ID, resetting the password
/// of an account the patient joins: a temporary login every time, or the
/// refusal.
pub fn create_validate(
    portal: &Portal,
    s: &Session,
    patient: &str,
    email: Option<&str>,
    expected_version: Option<u64>,
) -> Result<TemporaryLogin, portal_admin::Error> {
    let req = CreateValidate::patient(patient)
        .email(email)
        .identity_check(Some(IDENTITY_CHECK))
        .reset_password(true)
        .expected_version(expected_version);
    portal
        .create_validate_with(s, &req)
        .map(|o| o.into_login().expect("a reset issues a temporary login"))
}

/// The real binary, with its own XDG folders and config in `home`.
pub struct Bin {
    pub home: PathBuf,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Bin {
    pub fn new(home: &Path) -> Bin {
        let cfg = home.join("config.toml");
        if !cfg.exists() {
            std::fs::write(
                &cfg,
                format!(
                    "[log]\nlevel = \"debug\"\nfile = \"{}\"\n",
                    home.join("portal-admin.log").display()
                ),
            )
            .unwrap();
        }
        Bin {
            home: home.to_owned(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.home.join("portal.redb")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_portal-admin"));
        if !args.contains(&"--db") {
            c.args(["--db", self.db().to_str().unwrap()]);
        }
        c.args(args)
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CONFIG_HOME", self.home.join("xdg-config"))
            .env("XDG_STATE_HOME", self.home.join("state"))
            .env("PORTAL_ADMIN_CONFIG", self.home.join("config.toml"))
            .env("USER", "tester")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Runs with `stdin` as standard input.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        run_command(self.command(args), stdin)
    }

    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        let o = self.run(args, stdin);
        assert_eq!(
            o.code, 0,
            "portal-admin {args:?} failed: {}{}",
            o.stdout, o.stderr
        );
        o.stdout
    }

    /// Create/Validate as the staff operator `sam`, who checked the
    /// account holder's photo ID: (username, temporary password, expires).
    pub fn reset(&self, patient: &str) -> (String, String, String) {
        let o = self.staff_reset(patient, &["--reset-password"]);
        assert_eq!(
            o.code, 0,
            "account reset --patient {patient} failed: {}{}",
            o.stdout, o.stderr
        );
        let out = o.stdout;
        (
            field(&out, "username").to_owned(),
            field(&out, "temporary password").to_owned(),
            field(&out, "expires").to_owned(),
        )
    }

    /// A practice set up through the CLI, as an administrator would: the
    /// file's owner adds the first administrator, who signs in for the rest.
    pub fn practice(&self) {
        self.ok(&["init"], "");
        self.ok(
            &[
                "operator",
                "add",
                "ana",
                "--role",
                "admin",
                "--password-stdin",
            ],
            &format!("{ADMIN_PW}\n{ADMIN_PW}\n"),
        );
        self.admin(
            &[
                "setup",
                "portal",
                "--url",
                "https://portal.example.org/signin",
                "--practice-id",
                "PEDS-042",
            ],
            "",
        );
        self.admin(
            &["operator", "add", "sam", "--role", "staff"],
            &format!("{STAFF_PW}\n{STAFF_PW}\n"),
        );
        let csv = self.home.join("patients.csv");
        std::fs::write(&csv, PATIENTS_CSV).unwrap();
        self.admin(&["import", csv.to_str().unwrap()], "");
    }

    /// Runs `args` signed in as the administrator `ana` (her password
    /// first on standard input, then `more`).
    pub fn admin_run(&self, args: &[&str], more: &str) -> Output {
        let mut all = args.to_vec();
        all.extend(["--operator", "ana", "--password-stdin"]);
        self.run(&all, &format!("{ADMIN_PW}\n{more}"))
    }

    /// Runs `args` signed in as the staff operator `sam` (his password
    /// first on standard input, then `more`).
    pub fn staff_run(&self, args: &[&str], more: &str) -> Output {
        let mut all = args.to_vec();
        all.extend(["--operator", "sam", "--password-stdin"]);
        self.run(&all, &format!("{STAFF_PW}\n{more}"))
    }

    /// `account reset` as `sam`, who checked the photo ID, with `extra`
    /// flags (`--email E`…); whatever it answers.
    pub fn staff_reset(&self, patient: &str, extra: &[&str]) -> Output {
        self.run(&staff_reset_args(patient, extra), &format!("{STAFF_PW}\n"))
    }

    /// `account reset` as the administrator `ana`, who checked the photo
    /// ID, with `extra` flags; it must succeed: its standard output.
    pub fn admin_reset(&self, patient: &str, extra: &[&str]) -> String {
        let mut args = vec!["account", "reset", "--patient", patient];
        args.extend(["--identity-check", IDENTITY_CHECK]);
        args.extend_from_slice(extra);
        self.admin(&args, "")
    }

    /// Opened on tests/fixtures/schema-1.redb (copied to [`Bin::db`]): the
    /// binary upgrades it on the first command, keeping its copy beside
    /// it, and finds everything in it (a search, the trail's 14 events and one
    /// per upgrade step: 18).
    pub fn upgrades_the_schema_1_fixture_whole(&self) {
        let out = self.ok(&["patients", "search", "jose garcia"], "");
        assert!(out.starts_with("100001\tGarcía-López, José"), "{out}");
        assert!(self.home.join("portal.redb.schema-1.bak").exists());
        let audit = self.ok(&["audit", "verify"], "");
        assert!(
            audit.starts_with("audit trail intact: 18 events"),
            "{audit}"
        );
    }

    /// [`Bin::admin_run`] that must succeed; its standard output.
    pub fn admin(&self, args: &[&str], more: &str) -> String {
        let o = self.admin_run(args, more);
        assert_eq!(
            o.code, 0,
            "portal-admin {args:?} as ana failed: {}{}",
            o.stdout, o.stderr
        );
        o.stdout
    }
}

/// `account reset` of `patient` as the staff operator `sam`, who checked
/// the photo ID, with `extra` flags; sam's password comes on standard input.
pub fn staff_reset_args<'a>(patient: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "account",
        "reset",
        "--patient",
        patient,
        "--identity-check",
        IDENTITY_CHECK,
    ];
    args.extend_from_slice(extra);
    args.extend(["--operator", "sam", "--password-stdin"]);
    args
}

/// Runs `cmd` (its standard streams piped) with `stdin` as standard input.
pub fn run_command(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd.spawn().expect("spawn portal-admin");
    // A command that ends before reading its input (a refusal) closes the
    // pipe: its exit code and message are what the test then looks at.
    match child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.unwrap(),
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Sets one field of a stored patient, as someone editing the file with
/// other tools would (no check of portal-admin's runs).
pub fn plant_patient_field(db: &Path, account_number: &str, field: &str, value: &str) {
    edit_file(db, false, |tx| {
        let mut t = tx
            .open_table(redb::TableDefinition::<&str, &[u8]>::new("patients"))
            .unwrap();
        let stored = redb::ReadableTable::get(&t, account_number)
            .unwrap()
            .unwrap()
            .value()
            .to_vec();
        let (mut p, account_id) = portal_admin::store::decode_row(&stored, account_number).unwrap();
        match field {
            "last_name" => p.last_name = value.into(),
            "first_name" => p.first_name = value.into(),
            other => panic!("plant_patient_field: no name field {other}"),
        }
        let row = portal_admin::store::encode_row(&p, account_id);
        t.insert(account_number, row.as_slice()).unwrap();
    });
}

/// The value after `label: ` on the line that starts with it.
pub fn field<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(label).and_then(|r| r.strip_prefix(": ")))
        .unwrap_or_else(|| panic!("no `{label}:` line in:\n{text}"))
}

/// Records a measured figure for the end of the CI run (`.ci/run` prints
/// every file in `target/tmp/figures/`) and shows it with `--nocapture`.
pub fn record_figure(name: &str, line: &str) {
    eprintln!("{line}");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("figures");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), format!("{line}\n"));
}

/// Edits a database file directly with redb, in one write transaction,
/// as someone with the file (and not portal-admin) would.
pub fn edit_file(path: &Path, create: bool, edit: impl FnOnce(&redb::WriteTransaction)) {
    let mut builder = redb::Database::builder();
    builder.set_concurrency_mode(redb::ConcurrencyMode::MultiWriter);
    let db = if create {
        builder.create(path)
    } else {
        builder.open(path)
    }
    .unwrap();
    let tx = db.begin_write().unwrap();
    edit(&tx);
    tx.commit().unwrap();
}

/// Appends an audit event by `sam` to the chain straight through redb, as
/// any build does (no mark moved); returns its sequence number.
pub fn append_audit_event(
    tx: &redb::WriteTransaction,
    action: portal_admin::domain::Action,
    target: String,
) -> u64 {
    use redb::{ReadableTable, TableDefinition};
    let mut meta = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    let head: serde_json::Value =
        serde_json::from_slice(meta.get("audit_head").unwrap().unwrap().value()).unwrap();
    let seq = head["seq"].as_u64().unwrap() + 1;
    let ev = portal_admin::domain::AuditEvent::new(
        seq,
        time::OffsetDateTime::now_utc(),
        portal_admin::domain::NewEvent::success("operator:sam", action, target),
        head["hash"].as_str().unwrap(),
    );
    tx.open_table(TableDefinition::<u64, &[u8]>::new("audit"))
        .unwrap()
        .insert(seq, serde_json::to_vec(&ev).unwrap().as_slice())
        .unwrap();
    let head = serde_json::json!({"seq": seq, "hash": ev.hash});
    meta.insert("audit_head", serde_json::to_vec(&head).unwrap().as_slice())
        .unwrap();
    seq
}

/// The app on the test practice's file (opened as a second handle, as a
/// second operator's process would), on `TestBackend`. Keeps the practice
/// and its folder alive as long as the app.
pub struct AppOnPractice {
    pub hs: portal_admin::tui::harness::Harness,
    pub practice: Practice,
}

impl std::ops::Deref for AppOnPractice {
    type Target = portal_admin::tui::harness::Harness;
    fn deref(&self) -> &Self::Target {
        &self.hs
    }
}

impl std::ops::DerefMut for AppOnPractice {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.hs
    }
}

impl Practice {
    /// A second handle on this practice's file, as another process has.
    pub fn open_again(&self) -> Portal {
        Portal::open(&self.db(), config_in(self.dir.path()), self.clock.clone()).expect("open")
    }

    /// The app on this practice, at the sign-in screen.
    pub fn app(self, w: u16, h: u16) -> AppOnPractice {
        let hs = portal_admin::tui::harness::Harness::new(self.open_again(), w, h);
        AppOnPractice { hs, practice: self }
    }

    /// The app on this practice, signed in as `ana` (admin) or `sam` (staff).
    pub fn app_signed_in(self, who: &str, w: u16, h: u16) -> AppOnPractice {
        let pw = if who == "ana" { ADMIN_PW } else { STAFF_PW };
        let mut app = self.app(w, h);
        app.hs.sign_in(who, pw);
        assert!(app.hs.app.session().is_some(), "{}", app.hs.screen());
        app
    }
}

/// A recording `lp` (on PATH, or named by `print.command`): writes its arguments and its standard input
/// beside itself.
pub fn recording_lp(dir: &std::path::Path) {
    let script = dir.join("lp");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{0}/argv'\ncat > '{0}/stdin'\necho 'request id is Recorded-7 (1 file(s))'\n",
            dir.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
