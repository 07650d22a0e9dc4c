//! Times each export of a ledger, to profile them: `export_loop CHECKLIST PROGRESS [FORMAT]`;
//! `PARTS=1` writes each report on one core, to compare; `ROUNDS=N` times N of each instead of
//! 7 (1 to count instructions under valgrind).
use std::time::Instant;

use rectify::export::{Format, Made, Round, render};
use rectify::i18n::Lang;
use rectify::model::Checklist;
use rectify::store::Store;

fn main() {
    let mut args = std::env::args().skip(1);
    let c = args.next().expect("CHECKLIST");
    let p = args.next().expect("PROGRESS");
    let only = args.next();
    let checklist = Checklist::parse_bytes(&std::fs::read(&c).unwrap(), &c).unwrap();
    let progress = Store::new(&p).load(&checklist.id).unwrap().progress;
    let today = "2026-11-30".parse().unwrap();
    let parts: Option<usize> = std::env::var("PARTS").ok().and_then(|v| v.parse().ok());
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let mut times = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let s = rectify::export::summarise(
            &checklist,
            &progress,
            Lang::ZhHant,
            today,
            Round::default(),
        );
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(s);
    }
    times.sort_by(f64::total_cmp);
    println!("{:>8}: median {:.1} ms", "summary", times[rounds / 2]);
    for (name, f) in [
        ("markdown", Format::Markdown),
        ("csv", Format::Csv),
        ("json", Format::Json),
    ] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let mut times = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            let out = in_parts(parts, || {
                render(
                    f,
                    &checklist,
                    &progress,
                    Lang::ZhHant,
                    today,
                    Round::default(),
                    Made::now(),
                )
            })
            .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(out);
        }
        times.sort_by(f64::total_cmp);
        println!("{name:>8}: median {:.1} ms", times[rounds / 2]);
    }
    std::process::exit(0);
}

/// `f` in `parts` parts if given, else one per core.
fn in_parts<R>(parts: Option<usize>, f: impl FnOnce() -> R) -> R {
    match parts {
        Some(n) => rectify::par::with_parts(n, f),
        None => f(),
    }
}
