//! The full-screen app on ratatui's TestBackend: snapshots of every screen
//! and modal at 80x24 and 120x40, and how keys drive it.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use portal_admin::Portal;
use portal_admin::config::UiConfig;
use portal_admin::domain::Relationship;
use portal_admin::domain::Role;
use portal_admin::services::{AddGuardian, SignIn};
use portal_admin::tui::component::{ModalKind, sentence};
use portal_admin::tui::harness::Harness;
use portal_admin::tui::msg::Msg;
use portal_admin::tui::request::{AccountRef, PatientRef, Reply, Request};
use portal_admin::tui::screens::Pane;
use portal_admin::tui::theme::Theme;
use portal_admin::tui::worker;
use ratatui::Terminal;

fn practice(w: u16, h: u16) -> AppOnPractice {
    Practice::new().app(w, h)
}

fn signed_in(who: &str, w: u16, h: u16) -> AppOnPractice {
    Practice::new().app_signed_in(who, w, h)
}

/// Sam in the app at 80x24, and an administrator's session on the same
/// file, for changes made "at another desk" while a screen is open.
fn sam_at_the_desk_and_ana_elsewhere() -> (AppOnPractice, portal_admin::services::Session) {
    let hs = signed_in("sam", 80, 24);
    let admin = hs
        .app
        .portal()
        .operator_sign_in("ana", &secret(ADMIN_PW))
        .unwrap();
    (hs, admin)
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

/// On a confirmation: focus the confirming button (it starts on Cancel)
/// and press it.
fn confirm(hs: &mut Harness) {
    assert!(top_is(hs, Some(ModalKind::Confirm)), "{}", hs.screen());
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
}

/// On Create/Validate's confirmation: pick the first identity check
/// (Enter, which moves to Cancel), Tab to the confirming button, Enter.
fn confirm_create_validate(hs: &mut Harness) {
    assert!(top_is(hs, Some(ModalKind::Confirm)), "{}", hs.screen());
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
}

/// Confirms a change that links an account (the first identity check):
/// no temporary login, nothing to read aloud; the popup says `text`.
fn linked_says(hs: &mut Harness, text: &str) {
    confirm_create_validate(hs);
    hs.settle();
    assert!(top_is(hs, Some(ModalKind::Linked)), "{}", hs.screen());
    assert!(hs.temporary_password().is_none(), "no login to read");
    assert!(hs.screen().contains(text), "{}", hs.screen());
}

/// On the temporary login: Shift-Tab to Done (the last button), Enter.
fn done(hs: &mut Harness) {
    assert!(
        top_is(hs, Some(ModalKind::TemporaryLogin)),
        "{}",
        hs.screen()
    );
    hs.key(KeyCode::BackTab);
    hs.key(KeyCode::Enter);
}

#[test]
fn sign_in_screens() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(portal_admin::clock::ManualClock::monday_morning());
    let portal =
        Portal::create(&dir.path().join("demo.redb"), config_in(dir.path()), clock).unwrap();
    portal
        .seed_demo(&Portal::file_owner(), 60, &mut |_, _| {})
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
        hs.key(KeyCode::F(2));
        assert!(top_is(&hs, Some(ModalKind::Confirm)));
        snap(&format!("confirm_create_{w}x{h}"), &hs);
        // Focus starts on the identity checks: Enter picks one and moves
        // to Cancel, never to the change; Enter there cancels.
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::Confirm)));
        assert!(
            hs.screen().contains("(•) in person, photo ID"),
            "{}",
            hs.screen()
        );
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, None), "Enter on Cancel cancels");
        // Enter on the patient opens the account pane; Enter there asks.
        hs.key(KeyCode::Enter);
        hs.key(KeyCode::Enter);
        confirm_create_validate(&mut hs);
        hs.settle();
        assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
        let pw = hs.temporary_password().unwrap();
        assert_eq!(pw.len(), 19, "XXXX-XXXX-XXXX-XXXX");
        snap(&format!("temporary_login_{w}x{h}"), &hs);
        // Neither Esc, nor letters, nor Enter on Copy close it; Done does.
        hs.key(KeyCode::Esc);
        hs.type_text("dusty");
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
        done(&mut hs);
        assert!(top_is(&hs, None));
        assert!(!hs.screen().contains(&pw));
        assert!(hs.screen().contains("RESET REQUIRED"), "{}", hs.screen());
        snap(&format!("status_after_reset_{w}x{h}"), &hs);
        // Now it is a reset.
        hs.key(KeyCode::F(2));
        snap(&format!("confirm_reset_{w}x{h}"), &hs);
        hs.key(KeyCode::Esc);
        assert!(top_is(&hs, None));
    }
}

#[test]
fn keys_typed_before_a_modal_appeared_are_dropped() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("smith");
    // F2, Tab and Enter arrive together, before the confirmation was drawn.
    let before = Instant::now();
    for code in [KeyCode::F(2), KeyCode::Tab, KeyCode::Enter] {
        hs.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE), before));
    }
    hs.draw();
    assert!(
        top_is(&hs, Some(ModalKind::Confirm)),
        "the buffered Tab Enter did not confirm"
    );
    assert!(!hs.app.busy());
    confirm_create_validate(&mut hs);
    // Keys typed while the hash runs never reach the temporary login.
    let during = Instant::now();
    hs.settle();
    for code in [KeyCode::Tab, KeyCode::Enter] {
        hs.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE), during));
    }
    hs.draw();
    assert!(
        top_is(&hs, Some(ModalKind::TemporaryLogin)),
        "a buffered Tab Enter did not dismiss the login"
    );
}

#[test]
fn admin_control_panel_and_set_password() {
    let p = Practice::new();
    p.create_validate("100003");
    let mut hs = p.app(120, 40);
    hs.sign_in("ana", ADMIN_PW);
    snap("admin_main_120x40", &hs);
    // Control Panel → Users: Tab to it, type part of the email, Enter.
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    hs.type_text("KATH");
    assert!(hs.screen().contains("kathleen.obrien@example.org"));
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::UserDetails)));
    assert!(hs.screen().contains("O'Brien, Seán"), "{}", hs.screen());
    // Password is the focused button.
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::SetPassword)));
    hs.type_text("velvet-compass-sparrow-31");
    hs.key(KeyCode::Tab);
    hs.type_text("velvet-compass-sparrow-3");
    hs.key(KeyCode::Enter);
    // Said on the form, before any "Set this password?".
    assert!(top_is(&hs, Some(ModalKind::SetPassword)));
    assert!(hs.screen().contains("not the same"), "{}", hs.screen());
    assert!(!hs.screen().contains("velvet"), "a password is never drawn");
    snap("set_password_mismatch_120x40", &hs);
    // The confirmation field was emptied: type it again.
    hs.type_text("velvet-compass-sparrow-31");
    hs.key(KeyCode::Tab);
    hs.ch(' ');
    assert!(
        hs.screen().contains("keeps this password"),
        "unticking says what it means: {}",
        hs.screen()
    );
    snap("set_password_unticked_120x40", &hs);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    assert!(
        hs.screen().contains("keeps this password"),
        "the Save confirmation repeats it: {}",
        hs.screen()
    );
    confirm(&mut hs);
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
    hs.key(KeyCode::F(1));
    let screen = hs.screen();
    snap("help_staff_lookup_80x24", &hs);
    assert!(screen.contains("Create/Validate"), "{screen}");
    assert!(
        !screen.contains("details: the selected user"),
        "staff help has no Control Panel keys"
    );
    // Scrolling stops at the end.
    for _ in 0..20 {
        hs.key(KeyCode::PageDown);
    }
    let end = hs.screen();
    assert!(
        end.contains("What the search finds") && end.contains("7 Mar 2019"),
        "the help ends with what the search box takes: {end}"
    );
    // A month as people write it, either way round (fresh s6 finding 8).
    assert!(end.contains("Nov 2017, 2017 Nov"), "{end}");
    // A dotted name beside another name is an email word (fresh s7 F3).
    assert!(end.contains("st john mia"), "{end}");
    hs.key(KeyCode::PageDown);
    hs.key(KeyCode::Down);
    assert_eq!(hs.screen(), end, "help does not scroll past its end");
    hs.key(KeyCode::Up);
    assert_ne!(hs.screen(), end, "and scrolls back");
    hs.key(KeyCode::Esc);
    assert!(hs.top_modal().is_none());
}

