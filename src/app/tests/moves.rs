//! Moving through the tree, search, filter, clicks, scrolling and the narrow layout.

use super::*;

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
    let l = a.layout;
    laid_out(
        &mut a,
        ViewLayout {
            tree: ratatui::layout::Rect::new(0, 1, 44, 10),
            ..l
        },
    );
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
    // Where a frame of 100×30 puts the tree (`tests/ui_snapshots.rs` draws it).
    let l = a.layout;
    laid_out(
        &mut a,
        ViewLayout {
            tree: ratatui::layout::Rect::new(0, 1, 44, 28),
            ..l
        },
    );
    update(&mut a, Msg::Click { col: 5, row: 3 });
    assert_eq!(a.selected_item(), Some("1.2"));
    // The tree's last column is where it was drawn, the line between the panes is not.
    update(&mut a, Msg::Click { col: 44, row: 4 });
    assert_eq!(a.selected_item(), Some("1.2"));
    update(&mut a, Msg::Click { col: 43, row: 4 });
    assert_eq!(a.selected_item(), Some("1.3"));
    update(&mut a, Msg::Click { col: 5, row: 3 });
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
fn the_detail_and_the_summary_scroll() {
    let mut a = app();
    goto(&mut a, "1.1");
    let l = a.layout;
    laid_out(
        &mut a,
        ViewLayout {
            detail_max: 30,
            summary_max: 12,
            ..l
        },
    );
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
    let l = a.layout;
    laid_out(&mut a, ViewLayout { detail_max: 5, ..l });
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
