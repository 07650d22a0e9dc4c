//! Issue 16, items 6 to 8, from the command line: a colleague's clock that ran ahead, the
//! numbers notes are given, and a hand-edited file with one id twice.

mod common;

use common::{NOW, Sandbox, load, place_of, stderr};
use rectify::model::Status;

const AHEAD: &str = "2026-12-20T09:00:00+08:00";

/// A future-dated status change does not freeze the item: the user's change takes effect,
/// and `show` says which entry is dated in the future.
#[test]
fn a_mark_after_a_future_dated_one_takes_effect() {
    let s = Sandbox::new();
    let ahead = s
        .command(&["mark", "1.1", "verified"])
        .env("RECTIFY_NOW", AHEAD)
        .output()
        .unwrap();
    assert!(ahead.status.success(), "{}", stderr(&ahead));
    let shown = s.ok(&["show", "1.1"]);
    assert!(
        shown.contains("Status: [✓] verified (2026-12-20 09:00 future date)"),
        "{shown}"
    );
    assert_eq!(s.ok(&["mark", "1.1", "open"]), "1.1: verified → open\n");
    assert_eq!(load(&s.data_file()).status("1.1"), Status::Open);
    let shown = s.ok(&["show", "1.1"]);
    assert!(shown.contains("Status: [ ] open\n"), "{shown}");
    // The history in the order the changes took effect, the one ahead marked.
    let history = &shown[shown.find("Status changes:").expect(&shown)..];
    let lines: Vec<&str> = history
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 2, "{shown}");
    for (line, want) in lines.iter().zip([
        "  2026-12-20 09:00 (future date)  open → verified",
        "  2026-11-29 14:03  verified → open",
    ]) {
        // Then the author, whoever runs the test.
        assert!(line.starts_with(want), "{shown}");
    }
    // And the next change takes effect too, at the same moment.
    assert_eq!(
        s.ok(&["mark", "1.1", "in-progress"]),
        "1.1: open → in progress\n"
    );
    assert_eq!(load(&s.data_file()).status("1.1"), Status::InProgress);
}

/// The number `note` prints is the one `show` gives and `--edit` takes, with a note dated
/// later (numbered after the new one) present.
#[test]
fn a_new_note_is_told_the_number_show_gives_it() {
    let s = Sandbox::new();
    let ahead = s
        .command(&["note", "2.1", "colleague's"])
        .env("RECTIFY_NOW", AHEAD)
        .output()
        .unwrap();
    assert!(ahead.status.success(), "{}", stderr(&ahead));
    assert_eq!(s.ok(&["note", "2.1", "mine"]), "2.1: note #1 added\n");
    let shown = s.ok(&["show", "2.1"]);
    let mine = shown.find("  #1 2026-11-29 14:03").expect(&shown);
    assert!(shown[mine..].lines().nth(1) == Some("     mine"), "{shown}");
    assert!(
        shown.contains("  #2 2026-12-20 09:00 (future date)"),
        "{shown}"
    );
    s.ok(&["note", "2.1", "--edit", "1", "mine, edited"]);
    let texts = common::note_texts(&s.data_file(), "2.1");
    assert!(texts.contains(&"colleague's".to_string()), "{texts:?}");
    assert!(texts.contains(&"mine, edited".to_string()), "{texts:?}");
    let _ = NOW;
}

/// A hand-edited file with one note id (or status change id) twice is refused with its
/// file, line and column, by every command, and left as it is.
#[test]
fn an_id_given_twice_is_refused_with_file_line_and_column() {
    let s = Sandbox::new();
    let note = |id: &str, text: &str| {
        format!(
            "                Note(\n                    id: \"{id}\",\n                    at: \"2026-11-29T14:00:00+08:00\",\n                    text: \"{text}\",\n                ),\n"
        )
    };
    let change = |id: &str, status: &str| {
        format!(
            "                StatusChange(\n                    id: \"{id}\",\n                    at: \"2026-11-29T14:00:00+08:00\",\n                    status: {status},\n                ),\n"
        )
    };
    let file = |name: &str, list: &str, entries: String| {
        let body = format!(
            "Progress(\n    version: 2,\n    checklist: \"inner-mongolia-sg15\",\n    items: {{\n        \"2.5\": ItemProgress(\n            {list}: [\n{entries}            ],\n        ),\n    }},\n)\n"
        );
        (s.write(name, body.as_bytes()), body)
    };
    for ((path, body), what, line) in [
        (
            file(
                "notes.ron",
                "notes",
                note("n-1", "first") + &note("n-2", "other") + &note("n-1", "second"),
            ),
            "note id \"n-1\" appears twice",
            // The second one ends on this line.
            21,
        ),
        (
            file(
                "history.ron",
                "history",
                change("c-1", "Resolved") + &change("c-1", "Open"),
            ),
            "status change id \"c-1\" appears twice",
            16,
        ),
    ] {
        let f = path.to_str().unwrap();
        for args in [
            &["list"][..],
            &["mark", "2.5", "open"],
            &["note", "2.5", "x"],
        ] {
            let mut all = vec!["--file", f];
            all.extend_from_slice(args);
            let out = s.run(&all);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = stderr(&out);
            assert!(err.contains(what), "{err}");
            assert_eq!(place_of(&err, &path).map(|(l, _)| l), Some(line), "{err}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), body, "{args:?}");
        }
    }
}
