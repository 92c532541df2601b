//! Sign-in, for account holders (the portal side) and for operators (this
//! app). Lockout after `lockout.max_failures` failures in a row, for
//! `lockout.minutes`; failures while locked do not extend it; a success
//! resets the count.
//!
//! To the portal, an unknown email, a wrong password, a locked and a
//! disabled account are one answer, [`Error::WrongCredentials`], and cost the
//! same (an unknown email still verifies one hash). The audit trail and the
//! status pane keep the real reason.

use super::{HOLDER_ACTOR, Portal, Session, account_target, bump};
use crate::domain::account::parse_operator_name;
use crate::domain::{
    AccountStatus, Action, Email, NewEvent, Operator, PasswordKind, PortalAccount, Role,
};
use crate::error::{Error, Result};
use crate::password::{PolicyViolation, hashing::normalize, temporary};
use crate::secret::Secret;
use crate::store::WriteTx;

/// The most forms of an unseen temporary password an administrator's new
/// password is verified against (≈ 35 ms each at the default cost).
pub const MAX_HIDDEN_FORMS: usize = 64;

/// A successful account-holder sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in to the portal.
    SignedIn,
    /// The password was a temporary one (or set by an administrator with
    /// "Password Reset Required"): a new password must be chosen first.
    MustChangePassword,
}

/// What a verified password allows next, decided inside the transaction.
enum Then {
    SignIn {
        rehash: Option<crate::domain::PasswordHash>,
    },
    Change {
        hash: crate::domain::PasswordHash,
    },
}

impl Portal {
    /// The account holder signs in to the portal.
    pub fn holder_sign_in(&self, email_text: &str, password: &Secret) -> Result<SignIn> {
        self.holder_authenticate(email_text, password, None)
    }

    /// The account holder sets a new password (given twice), proving who
    /// they are with the current one. Required after a temporary login.
    pub fn holder_change_password(
        &self,
        email_text: &str,
        current: &Secret,
        new: &Secret,
        confirm: &Secret,
    ) -> Result<()> {
        self.holder_authenticate(email_text, current, Some((new, confirm)))
            .map(|_| ())
    }

    fn holder_authenticate(
        &self,
        email_text: &str,
        password: &Secret,
        change: Option<(&Secret, &Secret)>,
    ) -> Result<SignIn> {
        let Ok(email) = Email::parse(email_text) else {
            self.hasher.verify_dummy(password);
            self.record_unknown(NewEvent::failure(
                HOLDER_ACTOR,
                Action::HolderSignIn,
                "unknown email",
                "unknown email",
            ))?;
            return Err(Error::WrongCredentials);
        };
        // Another sign-in may change the account between our read and our
        // write (a failure count); then we verify again on the new state.
        for _ in 0..3 {
            let Some(acc) = self.store.read()?.account_by_email(&email)? else {
                self.hasher.verify_dummy(password);
                self.record_unknown(NewEvent::failure(
                    HOLDER_ACTOR,
                    Action::HolderSignIn,
                    format!("email <{email}>"),
                    "unknown email",
                ))?;
                return Err(Error::WrongCredentials);
            };
            let temporary = acc.reset_required && acc.password_kind == PasswordKind::Temporary;
            let typed = if temporary {
                temporary::canonical(password, &self.config.temporary_password)
            } else {
                password.clone()
            };
            let ok = self.hasher.verify(&typed, &acc.password_hash);
            let now = self.now();
            let blocked = acc.disabled || acc.status(now) == AccountStatus::Locked;
            // Work that needs a hash is done here, before the transaction.
            let then = match (ok && !blocked && !acc.temp_expired(now), change) {
                (true, Some((new, confirm))) => Some(Then::Change {
                    hash: self.prepare_new_password(&acc, &typed, temporary, new, confirm)?,
                }),
                (true, None) => {
                    let rehash = (!acc.reset_required
                        && self.hasher.needs_rehash(&acc.password_hash))
                    .then(|| self.hasher.hash(password))
                    .transpose()?;
                    Some(Then::SignIn { rehash })
                }
                (false, _) => None,
            };
            let result = self.store.write(now, |tx| {
                match tx.account(acc.id)? {
                    // The password changed under us: write nothing, verify again.
                    Some(cur) if cur.password_hash != acc.password_hash => {
                        Err(Error::Conflict(String::new()))
                    }
                    Some(mut cur) => self.apply_holder_attempt(tx, &mut cur, ok, then),
                    None => Err(Error::Conflict(String::new())),
                }
            });
            match result {
                Err(Error::Conflict(_)) => continue,
                Err(e) => return Err(e),
                Ok(answer) => return answer,
            }
        }
        Err(Error::Busy)
    }

