//! A small XML tree for QTI documents, read with quick-xml. Names are normalised so that
//! QTI 2.x and 3.0 read alike: the namespace prefix is dropped, and a QTI 3 `qti-kebab-case`
//! element becomes the QTI 2 `camelCase` name (`qti-choice-interaction` → `choiceInteraction`)
//! with its attributes (`response-identifier` → `responseIdentifier`). HTML elements and
//! their attributes are kept as written.

use quick_xml::events::{BytesStart, Event};

use crate::ImportError;
use crate::text::pos_at;

#[derive(Debug, Default, Clone)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// Byte offset of the start tag in the source.
    pub offset: usize,
    /// Whether the source wrote a QTI 3 `qti-` name.
    pub qti3: bool,
}

#[derive(Debug, Clone)]
pub enum Node {
    El(El),
    Text(String),
    Comment(String),
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn children(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|n| match n {
            Node::El(e) => Some(e),
            _ => None,
        })
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children().filter(move |e| e.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&El> {
        self.children().find(|e| e.name == name)
    }

    /// Every element below this one (depth first, document order) whose name satisfies `f`.
    pub fn find_all<'a>(&'a self, f: &dyn Fn(&El) -> bool, out: &mut Vec<&'a El>) {
        for c in self.children() {
            if f(c) {
                out.push(c);
            }
            c.find_all(f, out);
        }
    }

    /// All the text inside, elements included, whitespace as written.
    pub fn deep_text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::El(e) => out.push_str(&e.deep_text()),
                Node::Comment(_) => {}
            }
        }
        out
    }

    pub fn comments(&self) -> impl Iterator<Item = &str> {
        self.children.iter().filter_map(|n| match n {
            Node::Comment(c) => Some(c.as_str()),
            _ => None,
        })
    }
}

/// `qti-choice-interaction` → `choiceInteraction`; other names unchanged.
fn normalise(name: &str) -> (String, bool) {
    match name.strip_prefix("qti-") {
        Some(rest) => (camel(rest), true),
        None => (name.to_string(), false),
    }
}

pub(crate) fn camel(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    let mut upper = false;
    for c in kebab.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn element(s: &BytesStart<'_>, offset: usize) -> Result<El, String> {
    let raw = String::from_utf8_lossy(s.name().local_name().as_ref()).into_owned();
    let (name, qti3) = normalise(&raw);
    let mut attrs = Vec::new();
    for a in s.attributes().with_checks(false) {
        let a = a.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        let key = if qti3 { camel(&key) } else { key };
        let value = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
        attrs.push((key, value));
    }
    Ok(El {
        name,
        attrs,
        children: vec![],
        offset,
        qti3,
    })
}

/// The document's root element, or a syntax error at its position.
pub fn parse(file: &str, source: &str) -> Result<El, ImportError> {
    let mut reader = quick_xml::Reader::from_str(source);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(offset);
            ImportError::syntax(file, pos_at(source, at), format!("malformed XML: {e}"))
        })?;
        let bad = |e: &dyn std::fmt::Display| {
            ImportError::syntax(file, pos_at(source, offset), format!("malformed XML: {e}"))
        };
        let push = |stack: &mut Vec<El>, node: Node| {
            if let Some(top) = stack.last_mut() {
                top.children.push(node);
            }
        };
        match event {
            Event::Start(s) => {
                let el = element(&s, offset).map_err(|e| bad(&e))?;
                if stack.len() > 256 {
                    return Err(bad(&"elements nested more than 256 deep"));
                }
                stack.push(el);
            }
            Event::Empty(s) => {
                let el = element(&s, offset).map_err(|e| bad(&e))?;
                push(&mut stack, Node::El(el));
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(bad(&"a closing tag closes nothing"));
                }
                if let Some(done) = stack.pop() {
                    push(&mut stack, Node::El(done));
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| bad(&e))?;
                push(&mut stack, Node::Text(s.into_owned()));
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| bad(&e))?;
                push(&mut stack, Node::Text(s.into_owned()));
            }
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| bad(&e))?;
                        crate::text::decode_entities(&format!("&{name};"))
                    }
                };
                push(&mut stack, Node::Text(s));
            }
            Event::Comment(c) => {
                let s = c.decode().map_err(|e| bad(&e))?;
                push(&mut stack, Node::Comment(s.trim().to_string()));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() != 1 {
        return Err(ImportError::syntax(
            file,
            pos_at(source, source.len()),
            format!(
                "unclosed element `<{}>`",
                stack.last().map_or("", |e| e.name.as_str())
            ),
        ));
    }
    let doc = stack.pop().unwrap_or_default();
    doc.children()
        .next()
        .cloned()
        .ok_or_else(|| ImportError::Unrecognised {
            file: file.to_string(),
            message: "the file holds no XML element".into(),
        })
}

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// HTML for a list of nodes, each element passed to `special` first: `Some(html)` replaces
/// it, `None` writes it as it is (its children through `special` too).
pub fn html(nodes: &[Node], special: &mut dyn FnMut(&El) -> Option<String>) -> String {
    let mut out = String::new();
    write_html(nodes, special, &mut out);
    out
}

/// HTML elements written without a closing tag.
const VOID: [&str; 6] = ["br", "img", "hr", "col", "source", "area"];

fn write_html(nodes: &[Node], special: &mut dyn FnMut(&El) -> Option<String>, out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(&esc(t)),
            Node::Comment(_) => {}
            Node::El(e) => {
                if let Some(replacement) = special(e) {
                    out.push_str(&replacement);
                    continue;
                }
                out.push('<');
                out.push_str(&e.name);
                for (k, v) in &e.attrs {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    out.push_str(&esc(v));
                    out.push('"');
                }
                if e.children.is_empty() && VOID.contains(&e.name.as_str()) {
                    out.push_str("/>");
                    continue;
                }
                out.push('>');
                write_html(&e.children, special, out);
                out.push_str("</");
                out.push_str(&e.name);
                out.push('>');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qti3_names_read_as_qti2() {
        let root = parse(
            "t.xml",
            "<qti-assessment-item identifier=\"a\"><qti-item-body><qti-choice-interaction response-identifier=\"R\" max-choices=\"1\"/></qti-item-body></qti-assessment-item>",
        )
        .expect("parses");
        assert_eq!(root.name, "assessmentItem");
        let body = root.child("itemBody").expect("body");
        let ci = body.child("choiceInteraction").expect("interaction");
        assert_eq!(ci.attr("responseIdentifier"), Some("R"));
        assert_eq!(ci.attr("maxChoices"), Some("1"));
    }
}
