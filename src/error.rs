//! The one error type of the library: every variant is one human sentence
//! that says what went wrong and, where there is one, what to do about it.
//! The CLI maps each to a documented exit code (`docs/cli.md`).

use std::path::PathBuf;

use crate::password::PolicyViolation;

pub type Result<T, E = Error> = std::result::Result<T, E>;

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

    #[error("{0}")]
    NotFound(String),

    #[error(
        "the portal e-correspondent is not set up yet: an administrator must run `portal-admin setup portal --url URL --practice-id ID` first"
    )]
    PortalNotSetUp,

    #[error("{0} was changed by someone else while you were looking at it; reload and try again")]
    Conflict(String),

    #[error("permission denied: {0}")]
    PermissionDenied(String),

    /// A value given by the user is not acceptable (bad email, bad date...).
    #[error("{0}")]
    Invalid(String),

    /// An import file was refused as a whole; the report lists every bad row.
    #[error("{0}")]
    ImportRejected(String),

    #[error("no database at {}: run `portal-admin init` (or `portal-admin demo` to try the app)", .0.display())]
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

    #[error("{0}")]
    Io(String),

    /// A rule of the program itself was broken (a bug), never user input.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
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
            Error::PermissionDenied(_) => 10,
            Error::Invalid(_) => 2,
            _ => 1,
        }
    }

    pub(crate) fn storage(e: impl std::fmt::Display) -> Self {
        Error::Storage(e.to_string())
    }
}
