//! Spaced repetition with FSRS-6 (the scheduler Anki uses), through the `fsrs` crate.
//!
//! An item's memory (stability, difficulty) is *derived* by replaying the append-only response
//! log, never stored: when a candidate's parameters are re-optimised, the new parameters apply to
//! the whole history at once, and no stored state can drift from the log it came from. Every
//! function here is pure: callers pass the events and "now".

use std::collections::{BTreeMap, BTreeSet};

use certprep_domain::session::Confidence;
use chrono::{DateTime, Duration, Utc};
use fsrs::{
    ComputeParametersInput, DEFAULT_PARAMETERS, FSRS, FSRSError, FSRSItem, FSRSReview, MemoryState,
};
use serde::{Deserialize, Serialize};

/// How well an answer showed the item was remembered, on FSRS's four-point scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    /// The number FSRS expects (1–4).
    pub fn value(self) -> u32 {
        self as u32
    }
}

/// The rating of one answer.
///
/// Anything short of full marks is `Again`: FSRS models recall as a yes/no event, and a
/// partly right answer to an exam item still loses the mark, so it is a lapse to relearn.
///
/// A fully correct answer is graded by how sure the candidate was, because that is the best
/// signal of effortful versus effortless recall: a correct guess (`Low`) was hard won, `Medium`
/// is an ordinary success, `High` was easy. Without a stated confidence the time taken stands in
/// for it: well under half the expected time per item means the answer came at once (`Easy`),
/// over 1.5× means it was dug out slowly (`Hard`). A zero time or zero expected time carries no
/// information, so it counts as an ordinary success (`Good`).
pub fn rating_for(
    points: u32,
    max_points: u32,
    confidence: Option<Confidence>,
    time_spent_ms: u64,
    expected_ms: u64,
) -> Rating {
    if max_points == 0 || points < max_points {
        return Rating::Again;
    }
    match confidence {
        Some(Confidence::Low) => Rating::Hard,
        Some(Confidence::Medium) => Rating::Good,
        Some(Confidence::High) => Rating::Easy,
        None => rating_from_time(time_spent_ms, expected_ms),
    }
}

fn rating_from_time(time_spent_ms: u64, expected_ms: u64) -> Rating {
    if time_spent_ms == 0 || expected_ms == 0 {
        return Rating::Good;
    }
    // Compare in u128 so that 2×t and 3×e cannot overflow.
    let (spent, expected) = (u128::from(time_spent_ms), u128::from(expected_ms));
    if 2 * spent < expected {
        Rating::Easy
    } else if 2 * spent > 3 * expected {
        Rating::Hard
    } else {
        Rating::Good
    }
}

/// One answered item from the response log, in any mode (practice, review, mock exam).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEvent {
    pub item: String,
    pub at: DateTime<Utc>,
    pub rating: Rating,
}

/// An item's memory after replaying its reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemMemory {
    /// Days until recall probability falls to 90%.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    pub reviews: u32,
    /// `Again` ratings after the first review: forgetting something already seen. An `Again` on
    /// first sight is not counted: nothing had been learnt yet.
    pub lapses: u32,
    pub last_review: DateTime<Utc>,
    pub due: DateTime<Utc>,
}

/// An item in the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueItem {
    pub item: String,
    pub due: DateTime<Utc>,
    /// Probability of recall at "now".
    pub retrievability: f64,
}

/// An objective's projected recall at a date (typically the planned exam date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveProjection {
    pub objective: String,
    /// Distinct items in the objective.
    pub items: usize,
    /// Of those, the ones with at least one review.
    pub studied: usize,
    /// Mean retrievability over the studied items; `None` when none was studied.
    pub mean_retrievability: Option<f64>,
    /// Expected share of the objective's items recalled, unstudied items counting as 0.
    pub expected_recall: f64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MemoryError {
    #[error("FSRS parameters are not valid: {0:?}")]
    InvalidParameters(FSRSError),
    #[error("desired retention must lie strictly between 0 and 1, not {0}")]
    InvalidRetention(f64),
    #[error("FSRS could not replay the review history: {0:?}")]
    Replay(FSRSError),
    #[error("FSRS optimisation failed: {0:?}")]
    Optimisation(FSRSError),
}

