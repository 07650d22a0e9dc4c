//! The subcommands: each reads the ledger, perhaps changes it through the store, and prints.
//! `main.rs` parses the arguments and, given a command, calls [`run`].

use std::io::{Read, Write};

use crate::context::Context;
use crate::error::CliError;
use crate::i18n::Lang;
use crate::model::checklist::{ChecklistSource, EMBEDDED_NAME};
use crate::model::progress::Field;
use crate::model::{ItemProgress, Progress, Stamp, Status};
use crate::store;
use crate::summary::{Summary, text_bar};
use crate::text::visible;

mod args;
mod export;
mod show;

pub use args::{Cli, Command, DeadlineArg, ExportArgs, NoteArgs, SetArgs};

/// Runs one command, printing to `out`.
pub fn run(cli: &Cli, command: Command, out: &mut dyn Write, now: Stamp) -> Result<(), CliError> {
    // A merge driver works on the files git names, whatever the checklist.
    if let Command::Merge {
        base,
        ours,
        theirs,
        ledger,
    } = &command
    {
        let lang = cli.lang.unwrap_or_else(Lang::from_system);
        // Every line of a long message starts as the first does.
        crate::team::merge_driver(base, ours, theirs, ledger.as_deref(), lang)
            .map_err(|e| CliError::failed(e.to_string().replace('\n', "\nrectify: ")))?;
        return Ok(());
    }
    let ctx = cli.context(now)?;
    if let Command::GitSetup = command {
        let file = cli.file.is_some().then(|| ctx.store.path());
        crate::team::git_setup_command(file, &ctx.checklist.id, ctx.lang, out)?;
        return Ok(());
    }
    run_command(&ctx, command, out)
}

impl Cli {
    /// The context of the options every command takes: `--file`, `--checklist`, `--lang`.
    pub fn context(&self, now: Stamp) -> Result<Context, CliError> {
        Context::new(
            self.file.as_deref(),
            self.checklist.as_deref(),
            self.lang,
            now,
        )
    }
}

// What the commands ask of the context.
impl Context {
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

fn run_command(ctx: &Context, command: Command, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::List { status } => list(ctx, status, out),
        Command::Status => status_line(ctx, out),
        Command::Show { id } => show::show(ctx, &id, out),
        Command::Mark { id, status } => mark(ctx, &id, status, out),
        Command::Note(args) => note(ctx, args, out),
        Command::Set(args) => set(ctx, args, out),
        Command::Export(args) => export::export(ctx, &args, out),
        Command::Path => path(ctx, out),
        Command::Import { copy } => import(ctx, &copy, out),
        Command::Merge { .. } | Command::GitSetup => unreachable!("handled in run"),
    }
}

fn import(ctx: &Context, file: &std::path::Path, out: &mut dyn Write) -> Result<(), CliError> {
    let bytes = store::read_regular(file).map_err(|e| store::StoreError::io(file, "read", e))?;
    let theirs = store::parse(&bytes, file, &ctx.checklist.id)?;
    let incoming = ctx.store.merge_in(&ctx.checklist.id, &theirs)?;
    let line = if incoming.is_empty() {
        crate::i18n::nothing_new(ctx.lang).to_string()
    } else {
        crate::i18n::merged(
            ctx.lang,
            incoming.notes,
            incoming.changes,
            &incoming.authors,
        )
    };
    writeln!(out, "{}", visible(&line))?;
    Ok(())
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
    crate::i18n::status_counts(s.lang, c.done(), c.total, c.in_progress, c.overdue)
}

fn status_line(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let progress = ctx.load()?;
    writeln!(out, "{}", status_text(&ctx.summary(&progress)))?;
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
    let deadline = match &args.deadline {
        Some(d) => Some(
            d.read(ctx.now.date())
                .map_err(|e| CliError::usage(format!("invalid value for '--deadline': {e}")))?,
        ),
        None => None,
    };
    ctx.store.update(&ctx.checklist.id, |p| {
        let before = p.clone();
        for (field, value) in [(Field::Owner, &args.owner), (Field::Person, &args.person)] {
            if let Some(v) = value {
                // Problems have both fields: this cannot fail.
                let _ = p.set_text(id, field, v, ctx.who());
            }
        }
        if let Some(text) = args.measures.as_deref().filter(|t| !t.trim().is_empty()) {
            let _ = p.add_measure(id, text, ctx.who());
        }
        if let Some(d) = deadline {
            p.set_deadline(id, d, ctx.who());
        }
        (*p != before, ())
    })?;
    show::show(ctx, id, out)
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
