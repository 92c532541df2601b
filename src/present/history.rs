//! An account's history in words: when (in the practice's time), who, what.

use super::LocalTime;
use crate::domain::text::printable;
use crate::domain::{Action, AuditEvent};
use crate::services::HOLDER_ACTOR;

/// One event of an account's history, ready to show in three columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// `Tue 1 Dec 2026, 3:07 PM EST`.
    pub when: String,
    /// `ana`, `the account holder`, `root (command line)`.
    pub who: String,
    /// `added patient 100002 (password unchanged; identity check: in person, photo ID)`.
    pub what: String,
}

/// The words of one audit event for the account pane and the Control
/// Panel's user details.
pub fn history_line(ev: &AuditEvent, local: &LocalTime) -> HistoryLine {
    let who = if ev.actor == HOLDER_ACTOR {
        "the account holder".to_owned()
    } else if let Some(name) = ev.actor.strip_prefix("operator:") {
        name.to_owned()
    } else if let Some(user) = ev.actor.strip_prefix("local:") {
        format!("{user} (command line)")
    } else {
        ev.actor.clone()
    };
    let patient = ev
        .target
        .rsplit_once(", patient ")
        .map(|(_, no)| no.to_owned())
        .unwrap_or_default();
    let base = match ev.action {
        Action::AccountCreated => "created the account".to_owned(),
        Action::AccountLinked => format!("added patient {patient}"),
        Action::PasswordReset => "reset the password (temporary login)".to_owned(),
        Action::AdminPasswordSet => "set the password (Control Panel)".to_owned(),
        Action::AccountUnlocked => "unlocked the account".to_owned(),
        Action::AccountDisabled => "disabled the account".to_owned(),
        Action::AccountEnabled => "enabled the account".to_owned(),
        Action::HolderSignIn => "signed in".to_owned(),
        Action::HolderPasswordChanged => "chose a new password".to_owned(),
        Action::GuardianAdded => format!("added as a guardian of patient {patient}"),
        Action::GuardianRemoved => format!("removed as a guardian of patient {patient}"),
        Action::LoginEmailChanged => "changed the login email".to_owned(),
        Action::NoticeSent => "notice sent".to_owned(),
        Action::NoticeFailed => "notice given up".to_owned(),
        other => other.as_str().replace('_', " "),
    };
    let what = if let Some(reason) = ev.outcome.strip_prefix("failure: ") {
        match ev.action {
            Action::HolderSignIn => format!("sign-in refused: {reason}"),
            Action::NoticeFailed => format!("{base} ({reason})"),
            _ => format!("{base}: refused ({reason})"),
        }
    } else {
        match ev
            .outcome
            .strip_prefix("success (")
            .and_then(|d| d.strip_suffix(')'))
        {
            Some(detail) => format!("{base} ({detail})"),
            None => base,
        }
    };
    HistoryLine {
        when: local.spoken(ev.at),
        who: printable(&who),
        what: printable(&what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NewEvent;
    use time::macros::datetime;

    fn event(actor: &str, action: Action, target: &str, outcome: &str) -> AuditEvent {
        AuditEvent::new(
            1,
            datetime!(2026-12-01 20:07:00 UTC),
            NewEvent {
                actor: actor.into(),
                action,
                target: target.into(),
                outcome: outcome.into(),
            },
            crate::domain::audit::GENESIS,
        )
    }

    #[test]
    fn events_read_as_who_did_what_when() {
        let ny = LocalTime::named("America/New_York").unwrap();
        let linked = history_line(
            &event(
                "operator:sam",
                Action::AccountLinked,
                "account 3 <maria@example.com>, patient 100002",
                "success (password unchanged; identity check: in person, photo ID)",
            ),
            &ny,
        );
        assert_eq!(linked.when, "Tue 1 Dec 2026, 3:07 PM EST");
        assert_eq!(linked.who, "sam");
        assert_eq!(
            linked.what,
            "added patient 100002 (password unchanged; identity check: in person, photo ID)"
        );
        let failed = history_line(
            &event(
                HOLDER_ACTOR,
                Action::HolderSignIn,
                "account 3 <maria@example.com>",
                "failure: wrong password",
            ),
            &ny,
        );
        assert_eq!(failed.who, "the account holder");
        assert_eq!(failed.what, "sign-in refused: wrong password");
        let local = history_line(
            &event(
                "local:root",
                Action::AccountUnlocked,
                "account 3 <maria@example.com>",
                "success",
            ),
            &ny,
        );
        assert_eq!(
            (local.who.as_str(), local.what.as_str()),
            ("root (command line)", "unlocked the account")
        );
    }
}
