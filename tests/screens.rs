//! The full-screen app on ratatui's TestBackend: snapshots of every screen
//! and modal at 80x24 and 120x40, and how keys drive it.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use portal_admin::Portal;
use portal_admin::config::UiConfig;
use portal_admin::domain::Role;
use portal_admin::tui::component::ModalKind;
use portal_admin::tui::harness::Harness;
use portal_admin::tui::msg::Msg;
use portal_admin::tui::theme::Theme;
use ratatui::Terminal;

fn practice(w: u16, h: u16) -> AppOnPractice {
    Practice::new().app(w, h)
}

fn signed_in(who: &str, w: u16, h: u16) -> AppOnPractice {
    Practice::new().app_signed_in(who, w, h)
}

fn audit_len(portal: &Portal) -> usize {
    portal.audit_list(0, 1_000_000).unwrap().len()
}

fn top_is(hs: &Harness, kind: Option<ModalKind>) -> bool {
    hs.top_modal() == kind
}

fn snap(name: &str, hs: &Harness) {
    insta::assert_snapshot!(name, hs.screen());
}

#[test]
fn sign_in_screens() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(portal_admin::clock::ManualClock::monday_morning());
    let portal =
        Portal::create(&dir.path().join("demo.redb"), config_in(dir.path()), clock).unwrap();
    portal
        .seed_demo(&Portal::local_admin(), 60, &mut |_, _| {})
        .unwrap();
    for (w, h) in [(80, 24), (120, 40)] {
        let portal = Portal::open(
            &dir.path().join("demo.redb"),
            config_in(dir.path()),
            Arc::new(portal_admin::clock::ManualClock::monday_morning()),
        )
        .unwrap();
        let mut hs = Harness::new(portal, w, h);
        snap(&format!("sign_in_demo_{w}x{h}"), &hs);
        // Wrong credentials are shown in the form.
        hs.type_text("staff");
        hs.key(KeyCode::Tab);
        hs.type_text("not the password");
        hs.key(KeyCode::Enter);
        hs.settle();
        assert!(
            hs.screen().contains("Wrong operator name or password."),
            "{}",
            hs.screen()
        );
        assert!(!hs.screen().contains("not the password"));
        snap(&format!("sign_in_wrong_{w}x{h}"), &hs);
    }
}

#[test]
fn staff_main_screen_lookup_and_status() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut hs = signed_in("sam", w, h);
        snap(&format!("staff_main_{w}x{h}"), &hs);
        hs.type_text("garcia");
        snap(&format!("staff_search_garcia_{w}x{h}"), &hs);
        assert!(hs.screen().contains("García-López, José"));
        assert!(
            !hs.screen().contains("Control Panel"),
            "staff never see the Control Panel"
        );
    }
}

#[test]
fn create_validate_modals_and_the_temporary_login() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut hs = signed_in("sam", w, h);
        hs.type_text("smith");
        hs.key(KeyCode::Enter);
        hs.ch('c');
        assert!(top_is(&hs, Some(ModalKind::Confirm)));
        snap(&format!("confirm_create_{w}x{h}"), &hs);
        // Enter activates the focused button, and focus starts on No.
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, None), "Enter on No cancels");
        hs.ch('c');
        hs.ch('y');
        hs.settle();
        assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
        let pw = hs.temporary_password().unwrap();
        assert_eq!(pw.len(), 19, "XXXX-XXXX-XXXX-XXXX");
        snap(&format!("temporary_login_{w}x{h}"), &hs);
        // A lone Esc does not close it; d does, and it is gone.
        hs.key(KeyCode::Esc);
        assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
        hs.ch('d');
        assert!(top_is(&hs, None));
        assert!(!hs.screen().contains(&pw));
        assert!(hs.screen().contains("RESET REQUIRED"), "{}", hs.screen());
        snap(&format!("status_after_reset_{w}x{h}"), &hs);
        // Now it is a reset.
        hs.ch('c');
        snap(&format!("confirm_reset_{w}x{h}"), &hs);
        hs.ch('n');
    }
}

#[test]
fn keys_typed_before_a_modal_appeared_are_dropped() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.key(KeyCode::Enter);
    // `c` then `y` arrive together, before the confirmation was drawn.
    let before = Instant::now();
    hs.send(Msg::Key(
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE),
        before,
    ));
    hs.send(Msg::Key(
        KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE),
        before,
    ));
    hs.draw();
    assert!(
        top_is(&hs, Some(ModalKind::Confirm)),
        "the buffered y did not confirm"
    );
    assert!(!hs.app.busy());
    hs.ch('y');
    // Keys typed while the hash runs never reach the temporary login.
    let during = Instant::now();
    hs.settle();
    hs.send(Msg::Key(
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        during,
    ));
    hs.draw();
    assert!(
        top_is(&hs, Some(ModalKind::TemporaryLogin)),
        "a buffered Enter did not dismiss the login"
    );
}

