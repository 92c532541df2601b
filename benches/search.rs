//! Search per keystroke: the first page (50 rows) of every query class, at
//! 10k / 100k / 1M patients, against SQLite FTS5 (rusqlite, bundled SQLite)
//! holding the very same rows: `tokenize='unicode61 remove_diacritics 2'`,
//! prefix indexes `prefix='1 2 3'`, prefix queries, every column a result
//! row shows read; dates and account numbers through ordinary indexes.
//! Also: index entries each of our queries reads, and key press to redrawn
//! frame in the app.
//!
//! Ours and SQLite's rounds alternate in blocks of ten (the same machine
//! load for both, warm caches for both); SQLite runs on a thread of its
//! own (its own malloc arena), one block at a time.
//!
//! `cargo bench --bench search` (all sizes) · `-- --smoke` (10k, CI) ·
//! `-- --size 1000000` (one size) · `-- --only smith --only "jo garcia"`
//! (those classes) · `-- --rounds N` · `-- --keys [--only smith]` (key →
//! frame only, on the largest size). `benches/before_after.py` sets these figures beside
//! an older build's.

mod common;

use std::time::{Duration, Instant};

use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use portal_admin::tui::msg::Msg;

const PAGE: usize = 50;
/// Rounds of one side in a row (see the measuring loop).
const BLOCK: usize = 10;

/// What SQLite runs for a query class: an FTS5 `MATCH` (with an extra
/// condition on the patients table, perhaps), or a range over an index.
#[derive(Clone, Copy)]
enum Peer {
    Fts(&'static str, &'static str),
    /// `dob` from, to (exclusive), in date then name order.
    Dob(&'static str, &'static str),
    /// Account numbers from, to (exclusive).
    Account(&'static str, &'static str),
    /// `dob` in either of two ranges (from, to, from, to), in date order.
    DobOr(&'static str, &'static str, &'static str, &'static str),
}

use Peer::*;

