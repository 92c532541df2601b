//! The one error type of the library: every variant is one human sentence
//! that says what went wrong. Messages never name a command-line flag or a
//! key: [`Error::input`] tells a client which of its inputs an error is
//! about, and the client adds its own hint (the CLI names the flag, the app
//! the field or key). The CLI maps each variant to a documented exit code
//! (`docs/cli.md`).

use std::path::PathBuf;

use crate::domain::Email;
use crate::password::PolicyViolation;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which of the values a client passed an error is about, so that the
/// client can point at it in its own words (`--email`, the email field...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A patient's account number.
    Patient,
    /// A portal account's login, or the account holder's email given at the desk.
    Email,
    /// The name of the operator acted on (added, disabled, removed...).
    OperatorName,
    /// A new password.
    NewPassword,
    /// The new password typed a second time.
    ConfirmPassword,
    /// "Password Reset Required" (left unticked).
    ResetRequired,
    SignInUrl,
    PracticeId,
    PracticeName,
    /// The file to write (a backup).
    OutputFile,
    /// How the account holder's identity and authority were checked.
    IdentityCheck,
    /// The file the account holder's handout is written to.
    HandoutFile,
    /// How a guardian is related to the patient.
    Relationship,
    /// A guardian's access (full or limited).
    Access,
    /// Why an administrator made a change (removing a guardian).
    Reason,
    /// The new login email of an account.
    NewEmail,
    /// What was typed to search (patients or portal users).
    Query,
}

/// What was looked for and not found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    #[error("no patient has the account number {number}")]
    Patient { number: String },
    #[error("no portal account has the login {email}")]
    Account { email: Email },
    #[error("patient {number} has no portal account yet")]
    PatientAccount { number: String },
    #[error("there is no operator named {name}")]
    Operator { name: String },
    #[error("{} has no operators yet", .path.display())]
    Operators { path: PathBuf },
    #[error("{email} is not a guardian of patient {patient}{}", guardians_hint(.guardians))]
    Guardian {
        patient: String,
        email: Email,
        /// The patient's guardians, as a sentence (empty: none).
        guardians: String,
    },
}

fn guardians_hint(guardians: &str) -> String {
    if guardians.is_empty() {
        "; the patient has no guardian on the portal".to_owned()
    } else {
        format!("; its guardians: {guardians}")
    }
}

/// A rule refused what was asked: the request was understood, the data it
/// names exists, and the answer is no. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the portal account {email} is disabled; an administrator must enable it first")]
    AccountDisabled { email: Email },
    #[error("patient {patient} has no e-correspondent email")]
    NoEmail { patient: String },
    #[error("patient {patient} already has a portal account with the login {login}, not {given}")]
    OtherAccount {
        patient: String,
        login: Email,
        given: Email,
    },
    #[error(
        "patient {patient}'s e-correspondent email is {on_file}; correct it in the practice's records (import) rather than here"
    )]
    EmailDiffers { patient: String, on_file: Email },
    #[error("the portal account {email} is not locked")]
    NotLocked { email: Email },
    #[error("the portal account {email} is already disabled")]
    AlreadyDisabled { email: Email },
    #[error("the portal account {email} is already enabled")]
    AlreadyEnabled { email: Email },
    #[error("an operator named {name} already exists")]
    OperatorExists { name: String },
    #[error(
        "the name {name} belonged to a removed operator and stays theirs in the audit trail; choose another name"
    )]
    OperatorNameRetired { name: String },
    #[error("operator {name} was removed")]
    OperatorRemoved { name: String },
    #[error("operator {name} is already disabled")]
    OperatorAlreadyDisabled { name: String },
    #[error("operator {name} is already enabled")]
    OperatorAlreadyEnabled { name: String },
    #[error("operator {name} is not locked")]
    OperatorNotLocked { name: String },
    #[error(
        "operator {name} is the last active administrator; add or enable another administrator first"
    )]
    LastAdministrator { name: String },
    #[error("{} already holds data; the demo only seeds a new database", .path.display())]
    NotEmpty { path: PathBuf },
    #[error("{} is not a demo database; the demo never touches real data", .path.display())]
    NotADemo { path: PathBuf },
    /// The practice requires an identity check and none was given.
    #[error("record how the account holder's identity and authority were checked: {choices}")]
    IdentityCheckMissing {
        /// The configured choices, as a sentence (`"a", "b" or "c"`).
        choices: String,
    },
    #[error("\"{given}\" is not one of this practice's identity checks: {choices}")]
    UnknownIdentityCheck { given: String, choices: String },
    /// A patient with no e-correspondent email on file would join an
    /// existing account through an email typed at the desk (issue 10,
    /// attack 7): only an administrator may do that.
    #[error(
        "patient {patient} has no e-correspondent email on file and {email} already has a portal account; a patient joins another account only through the email in the practice's records (import), or by an administrator"
    )]
    LinkNeedsRecords { patient: String, email: Email },
    /// Create/Validate for a patient with several guardians needs to know
    /// whose login to reset.
    #[error(
        "patient {patient} has {count} guardians on the portal: {guardians}; say whose login to reset"
    )]
    ChooseGuardian {
        patient: String,
        count: usize,
        guardians: String,
    },
    /// Staff would put back a guardian link an administrator removed (a
    /// custody change): only an administrator may.
    #[error(
        "{email} was removed as a guardian of patient {patient} by {by} on {on}; only an administrator can add them back"
    )]
    GuardianRemoved {
        patient: String,
        email: Email,
        by: String,
        on: String,
    },
    #[error("{email} is already a guardian of patient {patient}")]
    AlreadyGuardian { patient: String, email: Email },
    #[error(
        "patient {patient} is {age}; a patient may have a portal account of their own from {from} (guardians.self_account_from_age)"
    )]
    TooYoungForOwnAccount {
        patient: String,
        age: u32,
        from: String,
    },
    #[error("patient {patient} already has an account of their own ({email})")]
    OwnAccountExists { patient: String, email: Email },
    #[error("{email} is already the login of another portal account")]
    LoginTaken { email: Email },
    #[error("{email} is already this account's login")]
    SameLogin { email: Email },
    /// Every patient is named (up to five, then "and N more"): the
    /// administrator has to find those families.
    #[error(
        "{email} is the e-correspondent email of {}, not on this account: a Create/Validate for them would link them to it; choose an address of the holder's own",
        crate::domain::patient::patients_phrase(patients)
    )]
    LoginIsAnotherPatientsEmail {
        email: Email,
        /// Their account numbers, in order.
        patients: Vec<String>,
    },
    /// A NEW account would be made at a login typed at the desk (adding a
    /// guardian, or Create/Validate with an email for a patient who has
    /// none) that is the e-correspondent email of other patients: their
    /// next Create/Validate would link them into the account whose
    /// temporary password the desk hands out (fresh eyes, session 6,
    /// finding 1). Every patient is named, up to five.
    #[error(
        "{email} is the e-correspondent email of {} (not this patient): that family's account is made from their record. Create/Validate one of them first, then add this patient to that account as a guardian",
        crate::domain::patient::patients_phrase(patients)
    )]
    NewLoginIsAnotherFamilysEmail {
        email: Email,
        /// Their account numbers, in order.
        patients: Vec<String>,
    },
}

