//! Reads the RON rectify writes, and gives up (for `ron` to read) on anything else.
//!
//! Accepted: `Name(field: v, …)` and `(field: v, …)` structs, `{k: v, …}` maps, `[v, …]`
//! sequences (trailing commas optional), `Some(v)` / `None`, unit variants, `"…"` strings with
//! the escapes `ron` writes (`\" \' \\ \n \r \t \0 \u{…}`), decimal integers, `true` /
//! `false`, ASCII whitespace and `//` comments between tokens. Everything else (raw strings,
//! block comments, extensions, other number forms, odd whitespace) is refused, so whatever
//! this accepts means to `ron` what it means here.

use std::borrow::Cow;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

use super::LeftToRon;

/// The value in `text`, or `None` when `ron` must read it (to read it or to say what is
/// wrong with it).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut de = De {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    de.ws().ok()?;
    let value = T::deserialize(&mut de).ok()?;
    de.ws().ok()?;
    (de.pos == de.s.len()).then_some(value)
}

type Result<T> = std::result::Result<T, LeftToRon>;

/// The bytes that go on an identifier.
const IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
};

/// Past spaces, tabs and line ends from `pos`. A pretty file is two fifths indentation, so
/// spaces are skipped eight at a time.
fn skip_blanks(s: &[u8], mut pos: usize) -> usize {
    const SPACES: u64 = u64::from_le_bytes(*b"        ");
    loop {
        while let Some(chunk) = s.get(pos..pos + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let differs = word ^ SPACES;
            if differs != 0 {
                pos += differs.trailing_zeros() as usize / 8;
                break;
            }
            pos += 8;
        }
        match s.get(pos) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => pos += 1,
            _ => return pos,
        }
    }
}

struct De<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> De<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// Whitespace and line comments.
    fn ws(&mut self) -> Result<()> {
        loop {
            self.pos = skip_blanks(self.s, self.pos);
            match self.s.get(self.pos..self.pos + 2) {
                Some(b"//") => match memchr::memchr(b'\n', &self.s[self.pos..]) {
                    Some(n) => self.pos += n + 1,
                    // ron treats a comment running into the end of the text specially.
                    None => return Err(LeftToRon),
                },
                Some(b"/*") => return Err(LeftToRon),
                _ => return Ok(()),
            }
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Result<()> {
        if self.eat(b) { Ok(()) } else { Err(LeftToRon) }
    }

    /// An ASCII identifier; one running on into other characters is left to ron.
    fn ident(&mut self) -> Result<&'a str> {
        let start = self.pos;
        let rest = &self.s[start..];
        if !rest
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            return Err(LeftToRon);
        }
        let len = rest
            .iter()
            .position(|b| !IDENT[usize::from(*b)])
            .unwrap_or(rest.len());
        if matches!(rest.get(len), Some(b) if *b >= 0x80 || *b == b'#' || *b == b'"') {
            return Err(LeftToRon);
        }
        self.pos += len;
        Ok(&self.text[start..self.pos])
    }

    fn string(&mut self) -> Result<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.pos;
        let rest = &self.s[start..];
        let end = memchr::memchr2(b'"', b'\\', rest).ok_or(LeftToRon)?;
        if rest[end] == b'"' {
            self.pos += end + 1;
            return Ok(Cow::Borrowed(&self.text[start..start + end]));
        }
        let mut out = String::with_capacity(end + 16);
        out.push_str(&self.text[start..start + end]);
        self.pos += end;
        loop {
            // At a quote or a backslash.
            if self.eat(b'"') {
                return Ok(Cow::Owned(out));
            }
            self.pos += 1;
            let c = match self.peek().ok_or(LeftToRon)? {
                b'"' => '"',
                b'\'' => '\'',
                b'\\' => '\\',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'0' => '\0',
                b'u' => {
                    self.pos += 1;
                    self.expect(b'{')?;
                    let digits = &self.s[self.pos..];
                    let n = digits.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                    if !(1..=6).contains(&n) || digits.get(n) != Some(&b'}') {
                        return Err(LeftToRon);
                    }
                    let hex = &self.text[self.pos..self.pos + n];
                    let code = u32::from_str_radix(hex, 16).map_err(|_| LeftToRon)?;
                    self.pos += n;
                    char::from_u32(code).ok_or(LeftToRon)?
                }
                _ => return Err(LeftToRon),
            };
            self.pos += 1;
            out.push(c);
            let rest = &self.s[self.pos..];
            let next = memchr::memchr2(b'"', b'\\', rest).ok_or(LeftToRon)?;
            out.push_str(&self.text[self.pos..self.pos + next]);
            self.pos += next;
        }
    }

    fn unsigned(&mut self) -> Result<u64> {
        let digits = self.s[self.pos..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let text = &self.text[self.pos..self.pos + digits];
        let after = self.s.get(self.pos + digits).copied().unwrap_or(b' ');
        if digits == 0
            || (digits > 1 && text.starts_with('0'))
            || after.is_ascii_alphanumeric()
            || matches!(after, b'_' | b'.')
        {
            return Err(LeftToRon);
        }
        self.pos += digits;
        text.parse().map_err(|_| LeftToRon)
    }

    /// `,` between entries and before the closing bracket (optional there).
    fn separated(&mut self, close: u8, first: &mut bool) -> Result<bool> {
        self.ws()?;
        if self.eat(close) {
            return Ok(false);
        }
        if !*first {
            self.expect(b',')?;
            self.ws()?;
            if self.eat(close) {
                return Ok(false);
            }
        }
        *first = false;
        Ok(true)
    }
}

