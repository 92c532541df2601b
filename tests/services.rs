//! Both methods end to end through the services, with a clock that moves.

mod common;

use common::*;
use portal_admin::Error;
use portal_admin::domain::{AccountStatus, Action};
use portal_admin::error::{Input, Refusal};
use portal_admin::password::PolicyViolation;
use portal_admin::services::{AccountChange, OperatorChange, PlannedChange, SignIn};
use time::Duration;

const NEW_PW: &str = "tangerine-bicycle-glacier-88";

fn events_since(p: &Practice, before: u64) -> Vec<portal_admin::domain::AuditEvent> {
    p.portal.audit_list(before, 1000).unwrap()
}

#[test]
fn front_desk_create_validate_then_first_sign_in_forces_a_new_password() {
    let p = Practice::new();
    let before = p.audit_count();
    let login = p.create_validate("100005");
    assert_eq!(login.username.as_str(), "smith.family@example.net");
    assert_eq!(login.action, Action::AccountCreated);
    assert_eq!(login.sign_in_url, "https://portal.example.org/signin");
    assert_eq!(login.expires_at, p.portal.now() + Duration::hours(72));
    let shown = login.password.expose().to_owned();
    assert_eq!(shown.len(), 19, "XXXX-XXXX-XXXX-XXXX: {shown}");
    assert_ne!(shown.replace('-', ""), "100005", "never the account number");

    let view = p.portal.patient_view("100005").unwrap();
    let acc = view.account.expect("account created");
    assert!(acc.reset_required);
    assert_eq!(acc.status, AccountStatus::Active);

    // The account holder signs in with the temporary password, typed as heard.
    let typed = secret(&shown.to_lowercase().replace('-', " "));
    assert_eq!(
        p.portal
            .holder_sign_in("smith.family@example.net", &typed)
            .unwrap(),
        SignIn::MustChangePassword
    );
    // The new password goes through the policy, in words.
    let weak = p
        .portal
        .holder_change_password(
            "smith.family@example.net",
            &typed,
            &secret("Smith2024!!!"),
            &secret("Smith2024!!!"),
        )
        .unwrap_err();
    assert!(
        matches!(weak, Error::Policy(PolicyViolation::TooWeak { .. })),
        "{weak}"
    );
    let same = p
        .portal
        .holder_change_password(
            "smith.family@example.net",
            &typed,
            &secret(&shown),
            &secret(&shown),
        )
        .unwrap_err();
    assert!(
        matches!(same, Error::Policy(PolicyViolation::SameAsCurrent)),
        "{same}"
    );
    p.portal
        .holder_change_password(
            "smith.family@example.net",
            &typed,
            &secret(NEW_PW),
            &secret(NEW_PW),
        )
        .unwrap();

    // Single use: the temporary password is gone, the new one works.
    assert!(matches!(
        p.portal
            .holder_sign_in("smith.family@example.net", &secret(&shown)),
        Err(Error::WrongCredentials)
    ));
    assert_eq!(
        p.portal
            .holder_sign_in("smith.family@example.net", &secret(NEW_PW))
            .unwrap(),
        SignIn::SignedIn
    );
    let acc = p
        .portal
        .account_by_email("smith.family@example.net")
        .unwrap();
    assert!(!acc.reset_required);
    assert_eq!(acc.temp_expires_at, None);
    assert_eq!(acc.last_sign_in, Some(p.portal.now()));

    let actions: Vec<_> = events_since(&p, before)
        .iter()
        .map(|e| (e.action, e.outcome.clone()))
        .collect();
    assert_eq!(
        actions,
        vec![
            (
                Action::AccountCreated,
                "success (identity check: in person, photo ID)".into()
            ),
            (
                Action::HolderSignIn,
                "success (must choose a new password)".into()
            ),
            (Action::HolderPasswordChanged, "success".into()),
            (
                Action::HolderSignIn,
                "failure: wrong password (1 of 5)".into()
            ),
            (Action::HolderSignIn, "success".into()),
        ]
    );
    assert_eq!(p.portal.audit_verify().unwrap().problem, None);
}

