//! What `certprep bank qa` holds a bank to: `content/qa.toml`, data rather than code, so the
//! bounds are visible and reviewable beside the content they judge.

use certprep_domain::OutlineRef;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, pos_of_offset};
use crate::syntax::Pos;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QaTargets {
    /// The checks whose failure fails `certprep bank qa --enforced` (and CI); absent: all.
    /// A bank on its way to its targets lists what it already meets, so it can only improve.
    #[serde(default)]
    pub enforce: Option<Vec<String>>,
    pub cues: CueBounds,
    pub duplicates: DuplicateSettings,
    pub bank: BankTargets,
    #[serde(default)]
    pub exams: Vec<ExamTargets>,
}

/// Bounds on the answer cues a test-wise candidate would use (percent of items).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueBounds {
    /// Single choice: the key is the longest option (ties count) in at most this share.
    pub single_longest_max: f64,
    /// Single choice: each of the letters A–D is the key in this range.
    pub single_letter_min: f64,
    pub single_letter_max: f64,
    /// Multiple response: the keys are exactly the longest options in at most this share.
    pub multiple_longest_max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateSettings {
    /// Word shingle length (1 = single words).
    pub shingle: usize,
    /// MinHash signature length and LSH bands (rows per band = hashes / bands).
    pub hashes: usize,
    pub bands: usize,
    /// Pairs whose Jaccard similarity reaches this are reported.
    pub threshold: f64,
    /// Pairs an author looked at and kept, with the reason.
    #[serde(default)]
    pub explained: Vec<ExplainedPair>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainedPair {
    pub items: [String; 2],
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankTargets {
    /// Distinct items over every exam (an item serving two exams counts once).
    pub min_items: usize,
    pub min_per_type: usize,
    pub min_case_studies: usize,
    /// A case study counts when it has at least this many items.
    pub min_case_study_items: usize,
    pub min_series: usize,
    /// Share of items at difficulty 4 or 5, percent.
    pub min_hard_percent: f64,
    /// Every one of these difficulty levels has items.
    pub difficulty_levels: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamTargets {
    pub outline: OutlineRef,
    pub min_items: usize,
    /// Every objective (except those whose service has retired) has at least this many items.
    pub min_per_objective: usize,
    /// Each domain's share of items lies within its published weight range.
    #[serde(default)]
    pub weights: bool,
    #[serde(default)]
    pub min_forms: usize,
    /// Every domain has at least one item with this tag (say `responsible-ai`).
    #[serde(default)]
    pub tag_in_every_domain: Option<String>,
}

pub fn parse_targets(file: &str, text: &str) -> Result<QaTargets, Vec<Diagnostic>> {
    let targets: QaTargets = toml::from_str(text).map_err(|e| {
        let pos = e
            .span()
            .map_or(Pos::default(), |s| pos_of_offset(text, s.start));
        vec![Diagnostic::error(file, pos, e.message().trim())]
    })?;
    let d = &targets.duplicates;
    if d.shingle == 0 || d.bands == 0 || d.hashes == 0 || !d.hashes.is_multiple_of(d.bands) {
        return Err(vec![Diagnostic::error(
            file,
            Pos::new(1, 1),
            "duplicates: shingle, hashes and bands must be positive, and hashes a multiple of bands",
        )]);
    }
    Ok(targets)
}
