//! The three languages of the ledger and the fixed strings of the interface.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub mod sharing;

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

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown language {s:?}; use zh-Hant, zh-Hans or en"))
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
}

pub static ZH_HANT: Strings = Strings {
    status_open: "未整改",
    status_in_progress: "正在整改",
    status_resolved: "已完成",
    status_verified: "已銷號",
    area: "方面",
    problem: "問題",
    status: "狀態",
    owner: "牽頭單位",
    person: "責任人",
    deadline: "整改時限",
    measures: "整改措施",
    requirements: "整改要求",
    notes: "進展",
    history: "狀態變更",
    latest_notes: "最新進展",
    earlier_notes: "更早的進展",
    overdue: "逾期",
    done: "完成",
    progress: "進度",
    deadline_immediate: "立行立改",
    deadline_long_term: "長期堅持",
    none: "—",
    edited: "已修改",
    future_date: "日期在未來",
    note_deleted_elsewhere: "這條進展已在別處刪除：你的文字仍在編輯器中，Ctrl-S 存為新的一條",
    note_saved_as_new: "這條進展已在別處刪除：你的文字已存為新的一條",
    source: "來源",
    report_title: "整改進展報告",
    by_area: "各方面進展",
    no_notes: "暫無進展記錄",
    more_chars: "另有 {} 字：按 Enter 查看全文",
    saved: "已儲存",
    unsaved: "未儲存",
    save_failed: "儲存失敗（稍後重試）",
    read_only: "唯讀",
    filter_all: "全部",
    filter_open: "未完成",
    filter_overdue: "逾期",
    filter: "篩選",
    help_title: "按鍵說明",
    summary_title: "整改總覽",
    as_of: "截至",
    too_small: "視窗太小",
    reading: "讀取台賬",
    new_note: "新增進展",
    edit_note: "編輯進展",
    editor_hint: "Ctrl-S 儲存 · Esc 離開（保留草稿）",
    fields_title: "台賬欄位",
    fields_hint: "Tab 下一欄 · Enter／Ctrl-S 儲存 · Esc 取消",
    deadline_hint: "日期 2026-12-31、立行立改 或 長期堅持",
    choose_status: "選擇狀態",
    export_title: "匯出格式",
    delete_confirm: "刪除這條進展？ y 刪除 · n 保留",
    search_prompt: "搜尋",
    draft: "草稿",
    counts_by_status: "各狀態數量",
    overdue_list: "逾期問題",
    none_overdue: "沒有逾期的問題",
    exported: "已匯出",
    writable: "另一個視窗已關閉：現在可以編輯",
    read_only_because: "唯讀，不會儲存任何修改：{}",
    read_only_file: "唯讀：檔案沒有寫入權限（chmod u+w 後可編輯）",
    read_only_folder: "唯讀：台賬所在的資料夾不能寫入，不會儲存任何修改",
    writable_now: "台賬現在可以寫入：可以編輯了",
    col_no: "序號",
    last_change: "更新日期",
    period_title: "本期進展",
    period_range: "統計期間",
    status_changes: "狀態變更",
    new_notes: "新增進展",
    nothing_changed: "本期沒有變更",
    open_items: "未完成的問題",
    summary_sheet: "匯總",
    ledger_sheet: "台賬",
    cell_cut: "…（全文見 JSON/Markdown）",
    completion: "完成率",
    total: "合計",
    nothing_to_undo: "沒有可復原的操作",
    nothing_to_redo: "沒有可重做的操作",
    mouse_on: "滑鼠已開啟",
    mouse_off: "滑鼠已關閉：可用終端機選取文字",
    no_rows: "沒有符合篩選的問題（Esc 清除篩選）",
    more_below: "PgDn 更多",
    leave_confirm: "儲存對這條進展的修改？ y 儲存 · n 放棄 · Esc 繼續編輯",
    hint_picker: "↑↓ 選擇 · Enter 確定 · Esc 取消",
    hint_notes: "↑↓ 選擇進展 · Enter 編輯 · d 刪除 · PgUp/PgDn 捲動 · Esc 返回",
    hint_help: "按任意鍵關閉",
    hint_summary: "↑↓ PgUp/PgDn 捲動",
};