#[test]
fn create_validate_on_an_existing_account_resets_it_and_siblings_share_it() {
    let p = Practice::new();
    let first = p.create_validate("100001");
    assert_eq!(first.action, Action::AccountCreated);
    // The sibling has the same e-correspondent: linked to the same account.
    let second = p.create_validate("100002");
    assert_eq!(second.action, Action::AccountLinked);
    assert_eq!(second.account_id, first.account_id);
    let view = p.portal.patient_view("100001").unwrap();
    assert_eq!(view.siblings.len(), 1);
    assert_eq!(view.siblings[0].first_name, "Sofía");
    // The first temporary password was replaced.
    assert!(
        p.portal
            .holder_sign_in("maria.garcia@example.com", &first.password)
            .is_err()
    );
    assert_eq!(
        p.portal
            .holder_sign_in("maria.garcia@example.com", &second.password)
            .unwrap(),
        SignIn::MustChangePassword
    );
    // A plain reset of an existing account.
    let third = p.create_validate("100001");
    assert_eq!(third.action, Action::PasswordReset);
    assert!(
        p.portal
            .holder_sign_in("maria.garcia@example.com", &second.password)
            .is_err()
    );
    assert_eq!(
        p.portal
            .holder_sign_in("MARIA.GARCIA@example.com", &third.password)
            .unwrap(),
        SignIn::MustChangePassword,
        "emails compare case-insensitively"
    );
}

#[test]
fn an_expired_temporary_password_is_refused_with_its_own_message() {
    let p = Practice::new();
    let login = p.create_validate("100003");
    p.clock.advance(Duration::hours(72));
    let err = p
        .portal
        .holder_sign_in("kathleen.obrien@example.org", &login.password)
        .unwrap_err();
    assert!(matches!(err, Error::TemporaryPasswordExpired), "{err}");
    assert_eq!(err.exit_code(), 5);
    // Only a right password learns that it expired.
    let wrong = p
        .portal
        .holder_sign_in("kathleen.obrien@example.org", &secret("ABCD-EFGH-JKMN"))
        .unwrap_err();
    assert!(matches!(wrong, Error::WrongCredentials), "{wrong}");
    let view = p
        .portal
        .account_by_email("kathleen.obrien@example.org")
        .unwrap();
    assert!(view.temp_expired);
    // Create/Validate again gives a working one.
    let again = p.create_validate("100003");
    assert_eq!(
        p.portal
            .holder_sign_in("kathleen.obrien@example.org", &again.password)
            .unwrap(),
        SignIn::MustChangePassword
    );
}

#[test]
fn lockout_after_five_failures_for_fifteen_minutes_and_admin_unlock() {
    let p = Practice::new();
    let login = p.create_validate("100005");
    let email = "smith.family@example.net";
    for _ in 0..5 {
        assert!(matches!(
            p.portal.holder_sign_in(email, &secret("wrong guess")),
            Err(Error::WrongCredentials)
        ));
    }
    let acc = p.portal.account_by_email(email).unwrap();
    assert_eq!(acc.status, AccountStatus::Locked);
    assert_eq!(
        acc.locked_until,
        Some(p.portal.now() + Duration::minutes(15))
    );
    // The right password while locked: the same answer as a wrong one.
    assert!(matches!(
        p.portal.holder_sign_in(email, &login.password),
        Err(Error::WrongCredentials)
    ));
    // Failures while locked do not extend the lock.
    p.clock.advance(Duration::minutes(10));
    assert!(
        p.portal
            .holder_sign_in(email, &secret("wrong again"))
            .is_err()
    );
    assert_eq!(
        p.portal.account_by_email(email).unwrap().locked_until,
        acc.locked_until
    );
    p.clock.advance(Duration::minutes(5));
    assert_eq!(
        p.portal.holder_sign_in(email, &login.password).unwrap(),
        SignIn::MustChangePassword
    );

    // Lock again, then an administrator unlocks.
    for _ in 0..5 {
        let _ = p.portal.holder_sign_in(email, &secret("wrong guess"));
    }
    assert_eq!(
        p.portal.account_by_email(email).unwrap().status,
        AccountStatus::Locked
    );
    let staff_try = p.portal.unlock(&p.staff, email, None).unwrap_err();
    assert!(matches!(staff_try, Error::AdminOnly { .. }), "{staff_try}");
    let unlocked = p.portal.unlock(&p.admin, email, None).unwrap();
    assert_eq!(unlocked.status, AccountStatus::Active);
    assert_eq!(unlocked.failed_count, 0);
    assert_eq!(
        p.portal.holder_sign_in(email, &login.password).unwrap(),
        SignIn::MustChangePassword
    );
    let reasons: Vec<String> = p
        .portal
        .audit_list(0, 1000)
        .unwrap()
        .into_iter()
        .map(|e| e.outcome)
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r == "failure: wrong password (5 of 5); locked for 15 minutes"),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r == "failure: account locked"));
}

