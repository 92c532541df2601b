//! What an attack on the release binary found in the rules, the settings
//! and the files (issue 10, items 1, 2, 5, 6, 8 and 12), each replayed as
//! the attacker did it and in the variants a second attacker would try
//! next. Each test records how many attempts it made and that none got
//! through, for the figures at the end of the CI run.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;

use common::*;
use portal_admin::clock::ManualClock;
use portal_admin::domain::Role;
use portal_admin::password::PolicyViolation;
use portal_admin::services::SignIn;
use portal_admin::{Error, Portal};

/// `ABCD-EFGH` → `ＡＢＣＤ－ＥＦＧＨ` (the full-width forms an East Asian
/// input method types).
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            c => c,
        })
        .collect()
}

/// Runs the binary with no input; it must succeed (its warnings are in
/// `stderr`).
fn ran_ok(bin: &Bin, args: &[&str]) -> Output {
    let out = bin.run(args, "");
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out
}

/// A practice set up through the real binary, in its own folder.
fn practice_bin() -> (tempfile::TempDir, Bin) {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    (home, bin)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

// ---- 1. The temporary password survives the "change" ----------------------

#[test]
fn the_temporary_password_survives_the_change_in_its_full_width_form() {
    let p = Practice::new();
    let email = "smith.family@example.net";
    let login = p.create_validate("100005");
    let shown = login.password.expose().to_owned(); // XXXX-XXXX-XXXX
    let plain = shown.replace('-', "");
    assert_eq!(
        p.portal.holder_sign_in(email, &secret(&shown)).unwrap(),
        SignIn::MustChangePassword
    );
    // The attack: the full-width form, given twice as the new password.
    // Then the forms a second attacker tries: other dashes, case, spaces,
    // and the temporary password with a little around it.
    let attempts = [
        full_width(&shown),
        full_width(&plain),
        full_width(&shown.to_lowercase()),
        shown.replace('-', "\u{2010}"),
        shown.replace('-', "\u{2212}"),
        shown.replace('-', " "),
        shown.to_lowercase(),
        plain.clone(),
        format!("{shown}!"),
        format!("{}1", full_width(&shown)),
        format!("my {} password", shown.to_lowercase()),
    ];
    for new in &attempts {
        let err = p
            .portal
            .holder_change_password(email, &secret(&shown), &secret(new), &secret(new))
            .expect_err(new);
        assert!(
            matches!(
                err,
                Error::Policy(PolicyViolation::SameAsCurrent | PolicyViolation::ContainsTemporary)
            ),
            "{new}: {err}"
        );
    }
    // Nothing changed: the temporary password still only allows a change.
    assert_eq!(
        p.portal.holder_sign_in(email, &secret(&shown)).unwrap(),
        SignIn::MustChangePassword
    );
    // An administrator cannot set it back either, in any of its forms.
    for new in [full_width(&shown), shown.to_lowercase(), plain.clone()] {
        let err = p
            .portal
            .admin_set_password(&p.admin, email, &secret(&new), &secret(&new), false, None)
            .expect_err(&new);
        assert!(
            matches!(err, Error::Policy(PolicyViolation::SameAsCurrent)),
            "{new}: {err}"
        );
    }
    // The holder signs in with the full-width form too (as hashing
    // normalises), and a real new password ends the temporary one.
    assert_eq!(
        p.portal
            .holder_sign_in(email, &secret(&full_width(&shown)))
            .unwrap(),
        SignIn::MustChangePassword
    );
    let own = "harbor violet tractor lantern";
    p.portal
        .holder_change_password(email, &secret(&shown), &secret(own), &secret(own))
        .unwrap();
    for old in [&shown, &plain, &full_width(&shown)] {
        assert!(
            matches!(
                p.portal.holder_sign_in(email, &secret(old)),
                Err(Error::WrongCredentials)
            ),
            "{old} no longer signs in"
        );
    }
    record_figure(
        "attack-01-temporary-kept",
        &format!(
            "attack 1, temporary password kept through the change: {} forms tried, 0 accepted",
            attempts.len() + 3
        ),
    );
}

#[test]
fn the_temporary_password_survives_the_change_through_the_binary() {
    let (_home, bin) = practice_bin();
    let (user, temp, _) = bin.reset("100005");
    // The attack, then the same form lower-cased and without dashes, one
    // per try the command gives.
    let wide = full_width(&temp);
    let tries = [
        wide.clone(),
        wide.to_lowercase(),
        full_width(&temp.replace('-', "")),
    ];
    let input: String = std::iter::once(format!("{temp}\n"))
        .chain(tries.iter().map(|t| format!("{t}\n{t}\n")))
        .collect();
    let out = bin.run(&["signin", "--email", &user, "--password-stdin"], &input);
    assert_eq!(out.code, 6, "policy refusal: {}", out.stderr);
    assert_eq!(
        out.stderr.matches("same as the current").count(),
        tries.len(),
        "every try refused: {}",
        out.stderr
    );
    // The temporary password is still temporary: it signs in only to change.
    let out = bin.run(
        &["signin", "--email", &user, "--password-stdin"],
        &format!("{temp}\n"),
    );
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("must choose a new password"),
        "{}",
        out.stderr
    );
}

