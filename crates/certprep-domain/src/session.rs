//! The session engine: study, exam simulation and custom practice, with the real exam's
//! navigation rules. Pure: every operation takes `now`, and the caller persists the session.
//!
//! Exam rules (mode `exam`):
//! - sections come in order; a section locks once the candidate leaves it (each case study is
//!   its own section);
//! - an answered item of a yes/no series is final: it cannot be revisited or changed, and it
//!   does not appear on the review screen;
//! - every other item may be revisited, changed and marked for review until submission;
//! - at the deadline the session submits itself; the clock runs while the app is closed unless
//!   the session is pausable.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::arrange::Arrangement;
use crate::exam::{ExamCode, OutlineRef};
use crate::form::{Form, SectionKind};
use crate::grading::{Answer, Completion, Score, completion, grade};
use crate::item::{Bank, Item, Membership};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One item at a time, with the result and explanation after each answer.
    Study,
    /// A timed simulation under the real exam's rules; no feedback before submission.
    Exam,
    /// Practice on a filtered selection, timed or not, with feedback.
    Custom,
    /// The adaptive readiness check: items chosen one at a time near the cut until pass or fail
    /// is decided; no feedback and no going back, as on a computerised adaptive test.
    Adaptive,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "study" => Some(Mode::Study),
            "exam" => Some(Mode::Exam),
            "custom" => Some(Mode::Custom),
            "adaptive" => Some(Mode::Adaptive),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Study => "study",
            Mode::Exam => "exam",
            Mode::Custom => "custom",
            Mode::Adaptive => "adaptive",
        }
    }
    /// Whether answers are revealed as soon as they are given.
    pub fn gives_feedback(self) -> bool {
        !matches!(self, Mode::Exam | Mode::Adaptive)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    /// Indices into `Session::items`.
    pub items: Vec<usize>,
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionItem {
    pub item_id: String,
    pub version: u32,
    pub section: usize,
    /// The series the item belongs to, if any (final once answered).
    pub series: Option<String>,
    /// The order this session shows the item's lettered parts in; none for the written order
    /// (sessions from before shuffling, `shuffle: no` items, types without letters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrangement: Option<Arrangement>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemState {
    pub answer: Option<Answer>,
    /// The answer leaves parts of a multi-part item open: it counts as unanswered until done.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    pub points: u32,
    pub max_points: u32,
    pub marked: bool,
    pub time_spent_ms: u64,
    /// How sure the candidate said they were with the answer (shown again on a revisit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// Everything the engine knows about one session; serialised as is by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub user: String,
    pub exam: ExamCode,
    pub outline: String,
    pub mode: Mode,
    pub seed: u64,
    pub items: Vec<SessionItem>,
    pub sections: Vec<Section>,
    pub states: Vec<ItemState>,
    pub started_at: DateTime<Utc>,
    pub time_limit_ms: Option<u64>,
    pub pausable: bool,
    pub paused_at: Option<DateTime<Utc>>,
    pub paused_ms: u64,
    pub current: usize,
    /// When the candidate arrived at the current item (time is charged to it from then).
    pub entered_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Role-based exams allow Microsoft Learn during the exam; a note only, no effect on scoring.
    pub open_book: bool,
    /// The adaptive check's limits and, once reached, its decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptive: Option<AdaptiveRecord>,
    /// The fixed form the session was started on (a published practice test), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Whether items show their lettered parts in an order drawn from the seed (items added
    /// later, by the adaptive check, follow it too). False for sessions stored before shuffling.
    #[serde(default)]
    pub shuffled: bool,
    /// On an exam, per yes/no series, how many of its items (in order) are behind the candidate:
    /// answered and left, or skipped by moving on. They cannot be visited again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub series_behind: BTreeMap<String, usize>,
}

/// What the adaptive readiness check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdaptiveOutcome {
    Pass,
    Fail,
    /// The maximum length was reached without a decision at the stated confidence.
    Undecided,
}

/// The adaptive check's state in a session: its length limit, and its verdict once it stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptiveRecord {
    pub max_items: u32,
    pub verdict: Option<AdaptiveVerdict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptiveVerdict {
    pub outcome: AdaptiveOutcome,
    /// Whether the decision holds at 95% confidence (the SPRT crossed a bound, or the
    /// interval of ability excluded the cut).
    pub confident: bool,
    pub items_used: u32,
    pub theta: f64,
    pub se: f64,
    pub cut: f64,
}

