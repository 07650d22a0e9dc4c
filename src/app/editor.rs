//! The note editor and the ledger-fields form, on `ratatui-textarea`, with what it gets
//! wrong for Chinese and emoji fixed here: Backspace removes a whole grapheme, and pasted text
//! is cleaned of control characters.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};
use unicode_segmentation::UnicodeSegmentation;

use jiff::civil::Date;

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
    /// The day the thing happened (default the day it is written).
    pub date: TextArea<'static>,
    /// The date field has the keys (Tab switches).
    pub on_date: bool,
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
    pub fn new_note(item: &str, draft: Option<&str>, today: Date) -> Editor {
        Editor {
            textarea: textarea(draft.unwrap_or("")),
            item: item.to_string(),
            note: None,
            original: String::new(),
            date: textarea(&today.to_string()),
            on_date: false,
        }
    }

    /// Editing a saved note, which happened on `date`.
    pub fn edit(item: &str, note: &str, text: &str, date: Date) -> Editor {
        Editor {
            textarea: textarea(text),
            item: item.to_string(),
            note: Some(note.to_string()),
            original: text.to_string(),
            date: textarea(&date.to_string()),
            on_date: false,
        }
    }

    /// The event date as typed: a day, or `None` when it is no date.
    pub fn event_date(&self) -> Option<Date> {
        parse_date(&self.date.lines().join(""))
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

/// A day as typed: `2026-12-01`, `2026/12/01`, `2026.12.01`, `20261201`, `2026年12月1日`.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Ok(d) = t.parse::<Date>() {
        return Some(d);
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || "-/.年月日".contains(c))
    {
        return None;
    }
    let nums: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let (y, m, d) = match nums.as_slice() {
        [all] if all.len() == 8 => (&all[..4], &all[4..6], &all[6..]),
        [y, m, d] => (*y, *m, *d),
        _ => return None,
    };
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
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
                KeyCode::Tab | KeyCode::BackTab => ed.on_date = !ed.on_date,
                KeyCode::Enter if ed.on_date => ed.on_date = false,
                KeyCode::Enter => ed.textarea.insert_newline(),
                _ if ed.on_date => {
                    edit_key(&mut ed.date, k);
                }
                _ => {
                    edit_key(&mut ed.textarea, k);
                }
            }
        }
        Msg::Paste(s) if ed.on_date => {
            ed.date.insert_str(clean_paste(&s).replace('\n', " "));
        }
        Msg::Paste(s) => {
            ed.textarea.insert_str(clean_paste(&s));
        }
        _ => {}
    }
    app.mode = Mode::Editor(ed);
    Effect::None
}

