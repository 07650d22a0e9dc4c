//! The only code that touches the progress file: where it lives, reading it with precise
//! errors, and saving it so that nothing is ever lost or half-written.
//!
//! A save takes the `.lock` beside the file, writes the new text to a temporary file, copies
//! the current file to `.bak` while checking that it is still what was read (if not, both
//! copies are dropped and the caller must merge instead of overwriting), and puts the new
//! file in place atomically (fsync, rename, fsync of the directory). Neither file is held
//! in memory whole.

mod error;
mod files;
mod paths;

use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

pub use error::{StoreError, shown};
pub use files::{Session, TEMP_PREFIX, read_regular, write_output};
pub use paths::{data_dir, default_progress_path};

use files::{Like, TempFile, owner_cannot_write, parent_dir};

use crate::model::Progress;
use crate::model::merge::Incoming;
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

/// A [`Fingerprint`] taken of bytes as they pass, for a file never held whole.
#[derive(Default)]
struct Fingerprinting {
    hash: xxhash_rust::xxh3::Xxh3Default,
    len: u64,
}

impl Fingerprinting {
    fn add(&mut self, bytes: &[u8]) {
        self.hash.update(bytes);
        self.len += bytes.len() as u64;
    }

    fn finish(&self) -> Fingerprint {
        Fingerprint::Present {
            len: self.len,
            hash: self.hash.digest(),
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
            path: files::resolve_links(&path.into()).0,
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
        self.save_from(progress, expected)
    }

    /// [`Store::save`], letting go of `progress` as soon as it is written, so that a
    /// background save holds a shared ledger no longer than it must. Neither the file nor
    /// the new text is ever held whole: the new text goes to its temporary file in rounds
    /// ([`write_ron`]); then the old file is checked and copied to the `.bak` in one pass, and
    /// only then is the new file put in its place. A save of 10,000 problems adds a few MB
    /// to what the ledger takes, where holding both texts added 38.
    pub fn save_from<P: std::ops::Deref<Target = Progress>>(
        &self,
        progress: P,
        expected: Fingerprint,
    ) -> Result<Fingerprint, StoreError> {
        let _lock = self.lock()?;
        self.replace(expected, |w| {
            let written = write_progress(w, &progress);
            drop(progress);
            written
        })
    }

    /// Puts a new file in place of the old one, holding the lock: `write` writes it to its
    /// temporary file and says what it wrote; just before it replaces the old one, the old
    /// one is checked against `expected` and copied to the `.bak`. A file of another length
    /// is refused before anything is written, and a save that fails (a full disk) on a file
    /// changed meanwhile is told as the change, as when the file was checked first.
    fn replace(
        &self,
        expected: Fingerprint,
        write: impl FnOnce(&mut Steps) -> io::Result<Fingerprint>,
    ) -> Result<Fingerprint, StoreError> {
        let changed = || StoreError::Changed {
            file: self.path.clone(),
        };
        let now = fs::metadata(&self.path).map(|m| m.len());
        match (&now, expected) {
            (Ok(_), Fingerprint::Absent) => return Err(changed()),
            (Ok(len), Fingerprint::Present { len: was, .. }) if *len != was => {
                return Err(changed());
            }
            (Err(e), Fingerprint::Present { .. }) if e.kind() == io::ErrorKind::NotFound => {
                return Err(changed());
            }
            _ => {}
        }
        // The write step halfway through a text as long as the file's.
        let half = usize::try_from(now.map_or(0, |len| len / 2)).unwrap_or(usize::MAX);
        let mut ours = None;
        let mut refused = None;
        let result = write_steps(
            &self.path,
            self.like(),
            half,
            true,
            |w| {
                ours = Some(write(w)?);
                Ok(())
            },
            || self.back_up_before_commit(expected, &mut refused),
        );
        if let Some(e) = refused {
            return Err(e);
        }
        match result {
            Ok(()) => Ok(ours.expect("written when the steps succeed")),
            Err(_) if self.changed_under(expected, ours) => Err(changed()),
            Err(e) => Err(StoreError::io(&self.path, "save", e)),
        }
    }

    /// [`Store::back_up_if`] as the last step before a new file is put in place: its error
    /// kept in `refused`, and the write stopped.
    fn back_up_before_commit(
        &self,
        expected: Fingerprint,
        refused: &mut Option<StoreError>,
    ) -> io::Result<()> {
        self.back_up_if(expected).map(drop).map_err(|e| {
            *refused = Some(e);
            io::Error::other("the file was not saved")
        })
    }

    /// Copies the file to the `.bak` beside it, looking at each block on the way: the copy
    /// is put in place only if the file is still what `expected` says was read
    /// ([`StoreError::Changed`] otherwise, and the copy is dropped).
    fn back_up_if(&self, expected: Fingerprint) -> Result<(), StoreError> {
        self.check_and_copy(expected, true)
    }

    /// Whether a save that failed met a file someone changed meanwhile: the file is neither
    /// what `expected` says was read nor the new text (`ours`, if it was written whole: in
    /// place when only the directory's fsync failed), looked at as [`Store::back_up_if`]
    /// looks, without the copy.
    fn changed_under(&self, expected: Fingerprint, ours: Option<Fingerprint>) -> bool {
        std::iter::once(expected).chain(ours).all(|fp| {
            matches!(
                self.check_and_copy(fp, false),
                Err(StoreError::Changed { .. })
            )
        })
    }

    fn check_and_copy(&self, expected: Fingerprint, back_up: bool) -> Result<(), StoreError> {
        let changed = || StoreError::Changed {
            file: self.path.clone(),
        };
        let reading = |e| StoreError::io(&self.path, "read", e);
        let mut file = match files::open_regular(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return match expected {
                    Fingerprint::Absent => Ok(()),
                    Fingerprint::Present { .. } => Err(changed()),
                };
            }
            Err(e) => return Err(reading(e)),
        };
        let bak = self.backup_path();
        // A failure to write the copy is told only once the file is known to be unchanged:
        // a changed file is the news that matters, as when it was read whole.
        // The copy has the file's mode and owner.
        let mut copy = match back_up {
            true => fault::at(fault::Step::Backup)
                .and_then(|()| file.metadata())
                .and_then(|m| TempFile::create(&bak, Like::of(&m)))
                .map(Some),
            false => Ok(None),
        };
        let mut seen = Fingerprinting::default();
        let mut block = vec![0; 256 << 10];
        loop {
            let n = match io::Read::read(&mut file, &mut block) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(reading(e)),
            };
            seen.add(&block[..n]);
            if let Ok(Some(c)) = &mut copy
                && let Err(e) = c.write_all(&block[..n])
            {
                copy = Err(e);
            }
        }
        if seen.finish() != expected || !still_at(&file, &self.path) {
            return Err(changed());
        }
        copy.and_then(|c| match c {
            Some(c) => {
                c.as_file().sync_all()?;
                c.commit()
            }
            None => Ok(()),
        })
        .map_err(|e| StoreError::io(&bak, "write the backup", e))
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
            self.replace(Fingerprint::of(current.as_deref()), |w| {
                write_progress(w, &progress)
            })?;
        }
        Ok(out)
    }

    /// Merges `theirs` into the file under the lock: read, merge, write only if the merge
    /// changed anything. Nothing can come between the read and the write but a program that
    /// ignores the lock, which [`StoreError::Changed`] reports. Returns what `theirs` added.
    pub fn merge_in(&self, checklist: &str, theirs: &Progress) -> Result<Incoming, StoreError> {
        self.update(checklist, |disk| {
            let (merged, incoming) = crate::model::merge::merge(disk, theirs);
            let changed = merged != *disk;
            *disk = merged;
            (changed, incoming)
        })
    }

    /// Where a copy of unsaved changes goes when they cannot be put in the file:
    /// `<file>.recovered-YYYYMMDD-HHMMSS.ron` beside it.
    pub fn recovery_path(&self, at: crate::model::Stamp) -> PathBuf {
        let when = at.local().strftime("%Y%m%d-%H%M%S").to_string();
        sibling(&self.path, &format!(".recovered-{when}.ron"))
    }

    /// What the file holds now, as a [`Fingerprint`] (read whole and hashed).
    pub fn fingerprint_now(&self) -> Result<Fingerprint, StoreError> {
        Ok(Fingerprint::of(self.read_current()?.as_deref()))
    }

    fn read_current(&self) -> Result<Option<Vec<u8>>, StoreError> {
        match files::read_regular(&self.path) {
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

    /// Takes the session if it is free ([`Session::take`]); `None` when another instance
    /// holds it. A ledger that may not be written ([`Store::check_writable`]) is refused, and
    /// so is one whose `.open` cannot be made or opened: the caller shows it read-only.
    pub fn try_session(&self) -> Result<Option<Session>, StoreError> {
        self.check_writable()?;
        let (file, path) = self.open_lock_file(self.session_path())?;
        Session::take(&self.path, file).map_err(|e| StoreError::io(&path, "lock", e))
    }

    /// Refuses to write where the permission bits say no: a ledger whose owner may not
    /// write it (`chmod 400`), or a folder whose owner may not write in it. Decided from the
    /// bits, not by trying ([`files::owner_cannot_write`]): a save renames a new file over
    /// the old one, which needs no permission on the file, and root may do anything.
    pub fn check_writable(&self) -> Result<(), StoreError> {
        if let Ok(m) = fs::metadata(&self.path)
            && m.is_file()
            && owner_cannot_write(&m)
        {
            return Err(StoreError::ReadOnly {
                file: self.path.clone(),
                folder: None,
            });
        }
        let dir = parent_dir(&self.path);
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() && owner_cannot_write(&m) => Err(StoreError::ReadOnly {
                file: self.path.clone(),
                folder: Some(dir.to_path_buf()),
            }),
            _ => Ok(()),
        }
    }

    /// The mode and owner of a new progress file: the old one's, or for a first one mode
    /// 0600 and, when root writes it, the folder's owner.
    fn like(&self) -> Like {
        match fs::metadata(&self.path) {
            Ok(m) => Like::of(&m),
            Err(_) => Like::private_for(fs::metadata(parent_dir(&self.path)).ok().as_ref()),
        }
    }

    fn open_lock_file(&self, path: PathBuf) -> Result<(File, PathBuf), StoreError> {
        self.ensure_dir()?;
        // Owned by the ledger's owner (or the folder's) when root makes it.
        let place = fs::metadata(&self.path).or_else(|_| fs::metadata(parent_dir(&self.path)));
        let file = files::open_lock(&path, Like::private_for(place.ok().as_ref()))
            .map_err(|e| StoreError::io(&path, "open the lock file", e))?;
        Ok((file, path))
    }

    /// Takes the save lock, then clears temporary files a killed save left behind. Under
    /// the lock no other save can be writing one.
    fn lock(&self) -> Result<File, StoreError> {
        self.check_writable()?;
        let file = self.take_lock()?;
        self.remove_stale_temps();
        Ok(file)
    }

    /// Removes rectify's own temporary files for this file and its `.bak`
    /// (`.rectify-tmp-NAME.XXXXXX`), and nothing else: `.NAME.XXXXXX` may be another
    /// program's (rsync's partial file, an editor's).
    fn remove_stale_temps(&self) {
        let Some(name) = self.path.file_name() else {
            return;
        };
        let bak = self.backup_path();
        let bak = bak.file_name().unwrap_or_default();
        let Ok(entries) = fs::read_dir(parent_dir(&self.path)) else {
            return;
        };
        for entry in entries.flatten() {
            let file = entry.file_name();
            if files::is_temp_of(&file, name) || files::is_temp_of(&file, bak) {
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
}

/// Replaces `path` with `bytes` so a reader sees the old or the new file, whole. Links are
/// followed: the file they name is replaced. A new file has mode 0600; a file replaced keeps
/// its mode and owner. A read-only file, or anything not a regular file, is refused
/// ([`files::replaceable`]).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (path, _) = files::resolve_links(path);
    write_steps(
        &path,
        files::replaceable(&path)?,
        bytes.len() / 2,
        false,
        |w| w.write_all(bytes),
        || Ok(()),
    )
}

/// [`atomic_write`] of the pieces of a text, one after the other.
pub fn atomic_write_pieces<'p>(
    path: &Path,
    pieces: impl IntoIterator<Item = &'p [u8]>,
) -> io::Result<()> {
    write_pieces(path, &pieces.into_iter().collect::<Vec<_>>(), false)
}

/// [`atomic_write_pieces`] in [`write_steps`], the write step halfway through the bytes.
fn write_pieces(path: &Path, pieces: &[&[u8]], faults: bool) -> io::Result<()> {
    let half = pieces.iter().map(|p| p.len()).sum::<usize>() / 2;
    let (path, _) = files::resolve_links(path);
    write_steps(
        &path,
        files::replaceable(&path)?,
        half,
        faults,
        |w| pieces.iter().try_for_each(|p| w.write_all(p)),
        || Ok(()),
    )
}

/// [`atomic_write`] in its steps, the new file made `like` says, the text written by
/// `write`, and `before_commit` run last before the file is put in place (a failure there
/// leaves the old file); with `faults` the tests can make any step fail. The write step
/// comes after `half` bytes, so that a failure there leaves part of a file.
fn write_steps(
    path: &Path,
    like: Like,
    half: usize,
    faults: bool,
    write: impl FnOnce(&mut Steps) -> io::Result<()>,
    before_commit: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    let step = |s| if faults { fault::at(s) } else { Ok(()) };
    step(fault::Step::Create)?;
    let mut file = TempFile::create(path, like)?;
    let mut steps = Steps {
        file: &mut file,
        before: half,
        stepped: !faults,
    };
    write(&mut steps)?;
    if !steps.stepped {
        step(fault::Step::Write)?;
    }
    step(fault::Step::Sync)?;
    // Synced here, not only inside `commit`, so that a failed fsync is reported as such
    // and the old file is left in place.
    file.as_file().sync_all()?;
    before_commit()?;
    step(fault::Step::Commit)?;
    file.commit()?;
    // `commit` has synced the directory; a failure reported after it (a directory fsync
    // error) comes with the new file already in place.
    step(fault::Step::DirSync)
}

/// The file being written, with the write step of [`write_steps`] after `before` bytes.
struct Steps<'f> {
    file: &'f mut TempFile,
    before: usize,
    stepped: bool,
}

