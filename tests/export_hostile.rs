//! Exports of text other programs choke on, read back by real readers: characters XML
//! forbids (roxmltree, calamine), the schema order Word expects in a DOCX, a note longer
//! than a spreadsheet cell, and Markdown that GitHub would indent away or make links of
//! (pulldown-cmark with the GFM options).

use std::io::{Cursor, Read};

use jiff::civil::{Date, date};
use rectify::export::{self, Format, Made, Round};
use rectify::i18n::Lang;
use rectify::model::progress::Who;
use rectify::model::{Checklist, Progress, Stamp};

const TODAY: Date = date(2026, 11, 30);

fn at(s: &str) -> Stamp {
    s.parse().unwrap()
}

/// The embedded checklist with one note on 1.1.
fn with_note(text: &str, by: Option<&str>) -> (Checklist, Progress) {
    let c = Checklist::embedded();
    let mut p = Progress::new(&c.id);
    p.add_note("1.1", text, Who::new(at("2026-11-24T09:00:00+08:00"), by))
        .unwrap();
    (c, p)
}

fn render(format: Format, (c, p): &(Checklist, Progress), lang: Lang) -> Vec<u8> {
    export::render(format, c, p, lang, TODAY, Round::default(), Made::now())
        .unwrap()
        .into_bytes()
}

fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    parts(bytes)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

fn xlsx_cell(bytes: Vec<u8>, sheet: &str, id: &str, col: usize) -> String {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range(sheet).unwrap();
    let row = (1..sheet.height())
        .find(|r| sheet.get((*r, 0)).map(|c| c.to_string()).as_deref() == Some(id))
        .unwrap();
    sheet.get((row, col)).unwrap().to_string()
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Item 14: U+FFFE, U+FFFF and C0 controls are not XML characters. Every XML part of the
/// DOCX parses, the XLSX opens, and the characters are shown as what they are.
#[test]
fn characters_xml_forbids_never_reach_a_docx_or_xlsx() {
    let hostile = "甲\u{FFFE}乙\u{FFFF}丙\u{1}丁\u{B}戊";
    let ledger = with_note(hostile, Some("王\u{FFFF}偉"));
    let docx = render(Format::Docx, &ledger, Lang::ZhHant);
    for (name, xml) in parts(&docx) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let doc = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&doc).unwrap();
    let text: String = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        text.contains("甲<U+FFFE>乙<U+FFFF>丙␁丁␋戊"),
        "shown, not dropped"
    );
    assert!(text.contains("王<U+FFFF>偉"), "the author's name too");

    let xlsx = render(Format::Xlsx, &ledger, Lang::ZhHant);
    for (name, xml) in parts(&xlsx) {
        if name.ends_with(".xml") {
            roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let notes = xlsx_cell(xlsx, "台賬", "1.1", 12);
    assert!(notes.contains("甲<U+FFFE>乙<U+FFFF>丙␁丁␋戊"), "{notes:?}");

    let html = String::from_utf8(render(Format::Html, &ledger, Lang::ZhHant)).unwrap();
    assert!(!html.contains(['\u{FFFE}', '\u{FFFF}', '\u{1}']));
}

/// ECMA-376 Part 1, CT_PPr (§17.3.1.26): the children of `w:pPr` in order.
const PPR: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];

/// CT_PPrGeneral: a style's, the defaults' or a numbering level's `w:pPr`, which has no
/// `w:rPr`, `w:sectPr` or `w:pPrChange`.
const PPR_GENERAL_ENDS: &str = "cnfStyle";

/// CT_ParaRPr / CT_RPr (§17.3.1.29, §17.3.2.28): the children of `w:rPr` in order.
const RPR: &[&str] = &[
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
];

/// CT_Style (§17.7.4.17): the children of `w:style` in order.
const STYLE: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
];

