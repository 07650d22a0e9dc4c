//! `?`: every key of the key map with what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Backdrop, Theme, centered};
use crate::app::App;
use crate::text::{truncate, visible, width};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let t = app.lang.strings();
    let rows: Vec<(String, &str)> = app
        .keymap
        .bindings()
        // A key bound in keys.ron may be any character: shown, never sent as it is.
        .map(|(a, _)| {
            (
                visible(&app.keymap.label(a)).into_owned(),
                a.describe(app.lang),
            )
        })
        .chain(editor_keys(app.lang))
        .collect();
    let key_w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let text_w = rows.iter().map(|(_, d)| width(d)).max().unwrap_or(0);
    // As many columns as the height needs; descriptions are cut if the width runs out.
    let per_col = (area.height.saturating_sub(2) as usize).max(1);
    let cols = rows.len().div_ceil(per_col);
    let col_w = (key_w + text_w + 3).min((area.width.saturating_sub(2) as usize) / cols);
    let popup = centered(
        area,
        (col_w * cols + 2) as u16,
        (rows.len().min(per_col) + 2) as u16,
    );
    let mut lines: Vec<Line> = Vec::new();
    for r in 0..rows.len().min(per_col) {
        let mut spans = Vec::new();
        for c in 0..cols {
            let Some((k, d)) = rows.get(c * per_col + r) else {
                continue;
            };
            let pad = " ".repeat(key_w.saturating_sub(width(k)) + 1);
            let d = truncate(d, col_w.saturating_sub(key_w + 2)).into_owned();
            let fill = " ".repeat(col_w.saturating_sub(key_w + 1 + width(&d)));
            spans.push(Span::styled(format!("{k}{pad}"), theme.heading()));
            spans.push(Span::raw(format!("{d}{fill}")));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Backdrop, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", t.help_title)),
        ),
        popup,
    );
}

/// The fixed keys of the editor and the choosers, which the key map does not change.
fn editor_keys(lang: crate::i18n::Lang) -> Vec<(String, &'static str)> {
    let rows: [(&str, [&'static str; 3]); 4] = [
        (
            "Ctrl-S",
            ["save the note / fields", "儲存進展／欄位", "保存进展／栏位"],
        ),
        (
            "Esc",
            [
                "leave the editor (draft kept)",
                "離開編輯器（保留草稿）",
                "离开编辑器（保留草稿）",
            ],
        ),
        (
            "1-4",
            [
                "status in the chooser",
                "在狀態選單中選擇",
                "在状态菜单中选择",
            ],
        ),
        (
            "Tab",
            ["next field in the form", "表單中的下一欄", "表单中的下一栏"],
        ),
    ];
    rows.iter()
        .map(|(k, d)| (k.to_string(), lang.pick(*d)))
        .collect()
}
