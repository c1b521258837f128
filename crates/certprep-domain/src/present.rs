//! What an interface shows of an item: the question without its key, and, only when the rules
//! allow, the feedback (key, explanation, notes, references). Every interface (terminal, web,
//! JSON) goes through here, so an exam never leaks its key before submission.

use serde::Serialize;

use crate::arrange::{Arrangement, display_letter};
use crate::grading::{Answer, key};
use crate::item::{Bank, Item, ItemBody, ItemKind, Membership, Reference, Tab};
use crate::session::Session;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labelled {
    pub label: char,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Numbered {
    pub number: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresentedSlot {
    pub number: u32,
    pub choices: Vec<Labelled>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresentedCase {
    pub id: String,
    pub title: String,
    pub intro: String,
    pub tabs: Vec<Tab>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresentedSeries {
    pub id: String,
    pub scenario: String,
    pub note: &'static str,
}

/// Why one choice, action, source or statement is right or wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub part: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feedback {
    pub points: u32,
    pub max_points: u32,
    pub key: Answer,
    pub explanation: String,
    pub notes: Vec<Note>,
    pub references: Vec<Reference>,
}

/// The question as the candidate sees it. Fields that do not apply to the type are empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresentedItem {
    /// 1-based position in the session.
    pub position: usize,
    pub item_id: String,
    #[serde(rename = "type")]
    pub kind: ItemKind,
    pub type_description: &'static str,
    pub stem: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choose: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reuse: Option<bool>,
    /// Build list: how many actions go in the sequence ("which three actions…").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub places: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Labelled>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Labelled>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Labelled>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Numbered>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<PresentedSlot>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Numbered>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_study: Option<PresentedCase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<PresentedSeries>,
    /// The candidate's answer so far.
    pub answer: Option<Answer>,
    /// How sure the candidate said they were with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<crate::session::Confidence>,
    pub marked: bool,
    /// Present only when the rules allow: after answering in study and custom modes, and for
    /// every item once the session is submitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
}

const SERIES_NOTE: &str = "This item is part of a series that presents the same scenario. Each \
item proposes a different solution; some series have more than one correct solution, others none. \
Once you answer an item of the series you cannot return to it.";

fn labelled(label: char, text: &str) -> Labelled {
    Labelled {
        label,
        text: text.to_string(),
    }
}

fn numbered(i: usize, text: &str) -> Numbered {
    Numbered {
        number: u32::try_from(i + 1).unwrap_or(u32::MAX),
        text: text.to_string(),
    }
}

/// Presents the item at `position` of a session, revealing feedback only where allowed.
pub fn present(session: &Session, bank: &Bank, position: usize) -> Option<PresentedItem> {
    let session_item = session.items.get(position)?;
    let state = session.states.get(position)?;
    let item = bank.item(&session_item.item_id)?;
    let mut out = question(item, bank);
    out.position = position + 1;
    out.answer = state.answer.clone();
    out.confidence = state.confidence;
    out.marked = state.marked;
    if session.may_reveal(position) {
        out.feedback = Some(feedback(item, state.points, state.max_points));
    }
    if let Some(arrangement) = &session_item.arrangement {
        arrange(&mut out, item, arrangement);
    }
    Some(out)
}

/// The question part of an item in a session's display order (the written order without one).
pub fn arranged_question(
    item: &Item,
    bank: &Bank,
    arrangement: Option<&Arrangement>,
) -> PresentedItem {
    let mut out = question(item, bank);
    if let Some(arrangement) = arrangement {
        arrange(&mut out, item, arrangement);
    }
    out
}

/// Puts a presented item in the session's display order: parts reordered and lettered A, B, C…
/// as shown, and the answer, key and notes in those letters.
fn arrange(out: &mut PresentedItem, item: &Item, arrangement: &Arrangement) {
    let reorder = |parts: &[Labelled], slot: Option<usize>| -> Vec<Labelled> {
        arrangement
            .authored_indices(slot)
            .enumerate()
            .filter_map(|(shown, authored)| {
                parts
                    .get(authored)
                    .map(|p| labelled(display_letter(shown), &p.text))
            })
            .collect()
    };
    // Only an arrangement that covers every part is applied: one drawn for another version of
    // the item would drop or repeat parts, so such an item keeps its written order.
    let complete = |count: usize, slot: Option<usize>| {
        let mut seen: Vec<usize> = arrangement.authored_indices(slot).collect();
        seen.sort_unstable();
        seen == (0..count).collect::<Vec<_>>()
    };
    let lettered = [&out.options, &out.actions, &out.sources]
        .into_iter()
        .find(|p| !p.is_empty())
        .map_or(0, Vec::len);
    let fits = (lettered == 0 || complete(lettered, None))
        && out
            .slots
            .iter()
            .enumerate()
            .all(|(k, s)| complete(s.choices.len(), Some(k)));
    if !fits {
        return;
    }
    for parts in [&mut out.options, &mut out.actions, &mut out.sources] {
        if !parts.is_empty() {
            *parts = reorder(parts, None);
        }
    }
    for (k, slot) in out.slots.iter_mut().enumerate() {
        slot.choices = reorder(&slot.choices, Some(k));
    }
    out.answer = out.answer.take().map(|a| arrangement.to_display(item, a));
    if let Some(feedback) = &mut out.feedback {
        feedback.key = arrangement.to_display(item, feedback.key.clone());
        for note in &mut feedback.notes {
            note.part = displayed_part(arrangement, item, &note.part);
        }
        // Notes follow the letters as shown; target and statement notes keep their place after.
        feedback.notes.sort_by_key(|n| note_order(&n.part));
    }
}

/// A note's part in display letters: `B` → `D`, `slot 2 A` → `slot 2 C`.
fn displayed_part(arrangement: &Arrangement, item: &Item, part: &str) -> String {
    let mut chars = part.chars();
    if let (Some(letter), None) = (chars.next(), chars.next()) {
        return arrangement.displayed_label(item, letter, None).to_string();
    }
    if let Some(rest) = part.strip_prefix("slot ")
        && let Some((number, letter)) = rest.split_once(' ')
        && let (Ok(number), Some(letter)) = (number.parse::<u32>(), letter.chars().next())
        && let ItemBody::Dropdown { slots } = &item.body
        && let Some(k) = slots.iter().position(|s| s.number == number)
    {
        return format!(
            "slot {number} {}",
            arrangement.displayed_label(item, letter, Some(k))
        );
    }
    part.to_string()
}

fn note_order(part: &str) -> (u8, u32, String) {
    match part.strip_prefix("slot ").and_then(|r| r.split_once(' ')) {
        Some((n, letter)) => (1, n.parse().unwrap_or(0), letter.to_string()),
        None if part.chars().count() == 1 => (0, 0, part.to_string()),
        None => (2, 0, String::new()),
    }
}

/// The question part of an item: never the key.
pub fn question(item: &Item, bank: &Bank) -> PresentedItem {
    let mut out = PresentedItem {
        position: 0,
        item_id: item.id.clone(),
        kind: item.kind(),
        type_description: item.kind().description(),
        stem: item.stem.clone(),
        choose: None,
        reuse: None,
        places: None,
        options: vec![],
        actions: vec![],
        sources: vec![],
        targets: vec![],
        slots: vec![],
        statements: vec![],
        case_study: None,
        series: None,
        answer: None,
        confidence: None,
        marked: false,
        feedback: None,
    };
    match &item.body {
        ItemBody::Single { options } => {
            out.options = options.iter().map(|o| labelled(o.label, &o.text)).collect()
        }
        ItemBody::Multiple { choose, options } => {
            out.choose = Some(*choose);
            out.options = options.iter().map(|o| labelled(o.label, &o.text)).collect();
        }
        ItemBody::Order { actions } => {
            out.places = u32::try_from(crate::grading::order_length(actions)).ok();
            out.actions = actions.iter().map(|a| labelled(a.label, &a.text)).collect();
        }
        ItemBody::Match {
            reuse,
            sources,
            targets,
        } => {
            out.reuse = Some(*reuse);
            out.sources = sources.iter().map(|s| labelled(s.label, &s.text)).collect();
            out.targets = targets
                .iter()
                .enumerate()
                .map(|(i, t)| numbered(i, &t.text))
                .collect();
        }
        ItemBody::Dropdown { slots } => {
            out.slots = slots
                .iter()
                .map(|s| PresentedSlot {
                    number: s.number,
                    choices: s
                        .choices
                        .iter()
                        .map(|c| labelled(c.label, &c.text))
                        .collect(),
                })
                .collect();
        }
        ItemBody::YesNo { statements } => {
            out.statements = statements
                .iter()
                .enumerate()
                .map(|(i, s)| numbered(i, &s.text))
                .collect();
        }
        ItemBody::Solution { statement } => out.statements = vec![numbered(0, &statement.text)],
    }
    match &item.group {
        Some(Membership::CaseStudy(id)) => {
            out.case_study =
                bank.case_studies
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| PresentedCase {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        intro: c.intro.clone(),
                        tabs: c.tabs.clone(),
                    });
        }
        Some(Membership::Series(id)) => {
            out.series = bank
                .series
                .iter()
                .find(|s| &s.id == id)
                .map(|s| PresentedSeries {
                    id: s.id.clone(),
                    scenario: s.scenario.clone(),
                    note: SERIES_NOTE,
                });
        }
        None => {}
    }
    out
}

/// The answer key with every explanation.
pub fn feedback(item: &Item, points: u32, max_points: u32) -> Feedback {
    let note = |part: String, note: &str| {
        (!note.trim().is_empty()).then(|| Note {
            part,
            note: note.to_string(),
        })
    };
    let notes: Vec<Note> = match &item.body {
        ItemBody::Single { options } | ItemBody::Multiple { options, .. } => options
            .iter()
            .filter_map(|o| note(o.label.to_string(), &o.note))
            .collect(),
        ItemBody::Order { actions } => actions
            .iter()
            .filter_map(|a| note(a.label.to_string(), &a.note))
            .collect(),
        ItemBody::Match {
            sources, targets, ..
        } => sources
            .iter()
            .filter_map(|s| note(s.label.to_string(), &s.note))
            .chain(
                targets
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| note(format!("target {}", i + 1), &t.note)),
            )
            .collect(),
        ItemBody::Dropdown { slots } => slots
            .iter()
            .flat_map(|s| {
                s.choices
                    .iter()
                    .filter_map(move |c| note(format!("slot {} {}", s.number, c.label), &c.note))
            })
            .collect(),
        ItemBody::YesNo { statements } => statements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| note(format!("statement {}", i + 1), &s.note))
            .collect(),
        ItemBody::Solution { statement } => note("solution".to_string(), &statement.note)
            .into_iter()
            .collect(),
    };
    Feedback {
        points,
        max_points,
        key: key(&item.body),
        explanation: item.explanation.clone(),
        notes,
        references: item.references.clone(),
    }
}
