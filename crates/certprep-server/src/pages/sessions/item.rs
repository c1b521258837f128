//! One item at its own address (`/s/{id}/i/{n}`), so the browser's Back works. Its one form
//! carries the answer and every way of moving on (Previous, Next, the item grid, the review
//! screen, Finish), so whatever the candidate presses, the answer chosen is saved first; with
//! JavaScript the answer is also saved as soon as it changes.

use axum::http::HeaderMap;
use certprep_domain::session::Session;

use super::view::{
    AnswerArea, GridCell, SectionView, answer_area, grid, mode_label, pace, sections,
};
use super::*;

#[derive(Template)]
#[template(path = "item.html")]
pub(crate) struct ItemPage {
    title: String,
    nav: Nav,
    session_id: String,
    item_id: String,
    exam: String,
    mode: &'static str,
    mode_label: &'static str,
    position: usize,
    total: usize,
    answered: usize,
    sections: Vec<SectionView>,
    remaining: Option<String>,
    deadline: String,
    pace: Option<String>,
    open_book: Option<&'static str>,
    case_title: Option<String>,
    tabs: Vec<(String, String)>,
    series_note: Option<&'static str>,
    scenario_html: String,
    type_description: &'static str,
    area: AnswerArea,
    /// The answer can still change (no feedback shown, the rules allow it).
    editable: bool,
    marked: bool,
    /// The confidence given with the saved answer ("low", "medium", "high"), checked again.
    confidence: &'static str,
    can_mark: bool,
    prev: Option<usize>,
    next: Option<usize>,
    grid: Vec<GridCell>,
    /// The adaptive check: no going back, no review screen, no feedback until the end.
    adaptive: bool,
    max_items: u32,
    /// Study and custom practice: check each answer.
    feedback_mode: bool,
    /// The primary action, first in the form so Enter does it.
    primary: &'static str,
}

pub(crate) fn item_page(
    state: &AppState,
    session: &Session,
    view: &certprep_service::SessionView,
    item: &PresentedItem,
    nav: Nav,
) -> ItemPage {
    let bank = &state.library.bank;
    let mut area = answer_area(item, "item");
    if let Some(f) = area.feedback.as_mut() {
        let here = format!("/s/{}/i/{}", session.id, item.position);
        f.report_href = view::report_href(&item.item_id, &session.id, &here);
    }
    let is_series = item.series.is_some();
    let adaptive = session.mode == Mode::Adaptive;
    let feedback_mode = session.mode.gives_feedback();
    let editable = item.feedback.is_none() && !session.is_submitted();
    let next = session.next_position().map(|p| p + 1);
    let primary = match (adaptive, feedback_mode && editable, next) {
        (true, _, _) => "adaptive",
        (false, true, _) => "check",
        (false, false, Some(_)) => "next",
        (false, false, None) => "review",
    };
    ItemPage {
        title: format!("Question {} of {}", item.position, view.items.len()),
        nav,
        session_id: view.session_id.clone(),
        item_id: item.item_id.clone(),
        exam: view.exam.to_uppercase(),
        mode: session.mode.as_str(),
        mode_label: mode_label(session.mode),
        position: item.position,
        total: view.items.len(),
        answered: view.answered,
        sections: sections(session, bank),
        remaining: view.remaining_ms.map(|ms| {
            let s = ms / 1000;
            format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
        }),
        deadline: view.deadline.map(|d| d.to_rfc3339()).unwrap_or_default(),
        pace: pace(session, view.remaining_ms),
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
        type_description: item.type_description,
        area,
        editable,
        marked: item.marked,
        confidence: item.confidence.map_or("", |c| c.as_str()),
        can_mark: !is_series && !adaptive && !session.is_submitted(),
        prev: session.previous_position().map(|p| p + 1),
        next,
        grid: grid(session),
        adaptive,
        max_items: session.adaptive.as_ref().map_or(
            u32::try_from(certprep_service::learning::ADAPTIVE_MAX_ITEMS).unwrap_or(30),
            |a| a.max_items,
        ),
        feedback_mode,
        primary,
    }
}

/// `/s/{id}`: the item the candidate is on.
pub async fn session_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let session = match page_service(&state, account).load(&id, state.now()).await {
        Ok(s) => s,
        Err(e) => return problem_for(&viewer, e),
    };
    if session.is_submitted() {
        return Redirect::to(&format!("/s/{id}/results")).into_response();
    }
    let to = format!("/s/{id}/i/{}", session.current + 1);
    match q.m {
        Some(m) => with_message(&to, &m),
        None => Redirect::to(&to).into_response(),
    }
}

