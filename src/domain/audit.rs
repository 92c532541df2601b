//! The audit trail: append-only events, each carrying the hash of the one
//! before it, so an edited, inserted or deleted event breaks the chain.
//! No event ever holds a password, plaintext or hash.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    DatabaseCreated,
    SetupChanged,
    OperatorAdded,
    OperatorSignIn,
    /// An operator chose a new password (required after an administrator reset it).
    OperatorPasswordChanged,
    OperatorDisabled,
    OperatorEnabled,
    OperatorUnlocked,
    /// An administrator set an operator's password; they must choose their own.
    OperatorPasswordReset,
    /// An operator was removed; the name stays reserved.
    OperatorRemoved,
    PatientsImported,
    DemoSeeded,
    /// Create/Validate made a new portal account.
    AccountCreated,
    /// Create/Validate linked a patient to the existing account of the email.
    AccountLinked,
    /// Create/Validate reset an existing account's password.
    PasswordReset,
    /// Control Panel: an administrator set the password.
    AdminPasswordSet,
    AccountUnlocked,
    AccountDisabled,
    AccountEnabled,
    /// The account holder signed in (or failed to).
    HolderSignIn,
    /// The account holder chose a new password.
    HolderPasswordChanged,
    /// A consistent copy of the database was written (`backup`).
    BackupMade,
    /// The file was upgraded to a newer schema (a backup of it was kept).
    DatabaseUpgraded,
    /// A derived index was rebuilt on open: an older portal-admin, still
    /// running when the file was upgraded, had written to it since.
    IndexRebuilt,
    /// A guardian was added to a patient (their account made or linked).
    GuardianAdded,
    /// An administrator removed a guardian from a patient.
    GuardianRemoved,
    /// An administrator changed an account's login email.
    LoginEmailChanged,
    /// The SMTP relay took a notice to an account holder.
    NoticeSent,
    /// A notice to an account holder was given up (refused for good, or
    /// every attempt failed).
    NoticeFailed,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::DatabaseCreated => "database_created",
            Action::SetupChanged => "setup_changed",
            Action::OperatorAdded => "operator_added",
            Action::OperatorSignIn => "operator_sign_in",
            Action::OperatorPasswordChanged => "operator_password_changed",
            Action::OperatorDisabled => "operator_disabled",
            Action::OperatorEnabled => "operator_enabled",
            Action::OperatorUnlocked => "operator_unlocked",
            Action::OperatorPasswordReset => "operator_password_reset",
            Action::OperatorRemoved => "operator_removed",
            Action::PatientsImported => "patients_imported",
            Action::DemoSeeded => "demo_seeded",
            Action::AccountCreated => "account_created",
            Action::AccountLinked => "account_linked",
            Action::PasswordReset => "password_reset",
            Action::AdminPasswordSet => "admin_password_set",
            Action::AccountUnlocked => "account_unlocked",
            Action::AccountDisabled => "account_disabled",
            Action::AccountEnabled => "account_enabled",
            Action::HolderSignIn => "holder_sign_in",
            Action::HolderPasswordChanged => "holder_password_changed",
            Action::BackupMade => "backup_made",
            Action::DatabaseUpgraded => "database_upgraded",
            Action::IndexRebuilt => "index_rebuilt",
            Action::GuardianAdded => "guardian_added",
            Action::GuardianRemoved => "guardian_removed",
            Action::LoginEmailChanged => "login_email_changed",
            Action::NoticeSent => "notice_sent",
            Action::NoticeFailed => "notice_failed",
        }
    }
}

/// What a service asks the store to append; the store numbers and chains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub actor: String,
    pub action: Action,
    pub target: String,
    pub outcome: String,
}

impl NewEvent {
    pub fn success(actor: &str, action: Action, target: impl Into<String>) -> Self {
        NewEvent {
            actor: actor.to_owned(),
            action,
            target: target.into(),
            outcome: "success".into(),
        }
    }

    pub fn failure(actor: &str, action: Action, target: impl Into<String>, reason: &str) -> Self {
        NewEvent {
            actor: actor.to_owned(),
            action,
            target: target.into(),
            outcome: format!("failure: {reason}"),
        }
    }
}

