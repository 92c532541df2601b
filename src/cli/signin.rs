//! `signin`: the account holder's sign-in (the portal side).

use clap::Args;

use super::Ctx;
use super::output::line;
use super::secrets::SecretSource;
use crate::error::{Error, Result};
use crate::services::SignIn;

/// How many new passwords `signin` asks for before it gives up.
pub const NEW_PASSWORD_TRIES: usize = 3;

#[derive(Debug, Args)]
pub struct SigninArgs {
    #[arg(long)]
    email: String,
    /// Read the password (then, when a change is required, the new one twice) from standard input.
    #[arg(long)]
    password_stdin: bool,
}

pub(super) fn run(ctx: &Ctx, args: SigninArgs) -> Result<i32> {
    let portal = ctx.open()?;
    let email = &args.email;
    let mut src = SecretSource::new(args.password_stdin);
    let pw = src.read("Password: ")?;
    match portal.holder_sign_in(email, &pw)? {
        SignIn::SignedIn => line("signed in")?,
        SignIn::MustChangePassword => {
            eprintln!("You must choose a new password before you continue.");
            // A refused password asks again (the policy says why), up to
            // three times; anything else ends the command.
            for attempt in 1..=NEW_PASSWORD_TRIES {
                let new = src.read("New password: ")?;
                let confirm = src.read("New password again: ")?;
                match portal.holder_change_password(email, &pw, &new, &confirm) {
                    Ok(()) => {
                        line("password changed; signed in")?;
                        return Ok(0);
                    }
                    Err(e @ Error::Policy(_)) if attempt < NEW_PASSWORD_TRIES => {
                        eprintln!(
                            "portal-admin: {}; try again ({} of {NEW_PASSWORD_TRIES} tries left)",
                            super::errors::message(&e),
                            NEW_PASSWORD_TRIES - attempt
                        );
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(0)
}
