//! Item analysis: hand-computed figures, KR-20 against an independent formula, the mapping from
//! domain items and answers, and a seeded simulation in which planted faults are found.

use std::collections::BTreeMap;

use certprep_domain::item::{Choice, Slot, Statement};
use certprep_domain::{Answer, Item, ItemBody};
use certprep_learning::analysis::{
    Attempt, BankHealth, Flag, ItemHealth, ItemKey, MIN_RESPONDENTS, OptionKey, analyse,
    chosen_labels, cronbach_alpha, keys_of,
};
use certprep_learning::irt::logistic;
use certprep_learning::simulate::normal;
use chrono::NaiveDate;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOLERANCE: f64 = 1e-9;

fn attempt(person: &str, item: &str, points: u32, max_points: u32, chosen: &[&str]) -> Attempt {
    Attempt {
        person: person.to_string(),
        item: item.to_string(),
        form: None,
        points,
        max_points,
        chosen: chosen.iter().map(|c| c.to_string()).collect(),
    }
}

fn key(item: &str, correct: &str, labels: &str) -> ItemKey {
    ItemKey {
        item: item.to_string(),
        options: labels
            .chars()
            .map(|l| OptionKey {
                label: l.to_string(),
                correct: correct.contains(l),
            })
            .collect(),
    }
}

fn health<'a>(bank: &'a BankHealth, item: &str) -> &'a ItemHealth {
    bank.items
        .iter()
        .find(|h| h.item == item)
        .unwrap_or_else(|| panic!("no analysis of {item}"))
}

fn close(x: Option<f64>, expected: f64) -> bool {
    x.is_some_and(|x| (x - expected).abs() < TOLERANCE)
}

/// Ten persons answer item X (single choice, key B) and item W (ten points, say a yes/no grid).
/// W's points are 1…10 for P1…P10, so X's criterion (the rest score: W's share) is
/// 0.1, 0.2, …, 1.0. X is right for P2, P5, P7, P8, P9, P10; P1 and P3 pick A, P4 and P6 pick C,
/// nobody picks D.
fn hand_example() -> Vec<Attempt> {
    let x_right = [
        false, true, false, false, true, false, true, true, true, true,
    ];
    let x_choice = ["A", "B", "A", "C", "B", "C", "B", "B", "B", "B"];
    let mut attempts = Vec::new();
    for p in 0..10 {
        let person = format!("P{}", p + 1);
        attempts.push(attempt(
            &person,
            "X",
            u32::from(x_right[p]),
            1,
            &[x_choice[p]],
        ));
        attempts.push(attempt(&person, "W", p as u32 + 1, 10, &[]));
    }
    attempts
}

