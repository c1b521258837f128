//! The advisor's use cases: advice for a profile with the user's own evidence, the study plan
//! and its progress, the real result with certprep's prediction beside it, renewal, and how
//! well certprep predicted real results across the server.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use certprep_advisor::{
    Accuracy, Advice, AdvisorContent, Evidence, ExamFacts, PlanDomain, PlanProgress, PlanRequest,
    Prediction, Profile, Renewal, StudyPlan,
};
use certprep_bank::Library;
use certprep_store::{ExamResult, NewExamResult, Store, StoredPlan};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::learning::ReadinessReport;
use crate::{Result, Service, ServiceError};

/// Results needed before the accuracy report shows its figures.
pub const ACCURACY_MINIMUM: usize = 10;
/// Bins of the reliability table.
pub const ACCURACY_BINS: usize = 5;
/// A single answer counts toward logged study time for at most this long (a candidate who
/// left an item open over lunch did not study for an hour).
const MAX_COUNTED_MS: u64 = 10 * 60 * 1000;

/// The advisor's content from the library (embedded, or a `--bank` folder's `advisor/`).
pub fn advisor_content(library: &Library) -> Result<AdvisorContent> {
    AdvisorContent::load(
        library
            .advisor
            .iter()
            .map(|f| (f.path.as_str(), f.text.as_str())),
        &library.catalog,
    )
    .map_err(|e| ServiceError::Invalid(e.to_string()))
}

/// A plan with the progress against it, as every interface shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub exam: String,
    /// The day the plan was looked at (progress counts up to it).
    pub today: NaiveDate,
    pub plan: StudyPlan,
    pub progress: PlanProgress,
    /// Where the hours estimate came from (the advisor's reasoning).
    pub hours_reasoning: Vec<String>,
}

/// A recorded result with certprep's prediction and the credential's renewal.
#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    #[serde(flatten)]
    pub result: ExamResult,
    pub exam_title: String,
    /// What the prediction said against what happened, in words.
    pub comparison: String,
    pub renewal: Option<Renewal>,
}

