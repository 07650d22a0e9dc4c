//! The whole ledger as JSON for other tools: the checklist in every language, the raw
//! progress, and the summary in the chosen language. Versioned so readers can tell.

use serde::Serialize;

use std::collections::BTreeMap;

use crate::model::{Checklist, Deadline, Note, Progress, Stamped, StatusChange};
use crate::summary::Summary;

/// Bumped when a field is removed or changes meaning; new fields may appear at any time.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Export<'a> {
    format: &'static str,
    version: u32,
    generated_by: &'static str,
    checklist: &'a Checklist,
    progress: Public<'a>,
    summary: &'a Summary<'a>,
}

/// The progress as the file holds it, less the drafts: unsaved drafts are private working
/// state, not part of a report. Borrowed, where a copy with the drafts cleared took a
/// tenth of a 10,000-item export.
#[derive(Serialize)]
struct Public<'a> {
    version: u32,
    checklist: &'a str,
    items: BTreeMap<&'a str, PublicItem<'a>>,
}

#[derive(Serialize)]
struct PublicItem<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    history: &'a [StatusChange],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notes: &'a [Note],
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a Stamped<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    person: Option<&'a Stamped<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<&'a Stamped<Option<Deadline>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    measures: Option<&'a Stamped<String>>,
}

impl<'a> Public<'a> {
    fn of(p: &'a Progress) -> Public<'a> {
        let items = p
            .items
            .iter()
            .map(|(id, i)| {
                let item = PublicItem {
                    history: &i.history,
                    notes: &i.notes,
                    owner: i.owner.as_ref(),
                    person: i.person.as_ref(),
                    deadline: i.deadline.as_ref(),
                    measures: i.measures.as_ref(),
                };
                (id.as_str(), item)
            })
            .collect();
        Public {
            version: p.version,
            checklist: &p.checklist,
            items,
        }
    }
}

pub fn render(checklist: &Checklist, progress: &Progress, summary: &Summary) -> String {
    let export = Export {
        format: "rectify-export",
        version: EXPORT_VERSION,
        generated_by: concat!("rectify ", env!("CARGO_PKG_VERSION")),
        checklist,
        progress: Public::of(progress),
        summary,
    };
    // Room for the whole text from the start: growing by doubling copied tens of megabytes,
    // and room never written to costs no memory. Each note appears twice (progress and
    // summary), about 500 bytes each time with its layout.
    let notes: usize = progress.items.values().map(|i| i.notes.len()).sum();
    let mut out = Vec::with_capacity(65536 + checklist.items().count() * 2048 + notes * 1024);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    export.serialize(&mut ser).expect("plain data serialises");
    out.push(b'\n');
    // SAFETY: serde_json writes UTF-8 (its own `to_string` relies on it without a check),
    // and `Pretty` adds only whole `str` fragments and ASCII. A check took a tenth of a
    // 10,000-item export.
    debug_assert!(std::str::from_utf8(&out).is_ok());
    unsafe { String::from_utf8_unchecked(out) }
}

/// serde_json's pretty layout, and strings that escape DEL, C1 controls and bidi overrides
/// too: serde_json escapes only C0 controls and writes these raw, where a terminal or editor
/// would act on them. Escaped as the strings are written: a second pass over the finished
/// text took a fifth of a 10,000-item export.
#[derive(Default)]
struct Pretty(serde_json::ser::PrettyFormatter<'static>);

/// Formatter methods that hand over to the wrapped `PrettyFormatter`.
macro_rules! pretty {
    ($($name:ident($($arg:ident: $ty:ty)?)),* $(,)?) => {$(
        fn $name<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W
            $(, $arg: $ty)?
        ) -> std::io::Result<()> {
            self.0.$name(w $(, $arg)?)
        }
    )*};
}

impl serde_json::ser::Formatter for Pretty {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !crate::text::has_unsafe(fragment) {
            return w.write_all(fragment.as_bytes());
        }
        let mut run = 0;
        for (i, c) in fragment.char_indices() {
            if crate::text::is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[run..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                run = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[run..])
    }

    // The layout is serde_json's own.
    pretty! {
        begin_array(), end_array(), begin_array_value(first: bool), end_array_value(),
        begin_object(), end_object(), begin_object_key(first: bool), begin_object_value(),
        end_object_value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::model::progress::Field;

    /// The progress in the export is the ledger as saved, field for field, without drafts.
    #[test]
    fn the_progress_is_the_ledger_without_its_drafts() {
        let c = Checklist::embedded();
        let mut p = Progress::new(&c.id);
        let t: crate::model::Stamp = "2026-11-29T09:00:00+08:00".parse().unwrap();
        p.set_status("1.1", crate::model::Status::InProgress, t);
        p.add_note("1.1", "進展", t).unwrap();
        p.set_text("1.1", Field::Owner, "公安廳", t);
        p.set_deadline("1.2", Some(Deadline::Immediate), t);
        p.set_draft("1.2", "草稿", t);
        p.set_draft("2.1", "只有草稿", t);
        let summary = Summary::build(&c, &p, Lang::En, t.date());
        let out: serde_json::Value = serde_json::from_str(&render(&c, &p, &summary)).unwrap();
        let mut expected = p.clone();
        expected.items.values_mut().for_each(|i| i.drafts.clear());
        assert_eq!(out["progress"], serde_json::to_value(&expected).unwrap());
        assert!(!out.to_string().contains("草稿"));
    }
}
