//! Create/Validate, the front-desk ("OP") method: creates the patient's
//! portal account, resets its password, or adds the patient to the
//! existing account of their e-correspondent email — and, when a password
//! is set, hands staff a temporary login to read to the account holder. No
//! email is sent.
//!
//! Two rules of the front desk live here: no account holder's password
//! changes as a side effect (adding a sibling to an account leaves its
//! password alone unless a reset is asked for explicitly), and every
//! Create/Validate records how the account holder's identity and authority
//! were checked (`policy.identity_checks`), in the audit event of the same
//! transaction.

use time::OffsetDateTime;

use super::{AccountView, Portal, Session, account_target, bump};
use crate::domain::{
    Action, Email, NewEvent, PasswordKind, Patient, PortalAccount, PortalSetup, Role, identity,
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
    /// Grouped for reading aloud (`XXXX-XXXX-XXXX-XXXX`).
    pub password: Secret,
    pub expires_at: OffsetDateTime,
    pub sign_in_url: String,
    /// The practice's name for the handout (its id when it has no name).
    pub practice_name: String,
    pub account_id: u64,
    /// What Create/Validate did.
    pub action: Action,
}

/// What staff ask Create/Validate to do. Build it with
/// [`CreateValidate::patient`] and the setters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateValidate {
    /// The patient's account number.
    pub patient: String,
    /// The account holder's email given at the desk, for a patient who has
    /// none on file.
    pub email: Option<String>,
    /// How the account holder's identity and authority were checked: one
    /// of `policy.identity_checks` (any case and spacing).
    pub identity_check: Option<String>,
    /// For a patient whose e-correspondent email already has an account:
    /// also reset that account's password (a separate, confirmed choice).
    /// Without it the patient is added and the password stays as it is.
    pub reset_password: bool,
    /// The account version the operator saw ([`CreateValidatePlan::version`]);
    /// a change decided on an older one is refused with [`Error::Conflict`].
    pub expected_version: Option<u64>,
}

impl CreateValidate {
    pub fn patient(account_number: impl Into<String>) -> CreateValidate {
        CreateValidate {
            patient: account_number.into(),
            ..CreateValidate::default()
        }
    }

    pub fn email(mut self, email: Option<impl Into<String>>) -> Self {
        self.email = email.map(Into::into);
        self
    }

    pub fn identity_check(mut self, check: Option<impl Into<String>>) -> Self {
        self.identity_check = check.map(Into::into);
        self
    }

    pub fn reset_password(mut self, reset: bool) -> Self {
        self.reset_password = reset;
        self
    }

    pub fn expected_version(mut self, version: Option<u64>) -> Self {
        self.expected_version = version;
        self
    }
}

/// What Create/Validate will do for a patient, decided on what the database
/// holds now. Clients show it before asking to confirm
/// (`present::plan_summary` says it in words); the change itself is checked
/// against it ([`CreateValidate::expected_version`]).
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
    /// A new portal account with this login; a temporary login is issued.
    Create { email: Email },
    /// The patient joins the existing account of the same email (a
    /// sibling's). Its password does not change unless `reset_password`
    /// was asked for, which issues a temporary login: the current password
    /// stops working.
    Link {
        account: AccountView,
        reset_password: bool,
    },
    /// The patient's account gets a new temporary password: the current
    /// one stops working.
    Reset { account: AccountView },
}

impl CreateValidatePlan {
    /// The login of the account created, reset or joined.
    pub fn email(&self) -> &Email {
        match &self.change {
            PlannedChange::Create { email } => email,
            PlannedChange::Link { account, .. } | PlannedChange::Reset { account } => {
                &account.email
            }
        }
    }

    /// The account version to pass back ([`CreateValidate::expected_version`]).
    pub fn version(&self) -> Option<u64> {
        match &self.change {
            PlannedChange::Create { .. } => None,
            PlannedChange::Link { account, .. } | PlannedChange::Reset { account } => {
                Some(account.version)
            }
        }
    }

    /// Whether a temporary login is issued (a password is set).
    pub fn issues_login(&self) -> bool {
        !matches!(
            self.change,
            PlannedChange::Link {
                reset_password: false,
                ..
            }
        )
    }

    /// Whether an account's current password stops working.
    pub fn replaces_password(&self) -> bool {
        matches!(
            self.change,
            PlannedChange::Reset { .. }
                | PlannedChange::Link {
                    reset_password: true,
                    ..
                }
        )
    }
}

/// What Create/Validate did.
#[derive(Debug)]
pub enum CreateValidateOutcome {
    /// A new account: read the temporary login to the account holder.
    Created(TemporaryLogin),
    /// The account's password was reset: read the temporary login.
    Reset(TemporaryLogin),
    /// The patient was added to the existing account and, as asked, its
    /// password was reset: read the temporary login.
    LinkedAndReset(TemporaryLogin),
    /// The patient was added to the existing account; its password did not
    /// change and the account holder signs in as before.
    Linked(Linked),
}

