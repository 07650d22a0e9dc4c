//! The event loop: the one place where terminal events become messages for
//! [`update`](crate::app::update) and effects become I/O (saving, exporting, mouse capture).
//! It also owns the promise that work survives a quit, Ctrl-C, SIGTERM, SIGHUP or a panic,
//! and that the terminal is given back as it was.

use std::io::{self, Stdout, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableFocusChange, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;

use crate::app::{self, App, Effect, KeyMap, Mode, Msg, SaveState};
use crate::cli::{CliError, Context};
use crate::model::{Progress, Stamp};
use crate::store::{Fingerprint, Store, StoreError};

/// A ledger file this large is read after the first frame. At 1 MiB (some 500 problems
/// with their notes) reading it takes about 3 ms.
const READ_AFTER_FIRST_FRAME: u64 = 1 << 20;

/// Without inotify, or while read-only, how often the loop looks at the file.
const FILE_CHECK: Duration = Duration::from_secs(1);
const SAVE_RETRY: Duration = Duration::from_secs(2);

/// The key map file: `keys.ron` in the config directory.
pub fn keymap_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "rectify").map(|d| d.config_dir().join("keys.ron"))
}

/// Runs the full-screen ledger until the user quits. Returns the exit code.
pub fn run(ctx: Context) -> Result<u8, CliError> {
    if !crossterm::tty::IsTty::is_tty(&io::stdout()) || !crossterm::tty::IsTty::is_tty(&io::stdin())
    {
        return Err(CliError {
            message: "the ledger view needs a terminal; use `rectify list` or `rectify export` in scripts".into(),
            code: 2,
        });
    }
    // A large ledger is read after a first frame of the checklist (see `App::reading`); a
    // small one before, so that it is never drawn twice.
    let large = std::fs::metadata(ctx.store.path())
        .map(|m| m.len())
        .ok()
        .filter(|&len| len >= READ_AFTER_FIRST_FRAME);
    let snapshot = match large {
        None => Some(ctx.store.load(&ctx.checklist.id)?),
        Some(_) => None,
    };
    let keymap = match keymap_path().filter(|p| p.exists()) {
        Some(p) => KeyMap::load(&p).map_err(|m| CliError {
            message: m,
            code: 1,
        })?,
        None => KeyMap::default(),
    };
    // Held while open: a second instance cannot get it and opens read-only. A ledger that
    // may not be written (the file read-only, its folder read-only, its `.open` not to be
    // made) is shown read-only too, saying why, rather than not at all.
    let (session, read_only_why) = match ctx.store.try_session() {
        Ok(session) => (session, None),
        Err(e) => (None, Some(read_only_reason(ctx.lang, &e))),
    };
    let (progress, fingerprint) = match snapshot {
        Some(s) => (s.progress, Some(s.fingerprint)),
        None => (Progress::new(&ctx.checklist.id), None),
    };
    let mut app = App::new(ctx.checklist, progress, ctx.lang, ctx.now);
    app.reading = large;
    app.keymap = keymap;
    app.read_only = session.is_none();
    app.message.clone_from(&read_only_why);
    app.read_only_why = read_only_why;
    if session.is_some() && ctx.store.path().exists() {
        // A save killed last time may have left its temporary file.
        let _ = ctx.store.tidy();
    }

    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());

    let signal = Arc::new(AtomicUsize::new(0));
    let mut waker = Waker::new(&signal).map_err(CliError::from)?;

    let mut terminal = setup_terminal().map_err(CliError::from)?;
    install_panic_hook();
    let size = terminal.size().map_err(CliError::from)?;
    app::update(
        &mut app,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let fingerprint = match fingerprint {
        Some(f) => f,
        // Keys pressed meanwhile wait in the terminal; nothing can change the empty ledger
        // on screen, so nothing can be saved over the file being read.
        None => {
            let read = terminal
                .draw(|f| crate::ui::draw(f, &app))
                .map_err(CliError::from)
                .and_then(|_| Ok(ctx.store.load(&app.checklist.id)?));
            match read {
                Ok(snapshot) => {
                    app.ledger_read(snapshot.progress);
                    snapshot.fingerprint
                }
                Err(e) => {
                    restore_terminal();
                    return Err(e);
                }
            }
        }
    };
    let mut io = LoopIo::new(ctx.store, fingerprint);
    io.session = session;
    io.author_source = Some(ctx.author_source.clone());
    io.wake = waker.sender.try_clone().ok();

    let outcome = catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut terminal, &mut app, &mut io, &signal, &mut waker)
    }));

    // Whatever happened, keep the work: the save under way ends, the open editor's text
    // becomes the item's draft, and what is not on disk yet is saved here.
    app.now = Stamp::now();
    save_ended(&mut app, &mut io, true);
    let unsaved = app.stash_draft()
        || app.save == SaveState::Pending
        || matches!(app.save, SaveState::Failed(_));
    let lost = if unsaved {
        final_save(&mut app, &mut io)
    } else {
        None
    };
    restore_terminal();
    drop(io.session.take());
    if let Some(lost) = &lost {
        let recovery = lost.recovery.as_deref().map_err(String::as_str);
        for line in crate::i18n::not_saved_at_quit(app.lang, &lost.error, recovery) {
            eprintln!("rectify: {line}");
        }
    }
    match outcome {
        // The user's change is not in the ledger: never say success.
        Ok(Ok(0)) if lost.is_some() => Ok(1),
        Ok(Ok(code)) => Ok(code),
        Ok(Err(e)) => Err(CliError::from(e)),
        Err(_) => {
            eprintln!(
                "rectify: crashed; what could be saved was saved to {}",
                io.store.path().display()
            );
            Ok(101)
        }
    }
}

