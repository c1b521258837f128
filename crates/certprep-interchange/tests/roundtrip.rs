//! Round trips: native → format → native keeps every field the format can carry.
//!
//! Items are generated as bank Markdown, loaded and linted with `certprep-bank` on the
//! embedded catalog, exported, imported again and compared field by field:
//! - GIFT and certprep CSV carry everything of the types they write (GIFT drops notes of
//!   `match` entries, which its matching questions cannot hold; the importer writes its
//!   placeholder there; ordering questions list the actions in the answer's order, so the
//!   written order of the actions comes back as the key's order, and matching questions
//!   list pairs, so sources come back in the order the targets use them);
//! - Moodle XML the same, with drop-down notes on one line (cloze feedback is one line);
//! - QTI 3.0 (a content package) carries every field of every type but `solution` (notes as
//!   `qti-feedback-inline`, the rest in `<!-- certprep -->` comments), so items come back
//!   exactly.

mod common;

use certprep_bank::{Library, Source, load};
use certprep_domain::{Item, ItemBody};
use certprep_interchange::native::NO_REASON;
use certprep_interchange::{Format, ImportOptions, export, import};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "alpha",
    "beta",
    "gamma",
    "{braces}",
    "a=b",
    "~tilde",
    "#hash",
    "x:y",
    "back\\slash",
    "*em*",
    "`code`",
    "&amp;",
    "<b>bold</b>",
    "50%",
    "\"quoted\"",
    "it's",
    "Ünïcödé",
    "日本語",
    "[x]",
    "$5",
    "/path/",
    "a//b",
    "(paren)",
    "semi;colon",
    "comma,",
    "-dash",
    "+plus",
    "@at",
];

fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), min..max).prop_map(|w| w.join(" "))
}

/// A paragraph or two of stem text.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(words(2, 8), 1..3).prop_map(|p| p.join("\n\n"))
}

/// Entry texts, made distinct and never starting with a special character.
fn entries(n: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(words(1, 5), n).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, t)| format!("entry{i} {t}"))
            .collect()
    })
}

#[derive(Debug, Clone)]
struct Gen {
    kind: u8,
    stem: String,
    texts: Vec<String>,
    notes: Vec<String>,
    picks: Vec<bool>,
    explanation: String,
    difficulty: u8,
    tags: Vec<String>,
    shuffle: bool,
    version: u32,
}

fn gen_item(kinds: Vec<u8>) -> impl Strategy<Value = Gen> {
    (
        prop::sample::select(kinds),
        text(),
        (4usize..7).prop_flat_map(entries),
        prop::collection::vec(words(1, 6), 8),
        prop::collection::vec(any::<bool>(), 8),
        text(),
        1u8..=5,
        prop::collection::vec("[a-z]{2,8}", 0..3),
        any::<bool>(),
        1u32..4,
    )
        .prop_map(
            |(kind, stem, texts, notes, picks, explanation, difficulty, tags, shuffle, version)| {
                Gen {
                    kind,
                    stem,
                    texts,
                    notes,
                    picks,
                    explanation,
                    difficulty,
                    tags,
                    shuffle,
                    version,
                }
            },
        )
}

