//! Spaced repetition on FSRS-6: schedules react to ratings as they should, retrievability follows
//! the forgetting curve, the optimiser learns a simulated learner's memory, and the figures per
//! objective add up on a hand-made example.

use std::collections::BTreeMap;
use std::time::Instant;

use certprep_domain::session::Confidence;
use certprep_learning::memory::{
    ItemMemory, MIN_LONG_TERM_REVIEWS, MemoryModel, Rating, ReviewEvent, optimise, rating_for,
};
use chrono::{DateTime, Duration, Utc};
use fsrs::DEFAULT_PARAMETERS;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 09:00 UTC on day `d` after 2025-01-01.
fn day(d: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_735_689_600 + d * 86_400 + 9 * 3_600, 0)
        .unwrap_or_else(|| panic!("day {d} is out of range"))
}

fn event(item: &str, at: DateTime<Utc>, rating: Rating) -> ReviewEvent {
    ReviewEvent {
        item: item.to_owned(),
        at,
        rating,
    }
}

fn states(model: &MemoryModel, events: &[ReviewEvent]) -> BTreeMap<String, ItemMemory> {
    model
        .item_states(events)
        .unwrap_or_else(|e| panic!("replay failed: {e}"))
}

fn memory_of(model: &MemoryModel, events: &[ReviewEvent], item: &str) -> ItemMemory {
    states(model, events)
        .remove(item)
        .unwrap_or_else(|| panic!("no state for {item}"))
}

fn days_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

#[test]
fn rating_follows_marks_confidence_and_time() {
    let cases = [
        // (points, max, confidence, spent ms, expected ms, rating)
        (0, 1, Some(Confidence::High), 1_000, 60_000, Rating::Again),
        (1, 2, None, 30_000, 60_000, Rating::Again),
        (0, 0, None, 30_000, 60_000, Rating::Again),
        (2, 2, Some(Confidence::Low), 1_000, 60_000, Rating::Hard),
        (
            1,
            1,
            Some(Confidence::Medium),
            200_000,
            60_000,
            Rating::Good,
        ),
        (1, 1, Some(Confidence::High), 200_000, 60_000, Rating::Easy),
        (1, 1, None, 29_999, 60_000, Rating::Easy),
        (1, 1, None, 30_000, 60_000, Rating::Good),
        (1, 1, None, 90_000, 60_000, Rating::Good),
        (1, 1, None, 90_001, 60_000, Rating::Hard),
        (1, 1, None, 0, 60_000, Rating::Good),
        (1, 1, None, 5_000, 0, Rating::Good),
        (1, 1, None, u64::MAX, u64::MAX, Rating::Good),
    ];
    for (points, max, confidence, spent, expected, rating) in cases {
        assert_eq!(
            rating_for(points, max, confidence, spent, expected),
            rating,
            "{points}/{max}, {confidence:?}, {spent} ms of {expected} ms"
        );
    }
    assert_eq!(
        [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy].map(Rating::value),
        [1, 2, 3, 4]
    );
}

#[test]
fn again_brings_an_item_back_sooner_and_easy_later_than_good() {
    let model = MemoryModel::default();
    let history = [
        event("q", day(0), Rating::Good),
        event("q", day(3), Rating::Good),
    ];
    let after = |rating| {
        let mut events = history.to_vec();
        events.push(event("q", day(10), rating));
        memory_of(&model, &events, "q")
    };
    let (again, hard, good, easy) = (
        after(Rating::Again),
        after(Rating::Hard),
        after(Rating::Good),
        after(Rating::Easy),
    );
    for (name, m) in [
        ("again", &again),
        ("hard", &hard),
        ("good", &good),
        ("easy", &easy),
    ] {
        println!(
            "{name}: stability {:.2} d, difficulty {:.2}, due in {:.2} d, lapses {}",
            m.stability,
            m.difficulty,
            days_between(m.last_review, m.due),
            m.lapses
        );
    }
    assert!(again.due < hard.due && hard.due < good.due && good.due < easy.due);
    assert!(
        again.due <= day(11),
        "a forgotten item comes back within a day"
    );
    assert!(good.due >= day(11), "a success waits at least a day");
    assert_eq!((again.lapses, good.lapses), (1, 0));
    assert_eq!(good.reviews, 3);
    assert_eq!(good.last_review, day(10));
    assert!(again.stability < good.stability && good.stability < easy.stability);
    assert!(again.difficulty > good.difficulty && good.difficulty > easy.difficulty);
}

