//! Sharing one ledger through git: `rectify merge` as git's merge driver for the progress
//! file, and `rectify git-setup` to register it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::i18n::Lang;
use crate::i18n::sharing::{self as msg, Side};
use crate::model::Progress;
use crate::model::merge::{Incoming, merge};
use crate::store::{self, StoreError, shown};
use crate::text::visible;

/// Why a merge or a git setup could not be done, in the user's language.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// The merge was not done: why, what became of OURS and how to settle it, a line each.
    #[error("{}", .0.join("\n"))]
    NotMerged(Vec<String>),
    /// git could not be run, or refused a command.
    #[error("{0}")]
    Git(String),
    /// The ledgers are not where git-setup can register them: no repository, no ledger,
    /// outside the work tree, or an attribute that overrides the driver.
    #[error("{0}")]
    Setup(String),
    /// A file git-setup edits could not be read or written.
    #[error("{}: {source}", shown(path))]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Merges THEIRS into OURS and writes the result to OURS, as git expects of a merge driver.
/// BASE is read only to check it is a ledger: every entry is timestamped, so the two sides
/// are enough.
///
/// `ledger` is the ledger's path in the work tree (git's `%P`), named in every message. A
/// merge that cannot be done returns the reason, saying so, and the caller exits non-zero,
/// which git reports as a conflict; git then puts whatever OURS holds in the work tree. With
/// `ledger` that is both copies between conflict markers, so that the file cannot be
/// committed and read as if merged (`git commit -a` takes a conflicted file as it is).
/// Without it the markers are written only when OURS is one of git's own copies
/// (`.merge_file_…`: a driver set up before `%P` was passed); in a merge by hand OURS is
/// left as it was.
pub fn merge_files(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    ledger: Option<&Path>,
    lang: Lang,
) -> Result<Incoming, TeamError> {
    let name = |side: Side, path: &Path| match ledger {
        Some(l) => msg::copy_of(lang, side, &shown(l)),
        None => shown(path),
    };
    // A file that cannot be read, named as git's copy of the ledger when the name is known.
    let unreadable = |side: Side, path: &Path, e: &StoreError| match (ledger, e) {
        (
            Some(_),
            StoreError::Parse {
                line, col, message, ..
            },
        ) => msg::at(lang, &name(side, path), *line, *col, message),
        (_, StoreError::Io { source, .. }) => format!("{}: {source}", name(side, path)),
        (_, e) => e.to_string(),
    };
    let read = |path: &Path| -> (Option<Vec<u8>>, Result<Progress, StoreError>) {
        match std::fs::read(path) {
            Err(e) => (None, Err(StoreError::io(path, "read", e))),
            Ok(bytes) => {
                let parsed = store::parse_any(&bytes, path);
                (Some(bytes), parsed)
            }
        }
    };
    let (ours_bytes, mine) = read(ours);
    let (theirs_bytes, other) = read(theirs);
    // Why the merge cannot be done, and which copy could be kept as it is.
    let failure = match (&mine, &other) {
        (Ok(m), Ok(o)) if m.checklist != o.checklist => Some((
            msg::other_checklist(
                lang,
                &name(Side::Ours, ours),
                &m.checklist,
                &name(Side::Theirs, theirs),
                &o.checklist,
            ),
            None,
        )),
        (Ok(_), Ok(_)) => None,
        (Err(e), Ok(_)) => Some((unreadable(Side::Ours, ours, e), Some(Side::Theirs))),
        (Ok(_), Err(e)) => Some((unreadable(Side::Theirs, theirs, e), Some(Side::Ours))),
        (Err(a), Err(b)) => Some((
            format!(
                "{}; {}",
                unreadable(Side::Ours, ours, a),
                unreadable(Side::Theirs, theirs, b)
            ),
            None,
        )),
    };
    let ledger_name = shown(ledger.unwrap_or(ours));
    let Some((why, readable)) = failure else {
        let (Ok(mine), Ok(other)) = (mine, other) else {
            unreachable!("both sides were read")
        };
        // An empty base (both sides added the file) is normal; a broken one is only reported.
        if let Ok(bytes) = std::fs::read(base)
            && !bytes.is_empty()
            && let Err(e) = store::parse_any(&bytes, base)
        {
            let detail = unreadable(Side::Base, base, &e);
            eprintln!("rectify: {}", msg::base_ignored(lang, &detail));
        }
        let (merged, incoming) = merge(&mine, &other);
        return match store::atomic_write(ours, store::to_ron(&merged).as_bytes()) {
            Ok(()) => Ok(incoming),
            Err(e) => Err(TeamError::NotMerged(vec![
                msg::not_merged(
                    lang,
                    &ledger_name,
                    &StoreError::io(ours, "write the merge", e).to_string(),
                ),
                msg::left_as_it_was(lang, &shown(ours)),
            ])),
        };
    };
    let mut lines = vec![msg::not_merged(lang, &ledger_name, &why)];
    // git names its copies `.merge_file_XXXXXX`. Without `ledger`, OURS is one of them when
    // git runs a driver set up by an older git-setup, which did not ask for the name.
    let old_driver = ledger.is_none()
        && ours
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(".merge_file_"));
    // OURS is git's copy then, not the user's file: the markers may go there.
    let marked = match (ledger.is_some() || old_driver, ours_bytes, theirs_bytes) {
        (true, Some(a), Some(b)) => {
            let label = ledger.map(|_| ledger_name.as_str());
            match store::atomic_write(ours, &with_markers(&a, &b, label)) {
                Ok(()) => true,
                Err(e) => {
                    lines.push(msg::markers_not_written(lang, &e.to_string()));
                    false
                }
            }
        }
        _ => false,
    };
    match (ledger, marked) {
        (Some(_), true) => lines.push(msg::conflicted(lang, &ledger_name)),
        (None, true) => lines.push(msg::markers_in_ledger(lang).to_string()),
        (_, false) if !old_driver => lines.push(msg::left_as_it_was(lang, &ledger_name)),
        (_, false) => {}
    }
    if let Some(l) = ledger {
        let quoted = sh_quote(&l.to_string_lossy());
        lines.push(msg::settle(lang, readable, &visible(&quoted)));
    }
    if old_driver {
        lines.push(msg::old_driver(lang).to_string());
    }
    Err(TeamError::NotMerged(lines))
}