    /// Policy checks and the new hash, for a password change.
    fn prepare_new_password(
        &self,
        acc: &PortalAccount,
        current: &Secret,
        temporary: bool,
        new: &Secret,
        confirm: &Secret,
    ) -> Result<crate::domain::PasswordHash> {
        let inputs = self.user_inputs(Some(acc), None)?;
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        self.policy.check_new(new, confirm, &refs)?;
        if temporary {
            // Compared in the form sign-in uses (NFKC, no dashes, upper case):
            // the full-width `７ＫＲＮ－ＦＹ３Ｕ` is the temporary `7KRN-FY3U`.
            let cfg = &self.config.temporary_password;
            if temporary::canonical(new, cfg) == temporary::canonical(current, cfg) {
                return Err(PolicyViolation::SameAsCurrent.into());
            }
            // And on skeletons: any separator, bracket, invisible character
            // or look-alike letter, the groups in any order, with more around.
            if temporary::carries(new, current, cfg) {
                return Err(PolicyViolation::ContainsTemporary.into());
            }
        } else if normalize(new) == normalize(current) {
            return Err(PolicyViolation::SameAsCurrent.into());
        }
        self.refuse_current_password(acc, new)?;
        let history = self.config.policy.history;
        if history > 0
            && acc
                .password_history
                .iter()
                .take(history)
                .any(|h| self.hasher.verify(new, h))
        {
            return Err(PolicyViolation::Reused.into());
        }
        self.hasher.hash(new)
    }

    /// Refuses a new password that signs in as the account's current one,
    /// whatever its form: one that verifies against the current hash as
    /// typed or — while the current password is a temporary one — in the
    /// canonical form sign-in gives it. Costs one or two argon2 verifications;
    /// it holds even when the plaintext compared above was typed differently.
    pub(super) fn refuse_current_password(&self, acc: &PortalAccount, new: &Secret) -> Result<()> {
        let temporary = acc.reset_required && acc.password_kind == PasswordKind::Temporary;
        if self.hasher.verify(new, &acc.password_hash)
            || (temporary
                && self.hasher.verify(
                    &temporary::canonical(new, &self.config.temporary_password),
                    &acc.password_hash,
                ))
        {
            return Err(PolicyViolation::SameAsCurrent.into());
        }
        Ok(())
    }

    /// Refuses an administrator's new password that carries the account's
    /// live temporary password in a form [`Self::refuse_current_password`]
    /// does not try: the administrator never sees the temporary password,
    /// so the forms it could take in `new` ([`temporary::hidden_forms`]:
    /// other separators, look-alike letters, groups reordered, more around
    /// it) are verified against its hash — none for a password with fewer
    /// symbols of the alphabet than a temporary password has, at most
    /// [`MAX_HIDDEN_FORMS`] argon2 verifications otherwise.
    pub(super) fn refuse_temporary_forms(&self, acc: &PortalAccount, new: &Secret) -> Result<()> {
        if !(acc.reset_required && acc.password_kind == PasswordKind::Temporary) {
            return Ok(());
        }
        let cfg = &self.config.temporary_password;
        for form in temporary::hidden_forms(new, cfg, MAX_HIDDEN_FORMS) {
            if self.hasher.verify(&form, &acc.password_hash) {
                return Err(PolicyViolation::ContainsTemporary.into());
            }
        }
        Ok(())
    }

