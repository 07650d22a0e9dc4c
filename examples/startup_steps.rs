//! Times each step of opening a ledger (read, check, parse, first frame), to see where the
//! start-up goes: `cargo run --release --example startup_steps -- CHECKLIST PROGRESS`.

use std::path::Path;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rectify::app::App;
use rectify::i18n::Lang;
use rectify::model::{Checklist, Stamp};
use rectify::store::Store;

fn main() {
    let mut args = std::env::args().skip(1);
    let checklist = args.next().expect("CHECKLIST");
    let progress = args.next().expect("PROGRESS");
    let t = Instant::now();
    let mut last = t;
    let mut step = |what: &str| {
        let now = Instant::now();
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kib = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        eprintln!(
            "{what:>24}: {:7.2} ms  RSS {:5.1} MiB, peak {:5.1} MiB",
            (now - last).as_secs_f64() * 1e3,
            kib("VmRSS:") as f64 / 1024.0,
            kib("VmHWM:") as f64 / 1024.0
        );
        last = now;
    };
    let bytes = std::fs::read(&checklist).unwrap();
    step("read checklist");
    let c = Checklist::parse_bytes(&bytes, &checklist).unwrap();
    drop(bytes);
    step("parse checklist");
    let raw = std::fs::read(&progress).unwrap();
    step("  read progress");
    let text = std::str::from_utf8(&raw).unwrap();
    step("  utf-8");
    let _ = xxhash_rust::xxh3::xxh3_64(&raw);
    step("  xxh3");
    let p: rectify::model::Progress = rectify::ron_fast::from_str(text).unwrap();
    step("  fast parse");
    drop(p);
    step("  drop");
    drop(raw);
    let snap = Store::new(Path::new(&progress)).load(&c.id).unwrap();
    step("load progress");
    let app = App::new(c, snap.progress, Lang::ZhHant, Stamp::now());
    step("App::new");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| rectify::ui::draw(f, &app)).unwrap();
    step("first frame");
    eprintln!(
        "{:>24}: {:7.2} ms",
        "total",
        t.elapsed().as_secs_f64() * 1e3
    );
}
