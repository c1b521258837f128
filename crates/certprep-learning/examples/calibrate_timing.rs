//! Times the calibration on the three benchmark shapes and prints seconds, iterations, the
//! log-likelihood and recovery against the simulated truth.
//!
//! `cargo run --release -p certprep-learning --example calibrate_timing [a|b|c ...]`
//! (default: c, the sparse 100,000 × 600 case with 60 answered each). `THREADS=n` sets the
//! E-step's threads (default: all cores), `POINTS=n` the quadrature points,
//! `MODEL=3pl` fits the 3PL (to these 2PL data the Beta prior holds c near 0.2, so a and b shift).

use std::time::Instant;

use certprep_learning::irt::{CalibrationOptions, Model, calibrate};
use certprep_learning::simulate::{correlation, rmse, simulate};

fn run(name: &str, persons: usize, items: usize, per_person: Option<usize>, seed: u64) {
    let sim = simulate(persons, items, per_person, seed);
    let mut options = CalibrationOptions::for_items(items);
    // THREADS=1 measures one core; unset uses all.
    options.threads = std::env::var("THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    if std::env::var("MODEL").is_ok_and(|m| m == "3pl") {
        options.model = Model::ThreePl;
    }
    if let Some(points) = std::env::var("POINTS").ok().and_then(|t| t.parse().ok()) {
        options.quadrature_points = points;
    }
    let start = Instant::now();
    let fit = calibrate(&sim.responses, &options);
    let seconds = start.elapsed().as_secs_f64();
    let a: Vec<f64> = fit.items.iter().map(|i| i.a).collect();
    let b: Vec<f64> = fit.items.iter().map(|i| i.b).collect();
    let true_a: Vec<f64> = sim.items.iter().map(|i| i.a).collect();
    let true_b: Vec<f64> = sim.items.iter().map(|i| i.b).collect();
    println!(
        "case {name} ({persons} x {items}, {} observations): {seconds:.2} s, {} iterations, \
         converged {}, log-likelihood {:.1}, {} accelerated; a rmse {:.3} r {:.3}; b rmse {:.3} r {:.3}",
        sim.responses.len(),
        fit.iterations,
        fit.converged,
        fit.log_likelihood,
        fit.accelerated,
        rmse(&a, &true_a),
        correlation(&a, &true_a),
        rmse(&b, &true_b),
        correlation(&b, &true_b),
    );
}

fn main() {
    let mut cases: Vec<String> = std::env::args().skip(1).collect();
    if cases.is_empty() {
        cases.push("c".to_owned());
    }
    for case in cases {
        match case.as_str() {
            "a" => run("a", 2_000, 40, None, 11),
            "b" => run("b", 20_000, 200, None, 12),
            "c" => run("c", 100_000, 600, Some(60), 13),
            other => eprintln!("unknown case {other}: use a, b or c"),
        }
    }
}
