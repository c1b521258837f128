//! Helpers shared by the interchange tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use certprep_bank::Source;
use certprep_bank::load::{Loaded, SourceKind, kind_of, load};
use certprep_domain::item::Reference;
use certprep_interchange::ImportOptions;
use chrono::NaiveDate;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()
}

/// The shared third-party corpus, used in place; `None` (with a note) when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} is absent: corpus tests skipped", dir.display());
        None
    }
}

/// Options that give imported items an outline and a reference from the embedded catalog,
/// as the CLI does with its flags.
pub fn options() -> ImportOptions {
    let mut o = ImportOptions::new(today());
    o.objectives.insert(
        "ai-102@2025-12-23".parse().expect("outline"),
        vec!["select-generative".into()],
    );
    o.references.push(Reference {
        title: Some("Imported question".into()),
        url: "https://learn.microsoft.com/azure/ai-services/what-are-ai-services#available-azure-ai-services".into(),
    });
    o.library = Some(embedded_library());
    o
}

/// The checked library embedded in the binary (catalog, bank, service names).
pub fn embedded_library() -> certprep_bank::Library {
    serde_json::from_str(certprep_content::LIBRARY_JSON).expect("embedded library")
}

pub fn embedded_catalog() -> Vec<Source> {
    certprep_content::files()
        .filter(|f| !matches!(kind_of(f.path), SourceKind::Bank | SourceKind::Forms))
        .map(|f| Source::new(f.path, f.text))
        .collect()
}

/// Loads bank text on top of the embedded catalog, as `certprep bank lint` does.
pub fn lint(name: &str, text: &str) -> Loaded {
    load(
        &[embedded_catalog(), vec![Source::new(name, text)]],
        today(),
        1,
    )
}

/// Every file under a folder, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
