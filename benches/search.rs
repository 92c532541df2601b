//! Search per keystroke: the first page (50 rows) for every query class, at
//! 10k / 100k / 1M patients, against SQLite (rusqlite, bundled) holding the
//! same rows with the same normalised keys, proper indexes and WAL.
//! Also: key press to redrawn frame in the app.
//!
//! `cargo bench --bench search` (all sizes) · `-- --smoke` (10k, CI)

mod common;

use std::time::{Duration, Instant};

use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use portal_admin::domain::PatientQuery;
use portal_admin::domain::query::KEY_SEP;
use portal_admin::tui::msg::Msg;

const PAGE: usize = 50;

/// The SQLite peer, built from the very rows of the redb data set.
fn sqlite_dataset(n: usize) -> rusqlite::Connection {
    let path = data_dir().join(format!("peer-{n}.sqlite"));
    let fresh = !path.exists();
    let partial = data_dir().join(format!("peer-{n}.partial.sqlite"));
    let conn = rusqlite::Connection::open(if fresh { &partial } else { &path }).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    if fresh {
        eprintln!("building the SQLite peer for {n} patients (once)...");
        conn.execute_batch(
            "CREATE TABLE patients(
                account TEXT PRIMARY KEY, last_name TEXT NOT NULL, first_name TEXT NOT NULL,
                dob TEXT NOT NULL, email TEXT, account_id INTEGER,
                name_key TEXT NOT NULL, dob_key TEXT NOT NULL, email_key TEXT);
             CREATE INDEX p_name ON patients(name_key);
             CREATE INDEX p_dob ON patients(dob_key);
             CREATE INDEX p_email ON patients(email_key);",
        )
        .unwrap();
        let portal = open(n);
        let tx = conn.unchecked_transaction().unwrap();
        {
            let mut ins = tx
                .prepare("INSERT INTO patients VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .unwrap();
            let mut after: Option<String> = None;
            loop {
                let page = portal.search_patients("", after.as_deref(), 1000).unwrap();
                for r in &page.items {
                    let p = &r.patient;
                    let name = format!(
                        "{}{KEY_SEP}{}{KEY_SEP}{}",
                        p.last_key(),
                        p.first_key(),
                        p.account_number
                    );
                    let email = p.email.as_ref().map(|e| e.to_string());
                    ins.execute(rusqlite::params![
                        p.account_number,
                        p.last_name,
                        p.first_name,
                        p.date_of_birth.to_string(),
                        email,
                        r.account_id.map(|i| i as i64),
                        name,
                        format!("{}{KEY_SEP}{name}", p.date_of_birth),
                        email.as_ref().map(|e| format!("{e}{KEY_SEP}{name}")),
                    ])
                    .unwrap();
                }
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
        }
        tx.commit().unwrap();
        drop(conn);
        std::fs::rename(&partial, &path).unwrap();
        return sqlite_dataset(n);
    }
    conn
}

/// The same page from SQLite: a range over the index, 50 rows, every column read.
fn sqlite_page(conn: &rusqlite::Connection, q: &PatientQuery) -> usize {
    let (col, prefix) = match q {
        PatientQuery::All => ("name_key", String::new()),
        PatientQuery::Name(p) => ("name_key", p.clone()),
        PatientQuery::DateOfBirth(p) => ("dob_key", p.clone()),
        PatientQuery::Email(p) => ("email_key", p.clone()),
        PatientQuery::AccountNumber(p) => ("account", p.clone()),
    };
    let sql = format!(
        "SELECT account, last_name, first_name, dob, email, account_id FROM patients
         WHERE {col} >= ?1 AND {col} < ?2 ORDER BY {col} LIMIT {PAGE}"
    );
    let mut stmt = conn.prepare_cached(&sql).unwrap();
    let upper = format!("{prefix}\u{7f}");
    let rows = stmt
        .query_map(rusqlite::params![prefix, upper], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })
        .unwrap();
    let mut n = 0;
    for r in rows {
        std::hint::black_box(r.unwrap());
        n += 1;
    }
    n
}

