//! The content shipped in the binary: `content/exams/*.toml` (the catalog),
//! `content/services.toml` (retired and renamed service names) and `content/bank/**/*.md`
//! (the question bank), `content/forms/*.toml` (fixed practice forms) and `content/qa.toml`.
//! Its build script loads and lints them with `certprep-bank` (an error fails the build) and
//! embeds the checked library as JSON beside the text.

include!(concat!(env!("OUT_DIR"), "/content.rs"));

/// The checked library (`certprep_bank::Library`) as JSON: deserialising it is much cheaper
/// than parsing and linting the bank, so start-up stays flat as the bank grows.
pub static LIBRARY_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/library.json"));

/// An embedded file: its path relative to the repository, and its text.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    pub path: &'static str,
    pub text: &'static str,
}

/// Every embedded file, sorted by path.
pub fn files() -> impl Iterator<Item = EmbeddedFile> {
    FILES.iter().map(|(path, text)| EmbeddedFile { path, text })
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalog_and_bank_are_embedded() {
        let paths: Vec<_> = super::files().map(|f| f.path).collect();
        assert!(paths.contains(&"content/exams/ai-102.toml"), "{paths:?}");
        assert!(paths.contains(&"content/exams/ai-103.toml"), "{paths:?}");
        assert!(paths.contains(&"content/services.toml"), "{paths:?}");
    }
}
