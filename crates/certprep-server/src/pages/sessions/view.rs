//! What the session pages show, built from the engine's presented item and the session: the
//! exam bar (sections, clock, pace), the answer area of every item type, the item grid, and
//! the feedback with each part marked right or wrong in place.

use std::collections::BTreeMap;

use certprep_domain::grading::Answer;
use certprep_domain::item::{Bank, ItemKind};
use certprep_domain::present::{Feedback, PresentedItem};
use certprep_domain::session::{Mode, Session};

use super::super::{inline_markdown, markdown, markdown_with_slots};

/// One segment of the progress bar: a section of the session.
pub(crate) struct SectionView {
    pub name: String,
    /// The candidate's position inside the section (0 before entering it).
    pub at: usize,
    pub items: usize,
    pub answered: usize,
    pub current: bool,
    pub locked: bool,
}

/// What a candidate calls a section.
pub(crate) fn section_name(session: &Session, bank: &Bank, section: usize) -> String {
    use certprep_domain::form::SectionKind;
    match session.sections.get(section).map(|s| &s.kind) {
        Some(SectionKind::CaseStudy(id)) => {
            let title = bank
                .case_studies
                .iter()
                .find(|c| &c.id == id)
                .map_or(id.as_str(), |c| c.title.as_str());
            format!("Case study: {title}")
        }
        _ if session.mode == Mode::Exam => "Standalone questions".to_string(),
        _ => "Questions".to_string(),
    }
}

pub(crate) fn sections(session: &Session, bank: &Bank) -> Vec<SectionView> {
    let current = session.current_section();
    session
        .sections
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let summary = session.section_summary(k);
            SectionView {
                name: section_name(session, bank, k),
                at: s
                    .items
                    .iter()
                    .position(|p| *p == session.current)
                    .map_or(0, |i| i + 1),
                items: summary.items,
                answered: summary.answered,
                current: current == Some(k),
                locked: summary.locked,
            }
        })
        .collect()
}

/// One cell of the item grid.
pub(crate) struct GridCell {
    pub number: usize,
    /// answered, partial, unanswered
    pub state: &'static str,
    pub marked: bool,
    pub current: bool,
    /// The rules let the candidate go there now.
    pub reachable: bool,
    pub label: String,
}

pub(crate) fn grid(session: &Session) -> Vec<GridCell> {
    (0..session.items.len())
        .map(|p| {
            let state = if session.is_answered(p) {
                "answered"
            } else if session.is_partial(p) {
                "partial"
            } else {
                "unanswered"
            };
            let marked = session.states[p].marked;
            let reachable = p == session.current || session.can_visit(p).is_ok();
            GridCell {
                number: p + 1,
                state,
                marked,
                current: p == session.current,
                reachable,
                label: format!(
                    "Question {}: {}{}{}",
                    p + 1,
                    match state {
                        "answered" => "answered",
                        "partial" => "partly answered",
                        _ => "unanswered",
                    },
                    if marked { ", marked for review" } else { "" },
                    if reachable { "" } else { ", locked" }
                ),
            }
        })
        .collect()
}

/// Time left against items left: the hint a candidate checks while pacing an exam.
pub(crate) fn pace(session: &Session, remaining_ms: Option<i64>) -> Option<String> {
    let left_ms = remaining_ms?;
    let open = (0..session.items.len())
        .filter(|p| !session.is_answered(*p) && session.can_visit(*p).is_ok())
        .count();
    if open == 0 {
        return Some("Every question you can still reach is answered.".to_string());
    }
    let per = left_ms / i64::try_from(open).unwrap_or(1);
    let limit = session.time_limit_ms.unwrap_or(0);
    let even =
        i64::try_from(limit).unwrap_or(0) / i64::try_from(session.items.len().max(1)).unwrap_or(1);
    let mmss = |ms: i64| format!("{}:{:02}", ms / 60_000, (ms / 1000) % 60);
    Some(format!(
        "{open} unanswered: about {} each (the exam's even pace is {})",
        mmss(per),
        mmss(even)
    ))
}

/// An option, action, source or choice as the page shows it.
pub(crate) struct OptionView {
    pub label: char,
    pub html: String,
    /// The text without markup, for `<option>` elements.
    pub plain: String,
    pub checked: bool,
    /// In feedback: right (chosen and correct), wrong (chosen, not correct), missed (correct,
    /// not chosen), or empty.
    pub verdict: &'static str,
    pub note_html: String,
}

