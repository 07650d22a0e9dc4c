//! Writes what serde_json's pretty printer writes with the export's [`super::json`] string
//! rules, for the shapes the export holds: structs, maps with string keys, sequences,
//! options, unit variants, strings, integers and bools. Any other shape is an
//! [`Unwritable`] error; none of the export's types holds one, and the tests compare the
//! text with serde_json's byte for byte.
//!
//! serde_json writes a large export through its formatter's calls one small `io::Write` at
//! a time, on one core; this writer lays out with `String` pushes, escapes in one pass, and
//! writes a long list a part on each core ([`Ser::seq_in_parts`], [`Ser::map_in_parts`]).
//! The 25 ms goal for the JSON export of 10,000 problems needs it: guarded by
//! `examples/export_loop` (and the `ledger_10000/export/json` bench).

use std::fmt::Write as _;

use serde::ser::{self, Serialize};

use super::json_scan::{any_look, marked};
use crate::model::Stamp;

/// A shape the writer does not write (a float, bytes, a tuple, a variant with data, a key
/// that is not a string).
#[derive(Debug, thiserror::Error)]
#[error("the JSON export cannot write {0}")]
pub struct Unwritable(String);

impl ser::Error for Unwritable {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unwritable(msg.to_string())
    }
}

fn unwritable<T>(shape: &str) -> Result<T> {
    Err(Unwritable(shape.to_string()))
}

pub type Result<T = (), E = Unwritable> = std::result::Result<T, E>;

/// A field name as [`Compound::str`] and its kin take it: quoted, with the colon and the
/// space after it. The name must need no escape.
macro_rules! head {
    ($name:literal) => {
        concat!("\"", $name, "\": ")
    };
}
pub(crate) use head;

/// A comma, a line break and serde_json's indent of two spaces a level, sliced to the
/// depth: what comes before each field and element, in one copy instead of three. (A note
/// is eight such lines around 50 bytes of text.)
const BREAK: &str = ",\n                                                                ";
/// BREAK without its comma, as long as BREAK (see [`Ser::line`]).
const FIRST_LINE: &str = "\n                                                                 ";

/// Room for a text that is short unless a list in it is written in one part: the few
/// lines between two lists written in parts, or a small ledger's progress or summary
/// (which then grows as it needs).
pub const CAPACITY_BETWEEN: usize = 4096;

pub struct Ser {
    /// The text before `out`, as the pieces it was written in: a list written in parts
    /// keeps its parts as they are rather than copying them into one text (see
    /// [`super::Report`]).
    pieces: Vec<String>,
    out: String,
    depth: usize,
}

impl Ser {
    pub fn new(capacity: usize) -> Ser {
        Ser::at(0, capacity)
    }

    fn at(depth: usize, capacity: usize) -> Ser {
        Ser {
            pieces: Vec::new(),
            out: String::with_capacity(capacity),
            depth,
        }
    }

    /// The text `write` writes as a value at `depth`, apart from any other text: to be
    /// written beside other work and put in where the value goes by [`Ser::insert_pieces`].
    pub fn separate(
        depth: usize,
        capacity: usize,
        write: impl FnOnce(&mut Ser) -> Result,
    ) -> Result<Vec<String>> {
        let mut ser = Ser::at(depth, capacity);
        write(&mut ser)?;
        Ok(ser.finish())
    }

    /// Text written [`Ser::separate`] at this depth, put here.
    pub fn insert_pieces(&mut self, pieces: Vec<String>) {
        self.pieces.push(std::mem::replace(
            &mut self.out,
            String::with_capacity(CAPACITY_BETWEEN),
        ));
        self.pieces.extend(pieces);
    }

    /// The text written, in order.
    pub fn finish(mut self) -> Vec<String> {
        self.pieces.push(self.out);
        self.pieces.retain(|p| !p.is_empty());
        self.pieces
    }

    pub fn push_str(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// A line break and the indent, after a comma unless `first`.
    #[inline(always)]
    fn line(&mut self, first: bool) {
        let n = self.depth * 2;
        if n > BREAK.len() - 2 {
            return self.deep_line(first);
        }
        // The whole of BREAK (or FIRST_LINE, as long), then cut to length: a copy of a
        // length known when compiled is a few moves, where the exact slice was a call to
        // `memcpy`.
        let end = self.out.len() + 2 - usize::from(first) + n;
        self.out.push_str(if first { FIRST_LINE } else { BREAK });
        self.out.truncate(end);
    }

    /// [`Ser::line`] deeper than BREAK reaches, in several copies.
    #[cold]
    #[inline(never)]
    fn deep_line(&mut self, first: bool) {
        let mut n = self.depth * 2;
        let here = n.min(BREAK.len() - 2);
        self.out.push_str(&BREAK[usize::from(first)..2 + here]);
        n -= here;
        while n > 0 {
            let step = n.min(BREAK.len() - 2);
            self.out.push_str(&BREAK[2..2 + step]);
            n -= step;
        }
    }

    /// An object opened here, its fields written through the [`Compound`].
    pub fn object(&mut self) -> Compound<'_> {
        self.open('{')
    }

