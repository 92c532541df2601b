//! One request type from the key that asks for work to the worker that
//! does it and the reply that shows its result. A request carries
//! everything its reply will show (the patient, the login, the operator),
//! so moving the selection while it runs never changes what is shown.

use time::Date;

use crate::Secret;
use crate::domain::Email;
use crate::error::Error;
use zeroize::Zeroizing;

use crate::domain::{Access, Relationship};
use crate::services::{
    AccountView, CreateValidateOutcome, GuardianAdded, GuardianRemoved, LoginChanged,
    OperatorChange, SendReport, Session,
};

/// A patient as the person at the desk identifies them: name, date of
/// birth and account number, as they were when the request was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientRef {
    pub number: String,
    pub name: String,
    pub date_of_birth: Date,
}

/// A portal account and the version the operator looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRef {
    pub email: Email,
    pub version: u64,
}

/// Work that hashes or changes data, done off the UI thread.
#[derive(Debug)]
pub enum Request {
    SignIn {
        name: String,
        password: Secret,
    },
    /// An operator whose password an administrator reset chooses their own.
    ChangeOwnPassword {
        name: String,
        current: Secret,
        new: Secret,
        confirm: Secret,
    },
    CreateValidate {
        patient: PatientRef,
        /// The login the confirmation showed.
        login: Email,
        /// For a patient with guardians: whose login to reset (the one the
        /// confirmation showed, never a guess of the services').
        guardian: Option<Email>,
        /// For a patient joining an existing account: also reset its password.
        reset_password: bool,
        /// How the caller's identity and authority were checked.
        identity_check: Option<String>,
        /// The account version the confirmation showed (`None`: it showed
        /// a new account); with `login`, what the change must still be.
        version: Option<u64>,
    },
    /// Add a guardian to a patient: their own new account (a temporary
    /// login), or their existing one with its password unchanged.
    AddGuardian {
        patient: PatientRef,
        email: String,
        relationship: Relationship,
        access: Access,
        identity_check: Option<String>,
        /// What the confirmation promised (its plan's account, or none).
        expected: crate::services::ExpectedAccount,
    },
    /// Administrators: a guardian stops being one of a patient's.
    RemoveGuardian {
        patient: PatientRef,
        email: Email,
        reason: String,
    },
    /// Administrators: an account's login email changes; its password does not.
    ChangeLoginEmail {
        account: AccountRef,
        new: String,
    },
    /// Send the notices a change queued (in the background: never one at
    /// a time with the changes).
    SendNotices {
        ids: Vec<u64>,
    },
    /// Print the handout of a temporary login on the practice's printer.
    PrintHandout {
        text: Zeroizing<String>,
        /// The password's forms, kept out of any message the printer sends.
        secrets: Vec<Zeroizing<String>>,
    },
    SetPassword {
        account: AccountRef,
        new: Secret,
        confirm: Secret,
        reset_required: bool,
    },
    Unlock {
        account: AccountRef,
    },
    SetDisabled {
        account: AccountRef,
        disabled: bool,
    },
    /// Administrators: disable, enable, unlock or remove an operator.
    ChangeOperator {
        name: String,
        change: OperatorChange,
    },
    /// Administrators: set an operator's password; they choose their own
    /// at the next sign-in.
    ResetOperatorPassword {
        name: String,
        new: Secret,
        confirm: Secret,
    },
}

impl Request {
    /// What the status line says while it runs.
    pub fn label(&self) -> &'static str {
        match self {
            Request::SignIn { .. } => "Signing in",
            Request::ChangeOwnPassword { .. } => "Setting your password",
            Request::ChangeOperator { change, .. } => match change {
                OperatorChange::Disable => "Disabling the operator",
                OperatorChange::Enable => "Enabling the operator",
                OperatorChange::Unlock => "Unlocking the operator",
                OperatorChange::Remove => "Removing the operator",
            },
            Request::ResetOperatorPassword { .. } => "Setting the operator's password",
            Request::CreateValidate { .. } => "Working on Create/Validate",
            Request::AddGuardian { .. } => "Adding the guardian",
            Request::RemoveGuardian { .. } => "Removing the guardian",
            Request::ChangeLoginEmail { .. } => "Changing the login email",
            Request::SendNotices { .. } => "Sending the notice",
            Request::PrintHandout { .. } => "Printing the handout",
            Request::SetPassword { .. } => "Setting the password",
            Request::Unlock { .. } => "Unlocking",
            Request::SetDisabled { disabled: true, .. } => "Disabling",
            Request::SetDisabled { .. } => "Enabling",
        }
    }
}

/// What changed on an account, for the message that reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    PasswordSet { reset_required: bool },
    Unlocked,
    Disabled,
    Enabled,
}

impl AccountChange {
    /// "Password set for E (Password Reset Required: yes)." and the like.
    pub fn sentence(self, email: &Email) -> String {
        match self {
            AccountChange::PasswordSet { reset_required } => format!(
                "Password set for {email} (Password Reset Required: {}).",
                if reset_required { "yes" } else { "no" }
            ),
            AccountChange::Unlocked => format!("Unlocked for {email}."),
            AccountChange::Disabled => format!("Disabled for {email}."),
            AccountChange::Enabled => format!("Enabled for {email}."),
        }
    }
}

/// The answer to a request, typed by what was asked.
#[derive(Debug)]
pub enum Reply {
    SignedIn(Result<Session, Error>),
    CreateValidated {
        patient: PatientRef,
        result: Result<CreateValidateOutcome, Error>,
    },
    GuardianAdded {
        patient: PatientRef,
        result: Result<Box<GuardianAdded>, Error>,
    },
    GuardianRemoved {
        patient: PatientRef,
        email: Email,
        result: Result<GuardianRemoved, Error>,
    },
    LoginChanged {
        account: AccountRef,
        result: Result<LoginChanged, Error>,
    },
    /// What became of the notices `ids` (an error: the attempt could not
    /// be recorded; the notices stay queued).
    NoticesSent {
        ids: Vec<u64>,
        result: Result<SendReport, Error>,
    },
    /// What the print command said (`request id is …`).
    Printed(Result<String, Error>),
    AccountChanged {
        account: AccountRef,
        change: AccountChange,
        result: Result<AccountView, Error>,
    },
    OperatorChanged {
        name: String,
        /// `None`: the password was reset.
        change: Option<OperatorChange>,
        result: Result<(), Error>,
    },
}

/// "Disabled operator sam." and the like.
pub fn operator_sentence(name: &str, change: Option<OperatorChange>) -> String {
    match change {
        None => format!(
            "Password set for operator {name}: they choose their own at their next sign-in."
        ),
        Some(OperatorChange::Disable) => format!("Disabled operator {name}."),
        Some(OperatorChange::Enable) => format!("Enabled operator {name}."),
        Some(OperatorChange::Unlock) => format!("Unlocked operator {name}."),
        Some(OperatorChange::Remove) => format!("Removed operator {name} (their history stays)."),
    }
}
