//! The subcommands: each reads the ledger, perhaps changes it through the store, and prints.
//! `main.rs` parses the arguments and, given a command, calls [`run`].

use std::io::{Read, Write};

use crate::context::Context;
use crate::error::CliError;
use crate::i18n::Lang;
use crate::model::checklist::{ChecklistSource, EMBEDDED_NAME};
use crate::model::measure::split_id;
use crate::model::progress::{ChangeError, Field, Note, Who, note_number, numbered_notes};
use crate::model::{Progress, Stamp, Status};
use crate::store;
use crate::summary::{Summary, text_bar};
use crate::text::visible;

mod args;
mod export;
mod show;

pub use args::{
    Cli, Command, DeadlineArg, ExportArgs, MeasureCommand, MeasureFields, NoteArgs, SetArgs,
    split_units,
};

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

    /// Whether `id` names a measure (`2.5.1`) rather than a problem (`2.5`); an error
    /// naming it when it is neither a problem nor of the form of a measure of one. Whether
    /// the measure exists is [`Context::check_live`]'s to say, with the ledger at hand.
    fn id_kind(&self, id: &str) -> Result<IdKind, CliError> {
        if self.checklist.find_item(id).is_some() {
            return Ok(IdKind::Problem);
        }
        match split_id(id) {
            Some((item, _)) if self.checklist.find_item(item).is_some() => Ok(IdKind::Measure),
            _ => self.check_item(id).map(|()| IdKind::Problem),
        }
    }

    /// An error naming a measure id that is not a live measure of `progress`, with the
    /// measures its problem has.
    fn check_live(&self, progress: &Progress, id: &str, kind: IdKind) -> Result<(), CliError> {
        if kind == IdKind::Problem || progress.measure(id).is_some() {
            return Ok(());
        }
        let Some((item, n)) = split_id(id) else {
            return self.check_item(id);
        };
        let problem = progress.item(item);
        let deleted =
            problem.is_some_and(|p| p.measures.get(n - 1).is_some_and(|m| m.is_removed()));
        let live: Vec<String> = problem
            .map(|p| p.numbered_measures())
            .unwrap_or_default()
            .iter()
            .map(|(k, _)| format!("{item}.{k}"))
            .collect();
        let why = if deleted {
            "deleted measure"
        } else {
            "unknown measure"
        };
        let has = if live.is_empty() {
            format!("{item} has no measures (add one with `rectify measure add {item} TEXT`)")
        } else {
            format!("the measures of {item}: {}", live.join(", "))
        };
        Err(CliError::usage(format!("{why} {:?}; {has}", visible(id))))
    }

    /// The stamp of a change that happened `on` that day (`--on`), which must not be after
    /// today: the ledger records what has happened.
    fn who_on(&self, on: Option<jiff::civil::Date>) -> Result<Who, CliError> {
        let today = self.now.date();
        if let Some(d) = on
            && d > today
        {
            return Err(CliError::usage(format!(
                "--on {d} is after today ({today}): record a thing once it has happened"
            )));
        }
        Ok(self.who().on(on))
    }
}

/// What an id addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdKind {
    Problem,
    Measure,
}

/// A change the ledger refuses (a problem that follows its measures, nothing to reopen, an
/// empty text): a mistake in the command, exit code 2.
fn refused(progress: &Progress, e: ChangeError) -> CliError {
    let mut message = e.to_string();
    if let ChangeError::OpenMeasures { open, .. } = &e {
        for id in open {
            if let Some((_, _, m)) = progress.measure(id) {
                let text = visible(m.text()).replace('\n', " ");
                message.push_str(&format!("\nrectify:   {id} {} {text}", m.status().mark()));
            }
        }
    }
    CliError::usage(message)
}

fn run_command(ctx: &Context, command: Command, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::List { status } => list(ctx, status, out),
        Command::Status => status_line(ctx, out),
        Command::Show { id } => show::show(ctx, &id, out),
        Command::Mark { id, status, on } => mark(ctx, &id, status, on, out),
        Command::Reopen { id, reason, on } => reopen(ctx, &id, &reason, on, out),
        Command::Measure(m) => measure(ctx, m, out),
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
            .filter(|i| {
                only.is_none_or(|st| i.status == st || i.measures.iter().any(|m| m.status == st))
            })
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
            for m in i
                .measures
                .iter()
                .filter(|m| only.is_none_or(|st| m.status == st))
            {
                let mut extra = [m.owner.to_string(), deadline_label(m.deadline, ctx.lang)]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| visible(&s).replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join(" · ");
                if !extra.is_empty() {
                    extra.insert_str(0, "  ");
                }
                if m.overdue {
                    extra.push_str(&format!("  ⚠ {}", t.overdue));
                }
                if !m.notes.is_empty() {
                    extra.push_str(&format!("  ✎{}", m.notes.len()));
                }
                writeln!(
                    out,
                    "      {} {} {}{extra}",
                    m.status.mark(),
                    visible(&m.id),
                    visible(m.text).replace('\n', " ")
                )?;
            }
        }
    }
    Ok(())
}

