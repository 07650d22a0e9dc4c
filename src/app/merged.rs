//! What another program wrote, taken into the ledger on screen, and what it may have
//! deleted from under the editor.

use std::sync::Arc;

use super::{App, Focus, Mode};
use crate::model::Progress;
use crate::model::merge::{Incoming, merge};

impl App {
    /// Merges `theirs` (the file as another program left it) into the ledger. The selected
    /// note stays selected however many notes came in above it; an edit of a note that was
    /// deleted there stays in the editor and is said to be saved as a new note. Undo steps
    /// are dropped: they predate what came in, and undoing one would undo that too.
    pub fn merged_from_disk(&mut self, theirs: &Progress) -> Incoming {
        let selected = self.selected_note();
        let edited = match &self.mode {
            Mode::Editor(ed) | Mode::ConfirmLeave(ed) if self.note_is_live(&ed.item, &ed.note) => {
                Some((ed.item.clone(), ed.note.clone()))
            }
            _ => None,
        };
        let (merged, incoming) = merge(&self.progress, theirs);
        self.progress = Arc::new(merged);
        self.revision += 1;
        // A measure deleted there: its problem is selected.
        if let super::Row::Measure(..) = self.selected
            && self.selected_id().is_none()
        {
            super::actions::keep_selection_visible(self);
        }
        self.undo.clear();
        self.redo.clear();
        if !incoming.is_empty() {
            self.message = Some(crate::i18n::merged(
                self.lang,
                incoming.notes,
                incoming.changes,
                &incoming.authors,
            ));
        }
        if let Some((item, note)) = selected
            && self.selected_id().as_deref() == Some(item.as_str())
        {
            let notes = self.notes_of(&item);
            self.focus = match notes.iter().position(|n| n.id == note) {
                Some(k) => Focus::Notes(k),
                // Deleted there: the note in its place, if any is left.
                None if notes.is_empty() => Focus::Tree,
                None => match self.focus {
                    Focus::Notes(k) => Focus::Notes(k.min(notes.len() - 1)),
                    f => f,
                },
            };
        }
        if let Some((item, note)) = edited
            && !self.note_is_live(&item, &note)
        {
            self.message = Some(self.lang.strings().note_deleted_elsewhere.into());
        }
        incoming
    }

    /// Whether `note` (an editor's) is a note of `item` that is not deleted.
    pub fn note_is_live(&self, item: &str, note: &Option<String>) -> bool {
        note.as_ref().is_some_and(|note| {
            let notes = match self.progress.measure(item) {
                Some((_, _, m)) => &m.notes,
                None => match self.progress.item(item) {
                    Some(i) => &i.notes,
                    None => return false,
                },
            };
            notes.iter().any(|n| n.id == *note && !n.is_deleted())
        })
    }
}
