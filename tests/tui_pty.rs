//! End-to-end tests of the full-screen ledger: the real binary in a pseudo-terminal, driven
//! by key presses and signals, checked by what a terminal would show, by the bytes it was
//! sent, by the terminal modes it left behind and by the file on disk.
//!
//! Every wait polls (every 20 ms) for a condition with a generous deadline; nothing relies on
//! a fixed sleep, so a loaded machine makes the tests slower, not flaky. The binary runs with
//! a cleared environment whose HOME and XDG directories are in a temporary directory, so the
//! developer's own ledger is never read or written.

mod common;

use std::ffi::OsStr;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{Sandbox, command_in, load, place_of};
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use rectify::model::{Progress, Status};

const ROWS: u16 = 30;
const COLS: u16 = 100;
/// How long to wait for anything. A debug binary on a busy two-core CI machine can be slow,
/// and the deadline is only reached when a test is failing anyway.
const TIMEOUT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(20);

const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";

/// What the reader thread has seen: every byte, and the screen those bytes draw.
struct Output {
    bytes: Vec<u8>,
    parser: vt100::Parser,
    /// The reader hit end of file (or EIO): no process holds the terminal any more.
    closed: bool,
}

/// A program in a pseudo-terminal of [`COLS`]×[`ROWS`], with a temporary HOME.
struct Tui {
    sandbox: Sandbox,
    /// `None` once the window was closed ([`Tui::close_window`]).
    master: Option<Box<dyn MasterPty + Send>>,
    /// Our own duplicate of the master for typing. portable-pty's `take_writer` would, when
    /// dropped, type a newline and Ctrl-D into the program, which a real window does not do.
    keyboard: Option<File>,
    child: Box<dyn Child + Send + Sync>,
    output: Arc<Mutex<Output>>,
    stop_reader: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    exited: Option<ExitStatus>,
}

/// A duplicate of the master's descriptor that the caller owns and may close at will.
fn dup_master(master: &dyn MasterPty) -> File {
    let fd = master.as_raw_fd().expect("a Unix pty has a descriptor");
    // Close-on-exec, so that programs started by tests running alongside do not inherit it.
    // SAFETY: fcntl(2) on a descriptor that stays open for the duration of the call.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    assert!(new >= 0, "dup: {}", std::io::Error::last_os_error());
    // SAFETY: `new` is a fresh descriptor that nothing else owns.
    File::from(unsafe { OwnedFd::from_raw_fd(new) })
}

/// Copies everything the program writes into `output` until the terminal is gone or `stop`
/// is set. Polls with a short timeout so that it can be stopped while the program runs.
fn read_terminal(mut tty: File, output: Arc<Mutex<Output>>, stop: Arc<AtomicBool>) {
    let mut buf = [0u8; 8192];
    while !stop.load(Ordering::SeqCst) {
        let mut pfd = libc::pollfd {
            fd: tty.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, POLL.as_millis() as libc::c_int) };
        if n == 0 || (n < 0 && std::io::Error::last_os_error().kind() == ErrorKind::Interrupted) {
            continue;
        }
        match tty.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let mut out = output.lock().unwrap();
                out.bytes.extend_from_slice(&buf[..n]);
                out.parser.process(&buf[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // Linux answers EIO once the last process on the terminal's side has closed it.
            Err(_) => break,
        }
    }
    output.lock().unwrap().closed = true;
}

impl Tui {
    /// Starts `rectify` with no subcommand: the ledger view.
    fn rectify() -> Tui {
        Tui::spawn(OsStr::new(env!("CARGO_BIN_EXE_rectify")), &[])
    }

