//! The JSON API under `/api/v1`: the same use cases as `certprep session …`, per signed-in user.

pub mod disputes;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certprep_domain::form::CustomFilter;
use certprep_domain::grading::Answer;
use certprep_domain::session::{Confidence, Mode};
use certprep_service::{Service, StartRequest};
use certprep_store::{Role, Store};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{self, Caller, Credential};
use crate::error::ApiError;
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

/// JSON bodies, with rejections turned into our 4xx messages.
pub struct Body<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Body<T>
where
    Json<T>: axum::extract::FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        // NUL is valid JSON (`\u0000`) but no text we keep may hold it: PostgreSQL refuses it
        // with an error that would otherwise surface as a 500.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the request body is too large",
                )
            })?;
        if bytes.contains(&0) || contains_escaped_nul(&bytes) {
            return Err(ApiError::bad_request(
                "text may not hold the NUL character (\\u0000)",
            ));
        }
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(Body(value))
    }
}

fn service<'a>(state: &'a AppState, caller: &Caller) -> Service<'a> {
    let store: &dyn Store = &*state.store;
    Service::new(&state.library, store, caller.account.id.clone())
}

pub async fn healthz() -> &'static str {
    "ok"
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

fn normalise_email(email: &str) -> ApiResult<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && !email.contains(char::is_whitespace)
        && !crate::hardening::has_control(&email, false);
    if valid {
        Ok(email)
    } else {
        Err(ApiError::bad_request(
            "expected an email address such as ada@example.com",
        ))
    }
}

