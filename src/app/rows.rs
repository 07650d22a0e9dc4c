//! The tree as rows: which areas and items are on screen given collapse and filter.

use super::{App, Filter};

/// A row of the tree, by position in the checklist (area index, item index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    Area(usize),
    Item(usize, usize),
}

impl App {
    fn shows_item(&self, a: usize, i: usize) -> bool {
        let id = &self.checklist.areas[a].items[i].id;
        match self.filter {
            Filter::All => true,
            Filter::Open => !self.progress.status(id).is_done(),
            Filter::Overdue => self
                .progress
                .item(id)
                .is_some_and(|p| p.is_overdue(self.today())),
        }
    }

    /// The rows on screen, top to bottom.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::with_capacity(self.checklist.item_count() + self.checklist.areas.len());
        for (a, area) in self.checklist.areas.iter().enumerate() {
            let items: Vec<usize> = (0..area.items.len())
                .filter(|i| self.shows_item(a, *i))
                .collect();
            if items.is_empty() && self.filter != Filter::All {
                continue;
            }
            rows.push(Row::Area(a));
            if !self.collapsed.contains(&area.id) {
                rows.extend(items.into_iter().map(|i| Row::Item(a, i)));
            }
        }
        rows
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
