//! Grading: one point per correct part, no penalty for guessing.
//!
//! | type | points |
//! |---|---|
//! | single | 1 for the key |
//! | multiple | 1 per correct option chosen; choosing more than `choose` options scores 0 |
//! | order | 1 per position holding the key's action at that position |
//! | match | 1 per target holding its key |
//! | dropdown | 1 per slot |
//! | yesno | 1 per statement |
//! | solution | 1 |
//!
//! An unanswered part scores 0. Ordering is scored by position (not by longest common
//! subsequence) because that is what "one point per correct part" means for a sequence whose
//! slots are the parts; it is also what candidates can predict.

use serde::{Deserialize, Serialize};

use crate::item::{Item, ItemBody, ItemKind};

/// What a candidate answered, in the shape of the item's type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// `single`: the chosen label.
    Choice(char),
    /// `multiple`: the chosen labels; `order`: the chosen actions in order;
    /// `match` and `dropdown`: per target or slot, in order, the chosen label (or none).
    Labels(Vec<Option<char>>),
    /// `solution`: does the proposed solution meet the goal?
    Bool(bool),
    /// `yesno`: per statement; `solution`: one entry.
    YesNo(Vec<Option<bool>>),
}

impl Answer {
    /// The answer as people read it: `B`, `A, C`, `Yes, No, –`.
    pub fn describe(&self) -> String {
        let yes_no = |b: &Option<bool>| match b {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "–",
        };
        match self {
            Answer::Choice(c) => c.to_string(),
            Answer::Bool(b) => yes_no(&Some(*b)).to_string(),
            Answer::Labels(v) => v
                .iter()
                .map(|l| l.map_or_else(|| "–".to_string(), |c| c.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
            Answer::YesNo(v) => v.iter().map(yes_no).collect::<Vec<_>>().join(", "),
        }
    }

    /// Checks an answer against an item and brings it to the one shape grading expects:
    /// labels upper-cased and known, one label per target or slot at most, and so on.
    /// The error says what was expected (see `docs/answers.md`).
    pub fn normalise(self, item: &Item) -> Result<Answer, String> {
        let upper = |c: char| c.to_ascii_uppercase();
        let labels_of = |v: Vec<Option<char>>| -> Vec<Option<char>> {
            v.into_iter().map(|l| l.map(upper)).collect()
        };
        match (&item.body, self) {
            (ItemBody::Single { options }, Answer::Choice(c)) => {
                known(upper(c), options.iter().map(|o| o.label)).map(Answer::Choice)
            }
            (ItemBody::Single { .. }, Answer::Labels(v)) if v.len() == 1 && v[0].is_some() => {
                Answer::Choice(v[0].unwrap_or('?')).normalise(item)
            }
            (ItemBody::Multiple { options, .. }, Answer::Choice(c)) => {
                known(upper(c), options.iter().map(|o| o.label))
                    .map(|c| Answer::Labels(vec![Some(c)]))
            }
            (ItemBody::Multiple { options, choose }, Answer::Labels(v)) => {
                let v = all_known(labels_of(v), || options.iter().map(|o| o.label), true)?;
                let chosen = v.iter().flatten().count();
                if chosen > *choose as usize {
                    return Err(format!(
                        "choose {choose}: {chosen} options were chosen; clear one before choosing another"
                    ));
                }
                Ok(Answer::Labels(v))
            }
            (ItemBody::Order { actions }, Answer::Labels(v)) => {
                let places = order_length(actions);
                let given = v.iter().flatten().count();
                if given > places || v.len() > places {
                    return Err(format!(
                        "this build list takes {places} actions in sequence; {given} were given"
                    ));
                }
                all_known(labels_of(v), || actions.iter().map(|a| a.label), true)
                    .map(Answer::Labels)
            }
            (
                ItemBody::Match {
                    sources,
                    targets,
                    reuse,
                },
                Answer::Labels(v),
            ) => {
                at_most(v.len(), targets.len(), "targets")?;
                let v = all_known(labels_of(v), || sources.iter().map(|s| s.label), false)?;
                if !reuse
                    && let Some(twice) = v
                        .iter()
                        .enumerate()
                        .find_map(|(i, l)| l.filter(|l| v[..i].contains(&Some(*l))))
                {
                    return Err(format!(
                        "`{twice}` is placed twice; each source can be used only once"
                    ));
                }
                Ok(Answer::Labels(v))
            }
            (ItemBody::Dropdown { slots }, Answer::Labels(v)) => {
                at_most(v.len(), slots.len(), "slots")?;
                let v = labels_of(v);
                for (slot, label) in slots.iter().zip(&v) {
                    if let Some(l) = label {
                        known(*l, slot.choices.iter().map(|c| c.label))
                            .map_err(|e| format!("slot {}: {e}", slot.number))?;
                    }
                }
                Ok(Answer::Labels(v))
            }
            (ItemBody::YesNo { statements }, Answer::YesNo(v)) => {
                at_most(v.len(), statements.len(), "statements")?;
                Ok(Answer::YesNo(v))
            }
            (ItemBody::Solution { .. }, Answer::Bool(b)) => Ok(Answer::YesNo(vec![Some(b)])),
            (ItemBody::Solution { .. }, Answer::YesNo(v)) if v.len() == 1 => Ok(Answer::YesNo(v)),
            (body, _) => Err(format!("expected {}", expected_shape(body.kind()))),
        }
    }
}

/// How many actions a build list's key puts in sequence (what "which four actions" asks).
pub fn order_length(actions: &[crate::item::Action]) -> usize {
    actions.iter().filter(|a| a.position.is_some()).count()
}

/// How much of an item an answer covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Completion {
    Unanswered,
    /// Some parts answered, some not (a multi-part item): it still needs the candidate.
    Partial,
    Complete,
}

/// Whether an answer covers every part of its item: one option for single choice, exactly
/// `choose` options, every place of a build list, every target, slot and statement.
pub fn completion(body: &ItemBody, answer: Option<&Answer>) -> Completion {
    let Some(answer) = answer else {
        return Completion::Unanswered;
    };
    let filled = |given: usize, needed: usize| match given {
        0 => Completion::Unanswered,
        n if n >= needed => Completion::Complete,
        _ => Completion::Partial,
    };
    match (body, answer) {
        (
            ItemBody::Single { .. } | ItemBody::Solution { .. },
            Answer::Choice(_) | Answer::Bool(_),
        ) => Completion::Complete,
        (ItemBody::Solution { .. }, Answer::YesNo(v)) => filled(v.iter().flatten().count(), 1),
        (ItemBody::Multiple { .. }, Answer::Choice(_)) => filled(1, max_points(body) as usize),
        (ItemBody::Multiple { choose, .. }, Answer::Labels(v)) => {
            filled(v.iter().flatten().count(), *choose as usize)
        }
        (ItemBody::Order { actions }, Answer::Labels(v)) => {
            filled(v.iter().flatten().count(), order_length(actions))
        }
        (ItemBody::Match { targets, .. }, Answer::Labels(v)) => {
            filled(v.iter().flatten().count(), targets.len())
        }
        (ItemBody::Dropdown { slots }, Answer::Labels(v)) => {
            filled(v.iter().flatten().count(), slots.len())
        }
        (ItemBody::YesNo { statements }, Answer::YesNo(v)) => {
            filled(v.iter().flatten().count(), statements.len())
        }
        _ => Completion::Partial,
    }
}

/// The JSON an answer of each type takes, for error messages.
pub fn expected_shape(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Single => "one option label as a string, such as \"B\"",
        ItemKind::Multiple => "an array of option labels, such as [\"A\", \"C\"]",
        ItemKind::Order => "an array of action labels in order, such as [\"C\", \"A\", \"D\"]",
        ItemKind::Match => {
            "an array with one source label (or null) per target, such as [\"B\", \"A\"]"
        }
        ItemKind::Dropdown => {
            "an array with one choice label (or null) per slot, such as [\"A\", \"B\"]"
        }
        ItemKind::YesNo => "an array with true (Yes), false (No) or null per statement",
        ItemKind::Solution => "true (Yes) or false (No)",
    }
}

