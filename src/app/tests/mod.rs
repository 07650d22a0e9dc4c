//! `update` for every action, with no terminal and no files.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::model::{Stamp, Status};

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

fn app() -> App {
    let c = Checklist::embedded();
    let p = Progress::new(&c.id);
    App::new(c, p, Lang::En, at("2026-11-29T14:00:00+08:00"))
}

fn act(app: &mut App, a: Action) -> Effect {
    update(app, Msg::Act(a))
}

fn key(app: &mut App, code: KeyCode) -> Effect {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Effect {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        if c == '\n' {
            key(app, KeyCode::Enter);
        } else {
            key(app, KeyCode::Char(c));
        }
    }
}

/// Selects item `id` through the search, as a user would.
fn goto(app: &mut App, id: &str) {
    act(app, Action::Search);
    typed(app, id);
    key(app, KeyCode::Enter);
    assert_eq!(app.selected_item(), Some(id));
}

/// As if a frame had laid out `layout`.
fn laid_out(app: &mut App, layout: ViewLayout) {
    update(app, Msg::Drawn(layout));
}

/// A copy of the app's ledger changed by "another program": what `f` does to it.
fn elsewhere(a: &App, f: impl FnOnce(&mut Progress)) -> Progress {
    let mut p = (*a.progress).clone();
    f(&mut p);
    p
}

/// Saves a note on `item` through the editor; returns its id.
fn saved_note(a: &mut App, item: &str, text: &str) -> String {
    goto(a, item);
    act(a, Action::NewNote);
    typed(a, text);
    ctrl(a, 's');
    let item = a.progress.item(item).unwrap();
    item.notes
        .iter()
        .find(|n| n.text == text)
        .unwrap()
        .id
        .clone()
}

mod disk;
mod editing;
mod measures;
mod merges;
mod moves;
mod undo;
