//! The command line, run as a user would: the real binary, a temporary HOME.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Sandbox, load, place_of, stderr};
use rectify::model::Status;

#[test]
fn progress_lives_in_the_xdg_data_dir_with_private_permissions() {
    let s = Sandbox::new();
    let out = s.ok(&["path"]);
    assert!(out.contains(&s.data_file().display().to_string()), "{out}");
    assert!(
        !s.data_file().exists(),
        "asking for the path writes nothing"
    );
    s.ok(&["mark", "1.1", "in-progress"]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&s.data_file()), 0o600);
    assert_eq!(mode(s.data_file().parent().unwrap()), 0o700);
}

#[test]
fn a_day_of_work_from_the_command_line() {
    let s = Sandbox::new();
    assert_eq!(
        s.ok(&["status"]),
        "0/22 resolved · 0 in progress · 0 overdue\n"
    );
    assert_eq!(
        s.ok(&["mark", "2.5", "in-progress"]),
        "2.5: open → in progress\n"
    );
    s.ok(&["note", "2.5", "已追繳涉案財產 1.2 億元"]);
    s.ok(&[
        "set",
        "2.5",
        "--owner",
        "自治區高級人民法院",
        "--person",
        "王偉",
        "--deadline",
        "2026-11-15",
        "--measures",
        "建立涉案財產處置台賬",
    ]);
    s.ok(&["mark", "1.1", "resolved"]);
    assert_eq!(
        s.ok(&["mark", "1.1", "resolved"]),
        "1.1: resolved (unchanged)\n"
    );
    // `set --measures` (deprecated) added a measure: the summary counts it.
    assert_eq!(
        s.ok(&["status"]),
        "1/22 resolved · 1 in progress · 1 overdue · measures 0/1\n"
    );
    assert_eq!(
        s.ok(&["status", "--lang", "zh-Hant"]),
        "已完成1/22 · 正在整改1 · 逾期1 · 措施0/1\n"
    );

    let show = s.ok(&["--lang", "zh-Hant", "show", "2.5"]);
    for needle in [
        "“打財斷血”問題突出",
        "狀態: [~] 正在整改  ⚠ 逾期",
        "牽頭單位: 自治區高級人民法院",
        "責任人: 王偉",
        "整改時限: 2026年11月15日前",
        "2.5.1 [ ] 建立涉案財產處置台賬",
        "#1 2026-11-29 14:03",
        "已追繳涉案財產 1.2 億元",
        "未整改 → 正在整改",
        "完善涉案財產處置",
    ] {
        assert!(show.contains(needle), "missing {needle:?} in:\n{show}");
    }

    let p = load(&s.data_file());
    assert_eq!(p.status("2.5"), Status::InProgress);
    assert_eq!(p.status("1.1"), Status::Resolved);
    let item = p.item("2.5").unwrap();
    assert_eq!(item.owner(), "自治區高級人民法院");
    assert_eq!(item.notes[0].text, "已追繳涉案財產 1.2 億元");
    assert_eq!(item.notes[0].at.to_string(), common::NOW);
}

