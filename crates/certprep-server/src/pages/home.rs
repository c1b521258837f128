//! The home page (readiness, reviews due and what next per exam), the exam catalog and the
//! history.

use super::*;

pub(crate) struct ExamOption {
    code: String,
    label: String,
}

pub(crate) struct SessionRow {
    id: String,
    started: String,
    exam: String,
    mode: String,
    result: String,
}

pub(crate) fn rows(sessions: &[SessionSummary]) -> Vec<SessionRow> {
    sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id.clone(),
            started: s.started_at.format("%Y-%m-%d %H:%M").to_string(),
            exam: s.exam.to_uppercase(),
            mode: s.mode.clone(),
            result: s.result_text(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    title: &'static str,
    nav: Nav,
    /// Resuming an unfinished session, or the first step when no readiness can be shown.
    next_step: Option<String>,
    exams: Vec<ExamOption>,
    sessions: Vec<SessionRow>,
    readiness: Vec<ReadinessCard>,
    /// Renewal windows open or opening soon, and credentials lapsing.
    reminders: Vec<String>,
}

/// One exam's readiness on the home page: pass probability, reviews due and what to do next.
pub(crate) struct ReadinessCard {
    exam: String,
    label: String,
    /// Too little evidence for a pass probability to mean anything.
    few: bool,
    min_items: usize,
    headline: String,
    percent: String,
    interval: String,
    bar: String,
    items_answered: usize,
    due: usize,
    next_due: Option<String>,
    next_reason: String,
    next_label: &'static str,
}

pub(crate) fn percent(p: f64) -> String {
    format!("{:.0}%", (p * 100.0).clamp(0.0, 100.0))
}

pub(crate) fn interval_text(i: [f64; 2]) -> String {
    format!(
        "{:.0}–{:.0}%",
        (i[0] * 100.0).clamp(0.0, 100.0),
        (i[1] * 100.0).clamp(0.0, 100.0)
    )
}

pub(crate) fn activity_label(a: &Activity) -> &'static str {
    match a {
        Activity::Review { .. } => "Start the review",
        Activity::Practise { .. } => "Practise it",
        Activity::MockExam => "Start a mock exam",
        Activity::AdaptiveCheck => "Start the readiness check",
    }
}

/// The readiness card of one exam; `None` when the exam has no current outline to assess.
pub(crate) async fn readiness_card(
    service: &Service<'_>,
    exam: &certprep_domain::Exam,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<ReadinessCard>, certprep_service::ServiceError> {
    let Some(outline) = exam.current_outline() else {
        return Ok(None);
    };
    let code = exam.code.to_string();
    let r = service.readiness(&code, now).await?;
    let queue = service.review_queue(Some(&code), now).await?;
    let due = queue.due.len();
    let next = certprep_service::learning::recommend(&code, due, &r, outline);
    let min_items = certprep_service::learning::MIN_ITEMS_FOR_READINESS;
    Ok(Some(ReadinessCard {
        few: r.items_answered < min_items,
        min_items,
        headline: super::learning::headline(r.assessment.pass_probability, &exam.code.display()),
        label: exam.code.display(),
        percent: percent(r.assessment.pass_probability),
        interval: interval_text(r.assessment.interval),
        bar: crate::charts::interval_bar(
            r.assessment.pass_probability,
            r.assessment.interval[0],
            r.assessment.interval[1],
        ),
        items_answered: r.items_answered,
        due,
        next_due: queue
            .next_due
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()),
        next_reason: next.reason.clone(),
        next_label: activity_label(&next.activity),
        exam: code,
    }))
}