#[test]
fn first_review_takes_the_crates_initial_stability() {
    let model = MemoryModel::default();
    for (rating, stability) in [
        (Rating::Again, DEFAULT_PARAMETERS[0]),
        (Rating::Good, DEFAULT_PARAMETERS[2]),
        (Rating::Easy, DEFAULT_PARAMETERS[3]),
    ] {
        let m = memory_of(&model, &[event("q", day(0), rating)], "q");
        println!(
            "{rating:?}: stability {:.4}, due in {:.3} d",
            m.stability,
            days_between(m.last_review, m.due)
        );
        assert!((m.stability - f64::from(stability)).abs() < 1e-6);
        assert_eq!(m.lapses, 0, "an Again on first sight is not a lapse");
    }
}

#[test]
fn retrievability_falls_with_time_and_meets_the_desired_retention_when_due() {
    let model = MemoryModel::default();
    let events = [
        event("q", day(0), Rating::Good),
        event("q", day(3), Rating::Good),
        event("q", day(12), Rating::Good),
    ];
    let m = memory_of(&model, &events, "q");
    let interval = days_between(m.last_review, m.due);
    let curve: Vec<f64> = [0.0, 1.0, 5.0, 10.0, 30.0, 100.0, 365.0]
        .iter()
        .map(|d| model.retrievability(&m, m.last_review + Duration::seconds((d * 86_400.0) as i64)))
        .collect();
    let at_due = model.retrievability(&m, m.due);
    println!(
        "stability {:.2} d, interval {interval} d, R at 0/1/5/10/30/100/365 d {curve:.4?}, R at due {at_due:.4}",
        m.stability
    );
    assert!((curve[0] - 1.0).abs() < 1e-6, "recalled at the review");
    assert!(curve.windows(2).all(|w| w[1] < w[0]), "falls with time");
    // Due dates are rounded to whole days; over an interval of weeks that moves R by < 0.01.
    assert!(interval >= 14.0, "three Goods give weeks, not days");
    assert!(
        (at_due - 0.9).abs() < 0.01,
        "R at due {at_due} is the desired 0.9 within 0.01"
    );
    assert_eq!(
        model.retrievability(&m, m.last_review - Duration::days(3)),
        curve[0],
        "before the last review R is that review's"
    );

    let relaxed = MemoryModel::default()
        .with_desired_retention(0.8)
        .unwrap_or_else(|e| panic!("{e}"));
    let m80 = memory_of(&relaxed, &events, "q");
    let at_due80 = relaxed.retrievability(&m80, m80.due);
    println!(
        "retention 0.8: interval {} d, R at due {at_due80:.4}",
        days_between(m80.last_review, m80.due)
    );
    assert!(m80.due > m.due);
    assert!((at_due80 - 0.8).abs() < 0.01);
    assert!(MemoryModel::default().with_desired_retention(1.0).is_err());
    assert!(MemoryModel::default().with_desired_retention(0.0).is_err());
}

