//! `update` for every action, with no terminal and no files.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::model::Stamp;

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

#[test]
fn the_tree_lists_six_areas_and_22_items() {
    let a = app();
    let rows = a.rows();
    assert_eq!(rows.len(), 28);
    assert_eq!(rows.iter().filter(|r| matches!(r, Row::Area(_))).count(), 6);
    assert_eq!(a.selected, Row::Area(0));
}

#[test]
fn moving_up_down_top_bottom_and_by_page() {
    let mut a = app();
    act(&mut a, Action::Down);
    assert_eq!(a.selected_item(), Some("1.1"));
    act(&mut a, Action::Up);
    act(&mut a, Action::Up);
    assert_eq!(a.selected, Row::Area(0), "stops at the top");
    act(&mut a, Action::Bottom);
    assert_eq!(a.selected_item(), Some("6.3"));
    act(&mut a, Action::Down);
    assert_eq!(a.selected_item(), Some("6.3"), "stops at the bottom");
    act(&mut a, Action::Top);
    assert_eq!(a.selected, Row::Area(0));
    a.tree_height.set(10);
    act(&mut a, Action::PageDown);
    assert_eq!(a.rows().iter().position(|r| *r == a.selected), Some(9));
    act(&mut a, Action::PageUp);
    assert_eq!(a.selected, Row::Area(0));
}

#[test]
fn left_and_right_collapse_expand_and_go_to_the_area() {
    let mut a = app();
    goto(&mut a, "2.3");
    act(&mut a, Action::Left);
    assert_eq!(a.selected, Row::Area(1));
    act(&mut a, Action::Left);
    assert!(a.collapsed.contains("2"));
    assert_eq!(a.rows().len(), 28 - 5);
    act(&mut a, Action::Right);
    assert!(!a.collapsed.contains("2"));
    // Enter on an area toggles it too.
    act(&mut a, Action::Open);
    assert!(a.collapsed.contains("2"));
    act(&mut a, Action::Open);
    assert_eq!(a.rows().len(), 28);
}

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
fn the_fields_form_sets_all_four_and_checks_the_deadline() {
    let mut a = app();
    goto(&mut a, "2.2");
    act(&mut a, Action::EditFields);
    typed(&mut a, "自治區公安廳");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "王偉");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "2026-02-30");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "建立大案要案台賬");
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
    assert_eq!(p.measures(), "建立大案要案台賬");
    // Opening and saving without a change is no change.
    act(&mut a, Action::EditFields);
    assert_eq!(ctrl(&mut a, 's'), Effect::None);
    act(&mut a, Action::EditFields);
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert!(matches!(a.mode, Mode::Normal));
}

#[test]
fn search_finds_ids_and_text_in_every_language() {
    let mut a = app();
    act(&mut a, Action::Search);
    typed(&mut a, "打傘破網");
    assert!(matches!(&a.mode, Mode::Search(q) if q == "打傘破網"));
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.selected_item(), Some("3.1"));
    act(&mut a, Action::Search);
    typed(&mut a, "TWO COMMITTEES");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.selected_item(), Some("5.1"), "case-insensitive English");
    act(&mut a, Action::Search);
    typed(&mut a, "打伞");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.selected_item(), Some("3.1"), "Simplified too");
    // A collapsed area opens to show the match.
    act(&mut a, Action::Left);
    act(&mut a, Action::Left);
    act(&mut a, Action::Search);
    typed(&mut a, "3.3");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.selected_item(), Some("3.3"));
    // No match: a message, selection kept; Esc leaves without moving.
    act(&mut a, Action::Search);
    typed(&mut a, "zzz");
    key(&mut a, KeyCode::Enter);
    assert!(a.message.as_deref().unwrap().contains("no match"));
    act(&mut a, Action::Search);
    typed(&mut a, "1.1");
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.selected_item(), Some("3.3"));
    assert!(matches!(a.mode, Mode::Normal));
}

#[test]
fn the_filter_cycles_all_open_overdue() {
    let mut a = app();
    let now = a.now;
    a.progress_mut().set_status("1.1", Status::Resolved, now);
    std::sync::Arc::make_mut(&mut a.progress).set_deadline(
        "2.4",
        Some("2026-11-01".parse().unwrap()),
        a.now,
    );
    act(&mut a, Action::Filter);
    assert_eq!(a.filter, Filter::Open);
    assert_eq!(a.rows().len(), 27);
    act(&mut a, Action::Filter);
    assert_eq!(a.filter, Filter::Overdue);
    assert_eq!(&*a.rows(), [Row::Area(1), Row::Item(1, 3)]);
    assert!(
        a.rows().contains(&a.selected),
        "selection follows into the filter"
    );
    act(&mut a, Action::Back);
    assert_eq!(a.filter, Filter::All, "Esc clears the filter");
    act(&mut a, Action::Filter);
    act(&mut a, Action::Filter);
    act(&mut a, Action::Filter);
    assert_eq!(a.filter, Filter::All);
}

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
fn narrow_screens_open_the_detail_in_place() {
    let mut a = app();
    update(
        &mut a,
        Msg::Resize {
            width: 60,
            height: 20,
        },
    );
    assert!(!a.is_wide());
    goto(&mut a, "1.4");
    act(&mut a, Action::Open);
    assert!(a.detail_open);
    act(&mut a, Action::Back);
    assert!(!a.detail_open);
    act(&mut a, Action::Open);
    update(
        &mut a,
        Msg::Resize {
            width: 120,
            height: 40,
        },
    );
    assert!(!a.detail_open, "wide screens show both");
}

