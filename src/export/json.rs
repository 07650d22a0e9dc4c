//! The whole ledger as JSON for other tools: the checklist in every language, the raw
//! progress, and the summary in the chosen language. Versioned so readers can tell.

use serde::Serialize;

pub use super::json_fast::Unwritable;
use super::json_fast::{CAPACITY_BETWEEN, Result, Ser, head};
use crate::model::{
    Checklist, Deadline, ItemProgress, Measure, Note, Progress, Stamped, StatusChange,
};
use crate::summary::{AreaRow, ItemRow, MeasureRow, NoteRow, Summary};

/// Bumped when a field is removed or changes meaning; new fields may appear at any time.
pub const EXPORT_VERSION: u32 = 1;

/// A problem's entry in the progress as the file holds it, less the drafts: unsaved drafts
/// are private working state, not part of a report.
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
    #[serde(skip_serializing_if = "<[Measure]>::is_empty")]
    measures: &'a [Measure],
}

impl<'a> PublicItem<'a> {
    fn of(i: &'a ItemProgress) -> PublicItem<'a> {
        PublicItem {
            history: &i.history,
            notes: &i.notes,
            owner: i.owner.as_ref(),
            person: i.person.as_ref(),
            deadline: i.deadline.as_ref(),
            measures: &i.measures,
        }
    }
}

const FORMAT: &str = "rectify-export";
const GENERATED_BY: &str = concat!("rectify ", env!("CARGO_PKG_VERSION"));

/// Room for a problem's entry or row in the export, and for each of its notes and changes:
/// about 300 bytes each with their layout. Room never written to costs no memory, and
/// growing a large text by doubling copies it again and again.
const CAPACITY_EACH: usize = 512;

/// The export as the pieces it was written in, in order: the two long lists, the progress
/// items and each area's rows, are written a part on each core. The fields down to those
/// lists are laid out here in the order of the oracle's `Export`, `Public`, `Summary` and
/// `AreaRow` (see the tests, which compare the text with serde_json's byte for byte).
pub fn render(
    checklist: &Checklist,
    progress: &Progress,
    summary: &Summary,
) -> Result<Vec<String>> {
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
                    let capacity = 65536 + checklist.items().count() * CAPACITY_EACH;
                    Ser::separate(1, capacity, |ser| checklist.serialize(ser))
                },
                || {
                    Ser::separate(1, CAPACITY_BETWEEN, |ser| {
                        write_progress(ser, progress, &entries)
                    })
                },
            )
        },
        || Ser::separate(1, CAPACITY_BETWEEN, |ser| write_summary(ser, summary)),
    );
    let mut ser = Ser::new(CAPACITY_BETWEEN);
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
            ser.insert_pieces(text?);
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
) -> Result {
    let weight = |(_, i): &(&String, &ItemProgress)| i.weight();
    let mut p = ser.object();
    p.field("version", &progress.version)?;
    p.field("checklist", &progress.checklist)?;
    p.field_with("items", |ser| {
        ser.map_in_parts(
            entries,
            weight,
            |part| part.iter().map(weight).sum::<usize>() * CAPACITY_EACH,
            |(id, _)| id.as_str(),
            |ser, (_, i)| write_public_item(ser, &PublicItem::of(i)),
        )
    })?;
    p.close('}')
}

/// `Summary`'s fields, its areas a part on each core: parts of whole areas, of about equal
/// weight, and the rows of an area too large to share a part in parts of their own.
fn write_summary(ser: &mut Ser, summary: &Summary) -> Result {
    let mut s = ser.object();
    s.field("checklist_id", summary.checklist_id)?;
    s.field("title", summary.title)?;
    s.field("source", &summary.source)?;
    s.field("lang", &summary.lang)?;
    s.field("as_of", &summary.as_of)?;
    s.field("counts", &summary.counts)?;
    s.field("measure_counts", &summary.measure_counts)?;
    let row_weight = |row: &ItemRow| {
        1 + row.notes.len()
            + row
                .measures
                .iter()
                .map(|m| 1 + m.notes.len())
                .sum::<usize>()
    };
    let area_weight = |a: &AreaRow| 1 + a.items.iter().map(row_weight).sum::<usize>();
    let area_room =
        |areas: &[AreaRow]| areas.iter().map(area_weight).sum::<usize>() * CAPACITY_EACH;
    s.field_with("areas", |ser| {
        ser.seq_in_parts(&summary.areas, area_weight, area_room, |ser, area| {
            let mut a = ser.object();
            a.field("id", area.id)?;
            a.field("title", area.title)?;
            a.field("requirements", area.requirements)?;
            a.field("counts", &area.counts)?;
            a.field("measure_counts", &area.measure_counts)?;
            a.field_with("items", |ser| {
                ser.seq_in_parts(
                    &area.items,
                    row_weight,
                    |rows| rows.iter().map(row_weight).sum::<usize>() * CAPACITY_EACH,
                    write_row,
                )
            })?;
            a.close('}')
        })
    })?;
    s.field("period", &summary.period)?;
    s.close('}')
}

// The lists below the top levels, by hand too: a note is written twice for each note in
// the ledger (in the progress and in the summary), and through serde each field name is
// looked over for characters to escape and copied in three pieces; written here from names
// quoted when compiled. Each struct is taken apart without `..`, so a field added to it
// does not compile until it is written here; the tests compare the text with serde_json's.

/// A problem's entry in the progress, as `PublicItem`'s derive lays it out.
fn write_public_item(ser: &mut Ser, item: &PublicItem) -> Result {
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
    if !measures.is_empty() {
        o.with(head!("measures"), |ser| ser.list(measures, write_measure))?;
    }
    o.close('}')
}

