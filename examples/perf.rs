//! Measures rectify against the bare ratatui program (`examples/bare.rs`) in a pseudo-
//! terminal of 120×40, in interleaved rounds so both see the same machine:
//!
//! ```sh
//! cargo build --release --examples && cargo build --release
//! cargo run --release --example perf -- [rounds] [-- rectify args…]
//! ```
//!
//! Prints medians of: start to first frame, start to the ledger on screen (a large one is
//! read after a first frame of the checklist), private memory (the goal: `RssAnon`, the
//! pages no other process could share, taken after the moves), peak RSS beside it (which
//! also counts the executable's pages mapped from the page cache, shared and evictable),
//! bytes written for one move down, and the time from a key press to the end of the redraw.
//! With `PERF_DUMP=DIR` the bytes of a move are kept in `DIR/bare.K` and `DIR/rectify.K` for
//! the moves K = 0..5. `PERF_RECTIFY=PATH` measures another build of rectify against the
//! same bare program.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Run {
    first_frame: Duration,
    /// Until the ledger is on screen: a large one is read after a first frame of the
    /// checklist.
    ledger_shown: Duration,
    peak_rss_kib: u64,
    private_kib: u64,
    move_bytes: usize,
    key_latency: Duration,
}

fn median<T: Copy + Ord>(v: &mut [T]) -> T {
    v.sort();
    v[v.len() / 2]
}

/// Reads chunks until `done` says so or `limit` passes; returns the bytes and when the last
/// chunk came.
fn read_until(
    rx: &mpsc::Receiver<Vec<u8>>,
    buf: &mut Vec<u8>,
    limit: Duration,
    done: impl Fn(&[u8]) -> bool,
) -> Instant {
    let end = Instant::now() + limit;
    let mut last = Instant::now();
    while !done(buf) {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        if let Ok(chunk) = rx.recv_timeout(left) {
            buf.extend_from_slice(&chunk);
            last = Instant::now();
        }
    }
    last
}

/// Collects whatever arrives until the output has been quiet for `quiet`.
fn drain(rx: &mpsc::Receiver<Vec<u8>>, quiet: Duration) -> (Vec<u8>, Option<Instant>) {
    let mut out = Vec::new();
    let mut last = None;
    while let Ok(chunk) = rx.recv_timeout(quiet) {
        out.extend_from_slice(&chunk);
        last = Some(Instant::now());
    }
    (out, last)
}

