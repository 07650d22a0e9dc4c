//! Reports built from one [`Summary`], one module per format, so no two formats ever
//! disagree on a number.

pub mod csv;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod xlsx;

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;

use crate::i18n::Lang;
use crate::model::{Checklist, Progress};
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

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Html => "html",
        })
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        <Format as clap::ValueEnum>::from_str(s, true)
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
    // Only a past date needs a copy: cloning 50,000 notes was a fifth of an export.
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

/// The report in `format`, as bytes to write.
pub fn render(
    format: Format,
    checklist: &Checklist,
    progress: &Progress,
    lang: Lang,
    today: Date,
    round: Round,
) -> Result<Vec<u8>, String> {
    let progress = progress_for(progress, round);
    let s = summarise(checklist, &progress, lang, today, round);
    Ok(match format {
        Format::Markdown => markdown::render(&s).into_bytes(),
        Format::Json => json::render(checklist, &progress, &s).into_bytes(),
        Format::Csv => csv::render(&s),
        Format::Html => html::render(&s).into_bytes(),
        Format::Xlsx => {
            xlsx::render(&s).map_err(|e| format!("cannot build the spreadsheet: {e}"))?
        }
        Format::Docx => docx::render(&s).map_err(|e| format!("cannot build the document: {e}"))?,
    })
}
