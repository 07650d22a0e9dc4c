//! Every export format read back with a real reader: the csv crate, calamine for XLSX, the
//! DOCX's XML through zip and roxmltree, HTML through scraper, Markdown through
//! pulldown-cmark. And report rounds checked against a history with explicit timestamps.

use std::io::{Cursor, Read};

use jiff::civil::{Date, date};
use rectify::export::{self, Format, Made, Round};
use rectify::i18n::Lang;
use rectify::model::progress::Field;
use rectify::model::{Checklist, Progress, Stamp, Status};

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

const TODAY: Date = date(2026, 11, 30);
const HOSTILE: &str = "<script>alert(1)</script> & \"q\" '1' =cmd|' /C calc'!A0";

/// Two rounds of work: before and after 2026-11-15.
fn ledger() -> (Checklist, Progress) {
    let c = Checklist::embedded();
    let mut p = Progress::new(&c.id);
    p.set_status("1.1", Status::InProgress, at("2026-11-05T09:00:00+08:00"));
    p.set_status("1.1", Status::Resolved, at("2026-11-20T09:00:00+08:00"));
    p.set_status("2.5", Status::InProgress, at("2026-11-10T09:00:00+08:00"));
    p.set_status("6.3", Status::Verified, at("2026-11-25T09:00:00+08:00"));
    p.add_note(
        "2.5",
        "已追繳涉案財產 3 宗",
        at("2026-11-12T10:00:00+08:00"),
    )
    .unwrap();
    p.add_note(
        "2.5",
        "與公檢法召開協調會\n統一財產刑適用標準",
        at("2026-11-22T16:00:00+08:00"),
    )
    .unwrap();
    p.add_note("3.1", HOSTILE, at("2026-11-23T16:00:00+08:00"))
        .unwrap();
    p.set_text(
        "2.5",
        Field::Owner,
        "=自治區高級人民法院",
        at("2026-11-10T09:00:00+08:00"),
    )
    .unwrap();
    p.add_measure(
        "2.5",
        "@建立涉案財產處置台賬",
        at("2026-11-10T09:00:00+08:00"),
    )
    .unwrap();
    p.set_text(
        "4.1",
        Field::Person,
        "+王偉",
        at("2026-11-10T09:00:00+08:00"),
    )
    .unwrap();
    p.set_text(
        "4.2",
        Field::Person,
        "-李明",
        at("2026-11-10T09:00:00+08:00"),
    )
    .unwrap();
    p.set_deadline(
        "2.5",
        Some("2026-11-15".parse().unwrap()),
        at("2026-11-10T09:00:00+08:00"),
    );
    (c, p)
}