#[test]
fn small_terminals_degrade_and_nothing_panics() {
    let mut hs = signed_in("ana", 80, 24);
    hs.resize(60, 20);
    snap("compact_lookup_60x20", &hs);
    assert!(
        hs.screen().contains("Tab next pane"),
        "the hint says how to reach the account pane: {}",
        hs.screen()
    );
    hs.key(KeyCode::Enter);
    snap("compact_status_60x20", &hs);
    hs.resize(39, 11);
    snap("too_small_39x11", &hs);
    hs.key(KeyCode::Down);
    hs.resize(80, 24);
    assert!(
        hs.screen().contains("[2 Account]"),
        "state kept while too small: {}",
        hs.screen()
    );
    // Every size, with and without a modal open.
    hs.key(KeyCode::F(2));
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
    let admin = bootstrap_admin(&portal);
    portal
        .add_operator(
            &admin,
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

/// Fresh eyes, session 7 (second pass), HIGH: F2 showed "Creates an
/// account" for Sofía; meanwhile another desk Create/Validated her brother
/// José, whose email is the same, so the account existed when Create was
/// pressed, and the app silently added Sofía to it: a change nobody saw
/// (no list of the account's patients, no last-name note). It is refused
/// as changed by someone else; F2 again shows the link.
#[test]
fn fresh_s7b_1_a_create_confirmed_after_another_desk_made_the_account_is_refused_not_linked() {
    let (mut hs, admin) = sam_at_the_desk_and_ana_elsewhere();
    hs.type_text("sofia");
    hs.key(KeyCode::F(2));
    assert!(
        hs.screen().contains("Creates an account"),
        "{}",
        hs.screen()
    );
    // Meanwhile another operator creates José's account, the same login.
    create_validate(hs.app.portal(), &admin, "100001", None, None).unwrap();
    confirm_create_validate(&mut hs);
    hs.settle();
    let screen = hs.screen().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(screen.contains("changed by someone else"), "{screen}");
    assert!(hs.temporary_password().is_none(), "{screen}");
    assert!(
        hs.app.portal().guardians("100002").unwrap().is_empty(),
        "Sofía was not added to the account"
    );
    // Read again: F2 now shows the link, with the account's patient.
    hs.key(KeyCode::F(2));
    let screen = hs.screen().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(screen.contains("existing account"), "{screen}");
}

#[test]
fn a_pasted_newline_never_submits_and_paste_drops_controls() {
    let mut hs = practice(80, 24);
    hs.send(Msg::Paste("sam\n\u{1b}[2J".into()));
    hs.draw();
    assert!(!hs.app.busy(), "no sign-in started");
    // The line break separates words as a space does; the escape is dropped.
    assert!(hs.screen().contains("sam [2J"), "{}", hs.screen());
}

#[test]
fn a_reset_decided_on_an_old_view_is_refused_in_the_app() {
    let (mut hs, admin) = sam_at_the_desk_and_ana_elsewhere();
    create_validate(hs.app.portal(), &admin, "100005", None, None).unwrap();
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    // Meanwhile another operator resets the same account.
    create_validate(hs.app.portal(), &admin, "100005", None, None).unwrap();
    confirm_create_validate(&mut hs);
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
            KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
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
    hs.sign_in("ana", ADMIN_PW);
    snap("admin_main_80x24", &hs);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    snap("admin_control_panel_80x24", &hs);
    hs.key(KeyCode::Enter);
    snap("user_details_80x24", &hs);
    hs.key(KeyCode::Enter);
    snap("set_password_80x24", &hs);
    hs.key(KeyCode::Esc);
    assert!(top_is(&hs, None), "an empty form closes without asking");
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Enter);
    hs.type_text("x");
    hs.key(KeyCode::Esc);
    assert!(
        top_is(&hs, Some(ModalKind::Confirm)),
        "a filled form asks first"
    );
    confirm(&mut hs);
    assert!(top_is(&hs, None));
    // Unlock, on an account that is not locked, says so.
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    assert!(hs.screen().contains("is not locked"), "{}", hs.screen());
    assert!(top_is(&hs, Some(ModalKind::UserDetails)));
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    snap("confirm_disable_80x24", &hs);
    confirm(&mut hs);
    hs.settle();
    assert!(
        hs.screen()
            .contains("Disabled for kathleen.obrien@example.org"),
        "{}",
        hs.screen()
    );
    hs.resize(120, 40);
    hs.key(KeyCode::F(1));
    snap("help_admin_control_panel_120x40", &hs);
    assert!(hs.screen().contains("details: the selected user"));
}

#[test]
fn the_temporary_login_copies_with_osc52_only_when_allowed() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
    hs.settle();
    let pw = hs.temporary_password().unwrap();
    // Copy is the second button.
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
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
    assert!(
        decoded.contains("https://portal.example.org/signin") && decoded.contains("expires"),
        "the copy has the URL and the expiry: {decoded}"
    );
    assert!(
        hs.screen().contains("if your terminal allows it"),
        "it does not claim what it cannot know: {}",
        hs.screen()
    );

    // With copying turned off in the settings, nothing is written.
    let p = Practice::new();
    let ui = UiConfig {
        osc52_copy: false,
        ..UiConfig::default()
    };
    let mut hs = Harness::with(p.open_again(), ui, Theme::new(false, false), 80, 24);
    hs.sign_in("sam", STAFF_PW);
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
    hs.settle();
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
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
    assert!(hs.screen().contains("NO PORTAL ACCOUNT"));
    // Another operator, in another process, creates the account.
    let other = hs
        .app
        .portal()
        .operator_sign_in("ana", &secret(ADMIN_PW))
        .unwrap();
    create_validate(hs.app.portal(), &other, "100003", None, None).unwrap();
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
    assert!(hs.screen().contains("> 100001"), "{}", hs.screen());
    hs.key(KeyCode::F(2));
    hs.key(KeyCode::Enter); // the first identity check
    hs.key(KeyCode::Tab);
    // Enter, Down, Down arrive together: the reset starts, then the
    // selection moves to the sister while the hash runs.
    for code in [KeyCode::Enter, KeyCode::Down, KeyCode::Down] {
        hs.send(Msg::Key(
            KeyEvent::new(code, KeyModifiers::NONE),
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
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
    assert!(hs.app.busy());
    let audit_before = audit_len(hs.app.portal());
    // Another Create/Validate for the same patient, confirmed, while the
    // first one runs: the router refuses it.
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
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

/// Esc and the next letter read together arrive as one Alt chord: the
/// letter must still reach the search ("lucy" after Esc lost its "l").
#[test]
fn a_letter_typed_right_after_esc_is_not_lost() {
    let mut hs = signed_in("sam", 80, 24);
    hs.press(KeyCode::Char('s'), KeyModifiers::ALT);
    hs.type_text("mith");
    assert!(hs.screen().contains("Search: smith"), "{}", hs.screen());
    hs.press(
        KeyCode::Char('u'),
        KeyModifiers::ALT | KeyModifiers::CONTROL,
    );
    assert!(
        hs.screen().contains("Search: name, birthday"),
        "Esc then Ctrl-U empties the search: {}",
        hs.screen()
    );
}

/// Issue 10 in the app: an administrator resets an operator's password in
/// the Control Panel's Operators tab; the operator must choose their own
/// at the next sign-in, on the sign-in screen.
#[test]
fn an_administrator_resets_an_operators_password_and_they_choose_their_own() {
    let p = Practice::new();
    let db = p.db();
    let mut hs = p.app_signed_in("ana", 120, 40);
    for _ in 0..3 {
        hs.key(KeyCode::Tab);
    }
    assert_eq!(hs.app.focus(), Some(Pane::Operators));
    hs.type_text("sa");
    assert!(hs.screen().contains("sam"), "{}", hs.screen());
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::OperatorDetails)));
    snap("operator_details_120x40", &hs);
    hs.key(KeyCode::Enter); // Reset password
    assert!(top_is(&hs, Some(ModalKind::SetPassword)));
    assert!(
        !hs.screen().contains("Password Reset Required"),
        "operators always choose their own: no box"
    );
    let temp = "amber-lantern-orchid-52";
    hs.type_text(temp);
    hs.key(KeyCode::Tab);
    hs.type_text(temp);
    hs.key(KeyCode::Enter);
    confirm(&mut hs);
    hs.settle();
    assert!(
        hs.screen().contains("Password set for operator sam"),
        "{}",
        hs.screen()
    );
    // sam, at the front desk, signs in with it and must choose their own.
    let clock = std::sync::Arc::new(portal_admin::clock::ManualClock::monday_morning());
    let portal = Portal::open(&db, config_in(db.parent().unwrap()), clock).unwrap();
    let mut desk = Harness::new(portal, 80, 24);
    desk.sign_in("sam", temp);
    assert!(desk.app.session().is_none(), "not signed in yet");
    assert!(
        desk.screen().contains("choose your own"),
        "{}",
        desk.screen()
    );
    snap("sign_in_choose_own_80x24", &desk);
    let own = "harbor-violet-compass-90";
    desk.type_text(own);
    desk.key(KeyCode::Tab);
    desk.type_text("not-the-same-password-1");
    desk.key(KeyCode::Enter);
    desk.settle();
    assert!(desk.app.session().is_none());
    assert!(
        desk.screen().contains("two new passwords"),
        "{}",
        desk.screen()
    );
    desk.type_text(own);
    desk.key(KeyCode::Enter);
    desk.settle();
    assert_eq!(desk.app.session().map(|s| s.name()), Some("sam"));
    assert!(!desk.screen().contains(own) && !desk.screen().contains(temp));
    // The administrator's password no longer works; sam's own does.
    let again = desk.app.portal();
    assert!(again.operator_sign_in("sam", &secret(temp)).is_err());
    assert!(again.operator_sign_in("sam", &secret(own)).is_ok());
}

/// Issue 10 in the app: disabling an operator stops their sign-in, and the
/// last active administrator cannot be disabled.
#[test]
fn an_administrator_disables_an_operator_but_not_the_last_administrator() {
    let p = Practice::new();
    let mut hs = p.app_signed_in("ana", 120, 40);
    for _ in 0..3 {
        hs.key(KeyCode::Tab);
    }
    hs.type_text("sam");
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab); // Disable
    hs.key(KeyCode::Enter);
    assert!(
        hs.screen().contains("Disable operator sam?"),
        "{}",
        hs.screen()
    );
    confirm(&mut hs);
    hs.settle();
    assert!(
        hs.screen().contains("Disabled operator sam."),
        "{}",
        hs.screen()
    );
    assert!(hs.screen().contains("disabled"), "{}", hs.screen());
    assert!(
        hs.app
            .portal()
            .operator_sign_in("sam", &secret(STAFF_PW))
            .is_err()
    );
    // ana, the only administrator, tries to disable herself.
    hs.press(KeyCode::Char('u'), KeyModifiers::CONTROL);
    hs.type_text("ana");
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    confirm(&mut hs);
    hs.settle();
    assert!(
        hs.screen().to_lowercase().contains("last"),
        "refused, saying why: {}",
        hs.screen()
    );
    assert!(
        hs.app
            .portal()
            .operator_sign_in("ana", &secret(ADMIN_PW))
            .is_ok()
    );
}