/// `rectify merge`: merges, and tells what came in.
pub fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    ledger: Option<&Path>,
    lang: Lang,
) -> Result<(), TeamError> {
    let incoming = merge_files(base, ours, theirs, ledger, lang)?;
    if !incoming.is_empty() {
        eprintln!(
            "rectify: {}",
            crate::i18n::merged(lang, incoming.notes, incoming.changes, &incoming.authors)
        );
    }
    Ok(())
}

/// Both copies of the ledger between git's conflict markers.
fn with_markers(ours: &[u8], theirs: &[u8], ledger: Option<&str>) -> Vec<u8> {
    let label = ledger.map(|l| format!(": {l}")).unwrap_or_default();
    let mut out = Vec::with_capacity(ours.len() + theirs.len() + 128);
    let mut copy = |bytes: &[u8]| {
        out.extend_from_slice(bytes);
        if !bytes.ends_with(b"\n") {
            out.push(b'\n');
        }
    };
    copy(format!("<<<<<<< ours{label}\n").as_bytes());
    copy(ours);
    copy(b"=======\n");
    copy(theirs);
    copy(format!(">>>>>>> theirs{label}\n").as_bytes());
    out
}

fn git(dir: &Path, args: &[&str], lang: Lang) -> Result<String, TeamError> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| TeamError::Git(msg::cannot_run_git(lang, &e.to_string())))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(TeamError::Git(msg::git_failed(
            lang,
            &args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim(),
        )))
    }
}

/// The top of the work tree that holds `dir`, if any.
fn toplevel(dir: &Path, lang: Lang) -> Result<PathBuf, TeamError> {
    let top = git(dir, &["rev-parse", "--show-toplevel"], lang)?;
    Ok(PathBuf::from(top.trim_end_matches(['\n', '\r'])))
}

/// Quotes a word for the shell git runs the driver with.
fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `/rel` with the characters that gitignore and gitattributes patterns give a meaning
/// (`*`, `?`, `[`, `\`) escaped, so that the pattern matches that one file.
fn literal_pattern(rel: &str) -> String {
    let mut p = String::with_capacity(rel.len() + 2);
    p.push('/');
    for c in rel.chars() {
        if "*?[\\".contains(c) {
            p.push('\\');
        }
        p.push(c);
    }
    p
}

