//! Exports are read back with real parsers, not string matching alone.

use proptest::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rectify::export::{json, markdown};
use rectify::i18n::Lang;
use rectify::model::progress::Field;
use rectify::model::{Checklist, Progress, Stamp, Status};
use rectify::summary::Summary;

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 29)
}

const HOSTILE: &str = "| pipe | `tick` # hash <script>alert(1)</script> *em* _u_ [link](http://x) ![img](y) &amp; ~~s~~\n# heading?\n> quote?\n- list?\n1. ordered?\n```\nfence?\n\\ backslash";

fn ledger() -> (Checklist, Progress) {
    let c = Checklist::embedded();
    let mut p = Progress::new(&c.id);
    p.set_status("1.1", Status::Resolved, at("2026-11-10T09:00:00+08:00"));
    p.set_status("2.5", Status::InProgress, at("2026-11-11T09:00:00+08:00"));
    p.set_status("6.3", Status::Verified, at("2026-11-12T09:00:00+08:00"));
    p.add_note("2.5", HOSTILE, at("2026-11-20T09:00:00+08:00"))
        .unwrap();
    p.add_note("2.5", "已追繳涉案財產", at("2026-11-21T09:00:00+08:00"))
        .unwrap();
    p.set_text(
        "2.5",
        Field::Owner,
        "高院 | 檢察院",
        at("2026-11-11T09:00:00+08:00"),
    )
    .unwrap();
    p.set_deadline(
        "2.5",
        Some("2026-11-15".parse().unwrap()),
        at("2026-11-11T09:00:00+08:00"),
    );
    (c, p)
}

/// The document as events, and its plain text (text and code spans, breaks as newlines).
fn parse(md: &str) -> (Vec<Event<'_>>, String) {
    let events: Vec<Event> =
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect();
    let mut text = String::new();
    for e in &events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::End(_) => text.push('\n'),
            _ => {}
        }
    }
    (events, text)
}

fn headings(events: &[Event]) -> Vec<HeadingLevel> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level),
            _ => None,
        })
        .collect()
}

#[test]
fn markdown_has_the_report_structure_in_each_language() {
    let (c, p) = ledger();
    for lang in Lang::ALL {
        let md = markdown::render(&Summary::build(&c, &p, lang, today())).concat();
        let (events, text) = parse(&md);
        let h = headings(&events);
        assert_eq!(h.iter().filter(|l| **l == HeadingLevel::H1).count(), 1);
        assert_eq!(
            h.iter().filter(|l| **l == HeadingLevel::H2).count(),
            7,
            "by-area + 6 areas"
        );
        assert_eq!(
            h.iter().filter(|l| **l == HeadingLevel::H3).count(),
            22,
            "one per problem"
        );
        let rows = events
            .iter()
            .filter(|e| matches!(e, Event::End(TagEnd::TableRow)))
            .count();
        assert_eq!(rows, 7, "6 areas and the total (header row apart)");
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))),
            "{lang}: HTML leaked"
        );
        let headline = match lang {
            Lang::ZhHant => "截至2026年11月29日，22項問題已完成2項、正在整改1項，完成率9%",
            Lang::ZhHans => "截至2026年11月29日，22项问题已完成2项、正在整改1项，完成率9%",
            Lang::En => {
                "As of 29 November 2026, 2 of 22 problems resolved and 1 being rectified: 9% complete"
            }
        };
        assert!(text.contains(headline), "{lang}: {text}");
        for id in c.item_ids() {
            assert!(text.contains(&format!("{id} ")), "{lang}: {id} missing");
        }
    }
}

