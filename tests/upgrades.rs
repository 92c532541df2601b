//! Upgrades that tell people (fresh tester 2, N1) and that survive an older
//! portal-admin still running after the upgrade (N5).

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use portal_admin::Portal;
use portal_admin::clock::ManualClock;
use portal_admin::domain::Action;
use redb::{ReadableTable, TableDefinition};

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const MULTI: TableDefinition<&str, &[u8]> = TableDefinition::new("idx_patient_multi");
/// The tables a portal-admin of schema 3 keeps a patient's row in (it
/// does not know `idx_patient_multi`).
const SCHEMA_3_ROW_TABLES: [&str; 5] = [
    "patients",
    "idx_patient_name",
    "idx_patient_token",
    "idx_patient_dob",
    "idx_patient_email",
];

fn schema_3_copy(dir: &Path) -> std::path::PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let db = dir.join("portal.redb");
    std::fs::copy(here.join("schema-3.redb"), &db).unwrap();
    db
}

fn open(dir: &Path, db: &Path) -> Portal {
    Portal::open(db, config_in(dir), Arc::new(ManualClock::monday_morning())).unwrap()
}

/// N1: the services report the upgrade they made on open, for the clients
/// to say; a second open (nothing to upgrade) reports none.
#[test]
fn opening_an_old_file_reports_the_upgrade_and_its_copy_to_the_client() {
    let dir = tempfile::tempdir().unwrap();
    let db = schema_3_copy(dir.path());
    let portal = open(dir.path(), &db);
    let up = portal.upgraded().expect("an upgrade reported").clone();
    assert_eq!((up.from, up.to), (3, 5));
    assert_eq!(up.copy, dir.path().join("portal.redb.schema-3.bak"));
    assert_eq!(
        portal.open_notices(),
        vec![format!(
            "upgraded {} from schema 3 to 5; the file as it was is kept at {}; older portal-admin versions cannot open it any more",
            db.display(),
            up.copy.display()
        )]
    );
    // The copy holds every patient: private to its owner.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&up.copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    drop(portal);
    let again = open(dir.path(), &db);
    assert!(again.upgraded().is_none());
    assert!(again.rebuilt().is_none(), "{:?}", again.rebuilt());
    assert!(again.open_notices().is_empty());
}

/// N1: a script or cron job (standard error not a terminal) is told of the
/// upgrade in one line; the next run says nothing.
#[test]
fn the_binary_says_it_upgraded_the_file_even_when_not_on_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(here.join("schema-3.redb"), bin.db()).unwrap();
    // Private, as portal-admin makes its files (no warning about the mode).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.db(), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = bin.run(&["patients", "search", "jose lopez"], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("100001\t"), "{}", out.stdout);
    let copy = home.path().join("portal.redb.schema-3.bak");
    assert_eq!(
        out.stderr.trim_end(),
        format!(
            "portal-admin: upgraded {} from schema 3 to 5; the file as it was is kept at {}; older portal-admin versions cannot open it any more",
            bin.db().display(),
            copy.display()
        )
    );
    let out = bin.run(&["patients", "search", "jose lopez"], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "said once");
}

/// N1: the app says it on its first screen (the sign-in screen) until the
/// first key, and tells the desk what to do: tell the administrator.
#[test]
fn the_app_shows_the_upgrade_on_the_sign_in_screen_until_the_first_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = schema_3_copy(dir.path());
    let mut hs = portal_admin::tui::harness::Harness::new(open(dir.path(), &db), 100, 30);
    hs.draw();
    let screen = hs.screen();
    let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Upgraded ") && flat.contains("from schema 3 to 5"),
        "{screen}"
    );
    assert!(flat.contains("Tell your administrator."), "{screen}");
    hs.key(crossterm::event::KeyCode::Tab);
    hs.draw();
    assert!(!hs.screen().contains("schema 3 to 5"), "{}", hs.screen());
}

