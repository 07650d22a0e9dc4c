//! Measures (整改措施) from the command line, run as a user would: the real binary, a
//! temporary HOME, the time fixed at 2026-11-29 14:03.

mod common;

use common::{Sandbox, load, stderr};
use rectify::model::Status;

/// A sandbox whose writer is "someone" (the config file's author), whatever the login.
fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.write("xdg-config/rectify/config.ron", br#"(author: "someone")"#);
    s
}

/// Adds the two measures of problem 2.5 most tests start from.
fn two_measures(s: &Sandbox) {
    let id = s.ok(&[
        "measure",
        "add",
        "2.5",
        "建立涉案財產處置台賬",
        "--goal",
        "涉案財產全部依法處置",
        "--owner",
        "自治區高級人民法院",
        "--partners",
        "公安廳，檢察院、 ;財政廳；",
        "--leader",
        "張副院長",
        "--person",
        "王偉",
        "--deadline",
        "2026年12月底前",
    ]);
    assert_eq!(id, "2.5.1\n", "only the id, for scripts");
    let id = s.ok(&[
        "measure",
        "add",
        "2.5",
        "開展財產刑執行專項檢查",
        "--deadline",
        "2026-11-15",
    ]);
    assert_eq!(id, "2.5.2\n");
}

/// The line `n` lines after the first one containing `needle`.
fn line_after<'a>(text: &'a str, needle: &str, n: usize) -> &'a str {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"));
    lines.get(at + n).copied().unwrap_or_default()
}

/// Runs a command that must be refused as a mistake (exit 2) and returns its message.
fn refused(s: &Sandbox, args: &[&str]) -> String {
    let out = s.run(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "rectify {args:?}: {}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "rectify {args:?} printed on stdout");
    stderr(&out)
}

#[test]
fn measures_are_added_with_their_fields_and_listed_under_their_problem() {
    let s = sandbox();
    two_measures(&s);

    let p = load(&s.data_file());
    let (item, n, m) = p.measure("2.5.1").unwrap();
    assert_eq!((item, n), ("2.5", 1));
    assert_eq!(m.text(), "建立涉案財產處置台賬");
    assert_eq!(m.goal(), "涉案財產全部依法處置");
    assert_eq!(m.owner(), "自治區高級人民法院");
    assert_eq!(m.partners(), ["公安廳", "檢察院", "財政廳"]);
    assert_eq!(m.leader(), "張副院長");
    assert_eq!(m.person(), "王偉");
    assert_eq!(m.deadline().unwrap().to_string(), "2026-12-31");
    assert_eq!(p.measure("2.5.2").unwrap().2.owner(), "");

    let list = s.ok(&["list", "--lang", "zh-Hant"]);
    let lines: Vec<&str> = list.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("  [ ] 2.5 "))
        .expect(&list);
    assert_eq!(
        lines[at + 1],
        "      [ ] 2.5.1 建立涉案財產處置台賬  自治區高級人民法院 · 2026年12月31日前"
    );
    assert_eq!(
        lines[at + 2],
        "      [ ] 2.5.2 開展財產刑執行專項檢查  2026年11月15日前  ⚠ 逾期"
    );
    assert_eq!(lines.len(), 1 + 6 + 22 + 2, "{list}");

    let show = s.ok(&["show", "2.5"]);
    for needle in [
        "Measures:\n  2.5.1 [ ] 建立涉案財產處置台賬\n      Lead unit: 自治區高級人民法院 · Deadline: 2026-12-31 · Status: open\n",
        "  2.5.2 [ ] 開展財產刑執行專項檢查\n      Lead unit: — · Deadline: 2026-11-15 · Status: open  ⚠ overdue\n",
        "Status: [ ] open  ⚠ overdue",
    ] {
        assert!(show.contains(needle), "missing {needle:?} in:\n{show}");
    }

    let show = s.ok(&["--lang", "zh-Hant", "show", "2.5.1"]);
    for needle in [
        "2.5.1 [問題 2.5 “打財斷血”問題突出",
        "\n建立涉案財產處置台賬\n",
        "狀態: [ ] 未整改",
        "整改目標: 涉案財產全部依法處置",
        "牽頭單位: 自治區高級人民法院",
        "配合單位: 公安廳、檢察院、財政廳",
        "責任領導: 張副院長",
        "責任人: 王偉",
        "整改時限: 2026年12月31日前",
        "進展: 暫無進展記錄",
    ] {
        assert!(show.contains(needle), "missing {needle:?} in:\n{show}");
    }

    assert_eq!(
        s.ok(&["status"]),
        "0/22 resolved · 0 in progress · 1 overdue · measures 0/2\n"
    );
    assert_eq!(
        s.ok(&["--lang", "zh-Hans", "status"]),
        "已完成0/22 · 正在整改0 · 逾期1 · 措施0/2\n"
    );
}

