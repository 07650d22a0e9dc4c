//! The numbers and rows every report shows, computed once so no two formats ever disagree.

use jiff::civil::Date;
use serde::Serialize;
use std::borrow::Cow;

use crate::i18n::Lang;
use crate::model::{Checklist, Deadline, ItemProgress, Progress, Stamp, Status};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub open: usize,
    pub in_progress: usize,
    pub resolved: usize,
    pub verified: usize,
    pub overdue: usize,
}

impl Counts {
    pub fn add(&mut self, status: Status, overdue: bool) {
        self.total += 1;
        match status {
            Status::Open => self.open += 1,
            Status::InProgress => self.in_progress += 1,
            Status::Resolved => self.resolved += 1,
            Status::Verified => self.verified += 1,
        }
        self.overdue += usize::from(overdue);
    }

    /// Adds the counts of another part of the ledger.
    pub fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        self.open += other.open;
        self.in_progress += other.in_progress;
        self.resolved += other.resolved;
        self.verified += other.verified;
        self.overdue += other.overdue;
    }

    /// Resolved or verified: what "已完成" counts.
    pub fn done(&self) -> usize {
        self.resolved + self.verified
    }

    /// Completion rate, rounded half up to a whole percent.
    pub fn percent(&self) -> u32 {
        if self.total == 0 {
            return 0;
        }
        ((self.done() * 200 + self.total) / (self.total * 2)) as u32
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteRow<'a> {
    pub id: &'a str,
    pub at: Stamp,
    pub edited: Option<Stamp>,
    pub text: &'a str,
    pub by: Option<&'a str>,
    pub edited_by: Option<&'a str>,
}