/// Appends one audit event and changes the row of `account_number` as a
/// portal-admin of schema 3 does, in one write transaction straight
/// through redb: in every table it knows, and without moving the mark a
/// schema-4 build keeps.
fn write_as_an_older_build(db: &Path, account_number: &str, account_id: u64) {
    edit_file(db, false, |tx| {
        let old = tx
            .open_table(TableDefinition::<&str, &[u8]>::new("patients"))
            .unwrap()
            .get(account_number)
            .unwrap()
            .unwrap()
            .value()
            .to_vec();
        let (p, _) = portal_admin::store::decode_row(&old, account_number).unwrap();
        let new = portal_admin::store::encode_row(&p, Some(account_id));
        for name in SCHEMA_3_ROW_TABLES {
            let mut t = tx
                .open_table(TableDefinition::<&str, &[u8]>::new(name))
                .unwrap();
            let keys: Vec<String> = t
                .iter()
                .unwrap()
                .filter_map(|e| {
                    let (k, v) = e.unwrap();
                    (v.value() == old.as_slice()).then(|| k.value().to_owned())
                })
                .collect();
            assert!(name != "patients" || keys.len() == 1);
            for k in keys {
                t.insert(k.as_str(), new.as_slice()).unwrap();
            }
        }
        append_audit_event(
            tx,
            Action::AccountLinked,
            format!("patient {account_number} to account {account_id}"),
        );
    });
}

/// Links patient `account_number` to portal account `account_id` as a
/// portal-admin of schema 4 does: the link and its audit event, the mark
/// of the schema-4 builds moved — and no entry in the index of guardians'
/// logins, which it does not know.
fn link_as_a_schema_4_build(db: &Path, account_number: &str, account_id: u64) {
    edit_file(db, false, |tx| {
        let link = portal_admin::domain::GuardianLink {
            relationship: portal_admin::domain::Relationship::Father,
            access: portal_admin::domain::Access::Full,
            since: time::OffsetDateTime::now_utc(),
        };
        tx.open_table(TableDefinition::<(&str, u64), &[u8]>::new("guardians"))
            .unwrap()
            .insert(
                (account_number, account_id),
                serde_json::to_vec(&link).unwrap().as_slice(),
            )
            .unwrap();
        let seq = append_audit_event(
            tx,
            Action::GuardianAdded,
            format!("patient {account_number} to account {account_id}"),
        );
        // Its mark moves only while it sits at the event before (gone
        // since the upgrade: nothing is written).
        let mut meta = tx.open_table(META).unwrap();
        let mark: Option<u64> = meta
            .get("audit_mark")
            .unwrap()
            .map(|v| serde_json::from_slice(v.value()).unwrap());
        if mark == Some(seq - 1) {
            meta.insert("audit_mark", serde_json::to_vec(&seq).unwrap().as_slice())
                .unwrap();
        }
    });
}

/// The account numbers the index of guardians' logins lists under the
/// whole login `login`.
fn listed_under(db: &Path, login: &str) -> Vec<String> {
    let mut out = Vec::new();
    edit_file(db, false, |tx| {
        let t = tx
            .open_table(TableDefinition::<&str, &str>::new("idx_guardian_login"))
            .unwrap();
        if let Some(v) = t.get(format!("{login} ").as_str()).unwrap() {
            out.extend(v.value().split(' ').map(str::to_owned));
        }
    });
    out
}

/// Every entry of the index of names of several parts, as stored.
fn multi_entries(db: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    // A write transaction that changes nothing (the file is open elsewhere
    // in this process, as another process has it).
    edit_file(db, false, |tx| {
        for e in tx.open_table(MULTI).unwrap().iter().unwrap() {
            let (k, v) = e.unwrap();
            out.push((k.value().to_owned(), v.value().to_vec()));
        }
    });
    out
}

/// The portal account each entry of `account_number` in the index of
/// names of several parts shows (one entry a name part).
fn multi_rows_of(db: &Path, account_number: &str) -> Vec<Option<u64>> {
    multi_entries(db)
        .into_iter()
        .filter(|(k, _)| k.ends_with(account_number))
        .map(|(_, v)| {
            portal_admin::store::decode_row(&v, account_number)
                .unwrap()
                .1
        })
        .collect()
}

/// The test practice with José's portal account made; its id.
fn practice_with_an_account() -> (Practice, u64) {
    let practice = Practice::new();
    practice.create_validate("100001");
    let id = account_shown(&practice.portal, "jose lopez", "100001").expect("linked");
    (practice, id)
}

fn account_shown(portal: &Portal, query: &str, account_number: &str) -> Option<u64> {
    let page = portal.search_patients(query, None, 10).unwrap();
    let row = page
        .items
        .into_iter()
        .find(|r| r.account_number() == account_number)
        .unwrap_or_else(|| panic!("{query}: {account_number} not found"));
    row.account_id
}

