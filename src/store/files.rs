//! The files rectify reads and writes, and the rules for them: only regular files are read
//! (a FIFO would wait forever, a device would lie), a file is replaced by renaming over it a
//! temporary file whose name says it is rectify's, a replaced file keeps its mode and owner,
//! and anything that is not a regular file is never replaced.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, FileType, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The start of the name of every temporary file rectify writes: `.rectify-tmp-NAME.XXXXXX`
/// for a file NAME. Only files named so are ever cleared as left behind by a killed save;
/// `.NAME.XXXXXX` is also what rsync and other programs name theirs.
pub const TEMP_PREFIX: &str = ".rectify-tmp-";

/// The directory a file is in (`.` for a bare name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn kind(t: FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// The error for a path that is not a regular file, saying what it is.
pub fn not_regular(t: FileType) -> io::Error {
    refused(kind(t))
}

fn refused(kind: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {kind}; rectify uses only regular files here"),
    )
}

/// Opens `path` (links followed) for reading if it is a regular file. Looked at before it is
/// opened, since opening a device can do something; opened without waiting, since a FIFO
/// waits for a writer; and looked at again on the open file, so what was checked is what is
/// read.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let t = fs::metadata(path)?.file_type();
    if !t.is_file() {
        return Err(not_regular(t));
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let t = file.metadata()?.file_type();
    if !t.is_file() {
        return Err(not_regular(t));
    }
    Ok(file)
}

/// The bytes of the regular file at `path` ([`open_regular`]).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open_regular(path)?;
    let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The mode and owner a new file takes.
#[derive(Clone, Copy, Debug)]
pub struct Like {
    mode: u32,
    owner: Option<(u32, u32)>,
    /// The owner is given only when rectify runs as root (a new file in someone else's
    /// folder); otherwise it is kept if allowed (a file replaced).
    only_as_root: bool,
}

impl Like {
    /// A file of its own: mode 0600, owned by whoever writes it.
    pub const PRIVATE: Like = Like {
        mode: 0o600,
        owner: None,
        only_as_root: false,
    };

    /// The mode and owner of the file `meta` describes, for the file that replaces it.
    pub fn of(meta: &Metadata) -> Like {
        Like {
            mode: meta.mode() & 0o777,
            owner: Some((meta.uid(), meta.gid())),
            only_as_root: false,
        }
    }

    /// Mode 0600, owned by the owner of `place` when rectify runs as root: a file root makes
    /// for a ledger (its lock, a new ledger) is one its owner can still use.
    pub fn private_for(place: Option<&Metadata>) -> Like {
        Like {
            owner: place.map(|m| (m.uid(), m.gid())),
            only_as_root: true,
            ..Like::PRIVATE
        }
    }

    /// Gives `file` (just created by this process) the owner, then the mode. An owner that
    /// cannot be given (not root) is left: the group alone is tried, as `cp -p` does.
    fn apply(&self, file: &File) -> io::Result<()> {
        if let (Some((uid, gid)), Ok(me)) = (self.owner, file.metadata())
            && (me.uid(), me.gid()) != (uid, gid)
            && (!self.only_as_root || me.uid() == 0)
            && std::os::unix::fs::fchown(file, Some(uid), Some(gid)).is_err()
        {
            let _ = std::os::unix::fs::fchown(file, None, Some(gid));
        }
        // After the owner: a change of owner clears the set-id bits.
        file.set_permissions(fs::Permissions::from_mode(self.mode))
    }
}

/// Whether `meta` is of a file its owner may not write: `chmod 400`, `chmod a-w`. Decided
/// from the permission bits, not by trying: rectify replaces a file by renaming a new one
/// over it, which needs only the directory's permission, and root may write anything, so a
/// file made read-only would be replaced all the same.
pub fn owner_cannot_write(meta: &Metadata) -> bool {
    meta.mode() & 0o200 == 0
}