// `Session` is compared for changes; abilities are finite, so equality is total in practice.
impl Eq for AdaptiveRecord {}

impl AdaptiveVerdict {
    /// The decision in a few words, the same in every interface.
    pub fn headline(&self) -> &'static str {
        match (self.outcome, self.confident) {
            (AdaptiveOutcome::Pass, true) => "likely to pass",
            (AdaptiveOutcome::Pass, false) => "leaning pass, not yet certain",
            (AdaptiveOutcome::Fail, true) => "not yet ready: likely to fail",
            (AdaptiveOutcome::Fail, false) => "leaning fail, not yet certain",
            (AdaptiveOutcome::Undecided, _) => "too close to the cut to call",
        }
    }

    /// How the decision was reached.
    pub fn detail(&self) -> String {
        format!(
            "after {} items{}: ability {:+.2} ± {:.2} against the cut {:+.2}",
            self.items_used,
            if self.confident {
                ", decided at 95% confidence"
            } else {
                ", not decided at 95% confidence"
            },
            self.theta,
            self.se,
            self.cut
        )
    }

    /// The decision in one sentence.
    pub fn describe(&self) -> String {
        format!("Adaptive check: {} {}.", self.headline(), self.detail())
    }
}

/// How sure the candidate said they were of an answer. Optional: spaced repetition uses it to
/// tell a confident correct answer (Easy) from a lucky one (Hard).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// "I guessed."
    Low,
    /// "I think so."
    Medium,
    /// "I am sure."
    High,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Confidence> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" | "guess" | "1" => Some(Confidence::Low),
            "medium" | "unsure" | "2" => Some(Confidence::Medium),
            "high" | "sure" | "3" => Some(Confidence::High),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Why an operation was refused; the message says which rule applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("the session was submitted; start a new one to practise more")]
    Submitted,
    #[error("time is up: the session was submitted at its deadline")]
    Expired,
    #[error("item `{0}` is not part of this session")]
    UnknownItem(String),
    #[error(
        "item `{0}` is in a section you have left; on the exam a section locks once you leave it"
    )]
    SectionLocked(String),
    #[error(
        "item `{0}` belongs to a yes/no series and was answered; series items cannot be revisited or changed"
    )]
    SeriesFinal(String),
    #[error(
        "item `{item}` comes later in its yes/no series: series items come one after another, and `{next}` is next"
    )]
    SeriesOrder { item: String, next: String },
    #[error(
        "item `{0}` was part of the adaptive check: each answer is final and the next item depends on it"
    )]
    AdaptiveFinal(String),
    #[error("items of a yes/no series are not marked for review: they cannot be revisited")]
    SeriesNotMarkable,
    #[error(
        "this session cannot be paused: the exam clock is strict (start it with --pausable to practise with pauses)"
    )]
    NotPausable,
    #[error("the session is paused; resume it first")]
    Paused,
    #[error("invalid answer for item `{item}`: {message}")]
    InvalidAnswer { item: String, message: String },
}

/// What answering produced: the score, and the row the response log appends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    pub session_id: String,
    pub user: String,
    pub item_id: String,
    pub item_version: u32,
    pub outline: String,
    pub answer: Answer,
    pub points: u32,
    pub max_points: u32,
    pub time_spent_ms: u64,
    pub answered_at: DateTime<Utc>,
    /// How sure the candidate said they were, when they said.
    pub confidence: Option<Confidence>,
}

impl Response {
    pub fn with_confidence(mut self, confidence: Option<Confidence>) -> Self {
        self.confidence = confidence;
        self
    }
}

/// Where one section stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SectionSummary {
    pub section: usize,
    pub items: usize,
    /// Every part answered.
    pub answered: usize,
    /// Answered in part.
    pub partial: usize,
    pub marked: usize,
    pub locked: bool,
}

impl SectionSummary {
    pub fn unanswered(&self) -> usize {
        self.items - self.answered
    }
}

/// One line of the review screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewEntry {
    /// 1-based, as shown to people (like `ItemLine::position` and `PresentedItem::position`).
    pub position: usize,
    pub item_id: String,
    /// Every part answered.
    pub answered: bool,
    /// Answered in part: some parts are still open.
    pub partial: bool,
    pub marked: bool,
}

pub struct NewSession<'a> {
    pub id: String,
    pub user: String,
    pub exam: ExamCode,
    pub outline: &'a OutlineRef,
    pub mode: Mode,
    pub seed: u64,
    pub time_limit_ms: Option<u64>,
    pub pausable: bool,
    pub open_book: bool,
    /// Show lettered parts in an order drawn from the seed, per item (see `arrange`).
    pub shuffle: bool,
}