impl Refusal {
    pub fn input(&self) -> Option<Input> {
        match self {
            Refusal::NoEmail { .. }
            | Refusal::OtherAccount { .. }
            | Refusal::EmailDiffers { .. } => Some(Input::Email),
            Refusal::OperatorExists { .. }
            | Refusal::OperatorNameRetired { .. }
            | Refusal::OperatorRemoved { .. } => Some(Input::OperatorName),
            Refusal::IdentityCheckMissing { .. } | Refusal::UnknownIdentityCheck { .. } => {
                Some(Input::IdentityCheck)
            }
            Refusal::LinkNeedsRecords { .. }
            | Refusal::ChooseGuardian { .. }
            | Refusal::AlreadyGuardian { .. }
            | Refusal::GuardianRemoved { .. }
            | Refusal::OwnAccountExists { .. }
            | Refusal::NewLoginIsAnotherFamilysEmail { .. } => Some(Input::Email),
            Refusal::TooYoungForOwnAccount { .. } => Some(Input::Relationship),
            Refusal::LoginTaken { .. }
            | Refusal::SameLogin { .. }
            | Refusal::LoginIsAnotherPatientsEmail { .. } => Some(Input::NewEmail),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Account-holder sign-in: unknown email, wrong password, locked or
    /// disabled account all look the same from the portal.
    #[error("wrong email or password")]
    WrongCredentials,

    #[error("wrong operator name or password")]
    OperatorWrongCredentials,

    #[error(
        "operator {name} is locked out after too many failed sign-ins; try again after {until} or ask an administrator"
    )]
    OperatorLocked { name: String, until: String },

