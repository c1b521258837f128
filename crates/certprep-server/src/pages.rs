//! Server-rendered pages (askama), usable without JavaScript: sign up, sign in, home, catalog,
//! a session's items of every type, review, results with an SVG chart, history with the score
//! trend. Forms carry CSRF tokens: the signed-in session's, or before sign-in a double-submit
//! cookie. Every change goes through the same service as the API.

use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use certprep_domain::form::CustomFilter;
use certprep_domain::grading::Answer;
use certprep_domain::item::ItemKind;
use certprep_domain::present::PresentedItem;
use certprep_domain::session::{Confidence, Mode};
use certprep_service::learning::Activity;
use certprep_service::{Service, StartRequest};
use certprep_store::{Account, SessionSummary, Store};
use serde::Deserialize;

use crate::api::ClientAddr;
use crate::auth;
use crate::error::ApiError;
use crate::state::AppState;

const FORM_CSRF_COOKIE: &str = "certprep_form_csrf";

/// Markdown to HTML with raw HTML escaped (bank text is data, never markup to trust).
pub fn markdown(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let events = Parser::new(md).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// The header's state: who is signed in and the token their forms carry.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub email: Option<String>,
    pub csrf: String,
    pub message: Option<String>,
    /// Instructors and admins: the nav links the bank health page.
    pub staff: bool,
}

/// The signed-in user of a page, if any. Pages check the CSRF token of forms themselves.
pub struct Viewer(pub Option<(Account, String, String)>);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, auth::COOKIE) else {
            return Ok(Viewer(None));
        };
        let hash = auth::token_hash(&token);
        let found = state.store.web_session(&hash, state.now()).await?;
        Ok(Viewer(found.map(|(account, csrf)| (account, csrf, hash))))
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(format!("template: {e}")).into_response(),
    }
}

fn to_signin() -> Response {
    Redirect::to("/signin").into_response()
}

fn nav(viewer: &Option<(Account, String, String)>, message: Option<String>) -> Nav {
    Nav {
        email: viewer.as_ref().map(|v| v.0.email.clone()),
        csrf: viewer.as_ref().map(|v| v.1.clone()).unwrap_or_default(),
        message,
        staff: viewer
            .as_ref()
            .is_some_and(|v| crate::api::is_staff(v.0.role)),
    }
}

/// Form fields as pairs (repeated keys kept, for multiple-response checkboxes).
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormPairs {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
        Ok(FormPairs(
            form_urlencoded::parse(&bytes).into_owned().collect(),
        ))
    }
}

/// The signed-in sender of a state-changing form, once its CSRF token checks out; otherwise the
/// response to send instead (to sign-in, or 403).
fn form_sender<'v>(
    viewer: &'v Option<(Account, String, String)>,
    form: &FormPairs,
) -> Result<&'v Account, Box<Response>> {
    let Some((account, csrf, _)) = viewer else {
        return Err(Box::new(to_signin()));
    };
    check_form_csrf(form, csrf).map_err(|e| Box::new(e.into_response()))?;
    Ok(account)
}

