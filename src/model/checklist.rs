//! A checklist: areas of problems, each text in up to three languages.
//!
//! The embedded default (the 22 problems of the report) and a user's own checklist share this
//! format, so loading validates everything a hand-written file can get wrong.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The checklist compiled into the binary.
pub const EMBEDDED: &str = include_str!("../../assets/inner-mongolia-sg15.ron");
/// The same, converted to JSON by `build.rs`: read at every start, so read fast.
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/inner-mongolia-sg15.json"));
/// How the embedded checklist is named in messages in place of a path.
pub const EMBEDDED_NAME: &str = "<embedded>/inner-mongolia-sg15.ron";

/// The checklist format version this build reads.
pub const FORMAT: u32 = 1;

/// One text in several languages; a missing language falls back to another.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(
    #[serde(deserialize_with = "super::unique_map::deserialize")] pub BTreeMap<String, String>,
);

impl Text {
    /// The text in `lang`, else in the first language of [`Lang::ALL`] that has one.
    pub fn get(&self, lang: Lang) -> &str {
        // Blank is all white space: asked from the front, a text is seen not to be blank at
        // its first character, where trimming it walked both ends of every problem's text.
        let pick = |l: Lang| {
            self.0
                .get(l.tag())
                .filter(|s| !s.chars().all(char::is_whitespace))
        };
        pick(lang)
            .or_else(|| Lang::ALL.into_iter().find_map(pick))
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn is_blank(&self) -> bool {
        self.0.values().all(|s| s.trim().is_empty())
    }

    /// Every language's text, for searching.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.0.values().map(String::as_str)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(default)]
    pub title: Text,
    #[serde(default)]
    pub outlet: Text,
    #[serde(default)]
    pub issuer: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: String,
    pub title: Text,
    /// What the report asks to be done about this area: shown as guidance.
    #[serde(default)]
    pub requirements: Text,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    #[serde(default = "default_format")]
    pub format: u32,
    /// Names the progress file, so it must be usable as a file name.
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub source: Option<Source>,
    pub areas: Vec<Area>,
}

fn default_format() -> u32 {
    FORMAT
}

/// Why a checklist could not be used: always names the file, and a line and column when one
/// can be pointed at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct ChecklistError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Checklist {
    /// The report's 22 problems. The asset is checked by the tests, so this cannot fail.
    pub fn embedded() -> Checklist {
        // The tests check this is the checklist the RON gives, and that it is valid.
        serde_json::from_str(EMBEDDED_JSON).expect("the embedded checklist is valid")
    }

    /// Decodes (UTF-8, BOM, NUL checks) and parses a checklist file's bytes.
    pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Checklist, ChecklistError> {
        let text = crate::text::decode_file(bytes).map_err(|e| ChecklistError {
            file: name.to_string(),
            line: e.line,
            col: e.col,
            message: e.message,
        })?;
        Checklist::parse(text, name)
    }

    /// Parses and validates checklist text; `name` is used in errors.
    pub fn parse(src: &str, name: &str) -> Result<Checklist, ChecklistError> {
        let err = |line, col, message: String| ChecklistError {
            file: name.to_string(),
            line,
            col,
            message,
        };
        let checklist: Checklist = crate::text::ron_options()
            .from_str(src)
            .map_err(|e| err(e.span.start.line, e.span.start.col, e.code.to_string()))?;
        if checklist.format > FORMAT {
            let (line, col) = locate(src, "format");
            return Err(err(
                line,
                col,
                format!(
                    "this checklist is format {}, newer than this rectify reads ({FORMAT}); update rectify",
                    checklist.format
                ),
            ));
        }
        checklist.validate().map_err(|(needle, message)| {
            let (line, col) = locate(src, &needle);
            err(line, col, message)
        })?;
        Ok(checklist)
    }

