//! What is recorded against one item, and what it shows.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::measure::{Measure, derived_status};
use super::{Deadline, Note, Stamp, Stamped, Status, StatusChange};

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
    /// 整改措施, in the order they are numbered in (created, then id), deleted ones kept as
    /// tombstones. Version 2 kept one text here; it is read as measure 1 (see
    /// [`super::Progress::upgrade`]).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::measure::list_or_legacy"
    )]
    pub measures: Vec<Measure>,
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

    /// Without measures, the latest change decides, in [`StatusChange::order`]: by logical
    /// clock, then time, then id so every copy agrees.
    ///
    /// With measures, they decide ([`derived_status`]: all done → resolved, any started → in
    /// progress, else open), except that the problem's own verification (銷號) or reopening
    /// holds until a measure is added, changed, deleted or brought back after it.
    pub fn status(&self) -> Status {
        let own = self.last_change();
        let Some(derived) = derived_status(&self.measures) else {
            return own.map_or(Status::Open, |c| c.status);
        };
        match own {
            Some(c)
                if matches!(c.status, Status::Verified | Status::InProgress)
                    && self
                        .measures
                        .iter()
                        .all(|m| m.latest_event() <= (c.clock, c.at)) =>
            {
                c.status
            }
            _ => derived,
        }
    }

    /// The status its own changes give, whatever its measures say.
    pub fn own_status(&self) -> Status {
        self.last_change().map_or(Status::Open, |c| c.status)
    }

    /// Whether it has measures that are not deleted: its status then follows them.
    pub fn has_measures(&self) -> bool {
        self.measures.iter().any(|m| !m.is_removed())
    }

    /// Live measures with their numbers (which count deleted ones, so they never shift).
    pub fn numbered_measures(&self) -> Vec<(usize, &Measure)> {
        self.measures
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.is_removed())
            .map(|(i, m)| (i + 1, m))
            .collect()
    }

    /// The live measure numbered `n`.
    pub fn measure(&self, n: usize) -> Option<&Measure> {
        self.measures
            .get(n.checked_sub(1)?)
            .filter(|m| !m.is_removed())
    }

    /// The number of the measure with UUID `id`, deleted or not.
    pub fn measure_number(&self, id: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.id == id).map(|i| i + 1)
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

    /// Live notes numbered 1.. from the oldest: see [`numbered_notes`].
    pub fn numbered_notes(&self) -> Vec<(usize, &Note)> {
        numbered_notes(&self.notes)
    }

    /// The number [`ItemProgress::numbered_notes`] gives the live note `id`.
    pub fn note_number(&self, id: &str) -> Option<usize> {
        note_number(&self.notes, id)
    }

    /// How much writing the item out takes, for cutting a large ledger into parts of equal
    /// work: one, and one for each measure, note and status change.
    pub fn weight(&self) -> usize {
        1 + self.notes.len()
            + self.history.len()
            + self
                .measures
                .iter()
                .map(|m| 1 + m.notes.len() + m.history.len())
                .sum::<usize>()
    }

    /// How many notes [`ItemProgress::visible_notes`] gives, without sorting them.
    pub fn visible_note_count(&self) -> usize {
        self.notes.iter().filter(|n| !n.is_deleted()).count()
    }

    /// Notes that are not deleted, newest first.
    pub fn visible_notes(&self) -> Vec<&Note> {
        visible_notes(&self.notes)
    }

    pub fn owner(&self) -> &str {
        self.owner.as_ref().map_or("", |s| s.value.as_str())
    }

    pub fn person(&self) -> &str {
        self.person.as_ref().map_or("", |s| s.value.as_str())
    }

    pub fn deadline(&self) -> Option<Deadline> {
        self.deadline.as_ref().and_then(|s| s.value)
    }

    /// Open or in progress, and past a dated deadline; or with a measure that is.
    pub fn is_overdue(&self, today: Date) -> bool {
        // The deadline first: most problems have no dated one, and the status is a search.
        (self.deadline().is_some_and(|d| d.is_past(today)) && !self.status().is_done())
            || self
                .measures
                .iter()
                .any(|m| !m.is_removed() && m.is_overdue(today))
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
        self.measures.iter().for_each(|m| see(m.last_update()));
        for at in [&self.owner, &self.person]
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

/// Live notes numbered 1.. from the oldest, the numbers `rectify show` prints and
/// `note --edit/--delete` take. Numbers count deleted notes too, so deleting #1 does not
/// turn #2 into #1 (and a second `--delete 1` cannot delete another note).
pub fn numbered_notes(notes: &[Note]) -> Vec<(usize, &Note)> {
    let mut notes: Vec<&Note> = notes.iter().collect();
    notes.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    notes
        .into_iter()
        .enumerate()
        .filter(|(_, n)| !n.is_deleted())
        .map(|(i, n)| (i + 1, n))
        .collect()
}

/// The number [`numbered_notes`] gives the live note `id`.
pub fn note_number(notes: &[Note], id: &str) -> Option<usize> {
    numbered_notes(notes)
        .into_iter()
        .find(|(_, n)| n.id == id)
        .map(|(k, _)| k)
}

/// Notes that are not deleted, newest first.
pub fn visible_notes(all: &[Note]) -> Vec<&Note> {
    // Kept oldest first: gathered from the end, the sort finds them in order.
    let mut notes: Vec<&Note> = Vec::with_capacity(all.len());
    notes.extend(all.iter().rev().filter(|n| !n.is_deleted()));
    let newest_first = |a: &&Note, b: &&Note| b.at.cmp(&a.at).then_with(|| b.id.cmp(&a.id));
    // Usually in order already (notes are added as they are written): looked over once
    // rather than sorted, for each of a large ledger's 10,000 problems in every report.
    if !notes.is_sorted_by(|a, b| newest_first(a, b).is_le()) {
        notes.sort_by(newest_first);
    }
    notes
}
