//! What the user records against a checklist: per item id, its status history, dated notes and
//! the ledger fields. Kept apart from the checklist so a revised checklist keeps the notes.
//!
//! Everything carries a timestamp and an id, so two copies can be merged item by item, and the
//! current status is derived from the history rather than stored twice.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Stamp;
use super::clock::next_clock;
use crate::i18n::{Lang, Strings};

/// The progress file format this build writes. Version 2 added authors (`by`) and drafts
/// per author; version 1 files are read and upgraded (see `store::migrate`).
///
/// The logical clock (`clock` on status changes, fields and notes) came without a new
/// version: it is written only where it is not 0, which is only after a change had to be
/// put after an entry dated at or after its own time (a colleague's clock ran ahead), so
/// other files stay as they were and older builds read them. An older build refuses a file
/// with a clock in it (an unknown field, named with its line and column) and leaves it as
/// it is.
pub const VERSION: u32 = 2;

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

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Status::ALL
            .into_iter()
            .find(|st| {
                st.key().eq_ignore_ascii_case(s)
                    || Lang::ALL.iter().any(|l| st.label(*l) == s)
                    || st.key().replace('-', "_").eq_ignore_ascii_case(s)
            })
            .ok_or_else(|| {
                format!("unknown status {s:?}; valid: open, in-progress, resolved, verified")
            })
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

impl FromStr for Deadline {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t {
            "immediate" | "立行立改" => return Ok(Deadline::Immediate),
            "long-term" | "長期堅持" | "长期坚持" => return Ok(Deadline::LongTerm),
            _ => {}
        }
        t.parse::<Date>().map(Deadline::Date).map_err(|_| {
            format!("unknown deadline {s:?}; use a date (2026-12-31), immediate or long-term")
        })
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

/// Who made a change and when: every note, status change and field carries both, so copies
/// kept by several people can be merged and each entry still says whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub at: Stamp,
    pub by: Option<String>,
}

impl Who {
    pub fn new(at: Stamp, by: Option<&str>) -> Who {
        Who {
            at,
            by: by.filter(|b| !b.trim().is_empty()).map(str::to_string),
        }
    }
}

impl From<Stamp> for Who {
    fn from(at: Stamp) -> Who {
        Who { at, by: None }
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
}

impl StatusChange {
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
}

impl Note {
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

/// A ledger field that can be set on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Owner,
    Person,
    Deadline,
    Measures,
}

/// Unknown fields are refused rather than dropped: a misspelt field in a hand edit would
/// otherwise vanish at the next save.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemProgress {
    /// Ids are distinct: a file with one twice is refused (see [`super::unique_map`]).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::unique_map::list"
    )]
    pub history: Vec<StatusChange>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::unique_map::list"
    )]
    pub notes: Vec<Note>,
    /// 牽頭單位
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Stamped<String>>,
    /// 責任人
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Stamped<String>>,
    /// 整改時限; `None` inside means it was cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Stamped<Option<Deadline>>>,
    /// 整改措施
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<Stamped<String>>,
    /// Notes being written and not yet saved, one per author ("" when unknown), so closing
    /// the editor never loses one and two people's drafts never overwrite each other.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub drafts: BTreeMap<String, Stamped<String>>,
    /// Version 1 kept a single draft here; it is read and moved into `drafts`.
    #[serde(default, rename = "draft", skip_serializing)]
    pub(crate) legacy_draft: Option<Stamped<String>>,
}

impl ItemProgress {
    /// The draft of `by` (or of an unknown author, which anyone may pick up).
    pub fn draft(&self, by: Option<&str>) -> Option<&Stamped<String>> {
        self.drafts
            .get(by.unwrap_or(""))
            .or_else(|| self.drafts.get(""))
    }

    /// The latest change decides, in [`StatusChange::order`]: by logical clock, then time,
    /// then id so every copy agrees.
    pub fn status(&self) -> Status {
        self.last_change().map_or(Status::Open, |c| c.status)
    }

    /// The latest change, if any: when the item last moved.
    pub fn last_change(&self) -> Option<&StatusChange> {
        self.history.iter().max_by(|a, b| a.order(b))
    }