pub static ZH_HANS: Strings = Strings {
    status_open: "未整改",
    status_in_progress: "正在整改",
    status_resolved: "已完成",
    status_verified: "已销号",
    area: "方面",
    problem: "问题",
    status: "状态",
    owner: "牵头单位",
    person: "责任人",
    deadline: "整改时限",
    measures: "整改措施",
    requirements: "整改要求",
    notes: "进展",
    history: "状态变更",
    latest_notes: "最新进展",
    earlier_notes: "更早的进展",
    overdue: "逾期",
    done: "完成",
    progress: "进度",
    deadline_immediate: "立行立改",
    deadline_long_term: "长期坚持",
    none: "—",
    edited: "已修改",
    future_date: "日期在未来",
    note_deleted_elsewhere: "这条进展已在别处删除：你的文字仍在编辑器中，Ctrl-S 存为新的一条",
    note_saved_as_new: "这条进展已在别处删除：你的文字已存为新的一条",
    source: "来源",
    report_title: "整改进展报告",
    by_area: "各方面进展",
    no_notes: "暂无进展记录",
    more_chars: "另有 {} 字：按 Enter 查看全文",
    saved: "已保存",
    unsaved: "未保存",
    save_failed: "保存失败（稍后重试）",
    read_only: "只读",
    filter_all: "全部",
    filter_open: "未完成",
    filter_overdue: "逾期",
    filter: "筛选",
    help_title: "按键说明",
    summary_title: "整改总览",
    as_of: "截至",
    too_small: "窗口太小",
    reading: "读取台账",
    new_note: "新增进展",
    edit_note: "编辑进展",
    editor_hint: "Ctrl-S 保存 · Esc 离开（保留草稿）",
    fields_title: "台账栏位",
    fields_hint: "Tab 下一栏 · Enter／Ctrl-S 保存 · Esc 取消",
    deadline_hint: "日期 2026-12-31、立行立改 或 长期坚持",
    choose_status: "选择状态",
    export_title: "导出格式",
    delete_confirm: "删除这条进展？ y 删除 · n 保留",
    search_prompt: "搜索",
    draft: "草稿",
    counts_by_status: "各状态数量",
    overdue_list: "逾期问题",
    none_overdue: "没有逾期的问题",
    exported: "已导出",
    writable: "另一个窗口已关闭：现在可以编辑",
    read_only_because: "只读，不会保存任何修改：{}",
    read_only_file: "只读：文件没有写入权限（chmod u+w 后可编辑）",
    read_only_folder: "只读：台账所在的文件夹不能写入，不会保存任何修改",
    writable_now: "台账现在可以写入：可以编辑了",
    col_no: "序号",
    last_change: "更新日期",
    period_title: "本期进展",
    period_range: "统计期间",
    status_changes: "状态变更",
    new_notes: "新增进展",
    nothing_changed: "本期没有变更",
    open_items: "未完成的问题",
    summary_sheet: "汇总",
    ledger_sheet: "台账",
    cell_cut: "…（全文见 JSON/Markdown）",
    completion: "完成率",
    total: "合计",
    nothing_to_undo: "没有可撤销的操作",
    nothing_to_redo: "没有可重做的操作",
    mouse_on: "鼠标已开启",
    mouse_off: "鼠标已关闭：可用终端选取文字",
    no_rows: "没有符合筛选的问题（Esc 清除筛选）",
    more_below: "PgDn 更多",
    leave_confirm: "保存对这条进展的修改？ y 保存 · n 放弃 · Esc 继续编辑",
    hint_picker: "↑↓ 选择 · Enter 确定 · Esc 取消",
    hint_notes: "↑↓ 选择进展 · Enter 编辑 · d 删除 · PgUp/PgDn 滚动 · Esc 返回",
    hint_help: "按任意键关闭",
    hint_summary: "↑↓ PgUp/PgDn 滚动",
};

