//! Text helpers shared by loading, the CLI and the exports: decoding a file with precise
//! errors, and keeping control characters from user text out of terminals and files.

use std::borrow::Cow;

use ron::extensions::Extensions;
use unicode_width::UnicodeWidthStr;

/// How checklists and key maps are read: `Some(..)` may be left out, so hand-written files
/// stay plain. (The progress file is read exactly as rectify writes it.)
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

/// Where and why a file's bytes are not text rectify can parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct Undecodable {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Checks that a file's bytes are text we can parse and says exactly where they are not.
pub fn decode_file(bytes: &[u8]) -> Result<&str, Undecodable> {
    let at = |line, col, message: &str| Undecodable {
        line,
        col,
        message: message.to_string(),
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(at(
            1,
            1,
            "the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without BOM",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let (line, col) = line_col(valid, valid.len());
        at(
            line,
            col,
            &format!(
                "the file is not valid UTF-8 (byte 0x{:02X} at offset {})",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(at(1, 1, "the file is empty"));
    }
    if let Some(offset) = memchr::memchr(0, text.as_bytes()) {
        let (line, col) = line_col(text, offset);
        return Err(at(line, col, "the file contains a NUL byte"));
    }
    Ok(text)
}

/// A character that would act on a terminal or reorder text instead of being shown: the
/// controls but line feed and tab, the bidi controls, and the line and paragraph separators
/// U+2028 and U+2029, which some terminals take as a line break.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
}

/// Whether `s` holds an [`is_unsafe`] character. Every one is a control byte or starts with
/// one of three bytes (C1: 0xC2, U+061C: 0xD8, the bidi controls and separators: 0xE2);
/// most text has none, and is passed without decoding a character.
pub fn has_unsafe(s: &str) -> bool {
    let bytes = s.as_bytes();
    // (A fold without early exit, which the compiler turns into vector code.)
    let controls = bytes.iter().fold(false, |found, &b| {
        found | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7F)
    });
    (controls || memchr::memchr3(0xC2, 0xD8, 0xE2, bytes).is_some()) && s.chars().any(is_unsafe)
}

/// The text with every unsafe character replaced by a visible stand-in: C0 controls by their
/// Control Pictures symbol (ESC → ␛), DEL by ␡, C1 controls and bidi controls by `<U+XXXX>`.
/// Newlines and tabs are kept. Notes are stored as typed; this is for showing them.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !has_unsafe(s) {
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

/// A character XML 1.0 does not allow in a document that [`visible`] keeps: the
/// noncharacters U+FFFE and U+FFFF. (Every C0 control but tab and line feed is a picture
/// after `visible`, and a `str` holds no surrogates.)
fn is_not_xml(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Text as it may go into an XML file (DOCX, XLSX, HTML): [`visible`], with U+FFFE and
/// U+FFFF shown as `<U+FFFE>` and `<U+FFFF>`, so only characters XML 1.0 allows are left.
/// Every export that writes XML passes user text through this.
pub fn xml_text(s: &str) -> Cow<'_, str> {
    let shown = visible(s);
    // Both are EF BF BE/BF in UTF-8; Chinese punctuation starts with EF too, but not EF BF.
    if memchr::memmem::find(shown.as_bytes(), b"\xEF\xBF").is_none() || !shown.contains(is_not_xml)
    {
        return shown;
    }
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        if is_not_xml(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
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
        assert_eq!(decode_file(b"").unwrap_err().line, 1);
        assert!(decode_file(b"  \n ").unwrap_err().message.contains("empty"));
        assert!(
            decode_file(b"\xEF\xBB\xBFx")
                .unwrap_err()
                .message
                .contains("byte-order mark")
        );
        let e = decode_file(b"ab\ncd\xFFef").unwrap_err();
        assert_eq!((e.line, e.col), (2, 3));
        assert!(e.message.contains("0xFF"), "{e}");
        let e = decode_file(b"a\n\0").unwrap_err();
        assert_eq!((e.line, e.col), (2, 1));
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

    /// Line and paragraph separators break a terminal's line like a line feed would: they
    /// are shown, not sent.
    #[test]
    fn line_and_paragraph_separators_are_made_visible() {
        for c in ['\u{2028}', '\u{2029}'] {
            assert!(is_unsafe(c));
            assert!(has_unsafe(&format!("整改{c}完成")));
            let text = format!("整改{c}完成");
            let shown = visible(&text);
            assert!(!shown.contains(c), "{shown}");
            assert_eq!(shown, format!("整改<U+{:04X}>完成", c as u32));
        }
    }

    /// What XML 1.0 allows: tab, line feed, carriage return, U+0020..U+D7FF,
    /// U+E000..U+FFFD and U+10000.. (the `Char` production).
    fn is_xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    #[test]
    fn xml_text_keeps_only_characters_xml_allows() {
        assert_eq!(
            xml_text("a\u{FFFE}b\u{FFFF}c\u{1}d，\u{FFFD}"),
            "a<U+FFFE>b<U+FFFF>c␁d，\u{FFFD}"
        );
        assert!(matches!(xml_text("整改，完成！"), Cow::Borrowed(_)));
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = format!("x{c}y");
            let x = xml_text(&s);
            assert!(x.chars().all(is_xml_char), "U+{:04X} gives {x:?}", c as u32);
        }
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

/// Characters that must not begin a line in Chinese typesetting.
const NO_LINE_START: &str = "，。、；：？！）」』》〉】〕…’”,.;:?!)]}%";

/// The extended grapheme clusters of `s`. Text of printable ASCII and the common CJK blocks
/// has a boundary between every two characters, so it is split by character; anything else
/// goes through unicode-segmentation (its state machine was a third of drawing a problem's
/// details on every key press).
pub fn graphemes(s: &str) -> Vec<&str> {
    use unicode_segmentation::UnicodeSegmentation;
    if !s.chars().all(own_grapheme) {
        return s.graphemes(true).collect();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let (g, tail) = rest.split_at(c.len_utf8());
        out.push(g);
        rest = tail;
    }
    out
}

/// A character that is a grapheme on its own between any two such characters: none of them
/// extends, joins, prepends or pairs (UAX #29's rules need Extend, ZWJ, SpacingMark,
/// Prepend, Hangul, regional indicators, CR or controls for a boundary not to be there).
fn own_grapheme(c: char) -> bool {
    matches!(c,
        ' '..='~'
        // CJK punctuation, less the combining tone marks U+302A..U+302F.
        | '\u{3000}'..='\u{3029}' | '\u{3030}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        // Fullwidth ASCII and punctuation.
        | '\u{FF01}'..='\u{FF60}'
        // General punctuation without the zero-width joiners, marks and controls.
        | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}'
    )
}

/// Breaks `s` into lines of at most `width` display columns (at least one column). Latin
/// words stay whole where they fit; Chinese breaks between any two characters, except that
/// closing punctuation never starts a line: the character before it moves down with it.
/// Every paragraph (`\n`) starts a new line; an empty paragraph gives an empty line.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    // A tab has no width of its own on a cell grid: four spaces.
    let s = if s.contains('\t') {
        Cow::Owned(s.replace('\t', "    "))
    } else {
        Cow::Borrowed(s)
    };
    for para in s.split('\n') {
        // Each grapheme with its width and whether it is blank, measured once.
        let gs = measured(para);
        let mut lines = Lines::default();
        let mut used = 0;
        // Tokens: a run of spaces, a run of narrow non-space graphemes (a word), or one
        // wide grapheme.
        let mut i = 0;
        while i < gs.len() {
            let (g, _, blank) = gs[i];
            let mut j = i + 1;
            if blank {
                while j < gs.len() && gs[j].2 {
                    j += 1;
                }
            } else if gs[i].1 < 2 {
                while j < gs.len() && !gs[j].2 && gs[j].1 < 2 {
                    j += 1;
                }
            }
            let token = &gs[i..j];
            let tw: usize = token.iter().map(|t| t.1).sum();
            if used + tw <= width {
                lines.extend(token);
                used += tw;
            } else if blank {
                // A break at spaces swallows them.
                lines.new_line();
                used = 0;
            } else if NO_LINE_START.contains(g) && token.len() == 1 && lines.count > 1 {
                let carried = lines.pop();
                lines.new_line();
                lines.extend(&[carried, token[0]]);
                used = carried.1 + tw;
            } else if tw <= width {
                if lines.count > 0 {
                    lines.new_line();
                }
                lines.extend(token);
                used = tw;
            } else {
                // A word longer than a line: cut it at grapheme boundaries.
                for &t in token {
                    if used + t.1 > width && used > 0 {
                        lines.new_line();
                        used = 0;
                    }
                    lines.extend(&[t]);
                    used += t.1;
                }
            }
            i = j;
        }
        lines.end();
        out.extend(lines.done);
    }
    out
}

/// The graphemes of `s`, each with its width and whether it is blank; a character that is
/// its own grapheme is measured without the general width and trimming.
fn measured(s: &str) -> Vec<(&str, usize, bool)> {
    graphemes(s)
        .into_iter()
        .map(|g| {
            let mut chars = g.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if own_grapheme(c) => {
                    let w = if c.is_ascii() {
                        1
                    } else {
                        unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
                    };
                    (g, w, c == ' ' || c == '\u{3000}')
                }
                _ => (g, self::width(g), g.trim().is_empty()),
            }
        })
        .collect()
}

/// The lines of one paragraph as [`wrap`] fills them: the current one, with how many
/// graphemes it holds and its last one, so that one can be carried to the next line.
#[derive(Default)]
struct Lines<'s> {
    done: Vec<String>,
    line: String,
    count: usize,
    last: Option<(&'s str, usize, bool)>,
}

impl<'s> Lines<'s> {
    fn extend(&mut self, token: &[(&'s str, usize, bool)]) {
        for t in token {
            self.line.push_str(t.0);
        }
        self.count += token.len();
        self.last = token.last().copied().or(self.last);
    }

    fn pop(&mut self) -> (&'s str, usize, bool) {
        let last = self.last.take().expect("a line of two graphemes or more");
        self.line.truncate(self.line.len() - last.0.len());
        self.count -= 1;
        last
    }

    fn new_line(&mut self) {
        self.end();
        self.count = 0;
        self.last = None;
    }

    fn end(&mut self) {
        let mut line = std::mem::take(&mut self.line);
        line.truncate(line.trim_end().len());
        self.done.push(line);
    }
}

#[cfg(test)]
mod wrap_tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn is_wide(g: &str) -> bool {
        width(g) >= 2
    }

    /// Every character measured alone is measured as a grapheme would be.
    #[test]
    fn characters_measured_alone_are_measured_as_graphemes() {
        for c in (0..=0xFFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| own_grapheme(c))
        {
            let g = c.to_string();
            assert_eq!(measured(&g), [(g.as_str(), width(&g), g.trim().is_empty())]);
        }
    }

    /// The first `wrap`, grapheme lists and all: the one that is drawn must agree with it.
    fn wrap_reference(s: &str, width: usize) -> Vec<String> {
        use unicode_segmentation::UnicodeSegmentation;
        let width = width.max(1);
        let mut out = Vec::new();
        // A tab has no width of its own on a cell grid: four spaces.
        let s = if s.contains('\t') {
            Cow::Owned(s.replace('\t', "    "))
        } else {
            Cow::Borrowed(s)
        };
        for para in s.split('\n') {
            let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
            let mut used = 0;
            // Tokens: a run of spaces, a run of narrow non-space graphemes (a word), or one
            // wide grapheme.
            let graphemes: Vec<&str> = para.graphemes(true).collect();
            let mut i = 0;
            while i < graphemes.len() {
                let g = graphemes[i];
                let mut j = i + 1;
                if g.trim().is_empty() {
                    while j < graphemes.len() && graphemes[j].trim().is_empty() {
                        j += 1;
                    }
                } else if !is_wide(g) {
                    while j < graphemes.len()
                        && !graphemes[j].trim().is_empty()
                        && !is_wide(graphemes[j])
                    {
                        j += 1;
                    }
                }
                let token = &graphemes[i..j];
                let tw: usize = token.iter().map(|g| self::width(g)).sum();
                let line = lines.last_mut().expect("never empty");
                if used + tw <= width {
                    line.extend_from_slice(token);
                    used += tw;
                } else if g.trim().is_empty() {
                    // A break at spaces swallows them.
                    lines.push(Vec::new());
                    used = 0;
                } else if NO_LINE_START.contains(g) && token.len() == 1 && line.len() > 1 {
                    let carried = line.pop().expect("checked");
                    used = self::width(carried) + tw;
                    lines.push(vec![carried, g]);
                } else if tw <= width {
                    if !line.is_empty() {
                        lines.push(Vec::new());
                    }
                    let line = lines.last_mut().expect("never empty");
                    line.extend_from_slice(token);
                    used = tw;
                } else {
                    // A word longer than a line: cut it at grapheme boundaries.
                    for g in token {
                        let gw = self::width(g);
                        if used + gw > width && used > 0 {
                            lines.push(Vec::new());
                            used = 0;
                        }
                        lines.last_mut().expect("never empty").push(g);
                        used += gw;
                    }
                }
                i = j;
            }
            out.extend(lines.into_iter().map(|l| l.concat().trim_end().to_string()));
        }
        out
    }

    proptest! {
        #[test]
        fn wrap_is_the_reference_wrap(
            s in "[ a-z,.!\\t\n\r\u{b}\u{3000}\u{4E00}-\u{4E10}，。、）」…\u{300}\u{1F600}]{0,60}",
            width in 0usize..14,
        ) {
            prop_assert_eq!(wrap(&s, width), wrap_reference(&s, width));
        }
    }

    proptest! {
        /// The split by character gives the clusters unicode-segmentation gives, for text of
        /// the characters it is taken for and for text mixed with others.
        #[test]
        fn graphemes_are_unicode_segmentations(
            own in "[ -~\u{3000}-\u{3029}\u{3030}-\u{303F}\u{3400}-\u{3410}\u{4E00}-\u{4E40}\u{9FF0}-\u{9FFF}\u{FF01}-\u{FF60}\u{2010}-\u{2027}\u{2030}-\u{205E}]{0,40}",
            mixed in "[ -~\u{3000}-\u{303F}\u{4E00}-\u{4E40}\u{2000}-\u{206F}\u{0300}\u{1100}\u{AC00}\u{1F1E6}\u{FE0F}\r\n]{0,40}",
        ) {
            for s in [&own, &mixed] {
                let theirs: Vec<&str> = s.graphemes(true).collect();
                prop_assert_eq!(graphemes(s), theirs);
            }
        }
    }

    /// Every character of the set is a cluster of its own beside a letter, beside a CJK
    /// character and beside itself, on either side.
    #[test]
    fn every_character_taken_alone_is_a_cluster_between_any_two() {
        for c in (0..=0xFFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| own_grapheme(c))
        {
            for s in [
                format!("a{c}"),
                format!("{c}a"),
                format!("中{c}"),
                format!("{c}中"),
                format!("{c}{c}"),
            ] {
                assert_eq!(s.graphemes(true).count(), 2, "U+{:04X} in {s:?}", c as u32);
            }
        }
    }

    #[test]
    fn chinese_breaks_between_characters_within_the_width() {
        let lines = wrap("有的地方部門領導學習貫徹", 10);
        assert_eq!(lines, ["有的地方部", "門領導學習", "貫徹"]);
        assert!(lines.iter().all(|l| width(l) <= 10));
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let lines = wrap("一二三四，五六", 8);
        assert_eq!(lines, ["一二三", "四，五六"]);
    }

    #[test]
    fn latin_words_stay_whole_and_long_ones_are_cut() {
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("整改 rectify 完成", 8), ["整改", "rectify", "完成"]);
    }

    #[test]
    fn paragraphs_and_emoji_are_kept() {
        assert_eq!(wrap("a\n\nb", 5), ["a", "", "b"]);
        let family = "👩‍👩‍👧";
        assert_eq!(wrap(&format!("{family}{family}"), 2), [family, family]);
    }
}
