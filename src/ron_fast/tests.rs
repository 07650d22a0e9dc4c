use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::progress::{Deadline, Field};
use crate::model::{Checklist, Progress, Stamp, Status};

fn ron_pretty<T: Serialize>(v: &T) -> String {
    ron::ser::to_string_pretty(v, config()).unwrap()
}

/// Both writers give the same text, and both readers read it back to the value.
fn agrees<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) {
    let ours = to_string_pretty(v).unwrap();
    let theirs = ron_pretty(v);
    assert_eq!(ours, theirs);
    let back: T = from_str(&ours).expect("the fast reader reads what is written");
    assert_eq!(&back, v);
}

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

#[test]
fn the_embedded_and_generated_ledgers_are_written_as_ron_writes_them() {
    agrees(&Checklist::embedded());
    let (checklist, progress) = crate::generated::generate(120);
    agrees(&checklist);
    agrees(&progress);
}

#[test]
fn empty_containers_and_every_field_are_written_as_ron_writes_them() {
    agrees(&Progress::new("empty"));
    let mut p = Progress::new("x");
    p.item_mut("1.1");
    agrees(&p);
    let t = at("2026-11-29T09:00:00+08:00");
    p.set_status("1.2", Status::Verified, t);
    p.set_deadline("1.2", Some(Deadline::LongTerm), t);
    p.set_deadline("1.3", None, t);
    p.set_deadline(
        "1.4",
        Some(Deadline::Date("2026-12-31".parse().unwrap())),
        t,
    );
    p.set_text("1.2", Field::Measures, "", t);
    let id = p.add_note("1.2", "刪掉的", t).unwrap();
    p.delete_note("1.2", &id, t).unwrap();
    p.item_mut("1.2").drafts.insert(
        String::new(),
        crate::model::progress::Stamped {
            value: "草稿\n第二行".into(),
            at: t,
            by: Some("王偉".into()),
            clock: 3,
        },
    );
    agrees(&p);
}

#[test]
fn every_character_passed_unescaped_is_one_ron_would_not_escape() {
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        if super::ser::passes_unescaped(c) {
            assert_eq!(c.escape_debug().collect::<String>(), c.to_string(), "{c:?}");
        } else {
            assert_ne!(c.escape_debug().len(), 1, "{c:?} is escaped needlessly");
        }
    }
}

