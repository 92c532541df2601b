//! What a tester with fresh eyes found in the library and the CLI, trying
//! the release binary as a front-desk user and as an attacker (issues 9 and
//! 10, follow-ups). Each finding is a test named after it, through the
//! services and, where it came through the binary, through the binary.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use common::*;
use portal_admin::Error;
use portal_admin::password::PolicyViolation;
use portal_admin::services::{OperatorChange, SignIn};

/// The tester's forms of a temporary password shown as `XXXX-XXXX-...`,
/// each with its name: other separators, brackets, invisible characters,
/// the groups in reverse order, and K and Y as Cyrillic look-alikes.
fn tester_forms(shown: &str) -> Vec<(&'static str, String)> {
    let groups: Vec<&str> = shown.split('-').collect();
    let joined = |sep: &str| groups.join(sep);
    let reversed: Vec<&str> = groups.iter().rev().copied().collect();
    vec![
        ("slash", joined("/")),
        ("plus", joined("+")),
        ("comma", joined(",")),
        ("colon", joined(":")),
        ("vertical bar", joined("|")),
        ("tilde", joined("~")),
        ("hash", joined("#")),
        ("apostrophe", joined("'")),
        (
            "groups in brackets",
            groups.iter().map(|g| format!("({g})")).collect(),
        ),
        ("zero-width space U+200B", joined("\u{200B}")),
        ("soft hyphen U+00AD", joined("\u{AD}")),
        ("groups in reverse order", reversed.join("-")),
        (
            "Cyrillic look-alikes for K and Y",
            shown.replace('K', "\u{41A}").replace('Y', "\u{423}"),
        ),
    ]
}

fn refused_as_temporary(err: &Error) -> bool {
    matches!(
        err,
        Error::Policy(PolicyViolation::SameAsCurrent | PolicyViolation::ContainsTemporary)
    )
}

// ---- 1. The temporary password becomes the permanent one -------------------

#[test]
fn the_temporary_password_becomes_the_permanent_one_with_other_separators() {
    let p = Practice::new();
    let email = "smith.family@example.net";
    let login = p.create_validate("100005");
    let shown = login.password.expose().to_owned();
    let mut tried = 0;
    for (what, form) in tester_forms(&shown) {
        // As the tester did, and inside a longer password.
        for new in [
            form.clone(),
            format!("my {} Password!", form.to_lowercase()),
        ] {
            tried += 1;
            let err = p
                .portal
                .holder_change_password(email, &secret(&shown), &secret(&new), &secret(&new))
                .expect_err(what);
            assert!(refused_as_temporary(&err), "{what}: {new:?}: {err}");
        }
    }
    assert_eq!(
        p.portal.holder_sign_in(email, &secret(&shown)).unwrap(),
        SignIn::MustChangePassword,
        "still only a temporary password"
    );
    // An administrator, who never sees it, cannot set it either: the forms
    // it could take are verified against its hash.
    for (what, form) in tester_forms(&shown) {
        tried += 1;
        let err = p
            .portal
            .admin_set_password(&p.admin, email, &secret(&form), &secret(&form), false, None)
            .expect_err(what);
        assert!(refused_as_temporary(&err), "admin, {what}: {err}");
    }
    let inside = format!("note {} ok!", shown.replace('-', "/"));
    let err = p
        .portal
        .admin_set_password(
            &p.admin,
            email,
            &secret(&inside),
            &secret(&inside),
            true,
            None,
        )
        .unwrap_err();
    assert!(refused_as_temporary(&err), "{err}");
    // A password of its own still passes, for the holder and an administrator.
    let own = "harbor violet tractor lantern";
    p.portal
        .holder_change_password(email, &secret(&shown), &secret(own), &secret(own))
        .unwrap();
    assert_eq!(
        p.portal.holder_sign_in(email, &secret(own)).unwrap(),
        SignIn::SignedIn
    );
    let login = p.create_validate("100005");
    let shown = login.password.expose().to_owned();
    p.portal
        .admin_set_password(&p.admin, email, &secret(own), &secret(own), false, None)
        .unwrap();
    assert!(p.portal.holder_sign_in(email, &secret(&shown)).is_err());
    record_figure(
        "finding-01-temporary-forms",
        &format!(
            "finding 1, the temporary password in other forms (separators, brackets, invisible characters, reversed groups, look-alike letters): {tried} tried, 0 accepted"
        ),
    );
}

