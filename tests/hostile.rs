//! Hostile and broken input: damaged database files, escape sequences in
//! data, config and paste — a clear error or a safe rendering, never a
//! panic, a hang, or a raw escape reaching the terminal.

mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use portal_admin::Portal;
use portal_admin::clock::ManualClock;
use portal_admin::tui::harness::Harness;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Runs the binary with a deadline; a hang is a failure.
fn run_bounded(bin: &Bin, args: &[&str]) -> Output {
    let mut child = bin.command(args).stdin(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(_status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return Output {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            };
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("portal-admin {args:?} hung on a damaged file");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn damaged_database_files_give_clear_errors_never_panics_or_hangs() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100001");
    let good = std::fs::read(bin.db()).unwrap();
    let mut rng = StdRng::seed_from_u64(2026);
    let mut tried = 0;
    let mut refused = 0;
    // Byte flips anywhere in the file.
    for _ in 0..120 {
        let mut bytes = good.clone();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..bytes.len());
            bytes[at] ^= rng.random_range(1..=255u8);
        }
        std::fs::write(bin.db(), &bytes).unwrap();
        for args in [&["audit", "verify"][..], &["patients", "search", "gar"][..]] {
            let out = run_bounded(&bin, args);
            tried += 1;
            assert!(
                !out.stderr.contains("panicked") && out.code != 101,
                "{args:?}: {}",
                out.stderr
            );
            if out.code != 0 {
                refused += 1;
                assert_eq!(
                    out.stderr.trim_end().lines().count(),
                    1,
                    "{args:?}: one line: {}",
                    out.stderr
                );
                assert!(out.stderr.starts_with("portal-admin: "), "{}", out.stderr);
            }
        }
    }
    // Truncation at many offsets.
    for i in 0..40 {
        let cut = good.len() * i / 40;
        std::fs::write(bin.db(), &good[..cut]).unwrap();
        let out = run_bounded(&bin, &["audit", "verify"]);
        tried += 1;
        assert!(
            !out.stderr.contains("panicked") && out.code != 101,
            "cut {cut}: {}",
            out.stderr
        );
        assert_ne!(
            out.code, 0,
            "cut {cut}: a truncated file is not silently accepted"
        );
        refused += 1;
    }
    record_figure(
        "damaged-files",
        &format!(
            "damaged files: {tried} runs, {refused} refused with a one-line error, 0 panics, 0 hangs"
        ),
    );
}

#[test]
fn escape_sequences_in_the_database_never_reach_the_terminal() {
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;
    use std::io::Write;
    use std::sync::Mutex;

    // Someone edits the file directly to plant control sequences in a name,
    // bypassing the import's checks.
    let p = Practice::new();
    let evil_last = "Evil\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J\u{9b}31m\u{202E}Name";
    {
        drop(Portal::open(&p.db(), config_in(p.dir.path()), p.clock.clone()).unwrap());
        edit_file(&p.db(), false, |tx| {
            // The patient's row and its name-index row (what the list shows).
            let planted = portal_admin::domain::Patient {
                account_number: "100005".into(),
                last_name: evil_last.into(),
                first_name: "Olivia\u{0}\u{7f}".into(),
                date_of_birth: time::macros::date!(2018 - 07 - 04),
                email: portal_admin::domain::Email::parse("smith.family@example.net").ok(),
            };
            let row = portal_admin::store::encode_row(&planted, None);
            for (table, key) in [
                ("patients", "100005"),
                ("idx_patient_name", "smith olivia 100005"),
            ] {
                let mut idx = tx
                    .open_table(redb::TableDefinition::<&str, &[u8]>::new(table))
                    .unwrap();
                assert!(redb::ReadableTable::get(&idx, key).unwrap().is_some());
                idx.insert(key, row.as_slice()).unwrap();
            }
        });
    }
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let portal = Portal::open(
        &p.db(),
        config_in(p.dir.path()),
        Arc::new(ManualClock::monday_morning()),
    )
    .unwrap();
    let mut hs = Harness::signed_in(portal, "sam", STAFF_PW, 120, 40);
    let sink = Sink::default();
    let mut term = Terminal::with_options(
        CrosstermBackend::new(sink.clone()),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 120, 40)),
        },
    )
    .unwrap();
    // Leave the search box, then select the planted patient (the fifth row).
    for _ in 0..5 {
        hs.key(crossterm::event::KeyCode::Down);
    }
    term.draw(|f| hs.app.draw(f)).unwrap();
    let bytes = sink.0.lock().unwrap().clone();
    // What a person sees: the controls made visible.
    let seen = hs.screen();
    assert!(
        seen.contains("Evil^[]52;c;SGVsbG8=^G^[[2J<U+009B>31m<U+202E>Name"),
        "{seen}"
    );
    assert!(seen.contains("Olivia^@^?"), "{seen}");
    for bad in [
        &b"\x1b]52"[..],
        b"\x1b[2J",
        "\u{202E}".as_bytes(),
        "\u{9b}".as_bytes(),
        b"\x07",
        b"\x00",
    ] {
        assert!(
            !bytes.windows(bad.len()).any(|w| w == bad),
            "raw {bad:?} reached the terminal"
        );
    }
    // The CLI prints the same name escaped too.
    let bin = Bin::new(p.dir.path());
    let out = bin.run(
        &[
            "--db",
            p.db().to_str().unwrap(),
            "patients",
            "search",
            "100005",
        ],
        "",
    );
    assert!(out.stdout.contains("Evil^[]52"), "{}", out.stdout);
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'));
}

