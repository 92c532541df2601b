//! Work that hashes (sign-in, Create/Validate, setting a password) runs on
//! its own thread and answers with a message carrying its request id, so the
//! screen keeps drawing and a cancelled request's late answer is dropped.

use std::sync::Arc;
use std::sync::mpsc::Sender;

use super::msg::Msg;
use super::request::{AccountChange, Reply, Request};
use crate::error::Error;
use crate::services::{CreateValidate, Portal, Session};

pub fn spawn(
    portal: Arc<Portal>,
    session: Option<Session>,
    id: u64,
    request: Request,
    tx: Sender<Msg>,
) {
    std::thread::spawn(move || {
        let reply = run(&portal, session.as_ref(), request);
        // The app may have quit meanwhile; nobody to tell then.
        let _ = tx.send(Msg::Reply {
            id,
            reply: Box::new(reply),
        });
    });
}

/// Does the work of one request and says how it went.
pub fn run(portal: &Portal, session: Option<&Session>, request: Request) -> Reply {
    let need = || {
        session.ok_or(Error::NotSignedIn {
            what: "this action",
        })
    };
    match request {
        Request::SignIn { name, password } => {
            Reply::SignedIn(portal.operator_sign_in(&name, &password))
        }
        Request::ChangeOwnPassword {
            name,
            current,
            new,
            confirm,
        } => Reply::SignedIn(portal.operator_change_password(&name, &current, &new, &confirm)),
        Request::ChangeOperator { name, change } => Reply::OperatorChanged {
            result: need().and_then(|s| portal.change_operator(s, &name, change)),
            change: Some(change),
            name,
        },
        Request::ResetOperatorPassword { name, new, confirm } => Reply::OperatorChanged {
            result: need().and_then(|s| portal.reset_operator_password(s, &name, &new, &confirm)),
            change: None,
            name,
        },
        Request::CreateValidate {
            patient,
            login: _,
            reset_password,
            identity_check,
            version,
        } => {
            let req = CreateValidate::patient(&patient.number)
                .identity_check(identity_check)
                .reset_password(reset_password)
                .expected_version(version);
            Reply::CreateValidated {
                result: need().and_then(|s| portal.create_validate_with(s, &req)),
                patient,
            }
        }
        Request::PrintHandout { text, secrets } => {
            let secrets: Vec<&str> = secrets.iter().map(|s| s.as_str()).collect();
            Reply::Printed(crate::handout::print(
                &portal.config().print,
                &text,
                &secrets,
            ))
        }
        Request::SetPassword {
            account,
            new,
            confirm,
            reset_required,
        } => Reply::AccountChanged {
            result: need().and_then(|s| {
                portal.admin_set_password(
                    s,
                    account.email.as_str(),
                    &new,
                    &confirm,
                    reset_required,
                    Some(account.version),
                )
            }),
            change: AccountChange::PasswordSet { reset_required },
            account,
        },
        Request::Unlock { account } => Reply::AccountChanged {
            result: need()
                .and_then(|s| portal.unlock(s, account.email.as_str(), Some(account.version))),
            change: AccountChange::Unlocked,
            account,
        },
        Request::SetDisabled { account, disabled } => Reply::AccountChanged {
            result: need().and_then(|s| {
                portal.set_disabled(s, account.email.as_str(), disabled, Some(account.version))
            }),
            change: if disabled {
                AccountChange::Disabled
            } else {
                AccountChange::Enabled
            },
            account,
        },
    }
}
