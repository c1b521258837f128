//! The real binary, driven as a user or a script would.

use assert_cmd::Command;
use serde_json::Value;

fn certprep() -> Command {
    let mut cmd = Command::cargo_bin("certprep").unwrap_or_else(|e| panic!("{e}"));
    cmd.env("CERTPREP_TODAY", "2026-12-31");
    cmd
}

fn json(args: &[&str]) -> Value {
    let out = certprep()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

fn text(args: &[&str]) -> (i32, String, String) {
    let out = certprep()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exams_json_lists_status_retirement_successor_and_outlines() {
    let exams = json(&["exams", "--json"]);
    let list = exams
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {exams}"));
    let ai102 = list
        .iter()
        .find(|e| e["code"] == "ai-102")
        .unwrap_or_else(|| panic!("no ai-102"));
    assert_eq!(ai102["status"], "retired");
    assert_eq!(ai102["retired_on"], "2026-06-30");
    assert_eq!(ai102["successor"], "ai-103");
    assert_eq!(ai102["passing_score"], 700);
    let dates: Vec<&str> = ai102["outlines"].as_array().map_or(vec![], |o| {
        o.iter().filter_map(|o| o["date"].as_str()).collect()
    });
    assert_eq!(dates, ["2025-12-23", "2024-03-28"]);
    let domain = &ai102["outlines"][0]["domains"][0];
    assert_eq!(domain["id"], "plan-manage");
    assert_eq!(domain["weight_min"], 20);
    assert_eq!(domain["weight_max"], 25);
    assert!(domain["title"].is_string());
    let ai103 = list
        .iter()
        .find(|e| e["code"] == "ai-103")
        .unwrap_or_else(|| panic!("no ai-103"));
    assert_eq!(ai103["status"], "active");
    assert_eq!(ai103["retired_on"], Value::Null);
    assert_eq!(
        ai103["duration"]["verified"], false,
        "the 100/120 minute question is open"
    );
    assert_eq!(
        ai103["outlines"][0]["domains"].as_array().map(Vec::len),
        Some(5)
    );
}

#[test]
fn exams_table_says_retired_and_successor() {
    let (code, out, _) = text(&["exams"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("AI-102") && out.contains("retired 2026-06-30, successor AI-103"),
        "{out}"
    );
}

#[test]
fn exams_show_prints_domains_weights_and_objectives() {
    let (code, out, _) = text(&["exams", "show", "AI-103"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Implement generative AI and agentic solutions  30–35%"),
        "{out}"
    );
    assert!(out.contains("hybrid-vector-search"), "{out}");
    assert!(
        out.contains("unverified"),
        "unverified facts are flagged: {out}"
    );
    let (code, out, _) = text(&["exams", "show", "ai-102", "--outline", "2024-03-28"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Implement content moderation solutions  10–15%"),
        "{out}"
    );
    let (code, _, err) = text(&["exams", "show", "ai-102", "--outline", "2020-01-01"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "AI-102 has no outline dated 2020-01-01: expected one of 2025-12-23, 2024-03-28"
        ),
        "{err}"
    );
    let (code, _, err) = text(&["exams", "show", "az-999"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown exam `az-999`: expected one of AI-102, AI-103"),
        "{err}"
    );
}

#[test]
fn diff_between_outline_versions_names_orphaned_items() {
    let diff = json(&[
        "exams",
        "diff",
        "ai-102@2024-03-28",
        "ai-102@2025-12-23",
        "--json",
    ]);
    assert_eq!(diff["from"], "ai-102@2024-03-28");
    let removed = diff["objectives_removed"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let image = removed
        .iter()
        .find(|o| o["id"] == "image-moderation")
        .unwrap_or_else(|| panic!("{removed:?}"));
    assert_eq!(image["orphaned_items"][0], "old-image-moderation-001");
    assert!(
        diff["objectives_moved"]
            .as_array()
            .is_some_and(|m| m.iter().any(|o| o["id"] == "content-moderation"))
    );
    assert!(diff["reweighted"].as_array().is_some_and(|r| {
        r.iter()
            .any(|d| d["id"] == "nlp" && d["from"] == serde_json::json!([30, 35]))
    }));
    // An item tagged for an objective that survives carries over.
    assert!(
        diff["items_carried_over"].as_u64().is_some_and(|n| n >= 1),
        "{diff}"
    );
}

#[test]
fn diff_between_exams_reports_added_and_removed_objectives() {
    let (code, out, _) = text(&["exams", "diff", "ai-102", "ai-103"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("From ai-102@2025-12-23 to ai-103@2026-04-16"),
        "{out}"
    );
    assert!(out.contains("+ choose-model"), "{out}");
    assert!(out.contains("- clu-design"), "{out}");
    // Items whose only objective goes are listed under it.
    assert!(
        out.lines()
            .any(|l| l.contains("leaves without an objective:") && l.contains("ls-clu-001")),
        "{out}"
    );
}

#[test]
fn embedded_bank_lints_clean() {
    let (code, out, err) = text(&["bank", "lint"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains(" 0 error(s), 0 warning(s)"), "{err}");
    assert!(out.trim().is_empty(), "{out}");
}

#[test]
fn lint_reports_file_line_col_and_exits_1() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bad.md");
    std::fs::write(
        &path,
        "## Item: x\n\n```meta\ntype: single\nai-103@2026-04-16: nope\n```\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, out, _) = text(&["bank", "lint", &path.to_string_lossy()]);
    assert_eq!(code, 1);
    let shown = format!(
        "{}:5:20: objective `nope` does not exist in outline ai-103@2026-04-16",
        path.display()
    );
    assert!(out.contains(&shown), "{out}");
    assert!(
        out.contains(&format!("{}:1:10: missing `difficulty:`", path.display())),
        "{out}"
    );
}

#[test]
fn stats_json_has_totals_domains_and_types() {
    let stats = json(&["bank", "stats", "--exam", "ai-103", "--json"]);
    let total = stats["total"].as_u64().unwrap_or(0);
    assert!(total >= 80, "{total}");
    let domains = stats["by_domain"].as_array().cloned().unwrap_or_default();
    assert_eq!(domains.len(), 5);
    let counted: u64 = domains.iter().filter_map(|d| d["count"].as_u64()).sum();
    assert_eq!(counted, total, "each item counts towards one domain");
    for d in &domains {
        for key in ["domain", "count", "share", "weight_min", "weight_max"] {
            assert!(!d[key].is_null(), "{key} missing in {d}");
        }
    }
    let by_type = stats["by_type"].as_object().cloned().unwrap_or_default();
    assert_eq!(by_type.len(), 7, "{by_type:?}");
    assert!(by_type.values().filter_map(Value::as_u64).sum::<u64>() == total);
}

#[test]
fn stats_text_shows_weights_and_gaps() {
    let (code, out, _) = text(&["bank", "stats", "--exam", "ai-102"]);
    assert_eq!(code, 0);
    assert!(out.contains("AI-102 outline 2025-12-23"), "{out}");
    assert!(
        out.contains("DOMAIN") && out.contains("WEIGHT") && out.contains("Gaps"),
        "{out}"
    );
}

#[test]
fn user_banks_add_items_and_override_embedded_ones_by_id() {
    let before = json(&["bank", "stats", "--exam", "ai-103", "--json"])["total"]
        .as_u64()
        .unwrap_or(0);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = include_str!("../../../docs/bank-format.md");
    let start = spec.find("## Item: example-single-001").unwrap_or(0);
    let end = spec[start..].find("````").map_or(spec.len(), |e| start + e);
    let item = &spec[start..end];
    std::fs::write(dir.path().join("mine.md"), item).unwrap_or_else(|e| panic!("{e}"));
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let with_new = json(&[
        "--bank", &dir_arg, "bank", "stats", "--exam", "ai-103", "--json",
    ])["total"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(with_new, before + 1);
    // Same id as an embedded item: it replaces it, so the total stays.
    let embedded_id = "pm-keyless-001";
    std::fs::write(
        dir.path().join("mine.md"),
        item.replace("example-single-001", embedded_id),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let overridden = json(&[
        "--bank", &dir_arg, "bank", "stats", "--exam", "ai-103", "--json",
    ])["total"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(overridden, before);
}

#[test]
fn runs_with_no_command_and_no_files_beside_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = certprep()
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("practice items for AI-103"), "{stdout}");
}