// ---- 2. Accents defeat the account-words check -----------------------------

#[test]
fn accents_left_out_defeat_the_account_words_check() {
    let p = Practice::new();
    let csv = "account_number,last_name,first_name,date_of_birth,email\n\
               700001,Müller,Jürgen,2017-04-02,mueller.home@example.com\n\
               700002,Peña,Begoña,2015-09-12,familia.p@example.com\n";
    p.portal
        .import_patients(&p.admin, "accents.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let mut tried = 0;
    for (patient, email, weak) in [
        (
            "700001",
            "mueller.home@example.com",
            &[
                "Muller2017!!!",
                "JurgenMuller!!",
                "Müller2017!!!",
                "jurgen.muller.17",
            ][..],
        ),
        (
            "700002",
            "familia.p@example.com",
            &[
                "PenaBegona2015",
                "Begona.Pena.15",
                "Peña2015Begoña",
                "BEGONA-PENA-2015",
            ][..],
        ),
    ] {
        let temp = create_validate(&p.portal, &p.staff, patient, None, None)
            .unwrap()
            .password;
        for pw in weak {
            tried += 1;
            let err = p
                .portal
                .holder_change_password(email, &temp, &secret(pw), &secret(pw))
                .expect_err(pw);
            assert!(
                matches!(&err, Error::Policy(PolicyViolation::TooWeak { hint }) if hint.contains("your own name")),
                "{pw}: {err}"
            );
        }
        // A strong password that merely shares a letter run still passes.
        p.portal
            .holder_change_password(
                email,
                &temp,
                &secret("copper lantern orbit meadow"),
                &secret("copper lantern orbit meadow"),
            )
            .unwrap();
    }
    record_figure(
        "attack-02-accents",
        &format!(
            "attack 2, account words without their accents: {tried} passwords tried, 0 accepted"
        ),
    );
}

// ---- 5. Unsafe argon2 settings accepted silently ---------------------------

fn write_config(bin: &Bin, hashing: &str) {
    std::fs::write(
        bin.home.join("config.toml"),
        format!(
            "[log]\nfile = \"{}\"\n\n{hashing}",
            bin.home.join("portal-admin.log").display()
        ),
    )
    .unwrap();
}

#[test]
fn unsafe_argon2_settings_are_refused_at_start_naming_the_key_and_line() {
    let (_home, bin) = practice_bin();
    let before = std::fs::read(bin.db()).unwrap();
    let cfg = bin.home.join("config.toml");
    let mut tried = 0;
    // The attack's settings, each OWASP pair one KiB short, and one
    // iteration with the default memory.
    let weak: Vec<(String, &str, usize)> = vec![
        (
            "[hashing]\nmemory_kib = 8\niterations = 1\n".into(),
            "hashing.memory_kib",
            5,
        ),
        (
            "[hashing]\nmemory_kib = 19455\niterations = 2\n".into(),
            "hashing.memory_kib",
            5,
        ),
        (
            "[hashing]\nmemory_kib = 12287\niterations = 3\n".into(),
            "hashing.memory_kib",
            5,
        ),
        (
            "[hashing]\nmemory_kib = 9215\niterations = 4\n".into(),
            "hashing.memory_kib",
            5,
        ),
        (
            "[hashing]\nmemory_kib = 7167\niterations = 5\n".into(),
            "hashing.memory_kib",
            5,
        ),
        (
            "[hashing]\niterations = 1\n".into(),
            "hashing.iterations",
            5,
        ),
        (
            "[hashing]\nallow_weak = false\nmemory_kib = 46000\niterations = 1\n".into(),
            "hashing.memory_kib",
            6,
        ),
    ];
    for (hashing, key, line) in &weak {
        tried += 1;
        write_config(&bin, hashing);
        let out = bin.run(&["patients", "search", "gar"], "");
        assert_eq!(out.code, 1, "{hashing}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.is_empty(), "{hashing}: nothing runs");
        let err = out.stderr.trim_end();
        assert_eq!(err.lines().count(), 1, "one sentence: {err}");
        for part in [
            cfg.display().to_string(),
            format!("line {line}: {key}:"),
            "OWASP minimum".into(),
        ] {
            assert!(err.contains(&part), "{hashing}: {part} in {err}");
        }
        // Not even a Create/Validate writes a weak hash: it stops before
        // it reads the operator's password.
        let out = bin
            .command(&[
                "account",
                "reset",
                "--patient",
                "100005",
                "--operator",
                "sam",
                "--password-stdin",
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
    }
    assert!(
        std::fs::read(bin.db()).unwrap() == before,
        "the file is as it was"
    );
    // At the minimum itself, and below it only with allow_weak, which the
    // command line then says on standard error.
    write_config(&bin, "[hashing]\nmemory_kib = 7168\niterations = 5\n");
    let out = ran_ok(&bin, &["patients", "search", "gar"]);
    assert!(!out.stderr.contains("WEAK"), "{}", out.stderr);
    write_config(
        &bin,
        "[hashing]\nmemory_kib = 8\niterations = 1\nallow_weak = true\n",
    );
    let (_, temp, _) = bin.reset("100005");
    let out = ran_ok(&bin, &["patients", "search", "gar"]);
    assert!(
        out.stderr
            .contains("warning: WEAK password hashing (argon2id m=8,t=1)"),
        "{}",
        out.stderr
    );
    assert!(
        temp.chars().filter(char::is_ascii_alphanumeric).count() >= 12,
        "a Create/Validate ran: {temp}"
    );
    record_figure(
        "attack-05-weak-argon2",
        &format!(
            "attack 5, argon2 settings below the OWASP minimum: {tried} configurations tried, 0 started"
        ),
    );
}

#[test]
fn the_app_and_the_cli_can_tell_weak_hashing_is_allowed() {
    let weak = Practice::with_config(|c| {
        c.hashing.memory_kib = 1024;
        c.hashing.iterations = 1;
        c.hashing.allow_weak = true;
    });
    let notice = weak.portal.weak_hashing_notice().expect("a notice");
    assert!(
        notice.contains("m=1024,t=1") && notice.contains("tests only"),
        "{notice}"
    );
    assert_eq!(Practice::new().portal.weak_hashing_notice(), None);
    // Without allow_weak the services refuse to start at all.
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_in(dir.path());
    config.hashing.memory_kib = 1024;
    config.hashing.iterations = 1;
    let err = Portal::create(
        &dir.path().join("p.redb"),
        config,
        Arc::new(ManualClock::monday_morning()),
    )
    .unwrap_err();
    assert!(err.to_string().contains("hashing.memory_kib"), "{err}");
}

// ---- 6. Invisible characters pass the import -------------------------------

#[test]
fn invisible_characters_pass_the_import() {
    let p = Practice::new();
    let before = p.portal.practice().unwrap();
    // The attack's characters, then the rest of Default_Ignorable_Code_Point
    // that a name could hide.
    let invisible = [
        "\u{E0041}\u{E0042}",
        "\u{3164}",
        "\u{FE0F}\u{FE0F}\u{FE0F}",
        "\u{115F}",
        "\u{1160}",
        "\u{FFA0}",
        "\u{034F}",
        "\u{180B}",
        "\u{17B4}",
        "\u{2064}",
        "\u{E0100}",
        "\u{1D173}",
        "\u{00AD}",
        "\u{200D}",
    ];
    let mut tried = 0;
    for (i, hidden) in invisible.iter().enumerate() {
        for (column, row) in [
            (
                "last_name",
                format!("800001,Smith{hidden},Olivia,2018-07-04,\n"),
            ),
            (
                "first_name",
                format!("800001,Smith,{hidden}Olivia,2018-07-04,\n"),
            ),
        ] {
            tried += 1;
            let csv = format!(
                "account_number,last_name,first_name,date_of_birth,email\n\
                 800002,Smith,Ava,2018-07-04,\n{row}"
            );
            let report = p
                .portal
                .import_patients(&p.admin, "hidden.csv", csv.as_bytes(), 0, false, &mut ())
                .unwrap();
            assert!(!report.applied, "{i}: {column}");
            assert_eq!(report.errors.len(), 1, "{i}: {:?}", report.errors);
            let e = &report.errors[0];
            assert_eq!(e.line, 3, "the row");
            let first = hidden.chars().next().unwrap();
            assert!(
                e.message.contains(column)
                    && e.message.contains(&format!("U+{:04X}", first as u32)),
                "{i}: the column and the character: {}",
                e.message
            );
        }
    }
    assert_eq!(p.portal.practice().unwrap(), before, "nothing was imported");
    // Operators' names, account emails and the practice's name too.
    for hidden in invisible {
        tried += 3;
        let pw = secret("copper lantern orbit meadow");
        assert!(
            p.portal
                .add_operator(&p.admin, &format!("sam{hidden}"), Role::Staff, &pw, &pw)
                .is_err(),
            "operator name with U+{:04X}",
            hidden.chars().next().unwrap() as u32
        );
        let err = create_validate(
            &p.portal,
            &p.staff,
            "100004",
            Some(&format!("minh{hidden}@example.com")),
            None,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{err}");
        assert!(
            p.portal
                .setup_portal(
                    &p.admin,
                    "https://portal.example.org/signin",
                    "PEDS-042",
                    Some(&format!("Sunshine{hidden} Pediatrics")),
                )
                .is_err()
        );
    }
    assert_eq!(p.portal.operators().unwrap().len(), 2);
    assert_eq!(p.portal.patient_view("100004").unwrap().account, None);
    record_figure(
        "attack-06-invisible",
        &format!(
            "attack 6, invisible characters in names, operator names, emails and the practice name: {tried} tried, 0 stored"
        ),
    );
}

// ---- 8. `backup FILE` can replace a file created during it ------------------

#[test]
fn backup_replaces_a_file_created_between_its_check_and_its_rename() {
    let p = Practice::new();
    // Enough patients that the copy takes a while: a wide window to plant in.
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    for i in 0..20_000 {
        csv.push_str(&format!("{},Bulk,Kid{i},2020-02-02,\n", 900_000 + i));
    }
    p.portal
        .import_patients(&p.admin, "bulk.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let (mut raced, mut replaced) = (0, 0);
    for round in 0..5 {
        let dest = p.dir.path().join(format!("backup-{round}.redb"));
        let partial = p.dir.path().join(format!("backup-{round}.redb.partial"));
        let planted = std::thread::scope(|scope| {
            let planter = scope.spawn(|| {
                // The attacker waits for the copy to start, then creates
                // the file the backup is about to be renamed to.
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
                while !partial.exists() && std::time::Instant::now() < deadline {
                    std::hint::spin_loop();
                }
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&dest)
                    .and_then(|mut f| std::io::Write::write_all(&mut f, b"planted"))
                    .is_ok()
            });
            let result = p.portal.backup(&p.admin, &dest);
            let planted = planter.join().unwrap();
            if planted {
                assert!(
                    matches!(result, Err(Error::DatabaseExists(_))),
                    "round {round}: {result:?}"
                );
            } else {
                result.expect("no race: the backup lands");
            }
            planted
        });
        if planted {
            raced += 1;
            if std::fs::read(&dest).unwrap() != b"planted" {
                replaced += 1;
            }
        }
        assert!(!partial.exists(), "round {round}: no partial file left");
    }
    assert!(
        raced >= 1,
        "the planter won at least one race ({raced} of 5)"
    );
    assert_eq!(replaced, 0, "a planted file was replaced");
    record_figure(
        "attack-08-backup-race",
        &format!(
            "attack 8, a file planted while a backup is written: {raced} of 5 races planted in time, 0 replaced"
        ),
    );
}

// ---- 12. File modes --------------------------------------------------------

#[test]
fn an_existing_log_file_at_0644_stays_0644_and_is_appended_to() {
    let (_home, bin) = practice_bin();
    let log = bin.home.join("portal-admin.log");
    chmod(&log, 0o644);
    let before = std::fs::read_to_string(&log).unwrap();
    let out = ran_ok(&bin, &["operator", "list"]);
    assert!(
        out.stderr
            .contains("was open to others (mode 0644); it is now 0600"),
        "{}",
        out.stderr
    );
    assert_eq!(mode(&log), 0o600);
    assert!(std::fs::read_to_string(&log).unwrap().starts_with(&before));
    // Said once: the next run finds it private.
    let out = bin.run(&["operator", "list"], "");
    assert!(!out.stderr.contains("0644"), "{}", out.stderr);
    let mut tried = 1;
    // Any access for the group or others is taken away, not only 0644's.
    for open in [0o640, 0o660, 0o604, 0o666, 0o777] {
        tried += 1;
        chmod(&log, open);
        ran_ok(&bin, &["operator", "list"]);
        assert_eq!(mode(&log), 0o600, "{open:o}");
    }
    record_figure(
        "attack-12a-log-mode",
        &format!("attack 12, a log file open to others: {tried} modes tried, 0 left open"),
    );
}

#[test]
fn a_symlink_in_the_log_files_place_is_followed() {
    let (_home, bin) = practice_bin();
    let log = bin.home.join("portal-admin.log");
    let target = bin.home.join("victim.txt");
    std::fs::write(&target, "someone else's file\n").unwrap();
    std::fs::remove_file(&log).unwrap();
    std::os::unix::fs::symlink(&target, &log).unwrap();
    let out = bin.run(&["operator", "list"], "");
    assert_eq!(out.code, 0, "the command still runs: {}", out.stderr);
    assert!(
        out.stderr.contains("symbolic link") && out.stderr.contains("without a log"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "someone else's file\n"
    );
    // A dangling link is not followed into creating a file either.
    let nowhere = bin.home.join("created-by-link.txt");
    std::fs::remove_file(&log).unwrap();
    std::os::unix::fs::symlink(&nowhere, &log).unwrap();
    ran_ok(&bin, &["operator", "list"]);
    assert!(!nowhere.exists());
    record_figure(
        "attack-12b-log-symlink",
        "attack 12, a symbolic link in the log's place: 2 links tried (to a file, dangling), 0 followed",
    );
}

#[test]
fn a_database_or_config_at_0666_is_used_without_a_word() {
    let (_home, bin) = practice_bin();
    let db = bin.db();
    let cfg = bin.home.join("config.toml");
    assert_eq!(mode(&db), 0o600, "init makes it private");
    let (mut refused, mut warned) = (0, 0);
    for (path, what) in [(&db, "database"), (&cfg, "configuration file")] {
        chmod(path, 0o666);
        let before = std::fs::read(&db).unwrap();
        for args in [
            &["operator", "list"][..],
            &["patients", "search", "gar"][..],
        ] {
            let out = bin.run(args, "");
            assert_eq!(out.code, 1, "{what} 0666 {args:?}: {}", out.stdout);
            assert!(out.stdout.is_empty());
            assert!(
                out.stderr
                    .contains(&format!("the {what} {}", path.display()))
                    && out.stderr.contains("anyone on this computer")
                    && out.stderr.contains("chmod 600"),
                "{}",
                out.stderr
            );
            refused += 1;
        }
        assert!(
            std::fs::read(&db).unwrap() == before,
            "refused runs wrote nothing"
        );
        // Group-writable: it runs, with a warning that names it.
        chmod(path, 0o660);
        let out = ran_ok(&bin, &["operator", "list"]);
        assert!(
            out.stderr.contains(&format!(
                "warning: the {what} {} can be changed by its group",
                path.display()
            )),
            "{}",
            out.stderr
        );
        warned += 1;
        chmod(path, if path == &db { 0o600 } else { 0o644 });
        let out = bin.run(&["operator", "list"], "");
        assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    }
    // A database readable by others is named: it holds patient data.
    chmod(&db, 0o644);
    let out = bin.run(&["operator", "list"], "");
    assert!(
        out.stderr.contains("can be read by other users"),
        "{}",
        out.stderr
    );
    warned += 1;
    record_figure(
        "attack-12c-open-files",
        &format!(
            "attack 12, a database or config open to others: {} runs tried, {refused} refused (world-writable), {warned} warned (group-writable, readable), 0 silent",
            refused + warned
        ),
    );
}

#[test]
fn a_database_owned_by_someone_else_is_named() {
    let (_home, bin) = practice_bin();
    let me = portal_admin::files::effective_uid();
    if me != 0 {
        // Only root can give a file away; CI runs as root.
        eprintln!("skipped: not root");
        return;
    }
    std::os::unix::fs::chown(bin.db(), Some(4321), None).unwrap();
    let out = ran_ok(&bin, &["operator", "list"]);
    assert!(
        out.stderr.contains("belongs to user id 4321"),
        "{}",
        out.stderr
    );
    // A log file someone else owns is not written to.
    let log = bin.home.join("portal-admin.log");
    std::os::unix::fs::chown(&log, Some(4321), None).unwrap();
    let size = std::fs::metadata(&log).unwrap().len();
    let out = bin.run(&["operator", "list"], "");
    assert!(
        out.stderr.contains("belongs to user id 4321") && out.stderr.contains("without a log"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::metadata(&log).unwrap().len(), size);
    record_figure(
        "attack-12e-owner",
        "attack 12, files owned by another user: a database (named in a warning) and a log (not written), 0 used silently",
    );
}

#[test]
fn folders_that_init_creates_follow_the_umask() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let db = bin.home.join("data/practice/deep/portal.redb");
    let log_dir = bin.home.join("logs/portal-admin");
    std::fs::write(
        bin.home.join("config.toml"),
        format!(
            "[log]\nfile = \"{}\"\n",
            log_dir.join("portal-admin.log").display()
        ),
    )
    .unwrap();
    // The real binary under umask 000, as a careless service file would run it.
    let cmd = bin.command(&["--db", db.to_str().unwrap(), "init"]);
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    let out = sh.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dirs = [
        "data",
        "data/practice",
        "data/practice/deep",
        "logs",
        "logs/portal-admin",
    ];
    for dir in dirs {
        assert_eq!(mode(&bin.home.join(dir)), 0o700, "{dir}");
    }
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&log_dir.join("portal-admin.log")), 0o600);
    record_figure(
        "attack-12d-umask",
        &format!(
            "attack 12, init under umask 000: {} folders and 2 files created, 0 open to others",
            dirs.len()
        ),
    );
}