#[test]
fn hand_computed_facility_discrimination_and_point_biserial() {
    let bank = analyse(&hand_example(), &[key("X", "B", "ABCD")]);
    let x = health(&bank, "X");
    let w = health(&bank, "W");
    println!(
        "X: facility {} D {:?} r_pb {:?}; W: facility {} D {:?} r_pb {:?}",
        x.facility,
        x.discrimination_index,
        x.point_biserial,
        w.facility,
        w.discrimination_index,
        w.point_biserial
    );
    // X: facility 6/10. Groups are round(0.27 · 10) = 3 people: lower P1–P3 (X right: P2 only,
    // 1/3), upper P8–P10 (all right, 1): D = 1 − 1/3 = 2/3.
    assert!((x.facility - 0.6).abs() < TOLERANCE);
    assert!(close(x.discrimination_index, 2.0 / 3.0));
    // Point-biserial = (M₁ − M₀)/s · √(pq): M₁ = (.2+.5+.7+.8+.9+1)/6 = 4.1/6, M₀ = 1.4/4,
    // M₁ − M₀ = 1/3; s² = 0.01 · var(1…10) = 0.01 · 99/12 = 33/400; pq = 0.24 = 6/25;
    // r = (1/3) · √((6/25)·(400/33)) = √(32/11)/3 ≈ 0.568535.
    assert!(close(x.point_biserial, (32.0_f64 / 11.0).sqrt() / 3.0));
    // W's criterion is X (0 or 1): four tied at 0 share the lower group's 3 places (weight 3/4
    // each), six tied at 1 share the upper group's (weight 1/2 each). Lower facility =
    // (.1+.3+.4+.6)/4 = 0.35, upper = 4.1/6: D = 1/3. Full credit on W is P10 only: r = cov/(sx·sy)
    // = (0.1 − 0.6·0.1)/√(0.24·0.09) = √(2/27) ≈ 0.272166.
    assert!((w.facility - 0.55).abs() < TOLERANCE);
    assert!(close(w.discrimination_index, 1.0 / 3.0));
    assert!(close(w.point_biserial, (2.0_f64 / 27.0).sqrt()));

    // Distractors of X: (label, chosen, upper, lower, mean criterion of choosers).
    let expected = [
        ("A", 0.2, 0.0, 2.0 / 3.0, Some(0.2)),
        ("B", 0.6, 1.0, 1.0 / 3.0, Some(4.1 / 6.0)),
        ("C", 0.2, 0.0, 0.0, Some(0.5)),
        ("D", 0.0, 0.0, 0.0, None),
    ];
    assert_eq!(x.distractors.len(), 4);
    for (d, (label, chosen, upper, lower, mean)) in x.distractors.iter().zip(expected) {
        println!("{d:?}");
        assert_eq!(d.label, label);
        assert_eq!(d.correct, label == "B");
        assert!((d.chosen_share - chosen).abs() < TOLERANCE, "{label}");
        assert!(close(d.upper_share, upper), "{label}");
        assert!(close(d.lower_share, lower), "{label}");
        match mean {
            Some(m) => assert!(close(d.mean_criterion_of_choosers, m), "{label}"),
            None => assert_eq!(d.mean_criterion_of_choosers, None),
        }
    }
    assert!(w.distractors.is_empty(), "no key, no options");

    // Ten respondents are fewer than MIN_RESPONDENTS: figures, but no flags (D is unused).
    assert!(x.insufficient_data && x.flags.is_empty());
    println!("{}", x.summary());
    assert!(x.summary().starts_with("too few responses (10 of the 20"));
    assert_eq!(
        (bank.respondents, bank.attempts, bank.repeats_ignored),
        (10, 20, 0)
    );
}

#[test]
fn results_do_not_depend_on_the_order_of_people() {
    let attempts = hand_example();
    let mut reversed = attempts.clone();
    reversed.reverse();
    let keys = [key("X", "B", "ABCD")];
    let (forward, backward) = (analyse(&attempts, &keys), analyse(&reversed, &keys));
    for item in ["X", "W"] {
        let (f, b) = (health(&forward, item), health(&backward, item));
        println!(
            "{item}: D {:?} / {:?}",
            f.discrimination_index, b.discrimination_index
        );
        assert!(close(
            b.discrimination_index,
            f.discrimination_index.unwrap_or(f64::NAN)
        ));
        assert!(close(
            b.point_biserial,
            f.point_biserial.unwrap_or(f64::NAN)
        ));
    }
}

#[test]
fn only_first_attempts_count() {
    let mut attempts = hand_example();
    // Everyone comes back to X and now remembers the key.
    for p in 1..=10 {
        attempts.push(attempt(&format!("P{p}"), "X", 1, 1, &["B"]));
    }
    let bank = analyse(&attempts, &[]);
    let x = health(&bank, "X");
    println!("facility with repeats given: {}", x.facility);
    assert!((x.facility - 0.6).abs() < TOLERANCE);
    assert_eq!(x.respondents, 10);
    assert_eq!((bank.attempts, bank.repeats_ignored), (30, 10));
}

