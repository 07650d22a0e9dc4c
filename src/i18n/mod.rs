//! The three languages of the ledger and the fixed strings of the interface.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod en;
pub mod sharing;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

/// A language the checklist and the interface can be shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "zh-Hant")]
    ZhHant,
    #[serde(rename = "zh-Hans")]
    ZhHans,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Every language, in the order a missing text falls back through: the report is
    /// Traditional Chinese, so that comes first.
    pub const ALL: [Lang; 3] = [Lang::ZhHant, Lang::ZhHans, Lang::En];

    /// What follows a label in running text: "Status: open", "狀態：未整改".
    pub fn colon(self) -> &'static str {
        if self == Lang::En { ": " } else { "：" }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHant => "zh-Hant",
            Lang::ZhHans => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// The language for a POSIX or BCP 47 locale name such as `zh_TW.UTF-8` or `zh-Hant-HK`.
    /// Traditional for Taiwan, Hong Kong and Macau, Simplified for the rest of Chinese,
    /// English for anything else.
    pub fn from_locale(locale: &str) -> Lang {
        let base = locale.split(['.', '@']).next().unwrap_or("");
        let parts: Vec<String> = base
            .split(['-', '_'])
            .map(|p| p.to_ascii_lowercase())
            .collect();
        if parts.first().map(String::as_str) != Some("zh") {
            return Lang::En;
        }
        let has = |s: &str| parts.iter().skip(1).any(|p| p == s);
        if has("hant") {
            Lang::ZhHant
        } else if has("hans") {
            Lang::ZhHans
        } else if has("tw") || has("hk") || has("mo") {
            Lang::ZhHant
        } else {
            Lang::ZhHans
        }
    }

    /// The language of the user's locale, English when it cannot be read.
    pub fn from_system() -> Lang {
        sys_locale::get_locale()
            .map(|l| Lang::from_locale(&l))
            .unwrap_or(Lang::En)
    }

    /// The language the language key switches to: 繁 → 简 → en → 繁.
    pub fn next(self) -> Lang {
        match self {
            Lang::ZhHant => Lang::ZhHans,
            Lang::ZhHans => Lang::En,
            Lang::En => Lang::ZhHant,
        }
    }

    /// This language's entry of a row of a table written `[en, zh-Hant, zh-Hans]`.
    pub fn pick<T>(self, [en, zh_hant, zh_hans]: [T; 3]) -> T {
        match self {
            Lang::En => en,
            Lang::ZhHant => zh_hant,
            Lang::ZhHans => zh_hans,
        }
    }

    /// `text` with `note` in brackets after it: "open (overdue)", "正在整改（逾期）".
    pub fn aside(self, text: &str, note: &str) -> String {
        match self {
            Lang::En => format!("{text} ({note})"),
            Lang::ZhHant | Lang::ZhHans => format!("{text}（{note}）"),
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::ZhHant => &ZH_HANT,
            Lang::ZhHans => &ZH_HANS,
            Lang::En => &EN,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language tag rectify does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown language {0:?}; use zh-Hant, zh-Hans or en")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownLang(s.to_string()))
    }
}

