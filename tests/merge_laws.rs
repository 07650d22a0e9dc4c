//! The merge of two copies of a ledger, by its laws: whichever copy comes first, merging a
//! copy with itself, merging again, three copies in any grouping, and no note ever lost.

use proptest::prelude::*;
use rectify::model::merge::merge;
use rectify::model::progress::{Field, Who};
use rectify::model::{Progress, Stamp, Status};

const ITEMS: [&str; 3] = ["1.1", "2.5", "6.3"];
const AUTHORS: [Option<&str>; 3] = [Some("王偉"), Some("李明"), None];

#[derive(Clone, Debug)]
enum Op {
    Note(usize, String),
    Status(usize, usize),
    Edit(usize, String),
    Delete(usize),
    Field(usize, usize, String),
    Deadline(usize, Option<i8>),
    Draft(usize, String),
    /// A deleted note brought back (as an undo does).
    Restore(usize, String),
    /// An item undone back to nothing, with new entries (as undo does).
    Revert(usize),
    AddMeasure(usize, String),
    /// Of the k-th live measure (of all items): a status, a field, a note, deleted.
    MeasureStatus(usize, usize),
    MeasureField(usize, usize, String),
    MeasureNote(usize, String),
    RemoveMeasure(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let text = "[a-z整改進展 ]{1,8}";
    prop_oneof![
        (0..3usize, text).prop_map(|(i, t)| Op::Note(i, t)),
        (0..3usize, 0..4usize).prop_map(|(i, s)| Op::Status(i, s)),
        (0..8usize, text).prop_map(|(n, t)| Op::Edit(n, t)),
        (0..8usize).prop_map(Op::Delete),
        (0..3usize, 0..3usize, "[a-z單位]{0,4}").prop_map(|(i, f, v)| Op::Field(i, f, v)),
        (0..3usize, proptest::option::of(1..28i8)).prop_map(|(i, d)| Op::Deadline(i, d)),
        (0..3usize, "[a-z草稿]{0,4}").prop_map(|(i, t)| Op::Draft(i, t)),
        (0..8usize, text).prop_map(|(n, t)| Op::Restore(n, t)),
        (0..3usize).prop_map(Op::Revert),
        (0..3usize, text).prop_map(|(i, t)| Op::AddMeasure(i, t)),
        (0..8usize, 0..4usize).prop_map(|(k, s)| Op::MeasureStatus(k, s)),
        (0..8usize, 0..6usize, "[a-z單位]{0,4}").prop_map(|(k, f, v)| Op::MeasureField(k, f, v)),
        (0..8usize, text).prop_map(|(k, t)| Op::MeasureNote(k, t)),
        (0..8usize).prop_map(Op::RemoveMeasure),
    ]
}

/// A step: an operation at a time (minutes into the day) by an author. Few distinct times, so
/// that two copies often change the same thing in the same minute; in no order, so that a
/// change often comes after one dated later (which the logical clock puts first).
fn step() -> impl Strategy<Value = (Op, u16, usize)> {
    (op(), 0..20u16, 0..3usize)
}

fn apply(p: &mut Progress, steps: &[(Op, u16, usize)]) {
    for (op, minute, author) in steps {
        let at: Stamp = format!(
            "2026-11-29T{:02}:{:02}:00+08:00",
            8 + minute / 60,
            minute % 60
        )
        .parse()
        .unwrap();
        let who = Who::new(at, AUTHORS[*author]);
        let note_id = |p: &Progress, n: usize| {
            let all: Vec<(String, String)> = ITEMS
                .iter()
                .flat_map(|i| {
                    p.item(i)
                        .map(|it| {
                            it.notes
                                .iter()
                                .map(|n| (i.to_string(), n.id.clone()))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                })
                .collect();
            (!all.is_empty()).then(|| all[n % all.len()].clone())
        };
        match op {
            Op::Note(i, t) => {
                let _ = p.add_note(ITEMS[*i], t, who);
            }
            Op::Status(i, s) => {
                p.set_status(ITEMS[*i], Status::ALL[*s], who);
            }
            Op::Edit(n, t) => {
                if let Some((item, id)) = note_id(p, *n) {
                    let _ = p.edit_note(&item, &id, t, who);
                }
            }
            Op::Delete(n) => {
                if let Some((item, id)) = note_id(p, *n) {
                    let _ = p.delete_note(&item, &id, who);
                }
            }
            Op::Field(i, f, v) => {
                let field = [Field::Owner, Field::Person][*f % 2];
                p.set_text(ITEMS[*i], field, v, who).unwrap();
            }
            Op::Deadline(i, d) => {
                let d = d
                    .as_ref()
                    .map(|d| rectify::model::Deadline::Date(jiff::civil::date(2026, 12, *d)));
                p.set_deadline(ITEMS[*i], d, who);
            }
            Op::Draft(i, t) => p.set_draft(ITEMS[*i], t, who),
            Op::Restore(n, t) => {
                if let Some((item, id)) = note_id(p, *n) {
                    let _ = p.restore_note(&item, &id, t, who);
                }
            }
            Op::Revert(i) => {
                p.revert_item(ITEMS[*i], None, &who);
            }
            Op::AddMeasure(i, t) => {
                let _ = p.add_measure(ITEMS[*i], t, who);
            }
            Op::MeasureStatus(k, s) => {
                if let Some(id) = measure_id(p, *k) {
                    p.set_status(&id, Status::ALL[*s], who);
                }
            }
            Op::MeasureField(k, f, v) => {
                if let Some(id) = measure_id(p, *k) {
                    let fields = [
                        Field::Text,
                        Field::Goal,
                        Field::Owner,
                        Field::Leader,
                        Field::Person,
                    ];
                    match fields.get(*f) {
                        Some(field) => {
                            let _ = p.set_text(&id, *field, v, who);
                        }
                        None => p.set_partners(&id, std::slice::from_ref(v), who).unwrap(),
                    }
                }
            }
            Op::MeasureNote(k, t) => {
                if let Some(id) = measure_id(p, *k) {
                    let _ = p.add_note(&id, t, who);
                }
            }
            Op::RemoveMeasure(k) => {
                if let Some(id) = measure_id(p, *k) {
                    p.remove_measure(&id, who).unwrap();
                }
            }
        }
    }
}

/// The id (`2.5.1`) of the k-th live measure of all items, if there is any.
fn measure_id(p: &Progress, k: usize) -> Option<String> {
    let all: Vec<String> = ITEMS
        .iter()
        .flat_map(|i| {
            p.item(i)
                .map(|it| {
                    it.numbered_measures()
                        .into_iter()
                        .map(|(n, _)| format!("{i}.{n}"))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .collect();
    (!all.is_empty()).then(|| all[k % all.len()].clone())
}

/// Two copies that share a history and then went their own ways.
fn copies() -> impl Strategy<Value = (Progress, Progress, Progress)> {
    (
        proptest::collection::vec(step(), 0..8),
        proptest::collection::vec(step(), 0..10),
        proptest::collection::vec(step(), 0..10),
        proptest::collection::vec(step(), 0..10),
    )
        .prop_map(|(base, a, b, c)| {
            let mut p = Progress::new("c");
            apply(&mut p, &base);
            let (mut pa, mut pb, mut pc) = (p.clone(), p.clone(), p);
            apply(&mut pa, &a);
            apply(&mut pb, &b);
            apply(&mut pc, &c);
            (pa, pb, pc)
        })
}

fn m(a: &Progress, b: &Progress) -> Progress {
    merge(a, b).0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merge_is_commutative((a, b, _) in copies()) {
        prop_assert_eq!(m(&a, &b), m(&b, &a));
    }

    #[test]
    fn merge_is_idempotent((a, b, _) in copies()) {
        prop_assert_eq!(m(&a, &a), a.normalised());
        let ab = m(&a, &b);
        prop_assert_eq!(m(&ab, &b), ab.clone());
        prop_assert_eq!(m(&ab, &a), ab);
    }

    #[test]
    fn merge_is_associative((a, b, c) in copies()) {
        prop_assert_eq!(m(&m(&a, &b), &c), m(&a, &m(&b, &c)));
    }

    #[test]
    fn no_note_is_ever_lost((a, b, _) in copies()) {
        let merged = m(&a, &b);
        for side in [&a, &b] {
            for (id, item) in &side.items {
                let mi = merged.item(id).unwrap();
                for n in &item.notes {
                    let got = mi.notes.iter().find(|x| x.id == n.id);
                    prop_assert!(got.is_some(), "note {} lost", n.id);
                    // A note shown on one side is shown after the merge unless the other
                    // side deleted it.
                    let deleted_elsewhere = [&a, &b].iter().any(|s| {
                        s.item(id).is_some_and(|i| i.notes.iter().any(|x| x.id == n.id && x.deleted.is_some()))
                    });
                    if !n.is_deleted() && !deleted_elsewhere {
                        prop_assert!(!got.unwrap().is_deleted());
                    }
                }
                for c in &item.history {
                    prop_assert!(mi.history.iter().any(|x| x.id == c.id), "status change lost");
                }
                // No measure is lost, nor its notes and changes; one deleted on either
                // side stays deleted unless brought back later.
                for ms in &item.measures {
                    let got = mi.measures.iter().find(|x| x.id == ms.id);
                    prop_assert!(got.is_some(), "measure {} lost", ms.id);
                    let got = got.unwrap();
                    for n in &ms.notes {
                        prop_assert!(got.notes.iter().any(|x| x.id == n.id), "measure note lost");
                    }
                    for c in &ms.history {
                        prop_assert!(got.history.iter().any(|x| x.id == c.id), "measure change lost");
                    }
                    let sides = [&a, &b];
                    let removals = sides.iter().filter_map(|s| {
                        s.item(id)?.measures.iter().find(|x| x.id == ms.id)?.removed.clone()
                    });
                    let last = removals.max_by(|x, y| (x.clock, x.at, &x.by, x.value).cmp(&(y.clock, y.at, &y.by, y.value)));
                    prop_assert_eq!(got.removed.clone(), last);
                }
                // Measures are numbered the same way in every copy.
                prop_assert!(mi.measures.is_sorted_by(|x, y| x.order(y).is_le()));
                // A copy's last word on its status stays the last word unless the other
                // copy changed the status too.
                let other = if std::ptr::eq(side, &a) { &b } else { &a };
                // (Or changed its measures, which a problem's status follows.)
                let theirs_new = other.item(id).is_some_and(|o| {
                    o.history.iter().any(|c| !item.history.iter().any(|x| x.id == c.id))
                        || o.measures != item.measures
                });
                if !theirs_new {
                    prop_assert_eq!(mi.status(), item.status());
                }
            }
        }
    }

    #[test]
    fn the_later_field_wins((a, b, _) in copies()) {
        // Later by logical clock first, then by time.
        let merged = m(&a, &b);
        for id in ITEMS {
            let latest = [&a, &b]
                .iter()
                .filter_map(|p| p.item(id).and_then(|i| i.owner.clone()))
                .max_by(|x, y| {
                    (x.clock, x.at, &x.by, &x.value).cmp(&(y.clock, y.at, &y.by, &y.value))
                });
            prop_assert_eq!(merged.item(id).and_then(|i| i.owner.clone()), latest);
        }
    }
}
