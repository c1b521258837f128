//! Answer cues: what the form of the options gives away to a test-wise candidate who has not
//! learned the content ("pick the longest", "never D").

use std::collections::BTreeMap;

use certprep_domain::Item;
use certprep_domain::item::{Choice, ItemBody};
use serde::Serialize;

use super::config::CueBounds;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CueFigures {
    pub single_items: usize,
    /// Single-choice items whose key is the longest option (ties count as longest).
    pub single_key_longest: usize,
    pub single_key_longest_percent: f64,
    /// Per letter, how many single-choice items it keys, and the share.
    pub single_key_letters: BTreeMap<char, LetterShare>,
    pub multiple_items: usize,
    /// Multiple-response items whose keys are exactly the longest options.
    pub multiple_keys_longest: usize,
    pub multiple_keys_longest_percent: f64,
    /// Mean rank of a key's length among its item's options, 0 (shortest) to 1 (longest);
    /// about 0.5 when length says nothing.
    pub multiple_key_length_rank: f64,
    /// The single-choice items whose key is the longest option, for authors to fix.
    pub longest_key_items: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LetterShare {
    pub count: usize,
    pub percent: f64,
}

impl CueFigures {
    /// Where the key's length gives it away, one line each; empty when it does not.
    pub fn length_violations(&self, bounds: &CueBounds) -> Vec<String> {
        let mut out = Vec::new();
        if self.single_key_longest_percent > bounds.single_longest_max {
            out.push(format!(
                "single choice: the key is the longest option in {:.1}% of items (at most {}%)",
                self.single_key_longest_percent, bounds.single_longest_max
            ));
        }
        if self.multiple_keys_longest_percent > bounds.multiple_longest_max {
            out.push(format!(
                "multiple response: the keys are the longest options in {:.1}% of items (at most {}%)",
                self.multiple_keys_longest_percent, bounds.multiple_longest_max
            ));
        }
        out
    }

    /// Where the key's letter gives it away, one line each; empty when it does not.
    pub fn letter_violations(&self, bounds: &CueBounds) -> Vec<String> {
        let mut out = Vec::new();
        for letter in ['A', 'B', 'C', 'D'] {
            let share = self
                .single_key_letters
                .get(&letter)
                .map_or(0.0, |s| s.percent);
            if !(bounds.single_letter_min..=bounds.single_letter_max).contains(&share) {
                out.push(format!(
                    "single choice: {letter} is the key in {share:.1}% of items ({}–{}%)",
                    bounds.single_letter_min, bounds.single_letter_max
                ));
            }
        }
        out
    }
}

fn length(c: &Choice) -> usize {
    c.text.chars().count()
}

pub fn cue_figures<'a>(items: impl IntoIterator<Item = &'a Item>) -> CueFigures {
    let mut single_items = 0;
    let mut single_key_longest = 0;
    let mut letters: BTreeMap<char, usize> = BTreeMap::new();
    let mut longest_key_items = Vec::new();
    let mut multiple_items = 0;
    let mut multiple_keys_longest = 0;
    let mut rank_sum = 0.0;
    let mut rank_count = 0usize;
    for item in items {
        match &item.body {
            ItemBody::Single { options } => {
                let mut keys = options.iter().filter(|o| o.correct);
                let (Some(key), None) = (keys.next(), keys.next()) else {
                    continue;
                };
                single_items += 1;
                *letters.entry(key.label).or_insert(0) += 1;
                let longest = options.iter().map(length).max().unwrap_or(0);
                if length(key) == longest {
                    single_key_longest += 1;
                    longest_key_items.push(item.id.clone());
                }
            }
            ItemBody::Multiple { options, .. } => {
                let keys: Vec<usize> = options.iter().filter(|o| o.correct).map(length).collect();
                if keys.is_empty() || options.len() <= keys.len() {
                    continue;
                }
                multiple_items += 1;
                let shortest_key = keys.iter().min().copied().unwrap_or(0);
                // The keys are "the longest" when no distractor is longer than the shortest key.
                let distractor_longer = options
                    .iter()
                    .filter(|o| !o.correct)
                    .any(|o| length(o) > shortest_key);
                if !distractor_longer {
                    multiple_keys_longest += 1;
                }
                let others = options.len() - 1;
                for k in &keys {
                    let shorter = options.iter().filter(|o| length(o) < *k).count();
                    rank_sum += shorter as f64 / others as f64;
                    rank_count += 1;
                }
            }
            _ => {}
        }
    }
    let percent = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            (part as f64 * 1000.0 / whole as f64).round() / 10.0
        }
    };
    CueFigures {
        single_items,
        single_key_longest,
        single_key_longest_percent: percent(single_key_longest, single_items),
        single_key_letters: letters
            .into_iter()
            .map(|(l, count)| {
                (
                    l,
                    LetterShare {
                        count,
                        percent: percent(count, single_items),
                    },
                )
            })
            .collect(),
        multiple_items,
        multiple_keys_longest,
        multiple_keys_longest_percent: percent(multiple_keys_longest, multiple_items),
        multiple_key_length_rank: if rank_count == 0 {
            0.5
        } else {
            (rank_sum / rank_count as f64 * 100.0).round() / 100.0
        },
        longest_key_items,
    }
}
