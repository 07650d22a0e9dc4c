//! The left pane: areas with their progress, items with status mark, id and text cut to the
//! width in display columns.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::{App, Derived, Focus, Row};
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
            let mut line = row_line(app, &theme, &derived, *row, w);
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

fn row_line(app: &App, theme: &Theme, derived: &Derived, row: Row, w: usize) -> Line<'static> {
    let (area_done, measures) = (&derived.area_done, &derived.area_measures);
    let lang = app.lang;
    match row {
        Row::Area(a) => {
            let area = &app.checklist.areas[a];
            let (done, total) = (area_done[a], area.items.len());
            let (m_done, m_total) = measures[a];
            let arrow = if app.collapsed.contains(&area.id) {
                "▸"
            } else {
                "▾"
            };
            let right = if app.reading.is_some() {
                String::new()
            } else {
                let m = if m_total > 0 {
                    format!(" · {m_done}/{m_total}")
                } else {
                    String::new()
                };
                format!(" {done}/{total}{m} {}", text_bar(done, total, 6))
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
        Row::Measure(a, i, n) => {
            let item = &app.checklist.areas[a].items[i];
            let m = app.progress.item(&item.id).and_then(|p| p.measure(n));
            let status = m.map_or(crate::model::Status::Open, |m| m.status());
            let overdue = m.is_some_and(|m| m.is_overdue(app.today()));
            let notes = m.map_or(0, |m| m.notes.iter().filter(|n| !n.is_deleted()).count());
            let id = format!("{}.{n}", item.id);
            let text = m.map_or("", |m| m.text());
            item_line(theme, status, overdue, notes, false, &id, text, w, "    ")
        }
        Row::Item(a, i) => {
            let item = &app.checklist.areas[a].items[i];
            let p = app.progress.item(&item.id);
            let status = p.map_or(crate::model::Status::Open, |p| p.status());
            let overdue = p.is_some_and(|p| p.is_overdue(app.today()));
            let notes = p.map_or(0, |p| p.visible_note_count());
            let draft = p.is_some_and(|p| p.draft(app.author.as_deref()).is_some());
            // While the ledger is read the status is not known yet: no mark rather than
            // a wrong one.
            if app.reading.is_some() {
                let prefix = format!("      {} ", visible(&item.id));
                let text_width = w.saturating_sub(width(&prefix));
                let text = truncate(&visible(item.text.get(lang)).replace('\n', " "), text_width)
                    .into_owned();
                return Line::from(vec![Span::raw(prefix), Span::raw(text)]);
            }
            let text = item.text.get(lang);
            item_line(
                theme, status, overdue, notes, draft, &item.id, text, w, "  ",
            )
        }
    }
}

/// A problem's or a measure's row: indent, mark, id, text cut to fit, ⚠ and ✎ count.
#[allow(clippy::too_many_arguments)]
fn item_line(
    theme: &Theme,
    status: crate::model::Status,
    overdue: bool,
    notes: usize,
    draft: bool,
    id: &str,
    text: &str,
    w: usize,
    indent: &str,
) -> Line<'static> {
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
    let mark = status.mark();
    let prefix = format!("{indent}{mark} {} ", visible(id));
    let text_width = w.saturating_sub(width(&prefix) + width(&suffix));
    let text = truncate(&visible(text).replace('\n', " "), text_width).into_owned();
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
