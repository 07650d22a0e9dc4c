//! `cargo bench`: load, save, update per action, one frame and each export, at the report's
//! 22 items and at 10,000 items with 50,000 notes.

use std::hint::black_box;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main,
};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rectify::app::{Action, App, Msg, update};
use rectify::export::{self, Format, Made, Round};
use rectify::i18n::Lang;
use rectify::model::{Checklist, Progress, Stamp};
use rectify::store;

fn ledgers() -> Vec<(&'static str, Checklist, Progress)> {
    let small = {
        let c = Checklist::embedded();
        let (_, mut p) = rectify::generated::generate(22);
        p.checklist = c.id.clone();
        // The generated notes are keyed 1.1 … 1.22; give them the report's ids instead.
        let ids: Vec<String> = c.items().map(|(_, i)| i.id.clone()).collect();
        let items: Vec<_> = p.items.into_values().collect();
        p.items = ids.into_iter().zip(items).collect();
        ("22", c, p)
    };
    let (c, p) = rectify::generated::generate(10_000);
    vec![small, ("10000", c, p)]
}

fn now() -> Stamp {
    "2026-11-29T14:03:00+08:00".parse().unwrap()
}

fn benches(cr: &mut Criterion) {
    for (name, checklist, progress) in ledgers() {
        let text = store::to_ron(&progress);
        let mut g = cr.benchmark_group(format!("ledger_{name}"));
        g.sample_size(if name == "22" { 100 } else { 10 });

        g.bench_function("load", |b| {
            b.iter(|| {
                store::parse(black_box(text.as_bytes()), "p.ron".as_ref(), &checklist.id).unwrap()
            })
        });
        // Saving without the fsync: serialising is the part that grows with the ledger.
        g.bench_function("save_serialise", |b| {
            b.iter(|| store::to_ron(black_box(&progress)))
        });

        let app = || {
            let mut a = App::new(checklist.clone(), progress.clone(), Lang::ZhHant, now());
            update(
                &mut a,
                Msg::Resize {
                    width: 120,
                    height: 40,
                },
            );
            a
        };
        for action in [
            Action::Down,
            Action::ToggleResolved,
            Action::Filter,
            Action::Summary,
        ] {
            g.bench_with_input(
                BenchmarkId::new("update", action.name()),
                &action,
                |b, a| {
                    b.iter_batched_ref(
                        app,
                        |app| update(app, Msg::Act(*a)),
                        criterion::BatchSize::LargeInput,
                    )
                },
            );
        }
        g.bench_function("update/type-a-character", |b| {
            b.iter_batched_ref(
                || {
                    let mut a = app();
                    update(&mut a, Msg::Act(Action::Down));
                    update(&mut a, Msg::Act(Action::NewNote));
                    a
                },
                |a| {
                    update(
                        a,
                        Msg::Key(KeyEvent::new(KeyCode::Char('整'), KeyModifiers::NONE)),
                    )
                },
                criterion::BatchSize::LargeInput,
            )
        });

        let mut a = app();
        update(&mut a, Msg::Act(Action::Down));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        g.bench_function("frame", |b| {
            b.iter(|| {
                terminal
                    .draw(|f| {
                        rectify::ui::draw(f, &a);
                    })
                    .unwrap()
                    .area
            })
        });
        // What a key press costs in the running app: the update and the frame after it,
        // with the rows and counts kept from the frame before (the `update` benches above
        // start from a fresh app each time, so they include working those out).
        let mut down = true;
        g.bench_function("key-and-frame/move", |b| {
            b.iter(|| {
                down = !down;
                let action = if down { Action::Down } else { Action::Up };
                update(&mut a, Msg::Act(action));
                terminal
                    .draw(|f| {
                        rectify::ui::draw(f, &a);
                    })
                    .unwrap()
                    .area
            })
        });

        // Typing into a note: the update and the frame, editor over the ledger. A character
        // and Backspace in turn, so the note stays the same length.
        let mut e = app();
        update(&mut e, Msg::Act(Action::Down));
        update(&mut e, Msg::Act(Action::NewNote));
        let mut typed = false;
        g.bench_function("key-and-frame/type", |b| {
            b.iter(|| {
                typed = !typed;
                let code = if typed {
                    KeyCode::Char('整')
                } else {
                    KeyCode::Backspace
                };
                update(&mut e, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
                terminal
                    .draw(|f| {
                        rectify::ui::draw(f, &e);
                    })
                    .unwrap()
                    .area
            })
        });

        for format in [
            Format::Markdown,
            Format::Json,
            Format::Csv,
            Format::Html,
            Format::Xlsx,
            Format::Docx,
        ] {
            g.bench_with_input(BenchmarkId::new("export", format), &format, |b, f| {
                b.iter(|| {
                    export::render(
                        *f,
                        &checklist,
                        &progress,
                        Lang::ZhHant,
                        now().date(),
                        Round::default(),
                        Made::now(),
                    )
                    .unwrap()
                })
            });
        }
        if name == "10000" {
            edit_while_saving(&mut g, app());
        }
        g.finish();
    }
}

/// A key that changes the ledger while a save of it is in flight: the save holds the
/// ledger as it was (an `Arc` snapshot), so the change copies the map of items and the one
/// item it changes, not the ledger. Each iteration hands the ledger to a saving thread, as
/// the TUI does, waits until that save has started, then times the key. Beside it, the same
/// key with a snapshot held and no save running, and with neither.
fn edit_while_saving(g: &mut BenchmarkGroup<WallTime>, mut app: App) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::Store::new(dir.path().join("progress.ron"));
    let (jobs, todo) = mpsc::channel::<Arc<Progress>>();
    let (started, start) = mpsc::channel::<()>();
    let saver = std::thread::spawn(move || {
        let mut fingerprint = store::Fingerprint::Absent;
        for progress in todo {
            started.send(()).unwrap();
            fingerprint = store.save_from(progress, fingerprint).unwrap();
        }
    });
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("edit-while-saving", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    jobs.send(Arc::clone(&app.progress)).unwrap();
                    start.recv().unwrap();
                    resolve_next(&mut app)
                })
                .sum()
        })
    });
    drop(jobs);
    saver.join().unwrap();
    g.sampling_mode(SamplingMode::Auto);
    g.bench_function("edit-with-snapshot", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let snapshot = Arc::clone(&app.progress);
                    let spent = resolve_next(&mut app);
                    drop(snapshot);
                    spent
                })
                .sum()
        })
    });
    g.bench_function("edit", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| resolve_next(&mut app)).sum())
    });
}

/// Selects the next item (untimed), so that no item's history grows with the iterations,
/// and times the key that resolves it (or opens it again).
fn resolve_next(app: &mut App) -> Duration {
    let was = app.selected_item().map(str::to_string);
    update(app, Msg::Act(Action::Down));
    if app.selected_item().map(str::to_string) == was {
        update(app, Msg::Act(Action::Top));
    }
    while app.selected_item().is_none() {
        update(app, Msg::Act(Action::Down));
    }
    let t = Instant::now();
    black_box(update(app, Msg::Act(Action::ToggleResolved)));
    t.elapsed()
}

criterion_group!(ledger, benches);
criterion_main!(ledger);
