//! A progress report for Word or WPS that a clerk could send after a light edit: title,
//! date, the headline sentence, a section per area with each problem's status, measures and
//! latest notes, and a table of the problems still open. Headings use Word's own heading
//! styles, so the navigation pane and a table of contents work.

use std::io::Cursor;

use docx_rs::{BreakType, Docx, Paragraph, Run, Table, TableCell, TableRow, WidthType};

use super::{ExportError, Made, ooxml};
use crate::i18n::long_date;
use crate::summary::Summary;
use crate::text::xml_text;

/// How far a measure is indented under its problem, in twentieths of a point.
const INDENT: i32 = 420;

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);

/// East Asian text in a font every Chinese Windows and WPS install has (set once, in the
/// document defaults); Latin text stays in the default font.
const EAST_ASIA_FONT: &str = "SimSun";

/// A run of user text: controls made visible and only characters XML allows, line breaks
/// as Word line breaks.
fn text_run(s: &str) -> Run {
    let shown = xml_text(s);
    let mut run = Run::new();
    for (i, line) in shown.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

fn para(s: &str) -> Paragraph {
    Paragraph::new().add_run(text_run(s))
}

/// A heading that stays on the page of what follows it.
fn heading(level: usize, s: &str) -> Paragraph {
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .keep_next(true)
        .add_run(text_run(s))
}

/// "label：value" with the label in bold.
fn field(label: &str, value: &str, colon: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text_run(&format!("{label}{colon}")).bold())
        .add_run(text_run(value))
}

fn cell(s: &str, width: usize) -> TableCell {
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(para(s))
}

fn head_cell(s: &str, width: usize) -> TableCell {
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(Paragraph::new().add_run(text_run(s).bold()))
}

