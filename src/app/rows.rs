//! The tree as rows: which areas and items are on screen given collapse and filter.

use std::collections::BTreeSet;
use std::rc::Rc;

use jiff::civil::Date;

use super::{App, Filter};
use crate::model::Status;
use crate::summary::Counts;

/// A row of the tree, by position in the checklist (area index, item index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    Area(usize),
    Item(usize, usize),
    /// A measure of an item: area index, item index, the measure's number (`2.5.1` is 1).
    Measure(usize, usize, usize),
}

impl Row {
    /// The area and item of an item or measure row.
    pub fn item(self) -> Option<(usize, usize)> {
        match self {
            Row::Item(a, i) | Row::Measure(a, i, _) => Some((a, i)),
            Row::Area(_) => None,
        }
    }
}

/// What the tree and header show that depends on every item.
#[derive(Debug)]
pub struct Derived {
    revision: u64,
    filter: Filter,
    today: Date,
    collapsed: BTreeSet<String>,
    folded: BTreeSet<String>,
    pub rows: Rc<[Row]>,
    pub counts: Counts,
    /// Done items per area, by area index.
    pub area_done: Vec<usize>,
    /// Measures done and in all (live ones), by area index.
    pub area_measures: Vec<(usize, usize)>,
    /// Measures done and in all, over the ledger.
    pub measures: (usize, usize),
}

impl App {
    /// The rows on screen, top to bottom.
    pub fn rows(&self) -> Rc<[Row]> {
        self.derived().rows.clone()
    }

    /// The rows, the counts and each area's done count: computed once per change to the
    /// ledger, filter, folding or day, not on every key press and frame (at 10,000 items
    /// that was most of the work of a move).
    pub fn derived(&self) -> Rc<Derived> {
        let today = self.today();
        if let Some(d) = &*self.derived.borrow()
            && d.revision == self.revision
            && d.filter == self.filter
            && d.today == today
            && d.collapsed == self.collapsed
            && d.folded == self.folded
        {
            return d.clone();
        }
        let d = Rc::new(self.derive(today));
        *self.derived.borrow_mut() = Some(d.clone());
        d
    }

    fn derive(&self, today: Date) -> Derived {
        let mut rows = Vec::with_capacity(self.checklist.item_count() + self.checklist.areas.len());
        let mut area_done = Vec::with_capacity(self.checklist.areas.len());
        let mut area_measures = Vec::with_capacity(self.checklist.areas.len());
        let mut counts = Counts::default();
        let mut measures = (0, 0);
        let shows = |status: Status, overdue: bool| match self.filter {
            Filter::All => true,
            Filter::Open => !status.is_done(),
            Filter::Overdue => overdue,
        };
        for (a, area) in self.checklist.areas.iter().enumerate() {
            let mut done = 0;
            let mut area_m = (0, 0);
            let mut shown = Vec::new();
            let open = !self.collapsed.contains(&area.id);
            for (i, item) in area.items.iter().enumerate() {
                let p = self.progress.item(&item.id);
                let status = p.map_or(Status::Open, |p| p.status());
                let overdue = p.is_some_and(|p| p.is_overdue(today));
                counts.add(status, overdue);
                done += usize::from(status.is_done());
                if shows(status, overdue) {
                    shown.push(Row::Item(a, i));
                }
                let Some(p) = p else { continue };
                // Measures, numbered by position (deleted ones keep their number), under
                // their problem unless it is folded; rows of a collapsed area are not
                // kept, only counted.
                let listed = open && shown.last() == Some(&Row::Item(a, i));
                let unfolded = listed && !self.folded.contains(&item.id);
                for (k, m) in p.measures.iter().enumerate() {
                    if m.is_removed() {
                        continue;
                    }
                    let st = m.status();
                    area_m.1 += 1;
                    area_m.0 += usize::from(st.is_done());
                    if unfolded && shows(st, m.is_overdue(today)) {
                        shown.push(Row::Measure(a, i, k + 1));
                    }
                }
            }
            area_done.push(done);
            area_measures.push(area_m);
            measures.0 += area_m.0;
            measures.1 += area_m.1;
            if shown.is_empty() && self.filter != Filter::All {
                continue;
            }
            rows.push(Row::Area(a));
            if open {
                rows.extend(shown);
            }
        }
        Derived {
            revision: self.revision,
            filter: self.filter,
            today,
            collapsed: self.collapsed.clone(),
            folded: self.folded.clone(),
            rows: rows.into(),
            counts,
            area_done,
            area_measures,
            measures,
        }
    }

    /// The first item or area whose id or text, in any language, contains `query`
    /// (ignoring case), searching from the top.
    pub fn find(&self, query: &str) -> Option<Row> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return None;
        }
        let hit = |id: &str, text: &crate::model::Text| {
            id.to_lowercase() == q || text.all().any(|t| t.to_lowercase().contains(&q))
        };
        // A measure's id (`2.5.1`) selects the measure.
        if let Some((item, n)) = crate::model::measure::split_id(&q)
            && self
                .progress
                .item(item)
                .and_then(|p| p.measure(n))
                .is_some()
            && let Some((a, i)) = self
                .checklist
                .areas
                .iter()
                .enumerate()
                .find_map(|(a, ar)| ar.items.iter().position(|x| x.id == item).map(|i| (a, i)))
        {
            return Some(Row::Measure(a, i, n));
        }
        for (a, area) in self.checklist.areas.iter().enumerate() {
            for (i, item) in area.items.iter().enumerate() {
                if item.id.to_lowercase().starts_with(&q) || hit(&item.id, &item.text) {
                    return Some(Row::Item(a, i));
                }
            }
            if hit(&area.id, &area.title) {
                return Some(Row::Area(a));
            }
        }
        None
    }
}
