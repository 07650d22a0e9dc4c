//! The logical clock that orders changes to one thing (an item's status, a field, a note)
//! before their wall-clock times do.
//!
//! Times come from the writers' clocks, and a clock can run ahead: a colleague's change
//! dated next month would otherwise outrank every change made until then, and a user's
//! explicit change would be recorded and have no effect. So every entry carries a counter
//! (absent, and so 0, in files written before it existed), and entries are compared by
//! (counter, time, …). A new change takes the counter of the entry it supersedes, and one
//! more when that entry is dated at or after the new one's time: it then comes after it
//! whatever the times say. In the usual case (the new change is the later) the counter
//! stays 0 and the file is written as it always was.
//!
//! Merging stays a union with a total order on each thing's entries, so it is still
//! commutative, associative and idempotent, and nothing is lost.

use super::Stamp;

/// The counter for a change made at `at` that must come after `latest` (the counter and
/// time of the entry it supersedes, if any).
pub fn next_clock(latest: Option<(u64, Stamp)>, at: Stamp) -> u64 {
    match latest {
        Some((clock, t)) if t >= at => clock + 1,
        Some((clock, _)) => clock,
        None => 0,
    }
}

/// For serde: a counter of 0 is not written.
pub fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::progress::Field;
    use crate::model::{Progress, Status};

    fn at(s: &str) -> Stamp {
        s.parse().unwrap()
    }

    const FUTURE: &str = "2026-12-20T09:00:00+08:00";
    const NOW: &str = "2026-11-30T09:00:00+08:00";

    #[test]
    fn a_change_after_a_future_dated_one_takes_effect() {
        let mut p = Progress::new("c");
        assert!(p.set_status("1.1", Status::Verified, at(FUTURE)));
        assert!(p.set_status("1.1", Status::Open, at(NOW)));
        assert_eq!(p.status("1.1"), Status::Open);
        // And so does the next, at the same moment.
        assert!(p.set_status("1.1", Status::InProgress, at(NOW)));
        assert_eq!(p.status("1.1"), Status::InProgress);
        let item = p.item("1.1").unwrap();
        let order: Vec<Status> = item.ordered_history().iter().map(|c| c.status).collect();
        assert_eq!(
            order,
            [Status::Verified, Status::Open, Status::InProgress],
            "in the order they took effect"
        );
        // In the usual case the counter stays 0: files are written as before.
        let mut q = Progress::new("c");
        q.set_status("1.1", Status::Resolved, at(NOW));
        q.set_status("1.1", Status::Open, at(FUTURE));
        assert!(q.item("1.1").unwrap().history.iter().all(|c| c.clock == 0));
    }

    #[test]
    fn fields_and_notes_after_future_dated_ones_take_effect() {
        let mut p = Progress::new("c");
        p.set_text("1.1", Field::Owner, "ahead", at(FUTURE))
            .unwrap();
        p.set_text("1.1", Field::Owner, "now", at(NOW)).unwrap();
        p.set_deadline("1.1", None, at(FUTURE));
        p.set_deadline("1.1", Some(super::super::Deadline::Immediate), at(NOW));
        let n = p.add_note("1.1", "from the future", at(FUTURE)).unwrap();
        p.edit_note("1.1", &n, "edited now", at(NOW)).unwrap();
        let merged = crate::model::merge::merge(&p, &p).0;
        let item = merged.item("1.1").unwrap();
        assert_eq!(item.owner(), "now");
        assert_eq!(item.deadline(), Some(super::super::Deadline::Immediate));
        assert_eq!(item.notes[0].text, "edited now");
        // Merged with the copy that only has the future-dated entries, ours still win.
        let mut theirs = Progress::new("c");
        theirs
            .set_text("1.1", Field::Owner, "ahead", at(FUTURE))
            .unwrap();
        std::sync::Arc::make_mut(theirs.items.get_mut("1.1").unwrap()).notes = vec![{
            let mut x = p.item("1.1").unwrap().notes[0].clone();
            x.text = "from the future".into();
            x.edited = None;
            x.clock = 0;
            x
        }];
        for (a, b) in [(&p, &theirs), (&theirs, &p)] {
            let m = crate::model::merge::merge(a, b).0;
            let item = m.item("1.1").unwrap();
            assert_eq!(item.owner(), "now");
            assert_eq!(item.visible_notes()[0].text, "edited now");
        }
    }

    #[test]
    fn the_counter_is_written_only_when_not_zero_and_read_back() {
        let mut p = Progress::new("c");
        p.set_status("1.1", Status::Verified, at(FUTURE));
        let plain = crate::store::to_ron(&p);
        assert!(!plain.contains("clock"), "{plain}");
        p.set_status("1.1", Status::Open, at(NOW));
        let text = crate::store::to_ron(&p);
        assert!(text.contains("clock: 1"), "{text}");
        let back = crate::store::parse(text.as_bytes(), "p.ron".as_ref(), "c").unwrap();
        assert_eq!(back, p);
    }
}