impl Steps<'_> {
    /// Empties the file written so far, to write it again from its start.
    fn restart(&mut self) -> io::Result<()> {
        self.file.as_file().set_len(0)?;
        io::Seek::seek(self.file, io::SeekFrom::Start(0)).map(drop)
    }
}

/// `progress` as the progress file, written to `w` in pieces ([`write_ron`]), with the
/// fingerprint of what was written. A shape the fast writer leaves to ron, met partway,
/// starts the file again with [`to_ron`]'s whole text.
fn write_progress(w: &mut Steps, progress: &Progress) -> io::Result<Fingerprint> {
    let mut written = Fingerprinting::default();
    let streamed = write_ron(progress, &mut |piece| {
        written.add(piece.as_bytes());
        w.write_all(piece.as_bytes())
    });
    match streamed {
        Ok(()) => Ok(written.finish()),
        Err(e) if is_left_to_ron(&e) => {
            let text = whole_ron(progress);
            w.restart()?;
            w.write_all(text.as_bytes())?;
            Ok(Fingerprint::of(Some(text.as_bytes())))
        }
        Err(e) => Err(e),
    }
}

impl Write for Steps<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.stepped {
            return self.file.write(buf);
        }
        if self.before == 0 {
            self.stepped = true;
            fault::at(fault::Step::Write)?;
            return self.file.write(buf);
        }
        let n = self.file.write(&buf[..buf.len().min(self.before)])?;
        self.before -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
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
    match write_ron(progress, &mut |piece| {
        out.push_str(piece);
        Ok(())
    }) {
        Ok(()) => {}
        Err(e) if is_left_to_ron(&e) => out = whole_ron(progress),
        Err(e) => unreachable!("writing to a String fails only as left to ron: {e}"),
    }
    LAST_LEN.store(out.len(), Ordering::Relaxed);
    out
}

