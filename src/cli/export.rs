//! `rectify export`: a report to standard output or, atomically, to a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::ExportArgs;
use crate::context::Context;
use crate::error::CliError;
use crate::export;
use crate::store::{self, Store};

pub(super) fn export(
    ctx: &Context,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
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
    let report = export::render(
        args.format,
        &ctx.checklist,
        &progress,
        ctx.lang,
        ctx.now.date(),
        round,
        made,
    )?;
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
fn absolute(p: &Path) -> PathBuf {
    let dir = match p.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
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
