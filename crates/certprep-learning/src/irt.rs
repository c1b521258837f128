//! Item response theory: the two-parameter logistic model, calibrated by marginal maximum
//! likelihood with the EM algorithm of Bock and Aitkin over a fixed quadrature grid, and
//! expected-a-posteriori (EAP) abilities with their standard errors.
//!
//! Practice data are sparse: each candidate answers a different subset of items. Only observed
//! responses enter the likelihood, so missing responses are ignored rather than scored wrong.
//! Items with little data lean on priors: `a ~ N(1, 0.5²)` and `b ~ N(b₀, 1)`, where `b₀` comes
//! from the author's difficulty (1–5 → −2 … 2); with many responses the data dominate.
//!
//! Responses are dichotomous here: an answer is correct when it earned every point of the item.

use serde::Serialize;

/// One observed response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub person: u32,
    pub item: u32,
    pub correct: bool,
}

/// Responses of `persons` candidates to `items` items; any subset may be observed.
#[derive(Debug, Clone)]
pub struct Responses {
    pub persons: usize,
    pub items: usize,
    /// Sorted by person, so each person's responses are contiguous.
    observations: Vec<Observation>,
    /// `observations[starts[p]..starts[p + 1]]` are person `p`'s responses.
    starts: Vec<usize>,
}

impl Responses {
    pub fn new(persons: usize, items: usize, mut observations: Vec<Observation>) -> Self {
        observations.retain(|o| (o.person as usize) < persons && (o.item as usize) < items);
        observations.sort_by_key(|o| (o.person, o.item));
        let mut starts = vec![0; persons + 1];
        for o in &observations {
            starts[o.person as usize + 1] += 1;
        }
        for p in 0..persons {
            starts[p + 1] += starts[p];
        }
        Responses {
            persons,
            items,
            observations,
            starts,
        }
    }

    pub fn of_person(&self, p: usize) -> &[Observation] {
        &self.observations[self.starts[p]..self.starts[p + 1]]
    }