/// The progress file's text in one go, through ron for any shape the fast writer leaves to it.
fn whole_ron(progress: &Progress) -> String {
    let mut text = crate::ron_fast::write_pretty(String::from(HEADER), progress)
        .expect("progress is plain data and always serialises");
    text.push('\n');
    text
}

const HEADER: &str = "// rectify progress file. Written by rectify on every change; the previous version is in\n\
     // the .bak beside it. Edit only while rectify is closed.\n";

/// About the weight (problems, notes and changes) of the items written in one round of a
/// large save, a part on each core: about 2 MB of text held at a time, where the whole
/// 19 MB text of 10,000 problems, held while it was written, took a save's peak memory from
/// 59 to 96 MiB.
const ROUND_WEIGHT: usize = 8192;

/// [`to_ron`]'s text handed to `sink` piece by piece. A large ledger's items are written in
/// rounds of a few thousand, each a part on each core, so only a round is held at a time.
/// Fails with an error that [`is_left_to_ron`] when an item has a shape the fast writer
/// leaves to ron (after some pieces may have been handed over: the caller starts again).
pub fn write_ron(
    progress: &Progress,
    sink: &mut dyn FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    let weight = |(_, i): &(&String, &crate::model::ItemProgress)| i.weight();
    let items: Vec<_> = progress.items.iter().collect();
    let total: usize = items.iter().map(weight).sum();
    if total < crate::par::MIN_WEIGHT {
        return sink(&whole_ron(progress));
    }
    // The same text as write_pretty's, its items written in rounds. The fields are named so
    // that a new one stops the build here; their order is the file's.
    let Progress {
        version,
        checklist,
        items: _,
    } = progress;
    let mut head = String::from(HEADER);
    head.push_str("Progress(\n    version: ");
    head.push_str(&version.to_string());
    head.push_str(",\n    checklist: ");
    crate::ron_fast::push_string(&mut head, checklist);
    head.push_str(",\n    items: {\n");
    sink(&head)?;
    // About what an item with its notes takes in the file.
    let room = |part: &[(&String, &crate::model::ItemProgress)]| {
        part.iter().map(|e| 256 + 384 * weight(e)).sum()
    };
    for (n, round) in crate::par::cut(&items, weight, total.div_ceil(ROUND_WEIGHT), 0)
        .into_iter()
        .enumerate()
    {
        let parts = crate::par::map_parts(round, weight, |part| {
            fault::left_to_ron_at(n)?;
            crate::ron_fast::map_entries(2, part.iter().copied(), room(part))
        });
        for part in parts {
            sink(&part.map_err(io::Error::other)?)?;
        }
    }
    sink("    },\n)\n")
}