#[test]
fn admin_control_panel_and_set_password() {
    let p = Practice::new();
    p.create_validate("100003");
    let mut hs = p.app(120, 40);
    hs.type_text("ana");
    hs.key(KeyCode::Tab);
    hs.type_text(ADMIN_PW);
    hs.key(KeyCode::Enter);
    hs.settle();
    snap("admin_main_120x40", &hs);
    hs.key(KeyCode::Enter);
    hs.ch('3');
    hs.ch('/');
    hs.type_text("KATH");
    hs.key(KeyCode::Enter);
    assert!(hs.screen().contains("kathleen.obrien@example.org"));
    hs.ch('p');
    assert!(top_is(&hs, Some(ModalKind::SetPassword)));
    hs.type_text("velvet-compass-sparrow-31");
    hs.key(KeyCode::Tab);
    hs.type_text("velvet-compass-sparrow-3");
    hs.key(KeyCode::Enter);
    hs.settle();
    assert!(hs.screen().contains("not the same"), "{}", hs.screen());
    assert!(!hs.screen().contains("velvet"), "a password is never drawn");
    snap("set_password_mismatch_120x40", &hs);
    hs.ch('1');
    hs.key(KeyCode::Tab);
    hs.ch(' ');
    snap("set_password_unticked_120x40", &hs);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    hs.settle();
    assert!(top_is(&hs, None));
    assert!(
        hs.screen()
            .contains("Password set for kathleen.obrien@example.org (Password Reset Required: no)"),
        "{}",
        hs.screen()
    );
    let acc = hs
        .app
        .portal()
        .account_by_email("kathleen.obrien@example.org")
        .unwrap();
    assert!(!acc.reset_required);
}

#[test]
fn help_lists_the_keys_of_where_you_are() {
    let mut hs = signed_in("sam", 80, 24);
    hs.key(KeyCode::Enter);
    hs.ch('?');
    let screen = hs.screen();
    snap("help_staff_lookup_80x24", &hs);
    for b in portal_admin::tui::keys::bindings(portal_admin::tui::keys::Context::Lookup) {
        if b.context == portal_admin::tui::keys::Context::ControlPanel {
            continue;
        }
        let first_words: String = b.description.chars().take(20).collect();
        if b.action == portal_admin::tui::keys::Action::GoControlPanel {
            assert!(
                !screen.contains(&first_words),
                "staff help hides {first_words}"
            );
        }
    }
    hs.key(KeyCode::Esc);
    assert!(hs.top_modal().is_none());
}

#[test]
fn small_terminals_degrade_and_nothing_panics() {
    let mut hs = signed_in("ana", 80, 24);
    hs.resize(60, 20);
    snap("compact_lookup_60x20", &hs);
    hs.key(KeyCode::Enter);
    hs.ch('2');
    snap("compact_status_60x20", &hs);
    hs.resize(39, 11);
    snap("too_small_39x11", &hs);
    hs.ch('j');
    hs.resize(80, 24);
    assert!(
        hs.screen().contains("[2 Account]"),
        "state kept while too small: {}",
        hs.screen()
    );
    // Every size, with and without a modal open.
    hs.ch('c');
    for (w, h) in [
        (0, 0),
        (1, 1),
        (10, 3),
        (39, 11),
        (40, 12),
        (41, 13),
        (79, 23),
        (80, 24),
        (100, 30),
        (200, 60),
        (300, 100),
    ] {
        hs.resize(w, h);
    }
    for w in (0..=300).step_by(37) {
        for h in (0..=100).step_by(13) {
            hs.resize(w, h);
        }
    }
}

#[test]
fn first_run_without_patients_says_what_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(portal_admin::clock::ManualClock::monday_morning());
    let portal = Portal::create(&dir.path().join("p.redb"), config_in(dir.path()), clock).unwrap();
    portal
        .add_operator(
            &Portal::local_admin(),
            "sam",
            Role::Staff,
            &secret(STAFF_PW),
            &secret(STAFF_PW),
        )
        .unwrap();
    let mut hs = Harness::new(portal, 80, 24);
    hs.type_text("sam");
    hs.key(KeyCode::Tab);
    hs.type_text(STAFF_PW);
    hs.key(KeyCode::Enter);
    hs.settle();
    assert!(hs.screen().contains("No patients yet"), "{}", hs.screen());
    snap("no_patients_80x24", &hs);
}

