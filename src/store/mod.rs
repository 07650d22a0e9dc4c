//! The only code that touches the progress file: where it lives, reading it with precise
//! errors, and saving it so that nothing is ever lost or half-written.
//!
//! A save takes the `.lock` beside the file, checks that the file is still what was read (if
//! not, the caller must merge instead of overwriting), copies the current file to `.bak`, and
//! replaces the file atomically (temp file, fsync, rename, fsync of the directory).

mod error;
mod paths;

use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use atomic_write_file::AtomicWriteFile;
use atomic_write_file::unix::OpenOptionsExt as _;
use serde::Deserialize;

pub use error::{StoreError, shown};
pub use paths::{data_dir, default_progress_path};

use crate::model::Progress;
use crate::model::progress::VERSION;

/// How long a save waits for another process's save to finish.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// What the file held when it was read, to notice a change by someone else before writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fingerprint {
    Absent,
    Present { len: u64, hash: u64 },
}

impl Fingerprint {
    fn of(bytes: Option<&[u8]>) -> Fingerprint {
        match bytes {
            None => Fingerprint::Absent,
            // xxh3: SipHash took about 7 ms of every load and save of a 19 MB ledger.
            Some(b) => Fingerprint::Present {
                len: b.len() as u64,
                hash: xxhash_rust::xxh3::xxh3_64(b),
            },
        }
    }
}

/// The progress as read, with what the file held then.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub progress: Progress,
    pub fingerprint: Fingerprint,
}

/// A progress file and the files kept beside it.
#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// A store for the file at `path`. A symbolic link is followed, so saving replaces the
    /// file it points to (in a synced folder, say) instead of the link.
    pub fn new(path: impl Into<PathBuf>) -> Store {
        Store {
            path: resolve_links(path.into()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The previous version, kept by every save.
    pub fn backup_path(&self) -> PathBuf {
        sibling(&self.path, ".bak")
    }

    pub fn lock_path(&self) -> PathBuf {
        sibling(&self.path, ".lock")
    }

    /// Reads the progress for `checklist`; a missing file is an empty ledger. Never writes.
    pub fn load(&self, checklist: &str) -> Result<Snapshot, StoreError> {
        let bytes = self.read_current()?;
        let (fingerprint, progress) = match bytes.as_deref() {
            None => (Fingerprint::Absent, Progress::new(checklist)),
            Some(b) => {
                let (progress, fingerprint) = crate::par::join(
                    b.len() >= HASH_BESIDE,
                    || parse(b, &self.path, checklist),
                    || Fingerprint::of(Some(b)),
                );
                (fingerprint, progress?)
            }
        };
        Ok(Snapshot {
            progress,
            fingerprint,
        })
    }

    /// Writes `progress` if the file still holds what `expected` says was read. Returns the
    /// new fingerprint, or [`StoreError::Changed`] when someone else wrote in between.
    pub fn save(
        &self,
        progress: &Progress,
        expected: Fingerprint,
    ) -> Result<Fingerprint, StoreError> {
        self.save_text(&to_ron(progress), expected)
    }

    /// [`Store::save`] of a ledger already turned into text by [`to_ron`], so that a
    /// background save can let go of the ledger before it writes.
    pub fn save_text(&self, text: &str, expected: Fingerprint) -> Result<Fingerprint, StoreError> {
        let _lock = self.lock()?;
        let current = self.read_current()?;
        if Fingerprint::of(current.as_deref()) != expected {
            return Err(StoreError::Changed {
                file: self.path.clone(),
            });
        }
        self.write_text(text, current.as_deref())
    }

    /// Reads, changes and writes under the lock, so concurrent writers queue up instead of
    /// losing each other's notes. `change` returns whether it changed anything; nothing is
    /// written otherwise.
    pub fn update<T>(
        &self,
        checklist: &str,
        change: impl FnOnce(&mut Progress) -> (bool, T),
    ) -> Result<T, StoreError> {
        let _lock = self.lock()?;
        let current = self.read_current()?;
        let mut progress = match &current {
            None => Progress::new(checklist),
            Some(b) => parse(b, &self.path, checklist)?,
        };
        let (changed, out) = change(&mut progress);
        if changed {
            self.write_text(&to_ron(&progress), current.as_deref())?;
        }
        Ok(out)
    }

    fn read_current(&self) -> Result<Option<Vec<u8>>, StoreError> {
        match fs::read(&self.path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(&self.path, "read", e)),
        }
    }

    fn ensure_dir(&self) -> Result<(), StoreError> {
        let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) else {
            return Ok(());
        };
        if dir.is_dir() {
            return Ok(());
        }
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| StoreError::io(dir, "create the directory", e))
    }

    /// The lock held by the full-screen ledger while it is open, so a second one opens
    /// read-only.
    pub fn session_path(&self) -> PathBuf {
        sibling(&self.path, ".open")
    }

    /// Clears what killed saves left behind, under the save lock: run by the full-screen
    /// ledger when it starts (command-line changes do it with every save).
    pub fn tidy(&self) -> Result<(), StoreError> {
        self.lock().map(drop)
    }

    /// Takes the session lock if it is free; `None` when another instance holds it.
    pub fn try_session(&self) -> Result<Option<File>, StoreError> {
        let (file, path) = self.open_lock_file(self.session_path())?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(StoreError::io(&path, "lock", e)),
        }
    }

    fn open_lock_file(&self, path: PathBuf) -> Result<(File, PathBuf), StoreError> {
        self.ensure_dir()?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| StoreError::io(&path, "open the lock file", e))?;
        Ok((file, path))
    }

    /// Takes the save lock, then clears temporary files a killed save left behind (where
    /// the file system lacks unnamed temporary files, the atomic write names them
    /// `.<file>.XXXXXX`). Under the lock no other save can be writing one.
    fn lock(&self) -> Result<File, StoreError> {
        let file = self.take_lock()?;
        self.remove_stale_temps();
        Ok(file)
    }

    fn remove_stale_temps(&self) {
        let (Some(dir), Some(name)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let name = name.to_string_lossy();
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            let Some(rest) = file.strip_prefix('.') else {
                continue;
            };
            let stale = [name.to_string(), format!("{name}.bak")]
                .iter()
                .any(|base| {
                    rest.strip_prefix(base.as_str())
                        .and_then(|r| r.strip_prefix('.'))
                        .is_some_and(|tag| {
                            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_alphanumeric())
                        })
                });
            if stale {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    fn take_lock(&self) -> Result<File, StoreError> {
        let (file, path) = self.open_lock_file(self.lock_path())?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(15));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked { file: path });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(StoreError::io(&path, "lock", e));
                }
            }
        }
    }

    /// Must be called holding the lock. `previous` is the file's current content.
    fn write_text(&self, text: &str, previous: Option<&[u8]>) -> Result<Fingerprint, StoreError> {
        let bytes = text.as_bytes();
        if let Some(prev) = previous {
            let bak = self.backup_path();
            fault::at(fault::Step::Backup)
                .and_then(|()| atomic_write(&bak, prev))
                .map_err(|e| StoreError::io(&bak, "write the backup", e))?;
        }
        write_steps(&self.path, &[bytes], true)
            .map_err(|e| StoreError::io(&self.path, "save", e))?;
        Ok(Fingerprint::of(Some(bytes)))
    }
}

