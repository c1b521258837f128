//! certprep's GIFT and QTI 3.0 exports read by independent implementations from npm
//! (`e2e/interchange/check.mjs`): gift-pegjs parses the GIFT file, and Cito's QTI 3 player
//! (@citolab/qti-components, in happy-dom) loads every item of the unzipped package and runs
//! its response processing. Both are compared item by item with the embedded bank that the
//! binary exported: the AI-103 items.
//!
//! Outside CI the tests are skipped, with the reason printed, when Node.js or
//! `e2e/node_modules` (from `npm ci` in `e2e/`) is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use serde_json::Value;

const EXAM: &str = "ai-103";

/// What the Node script read, or why the tests are skipped.
enum Peers {
    Skipped(String),
    Read(Value),
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn peers() -> &'static Peers {
    static PEERS: OnceLock<Peers> = OnceLock::new();
    PEERS.get_or_init(run_peers)
}

fn run_peers() -> Peers {
    let root = root();
    let modules = root.join("e2e/node_modules");
    let missing = [
        (
            Command::new("node").arg("--version").output().is_err(),
            "node",
        ),
        (
            ["gift-pegjs", "@citolab/qti-components", "happy-dom"]
                .iter()
                .any(|p| !modules.join(p).join("package.json").exists()),
            "e2e/node_modules (run `npm ci` in e2e/)",
        ),
    ];
    let missing: Vec<&str> = missing
        .iter()
        .filter(|(m, _)| *m)
        .map(|(_, what)| *what)
        .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var("CI").is_err(),
            "the interchange peer test must run under CI; missing: {missing:?}"
        );
        return Peers::Skipped(format!("missing {}", missing.join(", ")));
    }

    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let gift = dir.path().join("ai-103.gift");
    let zip_path = dir.path().join("ai-103-qti.zip");
    for (format, out) in [("gift", &gift), ("qti", &zip_path)] {
        assert_cmd::Command::cargo_bin("certprep")
            .unwrap_or_else(|e| panic!("{e}"))
            .env("CERTPREP_DATA_DIR", &data)
            .args(["export", "--format", format, "--exam", EXAM, "--out"])
            .arg(out)
            .assert()
            .success();
    }
    let package = dir.path().join("qti");
    let file = std::fs::File::open(&zip_path).unwrap_or_else(|e| panic!("{e}"));
    zip::ZipArchive::new(file)
        .and_then(|mut archive| archive.extract(&package))
        .unwrap_or_else(|e| panic!("cannot unzip {}: {e}", zip_path.display()));
    let exported = started.elapsed();

    let out = Command::new("node")
        .arg(root.join("e2e/interchange/check.mjs"))
        .arg(&gift)
        .arg(&package)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "check.mjs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check.mjs printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    eprintln!(
        "exports in {:.1}s, read by {} in {:.1}s",
        exported.as_secs_f64(),
        json["implementations"],
        (started.elapsed() - exported).as_secs_f64()
    );
    Peers::Read(json)
}