fn render(format: Format, lang: Lang, round: Round) -> Vec<u8> {
    let (c, p) = ledger();
    export::render(format, &c, &p, lang, TODAY, round, Made::now())
        .unwrap()
        .into_bytes()
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn csv_has_the_ledger_columns_a_bom_and_no_formulas() {
    let bytes = render(Format::Csv, Lang::ZhHant, Round::default());
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel and WPS");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "序號",
            "方面",
            "問題",
            "整改措施",
            "整改目標",
            "牽頭單位",
            "配合單位",
            "責任領導",
            "責任人",
            "整改時限",
            "狀態",
            "完成時間",
            "最新進展",
            "更新日期"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 22, "2.5's one measure takes its one row");
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap().clone();
    let r25 = row("2.5");
    assert_eq!(&r25[1], "依法嚴懲");
    assert_eq!(
        &r25[2],
        "“打財斷血”問題突出，財產刑適用不均衡，執行效果不理想。"
    );
    assert_eq!(
        &r25[3], "2.5.1 @建立涉案財產處置台賬",
        "the measure with its id"
    );
    assert_eq!(
        &r25[5], "'=自治區高級人民法院",
        "the problem's lead unit for a measure without one, = neutralised"
    );
    assert_eq!(&r25[9], "2026-11-15", "the problem's deadline, likewise");
    assert_eq!(
        &r25[10], "未整改（逾期）",
        "the measure's status, late by the problem's deadline"
    );
    assert_eq!(
        &r25[12], "2026-11-22 與公檢法召開協調會\n統一財產刑適用標準",
        "newest note, line break kept"
    );
    assert_eq!(&r25[13], "2026-11-22");
    assert_eq!(&row("4.1")[8], "'+王偉");
    assert_eq!(&row("4.2")[8], "'-李明");
    for r in &rows {
        for cell in r.iter() {
            assert!(
                !matches!(
                    cell.chars().next(),
                    Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0')
                ),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn xlsx_opens_in_a_spreadsheet_reader_with_22_rows_and_chinese() {
    use calamine::{Reader, Xlsx};
    let bytes = render(Format::Xlsx, Lang::ZhHans, Round::default());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), ["台账", "汇总"]);
    let ledger = wb.worksheet_range("台账").unwrap();
    assert_eq!(
        ledger.height(),
        29,
        "header, six area headings and 22 problems (2.5 with one measure)"
    );
    let cell = |r: usize, c: usize| {
        ledger
            .get((r, c))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell(0, 2), "问题");
    assert_eq!(cell(1, 0), "一、政治站位方面（4个问题）", "an area heading");
    let row = (1..29).find(|r| cell(*r, 0) == "2.5").unwrap();
    assert_eq!(
        cell(row, 2),
        "“打财断血”问题突出，财产刑适用不均衡，执行效果不理想。"
    );
    assert_eq!(cell(row, 10), "未整改（逾期）");
    let summary = wb.worksheet_range("汇总").unwrap();
    let total_row = (0..summary.height())
        .find(|r| summary.get((*r, 0)).map(|d| d.to_string()) == Some("合计".into()))
        .unwrap();
    assert_eq!(
        summary.get((total_row, 1)).unwrap().to_string(),
        "2",
        "done: 1.1 and 6.3"
    );
    assert_eq!(summary.get((total_row, 5)).unwrap().to_string(), "22");

    // The layout a printed ledger needs, in the sheet's XML.
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("state=\"frozen\""), "header frozen");
    assert!(
        sheet.contains("<autoFilter ref=\"A1:N29\""),
        "autofilter over the table"
    );
    assert!(
        sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""),
        "A4 landscape"
    );
    let workbook = unzip(&bytes, "xl/workbook.xml");
    assert!(
        workbook.contains("_xlnm.Print_Titles"),
        "header row repeated on each page"
    );
    // User text is a string, never a formula.
    assert!(!sheet.contains("<f>"), "no formulas");
}

#[test]
fn docx_is_a_report_with_a_section_per_problem_and_the_open_items() {
    let bytes = render(Format::Docx, Lang::ZhHant, Round::default());
    let xml = unzip(&bytes, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let style_of = |p: roxmltree::Node| {
        p.descendants()
            .find(|n| n.has_tag_name((w, "pStyle")))
            .and_then(|n| n.attribute((w, "val")))
            .map(str::to_string)
    };
    let text_of = |n: roxmltree::Node| -> String {
        n.descendants()
            .filter(|t| t.has_tag_name((w, "t")))
            .filter_map(|t| t.text())
            .collect()
    };
    let paragraphs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "p")))
        .collect();
    let h1: Vec<String> = paragraphs
        .iter()
        .filter(|p| style_of(**p).as_deref() == Some("Heading1"))
        .map(|p| text_of(*p))
        .collect();
    let h2: Vec<String> = paragraphs
        .iter()
        .filter(|p| style_of(**p).as_deref() == Some("Heading2"))
        .map(|p| text_of(*p))
        .collect();
    assert_eq!(h1.len(), 7, "six areas and the open items: {h1:?}");
    assert_eq!(h2.len(), 22, "one section per problem");
    assert!(h2[0].starts_with("1.1 有的地方"));
    let all = text_of(doc.root());
    assert!(
        all.contains("截至2026年11月30日，22項問題已完成2項、正在整改1項，完成率9%"),
        "headline"
    );
    assert!(all.contains("已追繳涉案財產 3 宗"));
    assert!(all.contains(HOSTILE), "user text is text");
    let rows = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "tr")))
        .count();
    assert_eq!(rows, 1 + 20, "header and the 20 problems not done");
    let keep = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "keepNext")))
        .count();
    assert_eq!(
        keep,
        h1.len() + h2.len(),
        "every heading stays with what follows"
    );
    let whole = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "cantSplit")))
        .count();
    assert_eq!(whole, rows, "no table row is split across pages");
}

