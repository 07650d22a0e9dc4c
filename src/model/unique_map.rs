//! Maps read from hand-editable files must not hide a mistake: a key given twice is an
//! error, not a silent "last one wins" that loses the first entry on the next save. The
//! same holds for the ids in a list of notes or status changes, which a merge keys them by.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

pub fn deserialize<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(PhantomData<V>);

    impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map with distinct keys")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((k, v)) = map.next_entry::<String, V>()? {
                match out.entry(k) {
                    Entry::Vacant(slot) => {
                        slot.insert(v);
                    }
                    Entry::Occupied(slot) => {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate key {:?}: each may appear once",
                            crate::text::visible(slot.key())
                        )));
                    }
                }
            }
            Ok(out)
        }
    }

    d.deserialize_map(Unique(PhantomData))
}

/// An entry of a list whose ids must be distinct.
pub trait Keyed {
    /// What the entry is called in an error.
    const WHAT: &'static str;
    fn key(&self) -> &str;
}

impl Keyed for super::Note {
    const WHAT: &'static str = "note";
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for super::StatusChange {
    const WHAT: &'static str = "status change";
    fn key(&self) -> &str {
        &self.id
    }
}

/// A list whose entries' ids are distinct, refused (where the second one ends) otherwise:
/// two notes with one id would be one after a merge, the other lost.
///
/// Kept in a block of exactly its length: a growing `Vec` leaves five notes the room of
/// eight.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Keyed,
{
    struct Exact<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de> + Keyed> Visitor<'de> for Exact<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            distinct(seq)
        }
    }
    d.deserialize_seq(Exact(PhantomData))
}

/// The entries of a list, refused where one repeats another's id (see [`list`]).
pub(crate) fn distinct<'de, A, T>(mut seq: A) -> Result<Vec<T>, A::Error>
where
    A: SeqAccess<'de>,
    T: Deserialize<'de> + Keyed,
{
    let mut gathered: Vec<T> = Vec::new();
    // Past a few entries, the ids seen are looked up rather than walked.
    let mut seen: Option<std::collections::HashSet<String>> = None;
    while let Some(x) = seq.next_element::<T>()? {
        let twice = match &mut seen {
            Some(set) => !set.insert(x.key().to_string()),
            None => gathered.iter().any(|y| y.key() == x.key()),
        };
        if twice {
            return Err(serde::de::Error::custom(format!(
                "{} id {:?} appears twice in this list: each {} needs its own id (a merge would keep only one)",
                T::WHAT,
                crate::text::visible(x.key()),
                T::WHAT
            )));
        }
        gathered.push(x);
        if seen.is_none() && gathered.len() == 16 {
            seen = Some(gathered.iter().map(|y| y.key().to_string()).collect());
        }
    }
    gathered.shrink_to_fit();
    Ok(gathered)
}

#[cfg(test)]
mod tests {
    use crate::model::{Checklist, Text};

    #[test]
    fn a_key_given_twice_is_refused() {
        let t: Result<Text, _> = ron::from_str(r#"{"en": "a", "en": "b"}"#);
        let e = t.unwrap_err();
        assert!(e.to_string().contains("duplicate key \"en\""), "{e}");
        let _ = Checklist::embedded();
    }

    /// Both readers refuse it: the quick one leaves it to ron, which says where.
    #[test]
    fn an_id_given_twice_in_a_list_is_refused_with_its_place() {
        let note = |id: &str, text: &str| {
            format!("Note(id: \"{id}\", at: \"2026-11-29T14:00:00+08:00\", text: \"{text}\")")
        };
        for n in [2usize, 20] {
            let mut notes: Vec<String> = (0..n).map(|k| note(&format!("n{k}"), "x")).collect();
            notes.push(note("n1", "second"));
            let text = format!(
                "Progress(\n    version: 2,\n    checklist: \"c\",\n    items: {{\n        \"1.1\": ItemProgress(\n            notes: [\n{}\n            ],\n        ),\n    }},\n)\n",
                notes.join(",\n")
            );
            let e = ron::from_str::<crate::model::Progress>(&text).unwrap_err();
            assert!(
                e.to_string().contains("note id \"n1\" appears twice"),
                "{e}"
            );
            // On the second one's line.
            assert_eq!(e.span.start.line, 7 + n, "{e}");
        }
        let change = |id: &str| {
            format!(
                "StatusChange(id: \"{id}\", at: \"2026-11-29T14:00:00+08:00\", status: Resolved)"
            )
        };
        let text = format!(
            "Progress(version: 2, checklist: \"c\", items: {{\"1.1\": ItemProgress(history: [{}, {}])}})",
            change("a"),
            change("a")
        );
        let e = ron::from_str::<crate::model::Progress>(&text).unwrap_err();
        assert!(e.to_string().contains("status change id \"a\""), "{e}");
    }
}
