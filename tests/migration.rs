//! A database written by an older portal-admin (tests/fixtures, see its
//! README) opens: a copy of it is kept beside it, then it is upgraded step by
//! step (1 → 2 → 3 → 4 → 5) with every patient, link, account, operator and audit
//! event kept, the audit chain intact, searches working the new way, and
//! every patient's portal account its guardian.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use portal_admin::Portal;
use portal_admin::clock::ManualClock;
use portal_admin::domain::guardian::Change;
use portal_admin::domain::{
    Access, Action, AuditEvent, LinkStatus, Operator, Patient, PortalAccount, PortalSetup,
    Relationship,
};
use portal_admin::services::{AddGuardian, CreateValidate};
use redb::{ReadableDatabase, ReadableTableMetadata, TableDefinition};
use serde::Deserialize;
use time::macros::date;

#[derive(Deserialize)]
struct Manifest {
    portal_setup: PortalSetup,
    patients: Vec<Patient>,
    links: Vec<(String, Option<u64>)>,
    accounts: Vec<PortalAccount>,
    operators: Vec<Operator>,
    audit: Vec<AuditEvent>,
}

/// A copy of the fixture of schema `version` as `portal.redb` in `dir`,
/// and what it held.
fn fixture(dir: &Path, version: u32) -> (std::path::PathBuf, Manifest) {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = dir.join("portal.redb");
    std::fs::copy(here.join(format!("schema-{version}.redb")), &db).unwrap();
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(here.join(format!("schema-{version}.json"))).unwrap(),
    )
    .unwrap();
    (db, manifest)
}

/// Everything `was` held is in the upgraded file: the setup, every patient
/// and its portal account, every account (its record the very same),
/// operators, the old audit trail followed by one event per step
/// (`steps`, each saying what it upgraded) and the chain verifying — and
/// every patient on an account has that account as its one guardian,
/// `guardian` with full access since the account was made. Returns the
/// steps' events. See also [`same_account_records`].
fn kept_everything(portal: &Portal, was: &Manifest, steps: &[&str]) -> Vec<AuditEvent> {
    assert_eq!(
        portal.portal_setup().unwrap(),
        Some(was.portal_setup.clone())
    );
    for p in &was.patients {
        assert_eq!(&portal.patient_view(&p.account_number).unwrap().patient, p);
    }
    for (no, link) in &was.links {
        let view = portal.patient_view(no).unwrap();
        assert_eq!(view.account.as_ref().map(|a| a.id), *link, "{no}");
        let guardians = portal.guardians(no).unwrap();
        match link {
            None => assert!(guardians.is_empty(), "{no}: {guardians:?}"),
            Some(id) => {
                let acc = was.accounts.iter().find(|a| a.id == *id).unwrap();
                assert_eq!(guardians.len(), 1, "{no}");
                let g = &guardians[0];
                assert_eq!(
                    (g.account.id, g.relationship, g.granted, g.since),
                    (*id, Relationship::Guardian, Access::Full, acc.created_at),
                    "{no}"
                );
                assert_eq!(view.guardians, guardians);
            }
        }
    }
    for a in &was.accounts {
        let view = portal.account_by_email(a.email.as_str()).unwrap();
        assert_eq!(
            (view.id, &view.patients, view.version, view.failed_count),
            (a.id, &a.patients, a.version, a.failed_count)
        );
    }
    let practice = portal.practice().unwrap();
    assert_eq!(
        (practice.patients, practice.accounts, practice.operators),
        (
            was.patients.len() as u64,
            was.accounts.len() as u64,
            was.operators.len() as u64
        )
    );
    assert_eq!(portal.operators().unwrap(), was.operators);

    // The audit trail: every old event, then one per step, chained.
    let trail = portal.audit_list(0, 1000).unwrap();
    assert_eq!(trail[..was.audit.len()], was.audit[..]);
    assert_eq!(trail.len(), was.audit.len() + steps.len());
    let upgrades = trail[was.audit.len()..].to_vec();
    for (ev, step) in upgrades.iter().zip(steps) {
        assert_eq!(ev.action, Action::DatabaseUpgraded);
        // The user who opened the file.
        assert!(ev.actor.starts_with("local:"), "{}", ev.actor);
        assert!(ev.target.contains(step), "{}: {step}", ev.target);
    }
    let report = portal.audit_verify().unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.events, trail.len() as u64);

    upgrades
}

