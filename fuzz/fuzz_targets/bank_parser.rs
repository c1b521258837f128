//! The bank parser and lint never panic, whatever the input; and an input they accept without
//! complaint renders back to text that parses to the same tree.
#![no_main]

use certprep_bank::{Source, load, parse, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (tree, diagnostics) = parse("fuzz.md", text);
    if diagnostics.is_empty() {
        let (again, _) = parse("fuzz.md", &render(&tree));
        assert_eq!(again, tree, "render/parse changed the tree");
    }
    // The whole pipeline: lowering and the cross-file checks.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
    let _ = load(&[vec![Source::new("fuzz.md", text)]], today, 0);
});