/// One numbered part (a build-list place, a target, a slot, a statement) with its choices.
pub(crate) struct PartView {
    pub number: u32,
    pub html: String,
    pub choices: Vec<OptionView>,
    /// Yes/no parts: the answer given.
    pub yes: bool,
    pub no: bool,
}

/// How one part of an answer fared, for feedback and the answer review.
pub(crate) struct PartResult {
    pub label: String,
    pub given_html: String,
    pub key_html: String,
    pub right: bool,
    pub note_html: String,
}

pub(crate) struct FeedbackView {
    pub points: u32,
    pub max_points: u32,
    pub full: bool,
    pub parts: Vec<PartResult>,
    /// Notes on options, actions and sources not already shown beside a part.
    pub other_notes: Vec<(String, String)>,
    pub explanation_html: String,
    pub references: Vec<(String, String)>,
    /// Where to report a problem with the item (set by the page, which knows the session).
    pub report_href: String,
}

/// The answer area and feedback of one item.
pub(crate) struct AnswerArea {
    pub kind: &'static str,
    pub stem_html: String,
    pub choose: Option<u32>,
    pub places: u32,
    pub reuse: bool,
    pub options: Vec<OptionView>,
    pub actions: Vec<OptionView>,
    pub sources: Vec<OptionView>,
    pub parts: Vec<PartView>,
    pub feedback: Option<FeedbackView>,
}

fn labels_of(answer: Option<&Answer>) -> Vec<Option<char>> {
    match answer {
        Some(Answer::Choice(c)) => vec![Some(*c)],
        Some(Answer::Labels(v)) => v.clone(),
        _ => vec![],
    }
}

fn yes_no_of(answer: Option<&Answer>) -> Vec<Option<bool>> {
    match answer {
        Some(Answer::YesNo(v)) => v.clone(),
        Some(Answer::Bool(b)) => vec![Some(*b)],
        _ => vec![],
    }
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "no answer",
    }
}

/// Builds the answer area; `editable` is false once feedback shows or the session is over, and
/// the candidate's choices are then marked against the key.
/// The address of the form that reports a problem with `item_id`, coming back to `back`.
pub(crate) fn report_href(item_id: &str, session_id: &str, back: &str) -> String {
    format!(
        "/disputes/new?item={}&session={}&back={}",
        super::urlencode(item_id),
        super::urlencode(session_id),
        super::urlencode(back)
    )
}

