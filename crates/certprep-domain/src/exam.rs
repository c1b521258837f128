//! Exams, their dated skills outlines, domains and objectives.
//!
//! The catalog is data (`content/exams/*.toml`); these types are what it becomes once checked.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An exam code, always lower case (`ai-102`). Users may type `AI-102`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExamCode(String);

impl ExamCode {
    pub fn new(code: &str) -> Self {
        Self(code.trim().to_ascii_lowercase())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The code as Microsoft prints it: `AI-102`.
    pub fn display(&self) -> String {
        self.0.to_ascii_uppercase()
    }
}

impl fmt::Display for ExamCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One outline version of one exam: `ai-103@2026-04-16`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutlineRef {
    pub exam: ExamCode,
    pub date: NaiveDate,
}

impl fmt::Display for OutlineRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.exam, self.date.format("%Y-%m-%d"))
    }
}

/// Why an `EXAM@DATE` reference could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineRefError(pub String);

impl fmt::Display for OutlineRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for OutlineRef {
    type Err = OutlineRefError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (exam, date) = s
            .split_once('@')
            .ok_or_else(|| OutlineRefError(format!("expected EXAM@YYYY-MM-DD, found `{s}`")))?;
        if exam.trim().is_empty() {
            return Err(OutlineRefError(format!(
                "expected an exam code before `@` in `{s}`"
            )));
        }
        let date = parse_date(date.trim()).map_err(OutlineRefError)?;
        Ok(OutlineRef {
            exam: ExamCode::new(exam),
            date,
        })
    }
}

impl Serialize for OutlineRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OutlineRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|e: OutlineRefError| serde::de::Error::custom(e.0))
    }
}

/// Parses `YYYY-MM-DD`, with a message that says what was expected.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("expected a date as YYYY-MM-DD, found `{s}`"))
}