/// The portal account an event is about, from its target: every event on
/// an account names it first, `account 12 <maria@example.com>, …` (the
/// services' `account_target`). Indexes the account's history.
pub fn account_of_target(target: &str) -> Option<u64> {
    let rest = target.strip_prefix("account ")?;
    let (id, rest) = rest.split_once(' ')?;
    if !rest.starts_with('<') || id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `operator:NAME`, `account-holder`, or `local:USER` (the file's owner at the CLI).
    pub actor: String,
    pub action: Action,
    /// What was acted on, e.g. `account 12 <maria@example.com>, patient 100234`.
    pub target: String,
    /// `success`, or `failure: REASON`.
    pub outcome: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    pub fn new(seq: u64, at: OffsetDateTime, e: NewEvent, prev_hash: &str) -> AuditEvent {
        let mut ev = AuditEvent {
            seq,
            at,
            actor: e.actor,
            action: e.action,
            target: e.target,
            outcome: e.outcome,
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        ev.hash = ev.compute_hash();
        ev
    }

    /// SHA-256 over every field but `hash`, each length-prefixed so no two
    /// different events can serialise the same.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let at = self.at.unix_timestamp().to_string();
        for field in [
            self.seq.to_string().as_str(),
            at.as_str(),
            &self.actor,
            self.action.as_str(),
            &self.target,
            &self.outcome,
            &self.prev_hash,
        ] {
            h.update((field.len() as u64).to_le_bytes());
            h.update(field.as_bytes());
        }
        let digest = h.finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Result of `audit verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub events: u64,
    /// Hash of the last event: write it down somewhere else to detect a
    /// rewrite of the whole chain later.
    pub head: String,
    /// The first break found, as a sentence; `None` when the chain is intact.
    pub problem: Option<String>,
}

/// Checks events one at a time, in order, so a long trail is never held in
/// memory at once.
#[derive(Debug)]
pub struct ChainVerifier {
    count: u64,
    prev: String,
    problem: Option<String>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            count: 0,
            prev: GENESIS.to_owned(),
            problem: None,
        }
    }
}

impl ChainVerifier {
    /// Checks the next event; returns false once a break was found.
    pub fn feed(&mut self, item: Result<AuditEvent, String>) -> bool {
        if self.problem.is_some() {
            return false;
        }
        let expected = self.count + 1;
        self.problem = match item {
            Err(e) => Some(e),
            Ok(ev) if ev.seq != expected => Some(format!(
                "event {expected} is missing (found event {} in its place)",
                ev.seq
            )),
            Ok(ev) if ev.prev_hash != self.prev => Some(format!(
                "event {} does not follow event {}: an event was removed or replaced",
                ev.seq, self.count
            )),
            Ok(ev) if ev.compute_hash() != ev.hash => {
                Some(format!("event {} was altered after it was written", ev.seq))
            }
            Ok(ev) => {
                self.prev = ev.hash;
                self.count = expected;
                None
            }
        };
        self.problem.is_none()
    }

    /// The report, given the event count and last hash the database recorded
    /// at its last append (so that removing events from the end shows).
    pub fn finish(self, recorded_head: Option<(u64, String)>) -> ChainReport {
        let problem = self.problem.or_else(|| match recorded_head {
            Some((seq, hash)) if seq != self.count || hash != self.prev => Some(format!(
                "the log ends at event {}, but the database recorded {seq} events: events were removed from the end",
                self.count
            )),
            _ => None,
        });
        ChainReport {
            events: self.count,
            head: self.prev,
            problem,
        }
    }
}

/// Verifies a whole sequence of events (see [`ChainVerifier`]).
pub fn verify_chain<I>(events: I, recorded_head: Option<(u64, String)>) -> ChainReport
where
    I: IntoIterator<Item = Result<AuditEvent, String>>,
{
    let mut v = ChainVerifier::default();
    for item in events {
        if !v.feed(item) {
            break;
        }
    }
    v.finish(recorded_head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn chain(n: u64) -> Vec<AuditEvent> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|i| {
                let ev = AuditEvent::new(
                    i,
                    datetime!(2026-01-05 09:00 UTC),
                    NewEvent::success(
                        "operator:ana",
                        Action::PasswordReset,
                        format!("account {i}"),
                    ),
                    &prev,
                );
                prev = ev.hash.clone();
                ev
            })
            .collect()
    }

    fn verify(evs: &[AuditEvent]) -> ChainReport {
        verify_chain(evs.iter().cloned().map(Ok), None)
    }

    #[test]
    fn the_account_of_an_event_is_read_from_its_target() {
        assert_eq!(
            account_of_target("account 12 <maria@example.com>, patient 100001"),
            Some(12)
        );
        assert_eq!(account_of_target("account 7 <a@b.org>"), Some(7));
        for other in [
            "email <x@example.com>",
            "unknown email",
            "account  <x@y.z>",
            "account 1x <x@y.z>",
            "account 12",
            "operator ana",
            "accounts 3 <x@y.z>",
        ] {
            assert_eq!(account_of_target(other), None, "{other}");
        }
    }

    #[test]
    fn intact_chain_verifies() {
        let evs = chain(5);
        let r = verify(&evs);
        assert_eq!(r.problem, None);
        assert_eq!(r.events, 5);
        assert_eq!(r.head, evs[4].hash);
    }

    #[test]
    fn edits_deletions_and_truncations_are_found() {
        let mut evs = chain(5);
        evs[2].outcome = "failure: nothing happened".into();
        assert!(
            verify(&evs)
                .problem
                .unwrap()
                .contains("event 3 was altered")
        );

        let mut evs = chain(5);
        evs.remove(1);
        assert!(verify(&evs).problem.unwrap().contains("event 2 is missing"));

        let evs = chain(5);
        let head = (5, evs[4].hash.clone());
        let r = verify_chain(evs[..4].iter().cloned().map(Ok), Some(head));
        assert!(r.problem.unwrap().contains("removed from the end"));
    }
}
