//! The seeded simulation harness: candidates and items drawn from known parameters, run through
//! calibration and readiness exactly as real data would be, and scored against the truth.
//!
//! Calibration: a first population answers the pool; the recovered item parameters are compared
//! with the true ones, and the population's abilities with theirs. Readiness: new candidates
//! answer a few items each; their pass probability (computed with the *estimated* items) is
//! compared with whether they pass a real form drawn to the blueprint and answered with their
//! *true* ability. That is the claim the product makes, tested end to end.

use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::adaptive::{
    AdaptiveComparison, AdaptiveSettings, CutRule, SimulationPlan, compare_with_fixed_form,
};
use crate::evaluate::{ReliabilityBin, brier, expected_calibration_error, reliability_table};
use crate::irt::{CalibrationOptions, ItemParameters, abilities, calibrate};
use crate::readiness::{Blueprint, BlueprintDomain, Evidence, assess};
use crate::simulate::{correlation, normal, rmse, simulate};

#[derive(Debug, Clone, Serialize)]
pub struct HarnessConfig {
    /// Candidates whose responses calibrate the pool.
    pub calibration_persons: usize,
    pub items: usize,
    /// Items each calibration candidate answers (`None`: all of them).
    pub calibration_per_person: Option<usize>,
    /// Domain weights of the blueprint; item `i` belongs to domain `i % weights.len()`.
    pub domain_weights: Vec<f64>,
    /// New candidates whose readiness is assessed.
    pub assessed: usize,
    /// Items each assessed candidate answers before being assessed.
    pub answered_each: usize,
    pub form_length: usize,
    pub standard: f64,
    pub seed: u64,
}