pub(crate) fn answer_area(item: &PresentedItem, name: &str) -> AnswerArea {
    let given = labels_of(item.answer.as_ref());
    let given_yn = yes_no_of(item.answer.as_ref());
    let f = item.feedback.as_ref();
    let key = f.map(|f| labels_of(Some(&f.key))).unwrap_or_default();
    let key_yn = f.map(|f| yes_no_of(Some(&f.key))).unwrap_or_default();
    let notes: BTreeMap<&str, &str> = f.map_or_else(BTreeMap::new, |f| {
        f.notes
            .iter()
            .map(|n| (n.part.as_str(), n.note.as_str()))
            .collect()
    });
    let note = |part: &str| {
        notes
            .get(part)
            .map_or_else(String::new, |n| inline_markdown(n))
    };
    let text_of = |list: &[certprep_domain::present::Labelled], label: Option<char>| {
        label
            .and_then(|l| list.iter().find(|o| o.label == l))
            .map_or_else(
                || "nothing".to_string(),
                |o| format!("{}. {}", o.label, inline_markdown(&o.text)),
            )
    };
    let mut area = AnswerArea {
        kind: item.kind.name(),
        stem_html: String::new(),
        choose: item.choose,
        places: item.places.unwrap_or(0),
        reuse: item.reuse == Some(true),
        options: vec![],
        actions: vec![],
        sources: vec![],
        parts: vec![],
        feedback: None,
    };
    let mut parts = Vec::new();
    let mut other_notes = Vec::new();
    match item.kind {
        ItemKind::Single | ItemKind::Multiple => {
            area.options = item
                .options
                .iter()
                .map(|o| {
                    let chosen = given.contains(&Some(o.label));
                    let correct = key.contains(&Some(o.label));
                    OptionView {
                        label: o.label,
                        html: inline_markdown(&o.text),
                        plain: String::new(),
                        checked: chosen,
                        verdict: match (f.is_some(), chosen, correct) {
                            (false, _, _) => "",
                            (true, true, true) => "right",
                            (true, true, false) => "wrong",
                            (true, false, true) => "missed",
                            (true, false, false) => "",
                        },
                        note_html: note(&o.label.to_string()),
                    }
                })
                .collect();
        }
        ItemKind::Order => {
            area.actions = item
                .actions
                .iter()
                .map(|a| OptionView {
                    label: a.label,
                    html: inline_markdown(&a.text),
                    plain: String::new(),
                    checked: given.contains(&Some(a.label)),
                    verdict: "",
                    note_html: note(&a.label.to_string()),
                })
                .collect();
            area.parts = (1..=area.places)
                .map(|n| PartView {
                    number: n,
                    html: format!("Step {n}"),
                    choices: item
                        .actions
                        .iter()
                        .map(|a| OptionView {
                            label: a.label,
                            html: inline_markdown(&a.text),
                            plain: String::new(),
                            checked: given.get(n as usize - 1).copied().flatten() == Some(a.label),
                            verdict: "",
                            note_html: String::new(),
                        })
                        .collect(),
                    yes: false,
                    no: false,
                })
                .collect();
            if f.is_some() {
                for n in 0..area.places as usize {
                    let g = given.get(n).copied().flatten();
                    let k = key.get(n).copied().flatten();
                    parts.push(PartResult {
                        label: format!("Step {}", n + 1),
                        given_html: text_of(&item.actions, g),
                        key_html: text_of(&item.actions, k),
                        right: g.is_some() && g == k,
                        note_html: g
                            .filter(|g| Some(*g) != k)
                            .map_or_else(String::new, |g| note(&g.to_string())),
                    });
                }
                for a in &item.actions {
                    if !key.contains(&Some(a.label)) {
                        let n = note(&a.label.to_string());
                        if !n.is_empty() {
                            other_notes
                                .push((format!("{}. {}", a.label, inline_markdown(&a.text)), n));
                        }
                    }
                }
            }
        }
        ItemKind::Match => {
            area.sources = item
                .sources
                .iter()
                .map(|s| OptionView {
                    label: s.label,
                    html: inline_markdown(&s.text),
                    plain: String::new(),
                    checked: given.contains(&Some(s.label)),
                    verdict: "",
                    note_html: note(&s.label.to_string()),
                })
                .collect();
            area.parts = item
                .targets
                .iter()
                .enumerate()
                .map(|(i, t)| PartView {
                    number: t.number,
                    html: inline_markdown(&t.text),
                    choices: item
                        .sources
                        .iter()
                        .map(|s| OptionView {
                            label: s.label,
                            html: inline_markdown(&s.text),
                            plain: String::new(),
                            checked: given.get(i).copied().flatten() == Some(s.label),
                            verdict: "",
                            note_html: String::new(),
                        })
                        .collect(),
                    yes: false,
                    no: false,
                })
                .collect();
            if f.is_some() {
                for (i, t) in item.targets.iter().enumerate() {
                    let g = given.get(i).copied().flatten();
                    let k = key.get(i).copied().flatten();
                    parts.push(PartResult {
                        label: inline_markdown(&t.text),
                        given_html: text_of(&item.sources, g),
                        key_html: text_of(&item.sources, k),
                        right: g.is_some() && g == k,
                        note_html: note(&format!("target {}", i + 1)),
                    });
                }
                for s in &item.sources {
                    let n = note(&s.label.to_string());
                    if !n.is_empty() {
                        other_notes.push((format!("{}. {}", s.label, inline_markdown(&s.text)), n));
                    }
                }
            }
        }
        ItemKind::Dropdown => {
            area.parts = item
                .slots
                .iter()
                .enumerate()
                .map(|(i, s)| PartView {
                    number: s.number,
                    html: String::new(),
                    choices: s
                        .choices
                        .iter()
                        .map(|c| OptionView {
                            label: c.label,
                            html: inline_markdown(&c.text),
                            plain: String::new(),
                            checked: given.get(i).copied().flatten() == Some(c.label),
                            verdict: "",
                            note_html: String::new(),
                        })
                        .collect(),
                    yes: false,
                    no: false,
                })
                .collect();
            if f.is_some() {
                for (i, s) in item.slots.iter().enumerate() {
                    let g = given.get(i).copied().flatten();
                    let k = key.get(i).copied().flatten();
                    let wrong_note = g
                        .filter(|g| Some(*g) != k)
                        .map(|g| note(&format!("slot {} {g}", s.number)))
                        .unwrap_or_default();
                    let key_note = k
                        .map(|k| note(&format!("slot {} {k}", s.number)))
                        .unwrap_or_default();
                    parts.push(PartResult {
                        label: format!("Drop-down {}", s.number),
                        given_html: text_of(&s.choices, g),
                        key_html: text_of(&s.choices, k),
                        right: g.is_some() && g == k,
                        note_html: [wrong_note, key_note]
                            .into_iter()
                            .filter(|n| !n.is_empty())
                            .collect::<Vec<_>>()
                            .join(" "),
                    });
                }
            }
        }
        ItemKind::YesNo | ItemKind::Solution => {
            area.parts = item
                .statements
                .iter()
                .enumerate()
                .map(|(i, s)| PartView {
                    number: s.number,
                    html: inline_markdown(&s.text),
                    choices: vec![],
                    yes: given_yn.get(i) == Some(&Some(true)),
                    no: given_yn.get(i) == Some(&Some(false)),
                })
                .collect();
            if f.is_some() {
                for (i, s) in item.statements.iter().enumerate() {
                    let g = given_yn.get(i).copied().flatten();
                    let k = key_yn.get(i).copied().flatten();
                    let part = if item.kind == ItemKind::Solution {
                        "solution".to_string()
                    } else {
                        format!("statement {}", i + 1)
                    };
                    parts.push(PartResult {
                        label: inline_markdown(&s.text),
                        given_html: yes_no(g).to_string(),
                        key_html: yes_no(k).to_string(),
                        right: g.is_some() && g == k,
                        note_html: note(&part),
                    });
                }
            }
        }
    }
    for o in area
        .options
        .iter_mut()
        .chain(area.actions.iter_mut())
        .chain(area.sources.iter_mut())
        .chain(area.parts.iter_mut().flat_map(|p| p.choices.iter_mut()))
    {
        o.plain = unescape(&strip_tags(&o.html));
    }
    area.stem_html = if item.kind == ItemKind::Dropdown {
        let parts = &area.parts;
        let editable = f.is_none();
        markdown_with_slots(&item.stem, |n| {
            parts.iter().find(|p| p.number == n).map_or_else(
                || format!("{{{{{n}}}}}"),
                |p| slot_select(name, p, editable),
            )
        })
    } else {
        markdown(&item.stem)
    };
    area.feedback = f.map(|f| feedback_view(f, parts, other_notes));
    area
}

