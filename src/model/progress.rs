//! What the user records against a checklist: per item id, its status history, dated notes and
//! the ledger fields. Kept apart from the checklist so a revised checklist keeps the notes.
//!
//! Everything carries a timestamp and an id, so two copies can be merged item by item, and the
//! current status is derived from the history rather than stored twice.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Stamp;
use super::clock::next_clock;
pub use super::entry::{Field, Note, Stamped, StatusChange, Who};
pub use super::item::{ItemProgress, note_number, numbered_notes, visible_notes};
use super::measure;
pub use super::measure::Measure;
pub use super::status::{Deadline, Status, UnknownDeadline, UnknownStatus};

/// The progress file format this build writes. Version 2 added authors (`by`) and drafts
/// per author; version 3 made measures items of their own (one `measures` text per problem
/// before). Older files are read and upgraded (see `store::migrate`).
///
/// The logical clock (`clock` on status changes, fields and notes) came without a new
/// version: it is written only where it is not 0, which is only after a change had to be
/// put after an entry dated at or after its own time (a colleague's clock ran ahead), so
/// other files stay as they were and older builds read them. An older build refuses a file
/// with a clock in it (an unknown field, named with its line and column) and leaves it as
/// it is.
pub const VERSION: u32 = 3;

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
    #[error("a measure's text cannot be empty")]
    EmptyMeasure,
    #[error("there is no measure {id}")]
    NoSuchMeasure { id: String },
    #[error("{id} has no field {field:?}")]
    NoSuchField { id: String, field: Field },
    #[error("{item} has measures not yet resolved: {}", open.join(", "))]
    OpenMeasures { item: String, open: Vec<String> },
    #[error("the status of {item} follows its measures: mark them, or reopen {item} with a reason")]
    FollowsMeasures { item: String },
    #[error("{id} is not resolved: there is nothing to reopen")]
    NotDone { id: String },
    #[error("a reopening needs a reason")]
    NoReason,
}

/// What a change is made to: a problem, or one of its measures.
enum RecordMut<'a> {
    Item(&'a mut ItemProgress),
    Measure(&'a mut Measure),
}

impl RecordMut<'_> {
    fn history(&mut self) -> &mut Vec<StatusChange> {
        match self {
            RecordMut::Item(i) => &mut i.history,
            RecordMut::Measure(m) => &mut m.history,
        }
    }

    fn notes(&mut self) -> &mut Vec<Note> {
        match self {
            RecordMut::Item(i) => &mut i.notes,
            RecordMut::Measure(m) => &mut m.notes,
        }
    }

    fn deadline(&mut self) -> &mut Option<Stamped<Option<Deadline>>> {
        match self {
            RecordMut::Item(i) => &mut i.deadline,
            RecordMut::Measure(m) => &mut m.deadline,
        }
    }

    /// The slot of a text field, if this kind of record has it (a measure's text is never
    /// empty, and is set apart).
    fn text(&mut self, field: Field) -> Option<&mut Option<Stamped<String>>> {
        match (self, field) {
            (RecordMut::Item(i), Field::Owner) => Some(&mut i.owner),
            (RecordMut::Item(i), Field::Person) => Some(&mut i.person),
            (RecordMut::Measure(m), Field::Owner) => Some(&mut m.owner),
            (RecordMut::Measure(m), Field::Person) => Some(&mut m.person),
            (RecordMut::Measure(m), Field::Goal) => Some(&mut m.goal),
            (RecordMut::Measure(m), Field::Leader) => Some(&mut m.leader),
            _ => None,
        }
    }
}

