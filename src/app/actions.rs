//! What the key map's actions do in the ledger and summary views: moving, scrolling,
//! opening, the status toggle, and clicks and the wheel.

use super::editor::Editor;
use super::undo::{redo, undo};
use super::{Action, App, Effect, FieldsForm, Filter, Focus, Mode, Row, View, read_only_message};
use crate::model::Status;

fn scrolled(pos: &mut u16, delta: i32, max: u16) -> Effect {
    scroll(pos, delta, max);
    Effect::None
}

/// Scrolls `pos` by `delta` lines within `0..=max`.
fn scroll(pos: &mut u16, delta: i32, max: u16) {
    *pos = (i32::from(*pos) + delta).clamp(0, i32::from(max)) as u16;
}

pub(super) fn act(app: &mut App, a: Action) -> Effect {
    let before = app.selected;
    let effect = act_on(app, a);
    if app.selected != before {
        app.detail_scroll = 0;
    }
    effect
}

fn act_on(app: &mut App, a: Action) -> Effect {
    let screen = i32::from(app.height.saturating_sub(4).max(1));
    if app.view == View::Summary {
        let max = app.layout.summary_max;
        match a {
            Action::Up => scroll(&mut app.summary_scroll, -1, max),
            Action::Down => scroll(&mut app.summary_scroll, 1, max),
            Action::PageUp => scroll(&mut app.summary_scroll, -screen, max),
            Action::PageDown => scroll(&mut app.summary_scroll, screen, max),
            Action::Top => app.summary_scroll = 0,
            Action::Summary | Action::Back => app.view = View::Ledger,
            Action::Quit => return Effect::Quit,
            Action::Help => app.mode = Mode::Help,
            Action::Language => app.lang = app.lang.next(),
            Action::Export => app.mode = Mode::ExportPicker(0),
            _ => {}
        }
        return Effect::None;
    }
    // The detail scrolls by page when it has the keys: notes focused, or shown alone.
    let detail_keys = matches!(app.focus, Focus::Notes(_)) || app.detail_open;
    let max = app.layout.detail_max;
    match a {
        Action::PageDown if detail_keys => return scrolled(&mut app.detail_scroll, screen, max),
        Action::PageUp if detail_keys => return scrolled(&mut app.detail_scroll, -screen, max),
        Action::Down if app.detail_open && app.focus == Focus::Tree => {
            return scrolled(&mut app.detail_scroll, 1, max);
        }
        Action::Up if app.detail_open && app.focus == Focus::Tree => {
            return scrolled(&mut app.detail_scroll, -1, max);
        }
        _ => {}
    }
    if let Focus::Notes(n) = app.focus
        && let Some(effect) = notes_act(app, n, a)
    {
        return effect;
    }
    match a {
        Action::Up => move_by(app, -1),
        Action::Down => move_by(app, 1),
        Action::PageUp => move_by(app, -(page(app) as isize)),
        Action::PageDown => move_by(app, page(app) as isize),
        Action::Top => select_index(app, 0),
        Action::Bottom => select_index(app, usize::MAX),
        Action::Left => left(app),
        Action::Right => match app.selected {
            Row::Area(a) => {
                app.collapsed.remove(&app.checklist.areas[a].id);
            }
            Row::Item(..) => {
                if let Some(id) = app.selected_item().map(str::to_string) {
                    app.folded.remove(&id);
                }
            }
            Row::Measure(..) => {}
        },
        Action::Open => return open(app),
        Action::ToggleResolved => return toggle_resolved(app),
        Action::ChooseStatus => {
            if let Some(id) = app.selected_id() {
                let current = app.progress.status(&id);
                let i = Status::ALL.iter().position(|s| *s == current).unwrap_or(0);
                app.mode = Mode::StatusPicker(i);
            }
        }
        Action::NewNote => new_note(app),
        Action::EditFields if app.read_only => {
            app.message = Some(read_only_message(app));
        }
        Action::EditFields => {
            if let Some(id) = app.selected_id() {
                let form = match app.progress.measure(&id) {
                    Some((_, _, m)) => FieldsForm::measure(&id, m, app.lang),
                    None => FieldsForm::new(&id, app.progress.item(&id), app.lang),
                };
                app.mode = Mode::Fields(Box::new(form));
            }
        }
        Action::AddMeasure | Action::DeleteMeasure if app.read_only => {
            app.message = Some(read_only_message(app));
        }
        Action::AddMeasure => {
            if let Some(id) = app.selected_item() {
                app.mode = Mode::Fields(Box::new(FieldsForm::new_measure(id)));
            }
        }
        Action::DeleteMeasure => {
            if let Row::Measure(..) = app.selected
                && let Some(id) = app.selected_id()
            {
                app.mode = Mode::ConfirmDeleteMeasure(id);
            }
        }
        Action::DeleteNote => {
            if let Some((item, note)) = first_note(app) {
                app.mode = Mode::ConfirmDelete { item, note };
            }
        }
        Action::Search => app.mode = Mode::Search(String::new()),
        Action::Filter => {
            app.filter = match app.filter {
                Filter::All => Filter::Open,
                Filter::Open => Filter::Overdue,
                Filter::Overdue => Filter::All,
            };
            keep_selection_visible(app);
        }
        Action::Summary => app.view = View::Summary,
        Action::Export => app.mode = Mode::ExportPicker(0),
        Action::Undo => return undo(app),
        Action::Redo => return redo(app),
        Action::Language => app.lang = app.lang.next(),
        Action::Help => app.mode = Mode::Help,
        Action::Mouse => {
            app.mouse = !app.mouse;
            let t = app.lang.strings();
            app.message = Some(if app.mouse { t.mouse_on } else { t.mouse_off }.into());
            return Effect::Mouse(app.mouse);
        }
        Action::Back => {
            if app.detail_open {
                app.detail_open = false;
            } else if app.filter != Filter::All {
                app.filter = Filter::All;
                keep_selection_visible(app);
            }
        }
        Action::Quit => return Effect::Quit,
    }
    Effect::None
}

