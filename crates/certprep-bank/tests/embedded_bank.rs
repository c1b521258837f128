//! The embedded content meets the bar the project sets for it.

mod common;

use std::collections::BTreeMap;

use certprep_bank::load::load;
use certprep_domain::stats::bank_stats;
use certprep_domain::{ItemKind, OutlineRef};

#[test]
fn embedded_content_lints_clean() {
    let loaded = load(&[common::embedded(true)], common::today(), 0);
    let all: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn embedded_content_passes_its_enforced_qa_checks() {
    let loaded = load(&[common::embedded(true)], common::today(), 0);
    let Some(targets) = loaded.library.qa.clone() else {
        panic!("content/qa.toml is missing");
    };
    let report = certprep_bank::qa::run(&loaded, &targets);
    let failing: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.enforced && !c.passed)
        .map(|c| format!("{}: {}", c.name, c.problems.join("; ")))
        .collect();
    assert!(failing.is_empty(), "{}", failing.join("\n"));
    assert!(
        report.checks.iter().filter(|c| c.enforced).count() >= 5,
        "the enforced checks went missing from qa.toml"
    );
}

#[test]
fn embedded_bank_covers_both_current_outlines() {
    let library = load(&[common::embedded(true)], common::today(), 0).library;
    let bank = &library.bank;
    assert!(bank.items.len() >= 80, "{} items", bank.items.len());
    for code in ["ai-102@2025-12-23", "ai-103@2026-04-16"] {
        let outline_ref: OutlineRef = code.parse().unwrap_or_else(|e| panic!("{e}"));
        let Some(outline) = library.catalog.outline(&outline_ref) else {
            panic!("no outline {code}");
        };
        let stats = bank_stats(bank, &outline_ref, outline);
        for domain in &stats.by_domain {
            assert!(
                domain.count > 0,
                "{code}: domain {} has no items",
                domain.domain
            );
        }
    }
    let mut by_kind: BTreeMap<ItemKind, usize> = BTreeMap::new();
    for item in &bank.items {
        *by_kind.entry(item.kind()).or_default() += 1;
    }
    for kind in ItemKind::ALL {
        assert!(
            by_kind.get(&kind).copied().unwrap_or(0) >= 3,
            "fewer than 3 {kind} items: {by_kind:?}"
        );
    }
    assert!(
        bank.case_studies.iter().any(|c| c.items.len() >= 4),
        "no case study with 4 or more items"
    );
    assert!(
        bank.series.iter().any(|s| s.items.len() >= 3),
        "no series of 3 or more"
    );
}
