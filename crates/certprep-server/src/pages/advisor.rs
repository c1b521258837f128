//! The advisor on the web: is the certification worth it (a form about the person, the advice
//! beside it), the study plan with progress and a calendar file, and the real results with
//! renewal. Forms post and redirect, so the pages work without JavaScript.

use certprep_advisor::{
    EmployerCloud, Foundations, Industry, PlanStatus, Profile, Role, money, trim_number,
};
use certprep_service::advisor::{PlanView, ResultView};

use super::*;

#[derive(Debug, Default, Deserialize)]
pub struct AdviseQuery {
    pub exam: Option<String>,
    pub m: Option<String>,
}

/// One choice of a select: value, label, selected.
type Choice = (String, String, bool);

fn choices(names: Vec<&'static str>, current: Option<&str>) -> Vec<Choice> {
    std::iter::once(("".to_string(), "Not said".to_string(), current.is_none()))
        .chain(
            names
                .into_iter()
                .map(|n| (n.to_string(), n.replace('-', " "), current == Some(n))),
        )
        .collect()
}

fn yes_no_choices(current: Option<bool>) -> Vec<Choice> {
    vec![
        ("".into(), "Not said".into(), current.is_none()),
        ("yes".into(), "Yes".into(), current == Some(true)),
        ("no".into(), "No".into(), current == Some(false)),
    ]
}

pub(crate) struct CostRow {
    label: String,
    range: String,
    status: &'static str,
    source: String,
}

pub(crate) struct AltRow {
    name: String,
    fee: String,
    shape: String,
    fits: String,
    retired: Option<String>,
}

