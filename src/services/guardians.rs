//! Families: a patient's guardians, each with their own portal account.
//!
//! - Staff add a guardian (the identity check recorded, as for a reset):
//!   their own account with a temporary login, or a link to the account
//!   they already have — its password untouched.
//! - Administrators remove a guardian (a custody change; the reason is
//!   recorded) and change an account's login email (old and new recorded;
//!   the password unchanged).
//! - The age rules (`guardians.*`) limit a guardian's access from one
//!   birthday and end it at another, in the practice's time zone; an ended
//!   link is shown as ended and never offered for a reset. A patient old
//!   enough may get an account of their own (`self`).
//!
//! Every change queues its notice to the account holder (and, for a new
//! login, to the old address too) in its own transaction.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::create_validate::{identity_note, with_notice};
use super::{AccountView, Portal, Session, TemporaryLogin, account_target, bump};
use crate::domain::guardian::age_on;
use crate::domain::text::clean_field_because;

/// Why a removal's reason may hold no hidden character.
const REASON_IS_PLAIN_TEXT: &str =
    "type the reason as plain text: it is kept in the audit trail and read on screen";
use crate::domain::{
    Access, Action, Email, GuardianLink, LinkStatus, NewEvent, PasswordKind, Patient,
    PortalAccount, Relationship, RemovedLink, Role,
};
use crate::error::{Error, Input, Missing, Refusal, Result};
use crate::notify::Happened;
use crate::store::ReadTx;

/// One guardian of a patient, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardianView {
    /// The guardian's own portal account.
    pub account: AccountView,
    pub relationship: Relationship,
    /// The access granted when the link was made; the age rules may limit
    /// or end it sooner (`status`).
    pub granted: Access,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// Where the link stands today: its access and the next change, or
    /// ended (and then not offered for resets).
    pub status: LinkStatus,
}

impl GuardianView {
    pub fn email(&self) -> &Email {
        &self.account.email
    }

    pub fn is_ended(&self) -> bool {
        self.status.is_ended()
    }
}

