//! The session engine on the real embedded bank: form assembly, navigation rules, deadlines,
//! custom selection and what may be shown when.

use std::collections::BTreeMap;

use certprep_bank::Source;
use certprep_bank::load::{Library, load};
use certprep_domain::form::{CustomFilter, ItemHistory, SectionKind, assemble_exam, select_custom};
use certprep_domain::grading::{Answer, key};
use certprep_domain::present::present;
use certprep_domain::report::report;
use certprep_domain::session::{Mode, NewSession, RuleError, Session};
use certprep_domain::stats::primary_domain;
use certprep_domain::{ExamCode, OutlineRef};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn library() -> Library {
    let files = certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    load(&[files], today, 0).library
}

fn outline_ref(s: &str) -> OutlineRef {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn exam_session(lib: &Library, seed: u64) -> Session {
    let r = outline_ref("ai-103@2026-04-16");
    let outline = lib
        .catalog
        .outline(&r)
        .unwrap_or_else(|| panic!("no outline"));
    let form =
        assemble_exam(&lib.bank, &r, outline, (40, 60), seed).unwrap_or_else(|e| panic!("{e}"));
    Session::start(
        NewSession {
            id: format!("s{seed}"),
            user: "local".into(),
            exam: ExamCode::new("ai-103"),
            outline: &r,
            mode: Mode::Exam,
            seed,
            time_limit_ms: Some(100 * 60 * 1000),
            pausable: false,
            open_book: true,
            shuffle: false,
        },
        &form,
        &lib.bank,
        t0(),
    )
}

#[test]
fn a_thousand_seeded_forms_respect_the_weight_ranges() {
    let lib = library();
    for code in ["ai-103@2026-04-16", "ai-102@2025-12-23"] {
        let r = outline_ref(code);
        let outline = lib
            .catalog
            .outline(&r)
            .unwrap_or_else(|| panic!("no outline"));
        let mut lengths = BTreeMap::new();
        for seed in 0..1000u64 {
            let form = assemble_exam(&lib.bank, &r, outline, (40, 60), seed)
                .unwrap_or_else(|e| panic!("{code} seed {seed}: {e}"));
            let n = form.len();
            assert!((40..=60).contains(&n), "{code} seed {seed}: {n} items");
            *lengths.entry(n).or_insert(0) += 1;
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for id in form.item_ids() {
                let item = lib.bank.item(id).unwrap_or_else(|| panic!("{id}"));
                let domain = primary_domain(item, &r, outline)
                    .unwrap_or_else(|| panic!("{id} has no domain"));
                *counts.entry(domain).or_default() += 1;
            }
            for d in &outline.domains {
                let share =
                    100.0 * counts.get(d.id.as_str()).copied().unwrap_or(0) as f64 / n as f64;
                assert!(
                    share >= f64::from(d.weight_min) - 1e-9
                        && share <= f64::from(d.weight_max) + 1e-9,
                    "{code} seed {seed}: {} at {share:.1}% outside {}–{}%",
                    d.id,
                    d.weight_min,
                    d.weight_max
                );
            }
            let cases = form
                .sections
                .iter()
                .filter(|s| matches!(s.kind, SectionKind::CaseStudy(_)))
                .count();
            assert!(cases <= 1, "{code} seed {seed}: {cases} case studies");
            let ids: Vec<&String> = form.item_ids().collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(
                unique.len(),
                ids.len(),
                "{code} seed {seed}: an item appears twice"
            );
        }
        assert!(
            lengths.len() > 5,
            "{code}: lengths hardly vary: {lengths:?}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_form() {
    let lib = library();
    let r = outline_ref("ai-103@2026-04-16");
    let outline = lib
        .catalog
        .outline(&r)
        .unwrap_or_else(|| panic!("no outline"));
    let a = assemble_exam(&lib.bank, &r, outline, (40, 60), 7);
    let b = assemble_exam(&lib.bank, &r, outline, (40, 60), 7);
    let c = assemble_exam(&lib.bank, &r, outline, (40, 60), 8);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

/// A seed whose form has both a series and a case study.
fn session_with_series_and_case(lib: &Library) -> Session {
    for seed in 0..500 {
        let s = exam_session(lib, seed);
        if s.items.iter().any(|i| i.series.is_some()) && s.sections.len() > 1 {
            return s;
        }
    }
    panic!("no form with a series and a case study in 500 seeds");
}

#[test]
fn answered_series_items_are_final_and_left_out_of_review() {
    let lib = library();
    let mut s = session_with_series_and_case(&lib);
    let first = s
        .items
        .iter()
        .position(|i| i.series.is_some())
        .unwrap_or_default();
    let id = s.items[first].item_id.clone();
    let now = t0() + Duration::minutes(1);
    s.answer(&lib.bank, &id, Answer::Bool(true), now)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.answer(&lib.bank, &id, Answer::Bool(false), now),
        Err(RuleError::SeriesFinal(id.clone()))
    );
    s.goto(0, now).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.goto(first, now), Err(RuleError::SeriesFinal(id.clone())));
    assert_eq!(s.toggle_mark(&id, now), Err(RuleError::SeriesNotMarkable));
    let review = s.review();
    assert!(
        review
            .iter()
            .all(|e| s.items[e.position - 1].series.is_none())
    );
    assert!(!review.iter().any(|e| e.item_id == id));
    // Next and previous skip the answered series item.
    s.goto(first - usize::from(first > 0), now)
        .unwrap_or_else(|e| panic!("{e}"));
    if first > 0 {
        assert_ne!(s.next_position(), Some(first));
    }
}

/// A yes/no series on an exam is taken in order: after item 1, item 3 is refused until item 2
/// is behind; an item left behind (answered, or skipped by moving on) cannot be reached again.
#[test]
fn a_series_is_taken_one_item_after_another() {
    let lib = library();
    let mut s = (1..500)
        .map(|seed| exam_session(&lib, seed))
        .find(|s| s.items.iter().filter(|i| i.series.is_some()).count() >= 3)
        .unwrap_or_else(|| panic!("no form with a series of three in 500 seeds"));
    let series: Vec<usize> = (0..s.items.len())
        .filter(|p| s.items[*p].series.is_some())
        .collect();
    let ids: Vec<String> = s.items.iter().map(|i| i.item_id.clone()).collect();
    let id = |p: usize| ids[p].clone();
    let (one, two, three) = (series[0], series[1], series[2]);
    let now = t0() + Duration::minutes(1);
    // Jumping into the middle of the series is refused, naming the item that comes next.
    assert_eq!(
        s.goto(three, now),
        Err(RuleError::SeriesOrder {
            item: id(three),
            next: id(one)
        })
    );
    s.answer(&lib.bank, &id(one), Answer::Bool(true), now)
        .unwrap_or_else(|e| panic!("{e}"));
    // Answering item 3 directly (the API's finding) is refused as well.
    assert_eq!(
        s.answer(&lib.bank, &id(three), Answer::Bool(true), now),
        Err(RuleError::SeriesOrder {
            item: id(three),
            next: id(two)
        })
    );
    // Moving on to item 2 leaves item 1 behind for good.
    s.goto(two, now).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.goto(one, now), Err(RuleError::SeriesFinal(id(one))));
    // Skipping item 2 (moving on unanswered) leaves it behind too.
    s.goto(three, now).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.goto(two, now), Err(RuleError::SeriesFinal(id(two))));
    assert_eq!(
        s.answer(&lib.bank, &id(two), Answer::Bool(false), now),
        Err(RuleError::SeriesFinal(id(two)))
    );
    // Next and previous follow the same rules: previous skips every item behind.
    assert!(
        s.previous_position()
            .is_none_or(|p| s.items[p].series.is_none())
    );
    // The state survives a save: a reloaded session keeps the series behind.
    let json = serde_json::to_string(&s).unwrap_or_default();
    let reloaded: Session = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        reloaded.can_visit(two),
        Err(RuleError::SeriesFinal(id(two)))
    );
}