/// Issue 10: with `hashing.allow_weak`, the app says so in its title bar.
#[test]
fn weak_hashing_is_shown_in_the_title_bar() {
    let p = Practice::new();
    let mut c = config_in(p.dir.path());
    c.hashing.allow_weak = true;
    c.hashing.memory_kib = 64;
    c.hashing.iterations = 1;
    let portal = Portal::open(&p.db(), c, p.clock.clone()).unwrap();
    let hs = Harness::new(portal, 120, 40);
    assert!(hs.screen().contains("WEAK HASHING"), "{}", hs.screen());
    let strong = Harness::new(p.open_again(), 120, 40);
    assert!(!strong.screen().contains("WEAK HASHING"));
}

/// Issue 9: a sibling joining the account of the same email keeps the
/// parent's password; the reset is offered separately and asks again.
#[test]
fn linking_a_sibling_leaves_the_parents_password_alone() {
    let p = Practice::new();
    let login = p.create_validate("100001");
    let own = "saffron-tractor-meadow-47";
    p.portal
        .holder_change_password(
            "maria.garcia@example.com",
            &login.password,
            &secret(own),
            &secret(own),
        )
        .unwrap();
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("garcia");
    hs.key(KeyCode::Down);
    assert!(hs.screen().contains("> 100002"), "{}", hs.screen());
    hs.key(KeyCode::F(2));
    let screen = hs.screen();
    assert!(
        screen.contains("Add to existing portal account?"),
        "{screen}"
    );
    assert!(screen.contains("password does not change"), "{screen}");
    snap("confirm_link_80x24", &hs);
    linked_says(&mut hs, "signs in with their current password");
    snap("linked_80x24", &hs);
    let portal = hs.app.portal();
    portal
        .holder_sign_in("maria.garcia@example.com", &secret(own))
        .expect("the parent's own password still works");
    let events = portal.audit_list(0, 1_000).unwrap();
    let link = events
        .iter()
        .rev()
        .find(|e| e.action == portal_admin::domain::Action::AccountLinked)
        .expect("a link event");
    assert!(
        link.outcome.contains("password unchanged"),
        "the audit says which: {link:?}"
    );
    // The reset is its own, confirmed action: it asks again.
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::Confirm)));
    assert!(
        hs.screen().contains("Reset portal password?"),
        "{}",
        hs.screen()
    );
    hs.key(KeyCode::Esc);
    assert!(
        hs.app
            .portal()
            .holder_sign_in("maria.garcia@example.com", &secret(own))
            .is_ok(),
        "nothing was reset"
    );
}

/// Issue 9: the confirmation asks how the caller's identity was checked;
/// without an answer nothing happens; the answer is in the audit event.
#[test]
fn the_identity_check_is_asked_for_and_recorded() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("obrien");
    hs.key(KeyCode::F(2));
    // Straight to the confirming button, no check chosen.
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::Confirm)), "still asking");
    assert!(!hs.app.busy());
    assert!(
        hs.screen()
            .contains("Choose how the caller's identity was checked"),
        "{}",
        hs.screen()
    );
    // The second choice, then confirm.
    hs.key(KeyCode::Down);
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    hs.settle();
    assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
    let events = hs.app.portal().audit_list(0, 1_000).unwrap();
    let created = events.last().unwrap();
    assert!(
        created.outcome.contains("in person, known to staff"),
        "{created:?}"
    );
}

/// Issue 9: the temporary password is spelled with the NATO alphabet on
/// request, and the handout is saved to a new private file or printed.
#[test]
fn the_password_is_spelled_and_the_handout_saved_and_printed() {
    let p = Practice::with_config(|c| {
        // A recording print command: what it reads is the printed page.
        c.print.command = format!(
            "{}/record-lp",
            c.log.file.as_ref().unwrap().parent().unwrap().display()
        );
    });
    let dir = p.dir.path().to_owned();
    let script = dir.join("record-lp");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncat > {}/printed.txt\necho 'request id is front-1 (1 file(s))'\n",
            dir.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut c = config_in(&dir);
    c.print.command = script.display().to_string();
    let portal = Portal::open(&p.db(), c, p.clock.clone()).unwrap();
    let mut hs = Harness::new(portal, 80, 24);
    hs.sign_in("sam", STAFF_PW);
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
    hs.settle();
    let pw = hs.temporary_password().unwrap();
    // Spell (the first button).
    hs.key(KeyCode::Enter);
    // Each group of four, spelled on its own line (masked on screen
    // captures like the password itself).
    let screen = hs.screen();
    assert_eq!(screen.matches("(spelled)").count(), 4, "spelled: {screen}");
    snap("temporary_login_spelled_80x24", &hs);
    // Print (the third button) through the recording command.
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    hs.settle();
    assert!(
        hs.screen().contains("request id is front-1"),
        "{}",
        hs.screen()
    );
    let printed = std::fs::read_to_string(dir.join("printed.txt")).unwrap();
    assert!(printed.contains(&pw) && printed.contains("smith.family@example.net"));
    assert!(printed.contains("EST"), "local time on the page: {printed}");
    // Save… (the fourth button): a new file, readable only by its owner.
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::SaveHandout)));
    let file = dir.join("handout.txt");
    hs.ctrl('u');
    hs.type_text(&file.display().to_string());
    hs.key(KeyCode::Enter);
    assert!(
        top_is(&hs, Some(ModalKind::TemporaryLogin)),
        "{}",
        hs.screen()
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains(&pw));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Never over an existing file.
    hs.key(KeyCode::Enter);
    hs.ctrl('u');
    hs.type_text(&file.display().to_string());
    hs.key(KeyCode::Enter);
    assert!(
        top_is(&hs, Some(ModalKind::SaveHandout)),
        "refused, form kept"
    );
    assert!(hs.screen().contains("exists"), "{}", hs.screen());
    assert!(!hs.screen().contains(&pw));
}

/// Issue 9: at 40x12 every popup still says how to close it.
#[test]
fn at_40x12_every_popup_says_how_to_close_it() {
    let p = Practice::new();
    p.create_validate("100003");
    let mut hs = p.app_signed_in("ana", 40, 12);
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    assert!(hs.screen().contains("Esc cancels"), "{}", hs.screen());
    snap("confirm_create_40x12", &hs);
    confirm_create_validate(&mut hs);
    hs.settle();
    assert!(hs.screen().contains("Done closes"), "{}", hs.screen());
    snap("temporary_login_40x12", &hs);
    done(&mut hs);
    hs.key(KeyCode::F(1));
    assert!(hs.screen().contains("Esc closes"), "{}", hs.screen());
    hs.key(KeyCode::Esc);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    hs.type_text("kath");
    hs.key(KeyCode::Enter);
    assert!(hs.screen().contains("Esc closes"), "{}", hs.screen());
    snap("user_details_40x12", &hs);
    hs.key(KeyCode::Enter);
    assert!(hs.screen().contains("Esc cancels"), "{}", hs.screen());
    snap("set_password_40x12", &hs);
}