#[test]
fn a_problem_follows_its_measures_and_is_not_marked_resolved_over_open_ones() {
    let s = sandbox();
    two_measures(&s);
    let before = std::fs::read(s.data_file()).unwrap();

    let err = refused(&s, &["mark", "2.5", "resolved"]);
    assert!(
        err.contains("2.5 has measures not yet resolved: 2.5.1, 2.5.2"),
        "{err}"
    );
    assert!(err.contains("2.5.1 [ ] 建立涉案財產處置台賬"), "{err}");
    let err = refused(&s, &["mark", "2.5", "verified"]);
    assert!(err.contains("2.5.1, 2.5.2"), "{err}");
    let err = refused(&s, &["mark", "2.5", "in-progress"]);
    assert!(err.contains("follows its measures"), "{err}");
    assert_eq!(
        std::fs::read(s.data_file()).unwrap(),
        before,
        "nothing written"
    );

    assert_eq!(
        s.ok(&["mark", "2.5.1", "resolved"]),
        "2.5.1: open → resolved\n"
    );
    assert_eq!(load(&s.data_file()).status("2.5"), Status::InProgress);
    let err = refused(&s, &["mark", "2.5", "resolved"]);
    assert!(
        err.contains("not yet resolved: 2.5.2") && !err.contains("2.5.1"),
        "only the open one: {err}"
    );

    s.ok(&["mark", "2.5.2", "resolved"]);
    assert_eq!(load(&s.data_file()).status("2.5"), Status::Resolved);
    assert!(s.ok(&["show", "2.5"]).contains("Status: [x] resolved"));
    assert_eq!(
        s.ok(&["status"]),
        "1/22 resolved · 0 in progress · 0 overdue · measures 2/2\n"
    );

    assert_eq!(
        s.ok(&["mark", "2.5", "verified"]),
        "2.5: resolved → verified\n"
    );
    let p = load(&s.data_file());
    assert_eq!(p.status("2.5"), Status::Verified);
    assert_eq!(p.status("2.5.1"), Status::Resolved);
}

#[test]
fn reopening_needs_a_reason_and_shows_it_in_the_history() {
    let s = sandbox();
    two_measures(&s);
    let err = refused(&s, &["reopen", "2.5", "--reason", "回頭看"]);
    assert!(err.contains("2.5 is not resolved"), "{err}");
    s.ok(&["mark", "2.5.1", "resolved"]);
    s.ok(&["mark", "2.5.2", "resolved"]);
    s.ok(&["mark", "2.5", "verified"]);
    let err = refused(&s, &["reopen", "2.5", "--reason", " "]);
    assert!(err.contains("needs a reason"), "{err}");

    assert_eq!(
        s.ok(&[
            "reopen",
            "2.5",
            "--reason",
            "回頭看發現財產刑執行反彈",
            "--on",
            "2026-11-28"
        ]),
        "2.5: verified → in progress\n"
    );
    let p = load(&s.data_file());
    assert_eq!(p.status("2.5"), Status::InProgress);
    let change = p.item("2.5").unwrap().last_change().unwrap();
    assert_eq!(change.reason.as_deref(), Some("回頭看發現財產刑執行反彈"));
    assert_eq!(change.on, Some(jiff::civil::date(2026, 11, 28)));

    let show = s.ok(&["show", "2.5"]);
    assert_eq!(
        line_after(&show, "verified → in progress", 0)
            .rsplit_once("  ")
            .map(|(_, r)| r),
        Some("(someone) · happened on 2026-11-28"),
        "{show}"
    );
    assert_eq!(
        line_after(&show, "verified → in progress", 1),
        "     reason: 回頭看發現財產刑執行反彈"
    );

    // A measure reopens the same way, and shows its own history.
    s.ok(&["reopen", "2.5.2", "--reason", "抽查發現漏項"]);
    let show = s.ok(&["--lang", "zh-Hant", "show", "2.5.2"]);
    assert!(
        line_after(&show, "狀態變更:", 1).starts_with("  2026-11-29 14:03  未整改 → 已完成  ("),
        "{show}"
    );
    assert!(
        line_after(&show, "狀態變更:", 2).starts_with("  2026-11-29 14:03  已完成 → 正在整改  ("),
        "{show}"
    );
    assert_eq!(line_after(&show, "狀態變更:", 3), "     原因: 抽查發現漏項");
}

