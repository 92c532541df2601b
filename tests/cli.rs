//! The real binary, as an administrator and the front desk use it.

mod common;

use std::io::Write;

use common::*;

const NEW_PW: &str = "tangerine-bicycle-glacier-88";

#[test]
fn op_method_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();

    let found = bin.ok(&["patients", "search", "garcia"], "");
    let lines: Vec<&str> = found.lines().collect();
    assert_eq!(lines.len(), 2, "{found}");
    assert!(
        lines[0].starts_with(
            "100001\tGarcía-López, José\t2019-03-07\tmaria.garcia@example.com\tno portal"
        ),
        "{found}"
    );
    for q in [
        "garcia lopez, jose",
        "GARCIA-LÓPEZ, JOSÉ",
        "obrien",
        "o'brien",
        "García-L",
        "garcia lopez, so",
        "03/15/2021",
        "2021-03-15",
        "100002",
        "maria.g",
    ] {
        let out = bin.ok(&["patients", "search", q], "");
        assert!(!out.is_empty(), "{q} found nothing");
    }

    let (user, temp, expires) = bin.reset("100005");
    assert_eq!(user, "smith.family@example.net");
    assert_eq!(temp.len(), 19, "XXXX-XXXX-XXXX-XXXX: {temp}");
    assert!(
        time::OffsetDateTime::parse(&expires, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "{expires}"
    );

    let show = bin.ok(&["account", "show", "--patient", "100005"], "");
    assert!(show.contains("status: ACTIVE · RESET REQUIRED"), "{show}");

    // The account holder signs in and must choose a new password.
    let out = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{temp}\n{NEW_PW}\n{NEW_PW}\n"),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("password changed; signed in"));
    // The temporary password works once.
    let again = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{temp}\n"),
    );
    assert_eq!(again.code, 3, "{}", again.stderr);
    assert!(again.stderr.contains("wrong email or password"));
    assert_eq!(
        bin.run(
            &["signin", "--email", &user, "--password-stdin"],
            &format!("{NEW_PW}\n")
        )
        .code,
        0
    );

    let json = bin.ok(&["account", "show", "--email", &user, "--json"], "");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["reset_required"], false);
    assert_eq!(v["hash_params"], "argon2id m=19456,t=2,p=1");
    assert!(!json.contains("$argon2"), "never the hash itself");

    let verify = bin.ok(&["audit", "verify"], "");
    assert!(verify.starts_with("audit trail intact:"), "{verify}");
    let audit = bin.ok(&["audit", "list"], "");
    assert!(audit.contains("operator:sam\taccount_created"), "{audit}");
}

#[test]
fn control_panel_method_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let (user, _, _) = bin.reset("100003");
    let pw = "velvet-compass-sparrow-31";

    // Staff are refused.
    let denied = bin.run(
        &[
            "account",
            "set-password",
            "--email",
            &user,
            "--operator",
            "sam",
            "--password-stdin",
        ],
        &format!("{STAFF_PW}\n{pw}\n{pw}\n"),
    );
    assert_eq!(denied.code, 10, "{}", denied.stderr);
    // A mismatch, a weak password.
    let mismatch = bin.run(
        &[
            "account",
            "set-password",
            "--email",
            &user,
            "--operator",
            "ana",
            "--password-stdin",
        ],
        &format!("{ADMIN_PW}\n{pw}\nsomething else\n"),
    );
    assert_eq!(mismatch.code, 6);
    assert!(
        mismatch.stderr.contains("not the same"),
        "{}",
        mismatch.stderr
    );
    // With "Password Reset Required".
    let out = bin.ok(
        &[
            "account",
            "set-password",
            "--email",
            &user,
            "--operator",
            "ana",
            "--password-stdin",
        ],
        &format!("{ADMIN_PW}\n{pw}\n{pw}\n"),
    );
    assert!(out.contains("password reset required: yes"), "{out}");
    let must = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{pw}\n"),
    );
    assert_ne!(
        must.code, 0,
        "a change is required, and standard input has no new password"
    );
    assert!(
        must.stderr.contains("must choose a new password"),
        "{}",
        must.stderr
    );
    // Without it.
    let out = bin.ok(
        &[
            "account",
            "set-password",
            "--email",
            &user,
            "--no-reset-required",
            "--operator",
            "ana",
            "--password-stdin",
        ],
        &format!("{ADMIN_PW}\n{NEW_PW}\n{NEW_PW}\n"),
    );
    assert!(out.contains("password reset required: no"), "{out}");
    assert_eq!(
        bin.run(
            &["signin", "--email", &user, "--password-stdin"],
            &format!("{NEW_PW}\n")
        )
        .code,
        0
    );

    // Lock by failures, then unlock.
    for _ in 0..5 {
        assert_eq!(
            bin.run(
                &["signin", "--email", &user, "--password-stdin"],
                "wrong guess\n"
            )
            .code,
            3
        );
    }
    let locked = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{NEW_PW}\n"),
    );
    assert_eq!(locked.code, 3, "locked looks like wrong credentials");
    assert!(
        bin.ok(&["account", "show", "--email", &user], "")
            .contains("status: LOCKED")
    );
    bin.ok(
        &[
            "account",
            "unlock",
            "--email",
            &user,
            "--operator",
            "ana",
            "--password-stdin",
        ],
        &format!("{ADMIN_PW}\n"),
    );
    assert_eq!(
        bin.run(
            &["signin", "--email", &user, "--password-stdin"],
            &format!("{NEW_PW}\n")
        )
        .code,
        0
    );
}

