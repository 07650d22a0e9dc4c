//! What the user records against a checklist: per item id, its status history, dated notes and
//! the ledger fields. Kept apart from the checklist so a revised checklist keeps the notes.
//!
//! Everything carries a timestamp and an id, so two copies can be merged item by item, and the
//! current status is derived from the history rather than stored twice.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::clock::next_clock;
pub use super::entry::{Field, Note, Stamped, StatusChange, Who};
pub use super::item::ItemProgress;
pub use super::status::{Deadline, Status, UnknownDeadline, UnknownStatus};

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub version: u32,
    /// The id of the checklist these items belong to.
    pub checklist: String,
    /// Each item shared ([`Arc`]): a save holds a snapshot of the map, and an edit made
    /// meanwhile copies only the item it changes ([`Arc::make_mut`], as in
    /// [`Progress::item_mut`]).
    #[serde(default, deserialize_with = "super::unique_map::deserialize")]
    pub items: BTreeMap<String, Arc<ItemProgress>>,
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
        self.items.get(id).map(Arc::as_ref)
    }

    /// The item to change, copied first if a snapshot (a save) still holds it.
    pub fn item_mut(&mut self, id: &str) -> &mut ItemProgress {
        Arc::make_mut(self.items.entry(id.to_string()).or_default())
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
        self.note_mut(id, note, false)
    }

    /// A note to change, copying its item out of a shared ledger first; a deleted one only
    /// `with_deleted`.
    pub(crate) fn note_mut(
        &mut self,
        id: &str,
        note: &str,
        with_deleted: bool,
    ) -> Result<&mut Note, ChangeError> {
        self.items
            .get_mut(id)
            .map(Arc::make_mut)
            .and_then(|i| {
                i.notes
                    .iter_mut()
                    .find(|n| n.id == note && (with_deleted || !n.is_deleted()))
            })
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
            rewrite(n, text, who.into());
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
            if item.legacy_draft.is_none() {
                continue;
            }
            let item = Arc::make_mut(item);
            if let Some(d) = item.legacy_draft.take() {
                item.drafts
                    .entry(d.by.clone().unwrap_or_default())
                    .or_insert(d);
            }
        }
    }
}

/// Sets a note's text as an edit made by `who`, ordered after what the note was.
pub(crate) fn rewrite(n: &mut Note, text: &str, who: Who) {
    n.clock = next_clock(Some((n.clock, n.touched())), who.at);
    n.text = text.to_string();
    n.edited = Some(who.at);
    n.edited_by = who.by;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stamp;

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

    /// A copy of the ledger (a save's snapshot) shares every item; a change made to one copy
    /// copies the item it changes and no other.
    #[test]
    fn a_change_copies_only_the_item_it_changes() {
        let mut p = Progress::new("c");
        for id in ["1.1", "1.2"] {
            p.set_status(id, Status::InProgress, at("2026-11-01T09:00:00+08:00"));
        }
        let snapshot = p.clone();
        let shared = |p: &Progress, id| Arc::ptr_eq(&p.items[id], &snapshot.items[id]);
        assert!(shared(&p, "1.1") && shared(&p, "1.2"));
        p.add_note("1.1", "一", at("2026-11-02T09:00:00+08:00"))
            .unwrap();
        assert!(!shared(&p, "1.1") && shared(&p, "1.2"));
        assert!(snapshot.item("1.1").unwrap().notes.is_empty());
        // Merging a copy with itself copies nothing either.
        let (merged, _) = crate::model::merge::merge(&snapshot, &snapshot);
        assert!(shared(&merged, "1.1") && shared(&merged, "1.2"));
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
}
