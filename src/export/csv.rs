//! The ledger as CSV for Excel and WPS: UTF-8 with a byte-order mark (without it Excel reads
//! Chinese as mojibake), quoted by the `csv` crate, and closed against formula injection.

use crate::summary::Summary;
use crate::text::visible;

/// A cell that a spreadsheet would run as a formula (OWASP: `=`, `+`, `-`, `@`, tab, CR) or
/// that starts with NUL gets a leading `'`, which spreadsheets show as text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

pub fn render(s: &Summary) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        let (columns, rows) = s.table();
        w.write_record(columns).expect("writing to memory");
        for (_, cells) in rows {
            let cells = cells.iter().map(|c| {
                // Guard first, on the text as typed, so a leading control is caught too.
                visible(&neutralise(c)).into_owned()
            });
            w.write_record(cells).expect("writing to memory");
        }
        w.flush().expect("writing to memory");
    }
    out
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
