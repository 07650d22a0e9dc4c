//! The numbers and rows every report shows, computed once so no two formats ever disagree.

use jiff::civil::Date;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

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
    /// The day it happened (`on`, or the day it was written).
    pub date: Date,
    pub edited: Option<Stamp>,
    pub text: &'a str,
    pub by: Option<&'a str>,
    pub edited_by: Option<&'a str>,
}

impl<'a> NoteRow<'a> {
    pub fn of(n: &'a crate::model::Note) -> NoteRow<'a> {
        NoteRow {
            id: &n.id,
            at: n.at,
            date: n.date(),
            edited: n.edited,
            text: &n.text,
            by: n.by.as_deref(),
            edited_by: n.edited_by.as_deref(),
        }
    }

    /// Its date and author, as reports head a note: "2026-11-25 · 王偉".
    pub fn head(&self) -> String {
        match &self.by {
            Some(by) => format!("{} · {by}", self.date),
            None => self.date.to_string(),
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
    /// The day a problem without measures was done (完成時間), if it is.
    pub resolved_on: Option<Date>,
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
    /// When it was resolved, if it is done: the time it was recorded.
    pub resolved: Option<Stamp>,
    /// The day it was resolved (its `on`, or the day it was recorded): 完成時間.
    pub resolved_on: Option<Date>,
    /// Newest first.
    pub notes: Vec<NoteRow<'a>>,
    pub last_update: Stamp,
}

impl<'a> MeasureRow<'a> {
    fn of(item: &str, n: usize, m: &'a crate::model::Measure, today: Date) -> MeasureRow<'a> {
        let resolved = m.resolved_at();
        let resolved_on = resolved.and_then(|_| done_on(&m.history));
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
            resolved,
            resolved_on,
            notes: crate::model::progress::visible_notes(&m.notes)
                .into_iter()
                .map(NoteRow::of)
                .collect(),
            last_update: m.last_update(),
        }
    }
}

/// The day the changes in `history` last made it done (the `on` of the change that did, or
/// the day it was recorded), if they leave it done: 完成時間.
fn done_on(history: &[crate::model::StatusChange]) -> Option<Date> {
    let mut ordered: Vec<&crate::model::StatusChange> = history.iter().collect();
    ordered.sort_by(|a, b| a.order(b));
    if !ordered.last()?.status.is_done() {
        return None;
    }
    let first_done = ordered
        .iter()
        .rposition(|c| !c.status.is_done())
        .map_or(0, |i| i + 1);
    Some(ordered[first_done].date())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub requirements: &'a str,
    pub counts: Counts,
    /// The counts of its problems' measures.
    pub measure_counts: Counts,
    pub items: Vec<ItemRow<'a>>,
}

/// A status change in a report period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodChange<'a> {
    /// The problem.
    pub item: &'a str,
    /// The measure, as users address it (`2.5.1`), when it was a measure that changed.
    pub measure: Option<String>,
    /// The problem's text, or the measure's.
    pub text: &'a str,
    pub at: Stamp,
    /// The day it happened (`on`, or the day it was recorded): what the period goes by.
    pub date: Date,
    pub from: Status,
    pub to: Status,
    pub by: Option<&'a str>,
}

impl PeriodChange<'_> {
    /// Its date and author: "2026-11-20 · 王偉".
    pub fn head(&self) -> String {
        match &self.by {
            Some(by) => format!("{} · {by}", self.date),
            None => self.date.to_string(),
        }
    }

    /// The id it is listed by: the measure's (`2.5.1`) or the problem's.
    pub fn id(&self) -> &str {
        self.measure.as_deref().unwrap_or(self.item)
    }

    /// "未整改 → 已完成".
    pub fn change(&self, lang: Lang) -> String {
        format!("{} → {}", self.from.label(lang), self.to.label(lang))
    }
}

/// A note written in a report period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodNote<'a> {
    /// The problem.
    pub item: &'a str,
    /// The measure it was written on (`2.5.1`), if any.
    pub measure: Option<String>,
    /// The problem's text, or the measure's.
    pub text: &'a str,
    pub note: NoteRow<'a>,
}