/// The recall probability the schedule aims for when an item comes due.
pub const DEFAULT_DESIRED_RETENTION: f64 = 0.9;

/// Reviews on a later day than the item's previous review ("long-term" reviews) needed before
/// [`optimise`] runs. Only such reviews tell FSRS how memory decays between days; below 64 the
/// crate itself skips gradient descent (it fits at most the four initial stabilities), which
/// would make parameters from a handful of answers look like a personal model.
pub const MIN_LONG_TERM_REVIEWS: usize = 64;

/// The longest interval scheduled (Anki's maximum, 100 years). A low desired retention can make
/// the crate's interval astronomically long; a date that far off cannot be represented.
pub const MAX_INTERVAL_DAYS: f64 = 36_500.0;

/// FSRS parameters and the retention to aim for.
#[derive(Debug, Clone)]
pub struct MemoryModel {
    parameters: Vec<f32>,
    desired_retention: f64,
    fsrs: FSRS,
}

impl Default for MemoryModel {
    /// FSRS-6's defaults, fitted by its authors to the average Anki user.
    fn default() -> Self {
        MemoryModel {
            parameters: DEFAULT_PARAMETERS.to_vec(),
            desired_retention: DEFAULT_DESIRED_RETENTION,
            fsrs: FSRS::default(),
        }
    }
}

impl MemoryModel {
    /// A model with a candidate's own (optimised) parameters, checked by the crate. Older
    /// FSRS-4.5/5 parameter sets (17 or 19 values) are converted as the crate does.
    pub fn with_parameters(parameters: &[f32]) -> Result<MemoryModel, MemoryError> {
        let parameters =
            fsrs::check_and_fill_parameters(parameters).map_err(MemoryError::InvalidParameters)?;
        let fsrs = FSRS::new(&parameters).map_err(MemoryError::InvalidParameters)?;
        Ok(MemoryModel {
            parameters,
            desired_retention: DEFAULT_DESIRED_RETENTION,
            fsrs,
        })
    }

    /// The same model aiming for another recall probability at the due date: higher means
    /// shorter intervals and more reviews.
    pub fn with_desired_retention(mut self, retention: f64) -> Result<MemoryModel, MemoryError> {
        if !(retention > 0.0 && retention < 1.0) {
            return Err(MemoryError::InvalidRetention(retention));
        }
        self.desired_retention = retention;
        Ok(self)
    }

    /// The 21 FSRS-6 parameters.
    pub fn parameters(&self) -> &[f32] {
        &self.parameters
    }

    pub fn desired_retention(&self) -> f64 {
        self.desired_retention
    }

    /// Whether the parameters are someone's own rather than the defaults.
    pub fn is_optimised(&self) -> bool {
        self.parameters[..] != DEFAULT_PARAMETERS[..]
    }

