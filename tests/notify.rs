//! Notices to account holders (issue 11): queued in the outbox in the same
//! transaction as the change, sent to a real SMTP server (aiosmtpd, started
//! by each test), retried with backoff while the relay is down, given up and
//! audited when it refuses for good, never holding a password.

mod common;

use common::smtp::{SmtpOptions, SmtpServer};
use common::*;
use portal_admin::domain::{Action, NoticeState};
use portal_admin::services::{CreateValidate, Delivery};
use time::Duration;

const FROM: &str = "Sunshine Pediatrics <portal@sunshine.example>";
const CONTACT: &str = "the front desk at (555) 010-0199";

/// A practice whose notices go to `relay`, retried after 60 s.
fn practice_with_relay(
    relay: &str,
    tweak: impl FnOnce(&mut portal_admin::config::Config),
) -> Practice {
    let relay = relay.to_owned();
    Practice::with_config(move |c| {
        c.notify.smtp_url = Some(relay);
        c.notify.from = Some(FROM.into());
        c.notify.contact = Some(CONTACT.into());
        tweak(c);
    })
}

/// A practice whose notices go to a real SMTP server the test started
/// (`tweak` for more settings): its folder, the server and the practice.
fn practice_with_server(
    tweak: impl FnOnce(&mut portal_admin::config::Config),
) -> (tempfile::TempDir, SmtpServer, Practice) {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("mail"), SmtpOptions::default());
    let p = practice_with_relay(&server.url(), tweak);
    (dir, server, p)
}

fn checked(patient: &str) -> CreateValidate {
    CreateValidate::patient(patient).identity_check(Some(IDENTITY_CHECK))
}

fn events(p: &Practice) -> Vec<portal_admin::domain::AuditEvent> {
    p.portal.audit_list(0, 10_000).unwrap()
}

#[test]
fn a_reset_queues_its_notice_in_the_same_transaction_and_a_real_smtp_server_gets_it() {
    let (_dir, server, p) = practice_with_server(|_| {});

    // Monday 09:00 UTC is 4:00 AM in New York.
    let first = p
        .portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    let created = first.notice().expect("a notice was queued");
    p.clock.advance(Duration::hours(6));
    let outcome = p
        .portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    let login = outcome.login().expect("a temporary login");
    let id = outcome.notice().expect("a notice was queued");
    assert_ne!(id, created);

    // Queued, not yet sent; the change's own audit event says so.
    let st = p.portal.notify_status().unwrap();
    assert!(st.enabled);
    assert_eq!(st.queued, 2);
    let ev = events(&p)
        .into_iter()
        .rev()
        .find(|e| e.action == Action::PasswordReset)
        .unwrap();
    assert!(
        ev.outcome.contains(&format!("notice {id} queued")),
        "{}",
        ev.outcome
    );

    let report = p.portal.send_notices(&p.staff).unwrap();
    assert_eq!(report.sent(), 2, "{report:?}");
    assert_eq!(report.pending, 0);
    let mails = server.messages();
    assert_eq!(mails.len(), 2);
    let reset = &mails[1];
    assert_eq!(
        reset.header("X-Envelope-To"),
        Some("smith.family@example.net")
    );
    assert_eq!(
        reset.header("From"),
        Some("\"Sunshine Pediatrics\" <portal@sunshine.example>")
    );
    assert_eq!(
        reset.header("Subject"),
        Some("Sunshine Pediatrics: your portal password was reset")
    );
    assert_eq!(reset.header("Auto-Submitted"), Some("auto-generated"));
    let text = reset.text();
    assert!(
        text.contains(
            "The portal password for your account at Sunshine Pediatrics (smith.family@example.net) was reset at the front desk on Mon 5 Jan 2026, 10:00 AM EST."
        ),
        "{text}"
    );
    assert!(
        text.contains("If this wasn't you, call the front desk at (555) 010-0199."),
        "{text}"
    );
    // Never the password, in any form it could be typed.
    let grouped = login.password.expose().to_owned();
    let bare = grouped.replace('-', "");
    for m in &mails {
        assert!(!m.raw.contains(&grouped) && !m.raw.contains(&bare));
        assert!(!m.raw.to_lowercase().contains(&bare.to_lowercase()));
    }

    // Sent: audited, in the account's history, counted.
    let sent: Vec<_> = events(&p)
        .into_iter()
        .filter(|e| e.action == Action::NoticeSent)
        .collect();
    assert_eq!(sent.len(), 2);
    assert!(sent[1].target.contains(&format!("notice {id}")));
    assert_eq!(sent[1].actor, "operator:sam");
    let history = p.portal.account_history(login.account_id, 5).unwrap();
    assert_eq!(history[0].action, Action::NoticeSent);
    let st = p.portal.notify_status().unwrap();
    assert_eq!((st.queued, st.sent, st.failed), (0, 2, 0));
    assert_eq!(p.portal.audit_verify().unwrap().problem, None);
}