impl PeriodNote<'_> {
    /// The id it is listed by: the measure's (`2.5.1`) or the problem's.
    pub fn id(&self) -> &str {
        self.measure.as_deref().unwrap_or(self.item)
    }
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
    /// The counts of the measures (整改措施) of every problem.
    pub measure_counts: Counts,
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
            let mut measure_counts = Counts::default();
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
                    let measures: Vec<MeasureRow> = p
                        .numbered_measures()
                        .into_iter()
                        .map(|(n, m)| MeasureRow::of(&item.id, n, m, today))
                        .collect();
                    measures
                        .iter()
                        .for_each(|m| measure_counts.add(m.status, m.overdue));
                    ItemRow {
                        id: &item.id,
                        text: item.text.get(lang),
                        status,
                        owner: p.owner(),
                        person: p.person(),
                        deadline: p.deadline(),
                        resolved_on: match status.is_done() && measures.is_empty() {
                            true => done_on(&p.history),
                            false => None,
                        },
                        measures,
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
                measure_counts,
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
        let mut measure_counts = Counts::default();
        for a in &areas {
            counts.merge(&a.counts);
            measure_counts.merge(&a.measure_counts);
        }
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
            measure_counts,
            areas,
            period: None,
            period_only: false,
        }
    }

    /// Adds "progress this period": status changes and new notes of problems and their
    /// measures that happened after `since` (and not after the report's date), by the day
    /// they happened (`on`, or the day they were recorded), oldest first.
    pub fn with_period(
        mut self,
        checklist: &'a Checklist,
        progress: &'a Progress,
        since: Date,
    ) -> Summary<'a> {
        let until = self.as_of;
        let in_period = |d: Date| d > since && d <= until;
        let mut changes = Vec::new();
        let mut notes = Vec::new();
        for (_, item) in checklist.items() {
            let Some(p) = progress.item(&item.id) else {
                continue;
            };
            let text = item.text.get(self.lang);
            let measures = p.numbered_measures();
            let mut add = |measure: Option<(usize, &'a crate::model::Measure)>| {
                let (mut history, all_notes, text, measure) = match measure {
                    None => (p.ordered_history(), &p.notes, text, None),
                    Some((n, m)) => (
                        m.history.iter().collect(),
                        &m.notes,
                        m.text(),
                        Some(format!("{}.{n}", item.id)),
                    ),
                };
                history.sort_by(|a, b| a.order(b));
                let mut before = Status::Open;
                for c in history {
                    if in_period(c.date()) && c.status != before {
                        changes.push(PeriodChange {
                            item: &item.id,
                            measure: measure.clone(),
                            text,
                            at: c.at,
                            date: c.date(),
                            from: before,
                            to: c.status,
                            by: c.by.as_deref(),
                        });
                    }
                    before = c.status;
                }
                for n in all_notes.iter().filter(|n| !n.is_deleted()) {
                    if in_period(n.date()) {
                        notes.push(PeriodNote {
                            item: &item.id,
                            measure: measure.clone(),
                            text,
                            note: NoteRow::of(n),
                        });
                    }
                }
            };
            add(None);
            measures.into_iter().for_each(|m| add(Some(m)));
        }
        changes.sort_by_key(|c| (c.date, c.at));
        notes.sort_by_key(|n| (n.note.date, n.note.at));
        self.period = Some(Period {
            since,
            until,
            changes,
            notes,
        });
        self
    }

    /// The headline sentence of the problems: "截至2026年11月29日，22項問題已完成2項…".
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

    /// What reports head with: [`Summary::headline`], and the measures' counts when there
    /// are any ("…，完成率9%；64條措施已完成17條、正在整改20條").
    pub fn report_headline(&self) -> String {
        let problems = self.headline();
        match self.measure_counts.total {
            0 => problems,
            _ => format!(
                "{problems}{}{}",
                self.lang.pick(["; ", "；", "；"]),
                self.measures_sentence()
            ),
        }
    }

    /// The measures' counts as a clause: "64條措施已完成17條、正在整改20條、逾期3條".
    pub fn measures_sentence(&self) -> String {
        let c = &self.measure_counts;
        crate::i18n::measures_headline(self.lang, c.total, c.done(), c.in_progress, c.overdue)
    }

    /// The problems and measures counted in a phrase: "22個問題、64條措施".
    pub fn counted(&self) -> String {
        crate::i18n::problems_and_measures(self.lang, self.counts.total, self.measure_counts.total)
    }

    pub fn items(&self) -> impl Iterator<Item = (&AreaRow<'a>, &ItemRow<'a>)> {
        self.areas
            .iter()
            .flat_map(|a| a.items.iter().map(move |i| (a, i)))
    }
}

