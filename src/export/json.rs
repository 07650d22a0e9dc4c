//! The whole ledger as JSON for other tools: the checklist in every language, the raw
//! progress, and the summary in the chosen language. Versioned so readers can tell.

use serde::Serialize;

use crate::model::{Checklist, Progress};
use crate::summary::Summary;

/// Bumped when a field is removed or changes meaning; new fields may appear at any time.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Export<'a> {
    format: &'static str,
    version: u32,
    generated_by: &'static str,
    checklist: &'a Checklist,
    progress: &'a Progress,
    summary: &'a Summary<'a>,
}

pub fn render(checklist: &Checklist, progress: &Progress, summary: &Summary) -> String {
    // Unsaved drafts are private working state, not part of a report.
    let mut progress = progress.clone();
    progress.items.values_mut().for_each(|i| i.drafts.clear());
    let progress = &progress;
    let export = Export {
        format: "rectify-export",
        version: EXPORT_VERSION,
        generated_by: concat!("rectify ", env!("CARGO_PKG_VERSION")),
        checklist,
        progress,
        summary,
    };
    let json = serde_json::to_string_pretty(&export).expect("plain data serialises");
    escape_invisible(&json) + "\n"
}

/// serde_json escapes C0 controls but writes DEL, C1 controls and bidi overrides raw, where a
/// terminal or editor would act on them. They can only occur inside strings, so escaping them
/// here keeps the JSON valid and the values exactly as typed.
fn escape_invisible(json: &str) -> String {
    // Copied in runs between the characters escaped: pushing the 10,000-item export a
    // character at a time took longer than writing it.
    let mut out = String::with_capacity(json.len() + 1);
    let mut run = 0;
    for (i, c) in json.char_indices() {
        if c.is_ascii() && c != '\x7f' {
            continue;
        }
        if crate::text::is_unsafe(c) {
            out.push_str(&json[run..i]);
            out.push_str(&format!("\\u{:04x}", c as u32));
            run = i + c.len_utf8();
        }
    }
    out.push_str(&json[run..]);
    out
}