#[test]
fn html_is_self_contained_escaped_and_has_the_report_structure() {
    use scraper::{Html, Selector};
    let bytes = render(Format::Html, Lang::En, Round::default());
    let text = String::from_utf8(bytes).unwrap();
    let doc = Html::parse_document(&text);
    let sel = |s: &str| Selector::parse(s).unwrap();
    assert_eq!(
        doc.select(&sel("script")).count(),
        0,
        "no script, from user text or otherwise"
    );
    assert_eq!(
        doc.select(&sel("[src], link, [href^=http], [style*=url]"))
            .count(),
        0,
        "no external assets"
    );
    assert_eq!(doc.select(&sel("html[lang=en]")).count(), 1);
    assert_eq!(doc.select(&sel("h1")).count(), 1);
    assert_eq!(doc.select(&sel("section.item")).count(), 22);
    assert_eq!(doc.select(&sel("table.areas tbody tr")).count(), 6);
    assert_eq!(
        doc.select(&sel(".bar")).count(),
        7,
        "a bar per area and the total"
    );
    let note = doc
        .select(&sel("#item-3\\.1 ul.notes li"))
        .next()
        .expect("3.1's note");
    assert!(
        note.text().collect::<String>().contains(HOSTILE),
        "shown as text"
    );
    let overdue = doc.select(&sel("#item-2\\.5 .overdue")).count();
    assert_eq!(overdue, 1);
}

#[test]
fn as_of_rebuilds_the_ledger_from_the_history() {
    let (c, p) = ledger();
    let round = Round {
        as_of: Some(date(2026, 11, 15)),
        ..Round::default()
    };
    let then = export::progress_for(&p, round);
    let s = export::summarise(&c, &then, Lang::ZhHant, TODAY, round);
    assert_eq!(s.as_of, date(2026, 11, 15));
    assert_eq!(
        then.status("1.1"),
        Status::InProgress,
        "resolved on the 20th, after"
    );
    assert_eq!(then.status("6.3"), Status::Open);
    assert_eq!(s.counts.done(), 0);
    assert_eq!(s.counts.in_progress, 2);
    assert_eq!(s.counts.overdue, 0, "the 15th is the deadline day itself");
    let notes: Vec<&str> = s
        .items()
        .flat_map(|(_, i)| i.notes.iter().map(|n| n.text))
        .collect();
    assert_eq!(notes, ["已追繳涉案財產 3 宗"]);

    // Every format tells the same day.
    let md = String::from_utf8(
        export::render(
            Format::Markdown,
            &c,
            &p,
            Lang::ZhHant,
            TODAY,
            round,
            Made::now(),
        )
        .unwrap()
        .into_bytes(),
    )
    .unwrap();
    assert!(md.contains("截至2026年11月15日，22項問題已完成0項、正在整改2項，完成率0%"));
    assert!(!md.contains("協調會"), "a later note is left out");
    let csv = render(Format::Csv, Lang::ZhHant, round);
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let r11 = r
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "1.1")
        .unwrap();
    assert_eq!(&r11[10], "正在整改");
}