    /// A JSON array of `items`, each written by `write`, on this thread.
    pub fn list<T>(&mut self, items: &[T], write: impl Fn(&mut Ser, &T) -> Result) -> Result {
        let mut list = self.open('[');
        for item in items {
            list.entry();
            write(list.ser, item)?;
        }
        list.close(']')
    }

    /// A time as its `Serialize` writes it.
    pub fn stamp(&mut self, t: &Stamp) -> Result {
        t.serialize(self)
    }

    fn open(&mut self, bracket: char) -> Compound<'_> {
        self.out.push(bracket);
        self.depth += 1;
        Compound {
            ser: self,
            first: true,
        }
    }

    /// A JSON array of `items`, each written by `write`, a part on each core when the list
    /// is long: each part into its own text at this depth, the parts then put together.
    /// `capacity` is the capacity to reserve for a part.
    pub fn seq_in_parts<'t, T: Sync>(
        &mut self,
        items: &'t [T],
        weight: impl Fn(&T) -> usize,
        capacity: impl Fn(&[T]) -> usize + Sync,
        write: impl Fn(&mut Ser, &'t T) -> Result + Sync,
    ) -> Result {
        self.in_parts('[', ']', items, weight, capacity, write)
    }

    /// A JSON object of `entries`, each named by `key` and written by `value`, in parts as
    /// [`Ser::seq_in_parts`].
    pub fn map_in_parts<'t, T: Sync>(
        &mut self,
        entries: &'t [T],
        weight: impl Fn(&T) -> usize,
        capacity: impl Fn(&[T]) -> usize + Sync,
        key: impl Fn(&'t T) -> &'t str + Sync,
        value: impl Fn(&mut Ser, &'t T) -> Result + Sync,
    ) -> Result {
        self.in_parts('{', '}', entries, weight, capacity, |ser, e| {
            ser.string(key(e));
            ser.out.push_str(": ");
            value(ser, e)
        })
    }

    fn in_parts<'t, T: Sync>(
        &mut self,
        open: char,
        close: char,
        items: &'t [T],
        weight: impl Fn(&T) -> usize,
        capacity: impl Fn(&[T]) -> usize + Sync,
        write: impl Fn(&mut Ser, &'t T) -> Result + Sync,
    ) -> Result {
        self.out.push(open);
        let depth = self.depth + 1;
        if items.iter().map(&weight).sum::<usize>() < crate::par::MIN_WEIGHT {
            // One part: written here, after what comes before it.
            self.depth = depth;
            for (n, item) in items.iter().enumerate() {
                self.line(n == 0);
                write(self, item)?;
            }
            self.depth -= 1;
        } else {
            self.in_parts_separately(depth, items, weight, capacity, write)?;
        }
        if !items.is_empty() {
            self.line(true);
        }
        self.out.push(close);
        Ok(())
    }

    fn in_parts_separately<'t, T: Sync>(
        &mut self,
        depth: usize,
        items: &'t [T],
        weight: impl Fn(&T) -> usize,
        capacity: impl Fn(&[T]) -> usize + Sync,
        write: impl Fn(&mut Ser, &'t T) -> Result + Sync,
    ) -> Result {
        // Each part written as if it began the list; the comma between two parts comes here.
        let parts = crate::par::map_parts(items, weight, |part| {
            let mut ser = Ser::at(depth, capacity(part));
            for (n, item) in part.iter().enumerate() {
                ser.line(n == 0);
                write(&mut ser, item)?;
            }
            Ok(ser.finish())
        });
        for (n, part) in parts.into_iter().enumerate() {
            if n > 0 {
                self.out.push(',');
            }
            self.insert_pieces(part?);
        }
        Ok(())
    }

    /// `s` quoted, with serde_json's escapes (`"`, `\` and C0 controls) and the export's
    /// own (DEL, C1 controls and bidi controls as `\uXXXX`, see [`crate::text::is_unsafe`]).
    #[inline(always)]
    pub fn string(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        if any_look(s.as_bytes()) {
            self.escaped(s);
        } else {
            self.out.push_str(s);
        }
        self.out.push('"');
    }

    /// The inside of [`Ser::string`] for a text with a [`marked`] byte.
    #[cold]
    fn escaped(&mut self, s: &str) {
        let mut run = 0;
        for (i, &b) in s.as_bytes().iter().enumerate() {
            if !marked(b) {
                continue;
            }
            let c = s[i..]
                .chars()
                .next()
                .expect("a marked byte starts a character");
            let short = match c {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\u{8}' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\u{c}' => "\\f",
                '\r' => "\\r",
                c if (c as u32) < 0x20 || crate::text::is_unsafe(c) => "",
                _ => continue,
            };
            self.out.push_str(&s[run..i]);
            if short.is_empty() {
                write!(self.out, "\\u{:04x}", c as u32).expect("writing to a String");
            } else {
                self.out.push_str(short);
            }
            run = i + c.len_utf8();
        }
        self.out.push_str(&s[run..]);
    }
}

