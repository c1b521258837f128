//! Near-duplicate items: two items that test the same fact with nearly the same material.
//!
//! Each item becomes the set of its word shingles (stem, every option or statement with its
//! note, and the explanation; lower-cased, common words dropped). MinHash signatures estimate
//! the Jaccard similarity of two sets; locality-sensitive hashing over bands of the signature
//! finds the candidate pairs without comparing every pair, and each candidate's exact Jaccard
//! decides. With `hashes = 128` and `bands = 64` (two rows per band) a pair at similarity 0.3
//! becomes a candidate with probability 1 − (1 − 0.3²)⁶⁴ ≈ 0.998.

use std::collections::{BTreeSet, HashMap};

use certprep_domain::Item;
use certprep_domain::item::{ItemBody, Membership};
use serde::Serialize;

use super::config::DuplicateSettings;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicatePair {
    pub a: String,
    pub b: String,
    /// Exact Jaccard similarity of the two items' shingle sets.
    pub similarity: f64,
    /// The author's reason for keeping both, when the pair is listed in `qa.toml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explained: Option<String>,
}

/// Words that carry no topic and would make every pair look alike.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "both", "but", "by", "can", "do", "does", "each",
    "for", "from", "has", "have", "in", "into", "is", "it", "its", "more", "most", "must", "no",
    "not", "of", "on", "one", "only", "or", "should", "than", "that", "the", "their", "they",
    "this", "to", "two", "use", "used", "using", "what", "when", "which", "will", "with", "you",
    "your", "also", "three", "four",
];

/// The text an item is compared on.
fn item_text(item: &Item) -> String {
    let mut parts = vec![item.stem.clone()];
    let mut push = |text: &str, note: &str| {
        parts.push(text.to_string());
        parts.push(note.to_string());
    };
    match &item.body {
        ItemBody::Single { options } | ItemBody::Multiple { options, .. } => {
            options.iter().for_each(|o| push(&o.text, &o.note))
        }
        ItemBody::Order { actions } => actions.iter().for_each(|a| push(&a.text, &a.note)),
        ItemBody::Match {
            sources, targets, ..
        } => {
            sources.iter().for_each(|s| push(&s.text, &s.note));
            targets.iter().for_each(|t| push(&t.text, &t.note));
        }
        ItemBody::Dropdown { slots } => slots
            .iter()
            .flat_map(|s| &s.choices)
            .for_each(|c| push(&c.text, &c.note)),
        ItemBody::YesNo { statements } => statements.iter().for_each(|s| push(&s.text, &s.note)),
        ItemBody::Solution { statement } => push(&statement.text, &statement.note),
    }
    parts.push(item.explanation.clone());
    parts.join(" ")
}

fn shingles(text: &str, size: usize) -> BTreeSet<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect();
    words
        .windows(size.max(1))
        .map(|w| fnv1a(w.join(" ").as_bytes()))
        .collect()
}

/// FNV-1a: a fixed, portable hash, so reports are the same on every machine and run.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64: turns one hash into the i-th of a family of independent-looking hashes.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn signature(set: &BTreeSet<u64>, hashes: usize) -> Vec<u64> {
    (0..hashes as u64)
        .map(|i| {
            let seed = mix(i.wrapping_add(1));
            set.iter().map(|h| mix(h ^ seed)).min().unwrap_or(u64::MAX)
        })
        .collect()
}

fn jaccard(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

fn same_series(a: &Item, b: &Item) -> bool {
    matches!(
        (&a.group, &b.group),
        (Some(Membership::Series(x)), Some(Membership::Series(y))) if x == y
    )
}

/// Pairs of items at or above the threshold, most similar first.
pub fn near_duplicates<'a>(
    items: impl IntoIterator<Item = &'a Item>,
    settings: &DuplicateSettings,
) -> Vec<DuplicatePair> {
    let items: Vec<&Item> = items.into_iter().collect();
    let sets: Vec<BTreeSet<u64>> = items
        .iter()
        .map(|i| shingles(&item_text(i), settings.shingle))
        .collect();
    let signatures: Vec<Vec<u64>> = sets.iter().map(|s| signature(s, settings.hashes)).collect();
    let rows = (settings.hashes / settings.bands.max(1)).max(1);
    let mut candidates: BTreeSet<(usize, usize)> = BTreeSet::new();
    for band in 0..settings.bands {
        let mut buckets: HashMap<&[u64], Vec<usize>> = HashMap::new();
        for (i, sig) in signatures.iter().enumerate() {
            if let Some(slice) = sig.get(band * rows..(band + 1) * rows)
                && !sets[i].is_empty()
            {
                buckets.entry(slice).or_default().push(i);
            }
        }
        for members in buckets.values() {
            for (n, a) in members.iter().enumerate() {
                for b in &members[n + 1..] {
                    candidates.insert((*a, *b));
                }
            }
        }
    }
    let mut pairs: Vec<DuplicatePair> = candidates
        .into_iter()
        // The items of one yes/no series restate one goal by design (each proposes another
        // solution to it), so their similarity says nothing about duplication.
        .filter(|(a, b)| !same_series(items[*a], items[*b]))
        .filter_map(|(a, b)| {
            let similarity = jaccard(&sets[a], &sets[b]);
            (similarity >= settings.threshold).then(|| {
                let (a, b) = (&items[a].id, &items[b].id);
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                DuplicatePair {
                    a: a.clone(),
                    b: b.clone(),
                    similarity: (similarity * 1000.0).round() / 1000.0,
                    explained: settings
                        .explained
                        .iter()
                        .find(|e| {
                            (e.items[0] == *a && e.items[1] == *b)
                                || (e.items[0] == *b && e.items[1] == *a)
                        })
                        .map(|e| e.reason.clone()),
                }
            })
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minhash_estimates_jaccard() {
        let a: BTreeSet<u64> = (0..200).collect();
        let b: BTreeSet<u64> = (100..300).collect();
        let exact = jaccard(&a, &b);
        let (sa, sb) = (signature(&a, 512), signature(&b, 512));
        let estimate = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / 512.0;
        assert!((exact - 1.0 / 3.0).abs() < 1e-9);
        assert!((estimate - exact).abs() < 0.07, "{estimate} vs {exact}");
    }
}
