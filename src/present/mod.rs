//! Presenters the CLI and the app share: the words for what the services
//! answer, so an account's status, a temporary login, a time or a handout
//! reads the same in both. Text that came from the database is made
//! printable here. No terminal and no I/O: strings in, strings out.

mod account;
mod guardian;
mod handout;
mod history;
mod login;
mod operator;
mod plan;
mod spell;
mod time;

pub use account::{NO_ACCOUNT, account_status};
pub use guardian::{guardian_status, guardian_summary, removed_note};
pub use handout::{HANDOUT_WIDTH, handout};
pub use history::{HistoryLine, history_line};
pub use login::{LOGIN_READ_ALOUD, login_lines_in, login_read_aloud, login_text_in};
pub use operator::operator_state;
pub use plan::{
    linked_line, linked_summary, no_common_last_name_note, patient_named, patients_named,
    plan_summary, which_holds,
};
pub use spell::{spelled, spelled_groups, spelling_word};
pub use time::{LocalTime, TimeStyle};
