//! Undo and redo, the views and modes, read-only, and quitting with Ctrl-C.

use super::*;

#[test]
fn undo_and_redo_walk_the_changes() {
    let mut a = app();
    goto(&mut a, "1.3");
    act(&mut a, Action::ToggleResolved);
    act(&mut a, Action::NewNote);
    typed(&mut a, "n");
    ctrl(&mut a, 's');
    let texts = |a: &App| -> Vec<String> {
        let item = a.progress.item("1.3").unwrap();
        item.visible_notes()
            .iter()
            .map(|n| n.text.clone())
            .collect()
    };
    assert_eq!(act(&mut a, Action::Undo), Effect::Save);
    assert!(texts(&a).is_empty());
    act(&mut a, Action::Undo);
    assert_eq!(a.progress.status("1.3"), Status::Open);
    assert_eq!(act(&mut a, Action::Undo), Effect::None, "nothing left");
    act(&mut a, Action::Redo);
    act(&mut a, Action::Redo);
    // Redone as new changes: the same to see.
    assert_eq!(a.progress.status("1.3"), Status::Resolved);
    assert_eq!(texts(&a), ["n"]);
    assert_eq!(act(&mut a, Action::Redo), Effect::None);
    act(&mut a, Action::Undo);
    act(&mut a, Action::ToggleResolved);
    assert!(a.redo.is_empty(), "a new change ends the redo chain");
}

#[test]
fn summary_language_help_mouse_export_quit() {
    let mut a = app();
    act(&mut a, Action::Summary);
    assert_eq!(a.view, View::Summary);
    act(&mut a, Action::Down);
    assert_eq!(a.selected, Row::Area(0), "the summary has no cursor");
    act(&mut a, Action::Summary);
    assert_eq!(a.view, View::Ledger);
    act(&mut a, Action::Language);
    assert_eq!(a.lang, Lang::ZhHant);
    act(&mut a, Action::Language);
    act(&mut a, Action::Language);
    assert_eq!(a.lang, Lang::En);
    act(&mut a, Action::Help);
    assert!(matches!(a.mode, Mode::Help));
    key(&mut a, KeyCode::Char('x'));
    assert!(matches!(a.mode, Mode::Normal), "any key closes help");
    assert_eq!(act(&mut a, Action::Mouse), Effect::Mouse(false));
    assert_eq!(act(&mut a, Action::Mouse), Effect::Mouse(true));
    act(&mut a, Action::Export);
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Effect::Export(crate::export::Format::Markdown)
    );
    act(&mut a, Action::Export);
    key(&mut a, KeyCode::Down);
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Effect::Export(crate::export::Format::Xlsx)
    );
    act(&mut a, Action::Export);
    key(&mut a, KeyCode::Up);
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Effect::Export(crate::export::Format::Json),
        "the list wraps"
    );
    act(&mut a, Action::Export);
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert_eq!(act(&mut a, Action::Quit), Effect::Quit);
}

#[test]
fn a_read_only_ledger_refuses_changes_but_keeps_typed_text() {
    let mut a = app();
    a.read_only = true;
    goto(&mut a, "1.1");
    assert_eq!(act(&mut a, Action::ToggleResolved), Effect::None);
    assert!(a.message.as_deref().unwrap().contains("read-only"));
    assert_eq!(act(&mut a, Action::NewNote), Effect::None);
    assert!(matches!(a.mode, Mode::Normal));
    assert_eq!(act(&mut a, Action::Undo), Effect::None);
    assert!(!a.stash_draft());
    assert_eq!(*a.progress, Progress::new(&a.checklist.id));
}

