//! QTI 3.0 export: a content package (zip) with `imsmanifest.xml`, one item file per item
//! (`items/<id>.xml`) and an assessment test (`assessment.xml`) with one section per
//! category (the item's first exam and objective).
//!
//! | certprep | QTI 3.0 |
//! |---|---|
//! | `single`, `multiple` | `qti-choice-interaction` (`match_correct`; `map_response` for multiple) |
//! | `order` | `qti-order-interaction` (unused actions: `max-choices` below the count) |
//! | `match` | `qti-match-interaction`: targets, then sources (`map_response`, directed pairs) |
//! | `yesno` | `qti-match-interaction` of the statements against Yes and No |
//! | `dropdown` | one `qti-inline-choice-interaction` per slot (summed `map-response`) |
//! | `solution` | a Yes/No choice under the series' scenario (the series is not kept: warned) |
//!
//! Text is Markdown written as XHTML paragraphs (`<p>`, `<br/>`, `<pre>` for fences), so a
//! QTI player shows it as plain text and the importer reads it back unchanged. Notes are
//! `qti-feedback-inline` named after their choice, the explanation a `qti-modal-feedback`;
//! what QTI has no place for (difficulty, reviewed date, version, objectives, references,
//! tags) is kept in `<!-- certprep key: value -->` comments that the importer reads.

use std::fmt::Write as _;
use std::io::Write as _;

use certprep_bank::syntax::Pos;
use certprep_domain::item::Membership;
use certprep_domain::{Item, ItemBody};

use super::xml::esc;
use crate::gift::reference_text;
use crate::text::one_line;
use crate::{ExportError, ExportSource, Exported, Format, Issue};

const ITEM_NS: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
const SCHEMA: &str = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd";
const TEMPLATES: &str = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates";

/// Markdown as XHTML flow: paragraphs, line breaks, fenced code as `<pre>`. `inline`
/// replaces a `{{n}}` placeholder.
fn flow(md: &str, inline: &mut dyn FnMut(u32) -> Option<String>) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    // (marker, language, lines)
    let mut fence: Option<(String, String, Vec<&str>)> = None;
    let flush =
        |para: &mut Vec<&str>, out: &mut String, inline: &mut dyn FnMut(u32) -> Option<String>| {
            if para.is_empty() {
                return;
            }
            let lines: Vec<String> = para.iter().map(|l| line(l, inline)).collect();
            let _ = write!(out, "<p>{}</p>", lines.join("<br/>"));
            para.clear();
        };
    for l in md.lines() {
        let trimmed = l.trim_start();
        if let Some((marker, lang, body)) = &mut fence {
            if trimmed.starts_with(marker.as_str()) {
                let lines: Vec<String> = body.iter().map(|l| line(l, inline)).collect();
                let _ = write!(out, "<pre{}>{}</pre>", pre_class(lang), lines.join("\n"));
                fence = None;
            } else {
                body.push(l);
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut para, &mut out, inline);
            let ch = trimmed.chars().next().unwrap_or('`');
            let n = trimmed.chars().take_while(|c| *c == ch).count();
            let lang = trimmed[n..].trim().to_string();
            fence = Some((std::iter::repeat_n(ch, n).collect(), lang, vec![]));
            continue;
        }
        if l.trim().is_empty() {
            flush(&mut para, &mut out, inline);
        } else {
            para.push(l);
        }
    }
    if let Some((_, lang, body)) = fence {
        let lines: Vec<String> = body.iter().map(|l| line(l, inline)).collect();
        let _ = write!(out, "<pre{}>{}</pre>", pre_class(&lang), lines.join("\n"));
    }
    flush(&mut para, &mut out, inline);
    out
}

/// A leading space of a line (U+2007 FIGURE SPACE).
pub(crate) const INDENT: char = '\u{2007}';

/// The class that keeps a fence's language (`language-python`), read back on import.
fn pre_class(lang: &str) -> String {
    if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", esc(lang))
    }
}

