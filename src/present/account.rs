//! A portal account's status in words, never only in colour.

use crate::services::AccountView;

/// What a patient without a portal account shows as its status.
pub const NO_ACCOUNT: &str = "NO PORTAL ACCOUNT";

/// `ACTIVE`, `LOCKED` or `DISABLED`, then what the holder must still do:
/// `ACTIVE · RESET REQUIRED · TEMPORARY PASSWORD EXPIRED`.
pub fn account_status(acc: &AccountView) -> String {
    let mut s = acc.status.label().to_owned();
    if acc.reset_required {
        s.push_str(" · RESET REQUIRED");
    }
    if acc.temp_expired {
        s.push_str(" · TEMPORARY PASSWORD EXPIRED");
    }
    s
}
