//! Content QA on small banks whose figures are known by hand: answer cues, near-duplicates,
//! fixed forms and the enforced checks.

mod common;

use certprep_bank::Source;
use certprep_bank::load::load;
use certprep_bank::qa::config::{
    BankTargets, CueBounds, DuplicateSettings, ExamTargets, ExplainedPair, QaTargets,
};
use certprep_bank::qa::{cues::cue_figures, run};

/// A single-choice item: `options` in order, the key at `key` (0-based).
fn single(id: &str, stem: &str, options: &[&str], key: usize) -> String {
    let mut s = format!(
        "## Item: {id}\n\n```meta\ntype: single\nai-103@2026-04-16: secure-access\ndifficulty: 3\nreviewed: 2026-11-01\n```\n\n{stem}\n\n### Options\n\n"
    );
    for (i, text) in options.iter().enumerate() {
        let label = char::from(b'A' + u8::try_from(i).unwrap_or(0));
        if i == key {
            s.push_str(&format!("- [x] {label}. {text}\n"));
        } else {
            s.push_str(&format!("- [ ] {label}. {text}\n  Wrong for a reason.\n"));
        }
    }
    s.push_str("\n### Explanation\n\nBecause.\n\n### References\n\n- https://learn.microsoft.com/azure/ai-services/authentication#overview\n\n");
    s
}

fn bank(items: &[String]) -> certprep_bank::Loaded {
    let text = format!("# Bank\n\n{}", items.concat());
    load(
        &[common::embedded(false), vec![Source::new("t.md", text)]],
        common::today(),
        1,
    )
}

fn targets() -> QaTargets {
    QaTargets {
        enforce: None,
        cues: CueBounds {
            single_longest_max: 30.0,
            single_letter_min: 15.0,
            single_letter_max: 35.0,
            multiple_longest_max: 30.0,
        },
        duplicates: DuplicateSettings {
            shingle: 1,
            hashes: 128,
            bands: 64,
            threshold: 0.5,
            explained: vec![],
        },
        bank: BankTargets {
            min_items: 1,
            min_per_type: 0,
            min_case_studies: 0,
            min_case_study_items: 5,
            min_series: 0,
            min_hard_percent: 0.0,
            difficulty_levels: vec![3],
        },
        exams: vec![],
    }
}

#[test]
fn cue_figures_match_a_hand_count() {
    // Keys on A, B, C, D; only the first item's key is its longest option.
    let loaded = bank(&[
        single(
            "q-1",
            "Stem one about keys.",
            &["the longest option by far", "b", "c", "d"],
            0,
        ),
        single(
            "q-2",
            "Stem two about roles.",
            &["short", "the key text", "a much longer distractor", "d"],
            1,
        ),
        single(
            "q-3",
            "Stem three about networks.",
            &["aaaa", "bbbbbbbbbbbb", "key", "dd"],
            2,
        ),
        single(
            "q-4",
            "Stem four about quotas.",
            &["aaaaaaaaa", "b", "c", "key"],
            3,
        ),
    ]);
    let figures = cue_figures(&loaded.library.bank.items);
    assert_eq!(figures.single_items, 4);
    assert_eq!(figures.single_key_longest, 1);
    assert!((figures.single_key_longest_percent - 25.0).abs() < 1e-9);
    for letter in ['A', 'B', 'C', 'D'] {
        assert_eq!(figures.single_key_letters[&letter].count, 1, "{letter}");
    }
    assert_eq!(figures.longest_key_items, vec!["q-1".to_string()]);
    let report = run(&loaded, &targets());
    let length = report.checks.iter().find(|c| c.name == "key length");
    assert!(length.is_some_and(|c| c.passed), "{length:?}");
}

#[test]
fn a_bank_that_always_keys_the_longest_option_fails_the_length_check() {
    let loaded = bank(&[
        single(
            "q-1",
            "Stem one.",
            &["a much longer key than the rest", "b", "c", "d"],
            0,
        ),
        single(
            "q-2",
            "Stem two.",
            &["a", "a much longer key than the rest", "c", "d"],
            1,
        ),
    ]);
    let report = run(&loaded, &targets());
    let length = report.checks.iter().find(|c| c.name == "key length");
    assert!(length.is_some_and(|c| !c.passed), "{length:?}");
    let letters = report.checks.iter().find(|c| c.name == "key letters");
    // Two items keyed A and B: A and B are keyed too often, C and D never.
    assert!(
        letters.is_some_and(|c| c.problems.len() == 4),
        "{letters:?}"
    );
    assert!(!report.passed);
}