/// The exams a user has practised (most recent first, at most three), or the newest exam.
pub(crate) fn exams_of<'a>(
    library: &'a certprep_bank::Library,
    sessions: &[SessionSummary],
    today: chrono::NaiveDate,
) -> Vec<&'a certprep_domain::Exam> {
    let mut out: Vec<&certprep_domain::Exam> = Vec::new();
    // A retired exam is judged through its successor.
    let live = |code: &certprep_domain::ExamCode| {
        let exam = library.catalog.exam(code)?;
        match exam.retirement.as_ref().and_then(|r| r.successor.as_ref()) {
            Some(successor) if exam.status_on(today) == certprep_domain::ExamStatus::Retired => {
                library.catalog.exam(successor)
            }
            _ => Some(exam),
        }
    };
    for s in sessions {
        if let Some(e) =
            live(&certprep_domain::ExamCode::new(&s.exam)).filter(|e| e.current_outline().is_some())
            && !out.iter().any(|o| o.code == e.code)
        {
            out.push(e);
        }
        if out.len() == 3 {
            break;
        }
    }
    if out.is_empty()
        && let Some(e) = library
            .catalog
            .exams()
            .iter()
            .rev()
            .find(|e| e.current_outline().is_some())
    {
        out.push(e);
    }
    out
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub m: Option<String>,
}

