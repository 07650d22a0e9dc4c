//! Replays the fuzzers' kept inputs on stable Rust: the seeds and minimised corpora in
//! `fuzz/seeds/<target>/` and every input that once broke a check, in
//! `fuzz/regressions/<target>/`, through the same checks the fuzz targets run
//! (`rectify::fuzzing`). The fuzzers themselves run with `cargo +nightly fuzz run <target>`.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{} fails its check", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "no kept inputs for {target}");
}

#[test]
fn progress_file_inputs() {
    replay("progress_file", rectify::fuzzing::progress_file);
}

#[test]
fn checklist_file_inputs() {
    replay("checklist_file", rectify::fuzzing::checklist_file);
}

#[test]
fn keymap_file_inputs() {
    replay("keymap_file", rectify::fuzzing::keymap_file);
}

#[test]
fn editor_session_inputs() {
    replay("editor_session", rectify::fuzzing::editor_session);
}
