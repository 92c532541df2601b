//! Families (issue 11): every guardian their own account, links that never
//! surprise (no password changes as a side effect; several guardians are
//! never guessed between; ended links are never offered), access that
//! follows the patient's age across birthdays, administrators' removals and
//! login changes recorded — through the services and the real binary.

mod common;

use common::*;
use portal_admin::domain::guardian::Change;
use portal_admin::domain::{Access, Action, LinkStatus, Relationship};
use portal_admin::error::{Error, Input, Missing, Refusal};
use portal_admin::services::{AddGuardian, CreateValidate, SignIn};
use time::macros::{date, datetime};

/// The first holder's own password, chosen at her first sign-in.
const MOTHER_PW: &str = "amber-lantern-fjord-pickle";
const FATHER_PW: &str = "copper-wren-mitten-galaxy";

fn checked(patient: &str) -> CreateValidate {
    CreateValidate::patient(patient).identity_check(Some(IDENTITY_CHECK))
}

fn add(patient: &str, email: &str, rel: Relationship) -> AddGuardian {
    AddGuardian::new(patient, email, rel).identity_check(Some(IDENTITY_CHECK))
}

/// Signs in with the temporary password and chooses `chosen`.
fn first_sign_in(p: &Practice, email: &str, temporary: &str, chosen: &str) {
    assert_eq!(
        p.portal.holder_sign_in(email, &secret(temporary)).unwrap(),
        SignIn::MustChangePassword
    );
    p.portal
        .holder_change_password(email, &secret(temporary), &secret(chosen), &secret(chosen))
        .unwrap();
}

fn signs_in(p: &Practice, email: &str, pw: &str) -> bool {
    matches!(
        p.portal.holder_sign_in(email, &secret(pw)),
        Ok(SignIn::SignedIn)
    )
}

/// Olivia Smith's mother holds her account with her own password.
fn smith_with_mother() -> Practice {
    let p = Practice::new();
    let login = p.create_validate("100005");
    first_sign_in(
        &p,
        "smith.family@example.net",
        login.password.expose(),
        MOTHER_PW,
    );
    p
}

fn last_event(p: &Practice) -> portal_admin::domain::AuditEvent {
    p.portal.audit_list(0, 100_000).unwrap().pop().unwrap()
}

/// The newest audit event of `action`.
fn last_of(p: &Practice, action: Action) -> portal_admin::domain::AuditEvent {
    p.portal
        .audit_list(0, 100_000)
        .unwrap()
        .into_iter()
        .rev()
        .find(|e| e.action == action)
        .unwrap_or_else(|| panic!("no {action:?} event"))
}

#[test]
fn a_second_guardian_gets_their_own_account_and_the_first_keeps_her_password() {
    let p = smith_with_mother();
    let added = p
        .portal
        .add_guardian(
            &p.staff,
            &add("100005", "dan.smith@example.net", Relationship::Father),
        )
        .unwrap();
    let login = added
        .login
        .as_ref()
        .expect("a new account, a temporary login");
    assert_eq!(login.username.as_str(), "dan.smith@example.net");
    assert_eq!(added.guardian.relationship, Relationship::Father);
    // Olivia (born 2018) is 7: full access, limited from her 12th birthday.
    assert_eq!(
        added.guardian.status,
        LinkStatus::Active {
            access: Access::Full,
            next: Some(Change::LimitedFrom {
                on: date!(2030 - 07 - 04)
            })
        }
    );
    let guardians = p.portal.guardians("100005").unwrap();
    let emails: Vec<&str> = guardians.iter().map(|g| g.email().as_str()).collect();
    assert_eq!(
        emails,
        ["smith.family@example.net", "dan.smith@example.net"]
    );
    assert_eq!(guardians[0].relationship, Relationship::Guardian);

    // Each signs in with their own login; the mother's password is hers still.
    assert!(signs_in(&p, "smith.family@example.net", MOTHER_PW));
    first_sign_in(
        &p,
        "dan.smith@example.net",
        login.password.expose(),
        FATHER_PW,
    );
    assert!(signs_in(&p, "dan.smith@example.net", FATHER_PW));

    let ev = p
        .portal
        .audit_list(0, 1000)
        .unwrap()
        .into_iter()
        .find(|e| e.action == Action::GuardianAdded)
        .unwrap();
    assert_eq!(ev.actor, "operator:sam");
    assert!(ev.target.ends_with(", patient 100005"), "{}", ev.target);
    assert_eq!(
        ev.outcome,
        "success (father, full access; account created; identity check: in person, photo ID)"
    );
    let view = p.portal.patient_view("100005").unwrap();
    assert_eq!(view.guardians.len(), 2);
    assert_eq!(
        view.account.unwrap().email.as_str(),
        "smith.family@example.net"
    );
}

#[test]
fn adding_a_guardian_who_already_has_an_account_links_it_without_touching_its_password() {
    let p = smith_with_mother();
    // The Smith mother is also Seán O'Brien's foster carer.
    let before = p
        .portal
        .account_by_email("smith.family@example.net")
        .unwrap();
    let added = p
        .portal
        .add_guardian(
            &p.staff,
            &add("100003", "Smith.Family@example.net", Relationship::Other).access(Access::Limited),
        )
        .unwrap();
    assert!(
        added.login.is_none(),
        "no temporary login for an existing account"
    );
    assert!(signs_in(&p, "smith.family@example.net", MOTHER_PW));
    let after = p
        .portal
        .account_by_email("smith.family@example.net")
        .unwrap();
    assert_eq!(after.patients, ["100005", "100003"]);
    assert_eq!(after.version, before.version + 1);
    assert_eq!(after.hash_params, before.hash_params);
    assert!(!after.reset_required);
    assert_eq!(
        added.guardian.status.access(),
        Some(Access::Limited),
        "limited as granted"
    );
    let ev = last_of(&p, Action::GuardianAdded);
    assert!(
        ev.outcome
            .contains("other, limited access; password unchanged"),
        "{}",
        ev.outcome
    );

    // Twice is refused; a disabled account cannot be linked.
    let again = p
        .portal
        .add_guardian(
            &p.staff,
            &add("100003", "smith.family@example.net", Relationship::Other),
        )
        .unwrap_err();
    assert!(
        matches!(again, Error::Refused(Refusal::AlreadyGuardian { .. })),
        "{again}"
    );
    assert_eq!(again.exit_code(), 2);
    p.create_validate("100001");
    p.portal
        .set_disabled(&p.admin, "maria.garcia@example.com", true, None)
        .unwrap();
    let disabled = p
        .portal
        .add_guardian(
            &p.staff,
            &add("100003", "maria.garcia@example.com", Relationship::Mother),
        )
        .unwrap_err();
    assert!(
        matches!(disabled, Error::Refused(Refusal::AccountDisabled { .. })),
        "{disabled}"
    );
}

#[test]
fn adding_a_guardian_needs_the_identity_check_and_changes_nothing_without_it() {
    let p = smith_with_mother();
    let before = p.audit_count();
    let err = p
        .portal
        .add_guardian(
            &p.staff,
            &AddGuardian::new("100005", "dan.smith@example.net", Relationship::Father),
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::Refused(Refusal::IdentityCheckMissing { .. })),
        "{err}"
    );
    assert_eq!(err.input(), Some(Input::IdentityCheck));
    assert_eq!(p.audit_count(), before);
    assert_eq!(p.portal.guardians("100005").unwrap().len(), 1);
    assert!(p.portal.account_by_email("dan.smith@example.net").is_err());
}

#[test]
fn create_validate_with_several_guardians_asks_whose_login_and_resets_only_that_one() {
    let p = smith_with_mother();
    let father = p
        .portal
        .add_guardian(
            &p.staff,
            &add("100005", "dan.smith@example.net", Relationship::Father),
        )
        .unwrap();
    let temp = father.login.unwrap().password.expose().to_owned();
    first_sign_in(&p, "dan.smith@example.net", &temp, FATHER_PW);

    // Whose? Never a guess.
    let before = p.audit_count();
    let ask = p
        .portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap_err();
    assert_eq!(ask.exit_code(), 2);
    assert_eq!(
        ask.to_string(),
        "patient 100005 has 2 guardians on the portal: smith.family@example.net (guardian), dan.smith@example.net (father); say whose login to reset"
    );
    assert_eq!(ask.input(), Some(Input::Email));
    assert_eq!(p.audit_count(), before);
    let plan_err = p
        .portal
        .plan_create_validate(&p.staff, &checked("100005"))
        .unwrap_err();
    assert!(matches!(
        plan_err,
        Error::Refused(Refusal::ChooseGuardian { count: 2, .. })
    ));

    // The father's login, chosen: only his password changes.
    let plan = p
        .portal
        .plan_create_validate(
            &p.staff,
            &checked("100005").email(Some("dan.smith@example.net")),
        )
        .unwrap();
    assert_eq!(plan.email().as_str(), "dan.smith@example.net");
    assert_eq!(plan.guardians.len(), 2);
    let out = p
        .portal
        .create_validate_with(
            &p.staff,
            &checked("100005").email(Some("DAN.smith@example.net")),
        )
        .unwrap();
    let login = out.login().unwrap();
    assert_eq!(login.username.as_str(), "dan.smith@example.net");
    assert!(
        !signs_in(&p, "dan.smith@example.net", FATHER_PW),
        "his was reset"
    );
    assert!(
        signs_in(&p, "smith.family@example.net", MOTHER_PW),
        "hers was not"
    );
    // The practice's records keep their e-correspondent email.
    assert_eq!(
        p.portal
            .patient_view("100005")
            .unwrap()
            .patient
            .email
            .map(|e| e.as_str().to_owned())
            .as_deref(),
        Some("smith.family@example.net")
    );

    // Someone who is not a guardian: not found, exit 7, the guardians named.
    let stranger = p
        .portal
        .create_validate_with(
            &p.staff,
            &checked("100005").email(Some("kathleen.obrien@example.org")),
        )
        .unwrap_err();
    assert!(
        matches!(stranger, Error::NotFound(Missing::Guardian { .. })),
        "{stranger}"
    );
    assert_eq!(stranger.exit_code(), 7);
    assert!(stranger.to_string().contains(
        "its guardians: smith.family@example.net (guardian), dan.smith@example.net (father)"
    ));
}

