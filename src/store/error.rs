use std::io;
use std::path::{Path, PathBuf};

/// Why the progress file could not be read or written. Each names the file; a file that
/// cannot be read also names the line and column.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}:{line}:{col}: {message}", shown(.file))]
    Parse {
        file: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{}: cannot {action}: {source}", shown(.file))]
    Io {
        file: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    /// Someone else wrote the file since it was read: merge, do not overwrite.
    #[error(
        "{}: changed by another program since it was read; nothing was overwritten",
        shown(.file)
    )]
    Changed { file: PathBuf },
    /// Another process held the lock for too long.
    #[error("{}: another rectify is still saving (lock held); try again", shown(.file))]
    Locked { file: PathBuf },
    /// The file's owner may not write it, or (`folder`) may not write in its folder: nothing
    /// is written there.
    #[error("{}", read_only(.file, .folder.as_deref()))]
    ReadOnly {
        file: PathBuf,
        folder: Option<PathBuf>,
    },
    /// No data directory could be found (no HOME).
    #[error("no data directory (is HOME set?); pass --file PATH to choose where progress is kept")]
    NoDataDir,
}

impl StoreError {
    pub fn io(file: &Path, action: &'static str, source: io::Error) -> StoreError {
        StoreError::Io {
            file: file.to_path_buf(),
            action,
            source,
        }
    }
}

fn read_only(file: &Path, folder: Option<&Path>) -> String {
    match folder {
        None => format!(
            "{}: the file is read-only (its owner has no write permission), so nothing was written; make it writable (chmod u+w) to change it",
            shown(file)
        ),
        Some(dir) => format!(
            "{}: its folder {} is read-only, so nothing can be saved there; the ledger can only be read",
            shown(file),
            shown(dir)
        ),
    }
}

/// A path as it may be printed: a file name can hold escape sequences too.
pub fn shown(path: &Path) -> String {
    crate::text::visible(&path.display().to_string()).into_owned()
}
