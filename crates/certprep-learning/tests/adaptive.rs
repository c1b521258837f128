use certprep_learning::adaptive::{AdaptiveSettings, SimulationPlan, compare_with_fixed_form};

#[test]
fn probe() {
    let c = compare_with_fixed_form(&SimulationPlan::default(), &AdaptiveSettings::default());
    println!("{c:#?}");
    assert!(c.adaptive_accuracy > 0.0);
}
