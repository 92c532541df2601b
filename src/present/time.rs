//! Times in the practice's time zone (`ui.time_zone`, an IANA name, or the
//! system's): what staff read aloud (`Tue 1 Dec 2026, 3:07 PM EST`) and
//! what the CLI prints (RFC 3339 with the local offset,
//! `2026-12-01T15:07:00-05:00`). JSON and the audit trail stay in UTC.
//! Time zones come from the IANA database through `jiff`, which reads the
//! system's copy (`/usr/share/zoneinfo`) so the operating system's updates
//! keep it current.

use jiff::tz::TimeZone;
use time::OffsetDateTime;

use crate::config::UiConfig;
use crate::error::{Error, Result};

/// Which form a time takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStyle {
    /// What staff read aloud: `Tue 1 Dec 2026, 3:07 PM EST` (the app, the handout).
    Spoken,
    /// RFC 3339 with the local offset: `2026-12-01T15:07:00-05:00` (the CLI).
    Rfc3339,
}

/// The practice's clock face. Cheap to clone; build it once from the config.
#[derive(Debug, Clone)]
pub struct LocalTime {
    tz: TimeZone,
    name: String,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl LocalTime {
    /// The zone `ui.time_zone` names, or the system's when it names none.
    /// A `TZ` that names no zone this machine knows is refused rather than
    /// read as UTC: staff would tell a parent the wrong expiry.
    pub fn new(ui: &UiConfig) -> Result<LocalTime> {
        match &ui.time_zone {
            Some(name) => Self::named(name)
                .map_err(|e| Error::Config(format!("ui.time_zone: {}", e_text(&e)))),
            None => {
                let tz_var = std::env::var("TZ").ok().filter(|v| !v.is_empty());
                match (TimeZone::try_system(), tz_var) {
                    (Err(_), Some(v)) => Err(Error::Config(format!(
                        "ui.time_zone is not set and the environment's TZ=\"{}\" is not a time zone this machine knows; set ui.time_zone to an IANA name such as America/New_York",
                        crate::domain::text::printable(&v)
                    ))),
                    _ => Ok(Self::system()),
                }
            }
        }
    }

    /// The zone of an IANA name (`America/New_York`, `UTC`).
    pub fn named(name: &str) -> Result<LocalTime> {
        let tz = Self::zone(name).map_err(Error::Config)?;
        Ok(LocalTime {
            name: tz.iana_name().unwrap_or(name).to_owned(),
            tz,
        })
    }

    /// The system's zone: `TZ`, else `/etc/localtime`; UTC when neither
    /// names a zone this machine knows.
    pub fn system() -> LocalTime {
        match TimeZone::try_system() {
            Ok(tz) => LocalTime {
                name: tz
                    .iana_name()
                    .unwrap_or("the system's time zone")
                    .to_owned(),
                tz,
            },
            Err(e) => {
                tracing::warn!(error = %e, "no system time zone; showing times in UTC");
                Self::utc()
            }
        }
    }

    pub fn utc() -> LocalTime {
        LocalTime {
            tz: TimeZone::UTC,
            name: "UTC".to_owned(),
        }
    }

    /// Looks up an IANA time zone name; the error is a sentence for the
    /// config's message.
    pub(crate) fn zone(name: &str) -> std::result::Result<TimeZone, String> {
        let plausible = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
            && !name.split('/').any(|part| part.is_empty() || part == "..");
        let shown = crate::domain::text::printable(name);
        if !plausible {
            return Err(format!(
                "\"{shown}\" is not a time zone name; use an IANA name such as America/New_York"
            ));
        }
        TimeZone::get(name).map_err(|_| {
            format!(
                "unknown time zone \"{shown}\"; use an IANA name such as America/New_York (see /usr/share/zoneinfo)"
            )
        })
    }

    /// The zone's name, e.g. `America/New_York`.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn zoned(&self, t: OffsetDateTime) -> Option<jiff::ZonedDateTime> {
        let ts = jiff::Timestamp::new(t.unix_timestamp(), t.nanosecond() as i32).ok()?;
        Some(ts.to_zoned_datetime(self.tz.clone()))
    }

    /// As staff read it aloud: `Tue 1 Dec 2026, 3:07 PM EST`.
    pub fn spoken(&self, t: OffsetDateTime) -> String {
        match self.zoned(t) {
            Some(z) => z.strftime("%a %-d %b %Y, %-I:%M %p %Z").to_string(),
            None => crate::format_time(t),
        }
    }

