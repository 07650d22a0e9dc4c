//! Writing a progress file (and any file rectify replaces whole): to a temporary file
//! beside it, synced, then renamed over the old one, with the old one checked and kept as
//! the `.bak` just before.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use super::files::{self, Like, TempFile, parent_dir};
use super::{Fingerprint, Fingerprinting, HEADER, Store, StoreError, fault, ron_config};
use crate::model::Progress;
use crate::model::merge::Incoming;
use crate::model::progress::VERSION;

impl Store {
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
    /// the new text is ever held whole: ron writes the new text to its temporary file
    /// through a small buffer; then the old file is checked and copied to the `.bak` in one
    /// pass, and only then is the new file put in its place.
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
            Some(b) => super::parse(b, &self.path, checklist)?,
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
            || {
                // The last step before the new file is put in place: a refusal is kept,
                // and the write stopped.
                self.check_and_copy(expected, true).map_err(|e| {
                    refused = Some(e);
                    io::Error::other("the file was not saved")
                })
            },
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

    /// Whether a save that failed met a file someone changed meanwhile: the file is neither
    /// what `expected` says was read nor the new text (`ours`, if it was written whole: in
    /// place when only the directory's fsync failed), looked at as [`Store::check_and_copy`]
    /// looks, without the copy.
    fn changed_under(&self, expected: Fingerprint, ours: Option<Fingerprint>) -> bool {
        std::iter::once(expected).chain(ours).all(|fp| {
            matches!(
                self.check_and_copy(fp, false),
                Err(StoreError::Changed { .. })
            )
        })
    }

    /// Reads the file block by block, and (with `back_up`) copies it to the `.bak` beside
    /// it on the way: the copy is put in place only if the file is still what `expected`
    /// says was read ([`StoreError::Changed`] otherwise, and the copy is dropped).
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
        // The version of the file replaced, from its first block.
        let mut old_version = None;
        loop {
            let n = match io::Read::read(&mut file, &mut block) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(reading(e)),
            };
            if seen.len == 0 {
                let start = &block[..n];
                let text = std::str::from_utf8(start).unwrap_or_else(|e| {
                    std::str::from_utf8(&start[..e.valid_up_to()]).unwrap_or_default()
                });
                old_version = super::load::quick_header(text).map(|h| h.version);
            }
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
                c.commit()?;
                if let Some(v) = old_version.filter(|v| *v < VERSION) {
                    keep_older_version(&bak, v);
                }
                Ok(())
            }
            None => Ok(()),
        })
        .map_err(|e| StoreError::io(&bak, "write the backup", e))
    }

    /// The mode and owner of a new progress file: the old one's, or for a first one mode
    /// 0600 and, when root writes it, the folder's owner.
    fn like(&self) -> Like {
        match fs::metadata(&self.path) {
            Ok(m) => Like::of(&m),
            Err(_) => Like::private_for(fs::metadata(parent_dir(&self.path)).ok().as_ref()),
        }
    }
}

/// Whether `file`, opened from `path`, is still the file at `path`: a program that saves by
/// writing a new file and renaming it over the old one leaves the old one open here,
/// unchanged, while the new one is at the path.
pub(super) fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
        _ => false,
    }
}

/// `progress` as the progress file ([`super::to_ron`]'s text), written by ron to `w`, with
/// the fingerprint of what was written.
fn write_progress(w: &mut Steps, progress: &Progress) -> io::Result<Fingerprint> {
    let mut out = Hashing {
        out: w,
        block: Vec::with_capacity(BLOCK),
        seen: Fingerprinting::default(),
        error: None,
    };
    let written = fmt::Write::write_str(&mut out, HEADER).is_ok()
        && ron::Options::default()
            .to_writer_pretty(&mut out, progress, ron_config())
            .is_ok()
        && fmt::Write::write_str(&mut out, "\n").is_ok();
    match out.error.take() {
        Some(e) => Err(e),
        None if !written => Err(io::Error::other("ron could not write the ledger")),
        None => {
            out.flush_block()?;
            Ok(out.seen.finish())
        }
    }
}

/// How much of ron's text is gathered before it is hashed and written.
const BLOCK: usize = 64 << 10;

/// The text ron writes, gathered into blocks, each hashed ([`Fingerprinting`]) and written
/// on to a file. The first error writing is kept here: ron sees only that one happened.
struct Hashing<W: Write> {
    out: W,
    block: Vec<u8>,
    seen: Fingerprinting,
    error: Option<io::Error>,
}

impl<W: Write> Hashing<W> {
    fn flush_block(&mut self) -> io::Result<()> {
        self.seen.add(&self.block);
        let written = self.out.write_all(&self.block);
        self.block.clear();
        written
    }
}

impl<W: Write> fmt::Write for Hashing<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.block.extend_from_slice(s.as_bytes());
        if self.block.len() >= BLOCK
            && let Err(e) = self.flush_block()
        {
            self.error = Some(e);
            return Err(fmt::Error);
        }
        Ok(())
    }
}

/// Replaces `path` with `bytes` so a reader sees the old or the new file, whole. Links are
/// followed: the file they name is replaced. A new file has mode 0600; a file replaced keeps
/// its mode and owner. A read-only file, or anything not a regular file, is refused
/// ([`files::replaceable`]).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_pieces(path, &[bytes], false)
}

/// [`atomic_write`] of the pieces of a text, one after the other.
pub fn atomic_write_pieces<'p>(
    path: &Path,
    pieces: impl IntoIterator<Item = &'p [u8]>,
) -> io::Result<()> {
    write_pieces(path, &pieces.into_iter().collect::<Vec<_>>(), false)
}

/// [`atomic_write_pieces`] in [`write_steps`], the write step halfway through the bytes.
pub(super) fn write_pieces(path: &Path, pieces: &[&[u8]], faults: bool) -> io::Result<()> {
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

/// A file of an older version, just copied to `bak` before its first save in the new one,
/// is kept beside it as `<file>.v<N>.bak` too: the next save replaces the `.bak`, and the
/// file as the older rectify wrote it should outlive that. A link, as the `.bak` is replaced
/// by a new file, not rewritten. Best effort: the `.bak` holds it meanwhile.
fn keep_older_version(bak: &std::path::Path, version: u32) {
    let name = bak.file_name().unwrap_or_default().to_string_lossy();
    let name = name.strip_suffix(".bak").unwrap_or(&name);
    let kept = bak.with_file_name(format!("{name}.v{version}.bak"));
    if !kept.exists() {
        let _ = fs::hard_link(bak, &kept).or_else(|_| fs::copy(bak, &kept).map(drop));
    }
}