/// "Signed out after 1 minutes" was seen: the sentence counts right.
#[test]
fn one_idle_minute_is_said_in_the_singular() {
    let p = Practice::new();
    let ui = UiConfig {
        idle_minutes: 1,
        ..UiConfig::default()
    };
    let mut hs = Harness::with(p.open_again(), ui, Theme::new(false, false), 80, 24);
    hs.sign_in("sam", STAFF_PW);
    assert!(hs.app.check_idle(Instant::now() + Duration::from_secs(61)));
    hs.draw();
    assert!(
        hs.screen()
            .contains("Signed out after 1 minute without a key press."),
        "{}",
        hs.screen()
    );
}

/// Tester's finding: after F5 the marker stayed on the same row while a
/// new patient moved the rows, so F2 offered another family's reset. The
/// selection follows the patient, not the row.
#[test]
fn reload_keeps_the_same_patient_selected_not_the_same_row() {
    let p = Practice::new();
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("garcia");
    hs.key(KeyCode::Down);
    assert!(hs.screen().contains("> 100002"), "{}", hs.screen());
    // Another operator imports a García that sorts before both.
    let admin = hs
        .app
        .portal()
        .operator_sign_in("ana", &secret(ADMIN_PW))
        .unwrap();
    hs.app
        .portal()
        .import_patients(
            &admin,
            "more.csv",
            "account_number,last_name,first_name,date_of_birth,email\n099999,García-López,Ana,2015-01-01,\n"
                .as_bytes(),
            0,
            false,
            &mut (),
        )
        .unwrap();
    hs.key(KeyCode::F(5));
    let screen = hs.screen();
    assert!(screen.contains("099999"), "the new row is there: {screen}");
    assert!(screen.contains("> 100002"), "still Sofía: {screen}");
    hs.key(KeyCode::F(2));
    assert!(
        hs.screen().contains("García-López, Sofía"),
        "{}",
        hs.screen()
    );
}

/// Tester's finding: Ctrl-C twice (or F10 twice) with a temporary login on
/// screen quit and lost it. The question is answered only with Tab, Enter.
#[test]
fn a_second_quit_key_does_not_answer_the_quit_question() {
    let mut hs = signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
    hs.settle();
    hs.ctrl('c');
    assert!(
        hs.screen().contains("Quit portal-admin?"),
        "{}",
        hs.screen()
    );
    hs.ctrl('c');
    hs.key(KeyCode::F(10));
    assert!(!hs.app.should_quit(), "a reflex does not lose the login");
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    assert!(hs.app.should_quit());
}

/// Tester's finding: a disabled operator's open session kept reading
/// patient data until the idle sign-out. The next key signs them out.
#[test]
fn a_disabled_operators_open_session_is_signed_out_at_the_next_key() {
    let p = Practice::new();
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("garcia");
    assert!(hs.screen().contains("García-López"));
    let admin = hs
        .app
        .portal()
        .operator_sign_in("ana", &secret(ADMIN_PW))
        .unwrap();
    hs.app
        .portal()
        .change_operator(
            &admin,
            "sam",
            portal_admin::services::OperatorChange::Disable,
        )
        .unwrap();
    hs.ch('x');
    let screen = hs.screen();
    assert!(hs.app.session().is_none(), "{screen}");
    assert!(!screen.contains("García"), "no patient data left: {screen}");
    assert!(screen.contains("Signed out"), "{screen}");
}

// ---- Families (issue 11) ---------------------------------------------------

/// The mother's own password, chosen at her first sign-in.
const MOTHER_PW: &str = "amber-lantern-fjord-pickle";
const FATHER_PW: &str = "copper-wren-mitten-galaxy";
const FATHER: &str = "dan.smith@example.net";
const MOTHER: &str = "smith.family@example.net";

fn first_sign_in(p: &Portal, email: &str, temporary: &str, chosen: &str) {
    assert_eq!(
        p.holder_sign_in(email, &secret(temporary)).unwrap(),
        SignIn::MustChangePassword
    );
    p.holder_change_password(email, &secret(temporary), &secret(chosen), &secret(chosen))
        .unwrap();
}

fn signs_in(p: &Portal, email: &str, pw: &str) -> bool {
    matches!(p.holder_sign_in(email, &secret(pw)), Ok(SignIn::SignedIn))
}

fn add(patient: &str, email: &str, rel: Relationship) -> AddGuardian {
    AddGuardian::new(patient, email, rel).identity_check(Some(IDENTITY_CHECK))
}

/// Olivia Smith's mother holds her account with her own password.
fn smith_with_mother() -> Practice {
    let p = Practice::new();
    let login = p.create_validate("100005");
    first_sign_in(&p.portal, MOTHER, login.password.expose(), MOTHER_PW);
    p
}

/// …and her father has his own login, with his own password.
fn smith_with_both_parents() -> Practice {
    let p = smith_with_mother();
    let added = p
        .portal
        .add_guardian(&p.staff, &add("100005", FATHER, Relationship::Father))
        .unwrap();
    let temp = added.login.unwrap();
    first_sign_in(&p.portal, FATHER, temp.password.expose(), FATHER_PW);
    p
}

/// Olivia Smith's father, a new login, asked for with F3 (the relationship
/// chosen with the arrows): his "Add a guardian?" confirmation is open.
fn ask_to_add_the_father(hs: &mut Harness) {
    hs.type_text("smith");
    hs.key(KeyCode::F(3));
    hs.type_text(FATHER);
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Right);
    hs.key(KeyCode::Right);
    hs.key(KeyCode::Enter);
}

/// On a confirmation: confirms, waits for the change, and the status line
/// says `text`.
fn confirmed_says(hs: &mut Harness, text: &str) {
    confirm(hs);
    hs.settle();
    assert!(top_is(hs, None), "{}", hs.screen());
    assert!(hs.screen().contains(text), "{}", hs.screen());
}

/// An administrator on the main screen opens the details of the user whose
/// email has `part` in it (Control Panel → Users).
fn user_details(hs: &mut Harness, part: &str) {
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Tab);
    hs.type_text(part);
    hs.key(KeyCode::Enter);
    assert!(top_is(hs, Some(ModalKind::UserDetails)), "{}", hs.screen());
}

/// Confirms a Create/Validate or a new guardian (the first identity
/// check) and waits for the temporary login, which must be `username`'s:
/// its password.
fn login_for(hs: &mut Harness, username: &str) -> String {
    confirm_create_validate(hs);
    hs.settle();
    assert!(
        top_is(hs, Some(ModalKind::TemporaryLogin)),
        "{}",
        hs.screen()
    );
    let login = hs.app.temporary_login().unwrap();
    assert_eq!(login.username.as_str(), username);
    login.password.expose().to_owned()
}

/// Staff press F2 for a patient with two guardians: the app asks whose
/// login, never guesses; staff choose the father with Down and Enter, the
/// confirmation shows his email, and only his password changes.
#[test]
fn two_guardians_staff_choose_whose_login_and_only_that_one_is_reset() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut hs = smith_with_both_parents().app_signed_in("sam", w, h);
        hs.type_text("smith");
        if w == 40 {
            hs.key(KeyCode::Enter); // the account pane, one pane at a time
        }
        let screen = hs.screen();
        assert!(screen.contains("Guardians (2)"), "{screen}");
        snap(&format!("account_two_guardians_{w}x{h}"), &hs);
        // One pane at a time at 40x12: the rest of it scrolls into view.
        let scroll = |hs: &mut AppOnPractice, n: usize| {
            for _ in 0..(if w == 40 { n } else { 0 }) {
                hs.key(KeyCode::Down);
            }
            hs.screen()
        };
        let screen = scroll(&mut hs, 7);
        assert!(
            screen.contains(FATHER) && screen.contains("(father): full"),
            "{screen}"
        );
        let screen = scroll(&mut hs, 5);
        assert!(screen.contains("choose whose login"), "{screen}");
        let audit = audit_len(hs.app.portal());
        hs.key(KeyCode::F(2));
        assert!(
            top_is(&hs, Some(ModalKind::ChooseGuardian)),
            "{}",
            hs.screen()
        );
        snap(&format!("choose_guardian_{w}x{h}"), &hs);
        // Letters never choose; Esc cancels; nothing changed.
        hs.type_text("dusty yq");
        assert!(top_is(&hs, Some(ModalKind::ChooseGuardian)));
        hs.key(KeyCode::Esc);
        assert!(top_is(&hs, None));
        assert_eq!(audit_len(hs.app.portal()), audit);
        // The father: Down, Enter. The confirmation names him.
        hs.key(KeyCode::F(2));
        hs.key(KeyCode::Down);
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::Confirm)), "{}", hs.screen());
        if w == 80 {
            let screen = hs.screen();
            assert!(screen.contains(&format!("Login    {FATHER}")), "{screen}");
            assert!(
                screen
                    .contains("Only this login changes: smith.family@example.net (guardian) keeps"),
                "{screen}"
            );
            snap("confirm_guardian_reset_80x24", &hs);
        }
        let temp = login_for(&mut hs, FATHER);
        let portal = hs.app.portal();
        assert!(
            signs_in(portal, MOTHER, MOTHER_PW),
            "the mother's password still works"
        );
        assert!(
            !signs_in(portal, FATHER, FATHER_PW),
            "the father's was reset"
        );
        assert_eq!(
            portal.holder_sign_in(FATHER, &secret(&temp)).unwrap(),
            SignIn::MustChangePassword
        );
    }
}

