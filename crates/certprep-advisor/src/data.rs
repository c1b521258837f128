//! The advisor's facts and rules as read from `content/advisor/advisor.toml`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::advise::Recommendation;
use crate::{AdvisorError, Result};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdvisorData {
    /// When the figures were last compared with their sources.
    pub checked: NaiveDate,
    pub currency: String,
    pub cost: Vec<CostLine>,
    pub typical_total: TypicalTotal,
    pub hours: HoursData,
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
    #[serde(rename = "alternative")]
    pub alternatives: Vec<Alternative>,
    #[serde(rename = "progression")]
    pub progressions: Vec<Progression>,
    pub renewal: RenewalPolicy,
    pub partner: Note,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostLine {
    pub id: String,
    pub label: String,
    pub min: u32,
    pub max: u32,
    #[serde(default)]
    pub optional: bool,
    pub source: String,
    #[serde(default = "yes")]
    pub verified: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypicalTotal {
    pub min: u32,
    pub max: u32,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HoursData {
    pub min: u32,
    pub max: u32,
    pub source: String,
    pub experienced_years: u32,
    pub experienced: [u32; 2],
    pub no_foundations: [u32; 2],
    pub evidence_answers: usize,
    pub target_probability: f64,
    pub floor: [u32; 2],
}

/// One recommendation rule: when every condition holds, its reason is given, and its
/// recommendation competes by priority.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub when: Conditions,
    #[serde(default)]
    pub recommend: Option<Recommendation>,
    #[serde(default)]
    pub priority: u32,
    pub reason: String,
}

/// The conditions a rule can test; all given must hold, and a condition on something the
/// person did not say does not hold.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    pub exam_retired: Option<bool>,
    pub exam_retiring_within_days: Option<i64>,
    pub successor_available: Option<bool>,
    pub foundations_at_most: Option<u8>,
    pub years_below: Option<u32>,
    pub employer_cloud_in: Option<Vec<String>>,
    pub role_in: Option<Vec<String>>,
    pub industry_in: Option<Vec<String>>,
    pub partner: Option<bool>,
    pub client_facing: Option<bool>,
    pub budget_below_cost_min: Option<bool>,
    pub weeks_needed_above: Option<u32>,
    pub pass_probability_at_least: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub name: String,
    pub provider: String,
    #[serde(default)]
    pub fee: Option<u32>,
    #[serde(default)]
    pub fee_verified: Option<bool>,
    #[serde(default)]
    pub questions: Option<String>,
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub passing: Option<String>,
    #[serde(default)]
    pub validity: Option<String>,
    pub fits: String,
    pub status: String,
    #[serde(default)]
    pub retired_on: Option<NaiveDate>,
    #[serde(default)]
    pub successor: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Progression {
    pub name: String,
    pub needs: String,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalPolicy {
    pub valid_months: u32,
    pub window_months: u32,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub note: String,
    pub source: String,
}

impl AdvisorData {
    /// Reads and checks the advisor's data file.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        let data: AdvisorData = toml::from_str(text).map_err(|e| AdvisorError::Data {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        data.check(file)?;
        Ok(data)
    }

    fn check(&self, file: &str) -> Result<()> {
        let fail = |message: String| AdvisorError::Data {
            file: file.to_string(),
            message,
        };
        for line in &self.cost {
            if line.min > line.max {
                return Err(fail(format!(
                    "cost {}: min {} above max {}",
                    line.id, line.min, line.max
                )));
            }
        }
        let h = &self.hours;
        if h.min > h.max
            || h.experienced[0] > h.experienced[1]
            || h.no_foundations[0] > h.no_foundations[1]
            || h.floor[0] > h.floor[1]
        {
            return Err(fail(
                "hours: a range has its minimum above its maximum".into(),
            ));
        }
        if !(0.0..=1.0).contains(&h.target_probability) || h.target_probability == 0.0 {
            return Err(fail("hours.target_probability must be in (0, 1]".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for rule in &self.rules {
            if !seen.insert(rule.id.as_str()) {
                return Err(fail(format!("rule {} is defined twice", rule.id)));
            }
            crate::rules::check_conditions(&rule.when)
                .map_err(|m| fail(format!("rule {}: {m}", rule.id)))?;
        }
        if self.renewal.window_months > self.renewal.valid_months {
            return Err(fail(
                "renewal.window_months is longer than the credential is valid".into(),
            ));
        }
        Ok(())
    }
}
