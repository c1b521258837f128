//! Seeded simulations: candidates and items drawn from known parameters, for recovery tests
//! and benchmarks.

use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::irt::{ItemParameters, Observation, Responses};

/// A standard normal draw (Box–Muller).
pub fn normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[derive(Debug, Clone)]
pub struct Simulated {
    pub responses: Responses,
    pub theta: Vec<f64>,
    pub items: Vec<ItemParameters>,
}

/// `persons` candidates with θ ~ N(0, 1) answer `per_person` items each (all when `None`) of
/// `items` items with a ~ lognormal(0, 0.3) and b ~ N(0, 1).
pub fn simulate(persons: usize, items: usize, per_person: Option<usize>, seed: u64) -> Simulated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let params: Vec<ItemParameters> = (0..items)
        .map(|_| ItemParameters::two_pl((0.3 * normal(&mut rng)).exp(), normal(&mut rng)))
        .collect();
    answer(persons, params, per_person, &mut rng, |_, item, theta| {
        item.p(theta)
    })
}

/// As [`simulate`], with 3PL items: the same a and b, and guessing c ~ uniform(0.1, 0.3).
pub fn simulate_3pl(
    persons: usize,
    items: usize,
    per_person: Option<usize>,
    seed: u64,
) -> Simulated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let params: Vec<ItemParameters> = (0..items)
        .map(|_| ItemParameters {
            a: (0.3 * normal(&mut rng)).exp(),
            b: normal(&mut rng),
            c: rng.random_range(0.1..0.3),
        })
        .collect();
    answer(persons, params, per_person, &mut rng, |_, item, theta| {
        item.p(theta)
    })
}

/// As [`simulate`], except that the items in `misfitting` answer by `response(θ)` instead of
/// the logistic curve (their `items` entry keeps the drawn 2PL parameters, which they ignore).
pub fn simulate_with_misfit(
    persons: usize,
    items: usize,
    per_person: Option<usize>,
    seed: u64,
    misfitting: &[usize],
    response: impl Fn(f64) -> f64,
) -> Simulated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let params: Vec<ItemParameters> = (0..items)
        .map(|_| ItemParameters::two_pl((0.3 * normal(&mut rng)).exp(), normal(&mut rng)))
        .collect();
    answer(persons, params, per_person, &mut rng, |i, item, theta| {
        if misfitting.contains(&i) {
            response(theta)
        } else {
            item.p(theta)
        }
    })
}

/// Draws abilities and the responses, with the chance of a right answer from `chance`.
fn answer(
    persons: usize,
    params: Vec<ItemParameters>,
    per_person: Option<usize>,
    rng: &mut ChaCha8Rng,
    chance: impl Fn(usize, &ItemParameters, f64) -> f64,
) -> Simulated {
    let items = params.len();
    let theta: Vec<f64> = (0..persons).map(|_| normal(rng)).collect();
    let mut observations = Vec::with_capacity(persons * per_person.unwrap_or(items));
    for (p, t) in theta.iter().enumerate() {
        let chosen: Vec<usize> = match per_person {
            Some(k) if k < items => sample(rng, items, k).into_vec(),
            _ => (0..items).collect(),
        };
        for i in chosen {
            let correct = rng.random::<f64>() < chance(i, &params[i], *t);
            observations.push(Observation {
                person: u32::try_from(p).unwrap_or(u32::MAX),
                item: u32::try_from(i).unwrap_or(u32::MAX),
                correct,
            });
        }
    }
    Simulated {
        responses: Responses::new(persons, items, observations),
        theta,
        items: params,
    }
}

pub fn rmse(estimate: &[f64], truth: &[f64]) -> f64 {
    let n = estimate.len().min(truth.len()).max(1) as f64;
    (estimate
        .iter()
        .zip(truth)
        .map(|(e, t)| (e - t).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}

pub fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}