/// A patient added to an existing account, its password unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub patient: Patient,
    /// The account after the change (with the patient on it).
    pub account: AccountView,
}

impl CreateValidateOutcome {
    /// The temporary login, when one was issued.
    pub fn login(&self) -> Option<&TemporaryLogin> {
        match self {
            CreateValidateOutcome::Created(l)
            | CreateValidateOutcome::Reset(l)
            | CreateValidateOutcome::LinkedAndReset(l) => Some(l),
            CreateValidateOutcome::Linked(_) => None,
        }
    }

    pub fn into_login(self) -> Option<TemporaryLogin> {
        match self {
            CreateValidateOutcome::Created(l)
            | CreateValidateOutcome::Reset(l)
            | CreateValidateOutcome::LinkedAndReset(l) => Some(l),
            CreateValidateOutcome::Linked(_) => None,
        }
    }

    /// The patient the request was for.
    pub fn patient(&self) -> &Patient {
        match self {
            CreateValidateOutcome::Created(l)
            | CreateValidateOutcome::Reset(l)
            | CreateValidateOutcome::LinkedAndReset(l) => &l.patient,
            CreateValidateOutcome::Linked(l) => &l.patient,
        }
    }

    /// The account's login email.
    pub fn email(&self) -> &Email {
        match self {
            CreateValidateOutcome::Created(l)
            | CreateValidateOutcome::Reset(l)
            | CreateValidateOutcome::LinkedAndReset(l) => &l.username,
            CreateValidateOutcome::Linked(l) => &l.account.email,
        }
    }

    /// The action recorded in the audit trail.
    pub fn action(&self) -> Action {
        match self {
            CreateValidateOutcome::Created(_) => Action::AccountCreated,
            CreateValidateOutcome::Reset(_) => Action::PasswordReset,
            CreateValidateOutcome::LinkedAndReset(_) | CreateValidateOutcome::Linked(_) => {
                Action::AccountLinked
            }
        }
    }
}

/// The practice's identity checks, for the client that asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityChecks<'a> {
    /// The choices, in the practice's order and spelling.
    pub choices: &'a [String],
    /// Whether Create/Validate is refused without one.
    pub required: bool,
}

/// How the identity check of one request is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdentityRule {
    /// As the practice configured it.
    Policy,
    /// Not asked: the transitional [`Portal::create_validate`] of the app
    /// before it asks for one. Recorded as such in the audit event.
    NotAsked,
}

