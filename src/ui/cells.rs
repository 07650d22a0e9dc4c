//! The last step of every frame: cells whose width terminals disagree on are replaced by
//! text every terminal draws at the width ratatui reserved for it.
//!
//! ratatui gives a grapheme the width `unicode-width` gives it, but terminals do not all
//! agree: tmux 3.3 draws 👍🏽 four cells wide and ❤️ or 1️⃣ one cell wide where ratatui
//! reserved two, and VTE draws 👨‍👩‍👧 as three emoji (six cells). A glyph narrower than its cells
//! leaves a stale cell on screen; a wider one pushes the rest of the line over. The note
//! itself keeps every character: this changes only what is sent to the terminal.
//!
//! It is also the last guard against a character that acts on the terminal: one that came
//! past [`crate::text::visible`] (a line separator in a note opened in the editor) is
//! drawn as U+FFFD in its cell, never sent.

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthChar;

/// Characters that join or restyle their neighbours: zero width joiner, variation
/// selectors, skin tone modifiers, the combining keycap and emoji tag characters.
pub fn is_emoji_joiner(c: char) -> bool {
    matches!(c,
        '\u{200D}' | '\u{FE0E}' | '\u{FE0F}' | '\u{20E3}'
        | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
}

/// Replaces each emoji sequence with its first character, padded to the cells ratatui
/// reserved for the whole sequence.
pub fn make_unambiguous(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let cell = &buf[(x, y)];
            let symbol = cell.symbol();
            // Most cells hold one printable ASCII character; any other is scanned (a space
            // and a variation selector fit in four bytes: found by fuzzing).
            if symbol.len() == 1 && !symbol.as_bytes()[0].is_ascii_control() {
                x += 1;
                continue;
            }
            if symbol.chars().any(crate::text::is_unsafe) {
                buf[(x, y)].set_char('\u{FFFD}');
                x += 1;
                continue;
            }
            if !symbol.chars().skip(1).any(is_emoji_joiner) {
                x += 1;
                continue;
            }
            let reserved = unicode_width::UnicodeWidthStr::width(symbol).max(1);
            let base = symbol.chars().next().unwrap_or(' ');
            let base_width = base.width().unwrap_or(0);
            let shown = if base_width >= 1 && base_width <= reserved {
                base
            } else {
                ' '
            };
            let shown_width = shown.width().unwrap_or(1);
            buf[(x, y)].set_char(shown);
            // Cells the sequence covered and the shorter glyph does not: blank, so that the
            // terminal is told about every one of them.
            for dx in shown_width..reserved {
                if let Some(cell) = buf.cell_mut((x + dx as u16, y)) {
                    cell.set_char(' ');
                }
            }
            x += reserved as u16;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn row(text: &str) -> Vec<String> {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        buf.set_string(0, 0, text, Style::default());
        make_unambiguous(&mut buf);
        buf.content()
            .iter()
            .map(|c| c.symbol().to_string())
            .collect()
    }

    #[test]
    fn emoji_sequences_become_one_glyph_of_the_reserved_width() {
        // A ZWJ family: two cells reserved, the first person shown in them.
        assert_eq!(row("👨\u{200d}👩\u{200d}👧|")[..3], ["👨", " ", "|"]);
        // A skin tone: the plain thumb.
        assert_eq!(row("👍🏽|")[..3], ["👍", " ", "|"]);
        // VS16 heart: two cells reserved, a one-cell heart and a blank cell sent.
        assert_eq!(row("❤\u{fe0f}|")[..3], ["❤", " ", "|"]);
        // A space with a variation selector is still a sequence (found by fuzzing).
        assert!(!row(" \u{fe0f}|").concat().contains('\u{fe0f}'));
        // Keycap: the digit and a blank.
        assert_eq!(row("1\u{fe0f}\u{20e3}|")[..3], ["1", " ", "|"]);
    }

    /// A line separator that reached a cell is not sent: some terminals break the line.
    #[test]
    fn separators_and_controls_in_a_cell_are_replaced() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        buf.set_string(0, 0, "a\u{2028}b\u{2029}c", Style::default());
        buf[(5, 0)].set_symbol("\u{1b}");
        make_unambiguous(&mut buf);
        let shown: String = buf.content().iter().map(|c| c.symbol()).collect();
        assert_eq!(shown, "a\u{FFFD}b\u{FFFD}c\u{FFFD}");
    }

    #[test]
    fn text_all_terminals_agree_on_is_left_alone() {
        for s in ["整改，a", "🇨🇳|", "e\u{301}|", "👍|", "ｶ|"] {
            let before = {
                let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
                buf.set_string(0, 0, s, Style::default());
                buf
            };
            let mut after = before.clone();
            make_unambiguous(&mut after);
            assert_eq!(before, after, "{s:?} changed");
        }
    }
}
