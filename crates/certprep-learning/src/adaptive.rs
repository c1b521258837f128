//! An adaptive readiness check: a short computerised adaptive test (CAT) that classifies a
//! candidate as ready (above the cut) or not, and stops as soon as that is decided.
//!
//! The question is not "what is θ?" but "is θ above the cut?", so both halves of the test are
//! built for classification:
//!
//! - **Item selection** maximises Fisher information *at the cut*, not at the current estimate:
//!   the likelihood ratio between abilities just above and just below the cut grows fastest with
//!   items that discriminate there. Content balancing comes first (the next item is drawn from
//!   the domain lagging its blueprint weight most, so a short check still covers the outline),
//!   and exposure is limited by picking at random among the `randomesque` most informative
//!   items, so the best few items are not shown to every candidate.
//! - **Stopping** uses Wald's sequential probability ratio test (SPRT) of θ₁ = cut + δ against
//!   θ₀ = cut − δ. See [`decide`] for the rule and why.
//!
//! Pure computation: the session engine keeps the answers and calls [`next_item`] and
//! [`decide`] after every one; [`compare_with_fixed_form`] checks the design on simulations.

use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::irt::{ItemParameters, Observation, eap};
use crate::readiness::cut_theta;
use crate::simulate::normal;

/// Quadrature points of the EAP estimate reported with each verdict.
const EAP_POINTS: usize = 61;

/// The two-sided 95% normal quantile, for the interval checked when a test runs to full length.
const Z_95: f64 = 1.959_964;

/// The one place this module builds item parameters, so that a later model (a guessing
/// parameter, say) changes one line here.
fn item(a: f64, b: f64) -> ItemParameters {
    ItemParameters::two_pl(a, b)
}

/// How the adaptive check selects items and when it stops.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AdaptiveSettings {
    /// The passing ability (θ at the cut), usually from [`crate::readiness::cut_theta`].
    pub cut: f64,
    /// Half-width δ of the indifference region (cut − δ, cut + δ): abilities so close to the cut
    /// that either decision is acceptable. Smaller δ means longer tests.
    pub indifference: f64,
    /// Tolerated rate of passing a candidate at cut − δ (or below).
    pub alpha: f64,
    /// Tolerated rate of failing a candidate at cut + δ (or above).
    pub beta: f64,
    /// No decision before this many answers, so a lucky start cannot end the check.
    pub min_items: usize,
    /// The check ends here whatever the evidence.
    pub max_items: usize,
    /// Pick at random among this many most informative items (exposure control); 1 is greedy.
    pub randomesque: usize,
}

impl Default for AdaptiveSettings {
    /// Cut at θ = 0 (set it from the pool), δ = 0.3, α = β = 0.05 (decisions at 95% confidence),
    /// 10 to 30 items, random choice among the 3 most informative.
    fn default() -> Self {
        AdaptiveSettings {
            cut: 0.0,
            indifference: 0.3,
            alpha: 0.05,
            beta: 0.05,
            min_items: 10,
            max_items: 30,
            randomesque: 3,
        }
    }
}

/// An item of the adaptive pool: its calibrated parameters and the outline domain it covers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PoolItem {
    pub params: ItemParameters,
    /// Index into the blueprint weights.
    pub domain: usize,
}

/// The index (into `pool`) of the next item to administer, or `None` when every item has been
/// used.
///
/// The domain comes first: the one whose count so far lags its blueprint share most (weights
/// are normalised; a domain without weight is used only when nothing else is left). Within it,
/// one of the `randomesque` items most informative at the cut is drawn with `rng`, so the same
/// seed gives the same sequence.
pub fn next_item(
    pool: &[PoolItem],
    administered: &[usize],
    weights: &[f64],
    settings: &AdaptiveSettings,
    rng: &mut impl Rng,
) -> Option<usize> {
    let mut used = vec![false; pool.len()];
    for &i in administered {
        if let Some(u) = used.get_mut(i) {
            *u = true;
        }
    }
    let domain = lagging_domain(pool, &used, weights)?;
    let mut candidates: Vec<(usize, f64)> = pool
        .iter()
        .enumerate()
        .filter(|(i, p)| !used[*i] && p.domain == domain)
        .map(|(i, p)| (i, p.params.information(settings.cut)))
        .collect();
    // Most informative first; ties keep pool order, so the choice depends only on the seed.
    candidates.sort_by(|x, y| y.1.total_cmp(&x.1));
    let top = settings.randomesque.clamp(1, candidates.len());
    Some(candidates[rng.random_range(0..top)].0)
}

