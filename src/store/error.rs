use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why the progress file could not be read or written. Each names the file; a file that
/// cannot be read also names the line and column.
#[derive(Debug)]
pub enum StoreError {
    Parse {
        file: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    Io {
        file: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    /// Someone else wrote the file since it was read: merge, do not overwrite.
    Changed { file: PathBuf },
    /// Another process held the lock for too long.
    Locked { file: PathBuf },
    /// The file's owner may not write it, or (`folder`) may not write in its folder: nothing
    /// is written there.
    ReadOnly {
        file: PathBuf,
        folder: Option<PathBuf>,
    },
    /// No data directory could be found (no HOME).
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

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Parse {
                file,
                line,
                col,
                message,
            } => write!(f, "{}:{line}:{col}: {message}", shown(file)),
            StoreError::Io {
                file,
                action,
                source,
            } => write!(f, "{}: cannot {action}: {source}", shown(file)),
            StoreError::Changed { file } => write!(
                f,
                "{}: changed by another program since it was read; nothing was overwritten",
                shown(file)
            ),
            StoreError::Locked { file } => write!(
                f,
                "{}: another rectify is still saving (lock held); try again",
                shown(file)
            ),
            StoreError::ReadOnly { file, folder: None } => write!(
                f,
                "{}: the file is read-only (its owner has no write permission), so nothing was written; make it writable (chmod u+w) to change it",
                shown(file)
            ),
            StoreError::ReadOnly {
                file,
                folder: Some(dir),
            } => write!(
                f,
                "{}: its folder {} is read-only, so nothing can be saved there; the ledger can only be read",
                shown(file),
                shown(dir)
            ),
            StoreError::NoDataDir => write!(
                f,
                "no data directory (is HOME set?); pass --file PATH to choose where progress is kept"
            ),
        }
    }
}

/// A path as it may be printed: a file name can hold escape sequences too.
pub fn shown(path: &Path) -> String {
    crate::text::visible(&path.display().to_string()).into_owned()
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
