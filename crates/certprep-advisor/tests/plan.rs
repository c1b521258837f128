//! The study plan's arithmetic, its calendar parsed back, progress, renewal and accuracy.

use certprep_advisor::ics::plan_calendar;
use certprep_advisor::{
    ActivityKind, PlanDomain, PlanRequest, PlanStatus, Prediction, ProgressStatus, RenewalStatus,
    accuracy, plan, progress, renewal,
};
use chrono::NaiveDate;
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

fn domains(mastery: [Option<f64>; 3]) -> Vec<PlanDomain> {
    [
        ("plan", "Plan and manage", 0.5),
        ("build", "Build", 0.3),
        ("vision", "Vision", 0.2),
    ]
    .into_iter()
    .zip(mastery)
    .map(|((id, title, weight), mastery)| PlanDomain {
        id: id.into(),
        title: title.into(),
        weight,
        mastery,
    })
    .collect()
}

fn request(today: &str, exam: &str, per_week: f64, needed: [u32; 2]) -> PlanRequest {
    PlanRequest {
        today: day(today),
        exam_date: day(exam),
        hours_per_week: per_week,
        hours_needed: needed,
        domains: domains([None, None, None]),
        exam_minutes: 100,
    }
}

#[test]
fn weeks_hours_and_activities_add_up() {
    // Ten weeks at 10 hours: 100 hours, enough for 80–115 (middle 97.5).
    let p = plan(&request("2027-01-04", "2027-03-15", 10.0, [80, 115])).expect("a plan");
    assert_eq!(p.weeks.len(), 10);
    assert_eq!(p.available_hours, 100.0);
    assert_eq!(p.status, PlanStatus::Reachable);
    for w in &p.weeks {
        let sum: f64 = w.activities.iter().map(|a| a.hours).sum();
        assert!(
            (sum - w.hours).abs() < 0.26,
            "week {}: {sum} of {}",
            w.number,
            w.hours
        );
    }
    assert_eq!(p.weeks[0].activities[0].kind, ActivityKind::AdaptiveCheck);
    let mocks: Vec<u32> = p
        .weeks
        .iter()
        .filter(|w| {
            w.activities
                .iter()
                .any(|a| a.kind == ActivityKind::MockExam)
        })
        .map(|w| w.number)
        .collect();
    assert_eq!(mocks, [5, 10]);
    assert!(
        p.weeks
            .iter()
            .all(|w| w.activities.iter().any(|a| a.kind == ActivityKind::Review))
    );
    // Weeks are consecutive and end before the exam.
    assert_eq!(p.weeks[0].start, day("2027-01-04"));
    assert_eq!(p.weeks[9].end, day("2027-03-14"));
    // With no evidence, hours follow the weights: 50/30/20 of the practice hours.
    let practice: f64 = p.domains.iter().map(|d| d.hours).sum();
    let share = |id: &str| {
        p.domains
            .iter()
            .find(|d| d.id == id)
            .map_or(0.0, |d| d.hours)
            / practice
    };
    assert!((share("plan") - 0.5).abs() < 0.01 && (share("vision") - 0.2).abs() < 0.01);
    // The practice laid over the weeks matches the domains' totals.
    let laid: f64 = p
        .weeks
        .iter()
        .flat_map(|w| &w.activities)
        .filter(|a| a.kind == ActivityKind::Practice)
        .map(|a| a.hours)
        .sum();
    assert!((laid - practice).abs() < 0.6, "{laid} vs {practice}");
}

#[test]
fn weakness_moves_hours_to_the_weak_domain() {
    let mut req = request("2027-01-04", "2027-03-15", 10.0, [80, 115]);
    req.domains = domains([Some(0.9), Some(0.5), Some(0.1)]);
    let p = plan(&req).expect("a plan");
    let hours = |id: &str| {
        p.domains
            .iter()
            .find(|d| d.id == id)
            .map_or(0.0, |d| d.hours)
    };
    // need = weight × (1.5 − mastery): plan 0.30, build 0.30, vision 0.28.
    assert!(
        (hours("plan") - hours("build")).abs() < 0.3,
        "{:?}",
        p.domains
    );
    assert!(hours("vision") > 0.9 * hours("plan"), "{:?}", p.domains);
    // The weakest-need domain is practised first.
    let first = p.weeks[0]
        .activities
        .iter()
        .find(|a| a.kind == ActivityKind::Practice)
        .expect("practice");
    assert!(first.domain.is_some());
}

