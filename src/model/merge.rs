//! Joining two copies of one ledger. Every entry carries a time, an id and its author, so
//! no common ancestor is needed: changes are unions, and where two copies disagree the later
//! one wins. The result is the same whichever copy comes first (commutative), merging a copy
//! with itself changes nothing (idempotent), and no note is ever lost.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::progress::{ItemProgress, Measure, Note, Progress, Stamped, StatusChange};

/// What a merge brought in from `theirs`, to tell the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Incoming {
    pub notes: usize,
    pub changes: usize,
    pub measures: usize,
    /// Who wrote what came in ("" for unknown).
    pub authors: BTreeSet<String>,
}

impl Incoming {
    pub fn is_empty(&self) -> bool {
        self.notes + self.changes + self.measures == 0
    }
}

/// Merges two copies. Notes and status changes are sets keyed by id (for a note edited or
/// deleted on both sides, the later touch wins, a delete winning a tie); each field and each
/// author's draft keeps the value set last. "Later" compares the logical clock first (see
/// [`super::clock`]), then the time. `Incoming` counts what `theirs` added to `ours`.
pub fn merge(ours: &Progress, theirs: &Progress) -> (Progress, Incoming) {
    let mut out = ours.clone();
    let mut incoming = Incoming::default();
    out.version = ours.version.max(theirs.version);
    for (id, their) in &theirs.items {
        let mine = out.items.entry(id.clone()).or_default();
        // An item the same on both sides is left shared, not copied.
        if *mine != *their {
            merge_item(Arc::make_mut(mine), their, &mut incoming);
        }
    }
    out.items.values_mut().for_each(normalise);
    (out, incoming)
}

/// The canonical order of an item's lists: status changes in the order they took effect
/// (by time, then id, where no clock was needed), notes by time, then id. An item in that
/// order already is left as it is (shared, not copied).
fn normalise(item: &mut Arc<ItemProgress>) {
    fn note_order(a: &Note, b: &Note) -> Ordering {
        a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id))
    }
    fn in_order(history: &[StatusChange], notes: &[Note]) -> bool {
        history.is_sorted_by(|a, b| a.order(b).is_le())
            && notes.is_sorted_by(|a, b| note_order(a, b).is_le())
    }
    fn sort(history: &mut [StatusChange], notes: &mut [Note]) {
        history.sort_by(|a, b| a.order(b));
        notes.sort_by(note_order);
    }
    if in_order(&item.history, &item.notes)
        && item.measures.is_sorted_by(|a, b| a.order(b).is_le())
        && item.measures.iter().all(|m| in_order(&m.history, &m.notes))
    {
        return;
    }
    let item = Arc::make_mut(item);
    sort(&mut item.history, &mut item.notes);
    item.measures.sort_by(Measure::order);
    for m in &mut item.measures {
        sort(&mut m.history, &mut m.notes);
    }
}

impl Progress {
    /// The same ledger with every list in canonical order, as a merge returns it.
    pub fn normalised(&self) -> Progress {
        let mut p = self.clone();
        p.items.values_mut().for_each(normalise);
        p
    }
}

fn merge_item(mine: &mut ItemProgress, their: &ItemProgress, incoming: &mut Incoming) {
    merge_history(&mut mine.history, &their.history, incoming);
    merge_notes(&mut mine.notes, &their.notes, incoming);
    lww(&mut mine.owner, &their.owner);
    lww(&mut mine.person, &their.person);
    lww(&mut mine.deadline, &their.deadline);
    for (author, d) in &their.drafts {
        let mut slot = mine.drafts.get(author).cloned();
        lww(&mut slot, &Some(d.clone()));
        if let Some(d) = slot {
            mine.drafts.insert(author.clone(), d);
        }
    }
    let mut measures: BTreeMap<String, Measure> =
        mine.measures.drain(..).map(|m| (m.id.clone(), m)).collect();
    for t in &their.measures {
        match measures.get_mut(&t.id) {
            None => {
                measures.insert(t.id.clone(), t.clone());
                if !t.is_removed() {
                    incoming.measures += 1;
                    incoming.authors.insert(t.by.clone().unwrap_or_default());
                }
            }
            Some(m) => merge_measure(m, t, incoming),
        }
    }
    mine.measures = measures.into_values().collect();
    mine.measures.sort_by(Measure::order);
}

fn merge_measure(mine: &mut Measure, their: &Measure, incoming: &mut Incoming) {
    // One id is one measure: its creation cannot differ; if a hand edit made it, the
    // greater is kept so both orders agree.
    if (their.created, &their.by) > (mine.created, &mine.by) {
        mine.created = their.created;
        mine.by = their.by.clone();
    }
    merge_history(&mut mine.history, &their.history, incoming);
    merge_notes(&mut mine.notes, &their.notes, incoming);
    let mut text = Some(mine.text.clone());
    lww(&mut text, &Some(their.text.clone()));
    mine.text = text.expect("set just above");
    lww(&mut mine.goal, &their.goal);
    lww(&mut mine.owner, &their.owner);
    lww(&mut mine.partners, &their.partners);
    lww(&mut mine.leader, &their.leader);
    lww(&mut mine.person, &their.person);
    lww(&mut mine.deadline, &their.deadline);
    lww(&mut mine.removed, &their.removed);
}