/// Staff add the father: his own account, his own temporary login; the
/// mother's password is untouched. The form asks for the relationship;
/// typing a name on it changes nothing.
#[test]
fn adding_a_guardian_with_a_new_account_shows_their_own_temporary_login() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut hs = smith_with_mother().app_signed_in("sam", w, h);
        hs.type_text("smith");
        hs.key(KeyCode::F(3));
        assert!(top_is(&hs, Some(ModalKind::AddGuardian)), "{}", hs.screen());
        snap(&format!("add_guardian_{w}x{h}"), &hs);
        let audit = audit_len(hs.app.portal());
        hs.type_text(FATHER);
        hs.key(KeyCode::Enter);
        assert!(
            hs.screen().contains("Choose how they are"),
            "{}",
            hs.screen()
        );
        // On the relationship: letters do nothing, Left/Right choose.
        hs.type_text("mother");
        assert_eq!(audit_len(hs.app.portal()), audit);
        hs.key(KeyCode::Right);
        hs.key(KeyCode::Right);
        let screen = hs.screen();
        assert!(
            screen.contains("(•) father") || screen.contains("◂ father ▸"),
            "{screen}"
        );
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::Confirm)), "{}", hs.screen());
        assert!(
            hs.screen().contains("[ Create account ]")
                && (w == 40 || hs.screen().contains("Creates an account for")),
            "{}",
            hs.screen()
        );
        snap(&format!("confirm_add_guardian_{w}x{h}"), &hs);
        let temp = login_for(&mut hs, FATHER);
        let portal = hs.app.portal();
        let event = portal.audit_list(0, 1_000).unwrap().pop().unwrap();
        assert_eq!(event.action, portal_admin::domain::Action::GuardianAdded);
        assert!(
            event.outcome.contains(
                "father, full access; account created; identity check: in person, photo ID"
            ),
            "{event:?}"
        );
        assert!(
            signs_in(portal, MOTHER, MOTHER_PW),
            "the mother's password still works"
        );
        assert_eq!(
            portal.holder_sign_in(FATHER, &secret(&temp)).unwrap(),
            SignIn::MustChangePassword
        );
        done(&mut hs);
        if w == 80 {
            assert!(hs.screen().contains("Guardians (2)"), "{}", hs.screen());
        }
    }
}

/// A guardian who already has a login (a grandmother with an account for
/// another grandchild) is linked: no temporary login, her password works.
#[test]
fn adding_a_guardian_who_has_an_account_links_it_and_leaves_the_password_alone() {
    let p = smith_with_mother();
    let gran = "kathleen.obrien@example.org";
    let login = p.create_validate("100003");
    let own = "saffron-tractor-meadow-47";
    first_sign_in(&p.portal, gran, login.password.expose(), own);
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::F(3));
    hs.type_text(gran);
    hs.key(KeyCode::Tab);
    for _ in 0..5 {
        hs.key(KeyCode::Right); // mother, father, guardian, self, other
    }
    hs.key(KeyCode::Enter);
    let screen = hs.screen();
    // Fresh eyes, session 6, finding 4: the account's patients are named
    // (name, date of birth, number), as the Account pane names them.
    assert!(
        screen.contains("Adds kathleen.obrien@example.org's existing account, which holds")
            && screen
                .contains("O'Brien, Seán, born 30 Nov 2016, no. 100003: its password does not"),
        "{screen}"
    );
    assert!(screen.contains("[ Add guardian ]"), "{screen}");
    snap("confirm_add_guardian_existing_account_80x24", &hs);
    linked_says(&mut hs, "Linked; password unchanged.");
    snap("guardian_linked_80x24", &hs);
    assert!(
        signs_in(hs.app.portal(), gran, own),
        "her own password still works"
    );
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, None));
}

/// The form stays open with the services' refusal beside its field.
#[test]
fn adding_someone_who_is_already_a_guardian_is_said_beside_the_email() {
    let mut hs = smith_with_mother().app_signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.ctrl('n');
    hs.type_text(MOTHER);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Right);
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::AddGuardian)));
    assert!(
        hs.screen().contains("is already a guardian of"),
        "{}",
        hs.screen()
    );
    // Esc with a filled form asks first.
    hs.key(KeyCode::Esc);
    assert!(top_is(&hs, Some(ModalKind::Confirm)));
    confirm(&mut hs);
    assert!(top_is(&hs, None));
}

/// Administrators remove a guardian in the Control Panel: the patient by
/// name and birth date, a reason required and recorded; the account and
/// its password stay.
#[test]
fn an_administrator_removes_a_guardian_with_a_reason() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut hs = smith_with_both_parents().app_signed_in("ana", w, h);
        user_details(&mut hs, "dan.");
        if w == 80 {
            assert!(
                hs.screen()
                    .contains("Smith, Olivia, born 4 Jul 2018, no. 100005 — father: full access"),
                "{}",
                hs.screen()
            );
        }
        for _ in 0..4 {
            hs.key(KeyCode::Tab);
        }
        hs.key(KeyCode::Enter);
        assert!(
            top_is(&hs, Some(ModalKind::RemoveGuardian)),
            "{}",
            hs.screen()
        );
        snap(&format!("remove_guardian_{w}x{h}"), &hs);
        // No reason: said beside the field, nothing asked.
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::RemoveGuardian)));
        assert!(hs.screen().contains("Type the reason"), "{}", hs.screen());
        hs.type_text("custody order of 2 Jan 2026");
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::Confirm)), "{}", hs.screen());
        if w == 80 {
            let screen = hs.screen();
            assert!(
                screen.contains("stops being a guardian of Smith, Olivia"),
                "{screen}"
            );
            snap("confirm_remove_guardian_80x24", &hs);
        }
        confirmed_says(&mut hs, "Removed dan.smith@example.net as a");
        let portal = hs.app.portal();
        let left: Vec<String> = portal
            .guardians("100005")
            .unwrap()
            .iter()
            .map(|g| g.email().to_string())
            .collect();
        assert_eq!(left, [MOTHER]);
        let event = portal.audit_list(0, 1_000).unwrap().pop().unwrap();
        assert_eq!(event.action, portal_admin::domain::Action::GuardianRemoved);
        assert!(
            event
                .outcome
                .contains("reason: custody order of 2 Jan 2026"),
            "{event:?}"
        );
        assert_eq!(event.actor, "operator:ana");
        assert!(
            signs_in(portal, FATHER, FATHER_PW),
            "his account and password stay"
        );
    }
}

/// Staff never see the removal or the login change (no Control Panel, no
/// key), and the services refuse them anyway, with a sentence the app
/// shows as it is.
#[test]
fn staff_cannot_remove_a_guardian_or_change_a_login() {
    let p = smith_with_both_parents();
    let staff = p.staff.clone();
    let mut hs = p.app_signed_in("sam", 120, 40);
    hs.key(KeyCode::F(1));
    let help = hs.screen();
    assert!(
        !help.contains("Remove guardian") && !help.contains("Control Panel"),
        "{help}"
    );
    hs.key(KeyCode::Esc);
    for _ in 0..4 {
        hs.key(KeyCode::Tab);
        assert!(!hs.screen().contains("Users"), "{}", hs.screen());
    }
    let patient = PatientRef {
        number: "100005".into(),
        name: "Smith, Olivia".into(),
        date_of_birth: time::macros::date!(2018 - 07 - 04),
    };
    let portal = hs.app.portal();
    let before = audit_len(portal);
    let reply = worker::run(
        portal,
        Some(&staff),
        Request::RemoveGuardian {
            patient,
            email: portal_admin::domain::Email::parse(FATHER).unwrap(),
            reason: "custody".into(),
        },
    );
    let Reply::GuardianRemoved { result: Err(e), .. } = reply else {
        panic!("staff removed a guardian: {reply:?}");
    };
    assert_eq!(e.exit_code(), 10);
    assert!(sentence(&e).contains("administrator"), "{}", sentence(&e));
    let account = portal.account_by_email(FATHER).unwrap();
    let reply = worker::run(
        portal,
        Some(&staff),
        Request::ChangeLoginEmail {
            account: AccountRef {
                email: account.email,
                version: account.version,
            },
            new: "dad@example.net".into(),
        },
    );
    assert!(
        matches!(reply, Reply::LoginChanged { result: Err(ref e), .. } if e.exit_code() == 10),
        "{reply:?}"
    );
    assert_eq!(
        portal.guardians("100005").unwrap().len(),
        2,
        "nothing changed"
    );
    assert_eq!(audit_len(portal), before + 2, "both refusals are audited");
}

