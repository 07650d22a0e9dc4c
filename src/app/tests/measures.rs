//! Measures in the tree: adding, editing, marking, deleting them; a problem that follows its
//! measures; the fields form's wrapping and Esc; the note editor's event date.

use super::*;
use crate::app::editor::FormKind;

/// Adds a measure to the selected problem through the form; returns the effect of saving.
fn add(a: &mut App, text: &str) -> Effect {
    act(a, Action::AddMeasure);
    typed(a, text);
    ctrl(a, 's')
}

fn live(a: &App, item: &str) -> usize {
    a.progress
        .item(item)
        .map_or(0, |p| p.numbered_measures().len())
}

#[test]
fn a_adds_a_measure_under_the_problem_and_selects_it() {
    let mut a = app();
    goto(&mut a, "2.5");
    // The text is required.
    act(&mut a, Action::AddMeasure);
    let Mode::Fields(form) = &a.mode else {
        panic!("a opens the form")
    };
    assert_eq!(form.kind, FormKind::NewMeasure);
    assert_eq!(ctrl(&mut a, 's'), Effect::None);
    let Mode::Fields(form) = &a.mode else {
        panic!("form stays open")
    };
    assert!(form.error.as_deref().unwrap().contains("text"), "{form:?}");
    typed(&mut a, "建立台賬");
    key(&mut a, KeyCode::Tab); // goal
    key(&mut a, KeyCode::Tab); // lead unit
    typed(&mut a, "公安廳");
    assert_eq!(ctrl(&mut a, 's'), Effect::Save);
    let (item, n, m) = a.progress.measure("2.5.1").expect("measure 2.5.1");
    assert_eq!(
        (item, n, m.text(), m.owner()),
        ("2.5", 1, "建立台賬", "公安廳")
    );
    assert!(matches!(a.selected, Row::Measure(_, _, 1)));
    assert_eq!(a.selected_id().as_deref(), Some("2.5.1"));
    assert!(a.rows().contains(&a.selected), "its row is in the tree");
    // On a measure, `a` adds to its problem.
    assert_eq!(add(&mut a, "第二條"), Effect::Save);
    assert_eq!(a.selected_id().as_deref(), Some("2.5.2"));
    assert_eq!(live(&a, "2.5"), 2);
}

#[test]
fn measures_fold_with_their_problem() {
    let mut a = app();
    goto(&mut a, "2.5");
    add(&mut a, "一");
    let row = a.selected;
    act(&mut a, Action::Left);
    assert_eq!(
        a.selected_id().as_deref(),
        Some("2.5"),
        "← goes to the problem"
    );
    act(&mut a, Action::Left);
    assert!(
        !a.rows().contains(&row),
        "← on the problem folds its measures"
    );
    assert_eq!(a.selected_id().as_deref(), Some("2.5"));
    act(&mut a, Action::Right);
    assert!(a.rows().contains(&row));
    act(&mut a, Action::Down);
    assert_eq!(a.selected, row);
    // A search for its id finds it, folded or not.
    act(&mut a, Action::Left);
    act(&mut a, Action::Left);
    act(&mut a, Action::Search);
    typed(&mut a, "2.5.1");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.selected, row);
    assert!(a.rows().contains(&row));
}

#[test]
fn e_on_a_measure_edits_all_its_fields() {
    let mut a = app();
    goto(&mut a, "2.5");
    add(&mut a, "建立台賬");
    act(&mut a, Action::EditFields);
    let Mode::Fields(form) = &a.mode else {
        panic!("e opens the form")
    };
    assert_eq!(form.kind, FormKind::Measure);
    assert_eq!(form.fields.len(), 7);
    assert_eq!(form.value(0), "建立台賬");
    typed(&mut a, "並公開");
    let values = [
        "每月更新",
        "公安廳",
        "司法廳、財政廳",
        "李副廳長",
        "王偉",
        "2026-12-31",
    ];
    for v in values {
        key(&mut a, KeyCode::Tab);
        typed(&mut a, v);
    }
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Effect::Save,
        "Enter on the last saves"
    );
    let (_, _, m) = a.progress.measure("2.5.1").unwrap();
    assert_eq!(m.text(), "建立台賬並公開");
    assert_eq!(m.goal(), "每月更新");
    assert_eq!(m.owner(), "公安廳");
    assert_eq!(m.partners(), ["司法廳", "財政廳"]);
    assert_eq!(m.leader(), "李副廳長");
    assert_eq!(m.person(), "王偉");
    assert_eq!(m.deadline().unwrap().to_string(), "2026-12-31");
    // The problem's own fields are not touched, and `e` on the problem edits those.
    assert_eq!(a.progress.item("2.5").unwrap().owner(), "");
    act(&mut a, Action::Left);
    act(&mut a, Action::EditFields);
    let Mode::Fields(form) = &a.mode else {
        panic!()
    };
    assert_eq!(form.kind, FormKind::Problem);
    assert_eq!(form.fields.len(), 3);
    // Emptying a measure's text is refused.
    key(&mut a, KeyCode::Esc);
    act(&mut a, Action::Down);
    act(&mut a, Action::EditFields);
    for _ in 0..20 {
        key(&mut a, KeyCode::Backspace);
    }
    assert_eq!(ctrl(&mut a, 's'), Effect::None);
    assert!(matches!(a.mode, Mode::Fields(_)));
}

