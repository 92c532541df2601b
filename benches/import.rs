//! Import of a patients CSV through the real binary (`portal-admin import`,
//! fresh database, one transaction, every row checked, four indexes built)
//! against `sqlite3 .import` of the same file into a table with the
//! equivalent indexes.
//!
//! `cargo bench --bench import [-- ROWS]` (default 1,000,000) · `-- --smoke` (10k)

mod common;

use std::process::Command;
use std::time::Instant;

use common::*;

/// Runs `cmd` with `stdin` (a file) as standard input.
fn peak_rss_mib(
    cmd: &mut Command,
    stdin: &std::path::Path,
) -> (std::time::Duration, Option<u64>, bool) {
    let input = || std::fs::File::open(stdin).unwrap();
    // /usr/bin/time -f %M reports the peak RSS in KiB, when it is installed.
    let time_bin = std::path::Path::new("/usr/bin/time");
    let t = Instant::now();
    if time_bin.exists() {
        let prog = cmd.get_program().to_owned();
        let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
        let out = Command::new(time_bin)
            .arg("-f")
            .arg("%M")
            .arg(prog)
            .args(args)
            .stdin(input())
            .output()
            .unwrap();
        let elapsed = t.elapsed();
        let err = String::from_utf8_lossy(&out.stderr);
        let kib = err
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<u64>().ok());
        (elapsed, kib.map(|k| k / 1024), out.status.success())
    } else {
        let ok = cmd.stdin(input()).status().unwrap().success();
        (t.elapsed(), None, ok)
    }
}

fn main() {
    let rows: usize = if smoke() {
        10_000
    } else {
        std::env::args()
            .filter_map(|a| a.parse().ok())
            .next()
            .unwrap_or(1_000_000)
    };
    let csv = data_dir().join(format!("patients-{rows}.csv"));
    if !csv.exists() {
        let f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        portal_admin::demo::write_csv(f, rows, 42, time::macros::date!(2026 - 01 - 05)).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.redb");
    let exe = env!("CARGO_BIN_EXE_portal-admin");
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[log]\nlevel = \"off\"\n").unwrap();
    let run = |args: &[&str]| {
        let mut c = Command::new(exe);
        c.arg("--config").arg(&cfg).arg("--db").arg(&db).args(args);
        c
    };
    assert!(run(&["init"]).status().unwrap().success());
    // The import is an administrator's: the first one, then signed in (one
    // argon2 verification, about 35 ms of the figure).
    let pw = "quiet-meadow-copper-kettle";
    let twice = dir.path().join("pw2");
    std::fs::write(&twice, format!("{pw}\n{pw}\n")).unwrap();
    let once = dir.path().join("pw1");
    std::fs::write(&once, format!("{pw}\n")).unwrap();
    let added = run(&[
        "operator",
        "add",
        "bench",
        "--role",
        "admin",
        "--password-stdin",
    ])
    .stdin(std::fs::File::open(&twice).unwrap())
    .status()
    .unwrap();
    assert!(added.success());
    let (ours, ours_rss, ok) = peak_rss_mib(
        run(&[
            "import",
            csv.to_str().unwrap(),
            "--operator",
            "bench",
            "--password-stdin",
        ])
        .stdout(std::process::Stdio::null()),
        &once,
    );
    assert!(ok, "the import succeeded");
    let db_size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);

    // The peer two ways: load then build the indexes (SQLite's fastest
    // path), and load into a table that already has them (like ours).
    let sqlite_run = |name: &str,
                      index_first: bool|
     -> Option<(std::time::Duration, Option<u64>)> {
        Command::new("sqlite3").arg("-version").output().ok()?;
        let sq = dir.path().join(format!("{name}.sqlite"));
        let indexes = "CREATE INDEX p_name ON patients(last_name COLLATE NOCASE, first_name COLLATE NOCASE);\n\
             CREATE INDEX p_dob ON patients(date_of_birth);\n\
             CREATE INDEX p_email ON patients(email COLLATE NOCASE);\n";
        let import = format!(".mode csv\n.import --skip 1 {} patients\n", csv.display());
        let script = format!(
            "PRAGMA journal_mode=WAL;\n\
             CREATE TABLE patients(account_number TEXT PRIMARY KEY, last_name TEXT, first_name TEXT, date_of_birth TEXT, email TEXT);\n{}",
            if index_first {
                format!("{indexes}{import}")
            } else {
                format!("{import}{indexes}")
            }
        );
        let script_path = dir.path().join(format!("{name}.sql"));
        std::fs::write(&script_path, script).unwrap();
        let mut c = Command::new("sqlite3");
        c.arg(&sq).arg(format!(".read {}", script_path.display()));
        let (t, rss, ok) = peak_rss_mib(&mut c, std::path::Path::new("/dev/null"));
        ok.then_some((t, rss))
    };
    let peer_then_index = sqlite_run("then-index", false);
    let peer_indexed = sqlite_run("indexed", true);
    let rate = |d: std::time::Duration| rows as f64 / d.as_secs_f64();
    println!(
        "Import of {rows} rows ({:.0} MiB CSV)\n",
        std::fs::metadata(&csv).unwrap().len() as f64 / 1048576.0
    );
    println!("| | time | rows/s | peak RSS |");
    println!("|---|---|---|---|");
    println!(
        "| portal-admin import (checks every row; 4 indexes; one transaction; fsync) | {:.2} s | {:.0} | {} MiB |",
        ours.as_secs_f64(),
        rate(ours),
        ours_rss.map_or("?".into(), |m| m.to_string())
    );
    let mut best: Option<std::time::Duration> = None;
    for (label, peer) in [
        (
            "sqlite3 .import, then CREATE INDEX ×3 (WAL)",
            peer_then_index,
        ),
        (
            "sqlite3 .import into a table with its 3 indexes (WAL)",
            peer_indexed,
        ),
    ] {
        match peer {
            Some((t, rss)) => {
                best = Some(best.map_or(t, |b| b.min(t)));
                println!(
                    "| {label} | {:.2} s | {:.0} | {} MiB |",
                    t.as_secs_f64(),
                    rate(t),
                    rss.map_or("?".into(), |m| m.to_string())
                );
            }
            None => println!("| {label} | (sqlite3 not installed) | | |"),
        }
    }
    if let Some(b) = best {
        println!(
            "\nratio portal-admin / fastest sqlite3: {:.2} (target ≤ 1.5); portal-admin database file {} MiB",
            ours.as_secs_f64() / b.as_secs_f64(),
            db_size / 1048576
        );
    }
}
