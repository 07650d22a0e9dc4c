//! Drawing: a function of the state, one module per view. Nothing here changes the ledger.

mod cells;
pub use cells::is_emoji_joiner;
mod detail;
mod help;
mod overlays;
mod summary;
mod tree;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{Action, App, Filter, Mode, SaveState, View, ViewLayout};
use crate::model::Status;
use crate::summary::text_bar;
use crate::text::{truncate, visible, width};

/// Below this the screen says so instead of drawing a squashed ledger.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Writes lines top-down into `area`, each cut at its width: what `Paragraph` does for text
/// that needs no wrapping, without styling every cell of the area first and without its
/// truncation machinery (together 40% of the first frame).
pub fn put_lines<'a>(frame: &mut Frame, area: Rect, lines: impl IntoIterator<Item = &'a Line<'a>>) {
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    for (dy, line) in (0..area.height).zip(lines) {
        put_line(buf, area.x, area.y + dy, line, area.width);
    }
}

/// One line, like `Buffer::set_line`. Text made only of characters that are a grapheme
/// each (ASCII, CJK, most punctuation) is written a character at a time; anything with a
/// combining or joining character goes through ratatui's grapheme segmentation, which was
/// the largest single cost of a frame.
fn put_line(buf: &mut ratatui::buffer::Buffer, x: u16, y: u16, line: &Line<'_>, max: u16) {
    use unicode_width::UnicodeWidthChar;
    let end = x.saturating_add(max).min(buf.area.right());
    let mut x = x;
    for span in line {
        if x >= end {
            break;
        }
        let style = line.style.patch(span.style);
        let simple = span.content.chars().all(|c| {
            !c.is_control()
                && matches!(c.width(), Some(1 | 2))
                && !crate::ui::is_emoji_joiner(c)
                // Two regional indicators make one flag: a grapheme of two characters.
                && !('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
        });
        if !simple {
            let (nx, _) = buf.set_stringn(x, y, &span.content, (end - x) as usize, style);
            x = nx;
            continue;
        }
        // The row's cells, indexed directly: `buf[(x, y)]` checks the position each time.
        let row = (y - buf.area.y) as usize * buf.area.width as usize;
        let cells = &mut buf.content[row..row + buf.area.width as usize];
        let left = buf.area.x;
        for c in span.content.chars() {
            let w = c.width().unwrap_or(1) as u16;
            if x + w > end {
                // The next span may still fit in what is left, as with `set_line`.
                break;
            }
            let i = (x - left) as usize;
            cells[i].set_char(c).set_style(style);
            if w == 2 {
                cells[i + 1].reset();
            }
            x += w;
        }
    }
}

/// Styles that work on a 16-colour terminal; with colour off (NO_COLOR) only bold, reverse
/// and dim remain. A status is always also told by its mark, never by colour alone.
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn of(app: &App) -> Theme {
        Theme { color: app.color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn status(&self, s: Status) -> Style {
        match s {
            Status::Open => Style::default(),
            Status::InProgress => self.fg(Color::Yellow),
            Status::Resolved => self.fg(Color::Green),
            Status::Verified => self.fg(Color::Cyan),
        }
    }

    pub fn overdue(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn heading(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            self.fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn bar(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn status_bar(&self) -> Style {
        if self.color {
            Style::default().bg(Color::Blue).fg(Color::White)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
}

/// Draws the whole screen; returns what it laid out, for the loop to hand back to the app
/// ([`Msg::Drawn`](crate::app::Msg::Drawn)).
pub fn draw(frame: &mut Frame, app: &App) -> ViewLayout {
    let mut layout = app.layout;
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let t = app.lang.strings();
        let msg = format!(
            "{}: {}×{} < {MIN_WIDTH}×{MIN_HEIGHT}",
            t.too_small, area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(truncate(&msg, area.width as usize).into_owned()),
            area,
        );
        return layout;
    }
    // Plain arithmetic rather than `Layout`: its constraint solver was a tenth of the work
    // of the first frame.
    let row = |y: u16, height: u16| Rect { y, height, ..area };
    let (header, body, status) = (
        row(area.y, 1),
        row(area.y + 1, area.height - 2),
        row(area.bottom() - 1, 1),
    );
    draw_header(frame, app, header);
    match app.view {
        View::Summary => layout.summary_max = summary::draw(frame, app, body),
        View::Ledger if app.is_wide() => {
            let left_width = (body.width as u32 * 45).div_ceil(100) as u16;
            let left = Rect {
                width: left_width,
                ..body
            };
            let right = Rect {
                x: body.x + left_width,
                width: body.width - left_width,
                ..body
            };
            (layout.tree, layout.tree_offset) = tree::draw(frame, app, left);
            layout.detail_max = detail::draw(frame, app, right);
        }
        View::Ledger if app.detail_open => layout.detail_max = detail::draw(frame, app, body),
        View::Ledger => (layout.tree, layout.tree_offset) = tree::draw(frame, app, body),
    }
    draw_status(frame, app, status);
    overlays::draw(frame, app, body);
    if matches!(app.mode, Mode::Help) {
        help::draw(frame, app, body);
    }
    cells::make_unambiguous(frame.buffer_mut());
    layout
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.lang.strings();
    // Only the counts: building the whole summary would copy every note on every frame.
    let derived = app.derived();
    let c = &derived.counts;
    // Narrow windows keep the title and the numbers, and drop the date and bar.
    let gauge = if let Some(bytes) = app.reading {
        format!(" {} ({:.1} MB)… ", t.reading, bytes as f64 / 1e6)
    } else {
        // "Problems 3/22 · Measures 17/64", the measures only when there are any.
        let (md, mt) = derived.measures;
        let counts = if mt > 0 {
            format!(
                "{} {}/{} · {} {md}/{mt}",
                t.problems,
                c.done(),
                c.total,
                t.measures_count
            )
        } else {
            format!("{}/{}", c.done(), c.total)
        };
        if area.width >= 70 + width(&counts) as u16 / 2 {
            format!(
                " {} {}  {} {counts} · {}% ",
                t.as_of,
                app.today(),
                text_bar(c.done(), c.total, 10),
                c.percent()
            )
        } else {
            format!(" {counts} · {}% ", c.percent())
        }
    };
    let title_width = (area.width as usize).saturating_sub(width(&gauge) + 1);
    let title = truncate(&visible(app.checklist.title.get(app.lang)), title_width).into_owned();
    let pad = (area.width as usize).saturating_sub(width(&title) + 1 + width(&gauge));
    let theme = Theme::of(app);
    let line = Line::from(vec![
        Span::styled(format!(" {title}"), theme.heading()),
        Span::raw(" ".repeat(pad)),
        Span::styled(gauge, theme.bar()),
    ]);
    put_lines(frame, area, [&line]);
}

/// The hints for the current mode, from the key map, and the save state.
fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.lang.strings();
    let theme = Theme::of(app);
    let right = match (&app.save, app.read_only) {
        (_, true) => t.read_only.to_string(),
        (SaveState::Clean, _) => String::new(),
        (SaveState::Saved(at), _) => format!("{} {}", t.saved, at.local().strftime("%H:%M")),
        (SaveState::Pending, _) => t.unsaved.to_string(),
        (SaveState::Failed(e), _) => format!("{}: {}", t.save_failed, visible(e)),
    };
    let left = match &app.mode {
        Mode::Search(q) => format!("/{}", visible(q)),
        Mode::Editor(_) => t.editor_hint.to_string(),
        Mode::Fields(_) => t.fields_hint.to_string(),
        Mode::StatusPicker(_) | Mode::ExportPicker(_) => t.hint_picker.to_string(),
        Mode::ConfirmDelete { .. } => t.delete_confirm.to_string(),
        Mode::ConfirmLeave(_) => t.leave_confirm.to_string(),
        Mode::ConfirmLeaveFields(_) => t.fields_leave_confirm.to_string(),
        Mode::ConfirmDeleteMeasure(_) => t.measure_delete_confirm.to_string(),
        Mode::Help => t.hint_help.to_string(),
        Mode::Normal => match &app.message {
            Some(m) => visible(m).into_owned(),
            None if app.view == View::Summary => format!("{} · {}", t.hint_summary, hints(app)),
            None if matches!(app.focus, crate::app::Focus::Notes(_)) => t.hint_notes.to_string(),
            None => hints(app),
        },
    };
    let right_w = width(&right) + 1;
    let hint_width = (area.width as usize).saturating_sub(right_w + 2);
    let left = truncate(&left, hint_width).into_owned();
    let pad = (area.width as usize).saturating_sub(width(&left) + 1 + right_w);
    let mut spans = vec![Span::raw(format!(" {left}")), Span::raw(" ".repeat(pad))];
    let right_style = match app.save {
        SaveState::Failed(_) => theme.overdue(),
        _ => Style::default(),
    };
    spans.push(Span::styled(format!("{right} "), right_style));
    // What `Paragraph::style` does: the bar's style on every cell, the text's on top.
    frame.buffer_mut().set_style(area, theme.status_bar());
    put_lines(frame, area, [&Line::from(spans)]);
    if let Mode::Search(_) = app.mode {
        // The terminal's own cursor at the end of the query, where an input method shows
        // its candidates.
        let x = (area.x + 1 + width(&left) as u16).min(area.right().saturating_sub(1));
        frame.set_cursor_position(ratatui::layout::Position::new(x, area.y));
    }
}

fn hints(app: &App) -> String {
    let k = &app.keymap;
    let lang = app.lang;
    let actions: &[Action] = match app.view {
        View::Summary => &[Action::Help, Action::Quit, Action::Summary, Action::Export],
        // Help and quit first, so they fit however narrow the window.
        View::Ledger => &[
            Action::Help,
            Action::Quit,
            Action::ToggleResolved,
            Action::ChooseStatus,
            Action::NewNote,
            Action::EditFields,
            Action::AddMeasure,
            Action::Search,
            Action::Filter,
            Action::Summary,
            Action::Export,
        ],
    };
    let mut parts: Vec<String> = actions
        .iter()
        .map(|a| {
            format!(
                "{} {}",
                k.keys(*a)
                    .first()
                    .map(|k| visible(&k.to_string()).into_owned())
                    .unwrap_or_default(),
                a.describe(lang)
            )
        })
        .collect();
    if app.filter != Filter::All {
        let t = lang.strings();
        let f = match app.filter {
            Filter::Open => t.filter_open,
            Filter::Overdue => t.filter_overdue,
            Filter::All => t.filter_all,
        };
        parts.insert(0, format!("[{}: {f}]", t.filter));
    }
    parts.join(" · ")
}

/// `▲` and `▼ PgDn more` at the right edge when there is more above or below.
pub(crate) fn scroll_marks(frame: &mut Frame, app: &App, area: Rect, above: bool, below: bool) {
    let theme = Theme::of(app);
    let right = |text: &str, y: u16| {
        let w = width(text) as u16;
        Rect {
            x: area.right().saturating_sub(w),
            y,
            width: w.min(area.width),
            height: 1,
        }
    };
    if above && area.height > 0 {
        frame.render_widget(Paragraph::new("▲").style(theme.dim()), right("▲", area.y));
    }
    if below && area.height > 1 {
        let text = format!("▼ {}", app.lang.strings().more_below);
        frame.render_widget(
            Paragraph::new(text.clone()).style(theme.selected()),
            right(&text, area.bottom() - 1),
        );
    }
}

/// Clears the area of a pop-up. A wide character just left of it would spill its second
/// column over the pop-up's border, so it is blanked too.
pub(crate) struct Backdrop;

impl ratatui::widgets::Widget for Backdrop {
    fn render(self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        ratatui::widgets::Widget::render(ratatui::widgets::Clear, area, buf);
        if area.x == 0 {
            return;
        }
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(area.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

/// A rectangle of `w`×`h` centred in `area`, clipped to it.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let [_, mid, _] = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Fill(1),
            Constraint::Length(h),
            Constraint::Fill(1),
        ])
        .areas(area);
    let [_, c, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(w),
        Constraint::Fill(1),
    ])
    .areas(mid);
    c
}

#[cfg(test)]
mod put_line_tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use ratatui::text::{Line, Span};

    /// Writing a character at a time fills the cells exactly as ratatui's `set_line` does, at every width.
    #[test]
    fn same_cells_as_set_line() {
        let lines = [
            Line::from("  [ ] 1.1 有的地方、部門領導學習貫徹習近平總書記"),
            Line::from(vec![
                Span::styled("▶ [~] 2.5 ", Style::default().reversed()),
                Span::raw("“打財斷血”問題突出，"),
                Span::styled(" ⚠ ✎2", Style::default().red()),
            ]),
            Line::from("e\u{301}👍🏽🇨🇳 mixed 混合 ｶﾞ text"),
            Line::from("tab\tand 𠀀 wide"),
        ];
        for line in &lines {
            for width in 1..40u16 {
                let area = Rect::new(0, 0, 40, 1);
                let mut ours = Buffer::empty(area);
                let mut theirs = Buffer::empty(area);
                super::put_line(&mut ours, 0, 0, line, width);
                theirs.set_line(0, 0, line, width);
                assert_eq!(ours, theirs, "{line:?} at width {width}");
            }
        }
    }
}
