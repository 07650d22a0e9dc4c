//! `rectify show`: one item with its fields, notes and history, or one area.

use std::io::Write;

use crate::context::Context;
use crate::error::CliError;
use crate::model::{ItemProgress, Status};
use crate::text::visible;

pub(super) fn show(ctx: &Context, id: &str, out: &mut dyn Write) -> Result<(), CliError> {
    let progress = ctx.load()?;
    let lang = ctx.lang;
    let t = lang.strings();
    if let Some(area) = ctx.checklist.find_area(id) {
        writeln!(
            out,
            "{} {}",
            visible(&area.id),
            visible(area.title.get(lang))
        )?;
        for item in &area.items {
            let st = progress.status(&item.id);
            writeln!(
                out,
                "  {} {} {}",
                st.mark(),
                visible(&item.id),
                visible(item.text.get(lang))
            )?;
        }
        let req = area.requirements.get(lang);
        if !req.is_empty() {
            writeln!(out, "\n{}:\n{}", t.requirements, visible(req))?;
        }
        return Ok(());
    }
    let Some((area, item)) = ctx.checklist.find_item(id) else {
        return Err(CliError::usage(format!(
            "unknown id {:?}; valid item ids: {} (or an area: {})",
            visible(id),
            ctx.checklist.item_ids().join(", "),
            ctx.checklist
                .areas
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let empty = ItemProgress::default();
    let p = progress.item(id).unwrap_or(&empty);
    let or_none = |s: &str| {
        if s.is_empty() {
            t.none.to_string()
        } else {
            visible(s).into_owned()
        }
    };
    writeln!(
        out,
        "{} [{} {}]",
        visible(&item.id),
        visible(&area.id),
        visible(area.title.get(lang))
    )?;
    writeln!(out, "{}", visible(item.text.get(lang)))?;
    writeln!(out)?;
    let overdue = if p.is_overdue(ctx.now.date()) {
        format!("  ⚠ {}", t.overdue)
    } else {
        String::new()
    };
    // Decided by a change dated later than now: its writer's clock ran ahead.
    let future = match p.last_change() {
        Some(c) if c.at.is_after(ctx.now) => format!(" ({} {})", c.at.short(), t.future_date),
        _ => String::new(),
    };
    writeln!(
        out,
        "{}: {} {}{future}{overdue}",
        t.status,
        p.status().mark(),
        p.status().label(lang)
    )?;
    writeln!(out, "{}: {}", t.owner, or_none(p.owner()))?;
    writeln!(out, "{}: {}", t.person, or_none(p.person()))?;
    let deadline = p.deadline().map(|d| d.label(lang)).unwrap_or_default();
    writeln!(out, "{}: {}", t.deadline, or_none(&deadline))?;
    for (n, m) in p.numbered_measures() {
        writeln!(out, "{}.{n} {} {}", id, m.status().mark(), m.text())?;
    }
    writeln!(out)?;
    let notes = p.numbered_notes();
    if notes.is_empty() {
        writeln!(out, "{}: {}", t.notes, t.no_notes)?;
    } else {
        writeln!(out, "{}:", t.notes)?;
        for (n, note) in notes.iter().rev() {
            writeln!(out, "  #{n} {}", note.heading(lang, ctx.now))?;
            for line in visible(&note.text).lines() {
                writeln!(out, "     {line}")?;
            }
        }
    }
    if !p.history.is_empty() {
        writeln!(out, "\n{}:", t.history)?;
        let mut before = Status::Open;
        // In the order they took effect, which is the order of their times unless a
        // writer's clock ran ahead.
        for change in p.ordered_history() {
            let by = change
                .by
                .as_deref()
                .map(|b| format!("  ({})", visible(b)))
                .unwrap_or_default();
            let future = if change.at.is_after(ctx.now) {
                format!(" ({})", t.future_date)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  {}{future}  {} → {}{by}",
                change.at.short(),
                before.label(lang),
                change.status.label(lang)
            )?;
            before = change.status;
        }
    }
    let req = area.requirements.get(lang);
    if !req.is_empty() {
        writeln!(
            out,
            "\n{} ({}):\n{}",
            t.requirements,
            visible(area.title.get(lang)),
            visible(req)
        )?;
    }
    Ok(())
}