    fn spawn(program: &OsStr, args: &[&str]) -> Tui {
        let sandbox = Sandbox::new();
        std::fs::create_dir_all(sandbox.home()).unwrap();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();

        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        // (portable-pty adds SHELL to whatever is set here; nothing else comes through.)
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", sandbox.home());
        cmd.env("XDG_DATA_HOME", sandbox.dir.path().join("xdg-data"));
        cmd.env("XDG_CONFIG_HOME", sandbox.dir.path().join("xdg-config"));
        cmd.env("LC_ALL", "en_US.UTF-8");
        cmd.env("TERM", "xterm-256color");
        // F12 panics, for the crash test (and only with this set).
        cmd.env("RECTIFY_TEST_PANIC", "1");
        // Without one, portable-pty would start the program in HOME.
        cmd.cwd(sandbox.dir.path());

        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child holds the terminal's side now, so its exit ends the output.
        drop(pair.slave);
        let master = pair.master;
        let keyboard = dup_master(&*master);
        let output = Arc::new(Mutex::new(Output {
            bytes: Vec::new(),
            parser: vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 0),
            closed: false,
        }));
        let stop_reader = Arc::new(AtomicBool::new(false));
        let reader = {
            let (tty, output, stop) = (
                dup_master(&*master),
                Arc::clone(&output),
                Arc::clone(&stop_reader),
            );
            std::thread::spawn(move || read_terminal(tty, output, stop))
        };
        Tui {
            sandbox,
            master: Some(master),
            keyboard: Some(keyboard),
            child,
            output,
            stop_reader,
            reader: Some(reader),
            exited: None,
        }
    }

    /// Types text or key bytes, as a user (or the terminal, for special keys) would.
    fn send(&mut self, keys: &str) {
        let kb = self.keyboard.as_mut().expect("the window is open");
        kb.write_all(keys.as_bytes()).unwrap();
        kb.flush().unwrap();
    }

    fn signal(&mut self, sig: libc::c_int) {
        // Not yet reaped (checked here, reaping it if it has ended), so the pid is still ours.
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("the program ended before signal {sig}: {status:?}");
        }
        let pid = self.child.process_id().expect("the child has a pid");
        // SAFETY: kill(2) to our own child, which is running or a zombie.
        let rc = unsafe { libc::kill(pid as libc::pid_t, sig) };
        assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
    }

    /// The screen as text, one line per row.
    fn screen(&self) -> String {
        self.output.lock().unwrap().parser.screen().contents()
    }

    fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().bytes.clone()
    }

    /// Polls until the screen satisfies `ok` and returns it; fails, showing the screen, if
    /// it never does or the program ends first.
    fn wait_until(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            let exited = self.child.try_wait().unwrap();
            if exited.is_some() || start.elapsed() > TIMEOUT {
                panic!(
                    "waited {:?} for the screen to show {what}; exit: {exited:?}; screen:\n{screen}",
                    start.elapsed()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_for_text(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for the program to end and, if the window is open, for its last output.
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "the program did not exit within {TIMEOUT:?}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        };
        self.exited = Some(status.clone());
        if let Some(reader) = self.reader.take() {
            while !self.output.lock().unwrap().closed {
                assert!(
                    start.elapsed() < TIMEOUT * 2,
                    "the terminal did not report end of output after the exit"
                );
                std::thread::sleep(POLL);
            }
            reader.join().unwrap();
        }
        status
    }

    /// Closes the terminal as a closed window does: every descriptor of the master side is
    /// closed, so the kernel hangs the terminal up and sends SIGHUP to the program.
    fn close_window(&mut self) {
        self.stop_reader.store(true, Ordering::SeqCst);
        self.reader.take().unwrap().join().unwrap();
        self.keyboard = None;
        self.master = None;
    }

    /// The terminal's local modes (ICANON, ECHO, …) as they are now.
    fn local_modes(&self) -> libc::tcflag_t {
        self.master
            .as_ref()
            .expect("the window is open")
            .get_termios()
            .expect("portable-pty gives the termios of a Unix pty")
            .local_flags
            .bits()
    }

    fn progress(&self) -> Progress {
        load(&self.sandbox.data_file())
    }
}

impl Drop for Tui {
    /// A failing test must not leave a program running in the background.
    fn drop(&mut self) {
        if self.exited.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stop_reader.store(true, Ordering::SeqCst);
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal has rows and columns")
}

/// Starts the ledger, waits for its first screen and returns the local modes it runs with.
fn ledger() -> (Tui, libc::tcflag_t) {
    let mut tui = Tui::rectify();
    tui.wait_for_text("Political stance");
    let modes = tui.local_modes();
    (tui, modes)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Checks that the program gave the terminal back: after its last switch to the alternate
/// screen it left it, showed the cursor and turned mouse capture and bracketed paste off;
/// line editing and echo, off while it ran (`modes_while_running`), are on again.
fn assert_terminal_restored(tui: &Tui, modes_while_running: libc::tcflag_t) {
    let bytes = tui.bytes();
    let enter = b"\x1b[?1049h";
    let at = find(&bytes, enter).expect("the program used the alternate screen");
    let tail = &bytes[at + enter.len()..];
    for (seq, what) in [
        (&b"\x1b[?1049l"[..], "leave the alternate screen"),
        (b"\x1b[?25h", "show the cursor"),
        (b"\x1b[?2004l", "turn bracketed paste off"),
        (b"\x1b[?1000l", "turn mouse capture off"),
    ] {
        assert!(
            find(tail, seq).is_some(),
            "on exit it did not {what} ({:?}); it sent after entering: {:?}",
            String::from_utf8_lossy(seq),
            String::from_utf8_lossy(tail)
        );
    }
    let cooked = libc::ICANON | libc::ECHO;
    assert_eq!(
        modes_while_running & cooked,
        0,
        "raw mode was not on while it ran"
    );
    let after = tui.local_modes();
    assert_eq!(after & cooked, cooked, "raw mode left on: lflag {after:#o}");
}

/// The raw-mode check above reads the modes through the master after the program is gone.
/// This shows that the check can fail: a program that leaves raw mode on is caught.
#[test]
fn the_terminal_mode_check_sees_raw_mode_left_on() {
    let mut tui = Tui::spawn(OsStr::new("sh"), &["-c", "stty raw -echo"]);
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 0, "{status:?}");
    assert_eq!(tui.local_modes() & (libc::ICANON | libc::ECHO), 0);
}

#[test]
fn a_session_resolves_a_problem_and_records_a_chinese_note() {
    let (mut tui, modes) = ledger();

    tui.send("/");
    tui.wait_until("the search prompt", |s| {
        s.lines().last().is_some_and(|l| l.starts_with(" /"))
    });
    tui.send("2.5");
    tui.wait_until("the query typed", |s| {
        s.lines().last().is_some_and(|l| l.starts_with(" /2.5"))
    });
    tui.send(ENTER);
    tui.wait_for_text("│ 2.5 · Severe punishment");

    tui.send(" ");
    tui.wait_until("2.5 resolved", |s| {
        s.lines()
            .any(|l| l.contains("Status:") && l.contains("resolved"))
    });

    tui.send("n");
    tui.wait_for_text("Ctrl-S save");
    tui.send("已追繳涉案財產 3 宗");
    tui.send(ENTER);
    tui.send("第二行");
    tui.wait_for_text("第二行");
    tui.send(CTRL_S);
    // One predicate for the whole screen: a frame is drawn in several writes, so a screen
    // read in between may show the new detail pane under the old status bar.
    tui.wait_until("the saved note in the detail pane, editor closed", |s| {
        let lines: Vec<&str> = s.lines().collect();
        !s.contains("Ctrl-S save")
            && s.contains("Progress notes (1)")
            && lines
                .windows(2)
                .any(|w| w[0].contains("已追繳涉案財產 3 宗") && w[1].contains("第二行"))
    });

    tui.send("q");
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 0, "{status:?}");
    assert_terminal_restored(&tui, modes);

    let p = tui.progress();
    assert_eq!(p.status("2.5"), Status::Resolved);
    let item = p.item("2.5").expect("2.5 has progress");
    let texts: Vec<&str> = item.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["已追繳涉案財產 3 宗\n第二行"]);
    assert!(item.drafts.is_empty(), "a saved note leaves no draft");
}

#[test]
fn a_session_adds_a_measure_and_marks_it() {
    let (mut tui, modes) = ledger();
    tui.send("/");
    tui.wait_until("the search prompt", |s| {
        s.lines().last().is_some_and(|l| l.starts_with(" /"))
    });
    tui.send("2.5");
    tui.send(ENTER);
    tui.wait_for_text("│ 2.5 · Severe punishment");

    tui.send("a");
    tui.wait_for_text("New measure · 2.5");
    tui.send("建立涉案財產處置台賬");
    tui.send("\t\t");
    tui.send("自治區高級人民法院");
    tui.wait_for_text("自治區高級人民法院");
    tui.send(CTRL_S);
    tui.wait_until("the measure's row under its problem, selected", |s| {
        !s.contains("New measure")
            && s.lines().any(|l| l.contains("[ ] 2.5.1 建立涉案財產"))
            && s.contains("Measures 0/1")
    });

    tui.send(" ");
    tui.wait_until("2.5.1 resolved, and 2.5 with it", |s| {
        s.lines().any(|l| l.contains("[x] 2.5.1 建立涉案財產")) && s.contains("Measures 1/1")
    });

    tui.send("q");
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 0, "{status:?}");
    assert_terminal_restored(&tui, modes);

    let p = tui.progress();
    let (item, n, m) = p.measure("2.5.1").expect("2.5.1 on disk");
    assert_eq!((item, n), ("2.5", 1));
    assert_eq!(m.text(), "建立涉案財產處置台賬");
    assert_eq!(m.owner(), "自治區高級人民法院");
    assert_eq!(p.status("2.5.1"), Status::Resolved);
    assert_eq!(
        p.status("2.5"),
        Status::Resolved,
        "the problem follows its measure"
    );
}

