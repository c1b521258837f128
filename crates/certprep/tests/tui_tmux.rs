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
    let screen = wait_for(&socket, "question 1/20");
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
        review.contains("UNANSWERED") && review.contains("★"),
        "{review}"
    );
    keys(&socket, &["Escape", "S"]);
    wait_for(&socket, "Finish now?");
    keys(&socket, &["y"]);
    let results = wait_for(&socket, "Skill areas");
    assert!(
        results.contains("Score") && results.contains("/ 1000"),
        "{results}"
    );
    assert!(results.contains("3 of 20 answered"), "{results}");
    keys(&socket, &["h"]);
    wait_for(&socket, "Mock exam scores");
    // Home: readiness from the three answers, and what to do next.
    keys(&socket, &["q"]);
    let home = wait_for(
        &socket,
        "Readiness: answer at least 20 questions first (3 so far)",
    );
    assert!(home.contains("Next: "), "{home}");
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
    wait_for(&socket, "Readiness: answer at least 20 questions first");
    keys(&socket, &["a"]);
    wait_for(&socket, "Readiness check · question 1 of at most 30");
    // Answer until the check decides: each answer brings the next item, at most 30.
    let mut decided = false;
    for n in 1..=30 {
        keys(&socket, &["Space", "y", "a", "Enter"]);
        let screen = wait_for_any(
            &socket,
            &[
                &format!("question {} of at most 30", n + 1),
                "Adaptive check:",
            ],
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
    session_where(bin, data, |item| {
        let in_series = item(3)
            .is_some_and(|i| matches!(i.group, Some(certprep_domain::item::Membership::Series(_))));
        let singles =
            (0..3).all(|n| item(n).is_some_and(|i| i.kind() == certprep_domain::ItemKind::Single));
        !in_series && singles
    })
}

/// Starts 20-item exams with successive seeds until `wanted` holds for the items drawn (looked
/// up by position in the embedded bank), and returns that session's id.
fn session_where(
    bin: &std::path::Path,
    data: &std::path::Path,
    wanted: impl for<'a> Fn(&'a dyn Fn(usize) -> Option<&'a certprep_domain::item::Item>) -> bool,
) -> String {
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
        if wanted(&item) {
            return start["session_id"].as_str().unwrap_or_default().to_string();
        }
    }
    panic!("no seed below 300 gives the items the test needs");
}

/// "Choose 2" refuses a third choice with the reason, in the real binary.
#[test]
fn a_choice_beyond_choose_n_is_refused_in_the_terminal_app() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bin = assert_cmd::cargo::cargo_bin("certprep");
    let id = session_where(&bin, dir.path(), |item| {
        item(0).is_some_and(|i| match &i.body {
            certprep_domain::item::ItemBody::Multiple { choose, options } => {
                u32::try_from(options.len()).is_ok_and(|n| n > *choose)
            }
            _ => false,
        })
    });
    let socket = format!("certprep-e2e-limit-{}", std::process::id());
    launch(&socket, dir.path(), &format!("--session {id}"));
    let screen = wait_for(&socket, "question 1/20");
    let choose: usize = screen
        .split("Choose ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no \"Choose N\" on\n{screen}"));
    for _ in 0..choose {
        keys(&socket, &["Space", "Down"]);
    }
    keys(&socket, &["Space"]);
    let refused = wait_for(
        &socket,
        &format!("Choose {choose}: clear a choice (space on it) before choosing another."),
    );
    assert_eq!(refused.matches("[x]").count(), choose, "{refused}");
    keys(&socket, &["q", "q"]);
    sleep(Duration::from_millis(500));
    tmux(&["-L", &socket, "kill-server"]);
}

/// Starts the terminal app in a detached tmux session of 80×24 on its own socket.
fn launch(socket: &str, data: &std::path::Path, args: &str) {
    let bin = assert_cmd::cargo::cargo_bin("certprep");
    let command = format!(
        "CERTPREP_DATA_DIR={} {} tui {args}",
        data.display(),
        bin.display()
    );
    tmux(&[
        "-L",
        socket,
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
}

fn tmux_missing() -> bool {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var("CI").is_err(), "tmux is required under CI");
        eprintln!("skipped: tmux is not installed");
        return true;
    }
    false
}

/// A full mock exam from the home screen: the overview first, leaving it for home (the clock
/// goes on, the exam is listed as unfinished), the help screen, resuming, the warning before the
/// standalone section locks, the case study's introduction and its tabs.
#[test]
fn a_full_mock_exam_in_the_terminal_app_from_the_overview_to_the_case_study() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let socket = format!("certprep-e2e-full-{}", std::process::id());
    launch(&socket, dir.path(), "");
    wait_for(&socket, "Exams");
    keys(&socket, &["e"]);
    wait_for(&socket, "Start a mock exam of AI-103 now?");
    keys(&socket, &["y"]);
    let overview = wait_for(&socket, "Sections, in order");
    assert!(overview.contains("Mock exam · overview"), "{overview}");
    let standalone = section_size(&overview, "1. Standalone questions (");
    let case = section_size(&overview, "2. Case study: ");
    assert!(standalone > 0 && case > 0, "{overview}");
    keys(&socket, &["Enter"]);
    wait_for(&socket, "question 1/");
    keys(&socket, &["q"]);
    let home = wait_for(&socket, "Unfinished");
    assert!(home.contains("its clock keeps running"), "{home}");
    keys(&socket, &["?"]);
    wait_for(&socket, "Keys · Home");
    keys(&socket, &["x", "r"]);
    wait_for(&socket, "question 1/");
    // To the last standalone question, then one more: the warning, and y leaves.
    for _ in 1..standalone {
        keys(&socket, &["Right"]);
    }
    wait_for(&socket, &format!("question {standalone}/"));
    keys(&socket, &["Right"]);
    let warning = wait_for(&socket, "Leave Standalone questions? It locks:");
    assert!(
        warning.contains(&format!("{standalone} unanswered")) || warning.contains("unanswered"),
        "{warning}"
    );
    keys(&socket, &["y"]);
    let intro = wait_for(
        &socket,
        "Once you leave the case study you cannot return to it.",
    );
    assert!(
        intro.contains(&format!("This case study has {case} question")),
        "{intro}"
    );
    keys(&socket, &["Enter"]);
    wait_for(&socket, " Question │ ");
    keys(&socket, &["t"]);
    keys(&socket, &["Space"]);
    wait_for(&socket, "You are reading the case study");
    keys(&socket, &["Escape", "Left"]);
    // The standalone section is locked: left stays on the first case question.
    let locked = wait_for(&socket, &format!("question {}/", standalone + 1));
    assert!(locked.contains("Case study"), "{locked}");
    keys(&socket, &["q", "q"]);
    sleep(Duration::from_millis(500));
    tmux(&["-L", &socket, "kill-server"]);
}

