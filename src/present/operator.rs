//! An operator's state in words.

use time::OffsetDateTime;

use crate::domain::Operator;

use super::{LocalTime, TimeStyle};

/// `active`, `locked until T`, `disabled` or `removed`, then `, must choose
/// a new password` after an administrator reset it. T is the practice's
/// local time in `style`: spoken in the app (`Tue 1 Dec 2026, 3:22 PM
/// EST`), RFC 3339 with the offset at the command line.
pub fn operator_state(
    op: &Operator,
    now: OffsetDateTime,
    local: &LocalTime,
    style: TimeStyle,
) -> String {
    let mut s = match op.locked_until {
        _ if op.is_removed() => "removed".to_owned(),
        _ if op.disabled => "disabled".to_owned(),
        Some(t) if t > now => format!("locked until {}", local.format(t, style)),
        _ => "active".to_owned(),
    };
    if op.must_change_password && !op.is_removed() {
        s.push_str(", must choose a new password");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PasswordHash;
    use time::macros::datetime;

    #[test]
    fn a_lockout_ends_at_the_practices_local_time() {
        let now = datetime!(2026-12-01 20:07:00 UTC);
        let mut op = Operator::new(
            "sam".into(),
            crate::domain::Role::Staff,
            PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
            now,
        );
        op.locked_until = Some(now + time::Duration::minutes(15));
        let ny = LocalTime::named("America/New_York").unwrap();
        assert_eq!(
            operator_state(&op, now, &ny, TimeStyle::Rfc3339),
            "locked until 2026-12-01T15:22:00-05:00"
        );
        assert_eq!(
            operator_state(&op, now, &ny, TimeStyle::Spoken),
            "locked until Tue 1 Dec 2026, 3:22 PM EST"
        );
        op.must_change_password = true;
        op.locked_until = None;
        assert_eq!(
            operator_state(&op, now, &ny, TimeStyle::Spoken),
            "active, must choose a new password"
        );
    }
}