/// The fixed words of the interface in one language. A struct rather than a lookup table so
/// that a missing translation is a compile error.
#[derive(Debug)]
pub struct Strings {
    pub status_open: &'static str,
    pub status_in_progress: &'static str,
    pub status_resolved: &'static str,
    pub status_verified: &'static str,
    pub area: &'static str,
    pub problem: &'static str,
    pub status: &'static str,
    pub owner: &'static str,
    pub person: &'static str,
    pub deadline: &'static str,
    pub measures: &'static str,
    /// One measure (整改措施), as a count's noun and a form's title.
    pub measure: &'static str,
    pub goal: &'static str,
    pub partners: &'static str,
    pub leader: &'static str,
    pub requirements: &'static str,
    pub notes: &'static str,
    pub history: &'static str,
    pub latest_notes: &'static str,
    pub earlier_notes: &'static str,
    pub overdue: &'static str,
    pub done: &'static str,
    pub progress: &'static str,
    pub deadline_immediate: &'static str,
    pub deadline_long_term: &'static str,
    /// A deadline's date: {Y} the year, {M} {D} month and day, {MM} {DD} with a leading zero.
    pub deadline_date: &'static str,
    pub none: &'static str,
    pub edited: &'static str,
    /// After a time later than now (a writer's clock ran ahead).
    pub future_date: &'static str,
    /// The note open in the editor was deleted by another program.
    pub note_deleted_elsewhere: &'static str,
    /// An edit saved after its note was deleted by another program.
    pub note_saved_as_new: &'static str,
    pub source: &'static str,
    pub report_title: &'static str,
    pub by_area: &'static str,
    pub no_notes: &'static str,
    /// The rest of a long note, not shown in the pane: `{}` is a number of characters.
    pub more_chars: &'static str,
    pub saved: &'static str,
    pub unsaved: &'static str,
    pub save_failed: &'static str,
    pub read_only: &'static str,
    pub filter_all: &'static str,
    pub filter_open: &'static str,
    pub filter_overdue: &'static str,
    pub filter: &'static str,
    pub help_title: &'static str,
    pub summary_title: &'static str,
    pub as_of: &'static str,
    pub too_small: &'static str,
    /// Shown while a large ledger is read, after the checklist is already on screen.
    pub reading: &'static str,
    pub new_note: &'static str,
    pub edit_note: &'static str,
    pub editor_hint: &'static str,
    pub fields_title: &'static str,
    pub fields_hint: &'static str,
    pub deadline_hint: &'static str,
    pub choose_status: &'static str,
    pub export_title: &'static str,
    pub delete_confirm: &'static str,
    pub search_prompt: &'static str,
    pub draft: &'static str,
    pub counts_by_status: &'static str,
    pub overdue_list: &'static str,
    pub none_overdue: &'static str,
    pub exported: &'static str,
    pub writable: &'static str,
    /// The ledger is shown read-only for a reason other than another window: `{}` is the
    /// reason (an error opening its `.open` file).
    pub read_only_because: &'static str,
    /// Shown read-only because the file's owner may not write it (`chmod 400`).
    pub read_only_file: &'static str,
    /// Shown read-only because its folder may not be written.
    pub read_only_folder: &'static str,
    /// It could not be written, and now can.
    pub writable_now: &'static str,
    pub nothing_to_undo: &'static str,
    pub nothing_to_redo: &'static str,
    pub mouse_on: &'static str,
    pub mouse_off: &'static str,
    pub no_rows: &'static str,
    pub more_below: &'static str,
    pub leave_confirm: &'static str,
    pub hint_picker: &'static str,
    pub hint_notes: &'static str,
    pub hint_help: &'static str,
    pub hint_summary: &'static str,
    pub col_no: &'static str,
    pub last_change: &'static str,
    pub period_title: &'static str,
    pub period_range: &'static str,
    pub status_changes: &'static str,
    pub new_notes: &'static str,
    pub nothing_changed: &'static str,
    pub open_items: &'static str,
    pub summary_sheet: &'static str,
    pub ledger_sheet: &'static str,
    /// Ends a spreadsheet cell cut to the 32,767 characters a cell can hold.
    pub cell_cut: &'static str,
    pub completion: &'static str,
    pub total: &'static str,
    /// A note's editor was left without saving.
    pub edit_discarded: &'static str,
    /// A note's editor was left with its text kept as a draft.
    pub draft_kept: &'static str,
    /// Shown read-only because another rectify has the ledger open.
    pub read_only_elsewhere: &'static str,
    /// A search found nothing.
    pub no_match: &'static str,
    /// Ends a sentence.
    pub full_stop: &'static str,
    /// The language tag of a DOCX or XLSX report's properties.
    pub document_tag: &'static str,
    /// The tag of a Word report's East Asian text (Simplified for an English report).
    pub east_asian_tag: &'static str,
    // exports (issue 18)
    /// When a measure was done (完成時間): a ledger column.
    pub completed_at: &'static str,
    // Issue 18, command line.
    /// Why a problem or measure was reopened, in its status history.
    pub reason: &'static str,
    /// Before the day a note or status change tells of, when not the day it was recorded.
    pub happened_on: &'static str,
    // TUI, issue 18 (measures)
    /// Problems, as the noun of a count ("Problems 3/22").
    pub problems: &'static str,
    /// Measures, as the noun of a count ("措施 17/64").
    pub measures_count: &'static str,
    /// The title of the form adding a measure.
    pub new_measure: &'static str,
    /// A measure saved without its text.
    pub measure_text_required: &'static str,
    pub measure_delete_confirm: &'static str,
    /// Leaving the fields form with typed changes.
    pub fields_leave_confirm: &'static str,
    /// The day a note's event happened, in the note editor.
    pub event_date: &'static str,
    /// A date that does not parse.
    pub bad_date: &'static str,
    /// Refused: `{item}` has measures not done, `{open}` their ids.
    pub refused_open_measures: &'static str,
    /// Refused: `{item}`'s status follows its measures.
    pub refused_follows_measures: &'static str,
}

