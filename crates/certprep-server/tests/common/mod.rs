//! What the server's integration tests share: the library, an in-process client that sends
//! requests as a given caller, and both stores (SQLite always; PostgreSQL in a fresh database,
//! skipped with a printed reason outside CI when no server is reachable).
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use certprep_bank::Source;
use certprep_bank::load::{Library, load};
use certprep_server::{AppState, router};
use certprep_store::ServerStore;
use certprep_store_postgres::PgStore;
use certprep_store_sqlite::SqliteStore;
use serde_json::{Value, json};
use tower::ServiceExt;

pub fn library() -> Arc<Library> {
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

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// How a request proves who sends it.
#[derive(Clone, Default)]
pub struct As {
    pub cookie: Option<String>,
    pub bearer: Option<String>,
    pub csrf: Option<String>,
}

#[derive(Clone)]
pub struct Client {
    pub app: Router,
    pub library: Arc<Library>,
}

/// A fixed clock: nothing moves between two requests unless a test moves it.
pub fn fixed_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-27T09:00:30Z")
        .map(|t| t.to_utc())
        .unwrap_or_default()
}

impl Client {
    pub fn new(store: Arc<dyn ServerStore>, configure: impl FnOnce(&mut AppState)) -> Client {
        let library = library();
        let mut state = AppState::new(library.clone(), store);
        state.clock = Arc::new(fixed_now);
        configure(&mut state);
        Client {
            app: router(state),
            library,
        }
    }

    /// Sends a request with raw bytes as the body (`content_type` when given).
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        who: &As,
    ) -> Response {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "certprep.test");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(c) = &who.cookie {
            req = req.header(header::COOKIE, format!("certprep_session={c}"));
        }
        if let Some(t) = &who.bearer {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(t) = &who.csrf {
            req = req.header("x-csrf-token", t);
        }
        let req = req.body(Body::from(body)).unwrap_or_else(|e| panic!("{e}"));
        let res = self
            .app
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
            .await
            .unwrap_or_default();
        Response {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<&str>, who: &As) -> Response {
        match body {
            Some(b) => {
                self.raw(
                    method,
                    path,
                    &[("content-type", "application/json")],
                    b.as_bytes().to_vec(),
                    who,
                )
                .await
            }
            None => self.raw(method, path, &[], vec![], who).await,
        }
    }

    /// Signs up (whatever the answer) and signs in; returns the caller by token and by cookie.
    pub async fn account(&self, email: &str) -> (As, As) {
        let body = json!({ "email": email, "password": "a long enough password" }).to_string();
        let registered = self
            .send("POST", "/api/v1/auth/register", Some(&body), &As::default())
            .await;
        assert!(registered.status.is_success(), "{}", registered.text);
        let res = self
            .send("POST", "/api/v1/auth/login", Some(&body), &As::default())
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let v = res.json();
        let token = v["token"].as_str().map(String::from);
        let bearer = As {
            bearer: token.clone(),
            ..As::default()
        };
        let cookie = As {
            cookie: token,
            csrf: v["csrf_token"].as_str().map(String::from),
            ..As::default()
        };
        (bearer, cookie)
    }
}

/// Runs `test` on SQLite, then on a fresh PostgreSQL database (skipped outside CI when none is
/// reachable), naming the store so failures say which.
pub async fn on_both_stores<F, Fut>(test: F)
where
    F: Fn(Arc<dyn ServerStore>, &'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sqlite = SqliteStore::open(&dir.path().join("server.db"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    test(Arc::new(sqlite), "sqlite").await;
    let admin = std::env::var("CERTPREP_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let pool = match sqlx::PgPool::connect(&admin).await {
        Ok(p) => p,
        Err(e) => {
            assert!(
                std::env::var("CI").is_err(),
                "PostgreSQL must be reachable under CI: {e}"
            );
            eprintln!("skipped PostgreSQL: no server at {admin}: {e}");
            return;
        }
    };
    let name = format!(
        "certprep_t_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(b, _)| b)
        .to_string();
    let pg = PgStore::connect(&format!("{base}/{name}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    test(Arc::new(pg), "postgres").await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&pool)
    .await;
}
