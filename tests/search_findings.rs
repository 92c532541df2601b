//! What a tester with fresh eyes found in the app's and the command line's
//! side of search (issue 12): pasting, long queries, `--limit`, a refused
//! upgrade. Each finding is a test named after it. (The query language's
//! own findings are in tests/search.rs.)

mod common;

use std::path::Path;

use common::*;

fn rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .filter(|l| l.contains("│  1000") || l.contains("│> 1000"))
        .collect()
}

#[test]
fn a_pasted_tab_or_newline_separates_words_in_the_search_box() {
    let mut app = Practice::new().app_signed_in("sam", 120, 30);
    // Copied from a spreadsheet: a tab between the cells.
    app.paste("Smith\tOlivia");
    let screen = app.screen();
    assert!(screen.contains("Search: Smith Olivia "), "{screen}");
    assert_eq!(rows(&screen).len(), 1, "{screen}");
    assert!(rows(&screen)[0].contains("Smith, Olivia"), "{screen}");
    // Copied as two lines, the last line break included.
    app.ctrl('u');
    app.paste("smith\r\n2018\r\n");
    let screen = app.screen();
    assert!(screen.contains("Search: smith 2018 "), "{screen}");
    assert!(rows(&screen)[0].contains("Smith, Olivia"), "{screen}");
    // The command line reads the same words the same way.
    let out = app
        .practice
        .portal
        .search_patients("Smith\tOlivia", None, 10)
        .unwrap();
    assert_eq!(out.items[0].account_number(), "100005");
}

#[test]
fn a_very_long_paste_is_cut_and_said_and_the_app_stays_quick() {
    let mut app = Practice::new().app_signed_in("sam", 120, 30);
    // 120,000 characters: before, the app spent minutes inserting them one
    // by one, then searched for all of them.
    app.paste(&"smith ".repeat(20_000));
    let screen = app.screen();
    assert!(
        screen.contains(
            "Only the first 1000 characters of the pasted text were kept (119000 left out)."
        ),
        "{screen}"
    );
    // A search box holds what a search reads: the 1000 kept are refused
    // in one sentence under it, without being repeated.
    assert!(
        screen.contains("a search is at most 200 characters long; this one has 1000"),
        "{screen}"
    );
    // Emptying it brings the list back.
    app.ctrl('u');
    assert_eq!(rows(&app.screen()).len(), 5, "{}", app.screen());
}

#[test]
fn a_failed_search_on_the_command_line_does_not_repeat_a_huge_query() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let huge = "smith ".repeat(20_000);
    let out = bin.run(&["patients", "search", &huge], "");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr.trim_end(),
        "portal-admin: QUERY: a search is at most 200 characters long; this one has 120000"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn limit_zero_or_above_a_thousand_is_refused_and_a_cut_list_says_so() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    for bad in ["0", "5000", "1.5"] {
        let out = bin.run(&["patients", "search", "a", "--limit", bad], "");
        assert_eq!(out.code, 2, "--limit {bad}: {}", out.stdout);
        assert!(out.stderr.contains("--limit"), "{}", out.stderr);
        assert!(out.stdout.is_empty(), "--limit {bad}: {}", out.stdout);
    }
    // One row asked, more match: the one row, and a line on stderr.
    let out = bin.run(&["patients", "search", "garcia", "--limit", "1"], "");
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert_eq!(
        out.stderr.trim_end(),
        "more patients match: narrow the search, or raise --limit (at most 1000; 1 now)"
    );
    // The same with --json: the JSON stays clean, the line is on stderr.
    let out = bin.run(
        &["patients", "search", "garcia", "--limit", "1", "--json"],
        "",
    );
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with('['), "{}", out.stdout);
    assert!(
        out.stderr.starts_with("more patients match"),
        "{}",
        out.stderr
    );
    // All of them: nothing more said.
    let out = bin.run(&["patients", "search", "garcia", "--limit", "1000"], "");
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    assert_eq!(out.stderr, "");
    for bad in ["0", "201"] {
        let out = bin.run(
            &["account", "history", "--patient", "100001", "--limit", bad],
            "",
        );
        assert_eq!(out.code, 2, "history --limit {bad}: {}", out.stdout);
    }
}