/// One line of text, escaped, with `{{n}}` placeholders replaced.
fn line(l: &str, inline: &mut dyn FnMut(u32) -> Option<String>) -> String {
    // Leading spaces as figure spaces, which HTML does not collapse (the importer turns them
    // back into spaces): list continuation lines keep their indent.
    let body = l.trim_start_matches(' ');
    let mut out: String = std::iter::repeat_n(INDENT, l.len() - body.len()).collect();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        match after[..end]
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(&mut *inline)
        {
            Some(x) => {
                out.push_str(&esc(&rest[..start]));
                out.push_str(&x);
            }
            None => out.push_str(&esc(&rest[..start + 2 + end + 2])),
        }
        rest = &after[end + 2..];
    }
    out.push_str(&esc(rest));
    out
}

/// A note or other text inside an inline element: lines joined by `<br/>`.
fn inline_text(md: &str) -> String {
    md.lines().map(esc).collect::<Vec<_>>().join("<br/>")
}

fn feedback_inline(id: &str, note: &str) -> String {
    if note.trim().is_empty() {
        return String::new();
    }
    format!(
        "<qti-feedback-inline outcome-identifier=\"FEEDBACK\" identifier=\"{id}\" show-hide=\"show\">{}</qti-feedback-inline>",
        inline_text(note)
    )
}

/// A comment's text: `--` may not appear in an XML comment.
fn comment(s: &str) -> String {
    one_line(s).replace("--", "- -")
}

fn identifier(id: &str) -> String {
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.to_string()
    } else {
        format!("item-{id}")
    }
}

struct Response {
    id: String,
    cardinality: &'static str,
    base_type: &'static str,
    correct: Vec<String>,
    /// Entries scored 1 (a mapping is written when `Some`).
    mapping: Option<Vec<String>>,
}

fn write_response(out: &mut String, r: &Response) {
    let _ = writeln!(
        out,
        "  <qti-response-declaration identifier=\"{}\" cardinality=\"{}\" base-type=\"{}\">",
        r.id, r.cardinality, r.base_type
    );
    out.push_str("    <qti-correct-response>\n");
    for v in &r.correct {
        let _ = writeln!(out, "      <qti-value>{}</qti-value>", esc(v));
    }
    out.push_str("    </qti-correct-response>\n");
    if let Some(entries) = &r.mapping {
        out.push_str("    <qti-mapping default-value=\"0\" lower-bound=\"0\">\n");
        for e in entries {
            let _ = writeln!(
                out,
                "      <qti-map-entry map-key=\"{}\" mapped-value=\"1\"/>",
                esc(e)
            );
        }
        out.push_str("    </qti-mapping>\n");
    }
    out.push_str("  </qti-response-declaration>\n");
}

fn choice_xml(tag: &str, id: &str, text: &str, note: &str, extra: &str) -> String {
    format!(
        "<{tag} identifier=\"{id}\"{extra}>{}{}</{tag}>",
        esc(&one_line(text)),
        feedback_inline(id, note)
    )
}

