//! Sharing one ledger through git: `rectify merge` as git's merge driver for the progress
//! file, and `rectify git-setup` to register it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::model::merge::{Incoming, merge};
use crate::store::{self, StoreError, shown};

/// Merges THEIRS into OURS and writes the result to OURS, as git expects of a merge driver.
/// BASE is read only to check it is a ledger: every entry is timestamped, so the two sides
/// are enough. Nothing is written unless both sides could be read.
pub fn merge_files(base: &Path, ours: &Path, theirs: &Path) -> Result<Incoming, String> {
    let read = |p: &Path| -> Result<crate::model::Progress, String> {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", shown(p)))?;
        store::parse_any(&bytes, p).map_err(|e| e.to_string())
    };
    let mine = read(ours)?;
    let other = read(theirs)?;
    if mine.checklist != other.checklist {
        return Err(format!(
            "{} is checklist {:?} but {} is {:?}: not two copies of one ledger",
            shown(ours),
            mine.checklist,
            shown(theirs),
            other.checklist
        ));
    }
    // An empty base (both sides added the file) is normal; a broken one is only reported.
    if let Ok(bytes) = std::fs::read(base)
        && !bytes.is_empty()
        && let Err(e) = store::parse_any(&bytes, base)
    {
        eprintln!("rectify: ignoring the merge base: {e}");
    }
    let (merged, incoming) = merge(&mine, &other);
    store::atomic_write(ours, store::to_ron(&merged).as_bytes())
        .map_err(|e| StoreError::io(ours, "write the merge", e).to_string())?;
    Ok(incoming)
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Quotes a word for the shell git runs the driver with.
fn sh_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// How git should call this program: `rectify` when that is what PATH finds, else by path.
fn program() -> String {
    let me = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok());
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("rectify"))
            .find(|p| p.is_file())
            .and_then(|p| p.canonicalize().ok())
    });
    match (me, on_path) {
        (Some(me), Some(found)) if me == found => "rectify".to_string(),
        (Some(me), _) => sh_quote(&me.to_string_lossy()),
        (None, _) => "rectify".to_string(),
    }
}

/// Adds `line` to the file unless it is already there. Returns whether it was added.
fn ensure_line(file: &Path, line: &str) -> Result<bool, String> {
    let current = match std::fs::read_to_string(file) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: {e}", shown(file))),
    };
    if current.lines().any(|l| l.trim() == line) {
        return Ok(false);
    }
    let mut next = current;
    if !next.is_empty() && !next.ends_with('\n') {
        next.push('\n');
    }
    next.push_str(line);
    next.push('\n');
    std::fs::write(file, next).map_err(|e| format!("{}: {e}", shown(file)))?;
    Ok(true)
}

/// Registers `rectify merge` for the progress file in its git repository: a line in
/// `.gitattributes`, the driver in the clone's git config, and `.gitignore` lines for the
/// backup and lock files. Returns what it did, a line each.
pub fn git_setup(progress: &Path) -> Result<Vec<String>, String> {
    let dir: PathBuf = progress
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(format!("{} does not exist yet", shown(&dir)));
    }
    let root = PathBuf::from(git(&dir, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        format!(
            "{} is not in a git repository; put the ledger in your shared repository and pass --file",
            shown(progress)
        )
    })?);
    let abs = dir
        .canonicalize()
        .map_err(|e| e.to_string())?
        .join(progress.file_name().unwrap_or_default());
    let rel = abs
        .strip_prefix(root.canonicalize().map_err(|e| e.to_string())?)
        .map_err(|_| format!("{} is outside {}", shown(&abs), shown(&root)))?
        .to_string_lossy()
        .replace('\\', "/");
    let mut done = Vec::new();
    let attributes = root.join(".gitattributes");
    if ensure_line(&attributes, &format!("/{rel} merge=rectify"))? {
        done.push(format!(
            "added \"/{rel} merge=rectify\" to {}",
            shown(&attributes)
        ));
    }
    let ignore = root.join(".gitignore");
    for suffix in [".bak", ".lock", ".open"] {
        if ensure_line(&ignore, &format!("/{rel}{suffix}"))? {
            done.push(format!("added \"/{rel}{suffix}\" to {}", shown(&ignore)));
        }
    }
    let driver = format!("{} merge %O %A %B", program());
    git(
        &root,
        &[
            "config",
            "merge.rectify.name",
            "rectify: merge two copies of a ledger",
        ],
    )?;
    git(&root, &["config", "merge.rectify.driver", &driver])?;
    done.push(format!("git config merge.rectify.driver \"{driver}\""));
    Ok(done)
}