    /// The status changes in the order they took effect (see [`StatusChange::order`]).
    pub fn ordered_history(&self) -> Vec<&StatusChange> {
        let mut history: Vec<&StatusChange> = self.history.iter().collect();
        history.sort_by(|a, b| a.order(b));
        history
    }

    /// Live notes numbered 1.. from the oldest, the numbers `rectify show` prints and
    /// `note --edit/--delete` take. Numbers count deleted notes too, so deleting #1 does not
    /// turn #2 into #1 (and a second `--delete 1` cannot delete another note).
    pub fn numbered_notes(&self) -> Vec<(usize, &Note)> {
        let mut notes: Vec<&Note> = self.notes.iter().collect();
        notes.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        notes
            .into_iter()
            .enumerate()
            .filter(|(_, n)| !n.is_deleted())
            .map(|(i, n)| (i + 1, n))
            .collect()
    }

    /// The number [`ItemProgress::numbered_notes`] gives the live note `id`.
    pub fn note_number(&self, id: &str) -> Option<usize> {
        self.numbered_notes()
            .into_iter()
            .find(|(_, n)| n.id == id)
            .map(|(k, _)| k)
    }

    /// How much writing the item out takes, for cutting a large ledger into parts of equal
    /// work: one, and one for each note and status change.
    pub fn weight(&self) -> usize {
        1 + self.notes.len() + self.history.len()
    }

    /// How many notes [`ItemProgress::visible_notes`] gives, without sorting them.
    pub fn visible_note_count(&self) -> usize {
        self.notes.iter().filter(|n| !n.is_deleted()).count()
    }

    /// Notes that are not deleted, newest first.
    pub fn visible_notes(&self) -> Vec<&Note> {
        // Kept oldest first: gathered from the end, the sort finds them in order.
        let mut notes: Vec<&Note> = Vec::with_capacity(self.notes.len());
        notes.extend(self.notes.iter().rev().filter(|n| !n.is_deleted()));
        let newest_first = |a: &&Note, b: &&Note| b.at.cmp(&a.at).then_with(|| b.id.cmp(&a.id));
        // Usually in order already (notes are added as they are written): looked over once
        // rather than sorted, for each of a large ledger's 10,000 problems in every report.
        if !notes.is_sorted_by(|a, b| newest_first(a, b).is_le()) {
            notes.sort_by(newest_first);
        }
        notes
    }

    pub fn owner(&self) -> &str {
        self.owner.as_ref().map_or("", |s| s.value.as_str())
    }

    pub fn person(&self) -> &str {
        self.person.as_ref().map_or("", |s| s.value.as_str())
    }

    pub fn measures(&self) -> &str {
        self.measures.as_ref().map_or("", |s| s.value.as_str())
    }

    pub fn deadline(&self) -> Option<Deadline> {
        self.deadline.as_ref().and_then(|s| s.value)
    }

    /// Open or in progress, and past a dated deadline.
    pub fn is_overdue(&self, today: Date) -> bool {
        // The deadline first: most problems have no dated one, and the status is a search.
        self.deadline().is_some_and(|d| d.is_past(today)) && !self.status().is_done()
    }

    /// The time of the latest change of any kind, for "last updated" columns.
    pub fn last_update(&self) -> Option<Stamp> {
        // Loops rather than a chain of iterators: this runs for every problem in every
        // report, and the chain compiled to several times the work.
        let mut latest: Option<Stamp> = None;
        let mut see = |t: Stamp| {
            if latest.is_none_or(|l| t > l) {
                latest = Some(t);
            }
        };
        self.history.iter().for_each(|c| see(c.at));
        for n in &self.notes {
            see(n.at);
            n.edited.into_iter().chain(n.deleted).for_each(&mut see);
        }
        for at in [&self.owner, &self.person, &self.measures]
            .into_iter()
            .flatten()
            .map(|f| f.at)
            .chain(self.deadline.as_ref().map(|d| d.at))
        {
            see(at);
        }
        latest
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub version: u32,
    /// The id of the checklist these items belong to.
    pub checklist: String,
    #[serde(default, deserialize_with = "super::unique_map::deserialize")]
    pub items: BTreeMap<String, ItemProgress>,
}

/// A fresh id for a note or change: a UUIDv7, so ids sort by creation time and two offices
/// never make the same one.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// What went wrong applying a change, in words for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("item {item} has no note {note}")]
    NoSuchNote { item: String, note: String },
    #[error("a note cannot be empty")]
    EmptyNote,
}