#[test]
fn exit_codes_and_one_line_errors() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let missing = bin.run(&["patients", "search", "x"], "");
    assert_eq!(missing.code, 7);
    assert!(
        missing.stderr.contains("portal-admin init"),
        "{}",
        missing.stderr
    );
    assert!(
        !bin.db().exists(),
        "a missing database is never created silently"
    );

    bin.ok(&["init"], "");
    assert_eq!(bin.run(&["init"], "").code, 1, "init never overwrites");
    bin.ok(
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
    bin.admin(
        &["operator", "add", "sam", "--role", "staff"],
        &format!("{STAFF_PW}\n{STAFF_PW}\n"),
    );
    let csv = home.path().join("p.csv");
    std::fs::write(&csv, PATIENTS_CSV).unwrap();
    bin.admin(&["import", csv.to_str().unwrap()], "");
    let not_set_up = bin.run(
        &[
            "account",
            "reset",
            "--patient",
            "100001",
            "--operator",
            "sam",
            "--password-stdin",
        ],
        &format!("{STAFF_PW}\n"),
    );
    assert_eq!(not_set_up.code, 8, "{}", not_set_up.stderr);
    assert!(not_set_up.stderr.contains("setup portal"));
    let wrong_op = bin.run(
        &[
            "account",
            "reset",
            "--patient",
            "100001",
            "--operator",
            "sam",
            "--password-stdin",
        ],
        "not my password\n",
    );
    assert_eq!(wrong_op.code, 3);
    assert_eq!(
        bin.run(&["account", "show", "--email", "nobody@example.com"], "")
            .code,
        7
    );
    assert_eq!(
        bin.run(&["account", "show", "--email", "not-an-email"], "")
            .code,
        2
    );
    assert_eq!(bin.run(&["frobnicate"], "").code, 2);
    let weak = bin.admin_run(
        &["operator", "add", "lee", "--role", "staff"],
        "password1234\npassword1234\n",
    );
    assert_eq!(weak.code, 6);
    assert!(weak.stderr.contains("too easy to guess"), "{}", weak.stderr);
    for o in [&missing, &not_set_up, &wrong_op, &weak] {
        assert_eq!(
            o.stderr.trim_end().lines().count(),
            1,
            "one line: {}",
            o.stderr
        );
    }
}

