//! Writes what `ron`'s pretty printer writes with [`super::config`], for the shapes rectify's
//! files use: structs, maps, sequences, options, unit variants, strings, integers and bools.
//! Any other shape is handed to `ron` whole.

use std::fmt::Write as _;

use serde::ser::{self, Serialize};

use super::LeftToRon;

/// The text `ron::ser::to_string_pretty(value, config())` gives, written faster.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, ron::Error> {
    write_pretty(String::new(), value)
}

/// [`to_string_pretty`] after what `out` holds already (room reserved in it saves copying a
/// large text as it grows).
pub fn write_pretty<T: Serialize + ?Sized>(out: String, value: &T) -> Result<String, ron::Error> {
    let start = out.len();
    let mut ser = Ser { out, depth: 0 };
    match value.serialize(&mut ser) {
        Ok(()) => Ok(ser.out),
        Err(LeftToRon) => {
            let mut out = ser.out;
            out.truncate(start);
            out.push_str(&ron::ser::to_string_pretty(value, super::config())?);
            Ok(out)
        }
    }
}

/// The entries of a map at `depth` (a map in a struct at the top is at depth 2), as
/// [`write_pretty`] writes them between the braces: so that a large map can be written a part
/// on each core and the parts put together.
pub fn map_entries<K: Serialize, V: Serialize>(
    depth: usize,
    entries: impl Iterator<Item = (K, V)>,
    room: usize,
) -> Result<String> {
    let mut ser = Ser {
        out: String::with_capacity(room),
        depth,
    };
    for (k, v) in entries {
        ser.indent();
        k.serialize(&mut ser)?;
        ser.out.push_str(": ");
        v.serialize(&mut ser)?;
        ser.out.push_str(",\n");
    }
    Ok(ser.out)
}

/// A string as [`write_pretty`] writes it, quoted and escaped.
pub fn push_string(out: &mut String, s: &str) {
    let mut ser = Ser {
        out: std::mem::take(out),
        depth: 0,
    };
    ser.string(s);
    *out = ser.out;
}

type Result<T = (), E = LeftToRon> = std::result::Result<T, E>;

const INDENT: &str = "    ";

struct Ser {
    out: String,
    depth: usize,
}

impl Ser {
    fn open(&mut self, bracket: char, len: Option<usize>) -> Result<Compound<'_>> {
        self.out.push(bracket);
        self.depth += 1;
        // ron breaks the line after the bracket unless it knows the container is empty.
        if len != Some(0) {
            self.out.push('\n');
        }
        Ok(Compound {
            ser: self,
            first: true,
            empty_known: len == Some(0),
        })
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    fn string(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        // Ids and times: no character to look at one by one.
        if s.bytes().all(plain_ascii) {
            self.out.push_str(s);
            self.out.push('"');
            return;
        }
        // Byte by byte: a Chinese character is passed on its first byte, without decoding
        // it (decoding every character was a fifth of saving a large ledger).
        let bytes = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if plain_ascii(b) {
                i += 1;
                continue;
            }
            if is_cjk_lead(b) {
                i += 3;
                continue;
            }
            let c = s[i..].chars().next().expect("at a character boundary");
            if !passes_unescaped(c) {
                self.out.push_str(&s[run..i]);
                self.out.extend(c.escape_debug());
                run = i + c.len_utf8();
            }
            i += c.len_utf8();
        }
        self.out.push_str(&s[run..]);
        self.out.push('"');
    }
}

/// The first byte of a character from U+4000 to U+9FFF (CJK Extension A's end, the Yijing
/// hexagrams, the Unified Ideographs), none of which `escape_debug` escapes (a test checks
/// every one). Always three bytes long.
#[inline]
pub(super) fn is_cjk_lead(b: u8) -> bool {
    (0xE4..=0xE9).contains(&b)
}