#[test]
fn notes_and_marks_carry_the_day_they_happened_but_never_a_day_to_come() {
    let s = sandbox();
    two_measures(&s);
    assert_eq!(
        s.ok(&[
            "note",
            "2.5.1",
            "已處置涉案房產 12 處",
            "--on",
            "2026-11-20"
        ]),
        "2.5.1: note #1 added\n"
    );
    s.ok(&["mark", "2.5.1", "in-progress", "--on", "2026-11-18"]);
    s.ok(&["note", "2.5", "problem note"]);

    let p = load(&s.data_file());
    let m = p.measure("2.5.1").unwrap().2;
    assert_eq!(m.notes[0].on, Some(jiff::civil::date(2026, 11, 20)));
    assert_eq!(m.history[0].on, Some(jiff::civil::date(2026, 11, 18)));
    assert_eq!(
        p.item("2.5").unwrap().notes[0].text,
        "problem note",
        "the problem's note went to the problem"
    );
    assert!(p.item("2.5").unwrap().notes[0].on.is_none());

    let show = s.ok(&["show", "2.5.1"]);
    assert_eq!(
        line_after(&show, "  #1 ", 0),
        "  #1 2026-11-29 14:03 · someone · happened on 2026-11-20"
    );
    assert_eq!(line_after(&show, "  #1 ", 1), "     已處置涉案房產 12 處");
    assert_eq!(
        line_after(&show, "open → in progress", 0),
        "  2026-11-29 14:03  open → in progress  (someone) · happened on 2026-11-18"
    );

    let before = std::fs::read(s.data_file()).unwrap();
    for args in [
        &["note", "2.5.1", "明天的事", "--on", "2026-11-30"][..],
        &["mark", "2.5.2", "resolved", "--on", "2026-11-30"],
        &["reopen", "2.5.1", "--reason", "x", "--on", "2027-01-01"],
    ] {
        let err = refused(&s, args);
        assert!(err.contains("is after today (2026-11-29)"), "{err}");
    }
    let err = refused(&s, &["note", "2.5.1", "x", "--on", "2026-11-31"]);
    assert!(err.contains("not a date"), "{err}");
    assert_eq!(std::fs::read(s.data_file()).unwrap(), before);
}

#[test]
fn a_measures_notes_are_edited_and_deleted_by_their_numbers() {
    let s = sandbox();
    two_measures(&s);
    s.ok(&["note", "2.5.2", "first"]);
    assert_eq!(s.ok(&["note", "2.5.2", "second"]), "2.5.2: note #2 added\n");
    assert_eq!(
        s.ok(&["note", "2.5.2", "--edit", "1", "first, corrected"]),
        "2.5.2: note #1 edited\n"
    );
    assert_eq!(
        s.ok(&["note", "2.5.2", "--delete", "2"]),
        "2.5.2: note #2 deleted\n"
    );
    let err = refused(&s, &["note", "2.5.2", "--delete", "2"]);
    assert!(err.contains("2.5.2 has no note #2; its notes: #1"), "{err}");
    let show = s.ok(&["show", "2.5.2"]);
    assert!(show.contains("#1 2026-11-29 14:03"), "{show}");
    assert!(show.contains("first, corrected") && !show.contains("second"));
    let p = load(&s.data_file());
    assert!(
        p.item("2.5").unwrap().notes.is_empty(),
        "none on the problem"
    );
}

