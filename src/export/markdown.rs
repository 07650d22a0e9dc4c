//! The progress summary as CommonMark (with a GFM table): what a ledger keeper pastes into a
//! report or a chat. User text is escaped so it can never turn into markup.

use std::fmt::Write;

use crate::i18n::{Lang, long_date};
use crate::summary::{Summary, text_bar};
use crate::text::visible;

/// How many of an item's latest notes the report shows.
const NOTES_SHOWN: usize = 3;

pub fn render(s: &Summary) -> String {
    let t = s.lang.strings();
    // About what a problem with its three latest notes takes: growing a 3.6 MB report by
    // doubling copied it over and over.
    let mut out =
        String::with_capacity(2048 + s.areas.iter().map(|a| a.items.len()).sum::<usize>() * 384);
    let w = &mut out;
    let colon = if s.lang == Lang::En { ": " } else { "：" };
    let _ = writeln!(w, "# {} — {}", inline(s.title), t.report_title);
    let _ = writeln!(w);
    let _ = writeln!(w, "{}", long_date(s.lang, s.as_of));
    let _ = writeln!(w);
    let _ = writeln!(w, "**{}**", inline(&full_stop(s.lang, &s.headline())));
    if let Some(source) = &s.source {
        let _ = writeln!(w);
        let _ = writeln!(w, "{}{colon}{}", t.source, inline(source));
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
                    inline(&c.head()),
                    inline(c.item),
                    c.from.label(s.lang),
                    c.to.label(s.lang),
                    inline(c.text)
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
                    inline(&n.note.head()),
                    inline(n.item),
                    block(n.note.text, "  ")
                );
            }
        }
    }
    if s.period_only {
        return out;
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## {}", t.by_area);
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "| {} | {} | {} | {} |",
        t.area, t.done, t.progress, t.overdue
    );
    let _ = writeln!(w, "|---|---:|---|---:|");
    for a in &s.areas {
        let c = &a.counts;
        let _ = writeln!(
            w,
            "| {} {} | {}/{} | {} {}% | {} |",
            inline(a.id),
            inline(a.title),
            c.done(),
            c.total,
            text_bar(c.done(), c.total, 10),
            c.percent(),
            c.overdue
        );
    }
    let c = &s.counts;
    let _ = writeln!(
        w,
        "| **Σ** | **{}/{}** | {} {}% | {} |",
        c.done(),
        c.total,
        text_bar(c.done(), c.total, 10),
        c.percent(),
        c.overdue
    );
    for a in &s.areas {
        let _ = writeln!(w);
        let _ = writeln!(w, "## {} {}", inline(a.id), inline(a.title));
        if !a.requirements.is_empty() {
            let _ = writeln!(w);
            let _ = writeln!(w, "> **{}**{colon}", t.requirements);
            for para in a.requirements.lines().filter(|l| !l.trim().is_empty()) {
                let _ = writeln!(w, ">");
                let _ = writeln!(w, "> {}", line_start(para));
            }
        }
        for i in &a.items {
            let _ = writeln!(w);
            let _ = writeln!(w, "### {} {}", inline(i.id), inline(i.text));
            let _ = writeln!(w);
            let overdue = if i.overdue {
                format!(" ⚠ {}", t.overdue)
            } else {
                String::new()
            };
            let _ = writeln!(
                w,
                "- {}{colon}{}{overdue}",
                t.status,
                i.status.label(s.lang)
            );
            for (label, value) in i.filled_fields(s.lang) {
                let _ = writeln!(w, "- {label}{colon}{}", block(&value, "  "));
            }
            if !i.notes.is_empty() {
                let _ = writeln!(w, "- {}{colon}", t.latest_notes);
                for n in i.notes.iter().take(NOTES_SHOWN) {
                    let edited = n
                        .edited
                        .map(|e| {
                            let by = n.edited_by.map(|b| format!(" · {b}")).unwrap_or_default();
                            format!(" ({} {}{})", t.edited, e.date(), inline(&by))
                        })
                        .unwrap_or_default();
                    let _ = writeln!(
                        w,
                        "  - {}{edited}{colon}{}",
                        inline(&n.head()),
                        block(n.text, "    ")
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
    out
}

fn full_stop(lang: Lang, s: &str) -> String {
    match lang {
        Lang::En => format!("{s}."),
        _ => format!("{s}。"),
    }
}

/// Characters that can start inline markup anywhere in a line (GFM adds `~` and `|`), and
/// `#`, since a heading drops a closing run of them.
const INLINE_ACTIVE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '|', '!', '#',
];

/// Escapes text for inline use on one line: characters that could start markup are
/// backslash-escaped (CommonMark allows that for any ASCII punctuation), controls are made
/// visible and line breaks become spaces.
pub fn inline(s: &str) -> String {
    let s = visible(s);
    let mut out = String::with_capacity(s.len() + 8);
    // Everything escaped is ASCII: copy the runs between, not each character (pushing
    // characters one by one was a tenth of a 10,000-item report).
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        if !b.is_ascii() {
            continue;
        }
        let c = char::from(b);
        let replaced = match c {
            '\n' | '\t' => " ",
            c if INLINE_ACTIVE.contains(&c) => "\\",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(replaced);
        run = if replaced == " " { i + 1 } else { i };
    }
    out.push_str(&s[run..]);
    out
}

/// [`inline`] for text that begins a line, where `#`, `>`, `-`, `+`, `=`, `1.` and the like
/// would start a block.
fn line_start(s: &str) -> String {
    let escaped = inline(s);
    let digits = escaped.chars().take_while(char::is_ascii_digit).count();
    match escaped[digits..].chars().next() {
        Some(c @ ('.' | ')')) if digits > 0 => {
            format!("{}\\{c}{}", &escaped[..digits], &escaped[digits + 1..])
        }
        Some(c) if digits == 0 && c.is_ascii_punctuation() && !escaped.starts_with('\\') => {
            format!("\\{escaped}")
        }
        _ => escaped,
    }
}

/// Multi-line user text inside a list item: each line escaped, joined by hard line breaks
/// and indented to stay inside the item. Blank lines would end the item, so they are dropped.
pub fn block(s: &str, indent: &str) -> String {
    // Controls are made visible before trimming: U+0085 counts as white space.
    let s = visible(s);
    if !s.contains(['\n', '\r']) {
        // One line, as most notes are: no list of lines to build and join.
        return line_start(s.trim());
    }
    let lines: Vec<String> = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| line_start(l.trim()))
        .collect();
    lines.join(&format!("\\\n{indent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
