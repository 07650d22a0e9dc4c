//! The progress summary as CommonMark (with a GFM table): what a ledger keeper pastes into a
//! report or a chat. User text is escaped so it can never turn into markup.

use std::fmt::{self, Write};

use crate::i18n::{Lang, long_date};
use crate::summary::{AreaRow, Summary, text_bar};
use crate::text::visible;

/// How many of an item's latest notes the report shows.
const NOTES_SHOWN: usize = 3;

/// The report as the pieces it was written in, in order: its head, then its areas.
pub fn render(s: &Summary) -> Vec<String> {
    let t = s.lang.strings();
    let mut out = String::with_capacity(4096 + s.areas.len() * 128);
    let w = &mut out;
    let colon = s.lang.colon();
    let _ = writeln!(w, "# {} — {}", Inline(s.title), t.report_title);
    let _ = writeln!(w);
    let _ = writeln!(w, "{}", long_date(s.lang, s.as_of));
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "**{}**",
        Inline(&full_stop(s.lang, &s.report_headline()))
    );
    if let Some(source) = &s.source {
        let _ = writeln!(w);
        let _ = writeln!(w, "{}{colon}{}", t.source, Inline(source));
    }
    if let Some(p) = &s.period {
        let _ = writeln!(w);
        let _ = writeln!(w, "## {} ({} – {})", t.period_title, p.since, p.until);
        if p.changes.is_empty() && p.notes.is_empty() {
            let _ = writeln!(w);
            let _ = writeln!(w, "{}", t.nothing_changed);
        }
        if !p.changes.is_empty() {
            let _ = writeln!(w);
            let _ = writeln!(w, "### {}", t.status_changes);
            let _ = writeln!(w);
            for c in &p.changes {
                let _ = writeln!(
                    w,
                    "- {} {} {} → {}{colon}{}",
                    Inline(&c.head()),
                    Inline(c.id()),
                    c.from.label(s.lang),
                    c.to.label(s.lang),
                    Inline(c.text)
                );
            }
        }
        if !p.notes.is_empty() {
            let _ = writeln!(w);
            let _ = writeln!(w, "### {}", t.new_notes);
            let _ = writeln!(w);
            for n in &p.notes {
                let _ = writeln!(
                    w,
                    "- {} {}{colon}{}",
                    Inline(&n.note.head()),
                    Inline(n.id()),
                    Block(n.note.text, "  ")
                );
            }
        }
    }
    if s.period_only {
        return vec![out];
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## {}", t.by_area);
    let _ = writeln!(w);
    // A column for the measures when there are any: "措施 17/64".
    let measures = s.measure_counts.total > 0;
    let measure_cell = |m: &crate::summary::Counts, bold: bool| match (measures, bold) {
        (false, _) => String::new(),
        (true, false) => format!(" {}/{} |", m.done(), m.total),
        (true, true) => format!(" **{}/{}** |", m.done(), m.total),
    };
    let (measure_head, measure_rule) = match measures {
        true => (format!(" {} |", t.measures), "---:|"),
        false => (String::new(), ""),
    };
    let _ = writeln!(
        w,
        "| {} | {} |{measure_head} {} | {} |",
        t.area, t.done, t.progress, t.overdue
    );
    let _ = writeln!(w, "|---|---:|{measure_rule}---|---:|");
    for a in &s.areas {
        let c = &a.counts;
        let _ = writeln!(
            w,
            "| {} {} | {}/{} |{} {} {}% | {} |",
            Inline(a.id),
            Inline(a.title),
            c.done(),
            c.total,
            measure_cell(&a.measure_counts, false),
            text_bar(c.done(), c.total, 10),
            c.percent(),
            c.overdue
        );
    }
    let c = &s.counts;
    let _ = writeln!(
        w,
        "| **Σ** | **{}/{}** |{} {} {}% | {} |",
        c.done(),
        c.total,
        measure_cell(&s.measure_counts, true),
        text_bar(c.done(), c.total, 10),
        c.percent(),
        c.overdue
    );
    // The problems, area by area, written on every core for a large ledger. Room for what
    // a problem with its three latest notes takes: growing a 3.6 MB report by doubling
    // copied it over and over.
    let parts = crate::par::map_parts(
        &s.areas,
        |a| a.items.len(),
        |areas| {
            let mut w =
                String::with_capacity(areas.iter().map(|a| a.items.len()).sum::<usize>() * 512);
            for a in areas {
                area(&mut w, s, a);
            }
            w
        },
    );
    std::iter::once(out).chain(parts).collect()
}

