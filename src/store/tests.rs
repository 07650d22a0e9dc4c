use std::os::unix::fs::PermissionsExt;

use proptest::prelude::*;

use super::*;
use crate::model::progress::Field;
use crate::model::{Deadline, Stamp, Status};

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

fn sample() -> Progress {
    let mut p = Progress::new("test");
    p.set_status("1.1", Status::InProgress, at("2026-11-20T09:00:00+08:00"));
    p.add_note(
        "1.1",
        "召開專題學習會 | `code` # <b>",
        at("2026-11-21T10:30:00+08:00"),
    )
    .unwrap();
    p.set_text(
        "1.1",
        Field::Owner,
        "自治區掃黑辦",
        at("2026-11-20T09:01:00+08:00"),
    );
    p.set_deadline(
        "1.1",
        Some(Deadline::LongTerm),
        at("2026-11-20T09:02:00+08:00"),
    );
    p.set_draft("2.1", "草稿\n第二行", at("2026-11-22T09:00:00+08:00"));
    p
}

fn store_in(dir: &tempfile::TempDir) -> Store {
    Store::new(dir.path().join("data").join("test.ron"))
}

#[test]
fn a_missing_file_is_an_empty_ledger_and_is_not_created_by_reading() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let snap = store.load("test").unwrap();
    assert_eq!(snap.progress, Progress::new("test"));
    assert_eq!(snap.fingerprint, Fingerprint::Absent);
    assert!(!store.path().exists());
}

#[test]
fn saves_round_trip_as_readable_ron_with_private_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let p = sample();
    store.save(&p, Fingerprint::Absent).unwrap();
    assert_eq!(store.load("test").unwrap().progress, p);

    let text = fs::read_to_string(store.path()).unwrap();
    assert!(!text.contains('\r'));
    assert!(text.contains("version: 2,\n"), "{text}");
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

/// Each bad file: the error names the file and a line:col, and the file is untouched by
/// loading and by an attempted change.
#[test]
fn bad_files_are_refused_with_position_and_left_untouched() {
    let good = to_ron(&sample());
    /// Name, content, expected line:col ((0, 0): any), words the message must hold.
    type Case = (&'static str, Vec<u8>, (usize, usize), &'static str);
    let cases: Vec<Case> = vec![
        ("empty", vec![], (1, 1), "empty"),
        (
            "bom",
            [b"\xEF\xBB\xBF".as_slice(), good.as_bytes()].concat(),
            (1, 1),
            "byte-order mark",
        ),
        (
            "not utf-8",
            {
                let mut b = good.clone().into_bytes();
                b[good.find("召開").unwrap()] = 0xFF;
                b
            },
            (0, 0),
            "not valid UTF-8",
        ),
        (
            "truncated",
            good.as_bytes()[..good.len() / 2].to_vec(),
            (0, 0),
            "",
        ),
        (
            "corrupt",
            good.replacen("notes: [", "notes: [[", 1).into_bytes(),
            (0, 0),
            "",
        ),
        (
            "newer",
            good.replacen("version: 2,", "version: 7,", 1).into_bytes(),
            (4, 5),
            "newer rectify",
        ),
        (
            "foreign",
            good.replacen("checklist: \"test\"", "checklist: \"other\"", 1)
                .into_bytes(),
            (5, 5),
            "belongs to checklist \"other\"",
        ),
        (
            "nul",
            good.replacen("召開", "\0", 1).into_bytes(),
            (0, 0),
            "NUL",
        ),
        ("not ron", b"{\"version\": 1}".to_vec(), (1, 1), ""),
    ];
    for (name, bytes, pos, needle) in cases {
        let dir = tempfile::tempdir().unwrap();
        let store = store_in(&dir);
        fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        fs::write(store.path(), &bytes).unwrap();

        let err = store.load("test").unwrap_err();
        let StoreError::Parse {
            file,
            line,
            col,
            message,
        } = &err
        else {
            panic!("{name}: expected a parse error, got {err}");
        };
        assert_eq!(file, store.path(), "{name}");
        assert!(*line >= 1 && *col >= 1, "{name}: {err}");
        if pos != (0, 0) {
            assert_eq!((*line, *col), pos, "{name}: {err}");
        }
        assert!(message.contains(needle), "{name}: {err}");
        assert!(
            err.to_string()
                .starts_with(&format!("{}:{line}:{col}: ", store.path().display()))
        );

        let changed = store.update("test", |p| {
            p.add_note("1.1", "x", Stamp::now()).unwrap();
            (true, ())
        });
        assert!(changed.is_err(), "{name}");
        assert_eq!(
            fs::read(store.path()).unwrap(),
            bytes,
            "{name}: file changed"
        );
        assert!(!store.backup_path().exists(), "{name}: nothing was saved");
    }
}

