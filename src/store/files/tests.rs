//! The rules of [`super`] as the store meets them: files that are not regular files, files
//! and folders that may not be written, owners, and the session that deleting a file does
//! not end.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::model::Stamp;
use crate::store::{Store, StoreError};

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// `f`'s result, or a failure (not a hang) if it takes more than ten seconds.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("{what} hung or failed: {e}"))
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().mode() & 0o777
}

fn chmod(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

/// Whether the tests run as root (the owner of a file they make).
fn root(dir: &Path) -> bool {
    let probe = dir.join("probe");
    fs::write(&probe, "").unwrap();
    let uid = fs::metadata(&probe).unwrap().uid();
    fs::remove_file(probe).unwrap();
    uid == 0
}

fn add_note(store: &Store) -> Result<(), StoreError> {
    store.update("test", |p| {
        (p.add_note("1.1", "x", Stamp::now()).is_ok(), ())
    })
}

#[test]
fn a_fifo_as_the_ledger_or_its_locks_is_refused_and_nothing_waits() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("p.ron"));
    mkfifo(store.path());
    let s = store.clone();
    let err = within("reading a FIFO", move || s.load("test").unwrap_err()).to_string();
    assert!(err.contains("p.ron") && err.contains("FIFO"), "{err}");
    let s = store.clone();
    let err = within("a change on a FIFO", move || add_note(&s).unwrap_err()).to_string();
    assert!(err.contains("p.ron") && err.contains("FIFO"), "{err}");
    assert!(fs::metadata(store.path()).unwrap().file_type().is_fifo());

    fs::remove_file(store.path()).unwrap();
    fs::remove_file(store.lock_path()).unwrap();
    mkfifo(&store.lock_path());
    let s = store.clone();
    let err = within("a FIFO as .lock", move || add_note(&s).unwrap_err()).to_string();
    assert!(err.contains("p.ron.lock") && err.contains("FIFO"), "{err}");
    assert!(!store.path().exists(), "nothing written");

    mkfifo(&store.session_path());
    let s = store.clone();
    let err = within("a FIFO as .open", move || s.try_session().unwrap_err()).to_string();
    assert!(err.contains("p.ron.open") && err.contains("FIFO"), "{err}");

    fs::remove_file(store.lock_path()).unwrap();
    std::os::unix::fs::symlink(store.path(), store.lock_path()).unwrap();
    let err = add_note(&store).unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "a link as .lock: {err}");
}

#[test]
fn a_read_only_ledger_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("p.ron"));
    add_note(&store).unwrap();
    chmod(store.path(), 0o400);
    let before = fs::read(store.path()).unwrap();
    let snap = store.load("test").unwrap();

    let err = add_note(&store).unwrap_err();
    assert!(
        matches!(&err, StoreError::ReadOnly { folder: None, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("p.ron: the file is read-only"),
        "{err}"
    );
    let mut more = snap.progress.clone();
    more.add_note("1.2", "y", Stamp::now()).unwrap();
    assert!(matches!(
        store.save(&more, snap.fingerprint),
        Err(StoreError::ReadOnly { .. })
    ));
    assert!(matches!(
        store.try_session(),
        Err(StoreError::ReadOnly { .. })
    ));
    assert_eq!(fs::read(store.path()).unwrap(), before);
    assert_eq!(mode(store.path()), 0o400, "the mode kept");

    chmod(store.path(), 0o600);
    add_note(&store).unwrap();
}

/// As root a folder's permission bits do not stop a write, so this is the check of the bits
/// itself; an unprivileged run meets the same refusal (the bits are looked at first).
#[test]
fn a_read_only_folder_is_refused_before_anything_is_made_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let store = Store::new(folder.join("p.ron"));
    add_note(&store).unwrap();
    fs::remove_file(store.lock_path()).unwrap();
    chmod(&folder, 0o555);
    let session = store.try_session();
    let change = add_note(&store);
    let made: Vec<_> = fs::read_dir(&folder).unwrap().flatten().collect();
    chmod(&folder, 0o700);
    let err = session.unwrap_err();
    assert!(
        matches!(&err, StoreError::ReadOnly { folder: Some(f), .. } if f == &folder),
        "{err}"
    );
    assert!(err.to_string().contains("folder"), "{err}");
    assert!(matches!(change, Err(StoreError::ReadOnly { .. })));
    assert_eq!(made.len(), 1, "only p.ron: {made:?}");
}