fn save_note(app: &mut App, mut ed: Editor) -> Effect {
    // The day it happened: kept only when it is not today (the record's own date).
    let Some(date) = ed.event_date() else {
        let t = app.lang.strings();
        app.message = Some(format!("⚠ {}: {}", t.event_date, t.bad_date));
        ed.on_date = true;
        app.mode = Mode::Editor(Box::new(ed));
        return Effect::None;
    };
    let on = (date != app.today()).then_some(date);
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
    let effect = app.change(&item, |p, who| {
        let who = who.on(on);
        match &ed.note {
            Some(_) if deleted => p.add_note(&item, text, who).is_ok(),
            // A new note replaces its draft; editing an older note leaves the draft alone.
            None => {
                let ok = p.add_note(&item, text, who.clone()).is_ok();
                // A measure keeps no drafts.
                if ok && p.measure(&item).is_none() {
                    p.set_draft(&item, "", who);
                }
                ok
            }
            Some(note) => p.edit_note(&item, note, text, who).is_ok(),
        }
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
    if ed.note.is_some() || app.progress.measure(&ed.item).is_some() {
        // An edit of a saved note is not a draft, and a measure keeps no drafts: ask what
        // to do with it.
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

/// What a fields form edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// A problem's own fields.
    Problem,
    /// A measure's fields.
    Measure,
    /// A measure to add to the problem.
    NewMeasure,
}

/// The ledger fields of a problem or a measure, edited together.
#[derive(Debug)]
pub struct FieldsForm {
    /// The problem's id (also for a new measure) or the measure's (`2.5.1`).
    pub item: String,
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub inputs: Vec<TextArea<'static>>,
    /// The values when the form opened: only fields the user changed are written, so a
    /// change that arrives from elsewhere meanwhile is not overwritten.
    original: Vec<String>,
    pub focus: usize,
    pub error: Option<String>,
}

/// A problem's fields in the form.
pub const PROBLEM_FIELDS: [Field; 3] = [Field::Owner, Field::Person, Field::Deadline];

/// A measure's fields in the form, in the order of the ledger's columns.
pub const MEASURE_FIELDS: [Field; 7] = [
    Field::Text,
    Field::Goal,
    Field::Owner,
    Field::Partners,
    Field::Leader,
    Field::Person,
    Field::Deadline,
];

/// Partner units as typed: separated by commas or 、.
pub fn split_partners(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl FieldsForm {
    /// The form for a problem's fields (`p`: its progress); the deadline shown as `lang`
    /// writes it.
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
        FieldsForm::with(item, FormKind::Problem, &PROBLEM_FIELDS, value)
    }

    /// The form for measure `id` (`2.5.1`) as it is.
    pub fn measure(id: &str, m: &crate::model::Measure, lang: Lang) -> FieldsForm {
        let value = |f: Field| -> String {
            match f {
                Field::Text => m.text().to_string(),
                Field::Goal => m.goal().to_string(),
                Field::Owner => m.owner().to_string(),
                Field::Leader => m.leader().to_string(),
                Field::Person => m.person().to_string(),
                Field::Partners => m.partners().join("、"),
                Field::Deadline => m.deadline().map(|d| d.label(lang)).unwrap_or_default(),
            }
        };
        FieldsForm::with(id, FormKind::Measure, &MEASURE_FIELDS, value)
    }

    /// An empty form for a new measure of problem `item`.
    pub fn new_measure(item: &str) -> FieldsForm {
        FieldsForm::with(item, FormKind::NewMeasure, &MEASURE_FIELDS, |_| {
            String::new()
        })
    }

    fn with(
        item: &str,
        kind: FormKind,
        fields: &[Field],
        value: impl Fn(Field) -> String,
    ) -> FieldsForm {
        let original: Vec<String> = fields.iter().map(|f| value(*f)).collect();
        FieldsForm {
            item: item.to_string(),
            kind,
            fields: fields.to_vec(),
            inputs: original.iter().map(|v| textarea(v)).collect(),
            original,
            focus: 0,
            error: None,
        }
    }

    pub fn value(&self, i: usize) -> String {
        self.inputs[i].lines().join("\n")
    }

    fn index(&self, f: Field) -> Option<usize> {
        self.fields.iter().position(|x| *x == f)
    }

    fn changed(&self, i: usize) -> bool {
        self.value(i).trim() != self.original[i].trim()
    }

    /// Typed changes that are not saved.
    pub fn is_dirty(&self) -> bool {
        (0..self.fields.len()).any(|i| self.changed(i))
    }
}

pub(super) fn update_fields(app: &mut App, mut form: Box<FieldsForm>, msg: Msg) -> Effect {
    let n = form.fields.len();
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => {
            let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
            match k.code {
                // Typed changes are not dropped without asking (as in the note editor).
                KeyCode::Esc if form.is_dirty() && !app.read_only => {
                    app.mode = Mode::ConfirmLeaveFields(form);
                    return Effect::None;
                }
                KeyCode::Esc => return Effect::None,
                KeyCode::Char('s') if ctrl => return save_fields(app, form),
                KeyCode::Enter if form.focus + 1 < n => form.focus += 1,
                KeyCode::Enter => return save_fields(app, form),
                KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % n,
                KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + n - 1) % n,
                _ => {
                    let i = form.focus;
                    edit_key(&mut form.inputs[i], k);
                }
            }
        }
        Msg::Paste(s) => {
            let i = form.focus;
            form.inputs[i].insert_str(clean_paste(&s).replace('\n', " "));
        }
        _ => {}
    }
    app.mode = Mode::Fields(form);
    Effect::None
}

/// Leaving a form with typed changes: `y` saves them, `n` discards them, Esc goes back.
pub(super) fn update_confirm_leave_fields(
    app: &mut App,
    form: Box<FieldsForm>,
    msg: Msg,
) -> Effect {
    let Msg::Key(k) = msg else {
        app.mode = Mode::ConfirmLeaveFields(form);
        return Effect::None;
    };
    match k.code {
        KeyCode::Char('y' | 'Y') | KeyCode::Enter => save_fields(app, form),
        KeyCode::Char('n' | 'N') => {
            app.message = Some(app.lang.strings().edit_discarded.into());
            Effect::None
        }
        KeyCode::Esc => {
            app.mode = Mode::Fields(form);
            Effect::None
        }
        _ => {
            app.mode = Mode::ConfirmLeaveFields(form);
            Effect::None
        }
    }
}

fn save_fields(app: &mut App, mut form: Box<FieldsForm>) -> Effect {
    let t = app.lang.strings();
    if let Some(d) = form.index(Field::Deadline)
        && parse_deadline(&form.value(d), app.today()).is_err()
    {
        form.error = Some(format!("⚠ {}: {}", t.deadline, t.deadline_hint));
        form.focus = d;
        app.mode = Mode::Fields(form);
        return Effect::None;
    }
    if let Some(i) = form.index(Field::Text)
        && form.value(i).trim().is_empty()
    {
        form.error = Some(format!("⚠ {}", t.measure_text_required));
        form.focus = i;
        app.mode = Mode::Fields(form);
        return Effect::None;
    }
    let item = form.item.clone();
    let mut added = None;
    let effect = app.change(&item, |p, who| {
        let key = p
            .measure(&item)
            .map_or(item.as_str(), |(k, _, _)| k)
            .to_string();
        let before = p.item(&key).cloned();
        added = apply_fields(p, &form, who);
        p.item(&key).cloned() != before
    });
    if effect == Effect::None && app.read_only {
        // Nothing was written: keep what was typed on screen.
        app.mode = Mode::Fields(form);
        return effect;
    }
    // A new measure is selected, under its problem unfolded.
    if let Some(id) = added
        && let Some((a, i)) = app.selected.item()
        && let Some((_, n)) = crate::model::measure::split_id(&id)
    {
        app.folded.remove(&item);
        app.selected = super::Row::Measure(a, i, n);
        app.focus = super::Focus::Tree;
    }
    effect
}

/// The deadline field as typed, read on `today` (`12月底前` is the coming December).
fn parse_deadline(
    text: &str,
    today: Date,
) -> Result<Option<Deadline>, crate::model::progress::UnknownDeadline> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        Deadline::parse(text, today).map(Some)
    }
}

