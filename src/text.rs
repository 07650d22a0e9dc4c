//! Text helpers shared by loading, the CLI and the exports: decoding a file with precise
//! errors, and keeping control characters from user text out of terminals and files.

use std::borrow::Cow;

use ron::extensions::Extensions;
use unicode_width::UnicodeWidthStr;

/// How every RON file is read: `Some(..)` may be left out, so hand-written files stay plain.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// 1-based line and column (counted in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Checks that a file's bytes are text we can parse and says exactly where they are not.
/// Errors are `(line, column, message)`.
pub fn decode_file(bytes: &[u8]) -> Result<&str, (usize, usize, String)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err((
            1,
            1,
            "the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without BOM".into(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let (line, col) = line_col(valid, valid.len());
        (
            line,
            col,
            format!(
                "the file is not valid UTF-8 (byte 0x{:02X} at offset {})",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err((1, 1, "the file is empty".into()));
    }
    if let Some(offset) = text.find('\0') {
        let (line, col) = line_col(text, offset);
        return Err((line, col, "the file contains a NUL byte".into()));
    }
    Ok(text)
}

/// A character that would act on a terminal or reorder text instead of being shown.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The text with every unsafe character replaced by a visible stand-in: C0 controls by their
/// Control Pictures symbol (ESC → ␛), DEL by ␡, C1 controls and bidi controls by `<U+XXXX>`.
/// Newlines and tabs are kept. Notes are stored as typed; this is for showing them.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !is_unsafe(c) => out.push(c),
            '\u{0}'..='\u{1F}' => {
                out.push(char::from_u32(0x2400 + c as u32).expect("control pictures exist"))
            }
            '\u{7F}' => out.push('␡'),
            c => out.push_str(&format!("<U+{:04X}>", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Display columns of a string: 2 for a CJK character, 1 for ASCII.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` display columns, ending in `…` when it had to cut. Never splits
/// a character, so wide characters keep their columns.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "第一行\n第二行x";
        let x = src.find('x').unwrap();
        assert_eq!(line_col(src, x), (2, 4));
        assert_eq!(line_col(src, 0), (1, 1));
    }

    #[test]
    fn bad_bytes_are_located() {
        assert_eq!(decode_file(b"").unwrap_err().0, 1);
        assert!(decode_file(b"  \n ").unwrap_err().2.contains("empty"));
        assert!(
            decode_file(b"\xEF\xBB\xBFx")
                .unwrap_err()
                .2
                .contains("byte-order mark")
        );
        let (line, col, msg) = decode_file(b"ab\ncd\xFFef").unwrap_err();
        assert_eq!((line, col), (2, 3));
        assert!(msg.contains("0xFF"), "{msg}");
        let (line, col, _) = decode_file(b"a\n\0").unwrap_err();
        assert_eq!((line, col), (2, 1));
        assert_eq!(decode_file("進展".as_bytes()), Ok("進展"));
    }

    #[test]
    fn controls_become_visible_and_text_stays() {
        assert_eq!(visible("整改\n完成\t"), "整改\n完成\t");
        assert_eq!(visible("a\u{1b}[31mb"), "a␛[31mb");
        assert_eq!(visible("\u{7}\u{7f}\r"), "␇␡␍");
        assert_eq!(visible("x\u{85}y\u{202E}z"), "x<U+0085>y<U+202E>z");
        assert!(matches!(visible("plain 文字"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncation_respects_wide_characters() {
        assert_eq!(width("政治站位"), 8);
        assert_eq!(truncate("政治站位", 8), "政治站位");
        assert_eq!(truncate("政治站位", 7), "政治站…");
        assert_eq!(truncate("政治站位", 6), "政治…");
        assert_eq!(truncate("abc", 2), "a…");
    }
}
