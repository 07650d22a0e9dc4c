//! The locks beside a progress file: `.lock`, held by every save for as long as it writes,
//! and `.open`, held by the full-screen ledger for as long as it is open.

use std::fs::{self, File};
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::files::{self, Like, Session, owner_cannot_write, parent_dir};
use super::{Store, StoreError};

/// How long a save waits for another process's save to finish.
const LOCK_WAIT: Duration = Duration::from_secs(10);

impl Store {
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

    /// Takes the save lock, then clears temporary files a killed save left behind. Under
    /// the lock no other save can be writing one.
    pub(super) fn lock(&self) -> Result<File, StoreError> {
        self.check_writable()?;
        let file = self.take_lock()?;
        self.remove_stale_temps();
        Ok(file)
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

    fn open_lock_file(&self, path: PathBuf) -> Result<(File, PathBuf), StoreError> {
        self.ensure_dir()?;
        // Owned by the ledger's owner (or the folder's) when root makes it.
        let place = fs::metadata(&self.path).or_else(|_| fs::metadata(parent_dir(&self.path)));
        let file = files::open_lock(&path, Like::private_for(place.ok().as_ref()))
            .map_err(|e| StoreError::io(&path, "open the lock file", e))?;
        Ok((file, path))
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
