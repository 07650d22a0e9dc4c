//! Joining two copies of one ledger. Every entry carries a time and an id, so no common
//! ancestor is needed: changes are unions, and where two copies disagree the later one wins.

use std::collections::BTreeMap;

use super::Stamp;
use super::progress::{ItemProgress, Note, Progress, Stamped};

/// What a merge brought in from `theirs`, to tell the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Incoming {
    pub notes: usize,
    pub changes: usize,
}

/// Merges `theirs` into `ours`. Notes and status changes are sets keyed by id (union; for a
/// note edited or deleted in both, the later touch wins); each field keeps the value set
/// last. Deterministic and symmetric apart from the draft, which stays ours.
pub fn merge(ours: &Progress, theirs: &Progress) -> (Progress, Incoming) {
    let mut out = ours.clone();
    let mut incoming = Incoming::default();
    out.version = ours.version.max(theirs.version);
    for (id, their) in &theirs.items {
        let mine = out.items.entry(id.clone()).or_default();
        merge_item(mine, their, &mut incoming);
    }
    (out, incoming)
}

fn merge_item(mine: &mut ItemProgress, their: &ItemProgress, incoming: &mut Incoming) {
    for change in &their.history {
        if !mine.history.iter().any(|c| c.id == change.id) {
            mine.history.push(change.clone());
            incoming.changes += 1;
        }
    }
    mine.history
        .sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));

    let mut notes: BTreeMap<String, Note> =
        mine.notes.drain(..).map(|n| (n.id.clone(), n)).collect();
    for n in &their.notes {
        match notes.get_mut(&n.id) {
            None => {
                notes.insert(n.id.clone(), n.clone());
                incoming.notes += 1;
            }
            Some(m) if later(n, m) => *m = n.clone(),
            Some(_) => {}
        }
    }
    mine.notes = notes.into_values().collect();
    mine.notes
        .sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));

    lww(&mut mine.owner, &their.owner);
    lww(&mut mine.person, &their.person);
    lww(&mut mine.measures, &their.measures);
    lww(&mut mine.deadline, &their.deadline);
    if mine.draft.is_none() {
        mine.draft = their.draft.clone();
    }
}

/// The last time a note was touched: written, edited or deleted.
fn touched(n: &Note) -> Stamp {
    [Some(n.at), n.edited, n.deleted]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(n.at)
}

/// Whether `a` should replace `b`: touched later, or at the same moment and deleted (a
/// delete and an edit in one millisecond: the delete wins), or else by text for determinism.
fn later(a: &Note, b: &Note) -> bool {
    (touched(a), a.deleted.is_some(), &a.text) > (touched(b), b.deleted.is_some(), &b.text)
}

fn lww<T: Clone + PartialEq>(mine: &mut Option<Stamped<T>>, theirs: &Option<Stamped<T>>) {
    if let Some(t) = theirs
        && mine.as_ref().is_none_or(|m| t.at > m.at)
    {
        *mine = Some(t.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
    use crate::model::progress::Field;

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
        );
        b.set_text(
            "1.1",
            Field::Owner,
            "B unit",
            at("2026-11-03T10:00:00+08:00"),
        );
        b.set_status("1.1", Status::Resolved, at("2026-11-04T09:00:00+08:00"));
        let (m, incoming) = merge(&a, &b);
        assert_eq!(
            incoming,
            Incoming {
                notes: 1,
                changes: 1
            }
        );
        let item = m.item("1.1").unwrap();
        let texts: Vec<&str> = item.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["base", "from a", "from b"]);
        assert_eq!(item.owner(), "B unit");
        assert_eq!(m.status("1.1"), Status::Resolved);
        let (m2, _) = merge(&b, &a);
        assert_eq!(m.items, m2.items, "symmetric");
        let (m3, again) = merge(&m, &m);
        assert_eq!(m3, m);
        assert_eq!(again, Incoming::default(), "idempotent");
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
