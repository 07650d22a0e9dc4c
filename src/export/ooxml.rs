//! The parts of a DOCX that docx-rs writes against the schema or cannot write, mended.
//!
//! docx-rs 0.4 writes the children of `w:pPr` and `w:rPr` in a fixed order of its own
//! (`w:rPr` before `w:pStyle`, `w:b` before `w:rFonts`, `w:sz` before `w:b`) and has no
//! option for another; ECMA-376 defines each as a sequence, and Word "repairs" a file that
//! breaks one or drops what it did not expect. So its document and numbering parts are put
//! in schema order after it wrote them ([`in_schema_order`]), a minimal pass that moves
//! elements and changes nothing else. The styles and core properties parts are written here
//! whole: docx-rs can set neither the language (`w:lang`) nor the author, and its styles
//! put `w:rPr` inside a style's `w:pPr`, which the schema does not allow there.

use std::fmt::Write;

use super::Made;
use crate::i18n::Lang;
// Text for an XML element or attribute: only characters XML allows, markup escaped (as in
// HTML: `&#39;` is XML too).
use super::html::esc as escape;

/// ECMA-376 Part 1, CT_PPr (§17.3.1.26): the children of `w:pPr`, in order.
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

/// CT_ParaRPr and CT_RPr (§17.3.1.29, §17.3.2.28): the children of `w:rPr`, in order (the
/// first four only in a paragraph mark's).
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

/// A tag at a `<`: its name (with prefix), whether it closes, whether it is empty (`/>`),
/// and where it ends.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    empty: bool,
    end: usize,
}

fn tag_at(xml: &str, at: usize) -> Tag<'_> {
    let bytes = xml.as_bytes();
    let mut quote = None;
    let mut end = at + 1;
    while end < bytes.len() {
        match (bytes[end], quote) {
            (b'"' | b'\'', None) => quote = Some(bytes[end]),
            (q, Some(open)) if q == open => quote = None,
            (b'>', None) => break,
            _ => {}
        }
        end += 1;
    }
    let closing = bytes.get(at + 1) == Some(&b'/');
    let start = at + 1 + usize::from(closing);
    let name_end = xml[start..end]
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .map_or(end, |i| start + i);
    Tag {
        name: &xml[start..name_end],
        closing,
        empty: bytes[end - 1] == b'/',
        end: (end + 1).min(bytes.len()),
    }
}

/// Where the element opened at `at` ends, past its closing tag.
fn element_end(xml: &str, at: usize) -> usize {
    let first = tag_at(xml, at);
    if first.empty {
        return first.end;
    }
    let mut depth = 1;
    let mut pos = first.end;
    while let Some(i) = memchr::memchr(b'<', &xml.as_bytes()[pos..]) {
        let t = tag_at(xml, pos + i);
        match (t.closing, t.empty) {
            (true, _) => depth -= 1,
            (false, false) => depth += 1,
            (false, true) => {}
        }
        pos = t.end;
        if depth == 0 {
            break;
        }
    }
    pos
}

/// The sequence the children of `parent` follow, if it is one that is sorted.
fn sequence(parent: &str) -> Option<&'static [&'static str]> {
    match parent {
        "w:pPr" => Some(PPR),
        "w:rPr" => Some(RPR),
        _ => None,
    }
}

/// The XML with the children of every `w:pPr` and `w:rPr` in the order ECMA-376 gives,
/// and the empty `w:rPr` docx-rs puts in every `w:pPr` left out (it says nothing, and a
/// style's or numbering level's `w:pPr` may not hold one). Nothing else changes.
pub fn in_schema_order(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut copied = 0;
    for i in memchr::memchr_iter(b'<', xml.as_bytes()) {
        if i < copied {
            continue;
        }
        let t = tag_at(xml, i);
        let Some(order) = sequence(t.name).filter(|_| !t.closing && !t.empty) else {
            continue;
        };
        out.push_str(&xml[copied..t.end]);
        let end = element_end(xml, i);
        let close = xml[..end].rfind('<').unwrap_or(end);
        // The children, each with its place in the sequence (unknown ones last, as found).
        let mut children = Vec::new();
        let mut pos = t.end;
        while pos < close {
            let next = memchr::memchr(b'<', &xml.as_bytes()[pos..close]).map_or(close, |n| pos + n);
            if next > pos {
                // Text between children (docx-rs writes none): kept, at the end.
                children.push((usize::MAX, xml[pos..next].to_string()));
                pos = next;
                continue;
            }
            let child = tag_at(xml, pos);
            let child_end = element_end(xml, pos);
            let local = child.name.strip_prefix("w:").unwrap_or(child.name);
            let rank = order.iter().position(|n| *n == local).unwrap_or(usize::MAX);
            if !(t.name == "w:pPr" && local == "rPr" && child.empty) {
                children.push((rank, in_schema_order(&xml[pos..child_end])));
            }
            pos = child_end;
        }
        children.sort_by_key(|c| c.0);
        for (_, c) in &children {
            out.push_str(c);
        }
        out.push_str(&xml[close..end]);
        copied = end;
    }
    out.push_str(&xml[copied..]);
    out
}

