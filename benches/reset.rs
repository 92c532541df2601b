//! Reset end to end: Create/Validate from the key press to the temporary
//! login on screen, and how much of it is not the argon2 hash; and the argon2
//! time at the configured (OWASP) and RFC 9106 parameters against the C
//! reference implementation (argon2-cffi, if `python3 -c "import argon2"` works).
//!
//! `cargo bench --bench reset` · `-- --smoke` (CI)

mod common;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use portal_admin::Secret;
use portal_admin::config::HashingConfig;
use portal_admin::password::Hasher;
use portal_admin::services::CreateValidate;
use portal_admin::tui::component::ModalKind;
use portal_admin::tui::harness::Harness;
use portal_admin::tui::msg::Msg;

fn main() {
    let rounds = if smoke() { 5 } else { 60 };
    let n = 10_000;
    // A scratch copy of the data set: the resets write.
    let src = redb_dataset(n);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reset.redb");
    std::fs::copy(&src, &db).unwrap();
    let portal = Arc::new(portal_admin::Portal::open(&db, config(), clock()).unwrap());
    let hasher = Hasher::new(&HashingConfig::default()).unwrap();
    let staff = portal
        .operator_sign_in("staff", &portal_admin::services::DEMO_STAFF.1.into())
        .unwrap();

    // Service: Create/Validate on an existing account, and the hash alone.
    let patient = portal
        .search_patients("smith", None, 50)
        .unwrap()
        .items
        .into_iter()
        .find(|r| r.account_id.is_some())
        .unwrap();
    let no = patient.account_number().to_owned();
    let mut total = Vec::new();
    let mut hash = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let req = CreateValidate::patient(&no).identity_check(Some("in person, photo ID"));
        portal.create_validate_with(&staff, &req).unwrap();
        total.push(t.elapsed());
        let t = Instant::now();
        hasher.hash(&Secret::from("ABCDEFGHJKMN")).unwrap();
        hash.push(t.elapsed());
    }
    let (t50, t99) = stats(&mut total);
    let (h50, _) = stats(&mut hash);

    // The app: `y` on the confirmation → worker → temporary login in the state.
    let mut hs = Harness::signed_in(
        portal.clone(),
        portal_admin::services::DEMO_STAFF.0,
        portal_admin::services::DEMO_STAFF.1,
        80,
        24,
    );
    let mut ui = Vec::new();
    hs.type_text(&no);
    for _ in 0..rounds {
        // F2, pick the first identity check, Tab to the confirming button.
        hs.key(KeyCode::F(2));
        hs.key(KeyCode::Enter);
        hs.key(KeyCode::Tab);
        let t = Instant::now();
        hs.send(Msg::Key(KeyEvent::from(KeyCode::Enter), Instant::now()));
        hs.draw();
        let reply = hs.next_reply();
        hs.send(reply);
        hs.draw();
        ui.push(t.elapsed());
        assert_eq!(
            hs.top_modal(),
            Some(ModalKind::TemporaryLogin),
            "the temporary login is on screen"
        );
        // Done is the last button.
        hs.key(KeyCode::BackTab);
        hs.key(KeyCode::Enter);
    }
    let (u50, u99) = stats(&mut ui);
    println!("Reset end to end ({rounds} rounds, default durability: one fsync per commit)\n");
    println!("| path | median | p99 | of which argon2 (median) | overhead beyond the hash |");
    println!("|---|---|---|---|---|");
    println!(
        "| `create_validate` (service) | {} | {} | {} | {} |",
        fmt(t50),
        fmt(t99),
        fmt(h50),
        fmt(t50.saturating_sub(h50))
    );
    println!(
        "| Enter on the confirming button → temporary login drawn (app) | {} | {} | {} | {} |",
        fmt(u50),
        fmt(u99),
        fmt(h50),
        fmt(u50.saturating_sub(h50))
    );

    if smoke() {
        return;
    }
    println!(
        "\nargon2id: this build (RustCrypto argon2 0.6, `parallel`) vs the C reference (argon2-cffi)\n"
    );
    println!("| parameters | portal-admin median | C reference median | ratio |");
    println!("|---|---|---|---|");
    for (label, m, t, p) in [
        ("OWASP m=19456 t=2 p=1", 19456u32, 2u32, 1u32),
        ("RFC 9106 m=65536 t=3 p=4", 65536, 3, 4),
    ] {
        let h = Hasher::new(&HashingConfig {
            memory_kib: m,
            iterations: t,
            parallelism: p,
            allow_weak: false,
        })
        .unwrap();
        let mut ours: Vec<Duration> = (0..15)
            .map(|_| {
                let t0 = Instant::now();
                h.hash(&Secret::from("correct horse battery staple"))
                    .unwrap();
                t0.elapsed()
            })
            .collect();
        let (o50, _) = stats(&mut ours);
        let script = format!(
            "import time, argon2.low_level as l\n\
             ts=[]\n\
             for _ in range(15):\n t=time.perf_counter(); l.hash_secret_raw(b'correct horse battery staple', b'0123456789abcdef', time_cost={t}, memory_cost={m}, parallelism={p}, hash_len=32, type=l.Type.ID); ts.append(time.perf_counter()-t)\n\
             ts.sort(); print(ts[len(ts)//2])"
        );
        let c = Command::new("python3").args(["-c", &script]).output();
        let peer = match c {
            Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<f64>()
                .ok(),
            _ => None,
        };
        match peer {
            Some(secs) => println!(
                "| {label} | {} | {} | {:.2} |",
                fmt(o50),
                fmt(Duration::from_secs_f64(secs)),
                o50.as_secs_f64() / secs
            ),
            None => println!(
                "| {label} | {} | (argon2-cffi not installed: `pip install argon2-cffi`) | — |",
                fmt(o50)
            ),
        }
    }
}
