//! The subcommands: each reads the ledger, perhaps changes it through the store, and prints.
//! `main.rs` only parses arguments and calls [`run`].

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::export::{self, Format};
use crate::i18n::Lang;
use crate::model::checklist::{ChecklistSource, EMBEDDED_NAME};
use crate::model::progress::{Field, Who};
use crate::model::{Checklist, Deadline, ItemProgress, Progress, Stamp, Status};
use crate::store::{self, Store};
use crate::summary::{Summary, text_bar};
use crate::text::visible;

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
    /// The tree as text: each area with done/total, one item a line.
    List {
        /// Only items with this status (open, in-progress, resolved, verified).
        #[arg(long, value_name = "STATUS", value_parser = parse_status)]
        status: Option<Status>,
    },
    /// One line: resolved, in progress and overdue counts.
    Status,
    /// One item (text, fields, notes, history) or one area (its items and requirements).
    Show {
        /// An item id such as 2.5, or an area id such as 2.
        id: String,
    },
    /// Set an item's status: open, in-progress, resolved or verified.
    Mark {
        id: String,
        #[arg(value_parser = parse_status, value_name = "open|in-progress|resolved|verified")]
        status: Status,
    },
    /// Add a dated progress note to an item, or edit or delete one.
    Note(NoteArgs),
    /// Set an item's ledger fields; an empty value clears a field.
    Set(SetArgs),
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

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    let t = s.trim();
    let bad = || format!("{s:?} is not a date; write it as 2026-11-30");
    if t.len() != 10 {
        return Err(bad());
    }
    let d: jiff::civil::Date = t.parse().map_err(|_| bad())?;
    if d.year() < 2000 {
        return Err(format!("{s:?} is before any ledger this tool keeps"));
    }
    Ok(d)
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    pub id: String,
    /// The note; "-" reads it from standard input.
    pub text: Option<String>,
    /// Replace note N (as numbered by `rectify show`) with TEXT.
    #[arg(long, value_name = "N", conflicts_with = "delete")]
    pub edit: Option<usize>,
    /// Delete note N (as numbered by `rectify show`).
    #[arg(long, value_name = "N", conflicts_with = "text")]
    pub delete: Option<usize>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("fields").required(true).multiple(true)))]
pub struct SetArgs {
    pub id: String,
    /// 牽頭單位: the lead unit.
    #[arg(long, group = "fields")]
    pub owner: Option<String>,
    /// 責任人: the responsible person.
    #[arg(long, group = "fields")]
    pub person: Option<String>,
    /// 整改時限: a date (2026-12-31), immediate (立行立改) or long-term (長期堅持); "" clears.
    #[arg(long, group = "fields", value_parser = parse_deadline)]
    pub deadline: Option<DeadlineArg>,
    /// 整改措施: the rectification measures.
    #[arg(long, group = "fields")]
    pub measures: Option<String>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

fn parse_status(s: &str) -> Result<Status, String> {
    s.parse()
}

/// A deadline to set, or `None` to clear it (from an empty argument).
#[derive(Clone, Copy, Debug)]
pub struct DeadlineArg(pub Option<Deadline>);

fn parse_deadline(s: &str) -> Result<DeadlineArg, String> {
    if s.trim().is_empty() {
        Ok(DeadlineArg(None))
    } else {
        s.parse().map(|d| DeadlineArg(Some(d)))
    }
}

/// A failure to report to the user, with the process exit code.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    /// 2 for a mistake in the command, 1 for anything else.
    pub code: u8,
}

impl CliError {
    fn usage(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: 2,
        }
    }
}

impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> CliError {
        CliError {
            message: e.to_string(),
            code: 1,
        }
    }
}

/// What every command works on.
pub struct Context {
    pub checklist: Checklist,
    pub checklist_source: ChecklistSource,
    pub store: Store,
    pub lang: Lang,
    pub now: Stamp,
    /// Where the author's name comes from; it is looked up only when first needed, since
    /// asking git costs a process start.
    pub author_source: (crate::author::Config, std::path::PathBuf),
    author: std::cell::OnceCell<Option<String>>,
}