#[test]
fn notices_are_off_until_the_relay_and_the_sender_are_configured() {
    let p = Practice::new();
    let outcome = p
        .portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    assert_eq!(outcome.notice(), None);
    assert!(!p.portal.notices_enabled());
    let st = p.portal.notify_status().unwrap();
    assert!(!st.enabled);
    assert_eq!((st.queued, st.sent, st.failed), (0, 0, 0));
    let before = p.audit_count();
    let report = p.portal.send_notices(&p.admin).unwrap();
    assert!(report.attempts.is_empty());
    assert_eq!(p.audit_count(), before);

    // One without the other is refused when the configuration is read.
    for (toml, key) in [
        (
            "[notify]\nsmtp_url = \"smtp://localhost\"\n",
            "notify.smtp_url",
        ),
        (
            "[notify]\nfrom = \"portal@sunshine.example\"\n",
            "notify.from",
        ),
    ] {
        let msg = portal_admin::config::Config::from_toml(toml)
            .unwrap_err()
            .to_string();
        assert!(msg.contains(key) && msg.contains("line 2"), "{msg}");
    }
}

#[test]
fn a_relay_that_is_down_gets_the_notice_when_it_is_back_after_retries_with_backoff() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = SmtpServer::down(&dir.path().join("mail"), SmtpOptions::default());
    let p = practice_with_relay(&server.url(), |_| {});
    let outcome = p
        .portal
        .create_validate_with(&p.staff, &checked("100003"))
        .unwrap();
    let id = outcome.notice().unwrap();

    // The attempt right after the change fails: the change stands, the
    // notice waits a minute.
    let t0 = p.portal.now();
    let report = p.portal.send_notice(&p.staff, id).unwrap();
    match &report.attempts[0].delivery {
        Delivery::Retry { retry_at, reason } => {
            assert_eq!(*retry_at, t0 + Duration::minutes(1));
            assert!(
                reason.contains("cannot reach the relay 127.0.0.1:"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    let st = p.portal.notify_status().unwrap();
    assert_eq!(st.queued, 1);
    assert_eq!(st.next[0].state, NoticeState::Queued);
    assert_eq!(st.next[0].attempts, 1);
    assert!(st.last_error.unwrap().contains("cannot reach"));

    // Not due yet: nothing is tried.
    assert!(p.portal.send_notices(&p.admin).unwrap().attempts.is_empty());
    // Due, still down: the next wait is twice as long.
    p.clock.advance(Duration::seconds(60));
    let report = p.portal.send_notices(&p.admin).unwrap();
    match &report.attempts[0].delivery {
        Delivery::Retry { retry_at, .. } => {
            assert_eq!(*retry_at, p.portal.now() + Duration::minutes(2))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(report.attempts[0].attempt, 2);

    // Back: the third attempt delivers it, once.
    server.up();
    p.clock.advance(Duration::seconds(119));
    assert!(p.portal.send_notices(&p.admin).unwrap().attempts.is_empty());
    p.clock.advance(Duration::seconds(1));
    let report = p.portal.send_notices(&p.admin).unwrap();
    assert_eq!(report.sent(), 1, "{report:?}");
    assert_eq!(report.attempts[0].attempt, 3);
    assert_eq!(server.messages().len(), 1);
    assert!(p.portal.send_notices(&p.admin).unwrap().attempts.is_empty());
    assert_eq!(server.messages().len(), 1, "sent once");
    let st = p.portal.notify_status().unwrap();
    assert_eq!((st.queued, st.sent, st.failed), (0, 1, 0));
}

#[test]
fn a_notice_the_relay_never_takes_is_given_up_after_max_attempts_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::down(&dir.path().join("mail"), SmtpOptions::default());
    let p = practice_with_relay(&server.url(), |c| {
        c.notify.max_attempts = 3;
        c.notify.retry_after_seconds = 10;
    });
    let id = p
        .portal
        .create_validate_with(&p.staff, &checked("100003"))
        .unwrap()
        .notice()
        .unwrap();
    let mut deliveries = Vec::new();
    for _ in 0..3 {
        let r = p.portal.send_notices(&p.admin).unwrap();
        deliveries.extend(r.attempts.into_iter().map(|a| a.delivery));
        p.clock.advance(Duration::hours(1));
    }
    assert!(matches!(deliveries[0], Delivery::Retry { .. }));
    assert!(matches!(deliveries[1], Delivery::Retry { .. }));
    assert!(
        matches!(deliveries[2], Delivery::Failed { .. }),
        "{deliveries:?}"
    );
    assert!(p.portal.send_notices(&p.admin).unwrap().attempts.is_empty());
    let failed = events(&p)
        .into_iter()
        .find(|e| e.action == Action::NoticeFailed)
        .expect("the notice given up is audited");
    assert!(
        failed.target.contains(&format!("notice {id}")),
        "{}",
        failed.target
    );
    assert!(
        failed
            .outcome
            .starts_with("failure: gave up after 3 attempts: cannot reach"),
        "{}",
        failed.outcome
    );
    let st = p.portal.notify_status().unwrap();
    assert_eq!((st.queued, st.sent, st.failed), (0, 0, 1));
}

#[test]
fn a_relay_that_refuses_the_address_for_good_fails_the_notice_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(
        &dir.path().join("mail"),
        SmtpOptions {
            reject: Some("kathleen.obrien@example.org".into()),
            ..SmtpOptions::default()
        },
    );
    let p = practice_with_relay(&server.url(), |_| {});
    p.portal
        .create_validate_with(&p.staff, &checked("100003"))
        .unwrap();
    let report = p.portal.send_notices(&p.admin).unwrap();
    match &report.attempts[0].delivery {
        Delivery::Failed { reason } => {
            assert!(
                reason.contains("refused the notice") && reason.contains("550"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.messages().len(), 0);
    let st = p.portal.notify_status().unwrap();
    assert_eq!((st.queued, st.failed), (0, 1));
}

#[test]
fn a_change_that_is_refused_or_rolled_back_queues_no_notice() {
    let (_dir, server, p) = practice_with_server(|_| {});
    // Refused before the transaction: no identity check.
    let err = p
        .portal
        .create_validate_with(&p.staff, &CreateValidate::patient("100005"))
        .unwrap_err();
    assert_eq!(err.exit_code(), 2);
    // Rolled back inside it: the delivery of the login failed.
    let err = p
        .portal
        .create_validate_with_then(&p.staff, &checked("100005"), |_| {
            Err(portal_admin::Error::OutputClosed)
        })
        .unwrap_err();
    assert!(matches!(err, portal_admin::Error::OutputClosed));
    let st = p.portal.notify_status().unwrap();
    assert_eq!(st.queued, 0, "no notice of a change that did not happen");
    assert!(p.portal.send_notices(&p.admin).unwrap().attempts.is_empty());
    assert!(server.messages().is_empty());
}

#[test]
fn every_change_that_must_be_told_sends_a_notice_and_none_holds_a_password() {
    let (_dir, server, p) = practice_with_server(|_| {});
    let mut secrets: Vec<String> = Vec::new();
    let mut keep = |o: &portal_admin::services::CreateValidateOutcome| {
        if let Some(l) = o.login() {
            secrets.push(l.password.expose().to_owned());
            secrets.push(l.password.expose().replace('-', ""));
        }
    };
    // Created, linked (password unchanged), created, reset.
    for no in ["100001", "100002", "100003", "100003"] {
        let o = p
            .portal
            .create_validate_with(&p.staff, &checked(no))
            .unwrap();
        assert_eq!(o.login().is_none(), no == "100002");
        keep(&o);
    }
    // An administrator's password (Control Panel).
    let admin_pw = "violet-canyon-ledger-thimble";
    p.portal
        .admin_set_password(
            &p.admin,
            "maria.garcia@example.com",
            &secret(admin_pw),
            &secret(admin_pw),
            true,
            None,
        )
        .unwrap();
    secrets.push(admin_pw.to_owned());
    let report = p.portal.send_notices(&p.admin).unwrap();
    assert_eq!(report.sent(), 5, "{report:?}");
    let mails = server.messages();
    let subjects: Vec<&str> = mails.iter().filter_map(|m| m.header("Subject")).collect();
    assert_eq!(
        subjects,
        [
            "Sunshine Pediatrics: a portal account was opened for you",
            "Sunshine Pediatrics: a patient was added to your portal account",
            "Sunshine Pediatrics: a portal account was opened for you",
            "Sunshine Pediatrics: your portal password was reset",
            "Sunshine Pediatrics: your portal password was changed",
        ]
    );
    assert!(mails[1].text().contains("Your password did not change."));
    assert!(
        mails[4]
            .text()
            .contains("by the practice's portal administrator")
    );
    for m in &mails {
        for s in &secrets {
            assert!(
                !m.raw.to_lowercase().contains(&s.to_lowercase()),
                "a password in {}",
                m.raw
            );
        }
        // No patient's name travels by email.
        for name in [
            "José", "Sofía", "Seán", "García", "O'Brien", "Jose", "Garcia",
        ] {
            assert!(!m.text().contains(name), "{name} in {}", m.raw);
        }
    }
    // Nor in the audit trail.
    for ev in events(&p) {
        for s in &secrets {
            assert!(!format!("{ev:?}").to_lowercase().contains(&s.to_lowercase()));
        }
    }
}

#[test]
fn two_senders_at_once_never_send_the_same_notice_twice() {
    let (_dir, server, p) = practice_with_server(|_| {});
    for _ in 0..6 {
        for no in ["100001", "100003", "100005"] {
            p.portal
                .create_validate_with(&p.staff, &checked(no).reset_password(true))
                .unwrap();
        }
    }
    assert_eq!(p.portal.notify_status().unwrap().queued, 18);
    let other = p.open_again();
    let (a, b) = std::thread::scope(|sc| {
        let a = sc.spawn(|| p.portal.send_notices(&p.staff).unwrap());
        let b = sc.spawn(|| other.send_notices(&p.admin).unwrap());
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a.sent() + b.sent(), 18, "{a:?} {b:?}");
    let mails = server.messages();
    assert_eq!(mails.len(), 18);
    let mut ids: Vec<&str> = mails
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 18, "each notice once");
}

#[test]
fn a_notice_taken_by_a_sender_that_died_is_sent_after_its_lease() {
    let (_dir, server, p) = practice_with_server(|c| c.notify.timeout_seconds = 5);
    p.portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    // Another process takes it and dies before it says anything.
    {
        let store = portal_admin::store::Store::open(
            &p.db(),
            &portal_admin::store::StoreOptions::default(),
        )
        .unwrap();
        let now = p.portal.now();
        let taken = store
            .write_outbox(now, |tx| tx.take_due(10, now + Duration::seconds(80), None))
            .unwrap();
        assert_eq!(taken.len(), 1);
    }
    p.portal.refresh();
    let st = p.portal.notify_status().unwrap();
    assert_eq!(st.next[0].state, NoticeState::Sending);
    assert!(p.portal.send_notices(&p.admin).unwrap().attempts.is_empty());
    p.clock.advance(Duration::seconds(80));
    let report = p.portal.send_notices(&p.admin).unwrap();
    assert_eq!(report.sent(), 1);
    assert_eq!(report.attempts[0].attempt, 2);
    assert_eq!(server.messages().len(), 1);
}

/// A private certificate authority and a certificate it signed for the
/// relay at 127.0.0.1, made with the `openssl` command: (ca, cert, key).
fn private_ca(
    dir: &std::path::Path,
) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("the openssl command");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let new_key = |name: &str| {
        run(&[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            name,
        ])
    };
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    new_key("ca.key");
    run(&[
        "req",
        "-x509",
        "-new",
        "-key",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Practice Test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    new_key("relay.key");
    run(&[
        "req",
        "-new",
        "-key",
        "relay.key",
        "-out",
        "relay.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "relay.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "relay.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("relay.pem"),
        dir.join("relay.key"),
    )
}

#[test]
fn starttls_and_a_password_from_a_private_file_reach_a_relay_that_requires_both() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = private_ca(dir.path());
    let server = SmtpServer::start(
        &dir.path().join("mail"),
        SmtpOptions {
            starttls: Some((cert, key)),
            auth: Some("portal:relay-secret-9431".into()),
            ..SmtpOptions::default()
        },
    );
    let pw_file = dir.path().join("smtp-password");
    std::fs::write(&pw_file, "relay-secret-9431\n").unwrap();
    std::fs::set_permissions(&pw_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let url = format!("smtp://portal@127.0.0.1:{}?tls=required", server.port);
    let p = practice_with_relay(&url, |c| {
        c.notify.smtp_password_file = Some(pw_file.clone());
    });
    p.portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    let with = |tweak: &dyn Fn(&mut portal_admin::config::Config)| {
        let mut c = config_in(p.dir.path());
        c.notify.smtp_url = Some(url.clone());
        c.notify.from = Some(FROM.into());
        c.notify.smtp_password_file = Some(pw_file.clone());
        c.notify.tls_ca_file = Some(ca.clone());
        c.notify.retry_after_seconds = 1;
        tweak(&mut c);
        portal_admin::Portal::open(&p.db(), c, p.clock.clone()).unwrap()
    };
    let attempt = |portal: &portal_admin::Portal| {
        p.clock.advance(Duration::hours(1));
        let r = portal.send_notices(&p.admin).unwrap();
        assert_eq!(r.attempts.len(), 1, "{r:?}");
        r.attempts[0].delivery.clone()
    };
    let retry_reason = |d: Delivery| match d {
        Delivery::Retry { reason, .. } => reason,
        other => panic!("{other:?}"),
    };

    // The relay's certificate is signed by the practice's own CA: without
    // it, TLS is refused (and nothing is sent in clear).
    let reason = retry_reason(attempt(&p.portal));
    assert!(
        reason.starts_with("TLS with the relay 127.0.0.1:"),
        "{reason}"
    );
    // A password file others can read is not used.
    std::fs::set_permissions(&pw_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let reason = retry_reason(attempt(&with(&|_| {})));
    assert!(reason.contains("can be read by other users"), "{reason}");
    std::fs::set_permissions(&pw_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    // A wrong password: the relay's sign-in is refused; the notice waits
    // for the administrator to fix it, and the password is never shown.
    let wrong = dir.path().join("wrong-password");
    std::fs::write(&wrong, "not-the-secret-7710\n").unwrap();
    std::fs::set_permissions(&wrong, std::fs::Permissions::from_mode(0o600)).unwrap();
    let reason = retry_reason(attempt(&with(&|c| {
        c.notify.smtp_password_file = Some(wrong.clone())
    })));
    assert!(
        reason.contains("did not accept portal-admin's sign-in"),
        "{reason}"
    );
    assert!(!reason.contains("not-the-secret-7710"));
    // All well: STARTTLS, then AUTH, then the notice. (Its status is read
    // through the handle that sent it: another handle sees the commit only
    // when its read snapshot, up to store::SNAPSHOT_TTL old, is renewed.)
    let sender = with(&|_| {});
    assert_eq!(attempt(&sender), Delivery::Sent);
    assert_eq!(server.messages().len(), 1);
    let st = sender.notify_status().unwrap();
    assert_eq!((st.queued, st.sent), (0, 1));
    for ev in events(&p) {
        assert!(!format!("{ev:?}").contains("relay-secret-9431"));
    }
}

#[test]
fn a_relay_that_never_answers_costs_one_timeout_and_the_notice_waits() {
    // Something listens on the port but never speaks SMTP.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://127.0.0.1:{}", silent.local_addr().unwrap().port());
    let p = practice_with_relay(&url, |c| c.notify.timeout_seconds = 1);
    p.portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    let report = p.portal.send_notices(&p.staff).unwrap();
    match &report.attempts[0].delivery {
        Delivery::Retry { reason, .. } => {
            assert!(reason.contains("did not answer in time"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(report.pending, 1);
    drop(silent);
}

// ---- Through the real binary -------------------------------------------

/// A practice set up through the CLI whose notices go to `relay`.
fn practice_bin_with_relay(home: &std::path::Path, relay: &str, extra: &str) -> Bin {
    std::fs::write(
        home.join("config.toml"),
        format!(
            "[log]\nlevel = \"debug\"\nfile = \"{}\"\n[ui]\ntime_zone = \"America/New_York\"\n[notify]\nsmtp_url = \"{relay}\"\nfrom = \"{}\"\ncontact = \"{CONTACT}\"\n{extra}",
            home.join("portal-admin.log").display(),
            FROM.replace('"', "\\\""),
        ),
    )
    .unwrap();
    let bin = Bin::new(home);
    bin.practice();
    bin
}

#[test]
fn notify_status_and_send_through_the_binary_while_the_relay_is_down_then_back() {
    let home = tempfile::tempdir().unwrap();
    let mut server = SmtpServer::down(&home.path().join("mail"), SmtpOptions::default());
    let bin = practice_bin_with_relay(home.path(), &server.url(), "retry_after_seconds = 1\n");

    // The change is made and its login shown; the notice waits.
    let out = bin.staff_reset("100003", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("temporary password: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(
            "not sent yet: notice 1 (account created) to kathleen.obrien@example.org: cannot reach the relay 127.0.0.1:"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("The password is never sent by email"),
        "{}",
        out.stderr
    );
    let status = bin.ok(&["notify", "status"], "");
    assert!(
        status.contains(&format!(
            "notices: on (relay smtp://127.0.0.1:{})",
            server.port
        )),
        "{status}"
    );
    assert!(
        status.contains("queued: 1\nsent: 0\nfailed: 0\n"),
        "{status}"
    );
    assert!(
        status.contains("last error: 20") && status.contains("cannot reach the relay"),
        "{status}"
    );
    assert!(
        status.contains("notice 1\tqueued\tkathleen.obrien@example.org\taccount created\tattempts 1\tnext attempt "),
        "{status}"
    );

    // Still down: `notify send` says so and exits 1.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = bin.run(&["notify", "send"], "");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("not sent yet: notice 1 (account created)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("1 notice is still queued"),
        "{}",
        out.stderr
    );

    // Back: the next `notify send` delivers it and exits 0.
    server.up();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = bin.run(&["notify", "send"], "");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        "sent: notice 1 (account created) to kathleen.obrien@example.org\n"
    );
    assert_eq!(server.messages().len(), 1);
    let out = bin.run(&["notify", "send"], "");
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, ""),
        "nothing left: {}",
        out.stderr
    );

    let json: serde_json::Value =
        serde_json::from_str(&bin.ok(&["notify", "status", "--json"], "")).unwrap();
    assert_eq!(json["enabled"], true);
    assert_eq!(json["queued"], 0);
    assert_eq!(json["sent"], 1);
    assert!(
        json["last_sent_at"].as_str().unwrap().ends_with('Z'),
        "JSON stays in UTC: {json}"
    );

    // The cron job's delivery is recorded as the file's owner.
    let audit = bin.ok(&["audit", "list"], "");
    assert!(
        audit
            .lines()
            .any(|l| l.contains("notice_sent") && l.contains("local:")),
        "{audit}"
    );
}

#[test]
fn a_reset_at_the_command_line_sends_its_own_notice_right_away() {
    let home = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&home.path().join("mail"), SmtpOptions::default());
    let bin = practice_bin_with_relay(home.path(), &server.url(), "");
    let out = bin.staff_reset("100005", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("sent: notice 1 (account created) to smith.family@example.net"),
        "{}",
        out.stderr
    );
    let mail = &server.messages()[0];
    assert!(
        mail.text()
            .contains("If this wasn't you, call the front desk at (555) 010-0199.")
    );
    let password = field(&out.stdout, "temporary password");
    assert!(!mail.raw.contains(password) && !mail.raw.contains(&password.replace('-', "")));

    // A link leaves the password alone and tells the holder.
    let out = bin.staff_reset("100002", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = bin.staff_reset("100001", &[]);
    assert!(
        out.stdout.starts_with("linked: patient 100001"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("sent: notice 3 (patient added)"),
        "{}",
        out.stderr
    );

    // The Control Panel's password tells the holder too.
    let out = bin.admin_run(
        &[
            "account",
            "set-password",
            "--email",
            "smith.family@example.net",
        ],
        "violet-canyon-ledger-thimble\nviolet-canyon-ledger-thimble\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("sent: notice 4 (password set by an administrator)"),
        "{}",
        out.stderr
    );
    assert_eq!(server.messages().len(), 4);
}

#[test]
fn a_relay_url_that_would_leak_the_password_is_refused_at_start_naming_the_key() {
    let home = tempfile::tempdir().unwrap();
    let bin = Bin::new(home.path());
    bin.ok(&["init"], "");
    for (notify, want) in [
        (
            "smtp_url = \"smtp://portal:hunter2@relay.example.org?tls=required\"\nfrom = \"portal@sunshine.example\"\n",
            "notify.smtp_url: holds a password",
        ),
        (
            "smtp_url = \"smtp://relay.example.org\"\nfrom = \"portal@sunshine.example\"\n",
            "notify.smtp_url: smtp://relay.example.org would send notices unencrypted",
        ),
        (
            "smtp_url = \"smtps://relay.example.org\"\nfrom = \"nobody\"\n",
            "notify.from: \"nobody\" is not a sender address",
        ),
    ] {
        std::fs::write(
            home.path().join("config.toml"),
            format!("[notify]\n{notify}"),
        )
        .unwrap();
        let out = bin.run(&["notify", "status"], "");
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stderr.contains(want), "{}", out.stderr);
        assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    }
}

#[test]
fn guardian_changes_and_a_new_login_tell_the_holders_and_the_old_address() {
    use portal_admin::domain::Relationship;
    use portal_admin::services::AddGuardian;
    let (_dir, server, p) = practice_with_server(|_| {});
    p.portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    let add = |email: &str, rel| {
        AddGuardian::new("100005", email, rel).identity_check(Some(IDENTITY_CHECK))
    };
    let father = p
        .portal
        .add_guardian(
            &p.staff,
            &add("dan.smith@example.net", Relationship::Father),
        )
        .unwrap();
    assert!(father.notice.is_some());
    let secret_pw = father.login.as_ref().unwrap().password.expose().to_owned();
    p.create_validate("100003");
    let linked = p
        .portal
        .add_guardian(
            &p.staff,
            &add("kathleen.obrien@example.org", Relationship::Other),
        )
        .unwrap();
    assert!(linked.login.is_none() && linked.notice.is_some());
    let removed = p
        .portal
        .remove_guardian(
            &p.admin,
            "100005",
            "smith.family@example.net",
            "custody order",
        )
        .unwrap();
    assert!(removed.notice.is_some());
    let changed = p
        .portal
        .change_login_email(
            &p.admin,
            "dan.smith@example.net",
            "daniel@example.net",
            None,
        )
        .unwrap();
    assert_eq!(changed.notices.len(), 2);
    let report = p.portal.send_notices(&p.admin).unwrap();
    // 7 to the holders, and 5 to the patients' other current guardians:
    // the mother of the father's and of Kathleen's arrival, the father of
    // Kathleen's, the father and Kathleen of the mother's removal.
    assert_eq!(report.sent(), 12, "{report:?}");
    let mails = server.messages();
    let seen: Vec<(String, String)> = mails
        .iter()
        .map(|m| {
            (
                m.header("X-Envelope-To").unwrap_or("").to_owned(),
                m.header("Subject").unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want = [
        (
            "dan.smith@example.net",
            "you were given portal access to a patient",
        ),
        (
            "kathleen.obrien@example.org",
            "you were given portal access to a patient",
        ),
        (
            "smith.family@example.net",
            "a patient was removed from your portal account",
        ),
        (
            "dan.smith@example.net",
            "the login of your portal account was changed",
        ),
        (
            "daniel@example.net",
            "the login of your portal account was changed",
        ),
    ];
    for (to, subject) in want {
        assert!(
            seen.iter()
                .any(|(t, s)| t == to && s == &format!("Sunshine Pediatrics: {subject}")),
            "{to}: {subject} not in {seen:?}"
        );
    }
    let moved = mails
        .iter()
        .find(|m| {
            m.header("X-Envelope-To") == Some("dan.smith@example.net")
                && m.header("Subject")
                    == Some("Sunshine Pediatrics: the login of your portal account was changed")
        })
        .unwrap();
    assert!(
        moved.text().contains("was changed from dan.smith@example.net to daniel@example.net by the practice's portal administrator"),
        "{}",
        moved.text()
    );
    for m in &mails {
        assert!(!m.raw.contains(&secret_pw) && !m.raw.contains(&secret_pw.replace('-', "")));
        assert!(
            !m.text().contains("custody"),
            "the reason stays in the audit trail"
        );
    }
}

/// Finding 4 of issue 11: a notice names the relationship ("as their
/// father"); a patient's own account is told it is their own, never their
/// guardian.
#[test]
fn notices_name_the_relationship_instead_of_always_as_their_guardian() {
    use portal_admin::domain::Relationship;
    use portal_admin::services::AddGuardian;
    let (_dir, server, p) = practice_with_server(|c| c.guardians.self_account_from_age = 9);
    let add = |patient: &str, email: &str, rel| {
        AddGuardian::new(patient, email, rel).identity_check(Some(IDENTITY_CHECK))
    };
    p.portal
        .add_guardian(
            &p.staff,
            &add("100005", "dan.smith@example.net", Relationship::Father),
        )
        .unwrap();
    // Seán (born 30 Nov 2016) is old enough here for his own account.
    p.portal
        .add_guardian(
            &p.staff,
            &add("100003", "sean@example.org", Relationship::Own),
        )
        .unwrap();
    p.portal.send_notices(&p.admin).unwrap();
    let body = |to: &str| {
        let m = server
            .messages()
            .into_iter()
            .find(|m| m.header("X-Envelope-To") == Some(to))
            .unwrap_or_else(|| panic!("no notice to {to}"));
        m.text().split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let father = body("dan.smith@example.net");
    assert!(
        father.contains("a patient's record as their father"),
        "{father}"
    );
    let own = body("sean@example.org");
    assert!(own.contains("your own account"), "{own}");
    assert!(!own.contains("guardian"), "{own}");
    assert!(
        !own.contains("O'Brien") && !father.contains("Smith"),
        "no patient name"
    );
}

/// Finding 2 of issue 11: when a guardian is added or removed, the
/// patient's other current guardians are told too, in the same
/// transaction — without a password, the patient's name or the other
/// person's login. Staff linking another family's login to a child is
/// then seen by the child's own parents.
#[test]
fn adding_or_removing_a_guardian_tells_the_patients_other_current_guardians() {
    use portal_admin::domain::Relationship;
    use portal_admin::services::AddGuardian;
    let (_dir, server, p) = practice_with_server(|_| {});
    p.portal
        .create_validate_with(&p.staff, &checked("100005"))
        .unwrap();
    // Another family's login (Seán O'Brien's mother) linked to Olivia.
    p.create_validate("100003");
    let add = |email: &str, rel| {
        AddGuardian::new("100005", email, rel).identity_check(Some(IDENTITY_CHECK))
    };
    let other = p
        .portal
        .add_guardian(
            &p.staff,
            &add("kathleen.obrien@example.org", Relationship::Other),
        )
        .unwrap();
    assert_eq!(other.others.len(), 1, "the mother is told");
    let ev = events(&p)
        .into_iter()
        .rev()
        .find(|e| e.action == Action::GuardianAdded)
        .unwrap();
    assert!(
        ev.outcome.contains(&format!(
            "other guardians told: notice {} queued",
            other.others[0]
        )),
        "{}",
        ev.outcome
    );
    let father = p
        .portal
        .add_guardian(
            &p.staff,
            &add("dan.smith@example.net", Relationship::Father),
        )
        .unwrap();
    assert_eq!(father.others.len(), 2, "the mother and the other carer");
    let removed = p
        .portal
        .remove_guardian(
            &p.admin,
            "100005",
            "kathleen.obrien@example.org",
            "not family",
        )
        .unwrap();
    assert_eq!(removed.others.len(), 2, "the mother and the father");
    p.portal.send_notices(&p.admin).unwrap();
    let to_mother: Vec<String> = server
        .messages()
        .into_iter()
        .filter(|m| m.header("X-Envelope-To") == Some("smith.family@example.net"))
        .map(|m| {
            format!("{} | {}", m.header("Subject").unwrap_or(""), m.text())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let told = |subject: &str| {
        to_mother
            .iter()
            .find(|m| m.starts_with(&format!("Sunshine Pediatrics: {subject} |")))
            .unwrap_or_else(|| panic!("{subject} not in {to_mother:#?}"))
            .clone()
    };
    let carer = to_mother
        .iter()
        .find(|m| m.contains("as someone close to the patient"))
        .unwrap_or_else(|| panic!("{to_mother:#?}"));
    assert!(
        carer.contains("your access and your password did not change"),
        "{carer}"
    );
    told("someone else was given portal access to a patient on your account");
    assert!(
        to_mother
            .iter()
            .any(|m| m.contains("as the patient's father")),
        "{to_mother:#?}"
    );
    let gone = told("another guardian's portal access to a patient was removed");
    assert!(
        gone.contains("by the practice's portal administrator"),
        "{gone}"
    );
    for m in &to_mother {
        assert!(!m.contains("Olivia") && !m.contains("Smith,"), "{m}");
        assert!(!m.contains("kathleen") && !m.contains("dan.smith"), "{m}");
        assert!(
            !m.contains("not family"),
            "the reason stays in the audit trail: {m}"
        );
        assert!(
            !m.contains(father.login.as_ref().unwrap().password.expose()),
            "{m}"
        );
    }
    // The father was told of the removal too.
    assert!(server.messages().iter().any(|m| {
        m.header("X-Envelope-To") == Some("dan.smith@example.net")
            && m.text().contains("Another person's portal access")
    }));
}