/// Fresh tester 2, N4: a name too long for its copy was told to make a
/// writable folder writable; the advice now follows the cause.
#[test]
fn an_upgrade_whose_copy_name_is_too_long_says_nothing_changed_and_to_shorten_the_name() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    // A name the copy's longer name cannot have (255 bytes at most on
    // Linux): the copy cannot be created, as in a read-only folder (which
    // root, running the tests in CI, could write anyway).
    let db = home.path().join(format!("{}.redb", "p".repeat(245)));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-1.redb");
    std::fs::copy(&fixture, &db).unwrap();
    let out = bin.run(
        &["--db", db.to_str().unwrap(), "patients", "search", "garcia"],
        "",
    );
    assert_ne!(out.code, 0);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let err = out.stderr.trim_end();
    assert!(
        err.contains("needs an upgrade from schema 1, which first keeps a copy at"),
        "{err}"
    );
    assert!(
        err.ends_with(
            "that copy cannot be created (file name too long); nothing was changed: give the file a shorter name and open it again"
        ),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // Still the old schema with all of it: moved to a usable name, it is
    // upgraded then (its copy made) and everything is there.
    std::fs::rename(&db, bin.db()).unwrap();
    assert!(!home.path().join("portal.redb.schema-1.bak").exists());
    bin.upgrades_the_schema_1_fixture_whole();
}

/// N4, a folder this user cannot write (the file is theirs): the advice is
/// to make it writable or move the file. Needs root (to run the binary as
/// another user); skipped, saying so, otherwise.
#[test]
fn an_upgrade_whose_copy_the_folder_refuses_says_to_make_it_writable() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if !rustix::process::geteuid().is_root() {
        eprintln!("skipped: running the binary as another user needs root");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = Bin::new(home.path());
    let folder = home.path().join("shared");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("portal.redb");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-1.redb");
    std::fs::copy(&fixture, &db).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(&db, Some(65534), Some(65534)).unwrap();
    let mut cmd = bin.command(&["--db", db.to_str().unwrap(), "patients", "search", "garcia"]);
    cmd.uid(65534).gid(65534);
    let out = run_command(cmd, "");
    assert_ne!(out.code, 0);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let err = out.stderr.trim_end();
    assert!(
        err.ends_with(&format!(
            "needs an upgrade from schema 1, which first keeps a copy at {}.schema-1.bak, but that copy cannot be created (permission denied); nothing was changed: make its folder writable for this user (or move the file to one that is) and open it again",
            db.display()
        )),
        "{err}"
    );
    assert!(!folder.join("portal.redb.schema-1.bak").exists());
}

