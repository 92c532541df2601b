//! The account holder's handout: one plain-text page to give or post to
//! them with their temporary login — practice, portal address, username,
//! the password grouped and spelled, its expiry in the practice's time,
//! and what to do next. `crate::handout` writes or prints it.

use zeroize::Zeroizing;

use super::{LocalTime, spelled_groups};
use crate::domain::text::printable;
use crate::services::TemporaryLogin;

/// Width the page is laid out for (a plain-text printer page, and a
/// terminal).
pub const HANDOUT_WIDTH: usize = 72;

/// The handout's text. It holds the password: zeroized when dropped.
pub fn handout(login: &TemporaryLogin, local: &LocalTime) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(2048));
    let practice = printable(&login.practice_name);
    let line = |out: &mut String, s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    let field = |out: &mut String, label: &str, value: &str| {
        out.push_str(&format!("  {label:<20}{value}\n"));
    };
    line(&mut out, &format!("{practice} - patient portal"));
    line(&mut out, &"=".repeat(practice.chars().count() + 17));
    line(&mut out, "");
    line(
        &mut out,
        &format!(
            "Your portal account is ready for {} {}.",
            printable(&login.patient.first_name),
            printable(&login.patient.last_name)
        ),
    );
    line(&mut out, "");
    field(&mut out, "Sign in at:", &printable(&login.sign_in_url));
    field(&mut out, "Username:", login.username.as_str());
    field(&mut out, "Temporary password:", login.password.expose());
    line(&mut out, "");
    line(&mut out, "  The temporary password, read letter by letter:");
    for group in spelled_groups(&login.password).iter() {
        out.push_str("    ");
        out.push_str(group);
        out.push('\n');
    }
    line(&mut out, "");
    field(&mut out, "It expires:", &local.spoken(login.expires_at));
    line(&mut out, "");
    for text in [
        "You will choose your own password at your first sign-in. Type the",
        "temporary password as it is shown; capital or small letters and the",
        "dashes do not matter. It works only until you choose your own.",
        "",
        "If it has expired, or does not work: contact the front desk of",
        &format!("{practice} and ask for a new temporary password."),
        "The practice will never ask you for your own password.",
    ] {
        line(&mut out, text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Action, Email, Patient};
    use crate::secret::Secret;
    use time::macros::{date, datetime};

    fn login() -> TemporaryLogin {
        TemporaryLogin {
            patient: Patient {
                account_number: "100001".into(),
                last_name: "García-López".into(),
                first_name: "José".into(),
                date_of_birth: date!(2019 - 03 - 07),
                email: None,
            },
            username: Email::parse("maria.garcia@example.com").unwrap(),
            password: Secret::from("7KRN-FY3U-46K7-RNFY"),
            expires_at: datetime!(2026-12-01 20:07:00 UTC),
            sign_in_url: "https://portal.example.org/signin".into(),
            practice_name: "Sunshine Pediatrics".into(),
            account_id: 1,
            action: Action::AccountCreated,
            notice: None,
            no_common_last_name: false,
        }
    }

    #[test]
    fn the_handout_has_everything_the_holder_needs() {
        let ny = LocalTime::named("America/New_York").unwrap();
        let text = handout(&login(), &ny);
        for want in [
            "Sunshine Pediatrics - patient portal",
            "José García-López",
            "https://portal.example.org/signin",
            "maria.garcia@example.com",
            "7KRN-FY3U-46K7-RNFY",
            "7 seven · K Kilo · R Romeo · N November",
            "R Romeo · N November · F Foxtrot · Y Yankee",
            "Tue 1 Dec 2026, 3:07 PM EST",
            "You will choose your own password at your first sign-in",
            "If it has expired",
        ] {
            assert!(text.contains(want), "missing {want:?} in:\n{}", *text);
        }
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= HANDOUT_WIDTH, "{widest} columns:\n{}", *text);
    }

    #[test]
    fn text_from_the_database_is_printable_on_the_page() {
        let mut l = login();
        l.practice_name = "Evil\u{1b}[2J Clinic".into();
        l.sign_in_url = "https://x.example/\u{1b}]52;c;AAAA\u{7}".into();
        let text = handout(&l, &LocalTime::utc());
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{}",
            *text
        );
    }
}
