//! From ability to readiness: the ability at which a blueprint-weighted form reaches the passing
//! standard (the cut), and the probability of passing a real form of the outline.
//!
//! A real exam form is a sample of items drawn to the blueprint, scored against a raw cut. So the
//! chance of passing it has two sources of uncertainty: what we do not know about the candidate's
//! ability (the posterior of θ given their responses), and the luck of the form at a known θ
//! (a 50-item form measures with error). `assess` integrates the second over the first on the
//! quadrature grid; the interval is the range of the pass chance over the central 95% of the
//! posterior of θ.
//!
//! The event is the one a score report decides: the share of **points** on the form reaches the
//! standard. A multi-part item gives one point per part, as on the exam; the model takes each
//! part of an `m`-part item as right with probability `p^(1/m)`, so that the whole item is right
//! with the item model's probability `p`. With one-point items this is the number right.

use serde::Serialize;

use crate::irt::ItemParameters;

/// One domain of an outline as the readiness model sees it: its share of the exam and the
/// parameters of the items that can represent it on a form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlueprintDomain {
    pub id: String,
    /// Share of the exam (the midpoint of the published range), as a fraction.
    pub weight: f64,
    pub items: Vec<ItemParameters>,
    /// The points of each item (one per part), in the order of `items`; empty means one each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<u32>,
}

impl BlueprintDomain {
    fn points_of(&self, i: usize) -> f64 {
        f64::from(self.points.get(i).copied().unwrap_or(1).max(1))
    }

    /// Points per item, on average.
    fn mean_points(&self) -> f64 {
        if self.items.is_empty() {
            return 1.0;
        }
        (0..self.items.len())
            .map(|i| self.points_of(i))
            .sum::<f64>()
            / self.items.len() as f64
    }

    /// The chance that one point of a random item of the domain is earned at `theta`: the
    /// points-weighted mean of each item's per-part chance `p^(1/m)`.
    fn point_probability(&self, theta: f64) -> f64 {
        let (mut earned, mut total) = (0.0, 0.0);
        for (i, item) in self.items.iter().enumerate() {
            let m = self.points_of(i);
            earned += m * item.p(theta).powf(1.0 / m);
            total += m;
        }
        if total > 0.0 { earned / total } else { 0.0 }
    }
}

/// The exam form the candidate will meet: domains with weights, a length and a passing standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blueprint {
    pub domains: Vec<BlueprintDomain>,
    /// Items on a real form (the middle of the published question count).
    pub form_length: usize,
    /// The share of points at the passing score (a per-exam setting; 0.70 unless stated).
    pub standard: f64,
}

impl Blueprint {
    /// Domains that have items; the others cannot be represented and carry no weight.
    fn represented(&self) -> impl Iterator<Item = &BlueprintDomain> {
        self.domains
            .iter()
            .filter(|d| !d.items.is_empty() && d.weight > 0.0)
    }

    /// The chance of earning one point of a random item of each represented domain.
    fn domain_probabilities(&self, theta: f64) -> Vec<(f64, f64)> {
        self.represented()
            .map(|d| (d.weight, d.point_probability(theta)))
            .collect()
    }

    /// The points of a real form: its items times the blueprint's mean points per item.
    fn form_points(&self) -> usize {
        let (mut weighted, mut total) = (0.0, 0.0);
        for d in self.represented() {
            weighted += d.weight * d.mean_points();
            total += d.weight;
        }
        let per_item = if total > 0.0 { weighted / total } else { 1.0 };
        (self.form_length as f64 * per_item).round().max(0.0) as usize
    }

    /// The expected share of points on a blueprint-weighted form at `theta`.
    pub fn expected_share(&self, theta: f64) -> f64 {
        let probabilities = self.domain_probabilities(theta);
        let total: f64 = probabilities.iter().map(|(w, _)| w).sum();
        if total <= 0.0 {
            return 0.0;
        }
        probabilities.iter().map(|(w, p)| w * p).sum::<f64>() / total
    }

    /// The cut: the ability at which the expected share reaches the standard, by bisection on
    /// the rising test characteristic curve.
    pub fn cut(&self) -> f64 {
        bisect(|t| self.expected_share(t) < self.standard)
    }

    /// How many of the form's points each represented domain gets (largest remainders), in
    /// the order of the domains that have items.
    pub fn slots(&self) -> Vec<usize> {
        let weights: Vec<f64> = self.represented().map(|d| d.weight).collect();
        apportion(&weights, self.form_points())
    }

