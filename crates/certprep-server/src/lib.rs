//! `certprep serve`: the web server. The JSON API under `/api/v1` runs the same use cases as the
//! terminal app (through `certprep-service`) on SQLite by default or PostgreSQL at scale; the
//! server keeps no state in the process, so several processes can share one database.

// The OpenAPI document is one `json!` literal, deeper than the default limit allows.
#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod hardening;
pub mod openapi;
pub mod pages;
pub mod state;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use state::AppState;

use crate::error::ApiError;

/// Request bodies above this are refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/auth/register", post(api::register))
        .route("/auth/login", post(api::login))
        .route("/auth/logout", post(api::logout))
        .route("/me", get(api::me))
        .route("/exams", get(api::exams))
        .route("/sessions", post(api::start_session))
        .route("/sessions/{id}", get(api::show_session))
        .route("/sessions/{id}/answers", post(api::answer))
        .route("/sessions/{id}/goto", post(api::goto))
        .route("/sessions/{id}/mark", post(api::mark))
        .route("/sessions/{id}/submit", post(api::submit))
        .route("/history", get(api::history))
        .route("/readiness", get(api::readiness))
        .route("/review", get(api::review_queue))
        .route("/review/start", post(api::start_review))
        .route("/next", get(api::next_activity))
        .route("/exam-date", put(api::set_exam_date))
        .route("/bank/health", get(api::bank_health))
        .route("/calibrate", post(api::calibrate))
        .route(
            "/disputes",
            get(api::disputes::list).post(api::disputes::file),
        )
        .route("/disputes/{id}/resolve", post(api::disputes::resolve))
        .route("/teams", post(api::create_team).get(api::my_teams))
        .route("/teams/join", post(api::join_team))
        .route("/teams/{id}", get(api::team_dashboard))
        .route("/teams/{id}/export.csv", get(api::team_csv));
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let pages = Router::new()
        .route("/", get(pages::home))
        .route(
            "/signin",
            get(pages::signin_page).post(pages::signin_submit),
        )
        .route(
            "/signup",
            get(pages::signup_page).post(pages::signup_submit),
        )
        .route("/signout", post(pages::signout))
        .route("/exams", get(pages::exams))
        .route("/history", get(pages::history))
        .route("/review", get(pages::due_reviews))
        .route("/review/start", post(pages::start_review))
        .route("/next/start", post(pages::start_next))
        .route("/readiness/{exam}", get(pages::readiness))
        .route("/readiness/{exam}/date", post(pages::set_exam_date))
        .route("/bank/health", get(pages::bank_health))
        .route(
            "/advise",
            get(pages::advise_page).post(pages::save_advice_profile),
        )
        .route("/plan/{exam}", get(pages::plan_page).post(pages::save_plan))
        .route("/plan/{exam}/plan.ics", get(pages::plan_calendar))
        .route(
            "/results",
            get(pages::results_page).post(pages::record_result),
        )
        .route("/results/{id}/delete", post(pages::delete_result))
        .route("/disputes", get(pages::reports).post(pages::file_report))
        .route("/disputes/new", get(pages::new_report))
        .route("/disputes/{id}/resolve", post(pages::resolve_report))
        .route("/practice", post(pages::practice))
        .route("/s/{id}", get(pages::session_page))
        .route("/s/{id}/i/{n}", get(pages::item_get).post(pages::item_post))
        .route(
            "/s/{id}/leave",
            get(pages::leave_page).post(pages::leave_confirm),
        )
        .route("/s/{id}/case/{k}", get(pages::case_intro))
        .route(
            "/s/{id}/submit",
            get(pages::submit_page).post(pages::submit_confirm),
        )
        .route("/s/{id}/review", get(pages::review))
        .route("/s/{id}/results", get(pages::results))
        .route("/s/{id}/answers/{n}", get(pages::answer_review))
        .route("/teams", get(pages::teams).post(pages::create_team))
        .route("/teams/join", post(pages::join_team))
        .route("/teams/{id}", get(pages::team))
        .route("/join/{code}", get(pages::join_link))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon));
    let mut router = Router::new()
        .merge(pages)
        .route("/healthz", get(api::healthz))
        .route("/api/openapi.json", get(openapi::document))
        .nest("/api/v1", api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(
            hardening::reject_control_characters,
        ))
        .layer(axum::middleware::from_fn(
            hardening::error_bodies_and_caching,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("a request handler panicked").into_response()
        }));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router.with_state(state)
}

async fn css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/app.css"),
    )
}

async fn js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../static/app.js"),
    )
}

/// The icon browsers show in the tab: a tick in a box, drawn as SVG.
async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/favicon.svg"),
    )
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such page or endpoint")
}

/// Serves until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).await
}