fn known(label: char, labels: impl Iterator<Item = char>) -> Result<char, String> {
    let labels: Vec<char> = labels.collect();
    if labels.contains(&label) {
        Ok(label)
    } else {
        let shown: Vec<String> = labels.iter().map(char::to_string).collect();
        Err(format!(
            "`{label}` is not a label of this item; expected one of {}",
            shown.join(", ")
        ))
    }
}

fn all_known<I: Iterator<Item = char>>(
    v: Vec<Option<char>>,
    labels: impl Fn() -> I,
    distinct: bool,
) -> Result<Vec<Option<char>>, String> {
    for (i, label) in v.iter().enumerate() {
        if let Some(l) = label {
            known(*l, labels())?;
            if distinct && v[..i].contains(label) {
                return Err(format!("`{l}` is given twice"));
            }
        }
    }
    Ok(v)
}

fn at_most(given: usize, limit: usize, what: &str) -> Result<(), String> {
    if given > limit {
        return Err(format!(
            "{given} entries given but the item has {limit} {what}"
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    pub points: u32,
    pub max_points: u32,
}

impl Score {
    pub fn is_full(&self) -> bool {
        self.points == self.max_points
    }
}

/// The correct answer of an item, in the answer shape of its type.
pub fn key(body: &ItemBody) -> Answer {
    match body {
        ItemBody::Single { options } => {
            Answer::Choice(options.iter().find(|o| o.correct).map_or('?', |o| o.label))
        }
        ItemBody::Multiple { options, .. } => Answer::Labels(
            options
                .iter()
                .filter(|o| o.correct)
                .map(|o| Some(o.label))
                .collect(),
        ),
        ItemBody::Order { actions } => {
            let mut used: Vec<(u32, char)> = actions
                .iter()
                .filter_map(|a| a.position.map(|p| (p, a.label)))
                .collect();
            used.sort_unstable();
            Answer::Labels(used.into_iter().map(|(_, l)| Some(l)).collect())
        }
        ItemBody::Match { targets, .. } => {
            Answer::Labels(targets.iter().map(|t| Some(t.key)).collect())
        }
        ItemBody::Dropdown { slots } => Answer::Labels(
            slots
                .iter()
                .map(|s| s.choices.iter().find(|c| c.correct).map(|c| c.label))
                .collect(),
        ),
        ItemBody::YesNo { statements } => {
            Answer::YesNo(statements.iter().map(|s| Some(s.answer)).collect())
        }
        ItemBody::Solution { statement } => Answer::Bool(statement.answer),
    }
}

/// The most points an item body can give.
pub fn max_points(body: &ItemBody) -> u32 {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    match body {
        ItemBody::Single { .. } | ItemBody::Solution { .. } => 1,
        ItemBody::Multiple { choose, .. } => *choose,
        ItemBody::Order { actions } => {
            count(actions.iter().filter(|a| a.position.is_some()).count())
        }
        ItemBody::Match { targets, .. } => count(targets.len()),
        ItemBody::Dropdown { slots } => count(slots.len()),
        ItemBody::YesNo { statements } => count(statements.len()),
    }
}

/// Grades an answer. An answer of the wrong shape for the type scores 0.
pub fn grade(body: &ItemBody, answer: &Answer) -> Score {
    let max_points = max_points(body);
    let points = points(body, answer).min(max_points);
    Score { points, max_points }
}

fn points(body: &ItemBody, answer: &Answer) -> u32 {
    match (body, answer) {
        (ItemBody::Single { options }, Answer::Choice(label)) => {
            u32::from(options.iter().any(|o| o.correct && o.label == *label))
        }
        (ItemBody::Multiple { choose, options }, Answer::Labels(chosen)) => {
            let chosen = distinct(chosen);
            // Selecting everything must not earn every point: more picks than asked scores 0.
            if chosen.len() > *choose as usize {
                return 0;
            }
            count(
                chosen
                    .iter()
                    .filter(|l| options.iter().any(|o| o.correct && o.label == **l)),
            )
        }
        (ItemBody::Order { actions }, Answer::Labels(sequence)) => count(
            actions
                .iter()
                .filter_map(|a| a.position.map(|p| (p, a.label)))
                .filter(|(p, label)| {
                    let slot = (*p as usize).checked_sub(1);
                    slot.and_then(|i| sequence.get(i)).copied().flatten() == Some(*label)
                }),
        ),
        (ItemBody::Match { targets, .. }, Answer::Labels(placed)) => count(
            targets
                .iter()
                .zip(placed)
                .filter(|(t, p)| **p == Some(t.key)),
        ),
        (ItemBody::Dropdown { slots }, Answer::Labels(picked)) => count(
            slots
                .iter()
                .zip(picked)
                .filter(|(s, p)| s.choices.iter().any(|c| c.correct && Some(c.label) == **p)),
        ),
        (ItemBody::YesNo { statements }, Answer::YesNo(given)) => count(
            statements
                .iter()
                .zip(given)
                .filter(|(s, g)| **g == Some(s.answer)),
        ),
        (ItemBody::Solution { statement }, Answer::YesNo(given)) => {
            u32::from(given.first().copied().flatten() == Some(statement.answer))
        }
        (ItemBody::Solution { statement }, Answer::Bool(b)) => u32::from(*b == statement.answer),
        // A single label for a multiple-response item is a one-element selection.
        (ItemBody::Multiple { .. }, Answer::Choice(l)) => {
            points(body, &Answer::Labels(vec![Some(*l)]))
        }
        _ => 0,
    }
}

fn distinct(labels: &[Option<char>]) -> Vec<char> {
    let mut out: Vec<char> = labels.iter().flatten().copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn count<I: Iterator>(it: I) -> u32 {
    u32::try_from(it.count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Action, Choice, Slot, Statement, Target};

    fn choice(label: char, correct: bool) -> Choice {
        Choice {
            label,
            text: format!("option {label}"),
            correct,
            note: String::new(),
        }
    }
    fn labels(s: &str) -> Answer {
        Answer::Labels(s.chars().map(|c| (c != '_').then_some(c)).collect())
    }
    fn score(points: u32, max_points: u32) -> Score {
        Score { points, max_points }
    }

    #[test]
    fn single_scores_the_key_only() {
        let body = ItemBody::Single {
            options: vec![choice('A', false), choice('B', true), choice('C', false)],
        };
        assert_eq!(grade(&body, &Answer::Choice('B')), score(1, 1));
        assert_eq!(grade(&body, &Answer::Choice('A')), score(0, 1));
        assert_eq!(grade(&body, &Answer::Choice('Z')), score(0, 1));
        assert_eq!(grade(&body, &labels("B")), score(0, 1), "wrong shape");
    }

    #[test]
    fn multiple_gives_partial_credit_and_punishes_over_selection() {
        let body = ItemBody::Multiple {
            choose: 2,
            options: vec![
                choice('A', true),
                choice('B', false),
                choice('C', true),
                choice('D', false),
            ],
        };
        assert_eq!(grade(&body, &labels("AC")), score(2, 2));
        assert_eq!(grade(&body, &labels("CA")), score(2, 2));
        assert_eq!(grade(&body, &labels("AB")), score(1, 2));
        assert_eq!(grade(&body, &labels("A")), score(1, 2));
        assert_eq!(
            grade(&body, &labels("AA")),
            score(1, 2),
            "duplicates count once"
        );
        assert_eq!(grade(&body, &labels("ABC")), score(0, 2), "more than asked");
        assert_eq!(grade(&body, &labels("")), score(0, 2));
    }

    fn order_body() -> ItemBody {
        let action = |label, position| Action {
            label,
            text: String::new(),
            position,
            note: String::new(),
        };
        ItemBody::Order {
            actions: vec![
                action('A', Some(3)),
                action('B', None),
                action('C', Some(1)),
                action('D', Some(2)),
            ],
        }
    }

    #[test]
    fn order_scores_by_position() {
        let body = order_body();
        assert_eq!(grade(&body, &labels("CDA")), score(3, 3));
        assert_eq!(grade(&body, &labels("CAD")), score(1, 3));
        assert_eq!(grade(&body, &labels("DAC")), score(0, 3), "all shifted");
        assert_eq!(grade(&body, &labels("CD")), score(2, 3), "too short");
        assert_eq!(
            grade(&body, &labels("CDAB")),
            score(3, 3),
            "extra action at the end"
        );
        assert_eq!(
            grade(&body, &labels("BDA")),
            score(2, 3),
            "distractor in slot 1"
        );
    }

    #[test]
    fn match_scores_each_target() {
        let target = |key| Target {
            text: String::new(),
            key,
            note: String::new(),
        };
        let body = ItemBody::Match {
            reuse: true,
            sources: vec![],
            targets: vec![target('B'), target('A'), target('B')],
        };
        assert_eq!(grade(&body, &labels("BAB")), score(3, 3));
        assert_eq!(grade(&body, &labels("B_B")), score(2, 3));
        assert_eq!(grade(&body, &labels("ABA")), score(0, 3));
        assert_eq!(
            grade(&body, &labels("BABB")),
            score(3, 3),
            "extra placements ignored"
        );
    }

    #[test]
    fn dropdown_scores_each_slot() {
        let slot = |number, key: char| Slot {
            number,
            choices: vec![choice('A', key == 'A'), choice('B', key == 'B')],
        };
        let body = ItemBody::Dropdown {
            slots: vec![slot(1, 'A'), slot(2, 'B'), slot(3, 'A')],
        };
        assert_eq!(grade(&body, &labels("ABA")), score(3, 3));
        assert_eq!(grade(&body, &labels("AB_")), score(2, 3));
        assert_eq!(grade(&body, &labels("BAB")), score(0, 3));
        assert_eq!(grade(&body, &labels("A")), score(1, 3));
    }

    #[test]
    fn yes_no_scores_each_statement_and_solution_is_one_point() {
        let statement = |answer| Statement {
            text: String::new(),
            answer,
            note: String::new(),
        };
        let grid = ItemBody::YesNo {
            statements: vec![statement(true), statement(false), statement(true)],
        };
        let yn = |v: &[Option<bool>]| Answer::YesNo(v.to_vec());
        assert_eq!(
            grade(&grid, &yn(&[Some(true), Some(false), Some(true)])),
            score(3, 3)
        );
        assert_eq!(
            grade(&grid, &yn(&[Some(true), None, Some(false)])),
            score(1, 3)
        );
        let solution = ItemBody::Solution {
            statement: statement(false),
        };
        assert_eq!(grade(&solution, &yn(&[Some(false)])), score(1, 1));
        assert_eq!(grade(&solution, &yn(&[Some(true)])), score(0, 1));
        assert_eq!(grade(&solution, &yn(&[])), score(0, 1));
    }

    fn item(body: ItemBody) -> Item {
        Item {
            id: "t".into(),
            version: 1,
            stem: String::new(),
            body,
            explanation: String::new(),
            references: vec![],
            objectives: Default::default(),
            difficulty: 3,
            tags: vec![],
            reviewed: chrono::NaiveDate::default(),
            shuffle: true,
            group: None,
        }
    }

    #[test]
    fn answers_beyond_an_items_stated_limits_are_refused() {
        let multiple = item(ItemBody::Multiple {
            choose: 2,
            options: vec![
                choice('A', true),
                choice('B', false),
                choice('C', true),
                choice('D', false),
            ],
        });
        let refused = labels("ABC").normalise(&multiple);
        assert_eq!(
            refused.err().as_deref(),
            Some("choose 2: 3 options were chosen; clear one before choosing another")
        );
        assert!(labels("AC").normalise(&multiple).is_ok());

        let order = item(order_body());
        assert_eq!(
            labels("CDAB").normalise(&order).err().as_deref(),
            Some("this build list takes 3 actions in sequence; 4 were given")
        );
        assert!(labels("CDA").normalise(&order).is_ok());

        let source = |label| crate::item::Source {
            label,
            text: String::new(),
            note: String::new(),
        };
        let target = |key| Target {
            text: String::new(),
            key,
            note: String::new(),
        };
        let once = |reuse| {
            item(ItemBody::Match {
                reuse,
                sources: vec![source('A'), source('B'), source('C')],
                targets: vec![target('A'), target('B')],
            })
        };
        assert_eq!(
            labels("AA").normalise(&once(false)).err().as_deref(),
            Some("`A` is placed twice; each source can be used only once")
        );
        assert!(labels("AA").normalise(&once(true)).is_ok());
        assert!(labels("A_").normalise(&once(false)).is_ok());
    }

    #[test]
    fn a_partly_answered_item_is_not_complete() {
        let multiple = ItemBody::Multiple {
            choose: 2,
            options: vec![choice('A', true), choice('B', false), choice('C', true)],
        };
        assert_eq!(completion(&multiple, None), Completion::Unanswered);
        assert_eq!(
            completion(&multiple, Some(&labels("A"))),
            Completion::Partial
        );
        assert_eq!(
            completion(&multiple, Some(&labels("AB"))),
            Completion::Complete
        );
        let order = order_body();
        assert_eq!(completion(&order, Some(&labels("CD"))), Completion::Partial);
        assert_eq!(
            completion(&order, Some(&labels("CDA"))),
            Completion::Complete
        );
        let grid = ItemBody::YesNo {
            statements: vec![
                Statement {
                    text: String::new(),
                    answer: true,
                    note: String::new(),
                };
                3
            ],
        };
        let yn = |v: &[Option<bool>]| Answer::YesNo(v.to_vec());
        assert_eq!(
            completion(&grid, Some(&yn(&[Some(true), None, Some(false)]))),
            Completion::Partial
        );
        assert_eq!(
            completion(&grid, Some(&yn(&[None, None, None]))),
            Completion::Unanswered
        );
        assert_eq!(
            completion(&grid, Some(&yn(&[Some(true), Some(true), Some(false)]))),
            Completion::Complete
        );
    }
}