/// A value stamped by `who`, ordered after `old` (see [`super::clock`]).
fn stamp<T>(value: T, old: Option<(u64, Stamp)>, who: Who) -> Stamped<T> {
    Stamped {
        value,
        clock: next_clock(old, who.at),
        at: who.at,
        by: who.by,
    }
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

    /// The live measure `id` names (`2.5.1`): its problem's id, its number and itself.
    pub fn measure<'a>(&self, id: &'a str) -> Option<(&'a str, usize, &Measure)> {
        let (item, n) = measure::split_id(id)?;
        let m = self.item(item)?.measure(n)?;
        Some((item, n, m))
    }

    fn record_mut(&mut self, id: &str) -> RecordMut<'_> {
        match self.measure(id).map(|(item, n, _)| (item, n)) {
            Some((item, n)) => RecordMut::Measure(&mut self.item_mut(item).measures[n - 1]),
            None => RecordMut::Item(self.item_mut(id)),
        }
    }

    /// The status of a problem (see [`ItemProgress::status`]) or a measure.
    pub fn status(&self, id: &str) -> Status {
        if let Some((_, _, m)) = self.measure(id) {
            return m.status();
        }
        self.item(id).map_or(Status::Open, ItemProgress::status)
    }

    /// The latest status event of a problem and its measures, as (clock, time): a new
    /// status change anywhere in it comes after it.
    fn latest_status_event(&self, id: &str) -> Option<(u64, Stamp)> {
        let item_id = self.measure(id).map_or(id, |(item, _, _)| item);
        let item = self.item(item_id)?;
        let own = item.history.iter().map(|c| (c.clock, c.at));
        own.chain(item.measures.iter().map(Measure::latest_event))
            .max()
    }

    /// Records a status change of a problem or measure, which takes effect even after a
    /// change dated later (see [`super::clock`]). Returns false (and records nothing) when
    /// it already has that status. Any status may follow any other: every change can be
    /// undone. What users ask for goes through [`Progress::mark`], which keeps a problem's
    /// status following its measures.
    pub fn set_status(&mut self, id: &str, status: Status, who: impl Into<Who>) -> bool {
        if self.status(id) == status {
            return false;
        }
        self.push_change(id, status, None, who.into());
        true
    }

    fn push_change(&mut self, id: &str, status: Status, reason: Option<String>, who: Who) {
        let clock = next_clock(self.latest_status_event(id), who.at);
        self.record_mut(id).history().push(StatusChange {
            id: new_id(),
            at: who.at,
            status,
            by: who.by,
            clock,
            on: who.on,
            reason,
        });
    }

    /// A status change a user asked for. A problem with measures follows them: it can be
    /// marked resolved or verified (銷號) only when every measure is done, and not open or
    /// in progress (mark its measures, or reopen it). Returns whether anything changed.
    pub fn mark(
        &mut self,
        id: &str,
        status: Status,
        who: impl Into<Who>,
    ) -> Result<bool, ChangeError> {
        if self.measure(id).is_none()
            && let Some(item) = self.item(id).filter(|i| i.has_measures())
            && item.status() != status
        {
            let open: Vec<String> = item
                .numbered_measures()
                .into_iter()
                .filter(|(_, m)| !m.status().is_done())
                .map(|(n, _)| format!("{id}.{n}"))
                .collect();
            match status {
                Status::Resolved | Status::Verified if open.is_empty() => {}
                Status::Resolved | Status::Verified => {
                    return Err(ChangeError::OpenMeasures {
                        item: id.to_string(),
                        open,
                    });
                }
                Status::Open | Status::InProgress => {
                    return Err(ChangeError::FollowsMeasures {
                        item: id.to_string(),
                    });
                }
            }
        }
        Ok(self.set_status(id, status, who))
    }

    /// Sets a resolved or verified problem or measure back in progress, recording why (a
    /// 回頭看 found the problem come back).
    pub fn reopen(
        &mut self,
        id: &str,
        reason: &str,
        who: impl Into<Who>,
    ) -> Result<(), ChangeError> {
        if reason.trim().is_empty() {
            return Err(ChangeError::NoReason);
        }
        if !self.status(id).is_done() {
            return Err(ChangeError::NotDone { id: id.to_string() });
        }
        self.push_change(
            id,
            Status::InProgress,
            Some(reason.trim().to_string()),
            who.into(),
        );
        Ok(())
    }

    /// Adds a measure to problem `item` and returns its id (`2.5.3`).
    pub fn add_measure(
        &mut self,
        item: &str,
        text: &str,
        who: impl Into<Who>,
    ) -> Result<String, ChangeError> {
        if text.trim().is_empty() {
            return Err(ChangeError::EmptyMeasure);
        }
        let who = who.into();
        let measures = &mut self.item_mut(item).measures;
        let mut m = Measure::new(new_id(), stamp(text.trim().to_string(), None, who));
        // A clock behind the last measure's would number this one before it: it is put
        // last, where the user sees it added.
        if let Some(last) = measures.last() {
            m.created = m.created.max(last.created);
        }
        measures.push(m);
        Ok(format!("{item}.{}", measures.len()))
    }

    /// Deletes a measure, keeping it as a tombstone so a merge does not bring it back.
    pub fn remove_measure(&mut self, id: &str, who: impl Into<Who>) -> Result<(), ChangeError> {
        let Some((item, n, _)) = self.measure(id) else {
            return Err(ChangeError::NoSuchMeasure { id: id.to_string() });
        };
        let m = &mut self.item_mut(item).measures[n - 1];
        let old = m.removed.as_ref().map(|r| (r.clock, r.at));
        m.removed = Some(stamp(true, old, who.into()));
        Ok(())
    }

    /// Brings back a deleted measure (an undo), as a change made now.
    pub fn restore_measure(&mut self, item: &str, measure: &str, who: impl Into<Who>) -> bool {
        let Some(m) = self.items.get_mut(item).map(Arc::make_mut).and_then(|i| {
            i.measures
                .iter_mut()
                .find(|m| m.id == measure && m.is_removed())
        }) else {
            return false;
        };
        let old = m.removed.as_ref().map(|r| (r.clock, r.at));
        m.removed = Some(stamp(false, old, who.into()));
        true
    }

    /// Appends a dated note to a problem or measure and returns its id.
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
        self.record_mut(id).notes().push(Note {
            id: note_id.clone(),
            at: who.at,
            text: text.to_string(),
            edited: None,
            deleted: None,
            by: who.by,
            edited_by: None,
            deleted_by: None,
            clock: 0,
            on: who.on,
        });
        Ok(note_id)
    }

    fn live_note_mut(&mut self, id: &str, note: &str) -> Result<&mut Note, ChangeError> {
        self.note_mut(id, note, false)
    }

    /// A note of a problem or measure to change, copying its item out of a shared ledger
    /// first; a deleted one only `with_deleted`.
    pub(crate) fn note_mut(
        &mut self,
        id: &str,
        note: &str,
        with_deleted: bool,
    ) -> Result<&mut Note, ChangeError> {
        let missing = || ChangeError::NoSuchNote {
            item: id.to_string(),
            note: note.to_string(),
        };
        let known = self.measure(id).is_some() || self.items.contains_key(id);
        if !known {
            return Err(missing());
        }
        let notes = match self.record_mut(id) {
            RecordMut::Item(i) => &mut i.notes,
            RecordMut::Measure(m) => &mut m.notes,
        };
        notes
            .iter_mut()
            .find(|n| n.id == note && (with_deleted || !n.is_deleted()))
            .ok_or_else(missing)
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

    /// Sets a text field of a problem or measure; an empty value clears it (and still
    /// records when), except a measure's text, which cannot be empty.
    pub fn set_text(
        &mut self,
        id: &str,
        field: Field,
        value: &str,
        who: impl Into<Who>,
    ) -> Result<(), ChangeError> {
        let mut record = self.record_mut(id);
        if let (RecordMut::Measure(m), Field::Text) = (&mut record, field) {
            if value.trim().is_empty() {
                return Err(ChangeError::EmptyMeasure);
            }
            if m.text.value != value {
                let old = Some((m.text.clock, m.text.at));
                m.text = stamp(value.to_string(), old, who.into());
            }
            return Ok(());
        }
        let slot = record.text(field).ok_or(ChangeError::NoSuchField {
            id: id.to_string(),
            field,
        })?;
        if slot.as_ref().map(|s| s.value.as_str()) != Some(value) {
            let old = slot.as_ref().map(|s| (s.clock, s.at));
            *slot = Some(stamp(value.to_string(), old, who.into()));
        }
        Ok(())
    }

    /// Sets a measure's partner units (配合單位); an empty list clears them.
    pub fn set_partners(
        &mut self,
        id: &str,
        units: &[String],
        who: impl Into<Who>,
    ) -> Result<(), ChangeError> {
        let RecordMut::Measure(m) = self.record_mut(id) else {
            return Err(ChangeError::NoSuchField {
                id: id.to_string(),
                field: Field::Partners,
            });
        };
        if m.partners() != units {
            let old = m.partners.as_ref().map(|s| (s.clock, s.at));
            m.partners = Some(stamp(units.to_vec(), old, who.into()));
        }
        Ok(())
    }

    pub fn set_deadline(&mut self, id: &str, value: Option<Deadline>, who: impl Into<Who>) {
        let mut record = self.record_mut(id);
        let slot = record.deadline();
        if slot.as_ref().map(|s| s.value) != Some(value) {
            let old = slot.as_ref().map(|s| (s.clock, s.at));
            *slot = Some(stamp(value, old, who.into()));
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
            let old = item.drafts.get(&key).map(|d| (d.clock, d.at));
            item.drafts.insert(key, stamp(text.to_string(), old, who));
        }
    }

    /// Upgrades what an older version wrote:
    /// - version 1: a single `draft` becomes the unknown author's;
    /// - version 2: a problem's one `measures` text becomes its measure 1, with the
    ///   problem's owner, person, deadline and status history. Its id is made from the
    ///   problem's id and the text's stamp, so two copies upgraded apart agree.
    pub(crate) fn upgrade(&mut self) {
        self.version = VERSION;
        for (id, item) in self.items.iter_mut() {
            let legacy = item.measures.iter().any(|m| m.id == measure::LEGACY_ID);
            if item.legacy_draft.is_none() && !legacy {
                continue;
            }
            let item = Arc::make_mut(item);
            if let Some(d) = item.legacy_draft.take() {
                item.drafts
                    .entry(d.by.clone().unwrap_or_default())
                    .or_insert(d);
            }
            if let Some(m) = item
                .measures
                .iter_mut()
                .find(|m| m.id == measure::LEGACY_ID)
            {
                let name = format!("{id}\n{}\n{}", m.text.at, m.text.value);
                m.id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, name.as_bytes()).to_string();
                m.owner = item.owner.clone();
                m.person = item.person.clone();
                m.deadline = item.deadline.clone();
                m.history = item.history.clone();
                if let Some(first) = item.history.iter().map(|c| c.at).min() {
                    m.created = m.created.min(first);
                }
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
        )
        .unwrap();
        assert_eq!(last(&p), Some(at("2026-11-05T09:00:00+08:00")));
        p.set_deadline("2.5", None, at("2026-11-06T09:00:00+08:00"));
        assert_eq!(last(&p), Some(at("2026-11-06T09:00:00+08:00")));
        // An earlier change after them does not move it back.
        p.set_text(
            "2.5",
            Field::Owner,
            "公安廳",
            at("2026-11-01T09:00:00+08:00"),
        )
        .unwrap();
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
