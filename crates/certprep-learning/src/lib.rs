//! Learning science, as pure computation over the response log: item response theory
//! calibration (`irt`) and item fit (`fit`), readiness from ability (`readiness`), the adaptive readiness check
//! (`adaptive`), spaced repetition (`memory`), item analysis for authors (`analysis`), how good
//! a probability is (`evaluate`), and seeded simulations that check them against known truth
//! (`simulate`, `harness`). No I/O: callers bring the responses.

pub mod adaptive;
pub mod analysis;
pub mod evaluate;
pub mod fit;
pub mod harness;
pub mod irt;
pub mod memory;
pub mod readiness;
pub mod simulate;
