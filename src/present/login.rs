//! A temporary login as text: what staff read to the account holder.

use zeroize::Zeroizing;

use super::{LocalTime, TimeStyle, spelled};
use crate::domain::text::printable;
use crate::services::TemporaryLogin;

/// Said with every temporary login.
pub const LOGIN_READ_ALOUD: [&str; 2] = [
    "No email was sent: read this login to the account holder.",
    "They must choose a new password at their first sign-in.",
];

/// What staff are told under a temporary login: [`LOGIN_READ_ALOUD`] when
/// no notice was queued; when one was (`noticed`), that the account holder
/// is told by email of the reset, but never sent the password.
pub fn login_read_aloud(noticed: bool) -> [&'static str; 2] {
    if noticed {
        [
            "The password is never sent by email (a notice only tells the account holder of the change): read this login to them.",
            LOGIN_READ_ALOUD[1],
        ]
    } else {
        LOGIN_READ_ALOUD
    }
}

fn lines(login: &TemporaryLogin, expires: String) -> [(&'static str, Zeroizing<String>); 4] {
    [
        ("username", Zeroizing::new(login.username.to_string())),
        (
            "temporary password",
            Zeroizing::new(login.password.expose().to_owned()),
        ),
        ("expires", Zeroizing::new(expires)),
        ("sign-in URL", Zeroizing::new(printable(&login.sign_in_url))),
    ]
}

fn join(lines: &[(&'static str, Zeroizing<String>)]) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::new());
    for (label, value) in lines {
        text.push_str(label);
        text.push_str(": ");
        text.push_str(value);
        text.push('\n');
    }
    text
}

/// Label and value of each line, in reading order: username, temporary
/// password, the password spelled (`7 seven · K Kilo · …`), expiry in the
/// practice's time (`style`), sign-in URL. The password lines are zeroized
/// when dropped: keep them no longer than they are shown.
pub fn login_lines_in(
    login: &TemporaryLogin,
    local: &LocalTime,
    style: TimeStyle,
) -> [(&'static str, Zeroizing<String>); 5] {
    let [user, pw, expires, url] = lines(login, local.format(login.expires_at, style));
    [
        user,
        pw,
        ("spelled", spelled(&login.password)),
        expires,
        url,
    ]
}

/// `label: value` lines of [`login_lines_in`]: what the CLI prints
/// (`TimeStyle::Rfc3339`) and what the app copies (`TimeStyle::Spoken`).
pub fn login_text_in(
    login: &TemporaryLogin,
    local: &LocalTime,
    style: TimeStyle,
) -> Zeroizing<String> {
    join(&login_lines_in(login, local, style))
}
