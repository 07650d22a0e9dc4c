//! `rectify show`: one item with its fields, measures, notes and history, one measure, or
//! one area.

use std::io::Write;

use super::{IdKind, deadline_label};
use crate::context::Context;
use crate::error::CliError;
use crate::model::progress::{Note, StatusChange};
use crate::model::{ItemProgress, Measure, Stamp, Status};
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
    if let Some((item_id, n, m)) = progress.measure(id) {
        return show_measure(ctx, item_id, n, m, out);
    }
    let Some((area, item)) = ctx.checklist.find_item(id) else {
        // A measure id of a known problem: say which measures it has.
        if let Ok(IdKind::Measure) = ctx.id_kind(id) {
            ctx.check_live(&progress, id, IdKind::Measure)?;
        }
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
    status_line(
        ctx,
        p.status(),
        p.last_change(),
        p.is_overdue(ctx.now.date()),
        out,
    )?;
    writeln!(out, "{}: {}", t.owner, or_none(p.owner()))?;
    writeln!(out, "{}: {}", t.person, or_none(p.person()))?;
    writeln!(
        out,
        "{}: {}",
        t.deadline,
        or_none(&deadline_label(p.deadline(), lang))
    )?;
    let measures = p.numbered_measures();
    if !measures.is_empty() {
        writeln!(out, "\n{}:", t.measures)?;
        let today = ctx.now.date();
        for (n, m) in measures {
            writeln!(
                out,
                "  {id}.{n} {} {}",
                m.status().mark(),
                visible(m.text()).replace('\n', " ")
            )?;
            let overdue = if m.is_overdue(today) {
                format!("  ⚠ {}", t.overdue)
            } else {
                String::new()
            };
            writeln!(
                out,
                "      {}: {} · {}: {} · {}: {}{overdue}",
                t.owner,
                or_none(m.owner()),
                t.deadline,
                or_none(&deadline_label(m.deadline(), lang)),
                t.status,
                m.status().label(lang)
            )?;
        }
    }
    writeln!(out)?;
    notes(ctx, &p.numbered_notes(), out)?;
    history(ctx, &p.ordered_history(), out)?;
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

/// One measure: its problem, text, fields, notes and status history.
fn show_measure(
    ctx: &Context,
    item_id: &str,
    n: usize,
    m: &Measure,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = ctx.lang;
    let t = lang.strings();
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            t.none.to_string()
        } else {
            visible(s).into_owned()
        }
    };
    let problem = ctx
        .checklist
        .find_item(item_id)
        .map(|(_, item)| visible(item.text.get(lang)).replace('\n', " "))
        .unwrap_or_default();
    writeln!(out, "{item_id}.{n} [{} {item_id} {problem}]", t.problem)?;
    writeln!(out, "{}", visible(m.text()))?;
    writeln!(out)?;
    status_line(
        ctx,
        m.status(),
        m.last_change(),
        m.is_overdue(ctx.now.date()),
        out,
    )?;
    let partners = m.partners().join(lang.pick([", ", "、", "、"]));
    for (name, value) in [
        (t.goal, m.goal()),
        (t.owner, m.owner()),
        (t.partners, &partners),
        (t.leader, m.leader()),
        (t.person, m.person()),
        (t.deadline, &deadline_label(m.deadline(), lang)),
    ] {
        writeln!(out, "{name}: {}", or_none(value))?;
    }
    writeln!(out)?;
    notes(ctx, &m.numbered_notes(), out)?;
    let mut changes: Vec<&StatusChange> = m.history.iter().collect();
    changes.sort_by(|a, b| a.order(b));
    history(ctx, &changes, out)
}

/// Numbered notes, newest first, as `note --edit N` and `--delete N` take them.
fn notes(ctx: &Context, notes: &[(usize, &Note)], out: &mut dyn Write) -> Result<(), CliError> {
    let t = ctx.lang.strings();
    if notes.is_empty() {
        writeln!(out, "{}: {}", t.notes, t.no_notes)?;
        return Ok(());
    }
    writeln!(out, "{}:", t.notes)?;
    for (n, note) in notes.iter().rev() {
        writeln!(
            out,
            "  #{n} {}{}",
            note.heading(ctx.lang, ctx.now),
            happened(ctx, note.on, note.at)
        )?;
        for line in visible(&note.text).lines() {
            writeln!(out, "     {line}")?;
        }
    }
    Ok(())
}

/// " · happened on 2026-11-01" after an entry that tells of another day than it was
/// recorded on.
fn happened(ctx: &Context, on: Option<jiff::civil::Date>, at: Stamp) -> String {
    match on {
        Some(d) if d != at.date() => format!(" · {} {d}", ctx.lang.strings().happened_on),
        _ => String::new(),
    }
}

/// Status changes in the order they took effect (the order of their times unless a
/// writer's clock ran ahead), with who made them, the day they happened and, for a
/// reopening, why.
fn history(ctx: &Context, history: &[&StatusChange], out: &mut dyn Write) -> Result<(), CliError> {
    if history.is_empty() {
        return Ok(());
    }
    let lang = ctx.lang;
    let t = lang.strings();
    writeln!(out, "\n{}:", t.history)?;
    let mut before = Status::Open;
    for change in history {
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
            "  {}{future}  {} → {}{by}{}",
            change.at.short(),
            before.label(lang),
            change.status.label(lang),
            happened(ctx, change.on, change.at)
        )?;
        if let Some(reason) = &change.reason {
            writeln!(
                out,
                "     {}: {}",
                t.reason,
                visible(reason).replace('\n', " ")
            )?;
        }
        before = change.status;
    }
    Ok(())
}

/// "Status: [~] in progress  ⚠ overdue", saying so when the latest change is dated later
/// than now (its writer's clock ran ahead).
fn status_line(
    ctx: &Context,
    status: crate::model::Status,
    last: Option<&crate::model::StatusChange>,
    overdue: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let t = ctx.lang.strings();
    let overdue = if overdue {
        format!("  ⚠ {}", t.overdue)
    } else {
        String::new()
    };
    let future = match last {
        Some(c) if c.at.is_after(ctx.now) => format!(" ({} {})", c.at.short(), t.future_date),
        _ => String::new(),
    };
    writeln!(
        out,
        "{}: {} {}{future}{overdue}",
        t.status,
        status.mark(),
        status.label(ctx.lang)
    )?;
    Ok(())
}
