//! What the loop's I/O reports: the save state, merges from disk, read-only and back,
//! exports. The I/O itself is tested in `tui::persist`.

use super::*;

fn failed(a: &mut App) {
    let revision = a.revision;
    let full = std::io::Error::other("disk full");
    let result = Err(StoreError::io(std::path::Path::new("p.ron"), "write", full));
    update(a, Msg::Saved { revision, result });
}

fn note(a: &mut App, item: &str, text: &str) {
    let now = a.now;
    a.progress_mut().add_note(item, text, now).unwrap();
    a.touched();
}

/// A save is shown as saved only while the ledger is what was saved; a failure is shown,
/// and a retry that lands ends it.
#[test]
fn a_save_is_shown_saved_failed_or_still_pending() {
    let mut a = app();
    note(&mut a, "1.1", "one");
    let saving = a.revision;
    note(&mut a, "1.2", "two");
    let result = Ok(());
    update(
        &mut a,
        Msg::Saved {
            revision: saving,
            result,
        },
    );
    assert_eq!(
        a.save,
        SaveState::Pending,
        "the second note is not on disk yet"
    );
    let (revision, result) = (a.revision, Ok(()));
    update(&mut a, Msg::Saved { revision, result });
    assert_eq!(a.save, SaveState::Saved(a.now));

    failed(&mut a);
    assert_eq!(
        a.save,
        SaveState::Failed("p.ron: cannot write: disk full".into())
    );
    // A retry lands, but a merge moved the ledger on meanwhile: no longer failed, and
    // the newer ledger waits to be saved.
    let saving = a.revision;
    note(&mut a, "1.3", "three");
    let result = Ok(());
    update(
        &mut a,
        Msg::Saved {
            revision: saving,
            result,
        },
    );
    assert_eq!(a.save, SaveState::Pending);
    failed(&mut a);
    let (revision, result) = (a.revision, Ok(()));
    update(&mut a, Msg::Saved { revision, result });
    assert_eq!(a.save, SaveState::Saved(a.now), "the retry landed");
}

/// What another program wrote is merged in; ours is written again when our save met that
/// write, or when ours holds something the file lacks; a file that cannot be read is
/// shown and nothing is written over it.
#[test]
fn a_merge_from_disk_asks_for_a_save_only_when_ours_holds_more() {
    let mut a = app();
    let theirs = elsewhere(&a, |p| {
        p.add_note("2.1", "from the CLI", at("2026-11-29T14:01:00+08:00"))
            .unwrap();
    });
    let on_disk = Ok(Box::new(theirs.clone()));
    let effect = update(
        &mut a,
        Msg::DiskChanged {
            on_disk,
            unwritten: false,
        },
    );
    assert_eq!(effect, Effect::None, "nothing of ours to write");
    assert_eq!(a.save, SaveState::Clean);
    assert_eq!(a.message.as_deref(), Some("1 note merged"));
    assert_eq!(*a.progress, theirs);

    // Ours has a change the file lacks, and the merge brings something new.
    note(&mut a, "1.1", "ours");
    a.save = SaveState::Saved(a.now);
    let theirs = elsewhere(&a, |p| {
        p.add_note("2.2", "again", at("2026-11-29T14:02:00+08:00"))
            .unwrap();
        p.items.remove("1.1");
    });
    let on_disk = Ok(Box::new(theirs));
    let effect = update(
        &mut a,
        Msg::DiskChanged {
            on_disk,
            unwritten: false,
        },
    );
    assert_eq!(effect, Effect::Save);
    assert_eq!(a.save, SaveState::Pending);

    // Our save met another write: ours is still to be written, whatever came in.
    a.save = SaveState::Saved(a.now);
    let on_disk = Ok(Box::new((*a.progress).clone()));
    let effect = update(
        &mut a,
        Msg::DiskChanged {
            on_disk,
            unwritten: true,
        },
    );
    assert_eq!((effect, &a.save), (Effect::Save, &SaveState::Pending));

    let on_disk = Err(StoreError::Parse {
        file: "p.ron".into(),
        line: 1,
        col: 10,
        message: "expected `)`".into(),
    });
    let effect = update(
        &mut a,
        Msg::DiskChanged {
            on_disk,
            unwritten: true,
        },
    );
    assert_eq!(effect, Effect::None);
    assert!(matches!(&a.save, SaveState::Failed(e) if e.contains("p.ron:1:")));
}

/// A read-only ledger merges without asking to save, says why it is read-only when it
/// becomes so (not every time it looks again), and says so when it may be written again.
#[test]
fn read_only_says_why_once_and_the_take_over_says_so() {
    let mut a = app();
    update(&mut a, Msg::ReadOnly(Some("read-only: the file".into())));
    assert!(a.read_only);
    assert_eq!(a.message.as_deref(), Some("read-only: the file"));
    a.message = None;
    update(&mut a, Msg::ReadOnly(None));
    assert_eq!(
        (a.read_only_why.as_deref(), a.message.as_deref()),
        (None, None)
    );

    let theirs = elsewhere(&a, |p| {
        p.add_note("2.1", "from the other window", a.now).unwrap();
    });
    let on_disk = Ok(Box::new(theirs));
    let effect = update(
        &mut a,
        Msg::DiskChanged {
            on_disk,
            unwritten: false,
        },
    );
    assert_eq!((effect, &a.save), (Effect::None, &SaveState::Clean));

    update(&mut a, Msg::Writable);
    assert!(!a.read_only);
    let t = a.lang.strings();
    assert_eq!(
        a.message.as_deref(),
        Some(t.writable),
        "the other window closed"
    );

    let mut b = app();
    update(&mut b, Msg::ReadOnly(Some("read-only: the folder".into())));
    update(&mut b, Msg::Writable);
    assert_eq!(
        b.message.as_deref(),
        Some(t.writable_now),
        "the file may be written"
    );
    assert_eq!(b.read_only_why, None);
}

#[test]
fn exports_author_and_the_ledger_read_after_the_first_frame() {
    let mut a = app();
    update(
        &mut a,
        Msg::Exported(Ok("rectify-summary-2026-11-29.md".into())),
    );
    assert_eq!(
        a.message.as_deref(),
        Some("exported: rectify-summary-2026-11-29.md")
    );
    let full = crate::export::ExportError::Write {
        name: "x.md".into(),
        source: std::io::Error::other("disk full"),
    };
    update(&mut a, Msg::Exported(Err(full)));
    assert_eq!(a.message.as_deref(), Some("x.md: disk full"));

    update(&mut a, Msg::Author(Some("王芳".into())));
    assert_eq!(a.author.as_deref(), Some("王芳"));

    a.reading = Some(18_000_000);
    let theirs = elsewhere(&a, |p| {
        p.add_note("2.1", "read", a.now).unwrap();
    });
    let before = a.revision;
    update(&mut a, Msg::LedgerRead(Box::new(theirs.clone())));
    assert_eq!((a.reading, &*a.progress), (None, &theirs));
    assert!(a.revision > before, "rows and counts are worked out again");
}
