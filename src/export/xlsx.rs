//! The ledger as an Excel/WPS workbook: a 台賬 sheet with the ledger columns (header frozen
//! and repeated on every printed page, wrapped text, widths that fit Chinese, status as text
//! and colour, an autofilter, A4 landscape) and a summary sheet per area.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::Made;

use crate::model::Status;
use crate::summary::{PROBLEM_COLUMNS, STATUS_COLUMN, Summary, TableRow};
use crate::text::{width, xml_text};

/// Paper size code for A4 in the OOXML page setup.
const A4: u8 = 9;

/// Column widths in characters of a Latin font: a Chinese character takes about two.
const MAX_WIDTH: [f64; 15] = [
    6.0, 12.0, 36.0, 36.0, 24.0, 16.0, 16.0, 10.0, 10.0, 12.0, 14.0, 11.0, 32.0, 11.0, 36.0,
];

/// The most a cell holds: 32,767 UTF-16 code units, as Excel and rust_xlsxwriter count them
/// (a character outside the Basic Multilingual Plane, such as an emoji or a rare Chinese
/// character of Extension B, takes two).
const CELL_LIMIT: usize = 32_767;

/// A cell's text: controls made visible and only characters XML allows, cut to what a cell
/// holds, with `cut` (which says where the whole text is) at the end of a cut one.
fn cell_text(s: &str, cut: &str) -> String {
    let shown = xml_text(s);
    // A UTF-8 text has at least as many bytes as UTF-16 code units.
    if shown.len() <= CELL_LIMIT || shown.encode_utf16().count() <= CELL_LIMIT {
        return shown.into_owned();
    }
    let room = CELL_LIMIT - cut.encode_utf16().count();
    let mut used = 0;
    let mut end = 0;
    for (i, c) in shown.char_indices() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        end = i + c.len_utf8();
    }
    format!("{}{cut}", &shown[..end])
}

/// A row of the ledger and its cells as the sheet holds them.
type Row<'s, 'a> = (TableRow<'s, 'a>, Vec<String>);

/// Points per line of the default 11-point font, for row heights.
const LINE_HEIGHT: f64 = 17.0;

/// How many lines `text` takes in a column `width` characters wide, wrapping as a
/// spreadsheet does (Chinese characters count two).
fn lines_in(text: &str, width: f64) -> usize {
    let room = (width - 1.0).max(1.0) as usize;
    text.lines()
        .map(|l| crate::text::width(l).div_ceil(room).max(1))
        .sum::<usize>()
        .max(1)
}

fn status_fill(status: Status, overdue: bool) -> Option<Color> {
    if overdue {
        return Some(Color::RGB(0xF8CBAD));
    }
    match status {
        Status::Open => None,
        Status::InProgress => Some(Color::RGB(0xFFE699)),
        Status::Resolved => Some(Color::RGB(0xC6EFCE)),
        Status::Verified => Some(Color::RGB(0x9BC2E6)),
    }
}