/// `GET /s/{id}/i/{n}`: shows item `n`, moving there if the rules allow. A move that would
/// lock a section is never made by a GET: it goes to the warning page first.
pub async fn item_get(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path((id, n)): Path<(String, usize)>,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let now = state.now();
    let service = page_service(&state, account);
    let mut session = match service.load(&id, now).await {
        Ok(s) => s,
        Err(e) => return problem_for(&viewer, e),
    };
    if session.is_submitted() {
        let to = if n >= 1 && n <= session.items.len() {
            format!("/s/{id}/answers/{n}")
        } else {
            format!("/s/{id}/results")
        };
        return Redirect::to(&to).into_response();
    }
    let Some(position) = n.checked_sub(1).filter(|p| *p < session.items.len()) else {
        return Redirect::to(&format!("/s/{id}")).into_response();
    };
    if position != session.current {
        if let Err(e) = session.can_visit(position) {
            return with_message(&format!("/s/{id}/i/{}", session.current + 1), &friendly(&e));
        }
        if session.would_lock(position).is_some() {
            return Redirect::to(&format!("/s/{id}/leave?to={n}")).into_response();
        }
        session = match service.goto_position(&id, position, now).await {
            Ok(s) => s,
            Err(e) if e.is_client_error() => {
                return with_message(&format!("/s/{id}"), &friendly_service(&e));
            }
            Err(e) => return problem_for(&viewer, e),
        };
    }
    let view = service.view(&session, now);
    let Some(item) = &view.current else {
        return problem(
            &viewer,
            StatusCode::NOT_FOUND,
            "No such question",
            "The session has no items.",
        );
    };
    render(&item_page(&state, &session, &view, item, nav(&viewer, q.m)))
}

/// How many parts (places, targets, slots, statements) the form of an item has.
fn parts_of(body: &certprep_domain::ItemBody) -> usize {
    use certprep_domain::ItemBody as B;
    match body {
        B::Single { .. } | B::Multiple { .. } | B::Solution { .. } => 1,
        B::Order { actions } => certprep_domain::grading::order_length(actions),
        B::Match { targets, .. } => targets.len(),
        B::Dropdown { slots } => slots.len(),
        B::YesNo { statements } => statements.len(),
    }
}

/// The answer the form carries for the item's type; `None` when no part is given.
pub(crate) fn answer_from_form(kind: ItemKind, form: &FormPairs, parts: usize) -> Option<Answer> {
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
    let answer = match kind {
        ItemKind::Single => form.get("choice").and_then(label).map(Answer::Choice)?,
        ItemKind::Multiple => Answer::Labels(
            form.all("choice")
                .into_iter()
                .filter_map(label)
                .map(Some)
                .collect(),
        ),
        ItemKind::Order => Answer::Labels(per("pos")),
        ItemKind::Match => Answer::Labels(per("target")),
        ItemKind::Dropdown => Answer::Labels(per("slot")),
        ItemKind::YesNo => Answer::YesNo(
            (1..=parts)
                .map(|n| yn(form.get(&format!("s{n}"))))
                .collect(),
        ),
        ItemKind::Solution => yn(form.get("s1")).map(Answer::Bool)?,
    };
    let given = match &answer {
        Answer::Labels(v) => v.iter().any(Option::is_some),
        Answer::YesNo(v) => v.iter().any(Option::is_some),
        Answer::Choice(_) | Answer::Bool(_) => true,
    };
    given.then_some(answer)
}

/// The answer as the candidate chose it, in words, for a page that could not save it.
/// The answer an expired form carried, described as the candidate saw it. The session is read
/// from the store without its owner's sign-in only for the order of the item's parts (never
/// an answer or a key), so the texts match the letters on the page the candidate left.
async fn kept_answer(
    state: &AppState,
    id: &str,
    item: &certprep_domain::Item,
    form: &FormPairs,
) -> Option<String> {
    let answer = answer_from_form(item.kind(), form, parts_of(&item.body))?;
    let session = state.store.load_session(id).await.ok();
    let arrangement = session
        .as_ref()
        .and_then(|s| s.items.iter().find(|i| i.item_id == item.id))
        .and_then(|i| i.arrangement.as_ref());
    Some(describe_kept(item, &answer, arrangement))
}