impl Session {
    /// Starts a session on a form. Items missing from the bank are skipped.
    pub fn start(new: NewSession<'_>, form: &Form, bank: &Bank, now: DateTime<Utc>) -> Session {
        let mut items = Vec::new();
        let mut sections = Vec::new();
        for form_section in &form.sections {
            let section_no = sections.len();
            let mut indices = Vec::new();
            for id in &form_section.items {
                let Some(item) = bank.item(id) else { continue };
                indices.push(items.len());
                items.push(SessionItem {
                    item_id: item.id.clone(),
                    version: item.version,
                    section: section_no,
                    series: match &item.group {
                        Some(Membership::Series(s)) => Some(s.clone()),
                        _ => None,
                    },
                    arrangement: new
                        .shuffle
                        .then(|| Arrangement::draw(item, new.seed))
                        .flatten(),
                });
            }
            if !indices.is_empty() {
                sections.push(Section {
                    kind: form_section.kind.clone(),
                    items: indices,
                    locked: false,
                });
            }
        }
        let states = items
            .iter()
            .map(|i| ItemState {
                max_points: bank.item(&i.item_id).map_or(0, Item::max_points),
                ..ItemState::default()
            })
            .collect();
        Session {
            id: new.id,
            user: new.user,
            exam: new.exam,
            outline: new.outline.to_string(),
            mode: new.mode,
            seed: new.seed,
            items,
            sections,
            states,
            started_at: now,
            time_limit_ms: new.time_limit_ms,
            pausable: new.pausable,
            paused_at: None,
            paused_ms: 0,
            current: 0,
            entered_at: now,
            submitted_at: None,
            open_book: new.open_book,
            adaptive: None,
            form: None,
            shuffled: new.shuffle,
            series_behind: BTreeMap::new(),
        }
    }

    /// Appends an item to an adaptive session and moves to it (the check picks items one at a
    /// time). Items already in the session or missing from the bank are refused.
    pub fn append_item(
        &mut self,
        bank: &Bank,
        item_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        let item = bank
            .item(item_id)
            .ok_or_else(|| RuleError::UnknownItem(item_id.to_string()))?;
        if self.position_of(item_id).is_some() {
            return Err(RuleError::UnknownItem(item_id.to_string()));
        }
        if self.sections.is_empty() {
            self.sections.push(Section {
                kind: SectionKind::Main,
                items: vec![],
                locked: false,
            });
        }
        let position = self.items.len();
        self.items.push(SessionItem {
            item_id: item.id.clone(),
            version: item.version,
            section: 0,
            series: None,
            arrangement: self
                .shuffled
                .then(|| Arrangement::draw(item, self.seed))
                .flatten(),
        });
        self.states.push(ItemState {
            max_points: item.max_points(),
            ..ItemState::default()
        });
        self.sections[0].items.push(position);
        if !self.items.is_empty() && self.current != position {
            self.charge_time(now);
        }
        self.current = position;
        self.entered_at = now;
        Ok(())
    }

    pub fn is_submitted(&self) -> bool {
        self.submitted_at.is_some()
    }

    /// The deadline as it stands at `now` (a paused session's deadline moves with the pause).
    pub fn deadline(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let limit = self.time_limit_ms?;
        let paused_now = self.paused_at.map_or(0, |p| {
            u64::try_from((now - p).num_milliseconds()).unwrap_or(0)
        });
        let total = limit
            .saturating_add(self.paused_ms)
            .saturating_add(paused_now);
        Some(
            self.started_at
                + chrono::Duration::milliseconds(i64::try_from(total).unwrap_or(i64::MAX)),
        )
    }

    pub fn remaining_ms(&self, now: DateTime<Utc>) -> Option<i64> {
        self.deadline(now)
            .map(|d| (d - now).num_milliseconds().max(0))
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.deadline(now).is_some_and(|d| now >= d)
    }

