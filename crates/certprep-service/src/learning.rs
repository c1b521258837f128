//! The learning use cases: readiness, the review queue, the planned exam date, the adaptive
//! check's item choice, calibration of the bank, item analysis and what to do next. Each gathers
//! what it needs from the store and the library and hands it to `certprep-learning`, which does
//! the computing.
//!
//! Two rules shape the evidence. Readiness counts each item once, at its first attempt: a second
//! attempt measures memory of that item, and the real exam shows items the candidate has not
//! seen (repeated practice items are why mock scores run ahead of real ones). And evidence fades
//! with a half-life, so readiness follows a candidate who is learning and an old estimate widens
//! its interval instead of standing still.

use std::collections::{BTreeMap, BTreeSet};

use certprep_domain::exam::{Exam, Outline, OutlineRef};
use certprep_domain::form::CustomFilter;
use certprep_domain::item::{Bank, Item, Membership};
use certprep_domain::report::ModelScore;
use certprep_domain::session::{AdaptiveOutcome, AdaptiveRecord, AdaptiveVerdict, Mode, Session};
use certprep_domain::stats::primary_domain;
use certprep_learning::adaptive::{AdaptiveSettings, Decision, PoolItem, decide, next_item};
use certprep_learning::analysis::{self, Attempt, BankHealth};
use certprep_learning::irt::{
    CalibrationOptions, ItemParameters, Observation, Responses, abilities, calibrate,
    empirical_reliability, prior_difficulty,
};
use certprep_learning::memory::{
    DueItem, MemoryModel, ObjectiveProjection, ReviewEvent, optimise, rating_for,
};
use certprep_learning::readiness::{
    Assessment, Blueprint, BlueprintDomain, Evidence, PartialAbility, assess, fading_weight,
    partial_ability,
};
use certprep_store::{ItemCalibration, LoggedResponse, MemoryParameters, Store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::{Result, Service, ServiceError};

/// Evidence about ability counts half after this many days.
pub const EVIDENCE_HALF_LIFE_DAYS: f64 = 90.0;

/// An item's calibration is used once this many candidates answered its current version;
/// below it, the author's difficulty is the better guess.
pub const MIN_CALIBRATION_RESPONDENTS: u32 = 50;

/// Re-optimise a candidate's spaced-repetition parameters when the log has grown by this share
/// since the last optimisation (optimising on every answer would chase noise).
pub const REOPTIMISE_GROWTH: f64 = 0.2;

/// Readiness is "uncertain" while its 95% interval is wider than this: a mock exam tells more
/// than another practice set.
pub const UNCERTAIN_INTERVAL: f64 = 0.4;

/// The parameters of every item of the bank: calibrated where the latest calibration covers its
/// current version with enough respondents, otherwise from the author's difficulty.
#[derive(Debug, Clone, Default)]
pub struct ItemModel {
    params: BTreeMap<String, (ItemParameters, bool)>,
}

impl ItemModel {
    pub fn new(bank: &Bank, calibrations: &[ItemCalibration]) -> ItemModel {
        let by_id: BTreeMap<&str, &ItemCalibration> = calibrations
            .iter()
            .map(|c| (c.item_id.as_str(), c))
            .collect();
        let params = bank
            .items
            .iter()
            .map(|item| {
                let calibrated = by_id.get(item.id.as_str()).filter(|c| {
                    c.item_version == item.version && c.respondents >= MIN_CALIBRATION_RESPONDENTS
                });
                let entry = match calibrated {
                    Some(c) => (
                        ItemParameters {
                            a: c.a,
                            b: c.b,
                            c: c.c,
                        },
                        true,
                    ),
                    None => (prior_item(item), false),
                };
                (item.id.clone(), entry)
            })
            .collect();
        ItemModel { params }
    }

    pub fn get(&self, item: &str) -> Option<ItemParameters> {
        self.params.get(item).map(|(p, _)| *p)
    }

    pub fn is_calibrated(&self, item: &str) -> bool {
        self.params.get(item).is_some_and(|(_, c)| *c)
    }
}

/// An uncalibrated item: average discrimination, difficulty from the author's rating.
fn prior_item(item: &Item) -> ItemParameters {
    ItemParameters::two_pl(1.0, prior_difficulty(item.difficulty))
}

/// The blueprint of an outline: each domain at the midpoint of its weight range, with the
/// items that serve it.
pub fn blueprint(
    exam: &Exam,
    outline_ref: &OutlineRef,
    outline: &Outline,
    bank: &Bank,
    model: &ItemModel,
) -> Blueprint {
    Blueprint {
        domains: outline
            .domains
            .iter()
            .map(|d| {
                let (items, points) = bank
                    .serving(outline_ref)
                    .filter(|i| primary_domain(i, outline_ref, outline) == Some(d.id.as_str()))
                    .filter_map(|i| model.get(&i.id).map(|p| (p, i.max_points())))
                    .unzip();
                BlueprintDomain {
                    id: d.id.clone(),
                    weight: d.weight_mid(),
                    items,
                    points,
                }
            })
            .collect(),
        form_length: usize::try_from((exam.questions.min + exam.questions.max) / 2).unwrap_or(50),
        standard: exam.passing_standard.share(),
    }
}

/// One first attempt as evidence, with the domain it speaks for.
struct Attempted<'a> {
    domain: &'a str,
    answered_at: DateTime<Utc>,
    correct: bool,
    item: ItemParameters,
}

