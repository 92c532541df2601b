//! Guardian links: which portal accounts hold a patient, with the
//! relationship and access of each. `guardians` ((account number, account
//! id) → link, JSON) is the truth; a patient's guardians are one range read.
//! The patient's row keeps one account id (the first guardian's, none when
//! it has none) so a search shows "portal" without reading links.

use redb::ReadableTable;

use super::WriteTx;
use super::read::{ReadTx, decode, encode};
use super::tables::{GUARDIANS, REMOVED_GUARDIANS};
use crate::domain::{Access, GuardianLink, PortalAccount, Relationship, RemovedLink};
use crate::error::Result;

fn links_in(
    t: &impl ReadableTable<(&'static str, u64), &'static [u8]>,
    patient: &str,
) -> Result<Vec<(u64, GuardianLink)>> {
    let mut out = Vec::new();
    for item in t.range((patient, 0)..=(patient, u64::MAX))? {
        let (k, v) = item?;
        let (_, id) = k.value();
        out.push((id, decode("guardian link", v.value())?));
    }
    Ok(out)
}

fn removed_in(
    t: &impl ReadableTable<(&'static str, u64), &'static [u8]>,
    patient: &str,
    account_id: u64,
) -> Result<Option<RemovedLink>> {
    match t.get((patient, account_id))? {
        Some(v) => Ok(Some(decode("removed guardian link", v.value())?)),
        None => Ok(None),
    }
}

impl ReadTx {
    /// The guardian links of patient `patient`: (portal account id, link),
    /// by account id.
    pub fn guardians_of(&self, patient: &str) -> Result<Vec<(u64, GuardianLink)>> {
        links_in(&self.table(GUARDIANS)?, patient)
    }

    /// The link of `patient` to portal account `account_id` that an
    /// administrator removed, if they did (and nobody added it back).
    pub fn removed_link(&self, patient: &str, account_id: u64) -> Result<Option<RemovedLink>> {
        removed_in(&self.table(REMOVED_GUARDIANS)?, patient, account_id)
    }
}

impl WriteTx {
    /// The guardian links of patient `patient`, as this transaction sees them.
    pub fn guardians_of(&self, patient: &str) -> Result<Vec<(u64, GuardianLink)>> {
        links_in(&self.raw().open_table(GUARDIANS)?, patient)
    }

    /// Makes the holder of portal account `account_id` a guardian of
    /// `patient` (or updates the link); a patient whose row showed no
    /// account now shows this one. The account's own list of patients is
    /// the caller's to keep (it bumps the account's version).
    pub fn put_guardian(
        &mut self,
        patient: &str,
        account_id: u64,
        link: &GuardianLink,
    ) -> Result<()> {
        self.put_guardian_link(patient, account_id, link)?;
        if self.account_id_for_patient(patient)?.is_none() {
            self.link_patient(patient, account_id)?;
        }
        Ok(())
    }

    /// Records the link alone, for a writer that puts the patient's row
    /// itself with its account (the demo's batch, the upgrade to schema 3),
    /// and lists the patient under the holder's login when that is not the
    /// patient's own email (see [`super::tables::IDX_GUARDIAN_LOGIN`]; the
    /// patient's row must be stored already).
    pub fn put_guardian_link(
        &mut self,
        patient: &str,
        account_id: u64,
        link: &GuardianLink,
    ) -> Result<()> {
        let new = self
            .raw()
            .open_table(GUARDIANS)?
            .insert((patient, account_id), encode(link)?.as_slice())?
            .is_none();
        if new {
            self.index_guardian_login(patient, &self.login_of(account_id)?, true)?;
        }
        Ok(())
    }

    /// The link of `patient` to portal account `account_id`, as this
    /// transaction sees it.
    pub fn guardian_link(&self, patient: &str, account_id: u64) -> Result<Option<GuardianLink>> {
        match self
            .raw()
            .open_table(GUARDIANS)?
            .get((patient, account_id))?
        {
            Some(v) => Ok(Some(decode("guardian link", v.value())?)),
            None => Ok(None),
        }
    }

    /// The removed link of `patient` to `account_id`, as this transaction
    /// sees it.
    pub fn removed_link(&self, patient: &str, account_id: u64) -> Result<Option<RemovedLink>> {
        removed_in(
            &self.raw().open_table(REMOVED_GUARDIANS)?,
            patient,
            account_id,
        )
    }

    /// Remembers that an administrator removed the link of `patient` to
    /// `account_id` (written with the removal and its audit event).
    pub fn put_removed_link(
        &mut self,
        patient: &str,
        account_id: u64,
        removed: &RemovedLink,
    ) -> Result<()> {
        self.raw()
            .open_table(REMOVED_GUARDIANS)?
            .insert((patient, account_id), encode(removed)?.as_slice())?;
        Ok(())
    }

    /// Forgets a removed link (an administrator added it back).
    pub fn clear_removed_link(&mut self, patient: &str, account_id: u64) -> Result<()> {
        self.raw()
            .open_table(REMOVED_GUARDIANS)?
            .remove((patient, account_id))?;
        Ok(())
    }

    /// Ends the link of `patient` to portal account `account_id`; the
    /// patient's row then shows its next guardian's account, or none.
    /// Returns whether there was one.
    pub fn remove_guardian(&mut self, patient: &str, account_id: u64) -> Result<bool> {
        let removed = self
            .raw()
            .open_table(GUARDIANS)?
            .remove((patient, account_id))?
            .is_some();
        if removed {
            self.index_guardian_login(patient, &self.login_of(account_id)?, false)?;
        }
        if self.account_id_for_patient(patient)? == Some(account_id) {
            match self.guardians_of(patient)?.first() {
                Some((next, _)) => self.link_patient(patient, *next)?,
                None => self.unlink_patient(patient)?,
            }
        }
        Ok(removed)
    }
}

/// The link of a patient on an account before guardians were recorded
/// (schema 1 and 2, where a patient had at most one account): the
/// e-correspondent's, a `guardian` with full access since the account was
/// made. Which parent it is, was never recorded; access follows the age
/// rules as for any guardian.
pub(super) fn legacy_link(acc: &PortalAccount) -> GuardianLink {
    GuardianLink {
        relationship: Relationship::Guardian,
        access: Access::Full,
        since: acc.created_at,
    }
}
