//! Choosing the items of a session: an exam form assembled from the outline's domain weights
//! (seeded and reproducible), or a custom selection filtered by the candidate's history.

use std::collections::{BTreeMap, BTreeSet};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::exam::{Outline, OutlineRef};
use crate::item::{Bank, Item, Membership};
use crate::stats::primary_domain;

/// A part of a session. On an exam, each case study is its own section, and a section locks
/// once the candidate leaves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum SectionKind {
    Main,
    CaseStudy(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSection {
    pub kind: SectionKind,
    pub items: Vec<String>,
}

/// The items of a session, in order, by section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub sections: Vec<FormSection>,
}

impl Form {
    pub fn item_ids(&self) -> impl Iterator<Item = &String> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }
    pub fn len(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("no item of the bank serves outline {0}")]
    NoItems(OutlineRef),
    #[error(
        "the bank cannot fill a form of {min}–{max} items within the domain weights of {outline} \
         (it has {available} items serving it)"
    )]
    Infeasible {
        outline: OutlineRef,
        min: u32,
        max: u32,
        available: usize,
    },
    #[error("no item matches the filters")]
    NothingSelected,
}

/// A unit of selection: a standalone item, a whole series, or a whole case study.
#[derive(Debug, Clone)]
struct Unit<'a> {
    items: Vec<&'a Item>,
    case_study: Option<String>,
}

impl Unit<'_> {
    fn domain_counts(&self, outline_ref: &OutlineRef, outline: &Outline) -> BTreeMap<String, u32> {
        let mut counts = BTreeMap::new();
        for item in &self.items {
            if let Some(d) = primary_domain(item, outline_ref, outline) {
                *counts.entry(d.to_string()).or_insert(0) += 1;
            }
        }
        counts
    }
}

/// Groups the items serving the outline into units: series and case studies stay whole.
fn units<'a>(bank: &'a Bank, outline_ref: &'a OutlineRef) -> Vec<Unit<'a>> {
    let mut groups: BTreeMap<String, Unit<'a>> = BTreeMap::new();
    let mut out = Vec::new();
    for item in bank.serving(outline_ref) {
        match &item.group {
            None => out.push(Unit {
                items: vec![item],
                case_study: None,
            }),
            Some(Membership::Series(id)) => groups
                .entry(format!("s:{id}"))
                .or_insert_with(|| Unit {
                    items: vec![],
                    case_study: None,
                })
                .items
                .push(item),
            Some(Membership::CaseStudy(id)) => groups
                .entry(format!("c:{id}"))
                .or_insert_with(|| Unit {
                    items: vec![],
                    case_study: Some(id.clone()),
                })
                .items
                .push(item),
        }
    }
    out.extend(groups.into_values());
    out
}

/// How many items each domain may take in a form of `n` items: `[ceil(min·n), floor(max·n)]`.
fn bounds(outline: &Outline, n: u32) -> BTreeMap<String, (u32, u32)> {
    outline
        .domains
        .iter()
        .map(|d| {
            let lo = (d.weight_min * n).div_ceil(100);
            let hi = d.weight_max * n / 100;
            (d.id.clone(), (lo, hi))
        })
        .collect()
}

/// Assembles an exam form: between `min` and `max` items, each domain's share within its
/// weight range, at most one case study and one series, chosen with a seeded generator so the
/// same seed gives the same form.
pub fn assemble_exam(
    bank: &Bank,
    outline_ref: &OutlineRef,
    outline: &Outline,
    (min, max): (u32, u32),
    seed: u64,
) -> Result<Form, FormError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let all = units(bank, outline_ref);
    if all.is_empty() {
        return Err(FormError::NoItems(outline_ref.clone()));
    }
    let available: usize = all.iter().map(|u| u.items.len()).sum();
    let target = rng.random_range(min..=max.max(min));
    // Try the drawn length first, then the others nearest to it.
    let mut lengths: Vec<u32> = (min..=max.max(min)).collect();
    lengths.sort_by_key(|n| (n.abs_diff(target), *n));
    for n in lengths {
        for _attempt in 0..8 {
            if let Some(form) = try_assemble(&all, outline_ref, outline, n, &mut rng) {
                return Ok(form);
            }
        }
    }
    Err(FormError::Infeasible {
        outline: outline_ref.clone(),
        min,
        max,
        available,
    })
}