/// The one-line summary, e.g. "1/22 resolved · 1 in progress · 0 overdue", and
/// " · measures 17/64" after it when the ledger has measures.
pub fn status_text(s: &Summary) -> String {
    let c = &s.counts;
    let mut line = crate::i18n::status_counts(s.lang, c.done(), c.total, c.in_progress, c.overdue);
    let measures = s
        .areas
        .iter()
        .flat_map(|a| &a.items)
        .flat_map(|i| &i.measures);
    let (done, total) = measures.fold((0, 0), |(d, t), m| {
        (d + usize::from(m.status.is_done()), t + 1)
    });
    if total > 0 {
        line.push_str(&crate::i18n::measure_counts(s.lang, done, total));
    }
    line
}

fn status_line(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let progress = ctx.load()?;
    writeln!(out, "{}", status_text(&ctx.summary(&progress)))?;
    Ok(())
}

/// A deadline as shown, empty when there is none.
fn deadline_label(d: Option<crate::model::Deadline>, lang: Lang) -> String {
    d.map(|d| d.label(lang)).unwrap_or_default()
}

fn mark(
    ctx: &Context,
    id: &str,
    status: Status,
    on: Option<jiff::civil::Date>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let kind = ctx.id_kind(id)?;
    let who = ctx.who_on(on)?;
    let before = ctx.store.update(&ctx.checklist.id, |p| {
        let r = ctx.check_live(p, id, kind).and_then(|()| {
            let before = p.status(id);
            match p.mark(id, status, who) {
                Ok(changed) => Ok((changed, before)),
                Err(e) => Err(refused(p, e)),
            }
        });
        (matches!(r, Ok((true, _))), r.map(|(_, before)| before))
    })??;
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

fn reopen(
    ctx: &Context,
    id: &str,
    reason: &str,
    on: Option<jiff::civil::Date>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let kind = ctx.id_kind(id)?;
    let who = ctx.who_on(on)?;
    let before = ctx.store.update(&ctx.checklist.id, |p| {
        let r = ctx.check_live(p, id, kind).and_then(|()| {
            let before = p.status(id);
            p.reopen(id, reason, who)
                .map(|()| before)
                .map_err(|e| refused(p, e))
        });
        (r.is_ok(), r)
    })??;
    writeln!(
        out,
        "{id}: {} → {}",
        before.label(ctx.lang),
        Status::InProgress.label(ctx.lang)
    )?;
    Ok(())
}

/// The live notes of a problem or measure, numbered as `show` numbers them.
fn notes_of<'a>(p: &'a Progress, id: &str) -> Vec<(usize, &'a Note)> {
    match p.measure(id) {
        Some((_, _, m)) => m.numbered_notes(),
        None => p
            .item(id)
            .map(|i| numbered_notes(&i.notes))
            .unwrap_or_default(),
    }
}

fn note(ctx: &Context, args: NoteArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let id = args.id.as_str();
    let kind = ctx.id_kind(id)?;
    let who = ctx.who_on(args.on)?;
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
        ctx.check_live(p, id, kind)?;
        let notes = notes_of(p, id);
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
            None => ctx.store.update(&ctx.checklist.id, |p| {
                if let Err(e) = ctx.check_live(p, id, kind) {
                    return (false, Err(e));
                }
                // The number `show` gives it, which `--edit` and `--delete` take.
                let r = p.add_note(id, &text, who).map(|note| {
                    let n = match p.measure(id) {
                        Some((_, _, m)) => note_number(&m.notes, &note),
                        None => p.item(id).and_then(|i| i.note_number(&note)),
                    };
                    format!("{id}: note #{} added", n.unwrap_or(0))
                });
                (r.is_ok(), r.map_err(CliError::from))
            })??,
        }
    };
    writeln!(out, "{message}")?;
    Ok(())
}

