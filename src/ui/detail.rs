//! The right pane: the selected problem in full (wrapped for Chinese), its ledger fields and
//! notes newest first; for an area, its items and the requirements the report sets for it.
//!
//! The requirements are the same for every problem of an area, so they are shown once, on
//! the area: under each problem they pushed its own lines down and made every move between
//! problems redraw them (1.5 KB per key press instead of 0.3). A problem's last line says
//! where they are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::{App, Focus, Row};
use crate::model::ItemProgress;
use crate::text::{visible, wrap};

/// Returns the most lines it can be scrolled down.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) -> u16 {
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
    let base = focus_line.map_or(0, |l| (l + 3).saturating_sub(height));
    let scroll = (base + app.detail_scroll as usize).min(max);
    let (above, below) = (scroll > 0, scroll < max);
    let text_area = Rect {
        height: height as u16,
        ..area
    };
    let spare = (area.height as usize).saturating_sub(lines.len());
    super::put_lines(frame, text_area, lines.iter().skip(scroll));
    super::scroll_marks(frame, app, area, above, below);
    // Where the area's requirements are, on the pane's last line: the same place for every
    // problem of the area, so moving between them does not redraw it.
    if let (Row::Item(a, _), 2..) = (app.selected, spare) {
        let t = app.lang.strings();
        let a = &app.checklist.areas[a];
        if !a.requirements.get(app.lang).is_empty() {
            let hint = format!("{}: ← {} {}", t.requirements, a.id, a.title.get(app.lang));
            let line = Rect {
                y: area.bottom() - 1,
                height: 1,
                ..area
            };
            frame.render_widget(
                Paragraph::new(
                    crate::text::truncate(&visible(&hint), area.width as usize).into_owned(),
                )
                .style(Theme::of(app).dim()),
                line,
            );
        }
    }
    max as u16
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
    if app.reading.is_some() {
        para(&mut out, &format!("{}…", t.reading), w, theme.dim());
        return (out, None);
    }
    match app.selected {
        Row::Area(a) => {
            let area = &app.checklist.areas[a];
            para(
                &mut out,
                &format!("{} {}", area.id, area.title.get(lang)),
                w,
                theme.heading(),
            );
            // "問題 3/4 · 措施 5/9" when the area has measures.
            let derived = app.derived();
            let (md, mt) = derived.area_measures[a];
            if mt > 0 {
                let counts = format!(
                    "{} {}/{} · {} {md}/{mt}",
                    t.problems,
                    derived.area_done[a],
                    area.items.len(),
                    t.measures_count
                );
                para(&mut out, &counts, w, theme.dim());
            }
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
            // Status and the short fields first, the problem's text after them: what a
            // move between problems changes stays in place instead of pushing lines down.
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
            // Decided by a change dated later than now: its writer's clock ran ahead.
            if let Some(c) = p.last_change().filter(|c| c.at.is_after(app.now)) {
                let future = format!("  ({} {})", c.at.short(), t.future_date);
                status.push(Span::styled(future, theme.dim()));
            }
            out.push(Line::from(status));
            let deadline = p.deadline().map(|d| d.label(lang)).unwrap_or_default();
            for (label, value) in [
                (t.owner, p.owner()),
                (t.person, p.person()),
                (t.deadline, deadline.as_str()),
            ] {
                let v = if value.is_empty() { t.none } else { value };
                para(&mut out, &format!("{label}: {v}"), w, Style::default());
            }
            out.push(Line::raw(""));
            let text = wrap(&visible(item.text.get(lang)), w);
            // The text takes as many lines as the longest of its area's (up to a few dozen
            // problems are measured), so that what follows stays put between them.
            let siblings = *app
                .text_heights
                .borrow_mut()
                .entry((a, w, lang))
                .or_insert_with(|| {
                    area.items
                        .iter()
                        .take(SIBLINGS_MEASURED)
                        .map(|i| wrap(&visible(i.text.get(lang)), w).len())
                        .max()
                        .unwrap_or(0)
                });
            let tallest = siblings.max(text.len());
            let padding = tallest - text.len();
            out.extend(text.into_iter().map(|l| Line::styled(l, theme.heading())));
            out.extend(std::iter::repeat_n(Line::raw(""), padding));
            measure_list(&mut out, app, &item.id, p, w, &theme);
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
            notes(
                &mut out,
                &mut focus_line,
                app,
                &p.visible_notes(),
                w,
                &theme,
            );
        }
        Row::Measure(a, i, n) => {
            let area = &app.checklist.areas[a];
            let item = &area.items[i];
            let Some(m) = app.progress.item(&item.id).and_then(|p| p.measure(n)) else {
                return (out, None);
            };
            measure_detail(&mut out, app, &format!("{}.{n}", item.id), m, w, &theme);
            out.push(Line::raw(""));
            notes(
                &mut out,
                &mut focus_line,
                app,
                &m.visible_notes(),
                w,
                &theme,
            );
        }
    }
    (out, focus_line)
}