/// The item as bank Markdown. Kinds: 0 single, 1 multiple, 2 order (all actions used),
/// 3 match, 4 one-slot dropdown, 5 two-slot dropdown, 6 yesno, 7 order with unused actions.
fn markdown(id: &str, g: &Gen) -> String {
    let mut meta = String::new();
    let mut body = String::new();
    let n = g.texts.len();
    let note = |i: usize| g.notes[i % g.notes.len()].clone();
    let mut stem = g.stem.clone();
    match g.kind {
        0 | 1 => {
            let correct: Vec<bool> = if g.kind == 0 {
                (0..n).map(|i| i == usize::from(g.picks[0]) + 1).collect()
            } else {
                (0..n).map(|i| i < 2 || (i == 2 && g.picks[1])).collect()
            };
            let choose = correct.iter().filter(|c| **c).count();
            meta.push_str(if g.kind == 0 {
                "type: single\n"
            } else {
                "type: multiple\n"
            });
            if g.kind == 1 {
                meta.push_str(&format!("choose: {choose}\n"));
            }
            body.push_str("### Options\n\n");
            for (i, t) in g.texts.iter().enumerate() {
                let l = char::from(b'A' + i as u8);
                body.push_str(&format!(
                    "- [{}] {l}. {t}\n",
                    if correct[i] { "x" } else { " " }
                ));
                if !correct[i] || g.picks[i] {
                    body.push_str(&format!("  {}\n", note(i)));
                }
            }
        }
        2 | 7 => {
            meta.push_str("type: order\n");
            body.push_str("### Actions\n\n");
            let used = if g.kind == 2 { n } else { n - 2 };
            for (i, t) in g.texts.iter().enumerate() {
                let l = char::from(b'A' + i as u8);
                if i < used {
                    body.push_str(&format!("- [{}] {l}. {t}\n", used - i));
                } else {
                    body.push_str(&format!("- [ ] {l}. {t}\n  {}\n", note(i)));
                }
            }
        }
        3 => {
            meta.push_str(&format!(
                "type: match\nreuse: {}\n",
                if g.picks[0] { "yes" } else { "no" }
            ));
            body.push_str("### Sources\n\n");
            let sources = n - 1;
            for (i, t) in g.texts.iter().take(sources).enumerate() {
                let l = char::from(b'A' + i as u8);
                body.push_str(&format!("- {l}. {t}\n"));
                if i >= 2 && !(g.picks[0] && i == 2) {
                    body.push_str(&format!("  {}\n", note(i)));
                }
            }
            body.push_str("\n### Targets\n\n");
            body.push_str(&format!(
                "- [B] target one {}\n- [A] target two {}\n",
                g.texts[n - 1],
                note(0)
            ));
            if g.picks[0] {
                body.push_str("- [B] target three\n- [C] target four\n");
            }
        }
        4 | 5 => {
            meta.push_str("type: dropdown\n");
            stem = if g.kind == 4 {
                format!("{stem} {{{{1}}}} end.")
            } else {
                format!("{stem} {{{{1}}}} middle {{{{2}}}}.")
            };
            let slots = if g.kind == 4 { 1 } else { 2 };
            for s in 0..slots {
                body.push_str(&format!("### Slot {}\n\n", s + 1));
                for (i, t) in g.texts.iter().take(3).enumerate() {
                    let l = char::from(b'A' + i as u8);
                    let right = i == (s + usize::from(g.picks[s])) % 3;
                    body.push_str(&format!("- [{}] {l}. {t}\n", if right { "x" } else { " " }));
                    if !right {
                        body.push_str(&format!("  {}\n", note(i + s)));
                    }
                }
                body.push('\n');
            }
        }
        _ => {
            meta.push_str("type: yesno\n");
            body.push_str("### Statements\n\n");
            for (i, t) in g.texts.iter().take(3).enumerate() {
                body.push_str(&format!(
                    "- [{}] {t}\n  {}\n",
                    if g.picks[i] { "yes" } else { "no" },
                    note(i)
                ));
            }
        }
    }
    if !g.shuffle && g.kind != 6 {
        meta.push_str("shuffle: no\n");
    }
    let tags = if g.tags.is_empty() {
        String::new()
    } else {
        format!("tags: {}\n", g.tags.join(", "))
    };
    let version = if g.version > 1 {
        format!("version: {}\n", g.version)
    } else {
        String::new()
    };
    format!(
        "## Item: {id}\n\n```meta\n{meta}ai-102@2025-12-23: select-generative, select-nlp\ndifficulty: {}\n{tags}reviewed: 2026-0{}-15\n{version}```\n\n{stem}\n\n{body}\n### Explanation\n\n{}\n\n### References\n\n- [Docs](https://learn.microsoft.com/azure/ai-services/what-are-ai-services#available-azure-ai-services)\n- https://learn.microsoft.com/azure/search/search-what-is-azure-search#why-use-ai-search\n\n",
        g.difficulty, g.difficulty, g.explanation
    )
}

fn library(items: &[Gen]) -> Library {
    let text: String = items
        .iter()
        .enumerate()
        .map(|(i, g)| markdown(&format!("rt-{i}"), g))
        .collect();
    let loaded = load(
        &[
            common::embedded_catalog(),
            vec![Source::new("rt.md", text.clone())],
        ],
        common::today(),
        1,
    );
    let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
    assert!(
        errors.is_empty(),
        "generated bank does not lint: {errors:?}\n{text}"
    );
    assert_eq!(loaded.library.bank.items.len(), items.len());
    loaded.library
}

