//! The summary view (`Tab`): overall gauge, a bar per area, counts by status, overdue list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::App;
use crate::model::Status;
use crate::summary::{Summary, text_bar};
use crate::text::{truncate, visible, width};

/// Returns the most lines it can be scrolled down.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) -> u16 {
    let theme = Theme::of(app);
    let t = app.lang.strings();
    let s = Summary::build(&app.checklist, &app.progress, app.lang, app.today());
    let w = area.width.saturating_sub(2) as usize;
    let mut out: Vec<Line> = Vec::new();
    out.push(Line::styled(t.summary_title.to_string(), theme.heading()));
    for l in crate::text::wrap(&s.headline(), w) {
        out.push(Line::raw(l));
    }
    out.push(Line::raw(""));
    // One bar per area, labels padded to one width so the bars line up.
    let labels: Vec<String> = s
        .areas
        .iter()
        .map(|a| format!("{} {}", a.id, visible(a.title)))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| width(l))
        .max()
        .unwrap_or(0)
        .min(w / 2);
    let bar_w = w.saturating_sub(label_w + 14).clamp(4, 40);
    let bar = |label: &str, done: usize, total: usize, pct: u32, out: &mut Vec<Line>| {
        let label = truncate(label, label_w).into_owned();
        let pad = " ".repeat(label_w - width(&label));
        out.push(Line::from(vec![
            Span::raw(format!("{label}{pad} ")),
            Span::styled(text_bar(done, total, bar_w), theme.bar()),
            Span::raw(format!(" {done}/{total} {pct:>3}%")),
        ]));
    };
    for (a, label) in s.areas.iter().zip(&labels) {
        bar(
            label,
            a.counts.done(),
            a.counts.total,
            a.counts.percent(),
            &mut out,
        );
    }
    out.push(Line::raw(""));
    bar(
        "Σ",
        s.counts.done(),
        s.counts.total,
        s.counts.percent(),
        &mut out,
    );
    out.push(Line::raw(""));
    out.push(Line::styled(
        t.counts_by_status.to_string(),
        theme.heading(),
    ));
    let c = &s.counts;
    for (st, n) in [
        (Status::Open, c.open),
        (Status::InProgress, c.in_progress),
        (Status::Resolved, c.resolved),
        (Status::Verified, c.verified),
    ] {
        out.push(Line::from(vec![
            Span::styled(
                format!("  {} {}", st.mark(), st.label(app.lang)),
                theme.status(st),
            ),
            Span::raw(format!(": {n}")),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!("{} ({})", t.overdue_list, c.overdue),
        theme.heading(),
    ));
    let overdue: Vec<_> = s.items().filter(|(_, i)| i.overdue).collect();
    if overdue.is_empty() {
        out.push(Line::styled(format!("  {}", t.none_overdue), theme.dim()));
    }
    for (_, i) in overdue {
        let head = format!(
            "  ⚠ {} {} ",
            i.id,
            i.deadline.map(|d| d.label(app.lang)).unwrap_or_default()
        );
        let text = truncate(&visible(i.text), w.saturating_sub(width(&head))).into_owned();
        out.push(Line::from(vec![
            Span::styled(head, theme.overdue()),
            Span::raw(text),
        ]));
    }
    let area = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let height = if out.len() > area.height as usize {
        area.height.saturating_sub(1)
    } else {
        area.height
    };
    let max = out.len().saturating_sub(height as usize);
    let scroll = (app.summary_scroll as usize).min(max);
    frame.render_widget(
        Paragraph::new(out).scroll((scroll as u16, 0)),
        Rect { height, ..area },
    );
    super::scroll_marks(frame, app, area, scroll > 0, scroll < max);
    max as u16
}