/// A password worth its name: 10 to 1,024 characters, not the email, and not among the
/// passwords people pick most (zxcvbn's estimate of the guesses it takes, with the email's
/// parts as known words, must reach "safely unguessable"); the refusal says why.
pub fn check_password(password: &str, email: &str) -> ApiResult<()> {
    match password.chars().count() {
        0..=9 => {
            return Err(ApiError::bad_request(
                "the password needs at least 10 characters",
            ));
        }
        1025.. => {
            return Err(ApiError::bad_request(
                "the password may have at most 1,024 characters",
            ));
        }
        _ => {}
    }
    let local = email.split('@').next().unwrap_or_default();
    if password.trim().eq_ignore_ascii_case(email.trim()) || password.eq_ignore_ascii_case(local) {
        return Err(ApiError::bad_request(
            "the password may not be your email address",
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, &[email, local]);
    if estimate.score() < zxcvbn::Score::Three {
        let why = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .unwrap_or_else(|| "it would be guessed quickly".into());
        return Err(ApiError::bad_request(format!(
            "choose another password: {}. A few unrelated words make a strong one",
            why.trim_end_matches('.').to_lowercase()
        )));
    }
    Ok(())
}

/// The client's address, for rate limits: the peer address, or behind a trusted proxy the
/// first address of `X-Forwarded-For`.
pub struct ClientAddr(pub String);

impl axum::extract::FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Behind N trusted proxies the client is the Nth entry from the right: everything to
        // its left was written by the client and proves nothing.
        let forwarded = state
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
            })
            .and_then(|entries| {
                entries
                    .len()
                    .checked_sub(state.trusted_proxies.max(1))
                    .and_then(|i| entries.get(i).cloned())
            });
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ClientAddr(
            forwarded.or(peer).unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// Starts a signed-in session for an account: a new token every time, so the session id rotates
/// at sign-in; the old session, if the caller sent one, ends. Returns the token and CSRF token.
pub async fn start_web_session(
    state: &AppState,
    account: &certprep_store::Account,
    old: Option<String>,
) -> ApiResult<(String, String)> {
    let now = state.now();
    if let Some(old) = old {
        state
            .store
            .delete_web_session(&auth::token_hash(&old))
            .await?;
    }
    let token = auth::new_token();
    let csrf = auth::new_token();
    state
        .store
        .create_web_session(
            &auth::token_hash(&token),
            &account.id,
            &csrf,
            auth::session_expiry(now),
            now,
        )
        .await?;
    Ok((token, csrf))
}

async fn sign_in(
    state: &AppState,
    headers: &HeaderMap,
    account: certprep_store::Account,
    status: StatusCode,
) -> ApiResult<Response> {
    let (token, csrf) = start_web_session(state, &account, old_cookie(headers)).await?;
    let cookie = HeaderValue::from_str(&auth::session_cookie(&token, state.secure(headers)))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let body = json!({
        "id": account.id,
        "email": account.email,
        "role": account.role,
        "token": token,
        "csrf_token": csrf,
    });
    Ok((status, [(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

fn old_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';')
                .filter_map(|p| p.trim().split_once('='))
                .find(|(n, _)| *n == auth::COOKIE)
                .map(|(_, t)| t.to_string())
        })
}

/// Whether a sign-up created an account. Both answers look the same to the client, so a
/// sign-up form cannot tell whether an email already has an account.
pub enum Registered {
    New(certprep_store::Account),
    AlreadyThere,
}

/// Creates an account after the checks every sign-up path shares (rate limit, email, password).
/// An email that already has an account does the same work and gives the same answer.
pub async fn register_account(
    state: &AppState,
    client: &str,
    c: Credentials,
) -> ApiResult<Registered> {
    auth::rate_limit(
        state,
        &format!("register:{client}"),
        state.registrations_per_address,
    )
    .await?;
    let email = normalise_email(&c.email)?;
    check_password(&c.password, &email)?;
    let hash = auth::hash_password(&c.password)?;
    let id = uuid::Uuid::new_v4().to_string();
    match state
        .store
        .create_account(&id, &email, &hash, Role::Member, state.now())
        .await
    {
        Ok(account) => Ok(Registered::New(account)),
        Err(certprep_store::StoreError::Conflict(_)) => Ok(Registered::AlreadyThere),
        Err(e) => Err(e.into()),
    }
}

/// The one minute window a rate-limit count belongs to.
fn window(state: &AppState) -> chrono::DateTime<chrono::Utc> {
    let now = state.now();
    chrono::DateTime::from_timestamp(now.timestamp() - now.timestamp().rem_euclid(60), 0)
        .unwrap_or(now)
}

/// How long an attempt on an account waits after `failures` recent failures: nothing up to the
/// threshold, then 1 s, 2 s, 4 s… up to 16 s.
pub fn delay_after(failures: u32, threshold: u32) -> std::time::Duration {
    let excess = failures.saturating_sub(threshold);
    if excess == 0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::from_secs(1 << excess.saturating_sub(1).min(4))
}

/// Checks a sign-in. Only failures count: an address with too many failures this minute is
/// refused; an account with too many is slowed down (each attempt waits longer), but a correct
/// password still passes, so nobody can lock its owner out. An unknown email costs the same
/// Argon2 work as a wrong password and gets the same answer.
pub async fn login_account(
    state: &AppState,
    client: &str,
    c: Credentials,
) -> ApiResult<certprep_store::Account> {
    let email = normalise_email(&c.email)?;
    let (address_key, account_key) = (
        format!("login-fail-ip:{client}"),
        format!("login-fail-email:{email}"),
    );
    let window = window(state);
    if state.store.hits(&address_key, window).await? >= state.login_failures_per_address {
        return Err(ApiError::too_many(
            "too many failed sign-ins from your address: wait a minute and try again",
        ));
    }
    let failures = state.store.hits(&account_key, window).await?;
    let wait = delay_after(failures, state.login_failures_before_delay);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let found = state.store.account_by_email(&email).await?;
    let hash = found
        .as_ref()
        .map_or_else(|| auth::unknown_account_hash(), |(_, h)| h.as_str());
    let verified = auth::verify_password(&c.password, hash);
    match found.filter(|_| verified) {
        Some((account, _)) => Ok(account),
        None => {
            state.store.hit(&address_key, window).await?;
            state.store.hit(&account_key, window).await?;
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "wrong email or password",
            ))
        }
    }
}

/// What a sign-up answers, whether the email was free or not: sign in next.
pub const REGISTERED: &str = "If this email had no account, it has one now: sign in with it.";

