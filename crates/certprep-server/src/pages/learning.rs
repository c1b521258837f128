//! Learning pages: readiness in detail with the exam date, the reviews due, starting the
//! recommended activity, and bank health for instructors.

use super::*;

/// Starts the review of the items due in an exam (POST form: exam).
pub async fn start_review(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let (account, exam, back) = match exam_form(&viewer, &form, "Choose an exam to review.") {
        Ok(parts) => parts,
        Err(r) => return *r,
    };
    let started = page_service(&state, account)
        .start_review(&exam, state.now())
        .await;
    open_started(started, &back)
}

/// Starts what the recommendation says to do next for an exam (POST form: exam).
pub async fn start_next(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let (account, exam, back) = match exam_form(&viewer, &form, "Choose an exam first.") {
        Ok(parts) => parts,
        Err(r) => return *r,
    };
    let now = state.now();
    let service = page_service(&state, account);
    let started = match service.next_activity(&exam, now).await {
        Ok(next) => service.start_recommended(&next, now).await,
        Err(e) => Err(e),
    };
    open_started(started, &back)
}

/// A started session's page, or back with the refusal's message.
pub(crate) fn open_started(
    started: certprep_service::Result<certprep_domain::session::Session>,
    back: &str,
) -> Response {
    match started {
        Ok(s) => Redirect::to(&format!("/s/{}", s.id)).into_response(),
        Err(e) if e.is_client_error() => with_message(back, &e.to_string()),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// The account and the exam of a form that starts something for one exam, or the response
/// that refuses it (no valid sender, or no exam, with `missing` as the message).
pub(crate) fn exam_form<'v>(
    viewer: &'v Option<(Account, String, String)>,
    form: &FormPairs,
    missing: &str,
) -> Result<(&'v Account, String, String), Box<Response>> {
    let account = form_sender(viewer, form)?;
    let back = back_to(form, "/");
    let exam = form.get("exam").unwrap_or_default().trim().to_string();
    if exam.is_empty() {
        return Err(Box::new(with_message(&back, missing)));
    }
    Ok((account, exam, back))
}

pub(crate) struct DomainRow {
    title: String,
    weight: String,
    theta: String,
    items: usize,
    above_cut: String,
}

pub(crate) struct ObjectiveRow {
    title: String,
    domain: String,
    recall: String,
    studied: String,
}

#[derive(Template)]
#[template(path = "readiness.html")]
pub(crate) struct ReadinessPage {
    title: String,
    nav: Nav,
    exam: String,
    code: String,
    headline: String,
    label: String,
    outline: String,
    percent: String,
    interval: String,
    bar: String,
    theta: String,
    cut: String,
    above: bool,
    above_cut: String,
    scaled_estimate: u32,
    items_answered: usize,
    few: bool,
    min_items: usize,
    outline_items: usize,
    calibrated_items: usize,
    domains: Vec<DomainRow>,
    chart: String,
    exam_date: String,
    today: String,
    at: String,
    weakest: Vec<ObjectiveRow>,
    passing_standard: u32,
    standard_note: Option<String>,
    note: &'static str,
    next_reason: String,
    next_label: &'static str,
}

/// `/readiness/{exam}`: pass probability, ability against the cut, per domain, the trend, the
/// weakest objectives at the exam date, and the exam date form.
pub async fn readiness(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(code): Path<String>,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let now = state.now();
    let service = page_service(&state, account);
    let exam = match service.exam(&code) {
        Ok(e) => e,
        Err(e) => return problem_for(&viewer, e),
    };
    // A retired exam points to its successor rather than judging readiness for it.
    if let Some(r) = exam
        .retirement
        .as_ref()
        .filter(|r| r.on <= now.date_naive())
        && let Some(successor) = &r.successor
    {
        return with_message(
            &format!("/readiness/{successor}"),
            &format!(
                "{} retired on {}; readiness is judged for its successor, {}.",
                exam.code.display(),
                r.on,
                successor.display()
            ),
        );
    }
    let r = match service.readiness(&code, now).await {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let due = match service.review_queue(Some(&code), now).await {
        Ok(queue) => queue.due.len(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let next = exam
        .current_outline()
        .map(|o| certprep_service::learning::recommend(exam.code.as_str(), due, &r, o));
    let titles: std::collections::BTreeMap<&str, &str> = r
        .domains
        .iter()
        .map(|d| (d.id.as_str(), d.title.as_str()))
        .collect();
    let mut weakest: Vec<_> = r
        .objectives
        .iter()
        .filter(|o| o.projection.items > 0)
        .collect();
    weakest.sort_by(|a, b| {
        a.projection
            .expected_recall
            .total_cmp(&b.projection.expected_recall)
            .then(a.id.cmp(&b.id))
    });
    let chart = crate::charts::probability_trend(
        &r.timeline
            .iter()
            .map(|t| crate::charts::ProbabilityPoint {
                label: t.date.to_string(),
                p: t.pass_probability,
                low: t.interval[0],
                high: t.interval[1],
            })
            .collect::<Vec<_>>(),
    );
    let today = now.date_naive();
    render(&ReadinessPage {
        title: format!("Readiness · {}", exam.code.display()),
        nav: nav(&viewer, q.m),
        exam: exam.code.to_string(),
        label: format!("{} · {}", exam.code.display(), exam.title),
        outline: r.outline.clone(),
        code: exam.code.display(),
        headline: headline(r.assessment.pass_probability, &exam.code.display()),
        percent: percent(r.assessment.pass_probability),
        interval: interval_text(r.assessment.interval),
        bar: crate::charts::interval_bar(
            r.assessment.pass_probability,
            r.assessment.interval[0],
            r.assessment.interval[1],
        ),
        theta: format!("{:.2} ± {:.2}", r.assessment.theta, r.assessment.se),
        cut: format!("{:.2}", r.assessment.cut),
        above: r.assessment.theta >= r.assessment.cut,
        above_cut: percent(r.assessment.above_cut),
        scaled_estimate: r.scaled_estimate,
        items_answered: r.items_answered,
        few: r.items_answered < certprep_service::learning::MIN_ITEMS_FOR_READINESS,
        min_items: certprep_service::learning::MIN_ITEMS_FOR_READINESS,
        outline_items: r.outline_items,
        calibrated_items: r.calibrated_items,
        domains: r
            .domains
            .iter()
            .map(|d| DomainRow {
                title: d.title.clone(),
                weight: format!("{:.0}%", d.weight),
                theta: if d.items_answered == 0 {
                    "–".into()
                } else {
                    format!("{:.2} ± {:.2}", d.theta, d.se)
                },
                items: d.items_answered,
                above_cut: if d.items_answered == 0 {
                    "–".into()
                } else {
                    percent(d.above_cut)
                },
            })
            .collect(),
        chart,
        exam_date: r.exam_date.map(|d| d.to_string()).unwrap_or_default(),
        today: today.to_string(),
        at: match r.exam_date.filter(|d| *d >= today) {
            Some(d) => format!("on your exam date, {d}"),
            None => "today (set your exam date to project to it)".into(),
        },
        weakest: weakest
            .iter()
            .take(5)
            .map(|o| ObjectiveRow {
                title: o.title.clone(),
                domain: titles
                    .get(o.domain.as_str())
                    .map_or_else(|| o.domain.clone(), |t| (*t).to_string()),
                recall: percent(o.projection.expected_recall),
                studied: format!("{} of {}", o.projection.studied, o.projection.items),
            })
            .collect(),
        passing_standard: r.passing_standard,
        standard_note: r.standard_note.clone(),
        note: r.note,
        next_reason: next.as_ref().map(|n| n.reason.clone()).unwrap_or_default(),
        next_label: next
            .as_ref()
            .map_or("Start", |n| activity_label(&n.activity)),
    })
}

/// Readiness in plain words first; the figures follow.
pub(crate) fn headline(p: f64, exam: &str) -> String {
    match p {
        p if p >= 0.8 => format!("You are likely to pass {exam} today."),
        p if p >= 0.5 => format!("You are more likely than not to pass {exam}, but not by much."),
        p if p >= 0.2 => format!("You are not yet likely to pass {exam}."),
        _ => format!("You would very likely not pass {exam} yet."),
    }
}

/// Sets the planned exam date from the readiness page's form (csrf, date).
pub async fn set_exam_date(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(code): Path<String>,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let service = page_service(&state, account);
    let exam = match service.exam(&code) {
        Ok(e) => e.code.to_string(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let back = format!("/readiness/{exam}");
    let today = state.now().date_naive();
    let date = match crate::api::parse_exam_date(form.get("date").unwrap_or_default(), today) {
        Ok(d) => d,
        Err(e) => return with_message(&back, &e.message),
    };
    match service.set_exam_date(&exam, date, today).await {
        Ok(d) => with_message(&back, &format!("Exam date set to {d}.")),
        Err(e) if e.is_client_error() => with_message(&back, &e.to_string()),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub(crate) struct DueRow {
    item: String,
    stem: String,
    due: String,
    recall: String,
    exams: String,
}

#[derive(Template)]
#[template(path = "due.html")]
pub(crate) struct DuePage {
    title: &'static str,
    nav: Nav,
    rows: Vec<DueRow>,
    /// Exams with items due: (code, label, count).
    exams: Vec<(String, String, usize)>,
    studied: usize,
    next_due: Option<String>,
    optimised: bool,
}

/// Plain text of a Markdown stem, cut to a line.
pub(crate) fn excerpt(md: &str, chars: usize) -> String {
    let plain: String = md
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !matches!(c, '*' | '`' | '#' | '_'))
        .collect();
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() > chars {
        format!("{}…", plain.chars().take(chars).collect::<String>())
    } else {
        plain
    }
}

/// `/review`: the items due for review, with a start button per exam.
pub async fn due_reviews(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let queue = match page_service(&state, account)
        .review_queue(None, state.now())
        .await
    {
        Ok(queue) => queue,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let mut exams: Vec<(String, String, usize)> = Vec::new();
    for entry in &queue.due {
        for code in &entry.exams {
            match exams.iter_mut().find(|e| &e.0 == code) {
                Some(e) => e.2 += 1,
                None => exams.push((code.clone(), code.to_uppercase(), 1)),
            }
        }
    }
    render(&DuePage {
        title: "Reviews",
        nav: nav(&viewer, q.m),
        rows: queue
            .due
            .iter()
            .map(|d| DueRow {
                item: d.item_id.clone(),
                stem: state
                    .library
                    .bank
                    .item(&d.item_id)
                    .map(|i| excerpt(&i.stem, 90))
                    .unwrap_or_default(),
                due: d.due.format("%Y-%m-%d").to_string(),
                recall: percent(d.retrievability),
                exams: d.exams.join(", ").to_uppercase(),
            })
            .collect(),
        exams,
        studied: queue.studied,
        next_due: queue
            .next_due
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()),
        optimised: queue.optimised,
    })
}

#[derive(Template)]
#[template(path = "denied.html")]
pub(crate) struct DeniedPage {
    title: &'static str,
    nav: Nav,
    message: &'static str,
}

pub(crate) struct HealthRow {
    item: String,
    respondents: usize,
    facility: String,
    d: String,
    r_pb: String,
    findings: String,
    flagged: bool,
    /// Open reports, linked to the queue filtered on the item.
    reports: usize,
}

#[derive(Template)]
#[template(path = "health.html")]
pub(crate) struct HealthPage {
    title: &'static str,
    nav: Nav,
    attempts: usize,
    respondents: usize,
    repeats_ignored: usize,
    flagged: usize,
    rows: Vec<HealthRow>,
    /// (number, candidates, items, KR-20, alpha)
    forms: Vec<(usize, usize, usize, String, String)>,
    accuracy: AccuracyView,
}

/// How well certprep predicted real results recorded on this server.
pub(crate) struct AccuracyView {
    results: usize,
    minimum: usize,
    enough: bool,
    brier: String,
    baseline: String,
    /// (range, count, mean predicted, observed pass rate)
    bins: Vec<(String, usize, String, String)>,
}

fn accuracy_view(a: &certprep_advisor::Accuracy) -> AccuracyView {
    let pct = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| format!("{:.0}%", x * 100.0));
    AccuracyView {
        results: a.results,
        minimum: a.minimum,
        enough: a.enough,
        brier: a.brier.map_or_else(|| "–".into(), |b| format!("{b:.3}")),
        baseline: a
            .brier_baseline
            .map_or_else(|| "–".into(), |b| format!("{b:.3}")),
        bins: a
            .bins
            .iter()
            .map(|b| {
                (
                    format!("{:.0}–{:.0}%", b.range[0] * 100.0, b.range[1] * 100.0),
                    b.count,
                    pct(b.mean_predicted),
                    pct(b.observed_pass_rate),
                )
            })
            .collect(),
    }
}

/// `/bank/health`: item analysis over every user's answers, for instructors and admins.
pub async fn bank_health(State(state): State<AppState>, Viewer(viewer): Viewer) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    if !crate::api::is_staff(account.role) {
        let mut r = render(&DeniedPage {
            title: "Not allowed",
            nav: nav(&viewer, None),
            message: "Bank health shows statistics over every candidate's answers: it is for \
                      instructors and admins.",
        });
        *r.status_mut() = StatusCode::FORBIDDEN;
        return r;
    }
    let health = crate::api::off_the_workers(&state, async |library, store, now| {
        certprep_service::learning::bank_health(library, store, now).await
    });
    let h = match health.await {
        Ok(h) => h,
        Err(e) => return e.into_response(),
    };
    let stat = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| format!("{x:.2}"));
    let reports = |item: &str| h.disputes.get(item);
    render(&HealthPage {
        title: "Bank health",
        nav: nav(&viewer, None),
        attempts: h.analysis.attempts,
        respondents: h.analysis.respondents,
        repeats_ignored: h.analysis.repeats_ignored,
        flagged: h
            .analysis
            .items
            .iter()
            .filter(|i| {
                !i.flags.is_empty()
                    || reports(&i.item).is_some_and(|d| d.wrong_key_upheld.is_some())
            })
            .count(),
        rows: h
            .analysis
            .items
            .iter()
            .map(|i| {
                let disputes = reports(&i.item);
                let findings = match disputes.and_then(|d| d.summary()) {
                    Some(d) => format!("{d}; {}", i.summary()),
                    None => i.summary(),
                };
                HealthRow {
                    item: i.item.clone(),
                    respondents: i.respondents,
                    facility: format!("{:.2}", i.facility),
                    d: stat(i.discrimination_index),
                    r_pb: stat(i.point_biserial),
                    findings,
                    flagged: !i.flags.is_empty()
                        || disputes.is_some_and(|d| d.wrong_key_upheld.is_some()),
                    reports: disputes.map_or(0, |d| d.open),
                }
            })
            .collect(),
        forms: h
            .analysis
            .forms
            .iter()
            .enumerate()
            .map(|(n, f)| (n + 1, f.candidates, f.items, stat(f.kr20), stat(f.alpha)))
            .collect(),
        accuracy: accuracy_view(&h.prediction_accuracy),
    })
}
