//! `certprep review`, `readiness`, `next`, `plan`, `calibrate` and `bank health`: the learning
//! use cases of the service, printed as text or JSON.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use certprep_bank::Library;
use certprep_service::Service;
use certprep_service::learning::BankHealthReport;
use certprep_service::learning::{
    CalibrationReport, ReadinessReport, Recommendation, ReviewQueue, bank_health, calibrate_bank,
    recommend,
};
use chrono::{DateTime, Utc};

use crate::server::server_store;
use crate::session::{LOCAL_USER, open_store, print_json, print_view, refusal, runtime};
use crate::table::truncate;

fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// Runs `work` with the local user's service over the SQLite store in the data directory.
pub(crate) fn with_local_service(
    library: &Library,
    data_dir: Option<&Path>,
    work: impl AsyncFnOnce(&Service<'_>) -> Result<ExitCode>,
) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let store = open_store(data_dir).await?;
        let service = Service::new(library, &store, LOCAL_USER);
        work(&service).await
    })
}

pub fn review(
    library: &Library,
    data_dir: Option<&Path>,
    exam: Option<&str>,
    start: bool,
    json: bool,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    with_local_service(library, data_dir, async |service| {
        if start {
            let Some(exam) = exam else {
                return Err(refusal_text("give --exam CODE to start a review session"));
            };
            let session = service.start_review(exam, now).await.map_err(refusal)?;
            return print_view(&service.view(&session, now), json);
        }
        let queue = service.review_queue(exam, now).await.map_err(refusal)?;
        if json {
            print_json(&queue)?;
        } else {
            print!("{}", queue_text(&queue, exam));
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn refusal_text(message: &str) -> anyhow::Error {
    anyhow::Error::new(crate::session::Refused(message.to_string()))
}

fn queue_text(q: &ReviewQueue, exam: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} due for review ({} items studied, {} answers; {} parameters)",
        q.due.len(),
        q.studied,
        q.reviews,
        if q.optimised {
            "your own optimised FSRS"
        } else {
            "default FSRS"
        }
    );
    for d in q.due.iter().take(40) {
        let _ = writeln!(
            s,
            "  {:<36} due {}  recall now {:>4}  {}",
            d.item_id,
            d.due.format("%Y-%m-%d"),
            percent(d.retrievability),
            d.exams.join(", ")
        );
    }
    if q.due.len() > 40 {
        let _ = writeln!(s, "  … and {} more", q.due.len() - 40);
    }
    if let Some(next) = q.next_due {
        let _ = writeln!(
            s,
            "Next item falls due {}.",
            next.format("%Y-%m-%d %H:%M UTC")
        );
    }
    if !q.due.is_empty() {
        let _ = writeln!(
            s,
            "Start: certprep review --exam {} --start",
            exam.unwrap_or("CODE")
        );
    }
    s
}

pub fn readiness(
    library: &Library,
    data_dir: Option<&Path>,
    exam: &str,
    json: bool,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    with_local_service(library, data_dir, async |service| {
        let report = service.readiness(exam, now).await.map_err(refusal)?;
        if json {
            print_json(&report)?;
        } else {
            // The recommendation from the readiness already computed, not a second pass.
            let due = service
                .review_queue(Some(exam), now)
                .await
                .map_err(refusal)?;
            let found = service.exam(exam).map_err(refusal)?;
            let next = found
                .current_outline()
                .map(|o| recommend(found.code.as_str(), due.due.len(), &report, o));
            print!("{}", readiness_text(&report, next.as_ref()));
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn readiness_text(r: &ReadinessReport, next: Option<&Recommendation>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}): pass probability {} (95% range {}–{}), from {} items answered",
        r.exam.to_uppercase(),
        r.outline,
        percent(r.assessment.pass_probability),
        percent(r.assessment.interval[0]),
        percent(r.assessment.interval[1]),
        r.items_answered
    );
    let _ = writeln!(
        s,
        "Ability θ {:+.2} ± {:.2} against the cut {:+.2}; expected {:.0}% of a blueprint form (about {} of 1000)",
        r.assessment.theta,
        r.assessment.se,
        r.assessment.cut,
        r.assessment.expected_share * 100.0,
        r.scaled_estimate
    );
    if let Some(date) = r.exam_date {
        let _ = writeln!(s, "Exam date: {date}");
    }
    let _ = writeln!(
        s,
        "\nDOMAIN                                         WEIGHT  ANSWERED  θ       ABOVE CUT"
    );
    for d in &r.domains {
        let _ = writeln!(
            s,
            "{:<46} {:>5.1}%  {:>8}  {:+.2}±{:.2}  {:>5}",
            truncate(&d.title, 46),
            d.weight,
            d.items_answered,
            d.theta,
            d.se,
            percent(d.above_cut)
        );
    }
    if r.timeline.len() > 1 {
        let _ = writeln!(s, "\nTrend:");
        for p in &r.timeline {
            let _ = writeln!(
                s,
                "  {}  {:>4}  ({}–{})  {} items",
                p.date,
                percent(p.pass_probability),
                percent(p.interval[0]),
                percent(p.interval[1]),
                p.items_answered
            );
        }
    }
    let weak: Vec<_> = {
        let mut v: Vec<_> = r.objectives.iter().collect();
        v.sort_by(|a, b| {
            a.projection
                .expected_recall
                .total_cmp(&b.projection.expected_recall)
        });
        v.into_iter().take(5).collect()
    };
    if !weak.is_empty() {
        let _ = writeln!(
            s,
            "\nWeakest recall {} :",
            r.exam_date
                .map_or_else(|| "today".to_string(), |d| format!("on {d}"))
        );
        for o in weak {
            let _ = writeln!(
                s,
                "  {:>4}  {} ({} of {} items studied)",
                percent(o.projection.expected_recall),
                truncate(&o.title, 60),
                o.projection.studied,
                o.projection.items
            );
        }
    }
    if let Some(next) = next {
        let _ = writeln!(s, "\nNext: {}\n  {}", next.reason, next.command);
    }
    let _ = writeln!(
        s,
        "\n{} of {} items calibrated; passing standard {}%.\n{}",
        r.calibrated_items, r.outline_items, r.passing_standard, r.note
    );
    s
}

pub fn next(
    library: &Library,
    data_dir: Option<&Path>,
    exam: &str,
    start: bool,
    json: bool,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    with_local_service(library, data_dir, async |service| {
        let next = service.next_activity(exam, now).await.map_err(refusal)?;
        if start {
            let session = service
                .start_recommended(&next, now)
                .await
                .map_err(refusal)?;
            return print_view(&service.view(&session, now), json);
        }
        if json {
            print_json(&next)?;
        } else {
            println!("{}\n  {}", next.reason, next.command);
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn calibrate(
    library: &Library,
    data_dir: Option<&Path>,
    database_url: Option<&str>,
    three_pl: bool,
    json: bool,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let store = server_store(data_dir, database_url).await?;
        let started = std::time::Instant::now();
        let report = calibrate_bank(library, &*store, three_pl, now)
            .await
            .map_err(refusal)?;
        if json {
            print_json(&report)?;
        } else {
            print!(
                "{}",
                calibration_text(&report, started.elapsed().as_secs_f64())
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn calibration_text(r: &CalibrationReport, seconds: f64) -> String {
    let mut s = format!(
        "Calibrated {} items from {} responses of {} candidates in {:.2} s ({} EM iterations, {}).\n\
         {} items have enough respondents ({}+) to replace their priors; {} misfit the model.\n\
         Reliability of the ability estimates: {:.2}.\n",
        r.items,
        r.responses,
        r.candidates,
        seconds,
        r.iterations,
        if r.converged {
            "converged"
        } else {
            "not converged"
        },
        r.usable,
        certprep_service::learning::MIN_CALIBRATION_RESPONDENTS,
        r.misfitting,
        r.reliability
    );
    if !r.calibrated.is_empty() {
        s.push_str("\nITEM                                  N      a      b      c  FIT\n");
        for c in &r.calibrated {
            let _ = writeln!(
                s,
                "{:<34} {:>5} {:>6.2} {:>6.2} {:>6.2}  {}",
                truncate(&c.item_id, 34),
                c.respondents,
                c.a,
                c.b,
                c.c,
                if c.misfit { "MISFIT" } else { "ok" }
            );
        }
    }
    s
}

pub fn health(
    library: &Library,
    data_dir: Option<&Path>,
    database_url: Option<&str>,
    flagged: bool,
    json: bool,
) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let store = server_store(data_dir, database_url).await?;
        let mut report = bank_health(library, &*store, chrono::Utc::now())
            .await
            .map_err(refusal)?;
        if flagged {
            report.retain_flagged();
        }
        if json {
            print_json(&report)?;
        } else {
            print!("{}", health_text(&report));
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn health_text(report: &BankHealthReport) -> String {
    let h = &report.analysis;
    let mut s = format!(
        "{} attempts by {} candidates ({} repeats ignored: first attempts only).\n\n",
        h.attempts, h.respondents, h.repeats_ignored
    );
    s.push_str("ITEM                                  N  FACILITY     D  R(PB)  FINDINGS\n");
    let stat = |v: Option<f64>| v.map_or_else(|| "    –".to_string(), |x| format!("{x:>5.2}"));
    for i in &h.items {
        let findings = match report.disputes.get(&i.item).and_then(|d| d.summary()) {
            Some(d) => format!("{d}; {}", i.summary()),
            None => i.summary(),
        };
        let _ = writeln!(
            s,
            "{:<34} {:>4}  {:>8.2} {} {}  {}",
            truncate(&i.item, 34),
            i.respondents,
            i.facility,
            stat(i.discrimination_index),
            stat(i.point_biserial),
            findings
        );
    }
    if !h.forms.is_empty() {
        s.push_str("\nFORM RELIABILITY (exam sessions given the same form)\n");
        for f in &h.forms {
            let _ = writeln!(
                s,
                "  {} candidates, {} items: KR-20 {}, alpha {}",
                f.candidates,
                f.items,
                stat(f.kr20),
                stat(f.alpha)
            );
        }
    }
    s
}