/// A measure in the progress, as `Measure`'s derive lays it out: by hand like the notes,
/// which in a ledger kept by measures are mostly theirs.
fn write_measure(ser: &mut Ser, m: &Measure) -> Result {
    let Measure {
        id,
        created,
        by,
        text,
        goal,
        owner,
        partners,
        leader,
        person,
        deadline,
        removed,
        history,
        notes,
    } = m;
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.stamp(head!("created"), created)?;
    if let Some(by) = by {
        o.str(head!("by"), by);
    }
    o.with(head!("text"), |ser| write_stamped(ser, text, write_text))?;
    for (key, value) in [(head!("goal"), goal), (head!("owner"), owner)] {
        if let Some(v) = value {
            o.with(key, |ser| write_stamped(ser, v, write_text))?;
        }
    }
    if let Some(v) = partners {
        o.with(head!("partners"), |ser| {
            write_stamped(ser, v, |ser, v| v.serialize(ser))
        })?;
    }
    for (key, value) in [(head!("leader"), leader), (head!("person"), person)] {
        if let Some(v) = value {
            o.with(key, |ser| write_stamped(ser, v, write_text))?;
        }
    }
    if let Some(v) = deadline {
        o.with(head!("deadline"), |ser| {
            write_stamped(ser, v, |ser, d| d.serialize(ser))
        })?;
    }
    if let Some(v) = removed {
        o.with(head!("removed"), |ser| {
            write_stamped(ser, v, |ser, r| r.serialize(ser))
        })?;
    }
    if !history.is_empty() {
        o.with(head!("history"), |ser| ser.list(history, write_change))?;
    }
    if !notes.is_empty() {
        o.with(head!("notes"), |ser| ser.list(notes, write_note))?;
    }
    o.close('}')
}

fn write_change(ser: &mut Ser, change: &StatusChange) -> Result {
    let StatusChange {
        id,
        at,
        status,
        by,
        clock,
        on,
        reason,
    } = change;
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.stamp(head!("at"), at)?;
    o.with(head!("status"), |ser| status.serialize(ser))?;
    if let Some(by) = by {
        o.str(head!("by"), by);
    }
    write_clock(&mut o, *clock)?;
    if let Some(on) = on {
        o.with(head!("on"), |ser| on.serialize(ser))?;
    }
    if let Some(reason) = reason {
        o.str(head!("reason"), reason);
    }
    o.close('}')
}

fn write_note(ser: &mut Ser, note: &Note) -> Result {
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
        on,
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
    if let Some(on) = on {
        o.with(head!("on"), |ser| on.serialize(ser))?;
    }
    o.close('}')
}

/// The logical clock, written as serde writes it: only when it is not 0.
fn write_clock(o: &mut super::json_fast::Compound, clock: u64) -> Result {
    if clock != 0 {
        o.with(head!("clock"), |ser| clock.serialize(ser))?;
    }
    Ok(())
}

fn write_text(ser: &mut Ser, text: &impl AsRef<str>) -> Result {
    ser.string(text.as_ref());
    Ok(())
}

fn write_stamped<T>(
    ser: &mut Ser,
    stamped: &Stamped<T>,
    value: impl FnOnce(&mut Ser, &T) -> Result,
) -> Result {
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
fn write_row(ser: &mut Ser, row: &ItemRow) -> Result {
    let ItemRow {
        id,
        text,
        status,
        owner,
        person,
        deadline,
        measures,
        overdue,
        resolved_on,
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
    o.with(head!("measures"), |ser| {
        ser.list(measures, write_measure_row)
    })?;
    o.with(head!("overdue"), |ser| overdue.serialize(ser))?;
    o.with(head!("resolved_on"), |ser| resolved_on.serialize(ser))?;
    o.with(head!("notes"), |ser| ser.list(notes, write_note_row))?;
    o.opt_stamp(head!("last_update"), last_update.as_ref())?;
    o.close('}')
}

/// A measure's row in the summary, as `MeasureRow`'s derive lays it out.
fn write_measure_row(ser: &mut Ser, row: &MeasureRow) -> Result {
    let MeasureRow {
        id,
        text,
        goal,
        owner,
        partners,
        leader,
        person,
        deadline,
        status,
        overdue,
        resolved,
        resolved_on,
        notes,
        last_update,
    } = row;
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.str(head!("text"), text);
    o.str(head!("goal"), goal);
    o.str(head!("owner"), owner);
    o.with(head!("partners"), |ser| partners.serialize(ser))?;
    o.str(head!("leader"), leader);
    o.str(head!("person"), person);
    o.with(head!("deadline"), |ser| deadline.serialize(ser))?;
    o.with(head!("status"), |ser| status.serialize(ser))?;
    o.with(head!("overdue"), |ser| overdue.serialize(ser))?;
    o.opt_stamp(head!("resolved"), resolved.as_ref())?;
    o.with(head!("resolved_on"), |ser| resolved_on.serialize(ser))?;
    o.with(head!("notes"), |ser| ser.list(notes, write_note_row))?;
    o.stamp(head!("last_update"), last_update)?;
    o.close('}')
}

fn write_note_row(ser: &mut Ser, note: &NoteRow) -> Result {
    let NoteRow {
        id,
        at,
        date,
        edited,
        text,
        by,
        edited_by,
    } = note;
    let mut o = ser.object();
    o.str(head!("id"), id);
    o.stamp(head!("at"), at)?;
    o.with(head!("date"), |ser| date.serialize(ser))?;
    o.opt_stamp(head!("edited"), edited.as_ref())?;
    o.str(head!("text"), text);
    o.opt_str(head!("by"), *by);
    o.opt_str(head!("edited_by"), *edited_by);
    o.close('}')
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
