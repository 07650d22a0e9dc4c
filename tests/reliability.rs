//! Trying hard to lose a note: processes killed at random moments while they save, and
//! files and paths that are not what they should be.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{Sandbox, load, note_texts, stderr};

/// Kills `rectify note` at pseudo-random moments `rounds` times. After every kill the file
/// loads and every note whose command finished is there; the next save clears what a killed
/// one left behind.
fn kill_at_random(rounds: u32) {
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "seed"]);
    let mut finished = vec!["seed".to_string()];
    let mut rng: u64 = 0x2026_1129;
    let mut killed = 0;
    for i in 0..rounds {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((rng >> 33) % 6000);
        let text = format!("note {i}");
        let mut child = s
            .command(&["note", "1.1", &text])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "round {i}");
                finished.push(text);
            }
            None => {
                child.kill().unwrap(); // SIGKILL
                let status = child.wait().unwrap();
                if status.success() {
                    finished.push(text); // it finished just before the kill
                } else {
                    killed += 1;
                }
            }
        }
        let notes = note_texts(&s.data_file(), "1.1");
        for f in &finished {
            assert!(notes.contains(f), "round {i}: {f:?} lost");
        }
        let dir = s.data_file().parent().unwrap().to_path_buf();
        let stray: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !n.ends_with(".ron") && !n.ends_with(".ron.bak") && !n.ends_with(".ron.lock")
            })
            .collect();
        // A save killed mid-write may leave its temporary files (the new file's and the
        // backup's), named as rectify's own; the next save clears them, so there are never
        // more than the last save's.
        assert!(stray.len() <= 2, "round {i}: left behind {stray:?}");
        assert!(
            stray.iter().all(|n| n.starts_with(".rectify-tmp-")),
            "round {i}: {stray:?}"
        );
    }
    s.ok(&["note", "1.1", "after the storm"]);
    let left: Vec<String> = std::fs::read_dir(s.data_file().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        left.is_empty(),
        "the next save leaves no temporary file: {left:?}"
    );
    eprintln!(
        "{rounds} rounds, {killed} killed mid-run, {} notes kept",
        finished.len()
    );
    assert!(killed > 0, "the delays never caught a process mid-run");
}

#[test]
fn killed_at_any_instant_no_saved_note_is_lost() {
    kill_at_random(60);
}

/// The long form: `cargo test --test reliability -- --ignored`.
#[test]
#[ignore]
fn killed_at_any_instant_many_times() {
    kill_at_random(1000);
}

#[test]
fn a_directory_in_place_of_the_file_is_refused_and_untouched() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.data_file()).unwrap();
    let out = s.run(&["note", "1.1", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("inner-mongolia-sg15.ron"),
        "{}",
        stderr(&out)
    );
    assert!(s.data_file().is_dir());
}

#[test]
fn a_read_only_directory_is_reported_and_the_file_kept() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "kept"]);
    let dir = s.data_file().parent().unwrap().to_path_buf();
    let before = std::fs::read(s.data_file()).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
    let out = s.run(&["note", "1.1", "more"]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    // Refused by the permission bits, so as root too (where the kernel would let it write).
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("folder") && stderr(&out).contains("read-only"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(s.data_file()).unwrap(), before);
}

/// `chmod 400` on the ledger: every change is refused with a message, exit 1, and the file
/// keeps its text and its mode (it was replaced by a file of mode 0600).
#[test]
fn a_read_only_ledger_is_refused_with_a_message_and_kept() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "kept"]);
    std::fs::set_permissions(s.data_file(), std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = std::fs::read(s.data_file()).unwrap();
    for args in [
        &["note", "1.1", "more"][..],
        &["mark", "1.1", "resolved"],
        &["set", "1.1", "--owner", "x"],
    ] {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("inner-mongolia-sg15.ron") && err.contains("read-only"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read(s.data_file()).unwrap(), before);
    let mode = std::fs::metadata(s.data_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o400);
    assert!(s.ok(&["list"]).contains("✎1"), "still read");
}

fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.unwrap().success(), "mkfifo {}", path.display());
}

/// Runs `cmd` to its end, failing instead of hanging if that takes more than 20 seconds.
fn output_within(cmd: &mut std::process::Command) -> std::process::Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output().unwrap()));
    rx.recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("{cmd:?} hung");
        })
}

fn is_fifo(path: &std::path::Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).unwrap().file_type().is_fifo()
}

/// A FIFO as the ledger, the checklist or the config file is refused at once, named, and
/// left a FIFO (reading one would wait for a writer for ever).
#[test]
fn fifos_in_place_of_files_are_refused_at_once() {
    let s = Sandbox::new();
    let fifo = s.dir.path().join("pipe.ron");
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap();
    for args in [
        &["--file", f, "list"][..],
        &["--file", f, "note", "1.1", "x"],
        &["--checklist", f, "list"],
    ] {
        let out = output_within(&mut s.command(args));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("pipe.ron") && err.contains("FIFO"),
            "{args:?}: {err}"
        );
    }
    assert!(is_fifo(&fifo));

    let config = s.dir.path().join("xdg-config/rectify/config.ron");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    mkfifo(&config);
    let out = output_within(&mut s.command(&["list"]));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("config.ron") && err.contains("FIFO"), "{err}");
    assert!(is_fifo(&config));
}

