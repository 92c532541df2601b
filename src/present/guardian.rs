//! A guardian link in words: who, and where their access stands ("full
//! access, limited from Sun 14 Mar 2027", "ended Tue 14 Mar 2033").

use super::LocalTime;
use crate::domain::LinkStatus;
use crate::domain::guardian::Change;
use crate::services::GuardianView;

/// Where a guardian's access stands, for the account pane:
/// `full access, limited from Sun 14 Mar 2027`, `limited access, ends Tue
/// 14 Mar 2033`, `full access` (a patient's own account), `ended Tue 14 Mar
/// 2033`.
pub fn guardian_status(g: &GuardianView, local: &LocalTime) -> String {
    match g.status {
        LinkStatus::Active { access, next } => match next {
            Some(Change::LimitedFrom { on }) => {
                format!("{access} access, limited from {}", local.day_of(on))
            }
            Some(Change::Ends { on }) => format!("{access} access, ends {}", local.day_of(on)),
            None => format!("{access} access"),
        },
        LinkStatus::Ended { on } => format!("ended {}", local.day_of(on)),
    }
}

/// One guardian on one line: `maria@example.com (mother): full access,
/// limited from Sun 14 Mar 2027`.
pub fn guardian_summary(g: &GuardianView, local: &LocalTime) -> String {
    crate::domain::text::printable(&format!(
        "{} ({}): {}",
        g.account.email,
        g.relationship,
        guardian_status(g, local)
    ))
}

/// For an administrator's confirmation (or the CLI) when a link they add
/// back was removed: `The link was removed on Tue 1 Dec 2026 by ana
/// (reason: custody order 12 Nov); adding it back is your decision.`
pub fn removed_note(r: &crate::domain::RemovedLink, local: &LocalTime) -> String {
    format!(
        "The link was removed on {} by {} (reason: {}); adding it back is your decision.",
        local.day(r.on),
        crate::domain::text::printable(&r.by),
        crate::domain::text::printable(&r.reason)
    )
}
