//! Many operators at once: 8 processes run mixed operations on one database
//! file (library clients and the real CLI mixed). Afterwards every reported
//! success is in the audit trail, there is exactly one event per operation
//! that changed something, the chain verifies, and every account is in a
//! state the last event on it explains.

mod common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::Arc;

use common::*;
use portal_admin::clock::SystemClock;
use portal_admin::domain::{Action, Role};
use portal_admin::services::SignIn;
use portal_admin::{Error, Portal, Secret};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

const WORKER_ENV: &str = "PORTAL_ADMIN_LOAD_WORKER";
const WORKERS: usize = 8;
/// Operations per worker; `PORTAL_ADMIN_LOAD_OPS` raises it for longer runs.
const OPS: usize = 25;
const PATIENTS: usize = 24;

#[derive(Serialize, Deserialize)]
struct Spec {
    db: String,
    home: String,
    worker: usize,
    ops: usize,
    cli: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Done {
    worker: usize,
    op: String,
    /// ok, conflict, busy, wrong, expired, must_change, or error: …
    outcome: String,
}

fn operator(worker: usize) -> String {
    format!("w{worker}")
}

fn classify<T>(r: &Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Conflict(_)) => "conflict".into(),
        Err(Error::Busy) => "busy".into(),
        Err(Error::WrongCredentials) => "wrong".into(),
        Err(Error::TemporaryPasswordExpired) => "expired".into(),
        Err(e) => format!("error: {e}"),
    }
}

/// Runs in a child process: the operations of one worker.
#[test]
#[ignore = "run by many_processes_on_one_file in child processes"]
fn load_worker() {
    let spec: Spec = serde_json::from_str(&std::env::var(WORKER_ENV).expect("spec")).unwrap();
    let home = std::path::PathBuf::from(&spec.home);
    let portal = Portal::open(
        std::path::Path::new(&spec.db),
        config_in(&home),
        Arc::new(SystemClock),
    )
    .unwrap();
    let me = portal
        .operator_sign_in(&operator(spec.worker), &Secret::from(ADMIN_PW))
        .unwrap();
    let mut rng = StdRng::seed_from_u64(spec.worker as u64);
    let mut known: HashMap<String, String> = HashMap::new();
    let report = |op: &str, outcome: String| {
        let d = Done {
            worker: spec.worker,
            op: op.into(),
            outcome,
        };
        println!("RESULT {}", serde_json::to_string(&d).unwrap());
    };
    let bin = Bin::new(&home);
    for i in 0..spec.ops {
        let patient = format!("{}", 300_000 + rng.random_range(0..PATIENTS));
        let email = format!(
            "family{}@example.com",
            (300_000 + rng.random_range(0..PATIENTS)) / 2
        );
        match rng.random_range(0..10) {
            0..4 if spec.cli => {
                let out = bin.run(
                    &[
                        "--db",
                        &spec.db,
                        "account",
                        "reset",
                        "--patient",
                        &patient,
                        "--identity-check",
                        IDENTITY_CHECK,
                        "--reset-password",
                        "--operator",
                        &operator(spec.worker),
                        "--password-stdin",
                    ],
                    &format!("{ADMIN_PW}\n"),
                );
                let outcome = match out.code {
                    0 => "ok".to_owned(),
                    9 => "conflict".to_owned(),
                    c => format!("error: exit {c}: {}", out.stderr.trim()),
                };
                report("create_validate", outcome);
            }
            0..4 => {
                let r = create_validate(&portal, &me, &patient, None, None);
                report("create_validate", classify(&r));
            }
            4..6 => {
                let pw = format!(
                    "load-test-{}-{}-{i}-harbor-lantern",
                    spec.worker,
                    rng.random_range(0..1_000_000)
                );
                let r = portal.admin_set_password(
                    &me,
                    &email,
                    &Secret::from(pw.as_str()),
                    &Secret::from(pw.as_str()),
                    false,
                    None,
                );
                if r.is_ok() {
                    known.insert(email.clone(), pw);
                }
                // An account that does not exist yet is a legitimate refusal.
                let outcome = match &r {
                    Err(Error::NotFound(_)) => "not_found".into(),
                    _ => classify(&r),
                };
                report("admin_set_password", outcome);
            }
            6..8 => {
                let pw = known
                    .get(&email)
                    .cloned()
                    .unwrap_or_else(|| "not-the-password-at-all".into());
                let r = portal.holder_sign_in(&email, &Secret::from(pw.as_str()));
                let outcome = match r {
                    Ok(SignIn::SignedIn) => "ok".into(),
                    Ok(SignIn::MustChangePassword) => "must_change".into(),
                    Err(e) => classify::<()>(&Err(e)),
                };
                report("holder_sign_in", outcome);
            }
            _ => {
                let r = portal.holder_sign_in(&email, &Secret::from("definitely wrong"));
                report("holder_sign_in", classify(&r));
            }
        }
    }
}

