//! Patient lookup and what the status pane and Control Panel show.

use serde::Serialize;
use time::OffsetDateTime;

use super::Portal;
use crate::domain::{AccountStatus, Email, Patient, PatientQuery, PortalAccount};
use crate::error::{Error, Input, Missing, Result};
use crate::password::Hasher;
use crate::store::{Page, PatientRow};

/// A portal account as staff see it: its state, never its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountView {
    pub id: u64,
    pub email: Email,
    pub patients: Vec<String>,
    pub status: AccountStatus,
    pub disabled: bool,
    pub reset_required: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub temp_expires_at: Option<OffsetDateTime>,
    pub temp_expired: bool,
    pub failed_count: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sign_in: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub version: u64,
    /// Algorithm and parameters of the stored hash, e.g. `argon2id m=19456,t=2,p=1`.
    pub hash_params: String,
    /// False when the hash was made with other parameters than configured
    /// (it is re-hashed at the next successful sign-in).
    pub hash_current: bool,
}

impl AccountView {
    pub fn new(acc: &PortalAccount, now: OffsetDateTime, hasher: &Hasher) -> Self {
        AccountView {
            id: acc.id,
            email: acc.email.clone(),
            patients: acc.patients.clone(),
            status: acc.status(now),
            disabled: acc.disabled,
            reset_required: acc.reset_required,
            temp_expires_at: acc.temp_expires_at,
            temp_expired: acc.temp_expired(now),
            failed_count: acc.failed_count,
            locked_until: acc.locked_until.filter(|t| *t > now),
            last_sign_in: acc.last_sign_in,
            created_at: acc.created_at,
            updated_at: acc.updated_at,
            version: acc.version,
            hash_params: acc.password_hash.describe(),
            hash_current: !hasher.needs_rehash(&acc.password_hash),
        }
    }
}

/// Everything the portal-account status pane shows for one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientView {
    pub patient: Patient,
    /// The account of the patient's first guardian whose access has not
    /// ended (else the first guardian's); see `guardians` for all of them.
    pub account: Option<AccountView>,
    /// The other patients on that portal account.
    pub siblings: Vec<Patient>,
    /// Every guardian of the patient, oldest link first, with where each
    /// link stands today ("limited from …", ended).
    pub guardians: Vec<super::GuardianView>,
    /// Whether Create/Validate can run at all (the portal e-correspondent is set up).
    pub portal_set_up: bool,
}

impl Portal {
    /// One page of the patient lookup: what `text` means and the order of
    /// the results are in [`PatientQuery`]. `after` is the previous page's
    /// `next`.
    pub fn search_patients(
        &self,
        text: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<PatientRow>> {
        check_query(text)?;
        let text = compatible(text);
        let query = PatientQuery::parse(&text, self.now().date());
        if let Some(problem) = query.problem {
            return Err(Error::Invalid {
                input: Input::Query,
                problem,
            });
        }
        // An older build still running beside this app may have written
        // since: the derived indexes are made whole before they are read.
        let mut read = self.store.read()?;
        if self
            .store
            .repair_if_stale(self.now(), || Self::file_owner().actor())?
            .is_some()
        {
            read = self.store.read()?;
        }
        read.search_patients(
            &query,
            after,
            limit.clamp(1, 1000),
            self.config.database.search_budget,
        )
    }

    pub fn patient_view(&self, account_number: &str) -> Result<PatientView> {
        let no = super::parse_patient(account_number)?;
        let read = self.store.read()?;
        let patient = read
            .patient(&no)?
            .ok_or_else(|| Missing::Patient { number: no.clone() })?;
        let guardians = self.guardian_views(&read, &patient)?;
        let mut siblings = Vec::new();
        let account = guardians
            .iter()
            .find(|g| !g.is_ended())
            .or(guardians.first())
            .map(|g| g.account.clone());
        if let Some(acc) = &account {
            for other in acc.patients.iter().filter(|p| **p != no) {
                siblings.extend(read.patient(other)?);
            }
        }
        Ok(PatientView {
            patient,
            account,
            siblings,
            guardians,
            portal_set_up: read.portal_setup()?.is_some(),
        })
    }

    /// Control Panel → Users: accounts whose login has a part beginning
    /// with each word of `query` (`moore`, `@example.org`, `maria.g`); every
    /// account by login when it is empty.
    pub fn list_accounts(
        &self,
        query: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<AccountView>> {
        check_query(query)?;
        let query = compatible(query);
        let page = self.store.read()?.search_accounts(
            &query,
            after,
            limit.clamp(1, 1000),
            self.config.database.search_budget,
        )?;
        let now = self.now();
        Ok(Page {
            items: page
                .items
                .iter()
                .map(|a| AccountView::new(a, now, &self.hasher))
                .collect(),
            next: page.next,
            stopped_early: page.stopped_early,
        })
    }

    pub fn account_by_email(&self, email_text: &str) -> Result<AccountView> {
        let acc = self.find_account(email_text)?;
        Ok(AccountView::new(&acc, self.now(), &self.hasher))
    }

    pub fn account_for_patient(&self, account_number: &str) -> Result<AccountView> {
        let view = self.patient_view(account_number)?;
        view.account.ok_or_else(|| {
            Missing::PatientAccount {
                number: view.patient.account_number,
            }
            .into()
        })
    }
}

/// The most characters a search reads: more is no name, date, number or
/// email, and every word costs a pass over the candidates.
pub const QUERY_MAX_CHARS: usize = 200;

/// A search longer than [`QUERY_MAX_CHARS`] is refused in one sentence
/// that does not repeat it.
fn check_query(text: &str) -> Result<()> {
    let n = text.chars().count();
    if n > QUERY_MAX_CHARS {
        return Err(Error::Invalid {
            input: Input::Query,
            problem: format!(
                "a search is at most {QUERY_MAX_CHARS} characters long; this one has {n}"
            ),
        });
    }
    Ok(())
}

/// What was typed, in its compatibility form (NFKC): full-width digits and
/// letters (`２０１６`, `ｓｍｉｔｈ`, typed with an East Asian input method)
/// become the plain ones the index holds; ligatures and the like too.
fn compatible(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect()
}