#[test]
fn a_truncated_file_points_into_its_last_line() {
    let good = to_ron(&sample());
    let cut = &good[..good.len() - 10];
    let err = parse(cut.as_bytes(), Path::new("p.ron"), "test").unwrap_err();
    let StoreError::Parse { line, .. } = err else {
        panic!()
    };
    assert!(line >= cut.lines().count() - 1, "line {line}");
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

fn arb_stamp() -> impl Strategy<Value = Stamp> {
    (0i64..4_000_000_000_000, -12i32..=14).prop_map(|(ms, h)| Stamp {
        instant: jiff::Timestamp::from_millisecond(ms).unwrap(),
        offset: jiff::tz::Offset::from_hours(h as i8).unwrap(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever a user types survives a save and a load exactly.
    #[test]
    fn any_unicode_notes_round_trip(
        notes in proptest::collection::vec((any::<String>(), arb_stamp()), 0..6),
        owner in any::<String>(),
        item in "[0-9]{1,2}\\.[0-9]{1,2}",
    ) {
        let mut p = Progress::new("test");
        for (text, stamp) in &notes {
            let _ = p.add_note(&item, text, *stamp);
        }
        p.set_text(&item, Field::Owner, &owner, Stamp::now());
        let text = to_ron(&p);
        let back = parse(text.as_bytes(), Path::new("p.ron"), "test").unwrap();
        prop_assert_eq!(back, p);
    }
}

/// A file written by version 1 (no authors, one `draft` per item) is read, upgraded in
/// memory, and written as version 2 by the next save; the `.bak` keeps the version 1 file.
#[test]
fn a_version_1_file_is_migrated() {
    let v1 = r#"Progress(
    version: 1,
    checklist: "test",
    items: {
        "1.1": ItemProgress(
            history: [
                StatusChange(
                    id: "a",
                    at: "2026-11-20T09:00:00+08:00",
                    status: InProgress,
                ),
            ],
            notes: [
                Note(
                    id: "n",
                    at: "2026-11-21T10:30:00+08:00",
                    text: "舊版的進展",
                ),
            ],
            draft: Some(Stamped(
                value: "草稿",
                at: "2026-11-22T09:00:00+08:00",
            )),
        ),
    },
)
"#;
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    fs::write(store.path(), v1).unwrap();
    let snap = store.load("test").unwrap();
    let p = &snap.progress;
    assert_eq!(p.version, 2);
    assert_eq!(p.status("1.1"), Status::InProgress);
    let item = p.item("1.1").unwrap();
    assert_eq!(item.notes[0].text, "舊版的進展");
    assert_eq!(item.notes[0].by, None);
    assert_eq!(
        item.draft(Some("anyone")).unwrap().value,
        "草稿",
        "an unknown author's draft"
    );
    assert_eq!(
        fs::read_to_string(store.path()).unwrap(),
        v1,
        "reading does not rewrite"
    );

    let mut p = snap.progress.clone();
    p.add_note("1.1", "新的", at("2026-11-23T09:00:00+08:00"))
        .unwrap();
    store.save(&p, snap.fingerprint).unwrap();
    let text = fs::read_to_string(store.path()).unwrap();
    assert!(
        text.contains("version: 2,") && text.contains("drafts: {") && !text.contains("draft: Some"),
        "{text}"
    );
    assert_eq!(fs::read_to_string(store.backup_path()).unwrap(), v1);
    assert_eq!(store.load("test").unwrap().progress, p);
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

/// The quick header read agrees with ron wherever it answers, and leaves every other layout
/// to ron.
#[test]
fn the_quick_header_agrees_with_ron() {
    let mut p = Progress::new("inner-mongolia-sg15");
    p.add_note(
        "1.1",
        "一",
        crate::model::progress::Who::new(Stamp::now(), None),
    )
    .unwrap();
    let written = to_ron(&p);
    let cases = [
        written.as_str(),
        "Progress(version: 1, checklist: \"test\", items: {})",
        "// a comment\n(version: 2,checklist:\"a-b\",items:{})",
        "Progress(checklist: \"x\", version: 2, items: {})",
    ];
    for text in cases {
        let quick = super::quick_header(text).expect(text);
        let full: super::Header = ron::Options::default().from_str(text).unwrap();
        assert_eq!(
            (quick.version, quick.checklist),
            (full.version, full.checklist)
        );
    }
    for other in [
        "Progress(items: {}, version: 2, checklist: \"x\")",
        "Progress(version: 2, checklist: \"with \\\"quote\\\"\", items: {})",
        "/* block */ Progress(version: 2, checklist: \"x\")",
        "Progress(version: 99999999999, checklist: \"x\")",
        "",
    ] {
        assert!(super::quick_header(other).is_none(), "{other}");
    }
}

/// A large ledger is written a part on each core; put together, the parts are the text ron
/// writes for the whole, byte for byte, odd characters included.
#[test]
fn a_large_ledger_written_in_parts_is_what_ron_writes() {
    let (_, mut p) = crate::generated::generate(600);
    p.checklist = "生成\"清單\"\\600".into();
    let t = at("2026-11-29T09:00:00+08:00");
    p.add_note("1.1", "引號\"、反斜線\\、換行\n、\u{202E}與\u{7F}", t)
        .unwrap();
    p.set_text("6.100", Field::Measures, "'單引號' \t 與 tab", t);
    let pieces = pieces_of(&p, 3);
    assert_eq!(pieces, 5, "a heading, three parts and the end");
    let ours = crate::par::with_parts(3, || to_ron(&p));
    assert_eq!(ours, crate::par::with_parts(1, || to_ron(&p)));
    assert_is_what_ron_writes(&ours, &p);
    assert_eq!(
        parse(ours.as_bytes(), Path::new("p.ron"), &p.checklist).unwrap(),
        p
    );
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

/// How many pieces [`write_ron`] hands over for `p` in `parts` parts.
fn pieces_of(p: &Progress, parts: usize) -> usize {
    let mut pieces = 0;
    crate::par::with_parts(parts, || {
        write_ron(p, &mut |_| {
            pieces += 1;
            Ok(())
        })
    })
    .unwrap();
    pieces
}

/// `text` after its comment lines is what ron's own pretty printer writes for `p`.
fn assert_is_what_ron_writes(text: &str, p: &Progress) {
    let ron = ron::ser::to_string_pretty(p, crate::ron_fast::config()).unwrap();
    assert_eq!(text.split_once("closed.\n").unwrap().1, format!("{ron}\n"));
}

/// The files beside the store's file other than its own: temporary files left behind.
fn temp_files(store: &Store) -> Vec<String> {
    fs::read_dir(store.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !["test.ron", "test.ron.bak", "test.ron.lock"].contains(&n.as_str()))
        .collect()
}

/// A ledger large enough to be saved in several rounds.
fn large() -> Progress {
    let (_, mut p) = crate::generated::generate(1500);
    p.add_note(
        "1.1",
        "引號\"、換行\n、\u{202E}",
        at("2026-11-29T09:00:00+08:00"),
    )
    .unwrap();
    p
}

/// A large ledger is saved in rounds, never whole in memory: the file is the text of
/// `to_ron`, the fingerprint the one a load takes, the `.bak` the file before.
#[test]
fn a_large_ledger_saved_in_rounds_is_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let mut p = large();
    let pieces = pieces_of(&p, 2);
    assert!(pieces >= 6, "two rounds or more, in parts: {pieces} pieces");
    let fp = crate::par::with_parts(2, || store.save(&p, Fingerprint::Absent)).unwrap();
    let first = fs::read(store.path()).unwrap();
    assert_eq!(first, to_ron(&p).as_bytes());
    // Against ron's own writer, so that a round written twice or out of order shows.
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

/// A large save that fails at any step, or stops partway on a shape left to ron, leaves
/// the old file whole and no temporary file; the ron way writes the same text.
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
    // A shape left to ron in the second round: the text is written again the ron way.
    fault::LEFT_TO_RON_AT.with(|f| f.set(Some(1)));
    let fp = crate::par::with_parts(2, || store.save(&new, fp));
    assert_eq!(
        fault::LEFT_TO_RON_AT.with(|f| f.take()),
        None,
        "the second round met the shape left to ron"
    );
    assert_eq!(fs::read(store.path()).unwrap(), to_ron(&new).as_bytes());
    assert!(temps().is_empty(), "{:?}", temps());
    assert_eq!(store.load(&new.checklist).unwrap().fingerprint, fp.unwrap());
}
