//! CSV question banks. The layout is recognised from the header row:
//!
//! - **Moodle qformat_csv**, simple: `questionname,questiontext,A,B,C,D,Answer 1,Answer 2`
//!   (four options, up to two correct letters), and extended, which adds `answernumbering,
//!   correctfeedback,partiallycorrectfeedback,incorrectfeedback,defaultmark` (those are
//!   whole-question feedback Moodle shows by score: dropped, with a warning when they differ
//!   from Moodle's defaults).
//! - **Moodle qformat_csv per type**: a `qtype` column with `questionname`, `questiontext`,
//!   `choices` (separated by `;`) and `answer` (letters such as `ACD`, or `1`/`0` for
//!   truefalse); shortanswer and essay rows are reported and skipped.
//! - **Generic quiz sheets**: `Question`, `Option 1…N`, `Correct Answer` (the text, the
//!   letter or the 1-based number of the right option; several separated by commas), and
//!   optionally `Explanation`.
//! - **certprep CSV** (written by [`export`]; lossless for every item type), one row per item:
//!
//! | column | holds |
//! |---|---|
//! | `id` | the item id |
//! | `type` | `single`, `multiple`, `order`, `match`, `dropdown`, `yesno`, `solution` |
//! | `stem` | Markdown; for `solution`, the series' scenario |
//! | `options` | one entry per line: options, actions, sources or statements; for `dropdown`, slots separated by a line `--` |
//! | `targets` | `match` only: one target per line |
//! | `key` | space-separated: the correct letters (`single`, `multiple`), the letters in answer order (`order`), one source letter per target (`match`), one letter per slot (`dropdown`), `yes`/`no` per statement (`yesno`) |
//! | `notes` | one line per `options` line (empty when none); a newline inside a note is `\n`, a backslash `\\` |
//! | `target_notes` | the same for `targets` |
//! | `explanation` | Markdown |
//! | `references` | one per line, `https://…` or `[title](https://…)` |
//! | `objectives` | one `EXAM@DATE: objective, …` per line |
//! | `difficulty`, `tags`, `reviewed`, `version`, `shuffle`, `reuse` | as in the `meta` block |
//! | `series` | `solution` only: the series id (rows of one series follow each other) |
//!
//! An item of a case study is written as a standalone item with the case study's title and
//! tabs before its stem.
//!
//! Cells that start with `=`, `+`, `-` or `@` are written with a leading `'` so spreadsheets
//! do not run them as formulas; the importer takes that `'` off again.

use std::collections::HashMap;

use certprep_bank::syntax::Pos;
use certprep_domain::{Item, ItemBody};

use crate::gift::{apply_field, reference_text};
use crate::native::{Body, Draft, Opt};
use crate::{ExportError, ExportSource, Exported, Format, ImportError, Issue};

const CERTPREP_COLUMNS: [&str; 18] = [
    "id",
    "type",
    "stem",
    "options",
    "targets",
    "key",
    "notes",
    "target_notes",
    "explanation",
    "references",
    "objectives",
    "difficulty",
    "tags",
    "reviewed",
    "version",
    "shuffle",
    "reuse",
    "series",
];

struct Row {
    line: u32,
    cells: HashMap<String, String>,
    /// The cells in order, for layouts addressed by position.
    ordered: Vec<String>,
}

impl Row {
    fn get(&self, key: &str) -> &str {
        self.cells.get(key).map_or("", |s| s.as_str())
    }
}

fn unformula(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => s.to_string(),
    }
}

