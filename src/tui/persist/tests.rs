//! Saving, merging and taking over against real files in a temporary directory.

use super::*;
use crate::app::UndoStep;
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
    app.undo.push(UndoStep {
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
    let kept = crate::store::parse(&std::fs::read(&recovery).unwrap(), &recovery, &c.id).unwrap();
    assert_eq!(kept.item("1.2").unwrap().notes[0].text, "無處可存");
    assert_eq!(kept.item("1.1").unwrap().notes[0].text, "我們寫的");
}