/// An inline drop-down of a "complete the code" item, named `slotN`.
fn slot_select(_name: &str, part: &PartView, editable: bool) -> String {
    let mut s = format!(
        "<select class=\"inline\" id=\"slot{n}\" name=\"slot{n}\" aria-label=\"Drop-down {n}\"{}>\
         <option value=\"\">(choose {n})</option>",
        if editable { "" } else { " disabled" },
        n = part.number
    );
    for c in &part.choices {
        // Options hold plain text: the inline Markdown's tags are stripped (the text stays
        // escaped, as the page needs it).
        let text = strip_tags(&c.html);
        s.push_str(&format!(
            "<option value=\"{l}\"{sel}>{l}. {text}</option>",
            l = c.label,
            sel = if c.checked { " selected" } else { "" }
        ));
    }
    s.push_str("</select>");
    s
}

/// Text of inline HTML (already escaped) without its tags: what a `<select>` option can hold.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn feedback_view(
    f: &Feedback,
    parts: Vec<PartResult>,
    other_notes: Vec<(String, String)>,
) -> FeedbackView {
    FeedbackView {
        points: f.points,
        max_points: f.max_points,
        full: f.points == f.max_points,
        parts,
        other_notes,
        explanation_html: markdown(&f.explanation),
        references: f
            .references
            .iter()
            .map(|r| {
                (
                    r.title.clone().unwrap_or_else(|| r.url.clone()),
                    r.url.clone(),
                )
            })
            .collect(),
        report_href: String::new(),
    }
}

/// HTML text back to plain text (the entities the Markdown renderer writes), for places the
/// template escapes itself.
pub(crate) fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The first words of a stem as plain text, for tables that list questions.
pub(crate) fn excerpt(md: &str, chars: usize) -> String {
    let text = strip_tags(&markdown(md))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let text = unescape(&text);
    if text.chars().count() <= chars {
        return text;
    }
    let cut: String = text.chars().take(chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// How the page names the session's mode.
pub(crate) fn mode_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Exam => "Mock exam",
        Mode::Study => "Study",
        Mode::Custom => "Practice",
        Mode::Adaptive => "Readiness check",
    }
}
