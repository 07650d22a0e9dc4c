//! The event loop: the one place where terminal events become messages for
//! [`update`](crate::app::update) and effects become I/O (saving, exporting, mouse capture).
//! It also owns the promise that work survives a quit, Ctrl-C, SIGTERM, SIGHUP or a panic,
//! and that the terminal is given back as it was.

mod persist;
mod terminal;
mod waker;

use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};

use crate::app::{self, App, Effect, KeyMap, Mode, Msg, SaveState};
use crate::context::Context;
use crate::error::CliError;
use crate::model::{Progress, Stamp};
use persist::{FILE_CHECK, LoopIo, check_file, final_save, save_ended, save_soon, take_over};
pub use terminal::restore_terminal;
use terminal::{Term, install_panic_hook, setup_terminal};
use waker::Waker;

/// A ledger file this large is read after the first frame. At 1 MiB (some 500 problems
/// with their notes) reading it takes about 3 ms.
const READ_AFTER_FIRST_FRAME: u64 = 1 << 20;

/// The key map file: `keys.ron` in the config directory.
pub fn keymap_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "rectify").map(|d| d.config_dir().join("keys.ron"))
}

/// Runs the full-screen ledger until the user quits. Returns the exit code.
pub fn run(ctx: Context) -> Result<u8, CliError> {
    if !crossterm::tty::IsTty::is_tty(&io::stdout()) || !crossterm::tty::IsTty::is_tty(&io::stdin())
    {
        return Err(CliError::usage(
            "the ledger view needs a terminal; use `rectify list` or `rectify export` in scripts",
        ));
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
        Some(p) => KeyMap::load(&p)?,
        None => KeyMap::default(),
    };
    // Held while open: a second instance cannot get it and opens read-only. A ledger that
    // may not be written (the file read-only, its folder read-only, its `.open` not to be
    // made) is shown read-only too, saying why, rather than not at all.
    let (session, read_only_why) = match ctx.store.try_session() {
        Ok(session) => (session, None),
        Err(e) => (None, Some(persist::read_only_reason(ctx.lang, &e))),
    };
    let (progress, fingerprint) = match snapshot {
        Some(s) => (s.progress, Some(s.fingerprint)),
        None => (Progress::new(&ctx.checklist.id), None),
    };
    // What the app is opened with; from here on it changes only through `app::update`
    // (and the clock, set before each message).
    let mut app = App::new(ctx.checklist, progress, ctx.lang, ctx.now);
    app.reading = large;
    app.keymap = keymap;
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if session.is_none() {
        app::update(&mut app, Msg::ReadOnly(read_only_why));
    }
    if session.is_some() && ctx.store.path().exists() {
        // A save killed last time may have left its temporary file.
        let _ = ctx.store.tidy();
    }

    let signal = Arc::new(AtomicUsize::new(0));
    let mut waker = Waker::new(&signal)?;

    let mut terminal = setup_terminal()?;
    install_panic_hook();
    let size = terminal.size()?;
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
            let read = draw(&mut terminal, &mut app)
                .map_err(CliError::from)
                .and_then(|_| Ok(ctx.store.load(&app.checklist.id)?));
            match read {
                Ok(snapshot) => {
                    app::update(&mut app, Msg::LedgerRead(Box::new(snapshot.progress)));
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
        let recovery = lost.recovery.as_deref();
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

/// How long the loop looks for an event crossterm has buffered: see [`event_loop`].
const BUFFERED_EVENT_WAIT: Duration = Duration::from_micros(100);

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    io: &mut LoopIo,
    signal: &AtomicUsize,
    waker: &mut Waker,
) -> io::Result<u8> {
    draw(terminal, app)?;
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
            draw(terminal, app)?;
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
        if event::poll(BUFFERED_EVENT_WAIT)? {
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
        let wake = waker.wait(persist::wake_after(app, waker.watching()))?;
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
        if wake.file || (!waker.watching() && io.last_check.elapsed() >= FILE_CHECK) {
            io.last_check = Instant::now();
            dirty_screen |= check_file(app, io, wake.written_in_place);
        }
        if app.read_only && take_over(app, io) {
            dirty_screen = true;
        }
        if matches!(app.save, SaveState::Failed(_))
            && io
                .last_failure
                .is_some_and(|t| t.elapsed() >= persist::SAVE_RETRY)
        {
            app.now = Stamp::now();
            save_soon(app, io);
            dirty_screen = true;
        }
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
        app::update(app, Msg::Author(rx.recv().unwrap_or(None)));
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
            Effect::Mouse(on) => terminal::mouse(on)?,
        }
    }
    Ok(None)
}

fn export(app: &mut App, format: crate::export::Format) {
    let name = format!("rectify-summary-{}.{}", app.today(), format.extension());
    let path = std::env::current_dir()
        .map(|d| d.join(&name))
        .unwrap_or_else(|_| name.clone().into());
    let report = crate::export::render(
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
    let written = report.and_then(|r| {
        crate::store::atomic_write_pieces(&path, r.pieces()).map_err(|source| {
            crate::export::ExportError::Write {
                name: shown.clone(),
                source,
            }
        })
    });
    app::update(app, Msg::Exported(written.map(|()| shown)));
}

/// Draws a frame and hands what it laid out back to the app.
fn draw(terminal: &mut Term, app: &mut App) -> io::Result<()> {
    let mut layout = app.layout;
    terminal.draw(|f| layout = crate::ui::draw(f, app))?;
    app::update(app, Msg::Drawn(layout));
    Ok(())
}
