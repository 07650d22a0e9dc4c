//! Keeping the ledger on disk from the loop: saves in the background and their retries,
//! noticing and merging what other programs write, taking over a read-only session, and
//! the last save at quit. This does the I/O and reports how it went as messages; the state
//! that leaves in the app is decided by [`app::update`].

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::{self, App, Effect, Msg, SaveState};
use crate::model::{Progress, Stamp};
use crate::store::{Fingerprint, Store, StoreError, shown};

/// Without inotify, or while read-only, how often the loop looks at the file.
pub const FILE_CHECK: Duration = Duration::from_secs(1);
pub const SAVE_RETRY: Duration = Duration::from_secs(2);

pub struct LoopIo {
    pub store: Store,
    fingerprint: Fingerprint,
    pub last_check: Instant,
    pub last_failure: Option<Instant>,
    /// The file's identity, length and times when last seen, to notice outside writes
    /// without reading the file every second.
    stamp_file: Option<FileStamp>,
    /// The lock that makes this the one writer; `None` while read-only.
    pub session: Option<crate::store::Session>,
    /// The author's name, until it has arrived from the thread that looks it up.
    pub author: Option<std::sync::mpsc::Receiver<Option<String>>>,
    /// Where to look the author up, until the thread doing so has started.
    pub author_source: Option<(crate::author::Config, std::path::PathBuf)>,
    /// The thread that saves, once there has been something to save.
    saver: Option<Saver>,
    /// The revision being saved in the background, while a save runs.
    saving: Option<u64>,
    /// The file changed (or we were told so) while our own save was running: look again
    /// when it ends.
    file_seen: bool,
    /// And it was written in place meanwhile: see [`check_file`].
    written_in_place_seen: bool,
    /// Written to when a background save ends, to wake the loop.
    pub wake: Option<std::os::unix::net::UnixStream>,
    /// The save thread could not be started or died: saves are made on the loop.
    no_thread: bool,
}

/// The save that runs beside the loop. Writing a 19 MB ledger, its backup and their fsyncs
/// kept the loop from the keys for the whole time; now the loop only hands over a reference
/// to the progress. One save runs at a time; what changes meanwhile is saved when it ends.
struct Saver {
    jobs: std::sync::mpsc::Sender<(Arc<crate::model::Progress>, Fingerprint)>,
    results: std::sync::mpsc::Receiver<Result<Fingerprint, StoreError>>,
}

impl Saver {
    fn start(store: Store, wake: Option<std::os::unix::net::UnixStream>) -> io::Result<Saver> {
        let (jobs, todo) = std::sync::mpsc::channel::<(Arc<crate::model::Progress>, Fingerprint)>();
        let (done, results) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("save".into())
            .spawn(move || {
                for (progress, expected) in todo {
                    // Let go once written, before the flush to disk: a change the loop makes
                    // after that needs no copy.
                    let result = store.save_from(progress, expected);
                    if done.send(result).is_err() {
                        break;
                    }
                    if let Some(mut w) = wake.as_ref() {
                        let _ = w.write(&[1]);
                    }
                }
            })?;
        Ok(Saver { jobs, results })
    }
}

impl LoopIo {
    pub fn new(store: Store, fingerprint: Fingerprint) -> LoopIo {
        let stamp_file = file_stamp(store.path());
        LoopIo {
            store,
            fingerprint,
            last_check: Instant::now(),
            last_failure: None,
            stamp_file,
            session: None,
            author: None,
            author_source: None,
            saver: None,
            saving: None,
            file_seen: false,
            written_in_place_seen: false,
            wake: None,
            no_thread: false,
        }
    }
}

/// What the file's metadata says of it: which file (device, inode), its length, and when its
/// content and its inode last changed. The inode's change time cannot be set back by a
/// program, as the modification time can; both can still repeat for two writes within one
/// tick of the kernel's clock, which [`check_file`] covers by looking inside.
type FileStamp = (u64, u64, u64, i64, i64, i64, i64);

fn file_stamp(path: &std::path::Path) -> Option<FileStamp> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((
        m.dev(),
        m.ino(),
        m.len(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    ))
}

/// A read-only instance becomes the writer once the other one has closed, or once the file
/// or its folder may be written again.
pub fn take_over(app: &mut App, io: &mut LoopIo) -> bool {
    match io.store.try_session() {
        Ok(Some(lock)) => {
            io.session = Some(lock);
            // Merged while still read-only: nothing of ours waits to be written.
            merge_from_disk(app, io, false);
            app::update(app, Msg::Writable);
            true
        }
        Ok(None) => {
            app::update(app, Msg::ReadOnly(None));
            false
        }
        Err(e) => {
            let why = read_only_reason(app.lang, &e);
            app::update(app, Msg::ReadOnly(Some(why)));
            false
        }
    }
}