#[test]
fn a_bad_import_is_refused_whole_with_every_line_named() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    // What the import changed, leaving out the administrator's sign-ins.
    let changes = || {
        bin.ok(&["audit", "list"], "")
            .lines()
            .filter(|l| !l.contains("\toperator_sign_in\t"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let before = changes();
    let bad = home.path().join("bad.csv");
    std::fs::write(
        &bad,
        "account_number,last_name,first_name,date_of_birth,email\n\
         200001,Good,Row,2019-01-01,good@example.com\n\
         200002,Bad,Date,2019-02-30,\n\
         200003,Esc\u{1b}[2J,Name,2019-01-01,\n\
         200001,Dup,Licate,2019-01-01,\n\
         200004,No,Email,2019-01-01,not-an-email\n\
         200005,Short,Row\n\
         200006,Future,Kid,2099-01-01,\n",
    )
    .unwrap();
    let out = bin.admin_run(&["import", bad.to_str().unwrap()], "");
    assert_eq!(out.code, 1);
    let err = &out.stderr;
    for (line, what) in [
        (3, "date_of_birth"),
        (4, "control"),
        (5, "also on line 2"),
        (6, "email"),
        (7, "expected 5 fields"),
        (8, "future"),
    ] {
        let needle = format!("bad.csv:{line}: ");
        let l = err
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap_or_else(|| panic!("no {needle} in {err}"));
        assert!(l.contains(what), "{l}");
    }
    assert!(
        !err.contains('\u{1b}'),
        "no raw escape reaches the terminal"
    );
    assert!(err.contains("nothing was imported"));
    assert_eq!(changes(), before, "the database is as it was");
    assert_eq!(bin.run(&["patients", "search", "200001"], "").stdout, "");

    // A dry run writes nothing; a re-import updates by account number.
    let update = home.path().join("update.csv");
    std::fs::write(&update, "account_number,last_name,first_name,date_of_birth,email\n100005,Smith-Jones,Olivia,2018-07-04,smith.family@example.net\n200001,New,Kid,2024-05-05,\n").unwrap();
    let dry = bin.admin(&["import", "--dry-run", update.to_str().unwrap()], "");
    assert_eq!(
        dry.trim(),
        "would import 2 rows: 1 new, 1 updated, 0 unchanged"
    );
    assert_eq!(changes(), before);
    let done = bin.admin(&["import", update.to_str().unwrap()], "");
    assert_eq!(
        done.trim(),
        "imported 2 rows: 1 new, 1 updated, 0 unchanged"
    );
    assert!(
        bin.ok(&["patients", "search", "smith-j"], "")
            .starts_with("100005\tSmith-Jones, Olivia")
    );
    let smiths = bin.ok(&["patients", "search", "smith,"], "");
    assert_eq!(
        smiths.lines().count(),
        1,
        "the old name is no longer indexed: {smiths}"
    );
    assert!(
        smiths.starts_with("100005\tSmith-Jones, Olivia"),
        "{smiths}"
    );
}

#[test]
fn broken_config_and_database_files_get_clear_errors() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    std::fs::write(
        home.path().join("config.toml"),
        "[policy]\nmin_lenght = 14\n",
    )
    .unwrap();
    let out = bin.run(&["init"], "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("min_lenght") && out.stderr.contains("line 2"),
        "{}",
        out.stderr
    );
    std::fs::write(home.path().join("config.toml"), [0xff, 0xfe, 0x00]).unwrap();
    let out = bin.run(&["init"], "");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("not UTF-8"), "{}", out.stderr);
    std::fs::remove_file(home.path().join("config.toml")).unwrap();
    let bin = Bin::new(home.path());

    // Not a database at all.
    std::fs::write(bin.db(), b"this is a spreadsheet, honest\n".repeat(200)).unwrap();
    let out = bin.run(&["patients", "search", "x"], "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("is not a portal-admin database"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));

    // A truncated database.
    std::fs::remove_file(bin.db()).unwrap();
    bin.practice();
    let bytes = std::fs::read(bin.db()).unwrap();
    for cut in [0, 100, 4096, bytes.len() / 2] {
        std::fs::write(bin.db(), &bytes[..cut]).unwrap();
        let out = bin.run(&["patients", "search", "x"], "");
        assert_ne!(out.code, 0, "cut at {cut}");
        assert!(
            !out.stderr.contains("panicked"),
            "cut at {cut}: {}",
            out.stderr
        );
        assert_eq!(
            out.stderr.trim_end().lines().count(),
            1,
            "cut at {cut}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_database_from_a_newer_portal_admin_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.redb");
    {
        edit_file(&path, true, |tx| {
            let mut t = tx
                .open_table(redb::TableDefinition::<&str, &[u8]>::new("meta"))
                .unwrap();
            t.insert("schema_version", b"99".as_slice()).unwrap();
        });
    }
    let bin = Bin::new(dir.path());
    let out = bin.run(&["--db", path.to_str().unwrap(), "audit", "verify"], "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("newer portal-admin (schema 99"),
        "{}",
        out.stderr
    );
}

#[test]
fn audit_verify_detects_an_edited_event_in_the_file() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100005");
    bin.ok(&["audit", "verify"], "");
    // Someone with the file rewrites who did the reset, byte for byte.
    let mut bytes = std::fs::read(bin.db()).unwrap();
    let needle = b"\"actor\":\"operator:sam\",\"action\":\"account_created\"";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("event in the file");
    bytes[at + 18..at + 21].copy_from_slice(b"ana");
    std::fs::write(bin.db(), &bytes).unwrap();
    let out = bin.run(&["audit", "verify"], "");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("was altered after it was written"),
        "{}",
        out.stderr
    );
}

#[test]
fn audit_verify_detects_a_deleted_event() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100005");
    bin.reset("100005");
    {
        edit_file(&bin.db(), false, |tx| {
            let mut t = tx
                .open_table(redb::TableDefinition::<u64, &[u8]>::new("audit"))
                .unwrap();
            t.remove(6).unwrap();
        });
    }
    let out = bin.run(&["audit", "verify"], "");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("event 6 is missing"), "{}", out.stderr);
}

