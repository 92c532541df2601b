//! A temporary login as text: what staff read to the account holder.

use zeroize::Zeroizing;

use crate::domain::text::printable;
use crate::format_time;
use crate::services::TemporaryLogin;

/// Said with every temporary login.
pub const LOGIN_READ_ALOUD: [&str; 2] = [
    "No email was sent: read this login to the account holder.",
    "They must choose a new password at their first sign-in.",
];

/// Label and value of each line, in reading order. The second holds the
/// password: the caller keeps it no longer than it shows it.
pub fn login_lines(login: &TemporaryLogin) -> [(&'static str, Zeroizing<String>); 4] {
    [
        ("username", Zeroizing::new(login.username.to_string())),
        (
            "temporary password",
            Zeroizing::new(login.password.expose().to_owned()),
        ),
        ("expires", Zeroizing::new(format_time(login.expires_at))),
        ("sign-in URL", Zeroizing::new(printable(&login.sign_in_url))),
    ]
}

/// `label: value` lines, as the CLI prints them and the app copies them.
pub fn login_text(login: &TemporaryLogin) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::new());
    for (label, value) in login_lines(login) {
        text.push_str(label);
        text.push_str(": ");
        text.push_str(&value);
        text.push('\n');
    }
    text
}