#[test]
fn hostile_config_files_are_refused_without_echoing_escapes() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    for text in [
        "[log]\nlevel = \"\u{1b}[2J\u{1b}]52;c;AAAA\u{7}\"\n".to_owned(),
        "\u{1b}[31m = 1\n".to_owned(),
        format!("[policy]\nmin_length = {}\n", "9".repeat(1 << 20)),
        "[ui]\nidle_minutes = -1\n".to_owned(),
        "[temporary_password]\nalphabet = \"ABC\u{202E}DEFGHJKMNPQRSTUV\"\n".to_owned(),
        String::new() + "\u{0}",
    ] {
        std::fs::write(home.path().join("config.toml"), &text).unwrap();
        let out = bin.run(&["init"], "");
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            !out.stderr.contains('\u{1b}')
                && !out.stderr.contains('\u{7}')
                && !out.stderr.contains('\u{202E}'),
            "{:?}",
            out.stderr
        );
        assert!(
            out.stderr.len() < 2000,
            "a short message, not the whole file"
        );
        assert!(!bin.db().exists(), "nothing was created");
    }
}

#[test]
fn backup_is_consistent_while_another_process_writes() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    // A writer keeps resetting in another process.
    let mut writer = bin
        .command(&[
            "account",
            "reset",
            "--patient",
            "100003",
            "--operator",
            "sam",
            "--password-stdin",
        ])
        .spawn()
        .unwrap();
    drop(writer.stdin.take());
    for i in 0..3 {
        bin.reset("100001");
        let dest = home.path().join(format!("backup-{i}.redb"));
        let out = bin.admin(&["backup", dest.to_str().unwrap()], "");
        assert!(out.starts_with("backup written to"), "{out}");
        let verify = bin.ok(&["--db", dest.to_str().unwrap(), "audit", "verify"], "");
        assert!(verify.starts_with("audit trail intact"), "{verify}");
        let found = bin.ok(
            &[
                "--db",
                dest.to_str().unwrap(),
                "patients",
                "search",
                "garcia",
            ],
            "",
        );
        assert_eq!(found.lines().count(), 2);
        // Never overwritten.
        assert_eq!(
            bin.admin_run(&["backup", dest.to_str().unwrap()], "").code,
            1
        );
    }
    let _ = writer.wait();
    let audit = bin.ok(&["audit", "list"], "");
    assert!(audit.contains("backup_made"));
}

