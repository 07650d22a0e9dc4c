//! The right pane: the selected problem in full (wrapped for Chinese), its ledger fields,
//! notes newest first and the area's requirements; for an area, its items and requirements.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::{App, Focus, Row};
use crate::model::ItemProgress;
use crate::text::{visible, wrap};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let (lines, focus_line) = lines(app, area.width as usize);
    // Scroll as far as needed to show the selected note's first lines, plus what the user
    // scrolled with PgDn, never past the end.
    // When it does not fit, the last line is kept for the "more below" mark.
    let height = if lines.len() > area.height as usize {
        (area.height as usize).saturating_sub(1)
    } else {
        area.height as usize
    };
    let max = lines.len().saturating_sub(height);
    app.detail_max.set(max as u16);
    let base = focus_line.map_or(0, |l| (l + 3).saturating_sub(height));
    let scroll = (base + app.detail_scroll as usize).min(max);
    let (above, below) = (scroll > 0, scroll < max);
    let text_area = Rect {
        height: height as u16,
        ..area
    };
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), text_area);
    super::scroll_marks(frame, app, area, above, below);
}

/// Wrapped text as lines in one style.
fn para(out: &mut Vec<Line<'static>>, text: &str, w: usize, style: Style) {
    for l in wrap(&visible(text), w) {
        out.push(Line::styled(l, style));
    }
}

/// The lines of the detail and the line of the selected note, if any.
pub fn lines(app: &App, w: usize) -> (Vec<Line<'static>>, Option<usize>) {
    let theme = Theme::of(app);
    let lang = app.lang;
    let t = lang.strings();
    let mut out = Vec::new();
    let mut focus_line = None;
    match app.selected {
        Row::Area(a) => {
            let area = &app.checklist.areas[a];
            para(
                &mut out,
                &format!("{} {}", area.id, area.title.get(lang)),
                w,
                theme.heading(),
            );
            out.push(Line::raw(""));
            for item in &area.items {
                let st = app.progress.status(&item.id);
                let head = format!("{} {} ", st.mark(), item.id);
                let body = wrap(
                    &visible(item.text.get(lang)),
                    w.saturating_sub(crate::text::width(&head)).max(4),
                );
                for (k, l) in body.into_iter().enumerate() {
                    let lead = if k == 0 {
                        head.clone()
                    } else {
                        " ".repeat(crate::text::width(&head))
                    };
                    out.push(Line::from(vec![
                        Span::styled(lead, theme.status(st)),
                        Span::raw(l),
                    ]));
                }
            }
            requirements(&mut out, app, a, w, &theme);
        }
        Row::Item(a, i) => {
            let area = &app.checklist.areas[a];
            let item = &area.items[i];
            let empty = ItemProgress::default();
            let p = app.progress.item(&item.id).unwrap_or(&empty);
            para(
                &mut out,
                &format!("{} · {}", item.id, area.title.get(lang)),
                w,
                theme.dim(),
            );
            para(&mut out, item.text.get(lang), w, theme.heading());
            out.push(Line::raw(""));
            let st = p.status();
            let mut status = vec![
                Span::raw(format!("{}: ", t.status)),
                Span::styled(
                    format!("{} {}", st.mark(), st.label(lang)),
                    theme.status(st),
                ),
            ];
            if p.is_overdue(app.today()) {
                status.push(Span::styled(format!("  ⚠ {}", t.overdue), theme.overdue()));
            }
            out.push(Line::from(status));
            let deadline = p.deadline().map(|d| d.label(lang)).unwrap_or_default();
            for (label, value) in [
                (t.owner, p.owner()),
                (t.person, p.person()),
                (t.deadline, deadline.as_str()),
                (t.measures, p.measures()),
            ] {
                let v = if value.is_empty() { t.none } else { value };
                para(&mut out, &format!("{label}: {v}"), w, Style::default());
            }
            if let Some(d) = p.draft(app.author.as_deref()) {
                out.push(Line::raw(""));
                para(
                    &mut out,
                    &format!("{} ({}): {}", t.draft, d.at.short(), d.value),
                    w,
                    theme.dim(),
                );
            }
            out.push(Line::raw(""));
            let notes = p.visible_notes();
            out.push(Line::styled(
                format!("{} ({})", t.notes, notes.len()),
                theme.heading(),
            ));
            if notes.is_empty() {
                out.push(Line::styled(t.no_notes.to_string(), theme.dim()));
            }
            for (k, n) in notes.iter().enumerate() {
                let selected = app.focus == Focus::Notes(k);
                if selected {
                    focus_line = Some(out.len());
                }
                let marker = if selected { "▶ " } else { "  " };
                let head_style = if selected {
                    theme.selected()
                } else {
                    theme.dim()
                };
                // The heading wraps like the text: with an edit and two names it is long.
                for (k, l) in wrap(&n.heading(lang), w.saturating_sub(2))
                    .into_iter()
                    .enumerate()
                {
                    let lead = if k == 0 { marker } else { "  " };
                    out.push(Line::styled(format!("{lead}{l}"), head_style));
                }
                for l in wrap(&visible(&n.text), w.saturating_sub(2)) {
                    out.push(Line::raw(format!("  {l}")));
                }
            }
            requirements(&mut out, app, a, w, &theme);
        }
    }
    (out, focus_line)
}

fn requirements(out: &mut Vec<Line<'static>>, app: &App, a: usize, w: usize, theme: &Theme) {
    let area = &app.checklist.areas[a];
    let req = area.requirements.get(app.lang);
    if req.is_empty() {
        return;
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(
            "{} · {}",
            app.lang.strings().requirements,
            area.title.get(app.lang)
        ),
        theme.heading(),
    ));
    para(out, req, w, theme.dim());
}
