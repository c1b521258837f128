//! The CSV (Moodle layouts, quiz sheets, certprep CSV) importer never panics, whatever the bytes (any encoding, any structure), and
//! what it imports is bank text the bank parser reads back.
#![no_main]

use certprep_interchange::{Format, ImportOptions, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
    let opts = ImportOptions::new(today);
    if let Ok(imported) = import("fuzz.csv", data, Some(Format::Csv), &opts) {
        let (_, diagnostics) = certprep_bank::parse("imported.md", &imported.markdown);
        assert!(
            diagnostics.iter().all(|d| !d.is_error()),
            "imported bank text does not parse: {diagnostics:?}"
        );
    }
});
