//! `portal-admin demo`: a database seeded with synthetic patients, portal
//! accounts in every state, two demo operators and the portal set up.

use super::{Portal, Session};
use crate::domain::{
    Action, NewEvent, Operator, PasswordKind, PortalAccount, PortalSetup, Relationship, Role,
};
use crate::error::{Refusal, Result};
use crate::secret::Secret;

/// Demo operator names and passwords. They exist only in demo databases,
/// are printed by `demo` and shown on the demo's sign-in screen.
pub const DEMO_STAFF: (&str, &str) = ("staff", "harbor-violet-lantern-42");
pub const DEMO_ADMIN: (&str, &str) = ("admin", "orchid-canyon-pebble-97");

pub const DEMO_SEED: u64 = 20260105;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub patients: u64,
    pub families: u64,
    pub accounts: u64,
    pub locked: u64,
    pub reset_pending: u64,
    pub disabled: u64,
    /// Families whose second parent has a login of their own.
    pub second_parents: u64,
}

impl Portal {
    /// Seeds a new, empty database with demo data, in one transaction.
    /// `progress(done, total)` is called while patients are written.
    pub fn seed_demo(
        &self,
        s: &Session,
        patients: usize,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<DemoSummary> {
        // The file's owner seeds the demo it just created.
        if !s.local {
            s.require_admin("seeding a demo database")?;
        }
        let read = self.store.read()?;
        if read.counts()?.patients > 0 || read.counts()?.operators > 0 {
            return Err(Refusal::NotEmpty {
                path: self.path().to_owned(),
            }
            .into());
        }
        drop(read);
        let now = self.now();
        // Demo account holders all share one hash of a random password that
        // nobody knows (hashing each would take minutes): use
        // Create/Validate in the app to give one a temporary login.
        let mut random = [0u8; 18];
        crate::password::hashing::getrandom_fill(&mut random)?;
        let shared = self.hasher.hash(&Secret::new(
            random.iter().map(|b| format!("{b:02x}")).collect(),
        ))?;
        let ops = [(DEMO_STAFF, Role::Staff), (DEMO_ADMIN, Role::Admin)]
            .map(|((name, pw), role)| self.hasher.hash(&Secret::from(pw)).map(|h| (name, role, h)));
        let total = patients as u64;
        let mut summary = DemoSummary {
            patients: total,
            families: 0,
            accounts: 0,
            locked: 0,
            reset_pending: 0,
            disabled: 0,
            second_parents: 0,
        };
        let actor = s.actor();
        self.store.write(now, |tx| {
            tx.set_demo()?;
            let setup = PortalSetup {
                sign_in_url: "https://portal.example.org/signin".into(),
                practice_id: "DEMO-PEDS".into(),
                practice_name: Some("Sunshine Pediatrics".into()),
            };
            tx.set_portal_setup(&setup)?;
            tx.audit(NewEvent::success(
                &actor,
                Action::SetupChanged,
                format!(
                    "portal e-correspondent: sign-in URL {}, practice id {} (demo)",
                    setup.sign_in_url, setup.practice_id
                ),
            ))?;
            for op in ops {
                let (name, role, hash) = op?;
                tx.put_operator(&Operator::new(name.into(), role, hash, now))?;
                tx.audit(NewEvent::success(
                    &actor,
                    Action::OperatorAdded,
                    format!("operator {name} (role {}, demo)", role.as_str()),
                ))?;
            }
            // About 65% of families with an email have a portal account
            // (about 60% of patients). Accounts first: each patient's row is
            // written once, already showing its portal account.
            let mut batch = crate::store::PatientBatch::new();
            // The links are written after the rows (a link reads its
            // patient's email, to index a login that is not it).
            let mut links = Vec::new();
            let families = crate::demo::families(patients, DEMO_SEED, now.date());
            for (i, fam) in families.enumerate() {
                summary.families += 1;
                let roll = (i as u64).wrapping_mul(2654435761) % 100;
                let account_id = match &fam.email {
                    Some(email) if roll < 65 => {
                        let acc = tx.insert_account(self.demo_account(
                            email,
                            &fam,
                            roll,
                            &shared,
                            now,
                            &mut summary,
                        ))?;
                        // Each parent's account is the children's guardian
                        // link; their rows (below) already show it.
                        let mut link_children = |id: u64, relationship, since| {
                            let link = crate::domain::GuardianLink {
                                relationship,
                                access: crate::domain::Access::Full,
                                since,
                            };
                            for p in &fam.children {
                                links.push((p.account_number.clone(), id, link.clone()));
                            }
                        };
                        link_children(acc.id, Relationship::Guardian, acc.created_at);
                        summary.accounts += 1;
                        // About one family in eight on the portal has a
                        // second parent who signs in with their own email.
                        if roll % 8 == 5 {
                            let second = second_parent_email(&fam, i)?;
                            let mut acc2 =
                                self.demo_account(&second, &fam, 99, &shared, now, &mut summary);
                            acc2.created_at = now - time::Duration::days(200);
                            let acc2 = tx.insert_account(acc2)?;
                            link_children(acc2.id, Relationship::Father, acc2.created_at);
                            summary.accounts += 1;
                            summary.second_parents += 1;
                        }
                        Some(acc.id)
                    }
                    _ => None,
                };
                for p in &fam.children {
                    batch.push(p, account_id)?;
                }
            }
            tx.put_batch(&batch, &mut |done, all| {
                progress(done * total / all.max(1), total)
            })?;
            for (patient, id, link) in &links {
                tx.put_guardian_link(patient, *id, link)?;
            }
            progress(total, total);
            tx.audit(NewEvent::success(
                &actor,
                Action::DemoSeeded,
                format!(
                    "{} synthetic patients, {} portal accounts",
                    summary.patients, summary.accounts
                ),
            ))?;
            Ok(())
        })?;
        self.compact_after(total)?;
        Ok(summary)
    }

    /// A demo portal account for a family, in the state its `roll` (0–64)
    /// gives: a few locked, with a reset pending or expired, or disabled.
    fn demo_account(
        &self,
        email: &crate::domain::Email,
        fam: &crate::demo::Family,
        roll: u64,
        shared: &crate::domain::PasswordHash,
        now: time::OffsetDateTime,
        summary: &mut DemoSummary,
    ) -> PortalAccount {
        let mut acc = PortalAccount {
            id: 0,
            email: email.clone(),
            patients: fam
                .children
                .iter()
                .map(|p| p.account_number.clone())
                .collect(),
            password_hash: shared.clone(),
            password_kind: PasswordKind::Chosen,
            reset_required: false,
            temp_expires_at: None,
            disabled: false,
            failed_count: 0,
            locked_until: None,
            last_sign_in: Some(now - time::Duration::days((roll as i64 * 7) % 200 + 1)),
            password_history: Vec::new(),
            created_at: now - time::Duration::days(400),
            updated_at: now - time::Duration::days(30),
            version: 1,
        };
        match roll {
            0..4 => {
                acc.failed_count = self.config.lockout.max_failures;
                acc.locked_until = Some(now + time::Duration::hours(12));
                summary.locked += 1;
            }
            4..7 => {
                acc.password_kind = PasswordKind::Temporary;
                acc.reset_required = true;
                acc.temp_expires_at = Some(now + time::Duration::hours(30));
                acc.last_sign_in = None;
                summary.reset_pending += 1;
            }
            7..9 => {
                acc.password_kind = PasswordKind::Temporary;
                acc.reset_required = true;
                acc.temp_expires_at = Some(now - time::Duration::hours(20));
                summary.reset_pending += 1;
            }
            9..10 => {
                acc.disabled = true;
                summary.disabled += 1;
            }
            _ => {}
        }
        acc
    }
}

/// The login of a demo family's second parent: another address than the
/// family's e-correspondent email (`taylor.brown245@otherdomain.test`).
fn second_parent_email(fam: &crate::demo::Family, i: usize) -> Result<crate::domain::Email> {
    const FIRST: [&str; 3] = ["sam", "chris", "taylor"];
    const DOMAINS: [&str; 3] = ["mail.example.com", "example.net", "otherdomain.test"];
    let family: String = fam
        .children
        .first()
        .map(|p| crate::domain::text::fold(&p.last_name))
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    crate::domain::Email::parse(&format!(
        "{}.{family}{i}@{}",
        // `i` is odd here (see `seed_demo`): `i / 2` takes every name.
        FIRST[(i / 2) % FIRST.len()],
        DOMAINS[i % DOMAINS.len()]
    ))
    .map_err(|e| crate::error::Error::Storage(format!("a demo login: {e}")))
}