#[test]
fn measure_set_changes_and_clears_fields() {
    let s = sandbox();
    two_measures(&s);
    let show = s.ok(&[
        "measure",
        "set",
        "2.5.1",
        "--owner",
        "",
        "--partners",
        "",
        "--deadline",
        "",
        "--text",
        "建立並公開涉案財產處置台賬",
        "--leader",
        "李副院長",
    ]);
    assert!(show.contains("Lead unit: —\nPartner units: —\n"), "{show}");
    assert!(show.contains("Responsible leader: 李副院長"), "{show}");
    assert!(show.contains("\n建立並公開涉案財產處置台賬\n"), "{show}");

    let p = load(&s.data_file());
    let m = p.measure("2.5.1").unwrap().2;
    assert_eq!(m.owner(), "");
    assert!(m.partners().is_empty());
    assert_eq!(m.deadline(), None);
    assert_eq!(m.goal(), "涉案財產全部依法處置", "not given, kept");
    assert_eq!(m.person(), "王偉");
    assert_eq!(m.text(), "建立並公開涉案財產處置台賬");

    // `set` takes measure ids too, and changes the measure, not its problem.
    s.ok(&[
        "set",
        "2.5.2",
        "--person",
        "趙敏",
        "--deadline",
        "immediate",
    ]);
    let p = load(&s.data_file());
    assert_eq!(p.measure("2.5.2").unwrap().2.person(), "趙敏");
    assert_eq!(p.item("2.5").unwrap().person(), "");

    let before = std::fs::read(s.data_file()).unwrap();
    let err = refused(
        &s,
        &["measure", "set", "2.5.1", "--text", " ", "--goal", "x"],
    );
    assert!(err.contains("text cannot be empty"), "{err}");
    let err = refused(&s, &["measure", "set", "2.5.1"]);
    assert!(err.contains("required"), "{err}");
    let err = refused(&s, &["set", "2.5.1", "--measures", "x"]);
    assert!(err.contains("measure set 2.5.1 --text"), "{err}");
    assert_eq!(
        std::fs::read(s.data_file()).unwrap(),
        before,
        "a refused change leaves the file as it was"
    );
}

#[test]
fn deleting_a_measure_keeps_the_numbers_of_the_others() {
    let s = sandbox();
    two_measures(&s);
    s.ok(&["measure", "add", "2.5", "third"]);
    assert_eq!(
        s.ok(&["measure", "delete", "2.5.1"]),
        "2.5.1: measure deleted\n"
    );
    let list = s.ok(&["list"]);
    assert!(!list.contains("2.5.1"), "{list}");
    assert!(list.contains("[ ] 2.5.2 開展財產刑執行專項檢查"), "{list}");
    assert!(list.contains("[ ] 2.5.3 third"), "{list}");
    assert!(s.ok(&["show", "2.5.2"]).contains("開展財產刑執行專項檢查"));
    assert_eq!(
        s.ok(&["measure", "add", "2.5", "fourth"]),
        "2.5.4\n",
        "a new one takes no old number"
    );

    let err = refused(&s, &["mark", "2.5.1", "resolved"]);
    assert!(
        err.contains("deleted measure \"2.5.1\"; the measures of 2.5: 2.5.2, 2.5.3, 2.5.4"),
        "{err}"
    );
    refused(&s, &["measure", "delete", "2.5.1"]);

    let p = load(&s.data_file());
    let item = p.item("2.5").unwrap();
    assert_eq!(
        item.measures.len(),
        4,
        "the deleted one stays as a tombstone"
    );
    assert!(item.measures[0].is_removed());
    assert_eq!(
        p.measure("2.5.2").unwrap().2.text(),
        "開展財產刑執行專項檢查"
    );
    assert_eq!(
        s.ok(&["status"]),
        "0/22 resolved · 0 in progress · 1 overdue · measures 0/3\n"
    );
}

