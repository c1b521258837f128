//! Items (questions) as the engine sees them, whatever format they were written in.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::exam::OutlineRef;

/// The item types of Microsoft's role-based exams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Multiple choice with one answer.
    Single,
    /// Multiple response: "choose two".
    Multiple,
    /// Build list: pick a subset of actions and order them.
    Order,
    /// Drag and drop: put sources on targets.
    Match,
    /// Hot area / dropdowns inside a statement or code: one choice per slot.
    Dropdown,
    /// Yes/No for each statement of a grid.
    YesNo,
    /// One proposed solution of a problem–solution series: does it meet the goal?
    Solution,
}

impl ItemKind {
    pub const ALL: [ItemKind; 7] = [
        ItemKind::Single,
        ItemKind::Multiple,
        ItemKind::Order,
        ItemKind::Match,
        ItemKind::Dropdown,
        ItemKind::YesNo,
        ItemKind::Solution,
    ];

    /// The name used in bank files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Single => "single",
            ItemKind::Multiple => "multiple",
            ItemKind::Order => "order",
            ItemKind::Match => "match",
            ItemKind::Dropdown => "dropdown",
            ItemKind::YesNo => "yesno",
            ItemKind::Solution => "solution",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What candidates call it.
    pub fn description(self) -> &'static str {
        match self {
            ItemKind::Single => "single choice",
            ItemKind::Multiple => "multiple response",
            ItemKind::Order => "build list",
            ItemKind::Match => "drag and drop",
            ItemKind::Dropdown => "dropdown / hot area",
            ItemKind::YesNo => "yes/no statements",
            ItemKind::Solution => "yes/no series",
        }
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An option of a choice list (single, multiple, or one dropdown slot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub label: char,
    pub text: String,
    pub correct: bool,
    /// Why this choice is wrong (distractors) or any remark (keys).
    pub note: String,
}

/// An action of a build list; `position` is its place in the key, `None` when unused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub label: char,
    pub text: String,
    pub position: Option<u32>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub label: char,
    pub text: String,
    pub note: String,
}

/// A drop target; `key` is the label of the source that belongs on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub text: String,
    pub key: char,
    pub note: String,
}

/// One `{{N}}` placeholder of a dropdown item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub number: u32,
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub text: String,
    pub answer: bool,
    pub note: String,
}

/// The type-specific part of an item: what the candidate sees and the key. Externally tagged
/// (not `tag = "type"`) because the embedded library is read with serde at every start and an
/// internally tagged enum must be buffered first; interfaces show items through `present`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemBody {
    Single {
        options: Vec<Choice>,
    },
    Multiple {
        choose: u32,
        options: Vec<Choice>,
    },
    Order {
        actions: Vec<Action>,
    },
    Match {
        reuse: bool,
        sources: Vec<Source>,
        targets: Vec<Target>,
    },
    Dropdown {
        slots: Vec<Slot>,
    },
    #[serde(rename = "yesno")]
    YesNo {
        statements: Vec<Statement>,
    },
    Solution {
        statement: Statement,
    },
}

impl ItemBody {
    pub fn kind(&self) -> ItemKind {
        match self {
            ItemBody::Single { .. } => ItemKind::Single,
            ItemBody::Multiple { .. } => ItemKind::Multiple,
            ItemBody::Order { .. } => ItemKind::Order,
            ItemBody::Match { .. } => ItemKind::Match,
            ItemBody::Dropdown { .. } => ItemKind::Dropdown,
            ItemBody::YesNo { .. } => ItemKind::YesNo,
            ItemBody::Solution { .. } => ItemKind::Solution,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub title: Option<String>,
    pub url: String,
}

/// Which group an item belongs to, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Membership {
    CaseStudy(String),
    Series(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub version: u32,
    /// Scenario and question, Markdown.
    pub stem: String,
    pub body: ItemBody,
    pub explanation: String,
    pub references: Vec<Reference>,
    /// The objectives the item serves, per outline version.
    pub objectives: BTreeMap<OutlineRef, Vec<String>>,
    /// 1 (recall) to 5 (expert judgement), the author's estimate.
    pub difficulty: u8,
    pub tags: Vec<String>,
    pub reviewed: NaiveDate,
    pub shuffle: bool,
    pub group: Option<Membership>,
}

impl Item {
    pub fn kind(&self) -> ItemKind {
        self.body.kind()
    }

    /// The objectives this item serves in one outline version (empty when none).
    pub fn objectives_in(&self, outline: &OutlineRef) -> &[String] {
        self.objectives.get(outline).map_or(&[], Vec::as_slice)
    }

    pub fn serves(&self, outline: &OutlineRef) -> bool {
        !self.objectives_in(outline).is_empty()
    }

    /// The most points the item can give.
    pub fn max_points(&self) -> u32 {
        crate::grading::max_points(&self.body)
    }
}

/// A case study: a scenario in tabs and its own items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStudy {
    pub id: String,
    pub title: String,
    pub intro: String,
    pub tabs: Vec<Tab>,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tab {
    pub name: String,
    pub content: String,
}

/// A yes/no problem–solution series: one scenario, several proposed solutions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub id: String,
    pub scenario: String,
    pub items: Vec<String>,
}

/// A set of items with their groups, as loaded from one or more banks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bank {
    pub items: Vec<Item>,
    pub case_studies: Vec<CaseStudy>,
    pub series: Vec<Series>,
}

impl Bank {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The items that serve an outline version.
    pub fn serving<'a>(&'a self, outline: &'a OutlineRef) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.serves(outline))
    }

    /// Adds `other`, whose items, case studies and series replace ours with the same id.
    pub fn overlay(&mut self, other: Bank) {
        // By id through an index, so merging n items costs O(n), not O(n²): loading a bank
        // overlays items one at a time.
        fn merge<T>(ours: &mut Vec<T>, theirs: Vec<T>, id: impl Fn(&T) -> &str) {
            let mut at: std::collections::HashMap<String, usize> = ours
                .iter()
                .enumerate()
                .map(|(i, o)| (id(o).to_string(), i))
                .collect();
            for t in theirs {
                match at.get(id(&t)) {
                    Some(&i) => ours[i] = t,
                    None => {
                        at.insert(id(&t).to_string(), ours.len());
                        ours.push(t);
                    }
                }
            }
        }
        merge(&mut self.items, other.items, |i| &i.id);
        merge(&mut self.case_studies, other.case_studies, |c| &c.id);
        merge(&mut self.series, other.series, |s| &s.id);
    }
}
