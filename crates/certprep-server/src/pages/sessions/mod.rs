//! A session in the browser: starting one, each item of every type with its answer form,
//! moving and marking, the review screen, results and the answer review.

mod flow;
mod item;
mod view;

pub use flow::*;
pub use item::*;

use super::*;

pub async fn practice(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let mode = form
        .get("mode")
        .and_then(Mode::parse)
        .unwrap_or(Mode::Study);
    let count = form
        .get("count")
        .and_then(|c| c.trim().parse::<u32>().ok())
        .filter(|c| (1..=1000).contains(c));
    // A fixed form (a published practice test) is sat as an exam unless study is chosen.
    let fixed = form
        .get("form")
        .filter(|f| !f.is_empty())
        .map(str::to_string);
    let mode = if fixed.is_some() && mode != Mode::Study {
        Mode::Exam
    } else {
        mode
    };
    let exam = fixed
        .as_deref()
        .and_then(|f| state.library.form(f))
        .map_or_else(
            || form.get("exam").unwrap_or("ai-103").to_string(),
            |f| f.outline.exam.to_string(),
        );
    let request = StartRequest {
        exam,
        mode: Some(mode),
        filter: CustomFilter {
            only_missed: mode == Mode::Custom,
            count: if mode == Mode::Exam { None } else { count },
            ..CustomFilter::default()
        },
        form: fixed,
        ..StartRequest::default()
    };
    let store: &dyn Store = &*state.store;
    let service = Service::new(&state.library, store, account.id.clone());
    match service.start(request, state.now()).await {
        Ok(s) => Redirect::to(&format!("/s/{}", s.id)).into_response(),
        Err(e) => Redirect::to(&format!("/?m={}", urlencode(&e.to_string()))).into_response(),
    }
}

/// A refusal in the words of the exam screen: questions by number, never by internal id.
pub(crate) fn friendly(e: &certprep_domain::session::RuleError) -> String {
    use certprep_domain::session::RuleError as R;
    match e {
        R::SectionLocked(_) => "That question is in a section you have left: on the exam a \
                                section locks once you leave it."
            .into(),
        R::SeriesFinal(_) => "That question belongs to a yes/no series and is behind you \
                              (answered, or passed by moving on): series questions cannot be \
                              revisited or changed."
            .into(),
        R::SeriesOrder { .. } => "Yes/no series questions come one after another: take the \
                                  next one of the series first."
            .into(),
        R::AdaptiveFinal(_) => {
            "Each answer of the readiness check is final: the next question depends on it.".into()
        }
        R::UnknownItem(_) => "That question is not part of this session.".into(),
        R::InvalidAnswer { message, .. } => format!("Not saved: {message}."),
        other => other.to_string(),
    }
}

/// [`friendly`] for any service error.
pub(crate) fn friendly_service(e: &certprep_service::ServiceError) -> String {
    match e {
        certprep_service::ServiceError::Rule(r) => friendly(r),
        other => other.to_string(),
    }
}

pub(crate) fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The start of a question as plain text, for pages that name it (a report form).
pub(crate) fn question_excerpt(stem: &str) -> String {
    view::excerpt(stem, 240)
}

pub(crate) fn page_service<'a>(state: &'a AppState, account: &Account) -> Service<'a> {
    let store: &dyn Store = &*state.store;
    Service::new(&state.library, store, account.id.clone())
}

#[derive(Template)]
#[template(path = "results.html")]
pub(crate) struct ResultsPage {
    title: &'static str,
    nav: Nav,
    session_id: String,
    scaled_score: u32,
    passed: bool,
    passing_score: u32,
    points: u32,
    max_points: u32,
    percent: String,
    answered: usize,
    total: usize,
    time_used: String,
    chart: String,
    domains: Vec<(String, String, String)>,
    weakest: String,
    objectives: Vec<(String, String, String)>,
    items: Vec<(usize, String, String, String)>,
    /// Study and practice: a practice score, not a scaled verdict.
    practice: bool,
    note: String,
    adaptive: Option<AdaptiveView>,
    model_note: Option<String>,
}

/// The adaptive check's decision, as the results page states it.
pub(crate) struct AdaptiveView {
    outcome: &'static str,
    headline: String,
    detail: String,
}

pub(crate) fn adaptive_view(v: &certprep_domain::session::AdaptiveVerdict) -> AdaptiveView {
    use certprep_domain::session::AdaptiveOutcome as O;
    let outcome = match v.outcome {
        O::Pass => "pass",
        O::Fail => "fail",
        O::Undecided => "undecided",
    };
    let detail = v.detail();
    AdaptiveView {
        outcome,
        headline: v.headline().to_string(),
        detail: format!("Decided {detail}."),
    }
}

