//! Exam integrity and hardening, one test per finding, on both stores where storage matters.

mod common;

use axum::http::StatusCode;
use common::{As, Client, on_both_stores};
use serde_json::{Value, json};

/// Everything a candidate (here also the team's instructor and an admin, so the most is shown)
/// can read about their own progress, as text: JSON and CSV from the API, HTML pages.
async fn everything_shown(c: &Client, api: &As, browser: &As, team: &str) -> Vec<(String, String)> {
    let mut shown = vec![];
    for path in [
        "/api/v1/readiness?exam=ai-103".to_string(),
        "/api/v1/review".to_string(),
        "/api/v1/review?exam=ai-103".to_string(),
        "/api/v1/next?exam=ai-103".to_string(),
        "/api/v1/history".to_string(),
        format!("/api/v1/teams/{team}"),
        format!("/api/v1/teams/{team}/export.csv"),
        "/api/v1/bank/health".to_string(),
    ] {
        let res = c.send("GET", &path, None, api).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
        shown.push((path, res.text));
    }
    for path in [
        "/".to_string(),
        "/readiness/ai-103".to_string(),
        "/review".to_string(),
        "/history".to_string(),
        format!("/teams/{team}"),
        "/bank/health".to_string(),
    ] {
        let res = c.send("GET", &path, None, browser).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
        shown.push((path, res.text));
    }
    shown
}

/// A choice answer that is not the key (the key's neighbour).
fn not_the_key(item: &certprep_domain::item::Item) -> Value {
    match certprep_domain::grading::key(&item.body) {
        certprep_domain::grading::Answer::Choice(c) => json!(if c == 'A' { "B" } else { "A" }),
        other => json!(other),
    }
}

