//! Learning science, as pure computation over the response log: item response theory
//! calibration (`irt`), readiness from ability (`readiness`), and seeded simulations that check
//! both against known truth (`simulate`), and item fit (`fit`). No I/O: callers bring the
//! responses.

pub mod fit;
pub mod irt;
pub mod readiness;
pub mod simulate;
