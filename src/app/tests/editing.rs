//! Changing the ledger: status, notes, drafts, the fields form, pasting.

use super::*;

#[test]
fn space_toggles_resolved_and_back_to_the_previous_status() {
    let mut a = app();
    goto(&mut a, "1.2");
    act(&mut a, Action::ChooseStatus);
    assert!(matches!(a.mode, Mode::StatusPicker(0)));
    key(&mut a, KeyCode::Char('2'));
    assert_eq!(a.progress.status("1.2"), Status::InProgress);
    assert_eq!(act(&mut a, Action::ToggleResolved), Effect::Save);
    assert_eq!(a.progress.status("1.2"), Status::Resolved);
    a.now = at("2026-11-29T15:00:00+08:00");
    act(&mut a, Action::ToggleResolved);
    assert_eq!(
        a.progress.status("1.2"),
        Status::InProgress,
        "back to where it was"
    );
    assert_eq!(a.save, SaveState::Pending);
    // On an area it does nothing.
    act(&mut a, Action::Top);
    assert_eq!(act(&mut a, Action::ToggleResolved), Effect::None);
}

#[test]
fn the_status_chooser_moves_applies_and_cancels() {
    let mut a = app();
    goto(&mut a, "3.1");
    act(&mut a, Action::ChooseStatus);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    assert!(matches!(a.mode, Mode::StatusPicker(3)));
    assert_eq!(key(&mut a, KeyCode::Enter), Effect::Save);
    assert_eq!(a.progress.status("3.1"), Status::Verified);
    act(&mut a, Action::ChooseStatus);
    assert!(
        matches!(a.mode, Mode::StatusPicker(3)),
        "starts at the current status"
    );
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert!(matches!(a.mode, Mode::Normal));
    assert_eq!(a.progress.status("3.1"), Status::Verified);
}

#[test]
fn a_chinese_note_is_written_with_graphemes_deleted_whole() {
    let mut a = app();
    goto(&mut a, "2.5");
    act(&mut a, Action::NewNote);
    typed(&mut a, "已追繳涉案財產👍🏽");
    key(&mut a, KeyCode::Backspace);
    typed(&mut a, "e\u{301}");
    key(&mut a, KeyCode::Backspace);
    typed(&mut a, "\n第二行");
    assert_eq!(ctrl(&mut a, 's'), Effect::Save);
    assert!(matches!(a.mode, Mode::Normal));
    let notes = a.progress.item("2.5").unwrap().visible_notes();
    assert_eq!(notes[0].text, "已追繳涉案財產\n第二行");
    assert_eq!(notes[0].at, a.now);
}

#[test]
fn esc_keeps_a_draft_that_comes_back() {
    let mut a = app();
    goto(&mut a, "4.1");
    act(&mut a, Action::NewNote);
    typed(&mut a, "寫到一半");
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::Save);
    assert_eq!(
        a.progress.item("4.1").unwrap().draft(None).unwrap().value,
        "寫到一半"
    );
    assert!(a.undo.is_empty(), "a draft is not an undo step");
    act(&mut a, Action::NewNote);
    let Mode::Editor(ed) = &a.mode else { panic!() };
    assert_eq!(ed.text(), "寫到一半");
    typed(&mut a, "，完成");
    ctrl(&mut a, 's');
    let item = a.progress.item("4.1").unwrap();
    assert_eq!(item.visible_notes()[0].text, "寫到一半，完成");
    assert!(
        item.draft(None).is_none(),
        "saving the note clears the draft"
    );
    // An empty editor leaves nothing behind.
    act(&mut a, Action::NewNote);
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
}

#[test]
fn pasted_text_is_cleaned_of_control_characters() {
    let mut a = app();
    goto(&mut a, "1.1");
    act(&mut a, Action::NewNote);
    update(
        &mut a,
        Msg::Paste("一\r\n二\u{1b}[31m\u{202e}三\u{7}".into()),
    );
    ctrl(&mut a, 's');
    assert_eq!(
        a.progress.item("1.1").unwrap().notes[0].text,
        "一\n二[31m三"
    );
}

#[test]
fn stash_draft_keeps_the_open_editor_for_quit_and_signals() {
    let mut a = app();
    goto(&mut a, "6.1");
    act(&mut a, Action::NewNote);
    typed(&mut a, "半句");
    assert!(a.stash_draft());
    assert_eq!(
        a.progress.item("6.1").unwrap().draft(None).unwrap().value,
        "半句"
    );
    assert_eq!(
        act(&mut a, Action::Quit),
        Effect::None,
        "q types into the editor"
    );
}