/// Writes the fields the user changed into the progress; a deadline that does not parse is
/// left as it was. A new measure is added (when its text is not empty): its id is returned.
pub(super) fn apply_fields(
    p: &mut crate::model::Progress,
    form: &FieldsForm,
    who: crate::model::progress::Who,
) -> Option<String> {
    let mut added = None;
    let id = match form.kind {
        FormKind::NewMeasure => {
            let text = form.index(Field::Text).map(|i| form.value(i));
            let id = p
                .add_measure(
                    &form.item,
                    text.as_deref().unwrap_or("").trim(),
                    who.clone(),
                )
                .ok()?;
            added = Some(id.clone());
            id
        }
        _ => form.item.clone(),
    };
    for (i, field) in form.fields.iter().enumerate() {
        if !form.changed(i) || (form.kind == FormKind::NewMeasure && *field == Field::Text) {
            continue;
        }
        let value = form.value(i);
        let value = value.trim();
        match field {
            Field::Deadline => {
                if let Ok(deadline) = parse_deadline(value, who.at.date()) {
                    p.set_deadline(&id, deadline, who.clone());
                }
            }
            Field::Partners => {
                let _ = p.set_partners(&id, &split_partners(value), who.clone());
            }
            // A measure's text cannot be emptied (the form refuses it first).
            Field::Text if value.is_empty() => {}
            f => {
                let _ = p.set_text(&id, *f, value, who.clone());
            }
        }
    }
    let key = crate::model::measure::split_id(&id)
        .filter(|_| form.kind != FormKind::Problem)
        .map_or(id.as_str(), |(k, _)| k);
    if p.item(key).is_some_and(|i| *i == ItemProgress::default()) {
        p.items.remove(key);
    }
    added
}
