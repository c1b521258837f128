//! The advice itself: cost, time, a recommendation with its reasons, the alternatives.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::carry_over::CarryOver;
use crate::data::{AdvisorData, Alternative, Progression};
use crate::profile::Profile;
use crate::rules::{Situation, matching};
use crate::{AdvisorError, Result};

/// What the catalog says about the exam the advice is for.
#[derive(Debug, Clone, Serialize)]
pub struct ExamFacts {
    pub code: String,
    pub title: String,
    pub credential: String,
    /// The exam fee as the catalog states it (about US$165 for an associate exam).
    pub fee: Option<Fee>,
    pub retired_on: Option<NaiveDate>,
    pub successor: Option<String>,
    /// Whether the successor can be taken today.
    pub successor_available: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fee {
    pub amount: u32,
    pub currency: String,
    pub verified: bool,
    pub note: Option<String>,
}

/// certprep's own evidence about the person, for this exam's current outline.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Evidence {
    pub pass_probability: f64,
    pub items_answered: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recommendation {
    GoAhead,
    BuildFoundations,
    ConsiderAlternative,
    WaitForSuccessor,
}

impl Recommendation {
    pub fn label(self) -> &'static str {
        match self {
            Recommendation::GoAhead => "Go ahead",
            Recommendation::BuildFoundations => "Build foundations first",
            Recommendation::ConsiderAlternative => "Consider an alternative",
            Recommendation::WaitForSuccessor => "Wait for the successor",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::GoAhead => "go-ahead",
            Recommendation::BuildFoundations => "build-foundations",
            Recommendation::ConsiderAlternative => "consider-alternative",
            Recommendation::WaitForSuccessor => "wait-for-successor",
        }
    }
}

/// One line of the cost, as a range in the summary's currency.
#[derive(Debug, Clone, Serialize)]
pub struct CostItem {
    pub id: String,
    pub label: String,
    pub min: u32,
    pub max: u32,
    pub currency: String,
    pub source: String,
    /// When the figure was last compared with its source.
    pub checked: NaiveDate,
    pub verified: bool,
    /// The person gave this figure.
    pub overridden: bool,
    /// Converted from US dollars at the person's rate.
    pub converted: bool,
}

impl CostItem {
    /// `US$165`, or `US$30–US$200` for a range.
    pub fn range_text(&self) -> String {
        if self.min == self.max {
            money(self.min, &self.currency)
        } else {
            format!(
                "{}–{}",
                money(self.min, &self.currency),
                money(self.max, &self.currency)
            )
        }
    }

