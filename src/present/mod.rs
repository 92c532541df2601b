//! Presenters the CLI and the app share: the words for what the services
//! answer, so an account's status or a temporary login reads the same in
//! both. Text that came from the database is made printable here.

mod account;
mod login;
mod operator;

pub use account::{NO_ACCOUNT, account_status};
pub use login::{LOGIN_READ_ALOUD, login_lines, login_text};
pub use operator::operator_state;