#[test]
fn many_processes_on_one_file() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("portal.redb");
    let clock = Arc::new(SystemClock);
    {
        let portal = Portal::create(&db, config_in(home.path()), clock).unwrap();
        // The first worker's operator is the first administrator; it adds the others.
        portal
            .add_operator(
                &Portal::file_owner(),
                &operator(0),
                Role::Admin,
                &ADMIN_PW.into(),
                &ADMIN_PW.into(),
            )
            .unwrap();
        let local = portal
            .operator_sign_in(&operator(0), &ADMIN_PW.into())
            .unwrap();
        portal
            .setup_portal(&local, "https://portal.example.org/signin", "LOAD", None)
            .unwrap();
        for w in 1..WORKERS {
            portal
                .add_operator(
                    &local,
                    &operator(w),
                    Role::Admin,
                    &ADMIN_PW.into(),
                    &ADMIN_PW.into(),
                )
                .unwrap();
        }
        // Pairs of siblings share an email.
        let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
        for i in 0..PATIENTS {
            let no = 300_000 + i;
            csv.push_str(&format!(
                "{no},Load,Kid{i},2018-01-01,family{}@example.com\n",
                no / 2
            ));
        }
        portal
            .import_patients(&local, "load.csv", csv.as_bytes(), 0, false, &mut ())
            .unwrap();
    }
    let ops: usize = std::env::var("PORTAL_ADMIN_LOAD_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(OPS);
    let before = {
        let portal = Portal::open(&db, config_in(home.path()), Arc::new(SystemClock)).unwrap();
        portal.audit_list(0, usize::MAX).unwrap().len()
    };
    let started = std::time::Instant::now();
    let children: Vec<_> = (0..WORKERS)
        .map(|w| {
            let spec = Spec {
                db: db.display().to_string(),
                home: home.path().display().to_string(),
                worker: w,
                ops,
                cli: w >= WORKERS - 2,
            };
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--ignored",
                    "--exact",
                    "load_worker",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(WORKER_ENV, serde_json::to_string(&spec).unwrap())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut results: Vec<Done> = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "a worker failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        results.extend(
            stdout
                .lines()
                .filter_map(|l| l.split_once("RESULT ").map(|(_, r)| r))
                .map(|l| serde_json::from_str::<Done>(l).unwrap()),
        );
    }
    let elapsed = started.elapsed();
    assert_eq!(results.len(), WORKERS * ops, "every operation reported");
    let errors: Vec<&Done> = results
        .iter()
        .filter(|d| d.outcome.starts_with("error"))
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    for d in &results {
        assert!(!d.outcome.contains("already open"), "{d:?}");
    }

    let portal = Portal::open(&db, config_in(home.path()), Arc::new(SystemClock)).unwrap();
    let all_events = portal.audit_list(before as u64, usize::MAX).unwrap();
    // Operator sign-ins: one per library worker, and one per CLI command.
    let cli_ops = results
        .iter()
        .filter(|d| d.worker >= WORKERS - 2 && d.op == "create_validate")
        .count();
    let signins = all_events
        .iter()
        .filter(|e| e.action == Action::OperatorSignIn)
        .count();
    assert_eq!(signins, (WORKERS - 2) + 2 + cli_ops, "operator sign-ins");
    let events: Vec<_> = all_events
        .into_iter()
        .filter(|e| e.action != Action::OperatorSignIn)
        .collect();
    // Exactly one event per operation that did something: refusals for a
    // stale view, a busy file or an unknown account change nothing.
    let changed = results
        .iter()
        .filter(|d| !matches!(d.outcome.as_str(), "conflict" | "busy" | "not_found"))
        .count();
    assert_eq!(events.len(), changed, "one audit event per operation");
    // Every success a worker reported is there, as that worker's.
    for w in 0..WORKERS {
        let actor = format!("operator:{}", operator(w));
        for (op, actions) in [
            (
                "create_validate",
                &[
                    Action::AccountCreated,
                    Action::AccountLinked,
                    Action::PasswordReset,
                ][..],
            ),
            ("admin_set_password", &[Action::AdminPasswordSet][..]),
        ] {
            let reported = results
                .iter()
                .filter(|d| d.worker == w && d.op == op && d.outcome == "ok")
                .count();
            let logged = events
                .iter()
                .filter(|e| e.actor == actor && actions.contains(&e.action))
                .count();
            assert_eq!(reported, logged, "worker {w} {op}");
        }
    }
    let signins = results
        .iter()
        .filter(|d| d.op == "holder_sign_in" && d.outcome != "busy")
        .count();
    assert_eq!(
        signins,
        events
            .iter()
            .filter(|e| e.action == Action::HolderSignIn)
            .count()
    );
    let verify = portal.audit_verify().unwrap();
    assert_eq!(verify.problem, None);

    // Each account is in the state its last credential event explains.
    let all = portal.list_accounts("", None, 1000).unwrap().items;
    let trail = portal.audit_list(0, usize::MAX).unwrap();
    for acc in &all {
        let target = format!("account {} <{}>", acc.id, acc.email);
        let last = trail
            .iter()
            .rev()
            .filter(|e| e.target.starts_with(&target) && e.outcome.starts_with("success"))
            .find(|e| {
                matches!(
                    e.action,
                    Action::AccountCreated
                        | Action::AccountLinked
                        | Action::PasswordReset
                        | Action::AdminPasswordSet
                        | Action::HolderPasswordChanged
                )
            })
            .expect("an account has a creating event");
        match last.action {
            Action::AdminPasswordSet => assert_eq!(
                acc.reset_required,
                last.outcome.contains("reset required"),
                "{acc:?}"
            ),
            _ => assert!(
                acc.reset_required && acc.temp_expires_at.is_some(),
                "{acc:?} after {last:?}"
            ),
        }
        for p in &acc.patients {
            assert_eq!(
                portal.account_for_patient(p).unwrap().id,
                acc.id,
                "links both ways"
            );
        }
    }
    let count = |o: &str| results.iter().filter(|d| d.outcome == o).count();
    record_figure(
        "load",
        &format!(
            "load: {WORKERS} processes x {ops} operations in {:.1?}: {} ok, {} conflicts refused, {} busy, {} wrong-password, {} must-change, {} events, 0 lost",
            elapsed,
            count("ok"),
            count("conflict"),
            count("busy"),
            count("wrong"),
            count("must_change"),
            events.len()
        ),
    );
}