#[test]
fn the_temporary_password_becomes_the_permanent_one_with_other_separators_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let (user, temp, _) = bin.reset("100005");
    for (what, form) in tester_forms(&temp) {
        let out = bin.run(
            &["signin", "--email", &user, "--password-stdin"],
            &format!("{temp}\n{form}\n{form}\n"),
        );
        assert_ne!(out.code, 0, "{what} was accepted: {}", out.stderr);
        assert!(
            out.stderr.contains("contains the temporary password")
                || out.stderr.contains("same as the current"),
            "{what}: {}",
            out.stderr
        );
    }
    // Administrators: `account set-password` with the temporary password
    // written with slashes, then reversed.
    let slashes = temp.replace('-', "/");
    let reversed: Vec<&str> = temp.split('-').rev().collect();
    for form in [slashes, reversed.join(" ")] {
        let out = bin.admin_run(
            &["account", "set-password", "--email", &user],
            &format!("{form}\n{form}\n"),
        );
        assert_eq!(out.code, 6, "{form}: {}", out.stderr);
        assert!(
            out.stderr.contains("contains the temporary password"),
            "{}",
            out.stderr
        );
    }
    // The temporary password is still only temporary.
    let out = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{temp}\n"),
    );
    assert!(
        out.stderr.contains("must choose a new password"),
        "{}",
        out.stderr
    );
}

// ---- 2. With standard output closed, `account reset` still resets ----------

/// `args` as sam (password on standard input) through `sh`, so that
/// standard output can be closed (`>&-`) or sent to /dev/null as a shell
/// does it.
fn sam_runs_redirected(bin: &Bin, args: &[&str], redirect: &str) -> Output {
    let cmd = bin.command(args);
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    run_command(sh, &format!("{STAFF_PW}\n"))
}

#[test]
fn with_standard_output_closed_account_reset_still_resets() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    refused_without_a_reader(&bin, &staff_reset_args("100005", &[]), |redirect| {
        let show = bin.ok(&["account", "show", "--patient", "100005"], "");
        assert!(show.contains("NO PORTAL ACCOUNT"), "{redirect}: {show}");
    });
    // The same command with a reader still works.
    let out = sam_runs_redirected(&bin, &staff_reset_args("100005", &[]), "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("temporary password: "));
}

/// `args` as sam with standard output closed and sent to /dev/null: each
/// refused in one sentence before anything is written (not even the
/// operator's sign-in), `unchanged` checking what it would have changed.
fn refused_without_a_reader(bin: &Bin, args: &[&str], unchanged: impl Fn(&str)) {
    let trail = || bin.ok(&["audit", "verify"], "");
    for redirect in [">&-", ">/dev/null"] {
        let before = trail();
        let out = sam_runs_redirected(bin, args, redirect);
        assert_eq!(out.code, 1, "{redirect}: {}", out.stderr);
        assert_eq!(
            out.stderr.trim(),
            "portal-admin: standard output goes to /dev/null (or is closed), where nobody would read the temporary login; nothing was changed",
            "{redirect}: one sentence"
        );
        assert_eq!(trail(), before, "{redirect}");
        unchanged(redirect);
    }
}

