//! The Control Panel method (administrators): Users → Password, Unlock,
//! Disable / Enable.

use super::{AccountView, Portal, Session, account_target, bump, check_version, reread};
use crate::domain::{AccountStatus, Action, NewEvent, PasswordKind, PortalAccount, Role};
use crate::error::{Refusal, Result};
use crate::notify::Happened;
use crate::password::PolicyViolation;
use crate::secret::Secret;

/// A Control Panel change to a portal account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    SetPassword,
    Unlock,
    Disable,
    Enable,
}

impl AccountChange {
    /// For "... is for administrators".
    fn what(self) -> &'static str {
        match self {
            AccountChange::SetPassword => "setting a portal password",
            AccountChange::Unlock => "unlocking a portal account",
            AccountChange::Disable => "disabling a portal account",
            AccountChange::Enable => "enabling a portal account",
        }
    }
}

impl AccountChange {
    fn action(self) -> Action {
        match self {
            AccountChange::SetPassword => Action::AdminPasswordSet,
            AccountChange::Unlock => Action::AccountUnlocked,
            AccountChange::Disable => Action::AccountDisabled,
            AccountChange::Enable => Action::AccountEnabled,
        }
    }
}

impl AccountView {
    /// Why `change` would be refused for the account as it is shown, if it
    /// would be. The services apply this same rule to the stored account.
    pub fn refusal(&self, change: AccountChange) -> Option<Refusal> {
        let email = self.email.clone();
        match change {
            AccountChange::SetPassword => None,
            AccountChange::Unlock
                if self.status != AccountStatus::Locked && self.failed_count == 0 =>
            {
                Some(Refusal::NotLocked { email })
            }
            AccountChange::Disable if self.disabled => Some(Refusal::AlreadyDisabled { email }),
            AccountChange::Enable if !self.disabled => Some(Refusal::AlreadyEnabled { email }),
            _ => None,
        }
    }
}

impl Portal {
    /// Whether `s` may make `change` to the account as shown: `Ok`, or the
    /// error the change itself would return (staff, not locked, already
    /// disabled...). For clients deciding what to offer; the change checks
    /// again on what is stored.
    pub fn check_account_change(
        &self,
        s: &Session,
        account: &AccountView,
        change: AccountChange,
    ) -> Result<()> {
        s.require_admin(change.what())?;
        match account.refusal(change) {
            Some(r) => Err(r.into()),
            None => Ok(()),
        }
    }

    /// Finds the account for a Control Panel change and applies the rules.
    fn account_for_change(
        &self,
        s: &Session,
        email_text: &str,
        change: AccountChange,
        expected_version: Option<u64>,
    ) -> Result<(PortalAccount, u64)> {
        self.authorize(
            s,
            Role::Admin,
            change.what(),
            change.action(),
            &format!("account <{}>", email_text.trim()),
        )?;
        let acc = self.find_account(email_text)?;
        let observed = check_version(&acc, expected_version)?;
        match AccountView::new(&acc, self.now(), &self.hasher).refusal(change) {
            Some(r) => Err(r.into()),
            None => Ok((acc, observed)),
        }
    }
}

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
        let (acc, observed) =
            self.account_for_change(s, email_text, AccountChange::SetPassword, expected_version)?;
        if !reset_required && !self.config.policy.admin_may_clear_reset_required {
            return Err(PolicyViolation::ResetRequiredMandatory.into());
        }
        let inputs = self.user_inputs(Some(&acc), None)?;
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        self.policy.check_new(new, confirm, &refs)?;
        self.refuse_current_password(&acc, new)?;
        self.refuse_temporary_forms(&acc, new)?;
        let hash = self.hasher.hash(new)?;
        let outcome = if reset_required {
            "success (password reset required at next sign-in)"
        } else {
            "success (permanent password)"
        };
        self.admin_change(
            s,
            (&acc, observed),
            Action::AdminPasswordSet,
            outcome,
            Some(Happened::PasswordSetByAdministrator),
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
        let (acc, observed) =
            self.account_for_change(s, email_text, AccountChange::Unlock, expected_version)?;
        self.admin_change(
            s,
            (&acc, observed),
            Action::AccountUnlocked,
            "success",
            None,
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
        let (change, action) = if disabled {
            (AccountChange::Disable, Action::AccountDisabled)
        } else {
            (AccountChange::Enable, Action::AccountEnabled)
        };
        let (acc, observed) = self.account_for_change(s, email_text, change, expected_version)?;
        self.admin_change(s, (&acc, observed), action, "success", None, |acc| {
            acc.disabled = disabled
        })
    }

    /// Applies an administrator's change to an account decided on version
    /// `observed`, with its audit event (and the notice `tell`, if any), in
    /// one transaction.
    fn admin_change(
        &self,
        s: &Session,
        (acc, observed): (&PortalAccount, u64),
        action: Action,
        outcome: &str,
        tell: Option<Happened>,
        change: impl FnOnce(&mut PortalAccount),
    ) -> Result<AccountView> {
        let now = self.now();
        let account = self.store.write(now, |tx| {
            let mut acc = reread(tx, acc.id, observed)?;
            change(&mut acc);
            bump(&mut acc, now);
            tx.put_account(&acc)?;
            let notice = match tell {
                Some(happened) => self.queue_notice(tx, &acc, &acc.email.clone(), happened)?,
                None => None,
            };
            tx.audit(NewEvent {
                actor: s.actor(),
                action,
                target: account_target(&acc),
                outcome: super::create_validate::with_notice(outcome, notice),
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
