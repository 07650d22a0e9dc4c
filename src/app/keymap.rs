//! The one table from keys to actions. The event loop reads it to turn key presses into
//! actions, and the help screen and status bar read it to tell the user the keys.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::Deserialize;

use crate::i18n::Lang;

/// A key map file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyMapError {
    #[error("{name}: cannot read the key map: {source}")]
    Read {
        name: String,
        source: std::io::Error,
    },
    /// `file:line:column`, and what is wrong there.
    #[error("{at}: {message}")]
    At { at: String, message: String },
}

/// A name in the key map that is no key.
#[derive(Debug, thiserror::Error)]
#[error("unknown key {0:?} (try j, G, ctrl-r, space, enter, esc, tab, up, pgdn, f1)")]
pub struct UnknownKey(pub String);

/// Everything the user can ask for in the ledger view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    PageUp,
    PageDown,
    ToggleResolved,
    ChooseStatus,
    NewNote,
    Open,
    EditFields,
    AddMeasure,
    DeleteMeasure,
    DeleteNote,
    Search,
    Filter,
    Summary,
    Export,
    Undo,
    Redo,
    Language,
    Help,
    Mouse,
    Back,
    Quit,
}

impl Action {
    pub const ALL: [Action; 27] = [
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::ToggleResolved,
        Action::ChooseStatus,
        Action::NewNote,
        Action::Open,
        Action::EditFields,
        Action::AddMeasure,
        Action::DeleteMeasure,
        Action::DeleteNote,
        Action::Search,
        Action::Filter,
        Action::Summary,
        Action::Export,
        Action::Undo,
        Action::Redo,
        Action::Language,
        Action::Help,
        Action::Mouse,
        Action::Back,
        Action::Quit,
    ];

    /// The name used in the key map file.
    pub fn name(self) -> &'static str {
        self.words().0
    }

    /// Its name in the key map file, and what it does for the help screen: (name, en,
    /// zh-Hant, zh-Hans).
    fn words(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Action::Up => ("up", "move up", "上移", "上移"),
            Action::Down => ("down", "move down", "下移", "下移"),
            Action::Left => (
                "left",
                "collapse / go to area",
                "收起／回到方面",
                "收起／回到方面",
            ),
            Action::Right => ("right", "expand", "展開", "展开"),
            Action::Top => ("top", "first row", "第一行", "第一行"),
            Action::Bottom => ("bottom", "last row", "最後一行", "最后一行"),
            Action::PageUp => ("page-up", "page up", "上一頁", "上一页"),
            Action::PageDown => ("page-down", "page down", "下一頁", "下一页"),
            Action::ToggleResolved => (
                "toggle-resolved",
                "toggle resolved",
                "切換已完成",
                "切换已完成",
            ),
            Action::ChooseStatus => ("choose-status", "choose status", "選擇狀態", "选择状态"),
            Action::NewNote => ("new-note", "new note", "新增進展", "新增进展"),
            Action::Open => (
                "open",
                "open / edit note",
                "打開／編輯進展",
                "打开／编辑进展",
            ),
            Action::EditFields => ("edit-fields", "edit fields", "編輯台賬欄位", "编辑台账栏位"),
            Action::AddMeasure => ("add-measure", "add a measure", "新增措施", "新增措施"),
            Action::DeleteMeasure => ("delete-measure", "delete measure", "刪除措施", "删除措施"),
            Action::DeleteNote => ("delete-note", "delete note", "刪除進展", "删除进展"),
            Action::Search => ("search", "search", "搜尋", "搜索"),
            Action::Filter => (
                "filter",
                "filter: all/open/overdue",
                "篩選：全部／未完成／逾期",
                "筛选：全部／未完成／逾期",
            ),
            Action::Summary => ("summary", "summary", "總覽", "总览"),
            Action::Export => ("export", "export", "匯出", "导出"),
            Action::Undo => ("undo", "undo", "復原", "撤销"),
            Action::Redo => ("redo", "redo", "重做", "重做"),
            Action::Language => ("language", "language", "語言", "语言"),
            Action::Help => ("help", "help", "說明", "帮助"),
            Action::Mouse => (
                "mouse",
                "mouse on/off (off: select text)",
                "滑鼠開／關（關：可選取文字）",
                "鼠标开／关（关：可选取文字）",
            ),
            Action::Back => ("back", "back", "返回", "返回"),
            Action::Quit => ("quit", "save and quit", "儲存並離開", "保存并退出"),
        }
    }

    pub fn describe(self, lang: Lang) -> &'static str {
        let (_, en, hant, hans) = self.words();
        lang.pick([en, hant, hans])
    }
}

