//! Data sets for the benchmarks, built once and reused from
//! `target/bench-data/` (delete the folder to rebuild them).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use portal_admin::Portal;
use portal_admin::clock::ManualClock;
use portal_admin::config::Config;

pub fn data_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-data"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn config() -> Config {
    let mut c = Config::default();
    c.log.level = "off".into();
    c
}

pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::monday_morning())
}

/// The demo data set of `n` patients (seeded, deterministic) as a redb file.
pub fn redb_dataset(n: usize) -> PathBuf {
    let path = data_dir().join(format!("portal-{n}.redb"));
    if !path.exists() {
        let partial = data_dir().join(format!("portal-{n}.partial.redb"));
        let _ = std::fs::remove_file(&partial);
        eprintln!("building the {n}-patient data set (once)...");
        let t = Instant::now();
        let portal = Portal::create(&partial, config(), clock()).unwrap();
        portal
            .seed_demo(&Portal::file_owner(), n, &mut |_, _| {})
            .unwrap();
        drop(portal);
        std::fs::rename(&partial, &path).unwrap();
        eprintln!("  built in {:.1?}", t.elapsed());
    }
    path
}

pub fn open(n: usize) -> Portal {
    Portal::open(&redb_dataset(n), config(), clock()).unwrap()
}

/// Median and 99th percentile of `samples`.
pub fn stats(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let p99 = samples[((samples.len() * 99) / 100).min(samples.len() - 1)];
    (samples[samples.len() / 2], p99)
}

pub fn fmt(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{:.1} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.2} ms", d.as_secs_f64() * 1e3)
    }
}

/// `--smoke` (CI): only the smallest data set, few rounds.
pub fn smoke() -> bool {
    std::env::args().any(|a| a == "--smoke")
}

/// The app, signed in as the demo staff (or admin) operator, at `size`.
pub fn signed_in_app(
    portal: &Arc<Portal>,
    size: (u16, u16),
    admin: bool,
) -> portal_admin::tui::harness::Harness {
    let (name, pw) = if admin {
        portal_admin::services::DEMO_ADMIN
    } else {
        portal_admin::services::DEMO_STAFF
    };
    portal_admin::tui::harness::Harness::signed_in(portal.clone(), name, pw, size.0, size.1)
}
