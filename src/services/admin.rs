//! Setting up the practice: the portal e-correspondent and the operators.

use super::{Portal, Session};
use crate::domain::account::parse_operator_name;
use crate::domain::text::clean_field;
use crate::domain::{Action, NewEvent, Operator, PortalSetup, Role};
use crate::error::{Error, Input, Refusal, Result};
use crate::secret::Secret;

impl Portal {
    pub fn portal_setup(&self) -> Result<Option<PortalSetup>> {
        self.store.read()?.portal_setup()
    }

    /// Sets up (or changes) the OP Patient Portal e-correspondent: where
    /// account holders sign in and the practice's portal id.
    pub fn setup_portal(
        &self,
        s: &Session,
        sign_in_url: &str,
        practice_id: &str,
        practice_name: Option<&str>,
    ) -> Result<PortalSetup> {
        s.require_admin("setting up the portal e-correspondent")?;
        let url = clean_field("the sign-in URL", sign_in_url, 300)
            .map_err(Error::invalid(Input::SignInUrl))?;
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.contains(' ') {
            return Err(Error::Invalid {
                input: Input::SignInUrl,
                problem: format!(
                    "the sign-in URL \"{url}\" must start with https:// (for example https://portal.example.org/signin)"
                ),
            });
        }
        let practice_id = clean_field("the practice id", practice_id, 64)
            .map_err(Error::invalid(Input::PracticeId))?;
        let practice_name = practice_name
            .map(|n| clean_field("the practice name", n, 120))
            .transpose()
            .map_err(Error::invalid(Input::PracticeName))?;
        let setup = PortalSetup {
            sign_in_url: url,
            practice_id,
            practice_name,
        };
        self.store.write(self.now(), |tx| {
            let before = tx.portal_setup()?;
            tx.set_portal_setup(&setup)?;
            let target = format!(
                "portal e-correspondent: sign-in URL {}, practice id {}{}",
                setup.sign_in_url,
                setup.practice_id,
                if before.is_some() {
                    " (changed)"
                } else {
                    " (first set-up)"
                }
            );
            tx.audit(NewEvent::success(&s.actor(), Action::SetupChanged, target))
        })?;
        tracing::info!(operator = s.name(), "portal e-correspondent set up");
        Ok(setup)
    }

    /// Adds an operator with a password given twice (checked by the policy).
    pub fn add_operator(
        &self,
        s: &Session,
        name: &str,
        role: Role,
        password: &Secret,
        confirm: &Secret,
    ) -> Result<()> {
        s.require_admin("adding an operator")?;
        let name = parse_operator_name(name).map_err(Error::invalid(Input::OperatorName))?;
        if self.store.read()?.operator(&name)?.is_some() {
            return Err(Refusal::OperatorExists { name }.into());
        }
        let mut inputs = self.user_inputs(None, None)?;
        inputs.push(name.clone());
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        self.policy.check_new(password, confirm, &refs)?;
        let hash = self.hasher.hash(password)?;
        self.store.write(self.now(), |tx| {
            if tx.operator(&name)?.is_some() {
                return Err(Error::Conflict(format!("the operator {name}")));
            }
            tx.put_operator(&Operator::new(name.clone(), role, hash, tx.now()))?;
            tx.audit(NewEvent::success(
                &s.actor(),
                Action::OperatorAdded,
                format!("operator {name} (role {})", role.as_str()),
            ))
        })?;
        tracing::info!(
            operator = s.name(),
            new_operator = name.as_str(),
            "operator added"
        );
        Ok(())
    }

    /// Writes a consistent copy of the database to `dest` while others keep
    /// working (administrators; the copy holds patient data).
    pub fn backup(
        &self,
        s: &Session,
        dest: &std::path::Path,
    ) -> Result<crate::store::BackupReport> {
        s.require_admin("making a backup")?;
        let report = self.store.backup_to(dest)?;
        self.store.write(self.now(), |tx| {
            tx.audit(NewEvent {
                actor: s.actor(),
                action: Action::BackupMade,
                target: format!(
                    "backup {}",
                    crate::domain::text::printable(&dest.display().to_string())
                ),
                outcome: format!("success: {} rows", report.rows),
            })
        })?;
        tracing::info!(operator = s.name(), rows = report.rows, "backup written");
        Ok(report)
    }

    /// Operators, for `operator list`: name, role, lock state, last sign-in.
    pub fn operators(&self) -> Result<Vec<Operator>> {
        self.store.read()?.operators()
    }
}
