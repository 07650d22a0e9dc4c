//! The note editor and the ledger-fields form, on `ratatui-textarea`, with what it gets
//! wrong for Chinese and emoji fixed here: Backspace removes a whole grapheme, and pasted text
//! is cleaned of control characters.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};
use unicode_segmentation::UnicodeSegmentation;

use super::{App, Effect, Mode, Msg};
use crate::i18n::Lang;
use crate::model::ItemProgress;
use crate::model::progress::{Deadline, Field};

#[derive(Debug)]
pub struct Editor {
    pub textarea: TextArea<'static>,
    pub item: String,
    /// The note being edited, or `None` for a new one.
    pub note: Option<String>,
    original: String,
}

fn textarea(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(text.split('\n').map(str::to_string).collect());
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t.move_cursor(ratatui_textarea::CursorMove::Bottom);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

impl Editor {
    /// A new note for `item`, starting from its draft if it has one.
    pub fn new_note(item: &str, draft: Option<&str>) -> Editor {
        Editor {
            textarea: textarea(draft.unwrap_or("")),
            item: item.to_string(),
            note: None,
            original: String::new(),
        }
    }

    pub fn edit(item: &str, note: &str, text: &str) -> Editor {
        Editor {
            textarea: textarea(text),
            item: item.to_string(),
            note: Some(note.to_string()),
            original: text.to_string(),
        }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// Typed something worth keeping that is not yet saved.
    pub fn is_dirty(&self) -> bool {
        let t = self.text();
        !t.trim().is_empty() && t != self.original
    }
}

/// Text as it may enter a note: line breaks normalised to `\n`, tabs kept, every other
/// control character (and bidi override) dropped.
pub fn clean_paste(s: &str) -> String {
    // Line and paragraph separators (U+2028, U+2029, NEL) are line breaks too.
    s.replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}', '\u{85}'], "\n")
        .chars()
        .filter(|c| !crate::text::is_unsafe(*c))
        .collect()
}

/// Removes the grapheme before the cursor (an emoji with modifiers, a letter with
/// combining accents), not just its last code point.
fn backspace(t: &mut TextArea<'static>) -> bool {
    let (row, col) = {
        let c = t.cursor();
        (c.0, c.1)
    };
    if col == 0 {
        return t.delete_newline();
    }
    let line = &t.lines()[row];
    let before: String = line.chars().take(col).collect();
    let n = before
        .graphemes(true)
        .next_back()
        .map_or(1, |g| g.chars().count());
    let mut changed = false;
    for _ in 0..n {
        changed |= t.delete_char();
    }
    changed
}

/// Removes the grapheme after the cursor.
fn delete_forward(t: &mut TextArea<'static>) -> bool {
    let c = t.cursor();
    let line = &t.lines()[c.0];
    let after: String = line.chars().skip(c.1).collect();
    match after.graphemes(true).next() {
        None => t.delete_next_char(),
        Some(g) => t.delete_str(g.chars().count()),
    }
}

/// Feeds a key to a text area, with the grapheme fixes. Returns whether the text changed.
fn edit_key(t: &mut TextArea<'static>, k: KeyEvent) -> bool {
    match k.code {
        KeyCode::Backspace if k.modifiers.is_empty() => backspace(t),
        KeyCode::Delete if k.modifiers.is_empty() => delete_forward(t),
        KeyCode::Char(c)
            if !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            if crate::text::is_unsafe(c) {
                return false;
            }
            t.insert_char(c);
            true
        }
        _ => t.input(k),
    }
}

