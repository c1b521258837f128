//! Service names that stopped being current: Microsoft renames services often, and an item
//! must use the names of the outline it serves.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::exam::Provenance;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredName {
    pub name: String,
    pub replaced_by: String,
    /// The name is not current for outlines dated on or after this day.
    pub since: NaiveDate,
    /// Current phrases that contain the name and are allowed (such as the role
    /// "Cognitive Services OpenAI User", which kept its name).
    pub allowed_in: Vec<String>,
    pub provenance: Provenance,
}

/// A place in a text where a name that is no longer current appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHit<'a> {
    /// Byte offset of the name in the text.
    pub offset: usize,
    pub name: &'a RetiredName,
}

/// The retired names with an index that finds, in one pass over a text, whether any of them
/// may occur: most texts mention none, and searching each name in turn dominated loading a
/// large bank. [`NameIndex::outdated`] gives the same hits as [`outdated_names`].
pub struct NameIndex<'a> {
    names: &'a [RetiredName],
    /// Every name, ASCII case ignored: a superset of what `outdated_names` matches.
    any: Option<aho_corasick::AhoCorasick>,
    /// The same names in ASCII lower case (see [`searched_part`]), for a vectorised search
    /// of a lower-cased large text (five times as fast as `any` on an import's source); `None`
    /// where the target has no such search.
    lower: Option<aho_corasick::packed::Searcher>,
}

impl<'a> NameIndex<'a> {
    pub fn new(names: &'a [RetiredName]) -> Self {
        let any = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(names.iter().map(|n| n.name.as_str()))
            .ok();
        let lower =
            aho_corasick::packed::Searcher::new(names.iter().map(|n| searched_part(&n.name)));
        NameIndex { names, any, lower }
    }

    pub fn names(&self) -> &'a [RetiredName] {
        self.names
    }

    /// The names not current on `outline_date` found in `text` (see [`outdated_names`]).
    pub fn outdated(&self, text: &str, outline_date: NaiveDate) -> Vec<NameHit<'a>> {
        if self.may_occur(text) {
            outdated_names(text, outline_date, self.names)
        } else {
            Vec::new()
        }
    }

    /// Whether any name may occur in `text` (ASCII case ignored, word boundaries not
    /// checked). When not, [`NameIndex::outdated`] finds nothing in `text` nor in any part of
    /// it, for any date: a reader can clear many texts with one search of their source.
    pub fn may_occur(&self, text: &str) -> bool {
        // Both searches find the same: the vectorised one pays for lower-casing a copy of
        // the text only on a large one.
        match (&self.lower, &self.any) {
            (Some(lower), _) if text.len() >= 4096 => {
                lower.find(text.to_ascii_lowercase()).is_some()
            }
            (_, Some(any)) => any.is_match(text),
            (_, None) => true,
        }
    }
}

/// What the vectorised search looks for to find a name: the name in ASCII lower case, without
/// a leading "Azure " that most names share (a search for it stops at every "Azure" of a
/// text); a text that holds the name holds this part of it.
fn searched_part(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.strip_prefix("azure ") {
        Some(rest) if !rest.trim().is_empty() => rest.to_string(),
        _ => lower,
    }
}

/// Finds the names that are not current on `outline_date`. Matches whole words; an all-caps
/// name (an acronym such as LUIS) matches only in capitals, others in any case. An occurrence
/// right after "formerly " is allowed, so authors can tell readers the old name.
pub fn outdated_names<'a>(
    text: &str,
    outline_date: NaiveDate,
    names: &'a [RetiredName],
) -> Vec<NameHit<'a>> {
    let lower = text.to_lowercase();
    // `to_lowercase` can change byte lengths outside ASCII; fall back to exact matching then,
    // so offsets stay valid.
    let same_layout = lower.len() == text.len();
    let mut hits = Vec::new();
    for name in names.iter().filter(|n| n.since <= outline_date) {
        let acronym = name.name.chars().all(|c| !c.is_lowercase());
        let (haystack, needle) = if acronym || !same_layout {
            (text, name.name.clone())
        } else {
            (lower.as_str(), name.name.to_lowercase())
        };
        for (offset, _) in haystack.match_indices(&needle) {
            let end = offset + needle.len();
            if is_word_boundary(text, offset, end)
                && !after_formerly(&lower, offset, same_layout)
                && !inside_allowed(&lower, offset, &name.allowed_in, same_layout)
            {
                hits.push(NameHit { offset, name });
            }
        }
    }
    // A longer name ("Azure AI Foundry Agent Service") hides the shorter one inside it.
    hits.sort_by_key(|h| (h.offset, std::cmp::Reverse(h.name.name.len())));
    let mut kept: Vec<NameHit<'a>> = Vec::new();
    for hit in hits {
        let covered = kept
            .last()
            .is_some_and(|k| hit.offset < k.offset + k.name.name.len());
        if !covered {
            kept.push(hit);
        }
    }
    kept
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !before.is_some_and(is_word) && !after.is_some_and(is_word)
}