#[test]
fn no_plaintext_password_in_the_database_or_the_log() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let (user, temp, _) = bin.reset("100001");
    bin.ok(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{temp}\n{NEW_PW}\n{NEW_PW}\n"),
    );
    let _ = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        "my-wrong-guess-777\n",
    );
    let admin_pw = "velvet-compass-sparrow-31";
    let (user2, temp2, _) = bin.reset("100003");
    bin.ok(
        &[
            "account",
            "set-password",
            "--email",
            &user2,
            "--operator",
            "ana",
            "--password-stdin",
        ],
        &format!("{ADMIN_PW}\n{admin_pw}\n{admin_pw}\n"),
    );
    let db = std::fs::read(bin.db()).unwrap();
    let log = std::fs::read(home.path().join("portal-admin.log")).unwrap();
    assert!(log.len() > 100, "the log was written");
    let canon = temp.replace('-', "");
    let canon2 = temp2.replace('-', "");
    for pw in [
        temp.as_str(),
        canon.as_str(),
        temp2.as_str(),
        canon2.as_str(),
        NEW_PW,
        "my-wrong-guess-777",
        admin_pw,
        ADMIN_PW,
        STAFF_PW,
    ] {
        for (name, bytes) in [("database", &db), ("log", &log)] {
            assert!(
                !bytes.windows(pw.len()).any(|w| w == pw.as_bytes()),
                "{pw} found in the {name}"
            );
        }
    }
    assert!(
        !log.windows(7).any(|w| w == b"$argon2"),
        "no hash in the log"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.path().join("portal-admin.log"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the log is private: {mode:o}");
        let mode = std::fs::metadata(bin.db()).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the database is private: {mode:o}");
    }
}