/// Whether `file`, opened from `path`, is still the file at `path`: a program that saves by
/// writing a new file and renaming it over the old one leaves the old one open here,
/// unchanged, while the new one is at the path.
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
        _ => false,
    }
}

/// Whether `e` is [`write_ron`] stopping on a shape left to ron.
fn is_left_to_ron(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.is::<crate::ron_fast::LeftToRon>())
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
            "git left conflict markers here. If rectify's merge driver is not set up in this clone, run `rectify git-setup`, then `git checkout -m <this file>` to merge it with rectify; if the driver ran and could not read one side, keep the readable copy with `git checkout --ours` or `--theirs` `-- <this file>`".into(),
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

    #[cfg(test)]
    thread_local! {
        /// A round of a large save in which an item takes a shape left to ron (once: the
        /// flag is cleared when it is met).
        pub static LEFT_TO_RON_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    }

    /// Whether round `n` of [`super::write_ron`] stops as on a shape left to ron, to test
    /// the way back to ron after part of the file is written; never outside the tests.
    #[cfg(test)]
    pub fn left_to_ron_at(n: usize) -> Result<(), crate::ron_fast::LeftToRon> {
        LEFT_TO_RON_AT.with(|f| match f.get() {
            Some(at) if at == n => {
                f.set(None);
                Err(crate::ron_fast::LeftToRon)
            }
            _ => Ok(()),
        })
    }

    #[cfg(not(test))]
    #[inline(always)]
    pub fn left_to_ron_at(_: usize) -> Result<(), crate::ron_fast::LeftToRon> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
