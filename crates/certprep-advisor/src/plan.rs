//! A week-by-week study plan: the hours split over domains by weight and weakness, with an
//! adaptive check first, mock exams at the middle and the end, and review every week; and the
//! progress against it from the hours the person actually logged.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::{AdvisorError, Result};

/// A domain of the outline: its weight (share of the exam, 0–1) and, when certprep has
/// evidence, how well the person masters it (0–1: the chance their ability there is above the
/// cut, or their recall). Unknown mastery counts as middling.
#[derive(Debug, Clone, Serialize)]
pub struct PlanDomain {
    pub id: String,
    pub title: String,
    pub weight: f64,
    pub mastery: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct PlanRequest {
    pub today: NaiveDate,
    pub exam_date: NaiveDate,
    pub hours_per_week: f64,
    /// The hours the advisor estimates for this person, `[min, max]`.
    pub hours_needed: [u32; 2],
    pub domains: Vec<PlanDomain>,
    /// The exam's length, for mock exams.
    pub exam_minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityKind {
    AdaptiveCheck,
    Practice,
    Review,
    MockExam,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub kind: ActivityKind,
    /// The domain practised, for practice.
    pub domain: Option<String>,
    pub label: String,
    pub hours: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainHours {
    pub id: String,
    pub title: String,
    pub hours: f64,
    /// Why it gets that many: weight and weakness.
    pub weight: f64,
    pub mastery: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Week {
    pub number: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub hours: f64,
    pub activities: Vec<Activity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    /// The hours available cover the estimate.
    Reachable,
    /// They cover its lower end only.
    Tight,
    /// Not even the lower end: a later date is needed.
    Unreachable,
}

#[derive(Debug, Clone, Serialize)]
pub struct StudyPlan {
    pub today: NaiveDate,
    pub exam_date: NaiveDate,
    pub hours_per_week: f64,
    pub weeks: Vec<Week>,
    pub available_hours: f64,
    pub hours_needed: [u32; 2],
    pub status: PlanStatus,
    /// What the status means for this person, in words.
    pub message: String,
    /// The first date on which the estimate is reachable at these hours per week (the middle of
    /// the range), and the first for its lower end.
    pub earliest_date: NaiveDate,
    pub earliest_date_low: NaiveDate,
    pub domains: Vec<DomainHours>,
}

/// Review (spaced repetition) takes this share of each week.
const REVIEW_SHARE: f64 = 0.15;
/// The adaptive check that opens the plan, in hours.
const ADAPTIVE_CHECK_HOURS: f64 = 0.5;
/// Reading a mock exam's results and notes after it.
const MOCK_DEBRIEF_HOURS: f64 = 0.5;

pub fn plan(req: &PlanRequest) -> Result<StudyPlan> {
    if !(req.hours_per_week.is_finite() && req.hours_per_week > 0.0 && req.hours_per_week <= 80.0) {
        return Err(AdvisorError::Input(format!(
            "hours per week must be more than 0 and at most 80, not {}",
            req.hours_per_week
        )));
    }
    if req.exam_date <= req.today {
        return Err(AdvisorError::Input(format!(
            "the exam date {} is not after today ({})",
            req.exam_date, req.today
        )));
    }
    if req.domains.is_empty() {
        return Err(AdvisorError::Input("the outline has no domains".into()));
    }
    let days = (req.exam_date - req.today).num_days();
    let week_count = u32::try_from((days + 6) / 7).unwrap_or(u32::MAX).max(1);
    // The last week may be shorter than seven days: its hours shrink with it.
    let week_lengths: Vec<i64> = (0..week_count)
        .map(|w| (days - i64::from(w) * 7).min(7))
        .collect();
    let week_hours: Vec<f64> = week_lengths
        .iter()
        .map(|d| round_quarter(req.hours_per_week * (*d as f64) / 7.0))
        .collect();
    let available: f64 = week_hours.iter().sum();
    let [low, high] = req.hours_needed;
    let target = f64::from(low + high) / 2.0;
    let earliest = |hours: f64| {
        let weeks = (hours / req.hours_per_week).ceil().max(1.0) as u64;
        req.today
            .checked_add_days(Days::new(weeks * 7))
            .unwrap_or(req.today)
    };
    let (status, message) = if available + 1e-9 >= target {
        (
            PlanStatus::Reachable,
            format!(
                "Reachable: {} hours over {week_count} week(s) cover the estimate of {low}–{high} hours.",
                trim(available)
            ),
        )
    } else if available + 1e-9 >= f64::from(low) {
        (
            PlanStatus::Tight,
            format!(
                "Tight: {} hours cover only the lower end of {low}–{high} hours. {} is the first date for the middle of the estimate at {} hours a week.",
                trim(available),
                earliest(target),
                trim(req.hours_per_week)
            ),
        )
    } else {
        (
            PlanStatus::Unreachable,
            format!(
                "Not reachable: {} hours by {} are fewer than the {low} hours at the least. At {} hours a week, {} is the first date for the lower end and {} for the middle of the estimate; or find {} hours a week.",
                trim(available),
                req.exam_date,
                trim(req.hours_per_week),
                earliest(f64::from(low)),
                earliest(target),
                trim((f64::from(low) / f64::from(week_count)).ceil())
            ),
        )
    };
    let mock_weeks = mock_weeks(week_count);
    let mock_hours = round_quarter(f64::from(req.exam_minutes) / 60.0 + MOCK_DEBRIEF_HOURS);
    // What is left each week after the check, the mocks and review goes to domain practice.
    let mut practice_left: Vec<f64> = Vec::with_capacity(week_hours.len());
    let mut weeks: Vec<Week> = Vec::with_capacity(week_hours.len());
    for (i, hours) in week_hours.iter().copied().enumerate() {
        let number = i as u32 + 1;
        let start = req
            .today
            .checked_add_days(Days::new(i as u64 * 7))
            .unwrap_or(req.today);
        let end = start
            .checked_add_days(Days::new((week_lengths[i] - 1).max(0) as u64))
            .unwrap_or(start);
        let mut activities = Vec::new();
        let mut left = hours;
        if number == 1 && left >= ADAPTIVE_CHECK_HOURS {
            activities.push(Activity {
                kind: ActivityKind::AdaptiveCheck,
                domain: None,
                label: "Adaptive check: find your starting point".into(),
                hours: ADAPTIVE_CHECK_HOURS,
            });
            left -= ADAPTIVE_CHECK_HOURS;
        }
        if mock_weeks.contains(&number) && left >= mock_hours {
            activities.push(Activity {
                kind: ActivityKind::MockExam,
                domain: None,
                label: if number == week_count {
                    "Final mock exam under the real rules, then its results".into()
                } else {
                    "Mock exam under the real rules, then its results".into()
                },
                hours: mock_hours,
            });
            left -= mock_hours;
        }
        let review = round_quarter(hours * REVIEW_SHARE).min(left);
        if review > 0.0 {
            activities.push(Activity {
                kind: ActivityKind::Review,
                domain: None,
                label: "Review what is due (spaced repetition)".into(),
                hours: review,
            });
            left -= review;
        }
        practice_left.push(left.max(0.0));
        weeks.push(Week {
            number,
            start,
            end,
            hours,
            activities,
        });
    }
    let practice_total: f64 = practice_left.iter().sum();
    let domains = split_domains(&req.domains, practice_total);
    fill_practice(&mut weeks, &practice_left, &domains);
    Ok(StudyPlan {
        today: req.today,
        exam_date: req.exam_date,
        hours_per_week: req.hours_per_week,
        weeks,
        available_hours: available,
        hours_needed: req.hours_needed,
        status,
        message,
        earliest_date: earliest(target),
        earliest_date_low: earliest(f64::from(low)),
        domains,
    })
}

/// Mock exams: the last week always; the middle one too from four weeks.
fn mock_weeks(count: u32) -> Vec<u32> {
    match count {
        0 => vec![],
        1..=3 => vec![count],
        _ => vec![count.div_ceil(2), count],
    }
}

/// Practice hours per domain: weight times weakness (1.5 for a domain not mastered at all,
/// 0.5 for one fully mastered, 1 when unknown), normalised to the hours there are.
fn split_domains(domains: &[PlanDomain], hours: f64) -> Vec<DomainHours> {
    let need =
        |d: &PlanDomain| d.weight.max(0.0) * (1.5 - d.mastery.unwrap_or(0.5).clamp(0.0, 1.0));
    let total: f64 = domains.iter().map(need).sum();
    domains
        .iter()
        .map(|d| DomainHours {
            id: d.id.clone(),
            title: d.title.clone(),
            hours: if total > 0.0 {
                round_quarter(hours * need(d) / total)
            } else {
                round_quarter(hours / domains.len() as f64)
            },
            weight: d.weight,
            mastery: d.mastery,
        })
        .collect()
}

/// Lays the domains' hours over the weeks in order, weakest (most hours) first, so each week
/// concentrates on one or two domains instead of a sliver of each.
fn fill_practice(weeks: &mut [Week], capacity: &[f64], domains: &[DomainHours]) {
    let mut queue: Vec<(usize, f64)> = domains.iter().map(|d| d.hours).enumerate().collect();
    queue.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut q = queue.into_iter().filter(|(_, h)| *h > 0.0).peekable();
    let mut current: Option<(usize, f64)> = q.next();
    for (week, cap) in weeks.iter_mut().zip(capacity) {
        let mut room = *cap;
        while room > 0.01 {
            let Some((d, left)) = current else { break };
            // Hours are in quarters already; a sliver of room left over goes unused.
            let take = left.min(room);
            if take < 0.125 {
                break;
            }
            week.activities.push(Activity {
                kind: ActivityKind::Practice,
                domain: Some(domains[d].id.clone()),
                label: format!("Practise {}", domains[d].title),
                hours: take,
            });
            room -= take;
            current = if left - take > 0.01 {
                Some((d, left - take))
            } else {
                q.next()
            };
        }
    }
}

fn round_quarter(x: f64) -> f64 {
    (x * 4.0).round() / 4.0
}

fn trim(x: f64) -> String {
    crate::advise::trim_number(x)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProgressStatus {
    NotStarted,
    OnTrack,
    Behind,
    Ahead,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekProgress {
    pub number: u32,
    pub start: NaiveDate,
    pub planned: f64,
    pub logged: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanProgress {
    pub status: ProgressStatus,
    pub planned_to_date: f64,
    pub logged_to_date: f64,
    pub weeks: Vec<WeekProgress>,
    pub message: String,
}

/// Progress against a plan from the hours logged per day (sessions' active time).
/// The current week counts by whole days done; behind means under 80% of the hours planned so far.
pub fn progress(plan: &StudyPlan, logged: &[(NaiveDate, f64)], today: NaiveDate) -> PlanProgress {
    let weeks: Vec<WeekProgress> = plan
        .weeks
        .iter()
        .map(|w| WeekProgress {
            number: w.number,
            start: w.start,
            planned: w.hours,
            logged: logged
                .iter()
                .filter(|(d, _)| *d >= w.start && *d <= w.end)
                .map(|(_, h)| h)
                .sum(),
        })
        .collect();
    // Only whole days count: on any day the plan asks for that day's hours by its end.
    let planned_to_date: f64 = plan
        .weeks
        .iter()
        .map(|w| {
            if today > w.end {
                w.hours
            } else if today <= w.start {
                0.0
            } else {
                let len = (w.end - w.start).num_days() + 1;
                let done = (today - w.start).num_days();
                w.hours * done as f64 / len as f64
            }
        })
        .sum();
    let logged_to_date: f64 = weeks.iter().map(|w| w.logged).sum();
    let status = if planned_to_date <= 0.0 {
        ProgressStatus::NotStarted
    } else if logged_to_date + 1e-9 >= planned_to_date * 1.2 {
        ProgressStatus::Ahead
    } else if logged_to_date + 1e-9 >= planned_to_date * 0.8 {
        ProgressStatus::OnTrack
    } else {
        ProgressStatus::Behind
    };
    let message = match status {
        ProgressStatus::NotStarted if logged_to_date > 0.0 => format!(
            "The plan starts today; {} hours logged so far today.",
            trim((logged_to_date * 4.0).round() / 4.0)
        ),
        ProgressStatus::NotStarted => "The plan starts today.".to_string(),
        ProgressStatus::OnTrack => format!(
            "On track: {} of {} hours planned so far.",
            trim((logged_to_date * 4.0).round() / 4.0),
            trim((planned_to_date * 4.0).round() / 4.0)
        ),
        ProgressStatus::Ahead => format!(
            "Ahead: {} hours logged against {} planned so far.",
            trim((logged_to_date * 4.0).round() / 4.0),
            trim((planned_to_date * 4.0).round() / 4.0)
        ),
        ProgressStatus::Behind => format!(
            "Behind: {} of {} hours planned so far; {} hours to catch up.",
            trim((logged_to_date * 4.0).round() / 4.0),
            trim((planned_to_date * 4.0).round() / 4.0),
            trim(((planned_to_date - logged_to_date) * 4.0).ceil() / 4.0)
        ),
    };
    PlanProgress {
        status,
        planned_to_date: round_quarter(planned_to_date),
        logged_to_date: round_quarter(logged_to_date),
        weeks,
        message,
    }
}