/// One item as a QTI 3.0 document, with warnings for what it cannot carry.
fn item_xml(source: &ExportSource<'_>, item: &Item, warn: &mut dyn FnMut(String)) -> String {
    let mut stem = source.full_stem(item);
    if let Some(Membership::CaseStudy(id)) = &item.group {
        warn(format!(
            "item of case study `{id}`: the case study's title and tabs are written before its stem"
        ));
    }
    let shuffle = if item.shuffle { "true" } else { "false" };
    let mut responses: Vec<Response> = Vec::new();
    let mut interaction = String::new();
    let mut template: Option<&str> = Some("match_correct");
    match &item.body {
        ItemBody::Single { options } | ItemBody::Multiple { options, .. } => {
            let multiple = matches!(item.body, ItemBody::Multiple { .. });
            let correct: Vec<String> = options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.label.to_string())
                .collect();
            let max = if multiple { correct.len() } else { 1 };
            let _ = write!(
                interaction,
                "<qti-choice-interaction response-identifier=\"RESPONSE\" shuffle=\"{shuffle}\" max-choices=\"{max}\">"
            );
            for o in options {
                interaction.push_str(&choice_xml(
                    "qti-simple-choice",
                    &o.label.to_string(),
                    &o.text,
                    &o.note,
                    "",
                ));
            }
            interaction.push_str("</qti-choice-interaction>");
            if multiple {
                template = Some("map_response");
            }
            responses.push(Response {
                id: "RESPONSE".into(),
                cardinality: if multiple { "multiple" } else { "single" },
                base_type: "identifier",
                mapping: multiple.then(|| correct.clone()),
                correct,
            });
        }
        ItemBody::Order { actions } => {
            let mut used: Vec<_> = actions
                .iter()
                .filter_map(|a| a.position.map(|p| (p, a)))
                .collect();
            used.sort_by_key(|(p, _)| *p);
            let limits = if used.len() < actions.len() {
                format!(" min-choices=\"{0}\" max-choices=\"{0}\"", used.len())
            } else {
                String::new()
            };
            let _ = write!(
                interaction,
                "<qti-order-interaction response-identifier=\"RESPONSE\" shuffle=\"{shuffle}\"{limits}>"
            );
            for a in actions {
                interaction.push_str(&choice_xml(
                    "qti-simple-choice",
                    &a.label.to_string(),
                    &a.text,
                    &a.note,
                    "",
                ));
            }
            interaction.push_str("</qti-order-interaction>");
            responses.push(Response {
                id: "RESPONSE".into(),
                cardinality: "ordered",
                base_type: "identifier",
                correct: used.iter().map(|(_, a)| a.label.to_string()).collect(),
                mapping: None,
            });
        }
        ItemBody::Match {
            sources,
            targets,
            reuse,
        } => {
            let pairs: Vec<String> = targets
                .iter()
                .enumerate()
                .map(|(i, t)| format!("T{} {}", i + 1, t.key))
                .collect();
            let _ = write!(
                interaction,
                "<qti-match-interaction response-identifier=\"RESPONSE\" shuffle=\"{shuffle}\" max-associations=\"{}\"><qti-simple-match-set>",
                targets.len()
            );
            for (i, t) in targets.iter().enumerate() {
                interaction.push_str(&choice_xml(
                    "qti-simple-associable-choice",
                    &format!("T{}", i + 1),
                    &t.text,
                    &t.note,
                    " match-max=\"1\"",
                ));
            }
            interaction.push_str("</qti-simple-match-set><qti-simple-match-set>");
            let max = if *reuse {
                format!(" match-max=\"{}\"", targets.len().max(2))
            } else {
                " match-max=\"1\"".into()
            };
            for s in sources {
                interaction.push_str(&choice_xml(
                    "qti-simple-associable-choice",
                    &s.label.to_string(),
                    &s.text,
                    &s.note,
                    &max,
                ));
            }
            interaction.push_str("</qti-simple-match-set></qti-match-interaction>");
            template = Some("map_response");
            responses.push(Response {
                id: "RESPONSE".into(),
                cardinality: "multiple",
                base_type: "directedPair",
                mapping: Some(pairs.clone()),
                correct: pairs,
            });
        }
        ItemBody::YesNo { statements } => {
            let pairs: Vec<String> = statements
                .iter()
                .enumerate()
                .map(|(i, s)| format!("S{} {}", i + 1, if s.answer { "Y" } else { "N" }))
                .collect();
            let _ = write!(
                interaction,
                "<qti-match-interaction response-identifier=\"RESPONSE\" shuffle=\"false\" max-associations=\"{}\"><qti-simple-match-set>",
                statements.len()
            );
            for (i, s) in statements.iter().enumerate() {
                interaction.push_str(&choice_xml(
                    "qti-simple-associable-choice",
                    &format!("S{}", i + 1),
                    &s.text,
                    &s.note,
                    " match-max=\"1\"",
                ));
            }
            let _ = write!(
                interaction,
                "</qti-simple-match-set><qti-simple-match-set><qti-simple-associable-choice identifier=\"Y\" match-max=\"{0}\">Yes</qti-simple-associable-choice><qti-simple-associable-choice identifier=\"N\" match-max=\"{0}\">No</qti-simple-associable-choice></qti-simple-match-set></qti-match-interaction>",
                statements.len()
            );
            template = Some("map_response");
            responses.push(Response {
                id: "RESPONSE".into(),
                cardinality: "multiple",
                base_type: "directedPair",
                mapping: Some(pairs.clone()),
                correct: pairs,
            });
        }
        ItemBody::Dropdown { slots } => {
            let one = slots.len() == 1;
            if !one {
                template = None;
            }
            let mut body = String::new();
            let mut written = std::collections::BTreeSet::new();
            let text = flow(&stem, &mut |n| {
                let slot = slots.iter().find(|s| s.number == n)?;
                // A placeholder used again stays as text: a response has one interaction.
                if !written.insert(n) {
                    return None;
                }
                let rid = if one {
                    "RESPONSE".to_string()
                } else {
                    format!("RESPONSE_{n}")
                };
                let mut x = format!(
                    "<qti-inline-choice-interaction response-identifier=\"{rid}\" shuffle=\"{shuffle}\">"
                );
                let mut notes = String::new();
                for c in &slot.choices {
                    let id = format!("S{n}{}", c.label);
                    let _ = write!(
                        x,
                        "<qti-inline-choice identifier=\"{id}\">{}</qti-inline-choice>",
                        esc(&one_line(&c.text))
                    );
                    notes.push_str(&feedback_inline(&id, &c.note));
                }
                x.push_str("</qti-inline-choice-interaction>");
                x.push_str(&notes);
                let correct: Vec<String> = slot
                    .choices
                    .iter()
                    .filter(|c| c.correct)
                    .map(|c| format!("S{n}{}", c.label))
                    .collect();
                responses.push(Response {
                    id: rid,
                    cardinality: "single",
                    base_type: "identifier",
                    mapping: (!one).then(|| correct.clone()),
                    correct,
                });
                Some(x)
            });
            body.push_str(&text);
            stem = String::new();
            interaction = body;
        }
        ItemBody::Solution { statement } => {
            warn("series item written as a Yes/No choice under the series' scenario: the series itself is not kept".into());
            stem = format!(
                "{stem}\n\n**Solution:** {}\n\nDoes the solution meet the goal?",
                statement.text
            );
            let (y, n) = if statement.answer {
                (statement.note.as_str(), "")
            } else {
                ("", statement.note.as_str())
            };
            let _ = write!(
                interaction,
                "<qti-choice-interaction response-identifier=\"RESPONSE\" shuffle=\"false\" max-choices=\"1\">{}{}</qti-choice-interaction>",
                choice_xml("qti-simple-choice", "Y", "Yes", y, ""),
                choice_xml("qti-simple-choice", "N", "No", n, "")
            );
            responses.push(Response {
                id: "RESPONSE".into(),
                cardinality: "single",
                base_type: "identifier",
                correct: vec![if statement.answer { "Y" } else { "N" }.into()],
                mapping: None,
            });
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<qti-assessment-item xmlns=\"{ITEM_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{ITEM_NS} {SCHEMA}\" identifier=\"{}\" title=\"{}\" adaptive=\"false\" time-dependent=\"false\">",
        esc(&identifier(&item.id)),
        esc(&item.id)
    );
    if identifier(&item.id) != item.id {
        let _ = writeln!(out, "  <!-- certprep id: {} -->", comment(&item.id));
    }
    let _ = writeln!(out, "  <!-- certprep difficulty: {} -->", item.difficulty);
    let _ = writeln!(out, "  <!-- certprep reviewed: {} -->", item.reviewed);
    if item.version > 1 {
        let _ = writeln!(out, "  <!-- certprep version: {} -->", item.version);
    }
    if let ItemBody::Match { reuse: true, .. } = item.body {
        let _ = writeln!(out, "  <!-- certprep reuse: yes -->");
    }
    for (o, ids) in &item.objectives {
        let _ = writeln!(out, "  <!-- certprep {o}: {} -->", comment(&ids.join(", ")));
    }
    for r in &item.references {
        let _ = writeln!(
            out,
            "  <!-- certprep reference: {} -->",
            one_line(&reference_text(r)).replace("--", "%2D%2D")
        );
    }
    if !item.tags.is_empty() {
        let _ = writeln!(
            out,
            "  <!-- certprep tags: {} -->",
            comment(&item.tags.join(", "))
        );
    }
    for r in &responses {
        write_response(&mut out, r);
    }
    // `match_correct` gives 1 for an exactly right response and 0 otherwise: an order item
    // (a point per step in certprep) is worth 1 in QTI, all or nothing.
    let max_score =
        if template == Some("match_correct") && matches!(item.body, ItemBody::Order { .. }) {
            warn("scored all or nothing in QTI (certprep gives a point per step in place)".into());
            1
        } else {
            item.max_points()
        };
    out.push_str("  <qti-outcome-declaration identifier=\"SCORE\" cardinality=\"single\" base-type=\"float\"/>\n");
    let _ = writeln!(
        out,
        "  <qti-outcome-declaration identifier=\"MAXSCORE\" cardinality=\"single\" base-type=\"float\"><qti-default-value><qti-value>{}</qti-value></qti-default-value></qti-outcome-declaration>",
        max_score
    );
    out.push_str("  <qti-outcome-declaration identifier=\"FEEDBACK\" cardinality=\"multiple\" base-type=\"identifier\"/>\n");
    out.push_str("  <qti-item-body>\n    ");
    out.push_str(&flow(&stem, &mut |_| None));
    out.push_str("\n    ");
    out.push_str(&interaction);
    out.push_str("\n  </qti-item-body>\n");
    match template {
        Some(t) => {
            let _ = writeln!(
                out,
                "  <qti-response-processing template=\"{TEMPLATES}/{t}.xml\"/>"
            );
        }
        None => {
            out.push_str("  <qti-response-processing>\n    <qti-set-outcome-value identifier=\"SCORE\">\n      <qti-sum>\n");
            for r in &responses {
                let _ = writeln!(out, "        <qti-map-response identifier=\"{}\"/>", r.id);
            }
            out.push_str(
                "      </qti-sum>\n    </qti-set-outcome-value>\n  </qti-response-processing>\n",
            );
        }
    }
    if !item.explanation.trim().is_empty() {
        let _ = writeln!(
            out,
            "  <qti-modal-feedback outcome-identifier=\"FEEDBACK\" identifier=\"EXPLANATION\" show-hide=\"hide\" title=\"Explanation\"><qti-content-body>{}</qti-content-body></qti-modal-feedback>",
            flow(&item.explanation, &mut |_| None)
        );
    }
    out.push_str("</qti-assessment-item>\n");
    out
}