impl<'a> Summary<'a> {
    /// What this period changed for one problem or measure (by the id it is listed by), a
    /// line per change or note: "2026-11-20 · 王偉 未整改 → 已完成" / "2026-11-22 · 李明：text".
    pub fn period_text(&self, id: &str) -> String {
        self.period_texts().remove(id).unwrap_or_default()
    }

    /// [`Summary::period_text`] of everything that moved, by the id it is listed by: found
    /// in one pass, not one pass over the period for each row of a large table.
    pub fn period_texts(&self) -> HashMap<&str, String> {
        let Some(p) = &self.period else {
            return HashMap::new();
        };
        let colon = self.lang.colon();
        let changes = p.changes.iter().map(|c| {
            (
                c.id(),
                (c.date, c.at),
                format!("{} {}", c.head(), c.change(self.lang)),
            )
        });
        let notes = p.notes.iter().map(|n| {
            (
                n.id(),
                (n.note.date, n.note.at),
                format!("{}{colon}{}", n.note.head(), n.note.text),
            )
        });
        let mut lines: Vec<(&str, (Date, Stamp), String)> = changes.chain(notes).collect();
        lines.sort_by_key(|(_, at, _)| *at);
        let mut texts: HashMap<&str, String> = HashMap::new();
        for (id, _, line) in lines {
            let text = texts.entry(id).or_default();
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&line);
        }
        texts
    }

    /// The ledger as one table, for spreadsheets and CSV: a row per measure (a problem
    /// without measures keeps one row), the ledger columns, plus "progress this period"
    /// when the report has a period; with `period_only`, only the problems that moved.
    /// Cells are user text as typed; each format makes them safe its own way.
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
        let texts = std::rc::Rc::new(self.period_texts());
        let moved = texts.clone();
        areas
            .iter()
            .flat_map(|a| a.items.iter().map(move |i| (a, i)))
            .filter(move |(_, item)| {
                !self.period_only
                    || moved.contains_key(item.id)
                    || item.measures.iter().any(|m| moved.contains_key(&*m.id))
            })
            .flat_map(move |(area, item)| {
                let span = item.measures.len().max(1);
                let texts = texts.clone();
                (0..span).map(move |k| {
                    let measure = item.measures.get(k);
                    let first = k == 0;
                    let mut cells =
                        Vec::from(item.ledger_cells(area, measure, first, self.lang, self.as_of));
                    if self.period.is_some() {
                        let text = |id: &str| texts.get(id).cloned().unwrap_or_default();
                        let own = first.then(|| text(item.id));
                        let of_measure = measure.map(|m| text(&m.id));
                        cells.push(Cow::Owned(lines(own, of_measure)));
                    }
                    let (status, overdue) = match measure {
                        Some(m) => (m.status, item.measure_overdue(m, self.as_of)),
                        None => (item.status, item.overdue),
                    };
                    TableRow {
                        item,
                        measure,
                        span: if first { span } else { 0 },
                        status,
                        overdue,
                        cells,
                    }
                })
            })
    }
}

/// Two optional texts, a line each, the empty ones left out.
fn lines(first: Option<String>, second: Option<String>) -> String {
    match (first, second) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => format!("{a}\n{b}"),
        (Some(a), Some(b)) => a + &b,
        (a, b) => a.or(b).unwrap_or_default(),
    }
}

