//! Pop-ups over the ledger: the note editor, the fields form, the status and export
//! choosers and the delete confirmation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_textarea::TextArea;

use super::{Backdrop, Theme, centered};
use crate::app::editor::FormKind;
use crate::app::{App, EXPORT_FORMATS, Mode};
use crate::model::Status;
use crate::model::progress::Field;
use crate::text::visible;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = Theme::of(app);
    let t = app.lang.strings();
    match &app.mode {
        Mode::Editor(ed) => {
            let w = (area.width * 9 / 10).max(30);
            let h = (area.height * 7 / 10).max(6);
            let popup = centered(area, w, h);
            let title = if ed.note.is_some() {
                t.edit_note
            } else {
                t.new_note
            };
            let item_text = match app.progress.measure(&ed.item) {
                Some((_, _, m)) => m.text().to_string(),
                None => app
                    .checklist
                    .find_item(&ed.item)
                    .map(|(_, i)| i.text.get(app.lang).to_string())
                    .unwrap_or_default(),
            };
            let block = Block::default().borders(Borders::ALL).title(format!(
                " {title} · {} {} ",
                ed.item,
                crate::text::truncate(&visible(&item_text), w.saturating_sub(12) as usize)
            ));
            frame.render_widget(Backdrop, popup);
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            // The day it happened, above the text (Tab moves between them).
            let [date_row, text_area] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
            let label = format!("{}: ", t.event_date);
            let [l, input] = Layout::horizontal([
                Constraint::Length(crate::text::width(&label) as u16),
                Constraint::Min(1),
            ])
            .areas(date_row);
            let style = if ed.on_date {
                theme.heading()
            } else {
                theme.dim()
            };
            frame.render_widget(Paragraph::new(label).style(style), l);
            draw_textarea(frame, &ed.date, input, ed.on_date);
            draw_textarea(frame, &ed.textarea, text_area, !ed.on_date);
        }
        Mode::Fields(form) | Mode::ConfirmLeaveFields(form) => {
            let w = (area.width * 9 / 10).max(30).min(area.width);
            let label_w = form
                .fields
                .iter()
                .map(|f| crate::text::width(field_label(app, *f)))
                .max()
                .unwrap_or(0) as u16
                + 2;
            // Each value takes the lines it wraps to (a few at most; beyond, the input
            // scrolls), so a long one is seen whole instead of running off the edge.
            let input_w = w.saturating_sub(2 + label_w).max(1) as usize;
            let mut heights: Vec<u16> = (0..form.fields.len())
                .map(|i| {
                    let v = form.value(i);
                    // One column for the cursor at the end of a full line.
                    let n = crate::text::wrap(&visible(&v), input_w.saturating_sub(1).max(1))
                        .len()
                        .max(1);
                    n.min(MAX_FIELD_LINES) as u16
                })
                .collect();
            // A window too low for all of them: the others shrink to a line first.
            let room = area.height.saturating_sub(3);
            let mut i = 0;
            while heights.iter().sum::<u16>() > room && i < heights.len() {
                if i != form.focus {
                    heights[i] = 1;
                }
                i += 1;
            }
            let h = (heights.iter().sum::<u16>() + 3).min(area.height);
            let popup = centered(area, w, h);
            let title = match form.kind {
                FormKind::NewMeasure => format!(" {} · {} ", t.new_measure, form.item),
                FormKind::Measure => format!(" {} · {} ", t.measure, form.item),
                FormKind::Problem => format!(" {} · {} ", t.fields_title, form.item),
            };
            let block = Block::default().borders(Borders::ALL).title(title);
            frame.render_widget(Backdrop, popup);
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            let mut constraints: Vec<Constraint> =
                heights.iter().map(|h| Constraint::Length(*h)).collect();
            constraints.push(Constraint::Length(1));
            let rows = Layout::vertical(constraints).split(inner);
            for (i, f) in form.fields.iter().enumerate() {
                let r = rows[i];
                let [l, input] =
                    Layout::horizontal([Constraint::Length(label_w), Constraint::Min(1)]).areas(r);
                let style = if form.focus == i {
                    theme.heading()
                } else {
                    theme.dim()
                };
                frame.render_widget(
                    Paragraph::new(format!("{}:", field_label(app, *f))).style(style),
                    l,
                );
                let focused = form.focus == i && matches!(app.mode, Mode::Fields(_));
                draw_textarea(frame, &form.inputs[i], input, focused);
            }
            let hint = match &form.error {
                Some(e) => Line::styled(visible(e).into_owned(), theme.overdue()),
                None => Line::styled(t.deadline_hint.to_string(), theme.dim()),
            };
            frame.render_widget(Paragraph::new(hint), rows[form.fields.len()]);
            if let Mode::ConfirmLeaveFields(_) = app.mode {
                confirm(frame, area, t.fields_leave_confirm, &form.item);
            }
        }
        Mode::ConfirmDeleteMeasure(id) => {
            let text = app
                .progress
                .measure(id)
                .map(|(_, _, m)| visible(m.text()).replace('\n', " "))
                .unwrap_or_default();
            confirm(
                frame,
                area,
                t.measure_delete_confirm,
                &format!("{id} · {text}"),
            );
        }
        Mode::StatusPicker(sel) => {
            let lines: Vec<Line> = Status::ALL
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let line = Line::from(vec![Span::styled(
                        format!(" {} {} {} ", i + 1, s.mark(), s.label(app.lang)),
                        theme.status(*s),
                    )]);
                    if i == *sel {
                        line.patch_style(theme.selected())
                    } else {
                        line
                    }
                })
                .collect();
            popup_list(frame, area, t.choose_status, lines);
        }
        Mode::ExportPicker(sel) => {
            let lines: Vec<Line> = EXPORT_FORMATS
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let line = Line::raw(format!(" {f} (.{}) ", f.extension()));
                    if i == *sel {
                        line.patch_style(theme.selected())
                    } else {
                        line
                    }
                })
                .collect();
            popup_list(frame, area, t.export_title, lines);
        }
        Mode::ConfirmDelete { item, note } => {
            // Say which note: its date and first words.
            let n = app.notes_of(item).into_iter().find(|n| &n.id == note);
            let what = n
                .map(|n| {
                    format!(
                        "{} {} · {}",
                        item,
                        n.at.short(),
                        visible(&n.text).replace('\n', " ")
                    )
                })
                .unwrap_or_default();
            confirm(frame, area, t.delete_confirm, &what);
        }
        Mode::ConfirmLeave(ed) => {
            let what = format!("{} · {}", ed.item, visible(&ed.text()).replace('\n', " "));
            confirm(frame, area, t.leave_confirm, &what);
        }
        _ => {}
    }
}

