//! The TUI's state and everything that changes it: `update` takes a message (an action from
//! the key map, or raw input for a text field) and returns the I/O the loop should do. No
//! terminal and no files here, so every action is tested directly.

mod actions;
mod disk;
pub mod editor;
pub mod keymap;
mod merged;
mod pickers;
mod rows;
mod undo;

use std::collections::BTreeSet;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::civil::Date;

pub use editor::{Editor, FieldsForm};
pub use keymap::{Action, KeyMap};
pub use rows::{Derived, Row};
pub use undo::UndoStep;

use actions::{act, click, move_by};
use pickers::{confirm_delete, export_picker, search, status_picker};

use crate::export::{ExportError, Format};
use crate::i18n::Lang;
use crate::model::progress::Who;
use crate::model::{Checklist, Progress, Stamp};
use crate::store::StoreError;

/// Undo keeps this many steps.
const UNDO_DEPTH: usize = 200;

/// The terminal width below which tree and detail are stacked instead of side by side.
pub const WIDE: u16 = 80;

/// What the loop must do after an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// The progress changed: write it.
    Save,
    /// Write the summary in this format.
    Export(Format),
    /// Turn mouse capture on or off.
    Mouse(bool),
    /// Save (draft included) and leave.
    Quit,
}

/// Input for [`update`].
#[derive(Debug)]
pub enum Msg {
    Act(Action),
    /// A key for the open text field or chooser.
    Key(KeyEvent),
    Paste(String),
    /// A click at a terminal cell.
    Click {
        col: u16,
        row: u16,
    },
    /// Wheel steps: negative up.
    Scroll(i16),
    Resize {
        width: u16,
        height: u16,
    },
    /// A frame was drawn: what it laid out.
    Drawn(ViewLayout),
    // What the loop's I/O reports (see `disk.rs`).
    /// The author's name, once looked up.
    Author(Option<String>),
    /// The ledger, read after the first frame.
    LedgerRead(Box<Progress>),
    /// A save of the ledger as it was at `revision` ended.
    Saved {
        revision: u64,
        result: Result<(), StoreError>,
    },
    /// The file was read after another program wrote it: what it holds, to merge in, or why
    /// it could not be read. `unwritten`: a save of ours met that write and did not land.
    DiskChanged {
        on_disk: Result<Box<Progress>, StoreError>,
        unwritten: bool,
    },
    /// The session was taken over: the ledger may be written again.
    Writable,
    /// The ledger may not be written: why, unless another rectify has it open.
    ReadOnly(Option<String>),
    /// An export was written (the name shown for it) or failed (why).
    Exported(Result<String, ExportError>),
}

/// What a frame laid out, as drawing returns it: where the tree is and how far it is
/// scrolled, and how far the detail and the summary can be scrolled. Parts not drawn in a
/// frame are as the frame before left them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewLayout {
    /// The tree's rows on screen (inside the line between the panes).
    pub tree: ratatui::layout::Rect,
    /// The first tree row on screen.
    pub tree_offset: usize,
    /// The most lines the detail pane can be scrolled down.
    pub detail_max: u16,
    /// The same for the summary view.
    pub summary_max: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    Open,
    Overdue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Ledger,
    Summary,
}

/// Where the keys go in the ledger view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Tree,
    /// The item's notes, one selected (index into its notes, newest first).
    Notes(usize),
}

#[derive(Debug)]
pub enum Mode {
    Normal,
    Help,
    Editor(Box<Editor>),
    Fields(Box<FieldsForm>),
    /// Choosing a status; the index into [`Status::ALL`].
    StatusPicker(usize),
    /// Choosing an export format; index into [`EXPORT_FORMATS`].
    ExportPicker(usize),
    /// Asking before deleting this note.
    ConfirmDelete {
        item: String,
        note: String,
    },
    /// Leaving the editor of a saved note with changes: save, discard or go back.
    ConfirmLeave(Box<Editor>),
    /// Leaving the fields form with typed changes: save, discard or go back.
    ConfirmLeaveFields(Box<FieldsForm>),
    /// Asking before deleting this measure (`2.5.1`).
    ConfirmDeleteMeasure(String),
    Search(String),
}