/// Opens the note editor on 1.1 and types a two-line draft, without saving it.
fn type_draft(tui: &mut Tui) -> &'static str {
    tui.send("j");
    tui.wait_for_text("│ 1.1 · Political stance");
    tui.send("n");
    tui.wait_for_text("Ctrl-S save");
    tui.send("約談 2 名幹部");
    tui.send(ENTER);
    tui.send("待覆核");
    tui.wait_for_text("待覆核");
    "約談 2 名幹部\n待覆核"
}

fn draft(p: &Progress, id: &str) -> Option<String> {
    p.item(id)?.drafts.values().next().map(|d| d.value.clone())
}

#[test]
fn sighup_mid_note_keeps_the_draft_and_restores_the_terminal() {
    let (mut tui, modes) = ledger();
    let text = type_draft(&mut tui);

    tui.signal(libc::SIGHUP);
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 129, "{status:?}");
    assert_terminal_restored(&tui, modes);

    let p = tui.progress();
    assert_eq!(draft(&p, "1.1").as_deref(), Some(text));
    assert!(
        p.item("1.1").unwrap().notes.is_empty(),
        "a draft is not a note"
    );
}

#[test]
fn a_panic_mid_note_keeps_the_draft_and_restores_the_terminal() {
    let (mut tui, modes) = ledger();
    let text = type_draft(&mut tui);
    tui.send("\x1b[24~"); // F12
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 101, "{status:?}");
    assert_terminal_restored(&tui, modes);
    assert_eq!(draft(&tui.progress(), "1.1").as_deref(), Some(text));
}