/// F7 (fresh eyes, 2026-11-29): `guardian add` with its output sent to
/// /dev/null made the new account, and its temporary login was never seen.
#[test]
fn with_standard_output_to_dev_null_guardian_add_makes_no_account() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let args = [
        "guardian",
        "add",
        "--patient",
        "100005",
        "--email",
        "zed.stepdad99@otherdomain.test",
        "--relationship",
        "father",
        "--identity-check",
        IDENTITY_CHECK,
        "--operator",
        "sam",
        "--password-stdin",
    ];
    refused_without_a_reader(&bin, &args, |redirect| {
        let list = bin.ok(&["guardian", "list", "--patient", "100005"], "");
        assert!(!list.contains("zed.stepdad99"), "{redirect}: {list}");
    });
    let out = sam_runs_redirected(&bin, &args, "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("temporary password: "),
        "{}",
        out.stdout
    );
    // Re-check R4: a link to that existing account shows no secret, so it
    // goes through with its output discarded.
    for (redirect, patient) in [(">/dev/null", "100004"), (">&-", "100003")] {
        let mut link = args;
        link[3] = patient;
        let out = sam_runs_redirected(&bin, &link, redirect);
        assert_eq!(out.code, 0, "{redirect}: {}", out.stderr);
        let list = bin.ok(&["guardian", "list", "--patient", patient], "");
        assert!(list.contains("zed.stepdad99@otherdomain.test"), "{list}");
    }
}

// ---- 4. Times in UTC where the practice's local time is promised -----------

/// `account unlock` (any administrator's command) signed in as `operator`
/// with `password` on standard input: a sign-in attempt through the binary.
fn unlock_as(bin: &Bin, operator: &str, password: &str) -> Output {
    bin.run(
        &[
            "account",
            "unlock",
            "--email",
            "x@example.com",
            "--operator",
            operator,
            "--password-stdin",
        ],
        password,
    )
}

/// A practice whose time zone is Asia/Kolkata (UTC+05:30, no daylight
/// saving: the same offset whatever day the test runs).
fn kolkata_bin(home: &std::path::Path) -> Bin {
    std::fs::write(
        home.join("config.toml"),
        format!(
            "[log]\nfile = \"{}\"\n\n[ui]\ntime_zone = \"Asia/Kolkata\"\n",
            home.join("portal-admin.log").display()
        ),
    )
    .unwrap();
    let bin = Bin::new(home);
    bin.practice();
    bin
}

#[test]
fn operator_list_prints_times_in_utc() {
    let home = tempfile::tempdir().unwrap();
    let bin = kolkata_bin(home.path());
    for _ in 0..5 {
        let out = unlock_as(&bin, "sam", "a wrong guess\n");
        assert_eq!(out.code, 3, "{}", out.stderr);
    }
    let list = bin.ok(&["operator", "list"], "");
    let ana = list.lines().find(|l| l.starts_with("ana\t")).unwrap();
    let sam = list.lines().find(|l| l.starts_with("sam\t")).unwrap();
    assert!(
        ana.contains("last sign-in: 20") && ana.ends_with("+05:30"),
        "{ana}"
    );
    assert!(
        sam.contains("\tlocked until 20") && sam.contains("+05:30\tlast sign-in: never"),
        "{sam}"
    );
    assert!(!list.contains('Z'), "no UTC time: {list}");
    // The lockout message: the practice's time as staff say it.
    let out = unlock_as(&bin, "sam", &format!("{STAFF_PW}\n"));
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains(" IST or ask an administrator") && !out.stderr.contains("Z or"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_operator_lock_error_shows_utc() {
    // Services: the practice's time zone (America/New_York), spoken.
    let p = Practice::new();
    for _ in 0..5 {
        let _ = p.portal.operator_sign_in("sam", &secret("nope"));
    }
    let err = p
        .portal
        .operator_sign_in("sam", &secret(STAFF_PW))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "operator sam is locked out after too many failed sign-ins; try again after Mon 5 Jan 2026, 4:15 AM EST or ask an administrator"
    );
}

// ---- 5. A removed operator is logged as "unknown operator" -----------------

#[test]
fn a_removed_operator_is_logged_as_unknown_operator() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.admin(&["operator", "remove", "sam"], "");
    let reset =
        |password: &str| bin.run(&staff_reset_args("100005", &[]), &format!("{password}\n"));
    // The right password and a wrong one get the same answer as an unknown
    // name: a removed operator is nobody at sign-in.
    for pw in [STAFF_PW, "a wrong guess"] {
        let out = reset(pw);
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert_eq!(
            out.stderr.trim(),
            "portal-admin: wrong operator name or password"
        );
    }
    let audit = bin.ok(&["audit", "list"], "");
    let sign_ins: Vec<&str> = audit
        .lines()
        .filter(|l| l.contains("\toperator_sign_in\toperator sam\t"))
        .collect();
    let last_two = &sign_ins[sign_ins.len() - 2..];
    for line in last_two {
        assert!(line.ends_with("failure: removed operator"), "{line}");
    }
    // A name that never existed is still an unknown operator.
    let out = unlock_as(&bin, "nobody", "whatever\n");
    assert_eq!(out.code, 3);
    let audit = bin.ok(&["audit", "list"], "");
    assert!(
        audit
            .lines()
            .last()
            .unwrap()
            .ends_with("failure: unknown operator"),
        "{audit}"
    );
}

