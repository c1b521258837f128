//! Coverage of a bank against one outline: items per domain and objective against the
//! published weights, per type and difficulty, and the gaps an author should fill.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::exam::{Outline, OutlineRef};
use crate::item::{Bank, Item, ItemKind};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveStats {
    pub id: String,
    pub title: String,
    pub count: usize,
    /// Why the objective's service is gone: no item is expected for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired: Option<String>,
}

/// Where a domain's share of items stands against its published weight range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    Under,
    Within,
    Over,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainStats {
    pub domain: String,
    pub title: String,
    /// Items whose first objective for this outline lies in the domain.
    pub count: usize,
    /// `count` as a percentage of all items serving the outline.
    pub share: f64,
    pub weight_min: u32,
    pub weight_max: u32,
    pub coverage: Coverage,
    pub objectives: Vec<ObjectiveStats>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Gap {
    /// An objective no item serves.
    Objective {
        domain: String,
        id: String,
        title: String,
    },
    /// A domain whose share of items is below its weight range.
    DomainUnder {
        domain: String,
        share: f64,
        weight_min: u32,
    },
    /// An item type the bank has no item of for this outline.
    Type { name: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankStats {
    pub outline: OutlineRef,
    pub total: usize,
    pub by_domain: Vec<DomainStats>,
    pub by_type: BTreeMap<String, usize>,
    pub by_difficulty: BTreeMap<u8, usize>,
    pub case_studies: usize,
    pub series: usize,
    pub gaps: Vec<Gap>,
}

/// The domain an item counts towards for an outline: the domain of its first objective there.
/// Counting each item once keeps domain shares summing to 100%.
pub fn primary_domain<'o>(
    item: &Item,
    outline_ref: &OutlineRef,
    outline: &'o Outline,
) -> Option<&'o str> {
    item.objectives_in(outline_ref)
        .iter()
        .find_map(|id| outline.objective(id))
        .map(|(d, _)| d.id.as_str())
}

pub fn bank_stats(bank: &Bank, outline_ref: &OutlineRef, outline: &Outline) -> BankStats {
    let items: Vec<&Item> = bank.serving(outline_ref).collect();
    let total = items.len();
    let mut by_domain: Vec<DomainStats> = outline
        .domains
        .iter()
        .map(|d| {
            let count = items
                .iter()
                .filter(|i| primary_domain(i, outline_ref, outline) == Some(d.id.as_str()))
                .count();
            let share = percent(count, total);
            let coverage = if share < f64::from(d.weight_min) {
                Coverage::Under
            } else if share > f64::from(d.weight_max) {
                Coverage::Over
            } else {
                Coverage::Within
            };
            let objectives = d
                .objectives()
                .map(|o| ObjectiveStats {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    retired: o.retired.clone(),
                    count: items
                        .iter()
                        .filter(|i| i.objectives_in(outline_ref).contains(&o.id))
                        .count(),
                })
                .collect();
            DomainStats {
                domain: d.id.clone(),
                title: d.title.clone(),
                count,
                share,
                weight_min: d.weight_min,
                weight_max: d.weight_max,
                coverage,
                objectives,
            }
        })
        .collect();
    let by_type = ItemKind::ALL
        .iter()
        .map(|k| {
            (
                k.name().to_string(),
                items.iter().filter(|i| i.kind() == *k).count(),
            )
        })
        .collect::<BTreeMap<_, _>>();
    let mut by_difficulty = BTreeMap::new();
    for item in &items {
        *by_difficulty.entry(item.difficulty).or_insert(0) += 1;
    }
    let gaps = gaps(&mut by_domain, &by_type);
    let in_group = |id: &String| items.iter().any(|i| &i.id == id);
    BankStats {
        outline: outline_ref.clone(),
        total,
        case_studies: bank
            .case_studies
            .iter()
            .filter(|c| c.items.iter().any(in_group))
            .count(),
        series: bank
            .series
            .iter()
            .filter(|s| s.items.iter().any(in_group))
            .count(),
        by_domain,
        by_type,
        by_difficulty,
        gaps,
    }
}

fn gaps(by_domain: &mut [DomainStats], by_type: &BTreeMap<String, usize>) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for d in by_domain.iter() {
        if d.coverage == Coverage::Under {
            gaps.push(Gap::DomainUnder {
                domain: d.domain.clone(),
                share: d.share,
                weight_min: d.weight_min,
            });
        }
        for o in d
            .objectives
            .iter()
            .filter(|o| o.count == 0 && o.retired.is_none())
        {
            gaps.push(Gap::Objective {
                domain: d.domain.clone(),
                id: o.id.clone(),
                title: o.title.clone(),
            });
        }
    }
    for (name, count) in by_type {
        if *count == 0 {
            gaps.push(Gap::Type { name: name.clone() });
        }
    }
    gaps
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        // Rounded to one decimal so JSON output is stable and readable.
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}
