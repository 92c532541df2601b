//! Operators' whole lifecycle, for administrators: add, disable, enable,
//! unlock, reset the password (the operator then chooses their own), and
//! remove (the record stays, so the name is never given to someone else and
//! the audit trail keeps meaning what it says). The last active
//! administrator can be neither disabled nor removed.

use super::{Portal, Session};
use crate::domain::account::parse_operator_name;
use crate::domain::{Action, NewEvent, Operator, Role};
use crate::error::{Error, Input, Missing, Refusal, Result};
use crate::secret::Secret;
use crate::store::WriteTx;

/// A change an administrator makes to an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorChange {
    Disable,
    Enable,
    Unlock,
    Remove,
}

impl OperatorChange {
    fn what(self) -> &'static str {
        match self {
            OperatorChange::Disable => "disabling an operator",
            OperatorChange::Enable => "enabling an operator",
            OperatorChange::Unlock => "unlocking an operator",
            OperatorChange::Remove => "removing an operator",
        }
    }

    fn action(self) -> Action {
        match self {
            OperatorChange::Disable => Action::OperatorDisabled,
            OperatorChange::Enable => Action::OperatorEnabled,
            OperatorChange::Unlock => Action::OperatorUnlocked,
            OperatorChange::Remove => Action::OperatorRemoved,
        }
    }
}

impl Portal {
    /// Operators, for `operator list`, removed ones included (their names
    /// stay taken).
    pub fn operators(&self) -> Result<Vec<Operator>> {
        self.store.read()?.operators()
    }

    /// True while the database has no administrator (removed ones aside):
    /// then the file's owner may add the first one.
    pub fn needs_first_administrator(&self) -> Result<bool> {
        Ok(!self
            .operators()?
            .iter()
            .any(|o| o.role == Role::Admin && !o.is_removed()))
    }

    /// Adds an operator with a password given twice (checked by the policy).
    /// An administrator's session adds anyone; the file's owner
    /// ([`Portal::file_owner`]) only the first administrator (bootstrap,
    /// recorded as such).
    pub fn add_operator(
        &self,
        s: &Session,
        name: &str,
        role: Role,
        password: &Secret,
        confirm: &Secret,
    ) -> Result<()> {
        let bootstrap = s.local && role == Role::Admin && self.needs_first_administrator()?;
        if !bootstrap {
            self.authorize(
                s,
                Role::Admin,
                "adding an operator",
                Action::OperatorAdded,
                &format!("operator {}", name.trim()),
            )?;
        }
        let name = parse_operator_name(name).map_err(Error::invalid(Input::OperatorName))?;
        if let Some(existing) = self.store.read()?.operator(&name)? {
            return Err(taken(existing));
        }
        self.check_operator_password(&name, password, confirm)?;
        let hash = self.hasher.hash(password)?;
        self.store.write(self.now(), |tx| {
            if let Some(existing) = tx.operator(&name)? {
                return Err(taken(existing));
            }
            if bootstrap && tx.operators()?.iter().any(|o| o.role == Role::Admin) {
                return Err(Error::Conflict(format!("the operator {name}")));
            }
            tx.put_operator(&Operator::new(name.clone(), role, hash, tx.now()))?;
            tx.audit(NewEvent {
                actor: s.actor(),
                action: Action::OperatorAdded,
                target: format!("operator {name} (role {})", role.as_str()),
                outcome: if bootstrap {
                    "success (bootstrap: the first administrator, added by the file's owner)".into()
                } else {
                    "success".into()
                },
            })
        })?;
        tracing::info!(
            operator = s.name(),
            new_operator = name.as_str(),
            bootstrap,
            "operator added"
        );
        Ok(())
    }