/// Finding 1: re-answering an item of an exam in progress while watching readiness, the review
/// queue, "what next", history, the team dashboard and its CSV, bank health or any page must
/// show nothing: the exam's answers count once it is submitted.
#[tokio::test]
async fn an_exam_in_progress_moves_no_figure_anyone_can_see() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |_| {});
        let (alice, alice_browser) = c.account("alice@example.com").await;
        let team = c
            .send("POST", "/api/v1/teams", Some(r#"{"name":"Solo"}"#), &alice)
            .await
            .json();
        let team = team["id"].as_str().unwrap_or_default().to_string();
        // Settled evidence first: a study session of 24 items, every other one right.
        let study = c
            .send(
                "POST",
                "/api/v1/sessions",
                Some(r#"{"exam":"ai-103","mode":"study","count":24,"seed":5,"shuffle":false}"#),
                &alice,
            )
            .await
            .json();
        let sid = study["session_id"].as_str().unwrap_or_default().to_string();
        let studied: Vec<String> = study["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|i| i.as_str().map(String::from))
            .collect();
        for (n, id) in study["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let id = id.as_str().unwrap_or_default();
            let item = c.library.bank.item(id).unwrap_or_else(|| panic!("{id}"));
            let answer = if n % 2 == 0 {
                json!(certprep_domain::grading::key(&item.body))
            } else {
                not_the_key(item)
            };
            let ack = c
                .send(
                    "POST",
                    &format!("/api/v1/sessions/{sid}/answers"),
                    Some(&json!({ "item_id": id, "answer": answer }).to_string()),
                    &alice,
                )
                .await;
            assert_eq!(ack.status, StatusCode::OK, "{name}: {}", ack.text);
        }
        // The exam, and a single-choice item of it answered right, then wrong.
        let exam = c
            .send(
                "POST",
                "/api/v1/sessions",
                Some(r#"{"exam":"ai-103","mode":"exam","seed":9,"shuffle":false}"#),
                &alice,
            )
            .await
            .json();
        let eid = exam["session_id"].as_str().unwrap_or_default().to_string();
        let target = exam["lines"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|l| l["item_id"].as_str().map(String::from))
            .find(|id| {
                !studied.contains(id)
                    && c.library.bank.item(id).is_some_and(|i| {
                        i.kind() == certprep_domain::ItemKind::Single && i.group.is_none()
                    })
            })
            .unwrap_or_else(|| panic!("a single-choice item in the exam"));
        let item = c
            .library
            .bank
            .item(&target)
            .unwrap_or_else(|| panic!("{target}"));
        let answer = |a: Value| json!({ "item_id": target, "answer": a }).to_string();
        let path = format!("/api/v1/sessions/{eid}/answers");
        let before = everything_shown(&c, &alice, &alice_browser, &team).await;
        let right = c
            .send(
                "POST",
                &path,
                Some(&answer(json!(certprep_domain::grading::key(&item.body)))),
                &alice,
            )
            .await;
        assert_eq!(right.status, StatusCode::OK, "{name}: {}", right.text);
        let with_right = everything_shown(&c, &alice, &alice_browser, &team).await;
        let wrong = c
            .send("POST", &path, Some(&answer(not_the_key(item))), &alice)
            .await;
        assert_eq!(wrong.status, StatusCode::OK, "{name}: {}", wrong.text);
        let with_wrong = everything_shown(&c, &alice, &alice_browser, &team).await;
        for (((path, a), (_, b)), (_, z)) in with_right.iter().zip(&with_wrong).zip(&before) {
            assert!(
                a == b,
                "{name}: {path} changed with the correctness of a sealed answer"
            );
            // The home page lists the unfinished exam with its answered count; nothing else moves.
            if path != "/" && path != "/history" && path != "/api/v1/history" {
                assert!(
                    a == z,
                    "{name}: {path} changed when a sealed answer was given"
                );
            }
        }
        // Once submitted, the exam counts: the same readiness is no longer the same.
        let submitted = c
            .send(
                "POST",
                &format!("/api/v1/sessions/{eid}/submit"),
                None,
                &alice,
            )
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::OK,
            "{name}: {}",
            submitted.text
        );
        let after = c
            .send("GET", "/api/v1/readiness?exam=ai-103", None, &alice)
            .await;
        assert!(
            after.json()["items_answered"] == 25,
            "{name}: the submitted exam's answers count in readiness ({} answered)",
            after.json()["items_answered"]
        );
    })
    .await;
}

/// Finding 2: through the API, after item 1 of a series, item 3 is refused (409, naming the
/// next one); item 2 is taken; item 1 cannot be reached again.
#[tokio::test]
async fn the_api_takes_a_series_in_order() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = certprep_store_sqlite::SqliteStore::open(&dir.path().join("s.db"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let c = Client::new(std::sync::Arc::new(store), |_| {});
    let (who, _) = c.account("series@example.com").await;
    let mut found = None;
    for seed in 1..200 {
        let body = json!({ "exam": "ai-103", "mode": "exam", "seed": seed }).to_string();
        let view = c
            .send("POST", "/api/v1/sessions", Some(&body), &who)
            .await
            .json();
        let series: Vec<String> = view["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|i| i.as_str().map(String::from))
            .filter(|i| {
                c.library.bank.item(i).is_some_and(|it| {
                    matches!(it.group, Some(certprep_domain::item::Membership::Series(_)))
                })
            })
            .collect();
        if series.len() >= 3 {
            found = Some((
                view["session_id"].as_str().unwrap_or_default().to_string(),
                series,
            ));
            break;
        }
    }
    let (id, series) = found.unwrap_or_else(|| panic!("no exam with a series of three"));
    let answer = |item: &str| json!({ "item_id": item, "answer": true }).to_string();
    let path = format!("/api/v1/sessions/{id}/answers");
    let first = c.send("POST", &path, Some(&answer(&series[0])), &who).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let third = c.send("POST", &path, Some(&answer(&series[2])), &who).await;
    assert_eq!(third.status, StatusCode::CONFLICT, "{}", third.text);
    assert!(
        third.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains(&format!("`{}` is next", series[1]))),
        "{}",
        third.text
    );
    let second = c.send("POST", &path, Some(&answer(&series[1])), &who).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    let back = c
        .send(
            "POST",
            &format!("/api/v1/sessions/{id}/goto"),
            Some(&json!({ "item_id": series[0] }).to_string()),
            &who,
        )
        .await;
    assert_eq!(back.status, StatusCode::CONFLICT, "{}", back.text);
}

/// Finding 3 (redirects): a `back` field that a browser would read as another site, or that
/// holds a control character, sends the browser to a page of this site instead, never to a
/// `Location` outside it and never to a 5xx.
#[tokio::test]
async fn back_fields_never_leave_the_site() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = certprep_store_sqlite::SqliteStore::open(&dir.path().join("b.db"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let c = Client::new(std::sync::Arc::new(store), |_| {});
    let (_, browser) = c.account("back@example.com").await;
    let csrf = browser.csrf.clone().unwrap_or_default();
    for back in [
        "/%09/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example",
        "/%0D%0ASet-Cookie:%20x=1",
        "/ok%00",
    ] {
        let body = format!("csrf={csrf}&exam=ai-103&date=2020-01-01&back={back}");
        let res = c
            .raw(
                "POST",
                "/readiness/ai-103/date",
                &[("content-type", "application/x-www-form-urlencoded")],
                body.into_bytes(),
                &browser,
            )
            .await;
        assert!(!res.status.is_server_error(), "{back}: {}", res.status);
        let location = res.header("location");
        assert!(
            location.is_empty() || certprep_server::hardening::local_path(&location).is_some(),
            "{back}: Location {location:?}"
        );
        assert!(!location.contains("evil"), "{back}: Location {location:?}");
    }
    // Control characters in a path are a 400 with a body, for the API and for pages alike.
    for (path, json) in [
        ("/api/v1/sessions/%00", true),
        ("/api/v1/teams/a%00b", true),
        ("/s/%00", false),
        ("/s/%0Ax/nav", false),
    ] {
        let res = c.send("GET", path, None, &browser).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}");
        let content_type = res.header("content-type");
        if json {
            assert!(res.json()["error"].is_string(), "{path}: {}", res.text);
        } else {
            assert!(
                content_type.starts_with("text/html"),
                "{path}: {content_type}"
            );
        }
    }
}

/// Finding 4: a member whose email begins with a formula character cannot put a formula into
/// the instructor's CSV.
#[tokio::test]
async fn team_csv_cells_cannot_run_as_formulas() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |_| {});
        let (teacher, _) = c.account("teacher@example.com").await;
        let team = c
            .send(
                "POST",
                "/api/v1/teams",
                Some(r#"{"name":"Formulas"}"#),
                &teacher,
            )
            .await
            .json();
        let code = team["invite_code"].as_str().unwrap_or_default().to_string();
        let id = team["id"].as_str().unwrap_or_default().to_string();
        for email in ["=cmd@example.com", "+sum@example.com", "-calc@example.com"] {
            let (member, _) = c.account(email).await;
            let joined = c
                .send(
                    "POST",
                    "/api/v1/teams/join",
                    Some(&json!({ "code": code }).to_string()),
                    &member,
                )
                .await;
            assert_eq!(joined.status, StatusCode::OK, "{name}: {}", joined.text);
        }
        let csv = c
            .send(
                "GET",
                &format!("/api/v1/teams/{id}/export.csv"),
                None,
                &teacher,
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{name}");
        let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
        let emails: Vec<String> = reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| r.get(0).map(String::from))
            .collect();
        assert_eq!(emails.len(), 4, "{name}: {}", csv.text);
        for e in &emails {
            assert!(
                !e.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{name}: the cell {e:?} would run as a formula"
            );
        }
        assert!(
            emails.iter().any(|e| e == "'=cmd@example.com"),
            "{name}: {emails:?}"
        );
    })
    .await;
}

