use std::fs::File;
use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::store::save::{still_at, write_pieces};

#[test]
fn saves_round_trip_as_readable_ron_with_private_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let p = sample();
    store.save(&p, Fingerprint::Absent).unwrap();
    assert_eq!(store.load("test").unwrap().progress, p);

    let text = fs::read_to_string(store.path()).unwrap();
    assert!(!text.contains('\r'));
    assert!(text.contains("version: 3,\n"), "{text}");
    assert!(
        text.contains("召開專題學習會"),
        "Chinese is written as is: {text}"
    );
    assert!(text.contains("\"2026-11-21T10:30:00+08:00\""), "{text}");
    assert!(text.contains("value: Some(\"long-term\")"), "{text}");

    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(store.path()), 0o600);
    assert_eq!(mode(store.path().parent().unwrap()), 0o700);
    assert_eq!(mode(&store.lock_path()), 0o600);
}

#[test]
fn item_order_in_the_file_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let mut p = Progress::new("test");
    for id in ["6.3", "1.1", "2.5", "10.1"] {
        p.set_status(id, Status::Resolved, at("2026-11-20T09:00:00Z"));
    }
    store.save(&p, Fingerprint::Absent).unwrap();
    let text = fs::read_to_string(store.path()).unwrap();
    let order: Vec<usize> = ["\"1.1\"", "\"10.1\"", "\"2.5\"", "\"6.3\""]
        .iter()
        .map(|k| text.find(k).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn every_save_keeps_the_previous_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let first = sample();
    let fp = store.save(&first, Fingerprint::Absent).unwrap();
    let first_bytes = fs::read(store.path()).unwrap();
    let mut second = first.clone();
    second.set_status("1.1", Status::Resolved, at("2026-11-23T09:00:00+08:00"));
    store.save(&second, fp).unwrap();
    assert_eq!(fs::read(store.backup_path()).unwrap(), first_bytes);
    assert_eq!(store.load("test").unwrap().progress, second);
}

#[test]
fn a_file_changed_by_someone_else_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let fp = store.save(&sample(), Fingerprint::Absent).unwrap();
    // Another program writes in between.
    let mut theirs = sample();
    theirs
        .add_note("3.1", "their note", at("2026-11-24T09:00:00+08:00"))
        .unwrap();
    store.save(&theirs, fp).unwrap();
    let their_bytes = fs::read(store.path()).unwrap();

    let mut ours = sample();
    ours.add_note("3.2", "our note", at("2026-11-24T09:05:00+08:00"))
        .unwrap();
    let err = store.save(&ours, fp).unwrap_err();
    assert!(matches!(err, StoreError::Changed { .. }), "{err}");
    assert_eq!(fs::read(store.path()).unwrap(), their_bytes);
}

#[test]
fn update_under_the_lock_loses_no_note_from_concurrent_threads() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    std::thread::scope(|s| {
        for t in 0..4 {
            let store = store.clone();
            s.spawn(move || {
                for i in 0..15 {
                    store
                        .update("test", |p| {
                            let text = format!("thread {t} note {i}");
                            p.add_note("1.1", &text, Stamp::now()).unwrap();
                            (true, ())
                        })
                        .unwrap();
                }
            });
        }
    });
    let p = store.load("test").unwrap().progress;
    assert_eq!(p.item("1.1").unwrap().notes.len(), 60);
}

/// A save that fails at any step leaves the file as it was (or, past the commit, as new),
/// and a later save succeeds.
#[test]
fn a_save_interrupted_at_each_step_leaves_old_or_new_file() {
    for step in [
        fault::Step::Backup,
        fault::Step::Create,
        fault::Step::Write,
        fault::Step::Sync,
        fault::Step::Commit,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let store = store_in(&dir);
        let old = sample();
        let fp = store.save(&old, Fingerprint::Absent).unwrap();
        let old_bytes = fs::read(store.path()).unwrap();
        let mut new = old.clone();
        new.add_note("4.1", "新進展", at("2026-11-25T09:00:00+08:00"))
            .unwrap();

        fault::FAIL_AT.with(|f| f.set(Some(step)));
        let err = store.save(&new, fp).unwrap_err();
        fault::FAIL_AT.with(|f| f.set(None));
        assert!(err.to_string().contains("injected"), "{step:?}: {err}");
        assert_eq!(fs::read(store.path()).unwrap(), old_bytes, "{step:?}");
        let leftovers = temp_files(&store);
        assert!(
            leftovers.is_empty(),
            "{step:?}: temp files left: {leftovers:?}"
        );

        store.save(&new, fp).unwrap();
        assert_eq!(store.load("test").unwrap().progress, new);
    }
}