#[test]
fn twenty_respondents_raise_flags_and_nobody_picking_is_said() {
    // The hand example twice over: 20 people, option D still never picked.
    let mut attempts = hand_example();
    for mut a in hand_example() {
        a.person.push('b');
        attempts.push(a);
    }
    let bank = analyse(&attempts, &[key("X", "B", "ABCD")]);
    let x = health(&bank, "X");
    let messages: Vec<String> = x.flags.iter().map(Flag::message).collect();
    println!("{messages:?}");
    assert!(!x.insufficient_data);
    assert_eq!(
        x.flags,
        vec![Flag::UnusedDistractor {
            label: "D".to_string(),
            chosen: 0,
            respondents: 20,
        }]
    );
    assert!(messages[0].starts_with("nobody of 20 respondents picked wrong option D"));
    assert_eq!(bank.items[0].item, "X", "flagged items first");
}

/// Persons × items 0/1 matrix with hand-known KR-20: p = 4/6, 4/6, 3/6, 1/6, so Σpq = 30/36;
/// totals 4, 3, 2, 2, 1, 0 have mean 2 and variance 10/6; KR-20 = 4/3 · (1 − (30/36)/(10/6))
/// = 4/3 · 1/2 = 2/3.
const KNOWN: [[u32; 4]; 6] = [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 1, 0, 0],
    [0, 0, 0, 0],
];

/// KR-20 written from raw sums, independently of the library's variance code:
/// var(X) = (ΣX² − (ΣX)²/N)/N.
fn kr20_independent(matrix: &[Vec<u32>]) -> f64 {
    let n = matrix.len() as f64;
    let k = matrix[0].len();
    let totals: Vec<f64> = matrix
        .iter()
        .map(|r| r.iter().sum::<u32>() as f64)
        .collect();
    let sum: f64 = totals.iter().sum();
    let sum_sq: f64 = totals.iter().map(|t| t * t).sum();
    let variance = (sum_sq - sum * sum / n) / n;
    let pq: f64 = (0..k)
        .map(|i| {
            let p = matrix.iter().filter(|r| r[i] == 1).count() as f64 / n;
            p * (1.0 - p)
        })
        .sum();
    k as f64 / (k as f64 - 1.0) * (1.0 - pq / variance)
}

fn form_attempts(form: &str, matrix: &[Vec<u32>], max_points: &[u32]) -> Vec<Attempt> {
    let mut attempts = Vec::new();
    for (p, row) in matrix.iter().enumerate() {
        for (i, points) in row.iter().enumerate() {
            let mut a = attempt(
                &format!("P{p}"),
                &format!("I{i}"),
                *points,
                max_points[i],
                &[],
            );
            a.form = Some(form.to_string());
            attempts.push(a);
        }
    }
    attempts
}

#[test]
fn kr20_on_a_known_matrix() {
    let matrix: Vec<Vec<u32>> = KNOWN.iter().map(|r| r.to_vec()).collect();
    let independent = kr20_independent(&matrix);
    let mut attempts = form_attempts("F1", &matrix, &[1; 4]);
    // An abandoned sitting (two of four items) is left out of the form.
    for i in 0..2 {
        let mut a = attempt("late", &format!("I{i}"), 1, 1, &[]);
        a.form = Some("F1".to_string());
        attempts.push(a);
    }
    let bank = analyse(&attempts, &[]);
    println!("{:?}; independent KR-20 {independent}", bank.forms);
    assert!((independent - 2.0 / 3.0).abs() < TOLERANCE);
    assert_eq!(bank.forms.len(), 1);
    let form = &bank.forms[0];
    assert_eq!(
        (form.form.as_str(), form.candidates, form.items),
        ("F1", 6, 4)
    );
    assert!(close(form.kr20, independent));
    assert!(
        close(form.alpha, independent),
        "alpha on 0/1 items is KR-20"
    );
}