    pub fn len(&self) -> usize {
        self.observations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ItemParameters {
    /// Discrimination.
    pub a: f64,
    /// Difficulty: the ability at which a candidate has even odds.
    pub b: f64,
}

impl ItemParameters {
    /// A two-parameter item (no guessing).
    pub fn two_pl(a: f64, b: f64) -> Self {
        ItemParameters { a, b }
    }

    pub fn p(&self, theta: f64) -> f64 {
        logistic(self.a * (theta - self.b))
    }

    /// Fisher information of the item at `theta`.
    pub fn information(&self, theta: f64) -> f64 {
        let p = self.p(theta);
        self.a * self.a * p * (1.0 - p)
    }
}

pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Settings of a calibration.
#[derive(Debug, Clone)]
pub struct CalibrationOptions {
    /// Prior mean of each item's difficulty (from the author's rating); 0 when unknown.
    pub prior_b: Vec<f64>,
    pub prior_sd_b: f64,
    pub prior_mean_a: f64,
    pub prior_sd_a: f64,
    pub quadrature_points: usize,
    pub max_iterations: usize,
    /// Stop when no parameter moves by more than this between iterations.
    pub tolerance: f64,
}

impl CalibrationOptions {
    pub fn for_items(items: usize) -> Self {
        CalibrationOptions {
            prior_b: vec![0.0; items],
            prior_sd_b: 1.0,
            prior_mean_a: 1.0,
            prior_sd_a: 0.5,
            quadrature_points: 41,
            max_iterations: 500,
            tolerance: 1e-4,
        }
    }
}

/// The prior mean difficulty for an author's rating of 1 (recall) to 5 (expert judgement).
pub fn prior_difficulty(author_rating: u8) -> f64 {
    f64::from(author_rating.clamp(1, 5)) - 3.0
}

#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub items: Vec<ItemParameters>,
    pub iterations: usize,
    pub converged: bool,
    /// Marginal log-likelihood at the end (without priors).
    pub log_likelihood: f64,
}

/// The quadrature grid: nodes from −4 to 4 and standard-normal weights summing to 1.
pub fn quadrature(points: usize) -> (Vec<f64>, Vec<f64>) {
    let n = points.max(3);
    let nodes: Vec<f64> = (0..n)
        .map(|k| -4.0 + 8.0 * k as f64 / (n - 1) as f64)
        .collect();
    let raw: Vec<f64> = nodes.iter().map(|x| (-0.5 * x * x).exp()).collect();
    let total: f64 = raw.iter().sum();
    (nodes, raw.iter().map(|w| w / total).collect())
}

/// Posterior weights over the grid for one person, given item parameters.
fn posterior(
    obs: &[Observation],
    items: &[ItemParameters],
    nodes: &[f64],
    prior: &[f64],
    out: &mut [f64],
) -> f64 {
    for (k, x) in nodes.iter().enumerate() {
        let mut log_l = prior[k].ln();
        for o in obs {
            let p = items[o.item as usize].p(*x).clamp(1e-12, 1.0 - 1e-12);
            log_l += if o.correct { p.ln() } else { (1.0 - p).ln() };
        }
        out[k] = log_l;
    }
    let max = out.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for v in out.iter_mut() {
        *v = (*v - max).exp();
        total += *v;
    }
    for v in out.iter_mut() {
        *v /= total;
    }
    // The person's marginal log-likelihood (without the grid prior's normalisation).
    max + total.ln()
}

/// Calibrates the 2PL by marginal maximum likelihood (EM over the quadrature grid).
pub fn calibrate(responses: &Responses, options: &CalibrationOptions) -> Calibration {
    let (nodes, prior) = quadrature(options.quadrature_points);
    let k = nodes.len();
    let mut items: Vec<ItemParameters> = (0..responses.items)
        .map(|i| ItemParameters {
            a: options.prior_mean_a,
            b: options.prior_b.get(i).copied().unwrap_or(0.0),
        })
        .collect();
    let mut weights = vec![0.0; k];
    let mut iterations = 0;
    let mut converged = false;
    let mut log_likelihood = 0.0;
    while iterations < options.max_iterations {
        iterations += 1;
        // E-step: expected numbers of candidates (n) and of correct answers (r) per item and node.
        let mut n = vec![0.0; responses.items * k];
        let mut r = vec![0.0; responses.items * k];
        log_likelihood = 0.0;
        for p in 0..responses.persons {
            let obs = responses.of_person(p);
            if obs.is_empty() {
                continue;
            }
            log_likelihood += posterior(obs, &items, &nodes, &prior, &mut weights);
            for o in obs {
                let row = o.item as usize * k;
                for (q, w) in weights.iter().enumerate() {
                    n[row + q] += w;
                    if o.correct {
                        r[row + q] += w;
                    }
                }
            }
        }
        // M-step: each item's (a, b) by Fisher scoring on the expected complete-data likelihood.
        let mut largest_change: f64 = 0.0;
        for (i, item) in items.iter_mut().enumerate() {
            let prior_b = options.prior_b.get(i).copied().unwrap_or(0.0);
            let updated = m_step(
                item,
                &n[i * k..(i + 1) * k],
                &r[i * k..(i + 1) * k],
                &nodes,
                prior_b,
                options,
            );
            largest_change = largest_change
                .max((updated.a - item.a).abs())
                .max((updated.b - item.b).abs());
            *item = updated;
        }
        if largest_change < options.tolerance {
            converged = true;
            break;
        }
    }
    Calibration {
        items,
        iterations,
        converged,
        log_likelihood,
    }
}

fn m_step(
    item: &ItemParameters,
    n: &[f64],
    r: &[f64],
    nodes: &[f64],
    prior_b: f64,
    o: &CalibrationOptions,
) -> ItemParameters {
    let (mut a, mut b) = (item.a, item.b);
    for _ in 0..5 {
        let (mut ga, mut gb, mut iaa, mut ibb, mut iab) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for ((x, nk), rk) in nodes.iter().zip(n).zip(r) {
            if *nk < 1e-12 {
                continue;
            }
            let p = logistic(a * (x - b));
            let resid = rk - nk * p;
            let w = nk * p * (1.0 - p);
            let d = x - b;
            ga += resid * d;
            gb -= a * resid;
            iaa += w * d * d;
            ibb += w * a * a;
            iab -= w * a * d;
        }
        // Priors: a ~ N(mean, sd²), b ~ N(prior_b, sd_b²).
        ga -= (a - o.prior_mean_a) / (o.prior_sd_a * o.prior_sd_a);
        iaa += 1.0 / (o.prior_sd_a * o.prior_sd_a);
        gb -= (b - prior_b) / (o.prior_sd_b * o.prior_sd_b);
        ibb += 1.0 / (o.prior_sd_b * o.prior_sd_b);
        let det = iaa * ibb - iab * iab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (ibb * ga - iab * gb) / det;
        let db = (iaa * gb - iab * ga) / det;
        // Damped steps keep early iterations from overshooting.
        a = (a + da.clamp(-0.5, 0.5)).clamp(0.05, 5.0);
        b = (b + db.clamp(-1.0, 1.0)).clamp(-6.0, 6.0);
        if da.abs() < 1e-6 && db.abs() < 1e-6 {
            break;
        }
    }
    ItemParameters { a, b }
}

/// An ability estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ability {
    pub theta: f64,
    pub se: f64,
    pub answered: usize,
}

/// EAP ability of one candidate from their responses (standard-normal prior).
pub fn eap(obs: &[Observation], items: &[ItemParameters], quadrature_points: usize) -> Ability {
    let (nodes, prior) = quadrature(quadrature_points);
    let mut w = vec![0.0; nodes.len()];
    posterior(obs, items, &nodes, &prior, &mut w);
    let theta: f64 = nodes.iter().zip(&w).map(|(x, w)| x * w).sum();
    let var: f64 = nodes
        .iter()
        .zip(&w)
        .map(|(x, w)| (x - theta).powi(2) * w)
        .sum();
    Ability {
        theta,
        se: var.sqrt(),
        answered: obs.len(),
    }
}

/// EAP abilities of every candidate.
pub fn abilities(
    responses: &Responses,
    items: &[ItemParameters],
    quadrature_points: usize,
) -> Vec<Ability> {
    (0..responses.persons)
        .map(|p| eap(responses.of_person(p), items, quadrature_points))
        .collect()
}