/// Administrators change a login email: old and new shown, the password
/// unchanged (the holder signs in with the new email and the same
/// password); a login that is taken is said beside the field.
#[test]
fn an_administrator_changes_a_login_email_and_the_password_still_works() {
    for (w, h) in [(80, 24), (40, 12)] {
        let p = smith_with_mother();
        p.create_validate("100003");
        let mut hs = p.app_signed_in("ana", w, h);
        user_details(&mut hs, "smith.");
        for _ in 0..3 {
            hs.key(KeyCode::Tab);
        }
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::ChangeLogin)), "{}", hs.screen());
        snap(&format!("change_login_{w}x{h}"), &hs);
        // Not an email: said before asking.
        hs.type_text("jo smith");
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::ChangeLogin)));
        // Another account's login: refused by the services, beside the
        // field, before any confirmation (R3).
        hs.ctrl('u');
        hs.type_text("kathleen.obrien@example.org");
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::ChangeLogin)), "{}", hs.screen());
        assert!(
            hs.screen().contains("already the login of"),
            "{}",
            hs.screen()
        );
        // Another family's e-correspondent email (F8): refused the same way.
        hs.ctrl('u');
        hs.type_text("maria.garcia@example.com");
        hs.key(KeyCode::Enter);
        assert!(top_is(&hs, Some(ModalKind::ChangeLogin)), "{}", hs.screen());
        if w == 80 {
            assert!(
                hs.screen().contains("patients 100001 and 100002,"),
                "{}",
                hs.screen()
            );
        }
        hs.ctrl('u');
        hs.type_text("jo.smith@example.net");
        hs.key(KeyCode::Enter);
        let screen = hs.screen();
        assert!(
            screen.contains("From: smith.family@example.net")
                && screen.contains("To:   jo.smith@example.net"),
            "{screen}"
        );
        if w == 80 {
            snap("confirm_change_login_80x24", &hs);
        }
        confirmed_says(&mut hs, "Login changed from");
        let portal = hs.app.portal();
        assert!(signs_in(portal, "jo.smith@example.net", MOTHER_PW));
        assert!(portal.holder_sign_in(MOTHER, &secret(MOTHER_PW)).is_err());
    }
}

/// R3: on "Login email…", another family's e-correspondent email is
/// refused under the field when Enter is pressed, before any confirmation
/// popup, naming every patient; the wrapped lines of the refusal line up
/// under the field. Nothing is written, not even a refusal event.
#[test]
fn the_login_email_form_refuses_another_familys_email_before_the_confirmation() {
    let p = smith_with_mother();
    p.create_validate("100003");
    let mut hs = p.app_signed_in("ana", 80, 24);
    user_details(&mut hs, "smith.");
    for _ in 0..3 {
        hs.key(KeyCode::Tab);
    }
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::ChangeLogin)), "{}", hs.screen());
    let before = audit_len(hs.app.portal());
    hs.type_text("maria.garcia@example.com");
    hs.key(KeyCode::Enter);
    hs.settle();
    // No confirmation: the form itself is on top, with the refusal.
    assert!(top_is(&hs, Some(ModalKind::ChangeLogin)), "{}", hs.screen());
    let screen = hs.screen();
    assert!(!screen.contains("Change the login email?"), "{screen}");
    assert!(
        screen.contains("patients 100001 and 100002,") && !screen.contains("more"),
        "{screen}"
    );
    // Every line of the message starts under the field's value: blank
    // from the popup's border up to the value's column, text at it.
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let (field_row, field) = rows
        .iter()
        .enumerate()
        .find_map(|(r, l)| {
            let l: String = l.iter().collect();
            l.find("New login").map(|_| {
                let at = l.find("maria.garcia@example.com").expect("the value");
                (r, l[..at].chars().count())
            })
        })
        .expect("the field");
    let message: Vec<&Vec<char>> = rows[field_row + 1..]
        .iter()
        .take_while(|l| !l.iter().collect::<String>().contains("[ Change"))
        .filter(|l| l[field..].iter().any(|c| c.is_alphanumeric()))
        .collect();
    assert!(message.len() >= 3, "{screen}");
    for l in &message {
        let line: String = l.iter().collect();
        assert!(l[field].is_alphanumeric(), "{line:?} in\n{screen}");
        assert!(
            l[field - 12..field].iter().all(|c| *c == ' '),
            "{line:?} in\n{screen}"
        );
    }
    snap("change_login_refused_before_confirmation_80x24", &hs);
    assert_eq!(audit_len(hs.app.portal()), before, "nothing was written");
    assert!(
        hs.app
            .portal()
            .account_by_email("smith.family@example.net")
            .is_ok()
    );
}

/// A patient past the age at which a guardian's access ends: the link is
/// shown as ended and Create/Validate says why, in the services' words.
#[test]
fn an_ended_link_is_shown_as_ended_and_create_validate_says_why() {
    let p = Practice::new();
    p.create_validate("100003");
    // The practice ends guardians' access at 9: Seán (30 Nov 2016) is past it.
    let mut c = config_in(p.dir.path());
    c.guardians.limited_from_age = 8;
    c.guardians.end_at_age = 9;
    c.guardians.self_account_from_age = 9;
    let portal = Portal::open(&p.db(), c, p.clock.clone()).unwrap();
    let mut hs = Harness::new(portal, 80, 24);
    hs.sign_in("sam", STAFF_PW);
    hs.type_text("obrien");
    hs.key(KeyCode::Enter);
    let screen = hs.screen();
    assert!(screen.contains("guardian, ended Sun 30 Nov"), "{screen}");
    snap("account_ended_80x24", &hs);
    let audit = audit_len(hs.app.portal());
    hs.key(KeyCode::F(2));
    assert!(top_is(&hs, None));
    assert!(
        hs.screen().contains("access to patient 100003 ended"),
        "{}",
        hs.screen()
    );
    assert_eq!(audit_len(hs.app.portal()), audit);
}

/// Notices on, sent to `relay`.
fn with_relay(c: &mut portal_admin::config::Config, relay: &str) {
    c.notify.smtp_url = Some(relay.to_owned());
    c.notify.from = Some("Sunshine Pediatrics <portal@sunshine.example>".into());
}

/// The test practice with notices sent to `relay`.
fn practice_with_relay(relay: &str) -> Practice {
    Practice::with_config(|c| with_relay(c, relay))
}

/// The app on `p`'s file with notices sent to `relay`, at the sign-in screen.
fn app_with_relay(p: &Practice, relay: &str, w: u16, h: u16) -> Harness {
    let mut c = config_in(p.dir.path());
    with_relay(&mut c, relay);
    Harness::new(Portal::open(&p.db(), c, p.clock.clone()).unwrap(), w, h)
}

/// With notices on, the temporary login says "notice queued", sends it in
/// the background to the practice's relay (a real SMTP server here) and
/// then says it was sent; the read-aloud lines no longer say "no email".
/// With the relay down it says when the notice is retried.
#[test]
fn the_temporary_login_says_the_notice_was_queued_then_sent() {
    use common::smtp::{SmtpOptions, SmtpServer};
    let mail = tempfile::tempdir().unwrap();
    let mut server = SmtpServer::start(&mail.path().join("mail"), SmtpOptions::default());
    let p = practice_with_relay(&server.url());
    let mut hs = app_with_relay(&p, &server.url(), 80, 24);
    hs.sign_in("sam", STAFF_PW);
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
    // The change's reply: the popup, and the notice on its way.
    let reply = hs.next_reply();
    hs.send(reply);
    hs.draw();
    assert!(top_is(&hs, Some(ModalKind::TemporaryLogin)));
    assert!(hs.screen().contains("Notice queued"), "{}", hs.screen());
    hs.settle();
    let screen = hs.screen();
    assert!(
        screen.contains("Notice sent to smith.family@example.net."),
        "{screen}"
    );
    assert!(!screen.contains("No email was sent"), "{screen}");
    assert!(
        screen.contains("The password is never sent by email"),
        "{screen}"
    );
    snap("temporary_login_notice_sent_80x24", &hs);
    let mails = server.messages();
    assert_eq!(mails.len(), 1);
    let pw = hs.temporary_password().unwrap();
    assert!(!mails[0].raw.contains(&pw) && !mails[0].raw.contains(&pw.replace('-', "")));
    done(&mut hs);

    // The relay is down: the notice waits, and the popup says until when.
    server.stop();
    hs.key(KeyCode::F(2));
    confirm_create_validate(&mut hs);
    hs.settle();
    let screen = hs.screen();
    assert!(
        screen.contains("Notice queued: not sent yet") && screen.contains("retried at"),
        "{screen}"
    );
    done(&mut hs);
    // An administrator's removal says it on the status line.
    server.up();
    drop(hs);
    p.portal
        .add_guardian(&p.staff, &add("100005", FATHER, Relationship::Father))
        .unwrap();
    let mut hs = app_with_relay(&p, &server.url(), 120, 40);
    hs.sign_in("ana", ADMIN_PW);
    user_details(&mut hs, "dan.");
    for _ in 0..4 {
        hs.key(KeyCode::Tab);
    }
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::Tab);
    hs.type_text("custody order");
    hs.key(KeyCode::Enter);
    confirm(&mut hs);
    hs.settle();
    assert!(hs.screen().contains("Notice sent to"), "{}", hs.screen());
}