/// Printable ASCII that `escape_debug` leaves as it is.
#[inline]
fn plain_ascii(b: u8) -> bool {
    matches!(b, b' '..=b'~') && !matches!(b, b'"' | b'\'' | b'\\')
}

/// Whether `char::escape_debug` (what ron escapes strings with) leaves `c` as it is, decided
/// without its tables for the characters a ledger is mostly made of: printable ASCII and the
/// common CJK blocks. A test checks every character of these ranges against `escape_debug`.
#[inline]
pub(super) fn passes_unescaped(c: char) -> bool {
    match c {
        ' '..='~' => plain_ascii(c as u8),
        // CJK Unified Ideographs, CJK punctuation after the ideographic space and the
        // combining tone marks, fullwidth forms.
        '\u{4E00}'..='\u{9FFF}' | '\u{3001}'..='\u{3029}' | '\u{FF01}'..='\u{FF5E}' => true,
        c if c.is_ascii() => false,
        c => c.escape_debug().len() == 1,
    }
}

struct Compound<'a> {
    ser: &'a mut Ser,
    first: bool,
    empty_known: bool,
}

impl Compound<'_> {
    fn entry(&mut self) {
        if !self.first {
            self.ser.out.push_str(",\n");
        }
        self.first = false;
        self.ser.indent();
    }

    fn close(self, bracket: char) -> Result {
        if !self.first {
            self.ser.out.push_str(",\n");
        }
        self.ser.depth -= 1;
        if !self.empty_known {
            self.ser.indent();
        }
        self.ser.out.push(bracket);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Ser {
    type Ok = ();
    type Error = LeftToRon;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = ser::Impossible<(), LeftToRon>;
    type SerializeTupleStruct = ser::Impossible<(), LeftToRon>;
    type SerializeTupleVariant = ser::Impossible<(), LeftToRon>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), LeftToRon>;

    fn serialize_bool(self, v: bool) -> Result {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result {
        write!(self.out, "{v}").map_err(|_| LeftToRon)
    }

    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result {
        write!(self.out, "{v}").map_err(|_| LeftToRon)
    }

    fn serialize_f32(self, _: f32) -> Result {
        Err(LeftToRon)
    }

    fn serialize_f64(self, _: f64) -> Result {
        Err(LeftToRon)
    }

    fn serialize_char(self, _: char) -> Result {
        Err(LeftToRon)
    }

    fn serialize_str(self, v: &str) -> Result {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(LeftToRon)
    }

    fn serialize_none(self) -> Result {
        self.out.push_str("None");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        self.out.push_str("Some(");
        value.serialize(&mut *self)?;
        self.out.push(')');
        Ok(())
    }

    fn serialize_unit(self) -> Result {
        Err(LeftToRon)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Err(LeftToRon)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        plain_identifier(variant)?;
        self.out.push_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result {
        Err(LeftToRon)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(LeftToRon)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>> {
        self.open('[', len)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(LeftToRon)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(LeftToRon)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(LeftToRon)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>> {
        self.open('{', len)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a>> {
        // ron writes ranges in their own syntax.
        if name.is_empty() || name.starts_with("Range") {
            return Err(LeftToRon);
        }
        plain_identifier(name)?;
        self.out.push_str(name);
        self.open('(', Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(LeftToRon)
    }
}

/// ron writes other names as raw identifiers (`r#…`); those are left to it.
fn plain_identifier(name: &str) -> Result {
    let mut bytes = name.bytes();
    let head_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    if head_ok && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(())
    } else {
        Err(LeftToRon)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = LeftToRon;

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
    type Error = LeftToRon;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.entry();
        key.serialize(&mut *self.ser)
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
    type Error = LeftToRon;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        plain_identifier(key)?;
        self.entry();
        self.ser.out.push_str(key);
        self.ser.out.push_str(": ");
        value.serialize(&mut *self.ser)
    }

    fn skip_field(&mut self, _: &'static str) -> Result {
        Ok(())
    }

    fn end(self) -> Result {
        self.close(')')
    }
}
