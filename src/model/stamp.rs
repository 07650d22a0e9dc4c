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
        match self.written_form() {
            Some(form) => f.write_str(form.as_str()),
            None => write!(f, "{}", self.instant.display_with_offset(self.offset)),
        }
    }
}

impl Stamp {
    /// `2026-11-29T14:03:00+08:00` without jiff's general printer, for a whole second in a
    /// whole-minute offset (every stamp rectify makes in practice): a save of a large ledger
    /// writes 100,000 of them. `None` for anything else, which jiff prints.
    pub fn written_form(&self) -> Option<WrittenForm> {
        let off = self.offset.seconds();
        if self.instant.subsec_nanosecond() != 0 || off % 60 != 0 {
            return None;
        }
        let t = self.local();
        let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
        let mut b = *b"0000-00-00T00:00:00+00:00";
        // Each pair of digits from a table: dividing each number by ten twice was a third
        // of the time of forming the text.
        let mut two = |at: usize, n: u32| {
            let n = n as usize * 2;
            b[at..at + 2].copy_from_slice(&PAIRS[n..n + 2]);
        };
        two(0, year / 100);
        two(2, year % 100);
        two(5, t.month() as u32);
        two(8, t.day() as u32);
        two(11, t.hour() as u32);
        two(14, t.minute() as u32);
        two(17, t.second() as u32);
        let abs = off.unsigned_abs() / 60;
        two(20, abs / 60);
        two(23, abs % 60);
        if off < 0 {
            b[19] = b'-';
        }
        Some(WrittenForm(b))
    }
}

/// "00" to "99", each pair of digits at twice its number.
static PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// A time as rectify writes it, `2026-11-29T14:03:00+08:00`: ASCII digits and punctuation.
#[derive(Clone, Copy)]
pub struct WrittenForm([u8; 25]);

