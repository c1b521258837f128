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