/// Finding 5: wrong guesses slow an account down but never lock its owner out; an address is
/// refused only for failures (a class signs in freely); a sign-up answers the same whether the
/// email is free; behind a proxy the client is the right-most untrusted address.
#[tokio::test]
async fn sign_in_limits_slow_attackers_without_locking_out_owners() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |s| {
            s.login_failures_per_address = 5;
            s.login_failures_before_delay = 3;
            s.trust_forwarded_for = true;
            s.trusted_proxies = 1;
        });
        let login = |email: &str, password: &str, from: &str| {
            let c = c.clone();
            let body = json!({ "email": email, "password": password }).to_string();
            let from = from.to_string();
            async move {
                c.raw(
                    "POST",
                    "/api/v1/auth/login",
                    &[
                        ("content-type", "application/json"),
                        ("x-forwarded-for", &from),
                    ],
                    body.into_bytes(),
                    &As::default(),
                )
                .await
            }
        };
        // A class behind one address: twelve people sign in within the minute.
        for n in 0..12 {
            let email = format!("student{n}@example.com");
            let body = json!({ "email": email, "password": "a long enough password" }).to_string();
            c.send("POST", "/api/v1/auth/register", Some(&body), &As::default())
                .await;
            let res = login(&email, "a long enough password", "10.0.0.1").await;
            assert_eq!(
                res.status,
                StatusCode::OK,
                "{name}: student {n}: {}",
                res.text
            );
        }
        // Four wrong guesses at student0 from four addresses (the per-address limit is not
        // reached): the owner still signs in, after a short wait.
        for n in 0..4 {
            let res = login(
                "student0@example.com",
                "wrong guess number",
                &format!("10.0.1.{n}"),
            )
            .await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{name}: guess {n}");
        }
        let owner = login("student0@example.com", "a long enough password", "10.0.0.1").await;
        assert_eq!(
            owner.status,
            StatusCode::OK,
            "{name}: the owner is not locked out"
        );
        // Failures from one address: the sixth attempt from it is refused, even a right one.
        // (each guess at another account, so no account's own delay comes into it)
        for n in 0..5 {
            login(
                &format!("nobody{n}@example.com"),
                "wrong guess number",
                "10.0.2.1",
            )
            .await;
        }
        let refused = login("student1@example.com", "a long enough password", "10.0.2.1").await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{name}");
        // The client cannot escape by writing addresses of its own into X-Forwarded-For: the
        // proxy appends the real one, and that is the one counted.
        for n in 0..5 {
            let spoofed = format!("203.0.113.{n}, 10.0.3.1");
            login(
                &format!("other{n}@example.com"),
                "wrong guess number",
                &spoofed,
            )
            .await;
        }
        let spoofed = login(
            "student2@example.com",
            "a long enough password",
            "198.51.100.9, 10.0.3.1",
        )
        .await;
        assert_eq!(
            spoofed.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{name}: spoofed entries count for the real address"
        );
        // Sign-up: the same status and body for a new email and a taken one.
        let body = |email: &str| {
            json!({ "email": email, "password": "a long enough password" }).to_string()
        };
        let fresh = c
            .send(
                "POST",
                "/api/v1/auth/register",
                Some(&body("fresh@example.com")),
                &As::default(),
            )
            .await;
        let taken = c
            .send(
                "POST",
                "/api/v1/auth/register",
                Some(&body("student3@example.com")),
                &As::default(),
            )
            .await;
        assert_eq!(
            (fresh.status, fresh.text.clone()),
            (taken.status, taken.text.clone()),
            "{name}"
        );
        assert!(fresh.header("set-cookie").is_empty() && taken.header("set-cookie").is_empty());
    })
    .await;
}