    pub fn position_of(&self, item_id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.item_id == item_id)
    }

    pub fn current_item(&self) -> Option<&SessionItem> {
        self.items.get(self.current)
    }

    /// Items whose every part is answered (a partly answered item is not counted).
    pub fn answered_count(&self) -> usize {
        (0..self.states.len())
            .filter(|p| self.is_answered(*p))
            .count()
    }

    /// Whether every part of the item at `position` is answered.
    pub fn is_answered(&self, position: usize) -> bool {
        self.states
            .get(position)
            .is_some_and(|s| s.answer.is_some() && !s.partial)
    }

    /// Whether the item at `position` has an answer that leaves some parts open.
    pub fn is_partial(&self, position: usize) -> bool {
        self.states
            .get(position)
            .is_some_and(|s| s.answer.is_some() && s.partial)
    }

    /// Applies the automatic submission at the deadline. Returns true if it happened now.
    pub fn enforce_deadline(&mut self, now: DateTime<Utc>) -> bool {
        if self.is_submitted() || !self.is_expired(now) {
            return false;
        }
        let deadline = self.deadline(now).unwrap_or(now);
        self.charge_time(deadline);
        self.submitted_at = Some(deadline);
        true
    }

    fn check_open(&mut self, now: DateTime<Utc>) -> Result<(), RuleError> {
        if self.is_submitted() {
            return Err(RuleError::Submitted);
        }
        if self.enforce_deadline(now) {
            return Err(RuleError::Expired);
        }
        if self.paused_at.is_some() {
            return Err(RuleError::Paused);
        }
        Ok(())
    }

    /// Adds the time since the candidate arrived at the current item to that item.
    fn charge_time(&mut self, now: DateTime<Utc>) {
        let spent = u64::try_from((now - self.entered_at).num_milliseconds()).unwrap_or(0);
        if let Some(state) = self.states.get_mut(self.current) {
            state.time_spent_ms = state.time_spent_ms.saturating_add(spent);
        }
        self.entered_at = now;
    }

    /// Whether the rules let the candidate go to an item now (ignoring the clock).
    pub fn can_visit(&self, position: usize) -> Result<(), RuleError> {
        let item = &self.items[position];
        if self.mode == Mode::Adaptive && position != self.current {
            return Err(RuleError::AdaptiveFinal(item.item_id.clone()));
        }
        if self.mode == Mode::Exam {
            if self.sections[item.section].locked {
                return Err(RuleError::SectionLocked(item.item_id.clone()));
            }
            if let Some(series) = &item.series
                && position != self.current
            {
                return self.series_allows(series, position);
            }
        }
        Ok(())
    }

    /// The positions of a series' items, in order.
    fn series_positions(&self, series: &str) -> Vec<usize> {
        (0..self.items.len())
            .filter(|p| self.items[*p].series.as_deref() == Some(series))
            .collect()
    }

    /// How many of a series' items are behind the candidate: those recorded as passed, and every
    /// answered one that is not on screen (an answered series item locks once left).
    fn series_behind_count(&self, series: &str) -> usize {
        let recorded = self.series_behind.get(series).copied().unwrap_or(0);
        let answered = self
            .series_positions(series)
            .iter()
            .enumerate()
            .filter(|(_, p)| self.states[**p].answer.is_some() && **p != self.current)
            .map(|(i, _)| i + 1)
            .max()
            .unwrap_or(0);
        recorded.max(answered)
    }

    /// On an exam, a series is taken one item after another: only the first item not behind the
    /// candidate may be visited, and moving on from the one on screen leaves it behind.
    fn series_allows(&self, series: &str, position: usize) -> Result<(), RuleError> {
        let positions = self.series_positions(series);
        let index = positions.iter().position(|p| *p == position).unwrap_or(0);
        let mut next = self.series_behind_count(series);
        // Moving forward from the series item on screen leaves it behind.
        if let Some(at) = positions.iter().position(|p| *p == self.current)
            && at == next
            && position > self.current
        {
            next += 1;
        }
        let id = |p: usize| self.items[p].item_id.clone();
        match index.cmp(&next) {
            std::cmp::Ordering::Less => Err(RuleError::SeriesFinal(id(position))),
            std::cmp::Ordering::Equal => Ok(()),
            std::cmp::Ordering::Greater => Err(RuleError::SeriesOrder {
                item: id(position),
                next: positions.get(next).map_or_else(String::new, |p| id(*p)),
            }),
        }
    }

    /// Records that the series item on screen is left behind, when moving to `position` does.
    fn leave_series_item(&mut self, position: usize) {
        let Some(series) = self.items.get(self.current).and_then(|i| i.series.clone()) else {
            return;
        };
        if self.mode != Mode::Exam || position == self.current {
            return;
        }
        let positions = self.series_positions(&series);
        let Some(at) = positions.iter().position(|p| *p == self.current) else {
            return;
        };
        let answered = self.states[self.current].answer.is_some();
        if answered || position > self.current {
            let behind = self.series_behind.entry(series).or_default();
            *behind = (*behind).max(at + 1);
        }
    }

    /// Moves to an item, if the rules allow. Leaving a section on an exam locks it.
    pub fn goto(&mut self, position: usize, now: DateTime<Utc>) -> Result<(), RuleError> {
        self.check_open(now)?;
        let Some(target) = self.items.get(position) else {
            return Err(RuleError::UnknownItem(format!("#{}", position + 1)));
        };
        let target_section = target.section;
        self.can_visit(position)?;
        self.leave_series_item(position);
        self.charge_time(now);
        let current_section = self.items.get(self.current).map(|i| i.section);
        if self.mode == Mode::Exam
            && let Some(section) = current_section
            && section != target_section
        {
            self.sections[section].locked = true;
        }
        self.current = position;
        Ok(())
    }

    pub fn goto_item(&mut self, item_id: &str, now: DateTime<Utc>) -> Result<(), RuleError> {
        let position = self
            .position_of(item_id)
            .ok_or_else(|| RuleError::UnknownItem(item_id.to_string()))?;
        self.goto(position, now)
    }

    /// The next item the candidate may visit, skipping answered series items.
    pub fn next_position(&self) -> Option<usize> {
        (self.current + 1..self.items.len()).find(|p| self.can_visit(*p).is_ok())
    }

    pub fn previous_position(&self) -> Option<usize> {
        (0..self.current).rev().find(|p| self.can_visit(*p).is_ok())
    }

    /// Records an answer (moving to the item first if needed) and grades it.
    pub fn answer(
        &mut self,
        bank: &Bank,
        item_id: &str,
        answer: Answer,
        now: DateTime<Utc>,
    ) -> Result<Response, RuleError> {
        let position = self
            .position_of(item_id)
            .ok_or_else(|| RuleError::UnknownItem(item_id.to_string()))?;
        if position != self.current {
            self.goto(position, now)?;
        }
        self.check_open(now)?;
        let version = self.items[position].version;
        if self.items[position].series.is_some() && self.states[position].answer.is_some() {
            return Err(RuleError::SeriesFinal(item_id.to_string()));
        }
        if self.mode == Mode::Adaptive && self.states[position].answer.is_some() {
            return Err(RuleError::AdaptiveFinal(item_id.to_string()));
        }
        let item = bank
            .item(item_id)
            .ok_or_else(|| RuleError::UnknownItem(item_id.to_string()))?;
        // The candidate answered in the letters shown; everything from here on is in the
        // author's letters.
        let arrangement = self.items[position].arrangement.as_ref();
        let answer = match arrangement {
            Some(arrangement) => arrangement.to_authored(item, answer),
            None => answer,
        };
        let answer = answer
            .normalise(item)
            .map_err(|message| RuleError::InvalidAnswer {
                item: item_id.to_string(),
                message: match arrangement {
                    Some(a) => a.message_in_display_letters(item, &message),
                    None => message,
                },
            })?;
        self.charge_time(now);
        let Score { points, max_points } = grade(&item.body, &answer);
        let partial = completion(&item.body, Some(&answer)) != Completion::Complete;
        let state = &mut self.states[position];
        state.answer = Some(answer.clone());
        state.partial = partial;
        state.points = points;
        state.max_points = max_points;
        state.answered_at = Some(now);
        Ok(Response {
            session_id: self.id.clone(),
            user: self.user.clone(),
            item_id: item_id.to_string(),
            item_version: version,
            outline: self.outline.clone(),
            answer,
            points,
            max_points,
            time_spent_ms: state.time_spent_ms,
            answered_at: now,
            confidence: None,
        })
    }

    pub fn toggle_mark(&mut self, item_id: &str, now: DateTime<Utc>) -> Result<bool, RuleError> {
        self.check_open(now)?;
        let position = self
            .position_of(item_id)
            .ok_or_else(|| RuleError::UnknownItem(item_id.to_string()))?;
        if self.items[position].series.is_some() {
            return Err(RuleError::SeriesNotMarkable);
        }
        self.can_visit(position)?;
        let state = &mut self.states[position];
        state.marked = !state.marked;
        Ok(state.marked)
    }

    /// The section the candidate is in.
    pub fn current_section(&self) -> Option<usize> {
        self.current_item().map(|i| i.section)
    }

    /// The section that moving to `position` would lock, if any: on an exam, leaving a
    /// section locks it, and interfaces warn before that happens.
    pub fn would_lock(&self, position: usize) -> Option<usize> {
        let from = self.current_section()?;
        let to = self.items.get(position)?.section;
        (self.mode == Mode::Exam
            && !self.is_submitted()
            && from != to
            && !self.sections[from].locked)
            .then_some(from)
    }

    /// Counts of one section, for progress bars, warnings and the review screen.
    pub fn section_summary(&self, section: usize) -> SectionSummary {
        let positions = self.sections.get(section).map_or(&[][..], |s| &s.items[..]);
        SectionSummary {
            section,
            items: positions.len(),
            answered: positions.iter().filter(|p| self.is_answered(**p)).count(),
            partial: positions.iter().filter(|p| self.is_partial(**p)).count(),
            marked: positions.iter().filter(|p| self.states[**p].marked).count(),
            locked: self.sections.get(section).is_some_and(|s| s.locked),
        }
    }

    /// Items whose position comes before the current one in the same section, and after.
    pub fn unanswered_in(&self, section: usize) -> Vec<usize> {
        self.sections.get(section).map_or_else(Vec::new, |s| {
            s.items
                .iter()
                .copied()
                .filter(|p| !self.is_answered(*p))
                .collect()
        })
    }

    /// Clears the answer of an item ("Reset Answer"), where the rules still allow a change.
    /// The response log keeps what was answered before; only the session's state changes.
    pub fn reset_answer(&mut self, item_id: &str, now: DateTime<Utc>) -> Result<(), RuleError> {
        self.check_open(now)?;
        let position = self
            .position_of(item_id)
            .ok_or_else(|| RuleError::UnknownItem(item_id.to_string()))?;
        self.can_visit(position)?;
        if self.items[position].series.is_some() && self.states[position].answer.is_some() {
            return Err(RuleError::SeriesFinal(item_id.to_string()));
        }
        if self.mode == Mode::Adaptive && self.states[position].answer.is_some() {
            return Err(RuleError::AdaptiveFinal(item_id.to_string()));
        }
        let state = &mut self.states[position];
        state.answer = None;
        state.partial = false;
        state.points = 0;
        state.confidence = None;
        Ok(())
    }

    /// The review screen: the current section's items, without series items.
    pub fn review(&self) -> Vec<ReviewEntry> {
        let Some(section) = self.current_item().map(|i| i.section) else {
            return vec![];
        };
        self.sections[section]
            .items
            .iter()
            .filter(|p| self.items[**p].series.is_none())
            .map(|p| ReviewEntry {
                position: *p + 1,
                item_id: self.items[*p].item_id.clone(),
                answered: self.is_answered(*p),
                partial: self.is_partial(*p),
                marked: self.states[*p].marked,
            })
            .collect()
    }

    pub fn pause(&mut self, now: DateTime<Utc>) -> Result<(), RuleError> {
        self.check_open(now)?;
        if !self.pausable {
            return Err(RuleError::NotPausable);
        }
        self.charge_time(now);
        self.paused_at = Some(now);
        Ok(())
    }

    pub fn resume(&mut self, now: DateTime<Utc>) -> Result<(), RuleError> {
        if let Some(paused) = self.paused_at.take() {
            self.paused_ms = self
                .paused_ms
                .saturating_add(u64::try_from((now - paused).num_milliseconds()).unwrap_or(0));
            self.entered_at = now;
        }
        self.check_open(now)
    }

    /// Ends the session. Submitting twice is refused; submitting after the deadline records
    /// the deadline as the submission time.
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<(), RuleError> {
        if self.is_submitted() {
            return Err(RuleError::Submitted);
        }
        if self.enforce_deadline(now) {
            return Ok(());
        }
        if let Some(paused) = self.paused_at.take() {
            self.paused_ms += u64::try_from((now - paused).num_milliseconds()).unwrap_or(0);
        } else {
            self.charge_time(now);
        }
        self.submitted_at = Some(now);
        Ok(())
    }

    /// Whether the answer key of an item may be shown now.
    pub fn may_reveal(&self, position: usize) -> bool {
        self.is_submitted()
            || (self.mode.gives_feedback()
                && self
                    .states
                    .get(position)
                    .is_some_and(|s| s.answer.is_some()))
    }

    /// Per item, the latest score; for history and "only missed".
    pub fn scores(&self) -> BTreeMap<&str, (u32, u32)> {
        self.items
            .iter()
            .zip(&self.states)
            .filter(|(_, s)| s.answer.is_some())
            .map(|(i, s)| (i.item_id.as_str(), (s.points, s.max_points)))
            .collect()
    }
}