pub(crate) fn drafts(
    file: &str,
    source: &str,
    issues: &mut Vec<Issue>,
) -> Result<Vec<Draft>, ImportError> {
    let delimiter = sniff_delimiter(source);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(source.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Err(csv_error(file, &e)),
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(file, &e))?;
        let line = record
            .position()
            .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
        let ordered: Vec<String> = record.iter().map(unformula).collect();
        if ordered.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells = headers
            .iter()
            .cloned()
            .zip(ordered.iter().cloned())
            .collect();
        rows.push(Row {
            line,
            cells,
            ordered,
        });
    }
    let has = |h: &str| headers.iter().any(|x| x == h);
    let layout = if has("id") && has("type") && has("options") && has("key") {
        "certprep"
    } else if has("qtype") && has("questiontext") {
        "moodle-typed"
    } else if has("questiontext") && has("a") && has("answer 1") {
        "moodle"
    } else if headers.iter().any(|h| h.starts_with("option"))
        && headers.iter().any(|h| h.contains("correct"))
    {
        "generic"
    } else {
        return Err(ImportError::Unrecognised {
            file: file.to_string(),
            message: format!(
                "unknown CSV layout (header: {}): expected Moodle's `questionname,questiontext,A,B,C,D,Answer 1,Answer 2`, \
                 a `qtype` layout, `Question,Option 1…,Correct Answer`, or certprep's `id,type,stem,options,key,…`",
                headers.join(",")
            ),
        });
    };
    let mut out = Vec::new();
    for row in &rows {
        let pos = Pos::new(row.line, 1);
        let result = match layout {
            "certprep" => certprep_row(file, row, issues),
            "moodle-typed" => moodle_typed_row(row),
            "moodle" => moodle_row(file, row, issues),
            _ => generic_row(&headers, row),
        };
        match result {
            Ok(Some(d)) => out.push(d),
            Ok(None) => {}
            Err(m) => {
                let name = [row.get("id"), row.get("questionname"), row.get("question")]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .map(|s| format!("`{s}`"));
                issues.push(Issue::error(file, pos, name, m));
            }
        }
    }
    Ok(out)
}

fn csv_error(file: &str, e: &csv::Error) -> ImportError {
    match e.position() {
        Some(p) => ImportError::Syntax {
            file: file.to_string(),
            line: u32::try_from(p.line()).unwrap_or(u32::MAX),
            col: 1,
            message: format!("malformed CSV: {e}"),
        },
        None => ImportError::Unrecognised {
            file: file.to_string(),
            message: format!("malformed CSV: {e}"),
        },
    }
}

/// Comma unless the header row has more semicolons or tabs.
fn sniff_delimiter(source: &str) -> u8 {
    let first = source.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    if count('\t') > count(',') && count('\t') >= count(';') {
        b'\t'
    } else if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

fn letter_index(s: &str) -> Option<usize> {
    let mut chars = s.trim().chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    c.is_ascii_alphabetic()
        .then(|| usize::from(c.to_ascii_uppercase() as u8 - b'A'))
}

fn moodle_row(file: &str, row: &Row, issues: &mut Vec<Issue>) -> Result<Option<Draft>, String> {
    let letters = ["a", "b", "c", "d", "e", "f"];
    let mut options: Vec<Opt> = letters
        .iter()
        .map(|l| row.get(l).trim().to_string())
        .filter(|t| !t.is_empty())
        .map(|t| Opt::new(t, false, ""))
        .collect();
    for key in ["answer 1", "answer 2", "answer 3", "answer 4"] {
        let v = row.get(key).trim();
        if v.is_empty() {
            continue;
        }
        let i =
            letter_index(v).ok_or_else(|| format!("`{key}` must be a letter A–D, found `{v}`"))?;
        options
            .get_mut(i)
            .ok_or_else(|| format!("`{key}` names option {v}, which is empty"))?
            .correct = true;
    }
    let defaults = [
        "your answer is correct.",
        "your answer is partially correct.",
        "your answer is incorrect.",
    ];
    let feedback: Vec<&str> = [
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
    ]
    .iter()
    .map(|k| row.get(k).trim())
    .collect();
    if feedback
        .iter()
        .zip(defaults)
        .any(|(f, d)| !f.is_empty() && f.to_ascii_lowercase() != d)
    {
        issues.push(Issue::warning(
            file,
            Pos::new(row.line, 1),
            Some(format!("`{}`", row.get("questionname"))),
            "correct/partially correct/incorrect feedback dropped: certprep has per-option notes and one explanation",
        ));
    }
    let mut d = choice_draft(row.line, row.get("questiontext"), options);
    d.name = Some(row.get("questionname").to_string()).filter(|n| !n.is_empty());
    Ok(Some(d))
}

fn moodle_typed_row(row: &Row) -> Result<Option<Draft>, String> {
    let qtype = row.get("qtype").trim().to_ascii_lowercase();
    let stem = row.get("questiontext");
    let mut d = match qtype.as_str() {
        "multichoice" | "multiplechoice" | "mc" => {
            let choices: Vec<&str> = row
                .get("choices")
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let answer = row.get("answer").trim().to_ascii_uppercase();
            let mut options: Vec<Opt> = choices.iter().map(|c| Opt::new(*c, false, "")).collect();
            for c in answer.chars().filter(char::is_ascii_alphabetic) {
                let i = usize::from(c as u8 - b'A');
                options
                    .get_mut(i)
                    .ok_or_else(|| format!("answer `{c}` names no choice"))?
                    .correct = true;
            }
            choice_draft(row.line, stem, options)
        }
        "truefalse" => {
            let truth = match row.get("answer").trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "t" => true,
                "0" | "false" | "f" => false,
                other => return Err(format!("truefalse answer must be 1 or 0, found `{other}`")),
            };
            Draft::new(
                Pos::new(row.line, 1),
                format!("{}\n\n{{{{1}}}}", stem.trim()),
                Body::Dropdown(vec![vec![
                    Opt::new("True", truth, ""),
                    Opt::new("False", !truth, ""),
                ]]),
            )
        }
        other => {
            return Err(format!(
                "{other} question not imported: certprep has no item type for it"
            ));
        }
    };
    d.name = Some(row.get("questionname").to_string()).filter(|n| !n.is_empty());
    Ok(Some(d))
}

