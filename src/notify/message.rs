//! The words of a notice: a subject and a plain-text body that say what
//! happened to the account, where, when and whom to call. No password, no
//! patient name.

use crate::domain::{Email, Relationship};

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
    /// The holder was made a guardian of a patient (`relationship`: their
    /// mother, father… or `self`, the patient's own account); `created`
    /// when their account was opened for it (with a temporary login).
    GuardianAdded {
        created: bool,
        relationship: Relationship,
    },
    /// An administrator removed the holder as a guardian of a patient.
    GuardianRemoved,
    /// Another person was made a guardian (`relationship`) of a patient on
    /// the holder's account (told to the patient's other current guardians).
    OtherGuardianAdded { relationship: Relationship },
    /// An administrator removed another guardian of a patient on the
    /// holder's account (told to the patient's other current guardians).
    OtherGuardianRemoved,
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
            Happened::GuardianAdded { created: true, .. } => "guardian added, account created",
            Happened::GuardianAdded { created: false, .. } => "guardian added",
            Happened::GuardianRemoved => "guardian removed",
            Happened::OtherGuardianAdded { .. } => "another guardian added",
            Happened::OtherGuardianRemoved => "another guardian removed",
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
        Happened::GuardianAdded {
            created: true,
            relationship: Relationship::Own,
        } => (
            "a portal account of your own was opened for you".to_owned(),
            format!(
                "A patient portal account of your own, with the login {login}, was opened for you at {practice} {DESK} on {when}: your own account, with access to your own record. A temporary password was given to you in person or by phone, never by email."
            ),
        ),
        Happened::GuardianAdded {
            created: false,
            relationship: Relationship::Own,
        } => (
            "your portal account is now your own".to_owned(),
            format!(
                "Your portal account at {practice} ({login}) was made your own account, with access to your own record, {DESK} on {when}. Your password did not change."
            ),
        ),
        Happened::GuardianAdded {
            created: true,
            relationship,
        } => (
            "you were given portal access to a patient".to_owned(),
            format!(
                "A patient portal account with the login {login} was opened for you at {practice} {DESK} on {when}, with access to a patient's record {}. A temporary password was given to you in person or by phone, never by email.",
                as_their(*relationship)
            ),
        ),
        Happened::GuardianAdded {
            created: false,
            relationship,
        } => (
            "you were given portal access to a patient".to_owned(),
            format!(
                "Your portal account at {practice} ({login}) was given access to a patient's record {} {DESK} on {when}. Your password did not change.",
                as_their(*relationship)
            ),
        ),
        Happened::GuardianRemoved => (
            "a patient was removed from your portal account".to_owned(),
            format!(
                "Your portal account at {practice} ({login}) no longer has access to one patient's record: it was removed {ADMIN} on {when}. Your password did not change."
            ),
        ),
        Happened::OtherGuardianAdded { relationship } => (
            "someone else was given portal access to a patient on your account".to_owned(),
            format!(
                "Another person was given portal access, {}, to the record of a patient on your portal account at {practice} ({login}) {DESK} on {when}. They have a login of their own; your access and your password did not change.",
                as_the_patients(*relationship)
            ),
        ),
        Happened::OtherGuardianRemoved => (
            "another guardian's portal access to a patient was removed".to_owned(),
            format!(
                "Another person's portal access to the record of a patient on your portal account at {practice} ({login}) was removed {ADMIN} on {when}. Your access and your password did not change."
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

/// How the holder is related to the patient, in a notice: `as their
/// father`; `other` is said as such.
fn as_their(relationship: Relationship) -> &'static str {
    match relationship {
        Relationship::Mother => "as their mother",
        Relationship::Father => "as their father",
        Relationship::Guardian => "as their guardian",
        Relationship::Own => "as your own account",
        Relationship::Other => "as someone close to them (not a parent or guardian)",
    }
}

/// Another person's relation to the patient, in a notice to the patient's
/// other guardians: `as the patient's father`.
fn as_the_patients(relationship: Relationship) -> &'static str {
    match relationship {
        Relationship::Mother => "as the patient's mother",
        Relationship::Father => "as the patient's father",
        Relationship::Guardian => "as the patient's guardian",
        Relationship::Own => "as the patient's own account",
        Relationship::Other => "as someone close to the patient (not a parent or guardian)",
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

    /// Finding 4 of issue 11: a notice names the relationship, and a
    /// teenager's own account is never told it is their guardian.
    #[test]
    fn notices_name_the_relationship_instead_of_always_as_their_guardian() {
        let text = |created, relationship| {
            let c = compose(
                &Happened::GuardianAdded {
                    created,
                    relationship,
                },
                "Sunshine",
                &email("a@example.com"),
                "WHEN",
                "CALL",
            );
            c.body.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for created in [true, false] {
            assert!(text(created, Relationship::Father).contains("record as their father"));
            assert!(text(created, Relationship::Mother).contains("record as their mother"));
            assert!(text(created, Relationship::Guardian).contains("record as their guardian"));
            let own = text(created, Relationship::Own);
            assert!(own.contains("your own account"), "{own}");
            assert!(!own.contains("guardian"), "{own}");
            let other = text(created, Relationship::Other);
            assert!(!other.contains("as their guardian"), "{other}");
        }
    }

    #[test]
    fn every_notice_names_the_practice_the_time_and_whom_to_call() {
        let all = [
            Happened::AccountCreated,
            Happened::PasswordReset,
            Happened::PatientAdded,
            Happened::PatientAddedAndReset,
            Happened::PasswordSetByAdministrator,
            Happened::GuardianAdded {
                created: true,
                relationship: Relationship::Father,
            },
            Happened::GuardianAdded {
                created: false,
                relationship: Relationship::Own,
            },
            Happened::GuardianRemoved,
            Happened::OtherGuardianAdded {
                relationship: Relationship::Mother,
            },
            Happened::OtherGuardianRemoved,
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
