//! Durable writes on the SQLite store, on this machine's disk:
//! - appending 10,000 responses (each its own synced transaction, as answers are), and the rate;
//! - the latency of one durable answer write (response row + session state), p50 and p99.
//!
//! A plain harness (not criterion) because each write is a disk sync: the interest is the
//! distribution over many single writes, not a mean over tight loops.

use std::time::Instant;

use certprep_bank::Source;
use certprep_bank::load::load;
use certprep_domain::form::assemble_exam;
use certprep_domain::grading::key;
use certprep_domain::session::{Mode, NewSession, Session};
use certprep_domain::{ExamCode, OutlineRef};
use certprep_store::Store;
use certprep_store_sqlite::SqliteStore;
use chrono::Utc;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let files = certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect();
    let lib = load(
        &[files],
        chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        0,
    )
    .library;
    let r: OutlineRef = "ai-103@2026-04-16"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let outline = lib.catalog.outline(&r).unwrap_or_else(|| panic!("outline"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let store = rt
        .block_on(SqliteStore::open(&dir.path().join("bench.db")))
        .unwrap_or_else(|e| panic!("{e}"));
    let quick = std::env::args().any(|a| a == "--quick");
    let total = if quick { 500 } else { 10_000 };

    let mut latencies = Vec::with_capacity(total);
    let started = Instant::now();
    let mut written = 0;
    let mut seed = 0;
    while written < total {
        seed += 1;
        let form =
            assemble_exam(&lib.bank, &r, outline, (60, 60), seed).unwrap_or_else(|e| panic!("{e}"));
        let mut session = Session::start(
            NewSession {
                id: format!("bench-{seed}"),
                user: "bench".into(),
                exam: ExamCode::new("ai-103"),
                outline: &r,
                mode: Mode::Custom,
                seed,
                time_limit_ms: None,
                pausable: true,
                open_book: true,
                shuffle: false,
            },
            &form,
            &lib.bank,
            Utc::now(),
        );
        rt.block_on(store.create_session(&session))
            .unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<String> = session.items.iter().map(|i| i.item_id.clone()).collect();
        for id in ids {
            if written >= total {
                break;
            }
            let Some(item) = lib.bank.item(&id) else {
                continue;
            };
            let Ok(response) = session.answer(&lib.bank, &id, key(&item.body), Utc::now()) else {
                continue;
            };
            let t = Instant::now();
            rt.block_on(store.record_answer(&session, &response))
                .unwrap_or_else(|e| panic!("{e}"));
            latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            written += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let logged = rt
        .block_on(store.responses("bench"))
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    assert_eq!(logged, total, "every write is in the log");
    println!(
        "appended {total} responses in {elapsed:.2} s: {:.0} durable answers/s (wall time, incl. grading)",
        total as f64 / elapsed
    );
    println!(
        "durable answer write latency over {total} writes: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
}
