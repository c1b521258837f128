//! The simulation harness end to end: calibrate a pool from simulated candidates, then assess new
//! candidates with the estimated items and check the pass probability against whether they pass
//! a real form drawn to the blueprint with their true ability; and run the adaptive check
//! against a fixed 50-item form on the same blueprint.

use certprep_learning::harness::{HarnessConfig, run};

#[test]
fn calibrated_readiness_is_honest_on_simulated_candidates() {
    let report = run(&HarnessConfig::default());
    let r = &report.recovery;
    println!(
        "recovery ({} persons x {} items, {} each; {} iterations): a rmse {:.3} r {:.3}; b rmse {:.3} r {:.3}; theta rmse {:.3} r {:.3}",
        report.config.calibration_persons,
        report.config.items,
        report
            .config
            .calibration_per_person
            .unwrap_or(report.config.items),
        r.iterations,
        r.a_rmse,
        r.a_correlation,
        r.b_rmse,
        r.b_correlation,
        r.theta_rmse,
        r.theta_correlation
    );
    let c = &report.readiness;
    println!(
        "readiness ({} candidates, {} answered each): Brier {:.4}, ECE {:.4}, pass rate {:.3}, mean predicted {:.3}, interval coverage {:.3}",
        c.candidates,
        report.config.answered_each,
        c.brier,
        c.expected_calibration_error,
        c.pass_rate,
        c.mean_predicted,
        c.interval_coverage
    );
    println!("predicted      count  mean predicted  observed");
    for bin in &c.table {
        println!(
            "{:.1}-{:.1}  {:>10}  {:>14.3}  {:>8.3}",
            bin.low, bin.high, bin.count, bin.mean_predicted, bin.observed_rate
        );
    }
    let ad = &report.adaptive;
    println!(
        "adaptive check (cut {:.2}): accuracy {:.3} in {:.1} items on average (at most {}); fixed {}-item form: accuracy {:.3}; near the cut ({:.0}% of candidates) {:.3} vs {:.3}; wrong confident decisions outside the indifference region {:.4}",
        ad.cut,
        ad.adaptive_accuracy,
        ad.adaptive_mean_length,
        ad.adaptive_max_length,
        ad.fixed_length,
        ad.fixed_accuracy,
        ad.near_cut_share * 100.0,
        ad.adaptive_near_cut_accuracy,
        ad.fixed_near_cut_accuracy,
        ad.confident_error_rate_outside
    );
    assert!(ad.adaptive_accuracy >= ad.fixed_accuracy - 0.02, "{ad:?}");
    assert!(
        ad.adaptive_mean_length <= 0.5 * ad.fixed_length as f64,
        "{ad:?}"
    );
    assert!(ad.adaptive_max_length <= 30);
    assert!(ad.confident_error_rate_outside <= 0.05, "{ad:?}");
    assert!(r.converged);
    assert!(
        r.b_rmse < 0.20 && r.b_correlation > 0.98,
        "difficulty {r:?}"
    );
    assert!(
        r.a_rmse < 0.20 && r.a_correlation > 0.85,
        "discrimination {r:?}"
    );
    assert!(r.theta_correlation > 0.90, "ability {r:?}");
    // A useful forecaster: far better than the constant pass rate (whose Brier is p(1-p)), and
    // calibrated: each tenth of the scale comes true about as often as it says.
    let baseline = c.pass_rate * (1.0 - c.pass_rate);
    assert!(
        c.brier < 0.6 * baseline,
        "Brier {} vs baseline {baseline}",
        c.brier
    );
    assert!(
        c.expected_calibration_error < 0.03,
        "ECE {}",
        c.expected_calibration_error
    );
    assert!((c.mean_predicted - c.pass_rate).abs() < 0.03);
    for bin in c.table.iter().filter(|b| b.count >= 200) {
        assert!(
            (bin.mean_predicted - bin.observed_rate).abs() < 0.08,
            "bin {bin:?}"
        );
    }
    // The interval is a 95% range over ability: it should hold the true chance nearly always.
    assert!(
        c.interval_coverage > 0.90,
        "coverage {}",
        c.interval_coverage
    );
}
