//! An item's status and its deadline, and how users type them.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::i18n::{Lang, Strings};

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Status {
    /// 未整改
    #[default]
    Open,
    /// 正在整改
    InProgress,
    /// 已完成
    Resolved,
    /// 已銷號: checked and closed by whoever supervises the rectification.
    Verified,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::InProgress,
        Status::Resolved,
        Status::Verified,
    ];

    /// Counts towards the completion rate.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Resolved | Status::Verified)
    }

    /// The name used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in-progress",
            Status::Resolved => "resolved",
            Status::Verified => "verified",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let s: &Strings = lang.strings();
        match self {
            Status::Open => s.status_open,
            Status::InProgress => s.status_in_progress,
            Status::Resolved => s.status_resolved,
            Status::Verified => s.status_verified,
        }
    }

    /// The tree's mark, which tells the status without colour.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Open => "[ ]",
            Status::InProgress => "[~]",
            Status::Resolved => "[x]",
            Status::Verified => "[✓]",
        }
    }
}

/// A status given on the command line or typed that is none of the four.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown status {0:?}; valid: open, in-progress, resolved, verified")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Status::ALL
            .into_iter()
            .find(|st| {
                st.key().eq_ignore_ascii_case(s)
                    || Lang::ALL.iter().any(|l| st.label(*l) == s)
                    || st.key().replace('-', "_").eq_ignore_ascii_case(s)
            })
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// A 整改時限: a date, or one of the two classes ledgers use instead of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Deadline {
    Date(Date),
    /// 立行立改: rectify at once.
    Immediate,
    /// 長期堅持: ongoing, no end date.
    LongTerm,
}

impl Deadline {
    /// How the user reads it: "2026年12月31日前" in Chinese, "2026-12-31" in English, the
    /// two classes by their names.
    pub fn label(self, lang: Lang) -> String {
        let s = lang.strings();
        match self {
            Deadline::Date(d) => s
                .deadline_date
                .replace("{Y}", &format!("{:04}", d.year()))
                .replace("{MM}", &format!("{:02}", d.month()))
                .replace("{DD}", &format!("{:02}", d.day()))
                .replace("{M}", &d.month().to_string())
                .replace("{D}", &d.day().to_string()),
            Deadline::Immediate => s.deadline_immediate.to_string(),
            Deadline::LongTerm => s.deadline_long_term.to_string(),
        }
    }

    /// For tables (CSV and the spreadsheet): a date in its ISO form, which spreadsheets
    /// sort and read as a date, the two classes by their names in `lang`.
    pub fn cell(self, lang: Lang) -> String {
        match self {
            Deadline::Date(d) => d.to_string(),
            _ => self.label(lang),
        }
    }

    /// Past its date on `today` (a date is due through its whole day).
    pub fn is_past(self, today: Date) -> bool {
        matches!(self, Deadline::Date(d) if d < today)
    }

    /// A deadline as offices write it: `2026-12-31`, `2026/12/31`, `2026.12.31`,
    /// `20261231`, `2026年12月31日`, `2026年12月底` and `2026年6月` (the end of that month),
    /// `2026年底` (the end of that year), each with or without a trailing 前 or 之前; the
    /// year may be left out of the Chinese forms (`12月31日前`, `12月底前`, `年底前`), which
    /// then mean the coming one: this year's if not yet past on `today`, else next year's.
    /// Also 立行立改 / `immediate` and 長期堅持 / 长期坚持 / `long-term`, and every
    /// language's label of either. Full-width digits and spaces are read as plain ones.
    pub fn parse(text: &str, today: Date) -> Result<Deadline, UnknownDeadline> {
        let unknown = || UnknownDeadline(text.to_string());
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' | '／' | '－' | '．' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            })
            .collect();
        if let Some(class) = class(&t) {
            return Ok(class);
        }
        let t = t
            .strip_suffix("之前")
            .or_else(|| t.strip_suffix('前'))
            .unwrap_or(&t);
        date(t, today).map(Deadline::Date).ok_or_else(unknown)
    }
}