#[test]
fn alpha_on_shares_of_points() {
    // Item I0 is worth 4 points, I1 and I2 one each: alpha works on shares (points / max).
    let matrix = vec![
        vec![4, 1, 1],
        vec![3, 1, 0],
        vec![2, 0, 1],
        vec![1, 0, 0],
        vec![0, 0, 0],
        vec![4, 1, 0],
    ];
    let bank = analyse(&form_attempts("F", &matrix, &[4, 1, 1]), &[]);
    // Independent: alpha = k/(k−1) · (1 − Σ s²ᵢ / s²ₜ) with sample (n−1) variances, which cancel
    // to the same value as population variances.
    let shares: Vec<Vec<f64>> = matrix
        .iter()
        .map(|r| vec![r[0] as f64 / 4.0, r[1] as f64, r[2] as f64])
        .collect();
    let sample_variance = |v: Vec<f64>| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)
    };
    let items: f64 = (0..3)
        .map(|i| sample_variance(shares.iter().map(|r| r[i]).collect()))
        .sum();
    let total = sample_variance(shares.iter().map(|r| r.iter().sum()).collect());
    let expected = 1.5 * (1.0 - items / total);
    // KR-20 on full credit: I0 full only for the two 4s.
    let full: Vec<Vec<u32>> = matrix
        .iter()
        .map(|r| vec![u32::from(r[0] == 4), r[1], r[2]])
        .collect();
    println!("{:?}; expected alpha {expected}", bank.forms);
    assert!(close(bank.forms[0].alpha, expected));
    assert!(close(bank.forms[0].kr20, kr20_independent(&full)));
    assert!(close(cronbach_alpha(&shares), expected));
}

#[test]
fn reliability_needs_variance_and_enough_candidates() {
    // Everyone scores 2 of 3: no variance in totals, so no reliability (None, not NaN).
    let flat: Vec<Vec<u32>> = (0..5)
        .map(|p| (0..3).map(|i| u32::from(i != p % 3)).collect())
        .collect();
    let few: Vec<Vec<u32>> = KNOWN[..4].iter().map(|r| r.to_vec()).collect();
    let single_item: Vec<Vec<u32>> = KNOWN.iter().map(|r| vec![r[0]]).collect();
    let mut attempts = form_attempts("flat", &flat, &[1; 3]);
    attempts.extend(form_attempts("few", &few, &[1; 4]));
    attempts.extend(form_attempts("single", &single_item, &[1]));
    let bank = analyse(&attempts, &[]);
    println!("{:?}", bank.forms);
    assert_eq!(bank.forms.len(), 1, "4 candidates and 1 item are too few");
    assert_eq!(
        (bank.forms[0].form.as_str(), bank.forms[0].candidates),
        ("flat", 5)
    );
    assert_eq!((bank.forms[0].kr20, bank.forms[0].alpha), (None, None));
}

fn choice(label: char, correct: bool) -> Choice {
    Choice {
        label,
        text: String::new(),
        correct,
        note: String::new(),
    }
}

fn item(id: &str, body: ItemBody) -> Item {
    Item {
        id: id.to_string(),
        version: 1,
        stem: String::new(),
        body,
        explanation: String::new(),
        references: Vec::new(),
        objectives: BTreeMap::new(),
        difficulty: 3,
        tags: Vec::new(),
        reviewed: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
        shuffle: false,
        group: None,
    }
}

