//! The command line: the options every command takes and one type per command's arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::export::Format;
use crate::i18n::Lang;
use crate::model::{Deadline, Status};

#[derive(Debug, Parser)]
#[command(
    name = "rectify",
    version,
    about = "A rectification ledger (整改台賬) for the problems raised in a supervision report",
    long_about = "A rectification ledger (整改台賬) for the problems raised in a supervision report.\n\n\
        Opens on the 22 problems that the central supervision team raised in Inner Mongolia, or on \
        your own checklist (--checklist). Progress is saved after every change to a RON file in \
        your data directory (see `rectify path`)."
)]
pub struct Cli {
    /// The progress file to use instead of the one in the data directory.
    #[arg(long, global = true, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// A checklist file (RON, same format as the embedded one) instead of the embedded one.
    #[arg(long, global = true, value_name = "PATH")]
    pub checklist: Option<PathBuf>,
    /// Language of texts and reports; defaults from the locale.
    #[arg(long, global = true, value_name = "zh-Hans|zh-Hant|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The tree as text: each area with done/total, one item a line, its measures indented
    /// under it.
    List {
        /// Only items and measures with this status (open, in-progress, resolved, verified);
        /// an item is shown above its measures that have it.
        #[arg(long, value_name = "STATUS", value_parser = parse_status)]
        status: Option<Status>,
    },
    /// One line: resolved, in progress and overdue counts, and resolved measures of all.
    Status,
    /// One item (text, fields, measures, notes, history), one measure, or one area (its
    /// items and requirements).
    Show {
        /// An item id such as 2.5, a measure id such as 2.5.1, or an area id such as 2.
        id: String,
    },
    /// Set the status of an item or a measure: open, in-progress, resolved or verified.
    ///
    /// A problem with measures follows them: it is resolved when they all are, and can be
    /// marked resolved or verified only then.
    Mark {
        /// An item id such as 2.5, or a measure id such as 2.5.1.
        id: String,
        #[arg(value_parser = parse_status, value_name = "open|in-progress|resolved|verified")]
        status: Status,
        /// The day it happened (YYYY-MM-DD), when not today; not a day after today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<jiff::civil::Date>,
    },
    /// Set a resolved or verified item or measure back in progress, recording why.
    ///
    /// For a 回頭看 that finds a problem come back: the reason stays in its status history.
    Reopen {
        /// An item id such as 2.5, or a measure id such as 2.5.1.
        id: String,
        /// Why it is reopened; kept in its status history.
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// The day it happened (YYYY-MM-DD), when not today; not a day after today.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<jiff::civil::Date>,
    },
    /// Add a dated progress note to an item or a measure, or edit or delete one.
    Note(NoteArgs),
    /// Set the ledger fields of an item or a measure; an empty value clears a field.
    Set(SetArgs),
    /// Add, change or delete a measure (整改措施) of a problem: 2.5.1, 2.5.2, ...
    ///
    /// A measure is a task that answers a problem, with its own goal, units, leader,
    /// person, deadline, status and notes. Once a problem has measures its status follows
    /// them: resolved when they all are.
    #[command(subcommand)]
    Measure(MeasureCommand),
    /// Write the progress summary (Markdown to standard output by default).
    Export(ExportArgs),
    /// Where the checklist and the progress file are.
    Path,
    /// Take another copy of this ledger's progress file into it: a colleague's copy, or the
    /// recovery file rectify writes when it cannot save at quit. Nothing is lost either way.
    Import {
        /// The progress file to take in.
        #[arg(value_name = "FILE")]
        copy: PathBuf,
    },
    /// Merge two copies of a progress file, writing the result to OURS. This is the git
    /// merge driver that `rectify git-setup` registers; BASE may be an empty file. LEDGER
    /// is the ledger's path that git merges (its `%P`): messages name it, and a merge that
    /// cannot be done leaves both copies between conflict markers in OURS.
    Merge {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        ledger: Option<PathBuf>,
    },
    /// Set up the git repository that holds the progress file to merge it with
    /// `rectify merge` (run once in each clone). Without --file, sets up every ledger of
    /// the checklist found in the git work tree around the current folder.
    GitSetup,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// markdown, json, csv (UTF-8 with BOM, for Excel/WPS), xlsx, docx or html.
    #[arg(long, short, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output; xlsx and docx need it
    /// when standard output is a terminal.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The ledger as it stood at the end of this day (YYYY-MM-DD): later status changes,
    /// notes and field changes are left out.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<jiff::civil::Date>,
    /// Add "progress this period": status changes and notes dated after this day (the
    /// previous round's date) up to the report's date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<jiff::civil::Date>,
    /// With --since: only the period, not the whole ledger.
    #[arg(long, requires = "since")]
    pub period_only: bool,
}