impl Portal {
    /// The practice's identity checks (`policy.identity_checks`) and
    /// whether one is required.
    pub fn identity_checks(&self) -> IdentityChecks<'_> {
        IdentityChecks {
            choices: &self.config.policy.identity_checks,
            required: self.config.policy.identity_check_required,
        }
    }

    /// The configured choice `given` names, or the refusal: none given when
    /// one is required, or one that is not a choice.
    fn identity_check(&self, given: Option<&str>) -> Result<Option<String>> {
        let p = &self.config.policy;
        let choices = || identity::list(&p.identity_checks);
        match given.map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) => match identity::find(&p.identity_checks, g) {
                Some(choice) => Ok(Some(choice.to_owned())),
                None => Err(Refusal::UnknownIdentityCheck {
                    given: crate::domain::text::printable(g).chars().take(80).collect(),
                    choices: choices(),
                }
                .into()),
            },
            None if p.identity_check_required => {
                Err(Refusal::IdentityCheckMissing { choices: choices() }.into())
            }
            None => Ok(None),
        }
    }

    /// What Create/Validate would do for the patient `account_number`
    /// (with `email` given at the desk, if any) for a staff operator, with
    /// no reset asked for. See [`Portal::plan_create_validate`].
    pub fn create_validate_plan(
        &self,
        account_number: &str,
        email: Option<&str>,
    ) -> Result<CreateValidatePlan> {
        let req = CreateValidate::patient(account_number).email(email);
        self.plan(&req, false).map(|(plan, _)| plan)
    }

    /// What [`Portal::create_validate_with`] would do for `s` and `req`, or
    /// the error it would refuse with: the portal not set up, no such
    /// patient, no email, a disabled account, an email that differs from
    /// the one on file, staff joining an account through an email typed at
    /// the desk. The identity check is not looked at here: the client asks
    /// for it after showing the plan.
    pub fn plan_create_validate(
        &self,
        s: &Session,
        req: &CreateValidate,
    ) -> Result<CreateValidatePlan> {
        self.plan(req, s.is_admin()).map(|(plan, _)| plan)
    }

    fn plan(&self, req: &CreateValidate, admin: bool) -> Result<(CreateValidatePlan, PortalSetup)> {
        let no = super::parse_patient(&req.patient)?;
        let read = self.store.read()?;
        let setup = read.portal_setup()?.ok_or(Error::PortalNotSetUp)?;
        let patient = read
            .patient(&no)?
            .ok_or_else(|| Missing::Patient { number: no.clone() })?;
        let given = req
            .email
            .as_deref()
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
                    // Issue 10, attack 7: an email typed at the desk could
                    // attach any patient to another family's account.
                    Some(account) if patient.email.is_none() && !admin => {
                        return Err(Refusal::LinkNeedsRecords {
                            patient: no,
                            email: account.email,
                        }
                        .into());
                    }
                    Some(account) => PlannedChange::Link {
                        account: view(&account),
                        reset_password: req.reset_password,
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

    /// Create/Validate as staff asked for it in `req`:
    ///
    /// - no portal account: creates one for the patient's e-correspondent
    ///   email (or the email given at the desk, recorded as the
    ///   e-correspondent when the patient has none), with a temporary login;
    /// - no account, but the email already has one (a sibling's): adds the
    ///   patient to it and leaves its password alone — or, with
    ///   `reset_password`, also resets it;
    /// - an account: resets its password.
    ///
    /// A temporary login is a fresh random password that must be changed at
    /// first sign-in and expires after `temporary_password.ttl_hours`. The
    /// identity check is required unless the practice says otherwise, and
    /// is recorded in the audit event with what was done.
    pub fn create_validate_with(
        &self,
        s: &Session,
        req: &CreateValidate,
    ) -> Result<CreateValidateOutcome> {
        self.create_validate_with_then(s, req, |_| Ok(()))
    }

    /// [`Portal::create_validate_with`] that hands the outcome to `deliver`
    /// before the change is committed: when `deliver` fails (the CLI's
    /// standard output was closed, a handout file exists), nothing is
    /// changed and its error is returned, so no password is replaced by one
    /// nobody saw. Keep `deliver` quick: the database waits for it.
    pub fn create_validate_with_then(
        &self,
        s: &Session,
        req: &CreateValidate,
        deliver: impl FnOnce(&CreateValidateOutcome) -> Result<()>,
    ) -> Result<CreateValidateOutcome> {
        self.run(s, req, IdentityRule::Policy, deliver)
    }

    /// Transitional, for the full-screen app until it asks for the identity
    /// check and offers linking without a reset (issue 9): Create/Validate
    /// as before — a patient joining an existing account also resets its
    /// password — with the identity check recorded as "not asked". New
    /// code calls [`Portal::create_validate_with`].
    pub fn create_validate(
        &self,
        s: &Session,
        account_number: &str,
        email: Option<&str>,
        expected_version: Option<u64>,
    ) -> Result<TemporaryLogin> {
        let req = CreateValidate::patient(account_number)
            .email(email)
            .reset_password(true)
            .expected_version(expected_version);
        let outcome = self.run(s, &req, IdentityRule::NotAsked, |_| Ok(()))?;
        outcome.into_login().ok_or_else(|| {
            Error::Internal("Create/Validate with a reset issued no temporary login".into())
        })
    }

    fn run(
        &self,
        s: &Session,
        req: &CreateValidate,
        rule: IdentityRule,
        deliver: impl FnOnce(&CreateValidateOutcome) -> Result<()>,
    ) -> Result<CreateValidateOutcome> {
        // Staff and administrators; a refusal is audited.
        self.authorize(
            s,
            Role::Staff,
            "Create/Validate",
            Action::PasswordReset,
            &format!("patient {}", req.patient.trim()),
        )?;
        let (plan, setup) = self.plan(req, s.is_admin())?;
        let check = match rule {
            IdentityRule::Policy => self.identity_check(req.identity_check.as_deref())?,
            IdentityRule::NotAsked => None,
        };
        if let (Some(expected), Some(current)) = (req.expected_version, plan.version())
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
        let fresh_password = if plan.issues_login() {
            let plain = temporary::generate(cfg)?;
            let hash = self.hasher.hash(&plain)?;
            Some((plain, hash, self.now() + self.temp_ttl()))
        } else {
            None
        };

        let mut notes: Vec<String> = Vec::new();
        if matches!(plan.change, PlannedChange::Link { .. }) {
            notes.push(
                if plan.replaces_password() {
                    "password reset"
                } else {
                    "password unchanged"
                }
                .to_owned(),
            );
        }
        notes.push(match (&check, rule) {
            (Some(c), _) => format!("identity check: {c}"),
            (None, IdentityRule::NotAsked) => "identity check: not asked".to_owned(),
            (None, IdentityRule::Policy) => "identity check: not recorded".to_owned(),
        });
        if plan.records_email {
            notes.push("e-correspondent email given at the desk".to_owned());
        }
        let outcome_text = format!("success ({})", notes.join("; "));

        let outcome = self.store.write(self.now(), |tx| {
            let now = tx.now();
            let set_temporary = |acc: &mut PortalAccount| {
                if let Some((_, hash, expires_at)) = &fresh_password {
                    acc.password_hash = hash.clone();
                    acc.password_kind = PasswordKind::Temporary;
                    acc.reset_required = true;
                    acc.temp_expires_at = Some(*expires_at);
                    acc.failed_count = 0;
                    acc.locked_until = None;
                }
            };
            let linked_now = tx.account_id_for_patient(&no)?;
            let acc = match &plan.change {
                PlannedChange::Reset { account } => {
                    let mut acc = super::reread(tx, account.id, account.version)?;
                    if linked_now != Some(acc.id) {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    set_temporary(&mut acc);
                    bump(&mut acc, now);
                    tx.put_account(&acc)?;
                    acc
                }
                PlannedChange::Link { account, .. } => {
                    if linked_now.is_some() {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    let mut acc = super::reread(tx, account.id, account.version)?;
                    acc.patients.push(no.clone());
                    set_temporary(&mut acc);
                    bump(&mut acc, now);
                    tx.put_account(&acc)?;
                    tx.link_patient(&no, acc.id)?;
                    acc
                }
                PlannedChange::Create { email } => {
                    if linked_now.is_some() || tx.account_by_email(email)?.is_some() {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    let Some((_, hash, expires_at)) = &fresh_password else {
                        return Err(Error::Internal("a new account needs a password".into()));
                    };
                    let mut acc = PortalAccount {
                        id: 0,
                        email: email.clone(),
                        patients: vec![no.clone()],
                        password_hash: hash.clone(),
                        password_kind: PasswordKind::Temporary,
                        reset_required: true,
                        temp_expires_at: Some(*expires_at),
                        disabled: false,
                        failed_count: 0,
                        locked_until: None,
                        last_sign_in: None,
                        password_history: Vec::new(),
                        created_at: now,
                        updated_at: now,
                        version: 0,
                    };
                    bump(&mut acc, now);
                    let acc = tx.insert_account(acc)?;
                    tx.link_patient(&no, acc.id)?;
                    acc
                }
            };
            if plan.records_email {
                // The e-correspondent email given at the desk becomes the patient's.
                let mut p = tx
                    .patient(&no)?
                    .ok_or_else(|| Error::Conflict(format!("patient {no}")))?;
                if p.email.is_none() {
                    p.email = Some(acc.email.clone());
                    tx.put_patients([&p])?;
                }
            }
            let login = |action| {
                fresh_password
                    .as_ref()
                    .map(|(plain, _, expires_at)| TemporaryLogin {
                        patient: plan.patient.clone(),
                        username: acc.email.clone(),
                        password: temporary::grouped(plain, cfg.group),
                        expires_at: *expires_at,
                        sign_in_url: setup.sign_in_url.clone(),
                        practice_name: setup
                            .practice_name
                            .clone()
                            .unwrap_or_else(|| setup.practice_id.clone()),
                        account_id: acc.id,
                        action,
                    })
                    .ok_or_else(|| Error::Internal("no temporary password was made".into()))
            };
            let outcome = match &plan.change {
                PlannedChange::Create { .. } => {
                    CreateValidateOutcome::Created(login(Action::AccountCreated)?)
                }
                PlannedChange::Reset { .. } => {
                    CreateValidateOutcome::Reset(login(Action::PasswordReset)?)
                }
                PlannedChange::Link {
                    reset_password: true,
                    ..
                } => CreateValidateOutcome::LinkedAndReset(login(Action::AccountLinked)?),
                PlannedChange::Link { .. } => CreateValidateOutcome::Linked(Linked {
                    patient: plan.patient.clone(),
                    account: AccountView::new(&acc, now, &self.hasher),
                }),
            };
            tx.audit(NewEvent {
                actor: s.actor(),
                action: outcome.action(),
                target: format!("{}, patient {no}", account_target(&acc)),
                outcome: outcome_text.clone(),
            })?;
            deliver(&outcome)?;
            Ok(outcome)
        })?;
        tracing::info!(
            account_id = match &outcome {
                CreateValidateOutcome::Linked(l) => l.account.id,
                other => other.login().map_or(0, |l| l.account_id),
            },
            operator = s.name(),
            action = outcome.action().as_str(),
            login_issued = outcome.login().is_some(),
            "Create/Validate"
        );
        Ok(outcome)
    }
}
