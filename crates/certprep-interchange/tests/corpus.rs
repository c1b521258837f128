//! Every file of the shared corpus in a format this crate reads: it imports with the expected
//! number of items (and the expected number of questions refused, each with its reason), or
//! is rejected as a whole with a clear message. Whatever is imported loads and lints clean on
//! top of the embedded catalog, as `certprep bank lint` would check it.

mod common;

use certprep_interchange::{Format, import};

/// (path under the corpus, items imported, questions refused with an error). Questions of a
/// type certprep does not have (short answer, numerical, essay, description, drag onto image)
/// are reported as warnings and counted in neither.
const EXPECTED: &[(&str, usize, usize)] = &[
    (
        "gift/moodle-moodle/question/format/gift/examples.txt",
        26,
        0,
    ),
    (
        "gift/moodle-moodle/question/format/gift/examples.crlf.txt",
        26,
        0,
    ),
    (
        "gift/moodle-moodle/question/format/gift/tests/fixtures/questions.gift.txt",
        6,
        0,
    ),
    (
        "gift/moodle-moodle/question/format/gift/tests/fixtures/questions_encoding_windows-1252.gift.txt",
        0,
        1,
    ),
    (
        "gift/moodle-moodle/question/format/gift/tests/fixtures/questions_in_category.gift.txt",
        3,
        0,
    ),
    (
        "gift/moodle-moodle/question/type/ordering/tests/fixtures/testexport.gift.txt",
        1,
        0,
    ),
    (
        "moodle-xml/gbateson-moodle-qtype_ordering/tests/fixtures/testoldquestion.moodle.xml",
        1,
        0,
    ),
    (
        "moodle-xml/gbateson-moodle-qtype_ordering/tests/fixtures/testquestion.moodle.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/multianswer/tests/fixtures/multianswer-all-types.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/broken_cloze_questions.xml",
        0,
        4,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/categories_reverse_order.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/category_with_description.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/deprecated_category.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/error_invalid_grades.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/export_category.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/html_chars_in_idnumbers.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/multianswer.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/multichoice.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/nested_categories.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/nested_categories_with_questions.xml",
        4,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/old_format_file.xml",
        2,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/sample_questions_with_old_image_tag.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/format/xml/tests/fixtures/truefalse.xml",
        2,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/ddimageortext/tests/fixtures/testquestion.moodle.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/ddmarker/tests/fixtures/testquestion.moodle.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/ddwtos/tests/fixtures/testquestion.moodle.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/description/tests/fixtures/testquestion.moodle.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/essay/tests/fixtures/testquestion.moodle.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/gapselect/tests/fixtures/testquestion.moodle.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/match/tests/fixtures/testquestion.moodle.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/multichoice/tests/fixtures/testquestion.moodle.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/numerical/tests/fixtures/testquestion.moodle.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/ordering/tests/fixtures/testimport.moodle.xml",
        1,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/shortanswer/tests/fixtures/testquestion.moodle.xml",
        0,
        0,
    ),
    (
        "moodle-xml/moodle-moodle/question/type/truefalse/tests/fixtures/testquestion.moodle.xml",
        1,
        0,
    ),
    ("csv/GopalSharma-moodle-qformat_csv/sample.csv", 10, 0),
    (
        "csv/GopalSharma-moodle-qformat_csv/extended_sample.csv",
        10,
        0,
    ),
    (
        "anki/ankitects-anki/pylib/tests/support/text-2fields.txt",
        6,
        3,
    ),
    (
        "anki/ankitects-anki/pylib/tests/support/text-tags.txt",
        0,
        2,
    ),
    (
        "anki/ankitects-anki/pylib/tests/support/text-update.txt",
        0,
        1,
    ),
];

/// Files rejected whole, with a word their message must contain.
const REJECTED: &[(&str, &str)] = &[
    (
        "anki/ankitects-anki/pylib/tests/support/media.apkg",
        "Notes in Plain Text",
    ),
    (
        "anki/ankitects-anki/pylib/tests/support/update1.apkg",
        "Notes in Plain Text",
    ),
];

fn run(rel: &str) -> Result<certprep_interchange::Imported, certprep_interchange::ImportError> {
    let Some(dir) = common::corpus() else {
        panic!("corpus checked by the caller");
    };
    let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    import(rel, &bytes, None, &common::options())
}

