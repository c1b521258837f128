//! The `.apkg` export read by Anki itself: `e2e/interchange/anki_check.py` imports the
//! package with the `anki` package from PyPI (the desktop app's Rust backend) into a new
//! collection and reports what Anki sees. Every AI-103 item must become one note of the
//! "certprep" note type with one card in the deck `certprep::AI-103`, its GUID from the item's
//! id, its front holding the stem and its back the key and explanation; Anki's database check
//! must pass, and importing the same package again must add nothing.
//!
//! The Python with `anki` installed is `$CERTPREP_ANKI_PYTHON`, or the virtual environment
//! `.ci/run` makes (`${TMPDIR:-/tmp}/certprep-anki-venv`). Outside CI the test is skipped, with
//! the reason printed, when neither exists.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn python() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CERTPREP_ANKI_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let tmp = std::env::var("TMPDIR").unwrap_or_else(|_| "/tmp".into());
    let venv = Path::new(&tmp).join("certprep-anki-venv/bin/python");
    venv.exists().then_some(venv)
}

fn ai103_items() -> Vec<Value> {
    let library: Value =
        serde_json::from_str(certprep_content::LIBRARY_JSON).unwrap_or_else(|e| panic!("{e}"));
    library["bank"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("library.json has no items"))
        .iter()
        .filter(|i| {
            i["objectives"]
                .as_object()
                .is_some_and(|o| o.keys().any(|k| k.starts_with("ai-103@")))
        })
        .cloned()
        .collect()
}

/// The first words of a stem as they appear in HTML (no Markdown marks).
fn opening(stem: &str) -> String {
    stem.split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect()
}

#[test]
fn anki_reads_the_apkg_export() {
    let Some(python) = python() else {
        assert!(
            std::env::var("CI").is_err(),
            "the Anki check must run under CI: no Python with `anki` (see .ci/run)"
        );
        eprintln!("skipped: no Python with `anki` (set CERTPREP_ANKI_PYTHON)");
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let package = dir.path().join("ai-103.apkg");
    assert_cmd::Command::cargo_bin("certprep")
        .unwrap_or_else(|e| panic!("{e}"))
        .env("CERTPREP_DATA_DIR", dir.path().join("data"))
        .args(["export", "--format", "apkg", "--exam", "ai-103", "--out"])
        .arg(&package)
        .assert()
        .success();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/interchange/anki_check.py");
    let out = Command::new(&python)
        .arg(script)
        .arg(&package)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", python.display()));
    assert!(
        out.status.success(),
        "anki_check.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let items = ai103_items();
    assert!(items.len() > 300, "{} AI-103 items", items.len());
    assert_eq!(
        seen["first_import"]["new"],
        items.len(),
        "{}",
        seen["first_import"]
    );
    assert_eq!(seen["second_import"]["new"], 0, "{}", seen["second_import"]);
    assert_eq!(seen["note_count_after_second_import"], items.len());
    assert_eq!(seen["integrity"]["ok"], true, "{}", seen["integrity"]);
    let notes = seen["notes"]
        .as_array()
        .unwrap_or_else(|| panic!("no notes"));
    for item in &items {
        let id = item["id"].as_str().unwrap_or_default();
        let guid = format!("certprep-{id}");
        let note = notes
            .iter()
            .find(|n| n["guid"] == guid.as_str())
            .unwrap_or_else(|| panic!("Anki has no note for {id}"));
        assert_eq!(note["notetype"], "certprep", "{id}");
        assert_eq!(note["cards"], 1, "{id}");
        assert_eq!(
            note["decks"],
            serde_json::json!(["certprep::AI-103"]),
            "{id}"
        );
        let front: String = note["fields"]["Front"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .collect();
        let stem = item["stem"].as_str().unwrap_or_default();
        assert!(
            front.contains(&opening(stem)),
            "{id}: the front does not start with the stem: {front:.120}"
        );
        let back = note["fields"]["Back"].as_str().unwrap_or_default();
        let explanation = item["explanation"].as_str().unwrap_or_default();
        let first_word = explanation.split_whitespace().next().unwrap_or_default();
        assert!(
            back.contains(first_word.trim_matches(|c: char| !c.is_alphanumeric())),
            "{id}: the back has no explanation"
        );
        let tags = note["tags"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no tags"));
        assert!(
            tags.iter().any(|t| t == "certprep::ai-103"),
            "{id}: {tags:?}"
        );
        let front_html = note["fields"]["Front"].as_str().unwrap_or_default();
        let front_start: String = front_html.chars().take(20).collect();
        assert!(
            note["question"]
                .as_str()
                .is_some_and(|q| q.contains(&front_start)),
            "{id}: the card does not show the front"
        );
    }
}
