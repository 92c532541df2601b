//! Issue 10's command-line attacks, each through the real binary and named
//! after the attack: operators who could not be revoked (3), administrators
//! without a password and a spoofed USER (4), a closed standard output (9),
//! raw control characters in JSON (10), refusals that left no trace (11).

mod common;

use std::process::Stdio;

use common::*;

const NEW_PW: &str = "tangerine-bicycle-glacier-88";
const SAM_NEW: &str = "marble-lantern-thistle-204";

/// The audit lines (tab-separated) whose action is `action`.
fn audit_lines(bin: &Bin, action: &str) -> Vec<String> {
    let needle = format!("\t{action}\t");
    bin.ok(&["audit", "list"], "")
        .lines()
        .filter(|l| l.contains(&needle))
        .map(str::to_owned)
        .collect()
}

/// Create/Validate for patient 100005 as the staff operator `sam`.
const SAM_RESETS: [&str; 9] = [
    "account",
    "reset",
    "--patient",
    "100005",
    "--identity-check",
    IDENTITY_CHECK,
    "--operator",
    "sam",
    "--password-stdin",
];

fn sam_resets(bin: &Bin, password: &str) -> Output {
    bin.run(&SAM_RESETS, &format!("{password}\n"))
}

#[test]
fn attack_3_operators_can_be_disabled_enabled_unlocked_reset_and_removed() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();

    // Disable: sam can no longer act, and is told so once the password is right.
    let out = bin.admin(&["operator", "disable", "sam"], "");
    assert_eq!(out.trim(), "operator sam disabled");
    let refused = sam_resets(&bin, STAFF_PW);
    assert_eq!(refused.code, 10, "{}", refused.stderr);
    assert!(refused.stderr.contains("disabled"), "{}", refused.stderr);
    assert_eq!(sam_resets(&bin, "a wrong guess").code, 3);
    assert!(
        bin.ok(&["operator", "list"], "")
            .contains("sam\tstaff\tdisabled")
    );
    assert_eq!(bin.admin_run(&["operator", "disable", "sam"], "").code, 2);
    bin.admin(&["operator", "enable", "sam"], "");
    assert_eq!(sam_resets(&bin, STAFF_PW).code, 0);

    // Locked by failures, then unlocked.
    for _ in 0..5 {
        sam_resets(&bin, "another wrong guess");
    }
    assert_eq!(sam_resets(&bin, STAFF_PW).code, 4, "locked out");
    bin.admin(&["operator", "unlock", "sam"], "");
    assert_eq!(sam_resets(&bin, STAFF_PW).code, 0);
    assert_eq!(bin.admin_run(&["operator", "unlock", "sam"], "").code, 2);

    // Reset: the old password is gone; the new one works once, to choose his own.
    let out = bin.admin(
        &["operator", "reset-password", "sam"],
        &format!("{NEW_PW}\n{NEW_PW}\n"),
    );
    assert!(out.contains("must choose their own"), "{out}");
    assert_eq!(sam_resets(&bin, STAFF_PW).code, 3);
    assert!(
        bin.ok(&["operator", "list"], "")
            .contains("sam\tstaff\tactive, must choose a new password")
    );
    let only_old = sam_resets(&bin, NEW_PW);
    assert_ne!(only_old.code, 0, "no new password given: nothing done");
    assert!(
        only_old.stderr.contains("choose your own"),
        "{}",
        only_old.stderr
    );
    let changed = bin.run(&SAM_RESETS, &format!("{NEW_PW}\n{SAM_NEW}\n{SAM_NEW}\n"));
    assert_eq!(changed.code, 0, "{}", changed.stderr);
    assert!(changed.stdout.contains("temporary password: "));
    assert_eq!(
        sam_resets(&bin, NEW_PW).code,
        3,
        "the administrator's password is gone"
    );
    assert_eq!(sam_resets(&bin, SAM_NEW).code, 0);
    assert_eq!(audit_lines(&bin, "operator_password_changed").len(), 1);

    // Remove: no sign-in, the history stays, the name is not reused.
    bin.admin(&["operator", "remove", "sam"], "");
    assert_eq!(sam_resets(&bin, SAM_NEW).code, 3);
    assert!(
        bin.ok(&["operator", "list"], "")
            .contains("sam\tstaff\tremoved")
    );
    let again = bin.admin_run(
        &["operator", "add", "sam", "--role", "staff"],
        &format!("{STAFF_PW}\n{STAFF_PW}\n"),
    );
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("removed operator"),
        "{}",
        again.stderr
    );
    assert!(
        !audit_lines(&bin, "account_created").is_empty(),
        "sam's work is still there"
    );
    assert_eq!(audit_lines(&bin, "operator_removed").len(), 1);
    assert_eq!(bin.admin_run(&["operator", "enable", "sam"], "").code, 2);
    bin.ok(&["audit", "verify"], "");
    record_figure(
        "attack-03-operators-revoked",
        "attack 3, an operator who could not be revoked: disabled, enabled, unlocked, reset and removed through the binary; 0 of their old passwords or removed names still worked",
    );
}