/// Keys while the notes have the focus; `None` falls through to the tree's meaning.
fn notes_act(app: &mut App, n: usize, a: Action) -> Option<Effect> {
    let count = app.selected_id().map_or(0, |id| app.notes_of(&id).len());
    match a {
        Action::Up => app.focus = Focus::Notes(n.saturating_sub(1)),
        Action::Down => app.focus = Focus::Notes((n + 1).min(count.saturating_sub(1))),
        Action::Top => app.focus = Focus::Notes(0),
        Action::Bottom => app.focus = Focus::Notes(count.saturating_sub(1)),
        Action::Open if app.read_only => {
            app.message = Some(read_only_message(app));
        }
        Action::Open => {
            let (item, note) = app.selected_note()?;
            let n = app.notes_of(&item).into_iter().find(|x| x.id == note)?;
            let (text, date) = (n.text.clone(), n.date());
            app.mode = Mode::Editor(Box::new(Editor::edit(&item, &note, &text, date)));
        }
        Action::DeleteNote => {
            let (item, note) = app.selected_note()?;
            app.mode = Mode::ConfirmDelete { item, note };
        }
        Action::Left | Action::Back => {
            app.focus = Focus::Tree;
            if !app.is_wide() && a == Action::Back {
                app.detail_open = false;
            }
        }
        _ => return None,
    }
    Some(Effect::None)
}

/// The newest note of the selected item, for `d` from the tree.
fn first_note(app: &App) -> Option<(String, String)> {
    let id = app.selected_id()?;
    let note = app.notes_of(&id).first()?.id.clone();
    Some((id, note))
}

fn page(app: &App) -> usize {
    (app.layout.tree.height as usize).saturating_sub(1).max(1)
}

pub(super) fn move_by(app: &mut App, delta: isize) {
    let rows = app.rows();
    let Some(cur) = rows.iter().position(|r| *r == app.selected) else {
        keep_selection_visible(app);
        return;
    };
    let next = cur
        .saturating_add_signed(delta)
        .min(rows.len().saturating_sub(1));
    app.selected = rows[next];
    app.focus = Focus::Tree;
}

fn select_index(app: &mut App, i: usize) {
    let rows = app.rows();
    if let Some(r) = rows.get(i.min(rows.len().saturating_sub(1))) {
        app.selected = *r;
    }
    app.focus = Focus::Tree;
}

fn left(app: &mut App) {
    match app.selected {
        Row::Measure(a, i, _) => app.selected = Row::Item(a, i),
        // A problem with its measures shown folds them first.
        Row::Item(a, i) => {
            let id = &app.checklist.areas[a].items[i].id;
            let unfolded =
                !app.folded.contains(id) && app.progress.item(id).is_some_and(|p| p.has_measures());
            if unfolded {
                app.folded.insert(id.clone());
            } else {
                app.selected = Row::Area(a);
            }
        }
        Row::Area(a) => {
            app.collapsed.insert(app.checklist.areas[a].id.clone());
        }
    }
}

