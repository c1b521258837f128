//! Reports of a problem with an item, on the web: a short form from any item whose answer is
//! shown (study feedback, the answers after an exam), the reporter's own reports with the
//! authors' answers, and, for instructors and admins, the queue with a resolve form per report.

use certprep_domain::dispute::{Dispute, DisputeKind, NOTE_MAX_CHARS, Resolution};

use super::*;
use crate::api::disputes::{REPORTS_PER_MINUTE, parse_kind, parse_resolution, report_id};

#[derive(Debug, Default, Deserialize)]
pub struct ReportForm {
    pub item: Option<String>,
    pub session: Option<String>,
    pub back: Option<String>,
}

#[derive(Template)]
#[template(path = "dispute_new.html")]
pub(crate) struct NewReportPage {
    title: &'static str,
    nav: Nav,
    item: String,
    session: String,
    back: String,
    /// The start of the question, so the reporter knows which one this is.
    excerpt: String,
    kinds: Vec<(&'static str, &'static str, bool)>,
    note: String,
    note_max: usize,
    error: Option<String>,
}

fn kinds(chosen: Option<DisputeKind>) -> Vec<(&'static str, &'static str, bool)> {
    DisputeKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), k.describe(), Some(k) == chosen))
        .collect()
}

/// `GET /disputes/new?item=…&session=…&back=…`
pub async fn new_report(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(q): Query<ReportForm>,
) -> Response {
    if viewer.is_none() {
        return to_signin();
    }
    let Some(item) = q.item.as_deref().and_then(|i| state.library.bank.item(i)) else {
        return problem(
            &viewer,
            StatusCode::NOT_FOUND,
            "No such question",
            "That question is not in this bank.",
        );
    };
    render(&NewReportPage {
        title: "Report a problem",
        nav: nav(&viewer, None),
        item: item.id.clone(),
        session: q.session.unwrap_or_default(),
        back: q
            .back
            .as_deref()
            .and_then(crate::hardening::local_path)
            .unwrap_or("/disputes")
            .to_string(),
        excerpt: sessions::question_excerpt(&item.stem),
        kinds: kinds(None),
        note: String::new(),
        note_max: NOTE_MAX_CHARS,
        error: None,
    })
}

