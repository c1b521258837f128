//! parse → render → parse is the identity: for generated syntax trees, for every embedded bank
//! file, and for the examples of the format specification.

mod common;

use certprep_bank::syntax::{
    BankFile, Block, BlockHead, Entry, ItemDoc, Meta, MetaEntry, Pos, Section, SectionBody,
    SectionName, Spanned, TabDoc, Text,
};
use certprep_bank::{parse, render};
use proptest::prelude::*;

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Pos::default())
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}",
        Just("Foundry".to_string()),
        Just("`code`".to_string()),
        Just("{{1}}".to_string()),
        Just("**bold**".to_string()),
        Just("é".to_string()),
        Just("[x]".to_string()),
        Just("#tag".to_string()),
    ]
}

/// One line of prose that is not a heading, a fence or blank.
fn prose_line() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(word(), 1..6),
        prop_oneof![Just(""), Just("- "), Just("1. "), Just("> ")],
    )
        .prop_map(|(words, lead)| format!("{lead}x {}", words.join(" ")))
}

/// A fenced code block whose lines look like headings and list entries.
fn code_block() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("# a comment".to_string()),
            Just("## Item: not-an-item".to_string()),
            Just("### Options".to_string()),
            Just("- [x] A. not an entry".to_string()),
            prose_line(),
        ],
        0..4,
    )
    .prop_map(|lines| {
        let mut block = vec!["```python".to_string()];
        block.extend(lines);
        block.push("```".to_string());
        block.join("\n")
    })
}

/// Markdown text: paragraphs and code blocks separated by blank lines.
fn markdown(indent: u32) -> impl Strategy<Value = Text> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::collection::vec(prose_line(), 1..3).prop_map(|l| l.join("\n")),
            1 => code_block(),
        ],
        0..3,
    )
    .prop_map(move |parts| {
        if parts.is_empty() {
            Text::default()
        } else {
            Text {
                text: parts.join("\n\n"),
                pos: Pos::default(),
                indent,
            }
        }
    })
}

fn meta() -> impl Strategy<Value = Option<Meta>> {
    prop::option::of(
        prop::collection::vec(("[a-z][a-z0-9@-]{0,12}", "[a-zA-Z0-9 ,.@-]{0,20}"), 0..5).prop_map(
            |pairs| Meta {
                entries: pairs
                    .into_iter()
                    .map(|(k, v)| MetaEntry {
                        key: sp(k),
                        value: sp(v.trim().to_string()),
                    })
                    .collect(),
                pos: Pos::default(),
            },
        ),
    )
}

fn entry(plain: bool) -> impl Strategy<Value = Entry> {
    let mark = prop::option::of(prop_oneof![
        Just("x"),
        Just(" "),
        Just("yes"),
        Just("no"),
        Just("2"),
        Just("B"),
        Just("")
    ]);
    let label = prop::option::of(prop::char::range('A', 'Z'));
    (mark, label, prose_line(), markdown(2)).prop_map(move |(mark, label, text, note)| Entry {
        pos: Pos::default(),
        mark: (!plain).then(|| mark.map(|m| sp(m.to_string()))).flatten(),
        label: (!plain).then(|| label.map(sp)).flatten(),
        text: sp(text.trim_end().to_string()),
        note: if plain { Text::default() } else { note },
    })
}

fn section() -> impl Strategy<Value = Section> {
    let name = prop_oneof![
        Just(SectionName::Options),
        Just(SectionName::Actions),
        Just(SectionName::Sources),
        Just(SectionName::Targets),
        (1u32..5).prop_map(SectionName::Slot),
        Just(SectionName::Statements),
        Just(SectionName::Solution),
        Just(SectionName::Explanation),
        Just(SectionName::References),
    ];
    name.prop_flat_map(|name| {
        let body = match name {
            SectionName::Explanation => markdown(0).prop_map(SectionBody::Text).boxed(),
            SectionName::References => prop::collection::vec(entry(true), 0..3)
                .prop_map(SectionBody::Entries)
                .boxed(),
            _ => prop::collection::vec(entry(false), 0..4)
                .prop_map(SectionBody::Entries)
                .boxed(),
        };
        body.prop_map(move |body| Section {
            name: sp(name),
            body,
        })
    })
}

fn item() -> impl Strategy<Value = ItemDoc> {
    (
        "[a-z0-9][a-z0-9-]{0,10}",
        meta(),
        markdown(0),
        prop::collection::vec(section(), 0..4),
    )
        .prop_map(|(id, meta, stem, sections)| ItemDoc {
            id: sp(id),
            meta,
            stem,
            sections,
        })
}

fn block() -> impl Strategy<Value = Block> {
    let head = prop_oneof![
        "[A-Z][a-z ]{0,12}[a-z]".prop_map(|t| BlockHead::Plain(Some(sp(t)))),
        "[a-z][a-z0-9-]{0,8}".prop_map(|id| BlockHead::CaseStudy(sp(id))),
        "[a-z][a-z0-9-]{0,8}".prop_map(|id| BlockHead::Series(sp(id))),
    ];
    (
        head,
        meta(),
        markdown(0),
        prop::collection::vec(("[A-Z][a-z ]{0,10}[a-z]", markdown(0)), 0..3),
        prop::collection::vec(item(), 0..3),
    )
        .prop_map(|(head, meta, prose, tabs, items)| {
            let group = !matches!(head, BlockHead::Plain(_));
            let case = matches!(head, BlockHead::CaseStudy(_));
            Block {
                meta: if group { meta } else { None },
                prose,
                tabs: if case {
                    tabs.into_iter()
                        .map(|(name, content)| TabDoc {
                            name: sp(name),
                            content,
                        })
                        .collect()
                } else {
                    vec![]
                },
                items,
                head,
            }
        })
}

fn bank_file() -> impl Strategy<Value = BankFile> {
    prop::collection::vec(block(), 0..4).prop_map(|blocks| BankFile { blocks })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn render_then_parse_gives_the_same_tree(bank in bank_file()) {
        let text = render(&bank);
        let (parsed, diagnostics) = parse("gen.md", &text);
        // A generated file without items is reported as such, and is otherwise the same tree.
        let itemless = bank.blocks.iter().all(|b| b.items.is_empty());
        let unexpected: Vec<_> = diagnostics
            .iter()
            .filter(|d| !(itemless && d.message.starts_with("this file holds no item")))
            .collect();
        prop_assert!(unexpected.is_empty(), "{unexpected:?}\n{text}");
        prop_assert_eq!(parsed, bank, "{}", text);
    }

    #[test]
    fn parse_never_panics_and_reparses_stably(text in "(#{0,3} |- |  |```|\\[x\\] |A\\. |[a-z:@ ]{0,10}|\n){0,60}") {
        let (first, diagnostics) = parse("fuzz.md", &text);
        if diagnostics.is_empty() {
            let (second, _) = parse("fuzz.md", &render(&first));
            prop_assert_eq!(second, first);
        }
    }
}

#[test]
fn embedded_bank_files_round_trip() {
    let mut checked = 0;
    for file in certprep_content::files().filter(|f| f.path.ends_with(".md")) {
        let (first, diagnostics) = parse(file.path, file.text);
        assert!(diagnostics.is_empty(), "{}: {diagnostics:?}", file.path);
        let (second, _) = parse(file.path, &render(&first));
        assert_eq!(second, first, "{}", file.path);
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} bank files embedded");
}
