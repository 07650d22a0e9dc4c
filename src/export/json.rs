//! The whole ledger as JSON for other tools: the checklist in every language, the raw
//! progress, and the summary in the chosen language. Versioned so readers can tell.

use serde::Serialize;

use std::collections::BTreeMap;

use super::json_fast::{Fallback, ROOM_BETWEEN, Ser, head};
use crate::model::{Checklist, Deadline, ItemProgress, Note, Progress, Stamped, StatusChange};
use crate::summary::{AreaRow, ItemRow, NoteRow, Summary};

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

impl<'a> PublicItem<'a> {
    fn of(i: &'a ItemProgress) -> PublicItem<'a> {
        PublicItem {
            history: &i.history,
            notes: &i.notes,
            owner: i.owner.as_ref(),
            person: i.person.as_ref(),
            deadline: i.deadline.as_ref(),
            measures: i.measures.as_ref(),
        }
    }
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

const FORMAT: &str = "rectify-export";
const GENERATED_BY: &str = concat!("rectify ", env!("CARGO_PKG_VERSION"));

/// The export as the pieces it was written in, in order.
pub fn render(checklist: &Checklist, progress: &Progress, summary: &Summary) -> Vec<String> {
    fast(checklist, progress, summary)
        .unwrap_or_else(|Fallback| vec![with_serde(checklist, progress, summary)])
}

/// Room for a problem's entry or row in the export, and for each of its notes and changes:
/// about 300 bytes each with their layout. Room never written to costs no memory, and
/// growing a large text by doubling copies tens of megabytes.
const ROOM_EACH: usize = 512;

/// The text [`with_serde`] writes, through [`json_fast`]: the two long lists, the progress
/// items and each area's rows, are written a part on each core. The fields down to those
/// lists are laid out here in the order of `Export`, `Public`, `Summary` and `AreaRow`; a
/// test compares the two texts for a ledger with every field filled in.
fn fast(
    checklist: &Checklist,
    progress: &Progress,
    summary: &Summary,
) -> Result<Vec<String>, Fallback> {
    let entries: Vec<(&String, &ItemProgress)> =
        progress.items.iter().map(|(id, i)| (id, &**i)).collect();
    let large = entries.len() >= crate::par::MIN_WEIGHT;
    // The three large values written side by side, each at the depth of a top field: the
    // checklist in every language on one core, the progress and the summary in parts on
    // all (one barrier for all three instead of one after each).
    let ((checklist_text, progress_text), summary_text) = crate::par::join(
        large,
        || {
            crate::par::join(
                large,
                || {
                    let room = 65536 + checklist.items().count() * ROOM_EACH;
                    Ser::apart(1, room, |ser| checklist.serialize(ser))
                },
                || {
                    Ser::apart(1, ROOM_BETWEEN, |ser| {
                        write_progress(ser, progress, &entries)
                    })
                },
            )
        },
        || Ser::apart(1, ROOM_BETWEEN, |ser| write_summary(ser, summary)),
    );
    let mut ser = Ser::new(ROOM_BETWEEN);
    let mut top = ser.object();
    top.field("format", FORMAT)?;
    top.field("version", &EXPORT_VERSION)?;
    top.field("generated_by", GENERATED_BY)?;
    for (key, text) in [
        ("checklist", checklist_text),
        ("progress", progress_text),
        ("summary", summary_text),
    ] {
        top.field_with(key, |ser| {
            ser.splice(text?);
            Ok(())
        })?;
    }
    top.close('}')?;
    ser.push_str("\n");
    Ok(ser.finish())
}

/// `Public`'s fields, its items a part on each core.
fn write_progress(
    ser: &mut Ser,
    progress: &Progress,
    entries: &[(&String, &ItemProgress)],
) -> Result<(), Fallback> {
    let weight = |(_, i): &(&String, &ItemProgress)| i.weight();
    let mut p = ser.object();
    p.field("version", &progress.version)?;
    p.field("checklist", &progress.checklist)?;
    p.field_with("items", |ser| {
        ser.map_in_parts(
            entries,
            weight,
            |part| part.iter().map(weight).sum::<usize>() * ROOM_EACH,
            |(id, _)| id.as_str(),
            |ser, (_, i)| write_public_item(ser, &PublicItem::of(i)),
        )
    })?;
    p.close('}')
}

/// `Summary`'s fields, its areas a part on each core: parts of whole areas, of about equal
/// weight, and the rows of an area too large to share a part in parts of their own.
fn write_summary(ser: &mut Ser, summary: &Summary) -> Result<(), Fallback> {
    let mut s = ser.object();
    s.field("checklist_id", summary.checklist_id)?;
    s.field("title", summary.title)?;
    s.field("source", &summary.source)?;
    s.field("lang", &summary.lang)?;
    s.field("as_of", &summary.as_of)?;
    s.field("counts", &summary.counts)?;
    let row_weight = |row: &ItemRow| 1 + row.notes.len();
    let area_weight = |a: &AreaRow| 1 + a.items.iter().map(row_weight).sum::<usize>();
    let area_room = |areas: &[AreaRow]| areas.iter().map(area_weight).sum::<usize>() * ROOM_EACH;
    s.field_with("areas", |ser| {
        ser.seq_in_parts(&summary.areas, area_weight, area_room, |ser, area| {
            let mut a = ser.object();
            a.field("id", area.id)?;
            a.field("title", area.title)?;
            a.field("requirements", area.requirements)?;
            a.field("counts", &area.counts)?;
            a.field_with("items", |ser| {
                ser.seq_in_parts(
                    &area.items,
                    row_weight,
                    |rows| rows.iter().map(row_weight).sum::<usize>() * ROOM_EACH,
                    write_row,
                )
            })?;
            a.close('}')
        })
    })?;
    s.field("period", &summary.period)?;
    s.close('}')
}

// The lists below the top levels, by hand too: a note is written 100,000 times in a large
// export (in the progress and in the summary). Through serde each field name was looked
// over for characters to escape and copied in three pieces, and each time checked as
// UTF-8 again; written here from names quoted when compiled, the export of 10,000 problems
// runs a third fewer instructions. Each struct is taken apart without `..`, so a field
// added to it does not compile until it is written here; the tests compare the text with
// serde_json's.

/// A problem's entry in the progress, as `PublicItem`'s derive lays it out.
fn write_public_item(ser: &mut Ser, item: &PublicItem) -> Result<(), Fallback> {
    let PublicItem {
        history,
        notes,
        owner,
        person,
        deadline,
        measures,
    } = item;
    let mut o = ser.object();
    if !history.is_empty() {
        o.with(head!("history"), |ser| ser.list(history, write_change))?;
    }
    if !notes.is_empty() {
        o.with(head!("notes"), |ser| ser.list(notes, write_note))?;
    }
    for (key, value) in [(head!("owner"), owner), (head!("person"), person)] {
        if let Some(v) = value {
            o.with(key, |ser| write_stamped(ser, v, write_text))?;
        }
    }
    if let Some(v) = deadline {
        o.with(head!("deadline"), |ser| {
            write_stamped(ser, v, |ser, d| d.serialize(ser))
        })?;
    }
    if let Some(v) = measures {
        o.with(head!("measures"), |ser| write_stamped(ser, v, write_text))?;
    }
    o.close('}')
}

fn write_change(ser: &mut Ser, change: &StatusChange) -> Result<(), Fallback> {
    let StatusChange {
        id,
        at,
        status,
        by,
        clock,
    } = change;
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.stamp(head!("at"), at)?;
    o.with(head!("status"), |ser| status.serialize(ser))?;
    if let Some(by) = by {
        o.str(head!("by"), by);
    }
    write_clock(&mut o, *clock)?;
    o.close('}')
}

fn write_note(ser: &mut Ser, note: &Note) -> Result<(), Fallback> {
    let Note {
        id,
        at,
        text,
        edited,
        deleted,
        by,
        edited_by,
        deleted_by,
        clock,
    } = note;
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.stamp(head!("at"), at)?;
    o.str(head!("text"), text);
    for (key, t) in [(head!("edited"), edited), (head!("deleted"), deleted)] {
        if let Some(t) = t {
            o.stamp(key, t)?;
        }
    }
    for (key, who) in [
        (head!("by"), by),
        (head!("edited_by"), edited_by),
        (head!("deleted_by"), deleted_by),
    ] {
        if let Some(who) = who {
            o.str(key, who);
        }
    }
    write_clock(&mut o, *clock)?;
    o.close('}')
}

/// The logical clock, written as serde writes it: only when it is not 0.
fn write_clock(o: &mut super::json_fast::Compound, clock: u64) -> Result<(), Fallback> {
    if clock != 0 {
        o.with(head!("clock"), |ser| clock.serialize(ser))?;
    }
    Ok(())
}

fn write_text(ser: &mut Ser, text: &impl AsRef<str>) -> Result<(), Fallback> {
    ser.string(text.as_ref());
    Ok(())
}

fn write_stamped<T>(
    ser: &mut Ser,
    stamped: &Stamped<T>,
    value: impl FnOnce(&mut Ser, &T) -> Result<(), Fallback>,
) -> Result<(), Fallback> {
    let Stamped {
        value: v,
        at,
        by,
        clock,
    } = stamped;
    let mut o = ser.object();
    o.with(head!("value"), |ser| value(ser, v))?;
    o.stamp(head!("at"), at)?;
    if let Some(by) = by {
        o.str(head!("by"), by);
    }
    write_clock(&mut o, *clock)?;
    o.close('}')
}

/// A problem's row in the summary, as `ItemRow`'s derive lays it out.
fn write_row(ser: &mut Ser, row: &ItemRow) -> Result<(), Fallback> {
    let ItemRow {
        id,
        text,
        status,
        owner,
        person,
        deadline,
        measures,
        overdue,
        notes,
        last_update,
    } = row;
    // The notes' texts lie where the progress file put them, in another order than the
    // rows: asked for now, they arrive while the row's other fields are written.
    for n in notes {
        crate::prefetch::line(n.text.as_ptr());
        crate::prefetch::line(n.id.as_ptr());
    }
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.str(head!("text"), text);
    o.with(head!("status"), |ser| status.serialize(ser))?;
    o.str(head!("owner"), owner);
    o.str(head!("person"), person);
    o.with(head!("deadline"), |ser| deadline.serialize(ser))?;
    o.str(head!("measures"), measures);
    o.with(head!("overdue"), |ser| overdue.serialize(ser))?;
    o.with(head!("notes"), |ser| ser.list(notes, write_note_row))?;
    o.opt_stamp(head!("last_update"), last_update.as_ref())?;
    o.close('}')
}

fn write_note_row(ser: &mut Ser, note: &NoteRow) -> Result<(), Fallback> {
    let NoteRow {
        id,
        at,
        edited,
        text,
        by,
        edited_by,
    } = note;
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.stamp(head!("at"), at)?;
    o.opt_stamp(head!("edited"), edited.as_ref())?;
    o.str(head!("text"), text);
    o.opt_str(head!("by"), *by);
    o.opt_str(head!("edited_by"), *edited_by);
    o.close('}')
}

/// The export through serde_json: what [`fast`] writes, and what is written if a field ever
/// takes a shape that it does not write.
fn with_serde(checklist: &Checklist, progress: &Progress, summary: &Summary) -> String {
    let export = Export {
        format: FORMAT,
        version: EXPORT_VERSION,
        generated_by: GENERATED_BY,
        checklist,
        progress: Public::of(progress),
        summary,
    };
    // Room for the whole text from the start (growing by doubling copies it again and
    // again; room never written to costs no memory): each note appears twice, in the
    // progress and in the summary, about 300 bytes each time with its layout.
    let notes: usize = progress.items.values().map(|i| i.notes.len()).sum();
    let mut out = Vec::with_capacity(65536 + checklist.items().count() * 2048 + notes * 1024);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    export.serialize(&mut ser).expect("plain data serialises");
    out.push(b'\n');
    // SAFETY: serde_json writes UTF-8 (its own `to_string` relies on it without a check),
    // and `Pretty` adds only whole `str` fragments and ASCII.
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
    use crate::model::progress::{Field, Who};

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
        let out: serde_json::Value =
            serde_json::from_str(&render(&c, &p, &summary).concat()).unwrap();
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
        p.set_text("1.1", Field::Owner, EVERY_ESCAPE, by.clone());
        p.set_text("1.1", Field::Person, "李明", t);
        p.set_text("1.1", Field::Measures, "措施\n第二行", t);
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
        p.set_text("1.1", Field::Person, "李明（改）", t);
        let n = p.add_note("1.3", "後改", by.clone()).unwrap();
        p.edit_note("1.3", &n, "後改過", t).unwrap();
        (c, p)
    }

    fn both(c: &Checklist, p: &Progress, s: &Summary) -> (String, String) {
        let fast = fast(c, p, s).expect("every field of the export takes the fast path");
        (fast.concat(), with_serde(c, p, s))
    }

    /// The fast writer lays out what serde_json lays out, field for field and escape for
    /// escape: its top levels are written by hand, so a field added to `Export`, `Public`,
    /// `Summary` or `AreaRow` and not to [`fast`] fails here.
    #[test]
    fn the_fast_writer_writes_what_serde_json_writes() {
        let (c, p) = every_field();
        let today = "2026-11-29".parse().unwrap();
        for lang in [Lang::En, Lang::ZhHant] {
            let s = Summary::build(&c, &p, lang, today).with_period(
                &c,
                &p,
                "2026-11-01".parse().unwrap(),
            );
            assert!(s.period.as_ref().is_some_and(|p| !p.notes.is_empty()));
            let (fast, serde) = both(&c, &p, &s);
            assert_eq!(fast, serde);
            assert_eq!(
                fast.matches("\"clock\": 1").count(),
                3,
                "status, field, note"
            );
            let s = Summary::build(&c, &p, lang, today);
            let (fast, serde) = both(&c, &p, &s);
            assert_eq!(fast, serde);
        }
        // An empty ledger: empty objects and lists.
        let empty = Progress::new(&c.id);
        let s = Summary::build(&c, &empty, Lang::En, today);
        let (fast, serde) = both(&c, &empty, &s);
        assert!(fast.contains("\"items\": {}"));
        assert_eq!(fast, serde);
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
        let pieces = crate::par::with_parts(3, || fast(&c, &p, &s)).unwrap();
        assert!(
            pieces.len() >= 9,
            "written in parts: {} pieces",
            pieces.len()
        );
        assert_eq!(pieces.concat(), with_serde(&c, &p, &s));
        assert_eq!(
            pieces.concat(),
            crate::par::with_parts(1, || fast(&c, &p, &s))
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

    /// A shape the fast writer does not write is left to serde_json, never written wrong.
    #[test]
    fn a_shape_it_does_not_write_falls_back() {
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
}
