//! The JSON export's tests. The oracle is serde_json with the export's string rules
//! ([`Pretty`]): the writer in [`super::render`] must write its text byte for byte, for
//! the 22-problem ledger with every field filled in, a large generated one written in
//! parts, and hostile strings. It is test code only; nothing falls back to it at run time.

use std::collections::BTreeMap;

use super::*;
use crate::i18n::Lang;
use crate::model::progress::{Field, Who};

/// The progress as the file holds it, less the drafts: unsaved drafts are private working
/// state, not part of a report. Borrowed, not a copy with the drafts cleared.
#[derive(Serialize)]
struct Public<'a> {
    version: u32,
    checklist: &'a str,
    items: BTreeMap<&'a str, PublicItem<'a>>,
}

impl<'a> Public<'a> {
    fn of(p: &'a Progress) -> Public<'a> {
        let items = p
            .items
            .iter()
            .map(|(id, i)| (id.as_str(), PublicItem::of(i)))
            .collect();
        Public {
            version: p.version,
            checklist: &p.checklist,
            items,
        }
    }
}

#[derive(Serialize)]
struct Export<'a> {
    format: &'static str,
    version: u32,
    generated_by: &'static str,
    checklist: &'a Checklist,
    progress: Public<'a>,
    summary: &'a Summary<'a>,
}

