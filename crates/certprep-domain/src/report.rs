//! The score report: what Microsoft's shows (a scaled score, pass or fail, a bar of relative
//! strength per skill area, the weakest areas) and what it does not (percentages per domain and
//! objective, time per item, pacing).
//!
//! The scaled score is an **estimate**. Microsoft scales each form so that its passing standard,
//! set by subject-matter experts, maps to 700 of 1000; the raw share of points needed differs
//! from form to form and is not published. certprep assumes the standard is `cut` of the points
//! (0.70 unless the exam says otherwise) and maps linearly on each side of it:
//! `1 + 699·p/cut` below the cut and `700 + 300·(p − cut)/(1 − cut)` above.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::exam::{Outline, OutlineRef};
use crate::item::Bank;
use crate::session::{AdaptiveVerdict, Session};
use crate::stats::primary_domain;

/// The share of points assumed to sit at the passing score when nothing better is known.
pub const ASSUMED_CUT: f64 = 0.70;

pub const ESTIMATE_NOTE: &str = "The scaled score is an estimate: Microsoft sets the real cut per \
exam form; certprep places 700 at the exam's stated passing standard (70% of the points unless \
the catalog says otherwise).";

/// The note of a report whose items are calibrated: the verdict still comes from points.
pub const MODEL_NOTE: &str = "The scaled score and the verdict come from your points against \
the exam's passing standard, the event readiness predicts. The calibrated item model's estimate \
is shown beside it: your ability from these answers, mapped through the expected score on a \
blueprint-weighted form, so a hard form does not count against you. Microsoft sets the real cut \
per exam form.";

/// The score as the calibrated item model sees it (present once the items are calibrated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelScore {
    /// Ability from this session's answers, and its standard error.
    pub theta: f64,
    pub se: f64,
    /// The expected share of points on a blueprint-weighted form at that ability.
    pub expected_share: f64,
    /// Items of the session with calibrated parameters.
    pub calibrated_items: usize,
    /// The expected share on the 1–1000 scale.
    #[serde(default)]
    pub scaled: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainResult {
    pub id: String,
    pub title: String,
    pub points: u32,
    pub max_points: u32,
    /// Points as a percentage of the domain's points (0 when the form had none).
    pub percent: f64,
    pub items: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveResult {
    pub id: String,
    pub title: String,
    pub domain: String,
    pub points: u32,
    pub max_points: u32,
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub item_id: String,
    pub domain: Option<String>,
    pub answered: bool,
    /// Answered in part: some parts were left open when the session ended.
    #[serde(default)]
    pub partial: bool,
    pub marked: bool,
    pub points: u32,
    pub max_points: u32,
    pub time_spent_ms: u64,
}

/// Time used against items done, one point per answer in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PacePoint {
    pub elapsed_ms: i64,
    pub answered: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub session_id: String,
    pub exam: String,
    pub outline: String,
    pub mode: String,
    pub scaled_score: u32,
    pub passed: bool,
    pub passing_score: u32,
    pub points: u32,
    pub max_points: u32,
    pub percent: f64,
    pub answered: usize,
    pub items_total: usize,
    pub domains: Vec<DomainResult>,
    /// The three weakest domains (lowest percentage), weakest first.
    pub weakest: Vec<String>,
    pub objectives: Vec<ObjectiveResult>,
    pub items: Vec<ItemResult>,
    pub time_used_ms: i64,
    pub time_limit_ms: Option<u64>,
    pub pacing: Vec<PacePoint>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Present when the scaled score comes from the calibrated model rather than raw points.
    pub model: Option<ModelScore>,
    /// The adaptive check's decision (adaptive sessions only).
    pub adaptive: Option<AdaptiveVerdict>,
    pub note: String,
}

impl Report {
    /// Adds the calibrated model's estimate beside the points-based score. The verdict stays
    /// the points': one definition of passing, the one readiness predicts, and a report's
    /// verdict does not change when the items are calibrated later.
    pub fn with_model_estimate(mut self, mut model: ModelScore, standard: f64) -> Report {
        model.scaled = scaled_share(model.expected_share, standard);
        self.model = Some(model);
        self.note = MODEL_NOTE.to_string();
        self
    }
}

/// The scaled score for a share of points, under the assumed cut (see the module comment).
pub fn scaled_score(points: u32, max_points: u32, cut: f64) -> u32 {
    if max_points == 0 {
        return 1;
    }
    scaled_share(f64::from(points) / f64::from(max_points), cut)
}

/// The scaled score for a share of points in [0, 1].
pub fn scaled_share(p: f64, cut: f64) -> u32 {
    let p = p.clamp(0.0, 1.0);
    let cut = cut.clamp(0.01, 0.99);
    let scaled = if p < cut {
        1.0 + 699.0 * p / cut
    } else {
        700.0 + 300.0 * (p - cut) / (1.0 - cut)
    };
    // `scaled` lies in 1..=1000 by construction.
    scaled.round().clamp(1.0, 1000.0) as u32
}