impl<'a> NoteRow<'a> {
    fn of(n: &'a crate::model::Note) -> NoteRow<'a> {
        NoteRow {
            id: &n.id,
            at: n.at,
            edited: n.edited,
            text: &n.text,
            by: n.by.as_deref(),
            edited_by: n.edited_by.as_deref(),
        }
    }

    /// Its date and author, as reports head a note: "2026-11-25 · 王偉".
    pub fn head(&self) -> String {
        match &self.by {
            Some(by) => format!("{} · {by}", self.at.date()),
            None => self.at.date().to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemRow<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub status: Status,
    pub owner: &'a str,
    pub person: &'a str,
    pub deadline: Option<Deadline>,
    /// Live measures, in number order.
    pub measures: Vec<MeasureRow<'a>>,
    pub overdue: bool,
    /// Newest first.
    pub notes: Vec<NoteRow<'a>>,
    pub last_update: Option<Stamp>,
}

/// A measure (整改措施) as reports show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MeasureRow<'a> {
    /// As users address it: `2.5.1`.
    pub id: String,
    pub text: &'a str,
    pub goal: &'a str,
    pub owner: &'a str,
    pub partners: &'a [String],
    pub leader: &'a str,
    pub person: &'a str,
    pub deadline: Option<Deadline>,
    pub status: Status,
    pub overdue: bool,
    /// When it was resolved, if it is done (完成時間).
    pub resolved: Option<Stamp>,
    /// Newest first.
    pub notes: Vec<NoteRow<'a>>,
    pub last_update: Stamp,
}

impl<'a> MeasureRow<'a> {
    fn of(item: &str, n: usize, m: &'a crate::model::Measure, today: Date) -> MeasureRow<'a> {
        MeasureRow {
            id: format!("{item}.{n}"),
            text: m.text(),
            goal: m.goal(),
            owner: m.owner(),
            partners: m.partners(),
            leader: m.leader(),
            person: m.person(),
            deadline: m.deadline(),
            status: m.status(),
            overdue: m.is_overdue(today),
            resolved: m.resolved_at(),
            notes: crate::model::progress::visible_notes(&m.notes)
                .into_iter()
                .map(NoteRow::of)
                .collect(),
            last_update: m.last_update(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub requirements: &'a str,
    pub counts: Counts,
    pub items: Vec<ItemRow<'a>>,
}

/// A status change in a report period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodChange<'a> {
    pub item: &'a str,
    pub text: &'a str,
    pub at: Stamp,
    pub from: Status,
    pub to: Status,
    pub by: Option<&'a str>,
}

impl PeriodChange<'_> {
    /// Its date and author: "2026-11-20 · 王偉".
    pub fn head(&self) -> String {
        match &self.by {
            Some(by) => format!("{} · {by}", self.at.date()),
            None => self.at.date().to_string(),
        }
    }

    /// "未整改 → 已完成".
    pub fn change(&self, lang: Lang) -> String {
        format!("{} → {}", self.from.label(lang), self.to.label(lang))
    }
}

/// A note written in a report period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodNote<'a> {
    pub item: &'a str,
    pub text: &'a str,
    pub note: NoteRow<'a>,
}

/// "Progress this period": what changed after `since`, up to the report's date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period<'a> {
    /// Exclusive: the date of the previous round.
    pub since: Date,
    pub until: Date,
    pub changes: Vec<PeriodChange<'a>>,
    pub notes: Vec<PeriodNote<'a>>,
}

/// The ledger in one language on one day. It borrows its texts from the checklist and the
/// progress: copying 50,000 notes into it was half the time of a large export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary<'a> {
    pub checklist_id: &'a str,
    pub title: &'a str,
    pub source: Option<String>,
    pub lang: Lang,
    pub as_of: Date,
    pub counts: Counts,
    pub areas: Vec<AreaRow<'a>>,
    pub period: Option<Period<'a>>,
    /// Reports show only the period, not the whole ledger.
    #[serde(skip)]
    pub period_only: bool,
}

impl Counts {
    /// The counts alone, without building rows: what the header needs on every frame.
    pub fn of(checklist: &Checklist, progress: &Progress, today: Date) -> Counts {
        let mut c = Counts::default();
        for (_, item) in checklist.items() {
            match progress.item(&item.id) {
                Some(p) => c.add(p.status(), p.is_overdue(today)),
                None => c.add(Status::Open, false),
            }
        }
        c
    }
}

/// What a problem without any progress shows; borrowed by the summary like the rest.
static EMPTY: std::sync::LazyLock<ItemProgress> = std::sync::LazyLock::new(ItemProgress::default);

impl<'a> Summary<'a> {
    pub fn build(
        checklist: &'a Checklist,
        progress: &'a Progress,
        lang: Lang,
        today: Date,
    ) -> Summary<'a> {
        let empty: &'static ItemProgress = &EMPTY;
        let row = |area: &'a crate::model::Area| {
            let mut area_counts = Counts::default();
            // Each problem's progress found first, so that the next one's notes and history
            // can be asked for while this one is read: they lie in the order of the file
            // (guarded by the summary line of `examples/export_loop`).
            let found: Vec<&ItemProgress> = area
                .items
                .iter()
                .map(|item| progress.item(&item.id).unwrap_or(empty))
                .collect();
            let items = area
                .items
                .iter()
                .zip(&found)
                .enumerate()
                .map(|(k, (item, &p))| {
                    if let Some(next) = found.get(k + 1) {
                        crate::prefetch::slice(&next.notes, 32);
                        crate::prefetch::slice(&next.history, 8);
                    }
                    let status = p.status();
                    let overdue = p.is_overdue(today);
                    area_counts.add(status, overdue);
                    ItemRow {
                        id: &item.id,
                        text: item.text.get(lang),
                        status,
                        owner: p.owner(),
                        person: p.person(),
                        deadline: p.deadline(),
                        measures: p
                            .numbered_measures()
                            .into_iter()
                            .map(|(n, m)| MeasureRow::of(&item.id, n, m, today))
                            .collect(),
                        overdue,
                        notes: p.visible_notes().into_iter().map(NoteRow::of).collect(),
                        last_update: p.last_update(),
                    }
                })
                .collect();
            AreaRow {
                id: &area.id,
                title: area.title.get(lang),
                requirements: area.requirements.get(lang),
                counts: area_counts,
                items,
            }
        };
        let areas: Vec<AreaRow> = crate::par::map_parts(
            &checklist.areas,
            |a| a.items.len(),
            |part| part.iter().map(row).collect::<Vec<_>>(),
        )
        .into_iter()
        .flatten()
        .collect();
        let mut counts = Counts::default();
        areas.iter().for_each(|a| counts.merge(&a.counts));
        let source = checklist.source.as_ref().map(|s| {
            let outlet = s.outlet.get(lang);
            match outlet {
                "" => s.title.get(lang).to_string(),
                _ => lang.aside(s.title.get(lang), outlet),
            }
        });
        Summary {
            checklist_id: &checklist.id,
            title: checklist.title.get(lang),
            source,
            lang,
            as_of: today,
            counts,
            areas,
            period: None,
            period_only: false,
        }
    }

    /// Adds "progress this period": status changes and new notes dated after `since` (and
    /// not after the report's date), oldest first.
    pub fn with_period(
        mut self,
        checklist: &'a Checklist,
        progress: &'a Progress,
        since: Date,
    ) -> Summary<'a> {
        let until = self.as_of;
        let mut changes = Vec::new();
        let mut notes = Vec::new();
        for (_, item) in checklist.items() {
            let Some(p) = progress.item(&item.id) else {
                continue;
            };
            let text = item.text.get(self.lang);
            let history = p.ordered_history();
            let mut before = Status::Open;
            for c in history {
                if crate::model::rounds::in_period(&c.at, since, until) && c.status != before {
                    changes.push(PeriodChange {
                        item: &item.id,
                        text,
                        at: c.at,
                        from: before,
                        to: c.status,
                        by: c.by.as_deref(),
                    });
                }
                before = c.status;
            }
            for n in p.notes.iter().filter(|n| !n.is_deleted()) {
                if crate::model::rounds::in_period(&n.at, since, until) {
                    notes.push(PeriodNote {
                        item: &item.id,
                        text,
                        note: NoteRow::of(n),
                    });
                }
            }
        }
        changes.sort_by_key(|c| c.at);
        notes.sort_by_key(|n| n.note.at);
        self.period = Some(Period {
            since,
            until,
            changes,
            notes,
        });
        self
    }

    pub fn headline(&self) -> String {
        crate::i18n::headline(
            self.lang,
            self.as_of,
            self.counts.total,
            self.counts.done(),
            self.counts.in_progress,
            self.counts.percent(),
        )
    }

    pub fn items(&self) -> impl Iterator<Item = (&AreaRow<'a>, &ItemRow<'a>)> {
        self.areas
            .iter()
            .flat_map(|a| a.items.iter().map(move |i| (a, i)))
    }
}

