//! `certprep bank qa` and `certprep bank draft-forms`: the author's view of the content.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use certprep_bank::load::load;
use certprep_bank::qa::{QaReport, run};
use certprep_domain::ExamCode;
use certprep_domain::form::{SectionKind, assemble_exam};
use certprep_domain::item::{Bank, Membership};
use chrono::NaiveDate;

use crate::content::{embedded, load_all, read_paths};
use crate::table::table;

/// Loads the embedded sources in full (with every lint check, unlike start-up) and the given
/// files, and runs every QA check on them.
pub fn qa(paths: &[PathBuf], today: NaiveDate, enforced: bool, json: bool) -> Result<ExitCode> {
    let mut layers = vec![embedded()];
    if !paths.is_empty() {
        layers.push(read_paths(paths)?);
    }
    let loaded = load(&layers, today, 0);
    let targets = loaded
        .library
        .qa
        .clone()
        .ok_or_else(|| anyhow!("no qa.toml: nothing says what the bank is held to"))?;
    let report = run(&loaded, &targets);
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report_text(&report));
    }
    let ok = if enforced {
        report.enforced_passed
    } else {
        report.passed
    };
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The report as an author reads it: the verdict per check, then what to fix.
pub fn report_text(report: &QaReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Content QA: {} distinct items. {}\n",
        report.distinct_items,
        match (report.passed, report.enforced_passed) {
            (true, _) => "Every check passes.",
            (false, true) => {
                "Every enforced check passes; the others (not yet enforced) show what is left."
            }
            (false, false) => "An enforced check fails; what to fix is listed below.",
        }
    );
    let rows: Vec<Vec<String>> = report
        .checks
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                match (c.passed, c.enforced) {
                    (true, _) => "pass",
                    (false, true) => "FAIL",
                    (false, false) => "not yet",
                }
                .to_string(),
                c.figure.clone(),
            ]
        })
        .collect();
    s.push_str(&table(&["CHECK", "RESULT", "FIGURE"], &rows));
    for exam in &report.exams {
        let _ = writeln!(s, "\n{}: {} items", exam.outline, exam.items);
        for d in &exam.domains {
            let _ = writeln!(
                s,
                "  {:<24} {:>4} items  {:>5.1}%  (weight {}–{}%)",
                d.id, d.items, d.share, d.weight_min, d.weight_max
            );
        }
        if !exam.retired_objectives.is_empty() {
            let _ = writeln!(
                s,
                "  service retired, no items expected: {}",
                exam.retired_objectives.join(", ")
            );
        }
        let _ = writeln!(
            s,
            "  fixed forms: {}",
            if exam.forms.is_empty() {
                "none".to_string()
            } else {
                exam.forms.join(", ")
            }
        );
    }
    let failing: Vec<_> = report
        .checks
        .iter()
        .filter(|c| !c.problems.is_empty())
        .collect();
    if !failing.is_empty() {
        s.push_str("\nTo fix:\n");
        for c in failing {
            let _ = writeln!(s, "  {}:", c.name);
            for p in c.problems.iter().take(40) {
                let _ = writeln!(s, "    - {p}");
            }
            if c.problems.len() > 40 {
                let _ = writeln!(s, "    … and {} more (see --json)", c.problems.len() - 40);
            }
        }
    }
    if !report.cues.longest_key_items.is_empty() {
        let _ = writeln!(
            s,
            "\nSingle-choice items whose key is the longest option ({}): {}",
            report.cues.longest_key_items.len(),
            report.cues.longest_key_items.join(", ")
        );
    }
    let explained: Vec<_> = report
        .duplicates
        .iter()
        .filter(|d| d.explained.is_some())
        .collect();
    if !explained.is_empty() {
        s.push_str("\nSimilar pairs kept on purpose (qa.toml):\n");
        for d in explained {
            let _ = writeln!(
                s,
                "  {} ~ {} ({:.2}): {}",
                d.a,
                d.b,
                d.similarity,
                d.explained.as_deref().unwrap_or("")
            );
        }
    }
    s
}

/// Drafts `count` disjoint fixed forms, each assembled like a random exam form (balanced to
/// the weights, at most one case study and one series) from the items no earlier form took.
pub fn draft_forms(
    banks: &[PathBuf],
    today: NaiveDate,
    code: &str,
    count: u32,
    items: Option<u32>,
    seed: u64,
) -> Result<ExitCode> {
    let library = load_all(banks, today)?.library;
    let exam = library
        .catalog
        .exam(&ExamCode::new(code))
        .ok_or_else(|| anyhow!("unknown exam `{code}`"))?;
    let outline = exam
        .current_outline()
        .ok_or_else(|| anyhow!("{} has no outline", exam.code.display()))?;
    let outline_ref = exam.outline_ref(outline);
    let n = items.unwrap_or((exam.questions.min + exam.questions.max) / 2);
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = format!(
        "# Fixed practice forms for {} (outline {}): drafted by `certprep bank draft-forms`,\n\
         # disjoint and balanced to the weights. Review them before they ship.\n",
        exam.code.display(),
        outline.date
    );
    for k in 0..count {
        let remaining = Bank {
            items: library
                .bank
                .items
                .iter()
                .filter(|i| !used.contains(&i.id))
                .cloned()
                .collect(),
            ..library.bank.clone()
        };
        let form = assemble_exam(
            &remaining,
            &outline_ref,
            outline,
            (n, n),
            seed + u64::from(k),
        )
        .map_err(|e| anyhow!("form {}: {e}", k + 1))?;
        let mut entries: Vec<String> = Vec::new();
        for section in &form.sections {
            if let SectionKind::CaseStudy(id) = &section.kind {
                entries.push(id.clone());
                continue;
            }
            for id in &section.items {
                let entry = match library.bank.item(id).and_then(|i| i.group.as_ref()) {
                    Some(Membership::Series(s)) => s.clone(),
                    _ => id.clone(),
                };
                if !entries.contains(&entry) {
                    entries.push(entry);
                }
            }
        }
        used.extend(form.item_ids().cloned());
        let letter = char::from(b'a' + u8::try_from(k % 26).unwrap_or(0));
        let _ = write!(
            out,
            "\n[[forms]]\nid = \"{code}-{letter}\"\ntitle = \"Practice test {}\"\noutline = \"{outline_ref}\"\nitems = [\n",
            letter.to_ascii_uppercase(),
            code = exam.code,
        );
        for e in &entries {
            let _ = writeln!(out, "  \"{e}\",");
        }
        out.push_str("]\n");
    }
    if count == 0 {
        bail!("--count must be at least 1");
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