#[test]
fn the_portal_never_says_which_emails_have_accounts() {
    let p = Practice::new();
    let login = p.create_validate("100005");
    p.portal
        .set_disabled(&p.admin, "smith.family@example.net", true, None)
        .unwrap();
    let unknown = p
        .portal
        .holder_sign_in("nobody@example.com", &secret("whatever pass"))
        .unwrap_err();
    let disabled = p
        .portal
        .holder_sign_in("smith.family@example.net", &login.password)
        .unwrap_err();
    let garbage = p
        .portal
        .holder_sign_in("not an email", &secret("x"))
        .unwrap_err();
    for e in [&unknown, &disabled, &garbage] {
        assert!(matches!(e, Error::WrongCredentials), "{e}");
        assert_eq!(e.to_string(), "wrong email or password");
        assert_eq!(e.exit_code(), 3);
    }
    // Staff still see the real reason.
    let events = p.portal.audit_list(0, 1000).unwrap();
    let outcomes: Vec<&str> = events.iter().map(|e| e.outcome.as_str()).collect();
    assert!(outcomes.contains(&"failure: unknown email"));
    assert!(outcomes.contains(&"failure: account disabled"));
    assert_eq!(
        p.portal
            .account_by_email("smith.family@example.net")
            .unwrap()
            .status,
        AccountStatus::Disabled
    );
    // Create/Validate refuses a disabled account until it is enabled.
    assert!(matches!(
        create_validate(&p.portal, &p.staff, "100005", None, None),
        Err(Error::Refused(Refusal::AccountDisabled { .. }))
    ));
    p.portal
        .set_disabled(&p.admin, "smith.family@example.net", false, None)
        .unwrap();
    p.create_validate("100005");
}

#[test]
fn control_panel_set_password_with_and_without_reset_required() {
    let p = Practice::new();
    p.create_validate("100003");
    let email = "kathleen.obrien@example.org";
    let pw = secret("velvet-compass-sparrow-31");
    // Mismatch and policy are checked before anything changes.
    let mismatch = p
        .portal
        .admin_set_password(&p.admin, email, &pw, &secret("other"), true, None)
        .unwrap_err();
    assert!(matches!(mismatch, Error::Policy(PolicyViolation::Mismatch)));
    let short = p
        .portal
        .admin_set_password(
            &p.admin,
            email,
            &secret("short"),
            &secret("short"),
            true,
            None,
        )
        .unwrap_err();
    assert_eq!(short.exit_code(), 6);
    // With "Password Reset Required" ticked (the default).
    let acc = p
        .portal
        .admin_set_password(&p.admin, email, &pw, &pw, true, None)
        .unwrap();
    assert!(acc.reset_required);
    assert_eq!(
        p.portal.holder_sign_in(email, &pw).unwrap(),
        SignIn::MustChangePassword
    );
    // Unticked: a permanent password.
    let pw2 = secret("juniper-falcon-meadow-64");
    let acc = p
        .portal
        .admin_set_password(&p.admin, email, &pw2, &pw2, false, None)
        .unwrap();
    assert!(!acc.reset_required);
    assert_eq!(
        p.portal.holder_sign_in(email, &pw2).unwrap(),
        SignIn::SignedIn
    );
    // Setting a password clears a lockout.
    for _ in 0..5 {
        let _ = p.portal.holder_sign_in(email, &secret("wrong guess"));
    }
    assert_eq!(
        p.portal.account_by_email(email).unwrap().status,
        AccountStatus::Locked
    );
    let acc = p
        .portal
        .admin_set_password(&p.admin, email, &pw, &pw, true, None)
        .unwrap();
    assert_eq!(acc.status, AccountStatus::Active);
    // Staff cannot.
    let denied = p
        .portal
        .admin_set_password(&p.staff, email, &pw2, &pw2, true, None)
        .unwrap_err();
    assert!(matches!(denied, Error::AdminOnly { .. }));
    assert_eq!(denied.exit_code(), 10);
}

