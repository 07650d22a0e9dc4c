//! The checks the fuzz targets (`fuzz/`) run on each input, kept in the library so that
//! `tests/fuzz_corpus.rs` replays the saved corpora and every crash found through the very
//! same code on stable Rust in CI. Each function panics when an invariant breaks; a parse
//! error is a correct answer to a bad file, not a failure.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use crate::app::{Action, App, KeyMap, Mode, Msg, update};
use crate::i18n::Lang;
use crate::model::{Checklist, Progress, Stamp};
use crate::store::{self, StoreError};

/// Where an error says the trouble is must be inside the text (or one past its end).
fn assert_position(bytes: &[u8], line: usize, col: usize, what: &str) {
    let text = String::from_utf8_lossy(bytes);
    let lines = text.split('\n').count();
    assert!(
        line >= 1 && line <= lines + 1,
        "{what}: line {line} outside 1..={}",
        lines + 1
    );
    assert!(col >= 1, "{what}: column {col}");
}

/// A progress file: read it; if it reads, writing it out and reading that back gives the
/// same ledger (so a save never turns a good file into one that cannot be opened).
pub fn progress_file(bytes: &[u8]) {
    let path = Path::new("fuzz.ron");
    if let Ok(text) = std::str::from_utf8(bytes) {
        // The quick read of the header agrees with ron's wherever both answer.
        if let Some(quick) = store::quick_header(text)
            && let Ok(full) = ron::Options::default().from_str::<store::Header>(text)
        {
            assert_eq!(
                (quick.version, quick.checklist),
                (full.version, full.checklist)
            );
        }
    }
    match store::parse_any(bytes, path) {
        Ok(p) => {
            let written = store::to_ron(&p);
            let back = store::parse_any(written.as_bytes(), path)
                .unwrap_or_else(|e| panic!("a saved ledger does not load: {e}\n{written}"));
            assert_eq!(back, p, "save then load changed the ledger");
            // Merging a ledger with itself loses no note and, once done, changes nothing more.
            // (It is not the identity: an entry whose id a hand edit repeated becomes one.)
            let (twice, _) = crate::model::merge::merge(&p, &p);
            let (thrice, _) = crate::model::merge::merge(&twice, &p);
            assert_eq!(thrice, twice, "merge with itself again");
            for (id, item) in &p.items {
                let kept = &twice.items[id];
                for n in &item.notes {
                    assert!(
                        kept.notes.iter().any(|k| k.id == n.id),
                        "note {} lost",
                        n.id
                    );
                }
            }
        }
        Err(StoreError::Parse {
            line, col, file, ..
        }) => {
            assert_eq!(file, path);
            assert_position(bytes, line, col, "progress error");
        }
        Err(e) => panic!("parsing bytes gave a non-parse error: {e}"),
    }
}

/// A checklist file: read it; if it reads, its ids are unique and every item is findable.
pub fn checklist_file(bytes: &[u8]) {
    match Checklist::parse_bytes(bytes, "fuzz.ron") {
        Ok(c) => {
            let ids = c.item_ids();
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), ids.len(), "duplicate item ids");
            for id in ids {
                assert!(c.find_item(id).is_some(), "item {id} not found");
            }
            // A ledger for it can be drawn at once.
            let p = Progress::new(&c.id);
            let app = App::new(c, p, Lang::En, stamp());
            draw(&app, 80, 24);
        }
        Err(e) => {
            assert_eq!(e.file, "fuzz.ron");
            assert_position(bytes, e.line, e.col, "checklist error");
        }
    }
}

/// A key map file: if it reads, every action keeps at least one key and no key does two
/// things.
pub fn keymap_file(bytes: &[u8]) {
    match KeyMap::parse(bytes, "keys.ron") {
        Ok(map) => {
            let mut seen = Vec::new();
            for (action, keys) in map.bindings() {
                assert!(!keys.is_empty(), "{action:?} has no key");
                for k in keys {
                    assert!(!seen.contains(k), "{k:?} bound twice");
                    seen.push(*k);
                }
            }
        }
        Err(e) => assert!(
            e.to_string().starts_with("keys.ron"),
            "error does not name the file: {e}"
        ),
    }
}

/// Strings that have broken editors and terminals: wide and combining characters, emoji
/// sequences, controls, bidi overrides, line breaks of every kind.
const PIECES: &[&str] = &[
    "整",
    "改",
    "，",
    "a",
    " ",
    "\t",
    "👨\u{200d}👩\u{200d}👧",
    "🇨🇳",
    "🇨",
    "e\u{301}",
    "\u{1b}[31m",
    "\u{9b}2J",
    "\u{202e}",
    "\r\n",
    "\r",
    "\u{85}",
    "\u{2028}",
    "\u{0}",
    "\u{7f}",
    "\u{fe0f}",
    "👍🏽",
    "ｶ",
    "𠀀",
];

fn stamp() -> Stamp {
    "2026-11-29T14:03:00+08:00".parse().expect("a valid stamp")
}

/// Draws the app and checks that no control character reached a cell: what the terminal
/// receives is only ever shown text.
fn draw(app: &App, width: u16, height: u16) {
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    draw_on(&mut t, app);
}