/// The real thing: the window is closed, so the terminal hangs up under the program.
#[test]
fn closing_the_window_mid_note_keeps_the_draft() {
    let (mut tui, _) = ledger();
    let text = type_draft(&mut tui);

    tui.close_window();
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 129, "{status:?}");
    assert_eq!(draft(&tui.progress(), "1.1").as_deref(), Some(text));
}

#[test]
fn sigterm_and_sigint_when_idle_exit_with_their_codes_and_restore_the_terminal() {
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let (mut tui, modes) = ledger();
        tui.signal(sig);
        let status = tui.wait_exit();
        assert_eq!(status.exit_code(), code, "signal {sig}: {status:?}");
        assert_terminal_restored(&tui, modes);
    }
}

/// A generated ledger of 3,000 problems in `sandbox`: its checklist, its progress and the
/// two paths. Its progress file is over the size read after the first frame.
fn large_ledger(
    sandbox: &Sandbox,
) -> (
    rectify::model::Checklist,
    Progress,
    std::path::PathBuf,
    std::path::PathBuf,
) {
    let (checklist, progress) = rectify::generated::generate(3000);
    let checklist_path = sandbox.write(
        "big/checklist.ron",
        ron::ser::to_string_pretty(&checklist, rectify::store::ron_config())
            .unwrap()
            .as_bytes(),
    );
    let progress_path = sandbox.write(
        "big/progress.ron",
        rectify::store::to_ron(&progress).as_bytes(),
    );
    (checklist, progress, checklist_path, progress_path)
}