fn generic_row(headers: &[String], row: &Row) -> Result<Option<Draft>, String> {
    let stem_col = headers
        .iter()
        .position(|h| h == "question" || h == "questiontext" || h == "question text")
        .unwrap_or(0);
    let mut options: Vec<Opt> = headers
        .iter()
        .zip(&row.ordered)
        .filter(|(h, v)| h.starts_with("option") && !v.trim().is_empty())
        .map(|(_, v)| Opt::new(v.trim(), false, ""))
        .collect();
    let correct_col = headers
        .iter()
        .position(|h| h.contains("correct"))
        .unwrap_or(0);
    let key = row.ordered.get(correct_col).map_or("", |s| s.trim());
    for part in key.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let by_text = options
            .iter()
            .position(|o| o.text.eq_ignore_ascii_case(part));
        let by_number = part.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        let by_letter = letter_index(part);
        let i = by_text
            .or(by_number)
            .or(by_letter)
            .filter(|i| *i < options.len())
            .ok_or_else(|| format!("correct answer `{part}` matches no option"))?;
        options[i].correct = true;
    }
    let mut d = choice_draft(
        row.line,
        row.ordered.get(stem_col).map_or("", |s| s),
        options,
    );
    if let Some(i) = headers.iter().position(|h| h.starts_with("explanation")) {
        d.explanation = row.ordered.get(i).cloned().unwrap_or_default();
    }
    Ok(Some(d))
}

/// A choice question, or a drop-down when it has two options and one key.
fn choice_draft(line: u32, stem: &str, options: Vec<Opt>) -> Draft {
    let correct = options.iter().filter(|o| o.correct).count();
    let pos = Pos::new(line, 1);
    if correct == 1 && options.len() == 2 {
        return Draft::new(
            pos,
            format!("{}\n\n{{{{1}}}}", stem.trim()),
            Body::Dropdown(vec![options]),
        );
    }
    Draft::new(pos, stem.trim().to_string(), Body::Choice(options))
}

fn lines(s: &str) -> Vec<&str> {
    if s.trim().is_empty() {
        return vec![];
    }
    s.split('\n').map(|l| l.trim_end_matches('\r')).collect()
}