    /// Where the figure stands: the person's own, verified, or unverified.
    pub fn standing(&self) -> &'static str {
        if self.overridden {
            "your figure"
        } else if self.verified {
            "verified"
        } else {
            "unverified"
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CostSummary {
    pub min: u32,
    pub max: u32,
    pub currency: String,
    pub items: Vec<CostItem>,
    /// The source's own estimate of the whole, for comparison with the sum of the lines.
    pub typical_total: [u32; 2],
    pub typical_total_source: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HoursEstimate {
    pub min: u32,
    pub max: u32,
    /// Each step from the source's range to this one, in words.
    pub reasoning: Vec<String>,
    /// Weeks at the person's hours per week, `[at min, at max]`.
    pub weeks: Option<[u32; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub rule: String,
    pub text: String,
    /// The recommendation this reason argues for, if any (others support going ahead or inform).
    pub recommends: Option<Recommendation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    pub exam: String,
    pub title: String,
    pub credential: String,
    pub today: NaiveDate,
    pub cost: CostSummary,
    pub hours: HoursEstimate,
    pub recommendation: Recommendation,
    pub recommendation_label: &'static str,
    pub reasons: Vec<Reason>,
    /// What the person left unsaid, which the rules could not weigh.
    pub not_weighed: Vec<&'static str>,
    pub alternatives: Vec<Alternative>,
    pub progressions: Vec<Progression>,
    pub renewal: String,
    pub partner_note: Option<String>,
    /// For a retired or retiring exam: how much of it carries over to its successor.
    pub carry_over: Option<CarryOver>,
}

/// Advice for one person and one exam on `today`.
pub fn advise(
    data: &AdvisorData,
    profile: &Profile,
    exam: &ExamFacts,
    evidence: Option<Evidence>,
    today: NaiveDate,
) -> Result<Advice> {
    profile.validate().map_err(AdvisorError::Input)?;
    let cost = cost(data, profile, exam)?;
    let hours = hours(data, profile, evidence);
    let situation = Situation {
        exam_retired: exam.retired_on.is_some_and(|d| d <= today),
        days_to_retirement: exam
            .retired_on
            .filter(|d| *d > today)
            .map(|d| (d - today).num_days()),
        successor_available: exam.successor_available,
        cost_min: profile.budget.map(|_| cost.min),
        weeks_needed: hours.weeks.map(|w| w[1]),
        pass_probability: evidence
            .filter(|e| e.items_answered >= data.hours.evidence_answers)
            .map(|e| e.pass_probability),
    };
    let fired = matching(&data.rules, profile, &situation);
    let recommendation = fired
        .iter()
        .filter_map(|r| r.recommend.map(|rec| (r.priority, rec)))
        .max_by_key(|(priority, _)| *priority)
        .map_or(Recommendation::GoAhead, |(_, rec)| rec);
    let mut fired = fired;
    // The deciding reasons first, then the others as the file orders them.
    fired.sort_by_key(|r| std::cmp::Reverse(r.recommend.map_or(0, |_| r.priority + 1)));
    let fill = |text: &str| fill_template(text, exam, &cost, &hours, profile, &situation);
    let reasons = fired
        .iter()
        .map(|r| Reason {
            rule: r.id.clone(),
            text: fill(&r.reason),
            recommends: r.recommend,
        })
        .collect();
    Ok(Advice {
        exam: exam.code.clone(),
        title: exam.title.clone(),
        credential: exam.credential.clone(),
        today,
        cost,
        hours,
        recommendation,
        recommendation_label: recommendation.label(),
        reasons,
        not_weighed: profile.unknowns(),
        alternatives: data.alternatives.clone(),
        progressions: data.progressions.clone(),
        renewal: data.renewal.note.clone(),
        partner_note: (profile.partner == Some(true)).then(|| data.partner.note.clone()),
        carry_over: None,
    })
}

fn fill_template(
    text: &str,
    exam: &ExamFacts,
    cost: &CostSummary,
    hours: &HoursEstimate,
    profile: &Profile,
    s: &Situation,
) -> String {
    let upper = |c: &str| c.to_ascii_uppercase();
    let pairs = [
        ("{exam}", upper(&exam.code)),
        (
            "{retired_on}",
            exam.retired_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "{successor}",
            exam.successor
                .as_deref()
                .map(upper)
                .unwrap_or_else(|| "its successor".into()),
        ),
        ("{cost_min}", money(cost.min, &cost.currency)),
        (
            "{hours_per_week}",
            profile.hours_per_week.map(trim_number).unwrap_or_default(),
        ),
        (
            "{weeks_needed}",
            hours.weeks.map(|w| w[1].to_string()).unwrap_or_default(),
        ),
        (
            "{pass_probability}",
            s.pass_probability
                .map(|p| format!("{:.0}%", p * 100.0))
                .unwrap_or_default(),
        ),
    ];
    pairs.iter().fold(text.to_string(), |acc, (key, value)| {
        acc.replace(key, value)
    })
}

/// A number with at most two decimals and no trailing zeros: 6, 2.5, 2.25.
pub fn trim_number(x: f64) -> String {
    // Negative zero (a sum of nothing) reads as 0.
    let x = if x == 0.0 { 0.0 } else { x };
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// An amount with its currency: `US$165`, `EUR 150`.
pub fn money(amount: u32, currency: &str) -> String {
    if currency == "USD" {
        format!("US${amount}")
    } else {
        format!("{currency} {amount}")
    }
}

fn cost(data: &AdvisorData, profile: &Profile, exam: &ExamFacts) -> Result<CostSummary> {
    let currency = profile.currency().to_ascii_uppercase();
    let same = currency == data.currency;
    let rate = if same { Some(1.0) } else { profile.usd_rate };
    let convert = |usd: u32| -> Option<u32> {
        rate.map(|r| (f64::from(usd) * r).round().clamp(0.0, f64::from(u32::MAX)) as u32)
    };
    let override_of = |id: &str| {
        profile
            .cost_overrides
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| *v)
    };
    let needs_rate = || {
        AdvisorError::Input(format!(
            "certprep's figures are in {}: to see them in {currency}, give the exchange rate \
             ({currency} per US dollar), or give every figure yourself",
            data.currency
        ))
    };
    let mut items = Vec::new();
    // The exam fee first: the person's figure, else the catalog's.
    let fee_item = match (profile.fee.or_else(|| override_of("exam-fee")), &exam.fee) {
        (Some(amount), _) => CostItem {
            id: "exam-fee".into(),
            label: "Exam fee".into(),
            min: amount,
            max: amount,
            currency: currency.clone(),
            source: "Your figure for your country".into(),
            checked: data.checked,
            verified: true,
            overridden: true,
            converted: false,
        },
        (None, Some(fee)) => {
            let amount = if fee.currency == currency {
                fee.amount
            } else if fee.currency == data.currency {
                convert(fee.amount).ok_or_else(needs_rate)?
            } else {
                return Err(AdvisorError::Input(format!(
                    "the catalog's fee is in {}; give the fee in {currency} yourself",
                    fee.currency
                )));
            };
            CostItem {
                id: "exam-fee".into(),
                label: "Exam fee".into(),
                min: amount,
                max: amount,
                currency: currency.clone(),
                source: fee
                    .note
                    .clone()
                    .unwrap_or_else(|| "The exam's catalog entry".into()),
                checked: data.checked,
                verified: fee.verified,
                overridden: false,
                converted: fee.currency != currency,
            }
        }
        (None, None) => {
            return Err(AdvisorError::Input(format!(
                "the catalog has no fee for {}: give the fee yourself",
                exam.code
            )));
        }
    };
    items.push(fee_item);
    for line in &data.cost {
        let item = match override_of(&line.id) {
            Some(amount) => CostItem {
                id: line.id.clone(),
                label: line.label.clone(),
                min: amount,
                max: amount,
                currency: currency.clone(),
                source: "Your figure".into(),
                checked: data.checked,
                verified: true,
                overridden: true,
                converted: false,
            },
            None => CostItem {
                id: line.id.clone(),
                label: line.label.clone(),
                min: convert(line.min).ok_or_else(needs_rate)?,
                max: convert(line.max).ok_or_else(needs_rate)?,
                currency: currency.clone(),
                source: line.source.clone(),
                checked: data.checked,
                verified: line.verified,
                overridden: false,
                converted: !same,
            },
        };
        items.push(item);
    }
    let unknown: Vec<&str> = profile
        .cost_overrides
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| *k != "exam-fee" && !data.cost.iter().any(|l| l.id == *k))
        .collect();
    if let Some(k) = unknown.first() {
        let known: Vec<&str> = std::iter::once("exam-fee")
            .chain(data.cost.iter().map(|l| l.id.as_str()))
            .collect();
        return Err(AdvisorError::Input(format!(
            "there is no cost line {k:?}: the lines are {}",
            known.join(", ")
        )));
    }
    let min = items.iter().map(|i| i.min).sum();
    let max = items.iter().map(|i| i.max).sum();
    let mut notes = Vec::new();
    if items.iter().any(|i| !i.verified) {
        notes.push(
            "Figures marked unverified come from a secondary source; prices vary by country, and discounts and vouchers exist."
                .to_string(),
        );
    }
    if !same {
        notes.push(format!(
            "US-dollar figures converted at your rate of {} {currency} per US dollar.",
            trim_number(profile.usd_rate.unwrap_or(1.0))
        ));
    }
    notes.push(
        "The time is the larger cost: compare the hours with a portfolio project, open-source work or a course."
            .into(),
    );
    Ok(CostSummary {
        min,
        max,
        currency,
        items,
        typical_total: [
            convert(data.typical_total.min).unwrap_or(data.typical_total.min),
            convert(data.typical_total.max).unwrap_or(data.typical_total.max),
        ],
        typical_total_source: data.typical_total.source.clone(),
        notes,
    })
}

fn hours(data: &AdvisorData, profile: &Profile, evidence: Option<Evidence>) -> HoursEstimate {
    let h = &data.hours;
    let mut reasoning = vec![format!(
        "{}–{} hours of serious preparation, depending on the starting point ({}).",
        h.min, h.max, h.source
    )];
    let mut range = [h.min, h.max];
    match (profile.foundations, profile.years) {
        (Some(f), Some(years)) if f.count() == 3 && years >= h.experienced_years => {
            range = h.experienced;
            reasoning.push(format!(
                "With software, cloud and data foundations and {years} years of experience, the lower part: {}–{} hours.",
                range[0], range[1]
            ));
        }
        (Some(f), _) if f.count() == 0 => {
            range = h.no_foundations;
            reasoning.push(format!(
                "Without software, cloud or data foundations, the upper part: {}–{} hours, and the foundations come first.",
                range[0], range[1]
            ));
        }
        _ => {}
    }
    match evidence {
        Some(e) if e.items_answered >= h.evidence_answers => {
            let left = (1.0 - e.pass_probability / h.target_probability).clamp(0.0, 1.0);
            let scaled = |x: u32, floor: u32| {
                let v = f64::from(x) * left;
                ((v / 5.0).round() * 5.0).max(f64::from(floor)) as u32
            };
            let narrowed = [scaled(range[0], h.floor[0]), scaled(range[1], h.floor[1])];
            reasoning.push(format!(
                "certprep's evidence: a pass probability of {:.0}% from {} items answered. Against a target of {:.0}%, about {:.0}% of the preparation is left: {}–{} hours{}.",
                e.pass_probability * 100.0,
                e.items_answered,
                h.target_probability * 100.0,
                left * 100.0,
                narrowed[0],
                narrowed[1],
                if left == 0.0 { " (enough to keep it: targeted practice and a mock exam)" } else { "" }
            ));
            range = narrowed;
        }
        Some(e) => reasoning.push(format!(
            "certprep has {} of the {} answers it needs before narrowing the hours by your readiness.",
            e.items_answered, h.evidence_answers
        )),
        None => reasoning.push(
            "No practice in certprep yet: answer a few sessions and the estimate narrows by your readiness."
                .into(),
        ),
    }
    let weeks = profile.hours_per_week.map(|per_week| {
        let w = |hours: u32| (f64::from(hours) / per_week).ceil() as u32;
        [w(range[0]), w(range[1])]
    });
    if let (Some([a, b]), Some(per_week)) = (weeks, profile.hours_per_week) {
        reasoning.push(format!(
            "At {} hours a week: {a}–{b} weeks.",
            trim_number(per_week)
        ));
    }
    HoursEstimate {
        min: range[0],
        max: range[1],
        reasoning,
        weeks,
    }
}