/// Why the ledger is shown read-only, when the session could not be taken.
pub fn read_only_reason(lang: crate::i18n::Lang, e: &StoreError) -> String {
    let t = lang.strings();
    match e {
        StoreError::ReadOnly { folder: None, .. } => t.read_only_file.to_string(),
        StoreError::ReadOnly {
            folder: Some(_), ..
        } => t.read_only_folder.to_string(),
        e => t.read_only_because.replace("{}", &e.to_string()),
    }
}

/// Writes the progress on the loop; if someone else wrote the file meanwhile, merges theirs
/// in first.
fn save(app: &mut App, io: &mut LoopIo) {
    if app.read_only {
        return;
    }
    let mut result = io.store.save(&app.progress, io.fingerprint);
    if let Err(StoreError::Changed { .. }) = result
        && merge_from_disk(app, io, true).is_some()
    {
        result = io.store.save(&app.progress, io.fingerprint);
    }
    record_save(app, io, app.revision, result);
}

/// How long the last save, at quit, keeps trying to get past other programs writing the file.
const FINAL_SAVE_FOR: Duration = Duration::from_secs(20);

/// Why the last save did not land, and where the changes went instead.
pub struct Lost {
    /// Why the ledger could not be written.
    pub error: String,
    /// The copy of the whole ledger as this session held it, or why that failed too.
    pub recovery: Result<std::path::PathBuf, RecoveryUnwritten>,
}

/// Why no recovery copy could be written: neither beside the ledger nor in the temporary
/// directory.
#[derive(Debug, thiserror::Error)]
#[error("{}: {beside_err}; {}: {elsewhere_err}", shown(.beside), shown(.elsewhere))]
pub struct RecoveryUnwritten {
    beside: std::path::PathBuf,
    beside_err: std::io::Error,
    elsewhere: std::path::PathBuf,
    elsewhere_err: std::io::Error,
}

/// The last save, at quit or on a signal: ours is merged into what the file holds under the
/// save lock (so rectify commands writing meanwhile cannot slip in between), retried while
/// another program keeps changing the file, for at most [`FINAL_SAVE_FOR`]. If it cannot land
/// (the file is unreadable, the disk is full), the ledger as held here goes to a recovery
/// file beside it. `None` when it is in the ledger.
pub fn final_save(app: &mut App, io: &mut LoopIo) -> Option<Lost> {
    if app.read_only {
        return None;
    }
    let revision = app.revision;
    // Most quits: nobody else wrote, and the file need not be read.
    if let Ok(fp) = io.store.save(&app.progress, io.fingerprint) {
        record_save(app, io, revision, Ok(fp));
        return None;
    }
    let start = Instant::now();
    let error = loop {
        match io.store.merge_in(&app.checklist.id, &app.progress) {
            Ok(_) => {
                let result = Ok(());
                app::update(app, Msg::Saved { revision, result });
                return None;
            }
            Err(StoreError::Changed { .. } | StoreError::Locked { .. })
                if start.elapsed() < FINAL_SAVE_FOR =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => break e,
        }
    };
    let lost = error.to_string();
    app::update(
        app,
        Msg::Saved {
            revision,
            result: Err(error),
        },
    );
    Some(Lost {
        error: lost,
        recovery: write_recovery(&io.store, &app.progress, app.now),
    })
}

/// Writes `progress` as a progress file beside the ledger (or, if that cannot be written, in
/// the temporary directory), for `rectify import` to take back in.
fn write_recovery(
    store: &Store,
    progress: &Progress,
    now: Stamp,
) -> Result<std::path::PathBuf, RecoveryUnwritten> {
    let text = crate::store::to_ron(progress);
    let beside = store.recovery_path(now);
    let beside_err = match crate::store::atomic_write(&beside, text.as_bytes()) {
        Ok(()) => return Ok(beside),
        Err(e) => e,
    };
    let elsewhere = std::env::temp_dir().join(beside.file_name().unwrap_or_default());
    match crate::store::atomic_write(&elsewhere, text.as_bytes()) {
        Ok(()) => Ok(elsewhere),
        Err(elsewhere_err) => Err(RecoveryUnwritten {
            beside,
            beside_err,
            elsewhere,
            elsewhere_err,
        }),
    }
}

/// Takes note of how a save of the ledger at `revision` went.
fn record_save(
    app: &mut App,
    io: &mut LoopIo,
    revision: u64,
    result: Result<Fingerprint, StoreError>,
) {
    let result = match result {
        Ok(fp) => {
            io.fingerprint = fp;
            io.stamp_file = file_stamp(io.store.path());
            io.last_failure = None;
            Ok(())
        }
        Err(e) => {
            io.last_failure = Some(Instant::now());
            Err(e)
        }
    };
    app::update(app, Msg::Saved { revision, result });
}

