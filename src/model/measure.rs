//! Measures (整改措施): the tasks a problem is carried out as, each with its own units,
//! people, deadline, status and notes.
//!
//! Users address a measure as `2.5.1`, `2.5.2`, …: its problem's id and its place among the
//! problem's measures in order of creation (time, then id). Internally a measure has a UUID,
//! so two offices that each add one keep both after a merge, and a deleted measure stays as
//! a tombstone (`removed`), so a merge with an older copy does not bring it back. Numbers
//! count deleted measures too: deleting 2.5.1 does not turn 2.5.2 into 2.5.1.

use std::fmt;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::entry::{Note, Stamped, StatusChange};
use super::{Deadline, Stamp, Status};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// A UUID: two offices never make the same one.
    pub id: String,
    /// When it was added, which orders it among its problem's measures.
    pub created: Stamp,
    /// Who added it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// 整改措施: what is to be done.
    pub text: Stamped<String>,
    /// 整改目標
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Stamped<String>>,
    /// 牽頭單位
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Stamped<String>>,
    /// 配合單位
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partners: Option<Stamped<Vec<String>>>,
    /// 責任領導
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader: Option<Stamped<String>>,
    /// 責任人
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Stamped<String>>,
    /// 完成時限; `None` inside means it was cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Stamped<Option<Deadline>>>,
    /// Deleted (`true`), or brought back by an undo (`false`); the later setting wins a merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Stamped<bool>>,
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
}

impl super::unique_map::Keyed for Measure {
    const WHAT: &'static str = "measure";
    fn key(&self) -> &str {
        &self.id
    }
}

fn value(s: &Option<Stamped<String>>) -> &str {
    s.as_ref().map_or("", |s| s.value.as_str())
}

impl Measure {
    pub fn is_removed(&self) -> bool {
        self.removed.as_ref().is_some_and(|r| r.value)
    }

    /// The latest change decides, as for a problem without measures.
    pub fn status(&self) -> Status {
        self.last_change().map_or(Status::Open, |c| c.status)
    }

    pub fn last_change(&self) -> Option<&StatusChange> {
        self.history.iter().max_by(|a, b| a.order(b))
    }

    /// Live notes numbered as `note --edit/--delete` take them (see
    /// [`super::progress::numbered_notes`]).
    pub fn numbered_notes(&self) -> Vec<(usize, &Note)> {
        super::progress::numbered_notes(&self.notes)
    }

    /// Notes that are not deleted, newest first.
    pub fn visible_notes(&self) -> Vec<&Note> {
        super::progress::visible_notes(&self.notes)
    }

    pub fn text(&self) -> &str {
        &self.text.value
    }

    pub fn goal(&self) -> &str {
        value(&self.goal)
    }

    pub fn owner(&self) -> &str {
        value(&self.owner)
    }

    pub fn leader(&self) -> &str {
        value(&self.leader)
    }

    pub fn person(&self) -> &str {
        value(&self.person)
    }

    pub fn partners(&self) -> &[String] {
        self.partners.as_ref().map_or(&[], |s| s.value.as_slice())
    }

    pub fn deadline(&self) -> Option<Deadline> {
        self.deadline.as_ref().and_then(|s| s.value)
    }

    /// Open or in progress, and past a dated deadline.
    pub fn is_overdue(&self, today: jiff::civil::Date) -> bool {
        self.deadline().is_some_and(|d| d.is_past(today)) && !self.status().is_done()
    }

    /// When it was resolved: the time of the change that made it done, if it is done.
    pub fn resolved_at(&self) -> Option<Stamp> {
        let mut history: Vec<&StatusChange> = self.history.iter().collect();
        history.sort_by(|a, b| a.order(b));
        if !history.last()?.status.is_done() {
            return None;
        }
        let first_done = history
            .iter()
            .rposition(|c| !c.status.is_done())
            .map_or(0, |i| i + 1);
        Some(history[first_done].at)
    }

    /// The time of the latest change of any kind, for "last updated" columns.
    pub fn last_update(&self) -> Stamp {
        let mut latest = self.created;
        let mut see = |t: Stamp| latest = latest.max(t);
        self.history.iter().for_each(|c| see(c.at));
        for n in &self.notes {
            see(n.touched());
        }
        for at in [&self.goal, &self.owner, &self.leader, &self.person]
            .into_iter()
            .flatten()
            .map(|f| f.at)
            .chain(self.partners.as_ref().map(|s| s.at))
            .chain(self.deadline.as_ref().map(|s| s.at))
            .chain(self.removed.as_ref().map(|s| s.at))
        {
            see(at);
        }
        see(self.text.at);
        latest
    }