/// The .gitattributes pattern for the file `rel`: a pattern holding white space, a quote,
/// a backslash or a control character is written in C-style double quotes, which
/// gitattributes(5) reads ("Patterns that begin with a double quote are quoted in C style").
fn attributes_pattern(rel: &str) -> String {
    let p = literal_pattern(rel);
    if !p
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    {
        return p;
    }
    let mut q = String::from("\"");
    for c in p.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\t' => q.push_str("\\t"),
            '\n' => q.push_str("\\n"),
            '\r' => q.push_str("\\r"),
            c if c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    q.push_str(&format!("\\{b:03o}"));
                }
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// The .gitignore pattern for the file `rel` + `suffix`. gitignore has no quoting: a line
/// break in the name, which a line cannot hold, is matched by `?`.
fn ignore_pattern(rel: &str, suffix: &str) -> String {
    literal_pattern(rel)
        .chars()
        .map(|c| if c == '\n' || c == '\r' { '?' } else { c })
        .chain(suffix.chars())
        .collect()
}

/// The program `rectify` that PATH finds, as a shell would: the first executable file.
fn on_path() -> Option<PathBuf> {
    let name = format!("rectify{}", std::env::consts::EXE_SUFFIX);
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(&name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Whether two paths are one program: the same file (by link or hard link), or a copy of
/// it byte for byte (`cargo install` copies the program it built).
fn same_program(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (a.canonicalize(), b.canonicalize())
        && x == y
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b))
            && x.dev() == y.dev()
            && x.ino() == y.ino()
        {
            return true;
        }
    }
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) if x.len() == y.len() => {
            matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// How git should call this program: `rectify` when that is what PATH finds, so that the
/// setup outlives this build; else by its full path, with a warning saying what to do.
fn program(lang: Lang) -> (String, Option<String>) {
    let Ok(me) = std::env::current_exe() else {
        return ("rectify".into(), None);
    };
    let found = on_path();
    if found.as_deref().is_some_and(|f| same_program(f, &me)) {
        return ("rectify".into(), None);
    }
    let me = me.canonicalize().unwrap_or(me);
    let warning = msg::by_full_path(lang, &shown(&me), found.as_deref().map(shown).as_deref());
    (sh_quote(&me.to_string_lossy()), Some(warning))
}

/// Adds `line` to the file unless it is already there. Returns whether it was added.
fn ensure_line(file: &Path, line: &str) -> Result<bool, TeamError> {
    let failed = |source| TeamError::File {
        path: file.to_path_buf(),
        source,
    };
    let current = match std::fs::read_to_string(file) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(failed(e)),
    };
    if current
        .lines()
        .any(|l| l.trim_end_matches('\r') == line || l.trim() == line)
    {
        return Ok(false);
    }
    let mut next = current;
    if !next.is_empty() && !next.ends_with('\n') {
        next.push('\n');
    }
    next.push_str(line);
    next.push('\n');
    std::fs::write(file, next).map_err(failed)?;
    Ok(true)
}

/// What `git-setup` did, a line each, and what the user should know.
#[derive(Debug, Default)]
pub struct Setup {
    pub done: Vec<String>,
    pub warnings: Vec<String>,
}

/// The work tree that holds the ledger `progress`, and the ledger's path in it.
fn locate(progress: &Path, lang: Lang) -> Result<(PathBuf, String), TeamError> {
    let setup = TeamError::Setup;
    let dir = store::parent_dir(progress);
    if !dir.is_dir() {
        return Err(setup(msg::dir_missing(lang, &shown(dir))));
    }
    let root = toplevel(dir, lang).map_err(|_| setup(msg::not_in_repo(lang, &shown(progress))))?;
    let abs = dir
        .canonicalize()?
        .join(progress.file_name().unwrap_or_default());
    let rel = abs
        .strip_prefix(root.canonicalize()?)
        .map_err(|_| setup(msg::outside(lang, &shown(&abs), &shown(&root))))?;
    let rel = rel
        .to_str()
        .ok_or_else(|| setup(msg::not_utf8(lang, &shown(progress))))?;
    // git writes paths with `/`; on Unix a backslash is part of a name.
    let rel = if cfg!(windows) {
        rel.replace('\\', "/")
    } else {
        rel.to_string()
    };
    Ok((root, rel))
}