impl Progress {
    pub fn new(checklist: &str) -> Progress {
        Progress {
            version: VERSION,
            checklist: checklist.to_string(),
            items: BTreeMap::new(),
        }
    }

    pub fn item(&self, id: &str) -> Option<&ItemProgress> {
        self.items.get(id)
    }

    pub fn item_mut(&mut self, id: &str) -> &mut ItemProgress {
        self.items.entry(id.to_string()).or_default()
    }

    pub fn status(&self, id: &str) -> Status {
        self.item(id).map_or(Status::Open, ItemProgress::status)
    }

    /// Records a status change, which takes effect even after a change dated later (see
    /// [`super::clock`]). Returns false (and records nothing) when the item already has that
    /// status. Any status may follow any other: every change can be undone.
    pub fn set_status(&mut self, id: &str, status: Status, who: impl Into<Who>) -> bool {
        if self.status(id) == status {
            return false;
        }
        let who = who.into();
        let item = self.item_mut(id);
        let clock = next_clock(item.last_change().map(|c| (c.clock, c.at)), who.at);
        item.history.push(StatusChange {
            id: new_id(),
            at: who.at,
            status,
            by: who.by,
            clock,
        });
        true
    }

    /// Appends a dated note and returns its id.
    pub fn add_note(
        &mut self,
        id: &str,
        text: &str,
        who: impl Into<Who>,
    ) -> Result<String, ChangeError> {
        if text.trim().is_empty() {
            return Err(ChangeError::EmptyNote);
        }
        let who = who.into();
        let note_id = new_id();
        self.item_mut(id).notes.push(Note {
            id: note_id.clone(),
            at: who.at,
            text: text.to_string(),
            edited: None,
            deleted: None,
            by: who.by,
            edited_by: None,
            deleted_by: None,
            clock: 0,
        });
        Ok(note_id)
    }

    fn live_note_mut(&mut self, id: &str, note: &str) -> Result<&mut Note, ChangeError> {
        self.items
            .get_mut(id)
            .and_then(|i| i.notes.iter_mut().find(|n| n.id == note && !n.is_deleted()))
            .ok_or_else(|| ChangeError::NoSuchNote {
                item: id.to_string(),
                note: note.to_string(),
            })
    }

    /// Replaces a note's text, keeping its date and recording when it was edited.
    pub fn edit_note(
        &mut self,
        id: &str,
        note: &str,
        text: &str,
        who: impl Into<Who>,
    ) -> Result<(), ChangeError> {
        if text.trim().is_empty() {
            return Err(ChangeError::EmptyNote);
        }
        let n = self.live_note_mut(id, note)?;
        if n.text != text {
            let who = who.into();
            n.clock = next_clock(Some((n.clock, n.touched())), who.at);
            n.text = text.to_string();
            n.edited = Some(who.at);
            n.edited_by = who.by;
        }
        Ok(())
    }

    /// Deletes a note's text; the id and times stay as a tombstone for merging.
    pub fn delete_note(
        &mut self,
        id: &str,
        note: &str,
        who: impl Into<Who>,
    ) -> Result<(), ChangeError> {
        let n = self.live_note_mut(id, note)?;
        let who = who.into();
        n.clock = next_clock(Some((n.clock, n.touched())), who.at);
        n.text.clear();
        n.deleted = Some(who.at);
        n.deleted_by = who.by;
        Ok(())
    }

    /// Sets a text field; an empty value clears it (and still records when).
    pub fn set_text(&mut self, id: &str, field: Field, value: &str, who: impl Into<Who>) {
        let item = self.item_mut(id);
        let slot = match field {
            Field::Owner => &mut item.owner,
            Field::Person => &mut item.person,
            Field::Measures => &mut item.measures,
            Field::Deadline => unreachable!("deadlines are set with set_deadline"),
        };
        if slot.as_ref().map(|s| s.value.as_str()) != Some(value) {
            let who = who.into();
            *slot = Some(Stamped {
                value: value.to_string(),
                at: who.at,
                by: who.by,
                clock: next_clock(slot.as_ref().map(|s| (s.clock, s.at)), who.at),
            });
        }
    }