pub static EN: Strings = Strings {
    status_open: "open",
    status_in_progress: "in progress",
    status_resolved: "resolved",
    status_verified: "verified",
    area: "Area",
    problem: "Problem",
    status: "Status",
    owner: "Lead unit",
    person: "Responsible person",
    deadline: "Deadline",
    measures: "Measures",
    requirements: "Requirements",
    notes: "Progress notes",
    history: "Status changes",
    latest_notes: "Latest progress",
    earlier_notes: "earlier notes",
    overdue: "overdue",
    done: "Done",
    progress: "Progress",
    deadline_immediate: "rectify at once",
    deadline_long_term: "long-term",
    none: "—",
    edited: "edited",
    future_date: "future date",
    note_deleted_elsewhere: "this note was deleted elsewhere: your text stays in the editor, Ctrl-S saves it as a new note",
    note_saved_as_new: "this note had been deleted elsewhere: your text was saved as a new note",
    source: "Source",
    report_title: "Rectification progress report",
    by_area: "Progress by area",
    no_notes: "no progress notes yet",
    more_chars: "{} more characters: Enter shows them all",
    saved: "saved",
    unsaved: "not saved yet",
    save_failed: "save failed (will retry)",
    read_only: "read-only",
    filter_all: "all",
    filter_open: "not done",
    filter_overdue: "overdue",
    filter: "filter",
    help_title: "Keys",
    summary_title: "Summary",
    as_of: "as of",
    too_small: "Window too small",
    reading: "reading the ledger",
    new_note: "New note",
    edit_note: "Edit note",
    editor_hint: "Ctrl-S save · Esc leave (draft kept)",
    fields_title: "Ledger fields",
    fields_hint: "Tab next field · Enter/Ctrl-S save · Esc cancel",
    deadline_hint: "a date 2026-12-31, immediate or long-term",
    choose_status: "Choose status",
    export_title: "Export format",
    delete_confirm: "Delete this note? y delete · n keep",
    search_prompt: "search",
    draft: "draft",
    counts_by_status: "By status",
    overdue_list: "Overdue",
    none_overdue: "nothing is overdue",
    exported: "exported",
    writable: "the other window closed: you can edit now",
    read_only_because: "read-only, nothing will be saved: {}",
    read_only_file: "read-only: the file's owner has no write permission (chmod u+w to edit)",
    read_only_folder: "read-only: nothing can be saved in the ledger's folder",
    writable_now: "the ledger can be written now: you can edit",
    col_no: "No.",
    last_change: "Last change",
    period_title: "Progress this period",
    period_range: "Period",
    status_changes: "Status changes",
    new_notes: "New progress notes",
    nothing_changed: "nothing changed in this period",
    open_items: "Problems still open",
    summary_sheet: "Summary",
    ledger_sheet: "Ledger",
    cell_cut: "… (full text in the JSON or Markdown export)",
    completion: "Completion",
    total: "Total",
    nothing_to_undo: "nothing to undo",
    nothing_to_redo: "nothing to redo",
    mouse_on: "mouse on",
    mouse_off: "mouse off: select text with the terminal",
    no_rows: "nothing matches the filter (Esc clears it)",
    more_below: "PgDn more",
    leave_confirm: "Save the changes to this note? y save · n discard · Esc keep editing",
    hint_picker: "↑↓ choose · Enter confirm · Esc cancel",
    hint_notes: "↑↓ choose note · Enter edit · d delete · PgUp/PgDn scroll · Esc back",
    hint_help: "any key closes",
    hint_summary: "↑↓ PgUp/PgDn scroll",
};

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

/// What is said after the terminal is given back when the last save could not put the
/// user's changes in the ledger: why, and where they are instead (a recovery file, taken
/// back in with `rectify import`), or that they could not be kept at all.
pub fn not_saved_at_quit(
    lang: Lang,
    error: &str,
    recovery: Result<&std::path::Path, &str>,
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
            let why = crate::text::visible(why);
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

/// What a merge brought in: "2 notes and 1 status change from 王偉 merged".
pub fn merged(lang: Lang, incoming: &crate::model::merge::Incoming) -> String {
    let names: Vec<&str> = incoming
        .authors
        .iter()
        .map(|a| a.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    let (n, c) = (incoming.notes, incoming.changes);
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
            let (note, change, merged) = if lang == Lang::ZhHant {
                ("條進展", "項狀態變更", "已合併")
            } else {
                ("条进展", "项状态变更", "已合并")
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
                format!("來自{}的", names.join("、"))
            };
            let from = if lang == Lang::ZhHans {
                from.replace("來自", "来自")
            } else {
                from
            };
            format!("{merged}{from}{}", parts.join("、"))
        }
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
        let mut i = crate::model::merge::Incoming {
            notes: 2,
            ..Default::default()
        };
        i.authors.insert("王偉".into());
        assert_eq!(merged(Lang::En, &i), "2 notes from 王偉 merged");
        assert_eq!(merged(Lang::ZhHant, &i), "已合併來自王偉的2條進展");
        i.changes = 1;
        i.authors.insert("李明".into());
        assert_eq!(
            merged(Lang::ZhHans, &i),
            "已合并来自李明、王偉的2条进展、1项状态变更"
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
