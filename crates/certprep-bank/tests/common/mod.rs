//! Helpers shared by the bank crate's integration tests.
#![allow(dead_code)]

use certprep_bank::Source;
use certprep_bank::load::{Loaded, SourceKind, kind_of, load};
use chrono::NaiveDate;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()
}

pub fn embedded(include_bank: bool) -> Vec<Source> {
    certprep_content::files()
        .filter(|f| {
            include_bank || !matches!(kind_of(f.path), SourceKind::Bank | SourceKind::Forms)
        })
        .map(|f| Source::new(f.path, f.text))
        .collect()
}

/// Lints one bank file against the embedded catalog.
pub fn lint(text: &str) -> Loaded {
    load(
        &[embedded(false), vec![Source::new("t.md", text)]],
        today(),
        1,
    )
}

/// The diagnostics of one bank file, as `file:line:col: message` lines.
pub fn messages(text: &str) -> Vec<String> {
    lint(text)
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect()
}