#[test]
fn an_unreachable_date_says_which_date_can_be_reached() {
    // Four weeks at 5 hours: 20 hours, fewer than 80.
    let p = plan(&request("2027-01-04", "2027-02-01", 5.0, [80, 115])).expect("a plan");
    assert_eq!(p.status, PlanStatus::Unreachable);
    // 80 h at 5 h/week = 16 weeks; the middle 97.5 h = 20 weeks.
    assert_eq!(p.earliest_date_low, day("2027-04-26"));
    assert_eq!(p.earliest_date, day("2027-05-24"));
    assert!(
        p.message.contains("2027-04-26") && p.message.contains("2027-05-24"),
        "{}",
        p.message
    );
    assert!(p.message.contains("find 20 hours a week"), "{}", p.message);
    // Between the ends: tight.
    let p = plan(&request("2027-01-04", "2027-03-01", 10.0, [80, 115])).expect("a plan");
    assert_eq!(p.status, PlanStatus::Tight, "{}", p.message);
}

#[test]
fn bad_requests_are_refused() {
    assert!(plan(&request("2027-01-04", "2027-01-04", 5.0, [80, 115])).is_err());
    assert!(plan(&request("2027-01-04", "2027-02-01", 0.0, [80, 115])).is_err());
    assert!(
        plan(&request(
            "2027-01-04",
            "2027-02-01",
            f64::INFINITY,
            [80, 115]
        ))
        .is_err()
    );
    // A partial last week has fewer hours.
    let p = plan(&request("2027-01-04", "2027-01-15", 7.0, [10, 20])).expect("a plan");
    assert_eq!(p.weeks.len(), 2);
    assert_eq!(p.weeks[1].hours, 4.0);
}

#[test]
fn the_calendar_parses_back_with_every_week_mock_and_the_exam() {
    let p = plan(&request("2027-01-04", "2027-03-15", 10.0, [80, 115])).expect("a plan");
    let text = plan_calendar(&p, "AI-103");
    assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
    let parsed: Calendar = text.parse().expect("the calendar parses");
    let events: Vec<&icalendar::Event> = parsed
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    // 10 weeks + 2 mock exams + the exam.
    assert_eq!(events.len(), 13);
    let week3 = events
        .iter()
        .find(|e| e.get_uid() == Some("certprep-ai-103-week-3@certprep"))
        .expect("week 3");
    assert_eq!(week3.get_summary(), Some("AI-103 study week 3 of 10: 10 h"));
    assert_eq!(
        week3.get_start(),
        Some(DatePerhapsTime::Date(day("2027-01-18")))
    );
    // All-day DTEND is exclusive: the day after the week's last.
    assert_eq!(
        week3.get_end(),
        Some(DatePerhapsTime::Date(day("2027-01-25")))
    );
    assert!(
        week3
            .get_description()
            .is_some_and(|d| d.contains("Review what is due"))
    );
    let exam = events
        .iter()
        .find(|e| e.get_summary() == Some("AI-103 exam"))
        .expect("the exam");
    assert_eq!(
        exam.get_start(),
        Some(DatePerhapsTime::Date(day("2027-03-15")))
    );
    let mocks = events
        .iter()
        .filter(|e| e.get_summary() == Some("AI-103 mock exam"))
        .count();
    assert_eq!(mocks, 2);
}

#[test]
fn progress_from_logged_hours() {
    let p = plan(&request("2027-01-04", "2027-03-15", 10.0, [80, 115])).expect("a plan");
    // Two full weeks done on 2027-01-18 (20 h planned), 18 h logged: on track.
    let logged = [(day("2027-01-05"), 9.0), (day("2027-01-12"), 9.0)];
    let on = progress(&p, &logged, day("2027-01-18"));
    assert_eq!(on.status, ProgressStatus::OnTrack, "{}", on.message);
    assert_eq!(on.planned_to_date, 20.0);
    assert_eq!(on.weeks[0].logged, 9.0);
    // 9 of 20: behind, with the hours to catch up.
    let behind = progress(&p, &logged[..1], day("2027-01-18"));
    assert_eq!(behind.status, ProgressStatus::Behind);
    assert!(
        behind.message.contains("11 hours to catch up"),
        "{}",
        behind.message
    );
    // Day one: nothing is due yet, whatever was logged that day.
    assert_eq!(
        progress(&p, &[], day("2027-01-04")).status,
        ProgressStatus::NotStarted
    );
    let first = progress(&p, &[(day("2027-01-04"), 0.5)], day("2027-01-04"));
    assert_eq!(first.status, ProgressStatus::NotStarted);
    assert!(
        first.message.contains("0.5 hours logged"),
        "{}",
        first.message
    );
    // Mid-week counts whole days: three days of week 1 done on 01-07 is 30/7 ≈ 4.3 h planned.
    let mid = progress(&p, &[(day("2027-01-05"), 4.0)], day("2027-01-07"));
    assert_eq!(mid.status, ProgressStatus::OnTrack, "{}", mid.message);
    let ahead = progress(&p, &[(day("2027-01-05"), 6.0)], day("2027-01-07"));
    assert_eq!(ahead.status, ProgressStatus::Ahead, "{}", ahead.message);
}

