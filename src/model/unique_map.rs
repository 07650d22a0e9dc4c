//! Maps read from hand-editable files must not hide a mistake: a key given twice is an
//! error, not a silent "last one wins" that loses the first entry on the next save.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

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
}
