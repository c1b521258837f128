//! `certprep advise`, `plan`, `result`, `import` and `export` through the real binary.

use assert_cmd::Command;
use serde_json::Value;

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
            .env("CERTPREP_TODAY", "2026-12-06");
        c
    }
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self
            .cmd()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
    fn json(&self, args: &[&str]) -> Value {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }
}

#[test]
fn advise_with_flags_prints_the_promised_json_and_remembers_the_profile() {
    let env = Env::new();
    let v = env.json(&[
        "advise",
        "--json",
        "--exam",
        "ai-103",
        "--role",
        "data-engineer",
        "--years",
        "6",
        "--foundations",
        "software,cloud,data",
        "--employer-cloud",
        "gcp",
        "--hours-per-week",
        "5",
        "--budget",
        "1000",
        "--cost",
        "course=0",
    ]);
    assert_eq!(v["recommendation"], "consider-alternative");
    assert_eq!(v["cost"]["currency"], "USD");
    // 165 + 0 + 40–60 + 20–100
    assert_eq!(
        (v["cost"]["min"].as_u64(), v["cost"]["max"].as_u64()),
        (Some(225), Some(325))
    );
    assert_eq!(v["cost"]["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        (v["hours"]["min"].as_u64(), v["hours"]["max"].as_u64()),
        (Some(80), Some(115))
    );
    assert!(
        v["reasons"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("another cloud")
    );
    assert!(v["alternatives"].as_array().is_some_and(|a| a.len() >= 4));
    // Asked again without flags: the saved answers are used.
    let again = env.json(&["advise", "--json", "--exam", "ai-103"]);
    assert_eq!(again["recommendation"], "consider-alternative");
    // AI-102: retired, with the carry-over to AI-103.
    let old = env.json(&["advise", "--json", "--exam", "ai-102"]);
    assert!(
        old["reasons"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .starts_with("AI-102 retired")
    );
    let share = old["carry_over"]["share"].as_f64().unwrap_or_default();
    assert!(share > 0.5 && share < 0.9, "{share}");
    // Bad flags: exit 1 with the reason.
    let (code, _, err) = env.run(&["advise", "--json", "--role", "astronaut"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is not one of"), "{err}");
    let (code, _, err) = env.run(&["advise", "--json", "--currency", "EUR"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("exchange rate"), "{err}");
}

#[test]
fn plan_writes_a_calendar_and_says_when_the_date_cannot_be_reached() {
    let env = Env::new();
    let ics = env.dir.path().join("plan.ics");
    let ics_arg = ics.to_string_lossy().into_owned();
    let v = env.json(&[
        "plan",
        "--exam",
        "ai-103",
        "--date",
        "2027-01-03",
        "--hours-per-week",
        "4",
        "--ics",
        &ics_arg,
        "--json",
    ]);
    assert_eq!(v["plan"]["status"], "unreachable");
    assert_eq!(v["plan"]["weeks"].as_array().map(Vec::len), Some(4));
    // 80 hours at 4 a week: 20 weeks from 2026-12-06.
    assert_eq!(v["plan"]["earliest_date_low"], "2027-04-25");
    let text = std::fs::read_to_string(&ics).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.starts_with("BEGIN:VCALENDAR") && text.contains("SUMMARY:AI-103 exam"),
        "{text}"
    );
    // `plan --exam` alone shows the saved plan.
    let (code, out, _) = env.run(&["plan", "--exam", "ai-103"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Not reachable") && out.contains("Week  1"),
        "{out}"
    );
    let (code, _, err) = env.run(&["plan", "--exam", "ai-103", "--hours-per-week", "0"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn results_are_recorded_listed_and_deleted() {
    let env = Env::new();
    let r = env.json(&[
        "result",
        "record",
        "--exam",
        "ai-103",
        "--date",
        "2026-12-01",
        "--outcome",
        "pass",
        "--score",
        "744",
        "--json",
    ]);
    assert_eq!(r["renewal"]["expires_on"], "2027-12-01");
    assert_eq!(r["renewal"]["window_opens"], "2027-06-01");
    let list = env.json(&["result", "list", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let (code, _, err) = env.run(&[
        "result",
        "record",
        "--exam",
        "ai-103",
        "--date",
        "2026-12-01",
        "--outcome",
        "maybe",
    ]);
    assert_eq!(code, 1, "{err}");
    let id = list[0]["id"].as_i64().unwrap_or_default().to_string();
    let (code, _, _) = env.run(&["result", "delete", &id]);
    assert_eq!(code, 0);
    assert_eq!(
        env.json(&["result", "list", "--json"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

#[test]
fn export_then_import_gives_a_bank_that_lints() {
    let env = Env::new();
    let gift = env.dir.path().join("ai-103.gift");
    let gift_arg = gift.to_string_lossy().into_owned();
    let v = env.json(&[
        "export", "--format", "gift", "--exam", "ai-103", "--out", &gift_arg, "--json",
    ]);
    assert!(v["items"].as_u64().unwrap_or_default() > 100, "{v}");
    let out = env.dir.path().join("imported");
    let out_arg = out.to_string_lossy().into_owned();
    let (code, stdout, stderr) = env.run(&["import", &gift_arg, "--out", &out_arg, "--json"]);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    assert!(
        report[0]["items"].as_u64().unwrap_or_default() > 100,
        "{report}"
    );
    assert_eq!(
        code,
        if report[0]["errors"] == 0 { 0 } else { 1 },
        "{stderr}"
    );
    let written = out.join("ai-103.md");
    let written_arg = written.to_string_lossy().into_owned();
    let (lint, lint_out, lint_err) = env.run(&["bank", "lint", &written_arg]);
    assert_eq!(lint, 0, "{lint_out}{lint_err}");
    // Importing again refuses to overwrite without --force.
    let (code, _, err) = env.run(&["import", &gift_arg, "--out", &out_arg]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--force"), "{err}");
    let (code, _, err) = env.run(&["export", "--format", "docx", "--out", &gift_arg]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn a_qti_package_exports_and_imports_as_a_zip_and_as_a_folder() {
    let env = Env::new();
    let zip = env.dir.path().join("ai-103-qti.zip");
    let zip_arg = zip.to_string_lossy().into_owned();
    let v = env.json(&[
        "export", "--format", "qti", "--exam", "ai-103", "--out", &zip_arg, "--json",
    ]);
    let exported = v["items"].as_u64().unwrap_or_default();
    assert!(exported > 100, "{v}");
    let out = env.dir.path().join("from-zip");
    let out_arg = out.to_string_lossy().into_owned();
    let (_, stdout, stderr) = env.run(&["import", &zip_arg, "--out", &out_arg, "--json"]);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    assert_eq!(report[0]["format"], "qti", "{report}");
    assert!(
        report[0]["items"].as_u64().unwrap_or_default() > 100,
        "{report}"
    );
    let written = out.join("ai-103-qti.md");
    let (lint, lint_out, lint_err) = env.run(&["bank", "lint", &written.to_string_lossy()]);
    assert_eq!(lint, 0, "{lint_out}{lint_err}");
    // The same package unpacked into a folder.
    let folder = env.dir.path().join("package");
    let file = std::fs::File::open(&zip).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    archive.extract(&folder).unwrap_or_else(|e| panic!("{e}"));
    let out2 = env.dir.path().join("from-folder");
    let (_, stdout, stderr) = env.run(&[
        "import",
        &folder.to_string_lossy(),
        "--out",
        &out2.to_string_lossy(),
        "--json",
    ]);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    assert!(
        report[0]["items"].as_u64().unwrap_or_default() > 100,
        "{report}"
    );
}
