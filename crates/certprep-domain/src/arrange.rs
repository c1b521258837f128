//! The order in which one session shows an item's lettered parts.
//!
//! A candidate who practises the same bank would otherwise learn positions instead of content, so
//! each session shows choice options, build-list actions, drag-and-drop sources and drop-down
//! choices in an order drawn from its seed, per item. The candidate sees and answers with letters
//! in that display order; the engine maps them back to the authored letters at once, so the
//! response log, grading and item analysis always speak the author's terms. The arrangement is
//! kept with the session, so a resumed session shows the same order. Targets, statements and
//! slots keep their places: their order is part of the question.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::grading::Answer;
use crate::item::{Item, ItemBody};

/// For each display position, the authored index of what is shown there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrangement {
    /// Options (single, multiple), actions (order) or sources (match).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<u16>,
    /// Per drop-down slot, in slot order, its choices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<Vec<u16>>,
}

/// The letter shown at a display position: A, B, C…
pub fn display_letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .and_then(|i| b'A'.checked_add(i))
        .map_or('?', char::from)
}

fn display_index(letter: char) -> Option<usize> {
    let letter = letter.to_ascii_uppercase();
    letter
        .is_ascii_uppercase()
        .then(|| usize::from(letter as u8 - b'A'))
}

/// A generator for one item of one session: the session's seed mixed with the item's id
/// (FNV-1a), so items in the same session are arranged independently and reproducibly.
fn generator(seed: u64, item_id: &str) -> ChaCha8Rng {
    let hash = item_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    ChaCha8Rng::seed_from_u64(seed ^ hash)
}

fn shuffled(count: usize, rng: &mut ChaCha8Rng) -> Vec<u16> {
    let mut order: Vec<u16> = (0..count)
        .map(|i| u16::try_from(i).unwrap_or(u16::MAX))
        .collect();
    order.shuffle(rng);
    order
}

impl Arrangement {
    /// The arrangement of `item` in a session seeded with `seed`, or `None` when the item keeps
    /// its written order (`shuffle: no`) or has nothing lettered to arrange.
    pub fn draw(item: &Item, seed: u64) -> Option<Arrangement> {
        if !item.shuffle {
            return None;
        }
        let mut rng = generator(seed, &item.id);
        let arrangement = match &item.body {
            ItemBody::Single { options } | ItemBody::Multiple { options, .. } => Arrangement {
                parts: shuffled(options.len(), &mut rng),
                slots: vec![],
            },
            ItemBody::Order { actions } => Arrangement {
                parts: shuffled(actions.len(), &mut rng),
                slots: vec![],
            },
            ItemBody::Match { sources, .. } => Arrangement {
                parts: shuffled(sources.len(), &mut rng),
                slots: vec![],
            },
            ItemBody::Dropdown { slots } => Arrangement {
                parts: vec![],
                slots: slots
                    .iter()
                    .map(|s| shuffled(s.choices.len(), &mut rng))
                    .collect(),
            },
            ItemBody::YesNo { .. } | ItemBody::Solution { .. } => return None,
        };
        Some(arrangement)
    }

    /// The authored labels of the lettered parts (or of one slot's choices), in authored order.
    fn authored_labels(item: &Item, slot: Option<usize>) -> Vec<char> {
        match (&item.body, slot) {
            (ItemBody::Single { options } | ItemBody::Multiple { options, .. }, None) => {
                options.iter().map(|o| o.label).collect()
            }
            (ItemBody::Order { actions }, None) => actions.iter().map(|a| a.label).collect(),
            (ItemBody::Match { sources, .. }, None) => sources.iter().map(|s| s.label).collect(),
            (ItemBody::Dropdown { slots }, Some(k)) => slots
                .get(k)
                .map(|s| s.choices.iter().map(|c| c.label).collect())
                .unwrap_or_default(),
            _ => vec![],
        }
    }

    fn order(&self, slot: Option<usize>) -> &[u16] {
        match slot {
            None => &self.parts,
            Some(k) => self.slots.get(k).map_or(&[], Vec::as_slice),
        }
    }

    /// The authored label behind a displayed letter. A letter outside the item is returned as
    /// given, so validation reports it in the candidate's own terms.
    pub fn authored_label(&self, item: &Item, displayed: char, slot: Option<usize>) -> char {
        let labels = Self::authored_labels(item, slot);
        display_index(displayed)
            .and_then(|i| self.order(slot).get(i))
            .and_then(|authored| labels.get(usize::from(*authored)))
            .copied()
            .unwrap_or(displayed)
    }

