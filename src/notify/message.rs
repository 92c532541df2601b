//! The words of a notice: a subject and a plain-text body that say what
//! happened to the account, where, when and whom to call. No password, no
//! patient name.

use crate::domain::Email;

/// What happened to an account holder's login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happened {
    /// Create/Validate opened a new account with a temporary login.
    AccountCreated,
    /// Create/Validate gave the account a temporary password.
    PasswordReset,
    /// A patient was added to the account; the password did not change.
    PatientAdded,
    /// A patient was added and, as staff asked, the password was reset.
    PatientAddedAndReset,
    /// An administrator set the password (Control Panel).
    PasswordSetByAdministrator,
    /// The holder was made a guardian of a patient; `created` when their
    /// account was opened for it (with a temporary login).
    GuardianAdded { created: bool },
    /// An administrator removed the holder as a guardian of a patient.
    GuardianRemoved,
    /// An administrator changed the account's login email.
    LoginEmailChanged { old: Email, new: Email },
}

impl Happened {
    /// A few words for `notify status` and the audit trail.
    pub fn what(&self) -> &'static str {
        match self {
            Happened::AccountCreated => "account created",
            Happened::PasswordReset => "password reset",
            Happened::PatientAdded => "patient added",
            Happened::PatientAddedAndReset => "patient added, password reset",
            Happened::PasswordSetByAdministrator => "password set by an administrator",
            Happened::GuardianAdded { created: true } => "guardian added, account created",
            Happened::GuardianAdded { created: false } => "guardian added",
            Happened::GuardianRemoved => "guardian removed",
            Happened::LoginEmailChanged { .. } => "login email changed",
        }
    }
}

/// A notice ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub what: &'static str,
    pub subject: String,
    pub body: String,
}

/// The notice about `happened` to the account `login` at `practice`, at
/// `when` (already in the practice's time, as read aloud), telling the
/// holder to call `contact` if it was not them.
pub fn compose(
    happened: &Happened,
    practice: &str,
    login: &Email,
    when: &str,
    contact: &str,
) -> Composed {
    const DESK: &str = "at the front desk";
    const ADMIN: &str = "by the practice's portal administrator";
    let temporary = "The old password no longer works; a temporary password was given to you in person or by phone, never by email.";
    let (subject, what_happened) = match happened {
        Happened::AccountCreated => (
            "a portal account was opened for you".to_owned(),
            format!(
                "A patient portal account with the login {login} was opened for you at {practice} {DESK} on {when}. A temporary password was given to you in person or by phone, never by email."
            ),
        ),
        Happened::PasswordReset => (
            "your portal password was reset".to_owned(),
            format!(
                "The portal password for your account at {practice} ({login}) was reset {DESK} on {when}. {temporary}"
            ),
        ),
        Happened::PatientAdded => (
            "a patient was added to your portal account".to_owned(),
            format!(
                "A patient was added to your portal account at {practice} ({login}) {DESK} on {when}. Your password did not change."
            ),
        ),
        Happened::PatientAddedAndReset => (
            "a patient was added and your portal password was reset".to_owned(),
            format!(
                "A patient was added to your portal account at {practice} ({login}) {DESK} on {when}, and its password was reset. {temporary}"
            ),
        ),
        Happened::PasswordSetByAdministrator => (
            "your portal password was changed".to_owned(),
            format!(
                "The portal password for your account at {practice} ({login}) was changed {ADMIN} on {when}. The old password no longer works."
            ),
        ),
        Happened::GuardianAdded { created: true } => (
            "you were given portal access to a patient".to_owned(),
            format!(
                "A patient portal account with the login {login} was opened for you at {practice} {DESK} on {when}, with access to a patient's record as their guardian. A temporary password was given to you in person or by phone, never by email."
            ),
        ),
        Happened::GuardianAdded { created: false } => (
            "you were given portal access to a patient".to_owned(),
            format!(
                "Your portal account at {practice} ({login}) was given access to a patient's record as their guardian {DESK} on {when}. Your password did not change."
            ),
        ),
        Happened::GuardianRemoved => (
            "a patient was removed from your portal account".to_owned(),
            format!(
                "Your portal account at {practice} ({login}) no longer has access to one patient's record: it was removed {ADMIN} on {when}. Your password did not change."
            ),
        ),
        Happened::LoginEmailChanged { old, new } => (
            "the login of your portal account was changed".to_owned(),
            format!(
                "The login of your portal account at {practice} was changed from {old} to {new} {ADMIN} on {when}. From now on you sign in with {new}; your password did not change."
            ),
        ),
    };
    let body = [
        what_happened,
        format!("If this wasn't you, call {contact}."),
        format!(
            "This message never contains a password, and {practice} will never ask you for yours."
        ),
    ]
    .iter()
    .map(|p| wrap(p, 72))
    .collect::<Vec<_>>()
    .join("\n\n")
        + "\n";
    Composed {
        what: happened.what(),
        subject: format!("{practice}: {subject}"),
        body,
    }
}

/// `text` with its lines broken between words at `width` columns or
/// fewer (a word longer than that stands alone): plain text any mail
/// reader shows as written.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    let mut col = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if col > 0 && col + 1 + n > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    #[test]
    fn a_reset_notice_reads_as_the_issue_asks() {
        let c = compose(
            &Happened::PasswordReset,
            "Sunshine Pediatrics",
            &email("maria@example.com"),
            "Tue 1 Dec 2026, 3:07 PM EST",
            "the front desk at (555) 010-0199",
        );
        assert_eq!(
            c.subject,
            "Sunshine Pediatrics: your portal password was reset"
        );
        let text = c.body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.starts_with(
                "The portal password for your account at Sunshine Pediatrics (maria@example.com) was reset at the front desk on Tue 1 Dec 2026, 3:07 PM EST."
            ),
            "{text}"
        );
        assert!(
            text.contains("If this wasn't you, call the front desk at (555) 010-0199."),
            "{text}"
        );
        assert_eq!(c.what, "password reset");
    }

    #[test]
    fn every_notice_names_the_practice_the_time_and_whom_to_call() {
        let all = [
            Happened::AccountCreated,
            Happened::PasswordReset,
            Happened::PatientAdded,
            Happened::PatientAddedAndReset,
            Happened::PasswordSetByAdministrator,
            Happened::GuardianAdded { created: true },
            Happened::GuardianAdded { created: false },
            Happened::GuardianRemoved,
            Happened::LoginEmailChanged {
                old: email("old@example.com"),
                new: email("new@example.com"),
            },
        ];
        for h in &all {
            let c = compose(h, "Sunshine", &email("a@example.com"), "WHEN", "CALL");
            assert!(c.subject.starts_with("Sunshine: "), "{h:?}");
            assert!(
                c.body.contains("Sunshine") && c.body.contains("on WHEN"),
                "{h:?}"
            );
            assert!(c.body.contains("call CALL."), "{h:?}");
            assert!(!c.what.is_empty());
            assert!(
                c.body.lines().all(|l| l.chars().count() <= 72),
                "{}",
                c.body
            );
        }
    }
}
