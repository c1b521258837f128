//! How good a probability is: the Brier score, a reliability table and the expected calibration
//! error. A pass probability is honest when, among candidates told 70%, about 70% pass.

use serde::Serialize;

/// The mean squared difference between predicted probabilities and outcomes (0 is perfect; a
/// constant 50% scores 0.25).
pub fn brier(predicted: &[f64], outcomes: &[bool]) -> f64 {
    let n = predicted.len().min(outcomes.len());
    if n == 0 {
        return 0.0;
    }
    predicted
        .iter()
        .zip(outcomes)
        .map(|(p, y)| (p - f64::from(u8::from(*y))).powi(2))
        .sum::<f64>()
        / n as f64
}

/// One row of a reliability table: predictions in `[low, high)` and how often they came true.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityBin {
    pub low: f64,
    pub high: f64,
    pub count: usize,
    pub mean_predicted: f64,
    pub observed_rate: f64,
}

/// Predictions grouped into `bins` equal-width bins (the last one includes 1.0); empty bins are
/// left out.
pub fn reliability_table(predicted: &[f64], outcomes: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    let bins = bins.max(1);
    let mut sums = vec![(0usize, 0.0, 0.0); bins];
    for (p, y) in predicted.iter().zip(outcomes) {
        let bin = ((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
        sums[bin].0 += 1;
        sums[bin].1 += p;
        sums[bin].2 += f64::from(u8::from(*y));
    }
    sums.iter()
        .enumerate()
        .filter(|(_, (count, _, _))| *count > 0)
        .map(|(k, (count, p, y))| ReliabilityBin {
            low: k as f64 / bins as f64,
            high: (k + 1) as f64 / bins as f64,
            count: *count,
            mean_predicted: p / *count as f64,
            observed_rate: y / *count as f64,
        })
        .collect()
}

/// The count-weighted mean gap between predicted and observed rates over the table's bins.
pub fn expected_calibration_error(table: &[ReliabilityBin]) -> f64 {
    let total: usize = table.iter().map(|b| b.count).sum();
    if total == 0 {
        return 0.0;
    }
    table
        .iter()
        .map(|b| b.count as f64 * (b.mean_predicted - b.observed_rate).abs())
        .sum::<f64>()
        / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_forecaster_and_a_coin() {
        let outcomes = [true, false, true, false];
        assert_eq!(brier(&[1.0, 0.0, 1.0, 0.0], &outcomes), 0.0);
        assert!((brier(&[0.5; 4], &outcomes) - 0.25).abs() < 1e-12);
        let table = reliability_table(&[0.5; 4], &outcomes, 10);
        assert_eq!(table.len(), 1);
        assert_eq!(table[0].count, 4);
        assert!((table[0].observed_rate - 0.5).abs() < 1e-12);
        assert!(expected_calibration_error(&table).abs() < 1e-12);
    }

    #[test]
    fn an_overconfident_forecaster_shows_its_gap() {
        // Says 90% and is right half the time; says 10% and is right half the time.
        let predicted = [0.9, 0.9, 0.1, 0.1];
        let outcomes = [true, false, true, false];
        let table = reliability_table(&predicted, &outcomes, 10);
        assert_eq!(table.len(), 2);
        assert!((expected_calibration_error(&table) - 0.4).abs() < 1e-12);
        assert_eq!(reliability_table(&[1.0], &[true], 10)[0].low, 0.9);
    }
}
