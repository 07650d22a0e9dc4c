//! The screen as text, drawn by ratatui's TestBackend from a fixed ledger, in both sizes the
//! issue names and in zh-Hant and English. Review changes with `cargo insta review`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rectify::app::{Action, App, Msg, update};
use rectify::i18n::Lang;
use rectify::model::progress::Field;
use rectify::model::{Checklist, Progress, Stamp, Status};
use unicode_width::UnicodeWidthStr;

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

/// A ledger in the middle of its work: statuses, fields, Chinese notes, an overdue item.
fn ledger(lang: Lang, width: u16, height: u16) -> App {
    let c = Checklist::embedded();
    let mut p = Progress::new(&c.id);
    let t = at("2026-11-20T09:00:00+08:00");
    p.set_status("1.1", Status::Resolved, t);
    p.set_status("1.2", Status::Verified, t);
    p.set_status("2.5", Status::InProgress, t);
    p.set_status("3.1", Status::InProgress, t);
    p.set_text("2.5", Field::Owner, "自治區高級人民法院", t)
        .unwrap();
    p.set_text("2.5", Field::Person, "王偉", t).unwrap();
    p.set_deadline("2.5", Some("2026-11-15".parse().unwrap()), t);
    p.add_measure("2.5", "建立涉案財產處置台賬，逐案核查財產刑執行情況", t)
        .unwrap();
    p.add_note(
        "2.5",
        "已追繳涉案財產 3 宗，合計 1.2 億元",
        at("2026-11-21T10:30:00+08:00"),
    )
    .unwrap();
    p.add_note(
        "2.5",
        "與公檢法召開協調會，統一財產刑適用標準\n下週提交處置意見",
        at("2026-11-25T16:05:00+08:00"),
    )
    .unwrap();
    let mut app = App::new(c, p, lang, at("2026-11-29T14:03:00+08:00"));
    app.color = false;
    update(&mut app, Msg::Resize { width, height });
    app
}

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            rectify::ui::draw(f, app);
        })
        .unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        let mut x = 0;
        while x < width {
            let s = buf[(x, y)].symbol();
            line.push_str(s);
            x += UnicodeWidthStr::width(s).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn select(app: &mut App, id: &str) {
    update(app, Msg::Act(Action::Search));
    for c in id.chars() {
        update(
            app,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
}

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::ZhHant => "zh_hant",
        Lang::ZhHans => "zh_hans",
        Lang::En => "en",
    }
}

#[test]
fn ledger_wide_and_narrow() {
    for lang in [Lang::ZhHant, Lang::En] {
        for (w, h) in [(100, 30), (60, 20)] {
            let mut app = ledger(lang, w, h);
            select(&mut app, "2.5");
            if w < 80 {
                update(&mut app, Msg::Act(Action::Open));
            }
            insta::assert_snapshot!(
                format!("item_2_5_{}_{w}x{h}", lang_name(lang)),
                render(&app, w, h)
            );
        }
    }
}

#[test]
fn tree_only_when_narrow() {
    let mut app = ledger(Lang::ZhHant, 60, 20);
    select(&mut app, "3.1");
    insta::assert_snapshot!("tree_zh_hant_60x20", render(&app, 60, 20));
}

#[test]
fn area_detail_with_requirements() {
    let app = ledger(Lang::ZhHant, 100, 30);
    insta::assert_snapshot!("area_1_zh_hant_100x30", render(&app, 100, 30));
}

#[test]
fn summary_view() {
    for lang in [Lang::ZhHant, Lang::En] {
        let mut app = ledger(lang, 100, 30);
        update(&mut app, Msg::Act(Action::Summary));
        insta::assert_snapshot!(
            format!("summary_{}_100x30", lang_name(lang)),
            render(&app, 100, 30)
        );
    }
}

#[test]
fn help_lists_the_key_map() {
    for (w, h) in [(100, 30), (60, 20)] {
        let mut app = ledger(Lang::En, w, h);
        update(&mut app, Msg::Act(Action::Help));
        insta::assert_snapshot!(format!("help_en_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn note_editor_with_chinese_text() {
    let mut app = ledger(Lang::ZhHant, 100, 30);
    select(&mut app, "4.3");
    update(&mut app, Msg::Act(Action::NewNote));
    update(&mut app, Msg::Paste("已與市場監管、交通運輸等行業主管部門建立聯席會議制度，每月通報一次線索移送情況。\n第二段".into()));
    insta::assert_snapshot!("editor_zh_hant_100x30", render(&app, 100, 30));
}

#[test]
fn too_small_says_so() {
    let app = ledger(Lang::En, 30, 8);
    insta::assert_snapshot!("too_small_30x8", render(&app, 30, 8));
}

/// Wide characters never straddle the edge: every line fits the width in display columns.
#[test]
fn chinese_lines_fit_the_width() {
    for (w, h) in [(100, 30), (80, 24), (60, 20), (41, 12)] {
        let mut app = ledger(Lang::ZhHant, w, h);
        select(&mut app, "2.5");
        update(&mut app, Msg::Act(Action::Open));
        for line in render(&app, w, h).lines() {
            assert!(
                UnicodeWidthStr::width(line) <= w as usize,
                "{w}x{h}: {line}"
            );
        }
    }
}

/// While a large ledger is read, the checklist is shown without statuses, counts or
/// details (none is known yet), and then the ledger as usual.
#[test]
fn while_a_large_ledger_is_read() {
    let mut app = ledger(Lang::ZhHant, 100, 30);
    let read = (*app.progress).clone();
    app.ledger_read(Progress::new(&app.checklist.id));
    app.reading = Some(18_793_083);
    let screen = render(&app, 100, 30);
    insta::assert_snapshot!(screen);
    assert!(screen.contains("讀取台賬 (18.8 MB)…"));
    assert!(!screen.contains("[ ]"), "no status before it is known");
    app.ledger_read(read);
    assert_eq!(
        render(&app, 100, 30),
        render(&ledger(Lang::ZhHant, 100, 30), 100, 30)
    );
}

/// U+2028 and U+2029 break the line in some terminals: whether they come in a checklist's
/// text, a note, a teammate's name or a key bound in keys.ron, and in a note opened in the
/// editor, none reaches the screen (each is shown as `<U+2028>`, or as U+FFFD in a cell).
#[test]
fn line_and_paragraph_separators_never_reach_the_terminal() {
    use rectify::model::progress::Who;
    let mut app = ledger(Lang::En, 100, 30);
    app.checklist
        .title
        .0
        .insert("en".into(), "Ledger\u{2028}title".into());
    app.checklist.areas[1]
        .title
        .0
        .insert("en".into(), "Area\u{2029}two".into());
    let item = &mut app.checklist.areas[1].items[4];
    assert_eq!(item.id, "2.5");
    item.text
        .0
        .insert("en".into(), "Problem\u{2028}text".into());
    let mut p = (*app.progress).clone();
    let who = Who::new(at("2026-11-28T09:00:00+08:00"), Some("Wang\u{2029}Wei"));
    p.add_note("2.5", "line one\u{2028}line two\u{2029}end", who)
        .unwrap();
    app.ledger_read(p);
    app.keymap = rectify::app::KeyMap::parse(
        "{ \"quit\": [\"\u{2028}\"], \"help\": [\"?\", \"\u{2029}\"] }".as_bytes(),
        "keys.ron",
    )
    .unwrap();
    let no_separator = |screen: &str, what: &str| {
        assert!(
            !screen.contains(['\u{2028}', '\u{2029}']),
            "{what}:\n{screen}"
        );
    };
    select(&mut app, "2.5");
    let screen = render(&app, 100, 30);
    no_separator(&screen, "ledger");
    assert!(screen.contains("Problem<U+2028>text"), "{screen}");
    assert!(screen.contains("Wang<U+2029>Wei"), "{screen}");
    update(&mut app, Msg::Act(Action::Help));
    let screen = render(&app, 100, 30);
    no_separator(&screen, "help");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("<U+2028>") && l.contains("save and quit")),
        "the key is shown: {screen}"
    );
    update(&mut app, Msg::Act(Action::Back));
    // The note in the editor: the text area draws the note as it is.
    update(&mut app, Msg::Act(Action::Open));
    update(&mut app, Msg::Act(Action::Open));
    assert!(matches!(app.mode, rectify::app::Mode::Editor(_)));
    no_separator(&render(&app, 100, 30), "editor");
}

/// Drawing returns where it put the tree; clicks go by that, so a click lands on the row
/// drawn under it, in the tree's last column too, and not on the line between the panes.
#[test]
fn clicks_go_by_the_layout_drawn() {
    let mut app = ledger(Lang::En, 100, 30);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut layout = app.layout;
    terminal
        .draw(|f| layout = rectify::ui::draw(f, &app))
        .unwrap();
    update(&mut app, Msg::Drawn(layout));
    assert_eq!(app.layout.tree, ratatui::layout::Rect::new(0, 1, 44, 28));
    update(&mut app, Msg::Click { col: 44, row: 3 });
    assert_eq!(app.selected_item(), None, "the line between the panes");
    update(&mut app, Msg::Click { col: 43, row: 3 });
    assert_eq!(app.selected_item(), Some("1.2"));
}

/// The ledger with problem 2.5 carried out as three measures: one resolved, one overdue.
fn with_measures(lang: Lang, width: u16, height: u16) -> App {
    let mut app = ledger(lang, width, height);
    let t = at("2026-11-22T09:00:00+08:00");
    let p = std::sync::Arc::make_mut(&mut app.progress);
    p.set_text("2.5.1", Field::Owner, "自治區高級人民法院", t)
        .unwrap();
    p.set_deadline("2.5.1", Some("2026-12-31".parse().unwrap()), t);
    p.mark("2.5.1", Status::Resolved, t).unwrap();
    let id = p
        .add_measure("2.5", "與公檢法建立財產刑執行協調機制，定期通報", t)
        .unwrap();
    p.set_text(&id, Field::Owner, "自治區公安廳", t).unwrap();
    p.set_partners(&id, &["自治區檢察院".into(), "司法廳".into()], t)
        .unwrap();
    p.set_deadline(&id, Some("2026-11-20".parse().unwrap()), t);
    p.add_note(&id, "協調會已召開", t).unwrap();
    p.add_measure("2.5", "開展專項清理", t).unwrap();
    app.touched();
    app
}

#[test]
fn measures_under_their_problem() {
    for lang in [Lang::ZhHant, Lang::En] {
        let mut app = with_measures(lang, 100, 30);
        select(&mut app, "2.5");
        insta::assert_snapshot!(
            format!("measures_2_5_{}_100x30", lang_name(lang)),
            render(&app, 100, 30)
        );
    }
    // Narrow: the tree with the measures, then a measure's detail.
    let mut app = with_measures(Lang::ZhHant, 60, 20);
    select(&mut app, "2.5");
    update(&mut app, Msg::Act(Action::Down));
    update(&mut app, Msg::Act(Action::Down));
    insta::assert_snapshot!("measures_tree_zh_hant_60x20", render(&app, 60, 20));
    update(&mut app, Msg::Act(Action::Open));
    insta::assert_snapshot!("measure_2_5_2_zh_hant_60x20", render(&app, 60, 20));
    // The area's detail counts its problems and measures.
    let mut app = with_measures(Lang::ZhHant, 100, 30);
    select(&mut app, "2.5");
    update(&mut app, Msg::Act(Action::Left));
    update(&mut app, Msg::Act(Action::Left));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("│ 問題 0/5 · 措施 1/3"), "{screen}");
}

/// Typed keys, one by one.
fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        update(
            app,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

#[test]
fn the_fields_form_wraps_a_long_value_to_show_it_whole() {
    let mut app = ledger(Lang::En, 60, 24);
    select(&mut app, "2.5");
    update(&mut app, Msg::Act(Action::AddMeasure));
    typed(
        &mut app,
        "建立健全大案要案台賬制度並每月對照檢查整改落實情況確保問題清零不反彈直至全部銷號為止終",
    );
    let s: String = render(&app, 60, 24)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // The start and the end of the text are both on screen, in the form's box.
    assert!(s.contains("建立健全") && s.contains("銷號為止終"), "{s}");
}

#[test]
fn a_note_dated_another_day_says_so() {
    let mut app = ledger(Lang::En, 100, 30);
    select(&mut app, "3.2");
    update(&mut app, Msg::Act(Action::NewNote));
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
    );
    for _ in 0..10 {
        update(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
        );
    }
    typed(&mut app, "2026-11-20");
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
    );
    typed(&mut app, "meeting");
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let s = render(&app, 100, 30);
    assert!(s.contains("happened on 2026-11-20"), "{s}");
}