fn percent(points: u32, max: u32) -> f64 {
    if max == 0 {
        0.0
    } else {
        (f64::from(points) * 1000.0 / f64::from(max)).round() / 10.0
    }
}

pub fn report(
    session: &Session,
    bank: &Bank,
    outline_ref: &OutlineRef,
    outline: &Outline,
    passing_score: u32,
    standard: f64,
    now: DateTime<Utc>,
) -> Report {
    let items: Vec<ItemResult> = session
        .items
        .iter()
        .zip(&session.states)
        .map(|(si, st)| ItemResult {
            item_id: si.item_id.clone(),
            domain: bank
                .item(&si.item_id)
                .and_then(|i| primary_domain(i, outline_ref, outline))
                .map(str::to_string),
            answered: st.answer.is_some() && !st.partial,
            partial: st.answer.is_some() && st.partial,
            marked: st.marked,
            points: st.points,
            max_points: st.max_points,
            time_spent_ms: st.time_spent_ms,
        })
        .collect();
    let domains: Vec<DomainResult> = outline
        .domains
        .iter()
        .map(|d| {
            let of_domain = items
                .iter()
                .filter(|i| i.domain.as_deref() == Some(d.id.as_str()));
            let (points, max_points, count) = of_domain.fold((0, 0, 0), |(p, m, c), i| {
                (p + i.points, m + i.max_points, c + 1)
            });
            DomainResult {
                id: d.id.clone(),
                title: d.title.clone(),
                points,
                max_points,
                percent: percent(points, max_points),
                items: count,
            }
        })
        .collect();
    let mut ranked: Vec<&DomainResult> = domains.iter().filter(|d| d.max_points > 0).collect();
    ranked.sort_by(|a, b| a.percent.total_cmp(&b.percent).then(a.id.cmp(&b.id)));
    let weakest = ranked.iter().take(3).map(|d| d.id.clone()).collect();
    let objectives = objective_results(session, bank, outline_ref, outline);
    let points = items.iter().map(|i| i.points).sum();
    let max_points = items.iter().map(|i| i.max_points).sum();
    let scaled = scaled_score(points, max_points, standard);
    let end = session.submitted_at.unwrap_or(now);
    let paused = i64::try_from(session.paused_ms).unwrap_or(0);
    let mut answered_at: Vec<DateTime<Utc>> = session
        .states
        .iter()
        .filter_map(|s| s.answered_at)
        .collect();
    answered_at.sort();
    Report {
        session_id: session.id.clone(),
        exam: session.exam.to_string(),
        outline: session.outline.clone(),
        mode: format!("{:?}", session.mode).to_lowercase(),
        scaled_score: scaled,
        passed: scaled >= passing_score,
        passing_score,
        points,
        max_points,
        percent: percent(points, max_points),
        answered: items.iter().filter(|i| i.answered).count(),
        items_total: items.len(),
        domains,
        weakest,
        objectives,
        items,
        time_used_ms: ((end - session.started_at).num_milliseconds() - paused).max(0),
        time_limit_ms: session.time_limit_ms,
        pacing: answered_at
            .iter()
            .enumerate()
            .map(|(i, t)| PacePoint {
                elapsed_ms: (*t - session.started_at).num_milliseconds().max(0),
                answered: i + 1,
            })
            .collect(),
        submitted_at: session.submitted_at,
        model: None,
        adaptive: session.adaptive.as_ref().and_then(|a| a.verdict.clone()),
        note: ESTIMATE_NOTE.to_string(),
    }
}

fn objective_results(
    session: &Session,
    bank: &Bank,
    outline_ref: &OutlineRef,
    outline: &Outline,
) -> Vec<ObjectiveResult> {
    let mut out: Vec<ObjectiveResult> = Vec::new();
    for (si, st) in session.items.iter().zip(&session.states) {
        let Some(item) = bank.item(&si.item_id) else {
            continue;
        };
        for id in item.objectives_in(outline_ref) {
            let Some((domain, objective)) = outline.objective(id) else {
                continue;
            };
            match out.iter_mut().find(|o| &o.id == id) {
                Some(o) => {
                    o.points += st.points;
                    o.max_points += st.max_points;
                }
                None => out.push(ObjectiveResult {
                    id: id.clone(),
                    title: objective.title.clone(),
                    domain: domain.id.clone(),
                    points: st.points,
                    max_points: st.max_points,
                    percent: 0.0,
                }),
            }
        }
    }
    for o in &mut out {
        o.percent = percent(o.points, o.max_points);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_score_maps_the_cut_to_700() {
        assert_eq!(scaled_score(0, 10, 0.7), 1);
        assert_eq!(scaled_score(7, 10, 0.7), 700);
        assert_eq!(scaled_score(10, 10, 0.7), 1000);
        assert_eq!(scaled_score(35, 100, 0.7), 351);
        assert_eq!(scaled_score(85, 100, 0.7), 850);
        assert_eq!(scaled_score(0, 0, 0.7), 1);
    }
}
