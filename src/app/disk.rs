//! What the loop's I/O reports: saves that ended, the file as another program left it,
//! the session taken over or refused, exports. The loop does the I/O; the state it leaves
//! is decided here.

use std::sync::Arc;

use super::{App, Effect, Msg, SaveState};
use crate::model::Progress;
use crate::store::StoreError;

/// Applies a message from the loop's I/O.
pub(super) fn reported(app: &mut App, msg: Msg) -> Effect {
    match msg {
        Msg::Author(name) => app.author = name,
        Msg::LedgerRead(progress) => app.ledger_read(*progress),
        Msg::Saved { revision, result } => saved(app, revision, result),
        Msg::DiskChanged { on_disk, unwritten } => return disk_changed(app, on_disk, unwritten),
        Msg::Writable => {
            app.read_only = false;
            let t = app.lang.strings();
            let news = match app.read_only_why.take() {
                Some(_) => t.writable_now,
                None => t.writable,
            };
            app.message = Some(news.to_string());
        }
        Msg::ReadOnly(why) => {
            // Becoming read-only says why; staying so takes note of why quietly (the file
            // made writable while another window has it open).
            if !app.read_only {
                app.message.clone_from(&why);
            }
            app.read_only = true;
            app.read_only_why = why;
        }
        Msg::Exported(Ok(name)) => {
            app.message = Some(format!("{}: {name}", app.lang.strings().exported));
        }
        Msg::Exported(Err(why)) => app.message = Some(why.to_string()),
        _ => {}
    }
    Effect::None
}

/// A save ended. The ledger is shown as saved only if it is still what was saved; a retry
/// that lands after the ledger moved on (a merge) ends the failure, and what is newer is
/// saved next.
fn saved(app: &mut App, revision: u64, result: Result<(), StoreError>) {
    app.save = match result {
        Ok(()) if revision == app.revision => SaveState::Saved(app.now),
        Ok(()) if matches!(app.save, SaveState::Failed(_)) => SaveState::Pending,
        Ok(()) => return,
        Err(e) => SaveState::Failed(e.to_string()),
    };
}

/// Merges what the file holds. Returns [`Effect::Save`] when ours must still be written:
/// our save met the other write, or the merge left ours holding something the file lacks
/// (a draft, or an unsaved change).
fn disk_changed(
    app: &mut App,
    on_disk: Result<Box<Progress>, StoreError>,
    unwritten: bool,
) -> Effect {
    let on_disk = match on_disk {
        Ok(p) => p,
        Err(e) => {
            // Nothing is written over a file that cannot be read.
            app.save = SaveState::Failed(e.to_string());
            return Effect::None;
        }
    };
    let before = Arc::clone(&app.progress);
    app.merged_from_disk(&on_disk);
    let ours_more = !app.read_only && app.progress != before && *app.progress != *on_disk;
    if unwritten || ours_more {
        app.save = SaveState::Pending;
        Effect::Save
    } else {
        Effect::None
    }
}
