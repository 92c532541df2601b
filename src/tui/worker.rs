//! Work that hashes (sign-in, Create/Validate, setting a password) runs on
//! its own thread and answers with a message carrying its request id, so the
//! screen keeps drawing and a cancelled request's late answer is dropped.

use std::sync::Arc;
use std::sync::mpsc::Sender;

use super::app::{Job, Msg, Outcome, Reply};
use crate::error::Error;
use crate::services::{Portal, Session};

pub fn spawn(portal: Arc<Portal>, session: Option<Session>, id: u64, job: Job, tx: Sender<Msg>) {
    std::thread::spawn(move || {
        let outcome = run(&portal, session.as_ref(), job);
        // The app may have quit meanwhile; nobody to tell then.
        let _ = tx.send(Msg::Reply(Reply { id, outcome }));
    });
}

fn run(portal: &Portal, session: Option<&Session>, job: Job) -> Outcome {
    let need = || session.ok_or(Error::NotSignedIn);
    match job {
        Job::SignIn { name, password } => {
            Outcome::SignedIn(portal.operator_sign_in(&name, &password))
        }
        Job::CreateValidate { patient, version } => Outcome::TempLogin(
            need().and_then(|s| portal.create_validate(s, &patient, None, version)),
        ),
        Job::SetPassword {
            email,
            new,
            confirm,
            reset_required,
            version,
        } => Outcome::AccountChanged(
            need().and_then(|s| {
                portal.admin_set_password(
                    s,
                    email.as_str(),
                    &new,
                    &confirm,
                    reset_required,
                    Some(version),
                )
            }),
            "Password set",
        ),
        Job::Unlock { email, version } => Outcome::AccountChanged(
            need().and_then(|s| portal.unlock(s, email.as_str(), Some(version))),
            "Unlocked",
        ),
        Job::SetDisabled {
            email,
            disabled,
            version,
        } => Outcome::AccountChanged(
            need().and_then(|s| portal.set_disabled(s, email.as_str(), disabled, Some(version))),
            if disabled { "Disabled" } else { "Enabled" },
        ),
    }
}
