//! The study plan as an iCalendar file (RFC 5545), written with the `icalendar` crate: one
//! all-day event per week with its hours and activities, one per mock exam, and the exam itself.

use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};

use crate::plan::{ActivityKind, StudyPlan};

/// The calendar text for a plan. `exam` names the exam (`AI-103`); UIDs are stable, so
/// importing a newer plan replaces the older one's events instead of doubling them.
pub fn plan_calendar(plan: &StudyPlan, exam: &str) -> String {
    let mut calendar = Calendar::new();
    calendar.name(&format!("certprep: {exam} study plan"));
    let tag = exam.to_ascii_lowercase();
    for week in &plan.weeks {
        let lines: Vec<String> = week
            .activities
            .iter()
            .map(|a| format!("- {} ({} h)", a.label, crate::advise::trim_number(a.hours)))
            .collect();
        calendar.push(all_day(
            &format!("certprep-{tag}-week-{}@certprep", week.number),
            &format!(
                "{exam} study week {} of {}: {} h",
                week.number,
                plan.weeks.len(),
                crate::advise::trim_number(week.hours)
            ),
            &lines.join("\n"),
            week.start,
            week.end,
        ));
        for (i, mock) in week
            .activities
            .iter()
            .filter(|a| a.kind == ActivityKind::MockExam)
            .enumerate()
        {
            // On the week's last day, so the week's practice comes before it.
            calendar.push(all_day(
                &format!("certprep-{tag}-mock-{}-{i}@certprep", week.number),
                &format!("{exam} mock exam"),
                &mock.label,
                week.end,
                week.end,
            ));
        }
    }
    calendar.push(all_day(
        &format!("certprep-{tag}-exam@certprep"),
        &format!("{exam} exam"),
        "The exam day. Good luck.",
        plan.exam_date,
        plan.exam_date,
    ));
    calendar.done().to_string()
}

fn all_day(
    uid: &str,
    summary: &str,
    description: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> Event {
    // DTEND of an all-day event is exclusive: the day after the last.
    let end = last.succ_opt().unwrap_or(last);
    Event::new()
        .uid(uid)
        .summary(summary)
        .description(description)
        .starts(first)
        .ends(end)
        .done()
}
