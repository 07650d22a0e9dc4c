//! The terminal backend: crossterm's for everything but drawing, which writes fewer bytes.
//!
//! crossterm's `draw` sends a cursor move before every cell that does not follow the one
//! before by exactly one column, so each Chinese character costs a full `ESC[y;xH`, and it
//! resets colours and attributes one by one after each frame. Over a slow SSH link that is
//! most of a redraw. Here the cursor is followed through wide characters, short gaps on a
//! row are crossed with `ESC[nC`, and styles are set with one SGR sequence.
//!
//! Following the cursor through a wide character trusts that the terminal draws it two
//! columns wide. That holds for CJK ideographs, kana, hangul and fullwidth forms; after any
//! other wide character (emoji, whose width terminals disagree on) the cursor is placed again.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

pub struct Screen<W: Write> {
    inner: CrosstermBackend<W>,
    /// The terminal's size as last asked. crossterm opens `/dev/tty` to ask, and ratatui
    /// asks before every frame: two opens for each key press, a third of the time from key
    /// to frame. Asked again after [`Screen::forget_size`], which the event loop calls on a
    /// resize and on every signal (SIGWINCH among them).
    size: std::cell::Cell<Option<Size>>,
}

impl<W: Write> Screen<W> {
    pub fn new(writer: W) -> Screen<W> {
        Screen {
            inner: CrosstermBackend::new(writer),
            size: std::cell::Cell::new(None),
        }
    }

    /// The next frame asks the terminal for its size again.
    pub fn forget_size(&self) {
        self.size.set(None);
    }
}

/// A wide character every terminal draws two columns wide (East Asian Wide by the same
/// rules in every widely used width table).
fn surely_wide(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A000}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{2FFFD}'
        | '\u{30000}'..='\u{3FFFD}')
}

fn color(out: &mut Vec<u8>, c: Color, background: bool) {
    let base = if background { 40 } else { 30 };
    let code = |n: u8| n + base;
    let _ = match c {
        Color::Reset => write!(out, ";{}", code(9)),
        Color::Black => write!(out, ";{}", code(0)),
        Color::Red => write!(out, ";{}", code(1)),
        Color::Green => write!(out, ";{}", code(2)),
        Color::Yellow => write!(out, ";{}", code(3)),
        Color::Blue => write!(out, ";{}", code(4)),
        Color::Magenta => write!(out, ";{}", code(5)),
        Color::Cyan => write!(out, ";{}", code(6)),
        Color::Gray => write!(out, ";{}", code(7)),
        Color::DarkGray => write!(out, ";{}", code(60)),
        Color::LightRed => write!(out, ";{}", code(61)),
        Color::LightGreen => write!(out, ";{}", code(62)),
        Color::LightYellow => write!(out, ";{}", code(63)),
        Color::LightBlue => write!(out, ";{}", code(64)),
        Color::LightMagenta => write!(out, ";{}", code(65)),
        Color::LightCyan => write!(out, ";{}", code(66)),
        Color::White => write!(out, ";{}", code(67)),
        Color::Indexed(i) => write!(out, ";{};5;{i}", code(8)),
        Color::Rgb(r, g, b) => write!(out, ";{};2;{r};{g};{b}", code(8)),
    };
}

const SGR: [(Modifier, u8); 8] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

#[derive(Clone, Copy, PartialEq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

/// One SGR sequence taking the terminal from `from` to `to`: attributes can only be turned
/// off all together, so losing one starts from a reset.
fn restyle(out: &mut Vec<u8>, from: Pen, to: Pen) {
    out.extend_from_slice(b"\x1b[");
    let reset = !to.modifier.contains(from.modifier);
    let mut first = true;
    let mut sep = |out: &mut Vec<u8>| {
        if !std::mem::take(&mut first) {
            out.push(b';');
        }
    };
    let start = if reset {
        sep(out);
        out.push(b'0');
        PLAIN
    } else {
        from
    };
    for (m, code) in SGR {
        if to.modifier.contains(m) && !start.modifier.contains(m) {
            sep(out);
            let _ = write!(out, "{code}");
        }
    }
    // Colours are written with a leading ';': the first one drops it.
    for (c, was, bg) in [(to.fg, start.fg, false), (to.bg, start.bg, true)] {
        if c != was {
            let at = out.len();
            color(out, c, bg);
            if first {
                out.remove(at);
                first = false;
            }
        }
    }
    out.push(b'm');
}

