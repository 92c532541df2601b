//! The example config, and the store's all-or-nothing transactions.

mod common;

use portal_admin::Error;
use portal_admin::config::Config;
use portal_admin::domain::{Action, NewEvent, PortalSetup};
use portal_admin::store::{Store, StoreOptions};

#[test]
fn the_example_config_loads_and_lists_every_setting_with_its_default() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config.toml.example");
    let config = Config::from_file(std::path::Path::new(path)).expect("example loads");
    assert_eq!(config, Config::default(), "the example shows the defaults");
    let text = std::fs::read_to_string(path).unwrap();
    let defaults = toml::Value::try_from(Config::default()).unwrap();
    let mut keys = vec![
        "[database]".to_owned(),
        "path".into(),
        "[log]".into(),
        "file".into(),
    ];
    for (section, table) in defaults.as_table().unwrap() {
        keys.push(format!("[{section}]"));
        for key in table.as_table().unwrap().keys() {
            keys.push(key.clone());
        }
    }
    for key in keys {
        let listed = text.lines().any(|l| {
            let l = l.trim_start_matches("# ").trim();
            l == key || l.starts_with(&format!("{key} ="))
        });
        assert!(listed, "config.toml.example does not list {key}");
    }
}

fn setup() -> PortalSetup {
    PortalSetup {
        sign_in_url: "https://p.example.org".into(),
        practice_id: "X".into(),
        practice_name: None,
    }
}

#[test]
fn a_change_without_its_audit_event_is_never_saved() {
    let dir = tempfile::tempdir().unwrap();
    let now = time::macros::datetime!(2026-01-05 09:00 UTC);
    let store = Store::create(
        &dir.path().join("s.redb"),
        &StoreOptions::default(),
        now,
        "local:t",
    )
    .unwrap();
    let err = store
        .write(now, |tx| tx.set_portal_setup(&setup()))
        .unwrap_err();
    assert!(matches!(err, Error::Internal(_)), "{err}");
    assert_eq!(store.read().unwrap().portal_setup().unwrap(), None);
}

#[test]
fn a_change_that_fails_half_way_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let now = time::macros::datetime!(2026-01-05 09:00 UTC);
    let store = Store::create(
        &dir.path().join("s.redb"),
        &StoreOptions::default(),
        now,
        "local:t",
    )
    .unwrap();
    let before = store.read().unwrap().counts().unwrap();
    let err = store
        .write(now, |tx| {
            tx.set_portal_setup(&setup())?;
            tx.audit(NewEvent::success("local:t", Action::SetupChanged, "x"))?;
            Err::<(), _>(Error::Usage("stopped half way".into()))
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "stopped half way");
    let read = store.read().unwrap();
    assert_eq!(read.portal_setup().unwrap(), None);
    assert_eq!(read.counts().unwrap(), before);
    // A complete change lands with its event.
    store
        .write(now, |tx| {
            tx.set_portal_setup(&setup())?;
            tx.audit(NewEvent::success("local:t", Action::SetupChanged, "x"))
        })
        .unwrap();
    let read = store.read().unwrap();
    assert_eq!(read.portal_setup().unwrap(), Some(setup()));
    assert_eq!(read.counts().unwrap().audit_events, before.audit_events + 1);
}

#[test]
fn two_handles_share_the_file_and_see_each_others_commits_within_the_snapshot_time() {
    let dir = tempfile::tempdir().unwrap();
    let now = time::macros::datetime!(2026-01-05 09:00 UTC);
    let path = dir.path().join("s.redb");
    let a = Store::create(&path, &StoreOptions::default(), now, "local:t").unwrap();
    let b = Store::open(&path, &StoreOptions::default()).unwrap();
    a.write(now, |tx| {
        tx.set_portal_setup(&setup())?;
        tx.audit(NewEvent::success("local:t", Action::SetupChanged, "x"))
    })
    .unwrap();
    // The writer sees its own commit at once.
    assert_eq!(a.read().unwrap().portal_setup().unwrap(), Some(setup()));
    // Another handle sees it after a refresh (Ctrl-R) ...
    let b2 = Store::open(&path, &StoreOptions::default()).unwrap();
    let _ = b2.read().unwrap();
    b.refresh();
    assert_eq!(b.read().unwrap().portal_setup().unwrap(), Some(setup()));
    // ... or once its snapshot is older than SNAPSHOT_TTL.
    a.write(now, |tx| {
        tx.set_portal_setup(&PortalSetup {
            practice_id: "Y".into(),
            ..setup()
        })?;
        tx.audit(NewEvent::success("local:t", Action::SetupChanged, "y"))
    })
    .unwrap();
    std::thread::sleep(portal_admin::store::SNAPSHOT_TTL + std::time::Duration::from_millis(20));
    assert_eq!(
        b2.read()
            .unwrap()
            .portal_setup()
            .unwrap()
            .unwrap()
            .practice_id,
        "Y"
    );
}