/// Each item of the outline once, at its first attempt, oldest first.
fn first_attempts<'a>(
    log: &[LoggedResponse],
    bank: &'a Bank,
    outline_ref: &OutlineRef,
    outline: &'a Outline,
    model: &ItemModel,
) -> Vec<Attempted<'a>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in log {
        if !seen.insert(r.item_id.as_str()) {
            continue;
        }
        let Some(item) = bank.item(&r.item_id) else {
            continue;
        };
        let (Some(domain), Some(params)) = (
            primary_domain(item, outline_ref, outline),
            model.get(&item.id),
        ) else {
            continue;
        };
        out.push(Attempted {
            domain,
            answered_at: r.answered_at,
            correct: r.max_points > 0 && r.points >= r.max_points,
            item: params,
        });
    }
    out
}

fn evidence_at(attempts: &[&Attempted<'_>], at: DateTime<Utc>) -> Vec<Evidence> {
    attempts
        .iter()
        .filter(|a| a.answered_at <= at)
        .map(|a| Evidence {
            item: a.item,
            correct: a.correct,
            weight: fading_weight(days_between(a.answered_at, at), EVIDENCE_HALF_LIFE_DAYS),
        })
        .collect()
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 86_400.0
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainReadiness {
    pub id: String,
    pub title: String,
    /// Share of the exam (midpoint of the published range), in percent.
    pub weight: f64,
    pub theta: f64,
    pub se: f64,
    pub items_answered: usize,
    /// The probability that ability in this domain alone is above the cut.
    pub above_cut: f64,
}

/// Readiness at one moment of the history.
#[derive(Debug, Clone, Serialize)]
pub struct ReadinessPoint {
    pub date: NaiveDate,
    pub pass_probability: f64,
    pub interval: [f64; 2],
    pub theta: f64,
    pub se: f64,
    pub items_answered: usize,
}

/// An objective's projected recall on the planned exam date.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRecall {
    pub id: String,
    pub title: String,
    pub domain: String,
    #[serde(flatten)]
    pub projection: ObjectiveProjection,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReadinessReport {
    pub exam: String,
    pub outline: String,
    /// Pass probability now with its interval, ability, the cut (flattened into the JSON).
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The scaled-score estimate of the expected share at that ability.
    pub scaled_estimate: u32,
    /// Distinct items of the outline answered (first attempts count).
    pub items_answered: usize,
    pub domains: Vec<DomainReadiness>,
    pub timeline: Vec<ReadinessPoint>,
    pub exam_date: Option<NaiveDate>,
    /// Recall per objective projected to the exam date (or today when none is set).
    pub objectives: Vec<ObjectiveRecall>,
    /// Items of the outline whose parameters come from a calibration (the rest use priors).
    pub calibrated_items: usize,
    pub outline_items: usize,
    /// The passing standard assumed for the cut, in percent of a blueprint form's points.
    pub passing_standard: u32,
    pub standard_note: Option<String>,
    pub note: &'static str,
}

pub const READINESS_NOTE: &str = "Pass probability: the chance of reaching the passing standard on a \
real form drawn to the outline's weights, from your first attempt at each item (repeats measure \
memory of the item, not the skill), with older answers counting less (half after 90 days). The \
interval covers 95% of what your answers say about your ability. Items not yet calibrated use \
their author's difficulty.";

/// The most readiness points a report lists (the latest days with answers).
const TIMELINE_POINTS: usize = 30;

impl Service<'_> {
    pub(crate) async fn item_model(&self) -> Result<ItemModel> {
        let calibrations = self.store.calibrations().await?;
        Ok(ItemModel::new(&self.library.bank, &calibrations))
    }

    /// Readiness for an exam's current outline, from this user's log.
    pub async fn readiness(&self, exam_code: &str, now: DateTime<Utc>) -> Result<ReadinessReport> {
        let exam = self.exam(exam_code)?;
        let (outline_ref, outline) = self.outline(exam, None)?;
        let bank = &self.library.bank;
        let model = self.item_model().await?;
        let log = certprep_store::settled_responses(self.store, &self.user, now).await?;
        let attempts = first_attempts(&log, bank, &outline_ref, outline, &model);
        let all: Vec<&Attempted<'_>> = attempts.iter().collect();
        let print = blueprint(exam, &outline_ref, outline, bank, &model);
        let overall = assess(&evidence_at(&all, now), &print);
        let domains = outline
            .domains
            .iter()
            .map(|d| {
                let of_domain: Vec<&Attempted<'_>> =
                    attempts.iter().filter(|a| a.domain == d.id).collect();
                let PartialAbility {
                    theta,
                    se,
                    responses,
                    above_cut,
                } = partial_ability(&evidence_at(&of_domain, now), overall.cut);
                DomainReadiness {
                    id: d.id.clone(),
                    title: d.title.clone(),
                    weight: d.weight_mid() * 100.0,
                    theta,
                    se,
                    items_answered: responses,
                    above_cut,
                }
            })
            .collect();
        let exam_date = self.store.exam_date(&self.user, exam.code.as_str()).await?;
        let at = exam_date
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|d| d.and_utc())
            .filter(|d| *d > now)
            .unwrap_or(now);
        let objectives = self
            .objective_recall(&log, &outline_ref, outline, at)
            .await?;
        let outline_items: Vec<&Item> = bank.serving(&outline_ref).collect();
        Ok(ReadinessReport {
            exam: exam.code.to_string(),
            outline: outline_ref.to_string(),
            scaled_estimate: certprep_domain::report::scaled_share(
                overall.expected_share,
                print.standard,
            ),
            assessment: overall,
            items_answered: attempts.len(),
            domains,
            timeline: timeline(&attempts, &print),
            exam_date,
            objectives,
            calibrated_items: outline_items
                .iter()
                .filter(|i| model.is_calibrated(&i.id))
                .count(),
            outline_items: outline_items.len(),
            passing_standard: exam.passing_standard.percent,
            standard_note: exam.passing_standard.provenance.note.clone(),
            note: READINESS_NOTE,
        })
    }

    /// Recall per objective of the outline at `at`, from the user's memory states.
    async fn objective_recall(
        &self,
        log: &[LoggedResponse],
        outline_ref: &OutlineRef,
        outline: &Outline,
        at: DateTime<Utc>,
    ) -> Result<Vec<ObjectiveRecall>> {
        let memory = self.memory_model(log).await?;
        let states = memory
            .item_states(&self.review_events(log))
            .map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let mut by_objective: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in self.library.bank.serving(outline_ref) {
            for objective in item.objectives_in(outline_ref) {
                by_objective
                    .entry(objective.clone())
                    .or_default()
                    .push(item.id.clone());
            }
        }
        let projections: BTreeMap<String, ObjectiveProjection> = memory
            .project(&states, &by_objective, at)
            .into_iter()
            .map(|p| (p.objective.clone(), p))
            .collect();
        Ok(outline
            .objectives()
            .filter_map(|(d, o)| {
                projections.get(&o.id).map(|p| ObjectiveRecall {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    domain: d.id.clone(),
                    projection: p.clone(),
                })
            })
            .collect())
    }

    /// The model score of a submitted session, when its items are calibrated: ability from
    /// this session's answers alone (every answer fresh), mapped through the blueprint.
    pub(crate) fn model_score(
        &self,
        session: &Session,
        exam: &Exam,
        outline_ref: &OutlineRef,
        outline: &Outline,
        model: &ItemModel,
    ) -> Option<ModelScore> {
        let calibrated = session
            .items
            .iter()
            .filter(|i| model.is_calibrated(&i.item_id))
            .count();
        // Scored by the model only when most of the form is calibrated; otherwise raw points
        // say more than priors would. An adaptive check is always scored by the model it ran
        // on: its items were picked near the cut, so its raw share is near half by design.
        let adaptive = session.mode == Mode::Adaptive;
        if session.items.is_empty() || (!adaptive && calibrated * 5 < session.items.len() * 4) {
            return None;
        }
        let evidence: Vec<Evidence> = session
            .items
            .iter()
            .zip(&session.states)
            .filter_map(|(i, s)| {
                Some(Evidence {
                    item: model.get(&i.item_id)?,
                    // An unanswered item counts as wrong, as on the exam.
                    correct: s.answer.is_some() && s.max_points > 0 && s.points >= s.max_points,
                    weight: 1.0,
                })
            })
            .collect();
        let print = blueprint(exam, outline_ref, outline, &self.library.bank, model);
        let Assessment {
            theta,
            se,
            expected_share,
            ..
        } = assess(&evidence, &print);
        Some(ModelScore {
            theta,
            se,
            expected_share,
            calibrated_items: calibrated,
            scaled: 0,
        })
    }
}