/// A failure after the new file is in place (the directory fsync): the error is reported,
/// the file holds the new ledger whole, and the next save works.
#[test]
fn a_failure_after_the_new_file_is_in_place_is_reported_and_the_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let old = sample();
    let fp = store.save(&old, Fingerprint::Absent).unwrap();
    let mut new = old.clone();
    new.add_note("4.1", "新進展", at("2026-11-25T09:00:00+08:00"))
        .unwrap();
    fault::FAIL_AT.with(|f| f.set(Some(fault::Step::DirSync)));
    let err = store.save(&new, fp).unwrap_err();
    fault::FAIL_AT.with(|f| f.set(None));
    assert!(err.to_string().contains("injected"), "{err}");
    let snap = store.load("test").unwrap();
    assert_eq!(snap.progress, new);
    new.add_note("4.1", "再一條", at("2026-11-26T09:00:00+08:00"))
        .unwrap();
    store.save(&new, snap.fingerprint).unwrap();
    assert_eq!(store.load("test").unwrap().progress, new);
}

/// A killed save's temporary files (named `.rectify-tmp-…`) are cleared by the next save;
/// another program's that look alike (rsync's partial file `.test.ron.Ab12Cd`) are not.
#[test]
fn temporary_files_of_a_killed_save_are_cleared_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    store.save(&sample(), Fingerprint::Absent).unwrap();
    let d = store.path().parent().unwrap();
    for stale in [
        ".rectify-tmp-test.ron.a1B2c3",
        ".rectify-tmp-test.ron.bak.Zz9yX8",
    ] {
        fs::write(d.join(stale), "half a save").unwrap();
    }
    for others in [
        ".test.ron.Ab12Cd",
        ".test.ron.bak.Zz9yX8",
        ".test.ron.notes",
    ] {
        fs::write(d.join(others), "not ours").unwrap();
    }
    store
        .update("test", |p| {
            (p.add_note("1.1", "x", Stamp::now()).is_ok(), ())
        })
        .unwrap();
    let mut left: Vec<String> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".test.ron.Ab12Cd",
            ".test.ron.bak.Zz9yX8",
            ".test.ron.notes",
            "test.ron",
            "test.ron.bak",
            "test.ron.lock"
        ]
    );
}

/// A version 2 file written by the writer rectify had before (a hand copy of ron's, since
/// removed) is read and saved as version 3, where only the version and the measures differ;
/// that file, read and saved again, is the same bytes, odd characters and all.
#[test]
fn a_file_is_written_as_it_always_was() {
    let v2 = include_str!("written_before.ron");
    let p = parse(v2.as_bytes(), Path::new("p.ron"), "inner-mongolia-sg15").unwrap();
    let before = include_str!("written_v3.ron");
    assert_eq!(to_ron(&p), before);
    let p = parse(before.as_bytes(), Path::new("p.ron"), "inner-mongolia-sg15").unwrap();
    assert_eq!(to_ron(&p), before);
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let fp = store.save(&p, Fingerprint::Absent).unwrap();
    assert_eq!(fs::read_to_string(store.path()).unwrap(), before);
    assert_eq!(fp, Fingerprint::of(Some(before.as_bytes())));
}

/// A report written in pieces is the pieces one after the other, and replaces the file whole.
#[test]
fn pieces_are_written_one_after_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    std::fs::write(&path, "old").unwrap();
    let pieces: [&[u8]; 4] = [b"{\n", b"", "  \"中\": 1".as_bytes(), b"\n}\n"];
    atomic_write_pieces(&path, pieces).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), pieces.concat());
    atomic_write_pieces(&path, []).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"");
}

/// A failure at any step of writing a report in pieces leaves the old file as it was, and
/// no temporary file beside it.
#[test]
fn a_failed_write_of_pieces_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let pieces: [&[u8]; 3] = [b"{\n", "  \"中\": 1".as_bytes(), b"\n}\n"];
    for step in [
        fault::Step::Create,
        fault::Step::Write,
        fault::Step::Sync,
        fault::Step::Commit,
    ] {
        fs::write(&path, "old").unwrap();
        fault::FAIL_AT.with(|f| f.set(Some(step)));
        let err = write_pieces(&path, &pieces, true).unwrap_err();
        fault::FAIL_AT.with(|f| f.set(None));
        assert!(err.to_string().contains("injected"), "{step:?}: {err}");
        assert_eq!(fs::read(&path).unwrap(), b"old", "{step:?}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "{step:?}");
    }
    write_pieces(&path, &pieces, true).unwrap();
    assert_eq!(fs::read(&path).unwrap(), pieces.concat());
}

/// A large ledger is saved block by block, never whole in memory: the file is the text of
/// `to_ron`, the fingerprint the one a load takes, the `.bak` the file before.
#[test]
fn a_large_ledger_saved_is_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let mut p = large();
    let fp = store.save(&p, Fingerprint::Absent).unwrap();
    let first = fs::read(store.path()).unwrap();
    assert_eq!(first, to_ron(&p).as_bytes());
    // Against ron's own writer, so that a block written twice or out of order shows.
    assert_is_what_ron_writes(std::str::from_utf8(&first).unwrap(), &p);
    assert_eq!(store.load(&p.checklist).unwrap().fingerprint, fp);
    p.add_note("2.2", "第二次", at("2026-11-30T09:00:00+08:00"))
        .unwrap();
    let fp = store.save_from(std::sync::Arc::new(p.clone()), fp).unwrap();
    assert_eq!(fs::read(store.backup_path()).unwrap(), first);
    let snap = store.load(&p.checklist).unwrap();
    assert_eq!((snap.progress, snap.fingerprint), (p, fp));
}

