//! From ability to readiness: the ability at which a blueprint-weighted form reaches the passing
//! standard (the cut), and the probability that a candidate's true ability lies above it.

use crate::irt::{Ability, ItemParameters};

/// The expected share of points on a form whose items carry the given weights.
pub fn expected_score(theta: f64, items: &[ItemParameters], weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    items
        .iter()
        .zip(weights)
        .map(|(i, w)| w * i.p(theta))
        .sum::<f64>()
        / total
}

/// The ability at which the expected score reaches `standard` (a share of points, such as the
/// assumed 0.70), found by bisection on the rising test characteristic curve.
pub fn cut_theta(items: &[ItemParameters], weights: &[f64], standard: f64) -> f64 {
    let (mut lo, mut hi) = (-6.0, 6.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if expected_score(mid, items, weights) < standard {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The standard normal distribution function (Abramowitz–Stegun 7.1.26 through erf).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// The probability that the candidate's ability exceeds the cut, from the posterior N(θ̂, SE²).
pub fn pass_probability(ability: &Ability, cut: f64) -> f64 {
    if ability.se <= 0.0 {
        return if ability.theta >= cut { 1.0 } else { 0.0 };
    }
    normal_cdf((ability.theta - cut) / ability.se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-4);
    }

    #[test]
    fn the_cut_is_where_the_expected_score_reaches_the_standard() {
        let items = [
            ItemParameters::two_pl(1.0, -0.5),
            ItemParameters::two_pl(1.5, 0.5),
        ];
        let w = [1.0, 1.0];
        let cut = cut_theta(&items, &w, 0.7);
        assert!((expected_score(cut, &items, &w) - 0.7).abs() < 1e-9);
        let above = Ability {
            theta: cut + 1.0,
            se: 0.5,
            answered: 40,
        };
        assert!((pass_probability(&above, cut) - normal_cdf(2.0)).abs() < 1e-12);
    }
}