fn set(ctx: &Context, args: SetArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let id = args.id.as_str();
    let kind = ctx.id_kind(id)?;
    if kind == IdKind::Measure && args.measures.is_some() {
        return Err(CliError::usage(format!(
            "--measures adds a measure to a problem; to change the text of {id}, use \
             `rectify measure set {id} --text TEXT`"
        )));
    }
    let deadline = read_deadline(ctx, &args.deadline)?;
    ctx.store.update(&ctx.checklist.id, |p| {
        if let Err(e) = ctx.check_live(p, id, kind) {
            return (false, Err(e));
        }
        let before = p.clone();
        for (field, value) in [(Field::Owner, &args.owner), (Field::Person, &args.person)] {
            if let Some(v) = value {
                // Problems and measures have both fields: this cannot fail.
                let _ = p.set_text(id, field, v, ctx.who());
            }
        }
        // Deprecated: `rectify measure add` says more.
        if let Some(text) = args.measures.as_deref().filter(|t| !t.trim().is_empty()) {
            let _ = p.add_measure(id, text, ctx.who());
        }
        if let Some(d) = deadline {
            p.set_deadline(id, d, ctx.who());
        }
        (*p != before, Ok(()))
    })??;
    show::show(ctx, id, out)
}

/// A `--deadline` as typed, read on the command's day (`12月底前` is the coming December):
/// `Some(None)` clears it.
fn read_deadline(
    ctx: &Context,
    arg: &Option<DeadlineArg>,
) -> Result<Option<Option<crate::model::Deadline>>, CliError> {
    arg.as_ref()
        .map(|d| d.read(ctx.now.date()))
        .transpose()
        .map_err(|e| CliError::usage(format!("invalid value for '--deadline': {e}")))
}

fn measure(ctx: &Context, command: MeasureCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        MeasureCommand::Add { item, text, fields } => {
            let deadline = read_deadline(ctx, &fields.deadline)?;
            if ctx.id_kind(&item)? == IdKind::Measure {
                return Err(CliError::usage(format!(
                    "{:?} is a measure; add a measure to its problem ({})",
                    visible(&item),
                    split_id(&item).map_or("", |(i, _)| i)
                )));
            }
            let id = ctx.store.update(&ctx.checklist.id, |p| {
                let r = p
                    .add_measure(&item, &text, ctx.who())
                    .and_then(|id| {
                        set_measure(p, &id, None, &fields, deadline, ctx.who()).map(|()| id)
                    })
                    .map_err(|e| refused(p, e));
                (r.is_ok(), r)
            })??;
            // Only the id, for scripts: `id=$(rectify measure add 2.5 ...)`.
            writeln!(out, "{id}")?;
            Ok(())
        }
        MeasureCommand::Set { id, text, fields } => {
            measure_id(ctx, &id)?;
            let deadline = read_deadline(ctx, &fields.deadline)?;
            ctx.store.update(&ctx.checklist.id, |p| {
                if let Err(e) = ctx.check_live(p, &id, IdKind::Measure) {
                    return (false, Err(e));
                }
                let before = p.clone();
                // A refusal (an empty text) leaves the whole command undone.
                match set_measure(p, &id, text.as_deref(), &fields, deadline, ctx.who()) {
                    Ok(()) => (*p != before, Ok(())),
                    Err(e) => {
                        let e = refused(p, e);
                        *p = before;
                        (false, Err(e))
                    }
                }
            })??;
            show::show(ctx, &id, out)
        }
        MeasureCommand::Delete { id } => {
            measure_id(ctx, &id)?;
            ctx.store.update(&ctx.checklist.id, |p| {
                let r = ctx
                    .check_live(p, &id, IdKind::Measure)
                    .and_then(|()| p.remove_measure(&id, ctx.who()).map_err(|e| refused(p, e)));
                (r.is_ok(), r)
            })??;
            writeln!(out, "{id}: measure deleted")?;
            Ok(())
        }
    }
}

/// An error unless `id` has the form of a measure of a known problem.
fn measure_id(ctx: &Context, id: &str) -> Result<(), CliError> {
    match ctx.id_kind(id)? {
        IdKind::Measure => Ok(()),
        IdKind::Problem => Err(CliError::usage(format!(
            "{:?} is a problem, not a measure; its measures are numbered {0}.1, {0}.2, ... \
             (see `rectify show {0}`)",
            visible(id)
        ))),
    }
}

/// Sets the text (when given) and the given fields of measure `id`; an empty value clears
/// a field.
fn set_measure(
    p: &mut Progress,
    id: &str,
    text: Option<&str>,
    fields: &MeasureFields,
    deadline: Option<Option<crate::model::Deadline>>,
    who: Who,
) -> Result<(), ChangeError> {
    if let Some(text) = text {
        p.set_text(id, Field::Text, text, who.clone())?;
    }
    for (field, value) in [
        (Field::Goal, &fields.goal),
        (Field::Owner, &fields.owner),
        (Field::Leader, &fields.leader),
        (Field::Person, &fields.person),
    ] {
        if let Some(v) = value {
            p.set_text(id, field, v, who.clone())?;
        }
    }
    if let Some(units) = &fields.partners {
        p.set_partners(id, &split_units(units), who.clone())?;
    }
    if let Some(d) = deadline {
        p.set_deadline(id, d, who);
    }
    Ok(())
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