#[test]
fn attack_3_the_last_active_administrator_stays() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    for change in ["disable", "remove"] {
        let out = bin.admin_run(&["operator", change, "ana"], "");
        assert_eq!(out.code, 2, "{change}: {}", out.stderr);
        assert!(
            out.stderr.contains("last active administrator"),
            "{}",
            out.stderr
        );
    }
    // With a second administrator, the first can go.
    bin.admin(
        &["operator", "add", "bo", "--role", "admin"],
        &format!("{NEW_PW}\n{NEW_PW}\n"),
    );
    bin.admin(&["operator", "disable", "ana"], "");
    let list = bin.ok(&["operator", "list"], "");
    assert!(list.contains("ana\tadmin\tdisabled"), "{list}");
    let bo_alone = bin.run(
        &[
            "operator",
            "remove",
            "bo",
            "--operator",
            "bo",
            "--password-stdin",
        ],
        &format!("{NEW_PW}\n"),
    );
    assert_eq!(bo_alone.code, 2, "{}", bo_alone.stderr);
    record_figure(
        "attack-03b-last-administrator",
        "attack 3, leaving the practice without an active administrator: 3 tries (disable, remove, the last one removing themselves), 0 allowed",
    );
}

#[test]
fn attack_4_administrator_commands_need_an_administrators_sign_in() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let csv = home.path().join("patients.csv");
    let backup = home.path().join("copy.redb");
    // No --operator: a usage error, nothing done.
    for args in [
        &[
            "setup",
            "portal",
            "--url",
            "https://evil.example.com",
            "--practice-id",
            "X",
        ][..],
        &["import", csv.to_str().unwrap()][..],
        &["backup", backup.to_str().unwrap()][..],
        &["operator", "disable", "sam"][..],
    ] {
        let out = bin.run(args, "");
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("--operator"),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(!backup.exists());
    // operator add without a sign-in is only for the first administrator.
    let unsigned = 4;
    let eve = bin.run(
        &[
            "operator",
            "add",
            "eve",
            "--role",
            "admin",
            "--password-stdin",
        ],
        &format!("{NEW_PW}\n{NEW_PW}\n"),
    );
    assert_eq!(eve.code, 10, "{}", eve.stderr);
    assert!(eve.stderr.contains("--operator"), "{}", eve.stderr);
    // Staff signed in: exit 10.
    let staff = bin.run(
        &[
            "setup",
            "portal",
            "--url",
            "https://evil.example.com",
            "--practice-id",
            "X",
            "--operator",
            "sam",
            "--password-stdin",
        ],
        &format!("{STAFF_PW}\n"),
    );
    assert_eq!(staff.code, 10, "{}", staff.stderr);
    let login = sam_resets(&bin, STAFF_PW);
    assert!(
        login
            .stdout
            .contains("sign-in URL: https://portal.example.org/signin"),
        "the sign-in URL was not changed: {}",
        login.stdout
    );
    record_figure(
        "attack-04-unsigned-admin",
        &format!(
            "attack 4, administrator commands without an administrator's sign-in: {} tried ({unsigned} unsigned, a second bootstrap, staff signed in), 0 ran",
            unsigned + 2
        ),
    );
}