/// Readiness after each of the latest days with answers.
fn timeline(attempts: &[Attempted<'_>], print: &Blueprint) -> Vec<ReadinessPoint> {
    let days: BTreeSet<NaiveDate> = attempts
        .iter()
        .map(|a| a.answered_at.date_naive())
        .collect();
    let all: Vec<&Attempted<'_>> = attempts.iter().collect();
    let skip = days.len().saturating_sub(TIMELINE_POINTS);
    days.into_iter()
        .skip(skip)
        .filter_map(|day| {
            let end = day.succ_opt()?.and_hms_opt(0, 0, 0)?.and_utc() - Duration::milliseconds(1);
            let evidence = evidence_at(&all, end);
            let a = assess(&evidence, print);
            Some(ReadinessPoint {
                date: day,
                pass_probability: a.pass_probability,
                interval: a.interval,
                theta: a.theta,
                se: a.se,
                items_answered: evidence.len(),
            })
        })
        .collect()
}

/// One entry of the review queue.
#[derive(Debug, Clone, Serialize)]
pub struct DueEntry {
    pub item_id: String,
    pub due: DateTime<Utc>,
    /// Probability of recall now.
    pub retrievability: f64,
    /// The exams whose current outline the item serves.
    pub exams: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewQueue {
    pub due: Vec<DueEntry>,
    /// Items with a memory state (answered at least once).
    pub studied: usize,
    /// When the next item not yet due falls due.
    pub next_due: Option<DateTime<Utc>>,
    /// Whether the spaced-repetition parameters are this user's own (optimised from their
    /// log) rather than FSRS's defaults.
    pub optimised: bool,
    pub reviews: usize,
}

impl Service<'_> {
    /// The log as spaced-repetition events: every answer in any mode, rated from its score,
    /// the confidence given, or the time taken against the exam's time per item.
    pub(crate) fn review_events(&self, log: &[LoggedResponse]) -> Vec<ReviewEvent> {
        log.iter()
            .map(|r| ReviewEvent {
                item: r.item_id.clone(),
                at: r.answered_at,
                rating: rating_for(
                    r.points,
                    r.max_points,
                    r.confidence,
                    r.time_spent_ms,
                    self.expected_ms(&r.outline),
                ),
            })
            .collect()
    }

    /// The exam's time per item (duration over the middle of its question count).
    fn expected_ms(&self, outline: &str) -> u64 {
        let exam = outline
            .parse::<OutlineRef>()
            .ok()
            .and_then(|r| self.library.catalog.exam(&r.exam).cloned());
        exam.map_or(120_000, |e| {
            let questions = u64::from((e.questions.min + e.questions.max) / 2).max(1);
            u64::from(e.duration.minutes) * 60_000 / questions
        })
    }

    /// This user's memory model: their optimised parameters, re-optimised when the log has
    /// grown enough since, or FSRS's defaults while there is too little to learn from.
    pub(crate) async fn memory_model(&self, log: &[LoggedResponse]) -> Result<MemoryModel> {
        let stored = self.store.memory_parameters(&self.user).await?;
        let grown = stored
            .as_ref()
            .is_none_or(|s| log.len() as f64 >= f64::from(s.reviews) * (1.0 + REOPTIMISE_GROWTH));
        let mut parameters = stored.map(|s| s.parameters);
        if grown && !log.is_empty() {
            let events = self.review_events(log);
            // Too little data, or data the optimiser rejects, keeps what we had.
            if let Ok(Some(fresh)) = optimise(&events) {
                self.store
                    .save_memory_parameters(
                        &self.user,
                        &MemoryParameters {
                            parameters: fresh.clone(),
                            reviews: u32::try_from(log.len()).unwrap_or(u32::MAX),
                            computed_at: Utc::now(),
                        },
                    )
                    .await?;
                parameters = Some(fresh);
            }
        }
        Ok(parameters
            .and_then(|p| MemoryModel::with_parameters(&p).ok())
            .unwrap_or_default())
    }

    /// The items due for review now, most forgotten first; with `exam`, only items of its
    /// current outline.
    pub async fn review_queue(
        &self,
        exam: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ReviewQueue> {
        let only: Option<OutlineRef> = match exam {
            Some(code) => {
                let exam = self.exam(code)?;
                Some(self.outline(exam, None)?.0)
            }
            None => None,
        };
        let log = certprep_store::settled_responses(self.store, &self.user, now).await?;
        let model = self.memory_model(&log).await?;
        let states = model
            .item_states(&self.review_events(&log))
            .map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let bank = &self.library.bank;
        let current: Vec<OutlineRef> = self
            .library
            .catalog
            .current_outlines()
            .map(|(r, _)| r)
            .collect();
        let usable = |id: &str| {
            bank.item(id).filter(|i| match &only {
                Some(r) => i.serves(r),
                None => current.iter().any(|r| i.serves(r)),
            })
        };
        let due: Vec<DueEntry> = model
            .due(&states, now)
            .into_iter()
            .filter_map(
                |DueItem {
                     item,
                     due,
                     retrievability,
                 }| {
                    let found = usable(&item)?;
                    Some(DueEntry {
                        exams: current
                            .iter()
                            .filter(|r| found.serves(r))
                            .map(|r| r.exam.to_string())
                            .collect(),
                        item_id: item,
                        due,
                        retrievability,
                    })
                },
            )
            .collect();
        let next_due = states
            .iter()
            .filter(|(id, m)| m.due > now && usable(id).is_some())
            .map(|(_, m)| m.due)
            .min();
        Ok(ReviewQueue {
            studied: states.keys().filter(|id| usable(id).is_some()).count(),
            due,
            next_due,
            optimised: model.is_optimised(),
            reviews: log.len(),
        })
    }

    pub async fn exam_date(&self, exam: &str) -> Result<Option<NaiveDate>> {
        let exam = self.exam(exam)?;
        Ok(self.store.exam_date(&self.user, exam.code.as_str()).await?)
    }

    /// Records the day the user plans to sit the exam (readiness projects recall to it).
    pub async fn set_exam_date(
        &self,
        exam: &str,
        date: NaiveDate,
        today: NaiveDate,
    ) -> Result<NaiveDate> {
        let exam = self.exam(exam)?;
        if date < today {
            return Err(ServiceError::Invalid(format!(
                "the exam date {date} is in the past (today is {today})"
            )));
        }
        self.store
            .set_exam_date(&self.user, exam.code.as_str(), date)
            .await?;
        Ok(date)
    }
}

/// What the calibration found, for `certprep calibrate`.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationReport {
    pub candidates: usize,
    pub responses: usize,
    pub items: usize,
    pub iterations: usize,
    pub converged: bool,
    pub log_likelihood: f64,
    /// var(θ̂) / (var(θ̂) + mean SE²) over the candidates.
    pub reliability: f64,
    /// Items with enough respondents to be used instead of their priors.
    pub usable: usize,
    pub misfitting: usize,
    pub calibrated: Vec<ItemCalibration>,
}

/// Calibrates every item of the bank from every user's first attempts (responses to an item's
/// current version only: a new version may be a different item), stores the result and
/// reports it. Items nobody answered keep their priors.
pub async fn calibrate_bank(
    library: &certprep_bank::Library,
    store: &dyn Store,
    three_pl: bool,
    now: DateTime<Utc>,
) -> Result<CalibrationReport> {
    let bank = &library.bank;
    let log = certprep_store::settled_all_responses(store, now).await?;
    let item_index: BTreeMap<&str, usize> = bank
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let mut persons: BTreeMap<&str, u32> = BTreeMap::new();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut observations = Vec::new();
    for r in &log {
        let Some(&i) = item_index.get(r.item_id.as_str()) else {
            continue;
        };
        if bank.items[i].version != r.item_version || !seen.insert((&r.user, &r.item_id)) {
            continue;
        }
        let next = u32::try_from(persons.len()).unwrap_or(u32::MAX);
        let person = *persons.entry(r.user.as_str()).or_insert(next);
        observations.push(Observation {
            person,
            item: u32::try_from(i).unwrap_or(u32::MAX),
            correct: r.max_points > 0 && r.points >= r.max_points,
        });
    }
    if observations.is_empty() {
        // Refused rather than storing an empty calibration over a good one.
        return Err(ServiceError::Invalid(
            "nothing to calibrate: no responses to the bank's current items in this database"
                .to_string(),
        ));
    }
    let responses = Responses::new(persons.len(), bank.items.len(), observations);
    let mut options = if three_pl {
        CalibrationOptions::three_pl(bank.items.len())
    } else {
        CalibrationOptions::for_items(bank.items.len())
    };
    options.prior_b = bank
        .items
        .iter()
        .map(|i| prior_difficulty(i.difficulty))
        .collect();
    let fit = calibrate(&responses, &options);
    let estimates = abilities(&responses, &fit.items, options.quadrature_points);
    let fits = certprep_learning::fit::item_fit(
        &responses,
        &fit.items,
        options.model,
        options.quadrature_points,
    );
    let mut respondents = vec![0u32; bank.items.len()];
    for p in 0..responses.persons {
        for o in responses.of_person(p) {
            respondents[o.item as usize] += 1;
        }
    }
    let misfit: BTreeSet<usize> = fits.iter().filter(|f| f.misfit).map(|f| f.item).collect();
    let calibrated: Vec<ItemCalibration> = bank
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| respondents[*i] > 0)
        .map(|(i, item)| ItemCalibration {
            item_id: item.id.clone(),
            item_version: item.version,
            a: fit.items[i].a,
            b: fit.items[i].b,
            c: fit.items[i].c,
            respondents: respondents[i],
            misfit: misfit.contains(&i),
            calibrated_at: now,
        })
        .collect();
    store.save_calibrations(&calibrated).await?;
    Ok(CalibrationReport {
        candidates: responses.persons,
        responses: responses.len(),
        items: calibrated.len(),
        iterations: fit.iterations,
        converged: fit.converged,
        log_likelihood: fit.log_likelihood,
        reliability: empirical_reliability(&estimates),
        usable: calibrated
            .iter()
            .filter(|c| c.respondents >= MIN_CALIBRATION_RESPONDENTS)
            .count(),
        misfitting: misfit.len(),
        calibrated,
    })
}