#[test]
fn keys_and_chosen_labels_from_domain_items() {
    let single = item(
        "s",
        ItemBody::Single {
            options: vec![choice('A', false), choice('B', true), choice('C', false)],
        },
    );
    let multiple = item(
        "m",
        ItemBody::Multiple {
            choose: 2,
            options: vec![choice('A', true), choice('B', false), choice('C', true)],
        },
    );
    let dropdown = item(
        "d",
        ItemBody::Dropdown {
            slots: vec![
                Slot {
                    number: 1,
                    choices: vec![choice('A', true), choice('B', false)],
                },
                Slot {
                    number: 2,
                    choices: vec![choice('A', false), choice('B', true)],
                },
            ],
        },
    );
    let solution = item(
        "y",
        ItemBody::Solution {
            statement: Statement {
                text: String::new(),
                answer: true,
                note: String::new(),
            },
        },
    );
    let labels = |k: ItemKey| -> Vec<(String, bool)> {
        k.options
            .into_iter()
            .map(|o| (o.label, o.correct))
            .collect()
    };
    let owned = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(l, c)| (l.to_string(), *c)).collect()
    };
    assert_eq!(
        labels(keys_of(&single)),
        owned(&[("A", false), ("B", true), ("C", false)])
    );
    assert_eq!(
        labels(keys_of(&dropdown)),
        owned(&[("1:A", true), ("1:B", false), ("2:A", false), ("2:B", true)])
    );
    assert!(keys_of(&solution).options.is_empty());
    assert_eq!(keys_of(&multiple).item, "m");

    assert_eq!(chosen_labels(&single, &Answer::Choice('b')), vec!["B"]);
    assert_eq!(
        chosen_labels(
            &multiple,
            &Answer::Labels(vec![Some('C'), Some('a'), Some('C'), None])
        ),
        vec!["C", "A"]
    );
    assert_eq!(
        chosen_labels(&dropdown, &Answer::Labels(vec![None, Some('B')])),
        vec!["2:B"]
    );
    assert!(chosen_labels(&solution, &Answer::Bool(true)).is_empty());
}

/// A simulated bank of four-option single-choice items. Each person (θ ~ N(0, 1)) knows the
/// answer with the 2PL probability and otherwise picks among the options by their
/// attractiveness (the right one included, so low-ability candidates guess). Well-behaved items
/// have a ~ lognormal(0, 0.3), b ~ U(−1, 1.2) and attractions U(0.7, 1.3), so that each wrong
/// option is expected to draw at least about 4% of respondents (twice the unused threshold) and
/// facility stays between the too-hard and too-easy thresholds.
struct SimItem {
    a: f64,
    b: f64,
    /// The option that is truly right.
    truth: usize,
    /// The option the bank keys as right (differs from `truth` for a miskeyed item).
    keyed: usize,
    /// How attractive each option is to someone who does not know the answer.
    attraction: [f64; 4],
}

const LABELS: [&str; 4] = ["A", "B", "C", "D"];
const MISKEYED: usize = 0;
const DEAD_DISTRACTOR: usize = 1;
const TOO_EASY: usize = 2;
const PLANTED: usize = 3;

fn sim_items(count: usize, rng: &mut ChaCha8Rng) -> Vec<SimItem> {
    (0..count)
        .map(|i| {
            let truth = i % 4;
            let mut attraction = [0.0; 4];
            for a in &mut attraction {
                *a = rng.random_range(0.7..1.3);
            }
            let mut item = SimItem {
                a: (0.3 * normal(rng)).exp(),
                b: rng.random_range(-1.0..1.2),
                truth,
                keyed: truth,
                attraction,
            };
            match i {
                // Option C is right, but the bank says B.
                MISKEYED => (item.truth, item.keyed, item.a, item.b) = (2, 1, 1.2, 0.0),
                // Option D attracts nobody (the item's key is B).
                DEAD_DISTRACTOR => item.attraction[3] = 0.0,
                TOO_EASY => (item.a, item.b) = (1.5, -4.0),
                _ => {}
            }
            item
        })
        .collect()
}

fn pick(item: &SimItem, theta: f64, rng: &mut ChaCha8Rng) -> usize {
    if rng.random::<f64>() < logistic(item.a * (theta - item.b)) {
        return item.truth;
    }
    let total: f64 = item.attraction.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (option, weight) in item.attraction.iter().enumerate() {
        if u < *weight {
            return option;
        }
        u -= weight;
    }
    item.truth
}

struct Simulation {
    attempts: Vec<Attempt>,
    keys: Vec<ItemKey>,
}