/// Every account record (hash included) is the very same in the file
/// (read with redb itself, once portal-admin has let go of it).
fn same_account_records(db: &Path, was: &Manifest) {
    same_account_records_but(db, was, &[]);
}

/// [`same_account_records`] but for the accounts of `changed` logins,
/// which the test itself changed after the upgrade.
fn same_account_records_but(db: &Path, was: &Manifest, changed: &[&str]) {
    let file = redb::ReadOnlyDatabase::open(db).unwrap();
    let tx = file.begin_read().unwrap();
    let accounts = tx
        .open_table(TableDefinition::<u64, &[u8]>::new("accounts"))
        .unwrap();
    assert_eq!(accounts.len().unwrap(), was.accounts.len() as u64);
    for a in was
        .accounts
        .iter()
        .filter(|a| !changed.contains(&a.email.as_str()))
    {
        let stored: PortalAccount =
            serde_json::from_slice(accounts.get(a.id).unwrap().unwrap().value()).unwrap();
        assert_eq!(&stored, a);
    }
}

/// The copy an upgrade left beside the file, `portal.redb.schema-N.bak`:
/// of schema `version`, with every patient and audit event `was` held.
fn backup_as_it_was(dir: &Path, version: u32, was: &Manifest) -> redb::ReadTransaction {
    let old = redb::ReadOnlyDatabase::open(dir.join(format!("portal.redb.schema-{version}.bak")))
        .unwrap();
    let tx = old.begin_read().unwrap();
    let meta = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    assert_eq!(
        meta.get("schema_version").unwrap().unwrap().value(),
        version.to_string().as_bytes()
    );
    let patients = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("patients"))
        .unwrap();
    assert_eq!(patients.len().unwrap(), was.patients.len() as u64);
    let audit = tx
        .open_table(TableDefinition::<u64, &[u8]>::new("audit"))
        .unwrap();
    assert_eq!(audit.len().unwrap(), was.audit.len() as u64);
    tx
}

fn open(dir: &Path, db: &Path) -> Portal {
    Portal::open(db, config_in(dir), Arc::new(ManualClock::monday_morning())).unwrap()
}

#[test]
fn a_schema_1_file_is_kept_as_a_backup_and_upgraded_with_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, was) = fixture(dir.path(), 1);
    let portal = open(dir.path(), &db);

    // Everything that was there still is, through both steps; the copy is
    // of the file as it was, taken once before the first.
    let steps = kept_everything(
        &portal,
        &was,
        &[
            "database from schema 1 to 2 (copy of the old file: ",
            "database from schema 2 to 3: 5 patients on a portal account linked to it as guardian, full access",
            "database from schema 3 to 4: 3 patients with a name of several parts indexed by each part",
            "database from schema 4 to 5: 0 guardian links indexed by a login that is not the patient's own email",
        ],
    );
    assert!(
        steps[0].target.ends_with("portal.redb.schema-1.bak)"),
        "{}",
        steps[0].target
    );
    assert!(!steps[1].target.contains(".bak"), "{}", steps[1].target);
    assert!(!steps[2].target.contains(".bak"), "{}", steps[2].target);
    assert!(!dir.path().join("portal.redb.schema-2.bak").exists());
    assert!(!dir.path().join("portal.redb.schema-3.bak").exists());

    // The new search works on the old data; the links show in the rows.
    for (q, want) in [
        ("garcia, jo", "100001"),
        ("jose garcia", "100001"),
        ("lopez sofia", "100002"),
        ("sean", "100003"),
        ("o brien", "100003"),
        ("3/7/19", "100001"),
        ("moore", ""),
        ("@example.org", "100003"),
    ] {
        let rows = portal.search_patients(q, None, 10).unwrap().items;
        match want {
            "" => assert!(rows.is_empty(), "{q}: {rows:?}"),
            no => assert_eq!(rows[0].account_number(), no, "{q}"),
        }
    }
    let garcia = portal.search_patients("garcia", None, 10).unwrap().items;
    assert_eq!(garcia[0].account_id, Some(1));
    assert_eq!(
        portal.list_accounts("obrien", None, 10).unwrap().items[0].id,
        4
    );
    drop(portal);
    same_account_records(&db, &was);

    // The copy beside it is the schema-1 file as it was, readable by the
    // portal-admin that wrote it (same tables, same rows).
    let tx = backup_as_it_was(dir.path(), 1, &was);
    let patients = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("patients"))
        .unwrap();
    let json: Patient =
        serde_json::from_slice(patients.get("100001").unwrap().unwrap().value()).unwrap();
    assert_eq!(json, was.patients[0]);
    let links = tx
        .open_table(TableDefinition::<&str, u64>::new("patient_account"))
        .unwrap();
    assert_eq!(links.len().unwrap(), 5);

    // Opened again: nothing more to do.
    let portal = open(dir.path(), &db);
    assert_eq!(
        portal.audit_list(0, 1000).unwrap().len(),
        was.audit.len() + 4
    );
    assert!(!dir.path().join("portal.redb.schema-1.2.bak").exists());
}

