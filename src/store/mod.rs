//! The only code that touches the progress file: where it lives ([`paths`]), reading it with
//! precise errors ([`load`]), and saving it so that nothing is ever lost or half-written
//! ([`save`], under the [`lock`]).
//!
//! A save takes the `.lock` beside the file, writes the new text to a temporary file, copies
//! the current file to `.bak` while checking that it is still what was read (if not, both
//! copies are dropped and the caller must merge instead of overwriting), and puts the new
//! file in place atomically (fsync, rename, fsync of the directory). Neither file is held
//! in memory whole.

mod error;
mod files;
mod load;
mod lock;
mod paths;
mod save;

use std::path::{Path, PathBuf};

pub use error::{StoreError, shown};
pub use files::{Session, TEMP_PREFIX, parent_dir, read_regular, write_output};
#[cfg(any(test, feature = "testkit"))]
pub(crate) use load::Header;
pub(crate) use load::quick_header;
pub use load::{parse, parse_any};
pub use paths::{data_dir, default_progress_path};
pub use save::{atomic_write, atomic_write_pieces};

use crate::model::Progress;

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
            Some(b) => Fingerprint::Present {
                len: b.len() as u64,
                hash: xxhash_rust::xxh3::xxh3_64(b),
            },
        }
    }
}

/// A [`Fingerprint`] taken of bytes as they pass, for a file never held whole (the same as
/// [`Fingerprint::of`] the whole). xxh3: a large ledger is hashed on every load and save
/// (`cargo bench`, `ledger_10000/load`).
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

    /// The lock held by the full-screen ledger while it is open, so a second one opens
    /// read-only.
    pub fn session_path(&self) -> PathBuf {
        sibling(&self.path, ".open")
    }

    /// Where a copy of unsaved changes goes when they cannot be put in the file:
    /// `<file>.recovered-YYYYMMDD-HHMMSS.ron` beside it.
    pub fn recovery_path(&self, at: crate::model::Stamp) -> PathBuf {
        let when = at.local().strftime("%Y%m%d-%H%M%S").to_string();
        sibling(&self.path, &format!(".recovered-{when}.ron"))
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The progress file's text: pretty RON, one field per line, `\n` endings, stable order.
pub fn to_ron(progress: &Progress) -> String {
    let mut out = String::from(HEADER);
    ron::Options::default()
        .to_writer_pretty(&mut out, progress, ron_config())
        .expect("progress is plain data and always serialises");
    out.push('\n');
    out
}

/// What every progress file starts with.
const HEADER: &str = "// rectify progress file. Written by rectify on every change; the previous version is in\n\
     // the .bak beside it. Edit only while rectify is closed.\n";

/// The pretty-printing settings rectify has always written its files with (its checklists
/// too, in the examples and tests).
pub fn ron_config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .struct_names(true)
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
