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

mod answers;

pub use answers::{
    CreateValidate, CreateValidateOutcome, CreateValidatePlan, IdentityChecks, Linked,
    PlannedChange, TemporaryLogin,
};

use super::{AccountView, Portal, Session, account_target, bump};
use crate::domain::{
    Access, Action, Email, GuardianLink, NewEvent, PasswordKind, PortalAccount, PortalSetup,
    Relationship, Role, identity,
};
use crate::error::{Error, Input, Missing, Refusal, Result};
use crate::notify::Happened;
use crate::password::temporary;
use crate::secret::Secret;

impl Portal {
    /// A fresh temporary password, its argon2id hash and when it expires:
    /// the slow part of issuing a login, run before any write transaction.
    pub(in crate::services) fn fresh_temporary(
        &self,
    ) -> Result<(Secret, crate::domain::PasswordHash, time::OffsetDateTime)> {
        let plain = temporary::generate(&self.config.temporary_password)?;
        let hash = self.hasher.hash(&plain)?;
        Ok((plain, hash, self.now() + self.temp_ttl()))
    }

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
    pub(super) fn identity_check(&self, given: Option<&str>) -> Result<Option<String>> {
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

        let guardians = self.guardian_views(&read, &patient)?;
        let mut removed = None;
        let mut holds = Vec::new();
        let mut records_email = patient.email.is_none();
        let change = if !guardians.is_empty() {
            // A patient with guardians: reset one of their logins, never a
            // link that has ended, never a guess among several.
            records_email = false;
            let chosen =
                match &given {
                    Some(g) => guardians.iter().find(|v| v.email() == g).ok_or_else(|| {
                        Missing::Guardian {
                            patient: no.clone(),
                            email: g.clone(),
                            guardians: super::guardians_sentence(&guardians),
                        }
                    })?,
                    None => {
                        let offered: Vec<&super::GuardianView> =
                            guardians.iter().filter(|v| !v.is_ended()).collect();
                        match offered.as_slice() {
                            [] => &guardians[0],
                            [one] => one,
                            many => {
                                return Err(Refusal::ChooseGuardian {
                                    patient: no,
                                    count: many.len(),
                                    guardians: super::guardians_sentence(&guardians),
                                }
                                .into());
                            }
                        }
                    }
                };
            if let crate::domain::LinkStatus::Ended { on } = chosen.status {
                return Err(self.ended(&patient, chosen.email(), on));
            }
            if chosen.account.disabled {
                return Err(Refusal::AccountDisabled {
                    email: chosen.account.email.clone(),
                }
                .into());
            }
            PlannedChange::Reset {
                account: chosen.account.clone(),
            }
        } else {
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
            // The account made or joined here is a guardian's: refused for
            // a patient past the age at which a guardian's access ends.
            let today = self.local.today(now);
            let end = crate::domain::guardian::birthday(
                patient.date_of_birth,
                self.config.guardians.end_at_age,
            );
            if today >= end {
                return Err(self.ended(&patient, &email, end));
            }
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
                Some(account) => {
                    // A link an administrator removed (a custody change)
                    // is never put back by staff.
                    removed = read.removed_link(&no, account.id)?;
                    if let Some(r) = &removed
                        && !admin
                    {
                        return Err(self.removed_refusal(&no, &account.email, r));
                    }
                    holds =
                        super::history::account_patients(&read, &account.email, &account.patients)?;
                    PlannedChange::Link {
                        account: view(&account),
                        reset_password: req.reset_password,
                    }
                }
                None => {
                    super::guardians::new_login_is_no_other_familys(
                        &no,
                        &email,
                        read.patients_with_email(email.as_str())?,
                    )?;
                    PlannedChange::Create { email }
                }
            }
        };
        let no_common_last_name =
            !holds.is_empty() && !holds.iter().any(|h| patient.shares_last_name_with(h));
        Ok((
            CreateValidatePlan {
                patient,
                change,
                records_email,
                guardians,
                removed,
                holds,
                no_common_last_name,
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
        self.run(s, req, deliver)
    }

    fn run(
        &self,
        s: &Session,
        req: &CreateValidate,
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
        let check = self.identity_check(req.identity_check.as_deref())?;
        // A confirmation's plan must still be the plan: the same login and
        // the same account (or still none) at the same version.
        let changed = match &req.confirmed_login {
            Some(login) => {
                login.as_str() != plan.email().as_str() || req.expected_version != plan.version()
            }
            None => matches!(
                (req.expected_version, plan.version()),
                (Some(expected), Some(current)) if expected != current
            ),
        };
        if changed {
            return Err(Error::Conflict(format!(
                "the portal account {}",
                plan.email()
            )));
        }
        let no = plan.patient.account_number.clone();

        // The slow part, outside any write transaction.
        let cfg = &self.config.temporary_password;
        let fresh_password = if plan.issues_login() {
            Some(self.fresh_temporary()?)
        } else {
            None
        };

        let mut notes: Vec<String> = Vec::new();
        notes.extend(plan.removed.as_ref().map(|r| self.added_back_note(r)));
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
        if plan.no_common_last_name {
            notes.push("no patient on the account shares this patient's last name".to_owned());
        }
        notes.push(identity_note(check.as_deref()));
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
            let links_now = tx.guardians_of(&no)?;
            let guardian = GuardianLink {
                relationship: Relationship::Guardian,
                access: Access::Full,
                since: now,
            };
            let acc = match &plan.change {
                PlannedChange::Reset { account } => {
                    let mut acc = super::reread(tx, account.id, account.version)?;
                    if !links_now.iter().any(|(id, _)| *id == acc.id) {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    set_temporary(&mut acc);
                    bump(&mut acc, now);
                    tx.put_account(&acc)?;
                    acc
                }
                PlannedChange::Link { account, .. } => {
                    if !links_now.is_empty() || tx.removed_link(&no, account.id)? != plan.removed {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    if plan.removed.is_some() {
                        tx.clear_removed_link(&no, account.id)?;
                    }
                    let mut acc = super::reread(tx, account.id, account.version)?;
                    acc.patients.push(no.clone());
                    set_temporary(&mut acc);
                    bump(&mut acc, now);
                    tx.put_account(&acc)?;
                    tx.put_guardian(&no, acc.id, &guardian)?;
                    acc
                }
                PlannedChange::Create { email } => {
                    if !links_now.is_empty() || tx.account_by_email(email)?.is_some() {
                        return Err(Error::Conflict(format!("patient {no}")));
                    }
                    // Checked again where it is written: an import may
                    // have given another patient this email since.
                    super::guardians::new_login_is_no_other_familys(
                        &no,
                        email,
                        tx.patients_with_email(email.as_str())?,
                    )?;
                    let Some((_, hash, expires_at)) = &fresh_password else {
                        return Err(Error::Internal("a new account needs a password".into()));
                    };
                    let mut acc =
                        super::guardians::new_account(email.clone(), &no, hash, *expires_at, now);
                    bump(&mut acc, now);
                    let acc = tx.insert_account(acc)?;
                    tx.put_guardian(&no, acc.id, &guardian)?;
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
            let happened = match &plan.change {
                PlannedChange::Create { .. } => Happened::AccountCreated,
                PlannedChange::Reset { .. } => Happened::PasswordReset,
                PlannedChange::Link {
                    reset_password: true,
                    ..
                } => Happened::PatientAddedAndReset,
                PlannedChange::Link { .. } => Happened::PatientAdded,
            };
            let notice = self.queue_notice(tx, &acc, &acc.email, happened)?;
            let login = |action| {
                fresh_password
                    .as_ref()
                    .map(|(plain, _, expires_at)| {
                        TemporaryLogin::issued(
                            &plan.patient,
                            &acc,
                            (plain, *expires_at),
                            &setup,
                            cfg.group,
                            (action, notice),
                        )
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
                } => CreateValidateOutcome::LinkedAndReset(TemporaryLogin {
                    no_common_last_name: plan.no_common_last_name,
                    ..login(Action::AccountLinked)?
                }),
                PlannedChange::Link { .. } => CreateValidateOutcome::Linked(Linked {
                    patient: plan.patient.clone(),
                    account: AccountView::new(&acc, now, &self.hasher),
                    notice,
                    removed: plan.removed.clone(),
                    others: plan.holds.clone(),
                    no_common_last_name: plan.no_common_last_name,
                }),
            };
            tx.audit(NewEvent {
                actor: s.actor(),
                action: outcome.action(),
                target: format!("{}, patient {no}", account_target(&acc)),
                outcome: with_notice(&outcome_text, notice),
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

/// How the identity was checked, as the audit event says it.
pub(super) fn identity_note(check: Option<&str>) -> String {
    match check {
        Some(c) => format!("identity check: {c}"),
        None => "identity check: not recorded".to_owned(),
    }
}

/// An audit outcome `success (…)` with `notice N queued` added inside its
/// parentheses when a notice was queued.
pub(super) fn with_notice(outcome: &str, notice: Option<u64>) -> String {
    let Some(id) = notice else {
        return outcome.to_owned();
    };
    match outcome.strip_suffix(')') {
        Some(open) if open.starts_with("success (") => format!("{open}; notice {id} queued)"),
        _ => format!("{outcome} (notice {id} queued)"),
    }
}