#[test]
fn idle_sign_out_clears_patient_data() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("garcia");
    assert!(hs.screen().contains("García"));
    assert!(!hs.app.check_idle(Instant::now()));
    assert!(
        hs.app
            .check_idle(Instant::now() + Duration::from_secs(11 * 60))
    );
    hs.draw();
    let screen = hs.screen();
    assert!(!screen.contains("García"), "{screen}");
    assert!(screen.contains("Signed out after 10 minutes"), "{screen}");
}

#[test]
fn a_pasted_newline_never_submits_and_paste_drops_controls() {
    let mut hs = practice(80, 24);
    hs.send(Msg::Paste("sam\n\u{1b}[2J".into()));
    hs.draw();
    assert!(!hs.app.busy(), "no sign-in started");
    assert!(hs.screen().contains("sam[2J"), "{}", hs.screen());
}

#[test]
fn a_reset_decided_on_an_old_view_is_refused_in_the_app() {
    let mut hs = signed_in("sam", 80, 24);
    hs.app
        .portal()
        .create_validate(
            &hs.app
                .portal()
                .operator_sign_in("ana", &secret(ADMIN_PW))
                .unwrap(),
            "100005",
            None,
            None,
        )
        .unwrap();
    hs.type_text("smith");
    hs.key(KeyCode::Enter);
    hs.ch('c');
    // Meanwhile another operator resets the same account.
    let admin = hs
        .app
        .portal()
        .operator_sign_in("ana", &secret(ADMIN_PW))
        .unwrap();
    hs.app
        .portal()
        .create_validate(&admin, "100005", None, None)
        .unwrap();
    hs.ch('y');
    hs.settle();
    assert!(top_is(&hs, None));
    assert!(
        hs.screen().contains("changed by someone else"),
        "{}",
        hs.screen()
    );
}

#[test]
fn moving_the_selection_sends_a_small_fraction_of_a_repaint() {
    use ratatui::backend::CrosstermBackend;
    use std::io::Write;
    use std::sync::Mutex;

    #[derive(Clone, Default)]
    struct Counter(Arc<Mutex<usize>>);
    impl Write for Counter {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            *self.0.lock().unwrap() += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hs = signed_in("sam", 80, 24);
    hs.key(KeyCode::Enter);
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        hs.send(Msg::Resize(w, h));
        let counter = Counter::default();
        let backend = CrosstermBackend::new(counter.clone());
        let mut term = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
            },
        )
        .unwrap();
        term.draw(|f| hs.app.draw(f)).unwrap();
        let full = *counter.0.lock().unwrap();
        *counter.0.lock().unwrap() = 0;
        hs.send(Msg::Key(
            KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE),
            Instant::now(),
        ));
        term.draw(|f| hs.app.draw(f)).unwrap();
        let moved = *counter.0.lock().unwrap();
        *counter.0.lock().unwrap() = 0;
        term.draw(|f| hs.app.draw(f)).unwrap();
        let same = *counter.0.lock().unwrap();
        record_figure(
            &format!("bytes-per-key-{w}x{h}"),
            &format!(
                "terminal bytes at {w}x{h}: full repaint {full} B, one-row move {moved} B, unchanged frame {same} B"
            ),
        );
        assert!(
            moved * 5 < full,
            "a one-row move sent {moved} of {full} bytes"
        );
        assert!(same < 64, "an unchanged frame sent {same} bytes");
    }
}

#[test]
fn admin_screens_at_80x24_and_help_at_120x40() {
    let p = Practice::new();
    p.create_validate("100003");
    let mut hs = p.app(80, 24);
    hs.type_text("ana");
    hs.key(KeyCode::Tab);
    hs.type_text(ADMIN_PW);
    hs.key(KeyCode::Enter);
    hs.settle();
    snap("admin_main_80x24", &hs);
    hs.key(KeyCode::Enter);
    hs.ch('3');
    snap("admin_control_panel_80x24", &hs);
    hs.ch('p');
    snap("set_password_80x24", &hs);
    hs.key(KeyCode::Esc);
    assert!(top_is(&hs, None), "an empty form closes without asking");
    hs.ch('p');
    hs.type_text("x");
    hs.key(KeyCode::Esc);
    assert!(
        top_is(&hs, Some(ModalKind::Confirm)),
        "a filled form asks first"
    );
    hs.ch('y');
    assert!(top_is(&hs, None));
    hs.ch('u');
    assert!(hs.screen().contains("is not locked"), "{}", hs.screen());
    hs.ch('d');
    snap("confirm_disable_80x24", &hs);
    hs.ch('y');
    hs.settle();
    assert!(
        hs.screen()
            .contains("Disabled for kathleen.obrien@example.org"),
        "{}",
        hs.screen()
    );
    hs.resize(120, 40);
    hs.ch('?');
    snap("help_admin_control_panel_120x40", &hs);
    assert!(hs.screen().contains("Password: set a new password"));
}