/// What may be put in place of `target`: a new file (mode 0600) or a writable regular file
/// (its mode and owner kept). A read-only file is refused, and so is anything that is not a
/// regular file: replacing a device, a FIFO or a socket would break what uses it.
pub fn replaceable(target: &Path) -> io::Result<Like> {
    match fs::metadata(target) {
        Ok(m) if !m.is_file() => Err(not_regular(m.file_type())),
        Ok(m) if owner_cannot_write(&m) => Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only (its owner has no write permission); it was left as it is",
        )),
        Ok(m) => Ok(Like::of(&m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Like::PRIVATE),
        Err(e) => Err(e),
    }
}

/// A file being written beside `target`, to be put in its place by [`TempFile::commit`];
/// dropped uncommitted, it is removed. Named `.rectify-tmp-NAME.XXXXXX`.
#[derive(Debug)]
pub struct TempFile {
    file: File,
    path: PathBuf,
    target: PathBuf,
    placed: bool,
}

impl TempFile {
    pub fn create(target: &Path, like: Like) -> io::Result<TempFile> {
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
        let dir = parent_dir(target);
        let mut tries = 0;
        let (file, path) = loop {
            let path = dir.join(temp_name(name, &random_tag()));
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&path)
            {
                Ok(file) => break (file, path),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
                Err(e) => return Err(e),
            }
        };
        let temp = TempFile {
            file,
            path,
            target: target.to_path_buf(),
            placed: false,
        };
        like.apply(&temp.file)?;
        Ok(temp)
    }

    pub fn as_file(&self) -> &File {
        &self.file
    }

    /// Puts the file in place of the target (a rename) and flushes the directory. An error
    /// from the flush comes with the new file already in place.
    pub fn commit(mut self) -> io::Result<()> {
        fs::rename(&self.path, &self.target)?;
        self.placed = true;
        File::open(parent_dir(&self.target))?.sync_all()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl io::Seek for TempFile {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}

fn temp_name(name: &OsStr, tag: &str) -> OsString {
    let mut temp = OsString::from(TEMP_PREFIX);
    temp.push(name);
    temp.push(".");
    temp.push(tag);
    temp
}

/// Whether `file` is the name of a temporary file rectify wrote for `name`.
pub fn is_temp_of(file: &OsStr, name: &OsStr) -> bool {
    file.as_bytes()
        .strip_prefix(TEMP_PREFIX.as_bytes())
        .and_then(|rest| rest.strip_prefix(name.as_bytes()))
        .and_then(|rest| rest.strip_prefix(b"."))
        .is_some_and(|tag| tag.len() == 6 && tag.iter().all(u8::is_ascii_alphanumeric))
}

/// Six letters and digits, different each time (a collision is met by trying again).
fn random_tag() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u64(COUNT.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    let mut n = hasher.finish();
    (0..6)
        .map(|_| {
            let c = ALNUM[(n % 62) as usize] as char;
            n /= 62;
            c
        })
        .collect()
}

/// Opens a lock file, creating it if needed: only a regular file, never through a link,
/// never waiting (a FIFO put there would). A new one takes `like`'s owner when rectify runs
/// as root, so that the ledger's owner can still take the lock after a root-run command; one
/// that cannot be written (left by an older rectify) is opened for reading, which is enough
/// for a lock.
pub fn open_lock(path: &Path, like: Like) -> io::Result<File> {
    let open = |o: &mut OpenOptions| {
        o.read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(path)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => refused("a symbolic link"),
                _ => e,
            })
    };
    let mut tries = 0;
    let file = loop {
        match open(OpenOptions::new().write(true).create_new(true).mode(0o600)) {
            Ok(file) => {
                like.apply(&file)?;
                break file;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        match open(OpenOptions::new().write(true)) {
            Ok(file) => break file,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                break open(&mut OpenOptions::new())?;
            }
            // Removed in between: make it again.
            Err(e) if e.kind() == io::ErrorKind::NotFound && tries < 3 => tries += 1,
            Err(e) => return Err(e),
        }
    };
    let t = file.metadata()?.file_type();
    if !t.is_file() {
        return Err(not_regular(t));
    }
    Ok(file)
}