/// The domain, among those with unused items, that lags its weight most: the largest
/// `share × (n + 1) − count`, the shortfall after the next item. This keeps every domain's
/// count within one item of its share at every length.
fn lagging_domain(pool: &[PoolItem], used: &[bool], weights: &[f64]) -> Option<usize> {
    let domains = pool
        .iter()
        .map(|p| p.domain.saturating_add(1))
        .max()
        .unwrap_or(0);
    let mut counts = vec![0usize; domains];
    let mut available = vec![false; domains];
    for (p, &u) in pool.iter().zip(used) {
        if u {
            counts[p.domain] += 1;
        } else {
            available[p.domain] = true;
        }
    }
    let total_weight: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    let share = |d: usize| match weights.get(d) {
        Some(w) if w.is_finite() && *w > 0.0 && total_weight > 0.0 => w / total_weight,
        _ => 0.0,
    };
    let next = counts.iter().sum::<usize>() as f64 + 1.0;
    (0..domains)
        .filter(|d| available[*d])
        .map(|d| (d, share(d) * next - counts[d] as f64))
        // Ties go to the lower domain index (max_by keeps the last maximum, hence the reversal).
        .rev()
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .map(|(d, _)| d)
}

/// Pass or fail, or not yet known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    Pass,
    Fail,
    Undecided,
}

/// Where the check stands after the answers so far.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Verdict {
    pub decision: Decision,
    /// No more items: the decision is final.
    pub stopped: bool,
    /// The decision holds at the settings' confidence: the SPRT crossed a bound, or, at full
    /// length, the 95% interval θ̂ ± 1.96 SE excluded the cut.
    pub confident: bool,
    pub items_used: usize,
    /// EAP ability (standard-normal prior) and its standard error.
    pub theta: f64,
    pub se: f64,
    /// ln L(cut + δ) − ln L(cut − δ): positive evidence favours passing.
    pub log_likelihood_ratio: f64,
}

