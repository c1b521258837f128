//! The content shipped in the binary: `content/exams/*.toml` (the catalog),
//! `content/services.toml` (retired and renamed service names) and `content/bank/**/*.md`
//! (the question bank). This crate only embeds text; `certprep-bank` reads it.

include!(concat!(env!("OUT_DIR"), "/content.rs"));

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