#[test]
fn hostile_notes_stay_text() {
    let (c, p) = ledger();
    let md = markdown::render(&Summary::build(&c, &p, Lang::ZhHant, today())).concat();
    let (events, text) = parse(&md);
    assert!(!events.iter().any(|e| matches!(
        e,
        Event::Html(_)
            | Event::InlineHtml(_)
            | Event::Code(_)
            | Event::Start(
                Tag::Link { .. }
                    | Tag::Image { .. }
                    | Tag::Emphasis
                    | Tag::Strikethrough
                    | Tag::CodeBlock(_)
            )
    )));
    let quotes = events
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::BlockQuote(_))))
        .count();
    assert_eq!(quotes, 6, "only the six requirement blocks are quotes");
    assert_eq!(headings(&events).len(), 30, "a note cannot add a heading");
    for line in HOSTILE.lines() {
        assert!(text.contains(line.trim()), "lost {line:?} in:\n{text}");
    }
    assert!(text.contains("高院 | 檢察院"));
}

#[test]
fn markdown_shows_status_fields_overdue_and_latest_notes_first() {
    let (c, p) = ledger();
    let md = markdown::render(&Summary::build(&c, &p, Lang::ZhHant, today())).concat();
    let (_, text) = parse(&md);
    let start = text.find("2.5 “打財斷血”").unwrap();
    let item = &text[start..start + text[start..].find("3 深挖徹查").unwrap()];
    assert!(item.contains("狀態：正在整改 ⚠ 逾期"), "{item}");
    assert!(item.contains("整改時限：2026年11月15日前"), "{item}");
    let newer = item.find("已追繳涉案財產").unwrap();
    let older = item.find("pipe").unwrap();
    assert!(newer < older, "newest note first");
    assert!(
        text.contains("2 依法嚴懲\n0/5\n░░░░░░░░░░ 0%\n1"),
        "area row: {text}"
    );
}

#[test]
fn json_is_the_whole_state_escaped_and_versioned() {
    let (mut c, mut p) = ledger();
    let evil = "a\u{1b}[31m\u{7f}\u{85}\u{202e}b";
    p.add_note("1.1", evil, at("2026-11-22T09:00:00+08:00"))
        .unwrap();
    c.title.0.insert("en".into(), "T".into());
    let summary = Summary::build(&c, &p, Lang::En, today());
    let out = json::render(&c, &p, &summary).unwrap().concat();
    for bad in ['\u{1b}', '\u{7f}', '\u{85}', '\u{202e}'] {
        assert!(!out.contains(bad), "raw {bad:?} in JSON");
    }
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "rectify-export");
    assert_eq!(v["version"], 1);
    assert_eq!(v["checklist"]["areas"].as_array().unwrap().len(), 6);
    assert_eq!(
        v["checklist"]["areas"][4]["items"][0]["text"]["zh-Hant"],
        "村“兩委”幹部選人把關不嚴，嘎查村“兩委”幹部涉黑涉惡問題比較嚴重。"
    );
    let items: usize = v["summary"]["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(items, 22);
    assert_eq!(v["summary"]["counts"]["resolved"], 1);
    assert_eq!(v["summary"]["counts"]["verified"], 1);
    assert_eq!(v["summary"]["counts"]["overdue"], 1);
    let notes = v["progress"]["items"]["1.1"]["notes"].as_array().unwrap();
    assert_eq!(notes[0]["text"], evil, "escaped, not altered");
    let back: Progress = serde_json::from_value(v["progress"].clone()).unwrap();
    assert_eq!(back, p);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    /// Whatever a note holds, the Markdown keeps its shape and shows the note's words.
    #[test]
    fn any_note_keeps_the_markdown_valid(note in "[ -~\u{80}-\u{2FF}\u{4E00}-\u{4E20}\n\t\u{1b}]{1,80}") {
        prop_assume!(!note.trim().is_empty());
        let c = Checklist::embedded();
        let mut p = Progress::new(&c.id);
        p.add_note("3.3", &note, at("2026-11-20T09:00:00+08:00")).unwrap();
        let md = markdown::render(&Summary::build(&c, &p, Lang::En, today())).concat();
        let (events, text) = parse(&md);
        prop_assert_eq!(headings(&events).len(), 30);
        let markup = events.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_))));
        prop_assert!(!markup, "note {:?} became markup", note);
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        let shown = rectify::text::visible(&note).into_owned();
        prop_assert!(squash(&text).contains(&squash(&shown)), "note {:?} not in text", note);
    }
}
