//! Anki text files (<https://docs.ankiweb.net/importing/text-files.html>).
//!
//! **Import.** Header lines `#separator:`, `#html:`, `#tags:`, `#columns:`, `#notetype:`,
//! `#deck:`, `#tags column:N`, `#deck column:N`, `#notetype column:N`, `#guid column:N` (and a
//! legacy `tags:` first line) are read; other `#` lines are comments. The separator is
//! guessed (tab, semicolon, comma) when not given. A flashcard has no options, so each note
//! becomes a `single` item: its front is the question, its back the key, and three other
//! notes' backs the distractors, each with the note "the answer to «front»" (reported as an
//! approximation). A file with fewer than four different backs cannot give distractors and
//! its notes are refused with that reason. Rows with fewer than two fields, or an empty front
//! or back, are refused; extra fields are reported and ignored.
//!
//! **Export.** One Basic note per item: the front holds the stem and the lettered options,
//! the back the key, the notes and the explanation (HTML), with the item's tags and its id
//! as the note's GUID, so re-importing an updated export into Anki updates the notes.

use std::fmt::Write as _;

use certprep_bank::syntax::Pos;
use certprep_domain::{Item, ItemBody};

use crate::native::{Body, Draft, Opt};
use crate::text::{html_to_markdown, looks_like_html, markdown_to_html, one_line};
use crate::{ExportSource, Exported, ImportError, Issue};

struct Header {
    separator: Option<char>,
    html: Option<bool>,
    tags: Vec<String>,
    tags_column: Option<usize>,
    deck_column: Option<usize>,
    notetype_column: Option<usize>,
    guid_column: Option<usize>,
    columns: Vec<String>,
}

fn separator(v: &str) -> Option<char> {
    Some(match v.trim().to_ascii_lowercase().as_str() {
        "comma" => ',',
        "semicolon" => ';',
        "tab" => '\t',
        "space" => ' ',
        "pipe" => '|',
        "colon" => ':',
        other => {
            let mut c = other.chars();
            let first = c.next()?;
            if c.next().is_some() {
                return None;
            }
            first
        }
    })
}

fn column(v: &str) -> Option<usize> {
    v.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
}

