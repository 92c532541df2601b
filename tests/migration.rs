//! A database written by an older portal-admin (tests/fixtures, see its
//! README) opens: a copy of it is kept beside it, then it is upgraded with
//! every patient, link, account, operator and audit event kept, the audit
//! chain intact, and searches working the new way.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use portal_admin::Portal;
use portal_admin::clock::ManualClock;
use portal_admin::domain::{Action, AuditEvent, Operator, Patient, PortalAccount, PortalSetup};
use redb::{ReadableDatabase, ReadableTableMetadata, TableDefinition};
use serde::Deserialize;

#[derive(Deserialize)]
struct Manifest {
    portal_setup: PortalSetup,
    patients: Vec<Patient>,
    links: Vec<(String, Option<u64>)>,
    accounts: Vec<PortalAccount>,
    operators: Vec<Operator>,
    audit: Vec<AuditEvent>,
}

fn fixture(dir: &Path) -> (std::path::PathBuf, Manifest) {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = dir.join("portal.redb");
    std::fs::copy(here.join("schema-1.redb"), &db).unwrap();
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(here.join("schema-1.json")).unwrap()).unwrap();
    (db, manifest)
}

fn open(dir: &Path, db: &Path) -> Portal {
    Portal::open(db, config_in(dir), Arc::new(ManualClock::monday_morning())).unwrap()
}

#[test]
fn a_schema_1_file_is_kept_as_a_backup_and_upgraded_with_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, was) = fixture(dir.path());
    let portal = open(dir.path(), &db);

    // Everything that was there still is.
    assert_eq!(portal.portal_setup().unwrap(), Some(was.portal_setup));
    for p in &was.patients {
        assert_eq!(&portal.patient_view(&p.account_number).unwrap().patient, p);
    }
    for (no, link) in &was.links {
        let on = portal.patient_view(no).unwrap().account.map(|a| a.id);
        assert_eq!(on, *link, "{no}");
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
        (5, 4, 2)
    );
    assert_eq!(portal.operators().unwrap(), was.operators);

    // The audit trail: every old event, then the upgrade's own, chained.
    let trail = portal.audit_list(0, 1000).unwrap();
    assert_eq!(trail[..was.audit.len()], was.audit[..]);
    assert_eq!(trail.len(), was.audit.len() + 1);
    let upgrade = &trail[was.audit.len()];
    assert_eq!(upgrade.action, Action::DatabaseUpgraded);
    assert!(
        upgrade.target.contains("schema 1 to 2")
            && upgrade.target.contains("portal.redb.schema-1.bak"),
        "{}",
        upgrade.target
    );
    let report = portal.audit_verify().unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.events, was.audit.len() as u64 + 1);

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
            no => assert_eq!(rows[0].patient.account_number, no, "{q}"),
        }
    }
    let garcia = portal.search_patients("garcia", None, 10).unwrap().items;
    assert_eq!(garcia[0].account_id, Some(1));
    assert_eq!(
        portal.list_accounts("obrien", None, 10).unwrap().items[0].id,
        4
    );
    drop(portal);

    // Every account record (hash included) is the very same in the file.
    {
        let db = redb::ReadOnlyDatabase::open(&db).unwrap();
        let tx = db.begin_read().unwrap();
        let accounts = tx
            .open_table(TableDefinition::<u64, &[u8]>::new("accounts"))
            .unwrap();
        for a in &was.accounts {
            let stored: PortalAccount =
                serde_json::from_slice(accounts.get(a.id).unwrap().unwrap().value()).unwrap();
            assert_eq!(&stored, a);
        }
    }

    // The copy beside it is the schema-1 file as it was, readable by the
    // portal-admin that wrote it (same tables, same rows).
    let backup = dir.path().join("portal.redb.schema-1.bak");
    let old = redb::ReadOnlyDatabase::open(&backup).unwrap();
    let tx = old.begin_read().unwrap();
    let meta = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    assert_eq!(
        meta.get("schema_version").unwrap().unwrap().value(),
        b"1".as_slice()
    );
    let patients = tx
        .open_table(TableDefinition::<&str, &[u8]>::new("patients"))
        .unwrap();
    assert_eq!(patients.len().unwrap(), 5);
    let json: Patient =
        serde_json::from_slice(patients.get("100001").unwrap().unwrap().value()).unwrap();
    assert_eq!(json, was.patients[0]);
    let links = tx
        .open_table(TableDefinition::<&str, u64>::new("patient_account"))
        .unwrap();
    assert_eq!(links.len().unwrap(), 5);
    let audit = tx
        .open_table(TableDefinition::<u64, &[u8]>::new("audit"))
        .unwrap();
    assert_eq!(audit.len().unwrap(), was.audit.len() as u64);

    // Opened again: nothing more to do.
    let portal = open(dir.path(), &db);
    assert_eq!(
        portal.audit_list(0, 1000).unwrap().len(),
        was.audit.len() + 1
    );
    assert!(!dir.path().join("portal.redb.schema-1.2.bak").exists());
}

#[test]
fn an_upgrade_never_overwrites_an_earlier_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = fixture(dir.path());
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
    let out = bin.ok(&["patients", "search", "jose garcia"], "");
    assert!(out.starts_with("100001\tGarcía-López, José"), "{out}");
    assert!(home.path().join("portal.redb.schema-1.bak").exists());
    let audit = bin.ok(&["audit", "verify"], "");
    assert!(
        audit.starts_with("audit trail intact: 15 events"),
        "{audit}"
    );
}
