//! Moodle XML (<https://docs.moodle.org/en/Moodle_XML_format>), read with quick-xml.
//!
//! | Moodle `type` | certprep |
//! |---|---|
//! | `multichoice` | `single` (`<single>true</single>`, or one answer at 100%) or `multiple` (answers with a positive fraction) |
//! | `truefalse` | `dropdown` with the choices True and False |
//! | `matching` / `match` | `match` (a subquestion without text is an unused source) |
//! | `ordering` | `order` (each answer's `fraction` is its position) |
//! | `gapselect`, `ddwtos` | `dropdown` (each `[[n]]` gap a slot holding its group's choices) |
//! | `cloze` / `multianswer` | `dropdown` when every gap is a MULTICHOICE one |
//! | `category` | the category heading of the items that follow |
//! | shortanswer, numerical, essay, description, calculated*, ddimageortext, ddmarker, random | not imported, reported |
//!
//! Text in `html` or `moodle_auto_format` becomes Markdown; embedded files (`<file>`,
//! `<image_base64>`) are dropped with a warning. Partial credit is approximated. Export writes
//! Markdown text fields and keeps certprep's own fields in `<!-- certprep … -->` comments.

use std::fmt::Write as _;

use certprep_bank::syntax::Pos;
use certprep_domain::{Item, ItemBody};
use quick_xml::events::Event;

use crate::gift::{apply_field, reference_text};
use crate::native::{Body, Draft, Opt};
use crate::text::{html_to_markdown, looks_like_html, one_line, pos_at};
use crate::{ExportError, ExportSource, Exported, ImportError, Issue};

#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    offset: usize,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
    Comment(String),
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn children(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|n| match n {
            Node::El(e) => Some(e),
            _ => None,
        })
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children().filter(move |e| e.name == name)
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.children().find(|e| e.name == name)
    }

    /// The text directly inside.
    fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// `<name><text>…</text></name>`, or the element's own text.
    fn text_of(&self, name: &str) -> Option<String> {
        let c = self.child(name)?;
        Some(c.child("text").map_or_else(|| c.text(), El::text))
    }

    fn comments(&self) -> impl Iterator<Item = &str> {
        self.children.iter().filter_map(|n| match n {
            Node::Comment(c) => Some(c.as_str()),
            _ => None,
        })
    }
}

fn entity_text(name: &str) -> String {
    crate::text::decode_entities(&format!("&{name};"))
}

fn parse_xml(file: &str, source: &str) -> Result<El, ImportError> {
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
        match event {
            Event::Start(s) => {
                let el = element(&s, offset).map_err(|e| bad(&e))?;
                stack.push(el);
            }
            Event::Empty(s) => {
                let el = element(&s, offset).map_err(|e| bad(&e))?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::El(el));
                }
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(ImportError::syntax(
                        file,
                        pos_at(source, offset),
                        "a closing tag closes nothing",
                    ));
                }
                if let (Some(done), Some(parent)) = (stack.pop(), stack.last_mut()) {
                    parent.children.push(Node::El(done));
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| bad(&e))?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Text(s.into_owned()));
                }
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| bad(&e))?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Text(s.into_owned()));
                }
            }
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c.to_string(),
                    None => entity_text(&r.decode().map_err(|e| bad(&e))?),
                };
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Text(s));
                }
            }
            Event::Comment(c) => {
                let s = c.decode().map_err(|e| bad(&e))?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Comment(s.trim().to_string()));
                }
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
    Ok(stack.pop().unwrap_or_default())
}

fn element(s: &quick_xml::events::BytesStart<'_>, offset: usize) -> Result<El, String> {
    let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
        attrs.push((key, value));
    }
    Ok(El {
        name,
        attrs,
        children: vec![],
        offset,
    })
}

/// A Moodle text field as Markdown: `<X format="…"><text>…</text></X>`.
fn field(q: &El, name: &str) -> String {
    let Some(el) = q.child(name) else {
        return String::new();
    };
    let format = el.attr("format").unwrap_or("html");
    let text = el.child("text").map_or_else(|| el.text(), El::text);
    convert(&text, format)
}

fn convert(text: &str, format: &str) -> String {
    match format {
        "markdown" => text.trim().to_string(),
        "plain_text" => text.trim().to_string(),
        "moodle_auto_format" if !looks_like_html(text) => text.trim().to_string(),
        _ => html_to_markdown(text),
    }
}