#[test]
fn the_temporary_login_copies_with_osc52_only_when_allowed() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.key(KeyCode::Enter);
    hs.ch('c');
    hs.ch('y');
    hs.settle();
    let pw = hs.temporary_password().unwrap();
    hs.ch('c');
    let seq = hs
        .app
        .take_clipboard()
        .expect("an OSC 52 sequence to write");
    assert!(
        seq.starts_with("\u{1b}]52;c;") && seq.ends_with('\u{7}'),
        "write-only set, never a query"
    );
    use base64::Engine;
    let body = &seq["\u{1b}]52;c;".len()..seq.len() - 1];
    let decoded = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap();
    assert!(decoded.contains(&pw) && decoded.contains("smith.family@example.net"));
    assert!(hs.screen().contains("Copied"));

    // With copying turned off in the settings, nothing is written.
    let p = Practice::new();
    p.create_validate("100005");
    let ui = UiConfig {
        osc52_copy: false,
        ..UiConfig::default()
    };
    let mut hs = Harness::with(p.open_again(), ui, Theme::new(false, false), 80, 24);
    hs.sign_in("sam", STAFF_PW);
    hs.type_text("smith");
    hs.key(KeyCode::Enter);
    hs.ch('c');
    hs.ch('y');
    hs.settle();
    hs.ch('c');
    assert!(hs.app.take_clipboard().is_none());
    assert!(
        hs.screen().contains("Copying is turned off"),
        "{}",
        hs.screen()
    );
}

#[test]
fn ctrl_r_shows_another_operators_change() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("obrien");
    hs.key(KeyCode::Enter);
    assert!(hs.screen().contains("NO PORTAL ACCOUNT"));
    // Another operator, in another process, creates the account.
    let other = hs
        .app
        .portal()
        .operator_sign_in("ana", &secret(ADMIN_PW))
        .unwrap();
    hs.app
        .portal()
        .create_validate(&other, "100003", None, None)
        .unwrap();
    hs.press(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert!(hs.screen().contains("RESET REQUIRED"), "{}", hs.screen());
    assert!(hs.screen().contains("Reloaded from the database."));
}

/// Issue 8's defect: `c`, then `y j j` sent together. The popup showed the
/// patient selected when the reply came, not the one the reset was for.
#[test]
fn the_temporary_login_names_the_patient_of_the_request_not_the_selection() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("garcia");
    hs.key(KeyCode::Enter);
    assert!(hs.screen().contains("> 100001"), "{}", hs.screen());
    hs.ch('c');
    assert!(top_is(&hs, Some(ModalKind::Confirm)));
    // y, j, j arrive together: the reset starts, then the selection moves
    // to the sister while the hash runs.
    for c in ['y', 'j', 'j'] {
        hs.send(Msg::Key(
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            Instant::now(),
        ));
    }
    hs.draw();
    assert!(hs.app.busy(), "the reset is running");
    assert!(
        hs.screen().contains("> 100002"),
        "the selection moved: {}",
        hs.screen()
    );
    hs.settle();
    assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
    let screen = hs.screen();
    let popup_patient = screen
        .lines()
        .find(|l| l.contains("│Patient             "))
        .unwrap_or_default();
    assert!(
        popup_patient.contains("García-López, José"),
        "the popup names the patient of the reset: {screen}"
    );
}

/// Issue 8's second defect: a second Create/Validate while the first one's
/// hash runs replaced the pending request, and the first login, already
/// committed, was never shown.
#[test]
fn a_second_request_while_one_runs_is_refused_and_the_first_login_is_shown() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.key(KeyCode::Enter);
    hs.ch('c');
    hs.ch('y');
    assert!(hs.app.busy());
    let audit_before = audit_len(hs.app.portal());
    // Another Create/Validate for the same patient, confirmed, while the
    // first one runs: the router refuses it.
    hs.ch('c');
    hs.ch('y');
    assert!(
        hs.screen().contains("Not started: wait for"),
        "{}",
        hs.screen()
    );
    hs.settle();
    assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
    let pw = hs.temporary_password().expect("the first login is shown");
    assert_eq!(
        audit_len(hs.app.portal()),
        audit_before + 1,
        "exactly one reset was committed"
    );
    // And it is the login that works.
    hs.app
        .portal()
        .holder_sign_in("smith.family@example.net", &secret(&pw))
        .expect("the login shown is the one committed");
}