#[test]
fn due_queue_holds_due_items_most_forgotten_first() {
    let model = MemoryModel::default();
    let events = [
        event("recent", day(0), Rating::Good),
        event("old", day(0), Rating::Again),
        event("easy", day(0), Rating::Easy),
        event("middle", day(0), Rating::Hard),
    ];
    let states = states(&model, &events);
    let now = day(4);
    let queue = model.due(&states, now);
    for d in &queue {
        println!("{}: due {}, R {:.4}", d.item, d.due, d.retrievability);
    }
    let names: Vec<&str> = queue.iter().map(|d| d.item.as_str()).collect();
    assert_eq!(names, ["old", "middle", "recent"], "easy is not due yet");
    assert!(
        queue
            .windows(2)
            .all(|w| w[0].retrievability <= w[1].retrievability)
    );
    assert!(model.due(&states, day(0)).is_empty());
}

#[test]
fn objective_projection_on_a_hand_made_example() {
    let model = MemoryModel::default();
    // `a` (Good) has stability w2 and `b` (Easy) stability w3, both from one review at day 0.
    let events = [
        event("a", day(0), Rating::Good),
        event("b", day(0), Rating::Easy),
    ];
    let states = states(&model, &events);
    let exam = day(0) + Duration::seconds((f64::from(DEFAULT_PARAMETERS[2]) * 86_400.0) as i64);
    let objectives: BTreeMap<String, Vec<String>> = [
        ("1.0 networking", vec!["a", "b", "c", "a"]),
        ("2.0 security", vec!["d"]),
        ("3.0 empty", vec![]),
    ]
    .into_iter()
    .map(|(o, items)| (o.to_owned(), items.into_iter().map(str::to_owned).collect()))
    .collect();
    let projection = model.project(&states, &objectives, exam);
    for p in &projection {
        println!("{p:?}");
    }

    // Oracle: the FSRS-6 power curve, written out: R(t) = (1 + f·t/S)^-decay with 0.9 at t = S.
    let decay = f64::from(DEFAULT_PARAMETERS[20]);
    let factor = 0.9f64.powf(-1.0 / decay) - 1.0;
    let t = f64::from(DEFAULT_PARAMETERS[2]);
    let r_a = 0.9;
    let r_b = (1.0 + factor * t / f64::from(DEFAULT_PARAMETERS[3])).powf(-decay);
    println!("oracle: R(a) {r_a:.4}, R(b) {r_b:.4}");

    assert_eq!(projection.len(), 3);
    let net = &projection[0];
    assert_eq!(
        (net.objective.as_str(), net.items, net.studied),
        ("1.0 networking", 3, 2)
    );
    let mean = net.mean_retrievability.unwrap_or(f64::NAN);
    assert!((mean - (r_a + r_b) / 2.0).abs() < 1e-4, "mean {mean}");
    assert!((net.expected_recall - (r_a + r_b) / 3.0).abs() < 1e-4);
    let sec = &projection[1];
    assert_eq!(
        (sec.items, sec.studied, sec.mean_retrievability),
        (1, 0, None)
    );
    assert_eq!(sec.expected_recall, 0.0);
    let empty = &projection[2];
    assert_eq!((empty.items, empty.expected_recall), (0, 0.0));
}

/// A learner whose memory is not FSRS's: exponential forgetting (R = 0.9^(t/S)), a short first
/// stability, and slow growth. The app schedules them with the default model; each review comes
/// on the due date or up to two days late.
fn simulated_log(items: usize, days: i64, seed: u64) -> Vec<ReviewEvent> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let scheduler = MemoryModel::default();
    let end = day(days);
    let mut log = Vec::new();
    for i in 0..items {
        let name = format!("item-{i:03}");
        let mut at =
            day(rng.random_range(0..days / 2)) + Duration::minutes(rng.random_range(0..600));
        let mut history: Vec<ReviewEvent> = Vec::new();
        let mut true_stability: Option<f64> = None;
        while at < end {
            let recall = match (true_stability, history.last()) {
                (Some(s), Some(last)) => 0.9f64.powf(days_between(last.at, at) / s),
                _ => 0.35,
            };
            let rating = if rng.random::<f64>() < recall {
                match rng.random_range(0..10) {
                    0 | 1 => Rating::Hard,
                    2 => Rating::Easy,
                    _ => Rating::Good,
                }
            } else {
                Rating::Again
            };
            true_stability = Some(match (true_stability, rating) {
                (None, _) => 0.8,
                (Some(s), Rating::Again) => (s * 0.4).max(0.5),
                (Some(s), _) => s * 2.2,
            });
            history.push(event(&name, at, rating));
            let due = memory_of(&scheduler, &history, &name).due;
            at = due
                + Duration::days(rng.random_range(0..=2))
                + Duration::minutes(rng.random_range(0..180));
        }
        log.extend(history);
    }
    log
}