/// (label, what staff type, what SQLite runs). Classes that existed before
/// this round come first.
const QUERIES: &[(&str, &str, Peer)] = &[
    ("last name, 1 char", "s", Fts("s*", "")),
    ("last name, 2 chars", "sm", Fts("sm*", "")),
    ("last name, 3 chars", "smi", Fts("smi*", "")),
    ("last name, 4 chars", "smit", Fts("smit*", "")),
    (
        "last name, 5 chars (most common)",
        "smith",
        Fts("smith*", ""),
    ),
    ("last name, 6 chars", "nguyen", Fts("nguyen*", "")),
    ("last name, rare", "celik", Fts("celik*", "")),
    (
        "\"last, first\"",
        "garcia, so",
        Fts("last_name:garcia* AND first_name:so*", ""),
    ),
    ("email, a word of it", "maria.", Fts("email:maria*", "")),
    (
        "email, its beginning",
        "jose.garcia1",
        Fts("email:\"jose garcia1\"*", ""),
    ),
    ("account number", "100012", Account("100012", "100013")),
    ("account prefix", "1000", Account("1000", "1001")),
    (
        "date of birth, ISO",
        "2019-03-07",
        Dob("2019-03-07", "2019-03-08"),
    ),
    (
        "date of birth, MM/DD/YYYY",
        "03/07/2019",
        Dob("2019-03-07", "2019-03-08"),
    ),
    (
        "first name first (common first word)",
        "jo garcia",
        Fts("jo* AND garcia*", ""),
    ),
    (
        "second surname, then first name",
        "lopez jose",
        Fts("lopez* AND jose*", ""),
    ),
    ("first name alone", "sean", Fts("sean*", "")),
    ("surname in two words", "o brien", Fts("o* AND brien*", "")),
    (
        "name and year",
        "smith 2016",
        Fts(
            "smith*",
            "AND p.dob >= '2016-01-01' AND p.dob < '2017-01-01'",
        ),
    ),
    (
        "name and date",
        "obrien 11/2/17",
        Fts("o* AND brien*", "AND p.dob = '2017-11-02'"),
    ),
    ("date, M/D/YY", "3/7/19", Dob("2019-03-07", "2019-03-08")),
    (
        "date, M-D-YYYY",
        "3-7-2019",
        Dob("2019-03-07", "2019-03-08"),
    ),
    ("month, YYYY-MM", "2019-03", Dob("2019-03-01", "2019-04-01")),
    ("very common word, 1 char", "a", Fts("a*", "")),
    ("very common word, 1 char", "m", Fts("m*", "")),
    ("very common word, 2 chars", "jo", Fts("jo*", "")),
    (
        "very common first word",
        "m smith",
        Fts("m* AND smith*", ""),
    ),
    (
        "very common first word",
        "a nguyen",
        Fts("a* AND nguyen*", ""),
    ),
    ("email part (a last name too)", "moore", Fts("moore*", "")),
    (
        "email domain",
        "@example.org",
        Fts("email:\"example org\"*", ""),
    ),
    ("email part only", "ashley", Fts("ashley*", "")),
    (
        "name and an email word (own email or a guardian's login)",
        "smith @example.org",
        Fts("last_name:smith* AND email:\"example org\"*", ""),
    ),
    (
        "two common words, no patient has both",
        "smith garcia",
        Fts("smith* AND garcia*", ""),
    ),
    (
        "common word and a missing one",
        "smith xavier",
        Fts("smith* AND xavier*", ""),
    ),
    // Combinations a tester found reading every entry of the common word.
    (
        "common word, a year nobody was born in",
        "a 2000",
        Fts("a*", "AND p.dob >= '2000-01-01' AND p.dob < '2001-01-01'"),
    ),
    (
        "common name, rare account-number beginning",
        "smith 201",
        Fts("smith*", "AND p.account >= '201' AND p.account < '202'"),
    ),
    (
        "common name, account-number beginning",
        "smith 1000",
        Fts("smith*", "AND p.account >= '1000' AND p.account < '1001'"),
    ),
    (
        "common word and a month",
        "jo 2019-03",
        Fts("jo*", "AND p.dob >= '2019-03-01' AND p.dob < '2019-04-01'"),
    ),
    // Several name words match names only (a single word also emails):
    // FTS5 is held to the name columns for these two.
    (
        "three common letters",
        "a e i",
        Fts("{last_name first_name} : (a* AND e* AND i*)", ""),
    ),
    (
        "four common letters",
        "a b c d",
        Fts("{last_name first_name} : (a* AND b* AND c* AND d*)", ""),
    ),
    // The query language's second round (fresh-eyes findings).
    (
        "date and year, no name",
        "3/7 2011",
        Dob("2011-03-07", "2011-03-08"),
    ),
    (
        "one-digit day: that day, then 20-29",
        "2019-03-2",
        DobOr("2019-03-02", "2019-03-03", "2019-03-20", "2019-03-30"),
    ),
    (
        "year alone: births, then accounts",
        "2016",
        Dob("2016-01-01", "2017-01-01"),
    ),
    (
        "month name and year",
        "Nov 2017",
        Dob("2017-11-01", "2017-12-01"),
    ),
    (
        "dotted date, day first",
        "25.12.2016",
        Dob("2016-12-25", "2016-12-26"),
    ),
    ("dotted name alone", "st.john", Fts("st* AND john*", "")),
];

