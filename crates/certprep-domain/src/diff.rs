//! What changed between two outline versions (of one exam, or of an exam and its successor),
//! and which items each change leaves without an objective.

use serde::Serialize;

use crate::exam::{Domain, Outline, OutlineRef};
use crate::item::Bank;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectiveRef {
    pub id: String,
    pub title: String,
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedObjective {
    #[serde(flatten)]
    pub objective: ObjectiveRef,
    /// Items that served this objective and serve nothing in the new outline.
    pub orphaned_items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedObjective {
    pub id: String,
    pub title: String,
    pub from_domain: String,
    pub to_domain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenamedObjective {
    pub id: String,
    pub from_title: String,
    pub to_title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainWeight {
    pub id: String,
    pub title: String,
    pub weight_min: u32,
    pub weight_max: u32,
}

impl From<&Domain> for DomainWeight {
    fn from(d: &Domain) -> Self {
        DomainWeight {
            id: d.id.clone(),
            title: d.title.clone(),
            weight_min: d.weight_min,
            weight_max: d.weight_max,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reweighted {
    pub id: String,
    pub title: String,
    pub from: (u32, u32),
    pub to: (u32, u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutlineDiff {
    pub from: OutlineRef,
    pub to: OutlineRef,
    pub domains_added: Vec<DomainWeight>,
    pub domains_removed: Vec<DomainWeight>,
    pub reweighted: Vec<Reweighted>,
    pub objectives_added: Vec<ObjectiveRef>,
    pub objectives_removed: Vec<RemovedObjective>,
    pub objectives_moved: Vec<MovedObjective>,
    pub objectives_renamed: Vec<RenamedObjective>,
    /// Items serving the old outline that also serve the new one, explicitly or through an
    /// objective id both outlines share.
    pub items_carried_over: usize,
    /// Items serving the old outline that serve nothing in the new one.
    pub items_orphaned: Vec<String>,
}

/// Compares two outlines. Objectives are matched by id, domains by id.
pub fn diff_outlines(
    from_ref: &OutlineRef,
    from: &Outline,
    to_ref: &OutlineRef,
    to: &Outline,
    bank: &Bank,
) -> OutlineDiff {
    let (domains_added, domains_removed, reweighted) = diff_domains(from, to);
    let mut diff = OutlineDiff {
        from: from_ref.clone(),
        to: to_ref.clone(),
        domains_added,
        domains_removed,
        reweighted,
        objectives_added: vec![],
        objectives_removed: vec![],
        objectives_moved: vec![],
        objectives_renamed: vec![],
        items_carried_over: 0,
        items_orphaned: vec![],
    };
    for (domain, objective) in to.objectives() {
        match from.objective(&objective.id) {
            None => diff.objectives_added.push(ObjectiveRef {
                id: objective.id.clone(),
                title: objective.title.clone(),
                domain: domain.id.clone(),
            }),
            Some((old_domain, old)) => {
                if old_domain.id != domain.id {
                    diff.objectives_moved.push(MovedObjective {
                        id: objective.id.clone(),
                        title: objective.title.clone(),
                        from_domain: old_domain.id.clone(),
                        to_domain: domain.id.clone(),
                    });
                }
                if old.title != objective.title {
                    diff.objectives_renamed.push(RenamedObjective {
                        id: objective.id.clone(),
                        from_title: old.title.clone(),
                        to_title: objective.title.clone(),
                    });
                }
            }
        }
    }
    for item in bank.serving(from_ref) {
        let carried = item.serves(to_ref)
            || item
                .objectives_in(from_ref)
                .iter()
                .any(|id| to.objective(id).is_some());
        if carried {
            diff.items_carried_over += 1;
        } else {
            diff.items_orphaned.push(item.id.clone());
        }
    }
    for (domain, objective) in from.objectives() {
        if to.objective(&objective.id).is_some() {
            continue;
        }
        let orphaned_items = bank
            .serving(from_ref)
            .filter(|i| diff.items_orphaned.contains(&i.id))
            .filter(|i| i.objectives_in(from_ref).contains(&objective.id))
            .map(|i| i.id.clone())
            .collect();
        diff.objectives_removed.push(RemovedObjective {
            objective: ObjectiveRef {
                id: objective.id.clone(),
                title: objective.title.clone(),
                domain: domain.id.clone(),
            },
            orphaned_items,
        });
    }
    diff
}

fn diff_domains(
    from: &Outline,
    to: &Outline,
) -> (Vec<DomainWeight>, Vec<DomainWeight>, Vec<Reweighted>) {
    let added = to
        .domains
        .iter()
        .filter(|d| from.domain(&d.id).is_none())
        .map(DomainWeight::from)
        .collect();
    let removed = from
        .domains
        .iter()
        .filter(|d| to.domain(&d.id).is_none())
        .map(DomainWeight::from)
        .collect();
    let reweighted = to
        .domains
        .iter()
        .filter_map(|d| {
            let old = from.domain(&d.id)?;
            let changed = (old.weight_min, old.weight_max) != (d.weight_min, d.weight_max);
            changed.then(|| Reweighted {
                id: d.id.clone(),
                title: d.title.clone(),
                from: (old.weight_min, old.weight_max),
                to: (d.weight_min, d.weight_max),
            })
        })
        .collect();
    (added, removed, reweighted)
}
