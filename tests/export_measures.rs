//! Measures (整改措施) in every export: a ledger row per measure with the problem's cells
//! merged over them (read back with calamine), CSV rows per measure, measures listed under
//! their problem in Markdown, HTML and DOCX, counts of problems and measures, and `--since`
//! going by the day a measure's change happened.

use std::io::{Cursor, Read};

use jiff::civil::{Date, date};
use rectify::export::{self, Format, Made, Round};
use rectify::i18n::Lang;
use rectify::model::progress::{Field, Who};
use rectify::model::{Checklist, Progress, Stamp, Status};

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

const TODAY: Date = date(2026, 11, 30);

/// 2.5 with three measures (done, under way, late), 1.1 with one done; the rest without.
fn ledger() -> (Checklist, Progress) {
    let c = Checklist::embedded();
    let mut p = Progress::new(&c.id);
    let t = at("2026-11-05T09:00:00+08:00");
    p.set_text("2.5", Field::Owner, "市中級法院", t).unwrap();
    let m1 = p.add_measure("2.5", "建立涉案財產處置台賬", t).unwrap();
    assert_eq!(m1, "2.5.1");
    p.set_text(&m1, Field::Goal, "台賬覆蓋全部涉黑案件", t)
        .unwrap();
    p.set_partners(&m1, &["市公安局".into(), "市檢察院".into()], t)
        .unwrap();
    p.set_text(&m1, Field::Leader, "張副院長", t).unwrap();
    p.set_text(&m1, Field::Person, "王偉", t).unwrap();
    p.set_deadline(&m1, Some("2026-12-31".parse().unwrap()), t);
    // Recorded on the 29th, done on the 20th.
    let done = Who::new(at("2026-11-29T10:00:00+08:00"), Some("李明")).on(Some(date(2026, 11, 20)));
    p.mark(&m1, Status::Resolved, done).unwrap();
    let m2 = p.add_measure("2.5", "統一財產刑適用標準", t).unwrap();
    // Recorded in the period, but it happened before it.
    let early = Who::new(at("2026-11-29T11:00:00+08:00"), None).on(Some(date(2026, 11, 10)));
    p.mark(&m2, Status::InProgress, early).unwrap();
    p.add_note(&m2, "已與公檢法會商", at("2026-11-26T16:00:00+08:00"))
        .unwrap();
    let m3 = p.add_measure("2.5", "開展財產刑執行專項清理", t).unwrap();
    p.set_deadline(&m3, Some("2026-11-20".parse().unwrap()), t);
    let m4 = p.add_measure("1.1", "組織專題學習", t).unwrap();
    p.mark(&m4, Status::Resolved, at("2026-11-12T09:00:00+08:00"))
        .unwrap();
    // A problem without measures, done on the 18th, recorded on the 25th.
    let done = Who::new(at("2026-11-25T09:00:00+08:00"), None).on(Some(date(2026, 11, 18)));
    p.mark("6.3", Status::Resolved, done).unwrap();
    (c, p)
}

fn render(format: Format, lang: Lang, round: Round) -> Vec<u8> {
    let (c, p) = ledger();
    export::render(format, &c, &p, lang, TODAY, round, Made::now())
        .unwrap()
        .into_bytes()
}

