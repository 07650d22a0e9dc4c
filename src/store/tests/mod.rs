//! The store's tests: reading ([`load`]) and writing ([`save`]), with what both use.

mod load;
mod save;

use std::fs;
use std::path::Path;

use super::*;
use crate::model::progress::Field;
use crate::model::{Deadline, Stamp, Status};

pub(super) fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

pub(super) fn sample() -> Progress {
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
    )
    .unwrap();
    p.set_deadline(
        "1.1",
        Some(Deadline::LongTerm),
        at("2026-11-20T09:02:00+08:00"),
    );
    p.set_draft("2.1", "草稿\n第二行", at("2026-11-22T09:00:00+08:00"));
    p
}

pub(super) fn store_in(dir: &tempfile::TempDir) -> Store {
    Store::new(dir.path().join("data").join("test.ron"))
}

/// The files beside the store's file other than its own: temporary files left behind.
pub(super) fn temp_files(store: &Store) -> Vec<String> {
    fs::read_dir(store.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !["test.ron", "test.ron.bak", "test.ron.lock"].contains(&n.as_str()))
        .collect()
}

/// A ledger large enough to be written in many blocks, with odd characters.
pub(super) fn large() -> Progress {
    let (_, mut p) = crate::generated::generate(1500);
    p.add_note(
        "1.1",
        "引號\"、換行\n、\u{202E}",
        at("2026-11-29T09:00:00+08:00"),
    )
    .unwrap();
    p
}

/// `text` after its comment lines is what ron's own pretty printer writes for `p`.
pub(super) fn assert_is_what_ron_writes(text: &str, p: &Progress) {
    let ron = ron::ser::to_string_pretty(p, ron_config()).unwrap();
    assert_eq!(text.split_once("closed.\n").unwrap().1, format!("{ron}\n"));
}