/// Replaces `path` with `bytes` (mode 0600) so a reader sees the old or the new file, whole.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_steps(path, &[bytes], false)
}

/// [`atomic_write`] of the pieces of a text, one after the other.
pub fn atomic_write_pieces<'p>(
    path: &Path,
    pieces: impl IntoIterator<Item = &'p [u8]>,
) -> io::Result<()> {
    write_steps(path, &pieces.into_iter().collect::<Vec<_>>(), false)
}

/// [`atomic_write`] in its steps; with `faults` the tests can make any step fail.
fn write_steps(path: &Path, pieces: &[&[u8]], faults: bool) -> io::Result<()> {
    let step = |s| if faults { fault::at(s) } else { Ok(()) };
    step(fault::Step::Create)?;
    let mut file = AtomicWriteFile::options()
        .preserve_mode(false)
        .mode(0o600)
        .open(path)?;
    // The write step comes halfway through the text, so a failure there leaves half a file.
    let mut before = pieces.iter().map(|p| p.len()).sum::<usize>() / 2;
    let mut stepped = false;
    for piece in pieces {
        let (first, rest) = piece.split_at(before.min(piece.len()));
        file.write_all(first)?;
        before -= first.len();
        if before == 0 && !stepped {
            step(fault::Step::Write)?;
            stepped = true;
        }
        file.write_all(rest)?;
    }
    if !stepped {
        step(fault::Step::Write)?;
    }
    step(fault::Step::Sync)?;
    // Synced here, not only inside `commit`, so that a failed fsync is reported as such
    // and the old file is left in place.
    file.as_file().sync_all()?;
    step(fault::Step::Commit)?;
    file.commit()?;
    // `commit` has synced the directory; a failure reported after it (a directory fsync
    // error) comes with the new file already in place.
    step(fault::Step::DirSync)
}