/// One area of the report: its requirements and its problems with their latest notes.
fn area(w: &mut String, s: &Summary, a: &AreaRow) {
    let t = s.lang.strings();
    let colon = s.lang.colon();
    let _ = writeln!(w);
    let _ = writeln!(w, "## {} {}", Inline(a.id), Inline(a.title));
    if !a.requirements.is_empty() {
        let _ = writeln!(w);
        let _ = writeln!(w, "> **{}**{colon}", t.requirements);
        for para in a.requirements.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(w, ">");
            let _ = writeln!(w, "> {}", Indented(visible(para).trim_end()));
        }
    }
    for i in &a.items {
        let _ = writeln!(w);
        let _ = writeln!(w, "### {} {}", Inline(i.id), Inline(i.text));
        let _ = writeln!(w);
        let _ = write!(w, "- {}{colon}{}", t.status, i.status.label(s.lang));
        if i.overdue {
            let _ = write!(w, " ⚠ {}", t.overdue);
        }
        let _ = writeln!(w);
        for (label, value) in i.filled_fields(s.lang) {
            let _ = writeln!(w, "- {label}{colon}{}", Block(&value, "  "));
        }
        if !i.measures.is_empty() {
            let _ = writeln!(w, "- {} ({}){colon}", t.measures, i.measures_done());
            for m in &i.measures {
                let _ = write!(
                    w,
                    "  - {} {} · {}",
                    Inline(&m.id),
                    Block(m.text, "    "),
                    m.status.label(s.lang)
                );
                if m.overdue {
                    let _ = write!(w, " ⚠ {}", t.overdue);
                }
                let _ = writeln!(w);
                for (label, value) in m.filled_fields(s.lang) {
                    let _ = writeln!(w, "    - {label}{colon}{}", Block(&value, "      "));
                }
                if let Some(n) = m.notes.first() {
                    let _ = writeln!(
                        w,
                        "    - {}{colon}{}{colon}{}",
                        t.latest_notes,
                        Head(n.date, n.by),
                        Block(n.text, "      ")
                    );
                }
            }
        }
        if !i.notes.is_empty() {
            let _ = writeln!(w, "- {}{colon}", t.latest_notes);
            for n in i.notes.iter().take(NOTES_SHOWN) {
                let edited = n
                    .edited
                    .map(|e| {
                        let by = n.edited_by.map(|b| format!(" · {b}")).unwrap_or_default();
                        format!(" ({} {}{})", t.edited, e.date(), Inline(&by))
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    w,
                    "  - {}{edited}{colon}{}",
                    Head(n.date, n.by),
                    Block(n.text, "    ")
                );
            }
            if i.notes.len() > NOTES_SHOWN {
                let _ = writeln!(
                    w,
                    "  - … {} {}",
                    i.notes.len() - NOTES_SHOWN,
                    t.earlier_notes
                );
            }
        }
    }
}

fn full_stop(lang: Lang, s: &str) -> String {
    format!("{s}{}", lang.strings().full_stop)
}

/// Characters that can start inline markup anywhere in a line (GFM adds `~` and `|`, and
/// `@` for a bare e-mail address it makes a link of), and `#`, since a heading drops a
/// closing run of them.
const INLINE_ACTIVE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '|', '!', '#', '@',
];

/// Whether the `:` or `.` that follows `before` would let GitHub-flavoured Markdown make a
/// link of bare text (its "extended autolinks": `http://`, `https://`, `ftp://`, `www.`,
/// `mailto:`, `xmpp:`). Escaped, it shows the same and the address stays text.
fn would_autolink(before: &[u8], c: u8) -> bool {
    let ends = |word: &str| {
        before.len() >= word.len()
            && before[before.len() - word.len()..].eq_ignore_ascii_case(word.as_bytes())
    };
    match c {
        b':' => ["http", "https", "ftp", "mailto", "xmpp"]
            .into_iter()
            .any(ends),
        b'.' => ends("www"),
        _ => false,
    }
}

/// A note's head, "2026-11-25 · 王偉", as `Inline(&note.head())` writes it, without
/// building the string first: only the name can need escaping.
struct Head<'a>(jiff::civil::Date, Option<&'a str>);

impl fmt::Display for Head<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        match self.1 {
            Some(by) => write!(f, " · {}", Inline(by)),
            None => Ok(()),
        }
    }
}

/// Escapes text for inline use on one line: characters that could start markup are
/// backslash-escaped (CommonMark allows that for any ASCII punctuation), controls are made
/// visible and line breaks become spaces.
pub fn inline(s: &str) -> String {
    Inline(s).to_string()
}

/// [`inline`], written straight into the report: a `String` for each piece of text was a
/// sixth of a 10,000-item report.
pub struct Inline<'a>(pub &'a str);

impl fmt::Display for Inline<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape_shown(&visible(self.0), f)
    }
}