    #[error(
        "this temporary password has expired; the practice must give you a new one (Create/Validate)"
    )]
    TemporaryPasswordExpired,

    #[error("password not accepted: {0}")]
    Policy(#[from] PolicyViolation),

    /// A value given by the user is not acceptable (bad email, bad date...);
    /// `input` says which value.
    #[error("{problem}")]
    Invalid { input: Input, problem: String },

    #[error(transparent)]
    NotFound(Missing),

    #[error(transparent)]
    Refused(Refusal),

    #[error("the portal e-correspondent is not set up yet")]
    PortalNotSetUp,

    #[error("{0} was changed by someone else while you were looking at it; reload and try again")]
    Conflict(String),

    #[error("permission denied: {what} is for administrators; operator {operator} is staff")]
    AdminOnly {
        what: &'static str,
        operator: String,
    },

    #[error("permission denied: {what} needs an operator's sign-in")]
    NotSignedIn { what: &'static str },

    /// The operator of a session was disabled or removed since signing in.
    #[error("permission denied: operator {name} is disabled or removed; ask an administrator")]
    OperatorRevoked { name: String },

    /// The operator's session began before their password was reset or
    /// changed, or before they were disabled (and enabled again).
    #[error(
        "operator {name}'s sign-in has ended: the password was reset or changed, or the operator was disabled, since then; sign in again"
    )]
    SessionEnded { name: String },

    /// A guardian's access to a patient has ended (the patient reached
    /// `guardians.end_at_age`): not offered for resets or new links.
    #[error("permission denied: {0}")]
    AccessEnded(String),

    /// The operator's password was set by an administrator: they must choose
    /// their own before they can sign in (`Portal::operator_change_password`).
    #[error("operator {name} must choose a new password before signing in")]
    MustChangePassword { name: String },

    /// An import file was refused as a whole; the report lists every bad row.
    #[error("{0}")]
    ImportRejected(String),

    #[error("no database at {}", .0.display())]
    DatabaseMissing(PathBuf),

    #[error("{} already exists; it was left as it was", .0.display())]
    DatabaseExists(PathBuf),

    #[error("{} is not a portal-admin database (or it is damaged): {detail}", .path.display())]
    NotOurDatabase { path: PathBuf, detail: String },

    #[error(
        "{} was written by a newer portal-admin (schema {found}, this program knows up to {known}); upgrade portal-admin",
        .path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        known: u32,
    },

    #[error(
        "the database is busy (another operator's change is taking long); try again in a moment"
    )]
    Busy,

    #[error("{} is held open by another program that does not share it; close it and try again", .0.display())]
    InUse(PathBuf),

    #[error("database error: {0}")]
    Storage(String),

    #[error("configuration: {0}")]
    Config(String),

    /// A file portal-admin trusts can be changed by anyone on the computer.
    #[error("{0}")]
    UnsafeFile(String),

    #[error("{0}")]
    Io(String),

    /// A client refuses how it was called or started (no terminal, a bad
    /// count); raised by the CLI and the app, never by the services.
    #[error("{0}")]
    Usage(String),

    /// Standard output was closed before everything was written (the
    /// reader went away). Raised by the CLI's output.
    #[error("standard output is closed")]
    OutputClosed,

    /// Standard output goes to /dev/null (or was closed, which the runtime
    /// turns into /dev/null): a temporary login printed there is lost, so
    /// the command that would print one refuses before changing anything.
    #[error(
        "standard output goes to /dev/null (or is closed), where nobody would read the temporary login; nothing was changed"
    )]
    OutputDiscarded,

    /// A rule of the program itself was broken (a bug), never user input.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Which input this error is about, for the client's hint.
    pub fn input(&self) -> Option<Input> {
        match self {
            Error::Invalid { input, .. } => Some(*input),
            Error::Policy(v) => Some(match v {
                PolicyViolation::Mismatch => Input::ConfirmPassword,
                PolicyViolation::ResetRequiredMandatory => Input::ResetRequired,
                _ => Input::NewPassword,
            }),
            Error::NotFound(m) => match m {
                Missing::Patient { .. } | Missing::PatientAccount { .. } => Some(Input::Patient),
                Missing::Account { .. } => Some(Input::Email),
                Missing::Operator { .. } => Some(Input::OperatorName),
                Missing::Operators { .. } => None,
                Missing::Guardian { .. } => Some(Input::Email),
            },
            Error::Refused(r) => r.input(),
            Error::DatabaseExists(_) => Some(Input::OutputFile),
            _ => None,
        }
    }

    /// The CLI exit code for this error (see `docs/cli.md`).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::WrongCredentials | Error::OperatorWrongCredentials => 3,
            Error::OperatorLocked { .. } => 4,
            Error::TemporaryPasswordExpired => 5,
            Error::Policy(_) => 6,
            Error::NotFound(_) | Error::DatabaseMissing(_) => 7,
            Error::PortalNotSetUp => 8,
            Error::Conflict(_) => 9,
            Error::AdminOnly { .. }
            | Error::NotSignedIn { .. }
            | Error::OperatorRevoked { .. }
            | Error::SessionEnded { .. }
            | Error::AccessEnded(_) => 10,
            Error::MustChangePassword { .. } => 3,
            Error::Invalid { .. } | Error::Refused(_) | Error::Usage(_) => 2,
            Error::OutputClosed => 0,
            _ => 1,
        }
    }

    pub(crate) fn invalid(input: Input) -> impl FnOnce(String) -> Error {
        move |problem| Error::Invalid { input, problem }
    }

    pub(crate) fn storage(e: impl std::fmt::Display) -> Self {
        Error::Storage(e.to_string())
    }
}

impl From<Missing> for Error {
    fn from(m: Missing) -> Self {
        Error::NotFound(m)
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}