#[test]
fn a_practice_can_forbid_permanent_admin_passwords() {
    let p = Practice::with_config(|c| c.policy.admin_may_clear_reset_required = false);
    p.create_validate("100003");
    let pw = secret("velvet-compass-sparrow-31");
    let err = p
        .portal
        .admin_set_password(
            &p.admin,
            "kathleen.obrien@example.org",
            &pw,
            &pw,
            false,
            None,
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::Policy(PolicyViolation::ResetRequiredMandatory)),
        "{err}"
    );
    assert!(
        p.portal
            .admin_set_password(
                &p.admin,
                "kathleen.obrien@example.org",
                &pw,
                &pw,
                true,
                None
            )
            .is_ok()
    );
}

#[test]
fn staff_are_refused_every_admin_service() {
    let p = Practice::new();
    p.create_validate("100005");
    let s = &p.staff;
    let before = p.audit_count();
    let results = [
        p.portal
            .unlock(s, "smith.family@example.net", None)
            .map(|_| ()),
        p.portal
            .set_disabled(s, "smith.family@example.net", true, None)
            .map(|_| ()),
        p.portal
            .setup_portal(s, "https://evil.example.com", "X", None)
            .map(|_| ()),
        p.portal.add_operator(
            s,
            "eve",
            portal_admin::domain::Role::Admin,
            &secret(NEW_PW),
            &secret(NEW_PW),
        ),
        p.portal
            .import_patients(s, "x.csv", PATIENTS_CSV.as_bytes(), 0, false, &mut ())
            .map(|_| ()),
    ];
    let refused = results.len() as u64;
    for r in results {
        assert!(matches!(r, Err(Error::AdminOnly { .. })), "{r:?}");
    }
    // Each refusal leaves its trace (attack 11), and nothing else changed.
    assert_eq!(p.audit_count(), before + refused);
    let events = p.portal.audit_list(before, 100).unwrap();
    for ev in &events {
        assert_eq!(ev.actor, "operator:sam");
        assert!(
            ev.outcome.starts_with("failure: permission denied"),
            "{ev:?}"
        );
    }
    let acc = p
        .portal
        .account_by_email("smith.family@example.net")
        .unwrap();
    assert!(!acc.disabled);
    assert_eq!(
        p.portal.portal_setup().unwrap().unwrap().practice_id,
        "PEDS-042"
    );
}

#[test]
fn create_validate_needs_the_portal_set_up_and_an_email() {
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(portal_admin::clock::ManualClock::monday_morning());
    let portal =
        portal_admin::Portal::create(&dir.path().join("p.redb"), config_in(dir.path()), clock)
            .unwrap();
    let local = bootstrap_admin(&portal);
    portal
        .import_patients(&local, "p.csv", PATIENTS_CSV.as_bytes(), 0, false, &mut ())
        .unwrap();
    let err = create_validate(&portal, &local, "100001", None, None).unwrap_err();
    assert!(matches!(err, Error::PortalNotSetUp));
    assert_eq!(
        err.to_string(),
        "the portal e-correspondent is not set up yet",
        "says what is wrong; each client adds its own hint"
    );
    assert_eq!(err.exit_code(), 8);

    let p = Practice::new();
    let no_email = create_validate(&p.portal, &p.staff, "100004", None, None).unwrap_err();
    assert_eq!(
        no_email.to_string(),
        "patient 100004 has no e-correspondent email",
        "no flag named in a library message"
    );
    assert_eq!(no_email.input(), Some(Input::Email));
    let login = create_validate(
        &p.portal,
        &p.staff,
        "100004",
        Some("Thuy.Nguyen@example.com"),
        None,
    )
    .unwrap();
    assert_eq!(login.username.as_str(), "thuy.nguyen@example.com");
    let patient = p.portal.patient_view("100004").unwrap().patient;
    assert_eq!(patient.email.unwrap().as_str(), "thuy.nguyen@example.com");
    // A different email for a patient who has one is refused.
    let other = create_validate(
        &p.portal,
        &p.staff,
        "100003",
        Some("someone@example.com"),
        None,
    )
    .unwrap_err();
    assert!(
        matches!(other, Error::Refused(Refusal::EmailDiffers { .. })),
        "{other}"
    );
    assert_eq!(other.input(), Some(Input::Email));
    let missing = create_validate(&p.portal, &p.staff, "999999", None, None).unwrap_err();
    assert_eq!(missing.exit_code(), 7);
}