// ---- 6. Import accepts look-alike names ------------------------------------

const LOOK_ALIKES: [(&str, &str, &str); 3] = [
    // (row, column, the character the refusal names)
    (
        "900009,Sm\u{456}th,Luna,2018-07-04,\n",
        "last_name",
        "U+0456",
    ),
    (
        "900010,Smith\u{E000},Luna,2018-07-04,\n",
        "last_name",
        "U+E000",
    ),
    (
        "900011,Smith,\u{39F}livia,2018-07-04,\n",
        "first_name",
        "U+039F",
    ),
];

#[test]
fn import_accepts_look_alike_names() {
    let p = Practice::new();
    let before = p.portal.practice().unwrap();
    for (row, column, character) in LOOK_ALIKES {
        let csv = format!(
            "account_number,last_name,first_name,date_of_birth,email\n\
             900001,\u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}\u{430},\u{410}\u{43D}\u{43D}\u{430},2019-01-02,\n{row}"
        );
        let report = p
            .portal
            .import_patients(
                &p.admin,
                "look-alike.csv",
                csv.as_bytes(),
                0,
                false,
                &mut (),
            )
            .unwrap();
        assert!(!report.applied, "{row}");
        assert_eq!(report.errors.len(), 1, "{row}: {:?}", report.errors);
        let e = &report.errors[0];
        assert_eq!(e.line, 3, "the row: {row}");
        assert!(
            e.message.starts_with(column) && e.message.contains(character),
            "{row}: {}",
            e.message
        );
    }
    assert_eq!(p.portal.practice().unwrap(), before, "nothing was imported");
    // A name written wholly in Cyrillic is a name like any other.
    let csv = "account_number,last_name,first_name,date_of_birth,email\n\
               900001,\u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}\u{430},\u{410}\u{43D}\u{43D}\u{430},2019-01-02,\n";
    let report = p
        .portal
        .import_patients(&p.admin, "cyrillic.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    assert!(report.applied && report.created == 1, "{report:?}");
}

#[test]
fn import_accepts_look_alike_names_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let csv = home.path().join("look-alike.csv");
    let rows: String = LOOK_ALIKES.iter().map(|(row, _, _)| *row).collect();
    std::fs::write(
        &csv,
        format!("account_number,last_name,first_name,date_of_birth,email\n{rows}"),
    )
    .unwrap();
    let out = bin.admin_run(&["import", csv.to_str().unwrap()], "");
    assert_eq!(out.code, 1, "{}", out.stderr);
    for (i, (_, column, character)) in LOOK_ALIKES.iter().enumerate() {
        let line = format!("look-alike.csv:{}: {column}", i + 2);
        assert!(
            out.stderr
                .lines()
                .any(|l| l.contains(&line) && l.contains(character)),
            "{line} {character}: {}",
            out.stderr
        );
    }
    assert!(
        !out.stderr.contains('\u{E000}'),
        "shown escaped: {}",
        out.stderr
    );
    let found = bin.ok(&["patients", "search", "smith"], "");
    assert_eq!(found.lines().count(), 1, "only the real Smith: {found}");
    // A private-use character already in the file (written by other
    // tools) is escaped in JSON, as the other invisible characters are.
    plant_patient_field(&bin.db(), "100005", "last_name", "Smith\u{E000}");
    let show = bin.ok(&["account", "show", "--patient", "100005", "--json"], "");
    assert!(
        !show.contains('\u{E000}') && show.contains("Smith\\ue000"),
        "{show}"
    );
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["patient"]["last_name"], "Smith\u{E000}");
    let plain = bin.ok(&["account", "show", "--patient", "100005"], "");
    assert!(plain.contains("Smith<U+E000>"), "{plain}");
}