fn open_with(checklist: &std::path::Path, progress: &std::path::Path) -> Tui {
    Tui::spawn(
        OsStr::new(env!("CARGO_BIN_EXE_rectify")),
        &[
            "--checklist",
            checklist.to_str().unwrap(),
            "--file",
            progress.to_str().unwrap(),
        ],
    )
}

#[test]
fn a_large_ledger_is_read_after_a_first_frame_and_keys_typed_meanwhile_wait_for_it() {
    let sandbox = Sandbox::new();
    let (checklist, progress, checklist_path, progress_path) = large_ledger(&sandbox);
    assert!(std::fs::metadata(&progress_path).unwrap().len() > 1 << 20);
    let before = progress.status("1.1");
    let mut tui = open_with(&checklist_path, &progress_path);
    let start = Instant::now();
    while find(&tui.bytes(), b"reading the ledger").is_none() {
        assert!(start.elapsed() < TIMEOUT, "no first frame while reading");
        std::thread::sleep(Duration::from_millis(2));
    }
    // Down to 1.1 and toggle it, typed while the ledger may still be read.
    tui.send("j ");
    let row = |s: &str| {
        s.lines()
            .find(|l| l.contains(" 1.1 Problem 1.1"))
            .map(str::to_string)
    };
    tui.wait_until("1.1 toggled", |s| {
        row(s).is_some_and(|r| r.contains(if before.is_done() { "[ ]" } else { "[x]" }))
    });
    let bytes = tui.bytes();
    let reading = find(&bytes, b"reading the ledger").unwrap();
    let counts = find(&bytes, b"%").expect("the header's counts once read");
    assert!(
        reading < counts,
        "the checklist came first, then the ledger"
    );
    tui.send("q");
    assert_eq!(tui.wait_exit().exit_code(), 0);
    let saved = rectify::store::Store::new(&progress_path)
        .load(&checklist.id)
        .unwrap()
        .progress;
    assert_ne!(saved.status("1.1"), before);
    assert_eq!(saved.items.len(), progress.items.len());
}

#[test]
fn a_large_ledger_that_cannot_be_read_is_named_with_its_line_and_left_alone() {
    let sandbox = Sandbox::new();
    let (_, _, checklist_path, progress_path) = large_ledger(&sandbox);
    let mut text = std::fs::read(&progress_path).unwrap();
    text.extend_from_slice(b"\n  oops\n");
    std::fs::write(&progress_path, &text).unwrap();
    let mut tui = open_with(&checklist_path, &progress_path);
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 1, "{status:?}");
    let shown = String::from_utf8_lossy(&tui.bytes()).into_owned();
    assert!(
        place_of(&shown, &progress_path).is_some(),
        "file, line and column in {shown:?}"
    );
    assert!(shown.contains("\x1b[?1049l"), "left the alternate screen");
    assert_eq!(
        std::fs::read(&progress_path).unwrap(),
        text,
        "file untouched"
    );
}

/// A ledger large enough that its save takes a while (3,000 problems, 6 MB): a change and
/// SIGTERM right after it. The save runs beside the keys, so the signal may come while it
/// is under way; the program waits for it, saves what is left and exits with 143, and the
/// file holds the change, whole.
#[test]
fn sigterm_during_a_background_save_of_a_large_ledger_keeps_the_change() {
    let sandbox = Sandbox::new();
    let (checklist, progress, checklist_path, progress_path) = large_ledger(&sandbox);
    let before = progress.status("1.1");
    let mut tui = open_with(&checklist_path, &progress_path);
    tui.wait_for_text("Generated ledger");
    tui.send("j");
    tui.wait_for_text("1.1 · Area 1");
    let row = |s: &str| {
        s.lines()
            .find(|l| l.contains(" 1.1 Problem 1.1"))
            .map(str::to_string)
    };
    let shown = row(&tui.screen()).expect("1.1 is on screen");
    tui.send(" ");
    tui.wait_until("1.1 toggled", |s| row(s).is_some_and(|r| r != shown));
    tui.signal(libc::SIGTERM);
    let status = tui.wait_exit();
    assert_eq!(status.exit_code(), 143, "{status:?}");

    let saved = rectify::store::Store::new(&progress_path)
        .load(&checklist.id)
        .expect("the file is whole")
        .progress;
    assert_ne!(saved.status("1.1"), before, "the change is on disk");
    assert_eq!(saved.items.len(), progress.items.len());
}