#[test]
fn an_upgrade_never_overwrites_an_earlier_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = fixture(dir.path(), 1);
    let earlier = dir.path().join("portal.redb.schema-1.bak");
    std::fs::write(&earlier, b"an earlier copy").unwrap();
    drop(open(dir.path(), &db));
    assert_eq!(std::fs::read(&earlier).unwrap(), b"an earlier copy");
    assert!(dir.path().join("portal.redb.schema-1.2.bak").exists());
}

#[test]
fn the_binary_upgrades_an_old_file_and_says_where_the_copy_is() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(here.join("schema-1.redb"), bin.db()).unwrap();
    bin.upgrades_the_schema_1_fixture_whole();
    // The patient's portal account is now its guardian.
    let list = bin.ok(&["guardian", "list", "--patient", "100001"], "");
    assert!(
        list.starts_with(
            "maria.garcia@example.com\tguardian\tfull\tactive, limited from 2031-03-07\t"
        ),
        "{list}"
    );
}

#[test]
fn a_schema_2_file_is_kept_as_a_backup_and_its_portal_accounts_become_guardians() {
    let dir = tempfile::tempdir().unwrap();
    let (db, was) = fixture(dir.path(), 2);
    let portal = open(dir.path(), &db);
    let steps = kept_everything(
        &portal,
        &was,
        &[
            "database from schema 2 to 3: 6 patients on a portal account linked to it as guardian, full access (copy of the old file: ",
            "database from schema 3 to 4: 3 patients with a name of several parts",
            "database from schema 4 to 5: 0 guardian links indexed by a login that is not the patient's own email",
        ],
    );
    assert!(
        steps[0].target.ends_with("portal.redb.schema-2.bak)"),
        "{}",
        steps[0].target
    );

    // The siblings' one account is the guardian of both; the age rules
    // apply from now on: Seán (9) is limited from his 12th birthday.
    let garcia = portal.guardians("100001").unwrap()[0].account.id;
    assert_eq!(portal.guardians("100002").unwrap()[0].account.id, garcia);
    assert_eq!(
        portal.guardians("100003").unwrap()[0].status,
        LinkStatus::Active {
            access: Access::Full,
            next: Some(Change::LimitedFrom {
                on: date!(2028 - 11 - 30)
            })
        }
    );
    // No password changed: the Smiths' own still signs them in, and its
    // mistyped attempt is still counted.
    assert!(matches!(
        portal.holder_sign_in(
            "smith.family@example.net",
            &secret("amber-lantern-fjord-pickle")
        ),
        Ok(portal_admin::services::SignIn::SignedIn)
    ));
    // Create/Validate resets the one guardian, as before.
    let staff = portal.operator_sign_in("sam", &STAFF_PW.into()).unwrap();
    let checked = |no: &str| CreateValidate::patient(no).identity_check(Some(IDENTITY_CHECK));
    let out = portal
        .create_validate_with(&staff, &checked("100005"))
        .unwrap();
    assert_eq!(out.email().as_str(), "smith.family@example.net");

    // Camila Reyes was 19 before the upgrade, on her own address: linked
    // as `guardian`, that link has ended (the documented default), and
    // staff make it her own account — its password unchanged.
    let camila = &portal.guardians("100006").unwrap()[0];
    assert_eq!(
        camila.status,
        LinkStatus::Ended {
            on: date!(2024 - 05 - 20)
        }
    );
    let ended = portal
        .create_validate_with(&staff, &checked("100006"))
        .unwrap_err();
    assert_eq!(ended.exit_code(), 10, "{ended}");
    let own = portal
        .add_guardian(
            &staff,
            &AddGuardian::new("100006", "camila.reyes@example.com", Relationship::Own)
                .identity_check(Some(IDENTITY_CHECK)),
        )
        .unwrap();
    assert!(own.login.is_none());
    let out = portal
        .create_validate_with(&staff, &checked("100006"))
        .unwrap();
    assert_eq!(out.email().as_str(), "camila.reyes@example.com");
    assert_eq!(portal.audit_verify().unwrap().problem, None);
    drop(portal);
    same_account_records_but(
        &db,
        &was,
        &["smith.family@example.net", "camila.reyes@example.com"],
    );

    // The copy beside it is the schema-2 file as it was: no guardians.
    let tx = backup_as_it_was(dir.path(), 2, &was);
    assert!(
        tx.open_table(TableDefinition::<(&str, u64), &[u8]>::new("guardians"))
            .is_err()
    );
}