#[test]
fn ctrl_c_quits_from_any_mode_and_what_is_typed_is_kept() {
    let mut a = app();
    goto(&mut a, "2.4");
    act(&mut a, Action::NewNote);
    typed(&mut a, "半句話");
    assert_eq!(ctrl(&mut a, 'c'), Effect::Quit);
    assert!(
        matches!(a.mode, Mode::Editor(_)),
        "the editor stays for the loop to stash"
    );
    assert!(a.stash_draft());
    assert_eq!(
        a.progress.item("2.4").unwrap().draft(None).unwrap().value,
        "半句話"
    );

    let mut a = app();
    goto(&mut a, "2.4");
    act(&mut a, Action::EditFields);
    typed(&mut a, "公安廳");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "張三");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "not a date");
    assert_eq!(ctrl(&mut a, 'c'), Effect::Quit);
    assert!(
        a.stash_draft(),
        "the form's values are applied when the program must stop"
    );
    let p = a.progress.item("2.4").unwrap();
    assert_eq!((p.owner(), p.person()), ("公安廳", "張三"));
    assert!(!p.has_measures(), "the problem form adds no measure");
    assert_eq!(p.deadline(), None, "an invalid deadline is left as it was");

    let mut a = app();
    act(&mut a, Action::Search);
    assert_eq!(ctrl(&mut a, 'c'), Effect::Quit);
}

#[test]
fn ctrl_c_quits_even_when_the_key_map_moved_quit() {
    let mut a = app();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keys.ron");
    std::fs::write(&p, "{\"quit\": [\"Q\"]}").unwrap();
    a.keymap = KeyMap::load(&p).unwrap();
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(a.keymap.action(&ctrl_c), Some(Action::Quit));
}

#[test]
fn empty_undo_says_so_and_read_only_refuses_the_form() {
    let mut a = app();
    act(&mut a, Action::Undo);
    assert_eq!(a.message.as_deref(), Some("nothing to undo"));
    act(&mut a, Action::Redo);
    assert_eq!(a.message.as_deref(), Some("nothing to redo"));
    a.read_only = true;
    goto(&mut a, "1.1");
    act(&mut a, Action::EditFields);
    assert!(matches!(a.mode, Mode::Normal));
    assert!(a.message.as_deref().unwrap().contains("read-only"));
}

/// Undo puts back the one item the last change touched: a change to another item made
/// since, and another item's draft, stay.
#[test]
fn undo_restores_only_the_item_it_changed() {
    let mut a = app();
    goto(&mut a, "1.3");
    act(&mut a, Action::ToggleResolved);
    goto(&mut a, "2.1");
    act(&mut a, Action::NewNote);
    typed(&mut a, "草稿");
    key(&mut a, KeyCode::Esc);
    let draft = a.progress.item("2.1").unwrap().drafts.clone();
    assert!(!draft.is_empty(), "the draft is kept");
    assert_eq!(a.undo.len(), 1, "a draft is not an undo step");
    act(&mut a, Action::Undo);
    assert_eq!(a.progress.status("1.3"), Status::Open);
    assert_eq!(a.progress.item("2.1").unwrap().drafts, draft);
    act(&mut a, Action::Redo);
    assert_eq!(a.progress.status("1.3"), Status::Resolved);
    assert_eq!(a.progress.item("2.1").unwrap().drafts, draft);
}

/// Item 4 of issue 16: `n`, type, Esc, then `u` keeps the draft.
#[test]
fn undo_leaves_a_kept_draft_alone() {
    let mut a = app();
    goto(&mut a, "1.4");
    act(&mut a, Action::ToggleResolved);
    act(&mut a, Action::NewNote);
    typed(&mut a, "寫了一半");
    key(&mut a, KeyCode::Esc);
    assert_eq!(act(&mut a, Action::Undo), Effect::Save);
    assert_eq!(
        a.progress.status("1.4"),
        Status::Open,
        "the change is undone"
    );
    let item = a.progress.item("1.4").unwrap();
    assert_eq!(
        item.draft(None).unwrap().value,
        "寫了一半",
        "the draft is not"
    );
    act(&mut a, Action::Redo);
    let item = a.progress.item("1.4").unwrap();
    assert_eq!(item.draft(None).unwrap().value, "寫了一半");
    // Saving an empty editor drops the draft, and that is not an undo step either.
    act(&mut a, Action::NewNote);
    for _ in 0..4 {
        key(&mut a, KeyCode::Backspace);
    }
    let steps = a.undo.len();
    assert_eq!(ctrl(&mut a, 's'), Effect::Save);
    assert!(a.progress.item("1.4").unwrap().draft(None).is_none());
    assert_eq!(a.undo.len(), steps);
}