pub(crate) fn drafts(
    file: &str,
    source: &str,
    issues: &mut Vec<Issue>,
) -> Result<Vec<Draft>, ImportError> {
    let mut header = Header {
        separator: None,
        html: None,
        tags: vec![],
        tags_column: None,
        deck_column: None,
        notetype_column: None,
        guid_column: None,
        columns: vec![],
    };
    let mut rows: Vec<(u32, &str)> = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(rest) = line.strip_prefix('#') {
            if let Some((k, v)) = rest.split_once(':') {
                match k.trim() {
                    "separator" => {
                        header.separator = separator(v);
                        if header.separator.is_none() {
                            return Err(ImportError::syntax(
                                file,
                                Pos::new(no, 12),
                                format!("unknown separator `{}`", v.trim()),
                            ));
                        }
                    }
                    "html" => header.html = Some(v.trim() == "true"),
                    "tags" => header.tags = v.split_whitespace().map(str::to_string).collect(),
                    "columns" => {
                        header.columns = v
                            .split(['\t', ',', ';'])
                            .map(|c| c.trim().to_string())
                            .collect()
                    }
                    "tags column" => header.tags_column = column(v),
                    "deck column" => header.deck_column = column(v),
                    "notetype column" => header.notetype_column = column(v),
                    "guid column" => header.guid_column = column(v),
                    _ => {}
                }
            }
            continue;
        }
        if i == 0
            && let Some(tags) = line.strip_prefix("tags:")
        {
            header.tags = tags.split_whitespace().map(str::to_string).collect();
            continue;
        }
        if !line.trim().is_empty() {
            rows.push((no, line));
        }
    }
    if rows.is_empty() {
        return Err(ImportError::Unrecognised {
            file: file.to_string(),
            message: "no note found: expected one note per line, fields separated by tabs".into(),
        });
    }
    let sep = header.separator.unwrap_or_else(|| {
        let count = |c: char| rows.iter().filter(|(_, l)| l.contains(c)).count();
        [('\t', count('\t')), (';', count(';')), (',', count(','))]
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map_or('\t', |(c, _)| c)
    });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(u8::try_from(sep).unwrap_or(b'\t'))
        .has_headers(false)
        .flexible(true)
        .quoting(sep != '\t')
        .from_reader(
            rows.iter()
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n")
                .as_bytes()
                .to_vec()
                .as_slice(),
        )
        .into_records()
        .collect::<Vec<_>>();
    let special: Vec<usize> = [
        header.tags_column,
        header.deck_column,
        header.notetype_column,
        header.guid_column,
    ]
    .into_iter()
    .flatten()
    .collect();
    let html = header.html.unwrap_or(true);
    let mut notes = Vec::new();
    for ((no, _), record) in rows.iter().zip(reader.drain(..)) {
        let pos = Pos::new(*no, 1);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                issues.push(Issue::error(
                    file,
                    pos,
                    None,
                    format!("not imported: malformed line: {e}"),
                ));
                continue;
            }
        };
        let fields: Vec<&str> = record.iter().collect();
        let content: Vec<&str> = fields
            .iter()
            .enumerate()
            .filter(|(i, _)| !special.contains(i))
            .map(|(_, f)| *f)
            .collect();
        let label = content
            .first()
            .filter(|f| !f.trim().is_empty())
            .map(|f| format!("`{}`", one_line(f).chars().take(40).collect::<String>()));
        if content.len() < 2 || content[0].trim().is_empty() || content[1].trim().is_empty() {
            issues.push(Issue::error(
                file,
                pos,
                label,
                "not imported: a note needs a front and a back (two fields)",
            ));
            continue;
        }
        if content.len() > 2 && header.tags_column.is_none() {
            issues.push(Issue::warning(
                file,
                pos,
                label.clone(),
                format!(
                    "{} extra field(s) ignored (only the front and back are read)",
                    content.len() - 2
                ),
            ));
        }
        let conv = |s: &str| {
            if html || looks_like_html(s) {
                html_to_markdown(s)
            } else {
                s.trim().to_string()
            }
        };
        let mut tags = header.tags.clone();
        if let Some(t) = header.tags_column.and_then(|c| fields.get(c)) {
            tags.extend(t.split_whitespace().map(str::to_string));
        }
        let guid = header
            .guid_column
            .and_then(|c| fields.get(c))
            .map(|g| g.to_string());
        notes.push((pos, conv(content[0]), conv(content[1]), tags, guid, label));
    }
    let mut backs: Vec<&str> = Vec::new();
    for (_, _, back, ..) in &notes {
        if !backs
            .iter()
            .any(|b| one_line(b).eq_ignore_ascii_case(&one_line(back)))
        {
            backs.push(back);
        }
    }
    let mut out = Vec::new();
    for (k, (pos, front, back, tags, guid, label)) in notes.iter().enumerate() {
        let others: Vec<(&str, &str)> = notes
            .iter()
            .cycle()
            .skip(k + 1)
            .take(notes.len().saturating_sub(1))
            .map(|(_, f, b, ..)| (f.as_str(), b.as_str()))
            .fold(Vec::new(), |mut acc: Vec<(&str, &str)>, (f, b)| {
                let same = |x: &str| one_line(x).eq_ignore_ascii_case(&one_line(b));
                if !same(back) && !acc.iter().any(|(_, ob)| same(ob)) {
                    acc.push((f, b));
                }
                acc
            });
        if others.len() < 3 {
            issues.push(Issue::error(
                file,
                *pos,
                label.clone(),
                format!(
                    "not imported: a flashcard becomes a single-answer item with other notes' backs as distractors, and this file has only {} other different back(s) (three needed)",
                    others.len()
                ),
            ));
            continue;
        }
        let mut options = vec![Opt::new(one_line(back), true, "")];
        for (f, b) in others.iter().take(3) {
            options.push(Opt::new(
                one_line(b),
                false,
                format!("This is the answer to “{}”.", one_line(f)),
            ));
        }
        issues.push(Issue::warning(
            file,
            *pos,
            label.clone(),
            "flashcard imported as a single-answer item: the distractors are three other notes' backs",
        ));
        let mut d = Draft::new(*pos, front.clone(), Body::Choice(options));
        d.tags = tags.clone();
        d.id = guid
            .as_deref()
            .map(|g| g.strip_prefix("certprep-").unwrap_or(g).to_string());
        d.explanation = back.clone();
        out.push(d);
    }
    Ok(out)
}

fn field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn options_html(out: &mut String, options: &[(char, &str)]) {
    for (l, t) in options {
        let _ = write!(out, "<br>{l}. {}", markdown_to_html(t));
    }
}