#[test]
fn a_planted_near_duplicate_is_found_and_an_explained_pair_is_accepted() {
    let stem = "Contoso's web app calls a Foundry model and must not store secrets in settings. \
                Which credential should the app use to authenticate to the endpoint?";
    let options = [
        "a managed identity",
        "an api key",
        "a sas token",
        "a client secret",
    ];
    let other = "Fabrikam indexes manuals in Azure AI Search and needs exact part numbers \
                 and meaning. Which query features should it combine in one request?";
    let loaded = bank(&[
        single("dup-a", stem, &options, 0),
        single("dup-b", &stem.replace("Contoso", "Northwind"), &options, 0),
        single(
            "other",
            other,
            &["hybrid", "filter", "facet", "suggester"],
            0,
        ),
    ]);
    let report = run(&loaded, &targets());
    assert_eq!(report.duplicates.len(), 1, "{:?}", report.duplicates);
    let pair = &report.duplicates[0];
    assert_eq!((pair.a.as_str(), pair.b.as_str()), ("dup-a", "dup-b"));
    assert!(pair.similarity > 0.9, "{}", pair.similarity);
    let check = report.checks.iter().find(|c| c.name == "near-duplicates");
    assert!(check.is_some_and(|c| !c.passed));

    let mut explained = targets();
    explained.duplicates.explained.push(ExplainedPair {
        items: ["dup-b".into(), "dup-a".into()],
        reason: "kept on purpose for this test".into(),
    });
    let report = run(&loaded, &explained);
    let check = report.checks.iter().find(|c| c.name == "near-duplicates");
    assert!(check.is_some_and(|c| c.passed), "{check:?}");
    assert_eq!(
        report.duplicates[0].explained.as_deref(),
        Some("kept on purpose for this test")
    );
}

#[test]
fn only_enforced_checks_decide_an_enforced_run() {
    let loaded = bank(&[single("q-1", "Stem.", &["key", "bb", "cc", "dd"], 0)]);
    let mut t = targets();
    t.bank.min_items = 400;
    t.enforce = Some(vec!["lint errors".into(), "near-duplicates".into()]);
    let report = run(&loaded, &t);
    assert!(!report.passed, "the bank is far below 400 items");
    assert!(report.enforced_passed, "{:?}", report.checks);
    let size = report.checks.iter().find(|c| c.name == "bank size");
    assert!(size.is_some_and(|c| !c.enforced && !c.passed));
}

#[test]
fn coverage_reports_thin_objectives_and_skips_retired_ones() {
    let loaded = load(&[common::embedded(true)], common::today(), 0);
    let mut t = targets();
    t.exams.push(ExamTargets {
        outline: "ai-102@2025-12-23"
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
        min_items: 1,
        min_per_objective: 1000,
        weights: false,
        min_forms: 0,
        tag_in_every_domain: None,
    });
    let report = run(&loaded, &t);
    let exam = &report.exams[0];
    assert_eq!(
        exam.retired_objectives,
        vec!["spatial-analysis".to_string()]
    );
    assert!(
        exam.thin_objectives
            .iter()
            .all(|(id, _)| id != "spatial-analysis"),
        "a retired objective is not counted as thin"
    );
    assert!(exam.thin_objectives.len() > 50);
}

#[test]
fn fixed_forms_are_checked_with_positions() {
    let items: Vec<String> = (0..3)
        .map(|i| {
            single(
                &format!("f-{i}"),
                &format!("Stem number {i} about a topic."),
                &["a", "bb", "ccc", "dddd"],
                i,
            )
        })
        .collect();
    let forms = "[[forms]]\nid = \"tiny\"\ntitle = \"Tiny\"\noutline = \"ai-103@2026-04-16\"\nitems = [\"f-0\", \"f-1\", \"nope\", \"f-1\"]\n";
    let loaded = load(
        &[
            common::embedded(false),
            vec![
                Source::new("t.md", format!("# Bank\n\n{}", items.concat())),
                Source::new("forms/t.toml", forms),
            ],
        ],
        common::today(),
        1,
    );
    let messages: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        messages.contains(&"forms/t.toml:5:24: form `tiny`: `nope` is not an item, series or case study of the bank".to_string()),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"forms/t.toml:5:32: form `tiny`: `f-1` is listed twice".to_string()),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("the form has 2 items; the exam has 40–60 questions")),
        "{messages:#?}"
    );
    assert_eq!(
        messages.len(),
        3,
        "weights are judged only on a form of a valid length"
    );
    assert!(
        loaded.library.form("tiny").is_none(),
        "a form with errors is left out"
    );
}

/// The items of one yes/no series restate one goal by design: they are not near-duplicates of
/// each other, but an item outside the series with the same material still is.
#[test]
fn items_of_one_series_are_not_near_duplicates_of_each_other() {
    let goal = "Contoso's web app calls a Foundry model and must not store secrets in settings.";
    let solution = |id: &str, text: &str, yes: bool| {
        format!(
            "## Item: {id}\n\n### Solution\n\n- [{}] {text}\n  Because the page says so about managed identities and keys.\n\n### Explanation\n\nBecause the page says so about managed identities and keys.\n\n### References\n\n- https://learn.microsoft.com/azure/ai-services/authentication#overview\n\n",
            if yes { "yes" } else { "no" }
        )
    };
    let series = format!(
        "# Series: ser\n\n```meta\nai-103@2026-04-16: secure-access\ndifficulty: 3\nreviewed: 2026-11-01\n```\n\n{goal}\n\n{}{}",
        solution("ser-1", "Use a managed identity for the app.", true),
        solution("ser-2", "Use an API key stored in the app settings.", false)
    );
    let loaded = bank(&[series]);
    assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
    let mut t = targets();
    t.duplicates.threshold = 0.2;
    let report = run(&loaded, &t);
    assert!(
        report
            .duplicates
            .iter()
            .all(|p| !(p.a.starts_with("ser-") && p.b.starts_with("ser-"))),
        "{:?}",
        report.duplicates
    );
}