#[test]
fn removing_a_guardian_is_for_administrators_needs_a_reason_and_keeps_the_password() {
    let p = smith_with_mother();
    p.portal
        .add_guardian(
            &p.staff,
            &add("100005", "dan.smith@example.net", Relationship::Father),
        )
        .unwrap();
    // Staff: refused, and the refusal is audited.
    let before = p.audit_count();
    let staff = p
        .portal
        .remove_guardian(
            &p.staff,
            "100005",
            "smith.family@example.net",
            "custody order",
        )
        .unwrap_err();
    assert!(matches!(staff, Error::AdminOnly { .. }), "{staff}");
    assert_eq!(staff.exit_code(), 10);
    assert_eq!(p.audit_count(), before + 1);
    let refused = last_event(&p);
    assert_eq!(refused.action, Action::GuardianRemoved);
    assert!(
        refused.outcome.starts_with("failure: permission denied"),
        "{}",
        refused.outcome
    );
    // No reason: nothing changes.
    for reason in ["", "   ", "court\u{1b}[2J"] {
        let err = p
            .portal
            .remove_guardian(&p.admin, "100005", "smith.family@example.net", reason)
            .unwrap_err();
        assert_eq!(err.input(), Some(Input::Reason), "{reason:?}: {err}");
        assert_eq!(err.exit_code(), 2);
    }
    let missing = p
        .portal
        .remove_guardian(
            &p.admin,
            "100005",
            "maria.garcia@example.com",
            "custody order",
        )
        .unwrap_err();
    assert_eq!(missing.exit_code(), 7);
    assert_eq!(p.portal.guardians("100005").unwrap().len(), 2);

    let removed = p
        .portal
        .remove_guardian(
            &p.admin,
            "100005",
            "smith.family@example.net",
            "custody order of 2 Jan 2026",
        )
        .unwrap();
    assert!(removed.account.patients.is_empty());
    let left = p.portal.guardians("100005").unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].email().as_str(), "dan.smith@example.net");
    // The account stays, with its password; the patient still shows a
    // portal account in the search (the father's).
    assert!(signs_in(&p, "smith.family@example.net", MOTHER_PW));
    let row = &p.portal.search_patients("smith", None, 10).unwrap().items[0];
    assert_eq!(row.account_id, Some(left[0].account.id));
    let ev = last_of(&p, Action::GuardianRemoved);
    assert_eq!(ev.actor, "operator:ana");
    assert_eq!(ev.outcome, "success (reason: custody order of 2 Jan 2026)");
    // The last guardian gone: no portal account shown.
    p.portal
        .remove_guardian(&p.admin, "100005", "dan.smith@example.net", "custody order")
        .unwrap();
    let row = &p.portal.search_patients("smith", None, 10).unwrap().items[0];
    assert_eq!(row.account_id, None);
    assert!(p.portal.patient_view("100005").unwrap().account.is_none());
    assert_eq!(p.portal.audit_verify().unwrap().problem, None);
}

/// `account change-email` by the administrator `ana`.
fn admin_changes_login(
    p: &Practice,
    old: &str,
    new: &str,
) -> portal_admin::Result<portal_admin::services::LoginChanged> {
    p.portal.change_login_email(&p.admin, old, new, None)
}

/// `account change-email` of the Smiths' login to `new` through the binary,
/// on a practice set up through the CLI (Olivia Smith's account made).
fn smiths_login_changed_through_the_binary(new: &str) -> Output {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.admin_reset("100005", &[]);
    bin.admin_run(
        &[
            "account",
            "change-email",
            "--email",
            "smith.family@example.net",
            "--new-email",
            new,
        ],
        "",
    )
}

/// F8 (fresh eyes, 2026-11-29): `account change-email` accepted another
/// family's e-correspondent email as a login without a word; staff's next
/// Create/Validate for that family's child would then have linked the
/// child to this account.
#[test]
fn a_login_cannot_become_the_e_correspondent_email_of_a_patient_not_on_the_account() {
    let p = smith_with_mother();
    let before = p.audit_count();
    let other = admin_changes_login(
        &p,
        "smith.family@example.net",
        "kathleen.obrien@example.org",
    )
    .unwrap_err();
    assert!(
        matches!(
            other,
            Error::Refused(Refusal::LoginIsAnotherPatientsEmail { .. })
        ),
        "{other}"
    );
    assert_eq!(
        other.to_string(),
        "kathleen.obrien@example.org is the e-correspondent email of patient 100003, not on this account: a Create/Validate for them would link them to it; choose an address of the holder's own"
    );
    assert_eq!(other.input(), Some(Input::NewEmail));
    assert_eq!(p.audit_count(), before, "nothing written");
    // Create/Validate for Seán still makes him an account of his own.
    assert!(p.portal.patient_view("100003").unwrap().account.is_none());
    // The account's own patient's email is fine (back to it, later).
    admin_changes_login(&p, "smith.family@example.net", "jo.smith@example.net").unwrap();
    admin_changes_login(&p, "jo.smith@example.net", "smith.family@example.net").unwrap();
    // Through the binary: exit 2 and the same sentence.
    let out = smiths_login_changed_through_the_binary("kathleen.obrien@example.org");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("is the e-correspondent email of patient 100003, not on this account"),
        "{}",
        out.stderr
    );
}

/// R3 (fresh re-check, 2026-11-29): the refusal said "patients 100996 and
/// 1 more" for two, and came only after the app's confirmation. The check
/// without writing (`check_login_change`, what the app's form asks before
/// its confirmation) and the change itself give the same sentence, naming
/// every patient up to five, then how many more; the CLI prints it too.
#[test]
fn the_login_change_refusal_names_every_patient_and_is_known_before_the_change() {
    let p = smith_with_mother();
    let mut csv = String::from("account_number,last_name,first_name,date_of_birth,email\n");
    for i in 0..7 {
        csv.push_str(&format!(
            "20000{i},Big,Kid{i},2019-01-0{},big.family@kids.test\n",
            i + 1
        ));
    }
    p.portal
        .import_patients(&p.admin, "big.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let before = p.audit_count();
    let smith = "smith.family@example.net";
    // Two patients: both named.
    let two = p
        .portal
        .check_login_change(&p.admin, smith, "maria.garcia@example.com", None)
        .unwrap_err();
    assert_eq!(
        two.to_string(),
        "maria.garcia@example.com is the e-correspondent email of patients 100001 and 100002, not on this account: a Create/Validate for them would link them to it; choose an address of the holder's own"
    );
    assert_eq!(two.input(), Some(Input::NewEmail));
    // Seven: five named, then how many more.
    let seven = p
        .portal
        .check_login_change(&p.admin, smith, " BIG.family@kids.test", None)
        .unwrap_err();
    assert!(
        seven.to_string().contains(
            "of patients 200000, 200001, 200002, 200003, 200004 and 2 more, not on this account"
        ),
        "{seven}"
    );
    // The change itself refuses with the very same sentence.
    let changed = admin_changes_login(&p, smith, "maria.garcia@example.com").unwrap_err();
    assert_eq!(changed.to_string(), two.to_string());
    // A login taken, the same login, not an email: known before too.
    let taken = p.create_validate("100003").username;
    for (new, says) in [
        (
            taken.as_str(),
            "already the login of another portal account",
        ),
        ("Smith.Family@example.net", "already this account's login"),
        ("jo smith", "email"),
    ] {
        let e = p
            .portal
            .check_login_change(&p.admin, smith, new, None)
            .unwrap_err();
        assert!(e.to_string().contains(says), "{new}: {e}");
        assert_eq!(e.input(), Some(Input::NewEmail), "{new}: {e}");
    }
    // A change that can happen: the plan, and nothing written by the check.
    let before_check = p.audit_count();
    let plan = p
        .portal
        .check_login_change(&p.admin, smith, " Jo.Smith@Example.NET ", None)
        .unwrap();
    assert_eq!(
        (plan.old.as_str(), plan.new.as_str()),
        (smith, "jo.smith@example.net")
    );
    assert_eq!(p.audit_count(), before_check, "a check writes nothing");
    // Staff may not even ask.
    let staff = p
        .portal
        .check_login_change(&p.staff, smith, "jo.smith@example.net", None)
        .unwrap_err();
    assert!(staff.to_string().contains("administrator"), "{staff}");
    assert!(
        p.audit_count() > before,
        "the refused change above is audited"
    );
    // Through the binary: the same sentence, exit 2.
    let out = smiths_login_changed_through_the_binary("maria.garcia@example.com");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("of patients 100001 and 100002, not on this account"),
        "{}",
        out.stderr
    );
}