/// A field of `/proc/PID/status` in KiB: `VmHWM` (peak RSS) or `RssAnon` (private memory).
fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
                .and_then(|l| l.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

/// `ready` is a text of the first frame, `shown` one that is on screen once the ledger is.
fn run(program: &str, args: &[String], ready: &str, shown: &str, home: &std::path::Path) -> Run {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.env_clear();
    cmd.env("HOME", home);
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("LC_ALL", "zh_TW.UTF-8");
    cmd.env("TERM", "xterm-256color");
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.cwd(home);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut writer = pty.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut b = [0u8; 65536];
        while let Ok(n) = reader.read(&mut b) {
            if n == 0 || tx.send(b[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).expect("spawn");
    let pid = child.process_id().unwrap_or(0);
    let mut screen = Vec::new();
    let ready = ready.as_bytes().to_vec();
    let first = read_until(&rx, &mut screen, Duration::from_secs(20), |b| {
        b.windows(ready.len()).any(|w| w == ready)
    });
    let first_frame = first - start;
    let shown = shown.as_bytes().to_vec();
    let shown_at = read_until(&rx, &mut screen, Duration::from_secs(20), |b| {
        b.windows(shown.len()).any(|w| w == shown)
    });
    let ledger_shown = shown_at.max(first) - start;
    drain(&rx, Duration::from_millis(150));

    // One move down: bytes, and the time until the redraw ends.
    let mut moves = Vec::new();
    let mut latencies = Vec::new();
    for k in 0..5 {
        let sent = Instant::now();
        writer.write_all(b"j").unwrap();
        writer.flush().unwrap();
        let (bytes, last) = drain(&rx, Duration::from_millis(60));
        // PERF_DUMP=dir keeps what one move wrote, to see where the bytes go.
        if let Some(dir) = std::env::var_os("PERF_DUMP") {
            let name = std::path::Path::new(program).file_name().unwrap();
            let name = format!("{}.{k}", name.to_string_lossy());
            std::fs::write(std::path::Path::new(&dir).join(name), &bytes).unwrap();
        }
        moves.push(bytes.len());
        latencies.push(last.map_or(Duration::ZERO, |l| l - sent));
        if std::env::var_os("PERF_VERBOSE").is_some() {
            eprintln!("{program} move {k}: {:?}", latencies.last().unwrap());
        }
    }
    let peak_rss_kib = status_kib(pid, "VmHWM");
    let private_kib = status_kib(pid, "RssAnon");
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let _ = child.wait();
    Run {
        first_frame,
        ledger_shown,
        peak_rss_kib,
        private_kib,
        move_bytes: median(&mut moves),
        key_latency: median(&mut latencies),
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = match args.first().and_then(|a| a.parse().ok()) {
        Some(n) => {
            args.remove(0);
            n
        }
        None => 15,
    };
    if args.first().map(String::as_str) == Some("--") {
        args.remove(0);
    }
    // The programs run in a temporary directory: paths given here are made absolute.
    for a in &mut args {
        if let Ok(p) = std::fs::canonicalize(&*a) {
            *a = p.to_string_lossy().into_owned();
        }
    }
    let release = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let bare = release.join("examples/bare");
    let rectify = std::env::var_os("PERF_RECTIFY")
        .map_or_else(|| release.join("rectify"), std::path::PathBuf::from);
    let home = tempfile::tempdir().unwrap();
    let mut results: [Vec<Run>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        // Interleaved, alternating which goes first.
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let r = match which {
                0 => run(bare.to_str().unwrap(), &[], "6.3", "6.3", home.path()),
                // The header's "n/m · p%" appears once the ledger is read.
                _ => run(rectify.to_str().unwrap(), &args, "1.1", "%", home.path()),
            };
            results[which].push(r);
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let summary = |runs: &mut Vec<Run>| {
        let mut ff: Vec<Duration> = runs.iter().map(|r| r.first_frame).collect();
        let mut shown: Vec<Duration> = runs.iter().map(|r| r.ledger_shown).collect();
        let mut rss: Vec<u64> = runs.iter().map(|r| r.peak_rss_kib).collect();
        let mut private: Vec<u64> = runs.iter().map(|r| r.private_kib).collect();
        let mut bytes: Vec<usize> = runs.iter().map(|r| r.move_bytes).collect();
        let mut lat: Vec<Duration> = runs.iter().map(|r| r.key_latency).collect();
        (
            median(&mut ff),
            median(&mut shown),
            median(&mut rss),
            median(&mut private),
            median(&mut bytes),
            median(&mut lat),
        )
    };
    let (bf, bs, br, bp, bb, bl) = summary(&mut results[0]);
    let (rf, rs, rr, rp, rb, rl) = summary(&mut results[1]);
    println!("{rounds} interleaved rounds, 120x40, medians");
    println!("{:<28} {:>12} {:>12} {:>8}", "", "bare", "rectify", "ratio");
    println!(
        "{:<28} {:>10.2}ms {:>10.2}ms {:>7.2}x",
        "start to first frame",
        ms(bf),
        ms(rf),
        ms(rf) / ms(bf)
    );
    println!(
        "{:<28} {:>10.2}ms {:>10.2}ms {:>7.2}x",
        "start to ledger on screen",
        ms(bs),
        ms(rs),
        ms(rs) / ms(bs)
    );
    println!(
        "{:<28} {:>9.1}MiB {:>9.1}MiB {:>7.2}x",
        "private memory (RssAnon)",
        bp as f64 / 1024.0,
        rp as f64 / 1024.0,
        rp as f64 / bp.max(1) as f64
    );
    println!(
        "{:<28} {:>9.1}MiB {:>9.1}MiB {:>7.2}x",
        "peak RSS (with shared)",
        br as f64 / 1024.0,
        rr as f64 / 1024.0,
        rr as f64 / br as f64
    );
    println!(
        "{:<28} {:>11}B {:>11}B {:>7.2}x",
        "bytes for one move down",
        bb,
        rb,
        rb as f64 / bb.max(1) as f64
    );
    println!(
        "{:<28} {:>10.2}ms {:>10.2}ms",
        "key press to end of redraw",
        ms(bl),
        ms(rl)
    );
}
