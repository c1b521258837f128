//! Between an exam and its successor every objective id differs, so an outline diff calls
//! everything added and removed. An objective map (data) says where each skill went; with the
//! person's practice it says how much of their preparation carries over and what is new to them.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{AdvisorError, Result};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveMap {
    /// The outline mapped from, such as `ai-102@2025-12-23`.
    pub from: String,
    pub to: String,
    #[serde(rename = "map")]
    pub entries: Vec<MapEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MapEntry {
    pub from: String,
    pub to: Vec<String>,
    pub carries: Carries,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Carries {
    Full,
    Partial,
    None,
}

impl Carries {
    /// How much of practice on the old objective counts toward the new ones.
    pub fn weight(self) -> f64 {
        match self {
            Carries::Full => 1.0,
            Carries::Partial => 0.5,
            Carries::None => 0.0,
        }
    }
}

/// An outline's objectives: id, title, domain id.
#[derive(Debug, Clone)]
pub struct OutlineObjectives {
    pub outline: String,
    pub objectives: Vec<(String, String, String)>,
}

impl OutlineObjectives {
    fn title(&self, id: &str) -> Option<&str> {
        self.objectives
            .iter()
            .find(|(o, _, _)| o == id)
            .map(|(_, t, _)| t.as_str())
    }
}

impl ObjectiveMap {
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| AdvisorError::Data {
            file: file.to_string(),
            message: e.to_string(),
        })
    }

    /// Every objective of the old outline mapped exactly once, to objectives that exist in the
    /// new one, and only `none` without a destination.
    pub fn check(
        &self,
        file: &str,
        from: &OutlineObjectives,
        to: &OutlineObjectives,
    ) -> Result<()> {
        let mut problems = Vec::new();
        if self.from != from.outline || self.to != to.outline {
            problems.push(format!(
                "maps {} to {}, but was checked against {} and {}",
                self.from, self.to, from.outline, to.outline
            ));
        }
        let mut seen = HashSet::new();
        for e in &self.entries {
            if from.title(&e.from).is_none() {
                problems.push(format!(
                    "{} is not an objective of {}",
                    e.from, from.outline
                ));
            }
            if !seen.insert(e.from.as_str()) {
                problems.push(format!("{} is mapped twice", e.from));
            }
            for t in &e.to {
                if to.title(t).is_none() {
                    problems.push(format!(
                        "{} → {t}: not an objective of {}",
                        e.from, to.outline
                    ));
                }
            }
            match (e.carries, e.to.is_empty()) {
                (Carries::None, false) => problems.push(format!(
                    "{} carries none but lists objectives it goes to",
                    e.from
                )),
                (Carries::Full | Carries::Partial, true) => problems.push(format!(
                    "{} carries over but lists no objective it goes to",
                    e.from
                )),
                _ => {}
            }
        }
        for (id, _, _) in &from.objectives {
            if !seen.contains(id.as_str()) {
                problems.push(format!("{id} of {} is not mapped", from.outline));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(AdvisorError::Data {
                file: file.to_string(),
                message: problems.join("; "),
            })
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MappedObjective {
    pub id: String,
    pub title: String,
    pub carries: Carries,
    /// The successor's objectives it goes to: (id, title).
    pub to: Vec<(String, String)>,
    pub note: Option<String>,
    /// Items in the bank that serve both outlines and are tagged with this objective and one of
    /// its destinations: the evidence behind the pair.
    pub shared_items: usize,
    /// The person's answers on this objective (distinct items).
    pub practised: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CarryOver {
    pub from: String,
    pub to: String,
    /// Share of the person's practice (or of the old outline, with no practice) that counts
    /// toward the successor: full counts whole, partial half.
    pub share: f64,
    /// `"your practice"` or `"the outline"`: what the share is a share of.
    pub basis: &'static str,
    pub full: usize,
    pub partial: usize,
    pub none: usize,
    pub objectives: Vec<MappedObjective>,
    /// The successor's objectives nothing the person practised leads to: (id, title, domain).
    pub new_to_you: Vec<(String, String, String)>,
}

/// How much of the old outline (or of the person's practice on it) carries over.
///
/// `shared_items` counts, per (old objective, new objective), the items tagged with both;
/// `practised` counts the person's distinct items answered per old objective.
pub fn carry_over(
    map: &ObjectiveMap,
    from: &OutlineObjectives,
    to: &OutlineObjectives,
    shared_items: &HashMap<(String, String), usize>,
    practised: &HashMap<String, usize>,
) -> CarryOver {
    let objectives: Vec<MappedObjective> = from
        .objectives
        .iter()
        .filter_map(|(id, title, _)| {
            let e = map.entries.iter().find(|e| &e.from == id)?;
            Some(MappedObjective {
                id: id.clone(),
                title: title.clone(),
                carries: e.carries,
                to: e
                    .to
                    .iter()
                    .map(|t| (t.clone(), to.title(t).unwrap_or(t).to_string()))
                    .collect(),
                note: e.note.clone(),
                shared_items: e
                    .to
                    .iter()
                    .map(|t| {
                        shared_items
                            .get(&(id.clone(), t.clone()))
                            .copied()
                            .unwrap_or(0)
                    })
                    .sum(),
                practised: practised.get(id).copied().unwrap_or(0),
            })
        })
        .collect();
    let total_practised: usize = objectives.iter().map(|o| o.practised).sum();
    // With practice, each objective weighs by the person's answers on it; without, equally.
    let by_practice = total_practised > 0;
    let basis = if by_practice {
        "your practice"
    } else {
        "the outline"
    };
    let weight_of = |o: &MappedObjective| if by_practice { o.practised as f64 } else { 1.0 };
    let whole: f64 = objectives.iter().map(weight_of).sum();
    let carried: f64 = objectives
        .iter()
        .map(|o| weight_of(o) * o.carries.weight())
        .sum();
    let reached: HashSet<&str> = objectives
        .iter()
        .filter(|o| o.carries != Carries::None && (total_practised == 0 || o.practised > 0))
        .flat_map(|o| o.to.iter().map(|(t, _)| t.as_str()))
        .collect();
    let new_to_you = to
        .objectives
        .iter()
        .filter(|(id, _, _)| !reached.contains(id.as_str()))
        .cloned()
        .collect();
    let count = |c: Carries| objectives.iter().filter(|o| o.carries == c).count();
    CarryOver {
        from: map.from.clone(),
        to: map.to.clone(),
        share: if whole > 0.0 { carried / whole } else { 0.0 },
        basis,
        full: count(Carries::Full),
        partial: count(Carries::Partial),
        none: count(Carries::None),
        objectives,
        new_to_you,
    }
}

/// Per (old objective, new objective): how many items carry both tags.
pub fn shared_item_counts<'a>(
    items: impl IntoIterator<Item = (&'a [String], &'a [String])>,
) -> HashMap<(String, String), usize> {
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (old, new) in items {
        for a in old {
            for b in new {
                *counts.entry((a.clone(), b.clone())).or_default() += 1;
            }
        }
    }
    counts.into_iter().collect()
}