fn options() -> ImportOptions {
    let mut o = ImportOptions::new(common::today());
    o.library = Some(common::embedded_library());
    o
}

/// The item with the notes the format cannot carry replaced as the importer replaces them.
fn carried(item: &Item, format: Format) -> Item {
    let mut item = item.clone();
    if matches!(format, Format::Qti | Format::Qti21) {
        return item;
    }
    if let ItemBody::Match {
        sources, targets, ..
    } = &mut item.body
        && format != Format::Csv
    {
        let used: Vec<char> = targets.iter().map(|t| t.key).collect();
        for s in sources.iter_mut() {
            s.note = if used.contains(&s.label) {
                String::new()
            } else {
                NO_REASON.to_string()
            };
        }
        for t in targets.iter_mut() {
            t.note = String::new();
        }
    }
    // Matching questions list pairs: sources come back in the order targets first use them,
    // then the unused ones.
    if let ItemBody::Match {
        sources, targets, ..
    } = &mut item.body
        && format != Format::Csv
    {
        let mut order: Vec<char> = Vec::new();
        for t in targets.iter() {
            if !order.contains(&t.key) {
                order.push(t.key);
            }
        }
        for s in sources.iter() {
            if !order.contains(&s.label) {
                order.push(s.label);
            }
        }
        let new_label =
            |old: char| char::from(b'A' + order.iter().position(|c| *c == old).unwrap_or(0) as u8);
        for t in targets.iter_mut() {
            t.key = new_label(t.key);
        }
        for s in sources.iter_mut() {
            s.label = new_label(s.label);
        }
        sources.sort_by_key(|s| s.label);
    }
    // GIFT and Moodle ordering questions list the items in the right order: the written
    // order of the actions is not carried.
    if let ItemBody::Order { actions } = &mut item.body
        && format != Format::Csv
    {
        actions.sort_by_key(|a| a.position);
        for (i, a) in actions.iter_mut().enumerate() {
            a.label = char::from(b'A' + i as u8);
        }
    }
    item
}

fn round_trip(items: &[Gen], format: Format) -> Result<(), TestCaseError> {
    let lib = library(items);
    let exported = export(&lib, None, format).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let bytes = exported.bytes;
    let name = format!(
        "rt.{}",
        match format {
            Format::Gift => "gift",
            Format::MoodleXml => "xml",
            Format::Qti | Format::Qti21 => "zip",
            _ => "csv",
        }
    );
    let imported = import(&name, &bytes, Some(format), &options())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let errors: Vec<String> = imported.errors().map(ToString::to_string).collect();
    prop_assert!(
        errors.is_empty(),
        "{errors:?}\n{}",
        String::from_utf8_lossy(&bytes)
    );
    for original in &lib.bank.items {
        let Some(back) = imported.items.iter().find(|i| i.id == original.id) else {
            return Err(TestCaseError::fail(format!(
                "{} lost:\n{}",
                original.id,
                String::from_utf8_lossy(&bytes)
            )));
        };
        prop_assert_eq!(
            &carried(original, format),
            back,
            "\n{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    // The imported bank loads and lints clean on the catalog.
    let loaded = common::lint("back.md", &imported.markdown);
    prop_assert!(loaded.errors().next().is_none(), "{:?}", loaded.diagnostics);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn gift_round_trip(items in prop::collection::vec(gen_item(vec![0, 1, 3, 4]), 1..5)) {
        round_trip(&items, Format::Gift)?;
    }

    #[test]
    fn moodle_xml_round_trip(items in prop::collection::vec(gen_item(vec![0, 1, 2, 3, 4, 5]), 1..5)) {
        round_trip(&items, Format::MoodleXml)?;
    }

    #[test]
    fn qti3_round_trip(items in prop::collection::vec(gen_item(vec![0, 1, 2, 3, 4, 5, 6, 7]), 1..5)) {
        round_trip(&items, Format::Qti)?;
    }

    #[test]
    fn qti21_round_trip(items in prop::collection::vec(gen_item(vec![0, 1, 2, 3, 4, 5, 6, 7]), 1..5)) {
        round_trip(&items, Format::Qti21)?;
    }

    #[test]
    fn certprep_csv_round_trip(items in prop::collection::vec(gen_item(vec![0, 1, 2, 3, 4, 5, 6, 7]), 1..5)) {
        round_trip(&items, Format::Csv)?;
    }
}