#[test]
fn attack_4_a_spoofed_user_is_not_the_recorded_actor() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let mut init = bin.command(&["init"]);
    init.env("USER", "ana").env("LOGNAME", "ana");
    assert!(init.status().unwrap().success());
    let mut first = bin.command(&[
        "operator",
        "add",
        "boss",
        "--role",
        "admin",
        "--password-stdin",
    ]);
    first.env("USER", "ana").env_remove("LOGNAME");
    let mut child = first.spawn().unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        format!("{NEW_PW}\n{NEW_PW}\n").as_bytes(),
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
    let me = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    let audit = bin.ok(&["audit", "list"], "");
    let created = audit_lines(&bin, "database_created");
    assert!(created[0].contains(&format!("\tlocal:{me}\t")), "{audit}");
    let added = audit_lines(&bin, "operator_added");
    assert!(added[0].contains(&format!("\tlocal:{me}\t")), "{audit}");
    assert!(added[0].contains("bootstrap"), "recorded as such: {audit}");
    if me != "ana" {
        assert!(!audit.contains("local:ana"), "{audit}");
    }
    record_figure(
        "attack-04b-spoofed-user",
        "attack 4, USER and LOGNAME set to another name: 2 commands tried, 0 recorded under the spoofed name (the real uid is)",
    );
}

/// Runs `args` with standard output already closed by its reader.
fn with_closed_stdout(bin: &Bin, args: &[&str], stdin: &str) -> Output {
    let mut child = bin.command(args).stdout(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take()); // the reader goes away, like `| true`
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn attack_9_a_closed_standard_output_never_panics() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100005");
    let commands = [
        &["account", "show", "--patient", "100005"][..],
        &["account", "show", "--patient", "100005", "--json"][..],
        &["operator", "list"][..],
        &["audit", "verify"][..],
        &["audit", "list", "--json"][..],
        &["patients", "search", "garcia"][..],
    ];
    for args in commands {
        let out = with_closed_stdout(&bin, args, "");
        assert!(
            !out.stderr.contains("panicked") && out.code != 101,
            "{args:?}: {} {}",
            out.code,
            out.stderr
        );
        assert_eq!(out.code, 0, "{args:?}: the reader left; nothing failed");
    }
    record_figure(
        "attack-09-closed-stdout",
        &format!(
            "attack 9, a closed standard output: {} commands tried, 0 panics",
            commands.len()
        ),
    );
}

#[test]
fn attack_9_a_reset_into_a_closed_pipe_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let before = audit_lines(&bin, "account_created").len();
    let out = with_closed_stdout(&bin, &SAM_RESETS, &format!("{STAFF_PW}\n"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("nothing was changed"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"));
    assert_eq!(audit_lines(&bin, "account_created").len(), before);
    let show = bin.ok(&["account", "show", "--patient", "100005"], "");
    assert!(show.contains("portal account: NO PORTAL ACCOUNT"), "{show}");
    // An existing account keeps the password its holder knows.
    let (user, temp, _) = bin.reset("100005");
    with_closed_stdout(&bin, &SAM_RESETS, &format!("{STAFF_PW}\n"));
    let signin = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{temp}\n{NEW_PW}\n{NEW_PW}\n"),
    );
    assert_eq!(signin.code, 0, "{}", signin.stderr);
    record_figure(
        "attack-09b-reset-into-closed-pipe",
        "attack 9, a reset whose login would be lost in a closed pipe: 2 tried (new account, existing account), 0 committed",
    );
}

#[test]
fn attack_10_json_output_carries_no_raw_control_characters() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100005");
    // Someone with the file plants a CSI (U+009B) and a right-to-left
    // override (U+202E) in a patient's name and in an audit event.
    let planted = "Smith\u{9b}2J\u{202e}evil";
    edit_file(&bin.db(), false, |tx| {
        {
            let (table, key) = ("patients", "100005");
            let mut t = tx
                .open_table(redb::TableDefinition::<&str, &[u8]>::new(table))
                .unwrap();
            let stored = redb::ReadableTable::get(&t, key)
                .unwrap()
                .unwrap()
                .value()
                .to_vec();
            let (mut p, link) = portal_admin::store::decode_row(&stored, key).unwrap();
            p.last_name = planted.into();
            t.insert(key, portal_admin::store::encode_row(&p, link).as_slice())
                .unwrap();
        }
        let mut audit = tx
            .open_table(redb::TableDefinition::<u64, &[u8]>::new("audit"))
            .unwrap();
        let stored = redb::ReadableTable::get(&audit, 2)
            .unwrap()
            .unwrap()
            .value()
            .to_vec();
        let mut v: serde_json::Value = serde_json::from_slice(&stored).unwrap();
        v["target"] = planted.into();
        audit
            .insert(2, serde_json::to_vec(&v).unwrap().as_slice())
            .unwrap();
    });
    let show = bin.ok(&["account", "show", "--patient", "100005", "--json"], "");
    let list = bin.ok(&["audit", "list", "--json"], "");
    for out in [&show, &list] {
        assert!(
            !out.contains('\u{9b}') && !out.contains('\u{202e}'),
            "raw control characters: {out}"
        );
        assert!(out.contains("\\u009b") && out.contains("\\u202e"), "{out}");
    }
    // The JSON still says exactly what is in the file.
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["patient"]["last_name"], planted);
    let event: serde_json::Value = serde_json::from_str(list.lines().nth(1).unwrap()).unwrap();
    assert_eq!(event["target"], planted);
    record_figure(
        "attack-10-json-controls",
        "attack 10, raw control characters planted for JSON output: 2 characters in 2 commands, 0 written raw",
    );
}

