//! What Create/Validate is asked, what it plans and what it answers: the
//! request, the plan shown before the confirmation, the outcome, the
//! temporary login.

use time::OffsetDateTime;

use crate::domain::{Action, Email, Patient, PortalAccount, PortalSetup};
use crate::password::temporary;
use crate::secret::Secret;
use crate::services::AccountView;

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
    /// The notice queued for the account holder (`None` when notices are
    /// off): send it with [`crate::services::Portal::send_notice`].
    pub notice: Option<u64>,
    /// For a patient added to an account (and its password reset): none of
    /// the patients it held shares the patient's last name
    /// ([`CreateValidatePlan::no_common_last_name`]). False otherwise.
    pub no_common_last_name: bool,
}

impl TemporaryLogin {
    /// The login for `plain` (expiring at `expires_at`) just set on `acc`
    /// for `patient`, grouped for reading aloud, with what was done and the
    /// notice queued.
    pub(in crate::services) fn issued(
        patient: &Patient,
        acc: &PortalAccount,
        (plain, expires_at): (&Secret, OffsetDateTime),
        setup: &PortalSetup,
        group: usize,
        (action, notice): (Action, Option<u64>),
    ) -> TemporaryLogin {
        TemporaryLogin {
            patient: patient.clone(),
            username: acc.email.clone(),
            password: temporary::grouped(plain, group),
            expires_at,
            sign_in_url: setup.sign_in_url.clone(),
            practice_name: setup
                .practice_name
                .clone()
                .unwrap_or_else(|| setup.practice_id.clone()),
            account_id: acc.id,
            action,
            notice,
            no_common_last_name: false,
        }
    }
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
    /// The login a confirmation showed, with `expected_version` as it
    /// showed it (`None`: no account yet, a new one was shown): when the
    /// plan is another now (an account appeared, or went, or the patient's
    /// email changed while the confirmation was open), the change is
    /// refused with [`Error::Conflict`] instead of doing what nobody saw
    /// (fresh eyes, session 7, second pass: "Create" became a link).
    pub confirmed_login: Option<String>,
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

    /// What a confirmation showed: the login and the account version
    /// (`None`: a new account). See [`CreateValidate::confirmed_login`].
    pub fn as_confirmed(mut self, login: impl Into<String>, version: Option<u64>) -> Self {
        self.confirmed_login = Some(login.into());
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
    /// The patient's guardians (each with where their link stands today):
    /// with more than one, staff choose whose login to reset
    /// ([`CreateValidate::email`]).
    pub guardians: Vec<crate::services::GuardianView>,
    /// For a link: when an administrator removed this account's link to the
    /// patient, who did and why (only an administrator may plan it back;
    /// staff are refused with [`crate::error::Refusal::GuardianRemoved`]).
    pub removed: Option<crate::domain::RemovedLink>,
    /// For a link: the patients the account holds already, in its order
    /// (the confirmation names them, so that staff see whose family's
    /// login this is); empty otherwise.
    pub holds: Vec<Patient>,
    /// For a link: none of the patients the account holds shares this
    /// patient's last name ([`Patient::shares_last_name_with`]), as when
    /// an import gave the patient another family's login as their
    /// e-correspondent email. Clients say so before the change
    /// (`present::no_common_last_name_note`); it is never a refusal.
    pub no_common_last_name: bool,
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
    /// The notice queued for the account holder (`None` when notices are off).
    pub notice: Option<u64>,
    /// When an administrator had removed this link before and has now put
    /// it back: who removed it, when and why (for the administrator's eyes).
    pub removed: Option<crate::domain::RemovedLink>,
    /// The account's other patients (those it held before), in its order.
    pub others: Vec<Patient>,
    /// None of `others` shares the patient's last name
    /// ([`CreateValidatePlan::no_common_last_name`]).
    pub no_common_last_name: bool,
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

    /// The notice queued for the account holder, if notices are on.
    pub fn notice(&self) -> Option<u64> {
        match self {
            CreateValidateOutcome::Created(l)
            | CreateValidateOutcome::Reset(l)
            | CreateValidateOutcome::LinkedAndReset(l) => l.notice,
            CreateValidateOutcome::Linked(l) => l.notice,
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
