//! Crashes: a process doing resets or an import is killed with SIGKILL at a
//! random moment, again and again. After each kill the database opens, the
//! audit chain verifies, every account's version equals the number of
//! changes the audit trail records for it (a change and its event landed
//! together or not at all), and an import is there whole or not at all.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use portal_admin::clock::SystemClock;
use portal_admin::domain::{Action, Role};
use portal_admin::{Portal, Secret};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const WORKER_ENV: &str = "PORTAL_ADMIN_CRASH_WORKER";
/// What a worker prints once its first reset has committed.
const READY: &str = "crash-worker-resetting";
/// Kills in a normal run; `PORTAL_ADMIN_CRASH_KILLS` sets more.
const KILLS: usize = 200;
const PATIENTS: usize = 30;

#[test]
#[ignore = "run by kill_9_during_resets_and_imports in child processes"]
fn crash_worker() {
    let spec = std::env::var(WORKER_ENV).unwrap();
    let (db, home, seed) = {
        let mut p = spec.splitn(3, '\n');
        (
            p.next().unwrap().to_owned(),
            p.next().unwrap().to_owned(),
            p.next().unwrap().parse::<u64>().unwrap(),
        )
    };
    let portal = Portal::open(
        std::path::Path::new(&db),
        config_in(std::path::Path::new(&home)),
        Arc::new(SystemClock),
    )
    .unwrap();
    let me = portal
        .operator_sign_in("crash", &Secret::from(ADMIN_PW))
        .unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut told = false;
    loop {
        let patient = format!("{}", 400_000 + rng.random_range(0..PATIENTS));
        let done = create_validate(&portal, &me, &patient, None, None).is_ok();
        // The parent kills at a random moment after this worker is busy
        // resetting, however long its start took on a loaded machine.
        if done && !told {
            println!("{READY}");
            let _ = std::io::stdout().flush();
            told = true;
        }
    }
}