/// Each review that has history, with the retrievability the model predicted for it from the
/// reviews before it, and whether it was recalled.
fn predictions(model: &MemoryModel, log: &[ReviewEvent]) -> Vec<(f64, bool)> {
    let mut by_item: BTreeMap<&str, Vec<ReviewEvent>> = BTreeMap::new();
    for e in log {
        by_item.entry(&e.item).or_default().push(e.clone());
    }
    let mut out = Vec::new();
    for (item, mut events) in by_item {
        events.sort_by_key(|e| e.at);
        for k in 1..events.len() {
            let before = memory_of(model, &events[..k], item);
            let predicted = model.retrievability(&before, events[k].at);
            out.push((predicted, events[k].rating != Rating::Again));
        }
    }
    out
}

/// (Mean log loss, mean predicted recall) over the reviews that have history.
fn fit(model: &MemoryModel, log: &[ReviewEvent]) -> (f64, f64) {
    let predictions = predictions(model, log);
    let n = predictions.len() as f64;
    let loss = predictions
        .iter()
        .map(|&(p, recalled)| {
            let p = p.clamp(1e-6, 1.0 - 1e-6);
            -(if recalled { p.ln() } else { (1.0 - p).ln() })
        })
        .sum::<f64>()
        / n;
    let mean = predictions.iter().map(|&(p, _)| p).sum::<f64>() / n;
    (loss, mean)
}

fn observed_recall(log: &[ReviewEvent]) -> f64 {
    let predictions = predictions(&MemoryModel::default(), log);
    predictions
        .iter()
        .filter(|&&(_, recalled)| recalled)
        .count() as f64
        / predictions.len() as f64
}

#[test]
fn replay_does_not_depend_on_the_order_of_the_log() {
    let log = simulated_log(60, 60, 7);
    let model = MemoryModel::default();
    let sorted = states(&model, &log);
    let mut shuffled = log.clone();
    shuffled.shuffle(&mut ChaCha8Rng::seed_from_u64(11));
    shuffled.reverse();
    let from_shuffled = states(&model, &shuffled);
    println!("{} events, {} items", log.len(), sorted.len());
    assert_eq!(sorted.len(), 60);
    assert_eq!(sorted, from_shuffled);
    let reviews: u32 = sorted.values().map(|m| m.reviews).sum();
    assert_eq!(reviews as usize, log.len());
}