/// Writes `pieces` to `path` for a command's `--output`. A regular file or a new path is
/// replaced atomically ([`super::atomic_write_pieces`], through symbolic links, so a link
/// stays a link). Anything else, links followed — a device such as `/dev/null`, a FIFO, a
/// terminal, or `/dev/stdout` and other links into `/proc` (which name an open file, whatever
/// it is) — is written into, never replaced. Returns whether it was written into.
pub fn write_output<'p>(
    path: &Path,
    pieces: impl IntoIterator<Item = &'p [u8]>,
) -> io::Result<bool> {
    let (target, through_proc) = resolve_links(path);
    match fs::metadata(path) {
        Ok(m) if m.is_dir() || m.file_type().is_socket() => Err(not_regular(m.file_type())),
        Ok(m) if through_proc || !m.is_file() => {
            // Appending to the open file a `/proc` link names: `>>` is kept, and after `>`
            // the file is empty anyway.
            let mut out = OpenOptions::new()
                .write(true)
                .append(m.is_file())
                .open(path)?;
            for piece in pieces {
                out.write_all(piece)?;
            }
            out.flush()?;
            Ok(true)
        }
        _ => super::atomic_write_pieces(&target, pieces).map(|()| false),
    }
}

/// Follows symbolic links to the file they name (at most 40, as the kernel does), and says
/// whether the way went through `/proc` (`/dev/stdout`, `/dev/fd/1`), whose links name open
/// files rather than paths.
pub fn resolve_links(path: &Path) -> (PathBuf, bool) {
    let mut path = path.to_path_buf();
    let mut through_proc = false;
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&path) {
                Ok(target) => {
                    through_proc |= parent_dir(&path)
                        .canonicalize()
                        .is_ok_and(|d| d.starts_with("/proc"));
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
    (path, through_proc)
}

/// The full-screen ledger's hold on its file while it is open, let go when dropped or when
/// the process ends, however it ends.
#[derive(Debug)]
pub struct Session {
    _open: File,
    _name: Option<std::os::unix::net::UnixDatagram>,
}

impl Session {
    /// Takes the session of the ledger at `path` if no one holds it, `open` being its `.open`
    /// file: `None` when another instance holds it.
    ///
    /// Two holds, both released by the kernel when the process ends. The flock of `.open`
    /// alone was lost when the file was deleted (`git clean -fX`): the next instance made a
    /// new file and locked that. So the session is also a name in Linux's abstract socket
    /// namespace — a name, not a file, that nothing can delete — made of the directory's
    /// device and inode and the file's name: every path to the ledger gives the same name,
    /// and two ledgers in one directory do not meet (a lock on the directory would make them
    /// wait for each other). The flock stays for what the name cannot reach: other
    /// machines on a network file system, other network namespaces (containers).
    pub fn take(path: &Path, open: File) -> io::Result<Option<Session>> {
        match open.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Ok(None),
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
        match claim_name(path) {
            Ok(Some(name)) => Ok(Some(Session {
                _open: open,
                _name: Some(name),
            })),
            Ok(None) => Ok(None),
            // No such namespace here (not Linux, or sockets forbidden): the flock alone.
            Err(_) => Ok(Some(Session {
                _open: open,
                _name: None,
            })),
        }
    }
}

#[cfg(target_os = "linux")]
fn claim_name(path: &Path) -> io::Result<Option<std::os::unix::net::UnixDatagram>> {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixDatagram};
    let dir = fs::metadata(parent_dir(path))?;
    let name = path.file_name().unwrap_or_default().as_bytes();
    let id = format!(
        "rectify/session/{:x}/{:x}/{:016x}",
        dir.dev(),
        dir.ino(),
        xxhash_rust::xxh3::xxh3_64(name)
    );
    // A datagram socket: bound, never listening, so nothing can connect to it.
    match UnixDatagram::bind_addr(&SocketAddr::from_abstract_name(id)?) {
        Ok(socket) => Ok(Some(socket)),
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn claim_name(_: &Path) -> io::Result<Option<std::os::unix::net::UnixDatagram>> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests;
