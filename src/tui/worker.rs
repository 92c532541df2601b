//! Work that hashes (sign-in, Create/Validate, setting a password) runs on
//! its own thread and answers with a message carrying its request id, so the
//! screen keeps drawing and a cancelled request's late answer is dropped.

use std::sync::Arc;
use std::sync::mpsc::Sender;

use super::msg::Msg;
use super::request::{AccountChange, Reply, Request};
use crate::error::Error;
use crate::services::{AddGuardian, CreateValidate, Portal, SendReport, Session};

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
            login,
            guardian,
            reset_password,
            identity_check,
            version,
        } => {
            let req = CreateValidate::patient(&patient.number)
                .email(guardian.map(|e| e.to_string()))
                .identity_check(identity_check)
                .reset_password(reset_password)
                .as_confirmed(login.as_str(), version);
            Reply::CreateValidated {
                result: need().and_then(|s| portal.create_validate_with(s, &req)),
                patient,
            }
        }
        Request::AddGuardian {
            patient,
            email,
            relationship,
            access,
            identity_check,
            expected,
        } => {
            let req = AddGuardian::new(&patient.number, email, relationship)
                .access(access)
                .identity_check(identity_check)
                .expect(expected);
            Reply::GuardianAdded {
                result: need().and_then(|s| portal.add_guardian(s, &req).map(Box::new)),
                patient,
            }
        }
        Request::RemoveGuardian {
            patient,
            email,
            reason,
        } => Reply::GuardianRemoved {
            result: need()
                .and_then(|s| portal.remove_guardian(s, &patient.number, email.as_str(), &reason)),
            patient,
            email,
        },
        Request::ChangeLoginEmail { account, new } => Reply::LoginChanged {
            result: need().and_then(|s| {
                portal.change_login_email(s, account.email.as_str(), &new, Some(account.version))
            }),
            account,
        },
        Request::SendNotices { ids } => Reply::NoticesSent {
            result: need().and_then(|s| {
                // One round per notice; each is tried once, now.
                let mut all = SendReport::default();
                for id in &ids {
                    let report = portal.send_notice(s, *id)?;
                    all.attempts.extend(report.attempts);
                    all.pending = report.pending;
                }
                Ok(all)
            }),
            ids,
        },
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