/// N5: an older portal-admin, still running when the file was upgraded,
/// links Seán O'Brien to an account. It does not know the index of names of
/// several parts, so a search that reads it (`s b`) showed him without it.
/// The next open of this build sees the events past its mark, rebuilds that
/// index with its own audit event and says so; the search is right then,
/// the chain intact, and the open after that rebuilds nothing.
#[test]
fn writes_by_an_older_build_after_the_upgrade_are_noticed_and_the_index_rebuilt() {
    let (practice, id) = practice_with_an_account();
    let events_before = practice.audit_count();

    write_as_an_older_build(&practice.db(), "100003", id);
    // The name index (which the older build keeps) is right, the index of
    // names of several parts stale, as the tester's old app left it.
    assert_eq!(
        multi_rows_of(&practice.db(), "100003"),
        vec![None, None],
        "the simulation leaves the index stale"
    );

    let portal = practice.open_again();
    let rebuilt = portal.rebuilt().expect("a rebuild reported").clone();
    assert_eq!(rebuilt.after, Some(events_before));
    assert_eq!(rebuilt.several, 3);
    assert_eq!(
        portal.open_notices(),
        vec![format!(
            "rebuilt the index of names of several parts (3 patients) and the index of guardians' logins (0 links) of {} because an older portal-admin wrote to the file after audit event {events_before}; every workstation must run this version",
            practice.db().display()
        )]
    );
    assert_eq!(account_shown(&portal, "s b", "100003"), Some(id));
    assert_eq!(account_shown(&portal, "brien sean", "100003"), Some(id));
    assert_eq!(
        multi_rows_of(&practice.db(), "100003"),
        vec![Some(id), Some(id)]
    );
    let last = portal.audit_list(events_before, 10).unwrap();
    assert_eq!(last.len(), 2, "{last:?}");
    assert_eq!(last[1].action, Action::IndexRebuilt);
    assert_eq!(
        last[1].target,
        format!(
            "index of names of several parts: 3 patients; index of guardians' logins: 0 links; an older portal-admin wrote to the file after audit event {events_before}"
        )
    );
    let chain = portal.audit_verify().unwrap();
    assert_eq!(chain.problem, None);
    assert_eq!(chain.events, events_before + 2);
    drop(portal);
    let again = practice.open_again();
    assert!(again.rebuilt().is_none());
    assert_eq!(again.practice().unwrap().audit_events, events_before + 2);
}

/// N5: this build writing after the older one (a workstation already
/// upgraded, still open) does not hide the older one's write: the mark
/// stays behind until a rebuild.
#[test]
fn a_write_by_this_build_after_an_older_ones_does_not_hide_it() {
    let (practice, id) = practice_with_an_account();
    let mark = practice.audit_count();
    write_as_an_older_build(&practice.db(), "100003", id);
    // The workstation that had the file open all along writes next.
    practice.create_validate("100005");
    let portal = practice.open_again();
    assert_eq!(portal.rebuilt().map(|r| r.after), Some(Some(mark)));
    assert_eq!(account_shown(&portal, "s b", "100003"), Some(id));
}

/// N5: a file without this build's mark (last written by a build before
/// it) is rebuilt once, in case an older build wrote to it, and says why.
#[test]
fn a_file_without_the_mark_is_rebuilt_once() {
    let practice = Practice::new();
    let before = multi_entries(&practice.db());
    edit_file(&practice.db(), false, |tx| {
        tx.open_table(META).unwrap().remove("audit_mark_5").unwrap();
    });
    let portal = practice.open_again();
    let rebuilt = portal.rebuilt().expect("rebuilt").clone();
    assert_eq!(rebuilt.after, None);
    assert!(
        portal.open_notices()[0].ends_with(
            "because the file does not say which portal-admin wrote it last; every workstation must run this version"
        ),
        "{:?}",
        portal.open_notices()
    );
    drop(portal);
    // The same entries as before: nothing was stale.
    assert_eq!(multi_entries(&practice.db()), before);
    assert!(practice.open_again().rebuilt().is_none());
}