    /// Applies one verified (or failed) attempt to the account, in `tx`.
    /// The returned value is the caller's answer; state and audit are
    /// written either way.
    fn apply_holder_attempt(
        &self,
        tx: &mut WriteTx,
        acc: &mut PortalAccount,
        ok: bool,
        then: Option<Then>,
    ) -> Result<Result<SignIn>> {
        let now = tx.now();
        let target = account_target(acc);
        let fail = |tx: &mut WriteTx, reason: &str| {
            tx.audit(NewEvent::failure(
                HOLDER_ACTOR,
                Action::HolderSignIn,
                target.clone(),
                reason,
            ))
        };
        if acc.disabled {
            fail(tx, "account disabled")?;
            return Ok(Err(Error::WrongCredentials));
        }
        if acc.status(now) == AccountStatus::Locked {
            fail(tx, "account locked")?;
            return Ok(Err(Error::WrongCredentials));
        }
        if !ok {
            // Sign-in bookkeeping (failures, lock, last sign-in) does not
            // bump the version: it never invalidates an operator's decision.
            let reason = self.count_failure(&mut acc.failed_count, &mut acc.locked_until, now);
            tx.put_account(acc)?;
            fail(tx, &reason)?;
            return Ok(Err(Error::WrongCredentials));
        }
        if acc.temp_expired(now) {
            fail(tx, "temporary password expired")?;
            return Ok(Err(Error::TemporaryPasswordExpired));
        }
        acc.failed_count = 0;
        acc.locked_until = None;
        let answer = match then {
            Some(Then::Change { hash }) => {
                let history = self.config.policy.history;
                if history > 0 && acc.password_kind == PasswordKind::Chosen {
                    acc.password_history.insert(0, acc.password_hash.clone());
                    acc.password_history.truncate(history);
                }
                acc.password_hash = hash;
                acc.password_kind = PasswordKind::Chosen;
                acc.reset_required = false;
                acc.temp_expires_at = None;
                acc.last_sign_in = Some(now);
                bump(acc, now);
                tx.put_account(acc)?;
                tx.audit(NewEvent::success(
                    HOLDER_ACTOR,
                    Action::HolderPasswordChanged,
                    target,
                ))?;
                SignIn::SignedIn
            }
            Some(Then::SignIn { rehash }) if !acc.reset_required => {
                if let Some(h) = rehash {
                    acc.password_hash = h;
                }
                acc.last_sign_in = Some(now);
                tx.put_account(acc)?;
                tx.audit(NewEvent::success(
                    HOLDER_ACTOR,
                    Action::HolderSignIn,
                    target,
                ))?;
                SignIn::SignedIn
            }
            _ => {
                tx.put_account(acc)?;
                tx.audit(NewEvent {
                    actor: HOLDER_ACTOR.into(),
                    action: Action::HolderSignIn,
                    target,
                    outcome: "success (must choose a new password)".into(),
                })?;
                SignIn::MustChangePassword
            }
        };
        tracing::info!(account_id = acc.id, "account holder signed in");
        Ok(Ok(answer))
    }

    /// Counts one failure; locks when the limit is reached. A lock that has
    /// run out starts a fresh count. Returns the audit reason.
    fn count_failure(
        &self,
        count: &mut u32,
        locked_until: &mut Option<time::OffsetDateTime>,
        now: time::OffsetDateTime,
    ) -> String {
        if locked_until.is_some_and(|t| t <= now) {
            *count = 0;
            *locked_until = None;
        }
        *count += 1;
        let max = self.config.lockout.max_failures;
        if *count >= max {
            *locked_until = Some(now + self.lock_duration());
            format!(
                "wrong password ({count} of {max}); locked for {} minutes",
                self.config.lockout.minutes
            )
        } else {
            format!("wrong password ({count} of {max})")
        }
    }

    /// A failed attempt that matches no account still leaves its trace.
    fn record_unknown(&self, event: NewEvent) -> Result<()> {
        self.store.write(self.now(), |tx| tx.audit(event))
    }

    /// An operator signs in to this app. Wrong name and wrong password are
    /// one answer; a locked-out operator is told so (operators are staff).
    /// After the right password, a disabled operator is told so, and one
    /// whose password an administrator reset gets
    /// [`Error::MustChangePassword`]: they call
    /// [`Portal::operator_change_password`] next.
    pub fn operator_sign_in(&self, name: &str, password: &Secret) -> Result<Session> {
        self.operator_authenticate(name, password, None)
    }

    /// An operator chooses a new password (given twice), proving who they
    /// are with the current one, and is signed in. Required after an
    /// administrator reset their password.
    pub fn operator_change_password(
        &self,
        name: &str,
        current: &Secret,
        new: &Secret,
        confirm: &Secret,
    ) -> Result<Session> {
        self.operator_authenticate(name, current, Some((new, confirm)))
    }