pub const EXPORT_FORMATS: [Format; 6] = Format::ALL;

/// How the file stands, for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing changed since it was opened.
    Clean,
    Saved(Stamp),
    /// A change waits to be written.
    Pending,
    Failed(String),
}

pub struct App {
    pub checklist: Checklist,
    /// Shared with a save running in the background; changed through `Arc::make_mut`, which
    /// copies it only if a change comes while that save is still reading it.
    pub progress: std::sync::Arc<Progress>,
    pub lang: Lang,
    pub keymap: KeyMap,
    /// The clock; the loop sets it before each update so stamps are real, tests pin it.
    pub now: Stamp,
    /// Who is writing: recorded on every note and change.
    pub author: Option<String>,
    pub mode: Mode,
    pub view: View,
    pub focus: Focus,
    pub filter: Filter,
    pub collapsed: BTreeSet<String>,
    /// Problems whose measures are hidden (folded with ←).
    pub folded: BTreeSet<String>,
    /// The selected row of the tree.
    pub selected: Row,
    /// What the last frame laid out, handed back by the loop ([`Msg::Drawn`]): clicks and
    /// paging go by it, and the next frame scrolls the tree from where this one left it.
    pub layout: ViewLayout,
    pub width: u16,
    pub height: u16,
    /// Narrow layout: the detail is shown in place of the tree.
    pub detail_open: bool,
    /// Lines the detail pane is scrolled down by the user (PgDn); the most it can be is in
    /// the layout.
    pub detail_scroll: u16,
    /// The same for the summary view.
    pub summary_scroll: u16,
    pub undo: Vec<UndoStep>,
    pub redo: Vec<UndoStep>,
    pub save: SaveState,
    /// A one-off message for the status bar (export path, merge news, refusals).
    pub message: Option<String>,
    pub read_only: bool,
    /// Why it is read-only when not because another rectify has the ledger open (the file
    /// or its folder may not be written): the message to show.
    pub read_only_why: Option<String>,
    /// The size of the ledger file being read, while the first frame shows the checklist
    /// alone: a large ledger takes a tenth of a second to read, the checklist a few
    /// milliseconds. Nothing is handled until it is read.
    pub reading: Option<u64>,
    pub mouse: bool,
    pub color: bool,
    /// Counts changes to the ledger ([`App::touched`]); the tree's rows and counts are kept
    /// until it moves.
    pub revision: u64,
    derived: std::cell::RefCell<Option<std::rc::Rc<rows::Derived>>>,
    /// The most lines a problem's text takes in an area's detail, by area, width and
    /// language: the detail pads every problem's text to it, and measuring it wrapped up to
    /// 32 texts on every frame. Only [`App::new`] sets the checklist, so these never go
    /// stale; whatever replaces it must clear them.
    pub(crate) text_heights:
        std::cell::RefCell<std::collections::HashMap<(usize, usize, Lang), usize>>,
}

impl App {
    pub fn new(checklist: Checklist, progress: Progress, lang: Lang, now: Stamp) -> App {
        let selected = Row::Area(0);
        App {
            checklist,
            progress: std::sync::Arc::new(progress),
            lang,
            keymap: KeyMap::default(),
            now,
            author: None,
            mode: Mode::Normal,
            view: View::Ledger,
            focus: Focus::Tree,
            filter: Filter::All,
            collapsed: BTreeSet::new(),
            folded: BTreeSet::new(),
            selected,
            layout: ViewLayout::default(),
            width: 100,
            height: 30,
            detail_open: false,
            detail_scroll: 0,
            summary_scroll: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            save: SaveState::Clean,
            message: None,
            read_only: false,
            read_only_why: None,
            reading: None,
            mouse: true,
            color: true,
            revision: 0,
            derived: Default::default(),
            text_heights: Default::default(),
        }
    }

    /// The ledger, once read after the first frame.
    pub fn ledger_read(&mut self, progress: Progress) {
        self.progress = std::sync::Arc::new(progress);
        self.reading = None;
        self.revision += 1;
    }

    /// The progress to change (copied first only if a save is still reading it).
    pub fn progress_mut(&mut self) -> &mut Progress {
        std::sync::Arc::make_mut(&mut self.progress)
    }

