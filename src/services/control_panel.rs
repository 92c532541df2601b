//! The Control Panel method (administrators): Users → Password, Unlock,
//! Disable / Enable.

use super::{AccountView, Portal, Session, account_target, bump, check_version, reread};
use crate::domain::{AccountStatus, Action, NewEvent, PasswordKind, PortalAccount};
use crate::error::{Error, Result};
use crate::password::PolicyViolation;
use crate::secret::Secret;

impl Portal {
    /// Control Panel → Users → Password: sets the password an administrator
    /// typed twice. `reset_required` is the "Password Reset Required"
    /// checkbox. Also clears a lockout.
    pub fn admin_set_password(
        &self,
        s: &Session,
        email_text: &str,
        new: &Secret,
        confirm: &Secret,
        reset_required: bool,
        expected_version: Option<u64>,
    ) -> Result<AccountView> {
        s.require_admin("setting a portal password")?;
        if !reset_required && !self.config.policy.admin_may_clear_reset_required {
            return Err(PolicyViolation::ResetRequiredMandatory.into());
        }
        let acc = self.find_account(email_text)?;
        let observed = check_version(&acc, expected_version)?;
        let inputs = self.user_inputs(Some(&acc), None)?;
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        self.policy.check_new(new, confirm, &refs)?;
        if self.hasher.verify(new, &acc.password_hash) {
            return Err(PolicyViolation::SameAsCurrent.into());
        }
        let hash = self.hasher.hash(new)?;
        let outcome = if reset_required {
            "success (password reset required at next sign-in)"
        } else {
            "success (permanent password)"
        };
        self.admin_change(
            s,
            &acc,
            observed,
            Action::AdminPasswordSet,
            outcome,
            |acc| {
                acc.password_hash = hash;
                acc.password_kind = PasswordKind::AdminSet;
                acc.reset_required = reset_required;
                acc.temp_expires_at = None;
                acc.failed_count = 0;
                acc.locked_until = None;
            },
        )
    }

    /// Control Panel → Users → Unlock.
    pub fn unlock(
        &self,
        s: &Session,
        email_text: &str,
        expected_version: Option<u64>,
    ) -> Result<AccountView> {
        s.require_admin("unlocking a portal account")?;
        let acc = self.find_account(email_text)?;
        let observed = check_version(&acc, expected_version)?;
        if acc.status(self.now()) != AccountStatus::Locked && acc.failed_count == 0 {
            return Err(Error::Invalid(format!(
                "the portal account {} is not locked",
                acc.email
            )));
        }
        self.admin_change(
            s,
            &acc,
            observed,
            Action::AccountUnlocked,
            "success",
            |acc| {
                acc.locked_until = None;
                acc.failed_count = 0;
            },
        )
    }

    /// Control Panel → Users → Disable / Enable.
    pub fn set_disabled(
        &self,
        s: &Session,
        email_text: &str,
        disabled: bool,
        expected_version: Option<u64>,
    ) -> Result<AccountView> {
        let (what, action) = if disabled {
            ("disabling a portal account", Action::AccountDisabled)
        } else {
            ("enabling a portal account", Action::AccountEnabled)
        };
        s.require_admin(what)?;
        let acc = self.find_account(email_text)?;
        let observed = check_version(&acc, expected_version)?;
        if acc.disabled == disabled {
            return Err(Error::Invalid(format!(
                "the portal account {} is already {}",
                acc.email,
                if disabled { "disabled" } else { "enabled" }
            )));
        }
        self.admin_change(s, &acc, observed, action, "success", |acc| {
            acc.disabled = disabled
        })
    }

    /// Applies an administrator's change to an account decided on version
    /// `observed`, with its audit event, in one transaction.
    fn admin_change(
        &self,
        s: &Session,
        acc: &PortalAccount,
        observed: u64,
        action: Action,
        outcome: &str,
        change: impl FnOnce(&mut PortalAccount),
    ) -> Result<AccountView> {
        let now = self.now();
        let account = self.store.write(now, |tx| {
            let mut acc = reread(tx, acc.id, observed)?;
            change(&mut acc);
            bump(&mut acc, now);
            tx.put_account(&acc)?;
            tx.audit(NewEvent {
                actor: s.actor(),
                action,
                target: account_target(&acc),
                outcome: outcome.into(),
            })?;
            Ok(acc)
        })?;
        tracing::info!(
            account_id = account.id,
            operator = s.name(),
            action = action.as_str(),
            "Control Panel change"
        );
        Ok(AccountView::new(&account, now, &self.hasher))
    }
}
