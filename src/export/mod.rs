//! Reports built from one [`Summary`], one module per format, so no two formats ever
//! disagree on a number.

pub mod csv;
pub mod docx;
pub mod html;
pub mod json;
mod json_fast;
mod json_scan;
pub mod markdown;
mod ooxml;
pub mod xlsx;

use std::fmt;

use jiff::civil::Date;

use crate::i18n::Lang;
use crate::model::{Checklist, Progress, Stamp};
use crate::summary::Summary;

/// A format `rectify export` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Json,
    Csv,
    Xlsx,
    Docx,
    Html,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Markdown,
        Format::Xlsx,
        Format::Docx,
        Format::Html,
        Format::Csv,
        Format::Json,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Html => "html",
        }
    }

    /// Not text: never written to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Docx)
    }
}

/// The name `--format` takes.
impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = clap::ValueEnum::to_possible_value(self).expect("no format is skipped");
        f.write_str(value.get_name())
    }
}

/// Which round of reporting: the ledger as of a day, and what changed since the last round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// The report's date; `None` is today with everything recorded so far.
    pub as_of: Option<Date>,
    /// Adds "progress this period": changes dated after this day.
    pub since: Option<Date>,
    /// Only the period, not the whole ledger.
    pub period_only: bool,
}

/// The progress a report of `round` shows: as it is, or as it was on `round.as_of`.
pub fn progress_for(progress: &Progress, round: Round) -> std::borrow::Cow<'_, Progress> {
    // Only a past date needs a copy: cloning every note is a large part of an export.
    match round.as_of {
        Some(d) => std::borrow::Cow::Owned(progress.as_of(d)),
        None => std::borrow::Cow::Borrowed(progress),
    }
}

/// The summary a report of `round` shows, of the progress [`progress_for`] gave.
pub fn summarise<'a>(
    checklist: &'a Checklist,
    progress: &'a Progress,
    lang: Lang,
    today: Date,
    round: Round,
) -> Summary<'a> {
    let date = round.as_of.unwrap_or(today);
    let mut summary = Summary::build(checklist, progress, lang, date);
    if let Some(since) = round.since {
        summary = summary.with_period(checklist, progress, since);
        summary.period_only = round.period_only;
    }
    summary
}

/// A report as the pieces it was written in, in order. A large report is written a part on
/// each core, and the parts go to the file one after the other: copying them into one text
/// first costs about as much as writing them, most of it the kernel handing out fresh pages
/// (guarded by `examples/export_loop`).
#[derive(Debug)]
pub struct Report {
    pieces: Vec<Vec<u8>>,
}

impl Report {
    pub fn pieces(&self) -> impl Iterator<Item = &[u8]> {
        self.pieces.iter().map(Vec::as_slice)
    }

    /// The report as one text of bytes (copied together if it was written in parts).
    pub fn into_bytes(mut self) -> Vec<u8> {
        if self.pieces.len() == 1 {
            return self.pieces.pop().expect("one piece");
        }
        self.pieces.concat()
    }

    pub fn write_to(&self, w: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        self.pieces().try_for_each(|p| w.write_all(p))
    }
}

impl From<Vec<u8>> for Report {
    fn from(bytes: Vec<u8>) -> Report {
        Report {
            pieces: vec![bytes],
        }
    }
}

impl From<String> for Report {
    fn from(text: String) -> Report {
        text.into_bytes().into()
    }
}

impl From<Vec<String>> for Report {
    fn from(texts: Vec<String>) -> Report {
        texts
            .into_iter()
            .map(String::into_bytes)
            .collect::<Vec<_>>()
            .into()
    }
}

impl From<Vec<Vec<u8>>> for Report {
    fn from(pieces: Vec<Vec<u8>>) -> Report {
        Report { pieces }
    }
}

/// Who made a report and when: the properties of a DOCX or XLSX file (its author and
/// dates), not part of the report's text.
#[derive(Clone, Copy, Debug)]
pub struct Made<'a> {
    pub at: Stamp,
    /// The author's name; the file says "rectify" when there is none.
    pub by: Option<&'a str>,
}

impl Made<'_> {
    /// Now, by no one in particular.
    pub fn now() -> Made<'static> {
        Made {
            at: Stamp::now(),
            by: None,
        }
    }

    /// The author the file names.
    pub fn author(&self) -> &str {
        self.by
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or("rectify")
    }
}

/// A report that could not be built, or written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot build the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// What docx-rs or the XML fix-up said.
    #[error("cannot build the document: {0}")]
    Docx(String),
    #[error(transparent)]
    Json(#[from] json_fast::Unwritable),
    /// The file, by the name shown for it, could not be written.
    #[error("{name}: {source}")]
    Write {
        name: String,
        source: std::io::Error,
    },
}

/// The report in `format`, its file saying who made it and when.
pub fn render(
    format: Format,
    checklist: &Checklist,
    progress: &Progress,
    lang: Lang,
    today: Date,
    round: Round,
    made: Made,
) -> Result<Report, ExportError> {
    let progress = progress_for(progress, round);
    let s = summarise(checklist, &progress, lang, today, round);
    Ok(match format {
        Format::Markdown => markdown::render(&s).into(),
        Format::Json => json::render(checklist, &progress, &s)?.into(),
        Format::Csv => csv::render(&s).into(),
        Format::Html => html::render(&s).into(),
        Format::Xlsx => xlsx::render(&s, made)?.into(),
        Format::Docx => docx::render(&s, made)?.into(),
    })
}