/// N4, a full disk: the copy cannot be written; the advice is to free
/// space, and nothing is left behind. Needs root (a small tmpfs); skipped,
/// saying so, otherwise.
#[test]
fn an_upgrade_whose_copy_does_not_fit_on_the_disk_says_to_free_space() {
    if !rustix::process::geteuid().is_root() {
        eprintln!("skipped: mounting a small file system needs root");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let disk = home.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-1.redb");
    let size = std::fs::metadata(&fixture).unwrap().len();
    // Room for the file and 16 KiB more.
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o"])
        .arg(format!("size={}", size + 16 * 1024))
        .arg("tmpfs")
        .arg(&disk)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: this machine refuses to mount a tmpfs");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&disk);
    let db = disk.join("portal.redb");
    std::fs::copy(&fixture, &db).unwrap();
    let out = bin.run(
        &["--db", db.to_str().unwrap(), "patients", "search", "garcia"],
        "",
    );
    assert_ne!(out.code, 0);
    let err = out.stderr.trim_end();
    assert!(
        err.contains("but that copy could not be written ("),
        "{err}"
    );
    assert!(
        err.ends_with(
            "nothing was changed: free space on its disk (the copy is about the size of the file) and open it again"
        ),
        "{err}"
    );
    assert!(!disk.join("portal.redb.schema-1.bak").exists());
    // Still schema 1 with everything: moved to a disk with room, it upgrades.
    std::fs::copy(&db, bin.db()).unwrap();
    bin.upgrades_the_schema_1_fixture_whole();
}

/// First tester: at 80x24 the Users list cut emails at about 21
/// characters, so a login's domain never showed; second tester: keeping
/// the domain instead cut the name and digits that tell families apart
/// (`ahm…@mail.example.com` eleven times). Rows keep a login's beginning;
/// the selected login is shown whole under them.
#[test]
fn the_users_list_at_80x24_shows_the_selected_login_whole() {
    use crossterm::event::KeyCode;
    let p = Practice::new();
    p.create_validate("100003");
    p.create_validate("100005");
    let mut app = p.app_signed_in("ana", 80, 24);
    app.key(KeyCode::Tab);
    app.key(KeyCode::Tab);
    let screen = app.screen();
    assert!(
        screen.contains("> kathleen.obrien@exam… ACTIVE"),
        "{screen}"
    );
    assert!(
        screen.contains("  smith.family@example… ACTIVE"),
        "{screen}"
    );
    assert!(
        screen.contains("Selected: kathleen.obrien@example.org"),
        "{screen}"
    );
    assert!(
        screen.contains("page 1 · 1 of 2 · Enter: details"),
        "{screen}"
    );
    app.key(KeyCode::Down);
    let screen = app.screen();
    assert!(
        screen.contains("Selected: smith.family@example.net"),
        "{screen}"
    );
    assert!(
        screen.contains("page 1 · 2 of 2 · Enter: details"),
        "{screen}"
    );
}

/// Second tester, finding 3: at 80x24 and 60x20 the last lines of F1's
/// "What the search finds" (account numbers, emails) could not be scrolled
/// to, and nothing said that more followed.
#[test]
fn the_end_of_help_can_be_reached_at_80x24_and_60x20() {
    use crossterm::event::KeyCode;
    for (w, h) in [(80, 24), (60, 20)] {
        let mut app = Practice::new().app_signed_in("sam", w, h);
        app.key(KeyCode::F(1));
        let first = app.screen();
        assert!(first.contains("more below: ↓ PgDn"), "{w}x{h}: {first}");
        for _ in 0..20 {
            app.key(KeyCode::PageDown);
        }
        let end = app.screen();
        assert!(end.contains("a part of an email: moore"), "{w}x{h}: {end}");
        // Fresh eyes F10 (2026-11-29): help did not say a guardian's own
        // login finds the child.
        assert!(
            end.contains("(the patient's, or any current guardian's login)"),
            "{w}x{h}: {end}"
        );
        assert!(!end.contains("more below"), "{w}x{h}: {end}");
    }
}

/// Second tester, finding 7: a search refused as too long left the rows of
/// the search before it on screen, and F2 opened a reset for one of them.
#[test]
fn a_refused_search_leaves_no_rows_of_the_search_before_it_to_act_on() {
    use crossterm::event::KeyCode;
    let mut app = Practice::new().app_signed_in("sam", 80, 24);
    app.type_text("smith");
    assert!(
        app.screen().contains("> 100005 Smith, Olivia"),
        "{}",
        app.screen()
    );
    app.paste(&format!(" {}", "y".repeat(200)));
    let screen = app.screen();
    assert!(
        screen.contains("│a search is at most 200 characters"),
        "{screen}"
    );
    assert!(screen.contains("│long; this one has 206"), "{screen}");
    assert!(!screen.contains("Smith, Olivia"), "{screen}");
    app.key(KeyCode::F(2));
    assert!(app.top_modal().is_none(), "{}", app.screen());
    // Back under 200, the list returns.
    app.ctrl('u');
    app.type_text("smith");
    assert!(
        app.screen().contains("> 100005 Smith, Olivia"),
        "{}",
        app.screen()
    );
}

/// Second tester, N7: full-width letters were read (`ｓｍｉｔｈ`) but
/// full-width digits (`２０１８`, `１０００05`) found nothing.
#[test]
fn full_width_digits_are_read_as_digits() {
    let p = Practice::new();
    let first = |q: &str| {
        let page = p.portal.search_patients(q, None, 10).unwrap();
        page.items.first().map(|r| r.account_number().to_owned())
    };
    assert_eq!(first("ｓｍｉｔｈ ２０１８").as_deref(), Some("100005"));
    assert_eq!(first("１０００05").as_deref(), Some("100005"));
    assert_eq!(first("７/４/２０１８").as_deref(), Some("100005"));
}

/// Second tester, N9: Home and End did nothing in F1 help.
#[test]
fn home_and_end_go_to_the_first_and_last_line_of_help() {
    use crossterm::event::KeyCode;
    let mut app = Practice::new().app_signed_in("sam", 80, 24);
    app.key(KeyCode::F(1));
    app.key(KeyCode::End);
    assert!(
        app.screen().contains("a part of an email: moore"),
        "{}",
        app.screen()
    );
    app.key(KeyCode::Home);
    assert!(
        app.screen().contains("more below: ↓ PgDn"),
        "{}",
        app.screen()
    );
}

/// Sets `database.search_budget` to one entry in the config of `home`:
/// every page stops early.
fn search_budget_of_one_entry(home: &std::path::Path) {
    let cfg = home.join("config.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[database]\nsearch_budget = 1\n");
    std::fs::write(&cfg, text).unwrap();
}

/// `src/cli/patients.rs`: a search that stopped reading.
const EXIT_STOPPED_READING: i32 = 11;

/// Fresh s6 finding 5: with `--json`, "nobody matches" and "the search gave
/// up after ten budgets" both printed `[]` and exited 0; a script could
/// tell them apart only by parsing standard error. A search that stopped
/// reading now exits 11; one that read everything exits 0.
#[test]
fn fresh_s6_5_a_json_search_that_stopped_reading_exits_11_and_one_that_found_nobody_exits_0() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    // 40 patients at example.com: more email parts beginning with `e`
    // than ten entries.
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    for i in 1..=40 {
        csv.push_str(&format!(
            "2000{i:02},Parker,Pat,2010-01-01,p{i:02}@example.com\n"
        ));
    }
    let file = home.path().join("many.csv");
    std::fs::write(&file, csv).unwrap();
    bin.admin(&["import", file.to_str().unwrap()], "");
    let json = |args: &[&str]| {
        let mut all = vec!["patients", "search", "--json"];
        all.extend(args);
        bin.run(&all, "")
    };
    // Nobody, and every entry read: `[]`, exit 0.
    let nobody = json(&["--", "@e @o"]);
    assert_eq!(
        (nobody.code, nobody.stdout.trim()),
        (0, "[]"),
        "{}",
        nobody.stderr
    );
    // A budget of one entry: the search stops reading after ten.
    search_budget_of_one_entry(home.path());
    let stopped = json(&["--", "@e @o"]);
    assert_eq!(
        (stopped.code, stopped.stdout.trim()),
        (EXIT_STOPPED_READING, "[]"),
        "{}",
        stopped.stderr
    );
    // Reading on to the end answers for sure: exit 0.
    let all = json(&["--read-all", "--", "@e @o"]);
    assert_eq!((all.code, all.stdout.trim()), (0, "[]"), "{}", all.stderr);
    // A search that fills its page is complete for its limit: exit 0.
    let full = json(&["--limit", "1", "--", "garcia"]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    assert!(
        full.stdout.contains("\"account_number\""),
        "{}",
        full.stdout
    );
}

/// Fresh logins F6: `patients search --limit 1000 -- "@e @o"` read every
/// email part of a million patients, budget after budget (7 s), to find
/// nobody. It now stops after ten budgets read in
/// a row without a match, says so on standard error, and `--read-all`
/// reads on.
#[test]
fn fresh_logins_f6_a_cli_search_that_finds_nothing_for_ten_budgets_stops_and_says_how_to_go_on() {
    // `src/cli/patients.rs`: ten budgets in a row without a match.
    const BUDGETS_WITHOUT_A_MATCH: u64 = 10;
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    // 40 patients at example.com born in 2010, between two born in 2016
    // whose emails come first and last among the domain's parts.
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    csv.push_str("200000,Abbott,Ada,2016-04-04,aaa@example.com\n");
    for i in 1..=40 {
        csv.push_str(&format!(
            "2000{i:02},Parker,Pat,2010-01-01,p{i:02}@example.com\n"
        ));
    }
    csv.push_str("200099,Zane,Zoe,2016-05-05,zzz@example.com\n");
    let file = home.path().join("many.csv");
    std::fs::write(&file, csv).unwrap();
    bin.admin(&["import", file.to_str().unwrap()], "");
    let search = |args: &[&str]| {
        let mut all = vec!["patients", "search", "--limit", "1000"];
        all.extend(args);
        bin.run(&all, "")
    };
    // With the default budget (20,000 entries) each search ends in one page.
    let whole = search(&["--", "@example.com 2016"]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let accounts = |out: &Output| -> Vec<String> {
        out.stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(accounts(&whole), ["200000", "200099"]);
    assert_eq!(whole.stderr, "");
    let none = search(&["--", "@e @o"]);
    assert_eq!(none.stderr.trim_end(), "no patient matches \"@e @o\"");
    // A budget of one entry: every page stops early.
    search_budget_of_one_entry(home.path());
    let stopped = search(&["--", "@e @o"]);
    assert_eq!(
        stopped.code, EXIT_STOPPED_READING,
        "stopped reading (fresh s6 finding 5): {}",
        stopped.stderr
    );
    assert_eq!(stopped.stdout, "");
    assert_eq!(
        stopped.stderr.trim_end(),
        format!(
            "no patient matches \"@e @o\" in the first {BUDGETS_WITHOUT_A_MATCH} index entries \
             read, and the search stopped there: narrow it (more letters, a date of birth) or \
             pass --read-all to read on"
        )
    );
    // The same with --json: an empty list, the sentence on stderr.
    let json = search(&["--json", "--", "@e @o"]);
    assert_eq!(
        (json.code, json.stdout.trim()),
        (EXIT_STOPPED_READING, "[]")
    );
    assert!(
        json.stderr.starts_with("no patient matches"),
        "{}",
        json.stderr
    );
    // Found first, then ten budgets of nothing: what was found, and why
    // the list may be short (not "raise --limit": the limit is not the cause).
    let cut = search(&["--", "@example.com 2016"]);
    assert_eq!(cut.code, EXIT_STOPPED_READING, "{}", cut.stderr);
    assert_eq!(accounts(&cut), ["200000"]);
    assert_eq!(
        cut.stderr.trim_end(),
        format!(
            "the search stopped after reading {BUDGETS_WITHOUT_A_MATCH} more index entries with \
             no further match; more patients may match: narrow the search, or pass --read-all to \
             read on"
        )
    );
    // --read-all reads on to the end: the whole answer, nothing said.
    let all = search(&["--read-all", "--", "@example.com 2016"]);
    assert_eq!(accounts(&all), accounts(&whole));
    assert_eq!((all.code, all.stderr.as_str()), (0, ""));
    let all = search(&["--read-all", "--", "@e @o"]);
    assert_eq!(all.stderr.trim_end(), "no patient matches \"@e @o\"");
    assert_eq!(all.code, 0);
    // Matches close together go on as before, page after page (the 42 and
    // the practice's two Garcías).
    let many = search(&["--", "@example.com"]);
    assert_eq!(many.stdout.lines().count(), 44, "{}", many.stderr);
    assert_eq!(many.stderr, "");
}

/// Fresh s7 F6: exit code 11 was documented in docs/cli.md only; a script
/// writer reading `--help` would take it for an unknown failure.
#[test]
fn fresh_s7_f6_help_lists_exit_code_11() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let top = bin.run(&["--help"], "");
    assert_eq!(top.code, 0, "{}", top.stderr);
    assert!(
        top.stdout
            .contains("11 patients search stopped reading before the end"),
        "{}",
        top.stdout
    );
    let search = bin.run(&["patients", "search", "--help"], "");
    assert!(search.stdout.contains("exits 11"), "{}", search.stdout);
}