// ---- 7. Small ones ----------------------------------------------------------

#[test]
fn hashing_memory_of_4_gib_is_accepted_and_a_reset_then_fails_out_of_memory() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let cfg = home.path().join("config.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[hashing]\nmemory_kib = 4194304\n");
    std::fs::write(&cfg, text).unwrap();
    let out = bin.run(&["account", "show", "--patient", "100005"], "");
    assert_eq!(out.code, 1, "refused at start: {}", out.stderr);
    assert!(
        out.stderr.contains("hashing.memory_kib") && out.stderr.contains("1 GiB"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn the_print_error_reads_no_default_destination_with_doubled_punctuation() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let spool = home.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    let lp = spool.join("lp");
    std::fs::write(
        &lp,
        "#!/bin/sh\ncat >/dev/null\necho 'lp: No default destination.' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut cmd = bin.command(&staff_reset_args("100003", &["--print"]));
    cmd.env(
        "PATH",
        format!(
            "{}:{}",
            spool.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    );
    let out = run_command(cmd, &format!("{STAFF_PW}\n"));
    let stderr = out.stderr;
    assert_eq!(out.code, 1, "{stderr}");
    assert!(
        stderr.contains("lp: No default destination; the handout was not printed"),
        "{stderr}"
    );
    assert!(!stderr.contains(".;"), "{stderr}");
}

#[test]
fn error_messages_capitalise_a_file_name() {
    // The app's sentence for an error starts with a capital, but never on
    // a file name (`Env.sh` is another file) or a path.
    use portal_admin::tui::component::sentence;
    let home = tempfile::tempdir().unwrap();
    let existing = home.path().join("env.sh");
    std::fs::write(&existing, "").unwrap();
    let err = portal_admin::handout::check_new_file(&existing).unwrap_err();
    let shown = existing.display().to_string();
    assert!(
        sentence(&err).starts_with(&format!("{shown} already exists")),
        "{}",
        sentence(&err)
    );
    let relative = Error::Invalid {
        input: portal_admin::error::Input::HandoutFile,
        problem: err.to_string().replace(&shown, "env.sh"),
    };
    assert!(
        sentence(&relative).starts_with("env.sh already exists"),
        "{}",
        sentence(&relative)
    );
    assert_eq!(
        sentence(&Error::OperatorWrongCredentials),
        "Wrong operator name or password."
    );
}

#[test]
fn a_disabled_operators_open_session_keeps_reading_patient_data() {
    // The service the app calls before showing patient data.
    let p = Practice::new();
    p.portal.session_check(&p.staff).unwrap();
    p.portal
        .change_operator(&p.admin, "sam", OperatorChange::Disable)
        .unwrap();
    assert!(matches!(
        p.portal.session_check(&p.staff),
        Err(Error::OperatorRevoked { .. })
    ));
    p.portal
        .change_operator(&p.admin, "sam", OperatorChange::Enable)
        .unwrap();
    let err = p.portal.session_check(&p.staff).unwrap_err();
    assert!(matches!(err, Error::SessionEnded { .. }), "{err}");
    assert_eq!(err.exit_code(), 10);
    let staff = p.portal.operator_sign_in("sam", &secret(STAFF_PW)).unwrap();
    p.portal.session_check(&staff).unwrap();
}

/// A CSV file from `rows` (one per line; `⏎` inside a row is a line break
/// inside a quoted field), its lines ended by `eol`, with a UTF-8 byte
/// order mark first if `bom`, and `eol` after the last row if `last_eol`.
fn csv_file(rows: &[&str], eol: &str, bom: bool, last_eol: bool) -> String {
    let mut text = if bom {
        "\u{feff}".to_owned()
    } else {
        String::new()
    };
    text.push_str(&rows.join(eol).replace('⏎', eol));
    if last_eol {
        text.push_str(eol);
    }
    text
}

/// Every way a practice's file ends its lines: LF, CRLF (Windows, Excel),
/// each with and without a byte order mark, each with and without a line
/// break after the last row. Named as in the tests' messages.
fn line_endings(eols: &[(&'static str, &str)]) -> Vec<(String, &'static str, bool, bool)> {
    let mut all = Vec::new();
    for &(eol, eol_name) in eols {
        for bom in [false, true] {
            for last_eol in [true, false] {
                let name = format!(
                    "{eol_name}{}{}",
                    if bom { "-bom" } else { "" },
                    if last_eol { "" } else { "-no-last-eol" }
                );
                all.push((name, eol, bom, last_eol));
            }
        }
    }
    all
}

/// Finding 3 (fresh eyes, session 6): `import` named every row of a CRLF
/// file one line too early, so a clerk fixing "line N" edited the row
/// above. Through the binary, for every line ending, a byte order mark or
/// none, a quoted field holding a line break (the row is named by the line
/// it begins on, the next rows by their own), a blank line, and a last row
/// with no line break after it: the same line numbers, the ones an editor
/// shows.
#[test]
fn import_names_the_right_line_of_a_crlf_file() {
    names_the_right_lines(&[("\n", "lf"), ("\r\n", "crlf")], "crlf");
}

/// A file whose lines end in a lone `\r` (classic Mac OS, some old
/// exports): the csv crate reads its rows, but counts lines by `\n` only,
/// so every message said "line 1". The lone `\r` is a line end like the
/// others: the same line numbers, errors and warnings, with and without a
/// byte order mark and a last line break.
#[test]
fn import_names_the_right_line_of_a_lone_cr_file() {
    names_the_right_lines(&[("\r", "cr")], "cr");
}

/// Errors and warnings of files with these line ends name the lines an
/// editor shows; the `real` ending's file is imported for good after the
/// dry runs.
fn names_the_right_lines(eols: &[(&'static str, &str)], real: &str) {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let rows = [
        "account_number,last_name,first_name,date_of_birth,email", // 1
        "930011,Crlf,Kid,2015-01-01,",                             // 2
        "930012,\"Two⏎Lines\",Kid,2015-01-01,",                    // 3-4
        "930013,Crlf,Kid,2015-13-01,",                             // 5
        "",                                                        // 6
        "930014,\"Crlf\",Kid,2015-01-01,",                         // 7
        "930015,Crlf,Kid,2015-01-32,",                             // 8
    ];
    for (name, eol, bom, last_eol) in line_endings(eols) {
        let csv = home.path().join(format!("{name}.csv"));
        std::fs::write(&csv, csv_file(&rows, eol, bom, last_eol)).unwrap();
        let csv = csv.to_str().unwrap();
        let out = bin.admin_run(&["import", csv, "--dry-run"], "");
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 4, "{name}: {}", out.stderr);
        assert!(
            lines[0].starts_with(&format!("{csv}:3: last_name ")),
            "{name}: {}",
            out.stderr
        );
        assert!(
            lines[1].starts_with(&format!("{csv}:5: date_of_birth \"2015-13-01\" ")),
            "{name}: {}",
            out.stderr
        );
        assert!(
            lines[2].starts_with(&format!("{csv}:8: date_of_birth \"2015-01-32\" ")),
            "{name}: {}",
            out.stderr
        );
        assert_eq!(
            lines[3],
            format!(
                "portal-admin: nothing was imported: 3 bad rows in {csv}; fix them and import again"
            ),
            "{name}"
        );
    }
    // Far into a file (past the bytes the reader keeps behind it), with a
    // blank line on the way: still the editor's line.
    for &(eol, eol_name) in eols {
        let mut rows = vec!["account_number,last_name,first_name,date_of_birth,email".to_owned()];
        rows.extend((0..6000).map(|i| format!("94{i:04},Farther,Kid,2015-01-01,")));
        rows.insert(3000, String::new());
        rows.push("949999,Farther,Kid,2015-13-01,".to_owned()); // line 6003
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let csv = home.path().join(format!("far-{eol_name}.csv"));
        std::fs::write(&csv, csv_file(&rows, eol, false, true)).unwrap();
        let csv = csv.to_str().unwrap();
        let out = bin.admin_run(&["import", csv, "--dry-run"], "");
        assert_eq!(out.code, 1, "{eol_name}: {}", out.stderr);
        assert!(
            out.stderr
                .starts_with(&format!("{csv}:6003: date_of_birth \"2015-13-01\" ")),
            "{eol_name}: {}",
            out.stderr
        );
    }
    // The warnings of an import that goes through: the same lines.
    bin.admin_reset("100005", &[]);
    let rows = [
        "account_number,last_name,first_name,date_of_birth,email", // 1
        "100004,Nguyen,Minh,2020-01-02,",                          // 2
        "100003,O'Brien,Seán,2016-11-30,smith.family@example.net", // 3
        "",                                                        // 4
        "930022,\"Newman\",Kit,2020-02-02,\"smith.family@example.net\"", // 5
    ];
    let warned = |csv: &str| {
        [(3, "100003"), (5, "930022")]
            .map(|(line, patient)| format!(
                "{csv}:{line}: warning: patient {patient}'s e-correspondent email smith.family@example.net is the login of a portal account that does not hold this patient; a Create/Validate would link them to it\n"
            ))
            .concat()
    };
    for (name, eol, bom, last_eol) in line_endings(eols) {
        let csv = home.path().join(format!("warned-{name}.csv"));
        std::fs::write(&csv, csv_file(&rows, eol, bom, last_eol)).unwrap();
        let csv = csv.to_str().unwrap();
        let out = bin.admin_run(&["import", csv, "--dry-run"], "");
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        assert_eq!(out.stderr, warned(csv), "{name}");
        assert_eq!(
            out.stdout, "would import 3 rows: 1 new, 1 updated, 1 unchanged\n",
            "{name}"
        );
    }
    let csv = home
        .path()
        .join(format!("warned-{real}-bom-no-last-eol.csv"));
    let csv = csv.to_str().unwrap();
    let out = bin.admin_run(&["import", csv], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, warned(csv));
}

/// Finding 11 (fresh eyes, session 6): the import's audit event named five
/// warned patients "and 1 more", so the sixth was named nowhere in the
/// trail, which is where someone later checks which rows were flagged. It
/// names every one, in the file's order, through the binary's `audit list`.
#[test]
fn the_import_audit_event_names_every_warned_patient() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.admin_reset("100005", &[]);
    let mut csv_text = "account_number,last_name,first_name,date_of_birth,email\n".to_owned();
    let patients: Vec<String> = (0..7).map(|i| format!("93003{i}")).collect();
    // Written in reverse: the event follows the file, not the numbers.
    for (i, patient) in patients.iter().enumerate().rev() {
        csv_text.push_str(&format!(
            "{patient},Sevenfold,Kid{},2017-05-0{},smith.family@example.net\n",
            (b'a' + i as u8) as char,
            i + 1
        ));
    }
    let csv = home.path().join("seven.csv");
    std::fs::write(&csv, csv_text).unwrap();
    let out = bin.admin_run(&["import", csv.to_str().unwrap()], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 7, "{}", out.stderr);
    let audit = bin.ok(&["audit", "list"], "");
    let event = audit
        .lines()
        .rfind(|l| l.contains("seven.csv"))
        .unwrap_or_else(|| panic!("no import event: {audit}"));
    assert!(
        event.ends_with(
            "success: 7 created, 0 updated, 0 unchanged; warned: the e-correspondent email of patients 930036, 930035, 930034, 930033, 930032, 930031 and 930030 is the login of a portal account that does not hold them"
        ),
        "{event}"
    );
}

/// Finding 11's remainder (fresh eyes, session 6): the event named every
/// warned patient, so 30,000 warned rows made an event of about 250 KB that
/// the app's history and `audit list` then showed. Through the binary,
/// 3,000 warned rows: the event names the first 1,000 in the file's order,
/// then "and 2000 more" and how many in all, in under 10 KB; the import's
/// own output names the first 200 rows and says how to list them all, and
/// `--all-warnings` lists every one.
#[test]
fn an_import_with_many_warnings_writes_a_bounded_audit_event() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.admin_reset("100005", &[]);
    let mut csv_text = "account_number,last_name,first_name,date_of_birth,email\n".to_owned();
    let patients: Vec<String> = (0..3000).map(|i| format!("95{i:04}")).collect();
    for patient in &patients {
        csv_text.push_str(&format!(
            "{patient},Many,Kid,2017-05-01,smith.family@example.net\n"
        ));
    }
    let csv = home.path().join("many.csv");
    std::fs::write(&csv, csv_text).unwrap();
    let csv = csv.to_str().unwrap();
    // Every warned row, on request, before anything is written.
    let all = bin.admin_run(&["import", csv, "--dry-run", "--all-warnings"], "");
    assert_eq!(all.code, 0, "{}", all.stderr);
    let warned: Vec<&str> = all.stderr.lines().collect();
    assert_eq!(warned.len(), 3000, "{}", warned.last().unwrap_or(&""));
    assert!(
        warned[2999].starts_with(&format!("{csv}:3001: warning: patient 952999's ")),
        "{}",
        warned[2999]
    );
    // The import itself: the first 200, then how many more and how to see them.
    let out = bin.admin_run(&["import", csv], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 201, "{}", out.stderr);
    assert_eq!(
        lines[200],
        "... and 2800 more warnings (--all-warnings lists every one)"
    );
    let audit = bin.ok(&["audit", "list"], "");
    let event = audit
        .lines()
        .rfind(|l| l.contains("many.csv"))
        .unwrap_or_else(|| panic!("no import event: {audit}"));
    assert!(
        event.contains(
            "success: 3000 created, 0 updated, 0 unchanged; warned: the e-correspondent email of patients 950000, 950001, "
        ),
        "{event}"
    );
    assert!(
        event.ends_with(
            ", 950998, 950999 and 2000 more is the login of a portal account that does not hold them (3000 patients in all)"
        ),
        "{}",
        &event[event.len().saturating_sub(300)..]
    );
    assert!(!event.contains("951000"), "the 1,001st is not named");
    assert!(event.len() < 10_000, "{} bytes", event.len());
}

/// Finding 8 (fresh eyes, session 6): `2017 november`, `2016 sep`,
/// `adams 2016 sep`, `2016 nov adams` silently found nobody, the month's
/// name read as a name. Through the services and the binary, a year then a
/// month's name finds the patients born that month, like `Nov 2016`.
#[test]
fn a_year_then_a_month_name_finds_that_month() {
    let p = Practice::new();
    // Seán O'Brien, 100003, was born on 30 November 2016; José
    // García-López, 100001, on 7 March 2019.
    for q in [
        "Nov 2016",
        "2016 nov",
        "2016 November",
        "o'brien 2016 nov",
        "2016 nov obrien",
        "sean 2016, november",
    ] {
        assert_eq!(found_in(&p.portal, q), ["100003"], "{q}");
    }
    assert_eq!(found_in(&p.portal, "2019 march jose"), ["100001"]);
    assert_eq!(found_in(&p.portal, "2016 sep"), Vec::<String>::new());
    assert_eq!(found_in(&p.portal, "2016 nov garcia"), Vec::<String>::new());
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let year_first = bin.ok(&["patients", "search", "2016 november"], "");
    assert!(
        year_first.starts_with("100003\tO'Brien, Seán"),
        "{year_first}"
    );
    assert_eq!(year_first.lines().count(), 1, "{year_first}");
    assert_eq!(bin.ok(&["patients", "search", "Nov 2016"], ""), year_first);
}