#[test]
fn review_lists_unanswered_and_marked_items_of_the_section() {
    let lib = library();
    let mut s = exam_session(&lib, 3);
    let now = t0() + Duration::minutes(2);
    let plain: Vec<String> = s
        .items
        .iter()
        .filter(|i| i.series.is_none() && i.section == 0)
        .map(|i| i.item_id.clone())
        .take(3)
        .collect();
    let item = lib.bank.item(&plain[0]).unwrap_or_else(|| panic!("item"));
    s.answer(&lib.bank, &plain[0], key(&item.body), now)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.toggle_mark(&plain[1], now), Ok(true));
    let review = s.review();
    let entry = |id: &str| {
        review
            .iter()
            .find(|e| e.item_id == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} not on review"))
    };
    assert!(entry(&plain[0]).answered && !entry(&plain[0]).marked);
    assert!(!entry(&plain[1]).answered && entry(&plain[1]).marked);
    assert!(!entry(&plain[2]).answered && !entry(&plain[2]).marked);
    // Reviewable items may be changed.
    s.answer(&lib.bank, &plain[0], Answer::Choice('A'), now)
        .map(|_| ())
        .or_else(|e| match e {
            RuleError::InvalidAnswer { .. } => Ok(()),
            other => Err(other),
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_case_study_locks_once_left() {
    let lib = library();
    let mut s = session_with_series_and_case(&lib);
    let case_start = s.sections[1].items[0];
    let now = t0() + Duration::minutes(3);
    s.goto(case_start, now).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.sections[0].locked, "leaving the main section locks it");
    assert!(matches!(s.goto(0, now), Err(RuleError::SectionLocked(_))));
    // Inside the case study, items are reviewable.
    let second = s.sections[1].items[1];
    s.goto(second, now).unwrap_or_else(|e| panic!("{e}"));
    s.goto(case_start, now).unwrap_or_else(|e| panic!("{e}"));
    let review: Vec<usize> = s.review().iter().map(|e| e.position - 1).collect();
    assert_eq!(review, s.sections[1].items);
}

#[test]
fn the_deadline_submits_the_session() {
    let lib = library();
    let mut s = exam_session(&lib, 11);
    assert_eq!(s.deadline(t0()), Some(t0() + Duration::minutes(100)));
    let id = s.items[0].item_id.clone();
    let late = t0() + Duration::minutes(101);
    assert_eq!(
        s.answer(&lib.bank, &id, Answer::Choice('A'), late),
        Err(RuleError::Expired)
    );
    assert_eq!(s.submitted_at, Some(t0() + Duration::minutes(100)));
    assert_eq!(s.goto(1, late), Err(RuleError::Submitted));
    assert_eq!(s.pause(late), Err(RuleError::Submitted));
}

#[test]
fn strict_clock_refuses_pauses_and_pausable_sessions_move_the_deadline() {
    let lib = library();
    let mut strict = exam_session(&lib, 12);
    assert_eq!(strict.pause(t0()), Err(RuleError::NotPausable));
    let mut relaxed = exam_session(&lib, 12);
    relaxed.pausable = true;
    relaxed
        .pause(t0() + Duration::minutes(10))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        relaxed.goto(1, t0() + Duration::minutes(20)),
        Err(RuleError::Paused)
    ));
    relaxed
        .resume(t0() + Duration::minutes(40))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        relaxed.deadline(t0() + Duration::minutes(40)),
        Some(t0() + Duration::minutes(130))
    );
}