pub async fn home(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let store: &dyn Store = &*state.store;
    let sessions = match store.sessions(&account.id).await {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let today = state.now().date_naive();
    let exams = state
        .library
        .catalog
        .exams()
        .iter()
        .rev()
        .map(|e| ExamOption {
            code: e.code.to_string(),
            label: format!(
                "{} · {} ({})",
                e.code.display(),
                e.title,
                e.status_on(today)
            ),
        })
        .collect();
    let next_step = match sessions.iter().find(|s| s.submitted_at.is_none()) {
        Some(s) => format!(
            "resume your unfinished {} session of {}.",
            s.mode,
            s.exam.to_uppercase()
        ),
        None if sessions.is_empty() => {
            "start with a study session: one item at a time, with explanations.".into()
        }
        None => {
            "take a timed mock exam under the real exam's rules, then practise what you missed."
                .into()
        }
    };
    let now = state.now();
    let service = page_service(&state, account);
    let mut readiness = Vec::new();
    for exam in exams_of(&state.library, &sessions, today) {
        match readiness_card(&service, exam, now).await {
            Ok(Some(card)) => readiness.push(card),
            Ok(None) => {}
            Err(e) if e.is_client_error() => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    let reminders = match service.renewal_reminders(now).await {
        Ok(r) => r,
        Err(e) if e.is_client_error() => vec![],
        Err(e) => return ApiError::from(e).into_response(),
    };
    // The readiness cards say what to do next; the general hint stays for resuming a session.
    let resume = sessions.iter().any(|s| s.submitted_at.is_none());
    render(&HomePage {
        title: "Home",
        nav: nav(&viewer, q.m),
        next_step: (resume || readiness.is_empty()).then_some(next_step),
        exams,
        sessions: rows(&sessions[..sessions.len().min(10)]),
        readiness,
        reminders,
    })
}

pub(crate) struct OutlineView {
    date: String,
    domains: Vec<DomainView>,
}

pub(crate) struct DomainView {
    title: String,
    weight: String,
    objectives: String,
}

pub(crate) struct ExamView {
    /// The code as forms send it (`ai-103`).
    key: String,
    /// Retired: its successor's code (as forms send it) and display code, and the day.
    retired: Option<(String, String, String)>,
    /// Fixed practice forms: id, title, items.
    forms: Vec<(String, String, usize)>,
    /// Whether the exam has a current outline (the readiness check needs one).
    current: bool,
    code: String,
    title: String,
    credential: String,
    status: String,
    facts: String,
    outlines: Vec<OutlineView>,
}

#[derive(Template)]
#[template(path = "exams.html")]
pub(crate) struct ExamsPage {
    title: &'static str,
    nav: Nav,
    exams: Vec<ExamView>,
}

pub async fn exams(State(state): State<AppState>, Viewer(viewer): Viewer) -> Response {
    let today = state.now().date_naive();
    let exams = state
        .library
        .catalog
        .exams()
        .iter()
        .rev()
        .map(|e| {
            let status = match &e.retirement {
                Some(r) => format!(
                    "{} {}{}",
                    e.status_on(today),
                    r.on,
                    r.successor
                        .as_ref()
                        .map_or_else(String::new, |s| format!(", successor {}", s.display()))
                ),
                None => e.status_on(today).to_string(),
            };
            let unverified = |p: &certprep_domain::exam::Provenance| {
                if p.verified { "" } else { " (unverified)" }
            };
            let retired = e.retirement.as_ref().filter(|r| r.on <= today).map(|r| {
                let successor = r.successor.as_ref();
                (
                    successor.map_or_else(String::new, ToString::to_string),
                    successor.map_or_else(String::new, |s| s.display()),
                    r.on.to_string(),
                )
            });
            let forms = e
                .current_outline()
                .map(|o| e.outline_ref(o))
                .map_or_else(Vec::new, |r| {
                    state
                        .library
                        .forms
                        .iter()
                        .filter(|f| f.outline == r)
                        .map(|f| {
                            (
                                f.id.clone(),
                                f.title.clone(),
                                f.form(&state.library.bank).len(),
                            )
                        })
                        .collect()
                });
            ExamView {
                key: e.code.to_string(),
                retired,
                forms,
                current: e.current_outline().is_some(),
                code: e.code.display(),
                title: e.title.clone(),
                credential: e.credential.clone(),
                status,
                facts: format!(
                    "About {} {}{} · {} minutes{} · {}–{} questions{} · pass at {} of {} (scaled)",
                    e.price.currency,
                    e.price.amount,
                    unverified(&e.price.provenance),
                    e.duration.minutes,
                    unverified(&e.duration.provenance),
                    e.questions.min,
                    e.questions.max,
                    unverified(&e.questions.provenance),
                    e.passing_score,
                    e.max_score
                ),
                outlines: e
                    .outlines
                    .iter()
                    .map(|o| OutlineView {
                        date: o.date.to_string(),
                        domains: o
                            .domains
                            .iter()
                            .map(|d| DomainView {
                                title: d.title.clone(),
                                weight: format!("{}–{}%", d.weight_min, d.weight_max),
                                objectives: d
                                    .objectives()
                                    .map(|x| x.title.as_str())
                                    .collect::<Vec<_>>()
                                    .join("; "),
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    render(&ExamsPage {
        title: "Exams",
        nav: nav(&viewer, None),
        exams,
    })
}

#[derive(Template)]
#[template(path = "history.html")]
pub(crate) struct HistoryPage {
    title: &'static str,
    nav: Nav,
    chart: String,
    sessions: Vec<SessionRow>,
}

pub async fn history(State(state): State<AppState>, Viewer(viewer): Viewer) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let store: &dyn Store = &*state.store;
    let sessions = match store.sessions(&account.id).await {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let points: Vec<crate::charts::HistoryPoint> = sessions
        .iter()
        .rev()
        .filter_map(|s| {
            let o = s.outcome?;
            (o.max_points > 0).then(|| crate::charts::HistoryPoint {
                date: s.submitted_at.unwrap_or(s.started_at).date_naive(),
                percent: f64::from(o.points) * 100.0 / f64::from(o.max_points),
                mock: matches!(s.mode.as_str(), "exam" | "adaptive"),
            })
        })
        .collect();
    // The passing standard of the newest exam the user sat (70% unless the catalog says).
    let standard = sessions
        .first()
        .and_then(|s| {
            state
                .library
                .catalog
                .exam(&certprep_domain::ExamCode::new(&s.exam))
        })
        .map_or(70.0, |e| f64::from(e.passing_standard.percent));
    render(&HistoryPage {
        title: "History",
        nav: nav(&viewer, None),
        chart: crate::charts::history(&points, standard),
        sessions: rows(&sessions),
    })
}

// ---------------------------------------------------------------------------------------------
// Sessions