#[test]
fn the_cli_works_while_another_process_has_the_database_open() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let (user, temp, _) = bin.reset("100005");
    // A sign-in that opened the database and now waits for its password.
    let mut holder = bin
        .command(&["signin", "--email", &user, "--password-stdin"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        holder.try_wait().unwrap().is_none(),
        "still waiting with the file open"
    );
    let (_, temp2, _) = bin.reset("100003");
    assert!(!temp2.is_empty());
    bin.ok(&["audit", "verify"], "");
    let mut stdin = holder.stdin.take().unwrap();
    writeln!(stdin, "{temp}\n{NEW_PW}\n{NEW_PW}").unwrap();
    drop(stdin);
    let out = holder.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn demo_seeds_a_demo_database_and_never_touches_a_real_one() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let demo_db = home.path().join("demo.redb");
    let out = bin.ok(
        &[
            "--db",
            demo_db.to_str().unwrap(),
            "demo",
            "--patients",
            "500",
            "--no-tui",
        ],
        "",
    );
    assert!(out.contains("patients: 500"), "{out}");
    assert!(out.contains("sign in as staff:  staff / "), "{out}");
    let again = bin.ok(&["--db", demo_db.to_str().unwrap(), "demo", "--no-tui"], "");
    assert!(
        again.contains("patients: 500"),
        "an existing demo is reused: {again}"
    );
    bin.practice();
    let real = bin.run(
        &["demo", "--no-tui", "--db", bin.db().to_str().unwrap()],
        "",
    );
    assert_eq!(real.code, 2, "a wrong --db is a usage error");
    assert!(
        real.stderr.contains("not a demo database"),
        "{}",
        real.stderr
    );
    // The demo operators can act.
    let staff_pw = out
        .lines()
        .find_map(|l| l.strip_prefix("sign in as staff:  staff / "))
        .unwrap();
    let found = bin.ok(
        &[
            "--db",
            demo_db.to_str().unwrap(),
            "patients",
            "search",
            "smith",
            "--limit",
            "3",
        ],
        "",
    );
    let no = found.lines().next().unwrap().split('\t').next().unwrap();
    let login = bin.ok(
        &[
            "--db",
            demo_db.to_str().unwrap(),
            "account",
            "reset",
            "--patient",
            no,
            "--identity-check",
            IDENTITY_CHECK,
            "--reset-password",
            "--operator",
            "staff",
            "--password-stdin",
        ],
        &format!("{staff_pw}\n"),
    );
    assert!(login.contains("temporary password: "), "{login}");
}

#[test]
fn the_app_refuses_without_a_terminal_in_one_line() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let out = bin.run(&[], "");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("needs a terminal"), "{}", out.stderr);
    assert_eq!(out.stderr.trim_end().lines().count(), 1);
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no escape sequence written to a pipe"
    );
}

#[test]
fn an_expired_temporary_password_exits_with_5() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let (user, temp, _) = bin.reset("100005");
    // Three days pass: move the account's expiry into the past in the file
    // (the binary reads the real clock; the services' tests move a clock).
    {
        edit_file(&bin.db(), false, |tx| {
            let mut t = tx
                .open_table(redb::TableDefinition::<u64, &[u8]>::new("accounts"))
                .unwrap();
            let stored = redb::ReadableTable::get(&t, 1)
                .unwrap()
                .unwrap()
                .value()
                .to_vec();
            let mut acc: serde_json::Value = serde_json::from_slice(&stored).unwrap();
            assert_eq!(acc["email"], user.as_str());
            acc["temp_expires_at"] = "2020-01-01T00:00:00Z".into();
            t.insert(1, serde_json::to_vec(&acc).unwrap().as_slice())
                .unwrap();
        });
    }
    let out = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{temp}\n"),
    );
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(
        out.stderr.contains("temporary password has expired"),
        "{}",
        out.stderr
    );
    let wrong = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        "ABCD-EFGH-JKMN\n",
    );
    assert_eq!(
        wrong.code, 3,
        "only the right password learns that it expired"
    );
    assert!(
        bin.ok(&["account", "show", "--email", &user], "")
            .contains("EXPIRED")
    );
}

#[test]
fn the_cli_adds_its_own_flag_to_the_libraries_sentence() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let no_email = bin.run(
        &[
            "account",
            "reset",
            "--patient",
            "100004",
            "--operator",
            "sam",
            "--password-stdin",
        ],
        &format!("{STAFF_PW}\n"),
    );
    assert_eq!(no_email.code, 2);
    assert_eq!(
        no_email.stderr.trim_end(),
        "portal-admin: patient 100004 has no e-correspondent email; give the account holder's email with --email"
    );
    let bad = bin.run(&["account", "show", "--email", "not-an-email"], "");
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.starts_with("portal-admin: --email: "),
        "{}",
        bad.stderr
    );
    let missing = bin.run(&["account", "show", "--patient", "999999"], "");
    assert_eq!(missing.code, 7);
    assert_eq!(
        missing.stderr.trim_end(),
        "portal-admin: no patient has the account number 999999"
    );
}
