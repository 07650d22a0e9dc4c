//! The TUI's state and everything that changes it: `update` takes a message (an action from
//! the key map, or raw input for a text field) and returns the I/O the loop should do. No
//! terminal and no files here, so every action is tested directly.

pub mod editor;
pub mod keymap;
mod merged;
mod rows;

use std::cell::Cell;
use std::collections::BTreeSet;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use jiff::civil::Date;

pub use editor::{Editor, FieldsForm};
pub use keymap::{Action, KeyMap};
pub use rows::Row;

use crate::export::Format;
use crate::i18n::Lang;
use crate::model::progress::Who;
use crate::model::{Checklist, Progress, Stamp, Status};

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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// The selected row of the tree.
    pub selected: Row,
    /// The first tree row on screen; moved by drawing to keep the selection visible.
    pub tree_offset: Cell<usize>,
    /// The tree's height on screen at the last draw, for paging and clicks.
    pub tree_height: Cell<u16>,
    /// Where the tree was drawn (x, y), for clicks.
    pub tree_origin: Cell<(u16, u16)>,
    pub width: u16,
    pub height: u16,
    /// Narrow layout: the detail is shown in place of the tree.
    pub detail_open: bool,
    /// Lines the detail pane is scrolled down by the user (PgDn), and the most it can be,
    /// which drawing sets.
    pub detail_scroll: u16,
    pub detail_max: Cell<u16>,
    /// The same for the summary view.
    pub summary_scroll: u16,
    pub summary_max: Cell<u16>,
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
            selected,
            tree_offset: Cell::new(0),
            tree_height: Cell::new(20),
            tree_origin: Cell::new((0, 1)),
            width: 100,
            height: 30,
            detail_open: false,
            detail_scroll: 0,
            detail_max: Cell::new(0),
            summary_scroll: 0,
            summary_max: Cell::new(0),
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

    /// The selected item's id, if an item (not an area) is selected.
    pub fn selected_item(&self) -> Option<&str> {
        match self.selected {
            Row::Item(a, i) => Some(self.checklist.areas[a].items[i].id.as_str()),
            Row::Area(_) => None,
        }
    }

    /// The selected note's id, when the notes have the focus.
    pub fn selected_note(&self) -> Option<(String, String)> {
        let Focus::Notes(n) = self.focus else {
            return None;
        };
        let item = self.selected_item()?;
        let note = self.progress.item(item)?.visible_notes().get(n)?.id.clone();
        Some((item.to_string(), note))
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
        let before = UndoStep {
            item: item.to_string(),
            before: self.progress.items.get(item).cloned(),
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
            Mode::Editor(ed) | Mode::ConfirmLeave(ed) if ed.note.is_some() && ed.is_dirty() => {
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
            Mode::Fields(form) => {
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
    match app.lang {
        Lang::En => "read-only: another rectify has this ledger open",
        Lang::ZhHant => "唯讀：另一個 rectify 正開著這本台賬",
        Lang::ZhHans => "只读：另一个 rectify 正打开这本台账",
    }
    .into()
}

/// Applies one message to the state.
pub fn update(app: &mut App, msg: Msg) -> Effect {
    let filtered = app.filter != Filter::All;
    let at = filtered
        .then(|| app.rows().iter().position(|r| *r == app.selected))
        .flatten();
    let effect = apply(app, msg);
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

fn scrolled(pos: &mut u16, delta: i32, max: u16) -> Effect {
    scroll(pos, delta, max);
    Effect::None
}

/// Scrolls `pos` by `delta` lines within `0..=max`.
fn scroll(pos: &mut u16, delta: i32, max: u16) {
    *pos = (i32::from(*pos) + delta).clamp(0, i32::from(max)) as u16;
}

fn act(app: &mut App, a: Action) -> Effect {
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
        let max = app.summary_max.get();
        return match a {
            Action::Up => {
                scroll(&mut app.summary_scroll, -1, max);
                Effect::None
            }
            Action::Down => {
                scroll(&mut app.summary_scroll, 1, max);
                Effect::None
            }
            Action::PageUp => {
                scroll(&mut app.summary_scroll, -screen, max);
                Effect::None
            }
            Action::PageDown => {
                scroll(&mut app.summary_scroll, screen, max);
                Effect::None
            }
            Action::Top => {
                app.summary_scroll = 0;
                Effect::None
            }
            Action::Summary | Action::Back => {
                app.view = View::Ledger;
                Effect::None
            }
            Action::Quit => Effect::Quit,
            Action::Help => {
                app.mode = Mode::Help;
                Effect::None
            }
            Action::Language => {
                app.lang = next_lang(app.lang);
                Effect::None
            }
            Action::Export => {
                app.mode = Mode::ExportPicker(0);
                Effect::None
            }
            _ => Effect::None,
        };
    }
    // The detail scrolls by page when it has the keys: notes focused, or shown alone.
    let detail_keys = matches!(app.focus, Focus::Notes(_)) || app.detail_open;
    let max = app.detail_max.get();
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
        Action::Right => {
            if let Row::Area(a) = app.selected {
                app.collapsed.remove(&app.checklist.areas[a].id);
            }
        }
        Action::Open => return open(app),
        Action::ToggleResolved => return toggle_resolved(app),
        Action::ChooseStatus => {
            if let Some(id) = app.selected_item() {
                let current = app.progress.status(id);
                let i = Status::ALL.iter().position(|s| *s == current).unwrap_or(0);
                app.mode = Mode::StatusPicker(i);
            }
        }
        Action::NewNote => new_note(app),
        Action::EditFields if app.read_only => {
            app.message = Some(read_only_message(app));
        }
        Action::EditFields => {
            if let Some(id) = app.selected_item() {
                let form = FieldsForm::new(id, app.progress.item(id), app.lang);
                app.mode = Mode::Fields(Box::new(form));
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
        Action::Language => app.lang = next_lang(app.lang),
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
    let count = app
        .selected_item()
        .and_then(|id| app.progress.item(id))
        .map_or(0, |i| i.visible_note_count());
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
            let text = app
                .progress
                .item(&item)?
                .notes
                .iter()
                .find(|x| x.id == note)?
                .text
                .clone();
            app.mode = Mode::Editor(Box::new(Editor::edit(&item, &note, &text)));
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
    let id = app.selected_item()?;
    let note = app.progress.item(id)?.visible_notes().first()?.id.clone();
    Some((id.to_string(), note))
}

fn next_lang(l: Lang) -> Lang {
    match l {
        Lang::ZhHant => Lang::ZhHans,
        Lang::ZhHans => Lang::En,
        Lang::En => Lang::ZhHant,
    }
}

fn page(app: &App) -> usize {
    (app.tree_height.get() as usize).saturating_sub(1).max(1)
}

fn move_by(app: &mut App, delta: isize) {
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
        Row::Item(a, _) => app.selected = Row::Area(a),
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
        Row::Item(..) => {
            if !app.is_wide() {
                app.detail_open = true;
            }
            let has_notes = app
                .selected_item()
                .and_then(|id| app.progress.item(id))
                .is_some_and(|i| !i.visible_notes().is_empty());
            if has_notes {
                app.focus = Focus::Notes(0);
            }
        }
    }
    Effect::None
}

fn toggle_resolved(app: &mut App) -> Effect {
    let Some(id) = app.selected_item().map(str::to_string) else {
        return Effect::None;
    };
    app.change(&id, |p, who| {
        let current = p.status(&id);
        let next = if current.is_done() {
            // Back to where it was before it was done.
            p.item(&id)
                .and_then(|i| {
                    let history = i.ordered_history();
                    history
                        .iter()
                        .rev()
                        .map(|c| c.status)
                        .find(|s| !s.is_done())
                })
                .unwrap_or(Status::Open)
        } else {
            Status::Resolved
        };
        p.set_status(&id, next, who)
    })
}

fn new_note(app: &mut App) {
    let Some(id) = app.selected_item().map(str::to_string) else {
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
    app.mode = Mode::Editor(Box::new(Editor::new_note(&id, draft.as_deref())));
}

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

fn undo(app: &mut App) -> Effect {
    step_back(app, false)
}

fn redo(app: &mut App) -> Effect {
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

fn click(app: &mut App, col: u16, row: u16) {
    let (x, y) = app.tree_origin.get();
    let tree_width = if app.is_wide() {
        app.width * 45 / 100
    } else {
        app.width
    };
    let showing_tree = app.view == View::Ledger && !app.detail_open;
    if !showing_tree || col < x || col >= x + tree_width || row < y {
        return;
    }
    let index = app.tree_offset.get() + (row - y) as usize;
    if row - y >= app.tree_height.get() {
        return;
    }
    if let Some(r) = app.rows().get(index) {
        app.selected = *r;
        app.focus = Focus::Tree;
    }
}

/// After the rows changed (filter, collapse), keep a selection that is on screen.
fn keep_selection_visible(app: &mut App) {
    let rows = app.rows();
    if rows.contains(&app.selected) {
        return;
    }
    // The area of a hidden item, else the first row.
    let area = match app.selected {
        Row::Item(a, _) | Row::Area(a) => Row::Area(a),
    };
    app.selected = if rows.contains(&area) {
        area
    } else {
        rows.first().copied().unwrap_or(Row::Area(0))
    };
    app.focus = Focus::Tree;
}

fn status_picker(app: &mut App, i: usize, msg: Msg) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::StatusPicker(i);
        return Effect::None;
    };
    let n = Status::ALL.len();
    let choose = |app: &mut App, s: Status| {
        let Some(id) = app.selected_item().map(str::to_string) else {
            return Effect::None;
        };
        app.change(&id, |p, who| p.set_status(&id, s, who))
    };
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

fn export_picker(app: &mut App, i: usize, msg: Msg) -> Effect {
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

fn confirm_delete(app: &mut App, item: String, note: String, msg: Msg) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::ConfirmDelete { item, note };
        return Effect::None;
    };
    match k.code {
        KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
            let effect = app.change(&item, |p, who| p.delete_note(&item, &note, who).is_ok());
            let left = app
                .progress
                .item(&item)
                .map_or(0, |i| i.visible_note_count());
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

fn search(app: &mut App, mut q: String, msg: Msg) -> Effect {
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => match k.code {
            KeyCode::Esc => return Effect::None,
            KeyCode::Enter => {
                if let Some(row) = app.find(&q) {
                    if let Row::Item(a, _) = row {
                        app.collapsed.remove(&app.checklist.areas[a].id.clone());
                    }
                    if !app.rows().contains(&row) {
                        app.filter = Filter::All;
                    }
                    app.selected = row;
                    app.focus = Focus::Tree;
                } else {
                    app.message = Some(format!("{}: {q}", no_match(app.lang)));
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

fn no_match(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "no match",
        Lang::ZhHant => "找不到",
        Lang::ZhHans => "找不到",
    }
}

#[cfg(test)]
mod tests;
