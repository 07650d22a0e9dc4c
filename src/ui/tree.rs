//! The left pane: areas with their progress, items with status mark, id and text cut to the
//! width in display columns.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::{App, Focus, Row};
use crate::summary::text_bar;
use crate::text::{truncate, visible, width};

/// Returns where the rows are and the first row shown.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) -> (Rect, usize) {
    let theme = Theme::of(app);
    let inner = if app.is_wide() && area.width > 0 {
        // The line between the panes, drawn cell by cell: a `Block` styles its whole area.
        let x = area.right() - 1;
        let buf = frame.buffer_mut();
        for y in area.top()..area.bottom() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.set_symbol(ratatui::symbols::line::VERTICAL);
            }
        }
        Rect {
            width: area.width - 1,
            ..area
        }
    } else {
        area
    };
    let derived = app.derived();
    let rows = &derived.rows;
    let height = inner.height as usize;
    let selected = rows.iter().position(|r| *r == app.selected).unwrap_or(0);
    // Scroll only as far as needed to show the selection.
    let mut offset = app.layout.tree_offset.min(rows.len().saturating_sub(1));
    if selected < offset {
        offset = selected;
    } else if height > 0 && selected >= offset + height {
        offset = selected + 1 - height;
    }
    let w = inner.width as usize;
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let mut line = row_line(app, &theme, &derived.area_done, *row, w);
            if i == selected {
                let style = if app.focus == Focus::Tree {
                    theme.selected()
                } else {
                    theme.dim().add_modifier(ratatui::style::Modifier::REVERSED)
                };
                // A pointer and the row's head in reverse, not the whole row: a move then
                // rewrites a dozen cells, not two rows of Chinese (about 200 bytes less
                // per key press, which counts over a slow link).
                if let Some(head) = line.spans.first_mut() {
                    if let Some(rest) = head.content.strip_prefix("  ") {
                        head.content = format!("▶ {rest}").into();
                    }
                    head.style = head.style.patch(style);
                }
            }
            line
        })
        .collect();
    if rows.is_empty() {
        let msg = crate::text::wrap(app.lang.strings().no_rows, inner.width as usize).join("\n");
        frame.render_widget(Paragraph::new(msg).style(theme.dim()), inner);
    } else {
        super::put_lines(frame, inner, &lines);
    }
    (inner, offset)
}

fn row_line(app: &App, theme: &Theme, area_done: &[usize], row: Row, w: usize) -> Line<'static> {
    let lang = app.lang;
    match row {
        Row::Area(a) => {
            let area = &app.checklist.areas[a];
            let (done, total) = (area_done[a], area.items.len());
            let arrow = if app.collapsed.contains(&area.id) {
                "▸"
            } else {
                "▾"
            };
            let right = if app.reading.is_some() {
                String::new()
            } else {
                format!(" {done}/{total} {}", text_bar(done, total, 6))
            };
            let left = format!("{arrow} {} ", visible(&area.id));
            let title_width = w.saturating_sub(width(&left) + width(&right));
            let title = truncate(
                &visible(area.title.get(lang)).replace('\n', " "),
                title_width,
            )
            .into_owned();
            let pad = w.saturating_sub(width(&left) + width(&title) + width(&right));
            Line::from(vec![
                Span::styled(format!("{left}{title}"), theme.heading()),
                Span::raw(" ".repeat(pad)),
                Span::styled(right, theme.bar()),
            ])
        }
        Row::Item(a, i) => {
            let item = &app.checklist.areas[a].items[i];
            let p = app.progress.item(&item.id);
            let status = p.map_or(crate::model::Status::Open, |p| p.status());
            let overdue = p.is_some_and(|p| p.is_overdue(app.today()));
            let notes = p.map_or(0, |p| p.visible_note_count());
            let draft = p.is_some_and(|p| p.draft(app.author.as_deref()).is_some());
            let mut suffix = String::new();
            if overdue {
                suffix.push_str(" ⚠");
            }
            if notes > 0 {
                suffix.push_str(&format!(" ✎{notes}"));
            }
            if draft {
                suffix.push('*');
            }
            // While the ledger is read the status is not known yet: no mark rather than
            // a wrong one.
            let mark = if app.reading.is_some() {
                "   "
            } else {
                status.mark()
            };
            let prefix = format!("  {mark} {} ", visible(&item.id));
            let text_width = w.saturating_sub(width(&prefix) + width(&suffix));
            let text =
                truncate(&visible(item.text.get(lang)).replace('\n', " "), text_width).into_owned();
            let pad = w.saturating_sub(width(&prefix) + width(&text) + width(&suffix));
            let mut spans = vec![
                Span::styled(prefix, theme.status(status)),
                Span::raw(text),
                Span::raw(" ".repeat(pad)),
            ];
            if overdue {
                spans.push(Span::styled(" ⚠", theme.overdue()));
                spans.push(Span::styled(suffix[" ⚠".len()..].to_string(), theme.dim()));
            } else {
                spans.push(Span::styled(suffix, theme.dim()));
            }
            Line::from(spans)
        }
    }
}