/// Escapes text already made visible, bare web addresses included. Everything escaped is
/// ASCII: the runs between are copied whole.
fn escape_shown(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut run = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if !b.is_ascii() {
            continue;
        }
        let c = char::from(b);
        let replaced = match c {
            '\n' | '\t' => " ",
            c if INLINE_ACTIVE.contains(&c) => "\\",
            ':' | '.' if would_autolink(&bytes[..i], b) => "\\",
            _ => continue,
        };
        f.write_str(&s[run..i])?;
        f.write_str(replaced)?;
        run = if replaced == " " { i + 1 } else { i };
    }
    f.write_str(&s[run..])
}

/// [`Inline`] for text that begins a line, where `#`, `>`, `-`, `+`, `=`, `1.` and the like
/// would start a block. Takes text already made visible.
struct LineStart<'a>(&'a str);

impl fmt::Display for LineStart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        match s[digits..].chars().next() {
            Some('.' | ')') if digits > 0 => {
                f.write_str(&s[..digits])?;
                f.write_str("\\")?;
                escape_shown(&s[digits..], f)
            }
            // One that `escape_shown` escapes gets its backslash there.
            Some(c) if digits == 0 && c.is_ascii_punctuation() && !INLINE_ACTIVE.contains(&c) => {
                f.write_str("\\")?;
                escape_shown(s, f)
            }
            _ => escape_shown(s, f),
        }
    }
}

#[cfg(test)]
fn line_start(s: &str) -> String {
    LineStart(&visible(s)).to_string()
}

/// A line of user text that keeps its indent: the spaces and tabs it starts with, which
/// Markdown would drop (or, four of them, take for code), as no-break spaces (`&nbsp;`, a
/// tab as four), then the text as [`LineStart`]. Takes text already made visible.
struct Indented<'a>(&'a str);

impl fmt::Display for Indented<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.0.trim_start_matches([' ', '\t']);
        for b in self.0[..self.0.len() - body.len()].bytes() {
            f.write_str(if b == b'\t' {
                "&nbsp;&nbsp;&nbsp;&nbsp;"
            } else {
                "&nbsp;"
            })?;
        }
        LineStart(body).fmt(f)
    }
}

/// Multi-line user text inside a list item: each line escaped, indent kept, joined by hard
/// line breaks and indented to stay inside the item. Blank lines would end the item, so
/// they are dropped.
pub fn block(s: &str, indent: &str) -> String {
    Block(s, indent).to_string()
}

/// [`block`], written straight into the report.
pub struct Block<'a>(pub &'a str, pub &'a str);

impl fmt::Display for Block<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Controls are made visible before trimming: U+0085 counts as white space.
        let s = visible(self.0);
        let mut first = true;
        for line in s.lines().filter(|l| !l.trim().is_empty()) {
            if !first {
                f.write_str("\\\n")?;
                f.write_str(self.1)?;
            }
            first = false;
            Indented(line.trim_end()).fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_is_written_as_its_text_escaped() {
        let at: crate::model::Stamp = "2026-11-25T09:00:00+08:00".parse().unwrap();
        for by in [None, Some("王偉"), Some("*x* | <b> #1"), Some("\u{1b}[31m")] {
            let row = crate::summary::NoteRow {
                id: "n",
                at,
                date: at.date(),
                edited: None,
                text: "t",
                by,
                edited_by: None,
            };
            assert_eq!(Head(row.date, row.by).to_string(), inline(&row.head()));
        }
    }

    #[test]
    fn markup_in_user_text_is_escaped() {
        assert_eq!(inline("a|b"), "a\\|b");
        assert_eq!(inline("標題 1.1 5% #"), "標題 1.1 5% \\#");
        assert_eq!(line_start("# 標題"), "\\# 標題");
        assert_eq!(line_start("12. 項"), "12\\. 項");
        assert_eq!(line_start("- 項"), "\\- 項");
        assert_eq!(inline("<script>"), "\\<script\\>");
        assert_eq!(inline("\u{1b}[2J"), "␛\\[2J");
        assert_eq!(block("一\n\n> 二", "  "), "一\\\n  \\> 二");
    }

    /// Every character that can start markup is escaped, and no other.
    #[test]
    fn every_character_that_starts_markup_is_escaped() {
        for c in INLINE_ACTIVE.iter().chain(&['\n', '\t']) {
            let text = format!("中{c}文");
            assert_ne!(inline(&text), text, "{c:?}");
        }
        for b in 0x20u8..0x7f {
            let c = char::from(b);
            let text = format!("中{c}文");
            assert_eq!(inline(&text) == text, !INLINE_ACTIVE.contains(&c), "{c:?}");
        }
    }
}
