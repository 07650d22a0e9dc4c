//! What the loop sleeps on: the terminal, a pipe the signal handlers write to (SIGWINCH
//! included, so a resize wakes it), and inotify on the ledger's directory. With nothing to
//! do it sleeps without a timeout: an idle ledger costs no CPU and writes nothing.

use std::io::{self, Read as _};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::fs::inotify::{self, ReadFlags, WatchFlags};

pub struct Waker {
    signals: UnixStream,
    /// The other end of `signals`, for the background save to wake the loop with.
    pub sender: UnixStream,
    inotify: Option<OwnedFd>,
    /// The ledger's file name, to pick its events out of the directory's.
    ledger: std::ffi::OsString,
}

#[derive(Default)]
pub struct Wake {
    pub terminal: bool,
    pub hangup: bool,
    pub signal: bool,
    /// The ledger was created, replaced, deleted or written in place.
    pub file: bool,
    /// The ledger was written in place (opened for writing and closed), which can leave its
    /// length and times as they were: its content must be looked at.
    pub written_in_place: bool,
}

impl Waker {
    /// Without the watch on the ledger's directory: see [`Waker::watch`].
    pub fn new(signal: &Arc<AtomicUsize>) -> io::Result<Waker> {
        let (rx, tx) = UnixStream::pair()?;
        rx.set_nonblocking(true)?;
        tx.set_nonblocking(true)?;
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register_usize(sig, Arc::clone(signal), sig as usize)?;
        }
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGWINCH] {
            signal_hook::low_level::pipe::register(sig, tx.try_clone()?)?;
        }
        Ok(Waker {
            sender: tx.try_clone()?,
            signals: rx,
            inotify: None,
            ledger: Default::default(),
        })
    }

    /// Starts watching the ledger's directory. Done after the first frame: the kernel marks
    /// every entry of the directory, 1 to 3 ms in a full one such as /tmp. A change in
    /// between is still caught when the next save finds the file not as it was read.
    pub fn watch(&mut self, ledger: &std::path::Path) {
        self.inotify = watch_dir(ledger);
        self.ledger = ledger.file_name().unwrap_or_default().to_os_string();
    }

    pub fn watching(&self) -> bool {
        self.inotify.is_some()
    }

    pub fn wait(&self, timeout: Option<Duration>) -> io::Result<Wake> {
        let stdin = io::stdin();
        let mut fds = vec![
            PollFd::new(&stdin, PollFlags::IN),
            PollFd::new(&self.signals, PollFlags::IN),
        ];
        if let Some(fd) = &self.inotify {
            fds.push(PollFd::new(fd, PollFlags::IN));
        }
        let timeout = timeout.and_then(|t| Timespec::try_from(t).ok());
        match rustix::event::poll(&mut fds, timeout.as_ref()) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => return Ok(Wake::default()),
            Err(e) => return Err(e.into()),
        }
        let hangup = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
        let mut wake = Wake {
            terminal: fds[0].revents().contains(PollFlags::IN),
            hangup: fds[0].revents().intersects(hangup),
            signal: fds[1].revents().contains(PollFlags::IN),
            file: false,
            written_in_place: false,
        };
        let inotify_ready = fds
            .get(2)
            .is_some_and(|f| f.revents().contains(PollFlags::IN));
        drop(fds);
        if wake.signal {
            let mut buf = [0u8; 4096];
            while (&self.signals).read(&mut buf).is_ok_and(|n| n > 0) {}
        }
        if inotify_ready && let Some(fd) = &self.inotify {
            use std::os::unix::ffi::OsStrExt;
            let mut buf = [std::mem::MaybeUninit::uninit(); 4096];
            let mut events = inotify::Reader::new(fd, &mut buf);
            while let Ok(event) = events.next() {
                let name = event.file_name().map_or(&[][..], |n| n.to_bytes());
                if ledger_event(event.events(), name, self.ledger.as_bytes()) {
                    wake.file = true;
                    wake.written_in_place |= event
                        .events()
                        .intersects(ReadFlags::CLOSE_WRITE | ReadFlags::QUEUE_OVERFLOW);
                }
            }
        }
        if wake.hangup {
            wake.terminal = false;
        }
        Ok(wake)
    }
}

/// Whether an inotify event on the ledger's directory is about the ledger. Events of other
/// files (the `.bak`, the locks, other ledgers) are left out; a lost event queue counts.
fn ledger_event(flags: ReadFlags, name: &[u8], ledger: &[u8]) -> bool {
    flags.contains(ReadFlags::QUEUE_OVERFLOW) || name == ledger
}

/// inotify on the directory of the ledger (the file itself is replaced on every save, so
/// watching it would lose track). `None` where inotify is not available: then the loop
/// falls back to looking every second.
fn watch_dir(ledger: &std::path::Path) -> Option<OwnedFd> {
    let dir = ledger.parent().filter(|d| !d.as_os_str().is_empty())?;
    let fd = inotify::init(inotify::CreateFlags::NONBLOCK | inotify::CreateFlags::CLOEXEC).ok()?;
    let mask =
        WatchFlags::CLOSE_WRITE | WatchFlags::MOVED_TO | WatchFlags::CREATE | WatchFlags::DELETE;
    inotify::add_watch(&fd, dir, mask).ok()?;
    Some(fd)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The directory's events are picked for the ledger's own: a write in place, a rename
    /// onto it, an overflow; not the backup's or the lock's.
    #[test]
    fn only_the_ledgers_own_events_wake_the_check() {
        let ledger = b"p.ron";
        for other in ["p.ron.bak", "p.ron.lock", "q.ron", ""] {
            for flags in [
                ReadFlags::CLOSE_WRITE,
                ReadFlags::MOVED_TO,
                ReadFlags::CREATE,
            ] {
                assert!(!ledger_event(flags, other.as_bytes(), ledger), "{other}");
            }
        }
        assert!(ledger_event(ReadFlags::MOVED_TO, ledger, ledger));
        assert!(ledger_event(ReadFlags::CLOSE_WRITE, ledger, ledger));
        assert!(ledger_event(ReadFlags::QUEUE_OVERFLOW, b"", ledger));
    }

    /// A real watch: a write in place of the ledger wakes the wait and says so; a write of
    /// its backup does not.
    #[test]
    fn a_write_in_place_wakes_the_wait() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        std::fs::write(&path, "a").unwrap();
        // Without `Waker::new`, which would take the test process's signals.
        let (signals, sender) = UnixStream::pair().unwrap();
        let mut waker = Waker {
            signals,
            sender,
            inotify: None,
            ledger: Default::default(),
        };
        waker.watch(&path);
        assert!(waker.watching());
        // The wait also returns for the test's stdin, whatever that is: wait a few times.
        let file_woken = |waker: &Waker| {
            (0..20).any(|_| {
                let w = waker.wait(Some(Duration::from_millis(50))).unwrap();
                w.file && w.written_in_place
            })
        };
        std::fs::write(dir.path().join("p.ron.bak"), "b").unwrap();
        assert!(!file_woken(&waker));
        std::fs::write(&path, "c").unwrap();
        assert!(file_woken(&waker));
    }
}