/// The export through serde_json: the text [`render`] must write.
fn with_serde(checklist: &Checklist, progress: &Progress, summary: &Summary) -> String {
    let export = Export {
        format: FORMAT,
        version: EXPORT_VERSION,
        generated_by: GENERATED_BY,
        checklist,
        progress: Public::of(progress),
        summary,
    };
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    export.serialize(&mut ser).expect("plain data serialises");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// serde_json's pretty layout, and strings that escape DEL, C1 controls and bidi overrides
/// too (see [`crate::text::is_unsafe`]): serde_json escapes only C0 controls and writes these
/// raw, where a terminal or editor would act on them.
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

/// The progress in the export is the ledger as saved, field for field, without drafts.
#[test]
fn the_progress_is_the_ledger_without_its_drafts() {
    let c = Checklist::embedded();
    let mut p = Progress::new(&c.id);
    let t: crate::model::Stamp = "2026-11-29T09:00:00+08:00".parse().unwrap();
    p.set_status("1.1", crate::model::Status::InProgress, t);
    p.add_note("1.1", "進展", t).unwrap();
    p.set_text("1.1", Field::Owner, "公安廳", t).unwrap();
    p.set_deadline("1.2", Some(Deadline::Immediate), t);
    p.set_draft("1.2", "草稿", t);
    p.set_draft("2.1", "只有草稿", t);
    let summary = Summary::build(&c, &p, Lang::En, t.date());
    let out: serde_json::Value =
        serde_json::from_str(&render(&c, &p, &summary).unwrap().concat()).unwrap();
    let mut expected = p.clone();
    expected
        .items
        .values_mut()
        .for_each(|i| std::sync::Arc::make_mut(i).drafts.clear());
    assert_eq!(out["progress"], serde_json::to_value(&expected).unwrap());
    assert!(!out.to_string().contains("草稿"));
}

/// Every class of character the two writers treat apart: serde_json's short escapes and
/// `\u00XX` controls, the export's own (DEL, C1, bidi controls), and characters that
/// only look like them on their first byte (0xC2, 0xD8 and 0xE2 leads).
const EVERY_ESCAPE: &str = "引號\"、反斜線\\、\u{8}\t\n\u{c}\r\u{1}\u{1f}\u{7f}\u{85}\u{9f}\u{a0}©\
    \u{61c}\u{600}\u{200e}\u{200f}\u{2010}\u{202a}\u{202e}\u{2066}\u{2069}“…”—\u{3000}😀 end";

fn stamp(s: &str) -> crate::model::Stamp {
    s.parse().unwrap()
}

/// A ledger with every field of the export filled in, in a round with a period.
fn every_field() -> (Checklist, Progress) {
    let mut c = Checklist::embedded();
    c.areas[0].title.0.insert("en".into(), EVERY_ESCAPE.into());
    c.areas[1].items[0]
        .text
        .0
        .insert("en".into(), EVERY_ESCAPE.into());
    let mut p = Progress::new(&c.id);
    let t = stamp("2026-11-20T09:00:00+08:00");
    let by = Who::new(stamp("2026-11-21T10:30:00.125+08:00"), Some("王偉"));
    p.set_status("1.1", crate::model::Status::InProgress, t);
    p.set_status("1.1", crate::model::Status::Resolved, by.clone());
    p.add_note("1.1", EVERY_ESCAPE, by.clone()).unwrap();
    p.add_note("1.1", "第二條", t).unwrap();
    let edited = p.items["1.1"].notes[1].id.clone();
    p.edit_note("1.1", &edited, "改過", by.clone()).unwrap();
    p.add_note("2.1", "刪除", t).unwrap();
    let deleted = p.items["2.1"].notes[0].id.clone();
    p.delete_note("2.1", &deleted, by.clone()).unwrap();
    p.set_text("1.1", Field::Owner, EVERY_ESCAPE, by.clone())
        .unwrap();
    p.set_text("1.1", Field::Person, "李明", t).unwrap();
    p.add_measure("1.1", "措施\n第二行", t).unwrap();
    p.set_deadline("1.2", Some(Deadline::Immediate), t);
    p.set_deadline(
        "1.3",
        Some(Deadline::Date("2026-11-25".parse().unwrap())),
        t,
    );
    p.set_deadline("1.4", None, t);
    p.set_draft("1.2", "草稿", t);
    // Changes after ones dated as late or later carry a logical clock.
    p.set_status("1.2", crate::model::Status::Resolved, by.clone());
    p.set_status("1.2", crate::model::Status::InProgress, t);
    p.set_text("1.1", Field::Person, "李明（改）", t).unwrap();
    let n = p.add_note("1.3", "後改", by.clone()).unwrap();
    p.edit_note("1.3", &n, "後改過", t).unwrap();
    (c, p)
}

fn both(c: &Checklist, p: &Progress, s: &Summary) -> (String, String) {
    let written = render(c, p, s).expect("the writer writes every field of the export");
    (written.concat(), with_serde(c, p, s))
}

/// The writer lays out what serde_json lays out, field for field and escape for escape:
/// its top levels are written by hand, so a field added to `Export`, `Public`, `Summary`
/// or `AreaRow` and not to [`render`] fails here.
#[test]
fn the_writer_writes_what_serde_json_writes() {
    let (c, p) = every_field();
    let today = "2026-11-29".parse().unwrap();
    for lang in [Lang::En, Lang::ZhHant] {
        let s =
            Summary::build(&c, &p, lang, today).with_period(&c, &p, "2026-11-01".parse().unwrap());
        assert!(s.period.as_ref().is_some_and(|p| !p.notes.is_empty()));
        let (written, serde) = both(&c, &p, &s);
        assert_eq!(written, serde);
        assert_eq!(
            written.matches("\"clock\": 1").count(),
            3,
            "status, field, note"
        );
        let s = Summary::build(&c, &p, lang, today);
        let (written, serde) = both(&c, &p, &s);
        assert_eq!(written, serde);
    }
    // An empty ledger: empty objects and lists.
    let empty = Progress::new(&c.id);
    let s = Summary::build(&c, &empty, Lang::En, today);
    let (written, serde) = both(&c, &empty, &s);
    assert!(written.contains("\"items\": {}"));
    assert_eq!(written, serde);
}

/// A large ledger is written in parts on several cores, down to the rows of an area too
/// large to share a part, and put together in order: the text is serde_json's.
#[test]
fn a_large_ledger_written_in_parts_is_what_serde_json_writes() {
    let (mut c, mut p) = crate::generated::generate(700);
    // One area of 600 problems, whose rows are cut apart, and one of 100.
    let rest: Vec<_> = c.areas.drain(1..6).flat_map(|a| a.items).collect();
    c.areas[0].items.extend(rest);
    let t = stamp("2026-11-29T09:00:00+08:00");
    p.add_note("1.1", EVERY_ESCAPE, t).unwrap();
    p.add_note("7.100", EVERY_ESCAPE, t).unwrap();
    let today = "2026-11-30".parse().unwrap();
    let s = Summary::build(&c, &p, Lang::ZhHant, today);
    let pieces = crate::par::with_parts(3, || render(&c, &p, &s)).unwrap();
    assert!(
        pieces.len() >= 9,
        "written in parts: {} pieces",
        pieces.len()
    );
    assert_eq!(pieces.concat(), with_serde(&c, &p, &s));
    assert_eq!(
        pieces.concat(),
        crate::par::with_parts(1, || render(&c, &p, &s))
            .unwrap()
            .concat()
    );
}

use proptest::prelude::*;

proptest! {
    /// Any text is quoted and escaped as serde_json with the export's string rules
    /// quotes and escapes it.
    #[test]
    fn any_string_is_written_as_serde_json_writes_it(s in "(.|[\\x00-\\x7f\\u{80}-\\u{9f}\\u{600}-\\u{61f}\\u{2000}-\\u{206f}])*") {
        let mut ser = Ser::new(0);
        ser.string(&s);
        let mut out = Vec::new();
        s.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Pretty::default()))
            .unwrap();
        prop_assert_eq!(ser.finish().concat(), String::from_utf8(out).unwrap());
    }
}