impl Context {
    pub fn new(cli: &Cli, now: Stamp) -> Result<Context, CliError> {
        let (checklist, checklist_source) = match &cli.checklist {
            Some(path) => (Checklist::load(path)?, ChecklistSource::File(path.clone())),
            None => (Checklist::embedded(), ChecklistSource::Embedded),
        };
        let path = match &cli.file {
            Some(p) => p.clone(),
            None => store::default_progress_path(&checklist.id)?,
        };
        let config = match crate::author::config_path() {
            Some(p) => crate::author::Config::load(&p).map_err(|m| CliError {
                message: m,
                code: 1,
            })?,
            None => crate::author::Config::default(),
        };
        let store = Store::new(path);
        let dir = store
            .path()
            .parent()
            .filter(|d| d.is_dir())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| std::path::PathBuf::from("."));
        Ok(Context {
            checklist,
            checklist_source,
            author_source: (config, dir),
            author: std::cell::OnceCell::new(),
            store,
            lang: cli.lang.unwrap_or_else(Lang::from_system),
            now,
        })
    }

    /// The stamp of a change made now by this user.
    pub fn who(&self) -> Who {
        Who::new(self.now, self.author())
    }

    /// Who is writing (config, git, login), recorded on every change.
    pub fn author(&self) -> Option<&str> {
        self.author
            .get_or_init(|| crate::author::resolve(&self.author_source.0, &self.author_source.1))
            .as_deref()
    }

    fn load(&self) -> Result<Progress, CliError> {
        Ok(self.store.load(&self.checklist.id)?.progress)
    }

    fn summary<'a>(&'a self, progress: &'a Progress) -> Summary<'a> {
        Summary::build(&self.checklist, progress, self.lang, self.now.date())
    }

    fn check_item(&self, id: &str) -> Result<(), CliError> {
        if self.checklist.find_item(id).is_some() {
            return Ok(());
        }
        Err(CliError::usage(format!(
            "unknown item {:?}; valid ids: {}",
            visible(id),
            self.checklist.item_ids().join(", ")
        )))
    }
}

/// Runs one command, printing to `out`. Without a command, opens the full-screen ledger and
/// returns its exit code.
pub fn run(cli: Cli, out: &mut dyn Write, now: Stamp) -> Result<u8, CliError> {
    // A merge driver works on the files git names, whatever the checklist.
    if let Some(Command::Merge {
        base,
        ours,
        theirs,
        ledger,
    }) = &cli.command
    {
        let lang = cli.lang.unwrap_or_else(Lang::from_system);
        crate::team::merge_driver(base, ours, theirs, ledger.as_deref(), lang).map_err(failed)?;
        return Ok(0);
    }
    let ctx = Context::new(&cli, now)?;
    let Some(command) = cli.command else {
        return crate::tui::run(ctx);
    };
    if let Command::GitSetup = command {
        let file = cli.file.is_some().then(|| ctx.store.path());
        crate::team::git_setup_command(file, &ctx.checklist.id, ctx.lang, out).map_err(failed)?;
        return Ok(0);
    }
    run_command(&ctx, command, out).map(|()| 0)
}

fn run_command(ctx: &Context, command: Command, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::List { status } => list(ctx, status, out),
        Command::Status => status_line(ctx, out),
        Command::Show { id } => show(ctx, &id, out),
        Command::Mark { id, status } => mark(ctx, &id, status, out),
        Command::Note(args) => note(ctx, args, out),
        Command::Set(args) => set(ctx, args, out),
        Command::Export(args) => export(ctx, &args, out),
        Command::Path => path(ctx, out),
        Command::Import { copy } => import(ctx, &copy, out),
        Command::Merge { .. } => unreachable!("handled before the context is built"),
        Command::GitSetup => unreachable!("handled in run, which knows whether --file was given"),
    }
}

fn import(ctx: &Context, file: &std::path::Path, out: &mut dyn Write) -> Result<(), CliError> {
    let bytes = store::read_regular(file).map_err(|e| store::StoreError::io(file, "read", e))?;
    let theirs = store::parse(&bytes, file, &ctx.checklist.id)?;
    let incoming = ctx.store.merge_in(&ctx.checklist.id, &theirs)?;
    let line = if incoming.is_empty() {
        crate::i18n::nothing_new(ctx.lang).to_string()
    } else {
        crate::i18n::merged(ctx.lang, &incoming)
    };
    writeln!(out, "{}", visible(&line))?;
    Ok(())
}

/// A failure whose message is already written for the user.
fn failed(message: String) -> CliError {
    CliError { message, code: 1 }
}