/// The columns of a 整改台賬 as spreadsheets and CSV carry them: the problem's (merged
/// over its measures' rows in a spreadsheet), then the measure's.
pub fn ledger_columns(lang: Lang) -> [&'static str; LEDGER_COLUMNS] {
    let t = lang.strings();
    [
        t.col_no,
        t.area,
        t.problem,
        t.measures,
        t.goal,
        t.owner,
        t.partners,
        t.leader,
        t.person,
        t.deadline,
        t.status,
        t.completed_at,
        t.latest_notes,
        t.last_change,
    ]
}

/// How many columns [`ledger_columns`] has.
pub const LEDGER_COLUMNS: usize = 14;

/// Of [`ledger_columns`]: the problem's columns, merged over its measures' rows.
pub const PROBLEM_COLUMNS: usize = 3;

/// Of [`ledger_columns`]: the status, coloured in a spreadsheet.
pub const STATUS_COLUMN: usize = 10;

/// "正在整改（逾期）": a status as a ledger writes it.
fn status_text(status: Status, overdue: bool, lang: Lang) -> String {
    let label = status.label(lang);
    match overdue {
        false => label.to_string(),
        true => lang.aside(label, lang.strings().overdue),
    }
}

impl<'a> ItemRow<'a> {
    /// The status as a ledger writes it, with overdue added: "正在整改（逾期）".
    pub fn status_text(&self, lang: Lang) -> String {
        status_text(self.status, self.overdue, lang)
    }

    /// The problem's own ledger fields that are filled in, with their labels, in ledger
    /// order: what a report lists under a problem (its measures are listed apart).
    pub fn filled_fields(&self, lang: Lang) -> Vec<(&'static str, Cow<'a, str>)> {
        let t = lang.strings();
        let deadline = self.deadline.map(|d| d.label(lang)).unwrap_or_default();
        [
            (t.owner, Cow::Borrowed(self.owner)),
            (t.person, Cow::Borrowed(self.person)),
            (t.deadline, Cow::Owned(deadline)),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
    }

    /// The newest note with its date: "2026-11-25 與公檢法召開協調會…".
    pub fn latest_note(&self) -> String {
        latest_note(&self.notes)
    }

    /// Whether `measure` is late as the ledger shows it: by its own deadline, or, when it
    /// has none, by the problem's.
    pub fn measure_overdue(&self, m: &MeasureRow, today: Date) -> bool {
        m.overdue
            || (m.deadline.is_none()
                && self.deadline.is_some_and(|d| d.is_past(today))
                && !m.status.is_done())
    }

    /// How many of its measures are done: "1/3".
    pub fn measures_done(&self) -> String {
        let done = self.measures.iter().filter(|m| m.status.is_done()).count();
        format!("{done}/{}", self.measures.len())
    }

    /// One spreadsheet row in the order of [`ledger_columns`]: the problem's row when it
    /// has no measures, else the row of `measure`, whose empty lead unit, person and
    /// deadline show the problem's. The problem's own latest note goes on its `first` row.
    /// User text is returned as typed; each format makes it safe in its own way.
    pub fn ledger_cells(
        &self,
        area: &AreaRow<'a>,
        measure: Option<&MeasureRow<'a>>,
        first: bool,
        lang: Lang,
        today: Date,
    ) -> [Cow<'a, str>; LEDGER_COLUMNS] {
        let date = |s: Option<Stamp>| s.map(|s| s.date().to_string()).unwrap_or_default();
        // Dates in their ISO form, which spreadsheets sort and read as dates.
        let label = |d: Option<Deadline>| d.map(|d| d.cell(lang)).unwrap_or_default();
        let problem = [
            Cow::Borrowed(self.id),
            Cow::Borrowed(area.title),
            Cow::Borrowed(self.text),
        ];
        let Some(m) = measure else {
            let [a, b, c] = problem;
            return [
                a,
                b,
                c,
                Cow::Borrowed(""),
                Cow::Borrowed(""),
                Cow::Borrowed(self.owner),
                Cow::Borrowed(""),
                Cow::Borrowed(""),
                Cow::Borrowed(self.person),
                Cow::Owned(label(self.deadline)),
                Cow::Owned(self.status_text(lang)),
                Cow::Owned(self.resolved_on.map(|d| d.to_string()).unwrap_or_default()),
                Cow::Owned(self.latest_note()),
                Cow::Owned(date(self.last_update)),
            ];
        };
        let or = |own: &'a str, problem: &'a str| if own.trim().is_empty() { problem } else { own };
        let deadline = m.deadline.or(self.deadline);
        // A measure without a deadline of its own is late when the problem's has passed.
        let overdue = self.measure_overdue(m, today);
        let note = lines(first.then(|| self.latest_note()), Some(m.latest_note()));
        let [a, b, c] = problem;
        [
            a,
            b,
            c,
            Cow::Owned(format!("{} {}", m.id, m.text)),
            Cow::Borrowed(m.goal),
            Cow::Borrowed(or(m.owner, self.owner)),
            Cow::Owned(m.partners_text(lang)),
            Cow::Borrowed(m.leader),
            Cow::Borrowed(or(m.person, self.person)),
            Cow::Owned(label(deadline)),
            Cow::Owned(status_text(m.status, overdue, lang)),
            Cow::Owned(m.resolved_on.map(|d| d.to_string()).unwrap_or_default()),
            Cow::Owned(note),
            // The first row says when anything of the problem last changed.
            Cow::Owned(date(Some(match first {
                true => self
                    .last_update
                    .map_or(m.last_update, |p| p.max(m.last_update)),
                false => m.last_update,
            }))),
        ]
    }
}

/// The newest of `notes` (newest first) with its date: "2026-11-25 與公檢法召開協調會…".
fn latest_note(notes: &[NoteRow]) -> String {
    notes
        .first()
        .map(|n| format!("{} {}", n.head(), n.text))
        .unwrap_or_default()
}

impl<'a> MeasureRow<'a> {
    /// The status as a ledger writes it, with overdue added: "正在整改（逾期）".
    pub fn status_text(&self, lang: Lang) -> String {
        status_text(self.status, self.overdue, lang)
    }

