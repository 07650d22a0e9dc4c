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
}

/// What the tree and header show that depends on every item.
#[derive(Debug)]
pub struct Derived {
    revision: u64,
    filter: Filter,
    today: Date,
    collapsed: BTreeSet<String>,
    pub rows: Rc<[Row]>,
    pub counts: Counts,
    /// Done items per area, by area index.
    pub area_done: Vec<usize>,
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
        let mut counts = Counts::default();
        for (a, area) in self.checklist.areas.iter().enumerate() {
            let mut done = 0;
            let mut shown = Vec::new();
            for (i, item) in area.items.iter().enumerate() {
                let p = self.progress.item(&item.id);
                let status = p.map_or(Status::Open, |p| p.status());
                let overdue = p.is_some_and(|p| p.is_overdue(today));
                counts.add(status, overdue);
                done += usize::from(status.is_done());
                let show = match self.filter {
                    Filter::All => true,
                    Filter::Open => !status.is_done(),
                    Filter::Overdue => overdue,
                };
                if show {
                    shown.push(i);
                }
            }
            area_done.push(done);
            if shown.is_empty() && self.filter != Filter::All {
                continue;
            }
            rows.push(Row::Area(a));
            if !self.collapsed.contains(&area.id) {
                rows.extend(shown.into_iter().map(|i| Row::Item(a, i)));
            }
        }
        Derived {
            revision: self.revision,
            filter: self.filter,
            today,
            collapsed: self.collapsed.clone(),
            rows: rows.into(),
            counts,
            area_done,
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
