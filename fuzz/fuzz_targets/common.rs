//! A small real database, made once per fuzzing process.

use std::sync::{Arc, OnceLock};

use portal_admin::Portal;
use portal_admin::clock::ManualClock;
use portal_admin::config::Config;
use portal_admin::domain::Role;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub portal: Arc<Portal>,
    /// The administrator `sam`, signed in.
    pub admin: portal_admin::Session,
}

/// Cheap hashing: the fuzzers look for panics, not for strong hashes.
pub fn config(dir: &std::path::Path) -> Config {
    let mut c = Config::default();
    c.hashing.memory_kib = 64;
    c.hashing.iterations = 1;
    c.hashing.allow_weak = true;
    c.log.level = "off".into();
    c.log.file = Some(dir.join("log"));
    c
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::monday_morning());
        let portal = Portal::create(&dir.path().join("f.redb"), config(dir.path()), clock).unwrap();
        portal
            .add_operator(
                &Portal::file_owner(),
                "sam",
                Role::Admin,
                &"lilac-orbit-walnut-harbor".into(),
                &"lilac-orbit-walnut-harbor".into(),
            )
            .unwrap();
        let local = portal
            .operator_sign_in("sam", &"lilac-orbit-walnut-harbor".into())
            .unwrap();
        portal
            .setup_portal(&local, "https://portal.example.org", "FUZZ", None)
            .unwrap();
        let csv = "account_number,last_name,first_name,date_of_birth,email\n\
                   1,García-López,José,2019-03-07,maria@example.com\n\
                   2,O'Brien,Seán,2016-11-30,k@example.org\n\
                   3,Smith,Olivia,2018-07-04,\n";
        portal
            .import_patients(&local, "f.csv", csv.as_bytes(), 0, false, &mut ())
            .unwrap();
        Fixture {
            _dir: dir,
            portal: Arc::new(portal),
            admin: local,
        }
    })
}