#[test]
fn a_schema_3_file_gets_an_index_of_the_names_of_several_parts() {
    // The schema-2 fixture as the release of schema 3 upgraded it: what it
    // held is the schema-2 manifest, and the 2 → 3 step's event is in its
    // trail already.
    let dir = tempfile::tempdir().unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (db, was) = fixture(dir.path(), 2);
    std::fs::copy(here.join("schema-3.redb"), &db).unwrap();
    let portal = open(dir.path(), &db);
    let steps = kept_everything(
        &portal,
        &was,
        &[
            "database from schema 2 to 3: 6 patients on a portal account",
            "database from schema 3 to 4: 3 patients with a name of several parts indexed by each part (copy of the old file: ",
            "database from schema 4 to 5: 0 guardian links indexed by a login that is not the patient's own email",
        ],
    );
    assert!(
        steps[1].target.ends_with("portal.redb.schema-3.bak)"),
        "{}",
        steps[1].target
    );
    // Words that no one name part begins together read the new index: the
    // García-López siblings and Seán O'Brien are in it.
    for (q, want) in [
        ("jose lopez", vec!["100001"]),
        ("lopez sofia", vec!["100002"]),
        ("brien sean", vec!["100003"]),
        ("j l", vec!["100001"]),
        ("s b", vec!["100003"]),
        ("minh smith", vec![]),
    ] {
        assert_eq!(found_in(&portal, q), want, "{q}");
    }
    drop(portal);
    same_account_records(&db, &was);

    // The copy is the schema-3 file as it was: no such index.
    let old = redb::ReadOnlyDatabase::open(dir.path().join("portal.redb.schema-3.bak")).unwrap();
    let tx = old.begin_read().unwrap();
    let meta = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    assert_eq!(meta.get("schema_version").unwrap().unwrap().value(), b"3");
    assert!(
        tx.open_table(TableDefinition::<&str, &[u8]>::new("idx_patient_multi"))
            .is_err()
    );
}