#[derive(Template)]
#[template(path = "advise.html")]
pub(crate) struct AdvisePage {
    title: String,
    nav: Nav,
    exam: String,
    exams: Vec<Choice>,
    roles: Vec<Choice>,
    years: String,
    software: bool,
    cloud: bool,
    data: bool,
    clouds: Vec<Choice>,
    partner: Vec<Choice>,
    client_facing: Vec<Choice>,
    industries: Vec<Choice>,
    hours_per_week: String,
    budget: String,
    currency: String,
    usd_rate: String,
    fee: String,
    course: String,
    book: String,
    labs: String,
    error: Option<String>,
    verdict: String,
    verdict_class: &'static str,
    reasons: Vec<(bool, String)>,
    not_weighed: String,
    cost: String,
    costs: Vec<CostRow>,
    typical: String,
    cost_notes: Vec<String>,
    hours: String,
    hours_reasoning: Vec<String>,
    carry: Option<String>,
    carry_rows: Vec<(String, &'static str, String)>,
    new_to_you: Vec<String>,
    alternatives: Vec<AltRow>,
    progressions: Vec<(String, String, String)>,
    renewal: String,
    partner_note: Option<String>,
}

fn override_of(p: &Profile, id: &str) -> String {
    p.cost_overrides
        .iter()
        .find(|(k, _)| k == id)
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// `GET /advise?exam=`: the form with what the person said before, and the advice for it.
pub async fn advise_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(q): Query<AdviseQuery>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let now = state.now();
    let service = page_service(&state, account);
    let profile = match service.saved_profile().await {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => return problem_for(&viewer, e),
    };
    let today = now.date_naive();
    let exam = q
        .exam
        .clone()
        .unwrap_or_else(|| certprep_service::advisor::default_exam(&state.library, today));
    if let Err(e) = service.exam(&exam) {
        return problem_for(&viewer, e);
    }
    let advice = service.advise(&exam, &profile, now).await;
    let mut page = advise_form(&state, &viewer, &exam, &profile, q.m);
    match advice {
        Ok(a) => fill_advice(&mut page, &a),
        Err(e) if e.is_client_error() => page.error = Some(e.to_string()),
        Err(e) => return problem_for(&viewer, e),
    }
    render(&page)
}

fn advise_form(
    state: &AppState,
    viewer: &Option<(Account, String, String)>,
    exam: &str,
    p: &Profile,
    message: Option<String>,
) -> AdvisePage {
    let f = p.foundations.unwrap_or_default();
    AdvisePage {
        title: "Is it worth it?".into(),
        nav: nav(viewer, message),
        exam: exam.to_string(),
        exams: state
            .library
            .catalog
            .exams()
            .iter()
            .map(|e| {
                (
                    e.code.to_string(),
                    format!("{} · {}", e.code.display(), e.title),
                    e.code.as_str() == exam,
                )
            })
            .collect(),
        roles: choices(Role::names(), p.role.map(Role::as_str)),
        years: p.years.map(|y| y.to_string()).unwrap_or_default(),
        software: f.software,
        cloud: f.cloud,
        data: f.data,
        clouds: choices(
            EmployerCloud::names(),
            p.employer_cloud.map(EmployerCloud::as_str),
        ),
        partner: yes_no_choices(p.partner),
        client_facing: yes_no_choices(p.client_facing),
        industries: choices(Industry::names(), p.industry.map(Industry::as_str)),
        hours_per_week: p.hours_per_week.map(trim_number).unwrap_or_default(),
        budget: p.budget.map(|b| b.to_string()).unwrap_or_default(),
        currency: p.currency.clone().unwrap_or_default(),
        usd_rate: p.usd_rate.map(|r| r.to_string()).unwrap_or_default(),
        fee: p.fee.map(|f| f.to_string()).unwrap_or_default(),
        course: override_of(p, "course"),
        book: override_of(p, "book"),
        labs: override_of(p, "labs"),
        error: None,
        verdict: String::new(),
        verdict_class: "",
        reasons: vec![],
        not_weighed: String::new(),
        cost: String::new(),
        costs: vec![],
        typical: String::new(),
        cost_notes: vec![],
        hours: String::new(),
        hours_reasoning: vec![],
        carry: None,
        carry_rows: vec![],
        new_to_you: vec![],
        alternatives: vec![],
        progressions: vec![],
        renewal: String::new(),
        partner_note: None,
    }
}

fn fill_advice(page: &mut AdvisePage, a: &certprep_advisor::Advice) {
    use certprep_advisor::Recommendation as R;
    page.verdict = a.recommendation_label.to_string();
    page.verdict_class = match a.recommendation {
        R::GoAhead => "go",
        R::BuildFoundations | R::WaitForSuccessor => "wait",
        R::ConsiderAlternative => "other",
    };
    page.reasons = a
        .reasons
        .iter()
        .map(|r| (r.recommends.is_some(), r.text.clone()))
        .collect();
    page.not_weighed = a.not_weighed.join(", ");
    let c = &a.cost;
    page.cost = format!(
        "{}–{}",
        money(c.min, &c.currency),
        money(c.max, &c.currency)
    );
    page.costs = c
        .items
        .iter()
        .map(|i| CostRow {
            label: i.label.clone(),
            range: i.range_text(),
            status: i.standing(),
            source: if i.overridden {
                String::new()
            } else {
                format!("{} (checked {})", i.source, i.checked)
            },
        })
        .collect();
    page.typical = format!(
        "{}–{}",
        money(c.typical_total[0], &c.currency),
        money(c.typical_total[1], &c.currency)
    );
    page.cost_notes = c.notes.clone();
    page.hours = format!("{}–{} hours", a.hours.min, a.hours.max);
    page.hours_reasoning = a.hours.reasoning.clone();
    if let Some(co) = &a.carry_over {
        let to = co.to.split('@').next().unwrap_or(&co.to).to_uppercase();
        page.carry = Some(format!(
            "{:.0}% of {} carries over to {to}: {} objectives fully, {} partly, {} not at all.",
            co.share * 100.0,
            co.basis,
            co.full,
            co.partial,
            co.none
        ));
        page.carry_rows = co
            .objectives
            .iter()
            .map(|o| {
                (
                    o.title.clone(),
                    match o.carries {
                        certprep_advisor::Carries::Full => "fully",
                        certprep_advisor::Carries::Partial => "partly",
                        certprep_advisor::Carries::None => "not at all",
                    },
                    if o.to.is_empty() {
                        o.note.clone().unwrap_or_default()
                    } else {
                        o.to.iter()
                            .map(|(_, t)| t.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    },
                )
            })
            .collect();
        page.new_to_you = co.new_to_you.iter().map(|(_, t, _)| t.clone()).collect();
    }
    page.alternatives = a
        .alternatives
        .iter()
        .map(|alt| AltRow {
            name: alt.name.clone(),
            fee: match (alt.fee, alt.fee_verified) {
                (Some(f), Some(false)) => format!("{} (unverified)", money(f, "USD")),
                (Some(f), _) => money(f, "USD"),
                (None, Some(false)) => "not verified".into(),
                (None, _) => "varies".into(),
            },
            shape: [
                alt.questions.as_ref().map(|q| format!("{q} questions")),
                alt.minutes.map(|m| format!("{m} min")),
                alt.passing.as_ref().map(|p| format!("pass {p}")),
                alt.validity.as_ref().map(|v| format!("valid {v}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
            fits: alt.fits.clone(),
            retired: (alt.status == "retired").then(|| {
                format!(
                    "Retired{}; successor: {}",
                    alt.retired_on
                        .map(|d| format!(" on {d}"))
                        .unwrap_or_default(),
                    alt.successor.as_deref().unwrap_or("none")
                )
            }),
        })
        .collect();
    page.progressions = a
        .progressions
        .iter()
        .map(|p| (p.name.clone(), p.needs.clone(), p.note.clone()))
        .collect();
    page.renewal = a.renewal.clone();
    page.partner_note = a.partner_note.clone();
}

/// The profile from the form; a field left empty is "not said".
fn profile_from(form: &FormPairs) -> Result<Profile, String> {
    let text = |k: &str| form.get(k).map(str::trim).filter(|v| !v.is_empty());
    let number = |k: &str, what: &str| -> Result<Option<u32>, String> {
        text(k)
            .map(|v| {
                v.parse::<u32>()
                    .map_err(|_| format!("{what}: {v:?} is not a whole number"))
            })
            .transpose()
    };
    let decimal = |k: &str, what: &str| -> Result<Option<f64>, String> {
        text(k)
            .map(|v| {
                v.parse::<f64>()
                    .map_err(|_| format!("{what}: {v:?} is not a number"))
            })
            .transpose()
    };
    let yes_no = |k: &str| match text(k) {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    let chosen: Vec<&str> = form.all("foundation");
    let mut cost_overrides = Vec::new();
    for line in ["course", "book", "labs"] {
        if let Some(v) = number(line, line)? {
            cost_overrides.push((line.to_string(), v));
        }
    }
    let p = Profile {
        role: text("role").map(str::parse).transpose()?,
        years: number("years", "Years of experience")?,
        // The checkboxes say nothing until the person ticks one or says "none".
        foundations: if chosen.is_empty() && text("foundations_said").is_none() {
            None
        } else {
            Some(Foundations {
                software: chosen.contains(&"software"),
                cloud: chosen.contains(&"cloud"),
                data: chosen.contains(&"data"),
            })
        },
        employer_cloud: text("employer_cloud").map(str::parse).transpose()?,
        partner: yes_no("partner"),
        client_facing: yes_no("client_facing"),
        industry: text("industry").map(str::parse).transpose()?,
        hours_per_week: decimal("hours_per_week", "Hours a week")?,
        budget: number("budget", "Budget")?,
        currency: text("currency").map(|c| c.to_ascii_uppercase()),
        usd_rate: decimal("usd_rate", "Exchange rate")?,
        fee: number("fee", "Exam fee")?,
        cost_overrides,
    };
    p.validate()?;
    Ok(p)
}

/// `POST /advise`: saves what the person said and shows the advice; a mistake shows the form
/// again as typed, with the reason.
pub async fn save_advice_profile(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let service = page_service(&state, account);
    let exam = form.get("exam").unwrap_or("ai-103").to_string();
    if let Err(e) = service.exam(&exam) {
        return problem_for(&viewer, e);
    }
    let profile = match profile_from(&form) {
        Ok(p) => p,
        Err(error) => {
            let mut page = advise_form(&state, &viewer, &exam, &Profile::default(), None);
            // Keep what was typed: the fields echo the form.
            let keep = |k: &str| form.get(k).unwrap_or_default().to_string();
            page.years = keep("years");
            page.hours_per_week = keep("hours_per_week");
            page.budget = keep("budget");
            page.currency = keep("currency");
            page.usd_rate = keep("usd_rate");
            page.fee = keep("fee");
            page.course = keep("course");
            page.book = keep("book");
            page.labs = keep("labs");
            page.error = Some(error);
            let mut r = render(&page);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return r;
        }
    };
    match service.save_profile(&profile).await {
        Ok(()) => with_message(
            &format!("/advise?exam={}", urlencode(&exam)),
            "Saved. The advice below is for what you said.",
        ),
        Err(e) => problem_for(&viewer, e),
    }
}

/// A week of the plan: its dates, its hours, and (hours, activity) lines.
type WeekRow = (String, String, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "plan.html")]
pub(crate) struct PlanPage {
    title: String,
    nav: Nav,
    exam: String,
    code: String,
    today: String,
    exam_date: String,
    hours_per_week: String,
    plan: Option<PlanView>,
    status_class: &'static str,
    domains: Vec<(String, String, String, String)>,
    weeks: Vec<WeekRow>,
    chart: String,
    progress: String,
    error: Option<String>,
}

/// `GET /plan/{exam}`: the plan and progress, or the form to make one.
pub async fn plan_page(
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
        Err(e) => return problem_for(&viewer, e),
    };
    let saved_date = match service.exam_date(&code).await {
        Ok(d) => d,
        Err(e) => return problem_for(&viewer, e),
    };
    let mut page = PlanPage {
        title: format!("Study plan · {}", exam.code.display()),
        nav: nav(&viewer, q.m),
        exam: exam.code.to_string(),
        code: exam.code.display(),
        today: now.date_naive().to_string(),
        exam_date: saved_date.map(|d| d.to_string()).unwrap_or_default(),
        hours_per_week: String::new(),
        plan: None,
        status_class: "",
        domains: vec![],
        weeks: vec![],
        chart: String::new(),
        progress: String::new(),
        error: None,
    };
    match service.study_plan(&code, None, None, now).await {
        Ok(view) => fill_plan(&mut page, view),
        // No plan yet (or its date passed): the form says what to give.
        Err(e) if e.is_client_error() => {
            if saved_date.is_some() {
                page.error = Some(e.to_string());
            }
        }
        Err(e) => return problem_for(&viewer, e),
    }
    render(&page)
}

fn fill_plan(page: &mut PlanPage, view: PlanView) {
    let p = &view.plan;
    page.hours_per_week = trim_number(p.hours_per_week);
    page.status_class = match p.status {
        PlanStatus::Reachable => "go",
        PlanStatus::Tight => "wait",
        PlanStatus::Unreachable => "other",
    };
    page.domains = p
        .domains
        .iter()
        .map(|d| {
            (
                d.title.clone(),
                format!("{:.0}%", d.weight * 100.0),
                d.mastery
                    .map(|m| format!("{:.0}%", m * 100.0))
                    .unwrap_or_else(|| "no evidence yet".into()),
                trim_number(d.hours),
            )
        })
        .collect();
    page.weeks = p
        .weeks
        .iter()
        .map(|w| {
            (
                format!(
                    "Week {} · {} – {}",
                    w.number,
                    w.start.format("%-d %b"),
                    w.end.format("%-d %b")
                ),
                format!("{} h", trim_number(w.hours)),
                w.activities
                    .iter()
                    .map(|a| (format!("{} h", trim_number(a.hours)), a.label.clone()))
                    .collect(),
            )
        })
        .collect();
    page.chart = crate::charts::plan_progress(
        &view
            .progress
            .weeks
            .iter()
            .filter(|w| w.start <= view.today)
            .map(|w| (format!("W{}", w.number), w.planned, w.logged))
            .collect::<Vec<_>>(),
    );
    page.progress = view.progress.message.clone();
    page.plan = Some(view);
}

/// `POST /plan/{exam}`: the exam date and hours a week; then the plan.
pub async fn save_plan(
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
        Err(e) => return problem_for(&viewer, e),
    };
    let back = format!("/plan/{exam}");
    let now = state.now();
    let date =
        match crate::api::parse_exam_date(form.get("date").unwrap_or_default(), now.date_naive()) {
            Ok(d) => d,
            Err(e) => return with_message(&back, &e.message),
        };
    let hours = match form
        .get("hours_per_week")
        .map(str::trim)
        .unwrap_or_default()
        .parse::<f64>()
    {
        Ok(h) => h,
        Err(_) => {
            return with_message(
                &back,
                "Give the hours you can study a week as a number, such as 6 or 7.5.",
            );
        }
    };
    match service
        .study_plan(&exam, Some(date), Some(hours), now)
        .await
    {
        Ok(_) => with_message(&back, "Plan saved."),
        Err(e) if e.is_client_error() => with_message(&back, &e.to_string()),
        Err(e) => problem_for(&viewer, e),
    }
}

/// `GET /plan/{exam}/plan.ics`: the plan as a calendar file to import.
pub async fn plan_calendar(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(code): Path<String>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let service = page_service(&state, account);
    match service.study_plan(&code, None, None, state.now()).await {
        Ok(view) => {
            let text = certprep_advisor::ics::plan_calendar(&view.plan, &view.exam.to_uppercase());
            let name = format!("attachment; filename=\"certprep-{}-plan.ics\"", view.exam);
            let mut r = text.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&name) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) if e.is_client_error() => {
            with_message(&format!("/plan/{}", urlencode(&code)), &e.to_string())
        }
        Err(e) => problem_for(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "exam_results.html")]
pub(crate) struct ResultsPage {
    title: &'static str,
    nav: Nav,
    today: String,
    exams: Vec<Choice>,
    results: Vec<ResultRow>,
}

pub(crate) struct ResultRow {
    id: i64,
    exam: String,
    title: String,
    date: String,
    outcome: &'static str,
    passed: bool,
    score: String,
    comparison: String,
    renewal: Option<String>,
    renewal_class: &'static str,
}

fn result_row(v: &ResultView) -> ResultRow {
    use certprep_advisor::RenewalStatus as S;
    ResultRow {
        id: v.result.id,
        exam: v.result.exam.to_uppercase(),
        title: v.exam_title.clone(),
        date: v.result.taken_on.to_string(),
        outcome: if v.result.passed {
            "Passed"
        } else {
            "Not passed"
        },
        passed: v.result.passed,
        score: v
            .result
            .score
            .map(|s| s.to_string())
            .unwrap_or_else(|| "–".into()),
        comparison: v.comparison.clone(),
        renewal: v.renewal.as_ref().map(|r| r.message.clone()),
        renewal_class: match v.renewal.as_ref().map(|r| r.status) {
            Some(S::WindowOpen) => "wait",
            Some(S::CannotRenew | S::Expired) => "other",
            _ => "go",
        },
    }
}

/// `GET /results`: the real results recorded, with certprep's prediction and renewal.
pub async fn results_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(q): Query<Message>,
) -> Response {
    let Some((account, _, _)) = &viewer else {
        return to_signin();
    };
    let now = state.now();
    let service = page_service(&state, account);
    let results = match service.results(now).await {
        Ok(r) => r,
        Err(e) => return problem_for(&viewer, e),
    };
    render(&ResultsPage {
        title: "Exam results",
        nav: nav(&viewer, q.m),
        today: now.date_naive().to_string(),
        exams: state
            .library
            .catalog
            .exams()
            .iter()
            .map(|e| {
                (
                    e.code.to_string(),
                    format!("{} · {}", e.code.display(), e.title),
                    false,
                )
            })
            .collect(),
        results: results.iter().map(result_row).collect(),
    })
}

/// `POST /results`: records a real result.
pub async fn record_result(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let service = page_service(&state, account);
    let now = state.now();
    let exam = form.get("exam").unwrap_or_default();
    let date = match chrono::NaiveDate::parse_from_str(
        form.get("date").unwrap_or_default().trim(),
        "%Y-%m-%d",
    ) {
        Ok(d) => d,
        Err(_) => return with_message("/results", "Give the day you sat the exam (YYYY-MM-DD)."),
    };
    let passed = match form.get("outcome") {
        Some("pass") => true,
        Some("fail") => false,
        _ => return with_message("/results", "Choose whether you passed."),
    };
    let score = match form.get("score").map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => {
                return with_message(
                    "/results",
                    &format!("The score {s:?} is not a whole number from 1 to 1000."),
                );
            }
        },
    };
    match service.record_result(exam, date, passed, score, now).await {
        Ok(v) => with_message("/results", &format!("Recorded. {}", v.comparison)),
        Err(e) if e.is_client_error() => with_message("/results", &e.to_string()),
        Err(e) => problem_for(&viewer, e),
    }
}

/// `POST /results/{id}/delete`: removes a result recorded by mistake.
pub async fn delete_result(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
    form: FormPairs,
) -> Response {
    let account = match form_sender(&viewer, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let Ok(id) = id.parse::<i64>() else {
        return problem(
            &viewer,
            StatusCode::NOT_FOUND,
            "No such result",
            "That result does not exist.",
        );
    };
    let service = page_service(&state, account);
    match service.delete_result(id).await {
        Ok(()) => with_message("/results", "Result deleted."),
        Err(e) if e.is_client_error() => with_message("/results", &e.to_string()),
        Err(e) => problem_for(&viewer, e),
    }
}
