//! The scriptable session interface and its durability, driven through the real binary.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Std, Stdio};

use assert_cmd::Command;
use certprep_bank::Source;
use certprep_bank::load::{Library, load};
use certprep_domain::grading::key;
use serde_json::Value;

fn library() -> Library {
    let files = certprep_content::files()
        .map(|f| Source::new(f.path, f.text))
        .collect();
    load(
        &[files],
        chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        0,
    )
    .library
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        }
    }
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("certprep").unwrap_or_else(|e| panic!("{e}"));
        c.env("CERTPREP_DATA_DIR", self.dir.path())
            .env("CERTPREP_TODAY", "2026-12-31");
        c
    }
    fn json(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
    }
    fn fails(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(1), "{args:?} should be refused");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

fn ids(view: &Value) -> Vec<String> {
    view["items"].as_array().map_or(vec![], |a| {
        a.iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    })
}

#[test]
fn start_show_answer_submit_in_exam_mode_reveals_no_key_until_submission() {
    let env = Env::new();
    let lib = library();
    let start = env.json(&[
        "session", "start", "--exam", "ai-103", "--mode", "exam", "--seed", "4", "--json",
    ]);
    let id = start["session_id"].as_str().unwrap_or_default().to_string();
    assert_eq!(start["mode"], "exam");
    assert!(start["deadline"].is_string());
    let items = ids(&start);
    assert!((40..=60).contains(&items.len()));
    assert_eq!(start["current"]["item_id"], items[0].as_str());
    // Answer the first three items correctly, with the key from the bank.
    for item_id in items.iter().take(3) {
        let item = lib
            .bank
            .item(item_id)
            .unwrap_or_else(|| panic!("{item_id}"));
        let answer = serde_json::to_string(&key(&item.body)).unwrap_or_default();
        let ack = env.json(&[
            "session", "answer", &id, item_id, "--answer", &answer, "--json",
        ]);
        assert_eq!(ack["accepted"], true);
        assert!(ack.get("result").is_none(), "no result in exam mode: {ack}");
    }
    // Nothing in the session's JSON reveals keys or explanations before submission.
    let shown = env
        .cmd()
        .args(["session", "show", &id, "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&shown.stdout);
    for item_id in &items {
        let item = lib
            .bank
            .item(item_id)
            .unwrap_or_else(|| panic!("{item_id}"));
        assert!(
            !text.contains(&item.explanation),
            "explanation of {item_id} leaked"
        );
    }
    assert!(
        !text.contains("\"feedback\"") && !text.contains("\"key\""),
        "{text}"
    );
    let report = env.json(&["session", "submit", &id, "--json"]);
    for field in ["scaled_score", "passed", "points", "max_points"] {
        assert!(!report[field].is_null(), "{field} missing");
    }
    assert_eq!(report["answered"], 3);
    let domains = report["domains"].as_array().cloned().unwrap_or_default();
    assert_eq!(domains.len(), 5);
    for d in &domains {
        for field in ["id", "title", "points", "max_points"] {
            assert!(!d[field].is_null(), "{field} missing in {d}");
        }
    }
    let history = env.json(&["history", "--json"]);
    assert_eq!(history[0]["id"], id.as_str());
    assert_eq!(
        history[0]["outcome"]["scaled_score"],
        report["scaled_score"]
    );
    assert!(
        env.fails(&["session", "answer", &id, &items[3], "--answer", "\"A\""])
            .contains("was submitted")
    );
}

#[test]
fn study_mode_answers_come_back_with_the_explanation() {
    let env = Env::new();
    let start = env.json(&[
        "session", "start", "--exam", "ai-103", "--mode", "study", "--count", "5", "--seed", "1",
        "--json",
    ]);
    let id = start["session_id"].as_str().unwrap_or_default().to_string();
    assert_eq!(start["deadline"], Value::Null);
    assert_eq!(ids(&start).len(), 5);
    let first = ids(&start)[0].clone();
    let lib = library();
    let item = lib.bank.item(&first).unwrap_or_else(|| panic!("{first}"));
    // The options are shown in an order drawn from the seed: answer with the letters shown.
    let answer =
        serde_json::to_string(&shown(&start["current"], item, key(&item.body))).unwrap_or_default();
    let ack = env.json(&[
        "session", "answer", &id, &first, "--answer", &answer, "--json",
    ]);
    assert_eq!(
        ack["result"]["feedback"]["explanation"],
        item.explanation.as_str()
    );
    assert_eq!(
        ack["result"]["feedback"]["points"],
        ack["result"]["feedback"]["max_points"]
    );
}

#[test]
fn custom_practice_retakes_only_what_was_missed() {
    let env = Env::new();
    let start = env.json(&[
        "session",
        "start",
        "--exam",
        "ai-103",
        "--mode",
        "custom",
        "--domain",
        "vision",
        "--count",
        "4",
        "--seed",
        "2",
        "--written-order",
        "--json",
    ]);
    let id = start["session_id"].as_str().unwrap_or_default().to_string();
    let items = ids(&start);
    let lib = library();
    // Get the first right and the second wrong.
    let right = lib.bank.item(&items[0]).unwrap_or_else(|| panic!("item"));
    env.json(&[
        "session",
        "answer",
        &id,
        &items[0],
        "--answer",
        &serde_json::to_string(&key(&right.body)).unwrap_or_default(),
        "--json",
    ]);
    let wrong = lib.bank.item(&items[1]).unwrap_or_else(|| panic!("item"));
    let wrong_answer = match key(&wrong.body) {
        certprep_domain::grading::Answer::Choice(c) => {
            format!("\"{}\"", if c == 'A' { 'B' } else { 'A' })
        }
        certprep_domain::grading::Answer::Bool(b) => (!b).to_string(),
        certprep_domain::grading::Answer::YesNo(v) => {
            serde_json::to_string(&v.iter().map(|x| x.map(|b| !b)).collect::<Vec<_>>())
                .unwrap_or_default()
        }
        certprep_domain::grading::Answer::Labels(v) => {
            serde_json::to_string(&vec![Option::<char>::None; v.len()]).unwrap_or_default()
        }
    };
    env.json(&[
        "session",
        "answer",
        &id,
        &items[1],
        "--answer",
        &wrong_answer,
        "--json",
    ]);
    env.json(&["session", "submit", &id, "--json"]);
    let retake = env.json(&[
        "session", "start", "--exam", "ai-103", "--mode", "custom", "--missed", "--json",
    ]);
    assert_eq!(ids(&retake), vec![items[1].clone()]);
    let err = env.fails(&[
        "session", "start", "--exam", "ai-103", "--mode", "custom", "--marked",
    ]);
    assert!(err.contains("no item matches the filters"), "{err}");
}

#[test]
fn exam_rules_are_enforced_with_clear_messages() {
    let env = Env::new();
    let lib = library();
    // Find a seed whose form has a series item in the main section and a case study.
    let (id, view) = (0..200)
        .find_map(|seed| {
            let v = env.json(&[
                "session",
                "start",
                "--exam",
                "ai-103",
                "--mode",
                "exam",
                "--seed",
                &seed.to_string(),
                "--json",
            ]);
            let lines = v["lines"].as_array().cloned().unwrap_or_default();
            let has_case = lines.iter().any(|l| l["section"] == 1);
            let has_series = ids(&v).iter().any(|i| {
                lib.bank.item(i).is_some_and(|it| {
                    matches!(it.group, Some(certprep_domain::item::Membership::Series(_)))
                })
            });
            (has_case && has_series)
                .then(|| (v["session_id"].as_str().unwrap_or_default().to_string(), v))
        })
        .unwrap_or_else(|| panic!("no suitable form"));
    let items = ids(&view);
    let series_item = items
        .iter()
        .find(|i| {
            lib.bank.item(i).is_some_and(|it| {
                matches!(it.group, Some(certprep_domain::item::Membership::Series(_)))
            })
        })
        .cloned()
        .unwrap_or_default();
    env.json(&[
        "session",
        "answer",
        &id,
        &series_item,
        "--answer",
        "true",
        "--json",
    ]);
    let err = env.fails(&["session", "answer", &id, &series_item, "--answer", "false"]);
    assert!(
        err.contains("series items cannot be revisited or changed"),
        "{err}"
    );
    let err = env.fails(&["session", "mark", &id, &series_item]);
    assert!(err.contains("not marked for review"), "{err}");
    let lines = view["lines"].as_array().cloned().unwrap_or_default();
    let case_item = lines
        .iter()
        .find(|l| l["section"] == 1)
        .and_then(|l| l["item_id"].as_str())
        .unwrap_or_default()
        .to_string();
    env.json(&["session", "goto", &id, &case_item, "--json"]);
    let err = env.fails(&["session", "goto", &id, &items[0]]);
    assert!(err.contains("a section locks once you leave it"), "{err}");
    let err = env.fails(&["session", "pause", &id]);
    assert!(err.contains("cannot be paused"), "{err}");
}

#[test]
fn the_deadline_submits_automatically() {
    let env = Env::new();
    let start = env.json(&[
        "session", "start", "--exam", "ai-103", "--mode", "exam", "--seed", "8", "--json",
    ]);
    let id = start["session_id"].as_str().unwrap_or_default().to_string();
    let deadline: chrono::DateTime<chrono::Utc> = start["deadline"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let later = (deadline + chrono::Duration::seconds(1)).to_rfc3339();
    let mut cmd = env.cmd();
    let out = cmd
        .env("CERTPREP_NOW", &later)
        .args(["session", "show", &id, "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let view: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(view["status"], "submitted");
    let history = env.json(&["history", "--json"]);
    assert!(history[0]["outcome"].is_object(), "{history}");
}

#[test]
fn killed_with_sigkill_after_acknowledged_answers_loses_none() {
    let env = Env::new();
    let lib = library();
    let start = env.json(&[
        "session", "start", "--exam", "ai-103", "--mode", "exam", "--seed", "21", "--json",
    ]);
    let id = start["session_id"].as_str().unwrap_or_default().to_string();
    let deadline = start["deadline"].clone();
    let lines = start["lines"].as_array().cloned().unwrap_or_default();
    let main: Vec<String> = lines
        .iter()
        .filter(|l| l["section"] == 0)
        .filter_map(|l| l["item_id"].as_str().map(String::from))
        .collect();
    let n = 12;
    let bin = assert_cmd::cargo::cargo_bin("certprep");
    let mut child = Std::new(bin)
        .env("CERTPREP_DATA_DIR", env.dir.path())
        .args(["session", "answer", &id, "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("stdin"));
    let mut acks = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("stdout"))).lines();
    for item_id in main.iter().take(n) {
        let item = lib
            .bank
            .item(item_id)
            .unwrap_or_else(|| panic!("{item_id}"));
        writeln!(
            stdin,
            "{item_id} {}",
            serde_json::to_string(&key(&item.body)).unwrap_or_default()
        )
        .unwrap_or_else(|e| panic!("{e}"));
        stdin.flush().unwrap_or_else(|e| panic!("{e}"));
        let ack = acks
            .next()
            .unwrap_or_else(|| panic!("no ack"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(ack.contains("\"accepted\":true"), "{ack}");
    }
    // SIGKILL: no chance to flush or clean up.
    child.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = child.wait();
    let view = env.json(&["session", "show", &id, "--json"]);
    assert_eq!(view["answered"], n);
    assert_eq!(view["status"], "in_progress");
    assert_eq!(
        view["deadline"], deadline,
        "the exam resumes with the same deadline"
    );
    let answered: Vec<&str> = view["lines"].as_array().map_or(vec![], |a| {
        a.iter()
            .filter(|l| l["answered"] == true)
            .filter_map(|l| l["item_id"].as_str())
            .collect()
    });
    assert_eq!(
        answered,
        main.iter().take(n).map(String::as_str).collect::<Vec<_>>()
    );
}

/// The learning commands through the binary: an adaptive check to its verdict, then readiness,
/// the review queue, the exam date, what next, calibration and item analysis, each as JSON.
#[test]
fn learning_commands_print_what_they_promise() {
    let env = Env::new();
    let lib = library();
    let started = env.json(&[
        "session", "start", "--exam", "ai-103", "--mode", "adaptive", "--seed", "4", "--json",
    ]);
    let id = started["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(started["mode"], "adaptive");
    assert_eq!(started["items"].as_array().map(Vec::len), Some(1));
    let mut view = started;
    let mut answered = 0;
    while view["status"] != "submitted" {
        let item = view["current"]["item_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let authored = lib.bank.item(&item).unwrap_or_else(|| panic!("{item}"));
        let answer = shown(&view["current"], authored, key(&authored.body));
        let json = serde_json::to_string(&answer).unwrap_or_default();
        env.json(&[
            "session",
            "answer",
            &id,
            &item,
            "--answer",
            &json,
            "--confidence",
            "high",
            "--json",
        ]);
        answered += 1;
        assert!(answered <= 30);
        view = env.json(&["session", "show", &id, "--json"]);
    }
    let report = env.json(&["session", "submit", &id, "--json"]);
    assert_eq!(report["adaptive"]["outcome"], "pass");
    assert_eq!(report["adaptive"]["items_used"], answered);

    let r = env.json(&["readiness", "--exam", "ai-103", "--json"]);
    let p = r["pass_probability"].as_f64().unwrap_or(-1.0);
    let low = r["interval"][0].as_f64().unwrap_or(2.0);
    let high = r["interval"][1].as_f64().unwrap_or(-1.0);
    assert!(low <= p && p <= high && (0.0..=1.0).contains(&p), "{r}");
    assert!(p > 0.5, "every answer right: {p}");
    assert!(r["theta"].as_f64().is_some() && r["se"].as_f64().is_some_and(|se| se > 0.0));
    assert_eq!(r["items_answered"], answered);
    let domains = r["domains"].as_array().cloned().unwrap_or_default();
    assert_eq!(domains.len(), 5);
    assert!(
        domains
            .iter()
            .all(|d| d["id"].is_string() && d["theta"].is_number() && d["se"].is_number())
    );

    let queue = env.json(&["review", "--exam", "ai-103", "--json"]);
    assert_eq!(queue["studied"], answered);
    assert!(
        queue["due"].as_array().is_some_and(Vec::is_empty),
        "nothing due on the day"
    );
    assert!(
        env.fails(&["review", "--exam", "ai-103", "--start"])
            .contains("nothing is due")
    );

    assert!(
        env.fails(&["plan", "--exam", "ai-103", "--date", "2026-01-01"])
            .contains("in the past")
    );
    let plan = env.json(&["plan", "--exam", "ai-103", "--date", "2027-01-15", "--json"]);
    assert_eq!(plan["exam_date"], "2027-01-15");
    let next = env.json(&["next", "--exam", "ai-103", "--json"]);
    assert!(
        next["kind"].is_null() && next["activity"]["kind"].is_string(),
        "{next}"
    );
    assert!(
        next["command"]
            .as_str()
            .is_some_and(|c| c.starts_with("certprep "))
    );

    let calibration = env.json(&["calibrate", "--json"]);
    assert_eq!(calibration["candidates"], 1);
    assert_eq!(calibration["items"], answered);
    let health = env.json(&["bank", "health", "--json"]);
    assert_eq!(health["attempts"], answered);
    assert!(
        health["items"]
            .as_array()
            .is_some_and(|i| i.iter().all(|x| x["insufficient_data"] == true))
    );
}

/// An answer in the author's letters, in the letters of the presented item (`current` of the
/// session JSON): each authored label is found by its text among the parts as shown.
fn shown(
    presented: &Value,
    item: &certprep_domain::item::Item,
    authored: certprep_domain::grading::Answer,
) -> certprep_domain::grading::Answer {
    use certprep_domain::grading::Answer;
    use certprep_domain::item::ItemBody;
    let authored_text = |label: char, slot: Option<usize>| -> String {
        let text = match (&item.body, slot) {
            (ItemBody::Single { options } | ItemBody::Multiple { options, .. }, _) => options
                .iter()
                .find(|o| o.label == label)
                .map(|o| o.text.clone()),
            (ItemBody::Order { actions }, _) => actions
                .iter()
                .find(|a| a.label == label)
                .map(|a| a.text.clone()),
            (ItemBody::Match { sources, .. }, _) => sources
                .iter()
                .find(|s| s.label == label)
                .map(|s| s.text.clone()),
            (ItemBody::Dropdown { slots }, Some(k)) => slots.get(k).and_then(|s| {
                s.choices
                    .iter()
                    .find(|c| c.label == label)
                    .map(|c| c.text.clone())
            }),
            _ => None,
        };
        text.unwrap_or_else(|| panic!("{} has no part {label}", item.id))
    };
    let shown_label = |label: char, slot: Option<usize>| -> char {
        let text = authored_text(label, slot);
        let parts = match slot {
            Some(k) => presented["slots"][k]["choices"].clone(),
            None => ["options", "actions", "sources"]
                .iter()
                .map(|f| presented[f].clone())
                .find(|v| v.is_array())
                .unwrap_or(Value::Null),
        };
        parts
            .as_array()
            .and_then(|a| a.iter().find(|p| p["text"] == text.as_str()))
            .and_then(|p| p["label"].as_str())
            .and_then(|l| l.chars().next())
            .unwrap_or_else(|| panic!("{text:?} is not shown in {presented}"))
    };
    let dropdown = matches!(item.body, ItemBody::Dropdown { .. });
    match authored {
        Answer::Choice(c) => Answer::Choice(shown_label(c, None)),
        Answer::Labels(v) => Answer::Labels(
            v.into_iter()
                .enumerate()
                .map(|(i, l)| l.map(|c| shown_label(c, dropdown.then_some(i))))
                .collect(),
        ),
        other => other,
    }
}

/// `--stdin` answers every valid line, reports each bad one as JSON with its line number, and
/// exits 1 at the end when any line was refused.
#[test]
fn stdin_answers_every_valid_line_and_reports_each_bad_one() {
    let env = Env::new();
    let start = env.json(&[
        "session",
        "start",
        "--exam",
        "ai-103",
        "--mode",
        "study",
        "--count",
        "3",
        "--seed",
        "5",
        "--written-order",
        "--json",
    ]);
    let id = start["session_id"].as_str().unwrap_or_default().to_string();
    let items = ids(&start);
    let lib = library();
    let answer = |n: usize| {
        let item = lib
            .bank
            .item(&items[n])
            .unwrap_or_else(|| panic!("{}", items[n]));
        serde_json::to_string(&key(&item.body)).unwrap_or_default()
    };
    let input = format!(
        "{} {}\nno-json-here\n{} not json\n\nnot-an-item \"A\"\n{} {}\n",
        items[0],
        answer(0),
        items[1],
        items[2],
        answer(2)
    );
    let out = env
        .cmd()
        .args(["session", "answer", &id, "--stdin"])
        .write_stdin(input)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused line makes the exit status 1"
    );
    let replies: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(
        replies.len(),
        5,
        "one reply per non-empty line: {replies:?}"
    );
    assert_eq!(replies[0]["accepted"], true);
    assert_eq!(replies[1]["line"], 2);
    assert!(
        replies[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("expected `ITEM_ID JSON`")),
        "{}",
        replies[1]
    );
    assert_eq!(replies[2]["line"], 3);
    assert!(
        replies[2]["error"]
            .as_str()
            .is_some_and(|e| e.contains("as JSON"))
    );
    assert_eq!(replies[3]["line"], 5, "the blank line still counts");
    assert_eq!(replies[3]["input"], "not-an-item \"A\"");
    assert_eq!(
        replies[4]["accepted"], true,
        "lines after a bad one are answered"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3 line(s) refused"), "{stderr}");
    let view = env.json(&["session", "show", &id, "--json"]);
    assert_eq!(view["answered"], 2);
}

/// `certprep dispute` once the answer was shown, `disputes` with its filters, `disputes
/// resolve`, and the reporter's view with `--mine`; bad input exits 1 with the reason.
#[test]
fn disputes_from_the_command_line() {
    let env = Env::new();
    let start = env.json(&[
        "session", "start", "--exam", "ai-103", "--mode", "study", "--count", "1", "--seed", "4",
        "--json",
    ]);
    let id = start["session_id"].as_str().unwrap_or_default().to_string();
    let item = ids(&start)[0].clone();
    let err = env.fails(&["dispute", &item, "--kind", "typo", "--note", "a typo in B"]);
    assert!(err.contains("once its answer has been shown"), "{err}");
    let err = env.fails(&["dispute", &item, "--kind", "sideways", "--note", "x"]);
    assert!(err.contains("unknown kind `sideways`"), "{err}");
    // Answer it (any valid answer), then report it.
    let lib = library();
    let body = &lib
        .bank
        .item(&item)
        .unwrap_or_else(|| panic!("{item}"))
        .body;
    let answer = serde_json::to_string(&key(body)).unwrap_or_default();
    env.json(&[
        "session", "answer", &id, &item, "--answer", &answer, "--json",
    ]);
    let filed = env.json(&[
        "dispute",
        &item,
        "--kind",
        "typo",
        "--note",
        "A typo in option B",
        "--json",
    ]);
    assert_eq!(filed["id"], 1);
    assert_eq!(filed["session_id"], id.as_str());
    let open = env.json(&["disputes", "--open", "--json"]);
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    let other_item = env.json(&["disputes", "--item", "no-such-item", "--json"]);
    assert_eq!(other_item.as_array().map(Vec::len), Some(0));
    let err = env.fails(&["disputes", "resolve", "1", "--as", "maybe", "--note", "n"]);
    assert!(err.contains("unknown resolution `maybe`"), "{err}");
    let err = env.fails(&["disputes", "resolve", "7", "--as", "fixed", "--note", "n"]);
    assert!(err.contains("no report #7"), "{err}");
    env.json(&[
        "disputes",
        "resolve",
        "1",
        "--as",
        "fixed",
        "--note",
        "Fixed in version 2",
        "--json",
    ]);
    assert_eq!(
        env.json(&["disputes", "--open", "--json"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let mine = env.json(&["disputes", "--mine", "--json"]);
    assert_eq!(mine[0]["resolution"], "fixed");
    assert_eq!(mine[0]["resolution_note"], "Fixed in version 2");
    let text = env
        .cmd()
        .args(["disputes", "--mine"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("→ fixed") && text.contains("Fixed in version 2"),
        "{text}"
    );
}