/// `POST /disputes`: files the report, or shows the form again with the reason and the note
/// as typed.
pub async fn file_report(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let item_id = form.get("item").unwrap_or_default().to_string();
    let session = form.get("session").filter(|s| !s.is_empty());
    let note = form.get("note").unwrap_or_default().to_string();
    let kind = form.get("kind").unwrap_or_default();
    let again = |error: String, chosen: Option<DisputeKind>| {
        let Some(item) = state.library.bank.item(&item_id) else {
            return problem(&viewer, StatusCode::NOT_FOUND, "No such question", &error);
        };
        let mut r = render(&NewReportPage {
            title: "Report a problem",
            nav: nav(&viewer, None),
            item: item.id.clone(),
            session: session.unwrap_or_default().to_string(),
            back: back_to(&form, "/disputes"),
            excerpt: sessions::question_excerpt(&item.stem),
            kinds: kinds(chosen),
            note: note.clone(),
            note_max: NOTE_MAX_CHARS,
            error: Some(error),
        });
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let kind = match parse_kind(kind) {
        Ok(k) => k,
        Err(_) => return again("Choose what is wrong.".into(), None),
    };
    if let Err(e) = auth::rate_limit(
        &state,
        &format!("dispute:{}", account.id),
        REPORTS_PER_MINUTE,
    )
    .await
    {
        return again(e.message, Some(kind));
    }
    let service = page_service(&state, account);
    match service
        .file_dispute(&item_id, kind, &note, session, state.now())
        .await
    {
        Ok(filed) => with_message(
            "/disputes",
            &format!("Report #{} filed. An author will answer it here.", filed.id),
        ),
        Err(e) if e.is_client_error() => again(e.to_string(), Some(kind)),
        Err(e) => problem_for(&viewer, e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    pub m: Option<String>,
    pub open: Option<String>,
    pub item: Option<String>,
}

/// A report as a row of either list.
pub(crate) struct ReportRow {
    id: i64,
    filed: String,
    item: String,
    version: String,
    kind: &'static str,
    reporter: String,
    note: String,
    status: &'static str,
    resolution_note: String,
    resolved: String,
}

fn row(d: &Dispute, bank: &certprep_domain::Bank) -> ReportRow {
    let version = match bank.item(&d.item_id).map(|i| i.version) {
        Some(v) if v > d.item_version => format!("{} (now {v})", d.item_version),
        Some(_) => d.item_version.to_string(),
        None => format!("{} (withdrawn)", d.item_version),
    };
    ReportRow {
        id: d.id,
        filed: d.created_at.format("%Y-%m-%d %H:%M").to_string(),
        item: d.item_id.clone(),
        version,
        kind: d.kind.describe(),
        reporter: d.reporter_email.clone().unwrap_or_else(|| d.user.clone()),
        note: d.note.clone(),
        status: d.resolution.map_or("open", Resolution::as_str),
        resolution_note: d.resolution_note.clone().unwrap_or_default(),
        resolved: d
            .resolved_at
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "disputes.html")]
pub(crate) struct ReportsPage {
    title: &'static str,
    nav: Nav,
    mine: Vec<ReportRow>,
    staff: bool,
    queue: Vec<ReportRow>,
    open_only: bool,
    item: String,
    resolutions: Vec<&'static str>,
}

/// `GET /disputes`: your reports; for instructors and admins, the queue too.
pub async fn reports(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(q): Query<QueueQuery>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let staff = crate::api::is_staff(account.role);
    let service = page_service(&state, account);
    let bank = &state.library.bank;
    let mine = match service.my_disputes().await {
        Ok(list) => list.iter().map(|d| row(d, bank)).collect(),
        Err(e) => return problem_for(&viewer, e),
    };
    let open_only = q.open.as_deref().is_some_and(|v| !v.is_empty() && v != "0");
    let item = q.item.filter(|i| !i.trim().is_empty());
    let queue = if staff {
        match service.all_disputes(open_only, item.as_deref()).await {
            Ok(list) => list.iter().map(|d| row(d, bank)).collect(),
            Err(e) => return problem_for(&viewer, e),
        }
    } else {
        vec![]
    };
    render(&ReportsPage {
        title: "Reports",
        nav: nav(&viewer, q.m),
        mine,
        staff,
        queue,
        open_only,
        item: item.unwrap_or_default(),
        resolutions: Resolution::ALL.iter().map(|r| r.as_str()).collect(),
    })
}

/// `POST /disputes/{id}/resolve`: instructors and admins close a report with a note.
pub async fn resolve_report(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let back = back_to(&form, "/disputes?open=1");
    if !crate::api::is_staff(account.role) {
        return problem(
            &viewer,
            StatusCode::FORBIDDEN,
            "Not allowed",
            "Reports are resolved by instructors and admins.",
        );
    }
    let (id, resolution) = match (
        report_id(&id),
        parse_resolution(form.get("resolution").unwrap_or_default()),
    ) {
        (Ok(id), Ok(r)) => (id, r),
        (Err(e), _) | (_, Err(e)) => return with_message(&back, &e.message),
    };
    let note = form.get("note").unwrap_or_default();
    match page_service(&state, account)
        .resolve_dispute(id, resolution, note, state.now())
        .await
    {
        Ok(d) => with_message(
            &back,
            &format!("Report #{} resolved as {}.", d.id, resolution.as_str()),
        ),
        Err(e) if e.is_client_error() => {
            with_message(&back, &format!("Report #{id} not resolved: {e}."))
        }
        Err(e) => problem_for(&viewer, e),
    }
}