/// 立行立改 or 長期堅持 by any of their names.
fn class(t: &str) -> Option<Deadline> {
    let named = |keys: &[&str], label: fn(&Strings) -> &'static str| {
        keys.iter().any(|k| k.eq_ignore_ascii_case(t))
            || Lang::ALL
                .iter()
                .any(|l| label(l.strings()).replace(' ', "").eq_ignore_ascii_case(t))
    };
    if named(&["immediate", "立行立改"], |s| s.deadline_immediate) {
        Some(Deadline::Immediate)
    } else if named(
        &["long-term", "long_term", "longterm", "長期堅持", "长期坚持"],
        |s| s.deadline_long_term,
    ) {
        Some(Deadline::LongTerm)
    } else {
        None
    }
}

/// A run of ASCII digits at the start of `t`, `min..=max` long, and the rest.
fn digits(t: &str, min: usize, max: usize) -> Option<(i16, &str)> {
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    Some((t[..n].parse().ok()?, &t[n..]))
}

fn ymd(y: i16, m: i16, d: i16) -> Option<Date> {
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

fn month_end(y: i16, m: i16) -> Option<Date> {
    ymd(y, m, 1).map(|d| d.last_of_month())
}

/// The date forms of [`Deadline::parse`], 前 already taken off.
fn date(t: &str, today: Date) -> Option<Date> {
    // 20261231
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(
            t[..4].parse().ok()?,
            t[4..6].parse().ok()?,
            t[6..].parse().ok()?,
        );
    }
    // 2026-12-31, 2026/12/31, 2026.12.31
    if let Some((y, rest)) = digits(t, 4, 4)
        && let Some(sep) = rest.chars().next().filter(|c| matches!(c, '-' | '/' | '.'))
    {
        let (m, rest) = digits(&rest[1..], 1, 2)?;
        let (d, rest) = digits(rest.strip_prefix(sep)?, 1, 2)?;
        return rest.is_empty().then(|| ymd(y, m, d)).flatten();
    }
    // The Chinese forms: [2026年](底 | 12月[底 | 31日]).
    let (year, rest) = match digits(t, 4, 4) {
        Some((y, rest)) => (Some(y), rest.strip_prefix('年')?),
        None => (None, t),
    };
    let this_year = today.year();
    if let Some(end) = rest.strip_prefix('年').or(year.map(|_| rest))
        && matches!(end, "底" | "末")
    {
        return ymd(year.unwrap_or(this_year), 12, 31);
    }
    let (m, rest) = digits(rest, 1, 2)?;
    let rest = rest.strip_prefix('月')?;
    // The coming one when the year is left out.
    let pick = |at: &dyn Fn(i16) -> Option<Date>| match year {
        Some(y) => at(y),
        None => at(this_year)
            .filter(|d| *d >= today)
            .or_else(|| at(this_year.checked_add(1)?)),
    };
    match rest {
        "" | "底" | "末" => pick(&|y| month_end(y, m)),
        _ => {
            let (d, rest) = digits(rest, 1, 2)?;
            matches!(rest, "" | "日" | "号" | "號").then_some(())?;
            pick(&|y| ymd(y, m, d))
        }
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Date(d) => write!(f, "{d}"),
            Deadline::Immediate => f.write_str("immediate"),
            Deadline::LongTerm => f.write_str("long-term"),
        }
    }
}

/// A deadline that is neither a date nor one of the two classes.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown deadline {0:?}; use a date (2026-12-31, 2026/12/31, 2026.12.31, 20261231, \
     2026年12月31日, 12月31日前, 2026年12月底前, 12月底前, 2026年底前), \
     immediate or long-term (立行立改, 長期堅持)"
)]
pub struct UnknownDeadline(pub String);

/// The stored form only: an ISO date, `immediate` or `long-term` (and the Chinese names of
/// the two classes). What users type goes through [`Deadline::parse`], which needs today.
impl FromStr for Deadline {
    type Err = UnknownDeadline;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t {
            "immediate" | "立行立改" => return Ok(Deadline::Immediate),
            "long-term" | "長期堅持" | "长期坚持" => return Ok(Deadline::LongTerm),
            _ => {}
        }
        t.parse::<Date>()
            .map(Deadline::Date)
            .map_err(|_| UnknownDeadline(s.to_string()))
    }
}