fn text(format: Format, lang: Lang, round: Round) -> String {
    String::from_utf8(render(format, lang, round)).unwrap()
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_summary_counts_problems_and_measures() {
    let (c, p) = ledger();
    let s = export::summarise(&c, &p, Lang::ZhHant, TODAY, Round::default());
    let m = &s.measure_counts;
    assert_eq!(
        (m.total, m.done(), m.in_progress, m.open, m.overdue),
        (4, 2, 1, 1, 1)
    );
    assert_eq!(s.areas[1].measure_counts.total, 3, "2.5's three");
    assert_eq!(s.counted(), "22個問題、4條措施");
    assert!(
        s.report_headline()
            .ends_with("；4條措施已完成2條、正在整改1條、逾期1條"),
        "{}",
        s.report_headline()
    );
    let en = export::summarise(&c, &p, Lang::En, TODAY, Round::default());
    assert!(
        en.report_headline()
            .ends_with("; 2 of 4 measures done and 1 under way, 1 overdue"),
        "{}",
        en.report_headline()
    );
    // Without measures the headline is as it was.
    let bare = Progress::new(&c.id);
    let s = export::summarise(&c, &bare, Lang::ZhHant, TODAY, Round::default());
    assert!(
        !s.report_headline().contains("措施"),
        "{}",
        s.report_headline()
    );
}

#[test]
fn csv_has_a_row_per_measure_with_the_problem_repeated() {
    let bytes = render(Format::Csv, Lang::ZhHant, Round::default());
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 22 - 2 + 3 + 1, "a row per measure");
    let r25: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "2.5").collect();
    assert_eq!(r25.len(), 3);
    for r in &r25 {
        assert_eq!(&r[col("方面")], "依法嚴懲", "problem columns on every row");
        assert!(r[col("問題")].starts_with("“打財斷血”"));
    }
    let measures: Vec<&str> = r25.iter().map(|r| &r[col("整改措施")]).collect();
    assert_eq!(
        measures,
        [
            "2.5.1 建立涉案財產處置台賬",
            "2.5.2 統一財產刑適用標準",
            "2.5.3 開展財產刑執行專項清理"
        ]
    );
    let first = r25[0];
    assert_eq!(&first[col("整改目標")], "台賬覆蓋全部涉黑案件");
    assert_eq!(&first[col("配合單位")], "市公安局、市檢察院");
    assert_eq!(&first[col("責任領導")], "張副院長");
    assert_eq!(&first[col("責任人")], "王偉");
    assert_eq!(&first[col("整改時限")], "2026-12-31");
    assert_eq!(&first[col("狀態")], "已完成");
    assert_eq!(
        &first[col("完成時間")],
        "2026-11-20",
        "the day it was done, not the day it was recorded"
    );
    assert_eq!(
        &r25[1][col("牽頭單位")],
        "市中級法院",
        "the problem's lead unit for a measure without one"
    );
    assert_eq!(&r25[1][col("完成時間")], "");
    assert!(r25[1][col("最新進展")].contains("已與公檢法會商"));
    assert_eq!(&r25[2][col("狀態")], "未整改（逾期）");
    // A problem without measures keeps one row, its measure cells empty.
    let r31: Vec<_> = rows.iter().filter(|r| &r[0] == "3.1").collect();
    assert_eq!(r31.len(), 1);
    assert_eq!(&r31[0][col("整改措施")], "");
    assert_eq!(&r31[0][col("完成時間")], "");
    let r63 = rows.iter().find(|r| &r[0] == "6.3").unwrap();
    assert_eq!(
        &r63[col("完成時間")],
        "2026-11-18",
        "a problem without measures: the day it was done"
    );
}

#[test]
fn xlsx_has_a_row_per_measure_and_merges_the_problem_over_them() {
    use calamine::{Data, Reader, Xlsx};
    let bytes = render(Format::Xlsx, Lang::ZhHant, Round::default());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let sheet = wb.worksheet_range("台賬").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get((r as usize, c as usize))
            .map(Data::to_string)
            .unwrap_or_default()
    };
    let header: Vec<String> = (0..15).map(|c| cell(0, c)).collect();
    for name in ["整改目標", "配合單位", "責任領導", "完成時間"] {
        assert!(header.iter().any(|h| h == name), "{name} in {header:?}");
    }
    assert_eq!(
        sheet.height(),
        1 + 6 + 22 - 2 + 4,
        "header, area headings, a row per measure"
    );
    let first = (1..sheet.height() as u32)
        .find(|r| cell(*r, 0) == "2.5")
        .unwrap();
    let measures: Vec<String> = (first..first + 3).map(|r| cell(r, 3)).collect();
    assert_eq!(
        measures,
        [
            "2.5.1 建立涉案財產處置台賬",
            "2.5.2 統一財產刑適用標準",
            "2.5.3 開展財產刑執行專項清理"
        ]
    );
    assert_eq!(cell(first, 11), "2026-11-20", "完成時間");
    assert_eq!(
        cell(first + 3, 0),
        "三、深挖徹查方面（3個問題）",
        "the next area after the three"
    );
    let heading = (1..first)
        .rev()
        .find(|r| cell(*r, 0).contains("、"))
        .unwrap();
    assert_eq!(cell(heading, 0), "二、依法嚴懲方面（5個問題）");

    let merged = wb.merge_cells_by_sheet_name("台賬").unwrap();
    let spans: Vec<((u32, u32), (u32, u32))> = merged.iter().map(|d| (d.start, d.end)).collect();
    for col in 0..3 {
        assert!(
            spans.contains(&((first, col), (first + 2, col))),
            "序號, 方面, 問題 merged over 2.5's three rows: column {col} in {spans:?}"
        );
    }
    assert!(
        spans.contains(&((heading, 0), (heading, 13))),
        "the area heading spans the columns"
    );
    let one = (1..sheet.height() as u32)
        .find(|r| cell(*r, 0) == "1.1")
        .unwrap();
    assert!(
        !spans.iter().any(|(s, _)| *s == (one, 0)),
        "one measure, one row: nothing to merge"
    );
    assert_eq!(spans.len(), 6 + 3, "six headings and 2.5's three columns");
    let sheet_xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet_xml.contains("<f>"), "no formulas");

    let summary = wb.worksheet_range("匯總").unwrap();
    assert_eq!(
        summary.get((1, 0)).unwrap().to_string(),
        "22個問題、4條措施"
    );
    let total = (0..summary.height())
        .find(|r| summary.get((*r, 0)).map(|d| d.to_string()) == Some("合計".into()))
        .unwrap();
    let n = |c: usize| summary.get((total, c)).unwrap().to_string();
    assert_eq!((n(7), n(8), n(9)), ("4".into(), "2".into(), "1".into()));
}

