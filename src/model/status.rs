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
    pub fn label(self, lang: Lang) -> String {
        match self {
            Deadline::Date(d) => d.to_string(),
            Deadline::Immediate => lang.strings().deadline_immediate.to_string(),
            Deadline::LongTerm => lang.strings().deadline_long_term.to_string(),
        }
    }

    /// Past its date on `today` (a date is due through its whole day).
    pub fn is_past(self, today: Date) -> bool {
        matches!(self, Deadline::Date(d) if d < today)
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
#[error("unknown deadline {0:?}; use a date (2026-12-31), immediate or long-term")]
pub struct UnknownDeadline(pub String);

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
