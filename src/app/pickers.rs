//! The small modes: the status and export choosers, the delete confirmation and search.

use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};

use super::{App, EXPORT_FORMATS, Effect, Filter, Focus, Mode, Msg, Row};
use crate::model::Status;

pub(super) fn status_picker(app: &mut App, i: usize, msg: Msg) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::StatusPicker(i);
        return Effect::None;
    };
    let n = Status::ALL.len();
    let choose = super::actions::mark_selected;
    match k.code {
        KeyCode::Up | KeyCode::Char('k') => app.mode = Mode::StatusPicker((i + n - 1) % n),
        KeyCode::Down | KeyCode::Char('j') => app.mode = Mode::StatusPicker((i + 1) % n),
        KeyCode::Enter => return choose(app, Status::ALL[i]),
        KeyCode::Char(c @ '1'..='4') => return choose(app, Status::ALL[c as usize - '1' as usize]),
        KeyCode::Esc | KeyCode::Char('q') => {}
        _ => app.mode = Mode::StatusPicker(i),
    }
    Effect::None
}

pub(super) fn export_picker(app: &mut App, i: usize, msg: Msg) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::ExportPicker(i);
        return Effect::None;
    };
    let n = EXPORT_FORMATS.len();
    match k.code {
        KeyCode::Up | KeyCode::Char('k') => app.mode = Mode::ExportPicker((i + n - 1) % n),
        KeyCode::Down | KeyCode::Char('j') => app.mode = Mode::ExportPicker((i + 1) % n),
        KeyCode::Enter => return Effect::Export(EXPORT_FORMATS[i]),
        KeyCode::Esc | KeyCode::Char('q') => {}
        _ => app.mode = Mode::ExportPicker(i),
    }
    Effect::None
}

pub(super) fn confirm_delete(app: &mut App, item: String, note: String, msg: Msg) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::ConfirmDelete { item, note };
        return Effect::None;
    };
    match k.code {
        KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
            let effect = app.change(&item, |p, who| p.delete_note(&item, &note, who).is_ok());
            let left = app.notes_of(&item).len();
            app.focus = match app.focus {
                Focus::Notes(_) if left == 0 => Focus::Tree,
                Focus::Notes(n) => Focus::Notes(n.min(left - 1)),
                f => f,
            };
            effect
        }
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Effect::None,
        _ => {
            app.mode = Mode::ConfirmDelete { item, note };
            Effect::None
        }
    }
}

pub(super) fn search(app: &mut App, mut q: String, msg: Msg) -> Effect {
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => match k.code {
            KeyCode::Esc => return Effect::None,
            KeyCode::Enter => {
                if let Some(row) = app.find(&q) {
                    if let Some((a, i)) = row.item() {
                        app.collapsed.remove(&app.checklist.areas[a].id.clone());
                        if let Row::Measure(..) = row {
                            app.folded
                                .remove(&app.checklist.areas[a].items[i].id.clone());
                        }
                    }
                    if !app.rows().contains(&row) {
                        app.filter = Filter::All;
                    }
                    app.selected = row;
                    app.focus = Focus::Tree;
                } else {
                    app.message = Some(format!("{}: {q}", app.lang.strings().no_match));
                }
                return Effect::None;
            }
            KeyCode::Backspace => {
                q.pop();
            }
            KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => q.push(c),
            _ => {}
        },
        Msg::Paste(s) => q.push_str(&s.replace(['\n', '\r'], " ")),
        _ => {}
    }
    app.mode = Mode::Search(q);
    Effect::None
}

/// Asked before deleting a measure: `y` deletes it (undo brings it back).
pub(super) fn confirm_delete_measure(app: &mut App, id: String, msg: Msg) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::ConfirmDeleteMeasure(id);
        return Effect::None;
    };
    match k.code {
        KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
            let effect = app.change(&id, |p, who| p.remove_measure(&id, who).is_ok());
            // Its row is gone: the problem is selected.
            if let Some((a, i)) = app.selected.item() {
                app.selected = Row::Item(a, i);
            }
            app.focus = Focus::Tree;
            effect
        }
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Effect::None,
        _ => {
            app.mode = Mode::ConfirmDeleteMeasure(id);
            Effect::None
        }
    }
}