#[test]
fn english_area_headings_count_the_problems() {
    use calamine::{Reader, Xlsx};
    let bytes = render(Format::Xlsx, Lang::En, Round::default());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("Ledger").unwrap();
    assert_eq!(
        sheet.get((1, 0)).unwrap().to_string(),
        "1. Political stance (4 problems)"
    );
}

#[test]
fn markdown_lists_measures_under_their_problem_with_the_counts() {
    let md = text(Format::Markdown, Lang::ZhHant, Round::default());
    assert!(md.contains("4條措施已完成2條"), "headline");
    assert!(
        md.contains("| 整改措施 |"),
        "a measures column in the areas"
    );
    assert!(md.contains("| **2/4** |"), "measures done of all");
    let problem = md.find("### 2.5 ").unwrap();
    let next = md.find("### 3.1 ").unwrap();
    let section = &md[problem..next];
    for expected in [
        "- 整改措施 (1/3)：",
        "  - 2.5.1 建立涉案財產處置台賬 · 已完成",
        "    - 整改目標：台賬覆蓋全部涉黑案件",
        "    - 配合單位：市公安局、市檢察院",
        "    - 責任領導：張副院長",
        "    - 責任人：王偉",
        "    - 完成時間：2026-11-20",
        "  - 2.5.2 統一財產刑適用標準 · 正在整改",
        "    - 最新進展：2026-11-26：已與公檢法會商",
        "  - 2.5.3 開展財產刑執行專項清理 · 未整改 ⚠ 逾期",
    ] {
        assert!(section.contains(expected), "{expected:?} in\n{section}");
    }
    // Read as Markdown, the measures are a list inside the problem's list.
    use pulldown_cmark::{Event, Parser, Tag};
    let depth_of_measure = {
        let mut depth = 0;
        let mut found = None;
        for e in Parser::new(section) {
            match e {
                Event::Start(Tag::List(_)) => depth += 1,
                Event::End(pulldown_cmark::TagEnd::List(_)) => depth -= 1,
                Event::Text(t) if t.contains("建立涉案財產處置台賬") => {
                    found = Some(depth)
                }
                _ => {}
            }
        }
        found
    };
    assert_eq!(depth_of_measure, Some(2));
}

