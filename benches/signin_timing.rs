//! Does the portal's answer time tell an attacker which emails have
//! accounts? Times account-holder sign-ins for an unknown email, a known
//! email with a wrong password, and (for reference) the right password,
//! interleaved, at the configured argon2 cost.
//!
//! `cargo bench --bench signin_timing [-- ROUNDS]` (default 150 rounds).
//! A measurement, not a test: it prints figures and asserts nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use portal_admin::clock::ManualClock;
use portal_admin::config::Config;
use portal_admin::domain::Role;
use portal_admin::services::CreateValidate;
use portal_admin::{Portal, Secret};

fn main() {
    let rounds: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(150);
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.log.level = "off".into();
    // Lockout would end the run early; raise it for the measurement only.
    config.lockout.max_failures = 100;
    let clock = Arc::new(ManualClock::monday_morning());
    let portal = Portal::create(&dir.path().join("t.redb"), config, clock.clone()).unwrap();
    portal
        .add_operator(
            &Portal::file_owner(),
            "ana",
            Role::Admin,
            &"quiet-meadow-copper-kettle".into(),
            &"quiet-meadow-copper-kettle".into(),
        )
        .unwrap();
    let local = portal
        .operator_sign_in("ana", &"quiet-meadow-copper-kettle".into())
        .unwrap();
    portal
        .setup_portal(&local, "https://portal.example.org", "T", None)
        .unwrap();
    portal
        .add_operator(
            &local,
            "sam",
            Role::Staff,
            &"lilac-orbit-walnut-harbor".into(),
            &"lilac-orbit-walnut-harbor".into(),
        )
        .unwrap();
    let csv = "account_number,last_name,first_name,date_of_birth,email\n1,Smith,Olivia,2018-07-04,known@example.com\n";
    portal
        .import_patients(&local, "t.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let staff = portal
        .operator_sign_in("sam", &"lilac-orbit-walnut-harbor".into())
        .unwrap();
    let req = CreateValidate::patient("1").identity_check(Some("in person, photo ID"));
    portal.create_validate_with(&staff, &req).unwrap();
    let right = Secret::from("violet-tractor-pencil-harbour");
    portal
        .admin_set_password(&local, "known@example.com", &right, &right, false, None)
        .ok();

    let wrong = Secret::from("a wrong password");
    let mut unknown = Vec::with_capacity(rounds);
    let mut known_wrong = Vec::with_capacity(rounds);
    let mut known_right = Vec::with_capacity(rounds);
    for i in 0..rounds {
        // Keep the account from locking: move past the lock window.
        clock.advance(time::Duration::minutes(20));
        let email = format!("nobody{i}@example.com");
        let t = Instant::now();
        let _ = portal.holder_sign_in(&email, &wrong);
        unknown.push(t.elapsed());
        let t = Instant::now();
        let _ = portal.holder_sign_in("known@example.com", &wrong);
        known_wrong.push(t.elapsed());
        let t = Instant::now();
        let _ = portal.holder_sign_in("known@example.com", &right);
        known_right.push(t.elapsed());
    }
    let stats = |v: &mut Vec<Duration>| {
        v.sort();
        (v[v.len() / 2], v[v.len() * 9 / 10])
    };
    let (u50, u90) = stats(&mut unknown);
    let (w50, w90) = stats(&mut known_wrong);
    let (r50, r90) = stats(&mut known_right);
    let diff = (u50.as_secs_f64() - w50.as_secs_f64()).abs() / w50.as_secs_f64() * 100.0;
    println!("sign-in timing, {rounds} rounds, argon2id m=19456 t=2 p=1 (release)");
    println!("  unknown email               median {u50:>9.2?}  p90 {u90:>9.2?}");
    println!("  known email, wrong password median {w50:>9.2?}  p90 {w90:>9.2?}");
    println!("  known email, right password median {r50:>9.2?}  p90 {r90:>9.2?}");
    println!("  unknown vs known-wrong: medians differ by {diff:.1}% (target < 10%)");
}