#[test]
fn list_shows_areas_with_counts_and_filters_by_status() {
    let s = Sandbox::new();
    s.ok(&["mark", "1.2", "resolved"]);
    s.ok(&["note", "1.2", "完成"]);
    let list = s.ok(&["list", "--lang", "zh-Hant"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 1 + 6 + 22, "{list}");
    assert!(lines.contains(&"1 政治站位  1/4 ██░░░░░░"), "{list}");
    assert!(
        lines.contains(&"  [x] 1.2 有些部門掃黑除惡責任意識不強，主動擔當不夠。  ✎1"),
        "{list}"
    );
    let resolved = s.ok(&["list", "--status", "resolved"]);
    assert_eq!(resolved.lines().count(), 3, "{resolved}");
    assert!(resolved.contains("1.2"));
}

#[test]
fn notes_from_standard_input_are_kept_as_typed_and_can_be_edited_and_deleted() {
    let s = Sandbox::new();
    let text = "第一行：召開專題學習會\n第二行 | with `markdown` and 😀‍👩‍💻\n";
    let out = s.with_stdin(&["note", "1.1", "-"], text);
    assert!(out.status.success(), "{}", stderr(&out));
    s.ok(&["note", "1.1", "second"]);
    let p = load(&s.data_file());
    assert_eq!(p.item("1.1").unwrap().notes[0].text, text.trim_end());

    assert_eq!(
        s.ok(&["note", "1.1", "--edit", "2", "第二條，已修改"]),
        "1.1: note #2 edited\n"
    );
    assert_eq!(
        s.ok(&["note", "1.1", "--delete", "1"]),
        "1.1: note #1 deleted\n"
    );
    let show = s.ok(&["show", "1.1"]);
    assert!(show.contains("第二條，已修改"), "{show}");
    assert!(!show.contains("第一行"), "{show}");
    assert!(show.contains("#2 "), "numbers stay after a delete: {show}");
    let out = s.run(&["note", "1.1", "--delete", "1"]);
    assert_eq!(out.status.code(), Some(2), "#1 is already gone");
    assert!(
        stderr(&out).contains("1.1 has no note #1; its notes: #2"),
        "{}",
        stderr(&out)
    );
    let out = s.with_stdin(&["note", "1.1", "-"], "  \r\n");
    assert_eq!(out.status.code(), Some(2), "an empty note is a usage error");
    let out = s.with_stdin(&["note", "1.2", "-"], "一\r\n二\r\n");
    assert!(out.status.success());
    assert_eq!(
        load(&s.data_file()).item("1.2").unwrap().notes[0].text,
        "一\n二"
    );
}

#[test]
fn unknown_ids_and_statuses_say_what_is_valid() {
    let s = Sandbox::new();
    let out = s.run(&["mark", "9.9", "resolved"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unknown item \"9.9\"; valid ids: 1.1, 1.2"),
        "{err}"
    );
    assert!(err.contains("6.3"), "{err}");

    let out = s.run(&["mark", "1.1", "done"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("valid: open, in-progress, resolved, verified"),
        "{}",
        stderr(&out)
    );

    let out = s.run(&["set", "1.1", "--deadline", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("immediate or long-term"),
        "{}",
        stderr(&out)
    );
    assert!(!s.data_file().exists(), "nothing was written");
}

#[test]
fn deadlines_are_taken_as_offices_write_them_and_stored_normalised() {
    use jiff::civil::date;
    use rectify::model::Deadline;
    let s = Sandbox::new();
    let deadline = |id: &str| load(&s.data_file()).item(id).unwrap().deadline();
    // The sandbox's today is 2026-11-29.
    let out = s.ok(&["set", "1.1", "--deadline", "2026年12月底前"]);
    assert!(out.contains("Deadline: 2026-12-31"), "{out}");
    assert_eq!(deadline("1.1"), Some(Deadline::Date(date(2026, 12, 31))));
    let raw = std::fs::read_to_string(s.data_file()).unwrap();
    assert!(raw.contains("\"2026-12-31\""), "stored normalised:\n{raw}");
    assert!(!raw.contains("底"), "{raw}");
    let show = s.ok(&["--lang", "zh-Hant", "show", "1.1"]);
    assert!(show.contains("整改時限: 2026年12月31日前"), "{show}");
    let show = s.ok(&["--lang", "zh-Hans", "show", "1.1"]);
    assert!(show.contains("整改时限: 2026年12月31日前"), "{show}");

    // The year left out is the coming one; full-width digits are read.
    s.ok(&["set", "1.2", "--deadline", "１０月底前"]);
    assert_eq!(deadline("1.2"), Some(Deadline::Date(date(2027, 10, 31))));
    s.ok(&["set", "1.3", "--deadline", "11月30日前"]);
    assert_eq!(deadline("1.3"), Some(Deadline::Date(date(2026, 11, 30))));
    s.ok(&["set", "1.3", "--deadline", "长期坚持"]);
    assert_eq!(deadline("1.3"), Some(Deadline::LongTerm));
    s.ok(&["set", "1.3", "--deadline", ""]);
    assert_eq!(deadline("1.3"), None);

    // An impossible date is refused and nothing changes.
    let out = s.run(&["set", "1.1", "--deadline", "2026年2月30日"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2026年12月底前"), "{}", stderr(&out));
    assert_eq!(deadline("1.1"), Some(Deadline::Date(date(2026, 12, 31))));
}

#[test]
fn global_options_work_before_and_after_the_subcommand() {
    let s = Sandbox::new();
    let file = s.dir.path().join("elsewhere/ledger.ron");
    let f = file.to_str().unwrap();
    s.ok(&["--file", f, "mark", "3.3", "resolved"]);
    s.ok(&["mark", "3.2", "resolved", "--file", f]);
    assert_eq!(
        s.ok(&["status", "--file", f, "--lang", "en"]),
        "2/22 resolved · 0 in progress · 0 overdue\n"
    );
    assert_eq!(
        s.ok(&["--lang", "zh-Hans", "--file", f, "status"]),
        "已完成2/22 · 正在整改0 · 逾期0\n"
    );
    assert!(!s.data_file().exists());
}

#[test]
fn the_language_follows_the_locale() {
    let s = Sandbox::new();
    for (locale, expected) in [
        ("zh_TW.UTF-8", "兩委"),
        ("zh_HK.UTF-8", "兩委"),
        ("zh_MO.UTF-8", "兩委"),
        ("zh_CN.UTF-8", "两委"),
        ("zh_SG.UTF-8", "两委"),
        ("en_GB.UTF-8", "two committees"),
        ("fr_FR.UTF-8", "two committees"),
    ] {
        let out = s
            .command(&["show", "5.1"])
            .env("LC_ALL", locale)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(expected), "{locale}: {text}");
    }
    let text = |locale| {
        String::from_utf8(
            s.command(&["show", "5.1"])
                .env("LC_ALL", locale)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert!(text("zh_TW.UTF-8").contains("幹部"));
    assert!(text("zh_CN.UTF-8").contains("干部"));
    assert!(text("C").contains("two committees"));
}

#[test]
fn a_bad_progress_file_is_refused_with_file_line_column_and_left_untouched() {
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "keep me"]);
    let mut bytes = std::fs::read(s.data_file()).unwrap();
    let cut = bytes.len() - 20;
    bytes.truncate(cut);
    std::fs::write(s.data_file(), &bytes).unwrap();
    for args in [
        &["status"][..],
        &["note", "1.1", "more"],
        &["mark", "1.1", "resolved"],
    ] {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        let prefix = format!("rectify: {}:", s.data_file().display());
        assert!(err.starts_with(&prefix), "{err}");
        assert!(
            place_of(&err, &s.data_file()).is_some_and(|(line, _)| line > 1),
            "{err}"
        );
        assert_eq!(
            std::fs::read(s.data_file()).unwrap(),
            bytes,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn a_file_from_a_newer_version_is_refused_not_rewritten() {
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "x"]);
    let text = std::fs::read_to_string(s.data_file())
        .unwrap()
        .replace("version: 3,", "version: 4,");
    std::fs::write(s.data_file(), &text).unwrap();
    let out = s.run(&["mark", "1.1", "resolved"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(":4:5: written by a newer rectify"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(s.data_file()).unwrap(), text);
}

#[test]
fn two_processes_adding_notes_at_once_lose_none() {
    let s = Sandbox::new();
    std::thread::scope(|scope| {
        for who in ["甲", "乙"] {
            let s = &s;
            scope.spawn(move || {
                for i in 0..15 {
                    s.ok(&["note", "4.2", &format!("{who} {i}")]);
                }
            });
        }
    });
    let p = load(&s.data_file());
    let notes = &p.item("4.2").unwrap().notes;
    assert_eq!(notes.len(), 30);
    for who in ["甲", "乙"] {
        for i in 0..15 {
            assert!(
                notes.iter().any(|n| n.text == format!("{who} {i}")),
                "{who} {i} lost"
            );
        }
    }
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "evil\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}txt"]);
    for args in [
        &["show", "1.1"][..],
        &["list"],
        &["export"],
        &["export", "--format", "json"],
    ] {
        let out = s.ok(args);
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!out.contains(bad), "{args:?} printed {bad:?}");
        }
    }
    assert!(
        s.ok(&["show", "1.1"])
            .contains("evil␛]0;pwned␇<U+009B>2J<U+202E>txt")
    );
    let p = load(&s.data_file());
    assert_eq!(
        p.item("1.1").unwrap().notes[0].text,
        "evil\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}txt",
        "stored as typed"
    );
}

#[test]
fn every_command_has_help() {
    let s = Sandbox::new();
    for sub in [
        "list", "status", "show", "mark", "note", "set", "export", "path", "reopen", "measure",
    ] {
        let out = s.ok(&[sub, "--help"]);
        assert!(out.contains("Usage: rectify"), "{sub}: {out}");
    }
    assert!(s.ok(&["--help"]).contains("--checklist"));
}

const OWN_CHECKLIST: &str = r#"
// A checklist of one's own.
Checklist(
    id: "audit-2027",
    title: {"zh-Hans": "审计整改", "en": "Audit follow-up"},
    areas: [
        Area(
            id: "A",
            title: {"zh-Hans": "财务", "en": "Finance"},
            requirements: {"en": "Close every finding by June."},
            items: [
                Item(id: "A.1", text: {"zh-Hans": "账目不清", "en": "Unclear accounts"}),
                Item(id: "A.2", text: {"en": "Late reports"}),
            ],
        ),
    ],
)
"#;

#[test]
fn a_checklist_of_ones_own_gets_its_own_progress_file() {
    let s = Sandbox::new();
    let path = s.write("mine.ron", OWN_CHECKLIST.as_bytes());
    let c = path.to_str().unwrap();
    s.ok(&["--checklist", c, "mark", "A.2", "resolved"]);
    let list = s.ok(&["--checklist", c, "--lang", "zh-Hans", "list"]);
    assert!(list.contains("A 财务  1/2"), "{list}");
    assert!(
        list.contains("[x] A.2 Late reports"),
        "falls back to English: {list}"
    );
    assert!(
        s.dir
            .path()
            .join("xdg-data/rectify/audit-2027.ron")
            .exists()
    );
    assert!(!s.data_file().exists());

    let bad = s.write(
        "bad.ron",
        OWN_CHECKLIST.replace("\"A.2\"", "\"A.1\"").as_bytes(),
    );
    let out = s.run(&["--checklist", bad.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{}:13:26: duplicate id \"A.1\"", bad.display())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_to_a_file_is_atomic_and_never_over_the_progress_file() {
    let s = Sandbox::new();
    s.ok(&["mark", "1.1", "resolved"]);
    let out_path = s.dir.path().join("report.md");
    let printed = s.ok(&["export", "--output", out_path.to_str().unwrap()]);
    assert_eq!(printed.trim(), out_path.display().to_string());
    assert!(std::fs::read_to_string(&out_path).unwrap().contains("1/22"));
    let before = std::fs::read(s.data_file()).unwrap();
    let out = s.run(&["export", "--output", s.data_file().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(s.data_file()).unwrap(), before);
}

#[test]
fn hand_edit_mistakes_are_refused_not_dropped() {
    let s = Sandbox::new();
    let head = "Progress(version: 1, checklist: \"inner-mongolia-sg15\", items: {\n";
    let keep = "  \"2.5\": ItemProgress(notes: [Note(id: \"a\", at: \"2026-11-29T14:00:00+08:00\", text: \"keep\")]),\n";
    for (name, body, needle) in [
        (
            "duplicate item",
            format!("{head}{keep}  \"2.5\": ItemProgress(),\n}})"),
            "duplicate key \"2.5\"",
        ),
        (
            "misspelt field",
            format!(
                "{head}  \"1.1\": ItemProgress(measure: Some(Stamped(value: \"x\", at: \"2026-11-29T14:00:00+08:00\"))),\n}})"
            ),
            "measure",
        ),
    ] {
        let file = s.write(&format!("{name}.ron"), body.as_bytes());
        let f = file.to_str().unwrap();
        let out = s.run(&["--file", f, "mark", "1.1", "resolved"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = stderr(&out);
        assert!(
            err.contains(needle) && err.contains(&format!("{f}:")),
            "{name}: {err}"
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            body,
            "{name}: file changed"
        );
    }
}

#[test]
fn a_symlinked_progress_file_is_written_through() {
    let s = Sandbox::new();
    let real = s.dir.path().join("synced/real.ron");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    let link = s.dir.path().join("link.ron");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let l = link.to_str().unwrap();
    s.ok(&["--file", l, "note", "1.1", "first"]);
    s.ok(&["--file", l, "note", "1.1", "second"]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&real).item("1.1").unwrap().notes.len(), 2);
}

#[test]
fn exports_never_overwrite_the_ledgers_own_files() {
    let s = Sandbox::new();
    s.ok(&["mark", "1.1", "resolved"]);
    s.ok(&["mark", "1.2", "resolved"]);
    let bak = s.data_file().with_extension("ron.bak");
    let before = std::fs::read(&bak).unwrap();
    let out = s.run(&["export", "-o", bak.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&bak).unwrap(), before);
    // A --file that does not exist yet is still recognised.
    let out = s
        .command(&["--file", "p.ron", "export", "-o", "./p.ron"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!s.dir.path().join("p.ron").exists());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let s = Sandbox::new();
    let mut child = s
        .command(&["export"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn file_names_with_escapes_are_shown_safely() {
    let s = Sandbox::new();
    let name = s.dir.path().join("evil\u{1b}[31m.ron");
    let out = s.ok(&["--file", name.to_str().unwrap(), "path"]);
    assert!(
        !out.contains('\u{1b}') && out.contains("evil␛[31m.ron"),
        "{out}"
    );
}

#[test]
fn every_export_format_from_the_command_line() {
    let s = Sandbox::new();
    s.ok(&["mark", "1.1", "resolved"]);
    s.ok(&["note", "1.1", "已召開專題學習會"]);
    for format in ["markdown", "json", "csv", "xlsx", "docx", "html"] {
        let path = s.dir.path().join(format!("report.{format}"));
        s.ok(&[
            "export",
            "--format",
            format,
            "--output",
            path.to_str().unwrap(),
        ]);
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 500, "{format}: {} bytes", bytes.len());
        if format == "xlsx" || format == "docx" {
            assert!(bytes.starts_with(b"PK"), "{format} is a zip");
        }
    }
    // Text formats go to standard output; binary ones need a file when that is a terminal,
    // but may be piped.
    assert!(s.ok(&["export", "-f", "csv"]).starts_with('\u{feff}'));
    let out = s.run(&["export", "-f", "xlsx"]);
    assert!(
        out.status.success() && out.stdout.starts_with(b"PK"),
        "piped xlsx"
    );
}

#[test]
fn report_round_options_are_checked() {
    let s = Sandbox::new();
    let out = s.run(&["export", "--since", "2026-11-30", "--as-of", "2026-11-15"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("must be before"), "{}", stderr(&out));
    let out = s.run(&["export", "--as-of", "30/11/2026"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("write it as 2026-11-30"),
        "{}",
        stderr(&out)
    );
    let out = s.run(&["export", "--period-only"]);
    assert_eq!(out.status.code(), Some(2), "needs --since");
    let md = s.ok(&["export", "--since", "2026-11-01", "--period-only"]);
    assert!(
        md.contains("Progress this period") && !md.contains("Progress by area"),
        "{md}"
    );
}

#[test]
fn times_are_recorded_with_the_local_offset() {
    let s = Sandbox::new();
    let out = s
        .command(&["note", "1.1", "x"])
        .env_remove("RECTIFY_NOW")
        .env("TZ", "Asia/Shanghai")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let at = load(&s.data_file()).item("1.1").unwrap().notes[0].at;
    assert_eq!(at.offset.seconds(), 8 * 3600, "{at}");
    let age = jiff::Timestamp::now().as_second() - at.instant.as_second();
    assert!((0..60).contains(&age), "recorded now, not {at}");
}

#[test]
fn git_conflict_markers_get_a_way_out() {
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "x"]);
    let text = std::fs::read_to_string(s.data_file()).unwrap();
    let broken = text.replacen(
        "    items: {",
        "<<<<<<< HEAD\n    items: {\n=======\n    items: {\n>>>>>>> theirs",
        1,
    );
    std::fs::write(s.data_file(), &broken).unwrap();
    let out = s.run(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(":6:1: git left conflict markers") && err.contains("git-setup"),
        "{err}"
    );
}

#[test]
fn report_dates_are_checked() {
    let s = Sandbox::new();
    for (date, needle) in [
        ("2026-11-30T10:00", "write it as"),
        ("9999-12-31", "in the future"),
        ("1900-01-01", "before any ledger"),
    ] {
        let out = s.run(&["export", "--as-of", date]);
        assert_eq!(out.status.code(), Some(2), "{date}");
        assert!(stderr(&out).contains(needle), "{date}: {}", stderr(&out));
    }
}

#[test]
fn edits_record_who_made_them() {
    let s = Sandbox::new();
    let as_user = |user: &str, args: &[&str]| {
        let out = s.command(args).env("USER", user).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    as_user("wangwei", &["note", "1.1", "first"]);
    as_user(
        "liming",
        &["note", "1.1", "--edit", "1", "first, corrected"],
    );
    let show = as_user("wangwei", &["show", "1.1"]);
    assert!(
        show.contains("· wangwei (edited 2026-11-29 14:03 · liming)"),
        "{show}"
    );
}