    /// The partner units as one text: "市公安局、市檢察院".
    pub fn partners_text(&self, lang: Lang) -> String {
        self.partners.join(lang.pick([", ", "、", "、"]))
    }

    /// The newest note with its date: "2026-11-25 與公檢法召開協調會…".
    pub fn latest_note(&self) -> String {
        latest_note(&self.notes)
    }

    /// The measure's fields that are filled in, with their labels, in ledger order: what a
    /// report lists under it (its text, status and notes are written apart).
    pub fn filled_fields(&self, lang: Lang) -> Vec<(&'static str, Cow<'a, str>)> {
        let t = lang.strings();
        [
            (t.goal, Cow::Borrowed(self.goal)),
            (t.owner, Cow::Borrowed(self.owner)),
            (t.partners, Cow::Owned(self.partners_text(lang))),
            (t.leader, Cow::Borrowed(self.leader)),
            (t.person, Cow::Borrowed(self.person)),
            (
                t.deadline,
                Cow::Owned(self.deadline.map(|d| d.label(lang)).unwrap_or_default()),
            ),
            (
                t.completed_at,
                Cow::Owned(self.resolved_on.map(|d| d.to_string()).unwrap_or_default()),
            ),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
    }
}

/// A row of [`Summary::table`]: a problem's, or one of its measures'.
#[derive(Clone, Debug)]
pub struct TableRow<'s, 'a> {
    pub item: &'s ItemRow<'a>,
    /// The measure the row is of; `None` for a problem without measures.
    pub measure: Option<&'s MeasureRow<'a>>,
    /// How many rows the problem takes, on its first row (which a spreadsheet merges the
    /// problem's cells over); 0 on the others.
    pub span: usize,
    /// The status its status cell shows, and whether late: for colouring it.
    pub status: Status,
    pub overdue: bool,
    pub cells: Vec<Cow<'a, str>>,
}

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