/// Leaving an edited note: `y` saves it, `n` discards the edit, Esc goes back to it.
pub(super) fn update_confirm_leave(app: &mut App, ed: Box<Editor>, msg: Msg) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::ConfirmLeave(ed);
        return Effect::None;
    };
    match k.code {
        KeyCode::Char('y' | 'Y') | KeyCode::Enter => save_note(app, *ed),
        KeyCode::Char('n' | 'N') => {
            app.message = Some(app.lang.strings().edit_discarded.into());
            Effect::None
        }
        KeyCode::Esc => {
            app.mode = Mode::Editor(ed);
            Effect::None
        }
        _ => {
            app.mode = Mode::ConfirmLeave(ed);
            Effect::None
        }
    }
}

pub(super) fn update_editor(app: &mut App, mut ed: Box<Editor>, msg: Msg) -> Effect {
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => {
            let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
            match k.code {
                KeyCode::Char('s') if ctrl => return save_note(app, *ed),
                KeyCode::Esc => return leave_editor(app, *ed),
                KeyCode::Enter => ed.textarea.insert_newline(),
                _ => {
                    edit_key(&mut ed.textarea, k);
                }
            }
        }
        Msg::Paste(s) => {
            ed.textarea.insert_str(clean_paste(&s));
        }
        _ => {}
    }
    app.mode = Mode::Editor(ed);
    Effect::None
}

fn save_note(app: &mut App, ed: Editor) -> Effect {
    let text = ed.text();
    let text = text.trim_end();
    let item = ed.item.clone();
    if text.trim().is_empty() {
        // Saving nothing: drop an old draft, keep the editor's promise of no surprises. A
        // draft is not an undoable change (undo would have nothing to show for it).
        let author = app.author.clone().unwrap_or_default();
        let had = app
            .progress
            .item(&item)
            .is_some_and(|i| i.drafts.contains_key(&author));
        if !had || app.read_only {
            return Effect::None;
        }
        let who = app.who();
        app.progress_mut().set_draft(&item, "", who);
        app.touched();
        return Effect::Save;
    }
    // A note deleted elsewhere while it was being edited: the text becomes a new note
    // (and the author's draft, if any, stays: it is not this text).
    let deleted = ed.note.is_some() && !app.note_is_live(&item, &ed.note);
    let effect = app.change(&item, |p, who| match &ed.note {
        Some(_) if deleted => p.add_note(&item, text, who).is_ok(),
        // A new note replaces its draft; editing an older note leaves the draft alone.
        None => {
            let ok = p.add_note(&item, text, who.clone()).is_ok();
            if ok {
                p.set_draft(&item, "", who);
            }
            ok
        }
        Some(note) => p.edit_note(&item, note, text, who).is_ok(),
    });
    if deleted && effect == Effect::Save {
        app.message = Some(app.lang.strings().note_saved_as_new.into());
    }
    if app.read_only {
        // Nothing was written: keep the text on screen rather than lose it.
        app.mode = Mode::Editor(Box::new(ed));
    }
    effect
}

fn leave_editor(app: &mut App, ed: Editor) -> Effect {
    if !ed.is_dirty() || app.read_only {
        if app.read_only && ed.is_dirty() {
            app.mode = Mode::Editor(Box::new(ed));
            app.message = Some(super::read_only_message(app));
        }
        return Effect::None;
    }
    if ed.note.is_some() {
        // An edit of a saved note is not a draft: ask what to do with it.
        app.mode = Mode::ConfirmLeave(Box::new(ed));
        return Effect::None;
    }
    let (item, text) = (ed.item.clone(), ed.text());
    // A draft is not an undoable change: it is the editor's own memory.
    let who = app.who();
    app.progress_mut().set_draft(&item, &text, who);
    app.touched();
    app.message = Some(app.lang.strings().draft_kept.into());
    Effect::Save
}