/// The SQLite peer, built once from the very rows of the redb data set, in
/// name order (so FTS5's rowid order is our order by name).
fn sqlite_dataset(n: usize) -> rusqlite::Connection {
    let path = data_dir().join(format!("peer-fts-{n}.sqlite"));
    let fresh = !path.exists();
    let partial = data_dir().join(format!("peer-fts-{n}.partial.sqlite"));
    if fresh {
        let _ = std::fs::remove_file(&partial);
    }
    let conn = rusqlite::Connection::open(if fresh { &partial } else { &path }).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    if fresh {
        eprintln!("building the SQLite FTS5 peer for {n} patients (once)...");
        conn.execute_batch(
            "CREATE TABLE patients(
                account TEXT NOT NULL UNIQUE, last_name TEXT NOT NULL, first_name TEXT NOT NULL,
                dob TEXT NOT NULL, email TEXT, account_id INTEGER);
             CREATE INDEX p_dob ON patients(dob);",
        )
        .unwrap();
        let portal = open(n);
        let tx = conn.unchecked_transaction().unwrap();
        {
            let mut ins = tx
                .prepare("INSERT INTO patients VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .unwrap();
            let mut after: Option<String> = None;
            loop {
                let page = portal.search_patients("", after.as_deref(), 1000).unwrap();
                for r in &page.items {
                    ins.execute(rusqlite::params![
                        r.account_number(),
                        r.last_name(),
                        r.first_name(),
                        r.date_of_birth.to_string(),
                        r.email(),
                        r.account_id.map(|i| i as i64),
                    ])
                    .unwrap();
                }
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
        }
        tx.execute_batch(
            "CREATE VIRTUAL TABLE pfts USING fts5(last_name, first_name, email,
                content='patients', content_rowid='rowid',
                tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
             INSERT INTO pfts(rowid, last_name, first_name, email)
                SELECT rowid, last_name, first_name, email FROM patients;",
        )
        .unwrap();
        tx.commit().unwrap();
        drop(conn);
        std::fs::rename(&partial, &path).unwrap();
        return sqlite_dataset(n);
    }
    conn
}

/// The SQLite peer on a thread of its own: each side allocates from its own
/// malloc arena, so neither's allocations shape the other's heap (an FTS5
/// prefix query frees megabytes of doclists). The threads never run at the
/// same time: the bench waits for each block.
struct PeerThread {
    ask: std::sync::mpsc::Sender<(Peer, usize)>,
    answer: std::sync::mpsc::Receiver<(usize, Vec<Duration>)>,
}

impl PeerThread {
    fn start(n: usize) -> PeerThread {
        let (ask, asked) = std::sync::mpsc::channel::<(Peer, usize)>();
        let (reply, answer) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let conn = sqlite_dataset(n);
            for (peer, rounds) in asked {
                let rows = sqlite_page(&conn, peer);
                let times = (0..rounds)
                    .map(|_| {
                        let t = Instant::now();
                        std::hint::black_box(sqlite_page(&conn, peer));
                        t.elapsed()
                    })
                    .collect();
                if reply.send((rows, times)).is_err() {
                    break;
                }
            }
        });
        PeerThread { ask, answer }
    }

    /// The peer's rows for `peer`, and `rounds` timings of its page.
    fn run(&self, peer: Peer, rounds: usize) -> (usize, Vec<Duration>) {
        self.ask.send((peer, rounds)).unwrap();
        self.answer.recv().unwrap()
    }
}