/// A `--since` or `--as-of` that is no date of a ledger.
#[derive(Debug, thiserror::Error)]
enum DateError {
    #[error("{0:?} is not a date; write it as 2026-11-30")]
    NotADate(String),
    #[error("{0:?} is before any ledger this tool keeps")]
    TooEarly(String),
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, DateError> {
    let t = s.trim();
    let bad = || DateError::NotADate(s.to_string());
    if t.len() != 10 {
        return Err(bad());
    }
    let d: jiff::civil::Date = t.parse().map_err(|_| bad())?;
    if d.year() < 2000 {
        return Err(DateError::TooEarly(s.to_string()));
    }
    Ok(d)
}

#[derive(Debug, Subcommand)]
pub enum MeasureCommand {
    /// Add a measure to a problem; prints its id (such as 2.5.1) and nothing else.
    #[command(group(clap::ArgGroup::new("fields").multiple(true)))]
    Add {
        /// The problem's id, such as 2.5.
        item: String,
        /// 整改措施: what is to be done.
        text: String,
        #[command(flatten)]
        fields: MeasureFields,
    },
    /// Change a measure's text or fields; an empty value clears a field.
    #[command(group(clap::ArgGroup::new("fields").required(true).multiple(true)))]
    Set {
        /// The measure's id, such as 2.5.1.
        id: String,
        /// 整改措施: the measure's text (cannot be empty).
        #[arg(long, group = "fields")]
        text: Option<String>,
        #[command(flatten)]
        fields: MeasureFields,
    },
    /// Delete a measure. The others keep their numbers: after deleting 2.5.1, 2.5.2 is
    /// still 2.5.2.
    Delete {
        /// The measure's id, such as 2.5.1.
        id: String,
    },
}

/// The fields of a measure, as `measure add` and `measure set` take them.
#[derive(Debug, Args)]
pub struct MeasureFields {
    /// 整改目標: the goal.
    #[arg(long, group = "fields")]
    pub goal: Option<String>,
    /// 牽頭單位: the lead unit.
    #[arg(long, group = "fields")]
    pub owner: Option<String>,
    /// 配合單位: partner units, separated by , ， 、 ; or ；
    #[arg(long, group = "fields", value_name = "UNITS")]
    pub partners: Option<String>,
    /// 責任領導: the responsible leader.
    #[arg(long, group = "fields")]
    pub leader: Option<String>,
    /// 責任人: the responsible person.
    #[arg(long, group = "fields")]
    pub person: Option<String>,
    /// 整改時限: a date (2026-12-31, 2026/12/31, 20261231, 2026年12月31日, 12月底前,
    /// 2026年底前), immediate (立行立改) or long-term (長期堅持); "" clears.
    #[arg(long, group = "fields")]
    pub deadline: Option<DeadlineArg>,
}

/// Partner units as typed, `"甲單位，乙單位、丙單位"`: split on the separators offices use,
/// trimmed, empty ones dropped.
pub fn split_units(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// An item id such as 2.5, or a measure id such as 2.5.1.
    pub id: String,
    /// The note; "-" reads it from standard input.
    pub text: Option<String>,
    /// Replace note N (as numbered by `rectify show`) with TEXT.
    #[arg(long, value_name = "N", conflicts_with = "delete")]
    pub edit: Option<usize>,
    /// Delete note N (as numbered by `rectify show`).
    #[arg(long, value_name = "N", conflicts_with = "text")]
    pub delete: Option<usize>,
    /// The day the note tells of (YYYY-MM-DD), when not today; not a day after today.
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with_all = ["edit", "delete"])]
    pub on: Option<jiff::civil::Date>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("fields").required(true).multiple(true)))]
pub struct SetArgs {
    /// An item id such as 2.5, or a measure id such as 2.5.1.
    pub id: String,
    /// 牽頭單位: the lead unit.
    #[arg(long, group = "fields")]
    pub owner: Option<String>,
    /// 責任人: the responsible person.
    #[arg(long, group = "fields")]
    pub person: Option<String>,
    /// 整改時限: a date (2026-12-31, 2026/12/31, 20261231, 2026年12月31日, 12月底前,
    /// 2026年底前), immediate (立行立改) or long-term (長期堅持); "" clears.
    #[arg(long, group = "fields")]
    pub deadline: Option<DeadlineArg>,
    /// Deprecated: adds a measure with this text to the problem; use `rectify measure add`.
    #[arg(long, group = "fields", value_name = "TEXT")]
    pub measures: Option<String>,
}

fn parse_lang(s: &str) -> Result<Lang, crate::i18n::UnknownLang> {
    s.parse()
}

fn parse_status(s: &str) -> Result<Status, crate::model::progress::UnknownStatus> {
    s.parse()
}

/// A deadline as typed; read with [`DeadlineArg::read`] on the command's day, since
/// `12月底前` means the coming December.
#[derive(Clone, Debug)]
pub struct DeadlineArg(pub String);

impl std::str::FromStr for DeadlineArg {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(DeadlineArg(s.to_string()))
    }
}

impl DeadlineArg {
    /// The deadline to set, or `None` to clear it (from an empty argument).
    pub fn read(
        &self,
        today: jiff::civil::Date,
    ) -> Result<Option<Deadline>, crate::model::progress::UnknownDeadline> {
        if self.0.trim().is_empty() {
            Ok(None)
        } else {
            Deadline::parse(&self.0, today).map(Some)
        }
    }
}