#[test]
fn a_replaced_file_keeps_its_mode_and_owner_and_so_do_the_backup_and_locks() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("theirs");
    fs::create_dir(&folder).unwrap();
    let root = root(dir.path());
    // A folder and ledger of another user, written by root.
    let (uid, gid) = (4321, 4322);
    if root {
        std::os::unix::fs::chown(&folder, Some(uid), Some(gid)).unwrap();
    }
    let store = Store::new(folder.join("p.ron"));
    add_note(&store).unwrap();
    let owner = |p: &Path| {
        let m = fs::metadata(p).unwrap();
        (m.uid(), m.gid())
    };
    if root {
        for f in [store.path().to_path_buf(), store.lock_path()] {
            assert_eq!(
                owner(&f),
                (uid, gid),
                "a new {} is the folder owner's",
                f.display()
            );
        }
        let session = store.try_session().unwrap().unwrap();
        assert_eq!(owner(&store.session_path()), (uid, gid));
        drop(session);
    } else {
        eprintln!("not root: the owner is not changed, only the mode checked");
    }
    assert_eq!(mode(store.path()), 0o600, "a new ledger is private");

    chmod(store.path(), 0o640);
    add_note(&store).unwrap();
    assert_eq!(mode(store.path()), 0o640, "the mode kept");
    assert_eq!(mode(&store.backup_path()), 0o640, "the backup as the file");
    if root {
        assert_eq!(owner(store.path()), (uid, gid), "the owner kept");
        assert_eq!(owner(&store.backup_path()), (uid, gid));
    }
    assert_eq!(
        store
            .load("test")
            .unwrap()
            .progress
            .item("1.1")
            .unwrap()
            .notes
            .len(),
        2
    );
}

/// An export (or any replaced file) keeps its mode; a read-only one or one that is not a
/// regular file is refused; a link is followed and stays a link.
#[test]
fn a_replaced_report_keeps_its_mode_and_its_link() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.md");
    fs::write(&report, "old").unwrap();
    chmod(&report, 0o644);
    let link = dir.path().join("latest.md");
    std::os::unix::fs::symlink("report.md", &link).unwrap();
    super::super::atomic_write(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&report).unwrap(), b"new");
    assert_eq!(mode(&report), 0o644);

    chmod(&report, 0o444);
    let err = super::super::atomic_write(&report, b"newer").unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(fs::read(&report).unwrap(), b"new");

    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let err = super::super::atomic_write(&fifo, b"x").unwrap_err();
    assert!(err.to_string().contains("FIFO"), "{err}");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// `git clean -fX` deletes `.open`; the session held stays held.
#[test]
fn deleting_the_open_file_does_not_let_a_second_session_in() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("p.ron"));
    let first = store.try_session().unwrap();
    assert!(first.is_some());
    fs::remove_file(store.session_path()).unwrap();
    assert!(
        store.try_session().unwrap().is_none(),
        "the session is not a file that can be deleted"
    );
    // By another path to the same folder, too.
    let other_way = dir.path().join("link");
    std::os::unix::fs::symlink(dir.path(), &other_way).unwrap();
    fs::remove_file(store.session_path()).unwrap();
    assert!(
        Store::new(other_way.join("p.ron"))
            .try_session()
            .unwrap()
            .is_none()
    );
    drop(first);
    assert!(store.try_session().unwrap().is_some(), "free once closed");
}

#[test]
fn two_ledgers_in_one_folder_have_sessions_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let a = Store::new(dir.path().join("a.ron"));
    let b = Store::new(dir.path().join("b.ron"));
    let held = a.try_session().unwrap();
    assert!(held.is_some());
    assert!(b.try_session().unwrap().is_some());
    assert!(a.try_session().unwrap().is_none());
}
