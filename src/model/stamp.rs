//! A moment with the UTC offset it was recorded in, so a ledger kept in several places can be
//! merged by time and still show each entry in its writer's local time.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use jiff::fmt::temporal::Pieces;
use jiff::tz::Offset;
use jiff::{Timestamp, civil};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub instant: Timestamp,
    pub offset: Offset,
}

impl Stamp {
    /// Now, in the system's time zone, to the millisecond (finer is noise in a ledger).
    ///
    /// The offset comes from the C library (`TZ`, else /etc/localtime) rather than from
    /// jiff's time zone database, whose first use walks all of /usr/share/zoneinfo: two
    /// thirds of rectify's start-up before this change.
    pub fn now() -> Stamp {
        let instant = Timestamp::from_millisecond(Timestamp::now().as_millisecond())
            .expect("a current time is in range");
        Stamp {
            instant,
            offset: local_offset(instant).unwrap_or(Offset::UTC),
        }
    }

    /// The writer's local date and time.
    pub fn local(&self) -> civil::DateTime {
        self.offset.to_datetime(self.instant)
    }

    pub fn date(&self) -> civil::Date {
        self.local().date()
    }

    /// Later than `now`: dated in the future (a clock that ran ahead).
    pub fn is_after(&self, now: Stamp) -> bool {
        self.instant > now.instant
    }

    /// `2026-11-29 14:03`, the writer's wall clock, for lists.
    pub fn short(&self) -> String {
        self.local().strftime("%Y-%m-%d %H:%M").to_string()
    }
}

/// The local UTC offset at `t`, from `localtime_r`.
#[allow(unsafe_code)] // localtime_r: the C library's time zone rules, which jiff does not read.
fn local_offset(t: Timestamp) -> Option<Offset> {
    let secs = libc::time_t::try_from(t.as_second()).ok()?;
    // SAFETY: `tm` is plain data; localtime_r writes it and returns it or null.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::localtime_r(&secs, &mut tm) };
    if r.is_null() {
        return None;
    }
    Offset::from_seconds(i32::try_from(tm.tm_gmtoff).ok()?).ok()
}

impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant
            .cmp(&other.instant)
            .then(self.offset.seconds().cmp(&other.offset.seconds()))
    }
}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.instant.display_with_offset(self.offset))
    }
}

/// A text that is not a time with a UTC offset.
#[derive(Debug, thiserror::Error)]
#[error("{text:?} is not a time with a UTC offset: {why}")]
pub struct BadStamp {
    text: String,
    why: String,
}

impl FromStr for Stamp {
    type Err = BadStamp;

    /// RFC 3339 with an offset (`2026-11-29T14:03:00+08:00`); `Z` reads as UTC.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |e: &dyn fmt::Display| BadStamp {
            text: s.to_string(),
            why: e.to_string(),
        };
        let pieces = Pieces::parse(s).map_err(|e| bad(&e))?;
        let offset = pieces
            .to_numeric_offset()
            .ok_or_else(|| bad(&"the offset (+08:00, Z, ...) is missing"))?;
        let time = pieces.time().unwrap_or(civil::Time::midnight());
        let instant = offset
            .to_timestamp(pieces.date().to_datetime(time))
            .map_err(|e| bad(&e))?;
        Ok(Stamp { instant, offset })
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Read in place, not through a String for each of a large ledger's 100,000 times.
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Stamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time with a UTC offset")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Stamp, E> {
                s.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_offset_it_was_written_in() {
        let s: Stamp = "2026-11-29T14:03:00.250+08:00".parse().unwrap();
        assert_eq!(s.to_string(), "2026-11-29T14:03:00.25+08:00");
        assert_eq!(s.short(), "2026-11-29 14:03");
        assert_eq!(s.instant.to_string(), "2026-11-29T06:03:00.25Z");
        let z: Stamp = "2026-11-29T06:03:00Z".parse().unwrap();
        assert_eq!(z.offset, Offset::UTC);
    }

    #[test]
    fn orders_by_instant_whatever_the_offset() {
        let beijing: Stamp = "2026-11-29T14:00:00+08:00".parse().unwrap();
        let london: Stamp = "2026-11-29T07:00:00+00:00".parse().unwrap();
        assert!(beijing < london, "14:00 in Beijing is 06:00 UTC");
    }

    #[test]
    fn refuses_a_time_without_offset() {
        assert!("2026-11-29T14:00:00".parse::<Stamp>().is_err());
        assert!("yesterday".parse::<Stamp>().is_err());
    }
}