#[test]
fn status_keys_work_on_measures_and_the_problem_follows() {
    let mut a = app();
    goto(&mut a, "2.5");
    add(&mut a, "一");
    add(&mut a, "二");
    // Space on 2.5.2 resolves it; the problem is in progress.
    assert_eq!(act(&mut a, Action::ToggleResolved), Effect::Save);
    assert_eq!(a.progress.status("2.5.2"), Status::Resolved);
    assert_eq!(a.progress.status("2.5"), Status::InProgress);
    // The picker on 2.5.1.
    act(&mut a, Action::Up);
    assert_eq!(a.selected_id().as_deref(), Some("2.5.1"));
    act(&mut a, Action::ChooseStatus);
    assert_eq!(key(&mut a, KeyCode::Char('2')), Effect::Save);
    assert_eq!(a.progress.status("2.5.1"), Status::InProgress);
    // A note on the measure.
    act(&mut a, Action::NewNote);
    typed(&mut a, "已部署");
    assert_eq!(ctrl(&mut a, 's'), Effect::Save);
    let (_, _, m) = a.progress.measure("2.5.1").unwrap();
    assert_eq!(m.visible_notes()[0].text, "已部署");
    assert!(
        a.progress.item("2.5.1").is_none(),
        "no stray item for a measure's id"
    );
    // Space again on 2.5.2 takes it back to open.
    act(&mut a, Action::Down);
    act(&mut a, Action::ToggleResolved);
    assert_eq!(a.progress.status("2.5.2"), Status::Open);
}

#[test]
fn a_problem_with_open_measures_refuses_resolved_and_says_which() {
    let mut a = app();
    goto(&mut a, "2.5");
    add(&mut a, "一");
    add(&mut a, "二");
    act(&mut a, Action::ToggleResolved); // 2.5.2 resolved
    act(&mut a, Action::Left);
    assert_eq!(a.selected_id().as_deref(), Some("2.5"));
    let undo = a.undo.len();
    assert_eq!(act(&mut a, Action::ToggleResolved), Effect::None);
    let msg = a.message.clone().unwrap();
    assert!(msg.contains("2.5.1") && !msg.contains("2.5.2"), "{msg}");
    assert_eq!(a.progress.status("2.5"), Status::InProgress);
    assert_eq!(a.undo.len(), undo, "a refusal is no undo step");
    // The picker: verified refused; open refused (follows its measures).
    act(&mut a, Action::ChooseStatus);
    assert_eq!(key(&mut a, KeyCode::Char('4')), Effect::None);
    assert!(a.message.clone().unwrap().contains("2.5.1"));
    act(&mut a, Action::ChooseStatus);
    assert_eq!(key(&mut a, KeyCode::Char('1')), Effect::None);
    assert!(a.message.clone().unwrap().contains("follows"));
    assert_eq!(a.progress.status("2.5"), Status::InProgress);
    // All measures done: the problem is resolved and can be verified.
    act(&mut a, Action::Down);
    act(&mut a, Action::ToggleResolved);
    assert_eq!(a.progress.status("2.5"), Status::Resolved);
    act(&mut a, Action::Left);
    act(&mut a, Action::ChooseStatus);
    assert_eq!(key(&mut a, KeyCode::Char('4')), Effect::Save);
    assert_eq!(a.progress.status("2.5"), Status::Verified);
}

#[test]
fn deleting_a_measure_asks_first_and_undo_brings_it_back() {
    let mut a = app();
    goto(&mut a, "2.5");
    add(&mut a, "一");
    act(&mut a, Action::DeleteMeasure);
    assert!(matches!(&a.mode, Mode::ConfirmDeleteMeasure(id) if id == "2.5.1"));
    assert_eq!(key(&mut a, KeyCode::Char('n')), Effect::None);
    assert_eq!(live(&a, "2.5"), 1);
    act(&mut a, Action::DeleteMeasure);
    assert_eq!(key(&mut a, KeyCode::Char('y')), Effect::Save);
    assert_eq!(live(&a, "2.5"), 0);
    assert_eq!(a.selected_id().as_deref(), Some("2.5"));
    assert!(a.rows().iter().all(|r| !matches!(r, Row::Measure(..))));
    // D on a problem does nothing.
    act(&mut a, Action::DeleteMeasure);
    assert!(matches!(a.mode, Mode::Normal));
    assert_eq!(act(&mut a, Action::Undo), Effect::Save);
    assert_eq!(live(&a, "2.5"), 1);
    assert_eq!(a.progress.measure("2.5.1").unwrap().2.text(), "一");
}