/// Where a fact stands: confirmed from a primary source, or not (the product must say so).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    #[serde(default = "yes")]
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub amount: u32,
    pub currency: String,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duration {
    /// Exam time, the time the clock of a simulation gives.
    pub minutes: u32,
    /// Seat time, including the agreement and the survey.
    pub seat_minutes: Option<u32>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionCount {
    pub min: u32,
    pub max: u32,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// The share of points at which a form passes: Microsoft maps its standard to the passing score
/// (700) but does not publish where it sits, so every exam states an assumption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassingStandard {
    /// Percent of the points of a blueprint-weighted form.
    pub percent: u32,
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl PassingStandard {
    pub fn share(&self) -> f64 {
        f64::from(self.percent.clamp(1, 99)) / 100.0
    }
}

impl Default for PassingStandard {
    /// 70%, the assumption when an exam says nothing.
    fn default() -> Self {
        PassingStandard {
            percent: 70,
            provenance: Provenance {
                verified: false,
                note: Some(
                    "Assumed: Microsoft does not publish the share of points at the passing score;                      certprep assumes 70% of a blueprint-weighted form."
                        .into(),
                ),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retirement {
    pub on: NaiveDate,
    pub successor: Option<ExamCode>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// Where an exam stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExamStatus {
    /// Not yet available (announced, or beta not yet open).
    Upcoming,
    Active,
    /// Retirement announced for a future date.
    Retiring,
    Retired,
}

impl fmt::Display for ExamStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExamStatus::Upcoming => "upcoming",
            ExamStatus::Active => "active",
            ExamStatus::Retiring => "retiring",
            ExamStatus::Retired => "retired",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objective {
    /// Stable slug, shared by every outline version that keeps the skill.
    pub id: String,
    pub title: String,
    /// Set when the service the objective is about has retired: why no item is written for it
    /// ("Spatial analysis retired on 2025-03-30"). Coverage checks leave such objectives out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<String>,
}

/// A skill group inside a domain ("Implement an Azure AI Search solution").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillGroup {
    pub title: String,
    pub objectives: Vec<Objective>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub id: String,
    pub title: String,
    /// Share of the exam in percent, as Microsoft publishes it (a range).
    pub weight_min: u32,
    pub weight_max: u32,
    pub groups: Vec<SkillGroup>,
    pub provenance: Provenance,
}

impl Domain {
    pub fn objectives(&self) -> impl Iterator<Item = &Objective> {
        self.groups.iter().flat_map(|g| g.objectives.iter())
    }
    /// Midpoint of the weight range, as a fraction of the exam.
    pub fn weight_mid(&self) -> f64 {
        f64::from(self.weight_min + self.weight_max) / 200.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outline {
    pub date: NaiveDate,
    pub domains: Vec<Domain>,
    pub provenance: Provenance,
}

impl Outline {
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }
    /// The domain holding an objective, and the objective.
    pub fn objective(&self, id: &str) -> Option<(&Domain, &Objective)> {
        self.domains
            .iter()
            .find_map(|d| d.objectives().find(|o| o.id == id).map(|o| (d, o)))
    }
    pub fn objectives(&self) -> impl Iterator<Item = (&Domain, &Objective)> {
        self.domains
            .iter()
            .flat_map(|d| d.objectives().map(move |o| (d, o)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exam {
    pub code: ExamCode,
    pub title: String,
    pub credential: String,
    pub level: String,
    pub passing_score: u32,
    pub max_score: u32,
    /// Where the passing score sits as a share of points (for the cut and scaled estimates).
    pub passing_standard: PassingStandard,
    pub open_book: bool,
    pub available_from: Option<NaiveDate>,
    pub available_note: Option<String>,
    pub retirement: Option<Retirement>,
    pub price: Price,
    pub duration: Duration,
    pub questions: QuestionCount,
    /// Newest first.
    pub outlines: Vec<Outline>,
}

impl Exam {
    pub fn status_on(&self, today: NaiveDate) -> ExamStatus {
        if self.retirement.as_ref().is_some_and(|r| r.on <= today) {
            return ExamStatus::Retired;
        }
        if self.available_from.is_some_and(|from| from > today) {
            return ExamStatus::Upcoming;
        }
        if self.retirement.is_some() {
            ExamStatus::Retiring
        } else {
            ExamStatus::Active
        }
    }

    /// The newest outline, the one a candidate studies for.
    pub fn current_outline(&self) -> Option<&Outline> {
        self.outlines.iter().max_by_key(|o| o.date)
    }

    pub fn outline(&self, date: NaiveDate) -> Option<&Outline> {
        self.outlines.iter().find(|o| o.date == date)
    }

    pub fn outline_ref(&self, outline: &Outline) -> OutlineRef {
        OutlineRef {
            exam: self.code.clone(),
            date: outline.date,
        }
    }
}

/// All exams known to one run of the program.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    exams: Vec<Exam>,
}

impl Catalog {
    /// Builds a catalog; a later exam with the same code replaces an earlier one.
    pub fn new(exams: impl IntoIterator<Item = Exam>) -> Self {
        let mut catalog = Catalog::default();
        for exam in exams {
            catalog.insert(exam);
        }
        catalog
    }

    pub fn insert(&mut self, exam: Exam) {
        match self.exams.iter_mut().find(|e| e.code == exam.code) {
            Some(slot) => *slot = exam,
            None => self.exams.push(exam),
        }
        self.exams.sort_by(|a, b| a.code.cmp(&b.code));
    }

    pub fn exams(&self) -> &[Exam] {
        &self.exams
    }

    pub fn exam(&self, code: &ExamCode) -> Option<&Exam> {
        self.exams.iter().find(|e| &e.code == code)
    }

    pub fn outline(&self, r: &OutlineRef) -> Option<&Outline> {
        self.exam(&r.exam)?.outline(r.date)
    }

    /// The newest outline of every exam.
    pub fn current_outlines(&self) -> impl Iterator<Item = (OutlineRef, &Outline)> {
        self.exams.iter().filter_map(|e| {
            let o = e.current_outline()?;
            Some((e.outline_ref(o), o))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        parse_date(s).unwrap_or_default()
    }

    #[test]
    fn outline_ref_parses_and_prints() {
        let r: OutlineRef = "AI-103@2026-04-16"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.exam.as_str(), "ai-103");
        assert_eq!(r.to_string(), "ai-103@2026-04-16");
        assert_eq!(
            "ai-103".parse::<OutlineRef>().err().map(|e| e.0),
            Some("expected EXAM@YYYY-MM-DD, found `ai-103`".to_string())
        );
        assert_eq!(
            "ai-103@2026-13-01".parse::<OutlineRef>().err().map(|e| e.0),
            Some("expected a date as YYYY-MM-DD, found `2026-13-01`".to_string())
        );
    }

    #[test]
    fn status_follows_the_calendar() {
        let exam = Exam {
            code: ExamCode::new("x-1"),
            title: String::new(),
            credential: String::new(),
            level: String::new(),
            passing_score: 700,
            max_score: 1000,
            passing_standard: PassingStandard::default(),
            open_book: true,
            available_from: Some(date("2026-01-01")),
            available_note: None,
            retirement: Some(Retirement {
                on: date("2026-06-30"),
                successor: None,
                provenance: Provenance::default(),
            }),
            price: Price {
                amount: 1,
                currency: "USD".into(),
                provenance: Provenance::default(),
            },
            duration: Duration {
                minutes: 100,
                seat_minutes: None,
                provenance: Provenance::default(),
            },
            questions: QuestionCount {
                min: 40,
                max: 60,
                provenance: Provenance::default(),
            },
            outlines: vec![],
        };
        assert_eq!(exam.status_on(date("2025-12-31")), ExamStatus::Upcoming);
        assert_eq!(exam.status_on(date("2026-03-01")), ExamStatus::Retiring);
        assert_eq!(exam.status_on(date("2026-06-30")), ExamStatus::Retired);
    }
}