#[test]
fn since_lists_the_changes_and_notes_of_the_period_in_every_format() {
    let (c, p) = ledger();
    let round = Round {
        since: Some(date(2026, 11, 15)),
        ..Round::default()
    };
    let s = export::summarise(&c, &p, Lang::En, TODAY, round);
    let period = s.period.as_ref().unwrap();
    let changes: Vec<(String, Status, Status)> = period
        .changes
        .iter()
        .map(|c| (c.item.to_string(), c.from, c.to))
        .collect();
    assert_eq!(
        changes,
        [
            ("1.1".to_string(), Status::InProgress, Status::Resolved),
            ("6.3".to_string(), Status::Open, Status::Verified),
        ]
    );
    let notes: Vec<&str> = period.notes.iter().map(|n| n.item).collect();
    assert_eq!(
        notes,
        ["2.5", "3.1"],
        "the note of the 12th was in the last round"
    );

    let md = String::from_utf8(render(Format::Markdown, Lang::En, round)).unwrap();
    assert!(md.contains("## Progress this period (2026-11-15 – 2026-11-30)"));
    assert!(
        md.contains("- 2026-11-20 1\\.1 ") || md.contains("- 2026-11-20 1.1 "),
        "{md}"
    );
    let html = String::from_utf8(render(Format::Html, Lang::En, round)).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |q: &str| scraper::Selector::parse(q).unwrap();
    assert_eq!(doc.select(&sel("section.period ul.changes li")).count(), 2);
    assert_eq!(doc.select(&sel("section.period ul.notes li")).count(), 2);
    let json: serde_json::Value =
        serde_json::from_slice(&render(Format::Json, Lang::En, round)).unwrap();
    assert_eq!(
        json["summary"]["period"]["changes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let docx = render(Format::Docx, Lang::En, round);
    assert!(unzip(&docx, "word/document.xml").contains("Progress this period"));

    // Alone: the period without the whole ledger.
    let only = Round {
        period_only: true,
        ..round
    };
    let md = String::from_utf8(render(Format::Markdown, Lang::En, only)).unwrap();
    assert!(
        md.contains("Progress this period") && !md.contains("Progress by area"),
        "{md}"
    );
    let html = String::from_utf8(render(Format::Html, Lang::En, only)).unwrap();
    assert_eq!(
        scraper::Html::parse_document(&html)
            .select(&sel("section.item"))
            .count(),
        0
    );

    // A period with nothing in it says so.
    let quiet = Round {
        since: Some(date(2026, 11, 29)),
        ..Round::default()
    };
    let md = String::from_utf8(render(Format::Markdown, Lang::En, quiet)).unwrap();
    assert!(md.contains("nothing changed in this period"));
}

/// A teammate's name arrives through git like any other text: it must never become markup
/// or a control sequence.
#[test]
fn hostile_author_names_stay_text() {
    use rectify::model::progress::Who;
    let (c, mut p) = ledger();
    let evil = "\u{1b}[31mX\u{202e}Y</time><script>alert(1)</script><img src=x onerror=alert(1)>";
    let who = Who::new(at("2026-11-24T09:00:00+08:00"), Some(evil));
    p.add_note("1.2", "a note", who.clone()).unwrap();
    p.set_status("1.2", Status::InProgress, who);
    let round = Round {
        since: Some(date(2026, 11, 15)),
        ..Round::default()
    };
    for format in Format::ALL {
        let bytes = export::render(format, &c, &p, Lang::En, TODAY, round, Made::now())
            .unwrap()
            .into_bytes();
        let text = match format {
            Format::Xlsx => unzip(&bytes, "xl/sharedStrings.xml"),
            Format::Docx => unzip(&bytes, "word/document.xml"),
            _ => String::from_utf8(bytes).unwrap(),
        };
        for bad in ['\u{1b}', '\u{202e}'] {
            assert!(!text.contains(bad), "{format}: raw {bad:?}");
        }
        if format == Format::Html {
            let doc = scraper::Html::parse_document(&text);
            let sel = |q: &str| scraper::Selector::parse(q).unwrap();
            assert_eq!(
                doc.select(&sel("script, img")).count(),
                0,
                "html: markup from a name"
            );
            assert!(
                doc.root_element()
                    .text()
                    .collect::<String>()
                    .contains("<script>alert(1)</script>")
            );
        }
        if format == Format::Markdown {
            let events: Vec<_> = pulldown_cmark::Parser::new(&text).collect();
            assert!(
                !events.iter().any(|e| matches!(
                    e,
                    pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)
                )),
                "markdown: HTML from a name"
            );
        }
    }
}

#[test]
fn spreadsheets_carry_the_period_too() {
    let round = Round {
        since: Some(date(2026, 11, 15)),
        ..Round::default()
    };
    let bytes = render(Format::Csv, Lang::En, round);
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(r.headers().unwrap().len(), 15);
    assert_eq!(&r.headers().unwrap()[14], "Progress this period");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 22);
    let r11 = rows.iter().find(|r| &r[0] == "1.1").unwrap();
    assert!(
        r11[14].starts_with("2026-11-20") && r11[14].contains("in progress → resolved"),
        "{:?}",
        &r11[14]
    );
    let r25 = rows.iter().find(|r| &r[0] == "2.5").unwrap();
    assert!(r25[14].contains("與公檢法召開協調會"), "the period's note");
    assert!(
        !r25[14].contains("已追繳"),
        "the earlier note is not this period's"
    );

    let only = Round {
        period_only: true,
        ..round
    };
    let bytes = render(Format::Csv, Lang::En, only);
    let ids: Vec<String> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(
        ids,
        ["1.1", "2.5", "3.1", "6.3"],
        "only the problems that moved"
    );
    use calamine::{Reader, Xlsx};
    let bytes = render(Format::Xlsx, Lang::En, only);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let ledger = wb.worksheet_range("Ledger").unwrap();
    assert_eq!(
        ledger.height(),
        9,
        "header, and the four that moved under their areas' headings"
    );
    assert_eq!(
        ledger.get((0, 14)).unwrap().to_string(),
        "Progress this period"
    );
}