/// The same page from SQLite: 50 rows, every column read.
fn sqlite_page(conn: &rusqlite::Connection, peer: Peer) -> usize {
    const COLS: &str = "p.account, p.last_name, p.first_name, p.dob, p.email, p.account_id";
    let (sql, params): (String, Vec<&str>) = match peer {
        Fts(m, extra) => (
            format!(
                "SELECT {COLS} FROM pfts JOIN patients p ON p.rowid = pfts.rowid
                 WHERE pfts MATCH ?1 {extra} LIMIT {PAGE}"
            ),
            vec![m],
        ),
        Dob(from, to) => (
            format!(
                "SELECT {COLS} FROM patients p WHERE p.dob >= ?1 AND p.dob < ?2
                 ORDER BY p.dob, p.rowid LIMIT {PAGE}"
            ),
            vec![from, to],
        ),
        Account(from, to) => (
            format!(
                "SELECT {COLS} FROM patients p WHERE p.account >= ?1 AND p.account < ?2
                 ORDER BY p.account LIMIT {PAGE}"
            ),
            vec![from, to],
        ),
        DobOr(a, b, c, d) => (
            format!(
                "SELECT {COLS} FROM patients p
                 WHERE (p.dob >= ?1 AND p.dob < ?2) OR (p.dob >= ?3 AND p.dob < ?4)
                 ORDER BY p.dob, p.rowid LIMIT {PAGE}"
            ),
            vec![a, b, c, d],
        ),
    };
    let mut stmt = conn.prepare_cached(&sql).unwrap();
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `-- --size N`: only that data set; `-- --only TEXT`: only the query
    // classes typed as TEXT (repeatable); `-- --rounds N`.
    let flag = |name: &str| -> Vec<&str> {
        args.windows(2)
            .filter(|w| w[0] == name)
            .map(|w| w[1].as_str())
            .collect()
    };
    let sized: Vec<usize> = flag("--size")
        .iter()
        .filter_map(|n| n.parse().ok())
        .collect();
    let only = flag("--only");
    let sizes: &[usize] = if !sized.is_empty() {
        &sized
    } else if smoke() {
        &[10_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let rounds = flag("--rounds")
        .first()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if smoke() { 20 } else { 300 });
    // `-- --keys`: only key press → frame, on the largest data set (for
    // before/after comparisons of the app).
    if std::env::args().any(|a| a == "--keys") {
        keystroke_to_frame(open(*sizes.last().unwrap()), rounds, &only);
        return;
    }
    println!(
        "Search, first page of {PAGE} rows; {} rounds per query and side, in alternating blocks of {BLOCK}, warm cache; median / p99",
        rounds.div_ceil(BLOCK) * BLOCK
    );
    // Per size: each query's median and entries read.
    let mut growth: Vec<(usize, Vec<(Duration, u64)>)> = Vec::new();
    for &n in sizes {
        let portal = open(n);
        let peer_thread = PeerThread::start(n);
        println!("\n### {n} patients\n");
        println!(
            "| query | rows (SQLite) | entries read | portal-admin (redb) | SQLite FTS5 | ratio of medians |"
        );
        println!("|---|---|---|---|---|---|");
        let mut at_size = Vec::new();
        for (label, q, peer) in QUERIES {
            if !only.is_empty() && !only.contains(q) {
                continue;
            }
            let before = portal_admin::store::entries_read();
            let rows = portal.search_patients(q, None, PAGE).unwrap().items.len();
            let read = portal_admin::store::entries_read() - before;
            let peer_rows = peer_thread.run(*peer, 0).0;
            let mut ours = Vec::with_capacity(rounds);
            let mut theirs = Vec::with_capacity(rounds);
            // Alternating blocks of BLOCK rounds: both sides see the same
            // load on a shared machine, and neither runs right after the
            // other every time (an FTS5 query that reads 20 ms of doclists
            // leaves the CPU caches cold for whatever follows it).
            for _ in 0..rounds.div_ceil(BLOCK) {
                for _ in 0..BLOCK {
                    let t = Instant::now();
                    let page = portal.search_patients(q, None, PAGE).unwrap();
                    std::hint::black_box(&page);
                    ours.push(t.elapsed());
                }
                theirs.extend(peer_thread.run(*peer, BLOCK).1);
            }
            let (o50, o99) = stats(&mut ours);
            let (s50, s99) = stats(&mut theirs);
            println!(
                "| {label} `{q}` | {rows} ({peer_rows}) | {read} | {} / {} | {} / {} | {:.2} |",
                fmt(o50),
                fmt(o99),
                fmt(s50),
                fmt(s99),
                o50.as_secs_f64() / s50.as_secs_f64()
            );
            at_size.push((o50, read));
        }
        growth.push((n, at_size));
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
        if only.is_empty() {
            keystroke_to_frame(portal, rounds, &[]);
        }
    }
    if growth.len() > 1 {
        println!("\n### How cost grows: median (index entries read)\n");
        let head: Vec<String> = growth.iter().map(|(n, _)| format!("{n}")).collect();
        println!("| query | {} |", head.join(" | "));
        println!("|---|{}", "---|".repeat(head.len()));
        let shown = QUERIES
            .iter()
            .filter(|(_, q, _)| only.is_empty() || only.contains(q));
        for (i, (_, q, _)) in shown.enumerate() {
            let cells: Vec<String> = growth
                .iter()
                .map(|(_, v)| format!("{} ({})", fmt(v[i].0), v[i].1))
                .collect();
            println!("| `{q}` | {} |", cells.join(" | "));
        }
    }
}

/// Typing in the search box: key press → search → status pane → frame drawn.
/// `only`: what to type, when not both `smith` and `jo garcia`.
fn keystroke_to_frame(portal: portal_admin::Portal, rounds: usize, only: &[&str]) {
    let portal = std::sync::Arc::new(portal);
    for typed in ["smith", "jo garcia"] {
        if !only.is_empty() && !only.contains(&typed) {
            continue;
        }
        for (w, h) in [(80u16, 24u16), (200, 60)] {
            let mut hs = signed_in_app(&portal, (w, h), false);
            let mut samples: Vec<Duration> = Vec::new();
            for _ in 0..rounds.div_ceil(typed.len()) {
                for c in typed.chars() {
                    let t = Instant::now();
                    hs.send(Msg::Key(KeyEvent::from(KeyCode::Char(c)), Instant::now()));
                    hs.draw();
                    samples.push(t.elapsed());
                }
                for _ in 0..typed.len() {
                    hs.send(Msg::Key(KeyEvent::from(KeyCode::Backspace), Instant::now()));
                }
            }
            let (m, p99) = stats(&mut samples);
            println!(
                "\nkey press → redrawn frame at {w}x{h} (typing \"{typed}\", {} keys): median {} / p99 {}",
                samples.len(),
                fmt(m),
                fmt(p99)
            );
        }
    }
}