/// Decides after the answers so far (`(pool index, correct)`, in order; unknown indices are
/// ignored).
///
/// The rule: Wald's SPRT of θ₁ = cut + δ against θ₀ = cut − δ. With the log-likelihood ratio
/// LLR = Σ ln P(xᵢ | θ₁) − ln P(xᵢ | θ₀) and the bounds A = ln((1 − β)/α), B = ln(β/(1 − α)),
/// once at least `min_items` are answered the check stops with Pass when LLR ≥ A and with Fail
/// when LLR ≤ B. At `max_items` (or when the pool runs out) it stops anyway and decides by the
/// EAP θ̂ against the cut, marking the decision confident only if θ̂ ± 1.96 SE excludes the cut.
///
/// Why the SPRT: among all tests with error rates α and β between two abilities it needs the
/// fewest items on average (Wald and Wolfowitz), and it keeps those error rates whatever the
/// length: candidates far from the cut stop after a few items, those near it get the rest of
/// the budget. Candidates inside the indifference region may go either way; that is the price
/// of a short check, and δ sets it. A rule on the confidence interval alone needs more items
/// for the same accuracy (Spray and Reckase, 1996; Eggen, 1999).
pub fn decide(
    pool: &[PoolItem],
    answered: &[(usize, bool)],
    settings: &AdaptiveSettings,
) -> Verdict {
    let valid: Vec<(ItemParameters, bool)> = answered
        .iter()
        .filter_map(|&(i, correct)| pool.get(i).map(|p| (p.params, correct)))
        .collect();
    let items_used = valid.len();
    let (theta0, theta1) = (
        settings.cut - settings.indifference,
        settings.cut + settings.indifference,
    );
    let log_likelihood_ratio: f64 = valid
        .iter()
        .map(|(p, correct)| {
            log_likelihood(p, *correct, theta1) - log_likelihood(p, *correct, theta0)
        })
        .sum();
    let params: Vec<ItemParameters> = valid.iter().map(|(p, _)| *p).collect();
    let observations: Vec<Observation> = valid
        .iter()
        .zip(0u32..)
        .map(|((_, correct), item)| Observation {
            person: 0,
            item,
            correct: *correct,
        })
        .collect();
    let ability = eap(&observations, &params, EAP_POINTS);
    let verdict = |decision, stopped, confident| Verdict {
        decision,
        stopped,
        confident,
        items_used,
        theta: ability.theta,
        se: ability.se,
        log_likelihood_ratio,
    };

    let upper = ((1.0 - settings.beta) / settings.alpha).ln();
    let lower = (settings.beta / (1.0 - settings.alpha)).ln();
    let may_stop = items_used >= settings.min_items.min(settings.max_items);
    if may_stop && log_likelihood_ratio >= upper {
        return verdict(Decision::Pass, true, true);
    }
    if may_stop && log_likelihood_ratio <= lower {
        return verdict(Decision::Fail, true, true);
    }
    if items_used >= settings.max_items || pool_exhausted(pool.len(), answered) {
        let decision = if ability.theta >= settings.cut {
            Decision::Pass
        } else {
            Decision::Fail
        };
        let excluded = (ability.theta - settings.cut).abs() > Z_95 * ability.se;
        return verdict(decision, true, excluded);
    }
    verdict(Decision::Undecided, false, false)
}

fn log_likelihood(item: &ItemParameters, correct: bool, theta: f64) -> f64 {
    let p = item.p(theta).clamp(1e-12, 1.0 - 1e-12);
    if correct { p.ln() } else { (1.0 - p).ln() }
}

fn pool_exhausted(pool_size: usize, answered: &[(usize, bool)]) -> bool {
    let mut used = vec![false; pool_size];
    for &(i, _) in answered {
        if let Some(u) = used.get_mut(i) {
            *u = true;
        }
    }
    used.iter().all(|u| *u)
}

/// One adaptive check run to its end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdaptiveRun {
    /// `(pool index, correct)` in the order administered.
    pub answered: Vec<(usize, bool)>,
    pub verdict: Verdict,
}

/// Runs the check to its end, asking `respond` for each item's answer: the loop the session
/// engine runs one answer at a time, for simulations and tests.
pub fn run(
    pool: &[PoolItem],
    weights: &[f64],
    settings: &AdaptiveSettings,
    rng: &mut impl Rng,
    mut respond: impl FnMut(usize) -> bool,
) -> AdaptiveRun {
    let mut answered: Vec<(usize, bool)> = Vec::new();
    let mut administered: Vec<usize> = Vec::new();
    loop {
        let verdict = decide(pool, &answered, settings);
        if verdict.stopped {
            return AdaptiveRun { answered, verdict };
        }
        let Some(next) = next_item(pool, &administered, weights, settings, rng) else {
            // A safeguard: `decide` already stops when the pool is used up, so this ends the same way.
            let verdict = decide(
                pool,
                &answered,
                &AdaptiveSettings {
                    max_items: answered.len(),
                    ..*settings
                },
            );
            return AdaptiveRun { answered, verdict };
        };
        administered.push(next);
        answered.push((next, respond(next)));
    }
}

/// Where the cut of a simulation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum CutRule {
    /// The ability at which the blueprint-weighted pool's expected score reaches this share.
    Standard(f64),
    /// This ability.
    Theta(f64),
}

