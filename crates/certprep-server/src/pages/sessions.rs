//! A session in the browser: starting one, each item of every type with its answer form,
//! moving and marking, the review screen, results and the answer review.

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

pub(crate) fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub(crate) struct Opt {
    label: char,
    text: String,
    checked: bool,
}

pub(crate) struct PositionView {
    number: usize,
    choices: Vec<Opt>,
}

pub(crate) struct TargetView {
    number: u32,
    text: String,
    choices: Vec<Opt>,
}

pub(crate) struct SlotView {
    number: u32,
    choices: Vec<Opt>,
}

pub(crate) struct StatementView {
    number: u32,
    text: String,
    yes: bool,
    no: bool,
}

pub(crate) struct FeedbackView {
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
pub(crate) struct ItemPage {
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

pub(crate) fn labels_of(answer: &Option<Answer>) -> Vec<Option<char>> {
    match answer {
        Some(Answer::Choice(c)) => vec![Some(*c)],
        Some(Answer::Labels(v)) => v.clone(),
        _ => vec![],
    }
}

pub(crate) fn item_page(
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

pub(crate) fn feedback_view(f: &certprep_domain::present::Feedback) -> FeedbackView {
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

pub(crate) fn page_service<'a>(state: &'a AppState, account: &Account) -> Service<'a> {
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
pub(crate) fn parts_of(body: &certprep_domain::ItemBody) -> usize {
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
pub(crate) struct ReviewPage {
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
    note: &'static str,
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