impl Serialize for Deadline {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Deadline {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_deadlines_parse_from_what_users_type() {
        assert_eq!("in-progress".parse(), Ok(Status::InProgress));
        assert_eq!("In_Progress".parse(), Ok(Status::InProgress));
        assert_eq!("已銷號".parse(), Ok(Status::Verified));
        assert!(
            "done"
                .parse::<Status>()
                .unwrap_err()
                .to_string()
                .contains("valid: open")
        );
        assert_eq!("立行立改".parse(), Ok(Deadline::Immediate));
        assert_eq!("long-term".parse(), Ok(Deadline::LongTerm));
        assert_eq!(
            "2026-12-31".parse(),
            Ok(Deadline::Date(jiff::civil::date(2026, 12, 31)))
        );
        assert!("2026-13-01".parse::<Deadline>().is_err());
    }
}

#[cfg(test)]
mod deadline_tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    /// Every form offices write, read on a fixed day.
    #[test]
    fn every_form_offices_write_is_read() {
        let today = date(2026, 12, 4);
        let d = |y, m, d| Ok(Deadline::Date(date(y, m, d)));
        let table = [
            ("2026-12-31", d(2026, 12, 31)),
            ("2026/12/31", d(2026, 12, 31)),
            ("2026.12.31", d(2026, 12, 31)),
            ("2026/6/5", d(2026, 6, 5)),
            ("20261231", d(2026, 12, 31)),
            ("2026年12月31日", d(2026, 12, 31)),
            ("2026年12月31日前", d(2026, 12, 31)),
            ("2026年12月31日之前", d(2026, 12, 31)),
            ("2026-12-31前", d(2026, 12, 31)),
            ("20261231前", d(2026, 12, 31)),
            ("2026年6月5日", d(2026, 6, 5)),
            ("2026年6月5号", d(2026, 6, 5)),
            ("2026年12月底前", d(2026, 12, 31)),
            ("2026年12月底", d(2026, 12, 31)),
            ("2026年6月", d(2026, 6, 30)),
            ("2026年6月前", d(2026, 6, 30)),
            ("2026年底前", d(2026, 12, 31)),
            ("2027年底", d(2027, 12, 31)),
            ("年底前", d(2026, 12, 31)),
            // The year left out: the coming one.
            ("12月底前", d(2026, 12, 31)),
            ("11月底前", d(2027, 11, 30)),
            ("12月31日前", d(2026, 12, 31)),
            ("12月4日前", d(2026, 12, 4)),
            ("12月3日前", d(2027, 12, 3)),
            ("1月15日", d(2027, 1, 15)),
            ("2月底前", d(2027, 2, 28)),
            // Leap years.
            ("2028年2月底前", d(2028, 2, 29)),
            ("2028-02-29", d(2028, 2, 29)),
            // Full-width digits and spaces, and spaces around.
            ("２０２６年１２月３１日前", d(2026, 12, 31)),
            ("２０２６－１２－３１", d(2026, 12, 31)),
            ("２０２６／１２／３１", d(2026, 12, 31)),
            ("  2026-12-31\t", d(2026, 12, 31)),
            ("\u{3000}2026 年 12 月底前 ", d(2026, 12, 31)),
            ("立行立改", Ok(Deadline::Immediate)),
            ("immediate", Ok(Deadline::Immediate)),
            (" Immediate ", Ok(Deadline::Immediate)),
            ("rectify at once", Ok(Deadline::Immediate)),
            ("長期堅持", Ok(Deadline::LongTerm)),
            ("长期坚持", Ok(Deadline::LongTerm)),
            ("long-term", Ok(Deadline::LongTerm)),
        ];
        for (text, want) in table {
            assert_eq!(Deadline::parse(text, today), want, "{text:?}");
        }
        // A leap year's February from a day before it.
        assert_eq!(
            Deadline::parse("2月底前", date(2027, 12, 4)),
            d(2028, 2, 29)
        );
        assert_eq!(Deadline::parse("年底前", date(2027, 1, 1)), d(2027, 12, 31));
    }