/// Every character near those escaped, alone (the byte-at-a-time path) and at each
/// place in a run of sixteen bytes and more (the sixteen-at-a-time path).
#[test]
fn each_character_near_an_escaped_one_is_written_as_serde_json_writes_it() {
    let near = ('\u{0}'..='\u{ff}')
        .chain('\u{600}'..='\u{61f}')
        .chain('\u{2000}'..='\u{206f}')
        .chain(['中', '，', '\u{3000}', '\u{fffd}', '😀']);
    let serde = |s: &str| {
        let mut out = Vec::new();
        let mut json = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
        s.serialize(&mut json).unwrap();
        String::from_utf8(out).unwrap()
    };
    for c in near {
        for before in 0..18 {
            let s = format!("{}{c}{}", "a".repeat(before), "中".repeat(6));
            for s in [&s[..], c.encode_utf8(&mut [0; 4])] {
                let mut ser = Ser::new(0);
                ser.string(s);
                assert_eq!(
                    ser.finish().concat(),
                    serde(s),
                    "{c:?} after {before} bytes"
                );
            }
        }
    }
}

/// Deeper than the indent is written in one copy: the rest comes in more.
#[test]
fn deep_nesting_is_indented_as_serde_json_indents_it() {
    let mut deep = serde_json::json!({"leaf": [1, {}], "empty": []});
    for _ in 0..40 {
        deep = serde_json::json!([{"a": deep}]);
    }
    let mut ser = Ser::new(0);
    deep.serialize(&mut ser).unwrap();
    assert_eq!(
        ser.finish().concat(),
        serde_json::to_string_pretty(&deep).unwrap()
    );
}

/// A shape the writer does not write is an error, never written wrong.
#[test]
fn a_shape_it_does_not_write_is_an_error() {
    let mut ser = Ser::new(0);
    assert!(1.5f64.serialize(&mut ser).is_err());
    assert!((1, 2).serialize(&mut ser).is_err());
    let mut ser = Ser::new(0);
    let numbered: BTreeMap<u32, &str> = [(1, "a")].into();
    assert!(
        numbered.serialize(&mut ser).is_err(),
        "serde_json quotes number keys"
    );
}

