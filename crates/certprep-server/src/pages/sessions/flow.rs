//! The pages around the items that keep the exam's rules from surprising anyone: the warning
//! before a section locks, a case study's introduction, the review screen with its filters and
//! the locked sections summarised, and the confirmation before the exam ends.

use certprep_domain::form::SectionKind;
use certprep_domain::session::Session;

use super::view::{excerpt, section_name};
use super::*;

/// One question in a list of questions (warning, review screen, submit confirmation).
pub(crate) struct QuestionRow {
    number: usize,
    excerpt: String,
    answered: bool,
    partial: bool,
    marked: bool,
    reachable: bool,
}

fn rows(session: &Session, bank: &certprep_domain::Bank, positions: &[usize]) -> Vec<QuestionRow> {
    positions
        .iter()
        .map(|p| QuestionRow {
            number: p + 1,
            excerpt: bank
                .item(&session.items[*p].item_id)
                .map_or_else(String::new, |i| excerpt(&i.stem, 110)),
            answered: session.is_answered(*p),
            partial: session.is_partial(*p),
            marked: session.states[*p].marked,
            reachable: *p == session.current || session.can_visit(*p).is_ok(),
        })
        .collect()
}

async fn load(
    state: &AppState,
    viewer: &Option<(Account, String, String)>,
    id: &str,
) -> Result<Session, Response> {
    let Some((account, _, _)) = viewer else {
        return Err(to_signin());
    };
    page_service(state, account)
        .load(id, state.now())
        .await
        .map_err(|e| problem_for(viewer, e))
}

#[derive(Deserialize)]
pub struct LeaveQuery {
    to: usize,
}

#[derive(Template)]
#[template(path = "leave.html")]
pub(crate) struct LeavePage {
    title: &'static str,
    nav: Nav,
    session_id: String,
    section: String,
    next_section: String,
    to: usize,
    current: usize,
    items: usize,
    unanswered: usize,
    partial: usize,
    marked: usize,
    open: Vec<QuestionRow>,
}