fn decode_note(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn encode_note(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

fn certprep_row(file: &str, row: &Row, issues: &mut Vec<Issue>) -> Result<Option<Draft>, String> {
    let kind = row.get("type").trim();
    let options = lines(row.get("options"));
    let notes: Vec<String> = lines(row.get("notes"))
        .into_iter()
        .map(decode_note)
        .collect();
    let note = |i: usize| notes.get(i).cloned().unwrap_or_default();
    let key: Vec<&str> = row.get("key").split_whitespace().collect();
    let letter = |k: &str| letter_index(k).ok_or_else(|| format!("key `{k}` is not a letter"));
    let body = match kind {
        "single" | "multiple" => {
            let correct: Vec<usize> = key.iter().map(|k| letter(k)).collect::<Result<_, _>>()?;
            Body::Choice(
                options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| Opt::new(*o, correct.contains(&i), note(i)))
                    .collect(),
            )
        }
        "order" => {
            let order: Vec<usize> = key.iter().map(|k| letter(k)).collect::<Result<_, _>>()?;
            Body::Order(
                options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let p = order
                            .iter()
                            .position(|k| *k == i)
                            .map(|p| u32::try_from(p + 1).unwrap_or(u32::MAX));
                        (o.to_string(), p, note(i))
                    })
                    .collect(),
            )
        }
        "match" => {
            let targets = lines(row.get("targets"));
            let target_notes: Vec<String> = lines(row.get("target_notes"))
                .into_iter()
                .map(decode_note)
                .collect();
            if key.len() != targets.len() {
                return Err(format!("{} targets but {} keys", targets.len(), key.len()));
            }
            Body::Match {
                sources: options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (o.to_string(), note(i)))
                    .collect(),
                targets: targets
                    .iter()
                    .zip(&key)
                    .enumerate()
                    .map(|(i, (t, k))| {
                        Ok((
                            t.to_string(),
                            letter(k)?,
                            target_notes.get(i).cloned().unwrap_or_default(),
                        ))
                    })
                    .collect::<Result<_, String>>()?,
            }
        }
        "dropdown" => {
            let mut slots: Vec<Vec<Opt>> = vec![vec![]];
            let mut slot_no = 0;
            for (i, o) in options.iter().enumerate() {
                if o.trim() == "--" {
                    slots.push(vec![]);
                    slot_no += 1;
                    continue;
                }
                let k = key.get(slot_no).map(|k| letter(k)).transpose()?;
                let idx = slots.last().map_or(0, Vec::len);
                if let Some(slot) = slots.last_mut() {
                    slot.push(Opt::new(*o, k == Some(idx), note(i)));
                }
            }
            Body::Dropdown(slots)
        }
        "solution" => {
            let [statement] = options.as_slice() else {
                return Err(format!(
                    "a solution row needs one statement, found {}",
                    options.len()
                ));
            };
            let answer = match key.as_slice() {
                ["yes"] => true,
                ["no"] => false,
                _ => return Err("a solution row needs the key `yes` or `no`".into()),
            };
            Body::Solution(statement.to_string(), answer, note(0))
        }
        "yesno" => {
            if key.len() != options.len() {
                return Err(format!(
                    "{} statements but {} yes/no keys",
                    options.len(),
                    key.len()
                ));
            }
            Body::YesNo(
                options
                    .iter()
                    .zip(&key)
                    .enumerate()
                    .map(|(i, (o, k))| match *k {
                        "yes" => Ok((o.to_string(), true, note(i))),
                        "no" => Ok((o.to_string(), false, note(i))),
                        other => Err(format!("expected yes or no, found `{other}`")),
                    })
                    .collect::<Result<_, String>>()?,
            )
        }
        other => return Err(format!("unknown type `{other}`")),
    };
    let solution = matches!(body, Body::Solution(..));
    let stem = if solution {
        String::new()
    } else {
        row.get("stem").to_string()
    };
    let mut d = Draft::new(Pos::new(row.line, 1), stem, body);
    if solution {
        let id = row.get("series").trim();
        if id.is_empty() {
            return Err("a solution row needs its series id in the `series` column".into());
        }
        d.series = Some((id.to_string(), row.get("stem").to_string()));
    }
    d.id = Some(row.get("id").trim().to_string()).filter(|s| !s.is_empty());
    d.explanation = row.get("explanation").to_string();
    d.tags = row
        .get("tags")
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let mut fields: Vec<(String, String)> = Vec::new();
    for key in ["difficulty", "reviewed", "version", "shuffle", "reuse"] {
        let v = row.get(key).trim();
        if !v.is_empty() {
            fields.push((key.to_string(), v.to_string()));
        }
    }
    for line in lines(row.get("objectives")) {
        if let Some((k, v)) = line.split_once(':') {
            fields.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    for line in lines(row.get("references")) {
        if !line.trim().is_empty() {
            fields.push(("reference".into(), line.trim().to_string()));
        }
    }
    for (k, v) in fields {
        if let Err(m) = apply_field(&mut d.meta, &mut d.references, &k, &v) {
            issues.push(Issue::warning(file, d.pos, d.id.clone(), m));
        }
    }
    Ok(Some(d))
}

fn formula_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn letter(i: usize) -> String {
    char::from(b'A' + u8::try_from(i % 26).unwrap_or(0)).to_string()
}

/// One certprep CSV row per item.
pub(crate) fn export(source: &ExportSource<'_>) -> Result<Exported, ExportError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| ExportError::Write {
        format: Format::Csv,
        message: e.to_string(),
    };
    writer.write_record(CERTPREP_COLUMNS).map_err(err)?;
    for item in &source.items {
        let record = row_of(item, &source.full_stem(item), series_of(item));
        writer
            .write_record(record.iter().map(|c| formula_safe(c)))
            .map_err(err)?;
    }
    let bytes = writer.into_inner().map_err(|e| ExportError::Write {
        format: Format::Csv,
        message: e.to_string(),
    })?;
    Ok(Exported {
        bytes,
        items: source.items.len(),
        issues: vec![],
    })
}