/// "截至2026年11月29日，22項問題已完成N項、正在整改M項，完成率P%" in each language.
pub fn headline(
    lang: Lang,
    date: jiff::civil::Date,
    total: usize,
    done: usize,
    in_progress: usize,
    percent: u32,
) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    match lang {
        Lang::ZhHant => format!(
            "截至{y}年{m}月{d}日，{total}項問題已完成{done}項、正在整改{in_progress}項，完成率{percent}%"
        ),
        Lang::ZhHans => format!(
            "截至{y}年{m}月{d}日，{total}项问题已完成{done}项、正在整改{in_progress}项，完成率{percent}%"
        ),
        Lang::En => format!(
            "As of {}, {done} of {total} problems resolved and {in_progress} being rectified: {percent}% complete",
            date.strftime("%-d %B %Y")
        ),
    }
}

/// The one-line summary of `rectify status`: "1/22 resolved · 1 in progress · 0 overdue".
pub fn status_counts(
    lang: Lang,
    done: usize,
    total: usize,
    in_progress: usize,
    overdue: usize,
) -> String {
    let t = lang.strings();
    let (resolved, active, late) = (t.status_resolved, t.status_in_progress, t.overdue);
    match lang {
        Lang::En => {
            format!("{done}/{total} {resolved} · {in_progress} {active} · {overdue} {late}")
        }
        Lang::ZhHant | Lang::ZhHans => {
            format!("{resolved}{done}/{total} · {active}{in_progress} · {late}{overdue}")
        }
    }
}

/// What `rectify status` adds when the ledger has measures: " · measures 17/64" (resolved
/// of all).
pub fn measure_counts(lang: Lang, done: usize, total: usize) -> String {
    match lang {
        Lang::En => format!(" · measures {done}/{total}"),
        Lang::ZhHant | Lang::ZhHans => format!(" · 措施{done}/{total}"),
    }
}

/// What is said after the terminal is given back when the last save could not put the
/// user's changes in the ledger: why, and where they are instead (a recovery file, taken
/// back in with `rectify import`), or that they could not be kept at all.
pub fn not_saved_at_quit(
    lang: Lang,
    error: &str,
    recovery: Result<&std::path::Path, impl std::fmt::Display>,
) -> Vec<String> {
    let error = crate::text::visible(error);
    let mut lines = vec![match lang {
        Lang::ZhHant => format!("無法儲存到台賬檔：{error}"),
        Lang::ZhHans => format!("无法保存到台账文件：{error}"),
        Lang::En => format!("could not save the ledger: {error}"),
    }];
    match recovery {
        Ok(path) => {
            let path = crate::text::visible(&path.display().to_string()).into_owned();
            lines.push(match lang {
                Lang::ZhHant => format!("未存入台賬的修改已寫到 {path}"),
                Lang::ZhHans => format!("未存入台账的修改已写到 {path}"),
                Lang::En => format!("the changes not in the ledger were written to {path}"),
            });
            lines.push(match lang {
                Lang::ZhHant => format!("台賬檔可讀後，執行 rectify import '{path}' 取回這些修改"),
                Lang::ZhHans => {
                    format!("台账文件可读后，运行 rectify import '{path}' 取回这些修改")
                }
                Lang::En => format!(
                    "once the ledger can be read, take them back in with: rectify import '{path}'"
                ),
            });
        }
        Err(why) => {
            let why = why.to_string();
            let why = crate::text::visible(&why);
            lines.push(match lang {
                Lang::ZhHant => format!("最後的修改「未」存到磁碟，也無法寫入恢復檔：{why}"),
                Lang::ZhHans => format!("最后的修改“未”保存到磁盘，也无法写入恢复文件：{why}"),
                Lang::En => format!(
                    "your last changes are NOT on disk, and no recovery file could be written: {why}"
                ),
            });
        }
    }
    lines
}

