//! Load test of `certprep serve` on loopback: N concurrent simulated candidates (default 1,000)
//! answer exam items for a bounded time; half way the server is killed with SIGKILL and
//! restarted; at the end every acknowledged answer must be in the database. In the same run the
//! same rows are written straight through the store, so server throughput is stated as a share of
//! the database's own durable-write limit.
//!
//! cargo build --release -p certprep
//! cargo bench -p certprep-server --bench load -- [--candidates N] [--seconds S] [--postgres ADMIN_URL]

use std::collections::HashSet;
use std::process::{Child, Command};
use std::sync::Arc;
use std::time::{Duration, Instant};

use certprep_bank::Source;
use certprep_bank::load::{Library, load};
use certprep_domain::grading::key;
use certprep_store::ServerStore;
use certprep_store_postgres::PgStore;
use certprep_store_sqlite::SqliteStore;
use serde_json::{Value, json};
use tokio::sync::Mutex;

struct Args {
    candidates: usize,
    seconds: u64,
    postgres: Option<String>,
}

fn args() -> Args {
    let argv: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        argv.iter()
            .position(|a| a == flag)
            .and_then(|i| argv.get(i + 1))
            .cloned()
    };
    Args {
        candidates: value("--candidates")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000),
        seconds: value("--seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
        postgres: value("--postgres"),
    }
}

fn library() -> Library {
    let files = certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect();
    load(
        &[files],
        chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        0,
    )
    .library
}

fn spawn_server(bin: &str, port: u16, data_dir: &std::path::Path, db: Option<&str>) -> Child {
    let mut cmd = Command::new(bin);
    cmd.env("CERTPREP_DATA_DIR", data_dir)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")]);
    if let Some(url) = db {
        cmd.args(["--database-url", url]);
    }
    cmd.spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"))
}