fn draw_on(t: &mut Terminal<TestBackend>, app: &App) {
    let (width, height) = (app.width.max(1), app.height.max(1));
    if t.size().expect("size") != ratatui::layout::Size::new(width, height) {
        t.resize(Rect::new(0, 0, width, height)).expect("resize");
    }
    let frame = t
        .draw(|f| {
            crate::ui::draw(f, app);
        })
        .expect("draw");
    for cell in frame.buffer.content() {
        let symbol = cell.symbol();
        assert!(
            !symbol.chars().any(crate::text::is_unsafe),
            "a control character reached the screen: {symbol:?}"
        );
        assert!(
            !symbol.chars().skip(1).any(crate::ui::is_emoji_joiner),
            "a sequence terminals draw at different widths reached the screen: {symbol:?}"
        );
    }
}

/// The note editor driven by bytes read as a sequence of operations: typing, pasting,
/// deleting, moving, resizing. After every step the text holds no control character, the
/// cursor is inside the text, and the screen draws; at the end Ctrl-S saves exactly the
/// text the editor showed.
pub fn editor_session(bytes: &[u8]) {
    // Parsed once: the fuzzer runs this function hundreds of thousands of times.
    static EMBEDDED: std::sync::OnceLock<Checklist> = std::sync::OnceLock::new();
    let c = EMBEDDED.get_or_init(Checklist::embedded).clone();
    let p = Progress::new(&c.id);
    let mut app = App::new(c, p, Lang::ZhHant, stamp());
    app.author = Some("fuzz".into());
    let _ = update(&mut app, Msg::Act(Action::Down));
    let item = app
        .selected_item()
        .expect("an item under the first area")
        .to_string();
    let _ = update(&mut app, Msg::Act(Action::NewNote));
    assert!(matches!(app.mode, Mode::Editor(_)), "n opens the editor");

    let mut screen = Terminal::new(TestBackend::new(app.width, app.height)).expect("test backend");
    let mut bytes = bytes.iter().copied();
    let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    while let Some(op) = bytes.next() {
        let arg = bytes.next().unwrap_or(0);
        let msg = match op % 16 {
            0..=3 => key(KeyCode::Char(
                PIECES[arg as usize % PIECES.len()]
                    .chars()
                    .next()
                    .unwrap_or('x'),
            )),
            4 => Msg::Paste(PIECES[arg as usize % PIECES.len()].repeat(1 + arg as usize / 64)),
            5 => {
                let hi = bytes.next().unwrap_or(0);
                match char::from_u32(u32::from(arg) | u32::from(hi) << 8) {
                    Some(ch) => key(KeyCode::Char(ch)),
                    None => continue,
                }
            }
            6 => key(KeyCode::Backspace),
            7 => key(KeyCode::Delete),
            8 => key([
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::PageUp,
                KeyCode::PageDown,
            ][arg as usize % 8]),
            9 => key(KeyCode::Enter),
            10 => Msg::Key(KeyEvent::new(
                KeyCode::Char((b'a' + arg % 26) as char),
                KeyModifiers::CONTROL,
            )),
            11 => Msg::Key(KeyEvent::new(
                KeyCode::Char((b'a' + arg % 26) as char),
                KeyModifiers::ALT,
            )),
            12 => Msg::Resize {
                width: 1 + u16::from(arg % 160),
                height: 1 + u16::from(arg / 4 % 50),
            },
            13 => Msg::Paste(
                String::from_utf8_lossy(
                    &bytes.by_ref().take(arg as usize % 32).collect::<Vec<u8>>(),
                )
                .into_owned(),
            ),
            14 => key(KeyCode::Tab),
            _ => Msg::Click {
                col: u16::from(arg),
                row: u16::from(arg / 8),
            },
        };
        // Ctrl-S saves and Ctrl-C would quit: the session's end is checked below.
        if let Msg::Key(k) = &msg
            && k.modifiers == KeyModifiers::CONTROL
            && matches!(k.code, KeyCode::Char('s' | 'c'))
        {
            continue;
        }
        let _ = update(&mut app, msg);
        let Mode::Editor(ed) = &app.mode else {
            panic!("left the editor without Esc or Ctrl-S: {:?}", app.mode);
        };
        let text = ed.text() + &ed.date.lines().join("\n");
        assert!(
            !text.chars().any(crate::text::is_unsafe),
            "a control character entered the note: {text:?}"
        );
        let cursor = ed.textarea.cursor();
        let (row, col) = (cursor.0, cursor.1);
        let lines = ed.textarea.lines();
        assert!(row < lines.len(), "cursor row {row} of {}", lines.len());
        assert!(
            col <= lines[row].chars().count(),
            "cursor column {col} past the line"
        );
        draw_on(&mut screen, &app);
    }

    let Mode::Editor(ed) = &app.mode else {
        unreachable!("checked in the loop")
    };
    let typed = ed.text();
    // Tab moves to the event date: what was typed there may be no date.
    let dated = ed.event_date().is_some();
    let notes_before = app.progress.item(&item).map_or(0, |i| i.notes.len());
    let _ = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let notes = app.progress.item(&item).map_or(&[][..], |i| &i.notes[..]);
    if !dated {
        assert_eq!(notes.len(), notes_before, "saved with a bad date");
        assert!(
            matches!(app.mode, Mode::Editor(_)),
            "a bad date keeps the editor open"
        );
    } else if typed.trim().is_empty() {
        assert_eq!(notes.len(), notes_before, "a blank note was saved");
    } else {
        assert_eq!(notes.len(), notes_before + 1, "the note was not saved");
        assert_eq!(
            notes.last().map(|n| n.text.as_str()),
            Some(typed.trim_end())
        );
    }
    draw_on(&mut screen, &app);
}