/// A notice the relay refuses for good (an address it will never take)
/// is said as not sent, with the relay's reason; the reset stands.
#[test]
fn a_notice_the_relay_refuses_is_said_not_sent() {
    use common::smtp::{SmtpOptions, SmtpServer};
    let mail = tempfile::tempdir().unwrap();
    let options = SmtpOptions {
        reject: Some(MOTHER.into()),
        ..SmtpOptions::default()
    };
    let server = SmtpServer::start(&mail.path().join("mail"), options);
    let p = practice_with_relay(&server.url());
    let mut hs = app_with_relay(&p, &server.url(), 80, 24);
    hs.sign_in("sam", STAFF_PW);
    hs.type_text("smith");
    hs.key(KeyCode::F(2));
    let temp = login_for(&mut hs, MOTHER);
    let screen = hs.screen();
    assert!(screen.contains("Notice not sent:"), "{screen}");
    assert!(!screen.contains("Notice queued"), "{screen}");
    assert_eq!(
        hs.app
            .portal()
            .holder_sign_in(MOTHER, &secret(&temp))
            .unwrap(),
        SignIn::MustChangePassword,
        "the reset stands"
    );
    assert!(server.messages().is_empty());
}

/// After the upgrade to schema 3, an adult patient whose own address was
/// the login has an ended `guardian` link; adding it back as her own
/// account says which link it replaces, and her password stays.
#[test]
fn an_adult_patients_ended_link_is_made_her_own_account_in_the_app() {
    let p = Practice::new();
    let csv = "account_number,last_name,first_name,date_of_birth,email\n200001,Okafor,Ada,2014-03-14,ada.okafor@example.com\n";
    p.portal
        .import_patients(&p.admin, "b.csv", csv.as_bytes(), 0, false, &mut ())
        .unwrap();
    let ada = "ada.okafor@example.com";
    let login = p.create_validate("200001");
    let own = "saffron-tractor-meadow-47";
    first_sign_in(&p.portal, ada, login.password.expose(), own);
    p.clock
        .set(time::macros::datetime!(2032-03-14 05:00:00 UTC));
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("okafor");
    hs.key(KeyCode::F(3));
    hs.type_text(ada);
    hs.key(KeyCode::Tab);
    for _ in 0..4 {
        hs.key(KeyCode::Right); // mother, father, guardian, self
    }
    hs.key(KeyCode::Enter);
    let screen = hs.screen();
    assert!(
        screen.contains("account the patient's own (its guardian")
            && screen.contains("link ended on Sun 14 Mar 2032): its password does not change."),
        "{screen}"
    );
    assert!(
        !screen.contains("Guardians now"),
        "the ended link it replaces is no other guardian: {screen}"
    );
    linked_says(&mut hs, "Linked; password unchanged.");
    assert!(
        signs_in(hs.app.portal(), ada, own),
        "her password still works"
    );
    let g = hs.app.portal().guardians("200001").unwrap();
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].relationship, Relationship::Own);
    assert!(!g[0].is_ended());
}

/// Finding 1 of issue 11: staff are told, in the F2 pane and plan and in
/// the F3 form, that an administrator removed this guardian and must be the
/// one to add them back; nothing is linked.
#[test]
fn a_guardian_removed_by_an_administrator_is_refused_in_f2_and_f3_with_who_and_when() {
    let p = smith_with_mother();
    p.portal
        .remove_guardian(&p.admin, "100005", MOTHER, "custody order 12 Nov")
        .unwrap();
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("smith");
    let flat = |hs: &AppOnPractice| hs.screen().split_whitespace().collect::<Vec<_>>().join(" ");
    hs.key(KeyCode::F(2));
    let screen = flat(&hs);
    assert!(
        screen.contains("removed as a guardian of patient 100005 by ana on"),
        "{screen}"
    );
    assert!(!screen.contains("custody"), "{screen}");
    hs.key(KeyCode::Esc);
    hs.key(KeyCode::F(3));
    hs.type_text(MOTHER);
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Right);
    hs.key(KeyCode::Enter);
    assert!(top_is(&hs, Some(ModalKind::AddGuardian)));
    let screen = flat(&hs);
    assert!(
        // (The sentence wraps under the field: the popup's borders come
        // between its lines.)
        screen.contains("by ana on")
            && screen.contains("only an")
            && screen.contains("administrator can add them back"),
        "{screen}"
    );
    assert!(hs.app.portal().guardians("100005").unwrap().is_empty());
}

/// Finding 3 of issue 11: the "Add a guardian?" confirmation promised to
/// link an existing account; its login changed meanwhile, so Add guardian
/// is refused as changed by someone else and no account is made.
#[test]
fn add_guardian_commits_only_what_its_confirmation_promised() {
    let p = smith_with_mother();
    let gran = "kathleen.obrien@example.org";
    p.create_validate("100003");
    let admin = p.admin.clone();
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("smith");
    hs.key(KeyCode::Enter);
    hs.key(KeyCode::F(3));
    hs.type_text(gran);
    hs.key(KeyCode::Tab);
    for _ in 0..5 {
        hs.key(KeyCode::Right);
    }
    hs.key(KeyCode::Enter);
    assert!(
        hs.screen().contains("existing account, which holds"),
        "{}",
        hs.screen()
    );
    // Meanwhile an administrator gives that account a new login.
    hs.app
        .portal()
        .change_login_email(&admin, gran, "kate@example.org", None)
        .unwrap();
    confirm_create_validate(&mut hs);
    hs.settle();
    let screen = hs.screen().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(screen.contains("changed by someone else"), "{screen}");
    assert!(hs.temporary_password().is_none(), "no account was made");
    assert!(hs.app.portal().account_by_email(gran).is_err());
    assert_eq!(hs.app.portal().guardians("100005").unwrap().len(), 1);
}

/// Tester's finding 2 (families) in the app: a new guardian's notice and the
/// one telling the patient's other guardian both leave right away, in the
/// background; the popup speaks of the new guardian's own. The mother's
/// notice never names the father's login.
#[test]
fn adding_a_guardian_tells_the_other_guardians_right_away_in_the_app() {
    use common::smtp::{SmtpOptions, SmtpServer};
    let mail = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&mail.path().join("mail"), SmtpOptions::default());
    let p = practice_with_relay(&server.url());
    let login = p.create_validate("100005");
    first_sign_in(&p.portal, MOTHER, login.password.expose(), MOTHER_PW);
    let mut hs = app_with_relay(&p, &server.url(), 80, 24);
    hs.sign_in("sam", STAFF_PW);
    ask_to_add_the_father(&mut hs);
    login_for(&mut hs, FATHER);
    assert!(
        hs.screen().contains(&format!("Notice sent to {FATHER}.")),
        "{}",
        hs.screen()
    );
    let to = |m: &common::smtp::Mail| {
        m.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("to"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mails = server.messages();
    let mother: Vec<_> = mails.iter().filter(|m| to(m).contains(MOTHER)).collect();
    assert_eq!(mother.len(), 1, "the mother is told once: {mails:?}");
    assert!(
        !mother[0].raw.contains(FATHER),
        "her notice does not name his login: {}",
        mother[0].raw
    );
    assert!(mails.iter().any(|m| to(m).contains(FATHER)));
    assert!(!hs.app.sending_notices());
}

/// Finding 1 (HIGH) of fresh eyes, session 6, in the app: F3 "Add a
/// guardian" for Minh Nguyen at the O'Briens' e-correspondent email went
/// straight to "Creates an account for …". Refused now under the email
/// field when Enter is pressed, before any confirmation, saying whose
/// email it is and what to do; nothing is written.
#[test]
fn fresh_s6_1_the_add_guardian_form_refuses_another_familys_email_before_the_confirmation() {
    let mut hs = Practice::new().app_signed_in("sam", 80, 24);
    hs.type_text("nguyen");
    hs.key(KeyCode::F(3));
    assert!(top_is(&hs, Some(ModalKind::AddGuardian)), "{}", hs.screen());
    let before = audit_len(hs.app.portal());
    hs.type_text("kathleen.obrien@example.org");
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Right);
    hs.key(KeyCode::Right);
    hs.key(KeyCode::Enter);
    hs.settle();
    assert!(top_is(&hs, Some(ModalKind::AddGuardian)), "{}", hs.screen());
    let screen = hs.screen();
    assert!(!screen.contains("Add a guardian?"), "{screen}");
    assert!(!screen.contains("Creates an account"), "{screen}");
    // (The sentence wraps under the field, each line starting at its value.)
    assert!(
        screen.contains("kathleen.obrien@example.org is the e-correspondent")
            && screen.contains("email of patient 100003 (not this patient)")
            && screen.contains("Create/Validate one of them first"),
        "{screen}"
    );
    snap(
        "fresh_s6_1_add_guardian_refused_before_confirmation_80x24",
        &hs,
    );
    assert_eq!(audit_len(hs.app.portal()), before, "nothing was written");
    assert!(
        hs.app
            .portal()
            .account_by_email("kathleen.obrien@example.org")
            .is_err()
    );
    assert!(hs.app.portal().guardians("100004").unwrap().is_empty());
}