/// A schema-4 build still running after the upgrade to schema 5 adds a
/// guardian: it moves its own mark, not this build's, and does not list
/// the guardian's login. The next open rebuilds the index of guardians'
/// logins, and the login finds the child.
#[test]
fn a_guardian_added_by_a_schema_4_build_after_the_upgrade_is_found_after_the_rebuild() {
    let (practice, id) = practice_with_an_account();
    // José's e-correspondent, whose account Create/Validate made.
    let login = "maria.garcia@example.com";
    let events_before = practice.audit_count();
    link_as_a_schema_4_build(&practice.db(), "100003", id);
    assert_eq!(listed_under(&practice.db(), login), Vec::<String>::new());

    let portal = practice.open_again();
    let rebuilt = portal.rebuilt().expect("a rebuild reported").clone();
    assert_eq!((rebuilt.after, rebuilt.logins), (Some(events_before), 1));
    assert_eq!(listed_under(&practice.db(), login), ["100003"]);
    let found = found_in(&portal, login);
    assert!(found.contains(&"100003".to_owned()), "{found:?}");
    assert_eq!(portal.audit_verify().unwrap().problem, None);
    drop(portal);
    assert!(practice.open_again().rebuilt().is_none());
}

/// F2 (fresh eyes, 2026-11-29): an older app, still running after the
/// upgrade, removed a guardian (a custody change); an app of this version
/// that was already open went on finding the child by that guardian's
/// login until some process opened the file again. Its next search now
/// notices the older build's write and rebuilds first.
#[test]
fn an_open_app_notices_an_older_builds_removal_before_its_next_search() {
    use portal_admin::domain::Relationship;
    use portal_admin::services::AddGuardian;
    let practice = Practice::new();
    let stepdad = "zed.stepdad99@otherdomain.test";
    practice
        .portal
        .add_guardian(
            &practice.staff,
            &AddGuardian::new("100003", stepdad, Relationship::Father)
                .identity_check(Some(IDENTITY_CHECK)),
        )
        .unwrap();
    assert_eq!(found_in(&practice.portal, "stepdad99"), ["100003"]);
    let id = practice.portal.account_by_email(stepdad).unwrap().id;
    let events_before = practice.audit_count();
    // The older build removes the link and writes its event: it does not
    // know the index of guardians' logins, nor this build's mark.
    edit_file(&practice.db(), false, |tx| {
        tx.open_table(TableDefinition::<(&str, u64), &[u8]>::new("guardians"))
            .unwrap()
            .remove(("100003", id))
            .unwrap();
        append_audit_event(
            tx,
            Action::GuardianRemoved,
            format!("patient 100003 from account {id}"),
        );
    });
    assert_eq!(listed_under(&practice.db(), stepdad), ["100003"]);
    // The app open all along (its snapshot renewed, as after 100 ms).
    practice.portal.refresh();
    assert_eq!(
        found_in(&practice.portal, "stepdad99"),
        Vec::<String>::new()
    );
    assert_eq!(listed_under(&practice.db(), stepdad), Vec::<String>::new());
    let last = practice.portal.audit_list(events_before, 10).unwrap();
    assert_eq!(last.len(), 2, "{last:?}");
    assert_eq!(last[1].action, Action::IndexRebuilt);
    assert!(
        last[1].target.ends_with(&format!(
            "an older portal-admin wrote to the file after audit event {events_before}"
        )),
        "{}",
        last[1].target
    );
    assert_eq!(practice.portal.audit_verify().unwrap().problem, None);
    // Once: the next search rebuilds nothing.
    practice.portal.refresh();
    found_in(&practice.portal, "stepdad99");
    assert_eq!(
        practice.portal.audit_list(events_before, 10).unwrap().len(),
        2
    );
}

/// Re-check R1 (fresh eyes, 2026-11-29): the open app's search was right
/// after the rebuild, but nothing told the person at the desk that an
/// older portal-admin is still writing to the file. It says so now, as
/// on the sign-in screen after an open.
#[test]
fn the_open_app_says_it_rebuilt_after_an_older_builds_write() {
    use crossterm::event::KeyCode;
    let (practice, id) = practice_with_an_account();
    let db = practice.db();
    let mut app = practice.app_signed_in("sam", 80, 24);
    app.type_text("garcia");
    assert!(
        app.screen().contains("García-López, José"),
        "{}",
        app.screen()
    );
    write_as_an_older_build(&db, "100003", id);
    app.hs.app.portal().refresh();
    app.key(KeyCode::Backspace);
    let screen = app.screen();
    assert!(
        screen.contains("Rebuilt the index of names of several parts")
            && screen.contains("Tell your administrator"),
        "{screen}"
    );
    // Said once: the next key clears it, and nothing is rebuilt again.
    app.key(KeyCode::Backspace);
    assert!(
        !app.screen().contains("Rebuilt the index"),
        "{}",
        app.screen()
    );
}