fn open(app: &mut App) -> Effect {
    match app.selected {
        // Stacked, the area's detail (its items and requirements) opens like an item's.
        Row::Area(_) if !app.is_wide() => app.detail_open = true,
        Row::Area(a) => {
            let id = app.checklist.areas[a].id.clone();
            if !app.collapsed.remove(&id) {
                app.collapsed.insert(id);
            }
        }
        Row::Item(..) | Row::Measure(..) => {
            if !app.is_wide() {
                app.detail_open = true;
            }
            let has_notes = app
                .selected_id()
                .is_some_and(|id| !app.notes_of(&id).is_empty());
            if has_notes {
                app.focus = Focus::Notes(0);
            }
        }
    }
    Effect::None
}

fn toggle_resolved(app: &mut App) -> Effect {
    let Some(id) = app.selected_id() else {
        return Effect::None;
    };
    let current = app.progress.status(&id);
    let next = if current.is_done() {
        // Back to where it was before it was done.
        let history = match app.progress.measure(&id) {
            Some((_, _, m)) => m.history.iter().collect::<Vec<_>>(),
            None => app
                .progress
                .item(&id)
                .map(|i| i.ordered_history())
                .unwrap_or_default(),
        };
        let mut history = history;
        history.sort_by(|a, b| a.order(b));
        history
            .iter()
            .rev()
            .map(|c| c.status)
            .find(|s| !s.is_done())
            .unwrap_or(Status::Open)
    } else {
        Status::Resolved
    };
    mark_selected(app, next)
}

/// Gives the selected problem or measure a status, as a user asks it ([`Progress::mark`]):
/// a problem with measures follows them, and a refusal is said in the status line.
///
/// [`Progress::mark`]: crate::model::Progress::mark
pub(super) fn mark_selected(app: &mut App, status: Status) -> Effect {
    let Some(id) = app.selected_id() else {
        return Effect::None;
    };
    let mut refused = None;
    let effect = app.change(&id, |p, who| match p.mark(&id, status, who) {
        Ok(changed) => changed,
        Err(e) => {
            refused = Some(e);
            false
        }
    });
    if let Some(e) = refused {
        app.message = Some(change_refused(app.lang, &e));
    }
    effect
}

fn new_note(app: &mut App) {
    let Some(id) = app.selected_id() else {
        return;
    };
    if app.read_only {
        app.message = Some(read_only_message(app));
        return;
    }
    let draft = app
        .progress
        .item(&id)
        .and_then(|i| i.draft(app.author.as_deref()))
        .map(|d| d.value.clone());
    let today = app.today();
    app.mode = Mode::Editor(Box::new(Editor::new_note(&id, draft.as_deref(), today)));
}

pub(super) fn click(app: &mut App, col: u16, row: u16) {
    let tree = app.layout.tree;
    let showing_tree = app.view == View::Ledger && !app.detail_open;
    if !showing_tree || !tree.contains(ratatui::layout::Position::new(col, row)) {
        return;
    }
    let index = app.layout.tree_offset + (row - tree.y) as usize;
    if let Some(r) = app.rows().get(index) {
        app.selected = *r;
        app.focus = Focus::Tree;
    }
}

/// After the rows changed (filter, collapse), keep a selection that is on screen.
pub(super) fn keep_selection_visible(app: &mut App) {
    let rows = app.rows();
    if rows.contains(&app.selected) {
        return;
    }
    // The problem of a hidden measure, the area of a hidden item, else the first row.
    let area = match app.selected {
        Row::Measure(a, i, _) if rows.contains(&Row::Item(a, i)) => Row::Item(a, i),
        Row::Item(a, _) | Row::Area(a) | Row::Measure(a, _, _) => Row::Area(a),
    };
    app.selected = if rows.contains(&area) {
        area
    } else {
        rows.first().copied().unwrap_or(Row::Area(0))
    };
    app.focus = Focus::Tree;
}

/// Why a status change was refused, in the user's language.
fn change_refused(lang: crate::i18n::Lang, e: &crate::model::progress::ChangeError) -> String {
    use crate::model::progress::ChangeError;
    let t = lang.strings();
    match e {
        ChangeError::OpenMeasures { item, open } => t
            .refused_open_measures
            .replace("{item}", item)
            .replace("{open}", &open.join(", ")),
        ChangeError::FollowsMeasures { item } => t.refused_follows_measures.replace("{item}", item),
        other => other.to_string(),
    }
}