/// A large file changed by someone else is seen as changed: nothing is written, and the
/// `.bak` is left as it was, even when the backup could not have been written.
#[test]
fn a_large_file_changed_by_someone_else_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let p = large();
    let fp = store.save(&p, Fingerprint::Absent).unwrap();
    store.save(&p, fp).unwrap();
    let bak = fs::read(store.backup_path()).unwrap();
    // Another program changes one byte near the end, the length kept.
    let mut theirs = fs::read(store.path()).unwrap();
    let at = theirs.len() - 10;
    theirs[at] = b' ';
    fs::write(store.path(), &theirs).unwrap();
    for fail in [
        None,
        Some(fault::Step::Create),
        Some(fault::Step::Write),
        Some(fault::Step::Sync),
        Some(fault::Step::Backup),
    ] {
        fault::FAIL_AT.with(|f| f.set(fail));
        let err = store.save(&p, fp).unwrap_err();
        fault::FAIL_AT.with(|f| f.set(None));
        assert!(matches!(err, StoreError::Changed { .. }), "{fail:?}: {err}");
        assert_eq!(fs::read(store.path()).unwrap(), theirs);
        assert_eq!(fs::read(store.backup_path()).unwrap(), bak);
    }
    // Longer is changed too.
    let mut longer = theirs.clone();
    longer.push(b'\n');
    fs::write(store.path(), &longer).unwrap();
    let err = store.save(&p, fp).unwrap_err();
    assert!(matches!(err, StoreError::Changed { .. }), "{err}");
    assert_eq!(fs::read(store.backup_path()).unwrap(), bak);
    // Gone is changed too.
    fs::remove_file(store.path()).unwrap();
    let err = store.save(&p, fp).unwrap_err();
    assert!(matches!(err, StoreError::Changed { .. }), "{err}");
}

/// A file replaced by renaming another over it, after it was opened, is no longer the file
/// at its path: what a save checks is what will be replaced.
#[test]
fn a_file_renamed_over_is_not_the_one_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.ron");
    fs::write(&path, "old").unwrap();
    let open = File::open(&path).unwrap();
    assert!(still_at(&open, &path));
    fs::write(dir.path().join("new"), "old").unwrap();
    fs::rename(dir.path().join("new"), &path).unwrap();
    assert!(!still_at(&open, &path));
    fs::remove_file(&path).unwrap();
    assert!(!still_at(&open, &path));
}

/// A large save that fails at any step leaves the old file whole and no temporary file.
#[test]
fn a_large_save_interrupted_at_each_step_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let old = large();
    let fp = store.save(&old, Fingerprint::Absent).unwrap();
    let old_bytes = fs::read(store.path()).unwrap();
    let mut new = old.clone();
    new.add_note("4.1", "新進展", at("2026-11-30T09:00:00+08:00"))
        .unwrap();
    let temps = || temp_files(&store);
    for step in [
        fault::Step::Backup,
        fault::Step::Create,
        fault::Step::Write,
        fault::Step::Sync,
        fault::Step::Commit,
    ] {
        fault::FAIL_AT.with(|f| f.set(Some(step)));
        let err = store.save(&new, fp).unwrap_err();
        fault::FAIL_AT.with(|f| f.set(None));
        assert!(err.to_string().contains("injected"), "{step:?}: {err}");
        assert_eq!(fs::read(store.path()).unwrap(), old_bytes, "{step:?}");
        assert!(temps().is_empty(), "{step:?}: {:?}", temps());
    }
}

/// A version 2 file is kept as it was (`.v2.bak`) past the saves that replace its `.bak`.
#[test]
fn an_older_version_outlives_the_saves_that_upgrade_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    let v2 = include_str!("written_before.ron").replace("inner-mongolia-sg15", "test");
    fs::write(store.path(), &v2).unwrap();
    let snap = store.load("test").unwrap();
    let mut p = snap.progress.clone();
    let fp = store.save(&p, snap.fingerprint).unwrap();
    p.add_note(
        "1.1",
        "二",
        "2026-12-01T09:00:00+08:00"
            .parse::<crate::model::Stamp>()
            .unwrap(),
    )
    .unwrap();
    store.save(&p, fp).unwrap();
    let kept = store.path().with_file_name("test.ron.v2.bak");
    assert_eq!(fs::read_to_string(&kept).unwrap(), v2);
    assert!(
        fs::read_to_string(store.backup_path())
            .unwrap()
            .contains("version: 3,")
    );
    // A version 3 file makes no such copy.
    fs::remove_file(&kept).unwrap();
    let fp = store.fingerprint_now().unwrap();
    store.save(&p, fp).unwrap();
    assert!(!kept.exists());
}