/// Item analysis of the bank over every user's log: classical statistics per item, distractor
/// analysis and reliability per form (a form is the exact item set of an exam session).
/// Item analysis with the reports filed against each item beside it.
#[derive(Debug, Clone, Serialize)]
pub struct BankHealthReport {
    #[serde(flatten)]
    pub analysis: BankHealth,
    /// By item id: only items with a report.
    pub disputes: BTreeMap<String, ItemDisputes>,
    /// How well certprep's pass probability predicted the real results recorded here.
    pub prediction_accuracy: certprep_advisor::Accuracy,
}

/// The reports about one item, as bank health shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemDisputes {
    /// Reports not yet resolved.
    pub open: usize,
    /// What the open reports say is wrong.
    pub open_kinds: Vec<certprep_domain::dispute::DisputeKind>,
    /// The version an upheld wrong-key report was about, while the bank still serves it: the
    /// item is flagged until its version moves on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrong_key_upheld: Option<u32>,
}

impl ItemDisputes {
    /// What the author reads in the findings column.
    pub fn summary(&self) -> Option<String> {
        let mut parts = vec![];
        if let Some(v) = self.wrong_key_upheld {
            parts.push(format!("wrong key upheld on version {v}: fix pending"));
        }
        if self.open > 0 {
            let kinds: Vec<&str> = self.open_kinds.iter().map(|k| k.as_str()).collect();
            parts.push(format!(
                "{} open report(s): {}",
                self.open,
                kinds.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    pub fn needs_attention(&self) -> bool {
        self.open > 0 || self.wrong_key_upheld.is_some()
    }
}

impl BankHealthReport {
    /// Keeps only the items a statistic or a report flags.
    pub fn retain_flagged(&mut self) {
        let disputes = &self.disputes;
        self.analysis.items.retain(|i| {
            !i.flags.is_empty()
                || disputes
                    .get(&i.item)
                    .is_some_and(ItemDisputes::needs_attention)
        });
    }
}

/// Each item's reports, summarised against the bank's current versions.
async fn dispute_summary(bank: &Bank, store: &dyn Store) -> Result<BTreeMap<String, ItemDisputes>> {
    let mut by_item: BTreeMap<String, ItemDisputes> = BTreeMap::new();
    for d in store
        .disputes(&certprep_store::DisputeFilter::default())
        .await?
    {
        let current = bank.item(&d.item_id).map_or(0, |i| i.version);
        let entry = by_item.entry(d.item_id.clone()).or_default();
        if d.is_open() {
            entry.open += 1;
            if !entry.open_kinds.contains(&d.kind) {
                entry.open_kinds.push(d.kind);
            }
        }
        if d.flags(current) {
            entry.wrong_key_upheld = Some(
                entry
                    .wrong_key_upheld
                    .map_or(d.item_version, |v| v.max(d.item_version)),
            );
        }
    }
    by_item.retain(|_, e| e.needs_attention() || e.open > 0);
    Ok(by_item)
}

pub async fn bank_health(
    library: &certprep_bank::Library,
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<BankHealthReport> {
    let mut analysis = item_analysis(library, store, now).await?;
    let disputes = dispute_summary(&library.bank, store).await?;
    // Items with a report to act on come first, with those the statistics flag.
    analysis.items.sort_by_key(|i| {
        let reported = disputes
            .get(&i.item)
            .is_some_and(ItemDisputes::needs_attention);
        !reported && i.flags.is_empty()
    });
    let prediction_accuracy = crate::advisor::prediction_accuracy(store).await?;
    Ok(BankHealthReport {
        analysis,
        disputes,
        prediction_accuracy,
    })
}

async fn item_analysis(
    library: &certprep_bank::Library,
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<BankHealth> {
    let bank = &library.bank;
    let log = certprep_store::settled_all_responses(store, now).await?;
    let forms = exam_forms(store).await?;
    let attempts: Vec<Attempt> = log
        .iter()
        .filter_map(|r| {
            let item = bank.item(&r.item_id)?;
            Some(Attempt {
                person: r.user.clone(),
                item: r.item_id.clone(),
                form: forms.get(r.session_id.as_str()).cloned(),
                points: r.points,
                max_points: r.max_points,
                chosen: analysis::chosen_labels(item, &r.answer),
            })
        })
        .collect();
    let keys: Vec<_> = bank.items.iter().map(analysis::keys_of).collect();
    Ok(analysis::analyse(&attempts, &keys))
}

/// Each exam session's form: its sorted item ids, so sessions given the same form share it.
async fn exam_forms(store: &dyn Store) -> Result<BTreeMap<String, String>> {
    Ok(store
        .sessions_in_mode(certprep_domain::session::Mode::Exam.as_str())
        .await?
        .into_iter()
        .map(|session| {
            let mut items: Vec<&str> = session.items.iter().map(|i| i.item_id.as_str()).collect();
            items.sort_unstable();
            let form = format!("{}:{}", session.outline, items.join(","));
            (session.id, form)
        })
        .collect())
}

/// The items the adaptive check may use: standalone items of the outline (case studies and
/// series need their scenario and stay whole, so they are left to mock exams).
pub fn adaptive_pool<'a>(
    bank: &'a Bank,
    outline_ref: &'a OutlineRef,
) -> impl Iterator<Item = &'a Item> {
    bank.serving(outline_ref).filter(|i| {
        !matches!(
            i.group,
            Some(Membership::CaseStudy(_)) | Some(Membership::Series(_))
        )
    })
}

/// The longest adaptive check, in items (about a third of a real form).
pub const ADAPTIVE_MAX_ITEMS: usize = 30;

/// The adaptive check's pool and rules for one outline.
struct AdaptivePlan<'a> {
    items: Vec<&'a Item>,
    pool: Vec<PoolItem>,
    weights: Vec<f64>,
    settings: AdaptiveSettings,
}

impl Service<'_> {
    fn adaptive_plan<'a>(
        &'a self,
        exam: &Exam,
        outline_ref: &'a OutlineRef,
        outline: &'a Outline,
        model: &ItemModel,
    ) -> AdaptivePlan<'a> {
        let bank = &self.library.bank;
        let mut items = Vec::new();
        let mut pool = Vec::new();
        for item in adaptive_pool(bank, outline_ref) {
            let domain = primary_domain(item, outline_ref, outline)
                .and_then(|d| outline.domains.iter().position(|x| x.id == d));
            if let (Some(domain), Some(params)) = (domain, model.get(&item.id)) {
                items.push(item);
                pool.push(PoolItem { params, domain });
            }
        }
        let cut = blueprint(exam, outline_ref, outline, bank, model).cut();
        AdaptivePlan {
            items,
            pool,
            weights: outline.domains.iter().map(|d| d.weight_mid()).collect(),
            settings: AdaptiveSettings {
                cut,
                max_items: ADAPTIVE_MAX_ITEMS,
                ..AdaptiveSettings::default()
            },
        }
    }

