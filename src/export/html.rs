//! One self-contained HTML page: no scripts, no external files, printable, with a progress
//! bar per area. Every piece of user text is escaped.

use std::fmt::Write;

use crate::i18n::long_date;
use crate::summary::Summary;
use crate::text::xml_text;

/// Escapes text for HTML content and attribute values, after making controls visible (and
/// the noncharacters U+FFFE and U+FFFF, which HTML calls a parse error).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in xml_text(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept as `<br>`.
fn esc_lines(s: &str) -> String {
    esc(s).replace('\n', "<br>")
}

const STYLE: &str = "
body{font-family:system-ui,'Noto Sans CJK SC','Noto Sans CJK TC','PingFang SC','Microsoft YaHei',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:2rem}h3{font-size:1rem;margin-bottom:.2rem}h4{font-size:.95rem;margin:.4rem 0 .1rem}
ol.measures{margin:.2rem 0;padding-left:1.5rem}li.measure{margin-bottom:.3rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
.bar{background:#eee;height:.8rem;width:10rem;display:inline-block;vertical-align:middle}
.bar span{background:#2e7d32;height:100%;display:block}
.headline{font-weight:bold;font-size:1.1rem}
.status{font-weight:bold}.open{color:#555}.in-progress{color:#b26a00}.resolved{color:#2e7d32}.verified{color:#00695c}
.overdue{color:#c62828;font-weight:bold}
.req{color:#555;border-left:3px solid #ccc;padding-left:.8rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.3rem 0}dt{color:#555}dd{margin:0}
@media print{body{margin:0;max-width:none}.bar{border:1px solid #888}h2{break-after:avoid}section.item{break-inside:avoid}}
";

fn bar(percent: u32) -> String {
    format!(
        "<span class=\"bar\" role=\"img\" aria-label=\"{percent}%\"><span style=\"width:{percent}%\"></span></span>"
    )
}

pub fn render(s: &Summary) -> String {
    let t = s.lang.strings();
    let colon = s.lang.colon();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        s.lang.tag(),
        esc(s.title),
        t.report_title
    );
    let _ = writeln!(h, "<h1>{} — {}</h1>", esc(s.title), t.report_title);
    let _ = writeln!(h, "<p class=\"date\">{}</p>", long_date(s.lang, s.as_of));
    let _ = writeln!(h, "<p class=\"headline\">{}</p>", esc(&s.report_headline()));
    if let Some(src) = &s.source {
        let _ = writeln!(h, "<p class=\"source\">{}{colon}{}</p>", t.source, esc(src));
    }
    if let Some(p) = &s.period {
        let _ = writeln!(
            h,
            "<section class=\"period\">\n<h2>{} ({} – {})</h2>",
            t.period_title, p.since, p.until
        );
        if p.changes.is_empty() && p.notes.is_empty() {
            let _ = writeln!(h, "<p>{}</p>", t.nothing_changed);
        }
        if !p.changes.is_empty() {
            let _ = writeln!(h, "<h3>{}</h3>\n<ul class=\"changes\">", t.status_changes);
            for c in &p.changes {
                let _ = writeln!(
                    h,
                    "<li>{} <b>{}</b> {} → {}{colon}{}</li>",
                    esc(&c.head()),
                    esc(c.id()),
                    c.from.label(s.lang),
                    c.to.label(s.lang),
                    esc(c.text)
                );
            }
            let _ = writeln!(h, "</ul>");
        }
        if !p.notes.is_empty() {
            let _ = writeln!(h, "<h3>{}</h3>\n<ul class=\"notes\">", t.new_notes);
            for n in &p.notes {
                let _ = writeln!(
                    h,
                    "<li>{} <b>{}</b>{colon}{}</li>",
                    esc(&n.note.head()),
                    esc(n.id()),
                    esc_lines(n.note.text)
                );
            }
            let _ = writeln!(h, "</ul>");
        }
        let _ = writeln!(h, "</section>");
    }
    if !s.period_only {
        // A column for the measures when there are any: "17/64".
        let measures = s.measure_counts.total > 0;
        let measure_cell = |m: &crate::summary::Counts, tag: &str| match measures {
            true => format!("<{tag}>{}/{}</{tag}>", m.done(), m.total),
            false => String::new(),
        };
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<table class=\"areas\">\n<thead><tr><th>{}</th><th>{}</th>{}<th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            t.by_area,
            t.area,
            t.done,
            if measures {
                format!("<th>{}</th>", t.measures)
            } else {
                String::new()
            },
            t.progress,
            t.overdue
        );
        for a in &s.areas {
            let c = &a.counts;
            let _ = writeln!(
                h,
                "<tr><td>{} {}</td><td>{}/{}</td>{}<td>{} {}%</td><td>{}</td></tr>",
                esc(a.id),
                esc(a.title),
                c.done(),
                c.total,
                measure_cell(&a.measure_counts, "td"),
                bar(c.percent()),
                c.percent(),
                c.overdue
            );
        }
        let c = &s.counts;
        let _ = writeln!(
            h,
            "</tbody>\n<tfoot><tr><th>{}</th><th>{}/{}</th>{}<th>{} {}%</th><th>{}</th></tr></tfoot>\n</table>",
            t.total,
            c.done(),
            c.total,
            measure_cell(&s.measure_counts, "th"),
            bar(c.percent()),
            c.percent(),
            c.overdue
        );
        for a in &s.areas {
            let _ = writeln!(
                h,
                "<section class=\"area\">\n<h2>{} {}</h2>",
                esc(a.id),
                esc(a.title)
            );
            if !a.requirements.is_empty() {
                let _ = writeln!(
                    h,
                    "<p class=\"req\"><b>{}</b>{colon}{}</p>",
                    t.requirements,
                    esc_lines(a.requirements)
                );
            }
            for i in &a.items {
                let class = i.status.key();
                let _ = writeln!(h, "<section class=\"item\" id=\"item-{}\">", esc(i.id));
                let _ = writeln!(h, "<h3>{} {}</h3>\n<dl>", esc(i.id), esc(i.text));
                let overdue = if i.overdue {
                    format!(" <span class=\"overdue\">⚠ {}</span>", t.overdue)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    h,
                    "<dt>{}</dt><dd><span class=\"status {class}\">{}</span>{overdue}</dd>",
                    t.status,
                    i.status.label(s.lang)
                );
                for (label, value) in i.filled_fields(s.lang) {
                    let _ = writeln!(h, "<dt>{label}</dt><dd>{}</dd>", esc_lines(&value));
                }
                let _ = writeln!(h, "</dl>");
                if !i.measures.is_empty() {
                    let _ = writeln!(
                        h,
                        "<h4>{} ({})</h4>\n<ol class=\"measures\">",
                        t.measures,
                        i.measures_done()
                    );
                    for m in &i.measures {
                        let overdue = if m.overdue {
                            format!(" <span class=\"overdue\">⚠ {}</span>", t.overdue)
                        } else {
                            String::new()
                        };
                        let _ = writeln!(
                            h,
                            "<li class=\"measure\" id=\"measure-{}\"><b>{}</b> {} <span class=\"status {}\">{}</span>{overdue}",
                            esc(&m.id),
                            esc(&m.id),
                            esc_lines(m.text),
                            m.status.key(),
                            m.status.label(s.lang)
                        );
                        let fields = m.filled_fields(s.lang);
                        if !fields.is_empty() || !m.notes.is_empty() {
                            let _ = writeln!(h, "<dl>");
                            for (label, value) in fields {
                                let _ =
                                    writeln!(h, "<dt>{label}</dt><dd>{}</dd>", esc_lines(&value));
                            }
                            if let Some(n) = m.notes.first() {
                                let _ = writeln!(
                                    h,
                                    "<dt>{}</dt><dd><time>{}</time> {}</dd>",
                                    t.latest_notes,
                                    esc(&n.head()),
                                    esc_lines(n.text)
                                );
                            }
                            let _ = writeln!(h, "</dl>");
                        }
                        let _ = writeln!(h, "</li>");
                    }
                    let _ = writeln!(h, "</ol>");
                }
                if !i.notes.is_empty() {
                    let _ = writeln!(h, "<ul class=\"notes\">");
                    for n in i.notes.iter().take(3) {
                        let _ = writeln!(
                            h,
                            "<li><time>{}</time> {}</li>",
                            esc(&n.head()),
                            esc_lines(n.text)
                        );
                    }
                    let _ = writeln!(h, "</ul>");
                }
                let _ = writeln!(h, "</section>");
            }
            let _ = writeln!(h, "</section>");
        }
    }
    let _ = writeln!(h, "</body>\n</html>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(esc("\u{1b}[2J"), "␛[2J");
        assert_eq!(esc("a\u{FFFE}\u{2028}"), "a&lt;U+FFFE&gt;&lt;U+2028&gt;");
    }
}