/// A simulated comparison of the adaptive check with a fixed form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulationPlan {
    pub candidates: usize,
    pub pool_size: usize,
    /// Items of the fixed form, drawn at random from the pool for each candidate.
    pub fixed_length: usize,
    /// Blueprint weights; the pool's items are split among the domains in these shares.
    pub domain_weights: Vec<f64>,
    pub cut: CutRule,
    pub seed: u64,
}

impl Default for SimulationPlan {
    /// 2,000 candidates, a 300-item pool in four domains weighted 40/30/20/10, a 50-item fixed
    /// form, the cut at the 0.70 standard.
    fn default() -> Self {
        SimulationPlan {
            candidates: 2000,
            pool_size: 300,
            fixed_length: 50,
            domain_weights: vec![0.4, 0.3, 0.2, 0.1],
            cut: CutRule::Standard(0.70),
            seed: 1,
        }
    }
}

/// The figures of a comparison. Accuracy is the share of candidates classified as their true
/// ability says (pass when θ ≥ cut).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdaptiveComparison {
    pub cut: f64,
    pub adaptive_accuracy: f64,
    pub adaptive_mean_length: f64,
    pub adaptive_max_length: usize,
    pub fixed_accuracy: f64,
    pub fixed_length: usize,
    /// Share of candidates inside the indifference region (|θ − cut| < δ).
    pub near_cut_share: f64,
    pub adaptive_near_cut_accuracy: f64,
    pub fixed_near_cut_accuracy: f64,
    /// Among candidates outside the indifference region: the share of the adaptive check's
    /// confident decisions that were wrong, and the share of decisions that were confident.
    pub confident_error_rate_outside: f64,
    pub confident_share_outside: f64,
    /// Among candidates outside the indifference region: the share of all adaptive decisions
    /// (confident or not) that were wrong.
    pub error_rate_outside: f64,
}

/// Simulates `plan.candidates` candidates (θ ~ N(0, 1)) taking both the adaptive check and a
/// fixed form drawn at random from a pool of known items (a ~ lognormal(0, 0.3), b ~ N(0, 1)),
/// scored by EAP θ̂ ≥ cut. The plan's cut replaces `settings.cut`, since it depends on the pool.
pub fn compare_with_fixed_form(
    plan: &SimulationPlan,
    settings: &AdaptiveSettings,
) -> AdaptiveComparison {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let pool = simulated_pool(plan.pool_size, &plan.domain_weights, &mut rng);
    let cut = match plan.cut {
        CutRule::Theta(theta) => theta,
        CutRule::Standard(standard) => blueprint_cut(&pool, &plan.domain_weights, standard),
    };
    let settings = AdaptiveSettings { cut, ..*settings };
    let params: Vec<ItemParameters> = pool.iter().map(|p| p.params).collect();
    let fixed_length = plan.fixed_length.min(pool.len());

    // Item selection draws from its own stream, so the answers' stream is not borrowed twice.
    let mut selection = ChaCha8Rng::seed_from_u64(rng.random());
    let mut tally = Tally::default();
    for _ in 0..plan.candidates {
        let theta = normal(&mut rng);
        let truly_passes = theta >= cut;
        let adaptive = run(
            &pool,
            &plan.domain_weights,
            &settings,
            &mut selection,
            |i| answer(&pool[i].params, theta, &mut rng),
        );
        let fixed_observations: Vec<Observation> = sample(&mut rng, pool.len(), fixed_length)
            .into_iter()
            .map(|i| Observation {
                person: 0,
                item: u32::try_from(i).unwrap_or(u32::MAX),
                correct: answer(&params[i], theta, &mut rng),
            })
            .collect();
        let fixed_passes = eap(&fixed_observations, &params, EAP_POINTS).theta >= cut;
        tally.add(
            &adaptive.verdict,
            truly_passes,
            fixed_passes,
            (theta - cut).abs() < settings.indifference,
        );
    }
    tally.into_comparison(cut, fixed_length)
}

fn answer(item: &ItemParameters, theta: f64, rng: &mut impl Rng) -> bool {
    rng.random::<f64>() < item.p(theta)
}