/// The escape sequences and text that take the screen to the new cells.
pub fn encode<'a>(content: impl Iterator<Item = (u16, u16, &'a Cell)>, width: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    let mut pen = PLAIN;
    // Where the terminal's cursor is, when known.
    let mut cursor: Option<(u16, u16)> = None;
    for (x, y, cell) in content {
        match cursor {
            Some((cx, cy)) if cy == y && cx == x => {}
            Some((cx, cy)) if cy == y && cx < x && x - cx <= 4 => {
                let n = x - cx;
                if n == 1 {
                    out.extend_from_slice(b"\x1b[C");
                } else {
                    let _ = write!(out, "\x1b[{n}C");
                }
            }
            _ => {
                let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
            }
        }
        let want = Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        };
        if want != pen {
            restyle(&mut out, pen, want);
            pen = want;
        }
        let symbol = cell.symbol();
        out.extend_from_slice(symbol.as_bytes());
        let next = if symbol.len() == 1 {
            Some(x + 1)
        } else if surely_wide(symbol) {
            Some(x + 2)
        } else if unicode_width::UnicodeWidthStr::width(symbol) == 1 {
            Some(x + 1)
        } else {
            None
        };
        // At the last column the terminal waits to wrap: place the cursor again.
        cursor = next.filter(|&nx| nx < width).map(|nx| (nx, y));
    }
    if pen != PLAIN {
        out.extend_from_slice(b"\x1b[0m");
    }
    out
}

impl<W: Write> Backend for Screen<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // The width ratatui has just laid the frame out for.
        let width = self.size()?.width;
        let bytes = encode(content, width);
        self.inner.write_all(&bytes)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(size) = self.size.get() {
            return Ok(size);
        }
        let size = self.inner.size()?;
        self.size.set(Some(size));
        Ok(size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[derive(Clone, Default)]
    struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Plays the bytes on a terminal emulator and returns its screen.
    fn play(bytes: &[u8], width: u16, height: u16) -> vt100::Parser {
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut p = vt100::Parser::new(size(height), size(width), 0);
        p.process(bytes);
        p
    }

    fn frame(lines: &[(&str, Style)], width: u16) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, width, lines.len() as u16));
        for (y, (text, style)) in lines.iter().enumerate() {
            b.set_string(0, y as u16, text, *style);
        }
        b
    }

    #[test]
    fn the_terminal_shows_what_the_buffer_holds_in_fewer_bytes() {
        let width = 30;
        let before = frame(
            &[
                ("▾ 1 政治站位 0/4", Style::default().bold()),
                ("  [ ] 1.1 有的地方、部門領導", Style::default().reversed()),
                ("  [ ] 1.2 👍🏽 ok ❤ 𠀀 ｶ", Style::default()),
            ],
            width,
        );
        let after = frame(
            &[
                ("▾ 1 政治站位 1/4", Style::default().bold()),
                ("  [x] 1.1 有的地方、部門領導", Style::default()),
                (
                    "  [ ] 1.2 👍 no ❤ 𠀀 ｶ",
                    Style::default().reversed().fg(Color::Red),
                ),
            ],
            width,
        );
        for (old, new) in [
            (Buffer::empty(before.area), &before),
            (before.clone(), &after),
        ] {
            let diff = old.diff(new);
            let ours = encode(diff.iter().map(|(x, y, c)| (*x, *y, *c)), width);
            let sink = Sink::default();
            let mut crossterm = CrosstermBackend::new(sink.clone());
            Backend::draw(&mut crossterm, diff.iter().map(|(x, y, c)| (*x, *y, *c))).unwrap();
            let theirs = sink.0.lock().unwrap().clone();
            // Both on top of the old screen give the same new screen, text and style.
            let first = encode(
                Buffer::empty(old.area)
                    .diff(&old)
                    .iter()
                    .map(|(x, y, c)| (*x, *y, *c)),
                width,
            );
            let mut a = play(&first, width, 3);
            let mut b = play(&first, width, 3);
            a.process(&ours);
            b.process(&theirs);
            for row in 0..3 {
                for col in 0..width {
                    let (ca, cb) = (
                        a.screen().cell(row, col).unwrap(),
                        b.screen().cell(row, col).unwrap(),
                    );
                    assert_eq!(ca.contents(), cb.contents(), "text at {row},{col}");
                    assert_eq!(
                        (ca.bold(), ca.inverse(), ca.fgcolor()),
                        (cb.bold(), cb.inverse(), cb.fgcolor()),
                        "style at {row},{col}"
                    );
                }
            }
            assert!(
                ours.len() < theirs.len(),
                "{} bytes, crossterm {}",
                ours.len(),
                theirs.len()
            );
        }
    }
}
