//! Create/Validate, the front-desk ("OP") method: creates the patient's
//! portal account, or resets its password, and hands staff a temporary
//! login to read to the account holder. No email is sent.

use time::OffsetDateTime;

use super::{Portal, Session, account_target, bump};
use crate::domain::{Action, Email, NewEvent, PasswordKind, PortalAccount};
use crate::error::{Error, Result};
use crate::password::temporary;
use crate::secret::Secret;

/// What staff read to the account holder. The password is shown once and
/// zeroized when this is dropped.
#[derive(Debug)]
pub struct TemporaryLogin {
    /// The username: the account's login email.
    pub username: Email,
    /// Grouped for reading aloud (`XXXX-XXXX-XXXX`).
    pub password: Secret,
    pub expires_at: OffsetDateTime,
    pub sign_in_url: String,
    pub account_id: u64,
    /// What Create/Validate did.
    pub action: Action,
}

/// What Create/Validate will do for a patient: the decision, made on a view
/// of the database that the change is later checked against.
enum Plan {
    Create { email: Email },
    Link { account: PortalAccount },
    Reset { account: PortalAccount },
}

impl Portal {
    /// Create/Validate for the patient `account_number`.
    ///
    /// - No portal account: creates one for the patient's e-correspondent
    ///   email (or `email`, recorded as the e-correspondent when the patient
    ///   has none), or links the patient to the existing account of that
    ///   email.
    /// - An account: resets its password.
    ///
    /// Either way the account gets a fresh random temporary password that
    /// must be changed at first sign-in and expires after the configured
    /// time. `expected_version` is the account version the operator saw;
    /// if it changed since, nothing happens and [`Error::Conflict`] says so.
    pub fn create_validate(
        &self,
        s: &Session,
        account_number: &str,
        email: Option<&str>,
        expected_version: Option<u64>,
    ) -> Result<TemporaryLogin> {
        let no =
            crate::domain::patient::parse_account_number(account_number).map_err(Error::Invalid)?;
        let read = self.store.read()?;
        let setup = read.portal_setup()?.ok_or(Error::PortalNotSetUp)?;
        let patient = read
            .patient(&no)?
            .ok_or_else(|| Error::NotFound(format!("no patient has the account number {no}")))?;
        let given = email
            .map(|e| Email::parse(e).map_err(Error::Invalid))
            .transpose()?;

        let plan = match read.account_id_for_patient(&no)? {
            Some(id) => {
                let account = read.account(id)?.ok_or_else(|| {
                    Error::Storage(format!("patient {no} is linked to a missing account {id}"))
                })?;
                if let Some(g) = given.as_ref().filter(|g| **g != account.email) {
                    return Err(Error::Invalid(format!(
                        "patient {no} already has a portal account with the login {}, not {g}",
                        account.email
                    )));
                }
                if account.disabled {
                    return Err(Error::Invalid(format!(
                        "the portal account {} is disabled; an administrator must enable it first",
                        account.email
                    )));
                }
                if let Some(v) = expected_version.filter(|v| *v != account.version) {
                    let _ = v;
                    return Err(Error::Conflict(format!(
                        "the portal account {}",
                        account.email
                    )));
                }
                Plan::Reset { account }
            }
            None => {
                let email = match (&patient.email, given) {
                    (Some(e), Some(g)) if *e != g => {
                        return Err(Error::Invalid(format!(
                            "patient {no}'s e-correspondent email is {e}; correct it in the practice's records (import) rather than here"
                        )));
                    }
                    (Some(e), _) => e.clone(),
                    (None, Some(g)) => g,
                    (None, None) => {
                        return Err(Error::Invalid(format!(
                            "patient {no} has no e-correspondent email; give the account holder's email (--email)"
                        )));
                    }
                };
                match read.account_by_email(&email)? {
                    Some(account) if account.disabled => {
                        return Err(Error::Invalid(format!(
                            "the portal account {} is disabled; an administrator must enable it first",
                            account.email
                        )));
                    }
                    Some(account) => Plan::Link { account },
                    None => Plan::Create { email },
                }
            }
        };
        drop(read);

        // The slow part, outside any write transaction.
        let cfg = &self.config.temporary_password;
        let plain = temporary::generate(cfg)?;
        let hash = self.hasher.hash(&plain)?;
        let expires_at = self.now() + self.temp_ttl();

        let record_email = patient.email.is_none();
        let account = self.store.write(self.now(), |tx| {
            let fresh = |acc: &mut PortalAccount, now| {
                acc.password_hash = hash.clone();
                acc.password_kind = PasswordKind::Temporary;
                acc.reset_required = true;
                acc.temp_expires_at = Some(expires_at);
                acc.failed_count = 0;
                acc.locked_until = None;
                bump(acc, now);
            };
            let now = tx.now();
            let linked_now = tx.account_id_for_patient(&no)?;
            let (acc, action) = match &plan {
                Plan::Reset { account } => {
                    let mut acc = super::reread(tx, account.id, account.version)?;
                    if linked_now != Some(acc.id) {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    fresh(&mut acc, now);
                    tx.put_account(&acc)?;
                    (acc, Action::PasswordReset)
                }
                Plan::Link { account } => {
                    if linked_now.is_some() {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    let mut acc = super::reread(tx, account.id, account.version)?;
                    acc.patients.push(no.clone());
                    fresh(&mut acc, now);
                    tx.put_account(&acc)?;
                    tx.link_patient(&no, acc.id)?;
                    (acc, Action::AccountLinked)
                }
                Plan::Create { email } => {
                    if linked_now.is_some() || tx.account_by_email(email)?.is_some() {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    let mut acc = PortalAccount {
                        id: 0,
                        email: email.clone(),
                        patients: vec![no.clone()],
                        password_hash: hash.clone(),
                        password_kind: PasswordKind::Temporary,
                        reset_required: true,
                        temp_expires_at: Some(expires_at),
                        disabled: false,
                        failed_count: 0,
                        locked_until: None,
                        last_sign_in: None,
                        password_history: Vec::new(),
                        created_at: now,
                        updated_at: now,
                        version: 0,
                    };
                    fresh(&mut acc, now);
                    let acc = tx.insert_account(acc)?;
                    tx.link_patient(&no, acc.id)?;
                    (acc, Action::AccountCreated)
                }
            };
            if record_email {
                // The e-correspondent email given at the desk becomes the patient's.
                let mut p = tx
                    .patient(&no)?
                    .ok_or_else(|| Error::Conflict(format!("patient {no}")))?;
                if p.email.is_none() {
                    p.email = Some(acc.email.clone());
                    tx.put_patients([&p])?;
                }
            }
            tx.audit(NewEvent::success(
                &s.actor(),
                action,
                format!("{}, patient {no}", account_target(&acc)),
            ))?;
            Ok((acc, action))
        });
        let (acc, action) = account?;
        tracing::info!(
            account_id = acc.id,
            operator = s.name(),
            action = action.as_str(),
            "Create/Validate issued a temporary login"
        );
        Ok(TemporaryLogin {
            username: acc.email,
            password: temporary::grouped(&plain, cfg.group),
            expires_at,
            sign_in_url: setup.sign_in_url,
            account_id: acc.id,
            action,
        })
    }
}