fn check_form_csrf(form: &FormPairs, expected: &str) -> Result<(), ApiError> {
    match form.get("csrf") {
        Some(t) if !expected.is_empty() && t == expected => Ok(()),
        _ => Err(ApiError::forbidden(
            "the form has expired or came from another site: reload the page and try again",
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Sign up, sign in, sign out

#[derive(Template)]
#[template(path = "auth.html")]
struct AuthPage {
    title: &'static str,
    nav: Nav,
    action: &'static str,
    form_csrf: String,
    email: String,
    error: Option<String>,
    autocomplete: &'static str,
    other: &'static str,
}

fn auth_page(
    signup: bool,
    headers: &HeaderMap,
    email: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let token = cookie(headers, FORM_CSRF_COOKIE)
        .filter(|t| t.len() == 64)
        .unwrap_or_else(auth::new_token);
    let page = AuthPage {
        title: if signup { "Sign up" } else { "Sign in" },
        nav: Nav::default(),
        action: if signup { "/signup" } else { "/signin" },
        form_csrf: token.clone(),
        email,
        error,
        autocomplete: if signup {
            "new-password"
        } else {
            "current-password"
        },
        other: if signup {
            "Already have an account? <a href=\"/signin\">Sign in</a>."
        } else {
            "New here? <a href=\"/signup\">Sign up</a>."
        },
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    let value = format!("{FORM_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub async fn signin_page(headers: HeaderMap) -> Response {
    auth_page(false, &headers, String::new(), None, StatusCode::OK)
}

pub async fn signup_page(headers: HeaderMap) -> Response {
    auth_page(true, &headers, String::new(), None, StatusCode::OK)
}

async fn auth_submit(
    state: AppState,
    client: String,
    headers: HeaderMap,
    form: FormPairs,
    signup: bool,
) -> Response {
    let email = form.get("email").unwrap_or_default().to_string();
    let fail = |msg: String, status| auth_page(signup, &headers, email.clone(), Some(msg), status);
    let expected = cookie(&headers, FORM_CSRF_COOKIE).unwrap_or_default();
    if let Err(e) = check_form_csrf(&form, &expected) {
        return fail(e.message, StatusCode::FORBIDDEN);
    }
    let body = crate::api::Credentials {
        email: email.clone(),
        password: form.get("password").unwrap_or_default().to_string(),
    };
    let result = if signup {
        crate::api::register_account(&state, &client, body).await
    } else {
        crate::api::login_account(&state, &client, body).await
    };
    let account = match result {
        Ok(a) => a,
        Err(e) => return fail(e.message, e.status),
    };
    match crate::api::start_web_session(&state, &account, cookie(&headers, auth::COOKIE)).await {
        Ok((token, _)) => {
            let mut r = Redirect::to("/").into_response();
            if let Ok(v) =
                HeaderValue::from_str(&auth::session_cookie(&token, state.secure(&headers)))
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => e.into_response(),
    }
}

pub async fn signin_submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: FormPairs,
) -> Response {
    auth_submit(state, client, headers, form, false).await
}

pub async fn signup_submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: FormPairs,
) -> Response {
    auth_submit(state, client, headers, form, true).await
}

pub async fn signout(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
    form: FormPairs,
) -> Response {
    let Some((_, csrf, hash)) = viewer else {
        return to_signin();
    };
    if let Err(e) = check_form_csrf(&form, &csrf) {
        return e.into_response();
    }
    if let Err(e) = state.store.delete_web_session(&hash).await {
        return ApiError::from(e).into_response();
    }
    let mut r = Redirect::to("/signin").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(state.secure(&headers))) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

// ---------------------------------------------------------------------------------------------
// Home, catalog, history

struct ExamOption {
    code: String,
    label: String,
}

struct SessionRow {
    id: String,
    started: String,
    exam: String,
    mode: String,
    result: String,
}

fn rows(sessions: &[SessionSummary]) -> Vec<SessionRow> {
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
struct HomePage {
    title: &'static str,
    nav: Nav,
    /// Resuming an unfinished session, or the first step when no readiness can be shown.
    next_step: Option<String>,
    exams: Vec<ExamOption>,
    sessions: Vec<SessionRow>,
    readiness: Vec<ReadinessCard>,
}

/// One exam's readiness on the home page: pass probability, reviews due and what to do next.
struct ReadinessCard {
    exam: String,
    label: String,
    percent: String,
    interval: String,
    bar: String,
    items_answered: usize,
    due: usize,
    next_due: Option<String>,
    next_reason: String,
    next_label: &'static str,
}

fn percent(p: f64) -> String {
    format!("{:.0}%", (p * 100.0).clamp(0.0, 100.0))
}

fn interval_text(i: [f64; 2]) -> String {
    format!(
        "{:.0}–{:.0}%",
        (i[0] * 100.0).clamp(0.0, 100.0),
        (i[1] * 100.0).clamp(0.0, 100.0)
    )
}

fn activity_label(a: &Activity) -> &'static str {
    match a {
        Activity::Review { .. } => "Start the review",
        Activity::Practise { .. } => "Practise it",
        Activity::MockExam => "Start a mock exam",
        Activity::AdaptiveCheck => "Start the readiness check",
    }
}

/// The readiness card of one exam; `None` when the exam has no current outline to assess.
async fn readiness_card(
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
    Ok(Some(ReadinessCard {
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
fn exams_of<'a>(
    library: &'a certprep_bank::Library,
    sessions: &[SessionSummary],
) -> Vec<&'a certprep_domain::Exam> {
    let mut out: Vec<&certprep_domain::Exam> = Vec::new();
    for s in sessions {
        if let Some(e) = library
            .catalog
            .exam(&certprep_domain::ExamCode::new(&s.exam))
            .filter(|e| e.current_outline().is_some())
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
    for exam in exams_of(&state.library, &sessions) {
        match readiness_card(&service, exam, now).await {
            Ok(Some(card)) => readiness.push(card),
            Ok(None) => {}
            Err(e) if e.is_client_error() => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    // The readiness cards say what to do next; the general hint stays for resuming a session.
    let resume = sessions.iter().any(|s| s.submitted_at.is_none());
    render(&HomePage {
        title: "Home",
        nav: nav(&viewer, q.m),
        next_step: (resume || readiness.is_empty()).then_some(next_step),
        exams,
        sessions: rows(&sessions[..sessions.len().min(10)]),
        readiness,
    })
}

struct OutlineView {
    date: String,
    domains: Vec<DomainView>,
}

struct DomainView {
    title: String,
    weight: String,
    objectives: String,
}

struct ExamView {
    /// The code as forms send it (`ai-103`).
    key: String,
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
struct ExamsPage {
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
            ExamView {
                key: e.code.to_string(),
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
struct HistoryPage {
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
    let scores: Vec<u32> = sessions
        .iter()
        .rev()
        .filter_map(|s| s.outcome.map(|o| o.scaled_score))
        .collect();
    render(&HistoryPage {
        title: "History",
        nav: nav(&viewer, None),
        chart: crate::charts::trend(&scores),
        sessions: rows(&sessions),
    })
}

// ---------------------------------------------------------------------------------------------
// Sessions

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
    let request = StartRequest {
        exam: form.get("exam").unwrap_or("ai-103").to_string(),
        mode: Some(mode),
        filter: CustomFilter {
            only_missed: mode == Mode::Custom,
            count: if mode == Mode::Exam { None } else { count },
            ..CustomFilter::default()
        },
        ..StartRequest::default()
    };
    let store: &dyn Store = &*state.store;
    let service = Service::new(&state.library, store, account.id.clone());
    match service.start(request, state.now()).await {
        Ok(s) => Redirect::to(&format!("/s/{}", s.id)).into_response(),
        Err(e) => Redirect::to(&format!("/?m={}", urlencode(&e.to_string()))).into_response(),
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

struct Opt {
    label: char,
    text: String,
    checked: bool,
}

struct PositionView {
    number: usize,
    choices: Vec<Opt>,
}

struct TargetView {
    number: u32,
    text: String,
    choices: Vec<Opt>,
}

struct SlotView {
    number: u32,
    choices: Vec<Opt>,
}

struct StatementView {
    number: u32,
    text: String,
    yes: bool,
    no: bool,
}

struct FeedbackView {
    points: u32,
    max_points: u32,
    full: bool,
    key: String,
    explanation_html: String,
    notes: Vec<(String, String)>,
    references: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    title: String,
    nav: Nav,
    session_id: String,
    item_id: String,
    exam: String,
    mode: String,
    position: usize,
    total: usize,
    answered: usize,
    remaining: Option<String>,
    deadline: String,
    marked: bool,
    open_book: Option<&'static str>,
    case_title: Option<String>,
    tabs: Vec<(String, String)>,
    series_note: Option<&'static str>,
    scenario_html: String,
    is_series: bool,
    type_description: &'static str,
    stem_html: String,
    kind: &'static str,
    choose: Option<u32>,
    options: Vec<Opt>,
    actions: Vec<Opt>,
    positions: Vec<PositionView>,
    reuse: bool,
    sources: Vec<Opt>,
    targets: Vec<TargetView>,
    slots: Vec<SlotView>,
    statements: Vec<StatementView>,
    feedback: Option<FeedbackView>,
    prev: Option<usize>,
    next: Option<usize>,
    /// The adaptive check: no going back, no review screen, no feedback until the end.
    adaptive: bool,
    max_items: u32,
}

fn labels_of(answer: &Option<Answer>) -> Vec<Option<char>> {
    match answer {
        Some(Answer::Choice(c)) => vec![Some(*c)],
        Some(Answer::Labels(v)) => v.clone(),
        _ => vec![],
    }
}

fn item_page(
    item: &PresentedItem,
    view: &certprep_service::SessionView,
    session: &certprep_domain::session::Session,
    nav: Nav,
) -> ItemPage {
    let chosen = labels_of(&item.answer);
    let yes_no: Vec<Option<bool>> = match &item.answer {
        Some(Answer::YesNo(v)) => v.clone(),
        Some(Answer::Bool(b)) => vec![Some(*b)],
        _ => vec![],
    };
    let opt = |label: char, text: &str, checked: bool| Opt {
        label,
        text: text.to_string(),
        checked,
    };
    ItemPage {
        title: format!("Item {} of {}", item.position, view.items.len()),
        nav,
        session_id: view.session_id.clone(),
        item_id: item.item_id.clone(),
        exam: view.exam.to_uppercase(),
        mode: format!("{:?}", view.mode).to_lowercase(),
        position: item.position,
        total: view.items.len(),
        answered: view.answered,
        remaining: view
            .remaining_ms
            .map(|ms| format!("{}:{:02}", ms / 60_000, (ms / 1000) % 60)),
        deadline: view.deadline.map(|d| d.to_rfc3339()).unwrap_or_default(),
        marked: item.marked,
        open_book: view.open_book,
        case_title: item.case_study.as_ref().map(|c| c.title.clone()),
        tabs: item.case_study.as_ref().map_or_else(Vec::new, |c| {
            c.tabs
                .iter()
                .map(|t| (t.name.clone(), markdown(&t.content)))
                .collect()
        }),
        series_note: item.series.as_ref().map(|s| s.note),
        scenario_html: item
            .series
            .as_ref()
            .map_or_else(String::new, |s| markdown(&s.scenario)),
        is_series: item.series.is_some(),
        type_description: item.type_description,
        stem_html: markdown(&item.stem),
        kind: item.kind.name(),
        choose: item.choose,
        options: item
            .options
            .iter()
            .map(|o| opt(o.label, &o.text, chosen.contains(&Some(o.label))))
            .collect(),
        actions: item
            .actions
            .iter()
            .map(|a| opt(a.label, &a.text, false))
            .collect(),
        positions: (1..=item.actions.len())
            .map(|n| PositionView {
                number: n,
                choices: item
                    .actions
                    .iter()
                    .map(|a| {
                        opt(
                            a.label,
                            &a.text,
                            chosen.get(n - 1).copied().flatten() == Some(a.label),
                        )
                    })
                    .collect(),
            })
            .collect(),
        reuse: item.reuse == Some(true),
        sources: item
            .sources
            .iter()
            .map(|s| opt(s.label, &s.text, false))
            .collect(),
        targets: item
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| TargetView {
                number: t.number,
                text: t.text.clone(),
                choices: item
                    .sources
                    .iter()
                    .map(|s| {
                        opt(
                            s.label,
                            &s.text,
                            chosen.get(i).copied().flatten() == Some(s.label),
                        )
                    })
                    .collect(),
            })
            .collect(),
        slots: item
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| SlotView {
                number: s.number,
                choices: s
                    .choices
                    .iter()
                    .map(|c| {
                        opt(
                            c.label,
                            &c.text,
                            chosen.get(i).copied().flatten() == Some(c.label),
                        )
                    })
                    .collect(),
            })
            .collect(),
        statements: item
            .statements
            .iter()
            .enumerate()
            .map(|(i, s)| StatementView {
                number: s.number,
                text: s.text.clone(),
                yes: yes_no.get(i) == Some(&Some(true)),
                no: yes_no.get(i) == Some(&Some(false)),
            })
            .collect(),
        feedback: item.feedback.as_ref().map(feedback_view),
        prev: session.previous_position().map(|p| p + 1),
        next: session.next_position().map(|p| p + 1),
        adaptive: session.mode == Mode::Adaptive,
        max_items: session.adaptive.as_ref().map_or(
            u32::try_from(certprep_service::learning::ADAPTIVE_MAX_ITEMS).unwrap_or(30),
            |a| a.max_items,
        ),
    }
}

fn feedback_view(f: &certprep_domain::present::Feedback) -> FeedbackView {
    FeedbackView {
        points: f.points,
        max_points: f.max_points,
        full: f.points == f.max_points,
        key: f.key.describe(),
        explanation_html: markdown(&f.explanation),
        notes: f
            .notes
            .iter()
            .map(|n| (n.part.clone(), n.note.clone()))
            .collect(),
        references: f
            .references
            .iter()
            .map(|r| {
                (
                    r.title.clone().unwrap_or_else(|| r.url.clone()),
                    r.url.clone(),
                )
            })
            .collect(),
    }
}

fn page_service<'a>(state: &'a AppState, account: &Account) -> Service<'a> {
    let store: &dyn Store = &*state.store;
    Service::new(&state.library, store, account.id.clone())
}

pub async fn session_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let now = state.now();
    let service = page_service(&state, account);
    let session = match service.load(&id, now).await {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    if session.is_submitted() {
        return Redirect::to(&format!("/s/{id}/results")).into_response();
    }
    let view = service.view(&session, now);
    let Some(item) = &view.current else {
        return ApiError::not_found("the session has no items").into_response();
    };
    render(&item_page(item, &view, &session, nav(&viewer, q.m)))
}

/// How many parts (positions, targets, slots, statements) the form of an item has.
fn parts_of(body: &certprep_domain::ItemBody) -> usize {
    use certprep_domain::ItemBody as B;
    match body {
        B::Single { .. } | B::Multiple { .. } | B::Solution { .. } => 1,
        B::Order { actions } => actions.len(),
        B::Match { targets, .. } => targets.len(),
        B::Dropdown { slots } => slots.len(),
        B::YesNo { statements } => statements.len(),
    }
}

/// Reads the answer of the form for the current item's type.
fn answer_from_form(kind: ItemKind, form: &FormPairs, parts: usize) -> Option<Answer> {
    let label = |v: &str| v.chars().next().filter(|_| v.chars().count() == 1);
    let per = |prefix: &str| -> Vec<Option<char>> {
        (1..=parts)
            .map(|n| form.get(&format!("{prefix}{n}")).and_then(label))
            .collect()
    };
    let yn = |v: Option<&str>| match v {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    match kind {
        ItemKind::Single => form.get("choice").and_then(label).map(Answer::Choice),
        ItemKind::Multiple => Some(Answer::Labels(
            form.all("choice")
                .into_iter()
                .filter_map(label)
                .map(Some)
                .collect(),
        )),
        ItemKind::Order => Some(Answer::Labels(
            per("pos").into_iter().flatten().map(Some).collect(),
        )),
        ItemKind::Match => Some(Answer::Labels(per("target"))),
        ItemKind::Dropdown => Some(Answer::Labels(per("slot"))),
        ItemKind::YesNo => Some(Answer::YesNo(
            (1..=parts)
                .map(|n| yn(form.get(&format!("s{n}"))))
                .collect(),
        )),
        ItemKind::Solution => yn(form.get("s1")).map(Answer::Bool),
    }
}

pub async fn answer(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let now = state.now();
    let service = page_service(&state, account);
    let Some(item_id) = form.get("item") else {
        return ApiError::bad_request("the form names no item").into_response();
    };
    let Some(item) = state.library.bank.item(item_id) else {
        return ApiError::not_found("no such item").into_response();
    };
    let parts = parts_of(&item.body);
    let back = |m: &str| Redirect::to(&format!("/s/{id}?m={}", urlencode(m))).into_response();
    let Some(answer) = answer_from_form(item.kind(), &form, parts) else {
        return back("Choose an answer first.");
    };
    let confidence = form.get("confidence").and_then(Confidence::parse);
    let adaptive = form.get("adaptive") == Some("1");
    match service.answer(&id, item_id, answer, confidence, now).await {
        // The check appends its next item after each answer, or decides and submits itself
        // (the session page then shows the results).
        Ok(_) if adaptive => back("Answer saved. Next item:"),
        Ok(ack) => back(&format!(
            "Saved ({} of {} answered).",
            ack.answered, ack.total
        )),
        Err(e) if e.is_client_error() => back(&e.to_string()),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn navigate(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let now = state.now();
    let service = page_service(&state, account);
    let back = |m: Option<String>| match m {
        Some(m) => Redirect::to(&format!("/s/{id}?m={}", urlencode(&m))).into_response(),
        None => Redirect::to(&format!("/s/{id}")).into_response(),
    };
    if let Some(go) = form
        .get("go")
        .and_then(|g| g.parse::<usize>().ok())
        .filter(|g| *g >= 1)
    {
        return match service.goto_position(&id, go - 1, now).await {
            Ok(_) => back(None),
            Err(e) if e.is_client_error() => back(Some(e.to_string())),
            Err(e) => ApiError::from(e).into_response(),
        };
    }
    match form.get("action") {
        Some("mark") => {
            let Some(item) = form.get("item") else {
                return back(None);
            };
            match service.mark(&id, item, now).await {
                Ok((_, marked)) => back(Some(
                    if marked {
                        "Marked for review."
                    } else {
                        "Unmarked."
                    }
                    .into(),
                )),
                Err(e) => back(Some(e.to_string())),
            }
        }
        Some("submit") => match service.submit(&id, now).await {
            Ok(_) => Redirect::to(&format!("/s/{id}/results")).into_response(),
            Err(e) => back(Some(e.to_string())),
        },
        _ => back(None),
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    title: &'static str,
    nav: Nav,
    session_id: String,
    unanswered: usize,
    marked: usize,
    entries: Vec<(usize, &'static str, bool)>,
}

pub async fn review(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let session = match page_service(&state, account).load(&id, state.now()).await {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let entries = session.review();
    render(&ReviewPage {
        title: "Review",
        nav: nav(&viewer, None),
        session_id: id,
        unanswered: entries.iter().filter(|e| !e.answered).count(),
        marked: entries.iter().filter(|e| e.marked).count(),
        entries: entries
            .iter()
            .map(|e| {
                (
                    e.position + 1,
                    if e.answered { "answered" } else { "unanswered" },
                    e.marked,
                )
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
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
    note: &'static str,
    adaptive: Option<AdaptiveView>,
    model_note: Option<String>,
}

/// The adaptive check's decision, as the results page states it.
struct AdaptiveView {
    outcome: &'static str,
    headline: String,
    detail: String,
}

fn adaptive_view(v: &certprep_domain::session::AdaptiveVerdict) -> AdaptiveView {
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

fn clock(ms: i64) -> String {
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
        Err(e) => return ApiError::from(e).into_response(),
    };
    if !session.is_submitted() {
        return Redirect::to(&format!("/s/{id}")).into_response();
    }
    let r = match service.report(&session, now).await {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
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
        weakest: r.weakest.join(", "),
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
                    it.item_id.clone(),
                    format!("{} of {}", it.points, it.max_points),
                    clock(i64::try_from(it.time_spent_ms).unwrap_or(0)),
                )
            })
            .collect(),
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
                "This scaled score comes from {source}, not from raw points: ability θ = {:.2} ± \
                 {:.2}, mapped to the expected share of points on a form drawn to the outline \
                 ({:.0}%).",
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
#[template(path = "teams.html")]
struct TeamsPage {
    title: &'static str,
    nav: Nav,
    teams: Vec<(String, String, &'static str)>,
}

pub async fn teams(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    match state.store.teams_of(&account.id).await {
        Ok(list) => render(&TeamsPage {
            title: "Teams",
            nav: nav(&viewer, q.m),
            teams: list
                .into_iter()
                .map(|(t, r)| (t.id, t.name, r.as_str()))
                .collect(),
        }),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn create_team(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let name = form.get("name").unwrap_or_default().trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Redirect::to(&format!(
            "/teams?m={}",
            urlencode("A team needs a name of 1–100 characters.")
        ))
        .into_response();
    }
    let id = uuid::Uuid::new_v4().to_string();
    match state
        .store
        .create_team(
            &id,
            &name,
            &auth::new_token()[..20],
            &account.id,
            state.now(),
        )
        .await
    {
        Ok(team) => Redirect::to(&format!("/teams/{}", team.id)).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn join_team(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let code = form.get("code").unwrap_or_default().trim().to_string();
    match state.store.join_team(&code, &account.id, state.now()).await {
        Ok((team, _)) => Redirect::to(&format!("/teams/{}", team.id)).into_response(),
        Err(_) => Redirect::to(&format!(
            "/teams?m={}",
            urlencode("No team has this invite code.")
        ))
        .into_response(),
    }
}

/// One member's line on the team page.
struct MemberRow {
    email: String,
    sessions: usize,
    exams: usize,
    latest: String,
    best: String,
    likely: String,
    projected: String,
    domains: String,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    title: String,
    nav: Nav,
    id: String,
    name: String,
    invite_code: Option<String>,
    invite_link: String,
    exam: String,
    exam_label: String,
    member_count: usize,
    projected_passes: usize,
    expected_passes: String,
    within_year: usize,
    projected_by: Option<String>,
    note: &'static str,
    chart: String,
    instructor: bool,
    members: Vec<MemberRow>,
}

#[derive(Debug, Deserialize)]
pub struct TeamQuery {
    pub exam: Option<String>,
}

pub async fn team(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    Query(q): Query<TeamQuery>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let membership = match state.store.membership(&id, &account.id).await {
        Ok(Some(m)) => m,
        Ok(None) => return ApiError::not_found("no such team among yours").into_response(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let members = match state.store.members(&id).await {
        Ok(m) => m,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let exam = q.exam.unwrap_or_else(|| "ai-103".into());
    let store: &dyn Store = &*state.store;
    let (team, role) = membership;
    let d = match certprep_service::teams::team_dashboard(
        &state.library,
        store,
        team,
        (&account.id, role),
        members,
        &exam,
        state.now(),
    )
    .await
    {
        Ok(d) => d,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let opt = |v: Option<u32>| v.map_or_else(|| "–".to_string(), |x| x.to_string());
    let averages: Vec<(String, f64)> = d
        .domain_averages
        .iter()
        .map(|x| (x.title.clone(), x.percent.unwrap_or(0.0)))
        .collect();
    render(&TeamPage {
        title: d.team.name.clone(),
        nav: nav(&viewer, None),
        invite_link: format!("/join/{}", d.team.invite_code.clone().unwrap_or_default()),
        id: d.team.id.clone(),
        name: d.team.name.clone(),
        invite_code: d.team.invite_code.clone(),
        exam_label: format!("{} ({})", d.exam.to_uppercase(), d.outline),
        exam: d.exam.clone(),
        member_count: d.member_count,
        projected_passes: d.projected_passes,
        expected_passes: format!("{:.1}", d.expected_passes),
        within_year: d.projected_passes_within_year,
        projected_by: d.projected_by.map(|x| x.to_string()),
        note: d.note,
        chart: crate::charts::bars(&averages),
        instructor: d.your_role == certprep_store::TeamRole::Instructor,
        members: d
            .members
            .iter()
            .map(|m| MemberRow {
                email: m.email.clone(),
                sessions: m.sessions,
                exams: m.exams_taken,
                latest: opt(m.latest_score),
                best: opt(m.best_score),
                likely: match m.pass_probability {
                    Some(p) => format!(
                        "{} ({:.0}%)",
                        if m.likely_to_pass { "yes" } else { "no" },
                        p * 100.0
                    ),
                    None => "no answers yet".to_string(),
                },
                projected: m
                    .projected_pass_date
                    .map_or_else(|| "–".into(), |x| x.to_string()),
                domains: m
                    .domains
                    .iter()
                    .map(|x| {
                        format!(
                            "{} {}",
                            x.id,
                            x.percent
                                .map_or_else(|| "–".to_string(), |p| format!("{p:.0}%"))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Answers after submission

#[derive(Template)]
#[template(path = "answer.html")]
struct AnswerPage {
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
    stem_html: String,
    choices: Vec<String>,
    your_answer: String,
    f: FeedbackView,
}

/// One item of a submitted session, with the candidate's answer, the key and every explanation.
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
        Err(e) => return ApiError::from(e).into_response(),
    };
    if !session.is_submitted() {
        return ApiError::forbidden("answers are shown after submission").into_response();
    }
    let total = session.items.len();
    let Some(item) = n
        .checked_sub(1)
        .and_then(|p| certprep_domain::present::present(&session, &state.library.bank, p))
    else {
        return ApiError::not_found("no such item in this session").into_response();
    };
    let Some(f) = &item.feedback else {
        return ApiError::internal("no feedback after submission").into_response();
    };
    let mut choices: Vec<String> = item
        .options
        .iter()
        .chain(&item.actions)
        .chain(&item.sources)
        .map(|o| format!("{}. {}", o.label, o.text))
        .collect();
    choices.extend(
        item.targets
            .iter()
            .map(|t| format!("Target {}: {}", t.number, t.text)),
    );
    choices.extend(item.slots.iter().map(|s| {
        format!(
            "{{{{{}}}}}: {}",
            s.number,
            s.choices
                .iter()
                .map(|c| format!("{}. {}", c.label, c.text))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    }));
    choices.extend(
        item.statements
            .iter()
            .map(|s| format!("{}. {}", s.number, s.text)),
    );
    render(&AnswerPage {
        title: format!("Answer {n} of {total}"),
        nav: nav(&viewer, None),
        session_id: id,
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
        stem_html: markdown(&item.stem),
        choices,
        your_answer: item
            .answer
            .as_ref()
            .map_or_else(|| "none".into(), Answer::describe),
        f: feedback_view(f),
    })
}

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    title: &'static str,
    nav: Nav,
    code: String,
}

/// The invite link `/join/{code}`: a confirmation page (a GET never changes anything).
pub async fn join_link(Viewer(viewer): Viewer, Path(code): Path<String>) -> Response {
    if viewer.is_none() {
        return to_signin();
    }
    render(&JoinPage {
        title: "Join a team",
        nav: nav(&viewer, None),
        code,
    })
}

// ---------------------------------------------------------------------------------------------
// Learning: readiness, reviews, what next, bank health

/// Where a learning form goes back to: a path of ours (never another site), else home.
fn back_to(form: &FormPairs, default: &str) -> String {
    match form.get("back") {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => default.to_string(),
    }
}

fn with_message(path: &str, m: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}m={}", urlencode(m))).into_response()
}

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
fn open_started(
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
fn exam_form<'v>(
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

struct DomainRow {
    title: String,
    weight: String,
    theta: String,
    items: usize,
    above_cut: String,
}

struct ObjectiveRow {
    title: String,
    domain: String,
    recall: String,
    studied: String,
}

#[derive(Template)]
#[template(path = "readiness.html")]
struct ReadinessPage {
    title: String,
    nav: Nav,
    exam: String,
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
        Err(e) => return ApiError::from(e).into_response(),
    };
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

struct DueRow {
    item: String,
    stem: String,
    due: String,
    recall: String,
    exams: String,
}

#[derive(Template)]
#[template(path = "due.html")]
struct DuePage {
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
fn excerpt(md: &str, chars: usize) -> String {
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
struct DeniedPage {
    title: &'static str,
    nav: Nav,
    message: &'static str,
}

struct HealthRow {
    item: String,
    respondents: usize,
    facility: String,
    d: String,
    r_pb: String,
    findings: String,
    flagged: bool,
}

#[derive(Template)]
#[template(path = "health.html")]
struct HealthPage {
    title: &'static str,
    nav: Nav,
    attempts: usize,
    respondents: usize,
    repeats_ignored: usize,
    flagged: usize,
    rows: Vec<HealthRow>,
    /// (number, candidates, items, KR-20, alpha)
    forms: Vec<(usize, usize, usize, String, String)>,
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
    let health = crate::api::off_the_workers(&state, async |library, store, _| {
        certprep_service::learning::bank_health(library, store).await
    });
    let h = match health.await {
        Ok(h) => h,
        Err(e) => return e.into_response(),
    };
    let stat = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| format!("{x:.2}"));
    render(&HealthPage {
        title: "Bank health",
        nav: nav(&viewer, None),
        attempts: h.attempts,
        respondents: h.respondents,
        repeats_ignored: h.repeats_ignored,
        flagged: h.items.iter().filter(|i| !i.flags.is_empty()).count(),
        rows: h
            .items
            .iter()
            .map(|i| HealthRow {
                item: i.item.clone(),
                respondents: i.respondents,
                facility: format!("{:.2}", i.facility),
                d: stat(i.discrimination_index),
                r_pb: stat(i.point_biserial),
                findings: i.summary(),
                flagged: !i.flags.is_empty(),
            })
            .collect(),
        forms: h
            .forms
            .iter()
            .enumerate()
            .map(|(n, f)| (n + 1, f.candidates, f.items, stat(f.kr20), stat(f.alpha)))
            .collect(),
    })
}