struct LoopIo {
    store: Store,
    fingerprint: Fingerprint,
    last_check: Instant,
    last_failure: Option<Instant>,
    /// The file's identity, length and times when last seen, to notice outside writes
    /// without reading the file every second.
    stamp_file: Option<FileStamp>,
    /// The lock that makes this the one writer; `None` while read-only.
    session: Option<crate::store::Session>,
    /// The author's name, until it has arrived from the thread that looks it up.
    author: Option<std::sync::mpsc::Receiver<Option<String>>>,
    /// Where to look the author up, until the thread doing so has started.
    author_source: Option<(crate::author::Config, std::path::PathBuf)>,
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
    wake: Option<std::os::unix::net::UnixStream>,
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
    fn new(store: Store, fingerprint: Fingerprint) -> LoopIo {
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

type Term = Terminal<crate::screen::Screen<Stdout>>;

fn setup_terminal() -> io::Result<Term> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        EnableFocusChange
    )?;
    Terminal::new(crate::screen::Screen::new(out))
}

/// Gives the terminal back: raw mode off, main screen, cursor shown, mouse and paste off.
/// Safe to call twice (the panic hook and the normal exit both do).
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        DisableFocusChange,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = io::stdout().flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// How long the loop looks for an event crossterm has buffered: see [`event_loop`].
const BUFFERED_LOOK: Duration = Duration::from_micros(100);

/// What the loop sleeps on: the terminal, a pipe the signal handlers write to (SIGWINCH
/// included, so a resize wakes it), and inotify on the ledger's directory. With nothing to
/// do it sleeps without a timeout: an idle ledger costs no CPU and writes nothing.
struct Waker {
    signals: std::os::unix::net::UnixStream,
    /// The other end of `signals`, for the background save to wake the loop with.
    sender: std::os::unix::net::UnixStream,
    inotify: Option<std::os::fd::OwnedFd>,
    /// The ledger's file name, to pick its events out of the directory's.
    ledger: std::ffi::OsString,
}

#[derive(Default)]
struct Wake {
    terminal: bool,
    hangup: bool,
    signal: bool,
    /// The ledger was created, replaced, deleted or written in place.
    file: bool,
    /// The ledger was written in place (opened for writing and closed), which can leave its
    /// length and times as they were: its content must be looked at.
    written_in_place: bool,
}

