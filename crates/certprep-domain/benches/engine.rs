//! Engine benchmarks: assembling an exam form from a 10,000-item bank, and grading a 60-item
//! session (answers graded and the full score report built).

use std::hint::black_box;

use certprep_bank::Source;
use certprep_bank::load::{Library, load};
use certprep_domain::form::assemble_exam;
use certprep_domain::grading::key;
use certprep_domain::item::{Bank, Membership};
use certprep_domain::report::report;
use certprep_domain::session::{Mode, NewSession, Session};
use certprep_domain::{ExamCode, OutlineRef};
use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

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

/// The embedded bank copied until it holds `n` items (ids made unique; groups stay whole).
fn big_bank(base: &Bank, n: usize) -> Bank {
    let mut bank = Bank::default();
    let mut copy = 0;
    while bank.items.len() < n {
        for item in &base.items {
            let mut item = item.clone();
            item.id = format!("{}-{copy}", item.id);
            item.group = item.group.map(|g| match g {
                Membership::CaseStudy(id) => Membership::CaseStudy(format!("{id}-{copy}")),
                Membership::Series(id) => Membership::Series(format!("{id}-{copy}")),
            });
            bank.items.push(item);
        }
        for c in &base.case_studies {
            let mut c = c.clone();
            c.id = format!("{}-{copy}", c.id);
            c.items = c.items.iter().map(|i| format!("{i}-{copy}")).collect();
            bank.case_studies.push(c);
        }
        for s in &base.series {
            let mut s = s.clone();
            s.id = format!("{}-{copy}", s.id);
            s.items = s.items.iter().map(|i| format!("{i}-{copy}")).collect();
            bank.series.push(s);
        }
        copy += 1;
    }
    bank
}

fn benches(c: &mut Criterion) {
    let lib = library();
    let r: OutlineRef = "ai-103@2026-04-16"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let outline = lib.catalog.outline(&r).unwrap_or_else(|| panic!("outline"));
    let bank = big_bank(&lib.bank, 10_000);
    let mut seed = 0u64;
    c.bench_function("assemble exam form from 10,000 items", |b| {
        b.iter(|| {
            seed += 1;
            black_box(
                assemble_exam(&bank, &r, outline, (40, 60), seed).unwrap_or_else(|e| panic!("{e}")),
            )
        })
    });

    let t0 = Utc
        .with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let form = assemble_exam(&lib.bank, &r, outline, (60, 60), 1).unwrap_or_else(|e| panic!("{e}"));
    let mut session = Session::start(
        NewSession {
            id: "bench".into(),
            user: "local".into(),
            exam: ExamCode::new("ai-103"),
            outline: &r,
            mode: Mode::Exam,
            seed: 1,
            time_limit_ms: Some(6_000_000),
            pausable: false,
            open_book: true,
            shuffle: false,
        },
        &form,
        &lib.bank,
        t0,
    );
    let answers: Vec<(String, certprep_domain::grading::Answer)> = session
        .items
        .iter()
        .filter_map(|i| {
            lib.bank
                .item(&i.item_id)
                .map(|item| (i.item_id.clone(), key(&item.body)))
        })
        .collect();
    for (id, answer) in &answers {
        let _ = session.answer(&lib.bank, id, answer.clone(), t0);
    }
    c.bench_function("grade a 60-item session (every answer, full report)", |b| {
        b.iter(|| {
            let mut points = 0;
            for (id, answer) in &answers {
                if let Some(item) = lib.bank.item(id) {
                    points += certprep_domain::grade(&item.body, answer).points;
                }
            }
            black_box(points);
            black_box(report(&session, &lib.bank, &r, outline, 700, 0.7, t0))
        })
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