    /// After each answer of an adaptive check (and at its start): decide, and either stop with
    /// the verdict (submitting the session) or append the most informative next item.
    pub(crate) async fn adaptive_step(
        &self,
        session: &mut Session,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (exam, outline_ref, outline) = self.outline_of(session)?;
        let model = self.item_model().await?;
        let plan = self.adaptive_plan(exam, &outline_ref, outline, &model);
        let index: BTreeMap<&str, usize> = plan
            .items
            .iter()
            .enumerate()
            .map(|(k, i)| (i.id.as_str(), k))
            .collect();
        let answered: Vec<(usize, bool)> = session
            .items
            .iter()
            .zip(&session.states)
            .filter(|(_, s)| s.answer.is_some())
            .filter_map(|(i, s)| {
                let k = *index.get(i.item_id.as_str())?;
                Some((k, s.max_points > 0 && s.points >= s.max_points))
            })
            .collect();
        let verdict = decide(&plan.pool, &answered, &plan.settings);
        let administered: Vec<usize> = session
            .items
            .iter()
            .filter_map(|i| index.get(i.item_id.as_str()).copied())
            .collect();
        let next = if verdict.stopped {
            None
        } else {
            // Seeded by the session and its length, so a replayed check picks the same items.
            let mut rng = ChaCha8Rng::seed_from_u64(session.seed ^ administered.len() as u64);
            next_item(
                &plan.pool,
                &administered,
                &plan.weights,
                &plan.settings,
                &mut rng,
            )
        };
        match next {
            Some(k) => session.append_item(&self.library.bank, &plan.items[k].id, now)?,
            None => {
                let record = session.adaptive.get_or_insert(AdaptiveRecord {
                    max_items: ADAPTIVE_MAX_ITEMS as u32,
                    verdict: None,
                });
                record.verdict = Some(AdaptiveVerdict {
                    outcome: match verdict.decision {
                        Decision::Pass => AdaptiveOutcome::Pass,
                        Decision::Fail => AdaptiveOutcome::Fail,
                        Decision::Undecided => AdaptiveOutcome::Undecided,
                    },
                    confident: verdict.confident,
                    items_used: u32::try_from(verdict.items_used).unwrap_or(u32::MAX),
                    theta: verdict.theta,
                    se: verdict.se,
                    cut: plan.settings.cut,
                });
                if !session.is_submitted() {
                    session.submit(now)?;
                }
            }
        }
        Ok(())
    }
}