impl Waker {
    /// Without the watch on the ledger's directory: see [`Waker::watch`].
    fn new(signal: &Arc<AtomicUsize>) -> io::Result<Waker> {
        let (rx, tx) = std::os::unix::net::UnixStream::pair()?;
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
    fn watch(&mut self, ledger: &std::path::Path) {
        self.inotify = watch_dir(ledger);
        self.ledger = ledger.file_name().unwrap_or_default().to_os_string();
    }

    #[allow(unsafe_code)] // poll and read through libc, until they move to rustix.
    fn wait(&self, timeout: Option<Duration>) -> io::Result<Wake> {
        use std::os::fd::AsRawFd;
        let mut fds = vec![
            libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: self.signals.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        if let Some(fd) = &self.inotify {
            fds.push(libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
        }
        let ms = timeout.map_or(-1, |t| t.as_millis().min(i32::MAX as u128) as i32);
        // SAFETY: `fds` is a valid array of pollfd for its length.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
        if n < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::Interrupted {
                Ok(Wake::default())
            } else {
                Err(e)
            };
        }
        let mut wake = Wake {
            terminal: fds[0].revents & libc::POLLIN != 0,
            hangup: fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0,
            signal: fds[1].revents & libc::POLLIN != 0,
            file: false,
            written_in_place: false,
        };
        let inotify_ready = fds.get(2).is_some_and(|f| f.revents & libc::POLLIN != 0);
        let mut buf = [0u8; 4096];
        if wake.signal {
            while (&self.signals).read(&mut buf).is_ok_and(|n| n > 0) {}
        }
        if inotify_ready && let Some(fd) = &self.inotify {
            use std::os::unix::ffi::OsStrExt;
            loop {
                // SAFETY: reading into a buffer we own from a non-blocking descriptor.
                let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
                let Ok(n @ 1..) = usize::try_from(n) else {
                    break;
                };
                let seen = ledger_events(&buf[..n], self.ledger.as_bytes());
                wake.file |= seen.file;
                wake.written_in_place |= seen.written_in_place;
            }
        }
        if wake.hangup {
            wake.terminal = false;
        }
        Ok(wake)
    }
}

use std::io::Read as _;

/// What a buffer of inotify events on the ledger's directory says of the ledger. Events of
/// other files (the `.bak`, the locks, other ledgers) are left out; a lost event queue
/// counts as a change.
fn ledger_events(mut buf: &[u8], ledger: &[u8]) -> Wake {
    // struct inotify_event: wd (i32), mask, cookie, len (u32), then `len` bytes of name,
    // padded with NULs.
    const HEAD: usize = 16;
    let mut wake = Wake::default();
    while buf.len() >= HEAD {
        let word = |at: usize| u32::from_ne_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
        let (mask, len) = (word(4), word(12) as usize);
        let name = &buf[HEAD..(HEAD + len).min(buf.len())];
        let name = name.split(|&b| b == 0).next().unwrap_or_default();
        if mask & libc::IN_Q_OVERFLOW != 0 || name == ledger {
            wake.file = true;
            wake.written_in_place |= mask & (libc::IN_CLOSE_WRITE | libc::IN_Q_OVERFLOW) != 0;
        }
        buf = &buf[(HEAD + len).min(buf.len())..];
    }
    wake
}

/// inotify on the directory of the ledger (the file itself is replaced on every save, so
/// watching it would lose track). `None` where inotify is not available: then the loop
/// falls back to looking every second.
#[allow(unsafe_code)] // inotify through libc, until it moves to rustix.
fn watch_dir(ledger: &std::path::Path) -> Option<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    use std::os::unix::ffi::OsStrExt;
    let dir = ledger.parent().filter(|d| !d.as_os_str().is_empty())?;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: plain system calls; the descriptor is owned from here on.
    unsafe {
        let fd = libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC);
        if fd < 0 {
            return None;
        }
        let owned = std::os::fd::OwnedFd::from_raw_fd(fd);
        let mask = libc::IN_CLOSE_WRITE | libc::IN_MOVED_TO | libc::IN_CREATE | libc::IN_DELETE;
        (libc::inotify_add_watch(fd, c.as_ptr(), mask) >= 0).then_some(owned)
    }
}

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    io: &mut LoopIo,
    signal: &AtomicUsize,
    waker: &mut Waker,
) -> io::Result<u8> {
    terminal.draw(|f| crate::ui::draw(f, app))?;
    // After the first frame, so as not to delay it: the watch on the ledger's directory,
    // and the author, found in the background (asking git takes a process start) and
    // needed only once the user does something.
    waker.watch(io.store.path());
    if let Some((config, dir)) = io.author_source.take() {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(crate::author::resolve(&config, &dir));
        });
        io.author = Some(rx);
    }
    let mut dirty_screen = false;
    loop {
        dirty_screen |= save_ended(app, io, false);
        if dirty_screen {
            terminal.draw(|f| crate::ui::draw(f, app))?;
            dirty_screen = false;
        }
        let sig = signal.load(Ordering::SeqCst);
        if sig != 0 {
            return Ok(128 + sig as u8);
        }
        // An event crossterm has read already, or input waiting. crossterm looks at what it
        // has buffered only inside its wait loop, which a zero timeout never enters, and it
        // waits by calling poll(…, 0) until the time is up (it counts whole milliseconds).
        // So the timeout is as short as still surely enters that loop: 1 ms kept a core
        // busy after every key, and on two cores that delayed the terminal's own delivery
        // of the frame just drawn by up to that millisecond.
        if event::poll(BUFFERED_LOOK)? {
            dirty_screen = true;
            let ev = event::read()?;
            if matches!(ev, Event::Resize(..)) {
                terminal.backend().forget_size();
            }
            if let Some(code) = handle(app, io, ev)? {
                return Ok(code);
            }
            continue;
        }
        // Sleep until something happens; wake on a timer only to retry a failed save, or
        // while read-only to see whether the other instance has closed.
        let wake = waker.wait(wake_after(app, waker.inotify.is_some()))?;
        if wake.signal {
            // Perhaps SIGWINCH, which crossterm turns into a resize event only once it reads
            // events. (The same pipe brings the other signals and the end of a background
            // save: asking the size again then costs one look at the terminal.)
            terminal.backend().forget_size();
            dirty_screen = true;
        }
        if wake.hangup {
            // The window was closed and no SIGHUP came (or it went to another process).
            return Ok(128 + signal_hook::consts::SIGHUP as u8);
        }
        // Input and resizes (SIGWINCH becomes crossterm's event) are read at the top.
        if wake.file || (waker.inotify.is_none() && io.last_check.elapsed() >= FILE_CHECK) {
            io.last_check = Instant::now();
            dirty_screen |= check_file(app, io, wake.written_in_place);
        }
        if app.read_only && take_over(app, io) {
            dirty_screen = true;
        }
        if matches!(app.save, SaveState::Failed(_))
            && io.last_failure.is_some_and(|t| t.elapsed() >= SAVE_RETRY)
        {
            app.now = Stamp::now();
            save_soon(app, io);
            dirty_screen = true;
        }
    }
}