impl Service<'_> {
    pub async fn saved_profile(&self) -> Result<Option<Profile>> {
        let Some(json) = self.store.advisor_profile(&self.user).await? else {
            return Ok(None);
        };
        // A profile saved by an older version that no longer reads is simply asked again.
        Ok(serde_json::from_str(&json).ok())
    }

    pub async fn save_profile(&self, profile: &Profile) -> Result<()> {
        profile.validate().map_err(ServiceError::Invalid)?;
        let json = serde_json::to_string(profile)
            .map_err(|e| ServiceError::Invalid(format!("the profile cannot be saved: {e}")))?;
        Ok(self.store.set_advisor_profile(&self.user, &json).await?)
    }

    /// Advice for an exam, with the user's readiness as evidence and, for an exam with a
    /// successor map, how much of the user's practice carries over.
    pub async fn advise(
        &self,
        exam_code: &str,
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> Result<Advice> {
        let readiness = self.readiness(exam_code, now).await?;
        self.advise_with(exam_code, profile, &readiness, now).await
    }

    /// [`Service::advise`] with readiness the caller already has (the plan needs it too).
    async fn advise_with(
        &self,
        exam_code: &str,
        profile: &Profile,
        readiness: &ReadinessReport,
        now: DateTime<Utc>,
    ) -> Result<Advice> {
        let content = advisor_content(self.library)?;
        let exam = self.exam(exam_code)?;
        let today = now.date_naive();
        let facts = ExamFacts::of(exam, &self.library.catalog, today);
        let evidence = (readiness.items_answered > 0).then_some(Evidence {
            pass_probability: readiness.assessment.pass_probability,
            items_answered: readiness.items_answered,
        });
        let mut advice = certprep_advisor::advise(&content.data, profile, &facts, evidence, today)
            .map_err(|e| ServiceError::Invalid(e.to_string()))?;
        if let Some(map) = content.map_from(exam.code.as_str()) {
            advice.carry_over = Some(self.carry_over(map, now).await?);
        }
        Ok(advice)
    }

    async fn carry_over(
        &self,
        map: &certprep_advisor::ObjectiveMap,
        now: DateTime<Utc>,
    ) -> Result<certprep_advisor::CarryOver> {
        let catalog = &self.library.catalog;
        let outline = |name: &str| {
            certprep_advisor::outline_objectives_of(catalog, name)
                .ok_or_else(|| ServiceError::Invalid(format!("no outline {name}")))
        };
        let (from, to) = (outline(&map.from)?, outline(&map.to)?);
        let tags = |item: &certprep_domain::Item, outline: &str| {
            item.objectives
                .iter()
                .find(|(o, _)| o.to_string() == outline)
                .map(|(_, ids)| ids.clone())
        };
        let pairs: Vec<(Vec<String>, Vec<String>)> = self
            .library
            .bank
            .items
            .iter()
            .filter_map(|i| Some((tags(i, &map.from)?, tags(i, &map.to)?)))
            .collect();
        let shared = certprep_advisor::shared_item_counts(
            pairs.iter().map(|(a, b)| (a.as_slice(), b.as_slice())),
        );
        // Distinct items the user answered, per objective of the old outline.
        let log = certprep_store::settled_responses(self.store, &self.user, now).await?;
        let mut seen = BTreeSet::new();
        let mut practised: HashMap<String, usize> = HashMap::new();
        for r in &log {
            if !seen.insert(r.item_id.clone()) {
                continue;
            }
            let Some(item) = self.library.bank.items.iter().find(|i| i.id == r.item_id) else {
                continue;
            };
            for objective in tags(item, &map.from).unwrap_or_default() {
                *practised.entry(objective).or_default() += 1;
            }
        }
        Ok(certprep_advisor::carry_over(
            map, &from, &to, &shared, &practised,
        ))
    }

    /// The user's study plan for an exam. A date or hours given are saved first; otherwise the
    /// saved ones are used. The hours needed come from the advisor with the saved profile.
    pub async fn study_plan(
        &self,
        exam_code: &str,
        date: Option<NaiveDate>,
        hours_per_week: Option<f64>,
        now: DateTime<Utc>,
    ) -> Result<PlanView> {
        let exam = self.exam(exam_code)?;
        let code = exam.code.as_str();
        let today = now.date_naive();
        if let Some(d) = date {
            self.set_exam_date(code, d, today).await?;
        }
        let saved = self.store.study_plan(&self.user, code).await?;
        let stored = match (hours_per_week, saved) {
            (Some(h), _) => {
                if !(h.is_finite() && h > 0.0 && h <= 80.0) {
                    return Err(ServiceError::Invalid(format!(
                        "hours per week must be more than 0 and at most 80, not {h}"
                    )));
                }
                // Changing the hours keeps the plan's first day unless the date moved.
                let starts_on = match saved {
                    Some(s) if date.is_none() => s.starts_on,
                    _ => today,
                };
                let plan = StoredPlan {
                    hours_per_week: h,
                    starts_on,
                };
                self.store.set_study_plan(&self.user, code, &plan).await?;
                plan
            }
            (None, Some(s)) if date.is_none() => s,
            (None, Some(s)) => {
                let plan = StoredPlan {
                    starts_on: today,
                    ..s
                };
                self.store.set_study_plan(&self.user, code, &plan).await?;
                plan
            }
            (None, None) => {
                return Err(ServiceError::Invalid(format!(
                    "no study plan for {} yet: give the hours you can study a week",
                    exam.code.display()
                )));
            }
        };
        let exam_date = self
            .store
            .exam_date(&self.user, code)
            .await?
            .ok_or_else(|| {
                ServiceError::Invalid(format!(
                    "no exam date for {} yet: give the day you plan to sit it",
                    exam.code.display()
                ))
            })?;
        let profile = Profile {
            hours_per_week: Some(stored.hours_per_week),
            ..self.saved_profile().await?.unwrap_or_default()
        };
        let readiness = self.readiness(code, now).await?;
        let advice = self.advise_with(code, &profile, &readiness, now).await?;
        let domains = readiness
            .domains
            .iter()
            .map(|d| PlanDomain {
                id: d.id.clone(),
                title: d.title.clone(),
                weight: d.weight / 100.0,
                // A domain's ability says little before a few answers in it.
                mastery: (d.items_answered >= 5).then_some(d.above_cut),
            })
            .collect();
        let plan_start = stored.starts_on.min(today);
        let request = PlanRequest {
            today: plan_start,
            exam_date,
            hours_per_week: stored.hours_per_week,
            hours_needed: [advice.hours.min, advice.hours.max],
            domains,
            exam_minutes: exam.duration.minutes,
        };
        let plan =
            certprep_advisor::plan(&request).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        let logged = self.hours_logged(plan_start, now).await?;
        let progress = certprep_advisor::progress(&plan, &logged, today);
        Ok(PlanView {
            exam: code.to_string(),
            today,
            plan,
            progress,
            hours_reasoning: advice.hours.reasoning,
        })
    }

    /// Hours of study per day since `since`, from the time spent on each answer (capped).
    async fn hours_logged(
        &self,
        since: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<(NaiveDate, f64)>> {
        let mut by_day: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        for r in self.store.responses(&self.user).await? {
            let day = r.answered_at.date_naive();
            if day >= since && r.answered_at <= now {
                *by_day.entry(day).or_default() += r.time_spent_ms.min(MAX_COUNTED_MS);
            }
        }
        Ok(by_day
            .into_iter()
            .map(|(d, ms)| (d, ms as f64 / 3_600_000.0))
            .collect())
    }

    /// Records the real exam. certprep's prediction is its last pass probability on or before
    /// that day, kept with the result as it stood.
    pub async fn record_result(
        &self,
        exam_code: &str,
        taken_on: NaiveDate,
        passed: bool,
        score: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<ResultView> {
        let exam = self.exam(exam_code)?;
        let today = now.date_naive();
        if taken_on > today {
            return Err(ServiceError::Invalid(format!(
                "the exam day {taken_on} is after today ({today}): record the result once you have it"
            )));
        }
        if let Some(s) = score {
            if s > exam.max_score {
                return Err(ServiceError::Invalid(format!(
                    "a score of {s} is above the exam's maximum of {}",
                    exam.max_score
                )));
            }
            if (s >= exam.passing_score) != passed {
                return Err(ServiceError::Invalid(format!(
                    "a score of {s} is a {} ({} passes): check the result or the score",
                    if s >= exam.passing_score {
                        "pass"
                    } else {
                        "fail"
                    },
                    exam.passing_score
                )));
            }
        }
        let readiness = self.readiness(exam.code.as_str(), now).await?;
        let predicted = readiness
            .timeline
            .iter()
            .rev()
            .find(|p| p.date <= taken_on)
            .map(|p| p.pass_probability);
        let result = self
            .store
            .record_exam_result(&NewExamResult {
                user: self.user.clone(),
                exam: exam.code.to_string(),
                taken_on,
                passed,
                score,
                predicted,
                recorded_at: now,
            })
            .await?;
        self.result_view(&advisor_content(self.library)?, result, today)
    }

    pub async fn results(&self, now: DateTime<Utc>) -> Result<Vec<ResultView>> {
        let today = now.date_naive();
        let content = advisor_content(self.library)?;
        self.store
            .exam_results(Some(&self.user))
            .await?
            .into_iter()
            .map(|r| self.result_view(&content, r, today))
            .collect()
    }

    pub async fn delete_result(&self, id: i64) -> Result<()> {
        if self.store.delete_exam_result(&self.user, id).await? {
            Ok(())
        } else {
            Err(ServiceError::Invalid(format!(
                "you have no recorded result #{id}"
            )))
        }
    }

    fn result_view(
        &self,
        content: &AdvisorContent,
        result: ExamResult,
        today: NaiveDate,
    ) -> Result<ResultView> {
        let exam = self.exam(&result.exam)?;
        let outcome = if result.passed {
            "passed"
        } else {
            "did not pass"
        };
        let comparison = match result.predicted {
            Some(p) => {
                let agreed = (p >= 0.5) == result.passed;
                format!(
                    "certprep's last estimate before the exam was a {:.0}% chance of passing; you {outcome}. {}",
                    p * 100.0,
                    if agreed {
                        "The estimate pointed the right way."
                    } else {
                        "The estimate pointed the other way: every recorded result makes certprep's accuracy report more honest."
                    }
                )
            }
            None => format!(
                "You {outcome}. certprep had no estimate before that day (no practice for this exam's outline)."
            ),
        };
        let renewal = result
            .passed
            .then(|| renewal_of(content, exam, result.taken_on, today));
        Ok(ResultView {
            exam_title: exam.title.clone(),
            result,
            comparison,
            renewal,
        })
    }
}

/// How far ahead of the renewal window a reminder starts.
pub const RENEWAL_NOTICE_DAYS: i64 = 30;

impl Service<'_> {
    /// Reminders about the user's credentials: a renewal window open now or opening within
    /// [`RENEWAL_NOTICE_DAYS`], or a credential lapsing because its exam retired (newest pass of
    /// each exam only).
    pub async fn renewal_reminders(&self, now: DateTime<Utc>) -> Result<Vec<String>> {
        use certprep_advisor::RenewalStatus as S;
        let today = now.date_naive();
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for view in self.results(now).await? {
            if !view.result.passed || !seen.insert(view.result.exam.clone()) {
                continue;
            }
            let Some(r) = &view.renewal else { continue };
            let exam = view.result.exam.to_uppercase();
            let soon = (r.window_opens - today).num_days();
            match r.status {
                S::WindowOpen => out.push(format!(
                    "{exam}: the free renewal assessment is open; take it on Microsoft Learn before {}.",
                    r.expires_on
                )),
                S::Valid if (0..=RENEWAL_NOTICE_DAYS).contains(&soon) => out.push(format!(
                    "{exam}: the free renewal assessment opens on {} (the credential expires on {}).",
                    r.window_opens, r.expires_on
                )),
                S::CannotRenew => out.push(format!("{exam}: {}", r.message)),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// How well certprep's predictions matched real results recorded on this server.
pub async fn prediction_accuracy(store: &dyn Store) -> Result<Accuracy> {
    let predictions: Vec<Prediction> = store
        .exam_results(None)
        .await?
        .into_iter()
        .filter_map(|r| {
            r.predicted.map(|probability| Prediction {
                probability,
                passed: r.passed,
            })
        })
        .collect();
    Ok(certprep_advisor::accuracy(
        &predictions,
        ACCURACY_BINS,
        ACCURACY_MINIMUM,
    ))
}

/// The renewal of a credential of `exam` earned on `passed_on`, seen on `today`.
fn renewal_of(
    content: &AdvisorContent,
    exam: &certprep_domain::Exam,
    passed_on: NaiveDate,
    today: NaiveDate,
) -> Renewal {
    let retirement = exam.retirement.as_ref();
    certprep_advisor::renewal(
        &content.data.renewal,
        passed_on,
        today,
        retirement.map(|r| r.on),
        retirement
            .and_then(|r| r.successor.as_ref())
            .map(|s| s.as_str()),
    )
}

/// The credential state of one person for one exam on `today`: the newest pass's renewal.
pub fn credential_of(
    content: &AdvisorContent,
    exam: &certprep_domain::Exam,
    results: &[ExamResult],
    user: &str,
    today: NaiveDate,
) -> Option<Renewal> {
    let newest = results
        .iter()
        .filter(|r| r.user == user && r.exam == exam.code.as_str() && r.passed)
        .max_by_key(|r| r.taken_on)?;
    Some(renewal_of(content, exam, newest.taken_on, today))
}

/// The exam to advise on when none is named: the newest one that can be taken `today`.
pub fn default_exam(library: &Library, today: NaiveDate) -> String {
    library
        .catalog
        .exams()
        .iter()
        .filter(|e| {
            matches!(
                e.status_on(today),
                certprep_domain::ExamStatus::Active | certprep_domain::ExamStatus::Retiring
            )
        })
        .max_by_key(|e| e.current_outline().map(|o| o.date))
        .map_or_else(|| "ai-103".to_string(), |e| e.code.to_string())
}