fn fraction(a: &El) -> f64 {
    a.attr("fraction")
        .and_then(|f| f.trim().parse().ok())
        .unwrap_or(0.0)
}

pub(crate) fn drafts(
    file: &str,
    source: &str,
    issues: &mut Vec<Issue>,
) -> Result<Vec<Draft>, ImportError> {
    let root = parse_xml(file, source)?;
    let top = root
        .children()
        .next()
        .ok_or_else(|| ImportError::Unrecognised {
            file: file.to_string(),
            message: "the file holds no XML element".into(),
        })?;
    let questions: Vec<&El> = match top.name.as_str() {
        "quiz" => top.all("question").collect(),
        // Moodle's ordering fixture is a bare <question> without <quiz>.
        "question" => vec![top],
        other => {
            return Err(ImportError::Unrecognised {
                file: file.to_string(),
                message: format!(
                    "expected Moodle XML (`<quiz>` with `<question>` elements), found `<{other}>`"
                ),
            });
        }
    };
    let mut category: Option<String> = None;
    let mut out = Vec::new();
    let index = crate::text::LineIndex::new(source);
    for q in questions {
        let pos = index.pos(q.offset);
        let qtype = q.attr("type").unwrap_or("");
        if qtype == "category" {
            category = q.text_of("category").map(|c| one_line(&c));
            continue;
        }
        let name = q
            .text_of("name")
            .map(|n| one_line(&n))
            .filter(|n| !n.is_empty());
        let label = name.clone().map(|n| format!("`{n}`"));
        let mut warn = |m: String| issues.push(Issue::warning(file, pos, label.clone(), m));
        let stem = field(q, "questiontext");
        let result = match qtype {
            "multichoice" => multichoice(q, &stem, &mut warn),
            "truefalse" => truefalse(q, &stem),
            "matching" | "match" => matching(q, &stem),
            "ordering" => ordering(q, &stem),
            "gapselect" | "ddwtos" => gapselect(q, &stem),
            "cloze" | "multianswer" => cloze(q, &stem),
            other => Err(format!(
                "{} question not imported: certprep has no item type for it",
                if other.is_empty() { "untyped" } else { other }
            )),
        };
        let body = match result {
            Ok(b) => b,
            Err(m) => {
                let severity_error = m.starts_with("invalid");
                let issue = if severity_error {
                    Issue::error
                } else {
                    Issue::warning
                };
                issues.push(issue(file, pos, label.clone(), m));
                continue;
            }
        };
        let files = count_files(q);
        if files > 0 {
            issues.push(Issue::warning(
                file,
                pos,
                label.clone(),
                format!("{files} embedded file(s) dropped: save them beside the bank and fix the image paths"),
            ));
        }
        let (stem, body) = body;
        let mut d = Draft::new(pos, stem, body);
        d.name = name;
        d.id = q
            .text_of("idnumber")
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty());
        d.category = category.clone();
        d.explanation = field(q, "generalfeedback");
        d.tags = q
            .child("tags")
            .map(|t| {
                t.all("tag")
                    .filter_map(|t| t.text_of("text").or_else(|| Some(t.text())))
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(s) = q.child("shuffleanswers").map(El::text) {
            let s = s.trim();
            if s == "0" || s == "false" {
                d.meta.shuffle = Some(false);
            }
        }
        for c in q.comments() {
            if let Some(rest) = c.strip_prefix("certprep ")
                && let Some((k, v)) = rest.split_once(':')
                && let Err(m) = apply_field(&mut d.meta, &mut d.references, k.trim(), v.trim())
            {
                issues.push(Issue::warning(file, pos, d.name.clone(), m));
            }
        }
        out.push(d);
    }
    Ok(out)
}

fn count_files(el: &El) -> usize {
    el.children()
        .map(|c| usize::from(c.name == "file" || c.name == "image_base64") + count_files(c))
        .sum()
}

type Parsed = Result<(String, Body), String>;

fn multichoice(q: &El, stem: &str, warn: &mut dyn FnMut(String)) -> Parsed {
    let single = q.child("single").map(|s| s.text().trim().to_string());
    let answers: Vec<&El> = q.all("answer").collect();
    let mut options = Vec::new();
    let mut partial = Vec::new();
    let single = match single.as_deref() {
        Some("true" | "1") => true,
        Some(_) => false,
        None => answers.iter().any(|a| fraction(a) >= 99.99),
    };
    for a in &answers {
        let f = fraction(a);
        let format = a.attr("format").unwrap_or("html");
        let text = convert(&a.text_of("text").unwrap_or_default(), format);
        let feedback = a
            .child("feedback")
            .map(|fb| {
                convert(
                    &fb.child("text").map_or_else(|| fb.text(), El::text),
                    fb.attr("format").unwrap_or("html"),
                )
            })
            .unwrap_or_default();
        let correct = if single { f >= 99.99 } else { f > 0.0 };
        if single && f > 0.0 && f < 99.99 {
            partial.push(format!("`{}` ({f}%)", one_line(&text)));
        }
        options.push(Opt::new(text, correct, feedback));
    }
    if !partial.is_empty() {
        warn(format!(
            "partial credit dropped: {} counted as wrong",
            partial.join(", ")
        ));
    }
    if !single {
        let positive: Vec<f64> = answers
            .iter()
            .map(|a| fraction(a))
            .filter(|f| *f > 0.0)
            .collect();
        if positive.windows(2).any(|w| (w[0] - w[1]).abs() > 0.01) {
            warn("uneven fractions approximated: each answer with a positive fraction is a key worth one point".into());
        }
    }
    if options.iter().filter(|o| o.correct).count() == 1 && options.len() == 2 {
        warn("two options only: imported as a drop-down (a `single` item needs three)".into());
        return Ok((
            format!("{}\n\n{{{{1}}}}", stem.trim_end()),
            Body::Dropdown(vec![options]),
        ));
    }
    Ok((stem.to_string(), Body::Choice(options)))
}

fn truefalse(q: &El, stem: &str) -> Parsed {
    let mut t = Opt::new("True", false, "");
    let mut f = Opt::new("False", false, "");
    for a in q.all("answer") {
        let text = a
            .text_of("text")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let fb = a
            .child("feedback")
            .map(|fb| {
                convert(
                    &fb.child("text").map_or_else(|| fb.text(), El::text),
                    fb.attr("format").unwrap_or("html"),
                )
            })
            .unwrap_or_default();
        let target = if text == "true" { &mut t } else { &mut f };
        target.correct = fraction(a) >= 99.99;
        target.note = fb;
    }
    Ok((
        format!("{}\n\n{{{{1}}}}", stem.trim_end()),
        Body::Dropdown(vec![vec![t, f]]),
    ))
}

fn matching(q: &El, stem: &str) -> Parsed {
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut targets = Vec::new();
    for sq in q.all("subquestion") {
        let format = sq.attr("format").unwrap_or("html");
        let text = convert(&sq.text_of("text").unwrap_or_else(|| sq.text()), format);
        let answer = one_line(
            &sq.child("answer")
                .map(|a| a.text_of("text").unwrap_or_else(|| a.text()))
                .unwrap_or_default(),
        );
        let idx = match sources.iter().position(|(s, _)| *s == answer) {
            Some(i) => i,
            None => {
                sources.push((answer, String::new()));
                sources.len() - 1
            }
        };
        if !text.trim().is_empty() {
            targets.push((text, idx, String::new()));
        }
    }
    Ok((stem.to_string(), Body::Match { sources, targets }))
}

fn ordering(q: &El, stem: &str) -> Parsed {
    let mut answers: Vec<(f64, String)> = q
        .all("answer")
        .map(|a| {
            (
                fraction(a),
                convert(
                    &a.text_of("text").unwrap_or_default(),
                    a.attr("format").unwrap_or("html"),
                ),
            )
        })
        .collect();
    answers.sort_by(|a, b| a.0.total_cmp(&b.0));
    let actions = answers
        .into_iter()
        .enumerate()
        .map(|(i, (_, t))| {
            (
                t,
                Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                String::new(),
            )
        })
        .collect();
    Ok((stem.to_string(), Body::Order(actions)))
}

/// `[[n]]` gaps: choice n is right, and the gap offers every choice of its group.
fn gapselect(q: &El, stem: &str) -> Parsed {
    let choices: Vec<(String, String)> = q
        .children()
        .filter(|c| c.name == "selectoption" || c.name == "dragbox")
        .map(|c| {
            let text = html_to_markdown(&c.text_of("text").unwrap_or_default());
            let group = c
                .child("group")
                .map(|g| g.text().trim().to_string())
                .unwrap_or_else(|| "1".into());
            (text, group)
        })
        .collect();
    let mut out = String::new();
    let mut rest = stem;
    let mut slots = Vec::new();
    while let Some(start) = rest.find("[[") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else { break };
        let Ok(n) = after[..end].trim().parse::<usize>() else {
            out.push_str(&rest[..start + 2]);
            rest = after;
            continue;
        };
        let (right, group) = choices
            .get(n.wrapping_sub(1))
            .ok_or_else(|| format!("invalid gap [[{n}]]: there are {} choices", choices.len()))?;
        let options: Vec<Opt> = choices
            .iter()
            .filter(|(_, g)| g == group)
            .map(|(t, _)| Opt::new(t.clone(), t == right, ""))
            .collect();
        out.push_str(&rest[..start]);
        slots.push(options);
        let _ = write!(out, "{{{{{}}}}}", slots.len());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if slots.is_empty() {
        return Err("invalid gap-select question: no `[[n]]` gap in the text".into());
    }
    Ok((out, Body::Dropdown(slots)))
}

/// Cloze: `{1:MULTICHOICE:=right#fb~wrong#fb}`; only choice gaps are representable.
fn cloze(q: &El, stem: &str) -> Parsed {
    let mut out = String::new();
    let mut slots = Vec::new();
    let mut rest = stem;
    while let Some(start) = find_cloze(rest) {
        let after = &rest[start + 1..];
        let Some(end) = unescaped(after, '}') else {
            return Err("invalid cloze: a `{` gap is not closed".into());
        };
        let spec = &after[..end];
        let mut parts = spec.splitn(3, ':');
        let (_, kind, answers) = (
            parts.next(),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let kind = kind.to_ascii_uppercase();
        let choice = matches!(
            kind.as_str(),
            "MULTICHOICE"
                | "MC"
                | "MULTICHOICE_V"
                | "MCV"
                | "MULTICHOICE_H"
                | "MCH"
                | "MULTICHOICE_S"
                | "MCS"
                | "MULTICHOICE_VS"
                | "MCVS"
                | "MULTICHOICE_HS"
                | "MCHS"
        );
        if !choice {
            return Err(format!(
                "cloze question with a {kind} gap not imported: certprep drop-downs hold choice gaps only"
            ));
        }
        let mut options = Vec::new();
        for (i, part) in split_unescaped(answers, '~').into_iter().enumerate() {
            let (correct, body) = if let Some(b) = part.strip_prefix('=') {
                (true, b)
            } else if let Some(b) = part.strip_prefix('%') {
                let (w, b) = b.split_once('%').unwrap_or(("0", b));
                (w.parse::<f64>().unwrap_or(0.0) >= 99.99, b)
            } else {
                (false, part.as_str())
            };
            let (text, note) = match unescaped(body, '#') {
                Some(h) => (&body[..h], &body[h + 1..]),
                None => (body, ""),
            };
            if text.trim().is_empty() && i > 0 {
                continue;
            }
            options.push(Opt::new(
                cloze_unescape(text.trim()),
                correct,
                cloze_unescape(note.trim()),
            ));
        }
        out.push_str(&rest[..start]);
        slots.push(options);
        let _ = write!(out, "{{{{{}}}}}", slots.len());
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    if slots.is_empty() {
        return Err("invalid cloze question: no `{n:TYPE:…}` gap in the text".into());
    }
    let _ = q;
    Ok((out, Body::Dropdown(slots)))
}

/// The next `{` that opens a cloze gap (`{1:` or `{:`).
fn find_cloze(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find('{') {
        let at = from + i;
        let after = &s[at + 1..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if after[digits..].starts_with(':') && (at == 0 || !s[..at].ends_with('\\')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn unescaped(s: &str, c: char) -> Option<usize> {
    let mut escaped = false;
    for (i, ch) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if ch == '\\' {
            escaped = true;
        } else if ch == c {
            return Some(i);
        }
    }
    None
}

fn split_unescaped(s: &str, c: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = unescaped(rest, c) {
        out.push(rest[..i].to_string());
        rest = &rest[i + c.len_utf8()..];
    }
    out.push(rest.to_string());
    out
}

fn cloze_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn cloze_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "}#~/\"\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Export

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

fn text_field(out: &mut String, name: &str, text: &str) {
    let _ = writeln!(
        out,
        "    <{name} format=\"markdown\"><text>{}</text></{name}>",
        esc(text)
    );
}

fn answer(out: &mut String, fraction: &str, text: &str, note: &str) {
    let _ = writeln!(
        out,
        "    <answer fraction=\"{fraction}\" format=\"markdown\"><text>{}</text><feedback format=\"markdown\"><text>{}</text></feedback></answer>",
        esc(text),
        esc(note)
    );
}

fn fraction_of(choose: u32) -> String {
    let w = 100.0 / f64::from(choose.max(1));
    let s = format!("{w:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn open(out: &mut String, qtype: &str, item: &Item, stem: &str) {
    let _ = writeln!(out, "  <question type=\"{qtype}\">");
    let _ = writeln!(out, "    <!-- certprep difficulty: {} -->", item.difficulty);
    let _ = writeln!(out, "    <!-- certprep reviewed: {} -->", item.reviewed);
    if item.version > 1 {
        let _ = writeln!(out, "    <!-- certprep version: {} -->", item.version);
    }
    if let ItemBody::Match { reuse: true, .. } = item.body {
        let _ = writeln!(out, "    <!-- certprep reuse: yes -->");
    }
    if !item.shuffle {
        let _ = writeln!(out, "    <!-- certprep shuffle: no -->");
    }
    for (o, ids) in &item.objectives {
        let _ = writeln!(
            out,
            "    <!-- certprep {o}: {} -->",
            ids.join(", ").replace("--", "- -")
        );
    }
    for r in &item.references {
        let _ = writeln!(
            out,
            "    <!-- certprep reference: {} -->",
            one_line(&reference_text(r)).replace("--", "%2D%2D")
        );
    }
    let _ = writeln!(out, "    <name><text>{}</text></name>", esc(&item.id));
    text_field(out, "questiontext", stem);
    text_field(out, "generalfeedback", &item.explanation);
    let _ = writeln!(
        out,
        "    <defaultgrade>{}</defaultgrade>",
        item.max_points()
    );
    let _ = writeln!(out, "    <penalty>0</penalty>\n    <hidden>0</hidden>");
    let _ = writeln!(out, "    <idnumber>{}</idnumber>", esc(&item.id));
    if qtype == "multichoice" || qtype == "matching" || qtype == "ordering" {
        let _ = writeln!(
            out,
            "    <shuffleanswers>{}</shuffleanswers>",
            if item.shuffle { "true" } else { "false" }
        );
    }
}

fn close(out: &mut String, item: &Item) {
    if !item.tags.is_empty() {
        out.push_str("    <tags>\n");
        for t in &item.tags {
            let _ = writeln!(out, "      <tag><text>{}</text></tag>", esc(t));
        }
        out.push_str("    </tags>\n");
    }
    out.push_str("  </question>\n");
}

pub(crate) fn export(source: &ExportSource<'_>) -> Result<Exported, ExportError> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Exported by certprep: text fields are Markdown. -->\n<quiz>\n",
    );
    let mut issues = Vec::new();
    let mut last_category = None;
    for item in &source.items {
        let category = crate::category_of(item);
        if category.is_some() && category != last_category {
            let _ = writeln!(
                out,
                "  <question type=\"category\"><category><text>$course$/top/{}</text></category></question>",
                esc(&category.clone().unwrap_or_default())
            );
            last_category = category;
        }
        let stem = source.full_stem(item);
        if let Some(certprep_domain::item::Membership::CaseStudy(id)) = &item.group {
            issues.push(Issue::warning(
                "moodle-xml",
                Pos::default(),
                Some(item.id.clone()),
                format!("item of case study `{id}`: the case study's title and tabs are written before its stem"),
            ));
        }
        let warn = |m: &str| Issue::warning("moodle-xml", Pos::default(), Some(item.id.clone()), m);
        match &item.body {
            ItemBody::Single { options } => {
                open(&mut out, "multichoice", item, &stem);
                out.push_str(
                    "    <single>true</single>\n    <answernumbering>ABCD</answernumbering>\n",
                );
                for o in options {
                    answer(
                        &mut out,
                        if o.correct { "100" } else { "0" },
                        &o.text,
                        &o.note,
                    );
                }
            }
            ItemBody::Multiple { choose, options } => {
                open(&mut out, "multichoice", item, &stem);
                out.push_str(
                    "    <single>false</single>\n    <answernumbering>ABCD</answernumbering>\n",
                );
                let w = fraction_of(*choose);
                for o in options {
                    answer(
                        &mut out,
                        if o.correct { &w } else { "-100" },
                        &o.text,
                        &o.note,
                    );
                }
            }
            ItemBody::Order { actions } => {
                let mut used: Vec<_> = actions
                    .iter()
                    .filter_map(|a| a.position.map(|p| (p, a)))
                    .collect();
                used.sort_by_key(|(p, _)| *p);
                if used.len() < actions.len() {
                    issues.push(warn("actions outside the answer dropped: Moodle ordering questions use every item"));
                }
                open(&mut out, "ordering", item, &stem);
                for (p, a) in used {
                    answer(&mut out, &p.to_string(), &a.text, "");
                }
            }
            ItemBody::Match {
                sources, targets, ..
            } => {
                if sources.iter().any(|s| !s.note.trim().is_empty())
                    || targets.iter().any(|t| !t.note.trim().is_empty())
                {
                    issues.push(warn("notes on sources and targets dropped: Moodle matching has no per-answer feedback"));
                }
                open(&mut out, "matching", item, &stem);
                let text_of = |k: char| {
                    sources
                        .iter()
                        .find(|s| s.label == k)
                        .map(|s| s.text.as_str())
                        .unwrap_or("")
                };
                for t in targets {
                    let _ = writeln!(
                        out,
                        "    <subquestion format=\"markdown\"><text>{}</text><answer><text>{}</text></answer></subquestion>",
                        esc(&t.text),
                        esc(text_of(t.key))
                    );
                }
                for s in sources
                    .iter()
                    .filter(|s| targets.iter().all(|t| t.key != s.label))
                {
                    let _ = writeln!(
                        out,
                        "    <subquestion format=\"markdown\"><text></text><answer><text>{}</text></answer></subquestion>",
                        esc(&s.text)
                    );
                }
            }
            ItemBody::Dropdown { slots } => {
                let mut text = stem.clone();
                for slot in slots {
                    let gap: Vec<String> = slot
                        .choices
                        .iter()
                        .map(|c| {
                            let mark = if c.correct { "=" } else { "" };
                            let note = if c.note.trim().is_empty() {
                                String::new()
                            } else {
                                format!("#{}", cloze_escape(&one_line(&c.note)))
                            };
                            format!("{mark}{}{note}", cloze_escape(&c.text))
                        })
                        .collect();
                    text = text.replace(
                        &format!("{{{{{}}}}}", slot.number),
                        &format!("{{1:MULTICHOICE:{}}}", gap.join("~")),
                    );
                }
                open(&mut out, "multianswer", item, &text);
            }
            ItemBody::YesNo { statements } => {
                issues.push(warn(
                    "yes/no grid written as a cloze question with a Yes/No drop-down per statement",
                ));
                let mut text = stem.clone();
                for s in statements {
                    let note = if s.note.trim().is_empty() {
                        String::new()
                    } else {
                        format!("#{}", cloze_escape(&one_line(&s.note)))
                    };
                    let (y, n) = if s.answer { ("=", "") } else { ("", "=") };
                    let _ = write!(
                        text,
                        "\n\n{} {{1:MULTICHOICE:{y}Yes{note}~{n}No{note}}}",
                        s.text
                    );
                }
                open(&mut out, "multianswer", item, &text);
            }
            ItemBody::Solution { statement } => {
                let text = format!(
                    "{stem}\n\n**Solution:** {}\n\nDoes the solution meet the goal?",
                    statement.text
                );
                open(&mut out, "truefalse", item, &text);
                answer(
                    &mut out,
                    if statement.answer { "100" } else { "0" },
                    "true",
                    &statement.note,
                );
                answer(
                    &mut out,
                    if statement.answer { "0" } else { "100" },
                    "false",
                    &statement.note,
                );
            }
        }
        close(&mut out, item);
    }
    out.push_str("</quiz>\n");
    Ok(Exported {
        bytes: out.into_bytes(),
        items: source.items.len(),
        issues,
    })
}
