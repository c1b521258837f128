//! Learning science, as pure computation over the response log: item response theory
//! calibration (`irt`), readiness from ability (`readiness`), spaced repetition with FSRS-6
//! (`memory`), and seeded simulations that check them against known truth (`simulate`). No I/O:
//! callers bring the responses.

pub mod evaluate;
pub mod harness;
pub mod irt;
pub mod memory;
pub mod readiness;
pub mod simulate;
