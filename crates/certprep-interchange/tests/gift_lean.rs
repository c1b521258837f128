//! The lean path of the GIFT import (questions of the common shapes written straight to bank
//! text, without the parser, syntax tree and lint) writes exactly what the parser's path
//! writes: the same bank text, ids and issues, on generated GIFT files that mix plain
//! questions with every character that changes how GIFT or the bank reads a text, with and
//! without the embedded library (whose retired service names the import checks). The same
//! files read in pieces must agree too.

mod common;

use certprep_interchange::{ImportOptions, gift_read_four_ways};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// A text: mostly words and single spaces, sometimes something the lean path must leave to
/// the parser (escapes, markers, HTML, format prefixes, blanks, line breaks, label-like or
/// Markdown starts, retired service names and "formerly").
fn text() -> impl Strategy<Value = String> {
    let plain = prop::collection::vec("[A-Za-z0-9]{1,8}", 1..5).prop_map(|w| w.join(" "));
    prop_oneof![12 => plain, 1 => tricky_text()]
}

fn tricky_text() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        "  ",
        "\t",
        "\n",
        "#",
        "=",
        "~",
        "{",
        "}",
        "\\",
        "\\n",
        ":",
        "::",
        "->",
        "%",
        "%50%",
        "[",
        "[html]",
        "<b>",
        "&amp;",
        "É",
        "é",
        "ǅ",
        "A. ",
        ".",
        "-",
        "formerly ",
        "LUIS",
        "luis",
        "Cognitive Services",
        "Azure AI Search",
        "QnA Maker",
        "`",
        "```",
        "# ",
        "_",
        "\u{a0}",
    ]);
    let piece = prop_oneof![
        10 => "[A-Za-z0-9]{1,8}",
        4 => Just(" ".to_string()),
        2 => tricky.prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

fn feedback() -> impl Strategy<Value = String> {
    prop::option::of(text()).prop_map(|f| f.map_or_else(String::new, |f| format!("#{f}")))
}

/// The answer block's content, of one of the shapes the lean path takes or near them.
fn answers() -> impl Strategy<Value = String> {
    let weight = prop::sample::select(vec![
        "",
        "",
        "",
        "%100%",
        "%50%",
        "%-100%",
        "%33.33333%",
        "%25%",
        "%0%",
        "%50.004%",
    ]);
    let answer = (prop::bool::weighted(0.3), weight, text(), feedback())
        .prop_map(|(right, w, t, f)| format!("{}{w}{t}{f}", if right { '=' } else { '~' }));
    let choice = prop::collection::vec(answer, 1..7);
    let pair = (
        prop::option::of(text()),
        prop::sample::select(vec!["x", "y", "z", "Y", "Azure AI Search"]),
        feedback(),
    )
        .prop_map(|(q, a, f)| format!("={} -> {a}{f}", q.unwrap_or_default()));
    let matching = prop::collection::vec(pair, 1..6);
    let truth = (
        prop::sample::select(vec!["T", "TRUE", "F", "false", "True"]),
        prop::collection::vec(feedback(), 0..3),
    )
        .prop_map(|(h, f)| format!("{h}{}", f.concat()));
    let separator = prop::sample::select(vec![" ", "\n", " \n  "]);
    prop_oneof![
        4 => (choice, separator.clone()).prop_map(|(a, s)| a.join(s)),
        2 => (matching, separator).prop_map(|(a, s)| a.join(s)),
        2 => truth,
        1 => text(),
    ]
}

/// A question: title, stem, answers, sometimes general feedback, text after the block, a
/// comment or a category before it.
fn question() -> impl Strategy<Value = String> {
    let before = prop::sample::select(vec![
        "",
        "",
        "",
        "",
        "// [id:given-1]\n",
        "$CATEGORY: Part\n",
    ]);
    // Repeated titles give suffixed ids (`same-2`), not the ones the lean path wrote.
    let title = prop_oneof![3 => text(), 1 => Just("Same".to_string())];
    (
        before,
        prop::option::of(title),
        text(),
        answers(),
        prop::option::of(text()),
        prop::sample::select(vec!["", "", "", " then", "\";"]),
    )
        .prop_map(|(before, title, stem, answers, general, after)| {
            let title = title.map_or_else(String::new, |t| format!("::{t}::"));
            let general = general.map_or_else(String::new, |g| format!("####{g}"));
            format!("{before}{title}{stem} {{{answers}{general}}}{after}")
        })
}

fn file() -> impl Strategy<Value = String> {
    prop::collection::vec(question(), 1..8).prop_map(|q| q.join("\n\n") + "\n")
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(300)
}

/// Every generated file reads the same four ways; returns how many items were written in
/// all, and by the lean path.
fn check_all_ways(opts: &ImportOptions) -> (usize, usize) {
    let mut runner = TestRunner::new(Config::with_cases(cases()));
    let counts = std::cell::Cell::new((0usize, 0usize));
    let result = runner.run(&(file(), 1usize..200), |(text, piece_bytes)| {
        let ([whole, cut, read, parsed], lean) = gift_read_four_ways(&text, piece_bytes, opts);
        prop_assert_eq!(&parsed, &whole, "lean path against parser");
        prop_assert_eq!(&cut, &whole, "cut into pieces");
        prop_assert_eq!(&read, &whole, "read in pieces");
        let (all, lean_all) = counts.get();
        let written = whole.1.iter().filter(|i| !i.starts_with("error")).count();
        counts.set((all + written, lean_all + lean));
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");
    let (all, lean) = counts.get();
    eprintln!(
        "{} files: the lean path wrote {lean} of {all} items",
        cases()
    );
    (all, lean)
}

fn options_without_library() -> ImportOptions {
    let mut opts = common::options();
    opts.library = None;
    opts
}

#[test]
fn lean_path_writes_what_the_parser_writes() {
    let (all, lean) = check_all_ways(&options_without_library());
    // The lean path must take a fair share of what is written (about a quarter of these
    // generated items, which are meant to be hard), or the test shows nothing.
    assert!(
        lean * 6 >= all && lean > 0,
        "lean path wrote {lean} of {all} items"
    );
}

#[test]
fn lean_path_checks_retired_names_as_the_lint_does() {
    let (all, lean) = check_all_ways(&common::options());
    assert!(
        lean * 6 >= all && lean > 0,
        "lean path wrote {lean} of {all} items"
    );
}

/// The usual benchmark shapes all take the lean path, and a retired name sends its question
/// to the parser, which refuses it with the lint's reason.
#[test]
fn common_shapes_take_the_lean_path() {
    let text = "::Q1:: Which service indexes manuals? {=Azure AI Search#It indexes them. ~Azure Cosmos DB#It stores documents. ~Azure Blob Storage#It holds files.}\n\n\
                ::Q2:: Which two store inputs? {~%50%Azure Cosmos DB#One. ~%50%Azure Blob Storage#Two. ~%-100%Azure Functions#Not a store.}\n\n\
                ::Q3:: A resource group can hold both. {TRUE#Right.#Wrong.}\n\n\
                ::Q4:: Match each need with a service. {=Search passages -> Azure AI Search =Store documents -> Azure Cosmos DB =Run code -> Azure Functions}\n\n\
                ::Q5:: Which service answered questions from FAQs? {=QnA Maker ~Azure Functions ~Azure Cosmos DB}\n";
    let ([whole, .., parsed], lean) = gift_read_four_ways(text, 64, &common::options());
    assert_eq!(parsed, whole);
    assert_eq!(whole.1, ["q1", "q2", "q3", "q4"]);
    assert_eq!(lean, 4);
    assert!(
        whole.2.iter().any(|i| i.contains("QnA Maker")),
        "{:?}",
        whole.2
    );
}