    /// The stamp for a change made now by this user.
    pub fn who(&self) -> Who {
        Who::new(self.now, self.author.as_deref())
    }

    pub fn today(&self) -> Date {
        self.now.date()
    }

    pub fn is_wide(&self) -> bool {
        self.width >= WIDE
    }

    /// The selected problem's id, if a problem or one of its measures is selected.
    pub fn selected_item(&self) -> Option<&str> {
        let (a, i) = self.selected.item()?;
        Some(self.checklist.areas[a].items[i].id.as_str())
    }

    /// The id of what is selected: a problem's (`2.5`) or a measure's (`2.5.1`).
    pub fn selected_id(&self) -> Option<String> {
        let item = self.selected_item()?;
        Some(match self.selected {
            // A measure deleted meanwhile (undo, another program) is no target.
            Row::Measure(_, _, n) => {
                self.progress.item(item)?.measure(n)?;
                format!("{item}.{n}")
            }
            _ => item.to_string(),
        })
    }

    /// The visible notes of a problem or a measure, newest first.
    pub fn notes_of(&self, id: &str) -> Vec<&crate::model::Note> {
        if let Some((_, _, m)) = self.progress.measure(id) {
            return m.visible_notes();
        }
        self.progress
            .item(id)
            .map(|i| i.visible_notes())
            .unwrap_or_default()
    }

    /// The selected note's id, when the notes have the focus: (problem or measure id, note).
    pub fn selected_note(&self) -> Option<(String, String)> {
        let Focus::Notes(n) = self.focus else {
            return None;
        };
        let id = self.selected_id()?;
        let note = self.notes_of(&id).get(n)?.id.clone();
        Some((id, note))
    }

    /// The ledger changed: it waits to be saved, and the rows and counts kept for drawing
    /// are worked out again.
    pub fn touched(&mut self) {
        self.save = SaveState::Pending;
        self.revision += 1;
    }

    /// Changes one item, keeping it as it was for undo, and marks the progress as changed;
    /// refuses when read-only. `f` must change no other item.
    fn change(&mut self, item: &str, f: impl FnOnce(&mut Progress, Who) -> bool) -> Effect {
        if self.read_only {
            self.message = Some(read_only_message(self));
            return Effect::None;
        }
        // The item alone, not the whole ledger: a copy of 10,000 items on every change
        // took longer than the rest of the key press.
        // A measure is kept with its problem: undo puts the whole problem back.
        let key = self.progress.measure(item).map_or(item, |(p, _, _)| p);
        let before = UndoStep {
            item: key.to_string(),
            before: self.progress.items.get(key).cloned(),
        };
        let who = self.who();
        if f(self.progress_mut(), who) {
            self.undo.push(before);
            if self.undo.len() > UNDO_DEPTH {
                self.undo.remove(0);
            }
            self.redo.clear();
            self.touched();
            Effect::Save
        } else {
            Effect::None
        }
    }

    /// Keeps what is being typed when the program must stop (quit, a signal, a crash): the
    /// note editor's text becomes the item's draft, and the fields form is applied as far as
    /// its values are valid. Returns whether anything changed.
    pub fn stash_draft(&mut self) -> bool {
        if self.read_only {
            return false;
        }
        let who = self.who();
        match &self.mode {
            // An edit of a saved note is kept by saving it: as a draft it would be a copy.
            // A note deleted meanwhile (by another program) gets the text as a new note.
            // A measure keeps no drafts: its note is saved.
            Mode::Editor(ed) | Mode::ConfirmLeave(ed)
                if (ed.note.is_some() || self.progress.measure(&ed.item).is_some())
                    && ed.is_dirty() =>
            {
                let live = self.note_is_live(&ed.item, &ed.note);
                let note = ed.note.clone().unwrap_or_default();
                let (item, text) = (ed.item.clone(), ed.text());
                let p = std::sync::Arc::make_mut(&mut self.progress);
                let ok = if live {
                    p.edit_note(&item, &note, text.trim_end(), who).is_ok()
                } else {
                    p.add_note(&item, text.trim_end(), who).is_ok()
                };
                if ok {
                    self.touched();
                }
                ok
            }
            Mode::Editor(ed) if ed.is_dirty() => {
                let (item, text) = (ed.item.clone(), ed.text());
                self.progress_mut().set_draft(&item, &text, who);
                self.touched();
                true
            }
            Mode::Fields(form) | Mode::ConfirmLeaveFields(form) => {
                let before = self.progress.clone();
                editor::apply_fields(std::sync::Arc::make_mut(&mut self.progress), form, who);
                let changed = self.progress != before;
                if changed {
                    self.touched();
                }
                changed
            }
            _ => false,
        }
    }
}

