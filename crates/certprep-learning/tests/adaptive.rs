//! The adaptive readiness check on seeded simulations: as accurate as a 50-item fixed form with
//! a third of its items, error rates as the SPRT promises, bounded length, deterministic for a
//! seed, content balanced, and graceful when the pool runs out.

use certprep_learning::adaptive::{
    AdaptiveComparison, AdaptiveSettings, CutRule, Decision, PoolItem, SimulationPlan,
    blueprint_cut, compare_with_fixed_form, decide, next_item, run, simulated_pool,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const WEIGHTS: [f64; 4] = [0.4, 0.3, 0.2, 0.1];

fn pool(size: usize, seed: u64) -> Vec<PoolItem> {
    simulated_pool(size, &WEIGHTS, &mut ChaCha8Rng::seed_from_u64(seed))
}

fn compare(cut: CutRule, seed: u64) -> AdaptiveComparison {
    let plan = SimulationPlan {
        cut,
        seed,
        ..SimulationPlan::default()
    };
    let c = compare_with_fixed_form(&plan, &AdaptiveSettings::default());
    println!(
        "cut {:.3}: adaptive accuracy {:.4} (near cut {:.3}), mean length {:.2}, max {}; \
         fixed {} items accuracy {:.4} (near cut {:.3}); near-cut share {:.3}; outside the \
         region: {:.3} confident, confident wrong {:.4}, all wrong {:.4}",
        c.cut,
        c.adaptive_accuracy,
        c.adaptive_near_cut_accuracy,
        c.adaptive_mean_length,
        c.adaptive_max_length,
        c.fixed_length,
        c.fixed_accuracy,
        c.fixed_near_cut_accuracy,
        c.near_cut_share,
        c.confident_share_outside,
        c.confident_error_rate_outside,
        c.error_rate_outside
    );
    c
}

/// The share of `runs` candidates of ability `theta` that the check passes, and their mean length.
fn pass_rate(
    pool: &[PoolItem],
    settings: &AdaptiveSettings,
    theta: f64,
    runs: usize,
) -> (f64, f64) {
    let mut selection = ChaCha8Rng::seed_from_u64(11);
    let mut answers = ChaCha8Rng::seed_from_u64(12);
    let (mut passed, mut length) = (0usize, 0usize);
    for _ in 0..runs {
        let r = run(pool, &WEIGHTS, settings, &mut selection, |i| {
            answers.random::<f64>() < pool[i].params.p(theta)
        });
        passed += usize::from(r.verdict.decision == Decision::Pass);
        length += r.verdict.items_used;
    }
    (passed as f64 / runs as f64, length as f64 / runs as f64)
}

#[test]
fn the_adaptive_check_matches_a_50_item_form_with_a_third_of_its_items() {
    // 2,000 candidates, a 300-item pool; the cut at the 0.70 standard (θ ≈ 1) and at θ = 0.
    // Seen: cut 1.02: adaptive 0.956 in 14.8 items vs fixed 0.948;
    //       cut 0: adaptive 0.925 in 16.0 items vs fixed 0.902 (seed 2).
    // Over seeds 1–5 the adaptive check was never more than 0.6 points behind.
    for (cut, seed) in [(CutRule::Standard(0.70), 1), (CutRule::Theta(0.0), 2)] {
        let c = compare(cut, seed);
        assert!(
            c.adaptive_accuracy >= c.fixed_accuracy - 0.02,
            "adaptive {:.4} vs fixed {:.4}",
            c.adaptive_accuracy,
            c.fixed_accuracy
        );
        // 60% of the fixed form would be 30 items; it uses about a third.
        assert!(c.adaptive_mean_length <= 0.4 * c.fixed_length as f64);
        assert!(c.adaptive_accuracy >= 0.90 && c.fixed_accuracy >= 0.88);
    }
}

#[test]
fn decisions_outside_the_indifference_region_are_rarely_wrong() {
    // Seen: 94% of decisions outside (cut − δ, cut + δ) are confident and 0.06% of those are
    // wrong; 0.6% of all decisions outside are wrong (cut 0: 0.28% and 1.3%).
    for (cut, seed) in [(CutRule::Standard(0.70), 1), (CutRule::Theta(0.0), 2)] {
        let c = compare(cut, seed);
        assert!(c.confident_error_rate_outside <= 0.05 + 0.01);
        assert!(c.error_rate_outside <= 0.05);
        assert!(c.confident_share_outside >= 0.85);
    }
}

#[test]
fn the_sprt_keeps_its_error_rates_at_the_edges_of_the_region() {
    // At θ = cut ∓ δ, the hardest abilities outside the region, the uncapped SPRT errs about
    // α = β = 5% (Wald's bound α/(1 − β) ≈ 5.3%). Seen (cut 0): pass 0.041 at cut − δ and
    // 0.955 at cut + δ in about 36 items. The 30-item cap trades that for length: seen pass
    // 0.117 and 0.878 in about 22 items.
    let pool = pool(300, 1);
    let settings = AdaptiveSettings::default();
    let uncapped = AdaptiveSettings {
        max_items: 300,
        ..settings
    };
    let (below, above) = (
        settings.cut - settings.indifference,
        settings.cut + settings.indifference,
    );
    let (pass_below, len_below) = pass_rate(&pool, &uncapped, below, 2000);
    let (pass_above, len_above) = pass_rate(&pool, &uncapped, above, 2000);
    println!(
        "uncapped: pass {pass_below:.4} at cut − δ ({len_below:.1} items), {pass_above:.4} at cut + δ ({len_above:.1} items)"
    );
    assert!(pass_below <= settings.alpha + 0.02);
    assert!(1.0 - pass_above <= settings.beta + 0.02);
    let (pass_below, len_below) = pass_rate(&pool, &settings, below, 2000);
    let (pass_above, len_above) = pass_rate(&pool, &settings, above, 2000);
    println!(
        "capped at 30: pass {pass_below:.4} at cut − δ ({len_below:.1} items), {pass_above:.4} at cut + δ ({len_above:.1} items)"
    );
    assert!(pass_below <= 0.15 && 1.0 - pass_above <= 0.15);
    assert!(len_below <= 25.0 && len_above <= 25.0);
}

#[test]
fn the_check_never_exceeds_its_maximum_length() {
    for max_items in [12, 30] {
        let plan = SimulationPlan {
            candidates: 500,
            ..SimulationPlan::default()
        };
        let settings = AdaptiveSettings {
            max_items,
            ..AdaptiveSettings::default()
        };
        let c = compare_with_fixed_form(&plan, &settings);
        println!(
            "max {max_items}: longest {} items, mean {:.2}",
            c.adaptive_max_length, c.adaptive_mean_length
        );
        assert!(c.adaptive_max_length <= max_items);
        // Candidates near the cut use the whole budget.
        assert_eq!(c.adaptive_max_length, max_items);
    }
}

#[test]
fn the_same_seed_gives_the_same_sequence() {
    let pool = pool(300, 3);
    let settings = AdaptiveSettings::default();
    let sequence = |seed: u64| {
        let mut selection = ChaCha8Rng::seed_from_u64(seed);
        // Alternating answers keep the check near the cut, so it runs long.
        let mut correct = false;
        run(&pool, &WEIGHTS, &settings, &mut selection, |_| {
            correct = !correct;
            correct
        })
    };
    let (first, again, other) = (sequence(7), sequence(7), sequence(8));
    println!(
        "seed 7: {:?}",
        first.answered.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    println!(
        "seed 8: {:?}",
        other.answered.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    assert_eq!(first, again);
    assert_ne!(first.answered, other.answered);
    assert_eq!(first.verdict.items_used, settings.max_items);
}

#[test]
fn randomesque_selection_spreads_the_first_item_over_the_top_k() {
    let pool = pool(300, 4);
    let first_items = |randomesque: usize| {
        let settings = AdaptiveSettings {
            randomesque,
            ..AdaptiveSettings::default()
        };
        let mut seen: Vec<usize> = (0..200)
            .filter_map(|seed| {
                next_item(
                    &pool,
                    &[],
                    &WEIGHTS,
                    &settings,
                    &mut ChaCha8Rng::seed_from_u64(seed),
                )
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    };
    let (greedy, spread) = (first_items(1), first_items(3));
    println!("first items: greedy {greedy:?}, randomesque 3 {spread:?}");
    assert_eq!(greedy.len(), 1);
    assert_eq!(spread.len(), 3);
    assert!(spread.contains(&greedy[0]));
    // The first item comes from the heaviest domain.
    assert!(spread.iter().all(|&i| pool[i].domain == 0));
}

#[test]
fn content_balancing_keeps_each_domain_within_one_item_of_its_share() {
    // A full-length test (no early stop): after every item each domain's count is within one
    // item of weight × length, so at 30 items each share is within 1/30 ≈ 0.034 of its weight.
    let pool = pool(300, 5);
    let settings = AdaptiveSettings {
        min_items: 30,
        max_items: 30,
        ..AdaptiveSettings::default()
    };
    for weights in [WEIGHTS, [0.5, 0.25, 0.15, 0.1]] {
        let mut selection = ChaCha8Rng::seed_from_u64(9);
        let mut administered = Vec::new();
        let mut counts = [0usize; 4];
        let mut worst: f64 = 0.0;
        while administered.len() < settings.max_items {
            let next = next_item(&pool, &administered, &weights, &settings, &mut selection)
                .unwrap_or_else(|| panic!("the pool ran out after {}", administered.len()));
            administered.push(next);
            counts[pool[next].domain] += 1;
            let n = administered.len() as f64;
            for (count, weight) in counts.iter().zip(&weights) {
                worst = worst.max((*count as f64 - weight * n).abs());
            }
        }
        println!("weights {weights:?}: counts {counts:?} over 30, worst gap {worst:.2} items");
        assert!(worst < 1.0);
        for (count, weight) in counts.iter().zip(&weights) {
            assert!((*count as f64 / 30.0 - weight).abs() <= 1.0 / 30.0 + 1e-9);
        }
    }
}

#[test]
fn an_exhausted_pool_ends_the_check_gracefully() {
    let small = pool(6, 6);
    let settings = AdaptiveSettings::default();
    let mut selection = ChaCha8Rng::seed_from_u64(1);
    let r = run(&small, &WEIGHTS, &settings, &mut selection, |_| true);
    println!("6-item pool: {:?}", r.verdict);
    assert_eq!(r.verdict.items_used, 6);
    assert!(r.verdict.stopped);
    assert_ne!(r.verdict.decision, Decision::Undecided);
    let administered: Vec<usize> = r.answered.iter().map(|a| a.0).collect();
    assert_eq!(
        next_item(&small, &administered, &WEIGHTS, &settings, &mut selection),
        None
    );

    let empty: Vec<PoolItem> = Vec::new();
    assert_eq!(
        next_item(&empty, &[], &WEIGHTS, &settings, &mut selection),
        None
    );
    let nothing = decide(&empty, &[], &settings);
    assert!(nothing.stopped && nothing.items_used == 0);
}

#[test]
fn no_decision_before_the_minimum_length() {
    let pool = pool(300, 7);
    let settings = AdaptiveSettings {
        cut: blueprint_cut(&pool, &WEIGHTS, 0.70),
        ..AdaptiveSettings::default()
    };
    let mut selection = ChaCha8Rng::seed_from_u64(2);
    let mut answered: Vec<(usize, bool)> = Vec::new();
    while answered.len() < settings.min_items {
        let administered: Vec<usize> = answered.iter().map(|a| a.0).collect();
        let verdict = decide(&pool, &answered, &settings);
        assert!(!verdict.stopped && verdict.decision == Decision::Undecided);
        let next = next_item(&pool, &administered, &WEIGHTS, &settings, &mut selection)
            .unwrap_or_else(|| panic!("the pool ran out"));
        answered.push((next, true));
    }
    let before = decide(&pool, &answered[..settings.min_items - 1], &settings);
    let at_min = decide(&pool, &answered, &settings);
    let upper = ((1.0 - settings.beta) / settings.alpha).ln();
    println!(
        "all correct: LLR {:.2} after 9 (bound {upper:.2}), {:?} after 10",
        before.log_likelihood_ratio, at_min
    );
    // Nine right answers already cross the bound; only the minimum held the decision back.
    assert!(before.log_likelihood_ratio > upper);
    assert_eq!(before.decision, Decision::Undecided);
    assert_eq!(at_min.decision, Decision::Pass);
    assert!(at_min.stopped && at_min.confident && at_min.theta > settings.cut);
}