    /// RFC 3339 with the local offset, whole seconds: `2026-12-01T15:07:00-05:00`.
    pub fn rfc3339(&self, t: OffsetDateTime) -> String {
        match self.zoned(t) {
            Some(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            None => crate::format_time(t),
        }
    }

    /// `t` in `style`.
    pub fn format(&self, t: OffsetDateTime, style: TimeStyle) -> String {
        match style {
            TimeStyle::Spoken => self.spoken(t),
            TimeStyle::Rfc3339 => self.rfc3339(t),
        }
    }

    /// The local day of a time: `Tue 1 Dec 2026`.
    pub fn day(&self, t: OffsetDateTime) -> String {
        match self.zoned(t) {
            Some(z) => z.strftime("%a %-d %b %Y").to_string(),
            None => crate::format_time(t),
        }
    }

    /// The calendar day it is at `t` in the practice's zone (birthdays turn
    /// at the practice's midnight, not UTC's).
    pub fn today(&self, t: OffsetDateTime) -> time::Date {
        self.zoned(t)
            .and_then(|z| {
                let d = z.date();
                let month = time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
                time::Date::from_calendar_date(
                    i32::from(d.year()),
                    month,
                    u8::try_from(d.day()).ok()?,
                )
                .ok()
            })
            .unwrap_or_else(|| t.date())
    }

    /// A calendar day as staff read it: `Sun 14 Mar 2027`.
    pub fn day_of(&self, d: time::Date) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        format!(
            "{} {} {} {}",
            DAYS[usize::from(d.weekday().number_days_from_monday())],
            d.day(),
            MONTHS[usize::from(u8::from(d.month())) - 1],
            d.year()
        )
    }

    /// A calendar date (a date of birth, no zone): `7 Mar 2019`.
    pub fn date(&self, d: time::Date) -> String {
        format!(
            "{} {} {}",
            d.day(),
            MONTHS[usize::from(u8::from(d.month())) - 1],
            d.year()
        )
    }
}

fn e_text(e: &Error) -> String {
    match e {
        Error::Config(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn new_york_in_winter_and_summer() {
        let ny = LocalTime::named("America/New_York").unwrap();
        let winter = datetime!(2026-12-01 20:07:00 UTC);
        assert_eq!(ny.spoken(winter), "Tue 1 Dec 2026, 3:07 PM EST");
        assert_eq!(ny.rfc3339(winter), "2026-12-01T15:07:00-05:00");
        let summer = datetime!(2026-07-04 13:30:00 UTC);
        assert_eq!(ny.spoken(summer), "Sat 4 Jul 2026, 9:30 AM EDT");
        assert_eq!(ny.rfc3339(summer), "2026-07-04T09:30:00-04:00");
        assert_eq!(ny.day(winter), "Tue 1 Dec 2026");
        assert_eq!(ny.name(), "America/New_York");
    }

    #[test]
    fn a_local_day_can_differ_from_the_utc_day() {
        let la = LocalTime::named("America/Los_Angeles").unwrap();
        let t = datetime!(2026-01-06 03:00:00 UTC);
        assert_eq!(la.spoken(t), "Mon 5 Jan 2026, 7:00 PM PST");
    }

    #[test]
    fn the_local_day_turns_at_the_practices_midnight() {
        let ny = LocalTime::named("America/New_York").unwrap();
        // 04:59 UTC on 14 March is still 13 March in New York (EST).
        assert_eq!(
            ny.today(datetime!(2027-03-14 04:59:00 UTC)),
            date!(2027 - 03 - 13)
        );
        assert_eq!(
            ny.today(datetime!(2027-03-14 05:00:00 UTC)),
            date!(2027 - 03 - 14)
        );
        assert_eq!(ny.day_of(date!(2027 - 03 - 14)), "Sun 14 Mar 2027");
    }

    #[test]
    fn utc_and_dates() {
        let utc = LocalTime::utc();
        assert_eq!(
            utc.rfc3339(datetime!(2026-01-05 09:00:00 UTC)),
            "2026-01-05T09:00:00+00:00"
        );
        assert_eq!(utc.date(date!(2019 - 03 - 07)), "7 Mar 2019");
    }

    #[test]
    fn unknown_and_hostile_zone_names_are_refused_in_words() {
        for bad in [
            "Mars/Olympus_Mons",
            "",
            "../../etc/passwd",
            "America//New_York",
            "Europe/Paris\u{1b}[2J",
            &"A".repeat(200),
        ] {
            let err = LocalTime::zone(bad).unwrap_err();
            assert!(err.contains("IANA name"), "{bad:?}: {err}");
            assert!(!err.contains('\u{1b}'), "{err}");
        }
    }

    #[test]
    fn the_config_key_is_named() {
        let ui = UiConfig {
            time_zone: Some("Atlantis/Capital".into()),
            ..UiConfig::default()
        };
        let msg = LocalTime::new(&ui).unwrap_err().to_string();
        assert!(
            msg.contains("ui.time_zone") && msg.contains("Atlantis"),
            "{msg}"
        );
    }
}