#[test]
fn changing_a_login_email_keeps_the_password_and_records_old_and_new() {
    let p = smith_with_mother();
    // Staff: refused, and the refusal is audited.
    let before = p.audit_count();
    let staff = p
        .portal
        .change_login_email(
            &p.staff,
            "smith.family@example.net",
            "jo.smith@example.net",
            None,
        )
        .unwrap_err();
    assert!(matches!(staff, Error::AdminOnly { .. }), "{staff}");
    assert_eq!(staff.exit_code(), 10);
    assert_eq!(p.audit_count(), before + 1);
    let refused = last_event(&p);
    assert_eq!(
        (refused.action, refused.actor.as_str()),
        (Action::LoginEmailChanged, "operator:sam")
    );
    assert!(
        refused.outcome.starts_with("failure: permission denied"),
        "{}",
        refused.outcome
    );
    assert!(signs_in(&p, "smith.family@example.net", MOTHER_PW));
    p.create_validate("100003");
    let taken = admin_changes_login(
        &p,
        "smith.family@example.net",
        "kathleen.obrien@example.org",
    )
    .unwrap_err();
    assert!(
        matches!(taken, Error::Refused(Refusal::LoginTaken { .. })),
        "{taken}"
    );
    assert_eq!(taken.input(), Some(Input::NewEmail));
    let same = admin_changes_login(&p, "smith.family@example.net", "Smith.Family@example.net")
        .unwrap_err();
    assert!(
        matches!(same, Error::Refused(Refusal::SameLogin { .. })),
        "{same}"
    );
    let bad = admin_changes_login(&p, "smith.family@example.net", "jo smith").unwrap_err();
    assert_eq!(bad.input(), Some(Input::NewEmail));

    let changed =
        admin_changes_login(&p, "smith.family@example.net", "Jo.Smith@example.net").unwrap();
    assert_eq!(changed.old.as_str(), "smith.family@example.net");
    assert_eq!(changed.account.email.as_str(), "jo.smith@example.net");
    assert!(signs_in(&p, "jo.smith@example.net", MOTHER_PW));
    assert!(matches!(
        p.portal
            .holder_sign_in("smith.family@example.net", &secret(MOTHER_PW)),
        Err(Error::WrongCredentials)
    ));
    assert!(matches!(
        p.portal.account_by_email("smith.family@example.net"),
        Err(Error::NotFound(_))
    ));
    // The Control Panel finds it under its new login only, by its
    // beginning or by any other part of it.
    let listed = p.portal.list_accounts("jo.smith", None, 10).unwrap();
    assert_eq!(listed.items.len(), 1);
    let by_part = p.portal.list_accounts("smith@example", None, 10).unwrap();
    assert_eq!(by_part.items.len(), 1);
    assert_eq!(by_part.items[0].email.as_str(), "jo.smith@example.net");
    assert!(
        p.portal
            .list_accounts("family@example", None, 10)
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        p.portal
            .list_accounts("smith.family", None, 10)
            .unwrap()
            .items
            .is_empty()
    );
    let ev = last_of(&p, Action::LoginEmailChanged);
    assert_eq!(
        ev.outcome,
        "success (from smith.family@example.net to jo.smith@example.net; password unchanged)"
    );
    // The patient's guardian is the same account, under its new login.
    let g = p.portal.guardians("100005").unwrap();
    assert_eq!(g[0].email().as_str(), "jo.smith@example.net");
    // Its history is one: the reset, the sign-ins, the change.
    let history = p.portal.account_history(changed.account.id, 10).unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.action == Action::LoginEmailChanged)
    );
    assert!(history.iter().any(|e| e.action == Action::AccountCreated));
}