    /// The forgetting curve's decay (parameter w20). The crate clips parameters to its bounds
    /// when it builds its model but does not expose the clipped values; parameters from
    /// [`optimise`] are already within them, so replay and this curve agree.
    pub fn decay(&self) -> f32 {
        self.parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY)
    }

    /// Each reviewed item's current memory, replayed from the log. Order of `events` does not
    /// matter: they are sorted by item, time and rating first.
    pub fn item_states(
        &self,
        events: &[ReviewEvent],
    ) -> Result<BTreeMap<String, ItemMemory>, MemoryError> {
        let histories = histories(events);
        let items: Vec<FSRSItem> = histories.iter().map(ItemHistory::fsrs_item).collect();
        let starts = vec![None; items.len()];
        let states = self
            .fsrs
            .memory_state_batch(items, starts)
            .map_err(MemoryError::Replay)?;
        Ok(histories
            .iter()
            .zip(states)
            .map(|(history, state)| (history.item.to_owned(), self.memory(history, state)))
            .collect())
    }

    fn memory(&self, history: &ItemHistory<'_>, state: MemoryState) -> ItemMemory {
        let last = history.last();
        ItemMemory {
            stability: f64::from(state.stability),
            difficulty: f64::from(state.difficulty),
            reviews: u32::try_from(history.events.len()).unwrap_or(u32::MAX),
            lapses: u32::try_from(
                history.events[1..]
                    .iter()
                    .filter(|event| event.rating == Rating::Again)
                    .count(),
            )
            .unwrap_or(u32::MAX),
            last_review: last.at,
            due: last.at + self.interval(state.stability, last.rating),
        }
    }

    /// The crate's interval for the desired retention. After a success it is rounded to whole
    /// days and at least one (as Anki does): a success should not bring the item back the same
    /// day. After `Again` the item is relearnt: it comes back when the crate says (often hours)
    /// but at the latest the next day, since an item just forgotten should not wait for days.
    fn interval(&self, stability: f32, rating: Rating) -> Duration {
        let days = f64::from(self.fsrs.next_interval(
            Some(stability),
            self.desired_retention as f32,
            rating.value(),
        ));
        let days = if days.is_finite() { days } else { 1.0 };
        match rating {
            Rating::Again => Duration::seconds((days.clamp(0.0, 1.0) * 86_400.0).round() as i64),
            _ => Duration::days(days.round().clamp(1.0, MAX_INTERVAL_DAYS) as i64),
        }
    }

    /// Probability of recalling the item at `at`, on the crate's forgetting curve with this
    /// model's decay. Before the last review it is that review's (full) retrievability.
    pub fn retrievability(&self, memory: &ItemMemory, at: DateTime<Utc>) -> f64 {
        let elapsed_days = ((at - memory.last_review).num_seconds() as f64 / 86_400.0).max(0.0);
        let state = MemoryState {
            stability: memory.stability as f32,
            difficulty: memory.difficulty as f32,
        };
        f64::from(fsrs::current_retrievability(
            state,
            elapsed_days as f32,
            self.decay(),
        ))
    }

    /// The review queue: items due by `now`, the most forgotten (lowest retrievability) first.
    pub fn due(&self, states: &BTreeMap<String, ItemMemory>, now: DateTime<Utc>) -> Vec<DueItem> {
        let mut queue: Vec<DueItem> = states
            .iter()
            .filter(|(_, memory)| memory.due <= now)
            .map(|(item, memory)| DueItem {
                item: item.clone(),
                due: memory.due,
                retrievability: self.retrievability(memory, now),
            })
            .collect();
        queue.sort_by(|a, b| {
            a.retrievability
                .total_cmp(&b.retrievability)
                .then(a.due.cmp(&b.due))
                .then_with(|| a.item.cmp(&b.item))
        });
        queue
    }

    /// Retrievability per objective projected to `at` (the planned exam date): how much of each
    /// objective the candidate can expect to recall then if nothing more is studied.
    pub fn project(
        &self,
        states: &BTreeMap<String, ItemMemory>,
        items_by_objective: &BTreeMap<String, Vec<String>>,
        at: DateTime<Utc>,
    ) -> Vec<ObjectiveProjection> {
        items_by_objective
            .iter()
            .map(|(objective, items)| {
                let items: BTreeSet<&String> = items.iter().collect();
                let recalls: Vec<f64> = items
                    .iter()
                    .filter_map(|item| states.get(*item))
                    .map(|memory| self.retrievability(memory, at))
                    .collect();
                // A fold from +0.0: `sum()` of nothing is -0.0 in floating point.
                let total = recalls.iter().fold(0.0, |sum, r| sum + r);
                ObjectiveProjection {
                    objective: objective.clone(),
                    items: items.len(),
                    studied: recalls.len(),
                    mean_retrievability: (!recalls.is_empty())
                        .then(|| total / recalls.len() as f64),
                    expected_recall: if items.is_empty() {
                        0.0
                    } else {
                        total / items.len() as f64
                    },
                }
            })
            .collect()
    }
}