impl WrittenForm {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("written from ASCII")
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
        if let Some(stamp) = canonical(s) {
            return Ok(stamp);
        }
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

/// `2026-11-29T14:03:00+08:00`, the form rectify writes for a whole second, read without
/// jiff's general parser: a large ledger holds 100,000 of them and this is a sixth of the
/// time. Anything else (fractions, `Z`, a leap second, an impossible date) is left to jiff.
fn canonical(s: &str) -> Option<Stamp> {
    let b: &[u8; 25] = s.as_bytes().try_into().ok()?;
    let layout_ok = b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && matches!(b[19], b'+' | b'-')
        && b[22] == b':';
    if !layout_ok {
        return None;
    }
    let num = |at: usize, len: usize| -> Option<i32> {
        b[at..at + len].iter().try_fold(0i32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i32::from(d - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let (off_h, off_m) = (num(20, 2)?, num(23, 2)?);
    if second > 59 || off_m > 59 || (b[19] == b'-' && off_h == 0 && off_m == 0) {
        return None;
    }
    let sign = if b[19] == b'-' { -1 } else { 1 };
    let offset = Offset::from_seconds(sign * (off_h * 3600 + off_m * 60)).ok()?;
    let date = civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    let time = civil::Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()?;
    let instant = offset.to_timestamp(date.to_datetime(time)).ok()?;
    Some(Stamp { instant, offset })
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // `collect_str` would make a `String` of each.
        match self.written_form() {
            Some(form) => s.serialize_str(form.as_str()),
            None => s.collect_str(self),
        }
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
    fn the_quick_reading_agrees_with_jiff() {
        let slow = |s: &str| -> Option<Stamp> {
            let p = Pieces::parse(s).ok()?;
            let offset = p.to_numeric_offset()?;
            let time = p.time().unwrap_or(civil::Time::midnight());
            Some(Stamp {
                instant: offset.to_timestamp(p.date().to_datetime(time)).ok()?,
                offset,
            })
        };
        let cases = [
            "2026-11-29T14:03:00+08:00",
            "2026-11-29T14:03:00-05:30",
            "2024-02-29T23:59:59+00:00",
            "2023-02-29T10:00:00+08:00",
            "2026-13-01T10:00:00+08:00",
            "2026-11-29T24:00:00+08:00",
            "2026-11-29T14:60:00+08:00",
            "2026-11-29T14:03:60+08:00",
            "2026-11-29T14:03:00+25:59",
            "2026-11-29T14:03:00+26:00",
            "2026-11-29T14:03:00-00:00",
            "0000-01-01T00:00:00+08:00",
            "9999-12-31T23:59:59-25:00",
            "2026-11-29 14:03:00+08:00",
            "2026-11-29T14:03:0a+08:00",
            "+026-11-29T14:03:00+08:00",
        ];
        for s in cases {
            assert!(canonical(s).is_none_or(|c| Some(c) == slow(s)), "{s}");
            assert_eq!(s.parse::<Stamp>().ok(), slow(s), "{s}");
        }
        assert!(
            canonical(cases[0]).is_some(),
            "the written form takes the quick way"
        );
        proptest::proptest!(|(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-2][0-9]:[0-6][0-9]:[0-6][0-9][+-][0-2][0-9]:[0-6][0-9]")| {
            proptest::prop_assert_eq!(s.parse::<Stamp>().ok(), slow(&s));
        });
        proptest::proptest!(|(y in 0..=9999, mo in 1..=12, d in 1..=31, h in 0..24, mi in 0..60,
                              se in 0..60, minus: bool, oh in 0..=25, om in 0..60)| {
            let sign = if minus { '-' } else { '+' };
            let s = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{sign}{oh:02}:{om:02}");
            proptest::prop_assert_eq!(s.parse::<Stamp>().ok(), slow(&s));
        });
        proptest::proptest!(|(secs in -62_135_596_800i64..253_402_300_799, nanos in 0..3u32,
                              off_min in -1559i32..=1559, off_sec in 0..2i32)| {
            let instant = Timestamp::new(secs, [0, 250_000_000, 1][nanos as usize]).unwrap();
            let offset = Offset::from_seconds(off_min * 60 + off_sec * 17).unwrap();
            let stamp = Stamp { instant, offset };
            let jiff = instant.display_with_offset(offset).to_string();
            proptest::prop_assert_eq!(stamp.to_string(), jiff);
        });
        let written = Stamp::now().to_string();
        assert_eq!(written.parse::<Stamp>().ok(), slow(&written));
    }

    #[test]
    fn the_quick_writing_agrees_with_jiff_at_calendar_edges() {
        // Days either side of month ends, leap days, century years and the ends of the
        // range, in offsets that move the local date across them.
        let dates = [
            "0001-01-01",
            "0001-03-01",
            "1600-02-29",
            "1700-03-01",
            "1899-12-31",
            "1969-12-31",
            "1970-01-01",
            "1999-12-31",
            "2000-02-29",
            "2000-03-01",
            "2024-02-29",
            "2026-12-31",
            "2100-02-28",
            "2100-03-01",
            "9999-12-31",
        ];
        for date in dates {
            let d: civil::Date = date.parse().unwrap();
            for (h, off) in [
                (0, 0),
                (23, 3600),
                (0, -60),
                (12, 14 * 3600),
                (0, -(25 * 3600 + 59 * 60)),
            ] {
                let Ok(instant) = Offset::UTC.to_timestamp(d.at(h, 59, 59, 0)) else {
                    continue;
                };
                let offset = Offset::from_seconds(off).unwrap();
                let stamp = Stamp { instant, offset };
                let jiff = instant.display_with_offset(offset).to_string();
                assert_eq!(stamp.to_string(), jiff, "{date} {h}h {off}s");
            }
        }
    }

    #[test]
    fn refuses_a_time_without_offset() {
        assert!("2026-11-29T14:00:00".parse::<Stamp>().is_err());
        assert!("yesterday".parse::<Stamp>().is_err());
    }
}