/// Follows symbolic links to the file they name (at most 40, as the kernel does).
fn resolve_links(mut path: PathBuf) -> PathBuf {
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&path) {
                Ok(target) => {
                    path = match path.parent() {
                        Some(dir) if target.is_relative() => dir.join(target),
                        _ => target,
                    }
                }
                Err(_) => break,
            },
            _ => break,
        }
    }
    path
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// A ledger file this large is hashed on another core while it is parsed: 3 of the 19 MB
/// ledger's 60 ms. A small one is not worth a thread.
const HASH_BESIDE: usize = 1 << 20;

/// The progress file's text: pretty RON, one field per line, `\n` endings, stable order.
pub fn to_ron(progress: &Progress) -> String {
    // Room for the text as long as the last one written, and a little: growing a 19 MB text
    // by doubling copied it over and over.
    static LAST_LEN: AtomicUsize = AtomicUsize::new(0);
    let mut out = String::with_capacity(LAST_LEN.load(Ordering::Relaxed) / 16 * 17 + 4096);
    out.push_str(
        "// rectify progress file. Written by rectify on every change; the previous version is in\n\
         // the .bak beside it. Edit only while rectify is closed.\n",
    );
    let mut out = match items_in_parts(progress) {
        Some(items) => {
            // The same text as below, its items written a part on each core. The fields are
            // named so that a new one stops the build here; their order is the file's.
            let Progress {
                version,
                checklist,
                items: _,
            } = progress;
            out.push_str("Progress(\n    version: ");
            out.push_str(&version.to_string());
            out.push_str(",\n    checklist: ");
            crate::ron_fast::push_string(&mut out, checklist);
            out.push_str(",\n    items: {\n");
            items.iter().for_each(|part| out.push_str(part));
            out.push_str("    },\n)");
            out
        }
        None => crate::ron_fast::write_pretty(out, progress)
            .expect("progress is plain data and always serialises"),
    };
    out.push('\n');
    LAST_LEN.store(out.len(), Ordering::Relaxed);
    out
}

/// The items of a large ledger as the text between `items: {` and its `}`, in parts written
/// on each core; `None` for a small one, or a shape the fast writer leaves to ron.
fn items_in_parts(progress: &Progress) -> Option<Vec<String>> {
    let weight = |i: &crate::model::ItemProgress| 1 + i.notes.len() + i.history.len();
    let total: usize = progress.items.values().map(weight).sum();
    if total < crate::par::MIN_WEIGHT {
        return None;
    }
    let items: Vec<_> = progress.items.iter().collect();
    // About what an item with its notes takes in the file.
    let room = |part: &[(&String, &crate::model::ItemProgress)]| {
        part.iter().map(|(_, i)| 256 + 384 * weight(i)).sum()
    };
    crate::par::map_parts(
        &items,
        |(_, i)| weight(i),
        |part| crate::ron_fast::map_entries(2, part.iter().copied(), room(part)).ok(),
    )
    .into_iter()
    .collect()
}

/// Just enough of a progress file to decide how to read the rest.
#[derive(Deserialize)]
#[serde(rename = "Progress")]
pub(crate) struct Header {
    pub(crate) version: u32,
    pub(crate) checklist: String,
}

/// The header as rectify writes it, read from the first lines: `Progress(version: N,
/// checklist: "id", …`, after comments. Reading it with ron parses the whole file to skip
/// the items, which was half the load of a large ledger. Any other layout gives `None`, and
/// ron reads it; the full parse that follows checks the rest either way.
pub(crate) fn quick_header(text: &str) -> Option<Header> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix("//") {
            Some(comment) => rest = comment.split_once('\n')?.1,
            None => break,
        }
    }
    rest = rest.strip_prefix("Progress").unwrap_or(rest).trim_start();
    rest = rest.strip_prefix('(')?;
    let mut version = None;
    let mut checklist = None;
    for _ in 0..2 {
        let (field, after) = rest.trim_start().split_once(':')?;
        let value = after.trim_start();
        let after = match field {
            "version" => {
                let digits =
                    value.len() - value.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                version = Some(value[..digits].parse().ok()?);
                &value[digits..]
            }
            "checklist" => {
                let inner = value.strip_prefix('"')?;
                let end = inner.find(['"', '\\'])?;
                if inner[end..].starts_with('\\') {
                    return None;
                }
                checklist = Some(inner[..end].to_string());
                &inner[end + 1..]
            }
            _ => return None,
        };
        rest = after.trim_start().strip_prefix(',')?;
    }
    Some(Header {
        version: version?,
        checklist: checklist?,
    })
}