pub fn render(s: &Summary, made: Made) -> Result<Vec<u8>, ExportError> {
    let t = s.lang.strings();
    let colon = s.lang.colon();
    let title = format!("{} — {}", s.title, t.report_title);
    // The styles are written whole below; docx-rs's are not used.
    let mut doc = Docx::new().page_size(A4.0, A4.1);
    doc = doc
        .add_paragraph(Paragraph::new().style("Title").add_run(text_run(&title)))
        .add_paragraph(para(&long_date(s.lang, s.as_of)))
        .add_paragraph(
            Paragraph::new().add_run(
                text_run(&format!(
                    "{}{}",
                    s.report_headline(),
                    s.lang.strings().full_stop
                ))
                .bold(),
            ),
        );
    if let Some(src) = &s.source {
        doc = doc.add_paragraph(field(t.source, src, colon));
    }
    if let Some(p) = &s.period {
        doc = doc.add_paragraph(heading(
            1,
            &format!("{} ({} – {})", t.period_title, p.since, p.until),
        ));
        if p.changes.is_empty() && p.notes.is_empty() {
            doc = doc.add_paragraph(para(t.nothing_changed));
        }
        if !p.changes.is_empty() {
            doc = doc.add_paragraph(heading(2, t.status_changes));
            for c in &p.changes {
                doc = doc.add_paragraph(para(&format!(
                    "{} {} {} → {}{colon}{}",
                    c.head(),
                    c.id(),
                    c.from.label(s.lang),
                    c.to.label(s.lang),
                    c.text
                )));
            }
        }
        if !p.notes.is_empty() {
            doc = doc.add_paragraph(heading(2, t.new_notes));
            for n in &p.notes {
                doc = doc.add_paragraph(para(&format!(
                    "{} {}{colon}{}",
                    n.note.head(),
                    n.id(),
                    n.note.text
                )));
            }
        }
    }
    if !s.period_only {
        for a in &s.areas {
            let c = &a.counts;
            doc = doc.add_paragraph(heading(1, &format!("{} {}", a.id, a.title)));
            let m = &a.measure_counts;
            let measures = match m.total {
                0 => String::new(),
                _ => format!(" · {} {}/{}", t.measures, m.done(), m.total),
            };
            doc = doc.add_paragraph(para(&format!(
                "{} {}/{} ({}%){measures} · {} {}",
                t.done,
                c.done(),
                c.total,
                c.percent(),
                t.overdue,
                c.overdue
            )));
            for i in &a.items {
                doc = doc.add_paragraph(heading(2, &format!("{} {}", i.id, i.text)));
                doc = doc.add_paragraph(field(t.status, &i.status_text(s.lang), colon));
                for (label, value) in i.filled_fields(s.lang) {
                    doc = doc.add_paragraph(field(label, &value, colon));
                }
                if !i.measures.is_empty() {
                    doc = doc.add_paragraph(field(t.measures, &i.measures_done(), colon));
                }
                for m in &i.measures {
                    // The measure's id, text and status, its fields indented below it.
                    doc = doc.add_paragraph(
                        Paragraph::new()
                            .indent(Some(INDENT), None, None, None)
                            .add_run(text_run(&format!("{} ", m.id)).bold())
                            .add_run(text_run(m.text))
                            .add_run(text_run(&format!(" · {}", m.status_text(s.lang))).bold()),
                    );
                    for (label, value) in m.filled_fields(s.lang) {
                        doc = doc.add_paragraph(field(label, &value, colon).indent(
                            Some(2 * INDENT),
                            None,
                            None,
                            None,
                        ));
                    }
                    if let Some(n) = m.notes.first() {
                        doc = doc.add_paragraph(
                            field(&format!("{} {}", t.latest_notes, n.head()), n.text, colon)
                                .indent(Some(2 * INDENT), None, None, None),
                        );
                    }
                }
                for n in i.notes.iter().take(3) {
                    doc = doc.add_paragraph(field(
                        &format!("{} {}", t.latest_notes, n.head()),
                        n.text,
                        colon,
                    ));
                }
            }
        }
        let open: Vec<_> = s.items().filter(|(_, i)| !i.status.is_done()).collect();
        doc = doc.add_paragraph(heading(1, &format!("{} ({})", t.open_items, open.len())));
        let widths = [900, 4800, 1600, 1400, 1500];
        let mut rows = vec![
            TableRow::new(vec![
                head_cell(t.col_no, widths[0]),
                head_cell(t.problem, widths[1]),
                head_cell(t.owner, widths[2]),
                head_cell(t.deadline, widths[3]),
                head_cell(t.status, widths[4]),
            ])
            .cant_split(),
        ];
        for (_, i) in open {
            rows.push(
                TableRow::new(vec![
                    cell(i.id, widths[0]),
                    cell(i.text, widths[1]),
                    cell(i.owner, widths[2]),
                    cell(
                        &i.deadline.map(|d| d.label(s.lang)).unwrap_or_default(),
                        widths[3],
                    ),
                    cell(&i.status_text(s.lang), widths[4]),
                ])
                // A problem's row is never split across two pages.
                .cant_split(),
            );
        }
        doc = doc.add_table(Table::new(rows).set_grid(widths.to_vec()));
    }
    let mut parts = doc.build();
    // docx-rs writes the children of paragraph and run properties out of schema order, and
    // can set neither the language nor the author: see `ooxml`.
    let failed = |e: &dyn std::fmt::Display| ExportError::Docx(e.to_string());
    let utf8 = |b: Vec<u8>| String::from_utf8(b).map_err(|e| failed(&e));
    parts.document = ooxml::in_schema_order(&utf8(parts.document)?).into_bytes();
    parts.numberings = ooxml::in_schema_order(&utf8(parts.numberings)?).into_bytes();
    parts.styles = ooxml::styles(s.lang, EAST_ASIA_FONT).into_bytes();
    parts.doc_props.core = ooxml::core(&title, s.lang, made).into_bytes();
    let mut out = Cursor::new(Vec::new());
    parts.pack(&mut out).map_err(|e| failed(&e))?;
    Ok(out.into_inner())
}
