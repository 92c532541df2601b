//! Guardians: who holds portal access to a patient. A patient has any
//! number of guardian links, each to a portal account (its holder's own
//! login), with a relationship and an access level; one account may hold
//! several patients (siblings). Access changes with the patient's age
//! (`guardians.*` in the config): limited from one birthday, ended at
//! another, when the patient may have an account of their own (`self`).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

/// How the account holder is related to the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Mother,
    Father,
    Guardian,
    /// The patient's own account.
    #[serde(rename = "self")]
    Own,
    Other,
}

impl Relationship {
    pub const ALL: [Relationship; 5] = [
        Relationship::Mother,
        Relationship::Father,
        Relationship::Guardian,
        Relationship::Own,
        Relationship::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Mother => "mother",
            Relationship::Father => "father",
            Relationship::Guardian => "guardian",
            Relationship::Own => "self",
            Relationship::Other => "other",
        }
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Relationship {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Relationship::ALL
            .into_iter()
            .find(|r| r.as_str() == t)
            .ok_or_else(|| {
                format!(
                    "the relationship must be mother, father, guardian, self or other, not \"{}\"",
                    super::text::printable(s.trim())
                )
            })
    }
}

/// What a guardian may see in the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// What the portal offers a parent (less than full is `limited`).
    Full,
    /// The portal's limited view (adolescent confidentiality).
    Limited,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Full => "full",
            Access::Limited => "limited",
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Access {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(Access::Full),
            "limited" => Ok(Access::Limited),
            _ => Err(format!(
                "the access must be full or limited, not \"{}\"",
                super::text::printable(s.trim())
            )),
        }
    }
}

/// One guardian link of a patient to a portal account, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianLink {
    pub relationship: Relationship,
    /// The access granted; the age rules may limit or end it sooner.
    pub access: Access,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
}

/// A guardian link an administrator removed (a custody change), kept so
/// that staff never put it back by a routine Create/Validate or an added
/// guardian: only an administrator may, and is told when and why it was
/// removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedLink {
    #[serde(with = "time::serde::rfc3339")]
    pub on: OffsetDateTime,
    /// The administrator who removed it.
    pub by: String,
    /// The reason they recorded.
    pub reason: String,
}

/// The practice's age rules (`guardians.*` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeRules {
    /// A guardian's access is limited from this birthday.
    pub limited_from_age: u8,
    /// A guardian's access ends at this birthday.
    pub end_at_age: u8,
    /// A patient may have an account of their own (`self`) from this birthday.
    pub self_account_from_age: u8,
}

/// Where a guardian link stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LinkStatus {
    /// In effect, with this access; `next` is the coming change, if any.
    Active {
        access: Access,
        next: Option<Change>,
    },
    /// Ended on `on` (the patient reached the end age): not offered for
    /// resets.
    Ended { on: Date },
}

/// A coming change of a link's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Access becomes limited on this day.
    LimitedFrom { on: Date },
    /// The link ends on this day.
    Ends { on: Date },
}

impl LinkStatus {
    pub fn is_ended(&self) -> bool {
        matches!(self, LinkStatus::Ended { .. })
    }

    /// The access in effect (`None` when ended).
    pub fn access(&self) -> Option<Access> {
        match self {
            LinkStatus::Active { access, .. } => Some(*access),
            LinkStatus::Ended { .. } => None,
        }
    }
}

/// The day a person born on `born` turns `age`. Someone born on 29
/// February has their birthday on 1 March in other years (the day after
/// 28 February, when they have lived the full number of years).
pub fn birthday(born: Date, age: u8) -> Date {
    let year = born.year() + i32::from(age);
    Date::from_calendar_date(year, born.month(), born.day()).unwrap_or_else(|_| {
        // Only 29 February can be missing.
        Date::from_calendar_date(year, Month::March, 1).unwrap_or(born)
    })
}

/// Whole years a person born on `born` has lived on `today`.
pub fn age_on(born: Date, today: Date) -> u32 {
    let mut years = (today.year() - born.year()).max(0);
    while years > 0 && birthday(born, years.min(255) as u8) > today {
        years -= 1;
    }
    years as u32
}

