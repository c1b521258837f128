//! Reports of a problem with an item, over the JSON API: anyone signed in files a report on an
//! item whose answer they have seen and reads their own; instructors and admins read everyone's
//! and resolve them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use certprep_domain::dispute::{DisputeKind, Resolution};
use serde::Deserialize;

use super::{ApiResult, Body, QueryOf, is_staff, service};
use crate::auth::{self, Caller};
use crate::error::ApiError;
use crate::state::AppState;

/// Reports one person may file per minute: enough for a careful reviewer, not for a flood.
pub const REPORTS_PER_MINUTE: u32 = 10;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub item_id: String,
    pub kind: String,
    pub note: String,
    pub session_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Only reports not yet resolved.
    #[serde(default)]
    pub open: bool,
    /// Only reports about this item.
    pub item: Option<String>,
    /// Only the caller's own (what everyone else always gets).
    #[serde(default)]
    pub mine: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    pub resolution: String,
    pub note: String,
}

pub fn parse_kind(kind: &str) -> Result<DisputeKind, ApiError> {
    DisputeKind::parse(kind).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "unknown kind `{kind}`: expected wrong-key, ambiguous, outdated, typo or other"
            ),
        )
    })
}

pub fn parse_resolution(resolution: &str) -> Result<Resolution, ApiError> {
    Resolution::parse(resolution).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("unknown resolution `{resolution}`: expected fixed, rejected or duplicate"),
        )
    })
}

/// A report's number from a path; anything else is no report.
pub fn report_id(text: &str) -> Result<i64, ApiError> {
    text.trim_start_matches('#')
        .parse()
        .map_err(|_| ApiError::not_found(format!("no report #{text}")))
}

/// `POST /api/v1/disputes`
pub async fn file(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<NewReport>,
) -> ApiResult<Response> {
    let kind = parse_kind(&b.kind)?;
    auth::rate_limit(
        &state,
        &format!("dispute:{}", caller.account.id),
        REPORTS_PER_MINUTE,
    )
    .await?;
    let filed = service(&state, &caller)
        .file_dispute(
            &b.item_id,
            kind,
            &b.note,
            b.session_id.as_deref(),
            state.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(filed)).into_response())
}

/// `GET /api/v1/disputes`: the caller's own reports, or, for instructors and admins, everyone's.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<ReportQuery>,
) -> ApiResult<Response> {
    let svc = service(&state, &caller);
    let mut reports = if q.mine || !is_staff(caller.account.role) {
        svc.my_disputes().await?
    } else {
        svc.all_disputes(q.open, q.item.as_deref()).await?
    };
    reports.retain(|d| (!q.open || d.is_open()) && q.item.as_ref().is_none_or(|i| &d.item_id == i));
    Ok(Json(reports).into_response())
}

/// `POST /api/v1/disputes/{id}/resolve`: instructors and admins only.
pub async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(b): Body<Resolve>,
) -> ApiResult<Response> {
    let id = report_id(&id)?;
    if !is_staff(caller.account.role) {
        return Err(ApiError::forbidden(
            "reports are resolved by instructors and admins",
        ));
    }
    let resolution = parse_resolution(&b.resolution)?;
    let resolved = service(&state, &caller)
        .resolve_dispute(id, resolution, &b.note, state.now())
        .await?;
    Ok(Json(resolved).into_response())
}