fn inside_allowed(lower: &str, offset: usize, allowed: &[String], same_layout: bool) -> bool {
    same_layout
        && allowed.iter().any(|phrase| {
            let phrase = phrase.to_lowercase();
            lower
                .match_indices(&phrase)
                .any(|(start, _)| start <= offset && offset < start + phrase.len())
        })
}

fn after_formerly(lower: &str, offset: usize, same_layout: bool) -> bool {
    same_layout
        && lower[..offset]
            .trim_end_matches([' ', '('])
            .ends_with("formerly")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(name: &str, since: &str) -> RetiredName {
        RetiredName {
            name: name.into(),
            replaced_by: "X".into(),
            since: NaiveDate::parse_from_str(since, "%Y-%m-%d").unwrap_or_default(),
            allowed_in: vec!["Cognitive Services OpenAI User".into()],
            provenance: Provenance::default(),
        }
    }
    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn finds_whole_words_after_the_rename_only() {
        let names = [
            name("Form Recognizer", "2023-07-12"),
            name("LUIS", "2023-04-01"),
        ];
        let text = "Use form recognizer, not LUIS or Luis's app or LUISA.";
        let hits = outdated_names(text, day("2025-12-23"), &names);
        let found: Vec<_> = hits
            .iter()
            .map(|h| (h.offset, h.name.name.as_str()))
            .collect();
        assert_eq!(found, vec![(4, "Form Recognizer"), (25, "LUIS")]);
        assert!(outdated_names(text, day("2023-01-01"), &names).is_empty());
        let roles = [name("Cognitive Services", "2023-07-12")];
        let text = "Grant Cognitive Services OpenAI User; Cognitive Services is old.";
        let hits = outdated_names(text, day("2025-12-23"), &roles);
        assert_eq!(hits.iter().map(|h| h.offset).collect::<Vec<_>>(), vec![38]);
    }

    #[test]
    fn the_index_finds_what_the_search_finds() {
        let names = [
            name("Form Recognizer", "2023-07-12"),
            name("LUIS", "2023-04-01"),
            name("Cognitive Services", "2023-07-12"),
        ];
        let index = NameIndex::new(&names);
        for text in [
            "Use form recognizer, not LUIS or Luis's app or LUISA.",
            "Grant Cognitive Services OpenAI User; Cognitive Services is old.",
            "Nothing retired here: Azure Document Intelligence.",
            "Ünïcode café, then FORM RECOGNIZER.",
        ] {
            assert_eq!(
                index.outdated(text, day("2025-12-23")),
                outdated_names(text, day("2025-12-23"), &names),
                "{text}"
            );
        }
    }

    /// A large text is searched lower-cased by the vectorised searcher, a small one by the
    /// case-blind automaton: both find a name in any ASCII case, anywhere, or nothing.
    #[test]
    fn large_and_small_texts_are_searched_alike() {
        let names = [
            name("Form Recognizer", "2023-07-12"),
            name("LUIS", "2023-04-01"),
            name("Azure AI Studio", "2024-11-19"),
        ];
        let index = NameIndex::new(&names);
        let filler = "Azure AI Search indexes manuals. ".repeat(200);
        assert!(filler.len() >= 4096);
        for (text, expected) in [
            (filler.clone(), false),
            (format!("{filler}then fORM rECOGNIZER"), true),
            (format!("luis {filler}"), true),
            (format!("{filler}Form Recogniser"), false),
            (format!("{filler}AZURE ai STUDIO"), true),
            ("small: FORM RECOGNIZER".to_string(), true),
            ("small: nothing".to_string(), false),
        ] {
            assert_eq!(
                index.may_occur(&text),
                expected,
                "{}",
                &text[text.len() - 30..]
            );
        }
    }

    #[test]
    fn formerly_is_allowed_and_longest_name_wins() {
        let names = [
            name("Azure AI Foundry", "2025-11-18"),
            name("Azure AI Foundry Agent Service", "2025-11-18"),
        ];
        let d = day("2026-04-16");
        assert!(
            outdated_names("Microsoft Foundry (formerly Azure AI Foundry)", d, &names).is_empty()
        );
        let hits = outdated_names("the Azure AI Foundry Agent Service", d, &names);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].name.name, "Azure AI Foundry Agent Service");
    }
}