    pub fn set_deadline(&mut self, id: &str, value: Option<Deadline>, who: impl Into<Who>) {
        let item = self.item_mut(id);
        if item.deadline.as_ref().map(|s| s.value) != Some(value) {
            let who = who.into();
            let clock = next_clock(item.deadline.as_ref().map(|s| (s.clock, s.at)), who.at);
            item.deadline = Some(Stamped {
                value,
                at: who.at,
                by: who.by,
                clock,
            });
        }
    }

    /// Keeps or clears the unsaved note of an item, for its author.
    pub fn set_draft(&mut self, id: &str, text: &str, who: impl Into<Who>) {
        let who = who.into();
        let key = who.by.clone().unwrap_or_default();
        let item = self.item_mut(id);
        if text.trim().is_empty() {
            item.drafts.remove(&key);
        } else {
            let clock = next_clock(item.drafts.get(&key).map(|d| (d.clock, d.at)), who.at);
            item.drafts.insert(
                key,
                Stamped {
                    value: text.to_string(),
                    at: who.at,
                    by: who.by,
                    clock,
                },
            );
        }
    }

    /// Upgrades what an older version wrote: a single `draft` becomes the unknown author's.
    pub(crate) fn upgrade(&mut self) {
        self.version = VERSION;
        for item in self.items.values_mut() {
            if let Some(d) = item.legacy_draft.take() {
                item.drafts
                    .entry(d.by.clone().unwrap_or_default())
                    .or_insert(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Stamp {
        s.parse().unwrap()
    }

    #[test]
    fn status_follows_the_latest_change_and_can_go_back() {
        let mut p = Progress::new("c");
        assert_eq!(p.status("1.1"), Status::Open);
        assert!(p.set_status("1.1", Status::InProgress, at("2026-11-01T09:00:00+08:00")));
        assert!(p.set_status("1.1", Status::Resolved, at("2026-11-02T09:00:00+08:00")));
        assert!(!p.set_status("1.1", Status::Resolved, at("2026-11-03T09:00:00+08:00")));
        assert!(p.set_status("1.1", Status::InProgress, at("2026-11-04T09:00:00+08:00")));
        assert_eq!(p.status("1.1"), Status::InProgress);
        assert_eq!(p.item("1.1").unwrap().history.len(), 3);
    }

    #[test]
    fn the_last_update_is_the_latest_time_of_any_kind() {
        let mut p = Progress::new("c");
        let last = |p: &Progress| p.item("2.5").unwrap().last_update();
        p.set_status("2.5", Status::InProgress, at("2026-11-02T09:00:00+08:00"));
        assert_eq!(last(&p), Some(at("2026-11-02T09:00:00+08:00")));
        // The same moment written in another offset is not later.
        let n = p
            .add_note("2.5", "一", at("2026-11-02T10:00:00+09:00"))
            .unwrap();
        assert_eq!(
            last(&p).map(|t| t.instant),
            Some(at("2026-11-02T09:00:00+08:00").instant)
        );
        p.edit_note("2.5", &n, "二", at("2026-11-03T09:00:00+08:00"))
            .unwrap();
        assert_eq!(last(&p), Some(at("2026-11-03T09:00:00+08:00")));
        p.delete_note("2.5", &n, at("2026-11-04T09:00:00+08:00"))
            .unwrap();
        assert_eq!(last(&p), Some(at("2026-11-04T09:00:00+08:00")));
        p.set_text(
            "2.5",
            Field::Person,
            "李明",
            at("2026-11-05T09:00:00+08:00"),
        );
        assert_eq!(last(&p), Some(at("2026-11-05T09:00:00+08:00")));
        p.set_deadline("2.5", None, at("2026-11-06T09:00:00+08:00"));
        assert_eq!(last(&p), Some(at("2026-11-06T09:00:00+08:00")));
        // An earlier change after them does not move it back.
        p.set_text(
            "2.5",
            Field::Owner,
            "公安廳",
            at("2026-11-01T09:00:00+08:00"),
        );
        assert_eq!(last(&p), Some(at("2026-11-06T09:00:00+08:00")));
        assert_eq!(ItemProgress::default().last_update(), None);
    }

    #[test]
    fn visible_notes_are_newest_first_however_they_are_kept() {
        let mut p = Progress::new("c");
        for (text, when) in [
            ("b", "2026-11-02T09:00:00+08:00"),
            ("c", "2026-11-03T09:00:00+08:00"),
            ("a", "2026-11-01T09:00:00+08:00"),
            ("c2", "2026-11-03T09:00:00+08:00"),
        ] {
            p.add_note("2.5", text, at(when)).unwrap();
        }
        let texts = |p: &Progress| -> Vec<String> {
            let item = p.item("2.5").unwrap();
            item.visible_notes()
                .iter()
                .map(|n| n.text.clone())
                .collect()
        };
        // Two at one time: the later id (the one added after) first.
        assert_eq!(texts(&p), ["c2", "c", "b", "a"]);
        // Kept in the order written, as they usually are: the same.
        p.item_mut("2.5")
            .notes
            .sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
        assert_eq!(texts(&p), ["c2", "c", "b", "a"]);
    }

    #[test]
    fn notes_are_edited_and_deleted_keeping_when() {
        let mut p = Progress::new("c");
        let n1 = p
            .add_note("2.5", "已追繳涉案財產", at("2026-11-01T09:00:00+08:00"))
            .unwrap();
        let n2 = p
            .add_note("2.5", "second", at("2026-11-02T09:00:00+08:00"))
            .unwrap();
        p.edit_note(
            "2.5",
            &n1,
            "已追繳涉案財產 3 宗",
            at("2026-11-03T09:00:00+08:00"),
        )
        .unwrap();
        p.delete_note("2.5", &n2, at("2026-11-04T09:00:00+08:00"))
            .unwrap();
        let item = p.item("2.5").unwrap();
        let visible = item.visible_notes();
        assert_eq!(visible.len(), 1);
        assert_eq!(visible[0].text, "已追繳涉案財產 3 宗");
        assert_eq!(visible[0].at, at("2026-11-01T09:00:00+08:00"));
        assert_eq!(visible[0].edited, Some(at("2026-11-03T09:00:00+08:00")));
        let gone = item.notes.iter().find(|n| n.id == n2).unwrap();
        assert!(gone.text.is_empty() && gone.deleted.is_some());
        assert_eq!(
            p.delete_note("2.5", &n2, at("2026-11-05T09:00:00+08:00")),
            Err(ChangeError::NoSuchNote {
                item: "2.5".into(),
                note: n2.clone()
            })
        );
        assert_eq!(
            p.add_note("2.5", "  \n", at("2026-11-05T09:00:00+08:00")),
            Err(ChangeError::EmptyNote)
        );
    }

    #[test]
    fn overdue_means_past_a_dated_deadline_and_not_done() {
        let mut p = Progress::new("c");
        let today = jiff::civil::date(2026, 11, 29);
        p.set_deadline(
            "1.1",
            Some("2026-11-28".parse().unwrap()),
            at("2026-11-01T09:00:00Z"),
        );
        assert!(p.item("1.1").unwrap().is_overdue(today));
        p.set_deadline(
            "1.1",
            Some("2026-11-29".parse().unwrap()),
            at("2026-11-01T10:00:00Z"),
        );
        assert!(
            !p.item("1.1").unwrap().is_overdue(today),
            "due through the day"
        );
        p.set_deadline("1.1", Some(Deadline::Immediate), at("2026-11-01T11:00:00Z"));
        assert!(!p.item("1.1").unwrap().is_overdue(today));
        p.set_deadline(
            "1.1",
            Some("2026-01-01".parse().unwrap()),
            at("2026-11-01T12:00:00Z"),
        );
        p.set_status("1.1", Status::Resolved, at("2026-11-01T13:00:00Z"));
        assert!(!p.item("1.1").unwrap().is_overdue(today));
    }

    #[test]
    fn statuses_and_deadlines_parse_from_what_users_type() {
        assert_eq!("in-progress".parse(), Ok(Status::InProgress));
        assert_eq!("In_Progress".parse(), Ok(Status::InProgress));
        assert_eq!("已銷號".parse(), Ok(Status::Verified));
        assert!(
            "done"
                .parse::<Status>()
                .unwrap_err()
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