    /// The chance of reaching the raw cut on a real form at a known `theta`: the points earned
    /// are a sum of independent Bernoulli draws, one per point slot, whose exact distribution
    /// comes from the Lord–Wingersky recursion.
    pub fn pass_chance_at(&self, theta: f64) -> f64 {
        let slots = self.slots();
        let probabilities = self.domain_probabilities(theta);
        let n: usize = slots.iter().sum();
        if n == 0 {
            return 0.0;
        }
        let mut dist = vec![0.0; n + 1];
        dist[0] = 1.0;
        let mut used = 0;
        for (count, (_, p)) in slots.iter().zip(&probabilities) {
            for _ in 0..*count {
                used += 1;
                for k in (0..=used).rev() {
                    let stay = dist[k] * (1.0 - p);
                    let step = if k > 0 { dist[k - 1] * p } else { 0.0 };
                    dist[k] = stay + step;
                }
            }
        }
        let raw_cut = (self.standard * n as f64 - 1e-9).ceil().max(0.0) as usize;
        dist[raw_cut.min(n)..].iter().sum::<f64>().clamp(0.0, 1.0)
    }
}

/// The largest-remainder apportionment of `total` slots to shares.
fn apportion(weights: &[f64], total: usize) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut slots: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&i, &j| (exact[j] - exact[j].floor()).total_cmp(&(exact[i] - exact[i].floor())));
    let mut left = total.saturating_sub(slots.iter().sum());
    for i in order.into_iter().cycle().take(left.max(1) * weights.len()) {
        if left == 0 {
            break;
        }
        slots[i] += 1;
        left -= 1;
    }
    slots
}

/// The θ in [−6, 6] where `below(θ)` stops being true, for a monotone predicate.
fn bisect(below: impl Fn(f64) -> bool) -> f64 {
    let (mut lo, mut hi) = (-6.0, 6.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if below(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// One response as evidence about ability: which item, whether it earned full credit, and how
/// much it still counts (1 for fresh evidence, less as it ages).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    pub item: ItemParameters,
    pub correct: bool,
    pub weight: f64,
}

/// Grid for readiness: finer than calibration's, since a pass probability near 0 or 1 depends
/// on the posterior's tails.
pub const GRID_POINTS: usize = 81;

/// The posterior of θ on an even grid over [−5, 5] with a standard-normal prior.
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    pub nodes: Vec<f64>,
    pub weights: Vec<f64>,
}

impl Posterior {
    pub fn of(evidence: &[Evidence]) -> Posterior {
        let nodes: Vec<f64> = (0..GRID_POINTS)
            .map(|k| -5.0 + 10.0 * k as f64 / (GRID_POINTS - 1) as f64)
            .collect();
        let log: Vec<f64> = nodes
            .iter()
            .map(|&x| {
                let mut l = -0.5 * x * x;
                for e in evidence {
                    let p = e.item.p(x).clamp(1e-12, 1.0 - 1e-12);
                    l += e.weight * if e.correct { p.ln() } else { (1.0 - p).ln() };
                }
                l
            })
            .collect();
        let max = log.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let raw: Vec<f64> = log.iter().map(|l| (l - max).exp()).collect();
        let total: f64 = raw.iter().sum();
        Posterior {
            nodes,
            weights: raw.iter().map(|w| w / total).collect(),
        }
    }

    pub fn mean(&self) -> f64 {
        self.nodes
            .iter()
            .zip(&self.weights)
            .map(|(x, w)| x * w)
            .sum()
    }

    pub fn sd(&self) -> f64 {
        let m = self.mean();
        self.nodes
            .iter()
            .zip(&self.weights)
            .map(|(x, w)| (x - m).powi(2) * w)
            .sum::<f64>()
            .sqrt()
    }

    /// The `q` quantile, interpolated within grid cells.
    pub fn quantile(&self, q: f64) -> f64 {
        let step = self.nodes[1] - self.nodes[0];
        let mut cumulative = 0.0;
        for (x, w) in self.nodes.iter().zip(&self.weights) {
            if cumulative + w >= q && *w > 0.0 {
                // Each node holds the mass of the cell centred on it.
                return x - step / 2.0 + step * (q - cumulative) / w;
            }
            cumulative += w;
        }
        *self.nodes.last().unwrap_or(&0.0)
    }

    /// The probability that θ exceeds `cut`.
    pub fn above(&self, cut: f64) -> f64 {
        let step = self.nodes[1] - self.nodes[0];
        self.nodes
            .iter()
            .zip(&self.weights)
            .map(|(x, w)| w * ((x + step / 2.0 - cut) / step).clamp(0.0, 1.0))
            .sum()
    }
}

/// What readiness says about one candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The probability of passing a real form of the outline.
    pub pass_probability: f64,
    /// Its range over the central 95% of the posterior of ability: `[low, high]`.
    pub interval: [f64; 2],
    /// EAP ability and its posterior standard deviation.
    pub theta: f64,
    pub se: f64,
    /// The cut on the same scale.
    pub cut: f64,
    /// The probability that ability itself is above the cut (no form luck).
    pub above_cut: f64,
    /// The expected share of points on a blueprint form at `theta`.
    pub expected_share: f64,
}