/// Due reviews come first once there are this many: they are the cheapest marks to keep.
pub const DUE_REVIEWS_FIRST: usize = 10;

/// Readiness says little before this many items of the outline are answered.
pub const MIN_ITEMS_FOR_READINESS: usize = 20;

/// One thing to do next, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    /// Review the items due today.
    Review { due: usize },
    /// Practise one objective: heavily weighted and weakly recalled.
    Practise {
        objective: String,
        title: String,
        domain: String,
    },
    /// A mock exam under the real rules.
    MockExam,
    /// The adaptive readiness check (a short test near the cut).
    AdaptiveCheck,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub exam: String,
    pub activity: Activity,
    pub reason: String,
    /// The command that starts it from the command line.
    pub command: String,
}

impl Recommendation {
    /// The session that starts the activity.
    pub fn request(&self) -> crate::StartRequest {
        let (mode, filter) = match &self.activity {
            Activity::Review { .. } => (Mode::Study, CustomFilter::default()),
            Activity::Practise { objective, .. } => (
                Mode::Custom,
                CustomFilter {
                    objectives: vec![objective.clone()],
                    ..CustomFilter::default()
                },
            ),
            Activity::MockExam => (Mode::Exam, CustomFilter::default()),
            Activity::AdaptiveCheck => (Mode::Adaptive, CustomFilter::default()),
        };
        crate::StartRequest {
            exam: self.exam.clone(),
            mode: Some(mode),
            filter,
            ..crate::StartRequest::default()
        }
    }
}