#[test]
fn a_note_longer_than_a_cell_is_cut_not_fatal() {
    let (c, mut p) = ledger();
    p.add_note("1.3", &"長".repeat(40_000), at("2026-11-24T09:00:00+08:00"))
        .unwrap();
    let bytes = export::render(
        Format::Xlsx,
        &c,
        &p,
        Lang::ZhHant,
        TODAY,
        Round::default(),
        Made::now(),
    )
    .unwrap()
    .into_bytes();
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("台賬").unwrap();
    let row = (1..29)
        .find(|r| {
            sheet
                .get((*r, 0))
                .is_some_and(|c| c == &calamine::Data::String("1.3".into()))
        })
        .unwrap();
    let cell = sheet.get((row, 12)).unwrap().to_string();
    assert!(
        cell.ends_with("…（全文見 JSON/Markdown）") && cell.chars().count() <= 32_767,
        "{}",
        cell.chars().count()
    );
}

/// A large ledger's summary and reports are built a part on each core: every problem is
/// there once, in the checklist's order, the counts are those of the whole ledger, and the
/// reports are byte for byte those built in one part.
#[test]
fn a_large_ledger_built_on_several_cores_keeps_every_problem_in_order() {
    let (c, p) = rectify::generated::generate(3000);
    let ids: Vec<&str> = c.items().map(|(_, i)| i.id.as_str()).collect();
    let s = export::summarise(&c, &p, Lang::ZhHant, TODAY, Round::default());
    let rows: Vec<&str> = s.items().map(|(_, i)| i.id).collect();
    assert_eq!(rows, ids);
    assert_eq!(
        s.counts,
        rectify::summary::Counts::of(&c, &p, TODAY),
        "the counts of the parts add up to the whole"
    );
    let area_total: usize = s.areas.iter().map(|a| a.counts.total).sum();
    assert_eq!(area_total, 3000);

    let md = export::render(
        Format::Markdown,
        &c,
        &p,
        Lang::ZhHant,
        TODAY,
        Round::default(),
        Made::now(),
    )
    .unwrap()
    .into_bytes();
    let md = String::from_utf8(md).unwrap();
    let headed: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .filter_map(|l| l.split_once(' ').map(|(id, _)| id))
        .collect();
    assert_eq!(headed, ids);

    let csv = export::render(
        Format::Csv,
        &c,
        &p,
        Lang::ZhHant,
        TODAY,
        Round::default(),
        Made::now(),
    )
    .unwrap()
    .into_bytes();
    let mut reader = ::csv::Reader::from_reader(&csv[3..]);
    let first: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(first, ids);

    // (XLSX and DOCX carry the time they were made.)
    for format in Format::ALL.into_iter().filter(|f| !f.is_binary()) {
        let make = |parts| {
            rectify::par::with_parts(parts, || {
                export::render(
                    format,
                    &c,
                    &p,
                    Lang::ZhHant,
                    TODAY,
                    Round::default(),
                    Made::now(),
                )
                .unwrap()
                .into_bytes()
            })
        };
        assert_eq!(make(3), make(1), "{format}");
    }
}