fn read_only_message(app: &App) -> String {
    if let Some(why) = &app.read_only_why {
        return why.clone();
    }
    app.lang.strings().read_only_elsewhere.into()
}

/// Applies one message to the state.
pub fn update(app: &mut App, msg: Msg) -> Effect {
    match msg {
        Msg::Drawn(layout) => {
            app.layout = layout;
            return Effect::None;
        }
        Msg::Author(_)
        | Msg::LedgerRead(_)
        | Msg::Saved { .. }
        | Msg::DiskChanged { .. }
        | Msg::Writable
        | Msg::ReadOnly(_)
        | Msg::Exported(_) => return disk::reported(app, msg),
        _ => {}
    }
    let filtered = app.filter != Filter::All;
    let at = filtered
        .then(|| app.rows().iter().position(|r| *r == app.selected))
        .flatten();
    let effect = apply(app, msg);
    // An undo or a merge can take away the selected measure: its problem is selected.
    if let Row::Measure(..) = app.selected
        && app.selected_id().is_none()
    {
        actions::keep_selection_visible(app);
    }
    // Under a filter, a change can take the selected item out of the list (resolving it
    // under "not done"): select the row that took its place.
    if filtered {
        let rows = app.rows();
        if !rows.is_empty() && !rows.contains(&app.selected) {
            app.selected = rows[at.unwrap_or(0).min(rows.len() - 1)];
            app.focus = Focus::Tree;
        }
    }
    effect
}

fn apply(app: &mut App, msg: Msg) -> Effect {
    if let Msg::Resize { width, height } = msg {
        app.width = width;
        app.height = height;
        if app.is_wide() {
            app.detail_open = false;
        }
        return Effect::None;
    }
    // Ctrl-C quits from anywhere; the loop keeps what is being typed (see `stash_draft`).
    if let Msg::Key(k) = &msg
        && k.code == KeyCode::Char('c')
        && k.modifiers.contains(KeyModifiers::CONTROL)
        && !matches!(app.mode, Mode::Normal)
    {
        return Effect::Quit;
    }
    match std::mem::replace(&mut app.mode, Mode::Normal) {
        Mode::Normal => normal(app, msg),
        Mode::Help => {
            // Any key closes help; so does the help key.
            if !matches!(msg, Msg::Act(_) | Msg::Key(_)) {
                app.mode = Mode::Help;
            }
            Effect::None
        }
        Mode::Editor(ed) => editor::update_editor(app, ed, msg),
        Mode::Fields(form) => editor::update_fields(app, form, msg),
        Mode::StatusPicker(i) => status_picker(app, i, msg),
        Mode::ExportPicker(i) => export_picker(app, i, msg),
        Mode::ConfirmDelete { item, note } => confirm_delete(app, item, note, msg),
        Mode::Search(q) => search(app, q, msg),
        Mode::ConfirmLeave(ed) => editor::update_confirm_leave(app, ed, msg),
        Mode::ConfirmLeaveFields(form) => editor::update_confirm_leave_fields(app, form, msg),
        Mode::ConfirmDeleteMeasure(id) => pickers::confirm_delete_measure(app, id, msg),
    }
}

fn normal(app: &mut App, msg: Msg) -> Effect {
    match msg {
        Msg::Act(a) => {
            app.message = None;
            act(app, a)
        }
        Msg::Click { col, row } => {
            click(app, col, row);
            Effect::None
        }
        Msg::Scroll(n) => {
            move_by(app, n as isize);
            Effect::None
        }
        _ => Effect::None,
    }
}

#[cfg(test)]
mod tests;