/// The objective most worth practising: the largest expected loss of marks, its domain's
/// share of the exam spread over the domain's objectives times the share of its items not
/// recalled (unstudied items count as not recalled).
fn weakest_objective<'a>(
    readiness: &'a ReadinessReport,
    outline: &Outline,
) -> Option<&'a ObjectiveRecall> {
    let loss = |o: &ObjectiveRecall| {
        let domain = outline.domain(&o.domain);
        let weight = domain.map_or(0.0, |d| {
            d.weight_mid() / d.objectives().count().max(1) as f64
        });
        weight * (1.0 - o.projection.expected_recall)
    };
    readiness
        .objectives
        .iter()
        .filter(|o| o.projection.items > 0)
        .max_by(|a, b| loss(a).total_cmp(&loss(b)).then(b.id.cmp(&a.id)))
}

/// What to do next, from the review queue and readiness (pure, so it can be tested).
pub fn recommend(
    exam: &str,
    due: usize,
    readiness: &ReadinessReport,
    outline: &Outline,
) -> Recommendation {
    let code = exam.to_string();
    let percent = |p: f64| (p * 100.0).round();
    let (activity, reason) = if readiness.items_answered == 0 {
        (
            Activity::AdaptiveCheck,
            "Nothing answered yet: the adaptive readiness check finds your level in about 15 items."
                .to_string(),
        )
    } else if due >= DUE_REVIEWS_FIRST {
        (
            Activity::Review { due },
            format!("{due} items are due for review: keeping what you know is the cheapest mark."),
        )
    } else if readiness.items_answered >= MIN_ITEMS_FOR_READINESS
        && readiness.assessment.interval[1] - readiness.assessment.interval[0] > UNCERTAIN_INTERVAL
    {
        (
            Activity::MockExam,
            format!(
                "Your pass probability is {}% but could be anywhere from {}% to {}%: a mock exam under the real rules tells more.",
                percent(readiness.assessment.pass_probability),
                percent(readiness.assessment.interval[0]),
                percent(readiness.assessment.interval[1])
            ),
        )
    } else if let Some(o) =
        weakest_objective(readiness, outline).filter(|o| o.projection.expected_recall < 0.8)
    {
        (
            Activity::Practise {
                objective: o.id.clone(),
                title: o.title.clone(),
                domain: o.domain.clone(),
            },
            format!(
                "\"{}\" weighs heavily and you would recall about {}% of it on exam day.",
                o.title,
                percent(o.projection.expected_recall)
            ),
        )
    } else if due > 0 {
        (
            Activity::Review { due },
            format!("{due} items are due for review."),
        )
    } else if readiness.assessment.pass_probability >= 0.8 {
        (
            Activity::MockExam,
            format!(
                "Every objective is well recalled and your pass probability is {}%: a mock exam confirms it under the real rules.",
                percent(readiness.assessment.pass_probability)
            ),
        )
    } else {
        // Recall is high right after practice, whatever the answers were; readiness is not.
        (
            Activity::MockExam,
            format!(
                "You have practised most of the outline, but your pass probability is {}%: a mock exam under the real rules shows where the marks are lost.",
                percent(readiness.assessment.pass_probability)
            ),
        )
    };
    let command = match &activity {
        Activity::Review { .. } => format!("certprep review --exam {code} --start"),
        Activity::Practise { objective, .. } => {
            format!("certprep session start --exam {code} --mode custom --objective {objective}")
        }
        Activity::MockExam => format!("certprep session start --exam {code} --mode exam"),
        Activity::AdaptiveCheck => format!("certprep session start --exam {code} --mode adaptive"),
    };
    Recommendation {
        exam: code,
        activity,
        reason,
        command,
    }
}

