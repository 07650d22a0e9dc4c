//! Two offices share one ledger through git, with real `git`: a bare repository and two
//! clones. With `rectify git-setup` the merge driver joins their notes without a conflict;
//! without it, git reports a conflict, as the README warns.

mod common;

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Sandbox, load, note_texts};
use rectify::model::Status;

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir.parent().unwrap())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Office {
    dir: PathBuf,
    name: &'static str,
}

impl Office {
    fn ledger(&self) -> PathBuf {
        self.dir.join(LEDGER)
    }

    /// Runs rectify in this clone, where `git config user.name` names the author.
    fn rectify(&self, s: &Sandbox, args: &[&str]) -> String {
        self.rectify_file(s, LEDGER, args)
    }

    /// Runs rectify on the ledger `file` of this clone, and expects success.
    fn rectify_file(&self, s: &Sandbox, file: &str, args: &[&str]) -> String {
        let file = self.dir.join(file);
        let mut full = vec!["--file", file.to_str().unwrap()];
        full.extend_from_slice(args);
        let out = self.run(s, &full, None);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs rectify in this clone, with `path` for PATH if given.
    fn run(&self, s: &Sandbox, args: &[&str], path: Option<&OsStr>) -> std::process::Output {
        let mut cmd = s.command(args);
        cmd.current_dir(&self.dir)
            .env("HOME", self.dir.parent().unwrap())
            .env("GIT_CONFIG_NOSYSTEM", "1");
        if let Some(path) = path {
            cmd.env("PATH", path);
        }
        cmd.output().unwrap()
    }
}

const LEDGER: &str = "ledger/inner-mongolia-sg15.ron";

/// A bare repository and two clones of it, without a ledger yet.
fn clones(s: &Sandbox) -> (Office, Office) {
    let root = s.dir.path().join("git");
    std::fs::create_dir_all(&root).unwrap();
    ok(&root, &["init", "-q", "--bare", "-b", "main", "shared.git"]);
    let a = Office {
        dir: root.join("a"),
        name: "王偉",
    };
    let b = Office {
        dir: root.join("b"),
        name: "李明",
    };
    for o in [&a, &b] {
        ok(
            &root,
            &[
                "clone",
                "-q",
                "shared.git",
                o.dir.file_name().unwrap().to_str().unwrap(),
            ],
        );
        ok(&o.dir, &["config", "user.name", o.name]);
        ok(&o.dir, &["config", "user.email", "office@example.org"]);
        ok(&o.dir, &["config", "pull.rebase", "false"]);
        std::fs::create_dir_all(o.ledger().parent().unwrap()).unwrap();
    }
    (a, b)
}

/// A bare repository with a first ledger commit, and two clones of it.
fn offices(s: &Sandbox, setup: bool) -> (Office, Office) {
    let (a, b) = clones(s);
    a.rectify(s, &["mark", "1.1", "in-progress"]);
    if setup {
        let out = a.rectify(s, &["git-setup"]);
        assert!(out.contains("merge=rectify"), "{out}");
    }
    ok(&a.dir, &["add", "-A"]);
    ok(&a.dir, &["commit", "-q", "-m", "ledger"]);
    ok(&a.dir, &["push", "-q", "origin", "main"]);
    ok(&b.dir, &["pull", "-q", "origin", "main"]);
    if setup {
        // git config is per clone: every office runs git-setup once.
        b.rectify(s, &["git-setup"]);
    }
    (a, b)
}

/// Both offices work on the same and on different items, then B pulls A's work.
fn work(s: &Sandbox, a: &Office, b: &Office) -> std::process::Output {
    a.rectify(s, &["note", "1.1", "甲方：已召開專題學習會"]);
    a.rectify(s, &["mark", "1.1", "resolved"]);
    a.rectify(s, &["note", "2.5", "甲方：追繳涉案財產 3 宗"]);
    a.rectify(s, &["set", "2.5", "--owner", "自治區高級人民法院"]);
    b.rectify(s, &["note", "1.1", "乙方：補充學習材料"]);
    b.rectify(s, &["note", "4.1", "乙方：行業整治方案已印發"]);
    b.rectify(s, &["mark", "4.1", "in-progress"]);
    for o in [a, b] {
        ok(
            &o.dir,
            &["commit", "-q", "-am", &format!("work of {}", o.name)],
        );
    }
    ok(&a.dir, &["push", "-q", "origin", "main"]);
    git(&b.dir, &["pull", "-q", "--no-edit", "origin", "main"])
}

#[test]
fn with_the_merge_driver_two_offices_never_conflict_and_keep_every_note() {
    let s = Sandbox::new();
    let (a, b) = offices(&s, true);
    let pull = work(&s, &a, &b);
    assert!(
        pull.status.success(),
        "pull conflicted: {}",
        String::from_utf8_lossy(&pull.stderr)
    );
    ok(&b.dir, &["push", "-q", "origin", "main"]);
    ok(&a.dir, &["pull", "-q", "origin", "main"]);

    for o in [&a, &b] {
        let p = load(&o.ledger());
        let texts = |id: &str| -> Vec<String> {
            p.item(id)
                .map(|i| i.visible_notes().iter().map(|n| n.text.clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            texts("1.1").len(),
            2,
            "both offices' notes on 1.1 in {}",
            o.name
        );
        assert!(texts("1.1").contains(&"甲方：已召開專題學習會".to_string()));
        assert!(texts("1.1").contains(&"乙方：補充學習材料".to_string()));
        assert_eq!(texts("2.5"), ["甲方：追繳涉案財產 3 宗"]);
        assert_eq!(texts("4.1"), ["乙方：行業整治方案已印發"]);
        assert_eq!(p.status("1.1"), Status::Resolved);
        assert_eq!(p.status("4.1"), Status::InProgress);
        assert_eq!(p.item("2.5").unwrap().owner(), "自治區高級人民法院");
        // Every note says whose it is.
        let by: Vec<Option<String>> = p
            .item("1.1")
            .unwrap()
            .notes
            .iter()
            .map(|n| n.by.clone())
            .collect();
        assert!(
            by.contains(&Some("王偉".into())) && by.contains(&Some("李明".into())),
            "{by:?}"
        );
    }
    assert_eq!(
        std::fs::read(a.ledger()).unwrap(),
        std::fs::read(b.ledger()).unwrap(),
        "one ledger"
    );
    let show = a.rectify(&s, &["show", "1.1"]);
    assert!(show.contains("· 李明") && show.contains("· 王偉"), "{show}");
    // The backup and lock files stay out of the repository.
    let tracked = ok(&a.dir, &["ls-files"]);
    assert!(
        !tracked.contains(".bak") && !tracked.contains(".lock"),
        "{tracked}"
    );
}

#[test]
fn without_the_merge_driver_git_reports_a_conflict() {
    let s = Sandbox::new();
    let (a, b) = offices(&s, false);
    let pull = work(&s, &a, &b);
    assert!(!pull.status.success(), "the README says this conflicts");
    let text = std::fs::read_to_string(b.ledger()).unwrap();
    assert!(text.contains("<<<<<<<"), "conflict markers in the file");
}

#[test]
fn the_driver_refuses_files_it_cannot_read_and_writes_nothing() {
    let s = Sandbox::new();
    let ours = s.write(
        "ours.ron",
        b"Progress(version: 2, checklist: \"x\", items: {})\n",
    );
    let theirs = s.write("theirs.ron", b"not a ledger");
    let base = s.write("base.ron", b"");
    let out = s.run(&[
        "merge",
        base.to_str().unwrap(),
        ours.to_str().unwrap(),
        theirs.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("theirs.ron:1:"));
    assert_eq!(
        std::fs::read(&ours).unwrap(),
        b"Progress(version: 2, checklist: \"x\", items: {})\n"
    );
}

/// Commits everything in `o` and pushes it.
fn commit_and_push(o: &Office, message: &str) {
    ok(&o.dir, &["add", "-A"]);
    ok(&o.dir, &["commit", "-q", "-m", message]);
    ok(&o.dir, &["push", "-q", "origin", "main"]);
}

/// What `git check-attr merge` says of `file` in `dir`.
fn merge_attribute(dir: &Path, file: &str) -> String {
    let out = ok(dir, &["check-attr", "-z", "merge", "--", file]);
    out.split('\0').nth(2).unwrap().to_string()
}

/// Ledger names that mean something to gitattributes, gitignore or the shell.
const ODD_NAMES: [&str; 8] = [
    "Team Ledger.ron",
    "a[1].ron",
    "x*y.ron",
    "why?.ron",
    "tab\there.ron",
    "#1 !first.ron",
    "!bang.ron",
    r#"back\slash "quoted" 'single'.ron"#,
];

#[test]
fn git_setup_works_for_names_with_spaces_brackets_stars_and_tabs() {
    let s = Sandbox::new();
    let (a, b) = clones(&s);
    for name in ODD_NAMES {
        a.rectify_file(&s, name, &["mark", "1.1", "in-progress"]);
        let out = a.rectify_file(&s, name, &["git-setup"]);
        assert!(out.contains("merge=rectify"), "{out}");
    }
    commit_and_push(&a, "ledgers");
    ok(&b.dir, &["pull", "-q", "origin", "main"]);
    for name in ODD_NAMES {
        b.rectify_file(&s, name, &["git-setup"]);
        assert_eq!(merge_attribute(&b.dir, name), "rectify", "{name:?}");
    }
    // The patterns match those files only.
    for other in ["a1.ron", "xzy.ron", "whyX.ron", "Team", "Ledger.ron"] {
        assert_eq!(merge_attribute(&b.dir, other), "unspecified", "{other:?}");
    }
    // The backup and lock files of each are ignored.
    for name in ODD_NAMES {
        for suffix in [".bak", ".lock", ".open"] {
            let file = format!("{name}{suffix}");
            std::fs::write(b.dir.join(&file), "x").unwrap();
            let out = git(&b.dir, &["check-ignore", "-q", "--", &file]);
            assert!(out.status.success(), "{file:?} is not ignored");
        }
    }
    for (i, name) in ODD_NAMES.iter().enumerate() {
        a.rectify_file(&s, name, &["note", "1.1", &format!("甲方 {i}")]);
        b.rectify_file(&s, name, &["note", "1.1", &format!("乙方 {i}")]);
    }
    commit_and_push(&a, "work of 王偉");
    ok(&b.dir, &["add", "-A"]);
    ok(&b.dir, &["commit", "-q", "-m", "work of 李明"]);
    let pull = git(&b.dir, &["pull", "-q", "--no-edit", "origin", "main"]);
    assert!(
        pull.status.success(),
        "pull conflicted: {}{}",
        String::from_utf8_lossy(&pull.stdout),
        String::from_utf8_lossy(&pull.stderr)
    );
    for (i, name) in ODD_NAMES.iter().enumerate() {
        let notes = note_texts(&b.dir.join(name), "1.1");
        assert!(
            notes.contains(&format!("甲方 {i}")) && notes.contains(&format!("乙方 {i}")),
            "{name:?}: {notes:?}"
        );
    }
}

/// PATH without any folder that holds a `rectify`, so that it finds git but not rectify.
fn path_without_rectify() -> OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::env::split_paths(&path).filter(|d| !d.join("rectify").exists()))
        .unwrap()
}

/// `dir` first, then PATH without rectify.
fn path_with(dir: &Path) -> OsString {
    let rest = path_without_rectify();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

fn driver(o: &Office) -> String {
    ok(&o.dir, &["config", "--get", "merge.rectify.driver"])
        .trim_end()
        .to_string()
}

#[cfg(unix)]
#[test]
fn git_setup_names_rectify_when_path_finds_this_program_and_says_what_to_do_when_not() {
    let s = Sandbox::new();
    let (a, b) = clones(&s);
    a.rectify(&s, &["mark", "1.1", "in-progress"]);
    let me = PathBuf::from(env!("CARGO_BIN_EXE_rectify"))
        .canonicalize()
        .unwrap();
    let file = a.ledger();
    let setup = ["--file", file.to_str().unwrap(), "git-setup"];

    // PATH finds this program through a link, or finds a copy of it (`cargo install`).
    let linked = s.dir.path().join("linked");
    let copied = s.dir.path().join("copied");
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::create_dir_all(&copied).unwrap();
    std::os::unix::fs::symlink(&me, linked.join("rectify")).unwrap();
    std::fs::copy(&me, copied.join("rectify")).unwrap();
    for dir in [&linked, &copied] {
        let out = a.run(&s, &setup, Some(path_with(dir).as_os_str()));
        assert!(out.status.success(), "{}", common::stderr(&out));
        assert_eq!(common::stderr(&out), "", "no warning");
        assert_eq!(driver(&a), "rectify merge %O %A %B %P");
    }

    // Another program called rectify on PATH: git runs this one, by its full path, and the
    // user is told why and what to do.
    let other = s.dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("rectify"), "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(
        other.join("rectify"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let out = a.run(&s, &setup, Some(path_with(&other).as_os_str()));
    assert!(out.status.success(), "{}", common::stderr(&out));
    let warning = common::stderr(&out);
    assert!(
        warning.contains(&other.join("rectify").display().to_string())
            && warning.contains(&me.display().to_string())
            && warning.contains("cargo install --path ."),
        "{warning}"
    );
    assert_eq!(
        driver(&a),
        format!("{} merge %O %A %B %P", me.display()),
        "the full path, which works now"
    );

    // No rectify on PATH at all.
    let out = a.run(&s, &setup, Some(path_without_rectify().as_os_str()));
    assert!(out.status.success(), "{}", common::stderr(&out));
    let warning = common::stderr(&out);
    assert!(
        warning.contains("not on PATH")
            && warning.contains(&me.display().to_string())
            && warning.contains("cargo install --path .")
            && warning.contains("git-setup"),
        "{warning}"
    );
    assert_eq!(driver(&a), format!("{} merge %O %A %B %P", me.display()));

    // Set up with `rectify` on PATH, git finds the driver by name and merges.
    let path = path_with(&linked);
    assert!(a.run(&s, &setup, Some(&path)).status.success());
    commit_and_push(&a, "ledger");
    ok(&b.dir, &["pull", "-q", "origin", "main"]);
    let b_file = b.ledger();
    let out = b.run(
        &s,
        &["--file", b_file.to_str().unwrap(), "git-setup"],
        Some(&path),
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(driver(&b), "rectify merge %O %A %B %P");
    a.rectify(&s, &["note", "1.1", "甲方"]);
    b.rectify(&s, &["note", "1.1", "乙方"]);
    commit_and_push(&a, "a");
    ok(&b.dir, &["commit", "-q", "-am", "b"]);
    let pull = Command::new("git")
        .args(["pull", "-q", "--no-edit", "origin", "main"])
        .current_dir(&b.dir)
        .env("HOME", b.dir.parent().unwrap())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(pull.status.success(), "{}", common::stderr(&pull));
    let notes = note_texts(&b.ledger(), "1.1");
    assert!(notes.contains(&"甲方".into()) && notes.contains(&"乙方".into()));
}

#[test]
fn a_ledger_that_cannot_be_read_is_a_conflict_that_names_the_ledger_and_loses_nothing() {
    let s = Sandbox::new();
    let (a, b) = offices(&s, true);
    // A's copy is broken by hand on its third line, and pushed.
    let text = std::fs::read_to_string(a.ledger()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "  ???");
    std::fs::write(a.ledger(), lines.join("\n")).unwrap();
    commit_and_push(&a, "broken");
    b.rectify(&s, &["note", "1.1", "乙方：補充學習材料"]);
    ok(&b.dir, &["commit", "-q", "-am", "work of 李明"]);
    let mine = std::fs::read(b.ledger()).unwrap();

    let pull = git(&b.dir, &["pull", "--no-edit", "origin", "main"]);
    assert!(!pull.status.success(), "the failed merge is a conflict");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&pull.stdout),
        String::from_utf8_lossy(&pull.stderr)
    );
    assert!(
        said.contains(&format!("the merge of {LEDGER} was NOT done"))
            && said.contains(&format!("their copy of {LEDGER}"))
            && said.contains("line 3, column")
            && said.contains(&format!("git checkout --ours -- {LEDGER}")),
        "{said}"
    );
    assert!(!said.contains(".merge_file_"), "{said}");
    assert!(
        said.contains(&format!("CONFLICT (content): Merge conflict in {LEDGER}")),
        "{said}"
    );
    assert_eq!(
        ok(&b.dir, &["diff", "--name-only", "--diff-filter=U"]).trim(),
        LEDGER,
        "git marks the ledger as conflicted"
    );
    // Both copies are in the file between conflict markers, which rectify refuses to read.
    let text = std::fs::read_to_string(b.ledger()).unwrap();
    assert!(
        text.starts_with(&format!("<<<<<<< ours: {LEDGER}\n"))
            && text.contains("\n=======\n")
            && text.contains("  ???")
            && text.contains("乙方：補充學習材料")
            && text.ends_with(&format!(">>>>>>> theirs: {LEDGER}\n")),
        "{text}"
    );
    let file = b.ledger();
    let show = b.run(&s, &["--file", file.to_str().unwrap(), "show", "1.1"], None);
    assert!(!show.status.success());
    // The advice works: your copy back, with your note.
    ok(&b.dir, &["checkout", "--ours", "--", LEDGER]);
    ok(&b.dir, &["add", LEDGER]);
    assert_eq!(std::fs::read(b.ledger()).unwrap(), mine);

    // A driver set up by an older git-setup, without %P: still says the merge was not
    // done and how to get the ledger named, and leaves the conflict markers.
    ok(&b.dir, &["merge", "--abort"]);
    let old = format!("{} merge %O %A %B", env!("CARGO_BIN_EXE_rectify"));
    ok(&b.dir, &["config", "merge.rectify.driver", &old]);
    let pull = git(&b.dir, &["pull", "--no-edit", "origin", "main"]);
    assert!(!pull.status.success());
    let said = String::from_utf8_lossy(&pull.stderr);
    assert!(
        said.contains("was NOT done")
            && said.contains("conflict markers")
            && said.contains("rectify git-setup` again"),
        "{said}"
    );
    let text = std::fs::read_to_string(b.ledger()).unwrap();
    assert!(
        text.starts_with("<<<<<<< ours\n")
            && text.contains(std::str::from_utf8(&mine).unwrap())
            && text.ends_with(">>>>>>> theirs\n"),
        "{text}"
    );
    assert_eq!(
        ok(&b.dir, &["diff", "--name-only", "--diff-filter=U"]).trim(),
        LEDGER
    );
}

#[test]
fn git_setup_without_file_sets_up_the_ledgers_it_finds_in_the_work_tree() {
    let s = Sandbox::new();
    let (a, _b) = clones(&s);
    // A tracked ledger, a new one not yet added, and RON files that are not ledgers of
    // this checklist.
    a.rectify(&s, &["mark", "1.1", "in-progress"]);
    commit_and_push(&a, "ledger");
    a.rectify_file(&s, "offices/Team Ledger.ron", &["mark", "2.1", "resolved"]);
    std::fs::write(a.dir.join("config.ron"), "(lang: \"en\")\n").unwrap();
    std::fs::write(
        a.dir.join("offices/other.ron"),
        "Progress(version: 2, checklist: \"another\", items: {})\n",
    )
    .unwrap();
    let out = s
        .command(&["git-setup"])
        .current_dir(a.dir.join("offices"))
        .env("HOME", a.dir.parent().unwrap())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    let attributes = std::fs::read_to_string(a.dir.join(".gitattributes")).unwrap();
    assert_eq!(
        attributes,
        "/ledger/inner-mongolia-sg15.ron merge=rectify\n\"/offices/Team Ledger.ron\" merge=rectify\n",
        "{said}"
    );
    assert_eq!(merge_attribute(&a.dir, LEDGER), "rectify");
    assert_eq!(
        merge_attribute(&a.dir, "offices/Team Ledger.ron"),
        "rectify"
    );
    assert!(said.contains("Commit .gitattributes"), "{said}");

    // A work tree without a ledger of this checklist: what to do instead.
    let empty = s.dir.path().join("git/empty");
    std::fs::create_dir_all(&empty).unwrap();
    ok(&empty, &["init", "-q"]);
    std::fs::copy(a.dir.join("offices/other.ron"), empty.join("other.ron")).unwrap();
    let run_in = |dir: &Path| {
        s.command(&["git-setup"])
            .current_dir(dir)
            .env("HOME", dir.parent().unwrap())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", s.dir.path())
            .output()
            .unwrap()
    };
    let out = run_in(&empty);
    assert_eq!(out.status.code(), Some(1));
    let said = common::stderr(&out);
    assert!(
        said.contains("no ledger of checklist")
            && said.contains("--file PATH")
            && said.contains("other.ron (\"another\")")
            && said.contains("--checklist"),
        "{said}"
    );
    assert!(!empty.join(".gitattributes").exists());

    // Outside any work tree.
    let plain = s.dir.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let out = run_in(&plain);
    assert_eq!(out.status.code(), Some(1));
    let said = common::stderr(&out);
    assert!(
        said.contains("not in a git work tree") && said.contains("--file"),
        "{said}"
    );
}

#[test]
fn the_driver_names_the_ledger_when_the_merge_base_cannot_be_read() {
    let s = Sandbox::new();
    let ledger = b"Progress(version: 2, checklist: \"x\", items: {})\n";
    let ours = s.write(".merge_file_a", ledger);
    let theirs = s.write(".merge_file_b", ledger);
    let base = s.write(".merge_file_o", b"Progress(\n  ???");
    let out = s.run(&[
        "merge",
        base.to_str().unwrap(),
        ours.to_str().unwrap(),
        theirs.to_str().unwrap(),
        "Team Ledger.ron",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let said = common::stderr(&out);
    assert!(
        said.contains("the common ancestor of Team Ledger.ron, line 1")
            && !said.contains(".merge_file"),
        "{said}"
    );
}