    fn operator_authenticate(
        &self,
        name: &str,
        password: &Secret,
        change: Option<(&Secret, &Secret)>,
    ) -> Result<Session> {
        let Ok(name) = parse_operator_name(name) else {
            self.hasher.verify_dummy(password);
            return Err(Error::OperatorWrongCredentials);
        };
        for _ in 0..3 {
            // A removed operator's record stays, but signs in as nobody: the
            // answer and its cost are those of an unknown name (the retired
            // hash is never verified again), and the audit trail says which.
            let found = self.store.read()?.operator(&name)?;
            let Some(op) = found.as_ref().filter(|o| !o.is_removed()).cloned() else {
                self.hasher.verify_dummy(password);
                let reason = if found.is_some() {
                    "removed operator"
                } else {
                    "unknown operator"
                };
                self.record_unknown(NewEvent::failure(
                    &format!("operator:{name}"),
                    Action::OperatorSignIn,
                    format!("operator {name}"),
                    reason,
                ))?;
                return Err(Error::OperatorWrongCredentials);
            };
            let ok = self.hasher.verify(password, &op.password_hash);
            let now = self.now();
            // Work that needs a hash is done here, before the transaction.
            let new_hash = match change {
                Some((new, confirm)) if ok && !op.disabled && !op.is_locked(now) => {
                    self.check_operator_password(&name, new, confirm)?;
                    if normalize(new) == normalize(password) {
                        return Err(PolicyViolation::SameAsCurrent.into());
                    }
                    Some(self.hasher.hash(new)?)
                }
                _ => {
                    (ok && !op.must_change_password && self.hasher.needs_rehash(&op.password_hash))
                        .then(|| self.hasher.hash(password))
                        .transpose()?
                }
            };
            let changing = change.is_some();
            let result = self.store.write(now, |tx| match tx.operator(&name)? {
                Some(cur) if cur.password_hash != op.password_hash => {
                    Err(Error::Conflict(String::new()))
                }
                Some(mut cur) => self.apply_operator_attempt(tx, &mut cur, ok, new_hash, changing),
                None => Err(Error::Conflict(String::new())),
            });
            match result {
                Err(Error::Conflict(_)) => continue,
                Err(e) => return Err(e),
                Ok(answer) => return answer,
            }
        }
        Err(Error::Busy)
    }

    /// Applies one verified (or failed) operator sign-in, in `tx`. `hash` is
    /// the new password's hash when `changing`, else a re-hash if needed.
    fn apply_operator_attempt(
        &self,
        tx: &mut WriteTx,
        op: &mut Operator,
        ok: bool,
        hash: Option<crate::domain::PasswordHash>,
        changing: bool,
    ) -> Result<Result<Session>> {
        let now = tx.now();
        let actor = format!("operator:{}", op.username);
        let target = format!("operator {}", op.username);
        let fail = |tx: &mut WriteTx, reason: &str| {
            tx.audit(NewEvent::failure(
                &actor,
                Action::OperatorSignIn,
                target.clone(),
                reason,
            ))
        };
        if let Some(until) = op.locked_until.filter(|t| *t > now) {
            fail(tx, "operator locked out")?;
            return Ok(Err(Error::OperatorLocked {
                name: op.username.clone(),
                // A sentence for a person: the practice's local time as
                // staff say it, in the app and at the command line alike.
                until: self.local.spoken(until),
            }));
        }
        if !ok {
            let reason = self.count_failure(&mut op.failed_count, &mut op.locked_until, now);
            op.version += 1;
            tx.put_operator(op)?;
            fail(tx, &reason)?;
            return Ok(Err(Error::OperatorWrongCredentials));
        }
        if op.disabled {
            fail(tx, "operator disabled")?;
            return Ok(Err(Error::OperatorRevoked {
                name: op.username.clone(),
            }));
        }
        op.failed_count = 0;
        op.locked_until = None;
        let (action, outcome) = match hash {
            Some(h) if changing => {
                op.password_hash = h;
                op.must_change_password = false;
                // Sessions begun with the old password end.
                op.session_epoch += 1;
                (Action::OperatorPasswordChanged, "success")
            }
            Some(h) => {
                op.password_hash = h;
                (Action::OperatorSignIn, "success")
            }
            None if op.must_change_password => (
                Action::OperatorSignIn,
                "success (must choose a new password)",
            ),
            None => (Action::OperatorSignIn, "success"),
        };
        if !op.must_change_password {
            op.last_sign_in = Some(now);
        }
        op.version += 1;
        tx.put_operator(op)?;
        tx.audit(NewEvent {
            actor: actor.clone(),
            action,
            target: target.clone(),
            outcome: outcome.into(),
        })?;
        if op.must_change_password {
            return Ok(Err(Error::MustChangePassword {
                name: op.username.clone(),
            }));
        }
        tracing::info!(
            operator = op.username.as_str(),
            role = op.role.as_str(),
            "operator signed in"
        );
        Ok(Ok(Session {
            name: op.username.clone(),
            role: op.role,
            local: false,
            epoch: op.session_epoch,
        }))
    }

    /// Role of an operator, for clients that show it before sign-in.
    pub fn operator_role(&self, name: &str) -> Result<Option<Role>> {
        Ok(self.store.read()?.operator(name)?.map(|o| o.role))
    }
}
