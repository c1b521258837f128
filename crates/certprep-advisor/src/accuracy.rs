//! How well certprep predicted real results: the Brier score of its last pass probability
//! before each recorded exam, and a reliability table (predicted against observed pass rates).

use serde::Serialize;

/// One recorded real result with certprep's last pass probability before it.
#[derive(Debug, Clone, Copy)]
pub struct Prediction {
    pub probability: f64,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityBin {
    /// The range of predicted probabilities, `[low, high)` (the last bin includes 1).
    pub range: [f64; 2],
    pub count: usize,
    pub mean_predicted: Option<f64>,
    pub observed_pass_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Accuracy {
    pub results: usize,
    /// Mean squared difference between the predicted probability and the outcome (0 best).
    pub brier: Option<f64>,
    /// The Brier score of always predicting the observed pass rate: a prediction is worth
    /// something only when it beats this.
    pub brier_baseline: Option<f64>,
    pub bins: Vec<ReliabilityBin>,
    /// Whether there are enough results to publish the figures.
    pub enough: bool,
    pub minimum: usize,
}

/// Accuracy over the recorded results, in `bins` equal bins of predicted probability.
pub fn accuracy(predictions: &[Prediction], bins: usize, minimum: usize) -> Accuracy {
    let n = predictions.len();
    let outcome = |p: &Prediction| if p.passed { 1.0 } else { 0.0 };
    let brier = (n > 0).then(|| {
        predictions
            .iter()
            .map(|p| (p.probability - outcome(p)).powi(2))
            .sum::<f64>()
            / n as f64
    });
    let base_rate = (n > 0).then(|| predictions.iter().map(outcome).sum::<f64>() / n as f64);
    let brier_baseline = base_rate.map(|r| r * (1.0 - r));
    let bins = bins.max(1);
    let width = 1.0 / bins as f64;
    let table = (0..bins)
        .map(|b| {
            let low = b as f64 * width;
            let high = if b + 1 == bins { 1.0 } else { low + width };
            let inside: Vec<&Prediction> = predictions
                .iter()
                .filter(|p| {
                    let x = p.probability.clamp(0.0, 1.0);
                    x >= low && (x < high || (b + 1 == bins && x <= 1.0))
                })
                .collect();
            let count = inside.len();
            let mean = |f: &dyn Fn(&Prediction) -> f64| {
                (count > 0).then(|| inside.iter().map(|p| f(p)).sum::<f64>() / count as f64)
            };
            ReliabilityBin {
                range: [low, high],
                count,
                mean_predicted: mean(&|p| p.probability),
                observed_pass_rate: mean(&|p| outcome(p)),
            }
        })
        .collect();
    Accuracy {
        results: n,
        brier,
        brier_baseline,
        bins: table,
        enough: n >= minimum,
        minimum,
    }
}