fn list(ctx: &Context, only: Option<Status>, out: &mut dyn Write) -> Result<(), CliError> {
    let progress = ctx.load()?;
    let s = ctx.summary(&progress);
    let t = ctx.lang.strings();
    writeln!(out, "{}", visible(s.title))?;
    for area in &s.areas {
        let items: Vec<_> = area
            .items
            .iter()
            .filter(|i| only.is_none_or(|st| i.status == st))
            .collect();
        if items.is_empty() {
            continue;
        }
        let c = &area.counts;
        writeln!(
            out,
            "{} {}  {}/{} {}",
            visible(area.id),
            visible(area.title),
            c.done(),
            c.total,
            text_bar(c.done(), c.total, 8)
        )?;
        for i in items {
            let mut extra = String::new();
            if i.overdue {
                extra.push_str(&format!("  ⚠ {}", t.overdue));
            }
            if !i.notes.is_empty() {
                extra.push_str(&format!("  ✎{}", i.notes.len()));
            }
            writeln!(
                out,
                "  {} {} {}{extra}",
                i.status.mark(),
                visible(i.id),
                visible(i.text).replace('\n', " ")
            )?;
        }
    }
    Ok(())
}

/// The one-line summary, e.g. "1/22 resolved · 1 in progress · 0 overdue".
pub fn status_text(s: &Summary) -> String {
    let c = &s.counts;
    let t = s.lang.strings();
    match s.lang {
        Lang::En => format!(
            "{}/{} {} · {} {} · {} {}",
            c.done(),
            c.total,
            t.status_resolved,
            c.in_progress,
            t.status_in_progress,
            c.overdue,
            t.overdue
        ),
        _ => format!(
            "{}{}/{} · {}{} · {}{}",
            t.status_resolved,
            c.done(),
            c.total,
            t.status_in_progress,
            c.in_progress,
            t.overdue,
            c.overdue
        ),
    }
}

fn status_line(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let progress = ctx.load()?;
    writeln!(out, "{}", status_text(&ctx.summary(&progress)))?;
    Ok(())
}