#[test]
fn unknown_measure_ids_are_named_and_nothing_is_written() {
    let s = sandbox();
    for args in [
        &["mark", "2.5.1", "resolved"][..],
        &["note", "2.5.1", "x"],
        &["set", "2.5.1", "--owner", "x"],
        &["show", "2.5.1"],
        &["reopen", "2.5.1", "--reason", "x"],
        &["measure", "set", "2.5.1", "--goal", "x"],
        &["measure", "delete", "2.5.1"],
    ] {
        let err = refused(&s, args);
        assert!(
            err.contains("unknown measure \"2.5.1\"; 2.5 has no measures"),
            "{args:?}: {err}"
        );
    }
    assert!(!s.data_file().exists(), "nothing was written");

    two_measures(&s);
    let before = std::fs::read(s.data_file()).unwrap();
    let err = refused(&s, &["note", "2.5.9", "x"]);
    assert!(
        err.contains("unknown measure \"2.5.9\"; the measures of 2.5: 2.5.1, 2.5.2"),
        "{err}"
    );
    let err = refused(&s, &["mark", "9.9.1", "resolved"]);
    assert!(
        err.contains("unknown item \"9.9.1\"; valid ids: 1.1"),
        "{err}"
    );
    let err = refused(&s, &["measure", "add", "9.9", "x"]);
    assert!(err.contains("unknown item \"9.9\""), "{err}");
    let err = refused(&s, &["measure", "add", "2.5", " "]);
    assert!(err.contains("text cannot be empty"), "{err}");
    let err = refused(&s, &["measure", "delete", "2.5"]);
    assert!(err.contains("is a problem, not a measure"), "{err}");
    assert_eq!(std::fs::read(s.data_file()).unwrap(), before);
    let p = load(&s.data_file());
    assert_eq!(
        p.items.keys().collect::<Vec<_>>(),
        ["2.5"],
        "no stray item for an unknown id"
    );
}

#[test]
fn measures_round_trip_through_a_file_of_ones_own() {
    let s = sandbox();
    let file = s.dir.path().join("ledger/ours.ron");
    let f = file.to_str().unwrap();
    let id = s.ok(&[
        "--file",
        f,
        "measure",
        "add",
        "3.2",
        "清查在逃人員",
        "--partners",
        "公安廳、司法廳",
    ]);
    assert_eq!(id, "3.2.1\n");
    s.ok(&["--file", f, "mark", "3.2.1", "resolved"]);
    s.ok(&["--file", f, "note", "3.2.1", "已全部到案"]);
    assert!(!s.data_file().exists());

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("version: 3"), "{text}");
    let p = load(&file);
    let m = p.measure("3.2.1").unwrap().2;
    assert_eq!(m.partners(), ["公安廳", "司法廳"]);
    assert_eq!(m.status(), Status::Resolved);
    assert_eq!(m.notes[0].text, "已全部到案");
    assert_eq!(p.status("3.2"), Status::Resolved);

    // Read back by another run, and written again unchanged by one that changes nothing.
    let show = s.ok(&["--file", f, "show", "3.2.1"]);
    assert!(show.contains("Partner units: 公安廳, 司法廳"), "{show}");
    assert!(show.contains("Status: [x] resolved"), "{show}");
    s.ok(&["--file", f, "mark", "3.2.1", "resolved"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn the_measure_commands_have_help() {
    let s = sandbox();
    let help = s.ok(&["measure", "--help"]);
    for needle in ["add", "set", "delete"] {
        assert!(help.contains(needle), "{help}");
    }
    let add = s.ok(&["measure", "add", "--help"]);
    for needle in [
        "--goal",
        "--owner",
        "--partners",
        "--leader",
        "--person",
        "--deadline",
    ] {
        assert!(add.contains(needle), "{add}");
    }
    assert!(s.ok(&["measure", "set", "--help"]).contains("--text"));
    assert!(s.ok(&["reopen", "--help"]).contains("--reason"));
    assert!(s.ok(&["note", "--help"]).contains("--on"));
    assert!(s.ok(&["set", "--help"]).contains("Deprecated"));
}