pub async fn register(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(c): Body<Credentials>,
) -> ApiResult<Response> {
    register_account(&state, &client, c).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "status": "accepted", "message": REGISTERED })),
    )
        .into_response())
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Body(c): Body<Credentials>,
) -> ApiResult<Response> {
    let account = login_account(&state, &client, c).await?;
    sign_in(&state, &headers, account, StatusCode::OK).await
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> ApiResult<Response> {
    state.store.delete_web_session(&caller.token_hash).await?;
    let cookie = HeaderValue::from_str(&auth::clear_cookie(state.secure(&headers)))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

pub async fn me(caller: Caller) -> Json<serde_json::Value> {
    Json(json!({
        "id": caller.account.id,
        "email": caller.account.email,
        "role": caller.account.role,
        "csrf_token": if caller.credential == Credential::Cookie { Some(caller.csrf_token) } else { None },
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    pub exam: String,
    pub mode: Option<String>,
    pub seed: Option<u64>,
    pub outline: Option<NaiveDate>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub missed: bool,
    #[serde(default)]
    pub marked: bool,
    #[serde(default)]
    pub unseen: bool,
    pub count: Option<u32>,
    pub minutes: Option<u32>,
    #[serde(default)]
    pub pausable: bool,
    /// A fixed form (published practice test) by id; sat as an exam unless `mode` is `study`.
    pub form: Option<String>,
    /// `false` shows each item's parts as written instead of in a seeded order.
    pub shuffle: Option<bool>,
}

pub async fn start_session(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<StartBody>,
) -> ApiResult<Response> {
    let mode = match b.mode.as_deref() {
        None if b.form.is_some() => Mode::Exam,
        None => Mode::Study,
        Some(m) => Mode::parse(m).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("unknown mode `{m}`: expected study, exam, custom or adaptive"),
            )
        })?,
    };
    if b.count == Some(0)
        || b.count.is_some_and(|c| c > 1000)
        || b.minutes.is_some_and(|m| m == 0 || m > 24 * 60)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "count must be 1–1000 and minutes 1–1440",
        ));
    }
    let request = StartRequest {
        exam: b.exam,
        outline: b.outline,
        mode: Some(mode),
        seed: b.seed,
        filter: CustomFilter {
            domains: b.domains,
            objectives: b.objectives,
            only_missed: b.missed,
            only_marked: b.marked,
            only_unseen: b.unseen,
            items: vec![],
            count: b.count,
        },
        minutes: b.minutes,
        pausable: b.pausable,
        shuffle: b.shuffle,
        form: b.form,
    };
    let now = state.now();
    let svc = service(&state, &caller);
    let session = svc.start(request, now).await?;
    Ok((StatusCode::CREATED, Json(svc.view(&session, now))).into_response())
}