    /// Disables, enables, unlocks or removes the operator `name`.
    pub fn change_operator(&self, s: &Session, name: &str, change: OperatorChange) -> Result<()> {
        self.authorize(
            s,
            Role::Admin,
            change.what(),
            change.action(),
            &format!("operator {}", name.trim()),
        )?;
        self.operator_change(s, name, change.action(), "success", |tx, op| {
            let now = tx.now();
            let name = op.username.clone();
            match change {
                OperatorChange::Disable if op.disabled => {
                    return Err(Refusal::OperatorAlreadyDisabled { name }.into());
                }
                OperatorChange::Enable if !op.disabled => {
                    return Err(Refusal::OperatorAlreadyEnabled { name }.into());
                }
                OperatorChange::Unlock if !op.is_locked(now) && op.failed_count == 0 => {
                    return Err(Refusal::OperatorNotLocked { name }.into());
                }
                OperatorChange::Disable | OperatorChange::Remove => {
                    last_administrator_check(tx, op)?;
                }
                _ => {}
            }
            match change {
                OperatorChange::Disable => {
                    op.disabled = true;
                    op.session_epoch += 1;
                }
                OperatorChange::Enable => op.disabled = false,
                OperatorChange::Unlock => {
                    op.failed_count = 0;
                    op.locked_until = None;
                }
                OperatorChange::Remove => {
                    op.removed_at = Some(now);
                    op.disabled = true;
                    op.session_epoch += 1;
                }
            }
            Ok(())
        })
    }

    /// Sets the operator `name`'s password to one an administrator typed
    /// twice; the operator must choose their own at the next sign-in. Also
    /// clears a lockout.
    pub fn reset_operator_password(
        &self,
        s: &Session,
        name: &str,
        new: &Secret,
        confirm: &Secret,
    ) -> Result<()> {
        self.authorize(
            s,
            Role::Admin,
            "resetting an operator's password",
            Action::OperatorPasswordReset,
            &format!("operator {}", name.trim()),
        )?;
        let name = parse_operator_name(name).map_err(Error::invalid(Input::OperatorName))?;
        self.check_operator_password(&name, new, confirm)?;
        let hash = self.hasher.hash(new)?;
        self.operator_change(
            s,
            &name,
            Action::OperatorPasswordReset,
            "success (must choose a new password at next sign-in)",
            |_, op| {
                op.password_hash = hash;
                op.must_change_password = true;
                op.session_epoch += 1;
                op.failed_count = 0;
                op.locked_until = None;
                Ok(())
            },
        )
    }

    /// The password policy for an operator's new password (the name and the
    /// practice's words are refused).
    pub(super) fn check_operator_password(
        &self,
        name: &str,
        new: &Secret,
        confirm: &Secret,
    ) -> Result<()> {
        let mut inputs = self.user_inputs(None, None)?;
        inputs.push(name.to_owned());
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        Ok(self.policy.check_new(new, confirm, &refs)?)
    }

    /// Applies `change` to the stored operator `name` with its audit event,
    /// in one transaction. A removed operator is never changed again.
    fn operator_change(
        &self,
        s: &Session,
        name: &str,
        action: Action,
        outcome: &str,
        change: impl FnOnce(&WriteTx, &mut Operator) -> Result<()>,
    ) -> Result<()> {
        let name = parse_operator_name(name).map_err(Error::invalid(Input::OperatorName))?;
        self.store.write(self.now(), |tx| {
            let mut op = tx
                .operator(&name)?
                .ok_or_else(|| Missing::Operator { name: name.clone() })?;
            if op.is_removed() {
                return Err(Refusal::OperatorRemoved { name: name.clone() }.into());
            }
            change(tx, &mut op)?;
            op.version += 1;
            tx.put_operator(&op)?;
            tx.audit(NewEvent {
                actor: s.actor(),
                action,
                target: format!("operator {name} (role {})", op.role.as_str()),
                outcome: outcome.into(),
            })
        })?;
        tracing::info!(
            operator = s.name(),
            target = name.as_str(),
            action = action.as_str(),
            "operator changed"
        );
        Ok(())
    }
}

/// The name is taken: by a current operator, or kept by a removed one.
fn taken(existing: Operator) -> Error {
    let name = existing.username.clone();
    if existing.is_removed() {
        Refusal::OperatorNameRetired { name }.into()
    } else {
        Refusal::OperatorExists { name }.into()
    }
}

