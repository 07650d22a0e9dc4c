//! A fast path for the RON that rectify writes: the same text as `ron`'s pretty printer, and a
//! reader for that text. `ron` took 558 ms to write and 180 ms to read a ledger of 10,000
//! problems and 50,000 notes (19 MB), mostly in per-character work; these take a tenth.
//!
//! They never replace `ron`, only go before it:
//! - [`to_string_pretty`] writes exactly what `ron::ser::to_string_pretty` writes with
//!   [`config`] (tests compare the two), so files and git diffs look as they always did.
//! - [`from_str`] reads a strict subset of RON (the layout rectify writes, and hand edits
//!   that keep to it). On anything else, and on any error, it gives `None` and the caller
//!   reads the text with `ron`, which accepts the rest and points at mistakes by line and
//!   column. Where it gives a value, it is the value `ron` reads (a fuzz target checks this).

mod de;
mod ser;

pub use de::from_str;
pub use ser::{map_entries, push_string, to_string_pretty, write_pretty};

/// The fast path stopped; `ron` takes over.
pub use crate::fast_path::Fallback as LeftToRon;

/// The pretty-printing settings rectify has always written its files with.
pub fn config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .struct_names(true)
}

#[cfg(test)]
mod tests;