fn file_name(item: &Item) -> String {
    format!("items/{}.xml", identifier(&item.id))
}

/// Which QTI a package is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V30,
    /// QTI 2.1: the 3.0 documents translated ([`super::v21`]).
    V21,
}

pub(crate) fn export(source: &ExportSource<'_>, version: Version) -> Result<Exported, ExportError> {
    let format = match version {
        Version::V30 => Format::Qti,
        Version::V21 => Format::Qti21,
    };
    let write_err = |e: &dyn std::fmt::Display| ExportError::Write {
        format,
        message: e.to_string(),
    };
    // Documents are written as QTI 3.0 and translated for 2.1.
    let in_version = |xml: String| -> Result<String, ExportError> {
        match version {
            Version::V30 => Ok(xml),
            Version::V21 => super::v21::translate(&xml).map_err(|e| write_err(&e)),
        }
    };
    let mut issues = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    // Sections by category, in the order items come.
    let mut sections: Vec<(String, Vec<&Item>)> = Vec::new();
    for item in &source.items {
        let mut warn = |m: String| {
            issues.push(Issue::warning(
                format.name(),
                Pos::default(),
                Some(item.id.clone()),
                m,
            ));
        };
        let xml = item_xml(source, item, &mut warn);
        files.push((file_name(item), in_version(xml)?));
        let category = crate::category_of(item).unwrap_or_else(|| "items".into());
        match sections.iter_mut().find(|(c, _)| *c == category) {
            Some((_, items)) => items.push(item),
            None => sections.push((category, vec![item])),
        }
    }
    let mut test = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        test,
        "<qti-assessment-test xmlns=\"{ITEM_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{ITEM_NS} {SCHEMA}\" identifier=\"certprep-export\" title=\"certprep\">"
    );
    test.push_str("  <qti-test-part identifier=\"part-1\" navigation-mode=\"nonlinear\" submission-mode=\"individual\">\n");
    for (i, (category, items)) in sections.iter().enumerate() {
        let _ = writeln!(
            test,
            "    <qti-assessment-section identifier=\"section-{}\" title=\"{}\" visible=\"true\">",
            i + 1,
            esc(category)
        );
        for item in items {
            let _ = writeln!(
                test,
                "      <qti-assessment-item-ref identifier=\"{}\" href=\"{}\"/>",
                esc(&identifier(&item.id)),
                esc(&file_name(item))
            );
        }
        test.push_str("    </qti-assessment-section>\n");
    }
    test.push_str("  </qti-test-part>\n</qti-assessment-test>\n");
    let test = in_version(test)?;
    let (manifest_head, schema_version, kind) = match version {
        Version::V30 => (
            "<manifest xmlns=\"http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd\" identifier=\"certprep-export-manifest\">".to_string(),
            "3.0.0",
            "v3p0",
        ),
        Version::V21 => (
            format!(
                "<manifest xmlns=\"{}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{}\" identifier=\"certprep-export-manifest\">",
                super::v21::MANIFEST_NS,
                super::v21::MANIFEST_SCHEMA
            ),
            "2.1",
            "v2p1",
        ),
    };
    let mut manifest = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    manifest.push_str(&manifest_head);
    manifest.push('\n');
    let _ = write!(
        manifest,
        "  <metadata>\n    <schema>QTI Package</schema>\n    <schemaversion>{schema_version}</schemaversion>\n  </metadata>\n  <organizations/>\n  <resources>\n"
    );
    let _ = write!(
        manifest,
        "    <resource identifier=\"certprep-export\" type=\"imsqti_test_xml{kind}\" href=\"assessment.xml\">\n      <file href=\"assessment.xml\"/>\n"
    );
    for item in &source.items {
        let _ = writeln!(
            manifest,
            "      <dependency identifierref=\"res-{}\"/>",
            esc(&identifier(&item.id))
        );
    }
    manifest.push_str("    </resource>\n");
    for item in &source.items {
        let _ = writeln!(
            manifest,
            "    <resource identifier=\"res-{0}\" type=\"imsqti_item_xml{kind}\" href=\"{1}\">\n      <file href=\"{1}\"/>\n    </resource>",
            esc(&identifier(&item.id)),
            esc(&file_name(item))
        );
    }
    manifest.push_str("  </resources>\n</manifest>\n");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut add = |name: &str, text: &str| -> Result<(), ExportError> {
        zip.start_file(name, options).map_err(|e| write_err(&e))?;
        zip.write_all(text.as_bytes()).map_err(|e| write_err(&e))
    };
    add("imsmanifest.xml", &manifest)?;
    add("assessment.xml", &test)?;
    for (name, text) in &files {
        add(name, text)?;
    }
    let bytes = zip.finish().map_err(|e| write_err(&e))?.into_inner();
    Ok(Exported {
        bytes,
        items: source.items.len(),
        issues,
    })
}
