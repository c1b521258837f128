//! The answer being edited on screen, before it is saved: one editor for every item type,
//! driven by keys, producing the engine's `Answer`.

use certprep_domain::grading::Answer;
use certprep_domain::item::ItemKind;
use certprep_domain::present::PresentedItem;

/// The candidate's work in progress on one item, and where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: ItemKind,
    /// Index of the focused option, action, target, slot or statement.
    pub cursor: usize,
    /// single / multiple: selected labels; order: the chosen sequence.
    pub labels: Vec<char>,
    /// match / dropdown: one choice per target or slot.
    pub parts: Vec<Option<char>>,
    /// yesno / solution: one answer per statement.
    pub yes_no: Vec<Option<bool>>,
    /// Changed since it was last saved.
    pub dirty: bool,
    /// How sure the candidate said they are (keys 1–3), for spaced repetition.
    pub confidence: Option<certprep_domain::session::Confidence>,
    /// The most choices a multiple-response item takes, or actions a build list takes.
    pub limit: Option<usize>,
    /// Drag and drop: whether a source may sit on several targets.
    pub reuse: bool,
}

impl Draft {
    /// A draft holding the saved answer (if any) of a presented item.
    pub fn of(item: &PresentedItem) -> Draft {
        let mut d = Draft {
            kind: item.kind,
            cursor: 0,
            labels: vec![],
            parts: vec![None; item.targets.len().max(item.slots.len())],
            yes_no: vec![None; item.statements.len()],
            dirty: false,
            confidence: item.confidence,
            limit: match item.kind {
                ItemKind::Multiple => item.choose.map(|n| n as usize),
                ItemKind::Order => item.places.map(|n| n as usize),
                _ => None,
            },
            reuse: item.reuse == Some(true),
        };
        match &item.answer {
            Some(Answer::Choice(c)) => d.labels = vec![*c],
            Some(Answer::Labels(v))
                if matches!(item.kind, ItemKind::Multiple | ItemKind::Order) =>
            {
                d.labels = v.iter().flatten().copied().collect();
            }
            Some(Answer::Labels(v)) => {
                for (slot, value) in d.parts.iter_mut().zip(v) {
                    *slot = *value;
                }
            }
            Some(Answer::YesNo(v)) => {
                for (slot, value) in d.yes_no.iter_mut().zip(v) {
                    *slot = *value;
                }
            }
            Some(Answer::Bool(b)) => d.yes_no = vec![Some(*b)],
            None => {}
        }
        d
    }

