//! An operator's state in words.

use time::OffsetDateTime;

use crate::domain::Operator;
use crate::format_time;

/// `active`, `locked until T`, `disabled` or `removed`, then `, must choose
/// a new password` after an administrator reset it.
pub fn operator_state(op: &Operator, now: OffsetDateTime) -> String {
    let mut s = match op.locked_until {
        _ if op.is_removed() => "removed".to_owned(),
        _ if op.disabled => "disabled".to_owned(),
        Some(t) if t > now => format!("locked until {}", format_time(t)),
        _ => "active".to_owned(),
    };
    if op.must_change_password && !op.is_removed() {
        s.push_str(", must choose a new password");
    }
    s
}
