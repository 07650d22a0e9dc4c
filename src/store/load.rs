//! Reading a progress file: whole, checked, and refused with the line and column of what
//! is wrong rather than read half-way.

use std::io;
use std::path::Path;

use serde::Deserialize;

use super::{Fingerprint, Snapshot, Store, StoreError, files};
use crate::model::Progress;
use crate::model::progress::VERSION;

impl Store {
    /// Reads the progress for `checklist`; a missing file is an empty ledger. Never writes.
    pub fn load(&self, checklist: &str) -> Result<Snapshot, StoreError> {
        let bytes = self.read_current()?;
        let progress = match &bytes {
            None => Progress::new(checklist),
            Some(b) => parse(b, &self.path, checklist)?,
        };
        Ok(Snapshot {
            progress,
            fingerprint: Fingerprint::of(bytes.as_deref()),
        })
    }

    /// What the file holds now, as a [`Fingerprint`] (read whole and hashed).
    pub fn fingerprint_now(&self) -> Result<Fingerprint, StoreError> {
        Ok(Fingerprint::of(self.read_current()?.as_deref()))
    }

    pub(super) fn read_current(&self) -> Result<Option<Vec<u8>>, StoreError> {
        match files::read_regular(&self.path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(&self.path, "read", e)),
        }
    }
}

/// Just enough of a progress file to decide how to read the rest.
#[derive(Deserialize)]
#[serde(rename = "Progress")]
pub(crate) struct Header {
    pub(crate) version: u32,
    pub(crate) checklist: String,
}

/// The header as rectify writes it, read from the first lines: `Progress(version: N,
/// checklist: "id", …`, after comments. Reading it with ron parses the whole file to skip
/// the items, which was half the load of a large ledger. Any other layout gives `None`, and
/// ron reads it; the full parse that follows checks the rest either way.
pub(crate) fn quick_header(text: &str) -> Option<Header> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix("//") {
            Some(comment) => rest = comment.split_once('\n')?.1,
            None => break,
        }
    }
    rest = rest.strip_prefix("Progress").unwrap_or(rest).trim_start();
    rest = rest.strip_prefix('(')?;
    let mut version = None;
    let mut checklist = None;
    for _ in 0..2 {
        let (field, after) = rest.trim_start().split_once(':')?;
        let value = after.trim_start();
        let after = match field {
            "version" => {
                let digits =
                    value.len() - value.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                version = Some(value[..digits].parse().ok()?);
                &value[digits..]
            }
            "checklist" => {
                let inner = value.strip_prefix('"')?;
                let end = inner.find(['"', '\\'])?;
                if inner[end..].starts_with('\\') {
                    return None;
                }
                checklist = Some(inner[..end].to_string());
                &inner[end + 1..]
            }
            _ => return None,
        };
        rest = after.trim_start().strip_prefix(',')?;
    }
    Some(Header {
        version: version?,
        checklist: checklist?,
    })
}

/// Reads a progress file's bytes, refusing anything it cannot read faithfully.
pub fn parse(bytes: &[u8], path: &Path, checklist: &str) -> Result<Progress, StoreError> {
    parse_for(bytes, path, Some(checklist))
}

/// Reads a progress file of any checklist (for merging two copies of one file).
pub fn parse_any(bytes: &[u8], path: &Path) -> Result<Progress, StoreError> {
    parse_for(bytes, path, None)
}

fn parse_for(bytes: &[u8], path: &Path, checklist: Option<&str>) -> Result<Progress, StoreError> {
    let at = |line, col, message: String| StoreError::Parse {
        file: path.to_path_buf(),
        line,
        col,
        message,
    };
    let text = crate::text::decode_file(bytes).map_err(|e| at(e.line, e.col, e.message))?;
    // memmem: str::find took a twentieth of the load of a large ledger.
    if let Some(offset) = memchr::memmem::find(text.as_bytes(), b"\n<<<<<<< ")
        .map(|o| o + 1)
        .or(text.starts_with("<<<<<<< ").then_some(0))
    {
        let (line, col) = crate::text::line_col(text, offset);
        return Err(at(
            line,
            col,
            "git left conflict markers here. If rectify's merge driver is not set up in this clone, run `rectify git-setup`, then `git checkout -m <this file>` to merge it with rectify; if the driver ran and could not read one side, keep the readable copy with `git checkout --ours` or `--theirs` `-- <this file>`".into(),
        ));
    }
    let ron_err =
        |e: ron::error::SpannedError| at(e.span.start.line, e.span.start.col, e.code.to_string());
    let header = match quick_header(text) {
        Some(h) => h,
        None => ron::Options::default().from_str(text).map_err(ron_err)?,
    };
    let locate = |field: &str| {
        text.find(&format!("{field}:"))
            .map_or((1, 1), |o| crate::text::line_col(text, o))
    };
    if header.version > VERSION {
        let (line, col) = locate("version");
        return Err(at(
            line,
            col,
            format!(
                "written by a newer rectify (file version {}, this one reads up to {VERSION}); it was left as it is: update rectify",
                header.version
            ),
        ));
    }
    if let Some(checklist) = checklist
        && header.checklist != checklist
    {
        let (line, col) = locate("checklist");
        return Err(at(
            line,
            col,
            format!(
                "this progress belongs to checklist {:?}, not {checklist:?}; open it with that checklist or choose another --file",
                header.checklist
            ),
        ));
    }
    migrate(text, header.version).map_err(|e| match e {
        Migration::Ron(e) => ron_err(e),
        Migration::Unknown(v) => {
            let (line, col) = locate("version");
            at(
                line,
                col,
                format!("unknown file version {v}; this rectify reads 1 to {VERSION}"),
            )
        }
    })
}

enum Migration {
    Ron(ron::error::SpannedError),
    Unknown(u32),
}

/// Brings an older file up to [`VERSION`], in memory: the file itself is rewritten in the
/// new format only by the next save (its old form stays in the `.bak`).
///
/// - 1 → 2: entries gained an optional author (`by`), which version 1 files simply lack,
///   and the single `draft` of an item became `drafts` per author.
/// - 2 → 3: a problem's one `measures` text became a list of measures; the text is read as
///   measure 1 (see [`Progress::upgrade`]).
fn migrate(text: &str, version: u32) -> Result<Progress, Migration> {
    match version {
        1 | 2 | VERSION => {
            let mut p: Progress = ron::Options::default()
                .from_str(text)
                .map_err(Migration::Ron)?;
            p.upgrade();
            Ok(p)
        }
        v => Err(Migration::Unknown(v)),
    }
}