/// Status changes are a set keyed by id.
fn merge_history(mine: &mut Vec<StatusChange>, theirs: &[StatusChange], incoming: &mut Incoming) {
    let mut history: BTreeMap<String, StatusChange> =
        mine.drain(..).map(|c| (c.id.clone(), c)).collect();
    for c in theirs {
        match history.get_mut(&c.id) {
            None => {
                history.insert(c.id.clone(), c.clone());
                incoming.changes += 1;
                incoming.authors.insert(c.by.clone().unwrap_or_default());
            }
            // The same id twice with different content cannot come from rectify; keep the
            // greater so both orders agree.
            Some(m) if c > m => *m = c.clone(),
            Some(_) => {}
        }
    }
    *mine = history.into_values().collect();
}

/// Notes are a set keyed by id; of two versions of one note the later touch wins.
fn merge_notes(mine: &mut Vec<Note>, theirs: &[Note], incoming: &mut Incoming) {
    let mut notes: BTreeMap<String, Note> = mine.drain(..).map(|n| (n.id.clone(), n)).collect();
    for n in theirs {
        match notes.get_mut(&n.id) {
            None => {
                notes.insert(n.id.clone(), n.clone());
                if !n.is_deleted() {
                    incoming.notes += 1;
                    incoming.authors.insert(n.by.clone().unwrap_or_default());
                }
            }
            Some(m) if later(n, m) == Ordering::Greater => *m = n.clone(),
            Some(_) => {}
        }
    }
    *mine = notes.into_values().collect();
}

/// Which of two versions of a note wins: touched later (by logical clock, then time); at
/// the same moment a delete; then every other field, so the choice never depends on which
/// copy is "ours".
fn later(a: &Note, b: &Note) -> Ordering {
    let key = |n: &Note| {
        (
            (
                n.clock,
                n.touched(),
                n.deleted.is_some(),
                n.text.clone(),
                n.edited,
                n.deleted,
            ),
            (
                n.by.clone(),
                n.edited_by.clone(),
                n.deleted_by.clone(),
                n.at,
            ),
        )
    };
    key(a).cmp(&key(b))
}

/// Last writer wins (by logical clock, then time); a tie is broken by author, then value.
fn lww<T: Clone + Ord>(mine: &mut Option<Stamped<T>>, theirs: &Option<Stamped<T>>) {
    if let Some(t) = theirs {
        let key = |s: &Stamped<T>| (s.clock, s.at, s.by.clone(), s.value.clone());
        if mine.as_ref().is_none_or(|m| key(t) > key(m)) {
            *mine = Some(t.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::progress::Field;
    use crate::model::{Stamp, Status};

    fn at(s: &str) -> Stamp {
        s.parse().unwrap()
    }

    #[test]
    fn notes_from_both_sides_survive_and_later_fields_win() {
        let mut base = Progress::new("c");
        base.add_note("1.1", "base", at("2026-11-01T09:00:00+08:00"))
            .unwrap();
        let mut a = base.clone();
        let mut b = base.clone();
        a.add_note("1.1", "from a", at("2026-11-02T09:00:00+08:00"))
            .unwrap();
        b.add_note("1.1", "from b", at("2026-11-02T10:00:00+08:00"))
            .unwrap();
        a.set_text(
            "1.1",
            Field::Owner,
            "A unit",
            at("2026-11-03T09:00:00+08:00"),
        )
        .unwrap();
        b.set_text(
            "1.1",
            Field::Owner,
            "B unit",
            at("2026-11-03T10:00:00+08:00"),
        )
        .unwrap();
        b.set_status("1.1", Status::Resolved, at("2026-11-04T09:00:00+08:00"));
        let (m, incoming) = merge(&a, &b);
        assert_eq!((incoming.notes, incoming.changes), (1, 1));
        let item = m.item("1.1").unwrap();
        let texts: Vec<&str> = item.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["base", "from a", "from b"]);
        assert_eq!(item.owner(), "B unit");
        assert_eq!(m.status("1.1"), Status::Resolved);
        let (m2, _) = merge(&b, &a);
        assert_eq!(m.items, m2.items, "symmetric");
        let (m3, again) = merge(&m, &m);
        assert_eq!(m3, m);
        assert!(again.is_empty(), "idempotent");
    }

    #[test]
    fn a_delete_is_not_undone_by_an_older_copy() {
        let mut a = Progress::new("c");
        let id = a.add_note("1.1", "x", at("2026-11-01T09:00:00Z")).unwrap();
        let old = a.clone();
        a.delete_note("1.1", &id, at("2026-11-02T09:00:00Z"))
            .unwrap();
        let (m, _) = merge(&old, &a);
        assert!(m.item("1.1").unwrap().visible_notes().is_empty());
    }
}
