//! What start-up pays for the bank: parsing and linting the embedded files (what every run did
//! before the library was checked at build time) against reading the checked library from its
//! embedded JSON, for the real bank and for one grown to about seven times its size (the real
//! items copied under new ids).

use certprep_bank::{Library, Source, load};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn sources(copies: usize) -> Vec<Source> {
    let mut out: Vec<Source> = certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect();
    for k in 1..copies {
        for f in certprep_content::files().filter(|f| f.path.contains("/bank/")) {
            let text = f
                .text
                .lines()
                .map(|l| {
                    for head in ["## Item: ", "# Case study: ", "# Series: "] {
                        if let Some(id) = l.strip_prefix(head) {
                            return format!("{head}{id}-x{k}");
                        }
                    }
                    l.to_string()
                })
                .collect::<Vec<_>>()
                .join("\n");
            out.push(Source::new(format!("copy{k}/{}", f.path), text));
        }
    }
    out
}

fn startup(c: &mut Criterion) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let mut group = c.benchmark_group("library");
    group.sample_size(20);
    for copies in [1, 7] {
        let files = sources(copies);
        let loaded = load(std::slice::from_ref(&files), today, 0);
        let items = loaded.library.bank.items.len();
        let json = serde_json::to_string(&loaded.library).unwrap_or_default();
        group.bench_with_input(BenchmarkId::new("parse and lint", items), &files, |b, f| {
            b.iter(|| load(std::slice::from_ref(f), today, 0))
        });
        group.bench_with_input(
            BenchmarkId::new("read checked JSON", items),
            &json,
            |b, j| b.iter(|| serde_json::from_str::<Library>(j).map(|l| l.bank.items.len())),
        );
    }
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
