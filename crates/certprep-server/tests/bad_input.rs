//! The bad-input suite: every route of the API (from its OpenAPI document) and of the pages,
//! with hostile ids, queries, bodies and forms (NUL and other control characters, broken and
//! mistyped JSON, huge values, wrong methods), signed in, on both stores. Nothing may answer
//! 5xx; every error has a body in the client's form (JSON `{"error"}` for the API, a page for
//! the browser); no redirect leaves the site.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{As, Client, Response, on_both_stores};
use serde_json::{Value, json};

const IDS: [&str; 10] = [
    "%00",
    "a%00b",
    "x%0Ay",
    "%0D%0Aset-cookie:x=1",
    "%09",
    "%7F",
    "%FF%FE",
    "..%2F..%2Fetc",
    "-1",
    "99999999999999999999999",
];

const QUERY_VALUES: [&str; 6] = ["%00", "a%0Ab", "%FF", "", "-1", "zz-999"];

/// Hostile values for a string field.
fn strings() -> Vec<Value> {
    vec![
        json!("a\u{0}b"),
        json!("\u{0}"),
        json!("line\nbreak"),
        json!("tab\there"),
        json!("\u{1b}[31mred"),
        json!("=cmd|' /C calc'!A0"),
        json!("x".repeat(5000)),
        json!(""),
        json!(42),
        json!(null),
        json!(["a"]),
        json!({ "a": 1 }),
    ]
}

/// Bodies for a request whose schema has these properties: each property in turn set to each
/// hostile value, plus broken JSON and wrong shapes.
fn bodies(properties: &[String]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = vec![
        b"{not json".to_vec(),
        b"".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"\"\\u0000\"".to_vec(),
        b"{\"a\":\"\x00\"}".to_vec(),
        br#"{"exam":"ai-103","mode":"exam","count":1e999}"#.to_vec(),
        br#"{"exam":"ai-103","seed":-1}"#.to_vec(),
        br#"{"exam":"ai-103","seed":18446744073709551616}"#.to_vec(),
    ];
    for p in properties {
        for v in strings() {
            out.push(json!({ p.as_str(): v }).to_string().into_bytes());
        }
    }
    out
}

fn check(res: &Response, what: &str, five_xx: &AtomicUsize, api: bool) {
    if res.status.is_server_error() {
        five_xx.fetch_add(1, Ordering::SeqCst);
        eprintln!(
            "5xx: {what}: {} {}",
            res.status,
            &res.text.chars().take(200).collect::<String>()
        );
        return;
    }
    if res.status.is_client_error() {
        let content_type = res.header("content-type");
        if api {
            assert!(
                content_type.starts_with("application/json") && res.json()["error"].is_string(),
                "{what}: {} without a JSON error: {content_type} {}",
                res.status,
                res.text.chars().take(200).collect::<String>()
            );
        } else {
            assert!(
                content_type.starts_with("text/html")
                    || content_type.starts_with("application/json"),
                "{what}: {} without an error body: {content_type}",
                res.status
            );
        }
    }
    let location = res.header("location");
    assert!(
        location.is_empty() || certprep_server::hardening::local_path(&location).is_some(),
        "{what}: redirect to {location:?} leaves the site"
    );
}