    /// The order measures are numbered in: created, then id.
    pub fn order(&self, other: &Measure) -> std::cmp::Ordering {
        (self.created, &self.id).cmp(&(other.created, &other.id))
    }

    /// The latest event that bears on its problem's status (added, a status change,
    /// deleted or brought back), as (logical clock, time).
    pub(crate) fn latest_event(&self) -> (u64, Stamp) {
        let mut latest = (0, self.created);
        for e in self
            .history
            .iter()
            .map(|c| (c.clock, c.at))
            .chain(self.removed.as_ref().map(|r| (r.clock, r.at)))
        {
            latest = latest.max(e);
        }
        latest
    }
}

/// `2.5.1` → (`2.5`, 1): a problem's id and a measure's number, when `id` has that form.
pub fn split_id(id: &str) -> Option<(&str, usize)> {
    let (item, n) = id.rsplit_once('.')?;
    if item.is_empty() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((item, n.parse().ok().filter(|n| *n > 0)?))
}

/// What a problem's measures make its status: all done → resolved; any started → in
/// progress; none started → open. `None` without live measures.
pub fn derived_status<'a>(measures: impl IntoIterator<Item = &'a Measure>) -> Option<Status> {
    let mut any = false;
    let mut all_done = true;
    let mut started = false;
    for m in measures.into_iter().filter(|m| !m.is_removed()) {
        any = true;
        let s = m.status();
        all_done &= s.is_done();
        started |= s != Status::Open;
    }
    any.then_some(if all_done {
        Status::Resolved
    } else if started {
        Status::InProgress
    } else {
        Status::Open
    })
}

/// A version 2 file's single `measures` text, kept until [`super::Progress::upgrade`]
/// turns it into measure 1 (it needs the item's id and fields).
pub(crate) const LEGACY_ID: &str = "";