impl<'de> de::Deserializer<'de> for &mut De<'de> {
    type Error = LeftToRon;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(LeftToRon)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.ident()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(LeftToRon),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.unsigned()?)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.unsigned()?)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.unsigned()?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.unsigned()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.ident()? {
            "None" => visitor.visit_none(),
            "Some" => {
                self.expect(b'(')?;
                self.ws()?;
                let value = visitor.visit_some(&mut *self)?;
                self.ws()?;
                if self.eat(b',') {
                    self.ws()?;
                }
                self.expect(b')')?;
                Ok(value)
            }
            _ => Err(LeftToRon),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'[')?;
        visitor.visit_seq(Entries {
            de: self,
            close: b']',
            first: true,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'{')?;
        visitor.visit_map(Entries {
            de: self,
            close: b'}',
            first: true,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if self.peek() != Some(b'(') && self.ident()? != name {
            return Err(LeftToRon);
        }
        self.expect(b'(')?;
        visitor.visit_map(Entries {
            de: self,
            close: b')',
            first: true,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let variant = self.ident()?;
        // Only unit variants: one with data goes on with `(`.
        let after = self.peek();
        if after == Some(b'(') {
            return Err(LeftToRon);
        }
        visitor.visit_enum(UnitVariant(variant))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.ident()?)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u128 f32 f64 char bytes byte_buf unit unit_struct newtype_struct
        tuple tuple_struct ignored_any
    }
}

/// The entries of a sequence, map or struct; a struct's field names are its keys.
struct Entries<'a, 'de> {
    de: &'a mut De<'de>,
    close: u8,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for Entries<'_, 'de> {
    type Error = LeftToRon;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.de.separated(self.close, &mut self.first)? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = LeftToRon;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.de.separated(self.close, &mut self.first)? {
            return Ok(None);
        }
        let key = seed.deserialize(&mut *self.de)?;
        self.de.ws()?;
        self.de.expect(b':')?;
        self.de.ws()?;
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.de)
    }
}

struct UnitVariant<'de>(&'de str);

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = LeftToRon;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = de::value::BorrowedStrDeserializer::<'de, LeftToRon>::new(self.0);
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'de> {
    type Error = LeftToRon;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value> {
        Err(LeftToRon)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(LeftToRon)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value> {
        Err(LeftToRon)
    }
}
