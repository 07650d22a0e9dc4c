use proptest::prelude::*;

use super::*;

#[test]
fn a_missing_file_is_an_empty_ledger_and_is_not_created_by_reading() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let snap = store.load("test").unwrap();
    assert_eq!(snap.progress, Progress::new("test"));
    assert_eq!(snap.fingerprint, Fingerprint::Absent);
    assert!(!store.path().exists());
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
            good.replacen("version: 3,", "version: 7,", 1).into_bytes(),
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
    assert_eq!(p.version, crate::model::progress::VERSION);
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
        text.contains("version: 3,") && text.contains("drafts: {") && !text.contains("draft: Some"),
        "{text}"
    );
    assert_eq!(fs::read_to_string(store.backup_path()).unwrap(), v1);
    assert_eq!(store.load("test").unwrap().progress, p);
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
        p.set_text(&item, Field::Owner, &owner, Stamp::now()).unwrap();
        let text = to_ron(&p);
        let back = parse(text.as_bytes(), Path::new("p.ron"), "test").unwrap();
        prop_assert_eq!(back, p);
    }
}
