//! The QTI importer never panics: the bytes are read as one QTI file and, split into files
//! at NUL bytes (`path\0bytes\0path\0bytes…`), as an unpacked package; a zip given as bytes goes
//! through the zip reader. What it imports is bank text the bank parser reads back.
#![no_main]

use certprep_interchange::{Format, ImportOptions, import, import_package};
use libfuzzer_sys::fuzz_target;

fn parses(markdown: &str) {
    let (_, diagnostics) = certprep_bank::parse("imported.md", markdown);
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "imported bank text does not parse: {diagnostics:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
    let opts = ImportOptions::new(today);
    if let Ok(imported) = import("fuzz.xml", data, Some(Format::Qti), &opts) {
        parses(&imported.markdown);
    }
    let parts: Vec<&[u8]> = data.split(|b| *b == 0).collect();
    if parts.len() >= 2 {
        let files: Vec<(String, Vec<u8>)> = parts
            .chunks(2)
            .filter_map(|c| match c {
                [path, bytes] => Some((String::from_utf8_lossy(path).into_owned(), bytes.to_vec())),
                _ => None,
            })
            .collect();
        if let Ok(imported) = import_package("fuzz", files, &opts) {
            parses(&imported.markdown);
        }
    }
});