    /// The letter a candidate sees for an authored label.
    pub fn displayed_label(&self, item: &Item, authored: char, slot: Option<usize>) -> char {
        let labels = Self::authored_labels(item, slot);
        labels
            .iter()
            .position(|l| *l == authored.to_ascii_uppercase())
            .and_then(|index| {
                self.order(slot)
                    .iter()
                    .position(|a| usize::from(*a) == index)
            })
            .map_or(authored, display_letter)
    }

    /// The authored part shown at each display position, in display order.
    pub fn authored_indices(&self, slot: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        self.order(slot).iter().map(|i| usize::from(*i))
    }

    /// An answer given in display letters, in the author's letters.
    pub fn to_authored(&self, item: &Item, answer: Answer) -> Answer {
        self.translate(item, answer, |a, l, slot| a.authored_label(item, l, slot))
    }

    /// An answer in the author's letters, as the candidate sees it.
    pub fn to_display(&self, item: &Item, answer: Answer) -> Answer {
        self.translate(item, answer, |a, l, slot| a.displayed_label(item, l, slot))
    }

    /// A validation message about authored letters (`` `B` is given twice ``), in the letters
    /// the candidate sees. A drop-down message names its slot first (`slot 2: …`).
    pub fn message_in_display_letters(&self, item: &Item, message: &str) -> String {
        let slot = match &item.body {
            ItemBody::Dropdown { slots } => message
                .strip_prefix("slot ")
                .and_then(|rest| rest.split(':').next())
                .and_then(|n| n.parse::<u32>().ok())
                .and_then(|n| slots.iter().position(|s| s.number == n)),
            _ => None,
        };
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(start) = rest.find('`') {
            let (before, tail) = rest.split_at(start);
            out.push_str(before);
            let mut chars = tail[1..].chars();
            match (chars.next(), chars.next()) {
                (Some(letter), Some('`')) if letter.is_ascii_alphabetic() => {
                    out.push('`');
                    out.push(self.displayed_label(item, letter, slot));
                    out.push('`');
                    rest = &tail[1 + letter.len_utf8() + 1..];
                }
                _ => {
                    out.push('`');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn translate(
        &self,
        item: &Item,
        answer: Answer,
        map: impl Fn(&Self, char, Option<usize>) -> char,
    ) -> Answer {
        let dropdown = matches!(item.body, ItemBody::Dropdown { .. });
        let multiple = matches!(item.body, ItemBody::Multiple { .. });
        match answer {
            Answer::Choice(c) => Answer::Choice(map(self, c, dropdown.then_some(0))),
            Answer::Labels(labels) => {
                let mut mapped: Vec<Option<char>> = labels
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| l.map(|c| map(self, c, dropdown.then_some(i))))
                    .collect();
                // A set of choices reads best in letter order, whichever letters it is in.
                if multiple {
                    mapped.sort_unstable();
                }
                Answer::Labels(mapped)
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::Choice;

    fn single(shuffle: bool) -> Item {
        let option = |label: char, correct: bool| Choice {
            label,
            text: format!("option {label}"),
            correct,
            note: String::new(),
        };
        Item {
            id: "t-single".into(),
            version: 1,
            stem: "Which?".into(),
            body: ItemBody::Single {
                options: vec![
                    option('A', false),
                    option('B', true),
                    option('C', false),
                    option('D', false),
                ],
            },
            explanation: String::new(),
            references: vec![],
            objectives: Default::default(),
            difficulty: 3,
            tags: vec![],
            reviewed: chrono::NaiveDate::default(),
            shuffle,
            group: None,
        }
    }

    #[test]
    fn display_and_authored_letters_are_inverse() {
        let item = single(true);
        for seed in 0..50 {
            let a = Arrangement::draw(&item, seed).unwrap_or_default();
            for l in ['A', 'B', 'C', 'D'] {
                let shown = a.displayed_label(&item, l, None);
                assert_eq!(a.authored_label(&item, shown, None), l);
            }
        }
    }

    #[test]
    fn a_pinned_item_is_not_arranged() {
        assert_eq!(Arrangement::draw(&single(false), 7), None);
    }

    #[test]
    fn an_unknown_letter_passes_through_for_validation_to_report() {
        let item = single(true);
        let a = Arrangement::draw(&item, 3).unwrap_or_default();
        assert_eq!(a.authored_label(&item, 'Z', None), 'Z');
        assert_eq!(a.authored_label(&item, '?', None), '?');
    }

    #[test]
    fn the_same_seed_gives_the_same_order_and_items_differ() {
        let item = single(true);
        assert_eq!(Arrangement::draw(&item, 11), Arrangement::draw(&item, 11));
        let orders: std::collections::BTreeSet<Vec<u16>> = (0..40)
            .filter_map(|s| Arrangement::draw(&item, s))
            .map(|a| a.parts)
            .collect();
        assert!(orders.len() > 10, "{orders:?}");
    }
}