fn series_of(item: &Item) -> String {
    match &item.group {
        Some(certprep_domain::item::Membership::Series(id)) => id.clone(),
        _ => String::new(),
    }
}

fn row_of(item: &Item, stem: &str, series: String) -> Vec<String> {
    let kind = item.kind().name().to_string();
    let (mut options, mut targets, mut key, mut notes, mut target_notes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    match &item.body {
        ItemBody::Single { options: o } | ItemBody::Multiple { options: o, .. } => {
            for (i, c) in o.iter().enumerate() {
                options.push(c.text.clone());
                notes.push(encode_note(&c.note));
                if c.correct {
                    key.push(letter(i));
                }
            }
        }
        ItemBody::Order { actions } => {
            let mut used: Vec<(u32, usize)> = Vec::new();
            for (i, a) in actions.iter().enumerate() {
                options.push(a.text.clone());
                notes.push(encode_note(&a.note));
                if let Some(p) = a.position {
                    used.push((p, i));
                }
            }
            used.sort_unstable();
            key = used.into_iter().map(|(_, i)| letter(i)).collect();
        }
        ItemBody::Match {
            sources,
            targets: t,
            ..
        } => {
            for s in sources {
                options.push(s.text.clone());
                notes.push(encode_note(&s.note));
            }
            for x in t {
                targets.push(x.text.clone());
                target_notes.push(encode_note(&x.note));
                key.push(x.key.to_string());
            }
        }
        ItemBody::Dropdown { slots } => {
            for (n, slot) in slots.iter().enumerate() {
                if n > 0 {
                    options.push("--".into());
                    notes.push(String::new());
                }
                for (i, c) in slot.choices.iter().enumerate() {
                    options.push(c.text.clone());
                    notes.push(encode_note(&c.note));
                    if c.correct {
                        key.push(letter(i));
                    }
                }
            }
        }
        ItemBody::YesNo { statements } => {
            for s in statements {
                options.push(s.text.clone());
                notes.push(encode_note(&s.note));
                key.push(if s.answer { "yes" } else { "no" }.into());
            }
        }
        ItemBody::Solution { statement } => {
            options.push(statement.text.clone());
            notes.push(encode_note(&statement.note));
            key.push(if statement.answer { "yes" } else { "no" }.into());
        }
    }
    let reuse = matches!(item.body, ItemBody::Match { reuse: true, .. });
    vec![
        item.id.clone(),
        kind,
        stem.to_string(),
        options.join("\n"),
        targets.join("\n"),
        key.join(" "),
        notes.join("\n").trim_end_matches('\n').to_string(),
        target_notes.join("\n").trim_end_matches('\n').to_string(),
        item.explanation.clone(),
        item.references
            .iter()
            .map(reference_text)
            .collect::<Vec<_>>()
            .join("\n"),
        item.objectives
            .iter()
            .map(|(o, ids)| format!("{o}: {}", ids.join(", ")))
            .collect::<Vec<_>>()
            .join("\n"),
        item.difficulty.to_string(),
        item.tags.join(", "),
        item.reviewed.to_string(),
        item.version.to_string(),
        if item.shuffle { "yes" } else { "no" }.into(),
        if reuse { "yes" } else { "no" }.into(),
        series,
    ]
}