#[test]
fn every_corpus_file_imports_with_the_expected_counts() {
    if common::corpus().is_none() {
        return;
    }
    let mut failures = Vec::new();
    for (rel, items, refused) in EXPECTED {
        match run(rel) {
            Ok(imported) => {
                let errors = imported.errors().count();
                if imported.items.len() != *items || errors != *refused {
                    failures.push(format!(
                        "{rel}: expected {items} items and {refused} refused, got {} and {errors}:\n  {}",
                        imported.items.len(),
                        imported.issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  ")
                    ));
                }
                for issue in imported.issues.iter().filter(|i| i.item.is_some()) {
                    if issue.line == 0 {
                        failures.push(format!(
                            "{rel}: an item's issue without a position: {issue}"
                        ));
                    }
                }
                if !imported.items.is_empty() {
                    let loaded = common::lint("imported.md", &imported.markdown);
                    let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
                    if !errors.is_empty() || loaded.library.bank.items.len() != *items {
                        failures.push(format!(
                            "{rel}: the imported bank does not lint clean: {errors:?}"
                        ));
                    }
                }
            }
            Err(e) => failures.push(format!("{rel}: rejected: {e}")),
        }
    }
    for (rel, word) in REJECTED {
        match run(rel) {
            Ok(_) => failures.push(format!("{rel}: expected a rejection")),
            Err(e) => {
                if !e.to_string().contains(word) {
                    failures.push(format!("{rel}: unclear rejection: {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_readable_corpus_file_is_covered() {
    let Some(dir) = common::corpus() else { return };
    let mut missing = Vec::new();
    for path in common::files(&dir) {
        let rel = path
            .strip_prefix(&dir)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let readable = (rel.starts_with("gift/moodle-moodle/question") && rel.ends_with(".txt"))
            || rel.starts_with("moodle-xml/") && rel.ends_with(".xml")
            || rel.starts_with("csv/") && rel.ends_with(".csv")
            || rel.starts_with("anki/") && (rel.ends_with(".txt") || rel.ends_with(".apkg"))
            || rel.starts_with("markdown/") && rel.ends_with(".md");
        let listed = EXPECTED.iter().any(|(p, ..)| *p == rel)
            || REJECTED.iter().any(|(p, _)| *p == rel)
            || MARKDOWN.iter().any(|(p, ..)| *p == rel)
            || rel.ends_with(".apkg");
        if readable && !listed {
            missing.push(rel);
        }
    }
    assert!(
        missing.is_empty(),
        "corpus files with no expectation: {missing:?}"
    );
}

/// The Markdown checkbox banks: (path, questions in the file, items imported, refused).
const MARKDOWN: &[(&str, usize, usize, usize)] = &[
    (
        "markdown/Ebazhanov-linkedin-quizzes/aws/aws-quiz.md",
        128,
        124,
        4,
    ),
    (
        "markdown/Ebazhanov-linkedin-quizzes/aws/aws-quiz-fr.md",
        117,
        113,
        4,
    ),
    (
        "markdown/Ebazhanov-linkedin-quizzes/microsoft-azure/microsoft-azure-quiz.md",
        105,
        104,
        1,
    ),
];

#[test]
fn markdown_banks_import_every_question_or_say_why() {
    if common::corpus().is_none() {
        return;
    }
    let mut failures = Vec::new();
    for (rel, questions, items, refused) in MARKDOWN {
        let imported = match run(rel) {
            Ok(i) => i,
            Err(e) => {
                failures.push(format!("{rel}: rejected: {e}"));
                continue;
            }
        };
        let errors = imported.errors().count();
        println!(
            "{rel}: {questions} questions, {} imported, {errors} refused",
            imported.items.len()
        );
        if imported.items.len() + errors != *questions
            || imported.items.len() != *items
            || errors != *refused
        {
            failures.push(format!(
                "{rel}: expected {items} + {refused} of {questions}, got {} + {errors}",
                imported.items.len()
            ));
        }
        let loaded = common::lint("imported.md", &imported.markdown);
        let lint_errors: Vec<String> = loaded.errors().map(ToString::to_string).take(5).collect();
        if !lint_errors.is_empty() {
            failures.push(format!("{rel}: lint: {lint_errors:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gift_oracle_files_all_import_or_explain() {
    let Some(dir) = common::corpus() else { return };
    let folder = dir.join("gift/fuhrmanator-GIFT-grammar-PEG.js/tests/questions");
    let mut imported_total = 0;
    for path in common::files(&folder) {
        if path.extension().and_then(|e| e.to_str()) != Some("gift") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let name = path.display().to_string();
        let imported = import(&name, &bytes, Some(Format::Gift), &common::options())
            .unwrap_or_else(|e| panic!("{e}"));
        let json: Vec<serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("json")).unwrap_or_else(|_| "[]".into()),
        )
        .expect("json");
        // Every question of the oracle is an item, a warning or an error naming it.
        let questions = json.iter().filter(|q| q["type"] != "Category").count();
        let told = imported
            .issues
            .iter()
            .filter(|i| i.is_error() || i.message.contains("not imported"))
            .count();
        assert_eq!(
            imported.items.len() + told,
            questions,
            "{name}: {:#?}",
            imported.issues
        );
        let loaded = common::lint("imported.md", &imported.markdown);
        assert!(
            loaded.errors().next().is_none(),
            "{name}: {:?}",
            loaded.diagnostics
        );
        imported_total += imported.items.len();
    }
    println!("{imported_total} items imported from the gift-pegjs corpus");
}