#[test]
fn enter_focuses_notes_which_can_be_edited_and_deleted() {
    let mut a = app();
    goto(&mut a, "2.1");
    for (i, t) in ["第一條", "第二條"].iter().enumerate() {
        a.now = at(&format!("2026-11-29T1{i}:00:00+08:00"));
        act(&mut a, Action::NewNote);
        typed(&mut a, t);
        ctrl(&mut a, 's');
    }
    act(&mut a, Action::Open);
    assert_eq!(a.focus, Focus::Notes(0));
    act(&mut a, Action::Down);
    assert_eq!(a.focus, Focus::Notes(1));
    act(&mut a, Action::Down);
    assert_eq!(a.focus, Focus::Notes(1), "stays on the last");
    act(&mut a, Action::Open);
    let Mode::Editor(ed) = &a.mode else {
        panic!("editor")
    };
    assert_eq!(ed.text(), "第一條", "newest first: index 1 is the older");
    typed(&mut a, "（改）");
    ctrl(&mut a, 's');
    let item = a.progress.item("2.1").unwrap();
    assert_eq!(item.visible_notes()[1].text, "第一條（改）");
    assert!(item.visible_notes()[1].edited.is_some());

    act(&mut a, Action::DeleteNote);
    assert!(matches!(a.mode, Mode::ConfirmDelete { .. }));
    key(&mut a, KeyCode::Char('n'));
    assert_eq!(a.progress.item("2.1").unwrap().visible_notes().len(), 2);
    act(&mut a, Action::DeleteNote);
    assert_eq!(key(&mut a, KeyCode::Char('y')), Effect::Save);
    assert_eq!(a.progress.item("2.1").unwrap().visible_notes().len(), 1);
    assert_eq!(a.focus, Focus::Notes(0));
    act(&mut a, Action::Back);
    assert_eq!(a.focus, Focus::Tree);
}

#[test]
fn d_on_the_tree_deletes_the_newest_note_after_confirming() {
    let mut a = app();
    goto(&mut a, "5.3");
    assert_eq!(
        act(&mut a, Action::DeleteNote),
        Effect::None,
        "no note, no question"
    );
    assert!(matches!(a.mode, Mode::Normal));
    act(&mut a, Action::NewNote);
    typed(&mut a, "x");
    ctrl(&mut a, 's');
    act(&mut a, Action::DeleteNote);
    key(&mut a, KeyCode::Enter);
    assert!(a.progress.item("5.3").unwrap().visible_notes().is_empty());
}

#[test]
fn the_fields_form_sets_all_three_and_checks_the_deadline() {
    let mut a = app();
    goto(&mut a, "2.2");
    act(&mut a, Action::EditFields);
    typed(&mut a, "自治區公安廳");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "王偉");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "2026-02-30");
    assert_eq!(
        ctrl(&mut a, 's'),
        Effect::None,
        "an impossible date is refused"
    );
    let Mode::Fields(form) = &a.mode else {
        panic!("form stays open")
    };
    assert_eq!(form.focus, 2);
    assert!(form.error.as_deref().unwrap().contains("Deadline"));
    for _ in 0..10 {
        key(&mut a, KeyCode::Backspace);
    }
    typed(&mut a, "立行立改");
    assert_eq!(ctrl(&mut a, 's'), Effect::Save);
    let p = a.progress.item("2.2").unwrap();
    assert_eq!(p.owner(), "自治區公安廳");
    assert_eq!(p.person(), "王偉");
    assert_eq!(p.deadline(), Some(crate::model::Deadline::Immediate));
    assert!(!p.has_measures(), "a problem's form has no measure field");
    // Opening and saving without a change is no change.
    act(&mut a, Action::EditFields);
    assert_eq!(ctrl(&mut a, 's'), Effect::None);
    act(&mut a, Action::EditFields);
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert!(matches!(a.mode, Mode::Normal));
}

#[test]
fn the_deadline_field_reads_office_forms_on_the_apps_day_and_shows_the_users_language() {
    use crate::model::Deadline;
    let mut a = app();
    a.lang = Lang::ZhHans;
    a.now = at("2026-12-04T09:00:00+08:00");
    goto(&mut a, "2.2");
    act(&mut a, Action::EditFields);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    // November is past on 2026-12-04: the coming one is next year's.
    typed(&mut a, "１１月底前");
    assert_eq!(ctrl(&mut a, 's'), Effect::Save);
    let deadline = a.progress.item("2.2").unwrap().deadline();
    assert_eq!(
        deadline,
        Some(Deadline::Date(jiff::civil::date(2027, 11, 30)))
    );
    // Reopened, the field shows it as the user reads it, and saving it unchanged is no change.
    act(&mut a, Action::EditFields);
    let Mode::Fields(form) = &a.mode else {
        panic!("form open")
    };
    assert_eq!(form.value(2), "2027年11月30日前");
    assert_eq!(ctrl(&mut a, 's'), Effect::None);
    // The hint names the forms.
    assert!(Lang::ZhHans.strings().deadline_hint.contains("12月底前"));
}