    /// Checks what serde cannot: ids, blank texts, language tags. On failure gives a string to
    /// look for in the source (to point at a line) and the message.
    fn validate(&self) -> Result<(), (String, String)> {
        let quoted = |s: &str| format!("{s:?}");
        if !is_file_safe_id(&self.id) {
            return Err((
                quoted(&self.id),
                format!(
                    "checklist id {:?} must be 1-64 letters, digits, '.', '_' or '-' (it names the progress file)",
                    crate::text::visible(&self.id)
                ),
            ));
        }
        check_text(&self.title, &|| "the checklist title".into(), &|| {
            "title".into()
        })?;
        if let Some(source) = &self.source {
            for t in [&source.title, &source.outlet, &source.issuer] {
                check_langs(t, &|| "source".into())?;
            }
        }
        if self.areas.is_empty() {
            return Err(("areas".into(), "the checklist has no areas".into()));
        }
        // The texts of an error are made only for an error: making them for every item was
        // a third of reading a checklist of 10,000.
        let mut seen = HashSet::new();
        for area in &self.areas {
            check_id(&area.id, &mut seen)?;
            let needle = || quoted(&area.id);
            check_text(&area.title, &|| format!("area {}", area.id), &needle)?;
            check_langs(&area.requirements, &needle)?;
            if area.items.is_empty() {
                return Err((needle(), format!("area {} has no items", area.id)));
            }
            for item in &area.items {
                check_id(&item.id, &mut seen)?;
                check_text(&item.text, &|| format!("item {}", item.id), &|| {
                    quoted(&item.id)
                })?;
            }
        }
        // `2.5.1` names measure 1 of item 2.5: no item may be called that.
        let items: HashSet<&str> = self.items().map(|(_, i)| i.id.as_str()).collect();
        for (_, item) in self.items() {
            if let Some((parent, n)) = super::measure::split_id(&item.id)
                && items.contains(parent)
            {
                return Err((
                    quoted(&item.id),
                    format!(
                        "item id {:?} reads as measure {n} of item {parent}; give it another id",
                        item.id
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn items(&self) -> impl Iterator<Item = (&Area, &Item)> {
        self.areas
            .iter()
            .flat_map(|a| a.items.iter().map(move |i| (a, i)))
    }

    pub fn item_count(&self) -> usize {
        self.areas.iter().map(|a| a.items.len()).sum()
    }

    pub fn find_item(&self, id: &str) -> Option<(&Area, &Item)> {
        self.items().find(|(_, i)| i.id == id)
    }

    pub fn find_area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// Every item id, for "valid ids are ..." messages.
    pub fn item_ids(&self) -> Vec<&str> {
        self.items().map(|(_, i)| i.id.as_str()).collect()
    }
}

/// Where the checklist comes from: compiled in, or a file the user named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChecklistSource {
    Embedded,
    File(PathBuf),
}

fn is_file_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn check_id<'a>(id: &'a str, seen: &mut HashSet<&'a str>) -> Result<(), (String, String)> {
    let quoted = || format!("{id:?}");
    let shown = || crate::text::visible(id);
    if id.trim().is_empty()
        || id
            .chars()
            .any(|c| c.is_whitespace() || crate::text::is_unsafe(c))
    {
        return Err((
            quoted(),
            format!(
                "id {:?} must be non-empty, without spaces or control characters",
                shown()
            ),
        ));
    }
    if !seen.insert(id) {
        return Err((
            format!("__second__{}", quoted()),
            format!(
                "duplicate id {:?}: every area and item needs its own id",
                shown()
            ),
        ));
    }
    Ok(())
}

/// `needle` makes the text to look for in the source, when there is an error.
fn check_langs(text: &Text, needle: &dyn Fn() -> String) -> Result<(), (String, String)> {
    for key in text.0.keys() {
        if Lang::ALL.iter().all(|l| l.tag() != key) {
            return Err((
                format!("{key:?}"),
                format!(
                    "unknown language {:?} near {}; use \"zh-Hant\", \"zh-Hans\" or \"en\"",
                    crate::text::visible(key),
                    crate::text::visible(&needle())
                ),
            ));
        }
    }
    Ok(())
}

fn check_text(
    text: &Text,
    what: &dyn Fn() -> String,
    needle: &dyn Fn() -> String,
) -> Result<(), (String, String)> {
    check_langs(text, needle)?;
    if text.is_blank() {
        return Err((
            needle(),
            format!(
                "{} is empty: give it a text in at least one language",
                what()
            ),
        ));
    }
    Ok(())
}

/// The 1-based line and column (in characters) of `needle` in `src`, or 1:1. A needle
/// prefixed `__second__` finds the second occurrence (a duplicate).
fn locate(src: &str, needle: &str) -> (usize, usize) {
    let (needle, skip) = match needle.strip_prefix("__second__") {
        Some(n) => (n, 1),
        None => (needle, 0),
    };
    let Some((offset, _)) = src.match_indices(needle).nth(skip) else {
        return (1, 1);
    };
    crate::text::line_col(src, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
Checklist(
    id: "small",
    title: {"en": "Small"},
    areas: [
        Area(id: "1", title: {"en": "First"}, items: [
            Item(id: "1.1", text: {"en": "one", "zh-Hant": "一"}),
        ]),
    ],
)
"#;

    #[test]
    fn a_minimal_checklist_loads_and_falls_back_between_languages() {
        let c = Checklist::parse(SMALL, "small.ron").unwrap();
        let (_, item) = c.find_item("1.1").unwrap();
        assert_eq!(item.text.get(Lang::En), "one");
        assert_eq!(item.text.get(Lang::ZhHant), "一");
        // zh-Hans is missing: the first available language in fallback order is zh-Hant.
        assert_eq!(item.text.get(Lang::ZhHans), "一");
        assert_eq!(c.areas[0].title.get(Lang::ZhHans), "First");
    }

    fn error(src: &str) -> ChecklistError {
        Checklist::parse(src, "bad.ron").unwrap_err()
    }

    #[test]
    fn an_item_id_that_reads_as_a_measure_is_refused() {
        let src = r#"Checklist(format: 1, id: "t", title: {"en": "T"}, areas: [
            Area(id: "1", title: {"en": "A"}, requirements: {}, items: [
                Item(id: "1.1", text: {"en": "x"}),
                Item(id: "1.1.2", text: {"en": "y"}),
            ]),
        ])"#;
        let e = Checklist::parse(src, "c.ron").unwrap_err();
        assert!(e.message.contains("reads as measure 2 of item 1.1"), "{e}");
        assert_eq!(e.line, 4, "{e}");
        // Nested ids without such a parent are fine.
        assert!(Checklist::parse(&src.replace("\"1.1.2\"", "\"1.2.2\""), "c.ron").is_ok());
    }

    #[test]
    fn duplicate_ids_are_refused_pointing_at_the_second() {
        let src = SMALL.replace(
            r#"Item(id: "1.1", text: {"en": "one", "zh-Hant": "一"}),"#,
            "Item(id: \"1.1\", text: {\"en\": \"one\"}),\n            Item(id: \"1.1\", text: {\"en\": \"two\"}),",
        );
        let e = error(&src);
        assert!(e.message.contains("duplicate id \"1.1\""), "{e}");
        assert_eq!((e.line, e.col), (8, 22), "{e}");
        assert!(e.to_string().starts_with("bad.ron:8:22: "));
    }

    #[test]
    fn empty_titles_and_unknown_languages_are_refused() {
        let e = error(&SMALL.replace(r#"{"en": "First"}"#, r#"{"en": "  "}"#));
        assert!(e.message.contains("area 1 is empty"), "{e}");
        let e = error(&SMALL.replace(r#""zh-Hant": "一""#, r#""zh-hant": "一""#));
        assert!(e.message.contains("unknown language \"zh-hant\""), "{e}");
        assert_eq!(e.line, 7);
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e = error(&SMALL.replace(r#"Item(id: "1.1""#, r#"Item(id: 1.1"#));
        assert_eq!(e.line, 7, "{e}");
        assert!(e.col > 1, "{e}");
        let e = error(&SMALL[..SMALL.len() / 2]);
        assert!(e.line > 1, "a truncated file points past its start: {e}");
    }

    #[test]
    fn misspelt_fields_are_refused_not_ignored() {
        let e = error(&SMALL.replace("items: [", "requirement: {\"en\": \"x\"}, items: ["));
        assert!(e.message.contains("requirement"), "{e}");
        assert_eq!(e.line, 6, "{e}");
    }

    #[test]
    fn ids_with_bidi_controls_are_refused_and_shown_safely() {
        let e = error(&SMALL.replace("\"1.1\"", "\"1.\u{202e}1\""));
        assert!(
            e.message.contains("<U+202E>") && !e.message.contains('\u{202e}'),
            "{e}"
        );
    }

    #[test]
    fn ids_that_cannot_name_a_file_are_refused() {
        let e = error(&SMALL.replace(r#"id: "small""#, r#"id: "../x""#));
        assert!(e.message.contains("checklist id"), "{e}");
    }

    #[test]
    fn a_newer_format_is_refused() {
        let e = error(&SMALL.replace("Checklist(", "Checklist(\n    format: 9,"));
        assert!(e.message.contains("newer"), "{e}");
    }
}