#[test]
fn attack_11_refused_administrator_actions_are_audited() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let (user, _, _) = bin.reset("100005");
    let staff = |args: &[&str], more: &str| {
        let mut all = args.to_vec();
        all.extend(["--operator", "sam", "--password-stdin"]);
        let out = bin.run(&all, &format!("{STAFF_PW}\n{more}"));
        assert_eq!(out.code, 10, "{args:?}: {}", out.stderr);
    };
    let pw = format!("{NEW_PW}\n{NEW_PW}\n");
    let csv = home.path().join("patients.csv");
    let copy = home.path().join("copy.redb");
    staff(&["account", "set-password", "--email", &user], &pw);
    staff(&["account", "unlock", "--email", &user], "");
    staff(&["account", "disable", "--email", &user], "");
    staff(&["account", "enable", "--email", &user], "");
    staff(&["operator", "add", "eve", "--role", "admin"], &pw);
    staff(&["operator", "disable", "ana"], "");
    staff(&["operator", "reset-password", "ana"], &pw);
    staff(&["operator", "remove", "ana"], "");
    staff(
        &[
            "setup",
            "portal",
            "--url",
            "https://evil.example.com",
            "--practice-id",
            "X",
        ],
        "",
    );
    staff(&["import", csv.to_str().unwrap()], "");
    staff(&["backup", copy.to_str().unwrap()], "");
    let audit = bin.ok(&["audit", "list"], "");
    let refusals: Vec<&str> = audit
        .lines()
        .filter(|l| l.contains("\toperator:sam\t") && l.contains("failure: permission denied"))
        .collect();
    let actions = [
        "admin_password_set",
        "account_unlocked",
        "account_disabled",
        "account_enabled",
        "operator_added",
        "operator_disabled",
        "operator_password_reset",
        "operator_removed",
        "setup_changed",
        "patients_imported",
        "backup_made",
    ];
    for action in actions {
        assert_eq!(
            refusals
                .iter()
                .filter(|l| l.contains(&format!("\t{action}\t")))
                .count(),
            1,
            "{action} refused once and recorded: {audit}"
        );
    }
    assert!(!copy.exists());
    assert!(!audit.contains("evil.example.com\tsuccess"));
    bin.ok(&["audit", "verify"], "");
    record_figure(
        "attack-11-refusals-audited",
        &format!(
            "attack 11, administrator actions tried by staff: {} tried, {} refused and audited, 0 left no trace",
            actions.len(),
            actions.len()
        ),
    );
}
