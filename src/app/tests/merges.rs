//! What another program wrote, merged into the ledger on screen.

use super::*;

/// Item 3 of issue 16: another program deletes the note being edited; the edit is kept.
#[test]
fn an_edit_of_a_note_deleted_elsewhere_is_kept_as_a_new_note() {
    for how in ["ctrl-s", "confirm", "quit"] {
        let mut a = app();
        let id = saved_note(&mut a, "2.2", "原文");
        act(&mut a, Action::NewNote);
        typed(&mut a, "另一份草稿");
        key(&mut a, KeyCode::Esc);
        act(&mut a, Action::Open);
        act(&mut a, Action::Open);
        assert!(matches!(&a.mode, Mode::Editor(ed) if ed.note.as_deref() == Some(id.as_str())));
        typed(&mut a, "，補充");
        let theirs = elsewhere(&a, |p| p.delete_note("2.2", &id, a.now).unwrap());
        a.merged_from_disk(&theirs);
        assert_eq!(
            a.message.as_deref(),
            Some(a.lang.strings().note_deleted_elsewhere),
            "{how}: said at once"
        );
        assert!(matches!(a.mode, Mode::Editor(_)), "{how}: still editing");
        match how {
            "ctrl-s" => assert_eq!(ctrl(&mut a, 's'), Effect::Save),
            "confirm" => {
                key(&mut a, KeyCode::Esc);
                assert_eq!(key(&mut a, KeyCode::Char('y')), Effect::Save);
            }
            _ => assert!(a.stash_draft()),
        }
        let item = a.progress.item("2.2").unwrap();
        let texts: Vec<&str> = item
            .visible_notes()
            .iter()
            .map(|n| n.text.as_str())
            .collect();
        assert_eq!(texts, ["原文，補充"], "{how}");
        assert_ne!(item.visible_notes()[0].id, id, "{how}: a new note");
        assert_eq!(item.draft(None).unwrap().value, "另一份草稿", "{how}");
        if how != "quit" {
            assert_eq!(
                a.message.as_deref(),
                Some(a.lang.strings().note_saved_as_new),
                "{how}"
            );
        }
    }
}

/// Item 5 of issue 16: an undo is a change of its own, which the next merge with a copy
/// from before it (the file as the change was saved) does not take back.
#[test]
fn an_undo_holds_through_the_next_merge() {
    let mut a = app();
    let id = saved_note(&mut a, "5.1", "留著");
    act(&mut a, Action::Open);
    act(&mut a, Action::DeleteNote);
    key(&mut a, KeyCode::Char('y'));
    goto(&mut a, "5.1");
    act(&mut a, Action::ChooseStatus);
    key(&mut a, KeyCode::Char('3'));
    act(&mut a, Action::EditFields);
    typed(&mut a, "公安廳");
    ctrl(&mut a, 's');
    act(&mut a, Action::NewNote);
    typed(&mut a, "多餘的");
    ctrl(&mut a, 's');
    // As saved before the undos; the undos happen in the same millisecond (a pinned clock).
    let saved = (*a.progress).clone();
    for _ in 0..4 {
        assert_eq!(act(&mut a, Action::Undo), Effect::Save);
    }
    let check = |a: &App| {
        let item = a.progress.item("5.1").unwrap();
        let texts: Vec<&str> = item
            .visible_notes()
            .iter()
            .map(|n| n.text.as_str())
            .collect();
        assert_eq!(texts, ["留著"]);
        assert_eq!(item.visible_notes()[0].id, id);
        assert_eq!(item.status(), Status::Open);
        assert_eq!(item.owner(), "");
    };
    check(&a);
    a.merged_from_disk(&saved);
    check(&a);
}

/// Item 7 of issue 16: a merge that brings a newer note keeps the selection on the note
/// that was selected, not on whatever took its place in the list.
#[test]
fn a_merge_keeps_the_selected_note_selected() {
    let mut a = app();
    let older = saved_note(&mut a, "3.3", "舊的");
    a.now = at("2026-11-29T15:00:00+08:00");
    saved_note(&mut a, "3.3", "新的");
    act(&mut a, Action::Open);
    act(&mut a, Action::Down);
    assert_eq!(a.selected_note().unwrap().1, older);
    let theirs = elsewhere(&a, |p| {
        p.add_note("3.3", "別人的", at("2026-11-29T16:00:00+08:00"))
            .unwrap();
    });
    a.merged_from_disk(&theirs);
    assert_eq!(a.focus, Focus::Notes(2));
    assert_eq!(a.selected_note().unwrap().1, older);
    // Deleted there: the focus stays within the list.
    let theirs = elsewhere(&a, |p| p.delete_note("3.3", &older, a.now).unwrap());
    a.merged_from_disk(&theirs);
    assert_eq!(a.focus, Focus::Notes(1));
}
