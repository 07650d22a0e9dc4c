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

/// The fast path stopped: a shape the writer does not write, or text the reader does not
/// read. Never shown; `ron` takes over and gives the real answer.
#[derive(Debug)]
pub struct LeftToRon;

impl std::fmt::Display for LeftToRon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to ron")
    }
}

impl std::error::Error for LeftToRon {}

impl serde::de::Error for LeftToRon {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        LeftToRon
    }
}

impl serde::ser::Error for LeftToRon {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        LeftToRon
    }
}

/// The pretty-printing settings rectify has always written its files with.
pub fn config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .struct_names(true)
}

#[cfg(test)]
mod tests;
