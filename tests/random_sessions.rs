//! Random sessions through `update`: whatever a user presses, nothing panics and the
//! invariants hold — the selection is a row on screen, the counts match the statuses, undo
//! then redo gives back the same ledger, and what is saved loads back the same.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use rectify::app::{Action, App, Msg, update};
use rectify::i18n::Lang;
use rectify::model::{Checklist, Progress, Stamp, Status};
use rectify::summary::Counts;

fn msg() -> impl Strategy<Value = Msg> {
    let action = (0..Action::ALL.len()).prop_map(|i| Msg::Act(Action::ALL[i]));
    let key = prop_oneof![
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Backspace),
        Just(KeyCode::Tab),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        proptest::char::any().prop_map(KeyCode::Char),
        "[a-z0-9整改進展 ]".prop_map(|s| KeyCode::Char(s.chars().next().unwrap())),
    ];
    let key = (key, proptest::bool::weighted(0.1)).prop_map(|(code, ctrl)| {
        let mods = if ctrl {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        // Ctrl-C quits, which ends a session: leave it to the other tests.
        let code = if ctrl && code == KeyCode::Char('c') {
            KeyCode::Char('s')
        } else {
            code
        };
        Msg::Key(KeyEvent::new(code, mods))
    });
    prop_oneof![
        4 => action,
        4 => key,
        1 => any::<String>().prop_map(Msg::Paste),
        1 => (0..120u16, 0..40u16).prop_map(|(col, row)| Msg::Click { col, row }),
        1 => (-5..5i16).prop_map(Msg::Scroll),
        1 => (20..160u16, 5..60u16).prop_map(|(width, height)| Msg::Resize { width, height }),
    ]
}

fn app() -> App {
    let c = Checklist::embedded();
    let p = Progress::new(&c.id);
    App::new(
        c,
        p,
        Lang::ZhHant,
        "2026-11-29T14:03:00+08:00".parse::<Stamp>().unwrap(),
    )
}

/// What the ledger shows of each item that shows anything: status, fields, live notes
/// and drafts.
fn shown(p: &Progress) -> Vec<String> {
    let shown = |(id, i): (&String, &std::sync::Arc<rectify::model::ItemProgress>)| {
        let notes: Vec<(&str, &str)> = i
            .visible_notes()
            .iter()
            .map(|n| (n.id.as_str(), n.text.as_str()))
            .collect();
        let drafts: Vec<&str> = i.drafts.values().map(|d| d.value.as_str()).collect();
        let measures: Vec<&str> = i
            .numbered_measures()
            .iter()
            .map(|(_, m)| m.text())
            .collect();
        let fields = (i.owner(), i.person(), measures, i.deadline());
        let blank = i.status() == Status::Open
            && fields == ("", "", vec![], None)
            && notes.is_empty()
            && drafts.is_empty();
        (!blank).then(|| format!("{id}: {:?} {fields:?} {notes:?} {drafts:?}", i.status()))
    };
    p.items.iter().filter_map(shown).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_session_keeps_the_invariants(msgs in proptest::collection::vec(msg(), 1..120)) {
        let mut a = app();
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        for (k, m) in msgs.into_iter().enumerate() {
            a.now = format!("2026-11-29T14:{:02}:{:02}+08:00", 3 + k / 60, k % 60).parse().unwrap();
            let _ = update(&mut a, m);
            // Drawing never panics either, at whatever size the session resized to.
            terminal.resize(ratatui::layout::Rect::new(0, 0, a.width.max(1), a.height.max(1))).unwrap();
            let mut layout = a.layout;
            terminal.draw(|f| layout = rectify::ui::draw(f, &a)).unwrap();
            let _ = update(&mut a, Msg::Drawn(layout));

            let rows = a.rows();
            prop_assert!(rows.is_empty() || rows.contains(&a.selected),
                "selection {:?} not on screen", a.selected);
            let counts = Counts::of(&a.checklist, &a.progress, a.today());
            let statuses: Vec<Status> = a.checklist.items().map(|(_, i)| a.progress.status(&i.id)).collect();
            prop_assert_eq!(counts.total, 22);
            prop_assert_eq!(counts.done(), statuses.iter().filter(|s| s.is_done()).count());
            prop_assert_eq!(counts.in_progress, statuses.iter().filter(|s| **s == Status::InProgress).count());
            // The rows and counts kept between key presses are what working them out
            // afresh gives: no change slipped past the cache.
            let kept = (a.rows(), a.derived().counts.clone(), a.derived().area_done.clone());
            a.revision += 1;
            prop_assert_eq!(kept, (a.rows(), a.derived().counts.clone(), a.derived().area_done.clone()));
            prop_assert_eq!(&a.derived().counts, &counts);
        }
        // Undo then redo shows the same ledger (as new entries: see `Progress::revert_item`).
        let _ = update(&mut a, Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        let _ = update(&mut a, Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        let mid = shown(&a.progress);
        if !a.undo.is_empty() && matches!(a.mode, rectify::app::Mode::Normal) {
            let _ = update(&mut a, Msg::Act(Action::Undo));
            let _ = update(&mut a, Msg::Act(Action::Redo));
            prop_assert_eq!(shown(&a.progress), mid);
        }
        // What would be saved loads back the same.
        let text = rectify::store::to_ron(&a.progress);
        let back = rectify::store::parse(text.as_bytes(), "p.ron".as_ref(), &a.checklist.id).unwrap();
        prop_assert_eq!(&back, &*a.progress);
    }
}