fn try_assemble(
    all: &[Unit<'_>],
    outline_ref: &OutlineRef,
    outline: &Outline,
    n: u32,
    rng: &mut ChaCha8Rng,
) -> Option<Form> {
    let bounds = bounds(outline, n);
    let mut counts: BTreeMap<String, u32> = bounds.keys().map(|k| (k.clone(), 0)).collect();
    let mut chosen: Vec<&Unit<'_>> = Vec::new();
    let fits = |counts: &BTreeMap<String, u32>, unit: &Unit<'_>, total: u32| {
        let add = unit.domain_counts(outline_ref, outline);
        total + u32::try_from(unit.items.len()).unwrap_or(u32::MAX) <= n
            && add.iter().all(|(d, c)| {
                bounds
                    .get(d)
                    .is_some_and(|(_, hi)| counts.get(d).copied().unwrap_or(0) + c <= *hi)
            })
    };
    let add = |counts: &mut BTreeMap<String, u32>, unit: &Unit<'_>| {
        for (d, c) in unit.domain_counts(outline_ref, outline) {
            *counts.entry(d).or_insert(0) += c;
        }
    };
    let mut total = 0u32;
    // At most one case study and one series, as on the real exam.
    for pick_case in [true, false] {
        let mut groups: Vec<&Unit<'_>> = all
            .iter()
            .filter(|u| u.items.len() > 1 || u.case_study.is_some())
            .filter(|u| u.case_study.is_some() == pick_case)
            .collect();
        groups.shuffle(rng);
        if let Some(unit) = groups.into_iter().find(|u| fits(&counts, u, total)) {
            add(&mut counts, unit);
            total += u32::try_from(unit.items.len()).unwrap_or(u32::MAX);
            chosen.push(unit);
        }
    }
    // Standalone items by domain: first each domain's minimum, then the rest at random.
    let mut singles: Vec<&Unit<'_>> = all
        .iter()
        .filter(|u| u.items.len() == 1 && u.case_study.is_none())
        .collect();
    singles.shuffle(rng);
    let mut used = vec![false; singles.len()];
    for (domain, (lo, _)) in &bounds {
        for (i, unit) in singles.iter().enumerate() {
            if counts.get(domain).copied().unwrap_or(0) >= *lo {
                break;
            }
            let in_domain =
                primary_domain(unit.items[0], outline_ref, outline) == Some(domain.as_str());
            if !used[i] && in_domain && fits(&counts, unit, total) {
                used[i] = true;
                add(&mut counts, unit);
                total += 1;
                chosen.push(unit);
            }
        }
    }
    for (i, unit) in singles.iter().enumerate() {
        if total >= n {
            break;
        }
        if !used[i] && fits(&counts, unit, total) {
            used[i] = true;
            add(&mut counts, unit);
            total += 1;
            chosen.push(unit);
        }
    }
    let within = bounds
        .iter()
        .all(|(d, (lo, hi))| (*lo..=*hi).contains(&counts.get(d).copied().unwrap_or(0)));
    if total != n || !within {
        return None;
    }
    Some(order_form(chosen, rng))
}

/// Main section: standalone items shuffled, a series kept together; then the case study.
fn order_form(chosen: Vec<&Unit<'_>>, rng: &mut ChaCha8Rng) -> Form {
    let mut main: Vec<Vec<String>> = Vec::new();
    let mut cases = Vec::new();
    for unit in chosen {
        let ids: Vec<String> = unit.items.iter().map(|i| i.id.clone()).collect();
        match &unit.case_study {
            Some(id) => cases.push(FormSection {
                kind: SectionKind::CaseStudy(id.clone()),
                items: ids,
            }),
            None => main.push(ids),
        }
    }
    main.shuffle(rng);
    let mut sections = vec![FormSection {
        kind: SectionKind::Main,
        items: main.into_iter().flatten().collect(),
    }];
    sections.extend(cases);
    Form { sections }
}

/// What a candidate's earlier sessions say about one item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemHistory {
    /// The latest answer scored less than full marks.
    pub missed: bool,
    /// Marked for review in some session.
    pub marked: bool,
    pub answered: bool,
}

/// Filters for custom practice; empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFilter {
    pub domains: Vec<String>,
    pub objectives: Vec<String>,
    pub only_missed: bool,
    pub only_marked: bool,
    pub only_unseen: bool,
    /// Only these items (the review queue's due items, say); empty means any.
    #[serde(default)]
    pub items: Vec<String>,
    pub count: Option<u32>,
}

/// Custom practice: items of the outline that pass the filters, in seeded random order, with
/// case-study and series members kept next to each other. Everything is in one section.
pub fn select_custom(
    bank: &Bank,
    outline_ref: &OutlineRef,
    outline: &Outline,
    filter: &CustomFilter,
    history: &BTreeMap<String, ItemHistory>,
    seed: u64,
) -> Result<Form, FormError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let keep = |item: &Item| {
        let h = history.get(&item.id).copied().unwrap_or_default();
        let domain_ok = filter.domains.is_empty()
            || primary_domain(item, outline_ref, outline)
                .is_some_and(|d| filter.domains.iter().any(|f| f == d));
        let objective_ok = filter.objectives.is_empty()
            || item
                .objectives_in(outline_ref)
                .iter()
                .any(|o| filter.objectives.contains(o));
        domain_ok
            && objective_ok
            && (!filter.only_missed || h.missed)
            && (!filter.only_marked || h.marked)
            && (!filter.only_unseen || !h.answered)
            && (filter.items.is_empty() || filter.items.contains(&item.id))
    };
    let mut groups: Vec<Vec<&Item>> = Vec::new();
    let mut seen_groups: BTreeSet<String> = BTreeSet::new();
    for item in bank.serving(outline_ref).filter(|i| keep(i)) {
        let group = match &item.group {
            Some(Membership::Series(id)) | Some(Membership::CaseStudy(id)) => Some(id.clone()),
            None => None,
        };
        match group {
            Some(id) if !seen_groups.insert(id.clone()) => {
                if let Some(g) = groups.iter_mut().find(|g| g[0].group == item.group) {
                    g.push(item);
                }
            }
            _ => groups.push(vec![item]),
        }
    }
    if groups.is_empty() {
        return Err(FormError::NothingSelected);
    }
    groups.shuffle(&mut rng);
    let mut items: Vec<String> = groups.into_iter().flatten().map(|i| i.id.clone()).collect();
    if let Some(count) = filter.count {
        items.truncate(count as usize);
    }
    Ok(Form {
        sections: vec![FormSection {
            kind: SectionKind::Main,
            items,
        }],
    })
}