#[test]
fn optimiser_waits_for_enough_data_and_survives_odd_logs() {
    let too_little: Vec<ReviewEvent> = (0..20)
        .flat_map(|i| {
            let item = format!("q{i}");
            [
                event(&item, day(0), Rating::Good),
                event(&item, day(2), Rating::Good),
            ]
        })
        .collect();
    let same_day_only: Vec<ReviewEvent> = (0..200)
        .flat_map(|i| {
            let item = format!("q{i}");
            [
                event(&item, day(0), Rating::Again),
                event(&item, day(0) + Duration::hours(1), Rating::Good),
            ]
        })
        .collect();
    let all_again: Vec<ReviewEvent> = (0..100)
        .flat_map(|i| {
            let item = format!("q{i}");
            (0..5).map(move |d| event(&item, day(d), Rating::Again))
        })
        .collect();
    let one_item: Vec<ReviewEvent> = (0..100).map(|d| event("q", day(d), Rating::Good)).collect();

    for (name, log, must_be_none) in [
        ("empty", Vec::new(), true),
        ("20 items, 1 long-term review each", too_little, true),
        ("same-day reviews only", same_day_only, true),
        ("all Again, 400 long-term reviews", all_again, false),
        ("one item, 99 long-term reviews", one_item, false),
    ] {
        let result = optimise(&log);
        println!("{name}: {result:?}");
        let result = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        if must_be_none {
            assert!(
                result.is_none(),
                "{name}: below {MIN_LONG_TERM_REVIEWS} long-term reviews"
            );
        }
        if let Some(parameters) = result {
            assert_eq!(parameters.len(), 21);
            assert!(parameters.iter().all(|p| p.is_finite()));
            assert!(MemoryModel::with_parameters(&parameters).is_ok());
        }
    }
    assert!(MemoryModel::with_parameters(&[1.0; 5]).is_err());
    assert!(MemoryModel::with_parameters(&[f32::NAN; 21]).is_err());
    assert!(!MemoryModel::default().is_optimised());
}

#[test]
fn optimiser_fits_a_simulated_learner_better_than_the_defaults() {
    let log = simulated_log(400, 120, 2025);
    let recalled = log.iter().filter(|e| e.rating != Rating::Again).count();
    println!(
        "{} events over 120 days, recall rate {:.3}",
        log.len(),
        recalled as f64 / log.len() as f64
    );

    let default_model = MemoryModel::default();
    let started = Instant::now();
    let default_states = states(&default_model, &log);
    println!(
        "replay of {} events ({} items): {:?}",
        log.len(),
        default_states.len(),
        started.elapsed()
    );

    let started = Instant::now();
    let parameters = optimise(&log)
        .unwrap_or_else(|e| panic!("optimisation failed: {e}"))
        .unwrap_or_else(|| panic!("enough data to optimise"));
    println!("optimisation: {:?}", started.elapsed());
    println!("defaults:  {:.3?}", DEFAULT_PARAMETERS);
    println!("optimised: {parameters:.3?}");
    let largest_change = parameters
        .iter()
        .zip(DEFAULT_PARAMETERS)
        .map(|(p, d)| (p - d).abs())
        .fold(0.0f32, f32::max);
    println!("largest change of a parameter: {largest_change:.3}");
    assert!(largest_change > 0.1, "the parameters moved");

    let optimised = MemoryModel::with_parameters(&parameters).unwrap_or_else(|e| panic!("{e}"));
    assert!(optimised.is_optimised());
    let optimised_states = states(&optimised, &log);
    let moved = default_states
        .iter()
        .filter(|(item, m)| optimised_states.get(*item).is_some_and(|o| o.due != m.due))
        .count();
    let earlier = default_states
        .iter()
        .filter(|(item, m)| optimised_states.get(*item).is_some_and(|o| o.due < m.due))
        .count();
    println!(
        "due date changed for {moved} of {} items ({earlier} earlier)",
        default_states.len()
    );

    let (default_loss, default_mean) = fit(&default_model, &log);
    let (optimised_loss, optimised_mean) = fit(&optimised, &log);
    let observed = observed_recall(&log);
    println!(
        "recall at reviews with history: observed {observed:.3}; predicted mean {default_mean:.3} by defaults, {optimised_mean:.3} optimised; log loss {default_loss:.4} by defaults, {optimised_loss:.4} optimised"
    );
    assert!(moved > 0, "the optimised parameters change the schedule");
    assert!(
        optimised_loss < default_loss - 0.01,
        "the optimised model predicts this learner's recall better"
    );
    // The optimiser minimises (recency-weighted, regularised) log loss with a power forgetting
    // curve, and this learner forgets exponentially, so the mean is only roughly right.
    assert!(
        (optimised_mean - observed).abs() < 0.05,
        "mean prediction within 0.05 of the observed recall rate"
    );
}