/// Issue 16, item 1: while two scripts keep adding notes to the same ledger, a note saved
/// with Ctrl-S and the quit that follows land: exit 0 means the note and all of theirs are
/// in the file.
fn quit_while_others_write() {
    let (mut tui, _) = ledger();
    let dir = tui.sandbox.dir.path().to_path_buf();
    // A ledger with some history, so that reading and merging it takes a while, as it does
    // in an office after a few months.
    let at: rectify::model::Stamp = common::NOW.parse().unwrap();
    rectify::store::Store::new(tui.sandbox.data_file())
        .update("inner-mongolia-sg15", |p| {
            for k in 0..3000 {
                let id = format!("{}.{}", 3 + k % 4, 1 + k % 3);
                p.add_note(&id, &format!("舊記錄 {k}"), at).unwrap();
            }
            (true, ())
        })
        .unwrap();
    tui.wait_for_text("3000 notes");
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = [("2.1", "x"), ("2.2", "y"), ("2.3", "z"), ("2.4", "w")]
        .into_iter()
        .map(|(id, text)| {
            let (dir, stop) = (dir.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut written = 0;
                while !stop.load(Ordering::SeqCst) {
                    let out = command_in(&dir, &["note", id, &format!("{text}{written}")])
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{}", common::stderr(&out));
                    written += 1;
                }
                written
            })
        })
        .collect();
    let text = type_draft(&mut tui);
    // Saved and quit while the others are writing, without waiting for the save.
    tui.send(CTRL_S);
    tui.send("q");
    let status = tui.wait_exit();
    stop.store(true, Ordering::SeqCst);
    let written: Vec<usize> = writers.into_iter().map(|w| w.join().unwrap()).collect();
    assert_eq!(status.exit_code(), 0, "{status:?}\n{}", tui.screen());
    let p = tui.progress();
    let notes = |id: &str| -> Vec<String> {
        p.item(id)
            .map(|i| i.notes.iter().map(|n| n.text.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(notes("1.1"), [text], "the note saved before quitting");
    assert_eq!(
        p.items.values().map(|i| i.notes.len()).sum::<usize>(),
        3001 + written.iter().sum::<usize>()
    );
    for (id, n) in ["2.1", "2.2", "2.3", "2.4"].into_iter().zip(written) {
        assert_eq!(notes(id).len(), n, "{id}");
    }
}

#[test]
fn a_note_saved_while_other_programs_write_is_on_disk_after_quit() {
    for _ in 0..2 {
        quit_while_others_write();
    }
}

/// The soak of the same: `cargo test --test tui_pty -- --ignored quit_under_contention`.
#[test]
#[ignore]
fn quit_under_contention_50_times() {
    for _ in 0..50 {
        quit_while_others_write();
    }
}

/// Issue 16, item 2: the file was emptied by another tool while the ledger was open; the note
/// typed since cannot go into a file that cannot be read, so it goes to a recovery file, the
/// exit code says it is not in the ledger, and `rectify import` takes it back in.
#[test]
fn a_ledger_made_unreadable_meanwhile_keeps_the_note_in_a_recovery_file() {
    let (mut tui, _) = ledger();
    tui.sandbox.ok(&["note", "3.1", "before"]);
    let file = tui.sandbox.data_file();
    tui.wait_until("the CLI's note merged", |s| {
        s.contains("1 note from root merged")
    });
    std::fs::write(&file, b"").unwrap();
    tui.wait_for_text("save failed");
    tui.send("j");
    tui.wait_for_text("│ 1.1 · Political stance");
    tui.send("n");
    tui.wait_for_text("New note");
    let text = "約談 2 名幹部";
    tui.send(text);
    tui.wait_for_text(text);
    tui.send(CTRL_S);
    tui.wait_until("the editor closed", |s| !s.contains("New note"));
    tui.send("q");
    let status = tui.wait_exit();
    assert_ne!(status.exit_code(), 0, "{status:?}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"",
        "the emptied file is left alone"
    );
    let screen = tui.screen();
    assert!(screen.contains("rectify import"), "{screen}");
    let recovered: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".recovered-"))
        .collect();
    assert_eq!(recovered.len(), 1, "{recovered:?}");
    let kept = load(&recovered[0]);
    assert_eq!(kept.item("1.1").unwrap().notes[0].text, text);
    assert_eq!(kept.item("3.1").unwrap().notes[0].text, "before");

    // Once the ledger is readable again (here: gone), the changes come back.
    std::fs::remove_file(&file).unwrap();
    let out = tui.sandbox.ok(&["import", recovered[0].to_str().unwrap()]);
    assert!(out.contains("merged"), "{out}");
    let p = tui.progress();
    assert_eq!(p.item("1.1").unwrap().notes[0].text, text);
}