/// The schema-4 fixture holds the two kinds of guardian a login index is
/// for: José's stepfather with a login of his own, and Olivia Smith's
/// mother, whose login an administrator changed away from the child's
/// e-correspondent email. The 4 → 5 step lists both; every search finds
/// what it found before, now through the index; the copy is the schema-4
/// file as it was.
#[test]
fn a_schema_4_file_gets_an_index_of_its_guardians_logins() {
    let dir = tempfile::tempdir().unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = dir.path().join("portal.redb");
    std::fs::copy(here.join("schema-4.redb"), &db).unwrap();
    let events_before = {
        let old = redb::ReadOnlyDatabase::open(&db).unwrap();
        let tx = old.begin_read().unwrap();
        tx.open_table(TableDefinition::<u64, &[u8]>::new("audit"))
            .unwrap()
            .len()
            .unwrap()
    };
    let portal = open(dir.path(), &db);
    assert_eq!(portal.upgraded().map(|u| (u.from, u.to)), Some((4, 5)));
    let trail = portal.audit_list(0, 1000).unwrap();
    assert_eq!(trail.len() as u64, events_before + 1);
    let step = trail.last().unwrap();
    assert_eq!(step.action, Action::DatabaseUpgraded);
    assert!(
        step.target.starts_with(
            "database from schema 4 to 5: 2 guardian links indexed by a login that is not the patient's own email (copy of the old file: "
        ),
        "{}",
        step.target
    );
    assert_eq!(portal.audit_verify().unwrap().problem, None);
    for (q, want) in [
        ("stepdad", vec!["100001"]),
        ("otherdomain.test", vec!["100001"]),
        ("zed.stepdad@otherdomain.test", vec!["100001"]),
        ("olivia.mom", vec!["100005"]),
        ("@mail.example.com", vec!["100005"]),
        // The child's own email still finds her; the login's old address
        // was that email.
        ("smith.family", vec!["100005"]),
        ("maria.garcia", vec!["100001", "100002"]),
    ] {
        assert_eq!(found_in(&portal, q), want, "{q}");
    }
    drop(portal);

    // The copy is the schema-4 file as it was: no such index, and the mark
    // of the schema-4 builds, which the upgraded file no longer has.
    let old = redb::ReadOnlyDatabase::open(dir.path().join("portal.redb.schema-4.bak")).unwrap();
    let tx = old.begin_read().unwrap();
    let meta = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    assert_eq!(meta.get("schema_version").unwrap().unwrap().value(), b"4");
    assert!(meta.get("audit_mark").unwrap().is_some());
    assert!(
        tx.open_table(TableDefinition::<&str, &str>::new("idx_guardian_login"))
            .is_err()
    );
    let new = redb::ReadOnlyDatabase::open(&db).unwrap();
    let tx = new.begin_read().unwrap();
    let meta = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    assert!(meta.get("audit_mark").unwrap().is_none());
    assert!(meta.get("audit_mark_5").unwrap().is_some());
}

/// A schema-3 build still running after the file's upgrade to schema 4
/// wrote to it (its event left the schema-4 mark behind) and no schema-4
/// build opened it since: the index of names of several parts may be
/// stale. The 4 → 5 step rebuilds it, as a schema-4 build's next open
/// would have, and says why.
#[test]
fn the_4_to_5_step_rebuilds_the_index_of_several_parts_an_older_build_left_stale() {
    let dir = tempfile::tempdir().unwrap();
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = dir.path().join("portal.redb");
    std::fs::copy(here.join("schema-4.redb"), &db).unwrap();
    let mut before = 0;
    edit_file(&db, false, |tx| {
        // The schema-3 build renames nobody in an index it does not know:
        // the index of names of several parts loses Seán O'Brien.
        let mut multi = tx
            .open_table(TableDefinition::<&str, &[u8]>::new("idx_patient_multi"))
            .unwrap();
        let stale: Vec<String> = redb::ReadableTable::iter(&multi)
            .unwrap()
            .map(|e| e.unwrap().0.value().to_owned())
            .filter(|k| k.ends_with("100003"))
            .collect();
        assert_eq!(stale.len(), 2);
        for k in stale {
            multi.remove(k.as_str()).unwrap();
        }
        drop(multi);
        before = append_audit_event(
            tx,
            Action::AccountLinked,
            "patient 100003 to account 4".into(),
        ) - 1;
    });
    let portal = open(dir.path(), &db);
    let step = portal.audit_list(0, 1000).unwrap().pop().unwrap();
    assert!(
        step.target.contains(&format!(
            "; index of names of several parts rebuilt (3 patients) because an older portal-admin wrote to the file after audit event {before}"
        )),
        "{}",
        step.target
    );
    assert_eq!(found_in(&portal, "s b"), ["100003"]);
    assert_eq!(portal.audit_verify().unwrap().problem, None);
    drop(portal);
    assert!(open(dir.path(), &db).rebuilt().is_none());
}