/// A list of guardians as a sentence: `a@x (mother), b@y (father, ended)`.
pub fn guardians_sentence(guardians: &[GuardianView]) -> String {
    guardians
        .iter()
        .map(|g| {
            format!(
                "{} ({}{})",
                g.email(),
                g.relationship,
                if g.is_ended() { ", ended" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A login change that can happen ([`Portal::check_login_change`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginChangePlan {
    /// The login now.
    pub old: Email,
    /// The new login, as it will be stored (trimmed, domain in lower case).
    pub new: Email,
    pub account_id: u64,
    /// The account's version the check was made on.
    pub version: u64,
}

/// What staff ask to add a guardian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddGuardian {
    /// The patient's account number.
    pub patient: String,
    /// The guardian's email: the login of their account (made if none).
    pub email: String,
    pub relationship: Relationship,
    /// Default: full (the age rules may still limit it).
    pub access: Access,
    /// How the guardian's identity and authority were checked: one of
    /// `policy.identity_checks`.
    pub identity_check: Option<String>,
    /// What the plan shown to staff found ([`GuardianPlan::expectation`]):
    /// a different situation when the change is made is refused as
    /// changed by someone else. `None` (the CLI, which plans and commits in
    /// one call): whatever is found then.
    pub expected: Option<ExpectedAccount>,
}

/// What a plan to add a guardian found for the email: no account (one is
/// made), or this account at this version (it is linked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedAccount {
    NoAccount,
    Existing { id: u64, version: u64 },
}

impl AddGuardian {
    pub fn new(
        patient: impl Into<String>,
        email: impl Into<String>,
        relationship: Relationship,
    ) -> AddGuardian {
        AddGuardian {
            patient: patient.into(),
            email: email.into(),
            relationship,
            access: Access::Full,
            identity_check: None,
            expected: None,
        }
    }

    /// Commit only what `plan` promised ([`GuardianPlan::expectation`]).
    pub fn expect(mut self, expected: ExpectedAccount) -> Self {
        self.expected = Some(expected);
        self
    }

    pub fn access(mut self, access: Access) -> Self {
        self.access = access;
        self
    }

    pub fn identity_check(mut self, check: Option<impl Into<String>>) -> Self {
        self.identity_check = check.map(Into::into);
        self
    }
}

/// What adding a guardian will do, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardianPlan {
    pub patient: Patient,
    pub email: Email,
    pub relationship: Relationship,
    /// The guardian's account when they already have one: it is linked and
    /// its password does not change. `None`: an account is created with a
    /// temporary login.
    pub existing: Option<AccountView>,
    /// Where the new link will stand today (its access after the age rules).
    pub status: LinkStatus,
    /// The ended link of the same account that this one replaces (only a
    /// `self` link replaces one: the account becomes the patient's own).
    pub replaces: Option<GuardianView>,
    /// The patient's guardians before the change.
    pub guardians: Vec<GuardianView>,
    /// When the existing account's link to this patient was removed by an
    /// administrator, who did and why: only an administrator may add it
    /// back ([`Portal::plan_add_guardian_for`] refuses staff).
    pub removed: Option<RemovedLink>,
    /// The patients the existing account holds already, in its order (the
    /// confirmation names them); empty when an account is created.
    pub holds: Vec<Patient>,
}

impl GuardianPlan {
    /// What this plan found, for [`AddGuardian::expect`].
    pub fn expectation(&self) -> ExpectedAccount {
        match &self.existing {
            Some(acc) => ExpectedAccount::Existing {
                id: acc.id,
                version: acc.version,
            },
            None => ExpectedAccount::NoAccount,
        }
    }
}

/// What adding a guardian did.
#[derive(Debug)]
pub struct GuardianAdded {
    pub patient: Patient,
    /// The new link.
    pub guardian: GuardianView,
    /// The temporary login of the account made for the guardian (read it
    /// to them); `None` when their existing account was linked, its
    /// password unchanged.
    pub login: Option<TemporaryLogin>,
    /// The notice queued for the guardian (`None` when notices are off).
    pub notice: Option<u64>,
    /// The notices queued for the patient's other current guardians.
    pub others: Vec<u64>,
    /// The removed link an administrator added back (when, who, why).
    pub removed: Option<RemovedLink>,
}

/// What removing a guardian did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardianRemoved {
    pub patient: Patient,
    /// The account after the change (without the patient).
    pub account: AccountView,
    pub notice: Option<u64>,
    /// The notices queued for the patient's other current guardians.
    pub others: Vec<u64>,
}

/// What changing a login email did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginChanged {
    pub old: Email,
    /// The account with its new login.
    pub account: AccountView,
    /// The notices queued: to the old address and to the new one.
    pub notices: Vec<u64>,
}

impl Portal {
    /// Today in the practice's time zone (birthdays turn at its midnight).
    pub fn today(&self) -> Date {
        self.local.today(self.now())
    }

    /// The guardians of patient `patient` in `read`, oldest link first.
    pub(super) fn guardian_views(
        &self,
        read: &ReadTx,
        patient: &Patient,
    ) -> Result<Vec<GuardianView>> {
        let now = self.now();
        let today = self.local.today(now);
        let rules = self.config.guardians.rules();
        let mut out = Vec::new();
        for (id, link) in read.guardians_of(&patient.account_number)? {
            let acc = read.account(id)?.ok_or_else(|| {
                Error::Storage(format!(
                    "patient {} is linked to a missing account {id}",
                    patient.account_number
                ))
            })?;
            out.push(GuardianView {
                account: AccountView::new(&acc, now, &self.hasher),
                relationship: link.relationship,
                granted: link.access,
                since: link.since,
                status: rules.status(&link, patient.date_of_birth, today),
            });
        }
        out.sort_by_key(|g| (g.since, g.account.id));
        Ok(out)
    }

    /// `guardian list`: the guardians of patient `account_number`, oldest
    /// first, each with where its link stands today.
    pub fn guardians(&self, account_number: &str) -> Result<Vec<GuardianView>> {
        let no = super::parse_patient(account_number)?;
        let read = self.store.read()?;
        let patient = read
            .patient(&no)?
            .ok_or_else(|| Missing::Patient { number: no.clone() })?;
        self.guardian_views(&read, &patient)
    }

    /// The sentence of a link that has ended, for [`Error::AccessEnded`].
    pub(super) fn ended(&self, patient: &Patient, email: &Email, on: Date) -> Error {
        Error::AccessEnded(format!(
            "{email}'s access to patient {} ended on {}, when the patient turned {} (guardians.end_at_age); the patient may have an account of their own",
            patient.account_number,
            self.local.day_of(on),
            self.config.guardians.end_at_age
        ))
    }

    /// The refusal when staff would put back a link an administrator removed.
    pub(super) fn removed_refusal(&self, patient: &str, email: &Email, r: &RemovedLink) -> Error {
        Refusal::GuardianRemoved {
            patient: patient.to_owned(),
            email: email.clone(),
            by: r.by.clone(),
            on: self.local.day(r.on),
        }
        .into()
    }

    /// Queues `happened` for each of `patient`'s current guardians (link
    /// not ended by age) other than account `except`, in `tx`: the other
    /// parent learns that someone was given, or lost, access to their
    /// child's record. Returns the notices' ids (none when notices are off).
    pub(super) fn tell_other_guardians(
        &self,
        tx: &mut crate::store::WriteTx,
        patient: &Patient,
        except: u64,
        happened: Happened,
    ) -> Result<Vec<u64>> {
        let today = self.local.today(tx.now());
        let rules = self.config.guardians.rules();
        let mut ids = Vec::new();
        for (id, link) in tx.guardians_of(&patient.account_number)? {
            if id == except || rules.status(&link, patient.date_of_birth, today).is_ended() {
                continue;
            }
            let Some(acc) = tx.account(id)? else { continue };
            ids.extend(self.queue_notice(tx, &acc, &acc.email, happened.clone())?);
        }
        Ok(ids)
    }

    /// The audit note of a removed link an administrator adds back.
    pub(super) fn added_back_note(&self, r: &RemovedLink) -> String {
        format!(
            "adds back the link {} removed on {} (reason: {})",
            r.by,
            self.local.day(r.on),
            r.reason
        )
    }

    /// What [`Portal::add_guardian`] would do for `s`, or the error it
    /// would refuse with: as [`Portal::plan_add_guardian`], and staff may
    /// not put back a link an administrator removed.
    pub fn plan_add_guardian_for(&self, s: &Session, req: &AddGuardian) -> Result<GuardianPlan> {
        let plan = self.plan_add_guardian(req)?;
        match &plan.removed {
            Some(r) if !s.is_admin() => {
                Err(self.removed_refusal(&plan.patient.account_number, &plan.email, r))
            }
            _ => Ok(plan),
        }
    }

    /// What [`Portal::add_guardian`] would do, or the error it would refuse
    /// with (the identity check is asked after this), whoever asks: a link
    /// an administrator removed comes back in `removed` (see
    /// [`Portal::plan_add_guardian_for`]).
    pub fn plan_add_guardian(&self, req: &AddGuardian) -> Result<GuardianPlan> {
        let no = super::parse_patient(&req.patient)?;
        let read = self.store.read()?;
        read.portal_setup()?.ok_or(Error::PortalNotSetUp)?;
        let patient = read
            .patient(&no)?
            .ok_or_else(|| Missing::Patient { number: no.clone() })?;
        let email = Email::parse(&req.email).map_err(Error::invalid(Input::Email))?;
        let guardians = self.guardian_views(&read, &patient)?;
        // The one exception to "already a guardian": a link the age rules
        // ended may become the patient's own account — an adult patient
        // whose own email was their login before guardians were recorded
        // (a migrated file links it as `guardian`).
        let replaces = match guardians.iter().find(|g| *g.email() == email) {
            Some(g) if g.is_ended() && req.relationship == Relationship::Own => Some(g.clone()),
            Some(_) => return Err(Refusal::AlreadyGuardian { patient: no, email }.into()),
            None => None,
        };
        let now = self.now();
        let today = self.local.today(now);
        let rules = self.config.guardians.rules();
        if req.relationship == Relationship::Own {
            if let Some(own) = guardians
                .iter()
                .find(|g| g.relationship == Relationship::Own)
            {
                return Err(Refusal::OwnAccountExists {
                    patient: no,
                    email: own.email().clone(),
                }
                .into());
            }
            let from = rules.self_account_from(patient.date_of_birth);
            if today < from {
                return Err(Refusal::TooYoungForOwnAccount {
                    patient: no,
                    age: age_on(patient.date_of_birth, today),
                    from: self.local.day_of(from),
                }
                .into());
            }
        }
        let link = GuardianLink {
            relationship: req.relationship,
            access: req.access,
            since: now,
        };
        let status = rules.status(&link, patient.date_of_birth, today);
        if let LinkStatus::Ended { on } = status {
            return Err(self.ended(&patient, &email, on));
        }
        let existing = match read.account_by_email(&email)? {
            Some(acc) if acc.disabled => {
                return Err(Refusal::AccountDisabled { email: acc.email }.into());
            }
            Some(acc) => Some(AccountView::new(&acc, now, &self.hasher)),
            None => {
                new_login_is_no_other_familys(
                    &no,
                    &email,
                    read.patients_with_email(email.as_str())?,
                )?;
                None
            }
        };
        let removed = match &existing {
            Some(acc) => read.removed_link(&no, acc.id)?,
            None => None,
        };
        let holds = match &existing {
            Some(acc) => super::history::account_patients(&read, &acc.email, &acc.patients)?,
            None => Vec::new(),
        };
        Ok(GuardianPlan {
            patient,
            email,
            relationship: req.relationship,
            existing,
            status,
            replaces,
            guardians,
            removed,
            holds,
        })
    }

    /// Adds a guardian to a patient (staff or administrators): creates the
    /// guardian's own account with a temporary login, or links the account
    /// they already have without touching its password. The identity check
    /// is required as for Create/Validate and recorded in the audit event;
    /// a notice goes to the guardian.
    pub fn add_guardian(&self, s: &Session, req: &AddGuardian) -> Result<GuardianAdded> {
        self.add_guardian_then(s, req, |_| Ok(()))
    }

    /// [`Portal::add_guardian`] that hands the outcome to `deliver` before
    /// the change is committed (the CLI shows the temporary login first: if
    /// nobody can read it, nothing changes).
    pub fn add_guardian_then(
        &self,
        s: &Session,
        req: &AddGuardian,
        deliver: impl FnOnce(&GuardianAdded) -> Result<()>,
    ) -> Result<GuardianAdded> {
        self.authorize(
            s,
            Role::Staff,
            "adding a guardian",
            Action::GuardianAdded,
            &format!("patient {}, <{}>", req.patient.trim(), req.email.trim()),
        )?;
        let plan = self
            .plan_add_guardian_for(s, req)
            .map_err(|e| match (e, req.expected) {
                // The confirmation promised an existing account, which has
                // gone since (its login changed): someone else's change, before
                // the refusal a new account at this login would meet.
                (
                    Error::Refused(Refusal::NewLoginIsAnotherFamilysEmail { email, .. }),
                    Some(ExpectedAccount::Existing { .. }),
                ) => Error::Conflict(format!("the portal account {email}")),
                (e, _) => e,
            })?;
        // The confirmation promised one thing (an existing account kept as
        // it is, or a new one): anything else now is someone else's change.
        if let Some(expected) = req.expected
            && expected != plan.expectation()
        {
            return Err(Error::Conflict(format!(
                "the portal account {}",
                plan.email
            )));
        }
        let check = self.identity_check(req.identity_check.as_deref())?;
        let setup = self
            .store
            .read()?
            .portal_setup()?
            .ok_or(Error::PortalNotSetUp)?;
        let no = plan.patient.account_number.clone();
        let cfg = &self.config.temporary_password;
        // The slow part, outside any write transaction: only a new account
        // gets a password.
        let fresh = match plan.existing {
            Some(_) => None,
            None => Some(self.fresh_temporary()?),
        };
        let mut notes = vec![format!("{}, {} access", plan.relationship, req.access)];
        if let Some(ended) = &plan.replaces {
            notes.push(format!("replaces the ended {} link", ended.relationship));
        }
        notes.extend(plan.removed.as_ref().map(|r| self.added_back_note(r)));
        notes.push(
            if fresh.is_some() {
                "account created"
            } else {
                "password unchanged"
            }
            .to_owned(),
        );
        notes.push(identity_note(check.as_deref()));
        let added = self.store.write(self.now(), |tx| {
            let now = tx.now();
            // The account's link to the patient must be as planned: none,
            // or the ended one this replaces.
            let link_now = tx
                .guardians_of(&no)?
                .into_iter()
                .find(|(id, _)| plan.existing.as_ref().is_some_and(|e| e.id == *id))
                .map(|(_, l)| (l.relationship, l.access, l.since));
            let link_then = plan
                .replaces
                .as_ref()
                .map(|g| (g.relationship, g.granted, g.since));
            if link_now != link_then {
                return Err(Error::Conflict(format!("patient {no}")));
            }
            // A removal since the plan is a different situation.
            if let Some(existing) = &plan.existing {
                if tx.removed_link(&no, existing.id)? != plan.removed {
                    return Err(Error::Conflict(format!("patient {no}")));
                }
                if plan.removed.is_some() {
                    tx.clear_removed_link(&no, existing.id)?;
                }
            }
            let acc = match (&plan.existing, &fresh) {
                (Some(existing), _) => {
                    let mut acc = super::reread(tx, existing.id, existing.version)?;
                    if !acc.patients.contains(&no) {
                        acc.patients.push(no.clone());
                    }
                    bump(&mut acc, now);
                    tx.put_account(&acc)?;
                    acc
                }
                (None, Some((_, hash, expires_at))) => {
                    if tx.account_by_email(&plan.email)?.is_some() {
                        return Err(Error::Conflict(format!(
                            "the portal account {}",
                            plan.email
                        )));
                    }
                    // Checked again where it is written: an import may
                    // have given another patient this email since.
                    new_login_is_no_other_familys(
                        &no,
                        &plan.email,
                        tx.patients_with_email(plan.email.as_str())?,
                    )?;
                    let mut acc = new_account(plan.email.clone(), &no, hash, *expires_at, now);
                    bump(&mut acc, now);
                    tx.insert_account(acc)?
                }
                (None, None) => {
                    return Err(Error::Internal("a new account needs a password".into()));
                }
            };
            let link = GuardianLink {
                relationship: plan.relationship,
                access: req.access,
                since: now,
            };
            tx.put_guardian(&no, acc.id, &link)?;
            let notice = self.queue_notice(
                tx,
                &acc,
                &acc.email,
                Happened::GuardianAdded {
                    created: fresh.is_some(),
                    relationship: plan.relationship,
                },
            )?;
            let others = self.tell_other_guardians(
                tx,
                &plan.patient,
                acc.id,
                Happened::OtherGuardianAdded {
                    relationship: plan.relationship,
                },
            )?;
            let outcome = others_told(
                with_notice(&format!("success ({})", notes.join("; ")), notice),
                &others,
            );
            tx.audit(NewEvent {
                actor: s.actor(),
                action: Action::GuardianAdded,
                target: format!("{}, patient {no}", account_target(&acc)),
                outcome,
            })?;
            let login = fresh.as_ref().map(|(plain, _, expires_at)| {
                TemporaryLogin::issued(
                    &plan.patient,
                    &acc,
                    (plain, *expires_at),
                    &setup,
                    cfg.group,
                    (Action::GuardianAdded, notice),
                )
            });
            let added = GuardianAdded {
                patient: plan.patient.clone(),
                guardian: GuardianView {
                    account: AccountView::new(&acc, now, &self.hasher),
                    relationship: link.relationship,
                    granted: link.access,
                    since: link.since,
                    status: plan.status,
                },
                login,
                notice,
                others,
                removed: plan.removed.clone(),
            };
            deliver(&added)?;
            Ok(added)
        })?;
        tracing::info!(
            account_id = added.guardian.account.id,
            operator = s.name(),
            created = added.login.is_some(),
            "guardian added"
        );
        Ok(added)
    }

    /// Removes a guardian from a patient (a custody change; administrators
    /// only, a reason required). The account stays, with its other
    /// patients and its password; a notice goes to its holder.
    pub fn remove_guardian(
        &self,
        s: &Session,
        patient: &str,
        email: &str,
        reason: &str,
    ) -> Result<GuardianRemoved> {
        self.authorize(
            s,
            Role::Admin,
            "removing a guardian",
            Action::GuardianRemoved,
            &format!("patient {}, <{}>", patient.trim(), email.trim()),
        )?;
        let reason = clean_field_because("the reason", reason, 200, REASON_IS_PLAIN_TEXT)
            .map_err(Error::invalid(Input::Reason))?;
        let no = super::parse_patient(patient)?;
        let email = Email::parse(email).map_err(Error::invalid(Input::Email))?;
        let read = self.store.read()?;
        let patient = read
            .patient(&no)?
            .ok_or_else(|| Missing::Patient { number: no.clone() })?;
        let guardians = self.guardian_views(&read, &patient)?;
        let Some(g) = guardians.iter().find(|g| *g.email() == email) else {
            return Err(Missing::Guardian {
                patient: no,
                email,
                guardians: guardians_sentence(&guardians),
            }
            .into());
        };
        let (id, observed) = (g.account.id, g.account.version);
        let removed = self.store.write(self.now(), |tx| {
            let now = tx.now();
            let mut acc = super::reread(tx, id, observed)?;
            if !tx.remove_guardian(&no, id)? {
                return Err(Error::Conflict(format!("patient {no}")));
            }
            acc.patients.retain(|p| *p != no);
            bump(&mut acc, now);
            tx.put_account(&acc)?;
            tx.put_removed_link(
                &no,
                id,
                &RemovedLink {
                    on: now,
                    by: s.name().to_owned(),
                    reason: reason.clone(),
                },
            )?;
            let notice = self.queue_notice(tx, &acc, &acc.email, Happened::GuardianRemoved)?;
            let others =
                self.tell_other_guardians(tx, &patient, id, Happened::OtherGuardianRemoved)?;
            tx.audit(NewEvent {
                actor: s.actor(),
                action: Action::GuardianRemoved,
                target: format!("{}, patient {no}", account_target(&acc)),
                outcome: others_told(
                    with_notice(&format!("success (reason: {reason})"), notice),
                    &others,
                ),
            })?;
            Ok(GuardianRemoved {
                patient: patient.clone(),
                account: AccountView::new(&acc, now, &self.hasher),
                notice,
                others,
            })
        })?;
        tracing::info!(account_id = id, operator = s.name(), "guardian removed");
        Ok(removed)
    }

    /// Whether an account's login email may change from `old` to `new`,
    /// checked without writing (an administrator's form asks before its
    /// confirmation): the refusal [`Portal::change_login_email`] would give,
    /// or what it would do. The change itself checks the same rules again.
    pub fn check_login_change(
        &self,
        s: &Session,
        old: &str,
        new: &str,
        expected_version: Option<u64>,
    ) -> Result<LoginChangePlan> {
        s.require_admin("changing a login email")?;
        self.login_change_plan(old, new, expected_version)
    }

    /// The rules of a login change, in one place: the account exists and
    /// is as the caller saw it, the new login is an email, not the same,
    /// no other account's, and no other patient's e-correspondent email.
    fn login_change_plan(
        &self,
        old: &str,
        new: &str,
        expected_version: Option<u64>,
    ) -> Result<LoginChangePlan> {
        let acc = self.find_account(old)?;
        let version = super::check_version(&acc, expected_version)?;
        let new = Email::parse(new).map_err(Error::invalid(Input::NewEmail))?;
        if new == acc.email {
            return Err(Refusal::SameLogin { email: new }.into());
        }
        let read = self.store.read()?;
        if read.account_by_email(&new)?.is_some() {
            return Err(Refusal::LoginTaken { email: new }.into());
        }
        not_another_patients_email(&acc, &new, read.patients_with_email(new.as_str())?)?;
        Ok(LoginChangePlan {
            old: acc.email,
            new,
            account_id: acc.id,
            version,
        })
    }

    /// Changes the login email of an account (administrators). The
    /// password does not change; the old and the new address are recorded
    /// and each gets a notice. Refused as [`Portal::check_login_change`]
    /// says.
    pub fn change_login_email(
        &self,
        s: &Session,
        old: &str,
        new: &str,
        expected_version: Option<u64>,
    ) -> Result<LoginChanged> {
        self.authorize(
            s,
            Role::Admin,
            "changing a login email",
            Action::LoginEmailChanged,
            &format!("account <{}>", old.trim()),
        )?;
        let LoginChangePlan {
            old,
            new,
            account_id,
            version: observed,
        } = self.login_change_plan(old, new, expected_version)?;
        let changed = self.store.write(self.now(), |tx| {
            let now = tx.now();
            let mut acc = super::reread(tx, account_id, observed)?;
            // Checked again where it is written: another process may have
            // made the login an account or a patient's email since.
            if tx.account_by_email(&new)?.is_some() {
                return Err(Refusal::LoginTaken { email: new.clone() }.into());
            }
            not_another_patients_email(&acc, &new, tx.patients_with_email(new.as_str())?)?;
            tx.change_login(&acc, &new)?;
            acc.email = new.clone();
            bump(&mut acc, now);
            tx.put_account(&acc)?;
            let happened = Happened::LoginEmailChanged {
                old: old.clone(),
                new: new.clone(),
            };
            let mut notices = Vec::new();
            notices.extend(self.queue_notice(tx, &acc, &old, happened.clone())?);
            notices.extend(self.queue_notice(tx, &acc, &new, happened)?);
            let mut outcome = format!("success (from {old} to {new}; password unchanged");
            if !notices.is_empty() {
                let ids: Vec<String> = notices.iter().map(u64::to_string).collect();
                outcome.push_str(&format!("; notices {} queued", ids.join(" and ")));
            }
            outcome.push(')');
            tx.audit(NewEvent {
                actor: s.actor(),
                action: Action::LoginEmailChanged,
                target: account_target(&acc),
                outcome,
            })?;
            Ok(LoginChanged {
                old: old.clone(),
                account: AccountView::new(&acc, now, &self.hasher),
                notices,
            })
        })?;
        tracing::info!(
            account_id = changed.account.id,
            operator = s.name(),
            "login email changed"
        );
        Ok(changed)
    }
}

/// An audit outcome `success (…)` with the notices to the other guardians
/// added inside its parentheses.
fn others_told(outcome: String, others: &[u64]) -> String {
    if others.is_empty() {
        return outcome;
    }
    let ids: Vec<String> = others.iter().map(u64::to_string).collect();
    let told = format!(
        "other guardians told: notice{} {} queued",
        if ids.len() == 1 { "" } else { "s" },
        ids.join(", ")
    );
    match outcome.strip_suffix(')') {
        Some(open) => format!("{open}; {told})"),
        None => format!("{outcome} ({told})"),
    }
}

/// A new portal account with a temporary password, holding one patient.
pub(super) fn new_account(
    email: Email,
    patient: &str,
    hash: &crate::domain::PasswordHash,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> PortalAccount {
    PortalAccount {
        id: 0,
        email,
        patients: vec![patient.to_owned()],
        password_hash: hash.clone(),
        password_kind: PasswordKind::Temporary,
        reset_required: true,
        temp_expires_at: Some(expires_at),
        disabled: false,
        failed_count: 0,
        locked_until: None,
        last_sign_in: None,
        password_history: Vec::new(),
        created_at: now,
        updated_at: now,
        version: 0,
    }
}

/// Refuses a new login that is the e-correspondent email of a patient not
/// on `acc` (`with_email`: every patient with that email): that patient's
/// next Create/Validate would take them into this account.
fn not_another_patients_email(
    acc: &PortalAccount,
    new: &Email,
    with_email: Vec<String>,
) -> Result<()> {
    let others: Vec<String> = with_email
        .into_iter()
        .filter(|p| !acc.patients.contains(p))
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    Err(Refusal::LoginIsAnotherPatientsEmail {
        email: new.clone(),
        patients: others,
    }
    .into())
}

/// Refuses a NEW account for patient `patient` at the login `email` chosen
/// by hand when `email` is the e-correspondent email of other patients
/// (`with_email`: every patient with that email): their next
/// Create/Validate would link them into the account whose temporary
/// password the desk hands out now (fresh eyes, session 6, finding 1).
/// When `email` is the patient's own e-correspondent email, the others who
/// have it are their family by the practice's records, and Create/Validate
/// for the patient would make the very same account: allowed.
pub(super) fn new_login_is_no_other_familys(
    patient: &str,
    email: &Email,
    with_email: Vec<String>,
) -> Result<()> {
    if with_email.is_empty() || with_email.iter().any(|p| p == patient) {
        return Ok(());
    }
    Err(Refusal::NewLoginIsAnotherFamilysEmail {
        email: email.clone(),
        patients: with_email,
    }
    .into())
}