#[test]
fn a_change_decided_on_an_old_view_is_refused_and_changes_nothing() {
    let p = Practice::new();
    p.create_validate("100005");
    let email = "smith.family@example.net";
    let seen = p.portal.account_by_email(email).unwrap();
    // Another operator resets it meanwhile.
    p.create_validate("100005");
    let before = p.portal.account_by_email(email).unwrap();
    let audit_before = p.audit_count();
    let err = create_validate(&p.portal, &p.staff, "100005", None, Some(seen.version)).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    assert_eq!(err.exit_code(), 9);
    let pw = secret("velvet-compass-sparrow-31");
    assert!(matches!(
        p.portal
            .admin_set_password(&p.admin, email, &pw, &pw, true, Some(seen.version)),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        p.portal
            .set_disabled(&p.admin, email, true, Some(seen.version)),
        Err(Error::Conflict(_))
    ));
    assert_eq!(p.portal.account_by_email(email).unwrap(), before);
    assert_eq!(p.audit_count(), audit_before);
}

#[test]
fn old_hash_parameters_are_upgraded_at_the_next_sign_in() {
    let p = Practice::with_config(|c| {
        c.hashing.memory_kib = 1024;
        c.hashing.iterations = 1;
        c.hashing.allow_weak = true;
    });
    p.create_validate("100005");
    let email = "smith.family@example.net";
    let pw = secret("velvet-compass-sparrow-31");
    p.portal
        .admin_set_password(&p.admin, email, &pw, &pw, false, None)
        .unwrap();
    let db = p.db();
    let clock = p.clock.clone();
    drop(p.portal);
    let upgraded = portal_admin::Portal::open(&db, config_in(p.dir.path()), clock).unwrap();
    let acc = upgraded.account_by_email(email).unwrap();
    assert_eq!(acc.hash_params, "argon2id m=1024,t=1,p=1");
    assert!(!acc.hash_current);
    assert_eq!(
        upgraded.holder_sign_in(email, &pw).unwrap(),
        SignIn::SignedIn
    );
    let acc = upgraded.account_by_email(email).unwrap();
    assert_eq!(acc.hash_params, "argon2id m=19456,t=2,p=1");
    assert!(acc.hash_current);
    assert_eq!(
        upgraded.holder_sign_in(email, &pw).unwrap(),
        SignIn::SignedIn
    );
}

#[test]
fn operators_are_locked_out_too() {
    let p = Practice::new();
    for _ in 0..5 {
        assert!(matches!(
            p.portal.operator_sign_in("sam", &secret("nope")),
            Err(Error::OperatorWrongCredentials)
        ));
    }
    let err = p
        .portal
        .operator_sign_in("sam", &secret(STAFF_PW))
        .unwrap_err();
    assert!(matches!(err, Error::OperatorLocked { .. }), "{err}");
    assert_eq!(err.exit_code(), 4);
    p.clock.advance(Duration::minutes(15));
    assert!(p.portal.operator_sign_in("sam", &secret(STAFF_PW)).is_ok());
    assert!(matches!(
        p.portal.operator_sign_in("nobody", &secret("x")),
        Err(Error::OperatorWrongCredentials)
    ));
}

#[test]
fn password_history_when_configured() {
    let p = Practice::with_config(|c| c.policy.history = 2);
    let login = p.create_validate("100005");
    let email = "smith.family@example.net";
    let a = secret("tangerine-bicycle-glacier-88");
    let b = secret("harvest-pelican-saddle-53");
    p.portal
        .holder_change_password(email, &login.password, &a, &a)
        .unwrap();
    p.portal.holder_change_password(email, &a, &b, &b).unwrap();
    let err = p
        .portal
        .holder_change_password(email, &b, &a, &a)
        .unwrap_err();
    assert!(
        matches!(err, Error::Policy(PolicyViolation::Reused)),
        "{err}"
    );
}

#[test]
fn every_audit_event_is_chained_and_holds_no_secret() {
    let p = Practice::new();
    let login = p.create_validate("100005");
    let email = "smith.family@example.net";
    p.portal
        .holder_change_password(email, &login.password, &secret(NEW_PW), &secret(NEW_PW))
        .unwrap();
    let _ = p
        .portal
        .holder_sign_in(email, &secret("a wrong password typed"));
    let events = p.portal.audit_list(0, 10_000).unwrap();
    let report = p.portal.audit_verify().unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.events, events.len() as u64);
    let all = serde_json::to_string(&events).unwrap();
    let canonical = login.password.expose().replace('-', "");
    for secret_text in [
        login.password.expose(),
        canonical.as_str(),
        NEW_PW,
        "a wrong password typed",
        ADMIN_PW,
        STAFF_PW,
        "$argon2",
    ] {
        assert!(!all.contains(secret_text), "audit holds {secret_text}");
    }
}