pub fn render(s: &Summary, made: Made) -> Result<Vec<u8>, XlsxError> {
    let t = s.lang.strings();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_author(xml_text(made.author()))
            .set_title(xml_text(&format!("{} — {}", s.title, t.report_title)))
            .set_creation_datetime(&ExcelDateTime::from_timestamp(made.at.instant.as_second())?),
    );
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);

    let sheet = wb.add_worksheet();
    sheet.set_name(t.ledger_sheet)?;
    let columns = s.columns();
    let mut widths: Vec<f64> = columns.iter().map(|c| width(c) as f64 + 2.0).collect();
    for (col, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &header)?;
    }
    // Each area's heading, then its rows, a problem's cells merged over its measures' rows.
    let areas: Vec<(String, Vec<Row>)> = s
        .areas
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let heading = crate::i18n::area_heading(s.lang, k + 1, a.title, a.items.len());
            let rows = s
                .rows(std::slice::from_ref(a))
                .map(|r| {
                    let cells = r.cells.iter().map(|c| cell_text(c, t.cell_cut)).collect();
                    (r, cells)
                })
                .collect();
            (cell_text(&heading, t.cell_cut), rows)
        })
        .filter(|(_, rows): &(_, Vec<_>)| !rows.is_empty() || !s.period_only)
        .collect();
    for (_, rows) in &areas {
        for (_, cells) in rows {
            for (col, value) in cells.iter().enumerate() {
                let longest = value.lines().map(width).max().unwrap_or(0) as f64 + 2.0;
                widths[col] = widths[col].max(longest.min(MAX_WIDTH[col.min(MAX_WIDTH.len() - 1)]));
            }
        }
    }
    let area_format = header.clone().set_background_color(Color::RGB(0xEDEDED));
    let last_col = columns.len() as u16 - 1;
    let mut row = 1u32;
    for (heading, rows) in &areas {
        sheet.merge_range(row, 0, row, last_col, heading, &area_format)?;
        sheet.set_row_height(row, LINE_HEIGHT + 5.0)?;
        row += 1;
        for group in rows.chunk_by(|a, b| std::ptr::eq(a.0.item, b.0.item)) {
            // Spreadsheets do not grow a row for wrapped text written by a program: set
            // it, sharing the lines of the merged problem cells among the problem's rows.
            let lines_of = |cells: &[String], cols: std::ops::Range<usize>| {
                cols.map(|c| lines_in(&cells[c], widths[c]))
                    .max()
                    .unwrap_or(1)
            };
            let mut heights: Vec<usize> = group
                .iter()
                .map(|(_, cells)| lines_of(cells, PROBLEM_COLUMNS..cells.len()))
                .collect();
            let merged = lines_of(&group[0].1, 0..PROBLEM_COLUMNS);
            let have: usize = heights.iter().sum();
            if let Some(last) = heights.last_mut() {
                *last += merged.saturating_sub(have);
            }
            let first = row;
            for ((r, cells), lines) in group.iter().zip(heights) {
                sheet.set_row_height(row, (LINE_HEIGHT * lines as f64 + 3.0).min(409.0))?;
                for (col, value) in cells.iter().enumerate() {
                    if col < PROBLEM_COLUMNS && group.len() > 1 {
                        continue;
                    }
                    let format = if col == STATUS_COLUMN {
                        let f = cell.clone().set_bold();
                        match status_fill(r.status, r.overdue) {
                            Some(c) => f.set_background_color(c),
                            None => f,
                        }
                    } else {
                        cell.clone()
                    };
                    sheet.write_string_with_format(row, col as u16, value, &format)?;
                }
                row += 1;
            }
            if group.len() > 1 {
                for (col, value) in group[0].1.iter().enumerate().take(PROBLEM_COLUMNS) {
                    sheet.merge_range(first, col as u16, row - 1, col as u16, value, &cell)?;
                }
            }
        }
    }
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), last_col)?;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_fit_to_pages(1, 0);

    let summary = wb.add_worksheet();
    summary.set_name(t.summary_sheet)?;
    let percent = Format::new()
        .set_num_format("0%")
        .set_border(FormatBorder::Thin);
    let number = Format::new().set_border(FormatBorder::Thin);
    let heads = [
        t.area,
        t.done,
        t.status_in_progress,
        t.status_open,
        t.overdue,
        t.total,
        t.completion,
    ];
    // The measures' counts after the problems'.
    let measure_heads = [
        t.measures.to_string(),
        format!("{} · {}", t.measure, t.done),
        format!("{} · {}", t.measure, t.overdue),
    ];
    summary.write_string(0, 0, cell_text(&s.report_headline(), t.cell_cut))?;
    summary.write_string(1, 0, cell_text(&s.counted(), t.cell_cut))?;
    for (col, h) in heads.iter().enumerate() {
        summary.write_string_with_format(2, col as u16, *h, &header)?;
    }
    for (col, h) in (heads.len() as u16..).zip(&measure_heads) {
        summary.write_string_with_format(2, col, h, &header)?;
    }
    let rows = s
        .areas
        .iter()
        .map(|a| {
            (
                format!("{} {}", a.id, a.title),
                &a.counts,
                &a.measure_counts,
            )
        })
        .chain(std::iter::once((
            t.total.to_string(),
            &s.counts,
            &s.measure_counts,
        )));
    for (r, (label, c, m)) in (3u32..).zip(rows) {
        for (col, n) in (heads.len() as u16..).zip([m.total, m.done(), m.overdue]) {
            summary.write_number_with_format(r, col, n as f64, &number)?;
        }
        summary.write_string_with_format(r, 0, cell_text(&label, t.cell_cut), &number)?;
        for (col, n) in [c.done(), c.in_progress, c.open, c.overdue, c.total]
            .iter()
            .enumerate()
        {
            summary.write_number_with_format(r, col as u16 + 1, *n as f64, &number)?;
        }
        let rate = if c.total == 0 {
            0.0
        } else {
            c.done() as f64 / c.total as f64
        };
        summary.write_number_with_format(r, 6, rate, &percent)?;
    }
    summary.set_column_width(0, 30)?;
    for col in 1..(heads.len() + measure_heads.len()) as u16 {
        summary.set_column_width(col, 12)?;
    }
    summary.set_paper_size(A4);
    summary.set_landscape();
    summary.set_print_fit_to_pages(1, 0);
    wb.save_to_buffer()
}
