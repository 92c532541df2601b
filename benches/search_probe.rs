//! One query class, on its own: opens a portal-admin file and runs one
//! search `N` times (first page, 50 rows), then prints the median. Self-
//! contained, so that the same file builds against an older checkout (as
//! `examples/search_probe.rs` there) for instruction counts that no machine
//! load changes:
//!
//! ```text
//! cargo bench --bench search_probe --no-run
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     --toggle-collect='*lookup*search_patients' \
//!     target/release/deps/search_probe-<hash> target/bench-data/portal-1000000.redb smith 201
//! ```
//!
//! "Collected" is then the instructions of 201 searches (the first warms
//! the caches); divide by 201.

use std::time::Instant;

fn main() {
    // `cargo bench` adds `--bench`; without a file there is nothing to do
    // (a plain `cargo bench` runs every bench target).
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let (Some(db), Some(q)) = (args.get(1), args.get(2)) else {
        println!("usage: search_probe FILE.redb QUERY [N]");
        return;
    };
    let n: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let mut config = portal_admin::config::Config::default();
    config.log.level = "off".into();
    let clock = std::sync::Arc::new(portal_admin::clock::ManualClock::monday_morning());
    let portal = portal_admin::Portal::open(std::path::Path::new(db), config, clock)
        .expect("the portal-admin file opens");
    let mut times = Vec::with_capacity(n);
    for _ in 0..n.max(1) {
        let t = Instant::now();
        let page = portal
            .search_patients(q, None, 50)
            .expect("the search runs");
        std::hint::black_box(&page);
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{q}: median {:?} over {} searches",
        times[times.len() / 2],
        times.len()
    );
}
