//! `certprep advise`, `plan` and `result`: whether a certification is worth it, the study plan,
//! and the real result with renewal, printed as text or JSON.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use certprep_advisor::{
    Advice, EmployerCloud, Foundations, Industry, PlanStatus, Profile, Role, money, trim_number,
};
use certprep_bank::Library;
use certprep_service::advisor::{PlanView, ResultView};
use chrono::{DateTime, NaiveDate, Utc};

use crate::cli::{AdviseArgs, ResultCommand};
use crate::learning::with_local_service;
use crate::session::{Refused, print_json, refusal};

pub fn advise(
    library: &Library,
    data_dir: Option<&Path>,
    args: AdviseArgs,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    let exam = args
        .exam
        .clone()
        .unwrap_or_else(|| certprep_service::advisor::default_exam(library, now.date_naive()));
    with_local_service(library, data_dir, async |service| {
        let saved = service.saved_profile().await.map_err(refusal)?;
        let mut profile = apply_flags(saved.unwrap_or_default(), &args)?;
        let interactive = !args.json && !args.no_questions && std::io::stdin().is_terminal();
        if interactive {
            profile = ask(profile)?;
        }
        let advice = service
            .advise(&exam, &profile, now)
            .await
            .map_err(refusal)?;
        service.save_profile(&profile).await.map_err(refusal)?;
        if args.json {
            print_json(&advice)?;
        } else {
            print!("{}", wrap_for_terminal(&advice_text(&advice)));
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn yes_no(text: &str, what: &str) -> Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        other => Err(Refused(format!("{what}: say yes or no, not {other:?}")).into()),
    }
}

fn parsed<T: std::str::FromStr<Err = String>>(text: &str, what: &str) -> Result<T> {
    text.parse::<T>()
        .map_err(|e| Refused(format!("{what}: {e}")).into())
}

/// The profile with every flag given applied over what was saved.
fn apply_flags(mut p: Profile, a: &AdviseArgs) -> Result<Profile> {
    if let Some(r) = &a.role {
        p.role = Some(parsed::<Role>(r, "--role")?);
    }
    if let Some(y) = a.years {
        p.years = Some(y);
    }
    if let Some(f) = &a.foundations {
        p.foundations =
            Some(Foundations::parse_list(f).map_err(|e| Refused(format!("--foundations: {e}")))?);
    }
    if let Some(c) = &a.employer_cloud {
        p.employer_cloud = Some(parsed::<EmployerCloud>(c, "--employer-cloud")?);
    }
    if let Some(x) = &a.partner {
        p.partner = Some(yes_no(x, "--partner")?);
    }
    if let Some(x) = &a.client_facing {
        p.client_facing = Some(yes_no(x, "--client-facing")?);
    }
    if let Some(i) = &a.industry {
        p.industry = Some(parsed::<Industry>(i, "--industry")?);
    }
    if a.hours_per_week.is_some() {
        p.hours_per_week = a.hours_per_week;
    }
    if a.budget.is_some() {
        p.budget = a.budget;
    }
    if let Some(c) = &a.currency {
        p.currency = Some(c.trim().to_ascii_uppercase());
    }
    if a.usd_rate.is_some() {
        p.usd_rate = a.usd_rate;
    }
    if a.fee.is_some() {
        p.fee = a.fee;
    }
    for line in &a.costs {
        let (name, amount) = line.split_once('=').ok_or_else(|| {
            Refused(format!(
                "--cost {line}: write LINE=AMOUNT, such as course=0"
            ))
        })?;
        let amount: u32 = amount
            .trim()
            .parse()
            .map_err(|_| Refused(format!("--cost {line}: {amount:?} is not a whole amount")))?;
        let name = name.trim().to_ascii_lowercase();
        p.cost_overrides.retain(|(k, _)| *k != name);
        p.cost_overrides.push((name, amount));
    }
    p.validate().map_err(Refused)?;
    Ok(p)
}

/// Asks for each part of the profile in the terminal; Enter keeps the value shown, `-` clears it.
fn ask(mut p: Profile) -> Result<Profile> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut question = |prompt: &str, current: Option<String>| -> Result<Option<Option<String>>> {
        let shown = current.map(|c| format!(" [{c}]")).unwrap_or_default();
        print!("{prompt}{shown}: ");
        std::io::stdout().flush()?;
        let Some(line) = lines.next() else {
            return Ok(None);
        };
        let line = line?;
        let line = line.trim();
        Ok(match line {
            "" => None,
            "-" => Some(None),
            text => Some(Some(text.to_string())),
        })
    };
    println!("A few questions about you (Enter keeps the value in brackets, - clears it).");
    // Each answer is asked again until it reads: a typo costs a retry, not the whole advice.
    macro_rules! field {
        ($prompt:expr, $current:expr, $set:expr) => {
            loop {
                match question($prompt, $current)? {
                    None => break,
                    Some(answer) => match $set(answer) {
                        Ok(()) => break,
                        Err(e) => println!("  {e}"),
                    },
                }
            }
        };
    }
    field!(
        &format!("Role ({})", Role::names().join(", ")),
        p.role.map(|r| r.to_string()),
        |a: Option<String>| -> Result<(), String> {
            p.role = a.map(|t| t.parse()).transpose()?;
            Ok(())
        }
    );
    field!(
        "Years of experience",
        p.years.map(|y| y.to_string()),
        |a: Option<String>| -> Result<(), String> {
            p.years = a
                .map(|t| {
                    t.parse()
                        .map_err(|_| format!("{t:?} is not a number of years"))
                })
                .transpose()?;
            Ok(())
        }
    );
    field!(
        "Foundations (software, cloud, data; comma-separated, or none)",
        p.foundations.map(|f| f.describe()),
        |a: Option<String>| -> Result<(), String> {
            p.foundations = a.map(|t| Foundations::parse_list(&t)).transpose()?;
            Ok(())
        }
    );
    field!(
        &format!(
            "Your employer's cloud ({})",
            EmployerCloud::names().join(", ")
        ),
        p.employer_cloud.map(|c| c.to_string()),
        |a: Option<String>| -> Result<(), String> {
            p.employer_cloud = a.map(|t| t.parse()).transpose()?;
            Ok(())
        }
    );
    let yn = |t: String| yes_no(&t, "answer").map_err(|e| e.to_string());
    field!(
        "Microsoft partner organisation or integrator (yes/no)",
        p.partner
            .map(|b| if b { "yes".into() } else { "no".into() }),
        |a: Option<String>| -> Result<(), String> {
            p.partner = a.map(yn).transpose()?;
            Ok(())
        }
    );
    field!(
        "Consulting or client-facing work (yes/no)",
        p.client_facing
            .map(|b| if b { "yes".into() } else { "no".into() }),
        |a: Option<String>| -> Result<(), String> {
            p.client_facing = a.map(yn).transpose()?;
            Ok(())
        }
    );
    field!(
        &format!("Industry ({})", Industry::names().join(", ")),
        p.industry.map(|i| i.to_string()),
        |a: Option<String>| -> Result<(), String> {
            p.industry = a.map(|t| t.parse()).transpose()?;
            Ok(())
        }
    );
    field!(
        "Hours a week you can study",
        p.hours_per_week.map(trim_number),
        |a: Option<String>| -> Result<(), String> {
            p.hours_per_week = a
                .map(|t| {
                    t.parse()
                        .map_err(|_| format!("{t:?} is not a number of hours"))
                })
                .transpose()?;
            Ok(())
        }
    );
    field!(
        "Currency (USD, EUR, …)",
        p.currency.clone(),
        |a: Option<String>| -> Result<(), String> {
            p.currency = a.map(|t| t.to_ascii_uppercase());
            Ok(())
        }
    );
    if !p.currency().eq_ignore_ascii_case("USD") {
        field!(
            &format!("{} per US dollar", p.currency()),
            p.usd_rate.map(|r| r.to_string()),
            |a: Option<String>| -> Result<(), String> {
                p.usd_rate = a
                    .map(|t| t.parse().map_err(|_| format!("{t:?} is not a rate")))
                    .transpose()?;
                Ok(())
            }
        );
    }
    field!(
        "Budget (whole amount in your currency)",
        p.budget.map(|b| b.to_string()),
        |a: Option<String>| -> Result<(), String> {
            p.budget = a
                .map(|t| {
                    t.parse()
                        .map_err(|_| format!("{t:?} is not a whole amount"))
                })
                .transpose()?;
            Ok(())
        }
    );
    field!(
        "The exam fee in your country (Enter for certprep's figure)",
        p.fee.map(|f| f.to_string()),
        |a: Option<String>| -> Result<(), String> {
            p.fee = a
                .map(|t| {
                    t.parse()
                        .map_err(|_| format!("{t:?} is not a whole amount"))
                })
                .transpose()?;
            Ok(())
        }
    );
    println!();
    p.validate().map_err(Refused)?;
    Ok(p)
}

/// Lines wider than the terminal broken at spaces, continuing under their own indentation plus
/// two; output that is not a terminal is left as it is, for scripts.
pub fn wrap_for_terminal(text: &str) -> String {
    if !std::io::stdout().is_terminal() {
        return text.to_string();
    }
    let width = ratatui::crossterm::terminal::size()
        .map(|(w, _)| usize::from(w))
        .unwrap_or(80)
        .clamp(40, 120);
    wrap_text(text, width)
}

pub fn wrap_text(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line.chars().count() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let hang = " ".repeat((indent + 2).min(width / 2));
        let mut current = line[..indent].to_string();
        let mut empty = true;
        for word in line.split_whitespace() {
            let needed = word.chars().count() + usize::from(!empty);
            if !empty && current.chars().count() + needed > width {
                out.push_str(&current);
                out.push('\n');
                current = hang.clone();
                empty = true;
            }
            if !empty {
                current.push(' ');
            }
            current.push_str(word);
            empty = false;
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

/// The advice as a person reads it in a terminal.
pub fn advice_text(a: &Advice) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): {}\n",
        a.exam.to_uppercase(),
        a.credential,
        a.recommendation_label.to_uppercase()
    );
    let _ = writeln!(out, "Why");
    for r in &a.reasons {
        let mark = if r.recommends.is_some() { "!" } else { "+" };
        let _ = writeln!(out, "  {mark} {}", r.text);
    }
    if a.reasons.is_empty() {
        let _ = writeln!(out, "  Nothing you said argues against it.");
    }
    if !a.not_weighed.is_empty() {
        let _ = writeln!(
            out,
            "  (Not weighed, as you did not say: {}.)",
            a.not_weighed.join(", ")
        );
    }
    let c = &a.cost;
    let _ = writeln!(
        out,
        "\nCost: {}–{}",
        money(c.min, &c.currency),
        money(c.max, &c.currency)
    );
    for i in &c.items {
        let range = i.range_text();
        let flag = i.standing();
        let _ = writeln!(out, "  {:<34} {:>16}  {flag}", i.label, range);
        if !i.overridden {
            let _ = writeln!(out, "      source: {} (checked {})", i.source, i.checked);
        }
    }
    let _ = writeln!(
        out,
        "  The source's own estimate of the whole: {}–{}.",
        money(c.typical_total[0], &c.currency),
        money(c.typical_total[1], &c.currency)
    );
    for n in &c.notes {
        let _ = writeln!(out, "  {n}");
    }
    let _ = writeln!(out, "\nTime: {}–{} hours", a.hours.min, a.hours.max);
    for r in &a.hours.reasoning {
        let _ = writeln!(out, "  {r}");
    }
    if let Some(co) = &a.carry_over {
        let _ = writeln!(
            out,
            "\nWhat carries over to {}: {:.0}% of {} ({} objectives carry over fully, {} partly, {} not at all).",
            co.to.split('@').next().unwrap_or(&co.to).to_uppercase(),
            co.share * 100.0,
            co.basis,
            co.full,
            co.partial,
            co.none
        );
        let _ = writeln!(
            out,
            "  New to you on {}:",
            co.to.split('@').next().unwrap_or(&co.to).to_uppercase()
        );
        for (_, title, _) in co.new_to_you.iter().take(12) {
            let _ = writeln!(out, "    - {title}");
        }
        if co.new_to_you.len() > 12 {
            let _ = writeln!(
                out,
                "    … and {} more (--json lists every objective)",
                co.new_to_you.len() - 12
            );
        }
    }
    let _ = writeln!(out, "\nAlternatives");
    for alt in &a.alternatives {
        let fee = alt
            .fee
            .map(|f| {
                format!(
                    "{}{}",
                    money(f, "USD"),
                    if alt.fee_verified == Some(false) {
                        " (unverified)"
                    } else {
                        ""
                    }
                )
            })
            .unwrap_or_else(|| {
                if alt.fee_verified == Some(false) {
                    "price not verified".into()
                } else {
                    "price varies".into()
                }
            });
        let shape = [
            alt.questions.as_ref().map(|q| format!("{q} questions")),
            alt.minutes.map(|m| format!("{m} min")),
            alt.validity.as_ref().map(|v| format!("valid {v}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        if alt.status == "retired" {
            let _ = writeln!(
                out,
                "  {} — retired{}; successor: {}",
                alt.name,
                alt.retired_on.map(|d| format!(" {d}")).unwrap_or_default(),
                alt.successor.as_deref().unwrap_or("none")
            );
        } else {
            let _ = writeln!(
                out,
                "  {} — {fee}{}",
                alt.name,
                if shape.is_empty() {
                    String::new()
                } else {
                    format!("; {shape}")
                }
            );
            let _ = writeln!(out, "      {}", alt.fits);
        }
    }
    let _ = writeln!(out, "\nAfter it");
    for p in &a.progressions {
        let _ = writeln!(out, "  {}: {}. {}", p.name, p.needs, p.note);
    }
    let _ = writeln!(out, "\nRenewal: {}", a.renewal);
    if let Some(n) = &a.partner_note {
        let _ = writeln!(out, "Partner organisations: {n}");
    }
    out
}

/// What `certprep plan` was given.
pub struct PlanCommand<'a> {
    pub exam: &'a str,
    pub date: Option<NaiveDate>,
    pub hours_per_week: Option<f64>,
    pub ics: Option<&'a Path>,
    pub json: bool,
}

pub fn plan(
    library: &Library,
    data_dir: Option<&Path>,
    c: PlanCommand<'_>,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    with_local_service(library, data_dir, async |service| {
        let view = service
            .study_plan(c.exam, c.date, c.hours_per_week, now)
            .await
            .map_err(refusal)?;
        if let Some(path) = c.ics {
            let text = certprep_advisor::ics::plan_calendar(&view.plan, &view.exam.to_uppercase());
            crate::files::write_atomically(path, text.as_bytes())?;
            if !c.json {
                println!("Calendar written to {}.", path.display());
            }
        }
        if c.json {
            print_json(&view)?;
        } else {
            print!("{}", wrap_for_terminal(&plan_text(&view)));
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `certprep plan --exam X [--date D]`: the plan when one is saved, else the date as before.
pub fn plan_or_date(
    library: &Library,
    data_dir: Option<&Path>,
    exam: &str,
    date: Option<NaiveDate>,
    json: bool,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    let today = now.date_naive();
    with_local_service(library, data_dir, async |service| {
        if let Some(d) = date {
            service
                .set_exam_date(exam, d, today)
                .await
                .map_err(refusal)?;
        }
        match service.study_plan(exam, None, None, now).await {
            Ok(view) if json => print_json(&view)?,
            Ok(view) => print!("{}", wrap_for_terminal(&plan_text(&view))),
            Err(_) => {
                let date = service.exam_date(exam).await.map_err(refusal)?;
                if json {
                    print_json(
                        &serde_json::json!({ "exam": exam.to_lowercase(), "exam_date": date }),
                    )?;
                } else {
                    match date {
                        Some(d) => println!(
                            "{} planned for {d} ({} days from today). For a week-by-week plan: certprep plan --exam {exam} --hours-per-week N",
                            exam.to_uppercase(),
                            (d - today).num_days()
                        ),
                        None => println!(
                            "No exam date set: certprep plan --exam {exam} --date YYYY-MM-DD --hours-per-week N"
                        ),
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// A bar of `width` cells for `value` of `max`.
fn bar(value: f64, max: f64, width: usize) -> String {
    let cells = if max > 0.0 {
        ((value / max) * width as f64).round() as usize
    } else {
        0
    };
    "█".repeat(cells.min(width))
}

pub fn plan_text(v: &PlanView) -> String {
    let p = &v.plan;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} study plan: {} → exam {} ({} h a week, {} weeks)",
        v.exam.to_uppercase(),
        p.today,
        p.exam_date,
        trim_number(p.hours_per_week),
        p.weeks.len()
    );
    let mark = match p.status {
        PlanStatus::Reachable => "✓",
        PlanStatus::Tight => "~",
        PlanStatus::Unreachable => "✗",
    };
    let _ = writeln!(out, "{mark} {}", p.message);
    let _ = writeln!(
        out,
        "  Hours needed {}–{}: {}",
        p.hours_needed[0],
        p.hours_needed[1],
        v.hours_reasoning.last().cloned().unwrap_or_default()
    );
    let _ = writeln!(out, "\nPractice by domain (weight and weakness)");
    let most = p.domains.iter().map(|d| d.hours).fold(0.0, f64::max);
    for d in &p.domains {
        let mastery = d
            .mastery
            .map(|m| format!("{:.0}% above the cut", m * 100.0))
            .unwrap_or_else(|| "no evidence yet".into());
        let _ = writeln!(
            out,
            "  {:<44} {:>5} h {:<12} weight {:.0}%, {mastery}",
            crate::table::truncate(&d.title, 44),
            trim_number(d.hours),
            bar(d.hours, most, 12),
            d.weight * 100.0
        );
    }
    let _ = writeln!(out, "\nWeek by week");
    for w in &p.weeks {
        let _ = writeln!(
            out,
            "  Week {:>2}  {} – {}  {} h",
            w.number,
            w.start.format("%d %b"),
            w.end.format("%d %b"),
            trim_number(w.hours)
        );
        for a in &w.activities {
            let _ = writeln!(out, "      {:>5} h  {}", trim_number(a.hours), a.label);
        }
    }
    let g = &v.progress;
    let _ = writeln!(out, "\nProgress: {}", g.message);
    let top = g
        .weeks
        .iter()
        .map(|w| w.planned.max(w.logged))
        .fold(0.0, f64::max);
    for w in g.weeks.iter().filter(|w| w.start <= p.exam_date) {
        if w.start > v.today {
            continue;
        }
        let _ = writeln!(
            out,
            "  Week {:>2}  planned {:<20} {:>5} h\n           logged  {:<20} {:>5} h",
            w.number,
            bar(w.planned, top, 20),
            trim_number(w.planned),
            bar(w.logged, top, 20),
            trim_number((w.logged * 4.0).round() / 4.0 + 0.0)
        );
    }
    out
}

pub fn result(
    library: &Library,
    data_dir: Option<&Path>,
    command: ResultCommand,
    now: DateTime<Utc>,
) -> Result<ExitCode> {
    with_local_service(library, data_dir, async |service| match command {
        ResultCommand::Record {
            exam,
            date,
            outcome,
            score,
            json,
        } => {
            let passed = match outcome.trim().to_ascii_lowercase().as_str() {
                "pass" | "passed" => true,
                "fail" | "failed" => false,
                other => {
                    return Err(
                        Refused(format!("--outcome: say pass or fail, not {other:?}")).into(),
                    );
                }
            };
            let view = service
                .record_result(&exam, date, passed, score, now)
                .await
                .map_err(refusal)?;
            if json {
                print_json(&view)?;
            } else {
                print!("{}", wrap_for_terminal(&result_text(&view)));
            }
            Ok(ExitCode::SUCCESS)
        }
        ResultCommand::List { json } => {
            let views = service.results(now).await.map_err(refusal)?;
            if json {
                print_json(&views)?;
            } else if views.is_empty() {
                println!(
                    "No results recorded: certprep result record --exam CODE --date YYYY-MM-DD --outcome pass|fail [--score N]"
                );
            } else {
                for v in &views {
                    print!("{}", wrap_for_terminal(&result_text(v)));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ResultCommand::Delete { id } => {
            service.delete_result(id).await.map_err(refusal)?;
            println!("Result #{id} deleted.");
            Ok(ExitCode::SUCCESS)
        }
    })
}

pub fn result_text(v: &ResultView) -> String {
    let r = &v.result;
    let mut out = format!(
        "#{} {} on {}: {}{}\n  {}\n",
        r.id,
        r.exam.to_uppercase(),
        r.taken_on,
        if r.passed { "passed" } else { "not passed" },
        r.score.map(|s| format!(" ({s})")).unwrap_or_default(),
        v.comparison
    );
    if let Some(renewal) = &v.renewal {
        let _ = writeln!(out, "  {}", renewal.message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap_text;

    #[test]
    fn long_lines_wrap_under_their_indentation() {
        let text = "  + one two three four five six seven eight nine ten\nshort\n";
        let wrapped = wrap_text(text, 20);
        assert_eq!(
            wrapped,
            "  + one two three\n    four five six\n    seven eight nine\n    ten\nshort\n"
        );
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 20),
            "{wrapped}"
        );
    }
}