/// A problem's or a measure's notes, newest first; the selected one's line is kept.
fn notes(
    out: &mut Vec<Line<'static>>,
    focus_line: &mut Option<usize>,
    app: &App,
    notes: &[&crate::model::Note],
    w: usize,
    theme: &Theme,
) {
    let lang = app.lang;
    let t = lang.strings();
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
            *focus_line = Some(out.len());
        }
        let marker = if selected { "▶ " } else { "  " };
        let head_style = if selected {
            theme.selected()
        } else {
            theme.dim()
        };
        // The heading wraps like the text: with an edit and two names it is long.
        // The day it happened, when not the day it was written.
        let mut heading = n.heading(lang, app.now);
        if let Some(on) = n.on {
            heading.push_str(&format!(" · {} {on}", t.happened_on));
        }
        for (k, l) in wrap(&heading, w.saturating_sub(2)).into_iter().enumerate() {
            let lead = if k == 0 { marker } else { "  " };
            out.push(Line::styled(format!("{lead}{l}"), head_style));
        }
        // A note of megabytes would be wrapped whole on every frame: the pane shows
        // its start, the editor and the exports all of it.
        let (shown, rest) = match n.text.char_indices().nth(NOTE_CHARS_SHOWN) {
            Some((cut, _)) => (&n.text[..cut], n.text[cut..].chars().count()),
            None => (n.text.as_str(), 0),
        };
        for l in wrap(&visible(shown), w.saturating_sub(2)) {
            out.push(Line::raw(format!("  {l}")));
        }
        if rest > 0 {
            out.push(Line::styled(
                format!("  … {}", t.more_chars.replace("{}", &rest.to_string())),
                theme.dim(),
            ));
        }
    }
}

/// A problem's measures: id, mark and text, then lead unit, deadline and status.
fn measure_list(
    out: &mut Vec<Line<'static>>,
    app: &App,
    item: &str,
    p: &ItemProgress,
    w: usize,
    theme: &Theme,
) {
    let lang = app.lang;
    let t = lang.strings();
    let measures = p.numbered_measures();
    out.push(Line::styled(
        format!("{} ({})", t.measures, measures.len()),
        theme.heading(),
    ));
    if measures.is_empty() {
        out.push(Line::styled(t.none.to_string(), theme.dim()));
    }
    for (n, m) in measures {
        let st = m.status();
        let head = format!("{} {item}.{n} ", st.mark());
        let hw = crate::text::width(&head);
        for (k, l) in wrap(&visible(m.text()), w.saturating_sub(hw).max(4))
            .into_iter()
            .enumerate()
        {
            let lead = if k == 0 { head.clone() } else { " ".repeat(hw) };
            out.push(Line::from(vec![
                Span::styled(lead, theme.status(st)),
                Span::raw(l),
            ]));
        }
        let owner = if m.owner().is_empty() {
            t.none
        } else {
            m.owner()
        };
        let deadline = m.deadline().map(|d| d.label(lang)).unwrap_or_default();
        let mut info = format!("{owner} · {} {}", st.mark(), st.label(lang));
        if !deadline.is_empty() {
            info = format!("{owner} · {deadline} · {} {}", st.mark(), st.label(lang));
        }
        let style = if m.is_overdue(app.today()) {
            info.push_str(&format!(" · ⚠ {}", t.overdue));
            theme.overdue()
        } else {
            theme.dim()
        };
        for l in wrap(&visible(&info), w.saturating_sub(hw).max(4)) {
            out.push(Line::styled(format!("{}{l}", " ".repeat(hw)), style));
        }
    }
}

/// A measure in full: its status, fields and history.
fn measure_detail(
    out: &mut Vec<Line<'static>>,
    app: &App,
    id: &str,
    m: &crate::model::Measure,
    w: usize,
    theme: &Theme,
) {
    let lang = app.lang;
    let t = lang.strings();
    para(out, &format!("{} · {id}", t.measure), w, theme.dim());
    let st = m.status();
    let mut status = vec![
        Span::raw(format!("{}: ", t.status)),
        Span::styled(
            format!("{} {}", st.mark(), st.label(lang)),
            theme.status(st),
        ),
    ];
    if m.is_overdue(app.today()) {
        status.push(Span::styled(format!("  ⚠ {}", t.overdue), theme.overdue()));
    }
    out.push(Line::from(status));
    let deadline = m.deadline().map(|d| d.label(lang)).unwrap_or_default();
    let partners = m.partners().join("、");
    for (label, value) in [
        (t.goal, m.goal()),
        (t.owner, m.owner()),
        (t.partners, partners.as_str()),
        (t.leader, m.leader()),
        (t.person, m.person()),
        (t.deadline, deadline.as_str()),
    ] {
        let v = if value.is_empty() { t.none } else { value };
        para(out, &format!("{label}: {v}"), w, Style::default());
    }
    out.push(Line::raw(""));
    para(out, m.text(), w, theme.heading());
    if !m.history.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled(t.history.to_string(), theme.heading()));
        let mut history: Vec<_> = m.history.iter().collect();
        history.sort_by(|a, b| a.order(b));
        for c in history.into_iter().rev() {
            let by =
                c.by.as_deref()
                    .map(|b| format!(" · {b}"))
                    .unwrap_or_default();
            let why = c
                .reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            let line = format!(
                "{} {} {}{by}{why}",
                c.date(),
                c.status.mark(),
                c.status.label(lang)
            );
            for l in wrap(&visible(&line), w.saturating_sub(2)) {
                out.push(Line::styled(format!("  {l}"), theme.dim()));
            }
        }
    }
}

/// How many problems of an area are measured to give their text the same height.
const SIBLINGS_MEASURED: usize = 32;

/// How much of one note the pane shows: about sixty lines.
const NOTE_CHARS_SHOWN: usize = 4_000;

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