/// One key with its modifiers, as written in the key map file: `j`, `G`, `ctrl-r`, `pgdn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    const fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    /// The key of an event, with Shift folded into the character (so `G` is `G`).
    pub fn from_event(e: &KeyEvent) -> Key {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if let KeyCode::Char(_) = e.code {
            mods.remove(KeyModifiers::SHIFT);
        }
        if e.code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key::new(e.code, mods)
    }

    pub fn parse(s: &str) -> Result<Key, UnknownKey> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower
                .strip_prefix("ctrl-")
                .or_else(|| lower.strip_prefix("c-"))
            {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("alt-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => match rest
                        .strip_prefix(['f', 'F'])
                        .and_then(|n| n.parse::<u8>().ok())
                    {
                        Some(n) if (1..=12).contains(&n) => KeyCode::F(n),
                        _ => {
                            return Err(UnknownKey(s.to_string()));
                        }
                    },
                }
            }
        };
        Ok(Key::new(code, mods))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The defaults, in the order the help screen lists them.
const DEFAULTS: &[(Action, &[&str])] = &[
    (Action::Up, &["up", "k"]),
    (Action::Down, &["down", "j"]),
    (Action::Left, &["left", "h"]),
    (Action::Right, &["right", "l"]),
    (Action::Top, &["g", "home"]),
    (Action::Bottom, &["G", "end"]),
    (Action::PageUp, &["pgup"]),
    (Action::PageDown, &["pgdn"]),
    (Action::ToggleResolved, &["space"]),
    (Action::ChooseStatus, &["s"]),
    (Action::NewNote, &["n"]),
    (Action::Open, &["enter"]),
    (Action::EditFields, &["e"]),
    (Action::AddMeasure, &["a"]),
    (Action::DeleteMeasure, &["D"]),
    (Action::DeleteNote, &["d"]),
    (Action::Search, &["/"]),
    (Action::Filter, &["f"]),
    (Action::Summary, &["tab"]),
    (Action::Export, &["x"]),
    (Action::Undo, &["u"]),
    (Action::Redo, &["ctrl-r"]),
    (Action::Language, &["L"]),
    (Action::Help, &["?", "f1"]),
    (Action::Mouse, &["M"]),
    (Action::Back, &["esc"]),
    (Action::Quit, &["q", "ctrl-c"]),
];

