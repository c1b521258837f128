//! The server-rendered pages, driven as a browser without JavaScript would: forms with CSRF
//! tokens, redirects, every item type answered through its form, results and history.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use certprep_bank::Source;
use certprep_bank::load::{Library, load};
use certprep_domain::grading::{Answer, key};
use certprep_domain::item::ItemKind;
use certprep_server::{AppState, router};
use certprep_store_sqlite::SqliteStore;
use tower::ServiceExt;

struct Browser {
    app: Router,
    cookies: Vec<(String, String)>,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    html: String,
}

impl Browser {
    async fn request(
        &mut self,
        method: &str,
        path: &str,
        form: Option<Vec<(String, String)>>,
    ) -> Page {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "certprep.test");
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header(header::COOKIE, jar.join("; "));
        }
        let req = match form {
            Some(pairs) => {
                let body: String = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish();
                req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
            }
            None => req.body(Body::empty()),
        }
        .unwrap_or_else(|e| panic!("{e}"));
        let res = self
            .app
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for value in res.headers().get_all(header::SET_COOKIE) {
            let Some((pair, _)) = value.to_str().unwrap_or_default().split_once(';') else {
                continue;
            };
            if let Some((k, v)) = pair.split_once('=') {
                self.cookies.retain(|(name, _)| name != k);
                if !v.is_empty() {
                    self.cookies.push((k.to_string(), v.to_string()));
                }
            }
        }
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
            .await
            .unwrap_or_default();
        Page {
            status,
            location,
            html: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        self.request("GET", path, None).await
    }

    /// GETs a path and follows redirects; returns the page and where it ended.
    async fn follow(&mut self, path: &str) -> (Page, String) {
        let mut at = path.to_string();
        for _ in 0..6 {
            let page = self.get(&at).await;
            match page.location.clone() {
                Some(next) if page.status.is_redirection() => at = next,
                _ => return (page, at),
            }
        }
        panic!("too many redirects from {path}");
    }

    async fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Page {
        self.request(
            "POST",
            path,
            Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        )
        .await
    }
}

/// The value of `<input ... name="NAME" value="…">` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

fn library() -> Arc<Library> {
    let files = certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect();
    Arc::new(
        load(
            &[files],
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
            0,
        )
        .library,
    )
}

/// The key of `item` in the letters its session shows: sessions arrange each item's options in
/// an order drawn from their seed, and a candidate answers with the letters on the page.
async fn shown_key(
    store: &SqliteStore,
    session_path: &str,
    item: &certprep_domain::item::Item,
) -> Answer {
    use certprep_store::Store;
    let id = session_path
        .trim_start_matches("/s/")
        .split('/')
        .next()
        .unwrap_or_default();
    let session = store
        .load_session(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let authored = key(&item.body);
    session
        .items
        .iter()
        .find(|i| i.item_id == item.id)
        .and_then(|i| i.arrangement.as_ref())
        .map_or(authored.clone(), |a| a.to_display(item, authored))
}

/// The form fields that give the key of an item of each type.
fn fields(kind: ItemKind, answer: &Answer) -> Vec<(String, String)> {
    match (kind, answer) {
        (_, Answer::Choice(c)) => vec![("choice".into(), c.to_string())],
        (ItemKind::Multiple, Answer::Labels(v)) => v
            .iter()
            .flatten()
            .map(|c| ("choice".into(), c.to_string()))
            .collect(),
        (ItemKind::Order, Answer::Labels(v)) => v
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (format!("pos{}", i + 1), c.to_string())))
            .collect(),
        (ItemKind::Match, Answer::Labels(v)) => v
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (format!("target{}", i + 1), c.to_string())))
            .collect(),
        (_, Answer::Labels(v)) => v
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (format!("slot{}", i + 1), c.to_string())))
            .collect(),
        (_, Answer::YesNo(v)) => v
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.map(|b| {
                    (
                        format!("s{}", i + 1),
                        if b { "yes" } else { "no" }.to_string(),
                    )
                })
            })
            .collect(),
        (_, Answer::Bool(b)) => vec![("s1".into(), if *b { "yes" } else { "no" }.into())],
    }
}