#[test]
fn undo_takes_back_an_added_measure_and_a_measure_change() {
    let mut a = app();
    goto(&mut a, "2.5");
    add(&mut a, "一");
    act(&mut a, Action::ToggleResolved);
    assert_eq!(a.progress.status("2.5.1"), Status::Resolved);
    let step = a.undo.last().unwrap();
    assert_eq!(
        step.item, "2.5",
        "a measure's change keeps its problem for undo"
    );
    act(&mut a, Action::Undo);
    assert_eq!(a.progress.status("2.5.1"), Status::Open);
    act(&mut a, Action::Undo);
    assert_eq!(live(&a, "2.5"), 0, "the added measure is gone");
    assert_eq!(
        a.selected_id().as_deref(),
        Some("2.5"),
        "its row went with it: the problem is selected"
    );
    act(&mut a, Action::Redo);
    assert_eq!(live(&a, "2.5"), 1);
    act(&mut a, Action::Undo);
    assert_eq!(act(&mut a, Action::ToggleResolved), Effect::Save);
    assert_eq!(a.progress.status("2.5"), Status::Resolved);
    assert!(a.progress.item("2.5.1").is_none(), "no stray item");
}

#[test]
fn esc_in_the_form_with_changes_asks() {
    let mut a = app();
    goto(&mut a, "2.2");
    // Nothing typed: Esc closes.
    act(&mut a, Action::EditFields);
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.mode, Mode::Normal));
    act(&mut a, Action::EditFields);
    typed(&mut a, "公安廳");
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert!(matches!(a.mode, Mode::ConfirmLeaveFields(_)));
    // Esc goes back to the form, with what was typed.
    key(&mut a, KeyCode::Esc);
    let Mode::Fields(form) = &a.mode else {
        panic!("back in the form")
    };
    assert_eq!(form.value(0), "公安廳");
    // n discards.
    key(&mut a, KeyCode::Esc);
    assert_eq!(key(&mut a, KeyCode::Char('n')), Effect::None);
    assert!(matches!(a.mode, Mode::Normal));
    assert!(a.progress.item("2.2").is_none_or(|p| p.owner().is_empty()));
    // y saves.
    act(&mut a, Action::EditFields);
    typed(&mut a, "公安廳");
    key(&mut a, KeyCode::Esc);
    assert_eq!(key(&mut a, KeyCode::Char('y')), Effect::Save);
    assert_eq!(a.progress.item("2.2").unwrap().owner(), "公安廳");
    // A new measure with text typed asks too.
    act(&mut a, Action::AddMeasure);
    typed(&mut a, "措施");
    key(&mut a, KeyCode::Esc);
    assert!(matches!(a.mode, Mode::ConfirmLeaveFields(_)));
}

#[test]
fn the_note_editor_takes_the_day_it_happened() {
    let mut a = app();
    goto(&mut a, "3.2");
    // Default today: nothing stored.
    act(&mut a, Action::NewNote);
    let Mode::Editor(ed) = &a.mode else { panic!() };
    assert_eq!(ed.event_date(), Some(a.today()));
    typed(&mut a, "今天的事");
    ctrl(&mut a, 's');
    assert_eq!(a.progress.item("3.2").unwrap().visible_notes()[0].on, None);
    // Another day: stored.
    act(&mut a, Action::NewNote);
    key(&mut a, KeyCode::Tab);
    for _ in 0..10 {
        key(&mut a, KeyCode::Backspace);
    }
    typed(&mut a, "2026年11月20日");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "上週的會");
    assert_eq!(ctrl(&mut a, 's'), Effect::Save);
    let n = a.progress.item("3.2").unwrap().visible_notes()[0].clone();
    assert_eq!(n.text, "上週的會");
    assert_eq!(n.on, Some(jiff::civil::date(2026, 11, 20)));
    // A bad date is refused with a message; the editor stays with its text.
    act(&mut a, Action::NewNote);
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "x");
    key(&mut a, KeyCode::Tab);
    typed(&mut a, "壞日期");
    assert_eq!(ctrl(&mut a, 's'), Effect::None);
    assert!(a.message.clone().unwrap().contains("not a date"));
    let Mode::Editor(ed) = &a.mode else {
        panic!("the editor stays")
    };
    assert!(ed.on_date && ed.text() == "壞日期");
}