impl<'a> Summary<'a> {
    /// What this period changed for one item, a line per change or note:
    /// "2026-11-20 · 王偉 未整改 → 已完成" / "2026-11-22 · 李明：text".
    pub fn period_text(&self, item: &str) -> String {
        let Some(p) = &self.period else {
            return String::new();
        };
        let colon = self.lang.colon();
        let changes = p
            .changes
            .iter()
            .filter(|c| c.item == item)
            .map(|c| (c.at, format!("{} {}", c.head(), c.change(self.lang))));
        let notes = p.notes.iter().filter(|n| n.item == item).map(|n| {
            (
                n.note.at,
                format!("{}{colon}{}", n.note.head(), n.note.text),
            )
        });
        let mut lines: Vec<(Stamp, String)> = changes.chain(notes).collect();
        lines.sort_by_key(|(at, _)| *at);
        lines
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The ledger as one table, for spreadsheets and CSV: the ledger columns, plus "progress
    /// this period" when the report has a period; with `period_only`, only the problems
    /// that moved. Cells are user text as typed; each format makes them safe its own way.
    pub fn table(&self) -> (Vec<&'static str>, Vec<TableRow<'_, 'a>>) {
        (self.columns(), self.rows(&self.areas).collect())
    }

    /// The columns of [`Summary::table`].
    pub fn columns(&self) -> Vec<&'static str> {
        let mut columns = ledger_columns(self.lang).to_vec();
        if self.period.is_some() {
            columns.push(self.lang.strings().period_title);
        }
        columns
    }

    /// The rows of [`Summary::table`] for some of its areas, so that a large table can be
    /// written a part on each core.
    pub fn rows<'s>(
        &'s self,
        areas: &'s [AreaRow<'a>],
    ) -> impl Iterator<Item = TableRow<'s, 'a>> + 's {
        areas
            .iter()
            .flat_map(|a| a.items.iter().map(move |i| (a, i)))
            .filter_map(|(area, item)| {
                let mut cells = Vec::from(item.ledger_cells(area, self.lang));
                if self.period.is_some() {
                    let moved = self.period_text(item.id);
                    if self.period_only && moved.is_empty() {
                        return None;
                    }
                    cells.push(Cow::Owned(moved));
                }
                Some((item, cells))
            })
    }
}

/// The columns of a 整改台賬 as spreadsheets and CSV carry them.
pub fn ledger_columns(lang: Lang) -> [&'static str; 10] {
    let t = lang.strings();
    [
        t.col_no,
        t.area,
        t.problem,
        t.measures,
        t.owner,
        t.person,
        t.deadline,
        t.status,
        t.latest_notes,
        t.last_change,
    ]
}

impl<'a> ItemRow<'a> {
    /// The status as a ledger writes it, with overdue added: "正在整改（逾期）".
    pub fn status_text(&self, lang: Lang) -> String {
        let label = self.status.label(lang);
        match self.overdue {
            false => label.to_string(),
            true => lang.aside(label, lang.strings().overdue),
        }
    }

