//! One request type from the key that asks for work to the worker that
//! does it and the reply that shows its result. A request carries
//! everything its reply will show (the patient, the login, the operator),
//! so moving the selection while it runs never changes what is shown.

use time::Date;

use crate::Secret;
use crate::domain::Email;
use crate::error::Error;
use crate::services::{AccountView, Session, TemporaryLogin};

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
    CreateValidate {
        patient: PatientRef,
        /// The account version the confirmation showed, if there was one.
        version: Option<u64>,
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
}

impl Request {
    /// What the status line says while it runs.
    pub fn label(&self) -> &'static str {
        match self {
            Request::SignIn { .. } => "Signing in",
            Request::CreateValidate { .. } => "Creating the temporary login",
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
    TemporaryLogin {
        patient: PatientRef,
        /// The operator who asked for it.
        operator: String,
        result: Result<TemporaryLogin, Error>,
    },
    AccountChanged {
        account: AccountRef,
        change: AccountChange,
        result: Result<AccountView, Error>,
    },
}
