//! Undo as a change of its own. Putting an item back as it was (old entries, old times)
//! would be undone again by the next merge with a copy that saw the change: the newer
//! entry there wins over the older one restored here. So undo makes new entries, stamped
//! now, that bring back what the item showed: a status change back to the old status, the
//! old value of a field, a note deleted again or brought back. Drafts are not changes and
//! are left alone.

use super::progress::{ChangeError, Field, Who};
use super::{ItemProgress, Measure, Note, Progress};

impl Progress {
    /// Makes item `id` show what `target` shows (`None`: an item with nothing recorded),
    /// with new entries by `who`. Its drafts stay as they are. Returns whether anything
    /// changed.
    pub fn revert_item(&mut self, id: &str, target: Option<&ItemProgress>, who: &Who) -> bool {
        let empty = ItemProgress::default();
        let target = target.unwrap_or(&empty);
        let current = self.item(id).cloned().unwrap_or_default();
        // Measures first: the problem's status follows them.
        let mut changed = false;
        for (i, m) in current.measures.iter().enumerate() {
            let wanted = target
                .measures
                .iter()
                .find(|t| t.id == m.id && !t.is_removed());
            let number = format!("{id}.{}", i + 1);
            changed |= match (wanted, m.is_removed()) {
                (Some(_), true) => self.restore_measure(id, &m.id, who.clone()),
                (None, false) => self.remove_measure(&number, who.clone()).is_ok(),
                _ => false,
            };
            if let Some(t) = wanted {
                changed |= self.revert_measure(&number, m, t, who);
            }
        }
        changed |= self.set_status(id, target.status(), who.clone());
        for (field, now, then) in [
            (Field::Owner, current.owner(), target.owner()),
            (Field::Person, current.person(), target.person()),
        ] {
            if now != then {
                changed |= self.set_text(id, field, then, who.clone()).is_ok();
            }
        }
        if current.deadline() != target.deadline() {
            self.set_deadline(id, target.deadline(), who.clone());
            changed = true;
        }
        changed | self.revert_notes(id, &current.notes, &target.notes, who)
    }

    /// Makes measure `id` (now `current`) show what `target` shows.
    fn revert_measure(&mut self, id: &str, current: &Measure, target: &Measure, who: &Who) -> bool {
        let mut changed = self.set_status(id, target.status(), who.clone());
        for (field, now, then) in [
            (Field::Text, current.text(), target.text()),
            (Field::Goal, current.goal(), target.goal()),
            (Field::Owner, current.owner(), target.owner()),
            (Field::Leader, current.leader(), target.leader()),
            (Field::Person, current.person(), target.person()),
        ] {
            if now != then {
                changed |= self.set_text(id, field, then, who.clone()).is_ok();
            }
        }
        if current.partners() != target.partners() {
            changed |= self
                .set_partners(id, target.partners(), who.clone())
                .is_ok();
        }
        if current.deadline() != target.deadline() {
            self.set_deadline(id, target.deadline(), who.clone());
            changed = true;
        }
        changed | self.revert_notes(id, &current.notes, &target.notes, who)
    }

    /// Deletes, brings back or rewrites the notes of `id` (now `current`) to show `target`.
    fn revert_notes(&mut self, id: &str, current: &[Note], target: &[Note], who: &Who) -> bool {
        let mut changed = false;
        for note in current {
            let wanted = target.iter().find(|n| n.id == note.id && !n.is_deleted());
            let done = match (wanted, note.is_deleted()) {
                (Some(w), true) => self.restore_note(id, &note.id, &w.text, who.clone()),
                (Some(w), false) if w.text != note.text => {
                    self.edit_note(id, &note.id, &w.text, who.clone())
                }
                (None, false) => self.delete_note(id, &note.id, who.clone()),
                _ => continue,
            };
            changed |= done.is_ok();
        }
        changed
    }

    /// Brings back a deleted note (or sets a live one's text), as an edit made now: it
    /// wins a merge with a copy that has the delete.
    pub fn restore_note(
        &mut self,
        id: &str,
        note: &str,
        text: &str,
        who: impl Into<Who>,
    ) -> Result<(), ChangeError> {
        if text.trim().is_empty() {
            return Err(ChangeError::EmptyNote);
        }
        let n = self.note_mut(id, note, true)?;
        super::progress::rewrite(n, text, who.into());
        n.deleted = None;
        n.deleted_by = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::merge::merge;
    use crate::model::progress::{Field, Who};
    use crate::model::{Progress, Stamp, Status};

    fn at(s: &str) -> Stamp {
        s.parse().unwrap()
    }

    /// Undo at `undo_at` of a change made to `before` at the same item, then a merge with
    /// the copy that saw the change (and not the undo): the undo holds, either way round.
    fn undo_holds(before: &Progress, change: impl Fn(&mut Progress), undo_at: &str) -> Progress {
        let mut changed = before.clone();
        change(&mut changed);
        let mut undone = changed.clone();
        let who = Who::new(at(undo_at), Some("王偉"));
        assert!(undone.revert_item("1.1", before.item("1.1"), &who));
        for (a, b) in [(&undone, &changed), (&changed, &undone)] {
            let m = merge(a, b).0;
            let (got, want) = (m.item("1.1").unwrap(), before.item("1.1"));
            let want = want.cloned().unwrap_or_default();
            assert_eq!(got.status(), want.status());
            assert_eq!(got.owner(), want.owner());
            assert_eq!(got.deadline(), want.deadline());
            let texts = |i: &crate::model::ItemProgress| -> Vec<String> {
                i.visible_notes().iter().map(|n| n.text.clone()).collect()
            };
            assert_eq!(texts(got), texts(&want));
        }
        undone
    }

    #[test]
    fn an_undone_change_is_not_brought_back_by_a_merge() {
        let t0 = "2026-11-29T09:00:00+08:00";
        let t1 = "2026-11-29T10:00:00+08:00";
        let mut base = Progress::new("c");
        let note = base.add_note("1.1", "整改中", at(t0)).unwrap();
        base.set_text("1.1", Field::Owner, "公安廳", at(t0))
            .unwrap();
        base.set_draft("1.1", "草稿", at(t0));
        // Undone in the same millisecond as the change (a pinned clock), and later.
        for undo_at in [t1, "2026-11-29T11:00:00+08:00"] {
            undo_holds(
                &base,
                |p| p.delete_note("1.1", &note, at(t1)).unwrap(),
                undo_at,
            );
            undo_holds(
                &base,
                |p| {
                    p.add_note("1.1", "added", at(t1)).unwrap();
                },
                undo_at,
            );
            undo_holds(
                &base,
                |p| {
                    p.set_status("1.1", Status::Resolved, at(t1));
                },
                undo_at,
            );
            undo_holds(
                &base,
                |p| p.edit_note("1.1", &note, "改過", at(t1)).unwrap(),
                undo_at,
            );
            let undone = undo_holds(
                &base,
                |p| {
                    p.set_text("1.1", Field::Owner, "財政廳", at(t1)).unwrap();
                    p.set_deadline("1.1", Some(crate::model::Deadline::LongTerm), at(t1));
                },
                undo_at,
            );
            assert_eq!(
                undone.item("1.1").unwrap().draft(None).unwrap().value,
                "草稿",
                "drafts are not touched"
            );
        }
        // An item that had nothing: undoing its first change leaves it showing nothing.
        undo_holds(
            &Progress::new("c"),
            |p| {
                p.set_status("1.1", Status::InProgress, at(t1));
            },
            t1,
        );
    }
}