/// A patient born on 14 March 2014 (12 on 14 March 2026, 18 on 14 March
/// 2032), whose mother holds her account.
fn birthday_practice() -> Practice {
    let p = Practice::new();
    let csv = "account_number,last_name,first_name,date_of_birth,email\n200001,Okafor,Ada,2014-03-14,ngozi.okafor@example.com\n";
    p.portal
        .import_patients(&p.admin, "b.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    // 13 March 2026, 11:59 PM in New York (EDT from 8 March).
    p.clock.set(datetime!(2026-03-14 03:59:00 UTC));
    p.create_validate("200001");
    p
}

#[test]
fn access_is_limited_on_the_twelfth_birthday_at_the_practices_midnight() {
    let p = birthday_practice();
    let status = |p: &Practice| p.portal.guardians("200001").unwrap()[0].status;
    assert_eq!(
        status(&p),
        LinkStatus::Active {
            access: Access::Full,
            next: Some(Change::LimitedFrom {
                on: date!(2026 - 03 - 14)
            })
        }
    );
    let local = portal_admin::present::LocalTime::named("America/New_York").unwrap();
    assert_eq!(
        portal_admin::present::guardian_status(&p.portal.guardians("200001").unwrap()[0], &local),
        "full access, limited from Sat 14 Mar 2026"
    );
    // Midnight in New York, 04:00 UTC: twelve.
    p.clock.set(datetime!(2026-03-14 04:00:00 UTC));
    assert_eq!(
        status(&p),
        LinkStatus::Active {
            access: Access::Limited,
            next: Some(Change::Ends {
                on: date!(2032 - 03 - 14)
            })
        }
    );
    assert_eq!(
        portal_admin::present::guardian_summary(&p.portal.guardians("200001").unwrap()[0], &local),
        "ngozi.okafor@example.com (guardian): limited access, ends Sun 14 Mar 2032"
    );
    // A limited guardian can still be reset.
    p.create_validate("200001");
}

#[test]
fn an_ended_link_is_shown_as_ended_and_never_offered_for_a_reset() {
    let p = birthday_practice();
    // The evening before her 18th birthday (EST until 2 AM that Sunday):
    // still in effect.
    p.clock.set(datetime!(2032-03-14 04:59:00 UTC));
    assert!(!p.portal.guardians("200001").unwrap()[0].is_ended());
    p.create_validate("200001");
    // Her birthday, at the practice's midnight: ended.
    p.clock.set(datetime!(2032-03-14 05:00:00 UTC));
    let g = &p.portal.guardians("200001").unwrap()[0];
    assert_eq!(
        g.status,
        LinkStatus::Ended {
            on: date!(2032 - 03 - 14)
        }
    );
    let before = p.audit_count();
    for req in [
        checked("200001"),
        checked("200001").email(Some("ngozi.okafor@example.com")),
    ] {
        let err = p.portal.create_validate_with(&p.staff, &req).unwrap_err();
        assert_eq!(err.exit_code(), 10, "{err}");
        assert_eq!(
            err.to_string(),
            "permission denied: ngozi.okafor@example.com's access to patient 200001 ended on Sun 14 Mar 2032, when the patient turned 18 (guardians.end_at_age); the patient may have an account of their own"
        );
    }
    assert_eq!(p.audit_count(), before, "nothing changed");
    // No new guardian for an adult either…
    let err = p
        .portal
        .add_guardian(
            &p.staff,
            &add("200001", "chidi.okafor@example.com", Relationship::Father),
        )
        .unwrap_err();
    assert_eq!(err.exit_code(), 10, "{err}");
    // …but an account of her own, which is then the one Create/Validate resets.
    let own = p
        .portal
        .add_guardian(
            &p.staff,
            &add("200001", "ada.okafor@example.com", Relationship::Own),
        )
        .unwrap();
    assert_eq!(
        own.guardian.status,
        LinkStatus::Active {
            access: Access::Full,
            next: None
        }
    );
    let out = p
        .portal
        .create_validate_with(&p.staff, &checked("200001"))
        .unwrap();
    assert_eq!(out.email().as_str(), "ada.okafor@example.com");
    let view = p.portal.patient_view("200001").unwrap();
    assert_eq!(
        view.account.unwrap().email.as_str(),
        "ada.okafor@example.com"
    );
    assert!(view.guardians[0].is_ended());
}

#[test]
fn an_adult_patients_ended_link_becomes_their_own_account_with_its_password_unchanged() {
    // Ada's own address was her login before guardians were recorded: it
    // is linked as `guardian` and ends on her 18th birthday.
    let p = Practice::new();
    let csv = "account_number,last_name,first_name,date_of_birth,email\n200001,Okafor,Ada,2014-03-14,ada.okafor@example.com\n";
    p.portal
        .import_patients(&p.admin, "b.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let login = p.create_validate("200001");
    first_sign_in(
        &p,
        "ada.okafor@example.com",
        login.password.expose(),
        MOTHER_PW,
    );
    p.clock.set(datetime!(2032-03-14 05:00:00 UTC));
    assert!(p.portal.guardians("200001").unwrap()[0].is_ended());
    // As anything but her own account, it is still "already a guardian".
    let again = p
        .portal
        .add_guardian(
            &p.staff,
            &add("200001", "ada.okafor@example.com", Relationship::Mother),
        )
        .unwrap_err();
    assert!(
        matches!(again, Error::Refused(Refusal::AlreadyGuardian { .. })),
        "{again}"
    );
    // As her own: the plan says which link it replaces; the link becomes
    // `self`, the password stays, and Create/Validate resets it again.
    let req = add("200001", "ada.okafor@example.com", Relationship::Own);
    let plan = p.portal.plan_add_guardian(&req).unwrap();
    assert_eq!(
        plan.replaces.as_ref().map(|g| g.relationship),
        Some(Relationship::Guardian)
    );
    assert!(plan.existing.is_some());
    let own = p.portal.add_guardian(&p.staff, &req).unwrap();
    assert!(own.login.is_none());
    let g = p.portal.guardians("200001").unwrap();
    assert_eq!(g.len(), 1);
    assert_eq!(
        (g[0].relationship, g[0].status),
        (
            Relationship::Own,
            LinkStatus::Active {
                access: Access::Full,
                next: None
            }
        )
    );
    assert!(signs_in(&p, "ada.okafor@example.com", MOTHER_PW));
    assert_eq!(
        p.portal
            .account_by_email("ada.okafor@example.com")
            .unwrap()
            .patients,
        vec!["200001".to_owned()]
    );
    let ev = last_of(&p, Action::GuardianAdded);
    assert!(
        ev.outcome.starts_with(
            "success (self, full access; replaces the ended guardian link; password unchanged;"
        ),
        "{}",
        ev.outcome
    );
    p.create_validate("200001");
    // Done once: a second `self` is refused.
    let twice = p.portal.add_guardian(&p.staff, &req).unwrap_err();
    assert!(
        matches!(twice, Error::Refused(Refusal::AlreadyGuardian { .. })),
        "{twice}"
    );
    assert_eq!(p.portal.audit_verify().unwrap().problem, None);
}

#[test]
fn a_patient_may_have_an_account_of_their_own_from_thirteen_and_only_one() {
    let p = birthday_practice();
    // 11:59 PM EST on 13 March 2027.
    p.clock.set(datetime!(2027-03-14 04:59:00 UTC));
    let young = p
        .portal
        .add_guardian(
            &p.staff,
            &add("200001", "ada.okafor@example.com", Relationship::Own),
        )
        .unwrap_err();
    assert_eq!(
        young.to_string(),
        "patient 200001 is 12; a patient may have a portal account of their own from Sun 14 Mar 2027 (guardians.self_account_from_age)"
    );
    assert_eq!(
        (young.exit_code(), young.input()),
        (2, Some(Input::Relationship))
    );
    p.clock.set(datetime!(2027-03-14 05:00:00 UTC));
    p.portal
        .add_guardian(
            &p.staff,
            &add("200001", "ada.okafor@example.com", Relationship::Own),
        )
        .unwrap();
    let second = p
        .portal
        .add_guardian(
            &p.staff,
            &add("200001", "ada2@example.com", Relationship::Own),
        )
        .unwrap_err();
    assert!(
        matches!(second, Error::Refused(Refusal::OwnAccountExists { .. })),
        "{second}"
    );
    // Two guardians now: Create/Validate asks whose login.
    let ask = p
        .portal
        .create_validate_with(&p.staff, &checked("200001"))
        .unwrap_err();
    assert!(
        matches!(ask, Error::Refused(Refusal::ChooseGuardian { .. })),
        "{ask}"
    );
}

#[test]
fn create_validate_for_a_patient_past_the_end_age_makes_no_guardian_link() {
    let p = Practice::new();
    let csv = "account_number,last_name,first_name,date_of_birth,email\n200002,Ruiz,Leo,2007-01-01,leo.ruiz@example.com\n";
    p.portal
        .import_patients(&p.admin, "a.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let err = p
        .portal
        .create_validate_with(&p.staff, &checked("200002"))
        .unwrap_err();
    assert_eq!(err.exit_code(), 10);
    assert!(
        err.to_string().contains("when the patient turned 18"),
        "{err}"
    );
    // The practice's own rules decide: with guardians until 21 it is fine.
    let q = Practice::with_config(|c| c.guardians.end_at_age = 21);
    q.portal
        .import_patients(&q.admin, "a.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    q.create_validate("200002");
}

#[test]
fn the_age_rules_are_the_practices_and_nonsense_is_refused_naming_the_key() {
    for (toml, key) in [
        ("[guardians]\nend_at_age = 0\n", "guardians.end_at_age"),
        (
            "[guardians]\nlimited_from_age = 19\n",
            "guardians.limited_from_age",
        ),
        (
            "[guardians]\nend_at_age = 16\nself_account_from_age = 17\nlimited_from_age = 12\n",
            "guardians.self_account_from_age",
        ),
    ] {
        let msg = portal_admin::config::Config::from_toml(toml)
            .unwrap_err()
            .to_string();
        assert!(msg.contains(key), "{toml} -> {msg}");
    }
    let c = portal_admin::config::Config::from_toml(
        "[guardians]\nlimited_from_age = 13\nend_at_age = 21\nself_account_from_age = 16\n",
    )
    .unwrap();
    assert_eq!(c.guardians.rules().end_at_age, 21);
}

#[test]
fn a_demo_practices_accounts_are_their_patients_guardians() {
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(portal_admin::clock::ManualClock::monday_morning());
    let db = dir.path().join("demo.redb");
    let portal = portal_admin::Portal::create(&db, config_in(dir.path()), clock).unwrap();
    let summary = portal
        .seed_demo(&portal_admin::Portal::file_owner(), 200, &mut |_, _| {})
        .unwrap();
    assert!(summary.accounts > 0 && summary.second_parents > 0);
    let (mut linked, mut unlinked, mut two) = (0, 0, 0);
    let mut cursor = None;
    loop {
        let page = portal.search_patients("", cursor.as_deref(), 50).unwrap();
        for row in &page.items {
            let g = portal.guardians(row.account_number()).unwrap();
            match row.account_id {
                Some(id) => {
                    let no = row.account_number();
                    assert!(matches!(g.len(), 1 | 2), "{no}");
                    assert_eq!(
                        (g[0].account.id, g[0].relationship),
                        (id, Relationship::Guardian)
                    );
                    // A second parent signs in with their own email, and
                    // the desk finds the child by it.
                    if let Some(second) = g.get(1) {
                        assert_eq!(second.relationship, Relationship::Father);
                        assert_ne!(Some(second.email().as_str()), row.email());
                        let by_login = portal
                            .search_patients(second.email().as_str(), None, 50)
                            .unwrap();
                        assert!(
                            by_login.items.iter().any(|r| r.account_number() == no),
                            "{no} by {}",
                            second.email()
                        );
                        two += 1;
                    }
                    linked += 1;
                }
                None => {
                    assert!(g.is_empty());
                    unlinked += 1;
                }
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(linked + unlinked, 200);
    assert!(
        linked > 0 && unlinked > 0 && two > 0,
        "{linked} {unlinked} {two}"
    );
}

// ---- Through the real binary -------------------------------------------

fn guardian_add(bin: &Bin, patient: &str, email: &str, rel: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "guardian",
        "add",
        "--patient",
        patient,
        "--email",
        email,
        "--relationship",
        rel,
        "--identity-check",
        IDENTITY_CHECK,
    ];
    args.extend_from_slice(extra);
    bin.staff_run(&args, "")
}

#[test]
fn guardians_through_the_binary_add_list_reset_each_remove_and_change_a_login() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let (first, _, _) = bin.reset("100005");
    assert_eq!(first, "smith.family@example.net");

    // A second guardian: their own account, a temporary login on stdout.
    let out = guardian_add(&bin, "100005", "dan.smith@example.net", "father", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(field(&out.stdout, "username"), "dan.smith@example.net");
    assert!(field(&out.stdout, "temporary password").len() == 19);
    // Someone who has an account already: linked, password unchanged.
    let out = guardian_add(
        &bin,
        "100003",
        "smith.family@example.net",
        "other",
        &["--access", "limited"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "linked: smith.family@example.net added as other of patient 100003 (password unchanged)\n"
    );
    // Bad values: exit 2 naming the flag.
    let out = guardian_add(&bin, "100005", "x@example.net", "aunt", &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("mother, father, guardian, self or other"),
        "{}",
        out.stderr
    );
    let out = guardian_add(&bin, "100005", "dan.smith@example.net", "father", &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "portal-admin: dan.smith@example.net is already a guardian of patient 100005"
        ),
        "{}",
        out.stderr
    );

    let list = bin.ok(&["guardian", "list", "--patient", "100005"], "");
    assert_eq!(
        list,
        "smith.family@example.net\tguardian\tfull\tactive, limited from 2030-07-04\tACTIVE · RESET REQUIRED\n\
         dan.smith@example.net\tfather\tfull\tactive, limited from 2030-07-04\tACTIVE · RESET REQUIRED\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&bin.ok(&["guardian", "list", "--patient", "100005", "--json"], ""))
            .unwrap();
    assert_eq!(json[1]["relationship"], "father");
    assert_eq!(json[1]["status"]["status"], "active");
    assert_eq!(json[1]["account"]["email"], "dan.smith@example.net");

    // Create/Validate: whose? exit 2 listing them; a stranger: exit 7; each in turn.
    let reset = |extra: &[&str]| bin.staff_reset("100005", extra);
    let out = reset(&[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("patient 100005 has 2 guardians on the portal: smith.family@example.net (guardian), dan.smith@example.net (father); say whose login to reset (give it with --email)"),
        "{}",
        out.stderr
    );
    let out = reset(&["--email", "kathleen.obrien@example.org"]);
    assert_eq!(out.code, 7, "{}", out.stderr);
    for who in ["smith.family@example.net", "dan.smith@example.net"] {
        let out = reset(&["--email", who]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(field(&out.stdout, "username"), who);
    }

    // Removing is an administrator's, with a reason.
    let remove = [
        "guardian",
        "remove",
        "--patient",
        "100005",
        "--email",
        "smith.family@example.net",
    ];
    let mut with_reason = remove.to_vec();
    with_reason.extend(["--reason", "custody order of 2 Jan 2026"]);
    let out = bin.staff_run(&with_reason, "");
    assert_eq!(out.code, 10, "{}", out.stderr);
    let out = bin.admin_run(&remove, "");
    assert_eq!(out.code, 2, "no --reason: {}", out.stderr);
    let out = bin.admin_run(&with_reason, "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "removed: smith.family@example.net is no longer a guardian of patient 100005 (the account and its password stay)\n"
    );
    let list = bin.ok(&["guardian", "list", "--patient", "100005"], "");
    assert!(list.starts_with("dan.smith@example.net\tfather"), "{list}");
    assert_eq!(list.lines().count(), 1);

    // A new login for the father's account: administrators only.
    let change = [
        "account",
        "change-email",
        "--email",
        "dan.smith@example.net",
        "--new-email",
        "daniel@example.net",
    ];
    assert_eq!(bin.staff_run(&change, "").code, 10);
    let out = bin.admin_run(&change, "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "login changed: dan.smith@example.net is now daniel@example.net (password unchanged)\n"
    );
    let show = bin.ok(&["account", "show", "--patient", "100005"], "");
    assert!(
        show.contains("guardian: daniel@example.net · father · full"),
        "{show}"
    );
    let audit = bin.ok(&["audit", "list"], "");
    for action in ["guardian_added", "guardian_removed", "login_email_changed"] {
        assert!(audit.contains(action), "{action}: {audit}");
    }
    assert!(
        audit.contains("reason: custody order of 2 Jan 2026"),
        "{audit}"
    );
    // A backup keeps the guardians.
    let dest = home.path().join("copy.redb");
    bin.admin(&["backup", dest.to_str().unwrap()], "");
    let copied = bin.ok(
        &[
            "--db",
            dest.to_str().unwrap(),
            "guardian",
            "list",
            "--patient",
            "100005",
        ],
        "",
    );
    assert_eq!(
        copied,
        bin.ok(&["guardian", "list", "--patient", "100005"], "")
    );
    assert!(copied.starts_with("daniel@example.net\tfather"), "{copied}");
}

#[test]
fn a_link_ended_by_the_practices_age_rules_exits_10_with_the_reason() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    // Seán O'Brien (born 30 Nov 2016) and his mother's account.
    bin.reset("100003");
    // The practice ends guardians' access at 9: Seán is past it.
    let cfg = home.path().join("config.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("[guardians]\nlimited_from_age = 8\nend_at_age = 9\nself_account_from_age = 9\n");
    std::fs::write(&cfg, text).unwrap();
    let out = bin.staff_reset("100003", &[]);
    assert_eq!(out.code, 10, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("kathleen.obrien@example.org's access to patient 100003 ended on Sun 30 Nov 2025, when the patient turned 9"),
        "{}",
        out.stderr
    );
    let list = bin.ok(&["guardian", "list", "--patient", "100003"], "");
    assert!(list.contains("\tguardian\t-\tended 2025-11-30\t"), "{list}");
}

// ---- Finding 1: a guardian an administrator removed stays removed -------

/// Olivia Smith's mother, removed by the administrator (a custody order):
/// the patient has no guardian left, and her e-correspondent email is
/// still the mother's.
fn smith_mother_removed() -> Practice {
    let p = smith_with_mother();
    p.portal
        .remove_guardian(
            &p.admin,
            "100005",
            "smith.family@example.net",
            "custody order 12 Nov",
        )
        .unwrap();
    p
}

#[test]
fn a_guardian_removed_by_an_administrator_is_not_put_back_by_staff_create_validate() {
    let p = smith_mother_removed();
    let before = p.audit_count();
    let plan = p
        .portal
        .plan_create_validate(&p.staff, &checked("100005"))
        .unwrap_err();
    let err = p
        .portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap_err();
    for e in [&plan, &err] {
        assert!(
            matches!(e, Error::Refused(Refusal::GuardianRemoved { .. })),
            "{e}"
        );
        assert_eq!(e.exit_code(), 2);
        assert_eq!(e.input(), Some(Input::Email));
        let text = e.to_string();
        assert!(
            text.starts_with(
                "smith.family@example.net was removed as a guardian of patient 100005 by ana on "
            ),
            "{text}"
        );
        assert!(
            text.ends_with("; only an administrator can add them back"),
            "{text}"
        );
        // The reason (a custody matter) is the administrator's to read.
        assert!(!text.contains("custody"), "{text}");
    }
    assert!(p.portal.guardians("100005").unwrap().is_empty());
    assert_eq!(p.audit_count(), before);
    assert!(signs_in(&p, "smith.family@example.net", MOTHER_PW));
}

#[test]
fn a_guardian_removed_by_an_administrator_is_not_put_back_by_staff_adding_a_guardian() {
    let p = smith_mother_removed();
    let req = add("100005", "smith.family@example.net", Relationship::Mother);
    let plan = p.portal.plan_add_guardian_for(&p.staff, &req).unwrap_err();
    let err = p.portal.add_guardian(&p.staff, &req).unwrap_err();
    for e in [&plan, &err] {
        assert!(
            matches!(e, Error::Refused(Refusal::GuardianRemoved { .. })),
            "{e}"
        );
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string().contains("by ana on ")
                && e.to_string()
                    .contains("only an administrator can add them back"),
            "{e}"
        );
    }
    assert!(p.portal.guardians("100005").unwrap().is_empty());
    // Other patients are not concerned: the mother may be added elsewhere.
    p.portal
        .add_guardian(
            &p.staff,
            &add("100003", "smith.family@example.net", Relationship::Other),
        )
        .unwrap();
}

#[test]
fn an_administrator_adds_a_removed_guardian_back_told_when_and_why_it_was_removed() {
    // Through Create/Validate.
    let p = smith_mother_removed();
    let plan = p
        .portal
        .plan_create_validate(&p.admin, &checked("100005"))
        .unwrap();
    let removed = plan
        .removed
        .as_ref()
        .expect("the removal, for the confirmation");
    assert_eq!(removed.by, "ana");
    assert_eq!(removed.reason, "custody order 12 Nov");
    let note = portal_admin::present::removed_note(removed, p.portal.local_time());
    assert!(
        note.starts_with("The link was removed on ")
            && note.contains("by ana (reason: custody order 12 Nov)"),
        "{note}"
    );
    let out = p
        .portal
        .create_validate_with(&p.admin, &checked("100005"))
        .unwrap();
    assert!(out.login().is_none(), "a link: the password is unchanged");
    let ev = last_of(&p, Action::AccountLinked);
    assert!(signs_in(&p, "smith.family@example.net", MOTHER_PW));
    assert!(
        ev.outcome.contains("adds back the link ana removed on ")
            && ev.outcome.contains("(reason: custody order 12 Nov)"),
        "{}",
        ev.outcome
    );
    // Added back: staff reset it as any guardian's.
    p.portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();

    // Through adding a guardian.
    let p = smith_mother_removed();
    let req = add("100005", "smith.family@example.net", Relationship::Mother);
    let plan = p.portal.plan_add_guardian_for(&p.admin, &req).unwrap();
    assert_eq!(
        plan.removed.as_ref().map(|r| r.reason.as_str()),
        Some("custody order 12 Nov")
    );
    let added = p.portal.add_guardian(&p.admin, &req).unwrap();
    assert!(added.login.is_none());
    assert!(added.removed.is_some());
    assert_eq!(p.portal.guardians("100005").unwrap().len(), 1);
    // Removed again, the new removal is the one told.
    p.portal
        .remove_guardian(
            &p.admin,
            "100005",
            "smith.family@example.net",
            "second order",
        )
        .unwrap();
    let e = p.portal.add_guardian(&p.staff, &req).unwrap_err();
    assert!(
        matches!(e, Error::Refused(Refusal::GuardianRemoved { .. })),
        "{e}"
    );
    let plan = p.portal.plan_add_guardian(&req).unwrap();
    assert_eq!(
        plan.removed.map(|r| r.reason),
        Some("second order".to_owned())
    );
}

/// An administrator removes smith.family@example.net as a guardian of
/// patient 100005, giving a custody order as the reason.
fn remove_smith_family(bin: &Bin) {
    let mut args = vec!["guardian", "remove", "--patient", "100005"];
    args.extend(["--email", "smith.family@example.net"]);
    args.extend(["--reason", "custody order 12 Nov"]);
    bin.admin(&args, "");
}

#[test]
fn a_guardian_removed_by_an_administrator_is_refused_to_staff_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100005");
    remove_smith_family(&bin);
    let out = bin.staff_reset("100005", &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("smith.family@example.net was removed as a guardian of patient 100005 by ")
            && out
                .stderr
                .contains("only an administrator can add them back"),
        "{}",
        out.stderr
    );
    let out = guardian_add(&bin, "100005", "smith.family@example.net", "mother", &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("only an administrator can add them back"),
        "{}",
        out.stderr
    );
    assert_eq!(bin.ok(&["guardian", "list", "--patient", "100005"], ""), "");
    // An administrator adds her back and is told when and why she was removed.
    let args = [
        "guardian",
        "add",
        "--patient",
        "100005",
        "--email",
        "smith.family@example.net",
        "--relationship",
        "mother",
        "--identity-check",
        IDENTITY_CHECK,
    ];
    let out = bin.admin_run(&args, "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("linked: smith.family@example.net added as mother of patient 100005 (password unchanged)\nThe link was removed on ")
            && out.stdout.contains("(reason: custody order 12 Nov)"),
        "{}",
        out.stdout
    );
}

/// An administrator who puts a removed guardian back through Create/Validate
/// (`account reset`) is told when and why the link was removed, as
/// `guardian add` tells them.
#[test]
fn an_administrator_relinking_a_removed_guardian_with_account_reset_is_told_when_and_why() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100005");
    remove_smith_family(&bin);
    let out = bin.admin_reset("100005", &[]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("linked: patient 100005 added to smith.family@example.net (password unchanged)"),
        "{out}"
    );
    let note = lines.next().unwrap_or_default();
    assert!(
        note.starts_with("The link was removed on ")
            && note.ends_with(
                " by ana (reason: custody order 12 Nov); adding it back is your decision."
            ),
        "{out}"
    );
}

/// Finding 5: a removal's reason with a control character is refused with
/// a sentence about the reason, not the names' "look the same" one.
#[test]
fn a_reason_with_a_control_character_is_refused_with_a_sentence_about_the_reason() {
    let p = smith_with_mother();
    let err = p
        .portal
        .remove_guardian(
            &p.admin,
            "100005",
            "smith.family@example.net",
            "ok\u{1b}[2J\u{7}bad",
        )
        .unwrap_err();
    assert_eq!(err.input(), Some(Input::Reason));
    assert_eq!(
        err.to_string(),
        "the reason contains a control character (U+001B, character 3 of the field): type the reason as plain text: it is kept in the audit trail and read on screen"
    );
    assert_eq!(p.portal.guardians("100005").unwrap().len(), 1);
    // Names keep their own sentence.
    let name = portal_admin::domain::text::clean_field_because(
        "the last name",
        "Sm\u{1b}ith",
        80,
        "two names that look the same must be the same",
    )
    .unwrap_err();
    assert!(name.ends_with("two names that look the same must be the same"));

    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100005");
    let out = bin.admin_run(
        &[
            "guardian",
            "remove",
            "--patient",
            "100005",
            "--email",
            "smith.family@example.net",
            "--reason",
            "ok\u{1b}[2J\u{7}bad",
        ],
        "",
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the reason contains a control character")
            && out.stderr.contains("type the reason as plain text"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("names"), "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
}

/// Finding 3: the confirmation said "adds E's existing account"; an
/// administrator changed that account's login meanwhile. Adding with the
/// plan's expectation is refused as changed by someone else — no brand-new
/// account with a temporary login for the old address.
#[test]
fn add_guardian_commits_only_what_its_plan_promised() {
    let p = smith_with_mother();
    let gran = "kathleen.obrien@example.org";
    p.create_validate("100003");
    let req = add("100005", gran, Relationship::Other);
    let plan = p.portal.plan_add_guardian_for(&p.staff, &req).unwrap();
    assert!(plan.existing.is_some());
    let promised = req.clone().expect(plan.expectation());
    p.portal
        .change_login_email(&p.admin, gran, "kate@example.org", None)
        .unwrap();
    let before = p.audit_count();
    let err = p.portal.add_guardian(&p.staff, &promised).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    assert_eq!(err.exit_code(), 9);
    assert!(
        err.to_string().contains("was changed by someone else"),
        "{err}"
    );
    assert_eq!(p.audit_count(), before);
    assert_eq!(p.portal.guardians("100005").unwrap().len(), 1);
    assert!(
        p.portal.account_by_email(gran).is_err(),
        "no new account made"
    );

    // The other way round: the plan found no account, one exists now.
    let req = add("100005", "dan.smith@example.net", Relationship::Father);
    let plan = p.portal.plan_add_guardian(&req).unwrap();
    assert!(plan.existing.is_none());
    let promised = req.clone().expect(plan.expectation());
    p.portal
        .add_guardian(
            &p.staff,
            &AddGuardian::new("100003", "dan.smith@example.net", Relationship::Father)
                .identity_check(Some(IDENTITY_CHECK)),
        )
        .unwrap();
    let err = p.portal.add_guardian(&p.staff, &promised).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    // Planned again, it links the account that exists, as now promised.
    let plan = p.portal.plan_add_guardian(&req).unwrap();
    let added = p
        .portal
        .add_guardian(&p.staff, &req.expect(plan.expectation()))
        .unwrap();
    assert!(added.login.is_none());
}

/// Imports `csv` (the header added) as the administrator `ana`.
/// Create/Validate by staff that adds `patient` to an existing account,
/// its password unchanged.
fn linked_by_staff(p: &Practice, patient: &str) -> portal_admin::services::Linked {
    let outcome = p
        .portal
        .create_validate_with(&p.staff, &checked(patient))
        .unwrap();
    let portal_admin::services::CreateValidateOutcome::Linked(linked) = outcome else {
        panic!("{outcome:?}")
    };
    linked
}

fn import(p: &Practice, csv: &str, dry_run: bool) -> portal_admin::services::ImportReport {
    let csv = format!("account_number,last_name,first_name,date_of_birth,email\n{csv}");
    p.portal
        .import_patients(&p.admin, "r2.csv", csv.as_bytes(), 0, dry_run, &mut ())
        .unwrap()
}

fn email_of(p: &Practice, patient: &str) -> Option<String> {
    p.portal
        .patient_view(patient)
        .unwrap()
        .patient
        .email
        .map(|e| e.to_string())
}

/// R2 (fresh re-check, 2026-11-29): an import gave a child an email that
/// is another family's login without a word, and staff's next
/// Create/Validate linked the child to that family's account. The row is
/// still imported (the practice's records decide), but the import and its
/// dry run say so, once: only when the email changes to such a login or a
/// new patient arrives with it, never for the family's own login.
#[test]
fn an_import_moving_a_childs_email_to_another_familys_login_warns() {
    let p = smith_with_mother();
    let smith = "smith.family@example.net";
    let moved = "100003,O'Brien,Seán,2016-11-30,Smith.Family@example.net\n";
    let said = "patient 100003's e-correspondent email smith.family@example.net is the login of a portal account that does not hold this patient; a Create/Validate would link them to it";
    // The dry run warns and writes nothing.
    let before = p.audit_count();
    let dry = import(&p, moved, true);
    assert_eq!((dry.updated, dry.applied), (1, false));
    assert_eq!(dry.warnings.len(), 1, "{dry:?}");
    assert_eq!(
        (dry.warnings[0].line, dry.warnings[0].message.as_str()),
        (2, said)
    );
    assert!(dry.errors.is_empty());
    assert_eq!(
        email_of(&p, "100003").as_deref(),
        Some("kathleen.obrien@example.org")
    );
    assert_eq!(p.audit_count(), before, "a dry run writes nothing");
    // The import warns the same way and imports the row as before.
    let done = import(&p, moved, false);
    assert!(done.applied);
    assert_eq!(done.updated, 1);
    assert_eq!(done.warnings, dry.warnings);
    assert_eq!(email_of(&p, "100003").as_deref(), Some(smith));
    let ev = last_of(&p, Action::PatientsImported);
    assert!(
        ev.outcome.ends_with(
            "; warned: the e-correspondent email of patient 100003 is the login of a portal account that does not hold them"
        ),
        "{}",
        ev.outcome
    );
    // What it warned about: Create/Validate would link Seán to the Smiths'
    // account, and its confirmation names the patient that account holds.
    let plan = p.portal.create_validate_plan("100003", None).unwrap();
    assert!(
        portal_admin::present::plan_summary(&plan, p.portal.local_time()).starts_with(
            "adds this patient to the existing account of smith.family@example.net, which holds Smith, Olivia, born 4 Jul 2018, no. 100005: its password does not change"
        ),
        "{}",
        portal_admin::present::plan_summary(&plan, p.portal.local_time())
    );
    // The same file again: nothing changes, nothing is said.
    let again = import(&p, moved, false);
    assert_eq!((again.unchanged, again.warnings.len()), (1, 0), "{again:?}");
    // The family's own login: no warning.
    admin_changes_login(&p, smith, "jo.smith@example.net").unwrap();
    let own = import(
        &p,
        "100005,Smith,Olivia,2018-07-04,jo.smith@example.net\n",
        false,
    );
    assert_eq!((own.updated, own.warnings.len()), (1, 0), "{own:?}");
    // A new patient arriving with another family's login: warned.
    let new = import(
        &p,
        "100004,Nguyen,Minh,2020-01-02,\n100010,Newman,Kit,2020-02-02,jo.smith@example.net\n",
        true,
    );
    assert_eq!(new.created, 1);
    assert_eq!(new.warnings.len(), 1, "{new:?}");
    assert_eq!(new.warnings[0].line, 3);
    assert!(new.warnings[0].message.starts_with("patient 100010's"));
    // A patient on an account of their own family's, moved to another's
    // login: warned, with what Create/Validate does while the link lasts.
    p.create_validate("100001");
    let held = import(
        &p,
        "100001,García-López,José,2019-03-07,jo.smith@example.net\n",
        true,
    );
    assert_eq!(held.warnings.len(), 1, "{held:?}");
    assert!(
        held.warnings[0].message.ends_with(
            "does not hold this patient; once the patient has no guardian on the portal, a Create/Validate would link them to it"
        ),
        "{}",
        held.warnings[0].message
    );
}

/// R2 through the binary: `import --dry-run` and `import` print the
/// warning as `FILE:LINE: warning: …` on standard error and exit 0; the
/// dry run changes nothing; the same file again says nothing.
#[test]
fn an_import_moving_a_childs_email_to_another_familys_login_warns_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.admin_reset("100005", &[]);
    let csv = home.path().join("r2.csv");
    std::fs::write(
        &csv,
        "account_number,last_name,first_name,date_of_birth,email\n\
         100003,O'Brien,Seán,2016-11-30,smith.family@example.net\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    let warning = format!(
        "{csv}:2: warning: patient 100003's e-correspondent email smith.family@example.net is the login of a portal account that does not hold this patient; a Create/Validate would link them to it\n"
    );
    let before = bin.ok(&["patients", "search", "100003"], "");
    let dry = bin.admin_run(&["import", csv, "--dry-run"], "");
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(dry.stderr, warning);
    assert_eq!(
        dry.stdout,
        "would import 1 rows: 0 new, 1 updated, 0 unchanged\n"
    );
    assert_eq!(bin.ok(&["patients", "search", "100003"], ""), before);
    let done = bin.admin_run(&["import", csv], "");
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert_eq!(done.stderr, warning);
    assert!(
        bin.ok(&["patients", "search", "100003"], "")
            .contains("smith.family@example.net")
    );
    let again = bin.admin_run(&["import", csv], "");
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(!again.stderr.contains("warning"), "{}", again.stderr);
    assert_eq!(
        again.stdout,
        "imported 1 rows: 0 new, 0 updated, 1 unchanged\n"
    );
    // The link it warned about, the CLI's line naming the account's other
    // patient, and (finding 4's remainder) that she is no O'Brien.
    let linked = bin.staff_reset("100003", &[]);
    assert_eq!(
        linked.stdout,
        "linked: patient 100003 added to smith.family@example.net, which also holds Smith, Olivia, born 4 Jul 2018, no. 100005 (password unchanged)\n\
         None of the patients already on this account has this patient's last name (O'Brien): check with the parent that this login is their family's.\n"
    );
}

// ---- Fresh eyes, session 6, finding 1 ----------------------------------

/// The practice's count of portal accounts and its audit events other than
/// operators' sign-ins (each run of the binary signs its operator in),
/// read from the file the binary wrote (after it exited).
fn accounts_and_events(db: &std::path::Path) -> (u64, usize) {
    let dir = tempfile::tempdir().unwrap();
    let portal = portal_admin::services::Portal::open(
        db,
        config_in(dir.path()),
        std::sync::Arc::new(portal_admin::clock::ManualClock::monday_morning()),
    )
    .unwrap();
    let events = portal
        .audit_list(0, 100_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action != Action::OperatorSignIn)
        .count();
    (portal.practice().unwrap().accounts, events)
}

/// Finding 1 (HIGH) of fresh eyes, session 6: `guardian add` made a NEW
/// account whose login was another family's e-correspondent email, and
/// handed its temporary password to whoever stood at the desk; that
/// family's next Create/Validate then linked their child into it. Refused
/// now, before anything is written, naming the patients and what to do;
/// the family's own way (Create/Validate them first, then link) still works.
#[test]
fn fresh_s6_1_guardian_add_refuses_a_new_login_that_is_another_familys_email() {
    let p = Practice::new();
    let before = p.audit_count();
    let obrien = "kathleen.obrien@example.org";
    // Minh Nguyen (no email on file) "gets a father" at the O'Briens' address.
    let req = add("100004", obrien, Relationship::Father);
    let planned = p.portal.plan_add_guardian_for(&p.staff, &req).unwrap_err();
    assert!(
        matches!(
            planned,
            Error::Refused(Refusal::NewLoginIsAnotherFamilysEmail { .. })
        ),
        "{planned}"
    );
    assert_eq!(
        planned.to_string(),
        "kathleen.obrien@example.org is the e-correspondent email of patient 100003 (not this patient): that family's account is made from their record. Create/Validate one of them first, then add this patient to that account as a guardian"
    );
    assert_eq!(planned.input(), Some(Input::Email), "said under the email");
    for s in [&p.staff, &p.admin] {
        let e = p.portal.add_guardian(s, &req).unwrap_err();
        assert_eq!(e.to_string(), planned.to_string());
    }
    // Two patients of another family, named both; a patient who has an
    // email of their own is refused the same.
    let garcia = p
        .portal
        .add_guardian(
            &p.staff,
            &add("100005", "Maria.Garcia@example.com", Relationship::Mother),
        )
        .unwrap_err();
    assert!(
        garcia
            .to_string()
            .contains("of patients 100001 and 100002 (not this patient)"),
        "{garcia}"
    );
    assert_eq!(p.audit_count(), before, "nothing written");
    assert!(
        p.portal.account_by_email(obrien).is_err(),
        "no account made"
    );
    assert!(p.portal.guardians("100004").unwrap().is_empty());
    // Seán's own Create/Validate still makes the O'Briens' account, for him.
    let login = p.create_validate("100003");
    assert_eq!(login.username.as_str(), obrien);
    // The family's way: the account exists, and adding Minh links it,
    // its password unchanged.
    first_sign_in(&p, obrien, login.password.expose(), MOTHER_PW);
    let linked = p
        .portal
        .add_guardian(&p.staff, &add("100004", obrien, Relationship::Father))
        .unwrap();
    assert!(linked.login.is_none(), "linked, no temporary password");
    assert_eq!(
        p.portal.account_by_email(obrien).unwrap().patients,
        ["100003", "100004"]
    );
    assert!(signs_in(&p, obrien, MOTHER_PW));
    // A patient's OWN e-correspondent email, shared with a sibling by the
    // practice's records: a new account at it is the family's own.
    let own = p
        .portal
        .add_guardian(
            &p.staff,
            &add("100001", "maria.garcia@example.com", Relationship::Mother),
        )
        .unwrap();
    assert!(own.login.is_some(), "a new account for the Garcías");
    let sibling = p.portal.create_validate_with(&p.staff, &checked("100002"));
    assert!(
        matches!(
            sibling,
            Ok(portal_admin::services::CreateValidateOutcome::Linked(_))
        ),
        "the sibling joins it"
    );
}

/// Finding 1, the other route: `account reset --email E` (Create/Validate
/// for a patient with no email on file, the app's F2) made a NEW account at
/// another family's e-correspondent email. Refused in the plan (what the
/// app shows before its confirmation) and in the change, for staff and
/// administrators; nothing written, the patient's email not recorded.
#[test]
fn fresh_s6_1_account_reset_email_refuses_a_new_login_that_is_another_familys_email() {
    let p = Practice::new();
    let before = p.audit_count();
    let obrien = "kathleen.obrien@example.org";
    let planned = p
        .portal
        .create_validate_plan("100004", Some(obrien))
        .unwrap_err();
    assert!(
        matches!(
            planned,
            Error::Refused(Refusal::NewLoginIsAnotherFamilysEmail { .. })
        ),
        "{planned}"
    );
    assert!(
        planned
            .to_string()
            .starts_with("kathleen.obrien@example.org is the e-correspondent email of patient 100003 (not this patient)"),
        "{planned}"
    );
    assert_eq!(planned.input(), Some(Input::Email));
    for s in [&p.staff, &p.admin] {
        let e = p
            .portal
            .create_validate_with(s, &checked("100004").email(Some(obrien)))
            .unwrap_err();
        assert_eq!(e.to_string(), planned.to_string());
    }
    assert_eq!(p.audit_count(), before, "nothing written");
    assert!(p.portal.account_by_email(obrien).is_err());
    assert_eq!(email_of(&p, "100004"), None, "no email recorded");
    // An address nobody's record has is still fine.
    let fine = p
        .portal
        .create_validate_with(
            &p.staff,
            &checked("100004").email(Some("minh.parent@example.org")),
        )
        .unwrap();
    assert!(fine.login().is_some());
    assert_eq!(
        email_of(&p, "100004").as_deref(),
        Some("minh.parent@example.org")
    );
}

/// Finding 1 through the real binary: both routes exit 2 with the sentence
/// on standard error, print no temporary password, and write nothing (the
/// file's account and audit counts are as before).
#[test]
fn fresh_s6_1_a_new_login_that_is_another_familys_email_exits_2_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    let obrien = "kathleen.obrien@example.org";
    let before = accounts_and_events(&bin.db());
    let added = guardian_add(&bin, "100004", obrien, "father", &[]);
    let reset = bin.staff_reset("100004", &["--email", obrien]);
    for out in [&added, &reset] {
        assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(
                "kathleen.obrien@example.org is the e-correspondent email of patient 100003 (not this patient)"
            ) && out.stderr.contains("Create/Validate one of them first"),
            "{}",
            out.stderr
        );
        assert!(!out.stdout.contains("temporary password"), "{}", out.stdout);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
    assert_eq!(accounts_and_events(&bin.db()), before, "nothing written");
    // The family's own way through the binary: Seán first, then Minh links.
    bin.staff_reset("100003", &[]);
    let linked = guardian_add(&bin, "100004", obrien, "father", &[]);
    assert_eq!(linked.code, 0, "{}", linked.stderr);
    assert!(
        !linked.stdout.contains("temporary password"),
        "{}",
        linked.stdout
    );
}

/// Finding 4 (MEDIUM) of fresh eyes, session 6: the Create/Validate
/// confirmation and the CLI's `linked:` line named the account's other
/// patients by number only, and F3's confirmation for an existing login
/// named none: a clerk on the phone could not see an "Ohara" child joining
/// the "Big" family's login. Now each is named as the Account pane names
/// them (name, date of birth in the practice's format, number), five at
/// most, then how many more; one line for the CLI.
#[test]
fn fresh_s6_4_link_confirmations_name_the_accounts_patients() {
    let p = Practice::new();
    let mut csv = String::new();
    for i in 0..7 {
        csv.push_str(&format!(
            "20000{i},Big,Kid{i},2019-01-0{},big.family@kids.test\n",
            i + 1
        ));
    }
    csv.push_str("200009,Ohara,Liam,2017-01-03,big.family@kids.test\n");
    import(&p, &csv, false);
    p.create_validate("200000");
    for i in 1..7 {
        p.portal
            .create_validate_with(&p.staff, &checked(&format!("20000{i}")))
            .unwrap();
    }
    let local = p.portal.local_time();
    let five = "Big, Kid0, born 1 Jan 2019, no. 200000; Big, Kid1, born 2 Jan 2019, no. 200001; Big, Kid2, born 3 Jan 2019, no. 200002; Big, Kid3, born 4 Jan 2019, no. 200003; Big, Kid4, born 5 Jan 2019, no. 200004; and 2 more";
    // Create/Validate for Liam Ohara: the confirmation names the Bigs.
    let plan = p.portal.create_validate_plan("200009", None).unwrap();
    assert_eq!(
        portal_admin::present::plan_summary(&plan, local),
        format!(
            "adds this patient to the existing account of big.family@kids.test, which holds {five}: its password does not change"
        )
    );
    // F3 for Olivia Smith at the Bigs' login: the plan holds the seven.
    let g = p
        .portal
        .plan_add_guardian_for(
            &p.staff,
            &add("100005", "big.family@kids.test", Relationship::Father),
        )
        .unwrap();
    assert_eq!(g.holds.len(), 7);
    assert_eq!(
        portal_admin::present::which_holds("which holds", &g.holds, "", local),
        format!(", which holds {five}")
    );
    // The link itself: the CLI's one line names the account's others.
    let linked = &linked_by_staff(&p, "200009");
    let line = portal_admin::present::linked_line(linked, local);
    assert_eq!(
        line,
        format!(
            "linked: patient 200009 added to big.family@kids.test, which also holds {five} (password unchanged)"
        )
    );
    assert!(!line.contains('\n'));
}

/// Finding 4's remainder (fresh eyes, session 6): an import gave Liam Ohara
/// the O'Briens' login as his e-correspondent email; Create/Validate would
/// add him to Seán O'Brien's account. The plan says that none of the
/// account's patients has his last name, the note asks staff to check with
/// the parent, the link is still made (never a refusal), and its audit
/// event says so. A sibling (García-López joining García-López) and a
/// family where one child shares the name are never told.
#[test]
fn fresh_s6_4_a_link_to_an_account_of_another_surname_says_so() {
    let p = Practice::new();
    p.create_validate("100001");
    p.create_validate("100003");
    import(
        &p,
        "200009,Ohara,Liam,2017-01-03,kathleen.obrien@example.org\n\
         200010,O'Brien-Walsh,Aoife,2018-02-04,kathleen.obrien@example.org\n\
         200011,Walsh,Cian,2018-02-04,kathleen.obrien@example.org\n",
        false,
    );
    let note = "None of the patients already on this account has this patient's last name (Ohara): check with the parent that this login is their family's.";
    // The sibling: nothing said.
    let sibling = p.portal.create_validate_plan("100002", None).unwrap();
    assert!(!sibling.no_common_last_name, "{sibling:?}");
    // Liam Ohara: said, in the plan the confirmation shows.
    let plan = p.portal.create_validate_plan("200009", None).unwrap();
    assert!(plan.no_common_last_name, "{plan:?}");
    assert_eq!(
        portal_admin::present::no_common_last_name_note(&plan.patient),
        note
    );
    // Never a refusal: the link is made, the account's password unchanged.
    let linked = &linked_by_staff(&p, "200009");
    assert!(linked.no_common_last_name);
    let event = last_event(&p);
    assert_eq!(event.action, Action::AccountLinked);
    assert!(
        event
            .outcome
            .contains("no patient on the account shares this patient's last name"),
        "{event:?}"
    );
    // Aoife O'Brien-Walsh shares "O'Brien" with Seán: nothing said. With
    // her on it, Cian Walsh shares "Walsh" with her: nothing said either.
    let aoife = p.portal.create_validate_plan("200010", None).unwrap();
    assert!(!aoife.no_common_last_name, "{aoife:?}");
    p.portal
        .create_validate_with(&p.staff, &checked("200010"))
        .unwrap();
    let cian = p.portal.create_validate_plan("200011", None).unwrap();
    assert!(!cian.no_common_last_name, "{cian:?}");
    let event = p.portal.create_validate_with(&p.staff, &checked("200011"));
    assert!(event.is_ok());
    assert!(
        !last_event(&p).outcome.contains("last name"),
        "{:?}",
        last_event(&p)
    );
}

/// The same through the binary: `account reset` for Liam Ohara prints the
/// `linked:` line and the note after it; with `--reset-password` the login
/// alone is on standard output and the note on standard error. A sibling's
/// link prints no note.
#[test]
fn fresh_s6_4_a_link_to_an_account_of_another_surname_says_so_through_the_binary() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.practice();
    bin.reset("100001");
    bin.reset("100003");
    let csv = home.path().join("more.csv");
    std::fs::write(
        &csv,
        "account_number,last_name,first_name,date_of_birth,email\n\
         200009,Ohara,Liam,2017-01-03,kathleen.obrien@example.org\n\
         200012,Ohara,Niamh,2019-05-06,kathleen.obrien@example.org\n\
         200013,Kelly,Rory,2016-07-08,kathleen.obrien@example.org\n",
    )
    .unwrap();
    bin.admin(&["import", csv.to_str().unwrap()], "");
    let note = |name: &str| {
        format!(
            "None of the patients already on this account has this patient's last name ({name}): check with the parent that this login is their family's."
        )
    };
    let liam = bin.staff_reset("200009", &[]);
    assert_eq!(liam.code, 0, "{}{}", liam.stdout, liam.stderr);
    let lines: Vec<&str> = liam.stdout.lines().collect();
    assert!(
        lines[0].starts_with("linked: patient 200009 added to kathleen.obrien@example.org, which also holds O'Brien, Seán"),
        "{}",
        liam.stdout
    );
    assert_eq!(lines[1], note("Ohara"), "{}", liam.stdout);
    // Niamh joins an account that now holds an Ohara: her brother.
    let niamh = bin.staff_reset("200012", &[]);
    assert_eq!(niamh.code, 0, "{}{}", niamh.stdout, niamh.stderr);
    assert!(
        !niamh.stdout.contains("None of the patients"),
        "{}",
        niamh.stdout
    );
    // Rory Kelly, with the password reset: the login alone on standard
    // output, the note on standard error.
    let rory = bin.staff_reset("200013", &["--reset-password"]);
    assert_eq!(rory.code, 0, "{}{}", rory.stdout, rory.stderr);
    assert!(
        rory.stdout.contains("temporary password"),
        "{}",
        rory.stdout
    );
    assert!(
        !rory.stdout.contains("None of the patients"),
        "{}",
        rory.stdout
    );
    assert!(rory.stderr.contains(&note("Kelly")), "{}", rory.stderr);
    // The Garcías' sibling, with its password reset: the login, no note.
    let sofia = bin.staff_reset("100002", &["--reset-password"]);
    assert_eq!(sofia.code, 0, "{}{}", sofia.stdout, sofia.stderr);
    assert!(
        !sofia.stderr.contains("None of the patients"),
        "{}",
        sofia.stderr
    );
}
