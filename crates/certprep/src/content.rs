//! Gathering content: the embedded files, and the files under the folders the user names.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use certprep_bank::Source;
use certprep_bank::load::{Library, Loaded, SourceKind, kind_of, load_onto};
use chrono::NaiveDate;

/// The content compiled into the binary.
pub fn embedded() -> Vec<Source> {
    certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect()
}

/// The embedded content as checked when the binary was built: reading it costs a fraction of
/// parsing and linting the bank, so start-up stays flat as the bank grows.
pub fn embedded_library() -> Result<Library> {
    serde_json::from_str(certprep_content::LIBRARY_JSON)
        .context("the embedded library does not match this build (rebuild certprep)")
}

/// Reads content files from files and folders (recursively, in a stable order).
pub fn read_paths(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect(path, &mut files)?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    files
        .into_iter()
        .filter(|p| kind_of(&p.to_string_lossy()) != SourceKind::Other)
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("{}: cannot read as UTF-8 text", p.display()))?;
            Ok(Source::new(p.display().to_string(), text))
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot list folder", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Loads the embedded content and the user's banks, reporting problems of the user's banks on
/// stderr (their broken items are left out; `certprep bank lint` shows the details). Only the
/// user's files are parsed and checked here; the embedded content was checked at build time.
pub fn load_all(banks: &[PathBuf], today: NaiveDate) -> Result<Loaded> {
    load_layers(embedded_library()?, banks, today)
}

/// The items of the `--bank` folders alone, on the embedded exams and service names (for
/// exporting a folder's bank).
pub fn load_banks_only(banks: &[PathBuf], today: NaiveDate) -> Result<Loaded> {
    let embedded = embedded_library()?;
    let base = Library {
        catalog: embedded.catalog,
        names: embedded.names,
        ..Default::default()
    };
    load_layers(base, banks, today)
}

fn load_layers(base: Library, banks: &[PathBuf], today: NaiveDate) -> Result<Loaded> {
    let mut layers = Vec::new();
    for dir in banks {
        layers.push(read_paths(std::slice::from_ref(dir))?);
    }
    let loaded = load_onto(base, &layers, today, 0);
    let errors = loaded.errors().count();
    if errors > 0 {
        for d in loaded.errors().take(10) {
            eprintln!("{d}");
        }
        eprintln!(
            "warning: {errors} problem(s) in your banks; items with problems are left out \
             (run `certprep bank lint DIR` for the full list)"
        );
    }
    Ok(loaded)
}
