//! Searching as a new user would, each mistake of the old search (issue 12)
//! a test named after it: through the services, the Control Panel and the
//! real binary.

mod common;

use common::*;

const MORE_CSV: &str = "\
account_number,last_name,first_name,date_of_birth,email
100006,Smithers,Ava,2017-02-02,
100007,García,Jonah,2015-06-06,ana.moore@example.org
100008,Lopez-Garcia,Jolene,2014-04-04,
100009,Obrien,Liam,2016-11-30,
100010,Smith,Mary Ann,2018-07-05,
";

fn practice() -> Practice {
    practice_reading(portal_admin::config::DatabaseConfig::default().search_budget)
}

/// [`practice`], where one search reads at most about `budget` entries.
fn practice_reading(budget: u64) -> Practice {
    practice_with(MORE_CSV, budget)
}

/// A practice set up through the binary with `csv` imported too.
fn bin_practice_with(home: &std::path::Path, csv: &str) -> Bin {
    let bin = Bin::new(home);
    bin.practice();
    let file = home.join("more.csv");
    std::fs::write(&file, csv).unwrap();
    bin.admin(&["import", file.to_str().unwrap()], "");
    bin
}

/// Account numbers found, in order (every page).
fn found(p: &Practice, q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = p.portal.search_patients(q, after.as_deref(), 3).unwrap();
        out.extend(
            page.items
                .into_iter()
                .map(|r| r.account_number().to_owned()),
        );
        match page.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

#[test]
fn garcia_comma_jo_finds_garcia_lopez_jose() {
    let p = practice();
    // The exact last name first (García, Jonah), then last names that
    // begin with it (García-López), then García as another part of the name.
    assert_eq!(found(&p, "garcia, jo"), ["100007", "100001", "100008"]);
    // Words in any order: Lopez-Garcia has both parts too, ranked after
    // the exact García-López.
    assert_eq!(found(&p, "garcia lopez, jo"), ["100001", "100008"]);
    assert_eq!(found(&p, "García-López, José"), ["100001"]);
}

#[test]
fn first_name_first_finds_the_patient() {
    let p = practice();
    assert_eq!(found(&p, "jose garcia"), ["100001"]);
    assert_eq!(found(&p, "jo garcia"), ["100007", "100001", "100008"]);
}

#[test]
fn the_second_surname_and_the_first_name_find_the_patient() {
    let p = practice();
    assert_eq!(found(&p, "lopez jose"), ["100001"]);
    assert_eq!(found(&p, "lopez, jose"), ["100001"]);
    // Lopez-Garcia begins with lopez: it ranks before the second surname.
    assert_eq!(found(&p, "lopez jo"), ["100008", "100001"]);
}

#[test]
fn a_first_name_alone_finds_the_patient() {
    let p = practice();
    assert_eq!(found(&p, "sean"), ["100003"]);
    assert_eq!(found(&p, "Seán"), ["100003"]);
    assert_eq!(found(&p, "ann"), ["100010"], "a middle name");
}

#[test]
fn a_last_name_in_two_words_finds_it_with_or_without_the_apostrophe() {
    let p = practice();
    for q in ["o brien", "o'brien", "obrien", "O'BRIEN", "brien"] {
        let got = found(&p, q);
        assert!(got.contains(&"100003".to_owned()), "{q}: {got:?}");
    }
    // Obrien (no apostrophe) has no part "brien"; "o brien" is its last name.
    assert_eq!(found(&p, "o brien"), ["100009", "100003"]);
    assert_eq!(found(&p, "brien"), ["100003"]);
}

#[test]
fn dates_as_people_write_them_find_the_patient() {
    let p = practice();
    for q in [
        "2019-03-07",
        "3/7/2019",
        "03/07/2019",
        "3/7/19",
        "3-7-2019",
        "03-07-19",
    ] {
        assert_eq!(found(&p, q), ["100001"], "{q}");
    }
    assert_eq!(found(&p, "2019-03"), ["100001"]);
    assert_eq!(found(&p, "2018-07"), ["100005", "100010"]);
    assert!(
        refused(&p, "2/30/2019").contains("not a date"),
        "no such day"
    );
    // On its way to a year: March 7th of any year so far.
    assert_eq!(found(&p, "3/7/2"), ["100001"]);
}

#[test]
fn a_name_and_a_date_narrow_together() {
    let p = practice();
    assert_eq!(found(&p, "smith 2018"), ["100010", "100005"]);
    assert_eq!(found(&p, "smith 7/4/18"), ["100005"]);
    assert_eq!(found(&p, "obrien 11/30/16"), ["100009", "100003"]);
    assert_eq!(found(&p, "garcia 3/15/21"), ["100002"]);
    assert!(found(&p, "garcia 2018").is_empty());
}

#[test]
fn the_exact_last_name_ranks_before_longer_ones() {
    let p = practice();
    assert_eq!(found(&p, "smith"), ["100010", "100005", "100006"]);
    assert_eq!(
        found(&p, "garcia"),
        ["100007", "100001", "100002", "100008"]
    );
}

#[test]
fn a_word_that_is_only_in_an_email_finds_the_patient() {
    let p = practice();
    // A parent's name in the e-correspondent email, after every name match.
    assert_eq!(found(&p, "kathleen"), ["100003"]);
    assert_eq!(found(&p, "moore"), ["100007"]);
    assert_eq!(found(&p, "@example.org"), ["100007", "100003"]);
    assert_eq!(found(&p, "example.org"), ["100007", "100003"]);
    assert_eq!(found(&p, "maria.garcia@"), ["100001", "100002"]);
    assert_eq!(found(&p, "family@example"), ["100005"]);
}

#[test]
fn the_control_panel_finds_any_part_of_an_email() {
    let p = practice();
    for no in ["100001", "100003", "100005", "100007"] {
        p.create_validate(no);
    }
    let logins = |q: &str| -> Vec<String> {
        p.portal
            .list_accounts(q, None, 10)
            .unwrap()
            .items
            .into_iter()
            .map(|a| a.email.to_string())
            .collect()
    };
    assert_eq!(logins("moore"), ["ana.moore@example.org"]);
    assert_eq!(
        logins("@example.org"),
        ["ana.moore@example.org", "kathleen.obrien@example.org"]
    );
    assert_eq!(
        logins("example.org"),
        ["ana.moore@example.org", "kathleen.obrien@example.org"]
    );
    assert_eq!(logins("obrien"), ["kathleen.obrien@example.org"]);
    assert_eq!(logins("family"), ["smith.family@example.net"]);
    assert_eq!(logins("MARIA.G"), ["maria.garcia@example.com"]);
    assert_eq!(logins("kathleen example"), ["kathleen.obrien@example.org"]);
    assert!(
        logins("org").is_empty(),
        "the last label of a domain is no part"
    );
    assert!(logins("nobody").is_empty());
    assert_eq!(logins("").len(), 4, "an empty search lists every account");
    // Paging: one at a time, each once.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = p
            .portal
            .list_accounts("example", after.as_deref(), 1)
            .unwrap();
        seen.extend(page.items.into_iter().map(|a| a.email.to_string()));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
}

/// `patients search QUERY` prints `first` on its first line.
fn assert_first_row(bin: &Bin, q: &str, first: &str) {
    let out = bin.ok(&["patients", "search", q], "");
    assert!(out.starts_with(first), "{q}: {out}");
}

#[test]
fn the_readme_examples_work_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    for (q, first) in [
        ("garcia, jo", "100001\tGarcía-López, José"),
        ("jose garcia", "100001\tGarcía-López, José"),
        ("lopez jose", "100001\tGarcía-López, José"),
        ("sean", "100003\tO'Brien, Seán"),
        ("o brien", "100003\tO'Brien, Seán"),
        ("3/7/19", "100001\tGarcía-López, José"),
        ("3-7-2019", "100001\tGarcía-López, José"),
        ("@example.org", "100003\tO'Brien, Seán"),
    ] {
        assert_first_row(&bin, q, first);
    }
    // With a budget of one entry a search stops at every entry; the command
    // line goes on until it has every row asked for.
    let every = bin.ok(&["patients", "search", "o"], "");
    let cfg = home.path().join("config.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[database]\nsearch_budget = 1\n");
    std::fs::write(&cfg, text).unwrap();
    assert_eq!(bin.ok(&["patients", "search", "o"], ""), every);
    let two = bin.ok(&["patients", "search", "o", "--limit", "2"], "");
    assert_eq!(two.lines().count(), 2, "{two}");
    assert!(every.starts_with(&two), "{two}\n{every}");
}

#[test]
fn a_large_first_import_gives_back_the_space_the_file_grew_by() {
    // redb grows a file by doubling it; after a first import of many rows
    // much of the last doubling would stay empty on disk.
    let p = Practice::new();
    let mut csv = Vec::new();
    portal_admin::demo::write_csv(&mut csv, 20_000, 7, time::macros::date!(2026 - 01 - 05))
        .unwrap();
    let report = p
        .portal
        .import_patients(
            &p.admin,
            "big.csv",
            csv.as_slice(),
            csv.len() as u64,
            false,
            &mut (),
        )
        .unwrap();
    assert_eq!(report.created + report.updated, 20_000);
    let len = std::fs::metadata(p.db()).unwrap().len();
    let mut builder = redb::Database::builder();
    builder.set_concurrency_mode(redb::ConcurrencyMode::MultiWriter);
    let db = builder.open(p.db()).unwrap();
    let stats = db.begin_write().unwrap().stats().unwrap();
    let used = stats.allocated_pages() * stats.page_size() as u64;
    assert!(
        len <= used + used / 10,
        "file of {len} bytes for {used} bytes of pages in use"
    );
}

/// Index entries read by one search (a count, the same on every machine).
fn entries_for(p: &Practice, q: &str) -> (usize, u64) {
    let before = portal_admin::store::entries_read();
    let page = p.portal.search_patients(q, None, 50).unwrap();
    (
        page.items.len(),
        portal_admin::store::entries_read() - before,
    )
}