/// A fixed form: a published practice test whose items are the same for everyone, so a
/// candidate can compare attempts and a team can compare members on the same form. Forms are
/// data beside the bank (`content/forms/*.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedForm {
    pub id: String,
    pub title: String,
    pub outline: OutlineRef,
    /// As written: ids of standalone items, series and case studies, in the order served.
    pub entries: Vec<String>,
}

/// Something wrong with a fixed form, and the entry it concerns (`None`: the whole form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedFormProblem {
    pub entry: Option<usize>,
    pub message: String,
}

impl FixedForm {
    /// The form's sections: standalone items and series in the written order, then each case
    /// study as its own section (it locks once left, as on the exam). Unknown ids are skipped
    /// (`check` reports them).
    pub fn form(&self, bank: &Bank) -> Form {
        let mut main = Vec::new();
        let mut cases = Vec::new();
        let mut seen = BTreeSet::new();
        for entry in self.entries.iter().filter(|e| seen.insert(e.as_str())) {
            if let Some(case) = bank.case_studies.iter().find(|c| &c.id == entry) {
                cases.push(FormSection {
                    kind: SectionKind::CaseStudy(case.id.clone()),
                    items: case.items.clone(),
                });
            } else if let Some(series) = bank.series.iter().find(|s| &s.id == entry) {
                main.extend(series.items.iter().cloned());
            } else if bank.item(entry).is_some() {
                main.push(entry.clone());
            }
        }
        let mut sections = vec![FormSection {
            kind: SectionKind::Main,
            items: main,
        }];
        sections.extend(cases);
        Form { sections }
    }

    /// Checks the form against the bank and the outline: every entry exists, serves the
    /// outline and appears once; group members are listed through their group; the length is
    /// within the exam's question range; each domain's share is within its weight range (as
    /// for a random form, `[ceil(min·n), floor(max·n)]` items).
    pub fn check(
        &self,
        bank: &Bank,
        outline: &Outline,
        range: (u32, u32),
    ) -> Vec<FixedFormProblem> {
        let mut problems = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut at = |entry: Option<usize>, message: String| {
            problems.push(FixedFormProblem { entry, message })
        };
        for (i, entry) in self.entries.iter().enumerate() {
            if !seen.insert(entry) {
                at(Some(i), format!("`{entry}` is listed twice"));
                continue;
            }
            let members: Vec<&String> =
                if let Some(case) = bank.case_studies.iter().find(|c| &c.id == entry) {
                    case.items.iter().collect()
                } else if let Some(series) = bank.series.iter().find(|s| &s.id == entry) {
                    series.items.iter().collect()
                } else if let Some(item) = bank.item(entry) {
                    if let Some(Membership::CaseStudy(g) | Membership::Series(g)) = &item.group {
                        at(
                            Some(i),
                            format!("`{entry}` belongs to `{g}`: list the whole group by its id"),
                        );
                    }
                    vec![entry]
                } else {
                    at(
                        Some(i),
                        format!("`{entry}` is not an item, series or case study of the bank"),
                    );
                    continue;
                };
            for id in members {
                if !bank.item(id).is_some_and(|it| it.serves(&self.outline)) {
                    at(Some(i), format!("`{id}` does not serve {}", self.outline));
                }
            }
        }
        let form = self.form(bank);
        let n = u32::try_from(form.len()).unwrap_or(u32::MAX);
        let (min, max) = range;
        if !(min..=max).contains(&n) {
            at(
                None,
                format!("the form has {n} items; the exam has {min}–{max} questions"),
            );
            // Weights are judged on a form of a real exam's length only.
            return problems;
        }
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        for id in form.item_ids() {
            if let Some(d) = bank
                .item(id)
                .and_then(|it| primary_domain(it, &self.outline, outline))
            {
                *counts.entry(d).or_insert(0) += 1;
            }
        }
        for (domain, (lo, hi)) in bounds(outline, n) {
            let count = counts.get(domain.as_str()).copied().unwrap_or(0);
            if !(lo..=hi).contains(&count) {
                at(
                    None,
                    format!(
                        "domain `{domain}` has {count} of {n} items; its weight allows {lo}–{hi}"
                    ),
                );
            }
        }
        problems
    }
}
