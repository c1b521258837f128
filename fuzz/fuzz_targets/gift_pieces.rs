//! A GIFT file read in pieces (cut from the text, or read from a reader as `certprep import`
//! reads a file) imports exactly as it imports read whole, and the lean path (questions of the
//! common shapes written directly) writes exactly what the parser's path writes: the same bank
//! text, ids and issues.
//! The first byte sets the piece size and whether the embedded library is given (its catalog
//! and retired service names are then checked too); the items get an objective and a
//! reference, so that the lint accepts them and the bank text is written.
#![no_main]

use certprep_interchange::{ImportOptions, gift_read_four_ways};
use libfuzzer_sys::fuzz_target;

/// The embedded library, read once.
fn library() -> &'static Option<certprep_bank::Library> {
    static LIBRARY: std::sync::OnceLock<Option<certprep_bank::Library>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| serde_json::from_str(certprep_content::LIBRARY_JSON).ok())
}

fuzz_target!(|data: &[u8]| {
    let Some((&size, rest)) = data.split_first() else {
        return;
    };
    // The reader takes UTF-8 with LF ends only (anything else is read whole).
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if text.contains(['\r', '\0']) || text.starts_with('\u{feff}') {
        return;
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
    let mut opts = ImportOptions::new(today);
    if size & 0x80 != 0 {
        opts.library = library().clone();
    }
    if let Ok(outline) = "ai-103@2026-04-16".parse() {
        opts.objectives.insert(outline, vec!["rag".to_string()]);
    }
    opts.references.push(certprep_domain::item::Reference {
        title: None,
        url: "https://learn.microsoft.com/azure/search/search-what-is-azure-search#why-use-azure-ai-search".into(),
    });
    let ([whole, cut, read, parsed], _) =
        gift_read_four_ways(text, usize::from(size % 64) + 1, &opts);
    assert_eq!(cut, whole, "cut into pieces");
    assert_eq!(read, whole, "read in pieces");
    assert_eq!(parsed, whole, "every question parsed (no lean path)");
    let (_, diagnostics) = certprep_bank::parse("imported.md", &whole.0);
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "imported bank text does not parse: {diagnostics:?}"
    );
});