impl Service<'_> {
    /// The one activity most worth doing next for an exam.
    pub async fn next_activity(&self, exam: &str, now: DateTime<Utc>) -> Result<Recommendation> {
        let found = self.exam(exam)?;
        let (_, outline) = self.outline(found, None)?;
        let readiness = self.readiness(exam, now).await?;
        let due = self.review_queue(Some(exam), now).await?.due.len();
        Ok(recommend(found.code.as_str(), due, &readiness, outline))
    }

    /// Starts a recommended activity: a review session of the due items, or the session its
    /// request describes.
    pub async fn start_recommended(
        &self,
        next: &Recommendation,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        match next.activity {
            Activity::Review { .. } => self.start_review(&next.exam, now).await,
            _ => self.start(next.request(), now).await,
        }
    }

    /// A study session of the items due for review in an exam's current outline.
    pub async fn start_review(&self, exam: &str, now: DateTime<Utc>) -> Result<Session> {
        let queue = self.review_queue(Some(exam), now).await?;
        if queue.due.is_empty() {
            return Err(ServiceError::Invalid(match queue.next_due {
                Some(at) => format!(
                    "nothing is due for review; the next item falls due {}",
                    at.format("%Y-%m-%d %H:%M UTC")
                ),
                None => "nothing to review yet: answer some items first".to_string(),
            }));
        }
        let request = crate::StartRequest {
            exam: exam.to_string(),
            mode: Some(Mode::Study),
            filter: CustomFilter {
                items: queue.due.iter().map(|d| d.item_id.clone()).collect(),
                ..CustomFilter::default()
            },
            ..crate::StartRequest::default()
        };
        self.start(request, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use certprep_domain::exam::{Domain, Objective, Provenance, SkillGroup};

    fn outline() -> Outline {
        let domain = |id: &str, weight: u32, objectives: &[&str]| Domain {
            id: id.into(),
            title: id.into(),
            weight_min: weight,
            weight_max: weight,
            groups: vec![SkillGroup {
                title: id.into(),
                objectives: objectives
                    .iter()
                    .map(|o| Objective {
                        id: (*o).into(),
                        title: format!("{o} title"),
                        retired: None,
                    })
                    .collect(),
            }],
            provenance: Provenance::default(),
        };
        Outline {
            date: NaiveDate::from_ymd_opt(2026, 4, 16).unwrap_or_default(),
            domains: vec![
                domain("heavy", 60, &["h1", "h2"]),
                domain("light", 40, &["l1"]),
            ],
            provenance: Provenance::default(),
        }
    }

    fn recall(id: &str, domain: &str, expected: f64) -> ObjectiveRecall {
        ObjectiveRecall {
            id: id.into(),
            title: format!("{id} title"),
            domain: domain.into(),
            projection: ObjectiveProjection {
                objective: id.into(),
                items: 4,
                studied: 4,
                mean_retrievability: Some(expected),
                expected_recall: expected,
            },
        }
    }

    fn readiness(answered: usize, p: f64, interval: [f64; 2]) -> ReadinessReport {
        ReadinessReport {
            exam: "x-1".into(),
            outline: "x-1@2026-04-16".into(),
            assessment: Assessment {
                pass_probability: p,
                interval,
                theta: 0.0,
                se: 0.5,
                cut: 0.5,
                above_cut: 0.3,
                expected_share: 0.6,
            },
            scaled_estimate: 600,
            items_answered: answered,
            domains: vec![],
            timeline: vec![],
            exam_date: None,
            objectives: vec![
                recall("h1", "heavy", 0.9),
                recall("h2", "heavy", 0.5),
                recall("l1", "light", 0.3),
            ],
            calibrated_items: 0,
            outline_items: 12,
            passing_standard: 70,
            standard_note: None,
            note: READINESS_NOTE,
        }
    }

    #[test]
    fn a_newcomer_is_sent_to_the_adaptive_check() {
        let r = readiness(0, 0.1, [0.0, 0.9]);
        assert_eq!(
            recommend("x-1", 0, &r, &outline()).activity,
            Activity::AdaptiveCheck
        );
    }

    #[test]
    fn many_due_reviews_come_first() {
        let r = readiness(40, 0.5, [0.4, 0.6]);
        let next = recommend("x-1", 12, &r, &outline());
        assert_eq!(next.activity, Activity::Review { due: 12 });
        assert_eq!(next.command, "certprep review --exam x-1 --start");
    }

    #[test]
    fn uncertain_readiness_asks_for_a_mock_exam() {
        let r = readiness(25, 0.5, [0.2, 0.8]);
        let next = recommend("x-1", 3, &r, &outline());
        assert_eq!(next.activity, Activity::MockExam);
        assert!(
            next.reason.contains("anywhere from 20% to 80%"),
            "{}",
            next.reason
        );
    }

    #[test]
    fn the_objective_with_most_marks_to_lose_is_practised() {
        // h2: 30% of the exam per objective × 50% not recalled = 0.15; l1: 40% × 70% = 0.28.
        let r = readiness(40, 0.5, [0.4, 0.6]);
        let next = recommend("x-1", 3, &r, &outline());
        assert_eq!(
            next.activity,
            Activity::Practise {
                objective: "l1".into(),
                title: "l1 title".into(),
                domain: "light".into(),
            }
        );
        assert_eq!(next.request().filter.objectives, vec!["l1".to_string()]);
        // With l1 well recalled, the heavy domain's weak objective is next.
        let mut r = r;
        r.objectives[2].projection.expected_recall = 0.95;
        let next = recommend("x-1", 3, &r, &outline());
        assert!(
            matches!(next.activity, Activity::Practise { ref objective, .. } if objective == "h2")
        );
    }

    #[test]
    fn when_all_is_recalled_the_pass_probability_decides_the_wording() {
        let mut r = readiness(40, 0.9, [0.8, 0.97]);
        for o in &mut r.objectives {
            o.projection.expected_recall = 0.95;
        }
        assert_eq!(
            recommend("x-1", 2, &r, &outline()).activity,
            Activity::Review { due: 2 }
        );
        let ready = recommend("x-1", 0, &r, &outline());
        assert!(ready.reason.contains("confirms"), "{}", ready.reason);
        r.assessment.pass_probability = 0.3;
        r.assessment.interval = [0.2, 0.45];
        let not_yet = recommend("x-1", 0, &r, &outline());
        assert_eq!(not_yet.activity, Activity::MockExam);
        assert!(
            not_yet.reason.contains("where the marks are lost"),
            "{}",
            not_yet.reason
        );
    }
}