/// Every character written escaped starts with a byte the scan stops at, so a character
/// added to `text::is_unsafe` is not passed over unseen.
#[test]
fn every_escaped_character_starts_with_a_byte_the_scan_stops_at() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        if (c as u32) < 0x20 || c == '"' || c == '\\' || crate::text::is_unsafe(c) {
            let first = c.encode_utf8(&mut [0; 4]).as_bytes()[0];
            assert!(
                super::super::json_scan::marked(first),
                "{c:?} starts with {first:#x}"
            );
        }
    }
}

/// The whole-string check sees a marked byte at any place in a string of any length,
/// through each of its ways (two halves of a short one, sixteen at a time, the overlapping
/// last look), and sees none in a string without one.
#[test]
fn the_whole_string_check_finds_a_marked_byte_anywhere() {
    use super::super::json_scan::{any_look, marked};
    for len in 0..50 {
        let plain = vec![b'a'; len];
        assert!(!any_look(&plain), "none in {len}");
        for at in 0..len {
            for b in 0..=255u8 {
                let mut bytes = plain.clone();
                bytes[at] = b;
                assert_eq!(any_look(&bytes), marked(b), "{b:#x} at {at} of {len}");
            }
        }
    }
}

/// Measures with every field, notes and changes dated by `on`, and a deleted one: in the
/// progress, in the summary's rows and in the period, written as serde_json writes them,
/// in one part and in several.
#[test]
fn a_ledger_with_measures_is_what_serde_json_writes() {
    let (c, mut p) = every_field();
    let t = stamp("2026-11-22T09:00:00+08:00");
    let by = Who::new(stamp("2026-11-23T10:00:00+08:00"), Some("王偉"))
        .on(Some("2026-11-18".parse().unwrap()));
    let m = p.add_measure("2.5", EVERY_ESCAPE, t).unwrap();
    p.set_text(&m, Field::Goal, "目標", t).unwrap();
    p.set_text(&m, Field::Owner, "市中級法院", t).unwrap();
    p.set_text(&m, Field::Leader, EVERY_ESCAPE, t).unwrap();
    p.set_text(&m, Field::Person, "李明", t).unwrap();
    p.set_partners(&m, &["市公安局".into(), EVERY_ESCAPE.into()], t)
        .unwrap();
    p.set_deadline(&m, Some(Deadline::Date("2026-11-25".parse().unwrap())), t);
    p.mark(&m, crate::model::Status::Resolved, by.clone())
        .unwrap();
    p.add_note(&m, EVERY_ESCAPE, by.clone()).unwrap();
    let late = p.add_measure("2.5", "逾期的", t).unwrap();
    p.set_deadline(
        &late,
        Some(Deadline::Date("2026-11-20".parse().unwrap())),
        t,
    );
    p.mark(&late, crate::model::Status::InProgress, t).unwrap();
    let gone = p.add_measure("2.5", "刪掉的", t).unwrap();
    p.remove_measure(&gone, by.clone()).unwrap();
    let today = "2026-11-29".parse().unwrap();
    for lang in [Lang::En, Lang::ZhHans] {
        let s =
            Summary::build(&c, &p, lang, today).with_period(&c, &p, "2026-11-15".parse().unwrap());
        let period = s.period.as_ref().unwrap();
        assert!(
            period
                .changes
                .iter()
                .any(|c| c.measure.as_deref() == Some("2.5.2"))
        );
        assert!(period.notes.iter().any(|n| n.measure.is_some()));
        assert_eq!(s.measure_counts.total, 3, "1.1's, and 2.5's two live ones");
        let (written, serde) = both(&c, &p, &s);
        assert_eq!(written, serde);
        assert!(written.contains("\"resolved_on\": \"2026-11-18\""));
        let pieces = crate::par::with_parts(3, || render(&c, &p, &s)).unwrap();
        assert_eq!(pieces.concat(), serde);
    }
}
