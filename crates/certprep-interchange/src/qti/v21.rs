//! QTI 2.1 export: the QTI 3.0 documents [`super::export`] writes, translated element by
//! element. QTI 3.0 renamed QTI 2.1's vocabulary rather than changing its model, so the
//! translation is mechanical: `qti-choice-interaction` → `choiceInteraction`, attributes
//! `response-identifier` → `responseIdentifier`, the QTI 3 `qti-content-body` wrapper of a
//! modal feedback dropped (2.1 puts the content directly inside), the namespaces, schema
//! locations and response-processing template URLs of 2.1. Text, comments and HTML pass
//! through unchanged, so the importer reads a 2.1 export back to the same items.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

use super::xml::camel;

pub const ITEM_NS: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
pub const SCHEMA: &str = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p1.xsd";
pub const TEMPLATES: &str = "http://www.imsglobal.org/question/qti_v2p1/rptemplates";
pub const MANIFEST_NS: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
pub const MANIFEST_SCHEMA: &str = "http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p1.xsd";

/// Translates one QTI 3.0 item or test document written by certprep into QTI 2.1.
pub fn translate(qti3: &str) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_str(qti3);
    let mut writer = Writer::new(Vec::with_capacity(qti3.len()));
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(e) if local(&e) == "qti-content-body" => {}
            Event::End(e) if e.name().as_ref() == b"qti-content-body" => {}
            Event::Start(e) => writer.write_event(Event::Start(element(&e)))?,
            Event::Empty(e) => writer.write_event(Event::Empty(element(&e)))?,
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                writer.write_event(Event::End(quick_xml::events::BytesEnd::new(rename(&name))))?
            }
            other => writer.write_event(other)?,
        }
    }
    Ok(String::from_utf8_lossy(&writer.into_inner()).into_owned())
}

fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

/// `qti-assessment-item` → `assessmentItem`; HTML names unchanged.
fn rename(name: &str) -> String {
    match name.strip_prefix("qti-") {
        Some(rest) => camel(rest),
        None => name.to_string(),
    }
}

/// The element renamed, with its attributes renamed and the 3.0 URLs replaced by 2.1's.
fn element(e: &BytesStart<'_>) -> BytesStart<'static> {
    let name = local(e);
    let qti = name.starts_with("qti-");
    let mut out = BytesStart::new(rename(&name));
    for attr in e.attributes().flatten() {
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
        let key = if qti && !key.contains(':') {
            camel(&key)
        } else {
            key
        };
        let value = match key.as_str() {
            "xmlns" => ITEM_NS.to_string(),
            "xsi:schemaLocation" => format!("{ITEM_NS} {SCHEMA}"),
            "template" => match value.rsplit('/').next() {
                Some(file) => format!("{TEMPLATES}/{}", file.trim_end_matches(".xml")),
                None => value,
            },
            _ => value,
        };
        out.push_attribute((key.as_str(), value.as_str()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_attributes_and_urls_become_qti_21() {
        let qti3 = r#"<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="a1" time-dependent="false">
  <!-- certprep difficulty: 3 -->
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>
  <qti-item-body><p>Which &amp; why?</p><qti-choice-interaction response-identifier="RESPONSE" max-choices="1"><qti-simple-choice identifier="A">Yes<qti-feedback-inline outcome-identifier="FEEDBACK" identifier="A" show-hide="show">Because.</qti-feedback-inline></qti-simple-choice></qti-choice-interaction></qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>
  <qti-modal-feedback outcome-identifier="FEEDBACK" identifier="EXPLANATION" show-hide="hide"><qti-content-body><p>Why.</p></qti-content-body></qti-modal-feedback>
</qti-assessment-item>"#;
        let out = translate(qti3).expect("translates");
        for expected in [
            "<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\"",
            "timeDependent=\"false\"",
            "<!-- certprep difficulty: 3 -->",
            "<responseDeclaration identifier=\"RESPONSE\" cardinality=\"single\" baseType=\"identifier\"><correctResponse><value>A</value></correctResponse></responseDeclaration>",
            "<p>Which &amp; why?</p><choiceInteraction responseIdentifier=\"RESPONSE\" maxChoices=\"1\">",
            "<feedbackInline outcomeIdentifier=\"FEEDBACK\" identifier=\"A\" showHide=\"show\">Because.</feedbackInline>",
            "<responseProcessing template=\"http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct\"/>",
            "<modalFeedback outcomeIdentifier=\"FEEDBACK\" identifier=\"EXPLANATION\" showHide=\"hide\"><p>Why.</p></modalFeedback>",
        ] {
            assert!(out.contains(expected), "missing {expected}\n{out}");
        }
        assert!(!out.contains("qti-"), "{out}");
    }
}
