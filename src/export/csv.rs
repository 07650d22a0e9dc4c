//! The ledger as CSV for Excel and WPS: UTF-8 with a byte-order mark (without it Excel reads
//! Chinese as mojibake), quoted by the `csv` crate, and closed against formula injection.

use std::borrow::Cow;

use crate::summary::Summary;
use crate::text::visible;

/// A cell that a spreadsheet would run as a formula (OWASP: `=`, `+`, `-`, `@`, tab, CR) or
/// that starts with NUL gets a leading `'`, which spreadsheets show as text.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The table as the pieces it was written in, in order: the byte order mark and the
/// column names, then the rows.
pub fn render(s: &Summary) -> Vec<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    // The column names are rectify's own: written as they are.
    let mut header = writer(&mut out);
    header.write_record(s.columns()).expect("writing to memory");
    header.flush().expect("writing to memory");
    drop(header);
    // The rows, written a part on each core for a large ledger.
    let parts = crate::par::map_parts(
        &s.areas,
        |a| a.items.len(),
        |areas| records(s.rows(areas).map(|r| r.cells)),
    );
    std::iter::once(out).chain(parts).collect()
}

/// CSV records, their cells guarded and made visible, then quoted by the `csv` crate.
fn records<'c>(rows: impl Iterator<Item = Vec<Cow<'c, str>>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = writer(&mut out);
    for cells in rows {
        let shown: Vec<Cow<str>> = cells
            .iter()
            .map(|c| {
                // Guard first, on the text as typed, so a leading control is caught too.
                let guarded = neutralise(c);
                match visible(&guarded) {
                    Cow::Borrowed(_) => guarded,
                    Cow::Owned(shown) => Cow::Owned(shown),
                }
            })
            .collect();
        w.write_record(shown.iter().map(|c| c.as_bytes()))
            .expect("writing to memory");
    }
    w.flush().expect("writing to memory");
    drop(w);
    out
}

/// The CSV writer both the header and the rows are written with: CRLF, as Excel writes.
fn writer(out: &mut Vec<u8>) -> ::csv::Writer<&mut Vec<u8>> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0x"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("2026-12-31"), "2026-12-31");
        assert_eq!(neutralise("已完成"), "已完成");
    }
}