pub(crate) fn clock(ms: i64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

pub async fn results(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let now = state.now();
    let service = page_service(&state, account);
    let session = match service.load(&id, now).await {
        Ok(s) => s,
        Err(e) => return problem_for(&viewer, e),
    };
    if !session.is_submitted() {
        return Redirect::to(&format!("/s/{id}")).into_response();
    }
    let r = match service.report(&session, now).await {
        Ok(r) => r,
        Err(e) => return problem_for(&viewer, e),
    };
    let mut objectives: Vec<_> = r.objectives.iter().collect();
    objectives.sort_by(|a, b| a.percent.total_cmp(&b.percent));
    let titles: Vec<(String, f64)> = r
        .domains
        .iter()
        .map(|d| (d.title.clone(), d.percent))
        .collect();
    render(&ResultsPage {
        title: "Results",
        nav: nav(&viewer, None),
        session_id: id.clone(),
        scaled_score: r.scaled_score,
        passed: r.passed,
        passing_score: r.passing_score,
        points: r.points,
        max_points: r.max_points,
        percent: format!("{:.0}", r.percent),
        answered: r.answered,
        total: r.items_total,
        time_used: clock(r.time_used_ms),
        chart: crate::charts::bars(&titles),
        domains: r
            .domains
            .iter()
            .map(|d| {
                (
                    d.title.clone(),
                    format!("{} of {}", d.points, d.max_points),
                    if d.max_points == 0 {
                        "n/a".into()
                    } else {
                        format!("{:.0}%", d.percent)
                    },
                )
            })
            .collect(),
        weakest: r
            .weakest
            .iter()
            .map(|id| {
                r.domains
                    .iter()
                    .find(|d| &d.id == id)
                    .map_or_else(|| id.clone(), |d| d.title.clone())
            })
            .collect::<Vec<_>>()
            .join("; "),
        objectives: objectives
            .iter()
            .map(|o| {
                (
                    o.title.clone(),
                    format!("{} of {}", o.points, o.max_points),
                    format!("{:.0}%", o.percent),
                )
            })
            .collect(),
        items: r
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                (
                    i + 1,
                    state
                        .library
                        .bank
                        .item(&it.item_id)
                        .map_or_else(String::new, |item| view::excerpt(&item.stem, 90)),
                    format!("{} of {}", it.points, it.max_points),
                    clock(i64::try_from(it.time_spent_ms).unwrap_or(0)),
                )
            })
            .collect(),
        practice: matches!(session.mode, Mode::Study | Mode::Custom),
        note: r.note,
        adaptive: r.adaptive.as_ref().map(adaptive_view),
        model_note: r.model.as_ref().map(|m| {
            let source = if m.calibrated_items > 0 {
                format!(
                    "the calibrated item model ({} of the items calibrated)",
                    m.calibrated_items
                )
            } else {
                "the item model (no item calibrated yet: difficulties from the authors' ratings)"
                    .to_string()
            };
            format!(
                "The score and the verdict above come from your points. Beside them, {source} \
                 estimates {} of 1000 for a typical form: ability θ = {:.2} ± {:.2}, an expected \
                 {:.0}% of the points on a form drawn to the outline.",
                m.scaled,
                m.theta,
                m.se,
                m.expected_share * 100.0
            )
        }),
    })
}

// ---------------------------------------------------------------------------------------------
// Teams

#[derive(Template)]
#[template(path = "answer.html")]
pub(crate) struct AnswerPage {
    title: String,
    nav: Nav,
    session_id: String,
    position: usize,
    total: usize,
    prev: Option<usize>,
    next: Option<usize>,
    type_description: &'static str,
    case_title: Option<String>,
    scenario_html: String,
    is_series: bool,
    area: view::AnswerArea,
    editable: bool,
}

/// `GET /s/{id}/answers/{n}`: one item of a submitted session, read-only, each of the
/// candidate's choices marked right or wrong in place, with the key and every explanation.
pub async fn answer_review(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path((id, n)): Path<(String, usize)>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let session = match page_service(&state, account).load(&id, state.now()).await {
        Ok(s) => s,
        Err(e) => return problem_for(&viewer, e),
    };
    if !session.is_submitted() {
        return with_message(
            &format!("/s/{id}"),
            "Answers and explanations are shown once the session is submitted.",
        );
    }
    let total = session.items.len();
    let Some(item) = n
        .checked_sub(1)
        .and_then(|p| certprep_domain::present::present(&session, &state.library.bank, p))
    else {
        return problem(
            &viewer,
            StatusCode::NOT_FOUND,
            "No such question",
            "This session has no question with that number.",
        );
    };
    render(&AnswerPage {
        title: format!("Question {n} of {total}: your answer"),
        nav: nav(&viewer, None),
        session_id: id.clone(),
        position: n,
        total,
        prev: (n > 1).then(|| n - 1),
        next: (n < total).then(|| n + 1),
        type_description: item.type_description,
        case_title: item.case_study.as_ref().map(|c| c.title.clone()),
        scenario_html: item
            .series
            .as_ref()
            .map_or_else(String::new, |s| markdown(&s.scenario)),
        is_series: item.series.is_some(),
        area: {
            let mut area = view::answer_area(&item, "review");
            if let Some(f) = area.feedback.as_mut() {
                let here = format!("/s/{id}/answers/{n}");
                f.report_href = view::report_href(&item.item_id, &id, &here);
            }
            area
        },
        editable: false,
    })
}