/// A ledger its owner may not write (`chmod 400`) opens read-only and says why, instead of
/// being rewritten as 0600; a change is refused with the same reason; once the file may be
/// written again the window becomes the writer. A ledger in a read-only folder (where not
/// even `.open` can be made) is viewed read-only too. The folder's bits are what is looked
/// at, so this holds as root as well, where the kernel would have let it write.
#[test]
fn a_ledger_that_may_not_be_written_opens_read_only_and_says_why() {
    use std::os::unix::fs::PermissionsExt;
    let outside = tempfile::tempdir().unwrap();
    let folder = outside.path().join("ledgers");
    let file = folder.join("p.ron");
    rectify::store::Store::new(&file)
        .update("inner-mongolia-sg15", |p| {
            let at: rectify::model::Stamp = "2026-11-20T09:00:00+08:00".parse().unwrap();
            (p.add_note("1.1", "kept", at).is_ok(), ())
        })
        .unwrap();
    let chmod = |p: &std::path::Path, mode| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    chmod(&file, 0o400);
    let before = std::fs::read(&file).unwrap();
    let open = || {
        Tui::spawn(
            OsStr::new(env!("CARGO_BIN_EXE_rectify")),
            &["--file", file.to_str().unwrap()],
        )
    };

    let mut tui = open();
    tui.wait_for_text("the file's owner has no write permission");
    tui.send("j");
    tui.wait_for_text("│ 1.1 · Political stance");
    tui.send("n");
    tui.wait_for_text("the file's owner has no write permission");
    assert!(!tui.screen().contains("Ctrl-S save"), "no editor opened");
    assert_eq!(std::fs::read(&file).unwrap(), before, "not rewritten");
    chmod(&file, 0o600);
    tui.wait_for_text("the ledger can be written now");
    tui.send(" ");
    tui.wait_until("1.1 resolved", |s| {
        s.lines()
            .any(|l| l.contains("Status:") && l.contains("resolved"))
    });
    tui.send("q");
    assert_eq!(tui.wait_exit().exit_code(), 0);
    assert_eq!(
        load(&file).status("1.1"),
        Status::Resolved,
        "saved once writable"
    );

    let names = || {
        let mut n: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        n.sort();
        n
    };
    let before_folder = names();
    let before = std::fs::read(&file).unwrap();
    chmod(&folder, 0o555);
    let mut tui = open();
    tui.wait_for_text("nothing can be saved in the ledger's folder");
    tui.send(" ");
    tui.send("q");
    let status = tui.wait_exit();
    let after_folder = names();
    chmod(&folder, 0o700);
    assert_eq!(status.exit_code(), 0);
    assert_eq!(after_folder, before_folder, "nothing made in the folder");
    assert_eq!(std::fs::read(&file).unwrap(), before, "unchanged");
}