/// The ledgers in the work tree at `root` (tracked, or new and not ignored): RON files that
/// start as a progress file does. Those of `checklist` by their path in the tree, and the
/// others as "path (checklist)".
fn find_ledgers(
    root: &Path,
    checklist: &str,
    lang: Lang,
) -> Result<(Vec<String>, Vec<String>), TeamError> {
    let listed = git(
        root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
            "*.ron",
        ],
        lang,
    )?;
    let mut names: Vec<&str> = listed.split('\0').filter(|n| !n.is_empty()).collect();
    names.sort_unstable();
    names.dedup();
    let (mut mine, mut others) = (Vec::new(), Vec::new());
    for name in names {
        let path = root.join(name);
        // Only regular files: a FIFO would wait for a writer forever.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let mut head = Vec::new();
        let read =
            std::fs::File::open(&path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
        if read.is_err() {
            continue;
        }
        let text = String::from_utf8_lossy(&head);
        let Some(header) = store::quick_header(text.trim_start_matches('\u{feff}')) else {
            continue;
        };
        if header.checklist == checklist {
            mine.push(name.to_string());
        } else {
            others.push(format!("{} ({:?})", visible(name), header.checklist));
        }
    }
    Ok((mine, others))
}

/// Registers `rectify merge` for the progress file `file`, or without it for every ledger
/// of `checklist` in the work tree around the current folder: a line in `.gitattributes`,
/// the driver in the clone's git config, and `.gitignore` lines for the backup and lock
/// files. Then asks git whether the ledgers now have the driver.
pub fn git_setup(file: Option<&Path>, checklist: &str, lang: Lang) -> Result<Setup, TeamError> {
    let (root, ledgers) = match file {
        Some(file) => {
            let (root, rel) = locate(file, lang)?;
            (root, vec![rel])
        }
        None => {
            let root = toplevel(Path::new("."), lang)
                .map_err(|_| TeamError::Setup(msg::not_in_work_tree(lang).to_string()))?;
            let (mine, others) = find_ledgers(&root, checklist, lang)?;
            if mine.is_empty() {
                return Err(TeamError::Setup(msg::no_ledger(
                    lang,
                    &shown(&root),
                    checklist,
                    &others,
                )));
            }
            (root, mine)
        }
    };
    let mut setup = Setup::default();
    let attributes = root.join(".gitattributes");
    let ignore = root.join(".gitignore");
    for rel in &ledgers {
        let line = format!("{} merge=rectify", attributes_pattern(rel));
        if ensure_line(&attributes, &line)? {
            setup
                .done
                .push(msg::added(lang, &visible(&line), &shown(&attributes)));
        }
        for suffix in [".bak", ".lock", ".open"] {
            let line = ignore_pattern(rel, suffix);
            if ensure_line(&ignore, &line)? {
                setup
                    .done
                    .push(msg::added(lang, &visible(&line), &shown(&ignore)));
            }
        }
    }
    let (program, warning) = program(lang);
    setup.warnings.extend(warning);
    let driver = format!("{program} merge %O %A %B %P");
    git(
        &root,
        &[
            "config",
            "merge.rectify.name",
            "rectify: merge two copies of a ledger",
        ],
        lang,
    )?;
    git(&root, &["config", "merge.rectify.driver", &driver], lang)?;
    setup.done.push(format!(
        "git config merge.rectify.driver {}",
        visible(&sh_quote(&driver))
    ));
    for rel in &ledgers {
        let said = git(&root, &["check-attr", "-z", "merge", "--", rel], lang)?;
        let value = said.split('\0').nth(2).unwrap_or_default();
        if value != "rectify" {
            return Err(TeamError::Setup(msg::attribute_overridden(
                lang,
                &visible(rel),
                value,
            )));
        }
    }
    Ok(setup)
}

/// `rectify git-setup`: sets up, and prints what it did and what the user should know.
pub fn git_setup_command(
    file: Option<&Path>,
    checklist: &str,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), TeamError> {
    let setup = git_setup(file, checklist, lang)?;
    let mut lines = setup.done;
    lines.push(msg::commit_hint(lang).to_string());
    for line in lines {
        writeln!(out, "{line}")?;
    }
    for warning in setup.warnings {
        eprintln!("rectify: {warning}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_only_the_one_file() {
        assert_eq!(attributes_pattern("ledger.ron"), "/ledger.ron");
        assert_eq!(
            attributes_pattern("Team Ledger.ron"),
            "\"/Team Ledger.ron\""
        );
        assert_eq!(attributes_pattern("x*y.ron"), r#""/x\\*y.ron""#);
        assert_eq!(attributes_pattern("a\tb.ron"), r#""/a\tb.ron""#);
        assert_eq!(attributes_pattern("q\"z.ron"), r#""/q\"z.ron""#);
        assert_eq!(attributes_pattern("a\u{1}.ron"), r#""/a\001.ron""#);
        assert_eq!(ignore_pattern("a[1].ron", ".bak"), r"/a\[1].ron.bak");
        assert_eq!(ignore_pattern("n\nl.ron", ".bak"), "/n?l.ron.bak");
    }
}