#[test]
fn exam_mode_reveals_nothing_before_submission() {
    let lib = library();
    let mut s = exam_session(&lib, 5);
    let now = t0() + Duration::minutes(5);
    for position in 0..s.items.len() {
        let id = s.items[position].item_id.clone();
        let item = lib.bank.item(&id).unwrap_or_else(|| panic!("{id}"));
        if s.goto(position, now).is_ok() {
            s.answer(&lib.bank, &id, key(&item.body), now)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let shown = present(&s, &lib.bank, position).unwrap_or_else(|| panic!("present"));
        assert!(shown.feedback.is_none(), "{id}: feedback before submission");
        let json = serde_json::to_string(&shown).unwrap_or_default();
        assert!(
            !json.contains(&item.explanation),
            "{id}: explanation leaked"
        );
    }
    s.submit(now).unwrap_or_else(|e| panic!("{e}"));
    assert!(present(&s, &lib.bank, 0).and_then(|p| p.feedback).is_some());
    let r = outline_ref("ai-103@2026-04-16");
    let outline = lib.catalog.outline(&r).unwrap_or_else(|| panic!("outline"));
    let report = report(&s, &lib.bank, &r, outline, 700, 0.7, now);
    assert_eq!(
        report.points, report.max_points,
        "answering every key scores full marks"
    );
    assert_eq!(report.scaled_score, 1000);
    assert!(report.passed);
}

#[test]
fn study_mode_gives_feedback_after_each_answer() {
    let lib = library();
    let r = outline_ref("ai-103@2026-04-16");
    let outline = lib.catalog.outline(&r).unwrap_or_else(|| panic!("outline"));
    let form = select_custom(
        &lib.bank,
        &r,
        outline,
        &CustomFilter::default(),
        &BTreeMap::new(),
        1,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let new = NewSession {
        id: "study".into(),
        user: "local".into(),
        exam: ExamCode::new("ai-103"),
        outline: &r,
        mode: Mode::Study,
        seed: 1,
        time_limit_ms: None,
        pausable: true,
        open_book: true,
        shuffle: false,
    };
    let mut s = Session::start(new, &form, &lib.bank, t0());
    assert!(
        present(&s, &lib.bank, 0).and_then(|p| p.feedback).is_none(),
        "not before answering"
    );
    let id = s.items[0].item_id.clone();
    let item = lib.bank.item(&id).unwrap_or_else(|| panic!("{id}"));
    s.answer(&lib.bank, &id, key(&item.body), t0())
        .unwrap_or_else(|e| panic!("{e}"));
    let feedback = present(&s, &lib.bank, 0)
        .and_then(|p| p.feedback)
        .unwrap_or_else(|| panic!("no feedback"));
    assert_eq!(feedback.points, feedback.max_points);
    assert_eq!(feedback.explanation, item.explanation);
    assert!(!feedback.references.is_empty());
}

#[test]
fn custom_selection_filters_by_domain_history_and_count() {
    let lib = library();
    let r = outline_ref("ai-103@2026-04-16");
    let outline = lib.catalog.outline(&r).unwrap_or_else(|| panic!("outline"));
    let filter = CustomFilter {
        domains: vec!["vision".into()],
        ..CustomFilter::default()
    };
    let form = select_custom(&lib.bank, &r, outline, &filter, &BTreeMap::new(), 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(form.item_ids().all(|id| {
        lib.bank
            .item(id)
            .and_then(|i| primary_domain(i, &r, outline))
            == Some("vision")
    }));
    let missed = form.item_ids().next().cloned().unwrap_or_default();
    let mut history = BTreeMap::new();
    history.insert(
        missed.clone(),
        ItemHistory {
            missed: true,
            marked: false,
            answered: true,
        },
    );
    let only_missed = CustomFilter {
        only_missed: true,
        ..CustomFilter::default()
    };
    let form = select_custom(&lib.bank, &r, outline, &only_missed, &history, 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        form.item_ids().cloned().collect::<Vec<_>>(),
        vec![missed.clone()]
    );
    let unseen = CustomFilter {
        only_unseen: true,
        count: Some(10),
        ..CustomFilter::default()
    };
    let form = select_custom(&lib.bank, &r, outline, &unseen, &history, 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(form.len(), 10);
    assert!(!form.item_ids().any(|id| *id == missed));
    let nothing = CustomFilter {
        only_marked: true,
        ..CustomFilter::default()
    };
    assert!(select_custom(&lib.bank, &r, outline, &nothing, &history, 2).is_err());
}

#[test]
fn invalid_answers_are_refused_with_the_expected_shape() {
    let lib = library();
    let mut s = exam_session(&lib, 9);
    let position = s
        .items
        .iter()
        .position(|i| i.series.is_none())
        .unwrap_or_default();
    let id = s.items[position].item_id.clone();
    let err = s.answer(&lib.bank, &id, Answer::Bool(true), t0());
    match err {
        Err(RuleError::InvalidAnswer { message, .. }) => {
            assert!(message.starts_with("expected "), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
