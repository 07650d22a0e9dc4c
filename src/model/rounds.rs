//! Report rounds: the ledger as it stood on a day, and what changed in a period, rebuilt
//! from the timestamps every entry carries. An entry belongs to the day its writer's clock
//! showed (its own offset), which is also the date every report prints for it.

use std::sync::Arc;

use jiff::civil::Date;

use super::{ItemProgress, Progress, Stamp, Stamped};

fn on_or_before<T: Clone>(s: &Option<Stamped<T>>, date: Date) -> Option<Stamped<T>> {
    s.as_ref().filter(|s| s.at.date() <= date).cloned()
}

impl Progress {
    /// The ledger at the end of `date`: status changes and notes of a later day (their event
    /// date, `--on`, or else the day they were recorded) are left out, measures added later
    /// too, and a field set later shows as not set. Limits, since old values are not kept: a
    /// note edited later shows its current text, one deleted later stays deleted, and so
    /// does a measure.
    pub fn as_of(&self, date: Date) -> Progress {
        let mut out = Progress::new(&self.checklist);
        out.version = self.version;
        for (id, item) in &self.items {
            let mut it = ItemProgress::clone(item);
            it.history.retain(|c| c.date() <= date);
            it.notes.retain(|n| n.date() <= date);
            it.owner = on_or_before(&item.owner, date);
            it.person = on_or_before(&item.person, date);
            it.deadline = on_or_before(&item.deadline, date);
            it.measures.retain(|m| m.created.date() <= date);
            for m in &mut it.measures {
                m.history.retain(|c| c.date() <= date);
                m.notes.retain(|n| n.date() <= date);
                for f in [&mut m.goal, &mut m.owner, &mut m.leader, &mut m.person] {
                    *f = on_or_before(f, date);
                }
                m.partners = on_or_before(&m.partners, date);
                m.deadline = on_or_before(&m.deadline, date);
                m.removed = on_or_before(&m.removed, date);
            }
            it.drafts.clear();
            if it != Default::default() {
                out.items.insert(id.clone(), Arc::new(it));
            }
        }
        out
    }
}

/// Whether a stamp falls in the period after `since` up to and including `until`.
pub fn in_period(at: &Stamp, since: Date, until: Date) -> bool {
    let d = at.date();
    d > since && d <= until
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
    fn as_of_leaves_out_what_came_later_by_the_writers_date() {
        let mut p = Progress::new("c");
        p.set_status("1.1", Status::InProgress, at("2026-11-10T09:00:00+08:00"));
        p.set_status("1.1", Status::Resolved, at("2026-11-20T09:00:00+08:00"));
        p.add_note("1.1", "early", at("2026-11-15T23:30:00+08:00"))
            .unwrap();
        // 00:30 in Beijing on the 16th is still the 15th in UTC: it belongs to the 16th.
        p.add_note("1.1", "late", at("2026-11-16T00:30:00+08:00"))
            .unwrap();
        p.set_text("1.1", Field::Owner, "unit", at("2026-11-18T09:00:00+08:00"))
            .unwrap();
        p.set_draft("1.1", "draft", at("2026-11-01T09:00:00+08:00"));
        p.set_status("2.1", Status::Resolved, at("2026-11-30T09:00:00+08:00"));

        let then = p.as_of(jiff::civil::date(2026, 11, 15));
        assert_eq!(then.status("1.1"), Status::InProgress);
        let notes: Vec<&str> = then
            .item("1.1")
            .unwrap()
            .notes
            .iter()
            .map(|n| n.text.as_str())
            .collect();
        assert_eq!(notes, ["early"]);
        assert_eq!(then.item("1.1").unwrap().owner(), "");
        assert!(then.item("1.1").unwrap().drafts.is_empty());
        assert!(then.item("2.1").is_none());
        assert_eq!(
            p.as_of(jiff::civil::date(2026, 12, 31)).status("2.1"),
            Status::Resolved
        );
    }

    #[test]
    fn a_period_excludes_its_first_day_and_includes_its_last() {
        let (since, until) = (
            jiff::civil::date(2026, 11, 15),
            jiff::civil::date(2026, 11, 30),
        );
        assert!(!in_period(&at("2026-11-15T23:59:00+08:00"), since, until));
        assert!(in_period(&at("2026-11-16T00:00:00+08:00"), since, until));
        assert!(in_period(&at("2026-11-30T23:59:00+08:00"), since, until));
        assert!(!in_period(&at("2026-12-01T00:00:00+08:00"), since, until));
    }
}