impl Default for HarnessConfig {
    /// AI-103's blueprint (domain midpoints), a 200-item pool, a 50-item form at 70%.
    fn default() -> Self {
        HarnessConfig {
            calibration_persons: 3000,
            items: 200,
            calibration_per_person: Some(60),
            domain_weights: vec![0.275, 0.325, 0.125, 0.125, 0.125],
            assessed: 4000,
            answered_each: 40,
            form_length: 50,
            standard: 0.70,
            seed: 7,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    pub a_rmse: f64,
    pub a_correlation: f64,
    pub b_rmse: f64,
    pub b_correlation: f64,
    pub theta_rmse: f64,
    pub theta_correlation: f64,
    pub iterations: usize,
    pub converged: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReadinessCalibration {
    pub candidates: usize,
    pub brier: f64,
    pub expected_calibration_error: f64,
    /// Share of candidates who passed their simulated real form.
    pub pass_rate: f64,
    pub mean_predicted: f64,
    /// Share of candidates whose 95% interval contained their true pass chance.
    pub interval_coverage: f64,
    pub table: Vec<ReliabilityBin>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HarnessReport {
    pub config: HarnessConfig,
    pub recovery: Recovery,
    pub readiness: ReadinessCalibration,
    /// The adaptive check (the product's settings: SPRT at 95%, at most 30 items) against a
    /// fixed form of `form_length` items, on the same blueprint.
    pub adaptive: AdaptiveComparison,
}

pub fn run(config: &HarnessConfig) -> HarnessReport {
    let sim = simulate(
        config.calibration_persons,
        config.items,
        config.calibration_per_person,
        config.seed,
    );
    let fit = calibrate(&sim.responses, &CalibrationOptions::for_items(config.items));
    let theta: Vec<f64> = abilities(&sim.responses, &fit.items, 41)
        .iter()
        .map(|a| a.theta)
        .collect();
    let pick = |f: fn(&ItemParameters) -> f64, items: &[ItemParameters]| -> Vec<f64> {
        items.iter().map(f).collect()
    };
    let (a, true_a) = (pick(|i| i.a, &fit.items), pick(|i| i.a, &sim.items));
    let (b, true_b) = (pick(|i| i.b, &fit.items), pick(|i| i.b, &sim.items));
    let recovery = Recovery {
        a_rmse: rmse(&a, &true_a),
        a_correlation: correlation(&a, &true_a),
        b_rmse: rmse(&b, &true_b),
        b_correlation: correlation(&b, &true_b),
        theta_rmse: rmse(&theta, &sim.theta),
        theta_correlation: correlation(&theta, &sim.theta),
        iterations: fit.iterations,
        converged: fit.converged,
    };
    let readiness = readiness_calibration(config, &sim.items, &fit.items);
    let adaptive = compare_with_fixed_form(
        &SimulationPlan {
            candidates: config.assessed.min(2000),
            pool_size: config.items,
            fixed_length: config.form_length,
            domain_weights: config.domain_weights.clone(),
            cut: CutRule::Standard(config.standard),
            seed: config.seed,
        },
        &AdaptiveSettings::default(),
    );
    HarnessReport {
        config: config.clone(),
        recovery,
        readiness,
        adaptive,
    }
}

fn blueprint_of(config: &HarnessConfig, items: &[ItemParameters]) -> Blueprint {
    let domains = config.domain_weights.len().max(1);
    Blueprint {
        domains: config
            .domain_weights
            .iter()
            .enumerate()
            .map(|(d, w)| BlueprintDomain {
                id: format!("d{d}"),
                weight: *w,
                items: items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % domains == d)
                    .map(|(_, p)| *p)
                    .collect(),
                points: vec![],
            })
            .collect(),
        form_length: config.form_length,
        standard: config.standard,
    }
}

/// Whether a candidate of true ability `theta` passes a real form drawn to the blueprint.
fn passes_real_form(truth: &Blueprint, theta: f64, rng: &mut ChaCha8Rng) -> bool {
    let slots = truth.slots();
    let mut right = 0usize;
    let mut total = 0usize;
    for (domain, count) in truth
        .domains
        .iter()
        .filter(|d| !d.items.is_empty())
        .zip(slots)
    {
        let count = count.min(domain.items.len());
        for i in sample(rng, domain.items.len(), count) {
            total += 1;
            if rng.random::<f64>() < domain.items[i].p(theta) {
                right += 1;
            }
        }
    }
    right as f64 >= (truth.standard * total as f64 - 1e-9).ceil()
}

fn readiness_calibration(
    config: &HarnessConfig,
    true_items: &[ItemParameters],
    estimated: &[ItemParameters],
) -> ReadinessCalibration {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x5eed_4ead);
    let truth = blueprint_of(config, true_items);
    let model = blueprint_of(config, estimated);
    let mut predicted = Vec::with_capacity(config.assessed);
    let mut outcomes = Vec::with_capacity(config.assessed);
    let mut covered = 0usize;
    for _ in 0..config.assessed {
        let theta = normal(&mut rng);
        let answered = config.answered_each.min(true_items.len());
        let evidence: Vec<Evidence> = sample(&mut rng, true_items.len(), answered)
            .into_iter()
            .map(|i| Evidence {
                item: estimated[i],
                correct: rng.random::<f64>() < true_items[i].p(theta),
                weight: 1.0,
            })
            .collect();
        let assessment = assess(&evidence, &model);
        let true_chance = truth.pass_chance_at(theta);
        if (assessment.interval[0] - 1e-9..=assessment.interval[1] + 1e-9).contains(&true_chance) {
            covered += 1;
        }
        predicted.push(assessment.pass_probability);
        outcomes.push(passes_real_form(&truth, theta, &mut rng));
    }
    let table = reliability_table(&predicted, &outcomes, 10);
    let n = predicted.len().max(1) as f64;
    ReadinessCalibration {
        candidates: predicted.len(),
        brier: brier(&predicted, &outcomes),
        expected_calibration_error: expected_calibration_error(&table),
        pass_rate: outcomes.iter().filter(|o| **o).count() as f64 / n,
        mean_predicted: predicted.iter().sum::<f64>() / n,
        interval_coverage: covered as f64 / n,
        table,
    }
}