fn policy() -> certprep_advisor::data::RenewalPolicy {
    certprep_advisor::data::RenewalPolicy {
        valid_months: 12,
        window_months: 6,
        note: String::new(),
        source: String::new(),
    }
}

#[test]
fn renewal_dates_and_retirement() {
    // Passed 2026-09-10: expires 2027-09-10, renewal opens 2027-03-10.
    let r = renewal(&policy(), day("2026-09-10"), day("2026-12-06"), None, None);
    assert_eq!(
        (r.expires_on, r.window_opens),
        (day("2027-09-10"), day("2027-03-10"))
    );
    assert_eq!(r.status, RenewalStatus::Valid);
    assert!(r.message.contains("opens on 2027-03-10"), "{}", r.message);
    assert_eq!(
        renewal(&policy(), day("2026-09-10"), day("2027-04-01"), None, None).status,
        RenewalStatus::WindowOpen
    );
    assert_eq!(
        renewal(&policy(), day("2026-09-10"), day("2027-09-10"), None, None).status,
        RenewalStatus::Expired
    );
    // AI-102 passed 2026-03-01, retired 2026-06-30: valid until 2027-03-01 but cannot be renewed.
    let r = renewal(
        &policy(),
        day("2026-03-01"),
        day("2026-12-06"),
        Some(day("2026-06-30")),
        Some("ai-103"),
    );
    assert_eq!(r.status, RenewalStatus::CannotRenew);
    assert!(
        r.message.contains("cannot be renewed") && r.message.contains("AI-103"),
        "{}",
        r.message
    );
    // A retirement announced inside the window: renew before it.
    let r = renewal(
        &policy(),
        day("2026-01-15"),
        day("2026-08-01"),
        Some(day("2026-12-31")),
        None,
    );
    assert_eq!(r.status, RenewalStatus::WindowOpen);
    assert!(
        r.message.contains("Renew before 2026-12-31"),
        "{}",
        r.message
    );
    // A retirement before the window opens: warned now.
    let r = renewal(
        &policy(),
        day("2026-01-15"),
        day("2026-02-01"),
        Some(day("2026-06-30")),
        Some("ai-103"),
    );
    assert_eq!(r.status, RenewalStatus::Valid);
    assert!(r.message.contains("will not be renewable"), "{}", r.message);
    // 31 January plus a year and minus six months stays a valid date.
    let r = renewal(&policy(), day("2027-01-31"), day("2027-02-01"), None, None);
    assert_eq!(
        (r.expires_on, r.window_opens),
        (day("2028-01-31"), day("2027-07-31"))
    );
}

#[test]
fn brier_score_and_reliability_table() {
    let preds: Vec<Prediction> = [
        (0.9, true),
        (0.8, true),
        (0.7, false),
        (0.3, false),
        (0.2, true),
        (0.1, false),
    ]
    .into_iter()
    .map(|(probability, passed)| Prediction {
        probability,
        passed,
    })
    .collect();
    let a = accuracy(&preds, 5, 10);
    // (0.01 + 0.04 + 0.49 + 0.09 + 0.64 + 0.01) / 6
    assert!((a.brier.expect("brier") - 1.28 / 6.0).abs() < 1e-12);
    // Base rate 0.5: baseline 0.25.
    assert!((a.brier_baseline.expect("baseline") - 0.25).abs() < 1e-12);
    assert!(!a.enough);
    let counts: Vec<usize> = a.bins.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 2, 0, 1, 2]);
    assert_eq!(a.bins[4].observed_pass_rate, Some(1.0));
    assert_eq!(a.bins[1].observed_pass_rate, Some(0.5));
    assert_eq!(a.bins[2].mean_predicted, None);
    // 1.0 falls into the last bin; nothing recorded gives no score.
    assert_eq!(
        accuracy(
            &[Prediction {
                probability: 1.0,
                passed: true
            }],
            5,
            1
        )
        .bins[4]
            .count,
        1
    );
    assert!(accuracy(&[], 5, 10).brier.is_none());
}