impl AgeRules {
    /// Where `link` stands on `today`, for a patient born on `born`. A
    /// patient's own account (`self`) is never limited or ended by age.
    pub fn status(&self, link: &GuardianLink, born: Date, today: Date) -> LinkStatus {
        if link.relationship == Relationship::Own {
            return LinkStatus::Active {
                access: link.access,
                next: None,
            };
        }
        let ends = birthday(born, self.end_at_age);
        if today >= ends {
            return LinkStatus::Ended { on: ends };
        }
        let limited = birthday(born, self.limited_from_age);
        if link.access == Access::Limited || today >= limited {
            return LinkStatus::Active {
                access: Access::Limited,
                next: Some(Change::Ends { on: ends }),
            };
        }
        LinkStatus::Active {
            access: Access::Full,
            next: Some(if limited < ends {
                Change::LimitedFrom { on: limited }
            } else {
                Change::Ends { on: ends }
            }),
        }
    }

    /// The first day a patient born on `born` may have their own account.
    pub fn self_account_from(&self, born: Date) -> Date {
        birthday(born, self.self_account_from_age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const RULES: AgeRules = AgeRules {
        limited_from_age: 12,
        end_at_age: 18,
        self_account_from_age: 13,
    };

    fn link(relationship: Relationship, access: Access) -> GuardianLink {
        GuardianLink {
            relationship,
            access,
            since: datetime!(2026-01-05 09:00 UTC),
        }
    }

    #[test]
    fn a_parents_access_is_limited_at_twelve_and_ends_at_eighteen_on_the_birthdays() {
        let born = date!(2015 - 03 - 14);
        let mother = link(Relationship::Mother, Access::Full);
        assert_eq!(
            RULES.status(&mother, born, date!(2027 - 03 - 13)),
            LinkStatus::Active {
                access: Access::Full,
                next: Some(Change::LimitedFrom {
                    on: date!(2027 - 03 - 14)
                })
            }
        );
        assert_eq!(
            RULES.status(&mother, born, date!(2027 - 03 - 14)),
            LinkStatus::Active {
                access: Access::Limited,
                next: Some(Change::Ends {
                    on: date!(2033 - 03 - 14)
                })
            }
        );
        assert!(
            !RULES
                .status(&mother, born, date!(2033 - 03 - 13))
                .is_ended()
        );
        assert_eq!(
            RULES.status(&mother, born, date!(2033 - 03 - 14)),
            LinkStatus::Ended {
                on: date!(2033 - 03 - 14)
            }
        );
    }

    #[test]
    fn limited_access_granted_stays_limited_and_self_never_ends() {
        let born = date!(2020 - 06 - 01);
        let limited = link(Relationship::Other, Access::Limited);
        assert_eq!(
            RULES.status(&limited, born, date!(2026 - 01 - 05)).access(),
            Some(Access::Limited)
        );
        let own = link(Relationship::Own, Access::Full);
        assert_eq!(
            RULES.status(&own, born, date!(2060 - 01 - 01)),
            LinkStatus::Active {
                access: Access::Full,
                next: None
            }
        );
    }

    #[test]
    fn a_leap_day_birthday_falls_on_the_first_of_march_in_other_years() {
        let born = date!(2016 - 02 - 29);
        assert_eq!(birthday(born, 12), date!(2028 - 02 - 29));
        assert_eq!(birthday(born, 13), date!(2029 - 03 - 01));
        assert_eq!(age_on(born, date!(2029 - 02 - 28)), 12);
        assert_eq!(age_on(born, date!(2029 - 03 - 01)), 13);
        assert_eq!(age_on(born, date!(2016 - 02 - 29)), 0);
    }

    #[test]
    fn relationships_and_access_read_as_typed() {
        assert_eq!("Mother".parse::<Relationship>(), Ok(Relationship::Mother));
        assert_eq!(" self ".parse::<Relationship>(), Ok(Relationship::Own));
        assert!(
            "aunt"
                .parse::<Relationship>()
                .unwrap_err()
                .contains("mother, father")
        );
        assert_eq!("LIMITED".parse::<Access>(), Ok(Access::Limited));
        assert!("some".parse::<Access>().is_err());
        assert_eq!(
            serde_json::to_string(&Relationship::Own).unwrap(),
            "\"self\""
        );
    }
}