    /// The word shown for a confidence level.
    pub fn confidence_label(confidence: certprep_domain::session::Confidence) -> &'static str {
        use certprep_domain::session::Confidence;
        match confidence {
            Confidence::Low => "guess",
            Confidence::Medium => "medium",
            Confidence::High => "sure",
        }
    }

    /// How many rows the cursor moves over.
    pub fn rows(item: &PresentedItem) -> usize {
        match item.kind {
            ItemKind::Single | ItemKind::Multiple => item.options.len(),
            ItemKind::Order => item.actions.len(),
            ItemKind::Match => item.targets.len(),
            ItemKind::Dropdown => item.slots.len(),
            ItemKind::YesNo | ItemKind::Solution => item.statements.len(),
        }
    }

    pub fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn down(&mut self, item: &PresentedItem) {
        if self.cursor + 1 < Self::rows(item) {
            self.cursor += 1;
        }
    }

    fn focused_label(&self, item: &PresentedItem) -> Option<char> {
        match self.kind {
            ItemKind::Single | ItemKind::Multiple => item.options.get(self.cursor).map(|o| o.label),
            ItemKind::Order => item.actions.get(self.cursor).map(|a| a.label),
            _ => None,
        }
    }

    /// Space: select the focused option, toggle a choice or an action, cycle a slot, flip Yes/No.
    /// A choice beyond the item's stated limit is refused with the reason, as the engine would.
    pub fn toggle(&mut self, item: &PresentedItem) -> Result<(), String> {
        match self.kind {
            ItemKind::Single => {
                if let Some(l) = self.focused_label(item) {
                    self.labels = vec![l];
                }
            }
            ItemKind::Multiple | ItemKind::Order => {
                if let Some(l) = self.focused_label(item) {
                    match self.labels.iter().position(|x| *x == l) {
                        Some(i) => {
                            self.labels.remove(i);
                        }
                        None => {
                            if let Some(n) = self.limit.filter(|n| self.labels.len() >= *n) {
                                return Err(if self.kind == ItemKind::Multiple {
                                    format!(
                                        "Choose {n}: clear a choice (space on it) before choosing another."
                                    )
                                } else {
                                    format!(
                                        "This build list takes {n} actions: remove one (space on it) before adding another."
                                    )
                                });
                            }
                            self.labels.push(l);
                        }
                    }
                }
            }
            ItemKind::Dropdown => {
                if let (Some(slot), Some(part)) =
                    (item.slots.get(self.cursor), self.parts.get_mut(self.cursor))
                {
                    let labels: Vec<char> = slot.choices.iter().map(|c| c.label).collect();
                    let next = match part.and_then(|p| labels.iter().position(|l| *l == p)) {
                        Some(i) => labels.get((i + 1) % labels.len()).copied(),
                        None => labels.first().copied(),
                    };
                    *part = next;
                }
            }
            ItemKind::YesNo | ItemKind::Solution => {
                if let Some(v) = self.yes_no.get_mut(self.cursor) {
                    *v = Some(!v.unwrap_or(false));
                }
            }
            ItemKind::Match => {}
        }
        self.dirty = true;
        Ok(())
    }

    /// A letter key: put a source on the focused target, or pick a slot's choice by label.
    /// `Ok(false)` when the letter means nothing here; a source used once already where reuse is
    /// off is refused with the reason.
    pub fn letter(&mut self, item: &PresentedItem, letter: char) -> Result<bool, String> {
        let letter = letter.to_ascii_uppercase();
        if self.kind == ItemKind::Match
            && !self.reuse
            && let Some(other) = self
                .parts
                .iter()
                .enumerate()
                .position(|(i, p)| i != self.cursor && *p == Some(letter))
        {
            return Err(format!(
                "{letter} is already on target {}: each source may be used once (⌫ there clears it).",
                other + 1
            ));
        }
        let known = match self.kind {
            ItemKind::Match => item.sources.iter().any(|s| s.label == letter),
            ItemKind::Dropdown => item
                .slots
                .get(self.cursor)
                .is_some_and(|s| s.choices.iter().any(|c| c.label == letter)),
            _ => false,
        };
        if known && let Some(part) = self.parts.get_mut(self.cursor) {
            *part = Some(letter);
            self.dirty = true;
        }
        Ok(known)
    }

    /// Keys 1–3: how sure the candidate is; a change, so enter saves it with the answer.
    pub fn set_confidence(&mut self, confidence: certprep_domain::session::Confidence) {
        self.confidence = Some(confidence);
        self.dirty = true;
    }

    pub fn set_yes_no(&mut self, value: bool) {
        if let Some(v) = self.yes_no.get_mut(self.cursor) {
            *v = Some(value);
            self.dirty = true;
        }
    }

    /// Moves the focused action one place earlier (`-1`) or later (`+1`) in the answer sequence.
    pub fn shift(&mut self, item: &PresentedItem, by: isize) {
        let Some(l) = self.focused_label(item) else {
            return;
        };
        let Some(i) = self.labels.iter().position(|x| *x == l) else {
            return;
        };
        let j = i
            .saturating_add_signed(by)
            .min(self.labels.len().saturating_sub(1));
        self.labels.swap(i, j);
        self.dirty = true;
    }

    /// Backspace: clear the focused part.
    pub fn clear(&mut self, item: &PresentedItem) {
        match self.kind {
            ItemKind::Match | ItemKind::Dropdown => {
                if let Some(p) = self.parts.get_mut(self.cursor) {
                    *p = None;
                }
            }
            ItemKind::YesNo | ItemKind::Solution => {
                if let Some(v) = self.yes_no.get_mut(self.cursor) {
                    *v = None;
                }
            }
            _ => {
                if let Some(l) = self.focused_label(item) {
                    self.labels.retain(|x| *x != l);
                }
            }
        }
        self.dirty = true;
    }

    /// The answer to save, or `None` while nothing is chosen.
    pub fn answer(&self) -> Option<Answer> {
        let answer = match self.kind {
            ItemKind::Single => Answer::Choice(*self.labels.first()?),
            ItemKind::Multiple | ItemKind::Order => {
                Answer::Labels(self.labels.iter().map(|l| Some(*l)).collect())
            }
            ItemKind::Match | ItemKind::Dropdown => Answer::Labels(self.parts.clone()),
            ItemKind::YesNo => Answer::YesNo(self.yes_no.clone()),
            ItemKind::Solution => Answer::Bool((*self.yes_no.first()?)?),
        };
        let empty = match &answer {
            Answer::Labels(v) => v.iter().all(Option::is_none),
            Answer::YesNo(v) => v.iter().all(Option::is_none),
            _ => false,
        };
        (!empty).then_some(answer)
    }
}
