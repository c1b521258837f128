//! End to end: the real binary's terminal app in tmux at 80×24, driven with send-keys and read
//! with capture-pane, through a short exam from the first item to the results screen.

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("tmux: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Waits until the screen contains `text` (the app redraws at least every 250 ms).
fn wait_for(socket: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let screen = tmux(&["-L", socket, "capture-pane", "-p", "-t", "e2e"]);
        if screen.contains(text) {
            return screen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {text:?}; screen:\n{screen}"
        );
        sleep(Duration::from_millis(100));
    }
}

fn keys(socket: &str, keys: &[&str]) {
    for k in keys {
        tmux(&["-L", socket, "send-keys", "-t", "e2e", k]);
        sleep(Duration::from_millis(120));
    }
}

#[test]
fn a_short_exam_in_the_terminal_app() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var("CI").is_err(), "tmux is required under CI");
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bin = assert_cmd::cargo::cargo_bin("certprep");
    let id = exam_whose_fourth_item_can_be_marked(&bin, dir.path());
    let socket = format!("certprep-e2e-{}", std::process::id());
    let command = format!(
        "CERTPREP_DATA_DIR={} {} tui --session {id}",
        dir.path().display(),
        bin.display()
    );
    tmux(&[
        "-L",
        &socket,
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        &command,
    ]);
    let screen = wait_for(&socket, "item 1/20");
    assert!(
        screen.contains("left"),
        "the exam clock is shown:\n{screen}"
    );
    // Answer three items: space picks the first choice (or flips Yes/No), y answers Yes.
    for n in 1..=3 {
        keys(&socket, &["Space", "y", "Enter"]);
        wait_for(&socket, &format!("{n} answered"));
        keys(&socket, &["Right"]);
    }
    keys(&socket, &["m"]);
    wait_for(&socket, "Marked for review.");
    keys(&socket, &["v"]);
    let review = wait_for(&socket, "Review ·");
    assert!(
        review.contains("UNANSWERED") && review.contains("★ marked"),
        "{review}"
    );
    keys(&socket, &["Escape", "S"]);
    wait_for(&socket, "Submit the session?");
    keys(&socket, &["y"]);
    let results = wait_for(&socket, "Skill areas");
    assert!(
        results.contains("Score") && results.contains("/ 1000"),
        "{results}"
    );
    assert!(results.contains("3 of 20 answered"), "{results}");
    keys(&socket, &["h"]);
    wait_for(&socket, "Score trend");
    // Home: readiness from the three answers, and what to do next.
    keys(&socket, &["q"]);
    let home = wait_for(&socket, "Pass probability");
    assert!(
        home.contains("from 3 items") && home.contains("Next: "),
        "{home}"
    );
    keys(&socket, &["p"]);
    wait_for(&socket, "Readiness · AI-103");
    keys(&socket, &["q"]);
    wait_for(&socket, "Recent sessions");
    keys(&socket, &["q"]);
    sleep(Duration::from_millis(500));
    tmux(&["-L", &socket, "kill-server"]);
    // The submission is in the store.
    let history = Command::new(&bin)
        .env("CERTPREP_DATA_DIR", dir.path())
        .args(["history", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let history: serde_json::Value =
        serde_json::from_slice(&history.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        history[0]["outcome"]["scaled_score"].is_number(),
        "{history}"
    );
}

#[test]
fn the_adaptive_check_in_the_terminal_app() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var("CI").is_err(), "tmux is required under CI");
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bin = assert_cmd::cargo::cargo_bin("certprep");
    let socket = format!("certprep-e2e-adaptive-{}", std::process::id());
    let command = format!(
        "CERTPREP_DATA_DIR={} {} tui",
        dir.path().display(),
        bin.display()
    );
    tmux(&[
        "-L",
        &socket,
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        &command,
    ]);
    wait_for(&socket, "Readiness: answer some items first");
    keys(&socket, &["a"]);
    wait_for(&socket, "Adaptive readiness check · item 1 of at most 30");
    // Answer until the check decides: each answer brings the next item, at most 30.
    let mut decided = false;
    for n in 1..=30 {
        keys(&socket, &["Space", "y", "a", "Enter"]);
        let screen = wait_for_any(
            &socket,
            &[&format!("item {} of at most 30", n + 1), "Adaptive check:"],
        );
        if screen.contains("Adaptive check:") {
            decided = true;
            break;
        }
    }
    assert!(decided, "the check did not decide within 30 items");
    let results = wait_for(&socket, "Results · AI-103 · adaptive");
    assert!(results.contains("Score"), "{results}");
    keys(&socket, &["q", "q"]);
    sleep(Duration::from_millis(500));
    tmux(&["-L", &socket, "kill-server"]);
}

/// Starts 20-item exams until the first three items are single choice (one key press answers
/// them completely) and the fourth is one a candidate may mark (not part of a yes/no series), so
/// the test does not depend on how the seeded form falls for today's bank.
fn exam_whose_fourth_item_can_be_marked(bin: &std::path::Path, data: &std::path::Path) -> String {
    let files = certprep_content::files()
        .map(|f| certprep_bank::Source::new(f.path, f.text))
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let library = certprep_bank::load(&[files], today, 0).library;
    for seed in 1..300 {
        let out = Command::new(bin)
            .env("CERTPREP_DATA_DIR", data)
            .args([
                "session", "start", "--exam", "ai-103", "--mode", "exam", "--count", "20",
            ])
            .args(["--seed", &seed.to_string(), "--json"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let start: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        let item = |n: usize| {
            library
                .bank
                .item(start["items"][n].as_str().unwrap_or_default())
        };
        let in_series = item(3)
            .is_some_and(|i| matches!(i.group, Some(certprep_domain::item::Membership::Series(_))));
        let singles =
            (0..3).all(|n| item(n).is_some_and(|i| i.kind() == certprep_domain::ItemKind::Single));
        if !in_series && singles {
            return start["session_id"].as_str().unwrap_or_default().to_string();
        }
    }
    panic!("no seed below 300 gives three single-choice items and a markable fourth");
}

/// Waits until the screen contains one of `texts`.
fn wait_for_any(socket: &str, texts: &[&str]) -> String {
    let start = Instant::now();
    loop {
        let screen = tmux(&["-L", socket, "capture-pane", "-p", "-t", "e2e"]);
        if texts.iter().any(|t| screen.contains(t)) {
            return screen;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {texts:?}; screen:\n{screen}"
        );
        sleep(Duration::from_millis(100));
    }
}
