//! Content QA: everything an author needs to know before a bank ships, in one report.
//!
//! - lint: the per-item and cross-file checks (errors and warnings);
//! - near-duplicate items (MinHash over word shingles, [`duplicates`]);
//! - answer cues (the key's length and letter, [`cues`]);
//! - coverage against each exam's weights, the per-objective minimums and the fixed forms;
//! - the bank's size, item types, case studies, series and difficulty spread.
//!
//! The bounds are data (`content/qa.toml`, [`config`]); each check passes or fails on them.

pub mod config;
pub mod cues;
pub mod duplicates;

use std::collections::BTreeMap;

use certprep_domain::item::{Item, ItemKind};
use certprep_domain::stats::{Coverage, bank_stats, primary_domain};
use serde::Serialize;

use crate::load::Loaded;
pub use config::{QaTargets, parse_targets};
use cues::{CueFigures, cue_figures};
use duplicates::{DuplicatePair, near_duplicates};

/// One line of the report's summary: a check, whether it passed, and why not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub name: String,
    pub passed: bool,
    /// Whether a failure fails `--enforced` runs (CI); see `enforce` in `qa.toml`.
    pub enforced: bool,
    /// The figure checked, in words ("412 distinct items, at least 400").
    pub figure: String,
    /// What fails, one line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QaReport {
    /// Every check passes.
    pub passed: bool,
    /// Every enforced check passes (what CI requires).
    pub enforced_passed: bool,
    pub checks: Vec<Check>,
    pub distinct_items: usize,
    pub cues: CueFigures,
    pub duplicates: Vec<DuplicatePair>,
    pub exams: Vec<ExamFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamFigures {
    pub outline: String,
    pub items: usize,
    /// Per domain: items, share and weight range.
    pub domains: Vec<DomainFigure>,
    /// Objectives below the minimum, with their counts.
    pub thin_objectives: Vec<(String, usize)>,
    /// Objectives left out because their service has retired.
    pub retired_objectives: Vec<String>,
    pub forms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainFigure {
    pub id: String,
    pub items: usize,
    pub share: f64,
    pub weight_min: u32,
    pub weight_max: u32,
}

fn check(name: &str, figure: String, problems: Vec<String>) -> Check {
    Check {
        name: name.to_string(),
        passed: problems.is_empty(),
        enforced: true,
        figure,
        problems,
    }
}

/// Runs every check on a loaded bank.
pub fn run(loaded: &Loaded, targets: &QaTargets) -> QaReport {
    let library = &loaded.library;
    let items: Vec<&Item> = library.bank.items.iter().collect();
    let mut checks = Vec::from(lint_checks(loaded));

    let duplicates = near_duplicates(items.iter().copied(), &targets.duplicates);
    let unexplained: Vec<String> = duplicates
        .iter()
        .filter(|p| p.explained.is_none())
        .map(|p| format!("{} ~ {} (similarity {:.2})", p.a, p.b, p.similarity))
        .collect();
    checks.push(check(
        "near-duplicates",
        format!(
            "{} pair(s) at Jaccard ≥ {} ({} explained in qa.toml)",
            duplicates.len(),
            targets.duplicates.threshold,
            duplicates.len() - unexplained.len()
        ),
        unexplained,
    ));

    let cues = cue_figures(items.iter().copied());
    checks.push(check(
        "key length",
        format!(
            "single: the key is the longest option in {:.1}% (at most {}%); multiple: the keys are the longest in {:.1}% (at most {}%)",
            cues.single_key_longest_percent,
            targets.cues.single_longest_max,
            cues.multiple_keys_longest_percent,
            targets.cues.multiple_longest_max
        ),
        cues.length_violations(&targets.cues),
    ));
    checks.push(check(
        "key letters",
        format!(
            "single: {} ({}–{}% each)",
            cues.single_key_letters
                .iter()
                .map(|(l, s)| format!("{l} {:.0}%", s.percent))
                .collect::<Vec<_>>()
                .join(" "),
            targets.cues.single_letter_min,
            targets.cues.single_letter_max
        ),
        cues.letter_violations(&targets.cues),
    ));

    checks.extend(bank_checks(&items, loaded, targets));
    let mut exams = Vec::new();
    for exam_targets in &targets.exams {
        let (figures, exam_checks) = exam_checks(loaded, exam_targets);
        checks.extend(exam_checks);
        if let Some(f) = figures {
            exams.push(f);
        }
    }
    if let Some(enforce) = &targets.enforce {
        for c in &mut checks {
            c.enforced = enforce.contains(&c.name);
        }
    }
    QaReport {
        passed: checks.iter().all(|c| c.passed),
        enforced_passed: checks.iter().all(|c| c.passed || !c.enforced),
        checks,
        distinct_items: items.len(),
        cues,
        duplicates,
        exams,
    }
}

fn lint_checks(loaded: &Loaded) -> [Check; 2] {
    let (errors, warnings): (Vec<_>, Vec<_>) =
        loaded.diagnostics.iter().partition(|d| d.is_error());
    [
        check(
            "lint errors",
            format!("{} error(s)", errors.len()),
            errors.iter().map(ToString::to_string).collect(),
        ),
        check(
            "lint warnings",
            format!("{} warning(s)", warnings.len()),
            warnings.iter().map(ToString::to_string).collect(),
        ),
    ]
}

fn bank_checks(items: &[&Item], loaded: &Loaded, targets: &QaTargets) -> Vec<Check> {
    let bank = &loaded.library.bank;
    let t = &targets.bank;
    let mut out = Vec::new();
    let size_problem = (items.len() < t.min_items)
        .then(|| format!("{} distinct items, fewer than {}", items.len(), t.min_items));
    out.push(check(
        "bank size",
        format!("{} distinct items (at least {})", items.len(), t.min_items),
        size_problem.into_iter().collect(),
    ));

    let mut by_type: BTreeMap<&str, usize> = ItemKind::ALL.iter().map(|k| (k.name(), 0)).collect();
    for item in items {
        *by_type.entry(item.kind().name()).or_insert(0) += 1;
    }
    out.push(check(
        "item types",
        by_type
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        by_type
            .iter()
            .filter(|(_, n)| **n < t.min_per_type)
            .map(|(k, n)| format!("{k}: {n} items, fewer than {}", t.min_per_type))
            .collect(),
    ));

    let full_cases = bank
        .case_studies
        .iter()
        .filter(|c| c.items.len() >= t.min_case_study_items)
        .count();
    let mut group_problems = Vec::new();
    if full_cases < t.min_case_studies {
        group_problems.push(format!(
            "{full_cases} case studies with {}+ items, fewer than {}",
            t.min_case_study_items, t.min_case_studies
        ));
    }
    if bank.series.len() < t.min_series {
        group_problems.push(format!(
            "{} yes/no series, fewer than {}",
            bank.series.len(),
            t.min_series
        ));
    }
    out.push(check(
        "case studies and series",
        format!(
            "{full_cases} case studies with {}+ items (at least {}), {} series (at least {})",
            t.min_case_study_items,
            t.min_case_studies,
            bank.series.len(),
            t.min_series
        ),
        group_problems,
    ));

    let mut by_level: BTreeMap<u8, usize> = BTreeMap::new();
    for item in items {
        *by_level.entry(item.difficulty).or_insert(0) += 1;
    }
    let hard = items.iter().filter(|i| i.difficulty >= 4).count();
    let hard_percent = if items.is_empty() {
        0.0
    } else {
        hard as f64 * 100.0 / items.len() as f64
    };
    let mut difficulty_problems: Vec<String> = t
        .difficulty_levels
        .iter()
        .filter(|l| !by_level.contains_key(l))
        .map(|l| format!("no item at difficulty {l}"))
        .collect();
    if hard_percent < t.min_hard_percent {
        difficulty_problems.push(format!(
            "{hard_percent:.1}% of items at difficulty 4–5, fewer than {}%",
            t.min_hard_percent
        ));
    }
    out.push(check(
        "difficulty",
        format!(
            "{} ; {hard_percent:.1}% at 4–5 (at least {}%)",
            by_level
                .iter()
                .map(|(l, n)| format!("{l}: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            t.min_hard_percent
        ),
        difficulty_problems,
    ));
    out
}

fn exam_checks(loaded: &Loaded, t: &config::ExamTargets) -> (Option<ExamFigures>, Vec<Check>) {
    let library = &loaded.library;
    let name = t.outline.to_string();
    let Some(outline) = library.catalog.outline(&t.outline) else {
        return (
            None,
            vec![check(
                &format!("{name} coverage"),
                "no such outline".into(),
                vec![format!(
                    "qa.toml names {name}, which the catalog does not have"
                )],
            )],
        );
    };
    let stats = bank_stats(&library.bank, &t.outline, outline);
    let mut checks = Vec::new();
    let mut problems = Vec::new();
    if stats.total < t.min_items {
        problems.push(format!("{} items, fewer than {}", stats.total, t.min_items));
    }
    if t.weights {
        for d in &stats.by_domain {
            if d.coverage != Coverage::Within {
                problems.push(format!(
                    "domain {} has {:.1}% of the items, outside {}–{}%",
                    d.domain, d.share, d.weight_min, d.weight_max
                ));
            }
        }
    }
    let thin: Vec<(String, usize)> = stats
        .by_domain
        .iter()
        .flat_map(|d| &d.objectives)
        .filter(|o| o.retired.is_none() && o.count < t.min_per_objective)
        .map(|o| (o.id.clone(), o.count))
        .collect();
    for (id, n) in &thin {
        problems.push(format!(
            "objective {id} has {n} item(s), fewer than {}",
            t.min_per_objective
        ));
    }
    if let Some(tag) = &t.tag_in_every_domain {
        for d in &outline.domains {
            let tagged = library.bank.serving(&t.outline).any(|i| {
                i.tags.contains(tag) && primary_domain(i, &t.outline, outline) == Some(&d.id)
            });
            if !tagged {
                problems.push(format!("domain {} has no item tagged `{tag}`", d.id));
            }
        }
    }
    let retired: Vec<String> = stats
        .by_domain
        .iter()
        .flat_map(|d| &d.objectives)
        .filter(|o| o.retired.is_some())
        .map(|o| o.id.clone())
        .collect();
    checks.push(check(
        &format!("{name} coverage"),
        format!(
            "{} items (at least {}), every objective at least {}{}",
            stats.total,
            t.min_items,
            t.min_per_objective,
            if retired.is_empty() {
                String::new()
            } else {
                format!(" except retired {}", retired.join(", "))
            }
        ),
        problems,
    ));
    let forms: Vec<String> = library
        .forms
        .iter()
        .filter(|f| f.outline == t.outline)
        .map(|f| f.id.clone())
        .collect();
    let form_problem = (forms.len() < t.min_forms).then(|| {
        format!(
            "{} fixed form(s), fewer than {} (forms with errors are left out: see lint)",
            forms.len(),
            t.min_forms
        )
    });
    checks.push(check(
        &format!("{name} fixed forms"),
        format!("{} form(s) (at least {})", forms.len(), t.min_forms),
        form_problem.into_iter().collect(),
    ));
    let figures = ExamFigures {
        outline: name,
        items: stats.total,
        domains: stats
            .by_domain
            .iter()
            .map(|d| DomainFigure {
                id: d.domain.clone(),
                items: d.count,
                share: d.share,
                weight_min: d.weight_min,
                weight_max: d.weight_max,
            })
            .collect(),
        thin_objectives: thin,
        retired_objectives: retired,
        forms,
    };
    (Some(figures), checks)
}
