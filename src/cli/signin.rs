//! `signin`: the account holder's sign-in (the portal side).

use clap::Args;

use super::Ctx;
use super::output::line;
use super::secrets::SecretSource;
use crate::error::Result;
use crate::services::SignIn;

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
            let new = src.read("New password: ")?;
            let confirm = src.read("New password again: ")?;
            portal.holder_change_password(email, &pw, &new, &confirm)?;
            line("password changed; signed in")?;
        }
    }
    Ok(0)
}