/// How long the loop may sleep with nothing happening: for ever, unless a failed save is to
/// be retried, or the file must be looked at (read-only, or no watch on its directory).
fn wake_after(app: &App, watching: bool) -> Option<Duration> {
    if matches!(app.save, SaveState::Failed(_)) {
        Some(SAVE_RETRY)
    } else if app.read_only || !watching {
        Some(FILE_CHECK)
    } else {
        None
    }
}

/// One terminal event: turned into a message, applied, and its effect carried out.
/// Returns an exit code when the user quits.
fn handle(app: &mut App, io: &mut LoopIo, ev: Event) -> io::Result<Option<u8>> {
    // A crash on demand, for the test that a panic still saves and restores the terminal.
    if let Event::Key(k) = &ev
        && k.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("RECTIFY_TEST_PANIC").is_some()
    {
        panic!("a panic asked for by RECTIFY_TEST_PANIC");
    }
    app.now = Stamp::now();
    if let Some(rx) = io.author.take() {
        app.author = rx.recv().unwrap_or(None);
    }
    let msg = match ev {
        Event::Key(k) if k.kind == KeyEventKind::Release => None,
        Event::Key(k) => match app.mode {
            Mode::Normal => app.keymap.action(&k).map(Msg::Act),
            _ => Some(Msg::Key(k)),
        },
        Event::Paste(s) => Some(Msg::Paste(s)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click {
                col: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollUp => Some(Msg::Scroll(-1)),
            MouseEventKind::ScrollDown => Some(Msg::Scroll(1)),
            _ => None,
        },
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::FocusGained => {
            check_file(app, io, true);
            None
        }
        _ => None,
    };
    if let Some(msg) = msg {
        match app::update(app, msg) {
            Effect::None => {}
            Effect::Save => save_soon(app, io),
            Effect::Quit => return Ok(Some(0)),
            Effect::Export(format) => export(app, format),
            Effect::Mouse(on) => {
                if on {
                    execute!(io::stdout(), EnableMouseCapture)?;
                } else {
                    execute!(io::stdout(), DisableMouseCapture)?;
                }
            }
        }
    }
    Ok(None)
}

/// A read-only instance becomes the writer once the other one has closed, or once the file
/// or its folder may be written again.
fn take_over(app: &mut App, io: &mut LoopIo) -> bool {
    match io.store.try_session() {
        Ok(Some(lock)) => {
            io.session = Some(lock);
            app.read_only = false;
            merge_from_disk(app, io);
            let t = app.lang.strings();
            let news = match app.read_only_why.take() {
                Some(_) => t.writable_now,
                None => t.writable,
            };
            app.message = Some(news.to_string());
            true
        }
        // Still read-only; why may have changed (the file made writable while another
        // window has it open).
        Ok(None) => {
            app.read_only_why = None;
            false
        }
        Err(e) => {
            app.read_only_why = Some(read_only_reason(app.lang, &e));
            false
        }
    }
}

/// Why the ledger is shown read-only, when the session could not be taken.
fn read_only_reason(lang: crate::i18n::Lang, e: &StoreError) -> String {
    let t = lang.strings();
    match e {
        StoreError::ReadOnly { folder: None, .. } => t.read_only_file.to_string(),
        StoreError::ReadOnly {
            folder: Some(_), ..
        } => t.read_only_folder.to_string(),
        e => t.read_only_because.replace("{}", &e.to_string()),
    }
}

/// Writes the progress; if someone else wrote the file meanwhile, merges theirs in first.
fn save(app: &mut App, io: &mut LoopIo) {
    if app.read_only {
        return;
    }
    let mut result = io.store.save(&app.progress, io.fingerprint);
    if let Err(StoreError::Changed { .. }) = result
        && merge_from_disk(app, io).is_some()
    {
        result = io.store.save(&app.progress, io.fingerprint);
    }
    record_save(app, io, result, true);
}

/// How long the last save, at quit, keeps trying to get past other programs writing the file.
const FINAL_SAVE_FOR: Duration = Duration::from_secs(20);

/// Why the last save did not land, and where the changes went instead.
pub struct Lost {
    /// Why the ledger could not be written.
    pub error: String,
    /// The copy of the whole ledger as this session held it, or why that failed too.
    pub recovery: Result<std::path::PathBuf, String>,
}

/// The last save, at quit or on a signal: ours is merged into what the file holds under the
/// save lock (so rectify commands writing meanwhile cannot slip in between), retried while
/// another program keeps changing the file, for at most [`FINAL_SAVE_FOR`]. If it cannot land
/// (the file is unreadable, the disk is full), the ledger as held here goes to a recovery
/// file beside it. `None` when it is in the ledger.
fn final_save(app: &mut App, io: &mut LoopIo) -> Option<Lost> {
    if app.read_only {
        return None;
    }
    // Most quits: nobody else wrote, and the file need not be read.
    if let Ok(fp) = io.store.save(&app.progress, io.fingerprint) {
        record_save(app, io, Ok(fp), true);
        return None;
    }
    let start = Instant::now();
    let error = loop {
        match io.store.merge_in(&app.checklist.id, &app.progress) {
            Ok(_) => {
                app.save = SaveState::Saved(app.now);
                return None;
            }
            Err(StoreError::Changed { .. } | StoreError::Locked { .. })
                if start.elapsed() < FINAL_SAVE_FOR =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => break e.to_string(),
        }
    };
    app.save = SaveState::Failed(error.clone());
    Some(Lost {
        error,
        recovery: write_recovery(&io.store, &app.progress, app.now),
    })
}

/// Writes `progress` as a progress file beside the ledger (or, if that cannot be written, in
/// the temporary directory), for `rectify import` to take back in.
fn write_recovery(
    store: &Store,
    progress: &Progress,
    now: Stamp,
) -> Result<std::path::PathBuf, String> {
    let text = crate::store::to_ron(progress);
    let beside = store.recovery_path(now);
    let first = match crate::store::atomic_write(&beside, text.as_bytes()) {
        Ok(()) => return Ok(beside),
        Err(e) => format!("{}: {e}", crate::store::shown(&beside)),
    };
    let name = beside.file_name().unwrap_or_default();
    let elsewhere = std::env::temp_dir().join(name);
    crate::store::atomic_write(&elsewhere, text.as_bytes())
        .map(|()| elsewhere.clone())
        .map_err(|e| format!("{first}; {}: {e}", crate::store::shown(&elsewhere)))
}

/// Takes note of how a save went. `current`: the ledger is still what was saved, so it can
/// be shown as saved.
fn record_save(
    app: &mut App,
    io: &mut LoopIo,
    result: Result<Fingerprint, StoreError>,
    current: bool,
) {
    match result {
        Ok(fp) => {
            io.fingerprint = fp;
            io.stamp_file = file_stamp(io.store.path());
            io.last_failure = None;
            if current {
                app.save = SaveState::Saved(app.now);
            } else if matches!(app.save, SaveState::Failed(_)) {
                // A retry landed, but the ledger moved on meanwhile (a merge): no longer a
                // failure, and what is newer is saved next.
                app.save = SaveState::Pending;
            }
        }
        Err(e) => {
            app.save = SaveState::Failed(e.to_string());
            io.last_failure = Some(Instant::now());
        }
    }
}

/// Starts saving in the background. While a save runs this does nothing: the change is
/// saved when that one ends (see [`save_ended`]).
fn save_soon(app: &mut App, io: &mut LoopIo) {
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
fn save_ended(app: &mut App, io: &mut LoopIo, wait: bool) -> bool {
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
        Some(Err(StoreError::Changed { .. })) => {
            // Someone else wrote: take theirs in, then ours still has to be written.
            if merge_from_disk(app, io).is_some() {
                app.save = SaveState::Pending;
            }
        }
        Some(result) => {
            // A retry of a failed save counts too: once it lands, the failure is over.
            let current = app.revision == revision
                && matches!(app.save, SaveState::Pending | SaveState::Failed(_));
            record_save(app, io, result, current);
        }
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

/// Reads the file and merges it into the app. Returns what the file held, for a caller that
/// asks whether ours holds more, or `None` when the file could not be read (the error is
/// shown; nothing is written over a file we cannot read).
fn merge_from_disk(app: &mut App, io: &mut LoopIo) -> Option<Progress> {
    match io.store.load(&app.checklist.id) {
        Ok(snap) => {
            app.merged_from_disk(&snap.progress);
            io.fingerprint = snap.fingerprint;
            io.stamp_file = file_stamp(io.store.path());
            Some(snap.progress)
        }
        Err(e) => {
            app.save = SaveState::Failed(e.to_string());
            io.last_failure = Some(Instant::now());
            None
        }
    }
}

/// Notices a write by another program (a CLI command, a sync tool) and merges it in.
/// Returns whether the screen should be redrawn.
/// With `look_inside` (the file was written in place, or the window came back into focus),
/// a file whose metadata is as it was is hashed and compared too: a write within one tick
/// of the kernel's clock leaves length and times as they were.
fn check_file(app: &mut App, io: &mut LoopIo, look_inside: bool) -> bool {
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
    let before = app.progress.clone();
    let Some(on_disk) = merge_from_disk(app, io) else {
        return true;
    };
    // Our side had something the file lacks (a draft, or an unsaved change). Compared with
    // what was just read, not read again: that was a second load of the whole file.
    if !app.read_only && app.progress != before && *app.progress != on_disk {
        app.save = SaveState::Pending;
        save_soon(app, io);
    }
    true
}

fn export(app: &mut App, format: crate::export::Format) {
    let name = format!("rectify-summary-{}.{}", app.today(), format.extension());
    let path = std::env::current_dir()
        .map(|d| d.join(&name))
        .unwrap_or_else(|_| name.clone().into());
    let report = crate::export::render_made(
        format,
        &app.checklist,
        &app.progress,
        app.lang,
        app.today(),
        crate::export::Round::default(),
        crate::export::Made {
            at: app.now,
            by: app.author.as_deref(),
        },
    );
    // The file is in the current directory: its name says where.
    let shown = crate::text::visible(&name).into_owned();
    let written = report.map(|r| crate::store::atomic_write_pieces(&path, r.pieces()));
    app.message = Some(match written {
        Ok(Ok(())) => format!("{}: {shown}", app.lang.strings().exported),
        Ok(Err(e)) => format!("{shown}: {e}"),
        Err(e) => e,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Checklist, Progress, Status};

    fn at(s: &str) -> Stamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_second_session_on_the_same_file_is_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("d/p.ron"));
        let first = store.try_session().unwrap();
        assert!(first.is_some());
        assert!(store.try_session().unwrap().is_none(), "busy: read-only");
        drop(first);
        assert!(
            store.try_session().unwrap().is_some(),
            "free again once closed"
        );
    }

    #[test]
    fn a_read_only_instance_takes_over_when_the_other_closes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("p.ron"));
        let c = Checklist::embedded();
        let other = store.try_session().unwrap();
        let mut app = ledger_app(&c, Progress::new(&c.id));
        app.read_only = true;
        let mut io = LoopIo::new(store.clone(), Fingerprint::Absent);
        assert!(!take_over(&mut app, &mut io), "still held");
        store
            .update(&c.id, |p| {
                (
                    p.set_status("1.1", Status::Resolved, at("2026-11-29T14:01:00+08:00")),
                    (),
                )
            })
            .unwrap();
        drop(other);
        assert!(take_over(&mut app, &mut io));
        assert!(!app.read_only && io.session.is_some());
        assert_eq!(
            app.progress.status("1.1"),
            Status::Resolved,
            "reads what the other wrote"
        );
    }

    #[test]
    fn a_write_by_another_program_is_merged_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("p.ron"));
        let c = Checklist::embedded();
        let snap = store.load(&c.id).unwrap();
        let mut app = ledger_app(&c, snap.progress);
        let mut io = LoopIo::new(store.clone(), snap.fingerprint);
        let now = app.now;
        app.progress_mut().set_status("1.1", Status::Resolved, now);
        app.undo.push(app::UndoStep {
            item: "1.1".into(),
            before: None,
        });
        save(&mut app, &mut io);
        assert!(matches!(app.save, SaveState::Saved(_)));

        // A CLI command adds a note behind the TUI's back...
        store
            .update(&c.id, |p| {
                (
                    p.add_note("2.1", "from the CLI", at("2026-11-29T14:01:00+08:00"))
                        .is_ok(),
                    (),
                )
            })
            .unwrap();
        // ...while the TUI has a change of its own not yet written.
        app.progress_mut()
            .set_status("3.1", Status::InProgress, at("2026-11-29T14:02:00+08:00"));
        save(&mut app, &mut io);
        let on_disk = store.load(&c.id).unwrap().progress;
        assert_eq!(on_disk.item("2.1").unwrap().notes[0].text, "from the CLI");
        assert_eq!(on_disk.status("3.1"), Status::InProgress);
        assert_eq!(on_disk.status("1.1"), Status::Resolved);
        assert_eq!(*app.progress, on_disk);
        assert!(app.undo.is_empty(), "undo cannot drop what came in");
        assert_eq!(app.message.as_deref(), Some("1 note merged"));

        // Noticed without a save of ours, too.
        store
            .update(&c.id, |p| {
                (
                    p.add_note("2.2", "again", at("2026-11-29T14:03:00+08:00"))
                        .is_ok(),
                    (),
                )
            })
            .unwrap();
        io.stamp_file = None;
        assert!(check_file(&mut app, &mut io, false));
        assert_eq!(app.progress.item("2.2").unwrap().notes.len(), 1);
    }

    #[test]
    fn a_failed_save_keeps_the_edits_and_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: every save fails.
        let path = dir.path().join("p.ron");
        std::fs::create_dir(&path).unwrap();
        let store = Store::new(&path);
        let c = Checklist::embedded();
        let mut app = ledger_app(&c, Progress::new(&c.id));
        let mut io = LoopIo::new(store, Fingerprint::Absent);
        let now = app.now;
        app.progress_mut().set_status("1.1", Status::Resolved, now);
        save(&mut app, &mut io);
        let SaveState::Failed(e) = &app.save else {
            panic!("{:?}", app.save)
        };
        assert!(e.contains("p.ron"), "{e}");
        assert!(io.last_failure.is_some(), "will be retried");
        assert_eq!(
            app.progress.status("1.1"),
            Status::Resolved,
            "edits stay in memory"
        );
    }

    /// The ledger view of `progress`, in English, at a fixed time.
    fn ledger_app(c: &Checklist, progress: Progress) -> App {
        App::new(
            c.clone(),
            progress,
            crate::i18n::Lang::En,
            at("2026-11-29T14:00:00+08:00"),
        )
    }

    fn change(app: &mut App, id: &str, note: &str) {
        let now = app.now;
        app.progress_mut().add_note(id, note, now).unwrap();
        app.touched();
    }

    /// A save runs beside the loop; a change made while it runs is not lost but saved by
    /// the next one, and only then is the ledger shown as saved.
    #[test]
    fn a_change_made_during_a_background_save_is_saved_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("p.ron"));
        let c = Checklist::embedded();
        let mut app = ledger_app(&c, Progress::new(&c.id));
        let mut io = LoopIo::new(store.clone(), Fingerprint::Absent);
        change(&mut app, "1.1", "第一條");
        save_soon(&mut app, &mut io);
        assert!(io.saving.is_some(), "running in the background");
        change(&mut app, "1.2", "保存期間寫的");
        save_soon(&mut app, &mut io);
        assert!(save_ended(&mut app, &mut io, true));
        assert_eq!(
            app.save,
            SaveState::Pending,
            "the second change is not on disk yet"
        );
        let on_disk = store.load(&c.id).unwrap().progress;
        assert_eq!(on_disk.item("1.1").unwrap().notes.len(), 1);
        save_soon(&mut app, &mut io);
        assert!(save_ended(&mut app, &mut io, true));
        assert!(matches!(app.save, SaveState::Saved(_)), "{:?}", app.save);
        assert_eq!(store.load(&c.id).unwrap().progress, *app.progress);
        assert!(!save_ended(&mut app, &mut io, false), "nothing running");
    }

    /// Another program writes while our save is on its way: its change is merged in, and
    /// ours is written after, so both are kept.
    #[test]
    fn a_background_save_that_meets_another_write_merges_and_saves_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("p.ron"));
        let c = Checklist::embedded();
        let mut app = ledger_app(&c, Progress::new(&c.id));
        let mut io = LoopIo::new(store.clone(), Fingerprint::Absent);
        // The other program writes first, so the file is not what the app read.
        store
            .update(&c.id, |p| {
                (
                    p.add_note("3.1", "別處寫的", at("2026-11-29T14:01:00+08:00"))
                        .is_ok(),
                    (),
                )
            })
            .unwrap();
        change(&mut app, "1.1", "我們寫的");
        save_soon(&mut app, &mut io);
        assert!(save_ended(&mut app, &mut io, true));
        assert_eq!(app.save, SaveState::Pending, "merged, ours still to write");
        assert_eq!(app.progress.item("3.1").unwrap().notes.len(), 1);
        save_soon(&mut app, &mut io);
        assert!(save_ended(&mut app, &mut io, true));
        let on_disk = store.load(&c.id).unwrap().progress;
        assert_eq!(on_disk.item("3.1").unwrap().notes[0].text, "別處寫的");
        assert_eq!(on_disk.item("1.1").unwrap().notes[0].text, "我們寫的");
        assert!(matches!(app.save, SaveState::Saved(_)), "{:?}", app.save);
    }

    /// Issue 16, item 23: a save that failed and then lands on a retry (here the directory
    /// in the file's place was removed) is shown as saved, and the loop stops waking to retry.
    #[test]
    fn a_retried_save_that_lands_clears_the_failure_and_stops_the_retries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        std::fs::create_dir(&path).unwrap();
        let store = Store::new(&path);
        let c = Checklist::embedded();
        let mut app = ledger_app(&c, Progress::new(&c.id));
        let mut io = LoopIo::new(store.clone(), Fingerprint::Absent);
        change(&mut app, "1.1", "第一條");
        save_soon(&mut app, &mut io);
        assert!(save_ended(&mut app, &mut io, true));
        assert!(matches!(app.save, SaveState::Failed(_)), "{:?}", app.save);
        assert_eq!(wake_after(&app, true), Some(SAVE_RETRY));

        std::fs::remove_dir(&path).unwrap();
        // What the loop does when the retry is due.
        save_soon(&mut app, &mut io);
        assert!(save_ended(&mut app, &mut io, true));
        assert!(matches!(app.save, SaveState::Saved(_)), "{:?}", app.save);
        assert_eq!(wake_after(&app, true), None, "no more waking to retry");
        assert_eq!(store.load(&c.id).unwrap().progress, *app.progress);
    }

    /// Issue 16, item 24: another program rewrites the file in place with text of the same
    /// length and puts its modification time back; the change is still noticed and merged.
    #[test]
    fn a_write_of_the_same_length_and_time_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let store = Store::new(&path);
        let c = Checklist::embedded();
        let mut app = ledger_app(&c, Progress::new(&c.id));
        let mut io = LoopIo::new(store.clone(), Fingerprint::Absent);
        change(&mut app, "1.1", "note-a");
        save(&mut app, &mut io);
        assert!(matches!(app.save, SaveState::Saved(_)));

        let rewrite = |from: &str, to: &str| {
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(from.len(), to.len());
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
            f.write_all(text.replace(from, to).as_bytes()).unwrap();
            f.set_modified(modified).unwrap();
        };
        rewrite("note-a", "note-b");
        assert!(
            check_file(&mut app, &mut io, false),
            "noticed by its metadata"
        );
        assert_eq!(app.progress.item("1.1").unwrap().notes[0].text, "note-b");

        // Written within one tick of the clock: even the change time is as it was seen.
        rewrite("note-b", "note-c");
        io.stamp_file = file_stamp(&path);
        assert!(
            !check_file(&mut app, &mut io, false),
            "metadata alone cannot tell"
        );
        assert!(check_file(&mut app, &mut io, true), "the content tells");
        assert_eq!(app.progress.item("1.1").unwrap().notes[0].text, "note-c");
        assert!(
            !check_file(&mut app, &mut io, true),
            "nothing new the second time"
        );
    }

    /// The directory's events are picked for the ledger's own: a write in place, a rename
    /// onto it, an overflow; not the backup's or the lock's.
    #[test]
    fn only_the_ledgers_own_events_wake_the_check() {
        fn event(mask: u32, name: &str) -> Vec<u8> {
            let mut padded = name.as_bytes().to_vec();
            padded.resize(name.len().div_ceil(16) * 16 + 16, 0);
            let mut b = Vec::new();
            b.extend_from_slice(&1i32.to_ne_bytes());
            b.extend_from_slice(&mask.to_ne_bytes());
            b.extend_from_slice(&0u32.to_ne_bytes());
            b.extend_from_slice(&(padded.len() as u32).to_ne_bytes());
            b.extend_from_slice(&padded);
            b
        }
        let others = [
            event(libc::IN_CLOSE_WRITE, "p.ron.bak"),
            event(libc::IN_CLOSE_WRITE, "p.ron.lock"),
            event(libc::IN_MOVED_TO, "q.ron"),
        ]
        .concat();
        let w = ledger_events(&others, b"p.ron");
        assert!(!w.file && !w.written_in_place);

        let renamed = [others.clone(), event(libc::IN_MOVED_TO, "p.ron")].concat();
        let w = ledger_events(&renamed, b"p.ron");
        assert!(w.file && !w.written_in_place);

        let in_place = [event(libc::IN_CLOSE_WRITE, "p.ron"), others].concat();
        let w = ledger_events(&in_place, b"p.ron");
        assert!(w.file && w.written_in_place);

        let w = ledger_events(&event(libc::IN_Q_OVERFLOW, ""), b"p.ron");
        assert!(w.file && w.written_in_place);
    }

    /// Issue 16, items 1 and 2 at the level of the last save: another program's write is
    /// merged under the lock and ours lands; a file that cannot be read is left alone and
    /// the ledger as held goes to a recovery file.
    #[test]
    fn the_last_save_merges_or_keeps_a_recovery_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let store = Store::new(&path);
        let c = Checklist::embedded();
        let mut app = ledger_app(&c, Progress::new(&c.id));
        let mut io = LoopIo::new(store.clone(), Fingerprint::Absent);
        store
            .update(&c.id, |p| {
                (p.add_note("3.1", "別處寫的", app.now).is_ok(), ())
            })
            .unwrap();
        change(&mut app, "1.1", "我們寫的");
        assert!(final_save(&mut app, &mut io).is_none());
        let on_disk = store.load(&c.id).unwrap().progress;
        assert_eq!(on_disk.item("3.1").unwrap().notes[0].text, "別處寫的");
        assert_eq!(on_disk.item("1.1").unwrap().notes[0].text, "我們寫的");

        std::fs::write(&path, "Progress(").unwrap();
        change(&mut app, "1.2", "無處可存");
        let lost = final_save(&mut app, &mut io).expect("cannot land");
        assert!(lost.error.contains("p.ron:1:"), "{}", lost.error);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "Progress(");
        let recovery = lost.recovery.unwrap();
        let kept =
            crate::store::parse(&std::fs::read(&recovery).unwrap(), &recovery, &c.id).unwrap();
        assert_eq!(kept.item("1.2").unwrap().notes[0].text, "無處可存");
        assert_eq!(kept.item("1.1").unwrap().notes[0].text, "我們寫的");
    }
}