/// Refuses to take away the last active administrator.
fn last_administrator_check(tx: &WriteTx, op: &Operator) -> Result<()> {
    if op.role != Role::Admin || !op.is_active() {
        return Ok(());
    }
    let others = tx
        .operators()?
        .iter()
        .filter(|o| o.role == Role::Admin && o.is_active() && o.username != op.username)
        .count();
    if others == 0 {
        return Err(Refusal::LastAdministrator {
            name: op.username.clone(),
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::ManualClock;
    use crate::config::Config;

    const ADMIN_PW: &str = "quiet-meadow-copper-kettle";
    const STAFF_PW: &str = "lilac-orbit-walnut-harbor";

    fn practice(dir: &std::path::Path) -> (Portal, Session) {
        let mut config = Config::default();
        config.log.file = Some(dir.join("log"));
        let clock = Arc::new(ManualClock::monday_morning());
        let portal = Portal::create(&dir.join("portal.redb"), config, clock).unwrap();
        let pw = Secret::from(ADMIN_PW);
        portal
            .add_operator(&Portal::file_owner(), "ana", Role::Admin, &pw, &pw)
            .unwrap();
        let admin = portal.operator_sign_in("ana", &pw).unwrap();
        let pw = Secret::from(STAFF_PW);
        portal
            .add_operator(&admin, "sam", Role::Staff, &pw, &pw)
            .unwrap();
        (portal, admin)
    }

    /// True when `s` has ended with the error named `kind`.
    fn ended(portal: &Portal, s: &Session, kind: &str) -> bool {
        match portal.session_check(s) {
            Err(Error::OperatorRevoked { .. }) => kind == "OperatorRevoked",
            Err(Error::SessionEnded { .. }) => kind == "SessionEnded",
            _ => false,
        }
    }

    #[test]
    fn a_session_ends_when_its_operator_is_disabled_removed_or_given_a_new_password() {
        let dir = tempfile::tempdir().unwrap();
        let (portal, admin) = practice(dir.path());
        let sam_pw = Secret::from(STAFF_PW);
        let sam = portal.operator_sign_in("sam", &sam_pw).unwrap();
        portal.session_check(&sam).unwrap();
        portal.session_check(&admin).unwrap();
        portal.session_check(&Portal::file_owner()).unwrap();

        // Disabled: revoked; enabled again: the old session stays ended.
        portal
            .change_operator(&admin, "sam", OperatorChange::Disable)
            .unwrap();
        assert!(ended(&portal, &sam, "OperatorRevoked"));
        portal
            .change_operator(&admin, "sam", OperatorChange::Enable)
            .unwrap();
        assert!(ended(&portal, &sam, "SessionEnded"));
        // ...and it can no longer act either (refused before the role check).
        let err = portal.change_operator(&sam, "ana", OperatorChange::Unlock);
        assert!(matches!(err, Err(Error::SessionEnded { .. })), "{err:?}");
        let sam = portal.operator_sign_in("sam", &sam_pw).unwrap();
        portal.session_check(&sam).unwrap();

        // A lockout by someone else's guesses does not end it.
        for _ in 0..5 {
            let _ = portal.operator_sign_in("sam", &Secret::from("a wrong guess"));
        }
        portal.session_check(&sam).unwrap();
        portal
            .change_operator(&admin, "sam", OperatorChange::Unlock)
            .unwrap();

        // An administrator resets the password: ended.
        let temp = Secret::from("copper lantern orbit meadow");
        portal
            .reset_operator_password(&admin, "sam", &temp, &temp)
            .unwrap();
        assert!(ended(&portal, &sam, "SessionEnded"));
        // The operator chooses their own: the new session holds, and one
        // begun before a change of their own password ends.
        let own = Secret::from("harbor violet tractor lantern");
        let sam = portal
            .operator_change_password("sam", &temp, &own, &own)
            .unwrap();
        portal.session_check(&sam).unwrap();
        let again = portal.operator_sign_in("sam", &own).unwrap();
        let newer = Secret::from("pencil glacier mango thistle");
        let sam2 = portal
            .operator_change_password("sam", &own, &newer, &newer)
            .unwrap();
        assert!(ended(&portal, &again, "SessionEnded"));
        portal.session_check(&sam2).unwrap();

        // Removed: revoked for good.
        portal
            .change_operator(&admin, "sam", OperatorChange::Remove)
            .unwrap();
        assert!(ended(&portal, &sam2, "OperatorRevoked"));
        portal.session_check(&admin).unwrap();
    }
}
