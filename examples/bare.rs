//! The yardstick for rectify's speed: the least a ratatui + crossterm program can do to show
//! the same 22 problems. It draws them as a list (the text of the embedded checklist, so the
//! same Chinese), moves a highlight with j/k and quits on q. `examples/perf` and the README's
//! Performance section compare rectify against it.

use std::io;

use crossterm::event::{self, Event, KeyCode, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{List, ListState};

/// The 22 problems' Traditional Chinese text, lifted from the asset without parsing it
/// (parsing is part of what rectify is measured doing).
fn items() -> Vec<String> {
    let src = include_str!("../assets/inner-mongolia-sg15.ron");
    let mut out = Vec::new();
    let mut id = String::new();
    for line in src.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("id: \"") {
            id = rest.trim_end_matches("\",").to_string();
        } else if let Some(rest) = t.strip_prefix("\"zh-Hant\": \"")
            && id.contains('.')
        {
            out.push(format!("[ ] {id} {}", rest.trim_end_matches("\",")));
            id.clear();
        }
    }
    out
}

fn main() -> io::Result<()> {
    let items = items();
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let mut state = ListState::default().with_selected(Some(0));
    let result = (|| -> io::Result<()> {
        loop {
            terminal.draw(|f| {
                let list = List::new(items.iter().map(String::as_str))
                    .highlight_style(Style::default().add_modifier(Modifier::REVERSED));
                f.render_stateful_widget(list, f.area(), &mut state);
            })?;
            if let Event::Key(k) = event::read()? {
                if k.kind == KeyEventKind::Release {
                    continue;
                }
                match k.code {
                    KeyCode::Char('q') => return Ok(()),
                    KeyCode::Char('j') | KeyCode::Down => state.select_next(),
                    KeyCode::Char('k') | KeyCode::Up => state.select_previous(),
                    _ => {}
                }
            }
        }
    })();
    disable_raw_mode()?;
    execute!(io::stdout(), LeaveAlternateScreen)?;
    result
}
