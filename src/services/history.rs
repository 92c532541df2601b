//! An account's recent history from the audit trail, and everything the
//! Control Panel's user details show. Bounded: the history is a reverse
//! range over the `audit_by_account` index (account id, sequence number),
//! at most [`HISTORY_MAX`] events, never a walk of the whole trail.

use serde::Serialize;

use super::{AccountView, Portal};
use crate::domain::{AuditEvent, Patient};
use crate::error::{Error, Result};

/// The most events one history call returns.
pub const HISTORY_MAX: usize = 200;

/// What the Control Panel shows for one portal user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountDetails {
    /// Status, lock, last sign-in, reset required, temporary expiry.
    pub account: AccountView,
    /// The patients on the account (name, date of birth, number), in the
    /// order they joined it.
    pub patients: Vec<Patient>,
    /// The newest events about the account, newest first.
    pub history: Vec<AuditEvent>,
}

impl Portal {
    /// The newest `limit` audit events about portal account `account_id`
    /// (1 to [`HISTORY_MAX`]), newest first: who did what, when. Sign-ins
    /// by the account holder are among them.
    pub fn account_history(&self, account_id: u64, limit: usize) -> Result<Vec<AuditEvent>> {
        self.store
            .read()?
            .account_events(account_id, limit.clamp(1, HISTORY_MAX))
    }

    /// Control Panel → Users → details of the account with login
    /// `email_text`, with its newest `history` events.
    pub fn account_details(&self, email_text: &str, history: usize) -> Result<AccountDetails> {
        let acc = self.find_account(email_text)?;
        let read = self.store.read()?;
        let patients = account_patients(&read, &acc.email, &acc.patients)?;
        let history = read.account_events(acc.id, history.clamp(1, HISTORY_MAX))?;
        Ok(AccountDetails {
            account: AccountView::new(&acc, self.now(), &self.hasher),
            patients,
            history,
        })
    }
}

/// The patients `numbers` of the account with login `email`, in order, as
/// read in `read`: the Users dialog and the confirmations that link to an
/// existing account name them (name, date of birth, number).
pub(super) fn account_patients(
    read: &crate::store::ReadTx,
    email: &crate::domain::Email,
    numbers: &[String],
) -> Result<Vec<crate::domain::Patient>> {
    let mut patients = Vec::with_capacity(numbers.len());
    for no in numbers {
        patients.push(read.patient(no)?.ok_or_else(|| {
            Error::Storage(format!(
                "the portal account {email} lists a missing patient {no}"
            ))
        })?);
    }
    Ok(patients)
}
