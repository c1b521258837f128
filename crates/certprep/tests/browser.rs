//! Runs the browser end-to-end test (`e2e/run.mjs`: headless Chromium, axe-core) against this
//! build of the binary, so `cargo test` covers it. Outside CI it is skipped, with the reason
//! printed, when Node.js, Chromium or `e2e/node_modules` (from `npm ci` in `e2e/`) is missing.

use std::path::Path;
use std::process::Command;

#[test]
fn browser_end_to_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let missing = [
        (
            Command::new("node").arg("--version").output().is_err(),
            "node",
        ),
        (
            !Path::new("/usr/bin/chromium").exists() && std::env::var("CHROMIUM").is_err(),
            "chromium",
        ),
        (
            !root.join("e2e/node_modules/playwright-core").exists(),
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
            "the browser test must run under CI; missing: {missing:?}"
        );
        eprintln!("skipped: missing {}", missing.join(", "));
        return;
    }
    let out = Command::new("node")
        .arg(root.join("e2e/run.mjs"))
        .env("CERTPREP_BIN", assert_cmd::cargo::cargo_bin("certprep"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