/// `export -o` into what is not a regular file writes into it and never replaces it: a
/// character device (a /dev/null of our own, made with mknod when root, so that a failure
/// cannot replace the machine's), a FIFO with a reader, and a link into /proc as
/// /dev/stdout is. `-o -` is standard output. A link to a regular file stays a link.
#[test]
fn an_export_into_a_device_a_fifo_or_standard_output_replaces_nothing() {
    use std::os::unix::fs::FileTypeExt;
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "exported note"]);
    let export_to = |target: &std::path::Path| {
        let out = output_within(&mut s.command(&["export", "-o", target.to_str().unwrap()]));
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };

    let null = s.dir.path().join("null");
    let made = std::process::Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if made {
        assert_eq!(
            export_to(&null),
            "",
            "nothing printed after writing into a device"
        );
        let t = std::fs::metadata(&null).unwrap().file_type();
        assert!(t.is_char_device(), "still a character device: {t:?}");
    } else {
        eprintln!("not root: no character device made, that case not checked");
    }

    let fifo = s.dir.path().join("report.fifo");
    mkfifo(&fifo);
    let (tx, rx) = std::sync::mpsc::channel();
    let reading = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read_to_string(reading));
    });
    export_to(&fifo);
    let read = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the reader got the report")
        .unwrap();
    assert!(read.contains("exported note"), "{read}");
    assert!(is_fifo(&fifo));

    let stdout = s.dir.path().join("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &stdout).unwrap();
    let printed = export_to(&stdout);
    assert!(printed.contains("exported note"), "{printed}");
    assert!(!printed.contains(stdout.to_str().unwrap()), "{printed}");
    assert!(
        std::fs::symlink_metadata(&stdout)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    let printed = s.ok(&["export", "-o", "-"]);
    assert!(printed.contains("exported note"), "{printed}");
    assert!(!s.dir.path().join("-").exists());

    let report = s.dir.path().join("report.md");
    std::fs::write(&report, "old").unwrap();
    let latest = s.dir.path().join("latest.md");
    std::os::unix::fs::symlink(&report, &latest).unwrap();
    export_to(&latest);
    assert!(
        std::fs::symlink_metadata(&latest)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("exported note")
    );
}

#[test]
fn crlf_deep_nesting_and_huge_notes_are_handled() {
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "x"]);
    // CRLF line ends (an editor on Windows): read as they are, written back with \n.
    let text = std::fs::read_to_string(s.data_file()).unwrap();
    std::fs::write(s.data_file(), text.replace('\n', "\r\n")).unwrap();
    s.ok(&["note", "1.1", "y"]);
    assert!(
        !std::fs::read_to_string(s.data_file())
            .unwrap()
            .contains('\r')
    );
    assert_eq!(load(&s.data_file()).item("1.1").unwrap().notes.len(), 2);

    // A one-megabyte note is kept whole.
    let big = "長".repeat(350_000);
    let out = s.with_stdin(&["note", "1.2", "-"], &big);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(load(&s.data_file()).item("1.2").unwrap().notes[0].text, big);

    // Deep nesting is refused with a position, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let bad = s.write("deep.ron", deep.as_bytes());
    let out = s.run(&["--file", bad.to_str().unwrap(), "status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("deep.ron:1:"), "{}", stderr(&out));
}

/// A big file: a real ledger holding one huge note is read and written back whole; as many
/// bytes of zeros or of noise are refused with a position and left as they were. CI uses
/// 10 MB; the 100 MB run (about a minute in a debug build) is `--ignored`.
fn huge_files(size: usize) {
    let s = Sandbox::new();
    s.ok(&["note", "1.1", "small"]);
    let note = "進展".repeat(size / 6);
    let out = s.with_stdin(&["note", "1.2", "-"], &note);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::metadata(s.data_file()).unwrap().len() >= size as u64);
    // Another write keeps both the small note and the big one.
    s.ok(&["mark", "1.3", "in-progress"]);
    assert_eq!(note_texts(&s.data_file(), "1.1"), ["small"]);
    assert!(note_texts(&s.data_file(), "1.2")[0] == note);
    drop(note);

    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let random: Vec<u8> = (0..size)
        .map(|_| {
            // xorshift: reproducible noise without a dependency.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    for (name, bytes) in [("zeros.ron", vec![0u8; size]), ("noise.ron", random)] {
        let path = s.write(name, &bytes);
        let out = s.run(&["--file", path.to_str().unwrap(), "note", "1.1", "x"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            stderr(&out).contains(&format!("{name}:1:")),
            "{name}: {}",
            stderr(&out)
        );
        assert!(std::fs::read(&path).unwrap() == bytes, "{name} changed");
    }
}

#[test]
fn ten_megabyte_files_are_read_or_refused_never_damaged() {
    huge_files(10 * 1024 * 1024);
}

#[test]
#[ignore]
fn hundred_megabyte_files_are_read_or_refused_never_damaged() {
    huge_files(100 * 1024 * 1024);
}

/// Unmounts on drop, so a failing test does not leave a mount behind.
struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn a_full_disk_keeps_the_old_file_and_the_next_save_works() {
    let s = Sandbox::new();
    let mnt = s.dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: a small tmpfs cannot be mounted here (needs root)");
        return;
    }
    let _mount = Mount(mnt.clone());
    let file = mnt.join("ledger.ron");
    let f = file.to_str().unwrap();
    s.ok(&["--file", f, "note", "1.1", "before the disk filled"]);
    let before = std::fs::read(&file).unwrap();

    // Fill what is left.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut out = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while out.write_all(&block).is_ok() {}
        let _ = out.sync_all();
    }
    let out = s.run(&["--file", f, "note", "1.1", "while the disk is full"]);
    assert_eq!(out.status.code(), Some(1), "the save must fail");
    let err = stderr(&out);
    assert!(
        err.contains("ledger.ron") && err.contains("cannot"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the old file is untouched"
    );

    std::fs::remove_file(&filler).unwrap();
    s.ok(&["--file", f, "note", "1.1", "after space was freed"]);
    let notes = note_texts(&file, "1.1");
    assert_eq!(notes, ["before the disk filled", "after space was freed"]);
}
