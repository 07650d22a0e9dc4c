//! The embedded checklist is the report: these tests read the report itself
//! (tests/fixtures/report-zh-Hant.txt, a copy of the seed) and compare.

use rectify::i18n::Lang;
use rectify::model::Checklist;

const REPORT: &str = include_str!("fixtures/report-zh-Hant.txt");

/// The report writes ASCII commas; the checklist normalises them to full width.
fn normalise(s: &str) -> String {
    s.replace(',', "，")
}

/// The report's problems, read from its text: per area, the area name and its numbered
/// problems ("一是……。二是……。").
fn problems_in_report() -> Vec<(String, Vec<String>)> {
    let report = normalise(REPORT);
    let para = report
        .lines()
        .find(|l| l.starts_with("根據前一段談話"))
        .expect("the paragraph that lists the problems");
    let areas = [
        "政治站位",
        "依法嚴懲",
        "深挖徹查",
        "綜合治理",
        "組織建設",
        "組織領導",
    ];
    let ordinals = ["一是", "二是", "三是", "四是", "五是", "六是"];
    let starts: Vec<usize> = areas
        .iter()
        .map(|a| para.find(&format!("{a}方面，")).expect(a))
        .collect();
    areas
        .iter()
        .enumerate()
        .map(|(i, area)| {
            let end = starts.get(i + 1).copied().unwrap_or(para.len());
            let seg = &para[starts[i] + format!("{area}方面，").len()..end];
            let mut items = Vec::new();
            for (k, ord) in ordinals.iter().enumerate() {
                let Some(s) = seg.find(ord) else { break };
                let from = s + ord.len();
                let to = ordinals
                    .get(k + 1)
                    .and_then(|next| seg.find(next))
                    .unwrap_or(seg.len());
                items.push(seg[from..to].trim().to_string());
            }
            (area.to_string(), items)
        })
        .collect()
}

#[test]
fn the_report_has_22_problems_in_six_areas() {
    let counts: Vec<usize> = problems_in_report().iter().map(|(_, i)| i.len()).collect();
    assert_eq!(counts, [4, 5, 3, 3, 4, 3]);
}

/// The app reads the JSON that `build.rs` makes of the asset: it must be the checklist the
/// RON itself gives, and pass the checks a user's file gets.
#[test]
fn the_compiled_in_checklist_is_the_ron_asset() {
    let from_ron = Checklist::parse(
        rectify::model::checklist::EMBEDDED,
        rectify::model::checklist::EMBEDDED_NAME,
    )
    .unwrap();
    assert_eq!(Checklist::embedded(), from_ron);
}

#[test]
fn the_embedded_checklist_is_the_reports_22_problems_word_for_word() {
    let checklist = Checklist::embedded();
    let report = problems_in_report();
    assert_eq!(checklist.areas.len(), 6);
    assert_eq!(checklist.item_count(), 22);
    for (a, (area, (name, problems))) in checklist.areas.iter().zip(&report).enumerate() {
        assert_eq!(area.id, (a + 1).to_string());
        assert_eq!(area.title.get(Lang::ZhHant), name);
        assert_eq!(area.items.len(), problems.len(), "area {name}");
        for (n, (item, problem)) in area.items.iter().zip(problems).enumerate() {
            assert_eq!(item.id, format!("{}.{}", a + 1, n + 1));
            assert_eq!(item.text.get(Lang::ZhHant), problem, "item {}", item.id);
        }
    }
}

#[test]
fn every_text_exists_in_all_three_languages() {
    let c = Checklist::embedded();
    let mut texts = vec![("title", &c.title)];
    let source = c.source.as_ref().expect("the report is named");
    texts.extend([
        ("source title", &source.title),
        ("outlet", &source.outlet),
        ("issuer", &source.issuer),
    ]);
    for area in &c.areas {
        texts.push(("area title", &area.title));
        texts.push(("requirements", &area.requirements));
        for item in &area.items {
            texts.push(("item", &item.text));
        }
    }
    for (what, text) in texts {
        for lang in Lang::ALL {
            let t = text.0.get(lang.tag()).map(String::as_str).unwrap_or("");
            assert!(!t.trim().is_empty(), "{what} {text:?} lacks {lang}");
        }
    }
}

#[test]
fn requirements_are_quoted_from_the_report() {
    let report = normalise(REPORT);
    let c = Checklist::embedded();
    let topics: [&[&str]; 6] = [
        &["專題學習", "責任剖析", "問責", "宣傳"],
        &["發動舉報", "線索核查", "統一司法尺度", "涉案財產處置"],
        &["打傘破網", "四種形態"],
        &["行業亂象", "緝槍治爆", "多部門聯動"],
        &["整頓軟弱渙散基層組織", "兩委”幹部的培養"],
        &["充實加強掃黑除惡領導小組"],
    ];
    for (area, topics) in c.areas.iter().zip(topics) {
        let req = area.requirements.get(Lang::ZhHant);
        for para in req.lines() {
            assert!(
                report.contains(para),
                "area {}: not in the report: {para}",
                area.id
            );
        }
        for t in topics {
            assert!(req.contains(t), "area {} requirements lack {t}", area.id);
        }
    }
}

#[test]
fn simplified_texts_use_simplified_characters() {
    // Characters the glossary names as easy to get wrong, and other common Traditional ones.
    let traditional = "鬥幹週祕嚴徹銜賬著擔掃導組織領處護問題層黨區對從們這個過還進將時";
    let c = Checklist::embedded();
    let mut all = vec![c.title.get(Lang::ZhHans).to_string()];
    for area in &c.areas {
        all.push(area.title.get(Lang::ZhHans).into());
        all.push(area.requirements.get(Lang::ZhHans).into());
        all.extend(
            area.items
                .iter()
                .map(|i| i.text.get(Lang::ZhHans).to_string()),
        );
    }
    for text in all {
        if let Some(ch) = text.chars().find(|ch| traditional.contains(*ch)) {
            panic!("Traditional {ch} in zh-Hans text: {text}");
        }
    }
}

#[test]
fn english_uses_the_official_renderings() {
    let c = Checklist::embedded();
    let en = |id: &str| c.find_item(id).unwrap().1.text.get(Lang::En).to_string();
    assert!(en("1.2").contains("cracking down on gangs and organised crime"));
    assert!(en("3.1").contains("\"protective umbrellas\""));
    assert!(en("3.3").contains("one case, three investigations"));
    assert!(en("5.1").contains("village \"two committees\""));
    assert!(en("2.3").contains("Public security organs, procuratorates and courts"));
    let titles: Vec<&str> = c.areas.iter().map(|a| a.title.get(Lang::En)).collect();
    assert_eq!(
        titles,
        [
            "Political stance",
            "Severe punishment in accordance with the law",
            "Digging deep and investigating thoroughly",
            "Comprehensive governance",
            "Organisation building",
            "Organisational leadership"
        ]
    );
}

#[test]
fn the_source_is_named_as_in_the_report() {
    let c = Checklist::embedded();
    let s = c.source.unwrap();
    let title = s.title.get(Lang::ZhHant);
    assert!(normalise(REPORT).starts_with(title), "{title}");
    assert!(REPORT.contains(&format!("來源:{}", s.outlet.get(Lang::ZhHant))));
    assert!(REPORT.contains(s.issuer.get(Lang::ZhHant)));
}
