//! The GIFT parser against gift-pegjs's expected parses (`X.gift` beside `X.json` in the
//! corpus), question by question, and every corpus GIFT file through the whole import.

mod common;

use certprep_interchange::gift::{self, Entry, GiftText, Kind};
use serde_json::Value;

/// Whitespace-insensitive text, as both parsers keep the words and differ only in spacing.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(norm(s)),
        other => other.get("text").and_then(Value::as_str).map(norm),
    }
}

fn format_of(v: &Value) -> Option<&str> {
    v.get("format").and_then(Value::as_str)
}

fn same_text(mine: Option<&GiftText>, expected: &Value, what: &str, errors: &mut Vec<String>) {
    let got = mine.map(|t| norm(&t.text)).filter(|t| !t.is_empty());
    let want = text_of(expected).filter(|t| !t.is_empty());
    if got != want {
        errors.push(format!("{what}: expected {want:?}, got {got:?}"));
    }
    if let (Some(m), Some(f)) = (mine, format_of(expected))
        && want.is_some()
        && m.format.name() != f
    {
        errors.push(format!(
            "{what} format: expected {f}, got {}",
            m.format.name()
        ));
    }
}

fn compare(entry: &Entry, expected: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let want_type = expected["type"].as_str().unwrap_or("");
    let q = match entry {
        Entry::Category { path, .. } => {
            if want_type != "Category" || expected["title"].as_str() != Some(path.as_str()) {
                errors.push(format!(
                    "expected {want_type} {:?}, got category {path:?}",
                    expected["title"]
                ));
            }
            return errors;
        }
        Entry::Question(q) => q,
    };
    let got_type = match &q.kind {
        Kind::Description => "Description",
        Kind::Essay => "Essay",
        Kind::TrueFalse { .. } => "TF",
        Kind::MultipleChoice(_) => "MC",
        Kind::ShortAnswer(_) => "Short",
        Kind::Matching(_) => "Matching",
        Kind::Numerical(_) => "Numerical",
        Kind::Ordering { .. } => "Ordering",
    };
    if got_type != want_type {
        errors.push(format!("type: expected {want_type}, got {got_type}"));
        return errors;
    }
    if expected["title"].as_str() != q.title.as_deref() {
        errors.push(format!(
            "title: expected {:?}, got {:?}",
            expected["title"], q.title
        ));
    }
    let id = expected.get("id").and_then(Value::as_str);
    if id != q.id.as_deref() {
        errors.push(format!("id: expected {id:?}, got {:?}", q.id));
    }
    let tags: Vec<&str> = expected
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if tags != q.tags.iter().map(String::as_str).collect::<Vec<_>>() {
        errors.push(format!("tags: expected {tags:?}, got {:?}", q.tags));
    }
    let stem = GiftText {
        format: q.stem.format,
        text: q.stem_with_gap(),
    };
    same_text(Some(&stem), &expected["stem"], "stem", &mut errors);
    let embedded = expected
        .get("hasEmbeddedAnswers")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if embedded != q.after.is_some() {
        errors.push(format!(
            "hasEmbeddedAnswers: expected {embedded}, got {}",
            q.after.is_some()
        ));
    }
    if let Some(g) = expected.get("globalFeedback") {
        same_text(
            q.general_feedback.as_ref(),
            g,
            "general feedback",
            &mut errors,
        );
    }
    match &q.kind {
        Kind::TrueFalse {
            answer,
            wrong_feedback,
            right_feedback,
        } => {
            if expected["isTrue"].as_bool() != Some(*answer) {
                errors.push(format!(
                    "isTrue: expected {}, got {answer}",
                    expected["isTrue"]
                ));
            }
            // gift-pegjs names the first feedback trueFeedback and the second falseFeedback.
            same_text(
                wrong_feedback.as_ref(),
                &expected["trueFeedback"],
                "first feedback",
                &mut errors,
            );
            same_text(
                right_feedback.as_ref(),
                &expected["falseFeedback"],
                "second feedback",
                &mut errors,
            );
        }
        Kind::MultipleChoice(answers) | Kind::ShortAnswer(answers) => {
            let choices = expected["choices"].as_array().cloned().unwrap_or_default();
            if choices.len() != answers.len() {
                errors.push(format!(
                    "{} choices expected, got {}",
                    choices.len(),
                    answers.len()
                ));
            }
            for (i, (a, c)) in answers.iter().zip(&choices).enumerate() {
                if c["isCorrect"].as_bool() != Some(a.equals) {
                    errors.push(format!(
                        "choice {i} isCorrect: expected {}, got {}",
                        c["isCorrect"], a.equals
                    ));
                }
                if c["weight"].as_f64() != a.weight {
                    errors.push(format!(
                        "choice {i} weight: expected {}, got {:?}",
                        c["weight"], a.weight
                    ));
                }
                same_text(
                    Some(&a.text),
                    &c["text"],
                    &format!("choice {i}"),
                    &mut errors,
                );
                same_text(
                    a.feedback.as_ref(),
                    &c["feedback"],
                    &format!("choice {i} feedback"),
                    &mut errors,
                );
            }
        }
        Kind::Matching(pairs) => {
            let want = expected["matchPairs"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if want.len() != pairs.len() {
                errors.push(format!(
                    "{} pairs expected, got {}",
                    want.len(),
                    pairs.len()
                ));
            }
            for (i, (p, w)) in pairs.iter().zip(&want).enumerate() {
                same_text(
                    Some(&p.question),
                    &w["subquestion"],
                    &format!("pair {i} question"),
                    &mut errors,
                );
                if w["subanswer"].as_str().map(norm) != Some(norm(&p.answer)) {
                    errors.push(format!(
                        "pair {i} answer: expected {}, got {:?}",
                        w["subanswer"], p.answer
                    ));
                }
            }
        }
        // Numerical answers are not imported (certprep has no numeric item); the type, stem
        // and feedback above are what the import reports on.
        Kind::Numerical(_) | Kind::Description | Kind::Essay | Kind::Ordering { .. } => {}
    }
    errors
}

#[test]
fn gift_parses_match_gift_pegjs_item_by_item() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = corpus.join("gift/fuhrmanator-GIFT-grammar-PEG.js/tests/questions");
    let mut compared = 0;
    let mut failures = Vec::new();
    let mut files = 0;
    for path in common::files(&dir) {
        if path.extension().and_then(|e| e.to_str()) != Some("gift") {
            continue;
        }
        let json_path = path.with_extension("json");
        let Ok(json) = std::fs::read_to_string(&json_path) else {
            continue;
        };
        files += 1;
        let expected: Vec<Value> = serde_json::from_str(&json).expect("oracle JSON");
        let bytes = std::fs::read(&path).expect("read");
        let text = certprep_interchange::text::decode("t", &bytes)
            .expect("decode")
            .text;
        let mut issues = Vec::new();
        let entries = gift::parse(&path.display().to_string(), &text, &mut issues);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if !issues.is_empty() {
            failures.push(format!("{name}: {issues:?}"));
        }
        if entries.len() != expected.len() {
            failures.push(format!(
                "{name}: {} questions expected, got {}",
                expected.len(),
                entries.len()
            ));
            continue;
        }
        for (i, (e, x)) in entries.iter().zip(&expected).enumerate() {
            compared += 1;
            for err in compare(e, x) {
                failures.push(format!("{name} #{}: {err}", i + 1));
            }
        }
    }
    println!("{files} files, {compared} questions compared with gift-pegjs");
    assert!(files >= 50, "expected the 51 oracle files, found {files}");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