async fn wait_up(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up");
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn open_store(db: &Option<String>, data_dir: &std::path::Path) -> Arc<dyn ServerStore> {
    match db {
        Some(url) => Arc::new(
            PgStore::connect(url)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        ),
        None => Arc::new(
            SqliteStore::open(&data_dir.join("certprep.db"))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        ),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let a = args();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = std::env::var("CERTPREP_BIN")
        .unwrap_or_else(|_| root.join("target/release/certprep").display().to_string());
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = match &a.postgres {
        Some(admin) => {
            let pool = sqlx::PgPool::connect(admin)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let name = format!("certprep_load_{}", std::process::id());
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            Some(format!(
                "{}/{name}",
                admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)
            ))
        }
        None => None,
    };
    let backend = if db.is_some() { "PostgreSQL" } else { "SQLite" };
    let lib = Arc::new(library());
    // Accounts and sign-ins straight into the store: one Argon2 hash shared, no sign-up storm.
    let store = open_store(&db, data.path()).await;
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$3Ec5dGEcSHRcUVHk7J9p0ZTQnUnJ6bVw9qQ2+1b1bXo";
    let now = chrono::Utc::now();
    let mut tokens = Vec::new();
    for i in 0..a.candidates {
        let id = format!("load-{i}");
        store
            .create_account(
                &id,
                &format!("load{i}@example.com"),
                hash,
                certprep_store::Role::Member,
                now,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let token = format!("token-{i}-{}", std::process::id());
        store
            .create_web_session(
                &certprep_server::auth::token_hash(&token),
                &id,
                "csrf",
                now + chrono::Duration::days(1),
                now,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tokens.push(token);
    }
    drop(store);

    let port = 18900 + (std::process::id() % 90) as u16;
    let base = format!("http://127.0.0.1:{port}");
    let mut server = spawn_server(&bin, port, data.path(), db.as_deref());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(a.candidates)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    wait_up(&client, &base).await;

    // Each candidate starts a mock exam.
    let mut sessions = Vec::new();
    for token in &tokens {
        let v: Value = client
            .post(format!("{base}/api/v1/sessions"))
            .bearer_auth(token)
            .json(&json!({ "exam": "ai-103", "mode": "exam" }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let id = v["session_id"].as_str().unwrap_or_default().to_string();
        let items: Vec<String> = v["lines"].as_array().map_or(vec![], |l| {
            l.iter()
                .filter(|x| x["section"] == 0)
                .filter_map(|x| x["item_id"].as_str().map(String::from))
                .collect()
        });
        sessions.push((token.clone(), id, items));
    }

    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::default();
    let failures = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(a.seconds);
    let mut tasks = Vec::new();
    for (token, id, items) in sessions {
        let (client, base, lib) = (client.clone(), base.clone(), lib.clone());
        let (acked, latencies, failures) = (acked.clone(), latencies.clone(), failures.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while Instant::now() < deadline && i < items.len() {
                let item = &items[i];
                let Some(answer) = lib.bank.item(item).map(|x| key(&x.body)) else {
                    i += 1;
                    continue;
                };
                let t = Instant::now();
                let res = client
                    .post(format!("{base}/api/v1/sessions/{id}/answers"))
                    .bearer_auth(&token)
                    .json(&json!({ "item_id": item, "answer": answer }))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => {
                        latencies
                            .lock()
                            .await
                            .push(t.elapsed().as_secs_f64() * 1000.0);
                        acked.lock().await.push((id.clone(), item.clone()));
                        i += 1;
                    }
                    Ok(r) if r.status().is_client_error() => i += 1,
                    _ => {
                        // Server down (the SIGKILL): wait and try the same answer again.
                        failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        }));
    }
    // Half way: SIGKILL, then restart on the same database.
    tokio::time::sleep(Duration::from_secs(a.seconds / 2)).await;
    let acked_before_kill = acked.lock().await.len();
    let _ = server.kill();
    let _ = server.wait();
    let killed_at = start.elapsed();
    server = spawn_server(&bin, port, data.path(), db.as_deref());
    wait_up(&client, &base).await;
    let restarted_after = start.elapsed() - killed_at;
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let _ = server.kill();
    let _ = server.wait();

    // Every acknowledged answer must be stored.
    let store = open_store(&db, data.path()).await;
    let mut stored: HashSet<(String, String)> = HashSet::new();
    for i in 0..a.candidates {
        for r in store
            .responses(&format!("load-{i}"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        {
            stored.insert((r.session_id, r.item_id));
        }
    }
    let acked = acked.lock().await.clone();
    let lost = acked.iter().filter(|k| !stored.contains(*k)).count();

    // The database's own limit: the same rows (a response and its session's state), written
    // durably through the store by 32 concurrent writers, as many as the server's pool can use.
    let raw_rows = 4000usize;
    let writers = 32usize;
    let sessions_written: Vec<String> = {
        let mut ids: Vec<String> = acked.iter().map(|(s, _)| s.clone()).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().take(writers).collect()
    };
    let t = Instant::now();
    let mut jobs = Vec::new();
    for session_id in sessions_written.clone() {
        let (store, lib) = (store.clone(), lib.clone());
        let per_writer = raw_rows / sessions_written.len().max(1);
        jobs.push(tokio::spawn(async move {
            let session = store
                .load_session(&session_id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            for n in 0..per_writer {
                let item = session.items[n % session.items.len()].item_id.clone();
                let answer = lib
                    .bank
                    .item(&item)
                    .map(|x| key(&x.body))
                    .unwrap_or(certprep_domain::grading::Answer::Bool(true));
                let response = certprep_domain::session::Response {
                    session_id: session.id.clone(),
                    user: session.user.clone(),
                    item_id: item,
                    item_version: 1,
                    outline: session.outline.clone(),
                    answer,
                    points: 1,
                    max_points: 1,
                    time_spent_ms: 1000,
                    answered_at: chrono::Utc::now(),
                    confidence: None,
                };
                store
                    .record_answer(&session, &response)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            per_writer
        }));
    }
    let mut written = 0;
    for j in jobs {
        written += j.await.unwrap_or(0);
    }
    let raw_rate = written as f64 / t.elapsed().as_secs_f64();

    let mut lat = latencies.lock().await.clone();
    lat.sort_by(f64::total_cmp);
    let throughput = acked.len() as f64 / elapsed;
    println!(
        "backend: {backend}; candidates: {}; duration: {elapsed:.1} s",
        a.candidates
    );
    println!(
        "acknowledged answers: {} ({throughput:.0}/s); retried during the outage: {}",
        acked.len(),
        failures.load(std::sync::atomic::Ordering::Relaxed)
    );
    println!(
        "answer latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0)
    );
    println!(
        "raw durable writes of the same rows ({writers} writers, no HTTP): {raw_rate:.0}/s; server throughput = {:.0}% of it",
        100.0 * throughput / raw_rate
    );
    println!(
        "SIGKILL at {:.1} s after {acked_before_kill} acknowledged answers; back up {:.1} s later",
        killed_at.as_secs_f64(),
        restarted_after.as_secs_f64()
    );
    println!("acknowledged but not stored: {lost} of {}", acked.len());
    assert_eq!(lost, 0, "acknowledged answers were lost");
    if let (Some(admin), Some(url)) = (&a.postgres, &db) {
        drop(store);
        let name = url.rsplit('/').next().unwrap_or_default();
        if let Ok(pool) = sqlx::PgPool::connect(admin).await {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&pool)
            .await;
        }
    }
}
