//! Setting up the practice: the portal e-correspondent and the operators.

use super::{Portal, Session};
use crate::domain::text::clean_field;
use crate::domain::{Action, NewEvent, PortalSetup, Role};
use crate::error::{Error, Input, Result};

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
        self.authorize(
            s,
            Role::Admin,
            "setting up the portal e-correspondent",
            Action::SetupChanged,
            "portal e-correspondent",
        )?;
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

    /// Writes a consistent copy of the database to `dest` while others keep
    /// working (administrators; the copy holds patient data).
    pub fn backup(
        &self,
        s: &Session,
        dest: &std::path::Path,
    ) -> Result<crate::store::BackupReport> {
        let target = format!("backup {}", dest.display());
        self.authorize(
            s,
            Role::Admin,
            "making a backup",
            Action::BackupMade,
            &target,
        )?;
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
}