/// Starts saving in the background. While a save runs this does nothing: the change is
/// saved when that one ends (see [`save_ended`]).
pub fn save_soon(app: &mut App, io: &mut LoopIo) {
    if app.read_only || io.saving.is_some() {
        return;
    }
    if io.saver.is_none() && !io.no_thread {
        let wake = io.wake.as_ref().and_then(|w| w.try_clone().ok());
        io.saver = Saver::start(io.store.clone(), wake).ok();
    }
    let sent = io.saver.as_ref().is_some_and(|s| {
        s.jobs
            .send((Arc::clone(&app.progress), io.fingerprint))
            .is_ok()
    });
    if sent {
        io.saving = Some(app.revision);
    } else {
        // No thread to save with: save here.
        io.saver = None;
        io.no_thread = true;
        save(app, io);
    }
}

/// Takes the outcome of the background save if it has ended, or with `wait` once it ends.
/// Returns whether there was one.
pub fn save_ended(app: &mut App, io: &mut LoopIo, wait: bool) -> bool {
    let (Some(revision), Some(saver)) = (io.saving, io.saver.as_ref()) else {
        return false;
    };
    let result = if wait {
        saver.results.recv().ok()
    } else {
        match saver.results.try_recv() {
            Ok(r) => Some(r),
            Err(std::sync::mpsc::TryRecvError::Empty) => return false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
        }
    };
    io.saving = None;
    match result {
        // Someone else wrote: take theirs in, then ours still has to be written.
        Some(Err(StoreError::Changed { .. })) => {
            merge_from_disk(app, io, true);
        }
        Some(result) => record_save(app, io, revision, result),
        None => {
            // The thread is gone (it panicked): save here, now and from now on.
            io.saver = None;
            io.no_thread = true;
            save(app, io);
        }
    }
    if std::mem::take(&mut io.file_seen) {
        let look_inside = std::mem::take(&mut io.written_in_place_seen);
        check_file(app, io, look_inside);
    }
    if !wait && app.save == SaveState::Pending {
        save_soon(app, io);
    }
    true
}

/// Reads the file and has the app merge it in (see [`Msg::DiskChanged`]; `unwritten`: a
/// save of ours met the write). Returns what the app asks for then, or `None` when the
/// file could not be read (the error is shown; nothing is written over a file we cannot
/// read).
fn merge_from_disk(app: &mut App, io: &mut LoopIo, unwritten: bool) -> Option<Effect> {
    let on_disk = match io.store.load(&app.checklist.id) {
        Ok(snap) => {
            io.fingerprint = snap.fingerprint;
            io.stamp_file = file_stamp(io.store.path());
            Ok(Box::new(snap.progress))
        }
        Err(e) => {
            io.last_failure = Some(Instant::now());
            Err(e)
        }
    };
    let read = on_disk.is_ok();
    let effect = app::update(app, Msg::DiskChanged { on_disk, unwritten });
    read.then_some(effect)
}

/// Notices a write by another program (a CLI command, a sync tool) and merges it in.
/// Returns whether the screen should be redrawn.
/// With `look_inside` (the file was written in place, or the window came back into focus),
/// a file whose metadata is as it was is hashed and compared too: a write within one tick
/// of the kernel's clock leaves length and times as they were.
pub fn check_file(app: &mut App, io: &mut LoopIo, look_inside: bool) -> bool {
    if io.saving.is_some() {
        // Most likely our own save; looked at again when it ends.
        io.file_seen = true;
        io.written_in_place_seen |= look_inside;
        return false;
    }
    let now = file_stamp(io.store.path());
    if now == io.stamp_file
        && (!look_inside
            || io
                .store
                .fingerprint_now()
                .is_ok_and(|fp| fp == io.fingerprint))
    {
        return false;
    }
    io.stamp_file = now;
    // Our side may hold something the file lacks (a draft, or an unsaved change).
    if merge_from_disk(app, io, false) == Some(Effect::Save) {
        save_soon(app, io);
    }
    true
}

/// How long the loop may sleep with nothing happening: for ever, unless a failed save is to
/// be retried, or the file must be looked at (read-only, or no watch on its directory).
pub fn wake_after(app: &App, watching: bool) -> Option<Duration> {
    if matches!(app.save, SaveState::Failed(_)) {
        Some(SAVE_RETRY)
    } else if app.read_only || !watching {
        Some(FILE_CHECK)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