#[test]
fn hostile_csv_rows_are_each_named_and_nothing_is_imported() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let before = bin.ok(&["audit", "list"], "");
    let mut csv: Vec<u8> = b"account_number,last_name,first_name,date_of_birth,email\n".to_vec();
    let rows: Vec<(Vec<u8>, &str)> = vec![
        (
            format!("700001,{},Big,2019-01-01,\n", "A".repeat(1 << 20)).into_bytes(),
            "too long",
        ),
        (b"700002,Bad\xff\xfeUtf,X,2019-01-01,\n".to_vec(), "UTF-8"),
        (b"700003,Nul\x00Name,X,2019-01-01,\n".to_vec(), "U+0000"),
        (
            "700004,Rtl\u{202E}Name,X,2019-01-01,\n".as_bytes().to_vec(),
            "U+202E",
        ),
        (
            "700005,Zero\u{200B}Width,X,2019-01-01,\n"
                .as_bytes()
                .to_vec(),
            "U+200B",
        ),
        (
            "700006,Z\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}algo,X,2019-01-01,\n"
                .as_bytes()
                .to_vec(),
            "combining",
        ),
        (b"700007,,X,2019-01-01,\n".to_vec(), "empty"),
        (
            b"700008,Osc,\x1b]52;c;AAAA\x07,2019-01-01,\n".to_vec(),
            "U+001B",
        ),
        (
            b",No,Account,2019-01-01,\n".to_vec(),
            "account_number is empty",
        ),
    ];
    for (row, _) in &rows {
        csv.extend_from_slice(row);
    }
    let file = home.path().join("hostile.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = bin.admin_run(&["import", file.to_str().unwrap()], "");
    assert_eq!(out.code, 1);
    for (i, (_, why)) in rows.iter().enumerate() {
        let needle = format!("hostile.csv:{}: ", i + 2);
        let line = out
            .stderr
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap_or_else(|| panic!("line {} not reported:\n{}", i + 2, out.stderr));
        assert!(line.contains(why), "{line}");
        assert!(
            line.len() < 400,
            "a short sentence, not the field: {} bytes",
            line.len()
        );
    }
    assert!(
        !out.stderr.contains('\u{1b}')
            && !out.stderr.contains('\u{202E}')
            && !out.stderr.contains('\u{0}')
    );
    let after = bin.ok(&["audit", "list"], "");
    let new = after.strip_prefix(before.as_str()).unwrap_or(&after);
    assert!(
        new.lines().all(|l| l.contains("\toperator_sign_in\t")),
        "nothing imported, only the administrator's sign-in: {new}"
    );
}

/// Issue 11: a paste into the families' forms. A newline in a pasted email
/// never submits the add-guardian form; escape sequences pasted into the
/// reason for removing a guardian reach neither the audit trail nor the
/// screen as control characters.
#[test]
fn escape_sequences_pasted_into_the_guardian_forms_never_submit_or_reach_the_record() {
    use crossterm::event::KeyCode;
    use portal_admin::domain::Relationship;
    use portal_admin::services::AddGuardian;
    use portal_admin::tui::component::ModalKind;

    let p = Practice::new();
    p.create_validate("100005");
    p.portal
        .add_guardian(
            &p.staff,
            &AddGuardian::new("100005", "dan.smith@example.net", Relationship::Father)
                .identity_check(Some(IDENTITY_CHECK)),
        )
        .unwrap();
    let mut hs = p.app_signed_in("ana", 80, 24);
    let before = hs.practice.audit_count();
    hs.type_text("smith");
    hs.key(KeyCode::F(3));
    hs.paste("someone@example.net\r\n\u{1b}[2J");
    assert_eq!(
        hs.top_modal(),
        Some(ModalKind::AddGuardian),
        "{}",
        hs.screen()
    );
    assert!(!hs.screen().contains('\u{1b}'));
    hs.key(KeyCode::Esc);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    assert_eq!(hs.top_modal(), None, "{}", hs.screen());
    assert_eq!(hs.practice.audit_count(), before, "nothing was added");

    // Control Panel → dan's details → Remove guardian… → the reason.
    hs.key(KeyCode::Esc);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    hs.type_text("dan.");
    hs.key(KeyCode::Enter);
    for _ in 0..4 {
        hs.key(KeyCode::Tab);
    }
    hs.key(KeyCode::Enter);
    assert_eq!(
        hs.top_modal(),
        Some(ModalKind::RemoveGuardian),
        "{}",
        hs.screen()
    );
    hs.key(KeyCode::Tab);
    hs.paste("custody\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J\u{9b}31m order\n");
    assert_eq!(
        hs.top_modal(),
        Some(ModalKind::RemoveGuardian),
        "a newline never submits"
    );
    let screen = hs.screen();
    assert!(screen.contains("custody]52;c;SGVsbG8=[2J"), "{screen}");
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{9b}'),
        "{screen}"
    );
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    hs.settle();
    let event = hs.app.portal().audit_list(0, 1_000).unwrap().pop().unwrap();
    assert_eq!(event.action, portal_admin::domain::Action::GuardianRemoved);
    assert!(
        event
            .outcome
            .contains("reason: custody]52;c;SGVsbG8=[2J31m order"),
        "{event:?}"
    );
    assert!(!event.outcome.chars().any(char::is_control), "{event:?}");
}