/// The `measures` of an item: a list of measures (version 3), or the text a version 2 file
/// kept there, read as one measure to be upgraded. Ids in the list are distinct.
pub(crate) fn list_or_legacy<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Measure>, D::Error> {
    struct Either;
    impl<'de> Visitor<'de> for Either {
        type Value = Vec<Measure>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of measures")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<Measure>, A::Error> {
            let list: Vec<Measure> = super::unique_map::distinct(seq)?;
            if list.iter().any(|m| m.id == LEGACY_ID) {
                return Err(serde::de::Error::custom("a measure needs an id"));
            }
            Ok(list)
        }
        /// Version 2: `measures: Some((value: "…", at: "…"))`.
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Measure>, D::Error> {
            let text = Stamped::<String>::deserialize(d)?;
            Ok(if text.value.trim().is_empty() {
                Vec::new()
            } else {
                vec![Measure::new(LEGACY_ID.to_string(), text)]
            })
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Vec<Measure>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(Either)
}

impl Measure {
    /// A measure with only its text, added when its text was written.
    pub(crate) fn new(id: String, text: Stamped<String>) -> Measure {
        Measure {
            id,
            created: text.at,
            by: text.by.clone(),
            text,
            goal: None,
            owner: None,
            partners: None,
            leader: None,
            person: None,
            deadline: None,
            removed: None,
            history: Vec::new(),
            notes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Progress;
    use crate::model::merge::merge;
    use crate::model::progress::{ChangeError, Field, Who};

    fn at(s: &str) -> Stamp {
        s.parse().unwrap()
    }

    fn day(d: u8) -> Stamp {
        at(&format!("2026-11-{d:02}T09:00:00+08:00"))
    }

    #[test]
    fn measures_are_numbered_in_creation_order_and_keep_their_numbers() {
        let mut p = Progress::new("c");
        assert_eq!(p.add_measure("2.5", "建立台賬", day(1)).unwrap(), "2.5.1");
        assert_eq!(p.add_measure("2.5", "逐案核查", day(2)).unwrap(), "2.5.2");
        assert_eq!(
            p.add_measure("2.5", "  ", day(2)),
            Err(ChangeError::EmptyMeasure)
        );
        // A clock behind the last measure's still puts the new one last.
        assert_eq!(p.add_measure("2.5", "回頭看", day(1)).unwrap(), "2.5.3");
        p.remove_measure("2.5.1", day(3)).unwrap();
        let item = p.item("2.5").unwrap();
        let numbers: Vec<(usize, &str)> = item
            .numbered_measures()
            .into_iter()
            .map(|(n, m)| (n, m.text()))
            .collect();
        assert_eq!(
            numbers,
            [(2, "逐案核查"), (3, "回頭看")],
            "numbers do not shift"
        );
        assert!(p.measure("2.5.1").is_none());
        assert_eq!(
            p.remove_measure("2.5.1", day(4)),
            Err(ChangeError::NoSuchMeasure { id: "2.5.1".into() })
        );
        // Fields, notes and status go to the measure, not the problem.
        p.set_text("2.5.2", Field::Leader, "副主席", day(4))
            .unwrap();
        p.set_partners("2.5.2", &["公安廳".into(), "法院".into()], day(4))
            .unwrap();
        p.set_deadline("2.5.2", Some(Deadline::Immediate), day(4));
        let note = p.add_note("2.5.2", "已建立", day(4)).unwrap();
        p.edit_note("2.5.2", &note, "已建立台賬", day(5)).unwrap();
        let (_, _, m) = p.measure("2.5.2").unwrap();
        assert_eq!((m.leader(), m.partners().len()), ("副主席", 2));
        assert_eq!(m.deadline(), Some(Deadline::Immediate));
        assert_eq!(m.visible_notes()[0].text, "已建立台賬");
        let item = p.item("2.5").unwrap();
        assert!(item.notes.is_empty() && item.deadline.is_none());
        assert!(matches!(
            p.set_text("2.5", Field::Goal, "x", day(5)),
            Err(ChangeError::NoSuchField { .. })
        ));
    }

    #[test]
    fn a_problem_follows_its_measures_and_verification_is_its_own_step() {
        let mut p = Progress::new("c");
        p.set_status("2.5", Status::InProgress, day(1));
        p.add_measure("2.5", "一", day(2)).unwrap();
        p.add_measure("2.5", "二", day(2)).unwrap();
        assert_eq!(p.status("2.5"), Status::Open, "no measure started");
        p.mark("2.5.1", Status::InProgress, day(3)).unwrap();
        assert_eq!(p.status("2.5"), Status::InProgress);
        p.mark("2.5.1", Status::Resolved, day(4)).unwrap();
        assert_eq!(p.status("2.5"), Status::InProgress, "one still open");
        assert_eq!(
            p.mark("2.5", Status::Resolved, day(4)),
            Err(ChangeError::OpenMeasures {
                item: "2.5".into(),
                open: vec!["2.5.2".into()]
            })
        );
        assert!(matches!(
            p.mark("2.5", Status::Open, day(4)),
            Err(ChangeError::FollowsMeasures { .. })
        ));
        p.mark("2.5.2", Status::Resolved, day(5)).unwrap();
        assert_eq!(p.status("2.5"), Status::Resolved, "all resolved");
        assert_eq!(p.mark("2.5", Status::Resolved, day(5)), Ok(false));
        assert_eq!(p.mark("2.5", Status::Verified, day(6)), Ok(true));
        assert_eq!(p.status("2.5"), Status::Verified);
        // A 回頭看 reopens it, with the reason in the history.
        assert_eq!(p.reopen("2.5", " ", day(7)), Err(ChangeError::NoReason));
        p.reopen("2.5", "問題反彈", day(7)).unwrap();
        assert_eq!(p.status("2.5"), Status::InProgress);
        let last = p.item("2.5").unwrap().last_change().unwrap();
        assert_eq!(last.reason.as_deref(), Some("問題反彈"));
        assert_eq!(
            p.reopen("2.5", "again", day(7)),
            Err(ChangeError::NotDone { id: "2.5".into() })
        );
        // A measure added after it decides again.
        p.add_measure("2.5", "三", day(8)).unwrap();
        assert_eq!(p.status("2.5"), Status::InProgress);
        p.remove_measure("2.5.3", day(9)).unwrap();
        assert_eq!(p.status("2.5"), Status::Resolved);
        // Without live measures the problem's own history decides again.
        for id in ["2.5.1", "2.5.2"] {
            p.remove_measure(id, day(10)).unwrap();
        }
        assert_eq!(p.status("2.5"), Status::InProgress, "the reopening");
    }

    #[test]
    fn measures_added_by_two_offices_are_both_kept_and_deletes_hold() {
        let mut base = Progress::new("c");
        base.add_measure("2.5", "共同", day(1)).unwrap();
        let (mut a, mut b) = (base.clone(), base.clone());
        a.add_measure("2.5", "盟市甲", day(3)).unwrap();
        b.add_measure("2.5", "盟市乙", day(2)).unwrap();
        b.remove_measure("2.5.1", day(4)).unwrap();
        for (x, y) in [(&a, &b), (&b, &a)] {
            let (m, incoming) = merge(x, y);
            let texts: Vec<(usize, &str)> = m
                .item("2.5")
                .unwrap()
                .numbered_measures()
                .into_iter()
                .map(|(n, m)| (n, m.text()))
                .collect();
            assert_eq!(texts, [(2, "盟市乙"), (3, "盟市甲")], "by creation time");
            assert!(incoming.measures <= 1);
        }
        assert_eq!(merge(&a, &b).0, merge(&b, &a).0);
    }

    #[test]
    fn a_version_2_measures_text_becomes_measure_1_the_same_in_every_copy() {
        let v2 = r#"Progress(version: 2, checklist: "c", items: {
            "2.5": ItemProgress(
                history: [StatusChange(id: "a", at: "2026-11-01T09:00:00+08:00", status: Resolved),
                          StatusChange(id: "b", at: "2026-11-02T09:00:00+08:00", status: Verified)],
                owner: Some(Stamped(value: "公安廳", at: "2026-11-01T09:00:00+08:00")),
                deadline: Some(Stamped(value: Some("2026-12-31"), at: "2026-11-01T09:00:00+08:00")),
                measures: Some(Stamped(value: "建立台賬", at: "2026-11-03T09:00:00+08:00", by: Some("王偉"))),
            ),
            "2.6": ItemProgress(measures: Some(Stamped(value: "", at: "2026-11-03T09:00:00+08:00"))),
        })"#;
        let read = || crate::store::parse(v2.as_bytes(), "p.ron".as_ref(), "c").unwrap();
        let (p, q) = (read(), read());
        assert_eq!(p, q, "the same id in two copies upgraded apart");
        assert_eq!(p.version, crate::model::progress::VERSION);
        let item = p.item("2.5").unwrap();
        let (_, m) = item.numbered_measures()[0];
        assert_eq!(
            (m.text(), m.owner(), m.by.as_deref()),
            ("建立台賬", "公安廳", Some("王偉"))
        );
        assert_eq!(
            m.deadline(),
            Some(Deadline::Date(jiff::civil::date(2026, 12, 31)))
        );
        assert_eq!(m.status(), Status::Verified);
        assert_eq!(p.status("2.5"), Status::Verified, "still verified");
        assert!(
            !p.item("2.6").unwrap().has_measures(),
            "an empty text is no measure"
        );
        // Read back from what it is saved as, it is the same.
        let text = crate::store::to_ron(&p);
        assert_eq!(
            crate::store::parse(text.as_bytes(), "p.ron".as_ref(), "c").unwrap(),
            p
        );
    }

    #[test]
    fn rounds_go_by_the_day_it_happened() {
        let mut p = Progress::new("c");
        p.add_measure("2.5", "一", day(1)).unwrap();
        let who = Who::new(day(20), Some("王偉")).on(Some(jiff::civil::date(2026, 11, 10)));
        p.set_status("2.5.1", Status::Resolved, who.clone());
        p.add_note("2.5.1", "補記", who).unwrap();
        let then = p.as_of(jiff::civil::date(2026, 11, 12));
        assert_eq!(then.status("2.5.1"), Status::Resolved);
        assert_eq!(then.status("2.5"), Status::Resolved);
        assert_eq!(then.measure("2.5.1").unwrap().2.notes.len(), 1);
        let before = p.as_of(jiff::civil::date(2026, 11, 9));
        assert_eq!(before.status("2.5.1"), Status::Open);
        assert!(
            p.as_of(jiff::civil::date(2026, 10, 31))
                .measure("2.5.1")
                .is_none()
        );
    }

    #[test]
    fn undo_takes_back_an_added_or_deleted_measure() {
        let mut p = Progress::new("c");
        p.add_measure("2.5", "一", day(1)).unwrap();
        let before = p.item("2.5").cloned();
        p.add_measure("2.5", "二", day(2)).unwrap();
        p.mark("2.5.1", Status::Resolved, day(2)).unwrap();
        p.remove_measure("2.5.1", day(3)).unwrap();
        let who = Who::new(day(4), None);
        assert!(p.revert_item("2.5", before.as_ref(), &who));
        let item = p.item("2.5").unwrap();
        let live: Vec<(usize, &str, Status)> = item
            .numbered_measures()
            .into_iter()
            .map(|(n, m)| (n, m.text(), m.status()))
            .collect();
        assert_eq!(live, [(1, "一", Status::Open)]);
    }

    #[test]
    fn measure_ids_split_into_problem_and_number() {
        assert_eq!(split_id("2.5.1"), Some(("2.5", 1)));
        assert_eq!(split_id("2.5.12"), Some(("2.5", 12)));
        assert_eq!(split_id("2.5.0"), None);
        assert_eq!(split_id("2.5.x"), None);
        assert_eq!(split_id("25"), None);
        assert_eq!(split_id(".1"), None);
        assert_eq!(split_id("2.5."), None);
        assert_eq!(split_id("2.5.+1"), None);
    }
}