/// Reads a progress file's bytes, refusing anything it cannot read faithfully.
pub fn parse(bytes: &[u8], path: &Path, checklist: &str) -> Result<Progress, StoreError> {
    parse_for(bytes, path, Some(checklist))
}

/// Reads a progress file of any checklist (for merging two copies of one file).
pub fn parse_any(bytes: &[u8], path: &Path) -> Result<Progress, StoreError> {
    parse_for(bytes, path, None)
}

fn parse_for(bytes: &[u8], path: &Path, checklist: Option<&str>) -> Result<Progress, StoreError> {
    let at = |line, col, message: String| StoreError::Parse {
        file: path.to_path_buf(),
        line,
        col,
        message,
    };
    let text = crate::text::decode_file(bytes).map_err(|(l, c, m)| at(l, c, m))?;
    // memmem: str::find took a twentieth of the load of a 19 MB ledger.
    if let Some(offset) = memchr::memmem::find(text.as_bytes(), b"\n<<<<<<< ")
        .map(|o| o + 1)
        .or(text.starts_with("<<<<<<< ").then_some(0))
    {
        let (line, col) = crate::text::line_col(text, offset);
        return Err(at(
            line,
            col,
            "git left conflict markers here: run `rectify git-setup` in this clone, then `git checkout -m <this file>` to merge it with rectify".into(),
        ));
    }
    let ron_err =
        |e: ron::error::SpannedError| at(e.span.start.line, e.span.start.col, e.code.to_string());
    let header = match quick_header(text) {
        Some(h) => h,
        None => ron::Options::default().from_str(text).map_err(ron_err)?,
    };
    let locate = |field: &str| {
        text.find(&format!("{field}:"))
            .map_or((1, 1), |o| crate::text::line_col(text, o))
    };
    if header.version > VERSION {
        let (line, col) = locate("version");
        return Err(at(
            line,
            col,
            format!(
                "written by a newer rectify (file version {}, this one reads up to {VERSION}); it was left as it is: update rectify",
                header.version
            ),
        ));
    }
    if let Some(checklist) = checklist
        && header.checklist != checklist
    {
        let (line, col) = locate("checklist");
        return Err(at(
            line,
            col,
            format!(
                "this progress belongs to checklist {:?}, not {checklist:?}; open it with that checklist or choose another --file",
                header.checklist
            ),
        ));
    }
    migrate(text, header.version).map_err(|e| match e {
        Migration::Ron(e) => ron_err(e),
        Migration::Unknown(v) => {
            let (line, col) = locate("version");
            at(
                line,
                col,
                format!("unknown file version {v}; this rectify reads 1 to {VERSION}"),
            )
        }
    })
}

enum Migration {
    Ron(ron::error::SpannedError),
    Unknown(u32),
}

/// Brings an older file up to [`VERSION`], in memory: the file itself is rewritten in the
/// new format only by the next save (its old form stays in the `.bak`).
///
/// - 1 → 2: entries gained an optional author (`by`), which version 1 files simply lack,
///   and the single `draft` of an item became `drafts` per author.
fn migrate(text: &str, version: u32) -> Result<Progress, Migration> {
    match version {
        1 | VERSION => {
            let mut p: Progress = match crate::ron_fast::from_str(text) {
                Some(p) => p,
                None => ron::Options::default()
                    .from_str(text)
                    .map_err(Migration::Ron)?,
            };
            p.upgrade();
            Ok(p)
        }
        v => Err(Migration::Unknown(v)),
    }
}

/// Test-only failure injection at each step of a save.
mod fault {
    use std::io;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Step {
        Backup,
        Create,
        Write,
        /// Flushing the new file to disk.
        Sync,
        /// Putting the new file in place of the old (rename or link).
        Commit,
        /// Flushing the directory after the new file is in place.
        DirSync,
    }

    #[cfg(test)]
    thread_local! {
        pub static FAIL_AT: std::cell::Cell<Option<Step>> = const { std::cell::Cell::new(None) };
    }

    #[cfg(test)]
    pub fn at(step: Step) -> io::Result<()> {
        if FAIL_AT.with(|f| f.get()) == Some(step) {
            return Err(io::Error::other(format!("injected failure at {step:?}")));
        }
        Ok(())
    }

    #[cfg(not(test))]
    #[inline(always)]
    pub fn at(_: Step) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
