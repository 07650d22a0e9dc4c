//! The entries of an item's record: status changes, notes and stamped values, each saying
//! who made it and when.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Stamp, Status};
use crate::i18n::Lang;

/// Who made a change and when: every note, status change and field carries both, so copies
/// kept by several people can be merged and each entry still says whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub at: Stamp,
    pub by: Option<String>,
    /// The day it happened, when not the day it is recorded (`--on`).
    pub on: Option<Date>,
}

impl Who {
    pub fn new(at: Stamp, by: Option<&str>) -> Who {
        Who {
            at,
            by: by.filter(|b| !b.trim().is_empty()).map(str::to_string),
            on: None,
        }
    }

    /// The same, for something that happened on `on` (`None`: the day it is recorded).
    pub fn on(self, on: Option<Date>) -> Who {
        Who { on, ..self }
    }
}

impl From<Stamp> for Who {
    fn from(at: Stamp) -> Who {
        Who {
            at,
            by: None,
            on: None,
        }
    }
}

/// A value with the time it was set (and by whom), so the later of two copies wins a merge.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamped<T> {
    pub value: T,
    pub at: Stamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The logical clock: see [`super::clock`]. Compared before the time.
    #[serde(default, skip_serializing_if = "super::clock::is_zero")]
    pub clock: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub id: String,
    pub at: Stamp,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The logical clock: see [`super::clock`]. Compared before the time.
    #[serde(default, skip_serializing_if = "super::clock::is_zero")]
    pub clock: u64,
    /// The day it happened, when not the day it was recorded: report rounds go by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
    /// Why, for a reopening (回頭看).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl StatusChange {
    /// The day it happened: its event date, or the day it was recorded.
    pub fn date(&self) -> Date {
        self.on.unwrap_or_else(|| self.at.date())
    }

    /// The order changes take effect in: by logical clock, then time, then id (so every
    /// copy agrees). The greatest decides the status.
    pub fn order(&self, other: &StatusChange) -> std::cmp::Ordering {
        (self.clock, self.at, &self.id).cmp(&(other.clock, other.at, &other.id))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: String,
    /// When it was first written; its date is the note's date.
    pub at: Stamp,
    /// As typed. Cleared when the note is deleted.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Stamp>,
    /// Kept as a tombstone so that a merge with an older copy does not bring the note back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Stamp>,
    /// Who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Who edited it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_by: Option<String>,
    /// Who deleted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<String>,
    /// The logical clock of its last touch (written, edited, deleted or brought back): see
    /// [`super::clock`]. Compared before the time.
    #[serde(default, skip_serializing_if = "super::clock::is_zero")]
    pub clock: u64,
    /// The day it tells of, when not the day it was written: report rounds go by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Date>,
}

impl Note {
    /// The day it tells of: its event date, or the day it was written.
    pub fn date(&self) -> Date {
        self.on.unwrap_or_else(|| self.at.date())
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted.is_some()
    }

    /// The last time it was touched: written, edited or deleted.
    pub fn touched(&self) -> Stamp {
        [self.edited, self.deleted]
            .into_iter()
            .flatten()
            .fold(self.at, Stamp::max)
    }

    /// How a note is headed on screen: "2026-11-29 14:03 · 王偉 (edited 2026-11-30 09:00 · 李明)",
    /// names made safe to print; a time later than `now` says so.
    pub fn heading(&self, lang: Lang, now: Stamp) -> String {
        let by = |b: &Option<String>| {
            b.as_deref()
                .map(|b| format!(" · {}", crate::text::visible(b)))
                .unwrap_or_default()
        };
        let future = |t: Stamp| {
            if t.is_after(now) {
                format!(" ({})", lang.strings().future_date)
            } else {
                String::new()
            }
        };
        let edited = self
            .edited
            .map(|e| {
                format!(
                    " ({} {}{}{})",
                    lang.strings().edited,
                    e.short(),
                    future(e),
                    by(&self.edited_by)
                )
            })
            .unwrap_or_default();
        format!(
            "{}{}{}{edited}",
            self.at.short(),
            future(self.at),
            by(&self.by)
        )
    }
}

/// A ledger field that can be set on a problem or a measure. Problems have an owner, a
/// person and a deadline; measures have all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// 牽頭單位
    Owner,
    /// 責任人
    Person,
    /// 整改時限 (set with `set_deadline`)
    Deadline,
    /// A measure's text (整改措施)
    Text,
    /// 整改目標
    Goal,
    /// 責任領導
    Leader,
    /// 配合單位 (set with `set_partners`)
    Partners,
}

impl Field {
    /// Whether a problem (not only a measure) has it.
    pub fn on_problems(self) -> bool {
        matches!(self, Field::Owner | Field::Person | Field::Deadline)
    }
}