fn show(ctx: &Context, id: &str, out: &mut dyn Write) -> Result<(), CliError> {
    let progress = ctx.load()?;
    let lang = ctx.lang;
    let t = lang.strings();
    if let Some(area) = ctx.checklist.find_area(id) {
        writeln!(
            out,
            "{} {}",
            visible(&area.id),
            visible(area.title.get(lang))
        )?;
        for item in &area.items {
            let st = progress.status(&item.id);
            writeln!(
                out,
                "  {} {} {}",
                st.mark(),
                visible(&item.id),
                visible(item.text.get(lang))
            )?;
        }
        let req = area.requirements.get(lang);
        if !req.is_empty() {
            writeln!(out, "\n{}:\n{}", t.requirements, visible(req))?;
        }
        return Ok(());
    }
    let Some((area, item)) = ctx.checklist.find_item(id) else {
        return Err(CliError::usage(format!(
            "unknown id {:?}; valid item ids: {} (or an area: {})",
            visible(id),
            ctx.checklist.item_ids().join(", "),
            ctx.checklist
                .areas
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let empty = ItemProgress::default();
    let p = progress.item(id).unwrap_or(&empty);
    let or_none = |s: &str| {
        if s.is_empty() {
            t.none.to_string()
        } else {
            visible(s).into_owned()
        }
    };
    writeln!(
        out,
        "{} [{} {}]",
        visible(&item.id),
        visible(&area.id),
        visible(area.title.get(lang))
    )?;
    writeln!(out, "{}", visible(item.text.get(lang)))?;
    writeln!(out)?;
    let overdue = if p.is_overdue(ctx.now.date()) {
        format!("  ⚠ {}", t.overdue)
    } else {
        String::new()
    };
    // Decided by a change dated later than now: its writer's clock ran ahead.
    let future = match p.last_change() {
        Some(c) if c.at.is_after(ctx.now) => format!(" ({} {})", c.at.short(), t.future_date),
        _ => String::new(),
    };
    writeln!(
        out,
        "{}: {} {}{future}{overdue}",
        t.status,
        p.status().mark(),
        p.status().label(lang)
    )?;
    writeln!(out, "{}: {}", t.owner, or_none(p.owner()))?;
    writeln!(out, "{}: {}", t.person, or_none(p.person()))?;
    let deadline = p.deadline().map(|d| d.label(lang)).unwrap_or_default();
    writeln!(out, "{}: {}", t.deadline, or_none(&deadline))?;
    writeln!(out, "{}: {}", t.measures, or_none(p.measures()))?;
    writeln!(out)?;
    let notes = p.numbered_notes();
    if notes.is_empty() {
        writeln!(out, "{}: {}", t.notes, t.no_notes)?;
    } else {
        writeln!(out, "{}:", t.notes)?;
        for (n, note) in notes.iter().rev() {
            writeln!(out, "  #{n} {}", note.heading(lang, ctx.now))?;
            for line in visible(&note.text).lines() {
                writeln!(out, "     {line}")?;
            }
        }
    }
    if !p.history.is_empty() {
        writeln!(out, "\n{}:", t.history)?;
        let mut before = Status::Open;
        // In the order they took effect, which is the order of their times unless a
        // writer's clock ran ahead.
        for change in p.ordered_history() {
            let by = change
                .by
                .as_deref()
                .map(|b| format!("  ({})", visible(b)))
                .unwrap_or_default();
            let future = if change.at.is_after(ctx.now) {
                format!(" ({})", t.future_date)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  {}{future}  {} → {}{by}",
                change.at.short(),
                before.label(lang),
                change.status.label(lang)
            )?;
            before = change.status;
        }
    }
    let req = area.requirements.get(lang);
    if !req.is_empty() {
        writeln!(
            out,
            "\n{} ({}):\n{}",
            t.requirements,
            visible(area.title.get(lang)),
            visible(req)
        )?;
    }
    Ok(())
}

fn mark(ctx: &Context, id: &str, status: Status, out: &mut dyn Write) -> Result<(), CliError> {
    ctx.check_item(id)?;
    let before = ctx.store.update(&ctx.checklist.id, |p| {
        let before = p.status(id);
        (p.set_status(id, status, ctx.who()), before)
    })?;
    if before == status {
        writeln!(out, "{id}: {} (unchanged)", status.label(ctx.lang))?;
    } else {
        writeln!(
            out,
            "{id}: {} → {}",
            before.label(ctx.lang),
            status.label(ctx.lang)
        )?;
    }
    Ok(())
}

fn note(ctx: &Context, args: NoteArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let id = args.id.as_str();
    ctx.check_item(id)?;
    let text = match args.text.as_deref() {
        Some("-") => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes)?;
            let s = String::from_utf8(bytes).map_err(|e| {
                CliError::usage(format!(
                    "standard input is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            Some(s)
        }
        other => other.map(str::to_string),
    };
    // Windows line endings from a pasted file or a script become plain line breaks.
    let text = text.map(|t| {
        t.replace("\r\n", "\n")
            .trim_end_matches(['\n', '\r'])
            .to_string()
    });
    let pick = |p: &Progress, n: usize| -> Result<String, CliError> {
        let empty = ItemProgress::default();
        let notes = p.item(id).unwrap_or(&empty).numbered_notes();
        notes
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, note)| note.id.clone())
            .ok_or_else(|| {
                let valid: Vec<String> = notes.iter().map(|(k, _)| format!("#{k}")).collect();
                CliError::usage(format!(
                    "{id} has no note #{n}; its notes: {} (see `rectify show {id}`)",
                    if valid.is_empty() {
                        "none".to_string()
                    } else {
                        valid.join(", ")
                    }
                ))
            })
    };
    let message = if let Some(n) = args.delete {
        ctx.store.update(&ctx.checklist.id, |p| {
            let r = pick(p, n).and_then(|nid| Ok(p.delete_note(id, &nid, ctx.who())?));
            (r.is_ok(), r.map(|_| format!("{id}: note #{n} deleted")))
        })??
    } else {
        let Some(text) = text else {
            return Err(CliError::usage(
                "give the note's text, or - to read it from standard input",
            ));
        };
        if text.trim().is_empty() {
            return Err(CliError::usage("a note cannot be empty"));
        }
        match args.edit {
            Some(n) => ctx.store.update(&ctx.checklist.id, |p| {
                let r = pick(p, n).and_then(|nid| Ok(p.edit_note(id, &nid, &text, ctx.who())?));
                (r.is_ok(), r.map(|_| format!("{id}: note #{n} edited")))
            })??,
            None => ctx
                .store
                .update(&ctx.checklist.id, |p| {
                    // The number `show` gives it, which `--edit` and `--delete` take.
                    let r = p.add_note(id, &text, ctx.who()).map(|note| {
                        let n = p.item(id).and_then(|i| i.note_number(&note)).unwrap_or(0);
                        format!("{id}: note #{n} added")
                    });
                    (r.is_ok(), r)
                })?
                .map_err(CliError::from)?,
        }
    };
    writeln!(out, "{message}")?;
    Ok(())
}

fn set(ctx: &Context, args: SetArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let id = args.id.as_str();
    ctx.check_item(id)?;
    ctx.store.update(&ctx.checklist.id, |p| {
        let before = p.clone();
        for (field, value) in [
            (Field::Owner, &args.owner),
            (Field::Person, &args.person),
            (Field::Measures, &args.measures),
        ] {
            if let Some(v) = value {
                p.set_text(id, field, v, ctx.who());
            }
        }
        if let Some(DeadlineArg(d)) = args.deadline {
            p.set_deadline(id, d, ctx.who());
        }
        (*p != before, ())
    })?;
    show(ctx, id, out)
}

fn export(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let round = export::Round {
        as_of: args.as_of,
        since: args.since,
        period_only: args.period_only,
    };
    let tomorrow = ctx.now.date().tomorrow().unwrap_or(ctx.now.date());
    for (flag, d) in [("--as-of", args.as_of), ("--since", args.since)] {
        if let Some(d) = d
            && d > tomorrow
        {
            return Err(CliError::usage(format!(
                "{flag} {d} is in the future; the ledger only knows up to today ({})",
                ctx.now.date()
            )));
        }
    }
    if let (Some(since), Some(as_of)) = (args.since, args.as_of)
        && since >= as_of
    {
        return Err(CliError::usage(format!(
            "--since {since} must be before --as-of {as_of}"
        )));
    }
    // `-o -` is standard output, as for most tools.
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    if output.is_none()
        && args.format.is_binary()
        && crossterm::tty::IsTty::is_tty(&std::io::stdout())
    {
        return Err(CliError::usage(format!(
            "{} is a binary format; write it to a file with --output report.{}",
            args.format,
            args.format.extension()
        )));
    }
    let progress = ctx.load()?;
    // A DOCX or XLSX file names its author (asking git for it costs a process start).
    let made = export::Made {
        at: ctx.now,
        by: args.format.is_binary().then(|| ctx.author()).flatten(),
    };
    let report = export::render_made(
        args.format,
        &ctx.checklist,
        &progress,
        ctx.lang,
        ctx.now.date(),
        round,
        made,
    )
    .map_err(|m| CliError {
        message: m,
        code: 1,
    })?;
    match output {
        None => report.write_to(out)?,
        Some(path) => {
            if is_ledger_file(path, &ctx.store) {
                return Err(CliError::usage(format!(
                    "{} is one of the ledger's own files; choose another --output",
                    store::shown(path)
                )));
            }
            // A regular file (or a new one) is replaced whole; a device, a FIFO or
            // /dev/stdout is written into and its name not printed after the report.
            let streamed = store::write_output(path, report.pieces())
                .map_err(|e| store::StoreError::io(path, "write the export", e))?;
            if !streamed {
                writeln!(out, "{}", store::shown(path))?;
            }
        }
    }
    Ok(())
}

/// An absolute form of a path that may not exist yet: the directory resolved, the name kept.
fn absolute(p: &Path) -> std::path::PathBuf {
    let dir = match p.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => std::path::PathBuf::from("."),
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    match p.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// Whether writing to `target` would hit the ledger's own files (progress, backup, locks),
/// by its name or through a symbolic link.
fn is_ledger_file(target: &Path, store: &Store) -> bool {
    let resolved = absolute(Store::new(target).path());
    let target = absolute(target);
    [
        store.path().to_path_buf(),
        store.backup_path(),
        store.lock_path(),
        store.session_path(),
    ]
    .iter()
    .any(|f| absolute(f) == target || absolute(f) == resolved)
}

fn path(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let checklist = match &ctx.checklist_source {
        ChecklistSource::Embedded => EMBEDDED_NAME.to_string(),
        ChecklistSource::File(p) => store::shown(p),
    };
    writeln!(out, "checklist: {checklist} (id {})", ctx.checklist.id)?;
    writeln!(out, "progress:  {}", store::shown(ctx.store.path()))?;
    writeln!(out, "backup:    {}", store::shown(&ctx.store.backup_path()))?;
    Ok(())
}