    /// The ledger fields that are filled in, with their labels, in ledger order: what a
    /// report lists under a problem.
    pub fn filled_fields(&self, lang: Lang) -> Vec<(&'static str, Cow<'a, str>)> {
        let t = lang.strings();
        let deadline = self.deadline.map(|d| d.label(lang)).unwrap_or_default();
        [
            (t.owner, Cow::Borrowed(self.owner)),
            (t.person, Cow::Borrowed(self.person)),
            (t.deadline, Cow::Owned(deadline)),
            (t.measures, Cow::Owned(self.measures_text())),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
    }

    /// The measures' texts as one text, a line each.
    pub fn measures_text(&self) -> String {
        let lines: Vec<&str> = self.measures.iter().map(|m| m.text).collect();
        lines.join("\n")
    }

    /// The newest note with its date: "2026-11-25 與公檢法召開協調會…".
    pub fn latest_note(&self) -> String {
        self.notes
            .first()
            .map(|n| format!("{} {}", n.head(), n.text))
            .unwrap_or_default()
    }

    /// One spreadsheet row in the order of [`ledger_columns`]. User text is returned as
    /// typed; each format makes it safe in its own way.
    pub fn ledger_cells(&self, area: &AreaRow<'a>, lang: Lang) -> [Cow<'a, str>; 10] {
        [
            Cow::Borrowed(self.id),
            Cow::Borrowed(area.title),
            Cow::Borrowed(self.text),
            Cow::Owned(self.measures_text()),
            Cow::Borrowed(self.owner),
            Cow::Borrowed(self.person),
            Cow::Owned(self.deadline.map(|d| d.cell(lang)).unwrap_or_default()),
            Cow::Owned(self.status_text(lang)),
            Cow::Owned(self.latest_note()),
            Cow::Owned(
                self.last_update
                    .map(|s| s.date().to_string())
                    .unwrap_or_default(),
            ),
        ]
    }
}

/// A problem and its cells in [`Summary::table`].
pub type TableRow<'s, 'a> = (&'s ItemRow<'a>, Vec<Cow<'a, str>>);

/// A bar of `cells` characters, filled in proportion: `███░░░░░░░`.
pub fn text_bar(done: usize, total: usize, cells: usize) -> String {
    let filled = (done * cells + total / 2)
        .checked_div(total)
        .unwrap_or(0)
        .min(cells);
    format!(
        "{}{}",
        "█".repeat(filled),
        "░".repeat(cells - filled.min(cells))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_half_up() {
        let c = |done, total| Counts {
            total,
            resolved: done,
            ..Counts::default()
        };
        assert_eq!(c(1, 22).percent(), 5); // 4.55
        assert_eq!(c(5, 22).percent(), 23); // 22.7
        assert_eq!(c(1, 8).percent(), 13); // 12.5
        assert_eq!(c(0, 0).percent(), 0);
        assert_eq!(c(22, 22).percent(), 100);
    }

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(text_bar(0, 4, 8), "░░░░░░░░");
        assert_eq!(text_bar(1, 4, 8), "██░░░░░░");
        assert_eq!(text_bar(4, 4, 8), "████████");
        assert_eq!(text_bar(0, 0, 4), "░░░░");
    }

    #[test]
    fn counts_and_overdue_come_from_the_progress() {
        let checklist = Checklist::embedded();
        let mut p = Progress::new(&checklist.id);
        let t: Stamp = "2026-11-01T09:00:00+08:00".parse().unwrap();
        p.set_status("1.1", Status::Resolved, t);
        p.set_status("2.5", Status::Verified, t);
        p.set_status("3.1", Status::InProgress, t);
        p.set_deadline("3.1", Some("2026-11-15".parse().unwrap()), t);
        p.set_deadline("1.1", Some("2026-11-15".parse().unwrap()), t);
        let s = Summary::build(
            &checklist,
            &p,
            Lang::ZhHant,
            jiff::civil::date(2026, 11, 29),
        );
        assert_eq!(s.counts.total, 22);
        assert_eq!(s.counts.done(), 2);
        assert_eq!(s.counts.in_progress, 1);
        assert_eq!(s.counts.overdue, 1, "only the unfinished one is overdue");
        assert_eq!(
            Counts::of(&checklist, &p, jiff::civil::date(2026, 11, 29)),
            s.counts,
            "the header's counts agree with the reports'"
        );
        assert_eq!(s.areas[2].counts.overdue, 1);
        assert_eq!(
            s.headline(),
            "截至2026年11月29日，22項問題已完成2項、正在整改1項，完成率9%"
        );
    }
}