/// `persons` practise `per_person` of `items` items each; then `form_takers` others sit one
/// form of ten well-behaved items (3–12) in full.
fn simulate_bank(
    persons: usize,
    items: usize,
    per_person: usize,
    form_takers: usize,
    seed: u64,
) -> Simulation {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let bank = sim_items(items, &mut rng);
    let mut attempts = Vec::new();
    let mut answer =
        |person: &str, i: usize, theta: f64, form: Option<&str>, rng: &mut ChaCha8Rng| {
            let option = pick(&bank[i], theta, rng);
            let right = option == bank[i].keyed;
            let mut a = attempt(
                person,
                &format!("item{i:02}"),
                u32::from(right),
                1,
                &[LABELS[option]],
            );
            a.form = form.map(str::to_string);
            attempts.push(a);
        };
    for p in 0..persons {
        let theta = normal(&mut rng);
        for i in sample(&mut rng, items, per_person).into_vec() {
            answer(&format!("p{p}"), i, theta, None, &mut rng);
        }
    }
    for p in 0..form_takers {
        let theta = normal(&mut rng);
        for i in PLANTED..PLANTED + 10 {
            answer(&format!("f{p}"), i, theta, Some("form-1"), &mut rng);
        }
    }
    let keys = bank
        .iter()
        .enumerate()
        .map(|(i, item)| ItemKey {
            item: format!("item{i:02}"),
            options: (0..4)
                .map(|o| OptionKey {
                    label: LABELS[o].to_string(),
                    correct: o == item.keyed,
                })
                .collect(),
        })
        .collect();
    Simulation { attempts, keys }
}

fn has(h: &ItemHealth, wanted: impl Fn(&Flag) -> bool) -> bool {
    h.flags.iter().any(wanted)
}

/// 600 people practise 20 of 30 items (about 400 respondents per item) and 150 sit a form.
/// The planted faults are found; the 27 well-behaved items carry no flag at all for this seed.
/// Tolerance for false positives: zero here; across the five seeds of
/// `false_positives_are_rare_across_seeds` at most one flagged well-behaved item in 135.
#[test]
fn simulation_finds_planted_faults() {
    let sim = simulate_bank(600, 30, 20, 150, 42);
    let bank = analyse(&sim.attempts, &sim.keys);
    for h in &bank.items {
        println!(
            "{} n={} facility {:.3} D {:.3} r_pb {:.3} | {}",
            h.item,
            h.respondents,
            h.facility,
            h.discrimination_index.unwrap_or(f64::NAN),
            h.point_biserial.unwrap_or(f64::NAN),
            h.summary()
        );
    }
    println!("{:?}", bank.forms);
    assert_eq!(bank.respondents, 750);
    assert_eq!(bank.attempts, 600 * 20 + 150 * 10);

    let miskeyed = health(&bank, "item00");
    assert!(has(miskeyed, |f| matches!(
        f,
        Flag::NegativeDiscrimination { .. }
    )));
    assert!(has(miskeyed, |f| matches!(
        f,
        Flag::StrongCandidatesPickDistractor { label, .. } if label == "C"
    )));
    let dead = health(&bank, "item01");
    assert!(has(dead, |f| *f
        == Flag::UnusedDistractor {
            label: "D".to_string(),
            chosen: 0,
            respondents: dead.respondents,
        }));
    assert!(
        dead.flags.len() == 1,
        "only the dead distractor: {:?}",
        dead.flags
    );
    let easy = health(&bank, "item02");
    assert!(has(
        easy,
        |f| matches!(f, Flag::TooEasy { facility } if *facility > 0.95)
    ));

    let false_positives = well_behaved_flagged(&bank);
    assert!(false_positives.is_empty(), "{false_positives:?}");
    // Flagged items come first.
    assert!(bank.items[..3].iter().all(|h| !h.flags.is_empty()));

    // The form's KR-20 from 150 candidates against the same form's KR-20 in a sitting of 20 000
    // (the same seed draws the same items first): within 0.12, about two standard errors of
    // alpha at n = 150 for a value near 0.5. Alpha equals KR-20 on one-point items.
    let form = &bank.forms[0];
    assert_eq!((form.candidates, form.items), (150, 10));
    let kr20 = form.kr20.unwrap_or(f64::NAN);
    let large = simulate_bank(0, 30, 20, 20_000, 42);
    let population = analyse(&large.attempts, &large.keys).forms[0]
        .kr20
        .unwrap_or(f64::NAN);
    println!("KR-20: 150 candidates {kr20:.4}, 20 000 candidates {population:.4}");
    assert!(
        (kr20 - population).abs() < 0.12,
        "KR-20 {kr20} vs {population}"
    );
    assert!(close(form.alpha, kr20));
}