#[tokio::test]
async fn no_input_gives_a_5xx_and_every_error_has_a_body() {
    on_both_stores(|store, name| async move {
        let c = Client::new(store, |_| {});
        let (api, browser) = c.account("badinput@example.com").await;
        let session = c
            .send(
                "POST",
                "/api/v1/sessions",
                Some(r#"{"exam":"ai-103","mode":"exam"}"#),
                &api,
            )
            .await
            .json();
        let session_id = session["session_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let team = c
            .send(
                "POST",
                "/api/v1/teams",
                Some(r#"{"name":"Bad input"}"#),
                &api,
            )
            .await
            .json();
        let team_id = team["id"].as_str().unwrap_or_default().to_string();
        let spec = c
            .send("GET", "/api/openapi.json", None, &As::default())
            .await
            .json();
        let schemas = spec["components"]["schemas"].clone();
        let requests = AtomicUsize::new(0);
        let five_xx = AtomicUsize::new(0);
        let send = |method: &str,
                    path: &str,
                    headers: Vec<(&'static str, &'static str)>,
                    body: Vec<u8>,
                    who: As| {
            let c = c.clone();
            let method = method.to_string();
            let path = path.to_string();
            async move { c.raw(&method, &path, &headers, body, &who).await }
        };
        // The API, from its own description.
        for (path, operations) in spec["paths"].as_object().cloned().unwrap_or_default() {
            let mut ids: Vec<String> = IDS.iter().map(|s| s.to_string()).collect();
            ids.push(if path.contains("teams") {
                team_id.clone()
            } else {
                session_id.clone()
            });
            let paths: Vec<String> = if path.contains('{') {
                ids.iter().map(|id| path.replace("{id}", id)).collect()
            } else {
                let mut with_queries = vec![path.clone()];
                for (param, v) in ["exam", "item", "open", "mine"]
                    .iter()
                    .flat_map(|p| QUERY_VALUES.iter().map(move |v| (p, v)))
                {
                    with_queries.push(format!("{path}?{param}={v}"));
                }
                with_queries
            };
            for (method, op) in operations.as_object().cloned().unwrap_or_default() {
                let schema = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .and_then(|r| r.rsplit('/').next())
                    .map(|n| {
                        schemas[n]["properties"]
                            .as_object()
                            .map(|o| o.keys().cloned().collect::<Vec<_>>())
                            .unwrap_or_default()
                    });
                let method = method.to_uppercase();
                for p in &paths {
                    let variants = match &schema {
                        Some(props) => bodies(props),
                        None => vec![vec![]],
                    };
                    for body in variants {
                        if path.ends_with("/auth/logout") {
                            continue;
                        }
                        let res = send(
                            &method,
                            p,
                            vec![("content-type", "application/json")],
                            body.clone(),
                            api.clone(),
                        )
                        .await;
                        requests.fetch_add(1, Ordering::SeqCst);
                        check(
                            &res,
                            &format!(
                                "{name} {method} {p} {}",
                                String::from_utf8_lossy(&body)
                                    .chars()
                                    .take(80)
                                    .collect::<String>()
                            ),
                            &five_xx,
                            true,
                        );
                    }
                }
                // Every method the path does not take is a 405 with a JSON body.
                for wrong in ["PATCH", "DELETE", "PUT"] {
                    if operations.get(wrong.to_lowercase().as_str()).is_some() {
                        continue;
                    }
                    let res = send(wrong, &paths[0], vec![], vec![], api.clone()).await;
                    requests.fetch_add(1, Ordering::SeqCst);
                    check(
                        &res,
                        &format!("{name} {wrong} {}", paths[0]),
                        &five_xx,
                        true,
                    );
                }
            }
        }
        // The pages: every route with hostile ids, queries and form fields.
        let csrf = browser.csrf.clone().unwrap_or_default();
        let page_paths = [
            "/",
            "/exams",
            "/history",
            "/review",
            "/bank/health",
            "/disputes",
            "/teams",
            "/signin",
            "/signup",
            "/readiness/{id}",
            "/s/{id}",
            "/s/{id}/i/1",
            "/s/{id}/i/{id}",
            "/s/{id}/leave",
            "/s/{id}/case/1",
            "/s/{id}/submit",
            "/s/{id}/review",
            "/s/{id}/results",
            "/s/{id}/answers/1",
            "/teams/{id}",
            "/join/{id}",
            "/disputes/new?item={id}&back={id}",
            "/disputes?item={id}&open={id}",
            "/s/{id}/nav",
            "/nowhere/{id}",
        ];
        for p in page_paths {
            let mut ids: Vec<String> = IDS.iter().map(|s| s.to_string()).collect();
            ids.push(session_id.clone());
            for id in &ids {
                let path = p.replace("{id}", id);
                let res = send("GET", &path, vec![], vec![], browser.clone()).await;
                requests.fetch_add(1, Ordering::SeqCst);
                check(&res, &format!("{name} GET {path}"), &five_xx, false);
            }
        }
        let form_paths = [
            "/signin",
            "/signup",
            "/signout",
            "/review/start",
            "/next/start",
            "/readiness/ai-103/date",
            "/disputes",
            "/disputes/1/resolve",
            "/practice",
            "/teams",
            "/teams/join",
            "/s/{s}/i/1",
            "/s/{s}/leave",
            "/s/{s}/submit",
        ];
        let hostile = [
            "a%00b",
            "%0D%0Ax",
            "%1B%5B31m",
            "/%09/evil.example",
            "//evil.example",
            "/%5Cevil.example",
            "https://evil.example",
            "%FF",
            "-1",
            "ai-103",
        ];
        for p in form_paths {
            let path = p.replace("{s}", &session_id);
            for field in [
                "back",
                "email",
                "password",
                "name",
                "code",
                "exam",
                "mode",
                "date",
                "item",
                "kind",
                "note",
                "resolution",
                "op",
                "choice",
                "count",
                "session",
            ] {
                for v in hostile {
                    let body = format!("csrf={csrf}&{field}={v}&item=pm-network-001&op=next");
                    let res = send(
                        "POST",
                        &path,
                        vec![("content-type", "application/x-www-form-urlencoded")],
                        body.into_bytes(),
                        browser.clone(),
                    )
                    .await;
                    requests.fetch_add(1, Ordering::SeqCst);
                    check(
                        &res,
                        &format!("{name} POST {path} {field}={v}"),
                        &five_xx,
                        false,
                    );
                }
            }
        }
        let total = requests.load(Ordering::SeqCst);
        let failures = five_xx.load(Ordering::SeqCst);
        eprintln!("bad-input suite on {name}: {total} requests, {failures} answered 5xx");
        assert_eq!(
            failures, 0,
            "{name}: {failures} of {total} requests answered 5xx"
        );
    })
    .await;
}