#[test]
fn waiting_grows_after_the_threshold_and_stays_bounded() {
    use certprep_server::api::delay_after;
    use std::time::Duration;
    assert_eq!(delay_after(3, 5), Duration::ZERO);
    assert_eq!(delay_after(5, 5), Duration::ZERO);
    assert_eq!(delay_after(6, 5), Duration::from_secs(1));
    assert_eq!(delay_after(7, 5), Duration::from_secs(2));
    assert_eq!(delay_after(9, 5), Duration::from_secs(8));
    assert_eq!(delay_after(50, 5), Duration::from_secs(16));
}

#[test]
fn an_unknown_email_costs_the_same_argon2_work_as_a_wrong_password() {
    let real = certprep_server::auth::hash_password("a long enough password").unwrap_or_default();
    let dummy = certprep_server::auth::unknown_account_hash();
    // The same algorithm, version and cost parameters: only the salt and hash differ.
    let params = |h: &str| h.split('$').take(4).collect::<Vec<_>>().join("$");
    assert!(dummy.starts_with("$argon2id$"), "{dummy}");
    assert_eq!(params(dummy), params(&real));
    assert!(!certprep_server::auth::verify_password(
        "a long enough password",
        dummy
    ));
}

/// Finding 6: common passwords and the email as password are refused with the reason; signed-in
/// pages and personal API answers are never cached; the Origin's scheme counts; `bearer` works
/// in any case.
#[tokio::test]
async fn passwords_caching_origin_and_bearer() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = certprep_store_sqlite::SqliteStore::open(&dir.path().join("p.db"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let c = Client::new(std::sync::Arc::new(store), |_| {});
    for (password, why) in [
        ("password123456", "commonly used password"),
        ("qwertyuiopasdf", "choose another password"),
        ("weak@example.com", "may not be your email"),
    ] {
        let res = c
            .send(
                "POST",
                "/api/v1/auth/register",
                Some(&json!({ "email": "weak@example.com", "password": password }).to_string()),
                &As::default(),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{password}: {}",
            res.text
        );
        assert!(
            res.json()["error"]
                .as_str()
                .is_some_and(|e| e.to_lowercase().contains(why)),
            "{password}: {}",
            res.text
        );
    }
    let (api, browser) = c.account("cache@example.com").await;
    let login = c
        .send(
            "POST",
            "/api/v1/auth/login",
            Some(r#"{"email":"cache@example.com","password":"a long enough password"}"#),
            &As::default(),
        )
        .await;
    for res in [
        login,
        c.send("GET", "/api/v1/me", None, &api).await,
        c.send("GET", "/api/v1/history", None, &api).await,
        c.send("GET", "/", None, &browser).await,
        c.send("GET", "/history", None, &browser).await,
    ] {
        assert_eq!(
            res.header("cache-control"),
            "no-store",
            "{}",
            res.text.chars().take(80).collect::<String>()
        );
    }
    // Static files may be cached.
    assert_ne!(
        c.send("GET", "/static/app.css", None, &As::default())
            .await
            .header("cache-control"),
        "no-store"
    );
    // The Origin must match the scheme as well as the host.
    let token = browser.cookie.clone();
    let start = r#"{"exam":"ai-103","mode":"study","count":1}"#;
    let with_origin = |origin: &'static str| {
        let c = c.clone();
        let token = token.clone();
        async move {
            c.raw(
                "POST",
                "/api/v1/sessions",
                &[("content-type", "application/json"), ("origin", origin)],
                start.as_bytes().to_vec(),
                &As {
                    cookie: token,
                    ..As::default()
                },
            )
            .await
        }
    };
    assert_eq!(
        with_origin("http://certprep.test").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        with_origin("https://certprep.test").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        with_origin("http://evil.test").await.status,
        StatusCode::FORBIDDEN
    );
    // The Bearer scheme in any case.
    let bearer = api.bearer.clone().unwrap_or_default();
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let res = c
            .raw(
                "GET",
                "/api/v1/me",
                &[("authorization", &format!("{scheme} {bearer}"))],
                vec![],
                &As::default(),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{scheme}");
    }
}

/// Finding 7: a member of a team smaller than five sees no team figures (they would give away
/// the others' results); from five members on they do; the instructor always does.
#[tokio::test]
async fn small_teams_keep_their_members_results_to_themselves() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |_| {});
        let (teacher, _) = c.account("coach@example.com").await;
        let team = c
            .send(
                "POST",
                "/api/v1/teams",
                Some(r#"{"name":"Pair"}"#),
                &teacher,
            )
            .await
            .json();
        let code = team["invite_code"].as_str().unwrap_or_default().to_string();
        let id = team["id"].as_str().unwrap_or_default().to_string();
        let join = |who: As| {
            let c = c.clone();
            let code = code.clone();
            async move {
                c.send(
                    "POST",
                    "/api/v1/teams/join",
                    Some(&json!({ "code": code }).to_string()),
                    &who,
                )
                .await
            }
        };
        let (first, first_browser) = c.account("m1@example.com").await;
        join(first.clone()).await;
        let board = c
            .send("GET", &format!("/api/v1/teams/{id}"), None, &first)
            .await
            .json();
        assert!(board["projected_passes"].is_null(), "{name}: {board}");
        assert!(board["expected_passes"].is_null(), "{name}");
        assert!(board["aggregates_withheld"].is_string(), "{name}");
        assert!(
            board["domain_averages"].as_array().is_some_and(|d| d
                .iter()
                .all(|x| x["percent"].is_null() && x["answered"] == 0)),
            "{name}: {board}"
        );
        let page = c
            .send("GET", &format!("/teams/{id}"), None, &first_browser)
            .await;
        assert!(
            page.text
                .contains("Team figures are shown to members once the team has 5"),
            "{name}"
        );
        assert!(!page.text.contains("Team average per skill area"), "{name}");
        let coach = c
            .send("GET", &format!("/api/v1/teams/{id}"), None, &teacher)
            .await
            .json();
        assert!(
            coach["projected_passes"].is_number(),
            "{name}: the instructor sees everything"
        );
        for n in 2..=4 {
            let (m, _) = c.account(&format!("m{n}@example.com")).await;
            join(m).await;
        }
        let board = c
            .send("GET", &format!("/api/v1/teams/{id}"), None, &first)
            .await
            .json();
        assert_eq!(board["member_count"], 5, "{name}");
        assert!(
            board["projected_passes"].is_number(),
            "{name}: five members see the figures"
        );
        assert!(board["aggregates_withheld"].is_null(), "{name}");
    })
    .await;
}