/// Finding 10 (fresh eyes, session 6): a pasted query holding escape
/// sequences, a bidi override and a C1 control (all shown as visible
/// stand-ins) found nobody, and the status line lost the end of its
/// sentence, "empties the search)": it was word-wrapped to more rows than
/// were kept for it. The rows are counted as drawn, and a query too long
/// for them is shortened with `…` inside its quotes, so the sentence keeps
/// its end, at 80x24 and 60x20, with or without spaces in the query.
#[test]
fn the_no_match_line_keeps_its_end_with_a_query_shown_as_escapes() {
    let hostile = "red\u{1b}[31mX\u{1b}]0;pwn\u{7}Y\u{202E}Z\u{9b}2J";
    for (w, h) in [(80, 24), (60, 20)] {
        let mut hs = signed_in("sam", w, h);
        hs.paste(hostile);
        let screen = hs.screen();
        for part in [
            "no patient matches",
            "\"red[31mX]0;pwnY<U+202E>Z",
            "(Ctrl-U",
            "empties the search)",
        ] {
            assert!(screen.contains(part), "{w}x{h}, {part}:\n{screen}");
        }
        snap(&format!("no_match_query_with_escapes_{w}x{h}"), &hs);
        // Long, but of at most 12 name words (more is refused: the next
        // test).
        for long in [
            format!("{hostile}{}", "Q".repeat(80)),
            "nosuchname ".repeat(12),
        ] {
            hs.ctrl('u');
            hs.paste(&long);
            let screen = hs.screen();
            for part in ["no patient matches", "…\"", "empties the search)"] {
                assert!(screen.contains(part), "{w}x{h}, {part}:\n{screen}");
            }
        }
        snap(&format!("no_match_long_query_{w}x{h}"), &hs);
    }
}

/// Fresh eyes, session 7 (second pass), finding 3: more than 12 name
/// words is refused with a sentence, and at 80x24 the sentence lost its
/// last word ("leave some", no "out"). It keeps its end at both sizes.
#[test]
fn fresh_s7b_3_the_too_many_words_sentence_keeps_its_end() {
    let hostile = "red\u{1b}[31mX\u{1b}]0;pwn\u{7}Y\u{202E}Z\u{9b}2J";
    for (w, h) in [(80, 24), (60, 20)] {
        let mut hs = signed_in("sam", w, h);
        for long in [hostile.repeat(4), "a b c d e f g h i j k l zzzz".to_owned()] {
            hs.ctrl('u');
            hs.paste(&long);
            let screen = hs.screen().split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                screen.contains("a search reads at most 12 name words")
                    && screen.contains("leave some out"),
                "{w}x{h}:\n{}",
                hs.screen()
            );
        }
    }
}

/// Finding 9 (fresh eyes, session 6): at 60x20 only two of the three
/// identity checks fit in F2's and F3's confirmations. With the third
/// chosen and focus on the confirming button, the list scrolled back to the
/// first two and no `(•)` was on screen: the clerk could not see which
/// check would be recorded. The chosen check now stays in view whatever
/// has focus.
#[test]
fn fresh_s6_9_the_chosen_identity_check_stays_in_view_at_60x20() {
    let third = "(•) by phone, date of birth and address";
    let choose_third_then_the_button = |hs: &mut Harness| {
        assert!(top_is(hs, Some(ModalKind::Confirm)), "{}", hs.screen());
        hs.key(KeyCode::Down);
        hs.key(KeyCode::Down);
        hs.key(KeyCode::Enter);
        assert!(hs.screen().contains(third), "{}", hs.screen());
        hs.key(KeyCode::Tab);
    };
    // F2: Create/Validate adding a sibling to the family's account, the
    // tallest of its confirmations.
    let p = Practice::new();
    p.create_validate("100001");
    let mut hs = p.app_signed_in("sam", 60, 20);
    hs.type_text("garcia");
    hs.key(KeyCode::Down);
    hs.key(KeyCode::F(2));
    choose_third_then_the_button(&mut hs);
    let screen = hs.screen();
    assert!(
        screen.contains(third) && screen.contains(">[ Add to account ]<"),
        "{screen}"
    );
    assert!(!screen.contains("( ) by phone"), "{screen}");
    // Fresh eyes, session 7 (second pass), finding 7: the patient's name
    // and birth date stay in view too (they had scrolled away).
    assert!(
        screen.contains("García-López, Sofía") && screen.contains("15 Mar 2021"),
        "{screen}"
    );
    snap("fresh_s6_9_create_validate_chosen_check_60x20", &hs);
    // Back to Cancel: it stays.
    hs.key(KeyCode::BackTab);
    assert!(hs.screen().contains(third), "{}", hs.screen());
    // Confirmed, the third check is the one recorded.
    hs.key(KeyCode::Tab);
    hs.key(KeyCode::Enter);
    hs.settle();
    assert!(top_is(&hs, Some(ModalKind::Linked)), "{}", hs.screen());
    let event = hs.app.portal().audit_list(0, 1_000).unwrap().pop().unwrap();
    assert!(
        event
            .outcome
            .contains("by phone, date of birth and address"),
        "{event:?}"
    );

    // F3: adding a guardian, whose confirmation is taller.
    let mut hs = smith_with_mother().app_signed_in("sam", 60, 20);
    ask_to_add_the_father(&mut hs);
    choose_third_then_the_button(&mut hs);
    let screen = hs.screen();
    assert!(
        screen.contains(third) && screen.contains(">[ Create account ]<"),
        "{screen}"
    );
    assert!(
        screen.contains("Smith, Olivia") && screen.contains("4 Jul 2018"),
        "{screen}"
    );
    snap("fresh_s6_9_add_guardian_chosen_check_60x20", &hs);
}

/// Finding 4's remainder (fresh eyes, session 6): an import gave Liam Ohara
/// the O'Briens' login. F2's confirmation names the account's patient and
/// adds that none of them has his last name, asking staff to check with the
/// parent; confirming still links him (never a refusal).
#[test]
fn fresh_s6_4_a_link_to_an_account_of_another_surname_says_so() {
    let p = Practice::new();
    p.create_validate("100003");
    p.portal
        .import_patients(
            &p.admin,
            "more.csv",
            b"account_number,last_name,first_name,date_of_birth,email\n\
              200009,Ohara,Liam,2017-01-03,kathleen.obrien@example.org\n"
                .as_slice(),
            0,
            false,
            &mut (),
        )
        .unwrap();
    let mut hs = p.app_signed_in("sam", 80, 24);
    hs.type_text("ohara liam");
    hs.key(KeyCode::F(2));
    let screen = hs.screen();
    assert!(
        screen.contains("which holds O'Brien, Seán, born 30 Nov")
            && screen.contains("2016, no. 100003"),
        "{screen}"
    );
    assert!(
        screen.contains("None of the patients already on this account has this patient's last")
            && screen
                .contains("name (Ohara): check with the parent that this login is their family's."),
        "{screen}"
    );
    snap("fresh_s6_4_link_to_another_surname_80x24", &hs);
    linked_says(&mut hs, "signs in with their current password");
    // A sibling's link says nothing of the kind.
    let q = Practice::new();
    q.create_validate("100001");
    let mut hs = q.app_signed_in("sam", 80, 24);
    hs.type_text("garcia sofia");
    hs.key(KeyCode::F(2));
    assert!(
        hs.screen().contains("Add to existing portal account?")
            && !hs.screen().contains("None of the patients"),
        "{}",
        hs.screen()
    );
}