/// Readiness from the evidence: ability, the pass chance on a real form, and its interval.
pub fn assess(evidence: &[Evidence], blueprint: &Blueprint) -> Assessment {
    let posterior = Posterior::of(evidence);
    let cut = blueprint.cut();
    let chance: Vec<f64> = posterior
        .nodes
        .iter()
        .map(|&t| blueprint.pass_chance_at(t))
        .collect();
    let pass_probability = posterior
        .weights
        .iter()
        .zip(&chance)
        .map(|(w, c)| w * c)
        .sum::<f64>()
        .clamp(0.0, 1.0);
    let theta = posterior.mean();
    // The pass chance rises with θ, so the interval maps through the posterior's quantiles.
    let low = blueprint.pass_chance_at(posterior.quantile(0.025));
    let high = blueprint.pass_chance_at(posterior.quantile(0.975));
    Assessment {
        pass_probability,
        interval: [low.min(pass_probability), high.max(pass_probability)],
        theta,
        se: posterior.sd(),
        cut,
        above_cut: posterior.above(cut),
        expected_share: blueprint.expected_share(theta),
    }
}

/// An ability estimate on part of the evidence (one domain), with its standard error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartialAbility {
    pub theta: f64,
    pub se: f64,
    pub responses: usize,
    /// The probability that ability on this part is above the overall cut.
    pub above_cut: f64,
}

pub fn partial_ability(evidence: &[Evidence], cut: f64) -> PartialAbility {
    let posterior = Posterior::of(evidence);
    PartialAbility {
        theta: posterior.mean(),
        se: posterior.sd(),
        responses: evidence.len(),
        above_cut: posterior.above(cut),
    }
}

