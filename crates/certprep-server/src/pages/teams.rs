//! Teams for instructors: create and join, the dashboard, the invite link.

use super::*;

#[derive(Template)]
#[template(path = "teams.html")]
pub(crate) struct TeamsPage {
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
    if name.is_empty() || name.chars().count() > 100 || crate::hardening::has_control(&name, false)
    {
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
pub(crate) struct MemberRow {
    email: String,
    sessions: usize,
    exams: usize,
    latest: String,
    best: String,
    likely: String,
    projected: String,
    domains: String,
    /// The member's credential: valid until, renewal open, or lapsing.
    credential: String,
}

#[derive(Template)]
#[template(path = "team.html")]
pub(crate) struct TeamPage {
    title: String,
    nav: Nav,
    id: String,
    name: String,
    invite_code: Option<String>,
    invite_link: String,
    exam: String,
    exam_label: String,
    member_count: usize,
    projected_passes: Option<usize>,
    expected_passes: String,
    withheld: Option<String>,
    within_year: Option<usize>,
    projected_by: Option<String>,
    /// Certified now, due for renewal, lapsing: what a partner organisation tracks.
    certified: Option<(usize, usize, usize)>,
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
        expected_passes: d
            .expected_passes
            .map_or_else(String::new, |e| format!("{e:.1}")),
        withheld: d.aggregates_withheld.clone(),
        within_year: d.projected_passes_within_year,
        projected_by: d.projected_by.map(|x| x.to_string()),
        certified: match (d.certified, d.due_for_renewal, d.cannot_renew) {
            (Some(c), Some(due), Some(lapsing)) => Some((c, due, lapsing)),
            _ => None,
        },
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
                    // As on the home page: no probability before there is evidence for it.
                    Some(_)
                        if m.items_answered
                            < certprep_service::learning::MIN_ITEMS_FOR_READINESS =>
                    {
                        format!(
                            "not yet ({} of {} questions)",
                            m.items_answered,
                            certprep_service::learning::MIN_ITEMS_FOR_READINESS
                        )
                    }
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
                credential: m.credential.as_ref().map_or_else(
                    || "–".into(),
                    |c| match c.status {
                        certprep_advisor::RenewalStatus::Valid => {
                            format!("until {}", c.expires_on)
                        }
                        certprep_advisor::RenewalStatus::WindowOpen => {
                            format!("renew by {}", c.expires_on)
                        }
                        certprep_advisor::RenewalStatus::CannotRenew => {
                            format!("lapses {} (exam retired)", c.expires_on)
                        }
                        certprep_advisor::RenewalStatus::Expired => {
                            format!("expired {}", c.expires_on)
                        }
                    },
                ),
                domains: m
                    .domains
                    .iter()
                    .map(|x| {
                        format!(
                            "{} {}",
                            d.domain_averages
                                .iter()
                                .find(|a| a.id == x.id)
                                .map_or(x.id.as_str(), |a| a.title.as_str()),
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
#[template(path = "join.html")]
pub(crate) struct JoinPage {
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
