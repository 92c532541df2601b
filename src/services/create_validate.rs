//! Create/Validate, the front-desk ("OP") method: creates the patient's
//! portal account, or resets its password, and hands staff a temporary
//! login to read to the account holder. No email is sent.

use time::OffsetDateTime;

use super::{AccountView, Portal, Session, account_target, bump};
use crate::domain::{
    Action, Email, NewEvent, PasswordKind, Patient, PortalAccount, PortalSetup, Role,
};
use crate::error::{Error, Input, Missing, Refusal, Result};
use crate::password::temporary;
use crate::secret::Secret;

/// What staff read to the account holder. The password is shown once and
/// zeroized when this is dropped.
#[derive(Debug)]
pub struct TemporaryLogin {
    /// The patient the login was made for (the request's, never the
    /// client's current selection).
    pub patient: Patient,
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

/// What Create/Validate will do for a patient, decided on what the database
/// holds now. Clients show it before asking to confirm; the change itself
/// is checked against it ([`Portal::create_validate`] with `version`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateValidatePlan {
    pub patient: Patient,
    pub change: PlannedChange,
    /// True when the email given at the desk becomes the patient's
    /// e-correspondent (the patient had none).
    pub records_email: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlannedChange {
    /// A new portal account with this login.
    Create { email: Email },
    /// The patient joins the existing account of the same email (a
    /// sibling's), whose password is reset.
    Link { account: AccountView },
    /// The patient's account gets a new temporary password.
    Reset { account: AccountView },
}

impl CreateValidatePlan {
    /// The login the temporary password will be for.
    pub fn email(&self) -> &Email {
        match &self.change {
            PlannedChange::Create { email } => email,
            PlannedChange::Link { account } | PlannedChange::Reset { account } => &account.email,
        }
    }

    /// The account version to pass back to [`Portal::create_validate`].
    pub fn version(&self) -> Option<u64> {
        match &self.change {
            PlannedChange::Create { .. } => None,
            PlannedChange::Link { account } | PlannedChange::Reset { account } => {
                Some(account.version)
            }
        }
    }
}

impl Portal {
    /// What Create/Validate would do for the patient `account_number`
    /// (with `email` given at the desk, if any), or the error it would
    /// refuse with: the portal not set up, no such patient, no email, a
    /// disabled account, an email that differs from the one on file.
    pub fn create_validate_plan(
        &self,
        account_number: &str,
        email: Option<&str>,
    ) -> Result<CreateValidatePlan> {
        self.plan(account_number, email).map(|(plan, _)| plan)
    }

    fn plan(
        &self,
        account_number: &str,
        email: Option<&str>,
    ) -> Result<(CreateValidatePlan, PortalSetup)> {
        let no = super::parse_patient(account_number)?;
        let read = self.store.read()?;
        let setup = read.portal_setup()?.ok_or(Error::PortalNotSetUp)?;
        let patient = read
            .patient(&no)?
            .ok_or_else(|| Missing::Patient { number: no.clone() })?;
        let given = email
            .map(|e| Email::parse(e).map_err(Error::invalid(Input::Email)))
            .transpose()?;
        let now = self.now();
        let view = |acc: &PortalAccount| AccountView::new(acc, now, &self.hasher);
        let disabled = |acc: &PortalAccount| -> Error {
            Refusal::AccountDisabled {
                email: acc.email.clone(),
            }
            .into()
        };

        let change = match read.account_id_for_patient(&no)? {
            Some(id) => {
                let account = read.account(id)?.ok_or_else(|| {
                    Error::Storage(format!("patient {no} is linked to a missing account {id}"))
                })?;
                if let Some(g) = given.as_ref().filter(|g| **g != account.email) {
                    return Err(Refusal::OtherAccount {
                        patient: no,
                        login: account.email,
                        given: g.clone(),
                    }
                    .into());
                }
                if account.disabled {
                    return Err(disabled(&account));
                }
                PlannedChange::Reset {
                    account: view(&account),
                }
            }
            None => {
                let email = match (&patient.email, given) {
                    (Some(e), Some(g)) if *e != g => {
                        return Err(Refusal::EmailDiffers {
                            patient: no,
                            on_file: e.clone(),
                        }
                        .into());
                    }
                    (Some(e), _) => e.clone(),
                    (None, Some(g)) => g,
                    (None, None) => return Err(Refusal::NoEmail { patient: no }.into()),
                };
                match read.account_by_email(&email)? {
                    Some(account) if account.disabled => return Err(disabled(&account)),
                    Some(account) => PlannedChange::Link {
                        account: view(&account),
                    },
                    None => PlannedChange::Create { email },
                }
            }
        };
        let records_email = patient.email.is_none();
        Ok((
            CreateValidatePlan {
                patient,
                change,
                records_email,
            },
            setup,
        ))
    }

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
        self.create_validate_then(s, account_number, email, expected_version, |_| Ok(()))
    }

    /// Create/Validate that hands the temporary login to `deliver` before
    /// the change is committed: when `deliver` fails (the CLI's standard
    /// output was closed), nothing is changed and its error is returned, so
    /// no password is replaced by one nobody saw.
    pub fn create_validate_then(
        &self,
        s: &Session,
        account_number: &str,
        email: Option<&str>,
        expected_version: Option<u64>,
        deliver: impl FnOnce(&TemporaryLogin) -> Result<()>,
    ) -> Result<TemporaryLogin> {
        self.authorize(
            s,
            Role::Staff,
            "Create/Validate",
            Action::PasswordReset,
            &format!("patient {}", account_number.trim()),
        )?;
        let (plan, setup) = self.plan(account_number, email)?;
        if let (Some(expected), Some(current)) = (expected_version, plan.version())
            && expected != current
        {
            return Err(Error::Conflict(format!(
                "the portal account {}",
                plan.email()
            )));
        }
        let no = plan.patient.account_number.clone();

        // The slow part, outside any write transaction.
        let cfg = &self.config.temporary_password;
        let plain = temporary::generate(cfg)?;
        let hash = self.hasher.hash(&plain)?;
        let expires_at = self.now() + self.temp_ttl();

        let record_email = plan.records_email;
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
            let (acc, action) = match &plan.change {
                PlannedChange::Reset { account } => {
                    let mut acc = super::reread(tx, account.id, account.version)?;
                    if linked_now != Some(acc.id) {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    fresh(&mut acc, now);
                    tx.put_account(&acc)?;
                    (acc, Action::PasswordReset)
                }
                PlannedChange::Link { account } => {
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
                PlannedChange::Create { email } => {
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
            let login = TemporaryLogin {
                patient: plan.patient.clone(),
                username: acc.email.clone(),
                password: temporary::grouped(&plain, cfg.group),
                expires_at,
                sign_in_url: setup.sign_in_url.clone(),
                account_id: acc.id,
                action,
            };
            deliver(&login)?;
            Ok(login)
        });
        let login = account?;
        tracing::info!(
            account_id = login.account_id,
            operator = s.name(),
            action = login.action.as_str(),
            "Create/Validate issued a temporary login"
        );
        Ok(login)
    }
}