#[test]
fn html_lists_measures_under_their_problem() {
    let html = text(Format::Html, Lang::ZhHans, Round::default());
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let items: Vec<String> = doc
        .select(&sel("section#item-2\\.5 ol.measures > li.measure"))
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(items.len(), 3, "{html}");
    // User text as typed; rectify's own words in the report's language.
    assert!(items[0].contains("2.5.1") && items[0].contains("建立涉案財產處置台賬"));
    assert!(items[0].contains("市公安局、市檢察院") && items[0].contains("張副院長"));
    assert!(items[0].contains("配合单位"));
    assert!(items[2].contains("逾期"));
    assert_eq!(doc.select(&sel("section#item-1\\.1 li.measure")).count(), 1);
    assert!(html.contains("4条措施已完成2条"));
    let foot: String = doc
        .select(&sel("table.areas tfoot"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(foot.contains("2/4"), "{foot}");
}

#[test]
fn docx_lists_measures_under_their_problem() {
    let bytes = render(Format::Docx, Lang::ZhHant, Round::default());
    let xml = unzip(&bytes, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            p.descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect()
        })
        .collect();
    let at = |s: &str| {
        paragraphs
            .iter()
            .position(|p| p.starts_with(s))
            .unwrap_or_else(|| panic!("{s:?} in {paragraphs:#?}"))
    };
    let problem = at("2.5 ");
    let m1 = at("2.5.1 建立涉案財產處置台賬 · 已完成");
    let m3 = at("2.5.3 開展財產刑執行專項清理 · 未整改（逾期）");
    assert!(problem < m1 && m1 < m3 && m3 < at("3.1 "));
    assert!(
        paragraphs[m1..m3]
            .iter()
            .any(|p| p == "配合單位：市公安局、市檢察院")
    );
    assert!(paragraphs.iter().any(|p| p.contains("4條措施已完成2條")));
    assert!(
        paragraphs.iter().any(|p| p.contains("整改措施 1/3")),
        "area line"
    );
}

#[test]
fn since_lists_measure_changes_by_the_day_they_happened() {
    let round = Round {
        since: Some(date(2026, 11, 15)),
        ..Round::default()
    };
    let (c, p) = ledger();
    let s = export::summarise(&c, &p, Lang::ZhHant, TODAY, round);
    let period = s.period.as_ref().unwrap();
    let changes: Vec<(String, Date)> = period
        .changes
        .iter()
        .map(|c| (c.id().to_string(), c.date))
        .collect();
    assert_eq!(
        changes,
        [
            ("6.3".to_string(), date(2026, 11, 18)),
            ("2.5.1".to_string(), date(2026, 11, 20))
        ],
        "by the day each happened; 2.5.2's change was recorded in the period but happened \
         before it, 1.1.1's was before it"
    );
    assert_eq!(period.changes[1].item, "2.5");
    assert_eq!(period.changes[1].text, "建立涉案財產處置台賬");
    let notes: Vec<&str> = period.notes.iter().map(|n| n.id()).collect();
    assert_eq!(notes, ["2.5.2"]);

    let md = text(Format::Markdown, Lang::ZhHant, round);
    assert!(
        md.contains("- 2026-11-20 · 李明 2.5.1 未整改 → 已完成：建立涉案財產處置台賬"),
        "{md}"
    );
    assert!(md.contains("- 2026-11-26 2.5.2：已與公檢法會商"), "{md}");
    let html = text(Format::Html, Lang::ZhHant, round);
    assert!(html.contains("<b>2.5.1</b> 未整改 → 已完成"));
    let docx = unzip(
        &render(Format::Docx, Lang::ZhHant, round),
        "word/document.xml",
    );
    assert!(docx.contains("2026-11-20 · 李明 2.5.1 未整改 → 已完成"));

    // The spreadsheet's period column: on the measure's row.
    let csv = render(Format::Csv, Lang::ZhHant, round);
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let period_col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "本期進展")
        .unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let r25: Vec<&str> = rows
        .iter()
        .filter(|r| &r[0] == "2.5")
        .map(|r| r.get(period_col).unwrap())
        .collect();
    assert_eq!(
        r25,
        [
            "2026-11-20 · 李明 未整改 → 已完成",
            "2026-11-26：已與公檢法會商",
            ""
        ]
    );
    // Only what moved: 2.5 with all its rows.
    let only = Round {
        period_only: true,
        ..round
    };
    let csv = render(Format::Csv, Lang::ZhHant, only);
    let ids: Vec<String> = csv::Reader::from_reader(&csv[3..])
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(ids, ["2.5", "2.5", "2.5", "6.3"]);
}

#[test]
fn json_carries_measures_in_the_rows_and_the_counts() {
    let json: serde_json::Value =
        serde_json::from_slice(&render(Format::Json, Lang::En, Round::default())).unwrap();
    let s = &json["summary"];
    assert_eq!(s["measure_counts"]["total"], 4);
    let row = s["areas"][1]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "2.5")
        .unwrap();
    let ids: Vec<&str> = row["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2.5.1", "2.5.2", "2.5.3"]);
    assert_eq!(row["measures"][0]["resolved_on"], "2026-11-20");
    assert_eq!(row["measures"][0]["partners"][1], "市檢察院");
    assert_eq!(
        json["progress"]["items"]["2.5"]["measures"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

/// What LibreOffice makes of the XLSX and the DOCX: both open and print, with the
/// measures in the text. Skipped, with a message, without LibreOffice.
#[test]
fn libreoffice_opens_the_xlsx_and_the_docx() {
    let found = |cmd: &str, arg: &str| {
        std::process::Command::new(cmd)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !found("soffice", "--version") || !found("pdftotext", "-v") {
        eprintln!("skipped: LibreOffice (soffice) or pdftotext is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [(Format::Xlsx, "ledger.xlsx"), (Format::Docx, "report.docx")] {
        let file = dir.path().join(name);
        std::fs::write(&file, render(format, Lang::ZhHant, Round::default())).unwrap();
        let out = std::process::Command::new("soffice")
            .env("HOME", dir.path())
            .arg(format!(
                "-env:UserInstallation=file://{}/lo",
                dir.path().display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let pdf = file.with_extension("pdf");
        // To look at the pages: RECTIFY_EXPORT_KEEP=DIR keeps the PDFs there.
        if let Some(keep) = std::env::var_os("RECTIFY_EXPORT_KEEP") {
            std::fs::copy(
                &pdf,
                std::path::Path::new(&keep).join(pdf.file_name().unwrap()),
            )
            .unwrap();
        }
        let text = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        for expected in ["建立涉案財產處置台賬", "統一財產刑適用標準", "市公安局"]
        {
            assert!(text.contains(expected), "{name}: {expected} in\n{text}");
        }
    }
}
