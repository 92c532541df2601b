//! An account's history at a million audit events: portal-admin's
//! `audit_by_account` index against a reverse walk of the trail (what the
//! history would cost without the index) and against SQLite with an index on
//! (account, seq), reading and decoding the same JSON events; and the
//! one-time cost of building the index when a file without it is opened.
//!
//! `cargo bench --bench history` (1M events) · `-- --smoke` (10k, CI)

mod common;

use std::time::Instant;

use common::*;
use portal_admin::Portal;
use portal_admin::domain::audit::GENESIS;
use portal_admin::domain::{Action, AuditEvent, NewEvent};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use redb::{ReadableDatabase, ReadableTable};

const AUDIT: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("audit");
const META: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
const INDEX: redb::TableDefinition<(u64, u64), ()> = redb::TableDefinition::new("audit_by_account");

/// Events an account's history shows at a time.
const SHOWN: usize = 20;

fn event(seq: u64, account: u64, prev: &str) -> AuditEvent {
    let action = match seq % 4 {
        0 => Action::PasswordReset,
        _ => Action::HolderSignIn,
    };
    AuditEvent::new(
        seq,
        time::macros::datetime!(2026-01-05 09:00:00 UTC) + time::Duration::seconds(seq as i64),
        NewEvent::success(
            "operator:sam",
            action,
            format!("account {account} <parent{account}@example.com>"),
        ),
        prev,
    )
}

fn main() {
    let n: u64 = if smoke() { 10_000 } else { 1_000_000 };
    let accounts = n / 20;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.redb");
    drop(Portal::create(&path, config(), clock()).unwrap());

    // A long trail, written as an older portal-admin left it: no index.
    eprintln!("writing {n} audit events...");
    let mut rng = StdRng::seed_from_u64(12);
    let mut rows: Vec<(u64, u64, Vec<u8>)> = Vec::with_capacity(n as usize);
    {
        let mut b = redb::Database::builder();
        b.set_concurrency_mode(redb::ConcurrencyMode::MultiWriter);
        let db = b.open(&path).unwrap();
        let tx = db.begin_write().unwrap();
        {
            let mut meta = tx.open_table(META).unwrap();
            let head: serde_json::Value =
                serde_json::from_slice(meta.get("audit_head").unwrap().unwrap().value()).unwrap();
            let mut seq = head["seq"].as_u64().unwrap();
            let mut prev = head["hash"].as_str().unwrap_or(GENESIS).to_owned();
            let mut audit = tx.open_table(AUDIT).unwrap();
            for _ in 0..n {
                seq += 1;
                let account = rng.random_range(1..=accounts);
                let ev = event(seq, account, &prev);
                let bytes = serde_json::to_vec(&ev).unwrap();
                audit.insert(seq, bytes.as_slice()).unwrap();
                prev = ev.hash;
                rows.push((seq, account, bytes));
            }
            let head = serde_json::json!({ "seq": seq, "hash": prev });
            meta.insert("audit_head", serde_json::to_vec(&head).unwrap().as_slice())
                .unwrap();
        }
        tx.delete_table(INDEX).unwrap();
        tx.commit().unwrap();
    }

    // Opening it builds the index once.
    let t = Instant::now();
    let portal = Portal::open(&path, config(), clock()).unwrap();
    let first_open = t.elapsed();
    drop(portal);
    let t = Instant::now();
    let portal = Portal::open(&path, config(), clock()).unwrap();
    let next_open = t.elapsed();

    let samples = if smoke() { 50 } else { 500 };
    let picks: Vec<u64> = (0..samples)
        .map(|_| rng.random_range(1..=accounts))
        .collect();

    // portal-admin: the service call the app and the CLI make.
    let mut ours = Vec::new();
    for &a in &picks {
        let t = Instant::now();
        let h = portal.account_history(a, SHOWN).unwrap();
        ours.push(t.elapsed());
        assert!(
            h.iter()
                .all(|e| e.target.starts_with(&format!("account {a} <")))
        );
    }
    drop(portal);

    // Without the index: walk the trail backwards until SHOWN events of the
    // account are found (bytes are matched first; only matches are decoded).
    let mut walk = Vec::new();
    {
        let mut b = redb::Database::builder();
        b.set_concurrency_mode(redb::ConcurrencyMode::MultiWriter);
        let db = b.open(&path).unwrap();
        let rtx = db.begin_read().unwrap();
        let audit = rtx.open_table(AUDIT).unwrap();
        for &a in picks.iter().take(if smoke() { 20 } else { 30 }) {
            let needle = format!("\"account {a} <");
            let t = Instant::now();
            let mut found = Vec::new();
            for item in audit.iter().unwrap().rev() {
                let (_, v) = item.unwrap();
                let bytes = v.value();
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(serde_json::from_slice::<AuditEvent>(bytes).unwrap());
                    if found.len() == SHOWN {
                        break;
                    }
                }
            }
            walk.push(t.elapsed());
        }
    }

    // SQLite with an index on (account, seq), the same JSON decoded.
    let sqlite_path = dir.path().join("history.sqlite");
    let conn = rusqlite::Connection::open(&sqlite_path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; CREATE TABLE audit(seq INTEGER PRIMARY KEY, account INTEGER NOT NULL, event BLOB NOT NULL);",
    )
    .unwrap();
    {
        let tx = conn.unchecked_transaction().unwrap();
        {
            let mut ins = tx
                .prepare("INSERT INTO audit(seq, account, event) VALUES (?1, ?2, ?3)")
                .unwrap();
            for (seq, account, bytes) in &rows {
                ins.execute(rusqlite::params![*seq as i64, *account as i64, bytes])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let t = Instant::now();
    conn.execute_batch("CREATE INDEX audit_account ON audit(account, seq)")
        .unwrap();
    let sqlite_index = t.elapsed();
    let mut peer = Vec::new();
    {
        let mut q = conn
            .prepare("SELECT event FROM audit WHERE account = ?1 ORDER BY seq DESC LIMIT ?2")
            .unwrap();
        for &a in &picks {
            let t = Instant::now();
            let events: Vec<AuditEvent> = q
                .query_map(rusqlite::params![a as i64, SHOWN as i64], |r| {
                    r.get::<_, Vec<u8>>(0)
                })
                .unwrap()
                .map(|b| serde_json::from_slice(&b.unwrap()).unwrap())
                .collect();
            peer.push(t.elapsed());
            assert!(events.len() <= SHOWN);
        }
    }

    let (o50, o99) = stats(&mut ours);
    let (w50, w99) = stats(&mut walk);
    let (s50, s99) = stats(&mut peer);
    println!(
        "History of one account: the newest {SHOWN} of its events, {n} events in the trail, {accounts} accounts\n"
    );
    println!("| how | median | p99 |");
    println!("|---|---|---|");
    println!(
        "| portal-admin `account_history` (index `audit_by_account`) | {} | {} |",
        fmt(o50),
        fmt(o99)
    );
    println!(
        "| SQLite 3, index on (account, seq), same JSON decoded | {} | {} |",
        fmt(s50),
        fmt(s99)
    );
    println!(
        "| without an index: reverse walk of the trail | {} | {} |",
        fmt(w50),
        fmt(w99)
    );
    println!(
        "| building the index when a file without it is opened (once) | {} | |",
        fmt(first_open)
    );
    println!(
        "| opening the same file again (index present) | {} | |",
        fmt(next_open)
    );
    println!(
        "| SQLite: CREATE INDEX on the same rows | {} | |",
        fmt(sqlite_index)
    );
}
