//! The CLI's words for an error: the library's sentence plus the CLI's own
//! hint (the flag or command to use), on one line.

use crate::domain::text::printable;
use crate::error::{Error, Input, Missing, Refusal};

/// The flag or argument of this CLI that gives `input`.
fn flag(input: Input) -> &'static str {
    match input {
        Input::Patient => "--patient",
        Input::Email => "--email",
        Input::OperatorName => "NAME",
        Input::NewPassword | Input::ConfirmPassword => "the new password",
        Input::ResetRequired => "--no-reset-required",
        Input::SignInUrl => "--url",
        Input::PracticeId => "--practice-id",
        Input::PracticeName => "--practice-name",
        Input::OutputFile => "FILE",
        Input::IdentityCheck => "--identity-check",
        Input::HandoutFile => "--handout",
        Input::Relationship => "--relationship",
        Input::Access => "--access",
        Input::Reason => "--reason",
        Input::NewEmail => "--new-email",
        Input::Query => "QUERY",
    }
}

/// One line for standard error (without the `portal-admin: ` prefix).
pub fn message(e: &Error) -> String {
    let text = printable(&e.to_string());
    let hint = match e {
        Error::Invalid { input, .. } => return format!("{}: {text}", flag(*input)),
        Error::Refused(Refusal::NoEmail { .. }) => {
            "; give the account holder's email with --email".to_owned()
        }
        Error::Refused(Refusal::NotADemo { .. }) => " (choose another --db)".to_owned(),
        Error::Refused(Refusal::IdentityCheckMissing { .. }) => {
            " (give it with --identity-check TEXT)".to_owned()
        }
        Error::PortalNotSetUp => {
            ": an administrator must run `portal-admin setup portal --url URL --practice-id ID` first"
                .to_owned()
        }
        Error::DatabaseMissing(_) => {
            ": run `portal-admin init` (or `portal-admin demo` to try the app)".to_owned()
        }
        Error::NotFound(Missing::Operators { .. }) => {
            ": run `portal-admin operator add NAME --role admin` first".to_owned()
        }
        Error::NotSignedIn { .. } => " (give --operator NAME)".to_owned(),
        Error::Refused(Refusal::ChooseGuardian { .. }) => " (give it with --email)".to_owned(),
        Error::Policy(_) if e.input() == Some(Input::ResetRequired) => {
            " (leave out --no-reset-required)".to_owned()
        }
        _ => String::new(),
    };
    format!("{text}{hint}")
}