/// How much a response still counts after `age_days`: evidence halves every `half_life_days`,
/// so ability follows a candidate who is learning, and old evidence widens the interval
/// instead of pinning it.
pub fn fading_weight(age_days: f64, half_life_days: f64) -> f64 {
    if half_life_days <= 0.0 {
        return 1.0;
    }
    0.5_f64.powf(age_days.max(0.0) / half_life_days)
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

/// The ability at which the expected score on weighted items reaches `standard`.
pub fn cut_theta(items: &[ItemParameters], weights: &[f64], standard: f64) -> f64 {
    bisect(|t| expected_score(t, items, weights) < standard)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(a: f64, b: f64) -> ItemParameters {
        ItemParameters::two_pl(a, b)
    }

    fn blueprint() -> Blueprint {
        Blueprint {
            domains: vec![
                BlueprintDomain {
                    id: "one".into(),
                    weight: 0.6,
                    items: vec![item(1.0, -0.5), item(1.2, 0.0)],
                    points: vec![],
                },
                BlueprintDomain {
                    id: "two".into(),
                    weight: 0.4,
                    items: vec![item(0.8, 0.5)],
                    points: vec![],
                },
                BlueprintDomain {
                    id: "empty".into(),
                    weight: 0.2,
                    items: vec![],
                    points: vec![],
                },
            ],
            form_length: 50,
            standard: 0.7,
        }
    }

    /// With multi-part items the event is the share of points: two-point items at their
    /// difficulty (p = 0.5 for the whole item) earn each point with √0.5, and a 10-item form
    /// of 20 points passes at 14 points.
    #[test]
    fn the_pass_event_counts_points() {
        let blueprint = Blueprint {
            domains: vec![BlueprintDomain {
                id: "one".into(),
                weight: 1.0,
                items: vec![item(1.0, 0.0), item(1.0, 0.0)],
                points: vec![2, 2],
            }],
            form_length: 10,
            standard: 0.7,
        };
        let q = 0.5_f64.sqrt();
        let choose = |n: u64, k: u64| -> f64 {
            (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
        };
        let expected: f64 = (14..=20u64)
            .map(|k| choose(20, k) * q.powi(k as i32) * (1.0 - q).powi(20 - k as i32))
            .sum();
        assert_eq!(blueprint.slots(), vec![20]);
        assert!((blueprint.pass_chance_at(0.0) - expected).abs() < 1e-12);
        assert!((blueprint.expected_share(0.0) - q).abs() < 1e-12);
        // One-point items: the same as counting the number right.
        let single = Blueprint {
            domains: vec![BlueprintDomain {
                points: vec![],
                ..blueprint.domains[0].clone()
            }],
            ..blueprint.clone()
        };
        assert_eq!(single.slots(), vec![10]);
        assert!((single.expected_share(0.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-4);
    }

    #[test]
    fn the_cut_is_where_the_blueprint_share_reaches_the_standard() {
        let b = blueprint();
        let cut = b.cut();
        assert!((b.expected_share(cut) - 0.7).abs() < 1e-9);
        // The empty domain carries no weight: the share is 0.6·mean(one) + 0.4·two.
        let t = 0.3;
        let one = (item(1.0, -0.5).p(t) + item(1.2, 0.0).p(t)) / 2.0;
        let expected = 0.6 * one + 0.4 * item(0.8, 0.5).p(t);
        assert!((b.expected_share(t) - expected).abs() < 1e-12);
        let items = [item(1.0, -0.5), item(1.5, 0.5)];
        let w = [1.0, 1.0];
        assert!((expected_score(cut_theta(&items, &w, 0.7), &items, &w) - 0.7).abs() < 1e-9);
    }

    #[test]
    fn slots_follow_the_weights_and_fill_the_form() {
        assert_eq!(apportion(&[0.6, 0.4], 50), vec![30, 20]);
        assert_eq!(
            apportion(&[0.275, 0.325, 0.125, 0.125, 0.125], 50)
                .iter()
                .sum::<usize>(),
            50
        );
        assert_eq!(apportion(&[1.0, 1.0, 1.0], 10), vec![4, 3, 3]);
    }

    #[test]
    fn the_pass_chance_rises_with_ability_and_is_a_coin_near_the_cut() {
        let b = blueprint();
        let cut = b.cut();
        let at = |t: f64| b.pass_chance_at(t);
        assert!(at(cut - 1.0) < 0.05 && at(cut + 1.0) > 0.95);
        // Near the cut the number right is about as likely above the raw cut as below.
        assert!((0.35..0.75).contains(&at(cut)), "{}", at(cut));
        let mut last = 0.0;
        for k in 0..40 {
            let p = at(-3.0 + 0.15 * f64::from(k));
            assert!(p + 1e-12 >= last);
            last = p;
        }
    }

    #[test]
    fn more_evidence_narrows_the_interval() {
        let b = blueprint();
        let few: Vec<Evidence> = (0..5)
            .map(|k| Evidence {
                item: item(1.0, 0.0),
                correct: k % 5 != 0,
                weight: 1.0,
            })
            .collect();
        let many: Vec<Evidence> = few.iter().cycle().take(100).copied().collect();
        let (a, m) = (assess(&few, &b), assess(&many, &b));
        assert!(m.se < a.se / 2.0);
        assert!(m.interval[1] - m.interval[0] < a.interval[1] - a.interval[0]);
        assert!(a.interval[0] <= a.pass_probability && a.pass_probability <= a.interval[1]);
        // 80% right on items at b = 0 puts θ near logit(0.8) ≈ 1.4, above this cut (≈ 0.9):
        // more likely than not to pass, though a 50-item form still leaves room for bad luck.
        assert!(m.theta > m.cut && m.above_cut > 0.95, "{m:?}");
        assert!(
            (0.75..0.97).contains(&m.pass_probability),
            "{}",
            m.pass_probability
        );
    }

    #[test]
    fn evidence_fades_by_half_lives() {
        assert!((fading_weight(0.0, 60.0) - 1.0).abs() < 1e-12);
        assert!((fading_weight(60.0, 60.0) - 0.5).abs() < 1e-12);
        assert!((fading_weight(120.0, 60.0) - 0.25).abs() < 1e-12);
        assert!((fading_weight(-3.0, 60.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn posterior_quantiles_and_tail_are_consistent() {
        let p = Posterior::of(&[]);
        assert!(p.mean().abs() < 1e-9);
        assert!((p.sd() - 1.0).abs() < 0.01);
        assert!((p.quantile(0.975) - 1.96).abs() < 0.03);
        assert!((p.above(0.0) - 0.5).abs() < 1e-9);
        assert!((p.above(1.0) - (1.0 - normal_cdf(1.0))).abs() < 0.01);
    }
}
