//! Import of a patients CSV through the real binary (`portal-admin import`,
//! fresh database, one transaction, every row checked, every search index
//! built) against `sqlite3 .import` of the same file, then its indexes and
//! an FTS5 table for words in any order (the peer the searches are measured
//! against). The runs alternate, several rounds, and the medians are
//! compared: on a shared machine one run of each says little.
//!
//! `cargo bench --bench import [-- ROWS [ROUNDS]]` (default 1,000,000 rows,
//! 3 rounds) · `-- --smoke` (10k rows, 1 round)

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

/// One run: wall time, CPU time (user + system) and peak RSS in MiB, as
/// `/usr/bin/time` reports them when it is installed.
struct Run {
    wall: Duration,
    cpu: Option<Duration>,
    rss_mib: Option<u64>,
}

/// Runs `cmd` with the file `stdin` as standard input.
fn measure(cmd: &mut Command, stdin: &Path) -> Run {
    let input = || std::fs::File::open(stdin).unwrap();
    let time_bin = Path::new("/usr/bin/time");
    let t = Instant::now();
    if time_bin.exists() {
        let prog = cmd.get_program().to_owned();
        let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
        let out = Command::new(time_bin)
            .args(["-f", "%U %S %M"])
            .arg(prog)
            .args(args)
            .stdin(input())
            .output()
            .unwrap();
        let wall = t.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        let nums: Vec<f64> = err
            .lines()
            .last()
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        match nums.as_slice() {
            [user, sys, kib] => Run {
                wall,
                cpu: Some(Duration::from_secs_f64(user + sys)),
                rss_mib: Some(*kib as u64 / 1024),
            },
            _ => Run {
                wall,
                cpu: None,
                rss_mib: None,
            },
        }
    } else {
        assert!(cmd.stdin(input()).status().unwrap().success());
        Run {
            wall: t.elapsed(),
            cpu: None,
            rss_mib: None,
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let numbers: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let (rows, rounds) = if smoke() {
        (10_000, 1)
    } else {
        (
            numbers.first().copied().unwrap_or(1_000_000),
            numbers.get(1).copied().unwrap_or(3).max(1),
        )
    };
    let csv = data_dir().join(format!("patients-{rows}.csv"));
    if !csv.exists() {
        let f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        portal_admin::demo::write_csv(f, rows, 42, time::macros::date!(2026 - 01 - 05)).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_portal-admin");
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[log]\nlevel = \"off\"\n").unwrap();
    let has_sqlite = Command::new("sqlite3").arg("-version").output().is_ok();
    // The import is an administrator's: the first one, then signed in (one
    // argon2 verification, about 35 ms of the figure).
    let pw = "quiet-meadow-copper-kettle";
    let twice = dir.path().join("pw2");
    std::fs::write(&twice, format!("{pw}\n{pw}\n")).unwrap();
    let once = dir.path().join("pw1");
    std::fs::write(&once, format!("{pw}\n")).unwrap();

    // Ours: a fresh database each round.
    let ours = |round: usize| -> (Run, u64) {
        let db = dir.path().join(format!("import-{round}.redb"));
        let run = |args: &[&str]| {
            let mut c = Command::new(exe);
            c.arg("--config").arg(&cfg).arg("--db").arg(&db).args(args);
            c.stdout(std::process::Stdio::null());
            c
        };
        assert!(run(&["init"]).status().unwrap().success());
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
        let r = measure(
            &mut run(&[
                "import",
                csv.to_str().unwrap(),
                "--operator",
                "bench",
                "--password-stdin",
            ]),
            &once,
        );
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        let _ = std::fs::remove_file(&db);
        (r, size)
    };
    // The peer: load, then build the indexes (SQLite's fastest path), with
    // and without the FTS5 table a search by words in any order needs.
    let peer = |name: &str, fts: bool| -> (Run, u64) {
        let sq = dir.path().join(format!("{name}.sqlite"));
        let indexes = "CREATE INDEX p_name ON patients(last_name COLLATE NOCASE, first_name COLLATE NOCASE);\n\
             CREATE INDEX p_dob ON patients(date_of_birth);\n\
             CREATE INDEX p_email ON patients(email COLLATE NOCASE);\n";
        let fts_table = "CREATE VIRTUAL TABLE pfts USING fts5(last_name, first_name, email, \
             content='patients', content_rowid='rowid', \
             tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');\n\
             INSERT INTO pfts(rowid, last_name, first_name, email) \
             SELECT rowid, last_name, first_name, email FROM patients;\n";
        let script = format!(
            "PRAGMA journal_mode=WAL;\n\
             CREATE TABLE patients(account_number TEXT PRIMARY KEY, last_name TEXT, first_name TEXT, date_of_birth TEXT, email TEXT);\n\
             .mode csv\n.import --skip 1 {} patients\n{indexes}{}",
            csv.display(),
            if fts { fts_table } else { "" }
        );
        let script_path = dir.path().join(format!("{name}.sql"));
        std::fs::write(&script_path, script).unwrap();
        let mut c = Command::new("sqlite3");
        c.arg(&sq).arg(format!(".read {}", script_path.display()));
        let r = measure(&mut c, Path::new("/dev/null"));
        let size = std::fs::metadata(&sq).map(|m| m.len()).unwrap_or(0);
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", sq.display()));
        }
        (r, size)
    };

    let mut results: Vec<(&str, Vec<Run>, u64)> = vec![
        (
            "portal-admin import (checks every row; every search index; one transaction; fsync)",
            Vec::new(),
            0,
        ),
        (
            "sqlite3 .import, CREATE INDEX ×3, FTS5 table (WAL)",
            Vec::new(),
            0,
        ),
        ("sqlite3 .import, CREATE INDEX ×3 (no FTS5)", Vec::new(), 0),
    ];
    for round in 0..rounds {
        let (r, size) = ours(round);
        results[0].1.push(r);
        results[0].2 = size;
        if has_sqlite {
            for (i, fts) in [(1, true), (2, false)] {
                let (r, size) = peer(&format!("peer-{round}-{i}"), fts);
                results[i].1.push(r);
                results[i].2 = size;
            }
        }
    }
    println!(
        "Import of {rows} rows ({:.0} MiB CSV), {rounds} alternating rounds, medians\n",
        std::fs::metadata(&csv).unwrap().len() as f64 / 1048576.0
    );
    println!("| | time | CPU (user + system) | rows/s | peak RSS | file |");
    println!("|---|---|---|---|---|---|");
    let mut medians = Vec::new();
    for (label, runs, size) in &results {
        if runs.is_empty() {
            println!("| {label} | (sqlite3 not installed) | | | | |");
            medians.push(None);
            continue;
        }
        let wall = median(runs.iter().map(|r| r.wall).collect());
        let cpu = runs
            .iter()
            .map(|r| r.cpu)
            .collect::<Option<Vec<_>>>()
            .map(median);
        let rss = runs.iter().filter_map(|r| r.rss_mib).max();
        println!(
            "| {label} | {:.2} s | {} | {:.0} | {} | {} MiB |",
            wall.as_secs_f64(),
            cpu.map_or("?".into(), |c| format!("{:.2} s", c.as_secs_f64())),
            rows as f64 / wall.as_secs_f64(),
            rss.map_or("?".into(), |m| format!("{m} MiB")),
            size / 1048576
        );
        medians.push(Some((wall, cpu, *size)));
    }
    if let (Some((ow, oc, os)), Some((pw, pc, ps))) = (medians[0], medians[1]) {
        println!(
            "\nratio to sqlite3 with FTS5: time {:.2}{} (target ≤ 1.5), file {:.2} (target ≤ 2)",
            ow.as_secs_f64() / pw.as_secs_f64(),
            match (oc, pc) {
                (Some(o), Some(p)) => format!(", CPU {:.2}", o.as_secs_f64() / p.as_secs_f64()),
                _ => String::new(),
            },
            os as f64 / ps.max(1) as f64
        );
    }
}