/// Every child of `node` is in `sequence` and they come in its order.
fn assert_in_order(part: &str, node: roxmltree::Node, sequence: &[&str]) {
    let mut last = 0;
    for child in node.children().filter(|c| c.is_element()) {
        let name = child.tag_name().name();
        assert_eq!(child.tag_name().namespace(), Some(W), "{part}: {name}");
        let place = sequence.iter().position(|s| *s == name).unwrap_or_else(|| {
            panic!(
                "{part}: w:{name} may not be in w:{}",
                node.tag_name().name()
            )
        });
        assert!(
            place >= last,
            "{part}: w:{name} after w:{} in w:{}",
            sequence[last],
            node.tag_name().name()
        );
        last = place;
    }
}

/// Item 15: every `w:pPr`, `w:rPr` and `w:style` of every part holds its children in the
/// schema's order; the languages and the core properties are set.
#[test]
fn docx_follows_the_schema_order_and_names_language_author_and_time() {
    let ledger = with_note("進展", Some("王偉"));
    let made = Made {
        at: at("2026-11-30T17:45:10+08:00"),
        by: Some("王偉 <&>"),
    };
    for (lang, latin, east_asia, doc_lang) in [
        (Lang::ZhHant, "en-US", "zh-TW", "zh-TW"),
        (Lang::ZhHans, "en-US", "zh-CN", "zh-CN"),
        (Lang::En, "en-US", "zh-CN", "en-US"),
    ] {
        let (c, p) = &ledger;
        let docx = export::render(Format::Docx, c, p, lang, TODAY, Round::default(), made)
            .unwrap()
            .into_bytes();
        let mut checked = 0;
        for (name, xml) in parts(&docx) {
            if !name.starts_with("word/") || !name.ends_with(".xml") {
                continue;
            }
            let doc = roxmltree::Document::parse(&xml).unwrap();
            for n in doc
                .descendants()
                .filter(|n| n.tag_name().namespace() == Some(W))
            {
                let general = matches!(
                    n.parent_element().map(|p| p.tag_name().name()),
                    Some("style" | "pPrDefault" | "lvl")
                );
                match n.tag_name().name() {
                    "pPr" if general => {
                        let end = PPR.iter().position(|s| *s == PPR_GENERAL_ENDS).unwrap();
                        assert_in_order(&name, n, &PPR[..=end]);
                    }
                    "pPr" => assert_in_order(&name, n, PPR),
                    "rPr" => assert_in_order(&name, n, RPR),
                    "style" => assert_in_order(&name, n, STYLE),
                    _ => continue,
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} elements checked");

        let styles = part(&docx, "word/styles.xml");
        let styles = roxmltree::Document::parse(&styles).unwrap();
        let lang_el = styles
            .descendants()
            .find(|n| n.has_tag_name((W, "rPrDefault")))
            .and_then(|d| d.descendants().find(|n| n.has_tag_name((W, "lang"))))
            .expect("w:lang in the document defaults");
        assert_eq!(lang_el.attribute((W, "val")), Some(latin));
        assert_eq!(
            lang_el.attribute((W, "eastAsia")),
            Some(east_asia),
            "{lang}"
        );
        for id in ["Title", "Heading1", "Heading2"] {
            assert!(
                styles.descendants().any(
                    |n| n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some(id)
                ),
                "style {id}"
            );
        }

        let core = part(&docx, "docProps/core.xml");
        let core = roxmltree::Document::parse(&core).unwrap();
        let el = |name: &str| {
            core.descendants()
                .find(|n| n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(str::to_string)
        };
        assert_eq!(el("creator").as_deref(), Some("王偉 <&>"));
        assert_eq!(el("created").as_deref(), Some("2026-11-30T09:45:10Z"));
        assert_eq!(el("modified").as_deref(), Some("2026-11-30T09:45:10Z"));
        assert_eq!(el("language").as_deref(), Some(doc_lang));
    }

    // No author known: the program.
    let docx = render(Format::Docx, &ledger, Lang::ZhHans);
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:creator>rectify</dc:creator>"), "{core}");
    assert!(!core.contains("1970"), "{core}");
}

/// Item 16: a note over the 32,767 characters a cell holds (as Excel counts them: an emoji
/// or a character of CJK Extension B is two) is cut with a marker saying where the whole
/// text is, and the workbook is written.
#[test]
fn a_note_longer_than_a_cell_is_cut_with_a_marker_saying_where_it_is_whole() {
    for (text, lang, sheet, marker) in [
        (
            "長".repeat(40_000),
            Lang::ZhHant,
            "台賬",
            "…（全文見 JSON/Markdown）",
        ),
        (
            "😀".repeat(20_000),
            Lang::ZhHans,
            "台账",
            "…（全文见 JSON/Markdown）",
        ),
        (
            "𠀀".repeat(16_384),
            Lang::En,
            "Ledger",
            "… (full text in the JSON or Markdown export)",
        ),
    ] {
        let ledger = with_note(&text, None);
        let (c, p) = &ledger;
        let xlsx = export::render(
            Format::Xlsx,
            c,
            p,
            lang,
            TODAY,
            Round::default(),
            Made::now(),
        )
        .unwrap_or_else(|e| panic!("{lang}: {e}"))
        .into_bytes();
        let cell = xlsx_cell(xlsx, sheet, "1.1", 12);
        let tail: String = cell
            .chars()
            .skip(cell.chars().count().saturating_sub(40))
            .collect();
        assert!(cell.ends_with(marker), "{lang}: …{tail}");
        let units = cell.encode_utf16().count();
        assert!(units <= 32_767 && units > 32_000, "{lang}: {units}");
        let first = text.chars().next().unwrap();
        assert!(
            cell.trim_end_matches(marker).ends_with(first),
            "cut between characters"
        );
    }
    // Short enough: whole.
    let ledger = with_note(&"長".repeat(30_000), None);
    let cell = xlsx_cell(
        render(Format::Xlsx, &ledger, Lang::ZhHant),
        "台賬",
        "1.1",
        12,
    );
    assert!(cell.ends_with(&"長".repeat(30_000)), "not cut");
}

/// Item 18: the spaces a note line starts with survive GitHub-flavoured Markdown, and a
/// bare address stays text.
#[test]
fn markdown_keeps_indents_and_makes_no_links_of_bare_addresses() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let note = "列表：\n  一、縮進兩格\n    二、縮進四格 http://example.com/a?b=1\n\t三、製表 www.example.org\n見 HTTPS://EXAMPLE.COM 或 ftp://x.org，郵件 wang@example.com";
    let ledger = with_note(note, None);
    let md = String::from_utf8(render(Format::Markdown, &ledger, Lang::ZhHant)).unwrap();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM;
    let events: Vec<Event> = Parser::new_ext(&md, options).collect();
    assert!(
        !events.iter().any(|e| matches!(
            e,
            Event::Start(Tag::Link { .. } | Tag::CodeBlock(_))
                | Event::Code(_)
                | Event::Html(_)
                | Event::InlineHtml(_)
        )),
        "no link, code or HTML from a note"
    );
    let text: String = events
        .iter()
        .map(|e| match e {
            Event::Text(t) => t.to_string(),
            Event::HardBreak
            | Event::SoftBreak
            | Event::Start(Tag::Item)
            | Event::End(TagEnd::Item | TagEnd::Paragraph | TagEnd::Heading(_)) => "\n".into(),
            _ => String::new(),
        })
        .collect();
    let nbsp = '\u{a0}';
    for line in [
        format!("{nbsp}{nbsp}一、縮進兩格"),
        format!("{nbsp}{nbsp}{nbsp}{nbsp}二、縮進四格 http://example.com/a?b=1"),
        format!("{nbsp}{nbsp}{nbsp}{nbsp}三、製表 www.example.org"),
        "見 HTTPS://EXAMPLE.COM 或 ftp://x.org，郵件 wang@example.com".to_string(),
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line:?} shown as written:\n{text}"
        );
    }
    // pulldown-cmark has no GFM extended autolinks: GitHub makes a link of `http://`,
    // `https://`, `ftp://` and `www.` as they stand in the source, which an escaped `:` or
    // `.` breaks.
    let lower = md.to_lowercase();
    for bare in ["http://", "https://", "ftp://", "www."] {
        assert!(!lower.contains(bare), "{bare} bare in:\n{md}");
    }
    assert!(!md.contains("g@e"), "an e-mail address is escaped");
}