/// The answer a form carried, in the letters and texts the candidate saw (the session's order).
fn describe_kept(
    item: &certprep_domain::Item,
    answer: &Answer,
    arrangement: Option<&certprep_domain::arrange::Arrangement>,
) -> String {
    let presented = certprep_domain::present::arranged_question(
        item,
        &certprep_domain::Bank::default(),
        arrangement,
    );
    // Plain words: the page shows this as text, so the Markdown of an option is rendered away.
    let text = |list: &[certprep_domain::present::Labelled], l: char| {
        list.iter().find(|o| o.label == l).map_or_else(
            || l.to_string(),
            |o| format!("{l}. {}", super::view::excerpt(&o.text, 300)),
        )
    };
    match answer {
        Answer::Choice(l) => text(&presented.options, *l),
        Answer::Labels(v) => v
            .iter()
            .enumerate()
            .map(|(i, l)| match l {
                None => format!("{}: —", i + 1),
                Some(l) => {
                    let from = match item.kind() {
                        ItemKind::Multiple => &presented.options,
                        ItemKind::Order => &presented.actions,
                        ItemKind::Match => &presented.sources,
                        _ => {
                            return presented.slots.get(i).map_or_else(
                                || format!("{}: {l}", i + 1),
                                |s| format!("drop-down {}: {}", s.number, text(&s.choices, *l)),
                            );
                        }
                    };
                    format!("{}: {}", i + 1, text(from, *l))
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.describe(),
    }
}

/// `POST /s/{id}/i/{n}`: saves the answer the form carries (if it changed), the review-later
/// mark, then does what was pressed.
pub async fn item_post(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path((id, n)): Path<(String, usize)>,
    headers: HeaderMap,
    form: FormPairs,
) -> Response {
    let fetch = headers
        .get("x-requested-with")
        .is_some_and(|v| v.as_bytes() == b"fetch");
    let item = form.get("item").and_then(|i| state.library.bank.item(i));
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(_) => {
            let kept = match item {
                Some(it) => kept_answer(&state, &id, it, &form).await,
                None => None,
            };
            return expired_form(&viewer, &id, n, kept, fetch);
        }
    };
    let Some(item) = item else {
        return problem(
            &viewer,
            StatusCode::BAD_REQUEST,
            "No question",
            "The form names no question of this bank.",
        );
    };
    let now = state.now();
    let service = page_service(&state, account);
    let session = match service.load(&id, now).await {
        Ok(s) => s,
        Err(e) => return problem_for(&viewer, e),
    };
    let Some(position) = session.position_of(&item.id) else {
        return problem(
            &viewer,
            StatusCode::NOT_FOUND,
            "No such question",
            "That question is not part of this session.",
        );
    };
    let here = format!("/s/{id}/i/{}", position + 1);
    // The form speaks the letters shown; the stored answer the author's.
    let arrangement = session.items[position].arrangement.as_ref();
    let given = answer_from_form(item.kind(), &form, parts_of(&item.body));
    let given_authored = given.clone().map(|g| match arrangement {
        Some(a) => a.to_authored(item, g),
        None => g,
    });
    let stored = session.states[position].answer.clone();
    if session.is_submitted() {
        return time_up(
            &viewer,
            &session,
            &id,
            position,
            given.as_ref(),
            given_authored.as_ref(),
            stored.as_ref(),
            item,
            fetch,
        );
    }
    let op = form.get("op").unwrap_or("");
    if op == "reset" {
        return match service.reset_answer(&id, &item.id, now).await {
            Ok(_) => with_message(&here, "Answer cleared."),
            Err(e) => refused(&viewer, &here, e),
        };
    }
    // The answer: saved when it differs from what is stored; cleared when every part was
    // emptied (unticking every box, choosing "(none)" everywhere).
    let editable =
        !(session.mode.gives_feedback() && stored.is_some()) && session.can_visit(position).is_ok();
    let mut saved = None;
    let confidence = form.get("confidence").and_then(Confidence::parse);
    if editable {
        let normalised = given_authored.and_then(|g| g.normalise(item).ok());
        match (&given, &stored) {
            (Some(g), _)
                if normalised.as_ref() != stored.as_ref()
                    || confidence != session.states[position].confidence =>
            {
                match service
                    .answer(&id, &item.id, g.clone(), confidence, now)
                    .await
                {
                    Ok(ack) => saved = Some((ack.answered, ack.total)),
                    Err(e) if e.is_client_error() => {
                        let why = friendly_service(&e);
                        if fetch {
                            return fetch_reply(StatusCode::UNPROCESSABLE_ENTITY, &why, None);
                        }
                        return with_message(&here, &why);
                    }
                    Err(e) => return problem_for(&viewer, e),
                }
            }
            (None, Some(_)) if form.get("answer_shown").is_some() => {
                if let Err(e) = service.reset_answer(&id, &item.id, now).await {
                    return refused(&viewer, &here, e);
                }
            }
            _ => {}
        }
    }
    // "Review later": a checkbox on the item, as on the exam.
    if form.get("mark_shown").is_some() {
        let want = form.get("review_later").is_some();
        if want != session.states[position].marked
            && let Err(e) = service.mark(&id, &item.id, now).await
            && !fetch
        {
            return refused(&viewer, &here, e);
        }
    }
    if op == "save" || fetch {
        let session = service.load(&id, now).await.ok();
        let counts = session
            .as_ref()
            .map(|s| (s.answered_count(), s.items.len()))
            .or(saved);
        return fetch_reply(StatusCode::OK, "Saved.", counts);
    }
    if session.mode == Mode::Adaptive {
        // The check appended its next item (or decided and submitted itself).
        return Redirect::to(&format!("/s/{id}")).into_response();
    }
    let session = match service.load(&id, now).await {
        Ok(s) => s,
        Err(e) => return problem_for(&viewer, e),
    };
    let target = match (op, form.get("go").and_then(|g| g.parse::<usize>().ok())) {
        (_, Some(go)) => go.checked_sub(1),
        ("next", _) => match session.next_position() {
            Some(p) => Some(p),
            // After the last question comes the review screen, as on the exam.
            None => return Redirect::to(&format!("/s/{id}/review")).into_response(),
        },
        ("prev", _) => session.previous_position(),
        ("review", _) => return Redirect::to(&format!("/s/{id}/review")).into_response(),
        ("submit", _) => return Redirect::to(&format!("/s/{id}/submit")).into_response(),
        ("check", _) => {
            return Redirect::to(&format!("/s/{id}/i/{}#result", position + 1)).into_response();
        }
        _ => None,
    };
    let Some(target) = target.filter(|t| *t < session.items.len()) else {
        return match saved {
            Some((a, t)) => with_message(&here, &format!("Saved ({a} of {t} answered).")),
            None => Redirect::to(&here).into_response(),
        };
    };
    if let Err(e) = session.can_visit(target) {
        return with_message(&here, &friendly(&e));
    }
    if session.would_lock(target).is_some() {
        return Redirect::to(&format!("/s/{id}/leave?to={}", target + 1)).into_response();
    }
    match service.goto_position(&id, target, now).await {
        Ok(_) => Redirect::to(&format!("/s/{id}/i/{}", target + 1)).into_response(),
        Err(e) => refused(&viewer, &here, e),
    }
}

fn fetch_reply(status: StatusCode, message: &str, counts: Option<(usize, usize)>) -> Response {
    let body = serde_json::json!({
        "message": message,
        "answered": counts.map(|c| c.0),
        "total": counts.map(|c| c.1),
    });
    (status, axum::Json(body)).into_response()
}

/// A refusal by the rules goes back to the item with the reason; anything else is a problem page.
fn refused(
    viewer: &Option<(Account, String, String)>,
    here: &str,
    e: certprep_service::ServiceError,
) -> Response {
    if e.is_client_error() {
        with_message(here, &friendly_service(&e))
    } else {
        problem_for(viewer, e)
    }
}

/// The form could not be trusted (its token expired or the sign-in ended): nothing is saved,
/// and the page says so and shows the answer that was chosen, so it can be entered again.
fn expired_form(
    viewer: &Option<(Account, String, String)>,
    id: &str,
    n: usize,
    kept: Option<String>,
    fetch: bool,
) -> Response {
    let message = "This page was open too long or your sign-in ended, so the answer could not be \
                   saved safely. Nothing was changed.";
    if fetch {
        return fetch_reply(StatusCode::FORBIDDEN, message, None);
    }
    render_problem(
        viewer,
        StatusCode::FORBIDDEN,
        "Your answer was not saved",
        message,
        kept,
        Some((
            format!("/s/{id}/i/{n}"),
            "Reload the question and enter it again".to_string(),
        )),
    )
}

/// The exam ended (its time ran out) before this form arrived: the page says so and shows the
/// answer that could not be counted.
#[allow(clippy::too_many_arguments)]
fn time_up(
    viewer: &Option<(Account, String, String)>,
    session: &Session,
    id: &str,
    position: usize,
    given: Option<&Answer>,
    given_authored: Option<&Answer>,
    stored: Option<&Answer>,
    item: &certprep_domain::Item,
    fetch: bool,
) -> Response {
    let at = session
        .submitted_at
        .map(|t| t.format("%H:%M:%S UTC").to_string())
        .unwrap_or_default();
    let lost = given.filter(|_| {
        given_authored
            .and_then(|g| g.clone().normalise(item).ok())
            .as_ref()
            != stored
    });
    let arrangement = session
        .items
        .get(position)
        .and_then(|i| i.arrangement.as_ref());
    let message = format!(
        "The session ended at {at} (its time ran out, or it was submitted in another window). \
         Answers saved before then are scored; nothing can change now."
    );
    if fetch {
        return fetch_reply(StatusCode::CONFLICT, &message, None);
    }
    render_problem(
        viewer,
        StatusCode::CONFLICT,
        "Time is up",
        &message,
        lost.map(|a| {
            format!(
                "Question {}: {}",
                position + 1,
                describe_kept(item, a, arrangement)
            )
        }),
        Some((format!("/s/{id}/results"), "See your results".to_string())),
    )
}