#[test]
fn editing_a_saved_note_leaves_the_draft_alone_and_asks_before_leaving() {
    let mut a = app();
    goto(&mut a, "3.2");
    act(&mut a, Action::NewNote);
    typed(&mut a, "舊進展");
    ctrl(&mut a, 's');
    act(&mut a, Action::NewNote);
    typed(&mut a, "我的草稿");
    key(&mut a, KeyCode::Esc);
    // Edit the saved note and save: the draft stays.
    act(&mut a, Action::Open);
    act(&mut a, Action::Open);
    typed(&mut a, "！");
    ctrl(&mut a, 's');
    let item = a.progress.item("3.2").unwrap();
    assert_eq!(item.visible_notes()[0].text, "舊進展！");
    assert_eq!(item.draft(None).unwrap().value, "我的草稿");
    // Edit again and Esc: asked; Esc goes back, n discards, y saves.
    act(&mut a, Action::Open);
    typed(&mut a, "？");
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert!(matches!(a.mode, Mode::ConfirmLeave(_)));
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.mode, Mode::Editor(_)), "back to editing");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('n'));
    assert_eq!(
        a.progress.item("3.2").unwrap().visible_notes()[0].text,
        "舊進展！"
    );
    act(&mut a, Action::Open);
    typed(&mut a, "？");
    key(&mut a, KeyCode::Esc);
    assert_eq!(key(&mut a, KeyCode::Char('y')), Effect::Save);
    let item = a.progress.item("3.2").unwrap();
    assert_eq!(item.visible_notes()[0].text, "舊進展！？");
    assert_eq!(item.draft(None).unwrap().value, "我的草稿", "still there");
}

#[test]
fn the_fields_form_writes_only_what_was_changed() {
    let mut a = app();
    goto(&mut a, "2.4");
    act(&mut a, Action::EditFields);
    // Meanwhile another program sets the person and the deadline (merged in).
    std::sync::Arc::make_mut(&mut a.progress)
        .set_text("2.4", crate::model::progress::Field::Person, "李四", a.now)
        .unwrap();
    std::sync::Arc::make_mut(&mut a.progress).set_deadline(
        "2.4",
        Some("2026-12-31".parse().unwrap()),
        a.now,
    );
    typed(&mut a, "高院");
    ctrl(&mut a, 's');
    let p = a.progress.item("2.4").unwrap();
    assert_eq!((p.owner(), p.person()), ("高院", "李四"));
    assert_eq!(p.deadline(), Some("2026-12-31".parse().unwrap()));
}

/// Item 6 of issue 16: a status change dated in the future (a colleague's clock ran
/// ahead) does not freeze the item: Space and `s` take effect.
#[test]
fn space_and_s_take_effect_after_a_future_dated_status() {
    let mut a = app();
    let theirs = elsewhere(&a, |p| {
        p.set_status("1.1", Status::Verified, at("2026-12-20T09:00:00+08:00"));
    });
    a.merged_from_disk(&theirs);
    goto(&mut a, "1.1");
    assert_eq!(a.progress.status("1.1"), Status::Verified);
    assert_eq!(act(&mut a, Action::ToggleResolved), Effect::Save);
    assert_eq!(a.progress.status("1.1"), Status::Open, "Space");
    act(&mut a, Action::ChooseStatus);
    assert_eq!(key(&mut a, KeyCode::Char('4')), Effect::Save);
    assert_eq!(a.progress.status("1.1"), Status::Verified, "s");
    act(&mut a, Action::ChooseStatus);
    key(&mut a, KeyCode::Char('2'));
    assert_eq!(a.progress.status("1.1"), Status::InProgress, "s");
    // And what was done holds in the file's copy merged again.
    a.merged_from_disk(&theirs);
    assert_eq!(a.progress.status("1.1"), Status::InProgress);
}

/// Issue 16, item 17: a pasted line or paragraph separator is a line break, not a character
/// that would break the terminal's lines (nor one silently dropped, joining two words).
#[test]
fn pasted_line_and_paragraph_separators_become_line_breaks() {
    assert_eq!(
        crate::app::editor::clean_paste("一\u{2028}二\u{2029}三\r\n四\u{1b}"),
        "一\n二\n三\n四"
    );
}
