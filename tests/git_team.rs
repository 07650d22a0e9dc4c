//! Two offices share one ledger through git, with real `git`: a bare repository and two
//! clones. With `rectify git-setup` the merge driver joins their notes without a conflict;
//! without it, git reports a conflict, as the README warns.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Sandbox, load};
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
        self.dir.join("ledger/inner-mongolia-sg15.ron")
    }

    /// Runs rectify in this clone, where `git config user.name` names the author.
    fn rectify(&self, s: &Sandbox, args: &[&str]) -> String {
        let file = self.ledger();
        let mut full = vec!["--file", file.to_str().unwrap()];
        full.extend_from_slice(args);
        let out = s
            .command(&full)
            .current_dir(&self.dir)
            .env("HOME", self.dir.parent().unwrap())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

/// A bare repository with a first ledger commit, and two clones of it.
fn offices(s: &Sandbox, setup: bool) -> (Office, Office) {
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