#[test]
fn search_rows_show_the_portal_marker_after_create_validate() {
    let p = Practice::new();
    let before = p.portal.search_patients("smith", None, 10).unwrap();
    assert_eq!(before.items[0].account_id, None);
    let login = p.create_validate("100005");
    let after = p.portal.search_patients("smith", None, 10).unwrap();
    assert_eq!(after.items[0].account_id, Some(login.account_id));
    for q in ["2018-07-04", "smith.family@", "100005"] {
        let rows = p.portal.search_patients(q, None, 10).unwrap();
        assert_eq!(rows.items[0].account_id, Some(login.account_id), "{q}");
    }
    // A re-import keeps the marker.
    let csv = "account_number,last_name,first_name,date_of_birth,email\n100005,Smith,Olivia Rose,2018-07-04,smith.family@example.net\n";
    p.portal
        .import_patients(&p.admin, "u.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let rows = p
        .portal
        .search_patients("smith, olivia r", None, 10)
        .unwrap();
    assert_eq!(rows.items[0].account_id, Some(login.account_id));
}

#[test]
fn create_validate_plan_says_what_would_happen_and_changes_nothing() {
    let p = Practice::new();
    let before = p.audit_count();
    // A patient with an email and no account: create.
    let plan = p.portal.create_validate_plan("100001", None).unwrap();
    assert!(
        matches!(&plan.change, PlannedChange::Create { email } if email.as_str() == "maria.garcia@example.com"),
        "{plan:?}"
    );
    assert_eq!(plan.version(), None);
    // No email on file: refused, and the error points at the email input.
    let no_email = p.portal.create_validate_plan("100004", None).unwrap_err();
    assert!(matches!(no_email, Error::Refused(Refusal::NoEmail { .. })));
    assert_eq!(no_email.input(), Some(Input::Email));
    let given = p
        .portal
        .create_validate_plan("100004", Some("thuy@example.com"))
        .unwrap();
    assert!(given.records_email);
    assert_eq!(p.audit_count(), before, "a plan writes nothing");

    // After José's account exists, his sister joins it (link), and he is reset.
    p.create_validate("100001");
    let sister = p.portal.create_validate_plan("100002", None).unwrap();
    let PlannedChange::Link {
        account,
        reset_password: false,
    } = &sister.change
    else {
        panic!("{sister:?}")
    };
    assert_eq!(account.email.as_str(), "maria.garcia@example.com");
    let jose = p.portal.create_validate_plan("100001", None).unwrap();
    assert!(matches!(jose.change, PlannedChange::Reset { .. }));
    // The plan's version is what the change is checked against.
    let login = create_validate(&p.portal, &p.staff, "100001", None, jose.version()).unwrap();
    assert_eq!(
        login.patient.account_number, "100001",
        "the reply names the request's patient"
    );
    assert!(matches!(
        create_validate(&p.portal, &p.staff, "100001", None, jose.version()),
        Err(Error::Conflict(_))
    ));

    // A disabled account: refused the same way the change would be.
    p.portal
        .set_disabled(&p.admin, "maria.garcia@example.com", true, None)
        .unwrap();
    let disabled = p.portal.create_validate_plan("100002", None).unwrap_err();
    assert!(
        matches!(disabled, Error::Refused(Refusal::AccountDisabled { .. })),
        "{disabled}"
    );
    let missing = p.portal.create_validate_plan("999999", None).unwrap_err();
    assert_eq!(missing.input(), Some(Input::Patient));
    assert_eq!(missing.exit_code(), 7);
}

#[test]
fn account_changes_are_answered_before_they_are_asked() {
    let p = Practice::new();
    let login = p.create_validate("100005");
    let email = login.username.as_str();
    let view = p.portal.account_by_email(email).unwrap();
    let check = |s, change| p.portal.check_account_change(s, &view, change);
    assert!(matches!(
        check(&p.admin, AccountChange::Unlock),
        Err(Error::Refused(Refusal::NotLocked { .. }))
    ));
    assert!(matches!(
        check(&p.admin, AccountChange::Enable),
        Err(Error::Refused(Refusal::AlreadyEnabled { .. }))
    ));
    assert!(check(&p.admin, AccountChange::Disable).is_ok());
    assert!(check(&p.admin, AccountChange::SetPassword).is_ok());
    let staff = check(&p.staff, AccountChange::Disable).unwrap_err();
    assert_eq!(staff.exit_code(), 10);
    // The change itself gives the same answer as the check.
    let unlock = p.portal.unlock(&p.admin, email, None).unwrap_err();
    assert_eq!(
        unlock.to_string(),
        check(&p.admin, AccountChange::Unlock)
            .unwrap_err()
            .to_string()
    );
    assert_eq!(
        unlock.to_string(),
        format!("the portal account {email} is not locked")
    );
}

#[test]
fn the_practice_summary_replaces_reading_the_store() {
    let p = Practice::new();
    let practice = p.portal.practice().unwrap();
    assert!(!practice.demo);
    assert_eq!(practice.patients, 5);
    assert_eq!(practice.operators, 2);
    assert_eq!(
        practice.setup.unwrap().sign_in_url,
        "https://portal.example.org/signin"
    );
    p.portal.refresh();
    assert_eq!(p.portal.practice().unwrap().audit_events, p.audit_count());
}

#[test]
fn presenters_word_an_account_and_a_temporary_login() {
    let p = Practice::new();
    let login = p.create_validate("100005");
    let view = p.portal.account_by_email(login.username.as_str()).unwrap();
    assert_eq!(
        portal_admin::present::account_status(&view),
        "ACTIVE · RESET REQUIRED"
    );
    p.clock.advance(Duration::days(4));
    let view = p.portal.account_by_email(login.username.as_str()).unwrap();
    assert_eq!(
        portal_admin::present::account_status(&view),
        "ACTIVE · RESET REQUIRED · TEMPORARY PASSWORD EXPIRED"
    );
    let local = portal_admin::present::LocalTime::utc();
    let text = portal_admin::present::login_text_in(
        &login,
        &local,
        portal_admin::present::TimeStyle::Rfc3339,
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "username: smith.family@example.net");
    assert_eq!(
        lines[1],
        format!("temporary password: {}", login.password.expose())
    );
    assert!(lines[2].starts_with("spelled: "), "{}", lines[2]);
    assert_eq!(lines[3], "expires: 2026-01-08T09:00:00+00:00");
    assert_eq!(lines[4], "sign-in URL: https://portal.example.org/signin");
}

#[test]
fn a_reset_operator_chooses_a_new_password_and_a_revoked_session_stops_acting() {
    let p = Practice::new();
    let given = secret("administrator-given-pass-71");
    p.portal
        .reset_operator_password(&p.admin, "sam", &given, &given)
        .unwrap();
    // The app's sign-in: the right password answers "must change".
    let err = p.portal.operator_sign_in("sam", &given).unwrap_err();
    assert!(matches!(err, Error::MustChangePassword { .. }), "{err}");
    let same = p
        .portal
        .operator_change_password("sam", &given, &given, &given)
        .unwrap_err();
    assert!(matches!(
        same,
        Error::Policy(PolicyViolation::SameAsCurrent)
    ));
    let own = secret("walnut-harbor-lilac-orbit-9");
    let session = p
        .portal
        .operator_change_password("sam", &given, &own, &own)
        .unwrap();
    assert_eq!(session.name(), "sam");
    assert!(p.portal.operator_sign_in("sam", &own).is_ok());

    // The session the app holds stops working once the operator is disabled.
    p.portal
        .change_operator(&p.admin, "sam", OperatorChange::Disable)
        .unwrap();
    let revoked = create_validate(&p.portal, &session, "100005", None, None).unwrap_err();
    assert!(
        matches!(revoked, Error::OperatorRevoked { .. }),
        "{revoked}"
    );
    assert_eq!(revoked.exit_code(), 10);
    // And the last administrator stays.
    let last = p
        .portal
        .change_operator(&p.admin, "ana", OperatorChange::Remove)
        .unwrap_err();
    assert!(
        matches!(last, Error::Refused(Refusal::LastAdministrator { .. })),
        "{last}"
    );
}