/// Parameters fitted to a candidate's own log, or `None` while there is not enough to learn
/// from (fewer than [`MIN_LONG_TERM_REVIEWS`] reviews on a later day than the item's previous
/// one, or nothing the crate could use after its outlier filter).
pub fn optimise(events: &[ReviewEvent]) -> Result<Option<Vec<f32>>, MemoryError> {
    let histories = histories(events);
    let long_term_reviews: usize = histories
        .iter()
        .map(|history| history.fsrs_item().long_term_review_cnt())
        .sum();
    if long_term_reviews < MIN_LONG_TERM_REVIEWS {
        return Ok(None);
    }
    let (train_set, card_ids) = training_items(&histories);
    let input = ComputeParametersInput {
        train_set,
        card_ids: Some(card_ids),
        ..ComputeParametersInput::default()
    };
    match fsrs::compute_parameters(input) {
        Ok(parameters) if parameters[..] == DEFAULT_PARAMETERS[..] => Ok(None),
        Ok(parameters) => Ok(Some(parameters)),
        Err(FSRSError::NotEnoughData) => Ok(None),
        Err(error) => Err(MemoryError::Optimisation(error)),
    }
}

/// The crate's training set: one `FSRSItem` per review that has history, holding that review
/// and all before it, kept only when the history spans more than one day (the crate needs a
/// long-term review in every item). Ordered by the time of the item's last review, because the
/// crate weights later items more (recency weighting); card ids let it replay each item once.
fn training_items(histories: &[ItemHistory<'_>]) -> (Vec<FSRSItem>, Vec<i64>) {
    let mut prefixes: Vec<(DateTime<Utc>, i64, FSRSItem)> = Vec::new();
    for (card, history) in histories.iter().enumerate() {
        let reviews = history.fsrs_item().reviews;
        for end in 2..=reviews.len() {
            let item = FSRSItem {
                reviews: reviews[..end].to_vec(),
            };
            if item.long_term_review_cnt() > 0 {
                let at = history.events[end - 1].at;
                prefixes.push((at, i64::try_from(card).unwrap_or(i64::MAX), item));
            }
        }
    }
    prefixes.sort_by_key(|(at, card, item)| (*at, *card, item.reviews.len()));
    prefixes
        .into_iter()
        .map(|(_, card, item)| (item, card))
        .unzip()
}

/// One item's events in time order.
struct ItemHistory<'a> {
    item: &'a str,
    /// Never empty.
    events: Vec<&'a ReviewEvent>,
}

impl ItemHistory<'_> {
    fn last(&self) -> &ReviewEvent {
        self.events[self.events.len() - 1]
    }

    /// Days between reviews are whole days between their calendar days (UTC): FSRS counts in
    /// days, and two reviews on the same day (delta_t 0) are FSRS-6's short-term reviews.
    fn fsrs_item(&self) -> FSRSItem {
        let mut previous = self.events[0].at.date_naive();
        let reviews = self
            .events
            .iter()
            .map(|event| {
                let day = event.at.date_naive();
                let delta_t = u32::try_from((day - previous).num_days()).unwrap_or(0);
                previous = day;
                FSRSReview {
                    rating: event.rating.value(),
                    delta_t,
                }
            })
            .collect();
        FSRSItem { reviews }
    }
}

/// The log grouped by item, each item's events in time order. Ties in time are broken by
/// rating so that the result does not depend on the order of the input.
fn histories(events: &[ReviewEvent]) -> Vec<ItemHistory<'_>> {
    let mut sorted: Vec<&ReviewEvent> = events.iter().collect();
    sorted.sort_by(|a, b| (&a.item, a.at, a.rating).cmp(&(&b.item, b.at, b.rating)));
    sorted
        .chunk_by(|a, b| a.item == b.item)
        .map(|chunk| ItemHistory {
            item: &chunk[0].item,
            events: chunk.to_vec(),
        })
        .collect()
}