/// A note's Front and Back fields (HTML) for an item, as both exports write them.
pub(crate) fn front_back(item: &Item, stem: &str) -> (String, String) {
    let mut front = markdown_to_html(stem);
    let mut back = String::new();
    match &item.body {
        ItemBody::Single { options } | ItemBody::Multiple { options, .. } => {
            if let ItemBody::Multiple { choose, .. } = item.body {
                let _ = write!(front, "<br><br><i>Choose {choose}.</i>");
            }
            front.push_str("<br>");
            options_html(
                &mut front,
                &options
                    .iter()
                    .map(|o| (o.label, o.text.as_str()))
                    .collect::<Vec<_>>(),
            );
            let keys: Vec<String> = options
                .iter()
                .filter(|o| o.correct)
                .map(|o| format!("{}. {}", o.label, o.text))
                .collect();
            let _ = write!(back, "<b>{}</b>", markdown_to_html(&keys.join("; ")));
            for o in options.iter().filter(|o| !o.note.trim().is_empty()) {
                let _ = write!(back, "<br>{}: {}", o.label, markdown_to_html(&o.note));
            }
        }
        ItemBody::Order { actions } => {
            front.push_str("<br>");
            options_html(
                &mut front,
                &actions
                    .iter()
                    .map(|a| (a.label, a.text.as_str()))
                    .collect::<Vec<_>>(),
            );
            let mut used: Vec<_> = actions
                .iter()
                .filter_map(|a| a.position.map(|p| (p, a)))
                .collect();
            used.sort_by_key(|(p, _)| *p);
            let seq: Vec<String> = used
                .iter()
                .map(|(p, a)| format!("{p}. {}", a.text))
                .collect();
            let _ = write!(back, "<b>{}</b>", markdown_to_html(&seq.join("\n")));
        }
        ItemBody::Match {
            sources, targets, ..
        } => {
            front.push_str("<br>");
            options_html(
                &mut front,
                &sources
                    .iter()
                    .map(|s| (s.label, s.text.as_str()))
                    .collect::<Vec<_>>(),
            );
            for t in targets {
                let _ = write!(front, "<br>• {}", markdown_to_html(&t.text));
                let _ = write!(back, "{} → {}<br>", markdown_to_html(&t.text), t.key);
            }
        }
        ItemBody::Dropdown { slots } => {
            for s in slots {
                let key: Vec<&str> = s
                    .choices
                    .iter()
                    .filter(|c| c.correct)
                    .map(|c| c.text.as_str())
                    .collect();
                let choices: Vec<&str> = s.choices.iter().map(|c| c.text.as_str()).collect();
                let _ = write!(
                    front,
                    "<br>{{{{{}}}}}: {}",
                    s.number,
                    markdown_to_html(&choices.join(" / "))
                );
                let _ = write!(
                    back,
                    "{{{{{}}}}}: <b>{}</b><br>",
                    s.number,
                    markdown_to_html(&key.join(", "))
                );
            }
        }
        ItemBody::YesNo { statements } => {
            for s in statements {
                let _ = write!(front, "<br>• {}", markdown_to_html(&s.text));
                let _ = write!(
                    back,
                    "{}: <b>{}</b><br>",
                    markdown_to_html(&s.text),
                    if s.answer { "Yes" } else { "No" }
                );
            }
        }
        ItemBody::Solution { statement } => {
            let _ = write!(
                front,
                "<br><br><b>Solution:</b> {}<br>Does the solution meet the goal?",
                markdown_to_html(&statement.text)
            );
            let _ = write!(
                back,
                "<b>{}</b>",
                if statement.answer { "Yes" } else { "No" }
            );
        }
    }
    if !item.explanation.trim().is_empty() {
        let _ = write!(back, "<br><br>{}", markdown_to_html(&item.explanation));
    }
    for r in &item.references {
        let _ = write!(
            back,
            "<br><a href=\"{0}\">{0}</a>",
            r.url.replace('"', "%22")
        );
    }
    (field(&front), field(&back))
}

/// A note's tags: the item's own (spaces made underscores) and `certprep::<exam>` per exam.
pub(crate) fn note_tags(item: &Item) -> Vec<String> {
    item.tags
        .iter()
        .map(|t| t.replace(char::is_whitespace, "_"))
        .chain(
            item.objectives
                .keys()
                .map(|o| format!("certprep::{}", o.exam.as_str())),
        )
        .collect()
}

/// The note's GUID: from the item's id, so importing an updated export updates the notes.
pub(crate) fn note_guid(item: &Item) -> String {
    format!("certprep-{}", item.id)
}

pub(crate) fn export(source: &ExportSource<'_>) -> Exported {
    let mut out = String::from(
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:certprep\n#columns:Front\tBack\tTags\tGUID\n#tags column:3\n#guid column:4\n",
    );
    for item in &source.items {
        let (front, back) = front_back(item, &source.full_stem(item));
        let _ = writeln!(
            out,
            "{front}\t{back}\t{}\t{}",
            field(&note_tags(item).join(" ")),
            note_guid(item)
        );
    }
    Exported {
        bytes: out.into_bytes(),
        items: source.items.len(),
        issues: vec![],
    }
}