/// A question with the thing it is about under it.
fn confirm(frame: &mut Frame, area: Rect, question: &str, what: &str) {
    let w = (crate::text::width(question).max(crate::text::width(what)) as u16 + 4).min(area.width);
    let inner = w.saturating_sub(2) as usize;
    let popup = centered(area, w, 4);
    frame.render_widget(Backdrop, popup);
    let lines = vec![
        Line::raw(crate::text::truncate(question, inner).into_owned()),
        Line::raw(crate::text::truncate(what, inner).into_owned()),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL)),
        popup,
    );
}

/// The most lines one value of the fields form takes before it scrolls.
const MAX_FIELD_LINES: usize = 4;

fn field_label(app: &App, f: Field) -> &'static str {
    let t = app.lang.strings();
    match f {
        Field::Owner => t.owner,
        Field::Person => t.person,
        Field::Deadline => t.deadline,
        Field::Text => t.measure,
        Field::Goal => t.goal,
        Field::Leader => t.leader,
        Field::Partners => t.partners,
    }
}

fn popup_list(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let w = lines
        .iter()
        .map(|l| l.width())
        .max()
        .unwrap_or(10)
        .max(crate::text::width(title) + 4) as u16
        + 2;
    let popup = centered(area, w, lines.len() as u16 + 2);
    frame.render_widget(Backdrop, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {title} ")),
        ),
        popup,
    );
}

/// Draws a text area and, when it has the focus, puts the terminal's own cursor on the caret
/// so an input method shows its candidates there.
fn draw_textarea(frame: &mut Frame, t: &TextArea<'static>, area: Rect, focused: bool) {
    frame.render_widget(t, area);
    if focused {
        let c = t.screen_cursor();
        let (top, left) = t.scroll_offset();
        let x = area.x as usize + c.col.saturating_sub(left as usize);
        let y = area.y as usize + c.row.saturating_sub(top as usize);
        if x < (area.x + area.width) as usize && y < (area.y + area.height) as usize {
            frame.set_cursor_position(Position::new(x as u16, y as u16));
        }
    }
}