/// Keys for every action; a user file may replace any action's keys.
#[derive(Clone, Debug)]
pub struct KeyMap {
    bindings: Vec<(Action, Vec<Key>)>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        KeyMap {
            bindings: DEFAULTS
                .iter()
                .map(|(a, keys)| {
                    (
                        *a,
                        keys.iter()
                            .map(|k| Key::parse(k).expect("default keys parse"))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

impl KeyMap {
    /// The action of a key press in the ledger view. Releases and repeats of a release are
    /// ignored (some terminals report both).
    pub fn action(&self, e: &KeyEvent) -> Option<Action> {
        if e.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::from_event(e);
        self.bindings
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| *a)
            // Ctrl-C always leaves (saving), even when a key map gives quit other keys.
            .or((key == Key::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
                .then_some(Action::Quit))
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[], |(_, k)| k.as_slice())
    }

    /// "↑/k" — every key of an action, for help and hints.
    pub fn label(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(Key::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }

    pub fn bindings(&self) -> impl Iterator<Item = (Action, &[Key])> {
        self.bindings.iter().map(|(a, k)| (*a, k.as_slice()))
    }

    /// Reads overrides from a RON map of action names to key lists:
    /// `{ "quit": ["q"], "new-note": ["N", "n"] }`. Errors name the file, line and column.
    pub fn load(path: &Path) -> Result<KeyMap, KeyMapError> {
        let name = path.display().to_string();
        // Only a regular file: a FIFO put there would wait for a writer forever.
        let bytes = match crate::store::read_regular(path) {
            Ok(bytes) => bytes,
            Err(source) => return Err(KeyMapError::Read { name, source }),
        };
        KeyMap::parse(&bytes, &name)
    }

    /// Parses a key map file's bytes; `name` is used in errors.
    pub fn parse(bytes: &[u8], name: &str) -> Result<KeyMap, KeyMapError> {
        let err = |at: String, message: String| KeyMapError::At { at, message };
        let text = crate::text::decode_file(bytes)
            .map_err(|e| err(format!("{name}:{}:{}", e.line, e.col), e.message))?;
        /// A map in which an action named twice is an error, not "the last one wins".
        #[derive(Deserialize)]
        #[serde(transparent)]
        struct Raw(
            #[serde(deserialize_with = "crate::model::unique_map::deserialize")]
            BTreeMap<String, Vec<String>>,
        );
        let Raw(raw) =
            ron::Options::default()
                .from_str(text)
                .map_err(|e: ron::error::SpannedError| {
                    let at = e.span.start;
                    err(format!("{name}:{}:{}", at.line, at.col), e.code.to_string())
                })?;
        let mut map = KeyMap::default();
        let at = |needle: &str| {
            let (l, c) = text
                .find(needle)
                .map_or((1, 1), |o| crate::text::line_col(text, o));
            format!("{name}:{l}:{c}")
        };
        for (action_name, keys) in raw {
            let Some(action) = Action::ALL
                .iter()
                .copied()
                .find(|a| a.name() == action_name)
            else {
                let valid: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                return Err(err(
                    at(&format!("{action_name:?}")),
                    format!(
                        "unknown action {action_name:?}; valid: {}",
                        valid.join(", ")
                    ),
                ));
            };
            let parsed = keys
                .iter()
                .map(|k| Key::parse(k).map_err(|e| err(at(&format!("{k:?}")), e.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            // A key named twice for one action is shown once (found by fuzzing: the help
            // screen listed `j/^/j`).
            let mut unique = Vec::with_capacity(parsed.len());
            for k in parsed {
                if !unique.contains(&k) {
                    unique.push(k);
                }
            }
            let parsed = unique;
            if parsed.is_empty() {
                return Err(err(
                    at(&format!("{action_name:?}")),
                    format!("{action_name:?} has no keys"),
                ));
            }
            let slot = map
                .bindings
                .iter_mut()
                .find(|(a, _)| *a == action)
                .expect("every action has a slot");
            slot.1 = parsed;
        }
        // A key bound to two actions would make one of them unreachable.
        let mut seen: BTreeMap<String, Action> = BTreeMap::new();
        for (action, keys) in &map.bindings {
            for k in keys {
                if let Some(other) = seen.insert(k.to_string(), *action)
                    && other != *action
                {
                    return Err(err(
                        at(&format!("\"{}\"", action.name())),
                        format!(
                            "key {k} is bound to both {:?} and {:?}",
                            other.name(),
                            action.name()
                        ),
                    ));
                }
            }
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn default_keys_map_to_actions() {
        let m = KeyMap::default();
        assert_eq!(
            m.action(&press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            m.action(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            m.action(&press(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Redo)
        );
        assert_eq!(
            m.action(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            m.action(&press(KeyCode::Char('r'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(m.label(Action::Up), "↑/k");
        assert_eq!(m.label(Action::Redo), "Ctrl-r");
        assert!(
            Action::ALL.iter().all(|a| !m.keys(*a).is_empty()),
            "every action has a key"
        );
    }

    #[test]
    fn a_user_key_map_overrides_and_is_validated() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("keys.ron");
        std::fs::write(&p, "{\n  \"quit\": [\"Q\"],\n  \"new-note\": [\"A\"],\n}").unwrap();
        let m = KeyMap::load(&p).unwrap();
        assert_eq!(
            m.action(&press(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Action::Quit)
        );
        assert_eq!(
            m.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            m.action(&press(KeyCode::Char('A'), KeyModifiers::SHIFT)),
            Some(Action::NewNote)
        );

        std::fs::write(&p, "{\n  \"qiut\": [\"Q\"],\n}").unwrap();
        let e = KeyMap::load(&p).unwrap_err().to_string();
        assert!(
            e.contains(":2:3: unknown action \"qiut\"; valid: up, down"),
            "{e}"
        );
        std::fs::write(&p, "{\n  \"quit\": [\"hyper-x\"],\n}").unwrap();
        let e = KeyMap::load(&p).unwrap_err().to_string();
        assert!(e.contains(":2:12: unknown key \"hyper-x\""), "{e}");
        std::fs::write(&p, "{\"quit\": [\"j\"]}").unwrap();
        let e = KeyMap::load(&p).unwrap_err().to_string();
        assert!(e.contains("bound to both"), "{e}");
        std::fs::write(&p, "{\n  \"quit\": [\"Q\"],\n  \"quit\": [\"X\"],\n}").unwrap();
        let e = KeyMap::load(&p).unwrap_err().to_string();
        assert!(e.contains("duplicate key \"quit\""), "{e}");
        std::fs::write(&p, "{\"quit\": [\"Q\", \"Q\"]}").unwrap();
        assert!(
            KeyMap::load(&p).is_ok(),
            "the same key twice for one action is harmless"
        );
        std::fs::write(&p, "{\"quit\": [\"j\"").unwrap();
        let e = KeyMap::load(&p).unwrap_err().to_string();
        assert!(e.contains(":1:"), "{e}");
    }

    /// A FIFO as `keys.ron` is refused at once, not waited on for ever.
    #[test]
    fn a_fifo_as_the_key_map_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.ron");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.unwrap().success());
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        std::thread::spawn(move || tx.send(KeyMap::load(&p).map(drop)));
        let err = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("reading a FIFO hung")
            .unwrap_err()
            .to_string();
        assert!(err.contains("keys.ron") && err.contains("FIFO"), "{err}");
    }
}