#[tokio::test]
async fn a_candidate_signs_up_takes_an_exam_and_sees_results() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = SqliteStore::open(&dir.path().join("pages.db"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let library = library();
    let store = Arc::new(store);
    let app = router(AppState::new(library.clone(), store.clone()));
    let mut b = Browser {
        app,
        cookies: vec![],
    };

    assert_eq!(b.get("/").await.location.as_deref(), Some("/signin"));
    let catalog = b.get("/exams").await;
    assert!(
        catalog.html.contains("AI-102")
            && catalog
                .html
                .contains("retired 2026-06-30, successor AI-103")
    );

    let signup = b.get("/signup").await;
    let form_csrf = hidden(&signup.html, "csrf");
    assert_eq!(form_csrf.len(), 64);
    let forged = b
        .post(
            "/signup",
            &[
                ("csrf", "nope"),
                ("email", "dee@example.com"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let done = b
        .post(
            "/signup",
            &[
                ("csrf", &form_csrf),
                ("email", "dee@example.com"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    // A sign-up signs nobody in: the same answer whether the email was free or not.
    assert_eq!(
        (done.status, done.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/signin?m=registered")),
        "{}",
        done.html
    );
    assert!(!b.cookies.iter().any(|(k, _)| k == "certprep_session"));
    let again = b
        .post(
            "/signup",
            &[
                ("csrf", &form_csrf),
                ("email", "dee@example.com"),
                ("password", "another long password"),
            ],
        )
        .await;
    assert_eq!(again.location, done.location, "{}", again.html);
    let signin = b.get("/signin?m=registered").await;
    assert!(
        signin.html.contains(certprep_server::api::REGISTERED),
        "{}",
        signin.html
    );
    let signed_in = b
        .post(
            "/signin",
            &[
                ("csrf", &hidden(&signin.html, "csrf")),
                ("email", "dee@example.com"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(
        signed_in.location.as_deref(),
        Some("/"),
        "{}",
        signed_in.html
    );
    assert!(b.cookies.iter().any(|(k, _)| k == "certprep_session"));

    let home = b.get("/").await;
    assert!(home.html.contains("Start a session"), "{}", home.html);
    let csrf = hidden(&home.html, "csrf");
    assert_eq!(
        b.post("/practice", &[("exam", "ai-103"), ("mode", "exam")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let started = b
        .post(
            "/practice",
            &[("csrf", &csrf), ("exam", "ai-103"), ("mode", "exam")],
        )
        .await;
    let session_path = started
        .location
        .unwrap_or_else(|| panic!("no redirect: {}", started.html));
    assert!(session_path.starts_with("/s/"));

    // Answer items of every type through their forms, pressing only Next (no separate save),
    // until the main section ends.
    let (_, mut path) = b.follow(&session_path).await;
    assert!(path.starts_with(&format!("{session_path}/i/")), "{path}");
    let mut kinds_seen = std::collections::BTreeSet::new();
    let mut pages = Vec::new();
    let mut first: Option<(String, Vec<(String, String)>)> = None;
    let mut leave_page = None;
    for _ in 0..60 {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.html);
        pages.push(page.html.clone());
        let item_id = hidden(&page.html, "item");
        let item = library
            .bank
            .item(&item_id)
            .unwrap_or_else(|| panic!("no item {item_id}"));
        kinds_seen.insert(item.kind());
        let given = fields(item.kind(), &shown_key(&store, &session_path, item).await);
        if first.is_none() {
            first = Some((path.clone(), given.clone()));
        }
        let mut form = vec![
            ("csrf".to_string(), csrf.clone()),
            ("item".to_string(), item_id.clone()),
            ("answer_shown".to_string(), "1".to_string()),
            ("op".to_string(), "next".to_string()),
        ];
        form.extend(given);
        let moved = b.request("POST", &path, Some(form)).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.html);
        let to = moved.location.unwrap_or_default();
        if to.contains("/leave?to=") {
            leave_page = Some(to);
            break;
        }
        if to.ends_with("/review") {
            break;
        }
        path = to;
    }
    assert!(kinds_seen.len() >= 4, "{kinds_seen:?}");
    // A selection followed by Next was saved: the first item shows it when revisited.
    let (first_path, first_fields) = first.unwrap_or_default();
    let revisit = b.get(&first_path).await;
    for (name, value) in &first_fields {
        let checked = format!("name=\"{name}\" value=\"{value}\" checked");
        let selected = format!("value=\"{value}\" selected");
        assert!(
            revisit.html.contains(&checked) || revisit.html.contains(&selected),
            "{name}={value} not kept: {}",
            revisit.html
        );
    }
    // Leaving the standalone section for the case study warns first, with counts and a way back.
    if let Some(leave) = leave_page {
        let warning = b.get(&leave).await;
        assert!(
            warning.html.contains("cannot return")
                && warning.html.contains("unanswered")
                && warning.html.contains("marked for review")
                && warning.html.contains("Return to question"),
            "{}",
            warning.html
        );
    }
    // No key material reached the browser before submission.
    for html in &pages {
        assert!(
            !html.contains("id=\"result\"") && !html.contains("Correct answer"),
            "key shown in an exam page"
        );
    }
    let review = b.get(&format!("{session_path}/review")).await;
    assert!(
        review.html.contains("Unanswered (") && review.html.contains("For review ("),
        "{}",
        review.html
    );
    // Finishing asks first, with the counts.
    let finish = b
        .request(
            "POST",
            &first_path,
            Some(vec![
                ("csrf".to_string(), csrf.clone()),
                ("item".to_string(), hidden(&revisit.html, "item")),
                ("op".to_string(), "submit".to_string()),
            ]),
        )
        .await;
    assert_eq!(
        finish.location.as_deref(),
        Some(format!("{session_path}/submit").as_str())
    );
    let confirm = b.get(&format!("{session_path}/submit")).await;
    assert!(
        confirm.html.contains("unanswered") && confirm.html.contains("marked for review"),
        "{}",
        confirm.html
    );
    let submitted = b
        .post(&format!("{session_path}/submit"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        submitted.location.as_deref(),
        Some(format!("{session_path}/results").as_str())
    );
    let results = b.get(&format!("{session_path}/results")).await;
    assert!(
        results.html.contains("<svg")
            && results.html.contains("Skill areas")
            && results.html.contains("of 1000"),
        "{}",
        results.html
    );
    // After submission an item's address shows the submitted answer, not a live form.
    let (after, at) = b.follow(&first_path).await;
    assert!(at.contains("/answers/"), "{at}");
    assert!(
        !after.html.contains("name=\"op\""),
        "a live form after submission"
    );
    let answer_one = b.get(&format!("{session_path}/answers/1")).await;
    assert!(
        answer_one.html.contains("Submitted")
            && (answer_one.html.contains("Your choice, and correct")
                || answer_one.html.contains("Correct answer")),
        "{}",
        answer_one.html
    );
    assert!(results.html.contains(&format!("{session_path}/answers/1")));
    let history = b.get("/history").await;
    assert!(
        history.html.contains("<svg") && history.html.contains("polyline"),
        "{}",
        history.html
    );
    // Pages carry no inline script and no inline style, as the CSP requires.
    for html in [&home.html, &results.html, &history.html] {
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "inline script or style"
        );
    }
    // A team page for its instructor: members, projected passes, CSV link.
    assert_eq!(
        b.post("/teams", &[("name", "Guild")]).await.status,
        StatusCode::FORBIDDEN
    );
    let team = b
        .post("/teams", &[("csrf", &csrf), ("name", "Guild")])
        .await;
    let team_path = team
        .location
        .unwrap_or_else(|| panic!("no team: {}", team.html));
    let team_page = b.get(&team_path).await;
    assert!(
        team_page.html.contains("dee@example.com")
            && team_page.html.contains("Invite code")
            && team_page.html.contains("export.csv"),
        "{}",
        team_page.html
    );
    assert!(b.get("/teams").await.html.contains("Guild"));
    let link = team_page
        .html
        .split("href=\"/join/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_string();
    assert!(
        b.get(&format!("/join/{link}"))
            .await
            .html
            .contains("Join the team")
    );
    let signed_out = b.post("/signout", &[("csrf", &csrf)]).await;
    assert_eq!(signed_out.location.as_deref(), Some("/signin"));
    assert_eq!(b.get("/").await.location.as_deref(), Some("/signin"));
}

/// Signs up a new account through the form; the browser keeps its session cookie.
async fn sign_up(b: &mut Browser, email: &str) {
    let signup = b.get("/signup").await;
    let form_csrf = hidden(&signup.html, "csrf");
    let done = b
        .post(
            "/signup",
            &[
                ("csrf", &form_csrf),
                ("email", email),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/signin?m=registered"),
        "{}",
        done.html
    );
    let signin = b.get("/signin").await;
    let signed_in = b
        .post(
            "/signin",
            &[
                ("csrf", &hidden(&signin.html, "csrf")),
                ("email", email),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(
        signed_in.location.as_deref(),
        Some("/"),
        "{}",
        signed_in.html
    );
}

#[tokio::test]
async fn readiness_reviews_adaptive_check_and_bank_health() {
    use certprep_store::{AccountStore, Store};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Arc::new(
        SqliteStore::open(&dir.path().join("learning.db"))
            .await
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let library = library();
    let app = router(AppState::new(library.clone(), store.clone()));
    let mut b = Browser {
        app,
        cookies: vec![],
    };
    sign_up(&mut b, "erin@example.com").await;

    // Home: readiness of the newest exam, and what to do next with a button that starts it.
    let home = b.get("/").await;
    assert!(
        home.html.contains("readiness")
            && home.html.contains("Pass probability")
            && home.html.contains("reviews due")
            && home.html.contains("What next:")
            && home.html.contains("action=\"/next/start\""),
        "{}",
        home.html
    );
    assert!(
        home.html.contains("href=\"/bank/health\""),
        "admins see bank health"
    );
    let csrf = hidden(&home.html, "csrf");
    assert_eq!(
        b.post("/next/start", &[("exam", "ai-103")]).await.status,
        StatusCode::FORBIDDEN
    );
    // Nothing answered yet: the next activity is the adaptive readiness check.
    let started = b
        .post("/next/start", &[("csrf", &csrf), ("exam", "ai-103")])
        .await;
    let session_path = started
        .location
        .unwrap_or_else(|| panic!("no redirect: {}", started.html));
    assert!(session_path.starts_with("/s/"), "{session_path}");

    // The adaptive check through its pages: no navigation, one item after another, then results.
    let mut answered = 0;
    let mut results = None;
    for _ in 0..31 {
        let (page, at) = b.follow(&session_path).await;
        if at.ends_with("/results") {
            results = Some(at);
            break;
        }
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(
            page.html.contains(&format!(
                "Readiness check · question {} of at most 30",
                answered + 1
            )),
            "{}",
            page.html
        );
        assert!(
            !page.html.contains("name=\"go\"")
                && !page.html.contains("Review screen")
                && !page.html.contains("value=\"submit\""),
            "navigation in an adaptive check"
        );
        assert!(page.html.contains("How sure are you?"));
        let item_id = hidden(&page.html, "item");
        let item = library
            .bank
            .item(&item_id)
            .unwrap_or_else(|| panic!("no item {item_id}"));
        let mut form = vec![
            ("csrf".to_string(), csrf.clone()),
            ("item".to_string(), item_id.clone()),
            ("op".to_string(), "adaptive".to_string()),
            ("confidence".to_string(), "high".to_string()),
        ];
        form.extend(fields(
            item.kind(),
            &shown_key(&store, &session_path, item).await,
        ));
        let saved = b.request("POST", &at, Some(form)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        answered += 1;
    }
    let results_path = results.unwrap_or_else(|| panic!("the check did not decide"));
    assert_eq!(results_path, format!("{session_path}/results"));
    assert!((1..=30).contains(&answered));
    let results = b.get(&results_path).await;
    assert!(
        results.html.contains("Readiness check:")
            && results.html.contains("Decided after")
            && results.html.contains("item model"),
        "{}",
        results.html
    );

    // The confidence given with each answer is recorded.
    let (account, _) = store
        .account_by_email("erin@example.com")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no account"));
    let log = store
        .responses(&account.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(log.len(), answered);
    assert!(
        log.iter()
            .all(|r| r.confidence == Some(certprep_domain::session::Confidence::High)),
        "confidence not recorded"
    );

    // A study session shows the confidence radios too, and records a different choice.
    let study = b
        .post(
            "/practice",
            &[
                ("csrf", &csrf),
                ("exam", "ai-103"),
                ("mode", "study"),
                ("count", "2"),
            ],
        )
        .await;
    let study_path = study.location.unwrap_or_default();
    let (page, study_item_path) = b.follow(&study_path).await;
    assert!(
        page.html.contains("name=\"confidence\" value=\"low\"")
            && page.html.contains("guess")
            && page.html.contains("think so")
            && page.html.contains("sure"),
        "{}",
        page.html
    );
    let item_id = hidden(&page.html, "item");
    let item = library
        .bank
        .item(&item_id)
        .unwrap_or_else(|| panic!("no item {item_id}"));
    let mut form = vec![
        ("csrf".to_string(), csrf.clone()),
        ("item".to_string(), item_id.clone()),
        ("confidence".to_string(), "low".to_string()),
        ("op".to_string(), "check".to_string()),
    ];
    form.extend(fields(
        item.kind(),
        &shown_key(&store, &study_path, item).await,
    ));
    let checked = b.request("POST", &study_item_path, Some(form)).await;
    assert!(
        checked
            .location
            .as_deref()
            .is_some_and(|l| l.ends_with("#result")),
        "checking moves to the result: {:?}",
        checked.location
    );
    let feedback = b.get(&study_item_path).await;
    assert!(
        feedback.html.contains("id=\"result\"") && feedback.html.contains("1 of 1 point")
            || feedback.html.contains("Correct:"),
        "{}",
        feedback.html
    );
    let log = store
        .responses(&account.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        log.iter().any(|r| r.item_id == item_id
            && r.confidence == Some(certprep_domain::session::Confidence::Low)),
        "low confidence not recorded"
    );

    // A problem reported from the checked answer, resolved by an admin, read by the reporter.
    let link_start = feedback
        .html
        .find("/disputes/new?")
        .unwrap_or_else(|| panic!("no report link: {}", feedback.html));
    let link = feedback.html[link_start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let form_page = b.get(&link).await;
    assert_eq!(form_page.status, StatusCode::OK, "{}", form_page.html);
    assert!(
        form_page.html.contains("What is wrong?"),
        "{}",
        form_page.html
    );
    let back = hidden(&form_page.html, "back");
    assert_eq!(back, study_item_path, "the form comes back to the question");
    let session_of_form = hidden(&form_page.html, "session");
    let kept = b
        .post(
            "/disputes",
            &[
                ("csrf", &csrf),
                ("item", &item_id),
                ("session", &session_of_form),
                ("back", &back),
                ("note", "The documentation keys another option"),
            ],
        )
        .await;
    assert_eq!(
        kept.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        kept.html
    );
    assert!(
        kept.html.contains("Choose what is wrong.")
            && kept
                .html
                .contains("The documentation keys another option</textarea>"),
        "the note is kept: {}",
        kept.html
    );
    let filed = b
        .post(
            "/disputes",
            &[
                ("csrf", &csrf),
                ("item", &item_id),
                ("session", &session_of_form),
                ("back", &back),
                ("kind", "ambiguous"),
                ("note", "Two options fit the scenario"),
            ],
        )
        .await;
    let filed_at = filed.location.unwrap_or_else(|| panic!("{}", filed.html));
    let reports = b.get(&filed_at).await;
    assert!(
        reports
            .html
            .contains("filed. An author will answer it here.")
            && reports.html.contains("Two options fit the scenario")
            && reports.html.contains("open: not answered yet")
            && reports.html.contains("Reports to resolve"),
        "{}",
        reports.html
    );
    let report_no = store
        .disputes(&certprep_store::DisputeFilter::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .first()
        .map(|d| d.id)
        .unwrap_or_else(|| panic!("stored"));
    let resolved = b
        .post(
            &format!("/disputes/{report_no}/resolve"),
            &[
                ("csrf", &csrf),
                ("resolution", "rejected"),
                ("note", "Only one option keeps the key out of the code"),
            ],
        )
        .await;
    let after = b
        .get(resolved.location.as_deref().unwrap_or_default())
        .await;
    assert!(
        after.html.contains("resolved as rejected")
            && after.html.contains("<strong>rejected</strong>")
            && after
                .html
                .contains("Only one option keeps the key out of the code"),
        "{}",
        after.html
    );
    // A member who is not staff sees no queue and cannot resolve.
    let mut member = Browser {
        app: b.app.clone(),
        cookies: vec![],
    };
    sign_up(&mut member, "member-reports@example.com").await;
    let member_page = member.get("/disputes").await;
    let member_csrf = hidden(&member_page.html, "csrf");
    assert!(
        member_page
            .html
            .contains("You have reported no problem yet")
            && !member_page.html.contains("Reports to resolve"),
        "{}",
        member_page.html
    );
    let refused = member
        .post(
            &format!("/disputes/{report_no}/resolve"),
            &[
                ("csrf", &member_csrf),
                ("resolution", "fixed"),
                ("note", "x"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);

    // The readiness page: probability, ability against the cut, domains, trend, exam date.
    let readiness = b.get("/readiness/ai-103").await;
    assert_eq!(readiness.status, StatusCode::OK, "{}", readiness.html);
    for text in [
        "Pass probability",
        "against a cut of",
        "Per skill area",
        "<svg",
        "polyline",
        "Weakest objectives",
        "name=\"date\"",
    ] {
        assert!(readiness.html.contains(text), "{text}: {}", readiness.html);
    }
    let past = b
        .post(
            "/readiness/ai-103/date",
            &[("csrf", &csrf), ("date", "2020-01-01")],
        )
        .await;
    assert!(
        past.location
            .as_deref()
            .unwrap_or_default()
            .contains("past"),
        "{:?}",
        past.location
    );
    let future = (chrono::Utc::now().date_naive() + chrono::Duration::days(40)).to_string();
    let set = b
        .post(
            "/readiness/ai-103/date",
            &[("csrf", &csrf), ("date", &future)],
        )
        .await;
    let set_page = b.get(set.location.as_deref().unwrap_or_default()).await;
    assert!(
        set_page.html.contains("Exam date set to")
            && set_page
                .html
                .contains(&format!("on your exam date, {future}")),
        "{}",
        set_page.html
    );
    assert!(b.get("/readiness/zz-999").await.status.is_client_error());

    // The review page, the exams page's readiness check, bank health.
    let reviews = b.get("/review").await;
    assert_eq!(reviews.status, StatusCode::OK);
    assert!(reviews.html.contains("Reviews due"), "{}", reviews.html);
    let exams = b.get("/exams").await;
    assert!(
        exams.html.contains("Readiness check") && exams.html.contains("value=\"adaptive\""),
        "{}",
        exams.html
    );
    let check = b
        .post(
            "/practice",
            &[("csrf", &csrf), ("exam", "ai-103"), ("mode", "adaptive")],
        )
        .await;
    let (check_page, _) = b
        .follow(check.location.as_deref().unwrap_or_default())
        .await;
    assert!(
        check_page.html.contains("Readiness check"),
        "{}",
        check_page.html
    );
    let health = b.get("/bank/health").await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.html);
    assert!(
        health.html.contains("Bank health")
            && health.html.contains("Point-biserial")
            && health.html.contains("Reliability per form"),
        "{}",
        health.html
    );
    for html in [
        &home.html,
        &readiness.html,
        &results.html,
        &health.html,
        &reviews.html,
    ] {
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "inline script or style"
        );
    }

    // A member is refused the bank health page, and its nav does not link it.
    b.post("/signout", &[("csrf", &csrf)]).await;
    sign_up(&mut b, "finn@example.com").await;
    let home = b.get("/").await;
    assert!(!home.html.contains("href=\"/bank/health\""));
    let denied = b.get("/bank/health").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(
        denied.html.contains("instructors and admins"),
        "{}",
        denied.html
    );
}