fn well_behaved_flagged(bank: &BankHealth) -> Vec<(String, Vec<String>)> {
    bank.items
        .iter()
        .filter(|h| h.item.as_str() >= "item03")
        .filter(|h| !h.flags.is_empty())
        .map(|h| (h.item.clone(), h.flags.iter().map(Flag::message).collect()))
        .collect()
}

#[test]
fn false_positives_are_rare_across_seeds() {
    let mut flagged = Vec::new();
    for seed in 1..=5 {
        let sim = simulate_bank(600, 30, 20, 0, seed);
        let bank = analyse(&sim.attempts, &sim.keys);
        assert!(bank.items.iter().all(|h| h.respondents >= MIN_RESPONDENTS));
        let found = well_behaved_flagged(&bank);
        println!("seed {seed}: {found:?}");
        flagged.extend(found);
    }
    assert!(
        flagged.len() <= 1,
        "{} of 135 well-behaved items flagged",
        flagged.len()
    );
}

#[test]
fn dropdown_slots_are_analysed_per_slot_option() {
    let dropdown = item(
        "d",
        ItemBody::Dropdown {
            slots: vec![
                Slot {
                    number: 1,
                    choices: vec![choice('A', true), choice('B', false)],
                },
                Slot {
                    number: 2,
                    choices: vec![choice('A', false), choice('B', true), choice('C', false)],
                },
            ],
        },
    );
    // 20 people: slot 1 always right; slot 2 right for 15, `A` for 5, `C` for nobody.
    let mut attempts = Vec::new();
    for p in 0..20u32 {
        let slot2 = if p < 5 { 'A' } else { 'B' };
        let answer = Answer::Labels(vec![Some('A'), Some(slot2)]);
        let score = certprep_domain::grade(&dropdown.body, &answer);
        let mut a = attempt(&format!("P{p}"), "d", score.points, score.max_points, &[]);
        a.chosen = chosen_labels(&dropdown, &answer);
        attempts.push(a);
        attempts.push(attempt(
            &format!("P{p}"),
            "other",
            u32::from(p >= 5),
            1,
            &[],
        ));
    }
    let bank = analyse(&attempts, &[keys_of(&dropdown)]);
    let d = health(&bank, "d");
    let shares: Vec<(&str, f64)> = d
        .distractors
        .iter()
        .map(|s| (s.label.as_str(), s.chosen_share))
        .collect();
    println!(
        "facility {} shares {shares:?} flags {:?}",
        d.facility, d.flags
    );
    // Facility: 15 people with 2/2 and 5 with 1/2 → (15 + 2.5)/20 = 0.875.
    assert!((d.facility - 0.875).abs() < TOLERANCE);
    assert_eq!(
        shares,
        vec![
            ("1:A", 1.0),
            ("1:B", 0.0),
            ("2:A", 0.25),
            ("2:B", 0.75),
            ("2:C", 0.0)
        ]
    );
    let unused: Vec<&str> = d
        .flags
        .iter()
        .filter_map(|f| match f {
            Flag::UnusedDistractor { label, .. } => Some(label.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(unused, vec!["1:B", "2:C"]);
}