#[test]
fn a_common_first_word_reads_one_last_names_entries_never_the_table() {
    // 3,000 Joneses and 200 Smiths. Every Jones has a first name of its
    // own beginning with "q" (more than PROBE_TERMS of them), no Smith has.
    let p = Practice::new();
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    for i in 0..3_000 {
        let (a, b) = (
            (b'a' + (i % 26) as u8) as char,
            (b'a' + (i / 26 % 26) as u8) as char,
        );
        csv.push_str(&format!("J{i:05},Jones,Q{a}{b}n,2016-01-02,\n"));
    }
    for i in 0..200 {
        csv.push_str(&format!("S{i:05},Smith,Bob,2017-03-04,\n"));
    }
    for i in 0..300 {
        csv.push_str(&format!("B{i:05},Brown,Ann,2015-05-05,\n"));
    }
    p.portal
        .import_patients(&p.admin, "many.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let probe = portal_admin::store::PROBE_TERMS as u64;
    // Too many name parts begin with "q" to probe each: the Smiths are
    // walked and checked, not the 3,200 patients.
    let (rows, read) = entries_for(&p, "q smith");
    assert_eq!(rows, 0);
    assert!(read <= 200 + probe + 10, "q smith read {read}");
    // "qa" begins few parts: one short range each, whatever their size.
    let (rows, read) = entries_for(&p, "qa jones");
    assert_eq!(rows, 50);
    assert!(read <= 50 + 2 * 26 + 10, "qa jones read {read}");
    // A common word alone: the page and a little more.
    for q in ["q", "j", "s", "jones"] {
        let (rows, read) = entries_for(&p, q);
        assert_eq!(rows, 50, "{q}");
        assert!(read <= 50 + probe + 10, "{q} read {read}");
    }
    // A word no name part begins: nothing walked.
    let (rows, read) = entries_for(&p, "smith xq");
    assert_eq!(rows, 0);
    assert!(read <= 10, "smith xq read {read}");
    // A tester's finding: a common word with a rare year, account-number
    // beginning or second word read every entry of the common word. The
    // short range is read instead: nobody born in 2000, no account number
    // beginning with 201, the 26 `qa…` first names.
    // (At most: the page, and per word its vocabulary and probe ranges.)
    let words = |n: u64| 51 + n * 2 * (probe + 1);
    for (q, most) in [
        ("j 2000", 10),
        ("jones 201", 10),
        ("q qa", words(2)),
        ("jones q qab", words(3)),
    ] {
        let (_, read) = entries_for(&p, q);
        assert!(read <= most, "{q} read {read}");
    }
    let (rows, _) = entries_for(&p, "jones 2016");
    assert_eq!(rows, 50, "3,000 Joneses were born in 2016");
    // No Jones was born in May 2015: the Joneses are walked for a while
    // (2,000 entries), then that month's 300 births are read instead of the
    // other 1,000 Joneses.
    let (rows, read) = entries_for(&p, "jones 2015-05");
    assert_eq!(rows, 0);
    assert!((2_000..2_700).contains(&read), "jones 2015-05 read {read}");
    let (rows, _) = entries_for(&p, "q qa");
    assert_eq!(rows, 50);
    // Whatever is left is cut at the search budget (20,000 entries by
    // default): the page says so and goes on from where it stopped.
    let p = Practice::with_config(|c| c.database.search_budget = 100);
    p.portal
        .import_patients(&p.admin, "many.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let before = portal_admin::store::entries_read();
    let page = p.portal.search_patients("q smith", None, 50).unwrap();
    let read = portal_admin::store::entries_read() - before;
    assert!(page.items.is_empty() && page.stopped_early && page.next.is_some());
    assert!(read <= 100 + 10, "q smith read {read}");
}

#[test]
fn several_common_words_read_the_patients_of_several_name_parts_not_a_words_every_patient() {
    // The finding at a million patients: `a e i` read the search budget
    // (20,000 entries, 7 ms) and found nobody; FTS5 intersects the three
    // prefixes in about 1 ms. Here 6,000 patients with one first name
    // beginning with a, e or i (last names beginning with them too), and
    // three with names of several parts that match.
    let p = Practice::new();
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    let lasts = ["Adams", "Evans", "Irwin", "Brown"];
    let firsts = ["Ava", "Emma", "Isla"];
    for i in 0..6_000 {
        csv.push_str(&format!(
            "M{i:05},{},{},2016-01-02,\n",
            lasts[i % 4],
            firsts[i / 4 % 3]
        ));
    }
    csv.push_str("X00001,Smith,Ann Eve Ivy,2017-03-04,\n");
    csv.push_str("X00002,Abbot,Eve Ivy,2017-03-04,\n");
    csv.push_str("X00003,Eaton-Ives,Ann,2017-03-04,\n");
    p.portal
        .import_patients(&p.admin, "many.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let (rows, read) = entries_for(&p, "a e i");
    assert_eq!(rows, 3);
    // Last names beginning with a word first (Abbot, Eaton-Ives), then
    // other parts (Smith).
    let ranked: Vec<String> = p
        .portal
        .search_patients("a e i", None, 50)
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.account_number().to_owned())
        .collect();
    assert_eq!(ranked, ["X00002", "X00003", "X00001"]);
    // Before: the 2,000 Islas were read and ranked (or, with more of them,
    // the Avas walked until the budget). Now the patients with one name
    // part, who cannot match three words no one part begins, are never
    // read: the few entries of the several-part names, the vocabulary and
    // the ends of the ranges.
    assert!(read <= 100, "a e i read {read}");
    // Two words one part can begin together (`a av`: Ava) still find the
    // one-part names.
    let (rows, _) = entries_for(&p, "av a");
    assert_eq!(rows, 50);
}

#[test]
fn a_name_of_several_parts_found_through_its_own_index_shows_its_account_and_its_renames() {
    // `jose lopez`: two words no one part begins, so only patients with a
    // name of several parts are read (idx_patient_multi). Every write keeps
    // those entries: the account a Create/Validate links, a rename.
    let p = Practice::new();
    let rows = |q: &str| p.portal.search_patients(q, None, 10).unwrap().items;
    let numbers = |q: &str| -> Vec<String> {
        rows(q)
            .into_iter()
            .map(|r| r.account_number().to_owned())
            .collect()
    };
    assert_eq!(numbers("jose lopez"), ["100001"]);
    assert_eq!(rows("jose lopez")[0].account_id, None);
    p.create_validate("100001");
    let linked = rows("garcia, jose")[0].account_id;
    assert!(linked.is_some());
    assert_eq!(rows("jose lopez")[0].account_id, linked);
    // Renamed to a name of one part each: no longer found by the parts it
    // lost; then given a middle name: found by it.
    let import = |csv: &str| {
        p.portal
            .import_patients(&p.admin, "rename.csv", csv.as_bytes(), 0, false, &mut ())
            .unwrap();
    };
    let header = "account_number,last_name,first_name,date_of_birth,email\n";
    import(&format!(
        "{header}100001,Garcia,Jose,2019-03-07,maria.garcia@example.com\n"
    ));
    assert!(numbers("jose lopez").is_empty());
    assert_eq!(numbers("jose garcia"), ["100001"]);
    import(&format!(
        "{header}100001,Garcia,Jose Luis,2019-03-07,maria.garcia@example.com\n"
    ));
    assert_eq!(numbers("luis jose"), ["100001"]);
    assert_eq!(rows("luis jose")[0].account_id, linked);
}

#[test]
fn a_search_that_reads_its_budget_stops_early_and_the_next_page_goes_on() {
    // One entry per search: every page stops early, and all of them
    // together are what an unbounded search finds, each row once.
    let small = practice_reading(1);
    let big = practice();
    for p in [&small, &big] {
        for no in ["100001", "100003", "100005", "100007"] {
            p.create_validate(no);
        }
    }
    for q in [
        "garcia",
        "jo garcia",
        "s",
        "smith 2018",
        "example",
        "2016",
        "",
    ] {
        let mut pages = 0;
        let mut rows = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = small
                .portal
                .search_patients(q, after.as_deref(), 3)
                .unwrap();
            pages += 1;
            rows.extend(
                page.items
                    .into_iter()
                    .map(|r| r.account_number().to_owned()),
            );
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(rows, found(&big, q), "{q}");
        assert!(pages > rows.len() / 3, "{q}: {pages} pages");
    }
    let first = small.portal.search_patients("garcia", None, 50).unwrap();
    assert!(first.stopped_early && first.next.is_some() && first.items.len() < 3);
    let all = big.portal.search_patients("garcia", None, 50).unwrap();
    assert!(!all.stopped_early && all.next.is_none());
    // The Control Panel: `example net` reads every login at an example
    // domain to find the .net ones; it too stops and goes on.
    for q in ["example net", "example", "moore", ""] {
        let mut logins = Vec::new();
        let mut after: Option<String> = None;
        let mut stopped = false;
        loop {
            let page = small.portal.list_accounts(q, after.as_deref(), 10).unwrap();
            stopped |= page.stopped_early;
            logins.extend(page.items.into_iter().map(|a| a.email.to_string()));
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        let want: Vec<String> = big
            .portal
            .list_accounts(q, None, 10)
            .unwrap()
            .items
            .into_iter()
            .map(|a| a.email.to_string())
            .collect();
        assert_eq!(logins, want, "{q}");
        assert!(stopped || want.len() <= 1, "{q}");
    }
    // `net` begins no part of a login (the last label of a domain is no
    // part): nothing is walked, and nothing is said to be left.
    let page = small.portal.list_accounts("example net", None, 10).unwrap();
    assert!(page.items.is_empty() && !page.stopped_early && page.next.is_none());
}

#[test]
fn the_app_says_keep_typing_when_a_search_stops_early() {
    let p = practice();
    let mut config = config_in(p.dir.path());
    config.database.search_budget = 1;
    let portal = portal_admin::Portal::open(&p.db(), config, p.clock.clone()).unwrap();
    let mut hs = portal_admin::tui::harness::Harness::signed_in(portal, "sam", STAFF_PW, 160, 40);
    // Born in November 2016 with an account number beginning `A-1`: the
    // first patient of that month read is not one, and the entry is spent.
    hs.type_text("2016-11 A-1");
    let screen = hs.screen();
    assert!(
        screen.contains("none found yet for \"2016-11 A-1\": keep typing"),
        "{screen}"
    );
    hs.ctrl('u');
    hs.type_text("garcia");
    let screen = hs.screen();
    assert!(screen.contains("keep typing"), "{screen}");
    // Down past the last row goes on searching, page after page, until
    // García-López, José (the third García by rank) is on screen.
    for _ in 0..40 {
        if hs.screen().contains("García-López, José") {
            break;
        }
        hs.key(crossterm::event::KeyCode::Down);
    }
    assert!(
        hs.screen().contains("García-López, José"),
        "{}",
        hs.screen()
    );
}

// The fresh-eyes tester's findings on the query language (findings 2, 4,
// 6, 7, 8 and 11a), each a test named after it.

const FINDINGS_CSV: &str = "\
account_number,last_name,first_name,date_of_birth,email
201601,Moore,Ana,2016-05-09,ana.moore1033@example.org
100020,Flores,Lucia,2019-11-02,flores1@example.com
100021,Smith,John,2016-03-07,jsmith82@example.net
100022,Doe,Jane,2017-03-07,jane.doe-2@example.org
100023,Jones,Joanna,2016-08-08,
100024,Jones,Mark,2016-01-01,
";

fn findings_practice() -> Practice {
    let p = practice();
    p.portal
        .import_patients(
            &p.admin,
            "findings.csv",
            FINDINGS_CSV.as_bytes(),
            0,
            false,
            &mut (),
        )
        .unwrap();
    p
}

/// The sentence a search gives instead of results.
fn refused(p: &Practice, q: &str) -> String {
    match p.portal.search_patients(q, None, 10) {
        Err(portal_admin::Error::Invalid {
            input: portal_admin::error::Input::Query,
            problem,
        }) => problem,
        Err(e) => panic!("{q}: another error: {e}"),
        Ok(page) => panic!("{q}: no error, {} rows", page.items.len()),
    }
}

#[test]
fn finding_2_an_email_word_with_letters_and_digits_finds_the_patient() {
    let p = findings_practice();
    assert_eq!(found(&p, "moore1033"), ["201601"]);
    assert_eq!(found(&p, "flores1"), ["100020"]);
    assert_eq!(found(&p, "JSmith82"), ["100021"]);
    assert_eq!(
        found(&p, "doe-2"),
        ["100022"],
        "a dash inside, as the email has it"
    );
    assert_eq!(found(&p, "jsmith8"), ["100021"], "the beginning of it");
    assert!(found(&p, "moore1034").is_empty());
    // Still the beginning of an account number when it is one.
    let a = Practice::new();
    a.portal
        .import_patients(
            &a.admin,
            "a.csv",
            &b"account_number,last_name,first_name,date_of_birth,email\nA-100,Lee,Ann,2018-01-01,\n"[..],
            0,
            false,
            &mut (),
        )
        .unwrap();
    assert_eq!(found(&a, "a-1"), ["A-100"]);
}

#[test]
fn finding_4_a_year_alone_finds_the_patients_born_that_year_and_account_numbers() {
    let p = findings_practice();
    // By date of birth (201601 was born in 2016 too: it is listed once).
    assert_eq!(
        found(&p, "2016"),
        ["100024", "100021", "201601", "100023", "100009", "100003"]
    );
    assert_eq!(
        found(&p, "2016-"),
        ["100024", "100021", "201601", "100023", "100009", "100003"]
    );
    assert_eq!(
        found(&p, "1899"),
        Vec::<String>::new(),
        "no such account, no such year"
    );
}

#[test]
fn finding_4_a_month_and_day_without_a_year_finds_that_birthday_in_every_year() {
    let p = findings_practice();
    // "Born March 7th": every year, oldest first.
    assert_eq!(found(&p, "3/7"), ["100021", "100022", "100001"]);
    assert_eq!(found(&p, "3/7/"), ["100021", "100022", "100001"]);
    assert_eq!(found(&p, "3/7/201"), ["100021", "100022", "100001"]);
    assert_eq!(found(&p, "3/7/2019"), ["100001"]);
    assert_eq!(found(&p, "11/2"), ["100020"]);
    assert_eq!(found(&p, "smith 3/7"), ["100021"]);
    assert_eq!(found(&p, "jane 3/7"), ["100022"]);
    assert_eq!(found(&p, "7 mar"), ["100021", "100022", "100001"]);
    // With a budget of one entry the search stops at every range; page
    // after page the answer is the same.
    let tight = practice_reading(1);
    tight
        .portal
        .import_patients(
            &tight.admin,
            "findings.csv",
            FINDINGS_CSV.as_bytes(),
            0,
            false,
            &mut (),
        )
        .unwrap();
    assert_eq!(found(&tight, "3/7"), ["100021", "100022", "100001"]);
}

#[test]
fn finding_7_an_impossible_date_says_why_instead_of_no_match() {
    let p = findings_practice();
    for (q, why) in [
        (
            "13/1/2019",
            "13/1/2019 is not a date: months come first (month/day/year), so perhaps 1/13/2019",
        ),
        (
            "2/30/2019",
            "2/30/2019 is not a date: February has at most 29 days",
        ),
        (
            "2/29/2019",
            "2/29/2019 is not a date: 2019 was not a leap year, so February had 28 days",
        ),
        (
            "2019-13",
            "2019-13 is not a date: a month is 1 to 12 (year-month-day)",
        ),
        (
            "2019-02-30",
            "2019-02-30 is not a date: February 2019 had 28 days",
        ),
        (
            "smith 30 Feb 2019",
            "30 Feb 2019 is not a date: February has at most 29 days",
        ),
    ] {
        assert_eq!(refused(&p, q), why);
    }
    // While typing, a form on its way to a date is never wrong.
    for whole in [
        "2/28/2019",
        "12/31/2019",
        "2019-02-28",
        "2019/12/31",
        "10/1/19",
    ] {
        for end in 1..=whole.len() {
            let part = &whole[..end];
            assert!(
                p.portal.search_patients(part, None, 10).is_ok(),
                "{part} (on the way to {whole})"
            );
        }
    }
    assert!(p.portal.search_patients("2/3", None, 10).is_ok());
}

#[test]
fn finding_8_a_comma_with_no_last_name_before_it_means_a_first_name() {
    let p = findings_practice();
    // First names beginning with jo, by first name; not the Joneses.
    assert_eq!(
        found(&p, ", jo"),
        ["100023", "100021", "100008", "100007", "100001"]
    );
    // Born in 2016, first name beginning with jo.
    assert_eq!(found(&p, "2016, jo"), ["100023", "100021"]);
    // Smith is a last name here, not a first name.
    assert!(found(&p, "2016, smith").is_empty());
    assert_eq!(found(&p, "smith 2016"), ["100021"]);
}

#[test]
fn finding_11a_dates_as_the_app_shows_them_find_the_patient() {
    let p = findings_practice();
    for q in [
        "7 Mar 2019",
        "Thu 7 Mar 2019",
        "Mar 7 2019",
        "March 7, 2019",
        "march 7th, 2019",
        "Thursday, March 7, 2019",
        "2019/03/07",
        "2019/3/7",
        "7 MAR 2019",
    ] {
        assert_eq!(found(&p, q), ["100001"], "{q}");
    }
    assert_eq!(found(&p, "garcia 7 Mar 2019"), ["100001"]);
    assert_eq!(found(&p, "2 Nov 2019"), ["100020"]);
    // A month's name alone is still a name word.
    assert!(found(&p, "march").is_empty());
}

#[test]
fn finding_6_the_last_label_of_a_domain_is_no_part_in_the_lookup_or_the_users_list() {
    let p = findings_practice();
    // `org` or `com` would match nearly every email: the docs say so, and
    // the domain is found whole (`example.org`, `@example.org`).
    assert!(found(&p, "org").is_empty());
    assert!(found(&p, "example org").is_empty());
    assert_eq!(found(&p, "example.org").len(), 4);
    p.create_validate("100003");
    assert!(
        p.portal
            .list_accounts("org", None, 10)
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        p.portal
            .list_accounts("example org", None, 10)
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        p.portal
            .list_accounts("example.org", None, 10)
            .unwrap()
            .items
            .len(),
        1
    );
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    assert!(
        docs.to_lowercase()
            .contains("the last label of the domain (`org`, `com`) is no part"),
        "docs/cli.md says it"
    );
}

#[test]
fn the_findings_work_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    for (q, first) in [
        ("7 Mar 2019", "100001\tGarcía-López, José"),
        ("Thu 7 Mar 2019", "100001\tGarcía-López, José"),
        ("March 7, 2019", "100001\tGarcía-López, José"),
        ("2019/03/07", "100001\tGarcía-López, José"),
        ("3/7", "100001\tGarcía-López, José"),
        ("2016", "100003\tO'Brien, Seán"),
        ("kathleen", "100003\tO'Brien, Seán"),
        (", sea", "100003\tO'Brien, Seán"),
    ] {
        assert_first_row(&bin, q, first);
    }
    // An impossible date: one sentence on standard error, exit 2.
    let o = bin.run(&["patients", "search", "13/1/2019"], "");
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert_eq!(
        o.stderr.trim_end(),
        "portal-admin: QUERY: 13/1/2019 is not a date: months come first (month/day/year), so perhaps 1/13/2019"
    );
    // On the way to a date: no error.
    let o = bin.run(&["patients", "search", "2/3"], "");
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn the_app_shows_why_a_date_is_impossible_under_the_search_box() {
    let p = findings_practice();
    let portal =
        portal_admin::Portal::open(&p.db(), config_in(p.dir.path()), p.clock.clone()).unwrap();
    let mut hs = portal_admin::tui::harness::Harness::signed_in(portal, "sam", STAFF_PW, 120, 30);
    // Typed key by key: nothing is said on the way (2, 2/, 2/3).
    hs.type_text("2/3");
    assert!(!hs.screen().contains("is not a date"), "{}", hs.screen());
    hs.type_text("0/2019");
    let screen = hs.screen();
    assert!(
        screen.contains("2/30/2019 is not a date: February has at most 29 days"),
        "{screen}"
    );
}

#[test]
fn finding_4_a_birthday_in_any_year_reads_one_short_range_a_year_never_the_table() {
    // 2,000 patients over 20 years (2006–2025), each born on the 1st to
    // the 25th of a month; 20 of them on March 7th (one a year).
    let p = Practice::new();
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    for i in 0..2_000 {
        let (y, m, d) = (2006 + i % 20, 1 + i / 20 % 12, 1 + i / 240 % 25);
        csv.push_str(&format!("P{i:05},Lee,Ann,{y}-{m:02}-{d:02},\n"));
    }
    for y in 2006..2026 {
        csv.push_str(&format!("M{y},March,Seventh,{y}-03-07,\n"));
    }
    p.portal
        .import_patients(&p.admin, "years.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let march_7 = |(rows, _): (usize, u64)| rows;
    // Two entries for the oldest and newest births, one range a year (its
    // first entry and the one past it), and the patients of that day.
    let (rows, read) = entries_for(&p, "3/7");
    assert!(rows >= 20, "{rows}");
    assert!(
        read <= 2 + 2 * 20 + rows as u64,
        "3/7 read {read} for {rows} rows"
    );
    // With a name, that day of each year is read whole and ranked.
    let (rows, read) = entries_for(&p, "seventh 3/7");
    assert_eq!(rows, 20);
    assert!(read <= 2 + 2 * 20 + 60, "seventh 3/7 read {read}");
    assert_eq!(
        march_7(entries_for(&p, "7 mar")),
        march_7(entries_for(&p, "3/7"))
    );
}

// The second fresh-eyes round (docs: issue 12, findings of 04:40), each
// finding a test named after its number there.

const FRESH_CSV: &str = "\
account_number,last_name,first_name,date_of_birth,email
100101,Sánchez,Nadia,2011-03-07,
100102,Smith,Nadia,2011-03-07,
100103,Brown,Amy,2012-03-07,
100104,Lee,Ben,2011-03-08,
100111,MacDonald,Maya,2017-11-02,
100112,Nguyen,Chloé,2017-11-02,
100113,García,Harper,2017-11-23,
100114,Johnson,Minh,2017-11-12,
100115,Ito,Ken,2017-01-15,
100116,Ito,Yui,2017-12-15,
100117,Ito,Rin,2017-02-15,
100121,St. John,Ava,2016-09-08,
100122,O'Brien,Liam,2016-09-08,
100124,Kelly,Amy,2015-05-05,st.johnny@example.com
100131,Noel,Eve,2020-12-25,
100132,Smith,June,2019-06-10,
100133,Park,Leo,2019-06-20,
201100,Wu,Tom,2014-04-04,
";

/// The default practice with `csv` imported too, reading at most `budget`
/// entries a search.
fn practice_with(csv: &str, budget: u64) -> Practice {
    let p = Practice::with_config(|c| c.database.search_budget = budget);
    p.portal
        .import_patients(&p.admin, "more.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    p
}

/// The default practice with [`FRESH_CSV`], reading at most `budget`
/// entries a search.
fn fresh_practice(budget: u64) -> Practice {
    practice_with(FRESH_CSV, budget)
}

fn fresh() -> Practice {
    fresh_practice(portal_admin::config::DatabaseConfig::default().search_budget)
}

#[test]
fn fresh_1_a_date_and_a_year_with_no_name_narrow_each_other() {
    // With a budget of one entry every page stops early: page after page,
    // the answer is the same.
    for p in [fresh(), fresh_practice(1)] {
        for q in [
            "3/7 2011",
            "2011 3/7",
            "2011-03-07 2011",
            "7 mar 2011",
            "2011 7 Mar",
        ] {
            assert_eq!(found(&p, q), ["100101", "100102"], "{q}");
        }
        assert_eq!(found(&p, "2016 2016-09"), ["100122", "100121"]);
        assert_eq!(found(&p, "3/7 2012"), ["100103"]);
        assert!(found(&p, "2016 2017-11").is_empty(), "two years: nobody");
        assert!(found(&p, "3/7 2013").is_empty());
    }
    // A day that year does not have is said.
    assert_eq!(
        refused(&fresh(), "2/29 2019"),
        "29 February 2019 is not a date: 2019 was not a leap year"
    );
}

#[test]
fn fresh_2_a_one_digit_day_finds_that_day_first_then_the_days_it_begins() {
    for p in [fresh(), fresh_practice(1)] {
        // 2 November, then the 20th to 29th (never the 12th).
        for q in ["2017-11-2", "2017/11/2", "2017.11.2"] {
            assert_eq!(found(&p, q), ["100111", "100112", "100113"], "{q}");
        }
        assert_eq!(found(&p, "2017-11-02"), ["100111", "100112"]);
        assert_eq!(found(&p, "nguyen 2017-11-2"), ["100112"]);
        assert_eq!(found(&p, "garcia 2017-11-2"), ["100113"]);
        // A one-digit month 1: January, then October to December.
        assert_eq!(
            found(&p, "2017-1"),
            ["100115", "100111", "100112", "100114", "100113", "100116"]
        );
        assert_eq!(found(&p, "ito 2017-1"), ["100115", "100116"]);
        // 3 February is a date (and February has no 30th to begin).
        assert!(found(&p, "2017-02-3").is_empty());
        assert_eq!(found(&p, "2017-02-1"), ["100117"]);
    }
}

#[test]
fn fresh_5_a_name_with_a_dot_and_no_space_finds_the_name_then_emails() {
    let p = fresh();
    // The St. John by name first, then the email that begins st.john.
    assert_eq!(found(&p, "St.John"), ["100121", "100124"]);
    assert_eq!(found(&p, "st.jo"), ["100121", "100124"]);
    assert_eq!(found(&p, "o.brien"), ["100122", "100003"]);
    // An email word still finds the email.
    assert_eq!(found(&p, "maria.garcia"), ["100001", "100002"]);
    assert_eq!(found(&p, "example.com"), ["100001", "100002", "100124"]);
}

#[test]
fn a_dotted_word_whose_part_begins_no_name_part_still_finds_the_last_name_its_parts_make() {
    // `donald` begins no part of any name, but `mac` and `donald` together
    // begin MacDonald: the name phases must run (a search skips them only
    // when a word, and every run of words that holds it, begins no name).
    for p in [fresh(), fresh_practice(1)] {
        assert_eq!(found(&p, "mac.donald"), ["100111"]);
        assert_eq!(found(&p, "maya.macdonald"), ["100111"]);
        // `johnny` begins no name part and `stjohnny` no last name: no
        // name can match, and the email is found.
        assert_eq!(found(&p, "st.johnny"), ["100124"]);
    }
}

#[test]
fn fresh_9_date_refusals_say_only_what_is_wrong() {
    let p = fresh();
    assert_eq!(
        refused(&p, "0/5/2019"),
        "0/5/2019 is not a date: a month is 1 to 12 (month/day/year)"
    );
    // Spaces around the slashes: the same date.
    assert_eq!(found(&p, "3 / 7 / 2011"), ["100101", "100102"]);
    assert_eq!(found(&p, "3/ 7/ 2011"), ["100101", "100102"]);
    // Month/year, as on an insurance card.
    assert_eq!(
        found(&p, "11/2017"),
        ["100111", "100112", "100114", "100113"]
    );
    assert_eq!(found(&p, "11/2017"), found(&p, "2017-11"));
    // On the way to it, nothing is said.
    assert!(found(&p, "11/201").is_empty());
}

#[test]
fn fresh_10_common_written_date_forms_find_the_patient() {
    let p = fresh();
    let nov = ["100111", "100112", "100114", "100113"];
    for q in ["Nov 2017", "November 2017", "nov 2017,"] {
        assert_eq!(found(&p, q), nov, "{q}");
    }
    assert_eq!(found(&p, "june 2019"), ["100132", "100133"]);
    // A month's name alone is still a name.
    assert_eq!(found(&p, "june smith"), ["100132"]);
    assert_eq!(found(&p, "smith june"), ["100132"]);
    for q in ["2 Nov 17", "2.11.2017", "2.11.17", "20171102", "Nov 2 17"] {
        assert_eq!(found(&p, q), ["100111", "100112"], "{q}");
    }
    for q in [
        "8-Sep-2016",
        "8-sep-16",
        "Sep-08-2016",
        "2016.09.08",
        "8.9.2016",
    ] {
        assert_eq!(found(&p, q), ["100122", "100121"], "{q}");
    }
    assert_eq!(found(&p, "25.12.2020"), ["100131"]);
    assert_eq!(found(&p, "noel 25.12"), ["100131"]);
    assert_eq!(
        refused(&p, "12.25.2020"),
        "12.25.2020 is not a date: a month is 1 to 12 (day.month.year)"
    );
    // Eight digits that are no date: an account number's beginning.
    assert!(found(&p, "20171302").is_empty());
}

#[test]
fn fresh_15_a_year_alone_lists_the_births_first_then_account_numbers() {
    for p in [fresh(), fresh_practice(1)] {
        // Born in 2011 (by date), then account 201100 (born 2014).
        assert_eq!(found(&p, "2011"), ["100101", "100102", "100104", "201100"]);
        assert_eq!(found(&p, "20110307"), ["100101", "100102"]);
    }
}

#[test]
fn the_fresh_findings_work_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = bin_practice_with(home.path(), FRESH_CSV);
    for (q, first) in [
        ("3/7 2011", "100101\tSánchez, Nadia"),
        ("2017/11/2", "100111\tMacDonald, Maya"),
        ("St.John", "100121\tSt. John, Ava"),
        ("3 / 7 / 2011", "100101\tSánchez, Nadia"),
        ("11/2017", "100111\tMacDonald, Maya"),
        ("8-Sep-2016", "100122\tO'Brien, Liam"),
        ("25.12.2020", "100131\tNoel, Eve"),
        ("2011", "100101\tSánchez, Nadia"),
    ] {
        assert_first_row(&bin, q, first);
    }
    let o = bin.run(&["patients", "search", "0/5/2019"], "");
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert_eq!(
        o.stderr.trim_end(),
        "portal-admin: QUERY: 0/5/2019 is not a date: a month is 1 to 12 (month/day/year)"
    );
}

#[test]
fn the_app_finds_the_fresh_dates_typed_key_by_key() {
    let p = fresh();
    let portal =
        portal_admin::Portal::open(&p.db(), config_in(p.dir.path()), p.clock.clone()).unwrap();
    let mut hs = portal_admin::tui::harness::Harness::signed_in(portal, "sam", STAFF_PW, 120, 30);
    // Every step on the way (2, 20, … 2017/11/) is quiet; the one-digit day
    // lists 2 November first, then the 23rd.
    hs.type_text("2017/11/2");
    let screen = hs.screen();
    assert!(!screen.contains("is not a date"), "{screen}");
    let macdonald = screen.find("MacDonald, Maya").expect("2 November listed");
    let garcia = screen.find("García, Harper").expect("23 November listed");
    assert!(macdonald < garcia, "{screen}");
    assert!(!screen.contains("Johnson, Minh"), "{screen}");
    // A date and a year apart, with no name.
    hs.ctrl('u');
    hs.type_text("3/7 2011");
    let screen = hs.screen();
    assert!(
        screen.contains("Sánchez, Nadia") && screen.contains("Smith, Nadia"),
        "{screen}"
    );
    assert!(!screen.contains("Brown, Amy"), "{screen}");
}

/// The guardian the tester added: the stepfather of Seán O'Brien, whose
/// e-correspondent is his mother.
fn add_stepfather(p: &Practice, patient: &str, email: &str) {
    use portal_admin::domain::Relationship;
    use portal_admin::services::AddGuardian;
    p.portal
        .add_guardian(
            &p.staff,
            &AddGuardian::new(patient, email, Relationship::Father)
                .identity_check(Some(IDENTITY_CHECK)),
        )
        .unwrap();
}

const STEPDAD: &str = "zed.stepdad99@otherdomain.test";

#[test]
fn finding_a_guardians_own_login_email_finds_the_child_by_each_part() {
    let p = practice();
    for q in [
        "stepdad99",
        "otherdomain.test",
        "zed.stepdad99",
        "@otherdomain.test",
    ] {
        assert_eq!(
            found(&p, q),
            Vec::<String>::new(),
            "{q} before the guardian"
        );
    }
    add_stepfather(&p, "100003", STEPDAD);
    // Any part, the domain, a word with `@` or a dot, the whole login, and
    // a single plain word after the name phases.
    for q in [
        "zed",
        "stepdad",
        "stepdad99",
        "zed.stepdad99",
        "zed.stepdad99@",
        "otherdomain",
        "otherdomain.test",
        "@otherdomain.test",
        "@otherdomain",
        STEPDAD,
        "ZED.STEPDAD99@OTHERDOMAIN.TEST",
    ] {
        assert_eq!(found(&p, q), ["100003"], "{q}");
    }
    // A date with the email narrows as with the patient's own email.
    assert_eq!(found(&p, "otherdomain.test 11/30/2016"), ["100003"]);
    assert_eq!(found(&p, "otherdomain.test 2017"), Vec::<String>::new());
    // The row shows the patient's own e-correspondent email, not the login.
    let row = &p.portal.search_patients("stepdad", None, 5).unwrap().items[0];
    assert_eq!(row.email(), Some("kathleen.obrien@example.org"));
    // The mother's email still finds him, once.
    assert_eq!(found(&p, "kathleen"), ["100003"]);
}

#[test]
fn finding_a_patient_found_by_two_guardians_emails_comes_once_at_the_first() {
    let p = practice();
    // Both children of maria.garcia@ get a father at example.com too: an
    // `example` search finds each child by two emails, and by its
    // e-correspondent's (the first guardian's) login too.
    add_stepfather(&p, "100001", "pablo.garcia@example.com");
    add_stepfather(&p, "100002", "pablo.garcia@example.com");
    let all = found(&p, "@example.com");
    assert_eq!(all, ["100001", "100002"]);
    // Pages of one and of three: the same rows, each once.
    for size in [1, 2, 3, 50] {
        let mut rows = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = p
                .portal
                .search_patients("garcia@", after.as_deref(), size)
                .unwrap();
            rows.extend(
                page.items
                    .into_iter()
                    .map(|r| r.account_number().to_owned()),
            );
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(rows, ["100001", "100002"], "pages of {size}");
    }
    // `pablo` ranks at pablo.garcia@, `maria` at maria.garcia@.
    assert_eq!(found(&p, "pablo"), ["100001", "100002"]);
    // A plain word that is a name too: the name matches first, the email
    // matches after, each patient once.
    assert_eq!(
        found(&p, "garcia"),
        ["100007", "100001", "100002", "100008"]
    );
}

#[test]
fn finding_a_removed_guardian_no_longer_finds_the_child() {
    let p = practice();
    add_stepfather(&p, "100003", STEPDAD);
    assert_eq!(found(&p, "stepdad99"), ["100003"]);
    p.portal
        .remove_guardian(&p.admin, "100003", STEPDAD, "custody order 2026-114")
        .unwrap();
    for q in ["stepdad99", "otherdomain.test", "zed.stepdad99", STEPDAD] {
        assert_eq!(found(&p, q), Vec::<String>::new(), "{q} after the removal");
    }
    // The account is still in the Control Panel: only the link is gone.
    assert_eq!(
        p.portal
            .list_accounts("stepdad99", None, 5)
            .unwrap()
            .items
            .len(),
        1
    );
}

#[test]
fn finding_a_changed_login_email_finds_the_child_by_the_new_one_not_the_old() {
    let p = practice();
    add_stepfather(&p, "100003", STEPDAD);
    p.portal
        .change_login_email(&p.admin, STEPDAD, "zed.walker@newmail.test", None)
        .unwrap();
    for q in [
        "walker",
        "newmail.test",
        "@newmail.test",
        "zed.walker@newmail.test",
    ] {
        assert_eq!(found(&p, q), ["100003"], "{q}");
    }
    for q in ["stepdad99", "otherdomain.test", STEPDAD] {
        assert_eq!(found(&p, q), Vec::<String>::new(), "{q}");
    }
    // `zed` is in both: found once.
    assert_eq!(found(&p, "zed"), ["100003"]);
}

#[test]
fn finding_an_import_changing_the_e_correspondent_keeps_the_guardians_login_found() {
    let p = practice();
    add_stepfather(&p, "100003", STEPDAD);
    p.portal
        .import_patients(
            &p.admin,
            "again.csv",
            "account_number,last_name,first_name,date_of_birth,email\n100003,O'Brien,Seán,2016-11-30,sean.mum@newmail.test\n".as_bytes(),
            0,
            false,
            &mut (),
        )
        .unwrap();
    assert_eq!(found(&p, "stepdad99"), ["100003"]);
    assert_eq!(found(&p, "mum"), ["100003"]);
    // The old e-correspondent email was the mother's: she has no login
    // (nobody ran Create/Validate), so it no longer finds him.
    assert_eq!(found(&p, "kathleen"), Vec::<String>::new());
}

#[test]
fn finding_a_guardians_login_search_stays_within_the_budget() {
    let p = practice_reading(3);
    add_stepfather(&p, "100003", STEPDAD);
    add_stepfather(&p, "100001", "zed.other@otherdomain.test");
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    let mut stopped = 0;
    loop {
        let page = p
            .portal
            .search_patients("@otherdomain.test", after.as_deref(), 50)
            .unwrap();
        stopped += usize::from(page.stopped_early);
        rows.extend(
            page.items
                .into_iter()
                .map(|r| r.account_number().to_owned()),
        );
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert!(stopped > 0, "a budget of 3 entries stops early");
    // In the order of the matching part: zed.other@ before zed.stepdad99@.
    assert_eq!(rows, ["100001", "100003"]);
}

#[test]
fn finding_a_guardians_login_email_finds_the_child_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    // The tester's steps: a stepfather added to Seán O'Brien, whose
    // e-correspondent is his mother, then searched by his own email.
    let out = bin.staff_run(
        &[
            "guardian",
            "add",
            "--patient",
            "100003",
            "--email",
            STEPDAD,
            "--relationship",
            "father",
            "--identity-check",
            IDENTITY_CHECK,
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for q in [
        "stepdad99",
        "otherdomain.test",
        "zed.stepdad99",
        "@otherdomain.test",
    ] {
        let out = bin.ok(&["patients", "search", q], "");
        assert_eq!(out.lines().count(), 1, "{q}: {out}");
        assert!(out.starts_with("100003\tO'Brien, Seán"), "{q}: {out}");
    }
    // A new login email finds him; the old one no longer does.
    let out = bin.admin_run(
        &[
            "account",
            "change-email",
            "--email",
            STEPDAD,
            "--new-email",
            "zed.walker@newmail.test",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_first_row(&bin, "walker", "100003\tO'Brien, Seán");
    assert_eq!(bin.ok(&["patients", "search", "stepdad99"], ""), "");
    // Removed from him: the login no longer finds him.
    let out = bin.admin_run(
        &[
            "guardian",
            "remove",
            "--patient",
            "100003",
            "--email",
            "zed.walker@newmail.test",
            "--reason",
            "custody order of 2 Jan 2026",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(bin.ok(&["patients", "search", "walker"], ""), "");
    assert_first_row(&bin, "kathleen", "100003\tO'Brien, Seán");
}

#[test]
fn finding_a_guardians_login_email_finds_the_child_in_the_app() {
    let p = practice();
    add_stepfather(&p, "100003", STEPDAD);
    let portal =
        portal_admin::Portal::open(&p.db(), config_in(p.dir.path()), p.clock.clone()).unwrap();
    let mut hs = portal_admin::tui::harness::Harness::signed_in(portal, "sam", STAFF_PW, 160, 40);
    hs.type_text("stepdad99");
    let screen = hs.screen();
    assert!(screen.contains("O'Brien, Seán"), "{screen}");
    // The detail shows the e-correspondent email of the practice's records.
    assert!(screen.contains("kathleen.obrien@example.org"), "{screen}");
}

#[test]
fn finding_a_guardian_whose_access_ended_at_18_still_finds_the_patient() {
    let p = practice();
    add_stepfather(&p, "100003", STEPDAD);
    // Seán O'Brien (born 30 Nov 2016) turns 18 on 30 Nov 2034.
    p.clock.set(time::macros::datetime!(2035-01-08 14:00 UTC));
    let ended = p.portal.guardians("100003").unwrap();
    let stepdad = ended
        .iter()
        .find(|g| g.email().as_str() == STEPDAD)
        .unwrap();
    assert!(stepdad.is_ended());
    // History the desk must see: the login still leads to the patient.
    assert_eq!(found(&p, "stepdad99"), ["100003"]);
}

#[test]
fn finding_by_a_login_that_is_the_childs_own_email_reads_no_more_than_before_it() {
    // Most logins are the e-correspondent email Create/Validate made them
    // from: the email indexes find those children already, so the index
    // of guardians' logins holds nothing for them and a search reads what
    // it read before any account was made.
    let p = practice();
    let before: Vec<u64> = ["smith.family", "@example.net", "maria."]
        .iter()
        .map(|q| entries_for(&p, q).1)
        .collect();
    p.create_validate("100005");
    p.create_validate("100001");
    let after: Vec<u64> = ["smith.family", "@example.net", "maria."]
        .iter()
        .map(|q| entries_for(&p, q).1)
        .collect();
    assert_eq!(after, before);
    assert_eq!(found(&p, "smith.family"), ["100005"]);
    // A stepfather's own login is another email: it adds its entries.
    add_stepfather(&p, "100005", "zed.stepdad99@example.net");
    assert!(entries_for(&p, "@example.net").1 > before[1]);
    assert_eq!(found(&p, "@example.net"), ["100005"]);
}

#[test]
fn finding_an_import_moving_the_e_correspondent_away_from_the_login_keeps_the_login_found() {
    // Olivia's login was her e-correspondent email; the practice's next
    // import gives her another one. Her mother still signs in with the old
    // address, and the desk still finds Olivia by it — and by the new one.
    let p = practice();
    p.create_validate("100005");
    let import = |email: &str| {
        p.portal
            .import_patients(
                &p.admin,
                "again.csv",
                format!("account_number,last_name,first_name,date_of_birth,email\n100005,Smith,Olivia,2018-07-04,{email}\n").as_bytes(),
                0,
                false,
                &mut (),
            )
            .unwrap();
    };
    import("olivia.new@example.org");
    for q in ["smith.family", "@example.net", "olivia.new", "@example.org"] {
        assert!(found(&p, q).contains(&"100005".to_owned()), "{q}");
    }
    // Back to the login's address: found once, by her own email again.
    import("smith.family@example.net");
    assert_eq!(found(&p, "smith.family"), ["100005"]);
    assert_eq!(found(&p, "olivia.new"), Vec::<String>::new());
    // And to a guardian's login that was not hers: found once by it.
    add_stepfather(&p, "100005", STEPDAD);
    import(STEPDAD);
    assert_eq!(found(&p, "stepdad99"), ["100005"]);
    assert_eq!(found(&p, "smith.family"), ["100005"]);
}

#[test]
fn finding_siblings_by_a_changed_login_finds_both_by_the_new_one_not_the_old() {
    let p = practice();
    add_stepfather(&p, "100001", STEPDAD);
    add_stepfather(&p, "100002", STEPDAD);
    assert_eq!(found(&p, "stepdad99"), ["100001", "100002"]);
    p.portal
        .change_login_email(&p.admin, STEPDAD, "zed.walker@newmail.test", None)
        .unwrap();
    assert_eq!(found(&p, "walker"), ["100001", "100002"]);
    assert_eq!(found(&p, "stepdad99"), Vec::<String>::new());
    // Removed from one sibling: the other is still found.
    p.portal
        .remove_guardian(
            &p.admin,
            "100001",
            "zed.walker@newmail.test",
            "custody order",
        )
        .unwrap();
    assert_eq!(found(&p, "walker"), ["100002"]);
    // Not to the e-correspondent email of the sibling it was removed from
    // (F8: a Create/Validate would link José back), though it is Sofía's.
    let refused = p
        .portal
        .change_login_email(
            &p.admin,
            "zed.walker@newmail.test",
            "maria.garcia@example.com",
            None,
        )
        .unwrap_err();
    assert!(refused.to_string().contains("patient 100001"), "{refused}");
    assert_eq!(found(&p, "walker"), ["100002"]);
}

const JOINED_CSV: &str = "\
account_number,last_name,first_name,date_of_birth,email
100020,O'Hara,Liam,2015-01-01,
100021,Smith-Jones,Ava,2017-01-01,
100022,Neil,Kara,2016-05-05,o_neil-smith+tag.v2@sub-1.my-host.co.uk
100023,Evans,Ivy,2014-02-02,evil'o@x.test
100024,Brown,Leo,2013-03-03,leo.garcia-lopez@example.net
100025,Brown,Mia,2013-03-03,smith-jones.fan@example.net
";

/// The patients of [`JOINED_CSV`], and the tester's guardian: Olivia
/// Smith's father, `Quinn.O-Hara+kids@Step-Family.test`.
fn with_joined_words(p: &Practice) {
    p.portal
        .import_patients(
            &p.admin,
            "joined.csv",
            JOINED_CSV.as_bytes(),
            0,
            false,
            &mut (),
        )
        .unwrap();
    add_stepfather(p, "100005", "Quinn.O-Hara+kids@Step-Family.test");
}

#[test]
fn fresh_logins_f4_a_word_with_a_hyphen_underscore_plus_or_apostrophe_alone_finds_the_email_parts_it_begins_after_the_names()
 {
    let p = practice();
    // The names each word finds as a name, before anything changes.
    let o_brien = found(&p, "o brien");
    let garcia_lopez = found(&p, "garcia lopez");
    assert_eq!(o_brien, ["100009", "100003"]);
    assert_eq!(garcia_lopez, ["100001", "100002", "100008"]);
    with_joined_words(&p);
    // The name first (O'Hara), then the email parts it begins.
    assert_eq!(found(&p, "o-hara"), ["100020", "100005"]);
    assert_eq!(found(&p, "O'Hara"), ["100020"], "o'hara is in no email");
    for q in [
        "o-hara+kids",
        "hara+kids",
        "step-family",
        "quinn.o-hara",
        "Step-Family",
    ] {
        assert_eq!(found(&p, q), ["100005"], "{q}");
    }
    // The e-correspondent email, each word of it that has a joiner.
    for q in [
        "o_neil",
        "o_neil-smith",
        "neil-smith",
        "smith+tag",
        "o_neil-smith+tag",
    ] {
        assert_eq!(found(&p, q), ["100022"], "{q}");
    }
    assert_eq!(found(&p, "evil'o"), ["100023"]);
    // Names keep working and come first: O'Brien, García-López,
    // Smith-Jones as before, the email matches after them.
    assert_eq!(found(&p, "o'brien"), o_brien);
    assert_eq!(found(&p, "o-brien"), o_brien);
    let mut then_email = garcia_lopez.clone();
    then_email.push("100024".into());
    assert_eq!(found(&p, "garcia-lopez"), then_email);
    assert_eq!(found(&p, "smith-jones"), ["100021", "100025"]);
    // With another word it is a name only, as before.
    assert_eq!(found(&p, "smith-jones ava"), ["100021"]);
    assert_eq!(found(&p, "o-hara quinn"), Vec::<String>::new());
    // Page by page with a budget of a few entries: the same rows.
    let small = practice_reading(2);
    with_joined_words(&small);
    for q in ["o-hara", "garcia-lopez", "smith-jones", "neil-smith"] {
        assert_eq!(found(&small, q), found(&p, q), "{q} within a budget of 2");
    }
}

#[test]
fn fresh_logins_f4_the_binary_and_the_app_find_a_joined_word_as_a_name_then_an_email() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let csv = home.path().join("joined.csv");
    std::fs::write(&csv, JOINED_CSV).unwrap();
    bin.admin(&["import", csv.to_str().unwrap()], "");
    let out = bin.ok(&["patients", "search", "garcia-lopez"], "");
    let rows: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(rows, ["100001", "100002", "100024"], "{out}");
    assert_first_row(&bin, "o_neil", "100022\tNeil, Kara");
    assert_first_row(&bin, "evil'o", "100023\tEvans, Ivy");
    // The app's search box: the same rows, the name first.
    let p = practice();
    with_joined_words(&p);
    let mut app = p.app_signed_in("sam", 120, 30);
    app.type_text("smith-jones");
    app.settle();
    let screen = app.screen();
    let jones = screen.find("> 100021 Smith-Jones, Ava").expect(&screen);
    let fan = screen.find("  100025 Brown, Mia").expect(&screen);
    assert!(jones < fan, "{screen}");
    assert!(screen.contains("page 1 · 1 of 2"), "{screen}");
}

/// Fresh tester of session 6, finding 2: `@e 3/7/19` walked every email
/// part beginning with `e` (a second at 200,000 patients; in the app "keep
/// typing" with matches left unfound) although that day's births are a
/// handful. The day is read whole and ranked, guardians' logins included.
#[test]
fn fresh_s6_2_a_date_of_birth_with_an_email_word_reads_that_days_patients_not_every_email_part() {
    let p = Practice::with_config(|c| c.database.search_budget = 500);
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    // 3,000 patients at @example.org born on other days; on 2019-03-07,
    // two at @example.org, one at @other.test, one with no email.
    for i in 0..3_000 {
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "2{i:05},Many,Kid{i},2018-02-{day:02},kid{i}@example.org\n"
        ));
    }
    csv.push_str("300001,Zed,Ann,2019-03-07,ann.zed@example.org\n");
    csv.push_str("300002,Abel,Bob,2019-03-07,bob.abel@example.org\n");
    csv.push_str("300003,Moss,Cy,2019-03-07,cy.moss@other.test\n");
    csv.push_str("300004,Nash,Di,2019-03-07,\n");
    p.portal
        .import_patients(&p.admin, "day.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    // Di's stepfather signs in at @example.org: Di is found by it too.
    add_stepfather(&p, "300004", "step.nash@example.org");
    for q in [
        "@example.org 3/7/19",
        "@example.org 2019-03-07",
        "3/7/19 example.org",
    ] {
        // In email order: bob.abel, ann.zed… by the part the word matches.
        let mut got = found(&p, q);
        got.sort();
        assert_eq!(got, ["300001", "300002", "300004"], "{q}");
        let (rows, read) = entries_for(&p, q);
        assert_eq!(rows, 3, "{q}");
        assert!(read < 50, "{q}: {read} entries read for a day of 4 births");
        assert!(
            !p.portal.search_patients(q, None, 50).unwrap().stopped_early,
            "{q}"
        );
    }
    assert_eq!(found(&p, "@other 3/7/19"), ["300003"]);
    // The order is the email search's without the date: by the part each
    // matched (`example.org␠ann.zed@`, …, `example.org␠step.nash@`).
    let day = ["300001", "300002", "300004"];
    let walked: Vec<String> = found(&p, "@example.org")
        .into_iter()
        .filter(|a| day.contains(&a.as_str()))
        .collect();
    assert_eq!(walked, day);
    assert_eq!(found(&p, "@example.org 3/7/19"), walked);
    // A birthday in every year, and an account-number beginning, narrow
    // the same way.
    let mut got = found(&p, "@example.org 3/7");
    got.sort();
    assert_eq!(got, ["300001", "300002", "300004"]);
    assert_eq!(found(&p, "@other 3000"), ["300003"]);
}

/// Fresh tester of session 6, finding 7: `+kids` found the child in the
/// lookup but no user in Control Panel → Users.
#[test]
fn fresh_s6_7_a_word_after_a_separator_finds_the_user_as_it_finds_the_patient() {
    let p = practice();
    add_stepfather(&p, "100003", "dad.o-hara+kids@step-family.test");
    for q in [
        "+kids",
        "kids",
        "-hara",
        ".o-hara",
        "+kids @step-family.test",
    ] {
        let users: Vec<String> = p
            .portal
            .list_accounts(q, None, 10)
            .unwrap()
            .items
            .iter()
            .map(|a| a.email.to_string())
            .collect();
        assert_eq!(users, ["dad.o-hara+kids@step-family.test"], "{q}");
    }
    assert!(found(&p, "+kids").contains(&"100003".to_owned()));
    // Separators alone are no word: every account, as an empty search.
    let all = p.portal.list_accounts("", None, 50).unwrap().items.len();
    assert_eq!(
        p.portal.list_accounts("+ -", None, 50).unwrap().items.len(),
        all
    );
}

/// Surnames typed with an apostrophe or a hyphen beside names made of the
/// same letters apart (fresh eyes, session 6, finding 6).
const APOSTROPHE_CSV: &str = "\
account_number,last_name,first_name,date_of_birth,email
100601,Brown,Oliver,2016-01-01,
100602,Brown,Olivia,2016-01-02,
100603,O'Brien,Liam,2016-01-03,
100604,Obrien,Ada,2016-01-04,
100605,Bristow,Olga,2016-01-05,
100606,Brien,Oscar,2016-01-06,
100607,O'Brien-Smith,Kate,2016-01-07,
100608,García-López,Ana,2016-01-08,
100609,García,Lola,2016-01-09,
100610,Lopez,Garcia,2016-01-10,
";

fn apostrophe_practice(budget: u64) -> Practice {
    practice_with(APOSTROPHE_CSV, budget)
}

/// Fresh tester of session 6, finding 6: `o'br` listed 232 Browns (first
/// names O…) before the first O'Brien. A word typed with an apostrophe or a
/// hyphen inside means one surname: the last names its letters together
/// equal, then those they begin, come before the matches of its parts apart.
#[test]
fn fresh_s6_6_a_surname_typed_with_an_apostrophe_ranks_before_its_parts_apart() {
    let default = portal_admin::config::DatabaseConfig::default().search_budget;
    for p in [apostrophe_practice(default), apostrophe_practice(1)] {
        // Obrien, O'Brien (Ada, Liam, and Seán of the practice), then
        // O'Brien-Smith: their last names begin with `obr`. Then the last
        // names beginning with `br` whose first name begins with `o`.
        let together = ["100604", "100603", "100003", "100607"];
        let apart = ["100606", "100605", "100601", "100602"];
        let want: Vec<&str> = together.iter().chain(&apart).copied().collect();
        for q in ["o'br", "O'Br", "o-br", "o’br"] {
            assert_eq!(found(&p, q), want, "{q}");
        }
        // The whole surname: equal first, then the longer one, then Brien,
        // Oscar (last name `brien`, first name `o…`).
        assert_eq!(
            found(&p, "o'brien"),
            ["100604", "100603", "100003", "100607", "100606"]
        );
        // With a first name too: the run holding the word whole first.
        assert_eq!(found(&p, "o'br li"), ["100603"]);
        assert_eq!(found(&p, "o'b o"), want, "`o` begins O'Brien too");
        // Typed with a space it is two words, as before: name order.
        assert_eq!(
            found(&p, "o br"),
            [
                "100606", "100605", "100601", "100602", "100604", "100603", "100003", "100607"
            ]
        );
        // A hyphen: García-López before Lopez, Garcia and García, Lola.
        assert_eq!(
            found(&p, "garcia-lo"),
            ["100608", "100001", "100002", "100609", "100610"]
        );
    }
}

/// Account numbers `patients search QUERY` prints, in order.
fn printed(bin: &Bin, q: &str) -> Vec<String> {
    bin.ok(&["patients", "search", "--", q], "")
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn fresh_s6_6_the_binary_lists_the_surname_typed_with_an_apostrophe_first() {
    let home = tempfile::tempdir().unwrap();
    let bin = bin_practice_with(home.path(), APOSTROPHE_CSV);
    let want = [
        "100604", "100603", "100003", "100607", "100606", "100605", "100601", "100602",
    ];
    assert_eq!(printed(&bin, "o'br"), want);
    let first = bin.ok(&["patients", "search", "o'br", "--limit", "1"], "");
    assert!(first.starts_with("100604\tObrien, Ada\t"), "{first}");
    // A budget of one entry: the command reads on, page by page.
    let cfg = home.path().join("config.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[database]\nsearch_budget = 1\n");
    std::fs::write(&cfg, text).unwrap();
    assert_eq!(printed(&bin, "o'br"), want);
    assert_eq!(printed(&bin, "o'brien")[..2], ["100604", "100603"]);
}

const KIDS_LOGIN: &str = "dad.o-hara+kids@step-family.test";

/// Fresh tester of session 6, finding 12: `patients search kids` listed the
/// child with no email (`-`), or with the mother's e-correspondent email,
/// though the row was found by the father's login: at the desk it looked
/// like a wrong hit. The row now carries the login it was found by, and
/// the CLI, its JSON and the app show it as a guardian's login.
#[test]
fn fresh_s6_12_a_row_found_by_a_guardians_login_shows_that_login() {
    // Through the services: Seán O'Brien (his mother's email on file) and
    // Minh Nguyen (no email on file) have the same stepfather.
    let p = practice();
    add_stepfather(&p, "100003", KIDS_LOGIN);
    add_stepfather(&p, "100004", KIDS_LOGIN);
    let rows = |q: &str| p.portal.search_patients(q, None, 10).unwrap().items;
    for q in [
        "kids",
        "o-hara",
        "@step-family.test",
        "step-family",
        KIDS_LOGIN,
    ] {
        let got = rows(q);
        let shown: Vec<(&str, Option<&str>, Option<&str>)> = got
            .iter()
            .map(|r| (r.account_number(), r.email(), r.matched_login()))
            .collect();
        assert_eq!(
            shown,
            [
                ("100004", None, Some(KIDS_LOGIN)),
                (
                    "100003",
                    Some("kathleen.obrien@example.org"),
                    Some(KIDS_LOGIN)
                ),
            ],
            "{q}"
        );
    }
    // A name with an email word: the guardian's login meets it too (as
    // `@step-family.test` alone does), walked, by a day or a year read
    // whole, or after a comma; the row shows the login.
    for (q, no) in [
        ("sean @step-family.test", "100003"),
        ("o'brien step-family.test", "100003"),
        ("minh @step-family.test", "100004"),
        ("sean @step-family.test 11/30/2016", "100003"),
        ("sean @step-family.test 2016", "100003"),
        ("o @step-family.test 2016-11", "100003"),
        ("o'brien, se kids@", "100003"),
        ("nguyen dad.o-hara+kids@step-family.test", "100004"),
    ] {
        let got = rows(q);
        let shown: Vec<(&str, Option<&str>)> = got
            .iter()
            .map(|r| (r.account_number(), r.matched_login()))
            .collect();
        assert_eq!(shown, [(no, Some(KIDS_LOGIN))], "{q}");
    }
    assert_eq!(found(&p, "sean @otherdomain.test"), Vec::<String>::new());
    assert_eq!(found(&p, "garcia @step-family.test"), Vec::<String>::new());
    // Found by the patient's own email, or by the name: no login shown.
    for q in [
        "kathleen",
        "@example.org",
        "o'brien",
        "nguyen",
        "sean",
        "sean @example.org",
    ] {
        assert!(
            rows(q).iter().all(|r| r.matched_login().is_none()),
            "{q}: {:?}",
            rows(q)
        );
    }
    // An account holder whose login IS the patient's own email: that email
    // alone, no login beside it.
    p.create_validate("100001");
    let maria = rows("maria");
    assert!(!maria.is_empty());
    assert!(
        maria.iter().all(|r| r.matched_login().is_none()),
        "{maria:?}"
    );
    // Page by page, with a budget of one entry: the same.
    let small = practice_reading(1);
    add_stepfather(&small, "100003", KIDS_LOGIN);
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let page = small
            .portal
            .search_patients("kids", after.as_deref(), 1)
            .unwrap();
        seen.extend(page.items.iter().map(|r| {
            (
                r.account_number().to_owned(),
                r.matched_login().map(str::to_owned),
            )
        }));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, [("100003".to_owned(), Some(KIDS_LOGIN.to_owned()))]);

    // The app: the row is marked `@`, the line under the list says whose
    // login found it, in words (no colour needed), at 80x24 and 60x20.
    let mut app = p.app_signed_in("sam", 80, 24);
    app.type_text("kids");
    let screen = app.screen();
    assert!(screen.contains("Nguyen, Minh @"), "{screen}");
    assert!(screen.contains("found by the guardian login"), "{screen}");
    insta::assert_snapshot!("found_by_a_guardians_login_80x24", screen);
    app.resize(60, 20);
    let screen = app.screen();
    assert!(screen.contains("Nguyen, Minh @"), "{screen}");
    assert!(
        screen.contains(&format!("guardian login {KIDS_LOGIN}")),
        "{screen}"
    );
    assert!(
        screen.contains("page 1"),
        "the position still shows: {screen}"
    );
    insta::assert_snapshot!("found_by_a_guardians_login_60x20", screen);
    app.type_text(" ");
    app.ctrl('u');
    app.type_text("nguyen");
    let screen = app.screen();
    assert!(!screen.contains("found by"), "{screen}");
    assert!(!screen.contains("Minh @"), "{screen}");
}

/// Fresh eyes, session 7 (second pass), finding 2: a long guardian login
/// under the list was cut without `…` — at 60x20 it ended at
/// `…+kids.and.more`, no `@`, no domain, like a whole login — and the page
/// line disappeared. It is cut with `…` on its own row, and the page line
/// keeps its row, at 80x24 and 60x20.
#[test]
fn fresh_s7b_2_a_long_guardian_login_is_cut_with_an_ellipsis_and_the_page_line_stays() {
    const LONG: &str =
        "dad.with.a.very.long.name+kids.and.more@a-very-long-subdomain.of-the-family.example.org";
    let p = practice();
    add_stepfather(&p, "100003", LONG);
    let mut app = p.app_signed_in("sam", 80, 24);
    app.type_text("kids");
    for (w, h) in [(80, 24), (60, 20)] {
        app.resize(w, h);
        let screen = app.screen();
        assert!(screen.contains("O'Brien, Seán @"), "{w}x{h}:\n{screen}");
        assert!(screen.contains("guardian login"), "{w}x{h}:\n{screen}");
        // The lookup pane's side of each line (the account pane, beside
        // it at 80x24, shows the login whole, wrapped).
        let lookup = |l: &str| l.split("││").next().unwrap_or("").to_owned();
        assert!(
            screen
                .lines()
                .map(lookup)
                .any(|l| l.contains("dad.with.a.very") && l.contains('…')),
            "{w}x{h}:\n{screen}"
        );
        assert!(!screen.contains(LONG), "{w}x{h}: cut, not whole:\n{screen}");
        if w == 80 {
            // Finding 6: the e-correspondent email, which has no account,
            // is not said to have one.
            let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(!flat.contains("(has account)"), "{screen}");
            assert!(flat.contains("(no login; the account is"), "{screen}");
        }
        assert!(
            screen.contains("page 1"),
            "{w}x{h}: the page line stays:\n{screen}"
        );
    }
}

#[test]
fn fresh_s6_12_the_binary_shows_the_guardians_login_a_row_was_found_by() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    for patient in ["100003", "100004"] {
        bin.staff_run(
            &[
                "guardian",
                "add",
                "--patient",
                patient,
                "--email",
                KIDS_LOGIN,
                "--relationship",
                "father",
                "--identity-check",
                IDENTITY_CHECK,
            ],
            "",
        );
    }
    let text = bin.ok(&["patients", "search", "kids"], "");
    assert_eq!(
        text,
        format!(
            "100004\tNguyen, Minh\t2020-01-02\t{KIDS_LOGIN} (guardian login)\tportal\n\
             100003\tO'Brien, Seán\t2016-11-30\t{KIDS_LOGIN} (guardian login)\tportal\n"
        )
    );
    // A name with the login's domain finds him too (it found nobody).
    assert_eq!(
        bin.ok(&["patients", "search", "sean @step-family.test"], ""),
        format!("100003\tO'Brien, Seán\t2016-11-30\t{KIDS_LOGIN} (guardian login)\tportal\n")
    );
    // Found by the name or the patient's own email: the email, as before.
    let own = bin.ok(&["patients", "search", "kathleen"], "");
    assert_eq!(
        own,
        "100003\tO'Brien, Seán\t2016-11-30\tkathleen.obrien@example.org\tportal\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&bin.ok(&["patients", "search", "kids", "--json"], "")).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["matched_login"], KIDS_LOGIN);
    assert_eq!(
        rows[0]["email"],
        serde_json::Value::Null,
        "unchanged: the e-correspondent email"
    );
    assert_eq!(rows[1]["email"], "kathleen.obrien@example.org");
    assert_eq!(rows[1]["matched_login"], KIDS_LOGIN);
    let by_name: serde_json::Value =
        serde_json::from_str(&bin.ok(&["patients", "search", "nguyen", "--json"], "")).unwrap();
    assert_eq!(by_name[0]["matched_login"], serde_json::Value::Null);
    let keys: Vec<&String> = by_name[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "account_number",
            "date_of_birth",
            "email",
            "first_name",
            "last_name",
            "matched_login",
            "portal_account"
        ],
        "the existing fields all stay"
    );
}

/// Fresh s7 F1: name words after the twelfth were dropped in silence, so
/// `a b c d e f g h i j k l zzzz` (or one dotted word of 13 parts) listed
/// a patient whom `zzzz` does not match. More words than a search reads
/// is now said, in the service, the app and the command line; a dotted
/// word of 13 parts alone is an email part only (second pass, finding 8).
#[test]
fn fresh_s7_f1_a_thirteenth_name_word_is_refused_not_dropped() {
    let p = fresh();
    let said = "a search reads at most 12 name words (st.john is two); this one has 13: leave \
                some out";
    // A dotted word of more parts than that, typed alone, is an email
    // part only (second pass, finding 8): nobody's email holds this one.
    assert!(found(&p, "a.b.c.d.e.f.g.h.i.j.k.l.zzzz").is_empty());
    for q in [
        "a b c d e f g h i j k l zzzz",
        "smith smith smith smith smith smith smith smith smith smith smith smith zzzz",
        ", a b c d e f g h i j k l zzzz",
    ] {
        assert_eq!(refused(&p, q), said, "{q}");
    }
    // Twelve words are read, each of them.
    assert!(
        found(
            &p,
            "smith smith smith smith smith smith smith smith smith smith smith zzzz"
        )
        .is_empty()
    );
    assert!(
        !found(
            &p,
            "smith smith smith smith smith smith smith smith smith smith smith smith"
        )
        .is_empty()
    );
    // The command line refuses it as invalid input (exit 2), saying why.
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let out = bin.run(
        &["patients", "search", "--", "a b c d e f g h i j k l zzzz"],
        "",
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains(said), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

/// Fresh s7 F2: `st.john jul 2016` found St. John (the month's words are
/// read as a date first, leaving the dotted word alone), but
/// `st.john 7/2016` and `mac.donald 11/2/2017` found nobody: a date in
/// figures counted as another word, which made the dotted word an email
/// word. Dates, years and numbers no longer count: the dotted word is a
/// name, then an email part, narrowed by the date, whichever way the date
/// is written.
#[test]
fn fresh_s7_f2_a_dotted_name_with_a_date_in_figures_finds_what_it_finds_with_the_month_named() {
    for p in [fresh(), fresh_practice(1)] {
        for q in [
            "st.john sep 2016",
            "st.john 9/2016",
            "st.john 2016-09",
            "st.john 9/8/2016",
            "2016 st.john",
            "8.9.2016 st.john",
        ] {
            assert_eq!(found(&p, q), ["100121"], "{q}");
        }
        for q in [
            "mac.donald nov 2017",
            "mac.donald 11/2/2017",
            "mac.donald 2017-11",
            "mac.donald 11/2017",
        ] {
            assert_eq!(found(&p, q), ["100111"], "{q}");
        }
        // The email part too, narrowed by the date (Kelly, Amy's email
        // begins st.john; she was born 5 May 2015).
        assert_eq!(found(&p, "st.john 2015"), ["100124"]);
        assert_eq!(found(&p, "st.john 5/5/2015"), ["100124"]);
        // A hyphenated or apostrophe name beside a date, likewise.
        assert_eq!(found(&p, "o'brien 9/8/2016"), ["100122"]);
        // With another name word it is still an email word (docs/cli.md).
        assert!(found(&p, "st.john ava").is_empty());
    }
}