#[test]
fn clicks_select_rows_and_the_wheel_moves() {
    let mut a = app();
    a.tree_origin.set((0, 1));
    a.tree_height.set(28);
    update(&mut a, Msg::Click { col: 5, row: 3 });
    assert_eq!(a.selected_item(), Some("1.2"));
    update(&mut a, Msg::Click { col: 95, row: 3 });
    assert_eq!(
        a.selected_item(),
        Some("1.2"),
        "a click in the detail does not move"
    );
    update(&mut a, Msg::Scroll(3));
    assert_eq!(a.selected, Row::Area(1));
    update(&mut a, Msg::Scroll(1));
    assert_eq!(a.selected_item(), Some("2.1"));
    update(&mut a, Msg::Scroll(-2));
    assert_eq!(a.selected_item(), Some("1.4"));
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
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "措施一");
    assert_eq!(ctrl(&mut a, 'c'), Effect::Quit);
    assert!(
        a.stash_draft(),
        "the form's values are applied when the program must stop"
    );
    let p = a.progress.item("2.4").unwrap();
    assert_eq!(
        (p.owner(), p.person(), p.measures()),
        ("公安廳", "張三", "措施一")
    );
    assert_eq!(p.deadline(), None, "an invalid deadline is left as it was");

    let mut a = app();
    act(&mut a, Action::Search);
    assert_eq!(ctrl(&mut a, 'c'), Effect::Quit);
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
    std::sync::Arc::make_mut(&mut a.progress).set_text(
        "2.4",
        crate::model::progress::Field::Person,
        "李四",
        a.now,
    );
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

#[test]
fn the_detail_and_the_summary_scroll() {
    let mut a = app();
    goto(&mut a, "1.1");
    a.detail_max.set(30);
    a.summary_max.set(12);
    // From the tree, page keys page the tree; with the notes focused, the detail.
    act(&mut a, Action::NewNote);
    typed(&mut a, "x");
    ctrl(&mut a, 's');
    act(&mut a, Action::Open);
    act(&mut a, Action::PageDown);
    assert_eq!(a.detail_scroll, 26);
    act(&mut a, Action::PageDown);
    assert_eq!(a.detail_scroll, 30, "stops at the end");
    act(&mut a, Action::PageUp);
    assert_eq!(a.detail_scroll, 4);
    act(&mut a, Action::Back);
    act(&mut a, Action::Down);
    assert_eq!(a.detail_scroll, 0, "a new selection starts at the top");
    act(&mut a, Action::Summary);
    act(&mut a, Action::Down);
    act(&mut a, Action::PageDown);
    assert_eq!(a.summary_scroll, 12);
    act(&mut a, Action::Top);
    assert_eq!(a.summary_scroll, 0);
}

#[test]
fn stacked_an_area_opens_its_detail_and_arrows_scroll_it() {
    let mut a = app();
    update(
        &mut a,
        Msg::Resize {
            width: 60,
            height: 20,
        },
    );
    a.detail_max.set(5);
    act(&mut a, Action::Open);
    assert!(
        a.detail_open,
        "Enter on an area shows its items and requirements"
    );
    act(&mut a, Action::Down);
    assert_eq!(a.detail_scroll, 1);
    assert_eq!(
        a.selected,
        Row::Area(0),
        "the arrows scroll the detail, not the tree"
    );
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

#[test]
fn resolving_under_the_open_filter_selects_the_next_item() {
    let mut a = app();
    act(&mut a, Action::Filter);
    goto(&mut a, "1.2");
    act(&mut a, Action::ToggleResolved);
    assert_eq!(a.progress.status("1.2"), Status::Resolved);
    assert_eq!(
        a.selected_item(),
        Some("1.3"),
        "the row that took its place"
    );
    assert!(a.rows().contains(&a.selected));
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

/// Issue 16, item 17: a pasted line or paragraph separator is a line break, not a character
/// that would break the terminal's lines (nor one silently dropped, joining two words).
#[test]
fn pasted_line_and_paragraph_separators_become_line_breaks() {
    assert_eq!(
        crate::app::editor::clean_paste("一\u{2028}二\u{2029}三\r\n四\u{1b}"),
        "一\n二\n三\n四"
    );
}
