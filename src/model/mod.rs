//! The ledger's data: the checklist (read-only, from RON) and the progress kept on it.

pub mod checklist;
pub mod clock;
mod entry;
mod item;
pub mod measure;
pub mod merge;
pub mod progress;
pub mod rounds;
pub mod stamp;
mod status;
mod undo;
pub mod unique_map;

pub use checklist::{Area, Checklist, ChecklistError, Item, Source, Text};
pub use progress::{
    Deadline, ItemProgress, Measure, Note, Progress, Stamped, Status, StatusChange,
};
pub use stamp::Stamp;