/// Waits (at most 20 s) for a worker to say its first reset committed.
fn wait_until_resetting(child: &mut std::process::Child) {
    use std::io::BufRead;
    let out = child.stdout.take().expect("the worker's stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            match line {
                Ok(l) if l.contains(READY) => {
                    let _ = tx.send(());
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
    let _ = rx.recv_timeout(Duration::from_secs(20));
}

fn import_csv(generation: usize) -> String {
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    for i in 0..PATIENTS {
        let no = 400_000 + i;
        csv.push_str(&format!(
            "{no},Crash,Gen{generation},2019-05-05,parent{}@example.com\n",
            no / 3
        ));
    }
    // Many more new patients make the import's transaction take a while.
    for i in 0..3000 {
        csv.push_str(&format!(
            "{},Bulk{generation},Kid{i},2020-02-02,\n",
            500_000 + i
        ));
    }
    csv
}

#[test]
fn kill_9_during_resets_and_imports() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let db = bin.db();
    {
        let portal = Portal::create(&db, config_in(home.path()), Arc::new(SystemClock)).unwrap();
        portal
            .add_operator(
                &Portal::file_owner(),
                "crash",
                Role::Admin,
                &ADMIN_PW.into(),
                &ADMIN_PW.into(),
            )
            .unwrap();
        let local = portal.operator_sign_in("crash", &ADMIN_PW.into()).unwrap();
        portal
            .setup_portal(&local, "https://portal.example.org/signin", "CRASH", None)
            .unwrap();
        let csv = import_csv(0);
        portal
            .import_patients(&local, "gen0.csv", csv.as_bytes(), 0, false, &mut ())
            .unwrap();
    }
    let kills: usize = std::env::var("PORTAL_ADMIN_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(KILLS);
    let mut rng = StdRng::seed_from_u64(7);
    let mut generation = 0;
    let mut slowest_open = Duration::ZERO;
    let (mut reset_kills, mut import_kills, mut imports_landed) = (0, 0, 0);
    let started = Instant::now();
    for k in 0..kills {
        let importing = k % 4 == 3;
        let mut child = if importing {
            let file = home.path().join(format!("gen{}.csv", generation + 1));
            std::fs::write(&file, import_csv(generation + 1)).unwrap();
            let mut child = bin
                .command(&[
                    "import",
                    file.to_str().unwrap(),
                    "--operator",
                    "crash",
                    "--password-stdin",
                ])
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let _ = writeln!(stdin, "{ADMIN_PW}");
            child
        } else {
            let mut child = Command::new(std::env::current_exe().unwrap())
                .args([
                    "--ignored",
                    "--exact",
                    "crash_worker",
                    "--test-threads=1",
                    "--nocapture",
                ])
                .env(
                    WORKER_ENV,
                    format!("{}\n{}\n{k}", db.display(), home.path().display()),
                )
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            wait_until_resetting(&mut child);
            child
        };
        std::thread::sleep(Duration::from_millis(rng.random_range(10..160)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if importing {
            import_kills += 1;
        } else {
            reset_kills += 1;
        }

        let t = Instant::now();
        let portal = Portal::open(&db, config_in(home.path()), Arc::new(SystemClock))
            .unwrap_or_else(|e| panic!("kill {k}: the database does not open: {e}"));
        slowest_open = slowest_open.max(t.elapsed());
        let report = portal.audit_verify().unwrap();
        assert_eq!(report.problem, None, "kill {k}");
        let trail = portal.audit_list(0, usize::MAX).unwrap();

        // Version = number of changes the trail records for the account.
        let mut changes: HashMap<String, u64> = HashMap::new();
        for e in &trail {
            let counted = matches!(
                e.action,
                Action::AccountCreated
                    | Action::AccountLinked
                    | Action::PasswordReset
                    | Action::AdminPasswordSet
            );
            if counted && e.outcome.starts_with("success") {
                let key = e.target.split(',').next().unwrap().to_owned();
                *changes.entry(key).or_default() += 1;
            }
        }
        for acc in portal.list_accounts("", None, 1000).unwrap().items {
            let key = format!("account {} <{}>", acc.id, acc.email);
            assert_eq!(Some(&acc.version), changes.get(&key), "kill {k}: {acc:?}");
            assert!(
                acc.reset_required && acc.temp_expires_at.is_some(),
                "kill {k}: {acc:?}"
            );
        }

        // An import is there whole or not at all.
        let names: Vec<String> = (0..PATIENTS)
            .map(|i| {
                portal
                    .patient_view(&format!("{}", 400_000 + i))
                    .unwrap()
                    .patient
                    .first_name
            })
            .collect();
        let landed = names.iter().all(|n| *n == format!("Gen{}", generation + 1));
        let before = names.iter().all(|n| *n == format!("Gen{generation}"));
        assert!(landed || before, "kill {k}: a half import: {names:?}");
        let imports = trail
            .iter()
            .filter(|e| e.action == Action::PatientsImported)
            .count();
        if importing && landed {
            generation += 1;
            imports_landed += 1;
        }
        assert_eq!(
            imports,
            generation + 1,
            "kill {k}: one event per import that landed"
        );
        for probe in ["500000", "502999"] {
            let bulk = portal.patient_view(probe).unwrap().patient;
            assert_eq!(
                bulk.last_name,
                format!("Bulk{generation}"),
                "kill {k}: the import's other rows came with it"
            );
        }
    }
    let portal = Portal::open(&db, config_in(home.path()), Arc::new(SystemClock)).unwrap();
    let resets = portal
        .audit_list(0, usize::MAX)
        .unwrap()
        .iter()
        .filter(|e| {
            matches!(
                e.action,
                Action::AccountCreated | Action::AccountLinked | Action::PasswordReset
            )
        })
        .count();
    assert!(
        resets > kills / 4,
        "the killed workers were resetting ({resets} resets)"
    );
    record_figure(
        "crash",
        &format!(
            "crash: {resets} resets committed around {kills} SIGKILLs, all survived ({reset_kills} during resets, {import_kills} during imports, {imports_landed} of those imports had committed) in {:.1?}; slowest reopen {:.1?}; 0 lost",
            started.elapsed(),
            slowest_open
        ),
    );
}