pub async fn show_session(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let now = state.now();
    let svc = service(&state, &caller);
    let session = svc.load(&id, now).await?;
    Ok(Json(svc.view(&session, now)).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    pub item_id: String,
    pub answer: Answer,
    /// How sure the candidate is: low, medium or high (spaced repetition uses it).
    #[serde(default)]
    pub confidence: Option<Confidence>,
}

pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(b): Body<AnswerBody>,
) -> ApiResult<Response> {
    let ack = service(&state, &caller)
        .answer(&id, &b.item_id, b.answer, b.confidence, state.now())
        .await?;
    Ok(Json(ack).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    pub item_id: String,
}

pub async fn goto(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(b): Body<ItemBody>,
) -> ApiResult<Response> {
    let now = state.now();
    let svc = service(&state, &caller);
    let session = svc.goto(&id, &b.item_id, now).await?;
    Ok(Json(svc.view(&session, now)).into_response())
}

pub async fn mark(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(b): Body<ItemBody>,
) -> ApiResult<Response> {
    let (_, marked) = service(&state, &caller)
        .mark(&id, &b.item_id, state.now())
        .await?;
    Ok(Json(json!({ "session_id": id, "item_id": b.item_id, "marked": marked })).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let report = service(&state, &caller).submit(&id, state.now()).await?;
    Ok(Json(report).into_response())
}

pub async fn history(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    Ok(Json(service(&state, &caller).history().await?).into_response())
}

/// The catalog, for anyone: code, title, status, retirement, successor, outline dates.
pub async fn exams(State(state): State<AppState>) -> Json<serde_json::Value> {
    let today = state.now().date_naive();
    let exams: Vec<_> = state
        .library
        .catalog
        .exams()
        .iter()
        .map(|e| {
            json!({
                "code": e.code,
                "title": e.title,
                "status": e.status_on(today),
                "retired_on": e.retirement.as_ref().map(|r| r.on),
                "successor": e.retirement.as_ref().and_then(|r| r.successor.clone()),
                "outlines": e.outlines.iter().map(|o| o.date).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!(exams))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: String,
}

pub async fn create_team(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<NewTeam>,
) -> ApiResult<Response> {
    let name = b.name.trim();
    if name.is_empty() || name.chars().count() > 100 || crate::hardening::has_control(name, false) {
        return Err(ApiError::bad_request(
            "a team needs a name of 1–100 characters",
        ));
    }
    let id = uuid::Uuid::new_v4().to_string();
    // 10 bytes of randomness, easy to read out or paste.
    let code = auth::new_token()[..20].to_string();
    let team = state
        .store
        .create_team(&id, name, &code, &caller.account.id, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(team)).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinTeam {
    pub code: String,
}

pub async fn join_team(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<JoinTeam>,
) -> ApiResult<Response> {
    let (team, role) = state
        .store
        .join_team(b.code.trim(), &caller.account.id, state.now())
        .await
        .map_err(|_| ApiError::not_found("no team has this invite code"))?;
    Ok(Json(json!({ "team": team, "role": role })).into_response())
}

pub async fn my_teams(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let teams = state.store.teams_of(&caller.account.id).await?;
    let list: Vec<_> = teams
        .into_iter()
        .map(|(team, role)| json!({ "team": team, "role": role }))
        .collect();
    Ok(Json(list).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ExamQuery {
    pub exam: Option<String>,
}

async fn dashboard(
    state: &AppState,
    caller: &Caller,
    id: &str,
    exam: Option<String>,
) -> ApiResult<certprep_service::teams::TeamDashboard> {
    let (team, role) = state
        .store
        .membership(id, &caller.account.id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such team among yours"))?;
    let members = state.store.members(id).await?;
    let store: &dyn Store = &*state.store;
    let exam = exam.unwrap_or_else(|| "ai-103".to_string());
    Ok(certprep_service::teams::team_dashboard(
        &state.library,
        store,
        team,
        (&caller.account.id, role),
        members,
        &exam,
        state.now(),
    )
    .await?)
}

pub async fn team_dashboard(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ExamQuery>,
) -> ApiResult<Response> {
    Ok(Json(dashboard(&state, &caller, &id, q.exam).await?).into_response())
}

pub async fn team_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ExamQuery>,
) -> ApiResult<Response> {
    let d = dashboard(&state, &caller, &id, q.exam).await?;
    if d.your_role != certprep_store::TeamRole::Instructor {
        return Err(ApiError::forbidden(
            "only the team's instructors may export it",
        ));
    }
    let csv = certprep_service::teams::dashboard_csv(&d)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"team.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Learning: readiness, reviews, what next, exam date, bank health, calibration

#[derive(Debug, Deserialize)]
pub struct ExamParam {
    pub exam: Option<String>,
}

/// The `exam` query parameter, required: 400 with a message when missing or empty.
fn required_exam(q: ExamParam) -> ApiResult<String> {
    match q.exam.map(|e| e.trim().to_string()) {
        Some(e) if !e.is_empty() => Ok(e),
        _ => Err(ApiError::bad_request(
            "name the exam: ?exam=CODE (for example ?exam=ai-103)",
        )),
    }
}

/// Whether a JSON text holds the escape `\u0000` (hex digits in either case), not itself escaped.
fn contains_escaped_nul(bytes: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\\' {
            backslashes += 1;
            continue;
        }
        let escaped = backslashes % 2 == 1;
        backslashes = 0;
        if escaped && *b == b'u' && bytes.get(i + 1..i + 5) == Some(b"0000") {
            return true;
        }
    }
    false
}

/// Query strings, with rejections turned into our 400 messages.
pub struct QueryOf<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for QueryOf<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state)
                .await
                .map_err(|e| ApiError::bad_request(e.body_text()))?;
        Ok(QueryOf(value))
    }
}

pub async fn readiness(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<ExamParam>,
) -> ApiResult<Response> {
    let exam = required_exam(q)?;
    let report = service(&state, &caller)
        .readiness(&exam, state.now())
        .await?;
    Ok(Json(report).into_response())
}

pub async fn review_queue(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<ExamParam>,
) -> ApiResult<Response> {
    let exam = q.exam.filter(|e| !e.trim().is_empty());
    let queue = service(&state, &caller)
        .review_queue(exam.as_deref().map(str::trim), state.now())
        .await?;
    Ok(Json(queue).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamBody {
    pub exam: String,
}

pub async fn start_review(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<ExamBody>,
) -> ApiResult<Response> {
    let now = state.now();
    let svc = service(&state, &caller);
    let session = svc.start_review(b.exam.trim(), now).await?;
    Ok((StatusCode::CREATED, Json(svc.view(&session, now))).into_response())
}

pub async fn next_activity(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<ExamParam>,
) -> ApiResult<Response> {
    let exam = required_exam(q)?;
    let next = service(&state, &caller)
        .next_activity(&exam, state.now())
        .await?;
    Ok(Json(next).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamDateBody {
    pub exam: String,
    /// Kept loose so that any malformed date is a 400 with a message.
    pub date: serde_json::Value,
}

/// How far ahead an exam date may be planned (outlines change long before).
pub const EXAM_DATE_MAX_DAYS: i64 = 5 * 366;

/// A planned exam date: `YYYY-MM-DD`, today or later, within five years.
pub fn parse_exam_date(text: &str, today: NaiveDate) -> ApiResult<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad_request(format!(
            "`{}` is not a date: expected YYYY-MM-DD, for example {}",
            text.chars().take(40).collect::<String>(),
            today + chrono::Duration::days(30)
        ))
    })?;
    if date < today {
        return Err(ApiError::bad_request(format!(
            "the exam date {date} is in the past (today is {today})"
        )));
    }
    if date > today + chrono::Duration::days(EXAM_DATE_MAX_DAYS) {
        return Err(ApiError::bad_request(format!(
            "the exam date {date} is more than five years away: plan for a date before {}",
            today + chrono::Duration::days(EXAM_DATE_MAX_DAYS)
        )));
    }
    Ok(date)
}

pub async fn set_exam_date(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<ExamDateBody>,
) -> ApiResult<Response> {
    let today = state.now().date_naive();
    let Some(text) = b.date.as_str() else {
        return Err(ApiError::bad_request(
            "date must be a string YYYY-MM-DD, for example \"2027-03-01\"",
        ));
    };
    let date = parse_exam_date(text, today)?;
    let svc = service(&state, &caller);
    let exam = svc.exam(b.exam.trim())?.code.to_string();
    let saved = svc.set_exam_date(&exam, date, today).await?;
    Ok(Json(json!({ "exam": exam, "date": saved })).into_response())
}

/// Whether the account may see item statistics over every user's answers.
pub fn is_staff(role: Role) -> bool {
    matches!(role, Role::Instructor | Role::Admin)
}

pub async fn bank_health(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    if !is_staff(caller.account.role) {
        return Err(ApiError::forbidden(
            "bank health is for instructors and admins",
        ));
    }
    let health = off_the_workers(&state, async |library, store, now| {
        certprep_service::learning::bank_health(library, store, now).await
    })
    .await?;
    Ok(Json(health).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrateBody {
    #[serde(default)]
    pub three_pl: bool,
}

pub async fn calibrate(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<CalibrateBody>,
) -> ApiResult<Response> {
    if caller.account.role != Role::Admin {
        return Err(ApiError::forbidden("only admins may calibrate the bank"));
    }
    let report = off_the_workers(&state, async move |library, store, now| {
        certprep_service::learning::calibrate_bank(library, store, b.three_pl, now).await
    })
    .await?;
    Ok(Json(report).into_response())
}

/// Runs a whole-bank computation (calibration, item analysis) on a blocking thread: it reads
/// every user's log and keeps a core busy, and must not stall the async workers that serve
/// everyone else's answers meanwhile.
pub(crate) async fn off_the_workers<T: Send + 'static>(
    state: &AppState,
    work: impl AsyncFnOnce(
        &certprep_bank::Library,
        &dyn Store,
        chrono::DateTime<chrono::Utc>,
    ) -> certprep_service::Result<T>
    + Send
    + 'static,
) -> ApiResult<T> {
    let (library, store, now) = (state.library.clone(), state.store.clone(), state.now());
    let runtime = tokio::runtime::Handle::current();
    let outcome = tokio::task::spawn_blocking(move || {
        let store: &dyn Store = &*store;
        runtime.block_on(work(&library, store, now))
    })
    .await
    .map_err(|_| ApiError::internal("the computation stopped unexpectedly"))?;
    Ok(outcome?)
}