fn query_plan(conn: &rusqlite::Connection, col: &str) -> String {
    let sql = format!(
        "EXPLAIN QUERY PLAN SELECT account FROM patients WHERE {col} >= 'a' AND {col} < 'b' ORDER BY {col} LIMIT 50"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let plan: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    plan.join("; ")
}

const QUERIES: &[(&str, &str)] = &[
    ("last name, 1 char", "s"),
    ("last name, 2 chars", "sm"),
    ("last name, 3 chars", "smi"),
    ("last name, 4 chars", "smit"),
    ("last name, 5 chars (most common)", "smith"),
    ("last name, 6 chars", "nguyen"),
    ("last name, rare", "celik"),
    ("\"last, first\"", "garcia, so"),
    ("email prefix", "maria."),
    ("email prefix, long", "jose.garcia1"),
    ("account number", "100012"),
    ("account prefix", "1000"),
    ("date of birth (ISO)", "2019-03-07"),
    ("date of birth (US)", "03/07/2019"),
];

fn main() {
    let sizes: &[usize] = if smoke() {
        &[10_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let rounds = if smoke() { 20 } else { 300 };
    // `-- --keys`: only key press → frame, on the largest data set (for
    // before/after comparisons of the app).
    if std::env::args().any(|a| a == "--keys") {
        keystroke_to_frame(open(*sizes.last().unwrap()), rounds);
        return;
    }
    println!(
        "Search, first page of {PAGE} rows; {rounds} rounds per query, warm cache; median / p99"
    );
    for &n in sizes {
        let portal = open(n);
        let conn = sqlite_dataset(n);
        if n == sizes[0] {
            for col in ["name_key", "dob_key", "email_key", "account"] {
                println!("SQLite plan on {col}: {}", query_plan(&conn, col));
            }
        }
        println!("\n### {n} patients\n");
        println!("| query | rows | portal-admin (redb) | SQLite | ratio of medians |");
        println!("|---|---|---|---|---|");
        for (label, q) in QUERIES {
            let parsed = PatientQuery::parse(q);
            let rows = portal.search_patients(q, None, PAGE).unwrap().items.len();
            // The same rule as the service: a word that matches no last
            // name is tried as the start of an email.
            let parsed = match parsed {
                PatientQuery::Name(k)
                    if !k.contains(' ')
                        && sqlite_page(&conn, &PatientQuery::Name(k.clone())) == 0 =>
                {
                    PatientQuery::Email(q.to_ascii_lowercase())
                }
                other => other,
            };
            let peer_rows = sqlite_page(&conn, &parsed);
            let mut ours = Vec::with_capacity(rounds);
            let mut theirs = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let t = Instant::now();
                let page = portal.search_patients(q, None, PAGE).unwrap();
                std::hint::black_box(&page);
                ours.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(sqlite_page(&conn, &parsed));
                theirs.push(t.elapsed());
            }
            let (o50, o99) = stats(&mut ours);
            let (s50, s99) = stats(&mut theirs);
            let note = if rows == peer_rows {
                String::new()
            } else {
                format!(" (SQLite: {peer_rows})")
            };
            println!(
                "| {label} `{q}` | {rows}{note} | {} / {} | {} / {} | {:.2} |",
                fmt(o50),
                fmt(o99),
                fmt(s50),
                fmt(s99),
                o50.as_secs_f64() / s50.as_secs_f64()
            );
        }
        // Fixed cost of every query: a fresh read transaction (redb's
        // multi-process mode checks the file for other processes' commits).
        let mut begin: Vec<Duration> = (0..rounds)
            .map(|_| {
                portal.refresh();
                let t = Instant::now();
                std::hint::black_box(portal.portal_setup().unwrap());
                t.elapsed()
            })
            .collect();
        let (b50, b99) = stats(&mut begin);
        println!(
            "\nfixed cost of a fresh read snapshot (taken at most once per {:?}, shared by the searches in between): {} / {}",
            portal_admin::store::SNAPSHOT_TTL,
            fmt(b50),
            fmt(b99)
        );
        keystroke_to_frame(portal, rounds);
    }
}

/// Typing in the search box: key press → search → status pane → frame drawn.
fn keystroke_to_frame(portal: portal_admin::Portal, rounds: usize) {
    let portal = std::sync::Arc::new(portal);
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut hs = signed_in_app(&portal, (w, h), false);
        let mut samples: Vec<Duration> = Vec::new();
        for _ in 0..rounds.div_ceil(5) {
            for c in "smith".chars() {
                let t = Instant::now();
                hs.send(Msg::Key(KeyEvent::from(KeyCode::Char(c)), Instant::now()));
                hs.draw();
                samples.push(t.elapsed());
            }
            for _ in 0..5 {
                hs.send(Msg::Key(KeyEvent::from(KeyCode::Backspace), Instant::now()));
            }
        }
        let (m, p99) = stats(&mut samples);
        println!(
            "\nkey press → redrawn frame at {w}x{h} (typing \"smith\", {} keys): median {} / p99 {}",
            samples.len(),
            fmt(m),
            fmt(p99)
        );
    }
}