/// `GET /s/{id}/leave?to=N`: what leaving the current section will lock, with a way back.
pub async fn leave_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    Query(q): Query<LeaveQuery>,
) -> Response {
    let session = match load(&state, &viewer, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let target = q.to.checked_sub(1).filter(|t| *t < session.items.len());
    let (Some(target), Some(section)) = (target, session.current_section()) else {
        return Redirect::to(&format!("/s/{id}")).into_response();
    };
    if session.would_lock(target).is_none() {
        return Redirect::to(&format!("/s/{id}/i/{}", target + 1)).into_response();
    }
    let bank = &state.library.bank;
    let summary = session.section_summary(section);
    let open: Vec<usize> = session.sections[section]
        .items
        .iter()
        .copied()
        .filter(|p| !session.is_answered(*p) || session.states[*p].marked)
        .collect();
    render(&LeavePage {
        title: "Leave this section?",
        nav: nav(&viewer, None),
        session_id: id,
        section: section_name(&session, bank, section),
        next_section: section_name(&session, bank, session.items[target].section),
        to: target + 1,
        current: session.current + 1,
        items: summary.items,
        unanswered: summary.unanswered(),
        partial: summary.partial,
        marked: summary.marked,
        open: rows(&session, bank, &open),
    })
}

/// `POST /s/{id}/leave`: the candidate confirmed; the section locks and the next one opens
/// (a case study with its introduction).
pub async fn leave_confirm(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(_) => {
            return render_problem(
                &viewer,
                StatusCode::FORBIDDEN,
                "The section was not left",
                "This page was open too long or your sign-in ended; nothing was changed.",
                None,
                Some((format!("/s/{id}"), "Back to the exam".into())),
            );
        }
    };
    let Some(target) = form
        .get("to")
        .and_then(|t| t.parse::<usize>().ok())
        .and_then(|t| t.checked_sub(1))
    else {
        return Redirect::to(&format!("/s/{id}")).into_response();
    };
    let service = page_service(&state, account);
    match service.goto_position(&id, target, state.now()).await {
        Ok(session) => {
            let section = session.items[session.current].section;
            let entering_case = matches!(session.sections[section].kind, SectionKind::CaseStudy(_))
                && session.sections[section].items.first() == Some(&session.current);
            if entering_case {
                Redirect::to(&format!("/s/{id}/case/{}", section + 1)).into_response()
            } else {
                Redirect::to(&format!("/s/{id}/i/{}", target + 1)).into_response()
            }
        }
        Err(e) if e.is_client_error() => with_message(&format!("/s/{id}"), &friendly_service(&e)),
        Err(e) => problem_for(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "case_intro.html")]
pub(crate) struct CaseIntroPage {
    title: String,
    nav: Nav,
    session_id: String,
    case_title: String,
    questions: usize,
    tabs: Vec<String>,
    first: usize,
}

/// `GET /s/{id}/case/{k}`: the introduction a case study opens with.
pub async fn case_intro(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path((id, k)): Path<(String, usize)>,
) -> Response {
    let session = match load(&state, &viewer, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(section) = k.checked_sub(1).and_then(|k| session.sections.get(k)) else {
        return Redirect::to(&format!("/s/{id}")).into_response();
    };
    let SectionKind::CaseStudy(case_id) = &section.kind else {
        return Redirect::to(&format!("/s/{id}")).into_response();
    };
    let case = state
        .library
        .bank
        .case_studies
        .iter()
        .find(|c| &c.id == case_id);
    render(&CaseIntroPage {
        title: "Case study".into(),
        nav: nav(&viewer, None),
        session_id: id,
        case_title: case.map_or_else(|| case_id.clone(), |c| c.title.clone()),
        questions: section.items.len(),
        tabs: case.map_or_else(Vec::new, |c| {
            c.tabs.iter().map(|t| t.name.clone()).collect()
        }),
        first: section.items.first().map_or(1, |p| p + 1),
    })
}

#[derive(Deserialize)]
pub struct ReviewQuery {
    f: Option<String>,
}

pub(crate) struct SectionLine {
    name: String,
    items: usize,
    answered: usize,
    unanswered: usize,
    marked: usize,
    /// locked, current, or ahead
    state: &'static str,
}

#[derive(Template)]
#[template(path = "review.html")]
pub(crate) struct ReviewPage {
    title: &'static str,
    nav: Nav,
    session_id: String,
    section: String,
    filter: String,
    filters: Vec<(&'static str, &'static str, usize)>,
    rows: Vec<QuestionRow>,
    others: Vec<SectionLine>,
    current: usize,
    series_left_out: bool,
    exam: bool,
}

/// `GET /s/{id}/review`: the current section's questions as a table with filters, the other
/// sections summarised (locked ones included), and the way to finish.
pub async fn review(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Response {
    let session = match load(&state, &viewer, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if session.is_submitted() {
        return Redirect::to(&format!("/s/{id}/results")).into_response();
    }
    let bank = &state.library.bank;
    let entries = session.review();
    let filter = q.f.unwrap_or_else(|| "all".into());
    let count = |f: &dyn Fn(&certprep_domain::session::ReviewEntry) -> bool| {
        entries.iter().filter(|e| f(e)).count()
    };
    let filters = vec![
        ("all", "All", entries.len()),
        ("answered", "Answered", count(&|e| e.answered)),
        ("unanswered", "Unanswered", count(&|e| !e.answered)),
        ("marked", "For review", count(&|e| e.marked)),
    ];
    let shown: Vec<usize> = entries
        .iter()
        .filter(|e| match filter.as_str() {
            "answered" => e.answered,
            "unanswered" => !e.answered,
            "marked" => e.marked,
            _ => true,
        })
        .map(|e| e.position.saturating_sub(1))
        .collect();
    let current_section = session.current_section().unwrap_or(0);
    let others = (0..session.sections.len())
        .filter(|k| *k != current_section)
        .map(|k| {
            let s = session.section_summary(k);
            SectionLine {
                name: section_name(&session, bank, k),
                items: s.items,
                answered: s.answered,
                unanswered: s.unanswered(),
                marked: s.marked,
                state: if s.locked {
                    "locked"
                } else if k < current_section {
                    "open"
                } else {
                    "ahead"
                },
            }
        })
        .collect();
    let in_section = &session.sections[current_section].items;
    render(&ReviewPage {
        title: "Review your answers",
        nav: nav(&viewer, None),
        session_id: id,
        section: section_name(&session, bank, current_section),
        filter,
        filters,
        rows: rows(&session, bank, &shown),
        others,
        current: session.current + 1,
        series_left_out: in_section
            .iter()
            .any(|p| session.items[*p].series.is_some()),
        exam: session.mode == Mode::Exam,
    })
}

#[derive(Template)]
#[template(path = "submit.html")]
pub(crate) struct SubmitPage {
    title: &'static str,
    nav: Nav,
    session_id: String,
    exam: bool,
    total: usize,
    answered: usize,
    unanswered: usize,
    partial: usize,
    marked: usize,
    open: Vec<QuestionRow>,
    locked_unanswered: usize,
    current: usize,
    remaining: Option<String>,
}

/// `GET /s/{id}/submit`: the counts that matter before the end, and a way back.
pub async fn submit_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
) -> Response {
    let session = match load(&state, &viewer, &id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if session.is_submitted() {
        return Redirect::to(&format!("/s/{id}/results")).into_response();
    }
    let all: Vec<usize> = (0..session.items.len()).collect();
    let open: Vec<usize> = all
        .iter()
        .copied()
        .filter(|p| {
            (!session.is_answered(*p) || session.states[*p].marked)
                && (*p == session.current || session.can_visit(*p).is_ok())
        })
        .collect();
    let unanswered = all.iter().filter(|p| !session.is_answered(**p)).count();
    let locked_unanswered = all
        .iter()
        .filter(|p| {
            !session.is_answered(**p) && **p != session.current && session.can_visit(**p).is_err()
        })
        .count();
    render(&SubmitPage {
        title: "Finish?",
        nav: nav(&viewer, None),
        session_id: id,
        exam: matches!(session.mode, Mode::Exam),
        total: session.items.len(),
        answered: session.answered_count(),
        unanswered,
        partial: all.iter().filter(|p| session.is_partial(**p)).count(),
        marked: all.iter().filter(|p| session.states[**p].marked).count(),
        open: rows(&session, &state.library.bank, &open),
        locked_unanswered,
        current: session.current + 1,
        remaining: session.remaining_ms(state.now()).map(|ms| {
            let s = ms / 1000;
            format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
        }),
    })
}

/// `POST /s/{id}/submit`: ends the session once confirmed.
pub async fn submit_confirm(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(_) => {
            return render_problem(
                &viewer,
                StatusCode::FORBIDDEN,
                "The exam was not submitted",
                "This page was open too long or your sign-in ended; nothing was changed and \
                 the exam goes on (its clock too).",
                None,
                Some((format!("/s/{id}"), "Back to the exam".into())),
            );
        }
    };
    match page_service(&state, account).submit(&id, state.now()).await {
        Ok(_) => Redirect::to(&format!("/s/{id}/results")).into_response(),
        Err(e) if e.is_client_error() => with_message(&format!("/s/{id}"), &friendly_service(&e)),
        Err(e) => problem_for(&viewer, e),
    }
}