/// The four ledger fields of an item, edited together.
#[derive(Debug)]
pub struct FieldsForm {
    pub item: String,
    pub inputs: [TextArea<'static>; 4],
    /// The values when the form opened: only fields the user changed are written, so a
    /// change that arrives from elsewhere meanwhile is not overwritten.
    original: [String; 4],
    pub focus: usize,
    pub error: Option<String>,
}

pub const FORM_FIELDS: [Field; 4] = [Field::Owner, Field::Person, Field::Deadline, Field::Text];

impl FieldsForm {
    pub fn new(item: &str, p: Option<&ItemProgress>, lang: Lang) -> FieldsForm {
        let value = |f: Field| -> String {
            let Some(p) = p else { return String::new() };
            match f {
                Field::Owner => p.owner().to_string(),
                Field::Person => p.person().to_string(),
                Field::Deadline => p.deadline().map(|d| d.label(lang)).unwrap_or_default(),
                _ => String::new(),
            }
        };
        let original = FORM_FIELDS.map(value);
        FieldsForm {
            item: item.to_string(),
            inputs: original.clone().map(|v| textarea(&v)),
            original,
            focus: 0,
            error: None,
        }
    }

    pub fn value(&self, i: usize) -> String {
        self.inputs[i].lines().join("\n")
    }
}

pub(super) fn update_fields(app: &mut App, mut form: Box<FieldsForm>, msg: Msg) -> Effect {
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => {
            let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
            match k.code {
                KeyCode::Esc => return Effect::None,
                KeyCode::Char('s') if ctrl => return save_fields(app, form),
                KeyCode::Enter if form.focus < 3 => form.focus += 1,
                KeyCode::Enter if !k.modifiers.contains(KeyModifiers::ALT) => {
                    return save_fields(app, form);
                }
                KeyCode::Enter => form.inputs[3].insert_newline(),
                KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % 4,
                KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + 3) % 4,
                _ => {
                    let i = form.focus;
                    edit_key(&mut form.inputs[i], k);
                }
            }
        }
        Msg::Paste(s) => {
            let i = form.focus;
            let cleaned = clean_paste(&s);
            let cleaned = if i == 3 {
                cleaned
            } else {
                cleaned.replace('\n', " ")
            };
            form.inputs[i].insert_str(cleaned);
        }
        _ => {}
    }
    app.mode = Mode::Fields(form);
    Effect::None
}

fn save_fields(app: &mut App, mut form: Box<FieldsForm>) -> Effect {
    if parse_deadline(&form.value(2), app.today()).is_err() {
        let t = app.lang.strings();
        form.error = Some(format!("⚠ {}: {}", t.deadline, t.deadline_hint));
        form.focus = 2;
        app.mode = Mode::Fields(form);
        return Effect::None;
    }
    let item = form.item.clone();
    app.change(&item, |p, who| {
        let before = p.item(&item).cloned();
        apply_fields(p, &form, who);
        p.item(&item).cloned() != before
    })
}

/// The deadline field as typed, read on `today` (`12月底前` is the coming December).
fn parse_deadline(
    text: &str,
    today: jiff::civil::Date,
) -> Result<Option<Deadline>, crate::model::progress::UnknownDeadline> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        Deadline::parse(text, today).map(Some)
    }
}

/// Writes the fields the user changed into the progress; a deadline that does not parse is
/// left as it was.
pub(super) fn apply_fields(
    p: &mut crate::model::Progress,
    form: &FieldsForm,
    who: crate::model::progress::Who,
) {
    let item = form.item.as_str();
    let changed = |i: usize| form.value(i).trim() != form.original[i].trim();
    for (i, field) in [(0, Field::Owner), (1, Field::Person)] {
        if changed(i) {
            // Problems have both fields: this cannot fail.
            let _ = p.set_text(item, field, form.value(i).trim(), who.clone());
        }
    }
    // The last field adds a measure.
    if changed(3) {
        let _ = p.add_measure(item, form.value(3).trim(), who.clone());
    }
    if changed(2)
        && let Ok(deadline) = parse_deadline(&form.value(2), who.at.date())
    {
        p.set_deadline(item, deadline, who);
    }
    if p.item(item).is_some_and(|i| *i == ItemProgress::default()) {
        p.items.remove(item);
    }
}