pub struct Compound<'a> {
    ser: &'a mut Ser,
    first: bool,
}

impl Compound<'_> {
    #[inline(always)]
    fn entry(&mut self) {
        self.ser.line(self.first);
        self.first = false;
    }

    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result {
        self.field_with(key, |ser| value.serialize(ser))
    }

    /// A field whose value `write` writes at the right depth.
    pub fn field_with(&mut self, key: &str, write: impl FnOnce(&mut Ser) -> Result) -> Result {
        self.key(key);
        write(self.ser)
    }

    /// A field holding a text; `head` is its name as [`head!`] writes it.
    pub fn str(&mut self, head: &'static str, value: &str) {
        self.head(head);
        self.ser.string(value);
    }

    /// A field holding a text or null.
    pub fn opt_str(&mut self, head: &'static str, value: Option<&str>) {
        self.head(head);
        match value {
            Some(v) => self.ser.string(v),
            None => self.ser.out.push_str("null"),
        }
    }

    /// A field holding a time.
    pub fn stamp(&mut self, head: &'static str, value: &Stamp) -> Result {
        self.head(head);
        self.ser.stamp(value)
    }

    /// A field holding a time or null.
    pub fn opt_stamp(&mut self, head: &'static str, value: Option<&Stamp>) -> Result {
        self.head(head);
        match value {
            Some(v) => self.ser.stamp(v),
            None => {
                self.ser.out.push_str("null");
                Ok(())
            }
        }
    }

    /// A field whose value `write` writes, named by its [`head!`].
    pub fn with(&mut self, head: &'static str, write: impl FnOnce(&mut Ser) -> Result) -> Result {
        self.head(head);
        write(self.ser)
    }

    /// A field's start as it is written: the name quoted, a colon and a space, from
    /// [`head!`]. Written in one copy of a length known when compiled, where a name given
    /// as a text is looked over for characters to escape and written in three.
    #[inline(always)]
    fn head(&mut self, head: &'static str) {
        debug_assert!(head.starts_with('"') && head.ends_with("\": "));
        debug_assert!(!any_look(&head.as_bytes()[1..head.len() - 3]));
        self.entry();
        self.ser.out.push_str(head);
    }

    fn key(&mut self, key: &str) {
        self.entry();
        self.ser.string(key);
        self.ser.out.push_str(": ");
    }

    pub fn close(self, bracket: char) -> Result {
        self.ser.depth -= 1;
        if !self.first {
            self.ser.line(true);
        }
        self.ser.out.push(bracket);
        Ok(())
    }
}

/// Serializer methods that write an integer as serde_json does.
macro_rules! integers {
    ($($name:ident: $ty:ty),*) => {$(
        fn $name(self, v: $ty) -> Result {
            write!(self.out, "{v}").expect("writing to a String");
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Ser {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = ser::Impossible<(), Unwritable>;
    type SerializeTupleStruct = ser::Impossible<(), Unwritable>;
    type SerializeTupleVariant = ser::Impossible<(), Unwritable>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), Unwritable>;

    fn serialize_bool(self, v: bool) -> Result {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64);
    integers!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    // serde_json's float text is ryu's with its own rules for the rest; no export field is
    // a float.
    fn serialize_f32(self, _: f32) -> Result {
        unwritable("a float")
    }

    fn serialize_f64(self, _: f64) -> Result {
        unwritable("a float")
    }

    fn serialize_char(self, v: char) -> Result {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result {
        unwritable("bytes")
    }

    fn serialize_none(self) -> Result {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result {
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        unwritable("a variant with data")
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open('['))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        unwritable("a tuple")
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        unwritable("a tuple struct")
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        unwritable("a variant with data")
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open('{'))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>> {
        Ok(self.open('{'))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        unwritable("a variant with data")
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.entry();
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result {
        self.close(']')
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.entry();
        // serde_json quotes a number used as a key, and refuses other shapes; only a key
        // that is a string here is written as it writes it.
        let start = self.ser.out.len();
        key.serialize(&mut *self.ser)?;
        match self.ser.out.as_bytes().get(start) {
            Some(b'"') => Ok(()),
            _ => unwritable("a key that is not a string"),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.ser.out.push_str(": ");
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result {
        self.close('}')
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }

    fn end(self) -> Result {
        self.close('}')
    }
}