/// `rectify import` of a copy that holds nothing the ledger lacks.
pub fn nothing_new(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhHant => "沒有新內容：台賬已包含這份檔案的全部內容",
        Lang::ZhHans => "没有新内容：台账已包含这份文件的全部内容",
        Lang::En => "nothing new: the ledger already holds everything in that file",
    }
}

/// What a merge brought in: "2 notes and 1 status change from 王偉 merged", from the
/// number of notes, of status changes and who wrote them ("" for unknown).
pub fn merged(lang: Lang, notes: usize, changes: usize, authors: &BTreeSet<String>) -> String {
    let names: Vec<&str> = authors
        .iter()
        .map(|a| a.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    let (n, c) = (notes, changes);
    match lang {
        Lang::En => {
            let mut parts = Vec::new();
            if n > 0 {
                parts.push(format!("{n} note{}", if n == 1 { "" } else { "s" }));
            }
            if c > 0 {
                parts.push(format!(
                    "{c} status change{}",
                    if c == 1 { "" } else { "s" }
                ));
            }
            let from = if names.is_empty() {
                String::new()
            } else {
                format!(" from {}", names.join(", "))
            };
            format!("{}{from} merged", parts.join(" and "))
        }
        Lang::ZhHant | Lang::ZhHans => {
            let (note, change, merged, from) = if lang == Lang::ZhHant {
                ("條進展", "項狀態變更", "已合併", "來自")
            } else {
                ("条进展", "项状态变更", "已合并", "来自")
            };
            let mut parts = Vec::new();
            if n > 0 {
                parts.push(format!("{n}{note}"));
            }
            if c > 0 {
                parts.push(format!("{c}{change}"));
            }
            let from = if names.is_empty() {
                String::new()
            } else {
                format!("{from}{}的", names.join("、"))
            };
            format!("{merged}{from}{}", parts.join("、"))
        }
    }
}

// exports (issue 18)

/// The measures' counts as a headline clause: "64條措施已完成17條、正在整改20條、逾期3條".
pub fn measures_headline(
    lang: Lang,
    total: usize,
    done: usize,
    in_progress: usize,
    overdue: usize,
) -> String {
    match lang {
        Lang::ZhHant => {
            let late = if overdue > 0 {
                format!("、逾期{overdue}條")
            } else {
                String::new()
            };
            format!("{total}條措施已完成{done}條、正在整改{in_progress}條{late}")
        }
        Lang::ZhHans => {
            let late = if overdue > 0 {
                format!("、逾期{overdue}条")
            } else {
                String::new()
            };
            format!("{total}条措施已完成{done}条、正在整改{in_progress}条{late}")
        }
        Lang::En => {
            let late = if overdue > 0 {
                format!(", {overdue} overdue")
            } else {
                String::new()
            };
            let s = if total == 1 { "" } else { "s" };
            format!("{done} of {total} measure{s} done and {in_progress} under way{late}")
        }
    }
}

/// "22個問題、64條措施" in each language.
pub fn problems_and_measures(lang: Lang, problems: usize, measures: usize) -> String {
    match lang {
        Lang::ZhHant => format!("{problems}個問題、{measures}條措施"),
        Lang::ZhHans => format!("{problems}个问题、{measures}条措施"),
        Lang::En => {
            let p = if problems == 1 { "" } else { "s" };
            let m = if measures == 1 { "" } else { "s" };
            format!("{problems} problem{p}, {measures} measure{m}")
        }
    }
}

/// The heading of the `number`th area (from 1) in a ledger: "一、政治站位方面（4個問題）",
/// "1. Political stance (4 problems)".
pub fn area_heading(lang: Lang, number: usize, title: &str, problems: usize) -> String {
    let aspect = |word: &str| match title.ends_with(word) {
        true => String::new(),
        false => word.to_string(),
    };
    match lang {
        Lang::ZhHant => format!(
            "{}、{title}{}（{problems}個問題）",
            chinese_number(number),
            aspect("方面")
        ),
        Lang::ZhHans => format!(
            "{}、{title}{}（{problems}个问题）",
            chinese_number(number),
            aspect("方面")
        ),
        Lang::En => {
            let s = if problems == 1 { "" } else { "s" };
            format!("{number}. {title} ({problems} problem{s})")
        }
    }
}

/// A number below 100 in Chinese numerals, as headings count: 一, 十, 十二, 二十一; others in
/// digits.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// A date as the reports of each language write it.
pub fn long_date(lang: Lang, date: jiff::civil::Date) -> String {
    match lang {
        Lang::ZhHant | Lang::ZhHans => {
            format!("{}年{}月{}日", date.year(), date.month(), date.day())
        }
        Lang::En => date.strftime("%-d %B %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_headings_count_in_chinese_numerals() {
        let numbers: Vec<String> = [1, 7, 10, 11, 20, 21, 99, 100]
            .into_iter()
            .map(chinese_number)
            .collect();
        assert_eq!(
            numbers,
            ["一", "七", "十", "十一", "二十", "二十一", "九十九", "100"]
        );
        assert_eq!(
            area_heading(Lang::ZhHant, 1, "政治站位", 4),
            "一、政治站位方面（4個問題）"
        );
        assert_eq!(
            area_heading(Lang::ZhHans, 12, "组织领导方面", 1),
            "十二、组织领导方面（1个问题）",
            "方面 not written twice"
        );
        assert_eq!(
            area_heading(Lang::En, 2, "Severe punishment", 1),
            "2. Severe punishment (1 problem)"
        );
    }

    #[test]
    fn locales_map_to_the_script_their_region_uses() {
        for (locale, lang) in [
            ("zh_CN.UTF-8", Lang::ZhHans),
            ("zh-SG", Lang::ZhHans),
            ("zh_TW", Lang::ZhHant),
            ("zh_HK.UTF-8", Lang::ZhHant),
            ("zh-MO", Lang::ZhHant),
            ("zh-Hant", Lang::ZhHant),
            ("zh-Hans-HK", Lang::ZhHans),
            ("zh-Hant-CN", Lang::ZhHant),
            ("en_US.UTF-8", Lang::En),
            ("fr_FR", Lang::En),
            ("C", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::from_locale(locale), lang, "{locale}");
        }
    }

    #[test]
    fn merge_news_names_the_authors() {
        let mut authors = BTreeSet::from(["王偉".to_string()]);
        assert_eq!(merged(Lang::En, 2, 0, &authors), "2 notes from 王偉 merged");
        assert_eq!(
            merged(Lang::ZhHant, 2, 0, &authors),
            "已合併來自王偉的2條進展"
        );
        authors.insert("李明".into());
        assert_eq!(
            merged(Lang::ZhHans, 2, 1, &authors),
            "已合并来自李明、王偉的2条进展、1项状态变更"
        );
        authors.insert(String::new());
        assert_eq!(
            merged(Lang::En, 1, 2, &authors),
            "1 note and 2 status changes from 李明, 王偉 merged"
        );
    }

    #[test]
    fn headline_reads_as_a_ledger_report_in_each_language() {
        let date = jiff::civil::date(2026, 11, 29);
        assert_eq!(
            headline(Lang::ZhHant, date, 22, 5, 3, 23),
            "截至2026年11月29日，22項問題已完成5項、正在整改3項，完成率23%"
        );
        assert_eq!(
            headline(Lang::ZhHans, date, 22, 5, 3, 23),
            "截至2026年11月29日，22项问题已完成5项、正在整改3项，完成率23%"
        );
        assert_eq!(
            headline(Lang::En, date, 22, 5, 3, 23),
            "As of 29 November 2026, 5 of 22 problems resolved and 3 being rectified: 23% complete"
        );
    }
}
