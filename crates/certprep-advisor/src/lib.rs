//! The advisor: whether a certification is worth its cost and time for one person, a
//! week-by-week study plan, the real exam's result against certprep's prediction, and renewal.
//!
//! Facts and rules are data (`content/advisor/advisor.toml`, and one objective map per exam and
//! successor such as `content/advisor/ai-102-to-ai-103.toml`); this crate only computes over
//! them, so a price, a rule or a mapping changes without touching code. No I/O: callers pass
//! the text of those files, the exam's catalog facts and the person's evidence.

pub mod accuracy;
pub mod advise;
pub mod carry_over;
pub mod data;
pub mod ics;
pub mod plan;
pub mod profile;
pub mod renewal;
mod rules;

pub use accuracy::{Accuracy, Prediction, ReliabilityBin, accuracy};
pub use advise::{
    Advice, CostItem, CostSummary, Evidence, ExamFacts, Fee, HoursEstimate, Reason, Recommendation,
    advise, money, trim_number,
};
pub use carry_over::{
    Carries, CarryOver, MappedObjective, ObjectiveMap, OutlineObjectives, carry_over,
    shared_item_counts,
};
pub use data::AdvisorData;
pub use plan::{
    Activity, ActivityKind, DomainHours, PlanDomain, PlanProgress, PlanRequest, PlanStatus,
    ProgressStatus, StudyPlan, Week, WeekProgress, plan, progress,
};
pub use profile::{EmployerCloud, Foundations, Industry, Profile, Role};
pub use renewal::{Renewal, RenewalStatus, renewal};

/// A data file that cannot be used, with the place and the reason.
#[derive(Debug, thiserror::Error)]
pub enum AdvisorError {
    #[error("{file}: {message}")]
    Data { file: String, message: String },
    #[error("{0}")]
    Input(String),
}

pub type Result<T, E = AdvisorError> = std::result::Result<T, E>;

use certprep_domain::{Catalog, Exam, ExamCode, Outline};

/// Everything the advisor reads: its facts and rules, and the objective maps between exams
/// and their successors, each checked against the catalog.
#[derive(Debug, Clone)]
pub struct AdvisorContent {
    pub data: AdvisorData,
    pub maps: Vec<ObjectiveMap>,
}

impl AdvisorContent {
    /// From the files of `content/advisor/`: `advisor.toml` and any `*-to-*.toml` map.
    pub fn load<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
        catalog: &Catalog,
    ) -> Result<Self> {
        let mut data = None;
        let mut maps = Vec::new();
        for (path, text) in files {
            let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
            if name == "advisor.toml" {
                data = Some(AdvisorData::parse(path, text)?);
            } else if name.ends_with(".toml") && name.contains("-to-") {
                let map = ObjectiveMap::parse(path, text)?;
                let from = outline_objectives_of(catalog, &map.from)
                    .ok_or_else(|| unknown_outline(path, &map.from))?;
                let to = outline_objectives_of(catalog, &map.to)
                    .ok_or_else(|| unknown_outline(path, &map.to))?;
                map.check(path, &from, &to)?;
                maps.push(map);
            }
        }
        let data = data.ok_or_else(|| AdvisorError::Data {
            file: "content/advisor/advisor.toml".into(),
            message: "missing".into(),
        })?;
        Ok(AdvisorContent { data, maps })
    }

    /// The map from an exam's outline to its successor's, if one is written.
    pub fn map_from(&self, exam: &str) -> Option<&ObjectiveMap> {
        let exam = exam.to_ascii_lowercase();
        self.maps
            .iter()
            .find(|m| m.from.split('@').next() == Some(exam.as_str()))
    }
}

fn unknown_outline(file: &str, outline: &str) -> AdvisorError {
    AdvisorError::Data {
        file: file.to_string(),
        message: format!("{outline} is not an exam outline in the catalog (exam@YYYY-MM-DD)"),
    }
}

/// The objectives of `exam@date` as the carry-over computation takes them.
pub fn outline_objectives_of(catalog: &Catalog, outline: &str) -> Option<OutlineObjectives> {
    let (code, date) = outline.split_once('@')?;
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let exam = catalog.exam(&ExamCode::new(code))?;
    let o = exam.outline(date)?;
    Some(outline_objectives(outline, o))
}

pub fn outline_objectives(name: &str, outline: &Outline) -> OutlineObjectives {
    OutlineObjectives {
        outline: name.to_string(),
        objectives: outline
            .objectives()
            .map(|(d, o)| (o.id.clone(), o.title.clone(), d.id.clone()))
            .collect(),
    }
}

impl ExamFacts {
    /// The catalog's facts about an exam, and whether its successor can be taken on `today`.
    pub fn of(exam: &Exam, catalog: &Catalog, today: chrono::NaiveDate) -> Self {
        let successor = exam.retirement.as_ref().and_then(|r| r.successor.clone());
        let successor_available = successor
            .as_ref()
            .and_then(|s| catalog.exam(s))
            .is_some_and(|s| {
                matches!(
                    s.status_on(today),
                    certprep_domain::ExamStatus::Active | certprep_domain::ExamStatus::Retiring
                )
            });
        ExamFacts {
            code: exam.code.to_string(),
            title: exam.title.clone(),
            credential: exam.credential.clone(),
            fee: Some(Fee {
                amount: exam.price.amount,
                currency: exam.price.currency.clone(),
                verified: exam.price.provenance.verified,
                note: exam.price.provenance.note.clone(),
            }),
            retired_on: exam.retirement.as_ref().map(|r| r.on),
            successor: successor.map(|s| s.to_string()),
            successor_available,
        }
    }
}
