//! Embeds every file under the repository's `content/` folder, so the binary runs with no
//! files beside it, and checks it: the catalog, the bank and the forms are loaded and linted
//! here, and any error fails the build with its `file:line:col`. The checked library is also
//! embedded in a form that is cheap to read (JSON of the domain types), so start-up does not
//! parse and lint the whole bank again on every run. Cargo re-runs this script when anything
//! in that folder changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use certprep_bank::{Source, load};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    // `CERTPREP_CONTENT_DIR` embeds another content folder (the start-up benchmark builds a
    // binary with a bank of 1,000 items this way).
    println!("cargo:rerun-if-env-changed=CERTPREP_CONTENT_DIR");
    let content = std::env::var_os("CERTPREP_CONTENT_DIR")
        .map_or_else(|| manifest.join("../../content"), PathBuf::from);
    println!("cargo:rerun-if-changed={}", content.display());
    let mut files = Vec::new();
    collect(&content, &content, &mut files);
    files.sort();
    let mut out = String::from(
        "/// (path relative to the repository, file text)\npub static FILES: &[(&str, &str)] = &[\n",
    );
    let mut sources = Vec::new();
    for (relative, absolute) in &files {
        let path = format!("content/{relative}");
        let _ = writeln!(out, "    ({path:?}, include_str!({absolute:?})),");
        match std::fs::read_to_string(absolute) {
            Ok(text) => sources.push(Source::new(path, text)),
            Err(e) => panic!("{path}: cannot read as UTF-8 text: {e}"),
        }
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    write(&out_dir.join("content.rs"), &out);

    let today = chrono::Utc::now().date_naive();
    let loaded = load(&[sources], today, 0);
    // Warnings (an old review date, say) do not fail the build; `certprep bank lint` and
    // `certprep bank qa` report them.
    let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
    if !errors.is_empty() {
        panic!(
            "the embedded content has {} error(s); `certprep bank lint` explains each:\n{}",
            errors.len(),
            errors.join("\n")
        );
    }
    // The advisor's facts, rules and objective maps are checked here too (every objective of a
    // retired outline mapped once, to objectives that exist), so bad advisor data fails the build.
    let advisor = loaded
        .library
        .advisor
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_str()));
    // Another content folder (CERTPREP_CONTENT_DIR) may have no advisor: the advisor's
    // commands then say so at run time.
    if !loaded.library.advisor.is_empty()
        && let Err(e) = certprep_advisor::AdvisorContent::load(advisor, &loaded.library.catalog)
    {
        panic!("the embedded advisor content is invalid: {e}");
    }
    match serde_json::to_string(&loaded.library) {
        Ok(json) => write(&out_dir.join("library.json"), &json),
        Err(e) => panic!("cannot serialise the embedded library: {e}"),
    }
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "toml")
        ) {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let absolute = path
                .canonicalize()
                .unwrap_or(path.clone())
                .to_string_lossy()
                .into_owned();
            files.push((relative, absolute));
        }
    }
}