    #[test]
    fn impossible_dates_and_other_text_are_refused() {
        let today = date(2026, 12, 4);
        for text in [
            "",
            "soon",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-12-00",
            "20260230",
            "20261301",
            "2026年13月",
            "2026年2月30日",
            "13月底前",
            "2月30日前",
            "2027年2月29日",
            "2026-12/31",
            "2026-12-31-1",
            "26-12-31",
            "2026年",
            "2026",
            "前",
            "12月底底",
            "2026年12月31日后",
            "立行立改前",
        ] {
            let err = Deadline::parse(text, today).unwrap_err();
            assert_eq!(err, UnknownDeadline(text.to_string()));
            let shown = err.to_string();
            assert!(shown.contains("2026年12月底前"), "{shown}");
            assert!(shown.contains("immediate or long-term"), "{shown}");
        }
    }

    #[test]
    fn the_stored_form_round_trips_and_is_read_without_today() {
        for d in [
            Deadline::Date(date(2026, 12, 31)),
            Deadline::Date(date(2028, 2, 29)),
            Deadline::Immediate,
            Deadline::LongTerm,
        ] {
            assert_eq!(d.to_string().parse(), Ok(d));
            let ron = ron::to_string(&d).unwrap();
            assert_eq!(ron::from_str::<Deadline>(&ron).unwrap(), d);
        }
        // The stored form is strict: what users type is for `Deadline::parse`.
        assert!("12月底前".parse::<Deadline>().is_err());
        assert!("2026/12/31".parse::<Deadline>().is_err());
    }

    #[test]
    fn labels_are_in_the_users_language() {
        let d = Deadline::Date(date(2026, 12, 31));
        assert_eq!(d.label(Lang::ZhHant), "2026年12月31日前");
        assert_eq!(d.label(Lang::ZhHans), "2026年12月31日前");
        assert_eq!(d.label(Lang::En), "2026-12-31");
        let d = Deadline::Date(date(2026, 6, 5));
        assert_eq!(d.label(Lang::ZhHans), "2026年6月5日前");
        assert_eq!(d.label(Lang::En), "2026-06-05");
        assert_eq!(Deadline::LongTerm.label(Lang::ZhHant), "長期堅持");
        assert_eq!(Deadline::LongTerm.label(Lang::ZhHans), "长期坚持");
        assert_eq!(Deadline::Immediate.label(Lang::ZhHans), "立行立改");
        // Tables keep the ISO date.
        assert_eq!(
            Deadline::Date(date(2026, 6, 5)).cell(Lang::ZhHant),
            "2026-06-05"
        );
        assert_eq!(Deadline::LongTerm.cell(Lang::ZhHans), "长期坚持");
    }

    proptest! {
        /// Any date's stored form and its label in every language read back as that date,
        /// whatever day it is read on.
        #[test]
        fn stored_forms_and_labels_read_back(
            y in 1i16..=9999, m in 1i8..=12, d in 1i8..=31,
            ty in 1i16..=9998, tm in 1i8..=12, td in 1i8..=28,
        ) {
            let Ok(day) = Date::new(y, m, d) else { return Ok(()) };
            let today = date(ty, tm, td);
            let deadline = Deadline::Date(day);
            prop_assert_eq!(deadline.to_string().parse::<Deadline>(), Ok(deadline));
            prop_assert_eq!(Deadline::parse(&deadline.to_string(), today), Ok(deadline));
            for lang in Lang::ALL {
                prop_assert_eq!(Deadline::parse(&deadline.label(lang), today), Ok(deadline));
            }
        }
    }

    #[test]
    fn the_classes_labels_read_back_in_every_language() {
        for d in [Deadline::Immediate, Deadline::LongTerm] {
            for lang in Lang::ALL {
                assert_eq!(Deadline::parse(&d.label(lang), date(2026, 1, 1)), Ok(d));
            }
        }
    }
}
