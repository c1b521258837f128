//! The team dashboard: each member's progress, domain strengths and latest scores, and the
//! team's projected number of passes, for instructors; for members, their own row and the
//! team's aggregates only.
//!
//! "Likely to pass" means the member's readiness (the calibrated pass probability of
//! `learning.rs`, from their first attempts) is at least 50%; the team's expected number of
//! passes is the sum of its members' pass probabilities. "By when" extrapolates the
//! least-squares line through their mock-exam scores to 700 (only when it rises, at most a year
//! ahead). Both are stated as estimates wherever they are shown.

use std::collections::BTreeMap;

use certprep_advisor::RenewalStatus;
use certprep_bank::Library;
use certprep_domain::stats::primary_domain;
use certprep_domain::{ExamCode, OutlineRef};
use certprep_store::{Account, Store, Team, TeamRole};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::{Result, ServiceError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainStrength {
    pub id: String,
    pub title: String,
    /// Points won over points possible in every answer of this outline, in percent.
    pub percent: Option<f64>,
    pub answered: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberProgress {
    pub user_id: String,
    pub email: String,
    pub role: TeamRole,
    pub sessions: usize,
    pub items_answered: usize,
    pub exams_taken: usize,
    pub latest_score: Option<u32>,
    pub latest_at: Option<DateTime<Utc>>,
    pub best_score: Option<u32>,
    pub likely_to_pass: bool,
    /// The probability of passing a real form now, and its 95% range; `None` before any answer.
    pub pass_probability: Option<f64>,
    pub pass_interval: Option<[f64; 2]>,
    pub projected_pass_date: Option<NaiveDate>,
    pub domains: Vec<DomainStrength>,
    /// The member's credential for this exam from their recorded results: expiry and renewal.
    pub credential: Option<certprep_advisor::Renewal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamDashboard {
    pub team: Team,
    pub your_role: TeamRole,
    pub exam: String,
    pub outline: String,
    pub member_count: usize,
    /// Members likely to pass now (see the module comment). Like every team figure below, shown
    /// to a member only once the team has [`MIN_MEMBERS_FOR_AGGREGATES`] members: in a smaller
    /// team the aggregates give away the others' results.
    pub projected_passes: Option<usize>,
    /// The sum of the members' pass probabilities: how many passes to expect if all sat now.
    pub expected_passes: Option<f64>,
    /// Members projected to pass within a year, counting those likely now.
    pub projected_passes_within_year: Option<usize>,
    /// When the last of those is projected to pass.
    pub projected_by: Option<NaiveDate>,
    /// Members holding the credential now (a recorded pass, not expired): what a partner
    /// organisation counts toward its designation.
    pub certified: Option<usize>,
    /// Of those, members whose free renewal assessment is open now.
    pub due_for_renewal: Option<usize>,
    /// Of those, members whose credential lapses because the exam retired.
    pub cannot_renew: Option<usize>,
    /// Per domain; a member of a small team gets the titles without the figures.
    pub domain_averages: Vec<DomainStrength>,
    /// Why the team figures are withheld, when they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregates_withheld: Option<String>,
    /// Every member for instructors; only the caller's own row for members.
    pub members: Vec<MemberProgress>,
    pub note: &'static str,
}

/// The smallest team whose aggregates a member may see.
pub const MIN_MEMBERS_FOR_AGGREGATES: usize = 5;

pub const PROJECTION_NOTE: &str = "Likely to pass: a pass probability of 50% or more on a real form \
(readiness from each member's first attempts). Expected passes: the sum of the members' pass \
probabilities. Projected date: the trend of mock-exam scores extended to 700. All are estimates.";

/// Builds the dashboard of a team for one exam's current outline, as `viewer` may see it.
pub async fn team_dashboard(
    library: &Library,
    store: &dyn Store,
    team: Team,
    viewer: (&str, TeamRole),
    members: Vec<(Account, TeamRole)>,
    exam_code: &str,
    now: DateTime<Utc>,
) -> Result<TeamDashboard> {
    let exam = library
        .catalog
        .exam(&ExamCode::new(exam_code))
        .ok_or_else(|| ServiceError::UnknownExam(exam_code.to_string()))?;
    let outline = exam
        .current_outline()
        .ok_or_else(|| ServiceError::Invalid(format!("{} has no outline", exam.code.display())))?;
    let outline_ref = exam.outline_ref(outline);
    let results = store.exam_results(None).await?;
    // Parsed once for the whole team; a library without advisor data shows no credentials.
    let advisor = crate::advisor::advisor_content(library).ok();
    let today = now.date_naive();
    let mut rows = Vec::new();
    for (account, role) in &members {
        let mut row = member_progress(
            library,
            store,
            account,
            *role,
            &outline_ref,
            exam.passing_score,
            now,
        )
        .await?;
        row.credential = advisor.as_ref().and_then(|content| {
            crate::advisor::credential_of(content, exam, &results, &account.id, today)
        });
        rows.push(row);
    }
    let holding = |wanted: &[RenewalStatus]| {
        rows.iter()
            .filter(|r| {
                r.credential
                    .as_ref()
                    .is_some_and(|c| wanted.contains(&c.status))
            })
            .count()
    };
    let certified = holding(&[
        RenewalStatus::Valid,
        RenewalStatus::WindowOpen,
        RenewalStatus::CannotRenew,
    ]);
    let due_for_renewal = holding(&[RenewalStatus::WindowOpen]);
    let cannot_renew = holding(&[RenewalStatus::CannotRenew]);
    let domain_averages = outline
        .domains
        .iter()
        .map(|d| {
            let values: Vec<f64> = rows
                .iter()
                .filter_map(|r| {
                    r.domains
                        .iter()
                        .find(|x| x.id == d.id)
                        .and_then(|x| x.percent)
                })
                .collect();
            DomainStrength {
                id: d.id.clone(),
                title: d.title.clone(),
                percent: (!values.is_empty())
                    .then(|| round1(values.iter().sum::<f64>() / values.len() as f64)),
                answered: rows
                    .iter()
                    .map(|r| {
                        r.domains
                            .iter()
                            .find(|x| x.id == d.id)
                            .map_or(0, |x| x.answered)
                    })
                    .sum(),
            }
        })
        .collect();
    let year = (now + Duration::days(365)).date_naive();
    let projected: Vec<NaiveDate> = rows
        .iter()
        .filter_map(|r| {
            if r.likely_to_pass {
                Some(now.date_naive())
            } else {
                r.projected_pass_date
            }
        })
        .filter(|d| *d <= year)
        .collect();
    let (viewer_id, viewer_role) = viewer;
    let shown = viewer_role == TeamRole::Instructor || rows.len() >= MIN_MEMBERS_FOR_AGGREGATES;
    let domain_averages: Vec<DomainStrength> = if shown {
        domain_averages
    } else {
        domain_averages
            .into_iter()
            .map(|d| DomainStrength {
                percent: None,
                answered: 0,
                ..d
            })
            .collect()
    };
    let dashboard = TeamDashboard {
        member_count: rows.len(),
        projected_passes: shown.then(|| rows.iter().filter(|r| r.likely_to_pass).count()),
        expected_passes: shown
            .then(|| round1(rows.iter().filter_map(|r| r.pass_probability).sum())),
        projected_passes_within_year: shown.then_some(projected.len()),
        projected_by: projected.iter().max().copied().filter(|_| shown),
        certified: shown.then_some(certified),
        due_for_renewal: shown.then_some(due_for_renewal),
        cannot_renew: shown.then_some(cannot_renew),
        domain_averages,
        aggregates_withheld: (!shown).then(|| {
            format!(
                "Team figures are shown to members once the team has {MIN_MEMBERS_FOR_AGGREGATES} \
                 members: in a smaller team they would give away the others' results."
            )
        }),
        members: if viewer_role == TeamRole::Instructor {
            rows
        } else {
            rows.into_iter()
                .filter(|r| r.user_id == viewer_id)
                .collect()
        },
        team: Team {
            invite_code: team
                .invite_code
                .filter(|_| viewer_role == TeamRole::Instructor),
            ..team
        },
        your_role: viewer_role,
        exam: exam.code.to_string(),
        outline: outline_ref.to_string(),
        note: PROJECTION_NOTE,
    };
    Ok(dashboard)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

async fn member_progress(
    library: &Library,
    store: &dyn Store,
    account: &Account,
    role: TeamRole,
    outline_ref: &OutlineRef,
    passing: u32,
    now: DateTime<Utc>,
) -> Result<MemberProgress> {
    let outline_name = outline_ref.to_string();
    let sessions = store.sessions(&account.id).await?;
    let responses = certprep_store::settled_responses(store, &account.id, now).await?;
    let outline = library.catalog.outline(outline_ref);
    let mut by_domain: BTreeMap<String, (u32, u32, usize)> = BTreeMap::new();
    for r in responses.iter().filter(|r| r.outline == outline_name) {
        let domain = outline.and_then(|o| {
            library
                .bank
                .item(&r.item_id)
                .and_then(|i| primary_domain(i, outline_ref, o))
        });
        if let Some(d) = domain {
            let e = by_domain.entry(d.to_string()).or_default();
            e.0 += r.points;
            e.1 += r.max_points;
            e.2 += 1;
        }
    }
    let domains = outline.map_or_else(Vec::new, |o| {
        o.domains
            .iter()
            .map(|d| {
                let (points, max, answered) = by_domain.get(&d.id).copied().unwrap_or_default();
                DomainStrength {
                    id: d.id.clone(),
                    title: d.title.clone(),
                    percent: (max > 0).then(|| round1(100.0 * f64::from(points) / f64::from(max))),
                    answered,
                }
            })
            .collect()
    });
    let mut exams: Vec<(DateTime<Utc>, u32)> = sessions
        .iter()
        .filter(|s| s.mode == "exam" && s.outline == outline_name)
        .filter_map(|s| Some((s.submitted_at?, s.outcome?.scaled_score)))
        .collect();
    exams.sort();
    let latest = exams.last().copied();
    let readiness = if responses.is_empty() {
        None
    } else {
        Some(
            crate::Service::new(library, store, account.id.as_str())
                .readiness(outline_ref.exam.as_str(), now)
                .await?,
        )
    };
    let pass_probability = readiness.as_ref().map(|r| r.assessment.pass_probability);
    let likely = pass_probability.is_some_and(|p| p >= 0.5);
    Ok(MemberProgress {
        user_id: account.id.clone(),
        email: account.email.clone(),
        role,
        sessions: sessions.len(),
        items_answered: responses.len(),
        exams_taken: exams.len(),
        latest_score: latest.map(|(_, s)| s),
        latest_at: latest.map(|(t, _)| t),
        best_score: exams.iter().map(|(_, s)| *s).max(),
        likely_to_pass: likely,
        pass_probability,
        pass_interval: readiness.as_ref().map(|r| r.assessment.interval),
        projected_pass_date: if likely {
            None
        } else {
            projected_date(&exams, passing, now)
        },
        domains,
        credential: None,
    })
}

/// Where the least-squares line through (day, score) reaches the passing score, if it rises.
fn projected_date(
    exams: &[(DateTime<Utc>, u32)],
    passing: u32,
    now: DateTime<Utc>,
) -> Option<NaiveDate> {
    if exams.len() < 2 {
        return None;
    }
    let t0 = exams[0].0;
    let points: Vec<(f64, f64)> = exams
        .iter()
        .map(|(t, s)| ((*t - t0).num_seconds() as f64 / 86_400.0, f64::from(*s)))
        .collect();
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx < 1e-9 {
        return None;
    }
    let slope = points
        .iter()
        .map(|p| (p.0 - mean_x) * (p.1 - mean_y))
        .sum::<f64>()
        / sxx;
    if slope <= 0.0 {
        return None;
    }
    let day = mean_x + (f64::from(passing) - mean_y) / slope;
    let date = t0 + Duration::seconds((day * 86_400.0) as i64);
    let date = date.max(now);
    (date <= now + Duration::days(365)).then(|| date.date_naive())
}

/// A text cell made safe for spreadsheets: one that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would run as a formula (`=HYPERLINK(…)`, `=cmd|…`), so it gets a leading
/// apostrophe, as OWASP recommends; the apostrophe shows as text and nothing runs.
pub fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The dashboard as CSV, one row per member, for instructors (written with the `csv` crate,
/// text cells made safe for spreadsheets).
pub fn dashboard_csv(d: &TeamDashboard) -> Result<String> {
    let mut header: Vec<String> = [
        "email",
        "role",
        "sessions",
        "items_answered",
        "exams_taken",
        "latest_score",
        "best_score",
        "likely_to_pass",
        "pass_probability",
        "projected_pass_date",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    header.extend(
        d.domain_averages
            .iter()
            .map(|x| format!("{}_percent", x.id)),
    );
    let mut out = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(vec![]);
    let failed = |e: csv::Error| ServiceError::Invalid(format!("cannot write the CSV: {e}"));
    out.write_record(header.iter().map(|h| spreadsheet_safe(h)))
        .map_err(failed)?;
    for m in &d.members {
        let opt = |v: Option<u32>| v.map_or_else(String::new, |x| x.to_string());
        let mut row = vec![
            spreadsheet_safe(&m.email),
            spreadsheet_safe(m.role.as_str()),
            m.sessions.to_string(),
            m.items_answered.to_string(),
            m.exams_taken.to_string(),
            opt(m.latest_score),
            opt(m.best_score),
            m.likely_to_pass.to_string(),
            m.pass_probability
                .map_or_else(String::new, |p| format!("{p:.3}")),
            m.projected_pass_date
                .map_or_else(String::new, |d| d.to_string()),
        ];
        row.extend(
            m.domains
                .iter()
                .map(|x| x.percent.map_or_else(String::new, |p| p.to_string())),
        );
        out.write_record(&row).map_err(failed)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ServiceError::Invalid(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|e| ServiceError::Invalid(format!("cannot write the CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_neutralised() {
        for (cell, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1@example.com", "'+1@example.com"),
            ("-2@example.com", "'-2@example.com"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("ada@example.com", "ada@example.com"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell:?}");
        }
    }
    use chrono::TimeZone;

    #[test]
    fn projection_follows_a_rising_trend_only() {
        let day = |d: u32| {
            Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0)
                .single()
                .unwrap_or_default()
        };
        let rising = [(day(1), 500), (day(11), 600)];
        assert_eq!(
            projected_date(&rising, 700, day(11)),
            NaiveDate::from_ymd_opt(2026, 11, 21)
        );
        let falling = [(day(1), 600), (day(11), 500)];
        assert_eq!(projected_date(&falling, 700, day(11)), None);
        assert_eq!(projected_date(&rising[..1], 700, day(11)), None);
    }
}