#[test]
fn every_character_passed_on_its_first_byte_is_one_ron_would_not_escape() {
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let mut utf8 = [0; 4];
        let first = c.encode_utf8(&mut utf8).as_bytes()[0];
        if super::ser::is_cjk_lead(first) {
            assert_eq!(c.len_utf8(), 3, "{c:?}");
            assert_eq!(c.escape_debug().collect::<String>(), c.to_string(), "{c:?}");
        }
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Probe {
    s: String,
    n: u32,
    b: bool,
    o: Option<Option<String>>,
    v: Vec<Status>,
    m: BTreeMap<String, u8>,
}

/// Texts ron reads one way or another that this reader must leave to it, and texts both read.
#[test]
fn texts_outside_the_subset_are_left_to_ron() {
    let ok = r#"Probe(s: "a\"\'\\\n\r\t\0\u{4e2d}\u{1F600}b", n: 7, b: true, o: Some(None), v: [Open, Verified,], m: {"k": 1},)"#;
    let fast: Probe = from_str(ok).expect("inside the subset");
    assert_eq!(fast, ron::from_str::<Probe>(ok).unwrap());
    assert_eq!(fast.s, "a\"'\\\n\r\t\0中😀b");
    for text in [
        // Raw string, continued string, byte escape.
        r##"Probe(s: r#"x"#, n: 1, b: true, o: None, v: [], m: {})"##,
        "Probe(s: \"a\\\n  b\", n: 1, b: true, o: None, v: [], m: {})",
        r#"Probe(s: "\x41", n: 1, b: true, o: None, v: [], m: {})"#,
        // Block comment, extensions, another struct name, other numbers.
        r#"/* c */ Probe(s: "", n: 1, b: true, o: None, v: [], m: {})"#,
        r#"#![enable(implicit_some)] Probe(s: "", n: 1, b: true, o: None, v: [], m: {})"#,
        r#"Other(s: "", n: 1, b: true, o: None, v: [], m: {})"#,
        r#"Probe(s: "", n: 0x1, b: true, o: None, v: [], m: {})"#,
        r#"Probe(s: "", n: 1_0, b: true, o: None, v: [], m: {})"#,
        r#"Probe(s: "", n: 01, b: true, o: None, v: [], m: {})"#,
        // Unknown, repeated and missing fields; a comment running to the end.
        r#"Probe(s: "", n: 1, b: true, o: None, v: [], m: {}, z: 1)"#,
        r#"Probe(s: "", s: "", n: 1, b: true, o: None, v: [], m: {})"#,
        r#"Probe(s: "", b: true, o: None, v: [], m: {})"#,
        "Probe(s: \"\", n: 1, b: true, o: None, v: [], m: {}) // end",
        // Odd whitespace, a space before the bracket, a raw identifier, missing commas.
        "Probe(s: \"\",\u{200E}n: 1, b: true, o: None, v: [], m: {})",
        r#"Probe (s: "", n: 1, b: true, o: None, v: [], m: {})"#,
        r#"Probe(r#s: "", n: 1, b: true, o: None, v: [], m: {})"#,
        r#"Probe(s: "" n: 1, b: true, o: None, v: [], m: {})"#,
        r#"Probe(s: "", n: 1, b: true, o: None, v: [Open Open], m: {})"#,
        r#"Probe(s: "", n: 1, b: true, o: None, v: [], m: {},,)"#,
        r#"Probe(s: "", n: 1, b: true, o: None, v: [], m: {}) x"#,
    ] {
        assert!(from_str::<Probe>(text).is_none(), "read: {text}");
    }
}

fn arb_stamp() -> impl Strategy<Value = Stamp> {
    (0i64..4_000_000_000_000, -12i8..=14).prop_map(|(ms, h)| Stamp {
        instant: jiff::Timestamp::from_millisecond(ms).unwrap(),
        offset: jiff::tz::Offset::from_hours(h).unwrap(),
    })
}

fn arb_progress() -> impl Strategy<Value = Progress> {
    let entry = (
        "[0-9]\\.[0-9]",
        any::<String>(),
        arb_stamp(),
        0..4usize,
        proptest::option::of(any::<String>()),
    );
    proptest::collection::vec(entry, 0..8).prop_map(|entries| {
        let mut p = Progress::new("prop");
        for (id, text, t, what, by) in entries {
            let who = crate::model::progress::Who::new(t, by.as_deref());
            match what {
                0 => {
                    let _ = p.add_note(&id, &text, who);
                }
                1 => {
                    p.set_status(&id, Status::ALL[text.len() % 4], who);
                }
                2 => p.set_text(&id, Field::Owner, &text, who),
                _ => {
                    if let Ok(d) = text.parse() {
                        p.set_deadline(&id, Some(d), who.clone());
                    }
                    p.set_text(&id, Field::Person, &text, who);
                }
            }
        }
        p
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any ledger, with any characters in it, is written byte for byte as ron writes it and
    /// read back by both readers.
    #[test]
    fn any_ledger_is_written_as_ron_writes_it(p in arb_progress()) {
        agrees(&p);
    }

    /// A written ledger damaged at one place (most often at a bracket, comma, colon or
    /// quote): whatever the fast reader still reads, ron reads the same way.
    #[test]
    fn a_damaged_file_is_read_as_ron_reads_it_or_left_to_ron(
        p in arb_progress(),
        at in any::<prop::sample::Index>(),
        structural in any::<bool>(),
        cut in 0..3usize,
        insert in prop::sample::select(vec!["", "", " ", ",", "\"", "\\", "(", ")", "}", "/", "x", "Some(", "\u{200E}", "\n"]),
    ) {
        let text = to_string_pretty(&p).unwrap();
        let marks: Vec<usize> = text.match_indices([',', '(', ')', '[', ']', '{', '}', ':', '"']).map(|(i, _)| i).collect();
        let mut start = if structural && !marks.is_empty() {
            marks[at.index(marks.len())]
        } else {
            at.index(text.len() + 1)
        };
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + cut).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let damaged = format!("{}{insert}{}", &text[..start], &text[end..]);
        if let Some(fast) = from_str::<Progress>(&damaged) {
            let theirs: Progress = ron::from_str(&damaged)
                .unwrap_or_else(|e| panic!("ron refuses what the fast reader read: {e}\n{damaged}"));
            prop_assert_eq!(fast, theirs);
        }
    }
}