/// The embedded items that serve the exam, in bank order (the order `export` writes them).
fn bank_items() -> Vec<Value> {
    let library: Value =
        serde_json::from_str(certprep_content::LIBRARY_JSON).unwrap_or_else(|e| panic!("{e}"));
    library["bank"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("library.json has no bank items"))
        .iter()
        .filter(|item| {
            item["objectives"]
                .as_object()
                .is_some_and(|o| o.keys().any(|k| k.split('@').next() == Some(EXAM)))
        })
        .cloned()
        .collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// The item's body: its type and its fields.
fn body(item: &Value) -> (&str, &Value) {
    item["body"]
        .as_object()
        .and_then(|o| o.iter().next())
        .map(|(k, v)| (k.as_str(), v))
        .unwrap_or_else(|| panic!("item {} has no body", item["id"]))
}

/// Text as a reader shows it: line ends and outer white space do not count.
fn norm(t: &str) -> String {
    t.replace("\r\n", "\n").trim().to_string()
}

fn short(t: &str) -> String {
    let t = norm(t).replace('\n', "⏎");
    if t.chars().count() > 70 {
        format!("{}…", t.chars().take(70).collect::<String>())
    } else {
        t
    }
}

// ---------------------------------------------------------------------------------------------
// GIFT

/// A GIFT question as certprep's bank says it should be read.
#[derive(Debug)]
enum GiftQuestion {
    /// Multiple choice: (text, correct, feedback); `weighted` for several right answers.
    Choice {
        choices: Vec<(String, bool, String)>,
        weighted: bool,
    },
    TrueFalse {
        answer: bool,
    },
    /// (subquestion, answer); a distractor has an empty subquestion.
    Matching {
        pairs: Vec<(String, String)>,
    },
}

/// A question's id, the text its stem ends with (after a case study's or series' context,
/// and before a gap), and the question.
type Expected = (String, String, GiftQuestion);

/// The GIFT questions an item should become (none when GIFT cannot hold it).
fn gift_expected(item: &Value) -> Vec<Expected> {
    let id = s(&item["id"]).to_string();
    let stem = s(&item["stem"]).to_string();
    let choice = |c: &Value| {
        (
            s(&c["text"]).to_string(),
            c["correct"].as_bool() == Some(true),
            s(&c["note"]).to_string(),
        )
    };
    let (kind, b) = body(item);
    match kind {
        "single" | "multiple" => vec![(
            id,
            stem,
            GiftQuestion::Choice {
                choices: arr(&b["options"]).iter().map(choice).collect(),
                weighted: kind == "multiple",
            },
        )],
        "dropdown" => {
            let slots = arr(&b["slots"]);
            if slots.len() != 1 || stem.matches("{{1}}").count() != 1 {
                return vec![]; // not exported, with a warning: several gaps
            }
            let choices: Vec<_> = arr(&slots[0]["choices"]).iter().map(choice).collect();
            let true_false = choices.len() == 2
                && choices[0].0 == "True"
                && choices[1].0 == "False"
                && stem.trim_end().ends_with("\n\n{{1}}");
            let before = stem.split("{{1}}").next().unwrap_or("").to_string();
            if true_false {
                vec![(
                    id,
                    before,
                    GiftQuestion::TrueFalse {
                        answer: choices[0].1,
                    },
                )]
            } else {
                vec![(
                    id,
                    before,
                    GiftQuestion::Choice {
                        choices,
                        weighted: false,
                    },
                )]
            }
        }
        // GIFT has no ordering question: the exporter leaves order items out with a warning.
        "order" => vec![],
        "match" => {
            let sources = arr(&b["sources"]);
            let targets = arr(&b["targets"]);
            let source = |label: &str| {
                sources
                    .iter()
                    .find(|src| s(&src["label"]) == label)
                    .map(|src| s(&src["text"]).to_string())
                    .unwrap_or_default()
            };
            let mut pairs: Vec<(String, String)> = targets
                .iter()
                .map(|t| (s(&t["text"]).to_string(), source(s(&t["key"]))))
                .collect();
            for src in sources {
                if targets.iter().all(|t| t["key"] != src["label"]) {
                    pairs.push((String::new(), s(&src["text"]).to_string()));
                }
            }
            vec![(id, stem, GiftQuestion::Matching { pairs })]
        }
        "yesno" => arr(&b["statements"])
            .iter()
            .enumerate()
            .map(|(i, st)| {
                (
                    format!("{id}-{}", i + 1),
                    format!("{stem}\n\n{}", s(&st["text"])),
                    GiftQuestion::TrueFalse {
                        answer: st["answer"].as_bool() == Some(true),
                    },
                )
            })
            .collect(),
        "solution" => vec![(
            id,
            format!(
                "{stem}\n\n**Solution:** {}\n\nDoes the solution meet the goal?",
                s(&b["statement"]["text"])
            ),
            GiftQuestion::TrueFalse {
                answer: b["statement"]["answer"].as_bool() == Some(true),
            },
        )],
        other => panic!("item {id}: unknown type {other}"),
    }
}

/// How gift-pegjs read a question, in a line.
fn gift_reading(q: &Value) -> String {
    let choices = arr(&q["choices"]);
    let mut out = format!("{} question", s(&q["type"]));
    if !choices.is_empty() {
        out.push_str(&format!(
            " with {} choice(s), correct: [{}]",
            choices.len(),
            choices
                .iter()
                .filter(|c| gift_correct(c))
                .map(|c| format!("`{}`", short(s(&c["text"]))))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

fn last_chars(t: &str, n: usize) -> String {
    let count = t.chars().count();
    t.chars().skip(count.saturating_sub(n)).collect()
}

fn gift_correct(c: &Value) -> bool {
    c["isCorrect"].as_bool() == Some(true) || c["weight"].as_f64().is_some_and(|w| w > 0.0)
}

fn gift_differences(stem: &str, expected: &GiftQuestion, q: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let read_stem = norm(s(&q["stem"]));
    if !read_stem.ends_with(&norm(stem)) {
        diffs.push(format!(
            "stem ending `{}`, read as `{}`",
            short(&last_chars(&norm(stem), 60)),
            short(&last_chars(&read_stem, 60))
        ));
    }
    let ty = s(&q["type"]);
    match expected {
        GiftQuestion::Choice { choices, weighted } => {
            if ty != "MC" {
                return vec![format!(
                    "a multiple-choice question, read as {}",
                    gift_reading(q)
                )];
            }
            let read = arr(&q["choices"]);
            if read.len() != choices.len() {
                diffs.push(format!("{} choices, read as {}", choices.len(), read.len()));
            }
            for (i, ((text, correct, note), c)) in choices.iter().zip(read).enumerate() {
                let n = i + 1;
                if gift_correct(c) != *correct {
                    diffs.push(format!(
                        "choice {n} `{}` is {}, read as {} (isCorrect {}, weight {})",
                        short(text),
                        if *correct { "right" } else { "wrong" },
                        if gift_correct(c) { "right" } else { "wrong" },
                        c["isCorrect"],
                        c["weight"]
                    ));
                }
                if norm(s(&c["text"])) != norm(text) {
                    diffs.push(format!(
                        "choice {n} text `{}`, read as `{}`",
                        short(text),
                        short(s(&c["text"]))
                    ));
                }
                if norm(s(&c["feedback"])) != norm(note) {
                    diffs.push(format!(
                        "choice {n} feedback `{}`, read as `{}`",
                        short(note),
                        short(s(&c["feedback"]))
                    ));
                }
            }
            if *weighted {
                let total: f64 = read
                    .iter()
                    .filter_map(|c| c["weight"].as_f64())
                    .filter(|w| *w > 0.0)
                    .sum();
                if (total - 100.0).abs() > 0.01 {
                    diffs.push(format!("right answers weigh {total}%, not 100%"));
                }
            }
        }
        GiftQuestion::TrueFalse { answer } => {
            if ty != "TF" {
                diffs.push(format!(
                    "a true/false question, read as {}",
                    gift_reading(q)
                ));
            } else if q["isTrue"].as_bool() != Some(*answer) {
                diffs.push(format!("answer {answer}, read as {}", q["isTrue"]));
            }
        }
        GiftQuestion::Matching { pairs } => {
            if ty != "Matching" {
                diffs.push(format!("a matching question, read as {}", gift_reading(q)));
            } else {
                let read: Vec<(String, String)> = arr(&q["pairs"])
                    .iter()
                    .map(|p| (norm(s(&p["subquestion"])), norm(s(&p["subanswer"]))))
                    .collect();
                let want: Vec<(String, String)> =
                    pairs.iter().map(|(a, b)| (norm(a), norm(b))).collect();
                if read != want {
                    diffs.push(format!("pairs {want:?}, read as {read:?}"));
                }
            }
        }
    }
    diffs
}

#[test]
fn gift_export_is_read_by_gift_pegjs_as_the_same_questions() {
    let json = match peers() {
        Peers::Skipped(why) => {
            eprintln!("skipped: {why}");
            return;
        }
        Peers::Read(json) => json,
    };
    let gift = &json["gift"];
    assert!(
        gift["error"].is_null(),
        "gift-pegjs cannot parse the export: {}",
        gift["error"]
    );
    let expected: Vec<Expected> = bank_items().iter().flat_map(gift_expected).collect();
    let read = arr(&gift["questions"]);
    let mut by_title: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for q in read {
        by_title.entry(s(&q["title"])).or_default().push(q);
    }

    let mut problems: Vec<String> = Vec::new();
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (id, stem, question) in &expected {
        let kind = match question {
            GiftQuestion::Choice {
                weighted: false, ..
            } => "single choice",
            GiftQuestion::Choice { weighted: true, .. } => "multiple choice (weights)",
            GiftQuestion::TrueFalse { .. } => "true/false",
            GiftQuestion::Matching { .. } => "matching",
        };
        let tally = by_kind.entry(kind).or_default();
        tally.0 += 1;
        let diffs = match by_title.get(id.as_str()).map(Vec::as_slice) {
            Some([q]) => gift_differences(stem, question, q),
            Some(several) => vec![format!("{} questions with this title", several.len())],
            None => vec!["no question with this title".to_string()],
        };
        if diffs.is_empty() {
            tally.1 += 1;
        } else {
            problems.push(format!("{id}: {}", diffs.join("; ")));
        }
    }
    let wanted: BTreeSet<&str> = expected.iter().map(|(id, ..)| id.as_str()).collect();
    for title in by_title.keys().filter(|t| !wanted.contains(*t)) {
        problems.push(format!(
            "{title}: read by gift-pegjs, but no such item should be exported"
        ));
    }
    let decoded = read
        .iter()
        .flat_map(|q| arr(&q["pairs"]))
        .filter(|p| p["subanswer"] != p["subanswerAsParsed"])
        .count();
    eprintln!(
        "GIFT: {} questions expected, {} read by gift-pegjs ({} categories; {decoded} matching \
         answer(s) with gift-pegjs's escape placeholders turned back)",
        expected.len(),
        read.len(),
        gift["categories"]
    );
    for (kind, (n, same)) in &by_kind {
        eprintln!("  {kind}: {same} of {n} read as exported");
    }
    if read.len() != expected.len() {
        problems.push(format!(
            "{} questions exported, gift-pegjs read {}",
            expected.len(),
            read.len()
        ));
    }
    assert!(
        problems.is_empty(),
        "gift-pegjs reads {} question(s) otherwise than certprep exported them:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// QTI 3.0

/// What a QTI item should hold: its interactions, choice identifiers, correct responses
/// (sorted unless ordered) and the points a right answer is worth.
#[derive(Debug)]
struct QtiItem {
    identifier: String,
    interactions: Vec<&'static str>,
    choices: BTreeSet<String>,
    /// response identifier → (cardinality, correct values)
    responses: BTreeMap<String, (&'static str, Vec<String>)>,
    max_points: f64,
}

fn qti_expected(item: &Value) -> QtiItem {
    let id = s(&item["id"]);
    let identifier = if id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.to_string()
    } else {
        format!("item-{id}")
    };
    let (kind, b) = body(item);
    let labels = |list: &Value| -> Vec<String> {
        arr(list)
            .iter()
            .map(|c| s(&c["label"]).to_string())
            .collect()
    };
    let correct_labels = |list: &Value| -> Vec<String> {
        arr(list)
            .iter()
            .filter(|c| c["correct"].as_bool() == Some(true))
            .map(|c| s(&c["label"]).to_string())
            .collect()
    };
    let one = |cardinality: &'static str, values: Vec<String>| {
        BTreeMap::from([("RESPONSE".to_string(), (cardinality, values))])
    };
    let count = |v: &Value| arr(v).len() as f64;
    let (interactions, choices, responses, max_points): (Vec<&str>, Vec<String>, _, f64) =
        match kind {
            "single" => (
                vec!["qti-choice-interaction"],
                labels(&b["options"]),
                one("single", correct_labels(&b["options"])),
                1.0,
            ),
            "multiple" => (
                vec!["qti-choice-interaction"],
                labels(&b["options"]),
                one("multiple", correct_labels(&b["options"])),
                b["choose"].as_f64().unwrap_or(0.0),
            ),
            "order" => {
                let mut used: Vec<(u64, String)> = arr(&b["actions"])
                    .iter()
                    .filter_map(|a| {
                        a["position"]
                            .as_u64()
                            .map(|p| (p, s(&a["label"]).to_string()))
                    })
                    .collect();
                used.sort();
                // `match_correct` scores an order all or nothing: the export declares 1 point.
                (
                    vec!["qti-order-interaction"],
                    labels(&b["actions"]),
                    one("ordered", used.into_iter().map(|(_, l)| l).collect()),
                    1.0,
                )
            }
            "match" => {
                let targets = arr(&b["targets"]);
                let mut choices: Vec<String> =
                    (1..=targets.len()).map(|i| format!("T{i}")).collect();
                choices.extend(labels(&b["sources"]));
                (
                    vec!["qti-match-interaction"],
                    choices,
                    one(
                        "multiple",
                        targets
                            .iter()
                            .enumerate()
                            .map(|(i, t)| format!("T{} {}", i + 1, s(&t["key"])))
                            .collect(),
                    ),
                    count(&b["targets"]),
                )
            }
            "yesno" => {
                let statements = arr(&b["statements"]);
                let mut choices: Vec<String> =
                    (1..=statements.len()).map(|i| format!("S{i}")).collect();
                choices.extend(["Y".to_string(), "N".to_string()]);
                (
                    vec!["qti-match-interaction"],
                    choices,
                    one(
                        "multiple",
                        statements
                            .iter()
                            .enumerate()
                            .map(|(i, st)| {
                                let yes = st["answer"].as_bool() == Some(true);
                                format!("S{} {}", i + 1, if yes { "Y" } else { "N" })
                            })
                            .collect(),
                    ),
                    count(&b["statements"]),
                )
            }
            "dropdown" => {
                let slots = arr(&b["slots"]);
                let mut choices = Vec::new();
                let mut responses = BTreeMap::new();
                for slot in slots {
                    let n = slot["number"].as_u64().unwrap_or(0);
                    let rid = if slots.len() == 1 {
                        "RESPONSE".to_string()
                    } else {
                        format!("RESPONSE_{n}")
                    };
                    choices.extend(labels(&slot["choices"]).iter().map(|l| format!("S{n}{l}")));
                    let correct = correct_labels(&slot["choices"])
                        .iter()
                        .map(|l| format!("S{n}{l}"))
                        .collect();
                    responses.insert(rid, ("single", correct));
                }
                (
                    vec!["qti-inline-choice-interaction"; slots.len()],
                    choices,
                    responses,
                    slots.len() as f64,
                )
            }
            "solution" => {
                let yes = b["statement"]["answer"].as_bool() == Some(true);
                (
                    vec!["qti-choice-interaction"],
                    vec!["Y".into(), "N".into()],
                    one("single", vec![if yes { "Y" } else { "N" }.into()]),
                    1.0,
                )
            }
            other => panic!("item {id}: unknown type {other}"),
        };
    let mut responses: BTreeMap<String, (&'static str, Vec<String>)> = responses;
    for (cardinality, values) in responses.values_mut() {
        if *cardinality != "ordered" {
            values.sort();
        }
    }
    QtiItem {
        identifier,
        interactions,
        choices: choices.into_iter().collect(),
        responses,
        max_points,
    }
}

/// A response value as the player holds it: a string, or a list.
fn values(v: &Value) -> Vec<String> {
    match v {
        Value::String(one) => vec![one.clone()],
        Value::Array(list) => list.iter().map(|x| s(x).to_string()).collect(),
        _ => vec![],
    }
}

fn qti_differences(want: &QtiItem, got: &Value) -> Vec<String> {
    if !got["error"].is_null() {
        return vec![format!("not loaded: {}", s(&got["error"]))];
    }
    let mut diffs = Vec::new();
    if s(&got["playerElement"]) != "QtiAssessmentItem" {
        diffs.push(format!("loaded as {}", got["playerElement"]));
    }
    if !arr(&got["unknownElements"]).is_empty() {
        diffs.push(format!(
            "elements the player does not know: {}",
            got["unknownElements"]
        ));
    }
    let log = arr(&got["log"]);
    if !log.is_empty() {
        diffs.push(format!(
            "the player complained: {}",
            Value::from(log.to_vec())
        ));
    }
    let interactions: Vec<&str> = arr(&got["interactions"])
        .iter()
        .map(|i| s(&i["type"]))
        .collect();
    if interactions != want.interactions {
        diffs.push(format!(
            "interactions {:?}, loaded {interactions:?}",
            want.interactions
        ));
    }
    if let Some(i) = arr(&got["interactions"])
        .iter()
        .find(|i| s(&i["element"]) == "HTMLElement" || s(&i["element"]).is_empty())
    {
        diffs.push(format!(
            "{} is not one of the player's interactions",
            i["type"]
        ));
    }
    let choices: BTreeSet<String> = arr(&got["interactions"])
        .iter()
        .flat_map(|i| arr(&i["choices"]))
        .map(|c| s(&c["identifier"]).to_string())
        .collect();
    if choices != want.choices {
        diffs.push(format!("choices {:?}, loaded {choices:?}", want.choices));
    }
    let mut responses: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for r in arr(&got["responses"]) {
        let cardinality = s(&r["cardinality"]).to_string();
        let mut v = values(&r["correctResponse"]);
        if cardinality != "ordered" {
            v.sort();
        }
        responses.insert(s(&r["identifier"]).to_string(), (cardinality, v));
    }
    let want_responses: BTreeMap<String, (String, Vec<String>)> = want
        .responses
        .iter()
        .map(|(k, (c, v))| (k.clone(), (c.to_string(), v.clone())))
        .collect();
    if responses != want_responses {
        diffs.push(format!(
            "correct responses {want_responses:?}, the player registered {responses:?}"
        ));
    }
    let max = got["maxScore"].as_f64();
    if max != Some(want.max_points) {
        diffs.push(format!(
            "MAXSCORE {}, the bank gives {} point(s)",
            got["maxScore"], want.max_points
        ));
    }
    if got["scoreWithCorrect"].as_f64() != max {
        diffs.push(format!(
            "the correct response scores {} by the item's response processing, of MAXSCORE {}",
            got["scoreWithCorrect"], got["maxScore"]
        ));
    }
    if got["scoreWithNone"].as_f64() != Some(0.0) {
        diffs.push(format!("no response scores {}", got["scoreWithNone"]));
    }
    let ordered = want.responses.values().any(|(c, _)| *c == "ordered");
    if !ordered && got["scoreWithCorrectReversed"].as_f64() != max {
        diffs.push(format!(
            "the correct response in another order scores {}",
            got["scoreWithCorrectReversed"]
        ));
    }
    diffs
}

#[test]
fn qti_package_is_loaded_by_a_qti3_player_with_the_same_keys() {
    let json = match peers() {
        Peers::Skipped(why) => {
            eprintln!("skipped: {why}");
            return;
        }
        Peers::Read(json) => json,
    };
    let qti = &json["qti"];
    assert!(
        qti["error"].is_null(),
        "the QTI package cannot be read: {}",
        qti["error"]
    );
    let expected: Vec<QtiItem> = bank_items().iter().map(qti_expected).collect();
    let loaded = arr(&qti["items"]);
    let by_identifier: BTreeMap<&str, &Value> =
        loaded.iter().map(|i| (s(&i["identifier"]), i)).collect();

    let mut problems = Vec::new();
    let mut by_interaction: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for want in &expected {
        let tally = by_interaction
            .entry(
                want.interactions
                    .first()
                    .copied()
                    .unwrap_or("none")
                    .to_string(),
            )
            .or_default();
        tally.0 += 1;
        let diffs = match by_identifier.get(want.identifier.as_str()) {
            Some(got) => qti_differences(want, got),
            None => {
                vec!["not in the package's manifest, or not loaded under this identifier".into()]
            }
        };
        if diffs.is_empty() {
            tally.1 += 1;
        } else {
            problems.push(format!("{}: {}", want.identifier, diffs.join("; ")));
        }
    }
    if loaded.len() != expected.len() {
        problems.push(format!(
            "{} items exported, the manifest lists {}",
            expected.len(),
            loaded.len()
        ));
    }
    // The test the manifest names refers to every item once.
    let tests = arr(&qti["tests"]);
    let want_refs: BTreeSet<&str> = expected.iter().map(|w| w.identifier.as_str()).collect();
    match tests {
        [test] => {
            if !test["error"].is_null() {
                problems.push(format!("assessment test not read: {}", test["error"]));
            }
            let refs: Vec<&str> = arr(&test["items"])
                .iter()
                .map(|i| s(&i["identifier"]))
                .collect();
            let set: BTreeSet<&str> = refs.iter().copied().collect();
            if set != want_refs || refs.len() != set.len() {
                problems.push(format!(
                    "the assessment test refers to {} item(s) ({} distinct), not the {} exported",
                    refs.len(),
                    set.len(),
                    want_refs.len()
                ));
            }
        }
        _ => problems.push(format!(
            "{} assessment tests in the manifest, not 1",
            tests.len()
        )),
    }
    eprintln!(
        "QTI 3.0: {} items exported, {} loaded by the player",
        expected.len(),
        loaded.len()
    );
    for (interaction, (n, same)) in &by_interaction {
        eprintln!("  {interaction}: {same} of {n} loaded and scored as exported");
    }
    assert!(
        problems.is_empty(),
        "the QTI 3 player reads {} item(s) otherwise than certprep exported them:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