/// The number in "(38 questions)" after `label` on the overview.
fn section_size(screen: &str, label: &str) -> usize {
    screen
        .lines()
        .find_map(|l| l.split_once(label).map(|(_, rest)| rest.to_string()))
        .and_then(|rest| {
            rest.split(" (")
                .last()
                .map(|s| s.trim_start_matches('(').to_string())
                .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        })
        .unwrap_or_else(|| panic!("no {label:?} on\n{screen}"))
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

/// One HTTP/1.1 request to the running server; returns the status and the body.
fn http(addr: &str, method: &str, path: &str, body: &str, token: Option<&str>) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
    let auth = token.map_or_else(String::new, |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A report filed in the terminal app, resolved through the web server on the same database,
/// and its answer read by the reporter on the terminal app's home screen and on the command line.
#[test]
fn a_report_filed_in_the_terminal_app_is_resolved_on_the_web_and_seen_by_the_reporter() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bin = assert_cmd::cargo::cargo_bin("certprep");
    let started = Command::new(&bin)
        .env("CERTPREP_DATA_DIR", dir.path())
        .args([
            "session", "start", "--exam", "ai-103", "--mode", "study", "--count", "1", "--seed",
            "3", "--json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let started: serde_json::Value =
        serde_json::from_slice(&started.stdout).unwrap_or_else(|e| panic!("{e}"));
    let id = started["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let socket = format!("certprep-e2e-report-{}", std::process::id());
    launch(&socket, dir.path(), &format!("--session {id}"));
    wait_for(&socket, "question 1/1");
    // Answer (space picks, y answers Yes, a places source A), check, then report.
    keys(&socket, &["Space", "y", "a", "Enter"]);
    wait_for(&socket, "! report a problem");
    keys(&socket, &["!"]);
    wait_for(&socket, "Report a problem with this question");
    keys(&socket, &["1"]);
    tmux(&[
        "-L",
        &socket,
        "send-keys",
        "-t",
        "e2e",
        "-l",
        "The linked page keys another option",
    ]);
    wait_for(&socket, "The linked page keys another option");
    keys(&socket, &["Enter"]);
    wait_for(&socket, "Report #1 sent");
    keys(&socket, &["q"]);
    wait_for(&socket, "Your reports: 1 open, 0 answered");
    keys(&socket, &["q"]);
    sleep(Duration::from_millis(300));
    tmux(&["-L", &socket, "kill-server"]);

    // The web server on the same database: its first account is an admin, who resolves it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = format!("127.0.0.1:{port}");
    let mut server = Command::new(&bin)
        .env("CERTPREP_DATA_DIR", dir.path())
        .args(["serve", "--bind", &addr])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        sleep(Duration::from_millis(100));
    }
    let account = r#"{"email":"author@example.com","password":"a long enough password"}"#;
    let (status, body) = http(&addr, "POST", "/api/v1/auth/register", account, None);
    assert_eq!(status, 202, "{body}");
    let (status, body) = http(&addr, "POST", "/api/v1/auth/login", account, None);
    assert_eq!(status, 200, "{body}");
    let token = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["token"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("no token in {body}"));
    let (status, queue) = http(&addr, "GET", "/api/v1/disputes?open=true", "", Some(&token));
    assert_eq!(status, 200, "{queue}");
    assert!(
        queue.contains("The linked page keys another option"),
        "{queue}"
    );
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/disputes/1/resolve",
        r#"{"resolution":"rejected","note":"The key matches the page's second section"}"#,
        Some(&token),
    );
    assert_eq!(status, 200, "{body}");
    let _ = server.kill();
    let _ = server.wait();

    // The reporter sees the answer: on the home screen, and with `disputes --mine`.
    launch(&socket, dir.path(), "");
    let home = wait_for(&socket, "Your reports: 0 open, 1 answered");
    assert!(
        home.contains("#1 rejected") && home.contains("The key matches the page"),
        "{home}"
    );
    keys(&socket, &["q"]);
    sleep(Duration::from_millis(300));
    tmux(&["-L", &socket, "kill-server"]);
    let mine = Command::new(&bin)
        .env("CERTPREP_DATA_DIR", dir.path())
        .args(["disputes", "--mine"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let mine = String::from_utf8_lossy(&mine.stdout);
    assert!(
        mine.contains("rejected") && mine.contains("The key matches the page's second section"),
        "{mine}"
    );
}
