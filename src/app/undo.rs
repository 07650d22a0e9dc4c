//! Undo and redo: one item as it was before each change.

use super::{App, Effect};
use crate::model::Progress;
use crate::model::progress::Who;

/// One item as it was before a change (`None`: it had no entry yet).
#[derive(Clone, Debug, PartialEq)]
pub struct UndoStep {
    pub item: String,
    pub before: Option<std::sync::Arc<crate::model::ItemProgress>>,
}

impl UndoStep {
    /// Makes the item show what it showed then, with new entries (see
    /// [`Progress::revert_item`]): a merge with a copy that saw the change does not bring
    /// it back, and drafts are left alone. Returns the step that goes the other way.
    fn apply(self, progress: &mut Progress, who: &Who) -> UndoStep {
        let now = progress.items.get(&self.item).cloned();
        progress.revert_item(&self.item, self.before.as_deref(), who);
        UndoStep {
            item: self.item,
            before: now,
        }
    }
}

pub(super) fn undo(app: &mut App) -> Effect {
    step_back(app, false)
}

pub(super) fn redo(app: &mut App) -> Effect {
    step_back(app, true)
}

/// Undo (or redo): takes a step from one list, applies it and puts its reverse on the other.
fn step_back(app: &mut App, redo: bool) -> Effect {
    if app.read_only {
        return Effect::None;
    }
    let from = if redo { &mut app.redo } else { &mut app.undo };
    match from.pop() {
        Some(step) => {
            let who = app.who();
            let back = step.apply(app.progress_mut(), &who);
            if redo {
                app.undo.push(back);
            } else {
                app.redo.push(back);
            }
            app.touched();
            Effect::Save
        }
        None => {
            let t = app.lang.strings();
            app.message = Some(
                if redo {
                    t.nothing_to_redo
                } else {
                    t.nothing_to_undo
                }
                .into(),
            );
            Effect::None
        }
    }
}