/// A pool of `size` items with a ~ lognormal(0, 0.3) and b ~ N(0, 1), split among the domains
/// in the shares of `weights` (item k goes to the domain whose cumulative share covers
/// (k + ½)/size).
pub fn simulated_pool(size: usize, weights: &[f64], rng: &mut impl Rng) -> Vec<PoolItem> {
    let total: f64 = weights.iter().sum();
    (0..size)
        .map(|k| {
            let position = (k as f64 + 0.5) / size as f64 * total;
            let mut cumulative = 0.0;
            let domain = weights
                .iter()
                .position(|w| {
                    cumulative += w;
                    position < cumulative
                })
                .unwrap_or(weights.len().saturating_sub(1));
            let a = (0.3 * normal(rng)).exp();
            PoolItem {
                params: item(a, normal(rng)),
                domain,
            }
        })
        .collect()
}

/// The cut of the whole pool weighted by the blueprint: each domain carries its weight, shared
/// among its items.
pub fn blueprint_cut(pool: &[PoolItem], weights: &[f64], standard: f64) -> f64 {
    let mut per_domain = vec![0usize; weights.len()];
    for p in pool {
        if let Some(n) = per_domain.get_mut(p.domain) {
            *n += 1;
        }
    }
    let item_weights: Vec<f64> = pool
        .iter()
        .map(
            |p| match (weights.get(p.domain), per_domain.get(p.domain)) {
                (Some(w), Some(&n)) if n > 0 => w / n as f64,
                _ => 0.0,
            },
        )
        .collect();
    let params: Vec<ItemParameters> = pool.iter().map(|p| p.params).collect();
    cut_theta(&params, &item_weights, standard)
}

#[derive(Default)]
struct Tally {
    candidates: usize,
    adaptive_right: usize,
    fixed_right: usize,
    lengths: usize,
    max_length: usize,
    near: usize,
    near_adaptive_right: usize,
    near_fixed_right: usize,
    outside: usize,
    outside_wrong: usize,
    outside_confident: usize,
    outside_confident_wrong: usize,
}

impl Tally {
    fn add(&mut self, verdict: &Verdict, truly_passes: bool, fixed_passes: bool, near: bool) {
        let adaptive_right = (verdict.decision == Decision::Pass) == truly_passes;
        let fixed_right = fixed_passes == truly_passes;
        self.candidates += 1;
        self.adaptive_right += usize::from(adaptive_right);
        self.fixed_right += usize::from(fixed_right);
        self.lengths += verdict.items_used;
        self.max_length = self.max_length.max(verdict.items_used);
        if near {
            self.near += 1;
            self.near_adaptive_right += usize::from(adaptive_right);
            self.near_fixed_right += usize::from(fixed_right);
        } else {
            self.outside += 1;
            self.outside_wrong += usize::from(!adaptive_right);
            if verdict.confident {
                self.outside_confident += 1;
                self.outside_confident_wrong += usize::from(!adaptive_right);
            }
        }
    }

    fn into_comparison(self, cut: f64, fixed_length: usize) -> AdaptiveComparison {
        let share = |part: usize, whole: usize| part as f64 / whole.max(1) as f64;
        AdaptiveComparison {
            cut,
            adaptive_accuracy: share(self.adaptive_right, self.candidates),
            adaptive_mean_length: share(self.lengths, self.candidates),
            adaptive_max_length: self.max_length,
            fixed_accuracy: share(self.fixed_right, self.candidates),
            fixed_length,
            near_cut_share: share(self.near, self.candidates),
            adaptive_near_cut_accuracy: share(self.near_adaptive_right, self.near),
            fixed_near_cut_accuracy: share(self.near_fixed_right, self.near),
            confident_error_rate_outside: share(
                self.outside_confident_wrong,
                self.outside_confident,
            ),
            confident_share_outside: share(self.outside_confident, self.outside),
            error_rate_outside: share(self.outside_wrong, self.outside),
        }
    }
}