/// `w:lang` of a report in `lang`: Latin text is English (as in Word's own Chinese
/// templates), East Asian text the report's Chinese, Simplified for an English report.
pub fn word_lang(lang: Lang) -> (&'static str, &'static str) {
    ("en-US", lang.strings().east_asian_tag)
}

/// The language tag of the whole document, for the core properties.
fn doc_lang(lang: Lang) -> &'static str {
    lang.strings().document_tag
}

/// `word/styles.xml`: the defaults (East Asian font and the languages) and the four
/// paragraph styles the report uses, each element in schema order.
pub fn styles(lang: Lang, east_asia_font: &str) -> String {
    let (latin, east_asia) = word_lang(lang);
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    );
    let _ = write!(
        s,
        r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="{}"/><w:lang w:val="{latin}" w:eastAsia="{east_asia}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"#,
        escape(east_asia_font)
    );
    s.push_str(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#);
    // (id, name, outline level, size in half points)
    for (id, name, level, size) in [
        ("Title", "Title", None, 36),
        ("Heading1", "heading 1", Some(0), 30),
        ("Heading2", "heading 2", Some(1), 24),
    ] {
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>"#
        );
        if let Some(level) = level {
            let _ = write!(
                s,
                r#"<w:pPr><w:keepNext/><w:outlineLvl w:val="{level}"/></w:pPr>"#
            );
        }
        let _ = write!(
            s,
            r#"<w:rPr><w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#
        );
    }
    s.push_str("</w:styles>");
    s
}

/// `docProps/core.xml`: title, author, language and the time the report was made.
pub fn core(title: &str, lang: Lang, made: Made) -> String {
    let at = made.at.instant.strftime("%Y-%m-%dT%H:%M:%SZ");
    let by = escape(made.author());
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{by}</dc:creator><cp:lastModifiedBy>{by}</cp:lastModifiedBy><dc:language>{}</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{at}</dcterms:modified></cp:coreProperties>"#,
        escape(title),
        doc_lang(lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_sorted_and_the_empty_mark_properties_dropped() {
        let xml = r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="H>1" /><w:keepNext /></w:pPr><w:r><w:rPr><w:b /><w:bCs /><w:rFonts w:eastAsia="SimSun" /></w:rPr><w:t>a&lt;b</w:t></w:r></w:p>"#;
        assert_eq!(
            in_schema_order(xml),
            r#"<w:p><w:pPr><w:pStyle w:val="H>1" /><w:keepNext /></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="SimSun" /><w:b /><w:bCs /></w:rPr><w:t>a&lt;b</w:t></w:r></w:p>"#
        );
        // A paragraph mark's run properties with content stay, at the end, sorted too.
        let xml = r#"<w:pPr><w:rPr><w:sz w:val="2"/><w:b/></w:rPr><w:jc w:val="left"/><w:tabs><w:tab w:val="left" w:pos="1"/></w:tabs></w:pPr>"#;
        assert_eq!(
            in_schema_order(xml),
            r#"<w:pPr><w:tabs><w:tab w:val="left" w:pos="1"/></w:tabs><w:jc w:val="left"/><w:rPr><w:b/><w:sz w:val="2"/></w:rPr></w:pPr>"#
        );
        let plain = "<w:document><w:body/></w:document>";
        assert_eq!(in_schema_order(plain), plain);
    }
}
